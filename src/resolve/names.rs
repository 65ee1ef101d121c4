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
    /// The warning for a name no profile has.
    const UNKNOWN: Code;
    /// The model id of the finished registry's entry at `index`.
    fn id(index: usize) -> Self::Id;
}

impl Registered for document::ActorProfile {
    type Id = ActorId;
    const WHAT: &'static str = "actor";
    const FOLDER: &'static str = "content/actors/";
    const UNKNOWN: Code = Code::UnknownActor;
    fn id(index: usize) -> ActorId {
        ActorId::from_index(index)
    }
}

impl Registered for document::TopicProfile {
    type Id = TopicId;
    const WHAT: &'static str = "topic";
    const FOLDER: &'static str = "content/topics/";
    const UNKNOWN: Code = Code::UnknownTopic;
    fn id(index: usize) -> TopicId {
        TopicId::from_index(index)
    }
}

pub struct Entry<P> {
    pub slug: String,
    pub name: String,
    /// The profile, among those the registry was built from.
    pub profile: Option<Loaded<P>>,
    /// What tells the profile apart from a namesake (kind, role, what its
    /// `disambiguation` says), for messages.
    pub about: String,
}

impl<P> Clone for Entry<P> {
    fn clone(&self) -> Self {
        Entry {
            slug: self.slug.clone(),
            name: self.name.clone(),
            profile: self.profile,
            about: self.about.clone(),
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
    /// Each profile's slug (its identity), as a key.
    slugs: HashMap<String, usize>,
    /// Each name and alias of the profiles, as a key, to every profile that
    /// has it (namesakes share one).
    spelled: HashMap<String, Vec<usize>>,
    /// Names no profile has, to the entry made for each.
    unprofiled: HashMap<String, usize>,
    /// Which file claimed each slug, for collision messages.
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
/// its model id), every key that names one entry to it, and every key that
/// namesakes share to all of them.
pub struct Index<P> {
    pub entries: Vec<Entry<P>>,
    keys: HashMap<String, u32>,
    shared: HashMap<String, Vec<u32>>,
    /// The profiles' spellings, bucketed as `Names` keeps them.
    spellings: HashMap<(char, usize), Vec<String>>,
}

impl<P: Registered> Index<P> {
    /// The model id of the entry a spelling names, if it names one alone.
    pub fn lookup(&self, name: &str) -> Option<P::Id> {
        self.position(name).map(P::id)
    }

    /// The entry a spelling names, if it names one alone.
    pub fn entry(&self, name: &str) -> Option<&Entry<P>> {
        self.position(name).map(|i| &self.entries[i])
    }

    /// The entries a spelling shared by namesakes names (empty when it
    /// names one entry, or none).
    pub fn namesakes(&self, name: &str) -> Vec<&Entry<P>> {
        self.shared
            .get(&name_key(name))
            .map(|ids| ids.iter().map(|&i| &self.entries[i as usize]).collect())
            .unwrap_or_default()
    }

    /// The profile spelling nearest to `name`, if it is a likely typo of
    /// one ("did you mean").
    pub fn suggest(&self, name: &str) -> Option<&str> {
        did_you_mean(name, similar_spellings(&self.spellings, name))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.keys.get(&name_key(name)).map(|&i| i as usize)
    }
}

/// Spellings with the same first letter as `name` and a length within the
/// edit budget of `did_you_mean`.
fn similar_spellings<'s>(
    spellings: &'s HashMap<(char, usize), Vec<String>>,
    name: &str,
) -> impl Iterator<Item = &'s str> {
    let lower = name.to_lowercase();
    let first = lower.chars().next().unwrap_or(' ');
    let len = lower.chars().count();
    let budget = crate::suggest::edit_budget(len);
    (len.saturating_sub(budget)..=len + budget)
        .filter_map(move |l| spellings.get(&(first, l)))
        .flatten()
        .map(String::as_str)
}

/// The `ambiguous-name` error for `name`, written at `at` in `file`, which
/// names every one of `candidates`, with how to name each alone.
pub fn ambiguous<P: Registered>(
    name: &str,
    file: &Path,
    at: (usize, usize),
    candidates: &[&Entry<P>],
) -> Diagnostic {
    let listed: Vec<String> = candidates
        .iter()
        .map(|e| {
            if e.about.is_empty() {
                format!("'{}' ({}{}.md)", e.slug, P::FOLDER, e.slug)
            } else {
                format!("'{}' ({}; {}{}.md)", e.slug, e.about, P::FOLDER, e.slug)
            }
        })
        .collect();
    let first = candidates.first().map_or("", |e| e.slug.as_str());
    Diagnostic::new(
        Code::AmbiguousName,
        file,
        format!(
            "{} '{name}' names {} profiles: {}",
            P::WHAT,
            candidates.len(),
            listed.join(", ")
        ),
    )
    .at(at.0, at.1)
    .with_hint(format!(
        "name one by its slug, e.g. `{first}`, or as `{{name: {name}, id: {first}}}`"
    ))
}

/// The warning (`code`: `unknown-actor`, `unknown-topic`) at the first use
/// of a name no profile has, whose entry got `slug`: with the profile
/// spelling it is likely a typo of (`suggestion`), else how to give it a
/// profile.
pub fn unprofiled<P: Registered>(
    name: &NameRef,
    file: &Path,
    code: Code,
    slug: &str,
    suggestion: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(
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
    match suggestion {
        Some(s) => d.with_hint(format!("did you mean '{s}'?")),
        None => d.with_hint(format!(
            "it gets a page of its own; add {}{slug}.md to describe it",
            P::FOLDER
        )),
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
            slugs: HashMap::default(),
            spelled: HashMap::default(),
            unprofiled: HashMap::default(),
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

    /// Registers a profile under its slug, name and aliases. Two profiles
    /// may share a name or an alias (namesakes); a slug is a profile's
    /// identity, and a second profile with the same slug is an error.
    #[allow(clippy::too_many_arguments)]
    pub fn add_profile(
        &mut self,
        profile: Loaded<P>,
        slug: &str,
        name: &NameRef,
        aliases: &[NameRef],
        about: String,
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
        let slug_key = name_key(slug);
        if let Some(&other) = self.slugs.get(&slug_key) {
            let other_file = self.claimed_by[&slug_key].display().to_string();
            diagnostics.push(
                Diagnostic::new(
                    Code::NameCollision,
                    file,
                    format!(
                        "{} profile '{}' has the slug '{slug}' of another profile ({other_file}, '{}')",
                        P::WHAT, name.name, self.entries[other].name
                    ),
                )
                .with_hint("a profile's slug is its file name: rename one of the two files"),
            );
            return;
        }
        self.entries.push(Entry {
            slug: slug.to_string(),
            name: name.name.clone(),
            profile: Some(profile),
            about,
        });
        self.slugs.insert(slug_key.clone(), index);
        self.claimed_by.insert(slug_key, file.to_path_buf());
        for spelling in std::iter::once(name).chain(aliases) {
            let key = name_key(&spelling.name);
            if key.is_empty() {
                continue;
            }
            let profiles = self.spelled.entry(key).or_default();
            if !profiles.contains(&index) {
                profiles.push(index);
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

    /// The profiles a key names: by slug and by name or alias, each once.
    fn candidates(&self, key: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self.slugs.get(key).copied().into_iter().collect();
        for &i in self.spelled.get(key).into_iter().flatten() {
            if !found.contains(&i) {
                found.push(i);
            }
        }
        found
    }

    /// The profile whose slug `id` is (`{name: Georgia, id: georgia-country}`);
    /// a `bad-actor` error (with the nearest slug) when there is none.
    pub fn resolve_id(
        &mut self,
        id: &NameRef,
        file: &Path,
        diagnostics: &mut Diagnostics,
    ) -> Option<Unsorted<P>> {
        if let Some(&index) = self.slugs.get(&name_key(&id.name)) {
            return Some(Unsorted::at(index));
        }
        let slugs: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| e.profile.is_some())
            .map(|e| e.slug.as_str())
            .collect();
        let hint = match did_you_mean(&id.name, slugs) {
            Some(s) => format!("did you mean `id: {s}`?"),
            None => format!("`id` is the file name of a profile in {}", P::FOLDER),
        };
        diagnostics.push(
            Diagnostic::new(
                Code::BadActor,
                file,
                format!("no {} profile has the slug '{}'", P::WHAT, id.name),
            )
            .at(id.line, id.column)
            .with_hint(hint),
        );
        None
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
        let candidates = self.candidates(&name_key(&name.name));
        if candidates.len() > 1 {
            let entries: Vec<&Entry<P>> = candidates.iter().map(|&i| &self.entries[i]).collect();
            diagnostics.push(ambiguous(
                &name.name,
                file,
                (name.line, name.column),
                &entries,
            ));
            return None;
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
        let known = candidates
            .first()
            .copied()
            .or_else(|| self.unprofiled.get(&key).copied());
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
                about: String::new(),
            });
            self.unprofiled.insert(key, index);
            index
        });
        if self.entries[index].profile.is_none() && self.reported.insert(index) {
            let suggestion = match self.suggested.get(&name.name) {
                Some(known) => known.clone(),
                None => {
                    let found =
                        did_you_mean(&name.name, similar_spellings(&self.spellings, &name.name))
                            .map(str::to_string);
                    self.suggested.insert(name.name.clone(), found.clone());
                    found
                }
            };
            diagnostics.push(unprofiled::<P>(
                name,
                file,
                code,
                &self.entries[index].slug,
                suggestion.as_deref(),
            ));
        }
        self.resolved.insert(name.name.clone(), index);
        Some(Unsorted::at(index))
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
        let mut keys: HashMap<String, u32> = HashMap::default();
        let mut shared: HashMap<String, Vec<u32>> = HashMap::default();
        let all_keys = self
            .slugs
            .keys()
            .chain(self.spelled.keys())
            .chain(self.unprofiled.keys());
        for key in all_keys {
            if keys.contains_key(key) || shared.contains_key(key) {
                continue;
            }
            let mut found = self.candidates(key);
            if found.is_empty() {
                found.extend(self.unprofiled.get(key));
            }
            let mut ids: Vec<u32> = found.into_iter().map(|i| remap[i]).collect();
            if ids.len() == 1 {
                keys.insert(key.clone(), ids[0]);
            } else {
                ids.sort_unstable();
                shared.insert(key.clone(), ids);
            }
        }
        let entries = order.iter().map(|&i| self.entries[i].clone()).collect();
        let ids = Ids {
            remap,
            kind: std::marker::PhantomData,
        };
        (
            Index {
                entries,
                keys,
                shared,
                spellings: self.spellings,
            },
            ids,
        )
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
            String::new(),
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
            String::new(),
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
    fn namesakes_share_a_name_and_a_shared_name_is_ambiguous() {
        let mut d = Diagnostics::new();
        let mut names = Names::<document::ActorProfile>::new();
        names.add_profile(
            Loaded::at(0),
            "georgia-country",
            &name("Georgia"),
            &[name("Sakartvelo")],
            "state".to_string(),
            Path::new("a.md"),
            &mut d,
        );
        names.add_profile(
            Loaded::at(1),
            "georgia-state",
            &name("Georgia"),
            &[],
            "US state".to_string(),
            Path::new("b.md"),
            &mut d,
        );
        assert!(d.is_empty(), "namesakes are no error: {d:?}");
        let f = Path::new("c.md");
        let by_name = names.resolve(&name("Georgia"), f, Code::UnknownActor, &mut d);
        assert_eq!(by_name, None);
        let by_alias = names.resolve(&name("Sakartvelo"), f, Code::UnknownActor, &mut d);
        let by_slug = names.resolve(&name("georgia-state"), f, Code::UnknownActor, &mut d);
        let by_id = names.resolve_id(&name("georgia-country"), f, &mut d);
        assert_eq!(by_alias, Some(Unsorted::at(0)));
        assert_eq!(by_slug, Some(Unsorted::at(1)));
        assert_eq!(by_id, Some(Unsorted::at(0)));
        let d = d.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.name(), "ambiguous-name");
        assert!(
            d[0].message
                .contains("'georgia-country' (state; content/actors/georgia-country.md)")
        );
        assert!(d[0].message.contains("'georgia-state' (US state;"));
        let (index, ids) = names.finish();
        assert_eq!(index.lookup("Georgia"), None);
        assert_eq!(index.namesakes("georgia").len(), 2);
        assert_eq!(index.lookup("Sakartvelo"), Some(ids.of(Unsorted::at(0))));
    }

    #[test]
    fn two_profiles_with_one_slug_are_an_error_and_an_unknown_id_suggests_a_slug() {
        let mut d = Diagnostics::new();
        let mut names = Names::<document::ActorProfile>::new();
        for (i, file) in ["a.md", "b.md"].into_iter().enumerate() {
            names.add_profile(
                Loaded::at(i),
                "kim-jong-un",
                &name("Kim Jong Un"),
                &[],
                String::new(),
                Path::new(file),
                &mut d,
            );
        }
        let missing = names.resolve_id(&name("kim-jong-um"), Path::new("c.md"), &mut d);
        assert_eq!(missing, None);
        let d = d.sorted();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].code.name(), "name-collision");
        assert_eq!(d[0].origin.file(), Some(Path::new("b.md")));
        assert_eq!(d[1].code.name(), "bad-actor");
        assert_eq!(
            d[1].hint.as_deref(),
            Some("did you mean `id: kim-jong-un`?")
        );
    }
}
