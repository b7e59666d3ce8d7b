//! Fuzz target for the whole `check` on a one-chapter book (the input is
//! the chapter), with the human, JSON, GitHub and SARIF renderers.
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::check_book_in` (`src/fuzzing/book.rs`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus. The book is
//! written to one directory per process under `tests/fuzz/target/`,
//! rewritten at each iteration.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("check-book-{}", std::process::id()))
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::check_book_in(&ROOT, data));
