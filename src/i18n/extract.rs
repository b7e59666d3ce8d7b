//! Code-safe extraction: the translatable pieces of a chapter's markdown,
//! each with its byte span, so that a translation is spliced into the text
//! and everything else stays byte for byte as written.
//!
//! A piece is a run of inline markdown inside one block: a paragraph, a
//! heading's text (without its `{#id}`), a list item's text, a table cell.
//! Its msgid is that markdown with the lines of a wrapped paragraph joined
//! by spaces (so rewrapping a paragraph does not change its msgid) and
//! hard breaks kept as `\` and a newline. Inline code, links and quoted text
//! stay inside the msgid, for context; [`super::verify`] makes sure a
//! translation keeps them. In code blocks only the comments are pieces
//! ([`super::comments`]); commands, JSON and other code never are. Pieces
//! with nothing to translate (numbers, inline code, a quoted error message
//! alone, an mdBook `{{#…}}` directive) are left out. SUMMARY.md gives its
//! chapter and part titles. This module reads text; it does no I/O.

use super::comments;
use crate::model::Span;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// What kind of text a piece is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A paragraph or a list item's text.
    Text,
    /// A heading's text; `index` counts the chapter's headings from 0.
    Heading {
        level: u8,
        index: usize,
    },
    TableCell,
    /// A comment in a code block whose fence says `lang`.
    CodeComment {
        lang: String,
    },
}

/// One translatable piece of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The bytes of the chapter a translation replaces.
    pub span: Span,
    pub msgid: String,
    pub kind: Kind,
    /// The 1-based line the piece starts on.
    pub line: usize,
    /// What starts every line of the piece after its first (the
    /// indentation of a list item, a `> ` quote marker), for a translation
    /// that has more than one line.
    pub continuation: String,
}

/// The translatable pieces of `source`, in order.
pub fn pieces(source: &str) -> Vec<Piece> {
    let mut walker = Walker {
        source,
        pieces: Vec::new(),
        run: None,
        kind: Kind::Text,
        headings: 0,
        code: None,
        line_starts: line_starts(source),
    };
    for (event, range) in
        Parser::new_ext(source, crate::parse::markdown_options()).into_offset_iter()
    {
        walker.event(event, range);
    }
    walker.flush();
    walker.pieces
}

/// A chapter or part title of SUMMARY.md, as mdBook names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub text: String,
    pub line: usize,
}

/// The titles of SUMMARY.md: every link's text (the chapter names) and
/// every heading after the first block (part titles), joined the way
/// mdBook's summary parser joins them.
pub fn summary_titles(source: &str) -> Vec<Title> {
    let starts = line_starts(source);
    let mut titles = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut first_block = true;
    let mut depth = 0usize;
    for (event, range) in
        Parser::new_ext(source, crate::parse::markdown_options()).into_offset_iter()
    {
        let ends_block = matches!(event, Event::End(_)) && depth == 1;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Link { .. }) => {
                current = Some((String::new(), line_of(&starts, range.start)));
            }
            Event::Start(Tag::Heading { .. }) if !first_block => {
                current = Some((String::new(), line_of(&starts, range.start)));
            }
            Event::End(TagEnd::Link | TagEnd::Heading(_)) => {
                if let Some((text, line)) = current.take() {
                    let text = text.trim().to_string();
                    if !text.is_empty() && has_words(&text) {
                        titles.push(Title { text, line });
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((title, _)) = &mut current {
                    title.push_str(&text);
                }
            }
            Event::SoftBreak => {
                if let Some((title, _)) = &mut current {
                    title.push(' ');
                }
            }
            _ => {}
        }
        if ends_block {
            first_block = false;
        }
    }
    titles
}

/// The start of every line of `text`.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The 1-based line of byte `offset`.
pub fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).max(1)
}

/// Whether a piece of markdown has something to translate: a letter outside
/// inline code, HTML, quoted text, URLs and `{{#…}}` directives.
pub fn has_words(markdown: &str) -> bool {
    // Only these characters let markdown hide a letter from the text (code
    // spans, HTML, quotes, directives and heading attributes, escapes,
    // entities, links and footnotes), and only `://` marks a word as a URL:
    // without them, any letter is a word, and the parse can be skipped.
    if !markdown.contains(HIDING) && !markdown.contains("://") {
        return markdown.chars().any(char::is_alphabetic);
    }
    has_words_parsed(markdown)
}

/// The characters that can keep a letter of markdown out of its text.
const HIDING: [char; 7] = ['`', '<', '"', '{', '\\', '&', '['];

/// [`has_words`], always from the parsed text.
fn has_words_parsed(markdown: &str) -> bool {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, crate::parse::markdown_options()) {
        if let Event::Text(t) = event {
            text.push_str(&t);
            text.push(' ');
        }
    }
    let text = remove_quoted(&text);
    let text = remove_directives(&text);
    text.split_whitespace()
        .filter(|w| !w.contains("://"))
        .any(|w| w.chars().any(char::is_alphabetic))
}

/// `text` without its `"…"` quoted parts.
pub fn remove_quoted(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        let Some(close) = rest[open + 1..].find('"') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open + 1 + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The `"…"` quoted parts of `text` (quotes included), in order.
pub fn quoted(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut offset = 0;
    while let Some(open) = text[offset..].find('"') {
        let open = offset + open;
        let Some(close) = text[open + 1..].find('"') else {
            break;
        };
        let end = open + 1 + close + 1;
        out.push(&text[open..end]);
        offset = end;
    }
    out
}

/// `text` without mdBook `{{#…}}` directives.
fn remove_directives(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{#") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// The mdBook `{{#…}}` directives of `text`, in order.
pub fn directives(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut offset = 0;
    while let Some(open) = text[offset..].find("{{#") {
        let open = offset + open;
        let Some(close) = text[open..].find("}}") else {
            break;
        };
        out.push(&text[open..open + close + 2]);
        offset = open + close + 2;
    }
    out
}

/// Whether a line is nothing but an mdBook directive.
fn is_directive_line(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("{{#") && line.ends_with("}}") && directives(line).len() == 1
}

/// A run of inline events inside one block.
struct Run {
    start: usize,
    end: usize,
    /// Where inline events start: a line's first one ends its prefix.
    event_starts: Vec<usize>,
    /// Ranges of hard breaks.
    hard_breaks: Vec<std::ops::Range<usize>>,
    /// Ranges of inline code, HTML and math: they may go on over a line
    /// break, and then what starts the next line is theirs, not a prefix.
    multi_line: Vec<std::ops::Range<usize>>,
}

struct CodeBlock {
    lang: String,
    code: String,
    /// (offset in `code`, offset in the source) where each piece starts.
    map: Vec<(usize, usize)>,
}

struct Walker<'s> {
    source: &'s str,
    pieces: Vec<Piece>,
    run: Option<Run>,
    kind: Kind,
    headings: usize,
    code: Option<CodeBlock>,
    line_starts: Vec<usize>,
}

impl Walker<'_> {
    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => {
                    let stripped = range.len().saturating_sub(text.len());
                    code.map.push((code.code.len(), range.start + stripped));
                    code.code.push_str(&text);
                }
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().expect("checked");
                    self.code_comments(&code);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {
                self.add(range.clone());
                if let Some(run) = &mut self.run {
                    run.multi_line.push(range);
                }
            }
            Event::Text(_) => self.add(with_escape(self.source, range)),
            Event::FootnoteReference(_) | Event::SoftBreak => self.add(range),
            Event::HardBreak => {
                self.add(range.clone());
                if let Some(run) = &mut self.run {
                    run.hard_breaks.push(range);
                }
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => self.add(range),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::TaskListMarker(_) => {}
            Event::Start(Tag::CodeBlock(kind)) => {
                self.flush();
                let lang = crate::parse::fence_language(&kind);
                self.code = Some(CodeBlock {
                    lang,
                    code: String::new(),
                    map: Vec::new(),
                });
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.kind = Kind::Heading {
                    level: level as u8,
                    index: self.headings,
                };
                self.headings += 1;
            }
            Event::Start(Tag::TableCell) => {
                self.flush();
                self.kind = Kind::TableCell;
            }
            Event::Start(_) | Event::End(_) | Event::Html(_) | Event::Rule => {
                self.flush();
                self.kind = Kind::Text;
            }
        }
    }

    fn add(&mut self, range: std::ops::Range<usize>) {
        match &mut self.run {
            Some(run) => {
                run.end = run.end.max(range.end);
                run.event_starts.push(range.start);
            }
            None => {
                self.run = Some(Run {
                    start: range.start,
                    end: range.end,
                    event_starts: vec![range.start],
                    hard_breaks: Vec::new(),
                    multi_line: Vec::new(),
                })
            }
        }
    }

    /// Ends the current run: one piece per group of lines that are not
    /// directive lines.
    fn flush(&mut self) {
        let Some(run) = self.run.take() else {
            return;
        };
        let kind = std::mem::replace(&mut self.kind, Kind::Text);
        let source = self.source;
        // Each line of the run: where its content starts and ends, and
        // whether a hard break ends it.
        let mut lines: Vec<(usize, usize, bool)> = Vec::new();
        // Where each of those lines starts in the source.
        let mut starts: Vec<usize> = Vec::new();
        let mut line_start = run.start;
        // Inside a block quote, continuation lines may start with `>`s.
        let first_line = self.line_starts[line_of(&self.line_starts, run.start) - 1];
        let in_quote = source[first_line..run.start].contains('>');
        let prefix_len = |line: &str| {
            line.len()
                - line
                    .trim_start_matches(|c: char| c.is_whitespace() || (in_quote && c == '>'))
                    .len()
        };
        // A paragraph's line also ends at a lone `\r`, as pulldown-cmark
        // reads it (not an ATX heading's, which it reads on past one).
        let lone_cr_ends = kind == Kind::Text;
        loop {
            let line_end = (line_start..run.end)
                .find(|&i| match source.as_bytes()[i] {
                    b'\n' => true,
                    b'\r' => lone_cr_ends && source.as_bytes().get(i + 1) != Some(&b'\n'),
                    _ => false,
                })
                .unwrap_or(run.end);
            let inside_element = run
                .multi_line
                .iter()
                .any(|r| r.start < line_start && line_start < r.end);
            let content_start = if lines.is_empty() {
                line_start
            } else if inside_element {
                // The line goes on with an element that began before it: its
                // leading spaces (and quote markers) are all there is to drop.
                line_start + prefix_len(&source[line_start..line_end])
            } else {
                run.event_starts
                    .iter()
                    .copied()
                    .filter(|&s| s >= line_start && s < line_end.max(line_start + 1))
                    .min()
                    .unwrap_or_else(|| line_start + prefix_len(&source[line_start..line_end]))
            };
            let hard = run
                .hard_breaks
                .iter()
                .any(|b| b.start <= line_end && line_end < b.end);
            lines.push((content_start, line_end, hard));
            starts.push(line_start);
            if line_end >= run.end {
                break;
            }
            line_start = line_end + 1;
        }
        let continuation = if lines.len() > 1 {
            source[starts[1]..lines[1].0].to_string()
        } else {
            let start = self.line_starts[line_of(&self.line_starts, run.start) - 1];
            source[start..run.start]
                .chars()
                .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
                .collect()
        };
        // Lines that hold only a directive split the run.
        for group in lines.split(|&(start, end, _)| is_directive_line(&source[start..end])) {
            if !group.is_empty() {
                self.piece(group, &kind, &continuation);
            }
        }
    }

    fn piece(&mut self, lines: &[(usize, usize, bool)], kind: &Kind, continuation: &str) {
        let source = self.source;
        let mut msgid = String::new();
        for (i, &(start, end, hard)) in lines.iter().enumerate() {
            let mut text = source[start..end].trim_end_matches('\r');
            if i + 1 < lines.len() {
                if hard {
                    text = text.trim_end().trim_end_matches('\\');
                    msgid.push_str(text.trim());
                    // A break alone on its line: no space before it (the
                    // one that joined the line before).
                    msgid.truncate(msgid.trim_end_matches(' ').len());
                    msgid.push_str("\\\n");
                    continue;
                }
                text = text.trim_end();
            }
            msgid.push_str(text.trim_start());
            if i + 1 < lines.len() {
                msgid.push(' ');
            }
        }
        let msgid = msgid.trim().to_string();
        if msgid.is_empty() || !has_words(&msgid) {
            return;
        }
        // The span: from the first non-space to the last non-space.
        let first = lines[0].0;
        let last = lines[lines.len() - 1].1;
        let text = &source[first..last];
        let start = first + (text.len() - text.trim_start().len());
        let end = first + text.trim_end().len();
        self.pieces.push(Piece {
            span: Span::new(start, end),
            msgid,
            kind: kind.clone(),
            line: line_of(&self.line_starts, start),
            continuation: continuation.to_string(),
        });
    }

    fn code_comments(&mut self, code: &CodeBlock) {
        for comment in comments::comments(&code.code, &code.lang) {
            let text = &code.code[comment.text.clone()];
            if !text.chars().any(char::is_alphabetic) {
                continue;
            }
            let start = to_source(&code.map, comment.text.start);
            let end = to_source(&code.map, comment.text.end);
            if end < start || source_text(self.source, start, end) != Some(text) {
                // The comment does not map back to the source as one run of
                // text (a tab expanded in an indented block): leave it.
                continue;
            }
            self.pieces.push(Piece {
                span: Span::new(start, end),
                msgid: text.to_string(),
                kind: Kind::CodeComment {
                    lang: code.lang.clone(),
                },
                line: line_of(&self.line_starts, start),
                continuation: String::new(),
            });
        }
    }
}

/// pulldown-cmark starts an escaped character's text (`\\(`) after the
/// backslash, which is part of the text all the same.
fn with_escape(source: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let bytes = source.as_bytes();
    let escaped = range.start > 0
        && bytes[range.start - 1] == b'\\'
        && bytes.get(range.start).is_some_and(u8::is_ascii_punctuation);
    if escaped {
        range.start - 1..range.end
    } else {
        range
    }
}

fn source_text(source: &str, start: usize, end: usize) -> Option<&str> {
    source.get(start..end)
}

/// The source offset of byte `offset` of a code block's code.
fn to_source(map: &[(usize, usize)], offset: usize) -> usize {
    let index = map.partition_point(|&(code, _)| code <= offset).max(1) - 1;
    match map.get(index) {
        Some(&(code, source)) => source + (offset - code),
        None => offset,
    }
}

#[cfg(test)]
mod tests;
