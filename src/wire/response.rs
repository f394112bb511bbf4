//! Reading the service's answer: the number of cancelled runs, or an error that keeps the status,
//! the service's own message and the rate-limit figures.

use crate::error::{Error, ErrorCode, RateLimit};
use crate::limits::MAX_SAFE_INTEGER;
use crate::rules::token::{Token, WITHHELD};
use crate::text::json::{self, Json};
use crate::wire::http_date;

/// The response headers the interpretation reads; an adapter only needs to copy these.
pub const READ_HEADERS: &[&str] = &[
    "retry-after",
    "burst-ratelimit-limit",
    "burst-ratelimit-remaining",
    "burst-ratelimit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
];

/// What a redirect means: a driver hands it back as it came (it must not follow it), and the call
/// ends on it, never retried: following it would send the token, and the cancel, wherever
/// `Location` points.
const REDIRECT: &str =
    "the service answered with a redirect, which is not followed so that the token cannot reach another host";

/// What an answer reached by following a redirect means: the client was told not to follow it
/// (its request went out with the token, perhaps to another host), and what came back is another
/// URL's. It is neither counted nor retried, and the request is unconfirmed: the redirect may have
/// led back to the service (`http` to `https`), which may have acted.
const FOLLOWED: &str = "the fetch in use followed a redirect although the request said not to (redirect: \"manual\"): the answer came from another URL and is not taken as the service's; the token may have gone with the request, and the service may have acted";

/// How much of a non-JSON body an error quotes.
const EXCERPT_CHARS: usize = 200;

/// An answer as received: status, the [`READ_HEADERS`] present (any case), and the body text.
#[derive(Clone, Debug, Default)]
pub struct HttpResponse {
    /// The HTTP status; 0 for a redirect whose status the platform hides (a browser's `fetch`
    /// with `redirect: "manual"` answers an opaque redirect).
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body as text (at most [`max_answer_bytes`](crate::HttpRequest::max_answer_bytes) of it).
    pub body: String,
    /// Whether the body went on past [`max_answer_bytes`](crate::HttpRequest::max_answer_bytes) and was left unread.
    pub cut: bool,
    /// Whether the client followed a redirect although told not to (`Response.redirected` in
    /// JS; in Rust, a final URL other than the request's): the answer is then another URL's,
    /// and the call takes it as no answer of the service's.
    pub redirected: bool,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    fn header_number(&self, name: &str) -> Option<u64> {
        whole_number(self.header(name)?)
    }
}

/// The count of a 2xx answer, or the error the answer means. `token` is only used to withhold
/// anything a server or proxy echoed back.
pub fn interpret(response: &HttpResponse, token: &Token) -> Result<u64, Error> {
    match success_json(response, token, "a count")?
        .get("cancelled")
        .and_then(Json::as_whole)
    {
        Some(count) => Ok(count),
        None => Err(invalid(
            response,
            token,
            "no non-negative integer \"cancelled\"".to_owned(),
        )),
    }
}

/// The JSON of a 2xx answer, or the error the answer means: for a 2xx that is cut or not JSON,
/// an `INVALID_RESPONSE` saying what was `expected`; for any other status, [`failure`]'s error;
/// for an answer reached by following a redirect, whatever its status, [`FOLLOWED`].
/// (One function for every kind of answer, not one per reader: each copy measured about 0.5 KB
/// of wasm.)
pub(crate) fn success_json(response: &HttpResponse, token: &Token, expected: &str) -> Result<Json, Error> {
    if response.redirected {
        return Err(Error::new(ErrorCode::InvalidResponse, FOLLOWED.to_owned()));
    }
    if !(200..300).contains(&response.status) {
        return Err(failure(response, token));
    }
    match (response.cut, json::parse(&response.body)) {
        (false, Some(doc)) => Ok(doc),
        (true, _) => Err(invalid(
            response,
            token,
            format!(
                "an answer longer than {} bytes (read no further)",
                response.body.len()
            ),
        )),
        (false, None) => Err(invalid(
            response,
            token,
            format!("an answer that is not JSON (expected {expected})"),
        )),
    }
}

/// The `INVALID_RESPONSE` of a 2xx answer that is not what was expected (`what` says how).
pub(crate) fn invalid(response: &HttpResponse, token: &Token, what: String) -> Error {
    let status = response.status;
    let mut err = Error::new(
        ErrorCode::InvalidResponse,
        format!("the service answered {status} with {what}"),
    );
    err.status = Some(status);
    err.server_message = Some(quote(token, &response.body, server_message(&response.body)));
    err
}

/// The error a non-2xx answer means, with the status, the service's own message and the
/// rate-limit figures.
fn failure(response: &HttpResponse, token: &Token) -> Error {
    let status = response.status;
    let server_message = quote(token, &response.body, server_message(&response.body));
    let (code, what) = match status {
        401 => (ErrorCode::Unauthorized, "the token was refused"),
        403 => (ErrorCode::Unauthorized, "the request was forbidden"),
        429 => (ErrorCode::RateLimited, "rate limited"),
        0 | 300..=399 => (ErrorCode::HttpError, REDIRECT),
        _ => (ErrorCode::HttpError, "the request failed"),
    };
    let mut message = match status {
        0 => what.to_owned(),
        _ => format!("{what} (HTTP {status})"),
    };
    if !server_message.is_empty() {
        message = format!("{message}: {server_message}");
    }
    let mut err = Error::new(code, message);
    err.status = Some(status).filter(|s| *s != 0);
    err.server_message = Some(server_message);
    if code == ErrorCode::RateLimited || (status == 503 && response.header("retry-after").is_some()) {
        err.rate_limit = Some(Box::new(rate_limit(response)));
    }
    err
}

/// Whether an answer holds the token: as text, or in its strings once JSON escapes such as
/// `\u0065` are decoded.
pub(crate) fn holds_token(token: &Token, body: &str) -> bool {
    token.appears_in(body) || json::parse(body).is_some_and(|doc| doc.any_string(&|s| token.appears_in(s)))
}

/// What an error may quote of an answer: `quoted`, unless the whole answer or the quote holds the
/// token ([`holds_token`]). The whole answer is checked, not just the excerpt, so a token cut at
/// the excerpt's end is caught too.
fn quote(token: &Token, body: &str, quoted: String) -> String {
    match holds_token(token, body) {
        true => WITHHELD.to_owned(),
        false => token.withhold(quoted),
    }
}

/// `{"error": "..."}` when the body has it, else a short excerpt of the text.
fn server_message(body: &str) -> String {
    match json::parse(body).as_ref().and_then(|doc| doc.get("error")) {
        Some(Json::String(message)) => excerpt(message),
        _ => excerpt(body),
    }
}

/// The text of `body` without markup, whitespace folded, cut to [`EXCERPT_CHARS`].
fn excerpt(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => text.push(' '),
            c => text.push(c),
        }
    }
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => [folded.get(..cut).unwrap_or_default(), "…"].concat(),
        None => folded,
    }
}

fn rate_limit(response: &HttpResponse) -> RateLimit {
    let pick = |burst: &str, daily: &str| {
        response
            .header_number(burst)
            .or_else(|| response.header_number(daily))
    };
    RateLimit {
        limit: pick("burst-ratelimit-limit", "ratelimit-limit"),
        remaining: pick("burst-ratelimit-remaining", "ratelimit-remaining"),
        reset: pick("burst-ratelimit-reset", "ratelimit-reset"),
        retry_after: response.header_number("retry-after"),
        retry_at: response.header("retry-after").and_then(http_date::parse),
    }
}

/// A non-negative decimal number (`3`, `1.5`, `2e20`) as a whole number: a fraction is rounded
/// up, and a number past the largest integer a JS number holds exactly saturates there, so a
/// wait it asks for is seen as too long rather than as none. (Written out because std's float
/// parser costs 16 KB of wasm.)
pub(crate) fn whole_number(text: &str) -> Option<u64> {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = || whole.bytes().chain(fraction.bytes());
    if whole.is_empty() && fraction.is_empty() || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: u64 = 0;
    for digit in digits() {
        n = n
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
            .min(MAX_SAFE_INTEGER + 1);
    }
    let scale = i64::from(exponent) - fraction.len() as i64;
    for _ in 0..scale.clamp(0, 20) {
        n = n.saturating_mul(10).min(MAX_SAFE_INTEGER + 1);
    }
    for _ in 0..(-scale).clamp(0, 40) {
        n = n.div_ceil(10);
    }
    Some(n.min(MAX_SAFE_INTEGER))
}
