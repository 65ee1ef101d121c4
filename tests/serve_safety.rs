//! `attache serve` against a hostile client or a hostile site folder: a
//! redirect path with CR, LF, non-ASCII or a backslash neither crashes the
//! handler, nor splits the response, nor sends the browser to another
//! host; an endless request header is cut off; live-reload streams are
//! capped and cost no thread each; a `static/` linked to `/proc/self`
//! serves nothing of it. Every loop here is bounded and every socket has
//! a timeout.
#![cfg(target_os = "linux")]

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&fixture("basic"), &site);
    site
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Sends `target` as the request target, as raw bytes, and returns the
/// status and the response head's lines.
fn head_of(port: u16, target: &[u8]) -> (u16, Vec<String>) {
    let mut stream = connect(port);
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let lines: Vec<String> = head.split("\r\n").map(str::to_string).collect();
    let status = lines[0]
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    (status, lines)
}

fn header<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Folders of `static/` with odd names become redirects from the name
/// without a slash; each `Location` is percent-encoded, one header, on
/// this host.
#[test]
fn redirects_with_odd_paths_are_encoded_and_stay_on_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    for name in ["café", "a\r\nSet-Cookie: stolen=1", "\\evil.com", "100%"] {
        let folder = site.join("static").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("index.html"), "<p>odd</p>").unwrap();
    }
    let server = serve(&site);
    let port = server.port;
    for (target, location) in [
        (&b"/caf%C3%A9"[..], "/caf%C3%A9/"),
        (
            b"/a%0D%0ASet-Cookie:%20stolen=1",
            "/a%0D%0ASet-Cookie:%20stolen=1/",
        ),
        (b"/%5Cevil.com", "/%5Cevil.com/"),
        (b"/%2F%5Cevil.com", "/%5Cevil.com/"),
        (b"/100%25", "/100%25/"),
    ] {
        let shown = String::from_utf8_lossy(target);
        let (status, lines) = head_of(port, target);
        assert_eq!(status, 301, "{shown}: {lines:?}");
        assert_eq!(header(&lines, "location"), Some(location), "{shown}");
        assert!(header(&lines, "set-cookie").is_none(), "{shown}: {lines:?}");
        // And the encoded Location leads to the page.
        let (status, body) = get(port, location);
        assert_eq!(status, 200, "{location}");
        assert!(body.contains("<p>odd</p>"), "{location}");
    }
    // Raw non-ASCII, a raw backslash and a raw CR in the request line: an
    // answer (a redirect that stays on the site, or 400), never a crash.
    for target in [&b"/caf\xc3\xa9"[..], b"/\\evil.com", b"/a\rSet-Cookie: x=1"] {
        let shown = String::from_utf8_lossy(target);
        let (status, lines) = head_of(port, target);
        assert!(matches!(status, 301 | 400 | 404), "{shown}: {lines:?}");
        assert!(header(&lines, "set-cookie").is_none(), "{shown}: {lines:?}");
        if let Some(location) = header(&lines, "location") {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{shown}: {location}"
            );
            assert!(!location.contains('\\'), "{shown}: {location}");
        }
    }
    assert_eq!(get(port, "/").0, 200, "the server still answers");
}

/// Thread count and resident memory (KiB) of process `pid`.
fn threads_and_rss(pid: u32) -> (usize, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> usize {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {status}"))
    };
    (field("Threads:"), field("VmRSS:"))
}

/// A client that sends an endless header is answered 431 and cut off
/// within the first megabytes; the server's memory does not follow.
#[test]
fn an_endless_request_header_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let server = serve(&site);
    let pid = server.child.id();
    assert_eq!(get(server.port, "/").0, 200);
    let (_, rss_before) = threads_and_rss(pid);
    let mut stream = connect(server.port);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: ")
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    // At most 256 MiB; the server must stop reading long before.
    while sent < 256 * 1024 * 1024 {
        match stream.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => sent += n,
        }
    }
    assert!(
        sent < 64 * 1024 * 1024,
        "the server read {} MiB of one header",
        sent / (1024 * 1024)
    );
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    let (_, rss_after) = threads_and_rss(pid);
    assert!(
        rss_after < rss_before + 32 * 1024,
        "memory grew from {rss_before} KiB to {rss_after} KiB"
    );
    assert_eq!(get(server.port, "/").0, 200, "the server still answers");
}

/// Opens a live-reload stream; returns the connection and its status.
fn open_stream(port: u16) -> (TcpStream, u16) {
    let mut stream = connect(port);
    stream
        .write_all(b"GET /__attache/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n") {
        assert!(head.len() < 1024, "no status line");
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let status = String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (stream, status)
}

/// 64 live-reload streams are served, the 65th and later get 503; with
/// those and 400 idle connections open the server runs on a handful of
/// threads; a closed stream frees its slot.
#[test]
fn live_reload_streams_are_capped_and_cost_no_thread_each() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let server = serve(&site);
    let pid = server.child.id();
    let mut streams = Vec::new();
    let mut statuses = Vec::new();
    for _ in 0..80 {
        let (stream, status) = open_stream(server.port);
        streams.push(stream);
        statuses.push(status);
    }
    assert!(statuses[..64].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[64..].iter().all(|s| *s == 503), "{statuses:?}");
    let idle: Vec<TcpStream> = (0..400).map(|_| connect(server.port)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (threads, _) = threads_and_rss(pid);
    assert!(
        threads < 40,
        "{threads} threads for 64 streams and 400 connections"
    );
    assert_eq!(get(server.port, "/").0, 200, "pages are still served");
    drop(idle);
    // Close one stream: its slot comes back (within the keep-alive
    // interval at worst).
    streams.truncate(63);
    let start = Instant::now();
    loop {
        let (stream, status) = open_stream(server.port);
        if status == 200 {
            drop(stream);
            break;
        }
        assert_eq!(status, 503);
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "a closed stream's slot never came back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `static -> /proc/self`: nothing of the server's process is served.
#[test]
fn a_static_folder_linked_to_proc_self_serves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let _ = std::fs::remove_dir_all(site.join("static"));
    std::os::unix::fs::symlink("/proc/self", site.join("static")).unwrap();
    let server = serve(&site);
    for path in ["/environ", "/cmdline", "/status", "/root/etc/passwd"] {
        let (status, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("PATH="), "{path}");
    }
    assert_eq!(get(server.port, "/").0, 200);
}

/// `static -> /`: not served and not watched (a watch on every folder of
/// the machine would exhaust the watch limit, or take minutes); the server
/// starts and serves the site.
#[test]
fn a_static_folder_linked_to_the_filesystem_root_is_neither_served_nor_watched() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let _ = std::fs::remove_dir_all(site.join("static"));
    std::os::unix::fs::symlink("/", site.join("static")).unwrap();
    let started = Instant::now();
    let server = serve(&site);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "serve took {:?} to start",
        started.elapsed()
    );
    assert_eq!(get(server.port, "/etc/passwd").0, 404);
    assert_eq!(get(server.port, "/").0, 200);
}

/// While serving, a briefing replaced by a symlink to a file outside the
/// site is skipped with a warning, as `build` skips it: its page goes, the
/// linked text is never served, and no error page stands in the way.
#[test]
fn a_briefing_replaced_by_a_link_out_of_the_site_is_skipped_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let secret = dir.path().join("secret.md");
    std::fs::write(
        &secret,
        "---\ntitle: SECRET-TITLE\ndate: 2023-09-14\n---\nSECRET-BODY\n",
    )
    .unwrap();
    let server = serve(&site);
    let page = "/briefings/2023/summit/";
    assert_eq!(get(server.port, page).0, 200);
    let file = site.join("content/briefings/2023/2023-09-14-summit.md");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&secret, &file).unwrap();
    let start = Instant::now();
    while get(server.port, page).0 != 404 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the linked briefing is still served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200, "{home}");
    assert!(!home.contains("SECRET"), "{home}");
    assert!(!get(server.port, "/feed.xml").1.contains("SECRET"));
}

/// Each kind of file is served with its content type (pages, feeds,
/// stylesheets, images), text with its charset.
#[test]
fn files_are_served_with_their_content_types() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    std::fs::create_dir_all(site.join("static/img")).unwrap();
    std::fs::write(site.join("static/img/map.png"), [0x89, b'P', b'N', b'G']).unwrap();
    let server = serve(&site);
    let port = server.port;
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/actors/kim-jong-un/", "text/html; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/feed.json", "application/json"),
        ("/img/map.png", "image/png"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let (status, lines) = head_of(port, path.as_bytes());
        assert_eq!(status, 200, "{path}: {lines:?}");
        assert_eq!(header(&lines, "content-type"), Some(expected), "{path}");
    }
}
