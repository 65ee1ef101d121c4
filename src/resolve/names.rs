//! Name registries for actors and topics: every spelling an editor may use
//! (name, alias, slug; any case, with or without diacritics) maps to one
//! entry. Profiles claim their spellings first; a name with no profile gets
//! an entry of its own, with a warning, so it still has a page.

use super::frame::Loaded;
use super::model::{ActorId, TopicId};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::load::document::{self, NameRef};
use crate::slug::{name_key, windows_reserved_warning};
use crate::suggest::did_you_mean;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

/// What a registry holds: actors or topics (their profiles' type), with
/// the model id its finished entries get and the words for messages.
pub trait Registered {
    type Id: Copy;
    /// "actor" or "topic", for messages.
    const WHAT: &'static str;
    /// Where its profiles live.
    const FOLDER: &'static str;
    /// The model id of the finished registry's entry at `index`.
    fn id(index: usize) -> Self::Id;
}

impl Registered for document::ActorProfile {
    type Id = ActorId;
    const WHAT: &'static str = "actor";
    const FOLDER: &'static str = "content/actors/";
    fn id(index: usize) -> ActorId {
        ActorId::from_index(index)
    }
}

impl Registered for document::TopicProfile {
    type Id = TopicId;
    const WHAT: &'static str = "topic";
    const FOLDER: &'static str = "content/topics/";
    fn id(index: usize) -> TopicId {
        TopicId::from_index(index)
    }
}

pub struct Entry<P> {
    pub slug: String,
    pub name: String,
    /// The profile, among those the registry was built from.
    pub profile: Option<Loaded<P>>,
}

impl<P> Clone for Entry<P> {
    fn clone(&self) -> Self {
        Entry {
            slug: self.slug.clone(),
            name: self.name.clone(),
            profile: self.profile,
        }
    }
}

/// An entry of a registry still being filled (`Names`), before `finish`
/// sorts the entries and gives each its model id (`Ids::of`).
pub struct Unsorted<P> {
    index: usize,
    kind: std::marker::PhantomData<fn() -> P>,
}

impl<P> Clone for Unsorted<P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P> Copy for Unsorted<P> {}
impl<P> PartialEq for Unsorted<P> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<P> Eq for Unsorted<P> {}
impl<P> std::hash::Hash for Unsorted<P> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}
impl<P> std::fmt::Debug for Unsorted<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Unsorted({})", self.index)
    }
}

impl<P> Unsorted<P> {
    fn at(index: usize) -> Self {
        Unsorted {
            index,
            kind: std::marker::PhantomData,
        }
    }
}

/// The model id of each entry handed out before `finish`.
pub struct Ids<P> {
    remap: Vec<u32>,
    kind: std::marker::PhantomData<fn() -> P>,
}

impl<P: Registered> Ids<P> {
    pub fn of(&self, entry: Unsorted<P>) -> P::Id {
        P::id(self.remap[entry.index] as usize)
    }
}

pub struct Names<P> {
    keys: HashMap<String, usize>,
    /// Which file claimed each key, for collision messages.
    claimed_by: HashMap<String, PathBuf>,
    entries: Vec<Entry<P>>,
    /// Spellings from profiles, for "did you mean", bucketed by lower-case
    /// first letter and length in characters so that a suggestion looks at
    /// a handful of names, not all of them (thousands of unknown names
    /// against thousands of profiles would otherwise grow quadratically).
    spellings: HashMap<(char, usize), Vec<String>>,
    /// Entries without a profile already reported (once each is enough).
    reported: rustc_hash::FxHashSet<usize>,
    /// "Did you mean" worked out for each unknown name so far.
    suggested: HashMap<String, Option<String>>,
    /// Each spelling resolved so far, as written, so that the thousands of
    /// repeated names are looked up without making their key again.
    resolved: HashMap<String, usize>,
}

/// Suggestions for unknown names, kept from one run to the next: they stay
/// right as long as the profiles' spellings are the same.
pub struct Suggestions {
    spellings: HashMap<(char, usize), Vec<String>>,
    by_name: HashMap<String, Option<String>>,
}

/// The finished registry: entries sorted by slug (an entry's position is
/// its model id), and every key to its entry.
pub struct Index<P> {
    pub entries: Vec<Entry<P>>,
    keys: HashMap<String, u32>,
}

impl<P: Registered> Index<P> {
    /// The model id of the entry a spelling names.
    pub fn lookup(&self, name: &str) -> Option<P::Id> {
        self.position(name).map(P::id)
    }

    /// The entry a spelling names.
    pub fn entry(&self, name: &str) -> Option<&Entry<P>> {
        self.position(name).map(|i| &self.entries[i])
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.keys.get(&name_key(name)).map(|&i| i as usize)
    }
}

impl<P: Registered> Default for Names<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Registered> Names<P> {
    pub fn new() -> Self {
        Names {
            keys: HashMap::default(),
            claimed_by: HashMap::default(),
            entries: Vec::new(),
            spellings: HashMap::default(),
            reported: rustc_hash::FxHashSet::default(),
            suggested: HashMap::default(),
            resolved: HashMap::default(),
        }
    }

    /// Takes over the suggestions of an earlier run, if the profiles'
    /// spellings are still the same (call after adding the profiles).
    pub fn reuse_suggestions(&mut self, kept: Option<Suggestions>) {
        if let Some(kept) = kept
            && kept.spellings == self.spellings
        {
            self.suggested = kept.by_name;
        }
    }

    /// The suggestions worked out so far, for the next run.
    pub fn take_suggestions(&mut self) -> Suggestions {
        Suggestions {
            spellings: self.spellings.clone(),
            by_name: std::mem::take(&mut self.suggested),
        }
    }

    /// Registers a profile under its slug, name and aliases. A spelling that
    /// another profile already claims is an error.
    pub fn add_profile(
        &mut self,
        profile: Loaded<P>,
        slug: &str,
        name: &NameRef,
        aliases: &[NameRef],
        file: &Path,
        diagnostics: &mut Diagnostics,
    ) {
        let index = self.entries.len();
        if crate::slug::windows_reserved(slug) {
            diagnostics.push(windows_reserved_warning(
                file,
                (1, 1),
                &format!("the {} slug (from the file name)", P::WHAT),
                slug,
                "rename the file: the slug of a profile is its file name",
            ));
        }
        self.entries.push(Entry {
            slug: slug.to_string(),
            name: name.name.clone(),
            profile: Some(profile),
        });
        let slug_ref = NameRef {
            name: slug.to_string(),
            line: 1,
            column: 1,
        };
        for spelling in std::iter::once(&slug_ref)
            .chain(std::iter::once(name))
            .chain(aliases)
        {
            let key = name_key(&spelling.name);
            if key.is_empty() {
                continue;
            }
            match self.keys.get(&key) {
                Some(&other) if other != index => {
                    let other_file = self.claimed_by[&key].display().to_string();
                    diagnostics.push(
                        Diagnostic::new(Code::NameCollision,
                            file,
                            format!(
                                "{} '{}' collides with '{}' of another {} profile ({other_file})",
                                P::WHAT, spelling.name, self.entries[other].name, P::WHAT
                            ),
                        )
                        .at(spelling.line, spelling.column)
                        .with_hint(
                            "two profiles cannot share a name or alias: remove the alias, or merge the two files",
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    self.keys.insert(key.clone(), index);
                    self.claimed_by.insert(key, file.to_path_buf());
                }
            }
            let lower = spelling.name.to_lowercase();
            if let Some(first) = lower.chars().next() {
                self.spellings
                    .entry((first, lower.chars().count()))
                    .or_default()
                    .push(spelling.name.clone());
            }
        }
    }

    /// The entry a name refers to. A name no profile claims gets an entry of
    /// its own and a warning (`unknown-actor`, `unknown-topic`) at its first
    /// use; later uses of the same name resolve silently to that entry.
    pub fn resolve(
        &mut self,
        name: &NameRef,
        file: &Path,
        code: Code,
        diagnostics: &mut Diagnostics,
    ) -> Option<Unsorted<P>> {
        // Seen before: its entry exists, and was reported when it was new.
        if let Some(&index) = self.resolved.get(&name.name) {
            return Some(Unsorted::at(index));
        }
        let key = name_key(&name.name);
        if key.is_empty() {
            diagnostics.push(
                // A name that can have no page at all: an error, where a
                // name with no profile still gets one.
                Diagnostic::new(
                    code,
                    file,
                    format!("{} '{}' has no letters or digits", P::WHAT, name.name),
                )
                .with_severity(Severity::Error)
                .at(name.line, name.column),
            );
            return None;
        }
        let known = self.keys.get(&key).copied();
        if known.is_none() && crate::slug::windows_reserved(&key) {
            diagnostics.push(windows_reserved_warning(
                file,
                (name.line, name.column),
                &format!("the slug of {} '{}'", P::WHAT, name.name),
                &key,
                format!(
                    "add a profile in {} under another file name, with '{}' as its name",
                    P::FOLDER,
                    name.name
                ),
            ));
        }
        let index = known.unwrap_or_else(|| {
            let index = self.entries.len();
            self.entries.push(Entry {
                slug: key.clone(),
                name: name.name.clone(),
                profile: None,
            });
            self.keys.insert(key, index);
            index
        });
        if self.entries[index].profile.is_none() && self.reported.insert(index) {
            let mut d = Diagnostic::new(
                code,
                file,
                format!(
                    "{} '{}' has no profile in {}",
                    P::WHAT,
                    name.name,
                    P::FOLDER
                ),
            )
            .at(name.line, name.column);
            let suggestion = match self.suggested.get(&name.name) {
                Some(known) => known.clone(),
                None => {
                    let found = did_you_mean(&name.name, self.similar_spellings(&name.name))
                        .map(str::to_string);
                    self.suggested.insert(name.name.clone(), found.clone());
                    found
                }
            };
            d = match suggestion {
                Some(s) => d.with_hint(format!("did you mean '{s}'?")),
                None => d.with_hint(format!(
                    "it gets a page of its own; add {}{}.md to describe it",
                    P::FOLDER,
                    self.entries[index].slug
                )),
            };
            diagnostics.push(d);
        }
        self.resolved.insert(name.name.clone(), index);
        Some(Unsorted::at(index))
    }

    /// Profile spellings with the same first letter as `name` and a length
    /// within the edit budget of `did_you_mean`.
    fn similar_spellings<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        let lower = name.to_lowercase();
        let first = lower.chars().next().unwrap_or(' ');
        let len = lower.chars().count();
        let budget = crate::suggest::edit_budget(len);
        (len.saturating_sub(budget)..=len + budget)
            .filter_map(move |l| self.spellings.get(&(first, l)))
            .flatten()
            .map(String::as_str)
    }

    /// Sorts entries by slug. Returns the index and, for each entry index
    /// handed out before, its final id.
    pub fn finish(self) -> (Index<P>, Ids<P>) {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by(|&a, &b| self.entries[a].slug.cmp(&self.entries[b].slug));
        let mut remap = vec![0u32; self.entries.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new as u32;
        }
        let entries = order.iter().map(|&i| self.entries[i].clone()).collect();
        let keys = self
            .keys
            .into_iter()
            .map(|(k, old)| (k, remap[old]))
            .collect();
        let ids = Ids {
            remap,
            kind: std::marker::PhantomData,
        };
        (Index { entries, keys }, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> NameRef {
        NameRef {
            name: n.to_string(),
            line: 3,
            column: 5,
        }
    }

    #[test]
    fn aliases_and_spellings_resolve_to_one_entry() {
        let mut d = Diagnostics::new();
        let mut names = Names::<document::ActorProfile>::new();
        names.add_profile(
            Loaded::at(0),
            "kim-jong-un",
            &name("Kim Jong Un"),
            &[name("Kim Jong-un")],
            Path::new("a.md"),
            &mut d,
        );
        let f = Path::new("b.md");
        let a = names.resolve(&name("kim jong-un"), f, Code::UnknownActor, &mut d);
        let b = names.resolve(&name("KIM-JONG-UN"), f, Code::UnknownActor, &mut d);
        assert_eq!(a, Some(Unsorted::at(0)));
        assert_eq!(b, Some(Unsorted::at(0)));
        assert!(d.is_empty());
    }

    #[test]
    fn unknown_names_get_entries_and_suggestions() {
        let mut d = Diagnostics::new();
        let mut names = Names::<document::ActorProfile>::new();
        names.add_profile(
            Loaded::at(0),
            "kim-jong-un",
            &name("Kim Jong Un"),
            &[],
            Path::new("a.md"),
            &mut d,
        );
        let f = Path::new("b.md");
        let x = names
            .resolve(&name("Kim Jong Um"), f, Code::UnknownActor, &mut d)
            .unwrap();
        assert_eq!(x, Unsorted::at(1));
        let d = d.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.name(), "unknown-actor");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean 'Kim Jong Un'?"));
        let (index, ids) = names.finish();
        assert_eq!(index.entries.len(), 2);
        assert_eq!(index.lookup("Kim Jong Um"), Some(ids.of(x)));
    }

    #[test]
    fn colliding_profiles_are_errors() {
        let mut d = Diagnostics::new();
        let mut names = Names::<document::ActorProfile>::new();
        names.add_profile(
            Loaded::at(0),
            "kim-jong-un",
            &name("Kim Jong Un"),
            &[name("Kim")],
            Path::new("a.md"),
            &mut d,
        );
        names.add_profile(
            Loaded::at(1),
            "kim-yo-jong",
            &name("Kim Yo Jong"),
            &[name("kim")],
            Path::new("b.md"),
            &mut d,
        );
        let d = d.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.name(), "name-collision");
        assert_eq!(d[0].origin.file(), Some(Path::new("b.md")));
    }
}
