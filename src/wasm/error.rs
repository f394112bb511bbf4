//! The one place where Rust errors become JS errors.
//!
//! The package registers its `QStashCancelError` class at start-up (`__setErrorClass`), so
//! errors are real instances of the exported class; without it (e.g. in Rust-side tests) they
//! are plain `Error`s with the same `name`, `code` and details.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::plain::{as_map, to_plain};
use crate::error::{Error, RateLimit};

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

/// The properties of a JS error besides `message`; absent ones are left off.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Details<'a> {
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_map")]
    rate_limit: Option<RateLimitDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancelled: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unconfirmed: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unconfirmed_up_to: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_run_ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unconfirmed_run_ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_cancelled_run_ids: Option<&'a [String]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RateLimitDetails {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
    retry_after: Option<u64>,
    retry_at: Option<u64>,
}

impl From<&RateLimit> for RateLimitDetails {
    fn from(r: &RateLimit) -> Self {
        RateLimitDetails {
            limit: r.limit,
            remaining: r.remaining,
            reset: r.reset,
            retry_after: r.retry_after,
            retry_at: r.retry_at,
        }
    }
}

/// Converts `err` into a JS `Error` carrying `name`, `code` and the details.
pub fn to_js(err: Error) -> JsValue {
    let partial = err.partial.as_deref();
    let details = Details {
        code: err.code.as_str(),
        field: err.field.as_deref(),
        rule: err.rule(),
        limit: err.limit,
        index: err.index,
        status: err.status,
        server_message: err.server_message.as_deref(),
        rate_limit: err.rate_limit.as_deref().map(RateLimitDetails::from),
        cancelled: partial.map(|p| p.cancelled),
        unconfirmed: partial.map(|p| p.unconfirmed),
        unconfirmed_up_to: partial.and_then(|p| p.unconfirmed_up_to),
        failed_run_ids: partial.and_then(|p| p.failed_run_ids.as_deref()),
        unconfirmed_run_ids: partial.and_then(|p| p.unconfirmed_run_ids.as_deref()),
        not_cancelled_run_ids: partial.and_then(|p| p.not_cancelled_run_ids.as_deref()),
    };
    // Every figure fits a JS number (the core saturates them), so this cannot fail; if it ever
    // did, the error would still carry its code.
    let details = to_plain(&details).unwrap_or_else(|_| {
        let fallback = Object::new();
        let _ = Reflect::set(&fallback, &"code".into(), &err.code.as_str().into());
        fallback.into()
    });
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
