//! A whole cancel call, run by the core's state machine against a simulated service and clock
//! (no network, no timers: the same inputs give the same call every time). What is checked is
//! what the service saw and did (the requests, their times, the runs it cancelled) and what the
//! call reported, across batches, retries, concurrency, the deadline, an abort and passes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use proptest::prelude::*;
use qstash_cancel::js::{parse_call, Options, Value};
use qstash_cancel::limits::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};
use qstash_cancel::{
    Cancellation, Error, ErrorCode, Failure, HttpRequest, HttpResponse, Machine, Progress, Step, Summary,
};

/// What the simulated service does with one request, after some milliseconds.
#[derive(Clone, Debug)]
enum Reply {
    /// `{"cancelled": n}`.
    Count(u64),
    /// Any other answer: status, headers.
    Status(u16, Vec<(&'static str, &'static str)>),
    /// No answer.
    Fail(Failure),
}

/// What happened on the way: the requests as the service received them, with their time.
#[derive(Debug, Default)]
struct Trace {
    /// (time sent, URL, body).
    requests: Vec<(u64, String, Option<String>)>,
    most_in_flight: usize,
    progress: Vec<Progress>,
    /// When the call ended, in simulated milliseconds.
    ended_at: u64,
}

/// The most steps (polls) a simulated call may take: far more than any call here needs (100,000
/// ids take 654), so a call that busy-waits fails at once instead of hanging the suite.
const MAX_STEPS: usize = 100_000;

/// Runs `options` to the end on the machine tests' one driver (`tests/common`). `service` gets
/// each request and the time, and says how long it takes and what comes back (a reply slower
/// than the attempt's limit is a time-out at the limit). `abort_at`: the caller's signal fires
/// then (in-flight attempts end at once, as `fetch` does on abort).
fn simulate(
    options: Options,
    abort_at: Option<u64>,
    mut service: impl FnMut(&HttpRequest, u64) -> (u64, Reply),
) -> (Result<Summary, Error>, Trace) {
    let (account, request) = parse_call(&options).expect("valid options");
    let call = Cancellation::new(&account, request, 0, 42).expect("a plannable call");
    let run = common::simulate(call, abort_at, MAX_STEPS, |http, now| {
        let (ms, reply) = service(http, now);
        let reply = match reply {
            Reply::Count(n) => Ok(response(200, &format!(r#"{{"cancelled":{n}}}"#), vec![])),
            Reply::Status(status, headers) => Ok(response(status, "{}", headers)),
            Reply::Fail(failure) => Err(failure),
        };
        (ms, reply)
    });
    let trace = Trace {
        requests: run.requests,
        most_in_flight: run.most_in_flight,
        progress: run.reports,
        ended_at: run.ended_at,
    };
    (run.result, trace)
}

fn response(status: u16, body: &str, headers: Vec<(&str, &str)>) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        body: body.to_owned(),
        ..Default::default()
    }
}

fn ids(n: usize, width: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| Value::String(format!("wfr_{i:0width$}")))
            .collect(),
    )
}

fn list(range: core::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("wfr_{i:04}")).collect()
}

fn call() -> Options {
    Options::new().with("token", "tok")
}

/// The ids a request carries, in either encoding.
fn ids_in(url: &str, body: Option<&str>) -> Vec<String> {
    match body {
        Some(body) => body
            .trim_start_matches(r#"{"workflowRunIds":["#)
            .trim_end_matches("]}")
            .split(',')
            .map(|s| s.trim_matches('"').to_owned())
            .collect(),
        None => url
            .split("workflowRunIds=")
            .skip(1)
            .map(|s| s.trim_end_matches('&').to_owned())
            .collect(),
    }
}

/// The first id a request carries: which batch it is.
fn first_id(http: &HttpRequest) -> String {
    ids_in(&http.url, http.body.as_deref()).swap_remove(0)
}

/// A cancel of `n` ids (`wfr_0000`, ...) in the body form: batches of 1,000.
fn body_ids(n: usize) -> Options {
    call().with("encoding", "body").with("workflowRunIds", ids(n, 4))
}

/// Runs `options` against `service` (answering after 10 ms); with what it really cancelled.
fn against(options: Options, mut service: Capped) -> (Result<Summary, Error>, Trace, Capped) {
    let (result, trace) = simulate(options, None, |http, _| {
        (10, Reply::Count(service.act(&http.url)))
    });
    (result, trace, service)
}

/// Runs `options` against a service that answers each request after 10 ms with the next of
/// `replies`, in order.
fn in_order(options: Options, replies: Vec<Reply>) -> (Result<Summary, Error>, Trace) {
    let mut replies = replies.into_iter();
    simulate(options, None, |_, _| {
        (10, replies.next().expect("a reply for every request"))
    })
}

/// The `count` a request carries, if any.
fn count_of(url: &str) -> Option<u64> {
    url.split_once("count=")
        .map(|(_, n)| n.split('&').next().unwrap().parse().unwrap())
}

/// A service holding `matching` runs that cancels at most `cap` a call (or the `count` a request
/// carries, if any); `cancelled` is what it really did.
struct Capped {
    left: u64,
    cap: u64,
    /// Whether `cap` holds even for a request with a larger `count`.
    hard: bool,
    cancelled: u64,
}

impl Capped {
    fn new(matching: u64, cap: u64) -> Self {
        Capped {
            left: matching,
            cap,
            hard: false,
            cancelled: 0,
        }
    }

    fn act(&mut self, url: &str) -> u64 {
        let asked = count_of(url).unwrap_or(self.cap);
        let n = self.left.min(if self.hard { asked.min(self.cap) } else { asked });
        self.left -= n;
        self.cancelled += n;
        n
    }
}

/// Every request answered after 10 ms with the number of ids it carried.
fn cancels_every_id(http: &HttpRequest, _: u64) -> (u64, Reply) {
    (
        10,
        Reply::Count(ids_in(&http.url, http.body.as_deref()).len() as u64),
    )
}

#[test]
fn long_id_lists_are_split_under_the_limits_and_keep_every_id_once() {
    let cases = [
        // (ids, id width, encoding, batches)
        (10, 4, "body", 1),
        (1_000, 4, "body", 1),
        (1_001, 4, "body", 2),
        (100_000, 6, "body", 100),
        (2_000, 200, "body", 7),
        (10, 4, "query", 1),
        (100_000, 6, "query", 327),
    ];
    for (n, width, encoding, batches) in cases {
        let options = call()
            .with("encoding", encoding)
            .with("workflowRunIds", ids(n, width));
        let (result, trace) = simulate(options, None, cancels_every_id);
        assert_eq!(result.unwrap().cancelled, n as u64);
        assert_eq!(trace.requests.len(), batches, "{n} ids x {width} in {encoding}");
        let mut sent: Vec<String> = Vec::new();
        for (_, url, body) in &trace.requests {
            assert!(url.len() <= MAX_URL_BYTES);
            if let Some(body) = body {
                assert!(body.len() <= MAX_BODY_BYTES);
                assert!(body.matches(',').count() < MAX_IDS_PER_BODY);
            }
            sent.extend(ids_in(url, body.as_deref()));
        }
        sent.sort();
        let want: Vec<String> = (0..n).map(|i| format!("wfr_{i:0width$}")).collect();
        assert!(sent == want, "{n} ids in {encoding}: not every id exactly once");
    }
}

#[test]
fn batches_go_out_at_most_concurrency_at_a_time_and_progress_counts_each() {
    for concurrency in [1.0, 4.0, 16.0] {
        let options = call()
            .with("encoding", "body")
            .with("workflowRunIds", ids(20_000, 5))
            .with("concurrency", concurrency);
        let (result, trace) = simulate(options, None, cancels_every_id);
        assert_eq!(result.unwrap().requests, 20);
        assert_eq!(trace.most_in_flight, concurrency as usize);
        // 20 batches of 10 ms, `concurrency` at a time.
        assert_eq!(trace.ended_at, 10 * 20_u64.div_ceil(concurrency as u64));
        let totals: Vec<u64> = trace.progress.iter().map(|p| p.total).collect();
        assert_eq!(totals, (1..=20).map(|b| b * 1_000).collect::<Vec<_>>());
    }
}

#[test]
fn only_a_confirmed_count_is_reported_as_progress() {
    // A refused answer (retried) and a lost one (never confirmed) report nothing; each count does.
    let options = call().with("workflowRunIds", ids(1, 4));
    let replies = vec![Reply::Status(503, vec![]), Reply::Count(1)];
    let (result, trace) = in_order(options.clone(), replies);
    assert_eq!(result.unwrap().retries, 1);
    assert_eq!(
        trace
            .progress
            .iter()
            .map(|p| (p.cancelled, p.total))
            .collect::<Vec<_>>(),
        [(1, 1)]
    );
    let (result, trace) = in_order(options, vec![Reply::Fail(Failure::TimedOut), Reply::Count(1)]);
    assert_eq!(result.unwrap().unconfirmed, 1);
    assert_eq!(trace.progress.len(), 1);
}

/// A count larger than the request could cancel (more than the ids it carried, or than the
/// `count` it sent) is no confirmation: it is refused as `INVALID_RESPONSE`, not counted, not
/// retried, and the request is unconfirmed (the service may have acted, but said something false).
#[test]
fn a_count_larger_than_the_request_could_cancel_is_not_taken() {
    let (result, trace) = in_order(
        call().with("workflowRunIds", ids(2, 4)),
        vec![Reply::Count(5_000)],
    );
    assert_eq!(trace.requests.len(), 1, "not sent again");
    assert!(trace.progress.is_empty(), "nothing reported as cancelled");
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidResponse);
    assert!(
        err.message.contains("5000") && err.message.contains("at most 2"),
        "{}",
        err.message
    );
    let partial = err.partial.unwrap();
    assert_eq!((partial.cancelled, partial.unconfirmed), (0, 1));
    assert!(partial.unconfirmed_run_ids.unwrap() == list(0..2));
    // A filter cancel with count: the pass asked for at most 10.
    let options = call()
        .with("workflowUrl", "https://example.com/wf")
        .with("count", 10.0);
    let (result, trace) = in_order(options, vec![Reply::Count(500)]);
    assert_eq!(trace.requests.len(), 1);
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidResponse, "{}", err.message);
    // A service that ignores `count` (the newest docs deprecate it) did cancel 500: its count
    // did not bound what the request did, so no bound is claimed ("up to 10" was).
    assert!(
        !err.message.contains("up to 10") && err.message.contains("it may ignore it"),
        "{}",
        err.message
    );
    let partial = err.partial.unwrap();
    assert_eq!(
        (partial.cancelled, partial.unconfirmed, partial.unconfirmed_up_to),
        (0, 1, None)
    );
    // As many as it could cancel is taken.
    let (result, _) = in_order(call().with("workflowRunIds", ids(2, 4)), vec![Reply::Count(2)]);
    assert_eq!(result.unwrap().cancelled, 2);
}

/// The bound is what each request carried when it went out: the ids left once repeats are
/// dropped, the same for a retry and for every pass of an id list, and for a filter the `count`
/// its own pass sent (what is left of the call's `count`), not the first pass's.
#[test]
fn each_answer_is_bounded_by_what_its_own_request_carried() {
    let repeated = Value::Array(
        ["a", "b", "a", "b", "c"]
            .map(|id| Value::String(id.into()))
            .to_vec(),
    );
    let with_repeats = || call().with("workflowRunIds", repeated.clone());
    let (result, _) = in_order(with_repeats(), vec![Reply::Count(4)]);
    let err = result.unwrap_err();
    assert!(err.message.contains("at most 3 runs"), "{}", err.message);
    let (result, _) = in_order(with_repeats(), vec![Reply::Count(3)]);
    assert_eq!(result.unwrap().cancelled, 3);
    // A batch retried after a lost answer, and the second pass of an id list: still its ids.
    let retried = || call().with("workflowRunIds", ids(2, 4));
    let lost = || Reply::Fail(Failure::TimedOut);
    let (result, trace) = in_order(retried(), vec![lost(), Reply::Count(3)]);
    assert_eq!(
        (trace.requests.len(), result.unwrap_err().code),
        (2, ErrorCode::InvalidResponse)
    );
    let (result, trace) = in_order(retried(), vec![lost(), Reply::Count(2)]);
    assert_eq!((trace.requests.len(), result.unwrap().cancelled), (2, 2));
    let passes = || retried().with("untilDone", true);
    let (result, trace) = in_order(passes(), vec![Reply::Count(1), Reply::Count(3)]);
    assert_eq!(
        (
            trace.requests.len(),
            result.unwrap_err().partial.unwrap().cancelled
        ),
        (2, 1)
    );
    // A filter's second pass sends what is left of count=150 (50): 50 is taken, 51 is not.
    let filter = || {
        call()
            .with("workflowUrl", "https://example.com/wf")
            .with("count", 150.0)
    };
    let (result, trace) = in_order(filter(), vec![Reply::Count(100), Reply::Count(50)]);
    let counts: Vec<_> = trace.requests.iter().map(|(_, url, _)| count_of(url)).collect();
    assert_eq!(counts, [Some(150), Some(50)]);
    assert_eq!(result.unwrap().cancelled, 150);
    let (result, _) = in_order(filter(), vec![Reply::Count(100), Reply::Count(51)]);
    let err = result.unwrap_err();
    assert!(err.message.contains("at most 50 runs"), "{}", err.message);
    assert_eq!(err.partial.unwrap().cancelled, 100);
}

#[test]
fn a_filter_cancel_repeats_until_a_pass_cancels_nothing() {
    // (runs matching, service cap, options, cancelled, passes, more may match)
    let cases: [(u64, u64, Options, u64, u32, bool); 6] = [
        (1_667, 100, call().with("label", "nightly"), 1_667, 18, false),
        (1_667, 100, call().with("all", true), 1_667, 18, false),
        // A service that does everything in one call: one confirming pass more.
        (1_667, u64::MAX, call().with("label", "nightly"), 1_667, 2, false),
        (0, 100, call().with("label", "nightly"), 0, 1, false),
        // untilDone: false is one request; a pass that reached the cap says more may match.
        (
            1_667,
            100,
            call().with("label", "x").with("untilDone", false),
            100,
            1,
            true,
        ),
        (
            37,
            100,
            call().with("label", "x").with("untilDone", false),
            37,
            1,
            false,
        ),
    ];
    for (matching, cap, options, cancelled, passes, more) in cases {
        let (result, trace, service) = against(options, Capped::new(matching, cap));
        let summary = result.unwrap();
        assert_eq!(
            (
                summary.cancelled,
                summary.passes,
                summary.requests,
                summary.more_may_match
            ),
            (cancelled, passes, passes, more),
            "{matching} runs, cap {cap}"
        );
        assert_eq!(
            (service.cancelled, trace.requests.len()),
            (cancelled, passes as usize)
        );
    }
}

#[test]
fn a_cancel_stopped_by_max_passes_is_unfinished_never_done() {
    let (result, _, service) = against(
        call().with("label", "nightly").with("maxPasses", 10.0),
        Capped::new(1_667, 100),
    );
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    assert!(err.message.contains("maxPasses (10)"), "{}", err.message);
    assert_eq!(
        (err.partial.unwrap().cancelled, service.cancelled),
        (1_000, 1_000)
    );

    // An id list repeated with untilDone: the counts do not say which ids are left, so every id
    // is given back (safe to send again).
    let options = call()
        .with("workflowRunIds", ids(3, 2))
        .with("untilDone", true)
        .with("maxPasses", 2.0);
    let (result, _) = simulate(options, None, |_, _| (10, Reply::Count(1)));
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    let partial = err.partial.unwrap();
    assert_eq!(partial.failed_run_ids.unwrap().len(), 3);
    assert_eq!(partial.unconfirmed_run_ids, None);
}

/// Why a call stopped is data, not only words: an `Unfinished` stop names the option whose
/// limit it reached and the figure, so a caller (the CLI, a page) names its own flag without
/// reading the message; a finish before `Done` reached no limit and names none.
#[test]
fn an_unfinished_stop_names_the_limit_it_reached() {
    let (result, _, _) = against(
        call().with("label", "nightly").with("maxPasses", 3.0),
        Capped::new(1_667, 100),
    );
    let err = result.unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref(), err.limit, err.rule()),
        (ErrorCode::Unfinished, Some("maxPasses"), Some(3), None)
    );

    let (result, _, _) = against(
        call().with("label", "nightly").with("maxRequests", 4.0),
        Capped::new(1_667, 100),
    );
    let err = result.unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref(), err.limit),
        (ErrorCode::Unfinished, Some("maxRequests"), Some(4))
    );
    // An id list stopped by maxRequests names it too (see the test of a retry that fits).
}

/// A service that cancels and then loses its answer in one of the ways `lost` names.
fn acts_then_loses(service: &mut Capped, url: &str, lost: &Reply) -> (u64, Reply) {
    service.act(url);
    (10, lost.clone())
}

#[test]
fn count_is_a_ceiling_for_the_whole_call() {
    // A service that cancels at most 100 a call whatever count asks: passes ask for what is left.
    let (result, trace, service) = against(
        call().with("label", "x").with("count", 250.0),
        Capped {
            hard: true,
            ..Capped::new(1_667, 100)
        },
    );
    let asked: Vec<_> = trace.requests.iter().map(|(_, url, _)| count_of(url)).collect();
    assert_eq!(asked, [Some(250), Some(150), Some(50)]);
    let summary = result.unwrap();
    assert_eq!(
        (summary.cancelled, summary.more_may_match, service.cancelled),
        (250, true, 250)
    );

    // Fewer match than count: the call ends on a pass that cancelled nothing.
    let (result, _, service) = against(
        call().with("label", "x").with("count", 250.0),
        Capped::new(120, 100),
    );
    let summary = result.unwrap();
    assert_eq!(
        (
            summary.cancelled,
            summary.passes,
            summary.more_may_match,
            service.cancelled
        ),
        (120, 2, false, 120)
    );

    // A service that acts and loses its answer: a request with count is never sent twice.
    for lost in [
        Reply::Fail(Failure::TimedOut),
        Reply::Fail(Failure::Network("connection reset".into())),
        Reply::Status(502, vec![]),
        Reply::Status(200, vec![]),
    ] {
        let mut service = Capped::new(1_000, 100);
        let (result, trace) = simulate(call().with("label", "x").with("count", 10.0), None, |http, _| {
            acts_then_loses(&mut service, &http.url, &lost)
        });
        let err = result.unwrap_err();
        assert_eq!(trace.requests.len(), 1, "{lost:?} was sent again");
        assert_eq!(service.cancelled, 10);
        assert!(
            err.message.contains("may have cancelled up to 10 runs"),
            "{}",
            err.message
        );
        let partial = err.partial.unwrap();
        assert_eq!(
            (partial.cancelled, partial.unconfirmed, partial.unconfirmed_up_to),
            (0, 1, Some(10))
        );
    }

    // The same after a confirmed pass: up to what was asked of the lost one.
    let mut service = Capped {
        hard: true,
        ..Capped::new(1_000, 4)
    };
    let mut replies = 0;
    let (result, _) = simulate(call().with("label", "x").with("count", 10.0), None, |http, _| {
        replies += 1;
        match replies {
            1 => (10, Reply::Count(service.act(&http.url))),
            _ => acts_then_loses(&mut service, &http.url, &Reply::Fail(Failure::TimedOut)),
        }
    });
    let partial = result.unwrap_err().partial.unwrap();
    assert_eq!(
        (partial.cancelled, partial.unconfirmed_up_to, service.cancelled),
        (4, Some(6), 8)
    );

    // An answer that says nothing was done is retried as before.
    let (result, trace) = in_order(
        call().with("label", "x").with("count", 10.0),
        vec![
            Reply::Status(429, vec![("retry-after", "1")]),
            Reply::Status(503, vec![]),
            Reply::Count(10),
        ],
    );
    let summary = result.unwrap();
    assert_eq!(
        (
            summary.cancelled,
            summary.requests,
            summary.retries,
            summary.unconfirmed
        ),
        (10, 3, 2, 0)
    );
    assert!(
        trace.requests[1].0 >= 1_010,
        "the 429's Retry-After: 1 was waited: {:?}",
        trace.requests[1].0
    );
}

#[test]
fn a_request_that_never_left_is_sent_again_even_with_count_and_is_not_unconfirmed() {
    let (result, trace) = in_order(
        call().with("label", "x").with("count", 10.0),
        vec![
            Reply::Fail(Failure::NotSent("connection refused".into())),
            Reply::Count(10),
        ],
    );
    let summary = result.unwrap();
    assert_eq!(
        (
            trace.requests.len(),
            summary.cancelled,
            summary.retries,
            summary.unconfirmed
        ),
        (2, 10, 1, 0)
    );
}

#[test]
fn without_count_a_lost_answer_is_retried_and_reported_as_unconfirmed() {
    let (result, _) = in_order(
        call().with("label", "x"),
        vec![Reply::Fail(Failure::TimedOut), Reply::Count(3), Reply::Count(0)],
    );
    let summary = result.unwrap();
    assert_eq!(
        (
            summary.cancelled,
            summary.requests,
            summary.unconfirmed,
            summary.more_may_match
        ),
        (3, 3, 1, false)
    );

    let (result, _) = in_order(
        call().with("label", "x").with("untilDone", false),
        vec![Reply::Fail(Failure::TimedOut), Reply::Count(3)],
    );
    assert!(
        result.unwrap().more_may_match,
        "a lost answer may have cancelled more than the count says"
    );
}

#[test]
fn a_stopped_id_list_tells_confirmed_unconfirmed_and_not_cancelled_apart() {
    // Four batches, three at a time: b1 gets a 401 (refused: not cancelled); then b0's answer
    // comes (counted: it arrived); b2 times out (unconfirmed, and not retried: the call has
    // stopped); b3 is never sent.
    let options = body_ids(3_500)
        .with("concurrency", 3.0)
        .with("timeoutMs", 1_000.0);
    let (result, trace) = simulate(options, None, |http, _| match first_id(http).as_str() {
        "wfr_0000" => (30, Reply::Count(1_000)),
        "wfr_1000" => (20, Reply::Status(401, vec![])),
        _ => (5_000, Reply::Count(1_000)),
    });
    assert_eq!(trace.requests.len(), 3, "nothing is sent after a final failure");
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthorized, "the first failure is reported");
    let partial = err.partial.unwrap();
    assert_eq!((partial.cancelled, partial.unconfirmed), (1_000, 1));
    assert_eq!(partial.unconfirmed_up_to, None, "ids are told by id");
    assert!(
        partial.unconfirmed_run_ids.unwrap() == list(2_000..3_000),
        "b2 may have been cancelled"
    );
    let not_cancelled = partial.not_cancelled_run_ids.unwrap();
    assert!(
        not_cancelled == [list(1_000..2_000), list(3_000..3_500)].concat(),
        "b1 refused, b3 never sent"
    );
    assert!(
        partial.failed_run_ids.unwrap() == list(1_000..3_500),
        "complete and safe to send again"
    );
}

#[test]
fn a_final_failure_stops_sibling_batches_from_retrying() {
    // Batch 1 gets a 401; batch 2 a 503 asking to wait 2 s: the call ends with the 401 as soon
    // as both answers are in, without waiting or sending again.
    let options = body_ids(2_000).with("concurrency", 2.0);
    let (result, trace) = simulate(options, None, |http, _| match first_id(http).as_str() {
        "wfr_0000" => (50, Reply::Status(401, vec![])),
        _ => (10, Reply::Status(503, vec![("retry-after", "2")])),
    });
    assert_eq!(result.unwrap_err().code, ErrorCode::Unauthorized);
    assert_eq!((trace.requests.len(), trace.ended_at), (2, 50));
}

#[test]
fn the_deadline_ends_waits_and_attempts() {
    // A service that is always unavailable: retries until the next wait would pass the deadline.
    let options = call().with("label", "x").with("deadlineMs", 5_000.0);
    let (result, trace) = simulate(options, None, |_, _| (10, Reply::Status(503, vec![])));
    let err = result.unwrap_err();
    assert_eq!(err.status, Some(503));
    assert!(trace.ended_at <= 5_000 && trace.requests.len() > 1, "{trace:?}");

    // A service that never answers: the attempt's limit is what is left of the deadline.
    let options = call()
        .with("label", "x")
        .with("deadlineMs", 2_500.0)
        .with("timeoutMs", 60_000.0);
    let (result, trace) = simulate(options, None, |_, _| (u64::MAX / 2, Reply::Count(1)));
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout);
    assert!(err.message.contains("deadlineMs (2500 ms)"), "{}", err.message);
    assert_eq!((trace.requests.len(), trace.ended_at), (1, 2_500));
}

#[test]
fn an_abort_ends_the_call_at_once_and_wins() {
    // In flight: both batches end unconfirmed (they may have been acted on).
    let options = body_ids(2_000);
    let (result, trace) = simulate(options, Some(30), |_, _| (1_000, Reply::Count(1_000)));
    let err = result.unwrap_err();
    assert_eq!(
        (err.code, trace.ended_at, trace.requests.len()),
        (ErrorCode::Aborted, 30, 2)
    );
    let partial = err.partial.unwrap();
    assert_eq!(partial.unconfirmed_run_ids.unwrap().len(), 2_000);

    // During a retry's wait (which keeps its batch's place: the service asked to wait), nothing
    // more is sent.
    let options = body_ids(2_000).with("concurrency", 1.0);
    let mut replies = vec![Reply::Status(503, vec![("retry-after", "5")])].into_iter();
    let (result, trace) = simulate(options, Some(1_000), |_, _| {
        (10, replies.next().unwrap_or(Reply::Count(1_000)))
    });
    let err = result.unwrap_err();
    assert_eq!(
        (err.code, trace.ended_at, trace.requests.len()),
        (ErrorCode::Aborted, 1_000, 1)
    );
    let partial = err.partial.unwrap();
    assert_eq!(
        partial.not_cancelled_run_ids.unwrap().len(),
        2_000,
        "a 503 did nothing; b1 never left"
    );
}

#[test]
fn totals_stop_at_the_largest_integer_a_js_number_holds() {
    // A filter cancel (no bound on a pass's count) whose passes each answer the most there is.
    const MAX: u64 = 9_007_199_254_740_991;
    let filter = || call().with("workflowUrl", "https://example.com/wf");
    let replies = vec![Reply::Count(MAX), Reply::Count(MAX), Reply::Count(0)];
    let (result, _) = in_order(filter(), replies);
    assert_eq!(result.unwrap().cancelled, MAX);
    let (result, _) = in_order(filter(), vec![Reply::Count(MAX), Reply::Status(401, vec![])]);
    let err = result.unwrap_err();
    let partial = err.partial.unwrap();
    assert_eq!((err.status, partial.cancelled), (Some(401), MAX));
}

#[test]
fn a_failure_in_a_later_pass_of_an_id_list_does_not_call_earlier_ids_not_cancelled() {
    let mut replies = vec![Reply::Count(1), Reply::Status(401, vec![])].into_iter();
    let options = call().with("workflowRunIds", ids(3, 2)).with("untilDone", true);
    let (result, _) = simulate(options, None, |_, _| (10, replies.next().unwrap()));
    let partial = result.unwrap_err().partial.unwrap();
    assert_eq!(partial.failed_run_ids.unwrap().len(), 3, "safe to send again");
    assert_eq!(
        partial.not_cancelled_run_ids, None,
        "pass 1 sent them all and may have cancelled any"
    );
}

#[test]
fn a_filter_failure_reports_the_count_but_no_ids() {
    let (result, _) = in_order(
        call().with("label", "x"),
        vec![Reply::Count(4), Reply::Status(404, vec![])],
    );
    let partial = result.unwrap_err().partial.unwrap();
    assert_eq!(
        (partial.cancelled, partial.unconfirmed, partial.failed_run_ids),
        (4, 0, None)
    );
}

#[test]
fn a_transport_message_never_carries_the_token_nor_does_a_debug_print() {
    let options = || {
        Options::new()
            .with("token", "sekret-token-123")
            .with("label", "x")
            .with("retry", false)
    };
    let (result, _) = simulate(options(), None, |_, _| {
        (
            10,
            Reply::Fail(Failure::Network(
                "connect to https://sekret-token-123@host failed".into(),
            )),
        )
    });
    let err = result.unwrap_err();
    assert_eq!(err.code, ErrorCode::NetworkError);
    assert!(!err.message.contains("sekret"), "{}", err.message);
    // The state machine and what it hands out print redacted.
    let (account, request) = parse_call(&options()).unwrap();
    let mut call = Cancellation::new(&account, request, 0, 1).unwrap();
    let Step::Send(transmit) = call.poll(0) else {
        panic!("a request to send")
    };
    assert!(
        transmit
            .request()
            .headers
            .iter()
            .any(|(_, value)| value.contains("sekret")),
        "it is sent"
    );
    for printed in [format!("{call:?}"), format!("{transmit:?}")] {
        assert!(!printed.contains("sekret"), "{printed}");
    }
}

#[test]
fn max_requests_refuses_a_list_that_cannot_fit_before_anything_is_sent() {
    let options = call()
        .with("workflowRunIds", ids(100_000, 6))
        .with("maxRequests", 50.0);
    let (account, request) = parse_call(&options).unwrap();
    let err = Cancellation::new(&account, request, 0, 0).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("maxRequests"));
    assert_eq!(
        err.message,
        "maxRequests: is 50, and these 100000 ids take 327 requests before any retry; raise maxRequests, use the body form (100 requests), or cancel the list in parts of about 15290 ids, one call each"
    );
}

#[test]
fn max_requests_counts_retries_and_passes_and_never_reports_done() {
    // Retries: a service that is always unavailable gets exactly 3 requests.
    let (result, trace) = simulate(
        call().with("label", "x").with("maxRequests", 3.0),
        None,
        |_, _| (10, Reply::Status(503, vec![])),
    );
    let err = result.unwrap_err();
    assert_eq!((err.status, trace.requests.len()), (Some(503), 3));
    assert!(
        err.message
            .ends_with("not sent again: the call used all 3 requests maxRequests allows"),
        "{}",
        err.message
    );

    // Passes: 1,667 matching runs, 100 a call, 5 requests allowed: 500 cancelled, UNFINISHED.
    let (result, trace, service) = against(
        call().with("label", "nightly").with("maxRequests", 5.0),
        Capped::new(1_667, 100),
    );
    let err = result.unwrap_err();
    assert_eq!(
        (err.code, trace.requests.len(), service.cancelled),
        (ErrorCode::Unfinished, 5, 500)
    );
    assert!(
        err.message
            .contains("all 5 requests maxRequests allows while its passes were still cancelling runs"),
        "{}",
        err.message
    );
    assert_eq!(err.partial.unwrap().cancelled, 500);

    // An id list whose budget a retry would pass: the batch that needed it is not cancelled.
    let options = body_ids(2_000).with("maxRequests", 2.0);
    let (result, trace) = simulate(options, None, |http, _| match first_id(http).as_str() {
        "wfr_0000" => (10, Reply::Status(503, vec![])),
        _ => (20, Reply::Count(1_000)),
    });
    let err = result.unwrap_err();
    assert_eq!((err.status, trace.requests.len()), (Some(503), 2));
    let partial = err.partial.unwrap();
    assert_eq!(partial.cancelled, 1_000);
    assert!(partial.not_cancelled_run_ids.unwrap() == list(0..1_000));

    // A retry that fits, after which the last batch no longer does: UNFINISHED, that batch's
    // ids not cancelled, the others confirmed.
    let (result, trace) = in_order(
        body_ids(3_000).with("concurrency", 1.0).with("maxRequests", 3.0),
        vec![
            Reply::Status(503, vec![]),
            Reply::Count(1_000),
            Reply::Count(1_000),
        ],
    );
    let err = result.unwrap_err();
    assert_eq!((err.code, trace.requests.len()), (ErrorCode::Unfinished, 3));
    assert_eq!((err.field.as_deref(), err.limit), (Some("maxRequests"), Some(3)));
    assert!(
        err.message.contains("with requests of the list not sent"),
        "{}",
        err.message
    );
    let partial = err.partial.unwrap();
    assert_eq!(partial.cancelled, 2_000);
    assert!(partial.not_cancelled_run_ids.unwrap() == list(2_000..3_000));
    assert!(partial.failed_run_ids.unwrap() == list(2_000..3_000));
}

/// What a simulated attempt does, drawn by proptest: answer (after some ms), or fail.
fn replies() -> impl Strategy<Value = Vec<(u64, u8)>> {
    prop::collection::vec((0u64..3_000, 0u8..8), 1..60)
}

/// The reply of kind `kind` for a request carrying `n` ids: mostly a count, sometimes a
/// retried status, a final status, a lost answer or a network failure.
fn reply_of(kind: u8, n: u64) -> Reply {
    match kind {
        0..=3 => Reply::Count(n),
        4 => Reply::Status(503, vec![]),
        5 => Reply::Status(404, vec![]),
        6 => Reply::Fail(Failure::Network("reset".into())),
        _ => Reply::Status(429, vec![("retry-after", "1")]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the service does: at most `concurrency` in flight; on success every id was
    /// confirmed; on a stop in the first pass every id is exactly one of confirmed, unconfirmed
    /// or not cancelled, and `failed_run_ids` is the union of the last two.
    #[test]
    fn every_id_is_confirmed_unconfirmed_or_unsent_exactly_once(
        n in 1usize..5_000,
        concurrency in 1usize..6,
        plan in replies(),
        deadline in prop::option::of(100u64..20_000),
        abort_at in prop::option::of(0u64..10_000),
        max_requests in prop::option::of(5u32..40),
    ) {
        let mut options = call().with("encoding", "body").with("workflowRunIds", ids(n, 4))
            .with("concurrency", concurrency as f64).with("timeoutMs", 2_000.0);
        if let Some(max) = max_requests {
            options = options.with("maxRequests", f64::from(max));
        }
        if let Some(ms) = deadline {
            options = options.with("deadlineMs", ms as f64);
        }
        let mut plan = plan.into_iter().cycle();
        // The batches the service answered with a count, by their first id.
        let mut counted = std::collections::HashMap::new();
        let (result, trace) = simulate(options, abort_at, |http, _| {
            let carried = ids_in(&http.url, http.body.as_deref());
            let (ms, kind) = plan.next().unwrap();
            let reply = reply_of(kind, carried.len() as u64);
            if let Reply::Count(_) = reply {
                counted.insert(carried[0].clone(), carried);
            }
            (ms, reply)
        });
        prop_assert!(trace.most_in_flight <= concurrency);
        prop_assert!(max_requests.is_none_or(|max| trace.requests.len() <= max as usize));
        // What the call confirmed: the batches it reported progress for (batches of 1,000 ids),
        // each one the service did answer with a count.
        let mut confirmed: Vec<String> = Vec::new();
        for progress in &trace.progress {
            let first = format!("wfr_{:04}", (progress.batch - 1) * 1_000);
            let carried = counted.get(&first);
            prop_assert!(carried.is_some(), "progress for {} with no count from the service", first);
            confirmed.extend(carried.into_iter().flatten().cloned());
        }
        let all: Vec<String> = (0..n).map(|i| format!("wfr_{i:04}")).collect();
        match result {
            Ok(summary) => {
                prop_assert_eq!(summary.cancelled, n as u64);
                confirmed.sort();
                prop_assert!(confirmed == all, "every id confirmed exactly once");
            }
            Err(err) => {
                let partial = err.partial.unwrap();
                let unconfirmed = partial.unconfirmed_run_ids.unwrap();
                let not_cancelled = partial.not_cancelled_run_ids.unwrap();
                let failed = partial.failed_run_ids.unwrap();
                prop_assert_eq!(failed.len(), unconfirmed.len() + not_cancelled.len());
                prop_assert_eq!(partial.cancelled, confirmed.len() as u64, "{}", err.message);
                // Confirmed, unconfirmed and not cancelled: each id in exactly one.
                let mut seen: Vec<&String> = confirmed.iter().chain(&unconfirmed).chain(&not_cancelled).collect();
                seen.sort();
                prop_assert!(seen == all.iter().collect::<Vec<_>>(), "an id missing or in two lists: {}", err.message);
            }
        }
    }

    /// Whatever the service does with each request (act, then answer or lose the answer), it
    /// never cancels more than `count` in all.
    #[test]
    fn count_is_never_exceeded(count in 1u64..500, cap in 1u64..150, plan in replies()) {
        let mut service = Capped::new(10_000, cap);
        let mut plan = plan.into_iter().cycle();
        let options = call().with("label", "x").with("count", count as f64);
        let (result, _) = simulate(options, None, |http, _| {
            let (ms, kind) = plan.next().unwrap();
            match reply_of(kind, 0) {
                // The service acts on these and then says so, or loses the answer.
                Reply::Count(_) => (ms, Reply::Count(service.act(&http.url))),
                Reply::Fail(failure) => {
                    service.act(&http.url);
                    (ms, Reply::Fail(failure))
                }
                refused => (ms, refused),
            }
        });
        prop_assert!(service.cancelled <= count, "{} > {count}", service.cancelled);
        if let Ok(summary) = result {
            prop_assert!(summary.cancelled <= count);
        }
    }
}
