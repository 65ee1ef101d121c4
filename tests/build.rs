//! Whole builds of the repository's example site: every page kind exists and
//! is linked, every internal link resolves (at the root and under a sub-path),
//! builds are byte-identical, and a failed build leaves the output alone.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Builds the example site and checks that every internal link and asset
/// reference resolves to a file; returns the set of linked files.
fn check_links(out: &Path, base_path: &str) -> BTreeSet<String> {
    let files = tree(out);
    let mut linked = BTreeSet::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for url in urls(&html) {
            let Some(target) = target_file(&url, base_path) else {
                continue;
            };
            assert!(
                files.contains_key(&target),
                "{path} links to {url}, but {target} does not exist"
            );
            if &target != path {
                linked.insert(target);
            }
        }
    }
    linked
}

#[test]
fn example_site_has_every_page_kind_linked_and_resolving() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let linked = check_links(&out, "/");
    for page in [
        "index.html",
        "page/2/index.html",
        "briefings/2023/russian-delegation-in-pyongyang/index.html",
        "actors/index.html",
        "actors/kim-jong-un/index.html",
        "topics/index.html",
        "topics/sanctions/index.html",
        "archive/index.html",
        "archive/2023/index.html",
        "about/index.html",
        "feed.xml",
        "actors/kim-jong-un/feed.xml",
        "topics/sanctions/feed.xml",
        "style.css",
        "syntax.css",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
        assert!(linked.contains(page), "{page} is not linked from any page");
    }
    for file in ["sitemap.xml", "robots.txt", "404.html"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    // Every HTML page but the home page and the 404 is reachable by a link.
    for (path, _) in tree(&out) {
        if path.ends_with(".html") && path != "index.html" && path != "404.html" {
            assert!(linked.contains(&path), "{path} is an orphan");
        }
    }
}

#[test]
fn a_site_with_no_theme_or_templates_folder_is_complete() {
    // The fixture has neither themes/ nor templates/: everything comes from
    // the built-in default theme.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    check_links(&out, "/");
    assert!(out.join("search.js").is_file());
    assert!(out.join("style.css").is_file());
}

#[test]
fn links_resolve_under_a_sub_path_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(
        &repo(),
        &out,
        &["--base-url", "https://example.org/briefings-preview/"],
    );
    let linked = check_links(&out, "/briefings-preview/");
    assert!(linked.contains("actors/kim-jong-un/index.html"));
    let home = read(&out, "index.html");
    assert!(home.contains(r#"href="/briefings-preview/style.css""#));
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/briefings-preview/actors/kim-jong-un/</loc>")
    );
    assert!(!sitemap.contains("<loc>https://example.org/actors/"));
}

#[test]
fn building_twice_gives_identical_trees_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_ok(&repo(), &a, &[]);
    let one_thread = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
        .args([
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            b.to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(one_thread.status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn a_broken_file_fails_the_build_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("basic"), &site);
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    let before = tree(&out);

    std::fs::write(
        site.join("content/briefings/2023/2023-12-01-broken.md"),
        "---\ntitle: Broken\ndate: 2023-12-01\nactors: [unclosed\n---\nBody\n",
    )
    .unwrap();
    let output = attache(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/briefings/2023/2023-12-01-broken.md:"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before, "the previous output changed");
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".attache"))
        .collect();
    assert!(stray.is_empty(), "temporary folders left behind: {stray:?}");
}
