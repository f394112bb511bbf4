//! Carrying out a call: the core's [`Cancellation`] decides everything (what to send, retries,
//! waits, the deadline, passes, the tally); this loop only feeds it from `fetch` and the clock,
//! and waits for the first of an answer, a timer and the caller's abort.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::fetch;
use super::plain::to_plain;
use super::signal::is_aborted;
use super::timer::{now_ms, sleep};
use crate::cancellation::{Cancellation, Step, Summary, Transmit};
use crate::error::Error;
use crate::execution::Execution;
use crate::http_request::HttpRequest;
use crate::limits::MAX_SAFE_INTEGER;
use crate::request::{CancelRequest, Connection};
use crate::response::HttpResponse;
use crate::retry::{after_failure, attempt_limit};
use crate::token::Token;

#[wasm_bindgen(module = "/src/wasm/js/execute.js")]
extern "C" {
    /// Calls `onProgress`, ignoring what it throws and what a promise it returns rejects with:
    /// the cancel goes on, and an async callback's failure is no unhandled rejection. Bound with
    /// `catch` too, for what a `catch` block cannot stop (a stack overflow).
    #[wasm_bindgen(catch)]
    fn notify(callback: &Function, progress: &JsValue) -> Result<(), JsValue>;

    /// The first of: a promise of `flights` settling (`[index, resolved, value]`), `ms` passing
    /// or `signal` firing (`[-1]`). The flights are `fetch::start`'s promises, which settle
    /// within their attempt's limit, so this always ends.
    #[wasm_bindgen(js_name = firstOf)]
    fn first_of(flights: &Array, ms: Option<f64>, signal: Option<&AbortSignal>) -> Promise;
}

/// The JS objects a call may carry besides plain options.
#[derive(Default)]
pub struct Hooks {
    /// `signal`: stops the call at once.
    pub signal: Option<AbortSignal>,
    /// `onProgress`: called after every successful request.
    pub on_progress: Option<Function>,
}

/// Runs the whole call and returns its summary, or the error with what was done before it.
pub async fn execute(
    connection: &Connection,
    request: CancelRequest,
    hooks: Hooks,
) -> Result<Summary, Error> {
    let token = connection.token().clone();
    let signal = hooks.signal.as_ref();
    let seed = (js_sys::Math::random() * MAX_SAFE_INTEGER as f64) as u64;
    let mut call = Cancellation::new(connection, request, now(), seed)?;
    // The requests in flight, with the promises of their answers.
    let mut flights: Vec<(Transmit, Promise)> = Vec::new();
    loop {
        // Checked before anything more is sent: an abort here leaves nothing new in flight.
        if is_aborted(signal) {
            call.abort();
        }
        match call.poll(now()) {
            Step::Send(transmit) => {
                match fetch::start(transmit.request(), &token, signal, transmit.limit_ms()) {
                    Ok(promise) => flights.push((transmit, promise)),
                    Err(err) => call.on_error(transmit, err, now()),
                }
            }
            Step::Wait(until) => {
                let Some((index, settled)) = first_settled(&flights, until, signal).await else {
                    continue;
                };
                let (transmit, _) = flights.swap_remove(index);
                match fetch::finish(settled, transmit.request(), &token, transmit.limit_ms()) {
                    Ok(answer) => {
                        let progress = call.on_response(transmit, &answer, now());
                        if let (Some(callback), Some(Ok(value))) =
                            (&hooks.on_progress, progress.as_ref().map(to_plain))
                        {
                            let _ = notify(callback, &value);
                        }
                    }
                    Err(err) => call.on_error(transmit, err, now()),
                }
            }
            Step::Done => return call.finish(),
        }
    }
}

/// The index of the first flight to settle and how it settled, or `None` when `until` came or
/// the signal fired first. One flight and no timer, the case of every one-request call, is
/// awaited directly: a race costs a promise and an array more.
async fn first_settled(
    flights: &[(Transmit, Promise)],
    until: Option<u64>,
    signal: Option<&AbortSignal>,
) -> Option<(usize, Result<JsValue, JsValue>)> {
    if let ([(_, only)], None) = (flights, until) {
        return Some((0, JsFuture::from(only.clone()).await));
    }
    let promises: Array = flights
        .iter()
        .map(|(_, promise)| JsValue::from(promise))
        .collect();
    let ms = until.map(|at| at.saturating_sub(now()) as f64);
    let outcome: Array = JsFuture::from(first_of(&promises, ms, signal))
        .await
        .ok()?
        .unchecked_into();
    let index = usize::try_from(outcome.get(0).as_f64()? as i64).ok()?;
    let settled = match outcome.get(1).is_truthy() {
        true => Ok(outcome.get(2)),
        false => Err(outcome.get(2)),
    };
    Some((index, settled))
}

/// The time, in whole milliseconds.
fn now() -> u64 {
    now_ms() as u64
}

/// One request outside a cancel's bookkeeping (a read of bulk actions, the start of a
/// background cancel), retried as [`after_failure`] decides within the deadline; `read` turns
/// the answer into text (JSON, or an action id). Not generic, and awaited in one place: each copy
/// of this future measured several KB of wasm. `count_limited`: the request carries a `count`.
pub async fn send_one(
    token: &Token,
    execution: &Execution,
    signal: Option<&AbortSignal>,
    http: &HttpRequest,
    count_limited: bool,
    read: fn(&HttpResponse, &Token) -> Result<String, Error>,
) -> Result<String, Error> {
    let deadline = execution.deadline_ms.map(|ms| now_ms() as u64 + ms);
    // `maxRequests` (the start of a background cancel may carry it) leaves room for this many
    // retries.
    let mut execution = execution.clone();
    if let Some(max) = execution.max_requests {
        execution.retry.retries = execution.retry.retries.min(max.saturating_sub(1));
    }
    let execution = &execution;
    let mut retries_done = 0;
    loop {
        if is_aborted(signal) {
            return Err(Error::aborted());
        }
        let limit = attempt_limit(execution, deadline, now_ms() as u64)?;
        let err = match fetch::send(http, token, signal, limit).await {
            Ok(answer) => match read(&answer, token) {
                Ok(value) => return Ok(value),
                Err(err) => err,
            },
            Err(err) => err,
        };
        let random = js_sys::Math::random();
        let delay = after_failure(
            execution,
            retries_done,
            err,
            count_limited,
            deadline,
            now_ms() as u64,
            random,
        )?;
        sleep(delay, signal).await.map_err(|_| Error::aborted())?;
        retries_done += 1;
    }
}
