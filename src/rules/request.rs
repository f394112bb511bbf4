//! The validated request: what to cancel and how to send it. Only the rules build a
//! [`CancelRequest`], so holding one means every rule has been checked.

use crate::rules::call_options::CallOptions;
use crate::text::string_list::StringList;

/// How the filters travel: the query string of the service's current API reference, or the JSON
/// body of its older API page.
///
/// The query form is the default because it has no body to lose. HTTP gives a DELETE body no
/// defined meaning (RFC 9110, 9.3.5) and intermediaries may drop it, and to this endpoint a
/// request whose body was lost means "cancel every run". The service's OpenAPI description and
/// its official client use the query form too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `DELETE` with query parameters, repeated keys for several values (the default).
    #[default]
    Query,
    /// `DELETE` with a JSON body.
    Body,
}

/// Which runs to cancel: exactly one mode per call.
// One `Target` exists per call, so the size of its largest variant does not matter; boxing
// `Filters` would only make matching on it clumsier for Rust callers.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// These run ids, deduplicated, in first-seen order.
    Ids(StringList),
    /// Runs matching every given filter (and any value within one filter).
    Filters(Filters),
    /// Every run of the account; only from an explicit `all: true`.
    All,
}

/// The filters of a filter cancel.
///
/// Built with [`Filters::new`] and the setters, they are the input of
/// [`CancelRuns::filters`](crate::CancelRuns::filters); inside a checked [`CancelRequest`] at
/// least one is set and every value has passed the rules. Several filters must all match (AND);
/// several values of one filter match any (OR).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[must_use = "filters do nothing until given to CancelRuns::filters"]
pub struct Filters {
    pub(crate) workflow_url: StringList,
    pub(crate) workflow_url_exact_match: bool,
    pub(crate) label: StringList,
    pub(crate) from_date: Option<u64>,
    pub(crate) to_date: Option<u64>,
    pub(crate) caller_ip: StringList,
    pub(crate) flow_control_key: StringList,
    pub(crate) host: StringList,
    pub(crate) path: StringList,
}

impl Filters {
    /// No filter yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a `workflowUrl`: runs whose workflow URL starts with it (see [`Filters::exact_match`]).
    pub fn workflow_url(mut self, url: &str) -> Self {
        self.workflow_url.push(url);
        self
    }

    /// `workflowUrlExactMatch`: the workflow URLs must match exactly (query form).
    pub fn exact_match(mut self) -> Self {
        self.workflow_url_exact_match = true;
        self
    }

    /// Adds a `label`.
    pub fn label(mut self, label: &str) -> Self {
        self.label.push(label);
        self
    }

    /// `fromDate`: runs created from this instant, Unix milliseconds.
    pub fn from_date(mut self, ms: u64) -> Self {
        self.from_date = Some(ms);
        self
    }

    /// `toDate`: runs created up to this instant, Unix milliseconds.
    pub fn to_date(mut self, ms: u64) -> Self {
        self.to_date = Some(ms);
        self
    }

    /// Adds a `callerIp` (query form).
    pub fn caller_ip(mut self, ip: &str) -> Self {
        self.caller_ip.push(ip);
        self
    }

    /// Adds a `flowControlKey` (query form).
    pub fn flow_control_key(mut self, key: &str) -> Self {
        self.flow_control_key.push(key);
        self
    }

    /// Adds a `host`: runs whose workflow URL has this host (query form).
    pub fn host(mut self, host: &str) -> Self {
        self.host.push(host);
        self
    }

    /// Adds a `path`: runs whose workflow URL has this path (query form).
    pub fn path(mut self, path: &str) -> Self {
        self.path.push(path);
        self
    }

    /// The `workflowUrl` values.
    pub fn workflow_urls(&self) -> &StringList {
        &self.workflow_url
    }

    /// Whether `workflowUrlExactMatch` is set.
    pub fn is_exact_match(&self) -> bool {
        self.workflow_url_exact_match
    }

    /// The `label` values.
    pub fn labels(&self) -> &StringList {
        &self.label
    }

    /// `fromDate` and `toDate`, Unix milliseconds.
    pub fn dates(&self) -> (Option<u64>, Option<u64>) {
        (self.from_date, self.to_date)
    }

    /// The `callerIp` values.
    pub fn caller_ips(&self) -> &StringList {
        &self.caller_ip
    }

    /// The `flowControlKey` values.
    pub fn flow_control_keys(&self) -> &StringList {
        &self.flow_control_key
    }

    /// The `host` values.
    pub fn hosts(&self) -> &StringList {
        &self.host
    }

    /// The `path` values.
    pub fn paths(&self) -> &StringList {
        &self.path
    }
}

/// A checked cancel request, independent of the account.
///
/// Only the rules make one ([`CancelRuns::check`](crate::CancelRuns::check), or the JS
/// options' parsing in the wasm layer), and it
/// cannot be changed afterwards, so holding one means every rule has passed: above all, that
/// it names what to cancel, or is an explicit cancel of everything.
///
/// ```compile_fail
/// use qstash_cancel::{CancelRequest, Encoding, CallOptions, Target};
/// // An unchecked request (here: an empty id list, which older servers read as "everything")
/// // cannot be built: the fields are private.
/// let request = CancelRequest {
///     target: Target::Ids(Default::default()),
///     count: None,
///     encoding: Encoding::Body,
///     call_options: CallOptions::default(),
///     background: false,
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelRequest {
    pub(crate) target: Target,
    pub(crate) count: Option<u64>,
    pub(crate) encoding: Encoding,
    pub(crate) call_options: CallOptions,
    pub(crate) background: bool,
}

impl CancelRequest {
    /// `async`: the service carries the cancel out in the background as a bulk action, and
    /// answers at once with its id.
    pub fn background(&self) -> bool {
        self.background
    }

    /// What to cancel.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// `count`: the most runs the whole call may cancel.
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    /// How the request travels.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// How the call is carried out (retries, limits, passes).
    pub fn call_options(&self) -> &CallOptions {
        &self.call_options
    }
}
