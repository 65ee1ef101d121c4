//! Editorial history from git: one `git log` for the whole `content/` tree
//! (never a process per file), read into revisions per file.
//!
//! Outside a git checkout, or without git installed, there is simply no
//! history; a shallow clone (the CI default) gives what history it has, with
//! a warning.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use jiff::Timestamp;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// One commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub commit: String,
    pub timestamp: Timestamp,
    pub subject: String,
}

#[derive(Debug, Clone, Default)]
pub struct History {
    /// Revisions of each file (path relative to the site root), newest first.
    pub files: HashMap<PathBuf, Vec<Revision>>,
    /// The commit the site is built from.
    pub head: Option<String>,
}

/// A history as read, with what went wrong reading it.
pub type Read = (Option<Arc<History>>, Diagnostics);

pub enum PendingHistory {
    Reading(std::thread::JoinHandle<Read>),
    /// Read before, and still current.
    Ready(Read),
}

impl PendingHistory {
    pub fn wait(self) -> Read {
        let handle = match self {
            PendingHistory::Ready(read) => return read,
            PendingHistory::Reading(handle) => handle,
        };
        handle.join().unwrap_or_else(|_| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::new(
                Code::Git,
                Path::new(crate::config::CONFIG_FILE),
                "reading the git history failed; building without it",
            ));
            (None, d)
        })
    }
}

/// The last history read, kept by `serve`: reading the whole log of a
/// large repository takes a second, and the history changes only when the
/// head commit does (a commit, a checkout, a pull), which one quick
/// `git rev-parse HEAD` tells.
#[derive(Default)]
pub struct HistoryCache {
    kept: Arc<std::sync::Mutex<Option<Read>>>,
}

impl HistoryCache {
    /// The kept history if the head commit is still the one it was read
    /// at, else a new read (kept in turn when it ends).
    pub fn start(&self, root: &Path) -> PendingHistory {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if let Some(read) = kept {
            let kept_head = read.0.as_ref().and_then(|h| h.head.clone());
            let head = git(root, &["rev-parse", "HEAD"])
                .ok()
                .map(|out| out.trim().to_string());
            if kept_head.is_some() && kept_head == head {
                return PendingHistory::Ready(read);
            }
        }
        let root = root.to_path_buf();
        let slot = self.kept.clone();
        PendingHistory::Reading(std::thread::spawn(move || {
            let (history, diagnostics) = read_history(&root);
            let read = (history.map(Arc::new), diagnostics);
            *slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(read.clone());
            read
        }))
    }
}

/// The file git appends to whenever the head commit moves (a commit, a
/// checkout, a reset, a pull): `<git dir>/logs/HEAD`, when `root` is in a
/// repository. `serve` watches it to read the history again.
pub fn head_log(root: &Path) -> Option<PathBuf> {
    let dir = git(root, &["rev-parse", "--absolute-git-dir"]).ok()?;
    let log = Path::new(dir.trim()).join("logs").join("HEAD");
    log.is_file().then_some(log)
}

/// Reads the history of `root/content`. Problems are warnings: a site
/// builds without its history.
pub fn read_history(root: &Path) -> (Option<History>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let config = Path::new(crate::config::CONFIG_FILE);
    let state = git(
        root,
        &[
            "rev-parse",
            "--is-shallow-repository",
            "--show-prefix",
            "HEAD",
        ],
    );
    let state = match state {
        Ok(out) => out,
        Err(message) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::Git,
                    config,
                    format!("git: true, but no history could be read: {message}"),
                )
                .with_hint("build from a git checkout with git installed, or set `git: false`"),
            );
            return (None, diagnostics);
        }
    };
    let mut lines = state.lines();
    let shallow = lines.next() == Some("true");
    // Where the site root is inside the repository ("" at the top, "site/").
    let prefix = lines.next().unwrap_or("").to_string();
    let head = lines.next().map(str::to_string);
    if shallow {
        diagnostics.push(
            Diagnostic::new(Code::GitShallow,
                config,
                "this is a shallow clone: revision history and `updated` dates only go back as far as the clone",
            )
            .with_hint("in CI, fetch the whole history (actions/checkout with `fetch-depth: 0`)"),
        );
    }
    // The whole history, filtered here: limiting git to `content/` with a
    // pathspec makes it simplify history and costs it almost twice the time.
    let log = git(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--format=%x1e%H%x1f%ct%x1f%s",
            "--name-only",
            "--no-renames",
        ],
    );
    match log {
        Ok(text) => (
            Some(History {
                files: parse_log(&text, &format!("{prefix}content/"), &prefix),
                head,
            }),
            diagnostics,
        ),
        Err(message) => {
            diagnostics.push(Diagnostic::new(
                Code::Git,
                config,
                format!("git log failed: {message}"),
            ));
            (None, diagnostics)
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git ({e})"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(stderr.lines().next().unwrap_or("git failed").to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Parses records of `\x1eHASH\x1fUNIXTIME\x1fSUBJECT\n\npath\npath\n`
/// (paths from the top of the repository), keeping the paths under `keep`
/// with `strip` removed (so they are relative to the site root).
fn parse_log(text: &str, keep: &str, strip: &str) -> HashMap<PathBuf, Vec<Revision>> {
    let mut files: HashMap<PathBuf, Vec<Revision>> = HashMap::new();
    for record in text.split('\x1e').filter(|r| !r.trim().is_empty()) {
        let (header, paths) = record.split_once('\n').unwrap_or((record, ""));
        let mut parts = header.splitn(3, '\x1f');
        let (Some(commit), Some(time), Some(subject)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Some(timestamp) = time
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
        else {
            continue;
        };
        let revision = Revision {
            commit: commit.chars().take(12).collect(),
            timestamp,
            // A commit message is no file to report at: a character XML
            // forbids is dropped without a word.
            subject: subject
                .trim()
                .chars()
                .filter(|&c| !super::chars::is_forbidden(c))
                .collect(),
        };
        for path in paths.lines().map(str::trim).filter(|p| p.starts_with(keep)) {
            let rel = &path[strip.len()..];
            files
                .entry(PathBuf::from(rel))
                .or_default()
                .push(revision.clone());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commits_per_file_newest_first() {
        let log = "\x1eaaaaaaaaaaaaaaaa\x1f1706781600\x1fsecond:\x07 edit\x1b\n\nsite/content/a.md\nsite/content/b.md\nsrc/main.rs\n\x1ebbbbbbbbbbbbbbbb\x1f1704103200\x1ffirst one\n\nsite/content/a.md\n";
        let files = parse_log(log, "site/content/", "site/");
        assert_eq!(files.len(), 2, "only content files are kept");
        let a = &files[Path::new("content/a.md")];
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].subject, "second: edit");
        assert_eq!(a[0].commit, "aaaaaaaaaaaa");
        assert_eq!(a[1].timestamp.as_second(), 1704103200);
        assert_eq!(files[Path::new("content/b.md")].len(), 1);
    }

    #[test]
    fn outside_git_is_a_warning_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (history, d) = read_history(dir.path());
        assert!(history.is_none());
        assert!(!d.has_errors());
    }
}
