//! The runbook model: what a chapter *means*, independent of markdown.
//!
//! A [`Guide`] is a list of [`Chapter`]s. A chapter holds [`Section`]s, and
//! a section of the entries kind holds [`Entry`]s, each split into [`Part`]s
//! by role (cause, solution, diagnostic, note). Every code block is a
//! [`Snippet`] and every table a [`Table`]; both are stored once per chapter
//! and referred to by index from the part they belong to, so rules can walk
//! all of a chapter's snippets, inside entries or not.
//!
//! Everything carries a byte [`Span`] into the chapter's original text, and a
//! snippet can map any offset of its code back to that text, so a finding on
//! line 3 of a command lands on the right line and column of the markdown
//! file. This module is plain data: no parsing, no I/O.

use crate::origin::Origins;
use serde::Serialize;
use std::ops::Range;
use std::path::PathBuf;

/// A byte range in a chapter's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, so an
/// accented letter or an emoji is one column, as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Turns byte offsets of one text into [`Location`]s.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { line_starts }
    }

    /// The location of byte `offset` in `text` (the text this index was
    /// built from). Offsets past the end clamp to the end.
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        Location {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }
}

/// All the chapters of a book that the tool looked at.
#[derive(Debug, Clone, Default)]
pub struct Guide {
    pub chapters: Vec<Chapter>,
}

impl Guide {
    pub fn entries(&self) -> impl Iterator<Item = (&Chapter, &Section, &Entry)> {
        self.chapters.iter().flat_map(|chapter| {
            chapter.sections.iter().flat_map(move |section| {
                section
                    .entries
                    .iter()
                    .map(move |entry| (chapter, section, entry))
            })
        })
    }
}

/// One markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Path of the file relative to the book root, e.g. `book/troubleshooting.md`.
    pub path: PathBuf,
    /// The text every span points into.
    pub source: String,
    pub lines: LineIndex,
    /// Text of the first level-1 heading.
    pub title: Option<String>,
    /// Every heading, in order, with the id mdBook would give it.
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub snippets: Vec<Snippet>,
    pub tables: Vec<Table>,
    pub links: Vec<Link>,
    /// Where included text came from; identity for a chapter without
    /// `{{#include}}`.
    pub origins: Origins,
    /// Lines of prose that ask for a generated page, in order.
    pub page_directives: Vec<PageDirective>,
}

impl Chapter {
    /// The location of byte `offset` in the chapter's own (expanded) text.
    pub fn location(&self, offset: usize) -> Location {
        self.lines.location(&self.source, offset)
    }

    /// The file and location byte `offset` comes from: the chapter file, or
    /// the file it includes at that point.
    pub fn locate(&self, offset: usize) -> (&std::path::Path, Location) {
        self.origins
            .locate(offset)
            .unwrap_or_else(|| (self.path.as_path(), self.location(offset)))
    }

    /// Snippets of a part, in order.
    pub fn part_snippets<'a>(&'a self, part: &'a Part) -> impl Iterator<Item = &'a Snippet> + 'a {
        part.snippets.iter().map(|&i| &self.snippets[i])
    }

    /// Tables of a part, in order.
    pub fn part_tables<'a>(&'a self, part: &'a Part) -> impl Iterator<Item = &'a Table> + 'a {
        part.tables.iter().map(|&i| &self.tables[i])
    }

    /// All snippets of an entry, in order.
    pub fn entry_snippets<'a>(
        &'a self,
        entry: &'a Entry,
    ) -> impl Iterator<Item = &'a Snippet> + 'a {
        entry.parts.iter().flat_map(|part| self.part_snippets(part))
    }

    pub fn entries(&self) -> impl Iterator<Item = (&Section, &Entry)> {
        self.sections
            .iter()
            .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
    }

    /// Whether the chapter has the runbook shape (at least one entry).
    pub fn is_runbook(&self) -> bool {
        self.sections.iter().any(|s| !s.entries.is_empty())
    }
}

/// A heading as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Plain text, without markup and without the `{#id}` attribute.
    pub text: String,
    /// The `{#id}` written in the source, if any.
    pub explicit_id: Option<String>,
    /// The id mdBook generates when there is no explicit id (unique per page).
    pub auto_id: String,
    /// The whole heading line(s).
    pub span: Span,
    /// Where ` {#id}` would be inserted so that mdBook reads it: the end of
    /// the heading line, after any closing `#`s (the end of the last text
    /// line of a setext heading).
    pub insert_at: usize,
    /// Whether ` {#id}` can go at `insert_at` without changing the page:
    /// not for an ATX heading with no text ended by a lone carriage return
    /// before more text, as pulldown-cmark (with heading attributes, as
    /// mdBook reads it) takes the next line into a heading that has text;
    /// nor for an ATX heading whose final `#`s are followed by a tab, which
    /// keeps them text where an id after them would make them its closing
    /// sequence; nor for a setext heading whose last line is a lone list
    /// marker (`*`, `1.`) or `|`, which text after it makes a list item or
    /// (right after a table) a table row.
    pub takes_id: bool,
    /// The closing `}` of an attribute block that ends the heading without
    /// an id (`## Title {.wide}`): an id goes in there, as mdBook reads
    /// only the last block.
    pub block_end: Option<usize>,
    /// An `{#id}` written before the closing `#`s of an ATX heading
    /// (`### Title {#id} ###`), with the spaces before it. Its id is
    /// `explicit_id`, but mdBook would show the block as text: the
    /// preprocessor moves it to `insert_at`.
    pub stray_id: Option<Span>,
}

impl Heading {
    /// The id the rendered page will carry.
    pub fn html_id(&self) -> &str {
        self.explicit_id.as_deref().unwrap_or(&self.auto_id)
    }

    /// The edit that gives the heading the id `id` where mdBook reads it:
    /// ` #id` in its attribute block, or a ` {#id}` block after its text;
    /// `None` where no edit can ([`takes_id`](Self::takes_id)).
    pub fn id_edit(&self, id: &str) -> Option<(Span, String)> {
        if !self.takes_id {
            return None;
        }
        Some(match self.block_end {
            Some(at) => (Span::new(at, at), format!(" #{id}")),
            None => (
                Span::new(self.insert_at, self.insert_at),
                format!(" {{#{id}}}"),
            ),
        })
    }
}

/// A page the tool generates into a chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The FAQ page.
    Faq,
    /// The command index.
    Commands,
}

impl PageKind {
    pub const ALL: [PageKind; 2] = [PageKind::Faq, PageKind::Commands];

    /// The line that asks for the page.
    pub const fn directive(self) -> &'static str {
        match self {
            PageKind::Faq => "{{#runbook-faq}}",
            PageKind::Commands => "{{#runbook-commands}}",
        }
    }
}

/// A line holding only a page directive, in a paragraph that is not inside
/// a list, a block quote or a footnote (never in code or an HTML comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDirective {
    pub kind: PageKind,
    /// The directive itself, without the line's indentation.
    pub span: Span,
}

/// What a level-2 section is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Holds troubleshooting entries.
    Entries,
    /// A table of contents: a list of in-page links.
    Contents,
    /// A list of links to other pages or sites.
    Links,
    /// Anything else (introduction, prose).
    Other,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Index into [`Chapter::headings`].
    pub heading: usize,
    /// Stable anchor: the explicit id, or one derived from the title.
    pub id: String,
    /// Title without decoration (leading emoji).
    pub title: String,
    pub kind: SectionKind,
    pub entries: Vec<Entry>,
    pub span: Span,
}

/// Whether an entry's title is an error text to match or a symptom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum EntryKind {
    /// The title quotes an error message, e.g. `"no basic auth credentials"`.
    ErrorMessage { message: String },
    /// The title describes a symptom, e.g. `Task reste en PENDING`.
    Symptom,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Index into [`Chapter::headings`].
    pub heading: usize,
    /// Stable anchor, unique in the book.
    pub id: String,
    /// Title without decoration or quotes.
    pub title: String,
    pub kind: EntryKind,
    pub parts: Vec<Part>,
    pub span: Span,
}

impl Entry {
    pub fn parts_with_role(&self, role: Role) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(move |p| p.role == role)
    }

    pub fn roles(&self) -> Vec<Role> {
        self.parts.iter().map(|p| p.role).collect()
    }
}

/// The role of a part of an entry, from its bold label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Cause,
    Solution,
    Diagnostic,
    Note,
}

/// A run of an entry's content introduced by a bold label such as
/// `**Solution :**`, up to the next label or the end of the entry.
#[derive(Debug, Clone)]
pub struct Part {
    pub role: Role,
    /// The label as written, without `**` and the colon; `None` for content
    /// before the first label.
    pub label: Option<String>,
    /// False when the label was not recognised and the role is a fallback.
    pub label_known: bool,
    pub label_span: Span,
    /// Inline text that follows the label in its paragraph, and other
    /// paragraphs of the part, as plain text.
    pub text: Vec<String>,
    /// List items, as plain text.
    pub items: Vec<String>,
    /// Indices into [`Chapter::snippets`].
    pub snippets: Vec<usize>,
    /// Indices into [`Chapter::tables`].
    pub tables: Vec<usize>,
    pub span: Span,
}

/// A fenced or indented code block.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// First word of the info string (`bash`, `json`, …), lowercased; empty
    /// when there is none.
    pub lang: String,
    /// How the code is written in the markdown.
    pub form: SnippetForm,
    /// The code, with the indentation of an enclosing list item removed.
    pub code: String,
    /// The whole block, fences included.
    pub span: Span,
    /// Pieces of `code` and where each starts in the source:
    /// `(offset in code, offset in source)`, sorted by code offset.
    pub pieces: Vec<(usize, usize)>,
    /// Rules turned off for this block by a `<!-- runbook:allow … -->`
    /// comment right before it.
    pub allow: Vec<String>,
}

/// How a snippet is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SnippetForm {
    /// A fenced code block (```` ``` ````).
    #[default]
    Fenced,
    /// An indented code block.
    Indented,
    /// Inline code that holds a whole `aws` command (`` `aws ecs …` ``).
    Inline,
}

impl Snippet {
    /// Maps a byte offset in [`Snippet::code`] to a byte offset in the
    /// chapter source.
    pub fn source_offset(&self, code_offset: usize) -> usize {
        let at = self
            .pieces
            .partition_point(|&(code, _)| code <= code_offset)
            .saturating_sub(1);
        match self.pieces.get(at) {
            Some(&(code, source)) => source + (code_offset - code),
            None => self.span.start,
        }
    }

    /// Lines of the code with their byte offset in the code.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.code.split_inclusive('\n').scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
    }
}

/// A table cell: its plain text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub span: Span,
}

impl Table {
    /// The column whose header is one of `names` (case-insensitive).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|cell| {
            names
                .iter()
                .any(|name| cell.text.trim().eq_ignore_ascii_case(name))
        })
    }
}

/// An inline link as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// The destination text in the source, when it could be located exactly
    /// (inline links); the whole link otherwise.
    pub dest_span: Span,
    pub exact: bool,
}

/// Where a relative link points: a file relative to the book root (or the
/// same chapter when `None`) and an optional fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget<'a> {
    pub path: Option<PathBuf>,
    pub fragment: Option<&'a str>,
}

/// Resolves `dest`, written in the chapter at `from` (relative to the book
/// root), to a target. External links (with a scheme, or starting with `/`
/// or `//`) give `None`.
pub fn link_target<'a>(from: &std::path::Path, dest: &'a str) -> Option<LinkTarget<'a>> {
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme || dest.starts_with('/') {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return Some(LinkTarget {
            path: None,
            fragment,
        });
    }
    let mut resolved = from.parent().map(PathBuf::from).unwrap_or_default();
    for component in std::path::Path::new(path).components() {
        match component {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            std::path::Component::Normal(part) => resolved.push(part),
            _ => {}
        }
    }
    Some(LinkTarget {
        path: Some(resolved),
        fragment,
    })
}

/// Applies `(span, replacement)` edits to `text`. Edits must not overlap;
/// they are applied from the last to the first so spans stay valid.
pub fn splice(text: &str, mut edits: Vec<(Span, String)>) -> String {
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = text.to_string();
    for (span, replacement) in edits.into_iter().rev() {
        out.replace_range(span.start..span.end, &replacement);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_chars() {
        let text = "ab\nçé🔧x\n\nlast";
        let index = LineIndex::new(text);
        let cases = [
            (0, 1, 1),
            (2, 1, 3),
            (3, 2, 1),
            (text.find('x').unwrap(), 2, 4),
            (text.find("last").unwrap(), 4, 1),
            (text.len(), 4, 5),
            (text.len() + 10, 4, 5),
        ];
        for (offset, line, column) in cases {
            assert_eq!(
                index.location(text, offset),
                Location { line, column },
                "offset {offset}"
            );
        }
        assert_eq!(index.line_start(2), Some(3));
        assert_eq!(index.line_start(0), None);
    }

    #[test]
    fn link_targets() {
        let from = std::path::Path::new("book/guide/page.md");
        type Expected<'a> = Option<(Option<&'a str>, Option<&'a str>)>;
        let cases: [(&str, Expected); 7] = [
            ("#top", Some((None, Some("top")))),
            ("./README.md", Some((Some("book/guide/README.md"), None))),
            ("../other.md#x", Some((Some("book/other.md"), Some("x")))),
            ("sub/a.md?x=1", Some((Some("book/guide/sub/a.md"), None))),
            ("https://example.com/a.md", None),
            ("mailto:a@b.c", None),
            ("/abs.md", None),
        ];
        for (dest, expected) in cases {
            let got = link_target(from, dest);
            let expected = expected.map(|(path, fragment)| LinkTarget {
                path: path.map(PathBuf::from),
                fragment,
            });
            assert_eq!(got, expected, "{dest}");
        }
    }

    #[test]
    fn splice_applies_in_reverse() {
        let text = "abcdef";
        let edits = vec![
            (Span::new(4, 4), "X".to_string()),
            (Span::new(0, 1), "AA".to_string()),
            (Span::new(2, 3), String::new()),
        ];
        assert_eq!(splice(text, edits), "AAbdXef");
    }

    #[test]
    fn snippet_maps_pieces() {
        // Code "ab\ncd\n" from two indented source lines.
        let snippet = Snippet {
            lang: "bash".into(),
            code: "ab\ncd\n".into(),
            span: Span::new(0, 30),
            pieces: vec![(0, 10), (3, 20)],
            allow: Vec::new(),
            form: SnippetForm::Fenced,
        };
        assert_eq!(snippet.source_offset(0), 10);
        assert_eq!(snippet.source_offset(1), 11);
        assert_eq!(snippet.source_offset(3), 20);
        assert_eq!(snippet.source_offset(4), 21);
        let lines: Vec<_> = snippet.lines().collect();
        assert_eq!(lines, vec![(0, "ab"), (3, "cd")]);
    }
}
