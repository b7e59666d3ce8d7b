//! The JSON report: the [`Diagnostic`] structs serialized, plus a summary.

use crate::diagnostic::{Diagnostic, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let report = Report {
        diagnostics,
        summary: Summary::of(diagnostics),
    };
    let mut text = serde_json::to_string_pretty(&report).expect("diagnostics serialize");
    text.push('\n');
    text
}
