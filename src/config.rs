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
    /// Curly quotes, dashes and ellipses in bodies, titles and summaries
    /// (`markdown.smart_punctuation`, on unless set to false).
    pub smart_punctuation: bool,
    /// How figures are processed and checked (`figures`).
    pub figures: Figures,
    /// Where processed images are kept between builds (`cache`), relative
    /// to the site root unless absolute.
    pub cache: std::path::PathBuf,
    pub extra: serde_json::Value,
}

/// The `figures` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// Widths and formats each raster image is published in, and quality.
    pub settings: crate::media::Settings,
    /// A figure without a credit is an error (`missing-credit`).
    pub require_credit: bool,
    /// Originals larger than this get a `large-image` warning.
    pub max_bytes: u64,
}

impl Default for Figures {
    fn default() -> Self {
        Figures {
            settings: crate::media::Settings {
                widths: vec![480, 960, 1600],
                formats: vec![crate::media::Format::Webp],
                quality: 80,
            },
            require_credit: false,
            max_bytes: 20_000_000,
        }
    }
}

/// The cache folder when `cache` is not set.
pub const DEFAULT_CACHE: &str = ".attache-cache";

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
            smart_punctuation: true,
            figures: Figures::default(),
            cache: std::path::PathBuf::from(DEFAULT_CACHE),
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
    "figures",
    "cache",
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
    read_figures(&mut fields, &mut config);
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
            ("smart_punctuation", None) if matches!(entry.value.value, Value::Bool(_)) => {
                config.smart_punctuation = entry.value.value == Value::Bool(true);
            }
            _ => fields.error_at(
                Code::BadConfig,
                setting_at(&entry, &["raw_html", "smart_punctuation"]),
                format!(
                    "`markdown.{}` is not a setting attache knows, or has a value it does not",
                    entry.key
                ),
                "the settings are `markdown: {raw_html: sanitize, smart_punctuation: true}` (raw_html: sanitize, allow or escape; smart_punctuation: true or false)",
            ),
        }
    }
    let extra = fields.map("extra");
    if !extra.is_empty() {
        config.extra = Value::Map(extra).to_json();
    }
}

/// `figures: {widths, formats, quality, require_credit, max_bytes}` and
/// `cache`.
fn read_figures(fields: &mut Fields, config: &mut Config) {
    const KNOWN: &[&str] = &[
        "widths",
        "formats",
        "quality",
        "require_credit",
        "max_bytes",
    ];
    const HINT: &str = "write e.g. `figures: {widths: [480, 960, 1600], formats: [webp], quality: 80, require_credit: false, max_bytes: 20000000}`";
    if let Some((cache, at)) = fields.string_at("cache") {
        if cache.trim().is_empty() {
            fields.error_at(
                Code::BadConfig,
                at,
                "`cache` is empty".to_string(),
                "name a folder for processed images, e.g. `cache: .attache-cache`",
            );
        } else {
            config.cache = std::path::PathBuf::from(cache);
        }
    }
    let figures = &mut config.figures;
    for entry in fields.map("figures") {
        let value = &entry.value.value;
        let ok = match (entry.key.as_str(), value) {
            ("widths", Value::List(items)) => {
                let widths: Option<Vec<u32>> = items
                    .iter()
                    .map(|n| match n.value {
                        Value::Int(w) if (16..=8192).contains(&w) => Some(w as u32),
                        _ => None,
                    })
                    .collect();
                match widths {
                    Some(mut widths) if !widths.is_empty() => {
                        widths.sort_unstable();
                        widths.dedup();
                        figures.settings.widths = widths;
                        true
                    }
                    _ => false,
                }
            }
            ("formats", Value::List(items)) => {
                let formats: Option<Vec<crate::media::Format>> = items
                    .iter()
                    .map(|n| match n.as_str() {
                        Some("webp") => Some(crate::media::Format::Webp),
                        _ => None,
                    })
                    .collect();
                match formats {
                    Some(mut formats) => {
                        formats.sort();
                        formats.dedup();
                        figures.settings.formats = formats;
                        true
                    }
                    None => false,
                }
            }
            ("quality", Value::Int(q)) if (1..=100).contains(q) => {
                figures.settings.quality = *q as u8;
                true
            }
            ("require_credit", Value::Bool(b)) => {
                figures.require_credit = *b;
                true
            }
            ("max_bytes", Value::Int(n)) if *n > 0 => {
                figures.max_bytes = *n as u64;
                true
            }
            _ => false,
        };
        if !ok {
            fields.error_at(
                Code::BadConfig,
                setting_at(&entry, KNOWN),
                format!(
                    "`figures.{}` is not a setting attache knows, or has a value it cannot use",
                    entry.key
                ),
                match entry.key.as_str() {
                    "widths" => "widths are whole numbers of pixels from 16 to 8192, e.g. `widths: [480, 960, 1600]`",
                    "formats" => "the modern formats besides the original's: `formats: [webp]`, or `[]` for none",
                    "quality" => "quality is a whole number from 1 to 100, e.g. `quality: 80`",
                    _ => HINT,
                },
            );
        }
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
