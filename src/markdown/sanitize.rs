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
