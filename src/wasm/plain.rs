//! Rust values as plain JS objects: the small flat ones (a summary, a progress report) as JSON
//! text the core writes, parsed by `JSON.parse` (1.0 KB gzip less wasm than serialising them,
//! bench/size.mjs); an error's details, which nest, through serde-wasm-bindgen.
//!
//! Every value serialised goes through a map (a `flatten`ed wrapper) rather than serde's struct path: for
//! structs, serde-wasm-bindgen caches field names in a `HashMap`, which alone brings about 5 KB
//! of hashing code into the wasm for no gain at these sizes.

use serde::{Serialize, Serializer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse`, of JSON the core wrote (it cannot throw on that).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    pub fn from_json(text: &str) -> JsValue;
}

#[derive(Serialize)]
struct Flat<'a, T> {
    #[serde(flatten)]
    value: &'a T,
}

/// A plain JS object (not a `Map`) of `value`, a struct.
pub fn to_plain<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    as_map(value, &serde_wasm_bindgen::Serializer::json_compatible()).map_err(JsValue::from)
}

/// Serialises a struct as a map: for a nested struct field, `#[serde(serialize_with = "as_map")]`.
pub fn as_map<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    Flat { value }.serialize(serializer)
}
