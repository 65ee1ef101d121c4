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
