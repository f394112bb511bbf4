//! Bulk actions: how the service tracks a filter cancel it carries out in the background
//! (`GET /v2/workflows/bulkActions` and `GET /v2/workflows/bulkActions/{actionId}`). The requests
//! and the tolerant reading of the answers; waiting for one and paging through all of them are
//! loops over these steps.
//!
//! Documented by the service: the two routes, a bulk action's fields, cursor paging with the
//! `state` filter applied per page, 404 for an unknown id. Not published: the full answer of a
//! cancel started with `async=true`; it is read as any 2xx JSON carrying a string `actionId`.

use crate::error::Error;
use crate::limits::{max_page_bytes, MAX_ACTION_BYTES};
use crate::rules::account::Account;
use crate::rules::bulk_read::{action_id_rule, is_cursor, ActionState, ListQuery, CURSOR_RULE};
use crate::rules::token::Token;
use crate::text::json::{write_string, Json};
use crate::text::percent::percent_encode;
use crate::wire::http_request::HttpRequest;
use crate::wire::response::{holds_token, invalid, success_json, HttpResponse};

/// The path of the bulk-action routes, after the base URL.
pub const BULK_ACTIONS_PATH: &str = "/v2/workflows/bulkActions";

/// One bulk action, as the service describes it.
///
/// It reaches JS as JSON text of exactly these fields ([`BulkAction::to_json`]), not through
/// serde: serialising nested structs with serde-wasm-bindgen brought its field-name cache (and
/// hashbrown) back into the wasm, 1.3 KB for that alone.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkAction {
    /// Its id.
    pub action_id: String,
    /// What it does (`cancel`).
    pub kind: String,
    /// Where it stands.
    pub state: ActionState,
    /// The in-progress runs that matched the filter when it was created.
    pub total: u64,
    /// The runs processed so far.
    pub processed: u64,
    /// When it was created, Unix ms.
    pub created_at: u64,
    /// When it finished, Unix ms (only once finished).
    pub completed_at: Option<u64>,
    /// The filter it was created with: filter name and the values given.
    pub filter: Vec<(String, Vec<String>)>,
}

impl BulkAction {
    /// The action as JSON with camelCase keys (`completedAt: null` until it finishes).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"actionId\":");
        write_string(&mut out, &self.action_id);
        out.push_str(",\"kind\":");
        write_string(&mut out, &self.kind);
        out.push_str(",\"state\":\"");
        out.push_str(self.state.as_str());
        for (key, n) in [
            ("\",\"total\":", Some(self.total)),
            (",\"processed\":", Some(self.processed)),
            (",\"createdAt\":", Some(self.created_at)),
            (",\"completedAt\":", self.completed_at),
        ] {
            out.push_str(key);
            out.push_str(&n.map_or_else(|| "null".to_owned(), |n| n.to_string()));
        }
        out.push_str(",\"filter\":{");
        for (i, (name, values)) in self.filter.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(&mut out, name);
            out.push_str(":[");
            for (j, value) in values.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_string(&mut out, value);
            }
            out.push(']');
        }
        out.push_str("}}");
        out
    }

    /// What a wait reports of a reading (`onProgress`): the id, the state and the two figures.
    pub fn progress_json(&self) -> String {
        let mut out = String::from("{\"actionId\":");
        write_string(&mut out, &self.action_id);
        let (state, processed, total) = (self.state.as_str(), self.processed, self.total);
        out.push_str(&format!(
            ",\"state\":\"{state}\",\"processed\":{processed},\"total\":{total}}}"
        ));
        out
    }
}

/// One page of bulk actions and the cursor of the next (none: the last page).
#[derive(Clone, Debug, PartialEq)]
pub struct BulkActionPage {
    /// The actions of this page (may be none while more remain: `state` is applied per page).
    pub bulk_actions: Vec<BulkAction>,
    /// Where the next page starts.
    pub cursor: Option<String>,
}

impl BulkActionPage {
    /// The page as JSON: `{"bulkActions":[...],"cursor":...}` (`null` on the last page).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"bulkActions\":[");
        for (i, action) in self.bulk_actions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&action.to_json());
        }
        out.push_str("],\"cursor\":");
        match &self.cursor {
            Some(cursor) => write_string(&mut out, cursor),
            None => out.push_str("null"),
        }
        out.push('}');
        out
    }
}

/// The request that reads the bulk action `action_id` (checked by [`action_id_rule`]).
pub fn get_request(account: &Account, action_id: &str) -> HttpRequest {
    let mut url = [account.base_url().as_str(), BULK_ACTIONS_PATH, "/"].concat();
    percent_encode(&mut url, action_id);
    get(account.token(), url, MAX_ACTION_BYTES)
}

/// The request that reads one page of bulk actions.
pub fn list_request(account: &Account, query: &ListQuery) -> HttpRequest {
    let mut url = [account.base_url().as_str(), BULK_ACTIONS_PATH].concat();
    let mut separator = '?';
    let mut pair = |name: &str, value: &str| {
        url.push(separator);
        separator = '&';
        url.push_str(name);
        url.push('=');
        percent_encode(&mut url, value);
    };
    if let Some(cursor) = &query.cursor {
        pair("cursor", cursor);
    }
    if let Some(count) = query.count {
        pair("count", &count.to_string());
    }
    if let Some(state) = query.state {
        pair("state", state.as_str());
    }
    get(account.token(), url, max_page_bytes(query.count))
}

/// A GET with the token, reading at most `max_answer_bytes` of the answer.
fn get(token: &Token, url: String, max_answer_bytes: usize) -> HttpRequest {
    HttpRequest {
        method: "GET",
        url,
        headers: vec![("Authorization", ["Bearer ", token.expose()].concat())],
        body: None,
        max_answer_bytes,
    }
}

/// The bulk action of a 2xx answer to `request` (made by [`get_request`]), or the error the
/// answer means (a 404 is the service's "Bulk action not found"). An answer about another action
/// than the one asked for is refused: a wait for one action must never end on another's state.
pub fn read_action(
    request: &HttpRequest,
    response: &HttpResponse,
    token: &Token,
) -> Result<BulkAction, Error> {
    let doc = data(response, token, "a bulk action")?;
    let action = action(&doc).map_err(|why| invalid(response, token, why))?;
    // The request's last path segment is the id asked for, percent-encoded (which has no `/`).
    let mut asked = String::from("/");
    percent_encode(&mut asked, &action.action_id);
    match request.url.ends_with(&asked) {
        true => Ok(action),
        false => Err(invalid(
            response,
            token,
            "an answer about another bulk action than the one asked for".to_owned(),
        )),
    }
}

/// The page of a 2xx answer, or the error the answer means. A page longer than its request reads
/// ([`list_request`] reads `count` of the largest actions the service can describe) is refused,
/// saying how to go past it: the caller still holds the cursor it was asked with.
pub fn read_page(response: &HttpResponse, token: &Token) -> Result<BulkActionPage, Error> {
    let doc = data(response, token, "a page of bulk actions").map_err(|mut err| {
        if response.cut {
            err.message
                .push_str(": list again from the same cursor with a smaller count");
        }
        err
    })?;
    let page = |doc: &Json| {
        let Some(Json::Array(items)) = doc.get("bulkActions") else {
            return Err("\"bulkActions\" is not an array".to_owned());
        };
        let bulk_actions = items
            .iter()
            .enumerate()
            .map(|(i, item)| action(item).map_err(|why| format!("bulkActions[{i}]: {why}")))
            .collect::<Result<_, _>>()?;
        let cursor = match doc.get("cursor") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) if s.is_empty() => None,
            // It goes into the next page's request, where the caller would be blamed for it.
            Some(Json::String(s)) if !is_cursor(s) => {
                return Err([
                    "a \"cursor\" that breaks the cursor rule (",
                    CURSOR_RULE,
                    "), so no next page can be asked for with it",
                ]
                .concat())
            }
            Some(Json::String(s)) => Some(s.clone()),
            Some(_) => return Err("\"cursor\" is not a string".to_owned()),
        };
        Ok(BulkActionPage { bulk_actions, cursor })
    };
    page(&doc).map_err(|why| invalid(response, token, why))
}

/// The `actionId` of the answer to a cancel started with `async=true`.
pub fn read_started(response: &HttpResponse, token: &Token) -> Result<String, Error> {
    let doc = data(response, token, "the id of the bulk action it started")?;
    let id = string(&doc, "actionId").map_err(|why| invalid(response, token, why))?;
    match action_id_rule(&id) {
        Some(rule) => Err(invalid(response, token, format!("\"actionId\" {rule}"))),
        None => Ok(id),
    }
}

/// The JSON of a 2xx answer whose content goes to the caller as data, unlike a cancel's count: an
/// answer that holds the token (a server echoing it in a field) is refused whole, or a proxy that
/// passes the data on (the admin Worker) would hand the token to its caller.
fn data(response: &HttpResponse, token: &Token, expected: &str) -> Result<Json, Error> {
    let doc = success_json(response, token, expected)?;
    match holds_token(token, &response.body) {
        true => Err(invalid(
            response,
            token,
            "an answer that holds the token, which is not passed on".to_owned(),
        )),
        false => Ok(doc),
    }
}

/// A bulk action from its JSON: unknown fields ignored, a missing or mistyped one named.
fn action(doc: &Json) -> Result<BulkAction, String> {
    // In the order the service lists the fields, so the first broken one is named.
    let action_id = string(doc, "actionId")?;
    let kind = string(doc, "kind")?;
    let state = match string(doc, "state")?.as_str() {
        "IN_PROGRESS" => ActionState::InProgress,
        "FINISHED" => ActionState::Finished,
        _ => return Err("\"state\" is neither IN_PROGRESS nor FINISHED".to_owned()),
    };
    let completed_at = match doc.get("completedAt") {
        None | Some(Json::Null) => None,
        Some(_) => Some(whole(doc, "completedAt")?),
    };
    let filter = match doc.get("filter") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Object(fields)) => fields
            .iter()
            .map(|(name, values)| {
                let values = match values {
                    Json::Array(items) => items
                        .iter()
                        .map(|item| filter_value(name, item))
                        .collect::<Result<_, _>>()?,
                    one => vec![filter_value(name, one)?],
                };
                Ok((name.clone(), values))
            })
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("\"filter\" is not an object".to_owned()),
    };
    let (total, processed) = (whole(doc, "total")?, whole(doc, "processed")?);
    if processed > total {
        return Err(format!(
            "\"processed\" ({processed}) is above \"total\" ({total}), which no action can be"
        ));
    }
    Ok(BulkAction {
        action_id,
        kind,
        state,
        total,
        processed,
        created_at: whole(doc, "createdAt")?,
        completed_at,
        filter,
    })
}

/// One value of the filter `name` as text (dates come as numbers, flags as booleans).
fn filter_value(name: &str, value: &Json) -> Result<String, String> {
    match value {
        Json::String(s) => Ok(s.clone()),
        Json::Bool(b) => Ok(b.to_string()),
        other => other.as_whole().map(|n| n.to_string()).ok_or_else(|| {
            format!("\"filter\".{name} holds a value that is neither a string nor a whole number")
        }),
    }
}

fn string(doc: &Json, key: &str) -> Result<String, String> {
    match doc.get(key) {
        Some(Json::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("\"{key}\" is not a string")),
        None => Err(format!("\"{key}\" is missing")),
    }
}

/// A non-negative integer a JS number holds exactly.
fn whole(doc: &Json, key: &str) -> Result<u64, String> {
    match doc.get(key) {
        Some(value) => value
            .as_whole()
            .ok_or_else(|| format!("\"{key}\" is not a non-negative integer")),
        None => Err(format!("\"{key}\" is missing")),
    }
}
