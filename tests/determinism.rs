//! Two builds of the same sources give byte-identical sites: both
//! languages, faq.json, the check scripts and their manifest. Builds in two
//! directories, so nothing but the sources is shared.

mod common;

use common::{bin, copy_dir, repo, run, scratch, tree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn built_site(name: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let dir = scratch(name);
    std::fs::copy(repo().join("book.toml"), dir.join("book.toml")).unwrap();
    copy_dir(&repo().join("book"), &dir.join("book"));
    copy_dir(&repo().join("po"), &dir.join("po"));
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    tree(&dir.join("site"))
}

#[test]
fn two_builds_give_identical_sites() {
    let first = built_site("determinism-1");
    let second = built_site("determinism-2");
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for lang in ["fr", "en"] {
        assert!(first.contains_key(&PathBuf::from(lang).join("faq.json")));
    }
    assert!(first.contains_key(Path::new("checks/manifest.json")));
    let differing: Vec<&PathBuf> = first
        .iter()
        .filter(|(path, content)| second[*path] != **content)
        .map(|(path, _)| path)
        .collect();
    assert!(differing.is_empty(), "files that differ: {differing:?}");
}
