//! Where requests go: the service's root URL, or a proxy's, checked before any token is sent.

/// The default service root (eu-central-1).
pub const DEFAULT_BASE_URL: &str = "https://qstash.upstash.io";

/// The endpoint path, appended to the base URL.
pub const ENDPOINT_PATH: &str = "/v2/workflows/runs";

/// A checked base URL: `http(s)://host[:port][/path-prefix]`, lower-case scheme and host, no
/// trailing slash. Plain `http` is only accepted for loopback hosts, so a token never crosses a
/// network in clear text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks `raw`; the error is the rule that was broken (the URL is never echoed: it may carry
    /// a secret someone pasted into it).
    pub fn parse(raw: &str) -> Result<BaseUrl, &'static str> {
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must not contain whitespace or control characters");
        }
        let (scheme, rest) =
            split_scheme(raw).ok_or("must start with https:// (or http:// for a loopback host)")?;
        if rest.contains(['?', '#']) {
            return Err("must not contain a query (?) or a fragment (#)");
        }
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at_checked(slash).unwrap_or((rest, "")),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err("must not contain credentials (user:password@); pass the token as `token`");
        }
        let authority = authority.to_ascii_lowercase();
        let host = check_authority(&authority)?;
        if scheme == "http" && !is_loopback(host) {
            return Err("must use https; plain http is only allowed for localhost, 127.0.0.0/8 and [::1]");
        }
        let path = path.trim_end_matches('/');
        if path.ends_with(ENDPOINT_PATH) {
            return Err(
                "must be the service root (e.g. https://qstash.upstash.io), without /v2/workflows/runs",
            );
        }
        Ok(BaseUrl([scheme, "://", &authority, path].concat()))
    }

    /// The full endpoint URL, without query.
    pub fn endpoint(&self) -> String {
        // Concatenation, not `format!`: this runs for every request, and the formatting
        // machinery is slower and is code a first call must compile.
        [self.0.as_str(), ENDPOINT_PATH].concat()
    }

    /// The normalised base URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl(DEFAULT_BASE_URL.to_owned())
    }
}

fn split_scheme(raw: &str) -> Option<(&'static str, &str)> {
    let lower = raw.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    if lower.starts_with("https://") {
        Some(("https", raw.get(8..)?))
    } else if lower.starts_with("http://") {
        Some(("http", raw.get(7..)?))
    } else {
        None
    }
}

/// Returns the host of a lower-cased `host[:port]`, checking both parts.
fn check_authority(authority: &str) -> Result<&str, &'static str> {
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return Err("must name a host");
    }
    let host_ok = if host.starts_with('[') {
        host.ends_with(']') && host.len() > 2
    } else {
        host.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    };
    if !host_ok {
        return Err("must name a valid host");
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err("must have a port between 1 and 65535"),
        }
    }
    Ok(host)
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_base_urls_are_normalised() {
        let cases = [
            ("https://qstash.upstash.io", "https://qstash.upstash.io"),
            ("https://qstash.upstash.io/", "https://qstash.upstash.io"),
            (
                "HTTPS://QStash-US-East-1.Upstash.io",
                "https://qstash-us-east-1.upstash.io",
            ),
            (
                "https://admin.example.com/qstash/",
                "https://admin.example.com/qstash",
            ),
            (
                "https://admin.example.com:8443/a/b",
                "https://admin.example.com:8443/a/b",
            ),
            ("http://localhost:8080", "http://localhost:8080"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.1.2.3", "http://127.1.2.3"),
            ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ];
        for (raw, want) in cases {
            assert_eq!(BaseUrl::parse(raw).map(|b| b.0), Ok(want.to_owned()), "{raw}");
        }
    }

    #[test]
    fn refused_base_urls_name_the_rule() {
        let cases = [
            ("qstash.upstash.io", "must start with https://"),
            ("ftp://qstash.upstash.io", "must start with https://"),
            ("http://qstash.upstash.io", "plain http is only allowed"),
            ("http://10.0.0.1", "plain http is only allowed"),
            ("http://127.0.0.1.evil.com", "plain http is only allowed"),
            ("http://localhost.evil.com", "plain http is only allowed"),
            ("http://[::2]", "plain http is only allowed"),
            ("https://user:pw@qstash.upstash.io", "credentials"),
            ("https://qstash.upstash.io?x=1", "query"),
            ("https://qstash.upstash.io#x", "fragment"),
            ("https://", "must name a host"),
            ("https://:443", "must name a host"),
            ("https://exa mple.com", "whitespace"),
            ("https://example.com:0", "port"),
            ("https://example.com:99999", "port"),
            ("https://example.com:+80", "port"),
            ("https://ex%61mple.com", "valid host"),
            ("https://qstash.upstash.io/v2/workflows/runs", "service root"),
        ];
        for (raw, want) in cases {
            let err = BaseUrl::parse(raw).expect_err(raw);
            assert!(err.contains(want), "{raw}: {err}");
        }
    }

    #[test]
    fn endpoint_keeps_the_path_prefix() {
        let base = BaseUrl::parse("https://admin.example.com/qstash").unwrap();
        assert_eq!(
            base.endpoint(),
            "https://admin.example.com/qstash/v2/workflows/runs"
        );
        assert_eq!(
            BaseUrl::default().endpoint(),
            "https://qstash.upstash.io/v2/workflows/runs"
        );
    }
}
