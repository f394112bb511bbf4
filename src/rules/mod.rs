//! The rules: what a call may ask for, checked before anything is sent. Options come in (the
//! typed builder, environment variables, or JS values), and a checked request, the account it is
//! sent as and the options of the call come out, or a refusal naming the field and the rule.
//!
//! Nothing here knows how a request is written on the wire or how a call goes on: those layers
//! (`wire`, `call`) take what this one checked.

pub(crate) mod account;
pub(crate) mod base_url;
pub(crate) mod builder;
pub(crate) mod bulk_read;
pub(crate) mod call_options;
pub(crate) mod env;
pub(crate) mod request;
pub(crate) mod suggest;
pub(crate) mod token;
pub(crate) mod validate;
pub(crate) mod value;
