//! Batching: how a long id list is split into requests that stay under what a request may
//! carry. The one place that knows the cost of an id in either encoding.

use core::ops::Range;

use crate::limits::{MAX_BODY_BYTES, MAX_IDS_PER_BODY, MAX_URL_BYTES};
use crate::rules::account::Account;
use crate::rules::request::Encoding;
use crate::text::json::string_len;
use crate::text::percent::percent_encoded_len;
use crate::text::string_list::StringList;

/// Splits `ids` into consecutive ranges whose requests stay under [`MAX_URL_BYTES`] of URL (query
/// form) or [`MAX_BODY_BYTES`] and [`MAX_IDS_PER_BODY`] (body form).
pub fn split_ids(account: &Account, ids: &StringList, encoding: Encoding) -> Vec<Range<usize>> {
    // Bytes every request has, bytes each id adds besides its encoding, the limits.
    let (fixed, per_id, limit, max_ids, encoded_len): (_, _, _, _, fn(&str) -> usize) = match encoding {
        Encoding::Query => (
            account.base_url.endpoint().len(),
            "?workflowRunIds=".len(),
            MAX_URL_BYTES,
            usize::MAX,
            percent_encoded_len,
        ),
        Encoding::Body => (
            r#"{"workflowRunIds":[]}"#.len(),
            ",".len(),
            MAX_BODY_BYTES,
            MAX_IDS_PER_BODY,
            string_len,
        ),
    };
    let mut ranges = Vec::new();
    let (mut start, mut used) = (0, fixed);
    for (i, id) in ids.iter().enumerate() {
        let cost = encoded_len(id) + per_id;
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
