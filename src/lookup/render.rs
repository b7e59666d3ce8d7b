//! How `lookup` prints its answer: text for a terminal, or JSON. Pure
//! functions from hits to text; the binary writes it.

use super::Hit;
use std::fmt::Write;

/// The answer for a terminal: each entry with its section, confidence,
/// first causes, commands, check script and page; or a plain statement
/// that no entry explains the text.
pub fn text(hits: &[Hit<'_>]) -> String {
    let mut out = String::new();
    if hits.is_empty() {
        out.push_str("no entry explains this text\n");
        return out;
    }
    for (rank, hit) in hits.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {}  [{}, confidence {:.0}%]",
            rank + 1,
            hit.title,
            hit.entry.section.title,
            hit.confidence * 100.0
        );
        for cause in hit.entry.causes.iter().take(3) {
            let _ = writeln!(out, "   cause: {cause}");
        }
        for command in hit.entry.commands.iter().take(4) {
            let _ = writeln!(out, "   $ {}   ({})", command.command, command.access);
        }
        if let Some(script) = &hit.entry.script {
            let _ = writeln!(out, "   check script: checks/{script}");
        }
        let _ = writeln!(out, "   {}\n", hit.url);
    }
    out
}

/// `{"matches": [...]}`, best first.
pub fn json(hits: &[Hit<'_>]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "matches": hits })).expect("hits serialize")
        + "\n"
}
