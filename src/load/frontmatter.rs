//! Splits a content file into its YAML front matter and its Markdown body,
//! keeping track of line numbers so that every diagnostic points into the file
//! the editor has open, not into a fragment of it.

/// A file split at its front matter fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// A `---` opens the front matter but no line closes it.
    Unterminated,
}

/// Splits `text` at a first line `---` and the next line `---` (a `...`
/// line also closes, as in YAML). A byte-order mark is ignored.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter::new(text, start);
    let Some((_, first)) = lines.next() else {
        return Err(SplitError::Missing);
    };
    if first.trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = lines.offset;
    let mut line_no = 1;
    while let Some((line_start, line)) = lines.next() {
        line_no += 1;
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..line_start],
                yaml_line: 2,
                body: &text[lines.offset..],
                body_line: line_no + 1,
                body_offset: lines.offset,
            });
        }
    }
    Err(SplitError::Unterminated)
}

struct LineIter<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str, offset: usize) -> Self {
        LineIter { text, offset }
    }
}

impl<'a> Iterator for LineIter<'a> {
    /// (byte offset of the line, the line without its newline)
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let start = self.offset;
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.offset += advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }
}

/// The file line of each top-level key in the front matter, in order, so a
/// problem with a field can point at the field.
pub fn key_lines(yaml: &str, yaml_line: usize) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || first == '#' || first == '-' {
            continue;
        }
        let key_end = line.find(':');
        if let Some(end) = key_end {
            let key = line[..end].trim().trim_matches(|c| c == '"' || c == '\'');
            keys.push((key.to_string(), yaml_line + i));
        }
    }
    keys
}

/// A place in the front matter from which list items are looked for, each
/// after the one before: reading a list of n items costs the length of the
/// text, not n times it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Byte offset into the YAML text.
    offset: usize,
    /// 1-based file line and column (in characters) of `offset`.
    line: usize,
    column: usize,
}

impl Cursor {
    /// The start of the YAML text, which begins on file line `yaml_line`.
    pub fn start(yaml_line: usize) -> Cursor {
        Cursor {
            offset: 0,
            line: yaml_line,
            column: 1,
        }
    }

    /// The line of the place the cursor stands at.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Moves to `to` (a byte offset at or after the cursor, on a character
    /// boundary), counting the lines and characters passed.
    fn advance(&mut self, yaml: &str, to: usize) {
        crate::diagnostics::count_lines(&yaml[self.offset..to], &mut self.line, &mut self.column);
        self.offset = to;
    }

    /// The cursor at the start of file line `line` (at or after the cursor).
    pub fn to_line(mut self, yaml: &str, line: usize) -> Cursor {
        while self.line < line {
            match yaml[self.offset..].find('\n') {
                Some(i) => {
                    self.offset += i + 1;
                    self.line += 1;
                    self.column = 1;
                }
                None => break,
            }
        }
        self
    }

    /// The cursor just after the first `:` of its line (past a key), or
    /// where it is when the line has none.
    pub fn past_key(mut self, yaml: &str) -> Cursor {
        let rest = &yaml[self.offset..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        if let Some(colon) = rest[..line_end].find(':') {
            self.advance(yaml, self.offset + colon + 1);
        }
        self
    }
}

/// How far past a cursor an item is looked for: an item further on than
/// this is not the next item of a list.
const SEARCH_WINDOW: usize = 64 * 1024;

/// Finds `needle` at or after `cursor` (within [`SEARCH_WINDOW`] bytes and
/// the `budget` of bytes left to search), returns its line and column and
/// moves the cursor past it. `None` when it is not found, with the cursor
/// unmoved. The budget (a few times the text's length for a whole
/// document) keeps the cost linear even when many items are not found as
/// written (escaped or folded text).
pub fn find_next(
    yaml: &str,
    cursor: &mut Cursor,
    needle: &str,
    budget: &mut usize,
) -> Option<(usize, usize)> {
    if needle.is_empty() || *budget == 0 {
        return None;
    }
    let mut end = (cursor.offset + SEARCH_WINDOW.min(*budget)).min(yaml.len());
    while !yaml.is_char_boundary(end) {
        end -= 1;
    }
    let window = &yaml[cursor.offset..end];
    match window.find(needle) {
        Some(at) => {
            *budget = budget.saturating_sub(at + needle.len());
            cursor.advance(yaml, cursor.offset + at);
            let found = (cursor.line, cursor.column);
            cursor.advance(yaml, cursor.offset + needle.len());
            Some(found)
        }
        None => {
            *budget = budget.saturating_sub(window.len());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let text = "---\ntitle: A\ndate: 2023-01-01\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: A\ndate: 2023-01-01\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn handles_crlf_bom_and_empty_body() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\n").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split("# Hello"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unterminated));
    }

    #[test]
    fn finds_key_lines() {
        let yaml = "title: A\nactors:\n  - B\n# note\nsources: []\n";
        assert_eq!(
            key_lines(yaml, 2),
            vec![
                ("title".to_string(), 2),
                ("actors".to_string(), 3),
                ("sources".to_string(), 6)
            ]
        );
        let mut budget = 1000;
        let mut cursor = Cursor::start(2).to_line(yaml, 3).past_key(yaml);
        assert_eq!(find_next(yaml, &mut cursor, "B", &mut budget), Some((4, 5)));
        assert_eq!(find_next(yaml, &mut cursor, "B", &mut budget), None);
        assert_eq!(cursor.line(), 4);
    }

    #[test]
    fn finds_items_in_a_long_flow_list_in_order() {
        let yaml = format!(
            "aliases: [{}]\n",
            (0..20_000)
                .map(|i| format!("/a/{i}/"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut budget = 4 * yaml.len();
        let mut cursor = Cursor::start(2).past_key(&yaml);
        let mut last = 0;
        for i in 0..20_000 {
            let (line, column) = find_next(&yaml, &mut cursor, &format!("/a/{i}/"), &mut budget)
                .expect("every item is found");
            assert_eq!(line, 2);
            assert!(column > last);
            last = column;
        }
    }
}
