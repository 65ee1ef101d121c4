//! Every diagnostic code attache reports, with the rules that go with it.
//!
//! A code is a variant of [`Code`], never a string: its kebab-case name (the
//! one editors see and tools match on), its default severity, whether strict
//! mode makes it an error and whether `build` softens it to a warning all
//! live in the one table below, so a typo is a compile error rather than a
//! silent change of the severity rules. README's table of codes is checked
//! against [`Code::ALL`] by `tests/codes.rs`.

use super::Severity;

/// What `strict` and `build` do to a code, beyond its default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Reported at its default severity by every command.
    Plain,
    /// A warning that strict mode (`--strict` or `strict: true`) turns into
    /// an error.
    Strict,
    /// An error in `check` that `build` reports as a warning (SPEC section
    /// 3): a site with it can still be written.
    SoftInBuild,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $rule:ident;)*) => {
        /// One kind of problem attache reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name, as printed in every report format.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The severity a diagnostic with this code has unless its maker
            /// says otherwise (`Diagnostic::with_severity`).
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            fn rule(self) -> Rule {
                match self {
                    $(Code::$variant => Rule::$rule,)*
                }
            }
        }
    };
}

codes! {
    // Reading files.
    /// A file could not be read (the system's message says why).
    Io = "io", Error, Plain;
    /// A text file is not UTF-8.
    NotUtf8 = "not-utf8", Error, Plain;
    /// A text file is larger than attache reads.
    FileTooLarge = "file-too-large", Error, Plain;
    /// A FIFO, device or folder where a file was expected.
    NotAFile = "not-a-file", Error, Plain;
    /// A symlink that leads out of the site's input folders (skipped).
    SymlinkOutsideRoot = "symlink-outside-root", Warning, Plain;
    /// A symlink that leads back to a folder containing it (not followed).
    SymlinkLoop = "symlink-loop", Warning, Plain;
    /// A control character in a text file (dropped).
    ControlCharacter = "control-character", Warning, Plain;
    /// A file in a folder attache does not read.
    UnplacedFile = "unplaced-file", Warning, Plain;

    // Front matter and YAML.
    /// YAML that does not parse.
    Yaml = "yaml", Error, Plain;
    /// Front matter missing or not closed.
    FrontMatter = "front-matter", Error, Plain;
    /// Front matter that is not a mapping of keys to values.
    FrontMatterNotMapping = "front-matter-not-mapping", Error, Plain;
    /// An `aliases:` entry that is not a plain root-relative path.
    BadAlias = "bad-alias", Error, Plain;
    /// More actors, topics or events in one briefing than attache accepts.
    TooMany = "too-many", Error, Plain;
    /// A required field is missing or empty.
    MissingField = "missing-field", Error, Plain;
    /// A field has the wrong kind of value.
    WrongType = "wrong-type", Error, Plain;
    /// A field attache does not know.
    UnknownField = "unknown-field", Warning, Strict;
    /// A date that is not a real calendar date.
    BadDate = "bad-date", Error, Plain;
    /// A URL that does not parse or is not http(s).
    BadUrl = "bad-url", Warning, Strict;
    /// An event with no `what`, or no `date`.
    BadEvent = "bad-event", Error, Plain;
    /// A role in a profile with no `title`.
    BadRole = "bad-role", Error, Plain;
    /// An actor `kind:` that is not one attache knows.
    BadKind = "bad-kind", Error, Plain;
    /// A `slug:` with no letters or digits: an empty URL segment.
    BadSlug = "bad-slug", Error, Plain;
    /// An item of `sources:` that is neither a URL nor a mapping.
    BadSource = "bad-source", Error, Plain;
    /// An item of `actors:` with no name.
    BadActor = "bad-actor", Error, Plain;
    /// A correction without both `date` and `note`.
    BadCorrection = "bad-correction", Error, Plain;
    /// A source with none of title, publisher and url.
    EmptySource = "empty-source", Error, Plain;
    /// Two sources of one briefing with the same id.
    DuplicateSourceId = "duplicate-source-id", Error, Plain;

    // Names, links and citations.
    /// A briefing names an actor with no profile.
    UnknownActor = "unknown-actor", Warning, Strict;
    /// A briefing names a topic with no page.
    UnknownTopic = "unknown-topic", Warning, Strict;
    /// An actor listed twice in one briefing.
    DuplicateActor = "duplicate-actor", Warning, Plain;
    /// Two profiles with the same slug (file name).
    NameCollision = "name-collision", Error, Plain;
    /// A name that namesakes share, where one profile must be meant.
    AmbiguousName = "ambiguous-name", Error, Plain;
    /// Two pages with the same URL.
    DuplicateUrl = "duplicate-url", Error, Plain;
    /// A slug attache keeps for its own pages.
    ReservedSlug = "reserved-slug", Error, Plain;
    /// A slug Windows cannot use as a file name.
    WindowsReserved = "windows-reserved", Warning, Plain;
    /// A `[[wiki link]]` to nothing.
    UnresolvedLink = "unresolved-link", Error, SoftInBuild;
    /// A `[^id]` citation of no source.
    UnknownCitation = "unknown-citation", Error, SoftInBuild;
    /// A source no paragraph cites.
    UncitedSource = "uncited-source", Warning, Plain;
    /// A relative link in the output to a page that does not exist.
    BrokenLink = "broken-link", Error, SoftInBuild;

    // Figures and images.
    /// An image or figure with no alt text (and not `decorative: true`).
    MissingAlt = "missing-alt", Warning, Strict;
    /// An image path that names no image file of the site.
    MissingImage = "missing-image", Error, Plain;
    /// An image file that cannot be read, is truncated or of a kind
    /// attache does not publish.
    BadImage = "bad-image", Error, Plain;
    /// An original image larger than `figures.max_bytes`.
    LargeImage = "large-image", Warning, Plain;
    /// An image with GPS coordinates in its metadata (stripped from the
    /// published files).
    ImageGps = "image-gps", Warning, Plain;
    /// A figure without a credit on a site with `figures.require_credit`.
    MissingCredit = "missing-credit", Error, Plain;
    /// A `figures:` entry or `image:` that is not a path or a mapping with
    /// `src`.
    BadFigure = "bad-figure", Error, Plain;

    // Rendering and output.
    /// A template that does not parse or fails to render.
    Template = "template", Error, Plain;
    /// A code block too large to highlight (shown plain).
    HighlightLimit = "highlight-limit", Warning, Plain;
    /// Raw HTML nested deeper than attache follows (shown as text).
    RawHtmlTooDeep = "raw-html-too-deep", Warning, Plain;
    /// Two outputs that want the same file.
    OutputConflict = "output-conflict", Error, Plain;

    // Settings and history.
    /// A setting in attache.yaml that is not valid.
    BadConfig = "bad-config", Error, Plain;
    /// A `theme:` with no such theme.
    UnknownTheme = "unknown-theme", Error, Plain;
    /// git history could not be read (dates fall back).
    Git = "git", Warning, Plain;
    /// A shallow clone: git history is incomplete.
    GitShallow = "git-shallow", Warning, Plain;
}

impl Code {
    /// Whether strict mode reports this code as an error.
    pub fn strict_error(self) -> bool {
        self.rule() == Rule::Strict
    }

    /// Whether `build` reports this code as a warning.
    pub fn build_warning(self) -> bool {
        self.rule() == Rule::SoftInBuild
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn strict_hardens_warnings_and_build_softens_errors() {
        for &code in Code::ALL {
            if code.strict_error() {
                assert_eq!(code.severity(), Severity::Warning, "{code}");
            }
            if code.build_warning() {
                assert_eq!(code.severity(), Severity::Error, "{code}");
            }
        }
        let strict: Vec<_> = Code::ALL.iter().filter(|c| c.strict_error()).collect();
        assert_eq!(
            strict,
            [
                &Code::UnknownField,
                &Code::BadUrl,
                &Code::UnknownActor,
                &Code::UnknownTopic,
                &Code::MissingAlt
            ]
        );
        let soft: Vec<_> = Code::ALL.iter().filter(|c| c.build_warning()).collect();
        assert_eq!(
            soft,
            [
                &Code::UnresolvedLink,
                &Code::UnknownCitation,
                &Code::BrokenLink
            ]
        );
    }
}
