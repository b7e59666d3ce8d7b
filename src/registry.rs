//! The registry of finding kinds: every rule id the tool can report, with
//! its default severity and a one-line summary, in one static table.
//!
//! A [`RuleId`] is a type, not a string, so an id cannot be misspelt where a
//! finding is made. The table is the one source for everything that lists
//! rules: config validation (`[preprocessor.runbook.rules]`, allow
//! comments), SARIF rule metadata, the README's rule table (a test holds
//! the two equal) and the fixture tests. This module is a leaf: it knows
//! nothing of the model or the rules that emit these ids.

use serde::{Serialize, Serializer};
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Declares [`RuleId`] and its table from `Variant = "id", Severity, "summary";`.
macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $summary:literal;)*) => {
        /// One kind of finding.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(#[doc = $summary] $variant,)*
        }

        impl RuleId {
            /// Every rule, in report order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The stable kebab-case id (`aws-unknown-option`).
            pub const fn id(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The severity of its findings unless the book's configuration
            /// says otherwise.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(RuleId::$variant => Severity::$severity,)*
                }
            }

            /// What it catches, in one line.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    Mojibake = "mojibake", Warning, "the chapter looks like UTF-8 decoded with Mac Roman or Windows-1252";
    InvalidId = "invalid-id", Error, "an explicit `{#id}` that is not a valid mdBook id";
    DuplicateId = "duplicate-id", Error, "an explicit `{#id}` used twice in the book";
    BrokenLink = "broken-link", Error, "a relative link to a missing chapter or anchor (with a did-you-mean)";
    UnknownLabel = "unknown-label", Info, "a bold label that maps to no role";
    UnknownRule = "unknown-rule", Error, "a `<!-- runbook:allow … -->` comment that names a rule that does not exist";
    DuplicatePageDirective = "duplicate-page-directive", Warning, "a second `{{#runbook-faq}}` or `{{#runbook-commands}}` on one page (not expanded)";
    UnclosedFence = "unclosed-fence", Warning, "a code fence that is never closed: the rest of the chapter (or of its list item or quote) is read as code, headings and entries included";
    ShellSyntax = "shell-syntax", Error, "a shell block bash cannot parse (unterminated quote, unclosed `if`)";
    BashBlockNotShell = "bash-block-not-shell", Warning, "JSON, Dockerfile or YAML text in a bash block (one finding per block, naming each range)";
    ShellNoCommand = "shell-no-command", Info, "a shell block with only comments";
    UntaggedShellBlock = "untagged-shell-block", Info, "a fence with no language that holds commands (`aws`, `docker`, `kubectl`, `curl`, or a prompt): checked as shell; tag it ```bash, or ```console for a terminal session";
    AwsUnknownService = "aws-unknown-service", Error, "a service the AWS CLI does not have";
    AwsUnknownOperation = "aws-unknown-operation", Error, "an operation or waiter the service does not have";
    AwsUnknownOption = "aws-unknown-option", Error, "an option the operation does not take, a stray argument, or options that cannot be combined; a warning for an abbreviated option the CLI accepts";
    AwsMissingRequired = "aws-missing-required", Error, "a required option or positional argument left out";
    AwsInvalidType = "aws-invalid-type", Error, "a value of the wrong type (integer, boolean, timestamp, base64 blob in v2), or a missing value";
    AwsInvalidEnum = "aws-invalid-enum", Error, "a value outside the parameter's enum (the CLI itself does not check this); an all-caps value close to an allowed one (`FARGATE_SPOT_X`) is a typo, not a placeholder";
    AwsValueOutOfRange = "aws-value-out-of-range", Error, "a number outside the model's `min`/`max`, or a string, list or map whose length is (the CLI checks only the minimums)";
    AwsPatternMismatch = "aws-pattern-mismatch", Error, "a string that does not match, as a whole, the model's `pattern` (the CLI does not check this; placeholders are never checked)";
    AwsInvalidShorthand = "aws-invalid-shorthand", Error, "shorthand that is malformed or does not fit its shape (unknown keys, types, missing nested required keys)";
    AwsInvalidJsonArg = "aws-invalid-json-arg", Error, "a JSON argument (or `--cli-input-json`) that is invalid or does not fit its shape";
    AwsInvalidQuery = "aws-invalid-query", Error, "`--query` that is not JMESPath, or calls an unknown function; a warning for a non-JSON backtick literal";
    AwsQueryUnknownField = "aws-query-unknown-field", Warning, "a `--query` field that is not in the operation's output shape";
    AwsCliVersion = "aws-cli-version", Warning, "a command or option of only one CLI major version (including v1's hidden aliases); an error when the target (v2) lacks it; for v1, a preview service (`sdb`) that must be enabled first";
    JsonSyntax = "json-syntax", Error, "JSON that does not parse (reported at the trailing comma itself, not at the bracket after it)";
    JsonNotStrict = "json-not-strict", Warning, "doc-style JSON: comments, `...`, members without the outer braces — \"not copy-pasteable\", with each place";
    JsonShape = "json-shape", Error, "JSON that does not fit the AWS shape it is recognised as: unknown keys (with did-you-mean), types, required members (whole documents only)";
    AwsLimit = "aws-limit", Error, "a value outside a documented limit (health-check `interval` 5–300, `timeout` 2–60, `retries` 1–10, `startPeriod` 0–300, `command` starting with `CMD`/`CMD-SHELL`)";
    FargateTaskSize = "fargate-task-size", Error, "a Fargate cpu/memory pair AWS does not offer";
    FargateTableOutdated = "fargate-table-outdated", Warning, "a table of Fargate cpu/memory combinations that misses or misstates a task size";
    IamPolicy = "iam-policy", Error, "an IAM policy that breaks the grammar (`Effect`, `Statement`, `Version`, missing `Resource`…)";
    IamUnknownAction = "iam-unknown-action", Error, "an IAM action that does not exist (with did-you-mean)";
    IamWildcardNoMatch = "iam-wildcard-no-match", Error, "an action wildcard (`ecr:Get*`) that matches no action";
    IamPrincipal = "iam-principal", Error, "an invalid principal (a service principal must look like `ecs-tasks.amazonaws.com`)";
}

impl RuleId {
    /// The rule with id `id`.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// Every id, in report order.
    pub fn ids() -> impl Iterator<Item = &'static str> {
        RuleId::ALL.iter().map(|r| r.id())
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &rule in RuleId::ALL {
            assert!(seen.insert(rule.id()), "{rule} twice");
            assert!(
                rule.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{rule}"
            );
            assert_eq!(RuleId::from_id(rule.id()), Some(rule));
            assert!(!rule.summary().is_empty());
        }
        assert_eq!(RuleId::from_id("no-such-rule"), None);
    }
}
