//! Diagnostic codes have one source of truth, `attache::diagnostics::Code`:
//! README's table of codes lists exactly its names, every code is reported
//! by `attache check` on some site (a folder of `tests/fixtures/bad/`, or a
//! site built here when the situation cannot be a checked-in folder: a
//! socket, a symlink, a 16 MiB file, git history), and the strict and build
//! rules written on the code are the ones the commands apply.

mod common;
use attache::diagnostics::{Code, Severity};
use common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The codes README's table names: the backticked words of its
/// "attache says (code)" column.
fn readme_codes() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("\n## For editors: what `attache check` tells you")
        .nth(1)
        .expect("README has the section for editors");
    let section = section.split("\n## ").next().unwrap();
    let mut rows = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let header: Vec<&str> = rows.next().expect("a table").split('|').collect();
    let column = header
        .iter()
        .position(|h| h.trim() == "attache says (code)")
        .expect("a column `attache says (code)`");
    let mut codes = Vec::new();
    for row in rows.skip(1) {
        let cell = row.split('|').nth(column).unwrap_or_default();
        for (i, word) in outside_asides(cell).split('`').enumerate() {
            if i % 2 == 1 {
                codes.push((word.to_string(), cell.to_string()));
            }
        }
    }
    codes
}

/// `cell` without its asides, in parentheses or double quotes, which may
/// name a command, an option or a field in backticks: "`bad-url` (an error
/// for `--base-url`)" gives "`bad-url` ".
fn outside_asides(cell: &str) -> String {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut kept = String::new();
    for c in cell.chars() {
        match c {
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '"' if depth == 0 => quoted = !quoted,
            _ if depth == 0 && !quoted => kept.push(c),
            _ => {}
        }
    }
    kept
}

#[test]
fn readme_table_lists_exactly_the_codes() {
    let listed = readme_codes();
    let in_readme: BTreeSet<&str> = listed.iter().map(|(c, _)| c.as_str()).collect();
    let in_code: BTreeSet<&str> = Code::ALL.iter().map(|c| c.name()).collect();
    let missing: Vec<_> = in_code.difference(&in_readme).collect();
    let unknown: Vec<_> = in_readme.difference(&in_code).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "codes without a README row: {missing:?}; README codes that do not exist: {unknown:?}"
    );
    // The table says which codes strict mode and `build` treat differently,
    // as the code does.
    for &code in Code::ALL {
        let cells: Vec<&str> = listed
            .iter()
            .filter(|(c, _)| c == code.name())
            .map(|(_, cell)| cell.as_str())
            .collect();
        if code.strict_error() {
            assert!(
                cells.iter().any(|c| c.contains("*strict*")),
                "{code}: README does not mark it *strict*"
            );
        }
        if code.build_warning() {
            assert!(
                cells.iter().any(|c| c.contains("warning in `build`")),
                "{code}: README does not say `build` warns"
            );
        }
    }
}

/// A site under `tests/fixtures/` that triggers the code, when its folder
/// under `bad/` is not named after the code.
const FIXTURES: &[(Code, &str)] = &[
    (Code::Yaml, "bad/yaml-syntax"),
    (Code::FrontMatter, "bad/no-front-matter"),
    (Code::MissingField, "bad/missing-title"),
    (Code::BadDate, "bad/impossible-date"),
    (Code::Template, "bad/template-error"),
];

/// Fills an empty site folder.
type Builder = fn(&Path);

/// Codes whose situation cannot be a checked-in folder: the test builds a
/// site for each in a temp folder.
const BUILT: &[(Code, Builder)] = &[
    (Code::Io, config_socket),
    (Code::NotAFile, config_folder),
    (Code::FileTooLarge, huge_briefing),
    (Code::SymlinkOutsideRoot, link_out),
    (Code::SymlinkLoop, link_loop),
    (Code::HighlightLimit, long_code),
    (Code::Git, git_without_repository),
    (Code::GitShallow, shallow_clone),
    (Code::NameCollision, slug_twice),
];

const BRIEFING: &str = "---\ntitle: A\ndate: 2024-01-02\n---\nBody.\n";

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `attache.yaml` is a Unix socket: opening it fails (ENXIO), even as root.
fn config_socket(root: &Path) {
    write(root, "content/briefings/a.md", BRIEFING);
    #[cfg(unix)]
    drop(std::os::unix::net::UnixListener::bind(root.join("attache.yaml")).unwrap());
}

fn config_folder(root: &Path) {
    write(root, "content/briefings/a.md", BRIEFING);
    std::fs::create_dir(root.join("attache.yaml")).unwrap();
}

fn huge_briefing(root: &Path) {
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    // Sparse: 17 MiB that take no disk.
    let file = std::fs::File::create(root.join("content/briefings/a.md")).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
}

fn link_out(root: &Path) {
    write(root, "content/briefings/a.md", BRIEFING);
    let outside = root.parent().unwrap().join("outside.md");
    std::fs::write(&outside, BRIEFING).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("content/briefings/b.md")).unwrap();
}

fn link_loop(root: &Path) {
    write(root, "content/briefings/a.md", BRIEFING);
    #[cfg(unix)]
    std::os::unix::fs::symlink("../briefings", root.join("content/briefings/again")).unwrap();
}

/// Two profiles whose file names differ only in case: one slug (a folder
/// that cannot be checked out on every file system).
fn slug_twice(root: &Path) {
    write(
        root,
        "content/actors/kim-jong-un.md",
        "---\nname: Kim Jong Un\n---\n",
    );
    write(
        root,
        "content/actors/Kim-Jong-Un.md",
        "---\nname: Kim Jong-un\n---\n",
    );
}

fn long_code(root: &Path) {
    let long: String = (0..8_000)
        .map(|i| format!("let x{i} = {i}; // padding padding padding\n"))
        .collect();
    assert!(long.len() > 256 * 1024);
    write(
        root,
        "content/briefings/a.md",
        &format!("---\ntitle: A\ndate: 2024-01-02\n---\n```rust\n{long}```\n"),
    );
}

/// `git: true` in a folder that is in no repository.
fn git_without_repository(root: &Path) {
    write(root, "attache.yaml", "title: Desk\ngit: true\n");
    write(root, "content/briefings/a.md", BRIEFING);
}

/// A clone one commit deep of a repository with two: the site is
/// `root/site`, so the test looks there.
fn shallow_clone(root: &Path) {
    let dir = root.parent().unwrap();
    let (repo, _, file) = git_site(dir, BRIEFING, Some("2024-01-02T10:00:00Z"));
    std::fs::write(&file, BRIEFING.replace("Body.", "Body, corrected.")).unwrap();
    git(
        &repo,
        &["commit", "-qam", "Correct"],
        Some("2024-01-03T10:00:00Z"),
    );
    let url = format!("file://{}", repo.display());
    let cloned = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(root)
        .status()
        .unwrap();
    assert!(cloned.success());
}

/// Where the site of a built case is, under the folder `build` filled.
fn built_site(code: Code, root: &Path) -> PathBuf {
    if code == Code::GitShallow {
        root.join("site")
    } else {
        root.to_path_buf()
    }
}

fn reported(root: &Path, code: Code) -> Vec<serde_json::Value> {
    let (_, items) = check_json(root, &[]);
    items
        .into_iter()
        .filter(|d| d["code"] == code.name())
        .collect()
}

#[test]
fn every_code_is_reported_on_some_site() {
    // The tables name only codes that exist, each once.
    let mut seen = BTreeSet::new();
    for code in FIXTURES
        .iter()
        .map(|(c, _)| c)
        .chain(BUILT.iter().map(|(c, _)| c))
    {
        assert!(seen.insert(code), "{code} is in the tables twice");
    }
    let mut uncovered = Vec::new();
    for &code in Code::ALL {
        let fixture = FIXTURES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, f)| fixture(f))
            .unwrap_or_else(|| fixture("bad").join(code.name()));
        let found = if let Some((_, build)) = BUILT.iter().find(|(c, _)| *c == code) {
            assert!(
                !fixture.exists(),
                "{code} has a fixture folder; drop it from BUILT"
            );
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("site");
            std::fs::create_dir(&root).unwrap();
            build(&root);
            reported(&built_site(code, &root), code)
        } else if fixture.is_dir() {
            reported(&fixture, code)
        } else {
            uncovered.push(code.name());
            continue;
        };
        assert!(!found.is_empty(), "{code} is not reported");
        // At its default severity: none of these sites is a case where the
        // maker of the diagnostic overrides it.
        let severity = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        assert!(
            found.iter().all(|d| d["severity"] == severity),
            "{code}: {found:#?}"
        );
    }
    assert!(
        uncovered.is_empty(),
        "no fixture in tests/fixtures/bad/ (or table entry in tests/codes.rs) for {uncovered:?}"
    );
}

#[test]
fn strict_makes_exactly_the_strict_codes_errors() {
    for &code in Code::ALL.iter().filter(|c| c.strict_error()) {
        let root = fixture("bad").join(code.name());
        let (status, items) = check_json(&root, &[]);
        assert_eq!(status, 0, "{code}: {items:#?}");
        let (status, items) = check_json(&root, &["--strict"]);
        assert_eq!(status, 1, "{code}: {items:#?}");
        assert!(
            items
                .iter()
                .any(|d| d["code"] == code.name() && d["severity"] == "error"),
            "{code}: {items:#?}"
        );
    }
    // A warning that is not strict stays one.
    let root = fixture("bad").join("duplicate-actor");
    let (status, items) = check_json(&root, &["--strict"]);
    assert_eq!(status, 0, "{items:#?}");
    assert_eq!(items[0]["severity"], "warning");
}

#[test]
fn build_reports_its_softer_codes_as_warnings_and_writes() {
    for &code in Code::ALL.iter().filter(|c| c.build_warning()) {
        let root = fixture("bad").join(code.name());
        let (status, _) = check_json(&root, &[]);
        assert_eq!(status, 1, "{code}: an error in check");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let output = build_ok(&root, &out, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("warning[{code}]")),
            "{code}: {stderr}"
        );
        assert!(out.join("index.html").is_file(), "{code}: nothing written");
    }
}

#[test]
fn a_bad_base_url_option_is_reported_as_the_option_not_a_file() {
    let root = fixture("bad").join("unknown-topic");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = attache(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "example.org",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[bad-url]: 'example.org' is not an absolute URL"),
        "{stderr}"
    );
    assert!(stderr.contains("= note: in --base-url"), "{stderr}");
    // Not a file of the site: the site folder is not put in front of it.
    assert!(!stderr.contains("unknown-topic/--base-url"), "{stderr}");
    assert!(!out.exists());
}

/// The few places where a code is reported at another severity than its
/// default (`Diagnostic::with_severity`), kept as they were.
#[test]
fn overridden_severities_stay_where_they_are_made() {
    let severity_of = |items: &[serde_json::Value], code: Code| -> Vec<String> {
        items
            .iter()
            .filter(|d| d["code"] == code.name())
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    // A bad `base_url` in attache.yaml: an error, where a source's is a warning.
    let (_, items) = check_json(&fixture("bad").join("bad-config"), &[]);
    assert_eq!(severity_of(&items, Code::BadUrl), ["error"], "{items:#?}");
    let (_, items) = check_json(&fixture("bad").join("bad-url"), &[]);
    assert!(
        severity_of(&items, Code::BadUrl)
            .iter()
            .all(|s| s == "warning"),
        "{items:#?}"
    );

    let dir = tempfile::tempdir().unwrap();
    // An actor name with no letters or digits can have no page: an error,
    // where a name with no profile is a warning.
    let root = dir.path().join("names");
    write(
        &root,
        "content/briefings/a.md",
        "---\ntitle: A\ndate: 2024-01-02\nactors: [\"!!!\", Nobody Known]\n---\nBody.\n",
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1, "{items:#?}");
    let mut found = severity_of(&items, Code::UnknownActor);
    found.sort();
    assert_eq!(found, ["error", "warning"], "{items:#?}");

    // attache.yaml linked out of the site: an error (the site cannot be
    // built without its settings), where a skipped file's link is a warning.
    #[cfg(unix)]
    {
        let root = dir.path().join("linked");
        link_out(&root);
        let settings = dir.path().join("settings.yaml");
        std::fs::write(&settings, "title: Elsewhere\n").unwrap();
        std::os::unix::fs::symlink(&settings, root.join("attache.yaml")).unwrap();
        let (status, items) = check_json(&root, &[]);
        assert_eq!(status, 1, "{items:#?}");
        let mut found = severity_of(&items, Code::SymlinkOutsideRoot);
        found.sort();
        assert_eq!(found, ["error", "warning"], "{items:#?}");
    }
}
