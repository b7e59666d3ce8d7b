//! Fuzz target for `--query` JMESPath as the checker reads it (`src/aws/query.rs`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::query` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::query(data));
