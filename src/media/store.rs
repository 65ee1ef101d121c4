//! The cache folder: processed variants under `images/`, and `probes.json`,
//! which remembers each probed file's stamp (size, modification time,
//! inode, status change time) with its probe, so a warm build neither reads
//! nor hashes an unchanged image.
//!
//! Variant files are named by the fingerprint of the source bytes and the
//! settings (`<fingerprint10>.<width>.<ext>`), not by the source's name:
//! renaming or moving an image reuses its files. Files are written to a
//! temporary file in the same folder and renamed into place, so a reader
//! (or a second build, or a parallel `produce` of the same source) sees a
//! whole file or none; two writers of one name write the same bytes.

use super::{Format, Probe, Problem, Settings, Variant, encode, probe, quality, variants};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The image cache in one folder. `Sync`: probe and produce from many
/// threads at once.
pub struct Store {
    dir: PathBuf,
    index: Mutex<Index>,
    processed: AtomicUsize,
    reused: AtomicUsize,
}

/// `probes.json`: the version of its shape, and an entry per source path.
#[derive(Serialize, Deserialize, Default)]
struct IndexFile {
    version: u32,
    probes: BTreeMap<String, Entry>,
}

const INDEX_VERSION: u32 = 1;

#[derive(Default)]
struct Index {
    probes: BTreeMap<String, Entry>,
    /// Paths probed since the store was opened.
    seen: BTreeSet<String>,
    /// Whether `probes` differs from the file.
    dirty: bool,
}

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    stamp: Stamp,
    width: u32,
    height: u32,
    format: String,
    orientation: u8,
    gps: bool,
    len: u64,
    hash: String,
}

impl Entry {
    fn new(stamp: Stamp, probe: &Probe) -> Entry {
        Entry {
            stamp,
            width: probe.width,
            height: probe.height,
            format: probe.format.extension().to_string(),
            orientation: probe.orientation,
            gps: probe.gps,
            len: probe.len,
            hash: probe.hash.clone(),
        }
    }

    fn probe(&self) -> Option<Probe> {
        Some(Probe {
            width: self.width,
            height: self.height,
            format: Format::from_name(&self.format)?,
            orientation: self.orientation,
            gps: self.gps,
            len: self.len,
            hash: self.hash.clone(),
        })
    }
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    modified: i128,
    inode: u64,
    /// Status change time, seconds and nanoseconds.
    changed: (i64, i64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        let modified = match modified.duration_since(std::time::UNIX_EPOCH) {
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

impl Store {
    /// The cache in `dir` (made when something is first written to it). A
    /// missing, unreadable or corrupt `probes.json` is an empty index.
    pub fn open(dir: &Path) -> Store {
        let probes = std::fs::read(dir.join("probes.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
            .filter(|file| file.version == INDEX_VERSION)
            .map(|file| file.probes)
            .unwrap_or_default();
        Store {
            dir: dir.to_path_buf(),
            index: Mutex::new(Index {
                probes,
                ..Index::default()
            }),
            processed: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Index> {
        // A panic while the lock was held left nothing half-written: each
        // change is one insert.
        self.index
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The probe of the image at `path`: from the index when the file's
    /// stamp is the one recorded, else read, hashed and probed (and
    /// recorded). A symlink as the last component of `path` is refused, as
    /// everywhere attache reads a site (see `crate::input`): pass the
    /// resolved file.
    pub fn probe(&self, path: &Path) -> Result<Probe, Problem> {
        let key = path.to_string_lossy().into_owned();
        let stamp = Stamp::of(path);
        {
            let mut index = self.index();
            index.seen.insert(key.clone());
            if let Some(stamp) = stamp
                && let Some(entry) = index.probes.get(&key)
                && entry.stamp == stamp
                && let Some(probe) = entry.probe()
            {
                return Ok(probe);
            }
        }
        let bytes = read(path)?;
        let probe = probe::probe(&bytes)?;
        if let Some(stamp) = stamp {
            let mut index = self.index();
            index.probes.insert(key, Entry::new(stamp, &probe));
            index.dirty = true;
        }
        Ok(probe)
    }

    /// Writes `probes.json` (atomically) if it changed, keeping the entries
    /// probed since `open` and those whose files still exist.
    pub fn save(&self) -> std::io::Result<()> {
        let mut index = self.index();
        let before = index.probes.len();
        let Index { probes, seen, .. } = &mut *index;
        probes.retain(|path, _| seen.contains(path) || Path::new(path).exists());
        if !index.dirty && index.probes.len() == before {
            return Ok(());
        }
        let file = IndexFile {
            version: INDEX_VERSION,
            probes: std::mem::take(&mut index.probes),
        };
        let mut bytes = serde_json::to_vec(&file).expect("the index serializes");
        index.probes = file.probes;
        bytes.push(b'\n');
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.dir.join("probes.json"), &bytes)?;
        index.dirty = false;
        Ok(())
    }

    /// Each variant of the image at `path` (whose probe is `probe`), with
    /// its file in the cache: reused when every one is there already,
    /// else made from the source (which must still be the bytes probed).
    pub fn produce(
        &self,
        path: &Path,
        probe: &Probe,
        settings: &Settings,
        stem: &str,
    ) -> Result<Vec<(Variant, PathBuf)>, Problem> {
        let images = self.dir.join("images");
        let planned: Vec<(Variant, PathBuf)> = variants(probe, settings, stem)
            .into_iter()
            .map(|v| {
                let file = images.join(cache_name(&v));
                (v, file)
            })
            .collect();
        if planned.iter().all(|(_, file)| file.is_file()) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(planned);
        }
        let bytes = read(path)?;
        if bytes.len() as u64 != probe.len || probe::hash(&bytes) != probe.hash {
            return Err(Problem::Changed);
        }
        let contents = if probe.format.passes_through() {
            vec![bytes]
        } else {
            let variants: Vec<Variant> = planned.iter().map(|(v, _)| v.clone()).collect();
            encode::encode_all(&bytes, probe, &variants, quality(settings))?
        };
        std::fs::create_dir_all(&images).map_err(|e| cache_problem(&images, &e))?;
        for ((_, file), data) in planned.iter().zip(&contents) {
            write_atomically(file, data).map_err(|e| cache_problem(file, &e))?;
        }
        self.processed.fetch_add(1, Ordering::Relaxed);
        Ok(planned)
    }

    /// Images made (decoded and encoded, or copied) since `open`.
    pub fn processed(&self) -> usize {
        self.processed.load(Ordering::Relaxed)
    }

    /// Images whose files were all in the cache already, since `open`.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }
}

/// A variant's file name in the cache: its public name without the stem,
/// so that the same bytes under another name share the files.
fn cache_name(variant: &Variant) -> String {
    match variant.name.split_once('.') {
        Some((_, rest)) => rest.to_string(),
        None => variant.name.clone(),
    }
}

fn cache_problem(path: &Path, err: &std::io::Error) -> Problem {
    Problem::Cache {
        path: path.display().to_string(),
        error: err.to_string(),
    }
}

/// The bytes of the source at `path`, read as every site file is.
fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    use crate::input::ReadError;
    crate::input::read_file(path, None).map_err(|e| Problem::Unreadable {
        error: match e {
            ReadError::Outside(target) => {
                format!("it links to {}, outside the site", target.display())
            }
            ReadError::NotRegular(what) => format!("it is {what}, not a regular file"),
            ReadError::Symlink => "it is a symlink".to_string(),
            ReadError::TooLarge(size) => format!("it is {size} bytes"),
            ReadError::Io(err) => err.to_string(),
        },
    })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
