//! The Rust surface keeps the JS side's promise: a checked request cannot be built or changed
//! outside the rules (see also the `compile_fail` example on `CancelRequest`), `build` sends no
//! more than one request can carry, and the typed builder ends in the same rules as the options.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::js::{parse_call, parse_request, Options, Value};
use qstash_cancel::{
    build, CancelRuns, Cancellation, Encoding, Filters, HttpResponse, RetryPolicy, Step, Target,
};

fn connection() -> qstash_cancel::Connection {
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
    let err = build(&connection(), &request).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("workflowRunIds"));
    assert!(
        err.message.contains("has 5000 ids, which take 5 requests"),
        "{}",
        err.message
    );
    let mut call = Cancellation::new(&connection(), request, 0, 0).unwrap();
    assert_eq!(call.requests_per_pass(), 5);
    let mut bodies = Vec::new();
    while let Step::Send(transmit) = call.poll(0) {
        bodies.push(transmit.request().body.clone().unwrap_or_default());
        let answer = HttpResponse {
            status: 200,
            body: r#"{"cancelled":1000}"#.into(),
            ..Default::default()
        };
        call.on_response(transmit, &answer, 0);
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
    assert_eq!(ids.execution().concurrency, 2);
}

#[test]
fn a_count_past_what_a_js_number_holds_is_taken_as_no_cap_not_refused() {
    let request = CancelRuns::all().count(u64::MAX).check().unwrap();
    assert_eq!(request.count(), Some(9_007_199_254_740_991));
}
