//! Just enough JSON: writing the request body and reading the service's answers.
//!
//! The answers are tiny (`{"cancelled": 3}` or `{"error": "..."}`) but may come from a proxy in
//! any shape, so the reader accepts any valid JSON, keeps unknown fields, and never panics
//! (nesting is bounded).

use core::fmt::{self, Write};

use crate::limits::{MAX_DEPTH, MAX_SAFE_INTEGER};

use crate::text::bytes;

/// A JSON object of numbers and booleans (whatever prints as JSON), members in order; the names
/// need no escaping.
pub fn object(members: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{name}\":{value}");
    }
    out.push('}');
    out
}

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object; of repeated keys the last, as `JSON.parse` reads them (a
    /// proxy and this reader must not see different counts in one answer).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Json {
    /// The value as a non-negative integer a JS number holds exactly, if it is one.
    pub fn as_whole(&self) -> Option<u64> {
        match self {
            Json::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n <= MAX_SAFE_INTEGER as f64 => {
                Some(*n as u64)
            }
            _ => None,
        }
    }

    /// Whether `f` holds for some string in the document, member names included.
    pub fn any_string(&self, f: &impl Fn(&str) -> bool) -> bool {
        match self {
            Json::String(s) => f(s),
            Json::Array(items) => items.iter().any(|item| item.any_string(f)),
            Json::Object(members) => members.iter().any(|(k, v)| f(k) || v.any_string(f)),
            _ => false,
        }
    }
}

/// Appends `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs of bytes that need no escape are copied whole; escaped bytes are all ASCII, so every
    // run starts and ends on a character boundary.
    let raw = s.as_bytes();
    let mut start = 0;
    while let Some(at) = next_escape(raw, start) {
        out.push_str(s.get(start..at).unwrap_or_default());
        match raw.get(at).copied().unwrap_or_default() {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b => {
                out.push_str("\\u00");
                push_hex(out, b);
            }
        }
        start = at + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// The bytes escaping adds to `s` in a string literal written by [`write_string`] (0 for nearly every run id, found 8 bytes
/// at a time).
pub fn escapes_len(s: &str) -> usize {
    let raw = s.as_bytes();
    match next_escape(raw, 0) {
        Some(first) => bytes::sum(raw.get(first..).unwrap_or_default(), escape_len),
        None => 0,
    }
}

/// Where the first byte at or after `from` that needs an escape is. Words of 8 bytes that hold
/// none are passed over whole: 1,000,000 ids make 30 MB that the batching and the bodies scan.
fn next_escape(raw: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(word) = raw.get(at..at + 8) {
        if bytes::word_has(bytes::word(word), 0x20, b'"', b'\\') {
            break;
        }
        at += 8;
    }
    bytes::find(raw, at, |b| escape_len(b) > 0)
}

/// The bytes an escape adds for `b` in a string literal (0 when `b` is written as it is).
#[inline(always)]
fn escape_len(b: u8) -> usize {
    match b {
        b'"' | b'\\' | b'\n' | b'\r' | b'\t' => 1,
        0..=0x1f => 5,
        _ => 0,
    }
}

/// Appends `b` as two upper-case hex digits.
pub(crate) fn push_hex(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// Parses a whole document; `None` if it is not valid JSON.
pub fn parse(text: &str) -> Option<Json> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value(0)?;
    reader.skip_ws();
    (reader.pos == reader.bytes.len()).then_some(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str) -> Option<()> {
        let end = self.pos + literal.len();
        (self.bytes.get(self.pos..end)? == literal.as_bytes()).then(|| self.pos = end)
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match self.peek()? {
            b'n' => self.eat("null").map(|_| Json::Null),
            b't' => self.eat("true").map(|_| Json::Bool(true)),
            b'f' => self.eat("false").map(|_| Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => self.array(depth),
            b'{' => self.object(depth),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Json::Array(items));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Json> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Json::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_ws();
            self.eat(":")?;
            members.push((key, self.value(depth + 1)?));
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(Json::Object(members));
                }
                _ => return None,
            }
        }
    }

    /// Reads a number exactly when it is an integer below 2^53 (all the service sends) and to
    /// within rounding otherwise; this avoids pulling core's float parser and its tables into
    /// the wasm build.
    fn number(&mut self) -> Option<Json> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        let mut value = self.digits_value(0.0);
        let int_len = self.pos - int_start;
        if int_len == 0 || (int_len > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return None;
        }
        let mut exponent: i32 = 0;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            value = self.digits_value(value);
            let frac_len = self.pos - frac_start;
            if frac_len == 0 {
                return None;
            }
            exponent -= i32::try_from(frac_len).ok()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            let sign = match self.peek() {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            if sign != 0 {
                self.pos += 1;
            }
            let exp_start = self.pos;
            let exp = self.digits_value(0.0);
            if self.pos == exp_start {
                return None;
            }
            exponent = exponent.saturating_add(if sign < 0 {
                -(exp.min(1e6) as i32)
            } else {
                exp.min(1e6) as i32
            });
        }
        let scaled = match exponent {
            e if e >= 0 => (0..e.min(400)).fold(value, |v, _| v * 10.0),
            e => (0..(-e).min(400)).fold(value, |v, _| v / 10.0),
        };
        Some(Json::Number(if negative { -scaled } else { scaled }))
    }

    /// Reads digits, accumulating them onto `start`.
    fn digits_value(&mut self, start: f64) -> f64 {
        let mut value = start;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            value = value * 10.0 + f64::from(d - b'0');
            self.pos += 1;
        }
        value
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while !matches!(self.peek()?, b'"' | b'\\' | 0..=0x1f) {
                self.pos += 1;
            }
            out.push_str(core::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = self.peek()?;
                    self.pos += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => return None,
            }
        }
    }

    /// `\uXXXX`, joining surrogate pairs; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let next = self.pos;
        if (0xD800..0xDC00).contains(&first) && self.eat("\\u").is_some() {
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(code);
            }
            // Not a pair: the next escape is read on its own.
            self.pos = next;
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = core::str::from_utf8(self.bytes.get(self.pos..self.pos + 4)?).ok()?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_documents() {
        let cases: &[(&str, Json)] = &[
            (
                "{\"cancelled\":3}",
                Json::Object(vec![("cancelled".into(), Json::Number(3.0))]),
            ),
            (
                " [1, -2.5e1, true, null] ",
                Json::Array(vec![
                    Json::Number(1.0),
                    Json::Number(-25.0),
                    Json::Bool(true),
                    Json::Null,
                ]),
            ),
            (
                "[0, 0.5, 12.25e2, 1E-2, 9007199254740991]",
                Json::Array(vec![
                    Json::Number(0.0),
                    Json::Number(0.5),
                    Json::Number(1225.0),
                    Json::Number(0.01),
                    Json::Number(9007199254740991.0),
                ]),
            ),
            ("\"a\\u00e9\\n\\ud83d\\ude00\"", Json::String("aé\n😀".into())),
            (
                "\"\\ud800\\u0041\\udc00\"",
                Json::String("\u{FFFD}A\u{FFFD}".into()),
            ),
            ("{}", Json::Object(vec![])),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).as_ref(), Some(want), "{text}");
        }
    }

    #[test]
    fn refuses_invalid_documents() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        for text in [
            "",
            "{",
            "{\"a\":}",
            "01",
            "1.",
            "-",
            "tru",
            "\"\\x\"",
            "\"\\u12\"",
            "{\"a\":1,}",
            "[1 2]",
            "\"a\nb\"",
            "1 2",
            &deep,
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn written_strings_round_trip() {
        for s in ["plain", "quote\" back\\slash", "ctrl\u{1}\t\n", "ünïcødé 😀"] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(parse(&out), Some(Json::String(s.into())), "{out}");
        }
    }

    #[test]
    fn escapes_are_found_in_every_lane_of_a_word_and_after_it() {
        // One character that needs an escape at every position of strings long enough for words
        // and a short last one, among plain ASCII and among multi-byte characters.
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
            for base in ["abcdefghijklmnopqrstuvwxyz0123", "éééééééééééééé"] {
                for at in 0..=base.chars().count() {
                    let mut s: String = base.chars().take(at).collect();
                    s.push(special);
                    s.extend(base.chars().skip(at));
                    let mut out = String::new();
                    write_string(&mut out, &s);
                    assert_eq!(parse(&out), Some(Json::String(s.clone())), "{out}");
                    assert_eq!(out.len(), 2 + s.len() + escapes_len(&s), "{s:?}");
                    assert_eq!(
                        escapes_len(&s),
                        if special < ' ' && special != '\n' { 5 } else { 1 },
                        "{s:?}"
                    );
                }
                assert_eq!(escapes_len(base), 0);
            }
        }
    }

    /// What the wasm build hands to JS as JSON text (`JSON.parse` reads it there): every writer
    /// makes a document this reader, like `JSON.parse`, reads back member for member.
    #[test]
    fn objects_written_by_the_core_read_back() {
        use crate::call::cancellation::{Progress, Summary};
        use crate::wire::http_request::HttpRequest;
        let n = |n: u64| Json::Number(n as f64);
        let members = |list: &[(&str, Json)]| {
            Json::Object(list.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
        };
        let summary = Summary {
            cancelled: MAX_SAFE_INTEGER,
            requests: 3,
            passes: 2,
            retries: 1,
            unconfirmed: 0,
            more_may_match: true,
        };
        let progress = Progress {
            pass: 2,
            batch: 1,
            batches: 4,
            cancelled: 7,
            total: 9,
        };
        let request = |body: Option<&str>| HttpRequest {
            method: "DELETE",
            url: "https://q.example/v2/workflows/runs?label=a%22b".into(),
            headers: vec![("Authorization", "Bearer [redacted]".into())],
            body: body.map(str::to_owned),
            max_answer_bytes: 0,
        };
        let request_json = |body: Json| {
            members(&[
                ("method", Json::String("DELETE".into())),
                (
                    "url",
                    Json::String("https://q.example/v2/workflows/runs?label=a%22b".into()),
                ),
                (
                    "headers",
                    members(&[("Authorization", Json::String("Bearer [redacted]".into()))]),
                ),
                ("body", body),
            ])
        };
        let body = r#"{"workflowRunIds":["wfr_\"1"]}"#;
        let cases = [
            (
                object(&[("a", &1u8), ("b", &false)]),
                members(&[("a", n(1)), ("b", Json::Bool(false))]),
            ),
            (object(&[]), members(&[])),
            (
                summary.to_json(),
                members(&[
                    ("cancelled", n(MAX_SAFE_INTEGER)),
                    ("requests", n(3)),
                    ("passes", n(2)),
                    ("retries", n(1)),
                    ("unconfirmed", n(0)),
                    ("moreMayMatch", Json::Bool(true)),
                ]),
            ),
            (
                progress.to_json(),
                members(&[
                    ("pass", n(2)),
                    ("batch", n(1)),
                    ("batches", n(4)),
                    ("cancelled", n(7)),
                    ("total", n(9)),
                ]),
            ),
            (request(None).to_json(), request_json(Json::Null)),
            (
                request(Some(body)).to_json(),
                request_json(Json::String(body.into())),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(&text), Some(expected), "{text}");
        }
    }

    /// Properties (proptest runs natively only).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::*;

        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10_000))]

        #[test]
        fn json_never_panics_and_strings_round_trip(text in ".{0,48}", s in ".{0,24}") {
            let _ = parse(&text);
            let mut out = String::new();
            write_string(&mut out, &s);
            proptest::prop_assert_eq!(out.len(), 2 + s.len() + escapes_len(&s));
            proptest::prop_assert_eq!(parse(&out), Some(Json::String(s)));
        }
        }
    }
}
