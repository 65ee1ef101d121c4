//! The minimum Rust version in Cargo.toml (`rust-version`) is true: no
//! dependency that is built for attache asks for a newer Rust, the code uses
//! no language feature newer than it, and the README, the MSRV job in CI and
//! the Docker builder all name the same version.
//!
//! Standard-library APIs newer than `rust-version` are caught by clippy's
//! `incompatible_msrv` lint (on by default, and CI runs clippy with
//! `-D warnings`); the last test here keeps that lint from being allowed.

mod common;
use common::repo;
use std::path::Path;
use std::process::Command;
use syn::visit::Visit;

type Version = (u64, u64, u64);

fn version(text: &str) -> Version {
    let mut parts = text.split('.').map(|p| {
        p.parse::<u64>()
            .unwrap_or_else(|_| panic!("not a Rust version: {text}"))
    });
    (
        parts.next().unwrap(),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

fn show((major, minor, patch): Version) -> String {
    format!("{major}.{minor}.{patch}")
}

/// `rust-version` from Cargo.toml, as written ("1.88").
fn declared_text() -> String {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    manifest["package"]["rust-version"]
        .as_str()
        .expect("Cargo.toml sets package.rust-version")
        .to_string()
}

fn declared() -> Version {
    version(&declared_text())
}

fn metadata() -> serde_json::Value {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every package built into attache (normal and build dependencies, for
/// every target the releases are built for, so not only this machine's),
/// with the Rust version it asks for.
fn built_dependencies() -> Vec<(String, Option<Version>)> {
    let meta = metadata();
    let packages: std::collections::HashMap<&str, &serde_json::Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: std::collections::HashMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = meta["resolve"]["root"].as_str().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let built = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if built {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.remove(root);
    seen.iter()
        .map(|id| {
            let p = packages[id];
            (
                format!(
                    "{} {}",
                    p["name"].as_str().unwrap(),
                    p["version"].as_str().unwrap()
                ),
                p["rust_version"].as_str().map(version),
            )
        })
        .collect()
}

#[test]
fn no_dependency_needs_a_newer_rust_than_rust_version() {
    let msrv = declared();
    let deps = built_dependencies();
    assert!(deps.len() > 50, "the dependency walk found {}", deps.len());
    let floor = deps.iter().filter_map(|(_, v)| *v).max().unwrap();
    let too_new: Vec<String> = deps
        .iter()
        .filter(|(_, v)| v.is_some_and(|v| v > msrv))
        .map(|(name, v)| format!("{name} needs Rust {}", show(v.unwrap())))
        .collect();
    assert!(
        too_new.is_empty(),
        "Cargo.toml says rust-version = {}, but {}; raise rust-version (and the README, \
         the msrv job in .github/workflows/ci.yml and the Dockerfile) to at least {}",
        show(msrv),
        too_new.join(", "),
        show(floor)
    );
}

/// `if let` / `while let` chained with `&&` (let chains, Rust 1.88), and
/// `impl Trait + use<..>` (precise capturing, Rust 1.82), with file:line.
#[derive(Default)]
struct Features {
    file: String,
    let_chains: Vec<String>,
    precise_capturing: Vec<String>,
}

fn contains_let(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Let(_) => true,
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            contains_let(&b.left) || contains_let(&b.right)
        }
        syn::Expr::Paren(p) => contains_let(&p.expr),
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Features {
    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::And(_)) && (contains_let(&b.left) || contains_let(&b.right)) {
            let line = syn::spanned::Spanned::span(b).start().line;
            self.let_chains.push(format!("{}:{line}", self.file));
            // One report per chain: the operands are part of it.
            return;
        }
        syn::visit::visit_expr_binary(self, b);
    }

    fn visit_precise_capture(&mut self, p: &'ast syn::PreciseCapture) {
        let line = p.use_token.span.start().line;
        self.precise_capturing.push(format!("{}:{line}", self.file));
    }
}

fn scan_src() -> Features {
    let mut features = Features::default();
    for entry in walkdir::WalkDir::new(repo().join("src")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let file =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        features.file = entry
            .path()
            .strip_prefix(repo())
            .unwrap()
            .display()
            .to_string();
        features.visit_file(&file);
    }
    features
}

#[test]
fn the_code_uses_no_language_feature_newer_than_rust_version() {
    let msrv = declared();
    let found = scan_src();
    let mut problems = Vec::new();
    if msrv < (1, 88, 0) && !found.let_chains.is_empty() {
        problems.push(format!(
            "let chains (`if let .. && ..`, Rust 1.88) at {}",
            found.let_chains.join(", ")
        ));
    }
    if msrv < (1, 82, 0) && !found.precise_capturing.is_empty() {
        problems.push(format!(
            "precise capturing (`+ use<>`, Rust 1.82) at {}",
            found.precise_capturing.join(", ")
        ));
    }
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    if msrv < (1, 85, 0) && manifest.contains("edition = \"2024\"") {
        problems.push("edition 2024 (Rust 1.85)".to_string());
    }
    assert!(
        problems.is_empty(),
        "Cargo.toml says rust-version = {}, but the code uses {}",
        show(msrv),
        problems.join("; ")
    );
}

#[test]
fn the_let_chain_scan_finds_let_chains() {
    let file = syn::parse_file(
        "fn f(a: Option<u8>, b: bool) {\n    if b && let Some(x) = a {\n        let _ = x;\n    }\n    if let Some(_) = a {}\n    while let Some(_) = a\n        && b\n    {}\n}\nfn g() -> impl Sized + use<> {}\n",
    )
    .unwrap();
    let mut features = Features {
        file: "x.rs".to_string(),
        ..Features::default()
    };
    features.visit_file(&file);
    assert_eq!(features.let_chains, ["x.rs:2", "x.rs:6"]);
    assert_eq!(features.precise_capturing, ["x.rs:10"]);
}

/// The one version also appears where people and CI read it.
#[test]
fn readme_ci_and_docker_name_the_same_rust_version() {
    let msrv = declared_text();
    let read = |p: &str| std::fs::read_to_string(repo().join(p)).unwrap();
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "README.md should say \"Rust {msrv} or newer\""
    );
    let ci = read(".github/workflows/ci.yml");
    let doc = attache::load::yaml::parse(&ci).expect("ci.yml is valid YAML");
    let msrv_job = doc
        .get("jobs")
        .and_then(|j| j.get("msrv"))
        .expect("ci.yml has an msrv job");
    let steps = msrv_job.get("steps").unwrap();
    let steps = match &steps.value {
        attache::load::yaml::Value::List(items) => items,
        _ => panic!("msrv steps are a list"),
    };
    let uses: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.get("uses").and_then(|u| u.as_str()))
        .collect();
    assert!(
        uses.contains(&format!("dtolnay/rust-toolchain@{msrv}").as_str()),
        "the msrv job installs Rust {msrv}: {uses:?}"
    );
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.get("run").and_then(|u| u.as_str()))
        .collect();
    assert!(
        runs.iter().any(|r| r.contains("cargo check --locked")),
        "{runs:?}"
    );
    assert!(
        read("Dockerfile").contains(&format!("FROM rust:{msrv}-alpine")),
        "the Dockerfile builds with Rust {msrv}"
    );
}

#[test]
fn clippy_incompatible_msrv_is_never_allowed() {
    let mut allowed = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs")
            && std::fs::read_to_string(entry.path())
                .unwrap()
                .contains("incompatible_msrv")
        {
            allowed.push(entry.path().display().to_string());
        }
    }
    for config in ["clippy.toml", ".clippy.toml"] {
        let path = repo().join(config);
        if Path::new(&path).is_file() {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("msrv"), "{config} overrides the MSRV");
        }
    }
    assert!(allowed.is_empty(), "{allowed:?}");
}
