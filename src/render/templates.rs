//! The template boundary: the only module that knows Tera.
//!
//! Templates are looked up by file name in three layers: the site's own
//! `templates/`, then the theme's `templates/`, then the defaults compiled
//! into the binary from this repository's `templates/`. Errors come back as
//! diagnostics naming the template file and line.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Origin};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A value made once for templates and shared by every page that shows it
/// (the site, each briefing's card).
#[derive(Debug, Clone)]
pub struct Value(tera::Value);

impl Value {
    pub fn of<T: Serialize + ?Sized>(item: &T) -> Value {
        Value(tera::Value::from_serializable(item))
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// What one page's template sees, by name.
#[derive(Default)]
pub struct Context(tera::Context);

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, item: &T) {
        self.0.insert(key, item);
    }

    /// Inserts a value made before, without serializing it again.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        self.0.insert_value(key, value.0);
    }
}

/// The default templates, compiled in. Keep in step with `templates/`
/// (a test checks that every file there is listed).
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("head.html", include_str!("../../templates/head.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("actors.html", include_str!("../../templates/actors.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    (
        "archive_year.html",
        include_str!("../../templates/archive_year.html"),
    ),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "timeline_year.html",
        include_str!("../../templates/timeline_year.html"),
    ),
    ("sources.html", include_str!("../../templates/sources.html")),
    (
        "publisher.html",
        include_str!("../../templates/publisher.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// A loaded template set, ready to render.
pub struct Templates {
    tera: tera::Tera,
    /// Where each template came from (for messages): a file, or built in.
    origins: BTreeMap<String, Option<PathBuf>>,
}

impl Templates {
    /// Loads the built-in templates, then those of `theme_dir` and
    /// `site_dir` (each optional), later layers replacing earlier ones by name.
    pub fn load(
        root: &Path,
        theme_dir: Option<&Path>,
        site_dir: &Path,
    ) -> (Option<Templates>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let mut sources: BTreeMap<String, (String, Option<PathBuf>)> = BUILTIN
            .iter()
            .map(|(name, text)| (name.to_string(), (text.to_string(), None)))
            .collect();
        for dir in theme_dir.into_iter().chain(std::iter::once(site_dir)) {
            read_dir_templates(root, dir, &mut sources, &mut diagnostics);
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let origins: BTreeMap<String, Option<PathBuf>> = sources
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let result = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        );
        let templates = Templates { tera, origins };
        match result {
            Ok(()) => (Some(templates), diagnostics),
            Err(err) => {
                diagnostics.push(templates.diagnostic(&err, None));
                (None, diagnostics)
            }
        }
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, &context.0)
            .map_err(|err| self.diagnostic(&err, Some(name)))
    }

    /// A Tera error as a diagnostic on the template file and line.
    fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let (file, line, column, message) = match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => (
                report.filename().to_string(),
                report.span().start_line,
                report.span().start_col + 1,
                report.message().to_string(),
            ),
            _ => (
                rendering.unwrap_or("templates").to_string(),
                0,
                0,
                full_message(err),
            ),
        };
        let origin = match self.origins.get(&file) {
            Some(Some(path)) => Origin::File(path.clone()),
            Some(None) => Origin::BuiltIn(PathBuf::from(format!("templates/{file}"))),
            None => Origin::File(PathBuf::from(format!("templates/{file}"))),
        };
        let mut d = Diagnostic::from(Code::Template, origin, format!("template: {message}"))
            .at(line, column);
        if let Some(page) = rendering {
            d = d.with_hint(format!("while rendering with {page}"));
        }
        d
    }
}

fn full_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Reads every `.html`/`.xml`/`.txt` file under `dir`, named by its path
/// relative to `dir` with `/` separators.
fn read_dir_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, (String, Option<PathBuf>)>,
    diagnostics: &mut Diagnostics,
) {
    for found in crate::input::walk(root, dir, |_| true, diagnostics) {
        let path = found.path.as_path();
        let is_template = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "html" | "xml" | "txt"));
        if !is_template {
            continue;
        }
        let Some(name) = crate::paths::slash_relative(dir, path) else {
            continue;
        };
        let shown = crate::paths::relative(root, path);
        let text = crate::input::read_in(
            root,
            path,
            crate::input::Scope::Inputs,
            Some(crate::input::MAX_TEXT_BYTES),
        )
        .map_err(|e| e.diagnostic(&shown))
        .and_then(|bytes| crate::input::utf8(bytes, &shown));
        match text {
            Ok(text) => {
                sources.insert(name, (text, Some(shown)));
            }
            Err(d) => diagnostics.push(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_is_compiled_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(templates.join("page.html"), "line one\n{% if %}\n").unwrap();
        let (loaded, d) = Templates::load(dir.path(), None, &templates);
        assert!(loaded.is_none());
        let d = d.sorted();
        assert_eq!(d[0].origin.file(), Some(Path::new("templates/page.html")));
        assert_eq!(d[0].line, 2);
    }
}
