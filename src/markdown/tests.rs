use super::*;
use figure::{FigureMeta, Picture};

fn env_with<'a>(
    highlighter: &'a Highlighter,
    resolve: &'a (dyn Fn(&WikiTarget) -> Option<ResolvedLink> + Sync),
    ids: &'a [Option<String>],
) -> BodyEnv<'a> {
    BodyEnv {
        base_path: "/sub/",
        highlighter,
        resolve,
        source_ids: ids,
        autolink: None,
        own_url: None,
        content_link: &content_link,
        raw_html: RawHtml::Sanitize,
        image: &no_image,
        figures: &[],
        smart_punctuation: true,
    }
}

fn no_image(_: &str) -> Option<Arc<Picture>> {
    None
}

/// `chart.png` and `map.svg` are pictures of the site; nothing else is.
fn site_image(written: &str) -> Option<Arc<Picture>> {
    match written {
        "chart.png" => Some(Arc::new(Picture {
            source: "content/media/chart.png".into(),
            width: 960,
            height: 540,
            src: "/sub/media/chart.abc.960.png".into(),
            path: "media/chart.abc.960.png".into(),
            srcset: "/sub/media/chart.abc.480.png 480w, /sub/media/chart.abc.960.png 960w".into(),
            sources: vec![(
                "image/webp",
                "/sub/media/chart.abc.480.webp 480w, /sub/media/chart.abc.960.webp 960w".into(),
            )],
        })),
        "map.svg" => Some(Arc::new(Picture {
            source: "content/media/map.svg".into(),
            width: 300,
            height: 200,
            src: "/sub/media/map.abc.svg".into(),
            path: "media/map.abc.svg".into(),
            srcset: String::new(),
            sources: Vec::new(),
        })),
        _ => None,
    }
}

fn render_pictures(md: &str, figures: &[FigureMeta]) -> Rendered {
    let h = Highlighter::new();
    let env = BodyEnv {
        image: &site_image,
        figures,
        ..env_with(&h, &resolver, &[])
    };
    render(md, &env)
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_caption_and_credit() {
    let figures = [FigureMeta {
        src: "chart.png".into(),
        credit: Some("Chart: the desk".into()),
        license: Some("CC BY 4.0".into()),
        source_url: Some("https://example.org/data".into()),
        ..FigureMeta::default()
    }];
    let r = render_pictures(
        "![Launches per year](chart.png \"Launches, 2019-2024\")\n\nFirst words.\n\n![](map.svg)\n",
        &figures,
    );
    let html = &r.html();
    assert!(html.contains("<figure class=\"media-figure\"><picture><source type=\"image/webp\" srcset=\"/sub/media/chart.abc.480.webp 480w, /sub/media/chart.abc.960.webp 960w\""), "{html}");
    assert!(html.contains("<img src=\"/sub/media/chart.abc.960.png\" srcset=\"/sub/media/chart.abc.480.png 480w, /sub/media/chart.abc.960.png 960w\""), "{html}");
    assert!(
        html.contains("width=\"960\" height=\"540\" alt=\"Launches per year\" decoding=\"async\">"),
        "the first picture loads at once: {html}"
    );
    assert!(html.contains("<figcaption>Launches, 2019-2024 <span class=\"credit\"><a href=\"https://example.org/data\">Chart: the desk</a> (CC BY 4.0)</span></figcaption></figure>"), "{html}");
    // An SVG is one file: a lone <img>, lazy as the second picture.
    assert!(html.contains("<figure class=\"media-figure\"><img src=\"/sub/media/map.abc.svg\" width=\"300\" height=\"200\" alt=\"\" loading=\"lazy\" decoding=\"async\"></figure>"), "{html}");
    assert!(
        !html.contains("<p><img") && !html.contains("<p><figure"),
        "{html}"
    );
    // A figure is no summary: the first paragraph is the first words.
    assert_eq!(r.first_paragraph.as_deref(), Some("First words."));
    assert_eq!(r.images.len(), 2);
    assert!(r.images.iter().all(|i| i.figure));
    assert!(r.images[0].credited && !r.images[1].credited);
    assert_eq!(r.images[1].alt, "");
    assert_eq!(
        r.lead.as_ref().map(|l| l.alt.as_str()),
        Some("Launches per year")
    );
}

#[test]
fn an_image_in_text_stays_inline_and_unknown_ones_are_noted() {
    let r = render_pictures(
        "See ![a chart](chart.png) here, ![x](missing.png) and ![remote](https://example.org/x.png).\n",
        &[],
    );
    assert!(!r.html().contains("<figure"), "{}", r.html());
    assert!(
        r.html()
            .contains("<p>See <picture><source type=\"image/webp\""),
        "{}",
        r.html()
    );
    assert!(
        r.html().contains("<img src=\"missing.png\" alt=\"x\""),
        "{}",
        r.html()
    );
    assert!(
        r.html()
            .contains("<img src=\"https://example.org/x.png\" alt=\"remote\""),
        "{}",
        r.html()
    );
    let written: Vec<(&str, bool)> = r
        .images
        .iter()
        .map(|i| (i.written.as_str(), i.picture.is_some()))
        .collect();
    assert_eq!(written, [("chart.png", true), ("missing.png", false)]);
    assert!(r.lead.is_none(), "an inline image is no lead image");
}

#[test]
fn front_matter_gives_alt_and_caption_the_body_leaves_out() {
    let figures = [FigureMeta {
        src: "chart.png".into(),
        alt: Some("Bar chart: 3 launches in 2019, 11 in 2024".into()),
        caption: Some("Launches per year.".into()),
        ..FigureMeta::default()
    }];
    let r = render_pictures("![](chart.png)\n", &figures);
    assert!(
        r.html()
            .contains("alt=\"Bar chart: 3 launches in 2019, 11 in 2024\""),
        "{}",
        r.html()
    );
    assert!(
        r.html()
            .contains("<figcaption>Launches per year.</figcaption>"),
        "{}",
        r.html()
    );
    let escaped = render_pictures("![a \"quoted\" <b>alt</b>](chart.png \"<script>\")\n", &[]);
    assert!(
        !escaped.html().contains("<script>") && !escaped.html().contains("<b>"),
        "{}",
        escaped.html()
    );
}

fn content_link(path: &str) -> Option<String> {
    (path == "../2023/2023-11-15-visit.md").then(|| "briefings/2023/visit/".to_string())
}

fn resolver(target: &WikiTarget) -> Option<ResolvedLink> {
    match (target.kind, target.name.as_str()) {
        (WikiKind::Actor, "Kim Jong Un") => Some(ResolvedLink {
            url: "/sub/actors/kim-jong-un/".into(),
            label: "Kim Jong Un".into(),
        }),
        (WikiKind::Topic, "Sanctions") => Some(ResolvedLink {
            url: "/sub/topics/sanctions/".into(),
            label: "sanctions".into(),
        }),
        _ => None,
    }
}

fn render_simple(md: &str) -> Rendered {
    let h = Highlighter::new();
    let ids = [Some("mt".to_string()), None, Some("ap".to_string())];
    render(md, &env_with(&h, &resolver, &ids))
}

#[test]
fn wikilinks_resolve_and_keep_labels() {
    let r =
        render_simple("Met [[Kim Jong Un]] and [[Kim Jong Un|the leader]] on [[topic:Sanctions]].");
    assert!(
        r.html().contains(
            r#"<a class="wikilink actor" href="/sub/actors/kim-jong-un/">Kim Jong Un</a>"#
        ),
        "{}",
        r.html()
    );
    assert!(
        r.html().contains(
            r#"<a class="wikilink actor" href="/sub/actors/kim-jong-un/">the leader</a>"#
        )
    );
    assert!(
        r.html()
            .contains(r#"<a class="wikilink topic" href="/sub/topics/sanctions/">sanctions</a>"#)
    );
    assert_eq!(r.wikilinks.len(), 3);
    assert!(r.wikilinks.iter().all(|w| w.resolved));
    assert_eq!(
        r.first_paragraph.as_deref(),
        Some("Met Kim Jong Un and the leader on sanctions.")
    );
}

#[test]
fn unresolved_wikilinks_are_reported_with_offsets() {
    let md = "Intro.\n\nSee [[Kim Jong Um]].";
    let r = render_simple(md);
    assert_eq!(r.wikilinks.len(), 1);
    let w = &r.wikilinks[0];
    assert!(!w.resolved);
    assert_eq!(&md[w.offset..w.offset + 2], "[[");
    assert!(
        r.html()
            .contains(r#"<span class="wikilink unresolved">Kim Jong Um</span>"#)
    );
}

#[test]
fn citations_are_numbered_by_source_position() {
    let r = render_simple("Claim [@ap]. Again [@ap] and [@mt]. Bad [@zz].");
    assert!(r.html().contains(r##"<sup class="citation" id="cite-3-1"><a href="#source-3" aria-label="Source 3">[3]</a></sup>"##), "{}", r.html());
    assert!(r.html().contains(r#"id="cite-3-2""#));
    assert!(r.html().contains(r#"id="cite-1-1""#));
    assert!(
        r.html()
            .contains(r#"<span class="citation unresolved">[@zz]</span>"#)
    );
    assert_eq!(r.citation_counts, vec![1, 0, 2]);
    let numbers: Vec<Option<usize>> = r.citations.iter().map(|c| c.number).collect();
    assert_eq!(numbers, vec![Some(3), Some(3), Some(1), None]);
}

#[test]
fn citations_in_code_are_left_alone() {
    let r = render_simple("`[@mt]` and\n\n```\n[@mt] [[Kim Jong Un]]\n```\n");
    assert!(r.citations.is_empty());
    assert!(r.wikilinks.is_empty());
    assert!(r.html().contains("<code>[@mt]</code>"));
}

#[test]
fn headings_get_stable_unique_ids() {
    let r = render_simple("## Background\n\n## Background\n\n### Kim's visit {#visit}\n\n## ???\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["background", "background-1", "visit", "section"]);
    assert!(r.html().contains(r#"<h2 id="background">Background</h2>"#));
}

#[test]
fn extensions_are_enabled() {
    let r = render_simple(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: The note.\n",
    );
    assert!(
        r.html().contains("<div class=\"table-wrap\"><table>"),
        "{}",
        r.html()
    );
    assert!(r.html().contains("</table>\n</div>"));
    assert!(r.html().contains("<del>old</del>"));
    assert!(r.html().contains("type=\"checkbox\""));
    assert!(r.html().contains("footnote-definition"));
}

#[test]
fn root_relative_links_get_the_base_path() {
    let r = render_simple(
        "[About](/about/) [ext](https://example.org/) [proto](//cdn.example/x) ![img](/img/a.png)",
    );
    assert!(r.html().contains(r#"href="/sub/about/""#));
    assert!(r.html().contains(r#"href="https://example.org/""#));
    assert!(r.html().contains(r#"href="//cdn.example/x""#));
    assert!(r.html().contains(r#"src="/sub/img/a.png""#));
    let hostile = render_simple("[x](javascript:alert(1)) ![y](data:text/html,z)");
    assert!(
        !hostile.html().contains("javascript:"),
        "{}",
        hostile.html()
    );
    assert!(!hostile.html().contains("data:"));
}

#[test]
fn code_blocks_are_highlighted() {
    let r = render_simple("```json\n{\"a\": 1}\n```\n");
    assert!(
        r.html()
            .contains(r#"<pre class="code" data-lang="json"><code>"#)
    );
    assert!(r.html().contains("hl-"));
}

#[test]
fn first_paragraph_drops_citations_cleanly() {
    let r = render_simple("It arrived [@mt], then left [@ap].");
    assert_eq!(r.first_paragraph.as_deref(), Some("It arrived, then left."));
}

#[test]
fn first_paragraph_skips_headings_and_lists() {
    let r = render_simple("# Title\n\n- item\n\nThe real\nopening.\n\nSecond.");
    assert_eq!(r.first_paragraph.as_deref(), Some("The real opening."));
}

fn render_autolinked(md: &str, mentions: autolink::Mentions, own: Option<&str>) -> String {
    let h = Highlighter::new();
    let target = |url: &str, spellings: &[&str]| autolink::Target {
        url: url.to_string(),
        spellings: spellings.iter().map(|s| s.to_string()).collect(),
    };
    let linker = autolink::Autolinker::new(
        vec![
            target("/sub/actors/kim-jong-un/", &["Kim Jong Un", "Kim"]),
            target("/sub/actors/vladimir-putin/", &["Vladimir Putin"]),
        ],
        mentions,
    )
    .unwrap();
    let env = BodyEnv {
        autolink: Some(&linker),
        own_url: own,
        ..env_with(&h, &resolver, &[])
    };
    render(md, &env).html()
}

#[test]
fn autolinks_skip_headings_links_code_and_raw_html() {
    let md = "## Kim Jong Un\n\n[Kim Jong Un](https://x.org/) `Kim Jong Un` <span>Kim Jong Un</span> and Vladimir Putin.\n\n```\nKim Jong Un\n```\n\nLater Kim Jong Un.\n";
    let html = render_autolinked(md, autolink::Mentions::First, None);
    assert!(
        html.contains("<h2 id=\"kim-jong-un\">Kim Jong Un</h2>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://x.org/\">Kim Jong Un</a>"));
    assert!(html.contains("<code>Kim Jong Un</code>"));
    assert!(html.contains("<span>Kim Jong Un</span>"));
    assert!(
        html.contains(
            "<a class=\"autolink\" href=\"/sub/actors/vladimir-putin/\">Vladimir Putin</a>"
        )
    );
    assert!(html.contains(
        "Later <a class=\"autolink\" href=\"/sub/actors/kim-jong-un/\">Kim Jong Un</a>."
    ));
    assert_eq!(html.matches("class=\"autolink\"").count(), 2);
}

#[test]
fn autolinks_first_or_all_and_respect_explicit_links() {
    let md = "[[Kim Jong Un]] then Kim Jong Un, then Kim.";
    let first = render_autolinked(md, autolink::Mentions::First, None);
    assert_eq!(first.matches("class=\"autolink\"").count(), 0, "{first}");
    let all = render_autolinked(md, autolink::Mentions::Every, None);
    assert_eq!(all.matches("class=\"autolink\"").count(), 2, "{all}");
    let own = render_autolinked(
        "Kim Jong Un and Vladimir Putin",
        autolink::Mentions::Every,
        Some("/sub/actors/kim-jong-un/"),
    );
    assert_eq!(own.matches("class=\"autolink\"").count(), 1);
    assert!(own.contains("vladimir-putin"));
}

#[test]
fn links_to_content_files_become_page_urls_and_are_recorded() {
    let r = render_simple(
        "[v](../2023/2023-11-15-visit.md#why) [gone](missing.md) [a](/about/) [x](https://x.org/)",
    );
    assert!(
        r.html()
            .contains(r#"href="/sub/briefings/2023/visit/#why""#),
        "{}",
        r.html()
    );
    assert!(r.html().contains(r#"href="missing.md""#));
    let paths: Vec<Option<&str>> = r
        .local_links
        .iter()
        .map(|l| l.site_path.as_deref())
        .collect();
    assert_eq!(paths, [Some("briefings/2023/visit/"), None, Some("about/")]);
    assert_eq!(r.local_links[1].written, "missing.md");
}

#[test]
fn plain_text_for_search_is_trimmed_and_skips_code_blocks() {
    let r = render_simple(
        "## Head\n\nSome *text* with [[Kim Jong Un]] and `code`.\n\n```\nnot this\n```\n",
    );
    assert_eq!(r.text(), "Head Some text with Kim Jong Un and code.");
    let long = render_simple(&"word ".repeat(2000));
    assert!(long.text().len() <= TEXT_LIMIT);
}

fn render_mode(md: &str, raw_html: RawHtml) -> String {
    let h = Highlighter::new();
    let ids = [Some("mt".to_string())];
    let env = BodyEnv {
        raw_html,
        ..env_with(&h, &resolver, &ids)
    };
    render(md, &env).html()
}

#[test]
fn a_body_without_raw_html_is_the_same_in_every_mode() {
    let md = "Met [[Kim Jong Un]] [@mt] & \"quoted\".\n\n## H {#x .c onclick=alert(1)}\n\n- [ ] a\n\n| a |\n|:-:|\n| b |\n\n```rust\nfn x() {}\n```\n";
    let sanitized = render_mode(md, RawHtml::Sanitize);
    assert_eq!(sanitized, render_mode(md, RawHtml::Allow));
    assert_eq!(sanitized, render_mode(md, RawHtml::Escape));
    assert!(
        sanitized.contains(r#"<h2 id="x" class="c">H</h2>"#),
        "{sanitized}"
    );
}

#[test]
fn raw_html_is_sanitized_allowed_or_escaped() {
    let md = "<b onclick=\"x()\">b</b> <script>s()</script> [k](javascript:x())\n";
    assert_eq!(
        render_mode(md, RawHtml::Sanitize),
        "<p><b>b</b>  <a href=\"#\">k</a></p>\n"
    );
    assert_eq!(
        render_mode(md, RawHtml::Allow),
        "<p><b onclick=\"x()\">b</b> <script>s()</script> <a href=\"#\">k</a></p>\n"
    );
    assert_eq!(
        render_mode(md, RawHtml::Escape),
        "<p>&lt;b onclick=\"x()\"&gt;b&lt;/b&gt; &lt;script&gt;s()&lt;/script&gt; <a href=\"#\">k</a></p>\n"
    );
}

fn render_smart(
    md: &str,
    smart_punctuation: bool,
    autolink: Option<&autolink::Autolinker>,
) -> String {
    let h = Highlighter::new();
    let env = BodyEnv {
        smart_punctuation,
        autolink,
        ..env_with(&h, &resolver, &[])
    };
    render(md, &env).html()
}

#[test]
fn smart_punctuation_turns_quotes_dashes_and_ellipses_but_not_code() {
    let md = "The \"primary foe\" -- Kim's 'word' --- and so...\n`\"code\" -- it's...`\n\n```\n\"block\" -- it's\n```\n";
    let smart = render_smart(md, true, None);
    assert!(
        smart.contains(
            "The \u{201C}primary foe\u{201D} \u{2013} Kim\u{2019}s \u{2018}word\u{2019} \u{2014} and so\u{2026}"
        ),
        "{smart}"
    );
    assert!(
        smart.contains("<code>\"code\" -- it's...</code>"),
        "{smart}"
    );
    assert!(!smart.contains("\u{201C}block"), "{smart}");
    assert!(smart.contains("-- it"), "{smart}");
    let plain = render_smart(md, false, None);
    assert!(
        plain.contains("The \"primary foe\" -- Kim's 'word' --- and so..."),
        "{plain}"
    );
}

#[test]
fn autolinks_see_through_smart_quotes_and_soft_line_breaks() {
    let target = |url: &str, spelling: &str| autolink::Target {
        url: url.to_string(),
        spellings: vec![spelling.to_string()],
    };
    let linker = autolink::Autolinker::new(
        vec![
            target("/sub/actors/wpk/", "Workers' Party of Korea"),
            target("/sub/actors/sergei-shoigu/", "Sergei Shoigu"),
        ],
        autolink::Mentions::Every,
    )
    .unwrap();
    let md = "The Workers' Party of Korea hosted Sergei\nShoigu, then *Sergei* Shoigu.\n";
    for smart in [true, false] {
        let html = render_smart(md, smart, Some(&linker));
        let apostrophe = if smart { "\u{2019}" } else { "'" };
        assert_eq!(
            html,
            format!(
                "<p>The <a class=\"autolink\" href=\"/sub/actors/wpk/\">Workers{apostrophe} Party of Korea</a> hosted <a class=\"autolink\" href=\"/sub/actors/sergei-shoigu/\">Sergei\nShoigu</a>, then <em>Sergei</em> Shoigu.</p>\n"
            ),
            "smart punctuation {smart}"
        );
    }
}

#[test]
fn heading_ids_are_the_same_with_smart_punctuation_or_without() {
    let md = "## Kim's \"visit\" -- and after...\n";
    for smart in [true, false] {
        let html = render_smart(md, smart, None);
        assert!(
            html.starts_with("<h2 id=\"kims-visit-and-after\">"),
            "{html}"
        );
    }
}
