//! Waiting for a bulk action to finish, as a state machine: a reading every `pollMs` until the
//! action is `FINISHED`, within the wait's `deadlineMs`.
//!
//! Stopping the wait (an abort, the deadline, the driver's own reason) stops the waiting only:
//! the service goes on with the action, so every such stop says so, with the last reading seen,
//! which the caller can show and resume from. A reading that goes back (less processed, a smaller
//! total) comes from a broken or replayed answer: the wait ends on the last good one rather than
//! show progress that never happened.

use crate::call::exchange::{hand_to, Exchange};
use crate::call::transmit::{next_random, Failure, ForeignTransmit, Machine, Step, Transmit};
use crate::error::{Error, ErrorCode};
use crate::rules::account::Account;
use crate::rules::bulk_read::{action_id_rule, poll_ms as checked_poll_ms, ActionState};
use crate::rules::call_options::CallOptions;
use crate::wire::bulk_action::{get_request, read_action, BulkAction};
use crate::wire::response::HttpResponse;

/// A wait for one bulk action. The driver contract is the other machines'; each answer that is a
/// reading comes back from [`on_response`](ActionWait::on_response) (for `onProgress`).
#[derive(Debug)]
pub struct ActionWait {
    account: Account,
    action_id: String,
    /// Of each reading: retries and time-out (its deadline is what is left of the wait's).
    call_options: CallOptions,
    poll_ms: u64,
    started_at: u64,
    random: u64,
    reading: Option<Exchange<BulkAction>>,
    next_at: u64,
    last: Option<BulkAction>,
    /// Whether the caller stopped it: a reading whose answer arrives after is the last.
    aborted: bool,
    end: Option<Result<BulkAction, Error>>,
    /// The driver's reason to stop, given while a reading was in flight: the wait ends with it
    /// once that reading is taken (its answer is the last reading).
    stopping: Option<Error>,
}

impl ActionWait {
    /// Plans the wait at `now_ms`: the first reading goes out at once. `call_options` are each
    /// reading's (`retry`, `timeoutMs`) and the wait's `deadlineMs`.
    pub fn new(
        account: &Account,
        action_id: &str,
        call_options: &CallOptions,
        poll_ms: u64,
        now_ms: u64,
        seed: u64,
    ) -> Result<Self, Error> {
        if let Some(rule) = action_id_rule(action_id) {
            return Err(Error::invalid("actionId", rule));
        }
        let poll_ms = checked_poll_ms(poll_ms as f64)?;
        Ok(ActionWait {
            account: account.clone(),
            action_id: action_id.to_owned(),
            call_options: call_options.clone(),
            poll_ms,
            started_at: now_ms,
            random: seed | 1,
            reading: None,
            next_at: now_ms,
            last: None,
            aborted: false,
            end: None,
            stopping: None,
        })
    }

    /// The last reading the wait took (kept in its error when it stops: the action goes on).
    pub fn last(&self) -> Option<&BulkAction> {
        self.last.as_ref()
    }

    /// Ends the wait for the driver's own reason (`why`, the error it ends with; a client freed
    /// during the wait, say), saying that the action goes on: now, or once the reading in
    /// flight is handed back (its answer is then the last reading; nothing more is sent).
    pub fn stop(&mut self, why: Error) {
        match &self.reading {
            Some(reading) if reading.in_flight() => self.stopping = Some(why),
            _ => {
                self.reading = None;
                if self.end.is_none() {
                    self.end = Some(Err(self.stopped(why)));
                }
            }
        }
    }
}

impl Machine for ActionWait {
    type Report = BulkAction;
    type Output = BulkAction;

    /// What to do at time `now_ms`: send a reading, wait, or take the result.
    fn poll(&mut self, now_ms: u64) -> Step {
        loop {
            if let Some(reading) = &mut self.reading {
                match reading.poll(now_ms) {
                    Step::Done => {
                        self.take_reading(now_ms);
                        continue;
                    }
                    step => return step,
                }
            }
            if self.end.is_some() {
                return Step::Done;
            }
            if self.aborted {
                let why = "stopped waiting: the AbortSignal fired".into();
                self.stop(Error::new(ErrorCode::Aborted, why));
                return Step::Done;
            }
            if now_ms < self.next_at {
                return Step::Wait(Some(self.next_at));
            }
            let mut options = self.call_options.clone();
            options.deadline_ms = self.deadline_at().map(|at| at.saturating_sub(now_ms).max(1));
            let seed = (next_random(&mut self.random) * (1u64 << 53) as f64) as u64;
            let http = get_request(&self.account, &self.action_id);
            self.reading = Some(Exchange::new(
                &self.account,
                http,
                read_action,
                &options,
                now_ms,
                seed,
            ));
        }
    }

    /// The stop the caller asked for: a reading in flight is ended (its abort ends the wait, and
    /// one whose answer does arrive is the last), and no reading is taken after.
    fn abort(&mut self) {
        self.aborted = true;
        if let Some(reading) = &mut self.reading {
            reading.abort();
        }
    }

    /// The answer to a reading's `transmit` came in: the reading, if it is one (for
    /// `onProgress`).
    fn on_response(
        &mut self,
        transmit: Transmit,
        response: &HttpResponse,
        now_ms: u64,
    ) -> Result<Option<BulkAction>, ForeignTransmit> {
        let ended = hand_to(&mut self.reading, transmit, |read, t| {
            read.on_response(t, response, now_ms)
        })?;
        Ok(if ended { self.take_reading(now_ms) } else { None })
    }

    /// A reading's `transmit` got no answer.
    fn on_failure(
        &mut self,
        transmit: Transmit,
        failure: Failure,
        now_ms: u64,
    ) -> Result<(), ForeignTransmit> {
        if hand_to(&mut self.reading, transmit, |read, t| {
            read.on_failure(t, failure, now_ms)
        })? {
            self.take_reading(now_ms);
        }
        Ok(())
    }

    /// The action once `FINISHED`, or the error the wait ended with. Called before
    /// [`Step::Done`], the wait has not ended and says so ([`ErrorCode::Unfinished`]).
    fn finish(self) -> Result<BulkAction, Error> {
        match self.end {
            Some(end) => end,
            None => Err(Error::new(
                ErrorCode::Unfinished,
                format!(
                    "the wait was finished before poll said Done; bulk action {} goes on in the service",
                    self.action_id
                ),
            )),
        }
    }
}

impl ActionWait {
    /// When the wait's `deadlineMs` passes, if it has one.
    fn deadline_at(&self) -> Option<u64> {
        self.call_options
            .deadline_ms
            .map(|ms| self.started_at.saturating_add(ms))
    }

    /// Takes the ended reading's result: the next reading is planned, or the wait ends. Returns
    /// the reading, if it is a new one.
    fn take_reading(&mut self, now_ms: u64) -> Option<BulkAction> {
        let reading = self.take(now_ms);
        if let Some(why) = self.stopping.take() {
            self.stop(why);
        }
        reading
    }

    /// [`take_reading`](ActionWait::take_reading) but for a stop the driver asked for meanwhile.
    fn take(&mut self, now_ms: u64) -> Option<BulkAction> {
        let result = self.reading.take()?.finish();
        let action = match result {
            Ok(action) => action,
            Err(err) if matches!(err.code, ErrorCode::Aborted | ErrorCode::Timeout) => {
                let why = format!("stopped waiting during a reading: {}", err.message);
                self.stop(Error::new(err.code, why));
                return None;
            }
            Err(err) => {
                self.end = Some(Err(err));
                return None;
            }
        };
        if let Some(last) = &self.last {
            if action.processed < last.processed || action.total < last.total {
                let why = format!(
                    "the service's reading went backwards ({} of {} processed after {} of {}); stopped waiting",
                    action.processed, action.total, last.processed, last.total
                );
                self.stop(Error::new(ErrorCode::InvalidResponse, why));
                return None;
            }
        }
        self.last = Some(action.clone());
        if action.state == ActionState::Finished {
            self.end = Some(Ok(action.clone()));
            return Some(action);
        }
        self.next_at = now_ms.saturating_add(self.poll_ms);
        if let Some(limit) = self
            .call_options
            .deadline_ms
            .filter(|_| self.deadline_at() <= Some(self.next_at))
        {
            let why = format!("stopped waiting: deadlineMs ({limit} ms) would pass before the next reading");
            self.stop(Error::new(ErrorCode::Timeout, why));
        }
        Some(action)
    }

    /// `why`, saying that stopping the wait does not stop the action, with the last reading.
    fn stopped(&self, why: Error) -> Error {
        let id = &self.action_id;
        let tail = match &self.last {
            Some(last) => format!(
                "bulk action {id} goes on in the service (last seen: {} of {} processed)",
                last.processed, last.total
            ),
            None => format!("stopping the wait does not stop bulk action {id} in the service"),
        };
        Error {
            message: format!("{}; {tail}", why.message),
            ..why
        }
    }
}
