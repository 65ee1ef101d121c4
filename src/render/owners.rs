//! Every output path has exactly one owner: a page attache renders, a file
//! it writes without templates (feeds, search index, sitemaps, robots.txt,
//! syntax.css, `_redirects`, the redirect page of an alias), or a static
//! file of the theme or the site. A second claimant of a path, or of a
//! folder another owner writes as a file, is an `output-conflict` error
//! naming both, and the output keeps the first by rank (page, then
//! generated file, then static file), so it never depends on order.
//!
//! Within the static files the site's replace the theme's of the same name,
//! on purpose (`static_files`); that is not a conflict.

use super::{Contents, OutputFile, Plan, PlannedPage};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::resolve::Site;
use crate::routes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Who made an output file, by rank: the first wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Owner {
    /// A page of the plan.
    Page(PlannedPage),
    /// A file made without templates (a redirect page among them).
    Generated,
    /// A static file of attache, the theme or the site.
    Static,
}

impl Owner {
    fn rank(self) -> u8 {
        match self {
            Owner::Page(_) => 0,
            Owner::Generated => 1,
            Owner::Static => 2,
        }
    }
}

/// The files sorted by path, each path once with its owner, with an error
/// for every claimant that lost.
pub(super) fn settle(
    mut files: Vec<(OutputFile, Owner)>,
    site: &Site,
    plan: &Plan,
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<(OutputFile, Owner)> {
    files.sort_by(|a, b| (a.0.path.as_str(), a.1.rank()).cmp(&(b.0.path.as_str(), b.1.rank())));
    let describe = |i: usize| describe(&files[i].0, files[i].1, site, plan, root);
    let mut lost = vec![false; files.len()];
    // Two claimants of one path.
    for i in 1..files.len() {
        if files[i].0.path == files[i - 1].0.path {
            let first = (0..i).rev().find(|&j| !lost[j]).unwrap_or(i - 1);
            lost[i] = true;
            let (winner, loser) = (describe(first), describe(i));
            diagnostics.push(conflict(
                &loser,
                &winner,
                format!("{} would replace {}", loser.0, winner.0),
            ));
        }
    }
    // A file where another owner needs a folder (`about` and
    // `about/index.html`).
    let as_file: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !lost[*i])
        .map(|(i, f)| (f.0.path.as_str(), i))
        .collect();
    let mut folder_conflicts = Vec::new();
    for (i, (file, owner)) in files.iter().enumerate() {
        if lost[i] {
            continue;
        }
        let path = file.path.as_str();
        for (end, _) in path.match_indices('/') {
            if let Some(&j) = as_file.get(&path[..end]) {
                // The lower rank wins; between equals, the nested file
                // gives way.
                let (loser, winner) = if files[j].1.rank() > owner.rank() {
                    (j, i)
                } else {
                    (i, j)
                };
                folder_conflicts.push((loser, winner, path[..end].to_string()));
            }
        }
    }
    for (loser, winner, folder) in folder_conflicts {
        if lost[loser] || lost[winner] {
            continue;
        }
        lost[loser] = true;
        let (w, l) = (describe(winner), describe(loser));
        diagnostics.push(conflict(
            &l,
            &w,
            format!(
                "{} and {} cannot both be written: /{folder} would have to be a file and a folder",
                l.0, w.0
            ),
        ));
    }
    files
        .into_iter()
        .zip(lost)
        .filter(|(_, lost)| !lost)
        .map(|(file, _)| file)
        .collect()
}

/// What a claimant is called in a message, and the file and position to
/// report it at, when it has one.
type Described = (String, Option<(PathBuf, usize, usize)>);

fn describe(file: &OutputFile, owner: Owner, site: &Site, plan: &Plan, root: &Path) -> Described {
    match owner {
        Owner::Page(i) => (plan.describe(site, i), None),
        Owner::Generated => match site
            .redirects
            .iter()
            .find(|r| routes::html_file(&r.from) == file.path)
        {
            Some(r) => (
                format!("alias /{} of {}", r.from, r.source_path.display()),
                Some((r.source_path.clone(), r.line, r.column)),
            ),
            None => (format!("attache's generated {}", file.path), None),
        },
        Owner::Static => match &file.contents {
            Contents::Copy(source) => {
                let rel = crate::paths::relative(root, source);
                (rel.display().to_string(), Some((rel, 0, 0)))
            }
            Contents::Bytes(_) => (format!("attache's built-in {}", file.path), None),
        },
    }
}

/// The error for a claimant that lost, at its position (or the winner's,
/// when only that has one).
fn conflict(loser: &Described, winner: &Described, message: String) -> Diagnostic {
    let (file, line, column) = loser
        .1
        .clone()
        .or_else(|| winner.1.clone())
        .unwrap_or_default();
    let d = Diagnostic::new(Code::OutputConflict, &file, message)
        .with_hint("rename, move or remove one of the two: every output file has one source");
    if line > 0 { d.at(line, column) } else { d }
}
