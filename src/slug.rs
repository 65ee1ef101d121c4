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

/// Whether Windows reserves `segment` as a file or folder name: the device
/// names `con`, `prn`, `aux`, `nul`, `com1`-`com9` and `lpt1`-`lpt9`, in any
/// case, also with an extension (`con.html`) or trailing spaces, as Windows
/// reads them. A site with such a path cannot be checked out or served
/// from a Windows machine.
pub fn windows_reserved(segment: &str) -> bool {
    let stem = segment
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    let stem = stem.to_ascii_lowercase();
    match stem.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', d] | [b'l', b'p', b't', d] => (b'1'..=b'9').contains(d),
        _ => false,
    }
}

/// The `windows-reserved` warning for a slug Windows cannot have as a
/// file or folder name (`con`, `aux`, `com1`, ...), at the place that gave
/// the slug, with how to pick another.
pub fn windows_reserved_warning(
    file: &std::path::Path,
    (line, column): (usize, usize),
    what: &str,
    slug: &str,
    hint: impl Into<String>,
) -> crate::diagnostics::Diagnostic {
    crate::diagnostics::Diagnostic::new(crate::diagnostics::Code::WindowsReserved,
        file,
        format!(
            "{what} is '{slug}', a device name on Windows: checking out the site or its output fails there"
        ),
    )
    .at(line, column)
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_windows_device_names() {
        for name in [
            "con",
            "PRN",
            "Aux",
            "nul",
            "com1",
            "COM9",
            "lpt3",
            "con.html",
            "nul.tar.gz",
            "aux ",
        ] {
            assert!(windows_reserved(name), "{name}");
        }
        for name in [
            "com",
            "com0",
            "com10",
            "lpt",
            "console",
            "icon",
            "con-visit",
            "",
            "nul-1",
        ] {
            assert!(!windows_reserved(name), "{name}");
        }
    }

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
