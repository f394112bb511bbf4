//! "Did you mean" for misspelt option names: a typo must be refused, and the fix named.

/// The known name closest to `unknown`, if it is close enough to be a likely typo.
pub fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    // The comparison costs the product of the lengths: a long key is no typo of a short name.
    if unknown.len() > 2 * known.iter().map(|k| k.len()).max().unwrap_or(0) {
        return None;
    }
    let unknown = unknown.to_ascii_lowercase();
    let limit = (unknown.chars().count() / 3).max(2);
    known
        .iter()
        .map(|name| (edit_distance(&unknown, &name.to_ascii_lowercase()), *name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance with transpositions counted as one edit ("lable" -> "label" is 1).
///
/// The table is kept as three rows (two back, for transpositions) and read with `get`, so no
/// index can panic: this runs on the caller's keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let at = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX / 2);
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut last_a = None;
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let mut best = (at(&previous, j + 1) + 1)
                .min(at(&current, j) + 1)
                .min(at(&previous, j) + usize::from(ca != cb));
            if j > 0 && last_a == Some(cb) && b.get(j - 1) == Some(&ca) {
                best = best.min(at(&before, j - 1) + 1);
            }
            current.push(best);
        }
        last_a = Some(ca);
        before = core::mem::replace(&mut previous, current);
    }
    at(&previous, b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "label",
        "workflowUrl",
        "workflowRunIds",
        "fromDate",
        "toDate",
        "token",
    ];

    #[test]
    fn suggests_close_names_only() {
        let cases = [
            ("lable", Some("label")),
            ("labels", Some("label")),
            ("workflowURL", Some("workflowUrl")),
            ("workflowUrls", Some("workflowUrl")),
            ("workflowRunId", Some("workflowRunIds")),
            ("fromdate", Some("fromDate")),
            ("todate", Some("toDate")),
            ("tokn", Some("token")),
            ("filter", None),
            ("x", None),
        ];
        for (input, want) in cases {
            assert_eq!(closest(input, KNOWN), want, "{input}");
        }
    }
}
