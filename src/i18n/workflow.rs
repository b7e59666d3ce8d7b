//! The translators' workflow on a book: `i18n extract`, `i18n update` and
//! `i18n status`, the files they read and write, and their reports.
//!
//! [`template`] makes the template catalog (`po/messages.pot`) from the
//! book as it is on disk, read with mdBook's own loader: SUMMARY titles
//! first, then every chapter's pieces in SUMMARY order, one message per
//! distinct msgid, each with its `#: file:line` references and, where it
//! helps, a `#.` note for the translator. [`update`] merges it into
//! `po/<lang>.po` ([`super::merge`]); [`status`] compares the catalog with
//! the book (translated, fuzzy, missing, per file) and tries the
//! translation, so an unsafe one is reported before a build meets it.
//! This module owns every file write of the translation workflow.

use super::extract::{self, Kind};
use super::merge::{MergeReport, merge};
use super::po::{Catalog, Message, Status};
use super::{TranslationError, Untranslated, translate};
use anyhow::{Context, Result, bail};
use mdbook_driver::book::BookItem;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The template file `i18n extract` writes, in `po/`.
pub const TEMPLATE_FILE: &str = "messages.pot";

/// A book as the translation workflow reads it.
#[derive(Debug)]
pub struct SourceBook {
    pub root: PathBuf,
    /// `[book] src`, relative to the root.
    pub src_dir: PathBuf,
    pub title: String,
    pub language: String,
    /// SUMMARY.md's text.
    pub summary: String,
    /// Each chapter's path relative to `src_dir`, and its text on disk.
    pub chapters: Vec<(PathBuf, String)>,
}

/// Loads the book at `root` (nothing is written).
pub fn load(root: &Path) -> Result<SourceBook> {
    let loaded = crate::load::load(root)?;
    let config = &loaded.mdbook.config;
    let src_dir = config.book.src.clone();
    let summary_path = root.join(&src_dir).join("SUMMARY.md");
    let summary = crate::fs::read_utf8(&summary_path)?;
    let chapters = loaded
        .mdbook
        .book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => {
                Some((chapter.source_path.clone()?, chapter.content.clone()))
            }
            _ => None,
        })
        .collect();
    Ok(SourceBook {
        root: root.to_path_buf(),
        title: config.book.title.clone().unwrap_or_default(),
        language: config
            .book
            .language
            .clone()
            .unwrap_or_else(|| "en".to_string()),
        src_dir,
        summary,
        chapters,
    })
}

/// `po/<language>.po` of the book at `root`.
pub fn po_path(root: &Path, language: &str) -> PathBuf {
    root.join("po").join(format!("{language}.po"))
}

/// The template catalog of `book`: every message to translate.
pub fn template(book: &SourceBook) -> Catalog {
    let mut messages: Vec<Message> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |msgid: &str, reference: String, note: Option<&str>| {
        let at = *index.entry(msgid.to_string()).or_insert_with(|| {
            messages.push(Message::new(msgid));
            messages.len() - 1
        });
        let message = &mut messages[at];
        // Pieces come in order, so a repeated reference is the last one.
        if message.references.last() != Some(&reference) {
            message.references.push(reference);
        }
        if let Some(note) = note
            && !message.extracted.iter().any(|n| n == note)
        {
            message.extracted.push(note.to_string());
        }
    };
    let summary = book.src_dir.join("SUMMARY.md");
    for title in extract::summary_titles(&book.summary) {
        add(
            &title.text,
            format!("{}:{}", summary.display(), title.line),
            Some("A title in SUMMARY.md: the chapter's name in the navigation."),
        );
    }
    for (path, text) in &book.chapters {
        let file = book.src_dir.join(path);
        for piece in extract::pieces(text) {
            let note = note(&piece);
            add(
                &piece.msgid,
                format!("{}:{}", file.display(), piece.line),
                note,
            );
        }
    }
    let mut catalog = Catalog::new("", &book.title);
    catalog.header.retain(|(name, _)| name != "Language");
    for message in messages {
        catalog.push(message).expect("msgids are distinct");
    }
    catalog.with_src_dir(&book.src_dir)
}

/// A note for translators where a message has rules of its own.
fn note(piece: &extract::Piece) -> Option<&'static str> {
    match &piece.kind {
        Kind::CodeComment { .. } => Some(
            "A comment in a code block: translate it on one line; the code around it is never translated.",
        ),
        Kind::Heading { .. } if piece.msgid.contains('"') => {
            Some("Keep the quoted error message exactly as written: it is what people search for.")
        }
        Kind::Heading { .. } => {
            Some("A heading: keep its leading mark; its anchor is the same in every language.")
        }
        Kind::TableCell | Kind::Text if piece.msgid.contains('"') => {
            Some("Keep quoted messages exactly as written.")
        }
        _ => None,
    }
}

/// `i18n extract`: writes `po/messages.pot`. Returns its path and the
/// number of messages.
pub fn extract(root: &Path) -> Result<(PathBuf, usize)> {
    let book = load(root)?;
    let template = template(&book);
    let path = root.join("po").join(TEMPLATE_FILE);
    write(&path, &template)?;
    Ok((path, template.messages.len()))
}

/// What `i18n update` did.
#[derive(Debug)]
pub struct UpdateReport {
    pub po: PathBuf,
    pub created: bool,
    /// Whether the PO file was written (it is left alone when the merge
    /// changes nothing).
    pub changed: bool,
    pub merge: MergeReport,
    pub coverage: Coverage,
}

/// `i18n update`: extracts the template (writing `po/messages.pot`) and
/// merges it into `po/<language>.po`, creating that file if needed.
pub fn update(root: &Path, language: &str) -> Result<UpdateReport> {
    if !super::is_language_tag(language) {
        bail!("{language:?} is not a language tag (such as `en` or `pt_BR`)");
    }
    let book = load(root)?;
    if language == book.language {
        bail!(
            "`{language}` is the book's own language ([book] language in book.toml); translations are for the other languages"
        );
    }
    let template = template(&book);
    write(&root.join("po").join(TEMPLATE_FILE), &template)?;
    let po = po_path(root, language);
    let created = !po.exists();
    let old = if created {
        let mut catalog = Catalog::new(language, &book.title);
        catalog.path = po.clone();
        catalog
    } else {
        Catalog::load(&po)?
    };
    let (mut merged, report) = merge(&template, &old);
    if merged.header_field("Language").is_none_or(str::is_empty) {
        merged.set_header_field("Language", language);
    }
    let before = (!created).then(|| old.to_po());
    let changed = before.as_deref() != Some(merged.to_po().as_str());
    if changed {
        merged.set_header_field("PO-Revision-Date", &now());
        write(&po, &merged)?;
    }
    let coverage = Coverage::of(&template, &merged);
    Ok(UpdateReport {
        po,
        created,
        changed,
        merge: report,
        coverage,
    })
}

fn write(path: &Path, catalog: &Catalog) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    crate::fs::write_atomically(path, catalog.to_po().as_bytes())
}

/// Translated, fuzzy and missing messages.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub translated: usize,
    pub fuzzy: usize,
    pub missing: usize,
}

impl Coverage {
    pub fn total(&self) -> usize {
        self.translated + self.fuzzy + self.missing
    }

    pub fn percent(&self) -> f64 {
        if self.total() == 0 {
            100.0
        } else {
            100.0 * self.translated as f64 / self.total() as f64
        }
    }

    fn add(&mut self, status: Status<'_>) {
        match status {
            Status::Translated(_) => self.translated += 1,
            Status::Fuzzy => self.fuzzy += 1,
            Status::Missing => self.missing += 1,
        }
    }

    fn of(template: &Catalog, catalog: &Catalog) -> Coverage {
        let mut coverage = Coverage::default();
        for message in template.live() {
            coverage.add(catalog.status(&message.msgid));
        }
        coverage
    }
}

/// What `i18n status` found for one language.
#[derive(Debug)]
pub struct StatusReport {
    pub language: String,
    pub po: PathBuf,
    pub total: Coverage,
    /// Per source file (a message counts once in each file it is in).
    pub files: BTreeMap<String, Coverage>,
    /// Messages without a complete translation, at their first reference.
    pub untranslated: Vec<Untranslated>,
    pub obsolete: usize,
    /// A translation the build would refuse, and why.
    pub refused: Option<String>,
}

impl StatusReport {
    /// Every message translated, none fuzzy, and nothing refused.
    pub fn complete(&self) -> bool {
        self.untranslated.is_empty() && self.refused.is_none()
    }
}

/// `i18n status` for one language.
pub fn status(root: &Path, language: &str) -> Result<StatusReport> {
    let book = load(root)?;
    let po = po_path(root, language);
    if !po.is_file() {
        bail!(
            "{}: no such file; create it with `mdbook-runbook i18n update --lang {language}`",
            po.display()
        );
    }
    let catalog = Catalog::load(&po)?.with_src_dir(&book.src_dir);
    Ok(status_of(&book, &catalog, language))
}

fn status_of(book: &SourceBook, catalog: &Catalog, language: &str) -> StatusReport {
    let template = template(book);
    let mut files: BTreeMap<String, Coverage> = BTreeMap::new();
    let mut untranslated = Vec::new();
    for message in template.live() {
        let status = catalog.status(&message.msgid);
        let mut seen = Vec::new();
        for reference in &message.references {
            let file = reference
                .rsplit_once(':')
                .map_or(reference.as_str(), |(f, _)| f);
            if !seen.contains(&file) {
                seen.push(file);
                files.entry(file.to_string()).or_default().add(status);
            }
        }
        if !matches!(status, Status::Translated(_)) {
            untranslated.push(Untranslated {
                location: message.references.first().cloned().unwrap_or_default(),
                msgid: message.msgid.clone(),
                fuzzy: status == Status::Fuzzy,
            });
        }
    }
    let refused = match translate::chapters(&book.chapters, catalog, &book.src_dir) {
        Err(TranslationError::Unsafe(why)) => Some(why),
        _ => None,
    };
    StatusReport {
        language: language.to_string(),
        po: catalog.path.clone(),
        total: Coverage::of(&template, catalog),
        files,
        untranslated,
        obsolete: catalog.messages.iter().filter(|m| m.obsolete).count(),
        refused,
    }
}

/// The text `i18n status` prints for one language.
pub fn render_status(report: &StatusReport, root: &Path) -> String {
    let po = report.po.strip_prefix(root).unwrap_or(&report.po);
    let total = report.total;
    let mut out = format!(
        "{} ({}): {}/{} messages translated ({:.1}%), {} fuzzy, {} missing, {} obsolete\n",
        po.display(),
        report.language,
        total.translated,
        total.total(),
        total.percent(),
        total.fuzzy,
        total.missing,
        report.obsolete
    );
    let width = report
        .files
        .keys()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(out, "  {:<width$}  translated  fuzzy  missing", "file");
    for (file, c) in &report.files {
        let _ = writeln!(
            out,
            "  {file:<width$}  {:>10}  {:>5}  {:>7}",
            c.translated, c.fuzzy, c.missing
        );
    }
    for u in &report.untranslated {
        let what = if u.fuzzy { "fuzzy" } else { "missing" };
        let _ = writeln!(
            out,
            "{}: {what}: {:?}",
            u.location,
            crate::excerpt::cut(&u.msgid, 80)
        );
    }
    if let Some(why) = &report.refused {
        let _ = writeln!(out, "error: {why}");
    }
    out
}

/// The current time as a PO header date (`2025-01-31 14:05+0000`).
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (seconds / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    let minutes = (seconds % 86_400) / 60;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}+0000",
        minutes / 60,
        minutes % 60
    )
}

/// The (year, month, day) of a day count since 1970-01-01 (Howard
/// Hinnant's algorithm for the proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_089), (2025, 1, 1));
        assert_eq!(now().len(), "2025-01-31 14:05+0000".len());
    }
}
