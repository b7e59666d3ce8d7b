//! The one-command build: the whole site, in process, written atomically.
//!
//! `mdbook-runbook build` loads the book with mdbook-driver, registers
//! [`RunbookPreprocessor`] in place of the external `[preprocessor.runbook]`
//! command (so no mdbook or mdbook-runbook binary is needed on `PATH`), and
//! renders with mdbook-html into a staging directory next to the site. Only
//! when everything succeeded is the staging directory swapped in, so a
//! failed build never leaves a half-written site. Next to each language's
//! pages it writes `faq.json`, the FAQ index. This module owns every file
//! write of the build.

use crate::faq;
use crate::load::load;
use crate::preprocess::RunbookPreprocessor;
use anyhow::{Context, Result, bail};
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
    let mut loaded = load(root)?;
    // mdBook joins the build dir to the root; an absolute root keeps the
    // staging path from being joined twice.
    let root =
        &std::path::absolute(root).with_context(|| format!("resolving {}", root.display()))?;
    let config = &mut loaded.mdbook.config;
    let site = root.join(&config.build.build_dir);
    let src = root.join(&config.book.src);
    if src.starts_with(&site) || site.starts_with(&src) || &site == root {
        bail!(
            "build-dir {} overlaps the source directory {}; set [build] build-dir = \"site\" in book.toml",
            site.display(),
            src.display()
        );
    }
    let language = config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    let staging = sibling(&site, "tmp");
    remove_if_exists(&staging)?;
    std::fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;

    config.build.build_dir = staging.join(&language);
    let src_rel = config.book.src.clone();
    loaded.mdbook.with_preprocessor(RunbookPreprocessor);
    let result = loaded.mdbook.build().and_then(|()| {
        let index = faq::build(&loaded.guide, &language, &src_rel);
        let json = serde_json::to_string_pretty(&index)? + "\n";
        let path = staging.join(&language).join("faq.json");
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))
    });
    if let Err(error) = result {
        remove_if_exists(&staging)?;
        return Err(error);
    }
    replace_dir(&staging, &site)?;
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

/// A hidden sibling of `dir` for staging or backup.
fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("site");
    dir.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

fn remove_if_exists(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("removing {}", dir.display())),
    }
}

/// Moves `staging` to `target`, replacing what was there. The old content is
/// moved aside first and removed only after the new one is in place.
fn replace_dir(staging: &Path, target: &Path) -> Result<()> {
    let backup = sibling(target, "old");
    remove_if_exists(&backup)?;
    let had_old = target.exists();
    if had_old {
        std::fs::rename(target, &backup)
            .with_context(|| format!("moving {} aside", target.display()))?;
    }
    if let Err(error) = std::fs::rename(staging, target) {
        if had_old {
            std::fs::rename(&backup, target).ok();
        }
        return Err(error).with_context(|| format!("moving the new site to {}", target.display()));
    }
    remove_if_exists(&backup)
}
