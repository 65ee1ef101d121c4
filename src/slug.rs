//! Slugs: the one place that turns a name into a URL segment and a lookup key.
//!
//! Unicode is folded to ASCII (deunicode), letters are lower-cased and every
//! other run of characters becomes one hyphen. Because the output holds only
//! `[a-z0-9-]`, a slug can never climb out of the output folder, whatever an
//! editor writes in a `slug:` field or a file name.

/// The slug of `text`, or an empty string if nothing printable is left.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_hyphen = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Workers' Party" reads better as "workers-party" than "workers--party".
            continue;
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// The key under which a name, alias or slug is looked up: two spellings that
/// differ only in case, punctuation or diacritics name the same thing
/// (`Kim Jong-un`, `kim-jong-un` and `Kim Jong Un`).
pub fn name_key(text: &str) -> String {
    slugify(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_unicode_case_and_punctuation() {
        assert_eq!(slugify("Kim Jong-un"), "kim-jong-un");
        assert_eq!(slugify("Kim Jong Un"), "kim-jong-un");
        assert_eq!(
            slugify("Russia–North Korea relations"),
            "russia-north-korea-relations"
        );
        assert_eq!(slugify("Workers' Party of Korea"), "workers-party-of-korea");
        assert_eq!(slugify("Ahn Chan-il"), "ahn-chan-il");
        assert_eq!(slugify("Zelenskyy / Зеленський"), "zelenskyy-zelenskii");
        assert_eq!(slugify("  --Über café--  "), "uber-cafe");
    }

    #[test]
    fn cannot_escape_the_output_folder() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("/"), "");
        assert_eq!(slugify(".."), "");
    }
}
