//! Nothing leaks: `build` and `check` never read through a symlink that
//! leads out of the site's input folders (the site's `static/`,
//! `templates/` and `content/`, a theme's `static/` and `templates/`, and
//! each of those folders itself), report each such link with its target,
//! do not hang on a symlink loop, and read `attache.yaml` only as a regular
//! file of bounded size.
#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A secret outside the site, and the site beside it: `dir/secrets/` holds
/// `id_ed25519` and `page.html` (a template that would print the key's
/// text), and `dir/site/` a one-briefing site with `static/style.css`.
struct Setup {
    _dir: tempfile::TempDir,
    secrets: PathBuf,
    site: PathBuf,
    out: PathBuf,
}

const SECRET: &str = "PRIVATE-KEY-DO-NOT-PUBLISH";

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    std::fs::write(secrets.join("id_ed25519"), SECRET).unwrap();
    std::fs::write(secrets.join("page.html"), SECRET).unwrap();
    std::fs::write(
        secrets.join("leak.md"),
        format!("---\ntitle: {SECRET}\ndate: 2024-01-03\n---\n{SECRET}\n"),
    )
    .unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/briefings")).unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/config"), SECRET).unwrap();
    std::fs::write(
        site.join("attache.yaml"),
        "title: Desk\nbase_url: https://example.org/\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/briefings/2024-01-02-a.md"),
        "---\ntitle: A\ndate: 2024-01-02\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(site.join("static/style.css"), "body{}").unwrap();
    let out = dir.path().join("public");
    Setup {
        _dir: dir,
        secrets,
        site,
        out,
    }
}

/// Builds (which must succeed) and returns the warnings `check` gives, as
/// (file relative to the site, code, message), and asserts that no output
/// file holds the secret.
fn build_without_secret(s: &Setup) -> Vec<(String, String, String)> {
    build_ok(&s.site, &s.out, &[]);
    for (path, bytes) in tree(&s.out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{path} holds the secret"
        );
    }
    let (status, items) = check_json(&s.site, &[]);
    assert_eq!(status, 0, "{items:?}");
    let prefix = format!("{}/", s.site.display());
    items
        .iter()
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(&prefix)
                    .to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes(found: &[(String, String, String)]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|(f, c, _)| (f.as_str(), c.as_str()))
        .collect()
}

#[test]
fn a_static_folder_linked_to_the_site_root_publishes_nothing_of_it() {
    let s = setup();
    std::fs::remove_dir_all(s.site.join("static")).unwrap();
    symlink("..", s.site.join("static")).unwrap();
    let found = build_without_secret(&s);
    assert_eq!(codes(&found), [("static", "symlink-outside-root")]);
    assert!(!s.out.join(".git").exists());
    assert!(!s.out.join("attache.yaml").exists());
    assert!(!s.out.join("content").exists());
}

#[test]
fn a_static_folder_linked_outside_the_site_is_reported_with_its_target() {
    let s = setup();
    std::fs::remove_dir_all(s.site.join("static")).unwrap();
    symlink(&s.secrets, s.site.join("static")).unwrap();
    let found = build_without_secret(&s);
    assert_eq!(codes(&found), [("static", "symlink-outside-root")]);
    let target = s.secrets.canonicalize().unwrap();
    assert!(
        found[0].2.contains(&target.display().to_string()),
        "{}",
        found[0].2
    );
    assert!(!s.out.join("id_ed25519").exists());
}

#[test]
#[cfg(target_os = "linux")]
fn a_static_folder_linked_to_proc_self_is_not_read() {
    let s = setup();
    std::fs::remove_dir_all(s.site.join("static")).unwrap();
    symlink("/proc/self", s.site.join("static")).unwrap();
    let found = build_without_secret(&s);
    assert_eq!(codes(&found), [("static", "symlink-outside-root")]);
    assert!(!s.out.join("environ").exists());
}

/// Inside `static/`: a link to a file or folder outside is skipped and
/// reported; a link into `content/` is followed (a folder of images kept
/// with the briefings, say); a link to `.git` or to the root is not; a
/// link to a folder that contains it is reported as a loop and the build
/// finishes.
#[test]
fn links_inside_static_are_followed_only_into_the_input_folders() {
    let s = setup();
    let st = s.site.join("static");
    std::fs::create_dir_all(s.site.join("content/images")).unwrap();
    std::fs::write(s.site.join("content/images/map.svg"), "<svg/>").unwrap();
    symlink(s.secrets.join("id_ed25519"), st.join("key.txt")).unwrap();
    symlink(&s.secrets, st.join("secrets")).unwrap();
    symlink("../content/images", st.join("images")).unwrap();
    symlink("../.git", st.join("git")).unwrap();
    symlink("../attache.yaml", st.join("config.yaml")).unwrap();
    symlink(".", st.join("loop")).unwrap();
    let found = build_without_secret(&s);
    let mut seen = codes(&found);
    seen.sort();
    assert_eq!(
        seen,
        [
            ("static/config.yaml", "symlink-outside-root"),
            ("static/git", "symlink-outside-root"),
            ("static/key.txt", "symlink-outside-root"),
            ("static/loop", "symlink-loop"),
            ("static/secrets", "symlink-outside-root"),
        ]
    );
    assert_eq!(read(&s.out, "images/map.svg"), "<svg/>");
    assert_eq!(read(&s.out, "style.css"), "body{}");
    assert!(!s.out.join("key.txt").exists());
    assert!(!s.out.join("config.yaml").exists());
}

#[test]
fn a_themes_linked_folders_are_not_read() {
    let s = setup();
    let theme = s.site.join("themes/desk");
    std::fs::create_dir_all(&theme).unwrap();
    symlink(&s.secrets, theme.join("static")).unwrap();
    symlink(&s.secrets, theme.join("templates")).unwrap();
    let config = std::fs::read_to_string(s.site.join("attache.yaml")).unwrap();
    std::fs::write(s.site.join("attache.yaml"), config + "theme: desk\n").unwrap();
    let found = build_without_secret(&s);
    let mut seen = codes(&found);
    seen.sort();
    assert_eq!(
        seen,
        [
            ("themes/desk/static", "symlink-outside-root"),
            ("themes/desk/templates", "symlink-outside-root"),
        ]
    );
}

#[test]
fn a_whole_theme_linked_outside_the_site_is_not_read() {
    let s = setup();
    let elsewhere = s.secrets.join("theme");
    std::fs::create_dir_all(elsewhere.join("static")).unwrap();
    std::fs::write(elsewhere.join("static/key"), SECRET).unwrap();
    std::fs::create_dir_all(s.site.join("themes")).unwrap();
    symlink(&elsewhere, s.site.join("themes/desk")).unwrap();
    let config = std::fs::read_to_string(s.site.join("attache.yaml")).unwrap();
    std::fs::write(s.site.join("attache.yaml"), config + "theme: desk\n").unwrap();
    let found = build_without_secret(&s);
    assert_eq!(
        codes(&found),
        [("themes/desk/static", "symlink-outside-root")]
    );
}

#[test]
fn site_templates_linked_outside_are_not_read() {
    let s = setup();
    symlink(&s.secrets, s.site.join("templates")).unwrap();
    let found = build_without_secret(&s);
    assert_eq!(codes(&found), [("templates", "symlink-outside-root")]);
    std::fs::remove_file(s.site.join("templates")).unwrap();
    std::fs::create_dir(s.site.join("templates")).unwrap();
    symlink(
        s.secrets.join("page.html"),
        s.site.join("templates/page.html"),
    )
    .unwrap();
    let found = build_without_secret(&s);
    assert_eq!(
        codes(&found),
        [("templates/page.html", "symlink-outside-root")]
    );
}

#[test]
fn content_linked_outside_is_not_read() {
    let s = setup();
    symlink(
        s.secrets.join("leak.md"),
        s.site.join("content/briefings/2024-01-03-leak.md"),
    )
    .unwrap();
    symlink(&s.secrets, s.site.join("content/briefings/more")).unwrap();
    let found = build_without_secret(&s);
    let mut seen = codes(&found);
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "content/briefings/2024-01-03-leak.md",
                "symlink-outside-root"
            ),
            ("content/briefings/more", "symlink-outside-root"),
        ]
    );
    assert!(s.out.join("briefings/2024/a/index.html").is_file());

    // The whole `content/` folder linked out: nothing of it is read.
    let moved = s.secrets.join("content");
    std::fs::rename(s.site.join("content"), &moved).unwrap();
    symlink(&moved, s.site.join("content")).unwrap();
    let (_, items) = check_json(&s.site, &[]);
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"symlink-outside-root"), "{items:?}");
    assert!(
        !items
            .iter()
            .any(|d| d["file"].as_str().unwrap().contains("2024-01-02-a.md")),
        "{items:?}"
    );
}

/// Runs `attache ARGS` and waits at most 30 s: a hang fails the test
/// rather than the whole run. Returns the exit code and stdout.
fn run_bounded(args: &[&str], scratch: &Path) -> (i32, String) {
    let stdout_path = scratch.join("stdout.txt");
    let stdout = std::fs::File::create(&stdout_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("attache {args:?} did not finish in 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(stdout_path).unwrap(),
    )
}

/// `check` and `build` on a site whose `attache.yaml` is `make`d: both end
/// promptly with exit 1 and one error on attache.yaml with `code`.
fn config_is_refused(make: impl Fn(&Path), code: &str) {
    let s = setup();
    let config = s.site.join("attache.yaml");
    std::fs::remove_file(&config).unwrap();
    make(&config);
    let scratch = s.secrets.clone();
    let root = s.site.to_str().unwrap();
    let (status, stdout) = run_bounded(&["check", "--root", root, "--format", "json"], &scratch);
    assert_eq!(status, 1, "{stdout}");
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0]["file"].as_str().unwrap().ends_with("attache.yaml"));
    assert_eq!(items[0]["code"], code);
    assert_eq!(items[0]["severity"], "error");
    assert!(items[0]["hint"].as_str().is_some_and(|h| !h.is_empty()));
    let out = s.out.to_str().unwrap();
    let (status, _) = run_bounded(&["build", "--root", root, "--output", out], &scratch);
    assert_eq!(status, 1);
    assert!(!s.out.exists());
}

#[test]
fn a_config_linked_to_dev_zero_is_an_error_not_a_hang() {
    config_is_refused(
        |config| symlink("/dev/zero", config).unwrap(),
        "symlink-outside-root",
    );
}

#[test]
fn a_config_that_is_a_fifo_is_an_error_not_a_hang() {
    config_is_refused(
        |config| {
            let made = Command::new("mkfifo").arg(config).status().unwrap();
            assert!(made.success());
        },
        "not-a-file",
    );
}

#[test]
fn a_config_that_is_a_folder_is_an_error() {
    config_is_refused(|config| std::fs::create_dir(config).unwrap(), "not-a-file");
}

#[test]
fn a_huge_config_is_an_error() {
    config_is_refused(
        |config| {
            // Sparse: 17 MiB that take no disk.
            let file = std::fs::File::create(config).unwrap();
            file.set_len(17 * 1024 * 1024).unwrap();
        },
        "file-too-large",
    );
}

/// A config linked to a file inside the site is read.
#[test]
fn a_config_linked_inside_the_site_is_read() {
    let s = setup();
    let config = s.site.join("attache.yaml");
    std::fs::create_dir(s.site.join("settings")).unwrap();
    std::fs::rename(&config, s.site.join("settings/site.yaml")).unwrap();
    symlink("settings/site.yaml", &config).unwrap();
    build_ok(&s.site, &s.out, &[]);
    assert!(read(&s.out, "index.html").contains("Desk"));
}
