//! The functions and class the npm package exports.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::to_js;
use super::execute::execute;
use super::input::{env_from_js, options_from_js};
use super::plain::to_plain;
use crate::error::Error;
use crate::http_request::HttpRequest;
use crate::request::{CancelRequest, Connection};
use crate::run::{Run, Summary};
use crate::validate::{parse_call, parse_connection, parse_request};

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

/// `previewRequest(options)`: the (first) request exactly as `cancelRuns` would send it, token
/// redacted.
#[wasm_bindgen(js_name = previewRequest)]
pub fn preview_request(options: JsValue) -> Result<JsValue, JsValue> {
    let (connection, request) = options_from_js(&options)
        .and_then(|(o, _)| parse_call(&o))
        .map_err(to_js)?;
    preview(&connection, request)
}

/// A connection checked once and reused for many cancels.
#[wasm_bindgen]
pub struct Client {
    connection: Connection,
}

#[wasm_bindgen]
impl Client {
    /// `new Client({ token, baseUrl })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        let connection = options_from_js(&options)
            .and_then(|(o, _)| parse_connection(&o))
            .map_err(to_js)?;
        Ok(Client { connection })
    }

    /// `Client.fromEnv(env?)`: the connection from `QSTASH_TOKEN` / `QSTASH_URL`, or
    /// `QSTASH_REGION` with `<REGION>_QSTASH_TOKEN` / `<REGION>_QSTASH_URL`.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(env: JsValue) -> Result<Client, JsValue> {
        let connection = env_from_js(&env).and_then(crate::env::from_env).map_err(to_js)?;
        Ok(Client { connection })
    }

    /// `client.cancelRuns(options)`: like the function, with the client's connection.
    #[wasm_bindgen(js_name = cancelRuns)]
    pub fn cancel_runs(&self, options: JsValue) -> Promise {
        cancel_promise(Some(self.connection.clone()), options, false)
    }

    /// `client.cancelRunsDetailed(options)`.
    #[wasm_bindgen(js_name = cancelRunsDetailed)]
    pub fn cancel_runs_detailed(&self, options: JsValue) -> Promise {
        cancel_promise(Some(self.connection.clone()), options, true)
    }

    /// `client.previewRequest(options)`.
    #[wasm_bindgen(js_name = previewRequest)]
    pub fn preview_request(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let request = options_from_js(&options)
            .and_then(|(o, _)| parse_request(&o))
            .map_err(to_js)?;
        preview(&self.connection, request)
    }
}

/// The promise of every cancel export: one future type for all four, where an `async fn` each
/// compiled the executor's machinery again (0.9 KB gzip more wasm, scripts/sizes.mjs). It resolves to the
/// count, or with `detailed` to the summary.
fn cancel_promise(connection: Option<Connection>, options: JsValue, detailed: bool) -> Promise {
    future_to_promise(async move {
        let summary = cancel(connection, options).await.map_err(to_js)?;
        match detailed {
            true => to_plain(&summary),
            false => Ok(JsValue::from_f64(summary.cancelled as f64)),
        }
    })
}

/// Checks `options` (with the client's connection, if any) and carries the call out.
async fn cancel(connection: Option<Connection>, options: JsValue) -> Result<Summary, Error> {
    let (options, hooks) = options_from_js(&options)?;
    let (connection, request) = match connection {
        Some(connection) => (connection, parse_request(&options)?),
        None => parse_call(&options)?,
    };
    execute(&connection, request, hooks).await
}

/// The first request of the call, redacted, and how many requests a pass sends (a long id list
/// is split).
fn preview(connection: &Connection, request: CancelRequest) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Preview {
        // A run always has a first request; `Option` keeps the lookup free of a panic path.
        #[serde(flatten)]
        first: Option<HttpRequest>,
        requests: usize,
    }
    let run = Run::new(connection, request).map_err(to_js)?;
    to_plain(&Preview {
        first: run.request(0).map(HttpRequest::redacted),
        requests: run.batches(),
    })
}
