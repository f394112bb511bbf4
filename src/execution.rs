//! How a call is carried out: retries, time limits, concurrency and repeated passes. Checked
//! with the other options; the wasm layer (or any other driver) follows it.

use crate::retry::RetryPolicy;

/// The default number of requests in flight for a long id list: small, so a bulk cancel during
/// an incident does not itself trip the service's burst rate limit.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The largest accepted `concurrency`.
pub const MAX_CONCURRENCY: usize = 16;
/// The default `timeoutMs`. An answer of this endpoint takes well under a second; a server that
/// accepts the request and then never finishes its answer must not hold a call forever.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// The default `maxPasses`: a safety stop, not a cap. At the service's 100 runs a call it lets a
/// cancel reach 99,900 runs; a cancel stopped by it fails with `UNFINISHED`, never as done.
pub const DEFAULT_MAX_PASSES: u32 = 1_000;
/// The largest accepted `maxPasses`.
pub const MAX_PASSES: u32 = 100_000;

/// The checked execution options of one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
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
}

impl Default for Execution {
    fn default() -> Self {
        Execution {
            retry: RetryPolicy::default(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            deadline_ms: None,
            concurrency: DEFAULT_CONCURRENCY,
            until_done: false,
            max_passes: DEFAULT_MAX_PASSES,
        }
    }
}
