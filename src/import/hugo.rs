//! Reads a Hugo site: its config (`hugo.toml`, `config.yaml`, ...), the
//! articles of one section of `content/`, their permalinks (the
//! `[permalinks]` patterns, `url`, Hugo's defaults) and `aliases`, and the
//! term pages of the taxonomies (`content/authors/<term>/_index.md`).

use super::dates::SourceDate;
use super::value::{self, Value};
use super::{
    Article, Kind, Options, Report, Source, TermPage, expand, files_under, is_content, read_doc,
};
use std::path::{Path, PathBuf};

const CONFIG_FILES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.toml",
    "config/_default/config.yaml",
];

/// The site's config: the first of [`CONFIG_FILES`] that exists (`Null`
/// when none does).
fn config(src: &Path) -> Result<Value, String> {
    for name in CONFIG_FILES {
        let path = src.join(name);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let parsed = if name.ends_with(".toml") {
                value::from_toml(&text)
            } else {
                value::from_yaml(&text)
            };
            return parsed.map_err(|e| format!("{name}: {e}"));
        }
    }
    Ok(Value::Null)
}

/// Hugo's path sanitizing: spaces become hyphens, characters other than
/// letters, digits and `. / \ _ - # + ~ %` are dropped; lower case unless
/// `disablePathToLower`.
pub fn sanitize_path(path: &str, lower: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_alphanumeric() || "./\\_-#+~%".contains(c) {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if lower { out.to_lowercase() } else { out }
}

fn terms_of(front: &Value, taxonomy: &str) -> Vec<String> {
    let Some(v) = front.get(taxonomy) else {
        return Vec::new();
    };
    let values = v.names();
    // A free-text `author: "A, B and C"` names several people.
    let split = matches!(v, Value::Str(_)) && taxonomy.eq_ignore_ascii_case("author");
    values
        .iter()
        .flat_map(|s| {
            if split {
                s.split(',')
                    .flat_map(|p| p.split(" and "))
                    .map(person)
                    .collect::<Vec<_>>()
            } else {
                vec![super::plain(s)]
            }
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// A name in a free-text byline: `[Jing Zhang](https://...) (Nokia)` is
/// Jing Zhang (the affiliation in brackets is left out).
fn person(text: &str) -> String {
    let mut name = super::plain(text);
    if let (Some(open), Some(close)) = (name.find('['), name.find("]("))
        && open < close
    {
        let end = name[close..]
            .find(')')
            .map_or(name.len(), |i| close + i + 1);
        name = format!(
            "{}{}{}",
            &name[..open],
            &name[open + 1..close],
            &name[end..]
        );
    }
    if let Some(i) = name.find(" (")
        && name.trim_end().ends_with(')')
    {
        name.truncate(i);
    }
    name.trim().to_string()
}

/// Where the articles are: the content folder and the section in it.
struct Section {
    /// The content folder.
    content: PathBuf,
    /// The section's name (`posts`).
    name: String,
    /// The section's folder.
    dir: PathBuf,
}

/// The content folder (`contentDir`) and the section of the articles:
/// `--section`, or the largest of [`super::SECTIONS`].
fn section(src: &Path, config: &Value, options: &Options) -> Result<Section, String> {
    let content_dir = config
        .str_of("contentDir")
        .unwrap_or_else(|| "content".into());
    let content = src.join(&content_dir);
    if !content.is_dir() {
        return Err(format!(
            "{} has no {content_dir}/ folder: is it a Hugo site?",
            src.display()
        ));
    }
    let name = match &options.section {
        Some(s) => s.trim_matches('/').to_string(),
        None => super::SECTIONS
            .iter()
            .map(|s| (files_under(&content.join(s)).iter().filter(|p| is_content(p)).count(), *s))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, _)| *n)
            .map(|(_, s)| s.to_string())
            .ok_or_else(|| {
                format!(
                    "found none of the sections {} in {content_dir}/: name the one holding the articles with --section",
                    super::SECTIONS.join(", ")
                )
            })?,
    };
    let dir = content.join(&name);
    if !dir.is_dir() {
        return Err(format!("{content_dir}/{name}/ does not exist"));
    }
    Ok(Section { content, name, dir })
}

/// How the section's permalinks are made.
struct Permalinks {
    /// The section's `[permalinks]` pattern, if the config gives one.
    pattern: Option<String>,
    /// Whether paths go lower case (unless `disablePathToLower`).
    lower: bool,
}

/// The section's permalink pattern, from the config or from Hugo's split
/// configuration (`config/_default/permalinks.toml`).
fn permalinks(src: &Path, config: &Value, section: &str) -> Permalinks {
    let lower = !config.get("disablePathToLower").is_some_and(Value::is_true);
    // Hugo's split configuration keeps a key in its own file.
    let split_permalinks = ["toml", "yaml", "yml"].iter().find_map(|ext| {
        let text =
            std::fs::read_to_string(src.join(format!("config/_default/permalinks.{ext}"))).ok()?;
        if *ext == "toml" {
            value::from_toml(&text).ok()
        } else {
            value::from_yaml(&text).ok()
        }
    });
    let permalinks = config.get("permalinks").or(split_permalinks.as_ref());
    let pattern = permalinks.and_then(|p| {
        p.get("page")
            .and_then(|pp| pp.str_of(section))
            .or_else(|| p.str_of(section))
    });
    Permalinks { pattern, lower }
}

/// The config's `baseURL`, ending with `/`, when it is absolute.
fn base_url(config: &Value) -> Option<url::Url> {
    config
        .str_of("baseURL")
        .and_then(|u| url::Url::parse(&format!("{}/", u.trim_end_matches('/'))).ok())
}

/// The Markdown articles of the section (other markup is reported as
/// skipped; `_index` pages are the section's own).
fn articles(
    options: &Options,
    section: &Section,
    permalinks: &Permalinks,
    report: &mut Report,
) -> Vec<Article> {
    let src = options.src.as_path();
    let mut articles = Vec::new();
    for path in files_under(&section.dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(
            ext,
            "html" | "htm" | "adoc" | "asciidoc" | "org" | "rst" | "pandoc" | "pdc"
        ) {
            let file = crate::paths::slash_relative(src, &path).unwrap_or_default();
            report.skip(
                &file,
                &format!("a .{ext} content file: only Markdown articles are imported"),
            );
            continue;
        }
        if !is_content(&path) || name.starts_with("_index.") {
            continue;
        }
        if let Some(article) = article(options, section, permalinks, &path, report) {
            articles.push(article);
        }
    }
    articles
}

/// Where an article's file is in the content folder, and the names Hugo
/// makes of it.
struct Place {
    /// The path relative to the content folder.
    key: String,
    /// Whether the file is a page bundle's `index.md`.
    bundle: bool,
    /// The file's stem, or the bundle folder's name.
    stem: String,
    /// The date the stem starts with.
    file_date: Option<SourceDate>,
    /// The stem without that date.
    filename: String,
    /// The folders above the article (its bundle), from the section on.
    sections: String,
}

impl Place {
    fn of(content: &Path, path: &Path) -> Place {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let key = crate::paths::slash_relative(content, path).unwrap_or_default();
        let bundle = name.starts_with("index.");
        let stem_path = if bundle {
            path.parent().unwrap_or(path)
        } else {
            path
        };
        let stem = stem_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let file_date = SourceDate::from_file_name(&stem);
        let filename = file_date
            .map_or(stem.as_str(), |(_, rest)| rest)
            .to_string();
        let dirs: Vec<&str> = key.split('/').collect();
        let sections = dirs[..dirs.len().saturating_sub(if bundle { 2 } else { 1 })].join("/");
        Place {
            file_date: file_date.map(|(d, _)| d),
            key,
            bundle,
            stem,
            filename,
            sections,
        }
    }

    /// The names `ref` may give the article: its path, and a bundle's
    /// folder.
    fn keys(&self) -> Vec<String> {
        let mut keys = vec![self.key.clone()];
        if self.bundle {
            keys.push(
                self.key
                    .rsplit_once('/')
                    .map_or(self.key.clone(), |(d, _)| d.to_string()),
            );
        }
        keys
    }
}

/// One article of the section; `None` when its file cannot be read.
fn article(
    options: &Options,
    section: &Section,
    permalinks: &Permalinks,
    path: &Path,
    report: &mut Report,
) -> Option<Article> {
    let (file, doc) = read_doc(&options.src, path, report)?;
    let place = Place::of(&section.content, path);
    let front = &doc.front;
    let date = date(front, place.file_date, &file, report);
    let permalink = permalink(section, permalinks, &place, front, date);
    Some(Article {
        file,
        keys: place.keys(),
        updated: ["lastmod", "modified"]
            .iter()
            .find_map(|k| front.str_of(k).and_then(|d| SourceDate::parse(&d))),
        bundle: place
            .bundle
            .then(|| path.parent().map(Path::to_path_buf))
            .flatten(),
        title: front.str_of("title"),
        date,
        slug: front.str_of("slug").unwrap_or(place.filename),
        draft: front.get("draft").is_some_and(Value::is_true),
        old_urls: old_urls(permalink, front),
        summary: front
            .str_of("description")
            .or_else(|| front.str_of("summary")),
        terms: article_terms(options, front),
        doc,
    })
}

/// The article's date: a date field of its front matter, else the date of
/// its file name, else `lastmod`. A `date` that does not parse is noted.
fn date(
    front: &Value,
    file_date: Option<SourceDate>,
    file: &str,
    report: &mut Report,
) -> Option<SourceDate> {
    let date = ["date", "publishDate", "pubdate", "published"]
        .iter()
        .find_map(|k| front.str_of(k).and_then(|d| SourceDate::parse(&d)))
        .or(file_date)
        .or_else(|| {
            ["lastmod", "modified"]
                .iter()
                .find_map(|k| front.str_of(k).and_then(|d| SourceDate::parse(&d)))
        });
    if front.get("date").is_some()
        && front
            .str_of("date")
            .and_then(|d| SourceDate::parse(&d))
            .is_none()
    {
        report.note(
            file,
            "its date does not parse; the file name or another date field was used",
        );
    }
    date
}

/// The article's permalink: its own `url` or the section's pattern
/// expanded (with a date), else its own `url`, else Hugo's default
/// (`/<folders>/<stem>/`).
fn permalink(
    section: &Section,
    permalinks: &Permalinks,
    place: &Place,
    front: &Value,
    date: Option<SourceDate>,
) -> String {
    let title = front.str_of("title");
    let slug_field = front.str_of("slug");
    let own_url = front
        .str_of("url")
        .map(|u| format!("/{}", u.trim_start_matches('/')));
    let pattern = own_url.as_ref().or(permalinks.pattern.as_ref());
    if let (Some(pattern), Some(date)) = (pattern, date) {
        let title_text = title.unwrap_or_default();
        let filename = &place.filename;
        let d = date.date;
        let path = expand(pattern, &|token| {
            Some(match token {
                "year" => format!("{:04}", d.year()),
                "month" => format!("{:02}", d.month()),
                "monthname" => d.strftime("%B").to_string(),
                "day" => format!("{:02}", d.day()),
                "weekday" => d.weekday().to_sunday_zero_offset().to_string(),
                "weekdayname" => d.strftime("%A").to_string(),
                "yearday" => d.day_of_year().to_string(),
                "section" => section.name.clone(),
                "sections" => place.sections.clone(),
                "title" => title_text.clone(),
                "slug" => slug_field.clone().unwrap_or_else(|| title_text.clone()),
                "filename" | "contentbasename" => filename.clone(),
                "slugorfilename" | "slug_or_filename" => {
                    slug_field.clone().unwrap_or_else(|| filename.clone())
                }
                _ => return None,
            })
        });
        sanitize_path(&path, permalinks.lower)
    } else if let Some(url) = own_url {
        url
    } else {
        let dir = &place.sections;
        sanitize_path(&format!("/{dir}/{}/", place.stem), permalinks.lower)
    }
}

/// The article's old URLs: its permalink, then its `aliases` (relative
/// ones beside the permalink).
fn old_urls(permalink: String, front: &Value) -> Vec<String> {
    let mut old_urls = vec![permalink.clone()];
    for alias in front.get("aliases").map(Value::strings).unwrap_or_default() {
        let alias = alias.trim();
        if alias.is_empty() {
            continue;
        }
        if alias.starts_with('/') || alias.contains("://") {
            old_urls.push(alias.to_string());
        } else {
            let parent = permalink.trim_end_matches('/');
            let parent = parent.rsplit_once('/').map_or("", |(p, _)| p);
            old_urls.push(format!("{parent}/{alias}"));
        }
    }
    old_urls
}

/// The terms the article names in each taxonomy read, with what they
/// become.
fn article_terms(options: &Options, front: &Value) -> Vec<(Kind, String)> {
    let mut terms = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
        for term in terms_of(front, taxonomy) {
            terms.push((kind, term));
        }
    }
    terms
}

/// The term pages of the taxonomies read:
/// `content/<taxonomy>/<term>/_index.md` (or `index.md`).
fn term_pages(options: &Options, content: &Path, report: &mut Report) -> Vec<TermPage> {
    let mut terms = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
        let dir = content.join(taxonomy);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut dirs: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for term_dir in dirs {
            let Some(page) = ["_index.md", "index.md"]
                .iter()
                .map(|n| term_dir.join(n))
                .find(|p| p.is_file())
            else {
                continue;
            };
            let Some((file, doc)) = read_doc(&options.src, &page, report) else {
                continue;
            };
            let key = term_dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            terms.push(TermPage {
                kind,
                key,
                file,
                doc,
            });
        }
    }
    terms
}

/// Reads the site: its config, the articles of its section with their
/// permalinks and old URLs, the taxonomies' term pages, and `static/` as
/// the folder of files served as they are.
pub fn read(options: &Options, report: &mut Report) -> Result<Source, String> {
    let src = options.src.as_path();
    let config = config(src)?;
    let section = section(src, &config, options)?;
    let permalinks = permalinks(src, &config, &section.name);
    let base_url = base_url(&config);
    let articles = articles(options, &section, &permalinks, report);
    let terms = term_pages(options, &section.content, report);
    let term_urls = term_urls(options, &config, &articles, &terms);
    Ok(Source {
        static_roots: vec![(String::new(), src.join("static"), false)],
        src_real: crate::paths::resolve_symlinks(src).map_err(|e| e.to_string())?,
        title: config.str_of("title"),
        description: config
            .get("params")
            .and_then(|p| p.str_of("description"))
            .or_else(|| config.str_of("description")),
        base_url,
        articles,
        terms,
        term_urls,
    })
}

/// The old URL of every term page Hugo rendered for the taxonomies read:
/// `/<taxonomy>/<term>/`, the term's path sanitized as Hugo does, for the
/// taxonomies the config declares (`[taxonomies]`, else Hugo's default
/// `tags` and `categories`); plus the `aliases` of term pages.
fn term_urls(
    options: &Options,
    config: &Value,
    articles: &[Article],
    terms: &[TermPage],
) -> Vec<(Kind, String, String)> {
    let rendered: Vec<String> = match config.get("taxonomies") {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter_map(|(_, plural)| plural.text())
            .map(|p| p.to_lowercase())
            .collect(),
        _ => vec!["tags".to_string(), "categories".to_string()],
    };
    let lower = !matches!(config.get("disablePathToLower"), Some(Value::Bool(true)));
    let mut urls = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
        if !rendered.contains(&taxonomy.to_lowercase()) {
            continue;
        }
        let folder = sanitize_path(taxonomy, lower);
        for article in articles {
            for term in terms_of(&article.doc.front, taxonomy) {
                let path = sanitize_path(&term, lower);
                if !path.is_empty() {
                    urls.push((kind, term, format!("/{folder}/{path}/")));
                }
            }
        }
    }
    for page in terms {
        let aliases = page.doc.front.get("aliases").map(Value::strings);
        for alias in aliases.unwrap_or_default() {
            if alias.starts_with('/') {
                urls.push((page.kind, page.key.clone(), alias));
            }
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_name_loses_its_link_and_affiliation() {
        assert_eq!(
            person("[Jing Zhang](https://github.com/jingczhang) (Nokia)"),
            "Jing Zhang"
        );
        assert_eq!(
            person(" Frederico Muñoz (SAS Institute)"),
            "Frederico Muñoz"
        );
        assert_eq!(person("Bridget Kromhout\n"), "Bridget Kromhout");
    }

    #[test]
    fn permalink_patterns_expand_and_paths_are_sanitized_as_hugo_does() {
        let fields = |t: &str| match t {
            "section" => Some("blog".to_string()),
            "year" => Some("2024".to_string()),
            "slug" => Some("Ünïcode Title!".to_string()),
            _ => None,
        };
        let path = expand("/:section/:year/:slug/:unknown/", &fields);
        assert_eq!(path, "/blog/2024/Ünïcode Title!/:unknown/");
        assert_eq!(
            sanitize_path(&path, true),
            "/blog/2024/ünïcode-title/unknown/"
        );
    }
}
