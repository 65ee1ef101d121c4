//! Stage 3, render: the site model becomes a list of output files (path and
//! bytes, or a static file to copy). Pages render in parallel; the list is
//! sorted by path, so the output does not depend on thread timing.

pub mod charts;
mod events;
mod files;
pub mod images;
pub mod jsonfeed;
mod lists;
mod owners;
pub mod search;
pub mod templates;
pub mod theme;
pub mod views;
pub mod xml;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{ActorId, BriefingId, PageId, PublisherId, Site, TopicId};
use crate::routes::{self, PageNumber};
use files::static_files;
pub use files::{FeedFile, machine_files};
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
    Home(PageNumber),
    Briefing(BriefingId),
    Actors,
    Actor(ActorId, PageNumber),
    Topics,
    Topic(TopicId, PageNumber),
    Archive,
    ArchiveYear(i16),
    Timeline,
    /// A year of the timeline, by its place in `Plan::timeline_years`
    /// (newest first).
    TimelineYear(usize),
    Sources,
    Publisher(PublisherId, PageNumber),
    Page(PageId),
    Corrections,
    Search,
    NotFound,
}

impl Job {
    /// The list of briefings the page shows a page of, if it is one.
    fn listing(&self) -> Option<(Listing, PageNumber)> {
        match *self {
            Job::Home(n) => Some((Listing::Home, n)),
            Job::Actor(id, n) => Some((Listing::Actor(id), n)),
            Job::Topic(id, n) => Some((Listing::Topic(id), n)),
            Job::Publisher(id, n) => Some((Listing::Publisher(id), n)),
            _ => None,
        }
    }
}

/// One page of a [`Plan`], by its place in the plan's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlannedPage(usize);

impl PlannedPage {
    /// Where the page is in the plan's list, for a vector kept beside it.
    pub fn index(self) -> usize {
        self.0
    }
}

/// What a site's output will be, known before any page is rendered: every
/// output path (each with one owner, sorted) and the files made without
/// templates. [`Prepared::emit`] then hands on every file, rendering the
/// pages as it goes, so no more than a few pages are in memory at once.
pub struct Prepared {
    plan: Plan,
    /// Every output path, sorted, each once.
    paths: Vec<String>,
    /// The pages that own their path (a page that lost a conflict is
    /// reported, not rendered).
    pages: Vec<PlannedPage>,
    /// The files made without templates, the pictures' files and the
    /// static files that own their path.
    files: Vec<OutputFile>,
    /// The feeds that own their path, made as they are handed on.
    feeds: Vec<files::Feed>,
}

/// Lists every output file of the site: the plan's pages, the files made
/// without templates and the pictures' files (when asked for: `check`
/// makes none), and the static files; reports every path claimed twice.
pub fn prepare(
    site: &Site,
    theme: &Theme,
    root: &Path,
    pictures: Option<&crate::media::Store>,
) -> (Prepared, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let plan = Plan::new(site);
    let (machine_files, (picture_files, picture_diagnostics)) = rayon::join(
        || files::files_but_feeds(site, &plan),
        || match pictures {
            Some(store) => images::files(site, store),
            None => (Vec::new(), Diagnostics::new()),
        },
    );
    diagnostics.extend(picture_diagnostics);
    let mut files = Vec::with_capacity(plan.len() + machine_files.len() + 8);
    files.extend(plan.pages().map(|page| {
        let path = OutputFile {
            path: plan.file(page).to_string(),
            contents: Contents::Bytes(Vec::new()),
        };
        (path, Owner::Page(page))
    }));
    // A feed is listed by its path; it is made when it is written.
    let feeds: std::collections::HashMap<String, files::Feed> = files::Feed::all(site)
        .into_iter()
        .map(|feed| (feed.path(site), feed))
        .collect();
    files.extend(feeds.keys().map(|path| {
        let path = OutputFile {
            path: path.clone(),
            contents: Contents::Bytes(Vec::new()),
        };
        (path, Owner::Generated)
    }));
    files.extend(machine_files.into_iter().map(|f| (f, Owner::Generated)));
    files.extend(picture_files.into_iter().map(|f| (f, Owner::Generated)));
    let statics = static_files(theme, root, &mut diagnostics);
    files.extend(statics.into_iter().map(|f| (f, Owner::Static)));
    let settled = owners::settle(files, site, &plan, root, &mut diagnostics);
    let paths = settled.iter().map(|(f, _)| f.path.clone()).collect();
    let mut pages = Vec::new();
    let mut made = Vec::new();
    let mut files = Vec::new();
    for (file, owner) in settled {
        match owner {
            Owner::Page(page) => pages.push(page),
            Owner::Generated if feeds.contains_key(&file.path) => made.push(feeds[&file.path]),
            _ => files.push(file),
        }
    }
    let prepared = Prepared {
        plan,
        paths,
        pages,
        files,
        feeds: made,
    };
    (prepared, diagnostics)
}

impl Prepared {
    /// Every output path, sorted, each once.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether the output has a file at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.paths
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }

    /// How many HTML pages attache makes (rendered pages and redirect
    /// pages; not the static files).
    pub fn html_pages(&self) -> usize {
        let made =
            |f: &&OutputFile| f.path.ends_with(".html") && matches!(f.contents, Contents::Bytes(_));
        self.pages.len() + self.files.iter().filter(made).count()
    }

    /// Hands every file to `emit`, from several threads: first those made
    /// already, then each page as soon as it is rendered, its bytes dropped
    /// when `emit` returns. The first error of `emit` stops it; a page
    /// whose template fails is a diagnostic, and the others go on.
    pub fn emit<E: Send>(
        self,
        site: &Site,
        templates: &Templates,
        emit: impl Fn(OutputFile) -> Result<(), E> + Sync,
    ) -> Result<Diagnostics, E> {
        let Prepared {
            plan,
            pages,
            files,
            feeds,
            ..
        } = self;
        files.into_par_iter().try_for_each(&emit)?;
        feeds
            .into_par_iter()
            .try_for_each(|feed| emit(feed.render(site)))?;
        let failed: Vec<Diagnostic> = pages
            .into_par_iter()
            .map(|page| match plan.render_page(site, templates, page) {
                Ok(file) => emit(file).map(|()| None),
                Err(d) => Ok(Some(d)),
            })
            .filter_map(Result::transpose)
            .collect::<Result<_, E>>()?;
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(failed);
        Ok(diagnostics)
    }
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
    let mut files: Vec<(OutputFile, Owner)> = plan
        .pages()
        .map(|page| (path_only(plan.file(page).to_string()), Owner::Page(page)))
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
    /// Shared with the plans `for_edited_bodies` makes of this one.
    jobs: std::sync::Arc<[Job]>,
    /// Output file of each job (`briefings/2023/x/index.html`).
    files: std::sync::Arc<[String]>,
    site_value: templates::Value,
    timeline_years: std::sync::Arc<[TimelineYear]>,
    cards: Cards,
    /// Each publisher's count of documents cited, made when first used.
    document_counts: std::sync::OnceLock<Vec<usize>>,
}

impl Plan {
    /// The pages in the order the sitemap lists them (it is made from the
    /// plan): the home page, the briefings, the rest of the home list, the
    /// sections, the publishers, the standalone pages, and last the 404.
    pub fn new(site: &Site) -> Plan {
        let mut jobs: Vec<Job> = vec![Job::Home(PageNumber::FIRST)];
        jobs.extend(site.briefing_ids().map(Job::Briefing));
        jobs.extend(Listing::Home.pages(site).skip(1).map(Job::Home));
        jobs.push(Job::Actors);
        for id in site.actor_ids() {
            jobs.extend(Listing::Actor(id).pages(site).map(|n| Job::Actor(id, n)));
        }
        jobs.push(Job::Topics);
        for id in site.topic_ids() {
            jobs.extend(Listing::Topic(id).pages(site).map(|n| Job::Topic(id, n)));
        }
        jobs.push(Job::Archive);
        jobs.extend(archive_years(site).into_iter().map(Job::ArchiveYear));
        let timeline_years = group_timeline(site);
        jobs.push(Job::Timeline);
        jobs.extend((0..timeline_years.len()).map(Job::TimelineYear));
        jobs.push(Job::Sources);
        jobs.push(Job::Corrections);
        jobs.push(Job::Search);
        for id in site.publisher_ids() {
            jobs.extend(
                Listing::Publisher(id)
                    .pages(site)
                    .map(|n| Job::Publisher(id, n)),
            );
        }
        jobs.extend(site.page_ids().map(Job::Page));
        jobs.push(Job::NotFound);
        let files = jobs
            .iter()
            .map(|job| {
                let (_, path) = job_template_and_path(site, &timeline_years, job);
                routes::html_file(&path)
            })
            .collect();
        Plan {
            jobs: jobs.into(),
            files,
            site_value: templates::Value::of(&SiteView::new(site)),
            timeline_years: timeline_years.into(),
            cards: Cards::new(site),
            document_counts: Default::default(),
        }
    }

    /// The plan of `site`, made from this one, the plan of the site before
    /// an edit that `serve` patched (bodies, or one briefing's names,
    /// title or summary, with `lists_keep_their_pages`; not which files
    /// there are): the same pages at the same paths, sharing this plan's
    /// lists; the cards are made again.
    pub fn for_edited_bodies(&self, site: &Site) -> Plan {
        Plan {
            jobs: self.jobs.clone(),
            files: self.files.clone(),
            site_value: self.site_value.clone(),
            timeline_years: self.timeline_years.clone(),
            cards: Cards::new(site),
            document_counts: Default::default(),
        }
    }

    /// Whether the lists of the actors and topics whose briefings changed
    /// from `before` to `after` (an edit to one briefing's names, patched
    /// by `serve`) keep their number of pages: then the plan of `before`
    /// has the pages of `after` (`for_edited_bodies`).
    pub fn lists_keep_their_pages(
        before: &Site,
        after: &Site,
        actors: &[ActorId],
        topics: &[TopicId],
    ) -> bool {
        let same = |list: Listing| list.pages(before).count() == list.pages(after).count();
        actors.iter().all(|&a| same(Listing::Actor(a)))
            && topics.iter().all(|&t| same(Listing::Topic(t)))
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Every page, in the plan's order.
    pub fn pages(&self) -> impl ExactSizeIterator<Item = PlannedPage> + use<> {
        (0..self.jobs.len()).map(PlannedPage)
    }

    /// What `page` is, for messages: `the home page`, `the briefing
    /// content/briefings/2023/x.md`, `attache's page /archive/`.
    pub fn describe(&self, site: &Site, page: PlannedPage) -> String {
        match &self.jobs[page.0] {
            Job::Home(PageNumber::FIRST) => "the home page".to_string(),
            Job::Briefing(id) => {
                format!("the briefing {}", site.briefing(*id).source_path.display())
            }
            Job::Page(id) => format!("the page {}", site.page(*id).source_path.display()),
            _ => format!("attache's page {}", self.file(page)),
        }
    }

    /// The output file of `page`.
    pub fn file(&self, page: PlannedPage) -> &str {
        &self.files[page.0]
    }

    /// The pages that can show anything of the briefings `changed` (by
    /// source file): their own pages and those of the briefings next to,
    /// related to or linking with them, the pages of their actors, topics
    /// and publishers, and every list, index and standalone page. What an
    /// edit to those files can have changed, provided each kept the same
    /// `connections` as before the edit.
    pub fn pages_showing(&self, site: &Site, changed: &[&Path]) -> Vec<PlannedPage> {
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
                Job::Actor(a, _) => actors.contains(&a.0),
                Job::Topic(t, _) => topics.contains(&t.0),
                Job::Publisher(p, _) => publishers.contains(&p.index()),
                _ => true,
            })
            .map(PlannedPage)
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
            actors: b
                .actors
                .iter()
                .map(|m| site.actor(m.actor).slug.clone())
                .collect(),
            topics: b
                .topics
                .iter()
                .map(|t| site.topic(*t).slug.clone())
                .collect(),
            publishers: b
                .sources
                .iter()
                .filter_map(|s| s.publisher.clone())
                .collect(),
        })
    }

    /// Renders `page` of the site the plan was made for.
    pub fn render_page(
        &self,
        site: &Site,
        templates: &Templates,
        page: PlannedPage,
    ) -> Result<OutputFile, Diagnostic> {
        let html = self.render_html(site, templates, page)?;
        Ok(OutputFile {
            path: self.file(page).to_string(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }

    /// The HTML of `page` of the site the plan was made for: the context
    /// every page has (the site), what its kind shows, then what every page
    /// says about itself (meta, path, section, canonical URL).
    pub fn render_html(
        &self,
        site: &Site,
        templates: &Templates,
        page: PlannedPage,
    ) -> Result<String, Diagnostic> {
        let job = &self.jobs[page.0];
        let mut ctx = templates::Context::new();
        ctx.insert_value("site", self.site_value.clone());
        self.insert_contents(site, job, &mut ctx);
        let (template, path) = job_template_and_path(site, &self.timeline_years, job);
        insert_about_page(site, job, &path, &mut ctx);
        templates.render(template, &ctx)
    }

    /// What the page of `job` shows, by its kind.
    fn insert_contents(&self, site: &Site, job: &Job, ctx: &mut templates::Context) {
        let cards = &self.cards;
        if let Some((list, n)) = job.listing() {
            ctx.insert("paginator", &paginator(site, cards, list, n));
        }
        match job {
            Job::Home(_) => {}
            Job::Briefing(id) => ctx.insert("briefing", &briefing_view(site, cards, *id)),
            Job::Actors => ctx.insert("groups", &actor_groups(site)),
            Job::Actor(id, n) => insert_actor(site, *id, *n, ctx),
            Job::Topics => {
                let topics: Vec<TopicView> =
                    site.topics.iter().map(|t| topic_view(site, t)).collect();
                ctx.insert("topics", &topics);
            }
            Job::Topic(id, n) => {
                let t = site.topic(*id);
                let mut view = topic_view(site, t);
                if *n == PageNumber::FIRST {
                    (view.strip_chart, view.months_chart) = charts::topic_charts(site, t);
                }
                ctx.insert("topic", &view);
            }
            Job::Archive => ctx.insert("years", &archive_summary(site)),
            Job::ArchiveYear(year) => ctx.insert("year", &archive_year(site, cards, *year)),
            Job::Timeline => ctx.insert("timeline", &timeline_view(site, &self.timeline_years)),
            Job::TimelineYear(i) => insert_timeline_year(site, &self.timeline_years, *i, ctx),
            Job::Sources => {
                let counts = self.document_counts.get_or_init(|| document_counts(site));
                let publishers: Vec<PublisherView> = publishers_by_count(site)
                    .into_iter()
                    .map(|id| {
                        let p = site.publisher(id);
                        let count = counts[id.index()];
                        publisher_view(
                            site,
                            cards,
                            p,
                            count,
                            SOURCES_RECENT,
                            PublisherDetail::Counts,
                        )
                    })
                    .collect();
                ctx.insert("publishers", &publishers);
            }
            Job::Publisher(id, n) => {
                let p = site.publisher(*id);
                let count = self.document_counts.get_or_init(|| document_counts(site))[id.index()];
                let detail = if *n == PageNumber::FIRST {
                    PublisherDetail::Documents
                } else {
                    PublisherDetail::Counts
                };
                ctx.insert(
                    "publisher",
                    &publisher_view(site, cards, p, count, 0, detail),
                );
            }
            Job::Page(id) => ctx.insert("page", &page_view(site, *id)),
            Job::Corrections => ctx.insert("corrections", &corrections(site)),
            Job::Search => {
                let recent: Vec<Card> = site
                    .briefing_ids()
                    .take(SEARCH_RECENT)
                    .map(|id| cards.get(site, id))
                    .collect();
                ctx.insert("recent", &recent);
            }
            Job::NotFound => {}
        }
    }
}

/// An actor's page `n`: the actor (in full on the first page only) and
/// its part in each briefing of the page (the paginator has the briefings).
fn insert_actor(site: &Site, id: ActorId, n: PageNumber, ctx: &mut templates::Context) {
    let a = site.actor(id);
    let detail = if n == PageNumber::FIRST {
        ActorDetail::Full
    } else {
        ActorDetail::Card
    };
    ctx.insert("actor", &actor_view(site, a, detail));
    ctx.insert("roles", &roles_in_briefings(site, id, n));
}

/// Year `i` of the timeline (newest first), with links to the years
/// either side.
fn insert_timeline_year(
    site: &Site,
    timeline: &[TimelineYear],
    i: usize,
    ctx: &mut templates::Context,
) {
    let base = &site.config.base_url;
    ctx.insert("year", &year_events(site, &timeline[i]));
    // Years are newest first: "previous" is the older year.
    let older = timeline.get(i + 1);
    let newer = i.checked_sub(1).map(|j| &timeline[j]);
    let link = |y: &TimelineYear| base.link(&routes::timeline_year(y.year));
    ctx.insert("previous_url", &older.map(link));
    ctx.insert("next_url", &newer.map(link));
    ctx.insert("previous_year", &older.map(|y| y.year));
    ctx.insert("next_year", &newer.map(|y| y.year));
}

/// What every page says about itself: its link-preview meta, its path, the
/// section it belongs to and its canonical URL.
fn insert_about_page(site: &Site, job: &Job, path: &str, ctx: &mut templates::Context) {
    ctx.insert("meta", &page_meta(site, job));
    ctx.insert("current_path", path);
    ctx.insert("section", routes::section(path));
    // The 404 page is served at any address, so it names no canonical URL.
    let canonical = if path == routes::NOT_FOUND {
        String::new()
    } else {
        site.config.base_url.permalink(path)
    };
    ctx.insert("canonical", &canonical);
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
    /// The page's picture for link previews (`og:image`): a briefing's lead
    /// image, a profile's portrait or emblem, a page's image.
    image: Option<images::ImageView>,
}

fn page_meta<'a>(site: &'a Site, job: &Job) -> PageMeta<'a> {
    let site_meta = PageMeta {
        title: &site.config.title,
        description: &site.config.description,
        r#type: "website",
        published: None,
        modified: None,
        image: None,
    };
    // Link previews show raster pictures only: no network shows an SVG.
    let image = |image: &Option<crate::resolve::Image>| {
        image
            .as_ref()
            .filter(|i| {
                crate::media::Format::from_path(std::path::Path::new(&i.picture.path))
                    != Some(crate::media::Format::Svg)
            })
            .map(|i| images::ImageView::of(site, i))
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
                image: image(&b.image),
            }
        }
        Job::Actor(id, _) => {
            let a = site.actor(*id);
            PageMeta {
                title: &a.label,
                description: a.role.as_deref().unwrap_or(""),
                r#type: if a.kind == crate::load::document::ActorKind::Person {
                    "profile"
                } else {
                    "website"
                },
                image: image(&a.image),
                ..site_meta
            }
        }
        Job::Topic(id, _) => {
            let t = site.topic(*id);
            PageMeta {
                title: &t.name,
                description: t.description.as_deref().unwrap_or(""),
                image: image(&t.image),
                ..site_meta
            }
        }
        Job::Page(id) => {
            let p = site.page(*id);
            PageMeta {
                title: &p.title,
                description: p.summary.as_deref().unwrap_or(""),
                image: image(&p.image),
                ..site_meta
            }
        }
        _ => site_meta,
    }
}

/// An HTML page at the site path `path`, as an output file.
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
        Job::Actor(id, n) => ("actor.html", routes::paged(&site.actor(*id).path, *n)),
        Job::Topics => ("topics.html", routes::topics()),
        Job::Topic(id, n) => ("topic.html", routes::paged(&site.topic(*id).path, *n)),
        Job::Archive => ("archive.html", routes::archive()),
        Job::ArchiveYear(year) => ("archive_year.html", routes::archive_year(*year)),
        Job::Timeline => ("timeline.html", routes::timeline()),
        Job::TimelineYear(i) => (
            "timeline_year.html",
            routes::timeline_year(timeline[*i].year),
        ),
        Job::Sources => ("sources.html", routes::sources()),
        Job::Publisher(id, n) => (
            "publisher.html",
            routes::paged(&site.publisher(*id).path, *n),
        ),
        Job::Page(id) => ("page.html", site.page(*id).path.clone()),
        Job::Corrections => ("corrections.html", routes::corrections()),
        Job::Search => ("search.html", routes::search()),
        Job::NotFound => ("404.html", routes::NOT_FOUND.to_string()),
    }
}
