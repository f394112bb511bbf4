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
        Ok(Account { token, base_url })
    }
}
