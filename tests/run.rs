//! The bookkeeping of a call: batch splitting, passes, and what a partial failure reports.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::{parse_call, Error, ErrorCode, Options, Run, Summary, Value};
use qstash_cancel::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};

fn run_for(options: Options) -> Run {
    let (connection, request) = parse_call(&options).unwrap();
    Run::new(&connection, request).unwrap()
}

fn ids(n: usize, width: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| Value::String(format!("wfr_{i:0width$}")))
            .collect(),
    )
}

fn call() -> Options {
    Options::new().with("token", "tok")
}

/// Every id of a run's batches, in order.
fn batch_ids(run: &Run) -> Vec<String> {
    (0..run.batches())
        .flat_map(|b| {
            let http = run.request(b).expect("a batch of the run");
            match &http.body {
                Some(body) => body
                    .trim_start_matches(r#"{"workflowRunIds":["#)
                    .trim_end_matches("]}")
                    .split(',')
                    .map(|s| s.trim_matches('"').to_owned())
                    .collect::<Vec<_>>(),
                None => http
                    .url
                    .split("workflowRunIds=")
                    .skip(1)
                    .map(|s| s.trim_end_matches('&').to_owned())
                    .collect(),
            }
        })
        .collect()
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
    for (n, width, encoding, want_batches) in cases {
        let run = run_for(
            call()
                .with("encoding", encoding)
                .with("workflowRunIds", ids(n, width)),
        );
        assert_eq!(run.batches(), want_batches, "{n} ids x {width} in {encoding}");
        let want: Vec<String> = (0..n).map(|i| format!("wfr_{i:0width$}")).collect();
        assert!(
            batch_ids(&run) == want,
            "{n} ids in {encoding}: not every id exactly once, in order"
        );
        for b in 0..run.batches() {
            let http = run.request(b).expect("a batch of the run");
            assert!(http.url.len() <= MAX_URL_BYTES);
            if let Some(body) = &http.body {
                assert!(body.len() <= MAX_BODY_BYTES);
                assert!(body.matches(',').count() < MAX_IDS_PER_BODY);
            }
        }
    }
}

/// What a simulated service answers to one attempt: a count, or a failure.
type Answer = Result<u64, Error>;

/// Drives `run` the way the wasm executor does (one request at a time, no waits): every attempt
/// is counted as sent, a failure asks the run whether to send it again, passes repeat while the
/// run wants them. `service` answers each request (it sees the URL, so it can read `count`).
fn drive(mut run: Run, mut service: impl FnMut(&str) -> Answer) -> Result<Summary, Error> {
    loop {
        while let Some(batch) = run.next_batch() {
            let url = run.request(batch).expect("a batch of the run").url.clone();
            let mut retries_done = 0;
            loop {
                run.sending(batch, retries_done > 0);
                match service(&url) {
                    Ok(cancelled) => {
                        run.succeeded(batch, cancelled);
                        break;
                    }
                    Err(err) => match run.after_failure(batch, retries_done, err, None, 0, 0.0) {
                        Ok(_wait) => retries_done += 1,
                        Err(err) => {
                            run.failed(batch, err);
                            break;
                        }
                    },
                }
            }
        }
        if !run.next_pass() {
            break;
        }
    }
    run.finish()
}

/// The `count` a request carries, if any.
fn count_of(url: &str) -> Option<u64> {
    url.split_once("count=").map(|(_, n)| n.parse().unwrap())
}

/// A service holding `matching` runs that cancels at most `cap` a call (or `count`, if sent).
fn capped_service(matching: u64, cap: u64) -> impl FnMut(&str) -> Answer {
    let mut left = matching;
    move |url| {
        let n = left.min(count_of(url).unwrap_or(cap));
        left -= n;
        Ok(n)
    }
}

fn failure(code: ErrorCode, status: Option<u16>) -> Error {
    let mut err = Error::new(code, format!("{code:?}"));
    err.status = status;
    err
}

#[test]
fn a_filter_cancel_repeats_until_a_pass_cancels_nothing() {
    // (runs matching, service cap, options, cancelled, passes, more may match)
    let cases: [(u64, u64, Options, u64, u32, bool); 5] = [
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
    ];
    for (matching, cap, options, cancelled, passes, more) in cases {
        let summary = drive(run_for(options), capped_service(matching, cap)).unwrap();
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
    }
    let one = drive(
        run_for(call().with("label", "x").with("untilDone", false)),
        capped_service(37, 100),
    )
    .unwrap();
    assert!(!one.more_may_match, "37 of a cap of 100: nothing more matched");
}

#[test]
fn a_cancel_stopped_by_max_passes_is_unfinished_never_done() {
    let err = drive(
        run_for(call().with("label", "nightly").with("maxPasses", 10.0)),
        capped_service(1_667, 100),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    assert!(err.message.contains("maxPasses (10)"), "{}", err.message);
    assert_eq!(err.partial.unwrap().cancelled, 1_000);

    // An id list repeated with untilDone: the counts do not say which ids are left, so every id
    // is given back (safe to send again).
    let err = drive(
        run_for(
            call()
                .with("workflowRunIds", ids(3, 2))
                .with("untilDone", true)
                .with("maxPasses", 2.0),
        ),
        |_| Ok(1),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    let partial = err.partial.unwrap();
    assert_eq!(partial.failed_run_ids.unwrap().len(), 3);
    assert_eq!(partial.unconfirmed_run_ids, None);
}

#[test]
fn count_is_a_ceiling_for_the_whole_call() {
    // The service cancels at most 100 a call whatever count asks: passes ask for what is left.
    let mut asked = Vec::new();
    let mut service = capped_service(1_667, 100);
    let summary = drive(run_for(call().with("label", "x").with("count", 250.0)), |url| {
        asked.push(count_of(url));
        service(url).map(|n| n.min(100))
    })
    .unwrap();
    assert_eq!(asked, [Some(250), Some(150), Some(50)]);
    assert_eq!(
        (summary.cancelled, summary.more_may_match),
        (250, true),
        "stopped at count"
    );

    // Fewer match than count: the call ends on a pass that cancelled nothing.
    let summary = drive(
        run_for(call().with("label", "x").with("count", 250.0)),
        capped_service(120, 100),
    )
    .unwrap();
    assert_eq!(
        (summary.cancelled, summary.passes, summary.more_may_match),
        (120, 2, false)
    );

    // A service that acts and loses its answer: a request with count is never sent twice.
    for lost in [
        failure(ErrorCode::Timeout, None),
        failure(ErrorCode::NetworkError, None),
        failure(ErrorCode::HttpError, Some(502)),
        failure(ErrorCode::InvalidResponse, Some(200)),
    ] {
        let mut attempts = 0;
        let err = drive(run_for(call().with("label", "x").with("count", 10.0)), |_| {
            attempts += 1;
            Err(lost.clone())
        })
        .unwrap_err();
        assert_eq!(attempts, 1, "{:?} was sent again", lost.code);
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
    let mut answers = vec![Ok(4), Err(failure(ErrorCode::Timeout, None))].into_iter();
    let err = drive(run_for(call().with("label", "x").with("count", 10.0)), |_| {
        answers.next().unwrap()
    })
    .unwrap_err();
    let partial = err.partial.unwrap();
    assert_eq!((partial.cancelled, partial.unconfirmed_up_to), (4, Some(6)));

    // An answer that says nothing was done is retried as before.
    let mut answers = vec![
        Err(failure(ErrorCode::RateLimited, Some(429))),
        Err(failure(ErrorCode::HttpError, Some(503))),
        Ok(10),
    ]
    .into_iter();
    let summary = drive(run_for(call().with("label", "x").with("count", 10.0)), |_| {
        answers.next().unwrap()
    })
    .unwrap();
    assert_eq!(
        (
            summary.cancelled,
            summary.requests,
            summary.retries,
            summary.unconfirmed
        ),
        (10, 3, 2, 0)
    );
}

#[test]
fn without_count_a_lost_answer_is_retried_and_reported_as_unconfirmed() {
    let mut answers = vec![Err(failure(ErrorCode::Timeout, None)), Ok(3), Ok(0)].into_iter();
    let summary = drive(run_for(call().with("label", "x")), |_| answers.next().unwrap()).unwrap();
    assert_eq!(
        (
            summary.cancelled,
            summary.requests,
            summary.unconfirmed,
            summary.more_may_match
        ),
        (3, 3, 1, false)
    );

    let mut answers = vec![Err(failure(ErrorCode::Timeout, None)), Ok(3)].into_iter();
    let one = drive(
        run_for(call().with("label", "x").with("untilDone", false)),
        |_| answers.next().unwrap(),
    )
    .unwrap();
    assert!(
        one.more_may_match,
        "a lost answer may have cancelled more than the count says"
    );
}

#[test]
fn a_stopped_id_list_tells_confirmed_unconfirmed_and_not_cancelled_apart() {
    let mut run = run_for(
        call()
            .with("encoding", "body")
            .with("workflowRunIds", ids(3_500, 4)),
    );
    assert_eq!(run.batches(), 4);
    let list = |range: core::ops::Range<usize>| range.map(|i| format!("wfr_{i:04}")).collect::<Vec<_>>();
    let [b0, b1, b2] = [(); 3].map(|_| run.next_batch().unwrap());
    for b in [b0, b1, b2] {
        run.sending(b, false);
    }
    run.succeeded(b0, 1_000);
    // b1 gets a 401 (refused: not cancelled); b2 times out, then its retry is refused by a 503.
    let refused = failure(ErrorCode::Unauthorized, Some(401));
    assert!(run.after_failure(b1, 0, refused.clone(), None, 0, 0.0).is_err());
    run.failed(b1, refused);
    assert!(run
        .after_failure(b2, 0, failure(ErrorCode::Timeout, None), None, 0, 0.0)
        .is_ok());
    run.sending(b2, true);
    run.failed(b2, failure(ErrorCode::HttpError, Some(503)));
    assert_eq!(run.next_batch(), None, "nothing more is sent after a failure");
    let err = run.finish().unwrap_err();
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
fn an_abort_in_flight_is_unconfirmed_and_wins() {
    let mut run = run_for(
        call()
            .with("encoding", "body")
            .with("workflowRunIds", ids(2_000, 4)),
    );
    let (b0, b1) = (run.next_batch().unwrap(), run.next_batch().unwrap());
    run.sending(b0, false);
    run.failed(b0, failure(ErrorCode::HttpError, Some(404)));
    run.sending(b1, false);
    run.failed(b1, failure(ErrorCode::Aborted, None));
    let err = run.finish().unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::Aborted,
        "an abort is what the caller asked for"
    );
    let partial = err.partial.unwrap();
    assert_eq!(partial.unconfirmed_run_ids.unwrap().len(), 1_000);
    assert_eq!(partial.not_cancelled_run_ids.unwrap().len(), 1_000);
}

#[test]
fn totals_stop_at_the_largest_integer_a_js_number_holds() {
    const MAX: u64 = 9_007_199_254_740_991;
    let two_batches = || {
        run_for(
            call()
                .with("encoding", "body")
                .with("workflowRunIds", ids(1_500, 4)),
        )
    };
    let summary = drive(two_batches(), |_| Ok(MAX)).unwrap();
    assert_eq!(summary.cancelled, MAX);
    let mut answers = vec![Ok(MAX), Err(failure(ErrorCode::Unauthorized, Some(401)))].into_iter();
    let err = drive(two_batches(), |_| answers.next().unwrap()).unwrap_err();
    let partial = err.partial.unwrap();
    assert_eq!((err.status, partial.cancelled), (Some(401), MAX));
    assert_eq!(partial.failed_run_ids.unwrap().len(), 500);
}

#[test]
fn a_failure_in_a_later_pass_of_an_id_list_does_not_call_earlier_ids_not_cancelled() {
    let mut answers = vec![Ok(1), Err(failure(ErrorCode::Unauthorized, Some(401)))].into_iter();
    let run = run_for(call().with("workflowRunIds", ids(3, 2)).with("untilDone", true));
    let partial = drive(run, |_| answers.next().unwrap())
        .unwrap_err()
        .partial
        .unwrap();
    assert_eq!(partial.failed_run_ids.unwrap().len(), 3, "safe to send again");
    assert_eq!(
        partial.not_cancelled_run_ids, None,
        "pass 1 sent them all and may have cancelled any"
    );
}

#[test]
fn a_filter_failure_reports_the_count_but_no_ids() {
    let mut answers = vec![Ok(4), Err(failure(ErrorCode::HttpError, Some(404)))].into_iter();
    let err = drive(run_for(call().with("label", "x")), |_| answers.next().unwrap()).unwrap_err();
    let partial = err.partial.unwrap();
    assert_eq!(
        (partial.cancelled, partial.unconfirmed, partial.failed_run_ids),
        (4, 0, None)
    );
}
