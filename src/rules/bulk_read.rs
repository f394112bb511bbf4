//! What a read of bulk actions may ask for: an action id that names one action and nothing
//! else, a cursor as the service gives them, the state filter. The rules of the bulk-read
//! options (`rules::validate`) and the requests that carry them (`wire::bulk_action`) both
//! read these, so each rule is written once.

use crate::error::Error;
use crate::limits::{MAX_ACTION_ID_BYTES, MAX_CURSOR_BYTES, MAX_LIST_PAGES, MAX_POLL_MS, MIN_POLL_MS};

/// The default `pollMs` of `waitForBulkAction`: a reading a second.
pub const DEFAULT_POLL_MS: u64 = 1_000;
/// The default `maxPages` of `listAllBulkActions`: a bound, so a service that never stops
/// giving cursors ends.
pub const DEFAULT_MAX_PAGES: u32 = 1_000;

/// Where a bulk action stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionState {
    /// `IN_PROGRESS`: runs are still being processed.
    InProgress,
    /// `FINISHED`: every matching run was processed.
    Finished,
}

impl ActionState {
    /// The state as the service spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::InProgress => "IN_PROGRESS",
            ActionState::Finished => "FINISHED",
        }
    }
}

/// What to list: `state`, the page's `cursor`, its scan size `count`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Only actions in this state (applied to each page separately).
    pub state: Option<ActionState>,
    /// Where the page starts (from the previous page).
    pub cursor: Option<String>,
    /// How many actions the page scans (1 to [`MAX_LIST_COUNT`](crate::limits::MAX_LIST_COUNT)).
    pub count: Option<u64>,
}

/// The limit the message of [`action_id_rule`] writes out (a `&'static str` cannot format it).
const _: () = assert!(MAX_ACTION_ID_BYTES == 256, "update the message of action_id_rule");

/// What is wrong with an action id, if anything: it goes into a URL path, so nothing in it may
/// change which route or resource the path names.
pub fn action_id_rule(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("must not be empty")
    } else if id.len() > MAX_ACTION_ID_BYTES {
        Some("is longer than 256 bytes, which no action id is")
    } else if id == "."
        || id == ".."
        || id
            .bytes()
            .any(|b| matches!(b, b'/' | b'?' | b'#' | b'%' | b'\\') || !b.is_ascii_graphic())
    {
        Some("must be an action id as the service gave it: printable ASCII without /, ?, #, %, \\, whitespace or control characters, and not . or ..")
    } else {
        None
    }
}

/// Whether `cursor` keeps the cursor rule ([`cursor_rule`]): what a page's request may carry,
/// whether the caller gives it or the previous page did.
pub(crate) fn is_cursor(cursor: &str) -> bool {
    !cursor.is_empty() && cursor.len() <= MAX_CURSOR_BYTES && cursor.bytes().all(|b| b.is_ascii_graphic())
}

/// The cursor rule, as its refusals word it ([`is_cursor`]).
pub(crate) const CURSOR_RULE: &str = "printable ASCII, 1 to 1024 characters";
const _: () = assert!(MAX_CURSOR_BYTES == 1024, "update CURSOR_RULE");

/// `pollMs` of a wait, checked: whole milliseconds from [`MIN_POLL_MS`] to [`MAX_POLL_MS`].
pub(crate) fn poll_ms(ms: f64) -> Result<u64, Error> {
    match ms.fract() == 0.0 && (MIN_POLL_MS as f64..=MAX_POLL_MS as f64).contains(&ms) {
        true => Ok(ms as u64),
        false => Err(Error::invalid(
            "pollMs",
            format!("must be a whole number from {MIN_POLL_MS} to {MAX_POLL_MS}"),
        )),
    }
}

/// `maxPages` of a listing, checked: a whole number from 1 to [`MAX_LIST_PAGES`].
pub(crate) fn max_pages(pages: f64) -> Result<u32, Error> {
    match pages.fract() == 0.0 && (1.0..=f64::from(MAX_LIST_PAGES)).contains(&pages) {
        true => Ok(pages as u32),
        false => Err(Error::invalid(
            "maxPages",
            format!("must be a whole number from 1 to {MAX_LIST_PAGES}"),
        )),
    }
}
