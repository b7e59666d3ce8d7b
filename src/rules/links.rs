//! Link rules: every relative link reaches a chapter and an anchor.
//!
//! A fragment is valid when it names a heading id the rendered page will
//! carry: an explicit `{#id}`, a stable id the preprocessor adds, or an
//! mdBook automatic id (the preprocessor rewrites links to the automatic id of
//! a heading it gives a stable id, so those keep working).

use super::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Chapter, link_target};
use crate::registry::RuleId;
use crate::suggest;
use std::collections::HashSet;

pub struct Links;

/// The fragments a chapter's rendered page answers to.
fn anchors(chapter: &Chapter) -> HashSet<&str> {
    let mut ids: HashSet<&str> = chapter
        .headings
        .iter()
        .flat_map(|h| [Some(h.auto_id.as_str()), h.explicit_id.as_deref()])
        .flatten()
        .collect();
    for section in &chapter.sections {
        ids.insert(&section.id);
        ids.extend(section.entries.iter().map(|e| e.id.as_str()));
    }
    ids
}

impl Rule for Links {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        let guide = cx.guide;
        let anchor_sets: Vec<HashSet<&str>> = guide.chapters.iter().map(anchors).collect();
        let by_path: std::collections::HashMap<&std::path::Path, usize> = guide
            .chapters
            .iter()
            .enumerate()
            .rev()
            .map(|(index, chapter)| (chapter.path.as_path(), index))
            .collect();
        for chapter in &guide.chapters {
            for link in &chapter.links {
                let Some(target) = link_target(&chapter.path, &link.dest) else {
                    continue;
                };
                let index = match &target.path {
                    None => guide.chapters.iter().position(|c| std::ptr::eq(c, chapter)),
                    Some(path) => by_path.get(path.as_path()).copied(),
                };
                let Some(index) = index else {
                    let is_markdown = target
                        .path
                        .as_ref()
                        .is_some_and(|p| p.extension().is_some_and(|e| e == "md"));
                    if is_markdown {
                        let names = guide
                            .chapters
                            .iter()
                            .filter_map(|c| c.path.file_name()?.to_str());
                        let wanted = target
                            .path
                            .as_ref()
                            .and_then(|p| p.file_name()?.to_str())
                            .unwrap_or_default();
                        let mut d = Diagnostic::new(
                            RuleId::BrokenLink,
                            Severity::Error,
                            chapter,
                            link.dest_span,
                            format!(
                                "`{}` is not a chapter of this book",
                                crate::excerpt::quote(&link.dest)
                            ),
                        );
                        d.help = Some(match suggest::best(wanted, names) {
                            Some(name) => format!("did you mean `{name}`?"),
                            None => "add the page to SUMMARY.md or fix the link".to_string(),
                        });
                        out.push(d);
                    }
                    continue;
                };
                let Some(fragment) = target.fragment.filter(|f| !f.is_empty()) else {
                    continue;
                };
                let anchors = &anchor_sets[index];
                if anchors.contains(fragment) {
                    continue;
                }
                let mut d = Diagnostic::new(
                    RuleId::BrokenLink,
                    Severity::Error,
                    chapter,
                    link.dest_span,
                    format!(
                        "no heading with id `{}` in {}",
                        crate::excerpt::quote(fragment),
                        guide.chapters[index].path.display()
                    ),
                );
                if let Some(best) = suggest::best(fragment, anchors.iter().copied()) {
                    d.help = Some(format!("did you mean `#{best}`?"));
                }
                out.push(d);
            }
        }
    }
}
