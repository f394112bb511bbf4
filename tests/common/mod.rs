//! The one driver the machine tests run: any machine of the crate, through its [`Machine`] trait,
//! against a simulated service and clock (no network, no timers: the same inputs give the same
//! run every time). It is the loop a Rust user writes around an HTTP client.
// Each test file reads the parts of a run it checks.
#![allow(dead_code)]

use qstash_cancel::{Error, Failure, HttpRequest, HttpResponse, Machine, Step, Transmit};

/// What the simulated service does with one request: after this many milliseconds, it answers or
/// the attempt fails.
pub type Reply = (u64, Result<HttpResponse, Failure>);

/// What a run did: the requests as the service received them, what the machine reported on the
/// way and its result.
pub struct Run<M: Machine> {
    /// (time sent, URL, body).
    pub requests: Vec<(u64, String, Option<String>)>,
    pub most_in_flight: usize,
    pub reports: Vec<M::Report>,
    /// When the machine said it was done, in simulated milliseconds.
    pub ended_at: u64,
    pub result: Result<M::Output, Error>,
}

/// Runs `machine` from time 0 to its result. `service` gets each request and the time it is
/// sent, and says how long it takes and what comes back (a reply slower than the attempt's limit
/// is a time-out at the limit). `abort_at`: the caller's signal fires then (attempts in flight
/// end at once, as `fetch` does on abort). At most `max_steps` polls, so a machine that
/// busy-waits or never ends fails the test instead of hanging it.
pub fn simulate<M: Machine>(
    mut machine: M,
    abort_at: Option<u64>,
    max_steps: usize,
    mut service: impl FnMut(&HttpRequest, u64) -> Reply,
) -> Run<M> {
    let (mut now, mut aborted) = (0, false);
    let (mut requests, mut most_in_flight, mut reports) = (Vec::new(), 0, Vec::new());
    let mut flights: Vec<(u64, Transmit, Result<HttpResponse, Failure>)> = Vec::new();
    for _ in 0..max_steps {
        if abort_at.is_some_and(|at| now >= at) && !aborted {
            aborted = true;
            machine.abort();
            for flight in &mut flights {
                flight.0 = now;
                flight.2 = Err(Failure::Aborted);
            }
        }
        match machine.poll(now) {
            Step::Send(transmit) => {
                let http = transmit.request();
                requests.push((now, http.url.clone(), http.body.clone()));
                let (ms, reply) = match service(http, now) {
                    (ms, _) if ms > transmit.limit_ms() => (transmit.limit_ms(), Err(Failure::TimedOut)),
                    answer => answer,
                };
                flights.push((now + ms, transmit, reply));
                most_in_flight = most_in_flight.max(flights.len());
            }
            Step::Wait(until) => {
                let next_answer = flights.iter().map(|f| f.0).min();
                let abort = abort_at.filter(|_| !aborted);
                now = [next_answer, until, abort]
                    .into_iter()
                    .flatten()
                    .min()
                    .expect("a wait with nothing to wait for")
                    .max(now);
                if let Some(i) = flights
                    .iter()
                    .position(|f| Some(f.0) == next_answer && f.0 <= now)
                {
                    let (_, transmit, reply) = flights.swap_remove(i);
                    match reply {
                        Ok(answer) => reports.extend(
                            machine
                                .on_response(transmit, &answer, now)
                                .expect("its own transmit"),
                        ),
                        Err(failure) => machine
                            .on_failure(transmit, failure, now)
                            .expect("its own transmit"),
                    }
                }
            }
            Step::Done => {
                assert!(flights.is_empty(), "done with requests in flight");
                return Run {
                    requests,
                    most_in_flight,
                    reports,
                    ended_at: now,
                    result: machine.finish(),
                };
            }
        }
    }
    panic!("the machine did not end within {max_steps} steps (at {now} ms): a busy loop?");
}
