//! SARIF 2.1.0, for code-scanning tools: one run, one rule per finding kind
//! (with stable ids), one result per diagnostic.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RuleId;
use serde_json::json;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let rules = RuleId::ALL;
    let level = |severity: Severity| match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rule_objects: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": {"text": r.summary()},
                "defaultConfiguration": {"level": level(r.default_severity())},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(" (");
                message.push_str(help);
                message.push(')');
            }
            json!({
                "ruleId": d.rule,
                "ruleIndex": rules.iter().position(|&r| r == d.rule),
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file.to_string_lossy().replace('\\', "/")},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mdbook-runbook",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/mdbook-runbook/mdbook-runbook",
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}
