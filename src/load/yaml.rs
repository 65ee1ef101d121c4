//! The YAML boundary: the only module that knows serde_yaml.
//!
//! YAML text goes in, our own [`Node`] tree comes out (or an error with the
//! line and column where the parser gave up). Swapping the YAML crate touches
//! this file alone.

/// A parsed YAML value. Mappings keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A parsed document, and how many forbidden characters its strings lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub node: Node,
    pub dropped: usize,
}

/// A YAML syntax error, positioned within the text that was parsed
/// (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// How to fix it, when this module knows better than a general hint.
    pub hint: Option<&'static str>,
}

/// How deep flow collections (`[..]`, `{..}`) may nest. The parser takes
/// time in proportion to the text times the nesting, and refuses more than
/// 128 levels only after reading everything: deeper text is refused first.
pub const MAX_NESTING: usize = 100;

/// Parses one YAML document. An empty document is `Node::Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_counted(text).map(|parsed| parsed.node)
}

/// `parse`, saying how many characters it left out. Characters XML and HTML
/// forbid, which a double-quoted escape (`"\x01"`, `"\e"`) can spell, are
/// left out of every string (see `load::chars`).
pub fn parse_counted(text: &str) -> Result<Parsed, YamlError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(YamlError {
            line,
            column,
            message: format!("lists and mappings nest more than {MAX_NESTING} levels deep here"),
            hint: Some("close the brackets `[` and `{`, or quote the text that holds them"),
        });
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => {
            let mut dropped = 0;
            let node = from_value(value, &mut dropped);
            Ok(Parsed { node, dropped })
        }
        Err(err) => {
            let (line, column) = err
                .location()
                .map_or((1, 1), |loc| (loc.line().max(1), loc.column().max(1)));
            Err(YamlError {
                line,
                column,
                message: clean_message(&err.to_string()),
                hint: None,
            })
        }
    }
}

/// serde_yaml appends " at line L column C" to its messages; we report the
/// position ourselves, relative to the whole file.
fn clean_message(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if message.contains("repetition limit") {
        // serde_yaml's guard against "billion laughs" documents.
        return format!(
            "{message}: the aliases (*name) expand to too much data; write the values out instead"
        );
    }
    if message.contains("recursion limit") {
        // serde_yaml's guard against deep nesting (128 levels).
        return format!("{message}: lists and mappings nest too deep");
    }
    message.to_string()
}

/// The line and column of the first `[` or `{` that opens a flow
/// collection deeper than [`MAX_NESTING`], if any.
///
/// A light scan of YAML's flow syntax: it skips comments, quoted scalars and
/// block scalars (`|`, `>`), and counts a bracket as structure where a value
/// can start (after `: `, `- `, `[`, `{`, `,` or at the start of a line) or
/// inside a flow collection. A bracket inside plain text is counted only
/// where the scan cannot tell; such text would need a hundred unclosed
/// brackets to be refused.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at_value_start = true;
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    let column = |line_start: usize, at: usize| text[line_start..at].chars().count() + 1;
    while i < bytes.len() {
        let b = bytes[i];
        let after_space = i == line_start || matches!(bytes[i - 1], b' ' | b'\t');
        let next_is_space = matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                if depth == 0 {
                    at_value_start = true;
                }
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if after_space => {
                i = memchr_newline(bytes, i);
                continue;
            }
            b'"' | b'\'' if at_value_start => {
                // A quoted scalar: skip to its closing quote.
                let mut j = i + 1;
                while j < bytes.len() {
                    match bytes[j] {
                        b'\\' if b == b'"' => j += 1,
                        b'\'' if b == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
                        q if q == b => break,
                        b'\n' => {
                            line += 1;
                            line_start = j + 1;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                i = j + 1;
                at_value_start = false;
                continue;
            }
            b'|' | b'>' if at_value_start && depth == 0 => {
                // A block scalar: its lines are indented deeper than the
                // line that starts it.
                let indent = bytes[line_start..]
                    .iter()
                    .take_while(|c| **c == b' ')
                    .count();
                let mut j = memchr_newline(bytes, i);
                while j < bytes.len() {
                    let start = j + 1;
                    let spaces = bytes[start..].iter().take_while(|c| **c == b' ').count();
                    let blank = matches!(bytes.get(start + spaces), None | Some(b'\n' | b'\r'));
                    if !blank && spaces <= indent {
                        break;
                    }
                    line += 1;
                    line_start = start;
                    j = memchr_newline(bytes, start);
                }
                i = j;
                continue;
            }
            b'[' | b'{' if at_value_start || depth > 0 => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, column(line_start, i)));
                }
                at_value_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                at_value_start = false;
            }
            b',' if depth > 0 => at_value_start = true,
            b':' if next_is_space || depth > 0 => at_value_start = true,
            b'-' | b'?' if at_value_start && next_is_space => {}
            b'&' | b'!' if at_value_start => {
                // An anchor or a tag: the value follows it.
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n') {
                    i += 1;
                }
                continue;
            }
            _ => at_value_start = false,
        }
        i += 1;
    }
    None
}

/// The index of the next `\n` at or after `from`, or the end.
fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn from_value(value: serde_yaml::Value, dropped: &mut usize) -> Node {
    use serde_yaml::Value;
    match value {
        Value::Null => Node::Null,
        Value::Bool(b) => Node::Bool(b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Node::Int(i)
            } else {
                Node::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Node::String(clean(s, dropped)),
        Value::Sequence(items) => {
            Node::List(items.into_iter().map(|v| from_value(v, dropped)).collect())
        }
        Value::Mapping(map) => Node::Map(
            map.into_iter()
                .map(|(k, v)| (key_text(k, dropped), from_value(v, dropped)))
                .collect(),
        ),
        Value::Tagged(tagged) => from_value(tagged.value, dropped),
    }
}

fn clean(s: String, dropped: &mut usize) -> String {
    if !s.contains(super::chars::is_forbidden) {
        return s;
    }
    *dropped += s.chars().filter(|&c| super::chars::is_forbidden(c)).count();
    s.chars()
        .filter(|&c| !super::chars::is_forbidden(c))
        .collect()
}

fn key_text(key: serde_yaml::Value, dropped: &mut usize) -> String {
    match from_value(key, dropped) {
        Node::String(s) => s,
        other => other.scalar_text().unwrap_or_default(),
    }
}

impl Node {
    /// The text of a scalar (numbers and booleans as written), or `None` for
    /// lists, maps and null.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Node::String(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What kind of value this is, for messages ("expected a list, found a string").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "true/false",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::String(_) => "a string",
            Node::List(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    /// The same value as JSON, for the free-form data passed to templates.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::String(s) => Value::String(s.clone()),
            Node::List(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_types() {
        let node = parse("b: 1\na: [x, 2.5, true]\nc:\n").unwrap();
        let Node::Map(entries) = node else {
            panic!("expected a map")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(entries[0].1, Node::Int(1));
        assert_eq!(
            entries[1].1,
            Node::List(vec![
                Node::String("x".into()),
                Node::Float(2.5),
                Node::Bool(true)
            ])
        );
        assert_eq!(entries[2].1, Node::Null);
    }

    #[test]
    fn dates_stay_strings() {
        let node = parse("date: 2023-11-15").unwrap();
        assert_eq!(node.get("date"), Some(&Node::String("2023-11-15".into())));
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut yaml = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            yaml.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(",")
            ));
        }
        let started = std::time::Instant::now();
        let err = parse(&yaml).unwrap_err();
        assert!(err.message.contains("expand to too much data"), "{err:?}");
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn deep_flow_nesting_is_refused_where_it_goes_too_deep() {
        let yaml = format!("title: x\nsummary: {}\n", "[".repeat(200_000));
        let err = parse(&yaml).unwrap_err();
        assert_eq!((err.line, err.column), (2, 10 + MAX_NESTING));
        assert!(err.message.contains("nest more than"), "{err:?}");
        // Brackets in text, quotes, comments and block scalars do not count.
        let text = format!(
            "a: see {0}\nb: \"{0}\"\nc: '{0}'\n# {0}\nd: |\n  {0}\n  {0}\ne: [x, [y, {{z: 1}}]]\n",
            "[".repeat(300)
        );
        let node = parse(&text).unwrap();
        assert!(node.get("e").is_some());
        // Nesting within the limit still parses.
        let ok = format!("a: {}{}\n", "[".repeat(50), "]".repeat(50));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn deep_block_nesting_is_not_blamed_on_aliases() {
        let yaml: String = (0..200)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let yaml = format!("a:\n{yaml}");
        let err = parse(&yaml).unwrap_err();
        assert!(err.message.contains("nest too deep"), "{err:?}");
        assert!(!err.message.contains("aliases"), "{err:?}");
    }

    #[test]
    fn errors_carry_a_position() {
        let err = parse("title: ok\nactors: [a, b\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }
}
