//! `git: true`: dates and revision history from one `git log`; the same site
//! builds outside git and in a shallow clone.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const BRIEFING: &str =
    "---\ntitle: Delegation in Pyongyang\ndate: 2023-11-15\n---\nFirst version.\n";

/// A repository with the site in `site/` and a briefing committed three times.
fn repo_with_history(dir: &Path) -> std::path::PathBuf {
    let (repo, site, file) = git_site(dir, BRIEFING, Some("2023-11-15T09:00:00Z"));
    std::fs::write(&file, format!("{BRIEFING}Second paragraph.\n")).unwrap();
    git(
        &repo,
        &["commit", "-q", "-a", "-m", "Add the KCNA account"],
        Some("2023-11-16T10:00:00Z"),
    );
    std::fs::write(&file, format!("{BRIEFING}Second paragraph, corrected.\n")).unwrap();
    git(
        &repo,
        &["commit", "-q", "-a", "-m", "Correct the date of the summit"],
        Some("2023-11-20T11:30:00Z"),
    );
    site
}

#[test]
fn history_gives_updated_and_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let site = repo_with_history(dir.path());
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    let html = read(&out, "briefings/2023/delegation/index.html");
    assert!(
        html.contains(r#"Updated <time datetime="2023-11-20T11:30:00Z">20 November 2023</time>"#),
        "{html}"
    );
    assert_eq!(
        texts(&html, ".revision-list .revision-subject"),
        [
            "Correct the date of the summit",
            "Add the KCNA account",
            "Publish the delegation briefing"
        ]
    );
    assert_eq!(
        texts(&html, ".revision-list time"),
        ["20 November 2023", "16 November 2023", "15 November 2023"]
    );
    // The feed's updated follows the last revision.
    assert!(read(&out, "feed.xml").contains("<updated>2023-11-20T11:30:00Z</updated>"));
    // Provenance: the commit in the footer.
    assert_eq!(texts(&html, ".provenance code").len(), 1);
    // Front matter wins over git.
    let file = site.join("content/briefings/2023-11-15-delegation.md");
    std::fs::write(
        &file,
        BRIEFING.replace(
            "date: 2023-11-15\n",
            "date: 2023-11-15\nupdated: 2023-11-17\n",
        ),
    )
    .unwrap();
    build_ok(&site, &out, &[]);
    assert!(
        read(&out, "briefings/2023/delegation/index.html")
            .contains(r#"Updated <time datetime="2023-11-17T00:00:00Z">"#)
    );
}

#[test]
fn the_same_site_builds_outside_git_and_in_a_shallow_clone() {
    let dir = tempfile::tempdir().unwrap();
    let site = repo_with_history(dir.path());

    // Outside git: a copy of the site with no repository around it.
    let plain = dir.path().join("plain");
    std::fs::create_dir_all(plain.join("content/briefings")).unwrap();
    std::fs::copy(site.join("attache.yaml"), plain.join("attache.yaml")).unwrap();
    std::fs::copy(
        site.join("content/briefings/2023-11-15-delegation.md"),
        plain.join("content/briefings/2023-11-15-delegation.md"),
    )
    .unwrap();
    let out = dir.path().join("plain-out");
    build_ok(&plain, &out, &[]);
    let html = read(&out, "briefings/2023/delegation/index.html");
    assert!(texts(&html, ".revision-list li").is_empty());
    assert!(!html.contains("Updated"));

    // A shallow clone: history as deep as the clone, and a warning.
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", dir.path().join("repo").display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&shallow)
        .status()
        .unwrap();
    assert!(status.success());
    let out = dir.path().join("shallow-out");
    let output = build_ok(&shallow.join("site"), &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("git-shallow"), "{stderr}");
    let html = read(&out, "briefings/2023/delegation/index.html");
    assert_eq!(
        texts(&html, ".revision-list .revision-subject"),
        ["Correct the date of the summit"]
    );
}
