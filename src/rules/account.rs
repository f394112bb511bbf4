//! The account a call acts on: its token and the base URL (the region, or a proxy) its requests
//! go to. Named for what it holds. It was `Connection`, but nothing here stays open between calls,
//! and in the sans-IO model (quinn-proto) a connection is the state machine of one exchange,
//! which here is [`Cancellation`](crate::Cancellation).

use crate::error::Error;
use crate::rules::base_url::BaseUrl;
use crate::rules::token::Token;

/// Where and as whom requests are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub(crate) token: Token,
    pub(crate) base_url: BaseUrl,
    /// The environment variable the token was read from ([`from_env`](crate::from_env)), so
    /// a person is told which account a call hits by the code that chose it, not by a second
    /// reading of the environment that a changed or hostile one could answer differently.
    pub(crate) token_from: Option<String>,
    /// The region `QSTASH_REGION` named, whose variables the account was read from.
    pub(crate) region: Option<&'static str>,
}

impl Account {
    /// The token (its `Debug` is redacted).
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// The checked base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The environment variable the token was read from (`QSTASH_TOKEN`,
    /// `US_EAST_1_QSTASH_TOKEN`, ...); `None` when it was given directly.
    pub fn token_from(&self) -> Option<&str> {
        self.token_from.as_deref()
    }

    /// The region `QSTASH_REGION` named (`US_EAST_1`), when the account was read from its
    /// variables; `None` otherwise.
    pub fn region(&self) -> Option<&str> {
        self.region
    }

    /// Where requests go and with which token: `base_url` `None` is QStash's default region.
    /// Checked by the same rules as the JS options `token` and `baseUrl`.
    ///
    /// ```
    /// use qstash_cancel::Account;
    ///
    /// let account = Account::new("my-token", Some("https://qstash-us-east-1.upstash.io"))?;
    /// assert_eq!(account.base_url().endpoint(), "https://qstash-us-east-1.upstash.io/v2/workflows/runs");
    /// let err = Account::new("my token", None).unwrap_err();
    /// assert_eq!(err.field.as_deref(), Some("token"));
    /// # Ok::<(), qstash_cancel::Error>(())
    /// ```
    pub fn new(token: &str, base_url: Option<&str>) -> Result<Account, Error> {
        let token = Token::parse(token).map_err(|rule| Error::invalid("token", rule))?;
        let base_url = match base_url {
            None => BaseUrl::default(),
            Some(raw) => BaseUrl::parse(raw).map_err(|rule| Error::invalid("baseUrl", rule))?,
        };
        Ok(Account {
            token,
            base_url,
            token_from: None,
            region: None,
        })
    }
}
