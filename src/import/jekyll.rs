//! Reads a Jekyll site: `_config.yml` (title, url, baseurl, permalink,
//! collections), the posts (every `_posts/` folder) or one collection, their
//! permalinks (Jekyll's styles and placeholders, or a post's own
//! `permalink`) and `redirect_from`, and author data (`_data/authors.yml`
//! or an `_authors/` collection).

use super::dates::SourceDate;
use super::value::{self, Value};
use super::{
    Article, Kind, Options, Report, Source, TermPage, expand, files_under, is_content, read_doc,
};
use std::path::{Path, PathBuf};

/// Every `_posts` folder of the site (Jekyll reads them at any depth; the
/// folders above one are the posts' categories).
fn post_folders(src: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || matches!(
                        name.as_ref(),
                        "_site" | "node_modules" | "vendor" | "_drafts"
                    ))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() && e.file_name() == "_posts")
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

fn count(dirs: &[PathBuf]) -> usize {
    dirs.iter()
        .map(|d| files_under(d).iter().filter(|p| is_content(p)).count())
        .sum()
}

/// Words of a Jekyll list field: a YAML list, or a string of words split
/// on spaces (`tags: a b`), or one name (`author: Jane Doe`).
fn words(front: &Value, key: &str, split: bool) -> Vec<String> {
    match front.get(key) {
        Some(Value::Str(s)) if split => s.split_whitespace().map(str::to_string).collect(),
        Some(v) => v
            .names()
            .iter()
            .map(|s| super::plain(s))
            .filter(|s| !s.is_empty())
            .collect(),
        None => Vec::new(),
    }
}

fn permalink_pattern(style: &str, collection: Option<&str>) -> String {
    match (style, collection) {
        ("date", None) => "/:categories/:year/:month/:day/:title:output_ext".into(),
        ("pretty", None) => "/:categories/:year/:month/:day/:title/".into(),
        ("ordinal", None) => "/:categories/:year/:y_day/:title:output_ext".into(),
        ("none", None) => "/:categories/:title:output_ext".into(),
        ("pretty", Some(_)) => "/:collection/:path/".into(),
        ("date" | "ordinal" | "none", Some(_)) => "/:collection/:path:output_ext".into(),
        (pattern, _) => pattern.to_string(),
    }
}

/// The `permalink` that `_config.yml`'s `defaults` give the file at `file`
/// (relative to the site) of the posts (`None`) or of a collection: the
/// last entry whose scope matches it, as Jekyll applies them.
fn default_permalink(config: &Value, file: &str, collection: Option<&str>) -> Option<String> {
    let Some(Value::List(entries)) = config.get("defaults") else {
        return None;
    };
    let kind = collection.unwrap_or("posts");
    entries
        .iter()
        .filter(|entry| {
            let scope = entry.get("scope");
            let path = scope.and_then(|s| s.str_of("path")).unwrap_or_default();
            let of_type = scope.and_then(|s| s.str_of("type"));
            file.starts_with(path.trim_start_matches("./").trim_start_matches('/'))
                && of_type.is_none_or(|t| t == kind)
        })
        .filter_map(|entry| entry.get("values").and_then(|v| v.str_of("permalink")))
        .next_back()
}

/// The site's `_config.yml` (or `_config.yaml`); `Null` when there is none.
fn config(src: &Path) -> Result<Value, String> {
    match std::fs::read_to_string(src.join("_config.yml"))
        .or_else(|_| std::fs::read_to_string(src.join("_config.yaml")))
    {
        Ok(text) => value::from_yaml(&text).map_err(|e| format!("_config.yml: {e}")),
        Err(_) => Ok(Value::Null),
    }
}

/// The articles' collection: `None` for the posts, `Some(name)` for the
/// collection `_name`. `--section`, else the largest of
/// [`super::SECTIONS`] when it has more files than the posts.
fn section(options: &Options, src: &Path) -> Result<Option<String>, String> {
    if let Some(s) = &options.section {
        let s = s.trim_start_matches('_');
        return Ok((!matches!(s, "posts")).then(|| s.to_string()));
    }
    let posts = count(&post_folders(src));
    let best = super::SECTIONS
        .iter()
        .map(|s| s.trim_start_matches('_'))
        .filter(|s| *s != "posts")
        .map(|s| (count(&[src.join(format!("_{s}"))]), s))
        .filter(|(n, _)| *n > posts)
        .max_by_key(|(n, _)| *n);
    match best {
        Some((_, s)) => Ok(Some(s.to_string())),
        None if posts > 0 => Ok(None),
        None => Err(format!(
            "{} has no _posts/ folder nor a collection named {}: name the one holding the articles with --section",
            src.display(),
            super::SECTIONS.join(", ")
        )),
    }
}

/// The folders of the articles: every `_posts/`, or the collection's.
fn folders(src: &Path, section: Option<&str>) -> Result<Vec<PathBuf>, String> {
    match section {
        None => Ok(post_folders(src)),
        Some(name) => {
            let dir = src.join(format!("_{name}"));
            if !dir.is_dir() {
                return Err(format!("the collection folder _{name}/ does not exist"));
            }
            Ok(vec![dir])
        }
    }
}

/// The permalink pattern of the articles: the collection's `permalink`,
/// else the site's, else the `date` style.
fn site_pattern(config: &Value, section: Option<&str>) -> String {
    let style = match section {
        None => config.str_of("permalink").unwrap_or_else(|| "date".into()),
        Some(name) => config
            .get("collections")
            .and_then(|c| c.get(name))
            .and_then(|c| c.str_of("permalink"))
            .or_else(|| config.str_of("permalink"))
            .unwrap_or_else(|| "date".into()),
    };
    permalink_pattern(&style, section)
}

/// The site's `url` and `baseurl` joined, ending with `/`, when absolute.
fn base_url(config: &Value) -> Option<url::Url> {
    config.str_of("url").and_then(|u| {
        let base = config.str_of("baseurl").unwrap_or_default();
        url::Url::parse(
            &format!("{}/{}/", u.trim_end_matches('/'), base.trim_matches('/'))
                .replace("//", "/")
                .replacen(":/", "://", 1),
        )
        .ok()
    })
}

/// What every article of the collection is read with.
struct Collection<'a> {
    options: &'a Options,
    config: &'a Value,
    /// `None` for the posts, `Some(name)` for the collection `_name`.
    section: Option<String>,
    /// The permalink pattern of articles that give none of their own.
    pattern: String,
}

/// The articles of every folder of the collection.
fn articles(collection: &Collection, folders: &[PathBuf], report: &mut Report) -> Vec<Article> {
    let src = collection.options.src.as_path();
    let mut articles = Vec::new();
    for folder in folders {
        // The folders above a `_posts/` are its posts' categories.
        let folder_categories: Vec<String> = match &collection.section {
            None => crate::paths::slash_relative(src, folder.parent().unwrap_or(src))
                .unwrap_or_default()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(_) => Vec::new(),
        };
        for path in files_under(folder) {
            if !is_content(&path) {
                continue;
            }
            if let Some(article) = article(collection, folder, &folder_categories, &path, report) {
                articles.push(article);
            }
        }
    }
    articles
}

/// The names Jekyll makes of an article's file.
struct Names {
    /// The file's stem.
    stem: String,
    /// The date the stem starts with.
    file_date: Option<SourceDate>,
    /// The stem without that date.
    title_part: String,
    /// The front matter's `slug`.
    slug_field: Option<String>,
    /// The folder's and the front matter's categories, each once.
    categories: Vec<String>,
    /// The path relative to its folder.
    rel_in_folder: String,
}

/// One article of `folder`; `None` when it is skipped (a post whose file
/// name has no date) or its file cannot be read.
fn article(
    collection: &Collection,
    folder: &Path,
    folder_categories: &[String],
    path: &Path,
    report: &mut Report,
) -> Option<Article> {
    let src = collection.options.src.as_path();
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let file_date = SourceDate::from_file_name(&stem);
    if collection.section.is_none() && file_date.is_none() {
        let file = crate::paths::slash_relative(src, path).unwrap_or_default();
        report.skip(
            &file,
            "a post's file name must start with its date (YYYY-MM-DD-title)",
        );
        return None;
    }
    let (file, doc) = read_doc(src, path, report)?;
    let front = &doc.front;
    let names = Names {
        title_part: file_date
            .map_or(stem.as_str(), |(_, rest)| rest)
            .to_string(),
        file_date: file_date.map(|(d, _)| d),
        slug_field: front.str_of("slug"),
        categories: categories(folder_categories, front),
        rel_in_folder: crate::paths::slash_relative(folder, path).unwrap_or_default(),
        stem,
    };
    let date = date(front, names.file_date, &file, report);
    let permalink = permalink(collection, &names, &file, front, date);
    let keys = vec![
        file.clone(),
        format!(
            "{}/{}",
            folder.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            names.rel_in_folder
        ),
    ];
    Some(Article {
        file,
        keys,
        updated: ["last_modified_at", "updated"]
            .iter()
            .find_map(|k| front.str_of(k).and_then(|d| SourceDate::parse(&d))),
        bundle: None,
        title: front.str_of("title"),
        date,
        slug: names.slug_field.unwrap_or(names.title_part),
        draft: front.get("published").is_some_and(|p| !p.is_true())
            || front.get("draft").is_some_and(Value::is_true),
        old_urls: old_urls(permalink, front),
        summary: front
            .str_of("description")
            .or_else(|| front.str_of("excerpt")),
        terms: article_terms(collection.options, front),
        doc,
    })
}

/// The article's date: its `date`, else its file name's. A `date` that
/// does not parse is noted.
fn date(
    front: &Value,
    file_date: Option<SourceDate>,
    file: &str,
    report: &mut Report,
) -> Option<SourceDate> {
    let written_date = front.str_of("date");
    let date = written_date
        .as_deref()
        .and_then(SourceDate::parse)
        .or(file_date);
    if let Some(written) = &written_date
        && SourceDate::parse(written).is_none()
    {
        report.note(
            file,
            &format!("its date '{written}' does not parse; the date of its file name was used"),
        );
    }
    date
}

/// The folder's categories, then the front matter's `categories` and
/// `category`, each once.
fn categories(folder_categories: &[String], front: &Value) -> Vec<String> {
    let mut categories = folder_categories.to_vec();
    for c in words(front, "categories", true)
        .into_iter()
        .chain(words(front, "category", false))
    {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    categories
}

/// The article's permalink: its own `permalink`, else the one
/// `_config.yml`'s `defaults` give it, else the collection's pattern,
/// expanded, starting with `/` and without `//`.
fn permalink(
    collection: &Collection,
    names: &Names,
    file: &str,
    front: &Value,
    date: Option<SourceDate>,
) -> String {
    let section = collection.section.as_deref();
    let rel_no_ext = names
        .rel_in_folder
        .rsplit_once('.')
        .map_or(names.rel_in_folder.as_str(), |(p, _)| p)
        .to_string();
    let pattern = front
        .str_of("permalink")
        .or_else(|| default_permalink(collection.config, file, section))
        .map(|p| permalink_pattern(&p, section))
        .unwrap_or_else(|| collection.pattern.clone());
    let slug_field = &names.slug_field;
    let title_part = &names.title_part;
    let fields = |token: &str| -> Option<String> {
        let d = date?.date;
        Some(match token {
            "year" => format!("{:04}", d.year()),
            "short_year" => format!("{:02}", d.year() % 100),
            "month" => format!("{:02}", d.month()),
            "i_month" => d.month().to_string(),
            "short_month" => d.strftime("%b").to_string(),
            "long_month" => d.strftime("%B").to_string(),
            "day" => format!("{:02}", d.day()),
            "i_day" => d.day().to_string(),
            "y_day" => format!("{:03}", d.day_of_year()),
            "title" => slug_field.clone().unwrap_or_else(|| title_part.clone()),
            "slug" => crate::slug::slugify(slug_field.as_deref().unwrap_or(title_part)),
            "name" => names.stem.clone(),
            "categories" => names
                .categories
                .iter()
                .map(|c| c.to_lowercase().replace(' ', "-"))
                .collect::<Vec<_>>()
                .join("/"),
            "output_ext" => ".html".into(),
            "path" => rel_no_ext.clone(),
            "collection" => collection.section.clone().unwrap_or_else(|| "posts".into()),
            _ => return None,
        })
    };
    let expanded = expand(&pattern, &fields);
    let mut permalink = format!("/{}", expanded.trim_start_matches('/'));
    while permalink.contains("//") {
        permalink = permalink.replace("//", "/");
    }
    permalink
}

/// The article's old URLs: its permalink, then its `redirect_from`.
fn old_urls(permalink: String, front: &Value) -> Vec<String> {
    // Old URLs are kept relative to the base URL, as the new site's
    // aliases are: the new site is served where the old one was.
    let mut old_urls = vec![permalink];
    for alias in front
        .get("redirect_from")
        .map(Value::strings)
        .unwrap_or_default()
    {
        let alias = alias.trim();
        if !alias.is_empty() {
            old_urls.push(format!("/{}", alias.trim_start_matches('/')));
        }
    }
    old_urls
}

/// The terms the article names in each taxonomy read, with what they
/// become (`tags` and `categories` may be words split on spaces).
fn article_terms(options: &Options, front: &Value) -> Vec<(Kind, String)> {
    let mut terms = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
        let split = matches!(taxonomy.as_str(), "tags" | "categories");
        for term in words(front, taxonomy, split) {
            terms.push((kind, term));
        }
    }
    terms
}

/// Reports each file of `_drafts/` as skipped: a Jekyll draft has no date.
fn skip_drafts(src: &Path, report: &mut Report) {
    for path in files_under(&src.join("_drafts")) {
        if is_content(&path) {
            let file = crate::paths::slash_relative(src, &path).unwrap_or_default();
            report.skip(
                &file,
                "a Jekyll draft (_drafts/) has no date: give it one in its file name and move it to _posts/ with `published: false` to import it as a draft",
            );
        }
    }
}

/// The term entries of the taxonomies read: each taxonomy's
/// `_data/<taxonomy>.yml`, then its collection `_<taxonomy>/` (unless it
/// is the articles' own).
fn term_pages(options: &Options, section: Option<&str>, report: &mut Report) -> Vec<TermPage> {
    let src = options.src.as_path();
    let mut terms = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
        data_terms(src, kind, taxonomy, report, &mut terms);
        let dir = src.join(format!("_{taxonomy}"));
        if section == Some(taxonomy.as_str()) || !dir.is_dir() {
            continue;
        }
        collection_terms(src, kind, &dir, report, &mut terms);
    }
    terms
}

/// Adds to `terms` the entries of `_data/<taxonomy>.yml` (and `.yaml`):
/// a mapping of each term to its fields.
fn data_terms(
    src: &Path,
    kind: Kind,
    taxonomy: &str,
    report: &mut Report,
    terms: &mut Vec<TermPage>,
) {
    for data in [
        format!("_data/{taxonomy}.yml"),
        format!("_data/{taxonomy}.yaml"),
    ] {
        let path = src.join(&data);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match value::from_yaml(&text) {
            Ok(Value::Map(entries)) => {
                for (key, front) in entries {
                    terms.push(TermPage {
                        kind,
                        key,
                        file: data.clone(),
                        doc: value::Doc {
                            front,
                            body: String::new(),
                            body_line: 1,
                        },
                    });
                }
            }
            Ok(_) => report.note(&data, "not a mapping of names to entries; not read"),
            Err(e) => report.skip(&data, &format!("does not parse: {e}")),
        }
    }
}

/// Adds to `terms` the pages of the collection folder `dir`, each the
/// term of its file name.
fn collection_terms(
    src: &Path,
    kind: Kind,
    dir: &Path,
    report: &mut Report,
    terms: &mut Vec<TermPage>,
) {
    for path in files_under(dir) {
        if !is_content(&path) {
            continue;
        }
        let Some((file, doc)) = read_doc(src, &path, report) else {
            continue;
        };
        let key = path
            .file_stem()
            .and_then(|s| s.to_str())
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

/// Reads the site: `_config.yml`, the posts or the collection of the
/// articles with their permalinks and old URLs, the drafts (skipped), the
/// taxonomies' data and collections, and the site's root as the folder of
/// files served as they are.
pub fn read(options: &Options, report: &mut Report) -> Result<Source, String> {
    let src = options.src.as_path();
    let config = config(src)?;
    let section = section(options, src)?;
    let folders = folders(src, section.as_deref())?;
    let collection = Collection {
        options,
        config: &config,
        pattern: site_pattern(&config, section.as_deref()),
        section,
    };
    let base_url = base_url(&config);
    let articles = articles(&collection, &folders, report);
    if collection.section.is_none() {
        skip_drafts(src, report);
    }
    let terms = term_pages(options, collection.section.as_deref(), report);
    Ok(Source {
        static_roots: vec![(String::new(), src.to_path_buf(), true)],
        src_real: crate::paths::resolve_symlinks(src).map_err(|e| e.to_string())?,
        title: config.str_of("title"),
        description: config.str_of("description"),
        base_url,
        articles,
        terms,
        term_urls: Vec::new(),
    })
}
