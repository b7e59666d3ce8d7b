//! The one-command build: the whole site, in process, written atomically.
//!
//! `mdbook-runbook build` loads the book with mdbook-driver, registers
//! [`RunbookPreprocessor`] in place of the external `[preprocessor.runbook]`
//! command (so no mdbook or mdbook-runbook binary is needed on `PATH`), and
//! renders with mdbook-html into a staging directory next to the site. Only
//! when everything succeeded is the staging directory swapped in, so a
//! failed build never leaves a half-written site; [`crate::fs::Staging`]
//! does the locking, the swap and the recovery after a killed build, and
//! [`crate::fs::check_output_dir`] refuses a build directory that would
//! replace the book itself. Next to each language's pages it writes
//! `faq.json`, the FAQ index. This module owns every file write of the
//! build.

use crate::faq;
use crate::load::load;
use crate::preprocess::RunbookPreprocessor;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// What a successful build produced.
#[derive(Debug)]
pub struct BuildOutput {
    /// The site root (`<book>/site` by default).
    pub site: PathBuf,
    /// One directory per language, e.g. `site/fr`.
    pub languages: Vec<PathBuf>,
}

/// Builds the book at `root` into its build directory.
pub fn build(root: &Path) -> Result<BuildOutput> {
    let mut loaded = crate::load::load_for_build(root)?;
    // mdBook joins the build dir to the root; an absolute root keeps the
    // staging path from being joined twice.
    let root =
        &std::path::absolute(root).with_context(|| format!("resolving {}", root.display()))?;
    let config = &mut loaded.mdbook.config;
    let site =
        crate::fs::check_output_dir(root, &config.build.build_dir, &root.join(&config.book.src))?;
    let language = config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    let staging = crate::fs::Staging::begin(&site)?;
    config.build.build_dir = staging.path().join(&language);
    let src_rel = config.book.src.clone();
    loaded.mdbook.with_preprocessor(RunbookPreprocessor);
    let result = loaded.mdbook.build().and_then(|()| {
        let index = faq::build(&loaded.guide, &language, &src_rel);
        let json = serde_json::to_string_pretty(&index)? + "\n";
        let path = staging.path().join(&language).join("faq.json");
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))
    });
    result?;
    staging.commit()?;
    Ok(BuildOutput {
        languages: vec![site.join(&language)],
        site,
    })
}

/// The FAQ index of the book at `root` in `language` (default: the book's):
/// the built `site/<language>/faq.json` when there is one, else built from
/// the book's sources.
pub fn faq_index(root: &Path, language: Option<&str>) -> Result<faq::FaqIndex> {
    let book_toml = root.join("book.toml");
    let config = if book_toml.exists() {
        mdbook_driver::config::Config::from_disk(&book_toml)
            .with_context(|| format!("reading {}", book_toml.display()))?
    } else {
        mdbook_driver::config::Config::default()
    };
    let language = language
        .map(str::to_string)
        .or(config.book.language.clone())
        .unwrap_or_else(|| "en".to_string());
    let built = root
        .join(&config.build.build_dir)
        .join(&language)
        .join("faq.json");
    if built.is_file() {
        let text = std::fs::read_to_string(&built)
            .with_context(|| format!("reading {}", built.display()))?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{}: not a faq.json", built.display()));
    }
    let loaded = load(root)?;
    Ok(faq::build(
        &loaded.guide,
        &language,
        &loaded.mdbook.config.book.src,
    ))
}
