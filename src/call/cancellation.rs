//! One cancel call from start to finish, as a state machine with no I/O and no clock.
//!
//! [`Cancellation`] owns everything a call decides: which request goes out next (a long id list
//! in batches, built only when handed out), how many are in flight, retries and their waits, the
//! deadline, passes that repeat a filter cancel until nothing is left, the `count` ceiling,
//! stopping every batch once one has failed for good, and the exact tally a success or a stop
//! reports. A driver only moves bytes: it asks [`Cancellation::poll`] what to do, sends each
//! [`Transmit`] with any HTTP client, hands back the answer or the failure, and sleeps when told
//! to. Time (milliseconds) and randomness (a seed) are inputs, so every decision is testable
//! without a network or a timer (`tests/simulation.rs`).
//!
//! The tally keeps apart what the service confirmed, what was sent without an answer (the
//! service may have acted on it) and what was never sent or was refused, because a person
//! deciding what to do after a stop needs exactly that, and a guess in either direction misleads.

use core::ops::Range;

use serde::Serialize;

use crate::call::retry::{after_failure, attempt_limit, may_have_acted};
use crate::call::transmit::{next_call, next_random, Failure, ForeignTransmit, Machine, Step, Transmit};
use crate::error::{Error, ErrorCode, Partial};
use crate::limits::{MAX_SAFE_INTEGER, SERVICE_DEFAULT_COUNT};
use crate::rules::account::Account;
use crate::rules::call_options::CallOptions;
use crate::rules::request::{CancelRequest, Encoding, Target};
use crate::text::json;
use crate::text::string_list::StringList;
use crate::wire::batch::split_ids;
use crate::wire::http_request::{build, build_ids, HttpRequest};
use crate::wire::response::{interpret, HttpResponse};

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

impl Progress {
    /// The progress as a JSON object, as `onProgress` receives it.
    pub fn to_json(&self) -> String {
        json::object(&[
            ("pass", &self.pass),
            ("batch", &self.batch),
            ("batches", &self.batches),
            ("cancelled", &self.cancelled),
            ("total", &self.total),
        ])
    }
}

impl Summary {
    /// The summary as a JSON object, as `cancelRunsDetailed` resolves to it.
    pub fn to_json(&self) -> String {
        json::object(&[
            ("cancelled", &self.cancelled),
            ("requests", &self.requests),
            ("passes", &self.passes),
            ("retries", &self.retries),
            ("unconfirmed", &self.unconfirmed),
            ("moreMayMatch", &self.more_may_match),
        ])
    }
}

/// Where one batch stands in the current pass.
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

/// One batch of the current pass: where it stands and its retries.
#[derive(Clone, Copy, Debug)]
struct Batch {
    standing: Standing,
    retries_done: u32,
}

/// The state of one cancel call. See the module documentation for how a driver uses it.
#[derive(Debug)]
pub struct Cancellation {
    /// Its identity, which every [`Transmit`] it hands out carries.
    id: u64,
    account: Account,
    /// The request, its id list moved into `ids` (a filter or `all` request keeps its target and
    /// is built for each pass with what is left of `count`).
    request: CancelRequest,
    ids: StringList,
    /// The slice of `ids` each batch sends (one empty range for a filter or `all` cancel).
    ranges: Vec<Range<usize>>,
    batches: Vec<Batch>,
    /// Batches waiting to be sent again, with the time they are due.
    retrying: Vec<(usize, u64)>,
    call_options: CallOptions,
    deadline_at: Option<u64>,
    random: u64,
    /// `count`, the ceiling of the whole call (each pass's request carries what is left of it).
    count: Option<u64>,
    pass: u32,
    /// The next batch of this pass never handed out.
    next_batch: usize,
    in_flight: usize,
    pass_cancelled: u64,
    summary: Summary,
    /// The counts of the requests that may have cancelled runs without an answer saying so.
    unconfirmed_up_to: u64,
    /// Whether such a request carried no count (then nothing bounds what it may have done).
    unconfirmed_unbounded: bool,
    failure: Option<Error>,
}

impl Cancellation {
    /// Plans the call at time `now_ms` (the deadline counts from it): splits a long id list into
    /// batches (their requests are built when handed out, so memory holds the list once) and
    /// checks that a filter request can be built. `seed` drives the jitter of retry waits.
    ///
    /// A background cancel (`async`) is refused: it is one request whose answer is the id of the
    /// bulk action the service started, not a count; send [`build`]'s request and read its
    /// answer with [`read_started`](crate::bulk_actions::read_started).
    pub fn new(account: &Account, request: CancelRequest, now_ms: u64, seed: u64) -> Result<Self, Error> {
        if request.background {
            return Err(Error::invalid(
                "async",
                "is a bulk action, whose answer is its id, not a count: send build()'s request and read it with read_started",
            ));
        }
        let (ids, ranges, request) = match request.target {
            Target::Ids(ids) => {
                let ranges = split_ids(account, &ids, request.encoding);
                if let Some(max) = request
                    .call_options
                    .max_requests
                    .filter(|max| ranges.len() > *max as usize)
                {
                    return Err(over_budget(account, &ids, ranges.len(), max, request.encoding));
                }
                let rest = CancelRequest {
                    target: Target::Ids(StringList::new()),
                    ..request
                };
                (ids, ranges, rest)
            }
            _ => {
                build(account, &request)?;
                (StringList::new(), core::iter::once(0..0).collect(), request)
            }
        };
        Ok(Cancellation {
            id: next_call(),
            account: account.clone(),
            batches: vec![
                Batch {
                    standing: Standing::NotSent,
                    retries_done: 0
                };
                ranges.len()
            ],
            ids,
            ranges,
            retrying: Vec::new(),
            call_options: request.call_options.clone(),
            deadline_at: request
                .call_options
                .deadline_ms
                .map(|ms| now_ms.saturating_add(ms)),
            // xorshift must not start at zero.
            random: seed | 1,
            count: request.count,
            request,
            pass: 1,
            next_batch: 0,
            in_flight: 0,
            pass_cancelled: 0,
            summary: Summary::default(),
            unconfirmed_up_to: 0,
            unconfirmed_unbounded: false,
            failure: None,
        })
    }

    /// The requests one pass sends (batches of an id list; 1 for a filter or `all` cancel).
    pub fn requests_per_pass(&self) -> usize {
        self.ranges.len()
    }

    /// The first request, built without sending anything (a preview).
    pub fn first_request(&self) -> Result<HttpRequest, Error> {
        self.build(0)
    }
}

impl Machine for Cancellation {
    type Report = Progress;
    type Output = Summary;

    /// What to do at time `now_ms`: send a request, wait, or take the result.
    fn poll(&mut self, now_ms: u64) -> Step {
        loop {
            if self.failure.is_some() {
                // A final failure stops the call: nothing new goes out, waiting retries are
                // dropped, and only answers already on their way are awaited.
                self.retrying.clear();
                return if self.in_flight > 0 {
                    Step::Wait(None)
                } else {
                    Step::Done
                };
            }
            // A batch waiting to be sent again keeps its place among the `concurrency` (the
            // service may have asked everyone to wait), and goes out when it is due.
            let due = self.retrying.iter().position(|(_, at)| *at <= now_ms);
            let busy = self.in_flight + self.retrying.len();
            let batch = match due {
                Some(i) => Some(self.retrying.swap_remove(i).0),
                None if busy < self.call_options.concurrency && self.next_batch < self.ranges.len() => {
                    self.next_batch += 1;
                    Some(self.next_batch - 1)
                }
                None => None,
            };
            if let Some(batch) = batch {
                if self.requests_used_up() {
                    self.fail(self.out_of_requests());
                    continue;
                }
                match self.transmit(batch, now_ms) {
                    Ok(transmit) => return Step::Send(transmit),
                    Err(err) => {
                        self.fail(err);
                        continue;
                    }
                }
            }
            if busy > 0 {
                return Step::Wait(self.retrying.iter().map(|(_, at)| *at).min());
            }
            if !self.next_pass() {
                return Step::Done;
            }
        }
    }

    /// The stop the caller asked for (its `AbortSignal`): nothing more is sent, and the call ends
    /// with [`ErrorCode::Aborted`] once the requests in flight are handed back, ended by the
    /// driver ([`Failure::Aborted`]) or finished (an answer that does arrive is still counted).
    fn abort(&mut self) {
        self.fail(Error::aborted());
    }

    /// The answer to `transmit` came in at `now_ms`. A count is confirmed and reported (for
    /// `onProgress`); any other answer is a failure, retried or final as for
    /// [`on_failure`](Cancellation::on_failure). A transmit this call did not hand out is refused.
    fn on_response(
        &mut self,
        transmit: Transmit,
        response: &HttpResponse,
        now_ms: u64,
    ) -> Result<Option<Progress>, ForeignTransmit> {
        let batch = self.own(transmit)?;
        let most = self.most_cancelled(batch);
        Ok(match interpret(response, &self.account.token) {
            Ok(cancelled) if most.is_some_and(|most| cancelled > most) => {
                // Past a filter's `count` (deprecated in the newest docs), the service may have
                // ignored it: then `count` bounds nothing it did, and no bound is claimed.
                let ignored = self.ids.is_empty();
                let unless = if ignored {
                    " if the service honours count (it may ignore it: nothing bounds what it cancelled)"
                } else {
                    ""
                };
                let err = Error {
                    status: Some(response.status),
                    ..Error::new(
                        ErrorCode::InvalidResponse,
                        format!(
                            "the service answered {} with a count of {cancelled} for a request that could cancel at most {} runs{unless}: the count is not taken",
                            response.status,
                            most.unwrap_or_default()
                        ),
                    )
                };
                self.attempt_failed(batch, err, now_ms);
                self.unconfirmed_unbounded |= ignored;
                None
            }
            Ok(cancelled) => Some(self.succeeded(batch, cancelled)),
            Err(err) => {
                self.attempt_failed(batch, err, now_ms);
                None
            }
        })
    }

    /// `transmit` got no answer: the batch waits to be sent again if the retry policy, the
    /// deadline and `count` allow it, else the call stops (the first final failure is the one
    /// reported; an abort always wins, since the caller asked for it). The token is withheld
    /// from the client's message. A transmit this call did not hand out is refused.
    fn on_failure(
        &mut self,
        transmit: Transmit,
        failure: Failure,
        now_ms: u64,
    ) -> Result<(), ForeignTransmit> {
        let err = failure.into_error(&transmit, &self.account.token);
        let batch = self.own(transmit)?;
        self.attempt_failed(batch, err, now_ms);
        Ok(())
    }

    /// The summary, or the failure with what was done before it. A cancel that still wanted
    /// another pass (`maxPasses` reached) is [`ErrorCode::Unfinished`], never a success.
    ///
    /// A driver calls it once [`poll`](Cancellation::poll) has said [`Step::Done`]. Called
    /// earlier (a driver that stopped), the call is not reported as done: it fails with
    /// [`ErrorCode::Unfinished`] (or the failure it already had), the requests still in flight
    /// count as unconfirmed (the service may act on them) and the batches not sent as not
    /// cancelled.
    fn finish(mut self) -> Result<Summary, Error> {
        if !self.is_done() {
            self.stop_early();
        }
        self.summary.passes = self.pass;
        let unfinished = self.wants_another_pass();
        if unfinished {
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
            self.tally_ids(&mut partial, unfinished);
        }
        err.partial = Some(Box::new(partial));
        Err(err)
    }
}

impl Cancellation {
    /// The batch of `transmit`, if this call handed it out; else the refusal that gives it back.
    fn own(&self, transmit: Transmit) -> Result<usize, ForeignTransmit> {
        match transmit.call == self.id {
            true => Ok(transmit.slot),
            false => Err(ForeignTransmit(transmit)),
        }
    }

    /// An attempt of `batch` ended with `err`: see [`on_failure`](Cancellation::on_failure).
    fn attempt_failed(&mut self, batch: usize, err: Error, now_ms: u64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.note_attempt_failed(batch, may_have_acted(&err));
        if self.failure.is_some() {
            return self.fail(err);
        }
        let retries_done = self.batches.get(batch).map_or(0, |b| b.retries_done);
        let limited = self.request.count.is_some();
        let random = next_random(&mut self.random);
        // With `maxRequests` used up, a retry the policy wants is not sent: the error says so.
        let used_up = self.requests_used_up().then(|| err.clone());
        let decided = after_failure(
            &self.call_options,
            retries_done,
            err,
            limited,
            self.deadline_at,
            now_ms,
            random,
        );
        match (decided, used_up) {
            (Ok(_), Some(mut err)) => {
                err.message = format!(
                    "{}; not sent again: the call used all {} requests maxRequests allows",
                    err.message,
                    self.call_options.max_requests.unwrap_or(0)
                );
                self.fail(err);
            }
            (Ok(delay), None) => {
                if let Some(b) = self.batches.get_mut(batch) {
                    b.retries_done += 1;
                }
                self.retrying.push((batch, now_ms.saturating_add(delay)));
            }
            (Err(err), _) => self.fail(err),
        }
    }

    /// Whether the call has sent as many requests as `maxRequests` allows.
    fn requests_used_up(&self) -> bool {
        self.call_options
            .max_requests
            .is_some_and(|max| self.summary.requests >= max)
    }

    /// The stop of a call that wanted another request after `maxRequests` was used up: like
    /// `maxPasses`, never reported as done.
    fn out_of_requests(&self) -> Error {
        let what = match self.ids.is_empty() {
            true => "while its passes were still cancelling runs, so more may match",
            false => "with requests of the list not sent (their ids are in failedRunIds)",
        };
        let max = self.call_options.max_requests.unwrap_or(0);
        Error::new(
            ErrorCode::Unfinished,
            format!(
                "the call used all {max} requests maxRequests allows {what} ({} cancelled in all); raise maxRequests, or run the call again",
                self.summary.cancelled
            ),
        )
        .stopped_at("maxRequests", max)
    }

    /// The request of `batch`, built now.
    fn build(&self, batch: usize) -> Result<HttpRequest, Error> {
        match self.ranges.get(batch) {
            Some(range) if !self.ids.is_empty() => {
                build_ids(&self.account, &self.ids, range.clone(), self.request.encoding)
            }
            _ => build(&self.account, &self.request),
        }
    }

    /// Hands `batch` out for an attempt: its request with the attempt's time limit.
    fn transmit(&mut self, batch: usize, now_ms: u64) -> Result<Transmit, Error> {
        let limit_ms = attempt_limit(&self.call_options, self.deadline_at, now_ms)?;
        let request = self.build(batch)?;
        let Some(state) = self.batches.get_mut(batch) else {
            return Err(Error::new(ErrorCode::InvalidOptions, "no such batch".into()));
        };
        let maybe_acted = matches!(
            state.standing,
            Standing::Sent {
                maybe_acted: true,
                ..
            }
        );
        state.standing = Standing::Sent {
            in_flight: true,
            maybe_acted,
        };
        self.summary.requests = self.summary.requests.saturating_add(1);
        self.summary.retries = self
            .summary
            .retries
            .saturating_add(u32::from(state.retries_done > 0));
        self.in_flight += 1;
        Ok(Transmit {
            call: self.id,
            slot: batch,
            request,
            limit_ms,
        })
    }

    /// Records that `batch` cancelled `cancelled` runs.
    fn succeeded(&mut self, batch: usize, cancelled: u64) -> Progress {
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(b) = self.batches.get_mut(batch) {
            b.standing = Standing::Confirmed;
        }
        self.pass_cancelled = add(self.pass_cancelled, cancelled);
        self.summary.cancelled = add(self.summary.cancelled, cancelled);
        Progress {
            pass: self.pass,
            batch: batch + 1,
            batches: self.ranges.len(),
            cancelled,
            total: self.summary.cancelled,
        }
    }

    /// Notes that an attempt of `batch` ended without a count, and whether the service may have
    /// `acted` on it.
    fn note_attempt_failed(&mut self, batch: usize, acted: bool) {
        if acted {
            self.summary.unconfirmed = self.summary.unconfirmed.saturating_add(1);
            match self.request.count {
                Some(count) => self.unconfirmed_up_to = add(self.unconfirmed_up_to, count),
                None => self.unconfirmed_unbounded = true,
            }
        }
        if let Some(Batch {
            standing: standing @ Standing::Sent { .. },
            ..
        }) = self.batches.get_mut(batch)
        {
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

    /// Stops the call with `err`: the first failure is the one reported, except that an abort
    /// always wins.
    fn fail(&mut self, err: Error) {
        let replace = match &self.failure {
            None => true,
            Some(first) => err.code == ErrorCode::Aborted && first.code != ErrorCode::Aborted,
        };
        if replace {
            self.failure = Some(err);
        }
    }

    /// Called when every batch of this pass has ended: starts the next pass if the job is not
    /// finished (`untilDone`, the pass cancelled something, `count` is not used up) and
    /// `maxPasses` allows it. With a `count`, the next request asks for what is left of it.
    fn next_pass(&mut self) -> bool {
        if !self.another_pass_due() {
            return false;
        }
        if self.count.is_some() {
            self.request.count = self.left();
        }
        self.pass += 1;
        self.next_batch = 0;
        self.pass_cancelled = 0;
        for b in &mut self.batches {
            *b = Batch {
                standing: Standing::NotSent,
                retries_done: 0,
            };
        }
        true
    }

    /// Whether the job is not finished after this pass: `untilDone`, nothing failed, the pass
    /// cancelled something (the service's sign that more may be left), and `count` is not used up.
    fn wants_another_pass(&self) -> bool {
        self.failure.is_none()
            && self.call_options.until_done
            && self.pass_cancelled > 0
            && self.left() != Some(0)
    }

    /// Whether [`next_pass`](Cancellation::next_pass) starts another pass.
    fn another_pass_due(&self) -> bool {
        self.wants_another_pass() && self.pass < self.call_options.max_passes
    }

    /// Whether [`poll`](Cancellation::poll) has nothing left to do: no request in flight, and
    /// either a failure has stopped the call, or every batch of the last pass it will make has
    /// ended.
    fn is_done(&self) -> bool {
        self.in_flight == 0
            && (self.failure.is_some()
                || (self.retrying.is_empty()
                    && self.next_batch >= self.ranges.len()
                    && !self.another_pass_due()))
    }

    /// Ends a call its driver finished before it was done: unless it already failed, it fails
    /// as [`ErrorCode::Unfinished`]; the attempts in flight are lost answers (the service may
    /// act on them), and the batches not sent stay not sent.
    fn stop_early(&mut self) {
        self.fail(Error::new(
            ErrorCode::Unfinished,
            "the call was finished before poll said Done: what was in flight is unconfirmed, and what it still had to send was not sent (partial counts both); run the call again".into(),
        ));
        for batch in 0..self.batches.len() {
            let standing = self.batches.get(batch).map(|b| b.standing);
            if let Some(Standing::Sent { in_flight: true, .. }) = standing {
                self.note_attempt_failed(batch, true);
            }
        }
        self.in_flight = 0;
    }

    /// The most runs the request of `batch` can cancel: the ids it carries, or the `count` its
    /// pass sent (a filter's request); `None` for no bound.
    fn most_cancelled(&self, batch: usize) -> Option<u64> {
        match self.ranges.get(batch) {
            Some(range) if !self.ids.is_empty() => Some(range.len() as u64),
            _ => self.request.count,
        }
    }

    /// What is left of `count`: the runs confirmed, and those unconfirmed requests may have
    /// cancelled, are used up.
    fn left(&self) -> Option<u64> {
        let used = add(self.summary.cancelled, self.unconfirmed_up_to);
        self.count.map(|count| count.saturating_sub(used))
    }

    /// Sorts the ids of a stopped id-list cancel: every id not confirmed goes to
    /// `failed_run_ids`, and, in the first pass, also to the unconfirmed or the not-cancelled
    /// list. From the second pass on (and when the pass limit stopped it, `unfinished`) an
    /// earlier pass sent every id and its counts do not say which runs it cancelled, so only the
    /// complete list is given.
    fn tally_ids(&self, partial: &mut Partial, unfinished: bool) {
        let (mut failed, mut unconfirmed, mut not_cancelled) = (Vec::new(), Vec::new(), Vec::new());
        let sorted = self.pass == 1 && !unfinished;
        for (range, batch) in self.ranges.iter().zip(&self.batches) {
            let mut list = match batch.standing {
                Standing::Confirmed if !unfinished => continue,
                _ if !sorted => None,
                Standing::Sent {
                    in_flight,
                    maybe_acted,
                } if in_flight || maybe_acted => Some(&mut unconfirmed),
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
        if self.call_options.until_done {
            return false;
        }
        let cap = self.request.count.unwrap_or(SERVICE_DEFAULT_COUNT);
        self.pass_cancelled >= cap || self.summary.unconfirmed > 0
    }

    fn unfinished(&self) -> Error {
        Error::new(
            ErrorCode::Unfinished,
            format!(
                "the cancel stopped at maxPasses ({}) while its last pass still cancelled {} runs, so more may match ({} cancelled in all); raise maxPasses, or run it again",
                self.call_options.max_passes, self.pass_cancelled, self.summary.cancelled
            ),
        )
        .stopped_at("maxPasses", self.call_options.max_passes)
    }
}

/// The refusal of an id list that takes more requests than `maxRequests`, before anything is
/// sent: the figures, and the ways out.
fn over_budget(account: &Account, ids: &StringList, requests: usize, max: u32, encoding: Encoding) -> Error {
    let body = match encoding {
        Encoding::Query => format!(
            ", use the body form ({} requests)",
            split_ids(account, ids, Encoding::Body).len()
        ),
        Encoding::Body => String::new(),
    };
    let part = (ids.len() as u64 * u64::from(max) / requests as u64).max(1);
    Error::invalid(
        "maxRequests",
        format!(
            "is {max}, and these {} ids take {requests} requests before any retry; raise maxRequests{body}, or cancel the list in parts of about {part} ids, one call each",
            ids.len()
        ),
    )
}

/// Properties of the requests a long id list is sent in (proptest runs natively only).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::limits::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};
    use crate::rules::validate::parse_call;
    use crate::rules::value::{Options, Value};

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
            let (account, request) = parse_call(&options).expect("valid ids");
            let call = Cancellation::new(&account, request, 0, 0).expect("every list splits");
            let mut sent = Vec::new();
            for batch in 0..call.requests_per_pass() {
                let http = call.build(batch).expect("a batch of the call");
                match &http.body {
                    Some(body) => {
                        proptest::prop_assert!(body.len() <= MAX_BODY_BYTES);
                        let Some(crate::text::json::Json::Object(fields)) = crate::text::json::parse(body) else { panic!("{body}") };
                        let Some((_, crate::text::json::Json::Array(items))) = fields.into_iter().next() else { panic!() };
                        proptest::prop_assert!(items.len() <= MAX_IDS_PER_BODY);
                        sent.extend(items.into_iter().map(|item| match item {
                            crate::text::json::Json::String(s) => s,
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
