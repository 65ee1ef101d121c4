//! Sources that are sources, and a search that knows names: each
//! publisher's page lists every document cited from it, once, with the
//! briefings citing it; a source's back-references are numbered (1a, 1b)
//! and lead to its citations; the citation line names author, title,
//! publisher and date in one order; the search index carries each actor's
//! other names once, so the actor filter finds "putin", and the month
//! names, so results are dated as cards are.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Builds the site `files` (path, text) with `extra` config lines, in the
/// default theme or, with `wire`, the wire theme.
fn site(dir: &Path, config: &str, files: &[(&str, &str)], wire: bool) -> PathBuf {
    let root = dir.join(if wire { "wire" } else { "site" });
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let mut config = config.to_string();
    if wire {
        config.push_str("theme: wire\n");
        copy_dir(&repo().join("themes/wire"), &root.join("themes/wire"));
    }
    std::fs::write(root.join("attache.yaml"), config).unwrap();
    let out = dir.join(if wire { "wire-out" } else { "out" });
    build_ok(&root, &out, &[]);
    out
}

/// Three briefings of one publisher, spelt two ways: the first two cite
/// one document (one URL), the first and third one without a URL (one
/// title), and the third a URL without a scheme.
const SHARED: &[(&str, &str)] = &[
    (
        "content/briefings/2024-06-20-first.md",
        "---\ntitle: First\ndate: 2024-06-20\nsources:\n  - id: t\n    title: Treaty signed\n    publisher: TASS\n    author: Staff writer\n    url: https://tass.com/world/1\n    date: 2024-06-19\n  - id: n\n    title: A note without a link\n    publisher: TASS\n    date: 2024-05-01\n---\nSigned [@t], noted [@n].\n",
    ),
    (
        "content/briefings/2024-06-21-second.md",
        "---\ntitle: Second\ndate: 2024-06-21\nsources:\n  - id: t\n    title: Treaty signed\n    publisher: tass\n    url: https://tass.com/world/1\n    date: 2024-06-19\n    archive_url: https://web.archive.org/web/2024/https://tass.com/world/1\n---\nStill signed [@t].\n",
    ),
    (
        "content/briefings/2024-06-22-third.md",
        "---\ntitle: Third\ndate: 2024-06-22\nsources:\n  - id: n\n    title: A note without a link\n    publisher: TASS\n  - id: m\n    title: Defence white paper\n    publisher: TASS\n    url: www.mod.go.jp/en/\n    date: 2024-07-01\n---\nNoted again [@n], and [@m].\n",
    ),
];

#[test]
fn a_document_cited_by_two_briefings_is_listed_once_with_both() {
    let dir = tempfile::tempdir().unwrap();
    for wire in [false, true] {
        let out = site(dir.path(), "", SHARED, wire);
        let page = read(&out, "sources/tass/index.html");
        // Newest document first; one entry each.
        assert_eq!(
            texts(&page, ".document-citation"),
            [
                "“Defence white paper”, 1 July 2024, www.mod.go.jp/en/.",
                "Staff writer, “Treaty signed”, 19 June 2024. Archived copy",
                "“A note without a link”, 1 May 2024.",
            ],
            "wire: {wire}"
        );
        let cited_by: Vec<Vec<String>> = {
            let doc = scraper::Html::parse_document(&page);
            let items = scraper::Selector::parse(".document").unwrap();
            let links = scraper::Selector::parse(".document-cited-by a").unwrap();
            doc.select(&items)
                .map(|li| {
                    li.select(&links)
                        .map(|a| a.value().attr("href").unwrap().to_string())
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            cited_by,
            [
                vec!["/briefings/2024/third/#source-2"],
                vec![
                    "/briefings/2024/second/#source-1",
                    "/briefings/2024/first/#source-1"
                ],
                vec![
                    "/briefings/2024/third/#source-1",
                    "/briefings/2024/first/#source-2"
                ],
            ],
            "wire: {wire}"
        );
        assert_eq!(
            hrefs(&page, ".document .source-title"),
            ["https://tass.com/world/1"]
        );
        assert_eq!(
            hrefs(&page, ".document .archive-link"),
            ["https://web.archive.org/web/2024/https://tass.com/world/1"]
        );
        // Each link back leads to the source's entry in the briefing.
        for href in cited_by.iter().flatten() {
            let (path, id) = href.split_once('#').unwrap();
            let briefing = read(&out, &target_file(path, "/").unwrap());
            assert_eq!(
                hrefs(&briefing, &format!("#{id} cite.publisher a")),
                ["/sources/tass/"]
            );
        }
    }
}

#[test]
fn a_bad_url_is_shown_unlinked_on_the_publisher_page() {
    let dir = tempfile::tempdir().unwrap();
    for wire in [false, true] {
        let out = site(dir.path(), "", SHARED, wire);
        let page = read(&out, "sources/tass/index.html");
        assert!(
            !urls(&page).iter().any(|u| u.contains("mod.go.jp")),
            "wire: {wire}"
        );
        assert_eq!(texts(&page, ".document .source-url"), ["www.mod.go.jp/en/"]);
    }
}

#[test]
fn the_documents_are_on_the_first_page_and_the_briefings_compact_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = site(dir.path(), "paginate: 2\n", SHARED, false);
    let first = read(&out, "sources/tass/index.html");
    assert_eq!(texts(&first, ".document").len(), 3);
    assert_eq!(
        texts(&first, ".standfirst"),
        ["3 documents cited 5 times in 3 briefings."]
    );
    assert_eq!(
        hrefs(&first, ".publisher-briefings .row-title"),
        ["/briefings/2024/third/", "/briefings/2024/second/"]
    );
    let second = read(&out, "sources/tass/page/2/index.html");
    assert!(texts(&second, ".document").is_empty());
    assert_eq!(hrefs(&second, ".documents-elsewhere a"), ["/sources/tass/"]);
    assert_eq!(
        hrefs(&second, ".publisher-briefings .row-title"),
        ["/briefings/2024/first/"]
    );
    // The index of sources counts citations, documents and briefings.
    let index = read(&out, "sources/index.html");
    assert_eq!(
        texts(&index, ".publisher h2"),
        ["TASS 5 citations of 3 documents in 3 briefings"]
    );
}

/// Every `.source-list li` of a page: its id, the href of its title link,
/// and the href of its publisher link (`None` when it names no publisher).
fn source_entries(html: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let doc = scraper::Html::parse_document(html);
    let items = scraper::Selector::parse(".source-list > li").unwrap();
    let title = scraper::Selector::parse("a.source-title").unwrap();
    let publisher = scraper::Selector::parse("cite.publisher").unwrap();
    let href = |li: scraper::ElementRef, s: &scraper::Selector| {
        li.select(s)
            .next()
            .map(|a| a.value().attr("href").unwrap().to_string())
    };
    doc.select(&items)
        .map(|li| {
            let publisher = li.select(&publisher).next().map(|cite| {
                // Every publisher named is a link to its page.
                let a = cite.first_child().and_then(scraper::ElementRef::wrap);
                a.and_then(|a| a.value().attr("href"))
                    .expect("a publisher links to its page")
                    .to_string()
            });
            (
                li.value().attr("id").unwrap().to_string(),
                href(li, &title),
                publisher,
            )
        })
        .collect()
}

/// The briefing pages of a built site, by URL path.
fn briefing_pages(out: &Path) -> BTreeMap<String, String> {
    tree(out)
        .into_iter()
        .filter(|(path, _)| path.starts_with("briefings/") && path.ends_with("/index.html"))
        .map(|(path, bytes)| {
            (
                format!("/{}", path.trim_end_matches("index.html")),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_cited_url_of_the_example_site_is_on_its_publisher_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let mut checked = 0;
    for (url, html) in briefing_pages(&out) {
        for (id, link, publisher) in source_entries(&html) {
            let Some(publisher) = publisher else {
                continue;
            };
            let page = read(&out, &target_file(&publisher, "/").unwrap());
            let cited_by = hrefs(&page, ".document-cited-by a");
            assert!(
                cited_by.contains(&format!("{url}#{id}")),
                "{publisher} does not list {url}#{id}: {cited_by:?}"
            );
            if let Some(link) = link {
                assert!(
                    hrefs(&page, ".document .source-title").contains(&link),
                    "{publisher} does not list {link}"
                );
                checked += 1;
            }
        }
    }
    // The example cites documents of some forty publishers.
    assert!(checked > 40, "only {checked} URLs checked");
    let tass = read(&out, "sources/tass/index.html");
    assert!(
        hrefs(&tass, ".document .source-title").contains(&"https://tass.com/world/1882445".into())
    );
}

#[test]
fn back_references_are_numbered_and_lead_to_ids_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let files = [(
        "content/briefings/2024-06-20-cited.md",
        "---\ntitle: Cited\ndate: 2024-06-20\nsources:\n  - id: a\n    title: Often cited\n    publisher: TASS\n  - id: b\n    title: Cited once\n    publisher: Reuters\n---\nOne [@a], two [@b], three [@a].\n\nFour [@a].\n",
    )];
    for wire in [false, true] {
        let out = site(dir.path(), "", &files, wire);
        let html = read(&out, "briefings/2024/cited/index.html");
        assert_eq!(texts(&html, "#source-1 .backref"), ["1a", "1b", "1c"]);
        assert_eq!(texts(&html, "#source-2 .backref"), ["2"]);
        let labels: Vec<String> = {
            let doc = scraper::Html::parse_document(&html);
            let s = scraper::Selector::parse(".backref").unwrap();
            doc.select(&s)
                .map(|a| a.value().attr("aria-label").unwrap().to_string())
                .collect()
        };
        assert_eq!(labels[0], "Back to citation 1a in the text");
        // Ids are unique, and every back-reference and citation leads to one.
        let doc = scraper::Html::parse_document(&html);
        let with_id = scraper::Selector::parse("[id]").unwrap();
        let ids: Vec<&str> = doc
            .select(&with_id)
            .map(|e| e.value().attr("id").unwrap())
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
        let targets: Vec<String> = hrefs(&html, ".backref")
            .into_iter()
            .chain(hrefs(&html, "sup.citation a"))
            .collect();
        assert_eq!(targets.len(), 8);
        for t in targets {
            let id = t.strip_prefix('#').expect("a fragment");
            assert!(
                unique.contains(id),
                "#{id} is no id on the page (wire: {wire})"
            );
        }
        assert_eq!(
            hrefs(&html, "#source-1 .backref"),
            ["#cite-1-1", "#cite-1-2", "#cite-1-3"]
        );
    }
}

/// The text of source `n` on the only briefing page, its citation line
/// only.
fn citation_line(out: &Path, n: usize) -> String {
    let page = briefing_pages(out).into_values().next().unwrap();
    let lines = texts(&page, &format!("#source-{n} .source-line"));
    assert_eq!(lines.len(), 1, "source {n}: {lines:?}");
    lines[0].clone()
}

#[test]
fn the_citation_line_names_author_title_publisher_and_date_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let files = [(
        "content/briefings/2023-11-15-delegation.md",
        "---\ntitle: Delegation\ndate: 2023-11-15\nsources:\n  - id: all\n    title: Russian Delegation in N. Korea\n    publisher: The Moscow Times\n    author: AFP\n    url: https://www.themoscowtimes.com/x\n    date: 2023-11-15\n    accessed: 2023-11-16\n    archive_url: https://web.archive.org/x\n    note: Wire copy.\n  - id: pub\n    publisher: TASS\n    date: 2023-11\n  - id: title\n    title: A report\n  - id: url\n    url: https://example.org/report\n  - id: bad\n    author: Staff\n    url: www.example.org/report\n---\nCited [@all] [@pub] [@title] [@url] [@bad].\n",
    )];
    for wire in [false, true] {
        let out = site(dir.path(), "", &files, wire);
        assert_eq!(
            citation_line(&out, 1),
            "AFP, “Russian Delegation in N. Korea”, published in The Moscow Times, 15 November 2023."
        );
        assert_eq!(citation_line(&out, 2), "TASS, November 2023.");
        assert_eq!(citation_line(&out, 3), "“A report”.");
        assert_eq!(citation_line(&out, 4), "https://example.org/report.");
        assert_eq!(citation_line(&out, 5), "Staff, www.example.org/report.");
        let page = briefing_pages(&out).into_values().next().unwrap();
        assert_eq!(
            hrefs(&page, "#source-1 .source-title"),
            ["https://www.themoscowtimes.com/x"]
        );
        assert_eq!(
            hrefs(&page, "#source-1 cite.publisher a"),
            ["/sources/the-moscow-times/"]
        );
        // The JSON-LD citation says the same.
        let ld = texts(&page, "script[type='application/ld+json']").join("");
        let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
        let c = &ld["citation"][0];
        assert_eq!(c["name"], "Russian Delegation in N. Korea");
        assert_eq!(c["author"]["name"], "AFP");
        assert_eq!(c["publisher"]["name"], "The Moscow Times");
        assert_eq!(c["datePublished"], "2023-11-15");
        assert_eq!(c["url"], "https://www.themoscowtimes.com/x");
        assert_eq!(c["archivedAt"], "https://web.archive.org/x");
        assert!(ld["citation"][4].get("url").is_none());
    }
}

#[test]
fn the_search_index_carries_each_actors_other_names_once_and_the_month_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let index: serde_json::Value = serde_json::from_str(&read(&out, "search-index.json")).unwrap();
    let actors = index["actors"].as_array().unwrap();
    let putin = actors
        .iter()
        .find(|a| a[1] == "/actors/vladimir-putin/")
        .unwrap();
    assert_eq!(
        putin,
        &serde_json::json!([
            "Vladimir Putin",
            "/actors/vladimir-putin/",
            ["Putin", "Vladimir Vladimirovich Putin"]
        ])
    );
    // An actor without other names has none listed.
    assert!(actors.iter().any(|a| a.as_array().unwrap().len() == 2));
    // Briefings name actors by index only: the names are in the table once.
    let text = read(&out, "search-index.json");
    assert_eq!(text.matches("Vladimir Vladimirovich Putin").count(), 1);
    assert_eq!(
        index["months"],
        serde_json::json!([
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December"
        ])
    );
}

/// Runs `script` in Node with the paths of `search.js` and the index of
/// `out` in `SEARCH_JS` and `SEARCH_INDEX`, and reads the JSON it prints;
/// `None` where Node is not installed.
fn node_script(out: &Path, script: &str) -> Option<serde_json::Value> {
    let output = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .env("SEARCH_JS", out.join("search.js"))
        .env("SEARCH_INDEX", out.join("search-index.json"))
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// The value of the expression `code` in Node, with `search.js` of `out`
/// loaded as a module `s` and its index as `idx`.
fn node(out: &Path, code: &str) -> Option<serde_json::Value> {
    node_script(
        out,
        &format!(
            "const s = require(process.env.SEARCH_JS); const idx = require(process.env.SEARCH_INDEX); console.log(JSON.stringify(({code})));"
        ),
    )
}

#[test]
fn the_search_script_filters_by_any_name_of_an_actor_and_dates_results_as_pages_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let Some(found) = node(
        &out,
        r#"{
            names: ["putin", "Vladimir Putin", "Vladimir Vladimirovich Putin", "  PUTÍN ", "vladimir-putin", "vladimir"]
                .map(t => s.matchActors(idx.actors, t).map(i => idx.actors[i][1])),
            hyphen: s.matchActors(idx.actors, "kim jong un").map(i => idx.actors[i][1]),
            nobody: s.matchActors(idx.actors, "Nobody At All"),
            empty: s.matchActors(idx.actors, " "),
            dates: idx.docs.map(d => [d.u, s.dateLabel(d.d, idx.months)]),
        }"#,
    ) else {
        eprintln!("node is not installed: the search script is not run");
        return;
    };
    for name in found["names"].as_array().unwrap() {
        assert_eq!(name, &serde_json::json!(["/actors/vladimir-putin/"]));
    }
    assert_eq!(found["hyphen"], serde_json::json!(["/actors/kim-jong-un/"]));
    assert_eq!(found["nobody"], serde_json::json!([]));
    assert_eq!(found["empty"], serde_json::Value::Null);
    // Each result's date reads as its page's byline.
    let pages = briefing_pages(&out);
    let dates = found["dates"].as_array().unwrap();
    assert_eq!(dates.len(), pages.len());
    for pair in dates {
        let (url, label) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert_eq!(texts(&pages[url], ".byline time")[0], label, "{url}");
    }
}

#[test]
fn the_search_page_says_what_to_search_and_offers_the_latest_briefings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let html = read(&out, "search/index.html");
    let intro = texts(&html, "#search-intro p").join(" ");
    assert!(intro.contains("any of its names or aliases"), "{intro}");
    assert!(intro.contains("21 briefings"), "{intro}");
    let home = read(&out, "index.html");
    let latest: Vec<String> = hrefs(&home, ".card-title a").into_iter().take(5).collect();
    assert_eq!(hrefs(&html, "#search-intro .archive-entries a"), latest);
}

/// The search page's script, run in Node against the built index with a
/// stand-in for the few DOM calls it makes: what the reader sees before a
/// query, for a query that finds nothing, and for an actor filter.
const PAGE_IN_NODE: &str = r##"
const fs = require("fs"), vm = require("vm");
const index = JSON.parse(fs.readFileSync(process.env.SEARCH_INDEX, "utf8"));
class El {
  constructor(tag) { this.tag = tag; this.children = []; this.options = []; this.text = ""; this.value = ""; this.hidden = false; this.on = {}; this.selectedIndex = 0; }
  set textContent(t) { this.text = t; this.children = []; }
  get textContent() { return this.text; }
  appendChild(c) { this.children.push(c); if (c.tag === "option") this.options.push(c); return c; }
  addEventListener(type, f) { this.on[type] = f; }
  getAttribute(name) { return name === "data-index" ? "/search-index.json" : null; }
}
const ids = {};
["search-q", "search-actor", "search-actors", "search-topic", "search-status", "search-results", "search-intro"]
  .forEach(id => { ids[id] = new El(id); });
const form = new El("form");
const sandbox = {
  document: { currentScript: new El("script"), querySelector: () => form, getElementById: id => ids[id] || null,
    createElement: t => new El(t), createTextNode: t => new El("#text") },
  fetch: () => Promise.resolve({ ok: true, json: () => Promise.resolve(index) }),
  location: { search: "", pathname: "/search/" }, history: { replaceState() {} },
  URLSearchParams, setTimeout, clearTimeout, console,
};
vm.runInNewContext(fs.readFileSync(process.env.SEARCH_JS, "utf8"), sandbox);
const seen = () => ({ status: ids["search-status"].textContent, intro_hidden: ids["search-intro"].hidden,
  results: ids["search-results"].children.map(li => li.children[0].textContent) });
const ask = (q, actor) => { ids["search-q"].value = q; ids["search-actor"].value = actor; form.on.submit({ preventDefault() {} }); return seen(); };
setTimeout(() => {
  const out = { blank: seen(), nothing: ask("zzqxv", ""), putin: ask("", "putin"), nobody: ask("", "Nobody At All") };
  console.log(JSON.stringify(out));
}, 50);
"##;

#[test]
fn the_search_page_prompts_before_a_query_and_says_when_nothing_matches() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out, &[]);
    let Some(seen) = node_script(&out, PAGE_IN_NODE) else {
        eprintln!("node is not installed: the search script is not run");
        return;
    };
    assert_eq!(
        seen["blank"]["status"],
        "Type to search 21 briefings, or pick an actor or a topic."
    );
    assert_eq!(seen["blank"]["intro_hidden"], false);
    let nothing = seen["nothing"]["status"].as_str().unwrap();
    assert!(
        nothing.starts_with("No briefings match “zzqxv”. Try fewer or shorter words"),
        "{nothing}"
    );
    assert_eq!(seen["nothing"]["intro_hidden"], true);
    let putin = seen["putin"]["status"].as_str().unwrap();
    assert!(
        putin.ends_with("briefings match naming Vladimir Putin."),
        "{putin}"
    );
    // Results are dated as pages are, newest first when no words rank them.
    let dates = seen["putin"]["results"].as_array().unwrap();
    assert!(dates.len() > 2, "{dates:?}");
    assert!(dates.iter().all(|d| {
        let d = d.as_str().unwrap();
        d.split(' ').count() == 3 && !d.contains('-')
    }));
    assert!(
        seen["nobody"]["status"]
            .as_str()
            .unwrap()
            .starts_with("No actor is called “Nobody At All”."),
        "{}",
        seen["nobody"]["status"]
    );
}
