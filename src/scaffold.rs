//! `attache new` and `attache init`: files an editor starts from. Nothing is
//! ever overwritten.

use crate::slug::slugify;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum ScaffoldError {
    /// The file or folder is already there.
    Exists(PathBuf),
    BadDate(String),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::Exists(p) => write!(
                f,
                "{} already exists; attache never overwrites it",
                p.display()
            ),
            ScaffoldError::BadDate(m) => write!(f, "--date: {m}"),
            ScaffoldError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

/// A YAML scalar that holds any text safely (a JSON string is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// Writes `text` to `root/rel`, creating folders, refusing to overwrite.
fn create(root: &Path, rel: &Path, text: &str) -> Result<PathBuf, ScaffoldError> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ScaffoldError::Io(parent.to_path_buf(), e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
            _ => ScaffoldError::Io(path.clone(), e),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    Ok(path)
}

fn slug_or(text: &str, fallback: &str) -> String {
    let slug = slugify(text);
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

/// `content/briefings/YYYY/YYYY-MM-DD-slug.md` with the front matter skeleton.
pub fn new_briefing(
    root: &Path,
    title: &str,
    date: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    let date = match date {
        Some(text) => {
            crate::dates::DateTime::parse(text)
                .map_err(ScaffoldError::BadDate)?
                .date
        }
        None => today(),
    };
    let slug = slug_or(title, "briefing");
    let rel = PathBuf::from(format!(
        "content/briefings/{}/{date}-{slug}.md",
        date.year()
    ));
    let text = format!(
        r#"---
title: {title}
date: {date}
draft: true            # not published until this line goes (`attache serve --drafts` shows it)
summary: ""            # one or two sentences; leave empty to use the first paragraph
actors: []             # - Name, or - {{name: Name, role: what they did here}}
topics: []             # [Sanctions, Arms transfers]
sources: []            # - {{id: src1, title: ..., publisher: ..., url: https://...}}
events: []             # - {{date: {date}, what: What happened, actors: [Name]}}
authors: []
---
<!-- Cite a source with [@src1]; link an actor with [[Name]], a topic with [[topic:Name]],
     another briefing with [[briefing:slug]]. -->

Write the briefing here.
"#,
        title = quoted(title),
    );
    create(root, &rel, &text)
}

/// `content/actors/slug.md`.
pub fn new_actor(root: &Path, name: &str) -> Result<PathBuf, ScaffoldError> {
    let rel = PathBuf::from(format!("content/actors/{}.md", slug_or(name, "actor")));
    let text = format!(
        r#"---
name: {name}
aliases: []            # other spellings: [Kim Jong-un]
kind: person           # person | organization | state | group | other
# role: Minister of Natural Resources
affiliations: []       # other actors: [Russia]
# roles: [{{title: Minister of Natural Resources, from: 2020-01}}]
# ids: {{wikidata: Q...}}
---
A short profile.
"#,
        name = quoted(name),
    );
    create(root, &rel, &text)
}

/// `content/topics/slug.md`.
pub fn new_topic(root: &Path, name: &str) -> Result<PathBuf, ScaffoldError> {
    let rel = PathBuf::from(format!("content/topics/{}.md", slug_or(name, "topic")));
    let text = format!(
        r#"---
name: {name}
description: ""
aliases: []
---
What the desk covers under this topic.
"#,
        name = quoted(name),
    );
    create(root, &rel, &text)
}

/// A new site in `dir` that builds at once. Refuses a folder that has files.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(ScaffoldError::Exists(dir.to_path_buf()));
    }
    let title = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .unwrap_or("Briefings");
    let date = today();
    let mut written = Vec::new();
    written.push(create(
        dir,
        Path::new(crate::config::CONFIG_FILE),
        &format!(
            "title: {}\ndescription: \"\"\nlanguage: en\nbase_url: http://localhost/\n# git: true           # dates and revision history from git\n",
            quoted(title)
        ),
    )?);
    written.push(create(
        dir,
        &PathBuf::from(format!(
            "content/briefings/{}/{date}-welcome.md",
            date.year()
        )),
        &format!(
            r#"---
title: Welcome to the desk
date: {date}
summary: A first briefing, to show how actors, sources and events fit together.
actors:
  - name: UN Security Council
    role: the body whose sanctions committee the example cites
topics: [Sanctions]
sources:
  - id: un
    title: Security Council sanctions
    publisher: United Nations
    url: https://www.un.org/securitycouncil/sanctions/information
events:
  - {{date: {date}, what: The desk publishes its first briefing, actors: [UN Security Council]}}
---
This is where a briefing's text goes. Cite sources as numbered references [@un],
and link actors such as the [[UN Security Council]] and topics such as
[[topic:Sanctions]] to their pages.
"#
        ),
    )?);
    written.push(create(
        dir,
        Path::new("content/actors/un-security-council.md"),
        "---\nname: UN Security Council\naliases: [Security Council, UNSC]\nkind: organization\nrole: The United Nations organ responsible for international peace and security\n---\nFifteen members, five of them permanent with a veto.\n",
    )?);
    written.push(create(
        dir,
        Path::new("content/topics/sanctions.md"),
        "---\nname: Sanctions\ndescription: Measures that restrict trade, finance and travel.\n---\nWhat the desk covers under sanctions.\n",
    )?);
    written.push(create(
        dir,
        Path::new(".gitignore"),
        "public/\n.attache-cache/\n",
    )?);
    written.push(create(
        dir,
        Path::new(".github/workflows/site.yml"),
        // The example says where to copy it; here it is already there.
        &include_str!("../examples/ci/github-actions.yml").replacen(
            "# Copy to .github/workflows/site.yml in the site's repository.\n",
            "",
            1,
        ),
    )?);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_are_named_by_date_and_slug_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = new_briefing(
            dir.path(),
            "Kozlov in \"Pyongyang\": day two",
            Some("2023-11-15"),
        )
        .unwrap();
        assert_eq!(
            path,
            dir.path()
                .join("content/briefings/2023/2023-11-15-kozlov-in-pyongyang-day-two.md")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("title: \"Kozlov in \\\"Pyongyang\\\": day two\"\n"));
        let again = new_briefing(
            dir.path(),
            "Kozlov in \"Pyongyang\": day two",
            Some("2023-11-15"),
        );
        assert!(matches!(again, Err(ScaffoldError::Exists(_))));
        assert!(matches!(
            new_briefing(dir.path(), "x", Some("2023-02-30")),
            Err(ScaffoldError::BadDate(_))
        ));
        let actor = new_actor(dir.path(), "Kim Jong Un").unwrap();
        assert!(actor.ends_with("content/actors/kim-jong-un.md"));
        assert!(matches!(
            new_actor(dir.path(), "Kim Jong-un"),
            Err(ScaffoldError::Exists(_))
        ));
        assert!(
            new_topic(dir.path(), "Sanctions")
                .unwrap()
                .ends_with("content/topics/sanctions.md")
        );
    }
}
