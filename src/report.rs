//! The one reporter: diagnostics as text for people (rustc-style, with the
//! offending line and a caret), for GitHub Actions (workflow commands that
//! annotate a pull request inline) or as JSON for tools.
//!
//! JSON format (stable): one array of objects with the fields `file`
//! (relative to the current directory), `line` and `column` (1-based; 0 when
//! the problem concerns the whole file), `severity` (`error` | `warning`),
//! `code`, `message` and `hint` (a string or null).

use crate::diagnostics::{Diagnostic, Diagnostics, Origin, Severity};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Source snippets with carets; `color` adds ANSI colours.
    Human { color: bool },
    /// `::error file=..,line=..,col=..::message` lines.
    Github,
    /// One JSON array.
    Json,
}

/// Options for one report.
pub struct Report<'a> {
    pub format: Format,
    /// The site root: diagnostics name files relative to it.
    pub root: &'a Path,
    /// At most this many warnings are listed (every error always is).
    pub max_warnings: usize,
}

/// How many warnings `build` and `serve` list in the terminal before summing
/// up; `check` lists all.
pub const WARNINGS_SHOWN_WHILE_BUILDING: usize = 10;

/// Prints the diagnostics for people on standard error, coloured on a
/// terminal unless `NO_COLOR` is set: the one way `build`, `check` and
/// `serve` print to the terminal.
pub fn print_human(diagnostics: Diagnostics, root: &Path, max_warnings: usize) {
    use std::io::IsTerminal;
    let stderr = io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut lock = stderr.lock();
    let report = Report {
        format: Format::Human { color },
        root,
        max_warnings,
    };
    let _ = report.write(diagnostics, &mut lock);
    let _ = lock.flush();
}

/// Writes the diagnostics for tools (`Github` or `Json`) on standard
/// output, every warning listed.
pub fn print_for_tools(diagnostics: Diagnostics, root: &Path, format: Format) {
    let report = Report {
        format,
        root,
        max_warnings: usize::MAX,
    };
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    let _ = report.write(diagnostics, &mut lock);
    let _ = lock.flush();
}

/// The errors as plain text (no colour), warnings only counted in the
/// summary line: what `serve` shows in the browser.
pub fn plain_text(diagnostics: &Diagnostics, root: &Path) -> String {
    let mut out = Vec::new();
    let _ = Report {
        format: Format::Human { color: false },
        root,
        max_warnings: 0,
    }
    .write(diagnostics.clone(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Prints how long each stage took on standard error, when the
/// `ATTACHE_TIMINGS` environment variable is set (`build` and `serve`).
pub fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    if std::env::var_os("ATTACHE_TIMINGS").is_some() {
        for (stage, t) in timings {
            eprintln!("  {stage:<10} {:>8.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
}

impl Report<'_> {
    /// Writes the diagnostics, then (human format) a summary line
    /// `N errors, M warnings in K files`.
    pub fn write(&self, diagnostics: Diagnostics, out: &mut dyn Write) -> io::Result<()> {
        let errors = diagnostics.error_count();
        let warnings = diagnostics.warning_count();
        let sorted = diagnostics.sorted();
        let mut files: Vec<&Origin> = sorted.iter().map(|d| &d.origin).collect();
        files.sort();
        files.dedup();
        let file_count = files.len();
        let mut shown_warnings = 0;
        let shown: Vec<&Diagnostic> = sorted
            .iter()
            .filter(|d| {
                if d.is_error() {
                    return true;
                }
                shown_warnings += 1;
                shown_warnings <= self.max_warnings
            })
            .collect();
        let hidden = warnings.saturating_sub(self.max_warnings);
        match self.format {
            Format::Json => {
                let items: Vec<serde_json::Value> = shown
                    .iter()
                    .map(|d| {
                        serde_json::json!({
                            "file": self.display_path(&d.origin),
                            "line": d.line,
                            "column": d.column,
                            "severity": d.severity.as_str(),
                            "code": d.code.name(),
                            "message": d.message,
                            "hint": d.hint,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &items)?;
                writeln!(out)?;
                return Ok(());
            }
            Format::Github => {
                for d in &shown {
                    writeln!(out, "{}", self.github_line(d))?;
                }
            }
            Format::Human { color } => {
                let mut sources = SourceCache::new(self.root);
                for d in &shown {
                    writeln!(out, "{}", self.human(d, color, &mut sources))?;
                }
            }
        }
        if hidden > 0 {
            writeln!(
                out,
                "... and {hidden} more {}: run `attache check` to see them all",
                plural(hidden, "warning", "warnings")
            )?;
        }
        if !sorted.is_empty() {
            writeln!(
                out,
                "{} {}, {} {} in {} {}",
                errors,
                plural(errors, "error", "errors"),
                warnings,
                plural(warnings, "warning", "warnings"),
                file_count,
                plural(file_count, "file", "files"),
            )?;
        }
        Ok(())
    }

    /// The file as the user can open it from the current directory; for a
    /// problem outside the site's files, what it is in: `--base-url`,
    /// `(built-in) templates/page.html`.
    fn display_path(&self, origin: &Origin) -> String {
        let file = match origin {
            Origin::File(file) => file,
            Origin::Option(flag) => return flag.to_string(),
            Origin::BuiltIn(_) => return origin.to_string(),
        };
        let joined: PathBuf = if self.root == Path::new(".") || file.is_absolute() {
            file.to_path_buf()
        } else {
            self.root.join(file)
        };
        joined
            .to_string_lossy()
            .trim_start_matches("./")
            .replace('\\', "/")
    }

    fn github_line(&self, d: &Diagnostic) -> String {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // GitHub annotates a file of the repository; a problem elsewhere (a
        // command-line option, a built-in template) is an annotation of the
        // run, with what it is in leading its message.
        let mut props = String::new();
        let mut message = String::new();
        if let Origin::File(_) = d.origin {
            props = format!("file={},", escape_property(&self.display_path(&d.origin)));
            if d.line > 0 {
                props.push_str(&format!("line={},col={},", d.line, d.column.max(1)));
            }
        } else {
            message = format!("{}: ", self.display_path(&d.origin));
        }
        props.push_str(&format!(
            "title={}",
            escape_property(&format!("attache {}", d.code))
        ));
        message.push_str(&d.message);
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        format!("::{kind} {props}::{}", escape_data(&message))
    }

    fn human(&self, d: &Diagnostic, color: bool, sources: &mut SourceCache) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.display_path(&d.origin);
        let title = level.primary_title(d.message.as_str()).id(d.code.name());
        let line_text = match d.origin.file() {
            Some(file) if d.line > 0 => sources.line(file, d.line),
            _ => None,
        };
        let mut report: Vec<Group> = Vec::new();
        let location;
        match &line_text {
            Some(text) => {
                let start = text
                    .char_indices()
                    .nth(d.column.saturating_sub(1))
                    .map_or(text.len(), |(i, _)| i);
                let end = token_end(text, start);
                report.push(
                    title.element(
                        Snippet::source(text.as_str())
                            .line_start(d.line)
                            .path(path.as_str())
                            .annotation(AnnotationKind::Primary.span(start..end)),
                    ),
                );
            }
            None => {
                location = if d.line > 0 {
                    format!("{path}:{}:{}", d.line, d.column.max(1))
                } else {
                    path.clone()
                };
                report.push(title.element(Level::NOTE.message(format!("in {location}"))));
            }
        }
        if let Some(hint) = &d.hint {
            report.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report).to_string()
    }
}

/// The end of the token that starts at `start` (a word, or one character),
/// so the caret underlines `Kim Jong Um` rather than one letter.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    if rest.is_empty() {
        return start;
    }
    let trimmed = rest.trim_end();
    let stop = trimmed
        .find([',', ']', '}', '#', '|'])
        .unwrap_or(trimmed.len());
    let end = start + stop.max(rest.chars().next().map_or(1, char::len_utf8));
    end.min(text.len())
}

/// Lines of the files diagnostics point into, read once each.
struct SourceCache<'a> {
    root: &'a Path,
    files: HashMap<PathBuf, Option<Vec<String>>>,
}

impl<'a> SourceCache<'a> {
    fn new(root: &'a Path) -> Self {
        SourceCache {
            root,
            files: HashMap::new(),
        }
    }

    fn line(&mut self, file: &Path, line: usize) -> Option<String> {
        let lines = self.files.entry(file.to_path_buf()).or_insert_with(|| {
            // Read as the stages read it: never through a link out of the
            // site, never a FIFO, never past the text cap.
            let bytes = crate::input::read_in(
                self.root,
                &self.root.join(file),
                crate::input::Scope::Root,
                Some(crate::input::MAX_TEXT_BYTES),
            )
            .ok()?;
            let text = String::from_utf8_lossy(&bytes);
            Some(text.lines().map(|l| truncate(l, 300)).collect())
        });
        lines.as_ref()?.get(line - 1).cloned()
    }
}

/// Very long lines are cut for display (a megabyte line helps nobody).
fn truncate(line: &str, max_chars: usize) -> String {
    match line.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.trim_end_matches('\r').to_string(),
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn sample() -> (tempfile::TempDir, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: A\nactors: [Kim Jong Um]\n---\n",
        )
        .unwrap();
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::new(
                Code::UnknownActor,
                Path::new("content/a.md"),
                "actor 'Kim Jong Um' has no profile",
            )
            .at(3, 10)
            .with_hint("did you mean 'Kim Jong Un'?"),
        );
        d.push(Diagnostic::new(
            Code::NotUtf8,
            Path::new("content/b.md"),
            "file is not valid UTF-8 text",
        ));
        (dir, d)
    }

    fn render(format: Format, d: Diagnostics, root: &Path, max_warnings: usize) -> String {
        let mut out = Vec::new();
        Report {
            format,
            root,
            max_warnings,
        }
        .write(d, &mut out)
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_shows_the_line_and_a_caret_and_a_summary() {
        let (dir, d) = sample();
        let text = render(Format::Human { color: false }, d, dir.path(), usize::MAX);
        assert!(
            text.contains("warning[unknown-actor]: actor 'Kim Jong Um' has no profile"),
            "{text}"
        );
        assert!(text.contains("content/a.md:3:10"), "{text}");
        assert!(text.contains("actors: [Kim Jong Um]"), "{text}");
        assert!(text.contains("^^^^^^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean 'Kim Jong Un'?"), "{text}");
        assert!(text.contains("error[not-utf8]"));
        assert!(!text.contains('\u{1b}'), "no colour unless asked");
        assert!(text.ends_with("1 error, 1 warning in 2 files\n"), "{text}");
    }

    #[test]
    fn github_lines_are_workflow_commands() {
        let (dir, d) = sample();
        let text = render(Format::Github, d, Path::new("."), usize::MAX);
        let _ = dir;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=content/a.md,line=3,col=10,title=attache unknown-actor::actor 'Kim Jong Um' has no profile%0Ahint: did you mean 'Kim Jong Un'?"
        );
        assert_eq!(
            lines[1],
            "::error file=content/b.md,title=attache not-utf8::file is not valid UTF-8 text"
        );
    }

    #[test]
    fn json_is_one_array_with_stable_fields() {
        let (dir, d) = sample();
        let text = render(Format::Json, d, Path::new("site"), usize::MAX);
        let _ = dir;
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["file"], "site/content/a.md");
        assert_eq!(items[0]["line"], 3);
        assert_eq!(items[0]["column"], 10);
        assert_eq!(items[0]["severity"], "warning");
        assert_eq!(items[0]["code"], "unknown-actor");
        assert_eq!(items[0]["hint"], "did you mean 'Kim Jong Un'?");
        assert_eq!(items[1]["hint"], serde_json::Value::Null);
    }

    #[test]
    fn limited_report_keeps_every_error() {
        let mut d = Diagnostics::new();
        for i in 0..5 {
            d.push(
                Diagnostic::new(Code::UnknownField, Path::new("a.md"), format!("w{i}"))
                    .at(i + 1, 1),
            );
        }
        d.push(Diagnostic::new(Code::Yaml, Path::new("z.md"), "bad"));
        let text = render(Format::Github, d, Path::new("."), 2);
        assert_eq!(text.matches("::warning").count(), 2);
        assert!(text.contains("::error file=z.md"));
        assert!(text.contains("... and 3 more warnings"));
        assert!(text.ends_with("1 error, 5 warnings in 2 files\n"));
    }

    #[test]
    fn problems_outside_site_files_name_what_they_are_in() {
        let origins = || {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::from(
                    Code::BadUrl,
                    Origin::Option("--base-url"),
                    "'x' is not an absolute URL",
                )
                .with_severity(Severity::Error),
            );
            d.push(
                Diagnostic::from(
                    Code::Template,
                    Origin::BuiltIn(PathBuf::from("templates/page.html")),
                    "template: bad",
                )
                .at(3, 4),
            );
            d
        };
        let root = Path::new("site");
        let human = render(Format::Human { color: false }, origins(), root, 10);
        assert!(human.contains("in --base-url"), "{human}");
        assert!(human.contains("(built-in) templates/page.html"), "{human}");
        assert!(!human.contains("site/"), "no site folder in front: {human}");
        let github = render(Format::Github, origins(), root, 10);
        assert_eq!(
            github.lines().take(2).collect::<Vec<_>>(),
            [
                "::error title=attache template::(built-in) templates/page.html: template: bad",
                "::error title=attache bad-url::--base-url: 'x' is not an absolute URL",
            ],
            "GitHub cannot annotate a file that is not in the repository"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, origins(), root, 10)).unwrap();
        assert_eq!(json[0]["file"], "(built-in) templates/page.html");
        assert_eq!(json[0]["line"], 3);
        assert_eq!(json[1]["file"], "--base-url");
        assert_eq!(json[1]["code"], "bad-url");
        assert_eq!(json[1]["severity"], "error");
    }
}
