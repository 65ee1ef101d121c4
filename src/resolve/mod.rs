//! Stage 2, resolve: names become ids, bodies become HTML with their links
//! and citations resolved, and the cross-references between briefings,
//! actors and topics are computed once into an immutable [`Site`].

mod bodies;
pub mod graph;
mod memo;
pub mod model;
pub mod names;

use crate::config::Config;
use crate::dates::DateTime;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Content;
use crate::load::document::{self, NameRef, Origin};
use crate::markdown::{self, BodyEnv, WikiKind, WikiTarget, highlight::Highlighter};
use bodies::{BodyChecks, Lookup, autolink_input, check_body};
pub use memo::Memo;
pub use model::*;
use names::Names;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// Path segments that belong to generated pages; a standalone page may not
/// take one of them.
pub const RESERVED_SLUGS: &[&str] = &[
    "actors",
    "archive",
    "briefings",
    "corrections",
    "page",
    "search",
    "sources",
    "static",
    "timeline",
    "topics",
    "feed.xml",
    "feed.json",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "syntax.css",
];

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
    resolve_with(config, content, options, highlighter, None)
}

/// `resolve`, reusing what `memo` kept from the last run where nothing it
/// depends on changed, and keeping this run's work in it for the next.
pub fn resolve_with(
    config: Config,
    content: Content,
    options: Options,
    highlighter: &Highlighter,
    mut memo: Option<&mut Memo>,
) -> (Site, Diagnostics, Timings) {
    let mut timings = Timings::new();
    let started = std::time::Instant::now();
    let mut diagnostics = Diagnostics::new();
    let Content {
        briefings,
        actors: actor_profiles,
        topics: topic_profiles,
        pages,
    } = content;
    let mut briefings: Vec<Arc<document::Briefing>> = briefings
        .into_iter()
        .filter(|b| options.drafts || !b.draft)
        .collect();
    let pages: Vec<Arc<document::Page>> = pages
        .into_iter()
        .filter(|p| options.drafts || !p.draft)
        .collect();
    // Newest first; ties by slug, then by file, so the order never depends
    // on the file system.
    briefings.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.origin.path.cmp(&b.origin.path))
    });

    // Actors: profiles claim their names first, then every name used.
    let mut actor_names = Names::new("actor", "content/actors/");
    for (i, p) in actor_profiles.iter().enumerate() {
        let name = NameRef {
            name: p.name.clone(),
            line: 1,
            column: 1,
        };
        actor_names.add_profile(
            i,
            &p.slug,
            &name,
            &p.aliases,
            &p.origin.path,
            &mut diagnostics,
        );
    }
    let mut topic_names = Names::new("topic", "content/topics/");
    for (i, t) in topic_profiles.iter().enumerate() {
        let name = NameRef {
            name: t.name.clone(),
            line: 1,
            column: 1,
        };
        topic_names.add_profile(
            i,
            &t.slug,
            &name,
            &t.aliases,
            &t.origin.path,
            &mut diagnostics,
        );
    }
    let (kept_actor_suggestions, kept_topic_suggestions) = memo
        .as_deref_mut()
        .map(Memo::take_suggestions)
        .unwrap_or_default();
    actor_names.reuse_suggestions(kept_actor_suggestions);
    topic_names.reuse_suggestions(kept_topic_suggestions);
    let affiliations: Vec<Vec<usize>> = actor_profiles
        .iter()
        .map(|p| {
            p.affiliations
                .iter()
                .filter_map(|n| {
                    actor_names.resolve(n, &p.origin.path, "unknown-actor", &mut diagnostics)
                })
                .collect()
        })
        .collect();
    struct Refs {
        actors: Vec<(usize, Option<String>)>,
        topics: Vec<usize>,
        events: Vec<Vec<usize>>,
    }
    let refs: Vec<Refs> = briefings
        .iter()
        .map(|b| {
            let file = &b.origin.path;
            let mut seen = HashSet::default();
            let actors = b
                .actors
                .iter()
                .filter_map(|a| {
                    let id =
                        actor_names.resolve(&a.name, file, "unknown-actor", &mut diagnostics)?;
                    if !seen.insert(id) {
                        diagnostics.push(
                            Diagnostic::warning(
                                "duplicate-actor",
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
                .filter_map(|t| topic_names.resolve(t, file, "unknown-topic", &mut diagnostics))
                .filter(|id| seen.insert(*id))
                .collect();
            let events = b
                .events
                .iter()
                .map(|e| {
                    e.actors
                        .iter()
                        .filter_map(|n| {
                            actor_names.resolve(n, file, "unknown-actor", &mut diagnostics)
                        })
                        .collect()
                })
                .collect();
            Refs {
                actors,
                topics,
                events,
            }
        })
        .collect();
    if let Some(memo) = memo.as_deref_mut() {
        memo.keep_suggestions(
            actor_names.take_suggestions(),
            topic_names.take_suggestions(),
        );
    }
    let (actor_index, actor_remap) = actor_names.finish();
    let (topic_index, topic_remap) = topic_names.finish();

    // URLs: one document per path.
    let mut urls: HashMap<String, std::path::PathBuf> = HashMap::default();
    let mut claim_url =
        |path: &str, origin: &Origin, line: usize, diagnostics: &mut Diagnostics| -> bool {
            if let Some(other) = urls.get(path) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-url",
                        &origin.path,
                        format!("/{path} is also the URL of {}", other.display()),
                    )
                    .at(line, 1)
                    .with_hint("give one of the two a different `slug`"),
                );
                false
            } else {
                urls.insert(path.to_string(), origin.path.clone());
                true
            }
        };
    let mut keep = vec![true; briefings.len()];
    for (i, b) in briefings.iter().enumerate() {
        keep[i] = claim_url(&briefing_path(b), &b.origin, b.slug_line, &mut diagnostics);
    }
    let mut kept_pages = Vec::new();
    for p in pages {
        if RESERVED_SLUGS.contains(&p.slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "reserved-slug",
                    &p.origin.path,
                    format!("the page slug '{}' is used by attache's own pages", p.slug),
                )
                .at(p.slug_line, 1)
                .with_hint("set another `slug:` in the front matter"),
            );
            continue;
        }
        if claim_url(
            &format!("{}/", p.slug),
            &p.origin,
            p.slug_line,
            &mut diagnostics,
        ) {
            kept_pages.push(p);
        }
    }
    // Old URLs (`aliases`) claim their paths like pages do.
    let mut redirects = Vec::new();
    let alias_sources = briefings
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|(b, _)| (&b.aliases, &b.origin, briefing_path(b)))
        .chain(
            kept_pages
                .iter()
                .map(|p| (&p.aliases, &p.origin, format!("{}/", p.slug))),
        );
    for (aliases, origin, to) in alias_sources {
        for alias in aliases {
            match redirect_path(&alias.name) {
                Ok(from) => {
                    if claim_url(&from, origin, alias.line, &mut diagnostics) {
                        redirects.push(Redirect {
                            from,
                            to: to.clone(),
                        });
                    }
                }
                Err(message) => diagnostics.push(
                    Diagnostic::error("bad-alias", &origin.path, message)
                        .at(alias.line, alias.column)
                        .with_hint(
                            "write the old URL's path, e.g. `aliases: [/2023/11/old-title/]`",
                        ),
                ),
            }
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    let (briefings, refs): (Vec<_>, Vec<_>) = briefings
        .into_iter()
        .zip(refs)
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(pair, _)| pair)
        .unzip();

    // Briefing slugs for [[briefing:...]]: `slug` or `YYYY/slug`.
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
    let base = config.base_url.clone();
    let lookup = Lookup {
        actors: &actor_index,
        topics: &topic_index,
        briefing_keys: &briefing_keys,
        briefings: &briefings,
        base: &base,
    };
    let resolve_link = |t: &WikiTarget| lookup.link(t);
    let autolink = autolink_input(&config, &actor_index, &actor_profiles);
    let (autolinker, bodies) = Memo::start(memo.as_deref_mut(), autolink.clone());
    // Content files by path, for links such as `../2023/2023-11-15-visit.md`.
    // (Keyed by the path as a plain string: it hashes much faster.)
    let mut content_paths: HashMap<&std::ffi::OsStr, String> = HashMap::default();
    for b in &briefings {
        content_paths.insert(b.origin.path.as_os_str(), briefing_path(b));
    }
    for p in &kept_pages {
        content_paths.insert(p.origin.path.as_os_str(), format!("{}/", p.slug));
    }
    for p in &actor_profiles {
        content_paths.insert(p.origin.path.as_os_str(), format!("actors/{}/", p.slug));
    }
    for t in &topic_profiles {
        content_paths.insert(t.origin.path.as_os_str(), format!("topics/{}/", t.slug));
    }
    let content_link_from = |origin: &Origin, written: &str| -> Option<String> {
        let dir = origin.path.parent().unwrap_or(std::path::Path::new(""));
        content_paths
            .get(crate::paths::normalize(&dir.join(written)).as_os_str())
            .cloned()
    };

    // Bodies, in parallel.
    timings.push(("resolve: names", started.elapsed()));
    let started = std::time::Instant::now();
    let rendered: Vec<(Arc<markdown::Rendered>, BodyChecks)> = briefings
        .par_iter()
        .map(|b| {
            let ids: Vec<Option<String>> = b.sources.iter().map(|s| s.id.clone()).collect();
            let content_link = |written: &str| content_link_from(&b.origin, written);
            let env = BodyEnv {
                base_path: base.path(),
                highlighter,
                resolve: &resolve_link,
                source_ids: &ids,
                autolink: autolinker.as_deref(),
                own_url: None,
                content_link: &content_link,
            };
            let r = bodies.render(&b.origin.path, &b.body, &env);
            let checks = check_body(&r, &b.body, &b.origin, &b.sources);
            (r, checks)
        })
        .collect();
    let mut site_links: Vec<SiteLink> = Vec::new();
    let mut render_profile =
        |body: &str, origin: &Origin, own: Option<&str>, diagnostics: &mut Diagnostics| -> Body {
            let content_link = |written: &str| content_link_from(origin, written);
            let env = BodyEnv {
                base_path: base.path(),
                highlighter,
                resolve: &resolve_link,
                source_ids: &[],
                autolink: autolinker.as_deref(),
                own_url: own,
                content_link: &content_link,
            };
            let r = bodies.render(&origin.path, body, &env);
            let checks = check_body(&r, body, origin, &[]);
            diagnostics.extend(checks.diagnostics);
            site_links.extend(checks.links);
            Body::new(r)
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
    let assembled: Vec<(Briefing, BodyChecks)> = briefings
        .par_iter()
        .zip(&refs)
        .zip(rendered)
        .map(|((b, r), (rendered, checks))| {
            let links_to = dedup(
                rendered
                    .wikilinks
                    .iter()
                    .filter(|w| w.target.kind == WikiKind::Briefing)
                    .filter_map(|w| lookup.briefing(&w.target.name))
                    .map(BriefingId),
            );
            let summary = b
                .summary
                .clone()
                .or_else(|| rendered.first_paragraph.clone())
                .unwrap_or_default();
            let revisions: &[crate::load::git::Revision] = history
                .as_ref()
                .and_then(|h| h.files.get(&b.origin.path))
                .map_or(&[], Vec::as_slice);
            // Front matter wins; else the last commit, if it came after publication.
            let updated = b.updated.or_else(|| {
                let last = DateTime::from_timestamp(revisions.first()?.timestamp);
                (last.date > b.date.date).then_some(last)
            });
            let briefing = Briefing {
                path: briefing_path(b),
                source_path: b.origin.path.clone(),
                slug: b.slug.clone(),
                title: b.title.clone(),
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
                        actor: ActorId(actor_remap[*id]),
                        role: role.clone(),
                    })
                    .collect(),
                topics: r
                    .topics
                    .iter()
                    .map(|id| TopicId(topic_remap[*id]))
                    .collect(),
                sources: b.sources.clone(),
                citation_counts: rendered.citation_counts.clone(),
                events: b
                    .events
                    .iter()
                    .zip(&r.events)
                    .map(|(e, ids)| Event {
                        date: e.date,
                        what: e.what.clone(),
                        actors: dedup(ids.iter().map(|id| ActorId(actor_remap[*id]))),
                    })
                    .collect(),
                authors: b.authors.clone(),
                corrections: b.corrections.clone(),
                aliases: b.aliases.iter().map(|a| a.name.clone()).collect(),
                draft: b.draft,
                extra: b.extra.clone(),
                body: Body::new(rendered),
                links_to,
                linked_from: Vec::new(),
                related: Vec::new(),
            };
            (briefing, checks)
        })
        .collect();
    let mut model_briefings: Vec<Briefing> = Vec::with_capacity(assembled.len());
    let mut briefing_links = Vec::new();
    for (briefing, checks) in assembled {
        diagnostics.extend(checks.diagnostics);
        briefing_links.extend(checks.links);
        model_briefings.push(briefing);
    }
    for i in 0..model_briefings.len() {
        for target in model_briefings[i].links_to.clone() {
            if target.0 as usize != i {
                model_briefings[target.0 as usize]
                    .linked_from
                    .push(BriefingId(i as u32));
            }
        }
    }

    // Actors.
    let mut actors: Vec<Actor> = actor_index
        .entries
        .iter()
        .map(|entry| {
            let profile = entry.profile.map(|i| &actor_profiles[i]);
            Actor {
                slug: entry.slug.clone(),
                path: format!("actors/{}/", entry.slug),
                name: entry.name.clone(),
                aliases: profile
                    .map(|p| p.aliases.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default(),
                kind: profile.map(|p| p.kind).unwrap_or_default(),
                role: profile.and_then(|p| p.role.clone()),
                profile: profile.map(|p| ActorProfile {
                    source_path: p.origin.path.clone(),
                    roles: p.roles.clone(),
                    ids: p.ids.clone(),
                    links: p.links.clone(),
                    extra: p.extra.clone(),
                    body: render_profile(
                        &p.body,
                        &p.origin,
                        Some(&base.link(&format!("actors/{}/", entry.slug))),
                        &mut diagnostics,
                    ),
                }),
                affiliations: entry
                    .profile
                    .map(|i| dedup(affiliations[i].iter().map(|a| ActorId(actor_remap[*a]))))
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
    let mut topics: Vec<Topic> = topic_index
        .entries
        .iter()
        .map(|entry| {
            let profile = entry.profile.map(|i| &topic_profiles[i]);
            Topic {
                slug: entry.slug.clone(),
                path: format!("topics/{}/", entry.slug),
                name: entry.name.clone(),
                aliases: profile
                    .map(|p| p.aliases.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default(),
                description: profile.and_then(|p| p.description.clone()),
                has_profile: profile.is_some(),
                extra: profile.map(|p| p.extra.clone()).unwrap_or_default(),
                body: profile
                    .map(|p| render_profile(&p.body, &p.origin, None, &mut diagnostics))
                    .unwrap_or_default(),
                briefings: Vec::new(),
                actors: Vec::new(),
                related: Vec::new(),
            }
        })
        .collect();
    for (i, b) in model_briefings.iter().enumerate() {
        for m in &b.actors {
            actors[m.actor.0 as usize]
                .briefings
                .push(BriefingId(i as u32));
        }
        for t in &b.topics {
            topics[t.0 as usize].briefings.push(BriefingId(i as u32));
        }
    }

    timings.push(("resolve: model", started.elapsed()));
    let started = std::time::Instant::now();
    let (publishers, timeline) = match memo.as_deref_mut() {
        None => graph::compute(&mut model_briefings, &mut actors, &mut topics),
        Some(memo) => memo.graph(&mut model_briefings, &mut actors, &mut topics),
    };
    timings.push(("resolve: graph", started.elapsed()));

    let pages = kept_pages
        .iter()
        .map(|p| {
            let body = render_profile(&p.body, &p.origin, None, &mut diagnostics);
            Page {
                body,
                ..Page::from(p.as_ref())
            }
        })
        .collect();

    if let Some(memo) = memo {
        memo.finish(bodies.into_kept(), autolink, autolinker);
    }
    let commit = history.as_ref().and_then(|h| h.head.clone());
    let site = Site {
        commit,
        config,
        briefings: model_briefings,
        actors,
        topics,
        pages,
        publishers,
        timeline,
        site_links: {
            briefing_links.extend(site_links);
            briefing_links
        },
        redirects,
    };
    (site, diagnostics, timings)
}

/// Time spent in each step, for `ATTACHE_TIMINGS` and benchmarks.
pub type Timings = Vec<(&'static str, std::time::Duration)>;

/// The site path an old URL is served at: `/2023/11/x/` -> `2023/11/x/`,
/// `old.html` stays a file, anything else becomes a folder. Paths that
/// climb out of the site or take a generated section are refused.
fn redirect_path(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    let path = trimmed
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    if trimmed.contains("://") || !crate::paths::is_plain_relative(path.trim_end_matches('/')) {
        return Err(format!("alias '{alias}' is not a path inside the site"));
    }
    let first = path.split('/').next().unwrap_or("");
    if RESERVED_SLUGS.contains(&first) && first != "briefings" {
        return Err(format!(
            "alias '{alias}' is inside /{first}/, which attache generates"
        ));
    }
    if path.ends_with('/') || path.ends_with(".html") {
        Ok(path.to_string())
    } else {
        Ok(format!("{path}/"))
    }
}

pub fn briefing_path(b: &document::Briefing) -> String {
    format!("briefings/{}/{}/", b.date.date.year(), b.slug)
}

/// Keeps the first of each id, in order.
fn dedup<T: Copy + Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::default();
    items.filter(|x| seen.insert(*x)).collect()
}
