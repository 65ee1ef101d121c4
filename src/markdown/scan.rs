//! Where things are written in a Markdown text, read with the options
//! attache renders with: for code that edits Markdown as text (`attache
//! import` rewriting links) without knowing the parser.

use super::options;
use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// Something a text links to, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A Markdown link or image (`span` covers the whole element, the
    /// destination is its last part), and its destination as parsed.
    Destination { span: Range<usize>, url: String },
    /// A reference definition (`[id]: url "title"`; the destination is
    /// its first URL), and its destination as parsed.
    Definition { span: Range<usize>, url: String },
    /// Raw HTML, whose attributes may hold URLs.
    Html { span: Range<usize> },
}

/// The byte ranges of code: fenced and indented blocks, and inline code.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Some(range),
            _ => None,
        })
        .collect()
}

/// Every link and image destination, reference definition and piece of
/// raw HTML, in the order written (definitions last).
pub fn links(text: &str) -> Vec<Written> {
    let mut found = Vec::new();
    let mut iter = Parser::new_ext(text, options()).into_offset_iter();
    for (event, span) in iter.by_ref() {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                found.push(Written::Destination {
                    span,
                    url: dest_url.to_string(),
                });
            }
            Event::Html(_) | Event::InlineHtml(_) => found.push(Written::Html { span }),
            _ => {}
        }
    }
    let mut definitions: Vec<Written> = iter
        .reference_definitions()
        .iter()
        .map(|(_, def)| Written::Definition {
            span: def.span.clone(),
            url: def.dest.to_string(),
        })
        .collect();
    definitions.sort_by_key(|d| match d {
        Written::Destination { span, .. }
        | Written::Definition { span, .. }
        | Written::Html { span } => span.start,
    });
    found.extend(definitions);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_definitions_html_and_code_are_found_where_written() {
        let text = "See [a](/x/) and ![i](p.png).\n\n<a href=\"/y/\">y</a>\n\n`code`\n\n[r]: /z/\n";
        let found = links(text);
        let urls: Vec<&str> = found
            .iter()
            .filter_map(|w| match w {
                Written::Destination { url, .. } | Written::Definition { url, .. } => {
                    Some(url.as_str())
                }
                Written::Html { .. } => None,
            })
            .collect();
        assert_eq!(urls, ["/x/", "p.png", "/z/"]);
        assert!(
            found.iter().any(
                |w| matches!(w, Written::Html { span } if text[span.clone()].contains("href"))
            )
        );
        let code = code_ranges(text);
        assert_eq!(code.len(), 1);
        assert_eq!(&text[code[0].clone()], "`code`");
    }
}
