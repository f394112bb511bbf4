//! One call's bookkeeping: the requests to send (long id lists split into batches), the passes
//! of `untilDone`, and the tally a success or a partial failure reports. A driver asks for the
//! next batch, reports each outcome, and never has to count anything itself.

use core::ops::Range;

use serde::Serialize;

use crate::error::{Error, ErrorCode, Partial};
use crate::execution::Execution;
use crate::http_request::{build, build_ids, percent_encoded_len, HttpRequest, MAX_URL_BYTES};
use crate::json::string_len;
use crate::request::{CancelRequest, Connection, Encoding, Target};
use crate::string_list::StringList;

/// The most ids one body-form request carries.
pub const MAX_IDS_PER_BODY: usize = 1_000;
/// The largest body-form request body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
pub struct Summary {
    /// Runs cancelled in all.
    pub cancelled: u64,
    /// HTTP requests sent, retries included.
    pub requests: u32,
    /// Passes made (1 unless `untilDone`).
    pub passes: u32,
    /// Requests that were retries.
    pub retries: u32,
}

/// The state of one call.
#[derive(Debug)]
pub struct Run {
    ids: StringList,
    batches: Vec<(HttpRequest, Range<usize>)>,
    until_done: bool,
    max_passes: u32,
    pass: u32,
    dispatched: usize,
    pass_cancelled: u64,
    summary: Summary,
    failed: Vec<usize>,
    failure: Option<Error>,
}

impl Run {
    /// Plans the call: one request, or one per batch of a long id list. It takes the request
    /// so that a long id list is moved into the run, not copied.
    pub fn new(connection: &Connection, request: CancelRequest) -> Result<Run, Error> {
        let Execution {
            until_done,
            max_passes,
            ..
        } = request.execution;
        let (ids, batches) = match request.target {
            Target::Ids(ids) => {
                let batches = split_ids(connection, &ids, request.encoding)
                    .into_iter()
                    .map(|range| {
                        build_ids(connection, &ids, range.clone(), request.encoding).map(|http| (http, range))
                    })
                    .collect::<Result<_, _>>()?;
                (ids, batches)
            }
            // One request with no ids of its own.
            _ => (StringList::new(), vec![(build(connection, &request)?, 0..0)]),
        };
        Ok(Run {
            ids,
            batches,
            until_done,
            max_passes,
            pass: 1,
            dispatched: 0,
            pass_cancelled: 0,
            summary: Summary::default(),
            failed: Vec::new(),
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

    /// Counts a request about to be sent; `retry` when it repeats a failed attempt.
    pub fn sending(&mut self, retry: bool) {
        self.summary.requests += 1;
        self.summary.retries += u32::from(retry);
    }

    /// Records that `batch` cancelled `cancelled` runs.
    pub fn succeeded(&mut self, batch: usize, cancelled: u64) -> Progress {
        self.pass_cancelled += cancelled;
        self.summary.cancelled += cancelled;
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
        if !self.failed.contains(&batch) {
            self.failed.push(batch);
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
    /// `untilDone` asks for one (the last pass cancelled something and passes remain).
    pub fn next_pass(&mut self) -> bool {
        let again = self.failure.is_none()
            && self.until_done
            && self.pass_cancelled > 0
            && self.pass < self.max_passes;
        if again {
            self.pass += 1;
            self.dispatched = 0;
            self.pass_cancelled = 0;
        }
        again
    }

    /// The summary, or the failure with what was done before it: the runs cancelled and, for
    /// id lists, the ids of every batch of the failing pass that did not succeed. Called once,
    /// when every request has ended (it takes the failure out).
    pub fn finish(&mut self) -> Result<Summary, Error> {
        self.summary.passes = self.pass;
        let Some(mut err) = self.failure.take() else {
            return Ok(self.summary);
        };
        let failed_run_ids = (!self.ids.is_empty()).then(|| {
            let not_done = |b: usize| b >= self.dispatched || self.failed.contains(&b);
            (self.batches.iter().enumerate())
                .filter(|&(b, _)| not_done(b))
                .flat_map(|(_, (_, ids))| self.ids.range(ids.clone()).map(str::to_owned))
                .collect()
        });
        err.partial = Some(Box::new(Partial {
            cancelled: self.summary.cancelled,
            failed_run_ids,
        }));
        Err(err)
    }
}

/// Splits `ids` into consecutive ranges whose requests stay under [`MAX_URL_BYTES`] of URL (query
/// form) or [`MAX_BODY_BYTES`] and [`MAX_IDS_PER_BODY`] (body form).
pub(crate) fn split_ids(connection: &Connection, ids: &StringList, encoding: Encoding) -> Vec<Range<usize>> {
    // Bytes every request has, bytes each id adds besides its encoding, the limits.
    let (fixed, per_id, limit, max_ids, encoded_len): (_, _, _, _, fn(&str) -> usize) = match encoding {
        Encoding::Query => (
            connection.base_url.endpoint().len(),
            "?workflowRunIds=".len(),
            MAX_URL_BYTES,
            usize::MAX,
            percent_encoded_len,
        ),
        Encoding::Body => (
            r#"{"workflowRunIds":[]}"#.len(),
            ",".len(),
            MAX_BODY_BYTES,
            MAX_IDS_PER_BODY,
            string_len,
        ),
    };
    let mut ranges = Vec::new();
    let (mut start, mut used) = (0, fixed);
    for (i, id) in ids.iter().enumerate() {
        let cost = encoded_len(id) + per_id;
        if i > start && (used + cost > limit || i - start == max_ids) {
            ranges.push(start..i);
            start = i;
            used = fixed;
        }
        used += cost;
    }
    ranges.push(start..ids.len());
    ranges
}

/// Properties of the splitting (proptest runs natively only).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
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
