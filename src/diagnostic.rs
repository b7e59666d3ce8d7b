//! [`Diagnostic`]: one finding, as plain data.
//!
//! Rules produce diagnostics; renderers in `report/` turn them into text.
//! A diagnostic points at a byte span of a chapter and carries the resolved
//! 1-based line and column of both ends, so renderers never need the model.
//! Findings are never `Err`: `Err` is for failures of the tool itself.

use crate::model::{Chapter, Span};
pub use crate::registry::{RuleId, Severity};
use serde::Serialize;
use std::path::PathBuf;

/// One finding. Serializes to the JSON shape of DESIGN.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file the finding is in, relative to the book root: the chapter,
    /// or the file it `{{#include}}`s at that point.
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The chapter the finding was made in (equal to `file` unless the text
    /// is included from another file).
    #[serde(skip)]
    pub chapter: PathBuf,
    /// Where the finding is in the chapter's text, as mdBook renders it.
    #[serde(skip)]
    pub span: Span,
}

impl Diagnostic {
    /// A finding at `span` of `chapter`.
    pub fn new(
        rule: RuleId,
        severity: Severity,
        chapter: &Chapter,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let (file, start) = chapter.locate(span.start);
        let (end_file, end) = chapter.locate(span.end.max(span.start));
        // A span that runs out of an included file ends where it started.
        let end = if end_file == file { end } else { start };
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            help: None,
            file: file.to_path_buf(),
            chapter: chapter.path.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            span,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Counts by severity, as in the JSON `summary`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

/// Sorts findings by file, position and rule, for stable output.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule).cmp(&(&b.file, b.line, b.column, b.rule))
    });
}
