//! The WebAssembly adapter: JS values in, each call handed to the JS executor that sends it with
//! the global `fetch`, JS errors back. Everything it decides, it asks the core; it only converts.

/// talc instead of dlmalloc: 2.6 KB gzip less wasm (scripts/sizes.mjs, measured on this code), and
/// it merges freed neighbours, so a page that cancels 100,000-id lists again and again reuses its
/// memory instead of growing.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod api;
mod call;
mod error;
mod input;
mod plain;
