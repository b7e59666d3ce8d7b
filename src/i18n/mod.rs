//! PLACEHOLDER for the site work only: the real module (PO catalogs,
//! extraction, translation) lands from the i18n branch and replaces this
//! file. Identity translation, so the site can be built in two languages.

use anyhow::Result;
use std::path::Path;

/// A translation catalog (`po/<lang>.po`).
#[derive(Debug, Default, Clone)]
pub struct Catalog;

impl Catalog {
    /// Loads `po_path`.
    pub fn load(_po_path: &Path) -> Result<Catalog> {
        Ok(Catalog)
    }
}

/// Translates the chapters of `book` (their markdown as on disk, before
/// mdBook's preprocessors) and their names in place.
pub fn translate_book(
    _book: &mut mdbook_driver::book::Book,
    _catalog: &Catalog,
    _strict: bool,
) -> Result<()> {
    Ok(())
}

/// The languages of the book at `root`: its source language first, then one
/// per `po/<lang>.po`, sorted.
pub fn languages(root: &Path, source: &str) -> Vec<String> {
    let mut out = vec![source.to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("po")) {
        let mut more: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".po").map(str::to_string)
            })
            .filter(|l| l != source)
            .collect();
        more.sort();
        out.extend(more);
    }
    out
}
