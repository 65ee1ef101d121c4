//! What each kind of page shows that depends on where it is in its list or
//! what it is for: an actor's timeline on the first page of its list only,
//! whole bodies in the site's feed and summaries in the others.

mod common;
use common::*;

/// The `basic` fixture with one briefing to a page, so that Kim Jong Un's
/// two briefings take two pages.
fn built_one_to_a_page() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let config = std::fs::read_to_string(root.join("attache.yaml")).unwrap();
    std::fs::write(
        root.join("attache.yaml"),
        config.replace("paginate: 2", "paginate: 1"),
    )
    .unwrap();
    let out = dir.path().join("public");
    build_ok(&root, &out, &[]);
    (dir, out)
}

#[test]
fn an_actors_timeline_is_on_the_first_page_of_its_list_only() {
    let (_d, out) = built_one_to_a_page();
    let first = read(&out, "actors/kim-jong-un/index.html");
    let second = read(&out, "actors/kim-jong-un/page/2/index.html");
    assert_eq!(
        texts(&first, ".dossier-timeline .event-what"),
        ["Summit at Vostochny"]
    );
    assert!(texts(&second, ".event-what").is_empty());
    // One briefing on each page, newest first, linked both ways; page 1 is
    // the list's own address, and there is no page 3.
    assert_eq!(hrefs(&first, ".row-title").len(), 1);
    assert_eq!(hrefs(&second, ".row-title"), ["/briefings/2023/summit/"]);
    assert_eq!(
        hrefs(&first, "a[rel=next]"),
        ["/actors/kim-jong-un/page/2/"]
    );
    assert_eq!(hrefs(&second, "a[rel=prev]"), ["/actors/kim-jong-un/"]);
    assert!(hrefs(&second, "a[rel=next]").is_empty());
    assert!(!out.join("actors/kim-jong-un/page/1").exists());
    assert!(!out.join("actors/kim-jong-un/page/3").exists());
}

#[test]
fn the_site_feed_carries_whole_bodies_and_the_other_feeds_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("basic"), &out, &[]);
    let site = read(&out, "feed.xml");
    let entries = site.matches("<entry>").count();
    assert!(entries > 1, "{site}");
    assert_eq!(site.matches("<content type=\"html\">").count(), entries);
    for feed in ["actors/kim-jong-un/feed.xml", "topics/sanctions/feed.xml"] {
        let xml = read(&out, feed);
        assert!(xml.contains("<summary>"), "{feed}: {xml}");
        assert!(!xml.contains("<content"), "{feed}: {xml}");
    }
}
