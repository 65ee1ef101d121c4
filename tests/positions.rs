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
                d["message"]
                    .as_str()
                    .unwrap()
                    .split(' ')
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" "),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let at = |code: &str, message: &str, line: u64, column: u64| {
        (code.to_string(), message.to_string(), line, column)
    };
    assert_eq!(
        found,
        [
            at("unknown-actor", "actor 'Kimberly Lee' has", 5, 10),
            at("unknown-actor", "actor 'Kim' has", 5, 24),
            at("unknown-topic", "topic 'Kimchi' has", 7, 5),
            at("unknown-topic", "topic 'Kim' has", 8, 5),
            at("bad-url", "source `url`: 'ftp://Kim'", 10, 31),
            at("duplicate-source-id", "two sources have", 11, 10),
            at("bad-url", "source `url`: 'ftp://Kim'", 11, 31),
        ],
        "{items:#?}"
    );
}
