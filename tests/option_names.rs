//! One source for option names: the core's key lists are checked, both ways, against every
//! place that spells them out by hand: the TypeScript types, the admin Worker, the admin page
//! and the command line's flags. A name added or misspelt in one place fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use qstash_cancel::js::{CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS};
use qstash_cancel::{limits, ENV_VARIABLES, READ_HEADERS, REGIONS};

fn source(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

/// The text from `start` to the bracket that closes the first one opened after it.
fn block<'a>(text: &'a str, start: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} not found"));
    let open = from + text[from..].find(['{', '[']).expect("an opening bracket");
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &text[open..=open + i];
        }
    }
    panic!("{start}: unbalanced")
}

/// The '…'-quoted strings of `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('\'').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The property names that start the lines of `text` (`name:` or `name?:`).
fn properties(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| {
            let name: String = line
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let rest = &line.trim_start()[name.len()..];
            (!name.is_empty() && (rest.starts_with(':') || rest.starts_with("?:"))).then_some(name)
        })
        .collect()
}

fn set(keys: &[&[&str]]) -> BTreeSet<String> {
    keys.iter()
        .flat_map(|k| k.iter().map(|s| s.to_string()))
        .collect()
}

fn without(mut keys: BTreeSet<String>, drop: &[&str]) -> BTreeSet<String> {
    drop.iter().for_each(|k| {
        keys.remove(*k);
    });
    keys
}

#[test]
fn the_typescript_types_name_exactly_the_options() {
    let types = source("pkg/index.d.ts");
    let mut names = BTreeSet::new();
    for start in [
        "interface ConnectionOptions",
        "interface ExecutionOptions",
        "interface Encoded",
        "interface Filters",
    ] {
        names.extend(properties(block(&types, start)));
    }
    for start in ["type CancelByIds", "type CancelByFilters", "type CancelAll"] {
        names.extend(properties(block(&types, start)));
    }
    assert_eq!(names, set(&[CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS]));
}

#[test]
fn the_worker_reads_every_filter_and_exposes_every_header_the_library_reads() {
    let worker = source("www/worker/worker.js");
    let mut query = quoted(block(&worker, "const MULTI"));
    query.extend(quoted(block(&worker, "const NUMBERS")));
    query.insert("workflowUrlExactMatch".into());
    let mut targets = set(&[FILTER_KEYS]);
    targets.extend(["workflowRunIds".to_owned(), "count".to_owned()]);
    assert_eq!(query, targets, "query parameters the Worker forwards");
    let body = quoted(block(&worker, "const BODY_FIELDS"));
    assert!(body.is_subset(&targets), "{body:?}");
    assert!(worker.contains("key === 'workflowUrlExactMatch'"));
    assert_eq!(quoted(block(&worker, "const EXPOSED")), set(&[READ_HEADERS]));
    // The body it reads is the most the library sends in one request.
    let cap = format!("const MAX_BODY_BYTES = {} * 1024;", limits::MAX_BODY_BYTES / 1024);
    assert!(worker.contains(&cap), "the Worker's body cap is not {cap}");
}

#[test]
fn the_page_has_a_place_for_every_option_it_can_send() {
    let page = source("www/app.js");
    let fields = without(properties(block(&page, "const FIELD_ELEMENT")), &["confirm"]);
    let sent = without(
        set(&[
            CONNECTION_KEYS,
            FILTER_KEYS,
            &["workflowRunIds", "count", "encoding", "async", "untilDone"],
        ]),
        &[],
    );
    assert_eq!(fields, sent);
}

#[test]
fn the_command_line_has_a_flag_for_every_option_but_the_js_objects() {
    let flags = source("pkg/lib/cli/flags.js");
    // Rows are `['flag', 'optionKey' or null, 'kind', 'help']`.
    let keys: BTreeSet<String> = block(&flags, "export const FLAGS")
        .lines()
        .filter(|line| line.trim_start().starts_with("['"))
        .filter_map(|line| {
            let key = line.split(", ").nth(1)?;
            key.strip_prefix('\'')?.strip_suffix('\'').map(str::to_owned)
        })
        .collect();
    let all = without(
        set(&[CONNECTION_KEYS, FILTER_KEYS, REQUEST_KEYS]),
        &["signal", "onProgress"],
    );
    assert_eq!(keys, all);
}

#[test]
fn the_typescript_types_name_exactly_the_regions() {
    let types = source("pkg/index.d.ts");
    let target = block(&types, "interface ClientTarget");
    let line = target
        .lines()
        .find(|line| line.trim_start().starts_with("region:"))
        .expect("ClientTarget.region");
    let named: BTreeSet<String> = line.split('"').skip(1).step_by(2).map(str::to_owned).collect();
    let regions: BTreeSet<String> = REGIONS.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(named, regions, "ClientTarget.region");
    // The variables the core reads are those of every region.
    for (name, _) in REGIONS {
        for suffix in ["_QSTASH_TOKEN", "_QSTASH_URL"] {
            assert!(
                ENV_VARIABLES.contains(&format!("{name}{suffix}").as_str()),
                "{name}{suffix}"
            );
        }
    }
    // fromEnv's doc comment lists them too.
    let listed = block(&types, "export declare class Client");
    for (name, _) in REGIONS {
        assert!(
            listed.contains(&format!("`{name}`")),
            "Client.fromEnv's doc names {name}"
        );
    }
}
