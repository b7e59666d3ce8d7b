//! Syntax errors, from brush-parser, with recovery.
//!
//! A block is handed to brush-parser in pieces cut at top-level command
//! boundaries ([`outline`](super::outline)): the whole block when it is
//! small, else pieces of about [`PIECE_BYTES`], so the parser's syntax tree
//! (about a hundred bytes per byte of input) never holds more than one
//! piece. When a piece does not parse, the complete command that holds the
//! error is set aside and the text before and after it is parsed again on
//! its own, as a compiler recovers after an error: one mistake on the last
//! line no longer hides the commands above it. At most
//! [`MAX_SYNTAX_ERRORS`] errors are reported per block; the rest of a block
//! that has more is left unchecked. A single complete command longer than
//! [`MAX_COMMAND_BYTES`] is not parsed at all, and reported.

use super::SyntaxError;
use super::lexer::Heredoc;
use crate::excerpt;

/// Blocks up to this size are parsed whole; larger ones in pieces of about
/// this size.
pub const PIECE_BYTES: usize = 64 * 1024;

/// The most syntax errors reported for one block.
pub const MAX_SYNTAX_ERRORS: usize = 8;

/// The longest complete command (an `if … fi`, a loop, a quoted argument,
/// a here document…) handed to the parser. Runbook commands are a few
/// kilobytes at most.
pub const MAX_COMMAND_BYTES: usize = 1024 * 1024;

/// The result of checking a block.
#[derive(Debug, Default)]
pub struct Checked {
    /// In order of offset.
    pub errors: Vec<SyntaxError>,
    /// Spans of the code that did not parse (or were not parsed).
    pub unparsed: Vec<(usize, usize)>,
}

/// Checks `code`, cut only at `command_starts` (sorted, the first 0).
pub fn check(code: &str, command_starts: &[usize], heredocs: &[Heredoc]) -> Checked {
    let mut checker = Checker {
        code,
        command_starts,
        heredocs,
        checked: Checked::default(),
    };
    for (start, end) in pieces(code.len(), command_starts) {
        if end - start > MAX_COMMAND_BYTES {
            // Pieces of several commands are smaller: this is one command.
            checker.too_long(start, end);
        } else {
            checker.check_range(start, end);
        }
    }
    let mut checked = checker.checked;
    checked.errors.sort_by_key(|e| e.offset);
    checked
}

/// Consecutive runs of commands of about [`PIECE_BYTES`] each (a longer
/// command is a piece of its own).
fn pieces(len: usize, command_starts: &[usize]) -> Vec<(usize, usize)> {
    if len <= PIECE_BYTES {
        return vec![(0, len)];
    }
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut last_cut = 0;
    for &cut in command_starts.iter().skip(1).chain([len].iter()) {
        if cut - piece_start > PIECE_BYTES && last_cut > piece_start {
            pieces.push((piece_start, last_cut));
            piece_start = last_cut;
        }
        last_cut = cut;
    }
    pieces.push((piece_start, len));
    pieces
}

struct Checker<'a> {
    code: &'a str,
    command_starts: &'a [usize],
    heredocs: &'a [Heredoc],
    checked: Checked,
}

impl Checker<'_> {
    /// Reports the command `code[start..end]` as too long to check.
    fn too_long(&mut self, start: usize, end: usize) {
        self.checked.unparsed.push((start, end));
        if self.checked.errors.len() < MAX_SYNTAX_ERRORS {
            let message = format!(
                "this command is {} bytes long; commands over {MAX_COMMAND_BYTES} bytes are too long to check",
                end - start
            );
            self.checked
                .errors
                .push(SyntaxError::at(self.code, start, message));
        }
    }

    /// Parses `code[start..end]`, recovering from errors.
    fn check_range(&mut self, start: usize, end: usize) {
        // Ranges still to parse, the next one last.
        let mut work = vec![(start, end)];
        while let Some((start, end)) = work.pop() {
            if self.code[start..end].trim().is_empty() {
                continue;
            }
            let Some(mut error) = syntax_error(&self.code[start..end]) else {
                continue;
            };
            error.offset += start;
            error.end += start;
            if self.checked.errors.len() >= MAX_SYNTAX_ERRORS {
                // Enough said: the rest of this range is left unchecked.
                self.checked.unparsed.push((start, end));
                continue;
            }
            if error.message.starts_with("unterminated here document") {
                self.explain_heredoc(&mut error, start, end);
            }
            // The complete command that holds the error, within the range.
            let at = error.offset.clamp(start, end - 1);
            let index = self.command_starts.partition_point(|&s| s <= at) - 1;
            let command_start = self.command_starts[index].max(start);
            let command_end = self
                .command_starts
                .get(index + 1)
                .map_or(end, |&next| next.min(end));
            self.checked.unparsed.push((command_start, command_end));
            self.checked.errors.push(error);
            work.push((command_end, end));
            work.push((start, command_start));
        }
    }

    /// Points an unterminated here document error at its `<<`.
    fn explain_heredoc(&self, error: &mut SyntaxError, start: usize, end: usize) {
        let Some(doc) = self
            .heredocs
            .iter()
            .find(|d| !d.terminated && (start..end).contains(&d.operator))
        else {
            return;
        };
        let delimiter = &doc.delimiter;
        error.offset = doc.operator;
        // The operator and its delimiter word.
        let line = &self.code[doc.operator..];
        let after_operator = line.trim_start_matches(['<', '-']);
        let word = after_operator.trim_start_matches([' ', '\t']);
        let word_len = word
            .find(|c: char| c.is_whitespace() || ";|&<>()".contains(c))
            .unwrap_or(word.len());
        error.end = self.code.len() - word.len() + word_len;
        error.message = format!(
            "unterminated here document: no line reads `{}` to end the body started here",
            crate::excerpt::quote(delimiter)
        );
        let body = &self.code[doc.start..doc.end];
        error.help = Some(match body.lines().find(|l| l.trim() == delimiter) {
            Some(line) => format!(
                "the line `{line}` is indented: the delimiter must be alone at the start of its line (`<<-` strips leading tabs only)"
            ),
            None => format!("end the here document with a line `{delimiter}`"),
        });
    }
}

/// Asks brush-parser whether `code` is valid bash.
pub(super) fn syntax_error(code: &str) -> Option<SyntaxError> {
    use brush_parser::{ParseError, TokenizerError};
    if let Some(at) = oversized_io_number(code) {
        return Some(SyntaxError::at(
            code,
            at,
            "file descriptor number out of range".to_string(),
        ));
    }
    if let Some(at) = missing_heredoc_delimiter(code) {
        return Some(SyntaxError::at(
            code,
            at,
            "a here document with no delimiter word after its `<<` (blank characters, empty quotes, an operator bash refuses there, or the end of the block): too unusual to check"
                .to_string(),
        ));
    }
    if let Some(at) = open_substitution_on_heredoc_line(code) {
        return Some(SyntaxError::at(
            code,
            at,
            "a `$(` or `${` that runs past the line of a here document's `<<`: too unusual to check"
                .to_string(),
        ));
    }
    let brush_input = with_heredoc_line_ended(code);
    if let Some(at) = open_paren_pairs(&brush_input) {
        return Some(SyntaxError::at(
            code,
            at,
            format!(
                "more than {} `((` left open at once; too deep to check",
                super::MAX_PAREN_RUN - 1
            ),
        ));
    }
    let parsed = parse_guarded(&brush_input);
    let Some(parsed) = parsed else {
        return Some(SyntaxError::at(
            code,
            code.len() - code.trim_start().len(),
            "bash's grammar could not be applied here (the parser failed): not checked".to_string(),
        ));
    };
    let error = parsed.err()?;
    let at_char = |index: usize| {
        code.char_indices()
            .nth(index)
            .map_or(code.len(), |(i, _)| i)
    };
    let (offset, message) = match &error {
        ParseError::ParsingNear(position) => (
            at_char(position.index),
            "syntax error near this token".to_string(),
        ),
        ParseError::ParsingAtEndOfInput => (
            code.trim_end().len(),
            "unexpected end of script (an unclosed `if`, loop, group or quote?)".to_string(),
        ),
        ParseError::Tokenizing { inner, position } => {
            let opened = match inner {
                TokenizerError::UnterminatedSingleQuote(p)
                | TokenizerError::UnterminatedDoubleQuote(p)
                | TokenizerError::UnterminatedAnsiCQuote(p)
                | TokenizerError::UnterminatedBackquote(p)
                | TokenizerError::UnterminatedExtendedGlob(p) => Some(p.index),
                _ => None,
            };
            let index = opened.or(position.as_ref().map(|p| p.index)).unwrap_or(0);
            let message = match inner {
                TokenizerError::UnterminatedSingleQuote(_) => {
                    "unterminated single quote".to_string()
                }
                TokenizerError::UnterminatedDoubleQuote(_) => {
                    "unterminated double quote".to_string()
                }
                TokenizerError::UnterminatedBackquote(_) => "unterminated backquote".to_string(),
                TokenizerError::UnterminatedHereDocuments(..) => {
                    "unterminated here document".to_string()
                }
                other => excerpt::line(&other.to_string(), excerpt::REASON).into_owned(),
            };
            (at_char(index), message)
        }
    };
    Some(SyntaxError::at(code, offset, message))
}

/// `code`, with a line end added when its last logical line (`\\` and a
/// line end continue one) is unended and holds a `<<`: brush-parser 0.4.0
/// loops allocating without end on a here document whose `<<` line the
/// text ends on, inside a `$(` left open (a chapter ending in an unclosed
/// bash fence reaches the checker so). After a lone `\\` at the end, one
/// line end would only continue the line, so two are added. The line ends
/// change no offset within `code`, and no verdict: bash reads the text
/// alike either way.
fn with_heredoc_line_ended(code: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |end: usize| {
        code.as_bytes()[..end]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count()
            % 2
            == 1
    };
    let mut line_start = code.len();
    let unended = loop {
        match code[..line_start].rfind('\n') {
            Some(newline) if escaped(newline) => line_start = newline,
            Some(newline) => break &code[newline + 1..],
            None => break code,
        }
    };
    if !unended.contains("<<") {
        return std::borrow::Cow::Borrowed(code);
    }
    let ends = if escaped(code.len()) { "\n\n" } else { "\n" };
    std::borrow::Cow::Owned(format!("{code}{ends}"))
}

/// brush-parser's verdict on `code`; `None` when it panicked (0.4.0 unwraps
/// in places that hostile input reaches). Its panics are caught, and kept
/// off stderr by a panic hook that stays silent for panics located in
/// brush-parser's own source and hands every other one to the hook before.
fn parse_guarded(
    code: &str,
) -> Option<Result<brush_parser::ast::Program, brush_parser::ParseError>> {
    quiet_brush_panics();
    std::panic::catch_unwind(|| {
        brush_parser::Parser::new(
            std::io::Cursor::new(code.as_bytes()),
            &brush_parser::ParserOptions::default(),
        )
        .parse_program()
    })
    .ok()
}

/// Installs, once, the panic hook that keeps brush-parser's panics off
/// stderr (see [`parse_guarded`]).
fn quiet_brush_panics() {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_brush = info
                .location()
                .is_some_and(|l| l.file().contains("brush-parser"));
            if !in_brush {
                previous(info);
            }
        }));
    });
}

/// The offset of the first I/O number (the `2` of `2>`) too large for a
/// file descriptor, which bash refuses and brush-parser 0.4.0 panics on (it
/// unwraps the number into an `i32`). Digits that start a word and touch a
/// `<` or `>` count, wherever they are (quoted, in a here document…): a
/// rare false error is better than a crash.
fn oversized_io_number(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || b" \t\r\n|&;()<>`".contains(&bytes[i - 1]);
        if !(bytes[i].is_ascii_digit() && starts_word) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if matches!(bytes.get(i), Some(b'<' | b'>')) && code[start..i].parse::<i32>().is_err() {
            return Some(start);
        }
    }
    None
}

/// The offset of the first `(` that leaves [`MAX_PAREN_RUN`](super::MAX_PAREN_RUN)
/// `(` tokens open right after another `(` token, in brush-parser's own
/// tokens (so its reading of quotes, comments and here documents, not a
/// guess at it). brush-parser tries two `(` in a row as an arithmetic
/// command, then as subshells, and the readings multiply: a dozen `((`
/// left open took it seconds, doubling with each. `None` when it cannot
/// tokenize the code (the parse then fails at once).
fn open_paren_pairs(code: &str) -> Option<usize> {
    use brush_parser::Token;
    quiet_brush_panics();
    let tokens = std::panic::catch_unwind(|| brush_parser::tokenize_str(code))
        .ok()?
        .ok()?;
    let mut open: Vec<bool> = Vec::new();
    let mut pairs = 0usize;
    let mut after_open = false;
    for token in &tokens {
        match token {
            Token::Operator(op, span) if op == "(" => {
                open.push(after_open);
                if after_open {
                    pairs += 1;
                    if pairs >= super::MAX_PAREN_RUN {
                        return Some(
                            code.char_indices()
                                .nth(span.start.index)
                                .map_or(code.len(), |(i, _)| i),
                        );
                    }
                }
                after_open = true;
            }
            Token::Operator(op, _) if op == ")" => {
                if open.pop() == Some(true) {
                    pairs -= 1;
                }
                after_open = false;
            }
            _ => after_open = false,
        }
    }
    None
}

/// The offset of the `<<` of a here document with no delimiter word: only
/// form feeds, carriage returns and quotes (`<<''`, valid but rare), an
/// operator (`(`, `;`, `|`…, which bash refuses there), or the end of the
/// text (a chapter that ends inside an unclosed fence). brush-parser 0.4.0
/// may end up with an empty
/// delimiter, which every token ends with, and loop allocating without end
/// when no line end follows (a form feed; an operator inside a `$(` left
/// open). A run of `<` reads as `<<<`s first, as bash reads it; quotes are
/// not read (a rare false error, never a hang).
fn missing_heredoc_delimiter(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let run_start = i;
        while bytes.get(i) == Some(&b'<') {
            i += 1;
        }
        if (i - run_start) % 3 != 2 {
            continue;
        }
        let operator = i - 2;
        let mut word = i + usize::from(bytes.get(i) == Some(&b'-'));
        while matches!(bytes.get(word), Some(b' ' | b'\t')) {
            word += 1;
        }
        let end = word
            + bytes[word..]
                .iter()
                .position(|b| b" \t\n;|&<>()".contains(b))
                .unwrap_or(bytes.len() - word);
        let delimiter = &bytes[word..end];
        // Nothing once leading form feeds and carriage returns are trimmed
        // and quotes removed (`''`), as brush-parser reads it.
        let trimmed = delimiter
            .iter()
            .position(|&b| !matches!(b, 0x0c | b'\r'))
            .map_or(&[][..], |at| &delimiter[at..]);
        let blank = !delimiter.is_empty() && trimmed.iter().all(|&b| matches!(b, b'\'' | b'"'));
        let operator_follows =
            delimiter.is_empty() && bytes.get(word).is_some_and(|b| b";|&<>()".contains(b));
        let text_ends = word == bytes.len();
        if blank || operator_follows || text_ends {
            return Some(operator);
        }
    }
    None
}

/// The offset of a `$(` or `${` left open at the end of a line (a logical
/// line: `\\` continues it) that holds a here document's `<<`, after the
/// `<<`: brush-parser 0.4.0 panics on one once it reads the body (its
/// tokenizer unwraps a character past the end). Quotes are not read, so
/// this errs on the side of an error, never of a crash.
fn open_substitution_on_heredoc_line(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let (mut heredoc, mut depth, mut opened) = (false, 0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'\\' if next == Some(b'\n') => i += 1,
            b'\n' if heredoc && depth > 0 => return Some(opened),
            b'\n' => (heredoc, depth) = (false, 0),
            b'<' if next == Some(b'<') => {
                heredoc = true;
                i += 1;
            }
            b'$' if heredoc && matches!(next, Some(b'(' | b'{')) => {
                if depth == 0 {
                    opened = i;
                }
                depth += 1;
                i += 1;
            }
            b'(' | b'{' if depth > 0 => depth += 1,
            b')' | b'}' if depth > 0 => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_at_command_starts_only() {
        assert_eq!(pieces(10, &[0, 4]), [(0, 10)]);
        let n = PIECE_BYTES;
        let starts = [0, n / 2, n, n + n / 2, 3 * n + 1];
        assert_eq!(
            pieces(4 * n, &starts),
            [
                (0, n),
                (n, n + n / 2),
                (n + n / 2, 3 * n + 1),
                (3 * n + 1, 4 * n)
            ]
        );
        // One command longer than a piece is a piece of its own.
        assert_eq!(
            pieces(3 * n, &[0, 1, 2 * n + 2]),
            [(0, 1), (1, 2 * n + 2), (2 * n + 2, 3 * n)]
        );
    }

    /// brush-parser 0.4.0 unwraps an I/O number (`2>`) into an `i32`: a
    /// larger one (`99999999999>file`) panicked the checker.
    #[test]
    fn regression_oversized_file_descriptor_is_an_error_not_a_panic() {
        let code = "echo hi\necho x 99999999999>/tmp/out\n";
        let error = syntax_error(code).expect("an error");
        assert_eq!(error.offset, code.find("999").unwrap());
        assert!(error.message.contains("file descriptor"), "{error:?}");
        let analysis = crate::shell::analyze(code);
        assert_eq!(analysis.syntax_errors.len(), 1);
        assert!(analysis.commands[0].parsed && !analysis.commands[1].parsed);
        // In a substitution too; a number that is not a redirection's is fine.
        assert!(syntax_error("a=`99999999999>x`").is_some());
        assert!(syntax_error("echo 99999999999 >x; echo a99999999999>x 2>&1").is_none());
    }

    /// brush-parser 0.4.0 panics (its tokenizer unwraps a character past
    /// the end) on a `$(` or `${` left open on the line of a here
    /// document's `<<`, once the body is read.
    #[test]
    fn regression_open_substitution_on_a_heredoc_line_is_an_error_not_a_panic() {
        for code in [
            "<<EOF $(\n)\nEOF",
            "cat <<EOF $(echo\n)\nEOF\n",
            "cat <<EOF ${a\n}\nEOF\n",
            "cat <<-EOF \"$( (\n) )\"\nEOF\n",
            "echo ok\nx <<A <<B \\\n $(\n)\nA\nB\n",
        ] {
            let error = syntax_error(code).expect("an error");
            assert_eq!(error.offset, code.find('$').unwrap(), "{code:?}");
            assert!(!crate::shell::analyze(code).syntax_errors.is_empty());
        }
        assert!(syntax_error("cat <<EOF $(echo a) ${b}\nx\nEOF\n").is_none());
    }

    /// `((` left open line after line, where a quote only bash's reading
    /// shows (in a here document, in `$'…'`) hides them from a plain scan:
    /// brush-parser's own tokens are counted before it parses, since it
    /// took seconds, doubling with each (found after the shell fuzz target
    /// found such a scan misled by a comment).
    #[test]
    fn regression_open_double_parentheses_are_counted_in_brush_tokens() {
        let started = std::time::Instant::now();
        for hidden in ["cat <<EOF\n'\nEOF\n", "echo $'\\''\n", "echo a;# \"\n"] {
            let code = format!("{hidden}{}", "((x\n".repeat(16));
            let error = syntax_error(&code).expect("an error");
            assert!(error.message.contains("too deep"), "{code:?}: {error:?}");
            assert_eq!(&code[error.offset..error.offset + 1], "(", "{code:?}");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        for fine in [
            "((x))\n((y))\n((z))\n((a))\n((b))\n((c))\n((d))\n((e))\n",
            "echo \"((((((((((((\"\n",
            "cat <<EOF\n((((((((((((\nEOF\n",
        ] {
            assert_eq!(syntax_error(fine), None, "{fine:?}");
        }
    }

    /// Found by the shell fuzz target: a here document whose delimiter is
    /// only form feeds or carriage returns, not followed by a line end,
    /// sent brush-parser 0.4.0 into a loop that allocates without end (it
    /// trims the delimiter to nothing, which every token ends with).
    #[test]
    fn regression_a_blank_here_document_delimiter_is_an_error_not_a_hang() {
        for code in [
            "cat <<\x0c ",
            "cat <<\x0c|echo a ",
            "x <<- \x0c\r\x0c\t",
            "cat <<<<<\x0c ",
        ] {
            let error = syntax_error(code).expect("an error");
            assert_eq!(error.offset, code.rfind("<<").unwrap(), "{code:?}");
            assert!(!crate::shell::analyze(code).syntax_errors.is_empty());
        }
        // An operator where the delimiter should be (bash refuses it),
        // inside a `$(` left open: the same loop (found by the shell fuzz
        // target).
        // And an empty quoted delimiter (`<<''`, valid bash, but empty to
        // brush-parser too) on the last line.
        for code in [
            "$(<< (w ",
            "echo $(a <<- ((ws ecr des;; x ",
            "$(<< ;;w ",
            "cat <<'' ",
            "cat <<\"\" ",
            // The end of the text right after `<<` (and blanks), inside a
            // `$(` left open: the same loop (found by the shell fuzz
            // target; a chapter ending in an unclosed bash fence reaches
            // the checker so).
            "$(<<  ",
            "echo $(cat <<",
            "cat <<- \t",
        ] {
            let error = syntax_error(code).expect("an error");
            assert_eq!(error.offset, code.find("<<").unwrap(), "{code:?}");
        }
        for fine in [
            "cat <<<\x0c ",
            "cat <<EOF\r\nx\r\nEOF\r\n",
            "cat <<'\x0c'\nx\n'\x0c'\n",
        ] {
            assert!(
                syntax_error(fine).is_none_or(|e| !e.message.contains("blank")),
                "{fine:?}"
            );
        }
    }

    /// Found by the shell fuzz target (after 22,396 runs): the text ending
    /// on the line of a here document's `<<`, a word after it, inside a
    /// `$(` left open, sent brush-parser 0.4.0 into a loop that allocates
    /// without end (its tokenizer, so the `((` count as well as the parse).
    /// A chapter ending in an unclosed bash fence reaches the checker so.
    /// The same on a logical line that a `\\` continues, then ends (found
    /// by the same target after 421,607 runs of the first fix, which only
    /// looked at the last physical line).
    #[test]
    fn regression_text_ending_on_a_heredoc_line_is_an_error_not_a_hang() {
        for code in [
            "$(<<  a ",
            "$(cat <<  a ",
            "echo $(<<-  a",
            "$(<<EOF",
            "$(<<  a \\",
            "$(<<  a \\\n",
            "$(<<  a \\\n\\",
            "$(<<  a \\\\\\",
        ] {
            let error = syntax_error(code).expect("an error");
            assert!(error.offset <= code.len(), "{code:?}: {error:?}");
            assert!(!crate::shell::analyze(code).syntax_errors.is_empty());
        }
        for fine in [
            "echo $((1<<2))",
            "cat <<EOF\nx\nEOF\n",
            "echo $((1<<2)) <<<a",
        ] {
            assert_eq!(syntax_error(fine), None, "{fine:?}");
        }
    }

    /// The same tokenizer panic with brackets of two kinds on the line
    /// (`$("$(F)"}`): every panic of brush-parser is caught.
    #[test]
    fn regression_brush_parser_panics_are_errors() {
        let code = "at<<EOF $(\"$(F)\"}\nEOF";
        assert!(syntax_error(code).is_some());
        assert!(!crate::shell::analyze(code).syntax_errors.is_empty());
    }
}
