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

/// FxHash-style: a rotate, xor and multiply per 8 bytes.
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut at = 0;
    while at < bytes.len() {
        // Little-endian words, the last one zero-padded; byte by byte, which compiles to a
        // tight loop where a slice copy can be a call per word in a size-optimised build.
        let mut word = 0u64;
        let mut shift = 0;
        while shift < 64 && at < bytes.len() {
            word |= u64::from(bytes[at]) << shift;
            shift += 8;
            at += 1;
        }
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    // A multiply only carries bits upwards, and the table indexes with the low bits: mix the
    // high bits down (MurmurHash3's finalizer), or ids that differ only at the end collide.
    h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}
