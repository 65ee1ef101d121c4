//! `attache serve`: the editor's live preview.
//!
//! The site is built in memory (the same stages as `build`, nothing written
//! to disk), served over HTTP, and rebuilt when a file under `content/`,
//! `templates/`, `themes/`, `static/` or `attache.yaml` changes. Browsers
//! are told to reload through Server-Sent Events; a build with errors keeps
//! the server up and shows the diagnostics in the browser until it is fixed.
//!
//! Each rebuild runs the whole pipeline in memory, so the served site always
//! equals what a clean `attache build` would write: never stale, whatever
//! was edited, renamed or deleted.

mod http;

use crate::diagnostics::Diagnostics;
use crate::render::{Contents, OutputFile};
use crate::report::{Format, Report};
use crate::site::{self, Command, SiteOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

pub use http::LIVE_RELOAD_SNIPPET;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
}

/// What the server hands out: the last good build, and the errors of the
/// latest build if it failed.
#[derive(Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// The latest build's diagnostics as text, when it had errors.
    pub errors: Option<String>,
}

pub enum Served {
    Bytes(Arc<Vec<u8>>),
    /// A static file, read when asked for.
    File(PathBuf),
}

/// State shared by the rebuild loop and the request handlers.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Bumped after every rebuild; live-reload connections wait on it.
    pub generation: Mutex<u64>,
    pub rebuilt: Condvar,
}

impl Shared {
    fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().expect("snapshot lock poisoned") = Arc::new(snapshot);
        let mut generation = self.generation.lock().expect("generation lock poisoned");
        *generation += 1;
        self.rebuilt.notify_all();
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .expect("snapshot lock poisoned")
            .clone()
    }
}

/// Runs the server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let server = tiny_http::Server::http((options.bind.as_str(), options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let base_url = format!("http://{addr}/");
    let site_options = SiteOptions {
        root: options.root.clone(),
        base_url: Some(base_url.clone()),
        drafts: options.drafts,
        strict: false,
    };
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        generation: Mutex::new(0),
        rebuilt: Condvar::new(),
    });
    let started = Instant::now();
    shared.publish(build_snapshot(&site_options, &Snapshot::default()));

    let watcher_shared = shared.clone();
    let _watcher = watch(&options.root, move |paths| {
        let started = Instant::now();
        let previous = watcher_shared.current();
        let snapshot = build_snapshot(&site_options, &previous);
        let ok = snapshot.errors.is_none();
        watcher_shared.publish(snapshot);
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
    http::run(server, shared);
    Ok(())
}

/// Builds the site in memory. With errors, keeps `previous` files and
/// records the diagnostics (also printed to the terminal).
fn build_snapshot(options: &SiteOptions, previous: &Snapshot) -> Snapshot {
    let (files, diagnostics) = build_in_memory(options);
    let failed = diagnostics.has_errors();
    let text = report_text(&diagnostics, &options.root, false);
    if !diagnostics.is_empty() {
        let stderr = std::io::stderr();
        let mut lock = stderr.lock();
        let _ = Report {
            format: Format::Human {
                color: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            },
            root: &options.root,
            max_warnings: 10,
        }
        .write(diagnostics, &mut lock);
    }
    if failed {
        return Snapshot {
            files: previous
                .files
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Served::Bytes(b) => Served::Bytes(b.clone()),
                        Served::File(p) => Served::File(p.clone()),
                    };
                    (k.clone(), v)
                })
                .collect(),
            errors: Some(text),
        };
    }
    Snapshot {
        files: files
            .into_iter()
            .map(|f| {
                let served = match f.contents {
                    Contents::Bytes(b) => Served::Bytes(Arc::new(b)),
                    Contents::Copy(p) => Served::File(p),
                };
                (f.path, served)
            })
            .collect(),
        errors: None,
    }
}

fn report_text(diagnostics: &Diagnostics, root: &Path, color: bool) -> String {
    let mut out = Vec::new();
    let _ = Report {
        format: Format::Human { color },
        root,
        max_warnings: 0,
    }
    .write(diagnostics.clone(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The whole pipeline but `write`: the files `attache build` would write,
/// or the diagnostics that stop it.
pub fn build_in_memory(options: &SiteOptions) -> (Vec<OutputFile>, Diagnostics) {
    let highlighter = crate::markdown::highlight::Highlighter::new();
    let checked = site::check(options, Command::Build, &highlighter);
    if checked.diagnostics.has_errors() || checked.templates.is_none() {
        let diagnostics = checked.diagnostics;
        return (Vec::new(), diagnostics);
    }
    let (files, render_diagnostics) = site::render_site(&checked, &options.root, Command::Build);
    let mut diagnostics = checked.diagnostics;
    diagnostics.extend(render_diagnostics);
    (files, diagnostics)
}

/// Watches the site's inputs and calls `on_change` with the changed paths
/// once they have been quiet for a moment (an editor's save is often several
/// events), from a thread of its own.
fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<notify::RecommendedWatcher, String> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let inputs: Vec<PathBuf> = ["content", "templates", "themes", "static"]
        .iter()
        .map(|d| root_abs.join(d))
        .collect();
    let config_file = root_abs.join(crate::config::CONFIG_FILE);
    let relevant = {
        let inputs = inputs.clone();
        move |p: &Path| p == config_file || inputs.iter().any(|d| p.starts_with(d))
    };
    let (sender, receiver) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        // Reads are not changes: the rebuild itself reads every file.
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return;
        }
        for path in event.paths {
            if relevant(&path) {
                let _ = sender.send(path);
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself (not recursively: `public/`, `.git/` and build
    // folders change all the time), for attache.yaml and new input folders.
    watcher
        .watch(&root_abs, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root_abs.display()))?;
    for dir in &inputs {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
    }
    std::thread::spawn(move || {
        while let Ok(first) = receiver.recv() {
            let mut paths = vec![first];
            while let Ok(more) = receiver.recv_timeout(QUIET) {
                paths.push(more);
            }
            paths.sort();
            paths.dedup();
            on_change(paths);
        }
    });
    Ok(watcher)
}

/// How long the inputs must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(50);
