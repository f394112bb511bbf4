//! The one place where JS values become Rust values.
//!
//! Every value read here is the caller's, and any of it may be hostile: a Proxy whose traps
//! throw or was revoked, a getter that throws or answers differently on a second read, an object
//! made from a built-in's prototype, an array whose `length` is 1e8 with nothing in it. So every
//! JS call on a caller's value is bound with `catch` (an exception must never unwind through Rust
//! frames: that leaks the wasm stack until the instance dies), each value is read exactly once,
//! and counts are checked against [`MAX_LIST_ITEMS`] and [`MAX_OPTION_KEYS`] before anything is
//! read item by item.

use js_sys::{Array, Function, JsString, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use super::signal::as_signal;
use crate::error::Error;
use crate::limits::{MAX_LIST_ITEMS, MAX_OPTION_KEYS, MAX_STRING_UNITS};
use crate::rules::value::{Options, Value};
use crate::text::string_list::StringList;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn property(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// Throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

#[wasm_bindgen(module = "/src/wasm/js/input.js")]
extern "C" {
    /// Reads an array once, item by item: its `length` (when over `max`, that number alone, and
    /// no item is read), then either `[items, ends, units]` (every item a string: `packInto`
    /// then writes them end to end into the wasm memory, so a 100,000-id list crosses as one
    /// packed text instead of 100,000 calls) or `[items]`, a fresh array of the items read,
    /// ending at the first one that is not a string or is over `maxUnits` long (the wasm refuses
    /// that one, naming it, without copying it). Either way nothing is read twice, so a getter
    /// cannot show one value to the checks and another to the request. A list of over 2^26
    /// UTF-16 units in all (a gigantic one: 100,000 ids are about 1.3 million) is handed over
    /// item by item instead, far below any engine's longest string.
    #[wasm_bindgen(js_name = readList, catch)]
    fn read_list(list: &JsValue, max: f64, max_units: f64) -> Result<Array, JsValue>;
    /// Packs the strings `readList` read into the wasm memory at `at` (`units` bytes there,
    /// owned by the caller): true when every one was ASCII. Writing straight into the wasm
    /// memory spares a JS buffer of the whole list and its copy (30 MB each for a million ids
    /// of 30 characters, bench/memory.mjs).
    #[wasm_bindgen(js_name = packInto, catch)]
    fn pack_into(items: &JsValue, memory: &JsValue, at: f64, units: f64) -> Result<bool, JsValue>;
    /// The time value of a real `Date` (any realm, any subclass, whatever its own `getTime`
    /// does); throws for anything else, such as `Object.create(Date.prototype)`.
    #[wasm_bindgen(js_name = timeOf, catch)]
    fn time_of(date: &JsValue) -> Result<f64, JsValue>;
    /// False for a string with an unpaired UTF-16 surrogate, which would otherwise reach Rust
    /// silently replaced by U+FFFD. (Bound with `catch` like the others, which also keeps it a
    /// named import that scripts/inline-snippets.mjs can fold.)
    #[wasm_bindgen(js_name = wellFormed, catch)]
    fn well_formed(s: &JsValue) -> Result<bool, JsValue>;
}

/// The JS objects a call may carry besides plain options.
#[derive(Default)]
pub struct Hooks {
    /// `signal`: stops the call at once.
    pub signal: Option<AbortSignal>,
    /// `onProgress`: called after every successful request (a wait: every reading).
    pub on_progress: Option<Function>,
}

/// How a value that could not be read is described in a refusal ("got an object that throws").
const THROWS: &str = "an object that throws";

/// Converts a JS options object, keeping the `signal` and `onProgress` objects aside as hooks.
/// Only plain objects (`{...}` or `Object.create(null)`) are accepted: anything else is most
/// likely a mistake (a string token, a `Map`, a class instance).
pub fn options_from_js(value: &JsValue) -> Result<(Options, Hooks), Error> {
    let entries = plain_entries(value, "options")?;
    let mut hooks = Hooks::default();
    let mut options = Options::new();
    for (name, item) in entries {
        let value = value_from_js(&item, true);
        match name.as_str() {
            "signal" => hooks.signal = as_signal(&item),
            "onProgress" if item.is_function() => hooks.on_progress = Some(item.unchecked_into()),
            _ => {}
        }
        options.insert(name, value);
    }
    Ok((options, hooks))
}

/// A lookup of environment variables in `env` (a Workers `env` object or `process.env`), or in
/// `globalThis.process.env` when `env` is undefined. Only string values count.
pub fn env_from_js(env: &JsValue) -> Result<impl Fn(&str) -> Option<String>, Error> {
    let env = if env.is_undefined() {
        let process = property(&js_sys::global(), &"process".into()).unwrap_or(JsValue::UNDEFINED);
        property(&process, &"env".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        env.clone()
    };
    if !env.is_object() {
        return Err(Error::invalid(
            "env",
            "must be an object: the Worker's env, or process.env in Node",
        ));
    }
    Ok(
        move |name: &str| match value_from_js(&property(&env, &name.into()).ok()?, false) {
            Value::String(s) => Some(s),
            _ => None,
        },
    )
}

/// The own enumerable entries of a plain object; `field` names it in a refusal.
fn plain_entries(value: &JsValue, field: &str) -> Result<Vec<(String, JsValue)>, Error> {
    let not_plain = |got: &str| Error::invalid(field, format!("must be a plain object (got {got})"));
    match is_array(value) {
        _ if !value.is_object() => return Err(not_plain(type_name(value))),
        Ok(false) => {}
        Ok(true) => return Err(not_plain("array")),
        Err(_) => return Err(not_plain(THROWS)),
    }
    let proto = prototype_of(value).map_err(|_| not_plain(THROWS))?;
    let plain = proto.is_null() || prototype_of(&proto).is_ok_and(|p| p.is_null());
    if !plain {
        return Err(not_plain(&constructor_name(value)));
    }
    let keys = object_keys(value).map_err(|_| not_plain(THROWS))?;
    if keys.length() as usize > MAX_OPTION_KEYS {
        return Err(Error::invalid(
            field,
            format!(
                "has {} keys; an options object has at most {MAX_OPTION_KEYS}",
                keys.length()
            ),
        ));
    }
    let mut entries = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        let item = property(value, &key)
            .map_err(|_| Error::invalid(&name, "could not be read (its getter threw)"))?;
        entries.push((name, item));
    }
    Ok(entries)
}

/// Converts one value; arrays and plain objects are read one level deep (no option nests more).
fn value_from_js(value: &JsValue, top: bool) -> Value {
    // Strings first: a 100,000-id list is 100,000 strings, and each check is a call into JS.
    // The length is asked before the string is copied into the wasm.
    if let Some(units) = value.dyn_ref::<JsString>().map(JsString::length) {
        if units as usize > MAX_STRING_UNITS {
            return Value::LongString(units.into());
        }
    }
    if let Some(s) = value.as_string() {
        return match well_formed(value) {
            Ok(true) => Value::String(s),
            _ => Value::IllFormed,
        };
    }
    if value.is_undefined() {
        return Value::Undefined;
    } else if value.is_null() {
        return Value::Null;
    } else if let Some(b) = value.as_bool() {
        return Value::Bool(b);
    } else if let Some(n) = value.as_f64() {
        return Value::Number(n);
    } else if !value.is_object() || value.is_function() {
        return Value::Other(type_name(value));
    }
    match is_array(value) {
        Ok(true) if top => return list(value),
        Ok(true) => return Value::Other("array"),
        Ok(false) => {}
        Err(_) => return Value::Other(THROWS),
    }
    if let Ok(time) = time_of(value) {
        Value::Date(time)
    } else if as_signal(value).is_some() {
        Value::Other("AbortSignal")
    } else if top {
        match plain_entries(value, "") {
            Ok(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), value_from_js(v, false)))
                    .collect(),
            ),
            Err(_) => Value::Other("object"),
        }
    } else {
        Value::Other("object")
    }
}

/// An array, read once by [`read_list`].
fn list(array: &JsValue) -> Value {
    let Ok(read) = read_list(array, MAX_LIST_ITEMS as f64, MAX_STRING_UNITS as f64) else {
        return Value::Other(THROWS);
    };
    if let Some(length) = read.as_f64() {
        // A safe integer over the maximum (checked in `readList`).
        return Value::TooLong(length as u64);
    }
    let items = read.get(0);
    let packed = || {
        let ends = read.get(1).dyn_into::<Uint32Array>().ok()?.to_vec();
        let units = read.get(2).as_f64()? as usize;
        let mut text = vec![0u8; units];
        let at = text.as_mut_ptr() as usize as f64;
        pack_into(&items, &wasm_bindgen::memory(), at, units as f64)
            .ok()?
            .then_some(())?;
        StringList::from_ends(String::from_utf8(text).ok()?, &ends)
    };
    match read.length() {
        3 => packed().map_or_else(|| each(&items), Value::Strings),
        _ => each(&items),
    }
}

/// A list of items read one by one (not all ASCII strings, or too long to pack).
fn each(items: &JsValue) -> Value {
    let items: &Array = items.unchecked_ref();
    Value::Array(items.iter().map(|item| value_from_js(&item, false)).collect())
}

/// The kind of a value that is no option value at all, for "got ..." in refusals. Only
/// `typeof` is asked, which no object can make throw.
fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_function() {
        "function"
    } else if value.is_bigint() {
        "bigint"
    } else if value.is_symbol() {
        "symbol"
    } else if value.is_string() {
        "string"
    } else if value.as_f64().is_some() {
        "number"
    } else if value.as_bool().is_some() {
        "boolean"
    } else if value.is_undefined() {
        "undefined"
    } else {
        "object"
    }
}

/// What a non-plain object is, by its constructor's name ("a Map", "a URLSearchParams").
fn constructor_name(value: &JsValue) -> String {
    let name = property(value, &"constructor".into())
        .and_then(|ctor| property(&ctor, &"name".into()))
        .ok()
        .and_then(|name| name.as_string())
        .filter(|name| {
            !name.is_empty()
                && name.len() <= 64
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        });
    match name {
        Some(name) => format!("a {name}"),
        None => type_name(value).to_owned(),
    }
}
