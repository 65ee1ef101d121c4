//! Atom feeds parse as Atom with the required elements, and the sitemap is
//! a valid sitemaps.org urlset (checked against the schema with xmllint).

mod common;
use common::*;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::path::Path;

/// The element paths (`feed/entry/id`) and their texts, in document order.
fn elements(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                stack.push(e.name().as_ref().to_string());
                out.push((stack.join("/"), String::new()));
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                out.push((format!("{}/{name}", stack.join("/")), String::new()));
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                if let Some(last) = out.iter_mut().rev().find(|(p, _)| *p == stack.join("/")) {
                    last.1.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                if let Some(last) = out.iter_mut().rev().find(|(p, _)| *p == stack.join("/")) {
                    last.1.push_str(&format!("&{name};"));
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn count(elements: &[(String, String)], path: &str) -> usize {
    elements.iter().filter(|(p, _)| p == path).count()
}

fn check_atom(path: &Path) -> Vec<(String, String)> {
    let xml = std::fs::read_to_string(path).unwrap();
    assert!(
        xml.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom""#),
        "{}",
        path.display()
    );
    let e = elements(&xml);
    for required in ["feed/id", "feed/title", "feed/updated"] {
        assert_eq!(count(&e, required), 1, "{required} in {}", path.display());
    }
    let entries = count(&e, "feed/entry");
    for required in [
        "feed/entry/id",
        "feed/entry/title",
        "feed/entry/updated",
        "feed/entry/link",
    ] {
        assert_eq!(
            count(&e, required),
            entries,
            "{required} in every entry of {}",
            path.display()
        );
    }
    // RFC 3339 timestamps.
    for (p, text) in &e {
        if p.ends_with("/updated") || p.ends_with("/published") {
            assert!(
                text.len() == 20 && text.ends_with('Z') && &text[10..11] == "T",
                "{p}: {text}"
            );
        }
    }
    e
}

#[test]
fn feeds_are_atom_with_required_elements() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    let site = check_atom(&out.join("feed.xml"));
    assert_eq!(count(&site, "feed/entry"), 3);
    // Updated is the newest entry's last change (a correction on 16 November), not the build time.
    let updated = &site.iter().find(|(p, _)| p == "feed/updated").unwrap().1;
    assert_eq!(updated, "2023-11-16T00:00:00Z");
    let ids: Vec<&str> = site
        .iter()
        .filter(|(p, _)| p == "feed/entry/id")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/briefings/2023/delegation/",
            "https://example.org/briefings/2023/summit/",
            "https://example.org/briefings/2023/early/"
        ]
    );
    let actor = check_atom(&out.join("actors/kim-jong-un/feed.xml"));
    assert_eq!(count(&actor, "feed/entry"), 2);
    let topic = check_atom(&out.join("topics/sanctions/feed.xml"));
    assert_eq!(count(&topic, "feed/entry"), 3);
    // Every actor and topic has a feed.
    for kind in ["actors", "topics"] {
        for entry in std::fs::read_dir(out.join(kind)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                check_atom(&entry.path().join("feed.xml"));
            }
        }
    }
}

#[test]
fn sitemap_is_a_valid_urlset_with_absolute_urls() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    let xml = read(&out, "sitemap.xml");
    let e = elements(&xml);
    let locs: Vec<&str> = e
        .iter()
        .filter(|(p, _)| p == "urlset/url/loc")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/")));
    assert!(locs.contains(&"https://example.org/briefings/2023/summit/"));
    assert!(locs.contains(&"https://example.org/actors/kim-jong-un/"));
    assert!(locs.contains(&"https://example.org/topics/sanctions/page/2/"));
    assert!(!locs.iter().any(|l| l.contains("404")));

    let schema = repo().join("tests/schemas/sitemap.xsd");
    let result = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(out.join("sitemap.xml"))
        .output()
        .expect("xmllint is installed (the test command installs libxml2-utils)");
    assert!(
        result.status.success(),
        "xmllint rejected the sitemap:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let robots = read(&out, "robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn json_feed_has_the_required_fields_and_actor_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    let feed: serde_json::Value = serde_json::from_str(&read(&out, "feed.json")).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "Fixture Desk");
    assert_eq!(feed["feed_url"], "https://example.org/feed.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        assert!(item["id"].is_string());
        assert!(item["content_html"].is_string() || item["content_text"].is_string());
        assert!(item["date_published"].as_str().unwrap().ends_with('Z'));
    }
    let delegation = &items[0];
    assert_eq!(
        delegation["url"],
        "https://example.org/briefings/2023/delegation/"
    );
    assert_eq!(delegation["date_modified"], "2023-11-16T00:00:00Z");
    assert_eq!(delegation["_actors"][0]["name"], "Kim Jong Un");
    assert_eq!(
        delegation["_actors"][0]["url"],
        "https://example.org/actors/kim-jong-un/"
    );
    assert_eq!(delegation["_topics"][0]["name"], "Sanctions");
    assert_eq!(delegation["tags"][0], "Sanctions");
}

#[test]
fn search_index_has_every_briefing_with_its_actors_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    let index: serde_json::Value = serde_json::from_str(&read(&out, "search-index.json")).unwrap();
    assert_eq!(index["version"], 1);
    assert_eq!(index["count"], 3);
    assert!(index["shards"].as_array().unwrap().is_empty());
    let docs = index["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    let summit = docs
        .iter()
        .find(|d| d["u"] == "/briefings/2023/summit/")
        .unwrap();
    assert_eq!(summit["t"], "Kim and Putin meet at Vostochny");
    assert_eq!(summit["d"], "2023-09-14");
    let actors = index["actors"].as_array().unwrap();
    let names: Vec<&str> = summit["a"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| actors[i.as_u64().unwrap() as usize][0].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kim Jong Un", "Vladimir Putin"]);
    assert!(summit["x"].as_str().unwrap().contains("travelled by train"));
    assert!(
        !summit["x"].as_str().unwrap().contains("\"launches\": 3"),
        "code blocks are not indexed"
    );
    assert!(read(&out, "search/index.html").contains("search-index.json"));
}
