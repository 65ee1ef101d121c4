//! The frame of the site: what the front matter alone decides. Which
//! briefings and pages are published and in what order, every actor and
//! topic name resolved to an entry of the registries, the URLs each
//! document claims, old URLs, and what `[[...]]` and relative links can
//! lead to. The bodies are rendered against it afterwards.
//!
//! Nothing here reads a body, a title or a source, so `serve` keeps the
//! frame of its last build and reuses it while the fields it reads stay the
//! same (see `Input::same_as`): an edit to a briefing's text, title or
//! summary skips all of it.

use super::bodies::autolink_input;
use super::memo::AutolinkInput;
use super::model::Redirect;
use super::names::{Index, Names, Suggestions};
use super::{briefing_path, redirect_path};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::document::{self, NameRef, Origin};
use crate::routes;
use crate::slug::windows_reserved_warning;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ffi::OsString;
use std::sync::Arc;

/// The names a briefing uses, as registry entries (before `finish` sorts
/// them; see the remaps).
pub struct Refs {
    pub actors: Vec<(usize, Option<String>)>,
    pub topics: Vec<usize>,
    pub events: Vec<Vec<usize>>,
}

pub struct Frame {
    /// The published briefings, newest first, as indices into the loaded
    /// briefings.
    pub briefings: Vec<usize>,
    /// Their names, by position in `briefings`.
    pub refs: Vec<Refs>,
    /// The published standalone pages, as indices into the loaded pages.
    pub pages: Vec<usize>,
    pub actor_index: Index,
    pub actor_remap: Vec<u32>,
    pub topic_index: Index,
    pub topic_remap: Vec<u32>,
    /// For each actor profile, its affiliations as registry entries.
    pub affiliations: Vec<Vec<usize>>,
    pub redirects: Vec<Redirect>,
    /// `slug` and `YYYY/slug` of each briefing, for `[[briefing:...]]`.
    pub briefing_keys: HashMap<String, Vec<u32>>,
    /// Content files by path, for links such as `../2023/2023-11-15-visit.md`
    /// (keyed by the path as a plain string: it hashes much faster).
    pub content_paths: HashMap<OsString, String>,
    /// What the autolinker is built from.
    pub autolink: Option<AutolinkInput>,
    /// What making the frame found wrong.
    pub diagnostics: Diagnostics,
}

/// What a frame is made from: the config, whether drafts are published, and
/// the loaded documents (bodies aside).
pub struct Input<'a> {
    pub config: &'a Config,
    pub drafts: bool,
    pub briefings: &'a [Arc<document::Briefing>],
    pub actors: &'a [Arc<document::ActorProfile>],
    pub topics: &'a [Arc<document::TopicProfile>],
    pub pages: &'a [Arc<document::Page>],
}

/// An input kept to tell whether the next one makes the same frame.
pub struct KeptInput {
    config: Config,
    drafts: bool,
    briefings: Vec<Arc<document::Briefing>>,
    actors: Vec<Arc<document::ActorProfile>>,
    topics: Vec<Arc<document::TopicProfile>>,
    pages: Vec<Arc<document::Page>>,
}

impl Input<'_> {
    pub fn keep(&self) -> KeptInput {
        KeptInput {
            config: self.config.clone(),
            drafts: self.drafts,
            briefings: self.briefings.to_vec(),
            actors: self.actors.to_vec(),
            topics: self.topics.to_vec(),
            pages: self.pages.to_vec(),
        }
    }

    /// Whether this input makes the same frame as `kept`: the same config,
    /// and documents that are the same in every field the frame reads (a
    /// new title, summary, source or body leaves the frame as it was).
    pub fn same_as(&self, kept: &KeptInput) -> bool {
        self.config == &kept.config
            && self.drafts == kept.drafts
            && same(self.briefings, &kept.briefings, |a, b| {
                (a.draft, &a.date, &a.slug, a.slug_at, &a.origin.path)
                    == (b.draft, &b.date, &b.slug, b.slug_at, &b.origin.path)
                    && (&a.aliases, &a.actors, &a.topics) == (&b.aliases, &b.actors, &b.topics)
                    && a.events.len() == b.events.len()
                    && a.events
                        .iter()
                        .zip(&b.events)
                        .all(|(x, y)| x.actors == y.actors)
            })
            && same(self.actors, &kept.actors, |a, b| {
                (
                    &a.slug,
                    &a.name,
                    &a.aliases,
                    &a.affiliations,
                    &a.origin.path,
                ) == (
                    &b.slug,
                    &b.name,
                    &b.aliases,
                    &b.affiliations,
                    &b.origin.path,
                )
            })
            && same(self.topics, &kept.topics, |a, b| {
                (&a.slug, &a.name, &a.aliases, &a.origin.path)
                    == (&b.slug, &b.name, &b.aliases, &b.origin.path)
            })
            && same(self.pages, &kept.pages, |a, b| {
                (a.draft, &a.slug, a.slug_at, &a.aliases, &a.origin.path)
                    == (b.draft, &b.slug, b.slug_at, &b.aliases, &b.origin.path)
            })
    }
}

/// Whether two lists of documents agree by `same_for_frame` (the same
/// document, shared, trivially does).
fn same<T>(now: &[Arc<T>], kept: &[Arc<T>], same_for_frame: impl Fn(&T, &T) -> bool) -> bool {
    now.len() == kept.len()
        && now
            .iter()
            .zip(kept)
            .all(|(a, b)| Arc::ptr_eq(a, b) || same_for_frame(a, b))
}

/// What the names half of making a frame finds: the briefings' names and
/// the actors' affiliations as registry entries, the registries, and the
/// suggestions for the next run.
struct NamesPart {
    refs: Vec<Refs>,
    affiliations: Vec<Vec<usize>>,
    suggestions: (Suggestions, Suggestions),
    autolink: Option<AutolinkInput>,
    actor_index: Index,
    actor_remap: Vec<u32>,
    topic_index: Index,
    topic_remap: Vec<u32>,
    diagnostics: Diagnostics,
}

/// What the URLs half of making a frame finds: which briefings keep their
/// URL (by position), the pages that keep theirs, and the redirects.
struct UrlsPart<'a> {
    keep: Vec<bool>,
    kept_pages: Vec<(usize, &'a Arc<document::Page>)>,
    redirects: Vec<Redirect>,
    diagnostics: Diagnostics,
}

/// The URLs claimed so far, each with the file that claimed it.
#[derive(Default)]
struct Claims {
    urls: HashMap<String, std::path::PathBuf>,
}

impl Claims {
    /// Claims `path` for `origin`; false, with a diagnostic, if another
    /// document has it already.
    fn claim(
        &mut self,
        path: &str,
        origin: &Origin,
        at: (usize, usize),
        diagnostics: &mut Diagnostics,
    ) -> bool {
        if let Some(other) = self.urls.get(path) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateUrl,
                    &origin.path,
                    format!("/{path} is also the URL of {}", other.display()),
                )
                .at(at.0, at.1)
                .with_hint("give one of the two a different `slug`, or drop the alias"),
            );
            false
        } else {
            self.urls.insert(path.to_string(), origin.path.clone());
            true
        }
    }
}

impl Frame {
    /// Makes the frame; `suggestions` are the last run's "did you mean"
    /// for unknown names, and this run's are returned for the next.
    pub fn new(
        input: &Input<'_>,
        suggestions: (Option<Suggestions>, Option<Suggestions>),
    ) -> (Frame, (Suggestions, Suggestions)) {
        let Input {
            config,
            drafts,
            briefings: all_briefings,
            actors: actor_profiles,
            topics: topic_profiles,
            pages: all_pages,
        } = *input;
        let mut diagnostics = Diagnostics::new();
        let order = published_order(all_briefings, drafts);
        let briefings: Vec<&Arc<document::Briefing>> =
            order.iter().map(|&i| &all_briefings[i]).collect();
        let pages: Vec<(usize, &Arc<document::Page>)> = all_pages
            .iter()
            .enumerate()
            .filter(|(_, p)| drafts || !p.draft)
            .collect();

        // The names and the URLs are independent: made side by side.
        let names_part = || {
            resolve_names(
                config,
                actor_profiles,
                topic_profiles,
                &briefings,
                suggestions,
            )
        };
        let urls_part = || claim_urls(&briefings, &pages);
        let (names, urls) = rayon::join(names_part, urls_part);
        let NamesPart {
            refs,
            affiliations,
            suggestions,
            autolink,
            actor_index,
            actor_remap,
            topic_index,
            topic_remap,
            diagnostics: names_diagnostics,
        } = names;
        let UrlsPart {
            keep,
            kept_pages,
            redirects,
            diagnostics: urls_diagnostics,
        } = urls;
        diagnostics.extend(names_diagnostics);
        diagnostics.extend(urls_diagnostics);
        let (briefings, (order, refs)): (Vec<_>, (Vec<_>, Vec<_>)) = briefings
            .into_iter()
            .zip(order.into_iter().zip(refs))
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|(pair, _)| pair)
            .unzip();

        let briefing_keys = briefing_keys(&briefings);
        let content_paths = content_paths(&briefings, &kept_pages, actor_profiles, topic_profiles);
        let frame = Frame {
            briefings: order,
            refs,
            pages: kept_pages.into_iter().map(|(i, _)| i).collect(),
            actor_index,
            actor_remap,
            topic_index,
            topic_remap,
            affiliations,
            redirects,
            briefing_keys,
            content_paths,
            autolink,
            diagnostics,
        };
        (frame, suggestions)
    }
}

/// The published briefings (drafts too if `drafts`), newest first, as
/// indices into `all_briefings`.
fn published_order(all_briefings: &[Arc<document::Briefing>], drafts: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..all_briefings.len())
        .filter(|&i| drafts || !all_briefings[i].draft)
        .collect();
    // Newest first; ties by slug, then by file, so the order never depends
    // on the file system.
    order.sort_by(|&a, &b| {
        let (a, b) = (&all_briefings[a], &all_briefings[b]);
        b.date
            .cmp(&a.date)
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.origin.path.cmp(&b.origin.path))
    });
    order
}

/// Resolves every actor and topic name to a registry entry: the names half
/// of making a frame.
fn resolve_names(
    config: &Config,
    actor_profiles: &[Arc<document::ActorProfile>],
    topic_profiles: &[Arc<document::TopicProfile>],
    briefings: &[&Arc<document::Briefing>],
    suggestions: (Option<Suggestions>, Option<Suggestions>),
) -> NamesPart {
    let mut diagnostics = Diagnostics::new();
    let (mut actor_names, mut topic_names) =
        register_profiles(actor_profiles, topic_profiles, &mut diagnostics);
    let (kept_actor_suggestions, kept_topic_suggestions) = suggestions;
    actor_names.reuse_suggestions(kept_actor_suggestions);
    topic_names.reuse_suggestions(kept_topic_suggestions);
    let affiliations: Vec<Vec<usize>> = actor_profiles
        .iter()
        .map(|p| {
            p.affiliations
                .iter()
                .filter_map(|n| {
                    actor_names.resolve(n, &p.origin.path, Code::UnknownActor, &mut diagnostics)
                })
                .collect()
        })
        .collect();
    let refs: Vec<Refs> = briefings
        .iter()
        .map(|b| briefing_refs(b, &mut actor_names, &mut topic_names, &mut diagnostics))
        .collect();
    let suggestions = (
        actor_names.take_suggestions(),
        topic_names.take_suggestions(),
    );
    let (actor_index, actor_remap) = actor_names.finish();
    let (topic_index, topic_remap) = topic_names.finish();

    let autolink = autolink_input(config, &actor_index, actor_profiles);
    NamesPart {
        refs,
        affiliations,
        suggestions,
        autolink,
        actor_index,
        actor_remap,
        topic_index,
        topic_remap,
        diagnostics,
    }
}

/// The actor and topic registries with every profile's names claimed
/// (profiles claim their names before any name used is resolved).
fn register_profiles(
    actor_profiles: &[Arc<document::ActorProfile>],
    topic_profiles: &[Arc<document::TopicProfile>],
    diagnostics: &mut Diagnostics,
) -> (Names, Names) {
    // Actors: profiles claim their names first, then every name used.
    let mut actor_names = Names::new("actor", "content/actors/");
    for (i, p) in actor_profiles.iter().enumerate() {
        let name = NameRef {
            name: p.name.clone(),
            line: 1,
            column: 1,
        };
        actor_names.add_profile(i, &p.slug, &name, &p.aliases, &p.origin.path, diagnostics);
    }
    let mut topic_names = Names::new("topic", "content/topics/");
    for (i, t) in topic_profiles.iter().enumerate() {
        let name = NameRef {
            name: t.name.clone(),
            line: 1,
            column: 1,
        };
        topic_names.add_profile(i, &t.slug, &name, &t.aliases, &t.origin.path, diagnostics);
    }
    (actor_names, topic_names)
}

/// The names one briefing uses (actors, topics, event actors) as registry
/// entries, with a diagnostic for each unknown or repeated actor.
fn briefing_refs(
    b: &document::Briefing,
    actor_names: &mut Names,
    topic_names: &mut Names,
    diagnostics: &mut Diagnostics,
) -> Refs {
    let file = &b.origin.path;
    let mut seen = HashSet::default();
    let actors = b
        .actors
        .iter()
        .filter_map(|a| {
            let id = actor_names.resolve(&a.name, file, Code::UnknownActor, diagnostics)?;
            if !seen.insert(id) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateActor,
                        file,
                        format!("actor '{}' is listed twice", a.name.name),
                    )
                    .at(a.name.line, a.name.column)
                    .with_hint("remove one of the two entries"),
                );
                return None;
            }
            Some((id, a.role.clone()))
        })
        .collect();
    let mut seen = HashSet::default();
    let topics = b
        .topics
        .iter()
        .filter_map(|t| topic_names.resolve(t, file, Code::UnknownTopic, diagnostics))
        .filter(|id| seen.insert(*id))
        .collect();
    let events = b
        .events
        .iter()
        .map(|e| {
            e.actors
                .iter()
                .filter_map(|n| actor_names.resolve(n, file, Code::UnknownActor, diagnostics))
                .collect()
        })
        .collect();
    Refs {
        actors,
        topics,
        events,
    }
}

/// Gives each briefing, page and alias its URL, one document per path: the
/// URLs half of making a frame.
fn claim_urls<'a>(
    briefings: &[&Arc<document::Briefing>],
    pages: &[(usize, &'a Arc<document::Page>)],
) -> UrlsPart<'a> {
    let mut diagnostics = Diagnostics::new();
    // URLs: one document per path.
    let mut claims = Claims::default();
    for (origin, slug, line) in briefings
        .iter()
        .map(|b| (&b.origin, &b.slug, b.slug_at))
        .chain(pages.iter().map(|(_, p)| (&p.origin, &p.slug, p.slug_at)))
    {
        if let Some(d) = windows_reserved_slug(origin, slug, line) {
            diagnostics.push(d);
        }
    }
    let mut keep = vec![true; briefings.len()];
    for (i, b) in briefings.iter().enumerate() {
        keep[i] = claims.claim(&briefing_path(b), &b.origin, b.slug_at, &mut diagnostics);
    }
    let mut kept_pages: Vec<(usize, &Arc<document::Page>)> = Vec::new();
    for &(index, p) in pages {
        if routes::is_reserved(&p.slug) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ReservedSlug,
                    &p.origin.path,
                    format!("the page slug '{}' is used by attache's own pages", p.slug),
                )
                .at(p.slug_at.0, p.slug_at.1)
                .with_hint("set another `slug:` in the front matter"),
            );
            continue;
        }
        if claims.claim(
            &routes::page(&p.slug),
            &p.origin,
            p.slug_at,
            &mut diagnostics,
        ) {
            kept_pages.push((index, p));
        }
    }
    // Old URLs (`aliases`) claim their paths like pages do.
    let alias_sources = briefings
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|(b, _)| (&b.aliases, &b.origin, briefing_path(b)))
        .chain(
            kept_pages
                .iter()
                .map(|(_, p)| (&p.aliases, &p.origin, routes::page(&p.slug))),
        );
    let mut redirects = Vec::new();
    for (aliases, origin, to) in alias_sources {
        for alias in aliases {
            if let Some(redirect) = claim_alias(alias, origin, &to, &mut claims, &mut diagnostics) {
                redirects.push(redirect);
            }
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    UrlsPart {
        keep,
        kept_pages,
        redirects,
        diagnostics,
    }
}

/// Claims the path of one old URL (`aliases`) of the document at `origin`
/// whose URL is `to`; the redirect, if the alias is valid and its path free.
fn claim_alias(
    alias: &NameRef,
    origin: &Origin,
    to: &str,
    claims: &mut Claims,
    diagnostics: &mut Diagnostics,
) -> Option<Redirect> {
    match redirect_path(&alias.name) {
        Ok(from) => {
            if let Some(segment) = from.split('/').find(|s| crate::slug::windows_reserved(s)) {
                diagnostics.push(crate::slug::windows_reserved_warning(
                    &origin.path,
                    (alias.line, alias.column),
                    "a folder of this alias",
                    segment,
                    "old URLs with such a name cannot be checked out on Windows; drop the alias if no link to it remains",
                ));
            }
            if claims.claim(&from, origin, (alias.line, alias.column), diagnostics) {
                Some(Redirect {
                    from,
                    to: to.to_string(),
                    source_path: origin.path.clone(),
                    line: alias.line,
                    column: alias.column,
                })
            } else {
                None
            }
        }
        Err(message) => {
            diagnostics.push(
                Diagnostic::new(Code::BadAlias, &origin.path, message)
                    .at(alias.line, alias.column)
                    .with_hint(
                        "write the old URL's path with letters, digits and `- _ . ~` between single slashes, e.g. `aliases: [/2023/11/old-title/]`",
                    ),
            );
            None
        }
    }
}

/// Briefing slugs for [[briefing:...]]: `slug` or `YYYY/slug`, each to the
/// briefings (by position) that have it.
fn briefing_keys(briefings: &[&Arc<document::Briefing>]) -> HashMap<String, Vec<u32>> {
    let mut briefing_keys: HashMap<String, Vec<u32>> = HashMap::default();
    for (i, b) in briefings.iter().enumerate() {
        briefing_keys
            .entry(b.slug.clone())
            .or_default()
            .push(i as u32);
        briefing_keys
            .entry(format!("{}/{}", b.date.date.year(), b.slug))
            .or_default()
            .push(i as u32);
    }
    briefing_keys
}

/// Content files by path to their URLs, for links such as
/// `../2023/2023-11-15-visit.md` (keyed by the path as a plain string: it
/// hashes much faster).
fn content_paths(
    briefings: &[&Arc<document::Briefing>],
    kept_pages: &[(usize, &Arc<document::Page>)],
    actor_profiles: &[Arc<document::ActorProfile>],
    topic_profiles: &[Arc<document::TopicProfile>],
) -> HashMap<OsString, String> {
    let mut content_paths: HashMap<OsString, String> = HashMap::default();
    for b in briefings {
        content_paths.insert(b.origin.path.clone().into_os_string(), briefing_path(b));
    }
    for (_, p) in kept_pages {
        content_paths.insert(
            p.origin.path.clone().into_os_string(),
            routes::page(&p.slug),
        );
    }
    for p in actor_profiles {
        content_paths.insert(
            p.origin.path.clone().into_os_string(),
            routes::actor(&p.slug),
        );
    }
    for t in topic_profiles {
        content_paths.insert(
            t.origin.path.clone().into_os_string(),
            routes::topic(&t.slug),
        );
    }
    content_paths
}

/// A warning for a briefing or page whose URL segment, or whose own file
/// name, Windows reserves (`con`, `aux`, `com1`, ...).
fn windows_reserved_slug(origin: &Origin, slug: &str, at: (usize, usize)) -> Option<Diagnostic> {
    let hint = "set another `slug:` in the front matter, e.g. `slug: con-visit`";
    if crate::slug::windows_reserved(slug) {
        return Some(windows_reserved_warning(
            &origin.path,
            at,
            "the URL segment",
            slug,
            hint,
        ));
    }
    let file = origin.path.file_name()?.to_string_lossy();
    crate::slug::windows_reserved(&file).then(|| {
        windows_reserved_warning(
            &origin.path,
            (1, 1),
            "the file name",
            &file,
            "rename the file (and set `slug:` to keep its URL)",
        )
    })
}
