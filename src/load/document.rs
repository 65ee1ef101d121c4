//! The documents an editor writes, as typed values: what `load` hands to
//! `resolve`. Names of actors and topics are still the strings the editor
//! wrote (with where they wrote them); `resolve` turns them into ids.

use super::fields::{Fields, item_string, item_text};
use super::yaml::{Node, Pos, Value};
use crate::dates::{DateTime, PartialDate};
use crate::diagnostics::Code;
use crate::markdown::figure::FigureMeta;
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
    /// The profile's slug, when the editor named it (`{name: Georgia, id:
    /// georgia-country}`): the reference is then to that profile alone.
    pub id: Option<NameRef>,
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
    /// The line and column of the `slug` value, or (1, 1) when the slug
    /// comes from the file name.
    pub slug_at: (usize, usize),
    pub draft: bool,
    /// Old URLs that redirect here, as written.
    pub aliases: Vec<NameRef>,
    /// What the body's figures are (`figures:`), and the lead image.
    pub figures: Vec<FigureMeta>,
    pub image: Option<FigureMeta>,
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
    "figures",
    "image",
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
    /// What tells this actor apart from another of the same name ("state",
    /// "US state"), shown after the name: `Georgia (US state)`.
    pub disambiguation: Option<String>,
    /// Old URLs of the actor's page (an imported site's `/authors/jane/`),
    /// each redirected to it.
    pub redirect_from: Vec<NameRef>,
    pub affiliations: Vec<NameRef>,
    pub roles: Vec<RoleSpan>,
    pub ids: Vec<(String, String)>,
    pub links: Vec<Link>,
    /// A portrait or emblem.
    pub image: Option<FigureMeta>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const ACTOR_FIELDS: &[&str] = &[
    "name",
    "aliases",
    "kind",
    "role",
    "disambiguation",
    "redirect_from",
    "affiliations",
    "roles",
    "ids",
    "links",
    "image",
];

#[derive(Debug, Clone, PartialEq)]
pub struct TopicProfile {
    pub origin: Origin,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub aliases: Vec<NameRef>,
    /// Old URLs of the topic's page (an imported site's `/tags/sanctions/`),
    /// each redirected to it.
    pub redirect_from: Vec<NameRef>,
    /// An emblem.
    pub image: Option<FigureMeta>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const TOPIC_FIELDS: &[&str] = &["name", "description", "aliases", "redirect_from", "image"];

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub origin: Origin,
    pub slug: String,
    /// The line and column of the `slug` value, or (1, 1) when the slug
    /// comes from the file name.
    pub slug_at: (usize, usize),
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    /// Old URLs that redirect here, as written.
    pub aliases: Vec<NameRef>,
    pub figures: Vec<FigureMeta>,
    pub image: Option<FigureMeta>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: String,
}

pub const PAGE_FIELDS: &[&str] = &[
    "title", "summary", "slug", "draft", "aliases", "figures", "image",
];

/// How many actors, topics or events one briefing may name. Every actor
/// page shows the briefing's card with all its actors and topics, so the
/// output grows with the square of a briefing's names: past this limit a
/// briefing is an error (`too-many`), and only the first items are read.
pub const MAX_NAMES: usize = 1_000;

/// Keeps at most [`MAX_NAMES`] items of a list (`what`, written at `at`),
/// with a `too-many` error there when there are more.
fn at_most<T>(fields: &mut Fields, at: Pos, what: &str, mut items: Vec<T>) -> Vec<T> {
    if items.len() > MAX_NAMES {
        fields.error_at(
            Code::TooMany,
            at,
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

impl NameRef {
    fn new(name: String, at: Pos) -> NameRef {
        NameRef {
            name,
            line: at.line,
            column: at.column,
        }
    }
}

/// Reads the names in a list field (`actors`, `topics`, `aliases`, ...),
/// each with where it is written.
fn name_refs(fields: &mut Fields, key: &str) -> Vec<NameRef> {
    fields
        .strings(key)
        .into_iter()
        .map(|(name, at)| NameRef::new(name, at))
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
    // `summary: ""` (as `attache new` writes it) means "none": the first
    // paragraph stands in.
    let summary = fields.string("summary").filter(|s| !s.trim().is_empty());
    let actors = read_actor_refs(&mut fields);
    let topics = name_refs(&mut fields, "topics");
    let topics_at = fields.key_at("topics");
    let topics = at_most(&mut fields, topics_at, "`topics`", topics);
    let sources = read_sources(&mut fields);
    let events = read_events(&mut fields);
    let authors = fields
        .strings("authors")
        .into_iter()
        .map(|(author, _)| author)
        .collect();
    let corrections = read_corrections(&mut fields);
    let (slug, slug_at) = read_slug(&mut fields, file_slug);
    let draft = fields.bool("draft");
    let aliases = name_refs(&mut fields, "aliases");
    let figures = super::figures::read_figures(&mut fields);
    let image = super::figures::read_image(&mut fields);
    let (extra, diagnostics) = fields.finish(BRIEFING_FIELDS);
    // A missing or bad title or date is an error already reported, and
    // stops the build; the briefing is still read with a stand-in (the file
    // name, the date the file name starts with, else 1970-01-01) so that
    // the rest of the file (its actors, citations and links) is checked in
    // the same run.
    let title = title.or_else(|| {
        let stem = origin.path.file_stem()?.to_string_lossy().into_owned();
        Some(stem)
    });
    let date = date.or_else(|| {
        let stem = origin.path.file_stem()?.to_string_lossy().into_owned();
        let prefix = stem.get(..10).unwrap_or("");
        DateTime::parse(prefix)
            .or_else(|_| DateTime::parse("1970-01-01"))
            .ok()
    });
    // A slug with no letters (reported) stands in as `briefing`.
    let slug = slug.or_else(|| Some("briefing".to_string()));
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
            slug_at,
            draft,
            aliases,
            figures,
            image,
            extra,
            body,
        }),
        _ => None,
    };
    (briefing, diagnostics)
}

/// The URL slug: the `slug` field, or the file name without a leading
/// date; and where the slug is written ((1, 1) for the file name).
fn read_slug(fields: &mut Fields, file_slug: String) -> (Option<String>, (usize, usize)) {
    let (written, at) = match fields.string_at("slug") {
        Some((s, at)) => (s, Some(at)),
        None => (file_slug, None),
    };
    let slug_at = at.map_or((1, 1), |at| (at.line, at.column));
    let slug = crate::slug::slugify(&written);
    if slug.is_empty() {
        let what = if at.is_some() {
            "`slug`"
        } else {
            "the file name"
        };
        let at = at.unwrap_or_else(|| fields.key_at("slug"));
        fields.error_at(
            Code::BadSlug,
            at,
            format!("{what} '{written}' gives an empty URL segment"),
            "use letters or digits, e.g. `slug: russia-visit`",
        );
        return (None, slug_at);
    }
    (Some(slug), slug_at)
}

fn read_actor_refs(fields: &mut Fields) -> Vec<ActorRef> {
    let items = fields.list("actors");
    let actors_at = fields.key_at("actors");
    let items = at_most(fields, actors_at, "`actors`", items);
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let (name, id, role) = match &item.value {
            Value::Map(_) => {
                let id = item_text(&item, "id");
                // `{id: slug}` alone names the profile by its slug.
                let name = item_text(&item, "name").or_else(|| id.clone());
                (name, id, item_string(&item, "role"))
            }
            _ => (
                item.scalar_text()
                    .map(|s| (s.trim().to_string(), item.at))
                    .filter(|(s, _)| !s.is_empty()),
                None,
                None,
            ),
        };
        match name {
            Some((name, at)) => out.push(ActorRef {
                name: NameRef::new(name, at),
                id: id.map(|(id, at)| NameRef::new(id, at)),
                role,
            }),
            None => fields.error_at(
                Code::BadActor,
                item.at,
                "an item of `actors` has no name".to_string(),
                "write a name (`- Kim Jong Un`) or a mapping (`- {name: Kim Jong Un, role: host}`, or `- {name: Georgia, id: georgia-country}` for one of two namesakes)",
            ),
        }
    }
    out
}

fn read_sources(fields: &mut Fields) -> Vec<Source> {
    let items = fields.list("sources");
    let mut out = Vec::with_capacity(items.len());
    let mut ids = std::collections::HashSet::new();
    for item in items {
        let source = match &item.value {
            Value::String(url) => Source {
                url: Some(url.trim().to_string()),
                ..Source::default()
            },
            Value::Map(_) => Source {
                id: item_string(&item, "id"),
                title: item_string(&item, "title"),
                publisher: item_string(&item, "publisher"),
                author: item_string(&item, "author"),
                url: item_string(&item, "url"),
                date: partial_in(fields, "sources", &item, "date"),
                accessed: partial_in(fields, "sources", &item, "accessed"),
                archive_url: item_string(&item, "archive_url"),
                note: item_string(&item, "note"),
                ..Source::default()
            },
            _ => {
                fields.error_at(
                    Code::BadSource,
                    item.at,
                    format!("an item of `sources` is {}", item.kind_name()),
                    "write a URL or a mapping with title, publisher and url",
                );
                continue;
            }
        };
        // A bare URL is its own value; in a mapping each field has its own.
        let value_at = |field: &str| match &item.value {
            Value::Map(_) => item_text(&item, field).map(|(_, at)| at),
            _ => Some(item.at),
        };
        for (field, url) in [("url", &source.url), ("archive_url", &source.archive_url)] {
            if let Some(url) = url
                && let Err(message) = crate::urls::check_source_url(url)
            {
                let at = value_at(field).unwrap_or(item.at);
                fields.error_at(Code::BadUrl, at, format!("source `{field}`: {message}"), "");
            }
        }
        // The source is placed at what names it: its id, URL or title.
        let at = ["id", "url", "title"]
            .iter()
            .find_map(|field| value_at(field))
            .unwrap_or(item.at);
        let mut source = Source {
            line: at.line,
            column: at.column,
            ..source
        };
        if let Some(id) = &source.id
            && !ids.insert(id.clone())
        {
            fields.error_at(
                Code::DuplicateSourceId,
                at,
                format!("two sources have the id '{id}'; citations [@{id}] would be ambiguous"),
                "give each source its own `id`",
            );
            source.id = None;
        }
        if let Some((publisher, publisher_at)) = item_text(&item, "publisher") {
            let slug = crate::slug::slugify(&publisher);
            if crate::slug::windows_reserved(&slug) {
                let d = crate::slug::windows_reserved_warning(
                    fields.file(),
                    (publisher_at.line, publisher_at.column),
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
                at,
                "a source has none of title, publisher, url".to_string(),
                "",
            );
        }
        out.push(source);
    }
    out
}

/// A partial date inside a list item (under the field `key`); a bad one is
/// reported at its value and dropped.
fn partial_in(fields: &mut Fields, key: &str, item: &Node, field: &str) -> Option<PartialDate> {
    let (text, at) = item_text(item, field)?;
    match PartialDate::parse(&text) {
        Ok(date) => Some(date),
        Err(message) => {
            fields.error_at(
                Code::BadDate,
                at,
                format!("`{key}`: `{field}`: {message}"),
                "",
            );
            None
        }
    }
}

fn read_events(fields: &mut Fields) -> Vec<Event> {
    let items = fields.list("events");
    let events_at = fields.key_at("events");
    let items = at_most(fields, events_at, "`events`", items);
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let what = item_text(&item, "what");
        let date = partial_in(fields, "events", &item, "date");
        let Some((what, what_at)) = what else {
            fields.error_at(
                Code::BadEvent,
                item.at,
                "an event has no `what`".to_string(),
                "write `- {date: 2023-11-14, what: Delegation arrives, actors: [..]}`",
            );
            continue;
        };
        let Some(date) = date else {
            if item_string(&item, "date").is_none() {
                fields.error_at(
                    Code::BadEvent,
                    what_at,
                    format!("the event '{what}' has no `date`"),
                    "",
                );
            }
            continue;
        };
        let actor_nodes = match item.get("actors") {
            Some(Node {
                value: Value::List(items),
                at,
            }) => at_most(fields, *at, "an event's `actors`", items.iter().collect()),
            Some(node) if !node.is_null() => vec![node],
            _ => Vec::new(),
        };
        let actors = actor_nodes
            .into_iter()
            .filter_map(|node| node.scalar_text().map(|name| NameRef::new(name, node.at)))
            .collect();
        out.push(Event { date, what, actors });
    }
    out
}

fn read_corrections(fields: &mut Fields) -> Vec<Correction> {
    let items = fields.list("corrections");
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let note = item_string(&item, "note");
        let date = item_text(&item, "date");
        match (note, date) {
            (note, Some((text, at))) => match (note, DateTime::parse(&text)) {
                (Some(note), Ok(date)) => out.push(Correction { date, note }),
                (_, Err(message)) => {
                    fields.error_at(Code::BadDate, at, format!("`corrections`: {message}"), "")
                }
                (None, Ok(_)) => missing_correction_part(fields, &item),
            },
            _ => missing_correction_part(fields, &item),
        }
    }
    out
}

fn missing_correction_part(fields: &mut Fields, item: &Node) {
    fields.error_at(
        Code::BadCorrection,
        item.at,
        "a correction needs both `date` and `note`".to_string(),
        "write `- {date: 2023-11-16, note: An earlier version misspelled ...}`",
    );
}

pub fn read_actor(
    mut fields: Fields,
    origin: Origin,
    slug: String,
    body: String,
) -> (Option<ActorProfile>, crate::diagnostics::Diagnostics) {
    let name = fields.required_string("name", "add a line `name: Full Name`");
    let aliases = name_refs(&mut fields, "aliases");
    let kind = match fields.string_at("kind") {
        None => ActorKind::Other,
        Some((text, at)) => ActorKind::parse(&text).unwrap_or_else(|| {
            fields.error_at(
                Code::BadKind,
                at,
                format!("unknown actor kind '{text}'"),
                "use one of person, organization, state, group, other",
            );
            ActorKind::Other
        }),
    };
    let role = fields.string("role");
    let disambiguation = fields.string("disambiguation");
    let redirect_from = name_refs(&mut fields, "redirect_from");
    let affiliations = name_refs(&mut fields, "affiliations");
    let roles = read_roles(&mut fields);
    let ids = fields
        .map("ids")
        .into_iter()
        .filter_map(|e| e.value.scalar_text().map(|v| (e.key, v)))
        .collect();
    let links = fields
        .list("links")
        .into_iter()
        .filter_map(|item| match &item.value {
            Value::String(url) => Some(Link {
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
    let image = super::figures::read_image(&mut fields);
    let (extra, diagnostics) = fields.finish(ACTOR_FIELDS);
    let actor = name.map(|name| ActorProfile {
        origin,
        slug,
        name,
        aliases,
        kind,
        role,
        disambiguation,
        redirect_from,
        affiliations,
        roles,
        ids,
        links,
        image,
        extra,
        body,
    });
    (actor, diagnostics)
}

fn read_roles(fields: &mut Fields) -> Vec<RoleSpan> {
    let items = fields.list("roles");
    let mut out = Vec::new();
    for item in items {
        let Some(title) = item_string(&item, "title") else {
            fields.error_at(
                Code::BadRole,
                item.at,
                "a role has no `title`".to_string(),
                "write `- {title: Minister of Defence, from: 2012-11, to: 2024-05}`",
            );
            continue;
        };
        let from = partial_in(fields, "roles", &item, "from");
        let to = partial_in(fields, "roles", &item, "to");
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
    let redirect_from = name_refs(&mut fields, "redirect_from");
    let image = super::figures::read_image(&mut fields);
    let (extra, diagnostics) = fields.finish(TOPIC_FIELDS);
    let topic = name.map(|name| TopicProfile {
        origin,
        slug,
        name,
        description,
        aliases,
        redirect_from,
        image,
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
    // `summary: ""` (as `attache new` writes it) means "none": the first
    // paragraph stands in.
    let summary = fields.string("summary").filter(|s| !s.trim().is_empty());
    let (slug, slug_at) = read_slug(&mut fields, file_slug);
    let draft = fields.bool("draft");
    let aliases = name_refs(&mut fields, "aliases");
    let figures = super::figures::read_figures(&mut fields);
    let image = super::figures::read_image(&mut fields);
    let (extra, diagnostics) = fields.finish(PAGE_FIELDS);
    let page = match (title, slug) {
        (Some(title), Some(slug)) => Some(Page {
            origin,
            slug,
            slug_at,
            title,
            summary,
            draft,
            aliases,
            figures,
            image,
            extra,
            body,
        }),
        _ => None,
    };
    (page, diagnostics)
}
