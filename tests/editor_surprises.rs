//! What editors meet: a source URL written without its scheme is shown as
//! text, never linked (as a link it would lead inside the site), in the
//! page and in its JSON-LD; an empty summary is no summary; a skeleton from
//! `attache new` is a draft until the editor says otherwise.

mod common;

use common::*;

/// The page of the one briefing a fixture site has.
fn only_briefing(out: &std::path::Path) -> String {
    let page = std::fs::read_dir(out.join("briefings/2024"))
        .unwrap()
        .map(|e| e.unwrap().path().join("index.html"))
        .next()
        .unwrap();
    std::fs::read_to_string(page).unwrap()
}

#[test]
fn a_source_url_without_a_scheme_is_shown_unlinked_in_html_and_json_ld() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_ok(&fixture("bad/bad-url"), &out, &[]);
    let html = only_briefing(&out);
    assert!(
        !hrefs(&html, "a")
            .iter()
            .any(|h| h.contains("www.example.org")),
        "{html}"
    );
    assert_eq!(texts(&html, ".source-url"), ["www.example.org/report"]);
    let ld = texts(&html, "script[type='application/ld+json']").join("");
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["citation"][0]["name"], "A report");
    assert!(ld["citation"][0].get("url").is_none(), "{ld}");
    // The wire theme shows it the same way.
    let wire = dir.path().join("wire");
    common::copy_dir(&fixture("bad/bad-url"), &wire);
    std::fs::write(wire.join("attache.yaml"), "theme: wire\n").unwrap();
    std::fs::create_dir_all(wire.join("themes")).unwrap();
    common::copy_dir(&repo().join("themes/wire"), &wire.join("themes/wire"));
    let out = dir.path().join("wire-out");
    build_ok(&wire, &out, &[]);
    let html = only_briefing(&out);
    assert!(
        !hrefs(&html, "a")
            .iter()
            .any(|h| h.contains("www.example.org"))
    );
    assert_eq!(texts(&html, ".source-url"), ["www.example.org/report"]);
}

/// `attache new` writes `summary: ""` with the comment "leave empty to use
/// the first paragraph": an empty summary is no summary.
#[test]
fn an_empty_summary_falls_back_to_the_first_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    std::fs::write(
        root.join("content/briefings/2024-01-01-empty.md"),
        "---\ntitle: Empty summary\ndate: 2024-01-01\nsummary: \"\"\n---\nThe first paragraph says it all.\n\nMore text.\n",
    )
    .unwrap();
    build_ok(&root, &out, &[]);
    let home = read(&out, "index.html");
    assert_eq!(
        texts(&home, ".card-summary"),
        ["The first paragraph says it all."]
    );
    let page = read(&out, "briefings/2024/empty/index.html");
    assert!(
        texts(&page, ".standfirst").is_empty(),
        "no empty standfirst: {page}"
    );
    let meta = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("meta[property='og:description']").unwrap();
    let description: Vec<&str> = meta
        .select(&sel)
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(description, ["The first paragraph says it all."]);
}

/// A fresh `attache new briefing` is not published with its placeholder
/// text: it is a draft until the editor removes `draft: true`.
#[test]
fn a_new_briefing_is_a_draft_until_the_editor_publishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    let new = attache(&[
        "new",
        "--root",
        root.to_str().unwrap(),
        "briefing",
        "Kozlov returns",
        "--date",
        "2024-11-21",
    ]);
    assert!(new.status.success());
    let path = String::from_utf8(new.stdout).unwrap();
    build_ok(&root, &out, &[]);
    assert!(!out.join("briefings/2024/kozlov-returns").exists());
    assert!(!read(&out, "index.html").contains("Kozlov returns"));
    build_ok(&root, &out, &["--drafts"]);
    assert!(
        out.join("briefings/2024/kozlov-returns/index.html")
            .is_file()
    );
    let text = std::fs::read_to_string(path.trim()).unwrap();
    let published: String = text
        .lines()
        .filter(|l| !l.starts_with("draft:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(path.trim(), published).unwrap();
    build_ok(&root, &out, &[]);
    assert!(
        out.join("briefings/2024/kozlov-returns/index.html")
            .is_file()
    );
}
