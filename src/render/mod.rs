//! Stage 3, render: the site model becomes a list of output files (path and
//! bytes, or a static file to copy). Pages render in parallel; the list is
//! sorted by path, so the output does not depend on thread timing.

mod files;
pub mod jsonfeed;
mod lists;
mod owners;
pub mod search;
pub mod templates;
pub mod theme;
pub mod views;
pub mod xml;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{BriefingId, Site};
use crate::routes;
pub use files::machine_files;
use files::static_files;
use lists::*;
use owners::Owner;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use templates::Templates;
use theme::Theme;
use views::*;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A static file, copied as it is: the file `input::walk` found (a
    /// symlink's checked target), opened with `input::open_file`.
    Copy(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// What links a briefing to the other pages that show it (see
/// `Plan::connections`), by path and slug.
#[derive(Debug, PartialEq, Eq)]
pub struct Connections {
    neighbours: Vec<String>,
    related: Vec<String>,
    linked_from: Vec<String>,
    links_to: Vec<String>,
    actors: Vec<String>,
    topics: Vec<String>,
    publishers: Vec<String>,
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

/// Renders every page and file of the site.
pub fn render(
    site: &Site,
    templates: &Templates,
    theme: &Theme,
    root: &Path,
) -> (Vec<OutputFile>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let plan = Plan::new(site);
    // The pages, and the files made without templates, side by side.
    let (results, machine_files) = rayon::join(
        || -> Vec<Result<OutputFile, Diagnostic>> {
            (0..plan.len())
                .into_par_iter()
                .map(|i| plan.render_page(site, templates, i))
                .collect()
        },
        || machine_files(site, &plan),
    );
    let mut files = Vec::with_capacity(results.len() + machine_files.len() + 8);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(file) => files.push((file, Owner::Page(i))),
            Err(d) => diagnostics.push(d),
        }
    }
    files.extend(machine_files.into_iter().map(|f| (f, Owner::Generated)));
    let statics = static_files(theme, root, &mut diagnostics);
    files.extend(statics.into_iter().map(|f| (f, Owner::Static)));
    let files = owners::settle(files, site, &plan, root, &mut diagnostics);
    (files, diagnostics)
}

/// The `output-conflict` errors of a site whose files are known by path
/// only (`serve`, which renders a page when it is asked for): the same check
/// `render` makes, over the plan's pages, the `generated` files' paths and
/// the static files.
pub fn output_conflicts(
    site: &Site,
    plan: &Plan,
    root: &Path,
    generated: impl Iterator<Item = String>,
    statics: impl Iterator<Item = OutputFile>,
) -> Diagnostics {
    let path_only = |path: String| OutputFile {
        path,
        contents: Contents::Bytes(Vec::new()),
    };
    let mut files: Vec<(OutputFile, Owner)> = (0..plan.len())
        .map(|i| (path_only(plan.file(i).to_string()), Owner::Page(i)))
        .collect();
    files.extend(generated.map(|p| (path_only(p), Owner::Generated)));
    files.extend(statics.map(|f| (f, Owner::Static)));
    let mut diagnostics = Diagnostics::new();
    owners::settle(files, site, plan, root, &mut diagnostics);
    diagnostics
}

/// The static files of the theme and the site (files to copy, and the
/// search script).
pub fn render_static_files(theme: &Theme, root: &Path) -> (Vec<OutputFile>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let files = static_files(theme, root, &mut diagnostics);
    (files, diagnostics)
}

/// Every HTML page of a site, known by its output path before any is
/// rendered, with what the pages share computed once. `render` renders
/// them all; `serve` renders each when it is first asked for.
pub struct Plan {
    jobs: Vec<Job>,
    /// Output file of each job (`briefings/2023/x/index.html`).
    files: Vec<String>,
    site_value: tera::Value,
    timeline_years: Vec<TimelineYear>,
    cards: Cards,
}

impl Plan {
    /// The pages in the order the sitemap lists them (it is made from the
    /// plan): the home page, the briefings, the rest of the home list, the
    /// sections, the publishers, the standalone pages, and last the 404.
    pub fn new(site: &Site) -> Plan {
        let per_page = site.config.paginate;
        let pages_of = |n: usize| n.div_ceil(per_page).max(1);
        let mut jobs: Vec<Job> = vec![Job::Home(1)];
        jobs.extend((0..site.briefings.len()).map(|i| Job::Briefing(BriefingId(i as u32))));
        jobs.extend((2..=pages_of(site.briefings.len())).map(Job::Home));
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
        jobs.push(Job::Corrections);
        jobs.push(Job::Search);
        for (i, p) in site.publishers.iter().enumerate() {
            jobs.extend((1..=pages_of(p.briefings.len())).map(|n| Job::Publisher(i, n)));
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs.push(Job::NotFound);
        let files = jobs
            .iter()
            .map(|job| {
                let (_, path) = job_template_and_path(site, &timeline_years, job);
                routes::html_file(&path)
            })
            .collect();
        Plan {
            jobs,
            files,
            site_value: tera::Value::from_serializable(&SiteView::new(site)),
            timeline_years,
            cards: Cards::new(site),
        }
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// What page `i` is, for messages: `the home page`, `the briefing
    /// content/briefings/2023/x.md`, `attache's page /archive/`.
    pub fn describe(&self, site: &Site, i: usize) -> String {
        match &self.jobs[i] {
            Job::Home(1) => "the home page".to_string(),
            Job::Briefing(id) => {
                format!("the briefing {}", site.briefing(*id).source_path.display())
            }
            Job::Page(p) => format!("the page {}", site.pages[*p].source_path.display()),
            _ => format!("attache's page {}", self.files[i]),
        }
    }

    /// The output file of page `i`.
    pub fn file(&self, i: usize) -> &str {
        &self.files[i]
    }

    /// The pages that can show anything of the briefings `changed` (by
    /// source file): their own pages and those of the briefings next to,
    /// related to or linking with them, the pages of their actors, topics
    /// and publishers, and every list, index and standalone page. What an
    /// edit to those files can have changed, provided each kept the same
    /// `connections` as before the edit.
    pub fn pages_showing(&self, site: &Site, changed: &[&Path]) -> Vec<usize> {
        use std::collections::HashSet;
        let ids: Vec<usize> = site
            .briefings
            .iter()
            .enumerate()
            .filter(|(_, b)| changed.contains(&b.source_path.as_path()))
            .map(|(i, _)| i)
            .collect();
        let mut briefings: HashSet<u32> = HashSet::new();
        let (mut actors, mut topics, mut publishers) =
            (HashSet::new(), HashSet::new(), HashSet::new());
        for &i in &ids {
            let b = &site.briefings[i];
            briefings.extend([i.saturating_sub(1), i, i + 1].map(|j| j as u32));
            briefings.extend(
                b.related
                    .iter()
                    .chain(&b.linked_from)
                    .chain(&b.links_to)
                    .map(|r| r.0),
            );
            actors.extend(b.actors.iter().map(|m| m.actor.0));
            topics.extend(b.topics.iter().map(|t| t.0));
        }
        let changed_ids: HashSet<u32> = ids.iter().map(|&i| i as u32).collect();
        for (j, b) in site.briefings.iter().enumerate() {
            if b.related.iter().any(|r| changed_ids.contains(&r.0)) {
                briefings.insert(j as u32);
            }
        }
        for (p, publisher) in site.publishers.iter().enumerate() {
            if publisher
                .briefings
                .iter()
                .any(|b| changed_ids.contains(&b.0))
            {
                publishers.insert(p);
            }
        }
        (0..self.jobs.len())
            .filter(|&i| match &self.jobs[i] {
                Job::Briefing(id) => briefings.contains(&id.0),
                Job::Actor(a, _) => actors.contains(a),
                Job::Topic(t, _) => topics.contains(t),
                Job::Publisher(p, _) => publishers.contains(p),
                _ => true,
            })
            .collect()
    }

    /// What links the briefing from `path` to other pages of `site`, by
    /// path and slug (so comparable across builds): its neighbours in
    /// time, related and linking briefings, actors, topics and publishers.
    pub fn connections(site: &Site, path: &Path) -> Option<Connections> {
        let i = site.briefings.iter().position(|b| b.source_path == path)?;
        let b = &site.briefings[i];
        let briefing = |id: u32| site.briefings.get(id as usize).map(|b| b.path.clone());
        let briefings = |list: &[BriefingId]| list.iter().filter_map(|r| briefing(r.0)).collect();
        Some(Connections {
            neighbours: [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| briefing(j as u32))
                .collect(),
            related: briefings(&b.related),
            linked_from: briefings(&b.linked_from),
            links_to: briefings(&b.links_to),
            actors: b.actors.iter().map(|m| site.actor(m.actor).slug.clone()).collect(),
            topics: b.topics.iter().map(|t| site.topic(*t).slug.clone()).collect(),
            publishers: b.sources.iter().filter_map(|s| s.publisher.clone()).collect(),
        })
    }

    /// Renders page `i` of the site the plan was made for.
    pub fn render_page(
        &self,
        site: &Site,
        templates: &Templates,
        i: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let html = self.render_html(site, templates, i)?;
        Ok(OutputFile {
            path: self.files[i].clone(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }

    /// The HTML of page `i` of the site the plan was made for.
    pub fn render_html(
        &self,
        site: &Site,
        templates: &Templates,
        i: usize,
    ) -> Result<String, Diagnostic> {
        render_job(
            site,
            templates,
            &self.site_value,
            &self.timeline_years,
            &self.cards,
            &self.jobs[i],
        )
    }
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

/// The part of the site a page belongs to, for highlighting navigation:
pub(crate) fn html_file(path: &str, html: String) -> OutputFile {
    OutputFile {
        path: routes::html_file(path),
        contents: Contents::Bytes(html.into_bytes()),
    }
}

/// The template a page is rendered with and its site path.
fn job_template_and_path(
    site: &Site,
    timeline: &[TimelineYear],
    job: &Job,
) -> (&'static str, String) {
    match job {
        Job::Home(n) => ("index.html", routes::paged(routes::HOME, *n)),
        Job::Briefing(id) => ("briefing.html", site.briefing(*id).path.clone()),
        Job::Actors => ("actors.html", routes::actors()),
        Job::Actor(i, n) => (
            "actor.html",
            routes::paged(&site.actors[*i as usize].path, *n),
        ),
        Job::Topics => ("topics.html", routes::topics()),
        Job::Topic(i, n) => (
            "topic.html",
            routes::paged(&site.topics[*i as usize].path, *n),
        ),
        Job::Archive => ("archive.html", routes::archive()),
        Job::ArchiveYear(year) => ("archive_year.html", routes::archive_year(*year)),
        Job::Timeline => ("timeline.html", routes::timeline()),
        Job::TimelineYear(i) => (
            "timeline_year.html",
            routes::timeline_year(timeline[*i].year),
        ),
        Job::Sources => ("sources.html", routes::sources()),
        Job::Publisher(i, n) => (
            "publisher.html",
            routes::paged(&site.publishers[*i].path, *n),
        ),
        Job::Page(i) => ("page.html", site.pages[*i].path.clone()),
        Job::Corrections => ("corrections.html", routes::corrections()),
        Job::Search => ("search.html", routes::search()),
        Job::NotFound => ("404.html", routes::NOT_FOUND.to_string()),
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    site_value: &tera::Value,
    timeline: &[TimelineYear],
    cards: &Cards,
    job: &Job,
) -> Result<String, Diagnostic> {
    let base = &site.config.base_url;
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site_value.clone());
    let per_page = site.config.paginate;
    match job {
        Job::Home(n) => {
            let ids: Vec<BriefingId> = (0..site.briefings.len() as u32).map(BriefingId).collect();
            ctx.insert("paginator", &paginator(site, cards, &ids, "", per_page, *n));
        }
        Job::Briefing(id) => {
            ctx.insert("briefing", &briefing_view(site, cards, *id));
        }
        Job::Actors => {
            ctx.insert("groups", &actor_groups(site));
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
        }
        Job::Topics => {
            let topics: Vec<TopicView> = site.topics.iter().map(|t| topic_view(site, t)).collect();
            ctx.insert("topics", &topics);
        }
        Job::Topic(i, n) => {
            let t = &site.topics[*i as usize];
            ctx.insert("topic", &topic_view(site, t));
            ctx.insert(
                "paginator",
                &paginator(site, cards, &t.briefings, &t.path, per_page, *n),
            );
        }
        Job::Archive => {
            ctx.insert("years", &archive_summary(site));
        }
        Job::ArchiveYear(year) => {
            ctx.insert("year", &archive_year(site, cards, *year));
        }
        Job::Timeline => {
            let complete = site.timeline.len() <= TIMELINE_INLINE;
            let years: Vec<YearEventsView> = timeline
                .iter()
                .map(|y| {
                    let mut view = group_events(site, &site.timeline[y.events.clone()])
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
        }
        Job::TimelineYear(i) => {
            let y = &timeline[*i];
            let year = group_events(site, &site.timeline[y.events.clone()])
                .pop()
                .expect("a year has events");
            ctx.insert("year", &year);
            // Years are newest first: "previous" is the older year.
            let link = |j: usize| base.link(&routes::timeline_year(timeline[j].year));
            ctx.insert("previous_url", &timeline.get(i + 1).map(|_| link(i + 1)));
            ctx.insert("next_url", &i.checked_sub(1).map(link));
            ctx.insert("previous_year", &timeline.get(i + 1).map(|y| y.year));
            ctx.insert("next_year", &i.checked_sub(1).map(|j| timeline[j].year));
        }
        Job::Sources => {
            let publishers: Vec<PublisherView> = publishers_by_count(site)
                .into_iter()
                .map(|p| publisher_view(site, cards, p, SOURCES_RECENT))
                .collect();
            ctx.insert("publishers", &publishers);
        }
        Job::Publisher(i, n) => {
            let p = &site.publishers[*i];
            ctx.insert("publisher", &publisher_view(site, cards, p, 0));
            ctx.insert(
                "paginator",
                &paginator(site, cards, &p.briefings, &p.path, per_page, *n),
            );
        }
        Job::Page(i) => {
            let p = &site.pages[*i];
            ctx.insert(
                "page",
                &PageView {
                    title: &p.title,
                    summary: p.summary.as_deref(),
                    content: p.body.html(),
                    url: base.link(&p.path),
                    extra: &p.extra,
                },
            );
        }
        Job::Corrections => {
            ctx.insert("corrections", &corrections(site));
        }
        Job::Search | Job::NotFound => {}
    }
    let (template, path) = job_template_and_path(site, timeline, job);
    ctx.insert("meta", &page_meta(site, job));
    ctx.insert("current_path", &path);
    ctx.insert("section", routes::section(&path));
    // The 404 page is served at any address, so it names no canonical URL.
    let canonical = if path == routes::NOT_FOUND {
        String::new()
    } else {
        base.permalink(&path)
    };
    ctx.insert("canonical", &canonical);
    templates.render(template, &ctx)
}
