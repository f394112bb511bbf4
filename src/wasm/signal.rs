//! The caller's `AbortSignal`, read through the prototype's own getter.
//!
//! A signal is caller-supplied: an object made with `Object.create(AbortSignal.prototype)`
//! passes `instanceof` and then throws from `aborted`, a Proxy's `getPrototypeOf` trap throws
//! inside `instanceof`, and an instance can shadow `aborted` with a getter of its own. Reading
//! the prototype's getter with `catch` both checks that the object is a real signal and never
//! lets its exception unwind through Rust frames.

use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/js/signal.js")]
extern "C" {
    /// `aborted` of a real `AbortSignal`; throws for anything else.
    #[wasm_bindgen(js_name = signalAborted, catch)]
    fn signal_aborted(signal: &JsValue) -> Result<bool, JsValue>;
}

/// `value` as a signal, if it is a real `AbortSignal` (not a look-alike or a Proxy of one).
pub fn as_signal(value: &JsValue) -> Option<AbortSignal> {
    signal_aborted(value).ok()?;
    Some(value.clone().unchecked_into())
}
