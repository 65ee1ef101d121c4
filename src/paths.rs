//! Lexical path helpers shared by the stages.

use std::path::{Component, Path, PathBuf};

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
}
