//! rustc-style text: the finding, its location, the source line with a caret
//! underline, and the help.

use crate::diagnostic::{Diagnostic, Summary};
use crate::model::Guide;
use std::fmt::Write;

pub fn render(diagnostics: &[Diagnostic], guide: &Guide) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}[{}]: {}", d.severity, d.rule, d.message);
        let gutter = d.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {}:{}:{}", d.file.display(), d.line, d.column);
        let line_text = guide
            .chapters
            .iter()
            .find(|c| c.path == d.file)
            .and_then(|c| c.source.lines().nth(d.line - 1));
        if let Some(text) = line_text {
            let width = if d.end_line == d.line {
                d.end_column.saturating_sub(d.column).max(1)
            } else {
                text.chars().count().saturating_sub(d.column - 1).max(1)
            };
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", d.line, text);
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(d.column - 1),
                "^".repeat(width)
            );
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out.push('\n');
    }
    let summary = Summary::of(diagnostics);
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info(s)",
        summary.errors, summary.warnings, summary.infos
    );
    out
}
