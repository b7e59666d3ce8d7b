//! Reading a PO file: text → [`Catalog`], every defect an error that names
//! the file and the line (bad escapes, unterminated strings, a msgstr with
//! no msgid, a msgid with no msgstr, a malformed or non-UTF-8 header,
//! duplicate messages). Line-based and linear: no recursion, nothing kept
//! but the catalog itself.

use super::{Catalog, Message};
use anyhow::{Result, anyhow, bail};
use std::path::Path;

/// PO files larger than this are refused rather than read.
pub const MAX_PO_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the PO file at `path`.
pub fn load(path: &Path) -> Result<Catalog> {
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow!("reading {}: {e}", path.display()))?
        .len();
    if size > MAX_PO_BYTES {
        bail!(
            "{}: {size} bytes, more than the {MAX_PO_BYTES} a PO file may have",
            path.display()
        );
    }
    let text = crate::fs::read_utf8(path)?;
    parse(&text, path)
}

/// Parses PO text; `path` only names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Catalog> {
    let mut parser = Parser {
        path,
        catalog: Catalog {
            path: path.to_path_buf(),
            ..Catalog::default()
        },
        entry: Entry::default(),
        header_seen: false,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        parser.line(index + 1, line)?;
    }
    parser.finish_entry()?;
    Ok(parser.catalog)
}

/// Which string a continuation line (`"…"`) adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Msgctxt,
    Msgid,
    MsgidPlural,
    Msgstr(usize),
    PreviousMsgctxt,
    PreviousMsgid,
    PreviousMsgidPlural,
}

/// The entry being read.
#[derive(Debug, Default)]
struct Entry {
    message: Message,
    has_msgid: bool,
    /// The line of its msgid, or of its first line.
    first_line: usize,
    msgstr_line: usize,
    /// The line of each msgstr string, for header errors.
    msgstr_strings: Vec<(usize, String)>,
    has_msgstr: bool,
    has_content: bool,
    field: Option<Field>,
}

struct Parser<'a> {
    path: &'a Path,
    catalog: Catalog,
    entry: Entry,
    header_seen: bool,
}

impl Parser<'_> {
    fn error(&self, line: usize, message: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("{}:{line}: {message}", self.path.display())
    }

    fn line(&mut self, number: usize, line: &str) -> Result<()> {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix("#~") {
            // An obsolete entry: the same syntax behind `#~`.
            let rest = rest.strip_prefix(' ').unwrap_or(rest).trim_start();
            if rest.is_empty() {
                return Ok(());
            }
            if let Some(previous) = rest.strip_prefix('|') {
                return self.previous(number, previous.trim_start());
            }
            return self.keyword_or_string(number, rest, true);
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            return self.comment(number, rest);
        }
        self.keyword_or_string(number, trimmed, false)
    }

    /// Starts a new entry when the current one is complete; a comment or a
    /// keyword after a msgid without msgstr is an error.
    fn before_entry_line(&mut self, number: usize) -> Result<()> {
        if self.entry.has_msgstr {
            self.finish_entry()?;
        } else if self.entry.has_msgid {
            return Err(self.error(
                self.entry.first_line,
                "msgid without msgstr (every msgid needs a msgstr line after it)",
            ));
        }
        if !self.entry.has_content {
            self.entry.first_line = number;
            self.entry.has_content = true;
        }
        Ok(())
    }

    fn comment(&mut self, number: usize, rest: &str) -> Result<()> {
        if let Some(previous) = rest.strip_prefix('|') {
            return self.previous(number, previous.trim_start());
        }
        self.before_entry_line(number)?;
        self.entry.field = None;
        let message = &mut self.entry.message;
        match rest.chars().next() {
            Some(',') => message.flags.extend(
                rest[1..]
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string),
            ),
            Some(':') => message
                .references
                .extend(rest[1..].split_whitespace().map(str::to_string)),
            Some('.') => message.extracted.push(rest[1..].trim_start().to_string()),
            _ => message
                .comments
                .push(rest.strip_prefix(' ').unwrap_or(rest).to_string()),
        }
        Ok(())
    }

    /// A `#|` line: the previous msgctxt, msgid or msgid_plural, or a
    /// continuation of one.
    fn previous(&mut self, number: usize, rest: &str) -> Result<()> {
        self.before_entry_line(number)?;
        let (field, string) = if let Some(s) = rest.strip_prefix("msgctxt") {
            (Field::PreviousMsgctxt, s)
        } else if let Some(s) = rest.strip_prefix("msgid_plural") {
            (Field::PreviousMsgidPlural, s)
        } else if let Some(s) = rest.strip_prefix("msgid") {
            (Field::PreviousMsgid, s)
        } else if rest.starts_with('"') {
            match self.entry.field {
                Some(
                    field @ (Field::PreviousMsgctxt
                    | Field::PreviousMsgid
                    | Field::PreviousMsgidPlural),
                ) => (field, rest),
                _ => return Err(self.error(number, "a `#|` string with no `#| msgid` before it")),
            }
        } else {
            return Err(self.error(
                number,
                format!("unexpected `#|` line {rest:?} (expected `#| msgid \"…\"`)"),
            ));
        };
        if !string.starts_with('"') && !string.starts_with([' ', '\t']) {
            return Err(self.error(number, format!("unexpected `#|` line {rest:?}")));
        }
        let value = unquote(string.trim(), number, self.path)?;
        let message = &mut self.entry.message;
        let slot = match field {
            Field::PreviousMsgctxt => &mut message.previous_msgctxt,
            _ => &mut message.previous_msgid,
        };
        if field == Field::PreviousMsgidPlural {
            // Kept nowhere: a previous plural adds nothing a translator needs.
        } else if rest.starts_with('"') {
            slot.get_or_insert_with(String::new).push_str(&value);
        } else {
            *slot = Some(value);
        }
        self.entry.field = Some(field);
        Ok(())
    }

    fn keyword_or_string(&mut self, number: usize, line: &str, obsolete: bool) -> Result<()> {
        if line.starts_with('"') {
            return self.continuation(number, line);
        }
        let keyword_end = line
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(line.len());
        let (keyword, rest) = line.split_at(keyword_end);
        let rest = rest.trim();
        let field = match keyword {
            "msgctxt" => Field::Msgctxt,
            "msgid" => Field::Msgid,
            "msgid_plural" => Field::MsgidPlural,
            "msgstr" => Field::Msgstr(0),
            _ => match keyword
                .strip_prefix("msgstr[")
                .and_then(|n| n.strip_suffix(']'))
            {
                Some(n) => Field::Msgstr(n.parse::<usize>().map_err(|_| {
                    self.error(
                        number,
                        format!("`{keyword}`: the plural index must be a number"),
                    )
                })?),
                None => {
                    return Err(self.error(
                        number,
                        format!(
                            "unexpected text {:?}: expected a comment, a quoted string or a keyword (msgctxt, msgid, msgid_plural, msgstr)",
                            crate::excerpt::cut(line, 60)
                        ),
                    ));
                }
            },
        };
        if field == Field::Msgstr(0)
            && keyword == "msgstr"
            && self.entry.message.msgid_plural.is_some()
        {
            return Err(self.error(
                number,
                "`msgstr` after msgid_plural: use msgstr[0], msgstr[1]…",
            ));
        }
        let value = unquote(rest, number, self.path)?;
        match field {
            Field::Msgctxt | Field::Msgid => {
                self.before_entry_line(number)?;
                if field == Field::Msgctxt && self.entry.message.msgctxt.is_some() {
                    return Err(self.error(number, "a second msgctxt in one entry"));
                }
                let message = &mut self.entry.message;
                if field == Field::Msgctxt {
                    message.msgctxt = Some(value);
                } else {
                    message.msgid = value;
                    self.entry.has_msgid = true;
                    self.entry.first_line = number;
                }
                message.obsolete |= obsolete;
            }
            Field::MsgidPlural => {
                if !self.entry.has_msgid || self.entry.has_msgstr {
                    return Err(self.error(number, "msgid_plural without a msgid before it"));
                }
                self.entry.message.msgid_plural = Some(value);
            }
            Field::Msgstr(n) => {
                if !self.entry.has_msgid || (n == 0 && self.entry.has_msgstr) {
                    return Err(self.error(number, "msgstr without msgid"));
                }
                if n > 0 && self.entry.message.msgid_plural.is_none() {
                    return Err(self.error(number, format!("msgstr[{n}] without msgid_plural")));
                }
                let expected = self.entry.message.msgstr.len();
                if n != expected || (n == 0 && self.entry.has_msgstr) {
                    return Err(self.error(
                        number,
                        format!(
                            "msgstr[{n}] out of order or repeated (expected msgstr[{expected}])"
                        ),
                    ));
                }
                self.entry.message.msgstr.push(value.clone());
                if !self.entry.has_msgstr {
                    self.entry.msgstr_line = number;
                }
                self.entry.has_msgstr = true;
                self.entry.msgstr_strings.push((number, value));
            }
            _ => unreachable!("keywords map to message fields"),
        }
        self.entry.field = Some(field);
        Ok(())
    }

    fn continuation(&mut self, number: usize, line: &str) -> Result<()> {
        let value = unquote(line, number, self.path)?;
        let message = &mut self.entry.message;
        match self.entry.field {
            Some(Field::Msgctxt) => message
                .msgctxt
                .get_or_insert_with(String::new)
                .push_str(&value),
            Some(Field::Msgid) => message.msgid.push_str(&value),
            Some(Field::MsgidPlural) => message
                .msgid_plural
                .get_or_insert_with(String::new)
                .push_str(&value),
            Some(Field::Msgstr(n)) => {
                message.msgstr[n].push_str(&value);
                self.entry.msgstr_strings.push((number, value));
            }
            _ => {
                return Err(self.error(
                    number,
                    "a quoted string with no msgid, msgstr or msgctxt before it",
                ));
            }
        }
        Ok(())
    }

    fn finish_entry(&mut self) -> Result<()> {
        let entry = std::mem::take(&mut self.entry);
        if !entry.has_msgid {
            if entry.message.msgctxt.is_some() {
                return Err(self.error(entry.first_line, "msgctxt without msgid"));
            }
            if entry.message.previous_msgid.is_some() {
                return Err(self.error(entry.first_line, "`#| msgid` without an entry after it"));
            }
            // Comments at the end of the file: nothing to keep.
            return Ok(());
        }
        if !entry.has_msgstr {
            return Err(self.error(
                entry.first_line,
                "msgid without msgstr (the file ends in the middle of an entry)",
            ));
        }
        let mut message = entry.message;
        message.line = entry.first_line;
        let is_header = message.msgid.is_empty() && message.msgctxt.is_none() && !message.obsolete;
        if is_header {
            if self.header_seen || !self.catalog.messages.is_empty() {
                return Err(self.error(
                    entry.first_line,
                    "an entry with an empty msgid that is not the header (the header comes first, once)",
                ));
            }
            self.header_seen = true;
            self.catalog.header_comments = message.comments;
            self.catalog.header_flags = message.flags;
            self.catalog.header = self.header(&entry.msgstr_strings, entry.msgstr_line)?;
            return Ok(());
        }
        if message.msgid.is_empty() {
            return Err(self.error(
                entry.first_line,
                "an empty msgid (only the header may have one)",
            ));
        }
        let line = message.line;
        if let Err(existing) = self.catalog.push(message) {
            let first = self.catalog.messages[existing].line;
            return Err(self.error(
                line,
                format!("duplicate message: the same msgid is already on line {first}"),
            ));
        }
        Ok(())
    }

    /// Parses the header's `Name: value` lines, checking the charset and
    /// the plural forms.
    fn header(
        &self,
        strings: &[(usize, String)],
        msgstr_line: usize,
    ) -> Result<Vec<(String, String)>> {
        let mut fields = Vec::new();
        // The PO line each header line starts on.
        let mut text_line = Vec::new();
        let mut at_line_start = true;
        for (line, string) in strings {
            for c in string.chars() {
                if at_line_start {
                    text_line.push(*line);
                }
                at_line_start = c == '\n';
            }
        }
        let text: String = strings.iter().map(|(_, s)| s.as_str()).collect();
        for (index, field) in text.split('\n').enumerate() {
            let line = text_line.get(index).copied().unwrap_or(msgstr_line);
            if field.trim().is_empty() {
                continue;
            }
            let Some((name, value)) = field.split_once(':') else {
                return Err(self.error(
                    line,
                    format!(
                        "header line {:?} is not `Name: value` (an incomplete header)",
                        crate::excerpt::cut(field, 60)
                    ),
                ));
            };
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(self.error(line, format!("header field name {name:?} is not valid")));
            }
            if name.eq_ignore_ascii_case("Content-Type") {
                let charset = value
                    .split(';')
                    .filter_map(|p| p.trim().strip_prefix("charset="))
                    .next();
                match charset {
                    Some(c) if c.eq_ignore_ascii_case("UTF-8") => {}
                    Some(c) => {
                        return Err(self.error(
                            line,
                            format!("charset={c}: only UTF-8 PO files are read; convert it with `msgconv --to-code=UTF-8`"),
                        ));
                    }
                    None => {
                        return Err(self.error(
                            line,
                            format!("Content-Type {value:?} has no charset (expected `text/plain; charset=UTF-8`)"),
                        ));
                    }
                }
            }
            if name.eq_ignore_ascii_case("Plural-Forms") {
                check_plural_forms(value).map_err(|why| self.error(line, why))?;
            }
            fields.push((name.to_string(), value.to_string()));
        }
        Ok(fields)
    }
}

/// `nplurals=N; plural=EXPR;` with a number and a non-empty expression.
fn check_plural_forms(value: &str) -> std::result::Result<(), String> {
    let mut nplurals = None;
    let mut plural = None;
    for part in value.split(';') {
        if let Some((key, v)) = part.split_once('=') {
            match key.trim() {
                "nplurals" => nplurals = Some(v.trim()),
                "plural" => plural = Some(v.trim()),
                _ => {}
            }
        }
    }
    match (nplurals.map(str::parse::<u8>), plural) {
        (Some(Ok(n)), Some(p)) if n > 0 && !p.is_empty() => Ok(()),
        _ => Err(format!(
            "Plural-Forms {value:?} is incomplete (expected `nplurals=N; plural=EXPR;`)"
        )),
    }
}

/// The value of a quoted PO string: `"…"` with C escapes.
fn unquote(text: &str, line: usize, path: &Path) -> Result<String> {
    let error = |message: String| anyhow!("{}:{line}: {message}", path.display());
    let Some(body) = text.strip_prefix('"') else {
        return Err(error(if text.is_empty() {
            "a keyword without its quoted string".to_string()
        } else {
            format!(
                "expected a quoted string, found {:?}",
                crate::excerpt::cut(text, 60)
            )
        }));
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => {
                let rest = chars.as_str().trim();
                if !rest.is_empty() {
                    return Err(error(format!(
                        "text after the closing quote: {:?} (a `\"` inside a string is written `\\\"`)",
                        crate::excerpt::cut(rest, 60)
                    )));
                }
                return Ok(out);
            }
            '\\' => {
                let Some((_, escaped)) = chars.next() else {
                    break;
                };
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '\\' | '"' | '\'' | '?' => out.push(escaped),
                    '0'..='7' => {
                        let mut value = escaped.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let next = chars.as_str().chars().next();
                            match next.and_then(|d| d.to_digit(8)) {
                                Some(d) => {
                                    value = value * 8 + d;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        out.push(octal_char(value).ok_or_else(|| {
                            error(format!("escape \\{value:o} is not a character"))
                        })?);
                    }
                    other => {
                        return Err(error(format!(
                            "invalid escape sequence `\\{other}` (a backslash is written `\\\\`)"
                        )));
                    }
                }
            }
            other => out.push(other),
        }
    }
    Err(error(
        "missing closing quote (a string ends with `\"` on the same line)".to_string(),
    ))
}

fn octal_char(value: u32) -> Option<char> {
    // Octal escapes are bytes; only ASCII ones are characters on their own.
    (value < 0x80).then(|| char::from_u32(value)).flatten()
}
