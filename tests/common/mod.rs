//! Helpers shared by the integration tests: run the real binary on a site
//! and read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Runs `attache ARGS`.
pub fn attache(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .output()
        .expect("the attache binary runs")
}

/// `attache build --root ROOT --output OUT EXTRA...`, whatever its outcome.
pub fn run_build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    attache(&args)
}

/// `attache build --root ROOT --output OUT EXTRA...`, asserting success.
pub fn build_ok(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = run_build(root, out, extra);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `attache build --root ROOT --output OUT EXTRA...`, asserting that
/// content errors stop it (exit 1) and that nothing was written.
pub fn build_fails(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = run_build(root, out, extra);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.exists(), "a failed build wrote {}", out.display());
    output
}

pub fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file under `dir`, by relative path with `/` separators.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every URL in `href`/`src` attributes of the page.
pub fn urls(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        .map(str::to_string)
        .collect()
}

/// The hrefs of the links matching `css` in the page.
pub fn hrefs(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// The text of the elements matching `css`.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The output file a site-internal URL points at, or `None` for external
/// URLs. `base_path` is `/` or `/sub/`. Fragments and queries are dropped.
pub fn target_file(url: &str, base_path: &str) -> Option<String> {
    if url.starts_with("http://")
        || url.starts_with("https://")
        || url.starts_with("//")
        || url.starts_with("mailto:")
        || url.starts_with('#')
    {
        return None;
    }
    let url = url.split(['#', '?']).next().unwrap();
    assert!(
        url.starts_with(base_path),
        "internal URL {url} does not start with the base path {base_path}"
    );
    let rel = &url[base_path.len()..];
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

/// Copies a folder tree (a fixture into a temporary folder to edit it).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `attache check --root ROOT --format json EXTRA...`: the exit code and the
/// diagnostics.
pub fn check_json(root: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = attache(&args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let items: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (
        out.status.code().unwrap(),
        items.as_array().unwrap().clone(),
    )
}

/// Runs git in `dir` as a fixed author (at `date`, when given, for both the
/// author and committer dates); fails the test if git fails. Returns what
/// git printed, trimmed.
pub fn git(dir: &Path, args: &[&str], date: Option<&str>) -> String {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Desk", "-c", "user.email=desk@example.org"])
        .args(args);
    if let Some(date) = date {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A git repository at `dir/repo` holding a site in `site/` (with
/// `git: {history: 10, provenance: true}`) and one briefing,
/// `content/briefings/2023-11-15-delegation.md` with `text`, committed as
/// "Publish the delegation briefing" (at `date`, when given). Returns the
/// repository, the site and the briefing's file.
pub fn git_site(dir: &Path, text: &str, date: Option<&str>) -> (PathBuf, PathBuf, PathBuf) {
    let repo = dir.join("repo");
    let site = repo.join("site");
    std::fs::create_dir_all(site.join("content/briefings")).unwrap();
    std::fs::write(
        site.join("attache.yaml"),
        "title: Desk\nbase_url: https://example.org/\ngit: {history: 10, provenance: true}\n",
    )
    .unwrap();
    let file = site.join("content/briefings/2023-11-15-delegation.md");
    std::fs::write(&file, text).unwrap();
    git(&repo, &["init", "-q"], None);
    git(&repo, &["add", "."], None);
    git(
        &repo,
        &["commit", "-q", "-m", "Publish the delegation briefing"],
        date,
    );
    (repo, site, file)
}

/// A running `attache serve --port 0`, stopped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `attache serve` on `root` at a free port of 127.0.0.1.
pub fn serve(root: &Path) -> Server {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let first = lines.next().expect("serve prints a line").unwrap();
    let port: u16 = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    // Keep draining what it prints.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// GET `path`: (status, body).
pub fn get(port: u16, path: &str) -> (u16, String) {
    let (status, body) = get_bytes(port, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

pub fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    std::io::Write::write_all(
        &mut stream,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}

/// A site at `dir/site` with an `attache.yaml` of `config` and the files
/// given (path relative to the site, text).
pub fn site(dir: &Path, config: &str, files: &[(&str, &str)]) -> PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("content/briefings")).unwrap();
    std::fs::write(
        site.join("attache.yaml"),
        format!("title: Desk\nbase_url: https://example.org/\n{config}"),
    )
    .unwrap();
    for (path, text) in files {
        let path = site.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    site
}
