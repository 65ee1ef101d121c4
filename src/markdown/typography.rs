//! Smart punctuation for the plain text of front matter (titles,
//! summaries, descriptions), by the rules bodies get it by: pulldown-cmark's
//! `ENABLE_SMART_PUNCTUATION`, so a title and the body under it agree
//! (`"primary foe"` becomes `“primary foe”`, `Workers'` becomes `Workers’`,
//! `--` and `---` en and em dashes, `...` an ellipsis).
//!
//! The text is plain text, not Markdown: each line is given to the parser
//! with every other ASCII punctuation character escaped and behind a
//! no-break space (so `1. Foo`, `- foo` or four spaces start no list or
//! code block), and read back from its text events. A line the parser would
//! read as anything but itself, without smart punctuation, is kept as
//! written: the text is never changed but for its punctuation.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// Keeps a line from being read as the start of a block; Unicode white
/// space, so a quote after it opens.
const GUARD: char = '\u{a0}';

/// `text` with curly quotes and apostrophes, en and em dashes and ellipses,
/// as a body with smart punctuation shows them; the text itself when it
/// has nothing to change.
pub fn smart_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['\'', '"']) && !text.contains("--") && !text.contains("...") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        let tail = &line[content.len()..];
        let markdown = guarded(content);
        match (
            line_text(&markdown, Options::empty()),
            line_text(&markdown, Options::ENABLE_SMART_PUNCTUATION),
        ) {
            (Some(plain), Some(smart)) if plain == markdown_text(&markdown) => {
                out.push_str(smart.strip_prefix(GUARD).unwrap_or(&smart));
            }
            _ => out.push_str(content),
        }
        out.push_str(tail);
    }
    Cow::Owned(out)
}

/// The line as Markdown that reads as the line: every ASCII punctuation
/// character but those smart punctuation turns (`'`, `"`, `-`, `.`)
/// escaped, behind the guard.
fn guarded(line: &str) -> String {
    let mut markdown = String::with_capacity(line.len() + 8);
    markdown.push(GUARD);
    for c in line.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            markdown.push('\\');
        }
        markdown.push(c);
    }
    markdown
}

/// What `guarded` should read back as: the guard and the line, unescaped.
fn markdown_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    text
}

/// The text of a one-paragraph Markdown line, or `None` if it is read as
/// anything but one paragraph of text.
fn line_text(markdown: &str, options: Options) -> Option<String> {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Text(t) => text.push_str(&t),
            _ => return None,
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dashes_and_ellipses_become_typographic() {
        assert_eq!(
            smart_text("Pyongyang's \"primary foe\" -- again --- and so..."),
            "Pyongyang\u{2019}s \u{201C}primary foe\u{201D} \u{2013} again \u{2014} and so\u{2026}"
        );
        assert_eq!(
            smart_text("\"Quoted\" at the start"),
            "\u{201C}Quoted\u{201D} at the start"
        );
        assert_eq!(
            smart_text("Workers' Party\nof 'Korea'\n"),
            "Workers\u{2019} Party\nof \u{2018}Korea\u{2019}\n"
        );
    }

    /// The text smart punctuation changed, with its punctuation typed
    /// straight again.
    fn straight(smart: &str) -> String {
        smart
            .replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201C}', '\u{201D}'], "\"")
            .replace('\u{2014}', "---")
            .replace('\u{2013}', "--")
            .replace('\u{2026}', "...")
    }

    proptest::proptest! {
        /// Whatever ASCII a title holds, only its punctuation changes.
        #[test]
        fn only_punctuation_changes(text in "[ -~\n\t]{0,40}") {
            proptest::prop_assert_eq!(straight(&smart_text(&text)), text);
        }

        /// The same, with mostly quotes, dashes, dots and Markdown's marks.
        #[test]
        fn only_punctuation_changes_among_markdown(
            text in r#"[ab1 '"\-.*_`<>&#!=|~\[\]()\\\n\t]{0,30}"#
        ) {
            proptest::prop_assert_eq!(straight(&smart_text(&text)), text);
        }
    }

    #[test]
    fn markdown_in_a_title_is_text() {
        for text in [
            "1. \"Not\" a list",
            "- \"not\" a list",
            "    \"not\" code",
            "# \"not\" a heading",
            "*\"not\"* emphasis, `\"not\"` code, <b>\"not\"</b> HTML",
            "[\"not\"](a link) &amp; \"entity\" \\\"escape\"",
            "\"a\"\n---",
            "\"a\"\n===",
            "> \"not\" a quote",
            "| \"a\" | b |\n|---|---|",
            "\"trailing\" spaces  \nand tabs\t",
        ] {
            let smart = smart_text(text);
            assert_eq!(straight(&smart), text, "{smart}");
            assert!(smart.contains('\u{201C}'), "{text:?} gave {smart:?}");
        }
    }

    #[test]
    fn text_without_punctuation_to_turn_is_borrowed() {
        assert!(matches!(smart_text("Kim & Putin <b>"), Cow::Borrowed(_)));
        assert_eq!(smart_text(""), "");
    }
}
