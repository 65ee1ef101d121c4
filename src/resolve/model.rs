//! The site model: what `resolve` produces and `render` reads.
//!
//! After `resolve`, every actor, topic and briefing reference is an id (an
//! index into the vectors of [`Site`]); nothing downstream sees a raw name.
//! Briefings are ordered newest first, actors and topics by slug, so every
//! list derived from them is deterministic.

use crate::config::Config;
use crate::dates::{DateTime, PartialDate};
use crate::load::document::{self, ActorKind, Correction, Link, RoleSpan, Source};
use crate::markdown::Heading;

/// A typed index into one of `Site`'s vectors: the type says which, so an
/// actor's index cannot be used to pick a topic.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id of the item at `index` of its vector.
            pub fn from_index(index: usize) -> $name {
                $name(u32::try_from(index).expect("fewer than 2^32 items of a kind"))
            }

            /// Where the item is in its vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// An actor: `Site::actor`.
    ActorId
);
id!(
    /// A topic: `Site::topic`.
    TopicId
);
id!(
    /// A briefing: `Site::briefing`; smaller is newer.
    BriefingId
);
id!(
    /// A publisher: `Site::publisher`.
    PublisherId
);
id!(
    /// A standalone page: `Site::page`.
    PageId
);

/// The ids of a vector of `len` items, in order.
fn ids<T>(len: usize, id: fn(usize) -> T) -> impl ExactSizeIterator<Item = T> {
    (0..len).map(id)
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// The commit the site is built from, when git history is read.
    pub commit: Option<String>,
    /// Newest first (date, then slug). Shared: `serve` makes the site of
    /// an edit to some briefings' bodies from the last one, sharing the
    /// briefings it kept.
    pub briefings: Vec<std::sync::Arc<Briefing>>,
    /// By slug. (This and the lists below are shared with the sites
    /// `serve` patches from this one.)
    pub actors: std::sync::Arc<Vec<Actor>>,
    /// By slug.
    pub topics: std::sync::Arc<Vec<Topic>>,
    /// By slug.
    pub pages: std::sync::Arc<Vec<Page>>,
    /// Publishers cited by sources, by slug.
    pub publishers: std::sync::Arc<Vec<Publisher>>,
    /// Every event of every briefing, newest first.
    pub timeline: std::sync::Arc<Vec<EventRef>>,
    /// Links from bodies to pages and files of the site, checked against
    /// the output once it is rendered.
    pub site_links: Vec<SiteLink>,
    /// Old URLs and where they now lead, by old URL.
    pub redirects: std::sync::Arc<Vec<Redirect>>,
    /// The image files some page shows, by source path, each with the
    /// files it is published as.
    pub pictures: std::sync::Arc<Vec<PublishedPicture>>,
}

/// An image file the site publishes, and the files made of it.
#[derive(Debug, Clone)]
pub struct PublishedPicture {
    /// The file to read.
    pub file: std::path::PathBuf,
    /// Relative to the site root.
    pub source: std::path::PathBuf,
    pub probe: crate::media::Probe,
    /// Each published file, with its site path.
    pub variants: Vec<(crate::media::Variant, String)>,
}

impl PublishedPicture {
    /// Each published file's site path and its file in the image cache,
    /// made now if the cache does not hold it.
    pub fn make(
        &self,
        store: &crate::media::Store,
        settings: &crate::media::Settings,
    ) -> Result<Vec<(String, std::path::PathBuf)>, crate::media::Problem> {
        let stem = self
            .source
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("image");
        let made = store.produce(&self.file, &self.probe, settings, stem)?;
        Ok(made
            .into_iter()
            .map(|(variant, file)| (crate::routes::media_file(&variant.name), file))
            .collect())
    }
}

/// A picture a page shows on its own: a briefing's lead image, a profile's
/// portrait or emblem.
pub use crate::markdown::figure::Lead as Image;

/// A link written in a body to a page or file of the site.
#[derive(Debug, Clone)]
pub struct SiteLink {
    pub file: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
    pub written: String,
    /// Relative to the site root: `about/`, `style.css`.
    pub site_path: String,
}

impl Site {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }
    pub fn topic(&self, id: TopicId) -> &Topic {
        &self.topics[id.index()]
    }
    pub fn briefing(&self, id: BriefingId) -> &Briefing {
        &self.briefings[id.index()]
    }
    pub fn publisher(&self, id: PublisherId) -> &Publisher {
        &self.publishers[id.index()]
    }
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.index()]
    }
    /// The publisher a source names, however spelt (`The Moscow Times`
    /// and `the moscow times` are one), as `resolve` merged them by slug.
    pub fn publisher_named(&self, name: &str) -> Option<&Publisher> {
        let slug = crate::slug::slugify(name);
        self.publishers
            .binary_search_by(|p| p.slug.as_str().cmp(&slug))
            .ok()
            .map(|i| &self.publishers[i])
    }
    /// Every briefing, newest first.
    pub fn briefing_ids(&self) -> impl ExactSizeIterator<Item = BriefingId> + use<> {
        ids(self.briefings.len(), BriefingId::from_index)
    }
    /// Every actor, by slug.
    pub fn actor_ids(&self) -> impl ExactSizeIterator<Item = ActorId> + use<> {
        ids(self.actors.len(), ActorId::from_index)
    }
    /// Every topic, by slug.
    pub fn topic_ids(&self) -> impl ExactSizeIterator<Item = TopicId> + use<> {
        ids(self.topics.len(), TopicId::from_index)
    }
    /// Every publisher, by slug.
    pub fn publisher_ids(&self) -> impl ExactSizeIterator<Item = PublisherId> + use<> {
        ids(self.publishers.len(), PublisherId::from_index)
    }
    /// Every standalone page, by slug.
    pub fn page_ids(&self) -> impl ExactSizeIterator<Item = PageId> + use<> {
        ids(self.pages.len(), PageId::from_index)
    }
    pub fn event(&self, r: EventRef) -> &Event {
        &self.briefing(r.briefing).events[r.index as usize]
    }
}

/// One event of one briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventRef {
    pub briefing: BriefingId,
    /// Which of the briefing's events (`Site::event` reads it).
    pub(super) index: u32,
}

/// A publisher named by the `publisher` of some source.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub slug: String,
    /// `sources/slug/`.
    pub path: String,
    pub name: String,
    /// Briefings citing it, newest first.
    pub briefings: Vec<BriefingId>,
    /// How many sources name it, over all briefings.
    pub citations: usize,
}

/// An actor named by a briefing, with the role the briefing gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub actor: ActorId,
    pub role: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub date: PartialDate,
    pub what: String,
    pub actors: Vec<ActorId>,
}

/// A rendered Markdown body (shared: `serve` reuses the bodies of its last
/// build without copying them).
#[derive(Debug, Clone, Default)]
pub struct Body(std::sync::Arc<crate::markdown::Rendered>);

impl Body {
    pub fn new(rendered: std::sync::Arc<crate::markdown::Rendered>) -> Body {
        Body(rendered)
    }

    /// The HTML, unpacked (see `packed`).
    pub fn html(&self) -> String {
        self.0.html()
    }

    /// The rendered body, shared.
    pub(crate) fn rendered(&self) -> &std::sync::Arc<crate::markdown::Rendered> {
        &self.0
    }

    pub fn headings(&self) -> &[Heading] {
        &self.0.headings
    }

    /// Plain text (trimmed), for the search index.
    pub fn text(&self) -> String {
        self.0.text()
    }

    /// The body's first figure.
    pub fn lead(&self) -> Option<Image> {
        self.0.lead.clone()
    }

    /// The images the body shows, in order.
    pub fn images(&self) -> &[crate::markdown::figure::ImageUse] {
        &self.0.images
    }
}

#[derive(Debug, Clone)]
pub struct Briefing {
    /// Site-relative path of the page, `briefings/2023/slug/`.
    pub path: String,
    pub source_path: std::path::PathBuf,
    pub slug: String,
    pub title: String,
    pub date: DateTime,
    pub updated: Option<DateTime>,
    /// When the file was first committed (with `git: true`).
    pub first_committed: Option<DateTime>,
    /// Its most recent commits, newest first (at most `git.history`).
    pub history: Vec<crate::load::git::Revision>,
    /// How many commits touched the file in all.
    pub revision_count: usize,
    /// The editor's summary, or the body's first paragraph.
    pub summary: String,
    /// Whether `summary` was written by the editor (and so is not already
    /// the opening of the body).
    pub summary_written: bool,
    pub actors: Vec<Mention>,
    pub topics: Vec<TopicId>,
    pub sources: Vec<Source>,
    /// For each source, how often the body cites it.
    pub citation_counts: Vec<usize>,
    pub events: Vec<Event>,
    pub authors: Vec<String>,
    pub corrections: Vec<Correction>,
    pub aliases: Vec<String>,
    pub draft: bool,
    /// The lead image: `image:`, else the body's first figure.
    pub image: Option<Image>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Body,
    /// Briefings this one links to with `[[briefing:...]]`, in order, once each.
    pub links_to: Vec<BriefingId>,
    /// Briefings that link here, newest first.
    pub linked_from: Vec<BriefingId>,
    /// The most related briefings, best first (see `graph`).
    pub related: Vec<BriefingId>,
}

impl Briefing {
    /// The last substantive change: `updated`, else the newest correction,
    /// else the publication date.
    pub fn last_modified(&self) -> DateTime {
        let corrected = self.corrections.iter().map(|c| c.date).max();
        [Some(self.date), self.updated, corrected]
            .into_iter()
            .flatten()
            .max()
            .expect("the publication date is always present")
    }
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub slug: String,
    /// `actors/slug/`.
    pub path: String,
    pub name: String,
    /// How pages show the actor: its name, and for one of namesakes what
    /// tells it apart (`Georgia (US state)`).
    pub label: String,
    pub aliases: Vec<String>,
    pub kind: ActorKind,
    pub role: Option<String>,
    /// Present when the actor has a file in `content/actors/`.
    pub profile: Option<ActorProfile>,
    /// The profile's portrait or emblem.
    pub image: Option<Image>,
    pub affiliations: Vec<ActorId>,
    /// Actors that name this one among their affiliations.
    pub affiliated: Vec<ActorId>,
    /// Briefings naming the actor, newest first.
    pub briefings: Vec<BriefingId>,
    /// Actors sharing the most briefings with this one, with the count.
    pub peers: Vec<(ActorId, u32)>,
    /// Topics of its briefings, most frequent first, with the count.
    pub topics: Vec<(TopicId, u32)>,
    /// Events naming the actor, and events naming no actor in briefings
    /// that name it; newest first.
    pub events: Vec<EventRef>,
}

impl Actor {
    /// The role the actor held on `date`: from the profile's `roles` (the
    /// latest one spanning the date), else its `role`.
    pub fn role_on(&self, date: PartialDate) -> Option<&str> {
        let spanning = self.profile.as_ref().and_then(|p| {
            p.roles
                .iter()
                .filter(|r| {
                    r.from.is_none_or(|from| from <= date || covers(from, date))
                        && r.to.is_none_or(|to| date <= to || covers(to, date))
                })
                .max_by_key(|r| r.from)
        });
        spanning.map(|r| r.title.as_str()).or(self.role.as_deref())
    }
}

/// Whether the partial date `outer` (`2023-11`) contains `date` (`2023-11-14`).
fn covers(outer: PartialDate, date: PartialDate) -> bool {
    outer.year == date.year
        && outer.month.is_none_or(|m| Some(m) == date.month)
        && outer.day.is_none_or(|d| Some(d) == date.day)
}

#[derive(Debug, Clone)]
pub struct ActorProfile {
    pub source_path: std::path::PathBuf,
    pub roles: Vec<RoleSpan>,
    pub ids: Vec<(String, String)>,
    pub links: Vec<Link>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    /// `topics/slug/`.
    pub path: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub has_profile: bool,
    /// The profile's emblem.
    pub image: Option<Image>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Body,
    /// Briefings on the topic, newest first.
    pub briefings: Vec<BriefingId>,
    /// Actors most present in the topic's briefings, with the count.
    pub actors: Vec<(ActorId, u32)>,
    /// Topics sharing the most briefings with this one, with the count.
    pub related: Vec<(TopicId, u32)>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    /// `slug/`.
    pub path: String,
    pub source_path: std::path::PathBuf,
    pub title: String,
    pub summary: Option<String>,
    pub aliases: Vec<String>,
    pub image: Option<Image>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Body,
}

/// An old URL that redirects to a page (from a document's `aliases`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Site path of the old URL: `2023/11/old-slug/` or `old.html`.
    pub from: String,
    /// Site path of the page it now lives at.
    pub to: String,
    /// The document whose `aliases` names it, and where.
    pub source_path: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
}

impl From<&document::Page> for Page {
    fn from(p: &document::Page) -> Self {
        Page {
            path: crate::routes::page(&p.slug),
            slug: p.slug.clone(),
            source_path: p.origin.path.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            aliases: p.aliases.iter().map(|a| a.name.clone()).collect(),
            image: None,
            extra: p.extra.clone(),
            body: Body::default(),
        }
    }
}
