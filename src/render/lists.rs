//! The list pages' views: archive, timeline, sources and publishers,
//! corrections, the actor index, and the roles on an actor's page.

use super::views::*;
use crate::resolve::{ActorId, PageId, Site};
use crate::routes::{self, PageNumber};
use std::collections::BTreeMap;

/// An actor's part in one briefing, as its page lists it.
#[derive(serde::Serialize)]
pub(super) struct PartView<'a> {
    /// What the briefing says the actor did or was in it (`role:` of its
    /// `actors:` entry), as written.
    pub(super) given: Option<&'a str>,
    /// The career role (from the profile's `roles`) it held on the
    /// briefing's date, for filtering the list by role.
    pub(super) held: Option<&'a str>,
}

/// For each briefing on page `n` of an actor's list, the actor's part in it.
pub(super) fn roles_in_briefings(site: &Site, actor: ActorId, n: PageNumber) -> Vec<PartView<'_>> {
    let a = site.actor(actor);
    let has_spans = a.profile.as_ref().is_some_and(|p| !p.roles.is_empty());
    Listing::Actor(actor)
        .page(site, n)
        .iter()
        .map(|id| {
            let b = site.briefing(*id);
            PartView {
                given: b
                    .actors
                    .iter()
                    .find(|m| m.actor == actor)
                    .and_then(|m| m.role.as_deref()),
                held: has_spans
                    .then(|| a.role_on(crate::dates::PartialDate::from(b.date.date)))
                    .flatten(),
            }
        })
        .collect()
}

#[derive(serde::Serialize)]
pub(super) struct CorrectionEntry<'a> {
    pub(super) date: crate::dates::DateView,
    pub(super) note: &'a str,
    pub(super) briefing: LinkView,
}

/// Every correction of every briefing, newest first.
pub(super) fn corrections(site: &Site) -> Vec<CorrectionEntry<'_>> {
    let mut all: Vec<(&crate::dates::DateTime, &str, &crate::resolve::Briefing)> = site
        .briefings
        .iter()
        .flat_map(|b| {
            b.corrections
                .iter()
                .map(move |c| (&c.date, c.note.as_str(), &**b))
        })
        .collect();
    all.sort_by(|a, b| b.0.cmp(a.0).then_with(|| a.2.path.cmp(&b.2.path)));
    all.into_iter()
        .map(|(date, note, b)| CorrectionEntry {
            date: crate::dates::DateView::from(date),
            note,
            briefing: LinkView {
                name: b.title.clone(),
                url: site.config.base_url.link(&b.path),
            },
        })
        .collect()
}

/// Above this many events, `/timeline/` lists the years only and each
/// year's events are on `/timeline/YYYY/`.
pub(super) const TIMELINE_INLINE: usize = 1000;
/// How many citing briefings `/sources/` shows under each publisher.
pub(super) const SOURCES_RECENT: usize = 5;
/// How many of the latest briefings the search page offers before a query.
pub(super) const SEARCH_RECENT: usize = 5;

/// The site timeline cut into years (newest first).
pub(super) struct TimelineYear {
    pub(super) year: i16,
    /// Its events: a range of `site.timeline`.
    pub(super) events: std::ops::Range<usize>,
}

pub(super) fn group_timeline(site: &Site) -> Vec<TimelineYear> {
    let mut start = 0;
    site.timeline
        .chunk_by(|a, b| site.event(*a).date.year == site.event(*b).date.year)
        .map(|events| {
            let year = TimelineYear {
                year: site.event(events[0]).date.year,
                events: start..start + events.len(),
            };
            start += events.len();
            year
        })
        .collect()
}

/// The events of one year of the timeline.
pub(super) fn year_events(site: &Site, year: &TimelineYear) -> YearEventsView {
    let merged = super::events::merge(site, &site.timeline[year.events.clone()]);
    group_events(site, &merged)
        .pop()
        .expect("a year has events")
}

#[derive(serde::Serialize)]
pub(super) struct TimelineView {
    /// Whether `years` carry their events (small sites) or only counts.
    pub(super) complete: bool,
    pub(super) total: usize,
    pub(super) years: Vec<YearEventsView>,
}

/// `/timeline/`: every year, with its events if the site has few.
pub(super) fn timeline_view(site: &Site, timeline: &[TimelineYear]) -> TimelineView {
    let complete = site.timeline.len() <= TIMELINE_INLINE;
    let years: Vec<YearEventsView> = timeline
        .iter()
        .map(|y| {
            let mut view = year_events(site, y);
            if !complete {
                view.months.clear();
            }
            view
        })
        .collect();
    TimelineView {
        complete,
        total: years.iter().map(|y| y.count).sum(),
        years,
    }
}

#[derive(serde::Serialize)]
pub(super) struct PublisherView<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) briefing_count: usize,
    pub(super) citations: usize,
    /// How many distinct documents of it are cited.
    pub(super) document_count: usize,
    /// Every cited document, newest first; empty but on the first page of
    /// its own list.
    pub(super) documents: Vec<DocumentView<'a>>,
    pub(super) recent: Vec<Card>,
}

/// How much of a publisher its view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PublisherDetail {
    /// Its counts (on `/sources/` and the pages of its list after the first).
    Counts,
    /// Its counts and every document cited (the first page of its list).
    Documents,
}

/// A document of a publisher as its page lists it: one entry per URL (or
/// per title, for sources without one), with every briefing citing it.
#[derive(serde::Serialize)]
pub(super) struct DocumentView<'a> {
    pub(super) title: Option<&'a str>,
    pub(super) author: Option<&'a str>,
    pub(super) publisher: &'a str,
    #[serde(flatten)]
    pub(super) links: SourceLinks<'a>,
    pub(super) date: Option<crate::dates::DateView>,
    /// The briefings citing it, newest first.
    pub(super) cited_by: Vec<CitingView>,
}

/// A briefing citing a document.
#[derive(serde::Serialize)]
pub(super) struct CitingView {
    pub(super) name: String,
    pub(super) url: String,
    /// The document's entry in the briefing's source list.
    pub(super) source_url: String,
    pub(super) date: crate::dates::DateView,
}

/// What makes two sources one document: the same URL, else the same
/// title; a source with neither is known only by its date.
#[derive(PartialEq, Eq, Hash)]
enum DocumentKey<'a> {
    Url(&'a str),
    Title(&'a str),
    Undescribed(Option<crate::dates::PartialDate>),
}

fn document_key(s: &crate::load::document::Source) -> DocumentKey<'_> {
    match (s.url.as_deref(), s.title.as_deref()) {
        (Some(url), _) => DocumentKey::Url(url.trim()),
        (None, Some(title)) => DocumentKey::Title(title.trim()),
        (None, None) => DocumentKey::Undescribed(s.date),
    }
}

type CitedSource<'a> = (
    &'a crate::resolve::Briefing,
    usize,
    &'a crate::load::document::Source,
);

/// The sources naming publisher `p`, each with its briefing and its place
/// in the briefing's list, newest briefing first. Each spelling of a name
/// is made a slug once.
fn cited_sources<'a>(site: &'a Site, p: &crate::resolve::Publisher) -> Vec<CitedSource<'a>> {
    let mut names: std::collections::HashMap<&str, bool> = Default::default();
    let mut cited = Vec::new();
    for id in &p.briefings {
        let b = site.briefing(*id);
        for (n, s) in b.sources.iter().enumerate() {
            let Some(name) = s.publisher.as_deref() else {
                continue;
            };
            if *names
                .entry(name)
                .or_insert_with(|| crate::slug::slugify(name) == p.slug)
            {
                cited.push((b, n, s));
            }
        }
    }
    cited
}

/// How many distinct documents of each publisher (by id) are cited: one
/// pass over the sources, made once per plan, so the pages of a long list
/// do not each count again.
pub(super) fn document_counts(site: &Site) -> Vec<usize> {
    use rayon::prelude::*;
    site.publishers
        .par_iter()
        .map(|p| {
            cited_sources(site, p)
                .into_iter()
                .map(|(_, _, s)| document_key(s))
                .collect::<std::collections::HashSet<_>>()
                .len()
        })
        .collect()
}

/// The documents of publisher `p` its briefings cite, newest first, then
/// by title and URL. A field one citation leaves out is taken from another
/// (the newest briefing's wins).
fn documents<'a>(site: &'a Site, p: &'a crate::resolve::Publisher) -> Vec<DocumentView<'a>> {
    let mut docs: Vec<DocumentView> = Vec::new();
    let mut index: std::collections::HashMap<DocumentKey, usize> = Default::default();
    let base = &site.config.base_url;
    for (b, n, s) in cited_sources(site, p) {
        let i = *index.entry(document_key(s)).or_insert_with(|| {
            docs.push(DocumentView {
                title: None,
                author: None,
                publisher: &p.name,
                links: SourceLinks::of(s),
                date: None,
                cited_by: Vec::new(),
            });
            docs.len() - 1
        });
        let doc = &mut docs[i];
        doc.title = doc.title.or(s.title.as_deref());
        doc.author = doc.author.or(s.author.as_deref());
        doc.links.archive_url = doc.links.archive_url.or(SourceLinks::of(s).archive_url);
        if doc.date.is_none() {
            doc.date = s.date.as_ref().map(crate::dates::DateView::from);
        }
        let url = base.link(&b.path);
        if doc.cited_by.last().is_none_or(|c| c.url != url) {
            doc.cited_by.push(CitingView {
                name: b.title.clone(),
                source_url: format!("{url}#source-{}", n + 1),
                url,
                date: crate::dates::DateView::from(&b.date),
            });
        }
    }
    let date = |d: &DocumentView| d.date.as_ref().map(|v| (v.year, v.month, v.day));
    docs.sort_by(|a, b| {
        date(b)
            .cmp(&date(a))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.links.url.cmp(&b.links.url))
            .then_with(|| a.links.url_text.cmp(&b.links.url_text))
    });
    docs
}

/// Publisher `p` (with `document_count` documents cited) as its pages and
/// `/sources/` show it.
pub(super) fn publisher_view<'a>(
    site: &'a Site,
    cards: &Cards,
    p: &'a crate::resolve::Publisher,
    document_count: usize,
    recent: usize,
    detail: PublisherDetail,
) -> PublisherView<'a> {
    PublisherView {
        name: &p.name,
        slug: &p.slug,
        url: site.config.base_url.link(&p.path),
        briefing_count: p.briefings.len(),
        citations: p.citations,
        document_count,
        documents: match detail {
            PublisherDetail::Documents => documents(site, p),
            PublisherDetail::Counts => Vec::new(),
        },
        recent: p
            .briefings
            .iter()
            .take(recent)
            .map(|b| cards.get(site, *b))
            .collect(),
    }
}

/// Publishers, most cited first, then by name.
pub(super) fn publishers_by_count(site: &Site) -> Vec<crate::resolve::PublisherId> {
    let mut v: Vec<crate::resolve::PublisherId> = site.publisher_ids().collect();
    v.sort_by(|x, y| {
        let (x, y) = (site.publisher(*x), site.publisher(*y));
        y.citations
            .cmp(&x.citations)
            .then_with(|| x.slug.cmp(&y.slug))
    });
    v
}

#[derive(serde::Serialize)]
pub(super) struct PageView<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) content: String,
    pub(super) url: String,
    pub(super) extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// A standalone page.
pub(super) fn page_view(site: &Site, id: PageId) -> PageView<'_> {
    let p = site.page(id);
    PageView {
        title: &p.title,
        summary: p.summary.as_deref(),
        content: p.body.html(),
        url: site.config.base_url.link(&p.path),
        extra: &p.extra,
    }
}

#[derive(serde::Serialize)]
pub(super) struct ActorEntry<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) role: Option<&'a str>,
    pub(super) count: usize,
    /// The profile's portrait or emblem.
    pub(super) image: Option<super::images::ImageView>,
}

#[derive(serde::Serialize)]
pub(super) struct ActorGroup<'a> {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) actors: Vec<ActorEntry<'a>>,
}

/// Actors grouped by kind; each group by name.
pub(super) fn actor_groups(site: &Site) -> Vec<ActorGroup<'_>> {
    use crate::load::document::ActorKind;
    ActorKind::ALL
        .iter()
        .map(|kind| {
            let mut actors: Vec<ActorEntry> = site
                .actors
                .iter()
                .filter(|a| a.kind == *kind)
                .map(|a| ActorEntry {
                    name: &a.label,
                    url: site.config.base_url.link(&a.path),
                    role: a.role.as_deref(),
                    count: a.briefings.len(),
                    image: a
                        .image
                        .as_ref()
                        .map(|i| super::images::ImageView::of(site, i)),
                })
                .collect();
            actors.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then_with(|| a.url.cmp(&b.url))
            });
            ActorGroup {
                kind: kind.as_str(),
                label: match kind {
                    ActorKind::Person => "People",
                    ActorKind::Organization => "Organisations",
                    ActorKind::State => "States",
                    ActorKind::Group => "Groups",
                    ActorKind::Other => "Other actors",
                },
                actors,
            }
        })
        .filter(|g| !g.actors.is_empty())
        .collect()
}

pub(super) fn archive_years(site: &Site) -> Vec<i16> {
    let mut years: Vec<i16> = site.briefings.iter().map(|b| b.date.date.year()).collect();
    years.dedup();
    years
}

#[derive(serde::Serialize)]
pub(super) struct MonthSummary {
    pub(super) month: i8,
    pub(super) name: &'static str,
    pub(super) count: usize,
    pub(super) url: String,
}

#[derive(serde::Serialize)]
pub(super) struct YearSummary {
    pub(super) year: i16,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) months: Vec<MonthSummary>,
}

/// Years, newest first, with the briefing count of each month.
pub(super) fn archive_summary(site: &Site) -> Vec<YearSummary> {
    let mut counts: BTreeMap<(i16, i8), usize> = BTreeMap::new();
    for b in &site.briefings {
        *counts
            .entry((b.date.date.year(), b.date.date.month()))
            .or_default() += 1;
    }
    let base = &site.config.base_url;
    archive_years(site)
        .into_iter()
        .map(|year| {
            let months: Vec<MonthSummary> = counts
                .range((year, 0)..=(year, 12))
                .rev()
                .map(|(&(_, month), &count)| MonthSummary {
                    month,
                    name: crate::dates::month_name(month),
                    count,
                    url: base.link(&routes::archive_month(year, month)),
                })
                .collect();
            YearSummary {
                year,
                url: base.link(&routes::archive_year(year)),
                count: months.iter().map(|m| m.count).sum(),
                months,
            }
        })
        .collect()
}

#[derive(serde::Serialize)]
pub(super) struct MonthView {
    pub(super) month: i8,
    pub(super) name: &'static str,
    pub(super) anchor: String,
    pub(super) briefings: Vec<Card>,
}

#[derive(serde::Serialize)]
pub(super) struct YearView {
    pub(super) year: i16,
    pub(super) months: Vec<MonthView>,
    pub(super) previous_url: Option<String>,
    pub(super) next_url: Option<String>,
    pub(super) previous_year: Option<i16>,
    pub(super) next_year: Option<i16>,
}

pub(super) fn archive_year(site: &Site, cards: &Cards, year: i16) -> YearView {
    let mut months: Vec<MonthView> = Vec::new();
    for (i, b) in site
        .briefings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.date.date.year() == year)
    {
        let month = b.date.date.month();
        if months.last().is_none_or(|m| m.month != month) {
            months.push(MonthView {
                month,
                name: crate::dates::month_name(month),
                anchor: format!("m{month:02}"),
                briefings: Vec::new(),
            });
        }
        months
            .last_mut()
            .expect("just pushed")
            .briefings
            .push(cards.get(site, crate::resolve::BriefingId::from_index(i)));
    }
    let years = archive_years(site);
    let pos = years.iter().position(|y| *y == year);
    let base = &site.config.base_url;
    let previous_year = pos.and_then(|p| years.get(p + 1)).copied();
    let next_year = pos.and_then(|p| p.checked_sub(1)).map(|p| years[p]);
    YearView {
        year,
        months,
        previous_year,
        next_year,
        // Years are newest first: "previous" is the older year.
        previous_url: pos
            .and_then(|p| years.get(p + 1))
            .map(|y| base.link(&routes::archive_year(*y))),
        next_url: pos
            .and_then(|p| p.checked_sub(1))
            .map(|p| base.link(&routes::archive_year(years[p]))),
    }
}

/// A paginated list of briefings: the home list, or the list of an actor's,
/// a topic's or a publisher's page. The one place that says which briefings
/// a list holds, where its first page is and how many go on a page; the
/// plan, the pages and the sitemap read it from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    Home,
    Actor(ActorId),
    Topic(crate::resolve::TopicId),
    Publisher(crate::resolve::PublisherId),
}

impl Listing {
    /// Its briefings, newest first.
    pub(super) fn ids(self, site: &Site) -> std::borrow::Cow<'_, [crate::resolve::BriefingId]> {
        use std::borrow::Cow;
        match self {
            Listing::Home => Cow::Owned(site.briefing_ids().collect()),
            Listing::Actor(id) => Cow::Borrowed(&site.actor(id).briefings),
            Listing::Topic(id) => Cow::Borrowed(&site.topic(id).briefings),
            Listing::Publisher(id) => Cow::Borrowed(&site.publisher(id).briefings),
        }
    }

    /// The path of its first page.
    pub(super) fn first(self, site: &Site) -> &str {
        match self {
            Listing::Home => routes::HOME,
            Listing::Actor(id) => &site.actor(id).path,
            Listing::Topic(id) => &site.topic(id).path,
            Listing::Publisher(id) => &site.publisher(id).path,
        }
    }

    pub(super) fn per_page(self, site: &Site) -> usize {
        site.config.paginate
    }

    /// Its pages (at least one, even when it is empty).
    pub(super) fn pages(self, site: &Site) -> impl Iterator<Item = PageNumber> + use<> {
        PageNumber::all(self.len(site), self.per_page(site))
    }

    /// How many briefings it holds.
    pub(super) fn len(self, site: &Site) -> usize {
        match self {
            Listing::Home => site.briefings.len(),
            _ => self.ids(site).len(),
        }
    }

    /// The briefings on page `n`.
    pub(super) fn page(self, site: &Site, n: PageNumber) -> Vec<crate::resolve::BriefingId> {
        let per_page = self.per_page(site);
        match self {
            // The home list is every briefing in the site's order: no need
            // to gather them all for one page.
            Listing::Home => {
                let start = (n.get() - 1)
                    .saturating_mul(per_page)
                    .min(site.briefings.len());
                let end = start.saturating_add(per_page).min(site.briefings.len());
                site.briefing_ids().skip(start).take(end - start).collect()
            }
            _ => n.items(&self.ids(site), per_page).to_vec(),
        }
    }
}

/// Page `current` of `list`.
pub(super) fn paginator(
    site: &Site,
    cards: &Cards,
    list: Listing,
    current: PageNumber,
) -> Paginator {
    let base = &site.config.base_url;
    let total_items = list.len(site);
    let total_pages = PageNumber::count(total_items, list.per_page(site));
    let first = list.first(site);
    let link = |n: PageNumber| base.link(&routes::paged(first, n));
    Paginator {
        items: list
            .page(site, current)
            .into_iter()
            .map(|id| cards.get(site, id))
            .collect(),
        current: current.get(),
        total_pages,
        total_items,
        previous_url: current.previous().map(link),
        next_url: (current.get() < total_pages).then(|| link(current.next())),
        pages: pager_window(current.get(), total_pages)
            .into_iter()
            .filter_map(PageNumber::new)
            .map(|n| PagerLink {
                number: n.get(),
                url: link(n),
            })
            .collect(),
    }
}
