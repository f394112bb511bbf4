//! The WebAssembly adapter: JS values in, the global `fetch` out, JS errors back. Everything it
//! decides, it asks the core; it only converts and sends.

pub mod api;
mod attempt;
mod error;
mod execute;
mod fetch;
mod input;
mod plain;
mod signal;
mod timer;
