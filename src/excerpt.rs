//! How a message quotes text taken from the user's files.
//!
//! A finding or an error that names the offending text quotes a short
//! piece of it: a shell word that an unclosed quote stretched over a whole
//! chapter, or a value on a 5 MB line, must not fill the report. [`line`]
//! keeps the first line only, for messages written between backticks:
//! a message is one line, and a carriage return in it would move the
//! terminal's cursor. [`cut`] keeps every line, for messages that quote
//! with `{:?}`, which escapes line ends itself. Both mark a cut with `…`
//! and count characters, never bytes, so a cut never splits a character.
//! The reasons other parsers give (the JMESPath parser's, brush-parser's)
//! go through [`line`] too, cut at [`REASON`]: they may quote the rest of
//! the input they stopped on.

use std::borrow::Cow;

/// How many characters of a value a message quotes, unless it says
/// otherwise.
pub const QUOTED: usize = 60;

/// How many characters of another parser's reason a message keeps: the
/// reason may quote the rest of the input it stopped on.
pub const REASON: usize = 100;

/// The first line of `text` (up to the first `\r` or `\n`), at most `limit`
/// characters of it, with `…` where anything was left out.
pub fn line(text: &str, limit: usize) -> Cow<'_, str> {
    let first = text.split(['\r', '\n']).next().unwrap_or(text);
    let kept = cut(first, limit);
    if first.len() == text.len() {
        return kept;
    }
    match kept {
        Cow::Owned(cut) => Cow::Owned(cut),
        Cow::Borrowed(whole) => Cow::Owned(format!("{whole}…")),
    }
}

/// At most `limit` characters of `text`, with `…` where it was cut.
pub fn cut(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

/// [`line`] with the usual length, [`QUOTED`].
pub fn quote(text: &str) -> Cow<'_, str> {
    line(text, QUOTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_one_line_text_is_quoted_whole_and_borrowed() {
        assert!(matches!(quote("FARGATE"), Cow::Borrowed("FARGATE")));
        let exact = "é".repeat(QUOTED);
        assert_eq!(quote(&exact), exact);
    }

    #[test]
    fn a_long_text_is_cut_on_a_character_with_an_ellipsis() {
        let long = "é".repeat(QUOTED + 1);
        assert_eq!(quote(&long), format!("{}…", "é".repeat(QUOTED)));
        assert_eq!(cut("abcdef", 3), "abc…");
    }

    #[test]
    fn only_the_first_line_is_quoted() {
        assert_eq!(quote("1\r\n2"), "1…");
        assert_eq!(quote("\nrest"), "…");
        assert_eq!(line(&format!("{}\nb", "a".repeat(9)), 4), "aaaa…");
        // `cut` keeps line ends: its callers quote with `{:?}`.
        assert_eq!(cut("a\r\nb", 10), "a\r\nb");
    }
}
