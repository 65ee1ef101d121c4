//! Runs the stages for each command, the one place that says which stages
//! a command runs and in what order: `check` (load + resolve + template
//! loading) is where each starts; `attache check` is `check` + render in
//! memory (`run_check`); `attache build` is `check` + render + write
//! (`build`); `attache serve` is `check` with a `Memo` + the static files +
//! the link check against pages rendered when asked for (`preview`). Also
//! the one place that decides how severe a diagnostic is for a command
//! (strict mode, and the problems that block `check` but only warn in
//! `build`).

use crate::config::{BaseUrl, load_config};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Origin, Severity};
use crate::markdown::highlight::Highlighter;
use crate::render::templates::Templates;
use crate::render::theme::Theme;
use crate::render::{self, OutputFile};
use crate::resolve::{self, Site};
use crate::write::{
    Destination, Mode, OtherFiles, WriteError, WriteStats, Writer, refuse_site_paths,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Check,
    Build,
}

#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Strict mode from the command line (`strict: true` in the config also counts).
    pub strict: bool,
    /// Where processed images are kept (`--cache`); else the config's
    /// `cache`, relative to the root.
    pub cache: Option<PathBuf>,
}

/// What `build` does with the rendered files.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    pub mode: Mode,
    /// Where to write the manifest of output files and their SHA-256.
    pub manifest: Option<PathBuf>,
    /// Whether to replace an output folder that holds files attache did
    /// not write.
    pub other_files: OtherFiles,
}

/// Why a folder is not a site.
#[derive(Debug)]
pub struct NotASite(String);

impl std::fmt::Display for NotASite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks that `root` is a site: an existing folder that holds
/// `attache.yaml` or `content/`. Every command but `init` starts here, so a
/// mistyped `--root` stops with an error instead of building an empty site.
pub fn open_root(root: &Path) -> Result<(), NotASite> {
    let shown = root.display();
    match std::fs::metadata(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(NotASite(format!(
                "no site at {shown}: the folder does not exist; pass --root with the site's folder, or start one with `attache init {shown}`"
            )));
        }
        Err(e) => {
            return Err(NotASite(format!(
                "cannot read the site folder {shown}: {e}"
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(NotASite(format!(
                "no site at {shown}: it is a file, not a folder; pass --root with the site's folder"
            )));
        }
        Ok(_) => {}
    }
    let has = |name: &str| std::fs::symlink_metadata(root.join(name)).is_ok();
    if has(crate::config::CONFIG_FILE) || has("content") {
        Ok(())
    } else {
        Err(NotASite(format!(
            "no site at {shown}: it holds neither attache.yaml nor content/; pass --root with the site's folder, or start one with `attache init`"
        )))
    }
}

fn apply_policy(diagnostics: Diagnostics, command: Command, strict: bool) -> Diagnostics {
    let mut out = Diagnostics::new();
    out.extend(diagnostics.into_iter().map(|mut d: Diagnostic| {
        // The rules live on the code: see `Code::strict_error` and
        // `Code::build_warning`.
        if strict && d.code.strict_error() {
            d.severity = Severity::Error;
        } else if command == Command::Build && d.code.build_warning() {
            d.severity = Severity::Warning;
        }
        d
    }));
    out
}

/// Everything `check` knows after loading and resolving.
pub struct Checked {
    pub site: Site,
    /// The image cache the pictures' files are made in.
    pub pictures: Arc<crate::media::Store>,
    pub templates: Option<Templates>,
    pub theme: Theme,
    pub diagnostics: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Loads, resolves and loads templates; never writes anything.
pub fn check(options: &SiteOptions, command: Command, highlighter: &Highlighter) -> Checked {
    let mut memo = Memo {
        load: crate::load::Cache::one_shot(),
        resolve: resolve::Memo::one_shot(),
        ..Memo::default()
    };
    check_with(options, command, highlighter, &mut memo)
}

/// What one run of the stages keeps for the next, so that `serve` redoes
/// only what an edit touched: the files as loaded, and the bodies as
/// rendered (see `resolve::Memo`).
#[derive(Default)]
pub struct Memo {
    load: crate::load::Cache,
    history: crate::load::git::HistoryCache,
    resolve: resolve::Memo,
    /// The image cache, kept open (with what it knows of each image) while
    /// its folder stays the same.
    pictures: Option<Arc<crate::media::Store>>,
}

impl Memo {
    /// Says which files (relative to the site root) changed since the last
    /// run, when a watcher knows; `None`: anything may have.
    pub fn note_changes(&mut self, changed: Option<Vec<PathBuf>>) {
        self.load.note_changes(changed);
    }

    /// Whether the files named (relative to `root`) are all content files
    /// exactly as the last run read them, so that running again would give
    /// the same site.
    pub fn still_current(&self, root: &Path, changed: &[PathBuf]) -> bool {
        self.load.still_current(root, changed)
    }
}

/// `check`, reusing and refreshing what `memo` kept from the last run. The
/// result is the same as `check` on the same files: `check` is this with
/// an empty memo (one that keeps nothing for a next run), so a build and a
/// rebuild take the same path.
fn check_with(
    options: &SiteOptions,
    command: Command,
    highlighter: &Highlighter,
    memo: &mut Memo,
) -> Checked {
    let mut timings = Vec::new();
    let mut diagnostics = Diagnostics::new();
    let root = &options.root;
    let start = Instant::now();
    let (mut config, config_diagnostics) = load_config(root);
    diagnostics.extend(config_diagnostics);
    if let Some(url) = &options.base_url {
        match BaseUrl::parse(url) {
            Ok(url) => config.base_url = url,
            Err(message) => diagnostics.push(
                // Without a usable base URL no link can be written: an
                // error, where a bad URL in a page is a warning.
                Diagnostic::from(Code::BadUrl, Origin::Option("--base-url"), message)
                    .with_severity(Severity::Error)
                    .with_hint("pass the full URL, e.g. --base-url https://example.org/preview/"),
            ),
        }
    }
    let strict = options.strict || config.strict;
    let pending_history = config.git.enabled.then(|| memo.history.start(root));
    let cache_dir = cache_folder(options, &config.cache, &mut diagnostics);
    let pictures = match memo.pictures.take() {
        Some(store) if store.dir() == cache_dir => store,
        _ => Arc::new(crate::media::Store::open(&cache_dir)),
    };
    memo.pictures = Some(pictures.clone());
    let (content, load_diagnostics) = crate::load::load_with(root, &mut memo.load, &pictures);
    diagnostics.extend(load_diagnostics);
    timings.push(("load", start.elapsed()));

    let start = Instant::now();
    let resolve_options = resolve::Options {
        drafts: options.drafts,
        history: pending_history,
    };
    let (theme, theme_diagnostics) = Theme::find(root, &config.theme, config.theme_at);
    diagnostics.extend(theme_diagnostics);
    let (site, resolve_diagnostics, resolve_timings) = resolve::resolve_with(
        config,
        content,
        resolve_options,
        highlighter,
        &mut memo.resolve,
    );
    diagnostics.extend(resolve_diagnostics);
    timings.extend(resolve_timings);
    timings.push(("resolve", start.elapsed()));

    let start = Instant::now();
    let theme_templates = theme.templates_dir();
    let (templates, template_diagnostics) =
        Templates::load(root, theme_templates.as_deref(), &root.join("templates"));
    diagnostics.extend(template_diagnostics);
    timings.push(("templates", start.elapsed()));

    Checked {
        site,
        pictures,
        templates,
        theme,
        diagnostics: apply_policy(diagnostics, command, strict),
        timings,
    }
}

/// Where processed images are kept: `--cache`, else the config's `cache`
/// under the root. A folder that is the site's root or lies in one of its
/// inputs (or `.git`) would have attache write into what editors keep: it
/// is refused (`bad-config`) and the default used.
fn cache_folder(
    options: &SiteOptions,
    configured: &Path,
    diagnostics: &mut Diagnostics,
) -> PathBuf {
    let root = &options.root;
    let (dir, origin) = match &options.cache {
        Some(dir) => (dir.clone(), Origin::Option("--cache")),
        None => (
            root.join(configured),
            Origin::File(PathBuf::from(crate::config::CONFIG_FILE)),
        ),
    };
    let real = |p: &Path| crate::paths::resolve_symlinks(p).unwrap_or_else(|_| p.to_path_buf());
    let (real_dir, real_root) = (real(&dir), real(root));
    let inside_input = crate::input::INPUT_FOLDERS
        .iter()
        .chain(&[".git"])
        .any(|folder| real_dir.starts_with(real_root.join(folder)));
    if real_dir == real_root || inside_input || real_root.starts_with(&real_dir) {
        diagnostics.push(
            Diagnostic::from(
                Code::BadConfig,
                origin,
                format!(
                    "the image cache {} would be the site's folder or lie in its content, static files, templates, themes or .git",
                    dir.display()
                ),
            )
            .with_severity(Severity::Error)
            .with_hint("keep the cache in a folder of its own, e.g. `cache: .attache-cache` (the default)"),
        );
        return root.join(crate::config::DEFAULT_CACHE);
    }
    dir
}

/// What a build did.
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    /// Written, or `None` when errors stopped the build before writing.
    pub written: Option<Written>,
    pub timings: Vec<(&'static str, Duration)>,
}

pub struct Written {
    pub files: usize,
    pub pages: usize,
    pub output: PathBuf,
    pub stats: WriteStats,
    pub images: ImageWork,
}

/// What a build did with images: pictures made now, and pictures whose
/// files the cache already held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageWork {
    pub processed: usize,
    pub reused: usize,
}

#[derive(Debug)]
pub enum BuildError {
    Write(WriteError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Write(e) => write!(f, "cannot write the site: {e}"),
        }
    }
}

/// Lists the checked site's output files, reporting paths claimed twice,
/// and checks the bodies' links to site pages and files against them.
/// Returns `None` when the site has no templates to render with.
fn prepare<'a>(
    checked: &'a Checked,
    root: &Path,
    command: Command,
) -> Option<(render::Prepared, &'a Templates, Diagnostics)> {
    let templates = checked.templates.as_ref()?;
    // `check` makes no picture files: it would decode every image.
    let pictures = (command == Command::Build).then_some(&*checked.pictures);
    let (prepared, diagnostics) = render::prepare(&checked.site, &checked.theme, root, pictures);
    let mut diagnostics = apply_policy(diagnostics, command, false);
    diagnostics.extend(check_site_links(&checked.site, command, |p| {
        prepared.has(p)
    }));
    Some((prepared, templates, diagnostics))
}

/// Renders every page and drops it: the template errors that depend on
/// the data (with the command's severity).
fn render_and_drop(
    checked: &Checked,
    prepared: render::Prepared,
    templates: &Templates,
    command: Command,
) -> Diagnostics {
    let dropped = prepared.emit(&checked.site, templates, |file| {
        drop(file);
        Ok::<(), std::convert::Infallible>(())
    });
    let diagnostics = match dropped {
        Ok(diagnostics) => diagnostics,
        Err(never) => match never {},
    };
    apply_policy(diagnostics, command, false)
}

/// Renders the checked site to files in memory, then checks the bodies'
/// links to site pages and files against them. Template errors and broken
/// links are returned as diagnostics (with the command's severity). For
/// tests and benchmarks: `check` and `build` never hold the whole output.
pub fn render_site(
    checked: &Checked,
    root: &Path,
    command: Command,
) -> (Vec<OutputFile>, Diagnostics) {
    let Some((prepared, templates, mut diagnostics)) = prepare(checked, root, command) else {
        return (Vec::new(), Diagnostics::new());
    };
    let files = std::sync::Mutex::new(Vec::new());
    let rendered = prepared.emit(&checked.site, templates, |file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok::<(), std::convert::Infallible>(())
    });
    match rendered {
        Ok(d) => diagnostics.extend(apply_policy(d, command, false)),
        Err(never) => match never {},
    }
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

/// Every root-relative link in a body must lead to an output file (a folder
/// link to its `index.html`); `has` says whether the output has a file.
fn check_site_links(site: &Site, command: Command, has: impl Fn(&str) -> bool) -> Diagnostics {
    check_links(&site.site_links, command, has)
}

/// `check_site_links` for `links`.
fn check_links(
    links: &[resolve::SiteLink],
    command: Command,
    has: impl Fn(&str) -> bool,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for link in links {
        let p = link.site_path.trim_end_matches('/');
        let found = has(link.site_path.as_str())
            || has(&crate::routes::html_file(&link.site_path))
            || has(&crate::routes::html_file(&format!("{p}/")));
        if !found {
            diagnostics.push(
                Diagnostic::new(Code::BrokenLink,
                    &link.file,
                    format!("link to '{}': the site has no such page or file", link.written),
                )
                .at(link.line, link.column)
                .with_hint("root-relative links (starting with /) name a page such as /about/ or a file from static/"),
            );
        }
    }
    apply_policy(diagnostics, command, false)
}

/// `attache check`: `check`, then every page rendered in memory (template
/// errors that depend on the data only show when rendering); nothing is
/// written. Returns every problem, each with its final severity.
pub fn run_check(options: &SiteOptions) -> Diagnostics {
    let highlighter = Highlighter::new();
    let mut checked = check(options, Command::Check, &highlighter);
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    if let Some((prepared, templates, prepare_diagnostics)) =
        prepare(&checked, &options.root, Command::Check)
    {
        diagnostics.extend(prepare_diagnostics);
        diagnostics.extend(render_and_drop(
            &checked,
            prepared,
            templates,
            Command::Check,
        ));
    }
    diagnostics
}

/// A site as `serve` holds it, rendering its pages when asked for: what
/// `preview` checks the bodies' links against.
pub trait Published {
    fn site(&self) -> &Site;
    /// Whether the output has a file at `path`.
    fn has(&self, path: &str) -> bool;
}

impl<T: Published> Published for std::sync::Arc<T> {
    fn site(&self) -> &Site {
        T::site(self)
    }
    fn has(&self, path: &str) -> bool {
        T::has(self, path)
    }
}

/// What one run of `serve`'s stages found.
pub struct Preview<O> {
    /// The site to publish; `None` when errors stop it.
    pub output: Option<O>,
    pub diagnostics: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// `attache serve`'s run: `check` reusing `memo` (as `build` rates
/// problems), then, if nothing is wrong, the static files, the output
/// `publish` makes of the site (rendering pages when they are asked for),
/// and the bodies' links checked against that output as `build` checks
/// them against the files it rendered.
pub fn preview<O: Published>(
    options: &SiteOptions,
    highlighter: &Highlighter,
    memo: &mut Memo,
    publish: impl FnOnce(Site, Templates, Vec<OutputFile>, Arc<crate::media::Store>) -> O,
) -> Preview<O> {
    let Checked {
        site,
        pictures,
        templates,
        theme,
        mut diagnostics,
        timings,
    } = check_with(options, Command::Build, highlighter, memo);
    let templates = match templates {
        Some(t) if !diagnostics.has_errors() => t,
        _ => {
            return Preview {
                output: None,
                diagnostics,
                timings,
            };
        }
    };
    // What this run learnt of each image spares the next one (and the
    // editor's next build) reading it again.
    let _ = pictures.save();
    let (statics, static_diagnostics) = render::render_static_files(&theme, &options.root);
    diagnostics.extend(static_diagnostics);
    let output = publish(site, templates, statics, pictures);
    diagnostics.extend(check_site_links(output.site(), Command::Build, |p| {
        output.has(p)
    }));
    Preview {
        output: Some(output),
        diagnostics,
        timings,
    }
}

/// What `patch_preview` made of an edit to briefings' bodies.
pub struct Patch {
    pub site: Site,
    /// What `preview` would now find.
    pub diagnostics: Diagnostics,
    /// Whether the edited files have the same problems as before.
    pub problems_unchanged: bool,
    pub timings: Vec<(&'static str, Duration)>,
}

/// `serve`'s fast path: when the files named changed (`Memo::note_changes`)
/// are briefings whose bodies alone changed, or one briefing whose names,
/// title or summary changed (see `resolve::patch`), the site `last` (the
/// last run's output, which found `diagnostics`) with those briefings made
/// again (and the lists of actors and topics, if they keep their pages),
/// and what `preview`
/// would now find: `diagnostics` (sorted: `Diagnostics::sort`) less what
/// the edited files had, plus what they have now, sorted. `None` for any other edit (run `preview`, which
/// the memo is then ready for).
pub fn patch_preview<O: Published>(
    options: &SiteOptions,
    highlighter: &Highlighter,
    memo: &mut Memo,
    last: &O,
    diagnostics: Diagnostics,
) -> Option<Patch> {
    let start = Instant::now();
    let mut timings = Vec::new();
    let reloaded = memo.load.reload_briefings(&options.root)?;
    timings.push(("patch: load", start.elapsed()));
    let start = Instant::now();
    let edited: Vec<resolve::Edited> = reloaded
        .iter()
        .map(|r| resolve::Edited {
            before: r.before.clone(),
            after: r.after.clone(),
        })
        .collect();
    let mut patched = resolve::patch(last.site(), &edited, highlighter, &mut memo.resolve)?;
    let (actors, topics) = &patched.relisted;
    if !render::Plan::lists_keep_their_pages(last.site(), &patched.site, actors, topics) {
        return None;
    }
    timings.append(&mut patched.timings);
    timings.push(("patch: resolve", start.elapsed()));
    let start = Instant::now();
    let strict = options.strict || patched.site.config.strict;
    // Rated as `preview` rates them; the links of the edited bodies are
    // checked against the last output, which has the same files.
    let rate = |load: Vec<Diagnostics>, bodies: Diagnostics, links: &[resolve::SiteLink]| {
        let mut found = Diagnostics::new();
        found.extend(load.into_iter().flatten());
        found.extend(bodies);
        let mut rated = apply_policy(found, Command::Build, strict);
        rated.extend(check_links(links, Command::Build, |p| last.has(p)));
        rated
    };
    let (load_before, load_after): (Vec<_>, Vec<_>) = reloaded
        .into_iter()
        .map(|r| (r.diagnostics_before, r.diagnostics_after))
        .unzip();
    let before = rate(load_before, patched.before, &patched.links_before);
    let after = rate(load_after, patched.after, &patched.links_after);
    let problems_unchanged = before.clone().sorted() == after.clone().sorted();
    let mut now = diagnostics;
    for d in before {
        // One the last run did not report: it was not made as this
        // supposes, and the stages are run instead.
        if !now.remove_sorted(&d) {
            return None;
        }
    }
    for d in after {
        now.insert_sorted(d);
    }
    timings.push(("patch: diagnostics", start.elapsed()));
    Some(Patch {
        site: patched.site,
        diagnostics: now,
        problems_unchanged,
        timings,
    })
}

/// `attache build`: check, render and, if nothing is wrong, replace `output`.
/// Whether `output` may be replaced is decided first, before any work.
pub fn build(
    options: &SiteOptions,
    output: &Path,
    write_options: &WriteOptions,
) -> Result<BuildReport, (BuildError, Diagnostics)> {
    let refused = |e| (BuildError::Write(e), Diagnostics::new());
    let destination =
        Destination::check(output, &options.root, write_options.other_files).map_err(refused)?;
    if let Some(path) = &write_options.manifest {
        let real = crate::paths::resolve_symlinks(path)
            .map_err(|e| refused(WriteError::Io(path.clone(), e)))?;
        refuse_site_paths(&real, &options.root).map_err(refused)?;
        if real.starts_with(destination.path()) {
            return Err(refused(WriteError::ManifestInOutput(path.clone())));
        }
    }
    let highlighter = Highlighter::new();
    let mut checked = check(options, Command::Build, &highlighter);
    // What the cache learnt (each image's probe) serves the next build,
    // even one this build's errors stop; a cache that cannot be written
    // costs the next build time, nothing else.
    let _ = checked.pictures.save();
    let mut report = BuildReport {
        diagnostics: std::mem::take(&mut checked.diagnostics),
        written: None,
        timings: std::mem::take(&mut checked.timings),
    };
    if report.diagnostics.has_errors() {
        return Ok(report);
    }
    match render_and_write(
        &checked,
        &options.root,
        &destination,
        write_options,
        &mut report,
    ) {
        Ok(written) => {
            report.written = written.map(|(files, pages, stats)| Written {
                files,
                pages,
                output: output.to_path_buf(),
                stats,
                images: ImageWork {
                    processed: checked.pictures.processed(),
                    reused: checked.pictures.reused(),
                },
            });
            Ok(report)
        }
        Err(e) => Err((BuildError::Write(e), report.diagnostics)),
    }
}

/// Renders every page, each written as soon as it is rendered into a
/// folder that becomes the output only once every page rendered without
/// an error (the output is otherwise left as it was). Adds the problems
/// and timings to `report`; returns how many files and pages were written
/// and what writing did, or `None` when errors stopped it.
fn render_and_write(
    checked: &Checked,
    root: &Path,
    destination: &Destination,
    write_options: &WriteOptions,
    report: &mut BuildReport,
) -> Result<Option<(usize, usize, WriteStats)>, WriteError> {
    let start = Instant::now();
    let Some((prepared, templates, diagnostics)) = prepare(checked, root, Command::Build) else {
        return Ok(None);
    };
    report.diagnostics.extend(diagnostics);
    if report.diagnostics.has_errors() {
        // Nothing is written, but every page's problems are still found.
        let diagnostics = render_and_drop(checked, prepared, templates, Command::Build);
        report.diagnostics.extend(diagnostics);
        report.timings.push(("render", start.elapsed()));
        return Ok(None);
    }
    let paths = prepared.paths().to_vec();
    let (files, pages) = (paths.len(), prepared.html_pages());
    let writer = Writer::start(
        destination,
        write_options.mode,
        paths,
        write_options.manifest.is_some(),
    )?;
    let diagnostics = prepared.emit(&checked.site, templates, |file| writer.put(&file))?;
    report
        .diagnostics
        .extend(apply_policy(diagnostics, Command::Build, false));
    report.timings.push(("render and write", start.elapsed()));
    if report.diagnostics.has_errors() {
        // Dropping the writer removes what it wrote.
        drop(writer);
        return Ok(None);
    }
    let start = Instant::now();
    let (stats, manifest) = writer.finish()?;
    if let (Some(path), Some(bytes)) = (&write_options.manifest, manifest) {
        std::fs::write(path, bytes).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    report.timings.push(("swap", start.elapsed()));
    Ok(Some((files, pages, stats)))
}
