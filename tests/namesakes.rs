//! Real registries have namesakes: two "Georgia", an author and an
//! organisation both called "FedRAMP". Each profile keeps its page (its
//! slug is its identity); a reference that names one of them alone
//! resolves, a reference by the shared name is an `ambiguous-name` error
//! listing every candidate, and no link goes silently to one of them.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Two Georgias, a person and an organisation both named FedRAMP, and a
/// briefing that names each of them alone: by slug, by `{name, id}`, by an
/// alias only one has, by `{id}`.
fn namesakes_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    write(
        &root,
        "attache.yaml",
        "title: Desk\nbase_url: https://example.org/\n",
    );
    write(
        &root,
        "content/actors/georgia-country.md",
        "---\nname: Georgia\naliases: [Sakartvelo]\nkind: state\ndisambiguation: country\n---\nThe country.\n",
    );
    write(
        &root,
        "content/actors/georgia-state.md",
        "---\nname: Georgia\nkind: state\ndisambiguation: US state\naffiliations: [United States]\n---\nThe US state.\n",
    );
    write(
        &root,
        "content/actors/fedramp-author.md",
        "---\nname: FedRAMP\nkind: person\n---\nThe blog's byline.\n",
    );
    write(
        &root,
        "content/actors/fedramp.md",
        "---\nname: FedRAMP\nkind: organization\n---\nThe programme.\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-01-caucasus.md",
        "---\ntitle: Tbilisi and Atlanta\ndate: 2024-03-01\nactors:\n  - georgia-state\n  - {name: Georgia, id: georgia-country}\n  - {id: fedramp}\n---\nSakartvelo signed; Georgia and FedRAMP did not. [[Sakartvelo]] is linked.\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-02-byline.md",
        "---\ntitle: A byline\ndate: 2024-03-02\nactors: [fedramp-author, Sakartvelo]\n---\nBy FedRAMP.\n",
    );
    root
}

#[test]
fn namesakes_build_each_with_its_page_and_are_shown_apart() {
    let dir = tempfile::tempdir().unwrap();
    let root = namesakes_site(dir.path());
    let (code, diagnostics) = check_json(&root, &[]);
    assert_eq!(code, 0, "{diagnostics:#?}");
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    for slug in [
        "georgia-country",
        "georgia-state",
        "fedramp-author",
        "fedramp",
    ] {
        assert!(
            out.join("actors").join(slug).join("index.html").is_file(),
            "{slug} has no page"
        );
    }
    let country = read(&out, "actors/georgia-country/index.html");
    assert!(country.contains("Georgia (country)"), "{country}");
    let state = read(&out, "actors/georgia-state/index.html");
    assert!(state.contains("Georgia (US state)"));
    // Without a `disambiguation`, the kind tells them apart.
    let person = read(&out, "actors/fedramp-author/index.html");
    assert!(person.contains("FedRAMP (person)"));
    // The briefing's cards name each one apart, linked to its own page.
    let briefing = read(&out, "briefings/2024/caucasus/index.html");
    for (label, slug) in [
        ("Georgia (country)", "georgia-country"),
        ("Georgia (US state)", "georgia-state"),
        ("FedRAMP (organization)", "fedramp"),
    ] {
        assert!(
            briefing.contains(label),
            "{label} missing from the briefing"
        );
        assert!(briefing.contains(&format!("/actors/{slug}/")));
    }
    // The search index names them apart too.
    let search = read(&out, "search-index.json");
    assert!(search.contains("Georgia (US state)") && search.contains("Georgia (country)"));
}

#[test]
fn a_shared_name_never_links_silently_to_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = namesakes_site(dir.path());
    write(
        &root,
        "attache.yaml",
        "title: Desk\nbase_url: https://example.org/\nactors: {autolink: all}\n",
    );
    let out = dir.path().join("out");
    build_ok(&root, &out, &[]);
    let briefing = read(&out, "briefings/2024/caucasus/index.html");
    let at = briefing.rfind("signed; Georgia").unwrap();
    let body = &briefing[briefing[..at].rfind("<p>").unwrap()..];
    let body = &body[..body.find("</p>").unwrap()];
    // The unique alias is autolinked and [[...]]-linked; the shared names
    // are left as text.
    assert!(
        body.contains("/actors/georgia-country/\">Sakartvelo</a>"),
        "{body}"
    );
    assert!(!body.contains(">Georgia</a>"), "{body}");
    assert!(!body.contains(">FedRAMP</a>"), "{body}");
}

#[test]
fn a_reference_by_a_shared_name_fails_with_every_candidate_and_how_to_write_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = namesakes_site(dir.path());
    write(
        &root,
        "content/briefings/2024/2024-03-03-vague.md",
        "---\ntitle: Vague\ndate: 2024-03-03\nactors:\n  - Georgia\n---\nAbout [[Georgia]] and [[FedRAMP]].\n",
    );
    let (code, diagnostics) = check_json(&root, &[]);
    assert_eq!(code, 1);
    let ambiguous: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "ambiguous-name")
        .collect();
    // The front-matter name, and both [[...]] links in the body.
    assert_eq!(ambiguous.len(), 3, "{diagnostics:#?}");
    let front = ambiguous
        .iter()
        .find(|d| d["line"] == 5)
        .expect("at the actors item");
    assert_eq!(front["column"], 5);
    let message = front["message"].as_str().unwrap();
    assert!(
        message.contains("'georgia-country' (country, state;"),
        "{message}"
    );
    assert!(
        message.contains("'georgia-state' (US state, state, of United States;"),
        "{message}"
    );
    let hint = front["hint"].as_str().unwrap();
    assert!(
        hint.contains("`georgia-country`") && hint.contains("{name: Georgia, id: georgia-country}")
    );
    let body = ambiguous
        .iter()
        .find(|d| d["line"] == 7)
        .expect("in the body");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("'Georgia' names 2")
    );
    // build refuses too, and writes nothing.
    let out = dir.path().join("out");
    build_fails(&root, &out, &[]);
}

#[test]
fn an_unknown_id_is_an_error_with_the_nearest_slug() {
    let dir = tempfile::tempdir().unwrap();
    let root = namesakes_site(dir.path());
    write(
        &root,
        "content/briefings/2024/2024-03-04-typo.md",
        "---\ntitle: Typo\ndate: 2024-03-04\nactors:\n  - {name: Georgia, id: georgia-contry}\n---\nBody.\n",
    );
    let (code, diagnostics) = check_json(&root, &[]);
    assert_eq!(code, 1);
    let bad = diagnostics
        .iter()
        .find(|d| d["code"] == "bad-actor")
        .expect("a bad-actor error");
    assert_eq!(bad["hint"], "did you mean `id: georgia-country`?");
    assert_eq!(
        (bad["line"].as_u64(), bad["column"].as_u64()),
        (Some(5), Some(25))
    );
}

#[test]
fn a_misspelled_wiki_link_gets_the_near_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root, "attache.yaml", "title: Desk\n");
    write(
        &root,
        "content/actors/vladimir-putin.md",
        "---\nname: Vladimir Putin\n---\n",
    );
    write(
        &root,
        "content/topics/sanctions.md",
        "---\nname: Sanctions\n---\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-01-a.md",
        "---\ntitle: A\ndate: 2024-03-01\n---\n[[Vladimir Putim]] spoke on [[topic:Sanctons]].\n",
    );
    let (_, diagnostics) = check_json(&root, &[]);
    let hints: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["code"] == "unresolved-link")
        .map(|d| d["hint"].as_str().unwrap())
        .collect();
    assert_eq!(
        hints,
        [
            "did you mean [[Vladimir Putin]]?",
            "did you mean [[topic:Sanctions]]?"
        ]
    );
}

#[test]
fn a_bad_date_or_title_does_not_hide_the_files_other_problems() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root, "attache.yaml", "title: Desk\n");
    write(
        &root,
        "content/actors/vladimir-putin.md",
        "---\nname: Vladimir Putin\n---\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-01-a.md",
        "---\ntitle: A\ndate: 2024-13-45\nactors: [Vladimir Putim]\n---\nSee [@nowhere] and [[Sergei Lavrov]].\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-02-b.md",
        "---\ndate: 2024-03-02\nactors: [Sergei Shoygu]\n---\nNo title, and [[briefing:nothing]].\n",
    );
    write(
        &root,
        "content/briefings/2024/2024-03-03-c.md",
        "---\ntitle: C\ndate: 2024-03-03\nslug: '!!!'\nactors: [Choe Son Hui]\n---\nA bad slug.\n",
    );
    let (code, diagnostics) = check_json(&root, &[]);
    assert_eq!(code, 1);
    let found = |file: &str, code: &str| {
        diagnostics
            .iter()
            .any(|d| d["code"] == code && d["file"].as_str().unwrap().ends_with(file))
    };
    for code in [
        "bad-date",
        "unknown-actor",
        "unknown-citation",
        "unresolved-link",
    ] {
        assert!(
            found("2024-03-01-a.md", code),
            "no {code} in a.md: {diagnostics:#?}"
        );
    }
    for code in ["missing-field", "unknown-actor", "unresolved-link"] {
        assert!(
            found("2024-03-02-b.md", code),
            "no {code} in b.md: {diagnostics:#?}"
        );
    }
}
