//! A list of strings kept in one buffer.
//!
//! A cancel may carry 1,000,000 run ids. As one `String` each, they would cost a million
//! allocations on the way in and again on every copy; packed, the list is two allocations however
//! long it is, a batch of it is a range of indices, and a batch's strings are one slice of the
//! text (what the batching scans, in one pass, rather than id by id).

use core::fmt;
use core::ops::Range;
use std::sync::Arc;

use crate::text::bytes::hash;

/// About how many strings [`StringList::dedup`] checks with one table: 4,096 make a table of
/// 32 KB, which stays in cache.
const GROUP: usize = 4096;

/// Strings packed end to end into one text, with where each one ends in it (each starts where
/// the one before ends).
///
/// Ends alone, not a start and an end per string: a list read from JS arrives as its text and
/// its ends, which are kept as they came (a million ids of 30 characters: 4 MB of ends, where
/// spans were 8 MB more to build and to touch before the first request, bench/big-call.mjs), and
/// the strings of a range are contiguous. Both parts are shared: a clone (the checks take the
/// list out of the options they read) costs two reference counts, not another copy of a million
/// ids. The ends always rise and the last one is the text's length, so two lists of the same
/// strings are equal.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringList {
    text: Arc<String>,
    ends: Arc<Vec<usize>>,
}

impl StringList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// The strings of `text` that end at `ends`, in order: how a list packed elsewhere (in JS)
    /// arrives. `None` unless the ends rise, fall on character boundaries and the last one ends
    /// the text.
    pub fn from_ends(text: String, ends: Vec<usize>) -> Option<Self> {
        let mut start = 0;
        for &end in &ends {
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (start == text.len()).then(|| StringList {
            text: Arc::new(text),
            ends: Arc::new(ends),
        })
    }

    /// Adds `s` at the end.
    pub fn push(&mut self, s: &str) {
        let text = Arc::make_mut(&mut self.text);
        text.push_str(s);
        Arc::make_mut(&mut self.ends).push(text.len());
    }

    /// How many strings the list holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Where the string at `index` starts in the text (the text's length past the last one).
    #[inline(always)]
    fn start(&self, index: usize) -> usize {
        match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(self.text.len()),
            None => 0,
        }
    }

    /// The string at `index`, or `None` out of bounds.
    ///
    /// Like every method here it cannot panic: the wasm build carries no panic path of its own
    /// (a panic there would end the instance for every later call).
    #[inline(always)]
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        self.text.get(self.start(index)..end)
    }

    /// The lengths in bytes of the strings at the indices in `range`, in order: read from the
    /// ends alone (what the batching counts first, for every id).
    pub fn lens(&self, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let mut start = self.start(range.start);
        self.ends.get(range).unwrap_or_default().iter().map(move |&end| {
            let len = end.saturating_sub(start);
            start = end;
            len
        })
    }

    /// The strings at the indices in `range` end to end, as one slice of the text: what a batch
    /// scans in one pass (`""` out of bounds).
    pub fn joined(&self, range: Range<usize>) -> &str {
        match range.end.checked_sub(1).and_then(|last| self.ends.get(last)) {
            Some(&end) if range.start < range.end => self.text.get(self.start(range.start)..end),
            _ => None,
        }
        .unwrap_or_default()
    }

    /// Drops every string equal to an earlier one; the first of each stays, in order. A list
    /// with no repeat (the usual one) is left as it is, shared or not; one with repeats is
    /// packed again without them. That is a second text while the first is still held (by the
    /// options it was read from): a million ids of 30 characters, one in ten a repeat, grew the
    /// wasm's memory 27 MB more than spans did. Keeping instead where each string kept starts
    /// cost 0.7 KB gzip of the page and 5 % of the checks' time for every list, repeats or not.
    pub fn dedup(&mut self) {
        let repeats = self.repeats();
        if repeats.contains(&true) {
            let mut text = String::with_capacity(self.text.len());
            let mut ends = Vec::new();
            for (s, _) in self.iter().zip(&repeats).filter(|(_, &repeat)| !repeat) {
                text.push_str(s);
                ends.push(text.len());
            }
            *self = StringList {
                text: Arc::new(text),
                ends: Arc::new(ends),
            };
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
    /// each group is checked with a table small enough to stay in cache. Each string is hashed
    /// once: its hash (32 bits: the group is its top bits, the slot its low ones) is kept for the
    /// grouping, which hashing again cost a sixth of the checks of a million ids.
    fn repeats(&self) -> Vec<bool> {
        let count = self.len();
        let bits = (count / GROUP).next_power_of_two().trailing_zeros();
        let group = |hashed: u32| hashed.checked_shr(32 - bits).unwrap_or(0) as usize;
        let hashes: Vec<u32> = self.iter().map(|s| hash(s.as_bytes()) as u32).collect();
        // Where each group starts in `grouped`, which holds each string's hash above its
        // position.
        let mut starts = vec![0; (1 << bits) + 1];
        for &hashed in &hashes {
            if let Some(next) = starts.get_mut(group(hashed) + 1) {
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
        for (position, &hashed) in hashes.iter().enumerate() {
            if let Some(at) = fill.get_mut(group(hashed)) {
                if let Some(entry) = grouped.get_mut(*at) {
                    *entry = u64::from(hashed) << 32 | position as u64;
                }
                *at += 1;
            }
        }
        drop(hashes);
        let bytes = |position: usize| self.get(position).unwrap_or_default().as_bytes();
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
        // Over the ends directly, each string starting where the last one ended: one bounds check
        // for the range, not one per string.
        let mut start = self.start(range.start);
        self.ends.get(range).unwrap_or_default().iter().map(move |&end| {
            let s = self.text.get(start..end).unwrap_or_default();
            start = end;
            s
        })
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

    /// The lists every representation must hold as they are: empty strings anywhere, one item,
    /// characters of every UTF-8 length, and what the JS reader makes of UTF-16 (a pair is one
    /// character of 4 bytes; an unpaired surrogate never arrives as text: the reader refuses it
    /// by name, and U+FFFD is what encoding it would have made).
    const LISTS: &[&[&str]] = &[
        &[],
        &[""],
        &["", "", ""],
        &["wfr_1"],
        &["", "a", ""],
        &["a", "", "bc", ""],
        &["é", "aé", "é"],
        &["\u{1F600}", "x\u{1F600}y", "\u{FFFD}", "€"],
        &["wfr_1", "wfr_2", "wfr_1", "", "é", "", "é"],
    ];

    #[test]
    fn every_list_reads_back_as_it_was_pushed_and_as_it_was_packed() {
        for &items in LISTS {
            let pushed: StringList = items.iter().copied().collect();
            let ends = items
                .iter()
                .scan(0, |end, s| {
                    *end += s.len();
                    Some(*end)
                })
                .collect();
            let packed = StringList::from_ends(items.concat(), ends);
            assert_eq!(packed.as_ref(), Some(&pushed), "{items:?}");
            reads_back_as(&pushed, items);
        }
    }

    /// `list` holds `items`, read whole, one by one, by every range (in bounds or not), by
    /// lengths and joined.
    fn reads_back_as(list: &StringList, items: &[&str]) {
        assert_eq!(list.len(), items.len());
        assert_eq!(list.is_empty(), items.is_empty());
        assert_eq!(list.iter().collect::<Vec<_>>(), items);
        for (i, &item) in items.iter().enumerate() {
            assert_eq!(list.get(i), Some(item), "{items:?} at {i}");
        }
        assert_eq!(list.get(items.len()), None);
        assert_eq!(list.get(usize::MAX), None);
        for start in 0..=items.len() + 1 {
            for end in 0..=items.len() + 1 {
                let kept = items.get(start..end).unwrap_or_default();
                let at = format!("{items:?} {start}..{end}");
                assert_eq!(list.range(start..end).collect::<Vec<_>>(), kept, "{at}");
                assert_eq!(list.range(start..end).len(), kept.len(), "{at}");
                let lens: Vec<usize> = kept.iter().map(|s| s.len()).collect();
                assert_eq!(list.lens(start..end).collect::<Vec<_>>(), lens, "{at}");
                assert_eq!(list.joined(start..end), kept.concat(), "{at}");
            }
        }
    }

    #[test]
    fn from_ends_takes_only_ends_that_rise_on_boundaries_to_the_end_of_the_text() {
        let list = StringList::from_ends("abcé".to_owned(), vec![1, 1, 5]).expect("well formed");
        assert_eq!(list.iter().collect::<Vec<_>>(), ["a", "", "bcé"]);
        assert_eq!(
            StringList::from_ends(String::new(), vec![]),
            Some(StringList::new())
        );
        assert_eq!(
            StringList::from_ends(String::new(), vec![0, 0]).map(|l| l.len()),
            Some(2)
        );
        for (text, ends, why) in [
            ("aé", &[2, 1][..], "falling"),
            ("aé", &[1, 4], "beyond the text"),
            ("aé", &[2, 3], "inside é"),
            ("aé", &[1], "short of the end of the text"),
            ("ab", &[], "no ends for a text"),
            ("", &[1], "beyond an empty text"),
        ] {
            assert_eq!(
                StringList::from_ends(text.to_owned(), ends.to_vec()),
                None,
                "{why}"
            );
        }
    }

    #[test]
    fn dedup_packs_a_list_with_repeats_again_and_leaves_one_without_shared() {
        for &items in LISTS {
            let mut list: StringList = items.iter().copied().collect();
            list.dedup();
            let mut seen = std::collections::HashSet::new();
            let expected: Vec<&str> = items.iter().copied().filter(|s| seen.insert(*s)).collect();
            assert_eq!(list, expected.iter().copied().collect(), "packed as if pushed");
            reads_back_as(&list, &expected);
            // Pushed after, and deduplicated again.
            let mut more = list.clone();
            more.push("later");
            more.push(expected.first().copied().unwrap_or("later"));
            more.dedup();
            let mut seen = std::collections::HashSet::new();
            let again: Vec<&str> = expected
                .iter()
                .copied()
                .chain(["later"])
                .filter(|s| seen.insert(*s))
                .collect();
            assert_eq!(more.iter().collect::<Vec<_>>(), again, "{items:?}");
        }
        let list: StringList = ["a", "b"].into_iter().collect();
        let mut copy = list.clone();
        copy.dedup();
        assert!(Arc::ptr_eq(&list.text, &copy.text) && Arc::ptr_eq(&list.ends, &copy.ends));
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
