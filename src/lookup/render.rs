//! How `lookup` prints its answer: text for a terminal (book text with its
//! control characters made visible), or JSON. Pure functions from hits to
//! text; the binary writes it.

use super::Hit;
use crate::report::visible;
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
            visible(hit.title),
            visible(&hit.entry.section.title),
            hit.confidence * 100.0
        );
        for cause in hit.entry.causes.iter().take(3) {
            let _ = writeln!(out, "   cause: {}", visible(cause));
        }
        for command in hit.entry.commands.iter().take(4) {
            let _ = writeln!(
                out,
                "   $ {}   ({})",
                visible(&command.command),
                visible(&command.access)
            );
        }
        if let Some(script) = &hit.entry.script {
            let _ = writeln!(out, "   check script: checks/{}", visible(script));
        }
        let _ = writeln!(out, "   {}\n", visible(hit.url));
    }
    out
}

/// `{"matches": [...]}`, best first.
pub fn json(hits: &[Hit<'_>]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "matches": hits })).expect("hits serialize")
        + "\n"
}
