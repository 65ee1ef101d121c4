//! The names of one briefing whose front matter was edited, resolved
//! against the kept frame, for `serve`'s patch (`patch`): what making the
//! frame again would give that briefing, without making it again.
//!
//! That is exact only while the registries stay as they are: every name
//! the briefing writes, before and after, names one entry that exists
//! (no new name, no ambiguous one, no `id:`, no actor listed twice), and
//! an entry without a profile keeps its name. Such an entry is named, and
//! reported (`unknown-actor`, `unknown-topic`), at its first use in the
//! order the frame reads names (profiles' affiliations, then briefings
//! newest first: actors, topics, events' actors); when the edit moves that
//! first use to or from the edited briefing, the warning moves with it,
//! and the entry's name must be the spelling of its new first use.
//! Anything else returns `None`, and the stages make the frame.
//!
//! Once the briefing is made again with its names (`patch`), what they
//! reach follows here: the actors' and topics' lists of briefings, the
//! graph (`relist`) and the kept frame (`patch_frame`).

use super::frame::{Frame, Refs};
use super::memo::Memo;
use super::model::{ActorId, Briefing, BriefingId, Site, TopicId};
use super::names::{Index, Registered, unprofiled};
use super::patch::{Edited, Made};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::document::{self, NameRef};
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

/// What the edited briefing's names resolve to now, and the frame's
/// problems the edit takes away (`before`) and brings (`after`).
pub(super) struct Renamed {
    pub(super) refs: Refs,
    pub(super) before: Diagnostics,
    pub(super) after: Diagnostics,
}

/// One name written in a briefing, with the entry it names.
enum Use<'a> {
    Actor(ActorId, &'a NameRef),
    Topic(TopicId, &'a NameRef),
}

/// An entry of either registry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Entity {
    Actor(ActorId),
    Topic(TopicId),
}

impl<'a> Use<'a> {
    fn entity(&self) -> Entity {
        match *self {
            Use::Actor(id, _) => Entity::Actor(id),
            Use::Topic(id, _) => Entity::Topic(id),
        }
    }

    fn name(&self) -> &'a NameRef {
        match *self {
            Use::Actor(_, n) | Use::Topic(_, n) => n,
        }
    }
}

/// The first of `uses` that names `entity`.
fn first_use<'a>(uses: &[Use<'a>], entity: Entity) -> Option<&'a NameRef> {
    uses.iter().find(|u| u.entity() == entity).map(Use::name)
}

/// The names of the briefing at `i` of the last `site` (made with `frame`
/// from `documents`, in the model's order), edited from `before` to
/// `after`; `None` when the frame would change otherwise (see the module).
pub(super) fn rename(
    frame: &Frame,
    site: &Site,
    documents: &[Arc<document::Briefing>],
    i: usize,
    before: &document::Briefing,
    after: &document::Briefing,
) -> Option<Renamed> {
    let (old_refs, old_uses) = resolve_names(frame, before)?;
    let kept = frame.refs.get(i)?;
    if old_refs != *kept {
        return None;
    }
    let (refs, new_uses) = resolve_names(frame, after)?;
    let mut renamed = Renamed {
        refs,
        before: Diagnostics::new(),
        after: Diagnostics::new(),
    };
    let (before_path, after_path) = (before.origin.path.as_path(), after.origin.path.as_path());
    let mut seen = HashSet::default();
    for entity in old_uses.iter().chain(&new_uses).map(Use::entity) {
        if !seen.insert(entity) || !unprofiled_entity(frame, entity) {
            continue;
        }
        let (was, now) = (first_use(&old_uses, entity), first_use(&new_uses, entity));
        let other = match first_other_use(site, entity, i) {
            // Named first elsewhere, before and after.
            FirstUse::Before => continue,
            FirstUse::After(j) => Some(j),
            FirstUse::None => None,
        };
        let elsewhere = |j: usize| -> Option<(&NameRef, &std::path::Path)> {
            let d = documents.get(j)?;
            let (_, uses) = resolve_names(frame, d)?;
            Some((first_use(&uses, entity)?, d.origin.path.as_path()))
        };
        let (from, to) = match (was, now, other) {
            (Some(was), Some(now), _) => ((was, before_path), (now, after_path)),
            (None, Some(now), Some(j)) => (elsewhere(j)?, (now, after_path)),
            (Some(was), None, Some(j)) => ((was, before_path), elsewhere(j)?),
            // The entry would appear or go: the registry changes.
            _ => return None,
        };
        if to.0.name != entry_name(frame, entity) {
            return None;
        }
        renamed.before.push(warning(frame, entity, from.0, from.1)?);
        renamed.after.push(warning(frame, entity, to.0, to.1)?);
    }
    Some(renamed)
}

/// The names of `b` as the frame resolves them, and each use in the order
/// the frame reads them; `None` for a name that is not one entry of the
/// registries as they are, an actor named by `id` or listed twice.
fn resolve_names<'a>(frame: &Frame, b: &'a document::Briefing) -> Option<(Refs, Vec<Use<'a>>)> {
    let mut uses = Vec::new();
    let mut seen = HashSet::default();
    let mut actors = Vec::with_capacity(b.actors.len());
    for a in &b.actors {
        let id = lookup(&frame.actor_index, &a.name)?;
        if a.id.is_some() || !seen.insert(id) {
            return None;
        }
        uses.push(Use::Actor(id, &a.name));
        actors.push((id, a.role.clone()));
    }
    let mut seen = HashSet::default();
    let mut topics = Vec::with_capacity(b.topics.len());
    for t in &b.topics {
        let id = lookup(&frame.topic_index, t)?;
        uses.push(Use::Topic(id, t));
        if seen.insert(id) {
            topics.push(id);
        }
    }
    let mut events = Vec::with_capacity(b.events.len());
    for e in &b.events {
        let mut ids = Vec::with_capacity(e.actors.len());
        for n in &e.actors {
            let id = lookup(&frame.actor_index, n)?;
            uses.push(Use::Actor(id, n));
            ids.push(id);
        }
        events.push(ids);
    }
    let refs = Refs {
        actors,
        topics,
        events,
    };
    Some((refs, uses))
}

/// The entry a written name names alone, as `Names::resolve` finds it
/// when the entry exists (a shared or empty spelling names none).
fn lookup<P: Registered>(index: &Index<P>, name: &NameRef) -> Option<P::Id> {
    index.lookup(&name.name)
}

fn unprofiled_entity(frame: &Frame, entity: Entity) -> bool {
    match entity {
        Entity::Actor(id) => frame.actor_index.entries[id.index()].profile.is_none(),
        Entity::Topic(id) => frame.topic_index.entries[id.index()].profile.is_none(),
    }
}

fn entry_name(frame: &Frame, entity: Entity) -> &str {
    match entity {
        Entity::Actor(id) => &frame.actor_index.entries[id.index()].name,
        Entity::Topic(id) => &frame.topic_index.entries[id.index()].name,
    }
}

/// Where an entry is first used other than by the briefing at `i`.
enum FirstUse {
    /// Before it (an affiliation, or a newer briefing).
    Before,
    /// First by the briefing at this index, after `i`.
    After(usize),
    None,
}

/// Where `entity` is first used but by the briefing at `i`, from the
/// last site: its affiliates (affiliations are read first), its
/// briefings, and the briefings whose events name it.
fn first_other_use(site: &Site, entity: Entity, i: usize) -> FirstUse {
    let first = |ids: &mut dyn Iterator<Item = usize>| ids.filter(|&j| j != i).min();
    let found = match entity {
        Entity::Actor(id) => {
            let actor = site.actor(id);
            if !actor.affiliated.is_empty() {
                return FirstUse::Before;
            }
            let mut ids = actor
                .briefings
                .iter()
                .map(|b| b.index())
                .chain(actor.events.iter().map(|e| e.briefing.index()));
            first(&mut ids)
        }
        Entity::Topic(id) => first(&mut site.topic(id).briefings.iter().map(|b| b.index())),
    };
    match found {
        Some(j) if j < i => FirstUse::Before,
        Some(j) => FirstUse::After(j),
        None => FirstUse::None,
    }
}

/// The warning `Names::resolve` gives the first use `name` (in `file`) of
/// an entry without a profile; `None` for a slug Windows reserves, whose
/// other warning is left to the stages.
fn warning(
    frame: &Frame,
    entity: Entity,
    name: &NameRef,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    match entity {
        Entity::Actor(id) => warning_of(&frame.actor_index, id.index(), name, file),
        Entity::Topic(id) => warning_of(&frame.topic_index, id.index(), name, file),
    }
}

/// `warning` for the entry at `at` of `index`.
fn warning_of<P: Registered>(
    index: &Index<P>,
    at: usize,
    name: &NameRef,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    let slug = &index.entries[at].slug;
    if crate::slug::windows_reserved(slug) {
        return None;
    }
    Some(unprofiled::<P>(
        name,
        file,
        P::UNKNOWN,
        slug,
        index.suggest(&name.name),
    ))
}

/// After the briefing at `i` was made again with other names: the lists
/// of briefings of the actors and topics it gained or lost, and the graph
/// (patched in `memo`) where it can have changed. Returns the actors and
/// topics whose lists changed; `None` when the graph cannot be patched.
pub(super) fn relist(
    site: &Site,
    made: &mut Made,
    i: usize,
    memo: &mut Memo,
    timings: &mut super::Timings,
) -> Option<(Vec<ActorId>, Vec<TopicId>)> {
    let started = std::time::Instant::now();
    let (old, new) = (&site.briefings[i], made.briefings[i].clone());
    let me = BriefingId::from_index(i);
    let actor_indices =
        |b: &Briefing| -> Vec<usize> { b.actors.iter().map(|m| m.actor.index()).collect() };
    let topic_indices =
        |b: &Briefing| -> Vec<usize> { b.topics.iter().map(|t| t.index()).collect() };
    let mut actors = Vec::clone(&site.actors);
    let mut topics = Vec::clone(&site.topics);
    let relisted = (
        move_in_lists(
            &mut actors,
            &actor_indices(old),
            &actor_indices(&new),
            me,
            |a| &mut a.briefings,
        )
        .into_iter()
        .map(ActorId::from_index)
        .collect(),
        move_in_lists(
            &mut topics,
            &topic_indices(old),
            &topic_indices(&new),
            me,
            |t| &mut t.briefings,
        )
        .into_iter()
        .map(TopicId::from_index)
        .collect(),
    );
    timings.push(("patch: lists", started.elapsed()));
    let started = std::time::Instant::now();
    let (changed, graph) = memo.patch_graph(&[(i, &new)], &actors, &topics)?;
    timings.push(("patch: graph", started.elapsed()));
    let started = std::time::Instant::now();
    for &b in &changed.briefings {
        if made.briefings[b].related != graph.related(b) {
            Arc::make_mut(&mut made.briefings[b]).related = graph.related(b).to_vec();
        }
    }
    for &a in &changed.actors {
        graph.apply_actor(a, &mut actors[a]);
    }
    for &t in &changed.topics {
        graph.apply_topic(t, &mut topics[t]);
    }
    made.actors = Some(Arc::new(actors));
    made.topics = Some(Arc::new(topics));
    timings.push(("patch: apply", started.elapsed()));
    Some(relisted)
}

/// Takes briefing `me` out of the lists (`list` of each item) of the items
/// in `before` but not `after`, and puts it into those of the items in
/// `after` but not `before` (by index), each list kept ascending; returns
/// those items.
fn move_in_lists<T>(
    items: &mut [T],
    before: &[usize],
    after: &[usize],
    me: BriefingId,
    list: impl Fn(&mut T) -> &mut Vec<BriefingId>,
) -> Vec<usize> {
    let mut moved = Vec::new();
    for &id in before.iter().filter(|id| !after.contains(id)) {
        list(&mut items[id]).retain(|&b| b != me);
        moved.push(id);
    }
    for &id in after.iter().filter(|id| !before.contains(id)) {
        let list = list(&mut items[id]);
        if let Err(at) = list.binary_search(&me) {
            list.insert(at, me);
        }
        moved.push(id);
    }
    moved
}

/// Makes the kept frame that of the edited files: the briefing at `i` with
/// its new names, the frame's problems as `renamed` says (also added to
/// the edit's `diagnostics`, before and after), and the edited document
/// among those it was made from. `false` when the frame is not kept alone.
pub(super) fn patch_frame(
    memo: &mut Memo,
    edit: &Edited,
    i: usize,
    renamed: Renamed,
    diagnostics: &mut (Diagnostics, Diagnostics),
) -> bool {
    let Some((input, frame)) = memo.frame_mut() else {
        return false;
    };
    // Each problem the edit takes away must be the frame's (else the
    // frame was not made as this supposes, and is left to the stages).
    let mut taken = Vec::new();
    for d in renamed.before.iter() {
        if !frame.diagnostics.remove(d) {
            frame.diagnostics.extend(taken);
            return false;
        }
        taken.push(d.clone());
    }
    if !input.replace_briefing(&edit.before, edit.after.clone()) {
        frame.diagnostics.extend(taken);
        return false;
    }
    frame.refs[i] = renamed.refs;
    frame.diagnostics.extend(renamed.after.iter().cloned());
    diagnostics.0.extend(renamed.before);
    diagnostics.1.extend(renamed.after);
    true
}
