//! Shell rules: every shell block is valid bash, holds commands, and holds
//! only shell; each `aws` command in it is handed to the AWS CLI rules.

use super::{Rule, aws_cli, span};
use crate::analysis::ShellSnippet;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Chapter, Snippet, Span};
use crate::registry::RuleId;

pub struct Shell;

impl Rule for Shell {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        for (c, chapter) in cx.guide.chapters.iter().enumerate() {
            for (s, snippet) in chapter.snippets.iter().enumerate() {
                if let Some(analysis) = cx.analysis.shell(c, s) {
                    check_snippet(chapter, snippet, analysis, out);
                }
            }
        }
    }
}

fn check_snippet(
    chapter: &Chapter,
    snippet: &Snippet,
    analysed: &ShellSnippet,
    out: &mut Vec<Diagnostic>,
) {
    let analysis = &analysed.shell;
    if let Some(first) = analysis.foreign.first() {
        // One finding per block, at its first foreign range, naming them all.
        let ranges: Vec<String> = analysis
            .foreign
            .iter()
            .map(|f| {
                let start = chapter.location(snippet.source_offset(f.start)).line;
                let end = chapter
                    .location(snippet.source_offset(f.end.saturating_sub(1).max(f.start)))
                    .line;
                let lines = if start == end {
                    format!("line {start}")
                } else {
                    format!("lines {start}–{end}")
                };
                format!("{} text at {lines}", f.kind.name())
            })
            .collect();
        let mut fences: Vec<&str> = analysis.foreign.iter().map(|f| f.kind.fence()).collect();
        fences.dedup();
        let fences = fences
            .iter()
            .map(|f| format!("```{f}"))
            .collect::<Vec<_>>()
            .join(" or ");
        out.push(
            Diagnostic::new(
                RuleId::BashBlockNotShell,
                Severity::Warning,
                chapter,
                span(snippet, first.start, first.end),
                format!("this bash block is not all shell: {}; a reader who pastes the block runs it as commands", ranges.join(", ")),
            )
            .with_help(format!("move that text to its own {fences} block")),
        );
    }
    if let Some(error) = &analysis.syntax_error {
        let end = snippet.code[error.offset..]
            .chars()
            .next()
            .map_or(error.offset, |c| error.offset + c.len_utf8());
        out.push(Diagnostic::new(
            RuleId::ShellSyntax,
            Severity::Error,
            chapter,
            span(snippet, error.offset, end),
            error.message.clone(),
        ));
        return;
    }
    if analysis.commands.is_empty() && analysis.foreign.is_empty() {
        out.push(
            Diagnostic::new(
                RuleId::ShellNoCommand,
                Severity::Info,
                chapter,
                Span::new(snippet.span.start, snippet.span.start + 3),
                "this bash block has no command, only comments",
            )
            .with_help("use a list or a ```text block for prose"),
        );
    }
    for (_, checked) in analysed.commands() {
        if let Some(checked) = checked {
            aws_cli::report(chapter, snippet, checked, out);
        }
    }
}
