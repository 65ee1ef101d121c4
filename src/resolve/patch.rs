//! `serve`'s fast path for the commonest edit: the body of a briefing (or
//! of several) changed and nothing else of its file did. The frame, the
//! graph, the autolinker and every other body are then as they were, so
//! the new site is the last one with those briefings made again from
//! their new bodies, and the few things a body reaches into patched: the
//! `linked_from` of the briefings it links, and the site links it makes.
//! Everything else is shared with the last site, so an edit costs what it
//! changes, not what the archive holds.
//!
//! `patch` declines (returns `None`) whenever the edit is anything else,
//! and `serve` then runs the stages as ever; `tests/serve_scale.rs` checks
//! that a patched site renders what a fresh build writes.

use super::bodies::{Lookup, check_body};
use super::memo::Memo;
use super::{Briefing, BriefingId, Renderer, SiteLink, assemble_briefing};
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
    pub timings: super::Timings,
}

/// Whether two versions of a briefing file differ in their body only.
fn body_only(before: &document::Briefing, after: &document::Briefing) -> bool {
    let blank = |b: &document::Briefing| document::Briefing {
        body: String::new(),
        ..b.clone()
    };
    blank(before) == blank(after)
}

/// The site `site` (the last run's, made with `memo`) becomes after
/// `edited`, when each edit changed a briefing's body and nothing else;
/// `None` for any other edit, or when the last run kept nothing to patch
/// (git history is read). Keeps the new bodies in `memo`.
// Long because it mirrors, step by step, the stages `resolve_with` runs for
// one briefing (frame lookups, body render, checks, assembly, links both
// ways); splitting it is left for when the front-matter patch joins it.
pub fn patch(
    site: &Site,
    edited: &[Edited],
    highlighter: &Highlighter,
    memo: &mut Memo,
) -> Option<Patched> {
    if edited.is_empty() || !edited.iter().all(|e| body_only(&e.before, &e.after)) {
        return None;
    }
    let started = std::time::Instant::now();
    let mut timings = super::Timings::new();
    let (frame, autolinker) = memo.kept_frame()?;
    let (catalogue, mut documents, ids) = {
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
        // Taken, and put back once the edited ones are in place.
        let documents = std::mem::take(&mut base.briefings);
        (base.catalogue.clone(), documents, ids)
    };
    for (e, &i) in edited.iter().zip(&ids) {
        documents[i] = e.after.clone();
    }
    let config = &site.config;
    let lookup = Lookup {
        pictures: &catalogue,
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
        autolinker: autolinker.as_deref(),
        bodies: &bodies,
        content_paths: &frame.content_paths,
        raw_html: config.raw_html,
        smart_punctuation: config.smart_punctuation,
    };
    let mut briefings = site.briefings.clone();
    let mut site_links = site.site_links.clone();
    timings.push(("patch: find", started.elapsed()));
    let started = std::time::Instant::now();
    let (mut before_all, mut after_all) = (Diagnostics::new(), Diagnostics::new());
    let (mut links_before, mut links_after) = (Vec::new(), Vec::new());
    let mut declined = false;
    for (e, &i) in edited.iter().zip(&ids) {
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
        let checks_before = check_body(
            old.body.rendered(),
            &before.body,
            &before.origin,
            &before.sources,
            &lookup,
        );
        let checks_after = check_body(
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
        let image = match &after.image {
            // The same field as before: the same picture.
            Some(_) => old.image.clone(),
            None => rendered.lead.clone(),
        };
        let mut briefing = Briefing {
            image,
            ..assemble_briefing(config, &lookup, &[], after, &frame.refs[i], rendered)
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
        for (e, &i) in edited.iter().zip(&ids) {
            documents[i] = e.before.clone();
        }
    }
    if let Some(base) = memo.base() {
        base.briefings = documents;
    }
    if declined {
        return None;
    }
    timings.push(("patch: bodies", started.elapsed()));
    let started = std::time::Instant::now();
    let site = Site {
        config: site.config.clone(),
        commit: site.commit.clone(),
        briefings,
        actors: site.actors.clone(),
        topics: site.topics.clone(),
        pages: site.pages.clone(),
        publishers: site.publishers.clone(),
        timeline: site.timeline.clone(),
        site_links,
        redirects: site.redirects.clone(),
        pictures: site.pictures.clone(),
    };
    timings.push(("patch: site", started.elapsed()));
    Some(Patched {
        site,
        timings,
        ids: ids.into_iter().map(BriefingId::from_index).collect(),
        before: before_all,
        after: after_all,
        links_before,
        links_after,
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
