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

#[test]
fn a_filter_cancel_is_one_request_per_pass() {
    let mut run = run_for(
        call()
            .with("label", "x")
            .with("untilDone", true)
            .with("maxPasses", 3.0),
    );
    let mut passes = Vec::new();
    loop {
        let batch = run.next_batch().unwrap();
        assert_eq!(run.next_batch(), None);
        run.sending(false);
        passes.push(run.succeeded(batch, 5).total);
        if !run.next_pass() {
            break;
        }
    }
    assert_eq!(passes, [5, 10, 15], "stops at maxPasses");
    assert_eq!(
        run.finish(),
        Ok(Summary {
            cancelled: 15,
            requests: 3,
            passes: 3,
            retries: 0
        })
    );
}

#[test]
fn until_done_stops_after_a_pass_that_cancels_nothing() {
    let mut run = run_for(call().with("all", true).with("untilDone", true));
    for (pass, cancelled) in [(1, 100), (2, 3), (3, 0)] {
        let batch = run.next_batch().unwrap();
        run.sending(pass == 2);
        assert_eq!(run.succeeded(batch, cancelled).pass, pass);
        assert_eq!(run.next_pass(), pass < 3);
    }
    assert_eq!(
        run.finish(),
        Ok(Summary {
            cancelled: 103,
            requests: 3,
            passes: 3,
            retries: 1
        })
    );

    let mut once = run_for(call().with("all", true));
    let batch = once.next_batch().unwrap();
    once.succeeded(batch, 7);
    assert!(!once.next_pass(), "without untilDone, one pass");
}

#[test]
fn a_partial_failure_reports_what_was_cancelled_and_exactly_the_ids_not_done() {
    let mut run = run_for(
        call()
            .with("encoding", "body")
            .with("workflowRunIds", ids(3_500, 4)),
    );
    assert_eq!(run.batches(), 4);
    let (b0, b1) = (run.next_batch().unwrap(), run.next_batch().unwrap());
    run.succeeded(b0, 990);
    run.failed(b1, Error::new(ErrorCode::Unauthorized, "401".into()));
    assert_eq!(run.next_batch(), None, "nothing more is sent after a failure");
    run.failed(b1, Error::new(ErrorCode::Aborted, "stop".into()));
    let err = run.finish().unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::Aborted,
        "an abort is what the caller asked for"
    );
    let partial = err.partial.unwrap();
    assert_eq!(partial.cancelled, 990);
    let failed = partial.failed_run_ids.unwrap();
    let want: Vec<String> = (1_000..3_500).map(|i| format!("wfr_{i:04}")).collect();
    assert!(
        failed == want,
        "failed ids: {} from {:?}",
        failed.len(),
        failed.first()
    );
}

#[test]
fn a_filter_failure_reports_the_count_but_no_ids() {
    let mut run = run_for(call().with("label", "x").with("untilDone", true));
    let batch = run.next_batch().unwrap();
    run.succeeded(batch, 4);
    assert!(run.next_pass());
    let batch = run.next_batch().unwrap();
    run.failed(batch, Error::new(ErrorCode::HttpError, "500".into()));
    assert!(!run.next_pass());
    let partial = run.finish().unwrap_err().partial.unwrap();
    assert_eq!((partial.cancelled, partial.failed_run_ids), (4, None));
}
