//! A diagnostic about a YAML value points at that value's own line and
//! column, taken from the parsed node, even when its text also occurs
//! earlier: in the title, in a comment, in a longer name before it, or in
//! another item of the same list; and when it is written other than as its
//! text (an alias, an escape, a folded line). The same holds in
//! `attache.yaml`, in CRLF files, and with wide characters and tabs.

mod common;
use common::*;

#[test]
fn repeated_substrings_do_not_move_a_diagnostic_off_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    std::fs::write(
        root.join("content/briefings/a.md"),
        "---\n\
         title: Kim meets Kimberly Lee\n\
         date: 2024-01-02\n\
         summary: Kim and Kim again\n\
         actors: [Kimberly Lee, Kim]\n\
         topics:\n  - Kimchi\n  - Kim\n\
         sources:\n  - {id: a, title: Kim, url: \"ftp://Kim\"}\n  - {id: a, title: Kim, url: \"ftp://Kim\"}\n\
         ---\nBody.\n",
    )
    .unwrap();
    let (_, items) = check_json(&root, &[]);
    let found: Vec<(String, String, u64, u64)> = items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // Each message starts with what it is about; the rest is its own test's.
    let found: Vec<(String, String, u64, u64)> = found
        .into_iter()
        .map(|(code, message, line, column)| {
            let about = message.split(" has ").next().unwrap();
            let about = about.split(" is ").next().unwrap().to_string();
            (code, about, line, column)
        })
        .collect();
    let at = |code: &str, about: &str, line: u64, column: u64| {
        (code.to_string(), about.to_string(), line, column)
    };
    assert_eq!(
        found,
        [
            at("unknown-actor", "actor 'Kimberly Lee'", 5, 10),
            at("unknown-actor", "actor 'Kim'", 5, 24),
            at("unknown-topic", "topic 'Kimchi'", 7, 5),
            at("unknown-topic", "topic 'Kim'", 8, 5),
            at("bad-url", "source `url`: 'ftp://Kim'", 10, 31),
            at(
                "duplicate-source-id",
                "two sources have the id 'a'; citations [@a] would be ambiguous",
                11,
                10,
            ),
            at("bad-url", "source `url`: 'ftp://Kim'", 11, 31),
        ],
        "{items:#?}"
    );
}

/// A site with `files` (path, text) and nothing else.
fn site(dir: &std::path::Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(root.join("content/briefings")).unwrap();
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

/// `attache check` on a site of `files`: each diagnostic as (code, line,
/// column, message), in the order reported.
fn positions(files: &[(&str, &str)]) -> Vec<(String, u64, u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), files);
    let (_, items) = check_json(&root, &[]);
    items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Where the diagnostics with `code` whose message holds `about` point.
fn places(found: &[(String, u64, u64, String)], code: &str, about: &str) -> Vec<(u64, u64)> {
    found
        .iter()
        .filter(|(c, _, _, message)| c == code && message.contains(about))
        .map(|(_, line, column, _)| (*line, *column))
        .collect()
}

const BRIEFING: &str = "content/briefings/a.md";

#[test]
fn a_name_that_is_also_in_the_title_points_at_the_actors_line() {
    let found = positions(&[(
        BRIEFING,
        "---\ntitle: Kim meets Lee\ndate: 2024-01-02\nactors: [Kim]\n---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(4, 10)],
        "{found:#?}"
    );
    // A comment that names the actor before the list does not move it.
    let found = positions(&[(
        BRIEFING,
        "---\ntitle: Kim meets Lee\ndate: 2024-01-02\nactors: # Kim first, then Kimberly Lee\n  - Kim\n  - Kimberly Lee\n---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(5, 5)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kimberly Lee'"),
        [(6, 5)],
        "{found:#?}"
    );
}

#[test]
fn block_list_items_with_repeated_substrings_point_at_their_own_lines() {
    let found = positions(&[(
        BRIEFING,
        "---\n\
         title: Kim meets Kimberly Lee\n\
         date: 2024-01-02\n\
         actors:\n  - Kimberly Lee\n  - Kim\n\
         topics:\n  - Kim\n  - Kimchi\n  -   Kim Jong\n\
         ---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kimberly Lee'"),
        [(5, 5)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(6, 5)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-topic", "'Kim'"),
        [(8, 5)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-topic", "'Kimchi'"),
        [(9, 5)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-topic", "'Kim Jong'"),
        [(10, 7)],
        "{found:#?}"
    );
}

#[test]
fn a_name_written_other_than_its_text_points_at_where_it_is_written() {
    // An alias, an escape and a plain scalar folded over two lines: none
    // of them is found by looking for the name's text.
    let found = positions(&[(
        BRIEFING,
        "---\n\
         title: &lead Kim\n\
         date: 2024-01-02\n\
         actors: [Lee, *lead, \"Ki\\u006d Jong\", Kimberly\n   Lee Park]\n\
         ---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(4, 15)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kim Jong'"),
        [(4, 23)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kimberly Lee Park'"),
        [(4, 39)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Lee'"),
        [(4, 10)],
        "{found:#?}"
    );
}

#[test]
fn bad_dates_point_at_the_date_value() {
    let found = positions(&[(
        BRIEFING,
        "---\n\
         title: 2024-13-45 in review\n\
         date:   2024-13-45\n\
         updated: \"2024-02-30\"\n\
         events:\n  - {what: 2024-13-45 again, date: 2024-13-45}\n\
         corrections:\n  - date: 2024-13-45\n    note: x\n\
         ---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "bad-date", "`date`"),
        [(3, 9), (6, 36)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-date", "`updated`"),
        [(4, 11)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-date", "`corrections`"),
        [(8, 11)],
        "{found:#?}"
    );
}

#[test]
fn values_in_a_flow_mapping_inside_a_list_point_at_themselves() {
    let found = positions(&[(
        BRIEFING,
        "---\n\
         title: Kim and Lee\n\
         date: 2024-01-02\n\
         actors:\n  - {role: Kim, name: Kim}\n  - {name: Lee, role: Lee}\n  - {role: host}\n\
         events:\n  - {date: 2024-01-01, what: Kim arrives, actors: [Kimberly, Kim]}\n\
         ---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(5, 23)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Lee'"),
        [(6, 12)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kimberly'"),
        [(9, 52)],
        "{found:#?}"
    );
    // An item without a name is reported at the item.
    assert_eq!(
        places(&found, "bad-actor", "no name"),
        [(7, 5)],
        "{found:#?}"
    );
}

#[test]
fn config_values_and_keys_point_at_themselves() {
    let config = "title: Desk\n\
                  paginate: lots # of pages\n\
                  base_url: paginate\n\
                  git: {history: many, colour: blue, provenance: true}\n\
                  feeds:\n  limit: -1\n\
                  markdown: {raw_html: sanitise}\n\
                  titel: Desk\n";
    let found = positions(&[
        ("attache.yaml", config),
        (BRIEFING, "---\ntitle: A\ndate: 2024-01-02\n---\nBody.\n"),
    ]);
    assert_eq!(
        places(&found, "bad-config", "`paginate`"),
        [(2, 11)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-url", "`base_url`"),
        [(3, 11)],
        "{found:#?}"
    );
    // A known setting with a wrong value: the value; an unknown one: the key.
    assert_eq!(
        places(&found, "bad-config", "`git.history`"),
        [(4, 16)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-config", "`git.colour`"),
        [(4, 22)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-config", "`feeds.limit`"),
        [(6, 10)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-config", "`markdown.raw_html`"),
        [(7, 22)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-field", "`titel`"),
        [(8, 1)],
        "{found:#?}"
    );
}

#[test]
fn crlf_files_point_at_the_same_places() {
    let text = "---\ntitle: Kim meets Kimberly Lee\ndate: 2024-01-02\nupdated: 2024-13-45\nactors: [Kimberly Lee, Kim]\ntopics:\n  - Kimchi\n  - Kim\n---\nBody.\n";
    let lf = positions(&[(BRIEFING, text)]);
    let crlf = positions(&[(BRIEFING, &text.replace('\n', "\r\n"))]);
    assert_eq!(
        places(&crlf, "bad-date", "`updated`"),
        [(4, 10)],
        "{crlf:#?}"
    );
    assert_eq!(
        places(&crlf, "unknown-actor", "'Kim'"),
        [(5, 24)],
        "{crlf:#?}"
    );
    assert_eq!(
        places(&crlf, "unknown-topic", "'Kim'"),
        [(8, 5)],
        "{crlf:#?}"
    );
    assert_eq!(lf, crlf);
}

#[test]
fn columns_count_characters_and_tabs_as_one() {
    let found = positions(&[(
        BRIEFING,
        "---\ntitle: Caf\u{e9}\ndate: 2024-01-02\nactors: [\u{d1}o\u{f1}o,\tKim]\ntopics: [\u{4e2d}\u{6587}, Kim]\n---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(4, 16)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-topic", "'Kim'"),
        [(5, 14)],
        "{found:#?}"
    );
}

#[test]
fn empty_and_comment_only_front_matter_point_at_the_first_line() {
    for yaml in ["", "# only a comment\n", "\n\n"] {
        let found = positions(&[(BRIEFING, &format!("---\n{yaml}---\nBody.\n"))]);
        assert_eq!(
            places(&found, "missing-field", "`title`"),
            [(2, 1)],
            "{yaml:?}: {found:#?}"
        );
    }
    // A front matter that is a list is reported where the list starts.
    let found = positions(&[(BRIEFING, "---\n# fields\n- title\n---\nBody.\n")]);
    assert_eq!(
        places(&found, "front-matter-not-mapping", "a list"),
        [(3, 1)],
        "{found:#?}"
    );
}

#[test]
fn merge_keys_and_anchors_keep_positions() {
    // `<<` is not applied: it is an unknown field, at its key; the names
    // after it are placed as written.
    let found = positions(&[(
        BRIEFING,
        "---\ntitle: A\ndate: 2024-01-02\nbase: &base {actors: [Kim]}\n<<: *base\nactors: [Lee, Kim]\n---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-field", "`<<`"),
        [(5, 1)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-field", "`base`"),
        [(4, 1)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(6, 15)],
        "{found:#?}"
    );
}

#[test]
fn slug_problems_point_at_the_slug_value() {
    let found = positions(&[
        (
            "content/briefings/2024-01-02-a.md",
            "---\ntitle: A\ndate: 2024-01-02\nslug: same\n---\nBody.\n",
        ),
        (
            "content/briefings/2024-01-03-b.md",
            "---\ntitle: B\ndate: 2024-01-02\nslug:    \"same\"\n---\nBody.\n",
        ),
        (
            "content/pages/p.md",
            "---\ntitle: P\nslug:  actors # taken\n---\nBody.\n",
        ),
        (
            "content/pages/q.md",
            "---\ntitle: Q\nslug:   \"...\"\n---\nBody.\n",
        ),
    ]);
    assert_eq!(places(&found, "duplicate-url", ""), [(4, 11)], "{found:#?}");
    assert_eq!(
        places(&found, "reserved-slug", "'actors'"),
        [(3, 8)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-slug", "`slug`"),
        [(3, 10)],
        "{found:#?}"
    );
}

#[test]
fn an_unknown_theme_points_at_the_theme_value() {
    let found = positions(&[
        (
            "attache.yaml",
            "title: Desk\n# the look\ntheme:   'nosuch'\n",
        ),
        (BRIEFING, "---\ntitle: A\ndate: 2024-01-02\n---\nBody.\n"),
    ]);
    assert_eq!(
        places(&found, "unknown-theme", "'nosuch'"),
        [(3, 11)],
        "{found:#?}"
    );
}

#[test]
fn text_wrapped_onto_unindented_lines_keeps_later_positions() {
    // Lines YAML 1.2 wants indented, which serde_yaml reads all the same:
    // a quoted summary and a flow list wrapped to column 1, a tab after a
    // colon. Every value after them is still placed where it is written.
    let found = positions(&[(
        BRIEFING,
        "---\n\
         title: A\n\
         date: 2024-01-02\n\
         summary: \"Kim meets\n\
         Lee\"\n\
         topics: [Kimchi,\n\
         Kim]\n\
         updated:\t2024-13-45\n\
         actors:\n  - {name: Kimberly,\n  role: host}\n  - Kim\n\
         ---\nBody.\n",
    )]);
    assert_eq!(
        places(&found, "unknown-topic", "'Kim'"),
        [(7, 1)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "bad-date", "`updated`"),
        [(8, 10)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kimberly'"),
        [(10, 12)],
        "{found:#?}"
    );
    assert_eq!(
        places(&found, "unknown-actor", "'Kim'"),
        [(12, 5)],
        "{found:#?}"
    );
}

#[test]
fn a_config_with_a_byte_order_mark_is_read_and_placed() {
    // Editors on Windows save a byte-order mark; it takes no column.
    let found = positions(&[
        ("attache.yaml", "\u{feff}paginate: lots\ntitle: Desk\n"),
        (BRIEFING, "---\ntitle: A\ndate: 2024-01-02\n---\nBody.\n"),
    ]);
    assert_eq!(
        places(&found, "bad-config", "`paginate`"),
        [(1, 11)],
        "{found:#?}"
    );
    assert!(found.iter().all(|(code, ..)| code != "yaml"), "{found:#?}");
}
