//! The one place where JS values become Rust values.
//!
//! Every value read here is the caller's, and any of it may be hostile: a Proxy whose traps
//! throw or was revoked, a getter that throws or answers differently on a second read, an object
//! made from a built-in's prototype, an array whose `length` is 1e8 with nothing in it. So every
//! JS call on a caller's value is bound with `catch` (an exception must never unwind through Rust
//! frames: that leaks the wasm stack until the instance dies), each value is read exactly once,
//! and counts are checked against [`MAX_LIST_ITEMS`] and [`MAX_OPTION_KEYS`] before anything is
//! read item by item.
//!
//! The reading itself is JS (`js/input.js`), called once for an options object: it hands over a
//! text describing every value, which [`Description`] turns into [`Options`] here. Asked value by
//! value from Rust, every `typeof`, length, key and string was a call of its own.

use std::cell::Cell;

use js_sys::{Array, Function, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::error::Error;
use crate::limits::{MAX_LIST_ITEMS, MAX_OPTION_KEYS, MAX_OPTION_UNITS, MAX_STRING_UNITS};
use crate::rules::value::{Options, Value};
use crate::text::string_list::StringList;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn property(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/wasm/js/input.js")]
extern "C" {
    /// Reads an options object once, in one call: the text that describes it (its format is
    /// written at the top of `input.js`; [`Description`] reads it), or `[text, signal,
    /// onProgress, ...lists]` when it holds a signal, a callback or a long list. Read value by
    /// value from here, the same object took about 50 calls into JS (bench/per-step.mjs).
    #[wasm_bindgen(js_name = readOptions, catch)]
    fn read_options(
        options: &JsValue,
        max_keys: f64,
        max_items: f64,
        max_units: f64,
        max_total: f64,
    ) -> Result<JsValue, JsValue>;
    /// The text of one item of a long list (or a value of `env`), as `readOptions` describes an
    /// item.
    #[wasm_bindgen(js_name = readItem, catch)]
    fn read_item(item: &JsValue, max_units: f64) -> Result<String, JsValue>;
    /// Packs the strings of a long list (`readOptions` read them with `readList`: `[items, ends,
    /// units]`) into the wasm memory at `at` (`units` bytes there, owned by the caller): true
    /// when every one was ASCII. A 100,000-id list crosses as one packed text instead of 100,000
    /// calls, and writing straight into the wasm memory spares a JS buffer of the whole list and
    /// its copy (30 MB each for a million ids of 30 characters, bench/memory.mjs).
    #[wasm_bindgen(js_name = packInto, catch)]
    fn pack_into(items: &JsValue, memory: &JsValue, at: f64, units: f64) -> Result<bool, JsValue>;
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
    let not_plain = |got: &str| Error::invalid("options", format!("must be a plain object (got {got})"));
    let read = read_options(
        value,
        MAX_OPTION_KEYS as f64,
        MAX_LIST_ITEMS as f64,
        MAX_STRING_UNITS as f64,
        MAX_OPTION_UNITS as f64,
    )
    .map_err(|_| not_plain(THROWS))?;
    let (text, held) = match read.as_string() {
        Some(text) => (text, None),
        None => {
            let held: Array = read.unchecked_into();
            (held.get(0).as_string().unwrap_or_default(), Some(held))
        }
    };
    let mut text = Description {
        rest: &text,
        held: held.as_ref(),
    };
    let mut options = Options::new();
    if let Some(refusal) = text.rest.strip_prefix('!') {
        text.rest = refusal;
        return Err(match text.tag() {
            Some('k') => Error::invalid(
                "options",
                format!(
                    "has {} keys; an options object has at most {MAX_OPTION_KEYS}",
                    text.count().unwrap_or_default()
                ),
            ),
            Some('g') => Error::invalid(
                text.string().unwrap_or_default(),
                "could not be read (its getter threw)",
            ),
            Some('c') => Error::invalid(
                text.string().unwrap_or_default(),
                format!(
                    "takes the options past {MAX_OPTION_UNITS} characters of text in all (send several calls)"
                ),
            ),
            // `!p<what it is>`, or `!t`: an object that throws.
            _ => not_plain(text.string().unwrap_or(THROWS)),
        });
    }
    while !text.rest.is_empty() {
        let (Some(key), Some(value)) = (text.string(), text.value(true)) else {
            return Err(not_plain(THROWS));
        };
        options.insert(key.to_owned(), value);
    }
    let hooks = match held {
        Some(held) => Hooks {
            signal: Some(held.get(1))
                .filter(JsValue::is_object)
                .map(JsCast::unchecked_into),
            on_progress: Some(held.get(2))
                .filter(JsValue::is_function)
                .map(JsCast::unchecked_into),
        },
        None => Hooks::default(),
    };
    Ok((options, hooks))
}

/// The environment variables of `env` (a Workers `env` object or `process.env`), or of
/// `globalThis.process.env` when `env` is undefined, each read once by [`Env::get`].
pub struct Env {
    env: JsValue,
    /// The first variable that is set but cannot be used: taken as unset, a `QSTASH_URL` whose
    /// getter threw or that held a `URL` object fell back to the production service.
    fault: Cell<Option<Error>>,
}

impl Env {
    pub fn from_js(env: &JsValue) -> Result<Env, Error> {
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
        Ok(Env {
            env,
            fault: Cell::new(None),
        })
    }

    /// The string value of `name`; `None` when it is unset, or when it cannot be used (kept for
    /// [`Env::fault`]).
    pub fn get(&self, name: &str) -> Option<String> {
        let read = property(&self.env, &name.into())
            .ok()
            .and_then(|value| read_item(&value, MAX_STRING_UNITS as f64).ok());
        let value = read.as_deref().and_then(|text| {
            Description {
                rest: text,
                held: None,
            }
            .value(false)
        });
        let rule = match value {
            Some(Value::String(s)) => return Some(s),
            Some(Value::Undefined) => return None,
            None => "could not be read (its getter threw)".to_owned(),
            Some(Value::LongString(units)) => {
                format!("is a string of {units} characters; a variable has at most {MAX_STRING_UNITS}")
            }
            Some(other) => format!("must be a string (got {})", other.type_name()),
        };
        let first = self.fault.take().unwrap_or_else(|| Error::invalid(name, rule));
        self.fault.set(Some(first));
        None
    }

    /// The refusal of the first variable [`Env::get`] could not use.
    pub fn fault(self) -> Option<Error> {
        self.fault.into_inner()
    }
}

/// A reader of the text `readOptions` describes options with (`src/wasm/js/input.js` writes
/// its format), and of the lists it holds aside. It ends in `None` on text it does not expect,
/// which `readOptions` never writes: nothing here can panic.
struct Description<'a> {
    rest: &'a str,
    /// `[text, signal, onProgress, ...lists]`, when `readOptions` held anything aside.
    held: Option<&'a Array>,
}

impl<'a> Description<'a> {
    fn tag(&mut self) -> Option<char> {
        let mut chars = self.rest.chars();
        let tag = chars.next()?;
        self.rest = chars.as_str();
        Some(tag)
    }

    /// A number ending in `;`, written as the hex digits of its 64 bits (parsing decimal floats
    /// took 28 KB gzip of wasm).
    fn number(&mut self) -> Option<f64> {
        self.count().map(f64::from_bits)
    }

    /// A string written as `<UTF-16 units in hex>:<text>`.
    fn string(&mut self) -> Option<&'a str> {
        let (units, rest) = self.rest.split_once(':')?;
        let units = usize::try_from(u64::from_str_radix(units, 16).ok()?).ok()?;
        // Most strings are ASCII: as many bytes as units, with no walk through their characters.
        // (`get` rather than indexing throughout: no panic path, whose formatting was 2 KB.)
        let string = match rest.get(..units) {
            Some(head) if head.is_ascii() => head,
            _ => {
                let (mut left, mut chars) = (units, rest.chars());
                while left > 0 {
                    left = left.checked_sub(chars.next()?.len_utf16())?;
                }
                rest.get(..rest.len() - chars.as_str().len())?
            }
        };
        self.rest = rest.get(string.len()..)?;
        Some(string)
    }

    /// A count, index or length ending in `;`, in hex digits.
    fn count(&mut self) -> Option<u64> {
        let (count, rest) = self.rest.split_once(';')?;
        self.rest = rest;
        u64::from_str_radix(count, 16).ok()
    }

    /// One value; only a `top` one (an option's own value) may hold items or keys.
    fn value(&mut self, top: bool) -> Option<Value> {
        Some(match self.tag()? {
            'u' => Value::Undefined,
            'n' => Value::Null,
            'T' => Value::Bool(true),
            'F' => Value::Bool(false),
            '#' => Value::Number(self.number()?),
            's' => Value::String(self.string()?.to_owned()),
            'L' => Value::LongString(self.count()?),
            'I' => Value::IllFormed,
            'D' => Value::Date(self.number()?),
            'x' => Value::TooLong(self.count()?),
            'o' => Value::Other(match self.tag()? {
                'f' => "function",
                'b' => "bigint",
                'y' => "symbol",
                'a' => "array",
                'S' => "AbortSignal",
                't' => THROWS,
                _ => "object",
            }),
            'a' if top => {
                let mut items = Vec::new();
                for _ in 0..self.count()? {
                    items.push(self.value(false)?);
                }
                Value::Array(items)
            }
            'p' if top => {
                let mut entries = Vec::new();
                for _ in 0..self.count()? {
                    entries.push((self.string()?.to_owned(), self.value(false)?));
                }
                Value::Object(entries)
            }
            'l' if top => list(&self.held?.get(self.count()? as u32)),
            _ => return None,
        })
    }
}

/// A long list, as `readList` read it: `[items, ends, units]` (every item a string: packed into
/// the wasm memory at once) or `[items]` (items of other kinds, or too many units to pack: each
/// described on its own).
fn list(read: &JsValue) -> Value {
    let read: &Array = read.unchecked_ref();
    let items = read.get(0);
    let packed = || {
        let ends = read.get(1).dyn_into::<Uint32Array>().ok()?.to_vec();
        let units = read.get(2).as_f64()? as usize;
        let mut text = vec![0u8; units];
        let at = text.as_mut_ptr() as usize as f64;
        pack_into(&items, &wasm_bindgen::memory(), at, units as f64)
            .ok()?
            .then_some(())?;
        // Kept as they came (on wasm32 a `usize` is a `u32`: the collect reuses the vector).
        let ends = ends.into_iter().map(|end| end as usize).collect();
        StringList::from_ends(String::from_utf8(text).ok()?, ends)
    };
    match read.length() {
        3 => packed().map_or_else(|| each(&items), Value::Strings),
        _ => each(&items),
    }
}

/// The items of a long list one by one (not all ASCII strings, or too long to pack).
fn each(items: &JsValue) -> Value {
    let items: &Array = items.unchecked_ref();
    let item = |item: JsValue| {
        let text = read_item(&item, MAX_STRING_UNITS as f64).ok()?;
        (Description {
            rest: &text,
            held: None,
        })
        .value(false)
    };
    Value::Array(
        items
            .iter()
            .map(|i| item(i).unwrap_or(Value::Other(THROWS)))
            .collect(),
    )
}
