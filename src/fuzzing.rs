//! The bodies of the fuzz targets in `tests/fuzz/`, one function per
//! target, shared with `tests/fuzz_corpora.rs`, which replays every
//! committed corpus through them in the normal test run.
//!
//! Each body takes the fuzzer's bytes (non-UTF-8 input is skipped), runs
//! one parser or the whole check, and panics when an invariant breaks:
//! spans inside the input and on character boundaries, renderers that give
//! valid JSON, round trips where one exists. Not part of the tool's API:
//! hidden from the docs and subject to change.

use crate::json::{self, Node, Value};
use crate::model::{Chapter, Span};
use std::path::Path;
use std::sync::OnceLock;

mod book;
mod checks;

pub use book::check_book_in;
pub use checks::{lookup, markdown, query, shell, shorthand};

/// A target: its name and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target but `check_book` (which needs a directory to write its
/// book in: [`check_book_in`]), by the name of its binary in
/// `tests/fuzz/Cargo.toml` and of its corpus, `tests/fuzz/corpus/<name>/`.
pub const TARGETS: &[Target] = &[
    ("doc_json", doc_json),
    ("po_file", po_file),
    ("i18n_pieces", i18n_pieces),
    ("markdown", markdown),
    ("shell", shell),
    ("shorthand", shorthand),
    ("query", query),
    ("lookup", lookup),
];

/// The JSON parser (`json.rs`): nothing panics in strict or doc-style mode;
/// spans and liberties lie inside the input; what the strict parser
/// accepts, serde_json reads as the same value, and what serde_json accepts
/// (not nested too deeply) the strict parser accepts; doc-style accepts
/// strict JSON with no liberty.
pub fn doc_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strict = json::parse_strict(text);
    let doc = json::parse_doc(text);
    if let Ok(doc) = &doc {
        json_spans(&doc.root, text);
        assert!(doc.liberties.iter().all(|l| l.offset <= text.len()));
    }
    let serde: Result<serde_json::Value, _> = serde_json::from_str(text);
    match &strict {
        Ok(node) => {
            json_spans(node, text);
            let ours = node.to_value().expect("strict trees have no elisions");
            assert_eq!(
                Some(ours),
                serde.as_ref().ok().cloned(),
                "serde_json disagrees on {text:?}"
            );
            let doc = doc.expect("doc-style accepts strict JSON");
            assert!(doc.liberties.is_empty());
        }
        Err(error) => {
            assert!(error.offset <= text.len());
            if serde.is_ok() && text.matches(['[', '{']).count() < 100 {
                panic!("serde_json accepts {text:?} but the strict parser does not: {strict:?}");
            }
        }
    }
    if let Some(error) = json::strict_error(text) {
        assert!(error.offset <= text.len());
    }
}

/// The PO reader and writer (`i18n/po/`): a broken file is an error naming
/// `file:line`; what the reader accepts, the writer writes as text the
/// reader accepts again, and writing that gives the same text.
pub fn po_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("po/fuzz.po");
    match crate::i18n::po::read::parse(text, path) {
        Err(error) => assert!(format!("{error}").starts_with("po/fuzz.po:")),
        Ok(catalog) => {
            let written = catalog.to_po();
            let again = crate::i18n::po::read::parse(&written, path)
                .expect("the writer's output reads back");
            assert_eq!(again.to_po(), written);
        }
    }
}

/// Code-safe extraction and translation (`i18n/`): every piece's span lies
/// on character boundaries; translating every piece by itself passes every
/// check and gives back the same pieces.
pub fn i18n_pieces(data: &[u8]) {
    use crate::i18n::{Catalog, Message, extract, translate};
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
    let chapters = vec![(std::path::PathBuf::from("a.md"), text.to_string())];
    let out = translate::chapters(&chapters, &identity, Path::new("book"))
        .expect("an identity translation passes every check");
    let msgids = |pieces: Vec<extract::Piece>| -> Vec<String> {
        pieces
            .into_iter()
            .map(|p| p.msgid)
            .filter(|m| !m.contains("](#"))
            .collect()
    };
    assert_eq!(msgids(pieces), msgids(extract::pieces(&out.texts[0])));
}

/// Asserts that `start..end` is a range of `text` on character boundaries.
#[track_caller]
fn in_text(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && text.get(start..end).is_some(),
        "{what} {start}..{end} is not a range of the {}-byte text on character boundaries",
        text.len()
    );
}

#[track_caller]
fn span_in(chapter: &Chapter, span: Span, what: &str) {
    in_text(&chapter.source, span.start, span.end, what);
}

/// Every span of a JSON (or shorthand) tree inside `text`, keys included.
fn json_spans(node: &Node, text: &str) {
    in_text(text, node.start, node.end, "value");
    match &node.value {
        Value::Array(items) => items.iter().for_each(|i| json_spans(i, text)),
        Value::Object(members) => {
            for m in members {
                in_text(text, m.key_start, m.key_end, "key");
                assert!(m.key_start < m.key_end);
                json_spans(&m.value, text);
            }
        }
        _ => {}
    }
}

/// The fixed FAQ index `lookup` is fuzzed against, made by the pipeline's
/// own parse, analysis and FAQ steps from a small runbook, and its scorer,
/// built once as `doctor` builds one for all its evidence.
fn faq_scorer() -> (
    &'static crate::faq::FaqIndex,
    &'static crate::lookup::Scorer<'static>,
) {
    static SCORER: OnceLock<crate::lookup::Scorer<'static>> = OnceLock::new();
    let index = faq_index();
    (
        index,
        SCORER.get_or_init(|| crate::lookup::Scorer::new(index)),
    )
}

fn faq_index() -> &'static crate::faq::FaqIndex {
    static INDEX: OnceLock<crate::faq::FaqIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let guide = crate::parse::parse_book([(
            std::path::PathBuf::from("book/runbook.md"),
            book::FAQ_CHAPTER.to_string(),
        )]);
        let analysis = crate::analysis::Analysis::with(
            &guide,
            crate::aws::custom::CliVersion::V2,
            &crate::analysis::ShellSettings::default(),
        );
        crate::faq::build(&guide, &analysis, "en", Path::new("book"))
    })
}
