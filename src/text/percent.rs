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
    while let Some(at) = next_reserved(raw, start) {
        out.push_str(value.get(start..at).unwrap_or_default());
        out.push('%');
        push_hex(out, raw.get(at).copied().unwrap_or_default());
        start = at + 1;
    }
    out.push_str(value.get(start..).unwrap_or_default());
}

/// The bytes percent-encoding adds to `value` (two for each byte encoded), without encoding it.
pub fn percent_added_len(value: &str) -> usize {
    let raw = value.as_bytes();
    match next_reserved(raw, 0) {
        Some(first) => {
            2 * bytes::sum(raw.get(first..).unwrap_or_default(), |b| {
                usize::from(!unreserved(b))
            })
        }
        None => 0,
    }
}

/// Where the first byte at or after `from` that is encoded is. Words of 8 unreserved bytes are
/// passed over whole: 1,000,000 ids make 30 MB that the batching and the URLs scan, and byte by
/// byte the two scans were a quarter of the wasm's time in a million-id query-form cancel.
fn next_reserved(raw: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(word) = raw.get(at..at + 8) {
        if !word_unreserved(bytes::word(word)) {
            break;
        }
        at += 8;
    }
    bytes::find(raw, at, |b| !unreserved(b))
}

/// Whether all 8 bytes of `word` are unreserved, tested on the whole word: ASCII, and each lane
/// within one of the ranges.
#[inline(always)]
fn word_unreserved(word: u64) -> bool {
    let within =
        |low: u8, high: u8| bytes::lanes_at_least(word, low) & !bytes::lanes_at_least(word, high + 1);
    let unreserved = within(b'-', b'.')
        | within(b'0', b'9')
        | within(b'A', b'Z')
        | within(b'_', b'_')
        | within(b'a', b'z')
        | within(b'~', b'~');
    bytes::word_ascii(word) && unreserved == bytes::LANES
}

#[inline(always)]
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_unreserved_judges_every_word_as_its_bytes_do() {
        let naive = |word: u64| word.to_le_bytes().iter().all(|&b| unreserved(b));
        for fill in [b'a', b'~', b'-', b'0', b'Z', b'_'] {
            for lane in 0..8 {
                for value in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[lane] = value;
                    let word = u64::from_le_bytes(bytes);
                    assert_eq!(word_unreserved(word), naive(word), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn every_byte_is_encoded_where_it_falls() {
        // One byte that is encoded at every position of a string long enough for words and a
        // short last one.
        for special in ["&", " ", "é", "%", "\u{7f}", "/"] {
            for at in 0..=24 {
                let plain = "abcdefghijklmnopqrstuvwx";
                let value = [&plain[..at], special, &plain[at..]].concat();
                let mut out = String::new();
                percent_encode(&mut out, &value);
                let expected: String = value
                    .bytes()
                    .map(|b| {
                        if unreserved(b) {
                            char::from(b).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                assert_eq!(out, expected);
                assert_eq!(percent_added_len(&value), out.len() - value.len());
            }
        }
        assert_eq!(percent_added_len("wfr_0123456789-._~ABCXYZabcxyz"), 0);
    }
}
