//! The briefing graph on a fixture site: co-occurrence, roles at a date,
//! related briefings, "linked from", affiliations, timelines, citations and
//! the sources page.

mod common;
use common::*;
use std::path::PathBuf;

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("graph"), &out, &[]);
    (dir, out)
}

#[test]
fn actor_page_counts_co_occurrences_and_topics() {
    let (_d, out) = built();
    let kim = read(&out, "actors/kim-jong-un/index.html");
    let peers = texts(&kim, "[aria-labelledby=peers-title] li");
    assert_eq!(peers, ["Sergei Shoigu 3", "Vladimir Putin 2", "Russia 1"]);
    let topics = texts(&kim, "[aria-labelledby=actor-topics-title] li");
    assert_eq!(topics, ["Arms transfers 2", "Space 1", "Treaty 1"]);
}

#[test]
fn briefing_shows_the_role_held_on_its_date() {
    let (_d, out) = built();
    let early = read(&out, "briefings/2023/shoigu-in-pyongyang/index.html");
    let late = read(&out, "briefings/2024/treaty/index.html");
    assert_eq!(
        texts(&early, ".mentions .role")[0],
        "Minister of Defence of Russia"
    );
    assert_eq!(
        texts(&late, ".mentions .role"),
        ["Secretary of the Security Council of Russia"]
    );
}

#[test]
fn actor_page_shows_the_role_held_in_each_briefing() {
    let (_d, out) = built();
    let shoigu = read(&out, "actors/sergei-shoigu/index.html");
    // The role held on each briefing's date is what the list filters by.
    let doc = scraper::Html::parse_document(&shoigu);
    let held: Vec<&str> = doc
        .select(&scraper::Selector::parse(".row").unwrap())
        .filter_map(|r| r.attr("data-role"))
        .collect();
    assert_eq!(
        held,
        [
            "Secretary of the Security Council of Russia",
            "Minister of Defence of Russia",
            "Minister of Defence of Russia"
        ]
    );
    // None of the briefings gives him a part of its own.
    assert!(texts(&shoigu, ".row-part").is_empty());
    // No roles over time and none given: nothing extra on the rows.
    let kim = read(&out, "actors/kim-jong-un/index.html");
    assert!(texts(&kim, ".row-part").is_empty());
    assert!(!kim.contains("data-role"));
}

#[test]
fn related_briefings_in_a_fixed_order() {
    let (_d, out) = built();
    let summit = read(&out, "briefings/2023/summit/index.html");
    // Both share three entities of equal weight; the closer date wins the tie.
    assert_eq!(
        hrefs(&summit, ".related a"),
        [
            "/briefings/2023/shoigu-in-pyongyang/",
            "/briefings/2024/treaty/"
        ]
    );
    let unrelated = read(&out, "briefings/2024/unrelated/index.html");
    assert!(hrefs(&unrelated, ".related a").is_empty());
}

#[test]
fn linked_from_lists_briefings_linking_here_newest_first() {
    let (_d, out) = built();
    let visit = read(&out, "briefings/2023/shoigu-in-pyongyang/index.html");
    assert_eq!(
        hrefs(&visit, ".linked-from a"),
        ["/briefings/2024/treaty/", "/briefings/2023/summit/"]
    );
}

#[test]
fn affiliations_are_linked_both_ways() {
    let (_d, out) = built();
    let shoigu = read(&out, "actors/sergei-shoigu/index.html");
    let russia = read(&out, "actors/russia/index.html");
    assert_eq!(hrefs(&shoigu, ".facts a"), ["/actors/russia/"]);
    assert_eq!(hrefs(&russia, ".facts a"), ["/actors/sergei-shoigu/"]);
}

#[test]
fn timeline_orders_partial_dates() {
    let (_d, out) = built();
    let timeline = read(&out, "timeline/index.html");
    assert_eq!(
        texts(&timeline, ".timeline .event-what"),
        [
            "The summit",
            "A month of summitry",
            "Shoigu attends the parade",
            "A year of visits"
        ]
    );
    assert_eq!(
        texts(&timeline, ".timeline-month"),
        ["September 2023", "July 2023", "2023, date not given"]
    );
    let year = read(&out, "timeline/2023/index.html");
    assert_eq!(texts(&year, ".timeline .event-what").len(), 4);
    // An actor's timeline: events naming it, and unattributed events of its briefings.
    let kim = read(&out, "actors/kim-jong-un/index.html");
    assert_eq!(
        texts(&kim, ".dossier-timeline .event-what"),
        [
            "The summit",
            "Shoigu attends the parade",
            "A year of visits"
        ]
    );
}

#[test]
fn citations_are_numbered_with_back_references() {
    let (_d, out) = built();
    let html = read(&out, "briefings/2023/shoigu-in-pyongyang/index.html");
    let cites: Vec<String> = hrefs(&html, "sup.citation a");
    assert_eq!(cites, ["#source-2", "#source-1", "#source-2", "#source-3"]);
    assert_eq!(
        hrefs(&html, "#source-2 .backref"),
        ["#cite-2-1", "#cite-2-2"]
    );
    assert_eq!(hrefs(&html, "#source-1 .backref"), ["#cite-1-1"]);
    // A javascript: URL is never rendered as a link.
    assert!(!html.contains("javascript:"), "hostile URL rendered");
}

#[test]
fn sources_page_counts_publishers() {
    let (_d, out) = built();
    let html = read(&out, "sources/index.html");
    let heads = texts(&html, ".publisher h2");
    assert_eq!(
        heads,
        [
            "The Moscow Times 2 citations of 1 document in 2 briefings",
            "Associated Press 1 citation of 1 document in 1 briefing",
            "KCNA Watch 1 citation of 1 document in 1 briefing"
        ]
    );
    let mt = read(&out, "sources/the-moscow-times/index.html");
    assert_eq!(
        hrefs(&mt, ".publisher-briefings .row-title"),
        [
            "/briefings/2023/summit/",
            "/briefings/2023/shoigu-in-pyongyang/"
        ]
    );
}

#[test]
fn mentions_are_autolinked_once_but_not_on_the_own_page() {
    let (_d, out) = built();
    let treaty = read(&out, "briefings/2024/treaty/index.html");
    assert_eq!(
        hrefs(&treaty, ".prose a.autolink"),
        ["/actors/sergei-shoigu/"]
    );
    let unrelated = read(&out, "briefings/2024/unrelated/index.html");
    // "Sergei Shoigu's": whole word before the apostrophe.
    assert_eq!(
        hrefs(&unrelated, ".prose a.autolink"),
        ["/actors/sergei-shoigu/"]
    );
}
