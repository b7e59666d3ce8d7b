//! Fuzz target for the JSON parser (`src/json.rs`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::doc_json` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::doc_json(data));
