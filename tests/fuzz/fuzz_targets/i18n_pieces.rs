//! Fuzz target for code-safe extraction and translation (`src/i18n/`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::i18n_pieces` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::i18n_pieces(data));
