//! Machine-readable outputs written with an XML writer rather than
//! templates, so they are well-formed whatever the content: Atom feeds and
//! the sitemap.

use crate::dates::DateTime;
use crate::resolve::{BriefingId, Site};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
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
    /// Whether entries carry the full body (the site feed) or the summary.
    pub full_content: bool,
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
                entry(w, site, *id, spec.full_content);
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

fn entry(w: &mut Xml, site: &Site, id: BriefingId, full_content: bool) {
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
            if full_content {
                w.create_element("content")
                    .with_attribute(("type", "html"))
                    .write_text_content(BytesText::new(&b.body.html))?;
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

/// A sitemaps.org `urlset` with absolute URLs.
pub fn sitemap(site: &Site, urls: &[SitemapUrl]) -> Vec<u8> {
    let base = &site.config.base_url;
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    w.create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for u in urls {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &base.permalink(&u.path));
                    if let Some(d) = &u.lastmod {
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
