//! `serve`'s fast path for the commonest edits: the body of a briefing (or
//! of several) changed and nothing else of its file did; or one
//! briefing's front matter changed in what no other document's page is
//! made from but its names and lists (its actors, topics, title, summary
//! and the positions of what it writes).
//!
//! For a body, the frame, the graph, the autolinker and every other body
//! are as they were, so the new site is the last one with those briefings
//! made again from their new bodies, and the few things a body reaches
//! into patched: the `linked_from` of the briefings it links, and the site
//! links it makes. For front matter, the briefing's names are resolved
//! against the kept frame (`rename`, which declines anything that would
//! change the registries), the actors' and topics' lists of briefings
//! updated, the graph patched where it can change (`graph::patch`), and
//! the kept frame and graph made those of the edited files. Everything
//! else is shared with the last site, so an edit costs what it changes,
//! not what the archive holds.
//!
//! `patch` declines (returns `None`) whenever the edit is anything else,
//! and `serve` then runs the stages as ever; `tests/serve_scale.rs` checks
//! that a patched site renders what a fresh build writes.

use super::bodies::{Lookup, check_body};
use super::frame::Refs;
use super::memo::Memo;
use super::rename::{Renamed, patch_frame, relist, rename};
use super::{
    Actor, ActorId, Briefing, BriefingId, Renderer, SiteLink, Topic, TopicId, assemble_briefing,
};
use crate::diagnostics::Diagnostics;
use crate::load::document;
use crate::markdown::highlight::Highlighter;
use crate::resolve::Site;
use std::path::Path;
use std::sync::Arc;

/// A briefing file as the last run read it, and as it is now.
pub struct Edited {
    pub before: Arc<document::Briefing>,
    pub after: Arc<document::Briefing>,
}

/// The site after an edit to bodies, and the problems the edited bodies
/// had before and have now (what a fresh run would find differs from the
/// last run's by exactly that).
pub struct Patched {
    pub site: Site,
    /// The edited briefings, by id.
    pub ids: Vec<BriefingId>,
    pub before: Diagnostics,
    pub after: Diagnostics,
    /// The edited bodies' links to site pages and files, before and now.
    pub links_before: Vec<SiteLink>,
    pub links_after: Vec<SiteLink>,
    /// The actors and topics whose lists of briefings changed (an edit to
    /// front matter): their pages are the same only if their lists keep
    /// their number of pages, which `render` knows.
    pub relisted: (Vec<ActorId>, Vec<TopicId>),
    pub timings: super::Timings,
}

/// How a briefing file changed, as far as `patch` can follow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Its body only.
    Body,
    /// Its names, title or summary too, or where things are written.
    FrontMatter,
}

impl Change {
    fn of(before: &document::Briefing, after: &document::Briefing) -> Option<Change> {
        let body = |b: &document::Briefing| document::Briefing {
            body: String::new(),
            ..b.clone()
        };
        if body(before) == body(after) {
            Some(Change::Body)
        } else {
            (followed(before) == followed(after)).then_some(Change::FrontMatter)
        }
    }
}

/// The briefing with what a front-matter patch follows blanked: the body,
/// title, summary, actors and topics, and every position but the slug's
/// and the aliases' (the frame's URLs and redirects read those). The
/// names of events stay (the graph's events read them), their positions
/// go.
fn followed(b: &document::Briefing) -> document::Briefing {
    let mut b = document::Briefing {
        body: String::new(),
        title: String::new(),
        summary: None,
        actors: Vec::new(),
        topics: Vec::new(),
        ..b.clone()
    };
    b.origin.body_line = 0;
    for s in &mut b.sources {
        (s.line, s.column) = (0, 0);
    }
    for n in b.events.iter_mut().flat_map(|e| &mut e.actors) {
        (n.line, n.column) = (0, 0);
    }
    for f in b.figures.iter_mut().chain(b.image.as_mut()) {
        f.at = (0, 0);
    }
    b
}

/// The site `site` (the last run's, made with `memo`) becomes after
/// `edited`: edits to bodies only, or one edit to a briefing's front matter
/// (see `Change`); `None` for any other edit, or when the last run kept
/// nothing to patch (git history is read). Keeps the new bodies in `memo`,
/// and for front matter makes its frame and graph those of the edited
/// files.
pub fn patch(
    site: &Site,
    edited: &[Edited],
    highlighter: &Highlighter,
    memo: &mut Memo,
) -> Option<Patched> {
    let changes: Vec<Change> = edited
        .iter()
        .map(|e| Change::of(&e.before, &e.after))
        .collect::<Option<_>>()?;
    let front_matter = changes.contains(&Change::FrontMatter);
    if edited.is_empty() || (front_matter && edited.len() > 1) {
        return None;
    }
    let started = std::time::Instant::now();
    let mut timings = super::Timings::new();
    let (frame, autolinker) = memo.kept_frame()?;
    let (catalogue, documents, ids, renamed) = find(site, edited, front_matter, &frame, memo)?;
    timings.push(("patch: find", started.elapsed()));
    let started = std::time::Instant::now();
    // Whether the graph and the lists of briefings can change (a role is
    // shown on the briefing's page only).
    let first = ids[0];
    let moved = renamed.as_ref().is_some_and(|r| {
        let ids = |refs: &Refs| -> (Vec<ActorId>, Vec<TopicId>, Vec<Vec<ActorId>>) {
            let actors = refs.actors.iter().map(|(a, _)| *a).collect();
            (actors, refs.topics.clone(), refs.events.clone())
        };
        ids(&r.refs) != ids(&frame.refs[first])
    });
    let mut made = remake(
        site,
        edited,
        &ids,
        renamed.as_ref().map(|r| &r.refs),
        highlighter,
        memo,
        (&frame, autolinker.as_deref(), &catalogue),
        documents,
    )?;
    timings.push(("patch: bodies", started.elapsed()));
    drop(frame);
    let started = std::time::Instant::now();
    let mut relisted = Default::default();
    if let Some(renamed) = renamed {
        if moved {
            relisted = relist(site, &mut made, ids[0], memo, &mut timings)?;
        }
        let started = std::time::Instant::now();
        if !patch_frame(memo, &edited[0], ids[0], renamed, &mut made.diagnostics) {
            return None;
        }
        timings.push(("patch: frame", started.elapsed()));
    }
    timings.push(("patch: names", started.elapsed()));
    let started = std::time::Instant::now();
    let site = Site {
        config: site.config.clone(),
        commit: site.commit.clone(),
        briefings: made.briefings,
        actors: made.actors.unwrap_or_else(|| site.actors.clone()),
        topics: made.topics.unwrap_or_else(|| site.topics.clone()),
        pages: site.pages.clone(),
        publishers: site.publishers.clone(),
        timeline: site.timeline.clone(),
        site_links: made.site_links,
        redirects: site.redirects.clone(),
        pictures: site.pictures.clone(),
    };
    timings.push(("patch: site", started.elapsed()));
    let (before, after) = made.diagnostics;
    let (links_before, links_after) = made.links;
    Some(Patched {
        site,
        timings,
        ids: ids.into_iter().map(BriefingId::from_index).collect(),
        before,
        after,
        links_before,
        links_after,
        relisted,
    })
}

/// Where the edited briefings are in the model (`ids`), their names when
/// `front_matter` changed (one edit), and what the last run resolved
/// against, the kept documents taken out of `memo` (to be put back once
/// the edited ones are in place); `None`, with nothing taken, when the
/// edit cannot be patched.
fn find(
    site: &Site,
    edited: &[Edited],
    front_matter: bool,
    frame: &super::frame::Frame,
    memo: &mut Memo,
) -> Option<Found> {
    let base = memo.base()?;
    // The model's briefings are the kept ones, in the same order.
    let mut ids = Vec::with_capacity(edited.len());
    for e in edited {
        let i = base
            .briefings
            .iter()
            .position(|b| Arc::ptr_eq(b, &e.before))?;
        if site.briefings.get(i)?.source_path != e.after.origin.path || ids.contains(&i) {
            return None;
        }
        ids.push(i);
    }
    let renamed = match front_matter {
        true => {
            let (e, i) = (&edited[0], ids[0]);
            if e.before.title != e.after.title && shows_title(site, i) {
                return None;
            }
            Some(rename(
                frame,
                site,
                &base.briefings,
                i,
                &e.before,
                &e.after,
            )?)
        }
        false => None,
    };
    let documents = std::mem::take(&mut base.briefings);
    Some((base.catalogue.clone(), documents, ids, renamed))
}

/// What `find` finds.
type Found = (
    Arc<super::pictures::Catalogue>,
    Vec<Arc<document::Briefing>>,
    Vec<usize>,
    Option<Renamed>,
);

/// Whether any body shows the title of the briefing at `i` (as the text of
/// a `[[briefing:...]]` link): one that links to it, a profile's or a
/// page's. Those bodies would have to be rendered again.
fn shows_title(site: &Site, i: usize) -> bool {
    if !site.briefings[i].linked_from.is_empty() {
        return true;
    }
    let links_to_briefings = |body: &super::Body| {
        body.rendered()
            .wikilinks
            .iter()
            .any(|w| w.target.kind == crate::markdown::WikiKind::Briefing)
    };
    // Whether such a link leads here is not worth finding out: they are rare.
    site.actors
        .iter()
        .filter_map(|a| a.profile.as_ref())
        .map(|p| &p.body)
        .chain(site.topics.iter().map(|t| &t.body))
        .chain(site.pages.iter().map(|p| &p.body))
        .any(links_to_briefings)
}

/// The edited briefings made again, and what they reach into.
pub(super) struct Made {
    pub(super) briefings: Vec<Arc<Briefing>>,
    site_links: Vec<SiteLink>,
    /// Made again when lists of briefings change.
    pub(super) actors: Option<Arc<Vec<Actor>>>,
    pub(super) topics: Option<Arc<Vec<Topic>>>,
    /// The edited files' problems before and after.
    pub(super) diagnostics: (Diagnostics, Diagnostics),
    links: (Vec<SiteLink>, Vec<SiteLink>),
}

/// What the patch resolves against: the kept frame, autolinker and images.
type Against<'a> = (
    &'a super::frame::Frame,
    Option<&'a crate::markdown::autolink::Autolinker>,
    &'a super::pictures::Catalogue,
);

/// Makes the edited briefings again (the one at `ids[0]` with the names
/// `refs`, when its front matter changed), keeping their bodies in
/// `memo` and putting `documents` (the kept briefings, taken out of it)
/// back with the edited ones in place; `None`, with `documents` put back
/// as they were, when an edit cannot be patched after all.
// Long because it mirrors, step by step, the stages `resolve_with` runs for
// one briefing (frame lookups, body render, checks, assembly, links both
// ways) and must put the kept documents back on every path.
#[allow(clippy::too_many_arguments)]
fn remake(
    site: &Site,
    edited: &[Edited],
    ids: &[usize],
    refs: Option<&Refs>,
    highlighter: &Highlighter,
    memo: &mut Memo,
    (frame, autolinker, catalogue): Against<'_>,
    mut documents: Vec<Arc<document::Briefing>>,
) -> Option<Made> {
    for (e, &i) in edited.iter().zip(ids) {
        documents[i] = e.after.clone();
    }
    let config = &site.config;
    let lookup = Lookup {
        pictures: catalogue,
        actors: &frame.actor_index,
        topics: &frame.topic_index,
        briefing_keys: &frame.briefing_keys,
        briefings: &documents,
        base: &config.base_url,
        smart_punctuation: config.smart_punctuation,
    };
    let paths: Vec<&Path> = edited
        .iter()
        .map(|e| e.after.origin.path.as_path())
        .collect();
    let bodies = memo.take_bodies(&paths);
    let renderer = Renderer {
        base: &config.base_url,
        highlighter,
        lookup: &lookup,
        autolinker,
        bodies: &bodies,
        content_paths: &frame.content_paths,
        raw_html: config.raw_html,
        smart_punctuation: config.smart_punctuation,
    };
    let mut briefings = site.briefings.clone();
    let mut site_links = site.site_links.clone();
    let (mut before_all, mut after_all) = (Diagnostics::new(), Diagnostics::new());
    let (mut links_before, mut links_after) = (Vec::new(), Vec::new());
    let mut declined = false;
    for (e, &i) in edited.iter().zip(ids) {
        let (before, after) = (&e.before, &e.after);
        let old = site.briefings[i].clone();
        let source_ids: Vec<Option<String>> = after.sources.iter().map(|s| s.id.clone()).collect();
        let rendered = renderer.render(
            &after.origin,
            &after.body,
            &source_ids,
            None,
            &after.figures,
        );
        let mut checks_before = check_body(
            old.body.rendered(),
            &before.body,
            &before.origin,
            &before.sources,
            &lookup,
        );
        let mut checks_after = check_body(
            &rendered,
            &after.body,
            &after.origin,
            &after.sources,
            &lookup,
        );
        // The pictures the site publishes are those its pages show.
        let shown = |images: &[crate::markdown::figure::ImageUse]| -> Vec<std::path::PathBuf> {
            images
                .iter()
                .filter_map(|i| Some(i.picture.as_deref()?.source.clone()))
                .collect()
        };
        if shown(old.body.images()) != shown(&rendered.images)
            || !splice_links(
                &mut site_links,
                &after.origin.path,
                &checks_before.links,
                &checks_after.links,
            )
        {
            declined = true;
            break;
        }
        let image = match (&after.image, refs) {
            // The same field as before: the same picture, and problems.
            (Some(_), None) => old.image.clone(),
            // Where it is written may have moved.
            (Some(meta), Some(_)) => {
                if let Some(meta) = &before.image {
                    catalogue.field(meta, &before.origin, &mut checks_before.diagnostics);
                }
                catalogue.field(meta, &after.origin, &mut checks_after.diagnostics)
            }
            (None, _) => rendered.lead.clone(),
        };
        let refs = refs.unwrap_or(&frame.refs[i]);
        let mut briefing = Briefing {
            image,
            ..assemble_briefing(config, &lookup, &[], after, refs, rendered)
        };
        briefing.related.clone_from(&old.related);
        // As this patch left it: another edited briefing may have started
        // or stopped linking here.
        briefing.linked_from.clone_from(&briefings[i].linked_from);
        link_back_one(&mut briefings, i, &old.links_to, &briefing.links_to);
        briefings[i] = Arc::new(briefing);
        before_all.extend(checks_before.diagnostics);
        after_all.extend(checks_after.diagnostics);
        links_before.extend(checks_before.links);
        links_after.extend(checks_after.links);
    }
    // What was rendered (or not) is kept either way: a body's kept render
    // is reused only when its input is the same.
    memo.put_back(bodies);
    if declined {
        for (e, &i) in edited.iter().zip(ids) {
            documents[i] = e.before.clone();
        }
    }
    if let Some(base) = memo.base() {
        base.briefings = documents;
    }
    (!declined).then_some(Made {
        briefings,
        site_links,
        actors: None,
        topics: None,
        diagnostics: (before_all, after_all),
        links: (links_before, links_after),
    })
}

/// Puts the links `after` of the briefing at `file` where its links
/// `before` are in the site's list; `false` when that place cannot be
/// told (it had none, and now has some).
fn splice_links(
    links: &mut Vec<SiteLink>,
    file: &Path,
    before: &[SiteLink],
    after: &[SiteLink],
) -> bool {
    let Some(start) = links.iter().position(|l| l.file == file) else {
        return after.is_empty();
    };
    let end = start + links[start..].iter().take_while(|l| l.file == file).count();
    if end - start != before.len() {
        return false;
    }
    links.splice(start..end, after.iter().cloned());
    true
}

/// Updates the `linked_from` of the briefings that briefing `i` links to,
/// now that it links to `after` instead of `before` (as `link_back` makes
/// them: each list ascending).
fn link_back_one(
    briefings: &mut [Arc<Briefing>],
    i: usize,
    before: &[BriefingId],
    after: &[BriefingId],
) {
    let me = BriefingId::from_index(i);
    for t in before
        .iter()
        .filter(|t| !after.contains(t) && t.index() != i)
    {
        Arc::make_mut(&mut briefings[t.index()])
            .linked_from
            .retain(|&b| b != me);
    }
    for t in after
        .iter()
        .filter(|t| !before.contains(t) && t.index() != i)
    {
        let list = &mut Arc::make_mut(&mut briefings[t.index()]).linked_from;
        if let Err(at) = list.binary_search(&me) {
            list.insert(at, me);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::document::{ActorRef, NameRef};
    use crate::resolve::memo::tests::model;
    use crate::resolve::{Options, resolve, resolve_with};

    /// Edits to one briefing's front matter of the example site, each
    /// patched into the site before it, give the model of a fresh run
    /// (every list, related briefing, co-occurrence count and event,
    /// whether pages show it or not): an actor added, then taken out with
    /// a topic changed, then a summary.
    #[test]
    fn patched_front_matter_edits_give_the_model_of_a_fresh_run() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (config, _) = crate::config::load_config(root);
        let (mut content, _) = crate::load::load(root);
        let highlighter = Highlighter::new();
        // An event of no actors of its own belongs to the briefing's
        // actors, whose events then change with them.
        let last = content
            .briefings
            .iter()
            .position(|b| {
                b.origin
                    .path
                    .ends_with("2024-11-19-north-korean-troops-in-kursk.md")
            })
            .expect("the example site has the Kursk briefing");
        Arc::make_mut(&mut content.briefings[last]).events[0]
            .actors
            .clear();
        let mut memo = Memo::default();
        let (mut site, _, _) = resolve_with(
            config.clone(),
            content.clone(),
            Options::default(),
            &highlighter,
            &mut memo,
        );
        let edits: [&dyn Fn(&mut document::Briefing); 3] = [
            &|b| {
                b.actors.push(ActorRef {
                    name: NameRef {
                        name: "Sergei Lavrov".to_string(),
                        line: 40,
                        column: 5,
                    },
                    id: None,
                    role: Some("guest".to_string()),
                })
            },
            &|b| {
                b.actors.pop();
                b.topics = vec![NameRef {
                    name: "sanctions".to_string(),
                    line: 9,
                    column: 9,
                }];
            },
            &|b| b.summary = Some("A new summary.".to_string()),
        ];
        for (step, edit) in edits.iter().enumerate() {
            let before = content.briefings[last].clone();
            let mut after = document::Briefing::clone(&before);
            edit(&mut after);
            let after = Arc::new(after);
            let edited = [Edited {
                before,
                after: after.clone(),
            }];
            let patched = patch(&site, &edited, &highlighter, &mut memo)
                .unwrap_or_else(|| panic!("step {step} was not patched"));
            content.briefings[last] = after;
            let (fresh, _, _) = resolve(
                config.clone(),
                content.clone(),
                Options::default(),
                &highlighter,
            );
            assert!(
                model(&patched.site) == model(&fresh),
                "after step {step}: the models differ"
            );
            site = patched.site;
        }
    }
}
