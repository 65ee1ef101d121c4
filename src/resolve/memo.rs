//! What `resolve` keeps from one run to the next, and when it may reuse
//! it: the one place that decides what an edit invalidates in the model.
//! A build runs the same code with an empty memo.
//!
//! Every kept result is reused by one rule: it was made from an input equal
//! to this run's, where the input is a type that holds everything the stage
//! can read (the stage's code sees nothing else), so no list of fields is
//! kept beside the code that reads them.
//!
//! - **Frame** (`frame::Input`): the config and the documents' heads
//!   (`BriefingHead::of` and the like). An edit to a title, summary,
//!   source or body leaves the heads, and the frame, as they were.
//! - **Graph** (`graph::Input`): each briefing's date, actors, topics,
//!   events and publishers, and each entity's briefings. A change confined
//!   to some briefings' actors and topics is computed again for what it can
//!   reach (`graph::recompute`), exactly.
//! - **Autolinker** (`AutolinkInput`): every spelling with its URL, and
//!   the mode.
//! - **Bodies**, one per file (`BodyInput`): the Markdown and what of the
//!   page it is on the HTML shows; plus, recorded while it rendered, each
//!   question it asked the rest of the site (a `[[...]]` link, a relative
//!   link to a content file, an image path) with its answer, and the spellings the
//!   autolinker now links differently, looked for in its text. A kept body
//!   is reused when its input is equal, every question gets the same answer
//!   and no changed spelling occurs in it: the same HTML a fresh render
//!   would give.
//!
//! Loading has its own cache (`load::Cache`: a file is read again when the
//! watcher names it or its stamp changed) and the git history its own
//! (`load::git::HistoryCache`: read again when the head commit moves);
//! `site::Memo` holds the three. `tests/incremental.rs` checks the whole
//! against clean builds over random edit sequences.

use super::frame::{self, Frame};
use super::graph;
use super::model::{Actor, Briefing, EventRef, Publisher, Topic};
use super::names::Suggestions;
use crate::config::Config;
use crate::markdown::autolink::{self, Autolinker, Mentions, Target};
use crate::markdown::figure::{FigureMeta, Picture};
use crate::markdown::{self, BodyEnv, ResolvedLink, WikiTarget};
use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap as HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Memo {
    autolink: Option<KeptAutolinker>,
    /// Rendered bodies, by source file (paths as plain strings: they hash
    /// much faster than `Path`s).
    bodies: HashMap<OsString, KeptBody>,
    /// The last graph and what it was computed from.
    graph: Option<(graph::Input, graph::Output)>,
    /// "Did you mean" for unknown actor and topic names.
    suggestions: (Option<Suggestions>, Option<Suggestions>),
    /// The last frame and what it was made from.
    frame: Option<(frame::KeptInput, Arc<Frame>)>,
    /// A memo for one run only (`check`, `build`): it keeps no body and no
    /// graph, which no later run would read (a body's Markdown alone is
    /// about 5 KB a briefing). The run takes the same path.
    one_shot: bool,
    /// What the last run resolved bodies against besides the frame, when
    /// an edit to bodies may be patched into its site (see `patch`).
    base: Option<Base>,
}

/// The images and the briefings (in the model's order) the last run's
/// bodies were resolved against.
pub(super) struct Base {
    pub(super) catalogue: Arc<super::pictures::Catalogue>,
    pub(super) briefings: Vec<Arc<crate::load::document::Briefing>>,
}

/// The autolinker and what it was built from.
struct KeptAutolinker {
    input: AutolinkInput,
    linker: Option<Arc<Autolinker>>,
}

/// Each actor's URL and spellings, and which mentions are linked:
/// everything `Autolinker::new` takes.
#[derive(Clone, PartialEq, Eq)]
pub struct AutolinkInput {
    pub targets: Vec<Target>,
    pub mentions: Mentions,
}

struct KeptBody {
    input: BodyInput,
    links: Vec<(WikiTarget, Option<ResolvedLink>)>,
    content_links: Vec<(String, Option<String>)>,
    images: Vec<(String, Option<Arc<Picture>>)>,
    rendered: Arc<markdown::Rendered>,
}

/// What a body's HTML is made from, besides the questions it asks the rest
/// of the site (recorded as it renders: `links`, `content_links`) and the
/// autolinker (whose changed spellings are looked for in the text). The
/// Markdown is kept as its digest: the text itself is the document's, and
/// a copy of every body would cost serve about the size of the content.
#[derive(PartialEq)]
struct BodyInput {
    markdown: Digest,
    source_ids: Vec<Option<String>>,
    own_url: Option<String>,
    base_path: String,
    raw_html: markdown::RawHtml,
    figures: Vec<FigureMeta>,
    smart_punctuation: bool,
}

/// The first 128 bits of a text's SHA-256: two different texts share one
/// by chance with odds of 2^-128 (and finding such a pair on purpose
/// takes about 2^64 tries).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Digest([u8; 16]);

impl Digest {
    fn of(text: &str) -> Digest {
        use sha2::Digest as _;
        let full = sha2::Sha256::digest(text.as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&full[..16]);
        Digest(first)
    }
}

/// [`BodyInput`], borrowed from a render's environment, with the digest
/// of its text.
#[derive(PartialEq)]
struct BodyInputRef<'a> {
    markdown: Digest,
    source_ids: &'a [Option<String>],
    own_url: Option<&'a str>,
    base_path: &'a str,
    raw_html: markdown::RawHtml,
    figures: &'a [FigureMeta],
    smart_punctuation: bool,
}

impl<'a> BodyInputRef<'a> {
    /// The input of rendering `text` with `env`. Every field of the
    /// environment is named here (no `..`): a field added to `BodyEnv`
    /// does not compile until it is either compared or said to be
    /// recorded or constant.
    fn of(text: &'a str, env: &BodyEnv<'a>) -> Self {
        let BodyEnv {
            base_path,
            // The same for every run of a process.
            highlighter: _,
            // Recorded: each question and its answer.
            resolve: _,
            content_link: _,
            image: _,
            // Its changes are looked for in the text (`changed_spellings`).
            autolink: _,
            source_ids,
            own_url,
            raw_html,
            figures,
            smart_punctuation,
        } = *env;
        BodyInputRef {
            markdown: Digest::of(text),
            source_ids,
            own_url,
            base_path,
            raw_html,
            figures,
            smart_punctuation,
        }
    }

    fn to_owned(&self) -> BodyInput {
        BodyInput {
            markdown: self.markdown,
            source_ids: self.source_ids.to_vec(),
            own_url: self.own_url.map(str::to_string),
            base_path: self.base_path.to_string(),
            raw_html: self.raw_html,
            figures: self.figures.to_vec(),
            smart_punctuation: self.smart_punctuation,
        }
    }
}

impl BodyInput {
    fn borrow(&self) -> BodyInputRef<'_> {
        BodyInputRef {
            markdown: self.markdown,
            source_ids: &self.source_ids,
            own_url: self.own_url.as_deref(),
            base_path: &self.base_path,
            raw_html: self.raw_html,
            figures: &self.figures,
            smart_punctuation: self.smart_punctuation,
        }
    }
}

/// The bodies of this run, and what of the last run's may be reused.
pub struct Bodies {
    /// The last run's bodies, taken out as they are reused.
    kept: Mutex<HashMap<OsString, KeptBody>>,
    /// Finds, in a kept body, any spelling the autolinker now links
    /// differently (or no longer, or newly); `None` when none changed.
    changed_spellings: Option<AhoCorasick>,
    fresh: Mutex<HashMap<OsString, KeptBody>>,
    /// Whether this run's bodies are kept for the next (see
    /// `Memo::one_shot`).
    keeps: bool,
}

impl Memo {
    /// A memo for a single run: nothing is kept for a next one.
    pub fn one_shot() -> Memo {
        Memo {
            one_shot: true,
            ..Memo::default()
        }
    }

    /// Whether this memo serves a single run, and keeps nothing of it.
    pub(super) fn keeps_nothing(&self) -> bool {
        self.one_shot
    }

    pub(super) fn keep_base(&mut self, base: Option<Base>) {
        if self.one_shot {
            return;
        }
        self.base = base;
    }

    /// The frame and the autolinker of the last run, for `patch`.
    pub(super) fn kept_frame(&self) -> Option<(Arc<Frame>, Option<Arc<Autolinker>>)> {
        let frame = self.frame.as_ref()?.1.clone();
        let linker = self.autolink.as_ref().and_then(|k| k.linker.clone());
        Some((frame, linker))
    }

    /// The kept frame and the documents it was made from, to patch in an
    /// edit to one briefing's names (see `rename`); `None` when there is
    /// none or it is shared.
    pub(super) fn frame_mut(&mut self) -> Option<(&mut frame::KeptInput, &mut Frame)> {
        let (input, frame) = self.frame.as_mut()?;
        Some((input, Arc::get_mut(frame)?))
    }

    /// Patches the kept graph for an edit to the actors and topics of the
    /// briefings `edited` (see `graph::patch`): what changed, and the
    /// graph now.
    pub(super) fn patch_graph(
        &mut self,
        edited: &[(usize, &Briefing)],
        actors: &[Actor],
        topics: &[Topic],
    ) -> Option<(graph::Changed, &graph::Output)> {
        let kept = self.graph.as_mut()?;
        let changed = graph::patch(kept, edited, actors, topics)?;
        Some((changed, &kept.1))
    }

    /// What else the last run's bodies were resolved against, when it
    /// kept it for `patch`.
    pub(super) fn base(&mut self) -> Option<&mut Base> {
        self.base.as_mut()
    }

    /// The kept bodies of the files at `paths` (taken out of the memo),
    /// for `patch` to render those files' new bodies with; `put_back`
    /// keeps what it rendered.
    pub(super) fn take_bodies(&mut self, paths: &[&Path]) -> Bodies {
        let kept = paths
            .iter()
            .filter_map(|p| {
                let key = p.as_os_str();
                self.bodies.remove(key).map(|b| (key.to_owned(), b))
            })
            .collect();
        Bodies {
            kept: Mutex::new(kept),
            changed_spellings: None,
            fresh: Mutex::new(HashMap::default()),
            keeps: true,
        }
    }

    /// Keeps the bodies `take_bodies` took, as rendered since or as they
    /// were.
    pub(super) fn put_back(&mut self, bodies: Bodies) {
        let unused = bodies
            .kept
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh = bodies
            .fresh
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.bodies.extend(unused);
        self.bodies.extend(fresh);
    }

    /// The autolinker for `input`: the kept one if it was built from the
    /// same input. Also returns what the last run's bodies may reuse.
    pub fn start(&mut self, input: Option<AutolinkInput>) -> (Option<Arc<Autolinker>>, Bodies) {
        let (mut kept_bodies, kept) = (std::mem::take(&mut self.bodies), self.autolink.take());
        let kept = kept.as_ref();
        let same = kept.is_some_and(|k| Some(&k.input) == input.as_ref());
        let linker = match (same, &input) {
            (true, _) => kept.and_then(|k| k.linker.clone()),
            (false, Some(i)) => Autolinker::new(i.targets.clone(), i.mentions).map(Arc::new),
            (false, None) => None,
        };
        let changed_spellings = if same {
            None
        } else {
            let before = kept
                .and_then(|k| k.linker.as_deref())
                .map(Autolinker::patterns)
                .unwrap_or_default();
            let after = linker
                .as_deref()
                .map(Autolinker::patterns)
                .unwrap_or_default();
            let mut changed: Vec<&str> = Vec::new();
            for (spelling, url) in &before {
                if after.get(spelling) != Some(url) {
                    changed.push(spelling);
                }
            }
            for (spelling, url) in &after {
                if before.get(spelling) != Some(url) {
                    changed.push(spelling);
                }
            }
            // A change of mode (`first`, `all`) touches every linked body.
            let mode_changed = kept.is_some_and(|k| {
                input
                    .as_ref()
                    .is_none_or(|i| i.mentions != k.input.mentions)
            });
            if mode_changed {
                changed = before
                    .keys()
                    .chain(after.keys())
                    .map(String::as_str)
                    .collect();
            }
            // Looked for as skeletons: a mention across a line break or
            // typed with other quotes is found too.
            let scanner = AhoCorasick::new(changed.iter().map(|s| autolink::skeleton(s))).ok();
            if scanner.is_none() {
                // Without a way to tell which bodies a change touches, none
                // is reused.
                kept_bodies.clear();
            }
            scanner
        };
        (
            linker,
            Bodies {
                kept: Mutex::new(kept_bodies),
                changed_spellings,
                fresh: Mutex::new(HashMap::default()),
                keeps: !self.one_shot,
            },
        )
    }

    /// Keeps this run's bodies (rendered or reused) and autolinker for the
    /// next run.
    pub fn finish(
        &mut self,
        bodies: Bodies,
        input: Option<AutolinkInput>,
        linker: Option<Arc<Autolinker>>,
    ) {
        self.bodies = bodies
            .fresh
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.autolink = input.map(|input| KeptAutolinker { input, linker });
    }

    /// The frame of `documents`: the kept one if they make the same frame
    /// (see `frame::Input`), else a new one (which is kept).
    pub fn frame(
        &mut self,
        config: &Config,
        drafts: bool,
        documents: &frame::Documents<'_>,
    ) -> Arc<Frame> {
        if let Some((kept, frame)) = &self.frame
            && kept.makes_same_frame(config, drafts, documents)
        {
            return frame.clone();
        }
        let suggestions = std::mem::take(&mut self.suggestions);
        let input = frame::Input::of(config, drafts, documents);
        let (frame, (actors, topics)) = Frame::new(&input, suggestions);
        let frame = Arc::new(frame);
        self.suggestions = (Some(actors), Some(topics));
        // Kept with the documents it was made from (a second owner of
        // each), unless nothing is kept.
        if !self.one_shot {
            self.frame = Some((
                frame::KeptInput::new(config, drafts, documents),
                frame.clone(),
            ));
        }
        frame
    }

    /// Fills the graph fields of the model (see `graph::Output::apply`):
    /// the kept graph when its input is the same, else the kept graph with
    /// what changed computed again (`graph::recompute`), else a new one.
    pub fn graph(
        &mut self,
        briefings: &mut [Briefing],
        actors: &mut [Actor],
        topics: &mut [Topic],
    ) -> (Vec<Publisher>, Vec<EventRef>) {
        let input = graph::Input::of(briefings, actors, topics);
        let output = match self.graph.take() {
            Some((kept, output)) if kept == input => output,
            Some((before, kept)) => {
                graph::recompute(&before, &input, &kept).unwrap_or_else(|| graph::compute(&input))
            }
            None => graph::compute(&input),
        };
        let applied = output.apply(briefings, actors, topics);
        if !self.one_shot {
            self.graph = Some((input, output));
        }
        applied
    }
}

impl Bodies {
    /// Renders the body of the file at `path` with `env`, or reuses the
    /// last run's render of it when nothing it depends on changed.
    pub fn render(&self, path: &Path, text: &str, env: &BodyEnv<'_>) -> Arc<markdown::Rendered> {
        let kept = lock(&self.kept).remove(path.as_os_str());
        if kept.is_none() && !self.keeps {
            // A one-shot run: nothing to compare with, nothing to keep.
            return Arc::new(markdown::render(text, env));
        }
        let input = BodyInputRef::of(text, env);
        if let Some(kept) = kept
            && self.still_valid(&kept, &input, text, env)
        {
            let rendered = kept.rendered.clone();
            self.keep(path, kept);
            return rendered;
        }
        let links = Mutex::new(Vec::new());
        let content_links = Mutex::new(Vec::new());
        let record_link = |t: &WikiTarget| {
            let answer = (env.resolve)(t);
            lock(&links).push((t.clone(), answer.clone()));
            answer
        };
        let record_content = |written: &str| {
            let answer = (env.content_link)(written);
            lock(&content_links).push((written.to_string(), answer.clone()));
            answer
        };
        let images = Mutex::new(Vec::new());
        let record_image = |written: &str| {
            let answer = (env.image)(written);
            lock(&images).push((written.to_string(), answer.clone()));
            answer
        };
        let recording = BodyEnv {
            resolve: &record_link,
            content_link: &record_content,
            image: &record_image,
            ..*env
        };
        let rendered = Arc::new(markdown::render(text, &recording));
        if !self.keeps {
            return rendered;
        }
        self.keep(
            path,
            KeptBody {
                input: input.to_owned(),
                links: links
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                content_links: content_links
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                images: images
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                rendered: rendered.clone(),
            },
        );
        rendered
    }

    fn still_valid(
        &self,
        kept: &KeptBody,
        input: &BodyInputRef<'_>,
        text: &str,
        env: &BodyEnv<'_>,
    ) -> bool {
        kept.input.borrow() == *input
            && kept
                .links
                .iter()
                .all(|(t, answer)| (env.resolve)(t) == *answer)
            && kept
                .content_links
                .iter()
                .all(|(written, answer)| (env.content_link)(written) == *answer)
            && kept
                .images
                .iter()
                .all(|(written, answer)| (env.image)(written) == *answer)
            && !self
                .changed_spellings
                .as_ref()
                .is_some_and(|spellings| spellings.is_match(&autolink::skeleton(text)))
    }

    fn keep(&self, path: &Path, body: KeptBody) {
        if !self.keeps {
            return;
        }
        lock(&self.fresh).insert(path.as_os_str().to_owned(), body);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::load::document::{ActorRef, NameRef};
    use crate::markdown::highlight::Highlighter;
    use crate::resolve::{Options, Site, resolve, resolve_with};

    fn name(n: &str) -> NameRef {
        NameRef {
            name: n.to_string(),
            line: 1,
            column: 1,
        }
    }

    /// Everything of a resolved site that rendering reads, as text.
    pub(in crate::resolve) fn model(site: &Site) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            site.briefings, site.actors, site.topics, site.pages, site.publishers, site.timeline
        )
    }

    /// A copy of `content` whose briefings have no other owner, as a
    /// one-shot load hands them on: a one-shot resolve then takes each
    /// body's Markdown out of its document.
    fn unshared(content: &crate::load::Content) -> crate::load::Content {
        crate::load::Content {
            briefings: content
                .briefings
                .iter()
                .map(|b| Arc::new((**b).clone()))
                .collect(),
            ..content.clone()
        }
    }

    /// A one-shot memo keeps no document once the run is over (so none is
    /// shared while it runs, and each body's Markdown can be dropped once
    /// rendered); a memo for `serve` keeps them for the next run.
    #[test]
    fn a_one_shot_memo_keeps_no_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (config, _) = crate::config::load_config(root);
        let highlighter = Highlighter::new();
        let mut runs = [(Memo::one_shot(), false), (Memo::default(), true)];
        for (memo, keeps) in &mut runs {
            let (content, _) = crate::load::load(root);
            let document = Arc::downgrade(&content.briefings[0]);
            let (site, _, _) = resolve_with(
                config.clone(),
                content,
                Options::default(),
                &highlighter,
                memo,
            );
            assert!(!site.briefings.is_empty());
            assert_eq!(document.upgrade().is_some(), *keeps);
        }
    }

    /// Resolving with the memo of the last run gives the same site as
    /// resolving from scratch, after each of a series of edits: an existing
    /// actor added to and taken from a briefing (related briefings computed
    /// again only where they can change), a topic changed, a profile alias
    /// added (the autolinks of other bodies change), a body edited.
    #[test]
    fn a_run_with_the_memo_equals_a_fresh_run_after_each_edit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (config, _) = crate::config::load_config(root);
        let (mut content, _) = crate::load::load(root);
        let highlighter = Highlighter::new();
        let mut memo = Memo::default();
        let mut check = |content: &crate::load::Content, what: &str| {
            let (kept, kept_diagnostics, _) = resolve_with(
                config.clone(),
                content.clone(),
                Options::default(),
                &highlighter,
                &mut memo,
            );
            let (fresh, fresh_diagnostics, _) = resolve(
                config.clone(),
                unshared(content),
                Options::default(),
                &highlighter,
            );
            assert!(
                model(&kept) == model(&fresh),
                "after {what}: the sites differ"
            );
            assert_eq!(
                format!("{:?}", kept_diagnostics.sorted()),
                format!("{:?}", fresh_diagnostics.sorted()),
                "after {what}"
            );
        };
        check(&content, "the first run");
        let last = content.briefings.len() - 1;
        Arc::make_mut(&mut content.briefings[last])
            .actors
            .push(ActorRef {
                name: name("Sergei Lavrov"),
                id: None,
                role: None,
            });
        check(&content, "an actor added");
        Arc::make_mut(&mut content.briefings[last]).actors.pop();
        Arc::make_mut(&mut content.briefings[0]).topics = vec![name("Sanctions")];
        check(&content, "an actor taken out and a topic changed");
        let putin = content
            .actors
            .iter()
            .position(|a| a.slug == "vladimir-putin")
            .expect("the example site has a Putin profile");
        Arc::make_mut(&mut content.actors[putin])
            .aliases
            .push(name("Putin"));
        check(&content, "a profile alias added");
        let body = &mut Arc::make_mut(&mut content.briefings[1]).body;
        body.push_str("\n\nPutin and Sergei Lavrov spoke again.\n");
        check(&content, "a body edited");
        let summit = content
            .briefings
            .iter()
            .position(|b| b.slug == "kim-putin-vostochny-summit")
            .expect("the example site has the summit");
        let retitled = Arc::make_mut(&mut content.briefings[summit]);
        retitled.title = "A new title, which links to the briefing show".to_string();
        retitled.summary = Some("A new summary.".to_string());
        check(
            &content,
            "a title and a summary edited (the frame is reused)",
        );
        // A kept body that writes a spelling added later across a line
        // break is rendered again, as a fresh run links it.
        let slug = content.briefings[1].slug.clone();
        Arc::make_mut(&mut content.briefings[1])
            .body
            .push_str("\n\nThe Land of the\nMorning Calm spoke.\n");
        check(&content, "a body edited again");
        let korea = content
            .actors
            .iter()
            .position(|a| a.slug == "south-korea")
            .expect("the example site has a South Korea profile");
        Arc::make_mut(&mut content.actors[korea])
            .aliases
            .push(name("Land of the Morning Calm"));
        check(&content, "an alias a kept body writes across a line break");
        let (fresh, _, _) = resolve(config, unshared(&content), Options::default(), &highlighter);
        let briefing = fresh.briefings.iter().find(|b| b.slug == slug).unwrap();
        assert!(
            briefing
                .body
                .html()
                .contains("/actors/south-korea/\">Land of the\nMorning Calm</a>"),
            "{}",
            briefing.body.html()
        );
    }
}
