//! AWS CLI rules: each `aws` command checked against the embedded model.
//!
//! The checking itself lives in `aws::command`; this file turns its
//! findings (offsets in the snippet's code) into diagnostics (lines and
//! columns in the chapter) and describes the rules.

use super::RuleInfo;
use super::shell::span;
use crate::aws;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Chapter, Snippet};
use crate::shell::Command;

pub const INFOS: &[RuleInfo] = &[
    RuleInfo {
        id: "aws-unknown-service",
        severity: Severity::Error,
        summary: "a service the AWS CLI does not have",
    },
    RuleInfo {
        id: "aws-unknown-operation",
        severity: Severity::Error,
        summary: "an operation (or waiter) the service does not have",
    },
    RuleInfo {
        id: "aws-unknown-option",
        severity: Severity::Error,
        summary: "an option the operation does not take, or a stray argument",
    },
    RuleInfo {
        id: "aws-missing-required",
        severity: Severity::Error,
        summary: "a required parameter left out",
    },
    RuleInfo {
        id: "aws-invalid-type",
        severity: Severity::Error,
        summary: "a value of the wrong type (integer, boolean, timestamp, list), or a missing value",
    },
    RuleInfo {
        id: "aws-invalid-enum",
        severity: Severity::Error,
        summary: "a value outside the parameter's enum (the CLI itself does not check this)",
    },
    RuleInfo {
        id: "aws-value-out-of-range",
        severity: Severity::Error,
        summary: "a number outside the model's `min`/`max`, or a string, list or map whose length is (the CLI checks only the minimums)",
    },
    RuleInfo {
        id: "aws-pattern-mismatch",
        severity: Severity::Error,
        summary: "a string that does not match the model's `pattern` (the CLI does not check this)",
    },
    RuleInfo {
        id: "aws-invalid-shorthand",
        severity: Severity::Error,
        summary: "a shorthand value that is malformed or does not fit its shape",
    },
    RuleInfo {
        id: "aws-invalid-json-arg",
        severity: Severity::Error,
        summary: "a JSON argument that is invalid or does not fit its shape",
    },
    RuleInfo {
        id: "aws-invalid-query",
        severity: Severity::Error,
        summary: "a `--query` that is not valid JMESPath",
    },
    RuleInfo {
        id: "aws-query-unknown-field",
        severity: Severity::Warning,
        summary: "a `--query` field that is not in the operation's output",
    },
    RuleInfo {
        id: "aws-cli-version",
        severity: Severity::Warning,
        summary: "a command or option that exists in only one AWS CLI major version (an error when missing from the target version)",
    },
];

/// Checks one `aws` command of a snippet.
pub fn check_command(
    chapter: &Chapter,
    snippet: &Snippet,
    command: &Command,
    version: aws::custom::CliVersion,
    out: &mut Vec<Diagnostic>,
) {
    let checked = aws::command::check(&command.words, aws::customizations(), version);
    for finding in checked.findings {
        let mut diagnostic = Diagnostic::new(
            finding.rule,
            finding.severity,
            chapter,
            span(snippet, finding.start, finding.end),
            finding.message,
        );
        diagnostic.help = finding.help;
        out.push(diagnostic);
    }
}

/// The AWS CLI rule family. Its checks run from the shell rules, for each
/// `aws` command found; this registers the ids.
pub struct AwsCli;

impl super::Rule for AwsCli {
    fn ids(&self) -> &'static [RuleInfo] {
        INFOS
    }

    fn check(&self, _cx: &super::Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
