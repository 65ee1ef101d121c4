//! The files that ship attache to other people's CI: the workflows of this
//! repository, the release matrix, the Dockerfile and the GitHub Action in
//! action.yml (whose install script, like the GitLab example's, runs here
//! against a local copy of a release, with no network).

mod common;
use attache::load::yaml::{Node, Value, parse};
use common::repo;
use std::path::Path;
use std::process::Command;

fn yaml(file: &str) -> Node {
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    parse(&text).unwrap_or_else(|e| panic!("{file} is not valid YAML: {e:?}"))
}

fn list(node: &Node) -> &[Node] {
    match &node.value {
        Value::List(items) => items,
        other => panic!("expected a list, found {other:?}"),
    }
}

const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

#[test]
fn every_workflow_and_the_action_parse() {
    let mut files = vec!["action.yml".to_string()];
    for entry in std::fs::read_dir(repo().join(".github/workflows")).unwrap() {
        let path = entry.unwrap().path();
        files.push(
            path.strip_prefix(repo())
                .unwrap()
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    files.sort();
    assert_eq!(
        files,
        [
            ".github/workflows/ci.yml",
            ".github/workflows/release.yml",
            "action.yml"
        ]
    );
    for file in &files {
        let doc = yaml(file);
        assert!(
            doc.get("name").and_then(Node::as_str).is_some(),
            "{file} has a name"
        );
    }
    let ci = yaml(".github/workflows/ci.yml");
    let test_steps = list(
        ci.get("jobs")
            .unwrap()
            .get("test")
            .unwrap()
            .get("steps")
            .unwrap(),
    );
    assert!(
        test_steps
            .iter()
            .any(|s| s.get("run").and_then(Node::as_str) == Some(".ci/run"))
    );
}

#[test]
fn the_action_is_composite_with_a_pinned_version_input() {
    let action = yaml("action.yml");
    let version = action.get("inputs").and_then(|i| i.get("version")).unwrap();
    let default = version.get("default").and_then(Node::as_str).unwrap();
    assert_eq!(default, format!("v{}", env!("CARGO_PKG_VERSION")));
    let runs = action.get("runs").unwrap();
    assert_eq!(runs.get("using").and_then(Node::as_str), Some("composite"));
    let steps = list(runs.get("steps").unwrap());
    assert_eq!(steps.len(), 1);
    let script = steps[0].get("run").and_then(Node::as_str).unwrap();
    for target in TARGETS {
        assert!(script.contains(target), "the action knows {target}");
    }
    assert!(script.contains("SHA256SUMS"));
    assert!(script.contains("GITHUB_PATH"));
    assert!(script.contains("attache\" --version"));
}

#[test]
fn the_release_builds_the_five_targets_with_checksums() {
    let release = yaml(".github/workflows/release.yml");
    let tags = release
        .get("on")
        .and_then(|o| o.get("push"))
        .and_then(|p| p.get("tags"))
        .unwrap();
    assert_eq!(list(tags)[0].as_str(), Some("v*"));
    let jobs = release.get("jobs").unwrap();
    let include = jobs
        .get("build")
        .and_then(|b| b.get("strategy"))
        .and_then(|s| s.get("matrix"))
        .and_then(|m| m.get("include"))
        .unwrap();
    let targets: Vec<&str> = list(include)
        .iter()
        .map(|i| i.get("target").and_then(Node::as_str).unwrap())
        .collect();
    assert_eq!(targets, TARGETS);
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    assert!(text.contains("sha256sum -- *.tar.gz > SHA256SUMS"));
    assert!(text.contains("dist/SHA256SUMS"));
    assert!(text.contains("--locked"));
}

#[test]
fn the_docker_image_is_the_static_binary_alone() {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert!(stages[0].contains("alpine"), "musl builder: {}", stages[0]);
    assert_eq!(stages[1], "FROM scratch");
    let last = text.split("FROM scratch").nth(1).unwrap();
    assert!(last.contains("COPY --from=build /attache /usr/local/bin/attache"));
    assert!(last.contains("ENTRYPOINT [\"attache\"]"));
    assert!(last.contains("WORKDIR /site"));
    assert!(text.contains("cargo build --release --locked"));
    let ignore = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "target/"));
    assert!(ignore.lines().any(|l| l == ".git/"));
}

/// A local copy of a release: `<tag>/attache-<tag>-<target>.tar.gz`, laid
/// out as release.yml packages it, and `<tag>/SHA256SUMS`.
fn fake_release(root: &Path, tag: &str, target: &str) -> std::path::PathBuf {
    let name = format!("attache-{tag}-{target}");
    let stage = root.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    // A stand-in that answers --version like attache (packing the real
    // debug binary would take seconds and test nothing more).
    let stand_in = stage.join("attache");
    std::fs::write(
        &stand_in,
        format!(
            "#!/bin/sh\necho \"attache {}\"\n",
            env!("CARGO_PKG_VERSION")
        ),
    )
    .unwrap();
    let mut mode = std::fs::metadata(&stand_in).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut mode, 0o755);
    std::fs::set_permissions(&stand_in, mode).unwrap();
    let release = root.join("releases").join(tag);
    std::fs::create_dir_all(&release).unwrap();
    let tar = Command::new("tar")
        .arg("-C")
        .arg(root.join("stage"))
        .arg("-czf")
        .arg(release.join(format!("{name}.tar.gz")))
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let sums = Command::new("sha256sum")
        .arg(format!("{name}.tar.gz"))
        .current_dir(&release)
        .output()
        .unwrap();
    assert!(sums.status.success());
    std::fs::write(release.join("SHA256SUMS"), sums.stdout).unwrap();
    release.join(format!("{name}.tar.gz"))
}

fn run_action(root: &Path, tag: &str) -> std::process::Output {
    let action = yaml("action.yml");
    let script = list(action.get("runs").unwrap().get("steps").unwrap())[0]
        .get("run")
        .and_then(Node::as_str)
        .unwrap()
        .to_string();
    let temp = root.join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("ATTACHE_VERSION", tag)
        .env(
            "ATTACHE_RELEASES",
            format!("file://{}", root.join("releases").display()),
        )
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &temp)
        .env("GITHUB_PATH", root.join("github-path"))
        .env("GITHUB_OUTPUT", root.join("github-output"))
        .output()
        .unwrap()
}

#[test]
fn the_action_installs_a_release_and_refuses_a_tampered_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let archive = fake_release(root, "v9.8.7", "x86_64-unknown-linux-musl");
    let out = run_action(root, "v9.8.7");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(": OK"),
        "the checksum was verified: {stdout}"
    );
    assert!(stdout.contains(&format!("attache {}", env!("CARGO_PKG_VERSION"))));
    let on_path = std::fs::read_to_string(root.join("github-path")).unwrap();
    let bin = Path::new(on_path.trim()).join("attache");
    assert!(bin.is_file(), "{}", bin.display());
    assert!(on_path.contains("attache-v9.8.7-x86_64-unknown-linux-musl"));

    // Not a tag: refused before any download.
    let out = run_action(root, "latest");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("must be a release tag"));

    // An archive that is not the one the checksums name: refused, and
    // nothing is added to PATH.
    std::fs::remove_file(root.join("github-path")).unwrap();
    std::fs::remove_dir_all(root.join("runner-temp")).unwrap();
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, bytes).unwrap();
    let out = run_action(root, "v9.8.7");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("FAILED")
            || String::from_utf8_lossy(&out.stdout).contains("FAILED")
    );
    assert!(!root.join("github-path").exists());
}

/// Cargo.toml's `repository` is where the Action, the GitLab example and the
/// README download from.
#[test]
fn downloads_come_from_the_repository_in_cargo_toml() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    let url = manifest["package"]["repository"].as_str().unwrap();
    let releases = format!("{url}/releases/download");
    for file in ["action.yml", "examples/ci/gitlab-ci.yml"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        assert!(text.contains(&releases), "{file} downloads from {releases}");
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains(&format!("{url}/releases")));
    assert!(readme.contains(&format!("--git {url} ")));
}

/// The GitLab example's install lines (all but `apk add`), run against a
/// local copy of a release instead of GitHub, into a folder instead of
/// /usr/local/bin.
fn run_gitlab_install(root: &Path) -> std::process::Output {
    let doc = yaml("examples/ci/gitlab-ci.yml");
    let tag = doc
        .get("variables")
        .and_then(|v| v.get("ATTACHE_VERSION"))
        .and_then(Node::as_str)
        .unwrap();
    let lines = list(doc.get("default").unwrap().get("before_script").unwrap());
    let tmp = root.join("tmp");
    let bin = root.join("bin");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    let mut script = String::from("set -e\n");
    for line in lines.iter().filter_map(Node::as_str) {
        if line.starts_with("apk ") {
            continue;
        }
        // /tmp first: the other folders may be under it.
        let line = line
            .replace("/tmp", tmp.to_str().unwrap())
            .replace(
                "https://github.com/attache-ssg/attache/releases/download",
                &format!("file://{}", root.join("releases").display()),
            )
            .replace("/usr/local/bin", bin.to_str().unwrap());
        script.push_str(&line);
        script.push('\n');
    }
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("ATTACHE_VERSION", tag)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .current_dir(root)
        .output()
        .unwrap()
}

#[test]
fn the_gitlab_example_installs_a_release_and_refuses_a_tampered_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let archive = fake_release(root, &tag, "x86_64-unknown-linux-musl");
    let out = run_gitlab_install(root);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(": OK"), "{stdout}");
    assert!(stdout.contains(&format!("attache {}", env!("CARGO_PKG_VERSION"))));
    assert!(root.join("bin/attache").is_file());

    std::fs::remove_file(root.join("bin/attache")).unwrap();
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, bytes).unwrap();
    let out = run_gitlab_install(root);
    assert!(!out.status.success());
    assert!(!root.join("bin/attache").exists());
}
