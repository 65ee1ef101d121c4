//! Path helpers shared by the stages: lexical ones, and `resolve_symlinks`,
//! the one that asks the file system where a path really leads.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute with every symlink resolved, as far as it exists;
/// the part that does not exist yet is appended as written (`..` in it
/// applies to the real folder, not to a link's name). A dangling symlink is
/// an error: writing through it would land wherever it points.
pub fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                match std::fs::canonicalize(&out) {
                    Ok(real) => out = real,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if std::fs::symlink_metadata(&out).is_ok() {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::NotFound,
                                format!("{} is a symlink to nothing", out.display()),
                            ));
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}

/// Removes `.` and resolves `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `path` is a plain relative path (no root, no `..`), one that
/// stays inside whatever folder it is joined to.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// `path` relative to `dir`, with `/` separators whatever the platform (the
/// form output files and template names use), or `None` outside `dir`.
pub fn slash_relative(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// `path` relative to the site root, for messages and origins.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("content/briefings/2024/../2023/./a.md")),
            PathBuf::from("content/briefings/2023/a.md")
        );
        assert!(is_plain_relative("a/b.html"));
        assert!(!is_plain_relative("../a"));
        assert!(!is_plain_relative("/a"));
        assert!(!is_plain_relative(""));
        assert_eq!(
            slash_relative(Path::new("t"), Path::new("t/a/b.html")).as_deref(),
            Some("a/b.html")
        );
        assert_eq!(slash_relative(Path::new("t"), Path::new("u/a")), None);
    }

    #[cfg(unix)]
    #[test]
    fn resolves_symlinks_as_far_as_the_path_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(real.join("site")).unwrap();
        std::os::unix::fs::symlink(real.join("site"), real.join("link")).unwrap();
        assert_eq!(
            resolve_symlinks(&real.join("link/public/x")).unwrap(),
            real.join("site/public/x")
        );
        // `..` after a link leaves the link's target, not the link's folder.
        std::fs::create_dir_all(real.join("deep/er")).unwrap();
        std::os::unix::fs::symlink(real.join("deep/er"), real.join("site/up")).unwrap();
        assert_eq!(
            resolve_symlinks(&real.join("site/up/../out")).unwrap(),
            real.join("deep/out")
        );
        std::os::unix::fs::symlink(real.join("gone"), real.join("dangling")).unwrap();
        assert!(resolve_symlinks(&real.join("dangling/x")).is_err());
    }
}
