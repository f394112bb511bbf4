//! The rules: loosely typed [`Options`] in, a checked request out, or a refusal that names the
//! field and the rule. Nothing is sent unless every rule here passed.

use crate::error::Error;
use crate::limits::{
    MAX_CONCURRENCY, MAX_KEY_BYTES, MAX_LIST_COUNT, MAX_LIST_ITEMS, MAX_PASSES, MAX_REQUESTS, MAX_RETRIES,
    MAX_SAFE_INTEGER, MAX_STRING_UNITS, MAX_TIMER_MS,
};
use crate::rules::account::Account;
use crate::rules::bulk_read::{
    action_id_rule, is_cursor, max_pages, poll_ms, ActionState, ListQuery, CURSOR_RULE, DEFAULT_MAX_PAGES,
    DEFAULT_POLL_MS,
};
use crate::rules::call_options::{CallOptions, RetryPolicy};
use crate::rules::request::{CancelRequest, Encoding, Filters, Target};
use crate::rules::suggest::closest;
use crate::rules::value::{Options, Value};
use crate::text::bytes;
use crate::text::string_list::StringList;

/// Options that say where and as whom to send.
pub const CONNECTION_KEYS: &[&str] = &["token", "baseUrl"];
/// Options that narrow a cancel to matching runs.
pub const FILTER_KEYS: &[&str] = &[
    "workflowUrl",
    "workflowUrlExactMatch",
    "label",
    "fromDate",
    "toDate",
    "callerIp",
    "flowControlKey",
    "host",
    "path",
];
/// The other options of a request, what to cancel and how to carry it out.
pub const REQUEST_KEYS: &[&str] = &[
    "workflowRunIds",
    "all",
    "count",
    "encoding",
    "retry",
    "timeoutMs",
    "deadlineMs",
    "signal",
    "concurrency",
    "untilDone",
    "maxPasses",
    "maxRequests",
    "onProgress",
    "async",
];
/// The options of `getBulkAction` (besides the account): the action, and how to read it.
pub const BULK_ACTION_KEYS: &[&str] = &["actionId", "retry", "timeoutMs", "deadlineMs", "signal"];
/// The options of `listBulkActions` (besides the account): the page, and how to read it.
pub const BULK_LIST_KEYS: &[&str] = &[
    "state",
    "cursor",
    "count",
    "retry",
    "timeoutMs",
    "deadlineMs",
    "signal",
];
/// The options `waitForBulkAction` takes besides `getBulkAction`'s.
pub const WAIT_KEYS: &[&str] = &["pollMs", "onProgress"];
/// The option `listAllBulkActions` takes besides `listBulkActions`'s.
pub const LISTING_KEYS: &[&str] = &["maxPages"];
/// The options of `Client.fromEnv` besides the environment: a base URL in place of the
/// variables' (a proxy that holds the token's account).
pub const ENV_OPTION_KEYS: &[&str] = &["baseUrl"];
/// The keys of a `retry: { ... }` object.
const RETRY_KEYS: &[&str] = &["retries", "baseDelayMs", "maxDelayMs"];

/// Dates below this many milliseconds (1973-03-03) are almost always Unix seconds by mistake,
/// which would silently widen a date range to nearly all of history.
const MIN_DATE_MS: f64 = 1e11;
/// The largest time value a JS `Date` can hold.
const MAX_DATE_MS: f64 = 8.64e15;

const QUERY_ONLY: &str = "is only understood in the query form of the endpoint; add encoding: \"query\" \
     (in a JSON body the service ignores fields it does not know, which would cancel more runs than asked)";

/// Checks the options of a one-off `cancelRuns` call: account and request together.
pub fn parse_call(options: &Options) -> Result<(Account, CancelRequest), Error> {
    let fields = Fields::new(options, &[CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS])?;
    Ok((account(&fields)?, request(&fields)?))
}

/// Checks the options of a `Client`: account only.
pub fn parse_connection(options: &Options) -> Result<Account, Error> {
    account(&Fields::new(options, &[CONNECTION_KEYS])?)
}

/// Checks the options of `client.cancelRuns`: request only (the account is the client's).
pub fn parse_request(options: &Options) -> Result<CancelRequest, Error> {
    request(&Fields::new(options, &[FILTER_KEYS, REQUEST_KEYS])?)
}

/// Options whose keys have been checked against the ones in scope.
struct Fields<'a> {
    options: &'a Options,
}

impl<'a> Fields<'a> {
    fn new(options: &'a Options, scope: &[&[&'static str]]) -> Result<Self, Error> {
        let in_scope: Vec<&str> = scope.iter().flat_map(|keys| keys.iter().copied()).collect();
        for (key, value) in options.entries() {
            if let Some(err) = too_long(key, value) {
                return Err(err);
            }
            if in_scope.contains(&key) {
                continue;
            }
            if key.len() > MAX_KEY_BYTES {
                // Not echoed: a key this long is no typo, and the message must stay short.
                return Err(Error::invalid(
                    "options",
                    format!("has a key of {} bytes, which is no known option", key.len()),
                ));
            }
            let client_only = scope == [CONNECTION_KEYS];
            let rule = if CONNECTION_KEYS.contains(&key) {
                "belongs to the client: pass it to new Client({ token, baseUrl })".to_owned()
            } else if client_only && (FILTER_KEYS.contains(&key) || REQUEST_KEYS.contains(&key)) {
                "says what to cancel: pass it to client.cancelRuns(), not to new Client()".to_owned()
            } else {
                let all_keys = [
                    CONNECTION_KEYS,
                    FILTER_KEYS,
                    REQUEST_KEYS,
                    BULK_ACTION_KEYS,
                    BULK_LIST_KEYS,
                ]
                .concat();
                match closest(key, &all_keys).filter(|name| in_scope.contains(name)) {
                    Some(name) => format!("is not a known option; did you mean \"{name}\"?"),
                    None => format!("is not a known option (known: {})", in_scope.join(", ")),
                }
            };
            return Err(Error::invalid(key, rule));
        }
        Ok(Fields { options })
    }

    /// The value of `key`; `undefined` counts as absent, as with optional properties in JS.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.options
            .entries()
            .find(|(k, v)| *k == key && **v != Value::Undefined)
            .map(|(_, v)| v)
    }

    /// The first of `keys` that is present but `undefined`.
    fn first_undefined(&self, keys: &[&'static str]) -> Option<&'static str> {
        let undefined = |key: &&str| {
            self.options
                .entries()
                .any(|(k, v)| k == *key && *v == Value::Undefined)
        };
        keys.iter().copied().find(undefined)
    }
}

fn account(fields: &Fields) -> Result<Account, Error> {
    let token = match fields.get("token") {
        None => {
            return Err(Error::invalid(
                "token",
                "is required (your QStash token, usually QSTASH_TOKEN)",
            ))
        }
        Some(Value::String(t)) => t,
        Some(other) => return Err(type_error("token", "a string", other)),
    };
    let base_url = match fields.get("baseUrl") {
        None => None,
        Some(Value::String(raw)) => Some(raw.as_str()),
        Some(other) => return Err(type_error("baseUrl", "a string", other)),
    };
    Account::new(token, base_url)
}

fn request(fields: &Fields) -> Result<CancelRequest, Error> {
    let encoding = match fields.get("encoding") {
        None => Encoding::Query,
        Some(Value::String(s)) if s == "body" => Encoding::Body,
        Some(Value::String(s)) if s == "query" => Encoding::Query,
        Some(_) => return Err(Error::invalid("encoding", "must be \"body\" or \"query\"")),
    };
    let ids = match fields.get("workflowRunIds") {
        None => None,
        Some(value @ (Value::Array(_) | Value::Strings(_) | Value::TooLong(_))) => match strings("workflowRunIds", value, encoding, run_id_rule) {
            Some(Ok(ids)) if !ids.is_empty() => Some(ids),
            Some(Err(err)) => return Err(err),
            _ => {
                return Err(Error::invalid(
                    "workflowRunIds",
                    "must not be empty (an empty list would ask the service to cancel nothing, or, with older servers, everything)",
                ))
            }
        },
        Some(other) => return Err(type_error("workflowRunIds", "a non-empty array of run id strings", other)),
    };
    let filters = filters(fields, encoding)?;
    let all = match fields.get("all") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(other) => {
            return Err(type_error(
                "all",
                "true (to cancel every run of the account)",
                other,
            ))
        }
    };
    let count = fields.get("count").map(|v| count(v, encoding)).transpose()?;
    let background = match fields.get("async") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(type_error("async", "a boolean", other)),
    };
    let first_filter = FILTER_KEYS.iter().copied().find(|k| fields.get(k).is_some());

    let target = match (ids, filters, all) {
        (Some(ids), None, false) => Target::Ids(ids),
        (None, Some(filters), false) => Target::Filters(filters),
        (None, None, true) => Target::All,
        (Some(_), Some(_), _) => {
            return Err(Error::invalid(
                first_filter.unwrap_or("workflowRunIds"),
                "cannot be combined with workflowRunIds (the service ignores filters when ids are given); send two calls",
            ))
        }
        (Some(_), None, true) => return Err(Error::invalid("all", "cannot be combined with workflowRunIds")),
        (None, Some(_), true) => {
            return Err(Error::invalid(
                "all",
                format!(
                    "cannot be combined with {} (all: true cancels every run; drop the filter or drop all)",
                    first_filter.unwrap_or("a filter")
                ),
            ))
        }
        (None, None, false) => return Err(no_target(fields)),
    };
    if count.is_some() && matches!(target, Target::Ids(_)) {
        return Err(Error::invalid(
            "count",
            "applies to filter and all cancels, not to workflowRunIds",
        ));
    }
    if background {
        if matches!(target, Target::Ids(_)) {
            return Err(Error::invalid(
                "async",
                "applies to filter and all cancels: an id list is cancelled at once, not as a bulk action",
            ));
        }
        if encoding == Encoding::Body {
            return Err(Error::invalid("async", QUERY_ONLY));
        }
        for key in ["untilDone", "maxPasses"] {
            if fields.get(key).is_some() {
                return Err(Error::invalid(
                    key,
                    "does not apply with async: true (the service itself goes on until every matching run is processed; follow it with waitForBulkAction)",
                ));
            }
        }
    }
    let mut call_options = checked_call_options(fields, &target)?;
    call_options.until_done &= !background;
    Ok(CancelRequest {
        target,
        count,
        encoding,
        call_options,
        background,
    })
}

/// Checks the options of `Client.fromEnv` (`{ baseUrl }`): the base URL given, if any (its own
/// rule is checked with the account's).
pub fn parse_env_options(options: &Options) -> Result<Option<String>, Error> {
    let fields = Fields::new(options, &[ENV_OPTION_KEYS])?;
    match fields.get("baseUrl") {
        None => Ok(None),
        Some(Value::String(url)) => Ok(Some(url.clone())),
        Some(other) => Err(type_error("baseUrl", "a string", other)),
    }
}

/// Which read of bulk actions the options are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadKind {
    /// `getBulkAction`: one action.
    Action,
    /// `listBulkActions`: one page.
    Page,
    /// `waitForBulkAction`: one action, read every `pollMs` until it finishes.
    Wait,
    /// `listAllBulkActions`: every page, at most `maxPages`.
    Listing,
}

/// A checked read of bulk actions, and how to carry it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkRead {
    /// The action to read or wait for, or `None` for pages.
    pub action_id: Option<String>,
    /// The page to read, or the first of a listing (`state`, `cursor`, `count`).
    pub page: ListQuery,
    /// Retries, time-out and deadline (of a wait: the whole wait's).
    pub call_options: CallOptions,
    /// A wait's `pollMs`.
    pub poll_ms: u64,
    /// A listing's `maxPages`.
    pub max_pages: u32,
}

/// Checks the options of a read of bulk actions (`kind`): with `client`, a `Client`'s call (the
/// account is the client's); without, the one-off functions' (the account is in the options).
pub fn parse_bulk_read(
    options: &Options,
    client: Option<&Account>,
    kind: ReadKind,
) -> Result<(Account, BulkRead), Error> {
    let keys: &[&[&'static str]] = match kind {
        ReadKind::Action => &[BULK_ACTION_KEYS],
        ReadKind::Page => &[BULK_LIST_KEYS],
        ReadKind::Wait => &[BULK_ACTION_KEYS, WAIT_KEYS],
        ReadKind::Listing => &[BULK_LIST_KEYS, LISTING_KEYS],
    };
    let scope = match client {
        Some(_) => keys.to_vec(),
        None => [&[CONNECTION_KEYS][..], keys].concat(),
    };
    let fields = Fields::new(options, &scope)?;
    let account = match client {
        Some(client) => client.clone(),
        None => account(&fields)?,
    };
    let page = matches!(kind, ReadKind::Page | ReadKind::Listing);
    let action_id = match (page, fields.get("actionId")) {
        (true, _) => None,
        (false, None) => {
            return Err(Error::invalid(
                "actionId",
                "is required (the id a cancel with async: true resolved to)",
            ))
        }
        (false, Some(Value::String(id))) => match action_id_rule(id) {
            Some(rule) => return Err(Error::invalid("actionId", rule)),
            None => Some(id.clone()),
        },
        (false, Some(other)) => return Err(type_error("actionId", "a string", other)),
    };
    let mut query = ListQuery::default();
    if page {
        query.state = match fields.get("state") {
            None => None,
            Some(Value::String(s)) if s == "IN_PROGRESS" => Some(ActionState::InProgress),
            Some(Value::String(s)) if s == "FINISHED" => Some(ActionState::Finished),
            Some(_) => return Err(Error::invalid("state", "must be \"IN_PROGRESS\" or \"FINISHED\"")),
        };
        query.cursor = match fields.get("cursor") {
            None => None,
            Some(Value::String(s)) if !is_cursor(s) => {
                return Err(Error::invalid(
                    "cursor",
                    ["must be the cursor of the previous page: ", CURSOR_RULE].concat(),
                ))
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(type_error("cursor", "a string", other)),
        };
        query.count = match fields.get("count") {
            None => None,
            Some(Value::Number(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_LIST_COUNT as f64 => {
                Some(*n as u64)
            }
            Some(_) => {
                return Err(Error::invalid(
                    "count",
                    format!("must be an integer from 1 to {MAX_LIST_COUNT} (the actions one page scans)"),
                ))
            }
        };
    }
    let call_options = timing(&fields)?;
    check_hooks(&fields)?;
    // Anything but a number is NaN, which fails every rule: the rule's own refusal names it.
    let number = |field| {
        fields
            .get(field)
            .map(|v| if let Value::Number(n) = v { *n } else { f64::NAN })
    };
    let poll_ms = number("pollMs").map_or(Ok(DEFAULT_POLL_MS), poll_ms)?;
    let max_pages = number("maxPages").map_or(Ok(DEFAULT_MAX_PAGES), max_pages)?;
    Ok((
        account,
        BulkRead {
            action_id,
            page: query,
            call_options,
            poll_ms,
            max_pages,
        },
    ))
}

/// `retry`, `timeoutMs` and `deadlineMs`.
fn timing(fields: &Fields) -> Result<CallOptions, Error> {
    let mut call_options = CallOptions::default();
    if let Some(value) = fields.get("retry") {
        call_options.retry = retry_policy(value)?;
    }
    if let Some(value) = fields.get("timeoutMs") {
        call_options.timeout_ms = milliseconds("timeoutMs", value)?;
    }
    call_options.deadline_ms = fields
        .get("deadlineMs")
        .map(|v| milliseconds("deadlineMs", v))
        .transpose()?;
    Ok(call_options)
}

fn checked_call_options(fields: &Fields, target: &Target) -> Result<CallOptions, Error> {
    let mut call_options = timing(fields)?;
    if let Some(value) = fields.get("concurrency") {
        call_options.concurrency = match value {
            Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_CONCURRENCY as f64 => *n as usize,
            _ => {
                return Err(Error::invalid(
                    "concurrency",
                    format!("must be an integer from 1 to {MAX_CONCURRENCY}"),
                ))
            }
        };
    }
    // A filter or `all` cancel means every matching run, and the service cancels at most 100 a
    // call: it repeats until a pass cancels nothing. An id list names its runs: one pass.
    let ids = matches!(target, Target::Ids(_));
    call_options.until_done = match fields.get("untilDone") {
        None => !ids,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(type_error("untilDone", "a boolean", other)),
    };
    if let Some(value) = fields.get("maxPasses") {
        call_options.max_passes = match value {
            Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(MAX_PASSES) => *n as u32,
            _ => {
                return Err(Error::invalid(
                    "maxPasses",
                    format!("must be an integer from 1 to {MAX_PASSES}"),
                ))
            }
        };
        if !call_options.until_done {
            let why = match ids {
                true => "only applies with untilDone: true (an id list is sent once unless untilDone: true)",
                false => "only applies when the cancel repeats (untilDone: false sends one request)",
            };
            return Err(Error::invalid("maxPasses", why));
        }
    }
    if let Some(value) = fields.get("maxRequests") {
        call_options.max_requests = match value {
            Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(MAX_REQUESTS) => Some(*n as u32),
            _ => {
                return Err(Error::invalid(
                    "maxRequests",
                    format!("must be an integer from 1 to {MAX_REQUESTS} (the most requests the call may send, retries and passes included)"),
                ))
            }
        };
    }
    check_hooks(fields)?;
    Ok(call_options)
}

/// `signal` and `onProgress`, when given, are what they must be.
fn check_hooks(fields: &Fields) -> Result<(), Error> {
    for (key, kind, rule) in [
        (
            "signal",
            "AbortSignal",
            "an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal)",
        ),
        ("onProgress", "function", "a function"),
    ] {
        match fields.get(key) {
            None => {}
            Some(Value::Other(name)) if *name == kind => {}
            Some(other) => return Err(type_error(key, rule, other)),
        }
    }
    Ok(())
}

/// `retry: false` (never), `true` (the defaults) or `{ retries, baseDelayMs, maxDelayMs }`.
fn retry_policy(value: &Value) -> Result<RetryPolicy, Error> {
    let entries = match value {
        Value::Bool(false) => return Ok(RetryPolicy::NONE),
        Value::Bool(true) => return Ok(RetryPolicy::default()),
        Value::Object(entries) => entries,
        other => {
            return Err(type_error(
                "retry",
                "false, true or { retries, baseDelayMs, maxDelayMs }",
                other,
            ))
        }
    };
    let mut policy = RetryPolicy::default();
    for (key, value) in entries {
        let slot = match key.as_str() {
            "retries" => None,
            "baseDelayMs" => Some(&mut policy.base_delay_ms),
            "maxDelayMs" => Some(&mut policy.max_delay_ms),
            other if other.len() > MAX_KEY_BYTES => {
                return Err(Error::invalid(
                    "retry",
                    format!("has a key of {} bytes, which is no known setting", other.len()),
                ))
            }
            other => {
                let hint = closest(other, RETRY_KEYS)
                    .map(|k| format!("; did you mean \"{k}\"?"))
                    .unwrap_or_default();
                return Err(Error::invalid(
                    "retry",
                    format!("retry.{other} is not a known setting{hint}"),
                ));
            }
        };
        let n = match value {
            Value::Undefined => continue,
            Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX_TIMER_MS => *n as u64,
            _ => {
                return Err(Error::invalid(
                    "retry",
                    format!("retry.{key} must be a non-negative integer"),
                ))
            }
        };
        match slot {
            Some(slot) => *slot = n,
            None if n <= u64::from(MAX_RETRIES) => policy.retries = n as u32,
            None => {
                return Err(Error::invalid(
                    "retry",
                    format!("retry.retries must be at most {MAX_RETRIES}"),
                ))
            }
        }
    }
    if policy.base_delay_ms > policy.max_delay_ms {
        return Err(Error::invalid(
            "retry",
            "retry.baseDelayMs must not exceed retry.maxDelayMs",
        ));
    }
    Ok(policy)
}

fn milliseconds(field: &str, value: &Value) -> Result<u64, Error> {
    match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_TIMER_MS => Ok(*n as u64),
        _ => Err(Error::invalid(
            field,
            "must be a whole number of milliseconds from 1 to 2147483647",
        )),
    }
}

fn no_target(fields: &Fields) -> Error {
    let consequence = "an empty request makes the service cancel EVERY workflow run of the account. \
         Give workflowRunIds or a filter (workflowUrl, label, fromDate, toDate, callerIp, flowControlKey, host, path), \
         or pass all: true if you really mean every run";
    let targets = [&["workflowRunIds", "all"][..], FILTER_KEYS].concat();
    match fields.first_undefined(&targets) {
        Some(key) => Error::invalid(
            key,
            format!("is undefined and nothing else says what to cancel: {consequence}"),
        ),
        None => Error::invalid("options", format!("no target given: {consequence}")),
    }
}

fn filters(fields: &Fields, encoding: Encoding) -> Result<Option<Filters>, Error> {
    let list = |key: &str, rule: fn(&str) -> Option<&'static str>| match fields.get(key) {
        None => Ok(StringList::new()),
        Some(value) => match strings(key, value, encoding, rule) {
            Some(Ok(list)) if !list.is_empty() => Ok(list),
            Some(Err(err)) => Err(err),
            _ => Err(type_error(key, "a string or a non-empty array of strings", value)),
        },
    };
    let mut filters = Filters {
        workflow_url: list("workflowUrl", url_rule)?,
        label: list("label", text_rule)?,
        caller_ip: list("callerIp", text_rule)?,
        flow_control_key: list("flowControlKey", text_rule)?,
        host: list("host", host_rule)?,
        path: list("path", path_rule)?,
        from_date: fields.get("fromDate").map(|v| date("fromDate", v)).transpose()?,
        to_date: fields.get("toDate").map(|v| date("toDate", v)).transpose()?,
        workflow_url_exact_match: false,
    };
    if let Some(value) = fields.get("workflowUrlExactMatch") {
        filters.workflow_url_exact_match = match value {
            Value::Bool(b) => *b,
            other => return Err(type_error("workflowUrlExactMatch", "a boolean", other)),
        };
        if filters.workflow_url.is_empty() {
            return Err(Error::invalid("workflowUrlExactMatch", "needs workflowUrl"));
        }
    }
    if let (Some(from), Some(to)) = (filters.from_date, filters.to_date) {
        if from > to {
            return Err(Error::invalid("fromDate", "must not be after toDate"));
        }
    }
    if encoding == Encoding::Body {
        body_form_rules(&filters)?;
    }
    let any = !filters.workflow_url.is_empty()
        || !filters.label.is_empty()
        || !filters.caller_ip.is_empty()
        || !filters.flow_control_key.is_empty()
        || !filters.host.is_empty()
        || !filters.path.is_empty()
        || filters.from_date.is_some()
        || filters.to_date.is_some();
    Ok(any.then_some(filters))
}

/// The JSON body documented by the service carries one `workflowUrl` and one `label`, and none
/// of the newer filters; anything else must go as query parameters.
fn body_form_rules(filters: &Filters) -> Result<(), Error> {
    let one_value = "takes one value in the body form; to match several, add encoding: \"query\"";
    if filters.workflow_url.len() > 1 {
        return Err(Error::invalid("workflowUrl", one_value));
    }
    if filters.label.len() > 1 {
        return Err(Error::invalid("label", one_value));
    }
    if filters.workflow_url_exact_match {
        return Err(Error::invalid("workflowUrlExactMatch", QUERY_ONLY));
    }
    if !filters.caller_ip.is_empty() {
        return Err(Error::invalid("callerIp", QUERY_ONLY));
    }
    for (field, values) in [
        ("flowControlKey", &filters.flow_control_key),
        ("host", &filters.host),
        ("path", &filters.path),
    ] {
        if !values.is_empty() {
            return Err(Error::invalid(field, QUERY_ONLY));
        }
    }
    Ok(())
}

/// Checks every item of a string list option (a lone string counts as a list of one) and drops
/// repeats, the first one kept. `None` when `value` is no list at all.
fn strings(
    field: &str,
    value: &Value,
    encoding: Encoding,
    rule: fn(&str) -> Option<&'static str>,
) -> Option<Result<StringList, Error>> {
    let at = |index: usize, many: bool, rule: &str| match many {
        true => Error::invalid(field, rule).at_item(index),
        false => Error::invalid(field, rule),
    };
    const ILL_FORMED: &str =
        "must be well-formed Unicode (it has an unpaired UTF-16 surrogate, which would be sent as U+FFFD)";
    let mut list = match value {
        Value::String(s) => core::iter::once(s.as_str()).collect(),
        Value::IllFormed => return Some(Err(Error::invalid(field, ILL_FORMED))),
        Value::Strings(list) => list.clone(),
        Value::TooLong(length) => {
            return Some(Err(Error::invalid(
                field,
                format!("has {length} items; a list has at most {MAX_LIST_ITEMS} (send several calls)"),
            )))
        }
        Value::Array(items) => {
            let mut list = StringList::new();
            for (index, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => list.push(s),
                    Value::IllFormed => return Some(Err(at(index, items.len() > 1, ILL_FORMED))),
                    other => {
                        let rule = format!("must be a string (got {})", other.type_name());
                        return Some(Err(at(index, items.len() > 1, &rule)));
                    }
                }
            }
            list
        }
        _ => return None,
    };
    let many = list.len() > 1;
    for (index, s) in list.iter().enumerate() {
        if let Some(broken) = rule(s) {
            return Some(Err(at(index, many, broken)));
        }
        if encoding == Encoding::Query && bytes::contains(s.as_bytes(), b',') {
            return Some(Err(at(
                index,
                many,
                "must not contain a comma in the query form (the service splits values on commas); use encoding: \"body\"",
            )));
        }
    }
    list.dedup();
    Some(Ok(list))
}

fn text_rule(s: &str) -> Option<&'static str> {
    // The common case in one pass over bytes: printable ASCII, no space at either end.
    let bytes = s.as_bytes();
    if bytes::all(bytes, |b| (0x20..0x7f).contains(&b))
        && bytes.first().is_some_and(|b| *b != b' ')
        && bytes.last().is_some_and(|b| *b != b' ')
    {
        return None;
    }
    if s.is_empty() {
        Some("must not be empty")
    } else if s.trim().is_empty() {
        Some("must not be only whitespace")
    } else if s.chars().any(char::is_control) {
        Some("must not contain control characters")
    } else if s.trim() != s {
        Some("must not start or end with whitespace")
    } else if s.chars().any(invisible) {
        Some("must not contain invisible or bidirectional formatting characters (such as U+200B or U+202E): where a person confirms the value, they would disguise what is cancelled")
    } else if s.chars().next().is_some_and(combining) {
        Some("must not start with a combining mark (it would join what is shown before the value)")
    } else {
        None
    }
}

/// Characters that show nothing, or reorder what is shown around them (Unicode's format
/// characters and the fillers that render blank): in a label the CLI asks about or the page
/// previews, U+202E can make "nightly" read as something else. Refused rather than escaped for
/// display: no real filter needs them, and every place a value is shown stays simple.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Combining marks (the common blocks): at the start of a value, one attaches to whatever is
/// shown before it.
fn combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn run_id_rule(s: &str) -> Option<&'static str> {
    // Ids are printable ASCII without spaces in practice: one pass over bytes decides it.
    if !s.is_empty() && bytes::all_graphic(s.as_bytes()) {
        return None;
    }
    text_rule(s).or_else(|| {
        s.contains(char::is_whitespace)
            .then_some("must be a run id without whitespace")
    })
}

fn host_rule(s: &str) -> Option<&'static str> {
    text_rule(s).or_else(|| {
        s.contains(|c: char| c == '/' || c.is_whitespace())
            .then_some("must be a host such as app.example.com, not a URL (no scheme, path or whitespace)")
    })
}

fn path_rule(s: &str) -> Option<&'static str> {
    text_rule(s).or_else(|| {
        (!s.starts_with('/') || s.contains(char::is_whitespace))
            .then_some("must be a URL path such as /api/workflow (starting with /, no whitespace)")
    })
}

fn url_rule(s: &str) -> Option<&'static str> {
    text_rule(s).or_else(|| {
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            s.get(8..)
        } else if lower.starts_with("http://") {
            s.get(7..)
        } else {
            None
        };
        let host_ok = rest
            .and_then(|r| r.chars().next())
            .is_some_and(|c| !matches!(c, '/' | '?' | '#'));
        (!host_ok || s.contains(char::is_whitespace))
            .then_some("must be an absolute http(s) URL, such as https://app.example.com/api/workflow")
    })
}

fn date(field: &str, value: &Value) -> Result<u64, Error> {
    let ms = match value {
        Value::Number(n) if !n.is_finite() => return Err(Error::invalid(field, "must be a finite number")),
        Value::Number(n) if n.fract() != 0.0 => {
            return Err(Error::invalid(field, "must be a whole number of Unix milliseconds"))
        }
        Value::Number(n) if *n < 0.0 => return Err(Error::invalid(field, "must not be negative")),
        Value::Number(n) if *n < MIN_DATE_MS => {
            return Err(Error::invalid(
                field,
                "must be Unix milliseconds, and this looks like seconds (below 100000000000, i.e. before 1973-03-03); multiply by 1000",
            ))
        }
        Value::Number(n) => *n,
        Value::Date(t) if t.is_nan() => return Err(Error::invalid(field, "is an invalid Date")),
        Value::Date(t) if *t < 0.0 => return Err(Error::invalid(field, "must not be before 1970")),
        Value::Date(t) if *t < MIN_DATE_MS => {
            return Err(Error::invalid(
                field,
                "is a Date before 1973-03-03, most likely made from Unix seconds (new Date(seconds)); use new Date(seconds * 1000)",
            ))
        }
        Value::Date(t) => *t,
        other => return Err(type_error(field, "Unix milliseconds (an integer) or a Date", other)),
    };
    if ms > MAX_DATE_MS {
        return Err(Error::invalid(
            field,
            "is out of range (after the largest JS Date, 8.64e15 ms)",
        ));
    }
    Ok(ms as u64)
}

fn count(value: &Value, encoding: Encoding) -> Result<u64, Error> {
    let n = match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_SAFE_INTEGER as f64 => *n as u64,
        _ => return Err(Error::invalid("count", "must be a positive integer")),
    };
    if encoding == Encoding::Body {
        return Err(Error::invalid("count", QUERY_ONLY));
    }
    Ok(n)
}

/// The refusal of a string of `units` UTF-16 units, over [`MAX_STRING_UNITS`], in `field`.
pub fn long_string(field: &str, units: u64) -> Error {
    Error::invalid(
        field,
        format!("is a string of {units} characters; an option has at most {MAX_STRING_UNITS}"),
    )
}

/// The refusal of a string over [`MAX_STRING_UNITS`] in the option `key` (or in an item of its
/// list, or a setting of its object), which was never copied.
fn too_long(key: &str, value: &Value) -> Option<Error> {
    let refusal = |units: u64| long_string(key, units);
    match value {
        Value::LongString(units) => Some(refusal(*units)),
        Value::Array(items) => items.iter().enumerate().find_map(|(index, item)| match item {
            Value::LongString(units) => Some(refusal(*units).at_item(index)),
            _ => None,
        }),
        Value::Object(entries) => entries.iter().find_map(|(_, v)| match v {
            Value::LongString(units) => Some(refusal(*units)),
            _ => None,
        }),
        _ => None,
    }
}

fn type_error(field: &str, expected: &str, got: &Value) -> Error {
    Error::invalid(field, format!("must be {expected} (got {})", got.type_name()))
}
