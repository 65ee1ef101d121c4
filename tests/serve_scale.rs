//! `serve`'s fast path for an edit to briefings' bodies, or to one
//! briefing's names, title or summary: the site is the last one with the
//! edited briefings made again (`site::patch_preview`), sharing the rest,
//! and what it serves equals a clean build of the same files (the same
//! diagnostics, paths and bytes) after every edit: links between briefings
//! added and taken out (`linked_from`), links to site pages (checked, and
//! broken), body problems appearing and going, the lead paragraph (the
//! summary cards show); actors and topics added and taken out (lists,
//! related briefings, co-occurrence, the warning for a name without a
//! profile moving to its first use), roles and titles. Any other edit is
//! not patched.

use attache::diagnostics::Diagnostics;
use attache::markdown::highlight::Highlighter;
use attache::render::Contents;
use attache::serve::{Changed, Found, Output, Served, Session, Update};
use attache::site::{self, Command, SiteOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

type Files = BTreeMap<String, Vec<u8>>;

fn describe(diagnostics: Diagnostics) -> Vec<String> {
    diagnostics
        .sorted()
        .into_iter()
        .map(|d| format!("{d:?}"))
        .collect()
}

/// A clean build of the site: its diagnostics and files.
fn clean_build(options: &SiteOptions) -> (Vec<String>, Option<Files>) {
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

/// Every file the output serves.
/// Asserts that the served files are the built ones, path for path and
/// byte for byte; `when` says after what.
fn assert_same_files(served: &Files, built: &Files, when: &str) {
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>(),
        "{when}"
    );
    for (path, bytes) in built {
        assert!(
            served[path] == *bytes,
            "{when}: {path} differs:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

fn files_of(output: &Output) -> Files {
    output
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
        .collect()
}

const BRIEFING: &str = "---\ntitle: {title}\ndate: 2024-03-{day}\nactors: [Kim Jong Un]\ntopics: [Sanctions]\nsources:\n  - id: s\n    title: A report\n    publisher: TASS\n    url: https://example.org/r\n---\n{body}\n";

fn briefing(title: &str, day: u32, body: &str) -> String {
    BRIEFING
        .replace("{title}", title)
        .replace("{day}", &format!("{day:02}"))
        .replace("{body}", body)
}

struct Site {
    _dir: tempfile::TempDir,
    options: SiteOptions,
    session: Session,
    last: Arc<Output>,
}

impl Site {
    fn new() -> Site {
        Site::with(&[])
    }

    /// The site of `new`, with `files` (path, text) written over it.
    fn with(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "attache.yaml",
            "title: Desk\nbase_url: https://example.org/\n",
        );
        write(
            "content/actors/kim-jong-un.md",
            "---\nname: Kim Jong Un\n---\nA profile.\n",
        );
        write(
            "content/pages/about.md",
            "---\ntitle: About\n---\nAbout us.\n",
        );
        write(
            "content/briefings/2024/2024-03-01-visit.md",
            &briefing(
                "A visit",
                1,
                "Kim Jong Un arrived [@s]. See [about](/about/).",
            ),
        );
        write(
            "content/briefings/2024/2024-03-05-summit.md",
            &briefing("The summit", 5, "The summit began [@s]."),
        );
        write(
            "content/briefings/2024/2024-03-09-launch.md",
            &briefing("A launch", 9, "A launch followed [@s]."),
        );
        for (rel, text) in files {
            write(rel, text);
        }
        let options = SiteOptions {
            root: root.clone(),
            base_url: None,
            drafts: false,
            strict: false,
            cache: None,
        };
        let mut session = Session::new(options.clone());
        let last = match session.update() {
            Update::Good { output, .. } => output,
            Update::Failed(d) => panic!("the first build failed: {d:?}"),
        };
        Site {
            _dir: dir,
            options,
            session,
            last,
        }
    }

    /// Writes `text` to the briefing `file`, rebuilds as the watcher would
    /// have it, and checks the served site against a clean build. Returns
    /// whether the new output was patched from the last, and the
    /// diagnostics.
    fn edit_and_report(&mut self, file: &str, text: &str) -> (bool, Vec<String>) {
        let rel = PathBuf::from("content/briefings/2024").join(file);
        std::fs::write(self.options.root.join(&rel), text).unwrap();
        self.session.note_changes(&Changed {
            paths: Some(vec![rel]),
        });
        let (output, diagnostics) = match self.session.update() {
            Update::Good {
                output,
                diagnostics,
            } => (output, diagnostics),
            Update::Failed(d) => panic!("the build failed after editing {file}: {d:?}"),
        };
        let (built_diagnostics, built) = clean_build(&self.options);
        let diagnostics = describe(Diagnostics::clone(&diagnostics));
        assert_eq!(diagnostics, built_diagnostics, "after editing {file}");
        let built = built.expect("the clean build has no errors");
        assert_same_files(&files_of(&output), &built, &format!("after editing {file}"));
        let patched = output.shares_pages_with(&self.last);
        self.last = output;
        (patched, diagnostics)
    }

    fn edit(&mut self, file: &str, text: &str) -> bool {
        self.edit_and_report(file, text).0
    }
}

/// Two bodies saved at once (one burst of events) are patched together,
/// one of them gaining a link to the other.
#[test]
fn bodies_saved_together_are_patched_together() {
    let mut site = Site::new();
    let root = site.options.root.clone();
    let dir = PathBuf::from("content/briefings/2024");
    let edits = [
        (
            "2024-03-05-summit.md",
            briefing(
                "The summit",
                5,
                "Talks began [@s], after [[briefing:launch]].",
            ),
        ),
        (
            "2024-03-09-launch.md",
            briefing("A launch", 9, "A launch came first [@s].\n\nThen another."),
        ),
    ];
    let mut paths = Vec::new();
    for (file, text) in &edits {
        std::fs::write(root.join(&dir).join(file), text).unwrap();
        paths.push(dir.join(file));
    }
    site.session.note_changes(&Changed { paths: Some(paths) });
    let Update::Good {
        output,
        diagnostics,
    } = site.session.update()
    else {
        panic!("the build failed");
    };
    assert!(output.shares_pages_with(&site.last), "not patched");
    let (built_diagnostics, built) = clean_build(&site.options);
    assert_eq!(
        describe(Diagnostics::clone(&diagnostics)),
        built_diagnostics
    );
    let built = built.expect("the clean build has no errors");
    assert_same_files(&files_of(&output), &built, "after saving both");
}

#[test]
fn body_edits_are_patched_into_the_last_site_and_equal_a_clean_build() {
    let mut site = Site::new();
    let visit = "2024-03-01-visit.md";
    let summit = "2024-03-05-summit.md";
    let edits = [
        // A new lead paragraph (the summary cards and lists show).
        (
            summit,
            briefing("The summit", 5, "Talks opened late [@s].\n\nMore talks."),
        ),
        // A link to another briefing: its "linked from" gains this one.
        (
            summit,
            briefing(
                "The summit",
                5,
                "Talks opened late [@s], after [[briefing:visit]].",
            ),
        ),
        // A second briefing links to it too, then the first stops.
        (
            visit,
            briefing(
                "A visit",
                1,
                "Kim Jong Un arrived [@s]. See [about](/about/) and [[briefing:launch]].",
            ),
        ),
        (summit, briefing("The summit", 5, "Talks opened late [@s].")),
        // A link to a page the site does not have (a broken-link
        // warning), a citation of a source it does not list and a link to
        // an unknown actor (body problems); then all fixed.
        (
            visit,
            briefing(
                "A visit",
                1,
                "Kim Jong Un arrived [@s]. See [about](/about/).",
            ),
        ),
    ];
    for (step, (file, text)) in edits.iter().enumerate() {
        assert!(site.edit(file, text), "step {step} was not patched");
        // The edited bodies' problems stay as they were (none), so they
        // are not reported again; the fix of the problems below is.
        assert_eq!(site.session.problems_unchanged(), step != 4, "step {step}");
        if step == 3 {
            let (patched, diagnostics) = site.edit_and_report(
                visit,
                &briefing(
                    "A visit",
                    1,
                    "Kim Jong Un arrived [@s] [@nope]. See [about](/about/), [gone](/gone/) and [[Nobody Known]].",
                ),
            );
            assert!(patched, "the edit with problems was not patched");
            assert!(!site.session.problems_unchanged());
            for code in ["BrokenLink", "UnknownCitation", "UnresolvedLink"] {
                assert!(
                    diagnostics.iter().any(|d| d.contains(code)),
                    "no {code} in {diagnostics:#?}"
                );
            }
        }
    }
    // A title no body shows is patched too (the pages that show it are
    // rendered from the model).
    assert!(
        site.edit(
            summit,
            &briefing("The summit ends", 5, "Talks opened late [@s].")
        ),
        "a title edit was not patched"
    );
    // A body that gains its first link to a site page is not patched (the
    // place of its links in the site's list is not known), nor is one
    // whose front matter changes with it.
    let launch = "2024-03-09-launch.md";
    assert!(!site.edit(
        launch,
        &briefing(
            "A launch",
            9,
            "A launch followed [@s]. See [about](/about/)."
        )
    ));
    assert!(site.edit(
        launch,
        &briefing("A launch", 9, "A launch came [@s]. See [about](/about/).")
    ));
    assert!(!site.edit(
        launch,
        &briefing("A launch", 10, "A launch came [@s] again.")
    ));
}

/// A briefing with the front matter given, `{day}` of March 2024.
fn briefing_with(day: u32, front: &str, body: &str) -> String {
    format!(
        "---\ntitle: Day {day}\ndate: 2024-03-{day:02}\n{front}sources:\n  - id: s\n    title: A report\n    publisher: TASS\n    url: https://example.org/r\n---\n{body} [@s]\n"
    )
}

/// Edits to one briefing's actors, topics, roles and title are patched
/// and serve what a clean build writes: lists of briefings, related
/// briefings and co-occurrence change, and the warning for a name without
/// a profile moves to the newest briefing that names it. A name the site
/// does not know yet, a name spelt otherwise than the one its entry
/// shows, and the title of a briefing another links to are not patched.
#[test]
fn front_matter_edits_are_patched_and_equal_a_clean_build() {
    let visit = "2024-03-01-visit.md";
    let summit = "2024-03-05-summit.md";
    let launch = "2024-03-09-launch.md";
    let dir = "content/briefings/2024/";
    let visit_text = briefing_with(
        1,
        "actors: [Kim Jong Un, Moon Jae-in]\ntopics: [Sanctions, Space]\n",
        "A visit.",
    );
    let summit_text = briefing_with(5, "actors: [Kim Jong Un]\ntopics: [Sanctions]\n", "Talks.");
    let mut site = Site::with(&[
        (
            "content/actors/xi-jinping.md",
            "---\nname: Xi Jinping\n---\nA profile.\n",
        ),
        (&format!("{dir}{visit}"), &visit_text),
        (&format!("{dir}{summit}"), &summit_text),
    ]);
    let patched = [
        // An unprofiled actor named by an older briefing: its warning
        // moves here (the newer briefing names it first).
        (
            summit,
            briefing_with(
                5,
                "actors:\n  - Moon Jae-in\n  - Kim Jong Un\ntopics: [Sanctions]\n",
                "Talks.",
            ),
        ),
        // A profiled actor and an unprofiled topic, with a role.
        (
            launch,
            briefing_with(
                9,
                "actors:\n  - Kim Jong Un\n  - name: Xi Jinping\n    role: host\ntopics: [Sanctions, Space]\n",
                "A launch.",
            ),
        ),
        // A role changes, and a topic is taken out.
        (
            launch,
            briefing_with(
                9,
                "actors:\n  - Kim Jong Un\n  - name: Xi Jinping\n    role: guest\ntopics: [Space]\n",
                "A launch.",
            ),
        ),
        // The actor taken out again: its warning moves back.
        (summit, summit_text.clone()),
        // A title and a summary.
        (
            summit,
            summit_text.replace("title: Day 5", "title: The summit\nsummary: In short."),
        ),
    ];
    for (step, (file, text)) in patched.iter().enumerate() {
        let (was_patched, diagnostics) = site.edit_and_report(file, text);
        assert!(was_patched, "step {step} was not patched");
        if step == 0 {
            let moon = diagnostics
                .iter()
                .find(|d| d.contains("Moon Jae-in"))
                .expect("a warning for Moon Jae-in");
            assert!(moon.contains(summit), "{moon}");
        }
    }
    let declined = [
        // A name no document used before: the registry changes.
        (
            summit,
            briefing_with(
                5,
                "actors: [Kim Jong Un, Park Geun-hye]\ntopics: [Sanctions]\n",
                "Talks.",
            ),
        ),
        // Back (the new name's entry goes): not patched either.
        (summit, summit_text.clone()),
        // Another spelling of a name without a profile, where it is named
        // first: the actor's page would show it.
        (
            summit,
            briefing_with(
                5,
                "actors: [Kim Jong Un, moon jae-in]\ntopics: [Sanctions]\n",
                "Talks.",
            ),
        ),
        (summit, summit_text.clone()),
        // A link to the summit, then the summit's title: the link shows it.
        (
            launch,
            briefing_with(
                9,
                "actors:\n  - Kim Jong Un\n  - name: Xi Jinping\n    role: guest\ntopics: [Space]\n",
                "After [[briefing:summit]].",
            ),
        ),
        (
            summit,
            summit_text.replace("title: Day 5", "title: The summit, again"),
        ),
    ];
    for (step, (file, text)) in declined.iter().enumerate() {
        let was_patched = site.edit(file, text);
        // The link itself (a body edit, step 4) is patched.
        assert_eq!(was_patched, step == 4, "step {step}");
    }
}

/// An actor whose list would gain a page (two pages at one briefing a
/// page) is not patched: the plan would have a page more. Taken out again,
/// its list loses the page: not patched either. A topic whose list keeps
/// its one page (at two a page, from one briefing to two) is.
#[test]
fn a_list_that_gains_or_loses_a_page_is_not_patched() {
    let summit = "2024-03-05-summit.md";
    let summit_text = briefing_with(5, "actors: [Kim Jong Un]\ntopics: [Sanctions]\n", "Talks.");
    let mut site = Site::with(&[
        (
            "attache.yaml",
            "title: Desk\nbase_url: https://example.org/\npaginate: 2\n",
        ),
        (
            "content/briefings/2024/2024-03-01-visit.md",
            &briefing_with(
                1,
                "actors: [Kim Jong Un, Moon Jae-in]\ntopics: [Sanctions, Space]\n",
                "A visit.",
            ),
        ),
        (
            "content/briefings/2024/2024-03-07-talks.md",
            &briefing_with(
                7,
                "actors: [Moon Jae-in]\ntopics: [Trade]\n",
                "Talks again.",
            ),
        ),
        (&format!("content/briefings/2024/{summit}"), &summit_text),
    ]);
    // Moon Jae-in: two briefings (one page at two a page), then three.
    let with_moon = briefing_with(
        5,
        "actors: [Kim Jong Un, Moon Jae-in]\ntopics: [Sanctions]\n",
        "Talks.",
    );
    assert!(
        !site.edit(summit, &with_moon),
        "a list gaining a page was patched"
    );
    assert!(
        !site.edit(summit, &summit_text),
        "a list losing a page was patched"
    );
    // Space: one briefing, then two (one page).
    let with_space = briefing_with(
        5,
        "actors: [Kim Jong Un]\ntopics: [Sanctions, Space]\n",
        "Talks.",
    );
    assert!(
        site.edit(summit, &with_space),
        "a list keeping its page was not patched"
    );
}
