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
