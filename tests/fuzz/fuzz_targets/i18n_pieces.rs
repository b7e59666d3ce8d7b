//! Fuzz target for code-safe extraction and translation (`src/i18n/`).
//!
//! Invariants, for any UTF-8 markdown:
//! - extraction never panics, and every piece's span lies on character
//!   boundaries of the input;
//! - translating every piece by itself passes every check (nothing about
//!   the page's code or structure changes) and gives back the same pieces.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_runbook::i18n::{Catalog, Message, extract, translate};
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let pieces = extract::pieces(text);
    let mut identity = Catalog::new("fr", "fuzz");
    for piece in &pieces {
        assert!(text.get(piece.span.start..piece.span.end).is_some());
        if identity.get(&piece.msgid).is_none() {
            let mut message = Message::new(piece.msgid.clone());
            message.msgstr = vec![piece.msgid.clone()];
            identity.push(message).unwrap();
        }
    }
    let chapters = vec![(PathBuf::from("a.md"), text.to_string())];
    let out = translate::chapters(&chapters, &identity, Path::new("book"))
        .expect("an identity translation passes every check");
    let again: Vec<String> = extract::pieces(&out.texts[0])
        .into_iter()
        .map(|p| p.msgid)
        .filter(|m| !m.contains("](#"))
        .collect();
    let before: Vec<String> = pieces
        .into_iter()
        .map(|p| p.msgid)
        .filter(|m| !m.contains("](#"))
        .collect();
    assert_eq!(before, again);
});
