//! Sending a built request through the platform's global `fetch`, so the same code runs in
//! pages, workers, Node 18+ and workerd (never `window`, which workers and Node lack).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::error::{Error, ErrorCode};
use crate::rules::token::Token;
use crate::wire::http_request::HttpRequest;
use crate::wire::response::{HttpResponse, READ_HEADERS};

#[wasm_bindgen(module = "/src/wasm/js/fetch.js")]
extern "C" {
    /// `fetch(url, init)` and the answer read in one promise of plain values:
    /// `[status, redirected, headers, text, cut]`, with the init as hand-written code builds it.
    /// Every read of what `fetch` resolved to (its `status`, `type`, body and `headers`, any of
    /// which a replaced `fetch` may make throw) happens here, inside a `try`, so a throwing getter
    /// becomes a rejection and never an exception unwinding through Rust frames (that stranded the
    /// call and, repeated, corrupted the instance). The attempt's time limit (`limit` ms) and the
    /// caller's `signal` end it through one `AbortController` made here, so the fetch and the
    /// reading of the body stop at once. `headers` holds names and values, each followed by a
    /// newline (neither can contain one: the token is checked to be printable ASCII); of a
    /// failure's answer, the headers named in `names` (newline-separated) come back as
    /// `[name, value, ...]`. At most `max` bytes of the answer are read (`cut` says the rest was
    /// left unread): a 50 MB answer or a gzip bomb must not fill the wasm memory. A rejection is
    /// `[stage, cause]` (a [`Stage`] by its number); anything else is
    /// a `fetch` that threw at once. Bound with `catch`, so that is a `NETWORK_ERROR` too.
    #[wasm_bindgen(js_name = fetchText, catch)]
    fn fetch_text(
        method: &str,
        url: &str,
        headers: &str,
        body: Option<&str>,
        signal: Option<&AbortSignal>,
        max: f64,
        limit: f64,
        names: &str,
    ) -> Result<Promise, JsValue>;
}

/// Where an attempt ended without an answer, as [`fetch_text`] tags its rejections (its JS
/// names the same numbers: `NO_ANSWER`, `BROKE_OFF`, `TIME_LIMIT`, `SIGNAL`, `UNREADABLE`).
#[derive(Clone, Copy)]
enum Stage {
    NoAnswer = 0,
    BrokeOff = 1,
    TimeLimit = 2,
    Signal = 3,
    Unreadable = 4,
}

impl Stage {
    /// The stage tagged `n`; anything unknown is read as no answer.
    fn from_tag(n: f64) -> Stage {
        [
            Stage::BrokeOff,
            Stage::TimeLimit,
            Stage::Signal,
            Stage::Unreadable,
        ]
        .into_iter()
        .find(|stage| *stage as u8 as f64 == n)
        .unwrap_or(Stage::NoAnswer)
    }

    /// How a network error says what failed ("the request to ... got no answer").
    fn failed(self) -> &'static str {
        match self {
            Stage::BrokeOff => "broke off while reading the answer",
            Stage::Unreadable => "gave an answer that could not be read",
            Stage::NoAnswer | Stage::TimeLimit | Stage::Signal => "got no answer",
        }
    }
}

/// Sends `http` and reads the answer; `signal`, if any, and `limit_ms` end both (`Aborted`,
/// `Timeout`).
///
/// Redirects are not followed: the token must only ever reach the configured `baseUrl`, and a
/// redirect (even to the same host) is answered as an `HTTP_ERROR` naming it.
pub async fn send(
    http: &HttpRequest,
    token: &Token,
    signal: Option<&AbortSignal>,
    limit_ms: u64,
) -> Result<HttpResponse, Error> {
    let promise = start(http, token, signal, limit_ms)?;
    finish(JsFuture::from(promise).await, http, token, limit_ms)
}

/// Starts [`send`]: the promise of the answer as plain values, settled within `limit_ms` or when
/// `signal` fires, for [`finish`]. An error here means the request was not sent.
pub fn start(
    http: &HttpRequest,
    token: &Token,
    signal: Option<&AbortSignal>,
    limit_ms: u64,
) -> Result<Promise, Error> {
    let mut headers = String::new();
    for (name, value) in &http.headers {
        headers.extend([name, "\n", value, "\n"]);
    }
    fetch_text(
        http.method,
        &http.url,
        &headers,
        http.body.as_deref(),
        signal,
        http.max_answer_bytes as f64,
        limit_ms as f64,
        &READ_HEADERS.join("\n"),
    )
    .map_err(|e| Error {
        not_sent: true,
        ..network_error(http, "could not be sent", &e, token)
    })
}

/// Ends [`send`]: what the promise of [`start`] settled with (`Ok` resolved, `Err` rejected)
/// as the answer, or as the error of the attempt.
pub fn finish(
    settled: Result<JsValue, JsValue>,
    http: &HttpRequest,
    token: &Token,
    limit_ms: u64,
) -> Result<HttpResponse, Error> {
    let failed = |stage: &str, cause: JsValue| network_error(http, stage, &cause, token);
    let answer: Array = settled
        .map_err(|rejected| match rejected.dyn_into::<Array>() {
            Ok(tagged) => match Stage::from_tag(tagged.get(0).as_f64().unwrap_or(0.0)) {
                Stage::TimeLimit => Error::new(
                    ErrorCode::Timeout,
                    format!("the attempt took longer than {limit_ms} ms"),
                ),
                Stage::Signal => Error::aborted(),
                stage => failed(stage.failed(), tagged.get(1)),
            },
            Err(untagged) => failed("could not be read", untagged),
        })?
        .unchecked_into();
    let status = match answer.get(0).as_f64() {
        Some(n) if n.fract() == 0.0 && (100.0..=999.0).contains(&n) => n as u16,
        _ => {
            let what = JsValue::from_str("its status is not an HTTP status code");
            return Err(failed(Stage::Unreadable.failed(), what));
        }
    };
    if answer.get(1).is_truthy() || (300..400).contains(&status) {
        let mut err = Error::new(
            ErrorCode::HttpError,
            "the service answered with a redirect, which is not followed so that the token cannot reach another host"
                .to_owned(),
        );
        err.status = Some(status);
        return Err(err);
    }
    let found: Array = answer.get(2).unchecked_into();
    let headers = (0..found.length() / 2)
        .filter_map(|i| Some((found.get(2 * i).as_string()?, found.get(2 * i + 1).as_string()?)))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: answer.get(3).as_string().unwrap_or_default(),
        cut: answer.get(4).is_truthy(),
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
