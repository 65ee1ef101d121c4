//! The site as the preview server holds it: a checked site and its render
//! plan, each page rendered the first time it is asked for (or by the
//! background pass that renders them all), so the page in the editor's
//! browser is served as soon as the site is resolved.
//!
//! Every page is rendered from the current model by the same code as
//! `attache build`, so what is served is what a build would write.

use crate::diagnostics::Diagnostic;
use crate::render::templates::Templates;
use crate::render::{Contents, OutputFile, Plan, PlannedPage};
use crate::resolve::Site;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub enum Served {
    Bytes(Arc<Vec<u8>>),
    /// A static file, read when asked for.
    File(PathBuf),
}

/// A page that could not be rendered: the diagnostic as `check` prints it.
pub type RenderError = Arc<Diagnostic>;

pub struct Output {
    root: PathBuf,
    site: Site,
    /// The parts shared with the outputs `for_edited_bodies` makes.
    templates: Arc<Templates>,
    plan: Plan,
    /// Output file -> page of the plan.
    pages: Arc<HashMap<String, PlannedPage>>,
    /// Each page of the plan, by `PlannedPage::index`, once rendered.
    rendered: Renders,
    statics: Arc<HashMap<String, Contents>>,
    /// Search index, sitemaps and the like, made together when the first
    /// of them is asked for (or a path is looked up among them); the
    /// feeds, one per actor and topic, each made when it is asked for.
    machine: OnceLock<Machine>,
    /// Each picture file's path -> the picture (by index in
    /// `site.pictures`); a picture's files are made (or found in the
    /// cache) when the first of them is asked for.
    picture_files: Arc<HashMap<String, usize>>,
    pictures: Arc<[OnceLock<PictureFiles>]>,
    store: Arc<crate::media::Store>,
}

/// The files made without templates: all but the feeds made, the feeds
/// by path.
struct Machine {
    files: HashMap<String, Arc<Vec<u8>>>,
    feeds: HashMap<String, crate::render::FeedFile>,
}

impl Machine {
    fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys().chain(self.feeds.keys())
    }
}

/// A picture's files by path, once made; `None` when the image cannot be
/// decoded.
type PictureFiles = Option<HashMap<String, PathBuf>>;

/// A page's HTML, or why it could not be rendered.
type Rendered = Result<Arc<Vec<u8>>, RenderError>;

/// Each page's render, by its index, in chunks of `CHUNK` pages made when
/// the first of their pages is looked at: a new output (one per save)
/// costs next to nothing per page of a large site.
struct Renders(Box<[OnceLock<Chunk>]>);

/// `CHUNK` pages' renders.
type Chunk = Box<[OnceLock<Rendered>]>;

const CHUNK: usize = 1024;

impl Renders {
    fn new(pages: usize) -> Renders {
        Renders(
            (0..pages.div_ceil(CHUNK))
                .map(|_| OnceLock::new())
                .collect(),
        )
    }

    fn page(&self, index: usize) -> &OnceLock<Rendered> {
        let chunk =
            self.0[index / CHUNK].get_or_init(|| (0..CHUNK).map(|_| OnceLock::new()).collect());
        &chunk[index % CHUNK]
    }
}

pub enum Found {
    File(Served),
    /// The page's template failed.
    Failed(RenderError),
    Missing,
}

impl crate::site::Published for Output {
    fn site(&self) -> &Site {
        Output::site(self)
    }
    fn has(&self, path: &str) -> bool {
        Output::has(self, path)
    }
}

impl Output {
    pub fn new(
        root: &Path,
        site: Site,
        templates: Templates,
        statics: Vec<OutputFile>,
        store: Arc<crate::media::Store>,
    ) -> Output {
        let plan = Plan::new(&site);
        let picture_files = site
            .pictures
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.variants.iter().map(move |(_, path)| (path.clone(), i)))
            .collect();
        let pictures = site.pictures.iter().map(|_| OnceLock::new()).collect();
        let pages = plan
            .pages()
            .map(|page| (plan.file(page).to_string(), page))
            .collect();
        let rendered = Renders::new(plan.len());
        Output {
            root: root.to_path_buf(),
            site,
            templates: Arc::new(templates),
            plan,
            pages: Arc::new(pages),
            rendered,
            statics: Arc::new(statics.into_iter().map(|f| (f.path, f.contents)).collect()),
            machine: OnceLock::new(),
            picture_files: Arc::new(picture_files),
            pictures,
            store,
        }
    }

    /// The output of `site`, the site of this output after an edit that
    /// `site::patch_preview` patched (bodies, or one briefing's names,
    /// title or summary, every list keeping its pages): the same files,
    /// the same templates, static files and pictures (shared), every page
    /// rendered again when asked for.
    pub fn for_edited_bodies(&self, site: Site) -> Output {
        let plan = self.plan.for_edited_bodies(&site);
        Output {
            root: self.root.clone(),
            templates: self.templates.clone(),
            pages: self.pages.clone(),
            rendered: Renders::new(plan.len()),
            plan,
            site,
            statics: self.statics.clone(),
            machine: OnceLock::new(),
            picture_files: self.picture_files.clone(),
            pictures: self.pictures.clone(),
            store: self.store.clone(),
        }
    }

    /// Whether this output was made from `other` by `for_edited_bodies`
    /// (or from an output made so): they share their index of pages.
    pub fn shares_pages_with(&self, other: &Output) -> bool {
        Arc::ptr_eq(&self.pages, &other.pages)
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Whether the site has a page or a static file at `path` (without
    /// making the machine-made files).
    fn has_page_or_static(&self, path: &str) -> bool {
        self.pages.contains_key(path)
            || self.statics.contains_key(path)
            || self.picture_files.contains_key(path)
    }

    /// Whether the site has any file at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.has_page_or_static(path) || {
            let machine = self.machine();
            machine.files.contains_key(path) || machine.feeds.contains_key(path)
        }
    }

    /// The file at `path`, rendered now if it has not been yet.
    pub fn get(&self, path: &str) -> Found {
        if let Some(&page) = self.pages.get(path) {
            return match self.page(page) {
                Ok(bytes) => Found::File(Served::Bytes(bytes)),
                Err(e) => Found::Failed(e),
            };
        }
        match self.statics.get(path) {
            Some(Contents::Bytes(b)) => return Found::File(Served::Bytes(Arc::new(b.clone()))),
            Some(Contents::Copy(p)) => return Found::File(Served::File(p.clone())),
            None => {}
        }
        if let Some(&picture) = self.picture_files.get(path) {
            return match self.picture(picture).and_then(|files| files.get(path)) {
                Some(file) => Found::File(Served::File(file.clone())),
                None => Found::Missing,
            };
        }
        let machine = self.machine();
        if let Some(bytes) = machine.files.get(path) {
            return Found::File(Served::Bytes(bytes.clone()));
        }
        match machine.feeds.get(path).map(|feed| feed.render(&self.site)) {
            Some(OutputFile {
                contents: Contents::Bytes(bytes),
                ..
            }) => Found::File(Served::Bytes(Arc::new(bytes))),
            _ => Found::Missing,
        }
    }

    /// The files of a picture, made (or found in the cache) the first time
    /// one is asked for; `None` when the image cannot be decoded.
    fn picture(&self, index: usize) -> Option<&HashMap<String, PathBuf>> {
        self.pictures[index]
            .get_or_init(|| {
                let p = &self.site.pictures[index];
                let made = p
                    .make(&self.store, &self.site.config.figures.settings)
                    .ok()?;
                Some(made.into_iter().collect())
            })
            .as_ref()
    }

    fn page(&self, page: PlannedPage) -> Result<Arc<Vec<u8>>, RenderError> {
        self.rendered
            .page(page.index())
            .get_or_init(|| {
                self.plan
                    .render_html(&self.site, &self.templates, page)
                    .map(|html| Arc::new(html.into_bytes()))
                    .map_err(Arc::new)
            })
            .clone()
    }

    fn machine(&self) -> &Machine {
        self.machine.get_or_init(|| {
            let (feeds, files) = crate::render::machine_files(&self.site, &self.plan);
            Machine {
                files: files
                    .into_iter()
                    .filter_map(|f| match f.contents {
                        Contents::Bytes(b) => Some((f.path, Arc::new(b))),
                        Contents::Copy(_) => None,
                    })
                    .collect(),
                feeds: feeds.into_iter().collect(),
            }
        })
    }

    /// Every path the output serves: pages, static files and the
    /// generated files, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .pages
            .keys()
            .chain(self.statics.keys())
            .chain(self.picture_files.keys())
            .chain(self.machine().paths())
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// Output paths claimed twice (a static file or an alias where a page
    /// or a generated file is), as `build` reports them. Makes the
    /// generated files, if no request has yet.
    pub fn conflicts(&self) -> Vec<Diagnostic> {
        let statics = self.statics.iter().map(|(path, contents)| OutputFile {
            path: path.clone(),
            contents: contents.clone(),
        });
        crate::render::output_conflicts(
            &self.site,
            &self.plan,
            &self.root,
            self.machine()
                .paths()
                .chain(self.picture_files.keys())
                .cloned(),
            statics,
        )
        .into_iter()
        .collect()
    }

    /// Renders every page not rendered yet, to find the pages whose
    /// templates fail (as `build` would), until `stop` says the output is no
    /// longer current. One page at a time, on the calling thread, and
    /// without keeping the HTML: the other cores stay free for requests and
    /// the next rebuild, and the model they need stays in the processor's
    /// caches. (A page asked for later is rendered again, in about a
    /// millisecond.) Returns the diagnostics of the pages that failed.
    pub fn check_all(&self, stop: &dyn Fn() -> bool) -> Vec<RenderError> {
        self.check(self.plan.pages().collect(), stop)
    }

    /// `check_all` for the pages that can show anything of the briefings
    /// in `changed` (their source files; see `Plan::pages_showing`): after
    /// an edit to briefings only, the other pages render as they did.
    pub fn check_showing(&self, changed: &[&Path], stop: &dyn Fn() -> bool) -> Vec<RenderError> {
        self.check(self.plan.pages_showing(&self.site, changed), stop)
    }

    fn check(&self, pages: Vec<PlannedPage>, stop: &dyn Fn() -> bool) -> Vec<RenderError> {
        let mut failed = Vec::new();
        for page in pages {
            let rendered = self.rendered.page(page.index());
            if stop() {
                break;
            }
            if let Some(Err(e)) = rendered.get() {
                failed.push(e.clone());
            }
            if rendered.get().is_some() {
                continue;
            }
            if let Err(e) = self.plan.render_html(&self.site, &self.templates, page) {
                let e = Arc::new(e);
                let _ = rendered.set(Err(e.clone()));
                failed.push(e);
            }
        }
        failed
    }
}
