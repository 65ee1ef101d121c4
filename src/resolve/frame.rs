//! The frame of the site: what the front matter alone decides. Which
//! briefings and pages are published and in what order, every actor and
//! topic name resolved to an entry of the registries, the URLs each
//! document claims, old URLs, and what `[[...]]` and relative links can
//! lead to. The bodies are rendered against it afterwards.
//!
//! The frame is made from the documents' heads alone (see `Input`): never a
//! body, a title or a source. The memo keeps the last frame and reuses it
//! while the heads stay equal, so an edit to a briefing's text, title or
//! summary skips all of it.

use super::memo::AutolinkInput;
use super::model::Redirect;
use super::model::{ActorId, BriefingId, TopicId};
use super::names::{Index, Names, Suggestions, Unsorted};
use super::redirect_path;
use crate::config::Config;
use crate::dates::DateTime;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::document::{self, ActorRef, NameRef};
use crate::markdown::autolink::{Mentions, Target};
use crate::routes;
use crate::slug::windows_reserved_warning;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;

/// Where a document is in the lists `load` made (`load::Content`), typed
/// by its kind: what the frame hands on instead of the document.
pub struct Loaded<T> {
    index: u32,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Loaded<T> {}
impl<T> std::fmt::Debug for Loaded<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Loaded({})", self.index)
    }
}

impl<T> Loaded<T> {
    pub fn at(index: usize) -> Self {
        Loaded {
            index: u32::try_from(index).expect("fewer than 2^32 documents of a kind"),
            kind: std::marker::PhantomData,
        }
    }

    /// The document in the list it was loaded into.
    pub fn get(self, loaded: &[Arc<T>]) -> &Arc<T> {
        &loaded[self.index as usize]
    }

    /// The item for this document in a list parallel to the loaded one
    /// (its heads).
    fn in_parallel<U>(self, parallel: &[U]) -> &U {
        &parallel[self.index as usize]
    }
}

/// The names a briefing uses, as model ids.
#[derive(Debug, PartialEq)]
pub struct Refs {
    pub actors: Vec<(ActorId, Option<String>)>,
    pub topics: Vec<TopicId>,
    pub events: Vec<Vec<ActorId>>,
}

pub struct Frame {
    /// The published briefings, newest first: the `BriefingId` of each is
    /// its position here.
    pub briefings: Vec<Loaded<document::Briefing>>,
    /// Their names, by position in `briefings`.
    pub refs: Vec<Refs>,
    /// The published standalone pages.
    pub pages: Vec<Loaded<document::Page>>,
    pub actor_index: Index<document::ActorProfile>,
    pub topic_index: Index<document::TopicProfile>,
    /// For each actor profile (by its place in the loaded profiles), its
    /// affiliations.
    affiliations: Vec<Vec<ActorId>>,
    pub redirects: Vec<Redirect>,
    /// `slug` and `YYYY/slug` of each briefing, for `[[briefing:...]]`.
    pub briefing_keys: HashMap<String, Vec<BriefingId>>,
    /// Content files by path, for links such as `../2023/2023-11-15-visit.md`
    /// (keyed by the path as a plain string: it hashes much faster).
    pub content_paths: HashMap<OsString, String>,
    /// What the autolinker is built from.
    pub autolink: Option<AutolinkInput>,
    /// What making the frame found wrong.
    pub diagnostics: Diagnostics,
}

/// The loaded documents a frame is made from (and the bodies rendered).
pub struct Documents<'a> {
    pub briefings: &'a [Arc<document::Briefing>],
    pub actors: &'a [Arc<document::ActorProfile>],
    pub topics: &'a [Arc<document::TopicProfile>],
    pub pages: &'a [Arc<document::Page>],
}

/// What a frame is made from, and all that making it can read: the config,
/// whether drafts are published, and of each document its head (the
/// fields below; never a body, a title, a summary or a source).
///
/// Whether the last frame can be reused is decided by comparing the heads
/// of the documents it was made from with the heads of the new ones
/// (`KeptInput::makes_same_frame`). Each head is made by one function
/// (`BriefingHead::of` and the like), and `Frame::new` sees nothing else,
/// so a field the frame starts to read enters that comparison by the same
/// change: there is no second list of fields to keep in step.
pub struct Input<'a> {
    pub config: &'a Config,
    pub drafts: bool,
    pub briefings: Vec<BriefingHead<'a>>,
    pub actors: Vec<ActorHead<'a>>,
    pub topics: Vec<TopicHead<'a>>,
    pub pages: Vec<PageHead<'a>>,
}

/// What the frame reads of a briefing.
#[derive(PartialEq)]
pub struct BriefingHead<'a> {
    path: &'a Path,
    draft: bool,
    date: &'a DateTime,
    slug: &'a str,
    slug_at: (usize, usize),
    aliases: &'a [NameRef],
    actors: &'a [ActorRef],
    topics: &'a [NameRef],
    /// The actors of each event.
    events: Vec<&'a [NameRef]>,
}

/// What the frame reads of an actor profile.
#[derive(PartialEq)]
pub struct ActorHead<'a> {
    path: &'a Path,
    slug: &'a str,
    name: &'a str,
    aliases: &'a [NameRef],
    affiliations: &'a [NameRef],
    /// Old URLs of its page.
    redirect_from: &'a [NameRef],
    /// What tells the actor apart from a namesake, for messages.
    kind: document::ActorKind,
    role: Option<&'a str>,
    disambiguation: Option<&'a str>,
}

/// What the frame reads of a topic profile.
#[derive(PartialEq)]
pub struct TopicHead<'a> {
    path: &'a Path,
    slug: &'a str,
    name: &'a str,
    aliases: &'a [NameRef],
    /// Old URLs of its page.
    redirect_from: &'a [NameRef],
}

/// What the frame reads of a standalone page.
#[derive(PartialEq)]
pub struct PageHead<'a> {
    path: &'a Path,
    draft: bool,
    slug: &'a str,
    slug_at: (usize, usize),
    aliases: &'a [NameRef],
}

impl<'a> BriefingHead<'a> {
    pub fn of(b: &'a document::Briefing) -> Self {
        BriefingHead {
            path: &b.origin.path,
            draft: b.draft,
            date: &b.date,
            slug: &b.slug,
            slug_at: b.slug_at,
            aliases: &b.aliases,
            actors: &b.actors,
            topics: &b.topics,
            events: b.events.iter().map(|e| e.actors.as_slice()).collect(),
        }
    }

    /// The briefing's URL path (`briefings/2023/visit/`).
    fn url(&self) -> String {
        routes::briefing(self.date.date.year(), self.slug)
    }
}

impl<'a> ActorHead<'a> {
    pub fn of(p: &'a document::ActorProfile) -> Self {
        ActorHead {
            path: &p.origin.path,
            slug: &p.slug,
            name: &p.name,
            aliases: &p.aliases,
            affiliations: &p.affiliations,
            redirect_from: &p.redirect_from,
            kind: p.kind,
            role: p.role.as_deref(),
            disambiguation: p.disambiguation.as_deref(),
        }
    }
}

impl ActorHead<'_> {
    /// What tells the actor apart from a namesake: its `disambiguation`,
    /// kind, role and affiliations, as far as given.
    fn about(&self) -> String {
        let kind = (self.kind != document::ActorKind::Other).then(|| self.kind.as_str());
        let affiliations = self
            .affiliations
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let of = (!affiliations.is_empty()).then(|| format!("of {affiliations}"));
        [self.disambiguation, kind, self.role, of.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<'a> TopicHead<'a> {
    pub fn of(t: &'a document::TopicProfile) -> Self {
        TopicHead {
            path: &t.origin.path,
            slug: &t.slug,
            name: &t.name,
            aliases: &t.aliases,
            redirect_from: &t.redirect_from,
        }
    }
}

impl<'a> PageHead<'a> {
    pub fn of(p: &'a document::Page) -> Self {
        PageHead {
            path: &p.origin.path,
            draft: p.draft,
            slug: &p.slug,
            slug_at: p.slug_at,
            aliases: &p.aliases,
        }
    }
}

impl<'a> Input<'a> {
    pub fn of(config: &'a Config, drafts: bool, documents: &Documents<'a>) -> Self {
        Input {
            config,
            drafts,
            briefings: documents
                .briefings
                .iter()
                .map(|b| BriefingHead::of(b))
                .collect(),
            actors: documents.actors.iter().map(|p| ActorHead::of(p)).collect(),
            topics: documents.topics.iter().map(|t| TopicHead::of(t)).collect(),
            pages: documents.pages.iter().map(|p| PageHead::of(p)).collect(),
        }
    }
}

/// The documents a frame was made from, kept to tell whether new ones
/// make the same frame.
pub struct KeptInput {
    config: Config,
    drafts: bool,
    briefings: Vec<Arc<document::Briefing>>,
    actors: Vec<Arc<document::ActorProfile>>,
    topics: Vec<Arc<document::TopicProfile>>,
    pages: Vec<Arc<document::Page>>,
}

impl KeptInput {
    pub fn new(config: &Config, drafts: bool, documents: &Documents<'_>) -> KeptInput {
        KeptInput {
            config: config.clone(),
            drafts,
            briefings: documents.briefings.to_vec(),
            actors: documents.actors.to_vec(),
            topics: documents.topics.to_vec(),
            pages: documents.pages.to_vec(),
        }
    }

    /// Puts `after` where the kept briefing from the file of `before` is,
    /// when an edit to it is patched into the frame (see `rename`); `false`
    /// when that briefing is not kept with the head of `before`. (An edit
    /// to a body alone is patched without changing the kept document,
    /// whose head stays that of the file.)
    pub fn replace_briefing(
        &mut self,
        before: &Arc<document::Briefing>,
        after: Arc<document::Briefing>,
    ) -> bool {
        let file = before.origin.path.as_os_str();
        let at = self
            .briefings
            .iter()
            .position(|b| Arc::ptr_eq(b, before) || b.origin.path.as_os_str() == file);
        match at {
            Some(at) if BriefingHead::of(&self.briefings[at]) == BriefingHead::of(before) => {
                self.briefings[at] = after;
                true
            }
            _ => false,
        }
    }

    /// Whether `documents` make the same frame as the kept ones: the same
    /// config, and documents with equal heads.
    pub fn makes_same_frame(
        &self,
        config: &Config,
        drafts: bool,
        documents: &Documents<'_>,
    ) -> bool {
        *config == self.config
            && drafts == self.drafts
            && same_heads(documents.briefings, &self.briefings, BriefingHead::of)
            && same_heads(documents.actors, &self.actors, ActorHead::of)
            && same_heads(documents.topics, &self.topics, TopicHead::of)
            && same_heads(documents.pages, &self.pages, PageHead::of)
    }
}

/// Whether two lists of documents have equal heads (the same document,
/// shared, trivially has).
fn same_heads<'a, T, H: PartialEq>(
    now: &'a [Arc<T>],
    kept: &'a [Arc<T>],
    head: impl Fn(&'a T) -> H,
) -> bool {
    now.len() == kept.len()
        && now
            .iter()
            .zip(kept)
            .all(|(a, b)| Arc::ptr_eq(a, b) || head(a) == head(b))
}

/// What the names half of making a frame finds: the briefings' names and
/// the actors' affiliations as registry entries, the registries, and the
/// suggestions for the next run.
struct NamesPart {
    refs: Vec<Refs>,
    affiliations: Vec<Vec<ActorId>>,
    suggestions: (Suggestions, Suggestions),
    autolink: Option<AutolinkInput>,
    actor_index: Index<document::ActorProfile>,
    topic_index: Index<document::TopicProfile>,
    diagnostics: Diagnostics,
}

type ActorEntry = Unsorted<document::ActorProfile>;
type TopicEntry = Unsorted<document::TopicProfile>;

/// `Refs` as registry entries, before `Names::finish` gives them ids.
struct UnsortedRefs {
    actors: Vec<(ActorEntry, Option<String>)>,
    topics: Vec<TopicEntry>,
    events: Vec<Vec<ActorEntry>>,
}

/// What the URLs half of making a frame finds: which briefings keep their
/// URL (by position), the pages that keep theirs, and the redirects.
struct UrlsPart<'a> {
    keep: Vec<bool>,
    kept_pages: Vec<(usize, &'a PageHead<'a>)>,
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
        origin: &Path,
        at: (usize, usize),
        diagnostics: &mut Diagnostics,
    ) -> bool {
        if let Some(other) = self.urls.get(path) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateUrl,
                    origin,
                    format!("/{path} is also the URL of {}", other.display()),
                )
                .at(at.0, at.1)
                .with_hint("give one of the two a different `slug`, or drop the alias"),
            );
            false
        } else {
            self.urls.insert(path.to_string(), origin.to_path_buf());
            true
        }
    }
}

impl Frame {
    /// The affiliations of an actor profile.
    pub fn affiliations(&self, profile: Loaded<document::ActorProfile>) -> &[ActorId] {
        profile.in_parallel(&self.affiliations).as_slice()
    }

    /// Makes the frame; `suggestions` are the last run's "did you mean"
    /// for unknown names, and this run's are returned for the next.
    pub fn new(
        input: &Input<'_>,
        suggestions: (Option<Suggestions>, Option<Suggestions>),
    ) -> (Frame, (Suggestions, Suggestions)) {
        let Input {
            config,
            drafts,
            briefings: ref all_briefings,
            actors: ref actor_profiles,
            topics: ref topic_profiles,
            pages: ref all_pages,
        } = *input;
        let mut diagnostics = Diagnostics::new();
        let order = published_order(all_briefings, drafts);
        let briefings: Vec<&BriefingHead> = order.iter().map(|&i| &all_briefings[i]).collect();
        let pages: Vec<(usize, &PageHead)> = all_pages
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
        let urls_part = || claim_urls(&briefings, &pages, actor_profiles, topic_profiles);
        let (names, urls) = rayon::join(names_part, urls_part);
        let NamesPart {
            refs,
            affiliations,
            suggestions,
            autolink,
            actor_index,
            topic_index,
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
            briefings: order.into_iter().map(Loaded::at).collect(),
            refs,
            pages: kept_pages.into_iter().map(|(i, _)| Loaded::at(i)).collect(),
            actor_index,
            topic_index,
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
fn published_order(all_briefings: &[BriefingHead], drafts: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..all_briefings.len())
        .filter(|&i| drafts || !all_briefings[i].draft)
        .collect();
    // Newest first; ties by slug, then by file, so the order never depends
    // on the file system.
    order.sort_by(|&a, &b| {
        let (a, b) = (&all_briefings[a], &all_briefings[b]);
        b.date
            .cmp(a.date)
            .then_with(|| a.slug.cmp(b.slug))
            .then_with(|| a.path.cmp(b.path))
    });
    order
}

/// Resolves every actor and topic name to a registry entry: the names half
/// of making a frame.
fn resolve_names(
    config: &Config,
    actor_profiles: &[ActorHead],
    topic_profiles: &[TopicHead],
    briefings: &[&BriefingHead],
    suggestions: (Option<Suggestions>, Option<Suggestions>),
) -> NamesPart {
    let mut diagnostics = Diagnostics::new();
    let (mut actor_names, mut topic_names) =
        register_profiles(actor_profiles, topic_profiles, &mut diagnostics);
    let (kept_actor_suggestions, kept_topic_suggestions) = suggestions;
    actor_names.reuse_suggestions(kept_actor_suggestions);
    topic_names.reuse_suggestions(kept_topic_suggestions);
    let affiliations: Vec<Vec<ActorEntry>> = actor_profiles
        .iter()
        .map(|p| {
            p.affiliations
                .iter()
                .filter_map(|n| {
                    actor_names.resolve(n, p.path, Code::UnknownActor, &mut diagnostics)
                })
                .collect()
        })
        .collect();
    let refs: Vec<UnsortedRefs> = briefings
        .iter()
        .map(|b| briefing_refs(b, &mut actor_names, &mut topic_names, &mut diagnostics))
        .collect();
    let suggestions = (
        actor_names.take_suggestions(),
        topic_names.take_suggestions(),
    );
    let (actor_index, actor_ids) = actor_names.finish();
    let (topic_index, topic_ids) = topic_names.finish();
    let refs = refs
        .into_iter()
        .map(|r| Refs {
            actors: r
                .actors
                .into_iter()
                .map(|(a, role)| (actor_ids.of(a), role))
                .collect(),
            topics: r.topics.into_iter().map(|t| topic_ids.of(t)).collect(),
            events: r
                .events
                .into_iter()
                .map(|e| e.into_iter().map(|a| actor_ids.of(a)).collect())
                .collect(),
        })
        .collect();
    let affiliations = affiliations
        .into_iter()
        .map(|a| a.into_iter().map(|a| actor_ids.of(a)).collect())
        .collect();

    let autolink = autolink_input(config, &actor_index, actor_profiles);
    NamesPart {
        refs,
        affiliations,
        suggestions,
        autolink,
        actor_index,
        topic_index,
        diagnostics,
    }
}

/// The actor and topic registries with every profile's names claimed
/// (profiles claim their names before any name used is resolved).
fn register_profiles(
    actor_profiles: &[ActorHead],
    topic_profiles: &[TopicHead],
    diagnostics: &mut Diagnostics,
) -> (Names<document::ActorProfile>, Names<document::TopicProfile>) {
    // Profiles claim their names first, then every name used.
    let actor_names = register(
        actor_profiles
            .iter()
            .map(|p| (p.slug, p.name, p.aliases, p.about(), p.path)),
        diagnostics,
    );
    let topic_names = register(
        topic_profiles
            .iter()
            .map(|t| (t.slug, t.name, t.aliases, String::new(), t.path)),
        diagnostics,
    );
    (actor_names, topic_names)
}

/// A registry with each profile (slug, name, aliases, what tells it apart,
/// file) claiming its names, in the order loaded.
fn register<'a, P: super::names::Registered>(
    profiles: impl Iterator<Item = (&'a str, &'a str, &'a [NameRef], String, &'a Path)>,
    diagnostics: &mut Diagnostics,
) -> Names<P> {
    let mut names = Names::new();
    for (i, (slug, name, aliases, about, path)) in profiles.enumerate() {
        let name = NameRef {
            name: name.to_string(),
            line: 1,
            column: 1,
        };
        names.add_profile(
            Loaded::at(i),
            slug,
            &name,
            aliases,
            about,
            path,
            diagnostics,
        );
    }
    names
}

/// The names one briefing uses (actors, topics, event actors) as registry
/// entries, with a diagnostic for each unknown or repeated actor.
fn briefing_refs(
    b: &BriefingHead,
    actor_names: &mut Names<document::ActorProfile>,
    topic_names: &mut Names<document::TopicProfile>,
    diagnostics: &mut Diagnostics,
) -> UnsortedRefs {
    let file = b.path;
    let mut seen = HashSet::default();
    let actors = b
        .actors
        .iter()
        .filter_map(|a| {
            let id = match &a.id {
                Some(id) => actor_names.resolve_id(id, file, diagnostics)?,
                None => actor_names.resolve(&a.name, file, Code::UnknownActor, diagnostics)?,
            };
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
        .map(|actors| {
            actors
                .iter()
                .filter_map(|n| actor_names.resolve(n, file, Code::UnknownActor, diagnostics))
                .collect()
        })
        .collect();
    UnsortedRefs {
        actors,
        topics,
        events,
    }
}

/// Gives each briefing, page and alias its URL, one document per path: the
/// URLs half of making a frame.
fn claim_urls<'a>(
    briefings: &[&BriefingHead],
    pages: &[(usize, &'a PageHead<'a>)],
    actors: &[ActorHead],
    topics: &[TopicHead],
) -> UrlsPart<'a> {
    let mut diagnostics = Diagnostics::new();
    // URLs: one document per path.
    let mut claims = Claims::default();
    for (origin, slug, line) in briefings
        .iter()
        .map(|b| (b.path, b.slug, b.slug_at))
        .chain(pages.iter().map(|(_, p)| (p.path, p.slug, p.slug_at)))
    {
        if let Some(d) = windows_reserved_slug(origin, slug, line) {
            diagnostics.push(d);
        }
    }
    let mut keep = vec![true; briefings.len()];
    for (i, b) in briefings.iter().enumerate() {
        keep[i] = claims.claim(&b.url(), b.path, b.slug_at, &mut diagnostics);
    }
    let mut kept_pages: Vec<(usize, &PageHead)> = Vec::new();
    for &(index, p) in pages {
        if routes::is_reserved(p.slug) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ReservedSlug,
                    p.path,
                    format!("the page slug '{}' is used by attache's own pages", p.slug),
                )
                .at(p.slug_at.0, p.slug_at.1)
                .with_hint("set another `slug:` in the front matter"),
            );
            continue;
        }
        if claims.claim(&routes::page(p.slug), p.path, p.slug_at, &mut diagnostics) {
            kept_pages.push((index, p));
        }
    }
    // Old URLs (`aliases`) claim their paths like pages do.
    let alias_sources = briefings
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|(b, _)| (b.aliases, b.path, b.url()))
        .chain(
            kept_pages
                .iter()
                .map(|(_, p)| (p.aliases, p.path, routes::page(p.slug))),
        )
        .chain(
            actors
                .iter()
                .map(|a| (a.redirect_from, a.path, routes::actor(a.slug))),
        )
        .chain(
            topics
                .iter()
                .map(|t| (t.redirect_from, t.path, routes::topic(t.slug))),
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
    origin: &Path,
    to: &str,
    claims: &mut Claims,
    diagnostics: &mut Diagnostics,
) -> Option<Redirect> {
    match redirect_path(&alias.name) {
        Ok(from) => {
            if let Some(segment) = from.split('/').find(|s| crate::slug::windows_reserved(s)) {
                diagnostics.push(crate::slug::windows_reserved_warning(
                    origin,
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
                    source_path: origin.to_path_buf(),
                    line: alias.line,
                    column: alias.column,
                })
            } else {
                None
            }
        }
        Err(message) => {
            diagnostics.push(
                Diagnostic::new(Code::BadAlias, origin, message)
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
fn briefing_keys(briefings: &[&BriefingHead]) -> HashMap<String, Vec<BriefingId>> {
    let mut briefing_keys: HashMap<String, Vec<BriefingId>> = HashMap::default();
    for (i, b) in briefings.iter().enumerate() {
        briefing_keys
            .entry(b.slug.to_string())
            .or_default()
            .push(BriefingId::from_index(i));
        briefing_keys
            .entry(format!("{}/{}", b.date.date.year(), b.slug))
            .or_default()
            .push(BriefingId::from_index(i));
    }
    briefing_keys
}

/// Content files by path to their URLs, for links such as
/// `../2023/2023-11-15-visit.md` (keyed by the path as a plain string: it
/// hashes much faster).
fn content_paths(
    briefings: &[&BriefingHead],
    kept_pages: &[(usize, &PageHead)],
    actor_profiles: &[ActorHead],
    topic_profiles: &[TopicHead],
) -> HashMap<OsString, String> {
    let mut content_paths: HashMap<OsString, String> = HashMap::default();
    for b in briefings {
        content_paths.insert(b.path.as_os_str().to_owned(), b.url());
    }
    for (_, p) in kept_pages {
        content_paths.insert(p.path.as_os_str().to_owned(), routes::page(p.slug));
    }
    for p in actor_profiles {
        content_paths.insert(p.path.as_os_str().to_owned(), routes::actor(p.slug));
    }
    for t in topic_profiles {
        content_paths.insert(t.path.as_os_str().to_owned(), routes::topic(t.slug));
    }
    content_paths
}

/// A warning for a briefing or page whose URL segment, or whose own file
/// name, Windows reserves (`con`, `aux`, `com1`, ...).
fn windows_reserved_slug(origin: &Path, slug: &str, at: (usize, usize)) -> Option<Diagnostic> {
    let hint = "set another `slug:` in the front matter, e.g. `slug: con-visit`";
    if crate::slug::windows_reserved(slug) {
        return Some(windows_reserved_warning(
            origin,
            at,
            "the URL segment",
            slug,
            hint,
        ));
    }
    let file = origin.file_name()?.to_string_lossy();
    crate::slug::windows_reserved(&file).then(|| {
        windows_reserved_warning(
            origin,
            (1, 1),
            "the file name",
            &file,
            "rename the file (and set `slug:` to keep its URL)",
        )
    })
}

/// The automaton over every actor's name and aliases, unless the site
/// turned autolinking off.
fn autolink_input(
    config: &Config,
    actors: &Index<document::ActorProfile>,
    profiles: &[ActorHead],
) -> Option<AutolinkInput> {
    let mentions = match config.autolink {
        crate::config::Autolink::None => return None,
        crate::config::Autolink::All => Mentions::Every,
        crate::config::Autolink::First => Mentions::First,
    };
    let targets = actors
        .entries
        .iter()
        .map(|e| Target {
            url: config.base_url.link(&crate::routes::actor(&e.slug)),
            // A spelling namesakes share links to none of them.
            spellings: std::iter::once(e.name.clone())
                .chain(
                    e.profile
                        .map(|p| p.in_parallel(profiles).aliases)
                        .unwrap_or_default()
                        .iter()
                        .map(|a| a.name.clone()),
                )
                .filter(|spelling| actors.namesakes(spelling).is_empty())
                .collect(),
        })
        .collect();
    Some(AutolinkInput { targets, mentions })
}
