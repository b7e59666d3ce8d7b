//! The mdBook preprocessor: validate the runbook, then anchor and link it.
//!
//! [`RunbookPreprocessor`] runs under a real `mdbook build` (through the
//! binary's stdin/stdout protocol) and inside `mdbook-runbook build` (in
//! process, through mdbook-driver). Either way it parses every chapter into
//! the model, runs the rules, and then edits each chapter's markdown:
//!
//! - section and entry headings get their stable `{#id}`;
//! - links to a heading's mdBook automatic id are pointed at its stable id,
//!   and links to a renamed chapter (`README.md` → `index.md`) at its new name;
//! - with `on-failure = "continue"`, a visible marker is placed before every
//!   snippet that has an error.
//!
//! With the default `on-failure = "bail"`, error-level findings make `run`
//! return [`FindingsError`], which callers map to exit code 1.

use crate::config::{Config, OnFailure};
use crate::diagnostic::{Diagnostic, Severity, Summary};
use crate::faq::{self, FaqIndex};
use crate::model::{Chapter, Guide, Span, link_target, splice};
use crate::parse::parse_book;
use crate::{pages, report, rules};
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The preprocessor, registered as `[preprocessor.runbook]`.
#[derive(Debug, Default, Clone, Copy)]
pub struct RunbookPreprocessor;

impl RunbookPreprocessor {
    pub const NAME: &'static str = "runbook";
}

/// The build stopped because of error-level findings (exit code 1).
#[derive(Debug)]
pub struct FindingsError {
    pub errors: usize,
}

impl fmt::Display for FindingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} error(s) in the runbook; fix them, or set on-failure = \"continue\" in [preprocessor.runbook] to build anyway",
            self.errors
        )
    }
}

impl std::error::Error for FindingsError {}

impl Preprocessor for RunbookPreprocessor {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        if let Some(warning) = version_warning(&ctx.mdbook_version) {
            eprintln!("warning: {}", report::visible(&warning));
        }
        let config = Config::from_mdbook(&ctx.config, &ctx.root.join("book.toml"))?;
        let src = ctx.config.book.src.clone();

        let mut inputs = Vec::new();
        let mut renames = HashMap::new();
        book.for_each_chapter_mut(|chapter| {
            if let (Some(source_path), Some(path)) = (&chapter.source_path, &chapter.path) {
                let file = src.join(source_path);
                if path != source_path {
                    renames.insert(file.clone(), src.join(path));
                }
                inputs.push((file, chapter.content.clone()));
            }
        });
        let guide = parse_book(inputs);
        let diagnostics: Vec<Diagnostic> = rules::check(&guide, &config);
        if !diagnostics.is_empty() {
            eprint!("{}", report::human::render(&diagnostics, &guide));
        }
        let summary = Summary::of(&diagnostics);
        if summary.errors > 0 && config.on_failure == OnFailure::Bail {
            return Err(FindingsError {
                errors: summary.errors,
            }
            .into());
        }

        let language = ctx
            .config
            .book
            .language
            .clone()
            .unwrap_or_else(|| "en".to_string());
        let index = faq::build(&guide, &language, &src);
        let mut rewritten: HashMap<PathBuf, String> = guide
            .chapters
            .iter()
            .map(|chapter| {
                let markers = match config.on_failure {
                    OnFailure::Continue => diagnostics.as_slice(),
                    OnFailure::Bail => &[],
                };
                (
                    chapter.path.clone(),
                    rewrite(chapter, &guide, &renames, &config, markers, &index, &src),
                )
            })
            .collect();
        book.for_each_chapter_mut(|chapter| {
            if let Some(source_path) = &chapter.source_path
                && let Some(content) = rewritten.remove(&src.join(source_path))
            {
                chapter.content = content;
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// A warning when the calling mdBook's version differs from the one this
/// tool was built against in its major or minor number.
pub fn version_warning(calling: &str) -> Option<String> {
    let ours = semver::Version::parse(mdbook_preprocessor::MDBOOK_VERSION).ok()?;
    let Ok(theirs) = semver::Version::parse(calling) else {
        return Some(format!(
            "cannot parse the mdBook version {calling:?}; this tool was built against mdBook {ours}"
        ));
    };
    (theirs.major != ours.major || theirs.minor != ours.minor).then(|| {
        format!("mdbook-runbook was built against mdBook {ours} but is called from mdBook {theirs}; the output may be wrong")
    })
}

/// The chapter's markdown with stable ids added, links redirected and, when
/// `markers` holds findings, a marker before each failing snippet.
/// `index` and `src_dir` (the book's source directory) serve the generated
/// pages (`{{#runbook-faq}}`, `{{#runbook-commands}}`).
#[allow(clippy::too_many_arguments)]
pub fn rewrite(
    chapter: &Chapter,
    guide: &Guide,
    renames: &HashMap<PathBuf, PathBuf>,
    config: &Config,
    markers: &[Diagnostic],
    index: &FaqIndex,
    src_dir: &Path,
) -> String {
    let mut edits = id_edits(chapter, config.add_ids);
    let page_url = faq::page_url(chapter, src_dir);
    // Once per page and kind: a second directive stays as written, and the
    // `duplicate-page-directive` rule reports it. Blank lines around the
    // page end a paragraph the directive line was part of.
    let mut expanded = Vec::new();
    for directive in &chapter.page_directives {
        if !expanded.contains(&directive.kind) {
            expanded.push(directive.kind);
            let page = pages::page(directive.kind, index, &page_url);
            edits.push((directive.span, format!("\n\n{page}\n\n")));
        }
    }
    for link in chapter.links.iter().filter(|l| l.exact) {
        if let Some(dest) = redirected_link(chapter, guide, renames, config, &link.dest) {
            edits.push((link.dest_span, dest));
        }
    }
    for snippet in &chapter.snippets {
        let failures: Vec<&Diagnostic> = markers
            .iter()
            .filter(|d| d.severity == Severity::Error && d.file == chapter.path)
            .filter(|d| snippet.span.start <= d.span.start && d.span.start < snippet.span.end)
            .collect();
        if !failures.is_empty() {
            let at = line_start(&chapter.source, snippet.span.start);
            edits.push((Span::new(at, at), marker(&failures)));
        }
    }
    splice(&chapter.source, edits)
}

/// The chapter's markdown with the stable id of every section and entry
/// heading written in as `{#id}`, and nothing else changed. Pinning ids this
/// way keeps anchors stable when a title is later reworded.
pub fn pin_ids(chapter: &Chapter) -> String {
    splice(&chapter.source, id_edits(chapter, true))
}

/// Moves of every `{#id}` written before the closing `#`s of a heading to
/// where mdBook reads it, and, when `add_ids`, insertions of ` {#id}` for
/// section and entry headings without an id.
fn id_edits(chapter: &Chapter, add_ids: bool) -> Vec<(Span, String)> {
    let mut edits = Vec::new();
    for heading in &chapter.headings {
        if let Some(stray) = heading.stray_id {
            let block = chapter.source[stray.start..stray.end].trim_start();
            let at = heading.insert_at;
            edits.push((stray, String::new()));
            edits.push((Span::new(at, at), format!(" {block}")));
        }
    }
    if add_ids {
        edits.extend(
            stable_ids(chapter)
                .into_iter()
                .filter(|&(heading, id)| {
                    chapter.headings[heading].explicit_id.is_none() && !id.is_empty()
                })
                .map(|(heading, id)| {
                    let at = chapter.headings[heading].insert_at;
                    (Span::new(at, at), format!(" {{#{id}}}"))
                }),
        );
    }
    edits
}

/// Heading index → stable id, for sections and entries.
fn stable_ids(chapter: &Chapter) -> Vec<(usize, &str)> {
    chapter
        .sections
        .iter()
        .flat_map(|s| {
            std::iter::once((s.heading, s.id.as_str()))
                .chain(s.entries.iter().map(|e| (e.heading, e.id.as_str())))
        })
        .collect()
}

/// The new destination for a link, or `None` when it stays as written.
fn redirected_link(
    chapter: &Chapter,
    guide: &Guide,
    renames: &HashMap<PathBuf, PathBuf>,
    config: &Config,
    dest: &str,
) -> Option<String> {
    let target = link_target(&chapter.path, dest)?;
    let target_chapter = match &target.path {
        None => Some(chapter),
        Some(path) => guide.chapters.iter().find(|c| &c.path == path),
    };
    let new_path = target
        .path
        .as_ref()
        .and_then(|path| renames.get(path))
        .map(|renamed| relative_path(chapter.path.parent().unwrap_or(Path::new("")), renamed));
    let new_fragment = match (target_chapter, target.fragment) {
        (Some(target_chapter), Some(fragment)) => {
            let mut ids = stable_ids(target_chapter);
            if !config.add_ids {
                ids.retain(|(h, _)| target_chapter.headings[*h].explicit_id.is_some());
            }
            let explicit = target_chapter
                .headings
                .iter()
                .enumerate()
                .filter_map(|(i, h)| Some((i, h.explicit_id.as_deref()?)));
            explicit
                .chain(ids)
                .find(|&(h, id)| target_chapter.headings[h].auto_id == fragment && id != fragment)
                .map(|(_, id)| id.to_string())
        }
        _ => None,
    };
    if new_path.is_none() && new_fragment.is_none() {
        return None;
    }
    let path_part = match (&new_path, &target.path) {
        (Some(path), _) => path.clone(),
        (None, _) => dest.split('#').next().unwrap_or("").to_string(),
    };
    let fragment = new_fragment.as_deref().or(target.fragment);
    Some(match fragment {
        Some(fragment) => format!("{path_part}#{fragment}"),
        None => path_part,
    })
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

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The visible marker placed before a failing snippet, from
/// `templates/failure-marker.hbs` (handlebars escapes the messages).
fn marker(failures: &[&Diagnostic]) -> String {
    static TEMPLATE: std::sync::OnceLock<handlebars::Handlebars<'static>> =
        std::sync::OnceLock::new();
    let registry = TEMPLATE.get_or_init(|| {
        let mut registry = handlebars::Handlebars::new();
        registry.set_strict_mode(true);
        registry
            .register_template_string("marker", include_str!("../templates/failure-marker.hbs"))
            .expect("the embedded template parses");
        registry
    });
    let failures: Vec<serde_json::Value> = failures
        .iter()
        .map(|d| serde_json::json!({"rule": d.rule, "line": d.line, "message": d.message}))
        .collect();
    registry
        .render("marker", &serde_json::json!({ "failures": failures }))
        .expect("the embedded template renders")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`rewrite`] with the FAQ index of the same guide.
    fn rewrite_chapter(
        chapter: &Chapter,
        guide: &Guide,
        renames: &HashMap<PathBuf, PathBuf>,
        config: &Config,
        markers: &[Diagnostic],
    ) -> String {
        let index = faq::build(guide, "en", Path::new(""));
        rewrite(
            chapter,
            guide,
            renames,
            config,
            markers,
            &index,
            Path::new(""),
        )
    }

    fn book(chapters: &[(&str, &str)]) -> Guide {
        parse_book(
            chapters
                .iter()
                .map(|(p, s)| (PathBuf::from(p), s.to_string())),
        )
    }

    #[test]
    fn adds_ids_and_redirects_links() {
        let guide = book(&[
            (
                "book/guide.md",
                "# Guide\n\n## 📋 Contents\n\n1. [ECR](#-ecr---pushpull)\n\n## 📦 ECR - PUSH/PULL\n\n### ❌ \"no basic auth\"\n\n**Cause :** x\n\n[Back](./README.md) [up](./README.md#intro)\n",
            ),
            ("book/README.md", "# Intro {#intro}\n"),
        ]);
        let renames = HashMap::from([(
            PathBuf::from("book/README.md"),
            PathBuf::from("book/index.md"),
        )]);
        let out = rewrite_chapter(
            &guide.chapters[0],
            &guide,
            &renames,
            &Config::default(),
            &[],
        );
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

    #[test]
    fn explicit_ids_are_kept_and_nothing_else_changes() {
        let text =
            "## A {#keep-me}\n\n### ❌ B {#b-id}\n\nBody with [link](https://example.com).\n";
        let guide = book(&[("book/x.md", text)]);
        let out = rewrite_chapter(
            &guide.chapters[0],
            &guide,
            &HashMap::new(),
            &Config::default(),
            &[],
        );
        assert_eq!(out, text);
    }

    #[test]
    fn version_mismatch_warns_on_minor() {
        let ours = semver::Version::parse(mdbook_preprocessor::MDBOOK_VERSION).unwrap();
        assert!(version_warning(&ours.to_string()).is_none());
        assert!(
            version_warning(&format!("{}.{}.{}", ours.major, ours.minor, ours.patch + 7)).is_none()
        );
        assert!(version_warning(&format!("{}.{}.0", ours.major, ours.minor + 1)).is_some());
        assert!(version_warning("not a version").is_some());
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
    fn marker_escapes_messages() {
        let guide = book(&[("book/x.md", "x\n")]);
        let d = Diagnostic::new(
            "some-rule",
            Severity::Error,
            &guide.chapters[0],
            Span::new(0, 1),
            "bad </div><script>x</script>",
        );
        let html = marker(&[&d]);
        assert!(
            html.contains("<code>some-rule</code> line 1: bad &lt;/div&gt;&lt;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.ends_with("</div>\n\n"), "{html:?}");
        assert!(
            !html.trim_end().contains("\n\n"),
            "no blank line inside the HTML block"
        );
    }

    #[test]
    fn continue_places_marker_before_failing_snippet() {
        let text = "## S\n\n### ❌ E\n\n**Solution :**\n\n```bash\naws ecs nope\n```\n";
        let guide = book(&[("book/x.md", text)]);
        let chapter = &guide.chapters[0];
        let at = text.find("nope").unwrap();
        let d = Diagnostic::new(
            "aws-unknown-operation",
            Severity::Error,
            chapter,
            Span::new(at, at + 4),
            "no such operation",
        );
        let warning = Diagnostic {
            severity: Severity::Warning,
            ..d.clone()
        };
        let out = rewrite_chapter(chapter, &guide, &HashMap::new(), &Config::default(), &[d]);
        let marker_at = out.find("<div class=\"runbook-failure\"").expect(&out);
        assert!(marker_at < out.find("```bash").unwrap());
        assert!(out[..marker_at].ends_with("**Solution :**\n\n"), "{out}");
        let out = rewrite_chapter(
            chapter,
            &guide,
            &HashMap::new(),
            &Config::default(),
            &[warning],
        );
        assert!(!out.contains("runbook-failure"), "warnings get no marker");
    }
}
