//! The one place where Rust errors become JS errors.
//!
//! The package registers its `QStashCancelError` class at start-up (`__setErrorClass`), so
//! errors are real instances of the exported class; without it (e.g. in Rust-side tests) they
//! are plain `Error`s with the same `name`, `code` and details.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::plain::from_json;
use crate::error::Error;
use crate::text::json::write_string;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the class that errors are constructed with: `new Class(message, details)`.
#[wasm_bindgen(js_name = "__setErrorClass")]
pub fn set_error_class(class: Function) {
    // `try_with` and `try_borrow_mut`, not `with` and `borrow_mut`: no panic path in the wasm.
    let _ = ERROR_CLASS.try_with(|slot| {
        slot.try_borrow_mut()
            .map(|mut class_slot| *class_slot = Some(class))
    });
}

/// The properties of a JS error besides `message`, as JSON text (`JSON.parse` reads it: smaller
/// in wasm than serialising a struct into an object, and one crossing for a million failed ids);
/// absent ones are left off.
fn details(err: &Error) -> String {
    let mut out = String::from("{\"code\":\"");
    out.push_str(err.code.as_str());
    out.push('"');
    let partial = err.partial.as_deref();
    for (name, text) in [
        ("field", err.field.as_deref()),
        ("rule", err.rule()),
        ("serverMessage", err.server_message.as_deref()),
    ] {
        if let Some(text) = text {
            write_string(member(&mut out, name), text);
        }
    }
    let numbers = [
        ("limit", err.limit.map(u64::from)),
        ("index", err.index.map(u64::from)),
        ("status", err.status.map(u64::from)),
        ("cancelled", partial.map(|p| p.cancelled)),
        ("unconfirmed", partial.map(|p| u64::from(p.unconfirmed))),
        ("unconfirmedUpTo", partial.and_then(|p| p.unconfirmed_up_to)),
    ];
    for (name, n) in numbers {
        if let Some(n) = n {
            member(&mut out, name).push_str(&n.to_string());
        }
    }
    if let Some(r) = err.rate_limit.as_deref() {
        let nullable = |n: Option<u64>| n.map_or_else(|| "null".to_owned(), |n| n.to_string());
        let (limit, remaining, reset) = (nullable(r.limit), nullable(r.remaining), nullable(r.reset));
        let (after, at) = (nullable(r.retry_after), nullable(r.retry_at));
        member(&mut out, "rateLimit").push_str(&format!(
            "{{\"limit\":{limit},\"remaining\":{remaining},\"reset\":{reset},\"retryAfter\":{after},\"retryAt\":{at}}}"
        ));
    }
    for (name, ids) in [
        ("failedRunIds", partial.and_then(|p| p.failed_run_ids.as_deref())),
        (
            "unconfirmedRunIds",
            partial.and_then(|p| p.unconfirmed_run_ids.as_deref()),
        ),
        (
            "notCancelledRunIds",
            partial.and_then(|p| p.not_cancelled_run_ids.as_deref()),
        ),
    ] {
        if let Some(ids) = ids {
            let out = member(&mut out, name);
            out.push('[');
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, id);
            }
            out.push(']');
        }
    }
    out.push('}');
    out
}

/// `out` with the start of the member `name` written (its value follows).
fn member<'a>(out: &'a mut String, name: &str) -> &'a mut String {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    out
}

/// Converts `err` into a JS `Error` carrying `name`, `code` and the details.
pub fn to_js(err: Error) -> JsValue {
    // Every figure fits a JS number (the core saturates them) and the text is the core's own
    // JSON, so `JSON.parse` cannot fail.
    let details = from_json(&details(&err));
    let message = JsValue::from_str(&err.message);
    let class = ERROR_CLASS.try_with(|slot| slot.try_borrow().ok().and_then(|class| class.clone()));
    if let Ok(Some(class)) = class {
        if let Ok(instance) = Reflect::construct(&class, &Array::of2(&message, &details)) {
            return instance;
        }
    }
    let plain = js_sys::Error::new(&err.message);
    plain.set_name("QStashCancelError");
    Object::assign(&plain, details.unchecked_ref());
    plain.into()
}
