//! An actor's page is a dossier: who they are (current role, career,
//! affiliations, identifiers), then the timeline of their events (each
//! event once, linking every briefing that reports it), then whom and what
//! they appear with, then their briefings as compact rows an analyst can
//! filter. Topic pages list their briefings the same way.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

/// A desk following Kim Jong Un: a profile with a career, two briefings
/// reporting the same summit, one briefing giving two events on one day.
fn site(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("site");
    write(
        &root,
        "attache.yaml",
        "title: Desk\nbase_url: https://desk.example.org/\n",
    );
    write(
        &root,
        "content/actors/kim-jong-un.md",
        "---\nname: Kim Jong Un\nkind: person\naffiliations: [North Korea]\nroles:\n  - {title: Supreme Leader of North Korea, from: 2011-12}\n  - {title: Chairman of the Party, from: 2016-05, to: 2021-01}\n  - {title: General Secretary of the Party, from: 2021-01}\nids: {wikidata: Q56226}\n---\nThe third leader of North Korea.\n",
    );
    write(
        &root,
        "content/briefings/2023/2023-09-14-summit.md",
        "---\ntitle: Kim and Putin meet at the cosmodrome\ndate: 2023-09-14\nsummary: The summit.\nactors:\n  - name: Kim Jong Un\n    role: received the Russian delegation\n  - Vladimir Putin\ntopics: [Russia, Arms transfers, Space launches, Sanctions]\nevents:\n  - date: 2023-09-13\n    what: Kim Jong Un and Vladimir Putin hold a summit at the Vostochny Cosmodrome\n    actors: [Kim Jong Un, Vladimir Putin]\n---\nBody.\n",
    );
    write(
        &root,
        "content/briefings/2023/2023-11-15-delegation.md",
        "---\ntitle: A delegation follows up\ndate: 2023-11-15\nsummary: The follow-up.\nactors: [Kim Jong Un, Vladimir Putin]\ntopics: [Russia]\nevents:\n  - date: 2023-09-13\n    what: Kim Jong Un and Vladimir Putin hold a summit in Russia\n    actors: [Vladimir Putin, Kim Jong Un]\n  - date: 2023-11-14\n    what: A delegation arrives\n    actors: [Kim Jong Un]\n---\nBody.\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-06-19-treaty.md",
        "---\ntitle: The treaty is signed\ndate: 2024-06-19\nsummary: The treaty.\nactors: [Kim Jong Un, Vladimir Putin]\ntopics: [Russia]\nevents:\n  - date: 2024-06-19\n    what: Putin arrives in Pyongyang\n    actors: [Kim Jong Un, Vladimir Putin]\n  - date: 2024-06-19\n    what: Kim and Putin sign the treaty\n    actors: [Kim Jong Un, Vladimir Putin]\n---\nBody.\n",
    );
    let out = dir.join("out");
    build_ok(&root, &out, &[]);
    (root, out)
}

/// Where in the page `needle` first appears.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the page"))
}

#[test]
fn the_actor_page_reads_who_then_timeline_then_connections_then_briefings() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = site(dir.path());
    let html = read(&out, "actors/kim-jong-un/index.html");
    let order = [
        at(&html, "id=\"who-title\""),
        at(&html, "class=\"career\""),
        at(&html, "Affiliations"),
        at(&html, "Identifiers"),
        at(&html, "id=\"timeline-title\""),
        at(&html, "id=\"graph-title\""),
        at(&html, "id=\"peers-title\""),
        at(&html, "id=\"briefings-title\""),
        at(&html, "class=\"row\""),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // No full cards: the briefings are compact rows.
    assert!(!html.contains("class=\"card"), "{html}");
}

#[test]
fn the_career_is_a_dated_list_latest_first_with_the_current_roles_marked() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = site(dir.path());
    let html = read(&out, "actors/kim-jong-un/index.html");
    assert_eq!(
        texts(&html, ".career .title"),
        [
            "General Secretary of the Party",
            "Chairman of the Party",
            "Supreme Leader of North Korea"
        ]
    );
    assert_eq!(
        texts(&html, ".career .span"),
        [
            "January 2021 – present",
            "May 2016 – January 2021",
            "December 2011 – present"
        ]
    );
    assert_eq!(
        texts(&html, ".career li.current .title"),
        [
            "General Secretary of the Party",
            "Supreme Leader of North Korea"
        ]
    );
    // With no `role:` in the profile, the page opens with the latest
    // current one.
    assert_eq!(
        texts(&html, ".profile-header .standfirst"),
        ["General Secretary of the Party"]
    );
}

#[test]
fn an_event_reported_by_two_briefings_is_one_event_linking_both() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = site(dir.path());
    let html = read(&out, "actors/kim-jong-un/index.html");
    let whats = texts(&html, ".events .event-what");
    assert_eq!(
        whats
            .iter()
            .filter(|w| w.contains("hold a summit"))
            .collect::<Vec<_>>(),
        // The first report's words.
        ["Kim Jong Un and Vladimir Putin hold a summit at the Vostochny Cosmodrome"]
    );
    let summit = texts(&html, ".events li")
        .into_iter()
        .find(|li| li.contains("hold a summit"))
        .unwrap();
    let first = summit.find("Kim and Putin meet at the cosmodrome").unwrap();
    let second = summit.find("A delegation follows up").unwrap();
    assert!(first < second, "{summit}");
    // Two events one briefing gives for one day stay two.
    assert!(whats.iter().any(|w| w == "Putin arrives in Pyongyang"));
    assert!(whats.iter().any(|w| w == "Kim and Putin sign the treaty"));
    assert_eq!(whats.len(), 4, "{whats:?}");
    // The site timeline merges them the same way.
    let timeline = read(&out, "timeline/index.html");
    assert_eq!(timeline.matches("hold a summit").count(), 1, "{timeline}");
    assert!(timeline.contains("A delegation follows up"));
    // And the other actor's page too.
    let putin = read(&out, "actors/vladimir-putin/index.html");
    assert_eq!(putin.matches("hold a summit").count(), 1);
}

#[test]
fn briefing_rows_show_the_actors_part_and_at_most_two_topics() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = site(dir.path());
    let html = read(&out, "actors/kim-jong-un/index.html");
    // The role a briefing gives is shown as written, not as a title.
    assert_eq!(
        texts(&html, ".row-part"),
        ["received the Russian delegation"]
    );
    assert!(!html.contains("As received"));
    // Four topics: two labels and "+2".
    let row = texts(&html, ".row")
        .into_iter()
        .find(|r| r.contains("cosmodrome"))
        .unwrap();
    assert!(row.contains("+2"), "{row}");
    assert!(!row.contains("Sanctions"), "{row}");
    // The filter reads the year, every topic and the career role held.
    let doc = scraper::Html::parse_document(&html);
    let rows: Vec<_> = doc
        .select(&scraper::Selector::parse(".row").unwrap())
        .collect();
    let summit = rows
        .iter()
        .find(|r| r.text().collect::<String>().contains("cosmodrome"))
        .unwrap();
    assert_eq!(summit.attr("data-year"), Some("2023"));
    assert_eq!(
        summit.attr("data-topics"),
        Some("Russia|Arms transfers|Space launches|Sanctions")
    );
    assert_eq!(
        summit.attr("data-role"),
        Some("General Secretary of the Party")
    );
    // Years head their rows.
    assert_eq!(texts(&html, ".rows-year"), ["2024", "2023"]);
    // Cards elsewhere carry two topic labels at most too.
    let home = read(&out, "index.html");
    let meta = texts(&home, ".card-meta").join(" | ");
    assert!(meta.contains("+2"), "{meta}");
    assert!(!meta.contains("Sanctions"), "{meta}");
}

#[test]
fn every_list_holds_paginate_briefings_and_the_filter_script_ships() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root, "attache.yaml", "title: Desk\npaginate: 4\n");
    for day in 1..=9 {
        write(
            &root,
            &format!("content/briefings/2024/2024-03-{day:02}-b{day}.md"),
            &format!(
                "---\ntitle: Briefing {day}\ndate: 2024-03-{day:02}\nactors: [Kim Jong Un]\ntopics: [Russia]\n---\nBody.\n"
            ),
        );
    }
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    for list in ["", "actors/kim-jong-un/", "topics/russia/"] {
        let items = |n: &str| {
            let html = read(&out, &format!("{list}{n}index.html"));
            texts(&html, ".row-title, .card-title").len()
        };
        assert_eq!(
            [items(""), items("page/2/"), items("page/3/")],
            [4, 4, 1],
            "{list}"
        );
        assert!(!out.join(format!("{list}page/4")).exists());
    }
    // The sitemap lists exactly the pages written.
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("/actors/kim-jong-un/page/3/"));
    assert!(!sitemap.contains("/actors/kim-jong-un/page/4/"));
    // The filter script is written and the list pages load it.
    let first = read(&out, "actors/kim-jong-un/index.html");
    assert!(read(&out, "filter.js").contains("data-filter-list"));
    assert!(first.contains("filter.js"));
    assert!(first.contains("data-filter-list"));
    assert!(read(&out, "topics/russia/index.html").contains("filter.js"));
}
