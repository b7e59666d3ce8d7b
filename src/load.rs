//! Loading a book from disk: the first step of the [`pipeline`](crate::pipeline).
//!
//! Reads book.toml once with mdBook's own loader (so the same keys mean the
//! same thing), validates `[preprocessor.runbook]`, checks that every
//! markdown file under the source directory is UTF-8 (naming the file, line
//! and column of the first bad byte), and loads the chapters listed in
//! SUMMARY.md. Parsing them is the pipeline's next step, after mdBook's
//! preprocessors. It never creates or changes a file: mdBook's
//! `create-missing` is turned off.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};

/// A book on disk, loaded (not yet preprocessed or parsed).
pub struct LoadedBook {
    pub root: PathBuf,
    pub mdbook: MDBook,
    pub config: Config,
}

/// Files larger than this are refused rather than parsed.
pub const MAX_CHAPTER_BYTES: u64 = 16 * 1024 * 1024;

pub fn load(root: &Path) -> Result<LoadedBook> {
    if !root.is_dir() {
        bail!("{}: not a directory", root.display());
    }
    let book_toml = root.join("book.toml");
    let mut mdbook_config = if book_toml.exists() {
        mdbook_driver::config::Config::from_disk(&book_toml)
            .with_context(|| format!("reading {}", book_toml.display()))?
    } else {
        mdbook_driver::config::Config::default()
    };
    mdbook_config.build.create_missing = false;
    let config = Config::from_mdbook(&mdbook_config, &book_toml)?;

    let src = root.join(&mdbook_config.book.src);
    if !src.join("SUMMARY.md").is_file() {
        bail!(
            "{}: no SUMMARY.md in the book's source directory",
            src.display()
        );
    }
    check_markdown_files(&src, root)?;

    let mdbook = MDBook::load_with_config(root, mdbook_config)
        .with_context(|| format!("loading the book in {}", root.display()))?;
    Ok(LoadedBook {
        root: root.to_path_buf(),
        mdbook,
        config,
    })
}

/// Every `.md` file under `dir` must be valid UTF-8 and of a sane size.
fn check_markdown_files(dir: &Path, root: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            check_markdown_files(&path, root)?;
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
