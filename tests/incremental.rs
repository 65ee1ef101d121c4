//! The preview server's incremental rebuilds, tested as a property: after
//! every step of a random sequence of edits (bodies, front matter, profiles,
//! new, deleted and renamed files, drafts, dates, old URLs, the config,
//! templates, static files, broken YAML and its fix), the site `serve`
//! holds (rebuilt with what it kept from the last step, told which files
//! changed as the watcher tells it) equals a clean build of the same files:
//! the same diagnostics, the same paths, the same bytes.
//!
//! The site is made from a small model (`Model`), so every edit is a valid
//! change an editor could make and the files on disk always say what the
//! model says.

use attache::diagnostics::Diagnostics;
use attache::markdown::highlight::Highlighter;
use attache::render::Contents;
use attache::serve::{Changed, Found, Served, Session, Update};
use attache::site::{self, Command, SiteOptions};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Actor names a briefing may use: profiles, an alias, and one nobody
/// registered (a warning at build).
const ACTORS: &[&str] = &[
    "Kim Jong Un",
    "Vladimir Putin",
    "DPRK",
    "Sergei Shoigu",
    "Choe Son Hui",
];
const TOPICS: &[&str] = &["Sanctions", "Space launches", "Arms trade"];
const PUBLISHERS: &[&str] = &["Associated Press", "TASS", "Yonhap"];
/// Sentences a body may gain: plain names (autolinked), `[[...]]` links to
/// actors, topics and briefings (some of which may not exist), and a link
/// relative to another content file.
const SENTENCES: &[&str] = &[
    "Kim Jong Un met Vladimir Putin again.",
    "[[Vladimir Putin]] spoke first.",
    "The talks recalled [[briefing:summit|the summit]].",
    "See [the visit](2024-03-01-visit.md) for the background.",
    "Officials of the DPRK and Shoigu attended.",
    "It touches on [[topic:Sanctions]].",
    "Comrade Kim waved.",
    "[[briefing:2024/visit]] came first.",
    "```rust\nfn main() {}\n```",
    "<span class=\"note\" onclick=\"x()\">Raw HTML</span> in a paragraph.",
    "![A schematic map of the border](../../media/map.svg \"The border.\")",
    "The chart ![launches by month](../../media/chart.svg) rises.",
    "Comrade\nKim's \"talks\" -- with Shoigu -- went on...",
];
/// The drawings `content/media/map.svg` may be (or be missing).
const MAPS: &[&str] = &[
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"><rect width=\"300\" height=\"200\"/></svg>\n",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 100\"><rect width=\"400\" height=\"100\"/></svg>\n",
];
const PROFILE_ALIASES: &[&str] = &["Comrade Kim", "Putin", "Shoigu"];
const TITLES: &[&str] = &[
    "Kim and Putin meet",
    "A visit to Pyongyang",
    "Launch at Sohae",
    "Talks in Moscow",
    "Pyongyang's \"primary foe\" -- again",
];

#[derive(Clone, Debug)]
struct Briefing {
    /// File name inside `content/briefings/2024/`.
    file: String,
    title: usize,
    /// Day of 2024 (1-based, within March); some days fall in 2023.
    day: u32,
    year: i32,
    draft: bool,
    slug: Option<&'static str>,
    aliases: Vec<String>,
    actors: Vec<usize>,
    topics: Vec<usize>,
    event: Option<Vec<usize>>,
    source: Option<usize>,
    body: Vec<usize>,
    /// The file holds a YAML error until the next edit of this briefing.
    broken: bool,
}

#[derive(Clone, Debug)]
struct Profile {
    file: &'static str,
    name: &'static str,
    aliases: Vec<usize>,
    affiliation: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Model {
    briefings: Vec<Briefing>,
    actors: Vec<Profile>,
    autolink: usize,
    /// `markdown.raw_html`: sanitize, escape or allow.
    raw_html: usize,
    /// `markdown.smart_punctuation`.
    smart_punctuation: bool,
    title: usize,
    /// An own `templates/briefing.html`, one of two variants.
    template: Option<usize>,
    /// The text of `static/notes.txt`, if any.
    notes: Option<usize>,
    /// Which of `MAPS` `content/media/map.svg` holds, if it exists.
    map: Option<usize>,
    /// The body of `content/pages/about.md`.
    about: usize,
    next_file: usize,
}

fn start() -> Model {
    let briefing = |file: &str, day, actors: Vec<usize>, body: Vec<usize>| Briefing {
        file: file.to_string(),
        title: day as usize % TITLES.len(),
        day,
        year: 2024,
        draft: false,
        slug: None,
        aliases: Vec::new(),
        actors,
        topics: vec![0],
        event: None,
        source: None,
        body,
        broken: false,
    };
    Model {
        briefings: vec![
            briefing("2024-03-01-visit.md", 1, vec![0], vec![0]),
            briefing("2024-03-05-summit.md", 5, vec![0, 1], vec![1, 2]),
            briefing("2024-03-09-launch.md", 9, vec![2], vec![3]),
            briefing("2024-03-12-talks.md", 12, vec![1, 3], vec![4]),
        ],
        actors: vec![
            Profile {
                file: "kim-jong-un.md",
                name: "Kim Jong Un",
                aliases: vec![],
                affiliation: Some("North Korea"),
            },
            Profile {
                file: "vladimir-putin.md",
                name: "Vladimir Putin",
                aliases: vec![],
                affiliation: None,
            },
            Profile {
                file: "north-korea.md",
                name: "North Korea",
                aliases: vec![],
                affiliation: None,
            },
            Profile {
                file: "sergei-shoigu.md",
                name: "Sergei Shoigu",
                aliases: vec![],
                affiliation: None,
            },
        ],
        autolink: 0,
        raw_html: 0,
        smart_punctuation: true,
        title: 0,
        template: None,
        notes: None,
        map: Some(0),
        about: 0,
        next_file: 0,
    }
}

fn list(names: impl Iterator<Item = String>) -> String {
    format!("[{}]", names.collect::<Vec<_>>().join(", "))
}

impl Briefing {
    fn path(&self) -> PathBuf {
        PathBuf::from("content/briefings/2024").join(&self.file)
    }

    fn text(&self) -> String {
        let mut t = String::from("---\n");
        t += &format!("title: {}\n", TITLES[self.title]);
        t += &format!("date: {}-03-{:02}\n", self.year, self.day);
        if self.draft {
            t += "draft: true\n";
        }
        if let Some(slug) = self.slug {
            t += &format!("slug: {slug}\n");
        }
        if !self.aliases.is_empty() {
            t += &format!("aliases: {}\n", list(self.aliases.iter().cloned()));
        }
        t += &format!(
            "actors: {}\n",
            list(self.actors.iter().map(|&a| ACTORS[a].to_string()))
        );
        t += &format!(
            "topics: {}\n",
            list(self.topics.iter().map(|&a| TOPICS[a].to_string()))
        );
        if let Some(actors) = &self.event {
            t += &format!(
                "events:\n  - date: {}-02-{:02}\n    what: A meeting\n    actors: {}\n",
                self.year,
                self.day.min(28),
                list(actors.iter().map(|&a| ACTORS[a].to_string()))
            );
        }
        if let Some(p) = self.source {
            t += &format!(
                "sources:\n  - id: s\n    title: A report\n    publisher: {}\n    url: https://example.org/{p}\n",
                PUBLISHERS[p]
            );
        }
        if self.broken {
            t += "summary: [unclosed\n";
        }
        t += "---\n";
        for &s in &self.body {
            t += SENTENCES[s];
            t += "\n\n";
        }
        if self.source.is_some() {
            t += "As reported [@s].\n";
        }
        t
    }
}

impl Profile {
    fn path(&self) -> PathBuf {
        PathBuf::from("content/actors").join(self.file)
    }

    fn text(&self) -> String {
        let mut t = format!("---\nname: {}\n", self.name);
        if !self.aliases.is_empty() {
            t += &format!(
                "aliases: {}\n",
                list(self.aliases.iter().map(|&a| PROFILE_ALIASES[a].to_string()))
            );
        }
        if let Some(a) = self.affiliation {
            t += &format!("affiliations: [{a}]\n");
        }
        t + "---\nA profile.\n"
    }
}

impl Model {
    /// Every file of the site, by path relative to the root.
    fn files(&self) -> BTreeMap<PathBuf, String> {
        let mut files = BTreeMap::new();
        let autolink = ["first", "all", "none"][self.autolink];
        let raw_html = ["sanitize", "escape", "allow"][self.raw_html];
        files.insert(
            PathBuf::from("attache.yaml"),
            format!(
                "title: {}\nbase_url: https://example.org/\npaginate: 2\nactors: {{autolink: {autolink}}}\nmarkdown: {{raw_html: {raw_html}, smart_punctuation: {}}}\n",
                ["Peninsula Desk", "Korea Watch"][self.title],
                self.smart_punctuation
            ),
        );
        for b in &self.briefings {
            files.insert(b.path(), b.text());
        }
        for a in &self.actors {
            files.insert(a.path(), a.text());
        }
        files.insert(
            PathBuf::from("content/topics/sanctions.md"),
            "---\nname: Sanctions\n---\nMeasures.\n".to_string(),
        );
        files.insert(
            PathBuf::from("content/pages/about.md"),
            format!(
                "---\ntitle: About\n---\n{}\n",
                ["We watch the peninsula.", "See [[Kim Jong Un]]."][self.about]
            ),
        );
        if let Some(t) = self.template {
            let builtin = std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/briefing.html"),
            )
            .unwrap();
            let marker = ["<!-- variant one -->", "<p>{{ site.title }}</p>"][t];
            files.insert(
                PathBuf::from("templates/briefing.html"),
                builtin.replacen(
                    "{% block content %}",
                    &format!("{{% block content %}}{marker}"),
                    1,
                ),
            );
        }
        files.insert(
            PathBuf::from("content/media/chart.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"60\"/>\n".to_string(),
        );
        if let Some(m) = self.map {
            files.insert(PathBuf::from("content/media/map.svg"), MAPS[m].to_string());
        }
        if let Some(n) = self.notes {
            files.insert(
                PathBuf::from("static/notes.txt"),
                ["first notes\n", "second notes\n"][n].to_string(),
            );
        }
        files
    }

    fn apply(&mut self, edit: &Edit) {
        let n = self.briefings.len();
        match edit {
            Edit::Body(b, s) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.body.push(s.of(SENTENCES.len()));
            }
            Edit::CutBody(b) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.body.pop();
            }
            Edit::Title(b, t) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.title = t.of(TITLES.len());
            }
            Edit::AddActor(b, a) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                let a = a.of(ACTORS.len());
                if !b.actors.contains(&a) {
                    b.actors.push(a);
                }
            }
            Edit::DropActor(b) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.actors.pop();
            }
            Edit::Topic(b, t) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                let t = t.of(TOPICS.len());
                match b.topics.iter().position(|&x| x == t) {
                    Some(i) => {
                        b.topics.remove(i);
                    }
                    None => b.topics.push(t),
                }
            }
            Edit::Date(b, day, old) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.day = *day;
                b.year = if *old { 2023 } else { 2024 };
            }
            Edit::Draft(b) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.draft = !b.draft;
            }
            Edit::Slug(b, s) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.slug = [None, Some("summit"), Some("visit"), Some("about")][s.of(4)];
            }
            Edit::Alias(b, a) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                let alias = ["/old/summit/", "/2024/03/visit.html", "/archive/"][a.of(3)];
                if b.aliases.iter().any(|x| x == alias) {
                    b.aliases.retain(|x| x != alias);
                } else {
                    b.aliases.push(alias.to_string());
                }
            }
            Edit::Event(b, actors) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.event = match b.event {
                    Some(_) => None,
                    None => Some(actors.iter().map(|a| a.of(ACTORS.len())).collect()),
                };
            }
            Edit::Source(b, p) => {
                let b = &mut self.briefings[b.of(n)];
                b.broken = false;
                b.source = match b.source {
                    Some(_) => None,
                    None => Some(p.of(PUBLISHERS.len())),
                };
            }
            Edit::Break(b) => self.briefings[b.of(n)].broken = true,
            Edit::New(day) => {
                self.next_file += 1;
                self.briefings.push(Briefing {
                    file: format!("2024-03-{:02}-new-{}.md", day, self.next_file),
                    title: 0,
                    day: *day,
                    year: 2024,
                    draft: false,
                    slug: None,
                    aliases: Vec::new(),
                    actors: vec![1],
                    topics: Vec::new(),
                    event: None,
                    source: None,
                    body: vec![0],
                    broken: false,
                });
            }
            Edit::Delete(b) => {
                if n > 1 {
                    self.briefings.remove(b.of(n));
                }
            }
            Edit::Rename(b) => {
                self.next_file += 1;
                let b = &mut self.briefings[b.of(n)];
                b.file = format!("2024-03-{:02}-renamed-{}.md", b.day, self.next_file);
            }
            Edit::ProfileAlias(a, alias) => {
                let m = self.actors.len();
                let a = &mut self.actors[a.of(m)];
                let alias = alias.of(PROFILE_ALIASES.len());
                match a.aliases.iter().position(|&x| x == alias) {
                    Some(i) => {
                        a.aliases.remove(i);
                    }
                    None => a.aliases.push(alias),
                }
            }
            Edit::Affiliation(a) => {
                let m = self.actors.len();
                let a = &mut self.actors[a.of(m)];
                a.affiliation = match a.affiliation {
                    Some(_) => None,
                    None => Some("North Korea"),
                };
            }
            Edit::Autolink(mode) => self.autolink = mode.of(3),
            Edit::RawHtml(mode) => self.raw_html = mode.of(3),
            Edit::SmartPunctuation => self.smart_punctuation = !self.smart_punctuation,
            Edit::SiteTitle => self.title = 1 - self.title,
            Edit::Template(t) => self.template = t.map(|t| t.of(2)),
            Edit::Notes(t) => self.notes = t.map(|t| t.of(2)),
            Edit::Map(m) => self.map = m.map(|m| m.of(MAPS.len())),
            Edit::About => self.about = 1 - self.about,
        }
    }
}

/// Which of some items an edit picks (modulo their number).
#[derive(Clone, Copy, Debug)]
struct Pick(u8);

impl Pick {
    fn of(self, n: usize) -> usize {
        self.0 as usize % n
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Body(Pick, Pick),
    CutBody(Pick),
    Title(Pick, Pick),
    AddActor(Pick, Pick),
    DropActor(Pick),
    Topic(Pick, Pick),
    Date(Pick, u32, bool),
    Draft(Pick),
    Slug(Pick, Pick),
    Alias(Pick, Pick),
    Event(Pick, Vec<Pick>),
    Source(Pick, Pick),
    Break(Pick),
    New(u32),
    Delete(Pick),
    Rename(Pick),
    ProfileAlias(Pick, Pick),
    Affiliation(Pick),
    Autolink(Pick),
    RawHtml(Pick),
    SmartPunctuation,
    SiteTitle,
    Template(Option<Pick>),
    Notes(Option<Pick>),
    Map(Option<Pick>),
    About,
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = || any::<u8>().prop_map(Pick);
    prop_oneof![
        4 => (i(), i()).prop_map(|(b, s)| Edit::Body(b, s)),
        1 => i().prop_map(Edit::CutBody),
        2 => (i(), i()).prop_map(|(b, t)| Edit::Title(b, t)),
        3 => (i(), i()).prop_map(|(b, a)| Edit::AddActor(b, a)),
        2 => i().prop_map(Edit::DropActor),
        2 => (i(), i()).prop_map(|(b, t)| Edit::Topic(b, t)),
        2 => (i(), 1u32..28, any::<bool>()).prop_map(|(b, d, o)| Edit::Date(b, d, o)),
        1 => i().prop_map(Edit::Draft),
        1 => (i(), i()).prop_map(|(b, s)| Edit::Slug(b, s)),
        1 => (i(), i()).prop_map(|(b, a)| Edit::Alias(b, a)),
        1 => (i(), prop::collection::vec(i(), 1..3)).prop_map(|(b, a)| Edit::Event(b, a)),
        1 => (i(), i()).prop_map(|(b, p)| Edit::Source(b, p)),
        1 => i().prop_map(Edit::Break),
        1 => (1u32..28).prop_map(Edit::New),
        1 => i().prop_map(Edit::Delete),
        1 => i().prop_map(Edit::Rename),
        2 => (i(), i()).prop_map(|(a, x)| Edit::ProfileAlias(a, x)),
        1 => i().prop_map(Edit::Affiliation),
        1 => i().prop_map(Edit::Autolink),
        1 => i().prop_map(Edit::RawHtml),
        1 => Just(Edit::SmartPunctuation),
        1 => Just(Edit::SiteTitle),
        1 => prop::option::of(i()).prop_map(Edit::Template),
        1 => prop::option::of(i()).prop_map(Edit::Notes),
        1 => prop::option::of(i()).prop_map(Edit::Map),
        1 => Just(Edit::About),
    ]
}

/// Makes the files on disk say what `now` says, given they said what
/// `before` says; returns the paths that changed (as the watcher reports
/// them: written, created or removed).
fn sync(
    root: &Path,
    before: &BTreeMap<PathBuf, String>,
    now: &BTreeMap<PathBuf, String>,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (path, text) in now {
        if before.get(path) != Some(text) {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
            changed.push(path.clone());
        }
    }
    for path in before.keys() {
        if !now.contains_key(path) {
            std::fs::remove_file(root.join(path)).unwrap();
            changed.push(path.clone());
        }
    }
    changed
}

fn describe(diagnostics: Diagnostics) -> Vec<String> {
    diagnostics
        .sorted()
        .into_iter()
        .map(|d| format!("{d:?}"))
        .collect()
}

/// What a clean build of the site at `root` gives: its diagnostics, and its
/// files when it has no errors.
fn clean_build(options: &SiteOptions) -> (Vec<String>, Option<BTreeMap<String, Vec<u8>>>) {
    let highlighter = Highlighter::new();
    let mut checked = site::check(options, Command::Build, &highlighter);
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    if diagnostics.has_errors() || checked.templates.is_none() {
        return (describe(diagnostics), None);
    }
    let (files, render_diagnostics) = site::render_site(&checked, &options.root, Command::Build);
    diagnostics.extend(render_diagnostics);
    let files = files
        .into_iter()
        .map(|f| {
            let bytes = match f.contents {
                Contents::Bytes(b) => b,
                Contents::Copy(p) => std::fs::read(p).unwrap(),
            };
            (f.path, bytes)
        })
        .collect();
    (describe(diagnostics), Some(files))
}

/// What the server holds after its rebuild: the same, through `serve`'s
/// own path (its output renders each page when asked for).
fn served(session: &mut Session) -> (Vec<String>, Option<BTreeMap<String, Vec<u8>>>) {
    match session.update() {
        Update::Failed(diagnostics) => (describe(diagnostics), None),
        Update::Good {
            output,
            diagnostics,
        } => {
            let files = output
                .paths()
                .into_iter()
                .map(|path| {
                    let bytes = match output.get(&path) {
                        Found::File(Served::Bytes(b)) => b.to_vec(),
                        Found::File(Served::File(p)) => std::fs::read(p).unwrap(),
                        Found::Failed(e) => panic!("{path} failed to render: {e:?}"),
                        Found::Missing => panic!("{path} is listed but missing"),
                    };
                    (path, bytes)
                })
                .collect();
            (describe(Diagnostics::clone(&diagnostics)), Some(files))
        }
    }
}

/// The first difference between two sets of files, in words.
fn difference(
    served: &BTreeMap<String, Vec<u8>>,
    built: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    for (path, bytes) in built {
        match served.get(path) {
            None => return Some(format!("{path} is built but not served")),
            Some(s) if s != bytes => {
                return Some(format!(
                    "{path} differs:\n--- served\n{}\n--- built\n{}",
                    String::from_utf8_lossy(s),
                    String::from_utf8_lossy(bytes)
                ));
            }
            Some(_) => {}
        }
    }
    served
        .keys()
        .find(|p| !built.contains_key(*p))
        .map(|p| format!("{p} is served but a build has no such file"))
}

/// Runs the edits, comparing after each; returns, for each step, whether
/// the site built (and so its files were compared, not only diagnostics).
fn run(edits: &[Edit]) -> Result<Vec<bool>, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let options = SiteOptions {
        root: root.clone(),
        base_url: None,
        drafts: false,
        strict: false,
        cache: None,
    };
    let mut model = start();
    let mut files = model.files();
    sync(&root, &BTreeMap::new(), &files);
    let mut session = Session::new(options.clone());
    let first = served(&mut session);
    prop_assert_eq!(&first, &clean_build(&options), "the first build");
    let mut built = Vec::new();
    for (step, edit) in edits.iter().enumerate() {
        model.apply(edit);
        let now = model.files();
        let changed = sync(&root, &files, &now);
        files = now;
        session.note_changes(&Changed {
            paths: Some(changed),
        });
        let (served_diagnostics, served_files) = served(&mut session);
        let (built_diagnostics, built_files) = clean_build(&options);
        prop_assert_eq!(
            &served_diagnostics,
            &built_diagnostics,
            "diagnostics after step {} ({:?})",
            step,
            edit
        );
        match (&served_files, &built_files) {
            (Some(s), Some(b)) => {
                if let Some(d) = difference(s, b) {
                    return Err(TestCaseError::fail(format!(
                        "after step {step} ({edit:?}): {d}"
                    )));
                }
            }
            (None, None) => {}
            _ => prop_assert!(false, "only one of the two built, after step {}", step),
        }
        built.push(built_files.is_some());
    }
    Ok(built)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn served_site_equals_a_clean_build_after_every_edit(edits in prop::collection::vec(edit(), 1..8)) {
        run(&edits)?;
    }
}

/// The property holds for a sequence that touches every stage the memo
/// keeps: the frame (an actor added, a date moved), the graph, the
/// autolinker (a profile alias that other bodies spell), the kept bodies
/// (a `[[briefing:...]]` link whose target is renamed, a figure whose
/// drawing changes), the config and a template.
#[test]
fn a_sequence_through_every_kept_stage() {
    let i = Pick;
    let edits = [
        Edit::Body(i(0), i(6)),
        Edit::ProfileAlias(i(0), i(0)),
        Edit::AddActor(i(2), i(3)),
        Edit::Slug(i(0), i(3)),
        Edit::Date(i(1), 20, false),
        Edit::Break(i(3)),
        Edit::Rename(i(3)),
        Edit::Title(i(3), i(2)),
        Edit::Autolink(i(1)),
        Edit::Body(i(1), i(9)),
        Edit::RawHtml(i(1)),
        // Quotes, dashes and a name across a line break, with smart
        // punctuation, then without; then a profile alias the body writes
        // across the line break taken away.
        Edit::Body(i(0), i(12)),
        Edit::Title(i(0), i(4)),
        Edit::SmartPunctuation,
        Edit::ProfileAlias(i(0), i(0)),
        Edit::Template(Some(i(1))),
        Edit::SiteTitle,
        Edit::Delete(i(0)),
        Edit::New(3),
        // A figure, its drawing redrawn (new size, new file name), then
        // gone (a missing image fails the build), then back.
        Edit::Body(i(1), i(10)),
        Edit::Body(i(2), i(11)),
        Edit::Map(Some(i(1))),
        Edit::Map(None),
        Edit::Map(Some(i(0))),
    ];
    let built = run(&edits).unwrap();
    // Every step but the broken YAML, the rename that keeps it broken and
    // the missing drawing builds, so every kept stage was compared file by
    // file.
    let failed: Vec<usize> = (0..built.len()).filter(|&i| !built[i]).collect();
    assert_eq!(failed, vec![5, 6, 22], "the steps that did not build");
}
