//! Fuzz target for the JSON parser (`src/json.rs`).
//!
//! Invariants, for any UTF-8 input:
//! - nothing panics, in strict or doc-style mode;
//! - every span and every recorded liberty lies inside the input;
//! - round trip: when the strict parser accepts a text, serde_json accepts
//!   it too and reads the same value; when serde_json accepts a text that is
//!   not nested too deeply, the strict parser accepts it too;
//! - the doc-style parser accepts everything the strict parser accepts, with
//!   no liberty recorded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_runbook::json::{self, Node, Value};

fn check_spans(node: &Node, len: usize) {
    assert!(node.start <= node.end && node.end <= len);
    match &node.value {
        Value::Array(items) => items.iter().for_each(|i| check_spans(i, len)),
        Value::Object(members) => {
            for m in members {
                assert!(m.key_start < m.key_end && m.key_end <= len);
                check_spans(&m.value, len);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let strict = json::parse_strict(text);
    let doc = json::parse_doc(text);
    if let Ok(doc) = &doc {
        check_spans(&doc.root, text.len());
        assert!(doc.liberties.iter().all(|l| l.offset <= text.len()));
    }
    let serde: Result<serde_json::Value, _> = serde_json::from_str(text);
    match &strict {
        Ok(node) => {
            check_spans(node, text.len());
            let ours = node.to_value().expect("strict trees have no elisions");
            assert_eq!(Some(ours), serde.as_ref().ok().cloned(), "serde_json disagrees on {text:?}");
            let doc = doc.expect("doc-style accepts strict JSON");
            assert!(doc.liberties.is_empty());
        }
        Err(_) => {
            if serde.is_ok() && text.matches(['[', '{']).count() < 100 {
                panic!("serde_json accepts {text:?} but the strict parser does not: {strict:?}");
            }
        }
    }
    let _ = json::strict_error(text);
});
