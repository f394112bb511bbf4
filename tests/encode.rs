//! Accepted options and the exact request they become, in both encodings.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::js::{parse_call, Options, Value};
use qstash_cancel::{build, Target};

const TOKEN: &str = "tok_ABC";
const ENDPOINT: &str = "https://qstash.upstash.io/v2/workflows/runs";

fn call() -> Options {
    Options::new().with("token", TOKEN)
}

fn query() -> Options {
    call().with("encoding", "query")
}

fn body() -> Options {
    call().with("encoding", "body")
}

#[test]
fn requests_are_encoded_exactly() {
    #[rustfmt::skip]
    let cases: Vec<(&str, Options, String, Option<&str>)> = vec![
        // (what, options, URL, JSON body; None = the query form, which sends no body)
        ("ids", body().with("workflowRunIds", vec!["wfr_1", "wfr_2"]), ENDPOINT.into(), Some(r#"{"workflowRunIds":["wfr_1","wfr_2"]}"#)),
        ("duplicate ids sent once", body().with("workflowRunIds", vec!["a", "b", "a", "b"]), ENDPOINT.into(), Some(r#"{"workflowRunIds":["a","b"]}"#)),
        ("ids needing escapes", body().with("workflowRunIds", vec!["q\"uo\\te"]), ENDPOINT.into(), Some(r#"{"workflowRunIds":["q\"uo\\te"]}"#)),
        ("url and label", body().with("workflowUrl", "https://app.example.com/api/wf").with("label", "nightly"), ENDPOINT.into(), Some(r#"{"workflowUrl":"https://app.example.com/api/wf","label":"nightly"}"#)),
        ("one-item arrays", body().with("label", vec!["x"]), ENDPOINT.into(), Some(r#"{"label":"x"}"#)),
        ("date range", body().with("fromDate", 1_640_995_200_000.0).with("toDate", Value::Date(1_672_531_200_000.0)), ENDPOINT.into(), Some(r#"{"fromDate":1640995200000,"toDate":1672531200000}"#)),
        ("all", body().with("all", true), ENDPOINT.into(), Some("{}")),
        ("all: false is no target flag", body().with("all", false).with("label", "x"), ENDPOINT.into(), Some(r#"{"label":"x"}"#)),
        ("proxy prefix", body().with("all", true).with("baseUrl", "https://admin.example.com/qstash/"), "https://admin.example.com/qstash/v2/workflows/runs".into(), Some("{}")),
        ("loopback http", body().with("all", true).with("baseUrl", "http://127.0.0.1:8080"), "http://127.0.0.1:8080/v2/workflows/runs".into(), Some("{}")),
        ("query ids", query().with("workflowRunIds", vec!["a", "b", "a"]), format!("{ENDPOINT}?workflowRunIds=a&workflowRunIds=b"), None),
        ("query filters in fixed order", query()
            .with("flowControlKey", vec!["k1", "k2"]).with("callerIp", "1.2.3.4").with("toDate", 1.8e12)
            .with("fromDate", 1.7e12).with("label", vec!["a", "b"]).with("workflowUrlExactMatch", true)
            .with("workflowUrl", "https://x.com/wf").with("count", 50.0),
            format!("{ENDPOINT}?workflowUrl=https%3A%2F%2Fx.com%2Fwf&workflowUrlExactMatch=true&label=a&label=b&fromDate=1700000000000&toDate=1800000000000&callerIp=1.2.3.4&flowControlKey=k1&flowControlKey=k2&count=50"), None),
        ("query escapes", query().with("label", vec!["a b", "c&d=e", "ü#+"]), format!("{ENDPOINT}?label=a%20b&label=c%26d%3De&label=%C3%BC%23%2B"), None),
        ("query exact match false is not sent", query().with("workflowUrl", "https://x.com").with("workflowUrlExactMatch", false), format!("{ENDPOINT}?workflowUrl=https%3A%2F%2Fx.com"), None),
        ("query all", query().with("all", true), ENDPOINT.into(), None),
        ("the query form is the default", call().with("label", "x"), format!("{ENDPOINT}?label=x"), None),
        ("query all with count", query().with("all", true).with("count", 10.0), format!("{ENDPOINT}?count=10"), None),
    ];
    for (what, options, url, body) in cases {
        let (account, request) = parse_call(&options).unwrap_or_else(|e| panic!("{what}: {e}"));
        let http = build(&account, &request).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(http.method, "DELETE", "{what}");
        assert_eq!(http.url, url, "{what}");
        assert_eq!(http.body.as_deref(), body, "{what}");
        let mut headers = vec![("Authorization", format!("Bearer {TOKEN}"))];
        if *request.target() == Target::All {
            headers.push(("Cancel-All-Runs", "true".to_owned()));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        assert_eq!(http.headers, headers, "{what}");
        let preview = http.redacted();
        assert_eq!(preview.headers[0].1, "Bearer [redacted]", "{what}");
        assert_eq!((preview.url, preview.body), (http.url, http.body), "{what}");
    }
}

#[test]
fn the_query_form_stays_under_the_url_limit() {
    let ids: Vec<String> = (0..300).map(|i| format!("wfr_{i:04}")).collect();
    let options = query().with(
        "workflowRunIds",
        Value::Array(ids.into_iter().map(Value::String).collect()),
    );
    let (account, request) = parse_call(&options).unwrap();
    let http = build(&account, &request).unwrap();
    assert!(http.url.len() <= qstash_cancel::limits::MAX_URL_BYTES);
}
