//! Loading a book from disk: the first step of the [`pipeline`](crate::pipeline).
//!
//! Reads book.toml once with mdBook's own loader (so the same keys mean the
//! same thing, and the same `MDBOOK_*` environment variables override
//! them), validates `[preprocessor.runbook]`, checks that every
//! markdown file under the source directory is UTF-8 (naming the file, line
//! and column of the first bad byte), and loads the chapters listed in
//! SUMMARY.md. [`crate::confine`] first checks that every chapter and
//! included file stays inside the book. Parsing them is the pipeline's next
//! step, after mdBook's preprocessors. [`load`] (for `check`) never creates
//! or changes a file; [`load_for_build`] honours mdBook's `create-missing`,
//! creating the missing chapters SUMMARY.md lists.
//!
//! It also owns the size limits, the same in every mode: a chapter of at
//! most [`MAX_CHAPTER_BYTES`], a book of at most [`MAX_BOOK_BYTES`] (the
//! markdown files for `check` and `build`, mdBook's JSON on stdin for the
//! preprocessor, read with [`preprocessor_input`]).

use crate::config::Config;
use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use std::path::{Path, PathBuf};

/// A book on disk, loaded (not yet preprocessed or parsed).
pub struct LoadedBook {
    pub root: PathBuf,
    pub mdbook: MDBook,
    pub config: Config,
}

/// Files larger than this are refused rather than parsed.
pub const MAX_CHAPTER_BYTES: u64 = 16 * 1024 * 1024;

/// A book larger than this (all its markdown, or mdBook's JSON for the
/// preprocessor) is refused rather than parsed.
pub const MAX_BOOK_BYTES: u64 = 64 * 1024 * 1024;

/// Reads mdBook's `[context, book]` JSON for the preprocessor, refusing
/// more than [`MAX_BOOK_BYTES`] of it, or a chapter larger than
/// [`MAX_CHAPTER_BYTES`], before any work is done.
pub fn preprocessor_input(
    reader: impl std::io::Read,
) -> Result<(
    mdbook_preprocessor::PreprocessorContext,
    mdbook_preprocessor::book::Book,
)> {
    let input = stdin_json(reader, "preprocessor")?;
    let (ctx, book) = mdbook_preprocessor::parse_input(input.as_slice())
        .context("reading mdBook's JSON from stdin")?;
    for item in book.iter() {
        if let BookItem::Chapter(chapter) = item {
            let size = chapter.content.len() as u64;
            if size > MAX_CHAPTER_BYTES {
                let name = chapter
                    .source_path
                    .as_ref()
                    .map_or_else(|| chapter.name.clone(), |path| path.display().to_string());
                bail!(
                    "{name}: {size} bytes is larger than the {MAX_CHAPTER_BYTES}-byte limit for a chapter"
                );
            }
        }
    }
    Ok((ctx, book))
}

/// Reads mdBook's JSON for the `role` (preprocessor or renderer) from
/// `reader`: at most [`MAX_BOOK_BYTES`], and not empty.
pub fn stdin_json(reader: impl std::io::Read, role: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut input = Vec::new();
    reader
        .take(MAX_BOOK_BYTES + 1)
        .read_to_end(&mut input)
        .context("reading mdBook's JSON from stdin")?;
    if input.len() as u64 > MAX_BOOK_BYTES {
        bail!("mdBook's JSON on stdin is larger than the {MAX_BOOK_BYTES}-byte limit for a book");
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        bail!(
            "mdBook's JSON on stdin is empty: run this way, mdbook-runbook is the mdBook {role} \
             (see `mdbook-runbook --help`)"
        );
    }
    Ok(input)
}

/// Loads the book at `root` without writing anything: `create-missing` is
/// turned off.
pub fn load(root: &Path) -> Result<LoadedBook> {
    load_book(root, false)
}

/// Loads the book at `root` for a build: with `[build] create-missing`
/// (mdBook's default is `true`), mdBook creates the chapter files SUMMARY.md
/// lists that do not exist yet, as `mdbook build` does.
pub fn load_for_build(root: &Path) -> Result<LoadedBook> {
    load_book(root, true)
}

fn load_book(root: &Path, may_create: bool) -> Result<LoadedBook> {
    if !root.is_dir() {
        bail!("{}: not a directory", root.display());
    }
    let book_toml = root.join("book.toml");
    let mut mdbook_config = if book_toml.exists() {
        // mdBook's own error names neither the line nor the byte.
        crate::fs::read_utf8(&book_toml)?;
        mdbook_driver::config::Config::from_disk(&book_toml)
            .with_context(|| format!("reading {}", book_toml.display()))?
    } else {
        mdbook_driver::config::Config::default()
    };
    // `MDBOOK_BOOK__TITLE=…`, `MDBOOK_OUTPUT__HTML__SITE_URL=…`: the same
    // overrides `mdbook build` takes (the Pages workflow sets the site URL).
    mdbook_config
        .update_from_env()
        .context("reading the MDBOOK_* environment variables")?;
    let create_missing_requested = mdbook_config.build.create_missing;
    mdbook_config.build.create_missing &= may_create;
    let config = Config::from_mdbook(&mdbook_config, &book_toml)?;

    let src = root.join(&mdbook_config.book.src);
    if !src.join("SUMMARY.md").is_file() {
        bail!(
            "{}: no SUMMARY.md in the book's source directory",
            src.display()
        );
    }
    let confining = crate::timing::phase("confine");
    let missing = crate::confine::check_book(root, &mdbook_config, config.allow_outside_root)?;
    drop(confining);
    crate::confine::check_missing(
        &missing,
        mdbook_config.build.create_missing,
        create_missing_requested,
    )?;
    let scanning = crate::timing::phase("markdown files: size and UTF-8");
    let mut total = 0;
    check_markdown_files(&src, root, &mut total)?;
    drop(scanning);

    let _loading = crate::timing::phase("mdBook's load");
    let mdbook = MDBook::load_with_config(root, mdbook_config)
        .with_context(|| format!("loading the book in {}", root.display()))?;
    Ok(LoadedBook {
        root: root.to_path_buf(),
        mdbook,
        config,
    })
}

/// Every `.md` file under `dir` (symlinked directories not followed) must
/// be valid UTF-8 and of a sane size; `total` adds up their sizes.
fn check_markdown_files(dir: &Path, root: &Path, total: &mut u64) -> Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        // A symlinked directory is not walked: it may loop, or reach far
        // outside the book (its chapters are still read when listed).
        if entry.file_type()?.is_dir() {
            check_markdown_files(&path, root, total)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let shown = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let size = std::fs::metadata(&path)?.len();
            if size > MAX_CHAPTER_BYTES {
                bail!(
                    "{shown}: {size} bytes is larger than the {MAX_CHAPTER_BYTES}-byte limit for a chapter"
                );
            }
            *total += size;
            if *total > MAX_BOOK_BYTES {
                bail!(
                    "the book's markdown files are larger than the {MAX_BOOK_BYTES}-byte limit for a book (reached at {shown})"
                );
            }
            let bytes = std::fs::read(&path).with_context(|| format!("reading {shown}"))?;
            if let Err(error) = std::str::from_utf8(&bytes) {
                let valid = &bytes[..error.valid_up_to()];
                let valid = std::str::from_utf8(valid).expect("valid prefix");
                let line = valid.matches('\n').count() + 1;
                let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                bail!(
                    "{shown}:{line}:{column}: invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                    bytes[error.valid_up_to()]
                );
            }
        }
    }
    Ok(())
}
