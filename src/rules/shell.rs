//! Shell rules: every shell block is valid bash, holds commands, and holds
//! only shell; each `aws` command in it is handed to the AWS CLI rules. A
//! syntax error is reported where it is, and the commands of the rest of
//! the block are still checked.

use super::{Rule, aws_cli, span};
use crate::analysis::{ShellSnippet, ShellSource};
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
    if analysed.source == ShellSource::Untagged {
        let tag = if analysed.session { "console" } else { "bash" };
        out.push(
            Diagnostic::new(
                RuleId::UntaggedShellBlock,
                Severity::Info,
                chapter,
                Span::new(snippet.span.start, snippet.span.start + 3),
                "this fence has no language; its commands are checked as shell",
            )
            .with_help(format!(
                "write ```{tag} so readers and tools know what it is"
            )),
        );
    }
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
    for error in &analysis.syntax_errors {
        let mut diagnostic = Diagnostic::new(
            RuleId::ShellSyntax,
            Severity::Error,
            chapter,
            span(snippet, error.offset, error.end),
            error.message.clone(),
        );
        if let Some(help) = &error.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        out.push(diagnostic);
    }
    // A terminal session with no prompt is all output: nothing to run,
    // nothing to say.
    if analysis.commands.is_empty()
        && analysis.foreign.is_empty()
        && analysis.syntax_errors.is_empty()
        && !analysed.session
    {
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
    // Commands in a part that does not parse are not checked: their words
    // may be anything (an unclosed quote swallows the rest of the block).
    for (command, checked) in analysed.commands() {
        if let Some(checked) = checked.filter(|_| command.parsed) {
            let before = out.len();
            aws_cli::report(chapter, snippet, checked, out);
            // Inline code names a command in prose (`aws ecr
            // get-login-password`): what it writes is checked, not the
            // required options it leaves out.
            if analysed.source == ShellSource::Inline {
                let mut i = before;
                while i < out.len() {
                    if out[i].rule == RuleId::AwsMissingRequired {
                        out.remove(i);
                    } else {
                        i += 1;
                    }
                }
            }
        }
    }
}
