//! The functions and class the npm package exports.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

use super::error::to_js;
use super::execute::{send_one, Driver, Output};
use super::input::{env_from_js, options_from_js};
use super::plain::from_json;
use crate::call::cancellation::Cancellation;
use crate::error::Error;
use crate::rules::account::Account;
use crate::rules::call_options::CallOptions;
use crate::rules::env::from_env_at;
use crate::rules::request::CancelRequest;
use crate::rules::token::{fingerprint, Token};
use crate::rules::validate::{parse_bulk_read, parse_call, parse_connection, parse_request};
use crate::rules::value::Value;
use crate::text::json::write_string;
use crate::wire::bulk_action::{get_request, list_request, read_action, read_page, read_started};
use crate::wire::http_request::{build, HttpRequest};
use crate::wire::response::HttpResponse;

/// `cancelRuns(options)`: checks the options, carries the call out, resolves to the count.
#[wasm_bindgen(js_name = cancelRuns)]
pub fn cancel_runs(options: JsValue) -> Promise {
    cancel_promise(None, options, false)
}

/// `cancelRunsDetailed(options)`: like `cancelRuns`, resolving to
/// `{ cancelled, requests, passes, retries }`.
#[wasm_bindgen(js_name = cancelRunsDetailed)]
pub fn cancel_runs_detailed(options: JsValue) -> Promise {
    cancel_promise(None, options, true)
}

/// `getBulkAction({ token, baseUrl, actionId, ... })`: one bulk action, as the service tracks a
/// cancel started with `async: true`.
#[wasm_bindgen(js_name = getBulkAction)]
pub fn get_bulk_action(options: JsValue) -> Promise {
    bulk_promise(None, options, false)
}

/// `listBulkActions({ token, baseUrl, state, cursor, count, ... })`: one page of bulk actions.
#[wasm_bindgen(js_name = listBulkActions)]
pub fn list_bulk_actions(options: JsValue) -> Promise {
    bulk_promise(None, options, true)
}

/// `previewRequest(options)`: the (first) request exactly as `cancelRuns` would send it, token
/// redacted.
#[wasm_bindgen(js_name = previewRequest)]
pub fn preview_request(options: JsValue) -> Result<JsValue, JsValue> {
    let (account, request) = options_from_js(&options)
        .and_then(|(o, _)| parse_call(&o))
        .map_err(to_js)?;
    preview(&account, request)
}

/// `tokenFingerprint(token)`: which account a token opens, as `xxxx-xxxx-xxxx`
/// ([`Token::fingerprint`]). Any non-empty string: a person may fingerprint what they pasted.
/// The package returns it as a promise, as it did when Web Crypto computed it.
#[wasm_bindgen(js_name = tokenFingerprint)]
pub fn token_fingerprint(token: JsValue) -> Result<String, JsValue> {
    match token.as_string().filter(|token| !token.is_empty()) {
        Some(token) => Ok(fingerprint(&token)),
        None => Err(to_js(Error::invalid("token", "must be a non-empty string"))),
    }
}

/// The `baseUrl` of `Client.fromEnv`'s options, if given.
fn env_base_url(options: &JsValue) -> Result<Option<String>, Error> {
    if options.is_undefined() {
        return Ok(None);
    }
    let (options, _) = options_from_js(options)?;
    let mut base_url = None;
    for (key, value) in options.entries() {
        match (key, value) {
            (_, Value::Undefined) => {}
            ("baseUrl", Value::String(url)) => base_url = Some(url.clone()),
            ("baseUrl", _) => return Err(Error::invalid("baseUrl", "must be a string")),
            (key, _) => {
                return Err(Error::invalid(
                    key,
                    "is not an option of Client.fromEnv (it takes baseUrl)",
                ))
            }
        }
    }
    Ok(base_url)
}

/// An account checked once and reused for many cancels.
#[wasm_bindgen]
pub struct Client {
    account: Account,
}

#[wasm_bindgen]
impl Client {
    /// `new Client({ token, baseUrl })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        let account = options_from_js(&options)
            .and_then(|(o, _)| parse_connection(&o))
            .map_err(to_js)?;
        Ok(Client { account })
    }

    /// `Client.fromEnv(env?, { baseUrl }?)`: the account from `QSTASH_TOKEN` / `QSTASH_URL`, or
    /// `QSTASH_REGION` with `<REGION>_QSTASH_TOKEN` / `<REGION>_QSTASH_URL`; `baseUrl` in place
    /// of the variables' URL.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(env: JsValue, options: JsValue) -> Result<Client, JsValue> {
        let account = env_base_url(&options)
            .and_then(|base_url| from_env_at(env_from_js(&env)?, base_url.as_deref()))
            .map_err(to_js)?;
        Ok(Client { account })
    }

    /// `client.target()`: which account the client's calls hit, as JSON text (the package
    /// parses it): the base URL, the token's fingerprint (never the token), the variable the
    /// token came from and the region, from the account itself.
    pub fn target(&self) -> String {
        let account = &self.account;
        let mut json = String::from("{\"baseUrl\":");
        write_string(&mut json, account.base_url().as_str());
        json.push_str(",\"tokenFingerprint\":");
        write_string(&mut json, &account.token().fingerprint());
        for (key, value) in [("tokenFrom", account.token_from()), ("region", account.region())] {
            json.push_str(",\"");
            json.push_str(key);
            json.push_str("\":");
            match value {
                Some(value) => write_string(&mut json, value),
                None => json.push_str("null"),
            }
        }
        json.push('}');
        json
    }

    /// `client.cancelRuns(options)`: like the function, with the client's account.
    #[wasm_bindgen(js_name = cancelRuns)]
    pub fn cancel_runs(&self, options: JsValue) -> Promise {
        cancel_promise(Some(self.account.clone()), options, false)
    }

    /// `client.cancelRunsDetailed(options)`.
    #[wasm_bindgen(js_name = cancelRunsDetailed)]
    pub fn cancel_runs_detailed(&self, options: JsValue) -> Promise {
        cancel_promise(Some(self.account.clone()), options, true)
    }

    /// `client.getBulkAction({ actionId, ... })`.
    #[wasm_bindgen(js_name = getBulkAction)]
    pub fn get_bulk_action(&self, options: JsValue) -> Promise {
        bulk_promise(Some(self.account.clone()), options, false)
    }

    /// `client.listBulkActions({ state, cursor, count, ... })`.
    #[wasm_bindgen(js_name = listBulkActions)]
    pub fn list_bulk_actions(&self, options: JsValue) -> Promise {
        bulk_promise(Some(self.account.clone()), options, true)
    }

    /// `client.previewRequest(options)`.
    #[wasm_bindgen(js_name = previewRequest)]
    pub fn preview_request(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let request = options_from_js(&options)
            .and_then(|(o, _)| parse_request(&o))
            .map_err(to_js)?;
        preview(&self.account, request)
    }
}

/// The promise of every cancel export: it resolves to the count, or with `detailed` to the
/// summary. The options are read and checked before this returns (a refusal is a rejected
/// promise, and nothing is sent).
fn cancel_promise(account: Option<Account>, options: JsValue, detailed: bool) -> Promise {
    let output: Output = match detailed {
        true => |result| Ok(from_json(&result.map_err(to_js)?.to_json())),
        false => |result| Ok(JsValue::from_f64(result.map_err(to_js)?.cancelled as f64)),
    };
    match cancel(account, options) {
        Ok(Call::Cancel(driver)) => driver.start(output),
        Ok(Call::Background(started)) => future_to_promise(async move {
            // `{ actionId }`, the id of the bulk action the service started.
            let action_id = JsFuture::from(started).await?;
            let started = js_sys::Object::new();
            js_sys::Reflect::set(&started, &"actionId".into(), &action_id)?;
            Ok(started.into())
        }),
        Err(err) => Promise::reject(&to_js(err)),
    }
}

/// A checked cancel: carried out here, or (`async: true`) started in the background, with the
/// promise of the id of the bulk action the service started.
enum Call {
    Cancel(Box<Driver>),
    Background(Promise),
}

/// Checks `options` (with the client's account, if any) and plans the call.
fn cancel(account: Option<Account>, options: JsValue) -> Result<Call, Error> {
    let (options, hooks) = options_from_js(&options)?;
    let (account, request) = match account {
        Some(account) => (account, parse_request(&options)?),
        None => parse_call(&options)?,
    };
    if !request.background() {
        return Driver::new(&account, request, hooks).map(|driver| Call::Cancel(Box::new(driver)));
    }
    // One request: the service answers at once with the id of the bulk action it started.
    let http = build(&account, &request)?;
    let call_options = request.call_options().clone();
    let token = account.token();
    Ok(Call::Background(one_request(
        token,
        call_options,
        hooks.signal,
        http,
        true,
        |_, r, t| read_started(r, t),
    )))
}

/// What turns the answer to a request into the text a single request resolves to.
type Reader = fn(&HttpRequest, &HttpResponse, &Token) -> Result<String, Error>;

/// One request outside a cancel's bookkeeping as a promise of `read`'s text ([`send_one`]): the
/// bulk reads and the start of a background cancel (`start`) share this one copy of the request
/// machinery (a copy per caller measured 8 KB of wasm).
fn one_request(
    token: &Token,
    call_options: CallOptions,
    signal: Option<AbortSignal>,
    http: HttpRequest,
    start: bool,
    read: Reader,
) -> Promise {
    let token = token.clone();
    future_to_promise(async move {
        let text = send_one(&token, &call_options, signal.as_ref(), &http, start, read).await;
        text.map(JsValue::from).map_err(to_js)
    })
}

/// The promise of the bulk-action reads: one action, or (`page`) one page of them, as JSON text
/// (the package parses it: serde-wasm-bindgen for these nested structs measured 5 KB of wasm).
fn bulk_promise(account: Option<Account>, options: JsValue, page: bool) -> Promise {
    let checked = options_from_js(&options).and_then(|(options, hooks)| {
        let (account, read) = parse_bulk_read(&options, account.as_ref(), page)?;
        Ok((account, read, hooks))
    });
    let (account, read, hooks) = match checked {
        Ok(checked) => checked,
        Err(err) => return Promise::reject(&to_js(err)),
    };
    let (http, reader): (_, Reader) = match &read.action_id {
        Some(id) => (get_request(&account, id), |q, r, t| {
            read_action(q, r, t).map(|a| a.to_json())
        }),
        None => (list_request(&account, &read.page), |_, r, t| {
            read_page(r, t).map(|p| p.to_json())
        }),
    };
    one_request(
        account.token(),
        read.call_options,
        hooks.signal,
        http,
        false,
        reader,
    )
}

/// The first request of the call, redacted, and how many requests a pass sends (a long id list
/// is split), as JSON text (the package parses it).
fn preview(account: &Account, request: CancelRequest) -> Result<JsValue, JsValue> {
    // A background cancel is its one request (a Cancellation refuses it). Otherwise only the
    // first request is built: a million ids are split, not encoded.
    let (first, requests) = match request.background() {
        true => (build(account, &request), 1),
        false => {
            let call = Cancellation::new(account, request, 0, 0).map_err(to_js)?;
            (call.first_request(), call.requests_per_pass())
        }
    };
    let mut json = first.map_err(to_js)?.redacted().to_json();
    json.pop(); // the closing brace, to add one member
    json.push_str(&format!(",\"requests\":{requests}}}"));
    Ok(json.into())
}
