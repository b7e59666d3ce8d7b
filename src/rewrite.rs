//! The chapter edits a build makes, from the analysis: what the pages show
//! that the author did not write.
//!
//! - section and entry headings get their stable `{#id}` ([`anchors`]);
//! - links to a heading's mdBook automatic id are pointed at its stable id,
//!   and links to a renamed chapter (`README.md` → `index.md`) at its new name;
//! - the generated pages (`{{#runbook-faq}}`, `{{#runbook-commands}}`) are
//!   expanded from the FAQ index;
//! - each entry with a check script links to it, when the build writes the
//!   scripts;
//! - with `on-failure = "continue"`, a visible [`markers`] block is placed
//!   before every snippet that has an error.
//!
//! Edits are collected as `(span, replacement)` pairs and spliced in one
//! pass; the text is never re-parsed.

use crate::anchors::{id_edits, stable_ids};
use crate::diagnostic::{Diagnostic, Severity};
use crate::faq;
use crate::markers::marker;
use crate::model::{Chapter, SnippetForm, Span, link_target, splice};
use crate::pages;
use crate::pipeline::Analysed;
use crate::scripts::CheckScript;
use std::collections::HashMap;
use std::path::{Component, Path};

/// Rewrites the chapters of one analysed book.
pub struct Rewrite<'a> {
    pub analysed: &'a Analysed,
    /// Findings that get a failure marker (empty unless `on-failure =
    /// "continue"`).
    pub markers: &'a [Diagnostic],
    /// Where the check scripts are, relative to the site's root for this
    /// language (`../checks/`), when the build writes them: each entry with
    /// a script then links to it.
    pub scripts_url: Option<&'a str>,
    /// Each entry's check script, by entry id.
    scripts: HashMap<&'a str, &'a CheckScript>,
}

impl<'a> Rewrite<'a> {
    pub fn new(
        analysed: &'a Analysed,
        markers: &'a [Diagnostic],
        scripts_url: Option<&'a str>,
    ) -> Rewrite<'a> {
        Rewrite {
            analysed,
            markers,
            scripts_url,
            scripts: analysed.scripts.by_entry(),
        }
    }

    /// The chapter's markdown with every edit applied.
    pub fn chapter(&self, chapter: &Chapter) -> String {
        let analysed = self.analysed;
        let mut edits = id_edits(chapter, analysed.config.add_ids);
        let page_url = faq::page_url(chapter, &analysed.src_dir);
        // Once per page and kind: a second directive stays as written, and
        // the `duplicate-page-directive` rule reports it. Blank lines around
        // the page end a paragraph the directive line was part of.
        let mut expanded = Vec::new();
        for directive in &chapter.page_directives {
            if !expanded.contains(&directive.kind) {
                expanded.push(directive.kind);
                let page = pages::page(directive.kind, &analysed.index, &page_url);
                // The page is marked so that the site's search leaves it
                // out: it lists entries that search finds where they are.
                edits.push((
                    directive.span,
                    format!(
                        "\n\n{}\n\n{page}\n\n{}\n\n",
                        pages::GENERATED_START,
                        pages::GENERATED_END
                    ),
                ));
            }
        }
        for link in chapter.links.iter().filter(|l| l.exact) {
            if let Some(dest) = self.redirected_link(chapter, &link.dest) {
                edits.push((link.dest_span, dest));
            }
        }
        if let Some(base) = self.scripts_url {
            let depth = page_url.matches('/').count();
            let base = format!("{}{base}", "../".repeat(depth));
            for (_, entry) in chapter.entries() {
                let Some(script) = self.scripts.get(entry.id.as_str()) else {
                    continue;
                };
                let heading = &chapter.headings[entry.heading];
                let at = line_end(&chapter.source, heading.insert_at);
                let link = script_link(&base, &script.file_name, &analysed.language);
                edits.push((Span::new(at, at), format!("\n{link}\n")));
            }
        }
        // Inline code gets no marker: a block there would break its paragraph.
        for snippet in chapter
            .snippets
            .iter()
            .filter(|s| s.form != SnippetForm::Inline)
        {
            let failures: Vec<&Diagnostic> = self
                .markers
                .iter()
                .filter(|d| d.severity == Severity::Error && d.chapter == chapter.path)
                .filter(|d| snippet.span.start <= d.span.start && d.span.start < snippet.span.end)
                .collect();
            if !failures.is_empty() {
                let at = line_start(&chapter.source, snippet.span.start);
                edits.push((Span::new(at, at), marker(&failures, &analysed.language)));
            }
        }
        splice(&chapter.source, edits)
    }

    /// The new destination for a link, or `None` when it stays as written.
    fn redirected_link(&self, chapter: &Chapter, dest: &str) -> Option<String> {
        let guide = &self.analysed.guide;
        let target = link_target(&chapter.path, dest)?;
        let target_chapter = match &target.path {
            None => Some(chapter),
            Some(path) => guide.chapters.iter().find(|c| &c.path == path),
        };
        let new_path = target
            .path
            .as_ref()
            .and_then(|path| self.analysed.renames.get(path))
            .map(|renamed| relative_path(chapter.path.parent().unwrap_or(Path::new("")), renamed));
        let new_fragment = match (target_chapter, target.fragment) {
            (Some(target_chapter), Some(fragment)) => {
                let mut ids = stable_ids(target_chapter);
                if !self.analysed.config.add_ids {
                    ids.retain(|(h, _)| target_chapter.headings[*h].explicit_id.is_some());
                }
                let explicit = target_chapter
                    .headings
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| Some((i, h.explicit_id.as_deref()?)));
                explicit
                    .chain(ids)
                    .find(|&(h, id)| {
                        target_chapter.headings[h].auto_id == fragment && id != fragment
                    })
                    // Only to an id mdBook's rule keeps as it is: another
                    // (`{#a|b}`) may not fit in a link's destination.
                    .filter(|&(_, id)| crate::anchors::is_valid_id(id))
                    .map(|(_, id)| id.to_string())
            }
            _ => None,
        };
        if new_path.is_none() && new_fragment.is_none() {
            return None;
        }
        let path_part = match &new_path {
            Some(path) => path.clone(),
            None => dest.split('#').next().unwrap_or("").to_string(),
        };
        let fragment = new_fragment.as_deref().or(target.fragment);
        Some(match fragment {
            Some(fragment) => format!("{path_part}#{fragment}"),
            None => path_part,
        })
    }
}

/// `to` (relative to the book root) as seen from the directory `from_dir`.
fn relative_path(from_dir: &Path, to: &Path) -> String {
    let from: Vec<Component> = from_dir.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The offset just after the line that holds `offset` (after its `\n`).
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The link from an entry to its check script, from
/// `templates/script-link.hbs`.
fn script_link(base: &str, file: &str, language: &str) -> String {
    let label = if language.starts_with("fr") {
        "Script de vérification"
    } else {
        "Check script"
    };
    let data = serde_json::json!({"href": format!("{base}{file}"), "label": label, "file": file});
    crate::templates::html("script-link", &data)
        .trim_end()
        .to_string()
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::config::Config;
    use crate::model::Guide;
    use crate::parse::parse_book;
    use crate::registry::RuleId;
    use std::collections::HashMap;
    use std::path::PathBuf;

    fn analysed(chapters: &[(&str, &str)], renames: &[(&str, &str)]) -> Analysed {
        let guide: Guide = parse_book(
            chapters
                .iter()
                .map(|(p, s)| (PathBuf::from(p), s.to_string())),
        );
        let analysis = Analysis::of(&guide, Default::default());
        let index = faq::build(&guide, &analysis, "en", Path::new("book"));
        let scripts = crate::scripts::build(&guide, &analysis, Path::new("book")).into();
        Analysed {
            config: Config::default(),
            language: "en".into(),
            src_dir: PathBuf::from("book"),
            guide,
            analysis,
            diagnostics: Vec::new(),
            scripts,
            index,
            renames: renames
                .iter()
                .map(|(a, b)| (PathBuf::from(a), PathBuf::from(b)))
                .collect::<HashMap<_, _>>(),
        }
    }

    fn rewrite(analysed: &Analysed, markers: &[Diagnostic]) -> String {
        Rewrite::new(analysed, markers, None).chapter(&analysed.guide.chapters[0])
    }

    #[test]
    fn adds_ids_and_redirects_links() {
        let book = analysed(
            &[
                (
                    "book/guide.md",
                    "# Guide\n\n## 📋 Contents\n\n1. [ECR](#-ecr---pushpull)\n\n## 📦 ECR - PUSH/PULL\n\n### ❌ \"no basic auth\"\n\n**Cause :** x\n\n[Back](./README.md) [up](./README.md#intro)\n",
                ),
                ("book/README.md", "# Intro {#intro}\n"),
            ],
            &[("book/README.md", "book/index.md")],
        );
        let out = rewrite(&book, &[]);
        assert!(
            out.contains("## 📦 ECR - PUSH/PULL {#ecr-push-pull}\n"),
            "{out}"
        );
        assert!(
            out.contains("### ❌ \"no basic auth\" {#ecr-no-basic-auth}\n"),
            "{out}"
        );
        assert!(out.contains("## 📋 Contents {#contents}\n"), "{out}");
        assert!(out.contains("[ECR](#ecr-push-pull)"), "{out}");
        assert!(out.contains("[Back](index.md)"), "{out}");
        assert!(out.contains("[up](index.md#intro)"), "{out}");
    }

    /// A link to a heading's mdBook id goes to the heading's own id only
    /// when mdBook's rule keeps that id as it is: `|t` does not fit in a
    /// link's destination, and in a table its `|` ended the cell (found by
    /// the i18n_pieces fuzz target, in the translation's copy of this).
    #[test]
    fn links_are_pointed_only_at_ids_mdbook_keeps_as_they_are() {
        let text = "# Titre {#|t}\n\n| a | b |\n|---|---|\n| [lien](#titre) | x |\n";
        let book = analysed(&[("book/x.md", text)], &[]);
        assert_eq!(rewrite(&book, &[]), text);
    }

    #[test]
    fn explicit_ids_are_kept_and_nothing_else_changes() {
        let text =
            "## A {#keep-me}\n\n### ❌ B {#b-id}\n\nBody with [link](https://example.com).\n";
        let book = analysed(&[("book/x.md", text)], &[]);
        assert_eq!(rewrite(&book, &[]), text);
    }

    #[test]
    fn entries_link_to_their_script() {
        let book = analysed(
            &[(
                "book/x.md",
                "## S\n\n### ❌ E\n\n**Diagnostic :**\n\n```bash\naws ecs list-clusters\n```\n",
            )],
            &[],
        );
        let out = Rewrite::new(&book, &[], Some("../checks/")).chapter(&book.guide.chapters[0]);
        assert!(
            out.contains("### ❌ E {#s-e}\n\n<p class=\"runbook-script\"><a href=\"../checks/s-e.sh\" download>Check script: <code>s-e.sh</code></a></p>\n\n**Diagnostic"),
            "{out}"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("book"), Path::new("book/index.md")),
            "index.md"
        );
        assert_eq!(
            relative_path(Path::new("book/a"), Path::new("book/index.md")),
            "../index.md"
        );
        assert_eq!(
            relative_path(Path::new("book"), Path::new("book/b/index.md")),
            "b/index.md"
        );
    }

    #[test]
    fn continue_places_marker_before_failing_snippet() {
        let text = "## S\n\n### ❌ E\n\n**Solution :**\n\n```bash\naws ecs nope\n```\n";
        let book = analysed(&[("book/x.md", text)], &[]);
        let chapter = &book.guide.chapters[0];
        let at = text.find("nope").unwrap();
        let d = Diagnostic::new(
            RuleId::AwsUnknownOperation,
            Severity::Error,
            chapter,
            Span::new(at, at + 4),
            "no such operation",
        );
        let warning = Diagnostic {
            severity: Severity::Warning,
            ..d.clone()
        };
        let out = rewrite(&book, &[d]);
        let marker_at = out.find("<div class=\"runbook-failure\"").expect(&out);
        assert!(marker_at < out.find("```bash").unwrap());
        assert!(out[..marker_at].ends_with("**Solution :**\n\n"), "{out}");
        let out = rewrite(&book, &[warning]);
        assert!(!out.contains("runbook-failure"), "warnings get no marker");
    }
}
