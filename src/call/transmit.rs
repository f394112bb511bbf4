//! The driver contract every call machine shares ([`Cancellation`](crate::Cancellation), an
//! [`Exchange`](crate::Exchange), an [`ActionWait`](crate::ActionWait), an
//! [`ActionListing`](crate::ActionListing)): `poll` says what to do ([`Step`]), each request
//! goes out as a [`Transmit`] and comes back once with its answer or its [`Failure`], and
//! `finish` takes the result once `poll` has said [`Step::Done`]. One contract, the [`Machine`]
//! trait, so one driver (the wasm build's, a tokio loop) carries out every kind of call.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, ErrorCode};
use crate::rules::token::Token;
use crate::wire::http_request::HttpRequest;
use crate::wire::response::HttpResponse;

/// The driver contract, which every call machine implements: a driver written once, generic over
/// `M: Machine`, carries out a cancel, a background start, a read, a wait and a listing.
///
/// ```rust
/// use qstash_cancel::{Error, Failure, HttpRequest, HttpResponse, Machine, Step};
///
/// /// Runs `machine` to its result, sending each request with `send` (here at once, so an
/// /// answer is never waited for) and keeping its reports.
/// fn drive<M: Machine>(
///     mut machine: M,
///     mut send: impl FnMut(&HttpRequest) -> Result<HttpResponse, Failure>,
///     mut now: impl FnMut() -> u64,
/// ) -> (Vec<M::Report>, Result<M::Output, Error>) {
///     let mut reports = Vec::new();
///     loop {
///         match machine.poll(now()) {
///             Step::Send(transmit) => match send(transmit.request()) {
///                 Ok(answer) => reports.extend(machine.on_response(transmit, &answer, now()).expect("its own")),
///                 Err(failure) => machine.on_failure(transmit, failure, now()).expect("its own"),
///             },
///             Step::Wait(_) => {} // sleep until then (this clock moves on by itself)
///             Step::Done => return (reports, machine.finish()),
///         }
///     }
/// }
/// # use qstash_cancel::{Account, CallOptions, Exchange};
/// # let account = Account::new("my-token", None)?;
/// # let read = Exchange::action(&account, "ba_1", &CallOptions::default(), 0, 7)?;
/// # let body = r#"{"actionId":"ba_1","kind":"cancel","state":"FINISHED","total":1,"processed":1,"createdAt":1,"completedAt":2}"#;
/// # let answer = HttpResponse { status: 200, body: body.into(), ..Default::default() };
/// # let mut clock = 0;
/// # let (reports, action) = drive(read, |_| Ok(answer.clone()), || { clock += 1; clock });
/// # assert!(reports.is_empty());
/// # assert_eq!(action?.processed, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Machine {
    /// What an answer reports on the way, before the result: a cancel's [`Progress`](crate::Progress),
    /// a wait's reading, a listing's page ([`Infallible`](core::convert::Infallible) for an
    /// [`Exchange`](crate::Exchange), which reports nothing but its result).
    type Report;
    /// What the call ends with.
    type Output;

    /// What to do at time `now_ms` (milliseconds on the driver's clock): send a request, wait,
    /// or take the result.
    fn poll(&mut self, now_ms: u64) -> Step;

    /// The stop the caller asked for: nothing more is sent, and the call ends with
    /// [`ErrorCode::Aborted`] once the requests in flight are handed back, ended by the driver
    /// ([`Failure::Aborted`]) or answered.
    fn abort(&mut self);

    /// The answer to `transmit` came in at `now_ms`: what it reports, if anything. A transmit
    /// this call did not hand out is refused, and the call is left as it was.
    fn on_response(
        &mut self,
        transmit: Transmit,
        response: &HttpResponse,
        now_ms: u64,
    ) -> Result<Option<Self::Report>, ForeignTransmit>;

    /// `transmit` got no answer: sent again when the retry policy, the deadline and `count`
    /// allow it, else the call ends. The token is withheld from the client's message.
    fn on_failure(
        &mut self,
        transmit: Transmit,
        failure: Failure,
        now_ms: u64,
    ) -> Result<(), ForeignTransmit>;

    /// The result, once `poll` has said [`Step::Done`]; called earlier, the call is not done and
    /// says so ([`ErrorCode::Unfinished`]).
    fn finish(self) -> Result<Self::Output, Error>;
}

/// What the driver does next.
#[derive(Debug)]
#[must_use]
pub enum Step {
    /// Send this request, then hand the transmit back to the machine that made it, with its
    /// answer (`on_response`) or its failure (`on_failure`).
    Send(Transmit),
    /// Nothing to send now: wait for an answer of a request in flight, or until this time (ms),
    /// whichever comes first, then poll again. `None`: only an answer can move the call on.
    Wait(Option<u64>),
    /// Every request has ended: take the result with `finish`.
    Done,
}

/// One attempt of one request, handed out by a machine's `poll` and given back exactly once
/// with its outcome. It cannot be made or copied outside the core, so an outcome is always for
/// a request that was sent; it carries the identity of the call that made it, so an outcome
/// handed to another call is refused ([`ForeignTransmit`]) instead of confirming a request of
/// that call.
#[derive(Debug)]
pub struct Transmit {
    pub(crate) call: u64,
    /// Which request of its call (a batch of a cancel; 0 for a one-request call).
    pub(crate) slot: usize,
    pub(crate) request: HttpRequest,
    pub(crate) limit_ms: u64,
}

impl Transmit {
    /// The request to send: method, URL, headers (with the token) and body, as the rules made it
    /// (read-only: what goes out is what was checked).
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    /// The time limit of this attempt, in milliseconds: `timeoutMs`, or less at the deadline.
    pub fn limit_ms(&self) -> u64 {
        self.limit_ms
    }
}

/// The refusal of a [`Transmit`] handed to a call that did not make it: the call is left as it
/// was, and the transmit comes back inside, to be handed to the call that made it
/// ([`ForeignTransmit::into_transmit`]).
#[derive(Debug)]
pub struct ForeignTransmit(pub(crate) Transmit);

impl ForeignTransmit {
    /// The transmit, unchanged.
    pub fn into_transmit(self) -> Transmit {
        self.0
    }
}

impl fmt::Display for ForeignTransmit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("this transmit was handed out by another call; hand its outcome to the call that made it")
    }
}

impl std::error::Error for ForeignTransmit {}

/// How an attempt failed without an answer, as a driver's HTTP client tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The attempt's time limit ([`Transmit::limit_ms`]) passed first.
    TimedOut,
    /// The connection failed or broke after the request may have left (the service may have
    /// acted): the client's message, which may be shown (the token is withheld from it).
    Network(String),
    /// The driver stopped the attempt after the call's `abort`; the request may have left.
    Aborted,
    /// The request certainly never left (the client says so: a DNS failure, a refused
    /// connection): the client's message.
    NotSent(String),
}

impl Failure {
    /// The error of an attempt of `transmit` that failed so; `token` is withheld from the
    /// client's message.
    pub(crate) fn into_error(self, transmit: &Transmit, token: &Token) -> Error {
        match self {
            Failure::TimedOut => Error::new(
                ErrorCode::Timeout,
                format!("the attempt took longer than {} ms", transmit.limit_ms),
            ),
            Failure::Aborted => Error::aborted(),
            Failure::Network(message) => Error::new(ErrorCode::NetworkError, token.withhold(message)),
            Failure::NotSent(message) => Error {
                not_sent: true,
                ..Error::new(ErrorCode::NetworkError, token.withhold(message))
            },
        }
    }
}

/// The identity of the next call made: what ties a [`Transmit`] to its call. A counter and not
/// the call's address, since a call moves (into a future, a box) while its transmits are out.
static NEXT_CALL: AtomicU64 = AtomicU64::new(0);

/// A new call's identity.
pub(crate) fn next_call() -> u64 {
    NEXT_CALL.fetch_add(1, Ordering::Relaxed)
}

/// The next number of a xorshift64* sequence over `state` (never zero), in `[0, 1)`: the jitter
/// of retry waits. Seeded by the driver, so every wait is reproducible in a test.
pub(crate) fn next_random(state: &mut u64) -> f64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}
