//! Typography and names as editors type them: smart punctuation in bodies,
//! titles and summaries (on by default, `markdown.smart_punctuation: false`
//! turns it off; code is left as written); names that differ only in how an
//! apostrophe, quote or dash is typed, or that are broken across a line,
//! are the same name to `actors:`, `[[...]]` links and the autolinker.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const WPK: &str = "/actors/workers-party-of-korea/";
const SHOIGU: &str = "/actors/sergei-shoigu/";

/// Builds `root` into a folder beside it and returns the folder.
fn build(root: &Path, name: &str) -> PathBuf {
    let out = root.parent().unwrap().join(name);
    build_ok(root, &out, &[]);
    out
}

/// Each diagnostic's code, line and column.
fn places(items: &[serde_json::Value]) -> Vec<(&str, u64, u64)> {
    items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn profile(name: &str) -> String {
    format!("---\nname: {name}\nkind: organization\n---\nA profile.\n")
}

const SHOIGU_PROFILE: (&str, &str) = (
    "content/actors/sergei-shoigu.md",
    "---\nname: Sergei Shoigu\nkind: person\n---\nA profile.\n",
);

fn briefing(front: &str, body: &str) -> String {
    format!("---\ntitle: A visit\ndate: 2024-03-01\n{front}---\n{body}")
}

const BRIEFING: &str = "content/briefings/2024/2024-03-01-visit.md";
const PAGE: &str = "briefings/2024/visit/index.html";

/// The HTML of the body of the one briefing.
fn prose(out: &Path) -> String {
    let html = read(out, PAGE);
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse(".prose").unwrap();
    doc.select(&selector).next().expect("a body").inner_html()
}

const TYPED: &str = "The \"primary foe\" -- Kim's 'word' --- and so...\n\n\
     Inline `\"code\" -- it's...` stays.\n\n\
     ```\n\"block\" -- it's...\n```\n";

#[test]
fn bodies_get_curly_quotes_dashes_and_ellipses_but_code_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), "", &[(BRIEFING, &briefing("", TYPED))]);
    let out = build(&root, "out");
    let body = prose(&out);
    assert!(
        body.contains(
            "The \u{201C}primary foe\u{201D} \u{2013} Kim\u{2019}s \u{2018}word\u{2019} \u{2014} and so\u{2026}"
        ),
        "{body}"
    );
    let html = read(&out, PAGE);
    assert_eq!(texts(&html, ".prose p code"), ["\"code\" -- it's..."]);
    assert_eq!(texts(&html, ".prose pre"), ["\"block\" -- it's..."]);
}

#[test]
fn smart_punctuation_false_keeps_straight_quotes_in_bodies_and_titles() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "markdown: {smart_punctuation: false}\n",
        &[(
            BRIEFING,
            "---\ntitle: 'The \"primary foe\" -- again'\ndate: 2024-03-01\n---\nThe \"primary foe\" -- Kim's 'word' --- and so...\n",
        )],
    );
    let out = build(&root, "out");
    assert!(
        prose(&out).contains("The \"primary foe\" -- Kim's 'word' --- and so..."),
        "{}",
        prose(&out)
    );
    let html = read(&out, PAGE);
    assert_eq!(
        texts(&html, "h1.briefing-title"),
        ["The \"primary foe\" -- again"]
    );
    assert!(
        !html.contains(['\u{201C}', '\u{2019}', '\u{2013}']),
        "{html}"
    );
}

#[test]
fn a_bad_smart_punctuation_value_is_a_config_error_at_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "markdown:\n  smart_punctuation: sometimes\n  smart_quotes: true\n",
        &[(BRIEFING, &briefing("", "Text.\n"))],
    );
    let (code, items) = check_json(&root, &[]);
    assert_eq!(code, 1, "{items:#?}");
    assert_eq!(
        places(&items),
        [("bad-config", 4, 22), ("bad-config", 5, 3)],
        "{items:#?}"
    );
    assert!(
        items[0]["message"]
            .as_str()
            .unwrap()
            .contains("`markdown.smart_punctuation`")
    );
    assert!(
        items[1]["message"]
            .as_str()
            .unwrap()
            .contains("`markdown.smart_quotes`")
    );
}

/// An actor's role and roles, and the role a briefing gives it, get smart
/// punctuation; its name is shown as written (names are what editors
/// type to find it).
#[test]
fn roles_get_smart_punctuation_and_names_stay_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (
                "content/actors/kim-jong-un.md",
                "---\nname: Kim Jong Un\nkind: person\nrole: General Secretary of the Workers' Party of Korea\nroles:\n  - {title: 'Chairman of the \"State Affairs\" Commission', from: 2016-06}\n---\nA profile.\n",
            ),
            (
                "content/actors/workers-party-of-korea.md",
                &profile("Workers' Party of Korea"),
            ),
            (
                BRIEFING,
                &briefing(
                    "actors:\n  - {name: Kim Jong Un, role: 'the \"host\"'}\n  - Workers' Party of Korea\n",
                    "Body.\n",
                ),
            ),
            (
                "content/briefings/2024/2024-03-02-talks.md",
                "---\ntitle: Talks\ndate: 2024-03-02\nactors: [Kim Jong Un]\n---\nBody.\n",
            ),
        ],
    );
    let out = build(&root, "out");
    let html = read(&out, PAGE);
    assert!(html.contains("the \u{201C}host\u{201D}"), "{html}");
    assert_eq!(
        texts(&html, ".mentions a"),
        ["Kim Jong Un", "Workers' Party of Korea"]
    );
    let actor = read(&out, "actors/kim-jong-un/index.html");
    assert!(
        actor.contains("General Secretary of the Workers\u{2019} Party of Korea"),
        "{actor}"
    );
    // The talks give no role: the one held on their date is shown.
    assert!(
        actor.contains("Chairman of the \u{201C}State Affairs\u{201D} Commission"),
        "{actor}"
    );
}

/// A title and summary with straight quotes are shown with curly ones on
/// the page, in its metadata, JSON-LD and feeds, each escaped as its
/// format needs; so are a page's title, an event, a correction and a
/// source's title and note.
#[test]
fn titles_and_summaries_get_smart_punctuation_everywhere_they_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (
                BRIEFING,
                "---\ntitle: 'Pyongyang''s \"primary foe\" <b> & co -- again'\ndate: 2024-03-01\nsummary: 'Seoul is the \"primary foe\"...'\n\
                 events:\n  - {date: 2024-01-15, what: 'Kim''s \"speech\"'}\n\
                 corrections:\n  - {date: 2024-03-02, note: 'An earlier version said \"enemy\"'}\n\
                 sources:\n  - {title: 'Kim calls South \"primary foe\"', note: 'The agency''s text', publisher: Yonhap, url: 'https://en.yna.co.kr/'}\n\
                 ---\nBody.\n",
            ),
            (
                "content/pages/about.md",
                "---\ntitle: 'The desk''s \"rules\"'\n---\nAbout.\n",
            ),
        ],
    );
    let out = build(&root, "out");
    let title = "Pyongyang\u{2019}s \u{201C}primary foe\u{201D} <b> & co \u{2013} again";
    let summary = "Seoul is the \u{201C}primary foe\u{201D}\u{2026}";
    let html = read(&out, PAGE);
    assert_eq!(texts(&html, "h1.briefing-title"), [title]);
    assert_eq!(texts(&html, ".standfirst"), [summary]);
    assert!(
        html.contains(
            "Pyongyang\u{2019}s \u{201C}primary foe\u{201D} &lt;b&gt; &amp; co \u{2013} again"
        ),
        "{html}"
    );
    let doc = scraper::Html::parse_document(&html);
    let og = scraper::Selector::parse("meta[property='og:title']").unwrap();
    assert_eq!(
        doc.select(&og).next().unwrap().value().attr("content"),
        Some(title)
    );
    let ld = texts(&html, "script[type='application/ld+json']").join("");
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["headline"], title);
    assert_eq!(ld["description"], summary);
    let feed: serde_json::Value = serde_json::from_str(&read(&out, "feed.json")).unwrap();
    assert_eq!(feed["items"][0]["title"], title);
    let atom = read(&out, "feed.xml");
    assert!(
        atom.contains(
            "Pyongyang\u{2019}s \u{201C}primary foe\u{201D} &lt;b&gt; &amp; co \u{2013} again"
        ),
        "{atom}"
    );
    for shown in [
        "Kim\u{2019}s \u{201C}speech\u{201D}",
        "An earlier version said \u{201C}enemy\u{201D}",
        "Kim calls South \u{201C}primary foe\u{201D}",
        "The agency\u{2019}s text",
    ] {
        assert!(html.contains(shown), "{shown} in {html}");
    }
    assert_eq!(
        ld["citation"][0]["name"],
        "Kim calls South \u{201C}primary foe\u{201D}"
    );
    let about = read(&out, "about/index.html");
    assert!(
        about.contains("The desk\u{2019}s \u{201C}rules\u{201D}"),
        "{about}"
    );
}

/// The autolinks of the one briefing's body, as (href, text).
fn autolinks(out: &Path) -> Vec<(String, String)> {
    let html = read(out, PAGE);
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse(".prose a.autolink").unwrap();
    doc.select(&selector)
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect(),
            )
        })
        .collect()
}

#[test]
fn a_name_with_an_apostrophe_typed_either_way_links_to_its_profile() {
    let body = "First the Workers' Party of Korea.\n\nThen the Workers\u{2019} Party of Korea.\n";
    for profile_name in ["Workers' Party of Korea", "Workers\u{2019} Party of Korea"] {
        for smart in ["true", "false"] {
            let dir = tempfile::tempdir().unwrap();
            let root = site(
                dir.path(),
                &format!("actors: {{autolink: all}}\nmarkdown: {{smart_punctuation: {smart}}}\n"),
                &[
                    (
                        "content/actors/workers-party-of-korea.md",
                        &format!(
                            "---\nname: \"{profile_name}\"\nkind: organization\n---\nA party.\n"
                        ),
                    ),
                    (BRIEFING, &briefing("", body)),
                ],
            );
            let out = build(&root, "out");
            let straight = if smart == "true" { "\u{2019}" } else { "'" };
            assert_eq!(
                autolinks(&out),
                [
                    (WPK.to_string(), format!("Workers{straight} Party of Korea")),
                    (
                        WPK.to_string(),
                        "Workers\u{2019} Party of Korea".to_string()
                    ),
                ],
                "profile {profile_name:?}, smart punctuation {smart}"
            );
        }
    }
}

#[test]
fn actors_and_wiki_links_with_a_curly_apostrophe_name_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "strict: true\n",
        &[
            (
                "content/actors/workers-party-of-korea.md",
                &profile("Workers' Party of Korea"),
            ),
            (
                BRIEFING,
                &briefing(
                    "actors: [\"Workers\u{2019} Party of Korea\", \"Workers\u{02BC} Party of Korea\"]\n",
                    "See [[Workers\u{2019} Party of Korea|the party]].\n",
                ),
            ),
        ],
    );
    let (code, items) = check_json(&root, &[]);
    assert!(
        items
            .iter()
            .all(|d| d["code"] != "unknown-actor" && d["code"] != "unresolved-link"),
        "{items:#?}"
    );
    assert_eq!(code, 0, "{items:#?}");
    let out = build(&root, "out");
    let html = read(&out, PAGE);
    assert_eq!(hrefs(&html, ".mentions a"), [WPK]);
    assert_eq!(hrefs(&html, ".prose a.wikilink"), [WPK]);
    assert!(
        read(&out, "actors/workers-party-of-korea/index.html").contains("/briefings/2024/visit/")
    );
}

#[test]
fn a_name_broken_across_lines_is_linked_around_the_line_break() {
    for smart in ["true", "false"] {
        let dir = tempfile::tempdir().unwrap();
        let root = site(
            dir.path(),
            &format!("markdown: {{smart_punctuation: {smart}}}\n"),
            &[
                SHOIGU_PROFILE,
                (
                    BRIEFING,
                    &briefing("", "The talks with Sergei\nShoigu's team went on.\n"),
                ),
            ],
        );
        let out = build(&root, "out");
        let body = prose(&out);
        assert!(
            body.contains(
                "<a class=\"autolink\" href=\"/actors/sergei-shoigu/\">Sergei\nShoigu</a>"
            ),
            "{body}"
        );
        assert_eq!(
            autolinks(&out),
            [(SHOIGU.to_string(), "Sergei\nShoigu".to_string())]
        );
    }
}

/// `[[...]]` links and citations after a name that spans lines are placed
/// where they are written, and a wiki link broken across lines is one
/// name.
#[test]
fn links_on_and_after_a_name_across_lines_are_placed_where_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            SHOIGU_PROFILE,
            (
                BRIEFING,
                &briefing(
                    "",
                    "Sergei\nShoigu met [[Sergei\nShoigu|him]] and\n  [[Sergei\nShoigux]], said [@nope].\n",
                ),
            ),
        ],
    );
    let (_, items) = check_json(&root, &[]);
    // The body starts on line 5.
    assert_eq!(
        places(&items),
        [("unresolved-link", 8, 3), ("unknown-citation", 9, 17)],
        "{items:#?}"
    );
    let message = items[0]["message"].as_str().unwrap();
    assert!(message.starts_with("[[Sergei Shoigux]] "), "{message}");
    assert!(
        items[0]["hint"].as_str().unwrap().contains("Sergei Shoigu"),
        "{items:#?}"
    );
}
