//! The wasm adapter end to end against the emulator, written once and run by
//! wasm-bindgen-test in Node, a Chromium page and a dedicated worker (scripts/test.sh picks the
//! host with WASM_BINDGEN_USE_BROWSER / WASM_BINDGEN_USE_DEDICATED_WORKER).
//!
//! The emulator's URL is baked in at compile time (QSTASH_EMULATOR_URL); each test uses its
//! own account (token), so tests never see each other's runs.
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Request;
use js_sys::{Array, Reflect, JSON};
use qstash_cancel::wasm::api::{cancel_runs as cancel_runs_promise, preview_request, Client};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn emulator() -> &'static str {
    match option_env!("QSTASH_EMULATOR_URL") {
        Some(url) => url,
        None => panic!("build with QSTASH_EMULATOR_URL set (scripts/test.sh does)"),
    }
}

fn fresh_token(name: &str) -> String {
    format!("wasm-{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn js(source: &str) -> JsValue {
    js_sys::eval(&format!("({source})")).expect(source)
}

/// A preview as the package hands it out: the wasm's JSON text, parsed.
fn parsed(preview: Result<JsValue, JsValue>) -> Result<JsValue, JsValue> {
    preview.map(|text| JSON::parse(&text.as_string().expect("a preview as JSON text")).unwrap())
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

/// `cancelRuns(options)` awaited: the count, or the error it rejected with.
async fn cancel_runs(options: JsValue) -> Result<f64, JsValue> {
    let value = wasm_bindgen_futures::JsFuture::from(cancel_runs_promise(options)).await?;
    Ok(value.as_f64().expect("a count"))
}

async fn control(method: &str, route: &str, token: &str, body: Option<String>) -> JsValue {
    let url = format!("{}/__emulator/{route}?token={token}", emulator());
    let builder = match method {
        "POST" => Request::post(&url),
        _ => Request::get(&url),
    };
    let request = match body {
        Some(body) => builder.body(body).unwrap(),
        None => builder.build().unwrap(),
    };
    let text = request.send().await.unwrap().text().await.unwrap();
    JSON::parse(&text).unwrap()
}

/// Seeds `(id, workflowUrl, label)` runs into the account of `token`.
async fn seed(token: &str, runs: &[(&str, &str, &str)]) {
    let runs: Vec<String> = runs
        .iter()
        .map(|(id, url, label)| format!(r#"{{"id":"{id}","workflowUrl":"{url}","label":"{label}"}}"#))
        .collect();
    control("POST", "runs", token, Some(format!("[{}]", runs.join(",")))).await;
}

async fn cancelled_ids(token: &str) -> Vec<String> {
    let runs: Array = control("GET", "runs", token, None).await.unchecked_into();
    let mut ids: Vec<String> = runs
        .iter()
        .filter(|run| get(run, "state").as_string().as_deref() == Some("RUN_CANCELED"))
        .map(|run| get(&run, "id").as_string().unwrap())
        .collect();
    ids.sort();
    ids
}

async fn requests_logged(token: &str) -> u32 {
    control("GET", "log", token, None)
        .await
        .unchecked_into::<Array>()
        .length()
}

fn options(token: &str, rest: &str) -> JsValue {
    js(&format!(
        r#"{{ token: "{token}", baseUrl: "{}", {rest} }}"#,
        emulator()
    ))
}

#[wasm_bindgen_test]
async fn cancels_by_filter_and_only_the_matching_runs() {
    let token = fresh_token("filter");
    seed(
        &token,
        &[
            ("a", "https://app.test/wf/a", "nightly"),
            ("b", "https://app.test/wf/b", "other"),
            ("c", "https://else.test/wf", "nightly"),
        ],
    )
    .await;
    let result = cancel_runs(options(
        &token,
        r#"workflowUrl: "https://app.test/wf", label: "nightly""#,
    ))
    .await;
    assert_eq!(result.ok(), Some(1.0));
    assert_eq!(cancelled_ids(&token).await, ["a"]);
}

#[wasm_bindgen_test]
async fn cancels_ids_in_the_query_form_with_a_date_object() {
    let token = fresh_token("ids");
    seed(
        &token,
        &[
            ("x1", "https://app.test/a", "l"),
            ("x2", "https://app.test/b", "l"),
            ("x3", "https://app.test/c", "l"),
        ],
    )
    .await;
    let result = cancel_runs(options(
        &token,
        r#"encoding: "query", workflowRunIds: ["x1", "x3", "x1"]"#,
    ))
    .await;
    assert_eq!(result.ok(), Some(1.0 + 1.0));
    assert_eq!(cancelled_ids(&token).await, ["x1", "x3"]);

    let preview = parsed(preview_request(options(
        &token,
        "fromDate: new Date(1700000000000)",
    )))
    .unwrap();
    let url = get(&preview, "url").as_string().unwrap();
    assert!(
        url.ends_with("/v2/workflows/runs?fromDate=1700000000000"),
        "{url}"
    );
}

#[wasm_bindgen_test]
async fn refusals_are_js_errors_and_nothing_is_sent() {
    let token = fresh_token("refusal");
    seed(&token, &[("r1", "https://app.test/a", "l")]).await;
    let cases = [
        ("", "options"),
        (r#"lable: "l""#, "lable"),
        (r#"label: undefined"#, "label"),
        (r#"workflowRunIds: []"#, "workflowRunIds"),
        (r#"workflowRunIds: ["r1"], label: "l""#, "label"),
        (r#"all: "true""#, "all"),
        (r#"fromDate: new Date("nope")"#, "fromDate"),
        (r#"label: Symbol("s")"#, "label"),
        (r#"label: 10n"#, "label"),
        (r#"get label() { throw new Error("boom") }"#, "label"),
    ];
    for (rest, field) in cases {
        let result = cancel_runs(options(&token, rest)).await.map(JsValue::from);
        let err = expect_refusal(result, rest, field);
        assert!(err.is_instance_of::<js_sys::Error>(), "{rest}");
        assert!(
            !get(&err, "message").as_string().unwrap().contains(&token),
            "{rest}"
        );
    }
    // Lists that cannot cross in one piece (see `readList`: a non-string, a hole, a non-ASCII
    // item) are read item by item, and the refusal names the item.
    for (rest, says) in [
        (
            r#"workflowRunIds: ["r1", 1]"#,
            "workflowRunIds[1]: must be a string (got number)",
        ),
        (
            r#"workflowRunIds: ["r1", , "r2"]"#,
            "workflowRunIds[1]: must be a string (got undefined)",
        ),
        (
            r#"workflowRunIds: ["r1", "r\n2"]"#,
            "workflowRunIds[1]: must not contain control characters",
        ),
        (
            r#"workflowRunIds: ["r1", ""]"#,
            "workflowRunIds[1]: must not be empty",
        ),
        (
            r#"label: ["l", new String("m")]"#,
            "label[1]: must be a string (got object)",
        ),
    ] {
        let err = cancel_runs(options(&token, rest)).await.expect_err(rest);
        assert_eq!(get(&err, "message").as_string().as_deref(), Some(says), "{rest}");
    }
    for (source, got) in [
        ("null", "null"),
        ("[]", "array"),
        ("\"tok\"", "string"),
        ("new Map()", "a Map"),
        (
            "new Proxy({}, { getPrototypeOf() { throw 1 } })",
            "an object that throws",
        ),
    ] {
        let err = cancel_runs(js(source)).await.expect_err(source);
        let message = get(&err, "message").as_string().unwrap();
        assert!(message.contains(&format!("(got {got})")), "{source}: {message}");
    }
    assert_eq!(requests_logged(&token).await, 0);
    assert!(cancelled_ids(&token).await.is_empty());
}

#[wasm_bindgen_test]
async fn service_errors_keep_code_and_status() {
    let token = fresh_token("unauthorized");
    let err = cancel_runs(options(&token, "all: true"))
        .await
        .expect_err("unknown account");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("UNAUTHORIZED"));
    assert_eq!(get(&err, "status").as_f64(), Some(401.0));
    assert!(!get(&err, "message").as_string().unwrap().contains(&token));

    let token = fresh_token("ratelimited");
    seed(&token, &[("z", "https://app.test/a", "l")]).await;
    let fault = r#"[{"status":429,"body":{"error":"slow down"},"headers":{"Burst-RateLimit-Reset":"1764000000","Retry-After":"2"}}]"#;
    control("POST", "faults", &token, Some(fault.to_owned())).await;
    let err = cancel_runs(options(&token, "all: true, retry: false"))
        .await
        .expect_err("429");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("RATE_LIMITED"));
    assert_eq!(
        get(&err, "serverMessage").as_string().as_deref(),
        Some("slow down")
    );
    let rate_limit = get(&err, "rateLimit");
    assert_eq!(get(&rate_limit, "reset").as_f64(), Some(1_764_000_000.0));
    assert_eq!(get(&rate_limit, "retryAfter").as_f64(), Some(2.0));
    assert!(cancelled_ids(&token).await.is_empty());
}

#[wasm_bindgen_test]
async fn unreachable_servers_are_network_errors() {
    let err = cancel_runs(js(r#"{ token: "t", baseUrl: "http://127.0.0.1:9", all: true }"#))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("NETWORK_ERROR"));
}

/// A `fetch` replaced by a polyfill or a test double can throw, reject, or resolve to something
/// that is not a `Response`: each is a `NETWORK_ERROR` naming the stage, never a panic.
#[wasm_bindgen_test]
async fn odd_fetch_replacements_are_network_errors() {
    let global = js_sys::global();
    let original = get(&global, "fetch");
    let cases = [
        (
            "() => { throw new TypeError('no fetch here') }",
            "could not be sent: no fetch here",
        ),
        (
            "() => Promise.reject(new Error('refused'))",
            "got no answer: refused",
        ),
        (
            "() => Promise.resolve({ status: 200 })",
            "broke off while reading the answer: response.text is not a function",
        ),
        // Answers whose getters throw: read inside the JS helper, never across Rust frames.
        (
            "() => Promise.resolve({ get status() { throw new Error('status getter') } })",
            "gave an answer that could not be read: status getter",
        ),
        (
            "() => Promise.resolve({ status: 200, get type() { throw new Error('type getter') }, text: async () => '{}' })",
            "gave an answer that could not be read: type getter",
        ),
        (
            "() => Promise.resolve({ status: 401, get headers() { throw new Error('headers getter') }, text: async () => '' })",
            "gave an answer that could not be read: headers getter",
        ),
        (
            "() => Promise.resolve({ status: 401, headers: { get() { throw new Error('get') } }, text: async () => '' })",
            "gave an answer that could not be read: get",
        ),
        (
            "() => Promise.resolve({ status: 200, get body() { throw new Error('body getter') } })",
            "broke off while reading the answer: body getter",
        ),
        (
            "() => Promise.resolve({ status: '200', text: async () => '{\"cancelled\":1}' })",
            "its status is not an HTTP status code",
        ),
        (
            "() => Promise.resolve(new Proxy({}, { get() { throw new Error('trap') } }))",
            "got no answer: trap",
        ),
        (
            "() => ({ then() { throw new Error('thenable') } })",
            "got no answer: thenable",
        ),
        (
            "() => Promise.resolve({ status: 200, text: () => Promise.reject(new Error('cut')) })",
            "broke off while reading the answer: cut",
        ),
    ];
    for (replacement, expected) in cases {
        Reflect::set(&global, &"fetch".into(), &js(replacement)).unwrap();
        let result = cancel_runs(js(
            r#"{ token: "secret-token", baseUrl: "http://127.0.0.1:9", all: true, retry: false }"#,
        ))
        .await;
        Reflect::set(&global, &"fetch".into(), &original).unwrap();
        let err = result.expect_err(replacement);
        assert_eq!(
            get(&err, "code").as_string().as_deref(),
            Some("NETWORK_ERROR"),
            "{replacement}"
        );
        let message = get(&err, "message").as_string().unwrap();
        assert!(message.contains(expected), "{replacement}: {message}");
        assert!(!message.contains("secret-token"), "{message}");
    }
}

/// An answer whose `status` getter throws used to escape as an uncaught exception through the
/// Rust frames; after about 780 of them every call failed with "memory access out of bounds".
#[wasm_bindgen_test]
async fn a_thousand_answers_with_throwing_getters_leave_the_instance_working() {
    let global = js_sys::global();
    let original = get(&global, "fetch");
    let hostile = js("() => Promise.resolve({ get status() { throw new Error('hostile') } })");
    Reflect::set(&global, &"fetch".into(), &hostile).unwrap();
    let call = js(r#"{ token: "t", baseUrl: "http://127.0.0.1:9", all: true, retry: false }"#);
    let mut codes = Vec::new();
    for _ in 0..1_000 {
        let err = cancel_runs(call.clone()).await.expect_err("refused");
        codes.push(get(&err, "code").as_string().unwrap_or_default());
    }
    Reflect::set(&global, &"fetch".into(), &original).unwrap();
    assert!(
        codes.iter().all(|code| code == "NETWORK_ERROR"),
        "{:?}",
        codes.first()
    );
    let token = fresh_token("after-getters");
    seed(&token, &[("g1", "https://app.test/a", "l")]).await;
    let ids = options(&token, r#"workflowRunIds: ["g1"]"#);
    assert_eq!(cancel_runs(ids).await.ok(), Some(1.0));
    assert_eq!(cancelled_ids(&token).await, ["g1"]);
}

#[wasm_bindgen_test]
async fn a_client_reuses_its_connection() {
    let token = fresh_token("client");
    seed(
        &token,
        &[
            ("c1", "https://app.test/a", "l"),
            ("c2", "https://app.test/b", "l"),
        ],
    )
    .await;
    let client = Client::new(js(&format!(
        r#"{{ token: "{token}", baseUrl: "{}/" }}"#,
        emulator()
    )))
    .unwrap();
    let preview = parsed(client.preview_request(js(r#"{ all: true }"#))).unwrap();
    let headers = get(&preview, "headers");
    assert_eq!(
        get(&headers, "Authorization").as_string().as_deref(),
        Some("Bearer [redacted]")
    );
    let promise = client.cancel_runs(js(r#"{ workflowRunIds: ["c2"] }"#));
    let count = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    assert_eq!(count.as_f64(), Some(1.0));
    assert_eq!(cancelled_ids(&token).await, ["c2"]);
    assert!(Client::new(js(r#"{ token: "t", label: "x" }"#)).is_err());
}

/// A seeded generator of random option objects (and stray non-objects), in JS so that every
/// kind of JS value is reachable: symbols, bigints, proxies that throw, signals, functions.
const RANDOM_OPTIONS: &str = r#"(function (seed) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const leaves = [undefined, null, true, false, 0, -1, 1.5, 1e400, NaN, 1700000000000, 1700000000, "", " ", "x",
    "a,b", "wfr_1", "https://x.test/", "ftp://x", "\u0000", "query", "body", [], ["a"], ["a", "a"], [1], [[]], {},
    { retries: 1 }, { retires: 1 }, () => 1, Symbol("s"), 10n, new Date(NaN), new Date(1700000000000), new Map(),
    new Proxy({}, { get() { throw 1; }, ownKeys() { throw 2; } }), AbortSignal.abort()];
  const keys = ["workflowRunIds", "workflowUrl", "workflowUrlExactMatch", "label", "fromDate", "toDate", "callerIp",
    "flowControlKey", "all", "count", "encoding", "retry", "timeoutMs", "deadlineMs", "signal", "concurrency",
    "untilDone", "maxPasses", "onProgress", "token", "baseUrl", "lable", "x"];
  return () => {
    if (rnd() < 0.05) return pick(leaves);
    const o = {};
    for (let n = Math.floor(rnd() * 6); n > 0; n--) o[pick(keys)] = pick(leaves);
    if (rnd() < 0.9) Object.assign(o, { token: "fuzz", baseUrl: "http://127.0.0.1:9", retry: false });
    return o;
  };
})"#;

#[wasm_bindgen_test]
async fn ten_thousand_random_inputs_never_poison_the_instance() {
    let token = fresh_token("poison");
    seed(&token, &[("p1", "https://app.test/a", "l")]).await;
    let factory: js_sys::Function = js(RANDOM_OPTIONS).unchecked_into();
    let next: js_sys::Function = factory
        .call1(&JsValue::NULL, &JsValue::from(20_261_125))
        .unwrap()
        .unchecked_into();
    let mut refused = 0;
    for _ in 0..10_000 {
        let options = next.call0(&JsValue::NULL).unwrap();
        let _ = preview_request(options.clone());
        if let Err(err) = cancel_runs(options).await {
            refused += u32::from(get(&err, "code").as_string().as_deref() == Some("INVALID_OPTIONS"));
        }
    }
    assert!(
        refused > 5_000,
        "the generator should mostly produce refusals, got {refused}"
    );
    assert_eq!(
        cancel_runs(options(&token, r#"workflowRunIds: ["p1"]"#))
            .await
            .ok(),
        Some(1.0)
    );
    assert_eq!(cancelled_ids(&token).await, ["p1"]);
}

/// Options whose reading throws, lies or never ends, as the hardening issue found them: each is a
/// refusal naming the field (never a raw `TypeError`, never an exception through the wasm).
const HOSTILE: &[(&str, &str)] = &[
    ("fromDate: Object.create(Date.prototype)", "fromDate"),
    (
        "fromDate: new Proxy(new Date(), { getPrototypeOf() { throw 1 } })",
        "fromDate",
    ),
    (
        r#"workflowRunIds: Object.defineProperty(["a", "b"], 1, { get() { throw new Error("boom") } })"#,
        "workflowRunIds",
    ),
    (
        "workflowRunIds: new Proxy([], { get() { throw 1 } })",
        "workflowRunIds",
    ),
    (
        "workflowRunIds: (() => { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy })()",
        "workflowRunIds",
    ),
    (
        "workflowRunIds: new Proxy([], { get: (t, k) => k === 'length' ? 1.5 : t[k] })",
        "workflowRunIds",
    ),
    (
        "workflowRunIds: (() => { const a = []; a.length = 1e8; return a })()",
        "workflowRunIds",
    ),
    (
        "workflowRunIds: (() => { const a = ['x']; a.length = 1e6; return a })()",
        "workflowRunIds",
    ),
    (
        "label: [new Proxy({}, { getPrototypeOf() { throw 1 } })]",
        "label",
    ),
    (
        r#"label: "l", signal: Object.create(AbortSignal.prototype)"#,
        "signal",
    ),
    (r#"label: "a\uD800b""#, "label"),
    (r#"token: "x".repeat(2 ** 20 + 1)"#, "token"),
    (r#"label: ["a", "x".repeat(2 ** 20 + 1)]"#, "label"),
    (r#"retry: { retries: "x".repeat(2 ** 20 + 1) }"#, "retry"),
    (r#"label: ["ok", "\uDC00"]"#, "label"),
    ("fromDate: new Date(1700000000)", "fromDate"),
    (
        r#"label: "l", retry: new Proxy({}, { ownKeys() { throw 1 } })"#,
        "retry",
    ),
];

/// Asserts that `result` is a refusal (`QStashCancelError`, `INVALID_OPTIONS`) of `field`, and
/// returns the error for further checks.
fn expect_refusal(result: Result<JsValue, JsValue>, what: &str, field: &str) -> JsValue {
    let err = result.expect_err(what);
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("QStashCancelError"),
        "{what}"
    );
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_OPTIONS"),
        "{what}"
    );
    assert_eq!(get(&err, "field").as_string().as_deref(), Some(field), "{what}");
    err
}

#[wasm_bindgen_test]
async fn hostile_options_are_refusals_naming_the_field() {
    let token = fresh_token("hostile");
    seed(&token, &[("h1", "https://app.test/a", "l")]).await;
    for (rest, field) in HOSTILE {
        expect_refusal(preview_request(options(&token, rest)), rest, field);
        let started = js_sys::Date::now();
        let result = cancel_runs(options(&token, rest)).await.map(JsValue::from);
        expect_refusal(result, rest, field);
        assert!(js_sys::Date::now() - started < 1_000.0, "{rest} took too long");
    }
    let whole = [
        "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()",
        "new Proxy({}, { ownKeys: () => Array.from({ length: 1e5 }, (_, i) => 'k' + i), getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) })",
    ];
    for source in whole {
        expect_refusal(preview_request(js(source)), source, "options");
        expect_refusal(Client::new(js(source)).map(JsValue::from), source, "options");
    }
    assert_eq!(requests_logged(&token).await, 0, "nothing was sent");
}

/// A getter that answers differently on a second read cannot show the checks one id and the
/// request another: each item is read once. A real `Date` is read through its internal time
/// value, so a subclass's own `getTime` (here one that throws) is never called.
#[wasm_bindgen_test]
async fn values_are_read_once_and_dates_by_their_time_value() {
    let token = fresh_token("once");
    seed(
        &token,
        &[
            ("o1", "https://app.test/a", "l"),
            ("o2", "https://app.test/a", "l"),
        ],
    )
    .await;
    let lying = r#"workflowRunIds: (() => { let reads = 0; return Object.defineProperty(["o2"], 0, { enumerable: true, get() { return reads++ ? "o2, o1" : "o1" } }) })()"#;
    assert_eq!(cancel_runs(options(&token, lying)).await.ok(), Some(1.0));
    assert_eq!(cancelled_ids(&token).await, ["o1"]);
    let subclass =
        r#"fromDate: new (class extends Date { getTime() { throw new Error("no") } })(1700000000000)"#;
    let preview = parsed(preview_request(options(&token, subclass))).unwrap();
    let url = get(&preview, "url").as_string().unwrap();
    assert!(
        url.ends_with("/v2/workflows/runs?fromDate=1700000000000"),
        "{url}"
    );
}

/// A list crosses packed when every item is ASCII, and item by item otherwise: both ways send
/// exactly the items given (non-ASCII ones percent-encoded as UTF-8, astral ones too).
#[wasm_bindgen_test]
fn non_ascii_lists_cross_item_by_item_and_are_sent_as_given() {
    for (rest, query) in [
        (r#"label: ["a", "b~c"]"#, "label=a&label=b~c"),
        (r#"label: ["a", "ü"]"#, "label=a&label=%C3%BC"),
        (r#"label: ["€", "a"]"#, "label=%E2%82%AC&label=a"),
        (r#"label: ["a", "😀"]"#, "label=a&label=%F0%9F%98%80"),
        (
            r#"label: ["x".repeat(3), "é".repeat(2)]"#,
            "label=xxx&label=%C3%A9%C3%A9",
        ),
    ] {
        let preview = parsed(preview_request(options("t", rest))).expect(rest);
        let url = get(&preview, "url").as_string().unwrap();
        assert!(
            url.ends_with(&format!("/v2/workflows/runs?{query}")),
            "{rest}: {url}"
        );
    }
}

/// Before the hardening, about 1,200 exceptions through the wasm left every later call failing
/// with "memory access out of bounds". Three thousand hostile calls later, a valid call works.
#[wasm_bindgen_test]
async fn thousands_of_hostile_calls_leave_the_instance_working() {
    let token = fresh_token("poison2");
    seed(&token, &[("q1", "https://app.test/a", "l")]).await;
    let inputs: Vec<JsValue> = HOSTILE.iter().map(|(rest, _)| options(&token, rest)).collect();
    for round in 0..200 {
        for input in &inputs {
            let err = preview_request(input.clone()).expect_err("refused");
            assert_eq!(
                get(&err, "code").as_string().as_deref(),
                Some("INVALID_OPTIONS"),
                "round {round}"
            );
        }
    }
    let _ = cancel_runs(inputs[0].clone()).await;
    assert_eq!(
        cancel_runs(options(&token, r#"workflowRunIds: ["q1"]"#))
            .await
            .ok(),
        Some(1.0)
    );
    assert_eq!(cancelled_ids(&token).await, ["q1"]);
}
