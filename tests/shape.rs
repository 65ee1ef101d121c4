//! The shape of the code itself: no long function without a reason given.
//!
//! Every function in `src/` (free functions, methods, trait methods with a
//! body, nested functions, unit tests) counts from its `fn` line to its
//! closing brace. One over `MAX_LINES` must say why just above itself: a
//! comment line (`//` or `///`) among those directly above the `fn` (its
//! doc comment and attributes) that holds the marker `Long because`, e.g.
//! `// Long because: one arm per page kind; splitting it hides the list.`

use proc_macro2::Span;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

mod common;

/// The most lines a function may have without a `Long because` comment.
const MAX_LINES: usize = 100;
const MARKER: &str = "Long because";

/// Long functions in code being reworked elsewhere at the moment, by file
/// and name. Each must still be long: once it is split, its entry goes.
const PENDING: &[(&str, &str)] = &[];

struct Function {
    file: PathBuf,
    name: String,
    /// 1-based line of the `fn` keyword.
    line: usize,
    lines: usize,
    justified: bool,
}

struct Finder<'a> {
    file: &'a Path,
    source: Vec<&'a str>,
    found: Vec<Function>,
}

impl Finder<'_> {
    fn add(&mut self, name: &syn::Ident, fn_token: Span, block: &syn::Block) {
        let line = fn_token.start().line;
        let end = block.brace_token.span.close().end().line;
        self.found.push(Function {
            file: self.file.to_path_buf(),
            name: name.to_string(),
            line,
            lines: end + 1 - line,
            justified: self.justified(line),
        });
    }

    /// Whether a comment directly above line `line` (through its doc
    /// comment and attributes, up to the first other line) holds `MARKER`.
    fn justified(&self, line: usize) -> bool {
        self.source[..line - 1]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("//") || l.starts_with("#["))
            .any(|l| l.starts_with("//") && l.contains(MARKER))
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add(&f.sig.ident, f.sig.fn_token.span, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.add(&f.sig.ident, f.sig.fn_token.span, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.add(&f.sig.ident, f.sig.fn_token.span, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// Every function of every `.rs` file under `src/`.
fn functions() -> Vec<Function> {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(common::repo().join("src")).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let file =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: not Rust: {e}", path.display()));
        let mut finder = Finder {
            file: path.strip_prefix(common::repo()).unwrap(),
            source: text.lines().collect(),
            found: Vec::new(),
        };
        finder.visit_file(&file);
        all.extend(finder.found);
    }
    all
}

#[test]
fn no_function_in_src_is_over_100_lines_without_saying_why() {
    let all = functions();
    // The scan must see the code, or it passes for nothing.
    assert!(
        all.len() > 500,
        "found only {} functions in src/",
        all.len()
    );
    assert!(
        all.iter().any(|f| f.name == "render" && f.lines > 10),
        "the scan did not measure a known function"
    );
    let pending = |f: &Function| {
        PENDING
            .iter()
            .any(|(file, name)| f.file == Path::new(file) && f.name == *name)
    };
    for (file, name) in PENDING {
        assert!(
            all.iter()
                .any(|f| f.file == Path::new(file) && f.name == *name && f.lines > MAX_LINES),
            "{file}: fn {name} is no longer over {MAX_LINES} lines; take it out of PENDING"
        );
    }
    let mut long: Vec<String> = all
        .iter()
        .filter(|f| f.lines > MAX_LINES && !f.justified && !pending(f))
        .map(|f| {
            format!(
                "{}:{}: fn {} is {} lines",
                f.file.display(),
                f.line,
                f.name,
                f.lines
            )
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "functions over {MAX_LINES} lines; split them, or say why above the `fn` \
         with a comment holding \"{MARKER}\":\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_scan_measures_from_fn_to_closing_brace_and_reads_the_marker() {
    let text = "// Long because: a test.\n#[inline]\nfn a() {\n    let x = 1;\n}\n\nfn b() {}\n";
    let file = syn::parse_file(text).unwrap();
    let mut finder = Finder {
        file: Path::new("x.rs"),
        source: text.lines().collect(),
        found: Vec::new(),
    };
    finder.visit_file(&file);
    let got: Vec<(&str, usize, usize, bool)> = finder
        .found
        .iter()
        .map(|f| (f.name.as_str(), f.line, f.lines, f.justified))
        .collect();
    assert_eq!(got, [("a", 3, 3, true), ("b", 7, 1, false)]);
}

/// `main.rs` parses the command line, calls `site`, prints through
/// `report` and picks the exit code: which stages a command runs is
/// `site`'s to say, so it names no stage.
#[test]
fn main_leaves_the_stages_to_site() {
    let main = std::fs::read_to_string(common::repo().join("src/main.rs")).unwrap();
    for stage in [
        "attache::load",
        "attache::resolve",
        "attache::render",
        "site::check(",
        "site::render_site",
        "Highlighter",
    ] {
        assert!(!main.contains(stage), "src/main.rs uses {stage}");
    }
    for command in ["site::run_check(", "site::build(", "serve::serve("] {
        assert!(
            main.contains(command),
            "src/main.rs no longer calls {command}"
        );
    }
}
