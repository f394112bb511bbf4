//! A call for the JS executor (`src/wasm/js/drive.js`) to carry out: one of the core's machines
//! behind the one driver contract, with the plain values JS can send and hand back. Everything
//! a call decides (what to send, retries and their waits, the deadline, when it is done) is the
//! machine's; this only converts: a transmit into the parts of a `fetch`, an answer into an
//! [`HttpResponse`], a failure into a [`Failure`], the result into a JS value.

use core::convert::Infallible;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::error::to_js;
use super::plain::from_json;
use crate::call::action_listing::ActionListing;
use crate::call::action_wait::ActionWait;
use crate::call::cancellation::{Cancellation, Progress};
use crate::call::exchange::Exchange;
use crate::call::transmit::{Failure, Machine as Contract, Step, Transmit};
use crate::error::{Error, ErrorCode};
use crate::limits::MAX_SAFE_INTEGER;
use crate::limits::{MAX_FAILURE_MESSAGE_CHARS, MAX_HEADER_VALUE_CHARS};
use crate::wire::bulk_action::{BulkAction, BulkActionPage};
use crate::wire::response::{HttpResponse, READ_HEADERS};

#[wasm_bindgen(module = "/src/wasm/js/drive.js")]
extern "C" {
    /// Hands a request to the run `to` (the executor's sender) to send: its slot, method, URL,
    /// headers (names and values, each followed by a newline), body, the most bytes of the answer
    /// to read, the attempt's time limit (ms), the headers of a failure's answer to return, the
    /// longest header value and failure message to hand back ([`MAX_HEADER_VALUE_CHARS`],
    /// [`MAX_FAILURE_MESSAGE_CHARS`]). Arguments rather than an array: each element of one built
    /// here crossed into JS on its own.
    #[allow(clippy::too_many_arguments)]
    fn send(
        to: &JsValue,
        slot: usize,
        method: &str,
        url: &str,
        headers: &str,
        body: Option<&str>,
        max: f64,
        limit: f64,
        names: &str,
        header_chars: f64,
        message_chars: f64,
    );
    /// The time, in whole milliseconds, on a clock that never goes back. (Bound with `catch`,
    /// though it cannot throw: an import without arguments is imported whole from the module,
    /// which scripts/inline-snippets.mjs cannot fold.)
    #[wasm_bindgen(js_name = now, catch)]
    fn clock() -> Result<f64, JsValue>;
}

/// The machine a call runs, and what its result becomes in JS.
pub enum Machine {
    /// A cancel: resolves to the count, or (`true`) to the summary.
    Cancel(Cancellation, bool),
    /// The start of a background cancel: resolves to `{ actionId }`.
    Start(Exchange<String>),
    /// `getBulkAction`.
    Action(Exchange<BulkAction>),
    /// `listBulkActions`.
    Page(Exchange<BulkActionPage>),
    /// `waitForBulkAction`: reports each reading.
    Wait(ActionWait),
    /// `listAllBulkActions`: reports each page.
    Listing(ActionListing),
}

/// `$body` with `$call` bound to the machine, whichever it is: the one place the kinds are
/// told apart for the driver contract ([`Contract`]), which each of them speaks.
macro_rules! each {
    ($machine:expr, $call:ident => $body:expr) => {
        match $machine {
            Machine::Cancel($call, _) => $body,
            Machine::Start($call) => $body,
            Machine::Action($call) => $body,
            Machine::Page($call) => $body,
            Machine::Wait($call) => $body,
            Machine::Listing($call) => $body,
        }
    };
}

/// A machine's report (its [`Contract::Report`]) as the JSON text JS parses.
trait JsonReport {
    fn to_json(&self) -> String;
}

impl JsonReport for Progress {
    fn to_json(&self) -> String {
        Progress::to_json(self)
    }
}

impl JsonReport for BulkAction {
    fn to_json(&self) -> String {
        self.progress_json()
    }
}

impl JsonReport for BulkActionPage {
    fn to_json(&self) -> String {
        BulkActionPage::to_json(self)
    }
}

impl JsonReport for Infallible {
    fn to_json(&self) -> String {
        match *self {}
    }
}

/// A call being carried out by the JS executor.
#[wasm_bindgen]
pub struct Call {
    machine: Machine,
    /// Whether anyone reads the reports (an `onProgress`, a listing's pages): unread, none is
    /// written (a cancel's progress as JSON is a few µs of every call).
    reports: bool,
    /// The transmits in flight, by the slot JS knows them by.
    flights: Vec<Option<Transmit>>,
}

impl Call {
    /// A call of `machine`, nothing sent yet; `reports`: whether its reports are read.
    pub fn new(machine: Machine, reports: bool) -> Call {
        Call {
            machine,
            reports,
            flights: Vec::new(),
        }
    }
}

/// A seed for a machine's jitter.
pub fn seed() -> u64 {
    (js_sys::Math::random() * MAX_SAFE_INTEGER as f64) as u64
}

/// The time, in whole milliseconds (the executor's clock: the wall clock's, moved on
/// monotonically).
pub fn now() -> u64 {
    clock().unwrap_or_default() as u64
}

#[wasm_bindgen]
impl Call {
    /// What to do now: `-1` when done; `-2` when a request was handed to `run.send` (poll
    /// again); else a number of milliseconds to wait for (`Infinity`: until an answer comes).
    pub fn poll(&mut self, run: &JsValue) -> f64 {
        let now = now();
        match each!(&mut self.machine, call => call.poll(now)) {
            Step::Done => -1.0,
            Step::Wait(None) => f64::INFINITY,
            Step::Wait(Some(at)) => at.saturating_sub(now) as f64,
            Step::Send(transmit) => {
                self.send(run, transmit);
                -2.0
            }
        }
    }

    /// The caller's stop: nothing more is sent.
    pub fn abort(&mut self) {
        each!(&mut self.machine, call => call.abort());
    }

    /// Ends a wait whose client was freed: `field` and `rule` name why (a refusal of that
    /// field); the wait says that the action goes on.
    #[wasm_bindgen(js_name = stopWaiting)]
    pub fn stop_waiting(&mut self, field: &str, rule: &str) {
        if let Machine::Wait(call) = &mut self.machine {
            call.stop(Error::invalid(field, rule));
        }
    }

    /// The answer to the request in `slot`, as the executor read it: the status, how it came of
    /// a redirect ([`HIDDEN`], [`FOLLOWED`], else 0), the headers asked for (`[name, value, ...]`), the text and
    /// whether more was left unread. Returns what the call reports of it (a progress, a reading,
    /// a page) as JSON text, if anything.
    pub fn answer(
        &mut self,
        slot: usize,
        status: f64,
        redirect: u8,
        headers: Array,
        text: String,
        cut: bool,
    ) -> Option<String> {
        let transmit = self.flights.get_mut(slot)?.take()?;
        let now = now();
        let Some(response) = response(status, redirect, &headers, text, cut) else {
            let why = Array::of2(
                &UNREADABLE.into(),
                &"its status is not an HTTP status code".into(),
            );
            let failure = failure(&transmit, &why);
            self.failed(transmit, failure, now);
            return None;
        };
        let reports = self.reports;
        // A transmit goes back to the machine that made it, so none is refused.
        each!(&mut self.machine, call => {
            let report = call.on_response(transmit, &response, now).ok()??;
            reports.then(|| report.to_json())
        })
    }

    /// The request in `slot` got no answer: `reason` is the executor's `[stage, cause]`.
    pub fn fail(&mut self, slot: usize, reason: JsValue) {
        let Some(transmit) = self.flights.get_mut(slot).and_then(Option::take) else {
            return;
        };
        let failure = failure(&transmit, &reason);
        self.failed(transmit, failure, now());
    }

    /// The result: the count, the summary, `{ actionId }`, the action or the page; or the error.
    pub fn finish(self) -> Result<JsValue, JsValue> {
        let json = |text: String| from_json(&text);
        match self.machine {
            Machine::Cancel(call, false) => call.finish().map(|s| JsValue::from_f64(s.cancelled as f64)),
            Machine::Cancel(call, true) => call.finish().map(|s| json(s.to_json())),
            Machine::Start(call) => call.finish().and_then(started),
            Machine::Action(call) => call.finish().map(|a| json(a.to_json())),
            Machine::Page(call) => call.finish().map(|p| json(p.to_json())),
            // The last reading of a stopped wait, the cursor to resume a stopped listing from.
            Machine::Wait(call) => {
                let last = call.last().map(|a| json(a.to_json()));
                return call
                    .finish()
                    .map(|a| json(a.to_json()))
                    .map_err(|err| with(err, "action", last));
            }
            Machine::Listing(call) => {
                let cursor = call.cursor().map(JsValue::from);
                return call.finish().map(JsValue::from).map_err(|err| match err.code {
                    ErrorCode::Unfinished => with(err, "cursor", cursor),
                    _ => to_js(err),
                });
            }
        }
        .map_err(to_js)
    }
}

impl Call {
    /// Keeps `transmit` in a free slot and hands its request to `run` to send.
    fn send(&mut self, run: &JsValue, transmit: Transmit) {
        let request = transmit.request();
        let mut headers = String::new();
        for (name, value) in &request.headers {
            headers.extend([name, "\n", value, "\n"]);
        }
        let slot = match self.flights.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.flights.push(None);
                self.flights.len() - 1
            }
        };
        let (max, limit) = (request.max_answer_bytes as f64, transmit.limit_ms() as f64);
        send(
            run,
            slot,
            request.method,
            &request.url,
            &headers,
            request.body.as_deref(),
            max,
            limit,
            &READ_HEADERS.join("\n"),
            MAX_HEADER_VALUE_CHARS as f64,
            MAX_FAILURE_MESSAGE_CHARS as f64,
        );
        if let Some(place) = self.flights.get_mut(slot) {
            *place = Some(transmit);
        }
    }

    fn failed(&mut self, transmit: Transmit, failure: Failure, now: u64) {
        // A transmit goes back to the machine that made it, so none is refused.
        let _ = each!(&mut self.machine, call => call.on_failure(transmit, failure, now));
    }
}

/// `err` as a JS error, with the detail `name` when there is one.
fn with(err: Error, name: &str, detail: Option<JsValue>) -> JsValue {
    let err = to_js(err);
    if let Some(detail) = detail {
        let _ = Reflect::set(&err, &name.into(), &detail);
    }
    err
}

/// `{ actionId }`, what a background start resolves to.
fn started(action_id: String) -> Result<JsValue, Error> {
    let started = Object::new();
    let _ = Reflect::set(&started, &"actionId".into(), &action_id.into());
    Ok(started.into())
}

/// How an answer came of a redirect, as the executor tags it (its JS names the same numbers):
/// one the platform hides (a browser's `opaqueredirect`, status 0), or one a replaced `fetch`
/// followed although told not to (`response.redirected`).
const HIDDEN: u8 = 1;
const FOLLOWED: u8 = 2;

/// The answer as the executor read it; `None` when its status is not an HTTP status code.
fn response(status: f64, redirect: u8, found: &Array, body: String, cut: bool) -> Option<HttpResponse> {
    // A redirect a browser hides (`opaqueredirect`) has no status to show: its 0 is the core's
    // redirect, checked first (as an unreadable answer it was retried, as a network error). A
    // followed one is another URL's answer whatever its status (`redirected`).
    let is_status = status.fract() == 0.0 && (100.0..=999.0).contains(&status);
    let status = match redirect {
        HIDDEN => 0,
        _ if is_status => status as u16,
        FOLLOWED => 0,
        _ => return None,
    };
    let headers = (0..found.length() / 2)
        .filter_map(|i| Some((found.get(2 * i).as_string()?, found.get(2 * i + 1).as_string()?)))
        .collect();
    Some(HttpResponse {
        status,
        headers,
        body,
        cut,
        redirected: redirect == FOLLOWED,
    })
}

/// Where an attempt ended without an answer, as the executor tags its rejections (its JS names
/// the same numbers).
const BROKE_OFF: u8 = 1;
const TIME_LIMIT: u8 = 2;
const SIGNAL: u8 = 3;
const UNREADABLE: u8 = 4;
const NOT_SENT: u8 = 5;

/// The failure of an attempt of `transmit` that the executor rejected with `reason`,
/// `[stage, cause]` (anything else: an answer that could not be read).
fn failure(transmit: &Transmit, reason: &JsValue) -> Failure {
    let tagged = reason.dyn_ref::<Array>().filter(|r| r.length() == 2);
    let (stage, cause) = match tagged {
        Some(tagged) => (tagged.get(0).as_f64().map_or(0, |n| n as u8), tagged.get(1)),
        None => (UNREADABLE, reason.clone()),
    };
    let what = match stage {
        TIME_LIMIT => return Failure::TimedOut,
        SIGNAL => return Failure::Aborted,
        NOT_SENT => "could not be sent",
        BROKE_OFF => "broke off while reading the answer",
        UNREADABLE => "gave an answer that could not be read",
        _ => "got no answer",
    };
    // The URL up to its path (`https://host`): where the request went, without what it asked.
    let url = &transmit.request().url;
    let origin = url
        .match_indices('/')
        .nth(2)
        .and_then(|(end, _)| url.get(..end))
        .unwrap_or(url);
    let message = format!(
        "the request to {origin} {what}: {} (in a browser, a CORS refusal looks like this too)",
        message_of(&cause)
    );
    match stage {
        NOT_SENT => Failure::NotSent(message),
        _ => Failure::Network(message),
    }
}

/// A thrown value's message, with Node's reason (ECONNREFUSED, a TLS failure) from its `cause`.
fn message_of(cause: &JsValue) -> String {
    let text = |value: &JsValue| {
        Reflect::get(value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
    };
    let inner = Reflect::get(cause, &"cause".into()).ok().and_then(|c| text(&c));
    match (text(cause), inner) {
        (Some(outer), Some(inner)) => format!("{outer} ({inner})"),
        (Some(outer), None) => outer,
        (None, _) => "unknown error".to_owned(),
    }
}
