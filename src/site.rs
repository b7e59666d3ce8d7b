//! The one-command build: the whole site, in process, written atomically.
//!
//! `mdbook-runbook build` runs the [`pipeline`] once (mdbook-driver loads the
//! book and runs its preprocessors, ours registered in place of the external
//! `[preprocessor.runbook]` command, so no mdbook or mdbook-runbook binary is
//! needed on `PATH`), and renders its result with mdbook-html into a staging
//! directory next to the site. Only
//! when everything succeeded is the staging directory swapped in, so a
//! failed build never leaves a half-written site; [`crate::fs::Staging`]
//! does the locking, the swap and the recovery after a killed build, and
//! [`crate::fs::check_output_dir`] refuses a build directory that would
//! replace the book itself. Next to each language's pages it writes
//! `faq.json`, the FAQ index, and in `checks/` the check scripts;
//! `export-scripts` writes the scripts alone, the same way. This module owns
//! every file write of the build.

use crate::faq;
use crate::load::{LoadedBook, load};
use crate::pipeline::{self, Analysed};
use crate::preprocess::Mode;
use crate::scripts::{self, ScriptSet};
use anyhow::{Context, Result, bail};
use mdbook_renderer::{RenderContext, Renderer};
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
    let config = &loaded.mdbook.config;
    let site =
        crate::fs::check_output_dir(root, &config.build.build_dir, &root.join(&config.book.src))?;
    let language = config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    let staging = crate::fs::Staging::begin(&site)?;
    let analysed = render(&mut loaded, &staging.path().join(&language))?;
    write_scripts(&staging.path().join("checks"), &analysed.scripts)?;
    staging.commit()?;
    Ok(BuildOutput {
        languages: vec![site.join(&language)],
        site,
    })
}

/// Runs the pipeline once and renders its result into `destination`: the
/// HTML pages (mdbook-html) and `faq.json`, from the same analysis.
fn render(loaded: &mut LoadedBook, destination: &Path) -> Result<Analysed> {
    let preprocessed = pipeline::run(loaded, Mode::Build)?;
    let mut context = RenderContext::new(
        loaded.mdbook.root.clone(),
        preprocessed.book,
        loaded.mdbook.config.clone(),
        destination,
    );
    context
        .chapter_titles
        .extend(preprocessed.context.chapter_titles.borrow_mut().drain());
    mdbook_html::HtmlHandlebars::new()
        .render(&context)
        .context("rendering the HTML")?;
    let analysed = preprocessed.analysed;
    let json = serde_json::to_string_pretty(&analysed.index)? + "\n";
    let path = destination.join("faq.json");
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    Ok(analysed)
}

/// Writes the check scripts, `run-all.sh` and `manifest.json` into `dir`,
/// which must not exist yet; scripts are made executable.
pub fn write_scripts(dir: &Path, set: &ScriptSet) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for file in scripts::render::files(set)? {
        let path = dir.join(&file.name);
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("writing {}", path.display()))?;
        if file.executable {
            set_executable(&path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", path.display()))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> Result<()> {
    Ok(())
}

/// `export-scripts`: the check scripts of the book at `root`, written to
/// `out` as a whole, with the build's locked, crash-safe swap: `out` is
/// replaced only when every file was written, and only when it is empty or
/// was written by this tool. Returns the number of scripts.
pub fn export_scripts(root: &Path, out: &Path) -> Result<usize> {
    let analysed = pipeline::check(root)?;
    let out = std::path::absolute(out).with_context(|| format!("resolving {}", out.display()))?;
    let staging = crate::fs::Staging::begin(&out)?;
    write_scripts(&staging.path().join("."), &analysed.scripts)?;
    staging.commit()?;
    Ok(analysed.scripts.scripts.len())
}

/// The FAQ index of the book at `root` in `language` (default: the book's),
/// for `lookup`: the built `site/<language>/faq.json` when it is at least as
/// new as every source file, else the index the pipeline makes from the
/// book itself. A language the book is not written in must have been built.
pub fn faq_index(root: &Path, language: Option<&str>) -> Result<faq::FaqIndex> {
    let mut loaded = load(root)?;
    let config = &loaded.mdbook.config;
    let book_language = config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    let language = language.map_or_else(|| book_language.clone(), str::to_string);
    let built = root
        .join(&config.build.build_dir)
        .join(&language)
        .join("faq.json");
    let sources_changed = newest_source(root, &root.join(&config.book.src))?;
    let built_time = std::fs::metadata(&built).and_then(|m| m.modified()).ok();
    let fresh = built_time.is_some_and(|built| sources_changed.is_none_or(|s| s <= built));
    if fresh {
        return read_faq_json(&built);
    }
    if language != book_language {
        if built_time.is_some() {
            bail!(
                "{}: older than the book's sources; run `mdbook-runbook build` to refresh it",
                built.display()
            );
        }
        bail!(
            "the book has no `{language}` index: it is written in `{book_language}` and {} does not exist",
            built.display()
        );
    }
    Ok(pipeline::run(&mut loaded, Mode::Check)?.analysed.index)
}

/// Reads a `faq.json`, refusing a schema version this tool does not know.
fn read_faq_json(path: &Path) -> Result<faq::FaqIndex> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a faq.json (invalid JSON)", path.display()))?;
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(faq::SCHEMA_VERSION)) {
        bail!(
            "{}: schema_version {} is not {}, the version this tool reads; rebuild it with this version of mdbook-runbook",
            path.display(),
            version.map_or_else(|| "missing".to_string(), |v| v.to_string()),
            faq::SCHEMA_VERSION
        );
    }
    serde_json::from_value(value).with_context(|| format!("{}: not a faq.json", path.display()))
}

/// The newest modification time of book.toml and every file under `src`.
fn newest_source(root: &Path, src: &Path) -> Result<Option<std::time::SystemTime>> {
    let mut newest = std::fs::metadata(root.join("book.toml"))
        .and_then(|m| m.modified())
        .ok();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            let metadata = entry.metadata()?;
            if metadata.is_dir() {
                stack.push(entry.path());
            } else if let Ok(modified) = metadata.modified() {
                newest = newest.max(Some(modified));
            }
        }
    }
    Ok(newest)
}
