//! Files made without templates: feeds, the sitemap, redirects, and the
//! static files of the theme and the site.

use super::lists::TimelineYear;
use super::theme::{self, Theme};
use super::{
    Contents, Job, OutputFile, Plan, html_file, job_template_and_path, jsonfeed, search, xml,
};
use crate::dates::DateTime;
use crate::diagnostics::Diagnostics;
use crate::resolve::{ActorId, BriefingId, Site, TopicId};
use crate::routes::{self, PageNumber};
use std::collections::BTreeMap;
use std::path::Path;

/// Feeds, the search index, sitemaps, robots.txt, redirects and the code
/// stylesheet: everything written without templates, as `serve` holds
/// it: each Atom feed (one per actor and topic) by its path, made when it
/// is asked for, and the other files made.
pub fn machine_files(site: &Site, plan: &Plan) -> (Vec<(String, FeedFile)>, Vec<OutputFile>) {
    let feeds = Feed::all(site)
        .into_iter()
        .map(|feed| (feed.path(site), FeedFile(feed)))
        .collect();
    (feeds, files_but_feeds(site, plan))
}

/// An Atom feed of a site, made when it is asked for.
#[derive(Debug, Clone, Copy)]
pub struct FeedFile(Feed);

impl FeedFile {
    pub fn render(self, site: &Site) -> OutputFile {
        self.0.render(site)
    }
}

/// `machine_files` without the Atom feeds (which `Feed` makes one by one).
pub(super) fn files_but_feeds(site: &Site, plan: &Plan) -> Vec<OutputFile> {
    let mut files = vec![jsonfeed::feed(site)];
    files.extend(search::index(site));
    files.extend(xml::sitemaps(
        site,
        &sitemap_urls(site, plan),
        xml::SITEMAP_LIMIT,
    ));
    files.push(OutputFile {
        path: routes::ROBOTS.into(),
        contents: Contents::Bytes(
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                site.config.base_url.permalink(routes::SITEMAP)
            )
            .into_bytes(),
        ),
    });
    files.extend(redirects(site));
    files.push(OutputFile {
        path: routes::SYNTAX_CSS.into(),
        contents: Contents::Bytes(crate::markdown::highlight::stylesheet().into_bytes()),
    });
    files
}

/// An Atom feed: the site's (whole bodies), or an actor's or a topic's
/// (summaries of its briefings). Each is made when it is written, so an
/// archive's tens of thousands of feeds are never all in memory.
#[derive(Debug, Clone, Copy)]
pub(super) enum Feed {
    Site,
    Actor(ActorId),
    Topic(TopicId),
}

impl Feed {
    /// Every feed of the site.
    pub(super) fn all(site: &Site) -> Vec<Feed> {
        std::iter::once(Feed::Site)
            .chain(site.actor_ids().map(Feed::Actor))
            .chain(site.topic_ids().map(Feed::Topic))
            .collect()
    }

    /// The site path of the page the feed mirrors.
    fn page_path(self, site: &Site) -> &str {
        match self {
            Feed::Site => routes::HOME,
            Feed::Actor(id) => &site.actor(id).path,
            Feed::Topic(id) => &site.topic(id).path,
        }
    }

    /// The feed file's site path.
    pub(super) fn path(self, site: &Site) -> String {
        routes::feed(self.page_path(site))
    }

    pub(super) fn render(self, site: &Site) -> OutputFile {
        let all: Vec<BriefingId>;
        let (title, briefings, content) = match self {
            Feed::Site => {
                all = site.briefing_ids().collect();
                (site.config.title.clone(), &all[..], xml::FeedContent::Full)
            }
            Feed::Actor(id) => {
                let a = site.actor(id);
                let title = format!("{}: {}", site.config.title, a.name);
                (title, &a.briefings[..], xml::FeedContent::Summary)
            }
            Feed::Topic(id) => {
                let t = site.topic(id);
                let title = format!("{}: {}", site.config.title, t.name);
                (title, &t.briefings[..], xml::FeedContent::Summary)
            }
        };
        let spec = xml::FeedSpec {
            path: self.path(site),
            page_path: self.page_path(site),
            title,
            briefings,
            content,
        };
        OutputFile {
            contents: Contents::Bytes(xml::atom(site, &spec)),
            path: spec.path,
        }
    }
}

/// A small page at each old URL that sends the reader (and search engines,
/// through the canonical link) to the new one, plus a `_redirects` file in
/// the format Netlify and Cloudflare Pages read, for real 301s.
pub(super) fn redirects(site: &Site) -> Vec<OutputFile> {
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
    for r in site.redirects.iter() {
        lines.push_str(&format!(
            "{} {} 301\n",
            base.link(&url_path(&r.from)),
            base.link(&url_path(&r.to))
        ));
    }
    files.push(OutputFile {
        path: routes::REDIRECTS.into(),
        contents: Contents::Bytes(lines.into_bytes()),
    });
    files
}

/// A site path as it appears in a URL: each byte outside the letters, digits
/// and `- _ . ~ /` percent-encoded (`café/` -> `caf%C3%A9/`), so no space or
/// line break can reach a line of `_redirects`.
fn url_path(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

/// Every page of the plan but the 404 (served at any address, it has no
/// URL of its own), with its last change where known.
pub(super) fn sitemap_urls(site: &Site, plan: &Plan) -> Vec<xml::SitemapUrl> {
    plan.jobs
        .iter()
        .filter(|job| !matches!(job, Job::NotFound))
        .map(|job| xml::SitemapUrl {
            path: job_template_and_path(site, &plan.timeline_years, job).1,
            lastmod: lastmod(site, &plan.timeline_years, job),
        })
        .collect()
}

/// When the page of `job` last changed, as its briefings tell: the newest
/// of those it lists, or of all for a section's front page.
fn lastmod(site: &Site, timeline: &[TimelineYear], job: &Job) -> Option<DateTime> {
    let all = || site.briefings.iter().map(|b| b.last_modified()).max();
    match job {
        Job::Home(PageNumber::FIRST)
        | Job::Actors
        | Job::Topics
        | Job::Archive
        | Job::Timeline
        | Job::Sources
        | Job::Corrections => all(),
        Job::Home(_) | Job::Actor(..) | Job::Topic(..) | Job::Publisher(..) => {
            let (list, n) = job.listing().expect("a list page");
            newest(site, &list.page(site, n))
        }
        Job::Briefing(id) => Some(site.briefing(*id).last_modified()),
        Job::ArchiveYear(year) => site
            .briefings
            .iter()
            .filter(|b| b.date.date.year() == *year)
            .map(|b| b.last_modified())
            .max(),
        Job::TimelineYear(i) => {
            let events = &site.timeline[timeline[*i].events.clone()];
            newest(site, &events.iter().map(|e| e.briefing).collect::<Vec<_>>())
        }
        Job::Search | Job::Page(_) | Job::NotFound => None,
    }
}

/// The newest last change among `ids`.
fn newest(site: &Site, ids: &[BriefingId]) -> Option<DateTime> {
    ids.iter()
        .map(|id| site.briefing(*id).last_modified())
        .max()
}

/// attache's scripts, the theme's static files, then the site's `static/`
/// (each later one wins).
pub(super) fn static_files(
    theme: &Theme,
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut files: BTreeMap<String, Contents> = BTreeMap::new();
    // The scripts come with attache whatever the theme; a theme or the site
    // may still replace them.
    for (name, bytes) in theme::SCRIPTS {
        files.insert(name.to_string(), Contents::Bytes(bytes.to_vec()));
    }
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

pub(super) fn collect_static(
    dir: &Path,
    files: &mut BTreeMap<String, Contents>,
    diagnostics: &mut Diagnostics,
    root: &Path,
) {
    for found in crate::input::walk(root, dir, |_| true, diagnostics) {
        let Some(name) = crate::paths::slash_relative(dir, &found.path) else {
            continue;
        };
        files.insert(name, Contents::Copy(found.source));
    }
}
