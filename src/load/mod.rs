//! Stage 1, load: walk `content/`, split front matter, parse YAML into typed
//! documents. Files are read and parsed in parallel; the result is sorted by
//! path so that nothing downstream depends on file-system or thread order.
//!
//! A file that cannot be read as a document is reported and left out; every
//! other file still loads, so one run reports every broken file.

pub mod chars;
pub mod document;
pub mod fields;
pub mod figures;
pub mod frontmatter;
pub mod git;
pub mod yaml;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::input::Stamp;
use document::{ActorProfile, Briefing, Origin, Page, TopicProfile};
use fields::Fields;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything under `content/`, as typed documents sorted by path. The
/// documents are shared (`Arc`) so that a load can reuse those of the last
/// one without copying them.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub briefings: Vec<Arc<Briefing>>,
    pub actors: Vec<Arc<ActorProfile>>,
    pub topics: Vec<Arc<TopicProfile>>,
    pub pages: Vec<Arc<Page>>,
    /// The images under `content/` (page bundles, `content/media/`), sorted
    /// by path, each with what its file holds or why it cannot be read.
    pub media: Vec<Arc<MediaFile>>,
}

/// An image file under `content/`.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaFile {
    /// Relative to the site root (`content/media/map.svg`).
    pub path: PathBuf,
    /// The file itself, for the image work in `render`.
    pub file: PathBuf,
    pub probe: Result<crate::media::Probe, crate::media::Problem>,
}

/// What a content file is, by the folder it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Briefing,
    Actor,
    Topic,
    Page,
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub enum Loaded {
    Briefing(Arc<Briefing>),
    Actor(Arc<ActorProfile>),
    Topic(Arc<TopicProfile>),
    Page(Arc<Page>),
}

/// Loads `content/` from scratch, knowing images by the site's default
/// cache (read, never written here).
pub fn load(root: &Path) -> (Content, Diagnostics) {
    let store = crate::media::Store::open(&root.join(crate::config::DEFAULT_CACHE));
    load_with(root, &mut Cache::one_shot(), &store)
}

/// What each content file gave when it was last loaded, so that a file
/// unchanged since (same size, modification time and inode) is neither
/// read nor parsed again. `serve` keeps one between rebuilds, and tells it
/// which files its watcher saw change: then only those are looked at, and
/// `content/` is walked again only when a file appeared or a folder changed.
#[derive(Default)]
pub struct Cache {
    /// By path (as a plain string: it hashes much faster than a `Path`).
    files: HashMap<std::ffi::OsString, Cached>,
    /// The last walk of `content/`: its documents, its images and what it
    /// reported.
    walk: Option<Walk>,
    /// Files (relative to the site root) changed since the last load, when
    /// known; `None` means anything may have changed.
    changed: Option<Vec<PathBuf>>,
    /// Whether this cache serves a single load (`check`, `build`): it then
    /// keeps nothing, so the loaded documents have no other owner than
    /// the `Content` handed on (see `resolve::Memo::one_shot`).
    one_shot: bool,
}

impl Cache {
    /// A cache for a single load: nothing is kept for a next one.
    pub fn one_shot() -> Cache {
        Cache {
            one_shot: true,
            ..Cache::default()
        }
    }

    /// Says which files changed since the last load (relative to the site
    /// root), or `None` if that is not known (everything is looked at).
    pub fn note_changes(&mut self, changed: Option<Vec<PathBuf>>) {
        self.changed = changed;
    }

    /// Whether every one of `changed` (relative to `root`) is a content file
    /// the last load read and that is still as it was then: a watcher's
    /// late event for a save already built, say.
    pub fn still_current(&self, root: &Path, changed: &[PathBuf]) -> bool {
        !changed.is_empty()
            && changed.iter().all(|p| {
                let path = root.join(p);
                p.starts_with("content")
                    && self
                        .files
                        .get(path.as_os_str())
                        .is_some_and(|c| c.stamp.is_some() && Stamp::of(&path) == c.stamp)
            })
    }
}

/// A briefing file as the last load read it and as it reads now, each
/// with its problems (see `Cache::reload_briefings`).
pub struct Reloaded {
    pub before: Arc<Briefing>,
    pub after: Arc<Briefing>,
    pub diagnostics_before: Diagnostics,
    pub diagnostics_after: Diagnostics,
}

impl Cache {
    /// Reads again the files named changed (`note_changes`) when each is
    /// a briefing the last load read and is a briefing still, and keeps
    /// them as a load would: the next load finds them read. `None`, with
    /// nothing read or kept, for any other change, or when what changed
    /// is not known.
    pub fn reload_briefings(&mut self, root: &Path) -> Option<Vec<Reloaded>> {
        let changed = self.changed.as_ref()?;
        if changed.is_empty() || self.walk.is_none() {
            return None;
        }
        let mut fresh = Vec::with_capacity(changed.len());
        for rel in changed {
            let path = root.join(rel);
            let kept = self.files.get(path.as_os_str())?;
            let (Kind::Briefing, Some(Loaded::Briefing(before))) = (kept.kind, &kept.loaded) else {
                return None;
            };
            let stamp = Some(Stamp::of(&path)?);
            let (loaded, diagnostics) = load_file(root, &path, Kind::Briefing);
            let Some(Loaded::Briefing(after)) = &loaded else {
                return None;
            };
            let reloaded = Reloaded {
                before: before.clone(),
                after: after.clone(),
                diagnostics_before: kept.diagnostics.clone(),
                diagnostics_after: diagnostics.clone(),
            };
            let cached = Cached {
                stamp,
                kind: Kind::Briefing,
                loaded,
                diagnostics,
            };
            fresh.push((path, cached, reloaded));
        }
        // Nothing else changed since: the next load reads no file again.
        self.changed = Some(Vec::new());
        Some(
            fresh
                .into_iter()
                .map(|(path, cached, reloaded)| {
                    self.files.insert(path.into_os_string(), cached);
                    reloaded
                })
                .collect(),
        )
    }
}

/// What a walk of `content/` found.
struct Walk {
    documents: Vec<(Kind, PathBuf)>,
    /// Each image's path, and the file to read (a symlink's checked
    /// target).
    images: Vec<(PathBuf, PathBuf)>,
    diagnostics: Diagnostics,
}

struct Cached {
    stamp: Option<Stamp>,
    kind: Kind,
    loaded: Option<Loaded>,
    diagnostics: Diagnostics,
}

/// Loads `content/`, reusing from `cache` every file that has not changed
/// since it was loaded, and leaving in it what this load found (`load`
/// passes an empty one: a build and a rebuild take the same path).
pub fn load_with(
    root: &Path,
    cache: &mut Cache,
    store: &crate::media::Store,
) -> (Content, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let (walk, to_check) = files_to_load(root, cache);
    let results: Vec<(Option<Loaded>, Diagnostics)> = {
        let (files, walk_diagnostics) = (&walk.documents, &walk.diagnostics);
        diagnostics.extend(walk_diagnostics.clone());
        let fresh: Vec<(PathBuf, Cached)> = files
            .par_iter()
            .map(|(kind, path)| {
                let kind = *kind;
                let kept = cache.files.get(path.as_os_str()).filter(|c| c.kind == kind);
                // Files the watcher did not name are unchanged; the
                // others (or all, without a watcher) by their stamps.
                let unchanged = |c: &&Cached| match &to_check {
                    Some(changed) if !changed.contains(path) => true,
                    _ => c.stamp.is_some() && Stamp::of(path) == c.stamp,
                };
                let cached = match kept.filter(unchanged) {
                    Some(c) => Cached {
                        stamp: c.stamp,
                        kind,
                        loaded: c.loaded.clone(),
                        diagnostics: c.diagnostics.clone(),
                    },
                    None => {
                        let stamp = Stamp::of(path);
                        let (loaded, diagnostics) = load_file(root, path, kind);
                        Cached {
                            stamp,
                            kind,
                            loaded,
                            diagnostics,
                        }
                    }
                };
                (path.clone(), cached)
            })
            .collect();
        if cache.one_shot {
            fresh
                .into_iter()
                .map(|(_, c)| (c.loaded, c.diagnostics))
                .collect()
        } else {
            let results = fresh
                .iter()
                .map(|(_, c)| (c.loaded.clone(), c.diagnostics.clone()))
                .collect();
            cache.files = fresh
                .into_iter()
                .map(|(path, cached)| (path.into_os_string(), cached))
                .collect();
            results
        }
    };
    // Images are looked at every time: the store knows an unchanged one
    // by its stamp without reading it.
    let media = walk
        .images
        .par_iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, file)| {
            Arc::new(MediaFile {
                path: crate::paths::relative(root, path),
                file: file.clone(),
                probe: store.probe(file),
            })
        })
        .collect();
    if !cache.one_shot {
        cache.walk = Some(walk);
    }
    let mut content = Content {
        media,
        ..Content::default()
    };
    for (loaded, file_diagnostics) in results {
        diagnostics.extend(file_diagnostics);
        match loaded {
            Some(Loaded::Briefing(b)) => content.briefings.push(b),
            Some(Loaded::Actor(a)) => content.actors.push(a),
            Some(Loaded::Topic(t)) => content.topics.push(t),
            Some(Loaded::Page(p)) => content.pages.push(p),
            None => {}
        }
    }
    (content, diagnostics)
}

/// The files of `content/`: the last walk's, when the watcher named only
/// files it knew (less those deleted since), with the set it named; else a
/// new walk, and `None` (every file is looked at).
fn files_to_load(
    root: &Path,
    cache: &mut Cache,
) -> (Walk, Option<std::collections::HashSet<PathBuf>>) {
    match (cache.walk.take(), cache.changed.take()) {
        (Some(walk), Some(changed))
            if only_known_files(root, &cache.files, &walk.images, &changed) =>
        {
            let changed: std::collections::HashSet<PathBuf> =
                changed.into_iter().map(|p| root.join(p)).collect();
            // A known file that is gone was deleted.
            let documents = walk
                .documents
                .into_iter()
                .filter(|(_, p)| !changed.contains(p) || p.exists())
                .collect();
            (Walk { documents, ..walk }, Some(changed))
        }
        _ => {
            let mut diagnostics = Diagnostics::new();
            let (documents, images) = discover(root, &mut diagnostics);
            let walk = Walk {
                documents,
                images,
                diagnostics,
            };
            (walk, None)
        }
    }
}

/// Whether every changed path under `content/` is a file the last load
/// read (changed or deleted since): then the files are the same but for
/// deletions, and `content/` need not be walked again.
fn only_known_files(
    root: &Path,
    known: &HashMap<std::ffi::OsString, Cached>,
    images: &[(PathBuf, PathBuf)],
    changed: &[PathBuf],
) -> bool {
    changed
        .iter()
        .filter(|p| p.starts_with("content"))
        .all(|p| {
            let path = root.join(p);
            known.contains_key(path.as_os_str()) || images.iter().any(|(p, _)| *p == path)
        })
}

/// Every Markdown file under `content/`, with the kind its folder gives it,
/// and every image with the file to read, both sorted by path.
type Discovered = (Vec<(Kind, PathBuf)>, Vec<(PathBuf, PathBuf)>);

fn discover(root: &Path, diagnostics: &mut Diagnostics) -> Discovered {
    let content = root.join("content");
    let mut files = Vec::new();
    let mut images = Vec::new();
    for found in crate::input::walk(root, &content, |name| !is_hidden(name), diagnostics) {
        let path = found.path.as_path();
        if crate::media::Format::from_path(path).is_some() {
            images.push((found.path, found.source));
            continue;
        }
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(rel) = path.strip_prefix(&content) else {
            continue;
        };
        let mut parts = rel.components();
        let section = parts.next().and_then(|c| c.as_os_str().to_str());
        let nested = rel.components().count() > 2;
        let kind = match section {
            Some("briefings") => Some(Kind::Briefing),
            Some("actors") if !nested => Some(Kind::Actor),
            Some("topics") if !nested => Some(Kind::Topic),
            Some("pages") if !nested => Some(Kind::Page),
            _ => None,
        };
        match kind {
            Some(kind) => files.push((kind, found.path)),
            None => diagnostics.push(
                Diagnostic::new(Code::UnplacedFile,
                    &crate::paths::relative(root, path),
                    "this Markdown file is not in a folder attache reads, so it is not built",
                )
                .with_hint(
                    "put briefings under content/briefings/, profiles directly in content/actors/ or content/topics/, pages in content/pages/",
                ),
            ),
        }
    }
    (files, images)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

fn load_file(root: &Path, path: &Path, kind: Kind) -> (Option<Loaded>, Diagnostics) {
    let rel = crate::paths::relative(root, path);
    match read_text(root, path, &rel) {
        Ok(text) => parse_document(&rel, &text, kind),
        Err(d) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(d);
            (None, diagnostics)
        }
    }
}

/// Parses the text of one content file at `rel` (relative to the site
/// root). Any text gives a document or diagnostics, never a panic.
pub fn parse_document(rel: &Path, text: &str, kind: Kind) -> (Option<Loaded>, Diagnostics) {
    let rel = rel.to_path_buf();
    let path = rel.as_path();
    let mut diagnostics = Diagnostics::new();
    let text = &*chars::drop_forbidden(text, &rel, &mut diagnostics);
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(err) => {
            let (message, hint, line) = match err {
                frontmatter::SplitError::Missing => (
                    "no front matter: the file must start with a line `---`",
                    "start the file with `---`, the fields (`title: ...`, `date: ...`), then `---`",
                    1,
                ),
                frontmatter::SplitError::Unterminated => (
                    "front matter is not closed: no second `---` line",
                    "add a line `---` after the last field, before the text",
                    1,
                ),
            };
            diagnostics.push(
                Diagnostic::new(Code::FrontMatter, &rel, message)
                    .at(line, 1)
                    .with_hint(hint),
            );
            return (None, diagnostics);
        }
    };
    let node = match yaml::parse_counted(split.yaml, split.yaml_line) {
        Ok(parsed) => {
            chars::report_escaped(
                split.yaml,
                split.yaml_line,
                parsed.dropped,
                &rel,
                &mut diagnostics,
            );
            parsed.node
        }
        Err(err) => {
            diagnostics.push(
                Diagnostic::new(Code::Yaml, &rel, format!("YAML syntax: {}", err.message))
                    .at(err.line, err.column)
                    .with_hint(err.hint.unwrap_or(
                        "check indentation, colons and quotes on this line or the one above",
                    )),
            );
            return (None, diagnostics);
        }
    };
    let fields = Fields::new(&rel, split.yaml_line, node);
    let origin = Origin {
        path: rel.clone(),
        body_line: split.body_line,
    };
    let body = split.body.to_string();
    let stem = document_stem(path);
    let (loaded, file_diagnostics) = match kind {
        Kind::Briefing => {
            let (b, d) = document::read_briefing(fields, origin, strip_date_prefix(&stem), body);
            (b.map(|x| Loaded::Briefing(Arc::new(x))), d)
        }
        Kind::Actor => {
            let (a, d) = document::read_actor(fields, origin, crate::slug::slugify(&stem), body);
            (a.map(|x| Loaded::Actor(Arc::new(x))), d)
        }
        Kind::Topic => {
            let (t, d) = document::read_topic(fields, origin, crate::slug::slugify(&stem), body);
            (t.map(|x| Loaded::Topic(Arc::new(x))), d)
        }
        Kind::Page => {
            let (p, d) = document::read_page(fields, origin, stem, body);
            (p.map(|x| Loaded::Page(Arc::new(x))), d)
        }
    };
    diagnostics.extend(file_diagnostics);
    (loaded, diagnostics)
}

/// What names a document: its file name without `.md`, or for a page
/// bundle (`2024-06-19-visit/index.md`, with its images beside it) the
/// bundle's folder name.
pub fn document_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str());
    match folder {
        Some(folder) if stem == "index" && !folder.is_empty() => folder.to_string(),
        _ => stem.to_string(),
    }
}

/// A content file's text: read through `input` (no symlink out of the
/// input folders, regular files only, at most `MAX_TEXT_BYTES`), as UTF-8.
fn read_text(root: &Path, path: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::input::read_in(
        root,
        path,
        crate::input::Scope::Inputs,
        Some(crate::input::MAX_TEXT_BYTES),
    )
    .map_err(|e| e.diagnostic(rel))?;
    crate::input::utf8(bytes, rel)
}

/// `2023-11-15-russian-delegation` -> `russian-delegation`.
pub fn strip_date_prefix(stem: &str) -> String {
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    if dated {
        stem[11..].to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn briefing(title: &str) -> String {
        format!("---\ntitle: {title}\ndate: 2024-01-01\n---\nText.\n")
    }

    fn titles(content: &Content) -> Vec<String> {
        content.briefings.iter().map(|b| b.title.clone()).collect()
    }

    /// The cache hands back the same document for a file that did not
    /// change, reads one that did, drops one that is gone, and finds a new
    /// one; told what the watcher saw, it looks only at those files; a late
    /// event for a file already read is recognised as such.
    #[test]
    fn the_cache_reuses_unchanged_files_and_reads_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let folder = root.join("content/briefings");
        std::fs::create_dir_all(&folder).unwrap();
        let (a, b) = (
            folder.join("2024-01-01-a.md"),
            folder.join("2024-01-01-b.md"),
        );
        std::fs::write(&a, briefing("A")).unwrap();
        std::fs::write(&b, briefing("B")).unwrap();
        let mut cache = Cache::default();
        let (first, _) = load_with(
            root,
            &mut cache,
            &crate::media::Store::open(&root.join(".attache-cache")),
        );
        assert_eq!(titles(&first), ["A", "B"]);

        std::fs::write(&b, briefing("B, longer")).unwrap();
        let (second, _) = load_with(
            root,
            &mut cache,
            &crate::media::Store::open(&root.join(".attache-cache")),
        );
        assert_eq!(titles(&second), ["A", "B, longer"]);
        assert!(Arc::ptr_eq(&first.briefings[0], &second.briefings[0]));

        // Told that only `a` changed, the cache does not look at `b`.
        let rel_a = PathBuf::from("content/briefings/2024-01-01-a.md");
        assert!(cache.still_current(root, std::slice::from_ref(&rel_a)));
        std::fs::write(&a, briefing("A, edited")).unwrap();
        std::fs::write(&b, briefing("B, unseen")).unwrap();
        assert!(!cache.still_current(root, std::slice::from_ref(&rel_a)));
        cache.note_changes(Some(vec![rel_a.clone()]));
        let (third, _) = load_with(
            root,
            &mut cache,
            &crate::media::Store::open(&root.join(".attache-cache")),
        );
        assert_eq!(titles(&third), ["A, edited", "B, longer"]);

        // A new file and a deleted one: `content/` is walked again.
        std::fs::remove_file(&a).unwrap();
        let c = folder.join("2024-01-01-c.md");
        std::fs::write(&c, briefing("C")).unwrap();
        cache.note_changes(Some(vec![
            rel_a,
            PathBuf::from("content/briefings/2024-01-01-c.md"),
        ]));
        let (fourth, _) = load_with(
            root,
            &mut cache,
            &crate::media::Store::open(&root.join(".attache-cache")),
        );
        assert_eq!(titles(&fourth), ["B, unseen", "C"]);
    }

    /// A load for a single run (`check`, `build`) keeps nothing: each
    /// document's only owner is the content handed on, so resolve can
    /// drop each body's Markdown once rendered. A second one-shot load
    /// reads every file again.
    #[test]
    fn a_one_shot_load_keeps_no_other_owner_of_its_documents() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let folder = root.join("content/briefings");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("2024-01-01-a.md"), briefing("A")).unwrap();
        let store = crate::media::Store::open(&root.join(".attache-cache"));
        let mut cache = Cache::one_shot();
        let (first, _) = load_with(root, &mut cache, &store);
        assert_eq!(titles(&first), ["A"]);
        assert_eq!(Arc::strong_count(&first.briefings[0]), 1);
        let (second, _) = load_with(root, &mut cache, &store);
        assert!(!Arc::ptr_eq(&first.briefings[0], &second.briefings[0]));

        // A kept cache is a second owner.
        let mut kept = Cache::default();
        let (third, _) = load_with(root, &mut kept, &store);
        assert_eq!(Arc::strong_count(&third.briefings[0]), 2);
    }

    #[test]
    fn strips_a_leading_date() {
        assert_eq!(
            strip_date_prefix("2023-11-15-russian-visit"),
            "russian-visit"
        );
        assert_eq!(strip_date_prefix("russian-visit"), "russian-visit");
        assert_eq!(strip_date_prefix("2023-11-15"), "2023-11-15");
    }
}
