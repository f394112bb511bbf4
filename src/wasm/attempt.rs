//! One attempt: a request sent with its own time limit and the caller's `AbortSignal`, the answer
//! read and interpreted. Both limits end the attempt through one `AbortController`, so the
//! fetch and the reading of the body stop at once.

use js_sys::{Function, Reflect};
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal};

use super::fetch;
use super::signal::is_aborted;
use super::timer::{clear_timeout, set_timeout};
use crate::error::{Error, ErrorCode};
use crate::http_request::HttpRequest;
use crate::response::interpret;
use crate::token::Token;

/// Sends `http` once, giving up after `limit_ms`; `Timeout` or `Aborted` tell which limit ended
/// it.
pub async fn attempt(
    http: &HttpRequest,
    token: &Token,
    signal: Option<&AbortSignal>,
    limit_ms: f64,
) -> Result<u64, Error> {
    if is_aborted(signal) {
        return Err(aborted());
    }
    let controller = AbortController::new()
        .map_err(|_| Error::new(ErrorCode::NetworkError, "AbortController is missing".into()))?;
    let abort: Function = Reflect::get(&controller, &"abort".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|f| f.bind0(&controller))
        .ok_or_else(|| Error::new(ErrorCode::NetworkError, "AbortController.abort is missing".into()))?;
    let timer = set_timeout(&abort, limit_ms.max(0.0));
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", &abort);
    }
    let result = match fetch::send(http, token, Some(&controller.signal())).await {
        Ok(response) => interpret(&response, token),
        Err(err) => Err(err),
    };
    clear_timeout(&timer);
    if let Some(signal) = signal {
        let _ = signal.remove_event_listener_with_callback("abort", &abort);
    }
    result.map_err(|err| {
        if !controller.signal().aborted() || err.code != ErrorCode::NetworkError {
            err
        } else if is_aborted(signal) {
            aborted()
        } else {
            Error::new(
                ErrorCode::Timeout,
                format!("the attempt took longer than {} ms", limit_ms as u64),
            )
        }
    })
}

/// The error of a call stopped by the caller's signal.
pub fn aborted() -> Error {
    Error::new(
        ErrorCode::Aborted,
        "the call was aborted by its AbortSignal".into(),
    )
}
