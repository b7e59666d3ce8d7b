//! gettext PO files: the [`Catalog`] model, its reader ([`read`]) and its
//! writer ([`write`]).
//!
//! This is a small reader and writer of our own rather than a crate: it has
//! to name the file and line of every defect (a broken PO file is a tool
//! failure with a precise error, never a panic), and it has to keep what
//! translators' tools put in a file (translator comments, `#|` previous
//! msgids, `#~` obsolete entries, flags) through a round trip. It reads the
//! whole PO syntax msgfmt reads (contexts and plural forms included) and
//! writes what msgmerge writes, wrapped at 79 columns. No markdown here.

pub mod read;
pub mod write;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One PO entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// `# ` comments, written by translators.
    pub comments: Vec<String>,
    /// `#.` comments, written by the extractor for translators.
    pub extracted: Vec<String>,
    /// `#:` references, `file:line`.
    pub references: Vec<String>,
    /// `#,` flags (`fuzzy`, …).
    pub flags: Vec<String>,
    /// `#| msgctxt`: the context before the source changed.
    pub previous_msgctxt: Option<String>,
    /// `#| msgid`: the msgid before the source changed (on fuzzy entries).
    pub previous_msgid: Option<String>,
    pub msgctxt: Option<String>,
    pub msgid: String,
    pub msgid_plural: Option<String>,
    /// One string, or one per plural form (`msgstr[N]`).
    pub msgstr: Vec<String>,
    /// A `#~` entry: kept for the record, no longer in the sources.
    pub obsolete: bool,
    /// The 1-based line of its `msgid` in the file it was read from (0 for
    /// a message made in memory).
    pub line: usize,
}

impl Message {
    /// A message with `msgid` and an empty translation.
    pub fn new(msgid: impl Into<String>) -> Message {
        Message {
            msgid: msgid.into(),
            msgstr: vec![String::new()],
            ..Message::default()
        }
    }

    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }

    pub fn set_fuzzy(&mut self, fuzzy: bool) {
        self.flags.retain(|f| f != "fuzzy");
        if fuzzy {
            self.flags.insert(0, "fuzzy".to_string());
        }
    }

    /// The translation, when there is a complete one: not fuzzy, not
    /// obsolete, and no empty form.
    pub fn translation(&self) -> Option<&str> {
        let complete = !self.obsolete
            && !self.is_fuzzy()
            && !self.msgstr.is_empty()
            && self.msgstr.iter().all(|s| !s.is_empty());
        complete.then(|| self.msgstr[0].as_str())
    }

    fn key(&self) -> (Option<&str>, &str) {
        (self.msgctxt.as_deref(), &self.msgid)
    }
}

/// What a catalog says about one source message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    Translated(&'a str),
    /// Present, but marked fuzzy (its source changed since it was
    /// translated) or only partly translated.
    Fuzzy,
    Missing,
}

/// A parsed PO file: the header, then the messages in file order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Where it was read from (empty for a catalog made in memory).
    pub path: PathBuf,
    /// The `# ` comments above the header entry.
    pub header_comments: Vec<String>,
    /// The header fields (`Content-Type`, `Language`, …), in order.
    pub header: Vec<(String, String)>,
    /// Flags of the header entry (a new catalog's header is often fuzzy).
    pub header_flags: Vec<String>,
    pub messages: Vec<Message>,
    /// (msgctxt, msgid) → index into `messages`, live entries only.
    index: HashMap<(Option<String>, String), usize>,
    /// The book's source directory, relative to the book root (`book`):
    /// where the chapters whose messages this catalog translates live.
    src_dir: PathBuf,
}

impl Catalog {
    /// A catalog with a header for `language` and no messages.
    pub fn new(language: &str, project: &str) -> Catalog {
        Catalog {
            header: default_header(language, project),
            ..Catalog::default()
        }
    }

    /// Reads and checks the PO file at `po_path`. A PO file in `po/` next to
    /// a book.toml belongs to that book: the chapters it translates are in
    /// the book's `[book] src` directory, which error messages name.
    pub fn load(po_path: &Path) -> anyhow::Result<Catalog> {
        let mut catalog = read::load(po_path)?;
        catalog.src_dir = book_src_dir(po_path).unwrap_or_default();
        Ok(catalog)
    }

    /// The source directory (relative to the book root) error messages put
    /// before a chapter's path.
    pub fn src_dir(&self) -> &Path {
        &self.src_dir
    }

    /// The root of the book this catalog's `po/` directory is in, when
    /// there is a book.toml there.
    pub fn book_root(&self) -> Option<&Path> {
        let root = self.path.parent()?.parent()?;
        root.join("book.toml").is_file().then_some(root)
    }

    /// Sets the source directory error messages name (see [`Catalog::load`]).
    pub fn with_src_dir(mut self, src_dir: impl Into<PathBuf>) -> Catalog {
        self.src_dir = src_dir.into();
        self
    }

    /// The live (not obsolete) message with this msgid and no context.
    pub fn get(&self, msgid: &str) -> Option<&Message> {
        self.index
            .get(&(None, msgid.to_string()))
            .map(|&i| &self.messages[i])
    }

    /// What the catalog holds for `msgid`.
    pub fn status(&self, msgid: &str) -> Status<'_> {
        match self.get(msgid) {
            None => Status::Missing,
            Some(message) => match message.translation() {
                Some(text) => Status::Translated(text),
                None if message.is_fuzzy() => Status::Fuzzy,
                None if message.msgstr.iter().any(|s| !s.is_empty()) => Status::Fuzzy,
                None => Status::Missing,
            },
        }
    }

    /// The value of a header field.
    pub fn header_field(&self, name: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Sets a header field, keeping its place when it exists.
    pub fn set_header_field(&mut self, name: &str, value: &str) {
        match self
            .header
            .iter_mut()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
        {
            Some((_, old)) => *old = value.to_string(),
            None => self.header.push((name.to_string(), value.to_string())),
        }
    }

    /// Adds a message; a live message with the same msgctxt and msgid must
    /// not be there yet (returns the index of the one that is).
    pub fn push(&mut self, message: Message) -> Result<(), usize> {
        if !message.obsolete {
            let key = (message.msgctxt.clone(), message.msgid.clone());
            if let Some(&existing) = self.index.get(&key) {
                return Err(existing);
            }
            self.index.insert(key, self.messages.len());
        }
        self.messages.push(message);
        Ok(())
    }

    /// The live messages, in file order.
    pub fn live(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter().filter(|m| !m.obsolete)
    }

    /// The PO text of this catalog.
    pub fn to_po(&self) -> String {
        write::to_po(self)
    }
}

/// The header a new catalog gets: every field `msgfmt --check` wants.
pub fn default_header(language: &str, project: &str) -> Vec<(String, String)> {
    [
        ("Project-Id-Version", project),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", ""),
        ("Language-Team", ""),
        ("Language", language),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `[book] src` of the book whose `po/` directory holds `po_path`.
fn book_src_dir(po_path: &Path) -> Option<PathBuf> {
    let root = po_path.parent()?.parent()?;
    let book_toml = root.join("book.toml");
    if !book_toml.is_file() {
        return None;
    }
    let config = mdbook_driver::config::Config::from_disk(&book_toml).ok()?;
    Some(config.book.src)
}

impl Catalog {
    fn rebuild_index(&mut self) {
        self.index = self
            .messages
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.obsolete)
            .map(|(i, m)| {
                let (ctxt, id) = m.key();
                ((ctxt.map(str::to_string), id.to_string()), i)
            })
            .collect();
    }

    /// Replaces the messages (used by the merge), re-indexing them.
    pub(crate) fn set_messages(&mut self, messages: Vec<Message>) {
        self.messages = messages;
        self.rebuild_index();
    }
}
