//! Rust values as plain JS objects: every result and an error's details cross as JSON text the
//! core writes, parsed by `JSON.parse`. Smaller in wasm than serialising structs into objects
//! (a summary and a progress report measured 1.0 KB gzip less; an error's details, through
//! serde-wasm-bindgen until then, 1.6 KB), and one crossing however large the value.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse`, of JSON the core wrote (it cannot throw on that).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    pub fn from_json(text: &str) -> JsValue;
}
