#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

// One path per item: the modules are private and what callers use is re-exported here.
mod base_url;
mod batch;
mod builder;
mod bulk_action;
mod bytes;
mod cancellation;
mod env;
mod error;
mod execution;
mod http_date;
mod http_request;
mod json;
mod limits;
mod percent;
mod request;
mod response;
mod retry;
mod string_list;
mod suggest;
mod token;
mod validate;
mod value;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use base_url::{BaseUrl, DEFAULT_BASE_URL, ENDPOINT_PATH};
pub use builder::CancelRuns;
pub use bulk_action::{
    action_id_rule, get_request, list_request, read_action, read_page, read_started, ActionState, BulkAction,
    BulkActionPage, ListQuery, BULK_ACTIONS_PATH,
};
pub use cancellation::{Cancellation, Failure, Progress, Step, Summary, Transmit};
pub use env::{from_env, ENV_VARIABLES, REGIONS};
pub use error::{Error, ErrorCode, Partial, RateLimit};
pub use execution::{Execution, RetryPolicy, DEFAULT_CONCURRENCY, DEFAULT_MAX_PASSES, DEFAULT_TIMEOUT_MS};
pub use http_request::{build, HttpRequest, CANCEL_ALL_HEADER};
pub use limits::{
    MAX_ACTION_ID_BYTES, MAX_ANSWER_BYTES, MAX_BODY_BYTES, MAX_CONCURRENCY, MAX_IDS_PER_BODY, MAX_LIST_COUNT,
    MAX_LIST_ITEMS, MAX_PASSES, MAX_RATE_LIMIT_WAIT_MS, MAX_RETRIES, MAX_STRING_UNITS, MAX_URL_BYTES,
    SERVICE_DEFAULT_COUNT,
};
pub use request::{CancelRequest, Connection, Encoding, Filters, Target};
pub use response::{interpret, HttpResponse, READ_HEADERS};
pub use retry::{NOT_DONE_STATUSES, RETRIED_STATUSES};
pub use string_list::StringList;
pub use token::Token;

/// The options as the npm package takes them (JS values, by their JS names), checked by the same
/// rules as the typed API above. The wasm layer reads JS objects into these; integration tests
/// drive the rules through them. Not part of the Rust API: build requests with [`CancelRuns`]
/// and [`Filters`] instead.
#[doc(hidden)]
pub mod js {
    pub use crate::limits::MAX_OPTION_KEYS;
    pub use crate::token::{LEAK_PIECE, WITHHELD};
    pub use crate::validate::{
        parse_bulk_read, parse_call, parse_connection, parse_request, BulkRead, BULK_ACTION_KEYS,
        BULK_LIST_KEYS, CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS,
    };
    pub use crate::value::{Options, Value};
}
