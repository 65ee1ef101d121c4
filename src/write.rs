//! Stage 4, write: put the rendered files on disk so that the output folder
//! is either the old site or the new one, never half of each.
//!
//! Everything is written into a temporary folder beside the output, which
//! then takes the output's place by rename. A failure at any point leaves the
//! previous output untouched and removes the temporary folder.

use crate::paths::{is_plain_relative, normalize};
use crate::render::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum WriteError {
    /// The output folder would swallow the site itself.
    UnsafeOutput(PathBuf),
    /// A rendered path tried to leave the output folder.
    BadPath(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::UnsafeOutput(p) => write!(
                f,
                "refusing to write to {}: it holds the site's own files; choose another --output",
                p.display()
            ),
            WriteError::BadPath(p) => {
                write!(f, "refusing to write '{p}': it leaves the output folder")
            }
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// How the output folder is brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Build a new folder beside it and swap: all or nothing.
    #[default]
    Replace,
    /// Rewrite only files whose bytes changed (each by rename, so no file is
    /// ever half-written) and delete files the site no longer has, so that
    /// rsync and object-store syncs upload only what changed.
    Incremental,
}

/// What writing did, for the report and `--incremental-write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Every folder the files need, parents before children.
fn folders(files: &[OutputFile]) -> BTreeSet<&Path> {
    files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// The bytes of a file to write: in memory, or read from the static file.
fn bytes_of(f: &OutputFile) -> Result<std::borrow::Cow<'_, [u8]>, WriteError> {
    match &f.contents {
        Contents::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes.as_slice())),
        Contents::Copy(source) => crate::input::read_file(source, None)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| WriteError::Io(source.clone(), read_error(e))),
    }
}

/// A static file's problem as an I/O error of the write.
fn read_error(err: crate::input::ReadError) -> io::Error {
    match err {
        crate::input::ReadError::Io(e) => e,
        other => io::Error::other(other.diagnostic(Path::new("")).message),
    }
}

/// Copies the static file `source` (a regular file, not followed if it
/// became a symlink since it was listed) to `target`.
fn copy_file(source: &Path, target: &Path) -> io::Result<()> {
    let (mut from, _) = crate::input::open_file(source).map_err(read_error)?;
    let mut to = std::fs::File::create(target)?;
    io::copy(&mut from, &mut to).map(|_| ())
}

fn check_paths(files: &[OutputFile], output: &Path, root: &Path) -> Result<(), WriteError> {
    if absolute(root).starts_with(absolute(output)) {
        return Err(WriteError::UnsafeOutput(absolute(output)));
    }
    for f in files {
        if !is_plain_relative(&f.path) {
            return Err(WriteError::BadPath(f.path.clone()));
        }
    }
    Ok(())
}

/// Brings `output` to exactly `files`, in the given mode.
pub fn write_output(
    files: &[OutputFile],
    output: &Path,
    root: &Path,
    mode: Mode,
) -> Result<WriteStats, WriteError> {
    match mode {
        Mode::Replace => write_site(files, output, root).map(|()| WriteStats {
            written: files.len(),
            ..WriteStats::default()
        }),
        Mode::Incremental => write_incremental(files, output, root),
    }
}

/// Updates `output` in place, touching only files whose bytes differ.
pub fn write_incremental(
    files: &[OutputFile],
    output: &Path,
    root: &Path,
) -> Result<WriteStats, WriteError> {
    check_paths(files, output, root)?;
    if !output.is_dir() {
        return write_site(files, output, root).map(|()| WriteStats {
            written: files.len(),
            ..WriteStats::default()
        });
    }
    for dir in folders(files) {
        let full = output.join(dir);
        if full.is_file() {
            std::fs::remove_file(&full).map_err(|e| WriteError::Io(full.clone(), e))?;
        }
        std::fs::create_dir_all(&full).map_err(|e| WriteError::Io(full, e))?;
    }
    let results: Vec<Result<bool, WriteError>> = files
        .par_iter()
        .map(|f| {
            let target = output.join(&f.path);
            let bytes = bytes_of(f)?;
            let same = std::fs::metadata(&target)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && std::fs::read(&target).is_ok_and(|old| old == *bytes);
            if same {
                return Ok(false);
            }
            if target.is_dir() {
                std::fs::remove_dir_all(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
            }
            // Write beside, then rename over: a reader never sees half a file.
            let parent = target.parent().unwrap_or(output);
            let mut temp = tempfile::NamedTempFile::new_in(parent)
                .map_err(|e| WriteError::Io(target.clone(), e))?;
            std::io::Write::write_all(&mut temp, &bytes)
                .map_err(|e| WriteError::Io(target.clone(), e))?;
            temp.persist(&target)
                .map_err(|e| WriteError::Io(target.clone(), e.error))?;
            Ok(true)
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    // Remove what the site no longer has, deepest first.
    let keep: std::collections::HashSet<PathBuf> =
        files.iter().map(|f| output.join(&f.path)).collect();
    let mut stale_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry
            .map_err(|e| WriteError::Io(output.to_path_buf(), io::Error::other(e.to_string())))?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            stale_dirs.push(path.to_path_buf());
        } else if !keep.contains(path) {
            std::fs::remove_file(path).map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
            stats.removed += 1;
        }
    }
    for dir in stale_dirs {
        // Only empty folders go; `remove_dir` refuses the others.
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(stats)
}

/// A JSON list of every output file with its size and SHA-256, sorted by
/// path, so CI can diff two deploys:
/// `[{"path": "index.html", "bytes": 1234, "sha256": "…"}, …]`.
pub fn manifest(files: &[OutputFile]) -> Result<Vec<u8>, WriteError> {
    use sha2::{Digest, Sha256};
    let entries: Vec<Result<serde_json::Value, WriteError>> = files
        .par_iter()
        .map(|f| {
            let bytes = bytes_of(f)?;
            let digest = Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            Ok(serde_json::json!({"path": f.path, "bytes": bytes.len(), "sha256": hex}))
        })
        .collect();
    let mut list = entries.into_iter().collect::<Result<Vec<_>, _>>()?;
    list.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    let mut out = serde_json::to_vec_pretty(&list).expect("JSON values serialize");
    out.push(b'\n');
    Ok(out)
}

/// Replaces `output` with exactly `files`. `root` is the site root, which
/// `output` may not contain.
pub fn write_site(files: &[OutputFile], output: &Path, root: &Path) -> Result<(), WriteError> {
    check_paths(files, output, root)?;
    let output = absolute(output);
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
    let staging = tempfile::Builder::new()
        .prefix(".attache-build-")
        .tempdir_in(&parent)
        .map_err(|e| WriteError::Io(parent.clone(), e))?;
    for dir in folders(files) {
        let full = staging.path().join(dir);
        std::fs::create_dir_all(&full).map_err(|e| WriteError::Io(full, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let target = staging.path().join(&f.path);
        match &f.contents {
            Contents::Bytes(bytes) => std::fs::write(&target, bytes),
            Contents::Copy(source) => copy_file(source, &target),
        }
        .map_err(|e| WriteError::Io(target, e))
    })?;
    swap_into_place(staging, &output, &parent)
}

fn swap_into_place(
    staging: tempfile::TempDir,
    output: &Path,
    parent: &Path,
) -> Result<(), WriteError> {
    let old = if output.exists() {
        if !output.is_dir() {
            return Err(WriteError::Io(
                output.to_path_buf(),
                io::Error::other("exists and is not a folder"),
            ));
        }
        let old = tempfile::Builder::new()
            .prefix(".attache-old-")
            .tempdir_in(parent)
            .map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        let old_path = old.path().join("site");
        std::fs::rename(output, &old_path).map_err(|e| WriteError::Io(output.to_path_buf(), e))?;
        Some((old, old_path))
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, output) {
        // Put the old site back before reporting.
        if let Some((_, old_path)) = &old {
            let _ = std::fs::rename(old_path, output);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(WriteError::Io(output.to_path_buf(), e));
    }
    // `old` (a TempDir) removes the previous site when dropped.
    drop(old);
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path)
        .map(|p| normalize(&p))
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let out = dir.path().join("public");
        write_site(
            &[file("a/index.html", "one"), file("stale.html", "x")],
            &out,
            &root,
        )
        .unwrap();
        write_site(&[file("a/index.html", "two")], &out, &root).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".attache"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn incremental_rewrites_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = dir.path().join("public");
        write_site(
            &[
                file("a/index.html", "one"),
                file("b.html", "same"),
                file("gone.html", "x"),
            ],
            &out,
            &root,
        )
        .unwrap();
        let before = std::fs::metadata(out.join("b.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_incremental(
            &[file("a/index.html", "two"), file("b.html", "same")],
            &out,
            &root,
        )
        .unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("gone.html").exists());
        assert_eq!(
            std::fs::metadata(out.join("b.html"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for bad in ["../evil.html", "/etc/passwd", "a/../../x", ""] {
            let err = write_site(&[file(bad, "x")], &out, &dir.path().join("site")).unwrap_err();
            assert!(matches!(err, WriteError::BadPath(_)), "{bad}");
        }
        assert!(!out.exists());
    }

    #[test]
    fn refuses_to_replace_the_site_root() {
        let dir = tempfile::tempdir().unwrap();
        let err =
            write_site(&[file("x.html", "x")], dir.path(), &dir.path().join("site")).unwrap_err();
        assert!(matches!(err, WriteError::UnsafeOutput(_)));
        let err = write_site(
            &[file("x.html", "x")],
            &dir.path().join("site"),
            &dir.path().join("site"),
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::UnsafeOutput(_)));
    }
}
