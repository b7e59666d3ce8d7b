//! Fuzz target for the PO reader and writer (`src/i18n/po/`).
//!
//! The body, and the invariants it asserts, are in
//! `mdbook_runbook::fuzzing::po_file` (`src/fuzzing/`), which
//! `tests/fuzz_corpora.rs` also runs on the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_runbook::fuzzing::po_file(data));
