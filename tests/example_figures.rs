//! The example site's figures: charts, a map, a generated photo and an
//! emblem, each published with alt text, caption, credit and its size, in a
//! page bundle that keeps its URL and in `content/media/`.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A copy of the repository's example site, built into `out`.
fn build_example(dir: &Path) -> (PathBuf, PathBuf) {
    let (site, out) = (dir.join("site"), dir.join("public"));
    for part in ["content", "templates", "themes"] {
        copy_dir(&repo().join(part), &site.join(part));
    }
    std::fs::copy(repo().join("attache.yaml"), site.join("attache.yaml")).unwrap();
    build_ok(&site, &out, &[]);
    (site, out)
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

/// Every URL an element names in `src` or `srcset`.
fn picture_urls(element: &scraper::ElementRef) -> Vec<String> {
    let mut urls = Vec::new();
    for e in
        std::iter::once(*element).chain(element.descendants().filter_map(scraper::ElementRef::wrap))
    {
        if let Some(src) = e.value().attr("src") {
            urls.push(src.to_string());
        }
        if let Some(set) = e.value().attr("srcset") {
            urls.extend(
                set.split(", ")
                    .filter_map(|item| item.split(' ').next())
                    .map(str::to_string),
            );
        }
    }
    urls
}

/// The page and the start of the published name of every figure the
/// example's briefings show.
const FIGURES: &[(&str, &str)] = &[
    (
        "briefings/2023/launch-record-2023/index.html",
        "/media/launches-2023.",
    ),
    (
        "briefings/2024/putin-in-pyongyang-treaty/index.html",
        "/media/tumen-crossing.",
    ),
    (
        "briefings/2024/treaty-enters-into-force/index.html",
        "/media/events-per-quarter.",
    ),
    (
        "briefings/2024/treaty-enters-into-force/index.html",
        "/media/actors-most-named.",
    ),
    (
        "briefings/2024/border-roads-demolished/index.html",
        "/media/ridge-road.",
    ),
];

#[test]
fn the_example_sites_figures_have_alt_text_captions_credits_and_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = build_example(dir.path());
    let mut extensions = std::collections::BTreeSet::new();
    for (page, name) in FIGURES {
        let html = read(&out, page);
        let doc = scraper::Html::parse_document(&html);
        let figure = select(&doc, "figure")
            .into_iter()
            .find(|f| {
                select_in(f, "img")
                    .iter()
                    .any(|img| img.value().attr("src").is_some_and(|s| s.starts_with(name)))
            })
            .unwrap_or_else(|| panic!("{page} has no figure of {name}"));
        let img = select_in(&figure, "img").remove(0);
        let alt = img.value().attr("alt").unwrap_or_default();
        assert!(
            alt.len() > 40,
            "{page}: {name} has a short alt text: {alt:?}"
        );
        for size in ["width", "height"] {
            let value: u32 = img.value().attr(size).unwrap().parse().unwrap();
            assert!(value > 0, "{page}: {name} {size}");
        }
        let caption = select_in(&figure, "figcaption")
            .first()
            .map(|c| c.text().collect::<String>())
            .unwrap_or_default();
        assert!(
            caption.contains("The Peninsula Desk"),
            "{page}: {name}'s caption has no credit: {caption:?}"
        );
        for url in picture_urls(&figure) {
            let file = url.strip_prefix('/').unwrap();
            assert!(
                out.join(file).is_file(),
                "{page} shows {url}, which is missing"
            );
            extensions.insert(file.rsplit('.').next().unwrap().to_string());
        }
    }
    // JPEG, PNG and SVG originals, and WebP made from the raster ones.
    assert_eq!(
        extensions.into_iter().collect::<Vec<_>>(),
        ["jpg", "png", "svg", "webp"]
    );
}

fn select_in<'a>(element: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    element
        .select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

#[test]
fn the_example_bundle_keeps_its_url_and_the_lead_image_and_emblem_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (site, out) = build_example(dir.path());
    // The bundle's slug is its folder name without the date.
    assert!(
        site.join("content/briefings/2024/2024-06-20-putin-in-pyongyang-treaty/index.md")
            .is_file()
    );
    let linking = read(&out, "briefings/2024/treaty-enters-into-force/index.html");
    assert!(linking.contains("href=\"/briefings/2024/putin-in-pyongyang-treaty/\""));
    // The generated photo is the briefing's link preview.
    let roads = read(&out, "briefings/2024/border-roads-demolished/index.html");
    let doc = scraper::Html::parse_document(&roads);
    let og: Vec<&str> = select(&doc, "meta[property='og:image']")
        .iter()
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(og.len(), 1, "{og:?}");
    let file = og[0].strip_prefix("http://localhost/").unwrap();
    assert!(
        file.starts_with("media/ridge-road.") && file.ends_with(".jpg"),
        "{file}"
    );
    assert!(out.join(file).is_file());
    // North Korea's profile shows the drawn flag.
    let actor = read(&out, "actors/north-korea/index.html");
    let doc = scraper::Html::parse_document(&actor);
    let emblem = select(&doc, "img")
        .into_iter()
        .find(|img| {
            img.value()
                .attr("src")
                .is_some_and(|s| s.starts_with("/media/flag-north-korea."))
        })
        .expect("the profile shows its emblem");
    assert!(
        emblem
            .value()
            .attr("alt")
            .unwrap()
            .starts_with("Flag of North Korea")
    );
    // No image problem anywhere in the example.
    let (_, items) = check_json(&site, &[]);
    let image_codes = [
        "missing-alt",
        "missing-image",
        "bad-image",
        "large-image",
        "image-gps",
        "missing-credit",
        "broken-link",
    ];
    let problems: Vec<_> = items
        .iter()
        .filter(|d| image_codes.contains(&d["code"].as_str().unwrap_or_default()))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}
