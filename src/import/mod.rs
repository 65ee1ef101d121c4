//! `attache import hugo|jekyll SRC DEST`: turns a Hugo or Jekyll site into
//! an attache site.
//!
//! A reader per generator (`hugo`, `jekyll`) gathers the source's articles,
//! old URLs and taxonomy terms into a [`Source`]; `convert` makes the
//! attache files (briefings, actor and topic profiles, `attache.yaml`); the
//! files are written into a temporary folder beside DEST, which is renamed
//! to DEST only when every file is written. SRC is only read.

pub mod dates;
mod hugo;
mod jekyll;
pub mod markup;
pub mod report;
pub mod value;

use crate::slug::{name_key, slugify};
use dates::SourceDate;
use markup::{Body, Links};
pub use report::Report;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use value::{Doc, Value};

/// The generator a site was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    Hugo,
    Jekyll,
}

/// What `attache import` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub generator: Generator,
    pub src: PathBuf,
    pub dest: PathBuf,
    /// The Hugo section or Jekyll collection of the articles; default: the
    /// largest of [`SECTIONS`].
    pub section: Option<String>,
    /// Taxonomies whose terms become actors.
    pub actors: Vec<String>,
    /// Taxonomies whose terms become topics.
    pub topics: Vec<String>,
}

/// The sections (Hugo) or collections (Jekyll) looked for when
/// `--section` is not given.
pub const SECTIONS: &[&str] = &["posts", "post", "blog", "news", "_posts"];
pub const DEFAULT_ACTORS: &[&str] = &["authors", "author"];
pub const DEFAULT_TOPICS: &[&str] = &["topics", "tags", "categories"];

impl Options {
    pub fn new(generator: Generator, src: PathBuf, dest: PathBuf) -> Options {
        Options {
            generator,
            src,
            dest,
            section: None,
            actors: DEFAULT_ACTORS.iter().map(|s| s.to_string()).collect(),
            topics: DEFAULT_TOPICS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Options {
    /// Each taxonomy to read, with what its terms become.
    pub fn taxonomies(&self) -> impl Iterator<Item = (Kind, &String)> {
        let actors = self.actors.iter().map(|t| (Kind::Actor, t));
        actors.chain(self.topics.iter().map(|t| (Kind::Topic, t)))
    }
}

/// Whether a term becomes an actor or a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Actor,
    Topic,
}

/// An article of the source, as its reader found it.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to SRC, with `/`.
    pub file: String,
    /// The names `ref`, `post_url` and `link` may give it (lower case).
    pub keys: Vec<String>,
    pub doc: Doc,
    pub title: Option<String>,
    pub date: Option<SourceDate>,
    /// The last substantive revision (`lastmod`, `last_modified_at`).
    pub updated: Option<SourceDate>,
    /// The URL segment of the new briefing (before slugify).
    pub slug: String,
    pub draft: bool,
    /// Root-relative old URLs; the first is the article's permalink.
    pub old_urls: Vec<String>,
    pub summary: Option<String>,
    pub terms: Vec<(Kind, String)>,
    /// A Hugo page bundle's folder, whose files the old site served beside
    /// the article.
    pub bundle: Option<PathBuf>,
}

/// A taxonomy term's own page or data entry (an author's profile).
#[derive(Debug, Clone)]
pub struct TermPage {
    pub kind: Kind,
    /// The term as articles name it (a file or folder name, a data key).
    pub key: String,
    pub file: String,
    pub doc: Doc,
}

/// What a reader found in the source site.
#[derive(Debug, Default)]
pub struct Source {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Absolute, ending with `/`.
    pub base_url: Option<url::Url>,
    pub articles: Vec<Article>,
    pub terms: Vec<TermPage>,
    /// Folders whose files the old site served as they are: the site path
    /// they are served under (`""` for the root), the folder, and whether
    /// names starting with `_` or `.` are left out (Jekyll's root).
    pub static_roots: Vec<(String, PathBuf, bool)>,
    /// The source folder, symlinks resolved: no file outside it is copied.
    pub src_real: PathBuf,
    /// The old URL of each taxonomy term's page the source site served
    /// (Hugo's `/tags/sanctions/`), by kind and the term as written.
    pub term_urls: Vec<(Kind, String, String)>,
}

/// Runs an import, prints its report and returns the exit code: 0 when
/// everything was imported, 1 when the site was written but files were
/// skipped or markup was kept unconverted, 2 when nothing was written.
pub fn run(options: &Options) -> u8 {
    match import(options) {
        Ok(report) => {
            use std::io::Write;
            // A closed pipe (`| head`) must not turn a written site into a panic.
            let _ = write!(std::io::stdout().lock(), "{report}");
            report.exit_code()
        }
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("Nothing was written.");
            2
        }
    }
}

/// Imports the site; an `Err` means nothing was written.
pub fn import(options: &Options) -> Result<Report, String> {
    let dest = check_paths(&options.src, &options.dest)?;
    let mut report = Report::new(options);
    let source = match options.generator {
        Generator::Hugo => hugo::read(options, &mut report)?,
        Generator::Jekyll => jekyll::read(options, &mut report)?,
    };
    if source.base_url.is_none() {
        let config = match options.generator {
            Generator::Hugo => "hugo.toml (baseURL)",
            Generator::Jekyll => "_config.yml (url)",
        };
        report.note(
            config,
            "no absolute base URL: attache.yaml gets none, and links to pages that were not imported stay as written",
        );
    }
    let files = convert(source, options.generator, &mut report)?;
    write(&dest, &files)?;
    Ok(report)
}

/// Refuses a DEST inside SRC, a SRC inside DEST (through symlinks too) and
/// a DEST that holds anything. Returns DEST resolved.
fn check_paths(src: &Path, dest: &Path) -> Result<PathBuf, String> {
    if !src.is_dir() {
        return Err(format!("{} is not a folder", src.display()));
    }
    let real_src =
        crate::paths::resolve_symlinks(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let real_dest =
        crate::paths::resolve_symlinks(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    if real_dest.starts_with(&real_src) {
        return Err(format!(
            "{} is inside the source site {}: the import never writes into the source; choose a folder outside it",
            dest.display(),
            src.display()
        ));
    }
    if real_src.starts_with(&real_dest) {
        return Err(format!(
            "the source site {} is inside {}: choose a new, empty folder",
            src.display(),
            dest.display()
        ));
    }
    match std::fs::symlink_metadata(&real_dest) {
        Ok(meta) if !meta.is_dir() => {
            return Err(format!("{} exists and is not a folder", dest.display()));
        }
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(&real_dest).map_err(|e| format!("{}: {e}", dest.display()))?;
            if entries.next().is_some() {
                return Err(format!(
                    "{} is not empty: import into a new or empty folder",
                    dest.display()
                ));
            }
        }
        Err(_) => {}
    }
    Ok(real_dest)
}

/// Writes `files` into a temporary folder beside `dest`, then renames it to
/// `dest`: a failed import leaves no half site.
fn write(dest: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    let parent = dest
        .parent()
        .ok_or("the destination has no parent folder")?;
    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let temp = tempfile::Builder::new()
        .prefix(".attache-import-")
        .tempdir_in(parent)
        .map_err(|e| format!("{}: {e}", parent.display()))?;
    for (path, contents) in files {
        let target = temp.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{path}: {e}"))?;
        }
        std::fs::write(&target, contents).map_err(|e| format!("{path}: {e}"))?;
    }
    if dest.exists() {
        std::fs::remove_dir(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    let kept = temp.keep();
    std::fs::rename(&kept, dest).map_err(|e| {
        let _ = std::fs::remove_dir_all(&kept);
        format!("{}: {e}", dest.display())
    })
}

/// A briefing about to be written.
struct Accepted {
    index: usize,
    year: i16,
    slug: String,
}

/// Where each imported article went, for links between them.
struct Index {
    accepted: Vec<Accepted>,
    by_key: HashMap<String, usize>,
    by_stem: HashMap<String, Option<usize>>,
    by_old_url: HashMap<String, usize>,
    base: Option<url::Url>,
    static_roots: Vec<(String, PathBuf, bool)>,
    src_real: PathBuf,
    /// Files of the source that links name, to copy to `static/`: by the
    /// site path they keep.
    copies: std::cell::RefCell<BTreeMap<String, PathBuf>>,
}

/// The lookup form of an old URL path: decoded, lower case, without
/// `index.html` or a trailing slash.
fn url_key(path: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let p = decoded.trim_end_matches("index.html").trim_end_matches('/');
    p.to_lowercase()
}

impl Index {
    /// A link from accepted briefing `from` to accepted briefing `to`,
    /// relative between their content files.
    fn md_link(&self, from: usize, to: usize) -> String {
        let (a, b) = (&self.accepted[from], &self.accepted[to]);
        if a.year == b.year {
            format!("{}.md", b.slug)
        } else {
            format!("../{}/{}.md", b.year, b.slug)
        }
    }

    fn absolute(&self, path: &str) -> String {
        match &self.base {
            Some(base) => base
                .join(path.trim_start_matches('/'))
                .map(String::from)
                .unwrap_or_else(|_| path.to_string()),
            None => path.to_string(),
        }
    }

    /// A file the old site served at `site_path` (relative to its base),
    /// copied to the new site's `static/` so the link keeps working: the
    /// root-relative link to write.
    fn asset(&self, site_path: &str) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(site_path)
            .decode_utf8()
            .ok()?;
        let path = decoded.trim_start_matches('/');
        let name = path.rsplit('/').next().unwrap_or("");
        if !crate::paths::is_plain_relative(path)
            || name.is_empty()
            || name.ends_with(".md")
            || name.ends_with(".html")
            || crate::routes::is_reserved(path.split('/').next().unwrap_or(""))
        {
            return None;
        }
        for (prefix, dir, strict) in &self.static_roots {
            let Some(rel) = path.strip_prefix(prefix.as_str()) else {
                continue;
            };
            if *strict && rel.split('/').any(|s| s.starts_with(['_', '.'])) {
                continue;
            }
            let candidate = dir.join(rel);
            let is_file = std::fs::symlink_metadata(&candidate).is_ok_and(|m| m.is_file());
            let inside = crate::paths::resolve_symlinks(&candidate)
                .is_ok_and(|real| real.starts_with(&self.src_real));
            if is_file && inside {
                self.copies.borrow_mut().insert(path.to_string(), candidate);
                return Some(format!("/{path}"));
            }
        }
        None
    }

    fn find(&self, key: &str) -> Option<usize> {
        let key = key
            .trim_start_matches("./")
            .trim_start_matches('/')
            .to_lowercase();
        for candidate in [
            key.clone(),
            format!("{key}.md"),
            format!("{key}/index.md"),
            key.trim_end_matches('/').to_string(),
        ] {
            if let Some(&i) = self.by_key.get(&candidate) {
                return Some(i);
            }
        }
        let stem = key.rsplit('/').next().unwrap_or(&key);
        let stem = stem.strip_suffix(".md").unwrap_or(stem);
        self.by_stem.get(stem).copied().flatten()
    }
}

/// The links of one briefing's body.
struct ArticleLinks<'a> {
    index: &'a Index,
    from: usize,
    /// The directory of the source file, relative to the content root.
    dir: String,
}

fn split_fragment(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

impl Links for ArticleLinks<'_> {
    fn hugo_ref(&self, target: &str) -> String {
        let (path, fragment) = split_fragment(target);
        if path.is_empty() {
            return fragment.to_string();
        }
        let relative = if path.starts_with('/') || self.dir.is_empty() {
            path.to_string()
        } else {
            crate::paths::normalize(Path::new(&format!("{}/{path}", self.dir)))
                .to_string_lossy()
                .replace('\\', "/")
        };
        match self.index.find(&relative).or_else(|| self.index.find(path)) {
            Some(to) => format!("{}{fragment}", self.index.md_link(self.from, to)),
            None => {
                let page = path
                    .trim_end_matches(".md")
                    .trim_end_matches("/_index")
                    .trim_end_matches("/index");
                format!(
                    "{}/{fragment}",
                    self.index
                        .absolute(&page.to_lowercase())
                        .trim_end_matches('/')
                )
            }
        }
    }

    fn post_url(&self, name: &str) -> Option<String> {
        let stem = name.rsplit('/').next().unwrap_or(name).to_lowercase();
        let to = self.index.by_stem.get(&stem).copied().flatten()?;
        Some(self.index.md_link(self.from, to))
    }

    fn jekyll_link(&self, path: &str) -> String {
        match self.index.find(path) {
            Some(to) => self.index.md_link(self.from, to),
            None => {
                let page = path.rsplit_once('.').map_or(path, |(p, _)| p);
                format!("{}/", self.index.absolute(page).trim_end_matches('/'))
            }
        }
    }

    fn site_url(&self) -> String {
        self.index
            .base
            .as_ref()
            .map(|b| b.as_str().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }
}

impl ArticleLinks<'_> {
    /// The new form of a link written in the body, if it changes: links to
    /// an imported article's old URL become links to its content file;
    /// other links into the old site become absolute URLs on it.
    fn rewrite(&self, url: &str, old_url: &str) -> Option<String> {
        if url.starts_with('#') || url.starts_with("//") {
            return None;
        }
        let index = self.index;
        let has_scheme = url.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if !has_scheme && (url.ends_with(".md") || url.contains(".md#")) {
            return None;
        }
        let base = index
            .base
            .clone()
            .or_else(|| url::Url::parse("http://localhost/").ok())?;
        let base_path = base.path().trim_end_matches('/').to_string();
        let resolved = if has_scheme {
            let parsed = url::Url::parse(url).ok()?;
            let same_host = parsed.host_str().map(|h| h.trim_start_matches("www."))
                == base.host_str().map(|h| h.trim_start_matches("www."));
            if index.base.is_none() || !matches!(parsed.scheme(), "http" | "https") || !same_host {
                return None;
            }
            parsed
        } else if let Some(path) = url.strip_prefix('/') {
            // Root-relative links of the source are relative to its base
            // path when they repeat it (Jekyll's `{{ site.baseurl }}/...`).
            let path = match url.strip_prefix(base_path.as_str()) {
                Some(rest) if !base_path.is_empty() && rest.starts_with('/') => &rest[1..],
                _ => path,
            };
            base.join(path).ok()?
        } else {
            base.join(old_url.trim_start_matches('/'))
                .ok()?
                .join(url)
                .ok()?
        };
        let site_path = resolved
            .path()
            .strip_prefix(base_path.as_str())
            .unwrap_or(resolved.path());
        if let Some(&to) = index.by_old_url.get(&url_key(site_path)) {
            let fragment = resolved
                .fragment()
                .map(|f| format!("#{f}"))
                .unwrap_or_default();
            return Some(format!("{}{fragment}", index.md_link(self.from, to)));
        }
        if let Some(local) = index.asset(site_path) {
            let fragment = resolved
                .fragment()
                .map(|f| format!("#{f}"))
                .unwrap_or_default();
            return Some(format!("{local}{fragment}"));
        }
        if has_scheme || index.base.is_none() {
            return None;
        }
        Some(resolved.to_string())
    }
}

/// One line of YAML: `key: "value"` (JSON strings are YAML strings).
fn yaml_field(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&serde_json::to_string(value).expect("a string serializes"));
    out.push('\n');
}

fn yaml_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(key);
    out.push_str(":\n");
    for item in items {
        out.push_str("  - ");
        out.push_str(&serde_json::to_string(item).expect("a string serializes"));
        out.push('\n');
    }
}

/// Text for a one-line field: template markup (`{{ }}`, `{% %}`) and HTML
/// tags dropped, entities decoded, whitespace (folded scalars' line
/// breaks) collapsed.
pub fn plain(text: &str) -> String {
    let mut text = text.to_string();
    for (open, close) in [("{{", "}}"), ("{%", "%}")] {
        while let Some(i) = text.find(open) {
            let Some(len) = text[i + 2..].find(close) else {
                break;
            };
            text.replace_range(i..i + 2 + len + 2, " ");
        }
    }
    let mut stripped = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => stripped.push(c),
            _ => {}
        }
    }
    let decoded = html_escape::decode_html_entities(&stripped);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether attache takes `path` as an alias: letters, digits and `-_.~/`,
/// no empty or dot segments, not under a section attache generates.
fn alias_ok(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let inner = decoded.trim_start_matches('/');
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    !inner.is_empty()
        && decoded
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/'))
        && inner
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
        && crate::routes::alias_may_use(inner.split('/').next().unwrap_or(""))
}

/// Expands the `:placeholders` of a permalink pattern (Hugo's
/// `[permalinks]`, Jekyll's `permalink`). A placeholder may run into the
/// next (`:title:output_ext`), so the longest known name wins; an unknown
/// one stays as written.
pub(crate) fn expand(pattern: &str, fields: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let word = &after[..len];
        match (1..=word.len())
            .rev()
            .find_map(|n| fields(&word[..n]).map(|v| (n, v)))
        {
            Some((n, v)) => {
                out.push_str(&v);
                rest = &after[n..];
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The output file of the redirect page at the old URL `path`, as attache
/// places it: a path without `.html` is a folder.
fn alias_file(path: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let inner = decoded.trim_start_matches('/');
    if inner.ends_with('/') || inner.ends_with(".html") {
        crate::routes::html_file(inner)
    } else {
        crate::routes::html_file(&format!("{inner}/"))
    }
}

/// A profile about to be written.
#[derive(Default)]
struct Profile {
    /// Spellings of the term in articles, in order of first use.
    spellings: Vec<String>,
    page: Option<usize>,
    /// Old URLs of the term's page on the source site.
    old_urls: Vec<String>,
}

/// The display name of a term page: `title`, `display_name`, `full_name`,
/// `name` or first and last name, whichever exists (one that merely repeats
/// the term's key is taken last); and the other names it gives.
fn page_names(front: &Value, key: &str) -> Vec<String> {
    let mut names: Vec<String> = ["title", "display_name", "full_name", "name"]
        .iter()
        .filter_map(|k| front.str_of(k))
        .collect();
    let first_last = [front.str_of("first_name"), front.str_of("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !first_last.is_empty() {
        names.push(first_last);
    }
    let names: Vec<String> = names
        .iter()
        .map(|n| plain(n))
        .filter(|n| !n.is_empty())
        .collect();
    let (keyish, mut rest): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| n == key);
    rest.extend(keyish);
    rest
}

/// Makes the attache files of `source`: `attache.yaml`, a briefing per
/// accepted article, a profile per term, and the files links name, copied
/// to `static/`.
fn convert(
    mut source: Source,
    generator: Generator,
    report: &mut Report,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    // The oldest article keeps a slug that a later one repeats.
    source
        .articles
        .sort_by(|a, b| (a.date.map(|d| d.date), &a.file).cmp(&(b.date.map(|d| d.date), &b.file)));
    let accepted = accept(&source.articles, report);
    let index = Index::new(&source, accepted);
    let profiles = profiles(&source, &index, report);
    let mut claimed = claimed_pages(&source, &index);
    let mut files = vec![("attache.yaml".to_string(), site_config(&source))];
    for (n, a) in index.accepted.iter().enumerate() {
        let article = &source.articles[a.index];
        let body = briefing_body(&index, n, article, generator, report);
        let aliases = briefing_aliases(article, &mut claimed, report);
        report.redirects += aliases.len();
        if article.draft {
            report.draft(&article.file);
        }
        report.briefings += 1;
        files.push((
            format!("content/briefings/{}/{}.md", a.year, a.slug),
            briefing(article, &aliases, &body),
        ));
    }
    for ((kind, slug), profile) in &profiles {
        let page = profile.page.map(|p| &source.terms[p]);
        let folder = match kind {
            Kind::Actor => {
                report.actors += 1;
                "actors"
            }
            Kind::Topic => {
                report.topics += 1;
                "topics"
            }
        };
        let file = page.map_or_else(|| format!("{folder}/{slug}"), |p| p.file.clone());
        let redirect_from = claim_old_urls(&file, &profile.old_urls, &mut claimed, report);
        report.redirects += redirect_from.len();
        let text = profile_file(
            (*kind, slug),
            profile,
            page,
            &redirect_from,
            (&index, generator),
            report,
        );
        files.push((format!("content/{folder}/{slug}.md"), text));
    }
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    files.extend(copied_files(&index, report)?);
    Ok(files)
}

/// The articles that become briefings, in order: those with a title, a
/// date and a slug not already taken in their year; the others are
/// reported as skipped.
fn accept(articles: &[Article], report: &mut Report) -> Vec<Accepted> {
    let mut accepted: Vec<Accepted> = Vec::new();
    let mut taken: HashMap<(i16, String), String> = HashMap::new();
    for (i, article) in articles.iter().enumerate() {
        let Some(title) = article
            .title
            .as_deref()
            .map(plain)
            .filter(|t| !t.is_empty())
        else {
            report.skip(&article.file, "no title");
            continue;
        };
        let Some(date) = article.date else {
            report.skip(
                &article.file,
                "no date it could read (front matter or file name)",
            );
            continue;
        };
        let mut slug = slugify(&article.slug);
        if slug.is_empty() {
            slug = slugify(&title);
        }
        if slug.is_empty() {
            report.skip(
                &article.file,
                "no slug: its file name and title have no letters or digits",
            );
            continue;
        }
        let year = date.date.year();
        if let Some(first) = taken.get(&(year, slug.clone())) {
            report.skip(
                &article.file,
                &format!("duplicate slug '{slug}' in {year}: {first} has it"),
            );
            continue;
        }
        taken.insert((year, slug.clone()), article.file.clone());
        accepted.push(Accepted {
            index: i,
            year,
            slug,
        });
    }
    accepted
}

impl Index {
    /// The index of the `accepted` articles of `source`: their keys, file
    /// stems and old URLs, and their page bundles as static folders.
    fn new(source: &Source, accepted: Vec<Accepted>) -> Index {
        let mut index = Index {
            accepted: Vec::new(),
            by_key: HashMap::new(),
            by_stem: HashMap::new(),
            by_old_url: HashMap::new(),
            base: source.base_url.clone(),
            static_roots: source.static_roots.clone(),
            src_real: source.src_real.clone(),
            copies: Default::default(),
        };
        for (n, a) in accepted.iter().enumerate() {
            let article = &source.articles[a.index];
            for key in &article.keys {
                index.by_key.entry(key.to_lowercase()).or_insert(n);
                let stem = key.rsplit('/').next().unwrap_or(key);
                let stem = stem
                    .rsplit_once('.')
                    .map_or(stem, |(s, _)| s)
                    .to_lowercase();
                index
                    .by_stem
                    .entry(stem)
                    .and_modify(|e| {
                        if *e != Some(n) {
                            *e = None
                        }
                    })
                    .or_insert(Some(n));
            }
            for url in &article.old_urls {
                index.by_old_url.entry(url_key(url)).or_insert(n);
            }
            if let (Some(dir), Some(url)) = (&article.bundle, article.old_urls.first()) {
                let prefix = format!("{}/", url.trim_matches('/'));
                index.static_roots.push((prefix, dir.clone(), false));
            }
        }
        index.accepted = accepted;
        index
    }
}

/// The profiles to write: every term an imported article names, and every
/// term page, by kind and slug.
fn profiles(
    source: &Source,
    index: &Index,
    report: &mut Report,
) -> BTreeMap<(Kind, String), Profile> {
    let mut profiles: BTreeMap<(Kind, String), Profile> = BTreeMap::new();
    for (p, page) in source.terms.iter().enumerate() {
        let slug = slugify(&page.key);
        if slug.is_empty() {
            report.skip(&page.file, "no slug: its name has no letters or digits");
            continue;
        }
        profiles.entry((page.kind, slug)).or_default().page = Some(p);
    }
    for a in &index.accepted {
        for (kind, term) in &source.articles[a.index].terms {
            let slug = slugify(term);
            if slug.is_empty() {
                continue;
            }
            let profile = profiles.entry((*kind, slug)).or_default();
            if !profile.spellings.contains(term) {
                profile.spellings.push(term.clone());
            }
        }
    }
    for (kind, term, url) in &source.term_urls {
        if let Some(profile) = profiles.get_mut(&(*kind, slugify(term)))
            && !profile.old_urls.contains(url)
        {
            profile.old_urls.push(url.clone());
        }
    }
    profiles
}

/// The output files the new pages take (the home page and each briefing),
/// with what takes them. A redirect page of an old URL may take none of
/// them, nor one another redirect took: a second claim on one would be an
/// `output-conflict`, so only the first stays.
fn claimed_pages(source: &Source, index: &Index) -> HashMap<String, String> {
    let mut claimed: HashMap<String, String> = HashMap::new();
    claimed.insert(
        crate::routes::html_file(crate::routes::HOME),
        "the home page".into(),
    );
    for a in &index.accepted {
        let page = crate::routes::briefing(a.year, &a.slug);
        claimed.insert(
            crate::routes::html_file(&page),
            format!("the new page of {}", source.articles[a.index].file),
        );
    }
    claimed
}

/// The new site's `attache.yaml`: title, description and base URL.
fn site_config(source: &Source) -> String {
    let mut config = String::new();
    yaml_field(
        &mut config,
        "title",
        &plain(source.title.as_deref().unwrap_or("Briefings")),
    );
    if let Some(d) = source
        .description
        .as_deref()
        .map(plain)
        .filter(|d| !d.is_empty())
    {
        yaml_field(&mut config, "description", &d);
    }
    if let Some(base) = &source.base_url {
        yaml_field(&mut config, "base_url", base.as_str());
    }
    config
}

/// The body of accepted article `n` in attache's Markdown: shortcodes or
/// Liquid tags converted (those left are reported), links rewritten.
fn briefing_body(
    index: &Index,
    n: usize,
    article: &Article,
    generator: Generator,
    report: &mut Report,
) -> String {
    let dir = article
        .keys
        .first()
        .and_then(|k| k.rsplit_once('/'))
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let links = ArticleLinks {
        index,
        from: n,
        dir,
    };
    let mut body = Body::new(&article.doc.body, article.doc.body_line);
    let converted = match generator {
        Generator::Hugo => body.hugo(&links),
        Generator::Jekyll => markup::strip_kramdown_attributes(&body.liquid(&links)),
    };
    for u in &body.unconverted {
        report.unconverted(&article.file, u.line, &u.text);
    }
    let old_url = article
        .old_urls
        .first()
        .cloned()
        .unwrap_or_else(|| "/".into());
    markup::rewrite_links(&converted, &|url| links.rewrite(url, &old_url))
}

/// The article's old URL paths that become its `aliases`: each once, and
/// only those attache can serve and no other page has `claimed` (the
/// others are reported). The ones taken are added to `claimed`.
fn briefing_aliases(
    article: &Article,
    claimed: &mut HashMap<String, String>,
    report: &mut Report,
) -> Vec<String> {
    claim_old_urls(&article.file, &article.old_urls, claimed, report)
}

/// The old URL paths of the page from `from` that become redirects to its
/// new page: each once, and only those attache can serve and no other page
/// has `claimed` (the others are reported). The ones taken are added to
/// `claimed`.
fn claim_old_urls(
    from: &str,
    old_urls: &[String],
    claimed: &mut HashMap<String, String>,
    report: &mut Report,
) -> Vec<String> {
    let mut aliases: Vec<String> = Vec::new();
    for url in old_urls {
        let path = match url::Url::parse(url) {
            Ok(u) => u.path().to_string(),
            Err(_) => url.clone(),
        };
        let same = |a: &str, b: &str| {
            a.trim_end_matches("index.html").trim_end_matches('/')
                == b.trim_end_matches("index.html").trim_end_matches('/')
        };
        if aliases.iter().any(|a| same(a, &path)) {
            continue;
        }
        if alias_ok(&path) {
            let file = alias_file(&path);
            if let Some(owner) = claimed.get(&file) {
                report.note(
                    from,
                    &format!(
                        "old URL {path} is already taken by {owner}; it does not redirect here"
                    ),
                );
                continue;
            }
            claimed.insert(file, from.to_string());
            aliases.push(path);
        } else {
            report.note(
                from,
                &format!("old URL {path} cannot be an attache alias (characters or a reserved section); add a redirect for it on the server"),
            );
        }
    }
    aliases
}

/// A briefing's file: its front matter (title, date, updated, summary,
/// actors, topics, `aliases`, draft) and its converted `body`.
fn briefing(article: &Article, aliases: &[String], body: &str) -> String {
    let mut front = String::from("---\n");
    yaml_field(
        &mut front,
        "title",
        &plain(article.title.as_deref().unwrap_or("")),
    );
    let date = article.date.expect("accepted articles have dates");
    front.push_str(&format!("date: {}\n", date.attache()));
    if let Some(updated) = article.updated.filter(|u| u.date > date.date) {
        front.push_str(&format!("updated: {}\n", updated.attache()));
    }
    if let Some(summary) = article
        .summary
        .as_deref()
        .map(plain)
        .filter(|s| !s.is_empty())
    {
        yaml_field(&mut front, "summary", &summary);
    }
    for (kind, key) in [(Kind::Actor, "actors"), (Kind::Topic, "topics")] {
        let mut slugs: Vec<String> = Vec::new();
        for (k, term) in &article.terms {
            let slug = slugify(term);
            if *k == kind && !slug.is_empty() && !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        yaml_list(&mut front, key, &slugs);
    }
    yaml_list(&mut front, "aliases", aliases);
    if article.draft {
        front.push_str("draft: true\n");
    }
    front.push_str("---\n");
    front.push_str(body.trim_start_matches('\n'));
    if !front.ends_with('\n') {
        front.push('\n');
    }
    front
}

/// A profile's name and the other names it is known by.
struct ProfileNames {
    name: String,
    /// Other names, each once, none the name's or the slug's spelling.
    aliases: Vec<String>,
}

/// The names of the profile `slug`: its term page's names first, then the
/// spellings articles use; the page's key or the slug when there is none.
fn profile_names(slug: &str, profile: &Profile, page: Option<&TermPage>) -> ProfileNames {
    let mut names = page
        .map(|p| page_names(&p.doc.front, &p.key))
        .unwrap_or_default();
    names.extend(profile.spellings.iter().cloned());
    if names.is_empty() {
        names.push(page.map_or(slug.to_string(), |p| p.key.clone()));
    }
    let name = names[0].clone();
    let mut seen = vec![name_key(&name), slug.to_string()];
    let mut aliases = Vec::new();
    for other in &names[1..] {
        let key = name_key(other);
        if !key.is_empty() && !seen.contains(&key) {
            seen.push(key);
            aliases.push(other.clone());
        }
    }
    ProfileNames { name, aliases }
}

/// An actor or topic profile's file: name, aliases, a topic's description,
/// and the term page's body converted.
fn profile_file(
    (kind, slug): (Kind, &str),
    profile: &Profile,
    page: Option<&TermPage>,
    redirect_from: &[String],
    (index, generator): (&Index, Generator),
    report: &mut Report,
) -> String {
    let names = profile_names(slug, profile, page);
    let mut out = String::from("---\n");
    yaml_field(&mut out, "name", &names.name);
    yaml_list(&mut out, "aliases", &names.aliases);
    yaml_list(&mut out, "redirect_from", redirect_from);
    if kind == Kind::Topic
        && let Some(d) = page.and_then(|p| p.doc.front.str_of("description"))
    {
        yaml_field(&mut out, "description", &plain(&d));
    }
    out.push_str("---\n");
    if let Some(page) = page {
        out.push_str(profile_body(index, page, generator, report).trim_start_matches('\n'));
    }
    out
}

/// A term page's body in attache's Markdown, its links going to the new
/// briefings or to the old site.
fn profile_body(
    index: &Index,
    page: &TermPage,
    generator: Generator,
    report: &mut Report,
) -> String {
    let links = ArticleLinks {
        index,
        from: usize::MAX,
        dir: String::new(),
    };
    let mut body = Body::new(&page.doc.body, page.doc.body_line);
    let text = match generator {
        Generator::Hugo => body.hugo(&NoArticle(&links)),
        Generator::Jekyll => markup::strip_kramdown_attributes(&body.liquid(&NoArticle(&links))),
    };
    for u in &body.unconverted {
        report.unconverted(&page.file, u.line, &u.text);
    }
    markup::rewrite_links(&text, &|url| profile_link(index, url))
}

/// The source files that links named, to write under `static/`; counted in
/// the report.
fn copied_files(index: &Index, report: &mut Report) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for (site_path, source_file) in index.copies.borrow().iter() {
        let bytes =
            std::fs::read(source_file).map_err(|e| format!("{}: {e}", source_file.display()))?;
        files.push((format!("static/{site_path}"), bytes));
    }
    report.copied = index.copies.borrow().len();
    Ok(files)
}

/// A root-relative link in a profile's body: to a briefing's new file when
/// it names an imported article's old URL, else to the old site.
fn profile_link(index: &Index, url: &str) -> Option<String> {
    if !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    let (path, fragment) = split_fragment(url);
    if let Some(&to) = index.by_old_url.get(&url_key(path)) {
        let a = &index.accepted[to];
        return Some(format!("../briefings/{}/{}.md{fragment}", a.year, a.slug));
    }
    index.base.as_ref().map(|_| index.absolute(url))
}

/// The links of a profile's body: links to briefings go to their new pages
/// (`/briefings/YYYY/SLUG/`), as a profile is not beside them.
struct NoArticle<'a>(&'a ArticleLinks<'a>);

impl Links for NoArticle<'_> {
    fn hugo_ref(&self, target: &str) -> String {
        let index = self.0.index;
        let (path, fragment) = split_fragment(target);
        match index.find(path) {
            Some(to) => {
                let a = &index.accepted[to];
                format!("../briefings/{}/{}.md{fragment}", a.year, a.slug)
            }
            None => format!(
                "{}/{fragment}",
                index
                    .absolute(path.trim_end_matches(".md"))
                    .trim_end_matches('/')
            ),
        }
    }
    fn post_url(&self, name: &str) -> Option<String> {
        let stem = name.rsplit('/').next().unwrap_or(name).to_lowercase();
        let to = self.0.index.by_stem.get(&stem).copied().flatten()?;
        let a = &self.0.index.accepted[to];
        Some(format!("../briefings/{}/{}.md", a.year, a.slug))
    }
    fn jekyll_link(&self, path: &str) -> String {
        match self.0.index.find(path) {
            Some(to) => {
                let a = &self.0.index.accepted[to];
                format!("../briefings/{}/{}.md", a.year, a.slug)
            }
            None => self.0.jekyll_link(path),
        }
    }
    fn site_url(&self) -> String {
        self.0.site_url()
    }
}

/// Reads a text file of the source; `None` (with the reason in the
/// report) when it is not UTF-8 or its front matter does not parse.
pub(crate) fn read_doc(src: &Path, path: &Path, report: &mut Report) -> Option<(String, Doc)> {
    let file =
        crate::paths::slash_relative(src, path).unwrap_or_else(|| path.display().to_string());
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                report.skip(&file, "not UTF-8 text");
                return None;
            }
        },
        Err(e) => {
            report.skip(&file, &format!("cannot be read: {e}"));
            return None;
        }
    };
    match value::split(&text) {
        Ok(doc) => Some((file, doc)),
        Err(e) => {
            report.skip(&file, &format!("front matter does not parse: {e}"));
            None
        }
    }
}

/// The files under `dir` (not following symlinks), sorted by path.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Whether `path` is a Markdown (or HTML) content file.
pub(crate) fn is_content(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mdown" | "html")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_fields_lose_markup_and_keep_their_text() {
        assert_eq!(
            plain(
                "Budget &amp; <em>results</em>:\n  the city&#39;s {{ site.title }} release{% if x %}"
            ),
            "Budget & results: the city's release"
        );
        assert_eq!(plain("a {{ unclosed"), "a {{ unclosed");
    }

    #[test]
    fn aliases_are_plain_site_paths_outside_generated_sections() {
        assert!(alias_ok("/2017/03/café-olé/"));
        assert!(alias_ok("/old/first-post.html"));
        assert!(alias_ok("/briefings/2017/x/"));
        assert!(!alias_ok("/actors/x/"));
        assert!(!alias_ok("/a b/"));
        assert!(!alias_ok("/a/../b/"));
        assert!(!alias_ok("/"));
        assert_eq!(alias_file("/old/x"), "old/x/index.html");
        assert_eq!(alias_file("/old/x.html"), "old/x.html");
    }
}
