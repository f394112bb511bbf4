//! Percent-encoding of query values: what the query form's URL is written with, and what the
//! token's leak check looks for in an answer.

use crate::text::bytes;
use crate::text::json::push_hex;

/// Encodes everything but RFC 3986 unreserved characters, so `&`, `=`, `+`, `#` and `,` in a
/// value can never change the query's meaning.
pub fn percent_encode(out: &mut String, value: &str) {
    // Runs of unreserved bytes are copied whole. Every byte of a multi-byte character is
    // encoded, so a run starts and ends on ASCII, on a character boundary.
    let raw = value.as_bytes();
    let mut start = 0;
    while let Some(at) = bytes::find(raw, start, |b| !unreserved(b)) {
        out.push_str(value.get(start..at).unwrap_or_default());
        out.push('%');
        push_hex(out, raw.get(at).copied().unwrap_or_default());
        start = at + 1;
    }
    out.push_str(value.get(start..).unwrap_or_default());
}

/// The length of `value` once percent-encoded, without encoding it.
pub fn percent_encoded_len(value: &str) -> usize {
    value.len() + 2 * bytes::sum(value.as_bytes(), |b| usize::from(!unreserved(b)))
}

#[inline(always)]
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}
