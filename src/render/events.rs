//! Events as a reader counts them: the 13 September summit reported by two
//! briefings is one event on a timeline, linking both.
//!
//! Two events are the same when they fall on the same date and name the
//! same actors (or, naming none, say the same thing), and come from
//! different briefings: one briefing never reports one event twice. When a
//! briefing gives two events that could each match, the one sharing the
//! most words is taken. The merged event is told in the words of its first
//! report (the earliest briefing), and lists its briefings in the order they
//! were published.

use crate::dates::PartialDate;
use crate::resolve::{ActorId, BriefingId, EventRef, Site};
use rustc_hash::FxHashMap;

/// One event and every briefing reporting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The first report: its words and actors are the event's.
    pub lead: EventRef,
    /// Every report, the first one first.
    pub reports: Vec<EventRef>,
}

#[derive(Hash, PartialEq, Eq)]
enum Key {
    Actors(PartialDate, Vec<ActorId>),
    Words(PartialDate, String),
}

/// `events` (newest first, as the graph orders them) with each event
/// reported by several briefings merged into one, in the same order.
pub fn merge(site: &Site, events: &[EventRef]) -> Vec<Merged> {
    let mut merged: Vec<Vec<EventRef>> = Vec::new();
    let mut by_key: FxHashMap<Key, Vec<usize>> = FxHashMap::default();
    for &r in events {
        let e = site.event(r);
        let key = if e.actors.is_empty() {
            Key::Words(e.date, crate::slug::name_key(&e.what))
        } else {
            let mut actors = e.actors.clone();
            actors.sort_unstable();
            actors.dedup();
            Key::Actors(e.date, actors)
        };
        let candidates = by_key.entry(key).or_default();
        let best = candidates
            .iter()
            .copied()
            .filter(|&i| merged[i].iter().all(|x| x.briefing != r.briefing))
            .max_by_key(|&i| (shared_words(site, merged[i][0], r), std::cmp::Reverse(i)));
        match best {
            Some(i) => merged[i].push(r),
            None => {
                candidates.push(merged.len());
                merged.push(vec![r]);
            }
        }
    }
    merged
        .into_iter()
        .map(|mut reports| {
            reports.sort_by_key(|r| {
                let b = site.briefing(r.briefing);
                (b.date, b.path.as_str(), *r)
            });
            Merged {
                lead: reports[0],
                reports,
            }
        })
        .collect()
}

/// How many words the descriptions of two events share.
fn shared_words(site: &Site, a: EventRef, b: EventRef) -> usize {
    let words = |r: EventRef| -> Vec<String> {
        let mut w: Vec<String> = crate::slug::name_key(&site.event(r).what)
            .split('-')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let (a, b) = (words(a), words(b));
    a.iter().filter(|w| b.binary_search(w).is_ok()).count()
}

/// The briefings of a merged event, first report first.
pub fn briefings(m: &Merged) -> impl Iterator<Item = BriefingId> + '_ {
    m.reports.iter().map(|r| r.briefing)
}
