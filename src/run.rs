//! One call's bookkeeping: the requests to send (long id lists split into batches), the passes
//! that repeat a cancel until nothing is left, the `count` ceiling, and the tally a success or a
//! stop reports. A driver asks for the next batch, reports each attempt and outcome, and never
//! has to count anything itself.
//!
//! The tally keeps apart what the service confirmed, what was sent without an answer (the
//! service may have acted on it) and what was never sent or was refused, because a person
//! deciding what to do after a stop needs exactly that, and a guess in either direction misleads.

use core::ops::Range;

use serde::Serialize;

use crate::batch::split_ids;
use crate::error::{Error, ErrorCode, Partial};
use crate::execution::Execution;
use crate::http_request::{build, build_ids, HttpRequest};
use crate::limits::{MAX_SAFE_INTEGER, SERVICE_DEFAULT_COUNT};
use crate::request::{CancelRequest, Connection, Target};
use crate::retry::{self, may_have_acted};
use crate::string_list::StringList;

/// `a + b`, saturated at the largest integer a JS number holds exactly: a figure past it could not
/// reach JS as a number, and the error carrying it would lose its details (a hostile server may
/// answer any count).
fn add(a: u64, b: u64) -> u64 {
    a.saturating_add(b).min(MAX_SAFE_INTEGER)
}

/// What one successful request reports to `onProgress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The pass, from 1.
    pub pass: u32,
    /// The batch within the pass, from 1.
    pub batch: usize,
    /// The batches of a pass.
    pub batches: usize,
    /// Runs this request cancelled.
    pub cancelled: u64,
    /// Runs the call has cancelled so far.
    pub total: u64,
}

/// The result of a call that succeeded (`cancelRunsDetailed` in JS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Runs the service confirmed cancelled (the sum of its answers).
    pub cancelled: u64,
    /// HTTP requests sent, retries included.
    pub requests: u32,
    /// Passes made.
    pub passes: u32,
    /// Requests that were retries.
    pub retries: u32,
    /// Requests whose answer was lost (a time-out, a cut connection, an unreadable answer)
    /// before a retry went through: the service may have cancelled runs `cancelled` does not
    /// count.
    pub unconfirmed: u32,
    /// Whether more runs may match: the call stopped at its `count`, or its single pass
    /// (`untilDone: false`) cancelled as many as its cap (the `count` sent, else
    /// [`SERVICE_DEFAULT_COUNT`]) or lost an answer. Never for id lists, nor for a cancel that
    /// ended on a pass that cancelled nothing.
    pub more_may_match: bool,
}

/// Where one batch of the current pass stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    /// Not sent in this pass.
    NotSent,
    /// Sent; `in_flight` while an attempt is out, `maybe_acted` once an attempt failed in a way
    /// that leaves open whether the service acted.
    Sent { in_flight: bool, maybe_acted: bool },
    /// The service answered with a count.
    Confirmed,
}

/// The state of one call.
#[derive(Debug)]
pub struct Run {
    ids: StringList,
    batches: Vec<(HttpRequest, Range<usize>)>,
    standing: Vec<Standing>,
    execution: Execution,
    /// `count`, the ceiling of the whole call (filter and `all` cancels).
    count: Option<u64>,
    /// A count-limited filter cancel, to build each pass's request with what is left of it.
    limited: Option<(Connection, CancelRequest)>,
    /// The count the current pass's request carries.
    pass_count: Option<u64>,
    pass: u32,
    dispatched: usize,
    pass_cancelled: u64,
    summary: Summary,
    /// The counts of the requests that may have cancelled runs without an answer saying so.
    unconfirmed_up_to: u64,
    /// Whether such a request carried no count (then nothing bounds what it may have done).
    unconfirmed_unbounded: bool,
    failure: Option<Error>,
}

impl Run {
    /// Plans the call: one request, or one per batch of a long id list. It takes the request
    /// so that a long id list is moved into the run, not copied.
    pub fn new(connection: &Connection, request: CancelRequest) -> Result<Run, Error> {
        let execution = request.execution.clone();
        let count = request.count;
        let (ids, batches, limited) = match request.target {
            Target::Ids(ids) => {
                let batches = split_ids(connection, &ids, request.encoding)
                    .into_iter()
                    .map(|range| {
                        build_ids(connection, &ids, range.clone(), request.encoding).map(|http| (http, range))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (ids, batches, None)
            }
            // One request with no ids of its own.
            target => {
                let request = CancelRequest { target, ..request };
                let http = build(connection, &request)?;
                let limited = count.is_some().then(|| (connection.clone(), request));
                (StringList::new(), vec![(http, 0..0)], limited)
            }
        };
        Ok(Run {
            ids,
            standing: vec![Standing::NotSent; batches.len()],
            batches,
            execution,
            count,
            limited,
            pass_count: count,
            pass: 1,
            dispatched: 0,
            pass_cancelled: 0,
            summary: Summary::default(),
            unconfirmed_up_to: 0,
            unconfirmed_unbounded: false,
            failure: None,
        })
    }

    /// The batches of one pass.
    pub fn batches(&self) -> usize {
        self.batches.len()
    }

    /// The next batch of this pass to send, or `None` when all are out or the call has failed.
    pub fn next_batch(&mut self) -> Option<usize> {
        if self.failure.is_some() || self.dispatched == self.batches.len() {
            return None;
        }
        self.dispatched += 1;
        Some(self.dispatched - 1)
    }

    /// The request of `batch` (a number [`next_batch`](Run::next_batch) handed out), or `None`
    /// for a batch this run does not have.
    pub fn request(&self, batch: usize) -> Option<&HttpRequest> {
        self.batches.get(batch).map(|(http, _)| http)
    }

    /// Counts an attempt of `batch` about to be sent; `retry` when it repeats a failed one.
    pub fn sending(&mut self, batch: usize, retry: bool) {
        self.summary.requests = self.summary.requests.saturating_add(1);
        self.summary.retries = self.summary.retries.saturating_add(u32::from(retry));
        if let Some(standing) = self.standing.get_mut(batch) {
            let maybe_acted = matches!(
                standing,
                Standing::Sent {
                    maybe_acted: true,
                    ..
                }
            );
            *standing = Standing::Sent {
                in_flight: true,
                maybe_acted,
            };
        }
    }

    /// After an attempt of `batch` failed with `err`: the wait before sending it again, or the
    /// error the batch ends with ([`retry::after_failure`]; a request with a `count` is not sent
    /// again once the service may have acted, so `count` is never exceeded). Notes whether the
    /// service may have acted, for the tally.
    pub fn after_failure(
        &mut self,
        batch: usize,
        retries_done: u32,
        err: Error,
        deadline_at: Option<u64>,
        now_ms: u64,
        random: f64,
    ) -> Result<u64, Error> {
        self.note_attempt_failed(batch, &err);
        let limited = self.pass_count.is_some();
        retry::after_failure(
            &self.execution,
            retries_done,
            err,
            limited,
            deadline_at,
            now_ms,
            random,
        )
    }

    /// Notes that an attempt of `batch` ended with `err`, and whether the service may have acted
    /// on it.
    fn note_attempt_failed(&mut self, batch: usize, err: &Error) {
        let acted = may_have_acted(err);
        if acted {
            self.summary.unconfirmed = self.summary.unconfirmed.saturating_add(1);
            match self.pass_count {
                Some(count) => self.unconfirmed_up_to = add(self.unconfirmed_up_to, count),
                None => self.unconfirmed_unbounded = true,
            }
        }
        if let Some(standing @ Standing::Sent { .. }) = self.standing.get_mut(batch) {
            let before = matches!(
                standing,
                Standing::Sent {
                    maybe_acted: true,
                    ..
                }
            );
            *standing = Standing::Sent {
                in_flight: false,
                maybe_acted: before || acted,
            };
        }
    }

    /// Records that `batch` cancelled `cancelled` runs.
    pub fn succeeded(&mut self, batch: usize, cancelled: u64) -> Progress {
        if let Some(standing) = self.standing.get_mut(batch) {
            *standing = Standing::Confirmed;
        }
        self.pass_cancelled = add(self.pass_cancelled, cancelled);
        self.summary.cancelled = add(self.summary.cancelled, cancelled);
        Progress {
            pass: self.pass,
            batch: batch + 1,
            batches: self.batches.len(),
            cancelled,
            total: self.summary.cancelled,
        }
    }

    /// Records that `batch` failed for good; no further batch is handed out. The first failure
    /// is the one reported, except that an abort always wins (the caller asked for it).
    pub fn failed(&mut self, batch: usize, err: Error) {
        // A driver that reports a failed attempt here directly, without `after_failure`.
        if let Some(Standing::Sent { in_flight: true, .. }) = self.standing.get(batch) {
            self.note_attempt_failed(batch, &err);
        }
        let replace = match &self.failure {
            None => true,
            Some(first) => err.code == ErrorCode::Aborted && first.code != ErrorCode::Aborted,
        };
        if replace {
            self.failure = Some(err);
        }
    }

    /// Called when every batch handed out in this pass has finished: starts the next pass if
    /// the job is not finished (`untilDone`, the pass cancelled something, `count` is not used
    /// up) and `maxPasses` allows it. With a `count`, the next request asks for what is left of it.
    pub fn next_pass(&mut self) -> bool {
        if !self.wants_another_pass() || self.pass >= self.execution.max_passes {
            return false;
        }
        let left = self.left();
        if let (Some((connection, request)), Some(left)) = (&mut self.limited, left) {
            request.count = Some(left);
            match (build(connection, request), self.batches.get_mut(0)) {
                (Ok(http), Some(first)) => first.0 = http,
                (Err(err), _) => {
                    self.failure = Some(err);
                    return false;
                }
                (Ok(_), None) => return false,
            }
            self.pass_count = Some(left);
        }
        self.pass += 1;
        self.dispatched = 0;
        self.pass_cancelled = 0;
        self.standing.fill(Standing::NotSent);
        true
    }

    /// Whether the job is not finished after this pass: `untilDone`, nothing failed, the pass
    /// cancelled something (the service's sign that more may be left), and `count` is not used up.
    fn wants_another_pass(&self) -> bool {
        self.failure.is_none()
            && self.execution.until_done
            && self.pass_cancelled > 0
            && self.left() != Some(0)
    }

    /// What is left of `count`: the runs confirmed, and those unconfirmed requests may have
    /// cancelled, are used up.
    fn left(&self) -> Option<u64> {
        let used = add(self.summary.cancelled, self.unconfirmed_up_to);
        self.count.map(|count| count.saturating_sub(used))
    }

    /// The summary, or the failure with what was done before it. A cancel that still wanted
    /// another pass (`maxPasses` reached) is [`ErrorCode::Unfinished`], never a success. Called
    /// once, when every request has ended (it takes the failure out).
    pub fn finish(&mut self) -> Result<Summary, Error> {
        self.summary.passes = self.pass;
        if self.wants_another_pass() {
            self.failure = Some(self.unfinished());
        }
        let Some(mut err) = self.failure.take() else {
            self.summary.more_may_match = self.more_may_match();
            return Ok(self.summary);
        };
        let mut partial = Partial {
            cancelled: self.summary.cancelled,
            unconfirmed: self.summary.unconfirmed,
            ..Partial::default()
        };
        if self.summary.unconfirmed > 0 && !self.unconfirmed_unbounded {
            partial.unconfirmed_up_to = Some(self.unconfirmed_up_to);
            if self.unconfirmed_up_to > 0 {
                err.message = format!(
                    "{}; the service may have cancelled up to {} runs that no answer confirmed (a request with count is not sent again after such a failure, so count is never exceeded)",
                    err.message, self.unconfirmed_up_to
                );
            }
        }
        if !self.ids.is_empty() {
            self.tally_ids(&mut partial, err.code == ErrorCode::Unfinished);
        }
        err.partial = Some(Box::new(partial));
        Err(err)
    }

    /// Sorts the ids of a stopped id-list cancel: every id not confirmed goes to
    /// `failed_run_ids`, and, in the first pass, also to the unconfirmed or the not-cancelled
    /// list. From the second pass on (and when the pass limit stopped it) an earlier pass sent
    /// every id and its counts do not say which runs it cancelled, so only the complete list is
    /// given.
    fn tally_ids(&self, partial: &mut Partial, unfinished: bool) {
        let (mut failed, mut unconfirmed, mut not_cancelled) = (Vec::new(), Vec::new(), Vec::new());
        let sorted = self.pass == 1 && !unfinished;
        for ((_, range), standing) in self.batches.iter().zip(&self.standing) {
            let mut list = match standing {
                Standing::Confirmed if !unfinished => continue,
                _ if !sorted => None,
                Standing::Sent {
                    in_flight,
                    maybe_acted,
                } if *in_flight || *maybe_acted => Some(&mut unconfirmed),
                _ => Some(&mut not_cancelled),
            };
            for id in self.ids.range(range.clone()) {
                failed.push(id.to_owned());
                if let Some(list) = list.as_mut() {
                    list.push(id.to_owned());
                }
            }
        }
        partial.failed_run_ids = Some(failed);
        if sorted {
            partial.unconfirmed_run_ids = Some(unconfirmed);
            partial.not_cancelled_run_ids = Some(not_cancelled);
        }
    }

    /// Whether more runs may match after a successful call (see [`Summary::more_may_match`]).
    fn more_may_match(&self) -> bool {
        if !self.ids.is_empty() {
            return false;
        }
        if self.left() == Some(0) {
            return true;
        }
        if self.execution.until_done {
            return false;
        }
        let cap = self.pass_count.unwrap_or(SERVICE_DEFAULT_COUNT);
        self.pass_cancelled >= cap || self.summary.unconfirmed > 0
    }

    fn unfinished(&self) -> Error {
        Error::new(
            ErrorCode::Unfinished,
            format!(
                "the cancel stopped at maxPasses ({}) while its last pass still cancelled {} runs, so more may match ({} cancelled in all); raise maxPasses, or run it again",
                self.execution.max_passes, self.pass_cancelled, self.summary.cancelled
            ),
        )
    }
}

/// Properties of the requests a long id list is sent in (proptest runs natively only).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::limits::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};
    use crate::validate::parse_call;
    use crate::value::{Options, Value};

    /// Reverses percent-encoding (the test's own, independent of the library's).
    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).expect("two hex digits"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    }

    proptest::proptest! {
        // Long lists of long ids cost more per case; fewer cases keep this near a second too.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        #[test]
        fn id_lists_split_into_batches_within_the_limits(
            // Printable ASCII but the comma (refused in the query form), and some multi-byte UTF-8.
            ids in proptest::collection::vec("[!-+\\--~é😀]{1,200}", 1..100),
            query in proptest::prelude::any::<bool>(),
            packed in proptest::prelude::any::<bool>(),
        ) {
            let list = match packed {
                true => Value::Strings(ids.iter().map(String::as_str).collect()),
                false => Value::Array(ids.iter().cloned().map(Value::String).collect()),
            };
            let options = Options::new()
                .with("token", "fuzz-token")
                .with("workflowRunIds", list)
                .with("encoding", if query { "query" } else { "body" });
            let (connection, request) = parse_call(&options).expect("valid ids");
            let run = Run::new(&connection, request).expect("every list splits");
            let mut sent = Vec::new();
            for batch in 0..run.batches() {
                let http = run.request(batch).expect("a batch of the run");
                match &http.body {
                    Some(body) => {
                        proptest::prop_assert!(body.len() <= MAX_BODY_BYTES);
                        let Some(crate::json::Json::Object(fields)) = crate::json::parse(body) else { panic!("{body}") };
                        let Some((_, crate::json::Json::Array(items))) = fields.into_iter().next() else { panic!() };
                        proptest::prop_assert!(items.len() <= MAX_IDS_PER_BODY);
                        sent.extend(items.into_iter().map(|item| match item {
                            crate::json::Json::String(s) => s,
                            other => panic!("{other:?}"),
                        }));
                    }
                    None => {
                        proptest::prop_assert!(http.url.len() <= MAX_URL_BYTES);
                        sent.extend(http.url.split("workflowRunIds=").skip(1).map(|v| decode(v.trim_end_matches('&'))));
                    }
                }
            }
            let mut unique = ids.clone();
            let mut seen = std::collections::HashSet::new();
            unique.retain(|id| seen.insert(id.clone()));
            proptest::prop_assert_eq!(sent, unique);
        }
    }
}
