//! Fuzzes the content loader and the Markdown renderer.
//!
//! Input layout: the first byte is a control byte, the rest is the text of a
//! content file (decoded lossily, so every byte sequence is used).
//!
//! Control byte bits:
//! - `0b0000_0011`: the kind of document (briefing, actor, topic, page)
//! - `0b0000_0100`: also render the document's body (any kind) with
//!   `markdown::render`; a loaded briefing's body is always rendered
//! - `0b0000_1000`: render with an actor-name autolinker
//! - `0b0001_0000`: render as the page `/actors/kim-jong-un/` (`own_url`)
//! - `0b0010_0000`: base path `/preview/` instead of `/`
//! - `0b0100_0000`: when nothing loaded, render the whole text as Markdown
//! - `0b1000_0000`: raw HTML `allow` (`escape` with `0b0100_0000` too)
//!   instead of `sanitize`

#![no_main]

use attache::load::{Kind, Loaded, parse_document};
use attache::markdown::autolink::{Autolinker, Mentions, Target};
use attache::markdown::highlight::Highlighter;
use attache::markdown::{BodyEnv, RawHtml, ResolvedLink, WikiTarget, render};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

static AUTOLINKER: LazyLock<Option<Autolinker>> = LazyLock::new(|| {
    Autolinker::new(
        vec![Target {
            url: "/actors/kim-jong-un/".into(),
            spellings: vec!["Kim Jong Un".into(), "Kim".into()],
        }],
        Mentions::Every,
    )
});

/// Resolves every `[[...]]` whose name starts with `K`, like a site with a
/// few actors and topics; everything else stays unresolved.
fn resolve(target: &WikiTarget) -> Option<ResolvedLink> {
    target.name.starts_with('K').then(|| ResolvedLink {
        url: format!("/{}s/{}/", target.kind.as_str(), target.name.to_lowercase()),
        label: target.name.clone(),
    })
}

/// Resolves relative links to `.md` files in the same folder.
fn content_link(written: &str) -> Option<String> {
    let name = written.strip_prefix("./").unwrap_or(written);
    let stem = name.strip_suffix(".md")?;
    (!stem.is_empty() && !stem.contains('/')).then(|| format!("briefings/2024/{stem}/"))
}

fn render_body(body: &str, ids: &[Option<String>], control: u8) {
    let env = BodyEnv {
        base_path: if control & 0b0010_0000 != 0 {
            "/preview/"
        } else {
            "/"
        },
        highlighter: &HIGHLIGHTER,
        resolve: &resolve,
        source_ids: ids,
        autolink: if control & 0b0000_1000 != 0 {
            AUTOLINKER.as_ref()
        } else {
            None
        },
        own_url: (control & 0b0001_0000 != 0).then_some("/actors/kim-jong-un/"),
        content_link: &content_link,
        raw_html: match control >> 6 {
            0b10 => RawHtml::Allow,
            0b11 => RawHtml::Escape,
            _ => RawHtml::Sanitize,
        },
    };
    let rendered = render(body, &env);
    for w in &rendered.wikilinks {
        assert!(w.offset <= body.len(), "wikilink offset past the end");
    }
    for c in &rendered.citations {
        assert!(c.offset <= body.len(), "citation offset past the end");
    }
    for l in &rendered.local_links {
        assert!(l.offset <= body.len(), "local link offset past the end");
    }
    assert_eq!(rendered.citation_counts.len(), ids.len());
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let kind = match control & 0b11 {
        0 => Kind::Briefing,
        1 => Kind::Actor,
        2 => Kind::Topic,
        _ => Kind::Page,
    };
    let text = String::from_utf8_lossy(rest);
    let (doc, diagnostics) = parse_document(Path::new("content/briefings/2024/x.md"), &text, kind);
    assert!(
        doc.is_some() || diagnostics.has_errors(),
        "no document and no error"
    );

    let default_ids = [Some("a".to_string()), Some("b".to_string())];
    let also_render = control & 0b0000_0100 != 0;
    match doc {
        Some(Loaded::Briefing(b)) => {
            // The briefing's own source ids, as the site build passes them.
            let ids: Vec<Option<String>> = b.sources.iter().map(|s| s.id.clone()).collect();
            render_body(&b.body, &ids, control);
            if also_render {
                render_body(&b.body, &default_ids, control);
            }
        }
        Some(Loaded::Actor(a)) if also_render => render_body(&a.body, &default_ids, control),
        Some(Loaded::Topic(t)) if also_render => render_body(&t.body, &default_ids, control),
        Some(Loaded::Page(p)) if also_render => render_body(&p.body, &default_ids, control),
        Some(_) => {}
        None if control & 0b0100_0000 != 0 => render_body(&text, &default_ids, control),
        None => {}
    }
});
