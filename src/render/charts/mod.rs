//! Pictures drawn at build time as inline SVG, for pages an analyst would
//! rather look at than read: an actor's network of who appears with whom, a
//! strip of briefings and events over time, and briefings per month.
//!
//! No scripts, no colours: every mark has a class (`chart-*`) and the
//! themes colour them with `currentColor` and their own custom properties,
//! so light, dark and print follow the page. Each picture is an `<svg>`
//! that scales with its `viewBox`, carries a `<title>` and a `<desc>`
//! (named by `aria-labelledby`, ids fixed per kind of chart, and a page
//! shows each kind once) and comes with a caption; what it shows is also
//! on the page as text. It is written with the XML writer of
//! `render::xml` (the quick-xml boundary), so names are
//! escaped whatever they hold, and every coordinate is rounded to one
//! decimal, so the same site gives the same bytes.
//!
//! The drawing functions take plain counts; the `*_charts` functions count
//! them from the site, walking only the actor's or topic's own briefings.

mod network;
mod time;

use super::views::actor_link;
use crate::resolve::{Actor, Site, Topic};
pub use network::{Peer, network};
use serde::Serialize;
pub use time::{EventCounts, MonthCounts, months, strip};

/// A picture and the sentence that goes under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartView {
    /// Inline SVG, safe to put in a page as it is.
    pub svg: String,
    /// What the picture shows, in words (for a `<figcaption>`).
    pub caption: String,
}

/// An actor's network and its timeline strip, when there is something to
/// draw.
pub fn actor_charts(site: &Site, a: &Actor) -> (Option<ChartView>, Option<ChartView>) {
    let peers: Vec<Peer> = a
        .peers
        .iter()
        .map(|(id, count)| {
            let link = actor_link(site, *id);
            Peer {
                name: link.name,
                url: link.url,
                count: *count,
            }
        })
        .collect();
    // Peers that appear together, as their own lists of peers say.
    let mut links = Vec::new();
    for (i, (p, _)) in a.peers.iter().enumerate() {
        for (j, (q, _)) in a.peers.iter().enumerate().skip(i + 1) {
            let together = |x: &Actor, other| {
                x.peers
                    .iter()
                    .find(|(id, _)| *id == other)
                    .map_or(0, |(_, c)| *c)
            };
            let count = together(site.actor(*p), *q).max(together(site.actor(*q), *p));
            if count > 0 {
                links.push((i, j, count));
            }
        }
    }
    let briefings = MonthCounts::new(a.briefings.iter().map(|b| site.briefing(*b).date.date));
    let events = EventCounts::new(a.events.iter().map(|e| site.event(*e).date));
    (
        network(&a.label, &peers, &links),
        strip(&a.label, &briefings, &events),
    )
}

/// A topic's timeline strip and its briefings per month, when there is
/// something to draw.
pub fn topic_charts(site: &Site, t: &Topic) -> (Option<ChartView>, Option<ChartView>) {
    let briefings = MonthCounts::new(t.briefings.iter().map(|b| site.briefing(*b).date.date));
    let events = EventCounts::new(
        t.briefings
            .iter()
            .flat_map(|b| site.briefing(*b).events.iter().map(|e| e.date)),
    );
    (
        strip(&t.name, &briefings, &events),
        months(&t.name, &briefings),
    )
}
