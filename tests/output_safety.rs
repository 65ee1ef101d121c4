//! Nothing lost: no `--output`, `--root` or symlink mistake makes a build
//! delete or change the user's own files. Each test takes a snapshot of
//! everything the user has, runs the mistaken command, and checks that the
//! files are byte-for-byte as they were.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A site with every kind of input a build must never touch, in `dir/site`:
/// content, templates, a theme, static files, attache.yaml and a `.git`.
fn user_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    let files: &[(&str, &str)] = &[
        (
            "attache.yaml",
            "title: Desk\nbase_url: https://example.org/\n",
        ),
        (
            "content/briefings/2024/2024-01-02-visit.md",
            "---\ntitle: Visit\ndate: 2024-01-02\nactors: [Kim Jong Un]\n---\nThe visit.\n",
        ),
        (
            "content/actors/kim-jong-un.md",
            "---\nname: Kim Jong Un\n---\nProfile.\n",
        ),
        ("templates/note.txt", "a template folder file\n"),
        ("themes/mine/static/theme.css", "body {}\n"),
        ("static/robots-extra.txt", "static file\n"),
        (".git/config", "[core]\n\tbare = false\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ];
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    root
}

/// Every file under `dir` (symlinks not followed), with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display()).into_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

fn run(args: &[&str]) -> Output {
    attache(args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `attache build --root ROOT ARGS` and asserts it is refused (exit 2)
/// with a message containing `says`, and that nothing under `keep` changed.
fn refused(root: &Path, args: &[&str], keep: &Path, says: &str) {
    let before = snapshot(keep);
    let mut all = vec!["build", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(&all);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    assert_eq!(snapshot(keep), before, "{args:?} changed the user's files");
}

#[test]
fn output_into_the_sites_own_folders_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    for folder in [
        "content",
        "content/briefings",
        "templates",
        "themes",
        "themes/mine/static",
        "static",
        ".git",
        "attache.yaml",
        ".",
        "..",
    ] {
        let output = root.join(folder);
        let output = output.to_str().unwrap();
        for extra in [&[][..], &["--incremental-write"], &["--force"]] {
            let mut args = vec!["--output", output];
            args.extend_from_slice(extra);
            refused(&root, &args, dir.path(), "refusing to write");
        }
    }
}

#[test]
fn a_relative_output_is_resolved_against_the_working_folder_and_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let before = snapshot(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
        .current_dir(&root)
        .args(["build", "--output", "content"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("content"), "{}", stderr(&out));
    assert_eq!(snapshot(dir.path()), before);
}

#[cfg(unix)]
#[test]
fn symlinks_do_not_defeat_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    // An output link that leads to the site root, or into content/.
    std::os::unix::fs::symlink(&root, dir.path().join("to-root")).unwrap();
    std::os::unix::fs::symlink(root.join("content"), dir.path().join("to-content")).unwrap();
    for link in ["to-root", "to-content"] {
        let output = dir.path().join(link);
        for extra in [&["--incremental-write"][..], &[], &["--force"]] {
            let mut args = vec!["--output", output.to_str().unwrap()];
            args.extend_from_slice(extra);
            refused(&root, &args, dir.path(), "refusing to write");
        }
    }
    // A root given through a link, and the real root as the output.
    let link_root = dir.path().join("to-root");
    refused(
        &link_root,
        &["--output", root.to_str().unwrap(), "--force"],
        dir.path(),
        "refusing to write",
    );
    // A content/ that is itself a link: its target is protected too.
    let archive = dir.path().join("archive");
    std::fs::rename(root.join("content"), &archive).unwrap();
    std::os::unix::fs::symlink(&archive, root.join("content")).unwrap();
    refused(
        &root,
        &["--output", archive.to_str().unwrap(), "--force"],
        dir.path(),
        "refusing to write",
    );
    refused(
        &root,
        &["--output", dir.path().to_str().unwrap(), "--force"],
        dir.path(),
        "refusing to write",
    );
}

#[test]
fn a_folder_of_other_files_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let theirs = dir.path().join("somewhere");
    std::fs::create_dir_all(theirs.join("photos")).unwrap();
    std::fs::write(theirs.join("photos/2019.jpg"), [0xFF, 0xD8, 0xFF]).unwrap();
    std::fs::write(theirs.join("notes.md"), "my notes\n").unwrap();
    for extra in [&[][..], &["--incremental-write"]] {
        let mut args = vec!["--output", theirs.to_str().unwrap()];
        args.extend_from_slice(extra);
        refused(&root, &args, dir.path(), "--force");
    }
    // With --force it becomes an output folder; later builds need no flag.
    build_ok(&root, &theirs, &["--force"]);
    assert!(theirs.join("index.html").is_file());
    assert!(!theirs.join("notes.md").exists());
    assert!(theirs.join(".attache-output").is_file());
    build_ok(&root, &theirs, &[]);
    build_ok(&root, &theirs, &["--incremental-write"]);
    assert!(theirs.join(".attache-output").is_file());
}

#[test]
fn an_empty_or_missing_output_folder_and_attaches_own_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    build_ok(&root, &empty, &[]);
    let deep = dir.path().join("new/deeper/public");
    build_ok(&root, &deep, &["--incremental-write"]);
    assert!(deep.join("index.html").is_file());
    let default = root.join("public");
    let out = run(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(default.join("index.html").is_file());
}

#[test]
fn a_root_that_is_no_site_is_an_error_for_every_command_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    // The live site, built once.
    let live = dir.path().join("live");
    build_ok(&root, &live, &[]);
    let before = snapshot(dir.path());
    let empty = dir.path().join("empty-folder");
    std::fs::create_dir(&empty).unwrap();
    let file = root.join("attache.yaml");
    let missing = dir.path().join("sitee");
    let nonexistent = Path::new("/nonexistent-attache-site");
    for (bad, says) in [
        (missing.as_path(), "does not exist"),
        (nonexistent, "does not exist"),
        (empty.as_path(), "neither attache.yaml nor content/"),
        (file.as_path(), "not a folder"),
    ] {
        let bad = bad.to_str().unwrap();
        let live = live.to_str().unwrap();
        for args in [
            vec!["build", "--root", bad, "--output", live],
            vec!["build", "--root", bad],
            vec!["check", "--root", bad],
            vec!["check", "--root", bad, "--format", "json"],
            vec!["serve", "--root", bad, "--port", "0"],
            vec!["new", "--root", bad, "briefing", "Title"],
        ] {
            let out = run(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
            assert!(!stderr(&out).contains("No problems found"));
        }
    }
    assert!(!nonexistent.exists());
    assert!(!missing.exists());
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
    std::fs::remove_dir(&empty).unwrap();
    assert_eq!(snapshot(dir.path()), before);
    // `init` is the one command that makes a site where there is none.
    let out = run(&["init", missing.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    build_ok(&missing, &dir.path().join("fresh"), &[]);
}

#[test]
fn a_manifest_may_not_overwrite_the_sites_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let out = dir.path().join("public");
    for manifest in [
        root.join("content/briefings/2024/2024-01-02-visit.md"),
        root.join("attache.yaml"),
        out.join("manifest.json"),
    ] {
        refused(
            &root,
            &[
                "--output",
                out.to_str().unwrap(),
                "--manifest",
                manifest.to_str().unwrap(),
            ],
            &root,
            "refusing to write",
        );
    }
}

#[test]
fn a_manifest_inside_the_output_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let out = dir.path().join("public");
    let manifest = out.join("manifest.json");
    refused(
        &root,
        &[
            "--output",
            out.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
        ],
        dir.path(),
        "inside the output folder, which every build replaces; write it beside the output",
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_file_or_a_dangling_link_is_refused_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    refused(
        &root,
        &["--output", file.to_str().unwrap(), "--force"],
        dir.path(),
        "exists and is not a folder; choose a folder for --output",
    );
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
    refused(
        &root,
        &["--output", link.to_str().unwrap()],
        dir.path(),
        "remove the link or choose another --output",
    );
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_up_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    // Enough briefings that writing takes a moment.
    for i in 0..400 {
        std::fs::write(
            root.join(format!("content/briefings/2024/b{i}.md")),
            format!("---\ntitle: Briefing {i}\ndate: 2024-01-02\n---\nBody {i}.\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    let site_before = snapshot(&out);
    let staging = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".attache-")
            })
            .collect()
    };
    // Kill builds until one dies while its temporary folder exists.
    let mut killed = false;
    for _ in 0..20 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
            .args(["build", "--root", root.to_str().unwrap(), "--output"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut seen = false;
        for _ in 0..2_000 {
            if !staging(dir.path()).is_empty() {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if seen && !staging(dir.path()).is_empty() {
            killed = true;
            break;
        }
    }
    assert!(killed, "no build could be caught while writing");
    // The output is still the whole previous site.
    assert_eq!(snapshot(&out), site_before);
    build_ok(&root, &out, &[]);
    assert_eq!(staging(dir.path()), Vec::<PathBuf>::new());
    assert_eq!(snapshot(&out), site_before);
}

#[test]
fn the_output_folder_never_disappears_during_a_swap() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        let index = out.join("index.html");
        std::thread::spawn(move || {
            let mut missing = 0usize;
            let mut looks = 0usize;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if std::fs::metadata(&index).is_err() {
                    missing += 1;
                }
            }
            (missing, looks)
        })
    };
    for i in 0..15 {
        // A change each time, so every build swaps a new folder in.
        std::fs::write(
            root.join("content/briefings/2024/2024-01-02-visit.md"),
            format!("---\ntitle: Visit {i}\ndate: 2024-01-02\n---\nThe visit.\n"),
        )
        .unwrap();
        build_ok(&root, &out, &[]);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (missing, looks) = watcher.join().unwrap();
    assert!(looks > 0);
    assert_eq!(
        missing, 0,
        "index.html was missing {missing} of {looks} times"
    );
    assert!(read(&out, "index.html").contains("Visit 14"));
}

#[test]
fn a_deploy_repository_checked_out_in_the_output_survives_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = user_site(dir.path());
    let out = dir.path().join("public");
    std::fs::create_dir(&out).unwrap();
    git(&out, &["init", "-q", "-b", "gh-pages"], None);
    std::fs::write(out.join("CNAME"), "briefings.example.org\n").unwrap();
    git(&out, &["add", "."], None);
    git(&out, &["commit", "-q", "-m", "First deploy"], None);
    let repository = snapshot(&out.join(".git"));
    // The checkout has a file attache did not write: --force, once.
    refused(&root, &["--output", out.to_str().unwrap()], &out, "--force");
    build_ok(&root, &out, &["--force"]);
    build_ok(&root, &out, &[]);
    build_ok(&root, &out, &["--incremental-write"]);
    assert_eq!(snapshot(&out.join(".git")), repository);
    assert_eq!(git(&out, &["log", "--format=%s"], None), "First deploy");
    assert!(out.join("index.html").is_file());
}
