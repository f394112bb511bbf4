//! Byte scans for the per-id hot paths, as plain index loops.
//!
//! The wasm is built for size (opt-level "s"), where iterator adapters such as `enumerate` and
//! `filter` are not reliably inlined: a scan written with them can make a call per byte, and
//! 100,000 ids are millions of bytes. These loops are forced inline, so each use compiles to a
//! tight loop.

/// The sum of `weight` over the bytes of `bytes`.
#[inline(always)]
pub fn sum(bytes: &[u8], weight: impl Fn(u8) -> usize) -> usize {
    let (mut total, mut at) = (0, 0);
    while at < bytes.len() {
        total += weight(bytes[at]);
        at += 1;
    }
    total
}

/// The index of the first byte at or after `from` that passes `test`.
#[inline(always)]
pub fn find(bytes: &[u8], from: usize, test: impl Fn(u8) -> bool) -> Option<usize> {
    let mut at = from;
    while at < bytes.len() {
        if test(bytes[at]) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Whether every byte of `bytes` passes `test`.
#[inline(always)]
pub fn all(bytes: &[u8], test: impl Fn(u8) -> bool) -> bool {
    find(bytes, 0, |b| !test(b)).is_none()
}

/// A byte in each of a word's 8 lanes.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of each lane.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether `word`, 8 bytes, holds one below `n` (at most 128) or equal to `a` or `b`: the test
/// that lets a scan pass over 8 bytes at once, looking at each only in a word that holds one.
/// Exact (Bit Twiddling Hacks' `hasless` and `haszero`, which only mis-flag lanes above a
/// flagged one: the word as a whole is judged right).
#[inline(always)]
pub fn word_has(word: u64, n: u8, a: u8, b: u8) -> bool {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    (word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH)
        | zero(word ^ (ONES * u64::from(a)))
        | zero(word ^ (ONES * u64::from(b)))
        != 0
}

/// The top bit of each lane of `word` whose byte is at least `c` (1 to 128), for a word with
/// no byte of 0x80 or more: an addition that never carries into the next lane. A byte is
/// within a range when it is at least its start and not at least its end's successor.
#[inline(always)]
pub fn lanes_at_least(word: u64, c: u8) -> u64 {
    word.wrapping_add(ONES * u64::from(0x80 - c)) & HIGH
}

/// Whether every byte of `word` is ASCII.
#[inline(always)]
pub fn word_ascii(word: u64) -> bool {
    word & HIGH == 0
}

/// Every lane of a word.
pub const LANES: u64 = HIGH;

/// Whether every byte of `bytes` is printable ASCII but the space (`is_ascii_graphic`), 8 bytes
/// at a time: every id of a list is checked with it (byte by byte, a million ids took 15 ms).
pub fn all_graphic(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for whole in &mut words {
        let w = word(whole);
        if !(word_ascii(w) && lanes_at_least(w, 0x21) == LANES && lanes_at_least(w, 0x7f) == 0) {
            return false;
        }
    }
    all(words.remainder(), |b| b.is_ascii_graphic())
}

/// Whether `bytes` holds `byte`, 8 bytes at a time.
pub fn contains(bytes: &[u8], byte: u8) -> bool {
    let mut words = bytes.chunks_exact(8);
    for whole in &mut words {
        if word_has(word(whole), 0, byte, byte) {
            return true;
        }
    }
    find(words.remainder(), 0, |b| b == byte).is_some()
}

/// 8 bytes as a little-endian word (every caller hands 8; 0 for another length).
#[inline(always)]
pub fn word(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_le_bytes)
}

/// FxHash-style: a rotate, xor and multiply per 8 bytes, read a word at a time (byte by byte,
/// hashing was a sixth of the checks of a million ids, bench/big-call.mjs). The length is
/// hashed first, so strings that differ only in length differ in hash.
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for whole in &mut words {
        h = (h.rotate_left(5) ^ word(whole)).wrapping_mul(K);
    }
    // The last, short word: the string's last 8 bytes (overlapping the word before) when it has
    // 8, read at once; else its few bytes, zero-padded.
    let rest = words.remainder();
    if !rest.is_empty() {
        let last = match bytes.len().checked_sub(8).and_then(|from| bytes.get(from..)) {
            Some(last) => word(last),
            None => (0..rest.len()).fold(0, |w, at| w | u64::from(rest[at]) << (8 * at)),
        };
        h = (h.rotate_left(5) ^ last).wrapping_mul(K);
    }
    // A multiply only carries bits upwards, and the table indexes with the low bits: mix the
    // high bits down (MurmurHash3's finalizer), or ids that differ only at the end collide.
    h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_has_judges_every_word_as_its_bytes_do() {
        let naive =
            |word: u64, n: u8, a: u8, b: u8| word.to_le_bytes().iter().any(|&x| x < n || x == a || x == b);
        // Each byte value in each lane of words of other bytes (plain, high, at the edges), and
        // two flagged lanes (a flagged lane mis-flags those above it, never the word).
        let fills = [0x41u8, 0x80, 0xff, 0x20, 0x21, 0x7f];
        for fill in fills {
            for lane in 0..8 {
                for value in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[lane] = value;
                    let word = u64::from_le_bytes(bytes);
                    assert_eq!(
                        word_has(word, 0x20, b'"', b'\\'),
                        naive(word, 0x20, b'"', b'\\'),
                        "{bytes:?}"
                    );
                    bytes[7 - lane] = 0x22;
                    let word = u64::from_le_bytes(bytes);
                    assert_eq!(
                        word_has(word, 0x20, b'"', b'\\'),
                        naive(word, 0x20, b'"', b'\\'),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn whole_word_tests_judge_every_string_as_its_bytes_do() {
        // Each byte value at each position of strings of plain bytes as long as a word, a word
        // and a short one, and two words.
        for fill in [b'a', b'~', b'!', b'0'] {
            for len in [1, 7, 8, 9, 13, 16] {
                for at in 0..len {
                    for value in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = value;
                        assert_eq!(
                            all_graphic(&bytes),
                            bytes.iter().all(u8::is_ascii_graphic),
                            "{bytes:?}"
                        );
                        for byte in [b',', 0, 0xff, value] {
                            assert_eq!(contains(&bytes, byte), bytes.contains(&byte), "{bytes:?} {byte}");
                        }
                    }
                }
            }
        }
        assert!(all_graphic(b"") && !contains(b"", b','));
    }

    #[test]
    fn word_reads_eight_bytes_little_endian() {
        assert_eq!(word(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(word(b"\x01\x02"), 0, "not 8 bytes");
    }

    #[test]
    fn hash_tells_apart_strings_of_every_short_length() {
        // Strings of 0 to 17 bytes: the tail read as the last 8 bytes or padded.
        let strings: Vec<Vec<u8>> = (0..18).flat_map(|n| [vec![b'a'; n], vec![0; n]]).collect();
        let hashes: std::collections::HashSet<u64> = strings.iter().map(|s| hash(s)).collect();
        assert_eq!(
            hashes.len(),
            strings.len() - 1,
            "only the two empty strings agree"
        );
        assert_eq!(hash(b"wfr_0123456789"), hash(b"wfr_0123456789"));
        assert_ne!(hash(b"wfr_0123456789"), hash(b"wfr_0123456788"));
    }
}
