//! Every limit of the library in one place, named: what the service and proxies accept, what one
//! request carries, how much of an answer is read, and what options may be. Each says why it is
//! what it is; the modules that enforce them import them from here.

// The service.

/// The most runs one filter call to the service cancels when it carries no `count` (the API
/// reference: "Default is 100"). A pass that cancelled this many may have left more.
pub const SERVICE_DEFAULT_COUNT: u64 = 100;
/// The largest page scan size the service honours (a larger `count` is treated as this).
pub const MAX_LIST_COUNT: u64 = 1_000;

// What one request may carry.

/// The longest URL the query form may produce: many proxies refuse URLs over 8 KB.
pub const MAX_URL_BYTES: usize = 8000;
/// The largest body-form request body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The most ids one body-form request carries.
pub const MAX_IDS_PER_BODY: usize = 1_000;

// What is read.

/// The most bytes of a cancel's answer that are read. The endpoint answers `{"cancelled":n}` or
/// a short error; a proxy's error page fits too. The rest of a longer answer is left unread.
pub const MAX_ANSWER_BYTES: usize = 65_536;
/// The largest bulk action the service can describe, as JSON: the most bytes read of one action
/// (`getBulkAction`). Its filter is what the one cancel that created it carried, at most a body
/// of [`MAX_BODY_BYTES`] (the query form's URL is at most [`MAX_URL_BYTES`]), written back as
/// compactly as it was sent; its other fields (a 256-byte id, four 16-digit numbers, the
/// names) take under 1 KiB.
pub const MAX_ACTION_BYTES: usize = MAX_BODY_BYTES + 1024;
/// The page scan size the service uses for a list read without `count` (documented: 100).
pub const SERVICE_DEFAULT_PAGE: u64 = 100;

/// The most bytes read of a page of bulk actions asked for with `count` (`listBulkActions`):
/// `count` of the largest actions, and room for the page's own members (its cursor is at most
/// [`MAX_CURSOR_BYTES`]). A page the service can give is never cut, so its cursor is never
/// lost; one cut anyway is an answer no page of that count can be. It is a ceiling, not what is
/// held: at the largest count it is 65 MB, while a page of 1,000 of the emulator's actions is
/// 165 KB.
pub fn max_page_bytes(count: Option<u64>) -> usize {
    let count = count.unwrap_or(SERVICE_DEFAULT_PAGE).min(MAX_LIST_COUNT) as usize;
    MAX_CURSOR_BYTES + 1024 + count * (MAX_ACTION_BYTES + ",".len())
}
/// The deepest nesting of arrays and objects a JSON answer may have (a hostile answer nested
/// millions deep must not exhaust the stack).
pub const MAX_DEPTH: usize = 64;

// Options.

/// The most keys an options object may have (there are 21 options); checked before any is read.
pub const MAX_OPTION_KEYS: usize = 64;
/// The longest option key that is worth naming in a refusal or comparing for "did you mean".
pub const MAX_KEY_BYTES: usize = 64;
/// The longest string an option (or a list item) may be, in UTF-16 code units; checked before
/// the string is copied. No request could carry a longer one (a request body is at most 64 KB),
/// and copying a 256 MB string into the wasm took 2.4 s and grew its memory for good.
pub const MAX_STRING_UNITS: usize = 1 << 20;
/// The most UTF-16 units of text all the options together may hold (a million run ids of 134
/// characters), counted as they are read and refused past it. Under [`MAX_STRING_UNITS`] and
/// [`MAX_LIST_ITEMS`] alone, one string of 2^20 characters shared by 4,200 items of a list was
/// 4,200 copies in the wasm: past 4 GB the allocation failed and the wasm trapped.
pub const MAX_OPTION_UNITS: usize = 1 << 27;
/// The most items a list option may have. It is checked before any item is read, so a huge or
/// sparse array (`length = 1e8`) is refused at once instead of being walked hole by hole.
pub const MAX_LIST_ITEMS: usize = 1_000_000;
/// The longest accepted action id, in bytes.
pub const MAX_ACTION_ID_BYTES: usize = 256;
/// The longest accepted `cursor`, in bytes (the service's cursors are short).
pub const MAX_CURSOR_BYTES: usize = 1024;
/// The largest accepted `concurrency`.
pub const MAX_CONCURRENCY: usize = 16;
/// The largest accepted `maxPasses`.
pub const MAX_PASSES: u32 = 100_000;
/// The largest accepted `retry.retries`.
pub const MAX_RETRIES: u32 = 100;
/// The largest accepted `maxRequests` (a cap is for budgets such as a Worker's subrequests; a
/// million is past any of them).
pub const MAX_REQUESTS: u32 = 1_000_000;
/// The longest header value of an answer handed to the core (a rate-limit figure, or
/// `Retry-After` as an HTTP date, is under 40 characters): a longer one is read as absent. Seven
/// of 2^26 characters were copied whole (4.6 s, 540 MB the wasm kept) and read as a wait of
/// 2^53 - 1 s the service never asked for.
pub const MAX_HEADER_VALUE_CHARS: usize = 256;
/// The longest message of a failure (or of its cause) an error quotes; a longer one is named by
/// its length, not shown: one of 2^29 characters was copied into the error twice (21 s, 1.4 GB),
/// and a cut one could keep a piece of the token too short to be recognised.
pub const MAX_FAILURE_MESSAGE_CHARS: usize = 1_000;
/// The fewest milliseconds `waitForBulkAction` waits between readings (`pollMs`): faster polling
/// only spends the account's rate limit.
pub const MIN_POLL_MS: u64 = 100;
/// The most milliseconds between readings (`pollMs`): ten minutes.
pub const MAX_POLL_MS: u64 = 600_000;
/// The largest accepted `maxPages` of `listAllBulkActions`.
pub const MAX_LIST_PAGES: u32 = 100_000;

// Numbers and time.

/// The largest integer a JS number holds exactly (2^53 - 1): every count that crosses into JS
/// (an answer's, a sum, a `count` option) stays at or below it.
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;
/// The largest delay a JS timer accepts (2^31 - 1 ms, about 24.8 days).
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;
/// The longest a 429's `Retry-After` / reset is waited for; a longer wait gives up instead
/// (the caller's `deadlineMs` can shorten it further).
pub const MAX_RATE_LIMIT_WAIT_MS: u64 = 60_000;
