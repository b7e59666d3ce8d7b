//! Shell rules: every shell block is valid bash, holds commands, and holds
//! only shell; each `aws` command in it is handed to the AWS CLI rules. A
//! syntax error is reported where it is, and the commands of the rest of
//! the block are still checked.

use super::{Rule, RuleInfo, aws_cli};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Chapter, Snippet, Span};
use crate::shell;

pub struct Shell;

const INFOS: &[RuleInfo] = &[
    RuleInfo {
        id: "shell-syntax",
        severity: Severity::Error,
        summary: "a shell block that bash cannot parse (unterminated quote, unclosed `if`…)",
    },
    RuleInfo {
        id: "bash-block-not-shell",
        severity: Severity::Warning,
        summary: "JSON, Dockerfile or YAML text inside a shell block; it belongs in its own fence",
    },
    RuleInfo {
        id: "shell-no-command",
        severity: Severity::Info,
        summary: "a shell block with no command in it (only comments)",
    },
];

/// The fence languages checked as bash.
pub fn is_shell(lang: &str) -> bool {
    matches!(lang, "bash" | "sh" | "shell" | "zsh")
}

/// A span of the snippet's code, in chapter offsets.
pub fn span(snippet: &Snippet, start: usize, end: usize) -> Span {
    let start_offset = snippet.source_offset(start);
    let end_offset = if end > start {
        snippet.source_offset(end - 1) + 1
    } else {
        start_offset
    };
    Span::new(start_offset, end_offset.max(start_offset))
}

impl Rule for Shell {
    fn ids(&self) -> &'static [RuleInfo] {
        INFOS
    }

    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        for (c, chapter) in cx.guide.chapters.iter().enumerate() {
            for (s, snippet) in chapter.snippets.iter().enumerate() {
                if let Some(analysis) = cx.shell(c, s) {
                    check_snippet(chapter, snippet, analysis, cx, out);
                }
            }
        }
    }
}

fn check_snippet(
    chapter: &Chapter,
    snippet: &Snippet,
    analysis: &shell::Analysis,
    cx: &super::Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
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
                "bash-block-not-shell",
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
            "shell-syntax",
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
    if analysis.commands.is_empty()
        && analysis.foreign.is_empty()
        && analysis.syntax_errors.is_empty()
    {
        out.push(
            Diagnostic::new(
                "shell-no-command",
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
    for command in analysis.commands.iter().filter(|c| c.parsed) {
        if command.program() == Some("aws") {
            aws_cli::check_command(chapter, snippet, command, cx.aws_cli, out);
        }
    }
}
