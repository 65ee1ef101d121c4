//! Deploy support: corrections everywhere they belong, redirects for old
//! URLs, a manifest of output hashes, and in-place writes that touch only
//! changed files.

mod common;
use common::*;
use std::path::PathBuf;
use std::time::SystemTime;

fn built(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, extra);
    (dir, out)
}

fn json_ld(html: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let text: String = doc
        .select(&sel)
        .next()
        .expect("a JSON-LD script")
        .text()
        .collect();
    serde_json::from_str(&text).expect("JSON-LD parses")
}

#[test]
fn corrections_show_on_the_page_the_corrections_list_the_feed_and_json_ld() {
    let (_d, out) = built(&[]);
    let page = read(&out, "briefings/2023/delegation/index.html");
    assert_eq!(
        texts(&page, ".corrections li"),
        ["16 November 2023: An earlier version misdated the summit."]
    );
    let list = read(&out, "corrections/index.html");
    assert_eq!(
        hrefs(&list, ".correction-list a"),
        ["/briefings/2023/delegation/"]
    );
    assert_eq!(
        texts(&list, ".correction-note"),
        ["An earlier version misdated the summit."]
    );
    // The correction moves the entry's updated in the feed.
    let feed = read(&out, "feed.xml");
    let entry = feed.split("<entry>").nth(1).unwrap();
    assert!(entry.contains("<id>https://example.org/briefings/2023/delegation/</id>"));
    assert!(entry.contains("<published>2023-11-15T00:00:00Z</published>"));
    assert!(entry.contains("<updated>2023-11-16T00:00:00Z</updated>"));
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Russian delegation in Pyongyang");
    assert_eq!(ld["datePublished"], "2023-11-15T00:00:00Z");
    assert_eq!(ld["dateModified"], "2023-11-16T00:00:00Z");
    assert_eq!(ld["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(
        ld["correction"][0]["text"],
        "An earlier version misdated the summit."
    );
    assert_eq!(ld["citation"][0]["url"], "https://www.themoscowtimes.com/");
    assert_eq!(ld["mentions"][2]["name"], "Alexander Kozlov");
}

#[test]
fn aliases_become_redirect_pages_and_a_redirects_file() {
    let (_d, out) = built(&["--base-url", "https://example.org/desk/"]);
    for old in ["2023/09/summit.html", "old/summit/index.html"] {
        let html = read(&out, old);
        assert!(
            html.contains(
                r#"<link rel="canonical" href="https://example.org/desk/briefings/2023/summit/">"#
            ),
            "{old}: {html}"
        );
        assert!(html.contains(r#"<meta http-equiv="refresh" content="0; url=https://example.org/desk/briefings/2023/summit/">"#));
    }
    assert_eq!(
        read(&out, "_redirects"),
        "/desk/2023/09/summit.html /desk/briefings/2023/summit/ 301\n/desk/old/summit/ /desk/briefings/2023/summit/ 301\n"
    );
}

#[test]
fn bad_and_colliding_aliases_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/briefings")).unwrap();
    std::fs::write(
        site.join("content/briefings/a.md"),
        "---\ntitle: A\ndate: 2024-01-02\naliases:\n  - ../../outside\n  - /actors/kim/\n  - /briefings/2024/b/\n---\nBody\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/briefings/b.md"),
        "---\ntitle: B\ndate: 2024-01-03\n---\nBody\n",
    )
    .unwrap();
    let (status, items) = check_json(&site, &[]);
    assert_eq!(status, 1);
    let found: Vec<(String, u64)> = items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("bad-alias".to_string(), 5),
            ("bad-alias".to_string(), 6),
            ("duplicate-url".to_string(), 7)
        ]
    );
}

#[test]
fn manifest_lists_every_file_with_its_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = dir.path().join("manifest.json");
    build_ok(
        &fixture("basic"),
        &out,
        &["--manifest", manifest.to_str().unwrap()],
    );
    let list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let list = list.as_array().unwrap();
    let files = tree(&out);
    assert_eq!(list.len(), files.len());
    for entry in list {
        let path = entry["path"].as_str().unwrap();
        let bytes = &files[path];
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"], hex.as_str(), "{path}");
        assert_eq!(entry["bytes"], bytes.len());
    }
    let paths: Vec<&str> = list.iter().map(|e| e["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn incremental_write_rewrites_nothing_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("basic"), &site);
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    let mtimes = |out: &std::path::Path| -> Vec<(String, SystemTime)> {
        tree(out)
            .keys()
            .map(|p| {
                (
                    p.clone(),
                    std::fs::metadata(out.join(p)).unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(50));
    let output = build_ok(&site, &out, &["--incremental-write"]);
    assert_eq!(mtimes(&out), before, "an unchanged build rewrote files");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("0 written, {} unchanged, 0 removed", before.len())),
        "{stderr}"
    );

    // One edit rewrites that briefing's page (and the lists and feeds it is
    // in), not the unrelated pages; a deleted briefing's page goes.
    let summit = site.join("content/briefings/2023/2023-09-14-summit.md");
    let text = std::fs::read_to_string(&summit)
        .unwrap()
        .replace("travelled by train", "travelled by armoured train");
    std::fs::write(&summit, text).unwrap();
    std::fs::remove_file(site.join("content/briefings/2023/2023-08-01-early.md")).unwrap();
    build_ok(&site, &out, &["--incremental-write"]);
    let after: std::collections::HashMap<String, SystemTime> = mtimes(&out).into_iter().collect();
    let before: std::collections::HashMap<String, SystemTime> = before.into_iter().collect();
    assert_ne!(
        after["briefings/2023/summit/index.html"],
        before["briefings/2023/summit/index.html"]
    );
    assert_eq!(after["about/index.html"], before["about/index.html"]);
    assert!(!out.join("briefings/2023/early").exists());
    assert_eq!(tree(&out), {
        let fresh = dir.path().join("fresh");
        build_ok(&site, &fresh, &[]);
        tree(&fresh)
    });
}
