//! Property tests (a bounded fuzz run in every `cargo test`): option parsing and answer reading
//! never panic on any input, and nothing but a literal `all: true` ever produces a request that
//! cancels every run. (The JSON reader's and the id splitting's properties are unit tests of
//! their modules, which are internal.)
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use qstash_cancel::js::{parse_call, Options, Value, CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS};
use qstash_cancel::{interpret, Cancellation, HttpResponse, Machine, Step, Target};

/// Inputs tried per property; about a second each.
const CASES: u32 = 10_000;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Undefined),
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            any::<f64>(),
            (0u64..2_000_000_000_000).prop_map(|n| n as f64),
            -5.0..5.0f64
        ]
        .prop_map(Value::Number),
        prop_oneof![
            ".{0,12}",
            "[a-z_0-9]{1,8}",
            "https?://[a-z.]{0,10}/?[a-z,]{0,5}",
            "(body|query|true)"
        ]
        .prop_map(Value::String),
        any::<f64>().prop_map(Value::Date),
        prop_oneof![
            Just("function"),
            Just("AbortSignal"),
            Just("object"),
            Just("symbol")
        ]
        .prop_map(Value::Other),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => leaf(),
        1 => prop::collection::vec(leaf(), 0..4).prop_map(Value::Array),
        1 => prop::collection::vec(("[a-zA-Z]{1,12}", leaf()), 0..3).prop_map(Value::Object),
    ]
}

fn key() -> impl Strategy<Value = String> {
    let known: Vec<&str> = [CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS].concat();
    prop_oneof![
        8 => prop::sample::select(known).prop_map(str::to_owned),
        1 => "[a-zA-Z]{1,14}",
    ]
}

fn options() -> impl Strategy<Value = Options> {
    prop::collection::vec((key(), value()), 0..7).prop_map(|entries| {
        entries.into_iter().fold(
            Options::new().with("token", "fuzz-token"),
            |mut options, (k, v)| {
                options.insert(k, v);
                options
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn options_never_panic_and_never_cancel_all_unasked(options in options()) {
        if let Ok((account, request)) = parse_call(&options) {
            let asked_for_all = options.entries().any(|(k, v)| k == "all" && *v == Value::Bool(true));
            prop_assert_eq!(matches!(request.target(), Target::All), asked_for_all);
            if let Ok(mut call) = Cancellation::new(&account, request, 0, 0) {
                // Every request the call sends, each answered "nothing cancelled" (one pass).
                let nothing = HttpResponse { status: 200, body: r#"{"cancelled":0}"#.into(), ..Default::default() };
                while let Step::Send(transmit) = call.poll(0) {
                    let http = transmit.request();
                    let empty = http.body.as_deref().is_none_or(|b| b == "{}") && !http.url.contains('?');
                    prop_assert!(!empty || asked_for_all, "an unasked cancel-all: {:?}", http);
                    let printed = format!("{:?}", http);
                    prop_assert!(!printed.contains("fuzz-token"));
                    call.on_response(transmit, &nothing, 0).expect("its own transmit");
                }
            }
        }
    }

    /// Any answer, and among them answers that echo the token in one of the forms a server
    /// writes it in: nothing panics, and no error shows the echo as it came.
    #[test]
    fn answers_never_panic_nor_show_an_echoed_token(
        status in 0u16..1000,
        body in ".{0,64}|\\{\"cancelled\": ?-?[0-9.e+]{1,25}\\}",
        echo in prop::option::of((0usize..6, 0usize..65)),
        headers in prop::collection::vec(("[a-zA-Z-]{1,24}", ".{0,12}"), 0..4),
    ) {
        let (account, _) = parse_call(&Options::new().with("token", "fuzz-token").with("all", true)).unwrap();
        let (body, echoed) = match echo {
            None => (body, None),
            Some((form, at)) => {
                let echoed = echo_form("fuzz-token", form);
                let at = (0..=at.min(body.len())).rev().find(|i| body.is_char_boundary(*i)).unwrap_or(0);
                ([&body[..at], &echoed, &body[at..]].concat(), Some(echoed))
            }
        };
        let answer = HttpResponse { status, headers, body, ..Default::default() };
        match interpret(&answer, account.token()) {
            Ok(_) => prop_assert!((200..300).contains(&status)),
            Err(err) => {
                let shown = format!("{} {:?}", err.message, err.server_message);
                prop_assert!(!shown.contains("fuzz-token"), "{}", shown);
                if let Some(echoed) = echoed {
                    prop_assert!(!shown.contains(&echoed), "{}", shown);
                }
            }
        }
    }
}

/// `token` as form `form` writes it: as it is, percent-encoded byte by byte (upper or lower case
/// hex), every other character percent-encoded, `\u`-escaped, or in HTML decimal entities (the
/// test's own encoders, independent of the library's).
fn echo_form(token: &str, form: usize) -> String {
    token
        .bytes()
        .enumerate()
        .map(|(i, b)| match form {
            1 => format!("%{b:02X}"),
            2 => format!("%{b:02x}"),
            3 if i % 2 == 0 => format!("%{b:02X}"),
            4 => format!("\\u{b:04x}"),
            5 => format!("&#{b};"),
            _ => char::from(b).to_string(),
        })
        .collect()
}
