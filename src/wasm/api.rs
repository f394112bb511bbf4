//! The functions and class the npm package exports. Each checks its options, plans the call on
//! one of the core's machines and hands it to the JS executor (`src/wasm/js/drive.js`), which
//! carries it out with `fetch`.

use js_sys::{Function, JsString, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::call::{now, seed, Call, Machine};
use super::error::to_js;
use super::input::{options_from_js, Env, Hooks};
use crate::call::action_listing::ActionListing;
use crate::call::action_wait::ActionWait;
use crate::call::cancellation::Cancellation;
use crate::call::exchange::Exchange;
use crate::error::Error;
use crate::limits::MAX_STRING_UNITS;
use crate::rules::account::Account;
use crate::rules::env::from_env_at;
use crate::rules::request::CancelRequest;
use crate::rules::token::fingerprint;
use crate::rules::validate::{
    long_string, parse_bulk_read, parse_call, parse_connection, parse_env_options, parse_request, ReadKind,
};
use crate::text::json::write_string;
use crate::wire::http_request::build;

#[wasm_bindgen(module = "/src/wasm/js/drive.js")]
extern "C" {
    /// Carries `call` out and returns the promise of its result; `on_report` sees each report,
    /// and `freed` fires when the call's client is freed (its wait ends at once).
    fn drive(
        call: Call,
        signal: Option<AbortSignal>,
        on_report: Option<Function>,
        freed: Option<AbortSignal>,
    ) -> Promise;
    /// Carries a listing out, a page at a time, as an async iterator of its actions.
    fn pages(call: Call, signal: Option<AbortSignal>) -> JsValue;
    /// An async iterator whose first `next()` rejects with `err` (a refused listing). (Bound
    /// with `catch`, though it cannot throw: a plain `JsValue -> JsValue` import is imported
    /// whole from the module, which scripts/inline-snippets.mjs cannot fold.)
    #[wasm_bindgen(catch)]
    fn refused(err: JsValue) -> Result<JsValue, JsValue>;
}

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
    read_promise(None, options, ReadKind::Action, None)
}

/// `listBulkActions({ token, baseUrl, state, cursor, count, ... })`: one page of bulk actions.
#[wasm_bindgen(js_name = listBulkActions)]
pub fn list_bulk_actions(options: JsValue) -> Promise {
    read_promise(None, options, ReadKind::Page, None)
}

/// `waitForBulkAction({ token, baseUrl, actionId, pollMs, deadlineMs, onProgress, ... })`: reads
/// the action every `pollMs` until it is FINISHED.
#[wasm_bindgen(js_name = waitForBulkAction)]
pub fn wait_for_bulk_action(options: JsValue) -> Promise {
    read_promise(None, options, ReadKind::Wait, None)
}

/// `listAllBulkActions({ token, baseUrl, state, cursor, count, maxPages, ... })`: every bulk
/// action, page after page, as an async iterator. A refusal throws on its first `next()`.
#[wasm_bindgen(js_name = listAllBulkActions)]
pub fn list_all_bulk_actions(options: JsValue) -> JsValue {
    listing(None, options)
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
/// ([`Token::fingerprint`](crate::Token::fingerprint)). Any non-empty string: a person may
/// fingerprint what they pasted. The package returns it as a promise, as it did when Web Crypto
/// computed it.
#[wasm_bindgen(js_name = tokenFingerprint)]
pub fn token_fingerprint(token: JsValue) -> Result<String, JsValue> {
    // Its length first, as for every option: copied into the wasm, a string of 2^29 characters
    // was 1.6 GB of UTF-8 and the allocation trapped.
    let units = token.dyn_ref::<JsString>().map_or(0, JsString::length);
    if units as usize > MAX_STRING_UNITS {
        return Err(to_js(long_string("token", units.into())));
    }
    match token.as_string().filter(|token| !token.is_empty()) {
        Some(token) => Ok(fingerprint(&token)),
        None => Err(to_js(Error::invalid("token", "must be a non-empty string"))),
    }
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
        let base_url = match options.is_undefined() {
            true => Ok(None),
            false => options_from_js(&options).and_then(|(o, _)| parse_env_options(&o)),
        };
        let account = base_url
            .and_then(|base_url| {
                let env = Env::from_js(&env)?;
                let account = from_env_at(|name| env.get(name), base_url.as_deref());
                env.fault().map_or(account, Err)
            })
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
        read_promise(Some(&self.account), options, ReadKind::Action, None)
    }

    /// `client.listBulkActions({ state, cursor, count, ... })`.
    #[wasm_bindgen(js_name = listBulkActions)]
    pub fn list_bulk_actions(&self, options: JsValue) -> Promise {
        read_promise(Some(&self.account), options, ReadKind::Page, None)
    }

    /// `client.waitForBulkAction({ actionId, ... })`; `freed` fires when the package's client
    /// is freed, which ends the wait.
    #[wasm_bindgen(js_name = waitForBulkAction)]
    pub fn wait_for_bulk_action(&self, options: JsValue, freed: Option<AbortSignal>) -> Promise {
        read_promise(Some(&self.account), options, ReadKind::Wait, freed)
    }

    /// `client.listAllBulkActions({ state, count, maxPages, ... })`.
    #[wasm_bindgen(js_name = listAllBulkActions)]
    pub fn list_all_bulk_actions(&self, options: JsValue) -> JsValue {
        listing(Some(&self.account), options)
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
/// summary (a background cancel: to `{ actionId }`). The options are read and checked before
/// this returns (a refusal is a rejected promise, and nothing is sent).
fn cancel_promise(account: Option<Account>, options: JsValue, detailed: bool) -> Promise {
    let planned = options_from_js(&options).and_then(|(options, hooks)| {
        let (account, request) = match account {
            Some(account) => (account, parse_request(&options)?),
            None => parse_call(&options)?,
        };
        let machine = match request.background() {
            true => Machine::Start(Exchange::start(&account, &request, now(), seed())?),
            false => Machine::Cancel(Cancellation::new(&account, request, now(), seed())?, detailed),
        };
        Ok((Call::new(machine, hooks.on_progress.is_some()), hooks))
    });
    match planned {
        Ok((call, hooks)) => drive(call, hooks.signal, hooks.on_progress, None),
        Err(err) => Promise::reject(&to_js(err)),
    }
}

/// Checks the options of a read of bulk actions (`kind`) and plans it: the machine and the
/// caller's hooks.
fn read(account: Option<&Account>, options: &JsValue, kind: ReadKind) -> Result<(Call, Hooks), Error> {
    let (options, hooks) = options_from_js(options)?;
    let (account, read) = parse_bulk_read(&options, account, kind)?;
    let (now, seed, id) = (now(), seed(), read.action_id.as_deref().unwrap_or_default());
    let machine = match kind {
        ReadKind::Action => Machine::Action(Exchange::action(&account, id, &read.call_options, now, seed)?),
        ReadKind::Page => Machine::Page(Exchange::page(
            &account,
            &read.page,
            &read.call_options,
            now,
            seed,
        )),
        ReadKind::Wait => Machine::Wait(ActionWait::new(
            &account,
            id,
            &read.call_options,
            read.poll_ms,
            now,
            seed,
        )?),
        ReadKind::Listing => Machine::Listing(ActionListing::new(
            &account,
            read.page,
            &read.call_options,
            read.max_pages,
            seed,
        )?),
    };
    let reports = hooks.on_progress.is_some() || kind == ReadKind::Listing;
    Ok((Call::new(machine, reports), hooks))
}

/// The promise of a read of bulk actions: one action, one page, or a wait (whose `onProgress`
/// sees each reading).
fn read_promise(
    account: Option<&Account>,
    options: JsValue,
    kind: ReadKind,
    freed: Option<AbortSignal>,
) -> Promise {
    match read(account, &options, kind) {
        Ok((call, hooks)) => drive(call, hooks.signal, hooks.on_progress, freed),
        Err(err) => Promise::reject(&to_js(err)),
    }
}

/// The async iterator of a listing; a refusal is thrown by its first `next()`.
fn listing(account: Option<&Account>, options: JsValue) -> JsValue {
    match read(account, &options, ReadKind::Listing) {
        Ok((call, hooks)) => pages(call, hooks.signal),
        Err(err) => refused(to_js(err)).unwrap_or_else(|thrown| thrown),
    }
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
