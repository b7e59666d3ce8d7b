//! The checks that keep a translation from touching code.
//!
//! Per message ([`message`]): a translation keeps every inline code span,
//! link and image destination, inline HTML tag and `{{#…}}` directive of its
//! msgid (the same ones, as many times), every `"…"` quoted text, the
//! block structure (a paragraph stays one paragraph: no list, heading or
//! code fence appears), a heading's leading mark (`❌`) and an entry's
//! quoted error message; a code comment, a heading or a table cell stays
//! on one line. Per chapter ([`chapter`]): the translated page has the same
//! blocks as the source, and every code block is byte-identical to the
//! source's once comments are removed ([`comments::strip`]). A failure is a
//! sentence for [`super::TranslationError`]; this module does no I/O.

use super::comments;
use super::extract::{Kind, Piece, quoted};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use std::collections::BTreeMap;

/// Why `translation` may not replace `piece`, if it may not.
pub fn message(piece: &Piece, translation: &str) -> Result<(), String> {
    // A heading or a cell on several lines (a setext heading with a hard
    // break; an ATX heading with a lone `\r`, which pulldown-cmark keeps in
    // its text) may stay on several lines; a code comment never, but a lone
    // `\r` the comment has is text there (only `\n` ends it).
    let line_ends: &[char] = match piece.kind {
        Kind::Text => &[],
        Kind::CodeComment { .. } if piece.msgid.contains('\r') => &['\n'],
        Kind::CodeComment { .. } => &['\n', '\r'],
        Kind::Heading { .. } | Kind::TableCell if piece.msgid.contains(['\n', '\r']) => &[],
        Kind::Heading { .. } | Kind::TableCell => &['\n', '\r'],
    };
    if translation.contains(line_ends) {
        let what = match piece.kind {
            Kind::CodeComment { .. } => "a code comment",
            Kind::Heading { .. } => "a heading",
            _ => "a table cell",
        };
        return Err(format!(
            "the translation of {what} must stay on one line (a new line here would change the code or the page's structure)"
        ));
    }
    if let Kind::CodeComment { .. } = piece.kind {
        return missing_quotes(&piece.msgid, translation);
    }
    let source = Inline::of(&piece.msgid);
    let translated = Inline::of(translation);
    if source.blocks != translated.blocks {
        return Err(format!(
            "the translation changes the page's structure: it reads as {} where the source is {}",
            describe_blocks(&translated.blocks),
            describe_blocks(&source.blocks)
        ));
    }
    for (what, source, translated) in [
        ("inline code", &source.code, &translated.code),
        ("link", &source.links, &translated.links),
        ("inline HTML", &source.html, &translated.html),
        ("directive", &source.directives, &translated.directives),
    ] {
        if source != translated {
            return Err(difference(what, source, translated));
        }
    }
    missing_quotes(&source.text, &translated.text)?;
    if let Kind::Heading { .. } = piece.kind {
        heading(&piece.msgid, translation)?;
    }
    Ok(())
}

/// Every `"…"` of `source` must be in `translation`.
fn missing_quotes(source: &str, translation: &str) -> Result<(), String> {
    let mut available: BTreeMap<&str, usize> = BTreeMap::new();
    for q in quoted(translation) {
        *available.entry(q).or_default() += 1;
    }
    for q in quoted(source) {
        match available.get_mut(q) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                return Err(format!(
                    "the translation drops or changes the quoted text {q}: quoted messages are what people search for, keep them as written"
                ));
            }
        }
    }
    Ok(())
}

/// A heading keeps its leading mark, and an entry its error message.
fn heading(source: &str, translation: &str) -> Result<(), String> {
    let mark = |text: &str| -> String {
        let text = text.trim_start();
        let title = crate::parse::strip_decoration(text);
        if title.is_empty() {
            return text.split_whitespace().next().unwrap_or("").to_string();
        }
        // `strip_decoration` returns a part of `text`.
        let at = title.as_ptr() as usize - text.as_ptr() as usize;
        text[..at].trim().to_string()
    };
    if mark(source) != mark(translation) {
        return Err(format!(
            "the translated heading must start with the same mark ({:?}): it decides what the heading is (an entry, a section)",
            mark(source)
        ));
    }
    let kind = |text: &str| {
        let title = crate::parse::plain_title(text);
        crate::parse::entry_kind(title).1
    };
    if let crate::model::EntryKind::ErrorMessage { message } = kind(source)
        && kind(translation)
            != (crate::model::EntryKind::ErrorMessage {
                message: message.clone(),
            })
    {
        return Err(format!(
            "the translated heading must start with the quoted error message \"{message}\", as the source does"
        ));
    }
    Ok(())
}

/// What a piece of inline markdown holds that a translation must keep.
#[derive(Debug, Default, PartialEq, Eq)]
struct Inline {
    /// The block tags, in order (a piece is one paragraph).
    blocks: Vec<&'static str>,
    code: BTreeMap<String, usize>,
    links: BTreeMap<String, usize>,
    html: BTreeMap<String, usize>,
    directives: BTreeMap<String, usize>,
    /// The text outside inline code, for the quoted parts.
    text: String,
}

impl Inline {
    fn of(markdown: &str) -> Inline {
        let mut inline = Inline::default();
        for event in Parser::new_ext(markdown, crate::parse::markdown_options()) {
            match event {
                Event::Start(tag) => {
                    if let Some(name) = block_name(&tag) {
                        inline.blocks.push(name);
                    }
                    match tag {
                        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                            *inline.links.entry(dest_url.to_string()).or_default() += 1;
                        }
                        _ => {}
                    }
                }
                Event::Code(code) => *inline.code.entry(code.to_string()).or_default() += 1,
                Event::InlineHtml(html) | Event::Html(html) => {
                    *inline.html.entry(html.to_string()).or_default() += 1
                }
                Event::Text(text) => {
                    for directive in super::extract::directives(&text) {
                        *inline.directives.entry(directive.to_string()).or_default() += 1;
                    }
                    inline.text.push_str(&text);
                }
                Event::SoftBreak | Event::HardBreak => inline.text.push(' '),
                _ => {}
            }
        }
        inline
    }
}

/// The name of a block-level tag, `None` for inline tags.
fn block_name(tag: &Tag<'_>) -> Option<&'static str> {
    Some(match tag {
        Tag::Paragraph => "paragraph",
        Tag::Heading { .. } => "heading",
        Tag::BlockQuote(_) => "block quote",
        Tag::CodeBlock(_) => "code block",
        Tag::HtmlBlock => "HTML block",
        Tag::List(_) => "list",
        Tag::Item => "list item",
        Tag::FootnoteDefinition(_) => "footnote",
        Tag::Table(_) => "table",
        Tag::TableHead => "table head",
        Tag::TableRow => "table row",
        Tag::TableCell => "table cell",
        Tag::DefinitionList => "definition list",
        Tag::DefinitionListTitle => "definition title",
        Tag::DefinitionListDefinition => "definition",
        Tag::MetadataBlock(_) => "metadata block",
        _ => return None,
    })
}

fn describe_blocks(blocks: &[&str]) -> String {
    if blocks.is_empty() {
        return "nothing".to_string();
    }
    let mut names: Vec<&str> = blocks.to_vec();
    names.dedup();
    names.join(" + ")
}

fn difference(
    what: &str,
    source: &BTreeMap<String, usize>,
    translated: &BTreeMap<String, usize>,
) -> String {
    let only = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| -> Vec<String> {
        a.iter()
            .filter(|(k, n)| b.get(*k).copied().unwrap_or(0) < **n)
            .map(|(k, _)| format!("`{k}`"))
            .collect()
    };
    let lost = only(source, translated);
    let added = only(translated, source);
    let mut out =
        format!("the translation changes the {what} of the source (they are never translated)");
    if !lost.is_empty() {
        out.push_str(&format!("; missing: {}", lost.join(", ")));
    }
    if !added.is_empty() {
        out.push_str(&format!("; not in the source: {}", added.join(", ")));
    }
    out
}

/// A block of a page: its tag, where it starts in the text, and for code
/// blocks the fence info and the code.
#[derive(Debug)]
pub struct Block {
    pub name: &'static str,
    pub offset: usize,
    pub code: Option<(String, String)>,
}

/// The blocks of a page, in order.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(text, crate::parse::markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(tag) => {
                let Some(name) = block_name(&tag) else {
                    continue;
                };
                let code = match &tag {
                    Tag::CodeBlock(kind) => {
                        in_code = true;
                        let info = match kind {
                            CodeBlockKind::Fenced(info) => info.to_string(),
                            CodeBlockKind::Indented => String::new(),
                        };
                        Some((info, String::new()))
                    }
                    _ => None,
                };
                out.push(Block {
                    name,
                    offset: range.start,
                    code,
                });
            }
            Event::Text(text) if in_code => {
                if let Some(Block {
                    code: Some((_, code)),
                    ..
                }) = out.last_mut()
                {
                    code.push_str(&text);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
    }
    out
}

/// The fence language of a code block's info string.
fn fence_lang(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// Where the translated page first differs from the source in a way no
/// translation may cause: (the offset in `translated`, why).
pub fn chapter(source: &str, translated: &str) -> Option<(usize, String)> {
    let source_blocks = blocks(source);
    let translated_blocks = blocks(translated);
    for (i, t) in translated_blocks.iter().enumerate() {
        let Some(s) = source_blocks.get(i) else {
            return Some((
                t.offset,
                format!(
                    "the translated page has a {} the source does not have",
                    t.name
                ),
            ));
        };
        if s.name != t.name {
            return Some((
                t.offset,
                format!(
                    "the translated page has a {} where the source has a {}",
                    t.name, s.name
                ),
            ));
        }
        if let (Some((s_info, s_code)), Some((t_info, t_code))) = (&s.code, &t.code) {
            if s_info != t_info {
                return Some((
                    t.offset,
                    format!("a code block's fence changed from {s_info:?} to {t_info:?}"),
                ));
            }
            let lang = fence_lang(s_info);
            let (s_code, t_code) = (
                comments::strip(s_code, &lang),
                comments::strip(t_code, &lang),
            );
            if s_code != t_code {
                let line = s_code
                    .lines()
                    .zip(t_code.lines())
                    .find(|(a, b)| a != b)
                    .map_or_else(
                        || "its number of lines changed".to_string(),
                        |(a, b)| format!("`{a}` became `{b}`"),
                    );
                return Some((
                    t.offset,
                    format!("a code block changed outside its comments: {line}"),
                ));
            }
        }
    }
    if translated_blocks.len() < source_blocks.len() {
        let missing = &source_blocks[translated_blocks.len()];
        return Some((
            translated.len(),
            format!("the translated page lacks a {} of the source", missing.name),
        ));
    }
    None
}

#[cfg(test)]
mod tests;
