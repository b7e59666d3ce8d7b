//! [`Finding`]: what a checker (the AWS CLI command checker, the value
//! validator, the IAM policy checker, the `--query` checker) reports, as
//! plain data, in byte offsets of the text it was given.
//!
//! One type with one span convention (`start..end`, byte offsets of the
//! checked text, `end` exclusive); the rules turn it into a
//! [`Diagnostic`](crate::diagnostic::Diagnostic) once they know where that
//! text sits in the chapter (`rules::diagnostic_at`).

use crate::registry::{RuleId, Severity};

/// One problem, at byte offsets of the checked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(rule: RuleId, start: usize, end: usize, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.default_severity(),
            start,
            end: end.max(start),
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
