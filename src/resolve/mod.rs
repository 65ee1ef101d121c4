//! Stage 2, resolve: names become ids, bodies become HTML with their links
//! and citations resolved, and the cross-references between briefings,
//! actors and topics are computed once into an immutable [`Site`].

mod bodies;
mod frame;
pub mod graph;
mod memo;
pub mod model;
pub mod names;
mod patch;
mod pictures;
mod rename;

use crate::config::Config;
use crate::dates::DateTime;
use crate::diagnostics::Diagnostics;
use crate::load::Content;
use crate::load::document::{self, Origin};
use crate::markdown::{self, BodyEnv, WikiKind, WikiTarget, highlight::Highlighter};
use crate::routes;
use bodies::{BodyChecks, Lookup, check_body};
use frame::Frame;
pub use memo::Memo;
pub use model::*;
pub use patch::{Edited, Patched, patch};
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

#[derive(Default)]
pub struct Options {
    pub drafts: bool,
    /// Revisions from git, when the site reads them; git may still be
    /// running, and is waited for only when the briefings need it.
    pub history: Option<crate::load::git::PendingHistory>,
}

pub fn resolve(
    config: Config,
    content: Content,
    options: Options,
    highlighter: &Highlighter,
) -> (Site, Diagnostics, Timings) {
    resolve_with(config, content, options, highlighter, &mut Memo::one_shot())
}

/// `resolve`, reusing what `memo` kept from the last run where nothing it
/// depends on changed, and keeping this run's work in it for the next.
/// `resolve` passes an empty memo: a build and a rebuild take one path.
// Long because: it is the stage's sequence of named steps, and the values
// they share borrow one another (the renderer borrows the lookup, which
// borrows the frame and the kept briefings), so no helper can make them
// and hand them back; split further, each step would take all of them.
pub fn resolve_with(
    config: Config,
    content: Content,
    options: Options,
    highlighter: &Highlighter,
    memo: &mut Memo,
) -> (Site, Diagnostics, Timings) {
    let mut timings = Timings::new();
    let started = std::time::Instant::now();
    let mut diagnostics = Diagnostics::new();
    let options_history_none = options.history.is_none();
    let Content {
        briefings: all_briefings,
        actors: actor_profiles,
        topics: topic_profiles,
        pages: all_pages,
        media,
    } = content;
    let documents = frame::Documents {
        briefings: &all_briefings,
        actors: &actor_profiles,
        topics: &topic_profiles,
        pages: &all_pages,
    };
    let frame = memo.frame(&config, options.drafts, &documents);
    diagnostics.extend(frame.diagnostics.clone());
    let mut briefings: Vec<Arc<document::Briefing>> = frame
        .briefings
        .iter()
        .map(|&i| i.get(&all_briefings).clone())
        .collect();
    // The drafts, and the other owner of each document.
    drop(all_briefings);
    let markdown = take_markdown(memo.keeps_nothing(), &mut briefings);
    let kept_pages: Vec<Arc<document::Page>> = frame
        .pages
        .iter()
        .map(|&i| i.get(&all_pages).clone())
        .collect();
    let redirects = frame.redirects.clone();
    let base = config.base_url.clone();
    let catalogue = Arc::new(pictures::Catalogue::new(&media, &config.figures, &base));
    let lookup = Lookup {
        pictures: &catalogue,
        actors: &frame.actor_index,
        topics: &frame.topic_index,
        briefing_keys: &frame.briefing_keys,
        briefings: &briefings,
        base: &base,
        smart_punctuation: config.smart_punctuation,
    };
    let autolink = frame.autolink.clone();
    let (autolinker, bodies) = memo.start(autolink.clone());
    let renderer = Renderer {
        base: &base,
        highlighter,
        lookup: &lookup,
        autolinker: autolinker.as_deref(),
        bodies: &bodies,
        content_paths: &frame.content_paths,
        raw_html: config.raw_html,
        smart_punctuation: config.smart_punctuation,
    };

    // Bodies, in parallel.
    timings.push(("resolve: names", started.elapsed()));
    let started = std::time::Instant::now();
    let rendered = render_briefing_bodies(&renderer, &briefings, markdown);
    let mut profiles = Profiles {
        renderer: &renderer,
        site_links: Vec::new(),
    };

    timings.push(("resolve: markdown", started.elapsed()));
    let started = std::time::Instant::now();
    let history = options.history.and_then(|pending| {
        let (history, git_diagnostics) = pending.wait();
        diagnostics.extend(git_diagnostics);
        history
    });
    timings.push(("resolve: git (wait)", started.elapsed()));

    // Assemble briefings.
    let started = std::time::Instant::now();
    let (mut model_briefings, mut site_links) = model_briefings(
        assemble_briefings(
            &config,
            &frame,
            &lookup,
            history.as_deref(),
            &briefings,
            rendered,
        ),
        &mut diagnostics,
    );

    // Actors.
    let mut actors = make_actors(&frame, &actor_profiles, &mut profiles, &mut diagnostics);
    let mut topics = make_topics(&frame, &topic_profiles, &mut profiles, &mut diagnostics);
    list_briefings(&model_briefings, &mut actors, &mut topics);

    timings.push(("resolve: model", started.elapsed()));
    let started = std::time::Instant::now();
    let (publishers, timeline) = memo.graph(&mut model_briefings, &mut actors, &mut topics);
    timings.push(("resolve: graph", started.elapsed()));

    let pages = make_pages(&kept_pages, &mut profiles, &mut diagnostics);
    site_links.extend(profiles.site_links);
    let pictures = catalogue.published(shown_pictures(&model_briefings, &actors, &topics, &pages));

    memo.finish(bodies, autolink, autolinker);
    // Without git history, an edit to bodies only can be patched into
    // this site (see `patch`).
    memo.keep_base((options_history_none).then(|| memo::Base {
        catalogue: catalogue.clone(),
        briefings,
    }));
    let commit = history.as_ref().and_then(|h| h.head.clone());
    let site = Site {
        commit,
        config,
        briefings: model_briefings.into_iter().map(Arc::new).collect(),
        actors: Arc::new(actors),
        topics: Arc::new(topics),
        pages: Arc::new(pages),
        publishers: Arc::new(publishers),
        timeline: Arc::new(timeline),
        site_links,
        redirects: Arc::new(redirects),
        pictures: Arc::new(pictures),
    };
    (site, diagnostics, timings)
}

/// What rendering a body needs besides the body: links, the autolinker,
/// the kept bodies and the content files by path.
struct Renderer<'a> {
    base: &'a crate::config::BaseUrl,
    highlighter: &'a Highlighter,
    lookup: &'a Lookup<'a>,
    autolinker: Option<&'a markdown::autolink::Autolinker>,
    bodies: &'a memo::Bodies,
    content_paths: &'a rustc_hash::FxHashMap<std::ffi::OsString, String>,
    raw_html: markdown::RawHtml,
    smart_punctuation: bool,
}

/// A title, summary or description from front matter, with smart
/// punctuation when the site has it, as its bodies do.
fn typeset(smart_punctuation: bool, text: &str) -> String {
    if smart_punctuation {
        markdown::typography::smart_text(text).into_owned()
    } else {
        text.to_string()
    }
}

impl Renderer<'_> {
    /// `text` from front matter as the site shows it (see [`typeset`]).
    fn typeset(&self, text: &str) -> String {
        typeset(self.smart_punctuation, text)
    }

    /// Renders the body of the document at `origin`, reusing the kept one
    /// where it is still valid.
    fn render(
        &self,
        origin: &Origin,
        body: &str,
        source_ids: &[Option<String>],
        own_url: Option<&str>,
        figures: &[markdown::figure::FigureMeta],
    ) -> Arc<markdown::Rendered> {
        let resolve_link = |t: &WikiTarget| self.lookup.link(t);
        let content_link = |written: &str| self.content_link(origin, written);
        let image = |written: &str| self.lookup.pictures.picture(&origin.path, written);
        let env = BodyEnv {
            base_path: self.base.path(),
            highlighter: self.highlighter,
            resolve: &resolve_link,
            source_ids,
            autolink: self.autolinker,
            own_url,
            content_link: &content_link,
            raw_html: self.raw_html,
            image: &image,
            figures,
            smart_punctuation: self.smart_punctuation,
        };
        self.bodies.render(&origin.path, body, &env)
    }

    /// The site path of the content file a link `written` in the document
    /// at `origin` names, if it names one.
    fn content_link(&self, origin: &Origin, written: &str) -> Option<String> {
        let dir = origin.path.parent().unwrap_or(std::path::Path::new(""));
        self.content_paths
            .get(crate::paths::normalize(&dir.join(written)).as_os_str())
            .cloned()
    }
}

/// Renders the bodies of profiles and pages, one after the other, keeping
/// the links they make.
struct Profiles<'a> {
    renderer: &'a Renderer<'a>,
    site_links: Vec<SiteLink>,
}

impl Profiles<'_> {
    /// Renders and checks one profile or page body.
    fn render(
        &mut self,
        body: &str,
        origin: &Origin,
        own: Option<&str>,
        figures: &[markdown::figure::FigureMeta],
        diagnostics: &mut Diagnostics,
    ) -> Body {
        let r = self.renderer.render(origin, body, &[], own, figures);
        let checks = check_body(&r, body, origin, &[], self.renderer.lookup);
        diagnostics.extend(checks.diagnostics);
        self.site_links.extend(checks.links);
        Body::new(r)
    }
}

impl Profiles<'_> {
    /// The picture of an `image:` field, with its problems.
    fn image(
        &self,
        meta: &markdown::figure::FigureMeta,
        origin: &Origin,
        diagnostics: &mut Diagnostics,
    ) -> Option<Image> {
        self.renderer
            .lookup
            .pictures
            .field(meta, origin, diagnostics)
    }
}

/// The source path of every picture a page shows: in bodies, as lead
/// images, portraits and emblems.
fn shown_pictures<'a>(
    briefings: &'a [Briefing],
    actors: &'a [Actor],
    topics: &'a [Topic],
    pages: &'a [Page],
) -> impl Iterator<Item = &'a std::path::Path> {
    let bodies = briefings
        .iter()
        .map(|b| &b.body)
        .chain(
            actors
                .iter()
                .filter_map(|a| Some(&a.profile.as_ref()?.body)),
        )
        .chain(topics.iter().map(|t| &t.body))
        .chain(pages.iter().map(|p| &p.body));
    let in_bodies = bodies
        .flat_map(|b| b.images())
        .filter_map(|i| i.picture.as_deref());
    let own = briefings
        .iter()
        .map(|b| &b.image)
        .chain(actors.iter().map(|a| &a.image))
        .chain(topics.iter().map(|t| &t.image))
        .chain(pages.iter().map(|p| &p.image))
        .filter_map(|i| i.as_ref().map(|i| &*i.picture));
    in_bodies.chain(own).map(|p| p.source.as_path())
}

/// In a run that keeps nothing (`Memo::one_shot`), each briefing's
/// Markdown, taken out of its document to be dropped as soon as its body
/// is rendered: the archive's text is then never held beside all of its
/// rendered bodies. `None` where the document has another owner (a memo
/// keeping it for the next run), which keeps its Markdown.
fn take_markdown(
    keeps_nothing: bool,
    briefings: &mut [Arc<document::Briefing>],
) -> Vec<Option<String>> {
    briefings
        .iter_mut()
        .map(|b| {
            let document = Arc::get_mut(b).filter(|_| keeps_nothing)?;
            Some(std::mem::take(&mut document.body))
        })
        .collect()
}

/// Renders and checks every briefing's body, in parallel; `markdown` is
/// the body of each that was taken out of its document (see
/// [`take_markdown`]), dropped once rendered.
fn render_briefing_bodies(
    renderer: &Renderer<'_>,
    briefings: &[Arc<document::Briefing>],
    markdown: Vec<Option<String>>,
) -> Vec<(Arc<markdown::Rendered>, BodyChecks)> {
    briefings
        .par_iter()
        .zip(markdown)
        .map(|(b, taken)| {
            let body = taken.as_deref().unwrap_or(&b.body);
            let ids: Vec<Option<String>> = b.sources.iter().map(|s| s.id.clone()).collect();
            let r = renderer.render(&b.origin, body, &ids, None, &b.figures);
            let checks = check_body(&r, body, &b.origin, &b.sources, renderer.lookup);
            (r, checks)
        })
        .collect()
}

/// Makes the model's briefings from the documents, their names and their
/// rendered bodies, in parallel.
fn assemble_briefings(
    config: &Config,
    frame: &Frame,
    lookup: &Lookup<'_>,
    history: Option<&crate::load::git::History>,
    briefings: &[Arc<document::Briefing>],
    rendered: Vec<(Arc<markdown::Rendered>, BodyChecks)>,
) -> Vec<(Briefing, BodyChecks)> {
    briefings
        .par_iter()
        .zip(&frame.refs)
        .zip(rendered)
        .map(|((b, r), (rendered, mut checks))| {
            let revisions: &[crate::load::git::Revision] = history
                .and_then(|h| h.files.get(&b.origin.path))
                .map_or(&[], Vec::as_slice);
            let image = match &b.image {
                Some(meta) => lookup
                    .pictures
                    .field(meta, &b.origin, &mut checks.diagnostics),
                None => rendered.lead.clone(),
            };
            let briefing = Briefing {
                image,
                ..assemble_briefing(config, lookup, revisions, b, r, rendered)
            };
            (briefing, checks)
        })
        .collect()
}

/// The model's briefings, linked both ways (`linked_from`), and the links
/// their bodies make to site pages; what checking the bodies found goes
/// to `diagnostics`.
fn model_briefings(
    assembled: Vec<(Briefing, BodyChecks)>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Briefing>, Vec<SiteLink>) {
    let mut briefings: Vec<Briefing> = Vec::with_capacity(assembled.len());
    let mut links = Vec::new();
    for (briefing, checks) in assembled {
        diagnostics.extend(checks.diagnostics);
        links.extend(checks.links);
        briefings.push(briefing);
    }
    link_back(&mut briefings);
    (briefings, links)
}

/// The model's standalone pages, their bodies rendered and checked.
fn make_pages(
    pages: &[Arc<document::Page>],
    profiles: &mut Profiles,
    diagnostics: &mut Diagnostics,
) -> Vec<Page> {
    pages
        .iter()
        .map(|p| {
            let body = profiles.render(&p.body, &p.origin, None, &p.figures, diagnostics);
            let image = match &p.image {
                Some(meta) => profiles.image(meta, &p.origin, diagnostics),
                None => body.lead(),
            };
            Page {
                body,
                image,
                title: profiles.renderer.typeset(&p.title),
                summary: p.summary.as_deref().map(|s| profiles.renderer.typeset(s)),
                ..Page::from(p.as_ref())
            }
        })
        .collect()
}

/// Makes one briefing of the model; `revisions` are its file's, newest
/// first.
fn assemble_briefing(
    config: &Config,
    lookup: &Lookup<'_>,
    revisions: &[crate::load::git::Revision],
    b: &document::Briefing,
    r: &frame::Refs,
    rendered: Arc<markdown::Rendered>,
) -> Briefing {
    let links_to = dedup(
        rendered
            .wikilinks
            .iter()
            .filter(|w| w.target.kind == WikiKind::Briefing)
            .filter_map(|w| lookup.briefing(&w.target.name)),
    );
    // The text of the front matter is shown with the body's punctuation
    // (its first paragraph has it already).
    let smart = config.smart_punctuation;
    let summary = b
        .summary
        .as_deref()
        .map(|s| typeset(smart, s))
        .or_else(|| rendered.first_paragraph.clone())
        .unwrap_or_default();
    // Front matter wins; else the last commit, if it came after publication.
    let updated = b.updated.or_else(|| {
        let last = DateTime::from_timestamp(revisions.first()?.timestamp);
        (last.date > b.date.date).then_some(last)
    });
    Briefing {
        path: briefing_path(b),
        source_path: b.origin.path.clone(),
        slug: b.slug.clone(),
        title: typeset(smart, &b.title),
        date: b.date,
        updated,
        first_committed: revisions
            .last()
            .map(|r| DateTime::from_timestamp(r.timestamp)),
        history: revisions.iter().take(config.git.history).cloned().collect(),
        revision_count: revisions.len(),
        summary,
        summary_written: b.summary.is_some(),
        actors: r
            .actors
            .iter()
            .map(|(id, role)| Mention {
                actor: *id,
                role: role.as_deref().map(|r| typeset(smart, r)),
            })
            .collect(),
        topics: r.topics.clone(),
        sources: b
            .sources
            .iter()
            .map(|s| document::Source {
                title: s.title.as_deref().map(|t| typeset(smart, t)),
                note: s.note.as_deref().map(|n| typeset(smart, n)),
                ..s.clone()
            })
            .collect(),
        citation_counts: rendered.citation_counts.clone(),
        events: b
            .events
            .iter()
            .zip(&r.events)
            .map(|(e, ids)| Event {
                date: e.date,
                what: typeset(smart, &e.what),
                actors: dedup(ids.iter().copied()),
            })
            .collect(),
        authors: b.authors.clone(),
        corrections: b
            .corrections
            .iter()
            .map(|c| document::Correction {
                note: typeset(smart, &c.note),
                ..c.clone()
            })
            .collect(),
        aliases: b.aliases.iter().map(|a| a.name.clone()).collect(),
        draft: b.draft,
        image: None,
        extra: b.extra.clone(),
        body: Body::new(rendered),
        links_to,
        linked_from: Vec::new(),
        related: Vec::new(),
    }
}

/// Fills each briefing's `linked_from` from the others' `links_to`.
fn link_back(briefings: &mut [Briefing]) {
    for i in 0..briefings.len() {
        for target in briefings[i].links_to.clone() {
            if target.0 as usize != i {
                briefings[target.0 as usize]
                    .linked_from
                    .push(BriefingId(i as u32));
            }
        }
    }
}

/// Makes the model's actors from the registry, rendering their profiles,
/// with their affiliations both ways.
fn make_actors(
    frame: &Frame,
    actor_profiles: &[Arc<document::ActorProfile>],
    profiles: &mut Profiles<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Actor> {
    let base = profiles.renderer.base;
    let mut actors: Vec<Actor> = frame
        .actor_index
        .entries
        .iter()
        .map(|entry| {
            let profile = entry.profile.map(|i| i.get(actor_profiles));
            Actor {
                slug: entry.slug.clone(),
                path: routes::actor(&entry.slug),
                name: entry.name.clone(),
                label: actor_label(frame, entry, profile.map(|p| p.as_ref())),
                aliases: profile
                    .map(|p| p.aliases.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default(),
                kind: profile.map(|p| p.kind).unwrap_or_default(),
                role: profile
                    .and_then(|p| p.role.as_deref())
                    .map(|r| profiles.renderer.typeset(r)),
                profile: profile.map(|p| ActorProfile {
                    source_path: p.origin.path.clone(),
                    roles: p
                        .roles
                        .iter()
                        .map(|r| document::RoleSpan {
                            title: profiles.renderer.typeset(&r.title),
                            ..r.clone()
                        })
                        .collect(),
                    ids: p.ids.clone(),
                    links: p.links.clone(),
                    extra: p.extra.clone(),
                    body: profiles.render(
                        &p.body,
                        &p.origin,
                        Some(&base.link(&routes::actor(&entry.slug))),
                        &[],
                        diagnostics,
                    ),
                }),
                image: profile
                    .and_then(|p| Some((p.image.as_ref()?, &p.origin)))
                    .and_then(|(meta, origin)| profiles.image(meta, origin, diagnostics)),
                affiliations: entry
                    .profile
                    .map(|i| dedup(frame.affiliations(i).iter().copied()))
                    .unwrap_or_default(),
                affiliated: Vec::new(),
                briefings: Vec::new(),
                peers: Vec::new(),
                topics: Vec::new(),
                events: Vec::new(),
            }
        })
        .collect();
    for i in 0..actors.len() {
        for a in actors[i].affiliations.clone() {
            if a.0 as usize != i {
                actors[a.0 as usize].affiliated.push(ActorId(i as u32));
            }
        }
    }
    actors
}

/// How pages show an actor: its name, and for one of namesakes (another
/// profile shares its name) what tells it apart: its `disambiguation`, else
/// its kind, else its role, else its slug.
fn actor_label(
    frame: &Frame,
    entry: &names::Entry<document::ActorProfile>,
    profile: Option<&document::ActorProfile>,
) -> String {
    if frame.actor_index.namesakes(&entry.name).is_empty() {
        return entry.name.clone();
    }
    let qualifier = profile
        .and_then(|p| p.disambiguation.clone())
        .or_else(|| {
            profile
                .filter(|p| p.kind != document::ActorKind::Other)
                .map(|p| p.kind.as_str().to_string())
        })
        .or_else(|| profile.and_then(|p| p.role.clone()))
        .unwrap_or_else(|| entry.slug.clone());
    format!("{} ({qualifier})", entry.name)
}

/// Makes the model's topics from the registry, rendering their profiles.
fn make_topics(
    frame: &Frame,
    topic_profiles: &[Arc<document::TopicProfile>],
    profiles: &mut Profiles<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Topic> {
    frame
        .topic_index
        .entries
        .iter()
        .map(|entry| {
            let profile = entry.profile.map(|i| i.get(topic_profiles));
            Topic {
                slug: entry.slug.clone(),
                path: routes::topic(&entry.slug),
                name: entry.name.clone(),
                aliases: profile
                    .map(|p| p.aliases.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default(),
                description: profile
                    .and_then(|p| p.description.as_deref())
                    .map(|d| profiles.renderer.typeset(d)),
                has_profile: profile.is_some(),
                image: profile
                    .and_then(|p| Some((p.image.as_ref()?, &p.origin)))
                    .and_then(|(meta, origin)| profiles.image(meta, origin, diagnostics)),
                extra: profile.map(|p| p.extra.clone()).unwrap_or_default(),
                body: profile
                    .map(|p| profiles.render(&p.body, &p.origin, None, &[], diagnostics))
                    .unwrap_or_default(),
                briefings: Vec::new(),
                actors: Vec::new(),
                related: Vec::new(),
            }
        })
        .collect()
}

/// Lists each briefing under the actors and topics it names.
fn list_briefings(briefings: &[Briefing], actors: &mut [Actor], topics: &mut [Topic]) {
    for (i, b) in briefings.iter().enumerate() {
        for m in &b.actors {
            actors[m.actor.0 as usize]
                .briefings
                .push(BriefingId(i as u32));
        }
        for t in &b.topics {
            topics[t.0 as usize].briefings.push(BriefingId(i as u32));
        }
    }
}

/// Time spent in each step, for `ATTACHE_TIMINGS` and benchmarks.
pub type Timings = Vec<(&'static str, std::time::Duration)>;

/// The site path an old URL is served at: `/2023/11/x/` -> `2023/11/x/`,
/// `old.html` stays a file, anything else becomes a folder.
///
/// An alias is a root-relative path of letters and digits (any script) and
/// `- _ . ~`, in segments separated by single `/`; percent-encoded bytes
/// (`caf%C3%A9`) are decoded first and must spell the same. Anything else
/// (white space, control characters, `\`, `..`, `//`, `?`, `#`, `*`, `:`,
/// a scheme) is refused: such a path could climb out of the site or write
/// rules of its own into `_redirects`. Paths inside a section attache
/// generates are refused too.
fn redirect_path(alias: &str) -> Result<String, String> {
    let shown = alias.escape_debug();
    let decoded = percent_encoding::percent_decode_str(alias)
        .decode_utf8()
        .map_err(|_| format!("alias '{shown}' has percent-encoded bytes that are not UTF-8"))?;
    if alias.contains('%')
        && alias
            .split('%')
            .skip(1)
            .any(|rest| rest.len() < 2 || !rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit))
    {
        return Err(format!(
            "alias '{shown}' has a '%' that is not followed by two hex digits"
        ));
    }
    if let Some(c) = decoded
        .chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/')))
    {
        return Err(format!(
            "alias '{shown}' contains {}, which an old URL's path may not",
            describe_char(c)
        ));
    }
    let path = decoded.strip_prefix('/').unwrap_or(&decoded);
    let inner = path.strip_suffix('/').unwrap_or(path);
    if inner.is_empty()
        || inner
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(format!(
            "alias '{shown}' is not a path inside the site (empty, `.` or `..` segment)"
        ));
    }
    let first = path.split('/').next().unwrap_or("");
    if !routes::alias_may_use(first) {
        return Err(if first.contains('.') {
            format!("alias '{shown}' takes /{first}, which attache generates")
        } else {
            format!("alias '{shown}' is inside /{first}/, which attache generates")
        });
    }
    if path.ends_with('/') || path.ends_with(".html") {
        Ok(path.to_string())
    } else {
        Ok(format!("{path}/"))
    }
}

/// How a refused character is named in a message: `':'`, or `U+000A` for
/// one that does not print.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

pub fn briefing_path(b: &document::Briefing) -> String {
    routes::briefing(b.date.date.year(), &b.slug)
}

/// Keeps the first of each id, in order.
fn dedup<T: Copy + Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::default();
    items.filter(|x| seen.insert(*x)).collect()
}
