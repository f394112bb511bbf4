//! Reading answers: counts, tolerated extras, and every error code with its details.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::js::{parse_call, Options, WITHHELD};
use qstash_cancel::{interpret, ErrorCode, HttpResponse, RateLimit, Token};

fn answer(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_owned(),
        ..Default::default()
    }
}

fn token() -> Token {
    token_of("sekret-123")
}

fn token_of(value: &str) -> Token {
    let (account, _) = parse_call(&Options::new().with("token", value).with("all", true)).unwrap();
    account.token().clone()
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
        (200, r#"{"cancelled":1,"cancelled":7}"#, 7),
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
        (401, r#"{"error":"token sekret-123 is invalid"}"#, ErrorCode::Unauthorized, WITHHELD),
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

/// A client that followed a redirect it was told not to follow hands over another URL's answer:
/// whatever it says (a count, an error), it is not the service's. The service may have acted
/// (a redirect to itself, `http` to `https`), so the request is not confirmed either way, and
/// it is never sent again (following the redirect again would send the token along again).
#[test]
fn an_answer_reached_by_following_a_redirect_is_not_the_services() {
    for (status, body) in [
        (200, r#"{"cancelled":3}"#),
        (401, r#"{"error":"Unauthorized"}"#),
        (503, "unavailable sekret-123"),
    ] {
        let followed = HttpResponse {
            redirected: true,
            ..answer(status, body, &[("retry-after", "1")])
        };
        let err = interpret(&followed, &token()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidResponse, "{status}");
        assert!(err.message.contains("followed a redirect"), "{}", err.message);
        assert_eq!((err.status, err.server_message.as_deref()), (None, None));
        assert!(err.rate_limit.is_none());
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
        retry_at: None,
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
        retry_at: None,
    };
    assert_eq!(err.rate_limit.as_deref(), Some(&want));
    assert_eq!(
        interpret(&answer(500, "", &burst), &token())
            .unwrap_err()
            .rate_limit,
        None
    );
}

/// A token shaped like the service's (base64 with `/`, `+` and padding).
const REAL_LIKE: &str = "eyJVc2VySUQiOi/+JkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=";

/// `text` with every other character (from the first) written by `escape`.
fn mixed(text: &str, escape: impl Fn(char) -> String) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| match i % 2 {
            0 => escape(c),
            _ => c.to_string(),
        })
        .collect()
}

/// Every 12-character piece of `text`, for checking that none of an echo got through.
fn pieces(text: &str) -> Vec<&str> {
    (0..=text.len().saturating_sub(12))
        .map(|at| &text[at..(at + 12).min(text.len())])
        .collect()
}

/// Servers and proxies that echo the token back, in every form the hardening issue found and
/// for every kind of answer: nothing of the echo reaches an error, and the rest is withheld.
#[test]
fn echoed_tokens_never_reach_an_error() {
    let t = REAL_LIKE;
    let percent: String = t
        .bytes()
        .map(|b| match b.is_ascii_alphanumeric() {
            true => (b as char).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect();
    let unicode: String = t.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    let base64_header = "QmVhcmVyIGV5SlZjMlZ5U1VRaU9pLytKa1pXWmhkV3gwVlhObGNpSXNJbEJoYzNOM2IzSmtJam9pWkdWbVlYVnNkRkJoYzNOM2IzSmtJbjA9"; // base64("Bearer " + t)
    #[rustfmt::skip]
    let echoes: Vec<(&str, String)> = vec![
        ("raw", format!("Authorization: Bearer {t}")),
        ("JSON-escaped slash", format!(r#"{{"error":"bad header Bearer {}"}}"#, t.replace('/', "\\/"))),
        ("every character as \\u", format!(r#"{{"error":"{unicode}"}}"#)),
        ("percent-encoded", format!("GET /?auth={percent}")),
        ("percent-encoded, lower case", format!("GET /?auth={}", percent.to_ascii_lowercase())),
        ("base64url", format!("jwt {}", t.replace('+', "-").replace('/', "_").trim_end_matches('='))),
        ("base64 of the header", format!("debug: {base64_header}")),
        ("straddling the excerpt's end", format!("{} Bearer {t}", "x".repeat(190))),
        ("a 12-character piece", format!("token prefix {} is unknown", &t[20..32])),
        ("in an HTML page", format!("<html><body><pre>authorization: Bearer {t}</pre></body></html>")),
        // Escaped echoes in answers that are not valid JSON: decoded whether or not they parse.
        ("\\u in a text page", format!("upstream saw Bearer {unicode}")),
        ("\\u in a cut JSON", format!(r#"{{"error":"{unicode}"#)),
        ("\\u in JSON followed by junk", format!(r#"{{"error":"{unicode}"}} and more"#)),
        ("every other character as \\u", mixed(t, |c| format!("\\u{:04X}", c as u32))),
        ("\\x escapes", format!("<{}>", mixed(t, |c| format!("\\x{:02x}", c as u32)))),
        ("HTML decimal entities", format!("<p>{}</p>", t.chars().map(|c| format!("&#{};", c as u32)).collect::<String>())),
        ("HTML hex entities, mixed", format!("<p>{}</p>", mixed(t, |c| format!("&#x{:x};", c as u32)))),
        ("HTML named entities", format!("<pre>{}</pre>", t.replace('/', "&sol;").replace('+', "&plus;").replace('=', "&equals;"))),
        ("\\u and entities mixed", mixed(&mixed(t, |c| format!("&#{};", c as u32)), |c| format!("\\u{:04x}", c as u32))),
        // Percent-encoded byte by byte (`%65%79%4A...`), letters and digits included.
        ("every byte percent-encoded", format!("GET /?auth={}", t.bytes().map(|b| format!("%{b:02X}")).collect::<String>())),
        ("every byte percent-encoded, lower case", format!("GET /?auth={}", t.bytes().map(|b| format!("%{b:02x}")).collect::<String>())),
        ("every other character percent-encoded", format!("auth={}", mixed(t, |c| format!("%{:02X}", c as u32)))),
        ("every other character percent-encoded, lower case", format!("auth={}", mixed(t, |c| format!("%{:02x}", c as u32)))),
        ("percent-encoded twice", format!("auth={}", t.bytes().map(|b| format!("%25{b:02X}")).collect::<String>())),
        ("percent and \\u mixed", mixed(&mixed(t, |c| format!("%{:02x}", c as u32)), |c| format!("\\u{:04x}", c as u32))),
        // Written out of shape: spaced out, as UTF-16 (a NUL after each character), in the other
        // case, backwards.
        ("spaced out", format!(r#"{{"error":"bad token {}"}}"#, t.chars().map(String::from).collect::<Vec<_>>().join(" "))),
        ("spaced out over lines", t.chars().map(|c| format!("{c}\r\n\t")).collect()),
        ("as UTF-16", t.chars().map(|c| format!("{c}\0")).collect()),
        ("upper-cased", format!("TOKEN {}", t.to_ascii_uppercase())),
        ("reversed", format!("nekot {}", t.chars().rev().collect::<String>())),
    ];
    for status in [200, 401, 403, 429, 500, 503] {
        for (what, body) in &echoes {
            let err = interpret(&answer(status, body, &[]), &token_of(t)).unwrap_err();
            assert_eq!(err.server_message.as_deref(), Some(WITHHELD), "{status} {what}");
            assert!(
                status == 200 || err.message.ends_with(WITHHELD),
                "{status} {what}: {}",
                err.message
            );
            let shown = format!("{} {:?}", err.message, err);
            for piece in pieces(t) {
                assert!(!shown.contains(piece), "{status} {what}: {piece} in {shown}");
            }
        }
    }
    // No false alarm: an answer without the token keeps its message.
    let err = interpret(&answer(500, r#"{"error":"try again later"}"#, &[]), &token_of(t)).unwrap_err();
    assert_eq!(err.server_message.as_deref(), Some("try again later"));
    // Nor for text spaced out or in capitals that is not the token.
    let shouted = "T R Y A G A I N L A T E R: THE SERVICE IS BUSY";
    let err = interpret(&answer(503, shouted, &[]), &token_of(t)).unwrap_err();
    assert_eq!(err.server_message.as_deref(), Some(shouted));
    // Nor for percent signs and escapes of other text.
    let other = r#"{"error":"100% of /a%2Fb%20c failed: %65%79%4A%56 is not %zz"}"#;
    let err = interpret(&answer(500, other, &[]), &token_of(t)).unwrap_err();
    assert_eq!(
        err.server_message.as_deref(),
        Some("100% of /a%2Fb%20c failed: %65%79%4A%56 is not %zz")
    );
}

type Headers = Vec<(&'static str, &'static str)>;

/// The largest integer a JS number holds exactly: where header figures saturate.
const MAX_SAFE: u64 = 9_007_199_254_740_991;

/// `Retry-After` in both RFC 9110 forms, fractions, and numbers too large for any wait; a 503
/// that carries it keeps it (the retry waits for it).
#[test]
fn waits_are_read_in_every_form() {
    #[rustfmt::skip]
    let cases: Vec<(u16, Headers, Option<RateLimit>)> = vec![
        (429, vec![("Retry-After", "1.5")], Some(RateLimit { retry_after: Some(2), ..RateLimit::default() })),
        (429, vec![("Retry-After", "Wed, 25 Nov 2026 20:00:05 GMT")], Some(RateLimit { retry_at: Some(1_795_636_805_000), ..RateLimit::default() })),
        (429, vec![("Retry-After", "1e30")], Some(RateLimit { retry_after: Some(MAX_SAFE), ..RateLimit::default() })),
        (429, vec![("Burst-RateLimit-Reset", "2e20")], Some(RateLimit { reset: Some(MAX_SAFE), ..RateLimit::default() })),
        (429, vec![("Retry-After", "0.001"), ("RateLimit-Limit", "1E3"), ("RateLimit-Remaining", "5.")], Some(RateLimit { retry_after: Some(1), limit: Some(1000), remaining: Some(5), ..RateLimit::default() })),
        (429, vec![("Retry-After", "1e-5"), ("RateLimit-Limit", ".5e1"), ("RateLimit-Remaining", "e5")], Some(RateLimit { retry_after: Some(1), limit: Some(5), ..RateLimit::default() })),
        (429, vec![("Retry-After", "-3"), ("Burst-RateLimit-Reset", "soon")], Some(RateLimit::default())),
        (503, vec![("Retry-After", "7")], Some(RateLimit { retry_after: Some(7), ..RateLimit::default() })),
        (503, vec![], None),
        (500, vec![("Retry-After", "7")], None),
    ];
    for (status, headers, want) in cases {
        let err = interpret(&answer(status, "", &headers), &token()).unwrap_err();
        assert_eq!(err.rate_limit.as_deref(), want.as_ref(), "{status} {headers:?}");
    }
}
