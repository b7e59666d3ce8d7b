//! `fix-encoding` on text that was really mis-decoded (see
//! `tests/fixtures/encoding/README.md`): the repair must give back the clean
//! text, and a repair that leaves mojibake behind must never pass for one.

mod common;

use common::{bin, repo, run};
use mdbook_runbook::encoding::{self, Verdict};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/encoding").join(name)).unwrap()
}

#[test]
fn repairs_double_mac_roman_with_emoji() {
    let garbled = fixture("mac-roman-twice.md");
    assert!(garbled.contains("Ô£ø"), "the emoji went through U+F8FF");
    let repair = encoding::repair(&garbled);
    assert_eq!(repair.text, fixture("clean.md"));
    assert_eq!(repair.passes.len(), 2);
    assert_eq!(repair.verdict(), Verdict::Repaired);
}

#[test]
fn repairs_latin1_with_c1_controls() {
    let garbled = fixture("latin-1.md");
    assert!(garbled.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)));
    let analysis = encoding::analyze(&garbled).unwrap();
    assert!(analysis.is_mojibake(), "{analysis:?}");
    let repair = encoding::repair(&garbled);
    assert_eq!(repair.text, fixture("clean.md"));
    assert_eq!(repair.verdict(), Verdict::Repaired);
}

#[test]
fn fix_encoding_check_flags_latin1_with_c1_controls() {
    let file = repo().join("tests/fixtures/encoding/latin-1.md");
    let (code, _, stderr) = run(bin().arg("fix-encoding").arg("--check").arg(&file));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Windows-1252/Latin-1"), "{stderr}");
}

#[test]
fn fix_encoding_prints_double_mac_roman_with_emoji_repaired() {
    let file = repo().join("tests/fixtures/encoding/mac-roman-twice.md");
    let (code, stdout, stderr) = run(bin().arg("fix-encoding").arg(&file));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, fixture("clean.md"));
    assert!(stderr.contains("2 passes"), "{stderr}");
}

#[test]
fn a_repair_that_left_mojibake_behind_is_incomplete() {
    let garbled = fixture("pasted-latin-1-in-mac-roman.md");
    let repair = encoding::repair(&garbled);
    assert!(repair.changed());
    assert!(repair.text.contains("Réseau à vérifier"), "{}", repair.text);
    match repair.verdict() {
        Verdict::Incomplete(left) => assert!(left.repairs >= 3, "{left:?}"),
        other => panic!("{other:?}"),
    }
    let line = repair.report("page.md").unwrap();
    assert!(line.contains("mojibake remains"), "{line}");
}

#[test]
fn fix_encoding_never_claims_a_repair_that_left_mojibake_behind() {
    let dir = common::scratch("fix-encoding-incomplete");
    let file = dir.join("page.md");
    std::fs::copy(
        repo().join("tests/fixtures/encoding/pasted-latin-1-in-mac-roman.md"),
        &file,
    )
    .unwrap();
    let before = std::fs::read(&file).unwrap();
    let (code, _, stderr) = run(bin().arg("fix-encoding").arg("--in-place").arg(&file));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("mojibake remains"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "not rewritten");
}
