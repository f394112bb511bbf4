//! Carrying out a call: the core's [`Run`] says what to send and keeps the tally; this module
//! sends batches with bounded concurrency, retries as [`next_delay`] decides, waits, and stops
//! at the deadline or when the caller aborts.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

use super::attempt::attempt;
use super::fetch;
use super::plain::to_plain;
use super::signal::{aborted, is_aborted};
use super::timer::{now_ms, sleep};
use crate::error::{Error, ErrorCode};
use crate::execution::Execution;
use crate::http_request::HttpRequest;
use crate::request::{CancelRequest, Connection};
use crate::response::HttpResponse;
use crate::retry::{after_failure, attempt_limit};
use crate::run::{Run, Summary};
use crate::token::Token;

#[wasm_bindgen(inline_js = "export function notify(callback, progress) {
  try {
    const result = callback(progress);
    if (result && typeof result.then === 'function') result.then(undefined, () => {});
  } catch {}
}")]
extern "C" {
    /// Calls `onProgress`, ignoring what it throws and what a promise it returns rejects with:
    /// the cancel goes on, and an async callback's failure is no unhandled rejection. Bound with
    /// `catch` too, for what a `catch` block cannot stop (a stack overflow).
    #[wasm_bindgen(catch)]
    fn notify(callback: &Function, progress: &JsValue) -> Result<(), JsValue>;
}

/// The JS objects a call may carry besides plain options.
#[derive(Default)]
pub struct Hooks {
    /// `signal`: stops the call at once.
    pub signal: Option<AbortSignal>,
    /// `onProgress`: called after every successful request.
    pub on_progress: Option<Function>,
}

/// What every worker of one call shares.
struct Call {
    token: Token,
    execution: Execution,
    hooks: Hooks,
    /// When the call must end, Unix ms (`deadlineMs` from its start).
    deadline: Option<u64>,
    run: RefCell<Run>,
}

impl Call {
    /// One step on the run. Steps never nest and none spans an `await`, so the run is always
    /// free; `try_borrow_mut` (not `borrow_mut`) keeps `RefCell`'s panic out of the wasm.
    fn step<R>(&self, f: impl FnOnce(&mut Run) -> R) -> Option<R> {
        self.run.try_borrow_mut().ok().map(|mut run| f(&mut run))
    }
}

/// Runs the whole call and returns its summary, or the error with what was done before it.
pub async fn execute(
    connection: &Connection,
    request: CancelRequest,
    hooks: Hooks,
) -> Result<Summary, Error> {
    let execution = request.execution.clone();
    let call = Rc::new(Call {
        token: connection.token().clone(),
        deadline: execution.deadline_ms.map(|ms| now_ms() as u64 + ms),
        run: RefCell::new(Run::new(connection, request)?),
        execution,
        hooks,
    });
    loop {
        // Workers never fail: every outcome is recorded in the run.
        let workers = call
            .execution
            .concurrency
            .min(call.step(|run| run.batches()).unwrap_or(0));
        match workers {
            // One worker runs right here: a promise per worker and `Promise.all` cost more
            // than the rest of a one-request call (bench/overhead.mjs).
            0 | 1 => {
                let _ = worker(call.clone()).await;
            }
            workers => {
                let promises: Array = (0..workers)
                    .map(|_| future_to_promise(worker(call.clone())))
                    .collect();
                let _ = JsFuture::from(Promise::all(&promises)).await;
            }
        }
        if call.step(Run::next_pass) != Some(true) {
            break;
        }
    }
    call.step(Run::finish)
        .unwrap_or_else(|| Err(Error::new(ErrorCode::InvalidResponse, BUSY.into())))
}

/// The error a call would end with if its run were ever busy when it finished (see
/// [`Call::step`]: it never is).
const BUSY: &str = "internal error: the call's bookkeeping was in use when it finished";

/// Takes batches until none are left, recording each outcome.
async fn worker(call: Rc<Call>) -> Result<JsValue, JsValue> {
    // The batch and its request are taken together: a batch without one ends the worker.
    let next = |run: &mut Run| {
        let batch = run.next_batch()?;
        Some((batch, run.request(batch)?.clone()))
    };
    while let Some((batch, http)) = call.step(next).flatten() {
        match send_with_retries(&call, batch, &http).await {
            Ok(cancelled) => {
                let progress = call.step(|run| run.succeeded(batch, cancelled));
                if let (Some(callback), Some(Ok(value))) =
                    (&call.hooks.on_progress, progress.as_ref().map(to_plain))
                {
                    let _ = notify(callback, &value);
                }
            }
            Err(err) => {
                call.step(|run| run.failed(batch, err));
            }
        }
    }
    Ok(JsValue::UNDEFINED)
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
    let mut retries_done = 0;
    loop {
        if is_aborted(signal) {
            return Err(aborted());
        }
        let limit = attempt_limit(execution, deadline, now_ms() as u64)?;
        let err = match fetch::send(http, token, signal, limit as f64).await {
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
        sleep(delay, signal).await.map_err(|_| aborted())?;
        retries_done += 1;
    }
}

/// One batch, retried as the run decides within the deadline.
async fn send_with_retries(call: &Call, batch: usize, http: &HttpRequest) -> Result<u64, Error> {
    let signal = call.hooks.signal.as_ref();
    let mut retries_done = 0;
    loop {
        // Checked before the attempt is counted as sent: an abort here leaves nothing in flight.
        if is_aborted(signal) {
            return Err(aborted());
        }
        let limit = attempt_limit(&call.execution, call.deadline, now_ms() as u64)?;
        call.step(|run| run.sending(batch, retries_done > 0));
        let err = match attempt(http, &call.token, signal, limit as f64).await {
            Ok(cancelled) => return Ok(cancelled),
            Err(err) => err,
        };
        let random = js_sys::Math::random();
        let (deadline, now) = (call.deadline, now_ms() as u64);
        let delay = call
            .step(|run| run.after_failure(batch, retries_done, err, deadline, now, random))
            .unwrap_or_else(|| Err(Error::new(ErrorCode::InvalidResponse, BUSY.into())))?;
        sleep(delay, signal).await.map_err(|_| aborted())?;
        retries_done += 1;
    }
}
