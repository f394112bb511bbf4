//! Carrying out a call: the core's [`Cancellation`] decides everything (what to send, retries,
//! waits, the deadline, passes, the tally); this loop only feeds it from `fetch` and the clock,
//! and waits for the first of an answer, a timer and the caller's abort.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

use super::fetch;
use super::plain::from_json;
use super::signal::is_aborted;
use super::timer::{now_ms, sleep};
use crate::call::cancellation::{Cancellation, Step, Summary, Transmit};
use crate::call::retry::{after_failure, after_start_failure, attempt_limit};
use crate::error::Error;
use crate::limits::MAX_SAFE_INTEGER;
use crate::rules::account::Account;
use crate::rules::call_options::CallOptions;
use crate::rules::request::CancelRequest;
use crate::rules::token::Token;
use crate::wire::http_request::HttpRequest;
use crate::wire::response::HttpResponse;

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

    /// `flight.then(v => settle(true, v), r => settle(false, r))`: one closure for both ways a
    /// flight settles, and the promise of what it returns. (Bound with `catch`, though it cannot
    /// throw, which keeps it a named import that scripts/inline-snippets.mjs can fold.)
    #[wasm_bindgen(js_name = settleWith, catch)]
    fn settle_with(flight: &Promise, settle: &JsValue) -> Result<Promise, JsValue>;
}

/// The JS objects a call may carry besides plain options.
#[derive(Default)]
pub struct Hooks {
    /// `signal`: stops the call at once.
    pub signal: Option<AbortSignal>,
    /// `onProgress`: called after every successful request.
    pub on_progress: Option<Function>,
}

/// A cancel being carried out: the core's machine, the requests in flight with the promises of
/// their answers, and the caller's hooks.
pub struct Driver {
    call: Cancellation,
    token: Token,
    hooks: Hooks,
    flights: Vec<(Transmit, Promise)>,
}

impl Driver {
    /// Plans the call (nothing is sent yet).
    pub fn new(account: &Account, request: CancelRequest, hooks: Hooks) -> Result<Self, Error> {
        let seed = (js_sys::Math::random() * MAX_SAFE_INTEGER as f64) as u64;
        Ok(Driver {
            call: Cancellation::new(account, request, now(), seed)?,
            token: account.token().clone(),
            hooks,
            flights: Vec::new(),
        })
    }

    /// Sends what the machine hands out until it says to wait (`Some`, with when to look again)
    /// or is done (`None`).
    fn advance(&mut self) -> Option<Option<u64>> {
        let signal = self.hooks.signal.as_ref();
        loop {
            // Checked before anything more is sent: an abort here leaves nothing new in flight.
            if is_aborted(signal) {
                self.call.abort();
            }
            match self.call.poll(now()) {
                Step::Send(transmit) => {
                    let request = transmit.request();
                    match fetch::start(request, &self.token, signal, transmit.limit_ms()) {
                        Ok(promise) => self.flights.push((transmit, promise)),
                        // Its own transmit: never refused (nor on the two hand-backs below).
                        Err(err) => drop(self.call.on_error(transmit, err, now())),
                    }
                }
                Step::Wait(until) => return Some(until),
                Step::Done => return None,
            }
        }
    }

    /// Hands the machine how the flight at `index` settled (`Ok` resolved, `Err` rejected).
    fn settle(&mut self, index: usize, settled: Result<JsValue, JsValue>) {
        let (transmit, _) = self.flights.swap_remove(index);
        let (request, limit_ms) = (transmit.request(), transmit.limit_ms());
        match fetch::finish(settled, request, &self.token, limit_ms) {
            Ok(answer) => {
                let progress = self.call.on_response(transmit, &answer, now());
                if let (Some(callback), Ok(Some(progress))) = (&self.hooks.on_progress, progress) {
                    let _ = notify(callback, &from_json(&progress.to_json()));
                }
            }
            Err(err) => drop(self.call.on_error(transmit, err, now())),
        }
    }

    /// Starts the call and resolves to what `output` makes of its summary or error. A call whose
    /// first step is one request and no timer (every filter cancel, every short id list) takes
    /// no Rust future until it needs one: its answer is handed over from JS, and when that
    /// finishes the call the promise is settled straight away. Measured against the executor's
    /// futures for every call: 47.8 -> 42.3 µs a call with `fetch` stubbed, and 0.962x the wall
    /// time of 6,000 sequential calls to a local server (farm-bench, 15 pairs).
    pub fn start(mut self, output: Output) -> Promise {
        let waiting = self.advance();
        if let (Some(None), [(_, flight)]) = (waiting, self.flights.as_slice()) {
            let flight = flight.clone();
            let settle = move |resolved: bool, value: JsValue| {
                self.settle(0, if resolved { Ok(value) } else { Err(value) });
                let waiting = self.advance();
                self.end(waiting, output)
            };
            return settle_with(&flight, &Closure::once_into_js(settle))
                .unwrap_or_else(|thrown| Promise::reject(&thrown));
        }
        match self.end(waiting, output) {
            Ok(value) => Promise::resolve(&value),
            Err(err) => Promise::reject(&err),
        }
    }

    /// The result if the call is done (`waiting` is `None`), else the promise of it.
    fn end(self, waiting: Option<Option<u64>>, output: Output) -> Result<JsValue, JsValue> {
        match waiting {
            None => output(self.call.finish()),
            waiting => Ok(future_to_promise(async move { output(self.wait(waiting).await) }).into()),
        }
    }

    /// Waits for answers and timers until the call is done, then its summary or error.
    async fn wait(mut self, mut waiting: Option<Option<u64>>) -> Result<Summary, Error> {
        while let Some(until) = waiting {
            let signal = self.hooks.signal.as_ref();
            if let Some((index, settled)) = first_settled(&self.flights, until, signal).await {
                self.settle(index, settled);
            }
            waiting = self.advance();
        }
        self.call.finish()
    }
}

/// What a call resolves to, made from its summary, or what it rejects with.
pub type Output = fn(Result<Summary, Error>) -> Result<JsValue, JsValue>;

/// The index of the first flight to settle and how it settled, or `None` when `until` came or
/// the signal fired first.
async fn first_settled(
    flights: &[(Transmit, Promise)],
    until: Option<u64>,
    signal: Option<&AbortSignal>,
) -> Option<(usize, Result<JsValue, JsValue>)> {
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
/// background cancel), retried within the deadline as the core decides: [`after_failure`] for a
/// read, [`after_start_failure`] for a `start`. `read` turns the answer into text (JSON, or an
/// action id). Not generic, and awaited in one place: each copy of this future measured several
/// KB of wasm.
pub async fn send_one(
    token: &Token,
    call_options: &CallOptions,
    signal: Option<&AbortSignal>,
    http: &HttpRequest,
    start: bool,
    read: fn(&HttpRequest, &HttpResponse, &Token) -> Result<String, Error>,
) -> Result<String, Error> {
    let deadline = call_options.deadline_ms.map(|ms| now_ms() as u64 + ms);
    // `maxRequests` (the start of a background cancel may carry it) leaves room for this many
    // retries.
    let mut call_options = call_options.clone();
    if let Some(max) = call_options.max_requests {
        call_options.retry.retries = call_options.retry.retries.min(max.saturating_sub(1));
    }
    let call_options = &call_options;
    let mut retries_done = 0;
    loop {
        if is_aborted(signal) {
            return Err(Error::aborted());
        }
        let limit = attempt_limit(call_options, deadline, now_ms() as u64)?;
        let err = match fetch::send(http, token, signal, limit).await {
            Ok(answer) => match read(http, &answer, token) {
                Ok(value) => return Ok(value),
                Err(err) => err,
            },
            Err(err) => err,
        };
        let (now, random) = (now_ms() as u64, js_sys::Math::random());
        let delay = match start {
            true => after_start_failure(call_options, retries_done, err, deadline, now, random),
            false => after_failure(call_options, retries_done, err, false, deadline, now, random),
        }?;
        sleep(delay, signal).await.map_err(|_| Error::aborted())?;
        retries_done += 1;
    }
}
