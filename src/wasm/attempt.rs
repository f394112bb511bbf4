//! One attempt: a request sent with its own time limit and the caller's `AbortSignal` (both end
//! it inside [`fetch::send`]), the answer read and interpreted. The driver checks the signal
//! before it counts the attempt as sent, so an `Aborted` from here was in flight.

use web_sys::AbortSignal;

use super::fetch;
use crate::error::Error;
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
    interpret(&fetch::send(http, token, signal, limit_ms).await?, token)
}
