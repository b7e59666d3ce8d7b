//! The structure of a build: one load, one run of the preprocessors, one
//! parse of each chapter. Alone in its test binary, so the process-wide
//! parse counter sees only this build.

mod common;

use common::copy_of_repo_book;

#[test]
fn build_parses_each_chapter_once() {
    let root = copy_of_repo_book("parse-once");
    let chapters = std::fs::read_to_string(root.join("book/SUMMARY.md"))
        .unwrap()
        .matches("](./")
        .count();
    let before = mdbook_runbook::parse::chapters_parsed();
    mdbook_runbook::site::build(&root).unwrap();
    let parsed = mdbook_runbook::parse::chapters_parsed() - before;
    assert_eq!(
        parsed, chapters,
        "each of the {chapters} chapters parsed once"
    );
    assert!(root.join("site/fr/faq.json").is_file());
}
