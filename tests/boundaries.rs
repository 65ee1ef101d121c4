//! The module boundaries ARCHITECTURE.md describes, checked on the code:
//! which modules may name which crates, and which stages may name which
//! others. Paths are read with syn (in `use` items, types and
//! expressions), outside `#[cfg(test)]` items.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Crates that sit behind one module each: no other file names them.
const CRATE_OWNERS: &[(&str, &[&str])] = &[
    ("tera", &["src/render/templates.rs"]),
    ("pulldown_cmark", &["src/markdown/"]),
    ("syntect", &["src/markdown/highlight.rs"]),
    ("two_face", &["src/markdown/highlight.rs"]),
    ("ammonia", &["src/markdown/sanitize.rs"]),
    ("quick_xml", &["src/render/xml.rs"]),
    ("hyper", &["src/serve/http.rs"]),
    ("hyper_util", &["src/serve/http.rs"]),
    ("http_body_util", &["src/serve/http.rs"]),
    ("mime_guess", &["src/serve/http.rs"]),
    ("tokio", &["src/serve/"]),
    ("notify", &["src/serve/mod.rs"]),
    ("serde_yaml", &["src/load/yaml.rs"]),
    ("libyaml_safer", &["src/load/yaml.rs"]),
    ("rustix", &["src/input.rs", "src/write.rs"]),
    ("image", &["src/media/"]),
    ("fast_image_resize", &["src/media/"]),
    ("webp", &["src/media/"]),
    ("jpeg_encoder", &["src/media/"]),
    ("exif", &["src/media/"]),
];

/// The stages, in pipeline order, and the modules that run them.
const STAGES: &[&str] = &["load", "resolve", "render", "write"];
const RUNNERS: &[&str] = &["site", "serve", "scaffold", "import"];

/// What a later stage may name of `load`: the documents it hands on.
const LOAD_DATA: &[&str] = &["document", "git", "Content"];

/// The stage (or runner) a file belongs to, by its module; `None` for the
/// shared modules below the stages (diagnostics, paths, routes, input,
/// markdown and the like), which may name no stage at all.
fn stage_of(file: &str) -> Option<&'static str> {
    let module = file
        .trim_start_matches("src/")
        .split(['/', '.'])
        .next()
        .unwrap_or("");
    match module {
        // Read with load's YAML and field readers: part of stage 1.
        "config" => Some("load"),
        "main" | "lib" => Some("main"),
        m => STAGES.iter().chain(RUNNERS).find(|s| **s == m).copied(),
    }
}

/// Why `file` may not name `crate::<module>::<item>`, if it may not.
fn forbidden(file: &str, module: &str, item: Option<&str>) -> Option<String> {
    let target = STAGES.iter().chain(RUNNERS).find(|s| **s == module)?;
    let Some(own) = stage_of(file) else {
        return Some(format!("a shared module names the stage `{target}`"));
    };
    if own == "main" || RUNNERS.contains(&own) || own == *target {
        return None;
    }
    if RUNNERS.contains(target) {
        return Some(format!("the stage `{own}` names `{target}`, which runs it"));
    }
    let at = |s: &str| STAGES.iter().position(|x| *x == s);
    if at(target) > at(own) {
        return Some(format!("the stage `{own}` reaches forward into `{target}`"));
    }
    if *target == "load" && !item.is_some_and(|i| LOAD_DATA.contains(&i)) {
        return Some(format!(
            "the stage `{own}` reaches back into `load::{}` (only its data: {LOAD_DATA:?})",
            item.unwrap_or("")
        ));
    }
    None
}

/// Every path a file names, as its segments (`use` trees expanded).
#[derive(Default)]
struct Paths {
    found: BTreeSet<Vec<String>>,
}

impl Paths {
    fn add_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.add_use(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.add_name(prefix, n.ident.to_string()),
            syn::UseTree::Rename(r) => self.add_name(prefix, r.ident.to_string()),
            syn::UseTree::Glob(_) => {
                self.found.insert(prefix.clone());
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.add_use(prefix, tree);
                }
            }
        }
    }

    fn add_name(&mut self, prefix: &[String], name: String) {
        let mut path = prefix.to_vec();
        path.push(name);
        self.found.insert(path);
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if !is_test_only(&item.attrs) {
            self.add_use(&mut Vec::new(), &item.tree);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.found
            .insert(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

fn sources() -> Vec<(String, syn::File)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, syn::File)> = walkdir::WalkDir::new(root.join("src"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&root).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(e.path()).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, file)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn paths_of(file: &syn::File) -> BTreeSet<Vec<String>> {
    let mut paths = Paths::default();
    paths.visit_file(file);
    paths.found
}

#[test]
fn each_wrapped_crate_is_named_only_by_its_module() {
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for (rel, file) in sources() {
        for path in paths_of(&file) {
            let Some(first) = path.first() else { continue };
            let Some((krate, owners)) = CRATE_OWNERS.iter().find(|(c, _)| c == first) else {
                continue;
            };
            seen.insert(*krate);
            if !owners.iter().any(|o| rel.starts_with(o)) {
                wrong.push(format!("{rel} names {}", path.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "outside their modules:\n{}",
        wrong.join("\n")
    );
    // Each rule guards a crate the code really uses (else the rule, or the
    // scan, is wrong).
    for (krate, _) in CRATE_OWNERS {
        assert!(
            seen.contains(krate),
            "no file names {krate}: is the rule stale?"
        );
    }
}

#[test]
fn stages_name_only_earlier_stages_and_only_their_data() {
    let mut wrong = Vec::new();
    let mut crossings = 0;
    for (rel, file) in sources() {
        for path in paths_of(&file) {
            if path.first().map(String::as_str) != Some("crate") || path.len() < 2 {
                continue;
            }
            let item = path.get(2).map(String::as_str);
            if STAGES.contains(&path[1].as_str()) {
                crossings += 1;
            }
            if let Some(why) = forbidden(&rel, &path[1], item) {
                wrong.push(format!("{rel}: {} ({why})", path.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    assert!(
        crossings > 20,
        "only {crossings} paths into stages found: is the scan broken?"
    );
}

/// The rules themselves, on made-up paths: a test that cannot fail guards
/// nothing.
#[test]
fn the_rules_refuse_what_they_should() {
    let no = |file: &str, module: &str, item: Option<&str>| forbidden(file, module, item).is_some();
    assert!(no("src/load/mod.rs", "resolve", Some("Site")));
    assert!(no("src/resolve/mod.rs", "render", Some("Plan")));
    assert!(no("src/render/templates.rs", "load", Some("relative")));
    assert!(no("src/resolve/names.rs", "load", Some("fields")));
    assert!(no("src/paths.rs", "load", Some("document")));
    assert!(no("src/markdown/mod.rs", "resolve", Some("Site")));
    assert!(no("src/render/mod.rs", "serve", Some("Output")));
    assert!(no("src/write.rs", "site", Some("build")));
    assert!(!no("src/render/views.rs", "load", Some("document")));
    assert!(!no("src/render/mod.rs", "resolve", Some("Site")));
    assert!(!no("src/config.rs", "load", Some("yaml")));
    assert!(!no("src/site.rs", "write", Some("Destination")));
    assert!(!no("src/serve/mod.rs", "site", Some("preview")));
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/lib.rs")
            .exists()
    );
}

/// Every test ARCHITECTURE.md names as backing a claim exists: a renamed or
/// deleted test cannot leave a claim that nothing checks.
#[test]
fn architecture_names_only_tests_that_exist() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut functions = BTreeSet::new();
    for dir in ["src", "tests"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for piece in text.split("fn ").skip(1) {
                let name: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                functions.insert(name);
            }
        }
    }
    // Test names are long snake_case sentences: at least three underscores.
    let named: Vec<&str> = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':')
        })
        .map(|s| s.rsplit("::").next().unwrap_or(s))
        .filter(|s| s.matches('_').count() >= 3)
        .collect();
    assert!(
        named.len() > 50,
        "only {} test names found in ARCHITECTURE.md",
        named.len()
    );
    let missing: Vec<&&str> = named.iter().filter(|n| !functions.contains(**n)).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names tests that do not exist: {missing:?}"
    );
}
