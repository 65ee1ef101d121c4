//! Figures: pictures beside a briefing (a page bundle) and in
//! `content/media/`, published in several widths and formats, with captions,
//! credits and alt text; EXIF orientation applied and metadata dropped; a
//! cache that spares a second build all image work; lead images in cards
//! and link previews; portraits on profiles.

mod common;

use common::*;
use std::path::Path;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A photo-like JPEG (gradients and noise) of `width` x `height`.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let n = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 24) as u8;
        image::Rgb([
            (x * 255 / width) as u8 ^ n,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 200) as u8, 40, (y % 200) as u8, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// `jpeg` with an EXIF block (APP1) right after the start marker holding
/// `orientation` and, when `gps`, a GPS latitude: written by hand, as a
/// camera writes it (little-endian TIFF).
fn with_exif(jpeg: &[u8], orientation: u16, gps: bool) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let entries: u16 = if gps { 2 } else { 1 };
    tiff.extend(entries.to_le_bytes());
    // Orientation: SHORT, 1 value, in the entry.
    tiff.extend(0x0112u16.to_le_bytes());
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend((orientation as u32).to_le_bytes());
    let gps_ifd = 8 + 2 + 12 * entries as u32 + 4;
    if gps {
        // GPSInfo: LONG offset of the GPS IFD.
        tiff.extend(0x8825u16.to_le_bytes());
        tiff.extend(4u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(gps_ifd.to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    if gps {
        assert_eq!(tiff.len() as u32, gps_ifd);
        tiff.extend(2u16.to_le_bytes());
        // GPSLatitudeRef: ASCII "N\0", in the entry.
        tiff.extend(0x0001u16.to_le_bytes());
        tiff.extend(2u16.to_le_bytes());
        tiff.extend(2u32.to_le_bytes());
        tiff.extend(*b"N\0\0\0");
        // GPSLatitude: 3 RATIONALs (39° 2' 21"), after the IFD.
        let data = gps_ifd + 2 + 12 * 2 + 4;
        tiff.extend(0x0002u16.to_le_bytes());
        tiff.extend(5u16.to_le_bytes());
        tiff.extend(3u32.to_le_bytes());
        tiff.extend(data.to_le_bytes());
        tiff.extend(0u32.to_le_bytes());
        for (n, d) in [(39u32, 1u32), (2, 1), (21, 1)] {
            tiff.extend(n.to_le_bytes());
            tiff.extend(d.to_le_bytes());
        }
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// A site with a page bundle (a photo and a chart beside the briefing) and
/// a map in `content/media/`.
fn figure_site(root: &Path) {
    write(
        &root.join("attache.yaml"),
        "title: Figures\nbase_url: https://example.org/desk/\n",
    );
    let bundle = root.join("content/briefings/2024/2024-06-19-putin-pyongyang");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Putin in Pyongyang\ndate: 2024-06-19\nfigures:\n  - src: delegation.jpg\n    credit: \"Photo: The Desk\"\n    license: CC BY 4.0\n    source_url: https://example.org/photos\n---\nThe visit opened with a ceremony.\n\n![The delegation on the tarmac](delegation.jpg \"Arrival at Sunan airport.\")\n\nLaunches rose.\n\n![Bar chart of launches per year](launches.png)\n\n![Schematic map of the border](/media/border.svg \"The Tumen crossing.\")\n",
    );
    std::fs::write(bundle.join("delegation.jpg"), jpeg(2000, 1000)).unwrap();
    std::fs::write(bundle.join("launches.png"), png(1200, 600)).unwrap();
    write(
        &root.join("content/media/border.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\" viewBox=\"0 0 300 200\"><rect width=\"300\" height=\"200\" fill=\"#cde\"/></svg>\n",
    );
}

/// The `srcset` URLs of `html`'s `<img>` or `<source>` elements matching
/// `css`, each with the width it claims.
fn srcsets(html: &str, css: &str) -> Vec<Vec<(String, u32)>> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.value()
                .attr("srcset")
                .unwrap_or("")
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(|item| {
                    let (url, w) = item.rsplit_once(' ').unwrap();
                    (url.to_string(), w.trim_end_matches('w').parse().unwrap())
                })
                .collect()
        })
        .collect()
}

fn attr(html: &str, css: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

fn file_of(out: &Path, url: &str) -> std::path::PathBuf {
    out.join(
        url.strip_prefix("/desk/")
            .unwrap_or_else(|| panic!("{url}")),
    )
}

#[test]
fn a_bundle_and_shared_media_become_figures_in_every_width_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    figure_site(&root);
    build_ok(&root, &out, &[]);
    let html = read(&out, "briefings/2024/putin-pyongyang/index.html");
    let figures = texts(&html, "figure.media-figure figcaption");
    assert_eq!(
        figures,
        [
            "Arrival at Sunan airport. Photo: The Desk (CC BY 4.0)",
            "The Tumen crossing."
        ],
        "{html}"
    );
    assert_eq!(
        hrefs(&html, "figure.media-figure figcaption .credit a"),
        ["https://example.org/photos"]
    );
    // Every original-format srcset: the configured widths below the
    // original's, and the original's width when it is below the largest.
    let widths: Vec<Vec<u32>> = srcsets(&html, "figure img")
        .iter()
        .map(|s| s.iter().map(|(_, w)| *w).collect())
        .collect();
    assert_eq!(widths, [vec![480, 960, 1600], vec![480, 960, 1200], vec![]]);
    let webp: Vec<Vec<u32>> = srcsets(&html, "figure source[type='image/webp']")
        .iter()
        .map(|s| s.iter().map(|(_, w)| *w).collect())
        .collect();
    assert_eq!(webp, [vec![480, 960, 1600], vec![480, 960, 1200]]);
    // Each file exists, decodes in its format, and is as wide as it says,
    // with the original's proportions.
    for (css, format) in [
        ("figure img", None),
        (
            "figure source[type='image/webp']",
            Some(image::ImageFormat::WebP),
        ),
    ] {
        for set in srcsets(&html, css) {
            for (url, width) in set {
                let path = file_of(&out, &url);
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{url}: {e}"));
                let guessed = image::guess_format(&bytes).unwrap();
                if let Some(format) = format {
                    assert_eq!(guessed, format, "{url}");
                }
                let img = image::load_from_memory(&bytes).unwrap();
                assert_eq!(img.width(), width, "{url}");
                assert_eq!(img.height(), width / 2, "{url}");
            }
        }
    }
    // JPEG stays JPEG and PNG stays PNG as the fallback.
    let srcs = attr(&html, "figure img", "src");
    assert!(
        srcs[0].ends_with(".jpg") && srcs[1].ends_with(".png") && srcs[2].ends_with(".svg"),
        "{srcs:?}"
    );
    // width and height are the src file's: no layout shift.
    let widths = attr(&html, "figure img", "width");
    let heights = attr(&html, "figure img", "height");
    for (i, src) in srcs.iter().enumerate() {
        let path = file_of(&out, src);
        if src.ends_with(".svg") {
            assert_eq!((widths[i].as_str(), heights[i].as_str()), ("300", "200"));
            // SVG is published untouched.
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(root.join("content/media/border.svg")).unwrap()
            );
            continue;
        }
        let img = image::open(&path).unwrap();
        assert_eq!(widths[i], img.width().to_string(), "{src}");
        assert_eq!(heights[i], img.height().to_string(), "{src}");
    }
    // Lazy below the first picture, always async.
    assert_eq!(attr(&html, "figure img", "loading"), ["lazy", "lazy"]);
    assert_eq!(attr(&html, "figure img", "decoding").len(), 3);
    // Names carry a fingerprint: `media/<stem>.<10 hex>.<width>.<ext>`.
    for src in &srcs {
        let name = src.rsplit('/').next().unwrap();
        let parts: Vec<&str> = name.split('.').collect();
        assert!(
            parts[1].len() == 10 && parts[1].bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
        assert!(src.starts_with("/desk/media/"), "{src}");
    }
    // A PNG at its own size keeps its own compression: the same bytes, as
    // it carries no metadata.
    let own_size = srcsets(&html, "figure img")[1].last().unwrap().0.clone();
    assert_eq!(
        std::fs::read(file_of(&out, &own_size)).unwrap(),
        std::fs::read(root.join("content/briefings/2024/2024-06-19-putin-pyongyang/launches.png"))
            .unwrap()
    );
    // Only what pages show is published: nothing else under media/.
    let published: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.starts_with("media/"))
        .collect();
    assert_eq!(published.len(), 3 + 3 + 3 + 3 + 1, "{published:?}");
}

#[test]
fn exif_orientation_is_applied_and_no_metadata_is_published() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    // Stored 64 x 32, left half red, right half blue; orientation 6 (turn
    // 90° clockwise to show): shown 32 x 64, red on top, blue below.
    let img = image::RgbImage::from_fn(64, 32, |x, _| {
        if x < 32 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(&img)
        .unwrap();
    write(&root.join("attache.yaml"), "title: Turned\n");
    write(
        &root.join("content/briefings/2024-01-01-turned.md"),
        "---\ntitle: Turned\ndate: 2024-01-01\n---\nA photo from a phone.\n\n![A red and blue test card](../media/phone.jpg)\n",
    );
    let source = with_exif(&plain, 6, true);
    std::fs::create_dir_all(root.join("content/media")).unwrap();
    std::fs::write(root.join("content/media/phone.jpg"), &source).unwrap();
    // The source holds GPS: a warning names it.
    let (_, items) = check_json(&root, &[]);
    assert!(
        items
            .iter()
            .any(|d| d["code"] == "image-gps" && d["severity"] == "warning"),
        "{items:?}"
    );
    build_ok(&root, &out, &[]);
    let html = read(&out, "briefings/2024/turned/index.html");
    assert_eq!(attr(&html, "figure img", "width"), ["32"]);
    assert_eq!(attr(&html, "figure img", "height"), ["64"]);
    let mut files = 0;
    for (path, bytes) in tree(&out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("media/"))
    {
        files += 1;
        let shown = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!((shown.width(), shown.height()), (32, 64), "{path}");
        let top = shown.get_pixel(16, 12);
        let bottom = shown.get_pixel(16, 52);
        assert!(top[0] > 150 && top[2] < 100, "{path}: top is {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "{path}: bottom is {bottom:?}"
        );
        assert!(
            !bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "{path} still carries EXIF"
        );
    }
    assert_eq!(files, 2, "a JPEG and a WebP");
}

/// The line `images: N processed, M from cache` of a build's report.
fn image_work(output: &std::process::Output) -> (usize, usize) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("images: "))
        .unwrap_or_else(|| panic!("no images line in {stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_second_build_does_no_image_work_and_a_changed_image_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    figure_site(&root);
    let first = build_ok(&root, &out, &[]);
    assert_eq!(image_work(&first), (3, 0));
    let before = tree(&out);
    assert!(root.join(".attache-cache").is_dir());
    let second = build_ok(&root, &out, &[]);
    assert_eq!(image_work(&second), (0, 3), "no image re-encoded");
    assert_eq!(tree(&out), before, "the same bytes from the cache");
    // A changed source is made again, under a new name.
    let chart = root.join("content/briefings/2024/2024-06-19-putin-pyongyang/launches.png");
    std::fs::write(&chart, png(1000, 500)).unwrap();
    let third = build_ok(&root, &out, &[]);
    assert_eq!(image_work(&third), (1, 2));
    let html = read(&out, "briefings/2024/putin-pyongyang/index.html");
    let old: Vec<&String> = before
        .keys()
        .filter(|p| p.contains("launches.") && p.ends_with(".png"))
        .collect();
    assert!(
        old.iter().all(|p| !html.contains(p.as_str())),
        "old names are gone: {old:?}"
    );
    assert_eq!(srcsets(&html, "figure img")[1].last().unwrap().1, 1000);
    // A deleted cache is made again, to the same bytes.
    std::fs::remove_dir_all(root.join(".attache-cache")).unwrap();
    let after_third = tree(&out);
    let fourth = build_ok(&root, &out, &[]);
    assert_eq!(image_work(&fourth), (3, 0));
    assert_eq!(tree(&out), after_third, "processing is deterministic");
}

#[test]
fn the_cache_folder_is_configurable_and_never_inside_the_sites_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    figure_site(&root);
    let cache = dir.path().join("ci-cache");
    let built = build_ok(&root, &out, &["--cache", cache.to_str().unwrap()]);
    assert_eq!(image_work(&built), (3, 0));
    assert!(cache.join("images").is_dir());
    assert!(!root.join(".attache-cache").exists());
    let again = build_ok(&root, &out, &["--cache", cache.to_str().unwrap()]);
    assert_eq!(image_work(&again), (0, 3));
    // In the config, relative to the root.
    write(
        &root.join("attache.yaml"),
        "title: Figures\nbase_url: https://example.org/desk/\ncache: .cache/images\n",
    );
    build_ok(&root, &out, &[]);
    assert!(root.join(".cache/images/images").is_dir());
    // Never in content, static, templates, themes or .git.
    for bad in ["content", "static/cache", "."] {
        write(
            &root.join("attache.yaml"),
            &format!("title: Figures\nbase_url: https://example.org/desk/\ncache: {bad}\n"),
        );
        let (code, items) = check_json(&root, &[]);
        assert_eq!(code, 1, "{bad}");
        assert!(
            items.iter().any(|d| d["code"] == "bad-config"
                && d["message"].as_str().unwrap().contains("image cache")),
            "{bad}: {items:?}"
        );
    }
    assert!(!root.join("content/images").exists() && !root.join("images").exists());
}

#[test]
fn the_lead_image_is_the_cards_picture_and_the_link_preview() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    figure_site(&root);
    // A second briefing names its lead image in the front matter only.
    write(
        &root.join("content/briefings/2024-07-01-border.md"),
        "---\ntitle: At the border\ndate: 2024-07-01\nimage:\n  src: ../media/crossing.jpg\n  alt: Trucks queue at the bridge\n---\nTrade resumed.\n",
    );
    std::fs::write(root.join("content/media/crossing.jpg"), jpeg(1800, 1200)).unwrap();
    build_ok(&root, &out, &[]);
    let page = read(&out, "briefings/2024/border/index.html");
    let og =
        |html: &str, property: &str| attr(html, &format!("meta[property='{property}']"), "content");
    let og_image = og(&page, "og:image");
    assert_eq!(og_image.len(), 1);
    assert!(
        og_image[0].starts_with("https://example.org/desk/media/crossing."),
        "{og_image:?}"
    );
    assert!(
        out.join(
            og_image[0]
                .strip_prefix("https://example.org/desk/")
                .unwrap()
        )
        .is_file()
    );
    let shown = image::open(
        out.join(
            og_image[0]
                .strip_prefix("https://example.org/desk/")
                .unwrap(),
        ),
    )
    .unwrap();
    assert_eq!(shown.width(), 1600);
    assert_eq!(og(&page, "og:image:width"), ["1600"]);
    assert_eq!(og(&page, "og:image:height"), [shown.height().to_string()]);
    assert_eq!(og(&page, "og:image:alt"), ["Trucks queue at the bridge"]);
    assert_eq!(
        attr(&page, "meta[name='twitter:card']", "content"),
        ["summary_large_image"]
    );
    assert_eq!(
        attr(&page, "meta[name='twitter:image']", "content"),
        og_image
    );
    // Shown above the text, since the body does not show it.
    assert_eq!(
        attr(&page, "figure.lead-image img", "alt"),
        ["Trucks queue at the bridge"]
    );
    let ld = texts(&page, "script[type='application/ld+json']").join("");
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["image"]["url"], og_image[0].as_str());
    assert_eq!(ld["image"]["width"], 1600);
    // The bundle's lead image is its first figure, not repeated above it.
    let bundle = read(&out, "briefings/2024/putin-pyongyang/index.html");
    assert_eq!(
        og(&bundle, "og:image:alt"),
        ["The delegation on the tarmac"]
    );
    assert!(attr(&bundle, "figure.lead-image img", "alt").is_empty());
    // Cards show the lead image.
    let home = read(&out, "index.html");
    assert_eq!(
        attr(&home, ".card-image img", "alt"),
        ["Trucks queue at the bridge", "The delegation on the tarmac"]
    );
    // The JSON Feed names it too.
    let feed: serde_json::Value = serde_json::from_str(&read(&out, "feed.json")).unwrap();
    assert_eq!(feed["items"][0]["image"], og_image[0].as_str());
    // Pages without a picture say nothing of one.
    let about = read(&out, "actors/index.html");
    assert!(og(&about, "og:image").is_empty());
    assert_eq!(
        attr(&about, "meta[name='twitter:card']", "content"),
        ["summary"]
    );
}

#[test]
fn profiles_show_their_portrait_or_emblem() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    figure_site(&root);
    write(
        &root.join("content/actors/kim-jong-un.md"),
        "---\nname: Kim Jong Un\nkind: person\nimage: {src: ../media/kim.png, alt: Drawn emblem of the State Affairs Commission}\n---\nChairman.\n",
    );
    write(
        &root.join("content/topics/sanctions.md"),
        "---\nname: Sanctions\nimage: {src: /media/sanctions.svg, decorative: true, alt: \"\"}\n---\n",
    );
    std::fs::write(root.join("content/media/kim.png"), png(600, 600)).unwrap();
    write(
        &root.join("content/media/sanctions.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 48\"><circle cx=\"32\" cy=\"24\" r=\"20\"/></svg>\n",
    );
    build_ok(&root, &out, &[]);
    let actor = read(&out, "actors/kim-jong-un/index.html");
    assert_eq!(
        attr(&actor, ".profile-image img", "alt"),
        ["Drawn emblem of the State Affairs Commission"]
    );
    assert_eq!(attr(&actor, ".profile-image img", "width"), ["600"]);
    let ld = texts(&actor, "script[type='application/ld+json']").join("");
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert!(
        ld["image"]["url"].as_str().unwrap().contains("/media/kim."),
        "{ld}"
    );
    let topic = read(&out, "topics/sanctions/index.html");
    // An SVG emblem is shown on the page, never offered to link previews.
    assert!(attr(&topic, "meta[property='og:image']", "content").is_empty());
    assert_eq!(
        attr(&actor, "meta[property='og:image:alt']", "content"),
        ["Drawn emblem of the State Affairs Commission"]
    );
    // An SVG with only a viewBox takes its size from it.
    assert_eq!(attr(&topic, ".profile-image img", "width"), ["64"]);
    assert_eq!(attr(&topic, ".profile-image img", "height"), ["48"]);
    assert_eq!(attr(&topic, ".profile-image img", "alt"), [""]);
    // And beside their names in the indexes.
    let actors = read(&out, "actors/index.html");
    assert_eq!(
        attr(&actors, ".index-image img", "alt"),
        ["Drawn emblem of the State Affairs Commission"]
    );
    let topics = read(&out, "topics/index.html");
    assert_eq!(attr(&topics, ".index-image img", "width"), ["64"]);
    // Decorative: no missing-alt.
    let (_, items) = check_json(&root, &[]);
    assert!(
        !items.iter().any(|d| d["code"] == "missing-alt"),
        "{items:?}"
    );
}

#[test]
fn image_problems_are_reported_where_the_image_is_named() {
    // (code, fixture, file, line, column, text the message or hint holds)
    let cases = [
        (
            "missing-alt",
            "content/briefings/2024-05-01-chart.md",
            7,
            1,
            "no alt text",
        ),
        (
            "missing-image",
            "content/briefings/2024/2024-05-01-visit/index.md",
            7,
            1,
            "did you mean 'launches.png'?",
        ),
        (
            "bad-image",
            "content/briefings/2024-05-01-photo.md",
            7,
            1,
            "content/media/photo.jpg",
        ),
        (
            "large-image",
            "content/briefings/2024-05-01-photo.md",
            7,
            1,
            "max_bytes",
        ),
        (
            "image-gps",
            "content/briefings/2024-05-01-photo.md",
            7,
            1,
            "GPS",
        ),
        (
            "missing-credit",
            "content/briefings/2024-05-01-photo.md",
            10,
            1,
            "credit",
        ),
        (
            "bad-figure",
            "content/briefings/2024-05-01-figures.md",
            5,
            5,
            "no `src`",
        ),
    ];
    for (code, file, line, column, text) in cases {
        let root = fixture("bad").join(code);
        let (_, items) = check_json(&root, &[]);
        let found: Vec<&serde_json::Value> = items.iter().filter(|d| d["code"] == code).collect();
        assert_eq!(found.len(), 1, "{code}: {items:?}");
        let d = found[0];
        assert!(d["file"].as_str().unwrap().ends_with(file), "{code}: {d}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(column)),
            "{code}: {d}"
        );
        let said = format!("{} {}", d["message"], d["hint"]);
        assert!(said.contains(text), "{code}: {said}");
    }
    // Strict mode makes a missing alt text an error.
    let (code, items) = check_json(&fixture("bad/missing-alt"), &["--strict"]);
    assert_eq!(code, 1);
    assert!(
        items
            .iter()
            .any(|d| d["code"] == "missing-alt" && d["severity"] == "error")
    );
    // A truncated image fails the build with nothing written.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_fails(
        &fixture("bad/bad-image"),
        &out,
        &["--cache", dir.path().join("cache").to_str().unwrap()],
    );
}

#[test]
fn hostile_images_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write(&root.join("attache.yaml"), "title: Hostile\n");
    let media = root.join("content/media");
    std::fs::create_dir_all(&media).unwrap();
    // Text named .png, an empty JPEG, random bytes, a PNG header claiming
    // 100000 x 100000 pixels, a link to a file outside the site.
    std::fs::write(media.join("text.png"), "not a picture").unwrap();
    std::fs::write(media.join("empty.jpg"), "").unwrap();
    std::fs::write(
        media.join("noise.webp"),
        (0..5000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    // The header's checksum, so that only its size is wrong.
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    std::fs::write(media.join("bomb.png"), bomb).unwrap();
    // A 300 MB "photo" (sparse: no disk used) is refused unread.
    let huge = std::fs::File::create(media.join("huge.jpg")).unwrap();
    huge.set_len(300_000_000).unwrap();
    // A link inside the site to a picture of the site is followed.
    std::fs::write(media.join("real.png"), png(40, 20)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(media.join("real.png"), media.join("alias.png")).unwrap();
    let outside = dir.path().join("secret.png");
    std::fs::write(&outside, png(10, 10)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, media.join("linked.png")).unwrap();
    let mut body = String::from("---\ntitle: Hostile\ndate: 2024-01-01\n---\nText.\n\n");
    for name in [
        "text.png",
        "empty.jpg",
        "noise.webp",
        "bomb.png",
        "huge.jpg",
        "linked.png",
        "../../../secret.png",
        "alias.png",
    ] {
        body.push_str(&format!("![x](../media/{name})\n\n"));
    }
    write(&root.join("content/briefings/2024-01-01-hostile.md"), &body);
    let (code, items) = check_json(&root, &[]);
    assert_eq!(code, 1, "{items:?}");
    let codes: Vec<&str> = items.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "bad-image").count(),
        5,
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("at most 250 MB")),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("bomb.png")
                && d["message"].as_str().unwrap().contains("100000")),
        "a decompression bomb is refused from its header: {items:?}"
    );
    assert!(
        !items
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("alias.png")),
        "a link to a picture of the site is that picture: {items:?}"
    );
    assert!(
        codes.contains(&"missing-image"),
        "a link out of the site names nothing: {items:?}"
    );
    build_fails(&root, &out, &[]);
}

#[test]
fn serve_shows_new_and_changed_images_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    figure_site(&root);
    let server = serve(&root);
    // serve serves at its own address, from /.
    let page = "/briefings/2024/putin-pyongyang/";
    let chart_src = |html: &str| attr(html, "figure img", "src").get(1).cloned();
    let (status, html) = get(server.port, page);
    assert_eq!(status, 200);
    let first = chart_src(&html).expect("the chart is a figure");
    let (status, bytes) = get_bytes(server.port, &first);
    assert_eq!(status, 200, "{first}");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 1200);
    // The editor replaces the chart with a narrower one: the page names the
    // new file, which is served, as soon as the rebuild is done.
    let chart = root.join("content/briefings/2024/2024-06-19-putin-pyongyang/launches.png");
    std::fs::write(&chart, png(700, 350)).unwrap();
    let mut changed = None;
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (_, html) = get(server.port, page);
        if let Some(src) = chart_src(&html).filter(|s| *s != first) {
            changed = Some(src);
            break;
        }
    }
    let changed = changed.expect("the page names the new chart");
    let (status, bytes) = get_bytes(server.port, &changed);
    assert_eq!(status, 200, "{changed}");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 700);
    // A new image in the bundle, named by an edit of the body.
    let bundle = root.join("content/briefings/2024/2024-06-19-putin-pyongyang");
    std::fs::write(bundle.join("crowd.jpg"), jpeg(900, 600)).unwrap();
    let text = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        format!("{text}\n![A crowd waves flags](crowd.jpg)\n"),
    )
    .unwrap();
    let mut crowd = None;
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (_, html) = get(server.port, page);
        if let Some(src) = attr(&html, "figure img", "src")
            .into_iter()
            .find(|s| s.contains("/crowd."))
        {
            crowd = Some(src);
            break;
        }
    }
    let crowd = crowd.expect("the new figure is shown");
    let (status, bytes) = get_bytes(server.port, &crowd);
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 900);
}

#[test]
fn one_picture_in_two_bundles_and_names_in_every_script_build() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    write(&root.join("attache.yaml"), "title: Names\n");
    let chart = png(600, 300);
    for (folder, date) in [
        ("2024-01-01-a", "2024-01-01"),
        ("2024-01-02-b", "2024-01-02"),
    ] {
        let bundle = root.join("content/briefings/2024").join(folder);
        std::fs::create_dir_all(&bundle).unwrap();
        std::fs::write(bundle.join("chart.png"), &chart).unwrap();
        write(
            &bundle.join("index.md"),
            &format!("---\ntitle: {folder}\ndate: {date}\n---\nText.\n\n![The chart](chart.png)\n"),
        );
    }
    let media = root.join("content/media");
    std::fs::create_dir_all(&media).unwrap();
    for name in ["지도.png", "карта.png", "my photo.png", "UPPER.PNG"] {
        std::fs::write(media.join(name), png(300, 200)).unwrap();
    }
    write(
        &root.join("content/briefings/2024-02-01-names.md"),
        "---\ntitle: Names\ndate: 2024-02-01\n---\nText.\n\n![Map in Korean](/media/지도.png)\n\n![Map in Russian](../media/карта.png)\n\n![A photo](</media/my photo.png>)\n\n![Also the photo](/media/my%20photo.png)\n\n![Upper](/media/UPPER.PNG)\n",
    );
    build_ok(&root, &out, &[]);
    let a = read(&out, "briefings/2024/a/index.html");
    let b = read(&out, "briefings/2024/b/index.html");
    assert_eq!(
        attr(&a, "figure img", "src"),
        attr(&b, "figure img", "src"),
        "one set of files"
    );
    let names = read(&out, "briefings/2024/names/index.html");
    let srcs = attr(&names, "figure img", "src");
    assert_eq!(srcs.len(), 5, "{names}");
    assert_eq!(srcs[2], srcs[3], "one file, however its path is written");
    for src in &srcs {
        let name = src.strip_prefix("/media/").unwrap();
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'),
            "{name}"
        );
        assert!(out.join("media").join(name).is_file(), "{name}");
    }
}
