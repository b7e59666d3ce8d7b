//! Chapter markdown → [`Chapter`] model. The only user of pulldown-cmark.
//!
//! The parser walks pulldown-cmark's event stream with source offsets and
//! recognises the runbook shape: `##` headings open sections, `###` headings
//! that start with a status mark (`### ❌ …`) inside a section open entries, and bold labels ending in a colon
//! (`**Cause :**`, `**Fix:**`) split an entry into parts whose role comes
//! from the label's first word, in French or English. Code blocks keep a map
//! from every piece of their code to the source, so indented blocks inside
//! list items map back exactly.
//!
//! Lines of top-level paragraphs that hold only a page directive
//! (`{{#runbook-faq}}`) are recorded, so that code blocks and comments that
//! show one are never expanded.
//!
//! Parsing never fails: any text is some markdown. What looks wrong (an
//! unknown label, a duplicate id) is recorded in the model for the rules to
//! report. This module does no I/O.

mod heading;

pub use heading::{entry_kind, is_marked, plain_title, strip_decoration};

use crate::anchors;
use crate::model::*;
use crate::origin::Origins;
use heading::{heading_layout, kind_from_title, section_key};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The markdown extensions mdBook 0.5 enables by default.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses every chapter and makes the generated ids unique across the book.
/// Explicit ids are kept as written, even when they clash: the `duplicate-id`
/// rule reports that.
pub fn parse_book(chapters: impl IntoIterator<Item = (PathBuf, String)>) -> Guide {
    let chapters: Vec<(PathBuf, String)> = chapters.into_iter().collect();
    CHAPTERS_PARSED.fetch_add(chapters.len(), Ordering::Relaxed);
    parse_book_uncounted(chapters)
}

/// [`parse_book`], not counted by [`chapters_parsed`]: for the translation
/// step, which reads the chapters before (and after) translating them, not
/// as a stage of the pipeline.
pub fn parse_book_uncounted(chapters: impl IntoIterator<Item = (PathBuf, String)>) -> Guide {
    let chapters: Vec<(PathBuf, String)> = chapters.into_iter().collect();
    // Chapters are independent until their ids are made unique.
    let mut chapters: Vec<Chapter> = crate::analysis::parallel_map(&chapters, |(path, source)| {
        parse_without_dedup(path.clone(), source.clone())
    });
    assign_unique_ids(&mut chapters);
    Guide { chapters }
}

/// Parses one chapter. Ids are unique within the chapter only; use
/// [`parse_book`] for book-wide uniqueness.
pub fn parse_chapter(path: impl Into<PathBuf>, source: impl Into<String>) -> Chapter {
    CHAPTERS_PARSED.fetch_add(1, Ordering::Relaxed);
    let mut chapter = parse_without_dedup(path.into(), source.into());
    assign_unique_ids(std::slice::from_mut(&mut chapter));
    chapter
}

/// How many chapters this process has parsed: the pipeline parses each
/// chapter once per run, and a test holds it to that.
static CHAPTERS_PARSED: AtomicUsize = AtomicUsize::new(0);

/// The number of chapters parsed so far by this process.
pub fn chapters_parsed() -> usize {
    CHAPTERS_PARSED.load(Ordering::Relaxed)
}

fn parse_without_dedup(path: PathBuf, source: String) -> Chapter {
    let mut builder = Builder::new(&source);
    let parser = Parser::new_ext(&source, markdown_options()).into_offset_iter();
    for (event, range) in parser {
        builder.event(event, range.start..range.end);
    }
    let parts = builder.finish();
    Chapter {
        path,
        lines: LineIndex::new(&source),
        source,
        title: parts.title,
        headings: parts.headings,
        sections: parts.sections,
        snippets: parts.snippets,
        tables: parts.tables,
        links: parts.links,
        origins: Origins::default(),
        page_directives: parts.page_directives,
    }
}

/// Gives generated section and entry ids a `-2`, `-3`… suffix where they
/// repeat an id used earlier (explicit ids are reserved first).
fn assign_unique_ids(chapters: &mut [Chapter]) {
    let mut used = anchors::UniqueIds::stable();
    for id in chapters
        .iter()
        .flat_map(|c| c.headings.iter().filter_map(|h| h.explicit_id.as_deref()))
    {
        used.reserve(id);
    }
    for chapter in chapters {
        let headings = &chapter.headings;
        for section in &mut chapter.sections {
            if headings[section.heading].explicit_id.is_none() && !section.id.is_empty() {
                section.id = used.unique(&section.id);
            }
            for entry in &mut section.entries {
                if headings[entry.heading].explicit_id.is_none() {
                    entry.id = used.unique(&entry.id);
                }
            }
        }
    }
}

/// A code block's language, lowercase: the first word of a fence's info
/// string (`bash` of ```` ```bash title="x" ````), empty for an indented
/// block.
pub fn fence_language(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_lowercase(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// The role a bold label gives its part: that of the first word of the label
/// that names a role (`Causes possibles`, `Possible causes` → cause).
pub fn role_for_label(label: &str) -> Option<Role> {
    let lower = label.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .find_map(role_for_word)
}

/// The role a single (lowercase) label word stands for.
fn role_for_word(word: &str) -> Option<Role> {
    let role = match word {
        "cause" | "causes" | "raison" | "raisons" | "reason" | "reasons" | "why" | "pourquoi"
        | "origine" => Role::Cause,
        "solution" | "solutions" | "fix" | "fixes" | "correctif" | "correction" | "résolution"
        | "resolution" | "remède" | "remedy" | "mitigation" | "contournement" | "workaround"
        | "optimisation" | "optimisations" | "optimization" | "optimizations" | "pour" | "for"
        | "action" | "actions" => Role::Solution,
        "debug" | "debugging" | "diagnostic" | "diagnostics" | "diagnosis" | "diagnose"
        | "vérification" | "vérifications" | "vérifier" | "verification" | "verifications"
        | "verify" | "check" | "checks" | "analyser" | "analyse" | "analysis" | "analyze"
        | "investigate" | "investigation" | "enquête" | "test" | "tests" | "tester" => {
            Role::Diagnostic
        }
        "note" | "notes" | "remarque" | "remarques" | "attention" | "important" | "astuce"
        | "tip" | "tips" | "warning" | "avertissement" | "info" | "information" | "nb" => {
            Role::Note
        }
        _ => return None,
    };
    Some(role)
}

struct Parsed {
    title: Option<String>,
    headings: Vec<Heading>,
    sections: Vec<Section>,
    snippets: Vec<Snippet>,
    tables: Vec<Table>,
    links: Vec<Link>,
    page_directives: Vec<PageDirective>,
}

struct HeadingBuilder {
    level: u8,
    explicit_id: Option<String>,
    text: String,
    span: Span,
}

struct CodeBuilder {
    lang: String,
    form: SnippetForm,
    code: String,
    pieces: Vec<(usize, usize)>,
}

#[derive(Default)]
struct TableBuilder {
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: Option<Cell>,
}

/// Per-section facts used to classify sections without entries.
#[derive(Default, Clone, Copy)]
struct SectionStats {
    links: usize,
    fragment_links: usize,
}

struct Builder<'s> {
    source: &'s str,
    title: Option<String>,
    headings: Vec<Heading>,
    auto_ids: anchors::UniqueIds,
    sections: Vec<Section>,
    stats: Vec<SectionStats>,
    /// Whether the last `###` opened an entry that is still open.
    in_entry: bool,
    snippets: Vec<Snippet>,
    tables: Vec<Table>,
    links: Vec<Link>,
    heading: Option<HeadingBuilder>,
    code: Option<CodeBuilder>,
    table: Option<TableBuilder>,
    /// Inline text of the paragraph being read.
    paragraph: String,
    /// Text of the list items being read (a stack for nested lists).
    items: Vec<String>,
    /// `Some` while reading a `**…**` that opens a paragraph.
    label: Option<(usize, String)>,
    /// Set by `Start(Paragraph)`; cleared by the first event inside it.
    paragraph_start: bool,
    /// A bold text that opened a paragraph without a colon: it becomes a
    /// label if the next text starts with `:`.
    pending_label: Option<(usize, usize, String)>,
    /// Rules a `<!-- runbook:allow … -->` comment turned off for the next block.
    pending_allow: Vec<String>,
    /// How many lists, block quotes and footnotes enclose the current event.
    nesting: usize,
    page_directives: Vec<PageDirective>,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Self {
        Builder {
            source,
            title: None,
            headings: Vec::new(),
            auto_ids: anchors::UniqueIds::mdbook(),
            sections: Vec::new(),
            stats: Vec::new(),
            in_entry: false,
            snippets: Vec::new(),
            tables: Vec::new(),
            links: Vec::new(),
            heading: None,
            code: None,
            table: None,
            paragraph: String::new(),
            items: Vec::new(),
            label: None,
            paragraph_start: false,
            pending_label: None,
            pending_allow: Vec::new(),
            nesting: 0,
            page_directives: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        let at_paragraph_start = std::mem::take(&mut self.paragraph_start);
        if let Some((start, end, text)) = self.pending_label.take() {
            // A bold text without a colon is a label only if `:` follows it.
            if let Event::Text(after) = &event
                && let Some(rest) = after.trim_start().strip_prefix(':')
            {
                self.open_part(text.trim(), Span::new(start, end + 1));
                let rest = rest.to_string();
                self.text(&rest, range);
                return;
            }
            self.paragraph.push_str(&text);
        }
        let directive_block = matches!(
            event,
            Event::Html(_) | Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
        );
        if !directive_block
            && !matches!(event, Event::Start(Tag::CodeBlock(_)))
            && self.code.is_none()
        {
            self.pending_allow.clear();
        }
        match event {
            Event::Html(html) => {
                if let Some(crate::directives::Directive::Allow(rules)) =
                    crate::directives::parse(&html)
                {
                    self.pending_allow = rules;
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.close_before(range.start, heading_level(level));
                self.heading = Some(HeadingBuilder {
                    level: heading_level(level),
                    explicit_id: id.map(|id| id.to_string()),
                    text: String::new(),
                    span: range.into(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(heading) = self.heading.take() {
                    self.heading_done(heading);
                }
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph.clear();
                self.paragraph_start = true;
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)) => {
                self.nesting += 1;
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                self.nesting = self.nesting.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph) => {
                if self.nesting == 0 {
                    self.find_page_directives(range.clone());
                }
                let text = std::mem::take(&mut self.paragraph);
                let text = text.trim();
                if !text.is_empty() && self.items.is_empty() {
                    if let Some(part) = self.part_mut(range.start) {
                        part.text.push(text.to_string());
                    }
                } else if let Some(item) = self.items.last_mut() {
                    push_words(item, text);
                }
            }
            Event::Start(Tag::Strong)
                if at_paragraph_start && self.in_entry && self.items.is_empty() =>
            {
                self.label = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Strong) if self.label.is_some() => {
                let (start, text) = self.label.take().expect("checked");
                self.label_done(start, range.end, text);
            }
            Event::Start(Tag::Item) => self.items.push(String::new()),
            Event::End(TagEnd::Item) => {
                if let Some(item) = self.items.pop() {
                    let item = item.trim().to_string();
                    if !item.is_empty()
                        && let Some(part) = self.part_mut(range.start)
                    {
                        part.items.push(item);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = fence_language(&kind);
                let form = match kind {
                    CodeBlockKind::Fenced(_) => SnippetForm::Fenced,
                    CodeBlockKind::Indented => SnippetForm::Indented,
                };
                self.code = Some(CodeBuilder {
                    lang,
                    form,
                    code: String::new(),
                    pieces: Vec::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    let index = self.snippets.len();
                    self.snippets.push(Snippet {
                        lang: code.lang,
                        form: code.form,
                        code: code.code,
                        span: range.clone().into(),
                        pieces: code.pieces,
                        allow: std::mem::take(&mut self.pending_allow),
                    });
                    if let Some(part) = self.part_mut(range.start) {
                        part.snippets.push(index);
                    }
                }
            }
            Event::Start(Tag::Table(_)) => self.table = Some(TableBuilder::default()),
            Event::Start(Tag::TableCell) => {
                if let Some(table) = &mut self.table {
                    table.cell = Some(Cell {
                        text: String::new(),
                        span: range.into(),
                    });
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(table) = &mut self.table
                    && let Some(mut cell) = table.cell.take()
                {
                    cell.text = cell.text.trim().to_string();
                    table.row.push(cell);
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(table) = &mut self.table {
                    table.header = std::mem::take(&mut table.row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(table) = self.table.take() {
                    let index = self.tables.len();
                    self.tables.push(Table {
                        header: table.header,
                        rows: table.rows,
                        span: range.clone().into(),
                    });
                    if let Some(part) = self.part_mut(range.start) {
                        part.tables.push(index);
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => self.link(link_type, &dest_url, range),
            Event::Code(text) => {
                self.inline_command(&text, range.clone());
                self.text(&text, range);
            }
            Event::Text(text) => self.text(&text, range),
            Event::SoftBreak | Event::HardBreak => self.text(" ", range),
            _ => {}
        }
    }

    /// Inline code that is a whole `aws` command (`aws`, a service, an
    /// operation at least) becomes a snippet of its part, checked and
    /// indexed like a block's command. Fragments (`--cluster`) are left
    /// alone.
    fn inline_command(&mut self, text: &str, range: std::ops::Range<usize>) {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < 3 || words[0] != "aws" || words[1].starts_with('-') {
            return;
        }
        let Some(inner) = self.source[range.clone()].find(text) else {
            return;
        };
        let index = self.snippets.len();
        self.snippets.push(Snippet {
            lang: String::new(),
            form: SnippetForm::Inline,
            code: text.to_string(),
            span: range.clone().into(),
            pieces: vec![(0, range.start + inner)],
            allow: Vec::new(),
        });
        if let Some(part) = self.part_mut(range.start) {
            part.snippets.push(index);
        }
    }

    fn text(&mut self, text: &str, range: std::ops::Range<usize>) {
        if let Some(code) = &mut self.code {
            // pulldown-cmark strips indentation at the start of a piece;
            // the rest of the piece is verbatim source.
            let stripped = range.len().saturating_sub(text.len());
            code.pieces.push((code.code.len(), range.start + stripped));
            code.code.push_str(text);
        } else if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        } else if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.text.push_str(text);
        } else if let Some((_, label)) = &mut self.label {
            label.push_str(text);
        } else if let Some(item) = self.items.last_mut() {
            item.push_str(text);
        } else {
            self.paragraph.push_str(text);
        }
    }

    /// Records the lines of a top-level paragraph that hold only a page
    /// directive.
    fn find_page_directives(&mut self, range: std::ops::Range<usize>) {
        let mut offset = range.start;
        for line in self.source[range].split_inclusive('\n') {
            let trimmed = line.trim();
            if let Some(kind) = PageKind::ALL.into_iter().find(|k| k.directive() == trimmed) {
                let start = offset + (line.len() - line.trim_start().len());
                self.page_directives.push(PageDirective {
                    kind,
                    span: Span::new(start, start + trimmed.len()),
                });
            }
            offset += line.len();
        }
    }

    fn link(&mut self, link_type: LinkType, dest: &str, range: std::ops::Range<usize>) {
        if let Some(stats) = self.stats.last_mut() {
            stats.links += 1;
            if dest.starts_with('#') {
                stats.fragment_links += 1;
            }
        }
        let written = &self.source[range.clone()];
        let exact = (link_type == LinkType::Inline)
            .then(|| written.rfind("](").map(|i| i + 2))
            .flatten()
            .map(|i| {
                if written[i..].starts_with('<') {
                    i + 1
                } else {
                    i
                }
            })
            .filter(|&i| written[i..].starts_with(dest));
        let (dest_span, exact) = match exact {
            Some(i) => (
                Span::new(range.start + i, range.start + i + dest.len()),
                true,
            ),
            None => (range.into(), false),
        };
        self.links.push(Link {
            dest: dest.to_string(),
            dest_span,
            exact,
        });
    }

    fn heading_done(&mut self, mut built: HeadingBuilder) {
        let mut text = built.text.trim().to_string();
        let layout = heading_layout(self.source, built.span);
        // An id block before the closing `#`s: the heading's id, not its text.
        let stray = layout.stray.filter(|(span, _)| {
            built.explicit_id.is_none()
                && text.ends_with(self.source[span.start..span.end].trim_start())
        });
        if let Some((span, id)) = &stray {
            let block = self.source[span.start..span.end].trim_start();
            text = text[..text.len() - block.len()].trim_end().to_string();
            built.explicit_id = Some(id.clone());
        }
        let auto_id = self.auto_ids.unique(&anchors::mdbook_id(&text));
        let index = self.headings.len();
        self.headings.push(Heading {
            level: built.level,
            text: text.clone(),
            explicit_id: built.explicit_id.clone(),
            auto_id,
            span: built.span,
            insert_at: layout.insert_at,
            takes_id: layout.takes_id,
            block_end: layout.block_end,
            stray_id: stray.map(|(span, _)| span),
        });
        let title = plain_title(&text).to_string();
        match built.level {
            1 if self.title.is_none() => self.title = Some(title),
            2 => {
                let kind = kind_from_title(&title).unwrap_or(SectionKind::Other);
                self.sections.push(Section {
                    heading: index,
                    id: built.explicit_id.unwrap_or_else(|| anchors::slug(&title)),
                    title,
                    kind,
                    entries: Vec::new(),
                    span: Span::new(built.span.start, self.source.len()),
                });
                self.stats.push(SectionStats::default());
            }
            3 if !self.sections.is_empty() && is_marked(&text) => {
                let section = self.sections.last_mut().expect("checked");
                let (title, kind) = entry_kind(&title);
                // A title without a word to make an id of (`❌ 🔥🔥🔥`) gets
                // one from its place in the section, in `finish`.
                let id = built.explicit_id.unwrap_or_else(|| {
                    if anchors::slug(&title).is_empty() {
                        String::new()
                    } else {
                        anchors::slug(&format!("{} {title}", section_key(&section.title)))
                    }
                });
                section.entries.push(Entry {
                    heading: index,
                    id,
                    title,
                    kind,
                    parts: Vec::new(),
                    span: Span::new(built.span.start, self.source.len()),
                });
                self.in_entry = true;
            }
            _ => {}
        }
    }

    /// Closes the entry (and section) that a heading of `level` at `offset` ends.
    fn close_before(&mut self, offset: usize, level: u8) {
        if level > 3 {
            return;
        }
        if self.in_entry {
            if let Some(entry) = self.current_entry_mut() {
                entry.span.end = offset;
                if let Some(part) = entry.parts.last_mut() {
                    part.span.end = offset;
                }
            }
            self.in_entry = false;
        }
        if level <= 2
            && let Some(section) = self.sections.last_mut()
        {
            section.span.end = offset;
        }
    }

    fn current_entry_mut(&mut self) -> Option<&mut Entry> {
        if !self.in_entry {
            return None;
        }
        self.sections.last_mut()?.entries.last_mut()
    }

    /// The part content at `offset` belongs to, opening an unlabeled part
    /// when the entry has none yet. `None` outside entries.
    fn part_mut(&mut self, offset: usize) -> Option<&mut Part> {
        let source_len = self.source.len();
        let entry = self.current_entry_mut()?;
        if entry.parts.is_empty() {
            entry.parts.push(new_part(
                Role::Note,
                None,
                true,
                Span::new(offset, offset),
                source_len,
            ));
        }
        entry.parts.last_mut()
    }

    fn label_done(&mut self, start: usize, end: usize, text: String) {
        let trimmed = text.trim();
        if let Some(label) = trimmed.strip_suffix(':') {
            self.open_part(label.trim(), Span::new(start, end));
        } else {
            self.pending_label = Some((start, end, text));
        }
    }

    fn open_part(&mut self, label: &str, label_span: Span) {
        let source_len = self.source.len();
        let Some(entry) = self.current_entry_mut() else {
            return;
        };
        if let Some(previous) = entry.parts.last_mut() {
            previous.span.end = label_span.start;
        }
        let (role, known) = match role_for_label(label) {
            Some(role) => (role, true),
            None => (Role::Note, false),
        };
        entry.parts.push(new_part(
            role,
            Some(label.to_string()),
            known,
            label_span,
            source_len,
        ));
    }

    fn finish(mut self) -> Parsed {
        let end = self.source.len();
        self.close_before(end, 1);
        // Titles without a word (all emoji) still get a stable id: the
        // section's place in the chapter, the entry's place in its section.
        for (n, section) in self.sections.iter_mut().enumerate() {
            if section.id.is_empty() {
                section.id = format!("section-{}", n + 1);
            }
            let key = match section_key(&section.title) {
                key if key.is_empty() => section.id.clone(),
                key => key,
            };
            for (m, entry) in section.entries.iter_mut().enumerate() {
                if entry.id.is_empty() {
                    entry.id = format!("{key}-entry-{}", m + 1);
                }
            }
        }
        for (section, stats) in self.sections.iter_mut().zip(&self.stats) {
            if !section.entries.is_empty() {
                section.kind = SectionKind::Entries;
            } else if section.kind == SectionKind::Other && stats.links > 0 {
                section.kind = if stats.fragment_links == stats.links {
                    SectionKind::Contents
                } else {
                    SectionKind::Links
                };
            }
        }
        Parsed {
            title: self.title,
            headings: self.headings,
            sections: self.sections,
            snippets: self.snippets,
            tables: self.tables,
            links: self.links,
            page_directives: self.page_directives,
        }
    }
}

fn new_part(role: Role, label: Option<String>, known: bool, label_span: Span, end: usize) -> Part {
    Part {
        role,
        label,
        label_known: known,
        label_span,
        text: Vec::new(),
        items: Vec::new(),
        snippets: Vec::new(),
        tables: Vec::new(),
        span: Span::new(label_span.start, end),
    }
}

fn push_words(buffer: &mut String, text: &str) {
    if !buffer.is_empty() && !text.is_empty() {
        buffer.push(' ');
    }
    buffer.push_str(text);
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests;
