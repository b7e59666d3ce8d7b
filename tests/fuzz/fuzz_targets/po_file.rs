//! Fuzz target for the PO reader and writer (`src/i18n/po/`).
//!
//! Invariants, for any UTF-8 input:
//! - reading never panics: a broken file is an error naming `file:line`;
//! - round trip: what the reader accepts, the writer writes as text the
//!   reader accepts again, and writing that gives the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_runbook::i18n::po::read::parse;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("po/fuzz.po");
    match parse(text, path) {
        Err(error) => assert!(format!("{error}").starts_with("po/fuzz.po:")),
        Ok(catalog) => {
            let written = catalog.to_po();
            let again = parse(&written, path).expect("the writer's output reads back");
            assert_eq!(again.to_po(), written);
        }
    }
});
