//! Pictures drawn at build time: the network, timeline strip and
//! briefings-per-month SVGs on actor and topic pages. Each has a text
//! alternative, is well-formed XML, escapes what it is given, draws sane
//! numbers for one briefing and for decades, and is the same on every build.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn site_with(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join("site").join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

fn build(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let out = dir.path().join("public");
    build_ok(&dir.path().join("site"), &out, &[]);
    out
}

/// Every `<svg>...</svg>` of the page, as written.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").expect("an svg is closed") + "</svg>".len();
            &html[start..start + end]
        })
        .collect()
}

/// Panics unless `svg` is well-formed XML with one root element.
fn assert_xml(svg: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut depth = 0i32;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                // Attributes well-formed and none twice.
                for a in e.attributes() {
                    a.unwrap_or_else(|e| panic!("{e}\n{svg}"));
                }
            }
            Ok(Event::Empty(e)) => {
                for a in e.attributes() {
                    a.unwrap_or_else(|e| panic!("{e}\n{svg}"));
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            // Only the entities XML itself defines (no `&nbsp;`).
            Ok(Event::GeneralRef(r)) => {
                let name: &str = r.as_ref();
                assert!(
                    r.is_char_ref() || ["lt", "gt", "amp", "quot", "apos"].contains(&name),
                    "&{name}; is not an XML entity"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML at {}: {e}\n{svg}", reader.buffer_position()),
        }
    }
    assert_eq!((depth, roots), (0, 1), "{svg}");
}

/// Panics unless every number of every chart on the page is finite, sizes
/// are not negative and positions lie inside the picture's `viewBox`.
fn assert_sane_numbers(html: &str) {
    assert!(!html.contains("NaN"), "NaN in the page");
    let doc = scraper::Html::parse_document(html);
    let svg = scraper::Selector::parse("svg").unwrap();
    let all = scraper::Selector::parse("*").unwrap();
    for s in doc.select(&svg) {
        let view_box: Vec<f64> = s
            .value()
            .attr("viewBox")
            .expect("a viewBox")
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let (w, h) = (view_box[2], view_box[3]);
        assert!(w > 0.0 && h > 0.0);
        for e in s.select(&all) {
            for (name, value) in e.value().attrs() {
                let (min, max) = match name {
                    "x" | "x1" | "x2" | "cx" => (0.0, w),
                    "y" | "y1" | "y2" | "cy" => (0.0, h),
                    "width" | "r" | "stroke-width" => (0.0, w),
                    "height" => (0.0, h),
                    _ => continue,
                };
                let v: f64 = value
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}=\"{value}\" is not a number"));
                assert!(
                    v.is_finite() && (min..=max).contains(&v),
                    "{name}=\"{value}\" outside 0..{max} in {}",
                    e.html()
                );
            }
            // Paths (bars, lines between peers): moves and lengths.
            for n in e
                .value()
                .attr("d")
                .unwrap_or("")
                .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            {
                if !n.is_empty() {
                    let v: f64 = n.parse().unwrap_or_else(|_| panic!("{n:?} in a path"));
                    assert!(v.is_finite() && v.abs() <= w.max(h), "{n} in {}", e.html());
                }
            }
            if let (Some(x), Some(width)) = (e.value().attr("x"), e.value().attr("width")) {
                let right = x.parse::<f64>().unwrap() + width.parse::<f64>().unwrap();
                assert!(right <= w + 0.1, "a bar runs off the picture: {}", e.html());
            }
        }
    }
}

/// Checks the text alternative of every chart on the page: a role, a
/// `<title>` and a `<desc>` of its own named by `aria-labelledby`, a
/// caption, and ids unique on the page. Returns the charts' kinds.
fn assert_accessible_charts(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = |css| scraper::Selector::parse(css).unwrap();
    let ids: Vec<&str> = doc
        .select(&sel("[id]"))
        .map(|e| e.value().id().unwrap())
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "ids repeat on the page: {ids:?}");
    let mut kinds = Vec::new();
    for figure in doc.select(&sel("figure.chart")) {
        let svg = figure
            .select(&sel("svg"))
            .next()
            .expect("an svg in the figure");
        let role = svg.value().attr("role").unwrap();
        // The network's nodes are links, so it is a group: an image's
        // children are hidden from assistive technology.
        assert!(role == "img" || role == "group", "role {role}");
        let named: Vec<&str> = svg
            .value()
            .attr("aria-labelledby")
            .unwrap()
            .split(' ')
            .collect();
        let title = svg.select(&sel("title")).next().unwrap();
        let desc = svg.select(&sel("desc")).next().unwrap();
        assert_eq!(
            named,
            [title.value().id().unwrap(), desc.value().id().unwrap()]
        );
        assert!(!title.text().collect::<String>().trim().is_empty());
        assert!(desc.text().collect::<String>().len() > 20);
        let caption: String = figure
            .select(&sel("figcaption"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(caption.len() > 20, "caption: {caption}");
        let class = figure.value().attr("class").unwrap();
        kinds.push(class.trim_start_matches("chart chart-").to_string());
    }
    for svg in svgs(html) {
        assert_xml(svg);
    }
    assert_sane_numbers(html);
    kinds
}

#[test]
fn actor_and_topic_pages_draw_charts_with_text_alternatives() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("graph"), out.path(), &[]);
    let actor = read(out.path(), "actors/vladimir-putin/index.html");
    assert_eq!(assert_accessible_charts(&actor), ["strip", "network"]);
    let topic = read(out.path(), "topics/arms-transfers/index.html");
    assert_eq!(assert_accessible_charts(&topic), ["months", "strip"]);
    // The network's picture is also on the page as text: the counted peers.
    let listed = texts(&actor, "#peers-title + .counted a");
    let drawn = texts(&actor, "svg a text");
    assert!(!drawn.is_empty());
    assert_eq!(drawn, listed);
    let months = texts(&topic, ".chart-months figcaption");
    assert!(months[0].starts_with("Briefings per month, "), "{months:?}");
    assert!(months[0].contains(": peak "), "{months:?}");
}

#[test]
fn network_nodes_link_to_existing_actor_pages() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("graph"), out.path(), &[]);
    let actor = read(out.path(), "actors/vladimir-putin/index.html");
    let links = hrefs(&actor, "svg a");
    assert!(links.len() >= 2, "{links:?}");
    for url in links {
        let file = target_file(&url, "/").expect("an internal link");
        assert!(file.starts_with("actors/"), "{url}");
        assert!(out.path().join(&file).is_file(), "{url} leads nowhere");
    }
}

#[test]
fn the_wire_theme_draws_the_charts_too() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("graph"), &site);
    let config = std::fs::read_to_string(site.join("attache.yaml")).unwrap();
    std::fs::write(site.join("attache.yaml"), config + "theme: wire\n").unwrap();
    copy_dir(&repo().join("themes/wire"), &site.join("themes/wire"));
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    let actor = read(&out, "actors/vladimir-putin/index.html");
    assert_eq!(assert_accessible_charts(&actor), ["strip", "network"]);
    let topic = read(&out, "topics/arms-transfers/index.html");
    assert_eq!(assert_accessible_charts(&topic), ["strip", "months"]);
    assert!(read(&out, "style.css").contains(".chart-bar"));
}

const HOSTILE: &str = r#"<b>Evil</b> & "Sons" 'Ltd' ]]> <!--"#;

#[test]
fn a_hostile_actor_name_is_escaped_in_the_charts() {
    let briefing = |n: usize| {
        (
            format!("content/briefings/b{n}.md"),
            format!(
                "---\ntitle: B{n}\ndate: 2024-0{n}-02\nactors: [Anna, {HOSTILE:?}, \"محمد بن سلمان\", \"习近平\"]\n\
                 topics: [{HOSTILE:?}]\nevents:\n  - {{date: 2024-0{n}, what: Met, actors: [{HOSTILE:?}]}}\n---\nBody\n"
            ),
        )
    };
    let files: Vec<(String, String)> = (1..=3).map(briefing).collect();
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let dir = site_with(&files);
    let out = build(&dir);
    let anna = read(&out, "actors/anna/index.html");
    assert_eq!(assert_accessible_charts(&anna), ["strip", "network"]);
    let doc = scraper::Html::parse_document(&anna);
    let sel = |css| scraper::Selector::parse(css).unwrap();
    // The name is text, never markup, and shows as written.
    assert_eq!(doc.select(&sel("svg b")).count(), 0);
    let names: Vec<String> = doc
        .select(&sel("svg a title"))
        .map(|t| t.text().collect())
        .collect();
    assert!(names.iter().any(|n| n.starts_with(HOSTILE)), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("محمد بن سلمان")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("习近平")), "{names:?}");
    // The hostile actor's and topic's own pages, whose subject is the name.
    let slug_of = |prefix: &str| {
        hrefs(&anna, "a")
            .into_iter()
            .find(|h| h.starts_with(prefix) && h.contains("evil"))
            .unwrap()
    };
    for url in [slug_of("/actors/"), slug_of("/topics/")] {
        let page = read(&out, &target_file(&url, "/").unwrap());
        assert!(!assert_accessible_charts(&page).is_empty(), "{url}");
        let doc = scraper::Html::parse_document(&page);
        assert_eq!(doc.select(&sel("svg b")).count(), 0);
        let title: String = doc
            .select(&sel("svg title"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(title.contains(HOSTILE), "{title}");
    }
}

#[test]
fn one_briefing_draws_sensibly() {
    let dir = site_with(&[(
        "content/briefings/only.md",
        "---\ntitle: Only\ndate: 2024-03-05\nactors: [Anna, Boris]\ntopics: [Trade]\n\
         events:\n  - {date: 2024-03-04, what: Talks, actors: [Anna]}\n---\nBody\n"
            .to_string(),
    )]);
    let out = build(&dir);
    let anna = read(&out, "actors/anna/index.html");
    assert_eq!(assert_accessible_charts(&anna), ["strip", "network"]);
    let trade = read(&out, "topics/trade/index.html");
    assert_eq!(assert_accessible_charts(&trade), ["months", "strip"]);
    assert_eq!(
        texts(&trade, ".chart-months figcaption"),
        ["Briefings per month, Mar 2024: peak 1 in Mar 2024; 1 in all."]
    );
    assert_eq!(texts(&trade, ".chart-months svg rect").len(), 1);
}

#[test]
fn briefings_over_many_years_draw_sensibly() {
    let files: Vec<(String, String)> = (1995..=2024)
        .map(|y| {
            (
                format!("content/briefings/b{y}.md"),
                format!(
                    "---\ntitle: B{y}\ndate: {y}-06-15\nactors: [Anna, Boris]\ntopics: [Trade]\n\
                     events:\n  - {{date: \"{}\", what: Then}}\n---\nBody\n",
                    y - 40
                ),
            )
        })
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let dir = site_with(&files);
    let out = build(&dir);
    let anna = read(&out, "actors/anna/index.html");
    assert_eq!(assert_accessible_charts(&anna), ["strip", "network"]);
    let trade = read(&out, "topics/trade/index.html");
    assert_eq!(assert_accessible_charts(&trade), ["months", "strip"]);
    // Seventy years of events and briefings: labelled by decades.
    let strip = texts(&trade, ".chart-strip svg text");
    assert!(strip.contains(&"1960".to_string()), "{strip:?}");
    assert!(strip.len() <= 10, "{strip:?}");
    // Briefings per month: the last twenty years.
    assert_eq!(
        texts(&trade, ".chart-months figcaption"),
        ["Briefings per month, Jul 2004–Jun 2024: peak 1 in Jun 2005; 20 in all."]
    );
    assert_eq!(texts(&trade, ".chart-months svg rect").len(), 20);
}

#[test]
fn later_pages_of_a_list_draw_no_charts() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("graph"), &site);
    let config = std::fs::read_to_string(site.join("attache.yaml")).unwrap();
    std::fs::write(site.join("attache.yaml"), config + "paginate: 1\n").unwrap();
    let out = dir.path().join("public");
    build_ok(&site, &out, &[]);
    assert!(read(&out, "actors/vladimir-putin/index.html").contains("<svg"));
    assert!(!read(&out, "actors/vladimir-putin/page/2/index.html").contains("<svg"));
    assert!(!read(&out, "topics/arms-transfers/page/2/index.html").contains("<svg"));
    assert!(!read(&out, "topics/index.html").contains("<svg"));
}

#[test]
fn charts_are_the_same_on_every_build() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build_ok(&fixture("graph"), a.path(), &[]);
    build_ok(&fixture("graph"), b.path(), &[]);
    let pages = |out: &Path| {
        tree(out)
            .into_iter()
            .filter(|(p, _)| p.starts_with("actors/") || p.starts_with("topics/"))
            .collect::<Vec<_>>()
    };
    let (first, second) = (pages(a.path()), pages(b.path()));
    assert!(
        first
            .iter()
            .any(|(_, bytes)| bytes.windows(4).any(|w| w == b"<svg"))
    );
    assert_eq!(first, second);
}
