//! Carrying out a call: the core's [`Run`] says what to send and keeps the tally; this module
//! sends batches with bounded concurrency, retries as [`next_delay`] decides, waits, and stops
//! at the deadline or when the caller aborts.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

use super::attempt::{aborted, attempt};
use super::plain::to_plain;
use super::timer::{now_ms, sleep};
use crate::error::Error;
use crate::execution::Execution;
use crate::request::{CancelRequest, Connection};
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
        let workers = call.execution.concurrency.min(call.run.borrow().batches());
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
        if !call.run.borrow_mut().next_pass() {
            break;
        }
    }
    // Every worker has ended, so nothing else holds the run.
    let summary = call.run.borrow_mut().finish();
    summary
}

/// Takes batches until none are left, recording each outcome.
async fn worker(call: Rc<Call>) -> Result<JsValue, JsValue> {
    loop {
        let Some(batch) = call.run.borrow_mut().next_batch() else {
            return Ok(JsValue::UNDEFINED);
        };
        match send_with_retries(&call, batch).await {
            Ok(cancelled) => {
                let progress = call.run.borrow_mut().succeeded(batch, cancelled);
                if let (Some(callback), Ok(value)) = (&call.hooks.on_progress, to_plain(&progress)) {
                    let _ = notify(callback, &value);
                }
            }
            Err(err) => call.run.borrow_mut().failed(batch, err),
        }
    }
}

/// One batch, retried as the policy allows within the deadline.
async fn send_with_retries(call: &Call, batch: usize) -> Result<u64, Error> {
    let signal = call.hooks.signal.as_ref();
    let execution = &call.execution;
    let mut retries_done = 0;
    loop {
        let limit = attempt_limit(execution, call.deadline, now_ms() as u64)?;
        let http = call.run.borrow().request(batch).clone();
        call.run.borrow_mut().sending(retries_done > 0);
        let err = match attempt(&http, &call.token, signal, limit as f64).await {
            Ok(cancelled) => return Ok(cancelled),
            Err(err) => err,
        };
        let random = js_sys::Math::random();
        let delay = after_failure(
            execution,
            retries_done,
            err,
            call.deadline,
            now_ms() as u64,
            random,
        )?;
        sleep(delay, signal).await.map_err(|_| aborted())?;
        retries_done += 1;
    }
}
