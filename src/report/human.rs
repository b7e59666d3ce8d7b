//! rustc-style text, drawn by annotate-snippets (rustc's own renderer): the
//! finding, its location, the source lines with the span underlined, and the
//! help.

use crate::diagnostic::{Diagnostic, Severity, Summary};
use crate::model::Guide;
use annotate_snippets::{Level, Renderer, Snippet};
use std::fmt::Write;

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

pub fn render(diagnostics: &[Diagnostic], guide: &Guide) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for d in diagnostics {
        let path = d.file.display().to_string();
        let chapter = guide
            .chapters
            .iter()
            .find(|c| c.path == d.chapter && d.file == d.chapter);
        let mut message = level(d.severity).title(&d.message).id(d.rule.id());
        if let Some(chapter) = chapter {
            let end = d.span.end.clamp(d.span.start, chapter.source.len());
            let start = d.span.start.min(end);
            message =
                message.snippet(
                    Snippet::source(&chapter.source)
                        .origin(&path)
                        .fold(true)
                        .annotation(level(d.severity).span(
                            start..end.max(start + usize::from(start < chapter.source.len())),
                        )),
                );
        }
        if let Some(help) = &d.help {
            message = message.footer(Level::Help.title(help));
        }
        let _ = writeln!(out, "{}", renderer.render(message));
        if chapter.is_none() {
            let _ = writeln!(out, " --> {path}:{}:{}", d.line, d.column);
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
