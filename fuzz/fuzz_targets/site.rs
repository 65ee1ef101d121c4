//! Fuzzes a whole `attache build` (load, resolve, render, write) of a site
//! with one briefing, one actor profile, one topic and one page.
//!
//! Input layout: the first byte is a control byte, the rest are the raw
//! bytes of one of the site's files (not decoded: invalid UTF-8 reaches
//! the loader as it would from disk).
//!
//! Control byte bits:
//! - `0b0000_0011`: which file the bytes replace: 0 the briefing, 1 the
//!   actor profile, 2 the page, 3 `attache.yaml`
//! - `0b0000_0100`: `--incremental-write` instead of replacing the output
//! - `0b0000_1000`: `--drafts`
//!
//! The site lives in one temporary folder per process and the output is
//! built again on every run, so the marker and swap paths of `write` are
//! exercised too. Invariants: no panic; a build with errors writes nothing;
//! a build that writes leaves a home page, the marker, and nothing outside
//! the output folder.

#![no_main]

use attache::site::{SiteOptions, WriteOptions, build};
use attache::write::{MARKER, Mode};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const BRIEFING: &str = "content/briefings/2024/2024-06-19-visit.md";
const ACTOR: &str = "content/actors/kim-jong-un.md";
const PAGE: &str = "content/pages/about.md";
const CONFIG: &str = "attache.yaml";

/// The files of the site as they are when the input does not replace them.
const SITE: &[(&str, &str)] = &[
    (
        CONFIG,
        "title: Desk\nbase_url: https://example.org/desk/\nactors: {autolink: all}\n",
    ),
    (
        BRIEFING,
        "---\ntitle: Putin in Pyongyang\ndate: 2024-06-19\nactors: [Kim Jong Un, Vladimir Putin]\ntopics: [Russia–North Korea relations]\nsources:\n  - {id: a, title: A, url: https://example.org/a}\naliases: [/2024/06/visit/]\n---\nKim Jong Un met [[Vladimir Putin]] [@a]. See [about](/about/).\n",
    ),
    (
        ACTOR,
        "---\nname: Kim Jong Un\naliases: [Kim Jong-un]\nkind: person\n---\nProfile.\n",
    ),
    (
        "content/topics/russia-north-korea-relations.md",
        "---\nname: Russia–North Korea relations\n---\nTopic.\n",
    ),
    (PAGE, "---\ntitle: About\n---\nAbout the desk.\n"),
];

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }
    fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }
}

static SITE_DIR: LazyLock<Site> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    Site { dir }
});

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("site files are in folders"))
        .expect("the site's folders can be made");
    std::fs::write(path, bytes).expect("the site's files can be written");
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let replaced = [BRIEFING, ACTOR, PAGE, CONFIG][usize::from(control & 0b11)];
    let site = &*SITE_DIR;
    let root = site.root();
    for (path, text) in SITE {
        let bytes = if *path == replaced {
            rest
        } else {
            text.as_bytes()
        };
        write(&root.join(path), bytes);
    }
    let options = SiteOptions {
        root: root.clone(),
        base_url: None,
        drafts: control & 0b1000 != 0,
        strict: false,
    };
    let write_options = WriteOptions {
        mode: if control & 0b100 != 0 {
            Mode::Incremental
        } else {
            Mode::Replace
        },
        manifest: None,
        other_files: attache::write::OtherFiles::Refuse,
    };
    let output = site.output();
    match build(&options, &output, &write_options) {
        Ok(report) => match report.written {
            Some(_) => {
                assert!(!report.diagnostics.has_errors(), "wrote despite errors");
                assert!(output.join("index.html").is_file(), "no home page");
                assert!(output.join(MARKER).is_file(), "no marker");
            }
            None => assert!(
                report.diagnostics.has_errors(),
                "nothing written and no error"
            ),
        },
        // Only the file system may fail a build that is not content's fault.
        Err((e, _)) => panic!("build failed outside content: {e}"),
    }
    // Nothing beside the site and its output.
    let mut beside: Vec<String> = std::fs::read_dir(site.dir.path())
        .expect("the temporary folder is readable")
        .map(|e| e.expect("entries are readable").file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert!(
        beside == ["public", "site"] || beside == ["site"],
        "files beside the output: {beside:?}"
    );
});
