//! What bodies are resolved against (the `[[...]]` lookup and the actor-name
//! automaton), and what checking a rendered body finds.

use super::names::Index;
use super::{BriefingId, SiteLink, briefing_path};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, LineCols};
use crate::load::document::{self, Origin};
use crate::markdown::{self, ResolvedLink, WikiKind, WikiTarget};
use rustc_hash::FxHashMap as HashMap;

/// What `[[...]]` links resolve against.
pub(super) struct Lookup<'a> {
    pub(super) actors: &'a Index<document::ActorProfile>,
    pub(super) topics: &'a Index<document::TopicProfile>,
    pub(super) briefing_keys: &'a HashMap<String, Vec<BriefingId>>,
    pub(super) briefings: &'a [std::sync::Arc<document::Briefing>],
    pub(super) base: &'a crate::config::BaseUrl,
    pub(super) pictures: &'a super::pictures::Catalogue,
    /// Whether briefing titles shown as link text get smart punctuation.
    pub(super) smart_punctuation: bool,
}

impl Lookup<'_> {
    /// The briefing a `[[briefing:...]]` link names, if exactly one has
    /// that slug.
    pub(super) fn briefing(&self, name: &str) -> Option<BriefingId> {
        match self.briefing_keys.get(name.trim().trim_matches('/')) {
            Some(ids) if ids.len() == 1 => Some(ids[0]),
            _ => None,
        }
    }

    pub(super) fn link(&self, target: &WikiTarget) -> Option<ResolvedLink> {
        match target.kind {
            WikiKind::Actor => self.actors.entry(&target.name).map(|e| ResolvedLink {
                url: self.base.link(&crate::routes::actor(&e.slug)),
                label: e.name.clone(),
            }),
            WikiKind::Topic => self.topics.entry(&target.name).map(|e| ResolvedLink {
                url: self.base.link(&crate::routes::topic(&e.slug)),
                label: e.name.clone(),
            }),
            WikiKind::Briefing => self.briefing(&target.name).map(|id| {
                let b = &self.briefings[id.index()];
                ResolvedLink {
                    url: self.base.link(&briefing_path(b)),
                    label: super::typeset(self.smart_punctuation, &b.title),
                }
            }),
        }
    }
}

/// What checking one body found: problems, and the links to site pages and
/// files, which can only be checked once every output file is known.
pub(super) struct BodyChecks {
    pub(super) diagnostics: Diagnostics,
    pub(super) links: Vec<SiteLink>,
}

/// Turns a body's unresolved links and citations into positioned
/// diagnostics, and collects its links to pages and files of the site.
pub(super) fn check_body(
    r: &markdown::Rendered,
    body: &str,
    origin: &Origin,
    sources: &[document::Source],
    lookup: &Lookup<'_>,
) -> BodyChecks {
    let mut d = Diagnostics::new();
    let mut links = Vec::new();
    // Each list is in document order: positions are counted on from the
    // one before.
    let mut cols = LineCols::new(body);
    let mut position = |offset: usize| {
        let (line, column) = cols.at(offset);
        (origin.body_line + line - 1, column)
    };
    unresolved_links(r, origin, lookup, &mut position, &mut d);
    if let Some(offset) = r.raw_html_too_deep {
        let (line, column) = position(offset);
        d.push(
            Diagnostic::new(Code::RawHtmlTooDeep,
                &origin.path,
                format!(
                    "elements nest more than {} deep in this body, so its raw HTML is shown as text instead of sanitised",
                    markdown::MAX_HTML_DEPTH
                ),
            )
            .at(line, column)
            .with_hint("close the HTML elements you open, or write the text in Markdown"),
        );
    }
    unknown_citations(r, origin, sources, &mut position, &mut d);
    uncited_sources(r, origin, sources, &mut d);
    for &offset in &r.unhighlighted {
        let (line, column) = position(offset);
        d.push(
            Diagnostic::new(Code::HighlightLimit,
                &origin.path,
                format!(
                    "this code block is shown without highlighting: one text may have at most {} KiB of highlighted code",
                    markdown::HIGHLIGHT_LIMIT / 1024
                ),
            )
            .at(line, column)
            .with_hint("move long code to a file under static/ and link to it, or leave it plain"),
        );
    }
    local_links(r, origin, &mut position, &mut d, &mut links);
    lookup
        .pictures
        .check_body(&r.images, origin, &mut position, &mut d);
    BodyChecks {
        diagnostics: d,
        links,
    }
}

/// Where a byte offset of the body is in its file: line and column.
type Position<'a> = &'a mut dyn FnMut(usize) -> (usize, usize);

/// `[[...]]` links that lead nowhere, or to namesakes: never to one of
/// them silently.
fn unresolved_links(
    r: &markdown::Rendered,
    origin: &Origin,
    lookup: &Lookup<'_>,
    position: Position,
    d: &mut Diagnostics,
) {
    for w in r.wikilinks.iter().filter(|w| !w.resolved) {
        let (line, column) = position(w.offset);
        let name = w.target.name.as_str();
        let known = match w.target.kind {
            WikiKind::Actor => registry_answer(lookup.actors, name, "", origin, (line, column)),
            WikiKind::Topic => {
                registry_answer(lookup.topics, name, "topic:", origin, (line, column))
            }
            WikiKind::Briefing => Ok(None),
        };
        let suggestion = match known {
            Ok(suggestion) => suggestion,
            Err(ambiguous) => {
                d.push(ambiguous);
                continue;
            }
        };
        let generic = match w.target.kind {
            WikiKind::Actor => {
                "name an actor from content/actors/ or from a briefing's `actors`; `[[topic:Name]]` links a topic"
            }
            WikiKind::Topic => "name a topic from content/topics/ or from a briefing's `topics`",
            WikiKind::Briefing => {
                "use the briefing's slug: its file name without the date, e.g. [[briefing:russian-delegation-in-pyongyang]]"
            }
        };
        d.push(
            Diagnostic::new(
                Code::UnresolvedLink,
                &origin.path,
                format!(
                    "[[{}]] does not match any {}",
                    w.target.name,
                    w.target.kind.as_str()
                ),
            )
            .at(line, column)
            .with_hint(match suggestion {
                Some(s) => format!("did you mean {s}?"),
                None => generic.to_string(),
            }),
        );
    }
}

/// What a registry says of a `[[...]]` name (at `at` in `origin`) that
/// resolved to nothing: the near spelling to suggest, written as a link
/// with `prefix`; or, for a name namesakes share (never linked to one of
/// them silently), the `ambiguous-name` error.
fn registry_answer<P: super::names::Registered>(
    index: &super::names::Index<P>,
    name: &str,
    prefix: &str,
    origin: &Origin,
    at: (usize, usize),
) -> Result<Option<String>, Diagnostic> {
    let found = index.namesakes(name);
    if !found.is_empty() {
        return Err(super::names::ambiguous(name, &origin.path, at, &found));
    }
    Ok(index.suggest(name).map(|s| format!("[[{prefix}{s}]]")))
}

/// `[@id]` citations of no source of the document, with the id meant.
fn unknown_citations(
    r: &markdown::Rendered,
    origin: &Origin,
    sources: &[document::Source],
    position: Position,
    d: &mut Diagnostics,
) {
    let ids: Vec<&str> = sources.iter().filter_map(|s| s.id.as_deref()).collect();
    let mut unknown = r.citations.iter().filter(|c| c.number.is_none()).peekable();
    // Ids by first letter and length, so that a suggestion compares a
    // handful of ids, not all of them (thousands of citations against
    // thousands of sources would grow with the product).
    let mut similar: HashMap<(char, usize), Vec<&str>> = HashMap::default();
    if unknown.peek().is_some() {
        for id in &ids {
            let lower = id.to_lowercase();
            if let Some(first) = lower.chars().next() {
                similar
                    .entry((first, lower.chars().count()))
                    .or_default()
                    .push(id);
            }
        }
    }
    let known = match ids.len() {
        0..=10 => ids.join(", "),
        n => format!("{}, ... ({n} in all)", ids[..10].join(", ")),
    };
    for c in unknown {
        let (line, column) = position(c.offset);
        let lower = c.id.to_lowercase();
        let len = lower.chars().count();
        let budget = crate::suggest::edit_budget(len);
        let first = lower.chars().next().unwrap_or(' ');
        let candidates = (len.saturating_sub(budget)..=len + budget)
            .filter_map(|l| similar.get(&(first, l)))
            .flatten()
            .copied();
        let hint = match crate::suggest::did_you_mean(&c.id, candidates) {
            Some(s) => format!("did you mean [@{s}]?"),
            None if ids.is_empty() => {
                "this document has no source with an `id`; add one under `sources`".to_string()
            }
            None => format!("known ids: {known}"),
        };
        d.push(
            Diagnostic::new(
                Code::UnknownCitation,
                &origin.path,
                format!("[@{}] cites no source of this document", c.id),
            )
            .at(line, column)
            .with_hint(hint),
        );
    }
}

/// Sources with an id that the text never cites, when it cites any.
fn uncited_sources(
    r: &markdown::Rendered,
    origin: &Origin,
    sources: &[document::Source],
    d: &mut Diagnostics,
) {
    if r.citation_counts.iter().any(|n| *n > 0) {
        for (s, n) in sources.iter().zip(&r.citation_counts) {
            if let (Some(id), 0) = (&s.id, n) {
                d.push(
                    Diagnostic::new(
                        Code::UncitedSource,
                        &origin.path,
                        format!("source '{id}' is never cited in the text"),
                    )
                    .at(s.line, s.column)
                    .with_hint(format!(
                        "cite it with [@{id}] where it supports the text, or remove it"
                    )),
                );
            }
        }
    }
}

/// Relative links: to a content file that does not exist (a diagnostic),
/// or to a page or file of the site (checked once the output is known).
fn local_links(
    r: &markdown::Rendered,
    origin: &Origin,
    position: Position,
    d: &mut Diagnostics,
    links: &mut Vec<SiteLink>,
) {
    for l in &r.local_links {
        let (line, column) = position(l.offset);
        match &l.site_path {
            Some(site_path) => links.push(SiteLink {
                file: origin.path.clone(),
                line,
                column,
                written: l.written.clone(),
                site_path: site_path.clone(),
            }),
            None => d.push(
                Diagnostic::new(
                    Code::BrokenLink,
                    &origin.path,
                    format!("link to '{}': no such content file", l.written),
                )
                .at(line, column)
                .with_hint(
                    "the path is relative to this file; or link the page with [[briefing:slug]]",
                ),
            ),
        }
    }
}
