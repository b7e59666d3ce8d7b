//! Renderers: one module per output format, each a pure function from
//! findings to text. They never decide what is wrong, only how to show it.
//!
//! Text meant for a terminal goes through [`visible`], which writes control
//! characters as escapes, so a book cannot drive the reader's terminal.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use clap::ValueEnum;
use std::borrow::Cow;

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

/// Renders `diagnostics` in `format`. `guide` gives the text around each
/// finding; `prefix` is the book's directory in its repository, for the
/// formats whose paths are relative to the repository root (GitHub and
/// SARIF; the JSON report's are relative to the book root). With
/// `summarized`, GitHub annotations are capped because the step summary
/// holds every finding.
pub fn render(
    format: Format,
    diagnostics: &[crate::diagnostic::Diagnostic],
    guide: &crate::model::Guide,
    prefix: &std::path::Path,
    summarized: bool,
) -> String {
    match format {
        Format::Human => human::render(diagnostics, guide),
        Format::Json => json::render(diagnostics),
        Format::Github => github::render(diagnostics, prefix, summarized),
        Format::Sarif => sarif::render(diagnostics, guide, prefix),
    }
}

/// `text` with every character a terminal would act on or hide written as a
/// Rust escape (`\u{1b}`), as rustc does: C0 and C1 control characters
/// except line feed and tab (and a carriage return that ends a line),
/// and the invisible characters that reorder or hide text (bidi controls,
/// zero-width space, byte-order mark, line and paragraph separators).
/// Borrows when there is nothing to escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    let escapes = |i: usize, c: char| match c {
        '\n' | '\t' => false,
        '\r' => !text[i + 1..].starts_with('\n'),
        c if c.is_control() => true,
        '\u{061c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{2060}' | '\u{feff}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    };
    let Some(first) = text.char_indices().position(|(i, c)| escapes(i, c)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    for (n, (i, c)) in text.char_indices().enumerate() {
        if n >= first && escapes(i, c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
