//! Sending a built request through the platform's global `fetch`, so the same code runs in
//! pages, workers, Node 18+ and workerd (never `window`, which workers and Node lack).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ResponseType};

use super::attempt::aborted;
use crate::error::{Error, ErrorCode};
use crate::http_request::HttpRequest;
use crate::response::{HttpResponse, MAX_ANSWER_BYTES, READ_HEADERS};
use crate::token::Token;

#[wasm_bindgen(
    inline_js = "export function fetchText(url, headers, body, signal, max, limit) {
  const named = {}, lines = headers.split('\\n');
  for (let i = 1; i < lines.length; i += 2) named[lines[i - 1]] = lines[i];
  const controller = new AbortController();
  const init = { method: 'DELETE', headers: named, redirect: 'manual', signal: controller.signal };
  if (body !== undefined) init.body = body;
  let why;
  const stop = (stage) => () => { why = why === undefined ? stage : why; controller.abort(); };
  const onAbort = stop(3);
  if (signal !== undefined) signal.addEventListener('abort', onAbort);
  const timer = setTimeout(stop(2), limit);
  const done = () => {
    clearTimeout(timer);
    if (signal !== undefined) signal.removeEventListener('abort', onAbort);
  };
  let sent;
  try {
    sent = fetch(url, init);
  } catch (cause) {
    done();
    throw cause;
  }
  return Promise.resolve(sent).then(
    (response) => readText(response, max).then(
      (read) => { done(); return [response, read[0], read[1]]; },
      (cause) => { done(); throw [why === undefined ? 1 : why, cause]; }),
    (cause) => { done(); throw [why === undefined ? 0 : why, cause]; });
}
function readText(response, max) {
  const stream = response.body;
  if (!stream || typeof stream.getReader !== 'function') {
    return response.text().then((text) => text.length > max ? [text.slice(0, max), true] : [text, false]);
  }
  const reader = stream.getReader(), decoder = new TextDecoder(), parts = [];
  let size = 0;
  const next = () => reader.read().then(({ done, value }) => {
    if (done) return [parts.join('') + decoder.decode(), false];
    size += value.byteLength;
    if (size <= max) {
      parts.push(decoder.decode(value, { stream: true }));
      return next();
    }
    parts.push(decoder.decode(value.subarray(0, value.byteLength - (size - max))));
    reader.cancel().catch(() => {});
    return [parts.join(''), true];
  });
  return next();
}"
)]
extern "C" {
    /// `fetch(url, init)` and the answer's text in one promise of `[response, text, cut]`, with
    /// the init as hand-written code builds it. It replaces a `Headers` and a `RequestInit`
    /// assembled call by call and a second awaited promise: 0.5 KB less wasm (gzip); calls per
    /// second did not move beyond the noise of bench/overhead.mjs. The attempt's time limit
    /// (`limit` ms) and the caller's `signal` end it through one `AbortController` made here, so
    /// the fetch and the reading of the body stop at once (1 KB less wasm than building the
    /// controller, timer and listener from Rust). `headers` holds names and
    /// values, each followed by a newline (neither can contain one: the token is checked to be
    /// printable ASCII). At most `max` bytes of the answer are read (`cut` says the rest was
    /// left unread): a 50 MB answer or a gzip bomb must not fill the wasm memory. A rejection is
    /// `[stage, cause]` ([`STAGES`]); anything else is a `text` that threw. Bound with `catch`,
    /// so a `fetch` that throws at once is a `NETWORK_ERROR` too.
    #[wasm_bindgen(js_name = fetchText, catch)]
    fn fetch_text(
        url: &str,
        headers: &str,
        body: Option<&str>,
        signal: Option<&AbortSignal>,
        max: f64,
        limit: f64,
    ) -> Result<Promise, JsValue>;
}

/// What failed, by the stage number [`fetch_text`] rejects with (2: the time limit, 3: the
/// caller's signal ended it).
const STAGES: [&str; 2] = ["got no answer", "broke off while reading the answer"];

/// Sends `http` and reads the answer; `signal`, if any, and `limit_ms` end both (`Aborted`,
/// `Timeout`).
///
/// Redirects are not followed: the token must only ever reach the configured `baseUrl`, and a
/// redirect (even to the same host) is answered as an `HTTP_ERROR` naming it.
pub async fn send(
    http: &HttpRequest,
    token: &Token,
    signal: Option<&AbortSignal>,
    limit_ms: f64,
) -> Result<HttpResponse, Error> {
    let failed = |stage: &str, cause: JsValue| network_error(http, stage, &cause, token);
    let mut headers = String::new();
    for (name, value) in &http.headers {
        headers.extend([name, "\n", value, "\n"]);
    }
    let max = MAX_ANSWER_BYTES as f64;
    let promise = fetch_text(
        &http.url,
        &headers,
        http.body.as_deref(),
        signal,
        max,
        limit_ms.max(0.0),
    )
    .map_err(|e| Error {
        not_sent: true,
        ..failed("could not be sent", e)
    })?;
    let answer: Array = JsFuture::from(promise)
        .await
        .map_err(|rejected| match rejected.dyn_into::<Array>() {
            Ok(tagged) => match tagged.get(0).as_f64().unwrap_or(0.0) as usize {
                2 => Error::new(
                    ErrorCode::Timeout,
                    format!("the attempt took longer than {} ms", limit_ms as u64),
                ),
                3 => aborted(),
                stage => failed(STAGES[stage.min(1)], tagged.get(1)),
            },
            Err(untagged) => failed("could not be read", untagged),
        })?
        .unchecked_into();
    // Whatever `fetch` resolved to had a `text` method; a getter it lacks reads as 0 or false.
    let response: web_sys::Response = answer.get(0).unchecked_into();
    if response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&response.status()) {
        let mut err = Error::new(
            ErrorCode::HttpError,
            "the service answered with a redirect, which is not followed so that the token cannot reach another host"
                .to_owned(),
        );
        err.status = Some(response.status());
        return Err(err);
    }
    // Only a failure's headers are read (rate limits): each read is a call into JS.
    let headers = if response.ok() {
        Vec::new()
    } else {
        let all = response.headers();
        READ_HEADERS
            .iter()
            .filter_map(|name| Some((name.to_string(), all.get(name).ok()??)))
            .collect()
    };
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body: answer.get(1).as_string().unwrap_or_default(),
        cut: answer.get(2).is_truthy(),
    })
}

fn network_error(http: &HttpRequest, stage: &str, cause: &JsValue, token: &Token) -> Error {
    let message_of = |value: &JsValue| {
        js_sys::Reflect::get(value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
    };
    // Node puts the reason (ECONNREFUSED, a TLS failure) in `cause`.
    let inner = js_sys::Reflect::get(cause, &"cause".into())
        .ok()
        .and_then(|c| message_of(&c));
    let cause = match (message_of(cause), inner) {
        (Some(outer), Some(inner)) => format!("{outer} ({inner})"),
        (Some(outer), None) => outer,
        (None, _) => "unknown error".to_owned(),
    };
    let origin: String = http.url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    Error::new(
        ErrorCode::NetworkError,
        format!(
            "the request to {origin} {stage}: {} (in a browser, a CORS refusal looks like this too)",
            token.withhold(cause)
        ),
    )
}
