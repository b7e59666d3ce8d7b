//! Heading text: the title under its decoration, whether a `###` is an
//! entry, an entry's kind, a section's id key and kind, and where a
//! heading's `{#id}` goes (and a misplaced one) in the source. No I/O.

use crate::anchors;
use crate::model::{EntryKind, SectionKind, Span};

/// The title without the decoration around it: leading and trailing emoji,
/// status marks and spaces. Quotes and ASCII punctuation are kept.
pub fn strip_decoration(text: &str) -> &str {
    let keep = |c: char| c.is_alphanumeric() || c.is_ascii_punctuation() || is_quote(c);
    text.trim_start_matches(|c: char| !keep(c))
        .trim_end_matches(|c: char| !keep(c))
}

/// Whether a heading starts with a status mark (`❌`, `⚠️`, `🔴`…) followed
/// by a title: what makes a `###` heading an entry rather than a plain
/// subsection. The title may itself be emoji (`❌ 🔥🔥🔥`).
pub fn is_marked(text: &str) -> bool {
    let text = text.trim_start();
    let stripped = strip_decoration(text);
    if stripped.is_empty() {
        return text.split_whitespace().nth(1).is_some();
    }
    text.len() > stripped.len() && !text.starts_with(stripped)
}

/// A heading's title: its text without decoration, or, when it is all
/// decoration (`❌ 🔥🔥🔥`, `🔥`), its text after the leading mark.
pub fn plain_title(text: &str) -> &str {
    let stripped = strip_decoration(text);
    if !stripped.is_empty() {
        return stripped;
    }
    let text = text.trim();
    text.split_once(char::is_whitespace)
        .map_or(text, |(_, title)| title.trim_start())
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '\'' | '‘' | '’' | '`')
}

/// Splits an entry title into (title without quotes, kind).
pub fn entry_kind(title: &str) -> (String, EntryKind) {
    let mut chars = title.chars();
    let close = match chars.next() {
        Some('"') => '"',
        Some('“') => '”',
        Some('«') => '»',
        Some('`') => '`',
        _ => return (title.to_string(), EntryKind::Symptom),
    };
    let rest = chars.as_str();
    let Some(end) = rest.find(close) else {
        return (title.to_string(), EntryKind::Symptom);
    };
    let message = rest[..end].trim().to_string();
    if message.is_empty() {
        return (title.to_string(), EntryKind::Symptom);
    }
    let tail = rest[end + close.len_utf8()..].trim();
    let plain = if tail.is_empty() {
        message.clone()
    } else {
        format!("{message} {tail}")
    };
    (plain, EntryKind::ErrorMessage { message })
}

/// Section titles that mark a table of contents or a links section.
pub(super) fn kind_from_title(title: &str) -> Option<SectionKind> {
    match anchors::slug(title).as_str() {
        "table-des-matières" | "sommaire" | "contents" | "table-of-contents" | "toc" | "index" => {
            Some(SectionKind::Contents)
        }
        "liens" | "links" | "liens-utiles" | "useful-links" | "see-also" | "voir-aussi"
        | "references" | "références" | "ressources" | "resources" | "further-reading" => {
            Some(SectionKind::Links)
        }
        _ => None,
    }
}

/// The part of a section title used as the prefix of its entries' ids:
/// the text before a ` - ` or `:` separator (`ECR - PUSH/PULL` → `ecr`).
pub(super) fn section_key(title: &str) -> String {
    let head = title
        .split([':', '–', '—'])
        .next()
        .unwrap_or(title)
        .split(" - ")
        .next()
        .unwrap_or(title);
    anchors::slug(head)
}

/// Where a heading's `{#id}` goes, and an id block written where mdBook
/// does not read it.
pub(super) struct HeadingLayout {
    pub insert_at: usize,
    /// See [`crate::model::Heading::takes_id`].
    pub takes_id: bool,
    /// See [`crate::model::Heading::block_end`].
    pub block_end: Option<usize>,
    /// A `{#id}` before the closing `#`s of an ATX heading: its span
    /// (with the spaces before it) and the id.
    pub stray: Option<(Span, String)>,
}

/// How mdBook (pulldown-cmark) reads the id of a heading: an attribute block
/// at the very end of the heading, after the closing `#`s of an ATX heading
/// (`### Title ### {#id}`), or at the end of the last line of a setext
/// heading (pulldown-cmark trims only ASCII spaces, tabs and line ends after
/// it). So ` {#id}` is inserted there, or ` #id` into the attribute block
/// already there (`## Title {.wide}`), since mdBook reads the last block
/// only. A block written before the closing
/// sequence (`### Title {#id} ###`) is shown as text by mdBook; CommonMark
/// reads it as part of the heading's content, and so does this parser: it
/// is reported as `stray`, for the preprocessor to move behind the `#`s.
pub(super) fn heading_layout(source: &str, span: Span) -> HeadingLayout {
    let written = source[span.start..span.end].trim_end_matches(['\n', '\r']);
    if !is_atx(written) {
        // Setext: the text lines, then the underline (after a line feed or
        // a lone carriage return).
        let text = written
            .rsplit_once(['\n', '\r'])
            .map_or(written, |(text, _)| text);
        // Of a CRLF line ending, the split leaves the CR on the text.
        let trimmed = text.trim_end_matches(ASCII_SPACE);
        let insert_at = span.start + trimmed.len();
        let last_line = trimmed.rsplit(['\n', '\r']).next().unwrap_or(trimmed);
        // pulldown-cmark ends the last line's text before its form feeds
        // and vertical tabs too, so an attribute block before them is the
        // heading's (`Title {.x}\f`); a new block goes after them, where it
        // is last whatever the last line holds.
        let content = last_line.trim_end_matches(SETEXT_SPACE);
        let block = block_end(
            source,
            span.start,
            insert_at - (last_line.len() - content.len()),
        );
        return HeadingLayout {
            insert_at,
            takes_id: !opens_a_block_with_text(last_line),
            block_end: block,
            stray: None,
        };
    }
    let raw_line = written.split('\n').next().unwrap_or(written);
    let line = raw_line.trim_end_matches(ASCII_SPACE);
    let insert_at = span.start + line.len();
    // The text between the opening `#`s and the closing sequence (`#`s after
    // a space or tab at the end of the line), if there is one.
    let after_indent = line.trim_start_matches(' ');
    let opened = line.len() - after_indent.trim_start_matches('#').len();
    let content = &line[opened..];
    let before_closing = content.trim_end_matches('#');
    let has_closing = before_closing.len() < content.len() && before_closing.ends_with([' ', '\t']);
    let stray = has_closing
        .then(|| before_closing.trim_end())
        .and_then(|content| {
            let open = content.strip_suffix('}')?.rfind('{')?;
            let inner = &content[open + 1..content.len() - 1];
            if inner.contains(['{', '}', '<', '>', '\\']) {
                return None;
            }
            let id = inner
                .split_ascii_whitespace()
                .filter_map(|attribute| attribute.strip_prefix('#'))
                .rfind(|id| !id.is_empty())?;
            let start = span.start + opened + content[..open].trim_end().len();
            Some((
                Span::new(start, span.start + opened + content.len()),
                id.to_string(),
            ))
        });
    // pulldown-cmark ends an ATX heading with no text at a lone `\r`, but
    // reads on past it once the heading has text (an id block included).
    let rest = &source[span.end..];
    // pulldown-cmark takes the `#`s at the end for a closing sequence only
    // when spaces alone follow them: after a tab they are text, which an
    // id written after them would turn into a closing sequence again.
    let closing_kept_as_text = content.ends_with('#')
        && before_closing.ends_with(' ')
        && raw_line[line.len()..].contains('\t');
    let ended_by_lone_cr =
        source[..span.end].ends_with('\r') && !rest.is_empty() && !rest.starts_with('\n');
    let takes_id = !closing_kept_as_text && !ended_by_lone_cr;
    HeadingLayout {
        insert_at,
        takes_id,
        block_end: block_end(source, span.start, insert_at),
        stray,
    }
}

/// Whether a heading is written ATX-style: 1 to 6 `#`s, then a space, a
/// tab, a line end (or another ASCII control space) or nothing. `#tag` on
/// the first line of a setext heading is text.
fn is_atx(written: &str) -> bool {
    let after_indent = written.trim_start_matches(' ');
    let hashes = after_indent.len() - after_indent.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && after_indent[hashes..]
            .bytes()
            .next()
            .is_none_or(|b| b == b' ' || (0x09..=0x0d).contains(&b))
}

/// Whether a line of paragraph text would open a block once something is
/// written after it: a lone list marker that can interrupt a paragraph
/// (`*`, `+`, `-`, `1.`, `1)`; empty, it cannot), or a lone `|` (right
/// after a table, a table row).
fn opens_a_block_with_text(line: &str) -> bool {
    let line = line.trim_matches([' ', '\t']);
    let first_of_list = line
        .strip_suffix(['.', ')'])
        .is_some_and(|n| (1..=9).contains(&n.len()) && n.parse::<u32>() == Ok(1));
    matches!(line, "*" | "+" | "-" | "|") || first_of_list
}

/// What pulldown-cmark trims after a heading's attribute block.
const ASCII_SPACE: [char; 3] = [' ', '\t', '\r'];

/// What pulldown-cmark leaves out at the end of a setext heading's last
/// line before it looks for an attribute block: form feeds and vertical
/// tabs too.
const SETEXT_SPACE: [char; 5] = [' ', '\t', '\r', '\u{b}', '\u{c}'];

/// The `}` of the attribute block that ends the heading text
/// `source[start..end]`, as pulldown-cmark finds it: a `{`, then no `{`,
/// `}`, `<`, `>`, `\\` or line end up to the final `}`.
fn block_end(source: &str, start: usize, end: usize) -> Option<usize> {
    let inner = source[start..end].strip_suffix('}')?;
    let open = inner.rfind(['{', '}', '<', '>', '\\', '\n', '\r'])?;
    inner[open..]
        .starts_with('{')
        .then_some(start + inner.len())
}
