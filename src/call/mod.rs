//! The call: the sans-IO state machine that carries a cancel from its first request to its
//! summary (batches in flight, retries and their waits, passes, the deadline, the tally), and
//! the retry decisions it makes. Time and randomness come in as arguments; a driver does the I/O.

pub(crate) mod cancellation;
pub(crate) mod retry;
