//! Stage 3, render: the site model becomes a list of output files (path and
//! bytes, or a static file to copy). Pages render in parallel; the list is
//! sorted by path, so the output does not depend on thread timing.

pub mod jsonfeed;
pub mod search;
pub mod templates;
pub mod theme;
pub mod views;
pub mod xml;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{BriefingId, Site};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use templates::Templates;
use theme::Theme;
use views::*;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A static file, copied as it is.
    Copy(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// One HTML page to render.
enum Job {
    Home(usize),
    Briefing(BriefingId),
    Actors,
    Actor(u32, usize),
    Topics,
    Topic(u32, usize),
    Archive,
    ArchiveYear(i16),
    Timeline,
    TimelineYear(usize),
    Sources,
    Publisher(usize, usize),
    Page(usize),
    Corrections,
    Search,
    NotFound,
}

pub fn render(
    site: &Site,
    templates: &Templates,
    theme: &Theme,
    root: &Path,
) -> (Vec<OutputFile>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let per_page = site.config.paginate;
    let pages_of = |n: usize| n.div_ceil(per_page).max(1);
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((1..=pages_of(site.briefings.len())).map(Job::Home));
    jobs.extend((0..site.briefings.len()).map(|i| Job::Briefing(BriefingId(i as u32))));
    jobs.push(Job::Actors);
    for (i, a) in site.actors.iter().enumerate() {
        jobs.extend((1..=pages_of(a.briefings.len())).map(|n| Job::Actor(i as u32, n)));
    }
    jobs.push(Job::Topics);
    for (i, t) in site.topics.iter().enumerate() {
        jobs.extend((1..=pages_of(t.briefings.len())).map(|n| Job::Topic(i as u32, n)));
    }
    jobs.push(Job::Archive);
    jobs.extend(archive_years(site).into_iter().map(Job::ArchiveYear));
    let timeline_years = group_timeline(site);
    jobs.push(Job::Timeline);
    jobs.extend((0..timeline_years.len()).map(Job::TimelineYear));
    jobs.push(Job::Sources);
    for (i, p) in site.publishers.iter().enumerate() {
        jobs.extend((1..=pages_of(p.briefings.len())).map(|n| Job::Publisher(i, n)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::Corrections);
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);

    let site_value = tera::Value::from_serializable(&SiteView::new(site));
    let cards = Cards::new(site);
    // The pages, and the files made without templates, side by side.
    let (results, machine_files) = rayon::join(
        || -> Vec<Result<OutputFile, Diagnostic>> {
            jobs.par_iter()
                .map(|job| render_job(site, templates, &site_value, &timeline_years, &cards, job))
                .collect()
        },
        || machine_files(site),
    );
    let mut files = Vec::with_capacity(results.len() + machine_files.len() + 8);
    for r in results {
        match r {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    files.extend(machine_files);
    files.extend(static_files(theme, root, &mut diagnostics));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

/// Feeds, the search index, sitemaps, robots.txt, redirects and the code
/// stylesheet: everything written without templates.
fn machine_files(site: &Site) -> Vec<OutputFile> {
    let mut files = feeds(site);
    files.push(jsonfeed::feed(site));
    files.extend(search::index(site));
    files.extend(xml::sitemaps(site, &sitemap_urls(site), xml::SITEMAP_LIMIT));
    files.push(OutputFile {
        path: "robots.txt".into(),
        contents: Contents::Bytes(
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                site.config.base_url.permalink("sitemap.xml")
            )
            .into_bytes(),
        ),
    });
    files.extend(redirects(site));
    files.push(OutputFile {
        path: "syntax.css".into(),
        contents: Contents::Bytes(crate::markdown::highlight::stylesheet().into_bytes()),
    });
    files
}

/// What a page says about itself to link previews (OpenGraph, Twitter).
#[derive(serde::Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    description: &'a str,
    /// `article` for briefings, `profile` for people, else `website`.
    r#type: &'static str,
    published: Option<String>,
    modified: Option<String>,
}

fn page_meta<'a>(site: &'a Site, job: &Job) -> PageMeta<'a> {
    let site_meta = PageMeta {
        title: &site.config.title,
        description: &site.config.description,
        r#type: "website",
        published: None,
        modified: None,
    };
    match job {
        Job::Briefing(id) => {
            let b = site.briefing(*id);
            PageMeta {
                title: &b.title,
                description: &b.summary,
                r#type: "article",
                published: Some(b.date.rfc3339()),
                modified: Some(b.last_modified().rfc3339()),
            }
        }
        Job::Actor(i, _) => {
            let a = &site.actors[*i as usize];
            PageMeta {
                title: &a.name,
                description: a.role.as_deref().unwrap_or(""),
                r#type: if a.kind == crate::load::document::ActorKind::Person {
                    "profile"
                } else {
                    "website"
                },
                ..site_meta
            }
        }
        Job::Topic(i, _) => {
            let t = &site.topics[*i as usize];
            PageMeta {
                title: &t.name,
                description: t.description.as_deref().unwrap_or(""),
                ..site_meta
            }
        }
        Job::Page(i) => {
            let p = &site.pages[*i];
            PageMeta {
                title: &p.title,
                description: p.summary.as_deref().unwrap_or(""),
                ..site_meta
            }
        }
        _ => site_meta,
    }
}

/// For each briefing on page `n` of an actor's list, the role the actor had
/// in it: the role the briefing gives, else the one held on its date (from
/// the profile's `roles`); `None` where neither says more than the profile.
fn roles_in_briefings(
    site: &Site,
    actor: u32,
    ids: &[BriefingId],
    per_page: usize,
    n: usize,
) -> Vec<Option<String>> {
    let a = &site.actors[actor as usize];
    let has_spans = a.profile.as_ref().is_some_and(|p| !p.roles.is_empty());
    ids.iter()
        .skip((n - 1) * per_page)
        .take(per_page)
        .map(|id| {
            let b = site.briefing(*id);
            let given = b
                .actors
                .iter()
                .find(|m| m.actor.0 == actor)
                .and_then(|m| m.role.clone());
            given.or_else(|| {
                has_spans
                    .then(|| a.role_on(crate::dates::PartialDate::from(b.date.date)))
                    .flatten()
                    .map(str::to_string)
            })
        })
        .collect()
}

/// The part of the site a page belongs to, for highlighting navigation:
/// `home`, `briefings`, `actors`, `topics`, `timeline`, `sources`,
/// `archive`, or a standalone page's slug.
fn section_of(path: &str) -> &str {
    match path.split('/').next() {
        None | Some("") | Some("page") => "home",
        Some(first) => first,
    }
}

fn html_file(path: &str, html: String) -> OutputFile {
    let file = if path.is_empty() {
        "index.html".to_string()
    } else if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    };
    OutputFile {
        path: file,
        contents: Contents::Bytes(html.into_bytes()),
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    site_value: &tera::Value,
    timeline: &[TimelineYear],
    cards: &Cards,
    job: &Job,
) -> Result<OutputFile, Diagnostic> {
    let base = &site.config.base_url;
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site_value.clone());
    let per_page = site.config.paginate;
    let (template, path): (&str, String) = match job {
        Job::Home(n) => {
            let ids: Vec<BriefingId> = (0..site.briefings.len() as u32).map(BriefingId).collect();
            ctx.insert("paginator", &paginator(site, cards, &ids, "", per_page, *n));
            ("index.html", pager_path("", *n))
        }
        Job::Briefing(id) => {
            ctx.insert("briefing", &briefing_view(site, cards, *id));
            ("briefing.html", site.briefing(*id).path.clone())
        }
        Job::Actors => {
            ctx.insert("groups", &actor_groups(site));
            ("actors.html", "actors/".to_string())
        }
        Job::Actor(i, n) => {
            let a = &site.actors[*i as usize];
            ctx.insert("actor", &actor_view(site, a, *n == 1));
            ctx.insert(
                "paginator",
                &paginator(site, cards, &a.briefings, &a.path, per_page, *n),
            );
            ctx.insert(
                "roles",
                &roles_in_briefings(site, *i, &a.briefings, per_page, *n),
            );
            ("actor.html", pager_path(&a.path, *n))
        }
        Job::Topics => {
            let topics: Vec<TopicView> = site.topics.iter().map(|t| topic_view(site, t)).collect();
            ctx.insert("topics", &topics);
            ("topics.html", "topics/".to_string())
        }
        Job::Topic(i, n) => {
            let t = &site.topics[*i as usize];
            ctx.insert("topic", &topic_view(site, t));
            ctx.insert(
                "paginator",
                &paginator(site, cards, &t.briefings, &t.path, per_page, *n),
            );
            ("topic.html", pager_path(&t.path, *n))
        }
        Job::Archive => {
            ctx.insert("years", &archive_summary(site));
            ("archive.html", "archive/".to_string())
        }
        Job::ArchiveYear(year) => {
            ctx.insert("year", &archive_year(site, cards, *year));
            ("archive_year.html", format!("archive/{year}/"))
        }
        Job::Timeline => {
            let complete = site.timeline.len() <= TIMELINE_INLINE;
            let years: Vec<YearEventsView> = timeline
                .iter()
                .map(|y| {
                    let mut view = group_events(site, y.events)
                        .pop()
                        .expect("a year has events");
                    if !complete {
                        view.months.clear();
                    }
                    view
                })
                .collect();
            ctx.insert(
                "timeline",
                &TimelineView {
                    complete,
                    total: site.timeline.len(),
                    years,
                },
            );
            ("timeline.html", "timeline/".to_string())
        }
        Job::TimelineYear(i) => {
            let y = &timeline[*i];
            let year = group_events(site, y.events)
                .pop()
                .expect("a year has events");
            ctx.insert("year", &year);
            // Years are newest first: "previous" is the older year.
            let link = |j: usize| base.link(&format!("timeline/{}/", timeline[j].year));
            ctx.insert("previous_url", &timeline.get(i + 1).map(|_| link(i + 1)));
            ctx.insert("next_url", &i.checked_sub(1).map(link));
            ctx.insert("previous_year", &timeline.get(i + 1).map(|y| y.year));
            ctx.insert("next_year", &i.checked_sub(1).map(|j| timeline[j].year));
            ("timeline_year.html", format!("timeline/{}/", y.year))
        }
        Job::Sources => {
            let publishers: Vec<PublisherView> = publishers_by_count(site)
                .into_iter()
                .map(|p| publisher_view(site, cards, p, SOURCES_RECENT))
                .collect();
            ctx.insert("publishers", &publishers);
            ("sources.html", "sources/".to_string())
        }
        Job::Publisher(i, n) => {
            let p = &site.publishers[*i];
            ctx.insert("publisher", &publisher_view(site, cards, p, 0));
            ctx.insert(
                "paginator",
                &paginator(site, cards, &p.briefings, &p.path, per_page, *n),
            );
            ("publisher.html", pager_path(&p.path, *n))
        }
        Job::Page(i) => {
            let p = &site.pages[*i];
            ctx.insert(
                "page",
                &PageView {
                    title: &p.title,
                    summary: p.summary.as_deref(),
                    content: &p.body.html,
                    url: base.link(&p.path),
                    extra: &p.extra,
                },
            );
            ("page.html", p.path.clone())
        }
        Job::Corrections => {
            ctx.insert("corrections", &corrections(site));
            ("corrections.html", "corrections/".to_string())
        }
        Job::Search => ("search.html", "search/".to_string()),
        Job::NotFound => ("404.html", "404.html".to_string()),
    };
    ctx.insert("meta", &page_meta(site, job));
    ctx.insert("current_path", &path);
    ctx.insert("section", section_of(&path));
    // The 404 page is served at any address, so it names no canonical URL.
    let canonical = if path == "404.html" {
        String::new()
    } else {
        base.permalink(&path)
    };
    ctx.insert("canonical", &canonical);
    let html = templates.render(template, &ctx)?;
    Ok(html_file(&path, html))
}

#[derive(serde::Serialize)]
struct CorrectionEntry<'a> {
    date: crate::dates::DateView,
    note: &'a str,
    briefing: LinkView,
}

/// Every correction of every briefing, newest first.
fn corrections(site: &Site) -> Vec<CorrectionEntry<'_>> {
    let mut all: Vec<(&crate::dates::DateTime, &str, &crate::resolve::Briefing)> = site
        .briefings
        .iter()
        .flat_map(|b| {
            b.corrections
                .iter()
                .map(move |c| (&c.date, c.note.as_str(), b))
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
const TIMELINE_INLINE: usize = 1000;
/// How many citing briefings `/sources/` shows under each publisher.
const SOURCES_RECENT: usize = 5;

/// The site timeline cut into years (newest first).
struct TimelineYear<'a> {
    year: i16,
    events: &'a [crate::resolve::EventRef],
}

fn group_timeline(site: &Site) -> Vec<TimelineYear<'_>> {
    site.timeline
        .chunk_by(|a, b| site.event(*a).date.year == site.event(*b).date.year)
        .map(|events| TimelineYear {
            year: site.event(events[0]).date.year,
            events,
        })
        .collect()
}

#[derive(serde::Serialize)]
struct TimelineView {
    /// Whether `years` carry their events (small sites) or only counts.
    complete: bool,
    total: usize,
    years: Vec<YearEventsView>,
}

#[derive(serde::Serialize)]
struct PublisherView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    briefing_count: usize,
    citations: usize,
    recent: Vec<Card>,
}

fn publisher_view<'a>(
    site: &'a Site,
    cards: &Cards,
    p: &'a crate::resolve::Publisher,
    recent: usize,
) -> PublisherView<'a> {
    PublisherView {
        name: &p.name,
        slug: &p.slug,
        url: site.config.base_url.link(&p.path),
        briefing_count: p.briefings.len(),
        citations: p.citations,
        recent: p
            .briefings
            .iter()
            .take(recent)
            .map(|b| cards.get(*b))
            .collect(),
    }
}

/// Publishers, most cited first, then by name.
fn publishers_by_count(site: &Site) -> Vec<&crate::resolve::Publisher> {
    let mut v: Vec<&crate::resolve::Publisher> = site.publishers.iter().collect();
    v.sort_by(|a, b| {
        b.citations
            .cmp(&a.citations)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    v
}

#[derive(serde::Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    content: &'a str,
    url: String,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(serde::Serialize)]
struct ActorEntry<'a> {
    name: &'a str,
    url: String,
    role: Option<&'a str>,
    count: usize,
}

#[derive(serde::Serialize)]
struct ActorGroup<'a> {
    kind: &'static str,
    label: &'static str,
    actors: Vec<ActorEntry<'a>>,
}

/// Actors grouped by kind; each group by name.
fn actor_groups(site: &Site) -> Vec<ActorGroup<'_>> {
    use crate::load::document::ActorKind;
    ActorKind::ALL
        .iter()
        .map(|kind| {
            let mut actors: Vec<ActorEntry> = site
                .actors
                .iter()
                .filter(|a| a.kind == *kind)
                .map(|a| ActorEntry {
                    name: &a.name,
                    url: site.config.base_url.link(&a.path),
                    role: a.role.as_deref(),
                    count: a.briefings.len(),
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

fn archive_years(site: &Site) -> Vec<i16> {
    let mut years: Vec<i16> = site.briefings.iter().map(|b| b.date.date.year()).collect();
    years.dedup();
    years
}

#[derive(serde::Serialize)]
struct MonthSummary {
    month: i8,
    name: &'static str,
    count: usize,
    url: String,
}

#[derive(serde::Serialize)]
struct YearSummary {
    year: i16,
    url: String,
    count: usize,
    months: Vec<MonthSummary>,
}

/// Years, newest first, with the briefing count of each month.
fn archive_summary(site: &Site) -> Vec<YearSummary> {
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
                    url: base.link(&format!("archive/{year}/#m{month:02}")),
                })
                .collect();
            YearSummary {
                year,
                url: base.link(&format!("archive/{year}/")),
                count: months.iter().map(|m| m.count).sum(),
                months,
            }
        })
        .collect()
}

#[derive(serde::Serialize)]
struct MonthView {
    month: i8,
    name: &'static str,
    anchor: String,
    briefings: Vec<Card>,
}

#[derive(serde::Serialize)]
struct YearView {
    year: i16,
    months: Vec<MonthView>,
    previous_url: Option<String>,
    next_url: Option<String>,
    previous_year: Option<i16>,
    next_year: Option<i16>,
}

fn archive_year(site: &Site, cards: &Cards, year: i16) -> YearView {
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
            .push(cards.get(crate::resolve::BriefingId(i as u32)));
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
            .map(|y| base.link(&format!("archive/{y}/"))),
        next_url: pos
            .and_then(|p| p.checked_sub(1))
            .map(|p| base.link(&format!("archive/{}/", years[p]))),
    }
}

fn feeds(site: &Site) -> Vec<OutputFile> {
    let all: Vec<BriefingId> = (0..site.briefings.len() as u32).map(BriefingId).collect();
    let mut specs = vec![xml::FeedSpec {
        path: "feed.xml".to_string(),
        page_path: "",
        title: site.config.title.clone(),
        briefings: &all,
        full_content: true,
    }];
    for a in &site.actors {
        specs.push(xml::FeedSpec {
            path: format!("{}feed.xml", a.path),
            page_path: &a.path,
            title: format!("{}: {}", site.config.title, a.name),
            briefings: &a.briefings,
            full_content: false,
        });
    }
    for t in &site.topics {
        specs.push(xml::FeedSpec {
            path: format!("{}feed.xml", t.path),
            page_path: &t.path,
            title: format!("{}: {}", site.config.title, t.name),
            briefings: &t.briefings,
            full_content: false,
        });
    }
    specs
        .par_iter()
        .map(|spec| OutputFile {
            path: spec.path.clone(),
            contents: Contents::Bytes(xml::atom(site, spec)),
        })
        .collect()
}

/// A small page at each old URL that sends the reader (and search engines,
/// through the canonical link) to the new one, plus a `_redirects` file in
/// the format Netlify and Cloudflare Pages read, for real 301s.
fn redirects(site: &Site) -> Vec<OutputFile> {
    if site.redirects.is_empty() {
        return Vec::new();
    }
    let base = &site.config.base_url;
    let mut files: Vec<OutputFile> = site
        .redirects
        .iter()
        .map(|r| {
            let target = base.permalink(&r.to);
            let mut escaped = String::new();
            pulldown_cmark_escape::escape_html(&mut escaped, &target).expect("writing to a String");
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{escaped}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={escaped}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{escaped}\">{escaped}</a>.</p>\n</body>\n</html>\n",
                lang = site.config.language,
            );
            html_file(&r.from, html)
        })
        .collect();
    let mut lines = String::new();
    for r in &site.redirects {
        lines.push_str(&format!(
            "{} {} 301\n",
            base.link(&r.from),
            base.link(&r.to)
        ));
    }
    files.push(OutputFile {
        path: "_redirects".into(),
        contents: Contents::Bytes(lines.into_bytes()),
    });
    files
}

/// Every HTML page but the 404, with its last change where known.
fn sitemap_urls(site: &Site) -> Vec<xml::SitemapUrl> {
    let newest = |ids: &[BriefingId]| {
        ids.iter()
            .map(|id| site.briefing(*id).last_modified())
            .max()
    };
    let all_newest = site.briefings.iter().map(|b| b.last_modified()).max();
    let per_page = site.config.paginate;
    let mut urls = vec![xml::SitemapUrl {
        path: String::new(),
        lastmod: all_newest,
    }];
    for b in &site.briefings {
        urls.push(xml::SitemapUrl {
            path: b.path.clone(),
            lastmod: Some(b.last_modified()),
        });
    }
    let listing = |first: &str, ids: &[BriefingId], urls: &mut Vec<xml::SitemapUrl>| {
        let pages = ids.len().div_ceil(per_page).max(1);
        for n in 1..=pages {
            let chunk = &ids[((n - 1) * per_page).min(ids.len())..(n * per_page).min(ids.len())];
            urls.push(xml::SitemapUrl {
                path: pager_path(first, n),
                lastmod: newest(chunk),
            });
        }
    };
    let all: Vec<BriefingId> = (0..site.briefings.len() as u32).map(BriefingId).collect();
    // Home pages after the first.
    let home_pages = all.len().div_ceil(per_page).max(1);
    for n in 2..=home_pages {
        urls.push(xml::SitemapUrl {
            path: pager_path("", n),
            lastmod: newest(&all[((n - 1) * per_page)..(n * per_page).min(all.len())]),
        });
    }
    urls.push(xml::SitemapUrl {
        path: "actors/".into(),
        lastmod: all_newest,
    });
    for a in &site.actors {
        listing(&a.path, &a.briefings, &mut urls);
    }
    urls.push(xml::SitemapUrl {
        path: "topics/".into(),
        lastmod: all_newest,
    });
    for t in &site.topics {
        listing(&t.path, &t.briefings, &mut urls);
    }
    urls.push(xml::SitemapUrl {
        path: "archive/".into(),
        lastmod: all_newest,
    });
    for year in archive_years(site) {
        urls.push(xml::SitemapUrl {
            path: format!("archive/{year}/"),
            lastmod: site
                .briefings
                .iter()
                .filter(|b| b.date.date.year() == year)
                .map(|b| b.last_modified())
                .max(),
        });
    }
    urls.push(xml::SitemapUrl {
        path: "timeline/".into(),
        lastmod: all_newest,
    });
    for y in group_timeline(site) {
        urls.push(xml::SitemapUrl {
            path: format!("timeline/{}/", y.year),
            lastmod: newest(&y.events.iter().map(|e| e.briefing).collect::<Vec<_>>()),
        });
    }
    urls.push(xml::SitemapUrl {
        path: "sources/".into(),
        lastmod: all_newest,
    });
    urls.push(xml::SitemapUrl {
        path: "corrections/".into(),
        lastmod: all_newest,
    });
    urls.push(xml::SitemapUrl {
        path: "search/".into(),
        lastmod: None,
    });
    for p in &site.publishers {
        listing(&p.path, &p.briefings, &mut urls);
    }
    for p in &site.pages {
        urls.push(xml::SitemapUrl {
            path: p.path.clone(),
            lastmod: None,
        });
    }
    urls
}

/// attache's search script, the theme's static files, then the site's
/// `static/` (each later one wins).
fn static_files(theme: &Theme, root: &Path, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files: BTreeMap<String, Contents> = BTreeMap::new();
    // The search page's script comes with attache whatever the theme; a
    // theme or the site may still replace it.
    let (name, bytes) = theme::SEARCH_SCRIPT;
    files.insert(name.to_string(), Contents::Bytes(bytes.to_vec()));
    match theme.static_dir() {
        Some(dir) => collect_static(&dir, &mut files, diagnostics, root),
        None => {
            for (name, bytes) in theme::BUILTIN_STATIC {
                files.insert(name.to_string(), Contents::Bytes(bytes.to_vec()));
            }
        }
    }
    collect_static(&root.join("static"), &mut files, diagnostics, root);
    files
        .into_iter()
        .map(|(path, contents)| OutputFile { path, contents })
        .collect()
}

fn collect_static(
    dir: &Path,
    files: &mut BTreeMap<String, Contents>,
    diagnostics: &mut Diagnostics,
    root: &Path,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let Some(name) = crate::paths::slash_relative(dir, entry.path()) else {
                    continue;
                };
                files.insert(name, Contents::Copy(entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| crate::load::relative(root, p))
                    .unwrap_or_default();
                diagnostics.push(Diagnostic::error(
                    "io",
                    &path,
                    format!("cannot read static file: {err}"),
                ));
            }
        }
    }
}
