//! The briefing graph: who appears with whom, which topics go together, which
//! briefings are related, what happened when, and who is cited. Computed
//! once, as plain indexed data, after names are resolved.
//!
//! Every step costs in proportion to the number of mentions (an actor or
//! topic named by a briefing), never actors x briefings: co-occurrence walks
//! each briefing's own short lists, and related briefings are looked for
//! only among each entity's briefings nearest in time.

mod incremental;

pub use incremental::{Changed, patch, recompute};

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

/// Computes the graph from what it reads of the model (see [`Input`]).
pub fn compute(input: &Input) -> Output {
    let all: Vec<usize> = (0..input.briefings.len()).collect();
    let related = related(input, &all);
    let (actors, topics) = co_occurrence(input);
    Output::new(related, actors, topics, publishers(input), events(input))
}

/// Everything the graph reads of the model, and all that `compute` can
/// see: for each briefing in order, its date, actors, topics, events and
/// the publishers of its sources; and each actor's and topic's briefings.
/// The graph is a function of it: the memo reuses the last graph while
/// the input is equal, and there is no other list of what the graph
/// depends on.
#[derive(PartialEq)]
pub struct Input {
    briefings: Vec<BriefingInput>,
    /// Each actor's briefings, newest first.
    actors: Vec<Vec<BriefingId>>,
    /// Each topic's briefings, newest first.
    topics: Vec<Vec<BriefingId>>,
}

#[derive(PartialEq)]
struct BriefingInput {
    date: crate::dates::DateTime,
    actors: Vec<ActorId>,
    topics: Vec<TopicId>,
    events: Vec<EventInput>,
    publishers: Vec<Option<String>>,
}

#[derive(PartialEq)]
struct EventInput {
    date: crate::dates::PartialDate,
    actors: Vec<ActorId>,
}

impl Input {
    pub fn of(briefings: &[Briefing], actors: &[Actor], topics: &[Topic]) -> Input {
        Input {
            briefings: briefings.iter().map(BriefingInput::of).collect(),
            actors: actors.iter().map(|a| a.briefings.clone()).collect(),
            topics: topics.iter().map(|t| t.briefings.clone()).collect(),
        }
    }

    /// The briefings of entity `e` (actor ids, then topic ids offset by
    /// the number of actors).
    fn postings(&self, e: u32) -> &[BriefingId] {
        let offset = self.actors.len() as u32;
        if e < offset {
            &self.actors[e as usize]
        } else {
            &self.topics[(e - offset) as usize]
        }
    }
}

impl BriefingInput {
    fn of(b: &Briefing) -> BriefingInput {
        BriefingInput {
            date: b.date,
            actors: b.actors.iter().map(|m| m.actor).collect(),
            topics: b.topics.clone(),
            events: b
                .events
                .iter()
                .map(|e| EventInput {
                    date: e.date,
                    actors: e.actors.clone(),
                })
                .collect(),
            publishers: b.sources.iter().map(|s| s.publisher.clone()).collect(),
        }
    }

    /// The actors each of its events belongs to: its own, else the
    /// briefing's.
    fn event_owners(&self) -> impl Iterator<Item = (usize, &[ActorId])> {
        self.events.iter().enumerate().map(|(j, e)| {
            let whose = if e.actors.is_empty() {
                &self.actors
            } else {
                &e.actors
            };
            (j, whose.as_slice())
        })
    }

    /// The briefing's actors and topics as one sorted list of entity
    /// numbers (topics after actors).
    fn entities(&self, offset: u32) -> Vec<u32> {
        let mut e: Vec<u32> = self
            .actors
            .iter()
            .map(|a| a.0)
            .chain(self.topics.iter().map(|t| offset + t.0))
            .collect();
        e.sort_unstable();
        e.dedup();
        e
    }
}

/// The graph fields of the model, as `compute` makes them, applied to the
/// model with `apply`.
pub struct Output {
    related: Vec<Vec<BriefingId>>,
    actors: Vec<ActorGraph>,
    topics: Vec<TopicGraph>,
    publishers: Vec<Publisher>,
    timeline: Vec<EventRef>,
}

type ActorGraph = (Vec<(ActorId, u32)>, Vec<(TopicId, u32)>, Vec<EventRef>);
type TopicGraph = Counts;

impl Output {
    /// The graph from its parts: each actor's co-occurrence counts are
    /// joined with its events (the timeline and events as `events` gives
    /// them).
    fn new(
        related: Vec<Vec<BriefingId>>,
        actors: Vec<Counts>,
        topics: Vec<TopicGraph>,
        publishers: Vec<Publisher>,
        (timeline, events): (Vec<EventRef>, Vec<Vec<EventRef>>),
    ) -> Output {
        Output {
            related,
            actors: actors
                .into_iter()
                .zip(events)
                .map(|((peers, topics), events)| (peers, topics, events))
                .collect(),
            topics,
            publishers,
            timeline,
        }
    }

    /// Fills the graph fields of the model (`related` of briefings, `peers`,
    /// `topics` and `events` of actors, `actors` and `related` of topics)
    /// and returns the publishers and the site timeline.
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

type Counts = (Vec<(ActorId, u32)>, Vec<(TopicId, u32)>);

/// For each actor, the actors and topics it appears with most; for each
/// topic, the actors and topics it appears with most.
fn co_occurrence(input: &Input) -> (Vec<Counts>, Vec<Counts>) {
    let (n_actors, n_topics) = (input.actors.len(), input.topics.len());
    let mut actor_peers: Vec<HashMap<ActorId, u32>> = vec![HashMap::default(); n_actors];
    let mut actor_topics: Vec<HashMap<TopicId, u32>> = vec![HashMap::default(); n_actors];
    let mut topic_actors: Vec<HashMap<ActorId, u32>> = vec![HashMap::default(); n_topics];
    let mut topic_peers: Vec<HashMap<TopicId, u32>> = vec![HashMap::default(); n_topics];
    for b in &input.briefings {
        for &m in &b.actors {
            let a = m.0 as usize;
            for &other in &b.actors {
                if other != m {
                    *actor_peers[a].entry(other).or_default() += 1;
                }
            }
            for t in &b.topics {
                *actor_topics[a].entry(*t).or_default() += 1;
                *topic_actors[t.0 as usize].entry(m).or_default() += 1;
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
    let actors = actor_peers
        .into_iter()
        .zip(actor_topics)
        .map(|(peers, ts)| (top(peers), top(ts)))
        .collect();
    let topics = topic_actors
        .into_iter()
        .zip(topic_peers)
        .map(|(people, peers)| (top(people), top(peers)))
        .collect();
    (actors, topics)
}

/// `co_occurrence` for some entities only (actor ids, then topic ids
/// offset by the number of actors), counted from their own briefings.
fn co_occurrence_of(input: &Input, entities: &[u32], actors: &mut [Counts], topics: &mut [Counts]) {
    let offset = input.actors.len() as u32;
    for &e in entities {
        let counts = entity_counts(input, e);
        if e < offset {
            actors[e as usize] = counts;
        } else {
            topics[(e - offset) as usize] = counts;
        }
    }
}

/// The actors and topics entity `e` (as in `co_occurrence_of`) appears
/// with most, counted from its own briefings.
fn entity_counts(input: &Input, e: u32) -> Counts {
    let offset = input.actors.len() as u32;
    let mut people: HashMap<ActorId, u32> = HashMap::default();
    let mut peers: HashMap<TopicId, u32> = HashMap::default();
    for b in input.postings(e) {
        let b = &input.briefings[b.0 as usize];
        for m in &b.actors {
            if e >= offset || m.0 != e {
                *people.entry(*m).or_default() += 1;
            }
        }
        for t in &b.topics {
            if e < offset || offset + t.0 != e {
                *peers.entry(*t).or_default() += 1;
            }
        }
    }
    (top(people), top(peers))
}

/// Orders events newest first; a bare year sorts after its dated events.
fn event_order(input: &Input, a: &EventRef, b: &EventRef) -> std::cmp::Ordering {
    let ea = &input.briefings[a.briefing.0 as usize].events[a.index as usize];
    let eb = &input.briefings[b.briefing.0 as usize].events[b.index as usize];
    eb.date.cmp(&ea.date).then(a.cmp(b))
}

/// The site timeline, and each actor's events (an event without actors of
/// its own belongs to its briefing's actors).
fn events(input: &Input) -> (Vec<EventRef>, Vec<Vec<EventRef>>) {
    let mut timeline = Vec::new();
    let mut actors: Vec<Vec<EventRef>> = vec![Vec::new(); input.actors.len()];
    for (i, b) in input.briefings.iter().enumerate() {
        for (j, e) in b.events.iter().enumerate() {
            let r = EventRef {
                briefing: BriefingId(i as u32),
                index: j as u32,
            };
            timeline.push(r);
            let whose = if e.actors.is_empty() {
                &b.actors
            } else {
                &e.actors
            };
            for a in whose {
                actors[a.0 as usize].push(r);
            }
        }
    }
    for events in &mut actors {
        events.sort_by(|x, y| event_order(input, x, y));
        events.dedup();
    }
    timeline.sort_by(|x, y| event_order(input, x, y));
    (timeline, actors)
}

/// Related briefings: candidates are the briefings nearest in time among
/// those sharing an actor or topic; each is scored by the shared actors and
/// topics, each weighted by its rarity (inverse document frequency, so an
/// actor in every briefing counts for little); ties go to the closer date,
/// then to the newer briefing.
/// The related briefings of the briefings `which` (by index).
fn related(input: &Input, which: &[usize]) -> Vec<Vec<BriefingId>> {
    let briefings = &input.briefings;
    let n = briefings.len().max(1) as f64;
    let weight = |df: usize| (n / df.max(1) as f64).ln() + 0.1;
    // Each briefing's actors and topics as one sorted list of entity numbers
    // (topics after actors), so two briefings intersect by a merge.
    let offset = input.actors.len() as u32;
    // Every briefing's entities, when most briefings are asked about (a
    // build); for a few (an edit), each candidate's shared entities are
    // found as it comes (`shared_weight`). The sums are the same.
    let table: Option<Vec<Vec<u32>>> = (which.len() * 8 >= briefings.len())
        .then(|| briefings.iter().map(|b| b.entities(offset)).collect());
    let postings = |e: u32| input.postings(e);
    let weights: Vec<f64> = (0..offset + input.topics.len() as u32)
        .map(|e| weight(postings(e).len()))
        .collect();
    // Each thread keeps two scratch arrays: the weights of the current
    // briefing's entities (zero elsewhere), so that a candidate's score is a
    // lookup per entity of its own; and the briefing each candidate was last
    // collected for, so that collecting needs no sort to drop repeats.
    let scratch = || {
        let marks = vec![0.0f64; weights.len()];
        (marks, vec![u32::MAX; briefings.len()], Vec::new())
    };
    which
        .par_iter()
        .map_init(scratch, |(marks, collected, shared), &i| {
            let id = BriefingId(i as u32);
            let mine = briefings[i].entities(offset);
            let mut candidates: Vec<BriefingId> = Vec::new();
            for &e in mine.iter() {
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
                    let score = match &table {
                        // Every entity's weight, added in entity order (the
                        // others add zero).
                        Some(table) => table[c.0 as usize].iter().map(|&e| marks[e as usize]).sum(),
                        None => shared_weight(&briefings[c.0 as usize], offset, marks, shared),
                    };
                    let days =
                        (briefings[c.0 as usize].date.timestamp.as_second() - when).abs() / 86_400;
                    (score, days, c)
                })
                .collect();
            for &e in mine.iter() {
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

/// The weight a candidate `b` shares with the briefing whose entities'
/// weights are in `marks` (zero elsewhere): the weights of the shared
/// entities, added in entity order. Every weight is positive, so adding
/// the others' zeros as well would give the very same sum; they are left
/// out, and no list of the candidate's entities is made. (`shared` is
/// scratch space.)
fn shared_weight(b: &BriefingInput, offset: u32, marks: &[f64], shared: &mut Vec<u32>) -> f64 {
    shared.clear();
    let entities = b
        .actors
        .iter()
        .map(|a| a.0)
        .chain(b.topics.iter().map(|t| offset + t.0));
    shared.extend(entities.filter(|&e| marks[e as usize] != 0.0));
    shared.sort_unstable();
    shared.dedup();
    shared.iter().map(|&e| marks[e as usize]).sum()
}

/// Publishers, merged by slug (`The Moscow Times` and `the moscow times`
/// are one), named by their most used spelling (ties: the one sorting
/// first, which prefers capitals).
fn publishers(input: &Input) -> Vec<Publisher> {
    let mut by_slug: BTreeMap<String, Publisher> = BTreeMap::new();
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    // The same few publishers are named thousands of times: each spelling
    // is made a slug once.
    let mut slugs: HashMap<&str, String> = HashMap::default();
    for (i, b) in input.briefings.iter().enumerate() {
        for publisher in &b.publishers {
            let Some(name) = publisher.as_deref() else {
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
