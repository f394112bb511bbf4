//! How a call is carried out: retries, time limits, concurrency, repeated passes and the
//! request budget. Checked with the other options; the call machine (and, for the one-request
//! reads, the wasm layer) follows them. [`CallOptions`] is named for what it holds, the options
//! of one call, and not for an execution: nothing in it runs.

/// The default number of requests in flight for a long id list: small, so a bulk cancel during
/// an incident does not itself trip the service's burst rate limit.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The default `timeoutMs`. An answer of this endpoint takes well under a second; a server that
/// accepts the request and then never finishes its answer must not hold a call forever.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// The default `maxPasses`: a safety stop, not a cap. At the service's 100 runs a call it lets a
/// cancel reach 99,900 runs; a cancel stopped by it fails with `UNFINISHED`, never as done.
pub const DEFAULT_MAX_PASSES: u32 = 1_000;

/// The checked options of how one call is carried out (the JS options `retry`, `timeoutMs`,
/// `deadlineMs`, `concurrency`, `untilDone`, `maxPasses`, `maxRequests`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallOptions {
    /// `retry`: the policy (or [`RetryPolicy::NONE`] for `retry: false`).
    pub retry: RetryPolicy,
    /// `timeoutMs`: the limit of one attempt, sending and reading included.
    pub timeout_ms: u64,
    /// `deadlineMs`: the limit of the whole call, retries and waits included.
    pub deadline_ms: Option<u64>,
    /// `concurrency`: requests in flight at once for a split id list.
    pub concurrency: usize,
    /// `untilDone`: repeat passes until one cancels nothing (the default for filter and `all`
    /// cancels; id lists default to one pass).
    pub until_done: bool,
    /// `maxPasses`: the most passes a repeating cancel makes.
    pub max_passes: u32,
    /// `maxRequests`: the most HTTP requests the call may send, retries and passes included
    /// (a Cloudflare Worker's subrequest budget); `None` sets no cap.
    pub max_requests: Option<u32>,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            retry: RetryPolicy::default(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            deadline_ms: None,
            concurrency: DEFAULT_CONCURRENCY,
            until_done: false,
            max_passes: DEFAULT_MAX_PASSES,
            max_requests: None,
        }
    }
}

/// How failed attempts are retried.
///
/// The defaults are chosen for an incident, when bulk cancels are run: the service may be
/// overloaded or rate-limiting, and giving up after one blip would leave runaway runs going.
/// Five retries with exponential backoff from 250 ms, capped at 8 s, ride out about 15 s of
/// trouble on average (at most 23 s of backoff in the worst case, plus waits a 429 asks for),
/// while a dead endpoint still fails within a minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub retries: u32,
    /// The backoff before the first retry; doubled for each further one.
    pub base_delay_ms: u64,
    /// The largest backoff.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 5,
            base_delay_ms: 250,
            max_delay_ms: 8_000,
        }
    }
}

impl RetryPolicy {
    /// Never retry (`retry: false`).
    pub const NONE: RetryPolicy = RetryPolicy {
        retries: 0,
        base_delay_ms: 0,
        max_delay_ms: 0,
    };
}
