//! The call: the sans-IO state machines that carry a request from its first attempt to its
//! result, all with one driver contract (`transmit`): a cancel (batches in flight, retries and
//! their waits, passes, the deadline, the tally), one request and its answer (a background start,
//! a read), a wait for a bulk action, a listing of them; and the retry decisions they make. Time
//! and randomness come in as arguments; a driver does the I/O.

pub(crate) mod action_listing;
pub(crate) mod action_wait;
pub(crate) mod cancellation;
pub(crate) mod exchange;
pub(crate) mod retry;
pub(crate) mod transmit;
