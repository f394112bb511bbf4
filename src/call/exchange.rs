//! One request and its answer, retried as the core decides: the start of a background cancel,
//! the read of a bulk action, the read of a page of them.
//!
//! An [`Exchange`] is the smallest call machine: one request, sent again after a failure while
//! the retry policy, the deadline and `maxRequests` allow it, its answer read into a value. It
//! speaks the driver contract of every machine ([`Step`], [`Transmit`], [`Failure`]), so the
//! driver that carries out cancels carries these out too and keeps no retry rule of its own.
//! A background start has a stricter rule: once the service may have acted on it, it is never
//! sent again (a copy would start a second bulk action), and the error counts it unconfirmed.

use core::convert::Infallible;

use crate::call::retry::{after_failure, after_start_failure, attempt_limit};
use crate::call::transmit::{next_call, next_random, Failure, ForeignTransmit, Machine, Step, Transmit};
use crate::error::{Error, ErrorCode};
use crate::rules::account::Account;
use crate::rules::bulk_read::{action_id_rule, ListQuery};
use crate::rules::call_options::CallOptions;
use crate::rules::request::CancelRequest;
use crate::rules::token::Token;
use crate::wire::bulk_action::{get_request, list_request, read_action, read_page, read_started};
use crate::wire::bulk_action::{BulkAction, BulkActionPage};
use crate::wire::http_request::{build, HttpRequest};
use crate::wire::response::HttpResponse;

/// What turns a 2xx answer to the request into the value the exchange ends with, or the error
/// the answer means.
pub type Reader<T> = fn(&HttpRequest, &HttpResponse, &Token) -> Result<T, Error>;

/// Where the exchange stands.
#[derive(Debug)]
enum State {
    /// To be sent at this time (ms).
    Due(u64),
    /// An attempt is out.
    InFlight,
    /// Ended: read (the value waits in the [`Exchange`]), or with this error.
    Ended(Option<Error>),
}

/// One request, retried until it is answered or given up. See the module documentation.
#[derive(Debug)]
pub struct Exchange<T> {
    attempts: Attempts,
    read: Reader<T>,
    value: Option<T>,
}

/// The attempts of an exchange and every decision about them. Apart from the value read, so one
/// copy of this code serves every kind of answer (each copy measured about 1 KB of wasm).
#[derive(Debug)]
struct Attempts {
    id: u64,
    token: Token,
    request: HttpRequest,
    /// Whether this is the start of a background cancel (its stricter retry rule).
    start: bool,
    call_options: CallOptions,
    deadline_at: Option<u64>,
    random: u64,
    retries_done: u32,
    aborted: bool,
    state: State,
}

impl Exchange<String> {
    /// The start of a background cancel (`async: true`): resolves to the id of the bulk action
    /// the service started. Any other request is refused (carry it out with
    /// [`Cancellation`](crate::Cancellation)).
    pub fn start(account: &Account, request: &CancelRequest, now_ms: u64, seed: u64) -> Result<Self, Error> {
        if !request.background() {
            return Err(Error::invalid(
                "async",
                "must be true for a background start (a cancel whose answer is a count is carried out by a Cancellation)",
            ));
        }
        let http = build(account, request)?;
        let mut exchange = Exchange::new(
            account,
            http,
            |_, r, t| read_started(r, t),
            request.call_options(),
            now_ms,
            seed,
        );
        exchange.attempts.start = true;
        Ok(exchange)
    }
}

impl Exchange<BulkAction> {
    /// The read of the bulk action `action_id`.
    pub fn action(
        account: &Account,
        action_id: &str,
        call_options: &CallOptions,
        now_ms: u64,
        seed: u64,
    ) -> Result<Self, Error> {
        if let Some(rule) = action_id_rule(action_id) {
            return Err(Error::invalid("actionId", rule));
        }
        let http = get_request(account, action_id);
        Ok(Exchange::new(
            account,
            http,
            read_action,
            call_options,
            now_ms,
            seed,
        ))
    }
}

impl Exchange<BulkActionPage> {
    /// The read of one page of bulk actions.
    pub fn page(
        account: &Account,
        query: &ListQuery,
        call_options: &CallOptions,
        now_ms: u64,
        seed: u64,
    ) -> Self {
        let http = list_request(account, query);
        Exchange::new(
            account,
            http,
            |_, r, t| read_page(r, t),
            call_options,
            now_ms,
            seed,
        )
    }
}

impl<T> Exchange<T> {
    /// Plans the exchange of `request` at `now_ms` (the deadline counts from it). `maxRequests`,
    /// if set, leaves room for that many attempts in all.
    pub(crate) fn new(
        account: &Account,
        request: HttpRequest,
        read: Reader<T>,
        call_options: &CallOptions,
        now_ms: u64,
        seed: u64,
    ) -> Self {
        Exchange {
            attempts: Attempts::new(account, request, call_options, now_ms, seed),
            read,
            value: None,
        }
    }

    /// The request, built without sending anything (a preview).
    pub fn request(&self) -> &HttpRequest {
        &self.attempts.request
    }

    /// Whether an attempt is out (handed out and not handed back).
    pub(crate) fn in_flight(&self) -> bool {
        matches!(self.attempts.state, State::InFlight)
    }

    /// Whether the exchange has ended (its value, or its error, waits in
    /// [`finish`](Exchange::finish)).
    pub(crate) fn has_ended(&self) -> bool {
        self.attempts.has_ended()
    }
}

/// An exchange reports nothing before its result.
impl<T> Machine for Exchange<T> {
    type Report = Infallible;
    type Output = T;

    /// What to do at time `now_ms`: send the request, wait, or take the result.
    fn poll(&mut self, now_ms: u64) -> Step {
        self.attempts.poll(now_ms)
    }

    /// The stop the caller asked for: nothing more is sent; an attempt in flight is ended by the
    /// driver ([`Failure::Aborted`]) or answered (an answer that does arrive is kept).
    fn abort(&mut self) {
        self.attempts.abort();
    }

    /// The answer to `transmit` came in at `now_ms`: read (the value waits in
    /// [`finish`](Exchange::finish)), or retried or final as for a failure.
    fn on_response(
        &mut self,
        transmit: Transmit,
        response: &HttpResponse,
        now_ms: u64,
    ) -> Result<Option<Infallible>, ForeignTransmit> {
        let transmit = self.attempts.own(transmit)?;
        match (self.read)(&transmit.request, response, &self.attempts.token) {
            Ok(value) => {
                self.value = Some(value);
                self.attempts.state = State::Ended(None);
            }
            Err(err) => self.attempts.failed(err, now_ms),
        }
        Ok(None)
    }

    /// `transmit` got no answer. The token is withheld from the client's message.
    fn on_failure(
        &mut self,
        transmit: Transmit,
        failure: Failure,
        now_ms: u64,
    ) -> Result<(), ForeignTransmit> {
        let transmit = self.attempts.own(transmit)?;
        let err = failure.into_error(&transmit, &self.attempts.token);
        self.attempts.failed(err, now_ms);
        Ok(())
    }

    /// The value read, or the error the exchange ended with. Called before [`Step::Done`], the
    /// exchange has not ended and says so: [`ErrorCode::Unfinished`].
    fn finish(self) -> Result<T, Error> {
        self.value.ok_or_else(|| self.attempts.error())
    }
}

/// Hands `transmit` back to the exchange in `slot` (a wait's reading, a listing's page) with
/// `hand` (its answer or its failure): whether that ended it. With none there, the transmit is
/// not this call's.
pub(crate) fn hand_to<T, R>(
    slot: &mut Option<Exchange<T>>,
    transmit: Transmit,
    hand: impl FnOnce(&mut Exchange<T>, Transmit) -> Result<R, ForeignTransmit>,
) -> Result<bool, ForeignTransmit> {
    match slot {
        Some(exchange) => {
            hand(exchange, transmit)?;
            Ok(exchange.has_ended())
        }
        None => Err(ForeignTransmit(transmit)),
    }
}

impl Attempts {
    fn new(
        account: &Account,
        request: HttpRequest,
        call_options: &CallOptions,
        now_ms: u64,
        seed: u64,
    ) -> Self {
        let mut call_options = call_options.clone();
        if let Some(max) = call_options.max_requests {
            call_options.retry.retries = call_options.retry.retries.min(max.saturating_sub(1));
        }
        Attempts {
            id: next_call(),
            token: account.token().clone(),
            request,
            start: false,
            deadline_at: call_options.deadline_ms.map(|ms| now_ms.saturating_add(ms)),
            call_options,
            // xorshift must not start at zero.
            random: seed | 1,
            retries_done: 0,
            aborted: false,
            state: State::Due(now_ms),
        }
    }

    fn poll(&mut self, now_ms: u64) -> Step {
        match self.state {
            State::Due(at) if at <= now_ms => {
                match attempt_limit(&self.call_options, self.deadline_at, now_ms) {
                    Ok(limit_ms) => {
                        self.state = State::InFlight;
                        Step::Send(Transmit {
                            call: self.id,
                            slot: 0,
                            request: self.request.clone(),
                            limit_ms,
                        })
                    }
                    Err(err) => {
                        self.state = State::Ended(Some(err));
                        Step::Done
                    }
                }
            }
            State::Due(at) => Step::Wait(Some(at)),
            State::InFlight => Step::Wait(None),
            State::Ended(_) => Step::Done,
        }
    }

    fn abort(&mut self) {
        self.aborted = true;
        if let State::Due(_) = self.state {
            self.state = State::Ended(Some(Error::aborted()));
        }
    }

    fn has_ended(&self) -> bool {
        matches!(self.state, State::Ended(_))
    }

    /// Why no value was read: the error the attempts ended with, or that they have not ended.
    /// (Apart from [`Exchange::finish`], so one copy serves every kind of answer.)
    fn error(self) -> Error {
        match self.state {
            State::Ended(Some(err)) => err,
            _ => Error::new(
                ErrorCode::Unfinished,
                "the request was finished before poll said Done: its answer, if any, was not read".into(),
            ),
        }
    }

    /// `transmit`, if this exchange handed it out; else the refusal that gives it back.
    fn own(&self, transmit: Transmit) -> Result<Transmit, ForeignTransmit> {
        match transmit.call == self.id && matches!(self.state, State::InFlight) {
            true => Ok(transmit),
            false => Err(ForeignTransmit(transmit)),
        }
    }

    /// An attempt failed with `err`: due again after the wait the policy decides, or ended.
    fn failed(&mut self, err: Error, now_ms: u64) {
        let random = next_random(&mut self.random);
        let (options, retries, deadline) = (&self.call_options, self.retries_done, self.deadline_at);
        let decided = match self.start {
            true => after_start_failure(options, retries, err, deadline, now_ms, random),
            false => after_failure(options, retries, err, false, deadline, now_ms, random),
        };
        self.state = match decided {
            Ok(_) if self.aborted => State::Ended(Some(Error::aborted())),
            Ok(delay) => {
                self.retries_done += 1;
                State::Due(now_ms.saturating_add(delay))
            }
            Err(end) => State::Ended(Some(end)),
        };
    }
}
