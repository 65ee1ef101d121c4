//! Limits: input that used to take minutes or gigabytes (thousands of names
//! in one briefing, deep brackets, long lists, many citations, megabytes of
//! code) is handled in one pass or refused at its place with a clear
//! diagnostic; names Windows cannot have and dates out of range are
//! reported where they are written. Sizes are those that used to be slow;
//! the tests assert what is reported, never how long it took.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A site in a temporary folder with `files` (path, text) under it.
fn site(files: &[(&str, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    (dir, root)
}

/// The diagnostics with `code`, as (file name, line, column, message).
fn with_code(items: &[Value], code: &str) -> Vec<(String, u64, u64, String)> {
    items
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            let file = Path::new(d["file"].as_str().unwrap());
            (
                file.file_name().unwrap().to_string_lossy().into_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn names_past_the_limit_per_briefing_are_an_error_at_the_field() {
    // A draft: the limit is checked when the file is read, and a draft
    // makes no pages, so the test does not render a thousand of them.
    let actors: String = (0..5_000).map(|i| format!("  - Actor {i}\n")).collect();
    let topics: String = (0..1_001).map(|i| format!("  - Topic {i}\n")).collect();
    let events: String = (0..1_200)
        .map(|i| format!("  - {{date: 2024-01-01, what: Event {i}}}\n"))
        .collect();
    let text = format!(
        "---\ntitle: Crowded\ndate: 2024-01-02\ndraft: true\nactors:\n{actors}topics:\n{topics}events:\n{events}---\nBody.\n"
    );
    let (_dir, root) = site(&[("content/briefings/crowded.md", text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1, "{items:#?}");
    let topics_line = 6 + 5_000;
    let events_line = topics_line + 1 + 1_001;
    assert_eq!(
        with_code(&items, "too-many"),
        [
            (
                "crowded.md".to_string(),
                5,
                1,
                "`actors` has 5000 items; a briefing may have at most 1000".to_string()
            ),
            (
                "crowded.md".to_string(),
                topics_line,
                1,
                "`topics` has 1001 items; a briefing may have at most 1000".to_string()
            ),
            (
                "crowded.md".to_string(),
                events_line,
                1,
                "`events` has 1200 items; a briefing may have at most 1000".to_string()
            ),
        ]
    );
}

#[test]
fn a_thousand_names_in_one_briefing_still_build() {
    let actors: String = (0..1_000).map(|i| format!("  - Actor {i}\n")).collect();
    let text = format!("---\ntitle: Full\ndate: 2024-01-02\nactors:\n{actors}---\nBody.\n");
    let (dir, root) = site(&[("content/briefings/full.md", text)]);
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    assert!(out.join("actors/actor-999/index.html").is_file());
}

#[test]
fn deep_brackets_in_front_matter_are_refused_at_the_bracket() {
    let text = format!(
        "---\ntitle: Brackets\ndate: 2024-01-02\nsummary: {}\n---\nBody.\n",
        "[".repeat(200_000)
    );
    let (_dir, root) = site(&[("content/briefings/brackets.md", text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    assert_eq!(items.len(), 1, "{items:#?}");
    let d = &items[0];
    assert_eq!(d["code"], "yaml");
    // The 101st bracket of the `summary` line: "summary: " is 9 characters.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(110))
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("nest more than 100"),
        "{d}"
    );
    assert!(d["hint"].as_str().unwrap().contains("close the brackets"));
}

#[test]
fn fifty_thousand_aliases_are_placed_in_one_pass() {
    // Every alias is found after the one before: the last one, which takes
    // the URL of the second, is reported on its own line, not on the first
    // line that holds its text.
    let mut aliases: String = (0..50_000).map(|i| format!("  - /old/{i}/\n")).collect();
    aliases.push_str("  - /old/1/\n");
    let text = format!("---\ntitle: Moved\ndate: 2024-01-02\naliases:\n{aliases}---\nBody.\n");
    let (_dir, root) = site(&[("content/briefings/moved.md", text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let errors: Vec<&Value> = items.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{items:#?}");
    assert_eq!(errors[0]["line"].as_u64(), Some(5 + 50_000), "{items:#?}");
}

#[test]
fn many_sources_are_read_in_one_pass() {
    // 100,000 sources took 84 s; 20,000 still took seconds more than a
    // linear read. Repeated ids are found by lookup, and each source is
    // placed after the one before.
    let mut sources: String = (0..20_000)
        .map(|i| format!("  - id: s{i}\n    url: https://example.org/{i}\n"))
        .collect();
    sources.push_str("  - id: s7\n    url: https://example.org/again\n    date: 2024-13\n");
    let text =
        format!("---\ntitle: Sourced\ndate: 2024-01-02\nsources:\n{sources}---\nCites [@s1].\n");
    let (_dir, root) = site(&[("content/briefings/sourced.md", text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let last = 5 + 2 * 20_000;
    let duplicate = with_code(&items, "duplicate-source-id");
    assert_eq!(duplicate.len(), 1, "{items:#?}");
    assert_eq!((duplicate[0].1, duplicate[0].2), (last as u64, 9));
    let dates = with_code(&items, "bad-date");
    assert_eq!(dates.len(), 1, "{items:#?}");
    assert_eq!((dates[0].1, dates[0].2), (last as u64 + 2, 11));
}

#[test]
fn five_thousand_citations_are_checked_in_one_pass() {
    // Citations are reference-style links: each used to look its source up
    // in a list, and each unknown one counted its line from the start
    // (50,000 took 0.9 s, 100,000 5 s, 200,000 27 s). pulldown-cmark
    // expands a body's reference links up to a budget of its own (the
    // body's length or 100 KB of link targets; past it the rest stay plain
    // text), so the test stays below it.
    let body: String = (0..5_000).map(|i| format!("[@x{i}] ")).collect();
    let sources: String = (0..20)
        .map(|i| format!("  - {{id: src{i}, url: https://example.org/{i}}}\n"))
        .collect();
    let text =
        format!("---\ntitle: Cited\ndate: 2024-01-02\nsources:\n{sources}---\n[@src0] {body}\n");
    let (_dir, root) = site(&[("content/briefings/cited.md", text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let unknown: Vec<&Value> = items
        .iter()
        .filter(|d| d["code"] == "unknown-citation")
        .collect();
    assert_eq!(unknown.len(), 5_000);
    let last = unknown.last().unwrap();
    let column =
        "[@src0] ".len() + (0..4_999).map(|i| format!("[@x{i}] ").len()).sum::<usize>() + 1;
    assert_eq!(last["line"].as_u64(), Some(26));
    assert_eq!(last["column"].as_u64(), Some(column as u64));
    assert_eq!(
        last["hint"],
        "known ids: src0, src1, src2, src3, src4, src5, src6, src7, src8, src9, ... (20 in all)"
    );
}

#[test]
fn code_past_the_highlight_budget_is_shown_plain() {
    let long: String = (0..8_000)
        .map(|i| format!("let x{i} = \"<{i}>\"; // padding padding\n"))
        .collect();
    assert!(long.len() > 256 * 1024);
    let text = format!(
        "---\ntitle: Code\ndate: 2024-01-02\n---\nShort:\n\n```rust\nfn main() {{}}\n```\n\nLong:\n\n```rust\n{long}```\n"
    );
    let (dir, root) = site(&[("content/briefings/code.md", text)]);
    let (_, items) = check_json(&root, &[]);
    assert_eq!(
        with_code(&items, "highlight-limit")
            .into_iter()
            .map(|(file, line, column, _)| (file, line, column))
            .collect::<Vec<_>>(),
        [("code.md".to_string(), 13, 1)]
    );
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    let page = read(&out, "briefings/2024/code/index.html");
    let (short, long_html) = page.split_at(page.find("Long:").unwrap());
    assert!(
        short.contains("<span class=\"hl-"),
        "the short block is highlighted"
    );
    assert!(
        !long_html.contains("<span class=\"hl-"),
        "the long one is not"
    );
    assert!(long_html.contains("let x7999 = \"&lt;7999&gt;\";"));
    assert!(page.len() < 2 * long.len(), "{} bytes", page.len());
}

#[test]
fn windows_device_names_are_flagged_where_they_come_from() {
    let briefing = |extra: &str| format!("---\ntitle: T\ndate: 2024-01-02\n{extra}---\nBody.\n");
    let (dir, root) = site(&[
        ("content/briefings/con.md", briefing("")),
        ("content/briefings/visit.md", briefing("slug: AUX\n")),
        (
            "content/briefings/named.md",
            briefing(
                "slug: named\nactors:\n  - Kim\n  - LPT9\ntopics: [Nul]\nsources:\n  - {publisher: Aux, url: https://example.org/}\naliases: [/2019/con/]\n",
            ),
        ),
        (
            "content/pages/prn.md",
            "---\ntitle: P\nslug: fine\n---\nBody.\n".into(),
        ),
        ("content/actors/com1.md", "---\nname: Com One\n---\n".into()),
    ]);
    let (_, items) = check_json(&root, &[]);
    let mut found: Vec<(String, u64, u64)> = with_code(&items, "windows-reserved")
        .into_iter()
        .map(|(file, line, column, _)| (file, line, column))
        .collect();
    found.sort();
    let at = |f: &str, l: u64, c: u64| (f.to_string(), l, c);
    assert_eq!(
        found,
        [
            at("com1.md", 1, 1),
            at("con.md", 1, 1),
            at("named.md", 7, 5),
            at("named.md", 8, 10),
            at("named.md", 10, 17),
            at("named.md", 11, 11),
            at("prn.md", 1, 1),
            at("visit.md", 4, 7),
        ],
        "{items:#?}"
    );
    let d = items
        .iter()
        .find(|d| d["code"] == "windows-reserved" && d["line"] == 4)
        .unwrap();
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("'aux', a device name on Windows")
    );
    assert!(d["hint"].as_str().unwrap().contains("slug:"));
    // Warnings: the site still builds.
    build_ok(&root, &dir.path().join("public"), &[]);
}

#[test]
fn dates_out_of_range_are_bad_dates_at_the_field() {
    let (_dir, root) = site(&[
        (
            "content/briefings/far.md",
            "---\ntitle: Far\ndate: 10000-01-01\n---\n".into(),
        ),
        (
            "content/briefings/last.md",
            "---\ntitle: Last\ndate: 9999-12-31\n---\n".into(),
        ),
        (
            "content/briefings/offset.md",
            "---\ntitle: Offset\ndate: 2024-01-02\nupdated: 2024-01-03T10:00:00+24:30\n---\n"
                .into(),
        ),
    ]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let mut dates = with_code(&items, "bad-date");
    dates.sort();
    assert_eq!(dates.len(), 3, "{items:#?}");
    assert_eq!((dates[0].0.as_str(), dates[0].1), ("far.md", 3));
    assert!(dates[0].3.contains("after the year 9999"), "{}", dates[0].3);
    assert_eq!((dates[1].0.as_str(), dates[1].1), ("last.md", 3));
    assert!(dates[1].3.contains("9999-12-30"), "{}", dates[1].3);
    assert_eq!((dates[2].0.as_str(), dates[2].1), ("offset.md", 4));
    assert!(dates[2].3.contains("beyond ±24:00"), "{}", dates[2].3);
}

/// 200,000 reference-link definitions (plain, and spelt like citations),
/// each used once: the body renders, every use links, and nothing is
/// reported but what is wrong.
#[test]
fn two_hundred_thousand_reference_definitions_render() {
    let n = 200_000;
    let mut body = String::with_capacity(n * 40);
    for i in 0..n {
        body.push_str(&format!("[r{i}]: https://example.org/{i}\n"));
    }
    body.push_str("\nFirst [one][r0], last [two][r199999].\n\n");
    for i in 0..1_000 {
        body.push_str(&format!("[@c{i}]: https://example.org/c/{i}\n"));
    }
    let (dir, root) = site(&[(
        "content/briefings/refs.md",
        format!("---\ntitle: Refs\ndate: 2024-01-02\n---\n{body}"),
    )]);
    let (_, items) = check_json(&root, &[]);
    assert!(items.iter().all(|d| d["severity"] != "error"), "{items:#?}");
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    let html = read(&out, "briefings/2024/refs/index.html");
    assert!(html.contains("href=\"https://example.org/0\""));
    assert!(html.contains("href=\"https://example.org/199999\""));
}
