//! The sanitiser for bodies with raw HTML (`markdown.raw_html: sanitize`,
//! the default), built on ammonia.
//!
//! Kept: ammonia's default elements (text markup, lists, tables, images,
//! `details`, `figure`, ...), with `id`, `class`, `lang` and `title` on any
//! of them, and the markup attache itself generates (heading ids, footnotes,
//! citations, wikilinks, autolinks, highlighted code, task-list boxes,
//! table alignment). Dropped: `<script>` and `<style>` with their content,
//! every other element not on the list (`iframe`, `object`, `embed`, `form`,
//! `input` but a checkbox, ...; their text stays), every event handler and
//! other attribute not on the list, inline styles but `text-align` on table
//! cells, comments, and any URL whose scheme is not http, https or mailto
//! (`javascript:`, `data:`, `vbscript:`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_generic_attributes(["id", "class"])
        // Citations: `<a href="#source-1" aria-label="Source 1">`.
        .add_tag_attributes("a", ["aria-label"])
        // Highlighted code: `<pre class="code" data-lang="rust">`.
        .add_tag_attributes("pre", ["data-lang"])
        // Task lists: `<input disabled="" type="checkbox"/>`.
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // Table alignment: `<th style="text-align: center">`.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(None)
        .attribute_filter(|element, attribute, value| {
            if element == "input" && attribute == "type" && !value.eq_ignore_ascii_case("checkbox")
            {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        });
    b
});

/// `html` with everything unsafe taken out.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// How deep elements may nest in a body that is sanitised. An HTML parser
/// looks through the open elements at each tag, so its time grows with the
/// square of the depth (200,000 nested `<div>` took minutes); browsers stop
/// nesting at 512 too.
pub const MAX_DEPTH: usize = 512;

/// Whether elements in `html` nest deeper than `MAX_DEPTH`, counted by
/// start and end tags in one pass. Void elements, self-closing tags and the
/// elements whose end tag a parser implies (`p`, `li`, `td`, ...) do not
/// count; the estimate is generous, never short.
pub fn too_deep(html: &str) -> bool {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
        "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc",
    ];
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    for (i, _) in html.match_indices('<') {
        let rest = &bytes[i + 1..];
        let (closing, rest) = match rest.first() {
            Some(b'/') => (true, &rest[1..]),
            _ => (false, rest),
        };
        let name_len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[0].is_ascii_alphabetic() {
            continue;
        }
        let name = std::str::from_utf8(&rest[..name_len])
            .unwrap_or_default()
            .to_ascii_lowercase();
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let self_closing = rest[name_len..]
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|end| end > 0 && rest[name_len + end - 1] == b'/');
        if !self_closing {
            depth += 1;
            if depth > MAX_DEPTH {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting_depth() {
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert!(!too_deep(&deep(MAX_DEPTH)));
        assert!(too_deep(&deep(MAX_DEPTH + 1)));
        assert!(!too_deep(&"<div>x</div>".repeat(10_000)));
        assert!(!too_deep(&"<p>x<br><img src=a/>".repeat(10_000)));
        assert!(too_deep(&"<span a=1>".repeat(MAX_DEPTH + 1)));
    }
}
