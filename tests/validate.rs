//! Every refusal rule, one table row each: the field named, the rule said, nothing built.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::js::{parse_call, parse_connection, parse_request, Options, Value};
use qstash_cancel::ErrorCode;

const TOKEN: &str = "test-token-123";

fn call() -> Options {
    Options::new().with("token", TOKEN)
}

fn body() -> Options {
    call().with("encoding", "body")
}

fn ids(list: &[&str]) -> Value {
    Value::from(list.to_vec())
}

#[test]
fn refusals_name_the_field_and_the_rule() {
    let many = |n: usize| Value::Array((0..n).map(|i| Value::String(format!("wfr_{i}"))).collect());
    #[rustfmt::skip]
    let cases: Vec<(&str, Options, &str, &str)> = vec![
        // (what, options, field, part of the message)
        ("empty object", call(), "options", "cancel EVERY workflow run"),
        ("only undefined target", call().with("label", Value::Undefined), "label", "is undefined"),
        ("typo with suggestion", call().with("lable", "x"), "lable", "did you mean \"label\""),
        ("typo of ids", call().with("workflowRunId", ids(&["a"])), "workflowRunId", "did you mean \"workflowRunIds\""),
        ("unknown key", call().with("filter", "x"), "filter", "is not a known option"),
        ("missing token", Options::new().with("all", true), "token", "is required"),
        ("token not a string", Options::new().with("token", 5.0).with("all", true), "token", "must be a string (got number)"),
        ("empty token", Options::new().with("token", "").with("all", true), "token", "must not be empty"),
        ("token with newline", Options::new().with("token", "abc\n").with("all", true), "token", "whitespace or control"),
        ("token with space", Options::new().with("token", "ab c").with("all", true), "token", "whitespace"),
        ("token null", Options::new().with("token", Value::Null).with("all", true), "token", "got null"),
        ("http base url", call().with("all", true).with("baseUrl", "http://qstash.upstash.io"), "baseUrl", "must use https"),
        ("base url not a url", call().with("all", true).with("baseUrl", "qstash"), "baseUrl", "must start with https://"),
        ("base url type", call().with("all", true).with("baseUrl", true), "baseUrl", "must be a string"),
        ("ids not array", call().with("workflowRunIds", "wfr_1"), "workflowRunIds", "non-empty array"),
        ("ids empty", call().with("workflowRunIds", ids(&[])), "workflowRunIds", "must not be empty"),
        ("id empty string", call().with("workflowRunIds", ids(&["a", ""])), "workflowRunIds", "workflowRunIds[1]: must not be empty"),
        ("id whitespace only", call().with("workflowRunIds", ids(&["  "])), "workflowRunIds", "only whitespace"),
        ("id inner space", call().with("workflowRunIds", ids(&["a b"])), "workflowRunIds", "without whitespace"),
        ("id control char", call().with("workflowRunIds", ids(&["a\u{7}"])), "workflowRunIds", "control characters"),
        ("id not string", call().with("workflowRunIds", Value::Array(vec![Value::Number(1.0)])), "workflowRunIds", "must be a string (got number)"),
        ("id comma in query", call().with("encoding", "query").with("workflowRunIds", ids(&["a,b"])), "workflowRunIds", "comma"),
        ("ids with filter", call().with("workflowRunIds", ids(&["a"])).with("label", "x"), "label", "cannot be combined with workflowRunIds"),
        ("ids with all", call().with("workflowRunIds", ids(&["a"])).with("all", true), "all", "cannot be combined with workflowRunIds"),
        ("ids with count", call().with("encoding", "query").with("workflowRunIds", ids(&["a"])).with("count", 5.0), "count", "not to workflowRunIds"),
        ("all with filter", call().with("all", true).with("fromDate", 1.7e12), "all", "cannot be combined with fromDate"),
        ("all as string", call().with("all", "true"), "all", "must be true"),
        ("all as 1", call().with("all", 1.0), "all", "got number"),
        ("label number", call().with("label", 3.0), "label", "a string or a non-empty array of strings (got number)"),
        ("label null", call().with("label", Value::Null), "label", "got null"),
        ("label empty array", call().with("label", Value::Array(vec![])), "label", "non-empty array"),
        ("label empty", call().with("label", ""), "label", "must not be empty"),
        ("label whitespace", call().with("label", " \t"), "label", "only whitespace"),
        ("label padded", call().with("label", " x"), "label", "start or end with whitespace"),
        ("label control", call().with("label", "a\u{0}b"), "label", "control characters"),
        ("label comma in query", call().with("encoding", "query").with("label", "a,b"), "label", "comma"),
        ("a comma in the default (query) form", call().with("label", "a,b"), "label", "comma in the query form"),
        ("two labels in body", body().with("label", vec!["a", "b"]), "label", "encoding: \"query\""),
        ("url relative", call().with("workflowUrl", "/api/wf"), "workflowUrl", "absolute http(s) URL"),
        ("url ftp", call().with("workflowUrl", "ftp://x.com"), "workflowUrl", "absolute http(s) URL"),
        ("url no host", call().with("workflowUrl", "https:///x"), "workflowUrl", "absolute http(s) URL"),
        ("url with space", call().with("workflowUrl", "https://x.com/a b"), "workflowUrl", "absolute http(s) URL"),
        ("two urls in body", body().with("workflowUrl", vec!["https://a.com", "https://b.com"]), "workflowUrl", "encoding: \"query\""),
        ("exact match without url", call().with("encoding", "query").with("label", "x").with("workflowUrlExactMatch", true), "workflowUrlExactMatch", "needs workflowUrl"),
        ("exact match not bool", call().with("encoding", "query").with("workflowUrl", "https://a.com").with("workflowUrlExactMatch", "yes"), "workflowUrlExactMatch", "a boolean"),
        ("exact match in body", body().with("workflowUrl", "https://a.com").with("workflowUrlExactMatch", true), "workflowUrlExactMatch", "query form"),
        ("callerIp in body", body().with("callerIp", "1.2.3.4"), "callerIp", "query form"),
        ("flowControlKey in body", body().with("flowControlKey", "k"), "flowControlKey", "query form"),
        ("count in body", body().with("all", true).with("count", 5.0), "count", "query form"),
        ("count zero", call().with("encoding", "query").with("all", true).with("count", 0.0), "count", "positive integer"),
        ("count fraction", call().with("encoding", "query").with("all", true).with("count", 1.5), "count", "positive integer"),
        ("count NaN", call().with("encoding", "query").with("all", true).with("count", f64::NAN), "count", "positive integer"),
        ("count string", call().with("encoding", "query").with("all", true).with("count", "5"), "count", "positive integer"),
        ("date fraction", call().with("fromDate", 1.7e12 + 0.5), "fromDate", "whole number"),
        ("date negative", call().with("toDate", -1.0), "toDate", "must not be negative"),
        ("date infinite", call().with("toDate", f64::INFINITY), "toDate", "finite"),
        ("date NaN", call().with("toDate", f64::NAN), "toDate", "finite"),
        ("date in seconds", call().with("fromDate", 1_640_995_200.0), "fromDate", "looks like seconds"),
        ("date too large", call().with("fromDate", 9e15), "fromDate", "out of range"),
        ("date string", call().with("fromDate", "2024-01-01"), "fromDate", "or a Date (got string)"),
        ("invalid Date", call().with("fromDate", Value::Date(f64::NAN)), "fromDate", "invalid Date"),
        ("Date before 1970", call().with("fromDate", Value::Date(-5.0)), "fromDate", "before 1970"),
        ("Date made from seconds", call().with("toDate", Value::Date(1_700_000_000.0)), "toDate", "most likely made from Unix seconds"),
        ("list over the maximum", call().with("workflowRunIds", Value::TooLong(100_000_000)), "workflowRunIds", "has 100000000 items; a list has at most 1000000"),
        ("label list over the maximum", call().with("label", Value::TooLong(2_000_000)), "label", "at most 1000000"),
        ("token a huge list", Options::new().with("token", Value::TooLong(2_000_000)).with("all", true), "token", "must be a string (got array)"),
        ("a string too long to copy", call().with("token", Value::LongString(1 << 28)), "token", "token: is a string of 268435456 characters; an option has at most 1048576"),
        ("a list item too long to copy", call().with("label", Value::Array(vec![Value::from("a"), Value::LongString(1 << 21)])), "label", "label[1]: is a string of 2097152 characters"),
        ("an unknown key with a huge value", call().with("lable", Value::LongString(1 << 21)), "lable", "is a string of 2097152 characters"),
        ("a huge key", call().with(&"k".repeat(10_000), 1.0), "options", "has a key of 10000 bytes"),
        ("a huge retry key", call().with("all", true).with("retry", Value::Object(vec![("r".repeat(100), Value::Number(1.0))])), "retry", "has a key of 100 bytes"),
        ("an ill-formed string", call().with("label", Value::IllFormed), "label", "label: must be well-formed Unicode (it has an unpaired UTF-16 surrogate"),
        ("an ill-formed list item", call().with("workflowRunIds", Value::Array(vec![Value::from("a"), Value::IllFormed])), "workflowRunIds", "workflowRunIds[1]: must be well-formed"),
        ("an ill-formed token", Options::new().with("token", Value::IllFormed).with("all", true), "token", "must be a string (got a string with an unpaired UTF-16 surrogate)"),
        ("from after to", call().with("fromDate", 1.8e12).with("toDate", 1.7e12), "fromDate", "must not be after toDate"),
        ("encoding unknown", call().with("all", true).with("encoding", "form"), "encoding", "\"body\" or \"query\""),
        ("object value", call().with("label", Value::Other("object")), "label", "got object"),
        ("retry a number", call().with("all", true).with("retry", 3.0), "retry", "false, true or { retries, baseDelayMs, maxDelayMs }"),
        ("retry typo", call().with("all", true).with("retry", Value::Object(vec![("retires".into(), Value::Number(3.0))])), "retry", "did you mean \"retries\""),
        ("retry negative", call().with("all", true).with("retry", Value::Object(vec![("retries".into(), Value::Number(-1.0))])), "retry", "retry.retries must be a non-negative integer"),
        ("retry too many", call().with("all", true).with("retry", Value::Object(vec![("retries".into(), Value::Number(101.0))])), "retry", "at most 100"),
        ("retry base over max", call().with("all", true).with("retry", Value::Object(vec![("baseDelayMs".into(), Value::Number(9000.0))])), "retry", "must not exceed retry.maxDelayMs"),
        ("timeout zero", call().with("all", true).with("timeoutMs", 0.0), "timeoutMs", "from 1 to 2147483647"),
        ("timeout fraction", call().with("all", true).with("timeoutMs", 1.5), "timeoutMs", "whole number of milliseconds"),
        ("deadline string", call().with("all", true).with("deadlineMs", "5s"), "deadlineMs", "whole number of milliseconds"),
        ("concurrency zero", call().with("all", true).with("concurrency", 0.0), "concurrency", "from 1 to 16"),
        ("concurrency too high", call().with("all", true).with("concurrency", 17.0), "concurrency", "from 1 to 16"),
        ("untilDone string", call().with("all", true).with("untilDone", "yes"), "untilDone", "must be a boolean"),
        ("maxPasses with untilDone: false", call().with("all", true).with("untilDone", false).with("maxPasses", 3.0), "maxPasses", "untilDone: false sends one request"),
        ("maxPasses on ids without untilDone", call().with("workflowRunIds", ids(&["a"])).with("maxPasses", 3.0), "maxPasses", "only applies with untilDone: true"),
        ("maxPasses zero", call().with("all", true).with("maxPasses", 0.0), "maxPasses", "from 1 to 100000"),
        ("maxPasses too many", call().with("label", "x").with("maxPasses", 100_001.0), "maxPasses", "from 1 to 100000"),
        ("maxRequests zero", call().with("all", true).with("maxRequests", 0.0), "maxRequests", "from 1 to 1000000"),
        ("maxRequests a fraction", call().with("all", true).with("maxRequests", 2.5), "maxRequests", "from 1 to 1000000"),
        ("maxRequests a string", call().with("all", true).with("maxRequests", "50"), "maxRequests", "from 1 to 1000000"),
        ("maxRequests too many", call().with("all", true).with("maxRequests", 1_000_001.0), "maxRequests", "from 1 to 1000000"),
        ("maxRequests infinite", call().with("all", true).with("maxRequests", f64::INFINITY), "maxRequests", "from 1 to 1000000"),
        ("host in body", body().with("host", "app.example.com"), "host", "query form"),
        ("path in body", body().with("path", "/api/x"), "path", "query form"),
        ("host as a URL", call().with("host", "https://app.example.com"), "host", "not a URL"),
        ("host with a path", call().with("host", "app.example.com/api"), "host", "not a URL"),
        ("host empty", call().with("host", ""), "host", "must not be empty"),
        ("path without a slash", call().with("path", "api/x"), "path", "starting with /"),
        ("path with a space", call().with("path", "/api/a b"), "path", "no whitespace"),
        ("path with a comma", call().with("path", "/a,b"), "path", "comma"),
        ("a right-to-left override in a label", call().with("label", "nightly\u{202E}ylhtnom"), "label", "invisible or bidirectional"),
        ("a zero-width space in a label", call().with("label", "night\u{200B}ly"), "label", "invisible or bidirectional"),
        ("a byte-order mark in a flow-control key", call().with("flowControlKey", "\u{FEFF}key"), "flowControlKey", "invisible or bidirectional"),
        ("a soft hyphen in a caller IP", call().with("callerIp", "10.0.0\u{00AD}.1"), "callerIp", "invisible or bidirectional"),
        ("a bidi isolate in a workflow URL", call().with("workflowUrl", "https://app.test/\u{2067}x"), "workflowUrl", "invisible or bidirectional"),
        ("a zero-width joiner in a run id", call().with("workflowRunIds", ids(&["wfr_\u{200D}1"])), "workflowRunIds", "invisible or bidirectional"),
        ("a lone combining mark", call().with("label", "\u{0301}"), "label", "combining mark"),
        ("host item", call().with("host", Value::Array(vec!["a.test".into(), "b test".into()])), "host", "not a URL"),
        ("signal not a signal", call().with("all", true).with("signal", Value::Other("object")), "signal", "an AbortSignal"),
        ("onProgress not a function", call().with("all", true).with("onProgress", "log"), "onProgress", "a function (got string)"),
        ("ids over one request, built alone", call().with("workflowRunIds", many(1000)), "workflowRunIds", "has 1000 ids, which take 3 requests; send them through Cancellation::new"),
        ("filters over the URL limit", call().with("label", Value::Array((0..400).map(|i| Value::String(format!("label-{i:04}-xxxxxxxxxx"))).collect())), "options", "8000-byte limit"),
    ];
    for (what, options, field, message) in cases {
        let result =
            parse_call(&options).and_then(|(account, request)| qstash_cancel::build(&account, &request));
        let err = result.expect_err(what);
        assert_eq!(err.code, ErrorCode::InvalidOptions, "{what}");
        assert_eq!(err.field.as_deref(), Some(field), "{what}: {}", err.message);
        assert!(
            err.message.contains(message),
            "{what}: {:?} lacks {message:?}",
            err.message
        );
        assert!(err.message.starts_with(field), "{what}: {}", err.message);
        let item = err.index.map(|i| format!("[{i}]")).unwrap_or_default();
        let rule = err.rule().unwrap_or_else(|| panic!("{what}: no rule"));
        assert_eq!(
            err.message,
            format!("{field}{item}: {rule}"),
            "{what}: the rule is the message without the field"
        );
        assert!(!err.message.contains(TOKEN), "{what} leaks the token");
    }
}

#[test]
fn execution_options_are_read() {
    let retry = Value::Object(vec![
        ("retries".into(), Value::Number(2.0)),
        ("maxDelayMs".into(), Value::Number(500.0)),
    ]);
    let options = call()
        .with("all", true)
        .with("retry", retry)
        .with("timeoutMs", 1500.0)
        .with("deadlineMs", 60_000.0)
        .with("concurrency", 8.0)
        .with("untilDone", true)
        .with("maxPasses", 3.0)
        .with("maxRequests", 50.0)
        .with("signal", Value::Other("AbortSignal"))
        .with("onProgress", Value::Other("function"));
    let (_, request) = parse_call(&options).unwrap();
    let want = qstash_cancel::CallOptions {
        retry: qstash_cancel::RetryPolicy {
            retries: 2,
            base_delay_ms: 250,
            max_delay_ms: 500,
        },
        timeout_ms: 1500,
        deadline_ms: Some(60_000),
        concurrency: 8,
        until_done: true,
        max_passes: 3,
        max_requests: Some(50),
    };
    assert_eq!(*request.call_options(), want);
    let (_, request) = parse_call(&call().with("all", true).with("retry", false)).unwrap();
    assert_eq!(request.call_options().retry, qstash_cancel::RetryPolicy::NONE);
}

#[test]
fn filter_and_all_cancels_repeat_until_done_by_default_and_id_lists_do_not() {
    let cases = [
        // (what, options, until done)
        ("a filter", call().with("label", "x"), true),
        ("all", call().with("all", true), true),
        (
            "host and path",
            call().with("host", "a.test").with("path", "/x"),
            true,
        ),
        (
            "a filter, one request",
            call().with("label", "x").with("untilDone", false),
            false,
        ),
        ("ids", call().with("workflowRunIds", ids(&["a"])), false),
        (
            "ids, repeated",
            call().with("workflowRunIds", ids(&["a"])).with("untilDone", true),
            true,
        ),
    ];
    for (what, options, until_done) in cases {
        let (_, request) = parse_call(&options).unwrap();
        assert_eq!(request.call_options().until_done, until_done, "{what}");
        assert_eq!(
            request.call_options().max_passes,
            1_000,
            "{what}: a safety stop, not a cap"
        );
    }
}

#[test]
fn client_options_and_call_options_are_kept_apart() {
    let err = parse_connection(&Options::new().with("token", TOKEN).with("label", "x")).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("label"));
    assert!(err.message.contains("client.cancelRuns()"), "{}", err.message);

    let err = parse_request(&Options::new().with("token", TOKEN).with("all", true)).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("token"));
    assert!(err.message.contains("new Client"), "{}", err.message);

    let err = parse_request(&Options::new().with("tokn", "x").with("all", true)).unwrap_err();
    assert!(
        err.message.contains("is not a known option (known:"),
        "{}",
        err.message
    );
    assert!(parse_connection(&Options::new().with("token", TOKEN)).is_ok());
}

#[test]
fn undefined_values_count_as_absent() {
    let options = call()
        .with("label", "x")
        .with("fromDate", Value::Undefined)
        .with("all", Value::Undefined);
    assert!(parse_call(&options).is_ok());
    let options = call().with("all", true).with("label", Value::Undefined);
    assert!(parse_call(&options).is_ok());
}

#[test]
fn debug_output_never_shows_the_token() {
    let options = call().with("all", true);
    let (account, request) = parse_call(&options).unwrap();
    let http = qstash_cancel::build(&account, &request).unwrap();
    for printed in [
        format!("{options:?}"),
        format!("{account:?}"),
        format!("{http:?}"),
        format!("{http:#?}"),
    ] {
        assert!(!printed.contains(TOKEN), "{printed}");
    }
    assert!(format!("{http:?}").contains("Bearer [redacted]"));
}

/// A refusal of a hostile key costs little: the "did you mean" comparison is bounded, and the
/// key is not echoed. (A 10 MB key took 32 s and 1.1 GiB when every key was compared.)
#[test]
fn huge_unknown_keys_are_refused_cheaply() {
    let key = "x".repeat(10_000_000);
    let started = std::time::Instant::now();
    let err = parse_call(&call().with(&key, 1.0)).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("options"));
    assert!(err.message.len() < 200, "{}", err.message.len());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // Under the echo limit the key is named, and a long one is compared with nothing.
    let key = "lable".repeat(12);
    let err = parse_call(&call().with(&key, 1.0)).unwrap_err();
    assert_eq!(err.field.as_deref(), Some(key.as_str()));
    assert!(
        err.message.contains("is not a known option (known:"),
        "{}",
        err.message
    );
}

/// Every attempt has a time limit, 30 s unless `timeoutMs` says otherwise: an answer that starts
/// and never ends cannot hold a call (or the admin Worker) forever.
#[test]
fn attempts_time_out_after_30_s_by_default() {
    let (_, request) = parse_call(&call().with("all", true)).unwrap();
    assert_eq!(request.call_options().timeout_ms, 30_000);
    assert_eq!(qstash_cancel::DEFAULT_TIMEOUT_MS, 30_000);
}

#[test]
fn ordinary_non_ascii_values_are_accepted() {
    for label in ["nächtlich", "夜間", "🌙 nightly", "ночь-2", "é\u{0301}t\u{0301}é"] {
        let options = call().with("label", label);
        assert!(parse_call(&options).is_ok(), "{label} was refused");
    }
}

#[test]
fn the_options_of_from_env_take_a_base_url_and_nothing_else() {
    use qstash_cancel::js::parse_env_options;
    let url = parse_env_options(&Options::new().with("baseUrl", "https://proxy.example.com")).unwrap();
    assert_eq!(url.as_deref(), Some("https://proxy.example.com"));
    assert_eq!(parse_env_options(&Options::new()).unwrap(), None);
    for (options, field) in [
        (Options::new().with("baseUrl", 3.0), "baseUrl"),
        (Options::new().with("token", "tok"), "token"),
        (
            Options::new().with("baseUrll", "https://proxy.example.com"),
            "baseUrll",
        ),
    ] {
        let err = parse_env_options(&options).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidOptions, Some(field)),
            "{}",
            err.message
        );
    }
}
