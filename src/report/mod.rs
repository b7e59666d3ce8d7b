//! Renderers: one module per output format, each a pure function from
//! findings to text. They never decide what is wrong, only how to show it.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use clap::ValueEnum;

/// The formats `check --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style annotated snippets.
    Human,
    /// One JSON object: `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// Renders `diagnostics` in `format`. `guide` gives the human renderer the
/// text around each finding.
pub fn render(
    format: Format,
    diagnostics: &[crate::diagnostic::Diagnostic],
    guide: &crate::model::Guide,
) -> String {
    match format {
        Format::Human => human::render(diagnostics, guide),
        Format::Json => json::render(diagnostics),
        Format::Github => github::render(diagnostics),
        Format::Sarif => sarif::render(diagnostics),
    }
}
