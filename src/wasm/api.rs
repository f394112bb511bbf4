//! The functions and class the npm package exports.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{error::to_js, fetch, input::options_from_js};
use crate::error::Error;
use crate::http_request::build;
use crate::request::{CancelRequest, Connection};
use crate::response::interpret;
use crate::validate::{parse_call, parse_connection, parse_request};

/// `cancelRuns(options)`: checks the options, sends one request, resolves to the count.
#[wasm_bindgen(js_name = cancelRuns)]
pub async fn cancel_runs(options: JsValue) -> Result<f64, JsValue> {
    let (connection, request) = options_from_js(&options)
        .and_then(|o| parse_call(&o))
        .map_err(to_js)?;
    send_cancel(&connection, &request).await.map_err(to_js)
}

/// `previewRequest(options)`: the request exactly as `cancelRuns` would send it, token redacted.
#[wasm_bindgen(js_name = previewRequest)]
pub fn preview_request(options: JsValue) -> Result<JsValue, JsValue> {
    let (connection, request) = options_from_js(&options)
        .and_then(|o| parse_call(&o))
        .map_err(to_js)?;
    preview(&connection, &request)
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
            .and_then(|o| parse_connection(&o))
            .map_err(to_js)?;
        Ok(Client { connection })
    }

    /// `client.cancelRuns(options)`: like the function, with the client's connection.
    #[wasm_bindgen(js_name = cancelRuns)]
    pub fn cancel_runs(&self, options: JsValue) -> Promise {
        let connection = self.connection.clone();
        future_to_promise(async move {
            let request = options_from_js(&options)
                .and_then(|o| parse_request(&o))
                .map_err(to_js)?;
            let cancelled = send_cancel(&connection, &request).await.map_err(to_js)?;
            Ok(JsValue::from_f64(cancelled))
        })
    }

    /// `client.previewRequest(options)`.
    #[wasm_bindgen(js_name = previewRequest)]
    pub fn preview_request(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let request = options_from_js(&options)
            .and_then(|o| parse_request(&o))
            .map_err(to_js)?;
        preview(&self.connection, &request)
    }
}

async fn send_cancel(connection: &Connection, request: &CancelRequest) -> Result<f64, Error> {
    let http = build(connection, request)?;
    let response = fetch::send(&http, &connection.token).await?;
    interpret(&response, &connection.token).map(|n| n as f64)
}

fn preview(connection: &Connection, request: &CancelRequest) -> Result<JsValue, JsValue> {
    let http = build(connection, request).map_err(to_js)?.redacted();
    http.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}
