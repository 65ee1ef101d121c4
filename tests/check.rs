//! `attache check`: every kind of problem in `tests/fixtures/bad/` is found
//! with its code at the right `file:line`, every problem of a site is
//! reported in one run, and the report formats are what CI tools read.

mod common;
use common::*;
use std::path::Path;

/// (case, expected exit code, severity, code, file under the case folder, line)
const CASES: &[(&str, i32, &str, &str, &str, usize)] = &[
    (
        "yaml-syntax",
        1,
        "error",
        "yaml",
        "content/briefings/a.md",
        5,
    ),
    (
        "no-front-matter",
        1,
        "error",
        "front-matter",
        "content/briefings/a.md",
        1,
    ),
    (
        "unterminated",
        1,
        "error",
        "front-matter",
        "content/briefings/a.md",
        1,
    ),
    (
        "empty-file",
        1,
        "error",
        "front-matter",
        "content/briefings/a.md",
        1,
    ),
    (
        "not-utf8",
        1,
        "error",
        "not-utf8",
        "content/briefings/a.md",
        5,
    ),
    (
        "missing-title",
        1,
        "error",
        "missing-field",
        "content/briefings/a.md",
        2,
    ),
    (
        "wrong-type",
        1,
        "error",
        "wrong-type",
        "content/briefings/a.md",
        4,
    ),
    (
        "impossible-date",
        1,
        "error",
        "bad-date",
        "content/briefings/a.md",
        3,
    ),
    (
        "partial-date",
        1,
        "error",
        "bad-date",
        "content/briefings/a.md",
        3,
    ),
    (
        "unknown-field",
        0,
        "warning",
        "unknown-field",
        "content/briefings/a.md",
        4,
    ),
    (
        "unknown-actor",
        0,
        "warning",
        "unknown-actor",
        "content/briefings/a.md",
        5,
    ),
    (
        "ambiguous-name",
        1,
        "error",
        "ambiguous-name",
        "content/briefings/a.md",
        5,
    ),
    (
        "duplicate-url",
        1,
        "error",
        "duplicate-url",
        "content/briefings/2024/a.md",
        4,
    ),
    (
        "reserved-slug",
        1,
        "error",
        "reserved-slug",
        "content/pages/actors.md",
        1,
    ),
    (
        "unresolved-link",
        1,
        "error",
        "unresolved-link",
        "content/briefings/a.md",
        7,
    ),
    (
        "unknown-citation",
        1,
        "error",
        "unknown-citation",
        "content/briefings/a.md",
        8,
    ),
    (
        "empty-source",
        1,
        "error",
        "empty-source",
        "content/briefings/a.md",
        5,
    ),
    (
        "bad-url",
        0,
        "warning",
        "bad-url",
        "content/briefings/a.md",
        7,
    ),
    (
        "uncited-source",
        0,
        "warning",
        "uncited-source",
        "content/briefings/a.md",
        6,
    ),
    (
        "duplicate-source-id",
        1,
        "error",
        "duplicate-source-id",
        "content/briefings/a.md",
        6,
    ),
    (
        "broken-link",
        1,
        "error",
        "broken-link",
        "content/briefings/a.md",
        5,
    ),
    (
        "template-error",
        1,
        "error",
        "template",
        "templates/briefing.html",
        3,
    ),
    (
        "alias-bomb",
        1,
        "error",
        "yaml",
        "content/briefings/a.md",
        2,
    ),
    ("bad-config", 1, "error", "bad-config", "attache.yaml", 2),
    (
        "front-matter-not-mapping",
        1,
        "error",
        "front-matter-not-mapping",
        "content/briefings/a.md",
        2,
    ),
    (
        "bad-event",
        1,
        "error",
        "bad-event",
        "content/briefings/a.md",
        5,
    ),
    (
        "bad-role",
        1,
        "error",
        "bad-role",
        "content/actors/kim-jong-un.md",
        5,
    ),
    (
        "bad-kind",
        1,
        "error",
        "bad-kind",
        "content/actors/kim-jong-un.md",
        3,
    ),
    (
        "bad-slug",
        1,
        "error",
        "bad-slug",
        "content/briefings/a.md",
        4,
    ),
    (
        "bad-source",
        1,
        "error",
        "bad-source",
        "content/briefings/a.md",
        5,
    ),
    (
        "bad-actor",
        1,
        "error",
        "bad-actor",
        "content/briefings/a.md",
        6,
    ),
    (
        "bad-correction",
        1,
        "error",
        "bad-correction",
        "content/briefings/a.md",
        5,
    ),
    (
        "unknown-topic",
        0,
        "warning",
        "unknown-topic",
        "content/briefings/a.md",
        5,
    ),
    (
        "duplicate-actor",
        0,
        "warning",
        "duplicate-actor",
        "content/briefings/a.md",
        6,
    ),
    (
        "windows-reserved",
        0,
        "warning",
        "windows-reserved",
        "content/briefings/a.md",
        4,
    ),
    (
        "control-character",
        0,
        "warning",
        "control-character",
        "content/briefings/a.md",
        5,
    ),
    (
        "unplaced-file",
        0,
        "warning",
        "unplaced-file",
        "content/notes/a.md",
        0,
    ),
    (
        "output-conflict",
        1,
        "error",
        "output-conflict",
        "static/index.html",
        0,
    ),
    (
        "unknown-theme",
        1,
        "error",
        "unknown-theme",
        "attache.yaml",
        2,
    ),
    (
        "bad-alias",
        1,
        "error",
        "bad-alias",
        "content/briefings/a.md",
        4,
    ),
    (
        "too-many",
        1,
        "error",
        "too-many",
        "content/briefings/a.md",
        5,
    ),
    (
        "raw-html-too-deep",
        0,
        "warning",
        "raw-html-too-deep",
        "content/briefings/a.md",
        5,
    ),
    (
        "missing-alt",
        0,
        "warning",
        "missing-alt",
        "content/briefings/2024-05-01-chart.md",
        7,
    ),
    (
        "missing-image",
        1,
        "error",
        "missing-image",
        "content/briefings/2024/2024-05-01-visit/index.md",
        7,
    ),
    (
        "bad-image",
        1,
        "error",
        "bad-image",
        "content/briefings/2024-05-01-photo.md",
        7,
    ),
    (
        "large-image",
        0,
        "warning",
        "large-image",
        "content/briefings/2024-05-01-photo.md",
        7,
    ),
    (
        "image-gps",
        0,
        "warning",
        "image-gps",
        "content/briefings/2024-05-01-photo.md",
        7,
    ),
    (
        "missing-credit",
        1,
        "error",
        "missing-credit",
        "content/briefings/2024-05-01-photo.md",
        10,
    ),
    (
        "bad-figure",
        1,
        "error",
        "bad-figure",
        "content/briefings/2024-05-01-figures.md",
        5,
    ),
];

#[test]
fn every_bad_fixture_is_reported_at_its_place() {
    let mut tested = Vec::new();
    for (case, exit, severity, code, file, line) in CASES {
        let root = fixture("bad").join(case);
        let (status, items) = check_json(&root, &[]);
        assert_eq!(status, *exit, "{case}: exit code; got {items:#?}");
        let expected_file = root.join(file).to_str().unwrap().to_string();
        let found = items.iter().any(|d| {
            d["code"] == *code
                && d["severity"] == *severity
                && d["file"] == expected_file.as_str()
                && d["line"] == *line
        });
        assert!(
            found,
            "{case}: expected {severity} {code} at {file}:{line}, got {items:#?}"
        );
        tested.push(case.to_string());
    }
    // Every fixture folder is in the table.
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    tested.sort();
    assert_eq!(on_disk, tested);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let root = fixture("bad").join("unknown-actor");
    let (status, items) = check_json(&root, &["--strict"]);
    assert_eq!(status, 1);
    assert_eq!(items[0]["severity"], "error");
    assert_eq!(items[0]["code"], "unknown-actor");
    assert_eq!(items[0]["hint"], "did you mean 'Kim Jong Un'?");
    let (status, _) = check_json(&fixture("bad").join("unknown-field"), &["--strict"]);
    assert_eq!(status, 1);
}

#[test]
fn all_problems_of_a_site_are_reported_in_one_run() {
    let root = fixture("many");
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let found: Vec<(String, String, u64)> = items
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let rel = Path::new(file)
                .strip_prefix(&root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            (
                d["code"].as_str().unwrap().to_string(),
                rel,
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("bad-kind", "content/actors/kim-jong-un.md", 3),
        ("bad-date", "content/briefings/one.md", 3),
        ("unknown-field", "content/briefings/one.md", 4),
        ("missing-field", "content/briefings/three.md", 2),
        ("wrong-type", "content/briefings/three.md", 3),
        ("duplicate-source-id", "content/briefings/two.md", 6),
        ("unknown-citation", "content/briefings/two.md", 8),
        ("unresolved-link", "content/briefings/two.md", 8),
        ("wrong-type", "content/pages/four.md", 3),
        ("broken-link", "content/pages/four.md", 5),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(c, f, l)| (c.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn human_format_shows_source_hint_and_summary() {
    let root = fixture("many");
    let out = attache(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[duplicate-source-id]"), "{stderr}");
    assert!(
        stderr.contains("  - {id: ap, title: Again, url: \"https://apnews.com/2\"}"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `actors`?"), "{stderr}");
    assert!(
        stderr
            .trim_end()
            .ends_with("9 errors, 1 warning in 5 files"),
        "{stderr}"
    );
}

#[test]
fn github_format_annotates_files_and_lines() {
    let root = fixture("bad").join("unknown-citation");
    let out = attache(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "github",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let file = root.join("content/briefings/a.md");
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "::error file={},line=8,col=6,title=attache unknown-citation::[@apx] cites no source of this document",
            file.to_str().unwrap()
        )),
        "{stdout}"
    );
    assert!(first.contains("%0Ahint: did you mean [@ap]?"), "{first}");
}

#[test]
fn a_clean_site_checks_clean() {
    let (status, items) = check_json(&fixture("basic"), &[]);
    assert_eq!(status, 0);
    assert!(items.iter().all(|d| d["severity"] == "warning"));
}
