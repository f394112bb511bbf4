//! A list of strings kept in one buffer.
//!
//! A cancel may carry 100,000 run ids. As one `String` each, they would cost 100,000 allocations
//! on the way in and again on every copy; packed, the list is two allocations however long it
//! is, and a batch of it is a range of indices.

use core::fmt;
use core::ops::Range;
use std::sync::Arc;

use crate::text::bytes::hash;

/// About how many strings [`StringList::dedup`] checks with one table: 4,096 make a table of
/// 32 KB, which stays in cache.
const GROUP: usize = 4096;

/// Strings packed into one text, with where each one starts and ends in it.
///
/// Both are shared: a clone (the checks take the list out of the options they read) costs two
/// reference counts, not another copy of a million ids.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringList {
    text: Arc<String>,
    spans: Arc<Vec<(usize, usize)>>,
}

impl StringList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// The strings of `text` that end at `ends`, in order: how a list packed elsewhere (in JS)
    /// arrives. `None` unless the ends rise, stay within `text` and fall on character
    /// boundaries.
    pub fn from_ends(text: String, ends: &[u32]) -> Option<Self> {
        let mut spans = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &end in ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            spans.push((start, end));
            start = end;
        }
        Some(StringList {
            text: Arc::new(text),
            spans: Arc::new(spans),
        })
    }

    /// Adds `s` at the end.
    pub fn push(&mut self, s: &str) {
        let text = Arc::make_mut(&mut self.text);
        let start = text.len();
        text.push_str(s);
        Arc::make_mut(&mut self.spans).push((start, text.len()));
    }

    /// How many strings the list holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The string at `index`, or `None` out of bounds.
    ///
    /// Like every method here it cannot panic: the wasm build carries no panic path of its own
    /// (a panic there would end the instance for every later call).
    #[inline(always)]
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.spans.get(index)?;
        self.text.get(start..end)
    }

    /// Drops every string equal to an earlier one; the first of each stays, in order. A list
    /// with no repeat (the usual one) is left as it is, shared or not.
    pub fn dedup(&mut self) {
        let repeats = self.repeats();
        if repeats.contains(&true) {
            let mut repeated = repeats.iter();
            Arc::make_mut(&mut self.spans).retain(|_| repeated.next() == Some(&false));
        }
    }

    /// Which strings equal an earlier one (`true` at their position).
    ///
    /// Open-addressing tables hashed with a fast non-cryptographic hash: the strings come from
    /// the caller's own code, so there is no adversary to flood a table, and `std`'s SipHash
    /// `HashSet` costs several times as much (and 5 KB of wasm). One table for a million strings
    /// is megabytes probed at random, a cache miss at every probe, and took 350 ms (native) of a
    /// million-id cancel (bench/big-call.mjs); so the strings are first grouped by the top bits
    /// of their hash (equal strings fall in the same group), in order within each group, and
    /// each group is checked with a table small enough to stay in cache.
    fn repeats(&self) -> Vec<bool> {
        let count = self.len();
        let text = self.text.as_bytes();
        let bytes = |position: usize| {
            let (start, end) = self.spans.get(position).copied().unwrap_or_default();
            text.get(start..end).unwrap_or_default()
        };
        let bits = (count / GROUP).next_power_of_two().trailing_zeros();
        let group = |hash: u64| hash.checked_shr(64 - bits).unwrap_or(0) as usize;
        // Where each group starts in `grouped`, which holds each string's hash (its low half)
        // above its position.
        let mut starts = vec![0; (1 << bits) + 1];
        for position in 0..count {
            if let Some(next) = starts.get_mut(group(hash(bytes(position))) + 1) {
                *next += 1;
            }
        }
        for at in 1..starts.len() {
            let before = starts.get(at - 1).copied().unwrap_or_default();
            if let Some(start) = starts.get_mut(at) {
                *start += before;
            }
        }
        let mut grouped = vec![0u64; count];
        let mut fill = starts.clone();
        for position in 0..count {
            let hashed = hash(bytes(position));
            if let Some(at) = fill.get_mut(group(hashed)) {
                if let Some(entry) = grouped.get_mut(*at) {
                    *entry = hashed << 32 | position as u64;
                }
                *at += 1;
            }
        }
        let bounds = || {
            starts
                .iter()
                .zip(starts.iter().skip(1))
                .map(|(&start, &end)| start..end)
        };
        let largest = bounds().map(|group| group.len()).max().unwrap_or_default();
        let mask = (largest.max(2) * 2).next_power_of_two() - 1;
        // A slot holds 1 + the index of an entry of the group, 0 when free; at most half fill.
        let mut slots = vec![0u32; mask + 1];
        let mut repeats = vec![false; count];
        for group in bounds() {
            let entries = grouped.get(group).unwrap_or_default();
            for (index, &entry) in entries.iter().enumerate() {
                let (hashed, position) = (entry >> 32, entry as u32 as usize);
                let mut slot = hashed as usize & mask;
                while let Some(taken) = slots.get_mut(slot) {
                    match (*taken as usize).checked_sub(1).and_then(|i| entries.get(i)) {
                        None => {
                            *taken = index as u32 + 1;
                            break;
                        }
                        Some(&kept)
                            if kept >> 32 == hashed && bytes(kept as u32 as usize) == bytes(position) =>
                        {
                            if let Some(repeat) = repeats.get_mut(position) {
                                *repeat = true;
                            }
                            break;
                        }
                        Some(_) => slot = (slot + 1) & mask,
                    }
                }
            }
            slots.fill(0);
        }
        repeats
    }

    /// The strings in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.range(0..self.len())
    }

    /// The strings at the indices in `range`, in order.
    pub fn range(&self, range: Range<usize>) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        // Over the spans directly: one bounds check for the range, not one per string.
        self.spans
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }
}

impl<'a> FromIterator<&'a str> for StringList {
    fn from_iter<I: IntoIterator<Item = &'a str>>(items: I) -> Self {
        let mut list = StringList::new();
        items.into_iter().for_each(|s| list.push(s));
        list
    }
}

/// Prints like a `Vec<&str>`.
impl fmt::Debug for StringList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_ends_takes_only_well_formed_ends() {
        let list = StringList::from_ends("abcé".to_owned(), &[1, 1, 5]).expect("well formed");
        assert_eq!(list.iter().collect::<Vec<_>>(), ["a", "", "bcé"]);
        assert_eq!(
            StringList::from_ends("ab".to_owned(), &[]).map(|l| l.len()),
            Some(0)
        );
        for (ends, why) in [
            (&[2, 1][..], "falling"),
            (&[4], "beyond the text"),
            (&[2], "inside é"),
        ] {
            assert_eq!(StringList::from_ends("aé".to_owned(), ends), None, "{why}");
        }
    }

    #[test]
    fn dedup_keeps_the_first_of_each_string_in_order() {
        let mut list: StringList = ["x", "y", "x", "", "y", "", "z"].into_iter().collect();
        list.dedup();
        assert_eq!(format!("{list:?}"), r#"["x", "y", "", "z"]"#);
        assert_eq!(list.range(1..3).collect::<Vec<_>>(), ["y", ""]);
        let mut many: StringList = (0..5000).map(|i| ["a", "b", "c"][i % 3]).collect();
        many.dedup();
        assert_eq!(many.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn dedup_agrees_with_a_set_on_a_long_list_of_look_alike_ids() {
        // Ids that differ only in their last characters, each third one repeating one far
        // before it, and strings of every length up to a hash word and beyond.
        let ids: Vec<String> = (0..60_000usize)
            .map(|i| match i % 3 {
                2 => format!("wfr_{:026}", i / 7),
                _ => format!("wfr_{i:026}"),
            })
            .chain((0..40).map(|n| "x".repeat(n % 20)))
            .collect();
        let mut list: StringList = ids.iter().map(String::as_str).collect();
        list.dedup();
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|s| seen.insert(*s))
            .collect();
        assert_eq!(list.iter().collect::<Vec<_>>(), expected);
        assert!(expected.len() < ids.len() - 10_000, "many were repeats");
    }
}
