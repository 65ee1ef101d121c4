//! Machine-readable outputs written with an XML writer rather than
//! templates, so they are well-formed whatever the content: Atom feeds, the
//! sitemap, and the charts' SVG ([`Svg`]).

use crate::dates::DateTime;
use crate::resolve::{BriefingId, Site};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::Cursor;

type Xml = Writer<Cursor<Vec<u8>>>;

/// What a feed is about: the whole site, one actor or one topic.
pub struct FeedSpec<'a> {
    /// Site path of the feed file, `feed.xml` or `actors/slug/feed.xml`.
    pub path: String,
    /// Site path of the HTML page the feed mirrors.
    pub page_path: &'a str,
    pub title: String,
    /// Briefings, newest first; only the first `limit` are used.
    pub briefings: &'a [BriefingId],
    pub content: FeedContent,
}

/// What a feed's entries carry besides their summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedContent {
    /// The summary only (an actor's or a topic's feed).
    Summary,
    /// The whole body too (the site's feed).
    Full,
}

fn text(w: &mut Xml, name: &str, value: &str) {
    w.create_element(name)
        .write_text_content(BytesText::new(value))
        .expect("writing to memory");
}

fn link(w: &mut Xml, rel: &str, href: &str, kind: Option<&str>) {
    let mut e = w
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("href", href));
    if let Some(kind) = kind {
        e = e.with_attribute(("type", kind));
    }
    e.write_empty().expect("writing to memory");
}

/// An Atom (RFC 4287) feed. `updated` is the newest entry's last change,
/// never the build time, so an unchanged site gives an unchanged feed.
pub fn atom(site: &Site, spec: &FeedSpec) -> Vec<u8> {
    let base = &site.config.base_url;
    let entries: Vec<BriefingId> = spec
        .briefings
        .iter()
        .take(site.config.feed_limit)
        .copied()
        .collect();
    let updated = entries
        .iter()
        .map(|id| site.briefing(*id).last_modified())
        .max()
        .or_else(|| site.briefings.first().map(|b| b.last_modified()));
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .expect("writing to memory");
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", site.config.language.as_str()))
        .write_inner_content(|w| {
            text(w, "title", &spec.title);
            if !site.config.description.is_empty() && spec.page_path.is_empty() {
                text(w, "subtitle", &site.config.description);
            }
            let self_url = base.permalink(&spec.path);
            text(w, "id", &self_url);
            link(w, "self", &self_url, Some("application/atom+xml"));
            link(
                w,
                "alternate",
                &base.permalink(spec.page_path),
                Some("text/html"),
            );
            text(w, "updated", &updated.map_or_else(epoch, |d| d.rfc3339()));
            w.create_element("author").write_inner_content(|w| {
                text(w, "name", &site.config.title);
                Ok(())
            })?;
            w.create_element("generator")
                .with_attribute(("uri", "https://crates.io/crates/attache"))
                .write_text_content(BytesText::new("attache"))?;
            for id in &entries {
                entry(w, site, *id, spec.content);
            }
            Ok(())
        })
        .expect("writing to memory");
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

fn epoch() -> String {
    "1970-01-01T00:00:00Z".to_string()
}

fn entry(w: &mut Xml, site: &Site, id: BriefingId, content: FeedContent) {
    let base = &site.config.base_url;
    let b = site.briefing(id);
    w.create_element("entry")
        .write_inner_content(|w| {
            let url = base.permalink(&b.path);
            text(w, "title", &b.title);
            text(w, "id", &url);
            link(w, "alternate", &url, Some("text/html"));
            text(w, "published", &b.date.rfc3339());
            text(w, "updated", &b.last_modified().rfc3339());
            for author in &b.authors {
                w.create_element("author").write_inner_content(|w| {
                    text(w, "name", author);
                    Ok(())
                })?;
            }
            for t in &b.topics {
                let topic = site.topic(*t);
                w.create_element("category")
                    .with_attribute(("term", topic.slug.as_str()))
                    .with_attribute(("label", topic.name.as_str()))
                    .write_empty()?;
            }
            if !b.summary.is_empty() {
                text(w, "summary", &b.summary);
            }
            if content == FeedContent::Full {
                w.create_element("content")
                    .with_attribute(("type", "html"))
                    .write_text_content(BytesText::new(&b.body.html()))?;
            }
            Ok(())
        })
        .expect("writing to memory");
}

/// One URL of the sitemap.
pub struct SitemapUrl {
    pub path: String,
    pub lastmod: Option<DateTime>,
}

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml`: one `urlset`, or past `SITEMAP_LIMIT` URLs a
/// `sitemapindex` of `sitemap-1.xml`, `sitemap-2.xml`, ...
pub fn sitemaps(site: &Site, urls: &[SitemapUrl], limit: usize) -> Vec<super::OutputFile> {
    use super::{Contents, OutputFile};
    if urls.len() <= limit {
        return vec![OutputFile {
            path: crate::routes::SITEMAP.into(),
            contents: Contents::Bytes(sitemap(site, urls)),
        }];
    }
    let base = &site.config.base_url;
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (i, chunk) in urls.chunks(limit.max(1)).enumerate() {
        let path = crate::routes::sitemap_part(i + 1);
        let lastmod = chunk.iter().filter_map(|u| u.lastmod).max();
        parts.push((base.permalink(&path), lastmod));
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(sitemap(site, chunk)),
        });
    }
    files.push(OutputFile {
        path: crate::routes::SITEMAP.into(),
        contents: Contents::Bytes(sitemap_xml("sitemapindex", "sitemap", &parts)),
    });
    files
}

/// A sitemaps.org `urlset` with absolute URLs.
pub fn sitemap(site: &Site, urls: &[SitemapUrl]) -> Vec<u8> {
    let base = &site.config.base_url;
    let entries: Vec<(String, Option<DateTime>)> = urls
        .iter()
        .map(|u| (base.permalink(&u.path), u.lastmod))
        .collect();
    sitemap_xml("urlset", "url", &entries)
}

/// A sitemaps.org document: `root` (`urlset` or `sitemapindex`) holding one
/// `entry` (`url` or `sitemap`) per absolute URL, with its `lastmod`.
fn sitemap_xml(root: &str, entry: &str, entries: &[(String, Option<DateTime>)]) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    w.create_element(root)
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for (loc, lastmod) in entries {
                w.create_element(entry).write_inner_content(|w| {
                    text(w, "loc", loc);
                    if let Some(d) = lastmod {
                        text(w, "lastmod", &d.date.to_string());
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
        .expect("writing to memory");
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

// SVG for the charts ----------------------------------------------------

/// A number as an attribute value: rounded to one decimal, without a
/// trailing `.0` and never `-0`. Callers keep their arithmetic finite (no
/// division by a zero count); a NaN or infinity would be a bug, and is
/// written as `0` rather than break the picture.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        debug_assert!(false, "a chart coordinate is {v}");
        return "0".to_string();
    }
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

/// Attributes of one element; numbers are written with [`num`].
pub type Attrs<'a> = &'a [(&'a str, Value<'a>)];

/// An attribute value.
pub enum Value<'a> {
    Text(&'a str),
    Num(f64),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::Num(v)
    }
}

pub struct Svg {
    w: Writer<Vec<u8>>,
}

fn element<'a>(name: &'a str, attrs: Attrs) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        match v {
            Value::Text(s) => e.push_attribute((*k, *s)),
            Value::Num(n) => e.push_attribute((*k, num(*n).as_str())),
        }
    }
    e
}

impl Svg {
    /// An `<svg>` of `width` x `height` user units, with `role`, whose
    /// `<title>` and `<desc>` (ids `{id}-title`, `{id}-desc`) name it.
    pub fn new(
        id: &str,
        class: &str,
        role: &str,
        size: (f64, f64),
        title: &str,
        desc: &str,
    ) -> Svg {
        let mut svg = Svg {
            w: Writer::new(Vec::with_capacity(4096)),
        };
        let view_box = format!("0 0 {} {}", num(size.0), num(size.1));
        let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
        let labelled_by = format!("{title_id} {desc_id}");
        svg.start(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg".into()),
                ("class", class.into()),
                ("viewBox", view_box.as_str().into()),
                ("role", role.into()),
                ("aria-labelledby", labelled_by.as_str().into()),
            ],
        );
        svg.text("title", &[("id", title_id.as_str().into())], title);
        svg.text("desc", &[("id", desc_id.as_str().into())], desc);
        svg
    }

    fn write(&mut self, event: Event) {
        self.w.write_event(event).expect("writing to memory");
    }

    pub fn start(&mut self, name: &str, attrs: Attrs) {
        self.write(Event::Start(element(name, attrs)));
    }

    pub fn end(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// An element with no content: `<circle .../>`.
    pub fn empty(&mut self, name: &str, attrs: Attrs) {
        self.write(Event::Empty(element(name, attrs)));
    }

    /// An element holding `text`.
    pub fn text(&mut self, name: &str, attrs: Attrs, text: &str) {
        self.start(name, attrs);
        self.write(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    pub fn finish(mut self) -> String {
        self.end("svg");
        String::from_utf8(self.w.into_inner()).expect("the writer was given only strings")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::Contents;

    fn empty_site() -> Site {
        let highlighter = crate::markdown::highlight::Highlighter::new();
        let (site, _, _) = crate::resolve::resolve(
            crate::config::Config::default(),
            crate::load::Content::default(),
            crate::resolve::Options::default(),
            &highlighter,
        );
        site
    }

    fn text_of(c: &Contents) -> String {
        match c {
            Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            Contents::Copy(_) => unreachable!("sitemaps are generated"),
        }
    }

    #[test]
    fn many_urls_make_a_sitemap_index() {
        let site = empty_site();
        let urls: Vec<SitemapUrl> = ["a/", "b/", "c/"]
            .iter()
            .map(|p| SitemapUrl {
                path: p.to_string(),
                lastmod: None,
            })
            .collect();
        let one = sitemaps(&site, &urls, 3);
        assert_eq!(one.len(), 1);
        assert!(text_of(&one[0].contents).contains("<urlset"));
        let split = sitemaps(&site, &urls, 2);
        let paths: Vec<&str> = split.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        let index = text_of(&split[2].contents);
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<loc>http://localhost/sitemap-2.xml</loc>"));
        assert!(text_of(&split[1].contents).contains("<loc>http://localhost/c/</loc>"));
    }

    #[test]
    fn numbers_have_one_decimal_at_most_and_no_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-2.46), "-2.5");
        assert_eq!(num(0.05), "0.1");
        assert_eq!(num(123.04), "123");
    }

    #[test]
    fn names_are_escaped_in_text_and_attributes() {
        let mut svg = Svg::new("c", "k", "img", (10.0, 10.0), "<a & \"b\">", "d");
        svg.text("text", &[("data-x", "\"><script>".into())], "</svg><b>&");
        let out = svg.finish();
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("</svg><b>"), "{out}");
        assert!(out.contains("&lt;a &amp; &quot;b&quot;&gt;"), "{out}");
    }
}
