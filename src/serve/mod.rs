//! `attache serve`: the editor's live preview.
//!
//! The site is built in memory (the same stages as `build`, nothing written
//! to disk), served over HTTP, and rebuilt when a file under `content/`,
//! `templates/`, `themes/`, `static/` or `attache.yaml` changes. Browsers
//! are told to reload through Server-Sent Events; a build with errors keeps
//! the server up and shows the diagnostics in the browser until it is fixed.
//!
//! Each rebuild runs the stages with a `site::Memo` of the last one, told
//! which files the watcher saw change, so it redoes only what they touched
//! (see `resolve::memo`); pages are rendered from the new model when asked
//! for. An edit to briefings' bodies alone, or to one briefing's actors,
//! topics, title or summary, is patched into the last site instead
//! (`site::patch_preview`): only those briefings (and the lists and graph
//! they reach) are made again, the rest is shared, so such a save costs
//! what it changes whatever the archive holds. The served site always equals what a clean `attache
//! build` would write: never stale, whatever was edited, renamed or
//! deleted.

mod http;
mod output;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::highlight::Highlighter;
use crate::render::Plan;
use crate::site::{self, Memo, SiteOptions};
pub use output::{Found, Output, Served};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

pub use http::LIVE_RELOAD_SNIPPET;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    /// `--cache`: where processed images are kept.
    pub cache: Option<PathBuf>,
}

/// What the server hands out: the last good site, and the errors of the
/// latest build if it failed.
#[derive(Default)]
pub struct Snapshot {
    pub output: Option<Arc<Output>>,
    /// The latest build's diagnostics as text, when it had errors.
    pub errors: Option<String>,
}

/// State shared by the rebuild loop and the request handlers.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Bumped after every rebuild.
    pub generation: Mutex<u64>,
    /// The generation, for the live-reload streams that wait for the next.
    pub reloads: tokio::sync::watch::Sender<u64>,
    /// Bumped when a rebuild starts, so that the background rendering of
    /// the previous build stops at once and leaves the cores to it.
    pub started: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// Serves `snapshot` from now on; returns its generation.
    fn publish(&self, snapshot: Snapshot) -> u64 {
        let old = std::mem::replace(
            &mut *self.snapshot.write().expect("snapshot lock poisoned"),
            Arc::new(snapshot),
        );
        drop_elsewhere(old);
        let mut generation = self.generation.lock().expect("generation lock poisoned");
        *generation += 1;
        self.reloads.send_replace(*generation);
        *generation
    }

    /// Publishes `snapshot` only if nothing was published since
    /// `generation`.
    fn publish_if_current(&self, generation: u64, snapshot: Snapshot) {
        let mut current = self.snapshot.write().expect("snapshot lock poisoned");
        let mut g = self.generation.lock().expect("generation lock poisoned");
        if *g == generation {
            drop_elsewhere(std::mem::replace(&mut *current, Arc::new(snapshot)));
            *g += 1;
            self.reloads.send_replace(*g);
        }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .expect("snapshot lock poisoned")
            .clone()
    }
}

/// Frees a replaced snapshot on a thread of its own: a large site's model
/// and rendered pages take a while to free, and the new build should not
/// wait for it.
fn drop_elsewhere(snapshot: Arc<Snapshot>) {
    std::thread::spawn(move || drop(snapshot));
}

/// Runs the server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let listener = std::net::TcpListener::bind((options.bind.as_str(), options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let base_url = format!("http://{addr}/");
    let mut session = Session::new(SiteOptions {
        root: options.root.clone(),
        base_url: Some(base_url.clone()),
        drafts: options.drafts,
        strict: false,
        cache: options.cache.clone(),
    });
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        generation: Mutex::new(0),
        reloads: tokio::sync::watch::Sender::new(0),
        started: std::sync::atomic::AtomicU64::new(0),
    });
    let started = Instant::now();
    session.rebuild(&shared);

    let watcher_shared = shared.clone();
    let _watcher = watch(&options.root, move |paths| {
        let started = Instant::now();
        if session.still_current(&paths) {
            return;
        }
        session.note_changes(&paths);
        let ok = session.rebuild(&watcher_shared);
        println!(
            "{} ({} changed) in {} ms",
            if ok {
                "Rebuilt"
            } else {
                "Build failed; serving the last good site"
            },
            paths.len(),
            started.elapsed().as_millis()
        );
    })?;
    // Announced only once the watcher runs, so no edit after this line is missed.
    println!(
        "Serving {} at {base_url} (built in {} ms)",
        options.root.display(),
        started.elapsed().as_millis()
    );
    println!("Watching for changes; press Ctrl-C to stop.");
    http::run(listener, shared)
}

/// What one `Session::update` made.
pub enum Update {
    /// The site, with its warnings (shared with the session, which
    /// patches the next edit's from them).
    Good {
        output: Arc<Output>,
        diagnostics: Arc<Diagnostics>,
    },
    /// Errors stopped the build; the last good site stays.
    Failed(Diagnostics),
}

/// The rebuild side of the server: what one build keeps for the next.
pub struct Session {
    options: SiteOptions,
    highlighter: Arc<Highlighter>,
    memo: Memo,
    /// What changed since the last rebuild, when known.
    changed: Option<Vec<PathBuf>>,
    /// Whether the next background pass must check every page: at first,
    /// after a change to anything but briefings, and after a pass that was
    /// cut short (its pages were never all checked).
    full_check_due: Arc<std::sync::atomic::AtomicBool>,
    /// Whether the next background pass must look for output conflicts
    /// although the output has the last one's files: at first, and after
    /// a pass that was cut short before it looked.
    conflicts_due: Arc<std::sync::atomic::AtomicBool>,
    /// The last good output and what its build found (sorted), which an
    /// edit to briefings' bodies only is patched into
    /// (`site::patch_preview`).
    last: Option<(Arc<Output>, Arc<Diagnostics>)>,
    /// Whether the last update was patched and left the problems as they
    /// were: then they are not printed again.
    problems_unchanged: bool,
}

impl Session {
    pub fn new(options: SiteOptions) -> Session {
        Session {
            options,
            highlighter: Arc::new(Highlighter::new()),
            memo: Memo::default(),
            changed: None,
            full_check_due: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            conflicts_due: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            last: None,
            problems_unchanged: false,
        }
    }

    /// Whether what the watcher saw are only late events for files the last
    /// build already read as they are now (nothing to rebuild).
    pub fn still_current(&self, changed: &Changed) -> bool {
        changed
            .paths
            .as_ref()
            .is_some_and(|paths| self.memo.still_current(&self.options.root, paths))
    }

    /// Says what the watcher saw change before a rebuild: paths, or `None`
    /// when it may have missed events.
    pub fn note_changes(&mut self, changed: &Changed) {
        self.memo.note_changes(changed.paths.clone());
        self.changed.clone_from(&changed.paths);
    }

    /// The foreground half of a rebuild: loads and resolves the site again,
    /// redoing only what changed since the last call (see `site::Memo`),
    /// and makes the output that renders each page when asked for. What it
    /// serves equals what a clean `attache build` writes (the property
    /// `tests/incremental.rs` tests over random edit sequences).
    pub fn update(&mut self) -> Update {
        self.problems_unchanged = false;
        if let Some(update) = self.patch() {
            return update;
        }
        let update = self.run_stages();
        self.last = match &update {
            Update::Good {
                output,
                diagnostics,
            } => Some((output.clone(), diagnostics.clone())),
            Update::Failed(_) => None,
        };
        update
    }

    /// Whether the last `update` was patched into the site before it and
    /// found the same problems as that build: they were reported then.
    pub fn problems_unchanged(&self) -> bool {
        self.problems_unchanged
    }

    /// The last output with the edited briefings made again, when the
    /// watcher named only briefings whose edits `resolve::patch` follows
    /// and the site stays free of errors; `None` otherwise (the stages
    /// run).
    fn patch(&mut self) -> Option<Update> {
        let started = Instant::now();
        // Taken: when the edit is not patched, the stages run and make
        // the next.
        let (last, diagnostics) = self.last.take()?;
        // Shared only with an update the caller still holds, if any.
        let diagnostics = Arc::try_unwrap(diagnostics).unwrap_or_else(|d| (*d).clone());
        let patch = site::patch_preview(
            &self.options,
            &self.highlighter,
            &mut self.memo,
            &last,
            diagnostics,
        )?;
        // An error is reported as the stages report it.
        if patch.diagnostics.has_errors() {
            return None;
        }
        let start = Instant::now();
        let output = Arc::new(last.for_edited_bodies(patch.site));
        let mut timings = patch.timings;
        timings.push(("patch: output", start.elapsed()));
        timings.push(("patch", started.elapsed()));
        crate::report::print_timings(&timings);
        let diagnostics = Arc::new(patch.diagnostics);
        self.last = Some((output.clone(), diagnostics.clone()));
        self.problems_unchanged = patch.problems_unchanged;
        Some(Update::Good {
            output,
            diagnostics,
        })
    }

    /// Loads and resolves the site with the memo.
    fn run_stages(&mut self) -> Update {
        let root = &self.options.root;
        let preview = site::preview(
            &self.options,
            &self.highlighter,
            &mut self.memo,
            |site, templates, statics, store| {
                Arc::new(Output::new(root, site, templates, statics, store))
            },
        );
        crate::report::print_timings(&preview.timings);
        match preview.output {
            Some(output) => {
                let mut diagnostics = preview.diagnostics;
                // Sorted once: the report sorts them again in one pass,
                // and a patched update keeps them sorted.
                diagnostics.sort();
                Update::Good {
                    output,
                    diagnostics: Arc::new(diagnostics),
                }
            }
            None => Update::Failed(preview.diagnostics),
        }
    }

    /// Loads and resolves the site again (redoing only what changed) and
    /// publishes it; its pages are rendered when asked for, and checked in
    /// the background to find template errors. With errors, the last good
    /// site stays and the diagnostics are shown instead of its pages.
    /// Returns whether the build was good.
    pub fn rebuild(&mut self, shared: &Arc<Shared>) -> bool {
        use std::sync::atomic::Ordering;
        let run = shared.started.fetch_add(1, Ordering::SeqCst) + 1;
        let root = self.options.root.clone();
        let (output, diagnostics) = match self.update() {
            Update::Good {
                output,
                diagnostics,
            } => (output, diagnostics),
            Update::Failed(diagnostics) => {
                // The next good build may differ from the last checked one
                // by more than its own edit.
                self.full_check_due.store(true, Ordering::SeqCst);
                let previous = shared.current().output.clone();
                let text = report(&diagnostics, &root);
                shared.publish(Snapshot {
                    output: previous,
                    errors: Some(text),
                });
                return false;
            }
        };
        let root = &root;
        let start = Instant::now();
        let previous = shared.current().output.clone();
        let generation = shared.publish(Snapshot {
            output: Some(output.clone()),
            errors: None,
        });
        self.check_later(shared, run, generation, output, previous);
        let mut timings = vec![("publish", start.elapsed())];
        // Printed once the browser has the site: at 200,000 briefings the
        // report of their warnings takes longer than a patched rebuild.
        let start = Instant::now();
        if !self.problems_unchanged {
            print_report(&diagnostics, root);
        }
        drop(diagnostics);
        timings.push(("report", start.elapsed()));
        crate::report::print_timings(&timings);
        true
    }

    /// Renders the pages of the build `run` (published as `generation`)
    /// on a thread of its own, to find template errors as `build` would,
    /// and publishes them if it finds any while the build is still current.
    fn check_later(
        &mut self,
        shared: &Arc<Shared>,
        run: u64,
        generation: u64,
        output: Arc<Output>,
        previous: Option<Arc<Output>>,
    ) {
        use std::sync::atomic::Ordering;
        let root = &self.options.root;
        // The other pages are checked, while the editor looks at the one
        // they edited: after an edit to briefings only that kept their
        // neighbours, actors, topics and links, the pages that can show
        // them; else all.
        let briefings: Option<Vec<PathBuf>> = self.changed.take().filter(|paths| {
            paths.iter().all(|p| {
                let now = Plan::connections(output.site(), p);
                let before = previous
                    .as_ref()
                    .and_then(|o| Plan::connections(o.site(), p));
                p.starts_with("content/briefings") && now.is_some() && now == before
            })
        });
        let full = self.full_check_due.swap(false, Ordering::SeqCst) || briefings.is_none();
        // A static file or an alias over another output, as build reports
        // it: an output with the last one's files (a patched edit: the
        // same pages, old URLs and static files) has the last one's.
        let same_files = previous.as_ref().is_some_and(|o| {
            output.shares_pages_with(o) && o.site().redirects == output.site().redirects
        });
        let conflicts = self.conflicts_due.swap(false, Ordering::SeqCst) || !same_files;
        // The last output, if this was the last reference to it, is
        // freed elsewhere too (see `drop_elsewhere`).
        std::thread::spawn(move || drop(previous));
        let full_check_due = self.full_check_due.clone();
        let conflicts_due = self.conflicts_due.clone();
        let shared = shared.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            let stop = || shared.started.load(Ordering::SeqCst) != run;
            let cut_short = || {
                full_check_due.store(true, Ordering::SeqCst);
                conflicts_due.fetch_or(conflicts, Ordering::SeqCst);
            };
            let mut failed = match &briefings {
                Some(paths) if !full => {
                    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                    output.check_showing(&paths, &stop)
                }
                _ => output.check_all(&stop),
            };
            // Not begun once a new rebuild started: it makes the feeds,
            // search index and sitemaps, in parallel, and cannot stop.
            if stop() {
                return cut_short();
            }
            if conflicts {
                failed.extend(output.conflicts().into_iter().map(Arc::new));
            }
            if stop() {
                return cut_short();
            }
            if failed.is_empty() {
                return;
            }
            // Until a pass finds no error, every pass checks every page
            // (and looks for conflicts), so that fixing one briefing does
            // not hide another's error.
            full_check_due.store(true, Ordering::SeqCst);
            conflicts_due.store(true, Ordering::SeqCst);
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(failed.iter().map(|d| Diagnostic::clone(d)));
            let text = report(&diagnostics, &root);
            shared.publish_if_current(
                generation,
                Snapshot {
                    output: Some(output),
                    errors: Some(text),
                },
            );
        });
    }
}

/// Prints the diagnostics to the terminal (warnings capped) and returns
/// them all as plain text, for the browser.
fn report(diagnostics: &Diagnostics, root: &Path) -> String {
    print_report(diagnostics, root);
    crate::report::plain_text(diagnostics, root)
}

fn print_report(diagnostics: &Diagnostics, root: &Path) {
    if !diagnostics.is_empty() {
        crate::report::print_human(
            diagnostics.clone(),
            root,
            crate::report::WARNINGS_SHOWN_WHILE_BUILDING,
        );
    }
}

/// What the watcher saw change: paths relative to the site root, or `None`
/// when events may have been missed (everything is looked at again).
pub struct Changed {
    pub paths: Option<Vec<PathBuf>>,
}

impl Changed {
    pub fn len(&self) -> usize {
        self.paths.as_ref().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Watches the site's inputs and calls `on_change` with what changed once
/// they have been quiet for a moment (an editor's save is often several
/// events), from a thread of its own.
fn watch(
    root: &Path,
    mut on_change: impl FnMut(Changed) + Send + 'static,
) -> Result<Arc<Mutex<notify::RecommendedWatcher>>, String> {
    use notify::{RecursiveMode, Watcher};
    let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let inputs: Vec<PathBuf> = crate::input::INPUT_FOLDERS
        .iter()
        .map(|d| root_abs.join(d))
        .collect();
    let config_file = root_abs.join(crate::config::CONFIG_FILE);
    // A commit changes the revision history pages show (with `git: true`).
    let head_log = crate::load::git::head_log(&root_abs);
    let relevant = {
        let inputs = inputs.clone();
        let head_log = head_log.clone();
        move |p: &Path| {
            p == config_file
                || inputs.iter().any(|d| p.starts_with(d))
                || head_log.as_deref() == Some(p)
        }
    };
    // `None`: the watcher lost events and everything must be looked at.
    let (sender, receiver) = std::sync::mpsc::channel::<Option<PathBuf>>();
    // Links are not followed: one out of the site is never read (see
    // `input`), so a link to `/` must not put a watch on every folder of
    // the machine; what a link inside the site leads to is watched where
    // it is.
    let config = notify::Config::default().with_follow_symlinks(false);
    let handler = forward_events(root_abs.clone(), relevant, sender);
    let mut watcher = notify::RecommendedWatcher::new(handler, config)
        .map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself (not recursively: `public/`, `.git/` and build
    // folders change all the time), for attache.yaml and new input folders.
    watcher
        .watch(&root_abs, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root_abs.display()))?;
    if let Some(log) = &head_log {
        // Not fatal: without it, history shows up at the next edit.
        let _ = watcher.watch(log, RecursiveMode::NonRecursive);
    }
    let mut watched = std::collections::HashSet::new();
    // An input folder linked out of the site is not read, so not watched.
    let in_site = move |dir: &Path| {
        dir.is_dir() && crate::input::resolve(&root_abs, dir, crate::input::Scope::Inputs).is_ok()
    };
    for dir in &inputs {
        if in_site(dir) {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
            watched.insert(dir.clone());
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let keep = watcher.clone();
    std::thread::spawn(move || {
        while let Ok(first) = receiver.recv() {
            // An input folder made since (`templates/`, say) is watched
            // from now on; what it already holds is in this rebuild.
            for dir in &inputs {
                if !watched.contains(dir) && in_site(dir) {
                    let mut w = watcher
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if w.watch(dir, RecursiveMode::Recursive).is_ok() {
                        watched.insert(dir.clone());
                    }
                }
            }
            on_change(burst(first, &receiver));
        }
    });
    Ok(keep)
}

/// The watcher's event handler: sends each changed path that `relevant`
/// accepts, relative to `root`, or `None` when events were lost.
fn forward_events(
    root: PathBuf,
    relevant: impl Fn(&Path) -> bool + Send + 'static,
    sender: std::sync::mpsc::Sender<Option<PathBuf>>,
) -> impl FnMut(notify::Result<notify::Event>) + Send + 'static {
    use notify::EventKind;
    move |result: notify::Result<notify::Event>| {
        let event = match result {
            Ok(event) => event,
            Err(_) => {
                let _ = sender.send(None);
                return;
            }
        };
        if event.need_rescan() {
            let _ = sender.send(None);
            return;
        }
        // Reads are not changes: the rebuild itself reads every file.
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return;
        }
        for path in event.paths {
            if relevant(&path) {
                let rel = path.strip_prefix(&root).map(Path::to_path_buf);
                let _ = sender.send(rel.ok());
            }
        }
    }
}

/// What changed in a burst of events that starts with `first` and lasts
/// until the inputs have been quiet for `QUIET`: the paths, sorted, or
/// `None` if events were lost.
fn burst(first: Option<PathBuf>, receiver: &std::sync::mpsc::Receiver<Option<PathBuf>>) -> Changed {
    let mut events = vec![first];
    while let Ok(more) = receiver.recv_timeout(QUIET) {
        events.push(more);
    }
    let paths: Option<Vec<PathBuf>> = events.into_iter().collect();
    let paths = paths.map(|mut paths| {
        paths.sort();
        paths.dedup();
        paths
    });
    Changed { paths }
}

/// How long the inputs must be quiet before a rebuild starts: an editor's
/// save (write, or write to a temporary file and rename) comes as a burst of
/// events within a few milliseconds.
const QUIET: Duration = Duration::from_millis(20);
