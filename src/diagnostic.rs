//! [`Diagnostic`]: one finding, as plain data.
//!
//! Rules produce diagnostics; renderers in `report/` turn them into text.
//! A diagnostic points at a byte span of a chapter, always on character
//! boundaries, and carries the resolved 1-based line and column of both
//! ends, so renderers never need the model.
//! Findings are never `Err`: `Err` is for failures of the tool itself.

use crate::model::{Chapter, Span};
pub use crate::registry::{RuleId, Severity};
use serde::Serialize;
use std::path::PathBuf;

/// One finding. Serializes to the `diagnostics` items of `check --format json` (see the README).
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
    /// A finding at `span` of `chapter`. The span is clamped to the text
    /// and widened to whole characters, so a rule that points at one byte
    /// of a multi-byte character still gives renderers a valid range.
    pub fn new(
        rule: RuleId,
        severity: Severity,
        chapter: &Chapter,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let span = snap_to_chars(&chapter.source, span);
        let (file, start) = chapter.locate(span.start);
        let (end_file, end) = chapter.locate(span.end);
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

/// `span` inside `text` and on character boundaries: the start moves back
/// to the start of its character, the end forward to the end of its own.
/// A CRLF line break counts as one character, so a finding on it points at
/// its `\r`, the column an editor shows for the end of the line.
pub fn snap_to_chars(text: &str, span: Span) -> Span {
    let between_cr_lf = |at: usize| text[at..].starts_with('\n') && text[..at].ends_with('\r');
    let mut start = text.floor_char_boundary(span.start.min(text.len()));
    let mut end = text.ceil_char_boundary(span.end.clamp(start, text.len()));
    // A CRLF line break is one character, which starts at its `\r`.
    if between_cr_lf(start) {
        start -= 1;
    }
    if end > start && between_cr_lf(end) {
        end += 1;
    }
    Span::new(start, end)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A span as (start, end), and what it snaps to.
    type Case = ((usize, usize), (usize, usize));

    fn assert_snaps(text: &str, cases: &[Case]) {
        for &((start, end), (snapped_start, snapped_end)) in cases {
            assert_eq!(
                snap_to_chars(text, Span::new(start, end)),
                Span::new(snapped_start, snapped_end),
                "{start}..{end}"
            );
        }
    }

    #[test]
    fn spans_snap_to_whole_characters() {
        assert_snaps(
            "a“b”🔥",
            &[
                ((0, 1), (0, 1)),
                // One byte of `“` becomes the whole character.
                ((1, 2), (1, 4)),
                ((2, 3), (1, 4)),
                // An end inside the emoji moves to its end.
                ((8, 10), (8, 12)),
                // Reversed and out-of-range spans are clamped.
                ((6, 2), (5, 5)),
                ((40, 50), (12, 12)),
            ],
        );
    }

    #[test]
    fn a_crlf_line_break_is_one_character() {
        assert_snaps(
            "ab\r\ncd",
            &[
                // On the `\n`: the line break, from its `\r`.
                ((3, 4), (2, 4)),
                ((3, 3), (2, 4)),
                ((3, 6), (2, 6)),
                // Ending between the two: the whole line break.
                ((0, 3), (0, 4)),
                // Already whole, or before it.
                ((2, 4), (2, 4)),
                ((2, 2), (2, 2)),
                ((0, 2), (0, 2)),
            ],
        );
    }
}
