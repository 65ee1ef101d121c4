//! Diagnostics as values.
//!
//! Every stage reports problems by pushing a [`Diagnostic`] instead of failing
//! early, so one run can tell an editor about every mistake at once. One
//! reporter (`crate::report`) turns them into text; the stages never print.

use std::fmt;
use std::path::{Path, PathBuf};

mod code;
pub use code::Code;

/// How bad a problem is. Errors stop `build` from writing; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a problem is: a file of the site, or something that is not one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    // In the order reports list them: what is not a site file first.
    /// A file attache carries inside itself, such as `templates/page.html`
    /// of the built-in theme: the editor cannot open it, but can override it.
    BuiltIn(PathBuf),
    /// A command-line option, such as `--base-url`.
    Option(&'static str),
    /// A file of the site, relative to its root.
    File(PathBuf),
}

impl Origin {
    /// The site file, when the problem is in one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Origin::File(path) => Some(path),
            Origin::Option(_) | Origin::BuiltIn(_) => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Option(flag) => write!(f, "command line {flag}"),
            Origin::BuiltIn(path) => write!(f, "(built-in) {}", path.display()),
        }
    }
}

/// One problem in one place. `line` and `column` are 1-based; 0 means "the
/// whole file" (for example a file that is not UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub origin: Origin,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// What kind of problem; its name, such as `unknown-actor`, is what the
    /// reports print.
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem in `file` (relative to the site root), at the code's
    /// default severity.
    pub fn new(code: Code, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic::from(code, Origin::File(file.to_path_buf()), message)
    }

    /// A problem somewhere that is not a site file, at the code's default
    /// severity.
    pub fn from(code: Code, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            origin,
            line: 0,
            column: 0,
            severity: code.severity(),
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Overrides the code's default severity, for the few places where one
    /// kind of problem is worse (or milder) than usual: say why where it is
    /// used. Strict mode and `build` still apply their rules afterwards.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(
            f,
            ": {}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The order of `Diagnostics::sorted`.
fn reading_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (
        &a.origin,
        a.line,
        a.column,
        a.severity,
        a.code.name(),
        &a.message,
    )
        .cmp(&(
            &b.origin,
            b.line,
            b.column,
            b.severity,
            b.code.name(),
            &b.message,
        ))
}

/// Diagnostics gathered by one run, kept in a stable order for reporting.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, position, then severity: the order a reader scans in,
    /// and the same whatever order the parallel stages finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.sort();
        self.items.dedup();
        self.items
    }

    /// Puts the diagnostics in the order of `sorted` (keeping repeats): a
    /// sorted list is sorted again in one pass.
    pub fn sort(&mut self) {
        self.items.sort_by(reading_order);
    }

    /// Adds `diagnostic` where `sort` would put it, the list being sorted.
    pub fn insert_sorted(&mut self, diagnostic: Diagnostic) {
        let at = self
            .items
            .partition_point(|d| reading_order(d, &diagnostic) != std::cmp::Ordering::Greater);
        self.items.insert(at, diagnostic);
    }

    /// Takes one diagnostic equal to `diagnostic` out of the list, which
    /// is sorted (`sort`); returns whether there was one.
    pub fn remove_sorted(&mut self, diagnostic: &Diagnostic) -> bool {
        let from = self
            .items
            .partition_point(|d| reading_order(d, diagnostic) == std::cmp::Ordering::Less);
        let found = self.items[from..]
            .iter()
            .take_while(|d| reading_order(d, diagnostic) == std::cmp::Ordering::Equal)
            .position(|d| d == diagnostic);
        if let Some(i) = found {
            self.items.remove(from + i);
        }
        found.is_some()
    }

    /// Takes the first diagnostic equal to `diagnostic` out of the list
    /// (in any order); returns whether there was one.
    pub fn remove(&mut self, diagnostic: &Diagnostic) -> bool {
        // The position and message first: comparing paths is slow, and the
        // list may hold every warning of a large site.
        let same = |d: &Diagnostic| {
            (d.line, d.column, &d.message)
                == (diagnostic.line, diagnostic.column, &diagnostic.message)
                && d == diagnostic
        };
        match self.items.iter().position(same) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Converts a byte offset in `text` to a 1-based line and column (in
/// characters), the way editors count.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// `line_col` for many offsets of one text: each is counted from the one
/// before when it lies after it, so offsets in increasing order cost the
/// length of the text in all, not once each.
pub struct LineCols<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> LineCols<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCols {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The 1-based line and column (in characters) of `offset`.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.offset {
            *self = LineCols::new(self.text);
        }
        count_lines(
            &self.text[self.offset..offset],
            &mut self.line,
            &mut self.column,
        );
        self.offset = offset;
        (self.line, self.column)
    }
}

/// Moves a 1-based line and column (in characters) over `passed`.
pub fn count_lines(passed: &str, line: &mut usize, column: &mut usize) {
    for c in passed.chars() {
        if c == '\n' {
            *line += 1;
            *column = 1;
        } else {
            *column += 1;
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sorted list stays in `sorted`'s order as diagnostics are taken
    /// out and put in, repeats included: what `serve` keeps between
    /// patched runs.
    #[test]
    fn sorted_lists_take_and_insert_in_reading_order() {
        let at = |file: &str, line: usize, message: &str| {
            Diagnostic::new(Code::UnknownActor, Path::new(file), message).at(line, 1)
        };
        let mut list = Diagnostics::new();
        for d in [
            at("b.md", 3, "x"),
            at("a.md", 9, "y"),
            at("b.md", 1, "x"),
            at("a.md", 9, "y"),
        ] {
            list.push(d);
        }
        list.sort();
        assert!(list.remove_sorted(&at("a.md", 9, "y")));
        assert!(!list.remove_sorted(&at("a.md", 9, "z")));
        list.insert_sorted(at("b.md", 2, "x"));
        list.insert_sorted(at("a.md", 1, "w"));
        let mut expected = Diagnostics::new();
        for d in [
            at("a.md", 1, "w"),
            at("a.md", 9, "y"),
            at("b.md", 1, "x"),
            at("b.md", 2, "x"),
            at("b.md", 3, "x"),
        ] {
            expected.push(d);
        }
        let shown =
            |d: Diagnostics| -> Vec<String> { d.into_iter().map(|d| format!("{d:?}")).collect() };
        assert_eq!(shown(list.clone()), shown(expected.clone()));
        // Sorting again changes nothing.
        let mut again = list.clone();
        again.sort();
        assert_eq!(shown(again), shown(expected));
    }

    /// `remove` takes out the first equal diagnostic, in a list in any
    /// order, and nothing that differs in file, place or words.
    #[test]
    fn an_unsorted_list_gives_up_one_equal_diagnostic() {
        let at = |file: &str, line: usize, message: &str| {
            Diagnostic::new(Code::UnknownActor, Path::new(file), message).at(line, 1)
        };
        let mut list = Diagnostics::new();
        for d in [at("b.md", 3, "x"), at("a.md", 3, "x"), at("b.md", 3, "x")] {
            list.push(d);
        }
        assert!(!list.remove(&at("c.md", 3, "x")));
        assert!(!list.remove(&at("b.md", 4, "x")));
        assert!(!list.remove(&at("b.md", 3, "y")));
        assert!(list.remove(&at("b.md", 3, "x")));
        let left: Vec<String> = list.iter().map(|d| format!("{d:?}")).collect();
        let expected = [at("a.md", 3, "x"), at("b.md", 3, "x")].map(|d| format!("{d:?}"));
        assert_eq!(left, expected);
    }

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, 7), (3, 1));
        let mut cols = LineCols::new(text);
        for offset in [0, 3, 5, 7, 4, 8, 100] {
            assert_eq!(cols.at(offset), line_col(text, offset), "{offset}");
        }
    }
}
