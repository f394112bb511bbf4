//! One attempt: a request sent with its own time limit and the caller's `AbortSignal` (both end
//! it inside [`fetch::send`]), the answer read and interpreted.

use web_sys::AbortSignal;

use super::fetch;
use super::signal::is_aborted;
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
    interpret(&fetch::send(http, token, signal, limit_ms).await?, token)
}

/// The error of a call stopped by the caller's signal.
pub fn aborted() -> Error {
    Error::new(
        ErrorCode::Aborted,
        "the call was aborted by its AbortSignal".into(),
    )
}
