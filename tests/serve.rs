//! `attache serve`: pages are served from memory, edits show up within
//! seconds, a broken file shows an error page until it is fixed, and the
//! served site equals a clean build after edits, a delete and a rename.
//! Also `attache init` and `attache new`.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Polls until `check` holds (at most 10 s).
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

fn site_copy(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&fixture("basic"), &site);
    site
}

#[test]
fn edits_show_up_and_broken_yaml_shows_an_error_page_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    let server = serve(&site);
    let port = server.port;
    let (status, briefing) = get(port, "/briefings/2023/delegation/");
    assert_eq!(status, 200);
    assert!(briefing.contains("<h1 class=\"briefing-title\">Russian delegation in Pyongyang</h1>"));
    assert!(
        briefing.contains("/__attache/events"),
        "live reload is injected when serving"
    );
    assert_eq!(get(port, "/actors/kim-jong-un/").0, 200);
    assert_eq!(get(port, "/actors/kim-yo-jong/").0, 404);

    let file = site.join("content/briefings/2023/2023-11-15-delegation.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        original.replace(
            "actors: [Kim Jong Un, DPRK, Alexander Kozlov]",
            "actors: [Kim Jong Un, DPRK, Alexander Kozlov, Kim Yo Jong]",
        ),
    )
    .unwrap();
    eventually(
        "the new actor on the briefing, its page and the index",
        || {
            get(port, "/briefings/2023/delegation/")
                .1
                .contains("href=\"/actors/kim-yo-jong/\"")
                && get(port, "/actors/kim-yo-jong/").0 == 200
                && get(port, "/").1.contains("href=\"/actors/kim-yo-jong/\"")
        },
    );

    std::fs::write(
        &file,
        original.replace(
            "actors: [Kim Jong Un, DPRK, Alexander Kozlov]",
            "actors: [Kim Jong Un, DPRK",
        ),
    )
    .unwrap();
    eventually("the last good page under the errors", || {
        let (status, body) = get(port, "/briefings/2023/delegation/");
        status == 500
            && body.contains("error[yaml]")
            && body.contains("2023-11-15-delegation.md:")
            && body.contains("the last good version of the page")
            && body.contains("href=\"/actors/kim-yo-jong/\"")
    });
    // Other files are still served.
    assert_eq!(get(port, "/style.css").0, 200);

    std::fs::write(&file, &original).unwrap();
    eventually("recovery", || {
        let (status, body) = get(port, "/briefings/2023/delegation/");
        status == 200 && !body.contains("kim-yo-jong")
    });
}

/// The first file the server serves differently from `clean` (the live
/// reload script aside), or that it still serves though `clean` has no such
/// file (`gone`).
fn first_difference(
    port: u16,
    clean: &std::collections::BTreeMap<String, Vec<u8>>,
    gone: &[String],
) -> Option<String> {
    for (path, bytes) in clean {
        let (status, mut served) = get_bytes(port, &format!("/{path}"));
        // Pages carry the live-reload snippet; other files (fonts,
        // pictures) are served byte for byte.
        if path.ends_with(".html") {
            served = String::from_utf8_lossy(&served)
                .replace(attache::serve::LIVE_RELOAD_SNIPPET, "")
                .into_bytes();
        }
        if status != 200 || served != *bytes {
            return Some(format!("{path} (status {status})"));
        }
    }
    gone.iter()
        .find(|path| get_bytes(port, &format!("/{path}")).0 == 200)
        .map(|path| format!("{path} is still served"))
}

/// Gives `site` its own `templates/NAME`: the built-in one with `insert`
/// put just before the first `before`.
fn override_template(site: &Path, name: &str, before: &str, insert: &str) {
    std::fs::create_dir_all(site.join("templates")).unwrap();
    let template = std::fs::read_to_string(repo().join("templates").join(name)).unwrap();
    assert!(template.contains(before), "{name} has no {before:?}");
    std::fs::write(
        site.join("templates").join(name),
        template.replacen(before, &format!("{insert}{before}"), 1),
    )
    .unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// After each edit of a sequence, once the server has caught up, every file
/// it serves equals what a clean `attache build` of the same files writes,
/// and files the build no longer writes are gone. The edits reach every
/// kind of dependency `serve` keeps track of: a body, front matter, a
/// profile whose new alias changes the autolinks of other bodies, a
/// `[[briefing:...]]` link whose target appears later, a template (broken,
/// then fixed), the config, a delete, a rename and a new file.
#[test]
fn served_site_equals_a_clean_build_after_each_edit_of_a_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    let server = serve(&site);
    let port = server.port;
    let briefings = site.join("content/briefings/2023");
    let summit = briefings.join("2023-09-14-summit.md");
    let delegation = briefings.join("2023-11-15-delegation.md");
    let base_url = format!("http://127.0.0.1:{port}/");
    let mut previous: Vec<String> = Vec::new();
    let mut step = 0;
    let mut check = |what: &str| {
        step += 1;
        let clean = dir.path().join(format!("clean-{step}"));
        build_ok(&site, &clean, &["--base-url", &base_url]);
        let mut files = tree(&clean);
        // The marker says the folder is a build's; it is no page of the site.
        files.remove(attache::write::MARKER);
        let gone: Vec<String> = previous
            .iter()
            .filter(|p| !files.contains_key(*p))
            .cloned()
            .collect();
        let start = Instant::now();
        loop {
            match first_difference(port, &files, &gone) {
                None => break,
                Some(path) if start.elapsed() > Duration::from_secs(10) => {
                    panic!("after {what}: {path} differs from a clean build")
                }
                Some(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        previous = files.into_keys().collect();
    };

    check("starting");
    edit(
        &summit,
        "travelled by train",
        "travelled by armoured train; Putin waited. See [[briefing:kozlov-visit]]",
    );
    check("a body edit");
    edit(
        &delegation,
        "actors: [Kim Jong Un, DPRK, Alexander Kozlov]",
        "actors: [Kim Jong Un, DPRK, Alexander Kozlov, Kim Yo Jong]",
    );
    check("an actor added in front matter");
    std::fs::write(
        site.join("content/actors/vladimir-putin.md"),
        "---\nname: Vladimir Putin\naliases: [Putin]\nkind: person\n---\nPresident of Russia.\n",
    )
    .unwrap();
    check("a new profile whose alias appears in another body");
    override_template(
        &site,
        "briefing.html",
        "</article>",
        "<p class=\"marker\">edited template</p>",
    );
    check("a template override");
    std::fs::write(site.join("templates/briefing.html"), "{% if %}").unwrap();
    eventually("the template error page", || {
        let (status, body) = get(port, "/briefings/2023/summit/");
        status == 500 && body.contains("templates/briefing.html")
    });
    std::fs::remove_file(site.join("templates/briefing.html")).unwrap();
    check("the template fixed");
    edit(
        &site.join("attache.yaml"),
        "title: Fixture Desk",
        "title: Renamed Desk",
    );
    check("a config edit");
    std::fs::remove_file(briefings.join("2023-08-01-early.md")).unwrap();
    check("a delete");
    std::fs::rename(&delegation, briefings.join("2023-11-15-kozlov-visit.md")).unwrap();
    check("a rename that a link waited for");
    assert!(
        get(port, "/briefings/2023/summit/")
            .1
            .contains("href=\"/briefings/2023/kozlov-visit/\""),
        "the waiting link resolves"
    );
    std::fs::write(
        briefings.join("2023-12-01-new.md"),
        "---\ntitle: A new briefing\ndate: 2023-12-01\nactors: [Putin]\ntopics: [Sanctions]\n---\nPutin spoke.\n",
    )
    .unwrap();
    check("a new briefing");
}

/// Reads from `stream` into `received` until it holds `count` times
/// `needle` (at most 10 s).
fn read_until(stream: &mut TcpStream, received: &mut String, needle: &str, count: usize) {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    while received.matches(needle).count() < count {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no {needle:?} (x{count}) in {received:?}"
        );
        let n = stream.read(&mut buf).expect("the stream stays open");
        assert!(n > 0, "the stream closed: {received:?}");
        received.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

/// The live-reload stream answers at once and says `reload` after every
/// rebuild, each event as soon as it happens (not when a buffer fills).
#[test]
fn live_reload_events_arrive_after_each_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    let server = serve(&site);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__attache/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut received = String::new();
    read_until(&mut stream, &mut received, "retry: 500\n\n", 1);
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(received.contains("text/event-stream"), "{received}");
    let about = site.join("content/pages/about.md");
    for round in 1..=2 {
        let text = std::fs::read_to_string(&about).unwrap();
        std::fs::write(&about, format!("{text}\nEdit {round}.\n")).unwrap();
        read_until(&mut stream, &mut received, "data: reload\n\n", round);
    }
}

/// A template that fails only on some pages (here actor pages) is found by
/// the background pass over every page, not only when such a page is
/// visited: the error page then shows for every page, as `build` would
/// fail, until the template is fixed.
#[test]
fn a_template_failing_on_unvisited_pages_is_reported_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    let server = serve(&site);
    let port = server.port;
    assert_eq!(get(port, "/").0, 200);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/actor.html"),
        "{{ actor.no_such_field.deeper }}",
    )
    .unwrap();
    eventually("the error page on the home page", || {
        let (status, body) = get(port, "/");
        status == 500 && body.contains("actor.html")
    });
    std::fs::remove_file(site.join("templates/actor.html")).unwrap();
    eventually("recovery", || get(port, "/").0 == 200);
    assert_eq!(get(port, "/actors/kim-jong-un/").0, 200);
}

/// After an edit to a briefing, the background pass checks the pages that
/// can show it: a template that fails only for what the edit added is
/// reported on every page, and the report goes when the edit is undone.
#[test]
fn an_edit_that_makes_its_page_fail_is_reported_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    override_template(
        &site,
        "briefing.html",
        "</article>",
        "{% if briefing.extra.boom %}{{ briefing.no_such_field.deeper }}{% endif %}",
    );
    let server = serve(&site);
    let port = server.port;
    // The first pass checks every page and finds nothing wrong.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(port, "/").0, 200);
    let summit = site.join("content/briefings/2023/2023-09-14-summit.md");
    edit(
        &summit,
        "title: Kim and Putin meet at Vostochny",
        "title: Kim and Putin meet at Vostochny\nboom: true",
    );
    eventually("the error page on the home page", || {
        let (status, body) = get(port, "/");
        status == 500 && body.contains("briefing.html")
    });
    edit(&summit, "\nboom: true", "");
    eventually("recovery", || get(port, "/").0 == 200);
}

/// An edit that takes an actor from a briefing changes that actor's page,
/// which the briefing no longer names: every page is checked then, and a
/// template failing only on that page is reported.
#[test]
fn an_edit_that_breaks_a_page_it_no_longer_names_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    override_template(
        &site,
        "actor.html",
        "{% endblock title %}",
        "{% if actor.name == \"North Korea\" and actor.briefing_count == 0 %}{{ actor.no_such_field.deeper }}{% endif %}",
    );
    let server = serve(&site);
    let port = server.port;
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(port, "/").0, 200);
    // North Korea (DPRK) is named by this briefing only; its profile keeps
    // its page.
    let delegation = site.join("content/briefings/2023/2023-11-15-delegation.md");
    edit(
        &delegation,
        "actors: [Kim Jong Un, DPRK, Alexander Kozlov]",
        "actors: [Kim Jong Un, Alexander Kozlov]",
    );
    eventually("the error page on the home page", || {
        let (status, body) = get(port, "/");
        status == 500 && body.contains("actor.html")
    });
}

/// With `git: true`, the history is read again when the head commit moves,
/// even by a commit that changes no content file (the site lives in a
/// folder of the repository, as in `tests/git.rs`); edits between commits
/// reuse the history read last.
#[test]
fn a_commit_refreshes_the_history_served() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Delegation\ndate: 2023-11-15\n---\nFirst version.\n";
    let (repo, site, file) = git_site(dir.path(), text, None);
    let server = serve(&site);
    let page = "/briefings/2023/delegation/";
    let (status, body) = get(server.port, page);
    assert_eq!(status, 200);
    assert!(body.contains("Publish the delegation briefing"));

    std::fs::write(&file, format!("{text}Second paragraph.\n")).unwrap();
    eventually("the edit", || {
        get(server.port, page).1.contains("Second paragraph.")
    });
    git(
        &repo,
        &["commit", "-q", "-a", "-m", "Add a second paragraph"],
        None,
    );
    eventually("the new revision", || {
        get(server.port, page).1.contains("Add a second paragraph")
    });

    git(
        &repo,
        &["commit", "-q", "--allow-empty", "-m", "Nothing in content"],
        None,
    );
    let head = git(&repo, &["rev-parse", "HEAD"], None);
    eventually("the new head commit in the footer", || {
        get(server.port, page).1.contains(&head[..12])
    });
}

#[test]
fn paths_never_escape_and_misses_get_the_404_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let server = serve(&site);
    let port = server.port;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/content/briefings/2023/2023-09-14-summit.md",
    ] {
        let (status, body) = get(port, path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("secret") || body.contains("Page not found"),
            "{path}"
        );
    }
    let (status, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    let (status, _) = get(port, "/actors");
    assert_eq!(status, 301);
}

#[test]
fn init_builds_at_once_and_new_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("desk");
    let out = attache(&["init", site.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join(".github/workflows/site.yml").is_file());
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap(),
        "public/\n.attache-cache/\n"
    );
    let public = site.join("public");
    build_ok(&site, &public, &[]);
    assert!(
        public
            .join("actors/un-security-council/index.html")
            .is_file()
    );
    let check = attache(&["check", "--root", site.to_str().unwrap(), "--strict"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // init refuses a folder with files.
    assert_eq!(
        attache(&["init", site.to_str().unwrap()]).status.code(),
        Some(1)
    );

    let root = site.to_str().unwrap();
    let new = attache(&[
        "new",
        "--root",
        root,
        "briefing",
        "Kozlov returns",
        "--date",
        "2024-11-21",
    ]);
    assert!(new.status.success());
    let path = String::from_utf8(new.stdout).unwrap();
    assert!(
        path.trim()
            .ends_with("content/briefings/2024/2024-11-21-kozlov-returns.md"),
        "{path}"
    );
    let before = std::fs::read_to_string(path.trim()).unwrap();
    std::fs::write(path.trim(), format!("{before}\nEdited.\n")).unwrap();
    let again = attache(&[
        "new",
        "--root",
        root,
        "briefing",
        "Kozlov returns",
        "--date",
        "2024-11-21",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert!(
        std::fs::read_to_string(path.trim())
            .unwrap()
            .ends_with("Edited.\n")
    );
    assert!(
        attache(&["new", "--root", root, "actor", "Alexander Kozlov"])
            .status
            .success()
    );
    assert_eq!(
        attache(&["new", "--root", root, "actor", "Alexander Kozlov"])
            .status
            .code(),
        Some(1)
    );
    assert!(
        attache(&["new", "--root", root, "topic", "Trade"])
            .status
            .success()
    );
    let check = attache(&["check", "--root", root]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A static file or an alias that takes the path of a page is an error in
/// `serve` as in `build`, shown on every page until it goes; also when the
/// alias comes with an edit to one briefing only.
#[test]
fn a_static_file_or_an_alias_over_a_page_is_reported_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_copy(dir.path());
    let server = serve(&site);
    let port = server.port;
    // The first pass checks every page and finds nothing wrong.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(port, "/").0, 200);
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/index.html"), "<p>mine</p>").unwrap();
    eventually("the conflict on the home page", || {
        let (status, body) = get(port, "/");
        status == 500
            && body.contains("output-conflict")
            && body.contains("static/index.html would replace the home page")
    });
    std::fs::remove_file(site.join("static/index.html")).unwrap();
    eventually("recovery", || get(port, "/").0 == 200);
    let summit = site.join("content/briefings/2023/2023-09-14-summit.md");
    edit(&summit, "/old/summit/]", "/old/summit/, /index.html]");
    eventually("the alias's conflict on the home page", || {
        let (status, body) = get(port, "/");
        status == 500 && body.contains("alias /index.html of")
    });
    edit(&summit, ", /index.html]", "]");
    eventually("recovery", || get(port, "/").0 == 200);
}
