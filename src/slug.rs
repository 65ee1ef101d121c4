//! Slugs: the one place that turns a name into a URL segment and a lookup key.
//!
//! Unicode is folded to ASCII (deunicode), letters are lower-cased and every
//! other run of characters becomes one hyphen. Because the output holds only
//! `[a-z0-9-]`, a slug can never climb out of the output folder, whatever an
//! editor writes in a `slug:` field or a file name.
//!
//! `fold_char` is the one rule for characters typed in several ways that
//! mean one thing in a name (apostrophes, quotes, hyphens and dashes, white
//! space): name keys go through it, and so does the autolinker, so that
//! `Workers' Party`, `Workers’ Party` (as smart punctuation or an editor
//! writes it) and `Workersʼ Party` name one actor.

/// The one spelling of a character that is typed in several ways and means
/// one thing in a name: every apostrophe (`’`, `‘`, `ʼ`, `‛`) is `'`, every
/// double quote (`“`, `”`, `„`) is `"`, every hyphen and dash (`‐`, `‑`,
/// `–`, `—`, `−`) is `-`, and all white space is a space. Anything else is
/// itself: case and diacritics are left to the caller.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// The slug of `text`, or an empty string if nothing printable is left.
pub fn slugify(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    let folded = deunicode::deunicode(&folded);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_hyphen = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' {
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
    fn apostrophes_quotes_and_dashes_typed_any_way_make_one_key() {
        for written in [
            "Workers' Party of Korea",
            "Workers\u{2019} Party of Korea",
            "Workers\u{2018} Party of Korea",
            "Workers\u{02BC} Party of Korea",
            "Workers\u{201B} Party of Korea",
            "Workers\u{FF07} Party of Korea",
            "Workers'\nParty of Korea",
        ] {
            assert_eq!(name_key(written), "workers-party-of-korea", "{written:?}");
        }
        for written in [
            "\"Kim\" Jong-un",
            "\u{201C}Kim\u{201D} Jong\u{2011}un",
            "\u{201E}Kim\u{201D} Jong\u{2013}un",
            "\u{201C}Kim\u{201D} Jong\u{2014}un",
        ] {
            assert_eq!(name_key(written), "kim-jong-un", "{written:?}");
        }
        assert_eq!(fold_char('\u{2019}'), '\'');
        assert_eq!(fold_char('\u{201D}'), '"');
        assert_eq!(fold_char('\u{2013}'), '-');
        assert_eq!(fold_char('\u{a0}'), ' ');
        assert_eq!(fold_char('\u{e9}'), '\u{e9}');
    }

    #[test]
    fn cannot_escape_the_output_folder() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("/"), "");
        assert_eq!(slugify(".."), "");
    }
}
