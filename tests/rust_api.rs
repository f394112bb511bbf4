//! The Rust surface keeps the JS side's promise: a checked request cannot be built or changed
//! outside the rules (see also the `compile_fail` example on `CancelRequest`), `build` sends no
//! more than one request can carry, and the typed builder ends in the same rules as the options.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::js::{parse_call, parse_request, Options, Value};
use qstash_cancel::{
    build, CancelRuns, Cancellation, Encoding, ErrorCode, Failure, Filters, HttpResponse, Machine,
    RetryPolicy, Step, Target,
};

fn account() -> qstash_cancel::Account {
    parse_call(&Options::new().with("token", "tok").with("all", true))
        .unwrap()
        .0
}

#[test]
fn what_once_emptied_into_a_cancel_all_is_refused() {
    // Filters holding only callerIp in the body form: the body would have been `{}`.
    let err = CancelRuns::filters(Filters::new().caller_ip("10.0.0.1"))
        .encoding(Encoding::Body)
        .check()
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("callerIp"));
    // An empty id list: the body would have been `{"workflowRunIds":[]}`.
    let err = CancelRuns::ids(Vec::<&str>::new()).check().unwrap_err();
    assert_eq!(err.field.as_deref(), Some("workflowRunIds"));
    // No filter at all.
    let err = CancelRuns::filters(Filters::new()).check().unwrap_err();
    assert_eq!(err.field.as_deref(), Some("options"));
    // Only all() is all.
    assert_eq!(*CancelRuns::all().check().unwrap().target(), Target::All);
}

#[test]
fn build_sends_one_request_and_run_splits_the_rest() {
    let ids: Vec<String> = (0..5_000).map(|i| format!("wfr_{i:05}")).collect();
    let request = CancelRuns::ids(&ids).encoding(Encoding::Body).check().unwrap();
    let err = build(&account(), &request).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("workflowRunIds"));
    assert!(
        err.message.contains("has 5000 ids, which take 5 requests"),
        "{}",
        err.message
    );
    let mut call = Cancellation::new(&account(), request, 0, 0).unwrap();
    assert_eq!(call.requests_per_pass(), 5);
    let mut bodies = Vec::new();
    while let Step::Send(transmit) = call.poll(0) {
        bodies.push(transmit.request().body.clone().unwrap_or_default());
        let answer = HttpResponse {
            status: 200,
            body: r#"{"cancelled":1000}"#.into(),
            ..Default::default()
        };
        call.on_response(transmit, &answer, 0).unwrap();
    }
    assert_eq!(call.finish().unwrap().cancelled, 5_000);
    assert!(bodies.len() == 5 && bodies.iter().all(|body| body.len() < 64 * 1024));
}

#[test]
fn the_builder_ends_in_the_same_rules_as_the_options() {
    let typed = CancelRuns::filters(
        Filters::new()
            .workflow_url("https://app.test/wf")
            .exact_match()
            .label("a")
            .label("b")
            .from_date(1_700_000_000_000)
            .to_date(1_800_000_000_000)
            .caller_ip("10.0.0.1")
            .flow_control_key("k"),
    )
    .count(5)
    .retry(RetryPolicy {
        retries: 2,
        base_delay_ms: 10,
        max_delay_ms: 100,
    })
    .timeout_ms(1_000)
    .deadline_ms(9_000)
    .until_done(true)
    .max_passes(3)
    .check()
    .unwrap();
    let options = Options::new()
        .with("workflowUrl", "https://app.test/wf")
        .with("workflowUrlExactMatch", true)
        .with("label", vec!["a", "b"])
        .with("fromDate", 1.7e12)
        .with("toDate", 1.8e12)
        .with("callerIp", "10.0.0.1")
        .with("flowControlKey", "k")
        .with("count", 5.0)
        .with(
            "retry",
            Value::Object(vec![
                ("retries".into(), Value::Number(2.0)),
                ("baseDelayMs".into(), Value::Number(10.0)),
                ("maxDelayMs".into(), Value::Number(100.0)),
            ]),
        )
        .with("timeoutMs", 1_000.0)
        .with("deadlineMs", 9_000.0)
        .with("untilDone", true)
        .with("maxPasses", 3.0);
    assert_eq!(typed, parse_request(&options).unwrap());
    let ids = CancelRuns::ids(["x", "y", "x"]).concurrency(2).check().unwrap();
    let Target::Ids(list) = ids.target() else {
        panic!("{ids:?}")
    };
    assert_eq!(list.iter().collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(ids.call_options().concurrency, 2);
}

#[test]
fn a_count_past_what_a_js_number_holds_is_taken_as_the_largest_it_holds_not_refused() {
    let request = CancelRuns::all().count(u64::MAX).check().unwrap();
    assert_eq!(request.count(), Some(9_007_199_254_740_991));
    // And it is sent as that cap, not dropped.
    assert!(build(&account(), &request)
        .unwrap()
        .url
        .ends_with("?count=9007199254740991"));
}

/// A call of `n` ids (`wfr_<tag>_0000`, ...) in the body form, one request at a time.
fn id_call(tag: &str, n: usize) -> Cancellation {
    let ids: Vec<String> = (0..n).map(|i| format!("wfr_{tag}_{i:04}")).collect();
    let request = CancelRuns::ids(&ids)
        .encoding(Encoding::Body)
        .concurrency(1)
        .check()
        .unwrap();
    Cancellation::new(&account(), request, 0, 0).unwrap()
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        body: body.into(),
        ..Default::default()
    }
}

#[test]
fn a_transmit_is_refused_by_a_call_that_did_not_make_it() {
    let (mut a, mut b) = (id_call("a", 1_000), id_call("b", 165));
    let (Step::Send(from_a), Step::Send(from_b)) = (a.poll(0), b.poll(0)) else {
        panic!("a request from each")
    };
    let confirms_1000 = answer(200, r#"{"cancelled":1000}"#);
    // B refuses A's transmit and gives it back; a failure is refused the same way.
    let refused = b.on_response(from_a, &confirms_1000, 0).unwrap_err();
    assert!(refused.to_string().contains("another call"), "{refused}");
    let from_a = b
        .on_failure(refused.into_transmit(), Failure::TimedOut, 0)
        .unwrap_err()
        .into_transmit();
    // A takes it: its batch is confirmed.
    assert_eq!(
        a.on_response(from_a, &confirms_1000, 0).unwrap().unwrap().total,
        1_000
    );
    assert!(matches!(a.poll(0), Step::Done));
    assert_eq!(a.finish().unwrap().cancelled, 1_000);
    // B was left as it was: its own batch is refused, and every one of its ids is given back.
    b.on_response(from_b, &answer(401, "{}"), 0).unwrap();
    assert!(matches!(b.poll(0), Step::Done));
    let err = b.finish().unwrap_err();
    let partial = err.partial.unwrap();
    assert_eq!(
        (err.code, partial.cancelled, partial.unconfirmed),
        (ErrorCode::Unauthorized, 0, 0)
    );
    assert_eq!(
        partial.failed_run_ids.unwrap().len(),
        165,
        "b's ids are all given back"
    );
}

#[test]
fn finish_before_done_reports_what_was_in_flight_and_never_sent() {
    // 5,000 ids, one batch of 1,000 in flight, four never sent.
    let mut call = id_call("x", 5_000);
    let Step::Send(_in_flight) = call.poll(0) else {
        panic!("a request to send")
    };
    let err = call.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    let partial = err.partial.unwrap();
    assert_eq!((partial.cancelled, partial.unconfirmed), (0, 1));
    assert_eq!(partial.unconfirmed_run_ids.unwrap().len(), 1_000);
    assert_eq!(partial.not_cancelled_run_ids.unwrap().len(), 4_000);
    assert_eq!(partial.failed_run_ids.unwrap().len(), 5_000);

    // A request with count in flight may cancel up to count: said, as for a lost answer.
    let mut call = Cancellation::new(&account(), CancelRuns::all().count(10).check().unwrap(), 0, 0).unwrap();
    let Step::Send(_in_flight) = call.poll(0) else {
        panic!("a request to send")
    };
    let err = call.finish().unwrap_err();
    assert!(
        err.message.contains("may have cancelled up to 10 runs"),
        "{}",
        err.message
    );
    let partial = err.partial.unwrap();
    assert_eq!((partial.unconfirmed, partial.unconfirmed_up_to), (1, Some(10)));

    // An `all` call never polled sent nothing: not done, and not "nothing more may match".
    let call = Cancellation::new(&account(), CancelRuns::all().check().unwrap(), 0, 0).unwrap();
    let err = call.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    assert!(
        err.message
            .starts_with("the call was finished before poll said Done"),
        "{}",
        err.message
    );
    // No limit stopped it: no option is named.
    assert_eq!((err.field.as_deref(), err.limit), (None, None));
    let partial = err.partial.unwrap();
    assert_eq!((partial.cancelled, partial.unconfirmed), (0, 0));
}

#[test]
fn a_background_cancel_cannot_be_carried_out_as_a_cancellation() {
    let options = Options::new()
        .with("token", "tok")
        .with("label", "x")
        .with("async", true);
    let (account, request) = parse_call(&options).unwrap();
    let err = Cancellation::new(&account, request, 0, 0).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidOptions, Some("async"))
    );
    assert!(err.message.contains("read_started"), "{}", err.message);
}
