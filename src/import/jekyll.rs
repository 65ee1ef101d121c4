//! Reads a Jekyll site: `_config.yml` (title, url, baseurl, permalink,
//! collections), the posts (every `_posts/` folder) or one collection, their
//! permalinks (Jekyll's styles and placeholders, or a post's own
//! `permalink`) and `redirect_from`, and author data (`_data/authors.yml`
//! or an `_authors/` collection).

use super::dates::SourceDate;
use super::value::{self, Value};
use super::{
    Article, Options, Report, Source, TermPage, expand, files_under, is_content, read_doc,
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

pub fn read(options: &Options, report: &mut Report) -> Result<Source, String> {
    let src = options.src.as_path();
    let config = match std::fs::read_to_string(src.join("_config.yml"))
        .or_else(|_| std::fs::read_to_string(src.join("_config.yaml")))
    {
        Ok(text) => value::from_yaml(&text).map_err(|e| format!("_config.yml: {e}"))?,
        Err(_) => Value::Null,
    };
    let collections = config.get("collections");
    // `None`: the posts; `Some(name)`: the collection `_name`.
    let section: Option<String> = match &options.section {
        Some(s) => {
            let s = s.trim_start_matches('_');
            (!matches!(s, "posts")).then(|| s.to_string())
        }
        None => {
            let posts = count(&post_folders(src));
            let best = super::SECTIONS
                .iter()
                .map(|s| s.trim_start_matches('_'))
                .filter(|s| *s != "posts")
                .map(|s| (count(&[src.join(format!("_{s}"))]), s))
                .filter(|(n, _)| *n > posts)
                .max_by_key(|(n, _)| *n);
            match best {
                Some((_, s)) => Some(s.to_string()),
                None if posts > 0 => None,
                None => {
                    return Err(format!(
                        "{} has no _posts/ folder nor a collection named {}: name the one holding the articles with --section",
                        src.display(),
                        super::SECTIONS.join(", ")
                    ));
                }
            }
        }
    };
    let folders = match &section {
        None => post_folders(src),
        Some(name) => {
            let dir = src.join(format!("_{name}"));
            if !dir.is_dir() {
                return Err(format!("the collection folder _{name}/ does not exist"));
            }
            vec![dir]
        }
    };
    let style = match &section {
        None => config.str_of("permalink").unwrap_or_else(|| "date".into()),
        Some(name) => collections
            .and_then(|c| c.get(name))
            .and_then(|c| c.str_of("permalink"))
            .or_else(|| config.str_of("permalink"))
            .unwrap_or_else(|| "date".into()),
    };
    let pattern = permalink_pattern(&style, section.as_deref());
    let base_url = config.str_of("url").and_then(|u| {
        let base = config.str_of("baseurl").unwrap_or_default();
        url::Url::parse(
            &format!("{}/{}/", u.trim_end_matches('/'), base.trim_matches('/'))
                .replace("//", "/")
                .replacen(":/", "://", 1),
        )
        .ok()
    });
    let mut articles = Vec::new();
    for folder in &folders {
        let folder_categories: Vec<String> = match &section {
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
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            let file_date = SourceDate::from_file_name(&stem);
            if section.is_none() && file_date.is_none() {
                let file = crate::paths::slash_relative(src, &path).unwrap_or_default();
                report.skip(
                    &file,
                    "a post's file name must start with its date (YYYY-MM-DD-title)",
                );
                continue;
            }
            let Some((file, doc)) = read_doc(src, &path, report) else {
                continue;
            };
            let front = &doc.front;
            let written_date = front.str_of("date");
            let date = written_date
                .as_deref()
                .and_then(SourceDate::parse)
                .or(file_date.map(|(d, _)| d));
            if let Some(written) = &written_date
                && SourceDate::parse(written).is_none()
            {
                report.note(
                    &file,
                    &format!(
                        "its date '{written}' does not parse; the date of its file name was used"
                    ),
                );
            }
            let title_part = file_date
                .map_or(stem.as_str(), |(_, rest)| rest)
                .to_string();
            let slug_field = front.str_of("slug");
            let mut categories = folder_categories.clone();
            for c in words(front, "categories", true)
                .into_iter()
                .chain(words(front, "category", false))
            {
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
            let rel_in_folder = crate::paths::slash_relative(folder, &path).unwrap_or_default();
            let rel_no_ext = rel_in_folder
                .rsplit_once('.')
                .map_or(rel_in_folder.as_str(), |(p, _)| p)
                .to_string();
            let pattern = front
                .str_of("permalink")
                .or_else(|| default_permalink(&config, &file, section.as_deref()))
                .map(|p| permalink_pattern(&p, section.as_deref()))
                .unwrap_or_else(|| pattern.clone());
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
                    "slug" => crate::slug::slugify(slug_field.as_deref().unwrap_or(&title_part)),
                    "name" => stem.clone(),
                    "categories" => categories
                        .iter()
                        .map(|c| c.to_lowercase().replace(' ', "-"))
                        .collect::<Vec<_>>()
                        .join("/"),
                    "output_ext" => ".html".into(),
                    "path" => rel_no_ext.clone(),
                    "collection" => section.clone().unwrap_or_else(|| "posts".into()),
                    _ => return None,
                })
            };
            let expanded = expand(&pattern, &fields);
            let mut permalink = format!("/{}", expanded.trim_start_matches('/'));
            while permalink.contains("//") {
                permalink = permalink.replace("//", "/");
            }
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
            let mut terms = Vec::new();
            for (kind, taxonomy) in options.taxonomies() {
                let split = matches!(taxonomy.as_str(), "tags" | "categories");
                for term in words(front, taxonomy, split) {
                    terms.push((kind, term));
                }
            }
            let mut keys = vec![file.clone()];
            keys.push(format!(
                "{}/{rel_in_folder}",
                folder.file_name().and_then(|n| n.to_str()).unwrap_or("")
            ));
            articles.push(Article {
                file,
                keys,
                updated: ["last_modified_at", "updated"]
                    .iter()
                    .find_map(|k| front.str_of(k).and_then(|d| SourceDate::parse(&d))),
                bundle: None,
                title: front.str_of("title"),
                date,
                slug: slug_field.clone().unwrap_or(title_part.clone()),
                draft: front.get("published").is_some_and(|p| !p.is_true())
                    || front.get("draft").is_some_and(Value::is_true),
                old_urls,
                summary: front
                    .str_of("description")
                    .or_else(|| front.str_of("excerpt")),
                terms,
                doc,
            });
        }
    }

    if section.is_none() {
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

    let mut terms = Vec::new();
    for (kind, taxonomy) in options.taxonomies() {
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
        let dir = src.join(format!("_{taxonomy}"));
        if section.as_deref() == Some(taxonomy.as_str()) || !dir.is_dir() {
            continue;
        }
        for path in files_under(&dir) {
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
    Ok(Source {
        static_roots: vec![(String::new(), src.to_path_buf(), true)],
        src_real: crate::paths::resolve_symlinks(src).map_err(|e| e.to_string())?,
        title: config.str_of("title"),
        description: config.str_of("description"),
        base_url,
        articles,
        terms,
    })
}
