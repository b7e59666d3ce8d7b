//! GitHub Actions: annotations (`::error file=…,line=…,col=…,title=<rule>::…`)
//! and the step summary.
//!
//! GitHub shows at most 10 annotations of each level per step and drops the
//! rest silently. So annotations come errors first, and when the findings
//! also go to the step summary (`GITHUB_STEP_SUMMARY`), at most
//! [`ANNOTATIONS_PER_LEVEL`] of each level are printed and the last
//! annotation says how many more the summary holds. The summary is
//! Markdown: totals, a table by rule, and every finding with a link to its
//! line in the repository. Paths are relative to the repository root.

use crate::diagnostic::{Diagnostic, Severity, Summary};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The annotations GitHub shows per level and step.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The findings, errors first, in file order within a level.
fn by_severity(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    sorted
}

fn path_of(d: &Diagnostic, prefix: &Path) -> String {
    prefix.join(&d.file).to_string_lossy().replace('\\', "/")
}

/// The annotations. With `summarized`, at most [`ANNOTATIONS_PER_LEVEL`]
/// per level and a last notice pointing at the step summary for the rest;
/// otherwise every finding. `prefix` is the book's directory in the
/// repository.
pub fn render(diagnostics: &[Diagnostic], prefix: &Path, summarized: bool) -> String {
    let mut out = String::new();
    let mut shown: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut hidden = 0;
    for d in by_severity(diagnostics) {
        let count = shown.entry(d.severity).or_default();
        if summarized && *count >= ANNOTATIONS_PER_LEVEL {
            hidden += 1;
            continue;
        }
        *count += 1;
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push('\n');
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            level(d.severity),
            escape_property(&path_of(d, prefix)),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(d.rule.id()),
            escape_data(&message)
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "::notice title=mdbook-runbook::{hidden} more finding(s) are listed in the step summary"
        );
    }
    out
}

/// Where a line of the repository is on GitHub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryLinks {
    pub server: String,
    pub repository: String,
    pub sha: String,
}

impl RepositoryLinks {
    /// From `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`.
    pub fn from_env() -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Some(RepositoryLinks {
            server: var("GITHUB_SERVER_URL")?,
            repository: var("GITHUB_REPOSITORY")?,
            sha: var("GITHUB_SHA")?,
        })
    }

    fn line(&self, path: &str, line: usize) -> String {
        let path: String = path
            .split('/')
            .map(percent_encode)
            .collect::<Vec<_>>()
            .join("/");
        format!(
            "{}/{}/blob/{}/{path}#L{line}",
            self.server.trim_end_matches('/'),
            self.repository,
            self.sha
        )
    }
}

fn percent_encode(segment: &str) -> String {
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Text safe in a Markdown table cell or list item.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The step summary: totals by severity, a table by rule, and every
/// finding as `file:line` with its message, linked to the line when
/// `links` is known.
pub fn summary(
    diagnostics: &[Diagnostic],
    prefix: &Path,
    links: Option<&RepositoryLinks>,
) -> String {
    let totals = Summary::of(diagnostics);
    let mut out = String::from("## mdbook-runbook check\n\n");
    let _ = writeln!(
        out,
        "**{} error(s), {} warning(s), {} info(s)**\n",
        totals.errors, totals.warnings, totals.infos
    );
    if diagnostics.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        *by_rule
            .entry((std::cmp::Reverse(d.severity), d.rule.id()))
            .or_default() += 1;
    }
    out.push_str("| rule | severity | findings |\n|---|---|---|\n");
    for ((severity, rule), count) in &by_rule {
        let _ = writeln!(out, "| `{rule}` | {} | {count} |", severity.0);
    }
    out.push_str("\n### Findings\n\n");
    for d in by_severity(diagnostics) {
        let path = path_of(d, prefix);
        let location = format!("{}:{}", markdown_text(&path), d.line);
        let location = match links {
            Some(links) => format!("[{location}]({})", links.line(&path, d.line)),
            None => location,
        };
        let _ = write!(
            out,
            "- {} {location} `{}`: {}",
            level(d.severity),
            d.rule.id(),
            markdown_text(&d.message)
        );
        if let Some(help) = &d.help {
            let _ = write!(out, " ({})", markdown_text(help));
        }
        out.push('\n');
    }
    out
}

/// Escaping for the message part of a workflow command; control
/// characters from the book are shown escaped, as in every report.
fn escape_data(text: &str) -> String {
    super::visible(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_chapter;
    use crate::registry::RuleId;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        // Found by the check_book fuzz target: a NUL in a heading id.
        assert_eq!(escape_property("n\0s"), "n\\u{0}s");
        assert!(!escape_data("a\u{1b}[2Jb\r\n").contains(['\u{1b}', '\r', '\n']));
    }

    fn findings(errors: usize, warnings: usize) -> Vec<Diagnostic> {
        let chapter = parse_chapter("book/x.md", "x\n".repeat(100));
        let mut out = Vec::new();
        for i in 0..warnings + errors {
            let (rule, severity) = if i < warnings {
                (RuleId::JsonNotStrict, Severity::Warning)
            } else {
                (RuleId::BrokenLink, Severity::Error)
            };
            out.push(Diagnostic::new(
                rule,
                severity,
                &chapter,
                crate::model::Span::new(i * 2, i * 2 + 1),
                format!("finding {i} | *bold*"),
            ));
        }
        out
    }

    #[test]
    fn errors_come_first_and_the_rest_is_counted() {
        let diagnostics = findings(12, 18);
        let text = render(&diagnostics, Path::new("docs"), true);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 21, "{text}");
        assert!(
            lines[..10]
                .iter()
                .all(|l| l.starts_with("::error file=docs/book/x.md,"))
        );
        assert!(lines[10..20].iter().all(|l| l.starts_with("::warning")));
        assert_eq!(
            lines[20],
            "::notice title=mdbook-runbook::10 more finding(s) are listed in the step summary"
        );
        let all = render(&diagnostics, Path::new(""), false);
        assert_eq!(all.lines().count(), 30, "without a summary, every finding");
    }

    #[test]
    fn the_summary_lists_every_finding_with_a_link() {
        let diagnostics = findings(2, 1);
        let links = RepositoryLinks {
            server: "https://github.com".into(),
            repository: "o/r".into(),
            sha: "abc".into(),
        };
        let text = summary(&diagnostics, Path::new("docs"), Some(&links));
        assert!(
            text.contains("**2 error(s), 1 warning(s), 0 info(s)**"),
            "{text}"
        );
        assert!(text.contains("| `broken-link` | error | 2 |"), "{text}");
        assert!(
            text.contains("- error [docs/book/x.md:2](https://github.com/o/r/blob/abc/docs/book/x.md#L2) `broken-link`: finding 1 \\| \\*bold\\*"),
            "{text}"
        );
        assert_eq!(text.matches("\n- ").count(), 3);
    }
}
