//! A small fixture site, built for real, with assertions on the HTML.

mod common;
use common::*;
use std::path::PathBuf;

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    (dir, out)
}

#[test]
fn briefing_links_to_its_actors_and_topics() {
    let (_d, out) = built();
    let html = read(&out, "briefings/2023/summit/index.html");
    let actors = hrefs(&html, ".mentions a");
    assert_eq!(actors, ["/actors/kim-jong-un/", "/actors/vladimir-putin/"]);
    let roles = texts(&html, ".mentions .role");
    assert_eq!(
        roles,
        [
            "General Secretary of the Workers\u{2019} Party of Korea",
            "host"
        ]
    );
    let topics = hrefs(&html, ".tags a");
    assert_eq!(topics, ["/topics/sanctions/", "/topics/space-launches/"]);
    assert!(
        out.join("actors/vladimir-putin/index.html").is_file(),
        "actor without a profile gets a page"
    );
    assert!(
        out.join("topics/space-launches/index.html").is_file(),
        "topic without a profile gets a page"
    );
}

#[test]
fn aliases_and_spellings_share_one_actor_page_listing_briefings_newest_first() {
    let (_d, out) = built();
    // `Kim Jong-un` (summit) and `Kim Jong Un` (delegation) are one actor.
    let html = read(&out, "actors/kim-jong-un/index.html");
    let listed = hrefs(&html, ".row-title");
    assert_eq!(
        listed,
        ["/briefings/2023/delegation/", "/briefings/2023/summit/"]
    );
    assert!(!out.join("actors/kim-jong-un-2").exists());
    // `DPRK` resolves to North Korea.
    let nk = read(&out, "actors/north-korea/index.html");
    assert_eq!(hrefs(&nk, ".row-title"), ["/briefings/2023/delegation/"]);
    // schema.org JSON-LD with sameAs from `ids`.
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&doc.select(&sel).next().unwrap().text().collect::<String>()).unwrap();
    assert_eq!(json["@type"], "Person");
    assert_eq!(json["sameAs"][0], "https://www.wikidata.org/wiki/Q56226");
    assert_eq!(json["alternateName"][0], "Kim Jong-un");
    // Affiliations both ways.
    assert_eq!(
        hrefs(&html, ".facts a[href^='/actors/']"),
        ["/actors/north-korea/"]
    );
    assert!(hrefs(&nk, ".facts a").contains(&"/actors/kim-jong-un/".to_string()));
}

#[test]
fn topic_pages_paginate_newest_first() {
    let (_d, out) = built();
    // paginate: 2, and three briefings are on sanctions.
    let page1 = read(&out, "topics/sanctions/index.html");
    let page2 = read(&out, "topics/sanctions/page/2/index.html");
    assert_eq!(
        hrefs(&page1, ".row-title"),
        ["/briefings/2023/delegation/", "/briefings/2023/summit/"]
    );
    assert_eq!(hrefs(&page2, ".row-title"), ["/briefings/2023/early/"]);
    assert_eq!(hrefs(&page1, "a[rel=next]"), ["/topics/sanctions/page/2/"]);
    assert_eq!(hrefs(&page2, "a[rel=prev]"), ["/topics/sanctions/"]);
}

#[test]
fn body_features_render() {
    let (_d, out) = built();
    let html = read(&out, "briefings/2023/summit/index.html");
    assert!(html.contains(r#"<h2 id="background">Background</h2>"#));
    assert!(html.contains(r##"<sup class="citation" id="cite-1-1"><a href="#source-1""##));
    assert!(html.contains(r#"<li id="source-1">"#));
    assert_eq!(hrefs(&html, ".backref"), ["#cite-1-1"]);
    assert!(html.contains(r#"<pre class="code" data-lang="json"><code>"#));
    assert!(html.contains("hl-"), "code is highlighted with classes");
    assert_eq!(
        hrefs(&html, ".prose a.wikilink.topic"),
        ["/topics/space-launches/"]
    );
    // The delegation briefing links here.
    assert_eq!(
        hrefs(&html, ".linked-from a"),
        ["/briefings/2023/delegation/"]
    );
    let delegation = read(&out, "briefings/2023/delegation/index.html");
    assert!(delegation.contains(
        r#"<a class="wikilink briefing" href="/briefings/2023/summit/">Vostochny summit</a>"#
    ));
    assert_eq!(
        texts(&delegation, ".corrections li"),
        ["16 November 2023: An earlier version misdated the summit."]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (_d, out) = built();
    assert!(!out.join("briefings/2023/draft").exists());
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("public");
    build_ok(&fixture("basic"), &with, &["--drafts"]);
    assert!(with.join("briefings/2023/draft/index.html").is_file());
}

#[test]
fn standalone_pages_and_root_relative_links() {
    let (_d, out) = built();
    let about = read(&out, "about/index.html");
    assert!(about.contains(r#"<a href="/archive/">archive</a>"#));
    assert!(hrefs(&read(&out, "index.html"), ".site-footer a").contains(&"/about/".to_string()));
    assert_eq!(
        hrefs(
            &read(&out, "actors/index.html"),
            ".site-nav a[aria-current=page]"
        ),
        ["/actors/"]
    );
}

#[test]
fn titles_and_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/briefings")).unwrap();
    std::fs::write(
        site.join("content/briefings/x.md"),
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2024-01-01\nactors: [\"<b>Bold</b> Actor\"]\ntopics: [\"<i>t</i>\"]\n---\nBody\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    // HTML and XML must escape; JSON carries the text as data (the search
    // script inserts it with textContent).
    for (path, bytes) in tree(&out) {
        if path.ends_with(".json") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{path} has an unescaped title"
        );
        assert!(
            !text.contains("<b>Bold</b>"),
            "{path} has an unescaped actor name"
        );
        assert!(
            !text.contains("<i>t</i>"),
            "{path} has an unescaped topic name"
        );
    }
    assert!(
        read(&out, "briefings/2024/x/index.html").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

#[test]
fn briefing_page_snapshot() {
    let (_d, out) = built();
    insta::assert_snapshot!(read(&out, "briefings/2023/delegation/index.html"));
}
