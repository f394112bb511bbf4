//! The account from environment variables, by the service's conventions: `QSTASH_TOKEN` and
//! `QSTASH_URL`, or `QSTASH_REGION` with `<REGION>_QSTASH_TOKEN` / `<REGION>_QSTASH_URL`.

use crate::error::Error;
use crate::rules::account::Account;
use crate::rules::validate::parse_connection;
use crate::rules::value::Options;

/// The regions `QSTASH_REGION` may name, with their service URLs.
pub const REGIONS: &[(&str, &str)] = &[
    ("EU_CENTRAL_1", "https://qstash-eu-central-1.upstash.io"),
    ("US_EAST_1", "https://qstash-us-east-1.upstash.io"),
];

/// The variables [`from_env`] may read; an adapter copies just these out of its environment.
pub const ENV_VARIABLES: &[&str] = &[
    "QSTASH_REGION",
    "QSTASH_TOKEN",
    "QSTASH_URL",
    "EU_CENTRAL_1_QSTASH_TOKEN",
    "EU_CENTRAL_1_QSTASH_URL",
    "US_EAST_1_QSTASH_TOKEN",
    "US_EAST_1_QSTASH_URL",
];

/// Reads the account through `get` (a variable's value, `None` when unset or empty), each
/// variable once. Errors name the variable at fault as their `field`. The account records the
/// variable its token came from and the region, if any ([`Account::token_from`],
/// [`Account::region`]).
pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Account, Error> {
    from_env_at(get, None)
}

/// [`from_env`], with the base URL `base_url` in place of the one the variables give (the
/// command line's `--base-url`): the token is still the one the variables name.
pub fn from_env_at(get: impl Fn(&str) -> Option<String>, base_url: Option<&str>) -> Result<Account, Error> {
    let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
    let (token_var, url_var, default_url, region) = match get("QSTASH_REGION") {
        None => ("QSTASH_TOKEN".to_owned(), "QSTASH_URL".to_owned(), None, None),
        Some(region) => {
            let Some((name, url)) = REGIONS.iter().find(|(name, _)| *name == region.trim()) else {
                let known: Vec<&str> = REGIONS.iter().map(|(name, _)| *name).collect();
                return Err(Error::invalid(
                    "QSTASH_REGION",
                    format!("must be one of {}", known.join(", ")),
                ));
            };
            (
                format!("{name}_QSTASH_TOKEN"),
                format!("{name}_QSTASH_URL"),
                Some(*url),
                Some(*name),
            )
        }
    };
    let Some(token) = get(&token_var) else {
        let why = if default_url.is_some() {
            " (QSTASH_REGION is set)"
        } else {
            ""
        };
        return Err(Error::invalid(
            &token_var,
            format!("is not set{why}: it must hold the QStash token"),
        ));
    };
    let (url, url_var) = match base_url {
        Some(url) => (Some(url.to_owned()), "baseUrl".to_owned()),
        None => (get(&url_var).or(default_url.map(str::to_owned)), url_var),
    };
    let mut options = Options::new().with("token", token.as_str());
    if let Some(url) = url {
        options = options.with("baseUrl", url.as_str());
    }
    let account = parse_connection(&options).map_err(|err| {
        let var = if err.field.as_deref() == Some("token") {
            &token_var
        } else {
            &url_var
        };
        err.naming(var)
    })?;
    Ok(Account {
        token_from: Some(token_var),
        region,
        ..account
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Variables as `(name, value)` pairs.
    type Vars<'a> = &'a [(&'a str, &'a str)];

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn connections_follow_the_service_conventions() {
        let cases: &[(Vars, &str)] = &[
            (&[("QSTASH_TOKEN", "t1")], "https://qstash.upstash.io"),
            (
                &[("QSTASH_TOKEN", "t1"), ("QSTASH_URL", "http://127.0.0.1:8080")],
                "http://127.0.0.1:8080",
            ),
            (
                &[("QSTASH_TOKEN", "t1"), ("QSTASH_URL", "")],
                "https://qstash.upstash.io",
            ),
            (
                &[("QSTASH_REGION", "US_EAST_1"), ("US_EAST_1_QSTASH_TOKEN", "t2")],
                "https://qstash-us-east-1.upstash.io",
            ),
            (
                &[
                    ("QSTASH_REGION", "EU_CENTRAL_1"),
                    ("EU_CENTRAL_1_QSTASH_TOKEN", "t3"),
                    ("EU_CENTRAL_1_QSTASH_URL", "https://proxy.example.com"),
                ],
                "https://proxy.example.com",
            ),
        ];
        for (vars, url) in cases {
            let account = from_env(env(vars)).unwrap_or_else(|e| panic!("{vars:?}: {e}"));
            assert_eq!(account.base_url().as_str(), *url);
        }
    }

    /// Which variable the token came from, and the region, as the rules chose them.
    #[test]
    fn the_account_says_where_its_token_came_from() {
        let cases: &[(Vars, Option<&str>, &str, Option<&str>)] = &[
            (&[("QSTASH_TOKEN", "t1")], None, "QSTASH_TOKEN", None),
            (
                &[
                    ("QSTASH_REGION", " US_EAST_1 "),
                    ("US_EAST_1_QSTASH_TOKEN", "t2"),
                    ("QSTASH_TOKEN", "t1"),
                ],
                None,
                "US_EAST_1_QSTASH_TOKEN",
                Some("US_EAST_1"),
            ),
            (
                &[
                    ("QSTASH_REGION", "EU_CENTRAL_1"),
                    ("EU_CENTRAL_1_QSTASH_TOKEN", "t3"),
                ],
                Some("https://proxy.example.com"),
                "EU_CENTRAL_1_QSTASH_TOKEN",
                Some("EU_CENTRAL_1"),
            ),
        ];
        for (vars, base, from, region) in cases {
            let account = from_env_at(env(vars), *base).unwrap();
            assert_eq!(account.token_from(), Some(*from), "{vars:?}");
            assert_eq!(account.region(), *region, "{vars:?}");
            if let Some(base) = base {
                assert_eq!(account.base_url().as_str(), *base);
            }
        }
        assert_eq!(Account::new("t", None).unwrap().token_from(), None);
    }

    /// Each variable is read once: a value that changes between readings cannot give the checks
    /// one token and the account another.
    #[test]
    fn each_variable_is_read_once() {
        let reads = core::cell::RefCell::new(Vec::new());
        let account = from_env(|name| {
            reads.borrow_mut().push(name.to_owned());
            let n = reads.borrow().iter().filter(|r| *r == name).count();
            (name == "QSTASH_TOKEN").then(|| format!("token{n}"))
        })
        .unwrap();
        assert_eq!(account.token().expose(), "token1");
        let mut names = reads.into_inner();
        names.sort();
        assert_eq!(names, ["QSTASH_REGION", "QSTASH_TOKEN", "QSTASH_URL"]);
    }

    #[test]
    fn an_override_of_the_base_url_is_checked_as_base_url() {
        let err = from_env_at(env(&[("QSTASH_TOKEN", "t")]), Some("http://x.example")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("baseUrl"));
    }

    #[test]
    fn missing_or_half_set_variables_are_named() {
        let cases: &[(Vars, &str, &str)] = &[
            (&[], "QSTASH_TOKEN", "is not set"),
            (&[("QSTASH_TOKEN", "  ")], "QSTASH_TOKEN", "is not set"),
            (
                &[("QSTASH_REGION", "US_EAST_1"), ("QSTASH_TOKEN", "t")],
                "US_EAST_1_QSTASH_TOKEN",
                "QSTASH_REGION is set",
            ),
            (
                &[("QSTASH_REGION", "ASIA_1"), ("QSTASH_TOKEN", "t")],
                "QSTASH_REGION",
                "must be one of EU_CENTRAL_1, US_EAST_1",
            ),
            (
                &[("QSTASH_TOKEN", "t"), ("QSTASH_URL", "http://qstash.upstash.io")],
                "QSTASH_URL",
                "QSTASH_URL: must use https",
            ),
            (
                &[("QSTASH_TOKEN", "bad token")],
                "QSTASH_TOKEN",
                "QSTASH_TOKEN: must be printable ASCII",
            ),
        ];
        for (vars, field, message) in cases {
            let err = from_env(env(vars)).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(*field), "{vars:?}");
            assert!(err.message.contains(message), "{vars:?}: {}", err.message);
            assert!(!err.message.contains("bad token"));
        }
    }
}
