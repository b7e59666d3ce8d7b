//! Replays every committed fuzz corpus (`tests/fuzz/corpus/<target>/`)
//! through the very code its fuzz target runs (`mdbook_runbook::fuzzing`),
//! so a crash the fuzzer once found, and every seed, stays fixed in the
//! normal test run. Fuzzing itself is not part of `cargo test`.

use mdbook_runbook::fuzzing;
use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no seed", dir.display());
    files
}

/// Runs `body` on every file of `target`'s corpus; names the file that fails.
fn replay(target: &str, body: impl Fn(&[u8])) -> usize {
    let files = corpus(target);
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&data))).is_err() {
            panic!("fuzz target {target} fails on {}", path.display());
        }
    }
    files.len()
}

#[test]
fn every_fuzz_target_has_a_corpus_and_passes_it() {
    // The corpus directories are exactly the targets.
    let mut dirs: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    dirs.sort();
    let mut targets: Vec<String> = fuzzing::TARGETS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    targets.push("check_book".to_string());
    targets.sort();
    assert_eq!(dirs, targets);
    // And so are the fuzz crate's binaries.
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/Cargo.toml"),
    )
    .unwrap();
    let mut bins: Vec<String> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|bin| bin.lines().find_map(|l| l.strip_prefix("name = ")))
        .map(|name| name.trim_matches('"').to_string())
        .collect();
    bins.sort();
    assert_eq!(bins, targets);
    for (name, body) in fuzzing::TARGETS {
        replay(name, body);
    }
}

#[test]
fn check_book_corpus_passes() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-check-book");
    let _ = std::fs::remove_dir_all(&root);
    replay("check_book", |data| fuzzing::check_book_in(&root, data));
}
