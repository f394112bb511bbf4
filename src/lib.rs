#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod base_url;
mod bytes;
pub mod env;
pub mod error;
pub mod execution;
mod http_date;
pub mod http_request;
pub mod json;
pub mod request;
pub mod response;
pub mod retry;
pub mod run;
pub mod string_list;
mod suggest;
pub mod token;
pub mod validate;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, Partial, RateLimit};
pub use execution::Execution;
pub use http_request::{build, HttpRequest};
pub use request::{CancelRequest, Connection, Encoding, Filters, Target};
pub use response::{interpret, HttpResponse};
pub use retry::RetryPolicy;
pub use run::{Progress, Run, Summary};
pub use string_list::StringList;
pub use validate::{parse_call, parse_connection, parse_request};
pub use value::{Options, Value};
