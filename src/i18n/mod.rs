//! Translations: gettext PO catalogs, code-safe extraction, and the
//! translation of a book's chapters, for the site's other languages.
//!
//! The source language is the book's own (`[book] language`); each other
//! language has one PO file, `po/<lang>.po`, that msgfmt, Poedit and Weblate
//! read. [`extract`] finds the translatable pieces of the chapters (prose,
//! headings, table cells, code comments, SUMMARY titles; never commands,
//! JSON or inline code), [`workflow`] turns them into `po/messages.pot` and
//! merges that into the PO files (`i18n extract`, `update`, `status`), and
//! [`translate_book`] applies a [`Catalog`] to a book before mdBook's
//! preprocessors, refusing any translation that would change code
//! ([`verify`]). [`ui`] holds the fixed words of the generated pages per
//! language. The PO reader and writer are in [`po`].

pub mod comments;
pub mod extract;
mod merge;
pub mod po;
pub mod translate;
pub mod ui;
pub mod verify;
pub mod workflow;

pub use po::{Catalog, Message, Status};
pub use translate::Untranslated;

use mdbook_driver::book::{Book, BookItem};
use std::fmt;
use std::path::{Path, PathBuf};

/// A translation that cannot be used: one that would change code (always
/// an error), or, with `strict`, missing and fuzzy messages. Callers map it
/// to exit code 1, like findings: the book's content is wrong, not the tool.
#[derive(Debug)]
pub enum TranslationError {
    /// A translation would change code or the page's structure.
    Unsafe(String),
    /// Messages without a complete translation (strict mode).
    Incomplete {
        po: PathBuf,
        untranslated: Vec<Untranslated>,
    },
}

/// How many untranslated messages an error lists before "and N more".
const LISTED: usize = 40;

impl fmt::Display for TranslationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TranslationError::Unsafe(why) => f.write_str(why),
            TranslationError::Incomplete { po, untranslated } => {
                let fuzzy = untranslated.iter().filter(|u| u.fuzzy).count();
                write!(
                    f,
                    "{}: {} message(s) not translated ({} missing, {fuzzy} fuzzy) and strict translations are on; run `mdbook-runbook i18n update`, then translate them:",
                    po.display(),
                    untranslated.len(),
                    untranslated.len() - fuzzy
                )?;
                for u in untranslated.iter().take(LISTED) {
                    let what = if u.fuzzy { "fuzzy" } else { "missing" };
                    write!(
                        f,
                        "\n  {}: {what}: {:?}",
                        u.location,
                        crate::excerpt::cut(&u.msgid, 80)
                    )?;
                }
                if untranslated.len() > LISTED {
                    write!(f, "\n  … and {} more", untranslated.len() - LISTED)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for TranslationError {}

/// Translates the chapters of `book` (their markdown as on disk, before
/// mdBook's preprocessors) and their names (SUMMARY titles) in place. With
/// `strict`, a missing or fuzzy message is an error naming them (file:line
/// of the source). A translation that would change code is always an error
/// naming the msgid and the line ([`TranslationError`]).
///
/// Headings get the anchors the source language's pages have, assuming
/// `add-ids` is on (the default). Text that `{{#include}}` brings in later
/// is not translated.
pub fn translate_book(book: &mut Book, catalog: &Catalog, strict: bool) -> anyhow::Result<()> {
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for item in book.iter() {
        if let BookItem::Chapter(chapter) = item
            && let Some(path) = &chapter.source_path
        {
            sources.push((path.clone(), chapter.content.clone()));
        }
    }
    let translated = translate::chapters(&sources, catalog, catalog.src_dir())?;
    let mut texts: std::collections::HashMap<PathBuf, String> = sources
        .into_iter()
        .map(|(path, _)| path)
        .zip(translated.texts)
        .collect();
    let mut untranslated = translated.untranslated;
    let mut lines: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for title in summary_lines(catalog) {
        lines.entry(title.text).or_insert(title.line);
    }
    let mut named = std::collections::HashSet::new();
    let mut name = |text: &mut String| match catalog.status(text) {
        Status::Translated(t) => *text = t.trim().to_string(),
        status => {
            let line = lines
                .get(text.as_str())
                .map(|line| format!(":{line}"))
                .unwrap_or_default();
            let location = format!("{}{line}", catalog.src_dir().join("SUMMARY.md").display());
            let entry = Untranslated {
                location,
                msgid: text.clone(),
                fuzzy: status == Status::Fuzzy,
            };
            if named.insert(entry.msgid.clone()) {
                untranslated.push(entry);
            }
        }
    };
    book.for_each_mut(|item| match item {
        BookItem::Chapter(chapter) => {
            if let Some(path) = &chapter.source_path
                && let Some(text) = texts.remove(path)
            {
                chapter.content = text;
            }
            name(&mut chapter.name);
            for parent in &mut chapter.parent_names {
                name(parent);
            }
        }
        BookItem::PartTitle(title) => name(title),
        BookItem::Separator => {}
    });
    if strict && !untranslated.is_empty() {
        return Err(TranslationError::Incomplete {
            po: catalog.path.clone(),
            untranslated,
        }
        .into());
    }
    Ok(())
}

/// The titles of the SUMMARY.md of the book `catalog` belongs to, for the
/// lines in errors (none when it cannot be read).
fn summary_lines(catalog: &Catalog) -> Vec<extract::Title> {
    catalog
        .book_root()
        .map(|root| root.join(catalog.src_dir()).join("SUMMARY.md"))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| extract::summary_titles(&text))
        .unwrap_or_default()
}

/// The languages of the book at `root`: its source language first, then one
/// per `po/<lang>.po`, sorted.
pub fn languages(root: &Path, source: &str) -> Vec<String> {
    let mut out = vec![source.to_string()];
    let mut more: Vec<String> = std::fs::read_dir(root.join("po"))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let language = name.strip_suffix(".po")?;
            is_language_tag(language).then(|| language.to_string())
        })
        .filter(|language| language != source)
        .collect();
    more.sort();
    more.dedup();
    out.extend(more);
    out
}

/// `en`, `pt_BR`, `zh-Hant`: letters, digits, `_` and `-`, starting with a
/// letter (a language that names a directory of the site).
pub fn is_language_tag(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.len() <= 35
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
