//! The YAML boundary: the only module that knows serde_yaml and
//! libyaml-safer.
//!
//! YAML text goes in, our own [`Node`] tree comes out, every node with the
//! line and column it is written at (or an error with the line and column
//! where the parser gave up). Swapping a YAML crate touches this file alone.
//!
//! Two crates, each for what it does well. serde_yaml gives the values: the
//! types of plain scalars, tags, anchors and aliases, and its limits against
//! alias bombs and deep nesting. It keeps no positions and does not expose
//! the events of the libyaml parser inside it, so libyaml-safer, a safe
//! line-by-line port of that same parser, reads the text a second time for
//! its events, each marked with where it starts: after serde_yaml has
//! accepted the text (so it nests at most 128 levels and its aliases expand
//! to little), one pass walks the value tree in document order and takes
//! each node's position from the event that opens it. An alias (`*a`) is one
//! event: the whole value it stands for is placed at the alias, where the
//! editor wrote it. One grammar reads the text twice, so the two trees have
//! the same shape; should they ever differ, the zip notices the first event
//! that does not fit and every node from there on is placed at its parent:
//! a containing line rather than a wrong one, and never a panic.
//!
//! saphyr-parser was tried first: it follows YAML 1.2 strictly and refuses
//! what libyaml accepts and editors write (a quoted summary wrapped onto an
//! unindented line, `[Kim,` then `Lee]` on the next line, a tab after
//! `key:`), so about one front matter in a hundred of a mutation test lost
//! its positions part way; libyaml-safer lost none, at the same speed.
//! A swap to one parser for values and positions was weighed too: it would
//! read the text once, but the values' types and limits would no longer be
//! serde_yaml's, which the project chose; the second pass costs little next
//! to serde_yaml's own (see `parses_and_places_a_large_document_quickly`).

use libyaml_safer::{Event, EventData, Parser, ScalarStyle};

/// Where a node is written: a 1-based line of the file and a 1-based column
/// counted in characters (a tab is one), as every diagnostic counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A parsed YAML value and where it is written. An alias is placed where
/// it is used; a quoted scalar at its first character past the quote; a
/// block scalar at its indicator (`|`, `>`); a value with an anchor or a
/// tag at the anchor or tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Pos,
}

/// A parsed YAML value. Mappings keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping. A key that is not a string (a number, or
/// rarely a list) is kept as its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Where the key is written.
    pub key_at: Pos,
    pub value: Node,
}

/// A parsed document, and how many forbidden characters its strings lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub node: Node,
    pub dropped: usize,
}

/// A YAML syntax error, positioned in the file (1-based line and column).
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

/// Parses one YAML document that is a file of its own. An empty document
/// is `Value::Null` at line 1, column 1.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_counted(text, 1).map(|parsed| parsed.node)
}

/// Parses one YAML document whose first line is line `first_line` of its
/// file (front matter starts below its `---`); every position, of a node or
/// of an error, is a position in the file. Also says how many characters it
/// left out: characters XML and HTML forbid, which a double-quoted escape
/// (`"\x01"`, `"\e"`) can spell, are left out of every string (see
/// `load::chars`).
pub fn parse_counted(text: &str, first_line: usize) -> Result<Parsed, YamlError> {
    // serde_yaml reads a byte-order mark as the start of a second document;
    // it takes no column.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, column)) = too_deep(text) {
        return Err(YamlError {
            line: first_line + line - 1,
            column,
            message: format!("lists and mappings nest more than {MAX_NESTING} levels deep here"),
            hint: Some("close the brackets `[` and `{`, or quote the text that holds them"),
        });
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => {
            let (node, dropped, _) = place(text, value, first_line);
            Ok(Parsed { node, dropped })
        }
        Err(err) => {
            let (line, column) = err
                .location()
                .map_or((1, 1), |loc| (loc.line().max(1), loc.column().max(1)));
            Err(YamlError {
                line: first_line + line - 1,
                column,
                message: clean_message(&err.to_string()),
                hint: None,
            })
        }
    }
}

/// `value` (serde_yaml's reading of `text`) as a node tree placed by
/// libyaml-safer's events; also how many forbidden characters its strings
/// lost, and whether the events stopped fitting the values.
fn place(text: &str, value: serde_yaml::Value, first_line: usize) -> (Node, usize, bool) {
    let mut events = Parser::new();
    events.set_input(text.as_bytes());
    let mut zip = Zip {
        events,
        // libyaml-safer 0.3 panics ("TODO") on a tag directly followed by
        // `,` in a flow collection (`{id: !, title: x}`), which libyaml
        // itself, and so serde_yaml, accepts: such a text is not given to
        // it, and its nodes are placed at their parent.
        lost: tag_before_comma(text),
        first_line,
        dropped: 0,
    };
    let start = Pos {
        line: first_line,
        column: 1,
    };
    let node = zip.node(value, start);
    (node, zip.dropped, zip.lost)
}

/// Whether a tag (`!`, `!name`, `!!str`) at the start of a token runs
/// into a `,`: the case libyaml-safer cannot scan (see `place`). A `!`
/// inside a word (`Wow!, yes`) starts no tag.
fn tag_before_comma(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        let starts_token = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':' | b'-'
            );
        b == b'!'
            && starts_token
            && bytes[i..]
                .iter()
                .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                .any(|&c| c == b',')
    })
}

/// Walks serde_yaml's value tree and libyaml-safer's events together (see
/// the module comment), building the [`Node`] tree.
struct Zip<'a> {
    events: Parser<&'a [u8]>,
    /// Set at the first event that does not fit the value tree (or a parse
    /// error): from then on nodes take the position of their parent.
    lost: bool,
    first_line: usize,
    /// Forbidden characters left out of strings so far.
    dropped: usize,
}

impl Zip<'_> {
    /// The next event that opens or closes a node, with where it starts.
    fn next(&mut self) -> Option<(EventData, Pos)> {
        if self.lost {
            return None;
        }
        loop {
            // Should the parser still panic on some other text, the
            // document keeps its values and loses only its positions.
            let next =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.events.next()))
                    .unwrap_or(None);
            match next {
                Some(Ok(Event {
                    data: EventData::StreamStart { .. } | EventData::DocumentStart { .. },
                    ..
                })) => {}
                Some(Ok(event)) => {
                    // libyaml counts lines and columns from 0, columns in
                    // characters.
                    let at = Pos {
                        line: self.first_line + event.start_mark.line as usize,
                        column: event.start_mark.column as usize + 1,
                    };
                    return Some((event.data, at));
                }
                Some(Err(_)) | None => {
                    self.lost = true;
                    return None;
                }
            }
        }
    }

    /// `value` as a node, its position from the next event; `parent` is
    /// where it is placed when the events do not tell.
    fn node(&mut self, mut value: serde_yaml::Value, parent: Pos) -> Node {
        use serde_yaml::Value as V;
        // A tag (`!name value`) is a property of the event that follows.
        while let V::Tagged(tagged) = value {
            value = tagged.value;
        }
        let Some((event, at)) = self.next() else {
            return self.placed(value, parent);
        };
        match (event, value) {
            (EventData::Alias { .. }, value) => self.placed(value, at),
            (
                EventData::Scalar {
                    style, anchor, tag, ..
                },
                value @ (V::Null | V::Bool(_) | V::Number(_) | V::String(_)),
            ) => {
                // A quoted scalar is placed at its text, past the quote
                // (which stands where the event starts unless an anchor or
                // a tag comes first).
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                let at = if quoted && anchor.is_none() && tag.is_none() {
                    Pos {
                        column: at.column + 1,
                        ..at
                    }
                } else {
                    at
                };
                self.placed(value, at)
            }
            (EventData::SequenceStart { .. }, V::Sequence(items)) => {
                let items = items.into_iter().map(|v| self.node(v, at)).collect();
                self.close(|e| matches!(e, EventData::SequenceEnd));
                Node {
                    value: Value::List(items),
                    at,
                }
            }
            (EventData::MappingStart { .. }, V::Mapping(map)) => {
                let entries = map
                    .into_iter()
                    .map(|(k, v)| {
                        let key = self.node(k, at);
                        let value = self.node(v, key.at);
                        Entry {
                            key: key.value.into_key(),
                            key_at: key.at,
                            value,
                        }
                    })
                    .collect();
                self.close(|e| matches!(e, EventData::MappingEnd));
                Node {
                    value: Value::Map(entries),
                    at,
                }
            }
            // A collection or the document ends where the value tree has
            // a value: the value is placed at its parent.
            (
                EventData::SequenceEnd
                | EventData::MappingEnd
                | EventData::DocumentEnd { .. }
                | EventData::StreamEnd,
                value,
            ) => {
                self.lost = true;
                self.placed(value, parent)
            }
            // The event opens a node of another kind: the same node, as
            // the other reading has it.
            (_, value) => {
                self.lost = true;
                self.placed(value, at)
            }
        }
    }

    /// Reads the event that closes a collection; anything else means the
    /// events no longer fit.
    fn close(&mut self, is_end: fn(&EventData) -> bool) {
        if let Some((event, _)) = self.next()
            && !is_end(&event)
        {
            self.lost = true;
        }
    }

    /// `value` with every node in it at `at`, reading no events: an alias's
    /// value, or what is left when the events were lost.
    fn placed(&mut self, value: serde_yaml::Value, at: Pos) -> Node {
        use serde_yaml::Value as V;
        let value = match value {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(b),
            V::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            V::String(s) => Value::String(clean(s, &mut self.dropped)),
            V::Sequence(items) => {
                Value::List(items.into_iter().map(|v| self.placed(v, at)).collect())
            }
            V::Mapping(map) => Value::Map(
                map.into_iter()
                    .map(|(k, v)| Entry {
                        key: self.placed(k, at).value.into_key(),
                        key_at: at,
                        value: self.placed(v, at),
                    })
                    .collect(),
            ),
            V::Tagged(tagged) => return self.placed(tagged.value, at),
        };
        Node { value, at }
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

fn clean(s: String, dropped: &mut usize) -> String {
    if !s.contains(super::chars::is_forbidden) {
        return s;
    }
    *dropped += s.chars().filter(|&c| super::chars::is_forbidden(c)).count();
    s.chars()
        .filter(|&c| !super::chars::is_forbidden(c))
        .collect()
}

impl Value {
    /// The text of a scalar (numbers and booleans as written), or `None` for
    /// lists, maps and null.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A key as text: a scalar's text, empty for anything else.
    fn into_key(self) -> String {
        match self {
            Value::String(s) => s,
            other => other.scalar_text().unwrap_or_default(),
        }
    }

    /// What kind of value this is, for messages ("expected a list, found a string").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The same value as JSON, for the free-form data passed to templates.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

impl Node {
    /// See [`Value::scalar_text`].
    pub fn scalar_text(&self) -> Option<String> {
        self.value.scalar_text()
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// See [`Value::kind_name`].
    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }

    /// See [`Value::to_json`].
    pub fn to_json(&self) -> serde_json::Value {
        self.value.to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `node` without positions, for comparing values.
    fn plain(node: &Node) -> serde_json::Value {
        node.to_json()
    }

    /// The position of `node` as (line, column).
    fn at(node: &Node) -> (usize, usize) {
        (node.at.line, node.at.column)
    }

    /// The value at a path of keys and list indexes (`"actors.1"`).
    fn path<'n>(node: &'n Node, path: &str) -> &'n Node {
        path.split('.').fold(node, |node, step| match &node.value {
            Value::List(items) => &items[step.parse::<usize>().expect("an index")],
            _ => node.get(step).expect("a key"),
        })
    }

    #[test]
    fn keeps_key_order_and_types() {
        let node = parse("b: 1\na: [x, 2.5, true]\nc:\n").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("expected a map")
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(entries[0].value.value, Value::Int(1));
        assert_eq!(
            plain(&entries[1].value),
            serde_json::json!(["x", 2.5, true])
        );
        assert_eq!(entries[2].value.value, Value::Null);
    }

    #[test]
    fn dates_stay_strings() {
        let node = parse("date: 2023-11-15").unwrap();
        assert_eq!(node.get("date").and_then(Node::as_str), Some("2023-11-15"));
    }

    #[test]
    fn every_node_knows_its_line_and_column() {
        let text = "title: Kim meets Lee\n\
                    actors: [Kimberly Lee, Kim]\n\
                    topics:\n  - Kimchi\n  - Kim\n\
                    sources:\n  - {id: a, url: \"https://x.org/Kim\"}\n  - name: Kim\n    role: [x, {y: Kim}]\n";
        let node = parse(text).unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("expected a map")
        };
        let keys: Vec<(&str, (usize, usize))> = entries
            .iter()
            .map(|e| (e.key.as_str(), (e.key_at.line, e.key_at.column)))
            .collect();
        assert_eq!(
            keys,
            [
                ("title", (1, 1)),
                ("actors", (2, 1)),
                ("topics", (3, 1)),
                ("sources", (6, 1))
            ]
        );
        assert_eq!(at(path(&node, "title")), (1, 8));
        assert_eq!(at(path(&node, "actors")), (2, 9));
        assert_eq!(at(path(&node, "actors.0")), (2, 10));
        assert_eq!(at(path(&node, "actors.1")), (2, 24));
        assert_eq!(at(path(&node, "topics")), (4, 3));
        assert_eq!(at(path(&node, "topics.0")), (4, 5));
        assert_eq!(at(path(&node, "topics.1")), (5, 5));
        assert_eq!(at(path(&node, "sources.0")), (7, 5));
        assert_eq!(at(path(&node, "sources.0.id")), (7, 10));
        // A quoted scalar is placed past its quote.
        assert_eq!(at(path(&node, "sources.0.url")), (7, 19));
        assert_eq!(at(path(&node, "sources.1")), (8, 5));
        assert_eq!(at(path(&node, "sources.1.name")), (8, 11));
        assert_eq!(at(path(&node, "sources.1.role")), (9, 11));
        assert_eq!(at(path(&node, "sources.1.role.0")), (9, 12));
        assert_eq!(at(path(&node, "sources.1.role.1.y")), (9, 19));
    }

    #[test]
    fn positions_are_in_the_file_from_the_first_line() {
        let node = parse_counted("title: A\nactors: [B]\n", 2).unwrap().node;
        assert_eq!(at(path(&node, "actors.0")), (3, 10));
        let err = parse_counted("title: ok\nactors: [a, b\n", 2).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        let err = parse_counted(&format!("a: {}\n", "[".repeat(200)), 5).unwrap_err();
        assert_eq!((err.line, err.column), (5, 4 + MAX_NESTING));
    }

    #[test]
    fn an_alias_is_placed_where_it_is_used() {
        let text = "a: &who Kim\nb: *who\nc: &list [x, {y: z}]\nd:\n  - *list\n";
        let node = parse(text).unwrap();
        assert_eq!(at(path(&node, "a")), (1, 4));
        assert_eq!(at(path(&node, "b")), (2, 4));
        assert_eq!(path(&node, "b").as_str(), Some("Kim"));
        // Everything inside an aliased collection is at the alias.
        assert_eq!(at(path(&node, "d.0")), (5, 5));
        assert_eq!(at(path(&node, "d.0.0")), (5, 5));
        assert_eq!(at(path(&node, "d.0.1.y")), (5, 5));
        // The nodes after an alias are placed by their own events.
        let node = parse("a: &a [x]\nb: [*a, Kim]\nc: Kim\n").unwrap();
        assert_eq!(at(path(&node, "b.0")), (2, 5));
        assert_eq!(at(path(&node, "b.1")), (2, 9));
        assert_eq!(at(path(&node, "c")), (3, 4));
    }

    #[test]
    fn merge_keys_stay_keys_and_keep_positions() {
        // serde_yaml does not apply `<<`: it is a key like any other.
        let text = "base: &base {role: host}\nkim:\n  <<: *base\n  name: Kim\n";
        let node = parse(text).unwrap();
        let kim = path(&node, "kim");
        let Value::Map(entries) = &kim.value else {
            panic!("expected a map")
        };
        assert_eq!(entries[0].key, "<<");
        assert_eq!((entries[0].key_at.line, entries[0].key_at.column), (3, 3));
        assert_eq!(at(&entries[0].value), (3, 7));
        assert_eq!(at(path(kim, "name")), (4, 9));
    }

    #[test]
    fn multi_line_and_block_scalars() {
        let text = "a: plain\n  text on two lines\nb: \"double\n  quoted\"\nc: 'single\n  quoted'\nd: |\n  literal\n  block\ne: >-\n  folded\nf: after\n";
        let node = parse(text).unwrap();
        assert_eq!(path(&node, "a").as_str(), Some("plain text on two lines"));
        assert_eq!(at(path(&node, "a")), (1, 4));
        assert_eq!(at(path(&node, "b")), (3, 5));
        assert_eq!(at(path(&node, "c")), (5, 5));
        // A block scalar is placed at its indicator.
        assert_eq!(path(&node, "d").as_str(), Some("literal\nblock\n"));
        assert_eq!(at(path(&node, "d")), (7, 4));
        assert_eq!(at(path(&node, "e")), (10, 4));
        assert_eq!(at(path(&node, "f")), (12, 4));
    }

    #[test]
    fn tags_anchors_tabs_and_wide_characters() {
        let text = "a: !note Kim\nb: &x 'Kim'\n\u{e9}t\u{e9}: \u{f1} Kim\nc:\t[x,\tKim]\n";
        let node = parse(text).unwrap();
        // A node with a tag or an anchor starts at it.
        assert_eq!(at(path(&node, "a")), (1, 4));
        assert_eq!(path(&node, "a").as_str(), Some("Kim"));
        assert_eq!(at(path(&node, "b")), (2, 4));
        // Columns count characters: `é` is one, a tab is one.
        assert_eq!(at(path(&node, "\u{e9}t\u{e9}")), (3, 6));
        assert_eq!(at(path(&node, "c.1")), (4, 8));
    }

    #[test]
    fn crlf_and_a_byte_order_mark() {
        let node = parse("a: x\r\nb: [y, Kim]\r\n").unwrap();
        assert_eq!(at(path(&node, "b.1")), (2, 8));
        let node = parse("\u{feff}a: x\nb: Kim\n").unwrap();
        assert_eq!(at(path(&node, "a")), (1, 4));
        assert_eq!(at(path(&node, "b")), (2, 4));
    }

    #[test]
    fn empty_documents_and_comments_are_null_at_the_start() {
        for text in ["", "# only a comment\n", "\n\n", "  \n# a\n  # b\n"] {
            let node = parse_counted(text, 7).unwrap().node;
            assert_eq!(node.value, Value::Null, "{text:?}");
            assert_eq!(at(&node), (7, 1), "{text:?}");
        }
        let node = parse("# note\n\nkey: value # why\n").unwrap();
        assert_eq!(at(path(&node, "key")), (3, 6));
    }

    #[test]
    fn very_long_lines_keep_exact_columns() {
        let names: Vec<String> = (0..20_000).map(|i| format!("n{i}")).collect();
        let text = format!("aliases: [{}]\n", names.join(", "));
        let node = parse(&text).unwrap();
        let Value::List(items) = &path(&node, "aliases").value else {
            panic!("expected a list")
        };
        let mut column = "aliases: [".len() + 1;
        for (item, name) in items.iter().zip(&names) {
            assert_eq!(at(item), (1, column), "{name}");
            column += name.len() + 2;
        }
    }

    #[test]
    fn parses_and_places_a_large_document_quickly() {
        let items: String = (0..50_000)
            .map(|i| format!("  - {{name: Kim {i}, role: x}}\n"))
            .collect();
        let text = format!("actors:\n{items}");
        let started = std::time::Instant::now();
        let node = parse(&text).unwrap();
        assert_eq!(at(path(&node, "actors.49999.role")), (50_001, 29));
        assert!(started.elapsed().as_secs() < 10);
    }

    #[test]
    fn both_parsers_agree_on_the_shape_of_tricky_documents() {
        // Every document serde_yaml accepts here is placed by the events to
        // its end: the zip never loses its way.
        let documents = [
            "? [a, b]\n: c\nd: e\n",
            "a: !!str 123\nb: !!int '7'\nc: !custom {x: 1}\n",
            "&k a: b\nc: *k\n",
            "{a, b: , c: d}\n",
            "- - a\n  - b\n- - c\n",
            "- a: b\n  c: d\n- e\n",
            "a: |+\n  x\n\nb: >2\n   indented\nc: x\n",
            "%YAML 1.2\n---\na: b\n...\n",
            "\"a b\": c\n'it''s': x\n? explicit\n",
            "a:\t1\nb: \"\\u00e9\\t\\x41\"\n",
            "a:\tx\nb: {c:\t1, d:\t\"e\tf\"}\ng: x\t# tab before a comment\n",
            "a: |\n  \tlead tab\n  next\nb: c\n",
            "summary: \"wrapped\nonto an unindented line\"\nb: 'and\nagain'\nc: x\n",
            "actors: [Kim,\nLee]\nsources:\n  - {id: a,\n  url: b}\nd: {x: 1}#c\n",
            "a: [b, {c: d}, [e, f], 'g', \"h\"]\nz: ~\n",
            "a:\n  # comment\n  - x # trailing\n\n  - y\n",
            "a: &x\n  b: &y [1, 2]\n  c: *y\nd: *x\ne: 3\n",
            "a: [\n  b,\n  c\n]\nd: {\n  e: f\n}\n",
            "a: 1.5\nb: .inf\nc: -.NaN\nd: 0x1F\ne: 0o17\nf: true\ng: null\n",
            "- ? a\n  : b\n- c\n",
            "a: plain: colon is fine? no\n",
            "a: b # c: d\n",
            "key with spaces: value with spaces\n",
            "a: 'multi\n\n  line'\nb: c\n",
        ];
        for text in documents {
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
                continue;
            };
            let (_, _, lost) = place(text, value, 1);
            assert!(!lost, "{text:?}");
        }
    }

    #[test]
    fn every_yaml_file_of_the_repository_is_placed_to_its_end() {
        // The example site, the test fixtures and the fuzz seeds: every
        // front matter and YAML file serde_yaml reads, the events place.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for folder in ["content", "tests/fixtures", "fuzz/seeds", "examples"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let yaml = match super::super::frontmatter::split(&text) {
                    Ok(split) => split.yaml,
                    Err(_)
                        if entry
                            .path()
                            .extension()
                            .is_some_and(|e| e == "yaml" || e == "yml") =>
                    {
                        &text
                    }
                    Err(_) => continue,
                };
                let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
                    continue;
                };
                let (_, _, lost) = place(yaml, value, 1);
                assert!(!lost, "{}", entry.path().display());
                read += 1;
            }
        }
        assert!(read > 50, "{read}");
    }

    /// The text of `text` from `at` to the end of its line.
    fn rest_of_line(text: &str, at: Pos) -> &str {
        let line = text.lines().nth(at.line - 1).unwrap_or_default();
        let start = line
            .char_indices()
            .nth(at.column - 1)
            .map_or(line.len(), |(i, _)| i);
        &line[start..]
    }

    proptest::proptest! {
        /// Keys and items made of a few names that contain each other,
        /// written as flow or block lists, plain or quoted, with any
        /// spacing: every key and item is placed where its own text starts.
        #[test]
        fn every_key_and_item_is_placed_at_its_own_text(
            fields in proptest::collection::btree_map(
                proptest::sample::select(vec!["kim", "kimberly", "title", "actors", "lee"]),
                (
                    proptest::collection::vec(
                        (
                            proptest::sample::select(vec!["Kim", "Kimberly Lee", "Lee", "Kim Lee", "\u{e9} Kim", "kim"]),
                            proptest::bool::ANY,
                        ),
                        0..6,
                    ),
                    proptest::bool::ANY,
                    1..4usize,
                ),
                0..6,
            ),
        ) {
            let mut text = String::new();
            for (key, (items, flow, spaces)) in &fields {
                let pad = " ".repeat(*spaces);
                let word = |(name, quoted): &(&str, bool)| {
                    if *quoted { format!("\"{name}\"") } else { (*name).to_string() }
                };
                if *flow || items.is_empty() {
                    let list: Vec<String> = items.iter().map(word).collect();
                    text.push_str(&format!("{key}:{pad}[{}]\n", list.join(&format!(",{pad}"))));
                } else {
                    text.push_str(&format!("{key}:\n"));
                    for item in items {
                        text.push_str(&format!("  -{pad}{}\n", word(item)));
                    }
                }
            }
            let node = parse(&text).unwrap();
            let entries = match &node.value {
                Value::Map(entries) => entries.clone(),
                _ => Vec::new(),
            };
            proptest::prop_assert_eq!(entries.len(), fields.len());
            for (entry, (key, (items, _, _))) in entries.iter().zip(&fields) {
                proptest::prop_assert!(rest_of_line(&text, entry.key_at).starts_with(key), "{text}");
                let Value::List(nodes) = &entry.value.value else {
                    panic!("expected a list in {text}")
                };
                for (node, (name, _)) in nodes.iter().zip(items) {
                    proptest::prop_assert!(
                        rest_of_line(&text, node.at).starts_with(name),
                        "{name} at {:?} in {text}", node.at
                    );
                }
            }
        }
    }

    /// Found by the `load` fuzz target: libyaml-safer 0.3 panics on a tag
    /// directly followed by `,` in a flow collection, which serde_yaml
    /// reads. The document is read, without a panic, its nodes placed at
    /// their parent; a `!` inside a word is no tag and changes nothing.
    #[test]
    fn a_tag_before_a_comma_in_a_flow_mapping_is_read_without_a_panic() {
        let text = "sources:\n  - {id: !, title: KCNA}\n";
        let parsed = parse_counted(text, 2).expect("serde_yaml reads it");
        let sources = parsed.node.get("sources").expect("a list");
        let Value::List(items) = &sources.value else {
            panic!("{sources:?}")
        };
        assert_eq!(items[0].get("title").and_then(Node::as_str), Some("KCNA"));
        assert!(tag_before_comma(text));
        assert!(tag_before_comma("a: [!!str, b]"));
        assert!(!tag_before_comma("title: Wow!, said Kim\n"));
        assert!(!tag_before_comma("a: !!str b, c\n"));
        let placed = parse_counted("title: Wow!, said Kim\nx: [1, 2]\n", 2).unwrap();
        assert_eq!(placed.node.get("x").unwrap().at, Pos { line: 3, column: 4 });
    }

    #[test]
    fn a_disagreement_between_the_parsers_falls_back_to_the_parent() {
        // Events that do not fit the value tree: every node is placed at
        // the nearest placed node, never anywhere else, never a panic.
        let value: serde_yaml::Value = serde_yaml::from_str("a: [x, y]\nb: z\n").unwrap();
        let mut events = Parser::new();
        events.set_input("a: x\nb: z\n".as_bytes());
        let mut zip = Zip {
            events,
            lost: false,
            first_line: 1,
            dropped: 0,
        };
        let node = zip.node(value, Pos { line: 1, column: 1 });
        assert!(zip.lost);
        assert_eq!(at(path(&node, "a")), (1, 4));
        assert_eq!(at(path(&node, "a.1")), (1, 4));
        // After the first misfit, nodes are placed at their parent.
        assert_eq!(at(path(&node, "b")), (1, 1));
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
    fn errors_carry_a_position_in_the_file() {
        let err = parse("title: ok\nactors: [a, b\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }
}
