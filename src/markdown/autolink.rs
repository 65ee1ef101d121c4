//! Automatic links for actor names in running text.
//!
//! One Aho-Corasick automaton over every actor name and alias finds all
//! mentions in a single pass over the text (never a loop over actors). The
//! longest match wins ("Kim Jong Un" over "Kim"), and a match counts only as
//! a whole word, with Unicode letters and digits as word characters.
//!
//! Names and text are compared folded (`slug::fold_char`): an apostrophe,
//! quote or dash typed any way matches the same one typed another way
//! (`Workers' Party` in a profile, `Workers’ Party` after smart
//! punctuation), and any run of white space, a line break included,
//! matches a space (`Sergei⏎Shoigu`). The link is written around the text
//! as it was.

use crate::slug::fold_char;
use aho_corasick::{AhoCorasick, MatchKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Spellings shorter than this are not matched: two-letter names and
/// initials would link ordinary words.
const MIN_CHARS: usize = 3;

pub struct Autolinker {
    matcher: AhoCorasick,
    /// The spellings matched, in pattern order.
    patterns: Vec<String>,
    /// For each pattern, the index of its URL in `urls`.
    targets: Vec<usize>,
    urls: Vec<String>,
    mentions: Mentions,
}

/// A page mentions link to, and the spellings that mention it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub spellings: Vec<String>,
}

/// Which mentions of an actor in a document are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mentions {
    /// The first of each actor.
    First,
    /// Every one.
    Every,
}

impl Autolinker {
    /// Links every spelling of each target to its URL. Returns `None`
    /// when there is nothing to match. A spelling two targets share links
    /// to the first.
    pub fn new(targets: Vec<Target>, mentions: Mentions) -> Option<Autolinker> {
        let mut seen = HashSet::new();
        let mut patterns = Vec::new();
        let mut indices = Vec::new();
        let mut urls = Vec::with_capacity(targets.len());
        for (i, target) in targets.into_iter().enumerate() {
            for spelling in target.spellings {
                let spelling = Folded::of(spelling.trim()).text.into_owned();
                if spelling.chars().count() < MIN_CHARS || !seen.insert(spelling.clone()) {
                    continue;
                }
                patterns.push(spelling);
                indices.push(i);
            }
            urls.push(target.url);
        }
        let targets = indices;
        if patterns.is_empty() {
            return None;
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok()?;
        Some(Autolinker {
            matcher,
            patterns,
            targets,
            urls,
            mentions,
        })
    }

    /// Every spelling matched (folded), with the URL it links to.
    pub fn patterns(&self) -> HashMap<String, String> {
        self.patterns
            .iter()
            .zip(&self.targets)
            .map(|(p, t)| (p.clone(), self.urls[*t].clone()))
            .collect()
    }

    /// The text as HTML with mentions linked, or `None` if nothing was
    /// linked. `linked` holds the URLs already linked in this document (in
    /// `first` mode they are not linked again); `own` is the URL of the page
    /// the text is on, which is never linked.
    pub fn link(
        &self,
        text: &str,
        linked: &mut HashSet<String>,
        own: Option<&str>,
    ) -> Option<String> {
        let folded = Folded::of(text);
        let mut out = String::new();
        let mut last = 0;
        for m in self.matcher.find_iter(folded.text.as_ref()) {
            let (start, end) = (folded.original(m.start()), folded.original(m.end()));
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let url = &self.urls[self.targets[m.pattern().as_usize()]];
            if Some(url.as_str()) == own
                || (self.mentions == Mentions::First && linked.contains(url))
            {
                continue;
            }
            linked.insert(url.clone());
            escape_text(&mut out, &text[last..start]);
            out.push_str("<a class=\"autolink\" href=\"");
            pulldown_cmark_escape::escape_html(&mut out, url).expect("writing to a String");
            out.push_str("\">");
            escape_text(&mut out, &text[start..end]);
            out.push_str("</a>");
            last = end;
        }
        if last == 0 {
            return None;
        }
        escape_text(&mut out, &text[last..]);
        Some(out)
    }
}

/// A text as the automaton reads it: each character folded, each run of
/// white space one space; and where each of its bytes was in the text.
struct Folded<'t> {
    text: Cow<'t, str>,
    /// For each byte of `text` (and its end), the offset in the original;
    /// `None` when folding changed nothing.
    origin: Option<Vec<usize>>,
}

impl<'t> Folded<'t> {
    fn of(text: &'t str) -> Folded<'t> {
        let mut space = false;
        let unchanged = text.chars().all(|c| {
            let f = fold_char(c);
            let same = f == c && !(f == ' ' && space);
            space = f == ' ';
            same
        });
        if unchanged {
            return Folded {
                text: Cow::Borrowed(text),
                origin: None,
            };
        }
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        let mut space = false;
        for (i, c) in text.char_indices() {
            let f = fold_char(c);
            if f == ' ' && space {
                continue;
            }
            space = f == ' ';
            folded.push(f);
            origin.resize(folded.len(), i);
        }
        origin.push(text.len());
        Folded {
            text: Cow::Owned(folded),
            origin: Some(origin),
        }
    }

    /// Where the character at byte `offset` of the folded text (or its
    /// end) starts in the original: a match ends where the character after
    /// it, or the run of white space after it, begins.
    fn original(&self, offset: usize) -> usize {
        match &self.origin {
            Some(origin) => origin[offset],
            None => offset,
        }
    }
}

/// What of a Markdown text the spellings' skeletons are looked for in, to
/// tell whether a text may mention a spelling: folded, without white space,
/// `>` (block quote markers between lines) or `\\` (escapes). Every way a
/// mention the autolinker links can be written holds the skeleton of its
/// spelling; more texts do, which costs a render, never a stale page.
pub fn skeleton(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !matches!(c, ' ' | '>' | '\\'))
        .collect()
}

/// Text as pulldown-cmark writes it, so a linked run reads as an unlinked
/// one would (quotes and apostrophes as they are).
fn escape_text(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html_body_text(out, text).expect("writing to a String");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker(mentions: Mentions) -> Autolinker {
        let target = |url: &str, spellings: &[&str]| Target {
            url: url.to_string(),
            spellings: spellings.iter().map(|s| s.to_string()).collect(),
        };
        Autolinker::new(
            vec![
                target("/a/kju/", &["Kim Jong Un", "Kim"]),
                target("/a/kyj/", &["Kim Yo Jong"]),
                target("/a/tr/", &["Türkiye"]),
                target("/a/un/", &["UN"]),
            ],
            mentions,
        )
        .unwrap()
    }

    #[test]
    fn longest_match_and_whole_words() {
        let l = linker(Mentions::Every);
        let mut linked = HashSet::new();
        let html = l
            .link(
                "Kim Jong Un met Kim Yo Jong; Kimberly did not. UN said",
                &mut linked,
                None,
            )
            .unwrap();
        assert_eq!(
            html,
            "<a class=\"autolink\" href=\"/a/kju/\">Kim Jong Un</a> met <a class=\"autolink\" href=\"/a/kyj/\">Kim Yo Jong</a>; Kimberly did not. UN said"
        );
    }

    #[test]
    fn first_mode_links_each_actor_once_and_never_the_own_page() {
        let l = linker(Mentions::First);
        let mut linked = HashSet::new();
        let html = l
            .link("Kim spoke. Kim Jong Un spoke again.", &mut linked, None)
            .unwrap();
        assert_eq!(html.matches("<a ").count(), 1);
        assert!(l.link("Kim again", &mut linked, None).is_none());
        let mut fresh = HashSet::new();
        assert!(l.link("Kim Jong Un", &mut fresh, Some("/a/kju/")).is_none());
    }

    #[test]
    fn unicode_names_and_boundaries() {
        let l = linker(Mentions::Every);
        let mut linked = HashSet::new();
        let html = l
            .link("Ankara (Türkiye) said; Türkiyeli no", &mut linked, None)
            .unwrap();
        assert_eq!(
            html,
            "Ankara (<a class=\"autolink\" href=\"/a/tr/\">Türkiye</a>) said; Türkiyeli no"
        );
        assert!(l.link("éKim", &mut linked, None).is_none());
    }

    #[test]
    fn quotes_dashes_and_line_breaks_match_as_typed_either_way() {
        let target = |url: &str, spelling: &str| Target {
            url: url.to_string(),
            spellings: vec![spelling.to_string()],
        };
        let straight = Autolinker::new(
            vec![
                target("/a/wpk/", "Workers' Party of Korea"),
                target("/a/ss/", "Sergei Shoigu"),
                target("/a/kju/", "Kim Jong-un"),
            ],
            Mentions::Every,
        )
        .unwrap();
        let curly = Autolinker::new(
            vec![target("/a/wpk/", "Workers\u{2019} Party of Korea")],
            Mentions::Every,
        )
        .unwrap();
        for text in [
            "The Workers' Party of Korea met.",
            "The Workers\u{2019} Party of Korea met.",
            "The Workers\u{02BC} Party of Korea met.",
            "The Workers\u{2019}  Party\nof Korea met.",
        ] {
            for linker in [&straight, &curly] {
                let html = linker.link(text, &mut HashSet::new(), None).unwrap();
                let inner = text
                    .strip_prefix("The ")
                    .and_then(|t| t.strip_suffix(" met."))
                    .unwrap();
                assert_eq!(
                    html,
                    format!("The <a class=\"autolink\" href=\"/a/wpk/\">{inner}</a> met."),
                    "{text:?}"
                );
            }
        }
        let html = straight
            .link(
                "Sergei\nShoigu and Kim Jong\u{2011}un; Sergei\n\nShoigux",
                &mut HashSet::new(),
                None,
            )
            .unwrap();
        assert_eq!(
            html,
            "<a class=\"autolink\" href=\"/a/ss/\">Sergei\nShoigu</a> and <a class=\"autolink\" href=\"/a/kju/\">Kim Jong\u{2011}un</a>; Sergei\n\nShoigux"
        );
    }

    proptest::proptest! {
        /// Linking wraps mentions and changes no character of the text,
        /// however its quotes, dashes and white space are typed.
        #[test]
        fn links_keep_the_text_as_written(
            text in "(Workers[\u{2019}'\u{02BC}][ \n\u{a0}]{1,3}Party|Kim Jong[\u{2011}-]un|[a-z<&>' \n\u{2019}\u{2013}-]{1,6})*"
        ) {
            let linker = Autolinker::new(
                vec![
                    Target { url: "/a/wp/".into(), spellings: vec!["Workers' Party".into()] },
                    Target { url: "/a/kju/".into(), spellings: vec!["Kim Jong-un".into()] },
                ],
                Mentions::Every,
            )
            .unwrap();
            if let Some(html) = linker.link(&text, &mut HashSet::new(), None) {
                let shown = html
                    .replace("<a class=\"autolink\" href=\"/a/wp/\">", "")
                    .replace("<a class=\"autolink\" href=\"/a/kju/\">", "")
                    .replace("</a>", "")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                proptest::prop_assert_eq!(shown, text);
            }
        }
    }

    #[test]
    fn a_spellings_skeleton_is_in_every_text_that_mentions_it() {
        let spelling = skeleton("Workers' Party of Korea");
        for text in [
            "the Workers\u{2019} Party\nof Korea",
            "> the Workers' Party\n> of Korea",
            "the Workers\\' Party of\n   Korea",
        ] {
            assert!(skeleton(text).contains(&spelling), "{text:?}");
        }
    }

    #[test]
    fn text_is_escaped() {
        let l = linker(Mentions::Every);
        let mut linked = HashSet::new();
        let html = l.link("<Kim> & co", &mut linked, None).unwrap();
        assert_eq!(
            html,
            "&lt;<a class=\"autolink\" href=\"/a/kju/\">Kim</a>&gt; &amp; co"
        );
    }
}
