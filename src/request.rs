//! The validated request: what to cancel and how to send it. Only [`crate::validate`] builds
//! these, so holding one means every rule has been checked.

use crate::base_url::BaseUrl;
use crate::execution::Execution;
use crate::string_list::StringList;
use crate::token::Token;

/// Where and as whom requests are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub(crate) token: Token,
    pub(crate) base_url: BaseUrl,
}

impl Connection {
    /// The token (its `Debug` is redacted).
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// The checked base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }
}

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// These run ids, deduplicated, in first-seen order.
    Ids(StringList),
    /// Runs matching every given filter (and any value within one filter).
    Filters(Filters),
    /// Every run of the account; only from an explicit `all: true`.
    All,
}

/// Filters of a filter cancel; at least one is set. Multi-value lists are non-empty when set.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filters {
    /// `workflowUrl` values (prefix match unless `workflow_url_exact_match`).
    pub workflow_url: StringList,
    /// `workflowUrlExactMatch`.
    pub workflow_url_exact_match: bool,
    /// `label` values.
    pub label: StringList,
    /// `fromDate`, Unix milliseconds.
    pub from_date: Option<u64>,
    /// `toDate`, Unix milliseconds.
    pub to_date: Option<u64>,
    /// `callerIp` values.
    pub caller_ip: StringList,
    /// `flowControlKey` values.
    pub flow_control_key: StringList,
}

/// A checked cancel request, independent of the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelRequest {
    /// What to cancel.
    pub target: Target,
    /// `count`: the most runs one call may cancel.
    pub count: Option<u64>,
    /// How to send it.
    pub encoding: Encoding,
    /// How to carry it out (retries, limits, passes).
    pub execution: Execution,
}
