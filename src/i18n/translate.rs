//! Translating chapters: each translated piece spliced into the source
//! text, every heading's anchor kept, links pointed at those anchors.
//!
//! For each chapter, every piece [`extract`] finds is looked up in the
//! catalog; a complete translation is checked ([`verify::message`]) and
//! replaces the piece's bytes, nothing else, wrapped on as many lines as the
//! source piece (so every later line keeps its number); a translation
//! identical to its msgid leaves the source as written. Section and entry headings
//! get the stable `{#id}` the source language's page shows, and other
//! headings their source's mdBook id when no other heading of the book has
//! it, so the same anchor reaches the same place in every language. The
//! translated page is then checked as a whole ([`verify::chapter`]): same
//! blocks, code blocks identical once comments are removed. Last, links to
//! a heading's automatic id in the source (`#-ecr---pushpull`) are pointed at
//! the id that heading has in the translation. Pieces without a complete
//! translation keep their source text and are listed, for strict builds and
//! `i18n status`. No I/O here.

use super::extract::{self, Kind, Piece};
use super::po::{Catalog, Status};
use super::{TranslationError, verify};
use crate::anchors;
use crate::model::{Chapter, Guide, Span, link_target, splice};
use crate::parse::parse_book_uncounted;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A piece the catalog does not (fully) translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    /// `book/troubleshooting.md:24`.
    pub location: String,
    pub msgid: String,
    /// Present but fuzzy (its source changed), rather than missing.
    pub fuzzy: bool,
}

/// The translated chapters, in the order given, and what stayed untranslated.
#[derive(Debug, Default)]
pub struct Translated {
    pub texts: Vec<String>,
    pub untranslated: Vec<Untranslated>,
}

/// Translates `chapters` (paths relative to the source directory `src_dir`,
/// markdown as on disk) with `catalog`.
pub fn chapters(
    chapters: &[(PathBuf, String)],
    catalog: &Catalog,
    src_dir: &Path,
) -> Result<Translated, TranslationError> {
    let source = parse_book_uncounted(chapters.iter().cloned());
    let pins = Pins::of(&source);
    let mut out = Translated::default();
    for (index, (path, text)) in chapters.iter().enumerate() {
        let file = src_dir.join(path).display().to_string();
        let translated = chapter(
            text,
            &source.chapters[index],
            &pins,
            catalog,
            &file,
            &mut out.untranslated,
        )?;
        out.texts.push(translated);
    }
    let translated = parse_book_uncounted(
        chapters
            .iter()
            .zip(&out.texts)
            .map(|((path, _), text)| (path.clone(), text.clone())),
    );
    let targets: Vec<Targets<'_>> = source.chapters.iter().map(Targets::of).collect();
    let positions: HashMap<&Path, usize> = source
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.as_path(), i))
        .collect();
    for (index, text) in out.texts.iter_mut().enumerate() {
        let edits = link_edits(index, &positions, &targets, &translated);
        if !edits.is_empty() {
            *text = splice(text, edits);
        }
    }
    Ok(out)
}

/// One chapter: the translated pieces and the pinned ids, checked.
fn chapter(
    text: &str,
    model: &Chapter,
    pins: &Pins,
    catalog: &Catalog,
    file: &str,
    untranslated: &mut Vec<Untranslated>,
) -> Result<String, TranslationError> {
    let mut edits: Vec<(Span, String)> = Vec::new();
    let mut applied: Vec<Piece> = Vec::new();
    for piece in extract::pieces(text) {
        match catalog.status(&piece.msgid) {
            Status::Translated(translation) => {
                let translation = translation.trim();
                verify::message(&piece, translation)
                    .map_err(|why| unsafe_translation(catalog, file, &piece, why))?;
                if translation == piece.msgid {
                    // Translated as itself: the source text stays as it is
                    // written, line for line (laid out again, lines the
                    // rewrap cannot cut apart would be joined).
                    continue;
                }
                let lines = text[piece.span.start..piece.span.end].matches('\n').count() + 1;
                edits.push((piece.span, layout(translation, &piece, lines)));
                applied.push(piece);
            }
            status => untranslated.push(Untranslated {
                location: format!("{file}:{}", piece.line),
                msgid: piece.msgid,
                fuzzy: status == Status::Fuzzy,
            }),
        }
    }
    let text_edits = edits.len();
    for (heading, id) in pins.of_chapter(model) {
        edits.extend(model.headings[heading].id_edit(&id));
    }
    let translated = splice(text, edits.clone());
    if let Some((offset, why)) = verify::chapter(text, &translated) {
        let culprit = responsible(&edits[..text_edits], &applied, offset);
        return Err(match culprit {
            Some(piece) => unsafe_translation(catalog, file, piece, why),
            None => TranslationError::Unsafe(format!("{file}: {why}")),
        });
    }
    Ok(translated)
}

/// A translation laid out in place of `piece`, which spans `lines` lines
/// of the source: a one-line translation of a wrapped paragraph is wrapped
/// on as many lines, so that every line after it stays where it is in the
/// source (findings and `faq.json` name the same lines in every language);
/// lines after the first get the piece's continuation (a list item's
/// indentation), and four spaces more when they do not start with a letter.
fn layout(translation: &str, piece: &Piece, lines: usize) -> String {
    let mut out: Vec<&str> = translation
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    if out.len() == 1 && lines > 1 && piece.kind == Kind::Text {
        out = rewrap(translation, lines);
    }
    let mut text = String::new();
    for (i, line) in out.iter().enumerate() {
        if i > 0 {
            text.push('\n');
            text.push_str(&piece.continuation);
            if !line.starts_with(char::is_alphabetic) {
                // It could open a block (`- `, `1.`, `#`, `>`, a fence):
                // indented four spaces more, it can only go on with the
                // paragraph, as its source line did.
                text.push_str("    ");
            }
        }
        text.push_str(line);
    }
    text
}

/// `text` cut into at most `lines` lines of about the same length. A line
/// is only ever cut at a space before a letter, outside inline code and
/// HTML: a line that starts with a letter continues a paragraph, where
/// `-`, `1.`, `#`, `>`, `|` or a fence could start another block. The
/// space must stand alone (no space or tab before it): the line break
/// takes its place, and the text reads back the same.
fn rewrap(text: &str, lines: usize) -> Vec<&str> {
    let mut breaks = Vec::new();
    let (mut ticks, mut angle) = (0usize, 0usize);
    let mut previous = None;
    for (i, c) in text.char_indices() {
        match c {
            '`' => ticks += 1,
            '<' => angle += 1,
            '>' => angle = angle.saturating_sub(1),
            _ => {}
        }
        if previous == Some(' ')
            && !text[..i - 1].ends_with(char::is_whitespace)
            && c.is_alphabetic()
            && ticks % 2 == 0
            && angle == 0
            && !text[..i].trim_end().ends_with('\\')
        {
            breaks.push(i - 1);
        }
        previous = Some(c);
    }
    let mut out = Vec::with_capacity(lines);
    let mut start = 0;
    let mut from = 0;
    for line in 1..lines {
        let target = text.len() * line / lines;
        // The break nearest the target, after the last one taken.
        let index = from + breaks[from..].partition_point(|&b| b < target);
        let nearest = match (
            index.checked_sub(1).filter(|&i| i >= from),
            breaks.get(index),
        ) {
            (Some(before), Some(&after)) if target - breaks[before] <= after - target => before,
            (_, Some(_)) => index,
            (Some(before), None) => before,
            (None, None) => break,
        };
        let at = breaks[nearest];
        if at < start {
            break;
        }
        out.push(text[start..at].trim_end());
        start = at + 1;
        from = breaks.partition_point(|&b| b <= at);
        if from >= breaks.len() {
            break;
        }
    }
    out.push(&text[start..]);
    out
}

/// The applied piece whose translation is at or last before `offset` of the
/// translated text.
fn responsible<'p>(
    edits: &[(Span, String)],
    applied: &'p [Piece],
    offset: usize,
) -> Option<&'p Piece> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| edits[i].0.start);
    let mut delta: isize = 0;
    let mut found = None;
    for i in order {
        let (span, replacement) = &edits[i];
        let start = span.start as isize + delta;
        if start > offset as isize {
            break;
        }
        found = Some(i);
        delta += replacement.len() as isize - (span.end - span.start) as isize;
    }
    found.map(|i| &applied[i])
}

fn unsafe_translation(
    catalog: &Catalog,
    file: &str,
    piece: &Piece,
    why: String,
) -> TranslationError {
    let po_line = catalog
        .get(&piece.msgid)
        .filter(|m| m.line > 0)
        .map(|m| format!(" ({}:{})", catalog.path.display(), m.line))
        .unwrap_or_default();
    TranslationError::Unsafe(format!(
        "{file}:{}: the translation of msgid {:?}{po_line} is refused: {why}",
        piece.line,
        crate::excerpt::cut(&piece.msgid, 80)
    ))
}

/// The ids written into translated headings.
struct Pins {
    /// mdBook ids that only one heading of the book has, and that no
    /// explicit or stable id takes.
    unique_auto: HashSet<String>,
}

impl Pins {
    fn of(guide: &Guide) -> Pins {
        let mut count: HashMap<&str, usize> = HashMap::new();
        let mut taken: HashSet<&str> = HashSet::new();
        for chapter in &guide.chapters {
            for heading in &chapter.headings {
                *count.entry(heading.auto_id.as_str()).or_default() += 1;
                taken.extend(heading.explicit_id.as_deref());
            }
            taken.extend(anchors::stable_ids(chapter).into_iter().map(|(_, id)| id));
        }
        let unique_auto = count
            .into_iter()
            .filter(|&(id, n)| n == 1 && !taken.contains(id) && anchors::is_valid_id(id))
            .map(|(id, _)| id.to_string())
            .collect();
        Pins { unique_auto }
    }

    /// (heading index, id) for the headings of `chapter` without an id of
    /// their own: sections and entries get their stable id, other headings
    /// their mdBook id when it is unique in the book.
    fn of_chapter(&self, chapter: &Chapter) -> Vec<(usize, String)> {
        let stable: HashMap<usize, &str> = anchors::stable_ids(chapter).into_iter().collect();
        chapter
            .headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.explicit_id.is_none())
            .filter_map(|(i, h)| match stable.get(&i) {
                Some(id) if !id.is_empty() => Some((i, id.to_string())),
                Some(_) => None,
                None => self
                    .unique_auto
                    .contains(&h.auto_id)
                    .then(|| (i, h.auto_id.clone())),
            })
            .collect()
    }
}

/// What a chapter's links can point at: the ids its source language's
/// page shows for sure (explicit and stable ids), and the heading each
/// mdBook id of the source names.
struct Targets<'a> {
    kept: HashSet<&'a str>,
    auto: HashMap<&'a str, usize>,
}

impl<'a> Targets<'a> {
    fn of(chapter: &'a Chapter) -> Targets<'a> {
        let mut kept: HashSet<&str> = chapter
            .headings
            .iter()
            .filter_map(|h| h.explicit_id.as_deref())
            .collect();
        kept.extend(anchors::stable_ids(chapter).into_iter().map(|(_, id)| id));
        let mut auto = HashMap::new();
        for (index, heading) in chapter.headings.iter().enumerate() {
            auto.entry(heading.auto_id.as_str()).or_insert(index);
        }
        Targets { kept, auto }
    }
}

/// Edits of chapter `index`'s translated text: links to a source heading's
/// mdBook id now go to the id that heading has in the translation.
fn link_edits(
    index: usize,
    positions: &HashMap<&Path, usize>,
    targets: &[Targets<'_>],
    translated: &Guide,
) -> Vec<(Span, String)> {
    let chapter = &translated.chapters[index];
    let mut edits = Vec::new();
    for link in chapter.links.iter().filter(|l| l.exact) {
        let Some(target) = link_target(&chapter.path, &link.dest) else {
            continue;
        };
        let Some(fragment) = target.fragment.filter(|f| !f.is_empty()) else {
            continue;
        };
        let target_index = match &target.path {
            None => Some(index),
            Some(path) => positions.get(path.as_path()).copied(),
        };
        let Some(target_index) = target_index else {
            continue;
        };
        let names = &targets[target_index];
        if names.kept.contains(fragment) {
            continue;
        }
        let Some(&heading) = names.auto.get(fragment) else {
            continue;
        };
        let after = &translated.chapters[target_index];
        let Some(now) = after.headings.get(heading).map(|h| h.html_id()) else {
            continue;
        };
        // Only to an id mdBook's own rule keeps as it is: another (an
        // explicit `{#a|b}`) may not even fit in a link's destination (in
        // a table, its `|` ends the cell).
        if now != fragment && anchors::is_valid_id(now) {
            let path = link.dest.split('#').next().unwrap_or("");
            edits.push((link.dest_span, format!("{path}#{now}")));
        }
    }
    edits
}

#[cfg(test)]
mod tests;
