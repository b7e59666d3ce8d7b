//! Fuzz target for `lookup`'s normalisation and scoring against a fixed FAQ index (`src/lookup/`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::lookup` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::lookup(data));
