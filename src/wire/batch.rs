//! Batching: how a long id list is split into requests that stay under what a request may
//! carry. The one place that knows the cost of an id in either encoding.

use core::ops::Range;

use crate::limits::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};
use crate::rules::account::Account;
use crate::rules::request::Encoding;
use crate::text::json::escapes_len;
use crate::text::percent::percent_added_len;
use crate::text::string_list::StringList;

/// Splits `ids` into consecutive ranges whose requests stay under [`MAX_URL_BYTES`] of URL (query
/// form) or [`MAX_BODY_BYTES`] and [`MAX_IDS_PER_BODY`] (body form): each as many ids as fit,
/// in order, and at least one (an id too long for any request is sent alone, and refused
/// there).
pub fn split_ids(account: &Account, ids: &StringList, encoding: Encoding) -> Vec<Range<usize>> {
    let (budget, added): (_, fn(&str) -> usize) = match encoding {
        Encoding::Query => (
            Budget {
                fixed: account.base_url.endpoint().len(),
                per_id: "?workflowRunIds=".len(),
                limit: MAX_URL_BYTES,
                max_ids: usize::MAX,
            },
            percent_added_len,
        ),
        Encoding::Body => (
            Budget {
                fixed: r#"{"workflowRunIds":[]}"#.len(),
                per_id: r#""","#.len(),
                limit: MAX_BODY_BYTES,
                max_ids: MAX_IDS_PER_BODY,
            },
            escapes_len,
        ),
    };
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < ids.len() {
        // Counted by their lengths alone, then the batch's text scanned once for what encoding
        // adds: nothing, nearly always, and then the batch is what fits (each id costs its
        // length, and the next one at least its length). Only a batch whose text encoding
        // lengthens is counted again, id by id: id by id throughout, the batching of a million
        // ids took 39 ms of the 250 before the first request (bench/big-call.mjs).
        let mut end = start + budget.fitting(ids.lens(start..ids.len()));
        if added(ids.joined(start..end)) > 0 {
            end = start + budget.fitting(ids.range(start..ids.len()).map(|id| id.len() + added(id)));
        }
        ranges.push(start..end);
        start = end;
    }
    if ranges.is_empty() {
        ranges.push(0..0);
    }
    ranges
}

/// What a request may carry of ids, in one encoding.
struct Budget {
    /// Bytes every request has.
    fixed: usize,
    /// Bytes each id adds besides its own encoding.
    per_id: usize,
    /// The most bytes of a request.
    limit: usize,
    /// The most ids of a request.
    max_ids: usize,
}

impl Budget {
    /// How many ids of a batch fit, at least one, given the bytes each takes encoded (`lens`,
    /// from the batch's first).
    fn fitting(&self, lens: impl Iterator<Item = usize>) -> usize {
        let mut used = self.fixed;
        let fit = lens.take(self.max_ids).take_while(|len| {
            used += len + self.per_id;
            used <= self.limit
        });
        fit.count().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::json::write_string;
    use crate::text::percent::percent_encode;

    /// The batching id by id, as it was before a batch's text was scanned at once, each id's
    /// cost its encoding's length as written: the reference the split must agree with, batch
    /// for batch.
    fn id_by_id(account: &Account, ids: &StringList, encoding: Encoding) -> Vec<Range<usize>> {
        let (fixed, per_id, limit, max_ids) = match encoding {
            Encoding::Query => (account.base_url.endpoint().len(), 16, MAX_URL_BYTES, usize::MAX),
            Encoding::Body => (21, 1, MAX_BODY_BYTES, MAX_IDS_PER_BODY),
        };
        let mut ranges = Vec::new();
        let (mut start, mut used) = (0, fixed);
        for (i, id) in ids.iter().enumerate() {
            let mut encoded = String::new();
            match encoding {
                Encoding::Query => percent_encode(&mut encoded, id),
                Encoding::Body => write_string(&mut encoded, id),
            }
            let cost = per_id + encoded.len();
            if i > start && (used + cost > limit || i - start == max_ids) {
                ranges.push(start..i);
                start = i;
                used = fixed;
            }
            used += cost;
        }
        ranges.push(start..ids.len());
        ranges
    }

    #[test]
    fn batches_are_as_full_as_id_by_id_whatever_the_ids_hold() {
        let account = Account::new("token", None).expect("an account");
        let id = |i: usize, len: usize| format!("wfr_{i:0len$}");
        // Each list as a function of the id's index; every one long enough for several batches
        // in both forms, with what encoding lengthens near and across their edges.
        type Ids<'a> = &'a dyn Fn(usize) -> String;
        let lists: &[(&str, Ids, usize)] = &[
            ("plain ids", &|i| id(i, 26), 3_000),
            ("short ids: bodies end at 1,000 ids", &|i| id(i, 2), 2_500),
            ("long ids: bodies end at 64 KB", &|i| id(i, 200), 1_000),
            (
                "one id with a quote",
                &|i| {
                    if i == 1_100 {
                        format!("{}\"", id(i, 25))
                    } else {
                        id(i, 26)
                    }
                },
                2_500,
            ),
            (
                "quotes and backslashes everywhere",
                &|i| format!("\"{}\\", id(i, 100 + i % 7)),
                2_000,
            ),
            (
                "control characters",
                &|i| {
                    if i % 97 == 0 {
                        format!("{}\u{1}", id(i, 180))
                    } else {
                        id(i, 181)
                    }
                },
                1_500,
            ),
            (
                "reserved characters",
                &|i| {
                    if i % 13 == 0 {
                        format!("{}&é", id(i, 24))
                    } else {
                        id(i, 27)
                    }
                },
                3_000,
            ),
            ("non-ASCII", &|i| format!("é{}😀", id(i, i % 50)), 3_000),
            (
                "empty ids",
                &|i| if i % 5 == 0 { String::new() } else { id(i, 3) },
                3_000,
            ),
            (
                "an id too long for any request, alone",
                &|i| if i == 3 { "x".repeat(70_000) } else { id(i, 26) },
                400,
            ),
            (
                "repeats, some needing escapes",
                &|i| {
                    if i % 4 == 3 {
                        format!("\"{}&", id(i / 8, 30))
                    } else {
                        id(i, 26)
                    }
                },
                4_000,
            ),
        ];
        for (name, make, count) in lists {
            let owned: Vec<String> = (0..*count).map(make).collect();
            let ids: StringList = owned.iter().map(String::as_str).collect();
            // And once the repeats are dropped from between the ids kept.
            let mut deduped = ids.clone();
            deduped.dedup();
            for encoding in [Encoding::Query, Encoding::Body] {
                for ids in [&ids, &deduped] {
                    let split = split_ids(&account, ids, encoding);
                    assert_eq!(split, id_by_id(&account, ids, encoding), "{name}, {encoding:?}");
                    assert!(split.len() > 1, "{name}, {encoding:?}: several batches");
                }
            }
        }
        for encoding in [Encoding::Query, Encoding::Body] {
            let one: StringList = ["wfr_1"].into_iter().collect();
            for (ids, only) in [(StringList::new(), 0..0), (one, 0..1)] {
                assert_eq!(split_ids(&account, &ids, encoding), vec![only]);
            }
        }
    }
}
