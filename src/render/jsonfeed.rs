//! JSON Feed 1.1 (`/feed.json`), with the actors and topics of each item
//! in the `_actors` and `_topics` extensions.

use super::{Contents, OutputFile};
use crate::resolve::Site;
use serde_json::json;

pub fn feed(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    let items: Vec<serde_json::Value> = site
        .briefings
        .iter()
        .take(site.config.feed_limit)
        .map(|b| {
            let url = base.permalink(&b.path);
            let mut item = json!({
                "id": url,
                "url": url,
                "title": b.title,
                "content_html": b.body.html(),
                "date_published": b.date.rfc3339(),
                "date_modified": b.last_modified().rfc3339(),
                "tags": b.topics.iter().map(|t| site.topic(*t).name.as_str()).collect::<Vec<_>>(),
                "_actors": b.actors.iter().map(|m| {
                    let a = site.actor(m.actor);
                    json!({"name": a.name, "url": base.permalink(&a.path), "kind": a.kind.as_str()})
                }).collect::<Vec<_>>(),
                "_topics": b.topics.iter().map(|t| {
                    let t = site.topic(*t);
                    json!({"name": t.name, "url": base.permalink(&t.path)})
                }).collect::<Vec<_>>(),
            });
            if !b.summary.is_empty() {
                item["summary"] = json!(b.summary);
            }
            if !b.authors.is_empty() {
                item["authors"] = b.authors.iter().map(|a| json!({"name": a})).collect();
            }
            if let Some(image) = &b.image {
                item["image"] = json!(base.permalink(&image.picture.path));
            }
            item
        })
        .collect();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.config.title,
        "home_page_url": base.absolute(),
        "feed_url": base.permalink(crate::routes::JSON_FEED),
        "language": site.config.language,
        "items": items,
    });
    if !site.config.description.is_empty() {
        feed["description"] = json!(site.config.description);
    }
    let mut bytes = serde_json::to_vec_pretty(&feed).expect("JSON values serialize");
    bytes.push(b'\n');
    OutputFile {
        path: crate::routes::JSON_FEED.to_string(),
        contents: Contents::Bytes(bytes),
    }
}
