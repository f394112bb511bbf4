//! The loosely typed options as they arrive from JS (or any other caller).
//!
//! JS values are converted into this model in exactly one place (the wasm layer), and every
//! rule is then checked in plain Rust, so each refusal is a native unit test.

use core::fmt;

use crate::text::string_list::StringList;

/// One option value, keeping just enough of its JS type to explain a refusal. New kinds may
/// come: match with a wildcard arm.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// `undefined`: treated as if the key were absent.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (JS numbers are doubles; NaN and infinities included).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An array known to hold only strings, packed: how a long id list crosses from JS in one
    /// call. It means the same as the `Array` of those strings.
    Strings(StringList),
    /// A string with an unpaired UTF-16 surrogate, which UTF-8 cannot carry (it would be sent
    /// as U+FFFD, naming another run or label than the caller's).
    IllFormed,
    /// An array with more than [`MAX_LIST_ITEMS`](crate::limits::MAX_LIST_ITEMS) items (its length): none of them was read.
    TooLong(u64),
    /// A string of more than [`MAX_STRING_UNITS`](crate::limits::MAX_STRING_UNITS) UTF-16 units (its length): it was not copied.
    LongString(u64),
    /// A `Date`, as its time value in milliseconds (NaN for an invalid date).
    Date(f64),
    /// A plain object (`retry: { retries: 3 }`), its own keys in order.
    Object(Vec<(String, Value)>),
    /// Anything else by type name: `"function"`, `"AbortSignal"`, `"bigint"`, `"symbol"`,
    /// `"object"` (a class instance or a nested object too deep to matter).
    Other(&'static str),
}

impl Value {
    /// The type name used in refusals ("got number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) | Value::LongString(_) => "string",
            Value::IllFormed => "a string with an unpaired UTF-16 surrogate",
            Value::Array(_) | Value::Strings(_) | Value::TooLong(_) => "array",
            Value::Date(_) => "Date",
            Value::Object(_) => "object",
            Value::Other(name) => name,
        }
    }
}

/// Values are printed by type only: an option may hold the token.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Array(items) => write!(f, "array({})", items.len()),
            Value::Strings(items) => write!(f, "array({})", items.len()),
            other => f.write_str(other.type_name()),
        }
    }
}

/// An options object: its own enumerable keys in order, with their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    entries: Vec<(String, Value)>,
}

impl Options {
    /// An empty options object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key (builder style, for tests and Rust callers).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.insert(key.to_owned(), value.into());
        self
    }

    /// Adds a key; a repeated key replaces the earlier value, as in JS.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// The keys and values in insertion order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
