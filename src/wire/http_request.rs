//! The HTTP request a checked cancel turns into, in either encoding.

use core::fmt;
use core::ops::Range;

use serde::Serialize;

use crate::error::Error;
use crate::limits::{MAX_ANSWER_BYTES, MAX_URL_BYTES};
use crate::rules::account::Account;
use crate::rules::request::{CancelRequest, Encoding, Filters, Target};
use crate::text::json::{escapes_len, write_string};
use crate::text::percent::{percent_added_len, percent_encode};
use crate::text::string_list::StringList;
use crate::wire::batch::split_ids;

/// The header every cancel-all request carries (`Cancel-All-Runs: true`). To the service an
/// empty request means "cancel every run", and a request can arrive empty by accident (a DELETE
/// body dropped on the way). The service ignores this header; a proxy (such as the admin Worker)
/// can require it, so only a request that says so in so many words cancels everything.
pub const CANCEL_ALL_HEADER: &str = "Cancel-All-Runs";

/// What to send, ready for any HTTP client.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    /// Always `DELETE`.
    pub method: &'static str,
    /// The full URL, query included.
    pub url: String,
    /// Header names and values, `Authorization` first (a JS object when serialized).
    #[serde(serialize_with = "headers_as_map")]
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, for the body form.
    pub body: Option<String>,
    /// The most bytes of its answer to read: enough for every answer the service can give to
    /// this request, so a longer one is no answer of the service's ([`MAX_ANSWER_BYTES`] for a
    /// cancel, [`MAX_ACTION_BYTES`](crate::limits::MAX_ACTION_BYTES) for one bulk action, that many for
    /// each action a page's `count` asks for).
    #[serde(skip)]
    pub max_answer_bytes: usize,
}

impl HttpRequest {
    /// The same request with the token replaced, safe to show or log.
    pub fn redacted(&self) -> HttpRequest {
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| match *name {
                "Authorization" => (*name, "Bearer [redacted]".to_owned()),
                _ => (*name, value.clone()),
            })
            .collect();
        HttpRequest {
            headers,
            ..self.clone()
        }
    }

    /// The request as a JSON object, headers as an object of names and values and a missing
    /// body as `null`: the preview the wasm build hands to JS (smaller in wasm than serde's
    /// flattening serialiser, bench/size.mjs).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"method\":");
        write_string(&mut out, self.method);
        out.push_str(",\"url\":");
        write_string(&mut out, &self.url);
        out.push_str(",\"headers\":{");
        for (i, (name, value)) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(&mut out, name);
            out.push(':');
            write_string(&mut out, value);
        }
        out.push_str("},\"body\":");
        match &self.body {
            Some(body) => write_string(&mut out, body),
            None => out.push_str("null"),
        }
        out.push('}');
        out
    }
}

/// Prints the redacted request: a `Debug` print must never show the token.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let safe = self.redacted();
        f.debug_struct("HttpRequest")
            .field("method", &safe.method)
            .field("url", &safe.url)
            .field("headers", &safe.headers)
            .field("body", &safe.body)
            .field("max_answer_bytes", &safe.max_answer_bytes)
            .finish()
    }
}

fn headers_as_map<S: serde::Serializer>(headers: &[(&'static str, String)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(headers.iter().map(|(k, v)| (k, v)))
}

/// Builds the one request for `request` on `account`.
///
/// Fails when it takes more than one request: an id list over the per-request limits (send it
/// through [`Cancellation::new`](crate::Cancellation::new), which splits it), or filters that make a URL longer
/// than [`MAX_URL_BYTES`] in the query form.
pub fn build(account: &Account, request: &CancelRequest) -> Result<HttpRequest, Error> {
    let target = match &request.target {
        Target::Ids(ids) => {
            let requests = split_ids(account, ids, request.encoding).len();
            if requests > 1 {
                return Err(Error::invalid(
                    "workflowRunIds",
                    format!(
                        "has {} ids, which take {requests} requests; send them through Cancellation::new, which splits them",
                        ids.len()
                    ),
                ));
            }
            What::Ids(ids, 0..ids.len())
        }
        Target::Filters(filters) => What::Filters(filters),
        Target::All => What::All,
    };
    build_what(
        account,
        target,
        request.count,
        request.encoding,
        request.background,
    )
}

/// The request for one batch of an id-list cancel, encoded straight from the slice (a long list
/// is never copied per batch).
pub(crate) fn build_ids(
    account: &Account,
    ids: &StringList,
    batch: Range<usize>,
    encoding: Encoding,
) -> Result<HttpRequest, Error> {
    build_what(account, What::Ids(ids, batch), None, encoding, false)
}

/// A borrowed [`Target`]; for ids, the batch of the list to send.
#[derive(Clone)]
enum What<'a> {
    Ids(&'a StringList, Range<usize>),
    Filters(&'a Filters),
    All,
}

fn build_what(
    account: &Account,
    target: What,
    count: Option<u64>,
    encoding: Encoding,
    background: bool,
) -> Result<HttpRequest, Error> {
    let mut url = account.base_url.endpoint();
    let mut headers = vec![("Authorization", ["Bearer ", account.token.expose()].concat())];
    if let What::All = target {
        headers.push((CANCEL_ALL_HEADER, "true".to_owned()));
    }
    let body = match encoding {
        Encoding::Body => {
            headers.push(("Content-Type", "application/json".to_owned()));
            Some(json_body(&target))
        }
        Encoding::Query => {
            write_query(&mut url, &target, count, background);
            if url.len() > MAX_URL_BYTES {
                let field = match target {
                    What::Ids(..) => "workflowRunIds",
                    _ => "options",
                };
                return Err(Error::invalid(
                    field,
                    format!(
                        "makes a {}-byte URL in the query form, over the {MAX_URL_BYTES}-byte limit many proxies enforce; use encoding: \"body\" or fewer values",
                        url.len()
                    ),
                ));
            }
            None
        }
    };
    Ok(HttpRequest {
        method: "DELETE",
        url,
        headers,
        body,
        max_answer_bytes: MAX_ANSWER_BYTES,
    })
}

/// The JSON body of the seed page. Validation has already refused what the body form cannot
/// carry (several values, the newer filters, `count`).
fn json_body(target: &What) -> String {
    let mut out = String::from("{");
    let mut first = true;
    let mut key = |out: &mut String, name: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        write_string(out, name);
        out.push(':');
    };
    match target {
        What::All => {}
        What::Ids(ids, batch) => {
            key(&mut out, "workflowRunIds");
            let joined = ids.joined(batch.clone());
            // Room for the batch as it usually is (no id needing an escape): grown by doubling,
            // each 64 KB body was copied about ten times on the way.
            out.reserve(joined.len() + r#"""","#.len() * batch.len() + "[]}".len());
            out.push('[');
            if escapes_len(joined) == 0 {
                // Nearly always, as one scan of the batch's text finds: each id copied whole,
                // with no scan of its own (a third of the wasm's time between requests).
                let mut before = "\"";
                for id in ids.range(batch.clone()) {
                    out.push_str(before);
                    out.push_str(id);
                    before = "\",\"";
                }
                if !batch.is_empty() {
                    out.push('"');
                }
            } else {
                for (n, id) in ids.range(batch.clone()).enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    write_string(&mut out, id);
                }
            }
            out.push(']');
        }
        What::Filters(f) => {
            for (name, values) in [("workflowUrl", &f.workflow_url), ("label", &f.label)] {
                if let Some(value) = values.iter().next() {
                    key(&mut out, name);
                    write_string(&mut out, value);
                }
            }
            for (name, date) in [("fromDate", f.from_date), ("toDate", f.to_date)] {
                if let Some(ms) = date {
                    key(&mut out, name);
                    out.push_str(&ms.to_string());
                }
            }
        }
    }
    out.push('}');
    out
}

/// Appends the query (`?` and the pairs) to `url`, if there is any.
fn write_query(url: &mut String, target: &What, count: Option<u64>, background: bool) {
    let mut separator = '?';
    if let What::Ids(ids, batch) = target {
        // The hot case (1,000,000 ids make 5,781 URLs): a plain loop, into a URL that never grows
        // (batches are split to stay under the limit). Nearly always no id needs encoding, as
        // one scan of the batch's text finds, and each is copied whole.
        url.reserve(MAX_URL_BYTES.saturating_sub(url.len()));
        let plain = percent_added_len(ids.joined(batch.clone())) == 0;
        for id in ids.range(batch.clone()) {
            url.push_str(match separator {
                '?' => "?workflowRunIds=",
                _ => "&workflowRunIds=",
            });
            match plain {
                true => url.push_str(id),
                false => percent_encode(url, id),
            }
            separator = '&';
        }
    }
    let mut pair = |name: &str, value: &str| {
        url.push(separator);
        separator = '&';
        url.push_str(name);
        url.push('=');
        percent_encode(url, value);
    };
    let many = |pair: &mut dyn FnMut(&str, &str), name: &str, values: &mut dyn Iterator<Item = &str>| {
        values.for_each(|v| pair(name, v));
    };
    if let What::Filters(f) = target {
        many(&mut pair, "workflowUrl", &mut f.workflow_url.iter());
        if f.workflow_url_exact_match {
            pair("workflowUrlExactMatch", "true");
        }
        many(&mut pair, "label", &mut f.label.iter());
        for (name, date) in [("fromDate", f.from_date), ("toDate", f.to_date)] {
            if let Some(ms) = date {
                pair(name, &ms.to_string());
            }
        }
        many(&mut pair, "callerIp", &mut f.caller_ip.iter());
        many(&mut pair, "flowControlKey", &mut f.flow_control_key.iter());
        many(&mut pair, "host", &mut f.host.iter());
        many(&mut pair, "path", &mut f.path.iter());
    }
    if let Some(count) = count {
        pair("count", &count.to_string());
    }
    if background {
        pair("async", "true");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_written_the_same_whether_its_ids_need_encoding_or_not() {
        let account = Account::new("token", None).expect("an account");
        // Plain batches (each id copied whole) and batches where one id needs encoding, at its
        // start, middle or end (each id written on its own).
        for items in [
            &["wfr_1"][..],
            &["wfr_1", "wfr_2", "wfr_3"],
            &["", "wfr_2", ""],
            &["wfr_\"1", "wfr_2"],
            &["wfr_1", "a\\b", "wfr_3"],
            &["wfr_1", "wfr_2", "ctl\u{1}"],
            &["wfr_1", "é&x", "wfr_3 "],
        ] {
            // In a list as read, and in one with repeats (plain, and needing encoding) dropped
            // from between the ids (for ids that are no repeats themselves).
            let read: StringList = ["before"]
                .iter()
                .chain(items)
                .chain(&["after"])
                .copied()
                .collect();
            check(&account, &read, 1, items);
            let mut deduped: StringList = ["a&\"", "before"]
                .into_iter()
                .chain(items.iter().flat_map(|&id| [id, "before", "a&\""]))
                .chain(["after"])
                .collect();
            deduped.dedup();
            if deduped.len() == items.len() + 3 {
                check(&account, &deduped, 2, items);
            }
        }
    }

    /// Checks the body and the URL of the batch of `list` that holds `items`, from `first`.
    fn check(account: &Account, list: &StringList, first: usize, items: &[&str]) {
        let batch = first..first + items.len();
        assert_eq!(list.range(batch.clone()).collect::<Vec<_>>(), items);
        let body = build_ids(account, list, batch.clone(), Encoding::Body).expect("a body");
        let mut expected = String::from(r#"{"workflowRunIds":["#);
        for (n, id) in items.iter().enumerate() {
            if n > 0 {
                expected.push(',');
            }
            write_string(&mut expected, id);
        }
        expected.push_str("]}");
        assert_eq!(body.body.as_deref(), Some(expected.as_str()), "{items:?}");
        let query = build_ids(account, list, batch, Encoding::Query).expect("a URL");
        let mut expected = account.base_url.endpoint();
        for (n, id) in items.iter().enumerate() {
            expected.push_str(if n == 0 {
                "?workflowRunIds="
            } else {
                "&workflowRunIds="
            });
            percent_encode(&mut expected, id);
        }
        assert_eq!(query.url, expected, "{items:?}");
    }
}
