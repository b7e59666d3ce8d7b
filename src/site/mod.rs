//! The one-command build: the whole site, every language, in process,
//! written atomically.
//!
//! `mdbook-runbook build` builds each language of the book (its source
//! language, and one per `po/<lang>.po`, see [`i18n::languages`]) in its own
//! thread, each through the one [`pipeline`]: load the book, translate its
//! chapters ([`i18n::translate_book`], not for the source language), run
//! mdBook's preprocessors with ours registered in place of the external
//! `[preprocessor.runbook]` command (so no mdbook or mdbook-runbook binary is
//! needed on `PATH`), and render with mdbook-html into `<lang>/` of one
//! staging directory, with `faq.json` next to the pages. The pages use the
//! language's [`theme`] (localized strings, hreflang alternates, a language
//! switch, a not-found page of its own); a French language gets the French
//! [`search`] index and query script. The check scripts go once into
//! `checks/`, and the root gets the language chooser and a not-found page.
//! Only when everything succeeded is the staging directory swapped in, so a
//! failed build never leaves a half-written site; [`crate::fs::Staging`]
//! does the locking, the swap and the recovery after a killed build, and
//! [`crate::fs::check_output_dir`] refuses a build directory that would
//! replace the book itself. `export-scripts` writes the scripts alone, the
//! same way. This module owns every file write of the build.

pub mod french;
mod page_template;
pub mod search;
pub mod theme;

use crate::faq;
use crate::i18n;
use crate::load::{LoadedBook, load};
use crate::pipeline::{self, SourceAnalysis};
use crate::preprocess::Mode;
use crate::scripts::{self, ScriptSet};
use anyhow::{Context, Result, anyhow, bail};
use mdbook_renderer::{RenderContext, Renderer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use theme::SiteLanguage;

/// What a successful build produced.
#[derive(Debug)]
pub struct BuildOutput {
    /// The site root (`<book>/site` by default).
    pub site: PathBuf,
    /// One directory per language, e.g. `site/fr`, the source language
    /// first.
    pub languages: Vec<PathBuf>,
}

/// What every language's build shares.
struct SitePlan {
    root: PathBuf,
    source: String,
    languages: Vec<SiteLanguage>,
    /// Where the site is served from, ending in `/` (`[output.html]
    /// site-url`, `/` by default).
    site_url: String,
    /// The book's own theme directory, if it has one.
    book_theme: Option<PathBuf>,
    strict_translations: bool,
}

/// Builds the book at `root` into its build directory, every language in
/// parallel.
pub fn build(root: &Path) -> Result<BuildOutput> {
    let _whole = crate::timing::phase("build (whole)");
    // This first load creates the chapters SUMMARY.md lists that are
    // missing (`create-missing`), once, before the languages load the book.
    let loaded = crate::load::load_for_build(root)?;
    // mdBook joins the build dir to the root; an absolute root keeps the
    // staging path from being joined twice.
    let root =
        std::path::absolute(root).with_context(|| format!("resolving {}", root.display()))?;
    let config = &loaded.mdbook.config;
    let site =
        crate::fs::check_output_dir(&root, &config.build.build_dir, &root.join(&config.book.src))?;
    let source = source_language(&root)?;
    let languages = i18n::languages(&root, &source)
        .iter()
        .map(|code| SiteLanguage::new(code))
        .collect::<Result<Vec<_>>>()?;
    let html = config.html_config().unwrap_or_default();
    let site_url = match html.site_url.as_deref().map(str::trim) {
        None | Some("") => "/".to_string(),
        Some(url) if url.ends_with('/') => url.to_string(),
        Some(url) => format!("{url}/"),
    };
    let book_theme = Some(
        html.theme
            .map_or_else(|| root.join("theme"), |t| root.join(t)),
    )
    .filter(|dir| dir.is_dir());
    let plan = SitePlan {
        strict_translations: strict_translations(&loaded)?,
        root: root.clone(),
        source: source.clone(),
        languages,
        site_url,
        book_theme,
    };
    let title = config.book.title.clone().unwrap_or_default();
    drop(loaded);

    let staging = crate::fs::Staging::begin(&site)?;
    let handoff = Handoff::default();
    let (results, checks) = std::thread::scope(|scope| {
        // The check scripts are written as soon as the source language's
        // analysis exists, while the pages render.
        let checks = std::thread::Builder::new()
            .name("build-checks".into())
            .spawn_scoped(scope, || match handoff.take() {
                Some(source) => {
                    let _writing = crate::timing::phase("check scripts");
                    write_scripts(
                        &staging.path().join("checks"),
                        source.scripts(),
                        staging
                            .previous()
                            .map(|site| site.join("checks"))
                            .as_deref(),
                    )
                }
                None => Ok(()),
            });
        let handles: Vec<_> = plan
            .languages
            .iter()
            .map(|language| {
                let plan = &plan;
                let staging = staging.path();
                let handoff = &handoff;
                std::thread::Builder::new()
                    .name(format!("build-{}", language.code))
                    .stack_size(crate::WORKER_STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        build_language(plan, language, staging, handoff)
                    })
            })
            .collect();
        // A source language whose thread did not start hands nothing over.
        let source_started = plan
            .languages
            .iter()
            .zip(&handles)
            .any(|(language, handle)| language.code == plan.source && handle.is_ok());
        if !source_started {
            handoff.give(None);
        }
        let results = handles.into_iter().map(joined).collect::<Vec<_>>();
        (results, joined(checks))
    });
    for (language, result) in plan.languages.iter().zip(results) {
        if language.code == plan.source {
            result?;
        } else {
            result.with_context(|| format!("building the `{}` pages", language.code))?;
        }
    }
    checks?;
    for (name, html) in theme::root_pages(&title, &plan.source, &plan.languages, &plan.site_url)? {
        let path = staging.path().join(name);
        std::fs::write(&path, html).with_context(|| format!("writing {}", path.display()))?;
    }
    let _committing = crate::timing::phase("scripts, root pages, swap");
    staging.commit()?;
    Ok(BuildOutput {
        languages: plan.languages.iter().map(|l| site.join(&l.code)).collect(),
        site,
    })
}

/// The result of a build thread.
fn joined<T>(handle: std::io::Result<std::thread::ScopedJoinHandle<'_, Result<T>>>) -> Result<T> {
    match handle {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| Err(anyhow!("internal error (a bug): a build thread panicked"))),
        Err(error) => Err(anyhow!("cannot start a build thread: {error}")),
    }
}

/// The source language's analysis, handed from its build thread to the
/// translations' as soon as it exists, so that they borrow it instead of
/// analysing the same code again. `None` once the source language failed.
#[derive(Default)]
struct Handoff {
    analysis: Mutex<Option<Option<Arc<SourceAnalysis>>>>,
    ready: Condvar,
}

impl Handoff {
    /// Hands `analysis` over, unless something was handed over already.
    fn give(&self, analysis: Option<Arc<SourceAnalysis>>) {
        let mut slot = self.analysis.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(analysis);
            self.ready.notify_all();
        }
    }

    /// Waits for the source language's analysis.
    fn take(&self) -> Option<Arc<SourceAnalysis>> {
        let mut slot = self.analysis.lock().unwrap_or_else(|e| e.into_inner());
        while slot.is_none() {
            slot = self.ready.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
        slot.clone().flatten()
    }
}

/// Hands nothing over when the source language's thread ends without
/// having handed its analysis over (an error, a panic), so translations
/// never wait forever.
struct HandoffGuard<'a>(&'a Handoff);

impl Drop for HandoffGuard<'_> {
    fn drop(&mut self) {
        self.0.give(None);
    }
}

/// The language the book is written in: `[book] language` in book.toml as
/// it is on disk (`en` when unset), whatever `MDBOOK_BOOK__LANGUAGE` asks
/// to build.
pub fn source_language(root: &Path) -> Result<String> {
    let book_toml = root.join("book.toml");
    let config = if book_toml.is_file() {
        mdbook_driver::config::Config::from_disk(&book_toml)
            .with_context(|| format!("reading {}", book_toml.display()))?
    } else {
        mdbook_driver::config::Config::default()
    };
    Ok(config.book.language.unwrap_or_else(|| "en".to_string()))
}

/// Under a plain `mdbook build` with `MDBOOK_BOOK__LANGUAGE=<lang>` (or any
/// `[book] language` other than book.toml's): translates the chapters of
/// `book` with `po/<lang>.po`, so that mdBook alone builds a translation.
/// Nothing to do for the source language.
pub fn translate_for_mdbook(
    root: &Path,
    config: &mdbook_preprocessor::config::Config,
    book: &mut mdbook_preprocessor::book::Book,
) -> Result<()> {
    let source = source_language(root)?;
    let language = config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    if language == source {
        return Ok(());
    }
    SiteLanguage::new(&language)?;
    let po = root.join("po").join(format!("{language}.po"));
    if !po.is_file() {
        bail!(
            "the book is written in `{source}`, and there is no {} to build it in `{language}` from",
            po.display()
        );
    }
    let strict = config
        .get::<bool>("preprocessor.runbook.strict-translations")
        .context("[preprocessor.runbook] strict-translations must be true or false")?
        .unwrap_or(false);
    i18n::translate_book(book, &i18n::Catalog::load(&po)?, strict)
}

/// `strict-translations` in `[preprocessor.runbook]`: a translation with a
/// missing or stale message fails the build.
fn strict_translations(loaded: &LoadedBook) -> Result<bool> {
    Ok(loaded
        .mdbook
        .config
        .get::<bool>("preprocessor.runbook.strict-translations")
        .context("[preprocessor.runbook] strict-translations must be true or false")?
        .unwrap_or(false))
}

/// Builds the pages of one language into `<staging>/<code>`. The source
/// language hands its analysis over to the translations through `handoff`.
fn build_language(
    plan: &SitePlan,
    language: &SiteLanguage,
    staging: &Path,
    handoff: &Handoff,
) -> Result<()> {
    let translated = language.code != plan.source;
    let _guard = (!translated).then(|| HandoffGuard(handoff));
    let loading = crate::timing::phase("load");
    let mut loaded = load(&plan.root)?;
    drop(loading);
    let catalog = if translated {
        let po = plan.root.join("po").join(format!("{}.po", language.code));
        Some(i18n::Catalog::load(&po)?)
    } else {
        None
    };
    let not_found = not_found_page(
        &loaded,
        language,
        catalog.as_ref(),
        plan.strict_translations,
    )?;
    let theme_dir = staging.join(format!(".theme-{}", language.code));
    theme::write_theme(
        &theme_dir,
        plan.book_theme.as_deref(),
        language,
        &plan.languages,
        &not_found,
    )?;
    let config = &mut loaded.mdbook.config;
    config.book.language = Some(language.code.clone());
    config.set("output.html.theme", &theme_dir)?;
    config.set(
        "output.html.site-url",
        format!("{}{}/", plan.site_url, language.code),
    )?;
    if let Some(catalog) = &catalog {
        let _translating = crate::timing::phase("translate");
        i18n::translate_book(&mut loaded.mdbook.book, catalog, plan.strict_translations)?;
    }
    let result = if translated {
        let source = handoff.take();
        render(
            &mut loaded,
            &staging.join(&language.code),
            &theme_dir,
            Mode::Translation,
            source,
            None,
        )
    } else {
        render(
            &mut loaded,
            &staging.join(&language.code),
            &theme_dir,
            Mode::Build,
            None,
            Some(handoff),
        )
    };
    std::fs::remove_dir_all(&theme_dir)
        .with_context(|| format!("removing {}", theme_dir.display()))?;
    result
}

/// The markdown of the not-found page in `language`: the book's own
/// (`[output.html] input-404`, or `404.md` in its sources), translated like
/// a chapter, or else the default one of the language.
fn not_found_page(
    loaded: &LoadedBook,
    language: &SiteLanguage,
    catalog: Option<&i18n::Catalog>,
    strict: bool,
) -> Result<String> {
    let config = &loaded.mdbook.config;
    let html = config.html_config().unwrap_or_default();
    let src = loaded.root.join(&config.book.src);
    let own = src.join(html.input_404.as_deref().unwrap_or("404.md"));
    if html.input_404.is_none() && !own.is_file() {
        return Ok(theme::default_not_found(&language.code).to_string());
    }
    let text = crate::fs::read_utf8(&own)?;
    let Some(catalog) = catalog else {
        return Ok(text);
    };
    let mut book = mdbook_driver::book::Book::new();
    book.push_item(mdbook_driver::book::Chapter::new(
        "404",
        text,
        own.strip_prefix(&src).unwrap_or(Path::new("404.md")),
        Vec::new(),
    ));
    i18n::translate_book(&mut book, catalog, strict)?;
    Ok(book
        .chapters()
        .next()
        .map(|chapter| chapter.content.clone())
        .unwrap_or_default())
}

/// Runs the pipeline once and renders its result into `destination`: the
/// HTML pages (mdbook-html), the search index (its stored headings
/// escaped, and French terms where the language is French), and
/// `faq.json`, from the same analysis. A translation borrows
/// from its `source` language's analysis; the source language hands its
/// own over to `handoff` before rendering.
fn render(
    loaded: &mut LoadedBook,
    destination: &Path,
    theme: &Path,
    mode: Mode,
    source: Option<Arc<SourceAnalysis>>,
    handoff: Option<&Handoff>,
) -> Result<()> {
    let mut preprocessed = pipeline::run_borrowing(loaded, mode, source)?;
    if let Some(handoff) = handoff {
        handoff.give(Some(Arc::new(SourceAnalysis::of(&preprocessed.analysed))));
    }
    // The page template links each page to itself in the other languages,
    // and handlebars cannot turn `x.md` into `x.html`: mdbook-html is given
    // chapters whose path already ends in `.html`. It only ever uses that
    // path with its extension set to `.html`, so every page is written
    // where it would have been.
    let mut reserved = None;
    preprocessed.book.for_each_chapter_mut(|chapter| {
        if let Some(path) = &mut chapter.path {
            if path == Path::new("print.md") {
                reserved = Some(path.clone());
            }
            *path = path.with_extension("html");
        }
    });
    if let Some(path) = reserved {
        bail!("{} is reserved for internal use", path.display());
    }
    let french = search::is_french(&preprocessed.analysed.language);
    let mut config = loaded.mdbook.config.clone();
    let search = search::prepare(
        &mut config,
        &preprocessed.book,
        &theme.join("index.hbs"),
        french,
    )?;
    let mut context = RenderContext::new(
        loaded.mdbook.root.clone(),
        preprocessed.book,
        config,
        destination,
    );
    context.chapter_titles.extend(
        preprocessed
            .context
            .chapter_titles
            .borrow_mut()
            .drain()
            .map(|(path, title)| (path.with_extension("html"), title)),
    );
    // The analysis is not needed past this point: only what the pages
    // still need is kept, so that its memory is free for mdbook-html's.
    let faq_json = preprocessed.analysed.index.to_json();
    drop(preprocessed.analysed);
    let rendering = crate::timing::phase("mdbook-html");
    mdbook_html::HtmlHandlebars::new()
        .render(&context)
        .context("rendering the HTML")?;
    drop(rendering);
    if let Some(search) = &search {
        let _searching = crate::timing::phase("search index");
        search::finish(search, destination)?;
        if french {
            let path = destination.join(search::SCRIPT_NAME);
            std::fs::write(&path, search::french_script()?)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let path = destination.join("faq.json");
    std::fs::write(&path, faq_json).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Writes the check scripts, `run-all.sh` and `manifest.json` into `dir`,
/// which must not exist yet; scripts are made executable. A file that is
/// the same in `previous` (the directory being replaced) is linked from
/// there ([`crate::fs::write_new`]).
pub fn write_scripts(dir: &Path, set: &ScriptSet, previous: Option<&Path>) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for file in scripts::render::files(set)? {
        let old = previous.map(|previous| previous.join(&file.name));
        crate::fs::write_new(
            &dir.join(&file.name),
            file.contents.as_bytes(),
            file.executable,
            old.as_deref(),
        )?;
    }
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
    write_scripts(
        &staging.path().join("."),
        &analysed.scripts,
        staging.previous(),
    )?;
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
    let mut sources_changed = newest_source(root, &root.join(&config.book.src))?;
    // A translation is a source of its language's index too.
    let po = root.join("po");
    if po.is_dir() {
        sources_changed = sources_changed.max(newest_source(root, &po)?);
    }
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
