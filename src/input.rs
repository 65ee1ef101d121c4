//! Reading the site's files, and only the site's.
//!
//! Every file attache reads from a site (content, templates, static files,
//! `attache.yaml`) is listed by [`walk`] and opened by [`open_file`],
//! [`read_file`] or [`read_in`], so one place decides what may be read:
//!
//! - A symlink is followed only if its target, fully resolved, lies inside
//!   one of the site's input folders ([`INPUT_FOLDERS`]); for
//!   `attache.yaml`, anywhere inside the site root. A link to anything else
//!   (outside the root, the root itself, `.git/`, the output folder) is
//!   reported with its target and not read, so neither `static -> ..` nor
//!   `static -> ~/secrets` nor `static -> /proc/self` publishes anything.
//!   This holds for the input folders themselves (a symlinked `static/`) and
//!   for a theme's folder.
//! - Links inside those folders are followed (an image folder shared by
//!   `content/` and `static/`, say). A link back to a folder that contains
//!   it is reported as a loop (walkdir's loop detection) and not walked.
//! - Only regular files are read: a FIFO, a device or a folder is refused
//!   without blocking (opened non-blocking, then checked on the open file).
//! - Text files are read up to [`MAX_TEXT_BYTES`], counted while reading, so
//!   a file that grows as it is read still stops at the cap.
//!
//! A file is opened without following a symlink in its last component; a
//! file that became a symlink since it was listed is resolved and checked
//! again ([`read_in`]) or refused ([`read_file`]).

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Content files, templates and `attache.yaml` larger than this are refused
/// rather than parsed: no briefing is anywhere near it, and it keeps a
/// stray data dump from eating memory.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The folders of a site that attache reads (beside `attache.yaml`): a
/// symlink anywhere in them may lead only into one of them; `serve` watches
/// them; no output folder may touch them.
pub const INPUT_FOLDERS: &[&str] = &["content", "static", "templates", "themes"];

/// Where a symlink may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Into one of the [`INPUT_FOLDERS`] of the site root.
    Inputs,
    /// Anywhere strictly inside the site root (for `attache.yaml`).
    Root,
}

/// A regular file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Where it appears: under the folder walked, so names relative to that
    /// folder are what the site author sees.
    pub path: PathBuf,
    /// What to open: `path`, or its resolved target when `path` is itself a
    /// symlink (checked to be in scope).
    pub source: PathBuf,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A symlink whose resolved target (given) is out of scope.
    Outside(PathBuf),
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    /// A symlink where a regular file was listed (it changed since).
    Symlink,
    /// Larger than the cap: the size found.
    TooLarge(u64),
    Io(io::Error),
}

impl ReadError {
    /// The problem as a diagnostic on `rel` (relative to the site root): an
    /// error, but for a link out of scope, a warning like the one `walk`
    /// gives (the file is skipped, as if it had not been listed).
    pub fn diagnostic(&self, rel: &Path) -> Diagnostic {
        match self {
            ReadError::Outside(target) => outside_warning(rel, target),
            ReadError::NotRegular(what) => Diagnostic::new(
                Code::NotAFile,
                rel,
                format!("this is {what}, not a regular file; attache does not read it"),
            )
            .with_hint("replace it with a plain file"),
            ReadError::Symlink => Diagnostic::new(
                Code::Io,
                rel,
                "cannot read: the file was replaced by a symlink while the site was read",
            )
            .with_hint("run the command again"),
            ReadError::TooLarge(size) => Diagnostic::new(
                Code::FileTooLarge,
                rel,
                format!(
                    "file is {} MiB; attache reads text files of at most {} MiB",
                    size / (1024 * 1024),
                    MAX_TEXT_BYTES / (1024 * 1024)
                ),
            )
            .with_hint("split it into smaller files, or move data that is not text out of it"),
            ReadError::Io(err) => Diagnostic::new(Code::Io, rel, format!("cannot read: {err}")),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        ReadError::Io(err)
    }
}

/// Whether `target` (canonical) is somewhere `scope` allows under `root`
/// (canonical).
fn in_scope(root: &Path, target: &Path, scope: Scope) -> bool {
    let Ok(rel) = target.strip_prefix(root) else {
        return false;
    };
    let first = rel.components().next();
    match scope {
        Scope::Root => first.is_some(),
        Scope::Inputs => matches!(first, Some(Component::Normal(name))
            if name.to_str().is_some_and(|n| INPUT_FOLDERS.contains(&n))),
    }
}

/// The resolved target of `path` (under `root`), if `scope` allows it.
pub fn resolve(root: &Path, path: &Path, scope: Scope) -> Result<PathBuf, ReadError> {
    let root = root.canonicalize()?;
    let target = path.canonicalize()?;
    if in_scope(&root, &target, scope) {
        Ok(target)
    } else {
        Err(ReadError::Outside(target))
    }
}

/// Opens `path` if it is a regular file, without following a symlink in its
/// last component and without blocking on a FIFO. Returns the file and its
/// size.
pub fn open_file(path: &Path) -> Result<(File, u64), ReadError> {
    let file = open_no_follow(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(&kind)));
    }
    Ok((file, meta.len()))
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, ReadError> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    let flags = (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits();
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(i32::try_from(flags).expect("open flags fit in an int"))
        .open(path)
        .map_err(|err| {
            if err.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
                ReadError::Symlink
            } else {
                ReadError::Io(err)
            }
        })
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<File, ReadError> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(ReadError::Symlink);
    }
    Ok(File::open(path)?)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// Reads the regular file at `path` (see [`open_file`]), at most `limit`
/// bytes when given.
pub fn read_file(path: &Path, limit: Option<u64>) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_file(path)?;
    if let Some(limit) = limit
        && len > limit
    {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    match limit {
        Some(limit) => {
            file.take(limit + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > limit {
                return Err(ReadError::TooLarge(bytes.len() as u64));
            }
        }
        None => {
            let mut file = file;
            file.read_to_end(&mut bytes)?;
        }
    }
    Ok(bytes)
}

/// [`read_file`] for a file of the site at `root`: a symlink is followed if
/// `scope` allows its target.
pub fn read_in(
    root: &Path,
    path: &Path,
    scope: Scope,
    limit: Option<u64>,
) -> Result<Vec<u8>, ReadError> {
    match read_file(path, limit) {
        Err(ReadError::Symlink) => read_file(&resolve(root, path, scope)?, limit),
        other => other,
    }
}

/// Every regular file under `dir` (an input folder of the site at `root`, or
/// one inside a theme), sorted by name within each folder. Entries whose
/// name `keep` refuses are skipped with what is under them. Symlinks are
/// followed only into the input folders; the others, and loops, are
/// reported as warnings and skipped. A missing `dir` has no files.
pub fn walk(
    root: &Path,
    dir: &Path,
    keep: impl Fn(&OsStr) -> bool,
    diagnostics: &mut Diagnostics,
) -> Vec<Found> {
    let mut files = Vec::new();
    let Some(real_root) = walk_start(root, dir, diagnostics) else {
        return files;
    };
    let mut refused: Vec<(PathBuf, PathBuf)> = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if !keep(entry.file_name()) {
                return false;
            }
            if !entry.path_is_symlink() {
                return true;
            }
            match entry.path().canonicalize() {
                Ok(target) if in_scope(&real_root, &target, Scope::Inputs) => true,
                Ok(target) => {
                    refused.push((entry.path().to_path_buf(), target));
                    false
                }
                Err(_) => false,
            }
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.extend(found(entry)),
            // Folders are walked; FIFOs, devices and sockets are not files
            // of the site.
            Ok(_) => {}
            Err(err) => diagnostics.extend(walk_error(root, &real_root, err)),
        }
    }
    for (link, target) in refused {
        let rel = crate::paths::relative(root, &link);
        diagnostics.push(outside_warning(&rel, &target));
    }
    files
}

/// The site's root, resolved, if `dir` is a folder to walk: it exists and
/// is, or leads to, a folder inside the inputs (it, or a folder it is in
/// such as a theme's, may be a link); else `None`, with a diagnostic where
/// something is wrong.
fn walk_start(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Option<PathBuf> {
    if !dir.is_dir() {
        return None;
    }
    let rel = |p: &Path| crate::paths::relative(root, p);
    let real_root = match root.canonicalize() {
        Ok(root) => root,
        Err(err) => {
            diagnostics.push(Diagnostic::new(
                Code::Io,
                Path::new("."),
                format!("cannot read the site folder: {err}"),
            ));
            return None;
        }
    };
    match dir.canonicalize() {
        Ok(target) if in_scope(&real_root, &target, Scope::Inputs) => Some(real_root),
        Ok(target) => {
            diagnostics.push(outside_warning(&rel(dir), &target));
            None
        }
        Err(err) => {
            diagnostics.push(Diagnostic::new(
                Code::Io,
                &rel(dir),
                format!("cannot read: {err}"),
            ));
            None
        }
    }
}

/// A regular file the walk met, with where a link leads.
fn found(entry: walkdir::DirEntry) -> Option<Found> {
    let source = if entry.path_is_symlink() {
        entry.path().canonicalize().ok()?
    } else {
        entry.path().to_path_buf()
    };
    Some(Found {
        path: entry.into_path(),
        source,
    })
}

/// What to report of an entry the walk could not read: a link out of the
/// inputs, a loop, or an I/O error (a link to nothing is not reported).
fn walk_error(root: &Path, real_root: &Path, err: walkdir::Error) -> Option<Diagnostic> {
    let rel = |p: &Path| crate::paths::relative(root, p);
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    // walkdir checks for loops (against the folder's ancestors
    // too) before the filter sees the link: a link to the site
    // root is a loop, but first of all it leads out of scope.
    let target = path.canonicalize().ok();
    if let Some(target) = target.filter(|t| !in_scope(real_root, t, Scope::Inputs)) {
        Some(outside_warning(&rel(&path), &target))
    } else if let Some(ancestor) = err.loop_ancestor() {
        Some(
            Diagnostic::new(
                Code::SymlinkLoop,
                &rel(&path),
                format!(
                    "this symlink leads back to {}, a folder that contains it; it is not followed",
                    rel(ancestor).display()
                ),
            )
            .with_hint("remove the link, or point it at a folder outside the one it is in"),
        )
    } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        // A link to nothing: there is nothing to read.
        None
    } else {
        Some(Diagnostic::new(
            Code::Io,
            &rel(&path),
            format!("cannot read: {err}"),
        ))
    }
}

/// The warning for a symlink at `rel` that leads to `target`, out of scope.
fn outside_warning(rel: &Path, target: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::SymlinkOutsideRoot,
        rel,
        format!(
            "this symlink leads to {}, outside the site's input folders; attache does not read it",
            target.display()
        ),
    )
    .with_hint(format!(
        "copy what it points to into the site, or point the link inside {}",
        INPUT_FOLDERS
            .iter()
            .map(|f| format!("{f}/"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in INPUT_FOLDERS {
            std::fs::create_dir(dir.path().join(f)).unwrap();
        }
        dir
    }

    fn names(root: &Path, found: &[Found]) -> Vec<String> {
        found
            .iter()
            .map(|f| crate::paths::slash_relative(root, &f.path).unwrap())
            .collect()
    }

    /// Links into the input folders are followed, any other is reported and
    /// skipped, a loop is reported once, and a listed file's source is the
    /// link's target.
    #[test]
    fn walks_only_into_the_input_folders() {
        let site = site();
        let root = site.path();
        let secrets = tempfile::tempdir().unwrap();
        std::fs::write(secrets.path().join("key"), "secret").unwrap();
        std::fs::write(root.join("attache.yaml"), "title: x\n").unwrap();
        std::fs::create_dir(root.join("content/img")).unwrap();
        std::fs::write(root.join("content/img/a.png"), "png").unwrap();
        std::fs::write(root.join("static/style.css"), "css").unwrap();
        symlink(root.join("content/img"), root.join("static/img")).unwrap();
        symlink(secrets.path(), root.join("static/secrets")).unwrap();
        symlink(secrets.path().join("key"), root.join("static/key")).unwrap();
        symlink(root.join("attache.yaml"), root.join("static/config")).unwrap();
        symlink(root, root.join("static/site")).unwrap();
        symlink(root.join("static"), root.join("static/again")).unwrap();
        symlink(root.join("nothing"), root.join("static/broken")).unwrap();
        let mut diagnostics = Diagnostics::new();
        let found = walk(root, &root.join("static"), |_| true, &mut diagnostics);
        assert_eq!(
            names(root, &found),
            ["static/img/a.png", "static/style.css"]
        );
        assert_eq!(found[0].source, root.join("static/img/a.png"));
        let mut seen: Vec<(String, &str)> = diagnostics
            .into_iter()
            .map(|d| (d.origin.to_string(), d.code.name()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("static/again".to_string(), "symlink-loop"),
                ("static/config".to_string(), "symlink-outside-root"),
                ("static/key".to_string(), "symlink-outside-root"),
                ("static/secrets".to_string(), "symlink-outside-root"),
                ("static/site".to_string(), "symlink-outside-root"),
            ]
        );
    }

    #[test]
    fn a_linked_input_folder_is_checked_itself() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        symlink("..", root.join("static")).unwrap();
        let mut diagnostics = Diagnostics::new();
        assert!(walk(root, &root.join("static"), |_| true, &mut diagnostics).is_empty());
        let d: Vec<_> = diagnostics.into_iter().collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.name(), "symlink-outside-root");
        assert_eq!(d[0].origin.file(), Some(Path::new("static")));
    }

    #[test]
    fn reads_refuse_links_out_of_scope_fifos_and_big_files() {
        let site = site();
        let root = site.path();
        let text = root.join("content/a.md");
        std::fs::write(&text, "0123456789").unwrap();
        assert_eq!(read_file(&text, Some(10)).unwrap(), b"0123456789");
        assert!(matches!(
            read_file(&text, Some(9)),
            Err(ReadError::TooLarge(10))
        ));
        let link = root.join("attache.yaml");
        symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_in(root, &link, Scope::Root, Some(10)),
            Err(ReadError::Outside(_))
        ));
        std::fs::remove_file(&link).unwrap();
        symlink(&text, &link).unwrap();
        assert_eq!(
            read_in(root, &link, Scope::Root, None).unwrap(),
            b"0123456789"
        );
        assert!(matches!(read_file(&link, None), Err(ReadError::Symlink)));
        let fifo = root.join("content/fifo.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_file(&fifo, None),
                Err(ReadError::NotRegular("a FIFO (named pipe)"))
            ));
        }
        assert!(matches!(
            read_file(&root.join("content"), None),
            Err(ReadError::NotRegular("a folder"))
        ));
    }
}

/// `bytes` as text, or a `not-utf8` error at the first bad byte.
pub fn utf8(bytes: Vec<u8>, rel: &Path) -> Result<String, crate::diagnostics::Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let (line, column) = crate::diagnostics::line_col(valid, offset);
        crate::diagnostics::Diagnostic::new(
            crate::diagnostics::Code::NotUtf8,
            rel,
            "file is not valid UTF-8 text",
        )
        .at(line, column)
        .with_hint("save the file as UTF-8 in your editor")
    })
}

/// What tells a changed file from an unchanged one without reading it:
/// size, modification time, inode (a file replaced by rename) and status
/// change time (permissions fixed, say). Kept by `load` between rebuilds
/// and by the image cache on disk (`probes.json`).
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Stamp {
    len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    modified: i128,
    inode: u64,
    /// Status change time, seconds and nanoseconds.
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of the file `path` leads to, or `None` if it cannot be
    /// stat-ed (such a file is read, and reported, every time).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = match meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), (meta.ctime(), meta.ctime_nsec()))
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, (0, 0));
        Some(Stamp {
            len: meta.len(),
            modified,
            inode,
            changed,
        })
    }
}
