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
