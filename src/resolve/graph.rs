//! The briefing graph: who appears with whom, which topics go together, which
//! briefings are related, what happened when, and who is cited. Computed
//! once, as plain indexed data, after names are resolved.
//!
//! Every step costs in proportion to the number of mentions (an actor or
//! topic named by a briefing), never actors x briefings: co-occurrence walks
//! each briefing's own short lists, and related briefings are looked for
//! only among each entity's briefings nearest in time.

use super::model::*;
use crate::slug::slugify;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// How many co-occurring actors and topics an actor or topic page keeps.
pub const TOP: usize = 12;
/// How many related briefings a briefing keeps.
pub const RELATED: usize = 5;
/// For each actor or topic of a briefing, how many of its briefings either
/// side in time are considered as related candidates.
const WINDOW: usize = 40;

/// Fills the graph fields of the model: `peers`, `topics` and `events` of
/// actors, `actors` and `related` of topics, `related` of briefings, and
/// returns the publishers and the site timeline.
pub fn compute(
    briefings: &mut [Briefing],
    actors: &mut [Actor],
    topics: &mut [Topic],
) -> (Vec<Publisher>, Vec<EventRef>) {
    let all: Vec<usize> = (0..briefings.len()).collect();
    let related = related(briefings, actors, topics, &all);
    for (b, r) in briefings.iter_mut().zip(related) {
        b.related = r;
    }
    all_but_related(briefings, actors, topics)
}

/// `compute` for a model whose last computed graph is `kept` (from input
/// `before`), when only some briefings' actors or topics changed (and
/// nothing else that decides related briefings: the briefings, their order
/// and dates, the actors and topics): related briefings are computed again
/// only for the briefings they can have changed for. `None` when the
/// change is larger, and `compute` must do it all.
///
/// Exact: a briefing none of whose actors and topics gained or lost a
/// briefing has the same candidates, the same weights (document
/// frequencies) and, with every candidate, the same shared entities.
pub fn recompute(
    briefings: &mut [Briefing],
    actors: &mut [Actor],
    topics: &mut [Topic],
    before: &Input,
    now: &Input,
    kept: &Output,
) -> Option<(Vec<Publisher>, Vec<EventRef>)> {
    if before.briefings.len() != now.briefings.len()
        || before.actors != now.actors
        || before.topics != now.topics
    {
        return None;
    }
    let offset = now.actors as u32;
    let entities = |b: &BriefingInput| -> Vec<u32> {
        let mut e: Vec<u32> = b
            .actors
            .iter()
            .map(|a| a.0)
            .chain(b.topics.iter().map(|t| offset + t.0))
            .collect();
        e.sort_unstable();
        e.dedup();
        e
    };
    // Entities a changed briefing gained or lost, and all of its entities.
    let mut touched = vec![false; now.actors + now.topics];
    let mut involved = vec![false; now.actors + now.topics];
    let mut affected = vec![false; now.briefings.len()];
    for (i, (old, new)) in before.briefings.iter().zip(&now.briefings).enumerate() {
        if old.date != new.date {
            return None;
        }
        if old.actors != new.actors || old.topics != new.topics {
            affected[i] = true;
            let (old, new) = (entities(old), entities(new));
            for e in old.iter().chain(&new) {
                involved[*e as usize] = true;
            }
            for e in old.iter().filter(|e| !new.contains(e)) {
                touched[*e as usize] = true;
            }
            for e in new.iter().filter(|e| !old.contains(e)) {
                touched[*e as usize] = true;
            }
        }
    }
    for (e, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
        let e = e as u32;
        let list = if e < offset {
            &actors[e as usize].briefings
        } else {
            &topics[(e - offset) as usize].briefings
        };
        for b in list {
            affected[b.0 as usize] = true;
        }
    }
    let which: Vec<usize> = (0..affected.len()).filter(|i| affected[*i]).collect();
    let fresh = related(briefings, actors, topics, &which);
    for (b, kept) in briefings.iter_mut().zip(&kept.related) {
        b.related.clone_from(kept);
    }
    for (i, r) in which.into_iter().zip(fresh) {
        briefings[i].related = r;
    }
    // Co-occurrence changes only for the entities of changed briefings.
    for (a, (peers, ts, _)) in actors.iter_mut().zip(&kept.actors) {
        a.peers.clone_from(peers);
        a.topics.clone_from(ts);
    }
    for (t, (people, related)) in topics.iter_mut().zip(&kept.topics) {
        t.actors.clone_from(people);
        t.related.clone_from(related);
    }
    let involved: Vec<u32> = (0..involved.len() as u32)
        .filter(|e| involved[*e as usize])
        .collect();
    co_occurrence_of(briefings, actors, topics, &involved);
    let timeline = events(briefings, actors);
    let same_publishers = before
        .briefings
        .iter()
        .zip(&now.briefings)
        .all(|(old, new)| old.publishers == new.publishers);
    let publishers = if same_publishers {
        kept.publishers.clone()
    } else {
        publishers(briefings)
    };
    Some((publishers, timeline))
}

/// Everything of the graph but related briefings.
fn all_but_related(
    briefings: &[Briefing],
    actors: &mut [Actor],
    topics: &mut [Topic],
) -> (Vec<Publisher>, Vec<EventRef>) {
    co_occurrence(briefings, actors, topics);
    let timeline = events(briefings, actors);
    (publishers(briefings), timeline)
}

/// Everything `compute` reads: for each briefing in order, its date,
/// actors, topics, events and the publishers of its sources; and how many
/// actors and topics there are (their briefing lists follow from the
/// briefings). Equal inputs give equal graphs.
#[derive(PartialEq)]
pub struct Input {
    briefings: Vec<BriefingInput>,
    actors: usize,
    topics: usize,
}

#[derive(PartialEq)]
struct BriefingInput {
    date: crate::dates::DateTime,
    actors: Vec<ActorId>,
    topics: Vec<TopicId>,
    events: Vec<(crate::dates::PartialDate, Vec<ActorId>)>,
    publishers: Vec<Option<String>>,
}

impl Input {
    pub fn of(briefings: &[Briefing], actors: &[Actor], topics: &[Topic]) -> Input {
        Input {
            briefings: briefings
                .iter()
                .map(|b| BriefingInput {
                    date: b.date,
                    actors: b.actors.iter().map(|m| m.actor).collect(),
                    topics: b.topics.clone(),
                    events: b
                        .events
                        .iter()
                        .map(|e| (e.date, e.actors.clone()))
                        .collect(),
                    publishers: b.sources.iter().map(|s| s.publisher.clone()).collect(),
                })
                .collect(),
            actors: actors.len(),
            topics: topics.len(),
        }
    }
}

/// What `compute` fills in and returns, kept to be applied again to a model
/// with the same [`Input`].
pub struct Output {
    related: Vec<Vec<BriefingId>>,
    actors: Vec<ActorGraph>,
    topics: Vec<TopicGraph>,
    publishers: Vec<Publisher>,
    timeline: Vec<EventRef>,
}

type ActorGraph = (Vec<(ActorId, u32)>, Vec<(TopicId, u32)>, Vec<EventRef>);
type TopicGraph = (Vec<(ActorId, u32)>, Vec<(TopicId, u32)>);

impl Output {
    /// The graph fields of a model `compute` has filled.
    pub fn of(
        briefings: &[Briefing],
        actors: &[Actor],
        topics: &[Topic],
        publishers: &[Publisher],
        timeline: &[EventRef],
    ) -> Output {
        Output {
            related: briefings.iter().map(|b| b.related.clone()).collect(),
            actors: actors
                .iter()
                .map(|a| (a.peers.clone(), a.topics.clone(), a.events.clone()))
                .collect(),
            topics: topics
                .iter()
                .map(|t| (t.actors.clone(), t.related.clone()))
                .collect(),
            publishers: publishers.to_vec(),
            timeline: timeline.to_vec(),
        }
    }

    /// Fills the model as `compute` would (for a model with the input this
    /// output was computed from).
    pub fn apply(
        &self,
        briefings: &mut [Briefing],
        actors: &mut [Actor],
        topics: &mut [Topic],
    ) -> (Vec<Publisher>, Vec<EventRef>) {
        for (b, related) in briefings.iter_mut().zip(&self.related) {
            b.related.clone_from(related);
        }
        for (a, (peers, ts, events)) in actors.iter_mut().zip(&self.actors) {
            a.peers.clone_from(peers);
            a.topics.clone_from(ts);
            a.events.clone_from(events);
        }
        for (t, (people, related)) in topics.iter_mut().zip(&self.topics) {
            t.actors.clone_from(people);
            t.related.clone_from(related);
        }
        (self.publishers.clone(), self.timeline.clone())
    }
}

/// Sorts counts by count (high first), then id, and keeps the top ones.
fn top<T: Ord + Copy>(counts: HashMap<T, u32>) -> Vec<(T, u32)> {
    let mut v: Vec<(T, u32)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(TOP);
    v
}

fn co_occurrence(briefings: &[Briefing], actors: &mut [Actor], topics: &mut [Topic]) {
    let mut actor_peers: Vec<HashMap<ActorId, u32>> = vec![HashMap::default(); actors.len()];
    let mut actor_topics: Vec<HashMap<TopicId, u32>> = vec![HashMap::default(); actors.len()];
    let mut topic_actors: Vec<HashMap<ActorId, u32>> = vec![HashMap::default(); topics.len()];
    let mut topic_peers: Vec<HashMap<TopicId, u32>> = vec![HashMap::default(); topics.len()];
    for b in briefings {
        for m in &b.actors {
            let a = m.actor.0 as usize;
            for other in &b.actors {
                if other.actor != m.actor {
                    *actor_peers[a].entry(other.actor).or_default() += 1;
                }
            }
            for t in &b.topics {
                *actor_topics[a].entry(*t).or_default() += 1;
                *topic_actors[t.0 as usize].entry(m.actor).or_default() += 1;
            }
        }
        for t in &b.topics {
            for other in &b.topics {
                if other != t {
                    *topic_peers[t.0 as usize].entry(*other).or_default() += 1;
                }
            }
        }
    }
    for (a, (peers, ts)) in actors
        .iter_mut()
        .zip(actor_peers.into_iter().zip(actor_topics))
    {
        a.peers = top(peers);
        a.topics = top(ts);
    }
    for (t, (people, peers)) in topics
        .iter_mut()
        .zip(topic_actors.into_iter().zip(topic_peers))
    {
        t.actors = top(people);
        t.related = top(peers);
    }
}

/// `co_occurrence` for some entities only (actor ids, then topic ids
/// offset by the number of actors), counted from their own briefings.
fn co_occurrence_of(
    briefings: &[Briefing],
    actors: &mut [Actor],
    topics: &mut [Topic],
    entities: &[u32],
) {
    let offset = actors.len() as u32;
    for &e in entities {
        if e < offset {
            let a = &mut actors[e as usize];
            let mut peers: HashMap<ActorId, u32> = HashMap::default();
            let mut ts: HashMap<TopicId, u32> = HashMap::default();
            for b in &a.briefings {
                let b = &briefings[b.0 as usize];
                for other in &b.actors {
                    if other.actor.0 != e {
                        *peers.entry(other.actor).or_default() += 1;
                    }
                }
                for t in &b.topics {
                    *ts.entry(*t).or_default() += 1;
                }
            }
            a.peers = top(peers);
            a.topics = top(ts);
        } else {
            let id = TopicId(e - offset);
            let t = &mut topics[id.0 as usize];
            let mut people: HashMap<ActorId, u32> = HashMap::default();
            let mut peers: HashMap<TopicId, u32> = HashMap::default();
            for b in &t.briefings {
                let b = &briefings[b.0 as usize];
                for m in &b.actors {
                    *people.entry(m.actor).or_default() += 1;
                }
                for other in &b.topics {
                    if *other != id {
                        *peers.entry(*other).or_default() += 1;
                    }
                }
            }
            t.actors = top(people);
            t.related = top(peers);
        }
    }
}

/// Orders events newest first; a bare year sorts after its dated events.
fn event_order(briefings: &[Briefing], a: &EventRef, b: &EventRef) -> std::cmp::Ordering {
    let ea = &briefings[a.briefing.0 as usize].events[a.index as usize];
    let eb = &briefings[b.briefing.0 as usize].events[b.index as usize];
    eb.date.cmp(&ea.date).then(a.cmp(b))
}

fn events(briefings: &[Briefing], actors: &mut [Actor]) -> Vec<EventRef> {
    let mut timeline = Vec::new();
    for (i, b) in briefings.iter().enumerate() {
        for (j, e) in b.events.iter().enumerate() {
            let r = EventRef {
                briefing: BriefingId(i as u32),
                index: j as u32,
            };
            timeline.push(r);
            if e.actors.is_empty() {
                for m in &b.actors {
                    actors[m.actor.0 as usize].events.push(r);
                }
            } else {
                for a in &e.actors {
                    actors[a.0 as usize].events.push(r);
                }
            }
        }
    }
    for a in actors.iter_mut() {
        a.events.sort_by(|x, y| event_order(briefings, x, y));
        a.events.dedup();
    }
    timeline.sort_by(|x, y| event_order(briefings, x, y));
    timeline
}

/// Related briefings: candidates are the briefings nearest in time among
/// those sharing an actor or topic; each is scored by the shared actors and
/// topics, each weighted by its rarity (inverse document frequency, so an
/// actor in every briefing counts for little); ties go to the closer date,
/// then to the newer briefing.
/// The related briefings of the briefings `which` (by index).
fn related(
    briefings: &[Briefing],
    actors: &[Actor],
    topics: &[Topic],
    which: &[usize],
) -> Vec<Vec<BriefingId>> {
    let n = briefings.len().max(1) as f64;
    let weight = |df: usize| (n / df.max(1) as f64).ln() + 0.1;
    // Each briefing's actors and topics as one sorted list of entity numbers
    // (topics after actors), so two briefings intersect by a merge.
    let offset = actors.len() as u32;
    let entities: Vec<Vec<u32>> = briefings
        .iter()
        .map(|b| {
            let mut e: Vec<u32> = b
                .actors
                .iter()
                .map(|m| m.actor.0)
                .chain(b.topics.iter().map(|t| offset + t.0))
                .collect();
            e.sort_unstable();
            e
        })
        .collect();
    let postings = |e: u32| -> &[BriefingId] {
        if e < offset {
            &actors[e as usize].briefings
        } else {
            &topics[(e - offset) as usize].briefings
        }
    };
    let weights: Vec<f64> = (0..offset + topics.len() as u32)
        .map(|e| weight(postings(e).len()))
        .collect();
    // Each thread keeps two scratch arrays: the weights of the current
    // briefing's entities (zero elsewhere), so that a candidate's score is a
    // lookup per entity of its own; and the briefing each candidate was last
    // collected for, so that collecting needs no sort to drop repeats.
    let scratch = || (vec![0.0f64; weights.len()], vec![u32::MAX; briefings.len()]);
    which
        .par_iter()
        .map_init(scratch, |(marks, collected), &i| {
            let id = BriefingId(i as u32);
            let mine = &entities[i];
            let mut candidates: Vec<BriefingId> = Vec::new();
            for &e in mine {
                marks[e as usize] = weights[e as usize];
                // Posting lists are newest first, as are ids: binary search
                // finds this briefing's place in each.
                let list = postings(e);
                let at = list.binary_search(&id).unwrap_or_else(|p| p);
                let from = at.saturating_sub(WINDOW);
                let to = (at + WINDOW + 1).min(list.len());
                for &c in &list[from..to] {
                    if c != id && collected[c.0 as usize] != i as u32 {
                        collected[c.0 as usize] = i as u32;
                        candidates.push(c);
                    }
                }
            }
            let when = briefings[i].date.timestamp.as_second();
            let mut scored: Vec<(f64, i64, BriefingId)> = candidates
                .into_iter()
                .map(|c| {
                    // Shared entities' weights, added in entity order (the
                    // others add zero).
                    let score: f64 = entities[c.0 as usize]
                        .iter()
                        .map(|&e| marks[e as usize])
                        .sum();
                    let days =
                        (briefings[c.0 as usize].date.timestamp.as_second() - when).abs() / 86_400;
                    (score, days, c)
                })
                .collect();
            for &e in mine {
                marks[e as usize] = 0.0;
            }
            let best_first = |x: &(f64, i64, BriefingId), y: &(f64, i64, BriefingId)| {
                y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2))
            };
            if scored.len() > RELATED {
                scored.select_nth_unstable_by(RELATED, best_first);
                scored.truncate(RELATED);
            }
            scored.sort_by(best_first);
            scored.into_iter().map(|(_, _, c)| c).collect()
        })
        .collect()
}

/// Publishers, merged by slug (`The Moscow Times` and `the moscow times`
/// are one), named by their most used spelling (ties: the one sorting
/// first, which prefers capitals).
fn publishers(briefings: &[Briefing]) -> Vec<Publisher> {
    let mut by_slug: BTreeMap<String, Publisher> = BTreeMap::new();
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    // The same few publishers are named thousands of times: each spelling
    // is made a slug once.
    let mut slugs: HashMap<&str, String> = HashMap::default();
    for (i, b) in briefings.iter().enumerate() {
        for s in &b.sources {
            let Some(name) = s.publisher.as_deref() else {
                continue;
            };
            let slug = slugs.entry(name).or_insert_with(|| slugify(name)).clone();
            if slug.is_empty() {
                continue;
            }
            let p = by_slug.entry(slug.clone()).or_insert_with(|| Publisher {
                path: crate::routes::publisher(&slug),
                slug,
                name: name.to_string(),
                briefings: Vec::new(),
                citations: 0,
            });
            p.citations += 1;
            *spellings
                .entry(p.slug.clone())
                .or_default()
                .entry(name)
                .or_default() += 1;
            let id = BriefingId(i as u32);
            if p.briefings.last() != Some(&id) {
                p.briefings.push(id);
            }
        }
    }
    by_slug
        .into_values()
        .map(|mut p| {
            if let Some(names) = spellings.get(&p.slug) {
                let best = names
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(name, _)| name.to_string());
                p.name = best.unwrap_or(p.name);
            }
            p
        })
        .collect()
}
