//! What templates see: plain serializable views of the site model, with
//! URLs already worked out against the base URL. `docs/templates.md`
//! documents every field; keep the two in step.

use super::charts::ChartView;
use super::events::{self, Merged};
use super::images::ImageView;
use crate::dates::{DateView, PartialDate};
use crate::resolve::{Actor, ActorId, Briefing, BriefingId, Site, Topic, TopicId};
use crate::routes;
use serde::Serialize;
use std::sync::OnceLock;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// Absolute, ending in `/`.
    pub base_url: &'a str,
    /// `/` or `/sub/path/`: prefix for every internal link.
    pub base_path: &'a str,
    pub feed_url: String,
    pub pages: Vec<LinkView>,
    pub extra: &'a serde_json::Value,
    pub briefing_count: usize,
    /// The commit the site was built from, when `git.provenance` is on.
    pub commit: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: c.base_url.absolute(),
            base_path: c.base_url.path(),
            feed_url: c.base_url.link(routes::FEED),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView {
                    name: p.title.clone(),
                    url: c.base_url.link(&p.path),
                })
                .collect(),
            extra: &c.extra,
            briefing_count: site.briefings.len(),
            commit: site.commit.as_deref().filter(|_| c.git.provenance),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

/// A link with a count: "appears most with", topics of an actor, ...
#[derive(Serialize, Clone)]
pub struct CountView {
    pub name: String,
    pub url: String,
    pub count: u32,
}

pub fn actor_counts(site: &Site, counts: &[(ActorId, u32)]) -> Vec<CountView> {
    counts
        .iter()
        .map(|(id, count)| {
            let l = actor_link(site, *id);
            CountView {
                name: l.name,
                url: l.url,
                count: *count,
            }
        })
        .collect()
}

pub fn topic_counts(site: &Site, counts: &[(TopicId, u32)]) -> Vec<CountView> {
    counts
        .iter()
        .map(|(id, count)| {
            let l = topic_link(site, *id);
            CountView {
                name: l.name,
                url: l.url,
                count: *count,
            }
        })
        .collect()
}

/// An event on a timeline, with the briefings that report it.
#[derive(Serialize)]
pub struct TimelineEventView {
    pub date: DateView,
    pub what: String,
    pub actors: Vec<LinkView>,
    /// The first briefing to report it.
    pub briefing: LinkView,
    /// Every briefing reporting it, the first one first.
    pub briefings: Vec<LinkView>,
}

pub fn timeline_event(site: &Site, m: &Merged) -> TimelineEventView {
    let e = site.event(m.lead);
    let mut briefings: Vec<LinkView> = events::briefings(m)
        .map(|id| briefing_link(site, id))
        .collect();
    briefings.dedup_by(|a, b| a.url == b.url);
    TimelineEventView {
        date: DateView::from(&e.date),
        what: e.what.clone(),
        actors: e.actors.iter().map(|a| actor_link(site, *a)).collect(),
        briefing: briefing_link(site, m.lead.briefing),
        briefings,
    }
}

pub fn briefing_link(site: &Site, id: BriefingId) -> LinkView {
    let b = site.briefing(id);
    LinkView {
        name: b.title.clone(),
        url: site.config.base_url.link(&b.path),
    }
}

/// Events grouped by month (a month of `None` holds the events dated only
/// by year), in the order given.
#[derive(Serialize)]
pub struct MonthEventsView {
    pub month: Option<i8>,
    /// `November 2023`, or `2023, date not given`.
    pub label: String,
    pub events: Vec<TimelineEventView>,
}

#[derive(Serialize)]
pub struct YearEventsView {
    pub year: i16,
    pub url: String,
    pub count: usize,
    pub months: Vec<MonthEventsView>,
}

/// Groups newest-first events by year and month.
pub fn group_events(site: &Site, events: &[Merged]) -> Vec<YearEventsView> {
    let mut years: Vec<YearEventsView> = Vec::new();
    for m in events {
        let date: PartialDate = site.event(m.lead).date;
        if years.last().is_none_or(|y| y.year != date.year) {
            years.push(YearEventsView {
                year: date.year,
                url: site.config.base_url.link(&routes::timeline_year(date.year)),
                count: 0,
                months: Vec::new(),
            });
        }
        let year = years.last_mut().expect("just pushed");
        year.count += 1;
        if year.months.last().is_none_or(|m| m.month != date.month) {
            year.months.push(MonthEventsView {
                month: date.month,
                label: match date.month {
                    Some(m) => format!("{} {}", crate::dates::month_name(m), date.year),
                    None => format!("{}, date not given", date.year),
                },
                events: Vec::new(),
            });
        }
        year.months
            .last_mut()
            .expect("just pushed")
            .events
            .push(timeline_event(site, m));
    }
    years
}

pub fn actor_link(site: &Site, id: ActorId) -> LinkView {
    let a = site.actor(id);
    LinkView {
        name: a.label.clone(),
        url: site.config.base_url.link(&a.path),
    }
}

pub fn topic_link(site: &Site, id: TopicId) -> LinkView {
    let t = site.topic(id);
    LinkView {
        name: t.name.clone(),
        url: site.config.base_url.link(&t.path),
    }
}

/// A briefing in a list: enough for a headline, a date and a line of summary.
#[derive(Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub summary: &'a str,
    /// Each a [`LinkView`], shared with every other card naming the same
    /// actor (see [`Cards`]).
    pub actors: Vec<Card>,
    /// Each a [`LinkView`], shared as the actors' are.
    pub topics: Vec<Card>,
    pub authors: &'a [String],
    /// The lead image: `image:`, else the body's first figure.
    pub image: Option<ImageView>,
}

/// A briefing's card, serialized once per build and shared by every list it
/// appears in (tera clones it by reference when it is put in a context).
pub type Card = super::templates::Value;

/// Every briefing's card, by id, each made the first time it is used and
/// then shared by every page that shows it; and every actor's and topic's
/// link, made once and shared by every card that names it (which halves
/// the cards' memory: 7.5 against 3.3 MB for 2,000 briefings).
pub struct Cards {
    cards: Vec<OnceLock<Card>>,
    actors: Vec<OnceLock<Card>>,
    topics: Vec<OnceLock<Card>>,
}

fn unmade<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Cards {
    pub fn new(site: &Site) -> Cards {
        Cards {
            cards: unmade(site.briefings.len()),
            actors: unmade(site.actors.len()),
            topics: unmade(site.topics.len()),
        }
    }

    /// The card of briefing `id` of `site` (the site the cards were made for).
    pub fn get(&self, site: &Site, id: BriefingId) -> Card {
        self.cards[id.index()]
            .get_or_init(|| Card::of(&self.view(site, site.briefing(id))))
            .clone()
    }

    /// What the card of `b` shows, for a page that adds to it.
    pub fn view<'a>(&self, site: &'a Site, b: &'a Briefing) -> CardView<'a> {
        let actor = |id: ActorId| {
            self.actors[id.index()]
                .get_or_init(|| Card::of(&actor_link(site, id)))
                .clone()
        };
        let topic = |id: TopicId| {
            self.topics[id.index()]
                .get_or_init(|| Card::of(&topic_link(site, id)))
                .clone()
        };
        CardView {
            title: &b.title,
            url: site.config.base_url.link(&b.path),
            permalink: site.config.base_url.permalink(&b.path),
            date: DateView::from(&b.date),
            updated: b.updated.as_ref().map(DateView::from),
            summary: &b.summary,
            actors: b.actors.iter().map(|m| actor(m.actor)).collect(),
            topics: b.topics.iter().map(|t| topic(*t)).collect(),
            authors: &b.authors,
            image: b.image.as_ref().map(|i| ImageView::of(site, i)),
        }
    }
}

#[derive(Serialize)]
pub struct MentionView {
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    /// The role given in the briefing, else the role the actor held on the
    /// briefing's date (profile `roles`), else the profile's `role`.
    pub role: Option<String>,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub number: usize,
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub author: Option<&'a str>,
    #[serde(flatten)]
    pub links: SourceLinks<'a>,
    pub date: Option<DateView>,
    pub accessed: Option<DateView>,
    pub note: Option<&'a str>,
    /// The page of its publisher (`/sources/slug/`).
    pub publisher_url: Option<String>,
    /// Anchors of the places in the text that cite this source.
    pub backrefs: Vec<String>,
    /// The same places, each with its label: `1` for a source cited once,
    /// `1a`, `1b`, ... for one cited several times.
    pub citations: Vec<BackrefView>,
}

/// What a source's page shows of its URLs.
#[derive(Serialize)]
pub struct SourceLinks<'a> {
    /// The source's URL when it can be linked (an absolute http(s) URL).
    pub url: Option<&'a str>,
    /// The URL as written when it cannot be linked (`www.example.org/x`):
    /// shown as text. A script URL is neither linked nor shown.
    pub url_text: Option<&'a str>,
    /// The archived copy's URL, when it can be linked.
    pub archive_url: Option<&'a str>,
}

impl<'a> SourceLinks<'a> {
    pub fn of(s: &'a crate::load::document::Source) -> SourceLinks<'a> {
        let url = s.url.as_deref();
        SourceLinks {
            url: url.filter(|u| crate::urls::is_external_link(u)),
            url_text: url
                .filter(|u| crate::urls::is_safe_link(u) && !crate::urls::is_external_link(u)),
            archive_url: s
                .archive_url
                .as_deref()
                .filter(|u| crate::urls::is_external_link(u)),
        }
    }
}

/// A link from a source back to one place in the text that cites it.
#[derive(Serialize)]
pub struct BackrefView {
    /// The citation's id in the page (`cite-1-2`).
    pub anchor: String,
    /// `1` (cited once), else `1a`, `1b`, ... `1z`, `1aa`.
    pub label: String,
}

/// The back-references of source `number`, cited `count` times, labelled
/// as Wikipedia and Pandoc do: the number alone for one citation, else the
/// number and a letter per citation (`a` to `z`, then `aa`, `ab`, ...).
pub fn backrefs(number: usize, count: usize) -> Vec<BackrefView> {
    (1..=count)
        .map(|k| BackrefView {
            anchor: format!("cite-{number}-{k}"),
            label: if count == 1 {
                number.to_string()
            } else {
                format!("{number}{}", letters(k))
            },
        })
        .collect()
}

/// `1` is `a`, `26` is `z`, `27` is `aa` (bijective base 26).
fn letters(mut k: usize) -> String {
    let mut out = Vec::new();
    while k > 0 {
        k -= 1;
        out.push(b'a' + (k % 26) as u8);
        k /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[derive(Serialize)]
pub struct RevisionView<'a> {
    pub date: DateView,
    pub subject: &'a str,
    /// Abbreviated commit hash.
    pub commit: &'a str,
}

#[derive(Serialize)]
pub struct EventView {
    pub date: DateView,
    pub what: String,
    pub actors: Vec<LinkView>,
}

#[derive(Serialize)]
pub struct CorrectionView<'a> {
    pub date: DateView,
    pub note: &'a str,
}

#[derive(Serialize)]
pub struct BriefingView<'a> {
    #[serde(flatten)]
    pub card: CardView<'a>,
    pub slug: &'a str,
    /// The editor's summary, shown above the text; `None` when the summary
    /// is only the body's first paragraph.
    pub standfirst: Option<&'a str>,
    pub content: String,
    /// Whether the lead image is one the body does not show (named by
    /// `image:` only): pages show it above the text.
    pub image_apart: bool,
    pub headings: &'a [crate::markdown::Heading],
    pub mentions: Vec<MentionView>,
    pub sources: Vec<SourceView<'a>>,
    pub events: Vec<EventView>,
    pub corrections: Vec<CorrectionView<'a>>,
    pub linked_from: Vec<Card>,
    pub links_to: Vec<Card>,
    /// The next older briefing.
    pub previous: Option<Card>,
    /// The next newer briefing.
    pub next: Option<Card>,
    /// The most related briefings, best first.
    pub related: Vec<Card>,
    /// Revision history from git (newest first; empty without `git: true`).
    pub history: Vec<RevisionView<'a>>,
    /// How many commits touched the briefing in all.
    pub revision_count: usize,
    /// When the briefing was first committed.
    pub first_committed: Option<DateView>,
    /// schema.org `NewsArticle` JSON-LD, safe to put in a script element.
    pub json_ld: String,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn briefing_view<'a>(site: &'a Site, cards: &Cards, id: BriefingId) -> BriefingView<'a> {
    let b = site.briefing(id);
    let i = id.index();
    BriefingView {
        card: cards.view(site, b),
        slug: &b.slug,
        standfirst: b.summary_written.then_some(b.summary.as_str()),
        content: b.body.html(),
        image_apart: b.image.as_ref().is_some_and(|lead| {
            !b.body
                .images()
                .iter()
                .any(|i| i.picture.as_ref() == Some(&lead.picture))
        }),
        headings: b.body.headings(),
        mentions: b
            .actors
            .iter()
            .map(|m| {
                let a = site.actor(m.actor);
                MentionView {
                    name: a.label.clone(),
                    url: site.config.base_url.link(&a.path),
                    kind: a.kind.as_str(),
                    role: m.role.clone().or_else(|| {
                        a.role_on(PartialDate::from(b.date.date))
                            .map(str::to_string)
                    }),
                }
            })
            .collect(),
        sources: source_views(site, b),
        events: b
            .events
            .iter()
            .map(|e| EventView {
                date: DateView::from(&e.date),
                what: e.what.clone(),
                actors: e.actors.iter().map(|a| actor_link(site, *a)).collect(),
            })
            .collect(),
        corrections: b
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: DateView::from(&c.date),
                note: &c.note,
            })
            .collect(),
        linked_from: b.linked_from.iter().map(|l| cards.get(site, *l)).collect(),
        links_to: b.links_to.iter().map(|l| cards.get(site, *l)).collect(),
        // Newest first: the previous briefing is the next in the list.
        previous: (i + 1 < site.briefings.len())
            .then(|| cards.get(site, BriefingId::from_index(i + 1))),
        next: i
            .checked_sub(1)
            .map(|n| cards.get(site, BriefingId::from_index(n))),
        related: b.related.iter().map(|r| cards.get(site, *r)).collect(),
        history: b
            .history
            .iter()
            .map(|r| RevisionView {
                date: DateView::from(&crate::dates::DateTime::from_timestamp(r.timestamp)),
                subject: &r.subject,
                commit: &r.commit,
            })
            .collect(),
        revision_count: b.revision_count,
        first_committed: b.first_committed.as_ref().map(DateView::from),
        json_ld: briefing_json_ld(site, b),
        extra: &b.extra,
    }
}

/// The briefing's sources as its page lists them, numbered as cited.
fn source_views<'a>(site: &Site, b: &'a Briefing) -> Vec<SourceView<'a>> {
    b.sources
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let cited = b.citation_counts.get(n).copied().unwrap_or(0);
            let citations = backrefs(n + 1, cited);
            SourceView {
                number: n + 1,
                id: s.id.as_deref(),
                title: s.title.as_deref(),
                publisher: s.publisher.as_deref(),
                author: s.author.as_deref(),
                links: SourceLinks::of(s),
                date: s.date.as_ref().map(DateView::from),
                accessed: s.accessed.as_ref().map(DateView::from),
                note: s.note.as_deref(),
                publisher_url: s
                    .publisher
                    .as_deref()
                    .and_then(|name| site.publisher_named(name))
                    .map(|p| site.config.base_url.link(&p.path)),
                backrefs: citations.iter().map(|c| c.anchor.clone()).collect(),
                citations,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct IdView {
    pub scheme: String,
    pub id: String,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct ActorView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub feed_url: String,
    pub kind: &'static str,
    pub role: Option<&'a str>,
    /// The role to introduce it with: the profile's `role`, else the latest
    /// current role of its career.
    pub current_role: Option<&'a str>,
    /// The profile's career `roles`, the latest first.
    pub career: Vec<RoleView<'a>>,
    pub aliases: &'a [String],
    pub has_profile: bool,
    /// The profile's portrait or emblem.
    pub image: Option<ImageView>,
    pub content: String,
    pub affiliations: Vec<LinkView>,
    pub affiliated: Vec<LinkView>,
    pub ids: Vec<IdView>,
    pub links: Vec<LinkView>,
    pub briefing_count: usize,
    pub extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Actors sharing the most briefings with this one, with counts.
    pub peers: Vec<CountView>,
    /// Topics of its briefings, most frequent first, with counts.
    pub topics: Vec<CountView>,
    /// Its most recent events (at most `TIMELINE_LIMIT`), grouped by year
    /// and month, each event once however many briefings report it; empty
    /// on pages after the first.
    pub timeline: Vec<YearEventsView>,
    /// How many events name the actor in all (an event reported by several
    /// briefings counts once); 0 on pages after the first.
    pub event_count: usize,
    /// The actor and its peers as a network (an SVG and its caption); on
    /// the first page only, and only with peers.
    pub network_chart: Option<ChartView>,
    /// Its briefings per month and events on one time axis; on the first
    /// page only.
    pub strip_chart: Option<ChartView>,
    /// schema.org JSON-LD for the actor (`Person`, `Organization`,
    /// `Country`...), with `sameAs` from `ids` and `links`; safe to put in a
    /// `<script type="application/ld+json">` as it is.
    pub json_ld: String,
}

/// How many events an actor page lists.
pub const TIMELINE_LIMIT: usize = 100;

/// One role of an actor's career.
#[derive(Serialize)]
pub struct RoleView<'a> {
    pub title: &'a str,
    pub from: Option<DateView>,
    pub to: Option<DateView>,
    /// Whether it is held at the date of the site's newest briefing (a role
    /// without `to`, or ending after it).
    pub current: bool,
}

fn career<'a>(site: &Site, a: &'a Actor) -> Vec<RoleView<'a>> {
    // The newest briefing's day: briefings are newest first, so this is
    // the first (a walk over all of them for each actor page made
    // checking 200,000 briefings take minutes).
    let as_of = site.briefings.first().map(|b| b.date.date);
    let mut roles: Vec<&crate::load::document::RoleSpan> = a
        .profile
        .as_ref()
        .map(|p| p.roles.iter().collect())
        .unwrap_or_default();
    // Latest first: by start, then by end (an open role last ends latest).
    roles.sort_by(|x, y| {
        let end = |r: &crate::load::document::RoleSpan| (r.to.is_none(), r.to);
        (y.from, end(y)).cmp(&(x.from, end(x)))
    });
    roles
        .into_iter()
        .map(|r| RoleView {
            title: &r.title,
            from: r.from.as_ref().map(DateView::from),
            to: r.to.as_ref().map(DateView::from),
            current: match (r.to, as_of) {
                (None, _) => true,
                (Some(to), Some(day)) => to >= PartialDate::from(day),
                (Some(_), None) => false,
            },
        })
        .collect()
}

/// How much of an actor its view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorDetail {
    /// Without the timeline (the pages of its list after the first).
    Card,
    /// With the timeline (the first page of its list).
    Full,
}

pub fn actor_view<'a>(site: &'a Site, a: &'a Actor, detail: ActorDetail) -> ActorView<'a> {
    let base = &site.config.base_url;
    let profile = a.profile.as_ref();
    // Merging reads every event of the actor: only the first page needs it.
    let career = career(site, a);
    let events = match detail {
        ActorDetail::Full => events::merge(site, &a.events),
        ActorDetail::Card => Vec::new(),
    };
    let (network_chart, strip_chart) = if detail == ActorDetail::Full {
        super::charts::actor_charts(site, a)
    } else {
        (None, None)
    };
    ActorView {
        name: &a.label,
        slug: &a.slug,
        url: base.link(&a.path),
        permalink: base.permalink(&a.path),
        feed_url: base.link(&routes::feed(&a.path)),
        kind: a.kind.as_str(),
        role: a.role.as_deref(),
        current_role: a
            .role
            .as_deref()
            .or_else(|| career.iter().find(|r| r.current).map(|r| r.title)),
        career,
        aliases: &a.aliases,
        has_profile: profile.is_some(),
        image: a.image.as_ref().map(|i| ImageView::of(site, i)),
        content: profile.map(|p| p.body.html()).unwrap_or_default(),
        affiliations: a
            .affiliations
            .iter()
            .map(|x| actor_link(site, *x))
            .collect(),
        affiliated: a.affiliated.iter().map(|x| actor_link(site, *x)).collect(),
        ids: profile
            .map(|p| {
                p.ids
                    .iter()
                    .map(|(scheme, id)| IdView {
                        url: external_id_url(scheme, id),
                        scheme: scheme.clone(),
                        id: id.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        links: profile
            .map(|p| {
                p.links
                    .iter()
                    .filter(|l| crate::urls::is_external_link(&l.url))
                    .map(|l| LinkView {
                        name: l.title.clone(),
                        url: l.url.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        briefing_count: a.briefings.len(),
        extra: profile.map(|p| &p.extra),
        peers: actor_counts(site, &a.peers),
        topics: topic_counts(site, &a.topics),
        timeline: group_events(site, &events[..events.len().min(TIMELINE_LIMIT)]),
        event_count: events.len(),
        network_chart,
        strip_chart,
        json_ld: actor_json_ld(site, a),
    }
}

/// The schema.org type of an actor.
fn schema_type(kind: crate::load::document::ActorKind) -> &'static str {
    use crate::load::document::ActorKind;
    match kind {
        ActorKind::Person => "Person",
        ActorKind::Organization => "Organization",
        ActorKind::State => "Country",
        ActorKind::Group | ActorKind::Other => "Thing",
    }
}

fn briefing_json_ld(site: &Site, b: &Briefing) -> String {
    let base = &site.config.base_url;
    let url = base.permalink(&b.path);
    let mentions: Vec<serde_json::Value> = b
        .actors
        .iter()
        .map(|m| {
            let a = site.actor(m.actor);
            serde_json::json!({
                "@type": schema_type(a.kind),
                "name": a.name,
                "url": base.permalink(&a.path),
            })
        })
        .collect();
    let citations: Vec<serde_json::Value> = b
        .sources
        .iter()
        .map(|s| {
            let mut c = serde_json::json!({"@type": "CreativeWork"});
            if let Some(t) = &s.title {
                c["name"] = serde_json::json!(t);
            }
            let links = SourceLinks::of(s);
            if let Some(u) = links.url {
                c["url"] = serde_json::json!(u);
            }
            if let Some(p) = &s.publisher {
                c["publisher"] = serde_json::json!({"@type": "Organization", "name": p});
            }
            if let Some(a) = &s.author {
                c["author"] = serde_json::json!({"@type": "Person", "name": a});
            }
            if let Some(d) = &s.date {
                c["datePublished"] = serde_json::json!(d.iso());
            }
            if let Some(u) = links.archive_url {
                c["archivedAt"] = serde_json::json!(u);
            }
            c
        })
        .collect();
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": b.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": b.date.rfc3339(),
        "dateModified": b.last_modified().rfc3339(),
        "publisher": {"@type": "Organization", "name": site.config.title, "url": base.absolute()},
        "inLanguage": site.config.language,
    });
    if !b.summary.is_empty() {
        value["description"] = serde_json::json!(b.summary);
    }
    if !b.authors.is_empty() {
        value["author"] = b
            .authors
            .iter()
            .map(|name| serde_json::json!({"@type": "Person", "name": name}))
            .collect();
    }
    if let Some(first) = mentions.first() {
        value["about"] = first.clone();
        value["mentions"] = serde_json::json!(mentions);
    }
    if !b.topics.is_empty() {
        value["keywords"] = serde_json::json!(
            b.topics
                .iter()
                .map(|t| site.topic(*t).name.as_str())
                .collect::<Vec<_>>()
        );
    }
    if !citations.is_empty() {
        value["citation"] = serde_json::json!(citations);
    }
    if !b.corrections.is_empty() {
        value["correction"] = b
            .corrections
            .iter()
            .map(|c| {
                serde_json::json!({
                    "@type": "CorrectionComment",
                    "datePublished": c.date.rfc3339(),
                    "text": c.note,
                })
            })
            .collect();
    }
    if let Some(image) = &b.image {
        value["image"] = image_json_ld(site, image);
    }
    script_safe_json(&value)
}

fn actor_json_ld(site: &Site, a: &Actor) -> String {
    let kind = schema_type(a.kind);
    let mut same_as: Vec<String> = Vec::new();
    if let Some(p) = &a.profile {
        same_as.extend(
            p.ids
                .iter()
                .filter_map(|(scheme, id)| external_id_url(scheme, id)),
        );
        same_as.extend(
            p.links
                .iter()
                .filter(|l| crate::urls::is_external_link(&l.url))
                .map(|l| l.url.clone()),
        );
    }
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": a.name,
        "url": site.config.base_url.permalink(&a.path),
    });
    if !a.aliases.is_empty() {
        value["alternateName"] = serde_json::json!(a.aliases);
    }
    if let Some(role) = &a.role {
        value["description"] = serde_json::json!(role);
    }
    if !same_as.is_empty() {
        value["sameAs"] = serde_json::json!(same_as);
    }
    if let Some(image) = &a.image {
        value["image"] = image_json_ld(site, image);
    }
    script_safe_json(&value)
}

/// A picture as schema.org's `ImageObject`.
fn image_json_ld(site: &Site, image: &crate::resolve::Image) -> serde_json::Value {
    let view = ImageView::of(site, image);
    let mut value = serde_json::json!({
        "@type": "ImageObject",
        "url": view.url,
        "width": view.width,
        "height": view.height,
    });
    if !view.alt.is_empty() {
        value["description"] = serde_json::json!(view.alt);
    }
    value
}

/// JSON that cannot close or confuse the `<script>` element it sits in:
/// `<`, `>` and `&` (which JSON only has inside strings) become `\u` escapes.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .expect("JSON values serialize")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The public URL of a well-known identifier, for `sameAs` links.
pub fn external_id_url(scheme: &str, id: &str) -> Option<String> {
    match scheme.to_lowercase().as_str() {
        "wikidata" => Some(format!("https://www.wikidata.org/wiki/{id}")),
        "wikipedia" => Some(format!(
            "https://en.wikipedia.org/wiki/{}",
            id.replace(' ', "_")
        )),
        "twitter" | "x" => Some(format!("https://x.com/{}", id.trim_start_matches('@'))),
        "website" | "url" => Some(id.to_string()),
        _ => None,
    }
}

#[derive(Serialize)]
pub struct TopicView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub feed_url: String,
    pub description: Option<&'a str>,
    pub aliases: &'a [String],
    pub has_profile: bool,
    /// The profile's emblem.
    pub image: Option<ImageView>,
    pub content: String,
    pub briefing_count: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Actors most present in the topic, with counts.
    pub actors: Vec<CountView>,
    /// Topics that most often go with this one, with counts.
    pub related: Vec<CountView>,
    /// Its briefings per month and events on one time axis; on the first
    /// page of the topic only.
    pub strip_chart: Option<ChartView>,
    /// Its briefings per month with labelled axes; on the first page of
    /// the topic only.
    pub months_chart: Option<ChartView>,
}

pub fn topic_view<'a>(site: &'a Site, t: &'a Topic) -> TopicView<'a> {
    let base = &site.config.base_url;
    TopicView {
        name: &t.name,
        slug: &t.slug,
        url: base.link(&t.path),
        permalink: base.permalink(&t.path),
        feed_url: base.link(&routes::feed(&t.path)),
        description: t.description.as_deref(),
        aliases: &t.aliases,
        has_profile: t.has_profile,
        image: t.image.as_ref().map(|i| ImageView::of(site, i)),
        content: t.body.html(),
        briefing_count: t.briefings.len(),
        extra: &t.extra,
        actors: actor_counts(site, &t.actors),
        related: topic_counts(site, &t.related),
        strip_chart: None,
        months_chart: None,
    }
}

/// One page of a paginated list.
#[derive(Serialize)]
pub struct Paginator {
    pub items: Vec<Card>,
    /// 1-based.
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// The first and last page and those near the current one (a bounded
    /// list, so a 1,000-page actor does not put 1,000 links on every page).
    pub pages: Vec<PagerLink>,
}

pub(super) fn pager_window(current: usize, total: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

#[derive(Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_script_cannot_close_the_script() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script><!--"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<'));
        assert!(!s.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn back_references_are_numbered_then_lettered() {
        let labels =
            |n, count| -> Vec<String> { backrefs(n, count).into_iter().map(|b| b.label).collect() };
        assert_eq!(labels(1, 1), ["1"]);
        assert_eq!(labels(3, 3), ["3a", "3b", "3c"]);
        assert_eq!(labels(2, 28)[25..], ["2z", "2aa", "2ab"]);
        assert_eq!(letters(702), "zz");
        assert_eq!(letters(703), "aaa");
        assert_eq!(backrefs(2, 2)[1].anchor, "cite-2-2");
    }

    #[test]
    fn pager_window_is_bounded() {
        assert_eq!(pager_window(1, 1), [1]);
        assert_eq!(pager_window(1, 100), [1, 2, 3, 100]);
        assert_eq!(pager_window(50, 100), [1, 48, 49, 50, 51, 52, 100]);
    }
}
