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
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
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
