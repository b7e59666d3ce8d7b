//! Writing a [`Catalog`] as PO text, the way msgmerge lays it out: the
//! header first, each entry's comments, references, flags and previous
//! msgid before its strings, obsolete entries last behind `#~`, and
//! strings longer than a line wrapped at 79 columns after spaces and `\n`.
//! [`read`](super::read) reads back exactly what this writes.

use super::{Catalog, Message};

/// The width msgmerge and msgcat wrap at.
const WIDTH: usize = 79;

pub fn to_po(catalog: &Catalog) -> String {
    let mut out = String::new();
    for comment in &catalog.header_comments {
        push_comment(&mut out, "#", comment);
    }
    if !catalog.header_flags.is_empty() {
        out.push_str(&format!("#, {}\n", catalog.header_flags.join(", ")));
    }
    let header: String = catalog
        .header
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();
    push_string(&mut out, "", "msgid", "");
    push_string(&mut out, "", "msgstr", &header);
    let (live, obsolete): (Vec<&Message>, Vec<&Message>) =
        catalog.messages.iter().partition(|m| !m.obsolete);
    for message in live.into_iter().chain(obsolete) {
        out.push('\n');
        push_message(&mut out, message);
    }
    out
}

fn push_message(out: &mut String, message: &Message) {
    let prefix = if message.obsolete { "#~ " } else { "" };
    for comment in &message.comments {
        push_comment(out, "#", comment);
    }
    for comment in &message.extracted {
        push_comment(out, "#.", comment);
    }
    push_references(out, &message.references);
    if !message.flags.is_empty() {
        out.push_str(&format!("#, {}\n", message.flags.join(", ")));
    }
    let previous = if message.obsolete { "#~| " } else { "#| " };
    if let Some(ctxt) = &message.previous_msgctxt {
        push_string(out, previous, "msgctxt", ctxt);
    }
    if let Some(id) = &message.previous_msgid {
        push_string(out, previous, "msgid", id);
    }
    if let Some(ctxt) = &message.msgctxt {
        push_string(out, prefix, "msgctxt", ctxt);
    }
    push_string(out, prefix, "msgid", &message.msgid);
    match &message.msgid_plural {
        Some(plural) => {
            push_string(out, prefix, "msgid_plural", plural);
            for (n, form) in message.msgstr.iter().enumerate() {
                push_string(out, prefix, &format!("msgstr[{n}]"), form);
            }
        }
        None => push_string(
            out,
            prefix,
            "msgstr",
            message.msgstr.first().map_or("", String::as_str),
        ),
    }
}

/// A comment line per line of `text` (a comment cannot hold a newline).
fn push_comment(out: &mut String, marker: &str, text: &str) {
    for line in text.split('\n') {
        if line.is_empty() {
            out.push_str(marker);
        } else {
            out.push_str(&format!("{marker} {line}"));
        }
        out.push('\n');
    }
}

/// `#:` lines, as many references per line as fit.
fn push_references(out: &mut String, references: &[String]) {
    let mut line = String::new();
    for reference in references {
        if !line.is_empty() && line.chars().count() + 1 + reference.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if line.is_empty() {
            line.push_str("#:");
        }
        line.push(' ');
        line.push_str(reference);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
}

/// `keyword "text"`, or `keyword ""` and one `"…"` line per wrapped piece.
fn push_string(out: &mut String, prefix: &str, keyword: &str, text: &str) {
    let pieces = wrap(&escape_pieces(text), WIDTH - 2 - prefix.chars().count());
    let single = format!("{prefix}{keyword} \"{}\"", pieces.concat());
    if pieces.len() <= 1 && single.chars().count() <= WIDTH {
        out.push_str(&single);
        out.push('\n');
        return;
    }
    out.push_str(&format!("{prefix}{keyword} \"\"\n"));
    for piece in pieces {
        out.push_str(&format!("{prefix}\"{piece}\"\n"));
    }
}

/// The escaped form of each character of `text`.
fn escape_pieces(text: &str) -> Vec<(String, bool)> {
    text.chars()
        .map(|c| {
            let escaped = match c {
                '\\' => "\\\\".to_string(),
                '"' => "\\\"".to_string(),
                '\n' => "\\n".to_string(),
                '\t' => "\\t".to_string(),
                '\r' => "\\r".to_string(),
                '\u{7}' => "\\a".to_string(),
                '\u{8}' => "\\b".to_string(),
                '\u{b}' => "\\v".to_string(),
                '\u{c}' => "\\f".to_string(),
                c if (c as u32) < 0x20 || c == '\u{7f}' => format!("\\{:03o}", c as u32),
                c => c.to_string(),
            };
            (escaped, c == '\n')
        })
        .collect()
}

/// Splits escaped characters into lines of at most `width` columns: after
/// every `\n`, and after the last space that keeps a line within the width
/// (a word longer than the width stays whole, as msgcat does).
fn wrap(chars: &[(String, bool)], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut columns = 0;
    // Byte length of `line` and its columns just after its last space.
    let mut last_space: Option<(usize, usize)> = None;
    for (escaped, newline) in chars {
        let len = escaped.chars().count();
        if columns + len > width
            && let Some((at, cols)) = last_space
        {
            let rest = line.split_off(at);
            lines.push(std::mem::replace(&mut line, rest));
            columns -= cols;
            last_space = None;
        }
        line.push_str(escaped);
        columns += len;
        if escaped == " " {
            last_space = Some((line.len(), columns));
        }
        if *newline {
            lines.push(std::mem::take(&mut line));
            columns = 0;
            last_space = None;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
