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

/// Whether `word`, 8 bytes, holds one below `n` (at most 128) or equal to `a` or `b`: the test
/// that lets a scan pass over 8 bytes at once, looking at each only in a word that holds one.
/// Exact (Bit Twiddling Hacks' `hasless` and `haszero`, which only mis-flag lanes above a
/// flagged one: the word as a whole is judged right).
#[inline(always)]
pub fn word_has(word: u64, n: u8, a: u8, b: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    (word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH)
        | zero(word ^ (ONES * u64::from(a)))
        | zero(word ^ (ONES * u64::from(b)))
        != 0
}

/// Up to 8 bytes as a little-endian word, zero-padded.
#[inline(always)]
pub fn word(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(whole) => u64::from_le_bytes(whole),
        Err(_) => {
            let (mut word, mut at) = (0, 0);
            while at < bytes.len() && at < 8 {
                word |= u64::from(bytes[at]) << (8 * at);
                at += 1;
            }
            word
        }
    }
}

/// FxHash-style: a rotate, xor and multiply per 8 bytes, read a word at a time (byte by byte,
/// hashing was a sixth of the checks of a million ids, bench/big-call.mjs).
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for whole in &mut words {
        h = (h.rotate_left(5) ^ word(whole)).wrapping_mul(K);
    }
    // The last, short word, zero-padded.
    if !words.remainder().is_empty() {
        h = (h.rotate_left(5) ^ word(words.remainder())).wrapping_mul(K);
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
    fn word_reads_up_to_eight_bytes_little_endian() {
        assert_eq!(word(b""), 0);
        assert_eq!(word(b"\x01\x02"), 0x0201);
        assert_eq!(word(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(
            word(b"abcdefghi"),
            u64::from_le_bytes(*b"abcdefgh"),
            "only the first 8"
        );
    }
}
