//! Automatic links for actor names in running text.
//!
//! One Aho-Corasick automaton over every actor name and alias finds all
//! mentions in a single pass over the text (never a loop over actors). The
//! longest match wins ("Kim Jong Un" over "Kim"), and a match counts only as
//! a whole word, with Unicode letters and digits as word characters.

use aho_corasick::{AhoCorasick, MatchKind};
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
                let spelling = spelling.trim().to_string();
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

    /// Every spelling matched, with the URL it links to.
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
        let mut out = String::new();
        let mut last = 0;
        for m in self.matcher.find_iter(text) {
            let (start, end) = (m.start(), m.end());
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
            escape_text(&mut out, url);
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

fn escape_text(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).expect("writing to a String");
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
