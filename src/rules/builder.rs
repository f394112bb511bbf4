//! A typed way for Rust callers to say what to cancel: no option name to misspell, and the
//! same rules as the JS options (the builder writes [`Options`] and [`parse_request`] checks
//! them), so there is one rule set, not two.

use crate::error::Error;
use crate::limits::MAX_SAFE_INTEGER;
use crate::rules::call_options::RetryPolicy;
use crate::rules::request::{CancelRequest, Encoding, Filters};
use crate::rules::validate::parse_request;
use crate::rules::value::{Options, Value};
use crate::text::string_list::StringList;

/// One cancel: its target ([`CancelRuns::ids`], [`CancelRuns::filters`] or
/// [`CancelRuns::all`]) and how to carry it out, checked by [`CancelRuns::check`].
///
/// With a Worker's `env` (in workers-rs, `env.var(name)` or `env.secret(name)`), the account
/// comes from [`from_env`](crate::from_env), and [`Cancellation`](crate::Cancellation) says what
/// to send, with any HTTP client:
///
/// ```
/// use qstash_cancel::{from_env, CancelRuns, Cancellation, Filters, HttpResponse, Machine, Step};
///
/// # let vars = std::collections::HashMap::from([("QSTASH_TOKEN", "my-token")]);
/// // In a workers-rs Worker: from_env(|name| env.var(name).ok().map(|v| v.to_string()))
/// let account = from_env(|name| vars.get(name).map(|v| v.to_string()))?;
/// // A filter cancel repeats until a pass cancels nothing (the service cancels at most 100 a call).
/// let request = CancelRuns::filters(Filters::new().workflow_url("https://app.example.com/api/report").label("nightly"))
///     .check()?;
/// let mut call = Cancellation::new(&account, request, 0, 1)?;
/// # let mut answers = [250, 100, 0].into_iter();
/// while let Step::Send(transmit) = call.poll(0) {
///     // method, url, headers, body: send it with worker::Fetch
///     assert_eq!(transmit.request().url, "https://qstash.upstash.io/v2/workflows/runs?workflowUrl=https%3A%2F%2Fapp.example.com%2Fapi%2Freport&label=nightly");
///     # let n = answers.next().unwrap_or(0);
///     let answer = HttpResponse { status: 200, body: format!(r#"{{"cancelled":{n}}}"#), ..Default::default() };
///     call.on_response(transmit, &answer, 0);
/// }
/// let summary = call.finish()?;
/// assert_eq!((summary.cancelled, summary.passes, summary.more_may_match), (350, 3, false));
/// # Ok::<(), qstash_cancel::Error>(())
/// ```
///
/// Refusals are the same as for JS options, naming the option:
///
/// ```
/// use qstash_cancel::{CancelRuns, Encoding, Filters};
///
/// let err = CancelRuns::ids(Vec::<String>::new()).check().unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("workflowRunIds"));
/// // The JSON body form cannot carry callerIp: sent there, it would be ignored and cancel more.
/// let err = CancelRuns::filters(Filters::new().caller_ip("10.0.0.1")).encoding(Encoding::Body).check().unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("callerIp"));
/// let err = CancelRuns::filters(Filters::new()).check().unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("options"), "no filter is no target");
/// ```
#[derive(Clone, Debug)]
#[must_use = "a CancelRuns does nothing until .check() turns it into a request"]
pub struct CancelRuns {
    options: Options,
}

impl CancelRuns {
    /// Exactly these runs.
    pub fn ids<I: IntoIterator<Item = S>, S: AsRef<str>>(ids: I) -> Self {
        let mut list = StringList::new();
        for id in ids {
            list.push(id.as_ref());
        }
        Self::with("workflowRunIds", Value::Strings(list))
    }

    /// The runs matching `filters`.
    pub fn filters(filters: Filters) -> Self {
        let mut options = Options::new();
        let lists = [
            ("workflowUrl", &filters.workflow_url),
            ("label", &filters.label),
            ("callerIp", &filters.caller_ip),
            ("flowControlKey", &filters.flow_control_key),
            ("host", &filters.host),
            ("path", &filters.path),
        ];
        for (key, list) in lists {
            if !list.is_empty() {
                options.insert(key.to_owned(), Value::Strings(list.clone()));
            }
        }
        for (key, date) in [("fromDate", filters.from_date), ("toDate", filters.to_date)] {
            if let Some(ms) = date {
                options.insert(key.to_owned(), Value::Number(ms as f64));
            }
        }
        if filters.workflow_url_exact_match {
            options.insert("workflowUrlExactMatch".to_owned(), Value::Bool(true));
        }
        CancelRuns { options }
    }

    /// Every run of the account.
    pub fn all() -> Self {
        Self::with("all", Value::Bool(true))
    }

    /// How the request travels (the query form by default).
    pub fn encoding(self, encoding: Encoding) -> Self {
        let name = match encoding {
            Encoding::Query => "query",
            Encoding::Body => "body",
        };
        self.and("encoding", Value::String(name.to_owned()))
    }

    /// `count`: the most runs the whole call may cancel, passes and retries included (query
    /// form; filters and `all`). A count past 2^53 - 1 (more runs than any account holds) is
    /// taken as that: the options are JS numbers, which hold no larger integer exactly.
    pub fn count(self, count: u64) -> Self {
        self.and("count", Value::Number(count.min(MAX_SAFE_INTEGER) as f64))
    }

    /// `retry`: how failed attempts are retried ([`RetryPolicy::NONE`] never retries).
    pub fn retry(self, policy: RetryPolicy) -> Self {
        let fields = [
            ("retries", f64::from(policy.retries)),
            ("baseDelayMs", policy.base_delay_ms as f64),
            ("maxDelayMs", policy.max_delay_ms as f64),
        ];
        let entries = fields.map(|(k, n)| (k.to_owned(), Value::Number(n))).to_vec();
        self.and("retry", Value::Object(entries))
    }

    /// `timeoutMs`: the limit of one attempt.
    pub fn timeout_ms(self, ms: u64) -> Self {
        self.and("timeoutMs", Value::Number(ms as f64))
    }

    /// `deadlineMs`: the limit of the whole call.
    pub fn deadline_ms(self, ms: u64) -> Self {
        self.and("deadlineMs", Value::Number(ms as f64))
    }

    /// `concurrency`: requests in flight at once for a long id list.
    pub fn concurrency(self, requests: usize) -> Self {
        self.and("concurrency", Value::Number(requests as f64))
    }

    /// `untilDone`: repeat until a pass cancels nothing (the default for filters and `all`;
    /// `false` sends one request).
    pub fn until_done(self, repeat: bool) -> Self {
        self.and("untilDone", Value::Bool(repeat))
    }

    /// `maxPasses`: the most passes of a repeating cancel (a safety stop: reaching it while runs
    /// are still being cancelled is an `Unfinished` error).
    pub fn max_passes(self, passes: u32) -> Self {
        self.and("maxPasses", Value::Number(f64::from(passes)))
    }

    /// `maxRequests`: the most HTTP requests the call may send, retries and passes included (a
    /// Worker's subrequest budget). A list that needs more is refused before anything is sent.
    pub fn max_requests(self, requests: u32) -> Self {
        self.and("maxRequests", Value::Number(f64::from(requests)))
    }

    /// The checked request, or the refusal (the same as for the JS options).
    pub fn check(&self) -> Result<CancelRequest, Error> {
        parse_request(&self.options)
    }

    fn with(key: &str, value: Value) -> Self {
        CancelRuns {
            options: Options::new(),
        }
        .and(key, value)
    }

    fn and(mut self, key: &str, value: Value) -> Self {
        self.options.insert(key.to_owned(), value);
        self
    }
}
