//! The ready-made CI files and the pre-commit hook in `examples/` parse, and
//! every attache command they name runs against the example site.

mod common;
use attache::load::yaml::{Node, Value, parse};
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the repository's example site to run commands in.
fn example_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    for part in ["content", "templates", "themes"] {
        copy_dir(&repo().join(part), &site.join(part));
    }
    std::fs::copy(repo().join("attache.yaml"), site.join("attache.yaml")).unwrap();
    site
}

/// PATH with the attache under test first.
fn path_with_attache() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_attache"))
        .parent()
        .unwrap()
        .to_path_buf();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn run_shell(line: &str, cwd: &Path, env: &[(&str, &str)]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(cwd)
        .env("PATH", path_with_attache())
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn strings_under<'a>(node: &'a Node, key: &str, out: &mut Vec<&'a str>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                match (entry.key == key, &entry.value.value) {
                    (true, Value::String(s)) => out.push(s),
                    (true, Value::List(items)) => {
                        out.extend(items.iter().filter_map(Node::as_str));
                    }
                    _ => strings_under(&entry.value, key, out),
                }
            }
        }
        Value::List(items) => items.iter().for_each(|i| strings_under(i, key, out)),
        _ => {}
    }
}

fn attache_lines<'a>(commands: &[&'a str]) -> Vec<&'a str> {
    commands
        .iter()
        .flat_map(|c| c.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("attache "))
        .collect()
}

#[test]
fn github_actions_example_parses_and_its_commands_run() {
    let text = std::fs::read_to_string(repo().join("examples/ci/github-actions.yml")).unwrap();
    let doc = parse(&text).expect("the workflow is valid YAML");
    assert!(doc.get("jobs").and_then(|j| j.get("check")).is_some());
    assert!(doc.get("jobs").and_then(|j| j.get("deploy")).is_some());
    let mut runs = Vec::new();
    strings_under(&doc, "run", &mut runs);
    let commands = attache_lines(&runs);
    assert_eq!(commands.len(), 4, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    for command in commands {
        let line = command.replace("${{ github.event.number }}", "7").replace(
            "${{ steps.pages.outputs.base_url }}",
            "https://example.org/desk",
        );
        let out = run_shell(&line, &site, &[]);
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(site.join("preview/index.html").is_file());
    assert!(read(&site.join("public"), "index.html").contains(r#"href="/desk/style.css""#));
    assert!(site.join("manifest.json").is_file());
}

#[test]
fn gitlab_ci_example_parses_and_its_commands_run() {
    let text = std::fs::read_to_string(repo().join("examples/ci/gitlab-ci.yml")).unwrap();
    let doc = parse(&text).expect("the pipeline is valid YAML");
    let mut scripts = Vec::new();
    strings_under(&doc, "script", &mut scripts);
    let commands = attache_lines(&scripts);
    assert_eq!(commands.len(), 4, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let env = [
        ("CI_PAGES_URL", "https://desk.example.org"),
        ("CI_MERGE_REQUEST_IID", "12"),
    ];
    for line in commands {
        let out = run_shell(line, &site, &env);
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("attache-check.json")).unwrap()).unwrap();
    assert!(report.is_array());
    assert!(site.join("preview/index.html").is_file());
}

#[test]
fn pre_commit_hook_checks_what_is_staged() {
    let dir = tempfile::tempdir().unwrap();
    let repo_dir = dir.path().join("repo");
    copy_dir(&fixture("basic"), &repo_dir);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&repo_dir)
            .args(["-c", "user.name=Desk", "-c", "user.email=desk@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "site"]);
    let hook = repo().join("examples/hooks/pre-commit");
    let run_hook = || run_shell(hook.to_str().unwrap(), &repo_dir, &[]);

    let broken = repo_dir.join("content/briefings/2023/2023-12-01-broken.md");
    std::fs::write(
        &broken,
        "---\ntitle: Broken\ndate: 2023-12-01\nactors: [unclosed\n---\nBody\n",
    )
    .unwrap();
    git(&["add", "."]);
    let out = run_hook();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2023-12-01-broken.md"));

    // Fixed in the working tree but not staged: still refused.
    std::fs::write(&broken, "---\ntitle: Fixed\ndate: 2023-12-01\n---\nBody\n").unwrap();
    assert_eq!(run_hook().status.code(), Some(1));
    git(&["add", "."]);
    let out = run_hook();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The workflow `attache init` writes into a new site.
fn init_workflow() -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("desk");
    let out = attache(&["init", site.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(site.join(".github/workflows/site.yml")).unwrap()
}

/// The release tag the Action installs by default (action.yml's `version`).
fn pinned_tag() -> String {
    let action = parse(&std::fs::read_to_string(repo().join("action.yml")).unwrap()).unwrap();
    action
        .get("inputs")
        .and_then(|i| i.get("version"))
        .and_then(|v| v.get("default"))
        .and_then(Node::as_str)
        .expect("action.yml: inputs.version.default")
        .to_string()
}

/// attache is not published on crates.io, so no recipe may install it from
/// there.
#[test]
fn no_ci_recipe_installs_attache_from_crates_io() {
    let mut texts = vec![("attache init's site.yml".to_string(), init_workflow())];
    for file in [
        "examples/ci/github-actions.yml",
        "examples/ci/gitlab-ci.yml",
        "README.md",
    ] {
        texts.push((
            file.to_string(),
            std::fs::read_to_string(repo().join(file)).unwrap(),
        ));
    }
    for (name, text) in &texts {
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let from_registry = words.windows(2).any(|w| w == ["cargo", "install"])
                && !words.iter().any(|w| *w == "--path" || *w == "--git");
            assert!(!from_registry, "{name}: {line}");
        }
    }
}

#[test]
fn github_workflows_use_the_action_at_the_pinned_release() {
    let tag = pinned_tag();
    assert_eq!(tag, format!("v{}", env!("CARGO_PKG_VERSION")));
    let example = std::fs::read_to_string(repo().join("examples/ci/github-actions.yml")).unwrap();
    for (name, text) in [("example", example), ("init", init_workflow())] {
        let doc = parse(&text).expect("the workflow is valid YAML");
        let mut uses = Vec::new();
        strings_under(&doc, "uses", &mut uses);
        let ours: Vec<&&str> = uses
            .iter()
            .filter(|u| u.starts_with("attache-ssg/attache"))
            .collect();
        // One install per job: check and deploy.
        assert_eq!(ours.len(), 2, "{name}: {uses:?}");
        for u in ours {
            assert_eq!(*u, format!("attache-ssg/attache@{tag}"), "{name}");
        }
        assert!(!uses.iter().any(|u| u.contains("rust-toolchain")), "{name}");
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains(&format!("uses: attache-ssg/attache@{tag}")));
    assert!(readme.contains(&format!(
        "--git https://github.com/attache-ssg/attache --tag {tag}"
    )));
}

#[test]
fn the_workflow_init_writes_does_not_ask_to_be_copied_where_it_is() {
    let text = init_workflow();
    assert!(!text.contains("Copy to"), "{text}");
    assert!(text.starts_with("# GitHub Actions for a briefing site built with attache.\n"));
    assert!(
        std::fs::read_to_string(repo().join("examples/ci/github-actions.yml"))
            .unwrap()
            .contains("# Copy to .github/workflows/site.yml")
    );
}

#[test]
fn gitlab_example_installs_the_checked_release_binary() {
    let text = std::fs::read_to_string(repo().join("examples/ci/gitlab-ci.yml")).unwrap();
    let doc = parse(&text).unwrap();
    let tag = doc
        .get("variables")
        .and_then(|v| v.get("ATTACHE_VERSION"))
        .and_then(Node::as_str)
        .unwrap();
    assert_eq!(tag, pinned_tag());
    let mut before = Vec::new();
    strings_under(&doc, "before_script", &mut before);
    let script = before.join("\n");
    assert!(script.contains("x86_64-unknown-linux-musl"), "{script}");
    assert!(script.contains("SHA256SUMS"), "{script}");
    assert!(script.contains("sha256sum -c"), "{script}");
}
