//! The front matter of pictures: `figures:` (what a body's figures are:
//! alt text, caption, credit, license, source) and `image:` (a briefing's
//! lead image, a profile's portrait or emblem). Each is a path, or a
//! mapping with `src` and the rest.

use super::fields::Fields;
use super::yaml::{Node, Value};
use crate::diagnostics::Code;
use crate::markdown::figure::FigureMeta;

const FIGURE_KEYS: &[&str] = &[
    "src",
    "alt",
    "caption",
    "credit",
    "license",
    "source_url",
    "decorative",
];

const HINT: &str = "write a path (`image: map.png`) or a mapping such as `{src: map.png, alt: \"Map of ...\", caption: ..., credit: ...}`";

/// `figures:`, each entry read with its `src`; a `src` given twice is
/// reported at the second.
pub fn read_figures(fields: &mut Fields) -> Vec<FigureMeta> {
    let mut out: Vec<FigureMeta> = Vec::new();
    for item in fields.list("figures") {
        let Some(figure) = read_figure(fields, "figures", &item) else {
            continue;
        };
        if out.iter().any(|f| f.src == figure.src) {
            fields.error_at(
                Code::BadFigure,
                pos(figure.at),
                format!("`figures` names '{}' twice", figure.src),
                "keep one entry per image",
            );
            continue;
        }
        out.push(figure);
    }
    out
}

/// `image:`, a path or a mapping like a `figures` entry.
pub fn read_image(fields: &mut Fields) -> Option<FigureMeta> {
    let node = fields.take_node("image")?;
    if matches!(node.value, Value::Null) {
        return None;
    }
    read_figure(fields, "image", &node)
}

fn read_figure(fields: &mut Fields, field: &str, node: &Node) -> Option<FigureMeta> {
    match &node.value {
        Value::String(src) if !src.trim().is_empty() => Some(FigureMeta {
            src: src.trim().to_string(),
            at: (node.at.line, node.at.column),
            ..FigureMeta::default()
        }),
        Value::Map(entries) => {
            for entry in entries {
                if !FIGURE_KEYS.contains(&entry.key.as_str()) {
                    let hint =
                        match crate::suggest::did_you_mean(&entry.key, FIGURE_KEYS.iter().copied())
                        {
                            Some(known) => format!("did you mean `{known}`?"),
                            None => format!("a figure has {}", FIGURE_KEYS.join(", ")),
                        };
                    fields.error_at(
                        Code::UnknownField,
                        entry.key_at,
                        format!("`{field}` has a key attache does not know: `{}`", entry.key),
                        &hint,
                    );
                }
            }
            let Some((src, at)) = super::fields::item_text(node, "src") else {
                fields.error_at(
                    Code::BadFigure,
                    node.at,
                    format!("this `{field}` entry has no `src`"),
                    HINT,
                );
                return None;
            };
            let text = |key: &str| super::fields::item_string(node, key);
            let decorative = match node.get("decorative").map(|n| &n.value) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    let at = node.get("decorative").map_or(node.at, |n| n.at);
                    fields.error_at(
                        Code::WrongType,
                        at,
                        "`decorative` should be true or false".to_string(),
                        "write `decorative: true` for a picture that adds nothing a reader would miss",
                    );
                    false
                }
            };
            if let Some((url, at)) = super::fields::item_text(node, "source_url")
                && let Err(message) = crate::urls::check_source_url(&url)
            {
                fields.error_at(Code::BadUrl, at, format!("`source_url`: {message}"), "");
            }
            Some(FigureMeta {
                src,
                at: (at.line, at.column),
                // An empty alt is kept as written: with `decorative` it is
                // meant.
                alt: node
                    .get("alt")
                    .and_then(Node::scalar_text)
                    .map(|a| a.trim().to_string()),
                caption: text("caption"),
                credit: text("credit"),
                license: text("license"),
                source_url: text("source_url"),
                decorative,
            })
        }
        other => {
            fields.error_at(
                Code::BadFigure,
                node.at,
                format!(
                    "`{field}` should be a path or a mapping, found {}",
                    other.kind_name()
                ),
                HINT,
            );
            None
        }
    }
}

fn pos((line, column): (usize, usize)) -> super::yaml::Pos {
    super::yaml::Pos { line, column }
}
