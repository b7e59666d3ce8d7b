//! JSON rules: every JSON snippet — a `json` block, or JSON pasted in a bash
//! block — is valid JSON (or deliberate doc-style JSON), fits the AWS shape
//! it is recognised as, respects documented limits, and, when it is an IAM
//! policy, the policy grammar and the real action names.

use super::Rule;
use crate::aws::{self, iam, infer, validate};
use crate::diagnostic::{Diagnostic, Severity};
use crate::finding::Finding;
use crate::json::{self, Liberty, LibertyKind};
use crate::model::{Chapter, Snippet};
use crate::registry::RuleId;
use crate::shell::ForeignKind;
use std::collections::HashMap;

pub struct Json;

/// The fence languages checked as JSON.
pub fn is_json(lang: &str) -> bool {
    matches!(lang, "json" | "jsonc" | "json5")
}

impl Rule for Json {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        // A JSON text reads the same wherever it appears (a book often
        // repeats one, and a translation repeats them all): each text is
        // checked once per set of services, its findings placed anew.
        let services: Vec<Vec<String>> = (0..cx.guide.chapters.len())
            .map(|c| chapter_services(cx, c))
            .collect();
        let mut checked: HashMap<(&str, &[String]), Vec<TextFinding>> = HashMap::new();
        for (c, chapter) in cx.guide.chapters.iter().enumerate() {
            let services = services[c].as_slice();
            let mut place = |snippet: &Snippet, base: usize, text| {
                let findings = checked
                    .entry((text, services))
                    .or_insert_with(|| check_text(text, services));
                emit(chapter, snippet, base, findings, out);
            };
            for (s, snippet) in chapter.snippets.iter().enumerate() {
                if is_json(&snippet.lang) {
                    place(snippet, 0, snippet.code.as_str());
                } else if let Some(analysis) = cx.shell(c, s) {
                    for foreign in analysis
                        .foreign
                        .iter()
                        .filter(|f| f.kind == ForeignKind::Json)
                    {
                        place(
                            snippet,
                            foreign.start,
                            &snippet.code[foreign.start..foreign.end],
                        );
                    }
                }
            }
        }
    }
}

/// The AWS services the chapter's `aws` commands use: where to look for shapes.
fn chapter_services(cx: &super::Context<'_>, chapter: usize) -> Vec<String> {
    let snippets = cx.guide.chapters[chapter].snippets.len();
    let mut services: Vec<String> = (0..snippets)
        .filter_map(|s| cx.shell(chapter, s))
        .flat_map(|analysis| analysis.commands.iter())
        .filter(|c| c.program() == Some("aws"))
        .filter_map(|c| {
            c.words
                .iter()
                .skip(1)
                .find(|w| !w.value.starts_with("--"))
                .map(|w| w.value.clone())
        })
        .collect();
    services.sort();
    services.dedup();
    services
}

/// What is wrong with one JSON text, at offsets of that text: the same
/// wherever the text appears.
#[derive(Debug, Clone)]
enum TextFinding {
    /// Not JSON, even doc-style.
    Syntax { offset: usize, message: String },
    /// Doc-style JSON: what strict JSON would refuse.
    NotStrict(Vec<Liberty>),
    /// A finding of the IAM or shape checks.
    Checked(Finding),
}

impl TextFinding {
    fn start(&self) -> usize {
        match self {
            TextFinding::Syntax { offset, .. } => *offset,
            TextFinding::NotStrict(liberties) => liberties.first().map_or(0, |l| l.offset),
            TextFinding::Checked(finding) => finding.start,
        }
    }
}

/// Places the findings of a text that starts at byte `base` of `snippet`.
fn emit(
    chapter: &Chapter,
    snippet: &Snippet,
    base: usize,
    findings: &[TextFinding],
    out: &mut Vec<Diagnostic>,
) {
    let at =
        |offset: usize, len: usize| super::span(snippet, base + offset, base + offset + len.max(1));
    for finding in findings {
        match finding {
            TextFinding::Syntax { offset, message } => out.push(Diagnostic::new(
                RuleId::JsonSyntax,
                Severity::Error,
                chapter,
                at(*offset, 1),
                format!("invalid JSON: {message}"),
            )),
            TextFinding::NotStrict(liberties) => {
                let described: Vec<String> = liberties
                    .iter()
                    .map(|liberty| {
                        let location =
                            chapter.location(snippet.source_offset(base + liberty.offset));
                        let what = match liberty.kind {
                            LibertyKind::Comment => "comment",
                            LibertyKind::Ellipsis => "`...`",
                            LibertyKind::BareMembers => "members without the outer `{}`",
                        };
                        format!("{what} at {}:{}", location.line, location.column)
                    })
                    .collect();
                out.push(
                    Diagnostic::new(
                        RuleId::JsonNotStrict,
                        Severity::Warning,
                        chapter,
                        at(finding.start(), 1),
                        format!("not copy-pasteable: {}", described.join(", ")),
                    )
                    .with_help(
                        "fine as an illustration; write strict JSON where the reader is meant to paste it",
                    ),
                );
            }
            TextFinding::Checked(finding) => {
                out.push(super::diagnostic_at(
                    chapter,
                    snippet,
                    base,
                    finding.clone(),
                ));
            }
        }
    }
}

/// Checks one JSON text against `services`' shapes.
fn check_text(text: &str, services: &[String]) -> Vec<TextFinding> {
    let mut out = Vec::new();
    let (root, liberties) = match json::strict_error(text) {
        None => match json::parse_strict(text) {
            Ok(root) => (root, Vec::new()),
            Err(_) => return out,
        },
        Some(strict) => match json::parse_doc(text) {
            Ok(doc) if !doc.liberties.is_empty() => (doc.root, doc.liberties),
            // Not JSON even in doc style: the strict error when doc-style
            // parsing found nothing to forgive, the doc-style one otherwise.
            parsed => {
                let error = parsed.err().unwrap_or(strict);
                out.push(TextFinding::Syntax {
                    offset: error.offset,
                    message: error.message,
                });
                // One error never hides the others: check what parses once
                // the bad values are set aside.
                if let Some((patched, holes)) = set_aside_bad_values(text, error.offset) {
                    let in_hole = |start: usize| {
                        holes
                            .iter()
                            .any(|h| (h.start..h.end.max(h.start + 1)).contains(&start))
                    };
                    out.extend(check_text(&patched, services).into_iter().filter(|f| {
                        !matches!(f, TextFinding::NotStrict(_)) && !in_hole(f.start())
                    }));
                }
                return out;
            }
        },
    };
    let strict_document = liberties.is_empty();
    if !strict_document {
        out.push(TextFinding::NotStrict(liberties));
    }
    if iam::looks_like_policy(&root) {
        out.extend(iam::check(&root).into_iter().map(TextFinding::Checked));
        return out;
    }
    let model = aws::model::Model::get();
    let Some(inference) = infer::infer(&root, services, model) else {
        return out;
    };
    let has_required = inference.service.shape(inference.shape).is_some_and(|shape| {
        matches!(&root.value, json::Value::Object(members) if members.iter().any(|m| shape.r.contains(&m.key)))
    });
    let completeness = if strict_document && has_required {
        validate::Completeness::Whole
    } else {
        validate::Completeness::Fragment
    };
    let mut validator =
        validate::Validator::new(inference.service, completeness, RuleId::JsonShape);
    validator.check(&root, inference.shape, "");
    out.extend(validator.issues.into_iter().map(|mut finding| {
        finding.message = format!(
            "{} ({} {})",
            finding.message, inference.service.cli, inference.shape
        );
        TextFinding::Checked(finding)
    }));
    out
}

/// The most bad values [`set_aside_bad_values`] replaces in one text.
const MAX_SET_ASIDE: usize = 16;

/// `text` with each value that stops the parser replaced by `null` padded
/// with spaces to the same length (so every offset stays put), and the
/// replaced ranges; `None` when that does not make it parse.
fn set_aside_bad_values(
    text: &str,
    first_error: usize,
) -> Option<(String, Vec<std::ops::Range<usize>>)> {
    let mut patched = text.to_string();
    let mut holes = Vec::new();
    let mut error = first_error;
    for _ in 0..MAX_SET_ASIDE {
        let end = value_end(&patched, error)?;
        if end < error + 4 || !patched.is_char_boundary(error) || !patched.is_char_boundary(end) {
            return None;
        }
        let filler = format!("null{}", " ".repeat(end - error - 4));
        patched.replace_range(error..end, &filler);
        holes.push(error..end);
        match json::parse_doc(&patched) {
            Ok(_) => return Some((patched, holes)),
            Err(next) if next.offset > error => error = next.offset,
            Err(_) => return None,
        }
    }
    None
}

/// Where the value that starts at `start` ends: the next `,`, `}` or `]`
/// outside strings and outside brackets opened after `start` (trailing
/// spaces excluded).
fn value_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.get(start..)?.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ if in_string => {}
            '{' | '[' => depth += 1,
            '}' | ']' if depth > 0 => depth -= 1,
            ',' | '}' | ']' | '\n' => {
                let value = text[start..start + i].trim_end();
                return Some(start + value.len());
            }
            _ => {}
        }
    }
    Some(text.trim_end().len().max(start))
}

#[cfg(test)]
mod tests {
    use crate::analysis::Analysis;
    use crate::config::Config;
    use std::path::PathBuf;

    /// `(file, line, column, rule, message)` of every JSON finding.
    fn json_findings(chapters: &[(&str, &str)]) -> Vec<(String, usize, usize, String, String)> {
        let guide = crate::parse::parse_book(
            chapters
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.to_string())),
        );
        let config = Config::default();
        let analysis = Analysis::of(&guide, config.aws_cli);
        crate::rules::check(&guide, &analysis, &config)
            .into_iter()
            .filter(|d| d.rule.id().starts_with("json"))
            .map(|d| {
                (
                    d.file.display().to_string(),
                    d.line,
                    d.column,
                    d.rule.id().to_string(),
                    d.message,
                )
            })
            .collect()
    }

    #[test]
    fn a_repeated_text_is_reported_where_each_copy_is() {
        // Checked once, placed twice: the positions, and the positions
        // quoted in the doc-style message, are each copy's own.
        let block = "```json\n{\n  // note\n  \"a\": 1,\n  \"b\": [1,, 2]\n}\n```\n";
        let one = format!("# One\n\n{block}");
        let two = format!("# Two\n\nSome text.\n\n> quoted\n\n{block}\n{block}");
        let found = json_findings(&[("one.md", &one), ("two.md", &two)]);
        let places: Vec<(&str, usize, usize, &str)> = found
            .iter()
            .map(|(file, line, column, rule, _)| (file.as_str(), *line, *column, rule.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                ("one.md", 7, 11, "json-syntax"),
                ("two.md", 11, 11, "json-syntax"),
                ("two.md", 19, 11, "json-syntax"),
            ],
            "{found:#?}"
        );
        // The same text alone, strict apart from its comment: the comment's
        // own line and column are quoted for each copy.
        let block = "```json\n{\n  // note\n  \"a\": 1\n}\n```\n";
        let found = json_findings(&[
            ("one.md", &format!("# One\n\n{block}")),
            ("two.md", &format!("# Two\n\ntext\n\n{block}")),
        ]);
        let messages: Vec<(&str, usize, &str)> = found
            .iter()
            .map(|(file, line, _, _, message)| (file.as_str(), *line, message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                ("one.md", 5, "not copy-pasteable: comment at 5:3"),
                ("two.md", 7, "not copy-pasteable: comment at 7:3"),
            ],
            "{found:#?}"
        );
    }
}
