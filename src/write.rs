//! Stage 4, write: put the rendered files on disk so that the output folder
//! is either the old site or the new one, never half of each, and so that no
//! mistake in `--output` touches anything but an output folder.
//!
//! `Destination::check` decides, before anything is rendered, whether a
//! folder may receive the site: with every symlink resolved, it may not be,
//! hold or lie inside the site's inputs (`content/`, `templates/`,
//! `themes/`, `static/`, `.git/`, `attache.yaml`), and if it exists and has
//! files, it must carry the `.attache-output` marker that every build
//! writes (or the user says `--force`). Everything is then written into a
//! temporary folder beside the output, which takes the output's place in one
//! step (`renameat2(RENAME_EXCHANGE)` on Linux; two renames elsewhere). A
//! failure at any point leaves the previous output untouched, and leftovers
//! of a build that was killed are removed by the next one. Writing and
//! deleting never follow a symlink out of the output folder.

use crate::config::CONFIG_FILE;
use crate::input::INPUT_FOLDERS;
use crate::paths::{is_plain_relative, resolve_symlinks};
use crate::render::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The file every output folder holds, by which a build knows a folder it
/// may replace.
pub const MARKER: &str = ".attache-output";
const MARKER_TEXT: &str =
    "This folder is written by `attache build` and replaced by every build.\n";
/// Temporary folders beside the output: `.attache-build-PID-XXXXXX`.
const STAGING_PREFIX: &str = ".attache-build-";
/// A `.git` at the top of the output (a deploy repository, such as a
/// gh-pages checkout) is kept by every build.
const KEPT_REPOSITORY: &str = ".git";
/// What earlier versions named the previous site while swapping.
const OLD_PREFIX: &str = ".attache-old-";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder would be, hold or lie inside the site's own files.
    UnsafeOutput {
        output: PathBuf,
        site_path: PathBuf,
    },
    /// The output folder has files that no build of attache wrote.
    NotOurs(PathBuf),
    /// A rendered path tried to leave the output folder.
    BadPath(String),
    /// `--manifest` names a file inside the output folder.
    ManifestInOutput(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::UnsafeOutput { output, site_path } => {
                let relation = if output == site_path {
                    "is"
                } else if output.starts_with(site_path) {
                    "lies inside"
                } else {
                    "holds"
                };
                write!(
                    f,
                    "refusing to write to {}: it {relation} the site's own {}; choose an output folder apart from content/, templates/, themes/, static/, .git/ and attache.yaml (the default is public/ in the site's folder)",
                    output.display(),
                    site_path.display()
                )
            }
            WriteError::NotOurs(p) => write!(
                f,
                "refusing to replace {}: it holds files that attache did not write (it has no {MARKER} file); choose a new or empty folder, or pass --force if everything in it may be deleted",
                p.display()
            ),
            WriteError::ManifestInOutput(p) => write!(
                f,
                "refusing to write the manifest to {}: it is inside the output folder, which every build replaces; write it beside the output, e.g. --manifest manifest.json",
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

/// What to do with an output folder that holds files attache did not write
/// (it has no marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OtherFiles {
    /// Refuse to replace it (the default).
    #[default]
    Refuse,
    /// Replace it (`--force`); never a folder that touches the site's inputs.
    Replace,
}

/// An output folder that may receive the site: the real path (symlinks
/// resolved) of a folder that is missing, empty, marked as attache's, or
/// given up with `--force`, and apart from the site's inputs.
#[derive(Debug, Clone)]
pub struct Destination {
    output: PathBuf,
}

impl Destination {
    /// Decides whether `output` may be replaced by a build of the site in
    /// `root`. `other_files` says whether a folder without the marker may
    /// be replaced; one that touches the site's inputs never is.
    pub fn check(
        output: &Path,
        root: &Path,
        other_files: OtherFiles,
    ) -> Result<Destination, WriteError> {
        let real = resolve_symlinks(output).map_err(|e| {
            WriteError::Io(
                output.to_path_buf(),
                io::Error::new(
                    e.kind(),
                    format!("{e}; remove the link or choose another --output"),
                ),
            )
        })?;
        refuse_site_paths(&real, root)?;
        match std::fs::symlink_metadata(&real) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::Io(real, e)),
            Ok(meta) if !meta.is_dir() => {
                return Err(WriteError::Io(
                    real,
                    io::Error::other("exists and is not a folder; choose a folder for --output"),
                ));
            }
            Ok(_) => {
                // A deploy repository alone does not count: builds keep it.
                let has_files = std::fs::read_dir(&real)
                    .map_err(|e| WriteError::Io(real.clone(), e))?
                    .any(|e| e.is_ok_and(|e| e.file_name() != KEPT_REPOSITORY));
                let marked =
                    std::fs::symlink_metadata(real.join(MARKER)).is_ok_and(|m| m.is_file());
                if has_files && !marked && other_files == OtherFiles::Refuse {
                    return Err(WriteError::NotOurs(real));
                }
            }
        }
        Ok(Destination { output: real })
    }

    /// The output folder, every symlink resolved.
    pub fn path(&self) -> &Path {
        &self.output
    }
}

/// Refuses `path` (already resolved) when it is, holds or lies inside the
/// site's root-level inputs, or holds the site root.
pub fn refuse_site_paths(path: &Path, root: &Path) -> Result<(), WriteError> {
    let real_root = resolve_symlinks(root).map_err(|e| WriteError::Io(root.to_path_buf(), e))?;
    if real_root.starts_with(path) {
        return Err(WriteError::UnsafeOutput {
            output: path.to_path_buf(),
            site_path: real_root,
        });
    }
    for name in INPUT_FOLDERS.iter().copied().chain([".git", CONFIG_FILE]) {
        // Both where the name stands and, for a symlinked input, where it leads.
        let mut places = vec![real_root.join(name)];
        // (A link to the root or above it is never read, and the root itself
        // is guarded above: a folder beside the root may still be written.)
        if let Ok(target) = resolve_symlinks(&root.join(name))
            && !real_root.starts_with(&target)
        {
            places.push(target);
        }
        for place in places {
            if path.starts_with(&place) || place.starts_with(path) {
                return Err(WriteError::UnsafeOutput {
                    output: path.to_path_buf(),
                    site_path: place,
                });
            }
        }
    }
    Ok(())
}

/// Every folder the paths need, parents before children.
fn folders<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeSet<&'a Path> {
    paths
        .filter_map(|p| Path::new(p).parent())
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

fn check_path(path: &str) -> Result<(), WriteError> {
    let top = path.split('/').next();
    if !is_plain_relative(path) || path == MARKER || top == Some(KEPT_REPOSITORY) {
        return Err(WriteError::BadPath(path.to_string()));
    }
    Ok(())
}

/// A write under way. [`Writer::start`] is told every path the site has
/// and makes their folders; [`Writer::put`] writes one file, from any
/// thread, as soon as it is rendered (its bytes can be dropped as soon as
/// it returns); [`Writer::finish`] makes the written files the output in
/// one step. A writer dropped unfinished (a page's template failed, a disk
/// filled up) leaves the output as it was and removes what it wrote.
pub struct Writer<'a> {
    destination: &'a Destination,
    mode: WriteMode,
    /// Every path, sorted.
    paths: Vec<String>,
    /// Which paths were put, by their place in `paths`.
    done: Vec<std::sync::atomic::AtomicBool>,
    /// The size and SHA-256 of each file, for `--manifest`.
    digests: Option<Vec<FileDigest>>,
    /// Files found the same as the output's (incremental only).
    unchanged: std::sync::atomic::AtomicUsize,
}

/// A written file's size and SHA-256, once it is written.
type FileDigest = std::sync::OnceLock<(u64, [u8; 32])>;

enum WriteMode {
    /// Everything goes into a new folder beside the output, which takes
    /// its place.
    Replace(tempfile::TempDir),
    /// Only files whose bytes differ are written, into a folder beside the
    /// output (`staged`: their places in `paths`), and moved in by
    /// `finish`.
    Incremental {
        staging: tempfile::TempDir,
        staged: std::sync::Mutex<Vec<usize>>,
    },
}

impl<'a> Writer<'a> {
    /// Begins writing a site of exactly `paths` (in any order) to
    /// `destination`; with `manifest`, `finish` also gives the manifest.
    pub fn start(
        destination: &'a Destination,
        mode: Mode,
        mut paths: Vec<String>,
        manifest: bool,
    ) -> Result<Writer<'a>, WriteError> {
        paths.sort_unstable();
        paths.dedup();
        for p in &paths {
            check_path(p)?;
        }
        let output = destination.path();
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        remove_leftovers(&parent, output);
        let staging = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| WriteError::Io(parent.clone(), e))?;
        // With no output yet, an incremental write is a whole one.
        let incremental = mode == Mode::Incremental && std::fs::symlink_metadata(output).is_ok();
        let mode = if incremental {
            WriteMode::Incremental {
                staging,
                staged: Default::default(),
            }
        } else {
            let marker = staging.path().join(MARKER);
            std::fs::write(&marker, MARKER_TEXT).map_err(|e| WriteError::Io(marker, e))?;
            for dir in folders(paths.iter().map(String::as_str)) {
                let full = staging.path().join(dir);
                std::fs::create_dir_all(&full).map_err(|e| WriteError::Io(full, e))?;
            }
            WriteMode::Replace(staging)
        };
        let done = paths.iter().map(|_| Default::default()).collect();
        let digests = manifest.then(|| paths.iter().map(|_| Default::default()).collect());
        Ok(Writer {
            destination,
            mode,
            paths,
            done,
            digests,
            unchanged: Default::default(),
        })
    }

    /// Writes `file`, one of the paths `start` was given, once.
    pub fn put(&self, file: &OutputFile) -> Result<(), WriteError> {
        use std::sync::atomic::Ordering;
        let bad = || WriteError::BadPath(file.path.clone());
        let index = self
            .paths
            .binary_search_by(|p| p.as_str().cmp(&file.path))
            .map_err(|_| bad())?;
        if self.done[index].swap(true, Ordering::Relaxed) {
            return Err(bad());
        }
        let needs_bytes =
            self.digests.is_some() || matches!(self.mode, WriteMode::Incremental { .. });
        let bytes = if needs_bytes || matches!(file.contents, Contents::Bytes(_)) {
            Some(bytes_of(file)?)
        } else {
            None
        };
        if let (Some(digests), Some(bytes)) = (&self.digests, &bytes) {
            use sha2::{Digest, Sha256};
            let digest: [u8; 32] = Sha256::digest(bytes).into();
            let _ = digests[index].set((bytes.len() as u64, digest));
        }
        match (&self.mode, bytes) {
            (WriteMode::Replace(staging), Some(bytes)) => {
                let target = staging.path().join(&file.path);
                std::fs::write(&target, bytes).map_err(|e| WriteError::Io(target, e))
            }
            (WriteMode::Replace(staging), None) => {
                let Contents::Copy(source) = &file.contents else {
                    unreachable!("files in memory have their bytes")
                };
                let target = staging.path().join(&file.path);
                copy_file(source, &target).map_err(|e| WriteError::Io(target, e))
            }
            (WriteMode::Incremental { staging, staged }, Some(bytes)) => {
                if same_file(&self.destination.path().join(&file.path), &bytes) {
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
                let target = staging.path().join(&file.path);
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.into(), e))?;
                }
                std::fs::write(&target, bytes).map_err(|e| WriteError::Io(target, e))?;
                staged.lock().unwrap_or_else(|e| e.into_inner()).push(index);
                Ok(())
            }
            (WriteMode::Incremental { .. }, None) => unreachable!("incremental reads every file"),
        }
    }

    /// Makes the output the site written, once every path has been put;
    /// returns what was done and, when asked for, the manifest.
    pub fn finish(self) -> Result<(WriteStats, Option<Vec<u8>>), WriteError> {
        if let Some(i) = self
            .done
            .iter()
            .position(|d| !d.load(std::sync::atomic::Ordering::Relaxed))
        {
            return Err(WriteError::Io(
                self.destination.path().join(&self.paths[i]),
                io::Error::other("the site's file was never written; the output is unchanged"),
            ));
        }
        let manifest = self.digests.as_ref().map(|d| manifest(&self.paths, d));
        let output = self.destination.path();
        let unchanged = self.unchanged.into_inner();
        let stats = match self.mode {
            WriteMode::Replace(staging) => {
                let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
                swap_into_place(staging, output, &parent)?;
                WriteStats {
                    // The files and the marker.
                    written: self.paths.len() + 1,
                    ..WriteStats::default()
                }
            }
            WriteMode::Incremental { staging, staged } => {
                let staged = staged.into_inner().unwrap_or_else(|e| e.into_inner());
                let marker_written = put_file(output, MARKER, MARKER_TEXT.as_bytes())?;
                let mut stats = WriteStats {
                    written: staged.len() + usize::from(marker_written),
                    unchanged: unchanged + usize::from(!marker_written),
                    removed: 0,
                };
                move_in(staging.path(), output, &self.paths, staged)?;
                stats.removed = remove_stale(output, &self.paths)?;
                stats
            }
        };
        Ok((stats, manifest))
    }
}

/// Whether `target` is a regular file holding `bytes` (a symlink is never
/// read: it may lead out of the output).
fn same_file(target: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(target).is_ok_and(|meta| {
        meta.is_file()
            && meta.len() == bytes.len() as u64
            && std::fs::read(target).is_ok_and(|old| old == bytes)
    })
}

/// Moves the files staged for an incremental write into the output, each
/// by rename (a reader never sees half of one), making their folders real
/// ones first: nothing is written through a link.
fn move_in(
    staging: &Path,
    output: &Path,
    paths: &[String],
    mut staged: Vec<usize>,
) -> Result<(), WriteError> {
    staged.sort_unstable();
    for dir in folders(staged.iter().map(|&i| paths[i].as_str())) {
        real_folder(output, dir)?;
    }
    for i in staged {
        let target = output.join(&paths[i]);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
        }
        // rename(2) replaces a symlink itself, never the file it points at.
        std::fs::rename(staging.join(&paths[i]), &target)
            .map_err(|e| WriteError::Io(target.clone(), e))?;
    }
    Ok(())
}

/// Removes what the site no longer has, deepest first; returns how many
/// files went. The walk does not follow symlinks: a link is removed, never
/// what it points at.
fn remove_stale(output: &Path, paths: &[String]) -> Result<usize, WriteError> {
    let mut keep: std::collections::HashSet<PathBuf> =
        paths.iter().map(|p| output.join(p)).collect();
    keep.insert(output.join(MARKER));
    let mut removed = 0;
    let mut stale_dirs = Vec::new();
    // (`contents_first` would make `filter_entry` descend anyway.)
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == KEPT_REPOSITORY))
    {
        let entry = entry
            .map_err(|e| WriteError::Io(output.to_path_buf(), io::Error::other(e.to_string())))?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            stale_dirs.push(path.to_path_buf());
        } else if !keep.contains(path) {
            std::fs::remove_file(path).map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
            removed += 1;
        }
    }
    for dir in stale_dirs.iter().rev() {
        // Deepest first; only empty folders go (`remove_dir` refuses others).
        let _ = std::fs::remove_dir(dir);
    }
    Ok(removed)
}

/// Brings the destination to exactly `files`, in the given mode: a
/// [`Writer`] given them all at once.
pub fn write_output(
    files: &[OutputFile],
    destination: &Destination,
    mode: Mode,
) -> Result<WriteStats, WriteError> {
    let paths = files.iter().map(|f| f.path.clone()).collect();
    let writer = Writer::start(destination, mode, paths, false)?;
    files.par_iter().try_for_each(|f| writer.put(f))?;
    writer.finish().map(|(stats, _)| stats)
}

/// Makes `output/rel` a real folder, folder by folder: a file or a symlink
/// standing where a folder is needed is removed (the link, not what it
/// points at), so nothing is ever written through a link.
fn real_folder(output: &Path, rel: &Path) -> Result<(), WriteError> {
    let mut path = output.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&path).map_err(|e| WriteError::Io(path.clone(), e))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::Io(path, e)),
        }
        std::fs::create_dir(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    Ok(())
}

/// Writes one file in place by rename (a reader never sees half of it),
/// unless a regular file with the same bytes is there. `true`: written.
fn put_file(output: &Path, rel: &str, bytes: &[u8]) -> Result<bool, WriteError> {
    let target = output.join(rel);
    if same_file(&target, bytes) {
        return Ok(false);
    }
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
    }
    let parent = target.parent().unwrap_or(output);
    let mut temp =
        tempfile::NamedTempFile::new_in(parent).map_err(|e| WriteError::Io(target.clone(), e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| WriteError::Io(target.clone(), e))?;
    // rename(2) replaces a symlink itself, never the file it points at.
    temp.persist(&target)
        .map_err(|e| WriteError::Io(target.clone(), e.error))?;
    Ok(true)
}

/// A JSON list of every output file (the marker too) with its size and
/// SHA-256, sorted by path, so CI can diff two deploys:
/// `[{"path": "index.html", "bytes": 1234, "sha256": "…"}, …]`.
fn manifest(paths: &[String], digests: &[FileDigest]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let hex = |digest: &[u8]| -> String { digest.iter().map(|b| format!("{b:02x}")).collect() };
    let marker: [u8; 32] = Sha256::digest(MARKER_TEXT.as_bytes()).into();
    let mut list: Vec<(&str, u64, String)> = paths
        .iter()
        .zip(digests)
        .filter_map(|(p, d)| d.get().map(|(len, digest)| (p.as_str(), *len, hex(digest))))
        .collect();
    list.push((MARKER, MARKER_TEXT.len() as u64, hex(&marker)));
    list.sort_by(|a, b| a.0.cmp(b.0));
    let list: Vec<serde_json::Value> = list
        .into_iter()
        .map(|(path, bytes, sha256)| serde_json::json!({"path": path, "bytes": bytes, "sha256": sha256}))
        .collect();
    let mut out = serde_json::to_vec_pretty(&list).expect("JSON values serialize");
    out.push(b'\n');
    out
}

/// Replaces the destination with exactly `files`.
pub fn write_site(files: &[OutputFile], destination: &Destination) -> Result<(), WriteError> {
    write_output(files, destination, Mode::Replace).map(|_| ())
}

/// Updates the output in place, touching only files whose bytes differ.
pub fn write_incremental(
    files: &[OutputFile],
    destination: &Destination,
) -> Result<WriteStats, WriteError> {
    write_output(files, destination, Mode::Incremental)
}

/// Puts the staged folder at `output`. Where the OS can exchange two paths
/// in one step, there is no moment without an output folder; afterwards the
/// staging path holds the previous site, which is removed.
fn swap_into_place(
    staging: tempfile::TempDir,
    output: &Path,
    parent: &Path,
) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(output).is_err() {
        let staged = staging.keep();
        return std::fs::rename(&staged, output).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            WriteError::Io(output.to_path_buf(), e)
        });
    }
    // A deploy repository checked out in the output (a gh-pages checkout)
    // moves into the new site, and back if the swap fails.
    let kept = output.join(KEPT_REPOSITORY);
    let staged_kept = staging.path().join(KEPT_REPOSITORY);
    let moved = std::fs::symlink_metadata(&kept).is_ok();
    if moved {
        std::fs::rename(&kept, &staged_kept).map_err(|e| WriteError::Io(kept.clone(), e))?;
    }
    let failed = |path: &Path, e: io::Error| {
        if moved {
            let _ = std::fs::rename(&staged_kept, &kept);
        }
        WriteError::Io(path.to_path_buf(), e)
    };
    match exchange(staging.path(), output) {
        // `staging` now holds the previous site and removes it when dropped.
        Ok(true) => return Ok(()),
        Ok(false) => {}
        Err(e) => return Err(failed(output, e)),
    }
    // Two renames: the previous site moves aside under a name the next
    // build recognises as a leftover, should this one be killed between.
    let old = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(|e| failed(parent, e))?;
    let old_path = old.path().join("site");
    std::fs::rename(output, &old_path).map_err(|e| failed(output, e))?;
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, output) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old_path, output);
        let e = failed(output, e);
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e);
    }
    // `old` removes the previous site when dropped.
    drop(old);
    Ok(())
}

/// Exchanges two folders in one step; `Ok(false)` where the OS or the file
/// system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes the temporary folders that builds killed before they finished
/// left beside the output: those whose process is gone, and (for names
/// without a process id) those older than an hour. Never follows a link. A
/// build killed while it moved the output's deploy repository left it in
/// such a folder: it goes back into the output (or, if the output has one
/// again, the folder is left alone).
fn remove_leftovers(parent: &Path, output: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(STAGING_PREFIX)
            .or_else(|| name.strip_prefix(OLD_PREFIX))
        else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        let owner = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let stale = match owner {
            Some(pid) => !process_alive(pid),
            None => meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(3600)),
        };
        if !stale {
            continue;
        }
        let repository = path.join(KEPT_REPOSITORY);
        if std::fs::symlink_metadata(&repository).is_ok() {
            let home = output.join(KEPT_REPOSITORY);
            let back = std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir())
                && std::fs::symlink_metadata(&home).is_err()
                && std::fs::rename(&repository, &home).is_ok();
            if !back {
                continue;
            }
        }
        let _ = std::fs::remove_dir_all(&path);
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    use rustix::process::{Pid, test_kill_process};
    match i32::try_from(pid).ok().and_then(Pid::from_raw) {
        Some(pid) => test_kill_process(pid) != Err(rustix::io::Errno::SRCH),
        None => false,
    }
}

/// Without a way to ask, every owner counts as alive: nothing is removed.
#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    true
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

    /// A site root with an input folder, and the output beside it.
    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = dir.path().join("public");
        (dir, root, out)
    }

    fn to(out: &Path, root: &Path) -> Destination {
        Destination::check(out, root, OtherFiles::Refuse).unwrap()
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".attache"))
            .collect()
    }

    #[test]
    fn a_writer_takes_only_the_paths_it_was_given_once_and_a_dropped_one_leaves_nothing() {
        let (dir, root, out) = site();
        write_site(&[file("index.html", "old")], &to(&out, &root)).unwrap();
        for mode in [Mode::Replace, Mode::Incremental] {
            let destination = to(&out, &root);
            let writer =
                Writer::start(&destination, mode, vec!["index.html".into()], false).unwrap();
            assert!(matches!(
                writer.put(&file("other.html", "x")),
                Err(WriteError::BadPath(_))
            ));
            writer.put(&file("index.html", "new")).unwrap();
            assert!(matches!(
                writer.put(&file("index.html", "again")),
                Err(WriteError::BadPath(_))
            ));
            drop(writer);
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                "old"
            );
            assert!(
                leftovers(dir.path()).is_empty(),
                "{:?}",
                leftovers(dir.path())
            );
            // Unfinished: a path never written is an error, and the output stays.
            let writer = Writer::start(
                &destination,
                mode,
                vec!["index.html".into(), "b.html".into()],
                false,
            )
            .unwrap();
            writer.put(&file("index.html", "new")).unwrap();
            assert!(writer.finish().is_err());
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                "old"
            );
        }
    }

    #[test]
    fn replaces_the_output_whole() {
        let (dir, root, out) = site();
        write_site(
            &[file("a/index.html", "one"), file("stale.html", "x")],
            &to(&out, &root),
        )
        .unwrap();
        write_site(&[file("a/index.html", "two")], &to(&out, &root)).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("stale.html").exists());
        assert!(out.join(MARKER).is_file());
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn incremental_rewrites_only_changed_files_and_removes_stale_ones() {
        let (_dir, root, out) = site();
        write_site(
            &[
                file("a/index.html", "one"),
                file("b.html", "same"),
                file("gone.html", "x"),
            ],
            &to(&out, &root),
        )
        .unwrap();
        let before = std::fs::metadata(out.join("b.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_incremental(
            &[file("a/index.html", "two"), file("b.html", "same")],
            &to(&out, &root),
        )
        .unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 2, // b.html and the marker
                removed: 1
            }
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("gone.html").exists());
        assert!(out.join(MARKER).is_file());
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
        let (_dir, root, out) = site();
        for bad in [
            "../evil.html",
            "/etc/passwd",
            "a/../../x",
            "",
            MARKER,
            ".git/config",
        ] {
            let err = write_site(&[file(bad, "x")], &to(&out, &root)).unwrap_err();
            assert!(matches!(err, WriteError::BadPath(_)), "{bad}");
        }
        assert!(!out.exists());
    }

    #[test]
    fn refuses_the_site_root_and_its_inputs() {
        let (dir, root, _) = site();
        for output in [
            dir.path().to_path_buf(),
            root.clone(),
            root.join("content"),
            root.join("content/briefings"),
            root.join("static"),
            root.join(".git/x"),
            root.join("attache.yaml"),
        ] {
            let err = Destination::check(&output, &root, OtherFiles::Replace).unwrap_err();
            assert!(
                matches!(err, WriteError::UnsafeOutput { .. }),
                "{}: {err}",
                output.display()
            );
        }
        assert!(Destination::check(&root.join("public"), &root, OtherFiles::Refuse).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_input_guards_its_target_unless_it_leads_above_the_root() {
        let (dir, root, _) = site();
        let archive = dir.path().join("archive");
        std::fs::create_dir(&archive).unwrap();
        std::os::unix::fs::symlink(&archive, root.join("templates")).unwrap();
        std::os::unix::fs::symlink("..", root.join("static")).unwrap();
        for output in [archive.clone(), archive.join("x")] {
            let err = Destination::check(&output, &root, OtherFiles::Replace).unwrap_err();
            assert!(matches!(err, WriteError::UnsafeOutput { .. }), "{err}");
        }
        assert!(Destination::check(&dir.path().join("public"), &root, OtherFiles::Refuse).is_ok());
    }

    #[test]
    fn refuses_a_folder_of_other_files_unless_forced() {
        let (dir, root, _) = site();
        let theirs = dir.path().join("theirs");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::write(theirs.join("notes.txt"), "mine").unwrap();
        let err = Destination::check(&theirs, &root, OtherFiles::Refuse).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)), "{err}");
        assert!(err.to_string().contains("--force"), "{err}");
        assert!(Destination::check(&theirs, &root, OtherFiles::Replace).is_ok());
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(Destination::check(&empty, &root, OtherFiles::Refuse).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn incremental_never_writes_or_deletes_through_a_symlink() {
        let (dir, root, out) = site();
        write_site(&[file("a/index.html", "one")], &to(&out, &root)).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "keep").unwrap();
        std::fs::write(elsewhere.join("x.html"), "keep").unwrap();
        // A folder the site writes to, and a stale entry, are links out.
        std::fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("stale")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("x.html"), out.join("b.html")).unwrap();
        write_incremental(
            &[file("a/index.html", "two"), file("b.html", "new")],
            &to(&out, &root),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "keep"
        );
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("x.html")).unwrap(),
            "keep"
        );
        assert!(!out.join("a").is_symlink());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "new");
        assert!(std::fs::symlink_metadata(out.join("stale")).is_err());
    }

    #[test]
    fn a_deploy_repository_in_the_output_is_kept_by_every_build() {
        let (dir, root, out) = site();
        let repository = out.join(".git");
        std::fs::create_dir_all(repository.join("refs")).unwrap();
        std::fs::write(repository.join("HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        // A folder holding only a repository may be written without --force.
        write_site(&[file("index.html", "one")], &to(&out, &root)).unwrap();
        write_site(&[file("index.html", "two")], &to(&out, &root)).unwrap();
        write_incremental(&[file("index.html", "three")], &to(&out, &root)).unwrap();
        assert_eq!(
            std::fs::read_to_string(repository.join("HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert!(repository.join("refs").is_dir());
        // A build killed after moving the repository into its temporary
        // folder: the next build puts it back instead of deleting it.
        let leftover = dir
            .path()
            .join(format!("{STAGING_PREFIX}{}-abc123", i32::MAX));
        std::fs::create_dir(&leftover).unwrap();
        std::fs::rename(&repository, leftover.join(".git")).unwrap();
        write_site(&[file("index.html", "four")], &to(&out, &root)).unwrap();
        assert_eq!(
            std::fs::read_to_string(repository.join("HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed_and_live_ones_kept() {
        let (dir, root, out) = site();
        // No process has the largest pid, and ours is alive.
        let dead = dir
            .path()
            .join(format!("{STAGING_PREFIX}{}-abc123", i32::MAX));
        let live = dir
            .path()
            .join(format!("{STAGING_PREFIX}{}-abc123", std::process::id()));
        for d in [&dead, &live] {
            std::fs::create_dir_all(d.join("briefings")).unwrap();
        }
        write_site(&[file("index.html", "x")], &to(&out, &root)).unwrap();
        assert!(!dead.exists());
        assert!(live.exists());
    }
}
