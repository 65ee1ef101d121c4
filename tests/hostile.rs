//! Hostile and odd input: nothing panics, hangs or writes outside the
//! output folder, whatever the content. A property test feeds random text
//! and random front matter to the loader and the Markdown renderer.

mod common;
use attache::load::{Kind, parse_document};
use common::*;
use proptest::prelude::*;
use std::path::Path;

fn site_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let full = dir.path().join("site").join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    dir
}

fn briefing(title: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: {title}\ndate: 2024-01-02\n---\n{body}\n").into_bytes()
}

#[test]
fn deep_nesting_and_huge_lines_build() {
    let nested_quotes = ">".repeat(50_000) + " deep";
    let nested_lists: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let brackets = "[".repeat(100_000) + &"]".repeat(100_000);
    let emphasis = "*".repeat(100_000) + "x";
    let long_line = "word ".repeat(400_000);
    let long_title = "T".repeat(1_000_000);
    let dir = site_with(&[
        ("content/briefings/a.md", briefing("Quotes", &nested_quotes)),
        ("content/briefings/b.md", briefing("Lists", &nested_lists)),
        ("content/briefings/c.md", briefing("Brackets", &brackets)),
        ("content/briefings/d.md", briefing("Emphasis", &emphasis)),
        ("content/briefings/e.md", briefing("Long line", &long_line)),
        ("content/briefings/f.md", briefing(&long_title, "Body")),
    ]);
    let out = dir.path().join("public");
    build_ok(&dir.path().join("site"), &out, &[]);
    assert!(out.join("briefings/2024/e/index.html").is_file());
}

#[test]
fn binary_and_empty_files_are_reported_not_fatal() {
    let binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let dir = site_with(&[
        ("content/briefings/bin.md", binary),
        ("content/briefings/empty.md", Vec::new()),
        ("content/briefings/ok.md", briefing("Fine", "Body")),
    ]);
    let root = dir.path().join("site");
    let (status, items) = check_json(&root, &[]);
    assert_eq!(status, 1);
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["not-utf8", "front-matter"]);
}

#[test]
fn slugs_and_file_names_cannot_leave_the_output_folder() {
    let dir = site_with(&[
        ("content/briefings/a.md", b"---\ntitle: A\ndate: 2024-01-02\nslug: ../../../../escaped\n---\nBody\n".to_vec()),
        ("content/briefings/..%2f..%2fb.md", briefing("B", "Body")),
        ("content/pages/p.md", b"---\ntitle: P\nslug: /etc/passwd\n---\nBody\n".to_vec()),
        ("content/actors/x.md", b"---\nname: \"../../actor\"\n---\n".to_vec()),
        ("content/briefings/c.md", b"---\ntitle: C\ndate: 2024-01-03\nactors: [\"../../../x\"]\ntopics: [\"/../../y\"]\n---\nBody\n".to_vec()),
    ]);
    let out = dir.path().join("out").join("public");
    build_ok(&dir.path().join("site"), &out, &[]);
    // Nothing was written beside the output folder or the site.
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["out", "site"]);
    let beside: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"]);
    assert!(out.join("briefings/2024/escaped/index.html").is_file());
    assert!(out.join("etc-passwd/index.html").is_file());
    for path in tree(&out).keys() {
        assert!(!path.contains(".."), "{path}");
    }
}

#[test]
fn crlf_and_bom_are_accepted_with_right_positions() {
    let text = "\u{feff}---\r\ntitle: Windows\r\ndate: 2024-01-02\r\nactorz: [x]\r\n---\r\nBody with [[Nobody]].\r\n";
    let dir = site_with(&[("content/briefings/w.md", text.as_bytes().to_vec())]);
    let root = dir.path().join("site");
    let (_, items) = check_json(&root, &[]);
    let found: Vec<(String, u64, u64)> = items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-field".to_string(), 4, 1),
            ("unresolved-link".to_string(), 6, 11)
        ]
    );
    let built = dir.path().join("public");
    build_ok(&root, &built, &[]);
    assert!(
        read(&built, "briefings/2024/w/index.html")
            .contains("<h1 class=\"briefing-title\">Windows</h1>")
    );
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Briefing),
        Just(Kind::Actor),
        Just(Kind::Topic),
        Just(Kind::Page)
    ]
}

/// Front matter made of plausible keys with arbitrary values.
fn front_matter() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("date"),
        Just("actors"),
        Just("topics"),
        Just("sources"),
        Just("events"),
        Just("slug"),
        Just("draft"),
        Just("corrections"),
        Just("name"),
        Just("aliases"),
        Just("roles"),
        Just("ids"),
        Just("summary"),
        Just("updated"),
    ];
    let value = prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 :,\\[\\]{}\\-@'\"]{0,40}",
        Just("2024-02-30".to_string()),
        Just("[{id: a, url: 'javascript:x'}, b]".to_string()),
        Just("{date: 2023, what: x, actors: [y]}".to_string()),
        Just("&a [*a]".to_string()),
    ];
    prop::collection::vec((key, value), 0..8)
        .prop_map(|fields| fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in any::<String>(), kind in kinds()) {
        let (doc, diagnostics) = parse_document(Path::new("content/x.md"), &text, kind);
        prop_assert!(doc.is_some() || diagnostics.has_errors());
    }

    #[test]
    fn random_front_matter_never_panics(fm in front_matter(), body in any::<String>(), kind in kinds()) {
        let text = format!("---\n{fm}---\n{body}");
        let (doc, diagnostics) = parse_document(Path::new("content/x.md"), &text, kind);
        prop_assert!(doc.is_some() || diagnostics.has_errors());
        for d in diagnostics.iter() {
            prop_assert!(d.line <= text.lines().count() + 1);
        }
    }

    #[test]
    fn random_markdown_renders(body in any::<String>(), noise in "[\\[\\]@|>*_`#\\-:!()\n a-z]{0,300}") {
        let highlighter = attache::markdown::highlight::Highlighter::new();
        let resolve = |_: &attache::markdown::WikiTarget| None;
        let content_link = |_: &str| None;
        // Every local image path names a picture, so random text also
        // goes through figures.
        let picture = std::sync::Arc::new(attache::markdown::figure::Picture {
            source: "content/media/x.png".into(),
            width: 10,
            height: 10,
            src: "/media/x.png".into(),
            path: "media/x.png".into(),
            srcset: "/media/x.png 10w".into(),
            sources: vec![("image/webp", "/media/x.webp 10w".into())],
        });
        let image = |_: &str| Some(picture.clone());
        let figures = [attache::markdown::figure::FigureMeta {
            src: "a".into(),
            credit: Some("c".into()),
            ..Default::default()
        }];
        let ids = [Some("a".to_string())];
        let env = attache::markdown::BodyEnv {
            base_path: "/",
            highlighter: &highlighter,
            resolve: &resolve,
            source_ids: &ids,
            autolink: None,
            own_url: None,
            content_link: &content_link,
            raw_html: attache::markdown::RawHtml::Sanitize,
            image: &image,
            figures: &figures,
            smart_punctuation: true,
        };
        let text = format!("{body}{noise}");
        let rendered = attache::markdown::render(&text, &env);
        for w in &rendered.wikilinks {
            prop_assert!(w.offset <= text.len());
        }
    }
}
