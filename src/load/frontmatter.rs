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
}
