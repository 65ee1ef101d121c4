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

/// Replaces `output` with exactly `files`. `root` is the site root, which
/// `output` may not contain.
pub fn write_site(files: &[OutputFile], output: &Path, root: &Path) -> Result<(), WriteError> {
    let output = absolute(output);
    let root = absolute(root);
    if root.starts_with(&output) {
        return Err(WriteError::UnsafeOutput(output));
    }
    for f in files {
        if !is_plain_relative(&f.path) {
            return Err(WriteError::BadPath(f.path.clone()));
        }
    }
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
    let staging = tempfile::Builder::new()
        .prefix(".attache-build-")
        .tempdir_in(&parent)
        .map_err(|e| WriteError::Io(parent.clone(), e))?;
    let dirs: BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for dir in dirs {
        let full = staging.path().join(dir);
        std::fs::create_dir_all(&full).map_err(|e| WriteError::Io(full, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let target = staging.path().join(&f.path);
        match &f.contents {
            Contents::Bytes(bytes) => std::fs::write(&target, bytes),
            Contents::Copy(source) => std::fs::copy(source, &target).map(|_| ()),
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
