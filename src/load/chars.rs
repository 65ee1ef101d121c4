//! Characters no output may hold. XML 1.0 forbids the C0 controls but tab,
//! line feed and carriage return, and U+FFFE and U+FFFF: one of them in a
//! title makes `feed.xml` unreadable for every subscriber. HTML counts
//! them, DEL, the C1 controls and the other noncharacters as parse errors.
//! They are dropped from every file as it is read, with a warning, so no
//! later stage sees one.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, line_col};
use std::borrow::Cow;
use std::path::Path;

/// How many of a file's dropped characters are reported one by one; the
/// rest are counted in one last warning.
const REPORTED: usize = 10;

/// Whether `c` may not appear in XML 1.0 or HTML text.
pub fn is_forbidden(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&n)
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// `text` without its forbidden characters, each reported as a
/// `control-character` warning at its line and column in `file`.
pub fn drop_forbidden<'a>(
    text: &'a str,
    file: &Path,
    diagnostics: &mut Diagnostics,
) -> Cow<'a, str> {
    if !text.contains(is_forbidden) {
        return Cow::Borrowed(text);
    }
    let mut kept = String::with_capacity(text.len());
    let mut dropped = 0usize;
    for (offset, c) in text.char_indices() {
        if !is_forbidden(c) {
            kept.push(c);
            continue;
        }
        dropped += 1;
        if dropped <= REPORTED {
            let (line, column) = line_col(text, offset);
            diagnostics.push(
                Diagnostic::new(Code::ControlCharacter,
                    file,
                    format!(
                        "U+{:04X} is a control character or noncharacter that XML and HTML forbid; it is left out",
                        c as u32
                    ),
                )
                .at(line, column)
                .with_hint("delete it (often pasted from another program along with the text)"),
            );
        }
    }
    if dropped > REPORTED {
        diagnostics.push(
            Diagnostic::new(
                Code::ControlCharacter,
                file,
                format!(
                    "{} more control characters or noncharacters are left out",
                    dropped - REPORTED
                ),
            )
            .with_hint("delete them (often pasted from another program along with the text)"),
        );
    }
    Cow::Owned(kept)
}

/// Reports the forbidden characters YAML escapes spelled in `yaml` (the
/// front matter, starting at line `first_line` of `file`), which the YAML
/// boundary left out of the strings: `dropped` of them. Each escape is
/// reported where it is written; should none be found (an escape the scan
/// does not know), one warning names the front matter's first line.
pub fn report_escaped(
    yaml: &str,
    first_line: usize,
    dropped: usize,
    file: &Path,
    diagnostics: &mut Diagnostics,
) {
    if dropped == 0 {
        return;
    }
    let found = forbidden_escapes(yaml);
    for (offset, c) in found.iter().take(REPORTED) {
        let (line, column) = line_col(yaml, *offset);
        diagnostics.push(
            Diagnostic::new(Code::ControlCharacter,
                file,
                format!(
                    "this escape spells U+{:04X}, a control character or noncharacter that XML and HTML forbid; it is left out",
                    *c as u32
                ),
            )
            .at(first_line + line - 1, column)
            .with_hint("delete the escape"),
        );
    }
    let reported = found.len().min(REPORTED);
    if dropped > reported {
        diagnostics.push(
            Diagnostic::new(
                Code::ControlCharacter,
                file,
                format!(
                    "{} more control characters or noncharacters in the front matter are left out",
                    dropped - reported
                ),
            )
            .at(first_line, 1)
            .with_hint("delete the escapes that spell them (\\x01, \\e, \\u0000, ...)"),
        );
    }
}

/// Where a double-quoted YAML escape spells a forbidden character: byte
/// offset of the `\` and the character.
fn forbidden_escapes(yaml: &str) -> Vec<(usize, char)> {
    let bytes = yaml.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 >= bytes.len() {
            i += 1;
            continue;
        }
        let hex = |len: usize| {
            yaml.get(i + 2..i + 2 + len)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
        };
        let (c, len) = match bytes[i + 1] {
            b'0' => (Some('\0'), 2),
            b'a' => (Some('\u{7}'), 2),
            b'b' => (Some('\u{8}'), 2),
            b'e' => (Some('\u{1b}'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'v' => (Some('\u{b}'), 2),
            b'N' => (Some('\u{85}'), 2),
            b'x' => (hex(2), 4),
            b'u' => (hex(4), 6),
            b'U' => (hex(8), 10),
            _ => (None, 2),
        };
        if let Some(c) = c.filter(|&c| is_forbidden(c)) {
            found.push((i, c));
        }
        i += len;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_what_xml_forbids_and_says_where() {
        let mut d = Diagnostics::new();
        let text = "a\u{1}b\n\tc\u{1b}[0m\r\n\u{fffe}é\u{85}";
        let kept = drop_forbidden(text, Path::new("x.md"), &mut d);
        assert_eq!(kept, "ab\n\tc[0m\r\né");
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code.name(), d.line, d.column))
            .collect();
        assert_eq!(
            at,
            [
                ("control-character", 1, 2),
                ("control-character", 2, 3),
                ("control-character", 3, 1),
                ("control-character", 3, 3)
            ]
        );
        assert!(matches!(
            drop_forbidden("plain\ttext\n", Path::new("x.md"), &mut d),
            Cow::Borrowed(_)
        ));
    }
}
