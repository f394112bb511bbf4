//! The service token, kept out of every printout.

use core::fmt;

/// A QStash token. It can cancel every run of an account, so `Debug` never shows it and the
/// only way to read it is [`Token::expose`], used where the `Authorization` header is built.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps an already validated token.
    pub(crate) fn new(value: String) -> Self {
        Token(value)
    }

    /// The token itself, for the `Authorization` header and for redaction.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of the token in `text`, so text that came back from a server
    /// or a proxy can be shown safely.
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}
