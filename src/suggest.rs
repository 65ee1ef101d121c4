//! "Did you mean": the closest known spelling to a likely typo, for field
//! names, actor and topic names, and citation ids.

/// How many edits a word of `len` characters may be from a suggestion.
pub fn edit_budget(len: usize) -> usize {
    (len / 6).max(1)
}

/// The closest candidate to `word`, if one is close enough to be a likely
/// typo: at most one edit per six characters (case ignored).
///
/// Candidates with another first letter, or whose length differs by more
/// than the edit budget, are skipped before any distance is computed (typos
/// rarely hit the first letter), so a list of thousands of names costs little.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let len = lower.chars().count();
    let first = lower.chars().next();
    let budget = edit_budget(len);
    candidates
        .into_iter()
        .filter(|c| c.chars().next().map(|f| f.to_lowercase().next()) == Some(first))
        .filter(|c| c.chars().count().abs_diff(len) <= budget)
        .map(|c| (strsim::osa_distance(&lower, &c.to_lowercase()), c))
        .filter(|(distance, _)| *distance <= budget && *distance > 0)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        let known = ["title", "actors", "topics", "sources"];
        assert_eq!(did_you_mean("actor", known), Some("actors"));
        assert_eq!(did_you_mean("Titel", known), Some("title"));
        assert_eq!(did_you_mean("colour", known), None);
        assert_eq!(
            did_you_mean("Kim Jong Um", ["Kim Jong Un"]),
            Some("Kim Jong Un")
        );
        assert_eq!(did_you_mean("Kim Tok Hun", ["Kim Jong Un"]), None);
    }
}
