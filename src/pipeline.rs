//! The one pipeline every command goes through, computed once per run.
//!
//! load book.toml and the chapters ([`load`](crate::load)) → mdBook's own
//! preprocessors (`links`, `index`, and any the book configures before ours)
//! → parse each chapter once into the [`Guide`] → analyse each snippet once
//! ([`Analysis`]) → findings ([`rules`]), the FAQ index ([`faq`]) and the
//! check scripts ([`scripts`]).
//! [`Analysed`] holds the result; `check`, `build`, the preprocessor under
//! `mdbook build`, `lookup` and the pages all read it, so they can never
//! disagree about what the book says.
//!
//! [`analyse`] is the pure core (mdBook's book in, [`Analysed`] out, no
//! printing); [`run`] drives mdBook for the in-process commands.

use crate::analysis::{Analysis, Memo};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::faq::{self, FaqIndex};
use crate::load::LoadedBook;
use crate::model::Guide;
use crate::origin::{Origins, SourceFile, normalize};
use crate::preprocess::{Mode, RunbookPreprocessor};
use crate::scripts::{self, ScriptSet};
use crate::{parse, rules};
use anyhow::{Context, Result};
use mdbook_preprocessor::book::{Book, BookItem};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Everything the tool knows about a book after one pass of the pipeline.
#[derive(Debug)]
pub struct Analysed {
    pub config: Config,
    /// The book's language (`[book] language`, `en` when unset).
    pub language: String,
    /// The source directory, relative to the book root (`book`).
    pub src_dir: PathBuf,
    pub guide: Guide,
    pub analysis: Analysis,
    /// Every finding, after rule levels and allow directives, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The FAQ index the pages show and `faq.json` holds.
    pub index: FaqIndex,
    /// The check scripts of the entries (a translation's are its source
    /// language's: the site has one set).
    pub scripts: Arc<ScriptSet>,
    /// Chapter path → the path mdBook renders it at, where they differ
    /// (`README.md` → `index.md`), both relative to the book root.
    pub renames: HashMap<PathBuf, PathBuf>,
}

/// What one pass of the pipeline makes besides the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Products {
    /// The findings, the FAQ index and the check scripts.
    #[default]
    All,
    /// Only the findings (`check`): the FAQ index and the scripts are left
    /// empty.
    Findings,
}

/// What the source language's analysis lends the analysis of a
/// translation, whose code is the same: its analysed snippets, and the
/// check scripts the site is given.
#[derive(Debug)]
pub struct SourceAnalysis {
    memo: Memo,
    scripts: Arc<ScriptSet>,
}

impl SourceAnalysis {
    /// The check scripts of the book.
    pub fn scripts(&self) -> &ScriptSet {
        &self.scripts
    }

    pub fn of(analysed: &Analysed) -> Self {
        SourceAnalysis {
            memo: Memo::of(&analysed.guide, &analysed.analysis, &analysed.config.shell),
            scripts: Arc::clone(&analysed.scripts),
        }
    }
}

/// Parses and analyses `book`, as mdBook hands it to a preprocessor or a
/// renderer: `root` is the book's root and `book_config` its book.toml.
/// A translation borrows what it can from its `source` language's
/// analysis.
pub fn analyse(
    root: &Path,
    book_config: &mdbook_preprocessor::config::Config,
    book: &Book,
    config: Config,
    source: Option<&SourceAnalysis>,
    products: Products,
) -> Result<Analysed> {
    let src_dir = book_config.book.src.clone();
    let mut chapters = Vec::new();
    let mut renames = HashMap::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let (Some(source_path), Some(path)) = (&chapter.source_path, &chapter.path) else {
            continue;
        };
        let file = src_dir.join(source_path);
        if path != source_path {
            renames.insert(file.clone(), src_dir.join(path));
        }
        chapters.push((file, chapter.content.clone()));
    }
    let mut origins: Vec<Origins> = chapters
        .iter()
        .map(|(file, content)| origins_of(root, file, content))
        .collect();
    // The AWS data the checks will need is made ready beside the parsing
    // and the analysis; whatever needs a part of it first waits for it.
    let texts: Vec<&str> = chapters.iter().map(|(_, text)| text.as_str()).collect();
    let (guide, analysis, diagnostics) = std::thread::scope(|scope| {
        let warming = std::thread::Builder::new()
            .name("aws-warm-up".into())
            .spawn_scoped(scope, || crate::aws::warm_up(&texts));
        let parsing = crate::timing::phase("parse");
        let mut guide = parse::parse_book(chapters.clone());
        drop(parsing);
        for (chapter, origins) in guide.chapters.iter_mut().zip(origins.drain(..)) {
            chapter.origins = origins;
        }
        let analysing = crate::timing::phase("analyse snippets");
        let empty = Memo::default();
        let memo = source.map_or(&empty, |source| &source.memo);
        let analysis = Analysis::borrowing(&guide, config.aws_cli, &config.shell, memo);
        drop(analysing);
        let checking = crate::timing::phase("rules");
        let diagnostics = rules::check(&guide, &analysis, &config);
        drop(checking);
        if let Ok(warming) = warming
            && let Err(panic) = warming.join()
        {
            std::panic::resume_unwind(panic);
        }
        (guide, analysis, diagnostics)
    });
    let language = book_config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".to_string());
    let (scripts, index) = match products {
        Products::All => {
            let scripting = crate::timing::phase("scripts");
            let scripts = match source {
                Some(source) => Arc::clone(&source.scripts),
                None => Arc::new(scripts::build(&guide, &analysis, &src_dir)),
            };
            drop(scripting);
            let _indexing = crate::timing::phase("faq index");
            let mut index = faq::build(&guide, &analysis, &language, &src_dir);
            let by_entry = scripts.by_entry();
            for entry in &mut index.entries {
                entry.script = by_entry
                    .get(entry.id.as_str())
                    .map(|script| script.file_name.clone());
            }
            (scripts, index)
        }
        Products::Findings => (Arc::new(ScriptSet::default()), FaqIndex::empty(&language)),
    };
    Ok(Analysed {
        config,
        language,
        src_dir,
        guide,
        analysis,
        diagnostics,
        index,
        scripts,
        renames,
    })
}

/// Where each byte of a chapter's text came from: the chapter file as it is
/// on disk, and the files it includes. A chapter that cannot be read back
/// (mdBook made it up, or it changed meanwhile) is its own origin.
fn origins_of(root: &Path, file: &Path, content: &str) -> Origins {
    let Ok(raw) = std::fs::read_to_string(root.join(file)) else {
        return Origins::default();
    };
    if raw == content {
        return Origins::default();
    }
    let chapter = SourceFile::new(file.to_path_buf(), raw);
    let mut cache: HashMap<PathBuf, Option<Arc<SourceFile>>> = HashMap::new();
    Origins::align(&chapter, content, |path| {
        cache
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(root.join(path)).ok()?;
                Some(SourceFile::new(normalize(path), text))
            })
            .clone()
    })
}

/// A place for the preprocessor to leave its [`Analysed`] when it runs in
/// process, so the command that drove mdBook reads the very analysis the
/// pages were made from.
#[derive(Debug, Clone, Default)]
pub struct Slot(Arc<Mutex<Option<Analysed>>>);

impl Slot {
    pub fn put(&self, analysed: Analysed) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(analysed);
    }

    pub fn take(&self) -> Option<Analysed> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The book after every preprocessor, with the context mdBook made for it
/// and the analysis.
pub struct Preprocessed {
    pub book: Book,
    pub context: mdbook_preprocessor::PreprocessorContext,
    pub analysed: Analysed,
}

/// Runs mdBook's preprocessors on a loaded book, ours among them (in the
/// place book.toml gives it, after `links` and `index` by default), for the
/// HTML renderer. In [`Mode::Check`] findings never stop the run.
pub fn run(loaded: &mut LoadedBook, mode: Mode) -> Result<Preprocessed> {
    run_borrowing(loaded, mode, None)
}

/// [`run`] for a translation that borrows from its `source` language's
/// analysis.
pub fn run_borrowing(
    loaded: &mut LoadedBook,
    mode: Mode,
    source: Option<Arc<SourceAnalysis>>,
) -> Result<Preprocessed> {
    run_making(loaded, mode, source, Products::All)
}

/// [`run_borrowing`], making only `products`.
fn run_making(
    loaded: &mut LoadedBook,
    mode: Mode,
    source: Option<Arc<SourceAnalysis>>,
    products: Products,
) -> Result<Preprocessed> {
    let slot = Slot::default();
    loaded.mdbook.with_preprocessor(
        RunbookPreprocessor::in_process(slot.clone(), mode)
            .borrowing(source)
            .making(products),
    );
    let renderer = mdbook_html::HtmlHandlebars::new();
    let preprocessing = crate::timing::phase("preprocessors (mdBook's and ours)");
    let result = loaded.mdbook.preprocess_book(&renderer);
    drop(preprocessing);
    let analysed = slot.take();
    match (result, analysed) {
        (Ok((book, context)), Some(analysed)) => Ok(Preprocessed {
            book,
            context,
            analysed,
        }),
        (Ok(_), None) => anyhow::bail!(
            "the runbook preprocessor did not run (is `renderers` in [preprocessor.runbook] leaving out html?)"
        ),
        (Err(error), _) => {
            Err(error).with_context(|| format!("preprocessing {}", loaded.root.display()))
        }
    }
}

/// The whole pipeline for the book at `root`, as `check` runs it (load,
/// preprocess, parse, analyse; findings never stop it), with the FAQ index
/// and the check scripts.
pub fn check(root: &Path) -> Result<Analysed> {
    let mut loaded = crate::load::load(root)?;
    Ok(run(&mut loaded, Mode::Check)?.analysed)
}

/// The findings of the book at `root`, with `[preprocessor.runbook]` keys
/// set as if book.toml said so (`("aws-cli", 1)`), for command-line
/// overrides: the `check` command. The FAQ index and the scripts are left
/// empty.
pub fn check_with(root: &Path, overrides: &[(&str, toml_value::Value)]) -> Result<Analysed> {
    let mut loaded = crate::load::load(root)?;
    for (key, value) in overrides {
        loaded
            .mdbook
            .config
            .set(format!("{}.{key}", crate::config::TABLE), value)
            .with_context(|| format!("setting {key}"))?;
    }
    loaded.config = Config::from_mdbook(&loaded.mdbook.config, &root.join("book.toml"))?;
    Ok(run_making(&mut loaded, Mode::Check, None, Products::Findings)?.analysed)
}

/// The values a command-line override can give a key.
pub mod toml_value {
    use serde::Serialize;

    /// An override's value.
    #[derive(Debug, Clone, Serialize)]
    #[serde(untagged)]
    pub enum Value {
        Integer(i64),
        String(String),
    }
}
