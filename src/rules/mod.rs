//! The rule registry: every check that turns a [`Guide`] into findings.
//!
//! A rule is a unit struct implementing [`Rule`], with a stable kebab-case
//! id per finding kind. Rules read the model and push [`Diagnostic`]s; they
//! never print, never fail, and never touch the file system. One rule family
//! per file.

mod aws_cli;
mod facts;
mod json;
mod links;
mod shell;
mod structure;

use crate::analysis::Analysis;
use crate::aws::custom::CliVersion;
use crate::config::{Config, RuleLevel};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::finding::Finding;
use crate::model::{Chapter, Guide, Snippet, Span};
use std::collections::HashMap;
use std::path::Path;

/// What every rule reads: the guide, the options, and the analysis of
/// every snippet, computed once for all rules (and for the FAQ index and
/// the pages, which read the same [`Analysis`]).
pub struct Context<'g> {
    pub guide: &'g Guide,
    pub analysis: &'g Analysis,
    /// The AWS CLI major version commands are checked for.
    pub aws_cli: CliVersion,
}

impl<'g> Context<'g> {
    pub fn new(guide: &'g Guide, analysis: &'g Analysis) -> Self {
        Context {
            guide,
            analysis,
            aws_cli: analysis.aws_cli,
        }
    }

    /// The analysis of snippet `snippet` of chapter `chapter`, if it is shell.
    pub fn shell(&self, chapter: usize, snippet: usize) -> Option<&crate::shell::Analysis> {
        self.analysis.shell(chapter, snippet).map(|s| &s.shell)
    }
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

/// The diagnostic of a checker's [`Finding`], whose offsets are those of
/// the text that starts at byte `base` of `snippet`'s code: the one place a
/// finding becomes a diagnostic.
pub fn diagnostic_at(
    chapter: &crate::model::Chapter,
    snippet: &Snippet,
    base: usize,
    finding: Finding,
) -> Diagnostic {
    let end = (base + finding.end).max(base + finding.start + 1);
    let mut diagnostic = Diagnostic::new(
        finding.rule,
        finding.severity,
        chapter,
        span(snippet, base + finding.start, end),
        finding.message,
    );
    diagnostic.help = finding.help;
    diagnostic
}

/// A family of checks over the whole guide.
/// The ids it reports are [`RuleId`]s, described in the registry.
pub trait Rule: Sync {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every registered rule, in report order.
pub fn registry() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(structure::Structure),
        Box::new(links::Links),
        Box::new(shell::Shell),
        Box::new(aws_cli::AwsCli),
        Box::new(json::Json),
        Box::new(facts::Facts),
    ]
}

/// Runs every rule, then applies the configuration (per-rule levels) and
/// the `<!-- runbook:allow … -->` directives of the blocks.
pub fn check(guide: &Guide, analysis: &Analysis, config: &Config) -> Vec<Diagnostic> {
    let mut out = run_all(&Context::new(guide, analysis));
    let by_path: HashMap<&Path, Vec<&Chapter>> =
        guide
            .chapters
            .iter()
            .fold(HashMap::new(), |mut by_path, c| {
                by_path.entry(c.path.as_path()).or_default().push(c);
                by_path
            });
    out.retain_mut(|d| {
        let allowed_here = by_path
            .get(d.chapter.as_path())
            .into_iter()
            .flatten()
            .flat_map(|c| &c.snippets)
            .any(|s| {
                s.span.start <= d.span.start
                    && d.span.start < s.span.end.max(s.span.start + 1)
                    && s.allow.iter().any(|r| d.rule == r.as_str())
            });
        if allowed_here {
            return false;
        }
        match config.rules.get(&d.rule) {
            Some(RuleLevel::Allow) => false,
            Some(RuleLevel::Error) => {
                d.severity = Severity::Error;
                true
            }
            Some(RuleLevel::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            Some(RuleLevel::Info) => {
                d.severity = Severity::Info;
                true
            }
            None => true,
        }
    });
    out
}

/// Runs every rule and returns the findings sorted by position.
pub fn run_all(cx: &Context<'_>) -> Vec<Diagnostic> {
    // The rules are independent: they run side by side.
    let rules = registry();
    let mut out: Vec<Diagnostic> = crate::analysis::parallel_map(&rules, |rule| {
        let mut found = Vec::new();
        rule.check(cx, &mut found);
        found
    })
    .into_iter()
    .flatten()
    .collect();
    diagnostic::sort(&mut out);
    out
}
