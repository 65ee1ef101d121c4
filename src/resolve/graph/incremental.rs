//! The graph computed again for what an edit reaches, from the last graph
//! and its input: `recompute` (the stages, when some briefings' actors and
//! topics changed) and `patch` (the same, in place, for `serve`'s patch of
//! one briefing's front matter). Both are exact: they give what `compute`
//! gives (`resolve::patch::tests`, `memo::tests`).

use super::*;

/// `compute` for an input `now` when the graph `kept` was computed from
/// `before`, and only some briefings' actors or topics changed (nothing
/// else that decides related briefings: the briefings, their order and
/// dates, the actors and topics): related briefings are computed again only
/// for the briefings they can have changed for. `None` when the change is
/// larger, and `compute` must do it all.
///
/// Exact: a briefing none of whose actors and topics gained or lost a
/// briefing has the same candidates, the same weights (document
/// frequencies) and, with every candidate, the same shared entities.
pub fn recompute(before: &Input, now: &Input, kept: &Output) -> Option<Output> {
    if before.briefings.len() != now.briefings.len()
        || before.actors.len() != now.actors.len()
        || before.topics.len() != now.topics.len()
    {
        return None;
    }
    let offset = now.actors.len() as u32;
    // Entities a changed briefing gained or lost, and all of its entities.
    let mut touched = vec![false; now.actors.len() + now.topics.len()];
    let mut involved = vec![false; touched.len()];
    let mut affected = vec![false; now.briefings.len()];
    for (i, (old, new)) in before.briefings.iter().zip(&now.briefings).enumerate() {
        if old.date != new.date {
            return None;
        }
        if old.actors != new.actors || old.topics != new.topics {
            affected[i] = true;
            let (old, new) = (old.entities(offset), new.entities(offset));
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
    // The briefings of a touched entity may now find other related
    // briefings (those that left it changed themselves).
    for (e, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
        for b in now.postings(e as u32) {
            affected[b.0 as usize] = true;
        }
    }
    let which: Vec<usize> = (0..affected.len()).filter(|i| affected[*i]).collect();
    let fresh = related(now, &which);
    let mut related = kept.related.clone();
    for (i, r) in which.into_iter().zip(fresh) {
        related[i] = r;
    }
    // Co-occurrence changes only for the entities of changed briefings.
    let mut actors: Vec<Counts> = kept
        .actors
        .iter()
        .map(|(peers, topics, _)| (peers.clone(), topics.clone()))
        .collect();
    let mut topics = kept.topics.clone();
    let involved: Vec<u32> = (0..involved.len() as u32)
        .filter(|e| involved[*e as usize])
        .collect();
    co_occurrence_of(now, &involved, &mut actors, &mut topics);
    let (timeline, events) = events(now);
    let same_publishers = before
        .briefings
        .iter()
        .zip(&now.briefings)
        .all(|(old, new)| old.publishers == new.publishers);
    let publishers = if same_publishers {
        kept.publishers.clone()
    } else {
        publishers(now)
    };
    Some(Output::new(
        related,
        actors,
        topics,
        publishers,
        (timeline, events),
    ))
}

/// What `patch` made again: the briefings whose related briefings, the
/// actors whose co-occurrence or events, and the topics whose
/// co-occurrence may have changed (by index).
pub struct Changed {
    pub briefings: Vec<usize>,
    pub actors: Vec<usize>,
    pub topics: Vec<usize>,
}

/// `recompute` in place, for `serve`'s patch of an edit to the actors and
/// topics of a few briefings: `kept` (the graph and its input) becomes
/// the graph of the model whose briefings at the indices of `edited` are
/// now the given ones and whose actors and topics (already listing them)
/// are `actors` and `topics`. The same rule as `recompute` says what is
/// computed again, and the actors whose events the edited briefings'
/// events belong to have those made again. `None`, with `kept` as it was,
/// when anything else the graph reads changed (a date, an event's date,
/// a publisher, the number of entities).
pub fn patch(
    kept: &mut (Input, Output),
    edited: &[(usize, &Briefing)],
    actors: &[Actor],
    topics: &[Topic],
) -> Option<Changed> {
    let (input, output) = kept;
    if actors.len() != input.actors.len() || topics.len() != input.topics.len() {
        return None;
    }
    let offset = input.actors.len() as u32;
    let mut fresh = Vec::with_capacity(edited.len());
    for &(i, b) in edited {
        let (old, new) = (input.briefings.get(i)?, BriefingInput::of(b));
        let event_dates = |b: &BriefingInput| b.events.iter().map(|e| e.date).collect::<Vec<_>>();
        if old.date != new.date
            || old.publishers != new.publishers
            || event_dates(old) != event_dates(&new)
        {
            return None;
        }
        fresh.push((i, new));
    }
    let (mut touched, mut involved, mut owners) = (Vec::new(), Vec::new(), Vec::new());
    for (i, new) in &fresh {
        let old = &input.briefings[*i];
        let (before, now) = (old.entities(offset), new.entities(offset));
        touched.extend(before.iter().filter(|e| !now.contains(e)));
        touched.extend(now.iter().filter(|e| !before.contains(e)));
        involved.extend(before.iter().chain(&now));
        for b in [old, new] {
            owners.extend(
                b.event_owners()
                    .flat_map(|(_, whose)| whose.iter().map(|a| a.index())),
            );
        }
    }
    let edited_ids: Vec<usize> = fresh.iter().map(|(i, _)| *i).collect();
    for (i, new) in fresh {
        input.briefings[i] = new;
    }
    for &e in &involved {
        if e < offset {
            input.actors[e as usize].clone_from(&actors[e as usize].briefings);
        } else {
            let t = (e - offset) as usize;
            input.topics[t].clone_from(&topics[t].briefings);
        }
    }
    // As `recompute`: the briefings of a touched entity, and the edited.
    let mut which = edited_ids.clone();
    for &e in &touched {
        which.extend(input.postings(e).iter().map(|b| b.index()));
    }
    which.sort_unstable();
    which.dedup();
    for (&i, related) in which.iter().zip(related(input, &which)) {
        output.related[i] = related;
    }
    involved.sort_unstable();
    involved.dedup();
    for &e in &involved {
        let (people, peers) = entity_counts(input, e);
        if e < offset {
            let graph = &mut output.actors[e as usize];
            (graph.0, graph.1) = (people, peers);
        } else {
            output.topics[(e - offset) as usize] = (people, peers);
        }
    }
    owners.sort_unstable();
    owners.dedup();
    for &a in &owners {
        output.actors[a].2 = actor_events(input, &output.actors[a].2, a, &edited_ids);
    }
    let mut changed_actors: Vec<usize> = involved
        .iter()
        .filter(|&&e| e < offset)
        .map(|&e| e as usize)
        .chain(owners)
        .collect();
    changed_actors.sort_unstable();
    changed_actors.dedup();
    Some(Changed {
        briefings: which,
        actors: changed_actors,
        topics: involved
            .iter()
            .filter(|&&e| e >= offset)
            .map(|&e| (e - offset) as usize)
            .collect(),
    })
}

/// The events of actor `a` (as `events` makes them), from its list `kept`
/// made before the briefings `edited` changed.
fn actor_events(input: &Input, kept: &[EventRef], a: usize, edited: &[usize]) -> Vec<EventRef> {
    let mut events: Vec<EventRef> = kept
        .iter()
        .filter(|r| !edited.contains(&r.briefing.index()))
        .copied()
        .collect();
    for &i in edited {
        for (j, whose) in input.briefings[i].event_owners() {
            if whose.iter().any(|x| x.index() == a) {
                events.push(EventRef {
                    briefing: BriefingId::from_index(i),
                    index: j as u32,
                });
            }
        }
    }
    events.sort_by(|x, y| event_order(input, x, y));
    events.dedup();
    events
}

/// Each briefing's related briefings, each actor's and each topic's
/// graph fields, for `serve`'s patch to put into the model.
impl Output {
    pub fn related(&self, briefing: usize) -> &[BriefingId] {
        &self.related[briefing]
    }

    /// Fills the graph fields of one actor (as `apply` does).
    pub fn apply_actor(&self, index: usize, actor: &mut Actor) {
        let (peers, topics, events) = &self.actors[index];
        actor.peers.clone_from(peers);
        actor.topics.clone_from(topics);
        actor.events.clone_from(events);
    }

    /// Fills the graph fields of one topic (as `apply` does).
    pub fn apply_topic(&self, index: usize, topic: &mut Topic) {
        let (people, related) = &self.topics[index];
        topic.actors.clone_from(people);
        topic.related.clone_from(related);
    }
}
