//! Benchmarks of each stage of the pipeline on a generated site.
//!
//! `cargo bench --bench stages` (add `-- --quick` for a fast pass). The site
//! is generated in-process: `BENCH_BRIEFINGS` briefings (default 1000) with
//! actors drawn Zipf-like, topics, sources, events, citations, wikilinks, a
//! table in some and a code block in a few. The whole-build comparison with
//! Hugo is `scripts/bench.sh` (see docs/performance.md).

use attache::load::{Kind, parse_document};
use attache::markdown::highlight::Highlighter;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Zipf-like: small indexes are much more likely.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const WORDS: &[&str] = &[
    "the",
    "delegation",
    "ministry",
    "said",
    "talks",
    "on",
    "trade",
    "and",
    "energy",
    "would",
    "continue",
    "officials",
    "in",
    "a",
    "statement",
    "noted",
    "sanctions",
    "shipments",
    "across",
    "border",
    "while",
    "analysts",
    "expect",
    "further",
    "visits",
    "to",
    "follow",
    "over",
    "coming",
    "months",
];

fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut p = String::new();
    for i in 0..words {
        if i > 0 {
            p.push(' ');
        }
        p.push_str(WORDS[rng.below(WORDS.len())]);
    }
    p.push('.');
    p
}

fn briefing_text(i: usize, rng: &mut Rng, actors: usize, topics: usize) -> String {
    let year = 2017 + i % 8;
    let (month, day) = (1 + i % 12, 1 + i % 28);
    let mut names: Vec<usize> = (0..2 + rng.below(6)).map(|_| rng.skewed(actors)).collect();
    names.sort_unstable();
    names.dedup();
    let mut t = format!(
        "---\ntitle: Briefing number {i} on regional affairs\ndate: {year}-{month:02}-{day:02}\n"
    );
    t.push_str("actors:\n");
    for n in &names {
        let _ = writeln!(t, "  - Actor {n}");
    }
    let _ = writeln!(
        t,
        "topics: [Topic {}, Topic {}]",
        rng.skewed(topics),
        rng.skewed(topics)
    );
    t.push_str("sources:\n  - {id: s1, title: Report, publisher: Wire One, url: \"https://example.org/a\"}\n");
    t.push_str(
        "  - {id: s2, title: Follow-up, publisher: Paper Two, url: \"https://example.org/b\"}\n",
    );
    let _ = writeln!(
        t,
        "events:\n  - {{date: {year}-{month:02}, what: Something happened, actors: [Actor {}]}}",
        names[0]
    );
    t.push_str("---\n");
    for k in 0..8 {
        if k == 2 {
            t.push_str("## Background\n\n");
        }
        let _ = write!(
            t,
            "{} [@s1] [[Actor {}]] ",
            paragraph(rng, 60),
            names[k % names.len()]
        );
        if k == 4 {
            let _ = write!(t, "see [[briefing:{}]] [@s2]", (i + 1) % 1000);
        }
        t.push_str("\n\n");
    }
    if i.is_multiple_of(8) {
        t.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n");
    }
    if i.is_multiple_of(20) {
        t.push_str("```json\n{\"launches\": [1, 2, 3]}\n```\n");
    }
    t
}

/// Writes a site of `n` briefings into `dir` and returns its root.
fn generate(dir: &Path, n: usize) -> PathBuf {
    let root = dir.join("site");
    let actors = (n / 5).max(50);
    let topics = (n / 60).max(20);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    std::fs::create_dir_all(root.join("content/actors")).unwrap();
    std::fs::write(
        root.join("attache.yaml"),
        "title: Bench\nbase_url: https://example.org/\n",
    )
    .unwrap();
    for i in 0..n {
        let text = briefing_text(i, &mut rng, actors, topics);
        std::fs::write(root.join(format!("content/briefings/{i}.md")), text).unwrap();
    }
    for a in 0..actors / 5 {
        let text = format!(
            "---\nname: Actor {a}\naliases: [A{a}]\nkind: person\nrole: Official\n---\nProfile of actor {a}.\n"
        );
        std::fs::write(root.join(format!("content/actors/actor-{a}.md")), text).unwrap();
    }
    root
}

fn briefings() -> usize {
    std::env::var("BENCH_BRIEFINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn bench_documents(c: &mut Criterion) {
    let mut rng = Rng(7);
    let text = briefing_text(1, &mut rng, 200, 40);
    c.bench_function("front matter + typed fields (one briefing)", |b| {
        b.iter(|| {
            parse_document(
                Path::new("content/briefings/x.md"),
                black_box(&text),
                Kind::Briefing,
            )
        })
    });
    let body = text.split("\n---\n").nth(1).unwrap().to_string();
    let highlighter = Highlighter::new();
    let resolve = |t: &attache::markdown::WikiTarget| {
        Some(attache::markdown::ResolvedLink {
            url: format!("/actors/{}/", attache::slug::slugify(&t.name)),
            label: t.name.clone(),
        })
    };
    let content_link = |_: &str| None;
    let image = |_: &str| None;
    let ids = [Some("s1".to_string()), Some("s2".to_string())];
    let env = attache::markdown::BodyEnv {
        base_path: "/",
        highlighter: &highlighter,
        resolve: &resolve,
        source_ids: &ids,
        autolink: None,
        own_url: None,
        content_link: &content_link,
        raw_html: attache::markdown::RawHtml::Sanitize,
        image: &image,
        figures: &[],
        smart_punctuation: true,
    };
    c.bench_function("markdown body (one briefing)", |b| {
        b.iter(|| attache::markdown::render(black_box(&body), &env))
    });
}

fn bench_stages(c: &mut Criterion) {
    let n = briefings();
    let dir = tempfile::tempdir().unwrap();
    let root = generate(dir.path(), n);
    let mut group = c.benchmark_group(format!("stages ({n} briefings)"));
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| attache::load::load(&root)));
    let (config, _) = attache::config::load_config(&root);
    let (content, _) = attache::load::load(&root);
    let highlighter = Highlighter::new();
    group.bench_function("resolve (names, bodies, graph)", |b| {
        b.iter_batched(
            || (config.clone(), content.clone()),
            |(config, content)| {
                attache::resolve::resolve(
                    config,
                    content,
                    attache::resolve::Options::default(),
                    &highlighter,
                )
            },
            BatchSize::LargeInput,
        )
    });
    let site_options = attache::site::SiteOptions {
        root: root.clone(),
        ..Default::default()
    };
    let checked = attache::site::check(&site_options, attache::site::Command::Build, &highlighter);
    group.bench_function("render (templates, feeds, sitemap)", |b| {
        b.iter(|| attache::site::render_site(&checked, &root, attache::site::Command::Build))
    });
    let (files, _) = attache::site::render_site(&checked, &root, attache::site::Command::Build);
    let out = dir.path().join("public");
    group.bench_function("write (atomic replace)", |b| {
        b.iter(|| {
            let destination =
                attache::write::Destination::check(&out, &root, attache::write::OtherFiles::Refuse)
                    .unwrap();
            attache::write::write_site(&files, &destination).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_documents, bench_stages);
criterion_main!(benches);
