//! Front matter of the source site, YAML (`---`) or TOML (`+++`), as one
//! small value type. The YAML goes through attache's own YAML module; the
//! one function that matches on its node is [`from_node`].

use crate::load::yaml::{self, Node};

/// A front-matter value of a Hugo or Jekyll file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value under `key` of a mapping; keys compare without case, as
    /// Hugo reads them.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as text (`None` for null, lists and mappings).
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The non-empty text of the field `key`, trimmed.
    pub fn str_of(&self, key: &str) -> Option<String> {
        self.get(key)
            .and_then(Value::text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// Each scalar of a list, or the one scalar.
    pub fn strings(&self) -> Vec<String> {
        match self {
            Value::List(items) => items.iter().filter_map(Value::text).collect(),
            other => other.text().into_iter().collect(),
        }
    }

    /// Each name of a list of terms: a scalar, or an entry's `name`,
    /// `title`, `display_name` or `login` (`authors: [{name: Ana, email: ..}]`).
    pub fn names(&self) -> Vec<String> {
        let one = |v: &Value| {
            v.text().or_else(|| {
                ["name", "title", "display_name", "login"]
                    .iter()
                    .find_map(|k| v.str_of(k))
            })
        };
        match self {
            Value::List(items) => items.iter().filter_map(one).collect(),
            other => one(other).into_iter().collect(),
        }
    }

    pub fn is_true(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Str(s) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }
}

/// Parses YAML with attache's YAML module.
pub fn from_yaml(text: &str) -> Result<Value, String> {
    crate::load::yaml::parse(text)
        .map(from_node)
        .map_err(|e| format!("line {}: {}", e.line, e.message))
}

/// The one place that reads attache's YAML node.
fn from_node(node: Node) -> Value {
    match node.value {
        yaml::Value::Null => Value::Null,
        yaml::Value::Bool(b) => Value::Bool(b),
        yaml::Value::Int(i) => Value::Int(i),
        yaml::Value::Float(f) => Value::Float(f),
        yaml::Value::String(s) => Value::Str(s),
        yaml::Value::List(items) => Value::List(items.into_iter().map(from_node).collect()),
        yaml::Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|e| (e.key, from_node(e.value)))
                .collect(),
        ),
    }
}

/// Parses TOML (Hugo's `+++` front matter and `hugo.toml`).
pub fn from_toml(text: &str) -> Result<Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(from_toml_value(toml::Value::Table(table)))
}

fn from_toml_value(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::Str(s),
        toml::Value::Integer(i) => Value::Int(i),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::Str(d.to_string()),
        toml::Value::Array(items) => Value::List(items.into_iter().map(from_toml_value).collect()),
        toml::Value::Table(t) => Value::Map(
            t.into_iter()
                .map(|(k, v)| (k, from_toml_value(v)))
                .collect(),
        ),
    }
}

/// A source file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Doc {
    pub front: Value,
    pub body: String,
    /// The 1-based line of the source file where the body starts.
    pub body_line: usize,
}

/// Splits `text` at its front matter: YAML between `---` lines, or TOML
/// between `+++` lines. A file without front matter is all body.
pub fn split(text: &str) -> Result<Doc, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let first = text.lines().next().unwrap_or("").trim_end();
    let (fence, toml) = match first {
        "---" => ("---", false),
        "+++" => ("+++", true),
        _ => {
            return Ok(Doc {
                front: Value::Null,
                body: text,
                body_line: 1,
            });
        }
    };
    let mut offset = first.len() + 1;
    for (line, l) in (2..).zip(text[offset.min(text.len())..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == fence || (!toml && trimmed == "...") {
            let front_text = &text[first.len() + 1..offset];
            let front = if toml {
                from_toml(front_text)?
            } else {
                from_yaml(front_text)?
            };
            let body = text[offset + l.len()..].to_string();
            return Ok(Doc {
                front,
                body,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(format!(
        "the front matter opened by '{fence}' is never closed"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_toml_front_matter_split_with_the_body_line() {
        let doc = split("---\ntitle: >\n  A folded\n  title\n---\nBody\n").unwrap();
        assert_eq!(doc.front.str_of("title").as_deref(), Some("A folded title"));
        assert_eq!(doc.body, "Body\n");
        assert_eq!(doc.body_line, 6);
        let doc = split("+++\ntitle = \"T\"\ndate = 2017-03-08T02:05:17-04:00\n+++\nB").unwrap();
        assert_eq!(doc.front.str_of("Title").as_deref(), Some("T"));
        assert_eq!(
            doc.front.str_of("date").as_deref(),
            Some("2017-03-08T02:05:17-04:00")
        );
        assert_eq!(doc.body_line, 5);
        assert!(split("---\ntitle: x\n").is_err());
        let doc =
            split("---\nauthors:\n- name: Ana Lima\n  email: a@x.org\n- login: bo\n- Cy\n---\n")
                .unwrap();
        assert_eq!(
            doc.front.get("authors").unwrap().names(),
            ["Ana Lima", "bo", "Cy"]
        );
    }
}
