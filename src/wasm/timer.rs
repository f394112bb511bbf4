//! Waiting and time, through the globals every runtime has (`setTimeout`, `Date.now`).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::signal::is_aborted;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Waits `ms`, or less if `signal` fires: `Err(())` then. The timer is cleared either way, so an
/// aborted wait does not keep a Node process alive.
pub async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<(), ()> {
    let mut timer = JsValue::UNDEFINED;
    let mut on_abort: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        timer = set_timeout(&resolve, ms as f64);
        if let Some(signal) = signal {
            let _ = signal.add_event_listener_with_callback("abort", &reject);
            on_abort = Some(reject);
        }
    });
    let result = if is_aborted(signal) {
        Err(JsValue::UNDEFINED)
    } else {
        JsFuture::from(promise).await
    };
    clear_timeout(&timer);
    if let (Some(signal), Some(listener)) = (signal, on_abort) {
        let _ = signal.remove_event_listener_with_callback("abort", &listener);
    }
    result.map(|_| ()).map_err(|_| ())
}
