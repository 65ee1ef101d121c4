//! The client-side search index.
//!
//! `/search-index.json` holds the actor and topic tables and the newest
//! `SHARD_SIZE` briefings; older briefings are in `/search/N.json` shards
//! that the search page loads after showing the first results, so a large
//! site's readers see results before the whole index has arrived.
//!
//! Format (version 1): `{"version": 1, "count": N, "actors": [[name, url],
//! [name, url, [other names]], ...], "topics": [[name, url], ...],
//! "months": ["January", ...], "shards": ["/search/1.json", ...], "docs":
//! [DOC, ...]}`; a shard is `{"docs": [DOC, ...]}`; a DOC is `{"t": title,
//! "u": url, "d": "YYYY-MM-DD", "s": summary, "a": [actor index], "p":
//! [topic index], "x": text}`.
//!
//! An actor's other names (its name where pages show a namesake's label,
//! and its profile's aliases) are in the actor table, once per actor, so
//! the actor filter knows "Putin" without the index growing with every
//! briefing. `months` are the month names pages use, so the script writes
//! a result's date as cards do (`15 November 2023`) from `d`.

use super::{Contents, OutputFile};
use crate::resolve::Site;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

/// Briefings per shard; the first shard is in the index file itself.
pub const SHARD_SIZE: usize = 500;
/// How much of each body the index keeps.
const TEXT_CHARS: usize = 1000;

/// A briefing in the index (keys in the order JSON objects are written).
#[derive(Serialize)]
struct Doc<'a> {
    a: Vec<u32>,
    d: String,
    p: Vec<u32>,
    s: &'a str,
    t: &'a str,
    u: String,
    x: String,
}

#[derive(Serialize)]
struct Shard<'a> {
    docs: Vec<Doc<'a>>,
}

/// The index file and its shards, each made from its own briefings (the
/// whole index is never held at once).
pub fn index(site: &Site) -> Vec<OutputFile> {
    let base = &site.config.base_url;
    let docs = |briefings| docs_of(site, briefings);
    let mut chunks = site.briefings.chunks(SHARD_SIZE);
    let first = chunks.next().unwrap_or(&[]);
    let shards: Vec<(String, &[std::sync::Arc<crate::resolve::Briefing>])> = chunks
        .enumerate()
        .map(|(i, briefings)| (crate::routes::search_shard(i + 1), briefings))
        .collect();
    let manifest = json!({
        "version": 1,
        "count": site.briefings.len(),
        "actors": site.actors.iter().map(|a| actor_entry(a, base.link(&a.path))).collect::<Vec<_>>(),
        "topics": site.topics.iter().map(|t| json!([t.name, base.link(&t.path)])).collect::<Vec<_>>(),
        "months": (1..=12).map(crate::dates::month_name).collect::<Vec<_>>(),
        "shards": shards.iter().map(|(path, _)| base.link(path)).collect::<Vec<_>>(),
        "docs": docs(first),
    });
    let mut files = vec![OutputFile {
        path: crate::routes::SEARCH_INDEX.to_string(),
        contents: Contents::Bytes(serde_json::to_vec(&manifest).expect("JSON values serialize")),
    }];
    files.par_extend(shards.into_par_iter().map(|(path, briefings)| {
        let shard = Shard {
            docs: docs(briefings),
        };
        OutputFile {
            path,
            contents: Contents::Bytes(serde_json::to_vec(&shard).expect("JSON values serialize")),
        }
    }));
    files
}

/// The index's entries for `briefings` of `site`.
fn docs_of<'a>(
    site: &'a Site,
    briefings: &'a [std::sync::Arc<crate::resolve::Briefing>],
) -> Vec<Doc<'a>> {
    let base = &site.config.base_url;
    briefings
        .iter()
        .map(|b| Doc {
            a: b.actors.iter().map(|m| m.actor.0).collect(),
            d: b.date.date.to_string(),
            p: b.topics.iter().map(|t| t.0).collect(),
            s: &b.summary,
            t: &b.title,
            u: base.link(&b.path),
            x: b.body.text().chars().take(TEXT_CHARS).collect(),
        })
        .collect()
}

/// An actor in the index's table: its label and URL, then its other names
/// if it has any.
fn actor_entry(a: &crate::resolve::Actor, url: String) -> serde_json::Value {
    let mut others: Vec<&str> = Vec::new();
    for name in std::iter::once(&a.name).chain(&a.aliases) {
        if name != &a.label && !others.contains(&name.as_str()) {
            others.push(name);
        }
    }
    if others.is_empty() {
        json!([a.label, url])
    } else {
        json!([a.label, url, others])
    }
}
