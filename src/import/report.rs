//! What an import did: counts per kind, the files it skipped and why, the
//! drafts it kept as drafts, and the markup it could not convert, each with
//! its file (and line).

use super::{Generator, Options};
use std::fmt;

#[derive(Debug, Clone)]
pub struct Report {
    pub generator: Generator,
    pub src: String,
    pub dest: String,
    pub briefings: usize,
    pub actors: usize,
    pub topics: usize,
    /// Old URLs that redirect to their new pages.
    pub redirects: usize,
    /// Files of the old site that links name, copied to `static/`.
    pub copied: usize,
    /// `(file, why)`.
    pub skipped: Vec<(String, String)>,
    pub drafts: Vec<String>,
    /// `(file, line, markup as written)`.
    pub unconverted: Vec<(String, usize, String)>,
    /// `(file, note)`: what was imported with a change worth knowing.
    pub notes: Vec<(String, String)>,
}

impl Report {
    pub fn new(options: &Options) -> Report {
        Report {
            generator: options.generator,
            src: options.src.display().to_string(),
            dest: options.dest.display().to_string(),
            briefings: 0,
            actors: 0,
            topics: 0,
            redirects: 0,
            copied: 0,
            skipped: Vec::new(),
            drafts: Vec::new(),
            unconverted: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn skip(&mut self, file: &str, why: &str) {
        self.skipped.push((file.to_string(), why.to_string()));
    }

    pub fn draft(&mut self, file: &str) {
        self.drafts.push(file.to_string());
    }

    pub fn unconverted(&mut self, file: &str, line: usize, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.unconverted.push((file.to_string(), line, text));
    }

    pub fn note(&mut self, file: &str, note: &str) {
        self.notes.push((file.to_string(), note.to_string()));
    }

    /// 0 when everything was imported and converted, 1 when files were
    /// skipped or markup kept as it was.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.skipped.is_empty() || !self.unconverted.is_empty())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let generator = match self.generator {
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
        };
        writeln!(
            f,
            "Imported the {generator} site {} into {}:",
            self.src, self.dest
        )?;
        writeln!(
            f,
            "  {} briefings ({} drafts)",
            self.briefings,
            self.drafts.len()
        )?;
        writeln!(f, "  {} actors", self.actors)?;
        writeln!(f, "  {} topics", self.topics)?;
        writeln!(
            f,
            "  {} old URLs redirecting to their new pages",
            self.redirects
        )?;
        writeln!(
            f,
            "  {} images and other files copied to static/",
            self.copied
        )?;
        writeln!(f, "  {} files skipped", self.skipped.len())?;
        writeln!(
            f,
            "  {} shortcodes or tags kept unconverted",
            self.unconverted.len()
        )?;
        if !self.skipped.is_empty() {
            writeln!(f, "\nSkipped:")?;
            for (file, why) in &self.skipped {
                writeln!(f, "  {file}: {why}")?;
            }
        }
        if !self.drafts.is_empty() {
            writeln!(f, "\nDrafts, kept as drafts (built only with --drafts):")?;
            for file in &self.drafts {
                writeln!(f, "  {file}")?;
            }
        }
        if !self.unconverted.is_empty() {
            writeln!(f, "\nKept as visible code, to convert by hand:")?;
            for (file, line, text) in &self.unconverted {
                writeln!(f, "  {file}:{line}: {text}")?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f, "\nNotes:")?;
            for (file, note) in &self.notes {
                writeln!(f, "  {file}: {note}")?;
            }
        }
        if !self.skipped.is_empty() || !self.unconverted.is_empty() {
            writeln!(
                f,
                "\nNext: fix what is listed above, then run `attache check --root {}`.",
                self.dest
            )?;
        } else {
            writeln!(f, "\nNext: attache check --root {}", self.dest)?;
        }
        Ok(())
    }
}
