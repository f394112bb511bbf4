//! Bulk-cancel Upstash Workflow runs safely.
//!
//! The crate is a sans-IO core: it checks options, builds the HTTP request for QStash's
//! `DELETE /v2/workflows/runs`, and reads the answer; it never sends anything itself. The
//! WebAssembly build adds a thin adapter that sends through the platform's global `fetch`
//! (the `qstash-cancel` npm package). Rust callers send with any HTTP client:
//!
//! ```
//! use qstash_cancel::{build, interpret, parse_call, HttpResponse, Options};
//!
//! let options = Options::new()
//!     .with("token", "my-token")
//!     .with("label", "nightly")
//!     .with("fromDate", 1_700_000_000_000.0);
//! let (connection, request) = parse_call(&options)?;
//! let http = build(&connection, &request)?;
//! assert_eq!(http.method, "DELETE");
//! assert_eq!(http.url, "https://qstash.upstash.io/v2/workflows/runs");
//! assert_eq!(http.body.as_deref(), Some(r#"{"label":"nightly","fromDate":1700000000000}"#));
//!
//! // ...send `http` with your client, then:
//! let answer = HttpResponse { status: 200, body: r#"{"cancelled":4}"#.into(), ..Default::default() };
//! assert_eq!(interpret(&answer, connection.token())?, 4);
//!
//! // An empty request would cancel every run of the account, so it is refused:
//! let err = parse_call(&Options::new().with("token", "my-token")).unwrap_err();
//! assert_eq!(err.field.as_deref(), Some("options"));
//! # Ok::<(), qstash_cancel::Error>(())
//! ```
#![deny(missing_docs)]

pub mod base_url;
pub mod error;
pub mod http_request;
pub mod json;
pub mod request;
pub mod response;
mod suggest;
pub mod token;
pub mod validate;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, RateLimit};
pub use http_request::{build, HttpRequest};
pub use request::{CancelRequest, Connection, Encoding, Filters, Target};
pub use response::{interpret, HttpResponse};
pub use validate::{parse_call, parse_connection, parse_request};
pub use value::{Options, Value};
