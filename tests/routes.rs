//! The one enumeration of pages: the sitemap, the `--manifest` and the
//! folder on disk name the same HTML pages, but for the ones the sitemap
//! must leave out (the 404 page and the redirect pages of old URLs).

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

const BASE: &str = "https://example.org/sub/";

/// The HTML files a sitemap's URLs are written to.
fn sitemap_files(out: &Path) -> BTreeSet<String> {
    let xml = read(out, "sitemap.xml");
    assert!(xml.contains("<urlset"), "one sitemap file expected: {xml}");
    let locs: Vec<String> = xml
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap().to_string())
        .collect();
    let files: BTreeSet<String> = locs
        .iter()
        .map(|url| {
            let path = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url}"));
            format!("{path}index.html")
        })
        .collect();
    assert_eq!(files.len(), locs.len(), "a URL is listed twice: {locs:?}");
    files
}

/// The HTML files the manifest lists.
fn manifest_files(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    entries
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// Builds `root` and checks that the sitemap, the manifest and the disk
/// agree, the sitemap lacking exactly `not_in_sitemap`.
fn assert_one_enumeration(root: &Path, extra: &[&str], not_in_sitemap: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let manifest = dir.path().join("manifest.json");
    let mut args = vec!["--base-url", BASE, "--manifest", manifest.to_str().unwrap()];
    args.extend_from_slice(extra);
    build_ok(root, &out, &args);
    let on_disk: BTreeSet<String> = tree(&out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(manifest_files(&manifest), on_disk);
    let mut expected = on_disk.clone();
    for page in not_in_sitemap {
        assert!(expected.remove(*page), "{page} was not built");
    }
    assert_eq!(sitemap_files(&out), expected);
}

#[test]
fn sitemap_manifest_and_disk_list_the_same_pages() {
    // The fixture has a second home page, a topic's second page, and two
    // old URLs with redirect pages.
    assert_one_enumeration(
        &fixture("basic"),
        &[],
        &["404.html", "2023/09/summit.html", "old/summit/index.html"],
    );
}

#[test]
fn the_example_site_lists_the_same_pages_everywhere() {
    assert_one_enumeration(&repo(), &["--drafts"], &["404.html"]);
}

/// No module but `src/routes.rs` spells a URL shape: the segments of
/// attache's own pages appear in no string literal elsewhere in `src/`
/// (tests aside), so a new prefix or page kind changes one module.
#[test]
fn only_the_routes_module_spells_url_shapes() {
    let shapes = [
        "\"actors/",
        "\"topics/",
        "\"briefings/",
        "\"page/",
        "/page/",
    ];
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy();
        if !name.ends_with(".rs") || name == "routes.rs" || name == "tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if shapes.iter().any(|s| line.contains(s)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "URL shapes outside src/routes.rs:\n{}",
        found.join("\n")
    );
}

/// Profiles keep their old URLs too (`redirect_from`, as an imported site's
/// `/authors/jane/` or `/tags/sanctions/`): each gets a redirect page and a
/// `_redirects` line to the profile's page; one inside a path attache
/// generates is refused where it is written.
#[test]
fn profiles_redirect_from_their_old_urls() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "attache.yaml",
        "title: Desk\nbase_url: https://example.org/\n",
    );
    write(
        "content/actors/jane-doe.md",
        "---\nname: Jane Doe\nredirect_from: [/authors/jane/, /author/jdoe/]\n---\n",
    );
    write(
        "content/topics/sanctions.md",
        "---\nname: Sanctions\nredirect_from: [/tags/sanctions/]\n---\n",
    );
    write(
        "content/briefings/2024/2024-01-02-a.md",
        "---\ntitle: A\ndate: 2024-01-02\nactors: [Jane Doe]\ntopics: [Sanctions]\n---\nBody.\n",
    );
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    for (old, new) in [
        ("authors/jane/index.html", "/actors/jane-doe/"),
        ("author/jdoe/index.html", "/actors/jane-doe/"),
        ("tags/sanctions/index.html", "/topics/sanctions/"),
    ] {
        assert!(
            read(&out, old).contains(new),
            "{old} does not lead to {new}"
        );
    }
    let rules = read(&out, "_redirects");
    assert!(
        rules.contains("/authors/jane/ /actors/jane-doe/ 301"),
        "{rules}"
    );
    write(
        "content/topics/sanctions.md",
        "---\nname: Sanctions\nredirect_from: [/archive/sanctions/]\n---\n",
    );
    let (code, diagnostics) = check_json(&root, &[]);
    assert_eq!(code, 1);
    let bad = diagnostics
        .iter()
        .find(|d| d["code"] == "bad-alias")
        .expect("an alias inside /archive/ is refused");
    assert!(
        bad["file"]
            .as_str()
            .unwrap()
            .ends_with("content/topics/sanctions.md")
    );
    assert_eq!(
        (bad["line"].as_u64(), bad["column"].as_u64()),
        (Some(3), Some(17))
    );
}
