//! The one place where JS values become Rust values.
//!
//! Every JS call that could throw (a Proxy's trap, a getter) is bound with `catch`, so a hostile
//! input ends as a refusal, never as an exception unwinding through Rust.

use js_sys::{Array, Date, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::execute::Hooks;
use crate::error::Error;
use crate::string_list::StringList;
use crate::value::{Options, Value};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn property(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(inline_js = "export function packAscii(a) {
  let units = 0;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'string') return undefined;
    units += a[i].length;
  }
  const bytes = new Uint8Array(units), ends = new Uint32Array(a.length);
  for (let i = 0, at = 0; i < a.length; i++) {
    const s = a[i];
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c > 127) return undefined;
      bytes[at++] = c;
    }
    ends[i] = at;
  }
  return [bytes, ends];
}")]
extern "C" {
    /// `[bytes, ends]` of an array of ASCII strings written end to end, or `undefined` if an
    /// item is not a string or not ASCII. A 100,000-id list then crosses into wasm as two
    /// copies of typed arrays instead of 100,000 calls (or a join and a UTF-8 conversion,
    /// which cost twice as much).
    #[wasm_bindgen(js_name = packAscii, catch)]
    fn pack_ascii(items: &Array) -> Result<JsValue, JsValue>;
}

/// Converts a JS options object, keeping the `signal` and `onProgress` objects aside as hooks.
/// Only plain objects (`{...}` or `Object.create(null)`) are accepted: anything else is most
/// likely a mistake (a string token, a `Map`, a class instance).
pub fn options_from_js(value: &JsValue) -> Result<(Options, Hooks), Error> {
    let entries = plain_entries(value, "options")?;
    let mut hooks = Hooks::default();
    let mut options = Options::new();
    for (name, item) in entries {
        match name.as_str() {
            "signal" => hooks.signal = item.dyn_ref::<web_sys::AbortSignal>().cloned(),
            "onProgress" if item.is_function() => hooks.on_progress = Some(item.clone().unchecked_into()),
            _ => {}
        }
        options.insert(name, value_from_js(&item, true));
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
    Ok(move |name: &str| property(&env, &name.into()).ok().and_then(|v| v.as_string()))
}

/// The own enumerable entries of a plain object; `field` names it in a refusal.
fn plain_entries(value: &JsValue, field: &str) -> Result<Vec<(String, JsValue)>, Error> {
    let not_plain = |got: &str| Error::invalid(field, format!("must be a plain object (got {got})"));
    if !value.is_object() || Array::is_array(value) {
        return Err(not_plain(type_name(value)));
    }
    let proto = prototype_of(value).map_err(|_| not_plain("an object that throws"))?;
    let plain = proto.is_null() || prototype_of(&proto).is_ok_and(|p| p.is_null());
    if !plain {
        return Err(not_plain(&constructor_name(value)));
    }
    let keys = object_keys(value).map_err(|_| not_plain("an object that throws"))?;
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
    if let Some(s) = value.as_string() {
        Value::String(s)
    } else if value.is_undefined() {
        Value::Undefined
    } else if value.is_null() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Value::Number(n)
    } else if top && Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        // Item by item only when some item is not a string or not ASCII.
        match packed(array) {
            Some(strings) => Value::Strings(strings),
            None => Value::Array(array.iter().map(|item| value_from_js(&item, false)).collect()),
        }
    } else if let Some(date) = value.dyn_ref::<Date>() {
        Value::Date(date.get_time())
    } else if value.is_instance_of::<web_sys::AbortSignal>() {
        Value::Other("AbortSignal")
    } else if top && value.is_object() && !value.is_function() {
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
        Value::Other(type_name(value))
    }
}

/// The strings of `array` in one piece, when [`pack_ascii`] can pack them.
fn packed(array: &Array) -> Option<StringList> {
    let parts: Array = pack_ascii(array).ok()?.dyn_into().ok()?;
    let text = parts.get(0).dyn_into::<Uint8Array>().ok()?.to_vec();
    let ends = parts.get(1).dyn_into::<Uint32Array>().ok()?.to_vec();
    StringList::from_ends(String::from_utf8(text).ok()?, &ends)
}

fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if Array::is_array(value) {
        "array"
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
    } else if value.is_instance_of::<Date>() {
        "Date"
    } else {
        "object"
    }
}

/// What a non-plain object is, by its constructor's name ("Map", "URLSearchParams").
fn constructor_name(value: &JsValue) -> String {
    let name = property(value, &"constructor".into())
        .and_then(|ctor| property(&ctor, &"name".into()))
        .ok()
        .and_then(|name| name.as_string())
        .filter(|name| !name.is_empty());
    match name {
        Some(name) => format!("a {name}"),
        None => type_name(value).to_owned(),
    }
}
