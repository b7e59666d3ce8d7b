//! Fuzz target for the AWS CLI shorthand and its validation (`src/aws/shorthand.rs`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::shorthand` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::shorthand(data));
