//! Structure rules: encoding, heading ids and entry labels.
//!
//! These check that the chapter is readable (`mojibake`), that every stable
//! anchor is valid and unique in the book (`invalid-id`, `duplicate-id`),
//! that every bold label maps to a role (`unknown-label`), and that a page
//! asks for each generated page once (`duplicate-page-directive`).

use super::{Rule, RuleInfo};
use crate::anchors;
use crate::diagnostic::{Diagnostic, Severity};
use crate::encoding;
use crate::model::Span;
use std::collections::HashMap;

pub struct Structure;

const INFOS: &[RuleInfo] = &[
    RuleInfo {
        id: "mojibake",
        severity: Severity::Warning,
        summary: "the chapter looks like UTF-8 that was decoded with a legacy code page",
    },
    RuleInfo {
        id: "invalid-id",
        severity: Severity::Error,
        summary: "an explicit heading id that mdBook would not keep as written",
    },
    RuleInfo {
        id: "duplicate-id",
        severity: Severity::Error,
        summary: "an explicit heading id used twice in the book",
    },
    RuleInfo {
        id: "unknown-label",
        severity: Severity::Info,
        summary: "a bold label in an entry that maps to no role (kept as a note)",
    },
    RuleInfo {
        id: "duplicate-page-directive",
        severity: Severity::Warning,
        summary: "a second `{{#runbook-faq}}` or `{{#runbook-commands}}` on one page (not expanded)",
    },
];

impl Rule for Structure {
    fn ids(&self) -> &'static [RuleInfo] {
        INFOS
    }

    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        let guide = cx.guide;
        let mut seen: HashMap<&str, (&std::path::Path, usize)> = HashMap::new();
        for chapter in &guide.chapters {
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
                            "mojibake",
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
                            "invalid-id",
                            Severity::Error,
                            chapter,
                            heading.span,
                            format!("heading id `{id}` is not a valid anchor"),
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
                            "duplicate-id",
                            Severity::Error,
                            chapter,
                            heading.span,
                            format!("heading id `{id}` is already used"),
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
                            "duplicate-page-directive",
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
                            "unknown-label",
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
