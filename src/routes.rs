//! Every output path of a site: where each kind of page, each page of a
//! list, each feed, the search index, the sitemaps, `_redirects` and the
//! other generated files are written, and which first segments of a path
//! attache keeps for itself.
//!
//! The invariant: no other module spells a URL shape. A module that needs
//! the path of an actor, a year of the archive or page 3 of a topic asks
//! here, so adding a page kind or a prefix to every path touches this file
//! (and a template), nothing else.
//!
//! Paths are site paths: relative to the site's root, with no leading `/`;
//! a page's path ends with `/` (it is written to `index.html` inside it,
//! see [`html_file`]), a file's path names the file. `config::BaseUrl`
//! turns a site path into a link or a permalink.

const ACTORS: &str = "actors";
const ARCHIVE: &str = "archive";
const BRIEFINGS: &str = "briefings";
const CORRECTIONS: &str = "corrections";
const MEDIA: &str = "media";
const PAGE: &str = "page";
const SEARCH: &str = "search";
const SOURCES: &str = "sources";
const TIMELINE: &str = "timeline";
const TOPICS: &str = "topics";
/// Reserved, though attache writes nothing under it today (the theme's and
/// the site's static files are copied to the root).
const STATIC: &str = "static";

/// The site's Atom feed, and the name of every actor's and topic's feed.
pub const FEED: &str = "feed.xml";
pub const JSON_FEED: &str = "feed.json";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
pub const SYNTAX_CSS: &str = "syntax.css";
pub const SEARCH_INDEX: &str = "search-index.json";
/// Redirect rules in the format Netlify and Cloudflare Pages read.
pub const REDIRECTS: &str = "_redirects";

/// First path segments that belong to attache's own pages and files; a
/// standalone page may not take one as its slug, nor an alias live under
/// one (but `briefings/`). Built from the names above; the test
/// `every_route_is_reserved` checks that every route starts with one, but
/// for the files named in [`LEFT_TO_OWNERSHIP`].
pub const RESERVED_SLUGS: &[&str] = &[
    ACTORS,
    ARCHIVE,
    BRIEFINGS,
    CORRECTIONS,
    MEDIA,
    PAGE,
    SEARCH,
    SOURCES,
    STATIC,
    TIMELINE,
    TOPICS,
    FEED,
    JSON_FEED,
    SITEMAP,
    ROBOTS,
    NOT_FOUND,
    SYNTAX_CSS,
];

/// Files attache writes at the root whose names are not reserved: a page
/// or an alias that takes one is refused by the check of who owns each
/// output file (`render::owners`), which names the conflict.
pub const LEFT_TO_OWNERSHIP: &[&str] = &[SEARCH_INDEX, REDIRECTS, "sitemap-N.xml"];

/// Whether `segment`, the first segment of a path, is one of
/// [`RESERVED_SLUGS`].
pub fn is_reserved(segment: &str) -> bool {
    RESERVED_SLUGS.contains(&segment)
}

/// Whether an alias may live under `segment`: old briefing URLs often did.
pub fn alias_may_use(segment: &str) -> bool {
    segment == BRIEFINGS || !is_reserved(segment)
}

/// The home page (the first page of the list of every briefing).
pub const HOME: &str = "";

/// A briefing: `briefings/2023/visit/`.
pub fn briefing(year: i16, slug: &str) -> String {
    format!("{BRIEFINGS}/{year}/{slug}/")
}

/// An actor's page: `actors/kim/`.
pub fn actor(slug: &str) -> String {
    format!("{ACTORS}/{slug}/")
}

/// A topic's page: `topics/trade/`.
pub fn topic(slug: &str) -> String {
    format!("{TOPICS}/{slug}/")
}

/// A publisher's page: `sources/reuters/`.
pub fn publisher(slug: &str) -> String {
    format!("{SOURCES}/{slug}/")
}

/// A standalone page: `about/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Page `n` of a list whose first page is at `first`:
/// `actors/kim/page/2/`.
pub fn paged(first: &str, n: PageNumber) -> String {
    if n == PageNumber::FIRST {
        first.to_string()
    } else {
        format!("{first}{PAGE}/{}/", n.get())
    }
}

/// One page of a paginated list, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageNumber(std::num::NonZeroUsize);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(std::num::NonZeroUsize::MIN);

    /// Page `n`; `None` for 0.
    pub fn new(n: usize) -> Option<PageNumber> {
        std::num::NonZeroUsize::new(n).map(PageNumber)
    }

    pub fn get(self) -> usize {
        self.0.get()
    }

    /// How many pages a list of `items` takes, `per_page` to a page: at
    /// least one, so an empty list still has its first page.
    pub fn count(items: usize, per_page: usize) -> usize {
        items.div_ceil(per_page.max(1)).max(1)
    }

    /// Every page of a list of `items`, `per_page` to a page.
    pub fn all(items: usize, per_page: usize) -> impl Iterator<Item = PageNumber> {
        (1..=PageNumber::count(items, per_page)).filter_map(PageNumber::new)
    }

    /// The page before, if this is not the first.
    pub fn previous(self) -> Option<PageNumber> {
        PageNumber::new(self.get() - 1)
    }

    /// The page after.
    pub fn next(self) -> PageNumber {
        PageNumber(self.0.saturating_add(1))
    }

    /// What this page shows of `all`, `per_page` to a page (empty past the
    /// end).
    pub fn items<T>(self, all: &[T], per_page: usize) -> &[T] {
        let start = (self.get() - 1).saturating_mul(per_page).min(all.len());
        let end = start.saturating_add(per_page).min(all.len());
        &all[start..end]
    }
}

/// The list of every actor.
pub fn actors() -> String {
    format!("{ACTORS}/")
}

/// The list of every topic.
pub fn topics() -> String {
    format!("{TOPICS}/")
}

/// The archive: every year.
pub fn archive() -> String {
    format!("{ARCHIVE}/")
}

/// One year of the archive: `archive/2023/`.
pub fn archive_year(year: i16) -> String {
    format!("{ARCHIVE}/{year}/")
}

/// One month inside a year of the archive: `archive/2023/#m11`.
pub fn archive_month(year: i16, month: i8) -> String {
    format!("{}#m{month:02}", archive_year(year))
}

/// The timeline of events.
pub fn timeline() -> String {
    format!("{TIMELINE}/")
}

/// One year of the timeline: `timeline/2023/`.
pub fn timeline_year(year: i16) -> String {
    format!("{TIMELINE}/{year}/")
}

/// The list of publishers.
pub fn sources() -> String {
    format!("{SOURCES}/")
}

/// Every correction.
pub fn corrections() -> String {
    format!("{CORRECTIONS}/")
}

/// A published image file (a figure's variant, named by `media::variants`
/// with its fingerprint): `media/launches.3f2a9c01be.960.webp`.
pub fn media_file(name: &str) -> String {
    format!("{MEDIA}/{name}")
}

/// The search page.
pub fn search() -> String {
    format!("{SEARCH}/")
}

/// Part `n` (from 1) of the search index beyond its first: `search/1.json`.
pub fn search_shard(n: usize) -> String {
    format!("{SEARCH}/{n}.json")
}

/// Part `n` (from 1) of a sitemap too large for one file: `sitemap-1.xml`.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The Atom feed of the list at `page_path`: `feed.xml` for the home page,
/// `actors/kim/feed.xml` for an actor.
pub fn feed(page_path: &str) -> String {
    format!("{page_path}{FEED}")
}

/// The file a page path is written to: `x/` -> `x/index.html`, the home
/// page to `index.html`, and a path naming an `.html` file to that file.
pub fn html_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_string()
    } else if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// The section a page belongs to, for the navigation's current item:
/// `home` (for every page of the home list), `briefings`, `actors`,
/// `topics`, `timeline`, `sources`, `archive`, or a standalone page's slug.
pub fn section(path: &str) -> &str {
    match path.split('/').next() {
        None | Some("") | Some(PAGE) => "home",
        Some(first) => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(n: usize) -> PageNumber {
        PageNumber::new(n).unwrap()
    }

    /// One path of every shape this module makes.
    fn every_route() -> Vec<String> {
        vec![
            briefing(2023, "x"),
            actor("x"),
            topic("x"),
            publisher("x"),
            paged(HOME, n(2)),
            actors(),
            topics(),
            archive(),
            archive_year(2023),
            archive_month(2023, 1),
            timeline(),
            timeline_year(2023),
            sources(),
            corrections(),
            media_file("x.0123456789.480.jpg"),
            search(),
            search_shard(1),
            sitemap_part(1),
            feed(HOME),
            JSON_FEED.into(),
            SITEMAP.into(),
            ROBOTS.into(),
            NOT_FOUND.into(),
            SYNTAX_CSS.into(),
            SEARCH_INDEX.into(),
            REDIRECTS.into(),
        ]
    }

    #[test]
    fn every_route_is_reserved() {
        for path in every_route() {
            let first = path.split('/').next().unwrap();
            let sitemap_part = first == sitemap_part(1);
            let left = LEFT_TO_OWNERSHIP.contains(&first) || sitemap_part;
            assert!(
                is_reserved(first) != left,
                "{path}: reserved and left to ownership must be exactly one"
            );
        }
        // A standalone page is the one route in the open.
        assert!(!is_reserved(page("about").trim_end_matches('/')));
    }

    #[test]
    fn every_reserved_segment_is_a_route() {
        let firsts: Vec<String> = every_route()
            .iter()
            .map(|p| p.split('/').next().unwrap().to_string())
            .collect();
        for slug in RESERVED_SLUGS {
            assert!(
                *slug == STATIC || firsts.iter().any(|f| f == slug),
                "{slug} is reserved but no route uses it"
            );
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(briefing(2023, "visit"), "briefings/2023/visit/");
        assert_eq!(paged(&actor("kim"), n(1)), "actors/kim/");
        assert_eq!(paged(&actor("kim"), n(2)), "actors/kim/page/2/");
        assert_eq!(paged(HOME, n(3)), "page/3/");
        assert_eq!(feed(&topic("trade")), "topics/trade/feed.xml");
        assert_eq!(archive_month(2023, 3), "archive/2023/#m03");
        assert_eq!(html_file(HOME), "index.html");
        assert_eq!(html_file("about/"), "about/index.html");
        assert_eq!(html_file(NOT_FOUND), "404.html");
        assert_eq!(section(&paged(HOME, n(2))), "home");
        assert_eq!(section(&actor("kim")), "actors");
        assert!(alias_may_use("briefings") && !alias_may_use("actors"));
    }

    #[test]
    fn page_numbers_count_from_one_and_slice_their_items() {
        assert_eq!(PageNumber::new(0), None);
        assert_eq!(PageNumber::count(0, 20), 1);
        assert_eq!(PageNumber::count(41, 20), 3);
        let pages: Vec<usize> = PageNumber::all(41, 20).map(PageNumber::get).collect();
        assert_eq!(pages, [1, 2, 3]);
        let items: Vec<u32> = (0..41).collect();
        assert_eq!(n(1).items(&items, 20), &items[..20]);
        assert_eq!(n(3).items(&items, 20), [40]);
        assert!(n(4).items(&items, 20).is_empty());
        assert_eq!(n(1).previous(), None);
        assert_eq!(n(2).previous(), Some(n(1)));
        assert_eq!(n(2).next(), n(3));
    }
}
