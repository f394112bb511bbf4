//! Bulk actions in the core: the requests built, the action-id rule, and the answers read
//! tolerantly (unknown fields ignored, a missing or mistyped one named).
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::bulk_actions::{
    action_id_rule, get_request, list_request, read_action, read_page, read_started, ActionState, ListQuery,
};
use qstash_cancel::js::{parse_connection, Options};
use qstash_cancel::limits::MAX_ACTION_BYTES;
use qstash_cancel::{ErrorCode, HttpRequest, HttpResponse};

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        body: body.to_owned(),
        ..HttpResponse::default()
    }
}

fn account() -> qstash_cancel::Account {
    parse_connection(
        &Options::new()
            .with("token", "tok")
            .with("baseUrl", "https://admin.example.com/qstash"),
    )
    .unwrap()
}

const ACTION: &str = r#"{"actionId":"ba_1","kind":"cancel","state":"IN_PROGRESS","total":10,"processed":3,"createdAt":1764000000000,"filter":{"label":["nightly"],"fromDate":[1700000000000]},"extra":{"new":"field"}}"#;

#[test]
fn action_ids_that_could_change_the_path_are_refused() {
    let cases = [
        ("ba_1234", None),
        ("wfba_0123-ABC.xyz~", None),
        ("", Some("must not be empty")),
        ("..", Some("not . or ..")),
        (".", Some("not . or ..")),
        ("../runs", Some("without /")),
        ("a?b", Some("without /")),
        ("a#b", Some("without /")),
        ("a%2fb", Some("without /")),
        ("a\\b", Some("without /")),
        ("a b", Some("without /")),
        ("a\u{202E}b", Some("without /")),
    ];
    for (id, want) in cases {
        match (action_id_rule(id), want) {
            (None, None) => {}
            (Some(rule), Some(part)) => assert!(rule.contains(part), "{id:?}: {rule}"),
            (got, _) => panic!("{id:?}: {got:?}"),
        }
    }
    assert!(action_id_rule(&"x".repeat(257)).is_some_and(|r| r.contains("256")));
}

#[test]
fn the_reads_are_gets_of_the_documented_routes_with_the_token_in_the_header_only() {
    let c = account();
    let get = get_request(&c, "ba_1.x~");
    assert_eq!(
        (get.method, get.url.as_str()),
        (
            "GET",
            "https://admin.example.com/qstash/v2/workflows/bulkActions/ba_1.x~"
        )
    );
    assert_eq!(get.headers, [("Authorization", "Bearer tok".to_owned())]);
    assert_eq!(get.body, None);
    let query = ListQuery {
        state: Some(ActionState::Finished),
        cursor: Some("c 1&x".into()),
        count: Some(40),
    };
    let list = list_request(&c, &query);
    assert_eq!(
        list.url,
        "https://admin.example.com/qstash/v2/workflows/bulkActions?cursor=c%201%26x&count=40&state=FINISHED"
    );
    assert_eq!(
        list_request(&c, &ListQuery::default()).url,
        "https://admin.example.com/qstash/v2/workflows/bulkActions"
    );
    assert!(!format!("{list:?}").contains("tok"), "Debug redacts the token");
}

#[test]
fn a_bulk_action_is_read_tolerantly_and_a_broken_one_is_named() {
    let action = read_action(
        &get_request(&account(), "ba_1"),
        &answer(200, ACTION),
        &"tok".parse_token(),
    )
    .unwrap();
    assert_eq!(
        (
            action.action_id.as_str(),
            action.state,
            action.total,
            action.processed
        ),
        ("ba_1", ActionState::InProgress, 10, 3)
    );
    assert_eq!(action.completed_at, None);
    assert_eq!(
        action.filter,
        [
            ("label".to_owned(), vec!["nightly".to_owned()]),
            ("fromDate".to_owned(), vec!["1700000000000".to_owned()])
        ]
    );
    let broken = [
        (
            r#"{"kind":"cancel","state":"FINISHED","total":1,"processed":1,"createdAt":1}"#,
            "\"actionId\" is missing",
        ),
        (
            r#"{"actionId":"a","kind":"cancel","state":"DONE","total":1,"processed":1,"createdAt":1}"#,
            "\"state\" is neither",
        ),
        (
            r#"{"actionId":"a","kind":"cancel","state":"FINISHED","total":-1,"processed":1,"createdAt":1}"#,
            "\"total\" is not a non-negative integer",
        ),
        (
            r#"{"actionId":"a","kind":"cancel","state":"FINISHED","total":1,"processed":"1","createdAt":1}"#,
            "\"processed\" is not",
        ),
        (
            r#"{"actionId":"a","kind":"cancel","state":"FINISHED","total":1,"processed":1,"createdAt":1,"filter":[]}"#,
            "\"filter\" is not an object",
        ),
        ("<html>ok</html>", "not JSON (expected a bulk action)"),
    ];
    for (body, says) in broken {
        let err = read_action(
            &get_request(&account(), "ba_1"),
            &answer(200, body),
            &"tok".parse_token(),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidResponse, "{body}");
        assert!(err.message.contains(says), "{body}: {}", err.message);
    }
    let missing = read_action(
        &get_request(&account(), "ba_1"),
        &answer(404, r#"{"error":"Bulk action not found"}"#),
        &"tok".parse_token(),
    )
    .unwrap_err();
    assert_eq!(
        (missing.code, missing.status, missing.server_message.as_deref()),
        (ErrorCode::HttpError, Some(404), Some("Bulk action not found"))
    );
}

#[test]
fn pages_and_started_cancels_are_read_tolerantly() {
    let token = "tok".parse_token();
    let page = read_page(
        &answer(200, &format!(r#"{{"bulkActions":[{ACTION}],"cursor":"c40"}}"#)),
        &token,
    )
    .unwrap();
    assert_eq!(
        (page.bulk_actions.len(), page.cursor.as_deref()),
        (1, Some("c40"))
    );
    for last in [
        r#"{"bulkActions":[]}"#,
        r#"{"bulkActions":[],"cursor":null}"#,
        r#"{"bulkActions":[],"cursor":""}"#,
    ] {
        assert_eq!(
            read_page(&answer(200, last), &token).unwrap().cursor,
            None,
            "{last}"
        );
    }
    let err = read_page(&answer(200, r#"{"bulkActions":[{"actionId":5}]}"#), &token).unwrap_err();
    assert!(
        err.message
            .contains("bulkActions[0]: \"actionId\" is not a string"),
        "{}",
        err.message
    );
    assert_eq!(
        read_started(&answer(202, r#"{"actionId":"ba_9","other":1}"#), &token).unwrap(),
        "ba_9"
    );
    let err = read_started(&answer(200, r#"{"actionId":"../x"}"#), &token).unwrap_err();
    assert!(
        err.message.contains("\"actionId\" must be an action id"),
        "{}",
        err.message
    );
    let err = read_started(&answer(200, r#"{"cancelled":3}"#), &token).unwrap_err();
    assert!(err.message.contains("\"actionId\" is missing"), "{}", err.message);
}

/// A token for reading answers (only used to withhold echoes).
trait ParseToken {
    fn parse_token(&self) -> qstash_cancel::Token;
}

impl ParseToken for str {
    fn parse_token(&self) -> qstash_cancel::Token {
        parse_connection(&Options::new().with("token", self))
            .unwrap()
            .token()
            .clone()
    }
}

#[test]
fn read_options_are_refused_naming_the_field_and_the_rule() {
    use qstash_cancel::js::{parse_bulk_read, ReadKind, Value};
    let call = || Options::new().with("token", "tok");
    let cases = [
        // (what, options, a page, field, part of the message)
        ("no action id", call(), false, "actionId", "is required"),
        (
            "an action id that is a number",
            call().with("actionId", 5.0),
            false,
            "actionId",
            "must be a string",
        ),
        (
            "an action id with a slash",
            call().with("actionId", "a/b"),
            false,
            "actionId",
            "without /",
        ),
        (
            "a typo",
            call().with("actionid", "ba_1"),
            false,
            "actionid",
            "did you mean \"actionId\"",
        ),
        (
            "a cancel option",
            call().with("actionId", "ba_1").with("label", "x"),
            false,
            "label",
            "not a known option (known: token, baseUrl, actionId",
        ),
        (
            "a state that is none",
            call().with("state", "DONE"),
            true,
            "state",
            "\"IN_PROGRESS\" or \"FINISHED\"",
        ),
        (
            "a page of none",
            call().with("count", 0.0),
            true,
            "count",
            "from 1 to 1000",
        ),
        (
            "a page too large",
            call().with("count", 1001.0),
            true,
            "count",
            "from 1 to 1000",
        ),
        (
            "an empty cursor",
            call().with("cursor", ""),
            true,
            "cursor",
            "the cursor of the previous page",
        ),
        (
            "a cursor with a newline",
            call().with("cursor", "a\nb"),
            true,
            "cursor",
            "printable ASCII",
        ),
        (
            "an action id on a page",
            call().with("actionId", "ba_1"),
            true,
            "actionId",
            "not a known option (known: token, baseUrl, state",
        ),
        (
            "a deadline of 0",
            call().with("deadlineMs", 0.0),
            true,
            "deadlineMs",
            "from 1 to",
        ),
        (
            "a look-alike signal",
            call().with("signal", Value::Other("object")),
            true,
            "signal",
            "an AbortSignal",
        ),
    ];
    for (what, options, page, field, says) in cases {
        let kind = if page { ReadKind::Page } else { ReadKind::Action };
        let err = parse_bulk_read(&options, None, kind).expect_err(what);
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidOptions, Some(field)),
            "{what}: {}",
            err.message
        );
        assert!(err.message.contains(says), "{what}: {}", err.message);
        assert!(err.message.starts_with(field), "{what}: {}", err.message);
    }
    let (_, read) = parse_bulk_read(
        &call()
            .with("state", "FINISHED")
            .with("count", 40.0)
            .with("cursor", "c40"),
        None,
        ReadKind::Page,
    )
    .unwrap();
    assert_eq!(
        (read.page.state, read.page.count, read.page.cursor.as_deref()),
        (Some(ActionState::Finished), Some(40), Some("c40"))
    );
}

#[test]
fn an_answer_that_echoes_the_token_is_refused_whole_not_passed_on() {
    let token = "tok-0123456789-abcdef".parse_token();
    let kind = |k: &str| {
        format!(
            r#"{{"actionId":"ba_1","kind":"{k}","state":"FINISHED","total":1,"processed":1,"createdAt":1}}"#
        )
    };
    let escaped: String = "tok-0123456789-abcdef"
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let percent: String = "tok-0123456789-abcdef"
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    for body in [
        kind("tok-0123456789-abcdef"),
        kind(&escaped),
        kind(&percent),
        kind(&percent.to_ascii_lowercase()),
        r#"{"bulkActions":[],"cursor":"tok-0123456789-abcdef"}"#.to_owned(),
    ] {
        let answer = answer(200, &body);
        let errors = [
            read_action(&get_request(&account(), "ba_1"), &answer, &token).err(),
            read_page(&answer, &token).err(),
            read_started(&answer, &token).err(),
        ];
        for err in errors {
            let err = err.unwrap_or_else(|| panic!("accepted {body}"));
            assert_eq!(err.code, ErrorCode::InvalidResponse);
            assert!(err.message.contains("holds the token"), "{}", err.message);
            assert!(!format!("{err:?}").contains("0123456789-ab"), "{err:?}");
        }
    }
}

/// An action in the emulator's shape (`tests/emulator/server.mjs`), with `labels` labels in its
/// filter.
fn emulator_action(i: usize, labels: usize) -> String {
    let labels: Vec<String> = (0..labels).map(|l| format!("\"label-{l:04}\"")).collect();
    format!(
        r#"{{"actionId":"ba_{i:016x}","kind":"cancel","createdAt":1764000000000,"filter":{{"label":[{}],"workflowUrl":["https://app.example.com/api/workflow"]}},"state":"FINISHED","total":100,"processed":100,"completedAt":1764000000100}}"#,
        labels.join(",")
    )
}

/// The largest action the service can describe: every field at its widest (a 256-byte id, 16
/// digits for each number) and its filter filled up to [`MAX_ACTION_BYTES`] in all.
fn largest_action(i: usize) -> String {
    let head = format!(
        r#"{{"actionId":"ba_{i:0>253}","kind":"cancel","state":"IN_PROGRESS","total":9007199254740991,"processed":9007199254740991,"createdAt":9007199254740991,"completedAt":9007199254740991,"filter":{{"label":[""#
    );
    let tail = r#""]}}"#;
    let fill = MAX_ACTION_BYTES - head.len() - tail.len();
    [head, "x".repeat(fill), tail.to_owned()].concat()
}

/// The answer as the fetch layer hands it over: at most the request's answer limit of it read.
fn fetched(http: &HttpRequest, mut body: String) -> HttpResponse {
    let cut = body.len() > http.max_answer_bytes;
    body.truncate(http.max_answer_bytes);
    HttpResponse {
        status: 200,
        body,
        cut,
        redirected: false,
        ..HttpResponse::default()
    }
}

fn page_of(actions: impl Iterator<Item = String>, cursor: &str) -> String {
    format!(
        r#"{{"bulkActions":[{}],"cursor":"{cursor}"}}"#,
        actions.collect::<Vec<_>>().join(",")
    )
}

#[test]
fn a_page_of_count_actions_is_read_whole_with_its_cursor() {
    let cases = [
        // (count asked, actions on the page, what they are)
        (
            Some(400),
            page_of((0..400).map(|i| emulator_action(i, 1)), "c400"),
            "400 of the emulator's",
        ),
        (
            Some(1_000),
            page_of((0..1_000).map(|i| emulator_action(i, 1)), "c1000"),
            "1,000 of the emulator's",
        ),
        (
            None,
            page_of((0..100).map(|i| emulator_action(i, 200)), "c100"),
            "100 with 200 labels, default count",
        ),
        (
            Some(1),
            page_of((0..1).map(largest_action), "c1"),
            "1 of the largest",
        ),
        (
            Some(13),
            page_of((0..13).map(largest_action), "c13"),
            "13 of the largest",
        ),
        (
            None,
            page_of((0..100).map(largest_action), "c100"),
            "100 of the largest, default count",
        ),
    ];
    for (count, body, what) in cases {
        let query = ListQuery {
            count,
            ..ListQuery::default()
        };
        let http = list_request(&account(), &query);
        let answer = fetched(&http, body);
        assert!(!answer.cut, "{what}: cut at {} bytes", http.max_answer_bytes);
        let page = read_page(&answer, &"tok".parse_token()).unwrap_or_else(|err| panic!("{what}: {err}"));
        assert_eq!(page.bulk_actions.len() as u64, count.unwrap_or(100), "{what}");
        assert!(page.cursor.is_some(), "{what}");
    }
    // One action is read whole too, and so is the start of a background cancel.
    let http = get_request(&account(), "ba_1");
    assert!(!fetched(&http, largest_action(0)).cut);
}

#[test]
fn a_page_cut_anyway_says_how_to_go_past_it_from_the_same_cursor() {
    let query = ListQuery {
        cursor: Some("c300".into()),
        count: Some(2),
        ..ListQuery::default()
    };
    let http = list_request(&account(), &query);
    let oversized = page_of((0..3).map(largest_action), "c303");
    let err = read_page(&fetched(&http, oversized), &"tok".parse_token()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidResponse);
    assert!(
        err.message
            .contains("list again from the same cursor with a smaller count"),
        "{}",
        err.message
    );
}

/// An action's JSON with these figures.
fn about(id: &str, total: i64, processed: i64) -> String {
    format!(
        r#"{{"actionId":"{id}","kind":"cancel","state":"FINISHED","total":{total},"processed":{processed},"createdAt":1764000000000,"completedAt":1764000000100}}"#
    )
}

#[test]
fn impossible_progress_is_refused_as_an_invalid_answer() {
    let token = "tok".parse_token();
    let cases = [
        (
            about("ba_1", 30, 250),
            "\"processed\" (250) is above \"total\" (30)",
        ),
        (about("ba_1", -1, 0), "\"total\" is not a non-negative integer"),
        (
            about("ba_1", 30, -5),
            "\"processed\" is not a non-negative integer",
        ),
    ];
    for (action, says) in cases {
        let err = read_action(&get_request(&account(), "ba_1"), &answer(200, &action), &token).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidResponse, "{action}");
        assert!(err.message.contains(says), "{}", err.message);
        let page = format!(r#"{{"bulkActions":[{}],"cursor":"c1"}}"#, action);
        let err = read_page(&answer(200, &page), &token).unwrap_err();
        assert!(
            err.message.contains(&format!("bulkActions[0]: {says}")),
            "{}",
            err.message
        );
    }
    // Every run processed is possible.
    assert_eq!(
        read_action(
            &get_request(&account(), "ba_1"),
            &answer(200, &about("ba_1", 30, 30)),
            &token
        )
        .unwrap()
        .processed,
        30
    );
}

#[test]
fn a_cursor_that_breaks_the_cursor_rule_is_the_services_fault_when_read() {
    let token = "tok".parse_token();
    let long = "c".repeat(1025);
    for cursor in ["a b", "c\\u0000", "é", long.as_str()] {
        let page = format!(r#"{{"bulkActions":[],"cursor":"{cursor}"}}"#);
        let err = read_page(&answer(200, &page), &token).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidResponse, "{cursor}");
        assert!(err.field.is_none(), "the caller is not blamed");
        assert!(
            err.message
                .contains("a \"cursor\" that breaks the cursor rule (printable ASCII, 1 to 1024 characters)"),
            "{}",
            err.message
        );
    }
    // The longest cursor the rule allows is read and can be asked with.
    let longest = "c".repeat(1024);
    let page = format!(r#"{{"bulkActions":[],"cursor":"{longest}"}}"#);
    let cursor = read_page(&answer(200, &page), &token).unwrap().cursor.unwrap();
    let options = Options::new()
        .with("token", "tok")
        .with("cursor", cursor.as_str());
    assert!(qstash_cancel::js::parse_bulk_read(&options, None, qstash_cancel::js::ReadKind::Page).is_ok());
}

#[test]
fn an_answer_about_another_action_is_refused() {
    let token = "tok".parse_token();
    let asked = get_request(&account(), "ba_1");
    let err = read_action(&asked, &answer(200, &about("ba_OTHER", 30, 30)), &token).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidResponse);
    assert!(
        err.message
            .contains("an answer about another bulk action than the one asked for"),
        "{}",
        err.message
    );
    // Nor a prefix or a suffix of it, nor the same id encoded.
    for other in ["ba_", "ba_10", "xba_1", "ba%5F1"] {
        let answer = answer(200, &about(other, 1, 1));
        assert!(read_action(&asked, &answer, &token).is_err(), "{other}");
    }
    // An id the URL percent-encodes is matched as it was asked for.
    let odd = "ba!1:~$";
    let asked = get_request(&account(), odd);
    assert!(asked.url.ends_with("/ba%211%3A~%24"), "{}", asked.url);
    let action = read_action(&asked, &answer(200, &about(odd, 3, 1)), &token).unwrap();
    assert_eq!((action.action_id.as_str(), action.processed), (odd, 1));
}
