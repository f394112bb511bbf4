//! A list of strings kept in one buffer.
//!
//! A cancel may carry 100,000 run ids. As one `String` each, they would cost 100,000 allocations
//! on the way in and again on every copy; packed, the list is two allocations however long it
//! is, and a batch of it is a range of indices.

use core::fmt;
use core::ops::Range;
use std::sync::Arc;

use crate::text::bytes::hash;

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

    /// Drops every string equal to an earlier one; the first of each stays, in order.
    ///
    /// An open-addressing table of positions, hashed with a fast non-cryptographic hash: the
    /// strings come from the caller's own code, so there is no adversary to flood the table, and
    /// `std`'s SipHash `HashSet` costs several times as much (and 5 KB of wasm).
    pub fn dedup(&mut self) {
        let size = (self.len().max(4) * 2).next_power_of_two();
        let mask = size - 1;
        // A slot holds 1 + the position of a kept string, 0 when free; at most half fill up.
        // Kept strings are moved to the front in place, so no second list is made.
        let mut slots = vec![0u32; size];
        let text = self.text.as_bytes();
        let bytes = |&(start, end): &(usize, usize)| text.get(start..end).unwrap_or_default();
        let spans = Arc::make_mut(&mut self.spans);
        let mut kept = 0;
        for i in 0..spans.len() {
            let Some(&span) = spans.get(i) else { break };
            let s = bytes(&span);
            let mut slot = hash(s) as usize & mask;
            while let Some(taken) = slots.get_mut(slot) {
                match taken.checked_sub(1) {
                    None => {
                        *taken = kept as u32 + 1;
                        if let Some(front) = spans.get_mut(kept) {
                            *front = span;
                        }
                        kept += 1;
                        break;
                    }
                    Some(position) if spans.get(position as usize).map(bytes) == Some(s) => break,
                    Some(_) => slot = (slot + 1) & mask,
                }
            }
        }
        spans.truncate(kept);
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
}
