//! SARIF 2.1.0, for code scanning: one run, one rule per finding kind (with
//! stable ids and a help link), one result per diagnostic.
//!
//! Paths are relative to the repository root (`%SRCROOT%`). Each result
//! carries a `partialFingerprints` entry that survives edits elsewhere in
//! the file: a hash of the rule, the path, the finding's source line with
//! its whitespace normalised, and the count of identical earlier results,
//! but not the line number.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Guide;
use crate::registry::RuleId;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// Where each rule is documented: the README's rule table.
pub const RULES_HELP_URI: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#rules");

pub fn render(diagnostics: &[Diagnostic], guide: &Guide, prefix: &Path) -> String {
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
                "helpUri": RULES_HELP_URI,
                "help": {"text": r.summary()},
                "defaultConfiguration": {"level": level(r.default_severity())},
            })
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(" (");
                message.push_str(help);
                message.push(')');
            }
            let uri = prefix.join(&d.file).to_string_lossy().replace('\\', "/");
            let key = format!("{}\0{uri}\0{}", d.rule.id(), source_line(guide, d));
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            let fingerprint = format!("{:016x}:{occurrence}", fnv1a(key.as_bytes()));
            json!({
                "ruleId": d.rule,
                "ruleIndex": rules.iter().position(|&r| r == d.rule),
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint},
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
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rule_objects,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}

/// The text of the line a finding starts on, whitespace collapsed.
fn source_line(guide: &Guide, d: &Diagnostic) -> String {
    let Some(chapter) = guide
        .chapters
        .iter()
        .find(|c| c.path == d.chapter && d.span.start <= c.source.len())
    else {
        return String::new();
    };
    let text = &chapter.source;
    let start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[d.span.start..]
        .find('\n')
        .map_or(text.len(), |i| d.span.start + i);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// 64-bit FNV-1a: stable across runs and platforms.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
