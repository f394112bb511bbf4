//! Retry decisions: which failures are worth another attempt and how long to wait first.
//!
//! The bulk cancel is idempotent (a run cancelled once is not counted again), so transient
//! failures are retried, with one exception: a request that carries a `count` is not sent again
//! after a failure that leaves it open whether the service acted ([`may_have_acted`]), because
//! the copy could cancel `count` more runs and `count` is a ceiling for the whole call. Time and
//! randomness come in as arguments, so every decision is a plain unit test.

use crate::error::{Error, ErrorCode, Partial};
use crate::limits::MAX_RATE_LIMIT_WAIT_MS;
use crate::rules::call_options::{CallOptions, RetryPolicy};

/// Whether an attempt that failed with `err` may be sent again: network failures, per-attempt
/// time-outs, 429 and [`RETRIED_STATUSES`]. Other answers would fail again the same way.
pub fn is_retryable(err: &Error) -> bool {
    match err.code {
        ErrorCode::NetworkError | ErrorCode::Timeout | ErrorCode::RateLimited => true,
        ErrorCode::HttpError => err.status.is_some_and(|s| RETRIED_STATUSES.contains(&s)),
        _ => false,
    }
}

/// The HTTP statuses that are retried besides 429: a request time-out, and the answers of
/// overloaded, restarting or unreachable servers and of the proxies in front of them (520 to 524
/// are Cloudflare's). 501 and 505 say the request itself will never work, so they are not.
pub const RETRIED_STATUSES: &[u16] = &[408, 500, 502, 503, 504, 520, 521, 522, 523, 524];

/// Answers that say the request was not carried out, among the 5xx: 501 and 505 (the request
/// can never work), 503 (the server is unable to handle requests now: overload or maintenance)
/// and Cloudflare's 521 to 523 (the origin was never reached). Every 3xx and 4xx says so too.
pub const NOT_DONE_STATUSES: &[u16] = &[501, 503, 505, 521, 522, 523];

/// Whether the service may have acted on a request whose attempt failed with `err`: the
/// request left and no answer says what happened (a time-out, a cut connection, an abort while
/// it was in flight), a 2xx answer could not be read, or a 5xx other than
/// [`NOT_DONE_STATUSES`] (a proxy's 502 or 504 may come after the service acted).
pub fn may_have_acted(err: &Error) -> bool {
    match err.code {
        ErrorCode::Timeout | ErrorCode::NetworkError | ErrorCode::Aborted => !err.not_sent,
        ErrorCode::InvalidResponse => true,
        ErrorCode::HttpError => err
            .status
            .is_some_and(|s| s >= 500 && !NOT_DONE_STATUSES.contains(&s)),
        _ => false,
    }
}

/// The wait before retry number `retries_done + 1`, or `None` to give up.
///
/// A 429 waits for what the service asked (`Retry-After`, else the rate-limit reset), capped
/// at [`MAX_RATE_LIMIT_WAIT_MS`]; everything else uses exponential backoff with full jitter
/// (`random` in `[0, 1)`), which spreads many clients' retries out instead of synchronising them.
pub fn next_delay(
    policy: &RetryPolicy,
    retries_done: u32,
    err: &Error,
    now_ms: u64,
    random: f64,
) -> Option<u64> {
    if retries_done >= policy.retries || !is_retryable(err) {
        return None;
    }
    if let Some(wait) = requested_wait(err, now_ms) {
        return (wait <= MAX_RATE_LIMIT_WAIT_MS).then_some(wait);
    }
    let exponential = policy.base_delay_ms.saturating_mul(1u64 << retries_done.min(32));
    let cap = exponential.min(policy.max_delay_ms);
    Some((random.clamp(0.0, 1.0) * cap as f64) as u64)
}

/// The time limit of the next attempt, in milliseconds: `timeoutMs`, or what is left before the
/// deadline (`deadline_at`, Unix ms) when that is sooner; once the deadline has passed, the
/// error the call ends with.
pub fn attempt_limit(
    call_options: &CallOptions,
    deadline_at: Option<u64>,
    now_ms: u64,
) -> Result<u64, Error> {
    match deadline_at {
        Some(at) if now_ms >= at => Err(deadline_passed(call_options)),
        Some(at) => Ok(call_options.timeout_ms.min(at - now_ms)),
        None => Ok(call_options.timeout_ms),
    }
}

/// After attempt number `retries_done + 1` failed with `err`: the wait before the next one, or
/// the error the call ends with. A time-out at the deadline is the deadline's error; a request
/// with a `count` (`count_limited`) is not sent again when the service may have acted; a wait
/// that would end past the deadline is not begun (the call ends with `err`); running out of
/// retries ends it with `err`, saying how long the service asked to wait if that was the reason.
pub fn after_failure(
    call_options: &CallOptions,
    retries_done: u32,
    err: Error,
    count_limited: bool,
    deadline_at: Option<u64>,
    now_ms: u64,
    random: f64,
) -> Result<u64, Error> {
    let past_deadline = deadline_at.is_some_and(|at| now_ms >= at);
    if err.code == ErrorCode::Timeout && past_deadline {
        return Err(deadline_passed(call_options));
    }
    if count_limited && may_have_acted(&err) {
        return Err(err);
    }
    let Some(delay) = next_delay(&call_options.retry, retries_done, &err, now_ms, random) else {
        return Err(give_up(err, now_ms));
    };
    match deadline_at {
        Some(at) if now_ms.saturating_add(delay) >= at => Err(err),
        _ => Ok(delay),
    }
}

/// After the start of a background cancel (`async: true`) failed with `err`: the wait before
/// sending it again, or the error the call ends with. A start is never sent again once the
/// service may have acted on it (it left and no answer says what happened, a 2xx could not be
/// read, or a 5xx that may come after the service acted): a copy would start a second bulk
/// action, and the caller would learn only its id. Ending so, the error counts the start as
/// unconfirmed (`partial.unconfirmed` is 1, what a program branches on) and says where to look
/// (`listBulkActions`). Other failures are retried as [`RETRIED_STATUSES`] and the policy say.
pub fn after_start_failure(
    call_options: &CallOptions,
    retries_done: u32,
    err: Error,
    deadline_at: Option<u64>,
    now_ms: u64,
    random: f64,
) -> Result<u64, Error> {
    let unconfirmed = may_have_acted(&err);
    after_failure(call_options, retries_done, err, true, deadline_at, now_ms, random).map_err(|mut end| {
        if unconfirmed {
            end.message.push_str(
                "; the start went unconfirmed, so a bulk action may be running: look with listBulkActions before starting another",
            );
            end.partial = Some(Box::new(Partial {
                unconfirmed: 1,
                ..Partial::default()
            }));
        }
        end
    })
}

fn deadline_passed(call_options: &CallOptions) -> Error {
    let ms = call_options.deadline_ms.unwrap_or(0);
    Error::new(
        ErrorCode::Timeout,
        format!("the call did not finish within deadlineMs ({ms} ms)"),
    )
}

/// `err` once retrying has ended, saying so when the service asked for a longer wait than
/// [`MAX_RATE_LIMIT_WAIT_MS`] (the caller then knows when to try again).
fn give_up(mut err: Error, now_ms: u64) -> Error {
    if let Some(wait) = requested_wait(&err, now_ms).filter(|ms| *ms > MAX_RATE_LIMIT_WAIT_MS) {
        err.message = format!(
            "{}; the service asked to wait {} s, longer than the {} s this library waits",
            err.message,
            wait.div_ceil(1000),
            MAX_RATE_LIMIT_WAIT_MS / 1000
        );
    }
    err
}

/// How long a 429 (or a 503 with `Retry-After`) asked to wait, in milliseconds: `Retry-After` in
/// seconds or as an HTTP date, else the rate-limit reset.
fn requested_wait(err: &Error, now_ms: u64) -> Option<u64> {
    let limit = err.rate_limit.as_deref()?;
    if let Some(seconds) = limit.retry_after {
        return Some(seconds.saturating_mul(1000));
    }
    let at = limit.retry_at.or(limit.reset.map(|s| s.saturating_mul(1000)))?;
    Some(at.saturating_sub(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RateLimit;

    fn failure(code: ErrorCode, status: Option<u16>) -> Error {
        Error {
            status,
            ..Error::new(code, String::new())
        }
    }

    fn rate_limited(retry_after: Option<u64>, reset: Option<u64>) -> Error {
        waiting(
            failure(ErrorCode::RateLimited, Some(429)),
            retry_after,
            reset,
            None,
        )
    }

    fn waiting(mut err: Error, retry_after: Option<u64>, reset: Option<u64>, retry_at: Option<u64>) -> Error {
        err.rate_limit = Some(Box::new(RateLimit {
            retry_after,
            reset,
            retry_at,
            ..RateLimit::default()
        }));
        err
    }

    #[test]
    fn retryable_failures() {
        let cases = [
            (failure(ErrorCode::NetworkError, None), true),
            (failure(ErrorCode::Timeout, None), true),
            (failure(ErrorCode::RateLimited, Some(429)), true),
            (failure(ErrorCode::HttpError, Some(408)), true),
            (failure(ErrorCode::HttpError, Some(500)), true),
            (failure(ErrorCode::HttpError, Some(502)), true),
            (failure(ErrorCode::HttpError, Some(503)), true),
            (failure(ErrorCode::HttpError, Some(504)), true),
            (failure(ErrorCode::HttpError, Some(400)), false),
            (failure(ErrorCode::HttpError, Some(404)), false),
            (failure(ErrorCode::HttpError, Some(412)), false),
            (failure(ErrorCode::HttpError, Some(501)), false),
            (failure(ErrorCode::HttpError, Some(505)), false),
            (failure(ErrorCode::HttpError, Some(520)), true),
            (failure(ErrorCode::HttpError, Some(524)), true),
            (failure(ErrorCode::HttpError, Some(525)), false),
            (failure(ErrorCode::Unauthorized, Some(401)), false),
            (failure(ErrorCode::InvalidResponse, Some(200)), false),
            (failure(ErrorCode::InvalidOptions, None), false),
            (failure(ErrorCode::Aborted, None), false),
        ];
        for (err, want) in cases {
            assert_eq!(is_retryable(&err), want, "{:?} {:?}", err.code, err.status);
        }
    }

    #[test]
    fn backoff_is_exponential_with_full_jitter_and_capped() {
        let policy = RetryPolicy {
            retries: 10,
            base_delay_ms: 100,
            max_delay_ms: 1_000,
        };
        let err = failure(ErrorCode::HttpError, Some(503));
        let cases = [
            // (retries done, random, delay)
            (0, 0.999_999, 99),
            (0, 0.5, 50),
            (1, 0.5, 100),
            (2, 0.5, 200),
            (3, 0.999_999, 799),
            (4, 0.999_999, 999),
            (9, 0.5, 500),
            (0, 0.0, 0),
        ];
        for (done, random, want) in cases {
            assert_eq!(
                next_delay(&policy, done, &err, 0, random),
                Some(want),
                "{done} {random}"
            );
        }
        assert_eq!(next_delay(&policy, 10, &err, 0, 0.5), None, "retries used up");
        assert_eq!(
            next_delay(&RetryPolicy::NONE, 0, &err, 0, 0.5),
            None,
            "retry: false"
        );
        let huge = RetryPolicy {
            retries: 100,
            base_delay_ms: u64::MAX / 2,
            max_delay_ms: u64::MAX,
        };
        assert!(next_delay(&huge, 70, &err, 0, 0.5).is_some(), "no overflow");
    }

    #[test]
    fn rate_limits_wait_for_what_the_service_asked() {
        let policy = RetryPolicy::default();
        let now = 1_764_000_000_000;
        let cases = [
            (rate_limited(Some(3), None), Some(3_000)),
            (rate_limited(Some(3), Some(1_764_000_010)), Some(3_000)),
            (rate_limited(None, Some(1_764_000_002)), Some(2_000)),
            (rate_limited(None, Some(1_763_999_999)), Some(0)),
            (rate_limited(Some(61), None), None),
            (rate_limited(None, Some(1_764_000_100)), None),
            (rate_limited(Some(u64::MAX), None), None),
            (rate_limited(None, Some(u64::MAX)), None),
            // Retry-After as an HTTP date, before the reset; in the past: at once.
            (
                waiting(
                    failure(ErrorCode::RateLimited, Some(429)),
                    None,
                    Some(1_764_000_050),
                    Some(now + 4_500),
                ),
                Some(4_500),
            ),
            (
                waiting(
                    failure(ErrorCode::RateLimited, Some(429)),
                    None,
                    None,
                    Some(now - 1),
                ),
                Some(0),
            ),
            // A 503 that asked for a wait gets it, not the backoff.
            (
                waiting(failure(ErrorCode::HttpError, Some(503)), Some(5), None, None),
                Some(5_000),
            ),
        ];
        for (err, want) in cases {
            assert_eq!(next_delay(&policy, 0, &err, now, 0.5), want);
        }
        let plain = failure(ErrorCode::RateLimited, Some(429));
        assert_eq!(
            next_delay(&policy, 0, &plain, now, 0.5),
            Some(125),
            "no headers: backoff"
        );
    }

    #[test]
    fn non_retryable_failures_stop_at_once() {
        let err = failure(ErrorCode::Unauthorized, Some(401));
        assert_eq!(next_delay(&RetryPolicy::default(), 0, &err, 0, 0.5), None);
    }

    #[test]
    fn giving_up_on_a_long_wait_says_how_long() {
        let now = 1_764_000_000_000;
        let cases = [
            (
                rate_limited(Some(3_600), None),
                "asked to wait 3600 s, longer than the 60 s",
            ),
            (rate_limited(None, Some(1_764_000_090)), "asked to wait 90 s"),
            (
                waiting(
                    failure(ErrorCode::RateLimited, Some(429)),
                    None,
                    None,
                    Some(now + 61_500),
                ),
                "asked to wait 62 s",
            ),
            (rate_limited(Some(u64::MAX), None), "asked to wait"),
        ];
        for (err, says) in cases {
            assert_eq!(next_delay(&RetryPolicy::default(), 0, &err, now, 0.5), None);
            let message = give_up(err, now).message;
            assert!(message.contains(says), "{message}");
        }
        let short = give_up(rate_limited(Some(3), None), now);
        assert_eq!(short.message, "", "a wait within the cap is not mentioned");
    }

    #[test]
    fn attempts_are_limited_by_the_time_out_and_the_deadline() {
        let call_options = CallOptions {
            timeout_ms: 1_000,
            deadline_ms: Some(5_000),
            ..CallOptions::default()
        };
        let cases = [
            // (deadline at, now, limit or the deadline's error)
            (None, 100, Ok(1_000)),
            (Some(10_000), 100, Ok(1_000)),
            (Some(10_000), 9_700, Ok(300)),
            (Some(10_000), 10_000, Err("within deadlineMs (5000 ms)")),
            (Some(10_000), 12_000, Err("within deadlineMs (5000 ms)")),
        ];
        for (deadline_at, now, want) in cases {
            let got = attempt_limit(&call_options, deadline_at, now).map_err(|e| e.message);
            match want {
                Ok(limit) => assert_eq!(got, Ok(limit), "{deadline_at:?} {now}"),
                Err(says) => assert!(got.unwrap_err().contains(says), "{deadline_at:?} {now}"),
            }
        }
    }

    /// Three retries from 100 ms, at most 1 s apart: the policy the decision tables use.
    fn three_retries() -> CallOptions {
        CallOptions {
            retry: RetryPolicy {
                retries: 3,
                base_delay_ms: 100,
                max_delay_ms: 1_000,
            },
            ..CallOptions::default()
        }
    }

    #[test]
    fn failures_are_retried_within_the_deadline() {
        let call_options = CallOptions {
            deadline_ms: Some(5_000),
            ..three_retries()
        };
        let now = 1_764_000_000_000;
        let unavailable = || failure(ErrorCode::HttpError, Some(503));
        let cases = [
            // (what, retries done, error, deadline at, delay or the message of the error the call ends with)
            ("backoff", 0, unavailable(), None, Ok(50)),
            (
                "backoff before the deadline",
                1,
                unavailable(),
                Some(now + 5_000),
                Ok(100),
            ),
            (
                "a wait past the deadline is not begun",
                1,
                unavailable(),
                Some(now + 100),
                Err("503".to_owned()),
            ),
            ("retries used up", 3, unavailable(), None, Err("503".to_owned())),
            (
                "not retryable",
                0,
                failure(ErrorCode::Unauthorized, Some(401)),
                None,
                Err("401".to_owned()),
            ),
            (
                "a time-out at the deadline",
                0,
                failure(ErrorCode::Timeout, None),
                Some(now),
                Err("within deadlineMs (5000 ms)".to_owned()),
            ),
            (
                "a time-out before it",
                0,
                failure(ErrorCode::Timeout, None),
                Some(now + 5_000),
                Ok(50),
            ),
            (
                "a long wait asked for",
                0,
                rate_limited(Some(600), None),
                None,
                Err("asked to wait 600 s".to_owned()),
            ),
        ];
        for (what, done, mut err, deadline_at, want) in cases {
            if err.message.is_empty() {
                err.message = format!("HTTP {}", err.status.unwrap_or(0));
            }
            let got =
                after_failure(&call_options, done, err, false, deadline_at, now, 0.5).map_err(|e| e.message);
            match want {
                Ok(delay) => assert_eq!(got, Ok(delay), "{what}"),
                Err(says) => assert!(got.as_ref().unwrap_err().contains(&says), "{what}: {got:?}"),
            }
        }
    }

    #[test]
    fn failures_that_leave_open_whether_the_service_acted() {
        let not_sent = Error {
            not_sent: true,
            ..failure(ErrorCode::NetworkError, None)
        };
        let cases = [
            (failure(ErrorCode::Timeout, None), true),
            (failure(ErrorCode::NetworkError, None), true),
            (not_sent, false),
            (failure(ErrorCode::Aborted, None), true),
            (failure(ErrorCode::InvalidResponse, Some(200)), true),
            (failure(ErrorCode::HttpError, Some(500)), true),
            (failure(ErrorCode::HttpError, Some(502)), true),
            (failure(ErrorCode::HttpError, Some(504)), true),
            (failure(ErrorCode::HttpError, Some(520)), true),
            (failure(ErrorCode::HttpError, Some(524)), true),
            (failure(ErrorCode::HttpError, Some(599)), true),
            (failure(ErrorCode::HttpError, Some(501)), false),
            (failure(ErrorCode::HttpError, Some(503)), false),
            (failure(ErrorCode::HttpError, Some(505)), false),
            (failure(ErrorCode::HttpError, Some(521)), false),
            (failure(ErrorCode::HttpError, Some(523)), false),
            (failure(ErrorCode::HttpError, Some(307)), false),
            (failure(ErrorCode::HttpError, Some(408)), false),
            (failure(ErrorCode::HttpError, Some(404)), false),
            (failure(ErrorCode::RateLimited, Some(429)), false),
            (failure(ErrorCode::Unauthorized, Some(401)), false),
        ];
        for (err, want) in cases {
            assert_eq!(may_have_acted(&err), want, "{:?} {:?}", err.code, err.status);
        }
    }

    #[test]
    fn a_request_with_count_is_not_sent_again_once_the_service_may_have_acted() {
        let call_options = three_retries();
        let cases = [
            // (error, count-limited, retried)
            (failure(ErrorCode::Timeout, None), true, false),
            (failure(ErrorCode::Timeout, None), false, true),
            (failure(ErrorCode::NetworkError, None), true, false),
            (failure(ErrorCode::HttpError, Some(502)), true, false),
            (failure(ErrorCode::HttpError, Some(502)), false, true),
            (failure(ErrorCode::HttpError, Some(503)), true, true),
            (failure(ErrorCode::RateLimited, Some(429)), true, true),
            (failure(ErrorCode::HttpError, Some(408)), true, true),
        ];
        for (err, limited, retried) in cases {
            let what = format!("{:?} {:?} count-limited {limited}", err.code, err.status);
            let got = after_failure(&call_options, 0, err, limited, None, 0, 0.5);
            assert_eq!(got.is_ok(), retried, "{what}");
        }
    }

    #[test]
    fn a_background_start_is_not_sent_again_once_the_service_may_have_acted() {
        let call_options = three_retries();
        let not_sent = Error {
            not_sent: true,
            ..failure(ErrorCode::NetworkError, None)
        };
        let cases = [
            // (error, retried, ends unconfirmed)
            (not_sent, true, false),
            (failure(ErrorCode::NetworkError, None), false, true),
            (failure(ErrorCode::Timeout, None), false, true),
            (failure(ErrorCode::Aborted, None), false, true),
            (failure(ErrorCode::InvalidResponse, Some(200)), false, true),
            (failure(ErrorCode::HttpError, Some(500)), false, true),
            (failure(ErrorCode::HttpError, Some(502)), false, true),
            (failure(ErrorCode::HttpError, Some(503)), true, false),
            (failure(ErrorCode::RateLimited, Some(429)), true, false),
            (failure(ErrorCode::HttpError, Some(404)), false, false),
            (failure(ErrorCode::Unauthorized, Some(401)), false, false),
        ];
        for (err, retried, unconfirmed) in cases {
            let what = format!("{:?} {:?}", err.code, err.status);
            match after_start_failure(&call_options, 0, err, None, 0, 0.5) {
                Ok(_) => assert!(retried, "{what}: sent again"),
                Err(end) => {
                    assert!(!retried, "{what}: not sent again");
                    let counted = end.partial.as_ref().map(|p| p.unconfirmed);
                    assert_eq!(counted, unconfirmed.then_some(1), "{what}");
                    assert_eq!(end.message.contains("listBulkActions"), unconfirmed, "{what}");
                }
            }
        }
        // Out of retries, or past the deadline: the same word when the last start went unanswered.
        let out = after_start_failure(
            &call_options,
            3,
            failure(ErrorCode::HttpError, Some(503)),
            None,
            0,
            0.5,
        );
        assert!(out.is_err_and(|e| e.partial.is_none()));
        let late = after_start_failure(
            &call_options,
            0,
            failure(ErrorCode::Timeout, None),
            Some(10),
            20,
            0.5,
        );
        assert!(late.is_err_and(
            |e| e.message.starts_with("the call did not finish within deadlineMs")
                && e.partial.is_some_and(|p| p.unconfirmed == 1)
        ));
    }
}
