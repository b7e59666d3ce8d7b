//! Structure rules: encoding, heading ids and entry labels.
//!
//! These check that the chapter is readable (`mojibake`), that every stable
//! anchor is valid and unique in the book (`invalid-id`, `duplicate-id`),
//! that every bold label maps to a role (`unknown-label`), and that a page
//! asks for each generated page once (`duplicate-page-directive`), and that
//! every code fence is closed (`unclosed-fence`).

use super::Rule;
use crate::anchors;
use crate::diagnostic::{Diagnostic, Severity};
use crate::encoding;
use crate::model::{Chapter, SnippetForm, Span};
use crate::registry::RuleId;
use std::collections::HashMap;

pub struct Structure;

impl Rule for Structure {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        let guide = cx.guide;
        let mut seen: HashMap<&str, (&std::path::Path, usize)> = HashMap::new();
        for chapter in &guide.chapters {
            unknown_allowed_rules(chapter, out);
            unclosed_fences(chapter, out);
            if let Some(analysis) = encoding::analyze(&chapter.source)
                && analysis.is_mojibake()
            {
                let start = analysis.first_offset.unwrap_or(0);
                let end = chapter.source[start..]
                    .char_indices()
                    .nth(1)
                    .map_or(chapter.source.len(), |(i, _)| start + i);
                out.push(
                        Diagnostic::new(
                            RuleId::Mojibake,
                            Severity::Warning,
                            chapter,
                            Span::new(start, end),
                            format!(
                                "this chapter looks like UTF-8 read as {} ({} garbled sequences, confidence {:.2})",
                                analysis.codepage, analysis.repairs, analysis.confidence
                            ),
                        )
                        .with_help(format!(
                            "repair it with `mdbook-runbook fix-encoding --in-place {}`",
                            chapter.path.display()
                        )),
                    );
            }
            for heading in &chapter.headings {
                let Some(id) = heading.explicit_id.as_deref() else {
                    continue;
                };
                if !anchors::is_valid_id(id) {
                    out.push(
                        Diagnostic::new(
                            RuleId::InvalidId,
                            Severity::Error,
                            chapter,
                            heading.span,
                            format!(
                                "heading id `{}` is not a valid anchor",
                                crate::excerpt::quote(id)
                            ),
                        )
                        .with_help(format!(
                            "use lowercase letters, digits, `-` and `_` only, e.g. `{}`",
                            anchors::slug(id)
                        )),
                    );
                }
                let line = chapter.location(heading.span.start).line;
                if let Some((file, first_line)) = seen.insert(id, (&chapter.path, line)) {
                    out.push(
                        Diagnostic::new(
                            RuleId::DuplicateId,
                            Severity::Error,
                            chapter,
                            heading.span,
                            format!("heading id `{}` is already used", crate::excerpt::quote(id)),
                        )
                        .with_help(format!(
                            "first used at {}:{first_line}; ids must be unique in the book",
                            file.display()
                        )),
                    );
                }
            }
            let mut asked = Vec::new();
            for directive in &chapter.page_directives {
                if asked.contains(&directive.kind) {
                    out.push(
                        Diagnostic::new(
                            RuleId::DuplicatePageDirective,
                            Severity::Warning,
                            chapter,
                            directive.span,
                            format!("`{}` is already on this page", directive.kind.directive()),
                        )
                        .with_help(
                            "a page is generated once per chapter; this line is left as written",
                        ),
                    );
                } else {
                    asked.push(directive.kind);
                }
            }
            for (_, entry) in chapter.entries() {
                for part in entry.parts.iter().filter(|p| !p.label_known) {
                    let label = part.label.as_deref().unwrap_or_default();
                    out.push(
                        Diagnostic::new(
                            RuleId::UnknownLabel,
                            Severity::Info,
                            chapter,
                            part.label_span,
                            format!("label `{label}` maps to no role; its content is kept as a note"),
                        )
                        .with_help("start the label with a cause, solution, diagnostic or note word, e.g. `Solution :` or `Diagnostic :`"),
                    );
                }
            }
        }
    }
}

/// Fenced code blocks with no closing fence: CommonMark reads them to the
/// end of the chapter (or of the list item or quote they are in), so the
/// headings and entries after them silently become code.
fn unclosed_fences(chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    for snippet in &chapter.snippets {
        if snippet.form != SnippetForm::Fenced {
            continue;
        }
        let block = &chapter.source[snippet.span.start..snippet.span.end];
        let Some(fence) = opening_fence(block) else {
            continue;
        };
        if is_closed(block, fence) {
            continue;
        }
        let first_line = block.find(['\n', '\r']).unwrap_or(block.len());
        out.push(
            Diagnostic::new(
                RuleId::UnclosedFence,
                RuleId::UnclosedFence.default_severity(),
                chapter,
                Span::new(snippet.span.start, snippet.span.start + first_line),
                "this code block is never closed: it runs to the end of the chapter (or of \
                 the list item or quote it is in)",
            )
            .with_help(format!(
                "close it with a line of {fence} after its last line of code"
            )),
        );
    }
}

/// The opening fence of a fenced block's text (```` ``` ```` or `~~~`, as
/// long as written).
fn opening_fence(block: &str) -> Option<&str> {
    let line = block.lines().next()?.trim_start_matches([' ', '\t', '>']);
    let mark = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    Some(&line[..line.find(|c| c != mark).unwrap_or(line.len())])
}

/// Whether the last line of a fenced block's text closes `fence`: the same
/// mark, at least as many times, and nothing else.
fn is_closed(block: &str, fence: &str) -> bool {
    let mut lines = block.trim_end_matches(['\n', '\r']).lines();
    lines.next();
    let Some(last) = lines.last() else {
        return false;
    };
    let last = last.trim_start_matches([' ', '\t', '>']).trim_end();
    let mark = fence.chars().next().unwrap_or('`');
    last.len() >= fence.len() && last.chars().all(|c| c == mark)
}

/// `<!-- runbook:allow … -->` comments that name a rule that does not exist:
/// a misspelt name would otherwise silently allow nothing.
fn unknown_allowed_rules(chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    for snippet in chapter.snippets.iter().filter(|s| !s.allow.is_empty()) {
        let before = &chapter.source[..snippet.span.start];
        let comment_start = before.rfind("<!--").unwrap_or(snippet.span.start);
        for name in snippet
            .allow
            .iter()
            .filter(|name| RuleId::from_id(name).is_none())
        {
            let at = before[comment_start..]
                .find(name.as_str())
                .map_or(comment_start, |i| comment_start + i);
            let mut diagnostic = Diagnostic::new(
                RuleId::UnknownRule,
                RuleId::UnknownRule.default_severity(),
                chapter,
                Span::new(at, at + name.len()),
                format!(
                    "`{}` is not a rule; this comment allows nothing by that name",
                    crate::excerpt::quote(name)
                ),
            );
            if let Some(best) = crate::suggest::best(name, RuleId::ids()) {
                diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
            }
            out.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_closed_or_not() {
        let cases = [
            ("```bash\necho x\n```\n", true),
            ("```\n```", true),
            ("````\n```\n````", true),
            ("~~~json\n{}\n~~~~\n", true),
            ("> ```\n> q\n> ```", true),
            ("  ```\n  y\n  ```\n", true),
            ("```\r\necho x\r\n```\r\n", true),
            ("```bash\necho x\n", false),
            ("```bash", false),
            ("````json\n{}\n```\n", false),
            ("~~~\ntext\n```\n", false),
            ("```\ncode\n``` x\n", false),
        ];
        for (block, closed) in cases {
            let fence = opening_fence(block).unwrap();
            assert_eq!(is_closed(block, fence), closed, "{block:?}");
        }
    }
}
