//! JSON rules: every JSON snippet — a `json` block, or JSON pasted in a bash
//! block — is valid JSON (or deliberate doc-style JSON), fits the AWS shape
//! it is recognised as, respects documented limits, and, when it is an IAM
//! policy, the policy grammar and the real action names.

use super::Rule;
use crate::aws::{self, iam, infer, validate};
use crate::diagnostic::{Diagnostic, Severity};
use crate::json::{self, LibertyKind};
use crate::model::{Chapter, Snippet};
use crate::registry::RuleId;
use crate::shell::ForeignKind;

pub struct Json;

/// The fence languages checked as JSON.
pub fn is_json(lang: &str) -> bool {
    matches!(lang, "json" | "jsonc" | "json5")
}

impl Rule for Json {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        for (c, chapter) in cx.guide.chapters.iter().enumerate() {
            let services = chapter_services(cx, c);
            for (s, snippet) in chapter.snippets.iter().enumerate() {
                if is_json(&snippet.lang) {
                    check_text(chapter, snippet, 0, &snippet.code, &services, out);
                } else if let Some(analysis) = cx.shell(c, s) {
                    for foreign in analysis
                        .foreign
                        .iter()
                        .filter(|f| f.kind == ForeignKind::Json)
                    {
                        let text = &snippet.code[foreign.start..foreign.end];
                        check_text(chapter, snippet, foreign.start, text, &services, out);
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

/// Checks one JSON text found at `base` in the snippet's code.
fn check_text(
    chapter: &Chapter,
    snippet: &Snippet,
    base: usize,
    text: &str,
    services: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let at =
        |offset: usize, len: usize| super::span(snippet, base + offset, base + offset + len.max(1));
    let (root, liberties) = match json::strict_error(text) {
        None => match json::parse_strict(text) {
            Ok(root) => (root, Vec::new()),
            Err(_) => return,
        },
        Some(strict) => match json::parse_doc(text) {
            Ok(doc) if !doc.liberties.is_empty() => (doc.root, doc.liberties),
            // Not JSON even in doc style: the strict error when doc-style
            // parsing found nothing to forgive, the doc-style one otherwise.
            parsed => {
                let error = parsed.err().unwrap_or(strict);
                out.push(Diagnostic::new(
                    RuleId::JsonSyntax,
                    Severity::Error,
                    chapter,
                    at(error.offset, 1),
                    format!("invalid JSON: {}", error.message),
                ));
                // One error never hides the others: check what parses once
                // the bad values are set aside.
                if let Some((patched, holes)) = set_aside_bad_values(text, error.offset) {
                    let mut more = Vec::new();
                    check_text(chapter, snippet, base, &patched, services, &mut more);
                    let start = |d: &Diagnostic| d.span.start;
                    let in_hole = |d: &Diagnostic| {
                        holes.iter().any(|h| {
                            let (a, b) = (at(h.start, 0).start, at(h.end, 0).start);
                            (a..b.max(a + 1)).contains(&start(d))
                        })
                    };
                    out.extend(
                        more.into_iter()
                            .filter(|d| d.rule != RuleId::JsonNotStrict && !in_hole(d)),
                    );
                }
                return;
            }
        },
    };
    if let Some(first) = liberties.first() {
        let described: Vec<String> = liberties
            .iter()
            .map(|l| {
                let location = chapter.location(snippet.source_offset(base + l.offset));
                let what = match l.kind {
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
                at(first.offset, 1),
                format!("not copy-pasteable: {}", described.join(", ")),
            )
            .with_help(
                "fine as an illustration; write strict JSON where the reader is meant to paste it",
            ),
        );
    }
    if iam::looks_like_policy(&root) {
        for finding in iam::check(&root) {
            out.push(super::diagnostic_at(chapter, snippet, base, finding));
        }
        return;
    }
    let model = aws::model::Model::get();
    let Some(inference) = infer::infer(&root, services, model) else {
        return;
    };
    let strict_document = liberties.is_empty();
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
    for mut finding in validator.issues {
        finding.message = format!(
            "{} ({} {})",
            finding.message, inference.service.cli, inference.shape
        );
        out.push(super::diagnostic_at(chapter, snippet, base, finding));
    }
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
