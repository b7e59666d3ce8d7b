//! The mdBook preprocessor: analyse the runbook, then anchor and link it.
//!
//! [`RunbookPreprocessor`] runs under a real `mdbook build` (through the
//! binary's stdin/stdout protocol) and inside the in-process commands
//! (`build`, `check`, `lookup`), through mdbook-driver and
//! [`pipeline::run`]. Either way it receives the book after mdBook's `links`
//! and `index` preprocessors, hands it to [`pipeline::analyse`] (parse once,
//! analyse once, rules, FAQ index), and then applies the [`Rewrite`] edits
//! to each chapter.
//!
//! With the default `on-failure = "bail"`, error-level findings make `run`
//! return [`FindingsError`], which callers map to exit code 1. In process,
//! the [`Analysed`] result is left in a [`Slot`] for the command that drove
//! mdBook, so it never analyses the book a second time.

use crate::config::{Config, OnFailure};
use crate::diagnostic::{Summary, sort};
use crate::pipeline::{self, Analysed, Products, Slot, SourceAnalysis};
use crate::report;
use crate::rewrite::Rewrite;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// What the preprocessor is run for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Render the book: report findings on stderr, stop on errors (unless
    /// `on-failure = "continue"`), edit the chapters.
    #[default]
    Build,
    /// Only analyse: print nothing, never stop, leave the chapters alone.
    Check,
    /// Render a translation of the book: as [`Mode::Build`], but only
    /// error-level findings are reported (under the language's name); the
    /// others are the source language's, which its own build reports.
    Translation,
}

/// The preprocessor, registered as `[preprocessor.runbook]`.
#[derive(Debug, Default, Clone)]
pub struct RunbookPreprocessor {
    mode: Mode,
    /// Where an in-process caller wants the analysis.
    slot: Option<Slot>,
    /// For a translation built in process: the source language's analysis
    /// to borrow from.
    source: Option<Arc<SourceAnalysis>>,
    /// What the pipeline makes besides the findings.
    products: Products,
}

impl RunbookPreprocessor {
    pub const NAME: &'static str = "runbook";

    /// The preprocessor as an in-process command runs it: the analysis is
    /// left in `slot`.
    pub fn in_process(slot: Slot, mode: Mode) -> Self {
        RunbookPreprocessor {
            mode,
            slot: Some(slot),
            source: None,
            products: Products::All,
        }
    }

    /// The preprocessor of a run that needs only `products`.
    pub fn making(mut self, products: Products) -> Self {
        self.products = products;
        self
    }

    /// The preprocessor of a translation, borrowing from the source
    /// language's analysis.
    pub fn borrowing(mut self, source: Option<Arc<SourceAnalysis>>) -> Self {
        self.source = source;
        self
    }

    fn keep(&self, analysed: Analysed) {
        if let Some(slot) = &self.slot {
            slot.put(analysed);
        }
    }
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
        if self.slot.is_none()
            && let Some(warning) = version_warning(&ctx.mdbook_version)
        {
            eprintln!("warning: {}", report::visible(&warning));
        }
        let config = Config::from_mdbook(&ctx.config, &ctx.root.join("book.toml"))?;
        if self.slot.is_none() {
            // Under `mdbook build`, a language other than the book's own is
            // a translation (the in-process build translates before this).
            crate::site::translate_for_mdbook(&ctx.root, &ctx.config, &mut book)?;
        }
        let analysing = crate::timing::phase("pipeline");
        let mut analysed = pipeline::analyse(
            &ctx.root,
            &ctx.config,
            &book,
            config,
            self.source.as_deref(),
            self.products,
        )?;
        drop(analysing);
        sort(&mut analysed.diagnostics);
        if self.mode == Mode::Check {
            self.keep(analysed);
            return Ok(book);
        }
        let reported: Vec<_> = match self.mode {
            Mode::Translation => analysed
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                .cloned()
                .collect(),
            _ => analysed.diagnostics.clone(),
        };
        if !reported.is_empty() {
            let heading = match self.mode {
                Mode::Translation => format!("in the `{}` translation:\n", analysed.language),
                _ => String::new(),
            };
            // One write, so that languages built in parallel do not mix.
            eprint!(
                "{heading}{}",
                report::human::render(&reported, &analysed.guide)
            );
        }
        let summary = Summary::of(&analysed.diagnostics);
        let on_failure = analysed.config.on_failure;
        if summary.errors > 0 && on_failure == OnFailure::Bail {
            self.keep(analysed);
            return Err(FindingsError {
                errors: summary.errors,
            }
            .into());
        }

        let markers = match on_failure {
            OnFailure::Continue => analysed.diagnostics.as_slice(),
            OnFailure::Bail => &[],
        };
        // In process, the build writes the scripts to `site/checks/`; under
        // `mdbook build`, the `[output.runbook]` renderer writes them to its
        // own directory next to the HTML one.
        let scripts_url = if self.slot.is_some() {
            Some("../checks/")
        } else if ctx.config.contains_key("output.runbook") && ctx.renderer == "html" {
            Some("../runbook/checks/")
        } else {
            None
        };
        let rewrite = Rewrite::new(&analysed, markers, scripts_url);
        let rewriting = crate::timing::phase("rewrite chapters");
        let src = &analysed.src_dir;
        let mut rewritten: HashMap<_, String> = analysed
            .guide
            .chapters
            .iter()
            .map(|chapter| (chapter.path.clone(), rewrite.chapter(chapter)))
            .collect();
        book.for_each_chapter_mut(|chapter| {
            if let Some(source_path) = &chapter.source_path
                && let Some(content) = rewritten.remove(&src.join(source_path))
            {
                chapter.content = content;
            }
        });
        drop(rewriting);
        self.keep(analysed);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
