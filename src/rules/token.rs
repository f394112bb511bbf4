//! The service token, kept out of every printout.

use core::fmt;

use crate::text::bytes::{self, hash};
use crate::text::percent::percent_encode;
use crate::text::sha256::sha256;

/// What a fingerprint hashes before the token, so its digest matches no other tool's hash of it.
const FINGERPRINT_PREFIX: &str = "qstash-cancel token fingerprint v1\n";

/// The length of a piece of the token that counts as the token: text holding any
/// 12-character piece of it (in any form below) is not shown. A server that echoes a truncated
/// or cut header leaks a piece, and 12 characters of a random token are never there by chance.
pub const LEAK_PIECE: usize = 12;

/// What an error shows instead of text that held the token.
pub const WITHHELD: &str = "[withheld: the text contained the token or a piece of it]";

/// A QStash token. It can cancel every run of an account, so `Debug` never shows it and the
/// only way to read it is [`Token::expose`], used where the `Authorization` header is built.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The token `raw`, or the rule it breaks: it goes into an `Authorization` header, so it is
    /// printable ASCII without whitespace (a pasted newline would end the header).
    pub(crate) fn parse(raw: &str) -> Result<Token, &'static str> {
        if raw.is_empty() {
            Err("must not be empty")
        } else if !raw.bytes().all(|b| b.is_ascii_graphic()) {
            Err("must be printable ASCII without whitespace or control characters (check for a pasted newline)")
        } else {
            Ok(Token(raw.to_owned()))
        }
    }

    /// Which account the token opens, in a form a person can compare and nobody can use: 12 hex
    /// digits of SHA-256 over a fixed prefix and the token, as `xxxx-xxxx-xxxx`. Never the
    /// token's last characters (they are part of the secret). 48 bits tell accounts apart (two
    /// tokens share a fingerprint with a chance of 1 in 2^48) and give nothing to guess a token
    /// of QStash's length.
    ///
    /// ```
    /// use qstash_cancel::Account;
    ///
    /// let account = Account::new("a", None)?;
    /// assert_eq!(account.token().fingerprint(), "11bf-77bd-3430");
    /// # Ok::<(), qstash_cancel::Error>(())
    /// ```
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    /// The token itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text`, or [`WITHHELD`] if it holds the token or a piece of it (see [`Token::appears_in`]).
    ///
    /// Withheld whole, not redacted in place: around a replaced piece, the rest of an echo still
    /// shows the token's other pieces, and with a short or word-like token the marks themselves
    /// would tell where it stood.
    pub fn withhold(&self, text: String) -> String {
        match self.appears_in(&text) {
            true => WITHHELD.to_owned(),
            false => text,
        }
    }

    /// Whether `text` holds any [`LEAK_PIECE`]-character piece of the token (all of it, if it is
    /// shorter) in one of the forms a server or proxy may echo a header in: as it is,
    /// JSON-escaped (`\/`), percent-encoded (also lower-cased whole), in the base64url alphabet,
    /// or base64-encoded (at each of the three alignments); and the same once escapes that a URL, JSON, JS or HTML writer may have put on
    /// any of its characters are decoded (`%65` in either hex case, `\u0065`, `\x65`, `\/`,
    /// `&#101;`, `&#x65;`, `&sol;`; nested up to three deep), whether or not the text as a whole
    /// parses. Percent-escapes are decoded rather than matched as one encoded form because a
    /// writer may encode any character, letters included (`%74%6F%6B...`). And out of shape:
    /// with whitespace or NULs between its characters (spaced out, or UTF-16), in either case,
    /// or backwards, matched as the text folded (whitespace and NULs out, lower case) against
    /// the token folded, forwards and backwards.
    pub fn appears_in(&self, text: &str) -> bool {
        let width = LEAK_PIECE.min(self.0.len());
        let forms = echo_forms(&self.0);
        let pieces = Pieces::new(forms.iter().flat_map(|form| windows(form, width)));
        let found = |text: &[u8]| {
            [text, &fold(text)]
                .iter()
                .any(|text| windows(text, width).any(|window| pieces.contains(window)))
        };
        if found(text.as_bytes()) {
            return true;
        }
        // Escapes may be nested (the characters of `&#101;` written as `\u0026#...`): a few
        // rounds, each only while something decoded.
        let mut current = unescaped(text.as_bytes());
        for _ in 0..3 {
            match current {
                Some(decoded) if found(&decoded) => return true,
                Some(decoded) => current = unescaped(&decoded).filter(|again| *again != decoded),
                None => break,
            }
        }
        false
    }
}

/// The fingerprint of `text` (see [`Token::fingerprint`]), for any text: the package's
/// `tokenFingerprint` names what a person pasted, valid token or not.
pub(crate) fn fingerprint(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut message = FINGERPRINT_PREFIX.as_bytes().to_vec();
    message.extend_from_slice(text.as_bytes());
    let mut out = String::new();
    for (i, byte) in sha256(&message).iter().take(6).enumerate() {
        if i > 0 && i % 2 == 0 {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 15)]));
    }
    out
}

/// `bytes` without whitespace and NULs, lower-cased: what is left of an echo written spaced
/// out, as UTF-16 or in the other case.
fn fold(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .filter(|b| !b.is_ascii_whitespace() && **b != 0 && **b != 0x0b)
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// The `width`-byte windows of `bytes`, like `slice::windows` but without its panic on a zero
/// width (a token is never empty, but the wasm carries no panic path of ours).
fn windows(bytes: &[u8], width: usize) -> impl Iterator<Item = &[u8]> {
    (0..bytes.len()).map_while(move |start| bytes.get(start..start + width))
}

/// A set of byte strings: an open-addressing table of their positions, so each window of a
/// 64 KiB answer is one hash and (almost always) one probe. (A sorted list with binary search
/// measured 14 KB more wasm: the standard sort is large.)
struct Pieces<'a> {
    pieces: Vec<&'a [u8]>,
    /// 1 + the position of a piece, 0 when free; at most half fill up.
    slots: Vec<u32>,
}

impl<'a> Pieces<'a> {
    fn new(pieces: impl Iterator<Item = &'a [u8]>) -> Self {
        let pieces: Vec<&[u8]> = pieces.collect();
        let mask = (pieces.len().max(4) * 2).next_power_of_two() - 1;
        let mut slots = vec![0u32; mask + 1];
        for (position, piece) in pieces.iter().enumerate() {
            let mut slot = hash(piece) as usize & mask;
            while let Some(taken) = slots.get_mut(slot) {
                if *taken == 0 {
                    *taken = position as u32 + 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        Pieces { pieces, slots }
    }

    fn contains(&self, bytes: &[u8]) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = hash(bytes) as usize & mask;
        while let Some(position) = self.slots.get(slot).and_then(|taken| taken.checked_sub(1)) {
            if self.pieces.get(position as usize) == Some(&bytes) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        false
    }
}

/// `text` with its percent-escapes (`%XX`), backslash escapes (`\uXXXX`, `\xXX`, `\/`,
/// `\\`, `\"`, `\'`) and HTML character references (decimal, hex, and the named ones for the characters a token or its
/// header holds) decoded, or `None` when it has none. Only escapes of ASCII characters are
/// decoded (a token is printable ASCII); whatever does not decode stays as it is. Bytes, not
/// characters: a version on `char`s measured 1.6 KB more wasm.
fn unescaped(text: &[u8]) -> Option<Vec<u8>> {
    let escape = |b: u8| matches!(b, b'\\' | b'&' | b'%');
    let mut start = bytes::find(text, 0, escape)?;
    let mut out = text.get(..start)?.to_vec();
    while let Some(rest) = text.get(start..).filter(|rest| !rest.is_empty()) {
        let (byte, used) = escape_at(rest).or(rest.first().map(|b| (*b, 1)))?;
        out.push(byte);
        start += used;
        let next = bytes::find(text, start, escape).unwrap_or(text.len());
        out.extend_from_slice(text.get(start..next)?);
        start = next;
    }
    Some(out)
}

/// The ASCII character that `digits` (at least one, at most 8: no overflow) in `radix` name.
fn number(digits: &[u8], radix: u32) -> Option<u8> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let mut n = 0u32;
    for b in digits {
        n = n * radix + char::from(*b).to_digit(radix)?;
    }
    u8::try_from(n).ok().filter(u8::is_ascii)
}

/// The ASCII character an escape at the start of `s` stands for, and the bytes it takes.
fn escape_at(s: &[u8]) -> Option<(u8, usize)> {
    match (s.first()?, s.get(1)?) {
        (b'%', _) => Some((number(s.get(1..3)?, 16)?, 3)),
        (b'\\', b'u') => Some((number(s.get(2..6)?, 16)?, 6)),
        (b'\\', b'x') => Some((number(s.get(2..4)?, 16)?, 4)),
        (b'\\', c @ (b'/' | b'\\' | b'"' | b'\'')) => Some((*c, 2)),
        (b'&', _) => {
            let end = bytes::find(s, 1, |b| b == b';').filter(|end| *end <= 10)?;
            let byte = match s.get(1..end)? {
                [b'#', b'x' | b'X', digits @ ..] => number(digits, 16)?,
                [b'#', digits @ ..] => number(digits, 10)?,
                b"sol" => b'/',
                b"plus" => b'+',
                b"equals" => b'=',
                b"amp" => b'&',
                b"quot" => b'"',
                b"apos" => b'\'',
                b"lt" => b'<',
                b"gt" => b'>',
                b"colon" => b':',
                _ => return None,
            };
            Some((byte, end + 1))
        }
        _ => None,
    }
}

/// The token as a server or proxy may write it back, and folded (see [`fold`]) forwards and
/// backwards.
fn echo_forms(token: &str) -> Vec<Vec<u8>> {
    // Percent-escapes are decoded before matching (`unescaped`); this is the encoded text
    // lower-cased whole, as a proxy that folds a URL's case writes it.
    let mut percent = String::new();
    percent_encode(&mut percent, token);
    // As a JSON string may write it (`/` as `\/`), and as URL-safe base64 without padding (a
    // base64 token re-encoded for a URL).
    let (mut json, mut url_safe) = (String::new(), String::new());
    for c in token.chars() {
        match c {
            '/' => json.push_str("\\/"),
            c => json.push(c),
        }
        url_safe.push(match c {
            '+' => '-',
            '/' => '_',
            c => c,
        });
    }
    while url_safe.ends_with('=') {
        url_safe.pop();
    }
    let mut forms = vec![token.to_owned(), json, percent.to_ascii_lowercase(), url_safe];
    // Base64 of a text that holds the token: its characters depend on where the token starts
    // modulo 3, and the first and last few depend on its neighbours too, so they are dropped.
    for align in 0..3 {
        let mut bytes = vec![0; align];
        bytes.extend_from_slice(token.as_bytes());
        let encoded = base64(&bytes);
        let inner = encoded.get(4..encoded.len().saturating_sub(4)).unwrap_or("");
        if inner.len() >= LEAK_PIECE {
            forms.push(inner.to_owned());
        }
    }
    let mut forms: Vec<Vec<u8>> = forms.into_iter().map(String::into_bytes).collect();
    let folded = fold(token.as_bytes());
    forms.push(folded.iter().rev().copied().collect());
    forms.push(folded);
    forms
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            match i <= chunk.len() {
                true => out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize])),
                false => out.push('='),
            }
        }
    }
    out
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_decoded_and_what_does_not_decode_stays() {
        let cases = [
            ("plain", None),
            (r"a\u0062c", Some("abc")),
            (r#"\x41\/\\\""#, Some(r#"A/\""#)),
            ("&#101;&#x79;&#X4A;&sol;&plus;&equals;&amp;", Some("eyJ/+=&")),
            (r"\u00zz &unknown; &#; & \", Some(r"\u00zz &unknown; &#; & \")),
            ("%65%2f%2F%7e", Some("e//~")),
            ("100% %zz %4 %", Some("100% %zz %4 %")),
            ("&#99999999999;", Some("&#99999999999;")),
            // Only ASCII is decoded: a token holds nothing else.
            ("é\\u00e9&#233;\\u0041", Some("é\\u00e9&#233;A")),
        ];
        for (text, want) in cases {
            let got = unescaped(text.as_bytes()).map(|b| String::from_utf8(b).unwrap());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    /// The package's JS fingerprint (Web Crypto) gave these before the hash moved here.
    #[test]
    fn fingerprints_match_the_former_js_ones() {
        let cases = [
            ("a", "11bf-77bd-3430"),
            ("tok_123", "d4d6-d91d-307d"),
            (
                "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
                "7f2b-eea9-a292",
            ),
            (&"x".repeat(40), "178d-7089-0dfa"),
        ];
        for (token, want) in cases {
            assert_eq!(Token::parse(token).unwrap().fingerprint(), want, "{token}");
        }
    }

    #[test]
    fn base64_matches_the_standard() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("Bearer a/b", "QmVhcmVyIGEvYg=="),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want, "{input}");
        }
    }
}
