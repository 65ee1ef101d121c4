//! Site configuration: `attache.yaml`, every key optional.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::load::fields::Fields;
use crate::load::yaml::{self, Entry, Pos, Value};
use std::path::Path;

pub const CONFIG_FILE: &str = "attache.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Autolink {
    #[default]
    First,
    All,
    None,
}

/// The absolute URL a site is served from, always ending in `/`, and its path
/// (`/` or `/briefings-preview/`), which prefixes every internal link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    absolute: String,
    path: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|e| format!("'{text}' is not an absolute URL ({e})"))?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https" | "file") {
            return Err(format!(
                "'{text}' must be an http(s) URL such as https://example.org/"
            ));
        }
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let origin = url.origin().ascii_serialization();
        let absolute = if url.scheme() == "file" {
            format!("file://{path}")
        } else {
            format!("{origin}{path}")
        };
        Ok(BaseUrl { absolute, path })
    }

    /// `https://example.org/preview/`
    pub fn absolute(&self) -> &str {
        &self.absolute
    }

    /// `/preview/`
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The site-relative `path` (no leading slash) as a root-relative URL.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.path, path.trim_start_matches('/'))
    }

    /// The site-relative `path` as an absolute URL.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.absolute, path.trim_start_matches('/'))
    }
}

/// `git: true`, or `git: {history: 10, provenance: true}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitConfig {
    /// Read dates and revision history from git.
    pub enabled: bool,
    /// How many revisions a briefing page lists.
    pub history: usize,
    /// Show the commit the site was built from in the footer.
    pub provenance: bool,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            enabled: false,
            history: 10,
            provenance: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: BaseUrl,
    pub theme: String,
    /// The line and column of the `theme` value, or (0, 0) for the default.
    pub theme_at: (usize, usize),
    pub paginate: usize,
    pub strict: bool,
    pub autolink: Autolink,
    pub git: GitConfig,
    pub feed_limit: usize,
    /// What becomes of raw HTML in Markdown bodies (`markdown.raw_html`).
    pub raw_html: crate::markdown::RawHtml,
    pub extra: serde_json::Value,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefings".to_string(),
            description: String::new(),
            language: "en".to_string(),
            base_url: BaseUrl::parse("http://localhost/").expect("the default base URL is valid"),
            theme: "default".to_string(),
            theme_at: (0, 0),
            paginate: 20,
            strict: false,
            autolink: Autolink::First,
            git: GitConfig::default(),
            feed_limit: 50,
            raw_html: crate::markdown::RawHtml::Sanitize,
            extra: serde_json::Value::Object(serde_json::Map::new()),
        }
    }
}

const CONFIG_FIELDS: &[&str] = &[
    "title",
    "description",
    "language",
    "base_url",
    "theme",
    "paginate",
    "strict",
    "actors",
    "markdown",
    "git",
    "feeds",
    "extra",
];

/// Reads `attache.yaml` under `root`; a missing file gives the defaults.
/// Problems are reported and the default used for that key.
pub fn load_config(root: &Path) -> (Config, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let rel = Path::new(CONFIG_FILE);
    let Some(text) = read_text(root, &mut diagnostics) else {
        return (Config::default(), diagnostics);
    };
    let node = match yaml::parse_counted(&text, 1) {
        Ok(parsed) => {
            crate::load::chars::report_escaped(&text, 1, parsed.dropped, rel, &mut diagnostics);
            parsed.node
        }
        Err(err) => {
            diagnostics.push(
                Diagnostic::new(Code::Yaml, rel, format!("YAML syntax: {}", err.message))
                    .at(err.line, err.column),
            );
            return (Config::default(), diagnostics);
        }
    };
    let mut fields = Fields::new(rel, 1, node);
    let mut config = Config::default();
    read_site(&mut fields, &mut config);
    read_git(&mut fields, &mut config);
    read_sections(&mut fields, &mut config);
    let (_, config_diagnostics) = fields.finish(CONFIG_FIELDS);
    diagnostics.extend(config_diagnostics);
    (config, diagnostics)
}

/// The text of `attache.yaml` without the characters XML forbids; `None`
/// when the site has none, or it cannot be read (reported).
fn read_text(root: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    let path = root.join(CONFIG_FILE);
    let rel = Path::new(CONFIG_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return None;
    }
    // A regular file inside the site, of text size: never a FIFO, a device
    // or a link out of the site.
    let text = crate::input::read_in(
        root,
        &path,
        crate::input::Scope::Root,
        Some(crate::input::MAX_TEXT_BYTES),
    )
    .map_err(|err| {
        let d = err.diagnostic(rel);
        match err {
            crate::input::ReadError::Io(_) | crate::input::ReadError::Symlink => d,
            // Without its settings the site cannot be built: an error.
            _ => d.with_severity(Severity::Error).with_hint(
                "attache.yaml must be a plain text file of site settings inside the site folder (at most 16 MiB)",
            ),
        }
    })
    .and_then(|bytes| crate::input::utf8(bytes, rel));
    let text = match text {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    Some(crate::load::chars::drop_forbidden(&text, rel, diagnostics).into_owned())
}

/// The settings at the top level: title, description, language,
/// `base_url`, theme, paginate, strict.
fn read_site(fields: &mut Fields, config: &mut Config) {
    if let Some(title) = fields.string("title") {
        config.title = title;
    }
    if let Some(description) = fields.string("description") {
        config.description = description;
    }
    if let Some(language) = fields.string("language") {
        config.language = language;
    }
    if let Some((base_url, at)) = fields.string_at("base_url") {
        match BaseUrl::parse(&base_url) {
            Ok(url) => config.base_url = url,
            // Without a usable base URL no link can be written: an error,
            // where a bad URL in a page is a warning.
            Err(message) => fields.error_as(
                Code::BadUrl,
                Severity::Error,
                at,
                format!("`base_url`: {message}"),
                "write the full URL the site is served from, e.g. https://example.org/",
            ),
        }
    }
    if let Some((theme, at)) = fields.string_at("theme") {
        config.theme = theme;
        config.theme_at = (at.line, at.column);
    }
    if let Some(n) = positive(fields, "paginate") {
        config.paginate = n;
    }
    config.strict = fields.bool("strict");
}

/// `git: true`, or `git: {enabled, history, provenance}`.
fn read_git(fields: &mut Fields, config: &mut Config) {
    match fields.take_node("git") {
        None => {}
        Some(node) => match node.value {
            Value::Null => {}
            Value::Bool(enabled) => config.git.enabled = enabled,
            Value::Map(entries) => {
                config.git.enabled = true;
                for entry in entries {
                    match (entry.key.as_str(), &entry.value.value) {
                        ("enabled", Value::Bool(b)) => config.git.enabled = *b,
                        ("history", Value::Int(n)) if *n >= 0 => {
                            config.git.history = *n as usize;
                        }
                        ("provenance", Value::Bool(b)) => config.git.provenance = *b,
                        _ => fields.error_at(
                            Code::BadConfig,
                            setting_at(&entry, &["enabled", "history", "provenance"]),
                            format!(
                                "`git.{}` is not a setting attache knows, or has the wrong type",
                                entry.key
                            ),
                            "write `git: true`, or `git: {history: 10, provenance: true}`",
                        ),
                    }
                }
            }
            other => fields.error_at(
                Code::BadConfig,
                node.at,
                format!(
                    "`git` should be true, false or a mapping, found {}",
                    other.kind_name()
                ),
                "write `git: true`",
            ),
        },
    }
}

/// The sections `actors`, `feeds`, `markdown` and `extra`.
fn read_sections(fields: &mut Fields, config: &mut Config) {
    for entry in fields.map("actors") {
        match (entry.key.as_str(), entry.value.as_str()) {
            ("autolink", Some("first")) => config.autolink = Autolink::First,
            ("autolink", Some("all")) => config.autolink = Autolink::All,
            ("autolink", Some("none")) => config.autolink = Autolink::None,
            _ => fields.error_at(
                Code::BadConfig,
                setting_at(&entry, &["autolink"]),
                format!("`actors.{}` is not a setting attache knows", entry.key),
                "the only setting is `actors: {autolink: first}` (first, all or none)",
            ),
        }
    }
    for entry in fields.map("feeds") {
        match (entry.key.as_str(), &entry.value.value) {
            ("limit", Value::Int(n)) if *n > 0 => config.feed_limit = *n as usize,
            _ => fields.error_at(
                Code::BadConfig,
                setting_at(&entry, &["limit"]),
                format!(
                    "`feeds.{}` is not a setting attache knows, or not a positive number",
                    entry.key
                ),
                "the only setting is `feeds: {limit: 50}`",
            ),
        }
    }
    for entry in fields.map("markdown") {
        use crate::markdown::RawHtml;
        match (entry.key.as_str(), entry.value.as_str()) {
            ("raw_html", Some("sanitize")) => config.raw_html = RawHtml::Sanitize,
            ("raw_html", Some("allow")) => config.raw_html = RawHtml::Allow,
            ("raw_html", Some("escape")) => config.raw_html = RawHtml::Escape,
            _ => fields.error_at(
                Code::BadConfig,
                setting_at(&entry, &["raw_html"]),
                format!(
                    "`markdown.{}` is not a setting attache knows, or has a value it does not",
                    entry.key
                ),
                "the only setting is `markdown: {raw_html: sanitize}` (sanitize, allow or escape)",
            ),
        }
    }
    let extra = fields.map("extra");
    if !extra.is_empty() {
        config.extra = Value::Map(extra).to_json();
    }
}

/// Where a problem with a nested setting is: its value when the setting is
/// one of `known` (the value is wrong), else its key (the key is wrong).
fn setting_at(entry: &Entry, known: &[&str]) -> Pos {
    if known.contains(&entry.key.as_str()) && !entry.value.is_null() {
        entry.value.at
    } else {
        entry.key_at
    }
}

fn positive(fields: &mut Fields, key: &str) -> Option<usize> {
    let (text, at) = fields.string_at(key)?;
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            fields.error_at(
                Code::BadConfig,
                at,
                format!("`{key}` should be a positive whole number, found '{text}'"),
                "",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path() {
        let b = BaseUrl::parse("https://example.org/briefings-preview").unwrap();
        assert_eq!(b.absolute(), "https://example.org/briefings-preview/");
        assert_eq!(b.path(), "/briefings-preview/");
        assert_eq!(b.link("actors/x/"), "/briefings-preview/actors/x/");
        assert_eq!(
            b.permalink("/feed.xml"),
            "https://example.org/briefings-preview/feed.xml"
        );
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("mailto:x@example.org").is_err());
    }
}
