//! Reading typed fields out of a front-matter mapping.
//!
//! A [`Fields`] walks one document's top-level mapping. Each accessor takes
//! the field it reads, converts it, and on a wrong value records a diagnostic
//! pointing at the field's line instead of failing; whatever is left at the
//! end is kept as `extra` and reported as unknown.

use super::frontmatter::{self, Cursor};
use super::yaml::Node;
use crate::dates::DateTime;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::suggest::did_you_mean;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

pub struct Fields<'a> {
    file: PathBuf,
    yaml: &'a str,
    yaml_line: usize,
    entries: Vec<(String, Node)>,
    /// Each top-level key's line, and a cursor just past the key (the first
    /// of each, if a key is repeated).
    keys: HashMap<String, (usize, Cursor)>,
    /// Bytes of text the position searches may still read (see
    /// `frontmatter::find_next`).
    search_budget: usize,
    taken: Vec<bool>,
    pub diagnostics: Diagnostics,
}

impl<'a> Fields<'a> {
    /// `root` must be a mapping (or empty); anything else is reported and
    /// read as an empty mapping.
    pub fn new(file: &Path, yaml: &'a str, yaml_line: usize, root: Node) -> Self {
        let mut diagnostics = Diagnostics::new();
        let entries = match root {
            Node::Map(entries) => entries,
            Node::Null => Vec::new(),
            other => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::FrontMatterNotMapping,
                        file,
                        format!(
                            "front matter is {}, not a mapping of fields",
                            other.kind_name()
                        ),
                    )
                    .at(yaml_line, 1)
                    .with_hint("write one `field: value` per line, e.g. `title: My briefing`"),
                );
                Vec::new()
            }
        };
        let taken = vec![false; entries.len()];
        // One pass over the text finds every key's cursor.
        let mut keys = HashMap::default();
        let mut cursor = Cursor::start(yaml_line);
        for (key, line) in frontmatter::key_lines(yaml, yaml_line) {
            cursor = cursor.to_line(yaml, line);
            keys.entry(key)
                .or_insert_with(|| (line, cursor.past_key(yaml)));
        }
        Fields {
            file: file.to_path_buf(),
            yaml,
            yaml_line,
            entries,
            keys,
            search_budget: 4 * yaml.len() + 64 * 1024,
            taken,
            diagnostics,
        }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The line of a top-level key, or the first front-matter line.
    pub fn line_of(&self, key: &str) -> usize {
        self.keys.get(key).map_or(self.yaml_line, |(line, _)| *line)
    }

    /// A cursor just past the top-level key `key` (or at the start of the
    /// front matter), from which its items are found in order with
    /// [`Fields::find`].
    pub fn cursor(&self, key: &str) -> Cursor {
        self.keys
            .get(key)
            .map_or(Cursor::start(self.yaml_line), |(_, cursor)| *cursor)
    }

    /// The position of `text` at or after `cursor`, moving the cursor past
    /// it; the cursor's line when it is not found as written.
    pub fn find(&mut self, cursor: &mut Cursor, text: &str) -> (usize, usize) {
        frontmatter::find_next(self.yaml, cursor, text, &mut self.search_budget)
            .or_else(|| {
                // A value with a line break or tab was written with escapes
                // (`"a\nb"`), which a double-quoted YAML string shares with
                // Rust's.
                let escaped = text.escape_debug().to_string();
                (escaped != text)
                    .then(|| {
                        frontmatter::find_next(self.yaml, cursor, &escaped, &mut self.search_budget)
                    })
                    .flatten()
            })
            .unwrap_or((cursor.line(), 1))
    }

    /// The position of `text` at or after `from`, for a problem with one
    /// value of an item.
    pub fn position_from(&mut self, from: Cursor, text: &str) -> (usize, usize) {
        let mut cursor = from;
        self.find(&mut cursor, text)
    }

    /// Whether the document has the top-level field `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    pub fn diagnostic_at(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// The raw value of `key`, for fields with a shape of their own.
    pub fn take_node(&mut self, key: &str) -> Option<Node> {
        self.take(key)
    }

    fn take(&mut self, key: &str) -> Option<Node> {
        let index = self.entries.iter().position(|(k, _)| k == key)?;
        self.taken[index] = true;
        Some(std::mem::replace(&mut self.entries[index].1, Node::Null))
    }

    /// A problem with the field `key`, at the code's default severity.
    pub fn error(&mut self, code: Code, key: &str, message: String, hint: &str) {
        self.error_as(code, code.severity(), key, message, hint);
    }

    /// `error` at `severity` rather than the code's default.
    pub fn error_as(
        &mut self,
        code: Code,
        severity: Severity,
        key: &str,
        message: String,
        hint: &str,
    ) {
        let line = self.line_of(key);
        let mut d = Diagnostic::new(code, &self.file, message)
            .with_severity(severity)
            .at(line, 1);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diagnostics.push(d);
    }

    /// A problem at `item`, looked for from `from` (the item's cursor), at
    /// the code's default severity.
    pub fn error_at(&mut self, code: Code, from: Cursor, item: &str, message: String) {
        let (line, column) = self.position_from(from, item);
        self.diagnostics
            .push(Diagnostic::new(code, &self.file, message).at(line, column));
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Node) {
        self.error(
            Code::WrongType,
            key,
            format!("`{key}` should be {expected}, found {}", found.kind_name()),
            "",
        );
    }

    /// A string field; numbers and booleans are accepted as their text.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Node::Null => None,
            other @ (Node::List(_) | Node::Map(_)) => {
                self.wrong_type(key, "a string", &other);
                None
            }
            scalar => scalar.scalar_text().map(|s| s.trim().to_string()),
        }
    }

    pub fn required_string(&mut self, key: &str, hint: &str) -> Option<String> {
        let value = self.string(key);
        match value {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                let line = self.line_of(key);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::MissingField,
                        &self.file,
                        format!("required field `{key}` is missing or empty"),
                    )
                    .at(line, 1)
                    .with_hint(hint.to_string()),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> bool {
        match self.take(key) {
            None | Some(Node::Null) => false,
            Some(Node::Bool(b)) => b,
            Some(other) => {
                self.wrong_type(key, "true or false", &other);
                false
            }
        }
    }

    pub fn date(&mut self, key: &str) -> Option<DateTime> {
        let text = self.string(key)?;
        match DateTime::parse(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(
                    Code::BadDate,
                    key,
                    format!("`{key}`: {message}"),
                    "dates look like 2023-11-15",
                );
                None
            }
        }
    }

    pub fn required_date(&mut self, key: &str) -> Option<DateTime> {
        let present = self
            .entries
            .iter()
            .any(|(k, v)| k == key && *v != Node::Null);
        if !present {
            let line = self.line_of(key);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MissingField,
                    &self.file,
                    format!("required field `{key}` is missing"),
                )
                .at(line, 1)
                .with_hint(format!("add a line `{key}: YYYY-MM-DD`")),
            );
            self.take(key);
            return None;
        }
        self.date(key)
    }

    /// A list field. A single scalar is read as a one-item list, since
    /// `topics: sanctions` is a natural thing to write.
    pub fn list(&mut self, key: &str) -> Vec<Node> {
        match self.take(key) {
            None | Some(Node::Null) => Vec::new(),
            Some(Node::List(items)) => items,
            Some(Node::Map(entries)) => {
                self.wrong_type(key, "a list", &Node::Map(entries));
                Vec::new()
            }
            Some(scalar) => vec![scalar],
        }
    }

    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let items = self.list(key);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.scalar_text() {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Some(_) => {}
                None => self.wrong_type(key, "a list of strings", &item),
            }
        }
        out
    }

    pub fn map(&mut self, key: &str) -> Vec<(String, Node)> {
        match self.take(key) {
            None | Some(Node::Null) => Vec::new(),
            Some(Node::Map(entries)) => entries,
            Some(other) => {
                self.wrong_type(key, "a mapping", &other);
                Vec::new()
            }
        }
    }

    /// Every field nobody took, as JSON for templates, each reported as
    /// unknown with a suggestion from `known`.
    pub fn finish(
        mut self,
        known: &[&str],
    ) -> (serde_json::Map<String, serde_json::Value>, Diagnostics) {
        let mut extra = serde_json::Map::new();
        let entries = std::mem::take(&mut self.entries);
        for ((key, node), taken) in entries.into_iter().zip(self.taken.iter()) {
            if *taken {
                continue;
            }
            let line = self.line_of(&key);
            let mut d = Diagnostic::new(
                Code::UnknownField,
                &self.file,
                format!("unknown field `{key}` (kept and passed to templates as `extra.{key}`)"),
            )
            .at(line, 1);
            if let Some(suggestion) = did_you_mean(&key, known.iter().copied()) {
                d = d.with_hint(format!("did you mean `{suggestion}`?"));
            }
            self.diagnostics.push(d);
            extra.insert(key, node.to_json());
        }
        (extra, self.diagnostics)
    }
}

/// Reads one item of a list that may be a bare string or a mapping.
pub fn item_string(node: &Node, key: &str) -> Option<String> {
    node.get(key)
        .and_then(Node::scalar_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
