//! The Markdown boundary: the only module that knows pulldown-cmark.
//!
//! A body goes in with a way to resolve `[[...]]` links and the briefing's
//! source ids; HTML comes out, with everything the later stages need to know
//! about the body (its first paragraph, headings, the links and citations it
//! holds and where). Problems are returned as byte offsets into the body;
//! the caller turns them into file positions.

pub mod autolink;
pub mod figure;
pub mod highlight;
mod sanitize;
pub mod scan;
pub mod typography;

/// How deep elements may nest in a body whose raw HTML is sanitised.
pub const MAX_HTML_DEPTH: usize = sanitize::MAX_DEPTH;

use crate::packed::PackedText;
use crate::slug::slugify;
use figure::{FigureMeta, ImageUse, Lead, Picture};
use highlight::{CodeStyle, Highlighter};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::sync::Arc;

/// What a `[[...]]` link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WikiKind {
    Actor,
    Topic,
    Briefing,
}

impl WikiKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WikiKind::Actor => "actor",
            WikiKind::Topic => "topic",
            WikiKind::Briefing => "briefing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WikiTarget {
    pub kind: WikiKind,
    pub name: String,
}

impl WikiTarget {
    /// `topic:Sanctions`, `briefing:slug`, `actor:Name` or a bare actor name.
    /// White space in the name, a line break included, is one space.
    pub fn parse(dest: &str) -> WikiTarget {
        let dest = dest.trim();
        let (kind, name) = match dest.split_once(':') {
            Some((prefix, rest)) => match prefix.trim().to_lowercase().as_str() {
                "topic" => (WikiKind::Topic, rest),
                "briefing" => (WikiKind::Briefing, rest),
                "actor" => (WikiKind::Actor, rest),
                _ => (WikiKind::Actor, dest),
            },
            None => (WikiKind::Actor, dest),
        };
        WikiTarget {
            kind,
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

/// Where a resolved `[[...]]` link goes, and the text to show when the editor
/// gave no label (a topic's name, a briefing's title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedLink {
    pub url: String,
    pub label: String,
}

/// One `[[...]]` in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiUse {
    pub target: WikiTarget,
    pub offset: usize,
    pub resolved: bool,
}

/// One `[@id]` in the body; `number` is the source's 1-based position, or
/// `None` if the briefing has no source with that id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteUse {
    pub id: String,
    pub offset: usize,
    pub number: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Kept packed: an archive's bodies are the bulk of the site model.
    pub html: PackedText,
    /// The first paragraph as plain text: the default summary.
    pub first_paragraph: Option<String>,
    /// The body as plain text, at most `TEXT_LIMIT` bytes, for the search
    /// index (packed).
    pub text: PackedText,
    pub headings: Vec<Heading>,
    pub wikilinks: Vec<WikiUse>,
    pub citations: Vec<CiteUse>,
    /// For each source (by position), how many times the body cites it.
    pub citation_counts: Vec<usize>,
    /// Links to pages and files of the site, for checking.
    pub local_links: Vec<LocalLink>,
    /// Byte offsets of the fenced code blocks shown without highlighting
    /// because the body had highlighted [`HIGHLIGHT_LIMIT`] bytes already.
    pub unhighlighted: Vec<usize>,
    /// Where the first raw HTML is, when the body nests too deep to be
    /// sanitised in reasonable time: its raw HTML is then shown as text.
    pub raw_html_too_deep: Option<usize>,
    /// The images the body shows from the site's own files (and those it
    /// names that do not exist), in order.
    pub images: Vec<ImageUse>,
    /// The first figure, the lead image when the front matter names none.
    pub lead: Option<Lead>,
}

impl Rendered {
    /// The body's HTML.
    pub fn html(&self) -> String {
        self.html.unpack()
    }

    /// The body as plain text (see `text`).
    pub fn text(&self) -> String {
        self.text.unpack()
    }
}

/// A link from the body to a page or file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// As written.
    pub written: String,
    /// The site path it leads to (`about/`, `style.css`), or `None` for a
    /// link to a content file that does not exist.
    pub site_path: Option<String>,
    pub offset: usize,
}

/// What becomes of raw HTML written in a Markdown body (`markdown.raw_html`
/// in `attache.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Kept, but through a sanitiser (see `sanitize.rs`): safe markup stays,
    /// scripts, event handlers, frames, forms and script URLs go.
    #[default]
    Sanitize,
    /// Passed through as written, for desks that trust every editor.
    Allow,
    /// Shown as text.
    Escape,
}

/// What the body needs from the rest of the site.
pub struct BodyEnv<'a> {
    /// Prefix for root-relative links (`/` or `/preview/`).
    pub base_path: &'a str,
    pub highlighter: &'a Highlighter,
    pub resolve: &'a (dyn Fn(&WikiTarget) -> Option<ResolvedLink> + Sync),
    /// The `id` of each of the document's sources, by position.
    pub source_ids: &'a [Option<String>],
    /// Links actor names in running text, when the site asks for it.
    pub autolink: Option<&'a autolink::Autolinker>,
    /// The URL of the page the body is on (an actor's profile is never
    /// linked to itself).
    pub own_url: Option<&'a str>,
    /// The site path (`briefings/2023/visit/`) of a content file named by a
    /// link relative to this document (`../2023/2023-11-15-visit.md`).
    pub content_link: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// What to do with raw HTML in the body.
    pub raw_html: RawHtml,
    /// The picture an image path written in the body (relative to the
    /// document, or `/`-rooted in `content/`) names, if any.
    pub image: &'a (dyn Fn(&str) -> Option<Arc<Picture>> + Sync),
    /// What the front matter says of the body's figures (`figures:`).
    pub figures: &'a [FigureMeta],
    /// Straight quotes, `--`, `---` and `...` become curly quotes and
    /// apostrophes, en and em dashes and an ellipsis (not in code).
    pub smart_punctuation: bool,
}

const CITE_PREFIX: &str = "attache-cite:";

/// How much of a body's plain text is kept for the search index.
pub const TEXT_LIMIT: usize = 1500;

/// How many bytes of code one body may have highlighted. Highlighting
/// wraps every token in a `<span>`, which makes code dozens of times larger
/// (12 MB of code became 466 MB of pages and feeds); code past the limit
/// is shown escaped, as plain text.
pub const HIGHLIGHT_LIMIT: usize = 256 * 1024;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders a Markdown body to HTML.
pub fn render(markdown: &str, env: &BodyEnv) -> Rendered {
    let mut on_broken = |link: pulldown_cmark::BrokenLink<'_>| {
        let reference = link.reference.trim();
        reference
            .strip_prefix('@')
            .filter(|id| !id.is_empty() && !id.contains(char::is_whitespace))
            .map(|id| (format!("{CITE_PREFIX}{id}").into(), CowStr::Borrowed("")))
    };
    let mut options = options();
    options.set(Options::ENABLE_SMART_PUNCTUATION, env.smart_punctuation);
    let parser = Parser::new_with_broken_link_callback(markdown, options, Some(&mut on_broken));
    let mut out = Rendered {
        citation_counts: vec![0; env.source_ids.len()],
        ..Rendered::default()
    };
    let mut events: Vec<Event> = Vec::new();
    let mut state = State::default();
    for (i, id) in env.source_ids.iter().enumerate() {
        if let Some(id) = id {
            state.source_index.entry(id.clone()).or_insert(i);
        }
    }
    let mut first_raw: Option<usize> = None;
    for (event, range) in parser.into_offset_iter() {
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if env.raw_html == RawHtml::Escape => {
                Event::Text(html)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                first_raw.get_or_insert(range.start);
                event
            }
            other => other,
        };
        state.step(event, range.start, env, &mut out, &mut events);
    }
    state.end_run(env, &mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Without raw HTML the body is markup attache made, safe as it is; with
    // some, the whole body goes through the sanitiser, so that an element
    // opened in one piece of raw HTML and closed in another is judged whole.
    if let Some(offset) = first_raw.filter(|_| env.raw_html == RawHtml::Sanitize) {
        if sanitize::too_deep(&html) {
            let escaped = BodyEnv {
                raw_html: RawHtml::Escape,
                ..*env
            };
            let mut out = render(markdown, &escaped);
            out.raw_html_too_deep = Some(offset);
            return out;
        }
        html = sanitize::clean(&html);
    }
    out.html = PackedText::pack(&html);
    state.finish_text(&mut out);
    out
}

type HeadingStart<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
);

struct PendingHeading<'a> {
    start: HeadingStart<'a>,
    events: Vec<(Event<'a>, usize)>,
    text: String,
}

#[derive(Default)]
struct State<'a> {
    /// A heading being collected: its start, its events with their
    /// offsets, and its plain text (for the id).
    heading: Option<PendingHeading<'a>>,
    code: Option<(String, String)>,
    /// Where the code block being collected starts.
    code_start: usize,
    heading_ids: HashMap<String, usize>,
    /// What closes each open link: an HTML string, or `None` for a link
    /// pulldown-cmark renders itself.
    link_ends: Vec<Option<&'static str>>,
    /// Inside a citation or a replaced label: inner events are dropped.
    skipping: usize,
    block_depth: usize,
    in_heading: bool,
    /// Open elements of raw inline HTML: text inside them is not autolinked.
    html_depth: usize,
    /// URLs of actors already linked in this document.
    linked: std::collections::HashSet<String>,
    /// Running text not yet written, for the autolinker: the text events
    /// and soft line breaks between two other events (smart punctuation
    /// makes each quote an event of its own; a name may span a line).
    run: Vec<Event<'a>>,
    in_first_paragraph: bool,
    first_paragraph: Option<String>,
    text: String,
    /// Each source id's position (the first source with it).
    source_index: HashMap<String, usize>,
    /// Bytes of code highlighted so far.
    highlighted: usize,
    /// An image of the site's being read: its alt text is collected.
    image: Option<PendingImage>,
    /// The paragraph being written, to tell a figure (an image alone in
    /// its paragraph) from an image in text.
    paragraph: Option<ParagraphMark>,
    /// Pictures shown so far: every one after the first loads lazily.
    pictures_shown: usize,
}

struct PendingImage {
    written: String,
    title: String,
    offset: usize,
    picture: Arc<Picture>,
    alt: String,
}

/// Where a paragraph's events start, and what it holds so far.
#[derive(Default)]
struct ParagraphMark {
    start: usize,
    was_first: bool,
    images: usize,
    other: bool,
    /// The site picture in it: its use's index, caption and laziness.
    picture: Option<(usize, Option<String>, bool)>,
}

impl<'a> State<'a> {
    /// Takes the next event of the body (at byte `offset`): collects
    /// headings and code blocks whole, and transforms the rest.
    fn step(
        &mut self,
        event: Event<'a>,
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        if !matches!(event, Event::Text(_) | Event::SoftBreak) {
            self.end_run(env, events);
        }
        if self.heading.is_some() {
            self.heading_event(event, offset, env, out, events);
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(PendingHeading {
                    start: (level, id, classes, attrs),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(lang) => lang.to_string(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                self.code_start = offset;
            }
            Event::Text(text) if self.code.is_some() => {
                self.code
                    .as_mut()
                    .expect("inside a code block")
                    .1
                    .push_str(&text);
            }
            Event::End(TagEnd::CodeBlock) => self.code_block(env, out, events),
            other => self.transform(other, offset, env, out, events),
        }
    }

    /// An event inside a heading: kept until the heading ends, since its
    /// id comes from its whole text.
    fn heading_event(
        &mut self,
        event: Event<'a>,
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        let Event::End(TagEnd::Heading(level)) = event else {
            let buffered = self.heading.as_mut().expect("inside a heading");
            if let Event::Text(t) | Event::Code(t) = &event {
                buffered.text.push_str(t);
            }
            buffered.events.push((event, offset));
            return;
        };
        let PendingHeading {
            start,
            events: inner,
            text,
        } = self.heading.take().expect("inside a heading");
        let id = self.heading_id(start.1.as_deref(), &text);
        out.headings.push(Heading {
            level: heading_number(level),
            id: id.clone(),
            text: text.trim().to_string(),
        });
        // Of a heading's attributes (`# H {#id .class key=value}`)
        // only the id and classes are kept: a `key=value` could
        // be an event handler (`onclick=...`).
        events.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes: start.2,
            attrs: Vec::new(),
        }));
        self.in_heading = true;
        for (e, offset) in inner {
            self.transform(e, offset, env, out, events);
        }
        self.in_heading = false;
        self.push_text(" ");
        events.push(Event::End(TagEnd::Heading(level)));
    }

    /// The end of a code block: highlighted while the body's budget
    /// lasts, else shown escaped.
    fn code_block(&mut self, env: &BodyEnv, out: &mut Rendered, events: &mut Vec<Event<'a>>) {
        let (lang, code) = self.code.take().unwrap_or_default();
        let style = if self.highlighted + code.len() <= HIGHLIGHT_LIMIT {
            self.highlighted += code.len();
            CodeStyle::Highlighted
        } else {
            if env.highlighter.knows(&lang) {
                out.unhighlighted.push(self.code_start);
            }
            CodeStyle::Plain
        };
        let html = env.highlighter.block(&lang, &code, style);
        events.push(Event::Html(html.into()));
    }

    /// The plain text (for the search index, cut at `TEXT_LIMIT`) and the
    /// first paragraph, once the body is rendered.
    fn finish_text(self, out: &mut Rendered) {
        let mut text = collapse_whitespace(&self.text);
        if text.len() > TEXT_LIMIT {
            let mut end = TEXT_LIMIT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        out.text = PackedText::pack(&text);
        out.first_paragraph = self
            .first_paragraph
            .map(|p| collapse_whitespace(&p))
            .filter(|p| !p.is_empty());
    }

    fn heading_id(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let slug = slugify(text);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let count = self.heading_ids.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{}", *count - 1)
        }
    }

    fn transform(
        &mut self,
        event: Event<'a>,
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        if self.image.is_some() {
            match event {
                Event::Text(t) | Event::Code(t) => self
                    .image
                    .as_mut()
                    .expect("an image is open")
                    .alt
                    .push_str(&t),
                Event::End(TagEnd::Image) => self.finish_image(env, out, events),
                _ => {}
            }
            return;
        }
        if let Some(mark) = &mut self.paragraph {
            match &event {
                Event::Start(Tag::Image { .. }) => mark.images += 1,
                Event::End(TagEnd::Paragraph) | Event::SoftBreak | Event::HardBreak => {}
                Event::Text(t) if t.trim().is_empty() => {}
                _ => mark.other = true,
            }
        }
        if self.observe(&event, events) {
            self.emit(event, offset, env, out, events);
        }
    }

    /// The start of an image: one of the site's pictures is collected (its
    /// alt text) and written when it ends; a relative path that names no
    /// picture is noted (`missing-image`); any other image is written as
    /// pulldown-cmark writes it.
    fn start_image(
        &mut self,
        image: (LinkType, CowStr<'a>, CowStr<'a>, CowStr<'a>),
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        let (link_type, dest_url, title, id) = image;
        if figure::is_local(&dest_url) {
            let path = dest_url.split(['#', '?']).next().unwrap_or_default();
            match (env.image)(path) {
                Some(picture) => {
                    self.image = Some(PendingImage {
                        written: path.to_string(),
                        title: title.to_string(),
                        offset,
                        picture,
                        alt: String::new(),
                    });
                    return;
                }
                None if !dest_url.starts_with('/') => out.images.push(ImageUse {
                    written: path.to_string(),
                    offset,
                    picture: None,
                    figure: false,
                    alt: String::new(),
                    decorative: false,
                    credited: false,
                }),
                None => {}
            }
        }
        events.push(Event::Start(Tag::Image {
            link_type,
            dest_url: local_link(dest_url, offset, env, out),
            title,
            id,
        }));
    }

    /// The end of a site picture: written as an inline `<img>` (or
    /// `<picture>`); its paragraph's end makes it a figure if it is alone.
    fn finish_image(&mut self, env: &BodyEnv, out: &mut Rendered, events: &mut Vec<Event<'a>>) {
        let image = self.image.take().expect("an image is open");
        let meta = env.figures.iter().find(|m| m.src == image.written);
        let alt = match image.alt.trim() {
            "" => meta.and_then(|m| m.alt.clone()).unwrap_or_default(),
            alt => alt.to_string(),
        };
        let caption = match image.title.trim() {
            "" => meta.and_then(|m| m.caption.clone()),
            title => Some(title.to_string()),
        };
        let lazy = self.pictures_shown > 0;
        self.pictures_shown += 1;
        let mut html = String::new();
        figure::picture_html(
            &mut html,
            &image.picture,
            alt.trim(),
            lazy,
            figure::BODY_SIZES,
        );
        if let Some(mark) = &mut self.paragraph {
            mark.picture = Some((out.images.len(), caption, lazy));
        }
        out.images.push(ImageUse {
            written: image.written,
            offset: image.offset,
            picture: Some(image.picture),
            figure: false,
            alt: alt.trim().to_string(),
            decorative: meta.is_some_and(|m| m.decorative),
            credited: meta
                .and_then(|m| m.credit.as_deref())
                .is_some_and(|c| !c.trim().is_empty()),
        });
        events.push(Event::InlineHtml(html.into()));
    }

    /// The end of a paragraph: one holding a site picture alone becomes a
    /// `<figure>` (and is not the body's first paragraph, its summary).
    fn end_paragraph(&mut self, env: &BodyEnv, out: &mut Rendered, events: &mut Vec<Event<'a>>) {
        let Some(mark) = self.paragraph.take() else {
            events.push(Event::End(TagEnd::Paragraph));
            return;
        };
        let Some((index, caption, lazy)) = mark.picture.filter(|_| !mark.other && mark.images == 1)
        else {
            events.push(Event::End(TagEnd::Paragraph));
            return;
        };
        let image = &mut out.images[index];
        image.figure = true;
        let picture = image.picture.clone().expect("a site picture");
        let meta = env.figures.iter().find(|m| m.src == image.written);
        let html = figure::figure_html(&picture, &image.alt, caption.as_deref(), meta, lazy);
        if out.lead.is_none() {
            out.lead = Some(Lead {
                picture,
                alt: image.alt.clone(),
            });
        }
        events.truncate(mark.start);
        events.push(Event::Html(html.into()));
        if mark.was_first {
            self.first_paragraph = None;
        }
    }

    /// Notes what `event` says of the body's structure and text (blocks,
    /// the first paragraph, the plain text); `false` when it is inside a
    /// citation or a replaced label, and so dropped.
    fn observe(&mut self, event: &Event<'a>, events: &mut Vec<Event<'a>>) -> bool {
        match event {
            Event::Start(Tag::Paragraph)
                if self.block_depth == 0 && self.first_paragraph.is_none() =>
            {
                self.in_first_paragraph = true;
                self.first_paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => self.in_first_paragraph = false,
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::FootnoteDefinition(_),
            ) => self.block_depth += 1,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            ) => self.block_depth = self.block_depth.saturating_sub(1),
            _ => {}
        }
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::Link { .. }) => self.skipping += 1,
                Event::End(TagEnd::Link) => {
                    self.skipping -= 1;
                    if self.skipping == 0 {
                        self.close_link(events);
                    }
                }
                _ => {}
            }
            return false;
        }
        if self.in_first_paragraph {
            if let Event::Text(t) | Event::Code(t) = event {
                self.first_paragraph.get_or_insert_default().push_str(t);
            } else if matches!(event, Event::SoftBreak | Event::HardBreak) {
                self.first_paragraph.get_or_insert_default().push(' ');
            }
        }
        match event {
            Event::Text(t) | Event::Code(t) => self.push_text(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => self.push_text(" "),
            _ => {}
        }
        true
    }

    /// Writes `event` to `events`, turning wiki links, citations and
    /// relative links into what they lead to, wrapping tables and linking
    /// actor names in running text.
    fn emit(
        &mut self,
        event: Event<'a>,
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wiki_link(&dest_url, has_pothole, offset, env, out, events),
            Event::Start(Tag::Link {
                link_type:
                    LinkType::ShortcutUnknown | LinkType::ReferenceUnknown | LinkType::CollapsedUnknown,
                dest_url,
                ..
            }) if dest_url.starts_with(CITE_PREFIX) => {
                let id = dest_url[CITE_PREFIX.len()..].to_string();
                self.citation(id, offset, out, events);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_ends.push(None);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: local_link(dest_url, offset, env, out),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.start_image((link_type, dest_url, title, id), offset, env, out, events),
            Event::Start(Tag::Paragraph) => {
                self.paragraph = Some(ParagraphMark {
                    start: events.len(),
                    was_first: self.in_first_paragraph,
                    ..ParagraphMark::default()
                });
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(env, out, events),
            Event::End(TagEnd::Link) => self.close_link(events),
            // Wide tables scroll inside a wrapper instead of widening the page.
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Text(_) | Event::SoftBreak
                if env.autolink.is_some()
                    && self.link_ends.is_empty()
                    && !self.in_heading
                    && self.html_depth == 0 =>
            {
                self.run.push(event);
            }
            Event::InlineHtml(html) => {
                self.html_depth = inline_html_depth(self.html_depth, &html);
                events.push(Event::InlineHtml(html));
            }
            other => events.push(other),
        }
    }

    /// Writes the running text collected so far, with the actor names in
    /// it linked: a soft line break reads as a space to the autolinker and
    /// stays a line break in the HTML.
    fn end_run(&mut self, env: &BodyEnv, events: &mut Vec<Event<'a>>) {
        let Some(autolink) = env.autolink.filter(|_| !self.run.is_empty()) else {
            return;
        };
        let run = std::mem::take(&mut self.run);
        let linked = match run.as_slice() {
            [Event::Text(text)] => autolink.link(text, &mut self.linked, env.own_url),
            _ => {
                let mut text = String::new();
                for event in &run {
                    match event {
                        Event::Text(t) => text.push_str(t),
                        _ => text.push('\n'),
                    }
                }
                autolink.link(&text, &mut self.linked, env.own_url)
            }
        };
        match linked {
            Some(html) => events.push(Event::Html(html.into())),
            None => events.extend(run),
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.text.len() < TEXT_LIMIT {
            self.text.push_str(text);
        }
    }

    fn close_link(&mut self, events: &mut Vec<Event<'a>>) {
        match self.link_ends.pop() {
            Some(Some("")) | None => {}
            Some(Some(html)) => events.push(Event::Html(CowStr::Borrowed(html))),
            Some(None) => events.push(Event::End(TagEnd::Link)),
        }
    }

    fn wiki_link(
        &mut self,
        dest: &str,
        has_label: bool,
        offset: usize,
        env: &BodyEnv,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        let target = WikiTarget::parse(dest);
        let resolved = (env.resolve)(&target);
        out.wikilinks.push(WikiUse {
            target: target.clone(),
            offset,
            resolved: resolved.is_some(),
        });
        let shown = match &resolved {
            // An actor link shows the name as written; a topic or briefing
            // link without a label shows the topic's name or the title.
            Some(link) if !has_label && target.kind != WikiKind::Actor => Some(link.label.clone()),
            None if !has_label => Some(target.name.clone()),
            _ => None,
        };
        let mut open = String::new();
        match &resolved {
            Some(link) => {
                if target.kind == WikiKind::Actor {
                    self.linked.insert(link.url.clone());
                }
                open.push_str("<a class=\"wikilink ");
                open.push_str(target.kind.as_str());
                open.push_str("\" href=\"");
                escape_attr(&mut open, &link.url);
                open.push_str("\">");
                self.link_ends.push(Some("</a>"));
            }
            None => {
                open.push_str("<span class=\"wikilink unresolved\">");
                self.link_ends.push(Some("</span>"));
            }
        }
        events.push(Event::Html(open.into()));
        if let Some(text) = shown {
            self.push_text(&text);
            if self.in_first_paragraph {
                self.first_paragraph.get_or_insert_default().push_str(&text);
            }
            events.push(Event::Text(text.into()));
            self.skipping = 1;
        }
    }

    fn citation(
        &mut self,
        id: String,
        offset: usize,
        out: &mut Rendered,
        events: &mut Vec<Event<'a>>,
    ) {
        let index = self.source_index.get(&id).copied();
        let mut html = String::new();
        match index {
            Some(i) => {
                out.citation_counts[i] += 1;
                let n = i + 1;
                let k = out.citation_counts[i];
                html.push_str(&format!(
                    "<sup class=\"citation\" id=\"cite-{n}-{k}\"><a href=\"#source-{n}\" aria-label=\"Source {n}\">[{n}]</a></sup>"
                ));
            }
            None => {
                html.push_str("<span class=\"citation unresolved\">[@");
                escape_attr(&mut html, &id);
                html.push_str("]</span>");
            }
        }
        out.citations.push(CiteUse {
            id,
            offset,
            number: index.map(|i| i + 1),
        });
        events.push(Event::Html(html.into()));
        // Drop the link's own text (`@id`); its end closes nothing.
        self.link_ends.push(Some(""));
        self.skipping = 1;
    }
}

/// Tracks how many raw inline HTML elements are open after `html`.
fn inline_html_depth(depth: usize, html: &str) -> usize {
    const VOID: &[&str] = &["br", "img", "hr", "wbr", "input", "meta", "link", "source"];
    let tag = html.trim();
    if tag.starts_with("</") {
        return depth.saturating_sub(1);
    }
    if !tag.starts_with('<')
        || tag.starts_with("<!")
        || tag.starts_with("<?")
        || tag.ends_with("/>")
    {
        return depth;
    }
    let name: String = tag[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || VOID.contains(&name.as_str()) {
        depth
    } else {
        depth + 1
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Rewrites a link or image URL written in the body:
/// - a script scheme (`javascript:`) is defused to `#`;
/// - a relative link to a content file (`../2023/2023-11-15-visit.md`)
///   becomes the URL of that document's page;
/// - a root-relative link (`/about/`) gets the site's base path, so it works
///   under a sub-path deploy;
/// - anything else (external URLs, fragments) is left alone.
///
/// Root-relative and content links are recorded in `out.local_links` so the
/// caller can check that they lead somewhere.
fn local_link<'a>(
    dest: CowStr<'a>,
    offset: usize,
    env: &BodyEnv,
    out: &mut Rendered,
) -> CowStr<'a> {
    if !crate::urls::is_safe_link(&dest) {
        return CowStr::Borrowed("#");
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (&dest[..], ""),
    };
    if path.ends_with(".md") && !path.contains("://") && !path.starts_with('/') {
        let target = (env.content_link)(path);
        out.local_links.push(LocalLink {
            written: dest.to_string(),
            site_path: target.clone(),
            offset,
        });
        return match target {
            Some(site_path) => format!("{}{}{}", env.base_path, site_path, fragment).into(),
            None => dest,
        };
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        out.local_links.push(LocalLink {
            written: dest.to_string(),
            site_path: Some(path.trim_start_matches('/').to_string()),
            offset,
        });
        if env.base_path != "/" {
            return format!("{}{}", env.base_path, &dest[1..]).into();
        }
    }
    dest
}

fn escape_attr(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).expect("writing to a String");
}

/// Folds runs of white space, and drops the space a removed citation
/// leaves before punctuation ("arrived [@mt], two" reads "arrived, two").
fn collapse_whitespace(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(joined.len());
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' '
            && chars
                .peek()
                .is_some_and(|n| matches!(n, ',' | '.' | ';' | ':' | ')'))
        {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
