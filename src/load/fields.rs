//! Reading typed fields out of a front-matter mapping.
//!
//! A [`Fields`] walks one document's top-level mapping. Each accessor takes
//! the field it reads, converts it, and on a wrong value records a diagnostic
//! pointing at the value (or, for a field that is missing or unknown, at the
//! key) instead of failing; whatever is left at the end is kept as `extra`
//! and reported as unknown. Every position comes from the YAML node itself.

use super::yaml::{Entry, Node, Pos, Value};
use crate::dates::DateTime;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::suggest::did_you_mean;
use std::path::{Path, PathBuf};

pub struct Fields {
    file: PathBuf,
    /// The first line of the YAML: where a missing field is reported.
    start: Pos,
    entries: Vec<Entry>,
    taken: Vec<bool>,
    pub diagnostics: Diagnostics,
}

impl Fields {
    /// `root` must be a mapping (or empty); anything else is reported and
    /// read as an empty mapping. The YAML starts on file line `first_line`.
    pub fn new(file: &Path, first_line: usize, root: Node) -> Self {
        let mut diagnostics = Diagnostics::new();
        let entries = match root.value {
            Value::Map(entries) => entries,
            Value::Null => Vec::new(),
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
                    .at(root.at.line, root.at.column)
                    .with_hint("write one `field: value` per line, e.g. `title: My briefing`"),
                );
                Vec::new()
            }
        };
        let taken = vec![false; entries.len()];
        Fields {
            file: file.to_path_buf(),
            start: Pos {
                line: first_line,
                column: 1,
            },
            entries,
            taken,
            diagnostics,
        }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Where the top-level key `key` is written, or the first line of the
    /// YAML when there is no such key.
    pub fn key_at(&self, key: &str) -> Pos {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map_or(self.start, |e| e.key_at)
    }

    pub fn diagnostic_at(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// The raw value of `key`, for fields with a shape of their own.
    pub fn take_node(&mut self, key: &str) -> Option<Node> {
        self.take(key)
    }

    fn take(&mut self, key: &str) -> Option<Node> {
        let index = self.entries.iter().position(|e| e.key == key)?;
        self.taken[index] = true;
        let value = &mut self.entries[index].value;
        let at = value.at;
        Some(std::mem::replace(
            value,
            Node {
                value: Value::Null,
                at,
            },
        ))
    }

    /// A problem at `at` (a value's position), at the code's default
    /// severity.
    pub fn error_at(&mut self, code: Code, at: Pos, message: String, hint: &str) {
        self.error_as(code, code.severity(), at, message, hint);
    }

    /// `error_at` at `severity` rather than the code's default.
    pub fn error_as(
        &mut self,
        code: Code,
        severity: Severity,
        at: Pos,
        message: String,
        hint: &str,
    ) {
        let mut d = Diagnostic::new(code, &self.file, message)
            .with_severity(severity)
            .at(at.line, at.column);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Node) {
        self.error_at(
            Code::WrongType,
            found.at,
            format!("`{key}` should be {expected}, found {}", found.kind_name()),
            "",
        );
    }

    /// A string field and where its value is written; numbers and booleans
    /// are accepted as their text.
    pub fn string_at(&mut self, key: &str) -> Option<(String, Pos)> {
        let node = self.take(key)?;
        match node.value {
            Value::Null => None,
            Value::List(_) | Value::Map(_) => {
                self.wrong_type(key, "a string", &node);
                None
            }
            scalar => scalar
                .scalar_text()
                .map(|s| (s.trim().to_string(), node.at)),
        }
    }

    /// `string_at` without the position.
    pub fn string(&mut self, key: &str) -> Option<String> {
        self.string_at(key).map(|(text, _)| text)
    }

    pub fn required_string(&mut self, key: &str, hint: &str) -> Option<String> {
        let value = self.string(key);
        match value {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                let at = self.key_at(key);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::MissingField,
                        &self.file,
                        format!("required field `{key}` is missing or empty"),
                    )
                    .at(at.line, at.column)
                    .with_hint(hint.to_string()),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> bool {
        let Some(node) = self.take(key) else {
            return false;
        };
        match node.value {
            Value::Null => false,
            Value::Bool(b) => b,
            _ => {
                self.wrong_type(key, "true or false", &node);
                false
            }
        }
    }

    pub fn date(&mut self, key: &str) -> Option<DateTime> {
        let (text, at) = self.string_at(key)?;
        match DateTime::parse(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error_at(
                    Code::BadDate,
                    at,
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
            .any(|e| e.key == key && !e.value.is_null());
        if !present {
            let at = self.key_at(key);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MissingField,
                    &self.file,
                    format!("required field `{key}` is missing"),
                )
                .at(at.line, at.column)
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
        let Some(node) = self.take(key) else {
            return Vec::new();
        };
        match node.value {
            Value::Null => Vec::new(),
            Value::List(items) => items,
            Value::Map(_) => {
                self.wrong_type(key, "a list", &node);
                Vec::new()
            }
            _ => vec![node],
        }
    }

    /// A list of strings, each with where it is written; an item that is
    /// a list or a mapping is reported at the item.
    pub fn strings(&mut self, key: &str) -> Vec<(String, Pos)> {
        let items = self.list(key);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.scalar_text() {
                Some(s) if !s.trim().is_empty() => out.push((s.trim().to_string(), item.at)),
                Some(_) => {}
                None => self.wrong_type(key, "a list of strings", &item),
            }
        }
        out
    }

    pub fn map(&mut self, key: &str) -> Vec<Entry> {
        let Some(node) = self.take(key) else {
            return Vec::new();
        };
        match node.value {
            Value::Null => Vec::new(),
            Value::Map(entries) => entries,
            _ => {
                self.wrong_type(key, "a mapping", &node);
                Vec::new()
            }
        }
    }

    /// Every field nobody took, as JSON for templates, each reported as
    /// unknown at its key with a suggestion from `known`.
    pub fn finish(
        mut self,
        known: &[&str],
    ) -> (serde_json::Map<String, serde_json::Value>, Diagnostics) {
        let mut extra = serde_json::Map::new();
        let entries = std::mem::take(&mut self.entries);
        for (entry, taken) in entries.into_iter().zip(self.taken.iter()) {
            if *taken {
                continue;
            }
            let key = entry.key;
            let mut d = Diagnostic::new(
                Code::UnknownField,
                &self.file,
                format!("unknown field `{key}` (kept and passed to templates as `extra.{key}`)"),
            )
            .at(entry.key_at.line, entry.key_at.column);
            if let Some(suggestion) = did_you_mean(&key, known.iter().copied()) {
                d = d.with_hint(format!("did you mean `{suggestion}`?"));
            }
            self.diagnostics.push(d);
            extra.insert(key, entry.value.to_json());
        }
        (extra, self.diagnostics)
    }
}

/// The text of `key` in a list item that is a mapping, and where the
/// value is written; `None` when it is missing or empty.
pub fn item_text(node: &Node, key: &str) -> Option<(String, Pos)> {
    let value = node.get(key)?;
    let text = value.scalar_text()?.trim().to_string();
    (!text.is_empty()).then_some((text, value.at))
}

/// `item_text` without the position.
pub fn item_string(node: &Node, key: &str) -> Option<String> {
    item_text(node, key).map(|(text, _)| text)
}
