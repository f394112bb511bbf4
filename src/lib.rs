//! The core of qstash-cancel: bulk-cancel Upstash Workflow runs safely, with no I/O.
//!
//! The npm package (`pkg/`, its README) is this crate compiled to WebAssembly; this page is for
//! Rust users, who send the requests with their own HTTP client (in a workers-rs Worker,
//! `worker::Fetch`).
//!
//! - [`CancelRuns`] and [`Filters`] build a cancel; `check()` applies the same rules as the JS
//!   options and names the field of every refusal. Only the rules make a [`CancelRequest`] (its
//!   fields are private), so a checked request is never emptied into a cancel-all by accident.
//! - [`Account::new`] or [`from_env`] say where requests go and with which token (its
//!   `Debug` is redacted, and it is withheld from every error).
//! - [`Cancellation`] is the whole call as a state machine with no I/O and no clock: it hands out
//!   requests (built only when handed out, so a long list is held once), keeps at most
//!   `concurrency` in flight, decides retries and their waits (a request with `count` is never
//!   sent twice), stops at the deadline, stops every batch once one has failed for good, repeats
//!   filter cancels until nothing is left, and tallies what was confirmed, unconfirmed and not
//!   sent. A driver is a loop around any HTTP client; the wasm build's is the same loop around
//!   `fetch`.
//! - The other calls speak the same driver contract, the [`Machine`] trait ([`Step`],
//!   [`Transmit`], [`Failure`], then `finish`), so one driver carries out every call: an [`Exchange`] is one request and its
//!   answer, retried (a background start, the read of a bulk action or of a page of them), an
//!   [`ActionWait`] reads a bulk action every `pollMs` until it finishes, an [`ActionListing`]
//!   pages through every bulk action. The wasm build's driver (`src/wasm/js/drive.js`) is one
//!   loop for all of them.
//! - [`bulk_actions`]: cancels the service carries out in the background, and their readings.
//! - [`limits`]: every figure the library holds a call, a request or an answer to.
//!
//! A driver, here with an answer that is lost once and a deadline:
//!
//! ```rust
//! use qstash_cancel::{CancelRuns, Cancellation, Account, Failure, HttpResponse, Machine, Step};
//!
//! let account = Account::new("my-token", None)?; // or from_env(...) in a Worker
//! let ids: Vec<String> = (0..2_500).map(|i| format!("wfr_{i}")).collect();
//! let request = CancelRuns::ids(&ids).deadline_ms(60_000).check()?;
//! let mut now = 0; // your clock, in milliseconds
//! let mut call = Cancellation::new(&account, request, now, 7 /* a random seed */)?;
//! assert_eq!(call.requests_per_pass(), 8); // each URL stays under 8,000 bytes
//! let mut attempts = 0;
//! loop {
//!     match call.poll(now) {
//!         Step::Send(transmit) => {
//!             // Send transmit.request() (method, url, headers, body) within transmit.limit_ms() ms, then
//!             // hand the transmit back with what happened. Here the first attempt times out:
//!             attempts += 1;
//!             if attempts == 1 {
//!                 call.on_failure(transmit, Failure::TimedOut, now)?;
//!                 continue;
//!             }
//!             let sent = transmit.request().url.matches("workflowRunIds=").count();
//!             let answer = HttpResponse { status: 200, body: format!(r#"{{"cancelled":{sent}}}"#), ..Default::default() };
//!             call.on_response(transmit, &answer, now)?; // the progress of this batch, if it cancelled
//!         }
//!         // Sleep until then, or until an answer of a request in flight arrives.
//!         Step::Wait(until) => now = until.unwrap_or(now),
//!         Step::Done => break,
//!     }
//! }
//! let summary = call.finish()?;
//! // 8 batches, one of them sent twice; the lost answer may have cancelled runs: said, not hidden.
//! assert_eq!((summary.cancelled, summary.requests, summary.retries, summary.unconfirmed), (2_500, 9, 1, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What a driver owes the call, and what the call does when it is not paid (the wasm build's
//! driver, `src/wasm/`, pays each of these):
//! - Send [`Transmit::request`] as it is (method, URL, headers, body) and **do not follow
//!   redirects**: hand a 3xx answer back as it came. A followed redirect sends the token and the
//!   `DELETE` again to wherever `Location` points (a 303 turns it into a `GET`); the call takes a
//!   3xx for the [`ErrorCode::HttpError`] it is and never retries it. Most clients follow by
//!   default: reqwest up to 10 redirects unless its client is built with
//!   `.redirect(reqwest::redirect::Policy::none())`; `fetch` (and workers-rs's `Fetch`) unless
//!   the request's `redirect` is `"manual"` (`RequestRedirect::Manual`).
//! - End each attempt at its time limit, [`Transmit::limit_ms`] milliseconds after it started,
//!   sending and reading the whole answer included, and hand it back as [`Failure::TimedOut`].
//!   The limit is `timeoutMs`, or less when the call's deadline comes first; without it a server
//!   that takes the request and never finishes its answer holds the call for good. With reqwest:
//!   `.timeout(Duration::from_millis(transmit.limit_ms()))` on the request.
//! - Read at most [`HttpRequest::max_answer_bytes`] of each answer (a cancel's, a bulk
//!   action's, a page's: each request says how much the service's answer to it can be) and set
//!   [`HttpResponse::cut`] when more was left unread; a cut answer is refused, never guessed at.
//! - Hand each [`Transmit`]'s outcome back once, to the call that made it. A transmit can only
//!   come from [`Cancellation::poll`] and goes back once (it is not `Clone`), so an outcome
//!   cannot be reported for a request never sent, nor twice; it carries its call's identity, so
//!   another call refuses it with [`ForeignTransmit`] (which gives it back) and is left as it was.
//!   Say [`Failure::NotSent`] only when the client is sure the request never left (a DNS
//!   failure, a refused connection): it may then be sent again even with `count`.
//! - Call [`Cancellation::finish`] only once `poll` has said [`Step::Done`]. It takes the call,
//!   so a result is not read twice; called earlier, the call is not done and does not say so: it
//!   fails with [`ErrorCode::Unfinished`] (without a `field`: no limit stopped it), counting the
//!   requests in flight as unconfirmed and the batches not sent as not cancelled.
//! - Carry out a background cancel (`async`) with [`Exchange::start`]: [`Cancellation::new`]
//!   refuses it, since its answer is an action id and not a count, and a start is never sent
//!   again once the service may have acted on it (a copy would start a second bulk action).
//!
//! Why a call stopped is data: [`Error::code`] says what kind of stop, and an
//! [`ErrorCode::Unfinished`] stopped at a limit names the option in [`Error::field`]
//! (`maxPasses` or `maxRequests`) and its figure in [`Error::limit`], so a caller names its own
//! flag or form field without reading [`Error::message`], which is for people.
//!
//! Time is an input (milliseconds on the clock the
//! driver uses; Unix milliseconds, since `Retry-After` dates and rate-limit resets are given on
//! that clock) and so is randomness (the seed of the retry jitter), so every decision can be
//! tested without a network: `tests/simulation.rs` runs whole calls against a simulated service
//! and clock.
#![deny(missing_docs)]

// The layers, each importing only those listed before it (scripts/module-cycles.mjs checks it):
// the figures and the error type every layer shares; text and its encodings; the rules that check
// what a call asks for; the service's wire format; the call as a state machine; the wasm adapter.
// The modules are private but `limits`, and what callers use is re-exported here, one path per
// item.
mod call;
mod error;
pub mod limits;
mod rules;
mod text;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
mod wire;

pub use call::action_listing::ActionListing;
pub use call::action_wait::ActionWait;
pub use call::cancellation::{Cancellation, Progress, Summary};
pub use call::exchange::Exchange;
pub use call::retry::{NOT_DONE_STATUSES, RETRIED_STATUSES};
pub use call::transmit::{Failure, ForeignTransmit, Machine, Step, Transmit};
pub use error::{Error, ErrorCode, Partial, RateLimit};
pub use rules::account::Account;
pub use rules::base_url::{BaseUrl, DEFAULT_BASE_URL, ENDPOINT_PATH};
pub use rules::builder::CancelRuns;
pub use rules::call_options::{
    CallOptions, RetryPolicy, DEFAULT_CONCURRENCY, DEFAULT_MAX_PASSES, DEFAULT_TIMEOUT_MS,
};
pub use rules::env::{from_env, ENV_VARIABLES, REGIONS};
pub use rules::request::{CancelRequest, Encoding, Filters, Target};
pub use rules::token::Token;
pub use text::string_list::StringList;
pub use wire::http_request::{build, HttpRequest, CANCEL_ALL_HEADER};
pub use wire::response::{interpret, HttpResponse, READ_HEADERS};

/// Bulk actions, the cancels the service carries out in the background: starting one (a
/// checked request with `async`, carried out by [`Exchange::start`]), reading one or a page of
/// them ([`Exchange::action`], [`Exchange::page`]), waiting for one ([`ActionWait`]) and listing
/// them all ([`ActionListing`]); and the requests and answers those machines send and read.
pub mod bulk_actions {
    pub use crate::rules::bulk_read::{
        action_id_rule, ActionState, ListQuery, DEFAULT_MAX_PAGES, DEFAULT_POLL_MS,
    };
    pub use crate::wire::bulk_action::{
        get_request, list_request, read_action, read_page, read_started, BulkAction, BulkActionPage,
        BULK_ACTIONS_PATH,
    };
}

/// The options as the npm package takes them (JS values, by their JS names), checked by the same
/// rules as the typed API above. The wasm layer reads JS objects into these; integration tests
/// drive the rules through them. Not part of the Rust API: build requests with [`CancelRuns`]
/// and [`Filters`] instead.
#[doc(hidden)]
pub mod js {
    pub use crate::limits::MAX_OPTION_KEYS;
    pub use crate::rules::token::{LEAK_PIECE, WITHHELD};
    pub use crate::rules::validate::{
        parse_bulk_read, parse_call, parse_connection, parse_env_options, parse_request, BulkRead, ReadKind,
        BULK_ACTION_KEYS, BULK_LIST_KEYS, CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS,
    };
    pub use crate::rules::value::{Options, Value};
}
