//! The template markup of a source body: Hugo shortcodes (`{{< >}}`,
//! `{{% %}}`) and Jekyll's Liquid (`{% %}`, `{{ }}`). What has a Markdown
//! equivalent is converted; the rest is kept visibly, as code that names
//! it (never as raw `{{<` or `{%`), and listed with its line. Then every
//! link of the body is offered to the importer to point at the new site.

use crate::markdown::scan::{self, Written};
use std::collections::HashMap;

/// A piece of markup that was kept, not converted: where, and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unconverted {
    /// 1-based line in the source file.
    pub line: usize,
    pub text: String,
}

/// How the markup's links become links of the new site.
pub trait Links {
    /// A Hugo `ref`/`relref` target: the URL to write in its place.
    fn hugo_ref(&self, target: &str) -> String;
    /// A Jekyll `post_url` name, if that post was imported.
    fn post_url(&self, name: &str) -> Option<String>;
    /// A Jekyll `link` path: the URL to write in its place.
    fn jekyll_link(&self, path: &str) -> String;
    /// The source's absolute site URL without a trailing slash (`{{ site.url }}`).
    fn site_url(&self) -> String;
}

/// The body markup of one source file being converted.
pub struct Body<'a> {
    text: &'a str,
    /// The source line of the body's first line.
    first_line: usize,
    code: Vec<std::ops::Range<usize>>,
    pub unconverted: Vec<Unconverted>,
}

impl<'a> Body<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Body<'a> {
        let code = scan::code_ranges(text);
        Body {
            text,
            first_line,
            code,
            unconverted: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.first_line + self.text[..offset].matches('\n').count()
    }

    fn in_code(&self, offset: usize) -> bool {
        self.code.iter().any(|r| r.contains(&offset))
    }

    /// Whether the markup at `start..end` stands alone on its line, and the
    /// line's indentation.
    fn alone(&self, start: usize, end: usize) -> Option<&'a str> {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        let before = &self.text[line_start..start];
        (before.trim().is_empty() && self.text[end..line_end].trim().is_empty()).then_some(before)
    }

    /// `what` kept visibly: a fenced block when the markup has its own line,
    /// inline code within text, plain text inside code.
    fn keep(&mut self, start: usize, end: usize, label: &str, written: &str) -> String {
        self.unconverted.push(Unconverted {
            line: self.line_of(start),
            text: written.to_string(),
        });
        if self.in_code(start) {
            return label.to_string();
        }
        match self.alone(start, end) {
            Some(indent) => format!("```text\n{indent}{label}\n{indent}```"),
            None => code_span(label),
        }
    }

    /// Converts Hugo shortcodes.
    pub fn hugo(&mut self, links: &dyn Links) -> String {
        let tags = hugo_tags(self.text);
        let pairs = pair(&tags);
        let mut out = String::with_capacity(self.text.len());
        self.emit(
            &tags,
            &pairs,
            links,
            &mut out,
            0,
            self.text.len(),
            0,
            tags.len(),
        );
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        tags: &[Shortcode],
        pairs: &HashMap<usize, usize>,
        links: &dyn Links,
        out: &mut String,
        start: usize,
        end: usize,
        mut t: usize,
        until: usize,
    ) {
        let mut pos = start;
        while t < until {
            let tag = &tags[t];
            out.push_str(&self.text[pos..tag.start]);
            if let Some(&close) = pairs.get(&t) {
                let mut inner = String::new();
                self.emit(
                    tags,
                    pairs,
                    links,
                    &mut inner,
                    tag.end,
                    tags[close].start,
                    t + 1,
                    close,
                );
                let converted = self.convert(tag, Some((&inner, &tags[close])), links);
                out.push_str(&converted);
                pos = tags[close].end;
                t = close + 1;
            } else {
                let converted = self.convert(tag, None, links);
                out.push_str(&converted);
                pos = tag.end;
                t += 1;
            }
        }
        out.push_str(&self.text[pos..end]);
    }

    fn convert(
        &mut self,
        tag: &Shortcode,
        inner: Option<(&str, &Shortcode)>,
        links: &dyn Links,
    ) -> String {
        if let Some(literal) = &tag.comment {
            return literal.clone();
        }
        let written = tag.written(self.text);
        let indent = self.alone(tag.start, tag.end).unwrap_or("");
        let converted = if tag.closing {
            None
        } else {
            match (tag.name.to_ascii_lowercase().as_str(), inner) {
                ("ref" | "relref", None) => tag.arg("path", 0).map(|p| links.hugo_ref(&p)),
                ("figure", None) => figure(tag, indent),
                ("youtube", None) => tag.arg("id", 0).map(|id| {
                    let title = tag.arg("title", usize::MAX);
                    video_link(
                        title,
                        "YouTube",
                        &format!("https://www.youtube.com/watch?v={id}"),
                    )
                }),
                ("vimeo", None) => tag.arg("id", 0).map(|id| {
                    let title = tag.arg("title", usize::MAX);
                    video_link(title, "Vimeo", &format!("https://vimeo.com/{id}"))
                }),
                ("tweet" | "x", None) => {
                    let user = tag.arg("user", usize::MAX);
                    let id = tag.arg("id", 0);
                    id.map(|id| match user {
                        Some(user) => format!("<https://x.com/{user}/status/{id}>"),
                        None => format!("<https://x.com/i/status/{id}>"),
                    })
                }
                ("gist", None) => match (tag.arg("user", 0), tag.arg("id", 1)) {
                    (Some(user), Some(id)) => {
                        Some(format!("<https://gist.github.com/{user}/{id}>"))
                    }
                    _ => None,
                },
                ("instagram", None) => tag
                    .arg("id", 0)
                    .map(|id| format!("<https://www.instagram.com/p/{id}/>")),
                ("highlight", Some((body, _))) => {
                    let lang = tag.arg("lang", 0).unwrap_or_default();
                    Some(fence(&lang, body, indent))
                }
                ("details", Some((body, _))) => {
                    let summary = tag
                        .arg("summary", usize::MAX)
                        .unwrap_or_else(|| "Details".into());
                    let mut s = String::new();
                    pulldown_cmark_escape::escape_html(&mut s, &summary).expect("a String");
                    Some(format!(
                        "<details>\n<summary>{s}</summary>\n\n{}\n\n</details>",
                        body.trim_matches('\n')
                    ))
                }
                _ => None,
            }
        };
        if let Some(converted) = converted {
            return converted;
        }
        let label = format!("Hugo shortcode: {}", tag.inner);
        let kept = self.keep(tag.start, tag.end, &label, &written);
        match inner {
            None => kept,
            Some((body, close)) => {
                let close_label = format!("Hugo shortcode: {}", close.inner);
                let close_kept = if self.in_code(close.start) {
                    close_label
                } else {
                    match self.alone(close.start, close.end) {
                        Some(i) => format!("```text\n{i}{close_label}\n{i}```"),
                        None => code_span(&close_label),
                    }
                };
                format!("{kept}{body}{close_kept}")
            }
        }
    }

    /// Converts Jekyll's Liquid tags and outputs.
    pub fn liquid(&mut self, links: &dyn Links) -> String {
        let text = self.text;
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        while let Some(found) = next_liquid(text, pos) {
            let (start, end, inner, is_tag) = found;
            out.push_str(&text[pos..start]);
            pos = end;
            let written = &text[start..end];
            if !is_tag {
                match inner.split_whitespace().collect::<Vec<_>>().as_slice() {
                    ["site.baseurl"] => {}
                    ["site.url"] => out.push_str(&links.site_url()),
                    _ => {
                        let label = format!("Liquid: {inner}");
                        out.push_str(&self.keep(start, end, &label, written));
                    }
                }
                continue;
            }
            let mut words = inner.split_whitespace();
            let name = words.next().unwrap_or("");
            let args: Vec<&str> = words.collect();
            match name {
                "raw" | "comment" | "highlight" => {
                    let end_name = format!("end{name}");
                    let mut scan = end;
                    let mut close = None;
                    while let Some((s, e, inner, is_tag)) = next_liquid(text, scan) {
                        if is_tag && inner.trim() == end_name {
                            close = Some((s, e));
                            break;
                        }
                        scan = e;
                    }
                    let Some((close_start, close_end)) = close else {
                        let label = format!("Liquid: {inner}");
                        out.push_str(&self.keep(start, end, &label, written));
                        continue;
                    };
                    let content = &text[end..close_start];
                    match name {
                        "raw" => out.push_str(content),
                        "highlight" => {
                            let indent = self.alone(start, end).unwrap_or("");
                            let lang = args.first().copied().unwrap_or("");
                            out.push_str(&fence(lang, content, indent));
                        }
                        _ => {}
                    }
                    pos = close_end;
                }
                "post_url" if args.len() == 1 => match links.post_url(args[0]) {
                    Some(url) => out.push_str(&url),
                    None => {
                        let label = format!("Liquid: {inner}");
                        out.push_str(&self.keep(start, end, &label, written));
                    }
                },
                "link" if args.len() == 1 => out.push_str(&links.jekyll_link(args[0])),
                "oembed" | "embed" if args.len() == 1 => out.push_str(&format!("<{}>", args[0])),
                _ => {
                    let label = format!("Liquid: {inner}");
                    out.push_str(&self.keep(start, end, &label, written));
                }
            }
        }
        out.push_str(&text[pos..]);
        out
    }
}

/// The next Liquid tag (`{% %}`) or output (`{{ }}`) from `from`: its
/// start, end, trimmed inside and whether it is a tag.
fn next_liquid(text: &str, from: usize) -> Option<(usize, usize, &str, bool)> {
    let mut at = from;
    loop {
        let rel = text[at..].find('{')?;
        let start = at + rel;
        let rest = &text[start..];
        let (is_tag, close) = if rest.starts_with("{%") {
            (true, "%}")
        } else if rest.starts_with("{{") {
            (false, "}}")
        } else {
            at = start + 1;
            continue;
        };
        let Some(len) = rest[2..].find(close) else {
            at = start + 2;
            continue;
        };
        let inner = rest[2..2 + len].trim_matches('-').trim();
        return Some((start, start + 2 + len + 2, inner, is_tag));
    }
}

/// One Hugo shortcode tag as written.
#[derive(Debug, Clone)]
struct Shortcode {
    start: usize,
    end: usize,
    closing: bool,
    name: String,
    /// The text between the delimiters, trimmed.
    inner: String,
    args: Vec<(Option<String>, String)>,
    /// For `{{</* ... */>}}`: the text Hugo prints instead.
    comment: Option<String>,
}

impl Shortcode {
    fn written(&self, text: &str) -> String {
        text[self.start..self.end].to_string()
    }

    /// The argument named `name`, or else the positional one at `index`.
    fn arg(&self, name: &str, index: usize) -> Option<String> {
        self.args
            .iter()
            .find(|(k, _)| k.as_deref() == Some(name))
            .map(|(_, v)| v.clone())
            .or_else(|| {
                self.args
                    .iter()
                    .filter(|(k, _)| k.is_none())
                    .nth(index)
                    .map(|(_, v)| v.clone())
            })
    }
}

fn hugo_tags(text: &str) -> Vec<Shortcode> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("{{") {
        let start = at + rel;
        match parse_shortcode(text, start) {
            Some(tag) => {
                at = tag.end;
                tags.push(tag);
            }
            None => at = start + 2,
        }
    }
    tags
}

fn parse_shortcode(text: &str, start: usize) -> Option<Shortcode> {
    let rest = &text[start + 2..];
    let percent = match rest.as_bytes().first()? {
        b'<' => false,
        b'%' => true,
        _ => return None,
    };
    let (open, close) = if percent {
        ("{{%", "%}}")
    } else {
        ("{{<", ">}}")
    };
    let body_start = start + 3;
    let after = &text[body_start..];
    if after.trim_start().starts_with("/*") {
        let end_marker = format!("*/{close}");
        let content_start = body_start + (after.len() - after.trim_start().len()) + 2;
        let len = text[content_start..].find(&end_marker)?;
        let literal = format!("{open}{}{close}", &text[content_start..content_start + len]);
        return Some(Shortcode {
            start,
            end: content_start + len + end_marker.len(),
            closing: false,
            name: String::new(),
            inner: String::new(),
            args: Vec::new(),
            comment: Some(literal),
        });
    }
    let bytes = text.as_bytes();
    let mut k = body_start;
    let mut quote: Option<u8> = None;
    while k < bytes.len() {
        let b = bytes[k];
        match quote {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    k += 2;
                    continue;
                }
                if b == q {
                    quote = None;
                }
            }
            None => {
                if b == b'"' || b == b'`' {
                    quote = Some(b);
                } else if bytes[k..].starts_with(close.as_bytes()) {
                    break;
                } else if b == b'\n' && text[body_start..k].matches('\n').count() > 20 {
                    return None;
                }
            }
        }
        k += 1;
    }
    if k >= bytes.len() {
        return None;
    }
    let inner = text[body_start..k].trim();
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim();
    let closing = inner.starts_with('/');
    let mut args = tokenize(inner.trim_start_matches('/'));
    if args.is_empty() || args[0].0.is_some() {
        return None;
    }
    let name = args.remove(0).1;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_/.".contains(c))
    {
        return None;
    }
    Some(Shortcode {
        start,
        end: k + close.len(),
        closing,
        name,
        inner: inner.to_string(),
        args,
        comment: None,
    })
}

/// Shortcode arguments: `word`, `"quoted \" text"`, `` `raw` ``, `key=value`.
fn tokenize(text: &str) -> Vec<(Option<String>, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let read_value = |i: &mut usize| -> String {
        let mut value = String::new();
        match chars.get(*i) {
            Some('"') => {
                *i += 1;
                while *i < chars.len() && chars[*i] != '"' {
                    if chars[*i] == '\\' && *i + 1 < chars.len() {
                        *i += 1;
                    }
                    value.push(chars[*i]);
                    *i += 1;
                }
                *i += 1;
            }
            Some('`') => {
                *i += 1;
                while *i < chars.len() && chars[*i] != '`' {
                    value.push(chars[*i]);
                    *i += 1;
                }
                *i += 1;
            }
            _ => {
                while *i < chars.len() && !chars[*i].is_whitespace() && chars[*i] != '=' {
                    value.push(chars[*i]);
                    *i += 1;
                }
            }
        }
        value
    };
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let quoted = matches!(chars[i], '"' | '`');
        let word = read_value(&mut i);
        if !quoted && chars.get(i) == Some(&'=') {
            i += 1;
            let value = read_value(&mut i);
            out.push((Some(word), value));
        } else {
            out.push((None, word));
        }
    }
    out
}

/// Pairs each closing tag with the nearest open tag of its name; tags left
/// open stand alone.
fn pair(tags: &[Shortcode]) -> HashMap<usize, usize> {
    let mut pairs = HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        if tag.comment.is_some() {
            continue;
        }
        if tag.closing {
            if let Some(depth) = stack
                .iter()
                .rposition(|&o| tags[o].name.eq_ignore_ascii_case(&tag.name))
            {
                pairs.insert(stack[depth], i);
                stack.truncate(depth);
            }
        } else {
            stack.push(i);
        }
    }
    pairs
}

fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    format!("{ticks} {text} {ticks}")
}

fn fence(lang: &str, body: &str, indent: &str) -> String {
    let body = body.trim_matches('\n');
    let longest = body
        .lines()
        .map(|l| l.trim_start().bytes().take_while(|&b| b == b'`').count())
        .max()
        .unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}{lang}\n{body}\n{indent}{ticks}")
}

/// A link destination, in angle brackets when it holds spaces or brackets.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '*' | '_' | '\\' | '`' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn figure(tag: &Shortcode, indent: &str) -> Option<String> {
    let src = tag.arg("src", 0)?;
    let caption = tag.arg("caption", usize::MAX);
    let title = tag.arg("title", usize::MAX);
    let alt = tag
        .arg("alt", usize::MAX)
        .or_else(|| title.clone())
        .or_else(|| caption.clone())
        .unwrap_or_default();
    let title_part = title
        .as_deref()
        .map(|t| format!(" \"{}\"", t.replace('"', "\\\"")))
        .unwrap_or_default();
    let mut s = format!(
        "![{}]({}{title_part})",
        escape_text(&alt),
        destination(&src)
    );
    if let Some(link) = tag.arg("link", usize::MAX) {
        s = format!("[{s}]({})", destination(&link));
    }
    if let Some(caption) = caption.filter(|c| !c.trim().is_empty()) {
        s.push_str(&format!("\\\n{indent}*{}*", caption.trim()));
    }
    Some(s)
}

fn video_link(title: Option<String>, site: &str, url: &str) -> String {
    let title = title.unwrap_or_else(|| format!("Video on {site}"));
    format!("[▶ {}]({url})", escape_text(&title))
}

/// Kramdown's attribute lists (`{: .class}`, `{:target="_blank"}`), which
/// CommonMark would print as text.
pub fn strip_kramdown_attributes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("{:") && trimmed.ends_with('}') {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("{:") {
            match rest[i..].find('}') {
                Some(j) if !rest[i..i + j].contains('\n') => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + j + 1..];
                }
                _ => break,
            }
        }
        out.push_str(rest);
    }
    out
}

/// Offers every link and image destination of `text` (Markdown links and
/// reference definitions, `href`/`src` in raw HTML) to `rewrite`, and puts
/// its answer in place.
pub fn rewrite_links(text: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for written in scan::links(text) {
        match written {
            Written::Destination { span, url } => {
                if url.is_empty() {
                    continue;
                }
                if let (Some(new), Some(at)) = (rewrite(&url), text[span.clone()].rfind(&*url)) {
                    edits.push((span.start + at, url.len(), destination(&new)));
                }
            }
            Written::Definition { span, url } => {
                if let (Some(new), Some(at)) = (rewrite(&url), text[span.clone()].find(&*url)) {
                    edits.push((span.start + at, url.len(), destination(&new)));
                }
            }
            Written::Html { span } => {
                let html = &text[span.clone()];
                for attr in ["href=", "src=", "HREF=", "SRC="] {
                    let mut from = 0;
                    while let Some(i) = html[from..].find(attr) {
                        let value_start = from + i + attr.len();
                        from = value_start;
                        let Some(q) = html[value_start..]
                            .chars()
                            .next()
                            .filter(|c| *c == '"' || *c == '\'')
                        else {
                            continue;
                        };
                        let Some(len) = html[value_start + 1..].find(q) else {
                            continue;
                        };
                        let value = &html[value_start + 1..value_start + 1 + len];
                        if let Some(new) = rewrite(value) {
                            let mut escaped = String::new();
                            pulldown_cmark_escape::escape_href(&mut escaped, &new)
                                .expect("a String");
                            edits.push((span.start + value_start + 1, len, escaped));
                        }
                    }
                }
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    edits.dedup_by_key(|e| e.0);
    let mut out = text.to_string();
    let mut limit = usize::MAX;
    for (start, len, new) in edits {
        if start + len <= limit {
            out.replace_range(start..start + len, &new);
            limit = start;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Links for Fake {
        fn hugo_ref(&self, target: &str) -> String {
            format!("../2020/{}.md", target.trim_end_matches(".md"))
        }
        fn post_url(&self, name: &str) -> Option<String> {
            (name == "2015-05-21-tocking-time").then(|| "tocking-time.md".to_string())
        }
        fn jekyll_link(&self, path: &str) -> String {
            format!("https://example.org/{path}")
        }
        fn site_url(&self) -> String {
            "https://example.org".into()
        }
    }

    fn hugo(text: &str) -> (String, Vec<Unconverted>) {
        let mut body = Body::new(text, 10);
        let out = body.hugo(&Fake);
        (out, body.unconverted)
    }

    #[test]
    fn hugo_shortcodes_become_markdown_or_stay_visible() {
        let (out, kept) = hugo(
            "See [the post]({{< ref \"hello.md\" >}}) and [more]({{< relref \"/blog/x\" >}}).\n",
        );
        assert_eq!(
            out,
            "See [the post](../2020/hello.md) and [more](../2020//blog/x.md).\n"
        );
        assert!(kept.is_empty());
        let (out, _) = hugo("{{< figure src=\"/img/a.png\" alt=\"A [b]\" caption=\"Cap\" >}}\n");
        assert_eq!(out, "![A \\[b\\]](/img/a.png)\\\n*Cap*\n");
        let (out, _) = hugo("{{< youtube id=\"abc\" title=\"Talk\" >}}\n{{< youtube xyz >}}\n");
        assert_eq!(
            out,
            "[▶ Talk](https://www.youtube.com/watch?v=abc)\n[▶ Video on YouTube](https://www.youtube.com/watch?v=xyz)\n"
        );
        let (out, _) = hugo("{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n");
        assert_eq!(out, "```go\nfunc main() {}\n```\n");
    }

    #[test]
    fn unknown_shortcodes_are_kept_visibly_and_listed_with_their_line() {
        let (out, kept) = hugo(
            "Intro\n\n{{< note >}}\nBe careful.\n{{< /note >}}\n\nA {{< glossary_tooltip text=\"Pod\" term_id=\"pod\" >}} runs.\n",
        );
        assert!(!out.contains("{{<"), "{out}");
        assert!(out.contains("```text\nHugo shortcode: note\n```\nBe careful.\n```text\nHugo shortcode: /note\n```"), "{out}");
        assert!(
            out.contains(
                "A ` Hugo shortcode: glossary_tooltip text=\"Pod\" term_id=\"pod\" ` runs."
            ),
            "{out}"
        );
        assert_eq!(
            kept,
            vec![
                Unconverted {
                    line: 12,
                    text: "{{< note >}}".into()
                },
                Unconverted {
                    line: 16,
                    text: "{{< glossary_tooltip text=\"Pod\" term_id=\"pod\" >}}".into()
                },
            ]
        );
    }

    #[test]
    fn liquid_tags_convert_or_stay_visible() {
        let mut body = Body::new(
            "[a]({% post_url 2015-05-21-tocking-time %}) [b]({{ site.baseurl }}/x/)\n{% raw %}{{ kept }}{% endraw %}\n{% comment %}gone{% endcomment %}\n{% include svg/a.svg %}\n",
            3,
        );
        let out = body.liquid(&Fake);
        assert_eq!(
            out,
            "[a](tocking-time.md) [b](/x/)\n{{ kept }}\n\n```text\nLiquid: include svg/a.svg\n```\n"
        );
        assert_eq!(
            body.unconverted,
            vec![Unconverted {
                line: 6,
                text: "{% include svg/a.svg %}".into()
            }]
        );
    }

    #[test]
    fn broken_or_odd_markup_never_panics() {
        for text in [
            "{{< x \"\\é\" >}} {{< y",
            "{{<",
            "{{% /z %}} {{< /z >}}",
            "{{</* figure */>}} {{</* open",
            "{{< a \"unclosed é",
            "{% raw %} never closed {{ é",
            "{% post_url %} {% link %} {{ }} {%%}",
            "`{{< code >}}` and ```\n{{< fenced >}}\n```",
            "é{{<é>}}é{%é%}é",
        ] {
            let mut body = Body::new(text, 1);
            let _ = body.hugo(&Fake);
            let mut body = Body::new(text, 1);
            let _ = body.liquid(&Fake);
            let _ = rewrite_links(text, &|u| Some(format!("x{u}")));
            let _ = strip_kramdown_attributes(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_converts_without_panicking(text in "(\\{\\{[<%]?|[<>%/*\"`\\\\ =\\n]|[a-zé]{1,3}|\\{%|%\\}|\\}\\}|\\]\\(|!\\[|```){0,40}") {
            let mut body = Body::new(&text, 1);
            let _ = body.hugo(&Fake);
            let mut body = Body::new(&text, 1);
            let _ = body.liquid(&Fake);
            let _ = rewrite_links(&text, &|u| Some(format!("/x{u}")));
            let _ = strip_kramdown_attributes(&text);
            let _ = super::super::value::split(&text);
            let _ = super::super::dates::SourceDate::parse(&text);
        }
    }

    #[test]
    fn links_in_markdown_definitions_and_html_are_rewritten() {
        let out = rewrite_links(
            "[a](/old/) ![i](pic.png)\n\n<a href=\"/old/\">x</a>\n\n[r]: /old/\n[s][r]\n",
            &|u| u.starts_with('/').then(|| format!("new{u}")),
        );
        assert_eq!(
            out,
            "[a](new/old/) ![i](pic.png)\n\n<a href=\"new/old/\">x</a>\n\n[r]: new/old/\n[s][r]\n"
        );
        assert_eq!(
            strip_kramdown_attributes("[a](b){:target=\"_blank\"}\n{: .lead}\nx\n"),
            "[a](b)\nx\n"
        );
    }
}
