//! Pages are written as they are rendered, never all held in memory: so a
//! page that fails half-way through a build must still leave the output as
//! it was, in every write mode, with nothing left behind beside it.

mod common;
use common::*;
use std::path::Path;

/// A site of `n` briefings; the template fails on the briefing `fail`
/// (by slug) when there is one.
fn site(dir: &Path, n: usize, fail: &[&str]) -> std::path::PathBuf {
    let root = dir.join("site");
    let briefings = root.join("content/briefings");
    std::fs::create_dir_all(&briefings).unwrap();
    std::fs::write(
        root.join("attache.yaml"),
        "title: Desk\nbase_url: https://example.org/\n",
    )
    .unwrap();
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + i / 28 % 12;
        std::fs::write(
            briefings.join(format!("2024-{month:02}-{day:02}-b{i}.md")),
            format!(
                "---\ntitle: Briefing {i}\ndate: 2024-{month:02}-{day:02}\nactors: [Kim Jong Un]\n---\nText {i}.\n"
            ),
        )
        .unwrap();
    }
    let templates = root.join("templates");
    let _ = std::fs::remove_dir_all(&templates);
    if !fail.is_empty() {
        std::fs::create_dir_all(&templates).unwrap();
        let test = fail
            .iter()
            .map(|s| format!("briefing.slug == \"{s}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        std::fs::write(
            templates.join("briefing.html"),
            format!(
                "{{% extends \"base.html\" %}}\n{{% block content %}}<h1>{{{{ briefing.title }}}}</h1>\n{{% if {test} %}}{{{{ no_such_thing.field }}}}{{% endif %}}{{% endblock content %}}\n"
            ),
        )
        .unwrap();
    }
    root
}

/// `attache build`, which must fail (exit 1) on the site's errors.
fn build_failing(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let output = run_build(root, out, extra);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    output
}

/// The names beside `out` that a build leaves while it works.
fn staging_folders(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".attache"))
        .collect()
}

#[test]
fn a_page_failing_half_way_leaves_the_output_as_it_was_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = dir.path().join("manifest.json");
    let root = site(dir.path(), 60, &[]);
    build_ok(&root, &out, &[]);
    let before = tree(&out);
    assert!(before.contains_key("briefings/2024/b30/index.html"));
    // Two pages fail, far apart in the plan: both are reported, and what
    // was written of the others goes away with the build.
    site(dir.path(), 60, &["b3", "b57"]);
    let manifest_arg = manifest.to_str().unwrap();
    for extra in [
        &[][..],
        &["--incremental-write"],
        &["--manifest", manifest_arg],
        &["--incremental-write", "--manifest", manifest_arg],
    ] {
        let output = build_failing(&root, &out, extra);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no_such_thing"), "{extra:?}: {stderr}");
        assert!(stderr.contains("2 errors"), "{extra:?}: {stderr}");
        assert_eq!(tree(&out), before, "{extra:?}: the output changed");
        assert!(
            staging_folders(&out).is_empty(),
            "{extra:?}: {:?}",
            staging_folders(&out)
        );
        assert!(
            !manifest.exists(),
            "{extra:?}: a manifest of a failed build"
        );
    }
}

#[test]
fn an_incremental_write_after_a_failed_one_updates_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = site(dir.path(), 30, &[]);
    build_ok(&root, &out, &[]);
    site(dir.path(), 30, &["b7"]);
    build_failing(&root, &out, &["--incremental-write"]);
    // One briefing edited: the incremental write rewrites its page and the
    // pages listing it, and the output equals a whole build's.
    let root = site(dir.path(), 30, &[]);
    let edited = root.join("content/briefings/2024-01-08-b7.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("Text 7.", "Text seven.")).unwrap();
    let output = build_ok(&root, &out, &["--incremental-write"]);
    let report = String::from_utf8_lossy(&output.stderr);
    let written: usize = report
        .split_once(" written, ")
        .and_then(|(before, _)| before.rsplit(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no write summary: {report}"));
    assert!((1..20).contains(&written), "{report}");
    let whole = dir.path().join("whole");
    build_ok(&root, &whole, &[]);
    assert_eq!(tree(&out), tree(&whole));
    assert!(read(&out, "briefings/2024/b7/index.html").contains("Text seven."));
    assert!(staging_folders(&out).is_empty());
}
