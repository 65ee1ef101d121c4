//! Themes: a folder under `themes/` with `static/` files and optional
//! `templates/`. The default theme is also compiled into the binary, so a
//! site with no `themes/` folder still gets a styled site.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// The default theme's static files, compiled in from `themes/default/static/`
/// (a test checks that every file there is listed).
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    SCRIPTS[0],
    SCRIPTS[1],
    (
        "fonts/noto-serif-regular.woff2",
        include_bytes!("../../themes/default/static/fonts/noto-serif-regular.woff2"),
    ),
    (
        "fonts/noto-serif-italic.woff2",
        include_bytes!("../../themes/default/static/fonts/noto-serif-italic.woff2"),
    ),
    (
        "fonts/noto-serif-bold.woff2",
        include_bytes!("../../themes/default/static/fonts/noto-serif-bold.woff2"),
    ),
    (
        "fonts/inter.woff2",
        include_bytes!("../../themes/default/static/fonts/inter.woff2"),
    ),
    (
        "fonts/OFL.txt",
        include_bytes!("../../themes/default/static/fonts/OFL.txt"),
    ),
];

/// attache's scripts, written for every theme unless the theme or the site
/// has its own file of the same name: the search page's, and the filter of
/// the lists on actor, topic and publisher pages.
pub const SCRIPTS: [(&str, &[u8]); 2] = [
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "filter.js",
        include_bytes!("../../themes/default/static/filter.js"),
    ),
];

#[derive(Debug, Clone)]
pub enum Theme {
    /// A theme folder on disk.
    Folder(PathBuf),
    /// The default theme compiled into attache.
    Builtin,
}

impl Theme {
    /// Finds the theme `name` under `root/themes/`; `default` falls back to
    /// the built-in copy. `at` is where `attache.yaml` names it.
    pub fn find(root: &Path, name: &str, at: (usize, usize)) -> (Theme, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let safe = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let dir = root.join("themes").join(name);
        if safe && dir.is_dir() {
            return (Theme::Folder(dir), diagnostics);
        }
        if name != "default" {
            diagnostics.push(
                Diagnostic::new(Code::UnknownTheme,
                    Path::new(crate::config::CONFIG_FILE),
                    format!("theme '{name}' not found in themes/"),
                )
                .at(at.0, at.1)
                .with_hint("set `theme:` to a folder name under themes/, or remove it for the default theme"),
            );
        }
        (Theme::Builtin, diagnostics)
    }

    pub fn templates_dir(&self) -> Option<PathBuf> {
        match self {
            Theme::Folder(dir) => Some(dir.join("templates")),
            Theme::Builtin => None,
        }
    }

    pub fn static_dir(&self) -> Option<PathBuf> {
        match self {
            Theme::Folder(dir) => Some(dir.join("static")),
            Theme::Builtin => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_default_static_file_is_compiled_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(&dir).unwrap();
                path.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = super::BUILTIN_STATIC
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
    }
}
