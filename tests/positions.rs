//! A diagnostic about a front-matter value points at that value, even when
//! its text also occurs earlier: in the title, in a longer name before it,
//! or in another item of the same list.

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
