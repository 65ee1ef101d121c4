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
    let letters = Letters::of(&lower);
    candidates
        .into_iter()
        .filter(|c| c.chars().next().map(|f| f.to_lowercase().next()) == Some(first))
        .filter(|c| c.chars().count().abs_diff(len) <= budget)
        .filter_map(|c| {
            let other = c.to_lowercase();
            let near = letters.differ_from(&other) <= budget;
            near.then(|| (strsim::osa_distance(&lower, &other), c))
        })
        .filter(|(distance, _)| *distance <= budget && *distance > 0)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// How many of each character a word holds, in buckets (characters that
/// share a bucket are counted together): enough to tell cheaply that two
/// words are further apart than an edit budget. Every edit (insertion,
/// deletion, substitution, transposition) changes the counts by at most
/// one on each side, so the larger of the two sides' surpluses is at most
/// the edit distance; sharing buckets only lowers it. A name compared with
/// every known spelling of its first letter (200,000 actors at a million
/// briefings) is then counted, not aligned, against almost all of them.
struct Letters([i32; Letters::BUCKETS]);

impl Letters {
    const BUCKETS: usize = 64;

    fn add(counts: &mut [i32; Self::BUCKETS], word: &str, by: i32) {
        for c in word.chars() {
            let bucket = c as usize % Self::BUCKETS;
            counts[bucket] = counts[bucket].saturating_add(by);
        }
    }

    fn of(lower: &str) -> Letters {
        let mut counts = [0; Self::BUCKETS];
        Self::add(&mut counts, lower, 1);
        Letters(counts)
    }

    /// A lower bound of the edit distance between this word and `other`.
    fn differ_from(&self, other: &str) -> usize {
        let mut counts = self.0;
        Self::add(&mut counts, other, -1);
        let (mut surplus, mut lack) = (0usize, 0usize);
        for n in counts {
            if n > 0 {
                surplus += n as usize;
            } else {
                lack += n.unsigned_abs() as usize;
            }
        }
        surplus.max(lack)
    }
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

    proptest::proptest! {
        /// Counting letters never rules out a spelling the edit distance
        /// would have suggested: it is a lower bound of that distance, in
        /// every script and case.
        #[test]
        fn counting_letters_never_exceeds_the_edit_distance(
            a in "[a-eA-EéÉ김정은ёЁΣσς -]{0,14}",
            b in "[a-eA-EéÉ김정은ёЁΣσς -]{0,14}",
        ) {
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            let bound = Letters::of(&la).differ_from(&lb);
            proptest::prop_assert!(bound <= strsim::osa_distance(&la, &lb));
        }
    }
}
