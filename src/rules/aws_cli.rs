//! AWS CLI rules: each `aws` command checked against the embedded model.
//!
//! The checking itself lives in `aws::command`; this file turns its
//! findings (offsets in the snippet's code) into diagnostics (lines and
//! columns in the chapter) and describes the rules.

use crate::aws::command::Checked;
use crate::diagnostic::Diagnostic;
use crate::model::{Chapter, Snippet};

/// Reports the findings of one `aws` command of a snippet, checked once by
/// the analysis.
pub fn report(chapter: &Chapter, snippet: &Snippet, checked: &Checked, out: &mut Vec<Diagnostic>) {
    for finding in &checked.findings {
        out.push(super::diagnostic_at(chapter, snippet, 0, finding.clone()));
    }
}

/// The AWS CLI rule family. Its checks run from the shell rules, for each
/// `aws` command found; this registers the ids.
pub struct AwsCli;

impl super::Rule for AwsCli {
    fn check(&self, _cx: &super::Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
