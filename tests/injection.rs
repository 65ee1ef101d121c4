//! Injection and overwrites: aliases cannot write rules of their own, every
//! output file has one owner, no control character reaches XML or HTML, and
//! raw HTML and script URLs in Markdown are defused.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// `attache build` into `dir/out`: the exit code and what it printed.
fn build(site: &Path, out: &Path) -> (i32, String) {
    let o = attache(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The diagnostics with `code`: (file relative to the site, line, column,
/// message).
fn with_code(items: &[serde_json::Value], code: &str) -> Vec<(String, u64, u64, String)> {
    items
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            let file = d["file"].as_str().unwrap_or_default();
            (
                file.rsplit_once("/site/")
                    .map_or(file, |(_, rel)| rel)
                    .to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const BRIEFING_A: &str = "content/briefings/2024-01-02-a.md";

// ---------------------------------------------------------------- aliases

#[test]
fn an_alias_with_a_newline_cannot_write_rules_into_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "---\ntitle: A\ndate: 2024-01-02\naliases:\n  - /old/a/\n  - \"/x/ /briefings/2024/a/ 301\\n/* /briefings/2024/a/ 200!\"\n---\nBody\n";
    let root = site(dir.path(), "", &[(BRIEFING_A, hostile)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let bad = with_code(&items, "bad-alias");
    assert_eq!(bad.len(), 1, "{items:?}");
    assert_eq!((bad[0].0.as_str(), bad[0].1, bad[0].2), (BRIEFING_A, 6, 6));
    assert!(bad[0].3.contains("U+0020"), "{}", bad[0].3);
    // The build refuses, and writes nothing.
    let out = dir.path().join("out");
    assert_eq!(build(&root, &out).0, 1);
    assert!(!out.join("_redirects").exists());

    // With the hostile alias gone, `_redirects` has exactly the good one.
    let fixed = hostile.replace(
        "  - \"/x/ /briefings/2024/a/ 301\\n/* /briefings/2024/a/ 200!\"\n",
        "",
    );
    std::fs::write(root.join(BRIEFING_A), fixed).unwrap();
    build_ok(&root, &out, &[]);
    assert_eq!(read(&out, "_redirects"), "/old/a/ /briefings/2024/a/ 301\n");
}

#[test]
fn aliases_outside_the_safe_characters_are_refused_where_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad = [
        "\"/a b/\"",
        "'/a\\b/'",
        "/a/../b/",
        "//evil.example/",
        "/a?x=1",
        "/a#top",
        "/*",
        "/:splat/",
        "\"/tab\\t/\"",
        "/caf%0A/",
        "/%2e%2e/x/",
        "https://example.org/x/",
        "/50%/",
    ];
    let list: String = bad.iter().map(|a| format!("  - {a}\n")).collect();
    let text = format!("---\ntitle: A\ndate: 2024-01-02\naliases:\n{list}---\nBody\n");
    let root = site(dir.path(), "", &[(BRIEFING_A, &text)]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let found: Vec<(u64, u64)> = with_code(&items, "bad-alias")
        .iter()
        .map(|d| (d.1, d.2))
        .collect();
    // Quoted values start a column later.
    let expected: Vec<(u64, u64)> = bad
        .iter()
        .zip(5..)
        .map(|(a, line)| (line, if a.starts_with(['"', '\'']) { 6 } else { 5 }))
        .collect();
    assert_eq!(found, expected, "{items:#?}");
    for d in with_code(&items, "bad-alias") {
        assert_eq!(d.0, BRIEFING_A);
    }
}

#[test]
fn non_ascii_aliases_are_percent_encoded_in_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[(
            BRIEFING_A,
            "---\ntitle: A\ndate: 2024-01-02\naliases: [/café/, /caf%C3%A9-2/, /2023/old.html, old~1]\n---\nBody\n",
        )],
    );
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    assert_eq!(
        read(&out, "_redirects"),
        "/2023/old.html /briefings/2024/a/ 301\n\
         /caf%C3%A9-2/ /briefings/2024/a/ 301\n\
         /caf%C3%A9/ /briefings/2024/a/ 301\n\
         /old~1/ /briefings/2024/a/ 301\n"
    );
    assert!(out.join("café/index.html").is_file());
    assert!(out.join("café-2/index.html").is_file());
    assert!(out.join("old~1/index.html").is_file());
}

// ----------------------------------------------------------------- owners

#[test]
fn a_static_index_html_is_an_error_naming_the_home_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (BRIEFING_A, "---\ntitle: A\ndate: 2024-01-02\n---\nBody\n"),
            ("static/index.html", "<p>not the home page</p>"),
            ("static/feed.xml", "<feed/>"),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let conflicts = with_code(&items, "output-conflict");
    assert_eq!(
        conflicts
            .iter()
            .map(|d| (d.0.as_str(), d.3.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "static/feed.xml",
                "static/feed.xml would replace attache's generated feed.xml"
            ),
            (
                "static/index.html",
                "static/index.html would replace the home page"
            ),
        ]
    );
    let out = dir.path().join("out");
    let (status, stderr) = build(&root, &out);
    assert_eq!(status, 1, "{stderr}");
    assert!(!out.exists());
}

#[test]
fn an_alias_over_a_generated_page_or_another_page_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (
                BRIEFING_A,
                "---\ntitle: A\ndate: 2024-01-02\naliases:\n  - /index.html\n  - /_redirects/\n  - /feed.xml/\n---\nBody\n",
            ),
            ("content/pages/about.md", "---\ntitle: About\n---\nUs\n"),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let conflicts = with_code(&items, "output-conflict");
    let found: Vec<(u64, u64, &str)> = conflicts
        .iter()
        .map(|d| {
            assert_eq!(d.0, BRIEFING_A);
            (d.1, d.2, d.3.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                5,
                5,
                "alias /index.html of content/briefings/2024-01-02-a.md would replace the home page"
            ),
            (
                6,
                5,
                "alias /_redirects/ of content/briefings/2024-01-02-a.md and attache's generated _redirects cannot both be written: /_redirects would have to be a file and a folder"
            ),
        ],
        "{items:#?}"
    );
    // Names attache generates are refused as aliases outright.
    let refused = with_code(&items, "bad-alias");
    assert_eq!(
        refused
            .iter()
            .map(|d| (d.1, d.3.as_str()))
            .collect::<Vec<_>>(),
        [(
            7,
            "alias '/feed.xml/' takes /feed.xml, which attache generates"
        )]
    );

    // An alias over a page is caught where URLs are claimed.
    std::fs::write(
        root.join(BRIEFING_A),
        "---\ntitle: A\ndate: 2024-01-02\naliases:\n  - /about/\n---\nBody\n",
    )
    .unwrap();
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    assert_eq!(
        with_code(&items, "duplicate-url"),
        [(
            BRIEFING_A.to_string(),
            5,
            5,
            "/about/ is also the URL of content/pages/about.md".to_string()
        )]
    );
}

#[test]
fn a_static_file_where_a_page_needs_a_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            ("content/pages/about.md", "---\ntitle: About\n---\nUs\n"),
            ("static/about", "a file"),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let found = with_code(&items, "output-conflict");
    assert_eq!(found.len(), 1, "{items:#?}");
    assert_eq!(found[0].0, "static/about");
    assert_eq!(
        found[0].3,
        "static/about and the page content/pages/about.md cannot both be written: /about would have to be a file and a folder"
    );
}

#[test]
fn the_sites_static_files_override_the_themes_without_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (BRIEFING_A, "---\ntitle: A\ndate: 2024-01-02\n---\nBody\n"),
            ("static/style.css", "body { color: red }\n"),
            ("static/search.js", "// ours\n"),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 0, "{items:#?}");
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    assert_eq!(read(&out, "style.css"), "body { color: red }\n");
    assert_eq!(read(&out, "search.js"), "// ours\n");
    // The same input twice gives the same output.
    let first = tree(&out);
    build_ok(&root, &out, &[]);
    assert_eq!(first, tree(&out));
}

// ------------------------------------------------------- control characters

/// Characters XML 1.0 forbids (and HTML reports as errors).
fn forbidden(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || n == 0xFFFE || n == 0xFFFF
}

#[test]
fn control_characters_are_dropped_with_a_warning_and_feeds_stay_xml() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "description: \"Ring\\x07 desk\"\n",
        &[
            (
                BRIEFING_A,
                "---\ntitle: \"Bad\\x01 title\\e[31m\"\ndate: 2024-01-02\nsummary: Sum\u{1}mary\nactors: [Kim\u{1b}]\ntopics: [Ruin\u{1}]\n---\nBody \u{1} with \u{1b}[0m escapes and \u{fffe}.\n",
            ),
            (
                "content/pages/about.md",
                "---\ntitle: About\u{1}\n---\nUs\u{b}\n",
            ),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 0, "{items:#?}");
    let found: Vec<(String, u64, u64)> = with_code(&items, "control-character")
        .into_iter()
        .map(|d| (d.0, d.1, d.2))
        .collect();
    assert_eq!(
        found,
        [
            ("attache.yaml".to_string(), 3, 19),
            (BRIEFING_A.to_string(), 2, 12),
            (BRIEFING_A.to_string(), 2, 22),
            (BRIEFING_A.to_string(), 4, 13),
            (BRIEFING_A.to_string(), 5, 13),
            (BRIEFING_A.to_string(), 6, 14),
            (BRIEFING_A.to_string(), 8, 6),
            (BRIEFING_A.to_string(), 8, 13),
            (BRIEFING_A.to_string(), 8, 30),
            ("content/pages/about.md".to_string(), 2, 13),
            ("content/pages/about.md".to_string(), 4, 3),
        ],
        "{items:#?}"
    );
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    for (path, bytes) in tree(&out) {
        if let Ok(text) = String::from_utf8(bytes) {
            assert!(
                !text.contains(forbidden),
                "{path} holds a character XML forbids"
            );
        }
    }
    let feed = read(&out, "feed.xml");
    assert!(feed.contains("<title>Bad title[31m</title>"), "{feed}");
    assert!(feed.contains("Body  with [0m escapes and ."), "{feed}");
    for path in [
        "feed.xml",
        "actors/kim/feed.xml",
        "topics/ruin/feed.xml",
        "sitemap.xml",
    ] {
        assert_well_formed(&read(&out, path), path);
    }
    serde_json::from_str::<serde_json::Value>(&read(&out, "feed.json")).unwrap();
}

/// Reads the whole document with quick-xml (which checks nesting and
/// escapes), and with xmllint when the machine has it.
fn assert_well_formed(xml: &str, name: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    let lint = std::process::Command::new("xmllint")
        .args(["--noout", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    if let Ok(mut child) = lint {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(xml.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "xmllint on {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

// --------------------------------------------------------------- raw HTML

const HOSTILE_BODY: &str = r#"## Plan {#plan .lead onclick=alert(1) data-x=1}

Text <b>bold</b> and <img src="x.png" alt="pic" onerror="alert(1)"> and
<a href="javascript:alert(1)">raw js</a> and <a href="https://example.org/" onclick="steal()">raw ok</a>.

<script>alert("script")</script>
<iframe src="https://evil.example/"></iframe>
<div onmouseover="alert(1)" class="box" style="position:fixed">boxed</div>

[[Kim]] met here [@ap] and a note[^n].

| Left | Middle |
|:-----|:------:|
| a    | b      |

- [x] done

```rust
fn main() {}
```

[^n]: The note.
"#;

const SCRIPT_LINKS: &str = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](<java\tscript:alert(1)>) [d](vbscript:msgbox) [e](data:text/html,<script>alert(1)</script>) ![f](data:image/svg+xml,<svg/onload=alert(1)>) [g](javascript&colon;alert(1)) [h][ref] [i](&#x6A;avascript:alert(1)) <javascript:alert(3)>\n\n[ref]: javascript:alert(2)\n";

fn raw_html_site(dir: &Path, mode: Option<&str>) -> PathBuf {
    let config = mode
        .map(|m| format!("markdown: {{raw_html: {m}}}\n"))
        .unwrap_or_default();
    let briefing = format!(
        "---\ntitle: A\ndate: 2024-01-02\nactors: [Kim]\nsources:\n  - id: ap\n    title: T\n    url: https://apnews.com/\n---\n{HOSTILE_BODY}\n{SCRIPT_LINKS}"
    );
    site(dir, &config, &[(BRIEFING_A, &briefing)])
}

/// The briefing's body, as rendered.
fn body_html(dir: &Path, mode: Option<&str>) -> String {
    let root = raw_html_site(dir, mode);
    let out = dir.join("out");
    build_ok(&root, &out, &[]);
    let page = read(&out, "briefings/2024/a/index.html");
    let doc = scraper::Html::parse_document(&page);
    let prose = scraper::Selector::parse(".prose").unwrap();
    doc.select(&prose)
        .next()
        .expect("a .prose body")
        .inner_html()
}

/// Every attribute of every element in `html`: (element, name, value).
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let doc = scraper::Html::parse_fragment(html);
    let all = scraper::Selector::parse("*").unwrap();
    doc.select(&all)
        .flat_map(|e| {
            e.value()
                .attrs()
                .map(|(k, v)| (e.value().name().to_string(), k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether a URL is a script or data URL as a browser reads it.
fn is_script_url(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| url.starts_with(s))
}

/// Markdown links and images with `javascript:`, `vbscript:` or `data:`
/// URLs (however spelled) never become live links, in any mode.
fn assert_no_markdown_script_links(body: &str, mode: &str) {
    for (element, name, value) in attributes(body) {
        if matches!(name.as_str(), "href" | "src") && is_script_url(&value) {
            // `allow` passes the editor's own raw `<a href="javascript:">`.
            assert!(
                mode == "allow" && value == "javascript:alert(1)" && element == "a",
                "{mode}: <{element} {name}=\"{value}\"> in {body}"
            );
        }
    }
    // Each Markdown link still shows its text, defused to `#`.
    let doc = scraper::Html::parse_fragment(body);
    let defused = scraper::Selector::parse("a[href=\"#\"]").unwrap();
    let labels: Vec<String> = doc
        .select(&defused)
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(
        labels,
        [
            "a",
            "b",
            "c",
            "d",
            "e",
            "g",
            "h",
            "i",
            "javascript:alert(3)"
        ],
        "{mode}: {body}"
    );
    let image = scraper::Selector::parse("img[alt=\"f\"]").unwrap();
    let img = doc.select(&image).next().expect("the image stays");
    assert_eq!(img.value().attr("src"), Some("#"), "{mode}");
}

/// Heading attributes keep their id and class, never anything else.
fn assert_heading_keeps_only_id_and_class(body: &str, mode: &str) {
    let mut heading: Vec<(String, String)> = attributes(body)
        .into_iter()
        .filter(|(e, _, _)| e == "h2")
        .map(|(_, k, v)| (k, v))
        .collect();
    heading.sort();
    assert_eq!(
        heading,
        [
            ("class".to_string(), "lead".to_string()),
            ("id".to_string(), "plan".to_string())
        ],
        "{mode}"
    );
}

#[test]
fn raw_html_is_sanitized_by_default_and_generated_markup_survives() {
    let dir = tempfile::tempdir().unwrap();
    let body = body_html(dir.path(), None);
    // Nothing that runs: no script, frame, event handler or script URL.
    let attrs = attributes(&body);
    for (element, name, value) in &attrs {
        assert!(
            !name.starts_with("on"),
            "<{element} {name}=\"{value}\"> survived: {body}"
        );
        assert!(!(name == "href" || name == "src") || !is_script_url(value));
        assert!(
            name != "style" || value.starts_with("text-align:"),
            "{value}"
        );
    }
    for gone in [
        "<script",
        "alert(\"script\")",
        "<iframe",
        "evil.example",
        "position:fixed",
    ] {
        assert!(!body.contains(gone), "{gone} survived: {body}");
    }
    // Safe raw markup stays.
    assert!(body.contains("<b>bold</b>"), "{body}");
    assert!(body.contains(r#"<img alt="pic" src="x.png">"#), "{body}");
    assert!(body.contains(r#"<a href="https://example.org/">raw ok</a>"#));
    assert!(body.contains(r#"<div class="box">boxed</div>"#), "{body}");
    assert!(body.contains("<a>raw js</a>"), "{body}");
    // What attache generates survives: heading id, wikilink, citation,
    // footnote, table alignment, task list, highlighted code.
    assert_heading_keeps_only_id_and_class(&body, "sanitize");
    let has = |element: &str, name: &str, value: &str| {
        attrs
            .iter()
            .any(|(e, k, v)| e == element && k == name && v.contains(value))
    };
    assert!(has("a", "class", "wikilink actor"), "{body}");
    assert!(has("sup", "class", "citation"), "{body}");
    assert!(has("a", "aria-label", "Source 1"), "{body}");
    assert!(has("sup", "class", "footnote-reference"), "{body}");
    assert!(has("div", "class", "footnote-definition"), "{body}");
    assert!(has("th", "style", "text-align:center"), "{body}");
    assert!(has("input", "type", "checkbox"), "{body}");
    assert!(has("input", "checked", ""), "{body}");
    assert!(has("pre", "data-lang", "rust"), "{body}");
    assert!(has("span", "class", "hl-"), "{body}");
    assert!(has("div", "class", "table-wrap"), "{body}");
    assert_no_markdown_script_links(&body, "sanitize");
}

#[test]
fn raw_html_allow_passes_it_through_but_not_heading_handlers() {
    let dir = tempfile::tempdir().unwrap();
    let body = body_html(dir.path(), Some("allow"));
    assert!(
        body.contains(r#"<script>alert("script")</script>"#),
        "{body}"
    );
    assert!(body.contains(r#"onerror="alert(1)""#), "{body}");
    assert_heading_keeps_only_id_and_class(&body, "allow");
    assert_no_markdown_script_links(&body, "allow");
}

#[test]
fn raw_html_escape_shows_it_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let body = body_html(dir.path(), Some("escape"));
    assert!(
        body.contains("&lt;script&gt;alert(\"script\")&lt;/script&gt;"),
        "{body}"
    );
    assert!(body.contains("&lt;b&gt;bold&lt;/b&gt;"), "{body}");
    for (element, name, _) in attributes(&body) {
        assert!(!name.starts_with("on"), "<{element} {name}> in {body}");
        assert_ne!(element, "script");
        assert_ne!(element, "iframe");
    }
    assert_heading_keeps_only_id_and_class(&body, "escape");
    assert_no_markdown_script_links(&body, "escape");
}

#[test]
fn an_unknown_raw_html_setting_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), "markdown: {raw_html: maybe}\n", &[]);
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let found = with_code(&items, "bad-config");
    assert_eq!(found.len(), 1, "{items:#?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("attache.yaml", 3));
}

#[test]
fn two_aliases_of_one_path_are_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "",
        &[
            (
                BRIEFING_A,
                "---\ntitle: A\ndate: 2024-01-02\naliases: [/old/]\n---\nBody\n",
            ),
            (
                "content/briefings/2024-01-03-b.md",
                "---\ntitle: B\ndate: 2024-01-03\naliases:\n  - /old\n---\nBody\n",
            ),
        ],
    );
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let found = with_code(&items, "duplicate-url");
    assert_eq!(found.len(), 1, "{items:#?}");
    // Newer briefings claim first: the older one's alias is reported, at
    // its line, naming the newer one.
    assert_eq!(
        found[0],
        (
            BRIEFING_A.to_string(),
            4,
            11,
            "/old/ is also the URL of content/briefings/2024-01-03-b.md".to_string()
        )
    );
}

#[test]
fn deeply_nested_raw_html_is_shown_as_text_not_sanitised_for_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 50_000;
    let body = format!(
        "Intro.\n\nSee <b>{}deep{}</b>\n",
        "<span>".repeat(depth),
        "</span>".repeat(depth)
    );
    let root = site(
        dir.path(),
        "",
        &[(
            BRIEFING_A,
            &format!("---\ntitle: A\ndate: 2024-01-02\n---\n{body}"),
        )],
    );
    let started = std::time::Instant::now();
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 0, "{items:#?}");
    let found = with_code(&items, "raw-html-too-deep");
    assert_eq!(found.len(), 1, "{items:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        (BRIEFING_A, 7, 5)
    );
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let page = read(&out, "briefings/2024/a/index.html");
    assert!(page.contains("See &lt;b&gt;&lt;span&gt;&lt;span&gt;"));
}
