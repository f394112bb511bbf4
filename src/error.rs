//! The one error type of the library, with a stable machine-readable code.
//!
//! JS callers branch on `code` (never on message text), so codes are part of the API;
//! messages are for people and always name the field and the rule.

use core::fmt;

/// What went wrong, as a stable code (`err.code` in JS). New codes may come: match with a
/// wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The options were refused before anything was sent.
    InvalidOptions,
    /// The service answered 401 or 403: the token is wrong or lacks rights.
    Unauthorized,
    /// The service answered 429.
    RateLimited,
    /// Any other non-2xx answer.
    HttpError,
    /// The request did not get an answer (DNS, connection, CORS, TLS).
    NetworkError,
    /// A 2xx answer without a non-negative integer `cancelled`.
    InvalidResponse,
    /// An attempt outlived `timeoutMs`, or the call outlived `deadlineMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A cancel stopped before it was done: at its pass limit (`maxPasses`) while its last pass
    /// was still cancelling runs (more may match), at its request limit (`maxRequests`), or
    /// finished by its driver before [`Step::Done`](crate::Step::Done).
    Unfinished,
}

impl ErrorCode {
    /// The code as JS sees it, e.g. `"INVALID_OPTIONS"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidOptions => "INVALID_OPTIONS",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::HttpError => "HTTP_ERROR",
            ErrorCode::NetworkError => "NETWORK_ERROR",
            ErrorCode::InvalidResponse => "INVALID_RESPONSE",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::Unfinished => "UNFINISHED",
        }
    }
}

/// Rate-limit figures the service sent with a 429 (and the `Retry-After` of a 503), when it
/// sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `Burst-RateLimit-Limit` (or the daily `RateLimit-Limit`).
    pub limit: Option<u64>,
    /// `Burst-RateLimit-Remaining` (or `RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// `Burst-RateLimit-Reset` (or `RateLimit-Reset`), Unix seconds.
    pub reset: Option<u64>,
    /// `Retry-After` given in seconds (a fraction rounded up).
    pub retry_after: Option<u64>,
    /// `Retry-After` given as an HTTP date, in Unix milliseconds.
    pub retry_at: Option<u64>,
}

/// What a call had done when it failed, so nothing is lost track of: what the service
/// confirmed, what was sent without an answer (the service may have acted on it), and what was
/// not sent or was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Partial {
    /// Runs the service confirmed cancelled (the sum of the answers that came).
    pub cancelled: u64,
    /// Requests sent whose answer never came or could not be read: the service may have
    /// cancelled runs that `cancelled` does not count.
    pub unconfirmed: u32,
    /// When every such request carried a `count`: the most runs they may have cancelled.
    pub unconfirmed_up_to: Option<u64>,
    /// For id lists: every id not confirmed cancelled (safe to send again); the union of the
    /// two lists below, plus, from the second pass of `untilDone` on, ids an earlier pass sent.
    pub failed_run_ids: Option<Vec<String>>,
    /// For id lists: ids whose request was sent but never confirmed (the service may have
    /// cancelled them).
    pub unconfirmed_run_ids: Option<Vec<String>>,
    /// For id lists: ids never sent, or sent and refused by an answer: not cancelled by this call.
    pub not_cancelled_run_ids: Option<Vec<String>>,
}

/// A refusal or a failure, with everything a caller needs to react to it. New details may
/// come, so it is built only by the library.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// A sentence for people; never contains the token.
    pub message: String,
    /// The option at fault, for `InvalidOptions`; for `Unfinished`, the option whose limit
    /// stopped the call (`maxPasses` or `maxRequests` for a cancel, `maxPages` for a listing), so
    /// a caller names its own flag or form field without reading the message.
    pub field: Option<String>,
    /// For `Unfinished` at a limit: the figure of the option `field` names (the passes or
    /// requests allowed, all used).
    pub limit: Option<u32>,
    /// For a list option, the position (from 0) of the item at fault.
    pub index: Option<u32>,
    /// The HTTP status, for errors that come from an answer.
    pub status: Option<u16>,
    /// The service's own message (`{"error": ...}` or a text excerpt), token redacted.
    pub server_message: Option<String>,
    /// Rate-limit headers of a 429 (boxed: most errors have none).
    pub rate_limit: Option<Box<RateLimit>>,
    /// For failures after sending began: what had been done (boxed: refusals have none).
    pub partial: Option<Box<Partial>>,
    /// Set by a driver when the request never left (its `fetch` threw before sending), so the
    /// service cannot have acted on it.
    pub(crate) not_sent: bool,
}

impl Error {
    /// The error of a call stopped by the caller's `AbortSignal`.
    pub fn aborted() -> Self {
        Error::new(
            ErrorCode::Aborted,
            "the call was aborted by its AbortSignal".into(),
        )
    }

    /// A refusal of the option `field`; `rule` says what the option must be.
    pub fn invalid(field: &str, rule: impl fmt::Display) -> Self {
        Error {
            message: format!("{field}: {rule}"),
            field: Some(field.to_owned()),
            ..Error::new(ErrorCode::InvalidOptions, String::new())
        }
    }

    /// What the option must be, for `InvalidOptions`: the message without the field (and item),
    /// so a caller that names the option its own way (a flag, a form field) need not edit
    /// messages.
    pub fn rule(&self) -> Option<&str> {
        let field = self.field.as_deref()?;
        let item = self.index.map(|i| format!("[{i}]")).unwrap_or_default();
        self.message
            .strip_prefix(field)?
            .strip_prefix(item.as_str())?
            .strip_prefix(": ")
    }

    /// The same refusal of the item at `index` of the list option it names.
    pub(crate) fn at_item(mut self, index: usize) -> Self {
        // The message starts with the field (see `invalid`): the item goes right after it.
        let field_len = self.field.as_deref().map_or(0, str::len);
        if let Some((field, rule)) = self.message.split_at_checked(field_len) {
            self.message = [field, "[", &index.to_string(), "]", rule].concat();
        }
        self.index = Some(index as u32);
        self
    }

    /// The same stop, naming the option `field` whose limit of `limit` stopped the call.
    pub(crate) fn stopped_at(self, field: &str, limit: u32) -> Self {
        Error {
            field: Some(field.to_owned()),
            limit: Some(limit),
            ..self
        }
    }

    /// The same refusal, naming the option `field` (an environment variable, say).
    pub(crate) fn naming(self, field: &str) -> Self {
        let rule = self.rule().unwrap_or_default().to_owned();
        Error {
            index: self.index,
            ..Error::invalid(field, rule)
        }
    }

    /// An error without field or HTTP details.
    pub fn new(code: ErrorCode, message: String) -> Self {
        Error {
            code,
            message,
            field: None,
            limit: None,
            index: None,
            status: None,
            server_message: None,
            rate_limit: None,
            partial: None,
            not_sent: false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
