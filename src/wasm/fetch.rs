//! Sending a built request through the platform's global `fetch`, so the same code runs in
//! pages, workers, Node 18+ and workerd (never `window`, which workers and Node lack).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestRedirect, ResponseType};

use crate::error::{Error, ErrorCode};
use crate::http_request::HttpRequest;
use crate::response::{HttpResponse, READ_HEADERS};
use crate::token::Token;

#[wasm_bindgen]
extern "C" {
    /// Bound with `catch` and checked with `dyn_into`, so a replaced `fetch` that throws or
    /// returns something odd becomes a `NETWORK_ERROR` instead of a panic.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<Promise, JsValue>;
}

/// Sends `http` and reads the whole answer; `signal`, if any, ends both.
///
/// Redirects are not followed: the token must only ever reach the configured `baseUrl`, and a
/// redirect (even to the same host) is answered as an `HTTP_ERROR` naming it.
pub async fn send(
    http: &HttpRequest,
    token: &Token,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, Error> {
    let failed = |stage: &str, cause: JsValue| network_error(http, stage, &cause, token);
    // `fetch(url, init)`, as hand-written code would: fetch builds its one Request from these.
    // A Request built here first would be copied into a second one (in Node, the larger part of
    // a call's own cost; bench/overhead.mjs).
    let headers = web_sys::Headers::new().map_err(|e| failed("could not be built", e))?;
    for (name, value) in &http.headers {
        headers
            .set(name, value)
            .map_err(|e| failed("could not be built", e))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    init.set_headers(&headers);
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(signal);
    if let Some(body) = &http.body {
        init.set_body(&JsValue::from_str(body));
    }
    let promise = global_fetch(&http.url, &init).map_err(|e| failed("could not be sent", e))?;
    let answer = JsFuture::from(promise)
        .await
        .map_err(|e| failed("got no answer", e))?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| {
        failed(
            "got no answer",
            JsValue::from_str("fetch did not return a Response"),
        )
    })?;
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
    let text = response.text().map_err(|e| failed("could not be read", e))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|e| failed("broke off while reading the answer", e))?
        .as_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body,
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
        token.redact(&format!(
            "the request to {origin} {stage}: {cause} (in a browser, a CORS refusal looks like this too)"
        )),
    )
}
