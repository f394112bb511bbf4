//! Reading answers: counts, tolerated extras, and every error code with its details.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::{interpret, parse_call, ErrorCode, HttpResponse, Options, RateLimit};

fn answer(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_owned(),
    }
}

fn token() -> qstash_cancel::token::Token {
    let (connection, _) = parse_call(&Options::new().with("token", "sekret-123").with("all", true)).unwrap();
    connection.token().clone()
}

#[test]
fn counts_are_read_tolerantly() {
    let cases = [
        (200, r#"{"cancelled":10}"#, 10),
        (200, r#"{"cancelled": 0}"#, 0),
        (
            200,
            r#" {"actionId":"ba_1","cancelled":3,"extra":{"a":[1,2]}} "#,
            3,
        ),
        (202, r#"{"cancelled":1e2}"#, 100),
        (200, r#"{"cancelled":9007199254740991}"#, 9_007_199_254_740_991),
    ];
    for (status, body, want) in cases {
        assert_eq!(
            interpret(&answer(status, body, &[]), &token()),
            Ok(want),
            "{body}"
        );
    }
}

#[test]
fn answers_become_typed_errors() {
    #[rustfmt::skip]
    let cases: Vec<(u16, &str, ErrorCode, &str)> = vec![
        // (status, body, code, server message)
        (200, "", ErrorCode::InvalidResponse, ""),
        (200, "not json", ErrorCode::InvalidResponse, "not json"),
        (200, r#"{"cancelled":-1}"#, ErrorCode::InvalidResponse, r#"{"cancelled":-1}"#),
        (200, r#"{"cancelled":1.5}"#, ErrorCode::InvalidResponse, r#"{"cancelled":1.5}"#),
        (200, r#"{"cancelled":"3"}"#, ErrorCode::InvalidResponse, r#"{"cancelled":"3"}"#),
        (200, r#"{"canceled":3}"#, ErrorCode::InvalidResponse, r#"{"canceled":3}"#),
        (200, r#"[3]"#, ErrorCode::InvalidResponse, "[3]"),
        (401, r#"{"error":"Unauthorized"}"#, ErrorCode::Unauthorized, "Unauthorized"),
        (403, "forbidden", ErrorCode::Unauthorized, "forbidden"),
        (400, r#"{"error":"fromDate must be a number"}"#, ErrorCode::HttpError, "fromDate must be a number"),
        (404, "", ErrorCode::HttpError, ""),
        (412, r#"{"error":"quota exceeded","code":7}"#, ErrorCode::HttpError, "quota exceeded"),
        (500, r#"{"error":42}"#, ErrorCode::HttpError, r#"{"error":42}"#),
        (502, "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad\n Gateway</h1></body></html>", ErrorCode::HttpError, "502 Bad Gateway Bad Gateway"),
        (429, r#"{"error":"Too many requests"}"#, ErrorCode::RateLimited, "Too many requests"),
        (401, r#"{"error":"token sekret-123 is invalid"}"#, ErrorCode::Unauthorized, "token [redacted] is invalid"),
    ];
    for (status, body, code, server_message) in cases {
        let err = interpret(&answer(status, body, &[]), &token()).unwrap_err();
        assert_eq!(err.code, code, "{status} {body}");
        assert_eq!(err.status, Some(status), "{status} {body}");
        assert_eq!(
            err.server_message.as_deref(),
            Some(server_message),
            "{status} {body}"
        );
        assert!(err.message.contains(&status.to_string()), "{}", err.message);
        assert!(!err.message.contains("sekret-123"), "{}", err.message);
    }
}

#[test]
fn long_bodies_are_cut() {
    let body = "x".repeat(5000);
    let err = interpret(&answer(500, &body, &[]), &token()).unwrap_err();
    assert_eq!(err.server_message.unwrap().chars().count(), 201);
}

#[test]
fn rate_limit_headers_are_kept() {
    let burst = [
        ("Burst-RateLimit-Limit", "100"),
        ("burst-ratelimit-remaining", "0"),
        ("BURST-RATELIMIT-RESET", "1764000000"),
        ("Retry-After", "3"),
        ("RateLimit-Limit", "5000"),
    ];
    let err = interpret(&answer(429, "", &burst), &token()).unwrap_err();
    let want = RateLimit {
        limit: Some(100),
        remaining: Some(0),
        reset: Some(1_764_000_000),
        retry_after: Some(3),
    };
    assert_eq!(err.rate_limit.as_deref(), Some(&want));

    let daily = [
        ("RateLimit-Limit", "5000"),
        ("RateLimit-Remaining", "0"),
        ("RateLimit-Reset", " 1764003600 "),
    ];
    let err = interpret(&answer(429, "", &daily), &token()).unwrap_err();
    let want = RateLimit {
        limit: Some(5000),
        remaining: Some(0),
        reset: Some(1_764_003_600),
        retry_after: None,
    };
    assert_eq!(err.rate_limit.as_deref(), Some(&want));
    assert_eq!(
        interpret(&answer(500, "", &burst), &token())
            .unwrap_err()
            .rate_limit,
        None
    );
}
