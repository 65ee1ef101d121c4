//! The documents an editor writes, as typed values: what `load` hands to
//! `resolve`. Names of actors and topics are still the strings the editor
//! wrote (with where they wrote them); `resolve` turns them into ids.

use super::fields::{Fields, item_string};
use super::frontmatter::Cursor;
use super::yaml::Node;
use crate::dates::{DateTime, PartialDate};
use crate::diagnostics::{Code, Diagnostic};
use std::path::PathBuf;

/// Where a document came from: its path relative to the site root, and the
/// line its Markdown body starts on (so body diagnostics point into the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub body_line: usize,
}

/// A name as an editor wrote it, and the line and column it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorRef {
    pub name: NameRef,
    /// The role the actor plays in this briefing, if the editor gave one.
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    pub id: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub date: Option<PartialDate>,
    pub accessed: Option<PartialDate>,
    pub archive_url: Option<String>,
    pub note: Option<String>,
    /// Where the source is written in the front matter.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: PartialDate,
    pub what: String,
    pub actors: Vec<NameRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: DateTime,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Briefing {
    pub origin: Origin,
    pub title: String,
    pub date: DateTime,
    pub updated: Option<DateTime>,
    pub summary: Option<String>,
    pub actors: Vec<ActorRef>,
    pub topics: Vec<NameRef>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
    pub authors: Vec<String>,
    pub corrections: Vec<Correction>,
    pub slug: String,
    /// The line of the `slug` field, or 1 when the slug comes from the file name.
    pub slug_line: usize,
    pub draft: bool,
    /// Old URLs that redirect here, as written.
    pub aliases: Vec<NameRef>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const BRIEFING_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "actors",
    "topics",
    "sources",
    "events",
    "authors",
    "corrections",
    "slug",
    "draft",
    "aliases",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ActorKind {
    Person,
    Organization,
    State,
    Group,
    #[default]
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] = [
        ActorKind::Person,
        ActorKind::Organization,
        ActorKind::State,
        ActorKind::Group,
        ActorKind::Other,
    ];

    pub fn parse(text: &str) -> Option<ActorKind> {
        match text.trim().to_lowercase().as_str() {
            "person" => Some(ActorKind::Person),
            "organization" | "organisation" => Some(ActorKind::Organization),
            "state" | "country" => Some(ActorKind::State),
            "group" => Some(ActorKind::Group),
            "other" => Some(ActorKind::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Organization => "organization",
            ActorKind::State => "state",
            ActorKind::Group => "group",
            ActorKind::Other => "other",
        }
    }
}

/// A role held over a span of time (`from`/`to` may be partial dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpan {
    pub title: String,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActorProfile {
    pub origin: Origin,
    /// From the file name.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<NameRef>,
    pub kind: ActorKind,
    pub role: Option<String>,
    pub affiliations: Vec<NameRef>,
    pub roles: Vec<RoleSpan>,
    pub ids: Vec<(String, String)>,
    pub links: Vec<Link>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const ACTOR_FIELDS: &[&str] = &[
    "name",
    "aliases",
    "kind",
    "role",
    "affiliations",
    "roles",
    "ids",
    "links",
];

#[derive(Debug, Clone, PartialEq)]
pub struct TopicProfile {
    pub origin: Origin,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub aliases: Vec<NameRef>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const TOPIC_FIELDS: &[&str] = &["name", "description", "aliases"];

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub origin: Origin,
    pub slug: String,
    /// The line of the `slug` field, or 1 when the slug comes from the file name.
    pub slug_line: usize,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    /// Old URLs that redirect here, as written.
    pub aliases: Vec<NameRef>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const PAGE_FIELDS: &[&str] = &["title", "summary", "slug", "draft", "aliases"];

/// How many actors, topics or events one briefing may name. Every actor
/// page shows the briefing's card with all its actors and topics, so the
/// output grows with the square of a briefing's names: past this limit a
/// briefing is an error (`too-many`), and only the first items are read.
pub const MAX_NAMES: usize = 1_000;

/// Keeps at most [`MAX_NAMES`] items of a list (`what`, in the field
/// `key`), with a `too-many` error at the field when there are more.
fn at_most<T>(fields: &mut Fields, key: &str, what: &str, mut items: Vec<T>) -> Vec<T> {
    if items.len() > MAX_NAMES {
        fields.error(
            Code::TooMany,
            key,
            format!(
                "{what} has {} items; a briefing may have at most {MAX_NAMES}",
                items.len()
            ),
            "split the briefing, or keep the list to the names that matter",
        );
        items.truncate(MAX_NAMES);
    }
    items
}

/// One scalar of a list item, where it was found: the item's key it is
/// under (empty for a bare item), its text and its line and column.
struct Found {
    key: String,
    text: String,
    at: (usize, usize),
}

/// Finds the keys and scalars of a list item in document order from
/// `cursor`, moving the cursor past the item, so that the next item is
/// looked for after this one even when both hold the same value.
fn walk_item(fields: &mut Fields, cursor: &mut Cursor, item: &Node) -> Vec<Found> {
    fn walk(
        fields: &mut Fields,
        cursor: &mut Cursor,
        key: &str,
        node: &Node,
        out: &mut Vec<Found>,
    ) {
        match node {
            Node::Map(entries) => {
                for (k, v) in entries {
                    fields.find(cursor, k);
                    walk(fields, cursor, if key.is_empty() { k } else { key }, v, out);
                }
            }
            Node::List(items) => {
                for v in items {
                    walk(fields, cursor, key, v, out);
                }
            }
            scalar => {
                if let Some(text) = scalar.scalar_text() {
                    let text = text.trim().to_string();
                    let at = fields.find(cursor, &text);
                    out.push(Found {
                        key: key.to_string(),
                        text,
                        at,
                    });
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(fields, cursor, "", item, &mut out);
    out
}

/// Where `text` was found under `key` in a walked item.
fn found_at(found: &[Found], key: &str, text: &str) -> Option<(usize, usize)> {
    found
        .iter()
        .find(|f| f.key == key && f.text == text)
        .map(|f| f.at)
}

/// Reads the names in a list field (`actors`, `topics`, `aliases`, ...),
/// recording where each was written.
fn name_refs(fields: &mut Fields, key: &str) -> Vec<NameRef> {
    let names = fields.string_list(key);
    positioned(fields, key, names)
}

/// Each name with where it was written: found in order, from the field.
fn positioned(fields: &mut Fields, key: &str, names: Vec<String>) -> Vec<NameRef> {
    let mut cursor = fields.cursor(key);
    names
        .into_iter()
        .map(|name| {
            let (line, column) = fields.find(&mut cursor, &name);
            NameRef { name, line, column }
        })
        .collect()
}

pub fn read_briefing(
    mut fields: Fields,
    origin: Origin,
    file_slug: String,
    body: String,
) -> (Option<Briefing>, crate::diagnostics::Diagnostics) {
    let title = fields.required_string("title", "add a line `title: Your headline`");
    let date = fields.required_date("date");
    let updated = fields.date("updated");
    let summary = fields.string("summary");
    let actors = read_actor_refs(&mut fields);
    let topics = fields.string_list("topics");
    let topics = at_most(&mut fields, "topics", "`topics`", topics);
    let topics = positioned(&mut fields, "topics", topics);
    let sources = read_sources(&mut fields);
    let events = read_events(&mut fields);
    let authors = fields.string_list("authors");
    let corrections = read_corrections(&mut fields);
    let slug_line = slug_line(&fields);
    let slug = read_slug(&mut fields, file_slug);
    let draft = fields.bool("draft");
    let aliases = name_refs(&mut fields, "aliases");
    let (extra, diagnostics) = fields.finish(BRIEFING_FIELDS);
    let briefing = match (title, date, slug) {
        (Some(title), Some(date), Some(slug)) => Some(Briefing {
            origin,
            title,
            date,
            updated,
            summary,
            actors,
            topics,
            sources,
            events,
            authors,
            corrections,
            slug,
            slug_line,
            draft,
            aliases,
            extra,
            body,
        }),
        _ => None,
    };
    (briefing, diagnostics)
}

fn slug_line(fields: &Fields) -> usize {
    if fields.has("slug") {
        fields.line_of("slug")
    } else {
        1
    }
}

/// The URL slug: the `slug` field, or the file name without a leading date.
fn read_slug(fields: &mut Fields, file_slug: String) -> Option<String> {
    let (written, key) = match fields.string("slug") {
        Some(s) => (s, "slug"),
        None => (file_slug, ""),
    };
    let slug = crate::slug::slugify(&written);
    if slug.is_empty() {
        let what = if key.is_empty() {
            "the file name"
        } else {
            "`slug`"
        };
        fields.error(
            Code::BadSlug,
            "slug",
            format!("{what} '{written}' gives an empty URL segment"),
            "use letters or digits, e.g. `slug: russia-visit`",
        );
        return None;
    }
    Some(slug)
}

fn read_actor_refs(fields: &mut Fields) -> Vec<ActorRef> {
    let items = fields.list("actors");
    let items = at_most(fields, "actors", "`actors`", items);
    let mut cursor = fields.cursor("actors");
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let (name, role) = match &item {
            Node::Map(_) => (item_string(&item, "name"), item_string(&item, "role")),
            other => (other.scalar_text().map(|s| s.trim().to_string()), None),
        };
        let item_start = cursor;
        let found = walk_item(fields, &mut cursor, &item);
        match name {
            Some(name) if !name.is_empty() => {
                let (line, column) = found_at(&found, "name", &name)
                    .or_else(|| found_at(&found, "", &name))
                    .unwrap_or((item_start.line(), 1));
                out.push(ActorRef {
                    name: NameRef { name, line, column },
                    role,
                });
            }
            _ => fields.error(
                Code::BadActor,
                "actors",
                "an item of `actors` has no name".to_string(),
                "write a name (`- Kim Jong Un`) or a mapping (`- {name: Kim Jong Un, role: host}`)",
            ),
        }
    }
    out
}

fn read_sources(fields: &mut Fields) -> Vec<Source> {
    let items = fields.list("sources");
    let mut out = Vec::with_capacity(items.len());
    let mut ids = std::collections::HashSet::new();
    // Sources are found in order: each is looked for after the previous.
    let mut cursor = fields.cursor("sources");
    for item in items {
        let item_start = cursor;
        let source = match &item {
            Node::String(url) => Source {
                url: Some(url.trim().to_string()),
                ..Source::default()
            },
            Node::Map(_) => {
                let date = partial_in(fields, "sources", item_start, &item, "date");
                let accessed = partial_in(fields, "sources", item_start, &item, "accessed");
                Source {
                    id: item_string(&item, "id"),
                    title: item_string(&item, "title"),
                    publisher: item_string(&item, "publisher"),
                    author: item_string(&item, "author"),
                    url: item_string(&item, "url"),
                    date,
                    accessed,
                    archive_url: item_string(&item, "archive_url"),
                    note: item_string(&item, "note"),
                    ..Source::default()
                }
            }
            other => {
                fields.error(
                    Code::BadSource,
                    "sources",
                    format!("an item of `sources` is {}", other.kind_name()),
                    "write a URL or a mapping with title, publisher and url",
                );
                continue;
            }
        };
        for (field, url) in [("url", &source.url), ("archive_url", &source.archive_url)] {
            if let Some(url) = url
                && let Err(message) = crate::urls::check_source_url(url)
            {
                fields.error_at(
                    Code::BadUrl,
                    item_start,
                    url,
                    format!("source `{field}`: {message}"),
                );
            }
        }
        let anchor = source
            .id
            .clone()
            .or_else(|| source.url.clone())
            .or_else(|| source.title.clone())
            .unwrap_or_default();
        let found = walk_item(fields, &mut cursor, &item);
        let (line, column) = ["id", "url", "title", ""]
            .iter()
            .find_map(|key| found_at(&found, key, &anchor))
            .unwrap_or((item_start.line(), 1));
        let mut source = Source {
            line,
            column,
            ..source
        };
        if let Some(id) = &source.id
            && !ids.insert(id.clone())
        {
            let d = Diagnostic::new(
                Code::DuplicateSourceId,
                fields.file(),
                format!("two sources have the id '{id}'; citations [@{id}] would be ambiguous"),
            )
            .at(line, column)
            .with_hint("give each source its own `id`");
            fields.diagnostic_at(d);
            source.id = None;
        }
        if let Some(publisher) = &source.publisher {
            let slug = crate::slug::slugify(publisher);
            if crate::slug::windows_reserved(&slug) {
                let at = fields.position_from(item_start, publisher);
                let d = crate::slug::windows_reserved_warning(
                    fields.file(),
                    at,
                    &format!("the slug of the publisher '{publisher}' (its page under /sources/)"),
                    &slug,
                    "write the publisher's full name",
                );
                fields.diagnostic_at(d);
            }
        }
        if source.title.is_none() && source.publisher.is_none() && source.url.is_none() {
            fields.error_at(
                Code::EmptySource,
                item_start,
                &anchor,
                "a source has none of title, publisher, url".to_string(),
            );
        }
        out.push(source);
    }
    out
}

/// A partial date inside a list item; a bad one is reported and dropped.
/// Its position is looked for from `from`, the item's cursor.
fn partial_in(
    fields: &mut Fields,
    key: &str,
    from: Cursor,
    item: &Node,
    field: &str,
) -> Option<PartialDate> {
    let text = item_string(item, field)?;
    match PartialDate::parse(&text) {
        Ok(date) => Some(date),
        Err(message) => {
            fields.error_at(
                Code::BadDate,
                from,
                &text,
                format!("`{key}`: `{field}`: {message}"),
            );
            None
        }
    }
}

fn read_events(fields: &mut Fields) -> Vec<Event> {
    let items = fields.list("events");
    let items = at_most(fields, "events", "`events`", items);
    let mut out = Vec::with_capacity(items.len());
    let mut cursor = fields.cursor("events");
    for item in items {
        let item_start = cursor;
        let found = walk_item(fields, &mut cursor, &item);
        let what = item_string(&item, "what");
        let date = partial_in(fields, "events", item_start, &item, "date");
        let Some(what) = what else {
            fields.error(
                Code::BadEvent,
                "events",
                "an event has no `what`".to_string(),
                "write `- {date: 2023-11-14, what: Delegation arrives, actors: [..]}`",
            );
            continue;
        };
        let Some(date) = date else {
            if item_string(&item, "date").is_none() {
                fields.error_at(
                    Code::BadEvent,
                    item_start,
                    &what,
                    format!("the event '{what}' has no `date`"),
                );
            }
            continue;
        };
        let actor_nodes = match item.get("actors") {
            Some(Node::List(items)) => items.clone(),
            Some(Node::Null) | None => Vec::new(),
            Some(scalar) => vec![scalar.clone()],
        };
        let mut places = found.iter().filter(|f| f.key == "actors").map(|f| f.at);
        let actors = at_most(fields, "events", "an event's `actors`", actor_nodes)
            .iter()
            .filter_map(Node::scalar_text)
            .map(|name| {
                let (line, column) = places.next().unwrap_or((item_start.line(), 1));
                NameRef { name, line, column }
            })
            .collect();
        out.push(Event { date, what, actors });
    }
    out
}

fn read_corrections(fields: &mut Fields) -> Vec<Correction> {
    let items = fields.list("corrections");
    let mut out = Vec::with_capacity(items.len());
    let mut cursor = fields.cursor("corrections");
    for item in items {
        let item_start = cursor;
        let note = item_string(&item, "note");
        let date_text = item_string(&item, "date");
        walk_item(fields, &mut cursor, &item);
        let date = date_text.as_deref().map(DateTime::parse);
        match (note, date) {
            (Some(note), Some(Ok(date))) => out.push(Correction { date, note }),
            (_, Some(Err(message))) => {
                let anchor = date_text.unwrap_or_default();
                fields.error_at(
                    Code::BadDate,
                    item_start,
                    &anchor,
                    format!("`corrections`: {message}"),
                );
            }
            _ => fields.error(
                Code::BadCorrection,
                "corrections",
                "a correction needs both `date` and `note`".to_string(),
                "write `- {date: 2023-11-16, note: An earlier version misspelled ...}`",
            ),
        }
    }
    out
}

pub fn read_actor(
    mut fields: Fields,
    origin: Origin,
    slug: String,
    body: String,
) -> (Option<ActorProfile>, crate::diagnostics::Diagnostics) {
    let name = fields.required_string("name", "add a line `name: Full Name`");
    let aliases = name_refs(&mut fields, "aliases");
    let kind = match fields.string("kind") {
        None => ActorKind::Other,
        Some(text) => ActorKind::parse(&text).unwrap_or_else(|| {
            fields.error(
                Code::BadKind,
                "kind",
                format!("unknown actor kind '{text}'"),
                "use one of person, organization, state, group, other",
            );
            ActorKind::Other
        }),
    };
    let role = fields.string("role");
    let affiliations = name_refs(&mut fields, "affiliations");
    let roles = read_roles(&mut fields);
    let ids = fields
        .map("ids")
        .into_iter()
        .filter_map(|(k, v)| v.scalar_text().map(|v| (k, v)))
        .collect();
    let links = fields
        .list("links")
        .into_iter()
        .filter_map(|item| match &item {
            Node::String(url) => Some(Link {
                title: url.clone(),
                url: url.clone(),
            }),
            _ => {
                let url = item_string(&item, "url")?;
                Some(Link {
                    title: item_string(&item, "title").unwrap_or_else(|| url.clone()),
                    url,
                })
            }
        })
        .collect();
    let (extra, diagnostics) = fields.finish(ACTOR_FIELDS);
    let actor = name.map(|name| ActorProfile {
        origin,
        slug,
        name,
        aliases,
        kind,
        role,
        affiliations,
        roles,
        ids,
        links,
        extra,
        body,
    });
    (actor, diagnostics)
}

fn read_roles(fields: &mut Fields) -> Vec<RoleSpan> {
    let items = fields.list("roles");
    let mut out = Vec::new();
    let mut cursor = fields.cursor("roles");
    for item in items {
        let item_start = cursor;
        walk_item(fields, &mut cursor, &item);
        let Some(title) = item_string(&item, "title") else {
            fields.error(
                Code::BadRole,
                "roles",
                "a role has no `title`".to_string(),
                "write `- {title: Minister of Defence, from: 2012-11, to: 2024-05}`",
            );
            continue;
        };
        let from = partial_in(fields, "roles", item_start, &item, "from");
        let to = partial_in(fields, "roles", item_start, &item, "to");
        out.push(RoleSpan { title, from, to });
    }
    out
}

pub fn read_topic(
    mut fields: Fields,
    origin: Origin,
    slug: String,
    body: String,
) -> (Option<TopicProfile>, crate::diagnostics::Diagnostics) {
    let name = fields.required_string("name", "add a line `name: Topic name`");
    let description = fields.string("description");
    let aliases = name_refs(&mut fields, "aliases");
    let (extra, diagnostics) = fields.finish(TOPIC_FIELDS);
    let topic = name.map(|name| TopicProfile {
        origin,
        slug,
        name,
        description,
        aliases,
        extra,
        body,
    });
    (topic, diagnostics)
}

pub fn read_page(
    mut fields: Fields,
    origin: Origin,
    file_slug: String,
    body: String,
) -> (Option<Page>, crate::diagnostics::Diagnostics) {
    let title = fields.required_string("title", "add a line `title: About us`");
    let summary = fields.string("summary");
    let slug_line = slug_line(&fields);
    let slug = read_slug(&mut fields, file_slug);
    let draft = fields.bool("draft");
    let aliases = name_refs(&mut fields, "aliases");
    let (extra, diagnostics) = fields.finish(PAGE_FIELDS);
    let page = match (title, slug) {
        (Some(title), Some(slug)) => Some(Page {
            origin,
            slug,
            slug_line,
            title,
            summary,
            draft,
            aliases,
            extra,
            body,
        }),
        _ => None,
    };
    (page, diagnostics)
}
