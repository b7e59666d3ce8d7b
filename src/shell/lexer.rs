//! A bash lexer that keeps exact byte spans.
//!
//! It splits a script into words and operators the way bash does for the
//! constructs runbooks use: quotes, backslash escapes, line continuations,
//! comments, `$(…)`, `` `…` ``, `${…}`, `$((…))`, redirections and here
//! documents. Each [`Word`] carries its raw span, its unquoted value and a
//! map from the value back to the code (one entry per run of contiguous
//! bytes, not per byte), so a finding inside a JSON argument lands on the
//! right character. A here document's body becomes one [`Heredoc`] token,
//! with the command substitutions bash expands in it. Syntax *errors* are
//! not this module's business: brush-parser decides those (see
//! `shell/mod.rs`); the lexer just stops at what it cannot read. It never
//! recurses, and each byte is read a bounded number of times per nesting
//! level of `$(…)`.

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte span of the raw word in the code.
    pub start: usize,
    pub end: usize,
    /// The value after quote removal (expansions are left as written).
    pub value: String,
    /// The code offset of the value's first byte: the start of its first run
    /// of bytes contiguous in the code.
    first_run: usize,
    /// `(value index, code offset)` at the start of each later run, in order
    /// (empty, so not allocated, for most words).
    runs: Vec<(usize, usize)>,
    /// True when the value depends on the environment: `$var`, `${…}`,
    /// `$(…)` or backquotes outside single quotes.
    pub dynamic: bool,
    /// Code spans of the *insides* of `$(…)` and `` `…` ``.
    pub substitutions: Vec<(usize, usize)>,
}

impl Word {
    /// The code offset of byte `i` of the value (the word's end for the
    /// end of the value).
    pub fn code_offset(&self, i: usize) -> usize {
        if i >= self.value.len() {
            return self.end;
        }
        match self.runs.partition_point(|&(at, _)| at <= i) {
            0 => self.first_run + i,
            run => {
                let (at, code) = self.runs[run - 1];
                code + (i - at)
            }
        }
    }
}

/// A here document: the body bash reads after the line of its `<<`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Offset of the `<<` or `<<-` operator.
    pub operator: usize,
    /// The delimiter, quotes removed.
    pub delimiter: String,
    /// The body, from the line after the operator's through the delimiter
    /// line (or the end of the code when no line closes it).
    pub start: usize,
    pub end: usize,
    /// Whether a delimiter line ends the body.
    pub terminated: bool,
    /// Code spans of the insides of `$(…)` and `` `…` `` in the body; empty
    /// when the delimiter is quoted (bash expands nothing then).
    pub substitutions: Vec<(usize, usize)>,
}

/// A lexed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(Word),
    /// A control operator that ends a simple command: `|`, `||`, `&&`, `;`,
    /// `;;`, `&`, `|&`, `(`, `)` or a newline.
    Separator {
        start: usize,
        end: usize,
    },
    /// A redirection operator (`>`, `2>&1`, `<<EOF`'s `<<`…); the word that
    /// follows is its target, not an argument.
    Redirect {
        start: usize,
        end: usize,
        heredoc: bool,
    },
    /// A here document's body, after the newline that ends its operator's
    /// line.
    HeredocBody(Heredoc),
}

/// Lexes `code` from `start` to `end`, one token at a time (no token list
/// is built: a block of millions of words is read in constant extra space).
pub fn lex(code: &str, start: usize, end: usize) -> Lexer<'_> {
    Lexer::new(code, start, end, false)
}

/// Lexes the insides of a backquote substitution, `code[start..end]`, where
/// `` \` `` opens and closes a nested one.
pub fn lex_in_backquotes(code: &str, start: usize, end: usize) -> Lexer<'_> {
    Lexer::new(code, start, end, true)
}

/// The lexer: an iterator over the tokens of a range of the code.
pub struct Lexer<'a> {
    code: &'a [u8],
    text: &'a str,
    pos: usize,
    end: usize,
    /// Tokens read but not yet returned (a newline and the here document
    /// bodies after it).
    queue: std::collections::VecDeque<Token>,
    /// The `<<` just read, waiting for its delimiter word.
    expect_heredoc_delimiter: Option<HeredocOperator>,
    /// Here documents whose bodies start at the next newline.
    pending_heredocs: Vec<PendingHeredoc>,
    /// Lexing the insides of backquotes.
    in_backquotes: bool,
    /// The end was reached and the last bodies read.
    done: bool,
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        loop {
            if let Some(token) = self.queue.pop_front() {
                return Some(token);
            }
            if self.pos < self.end {
                self.step();
            } else if !self.done {
                // Bodies announced on the last line, which has no newline.
                self.done = true;
                self.heredoc_bodies();
            } else {
                return None;
            }
        }
    }
}

/// A here document whose operator and delimiter were read.
struct PendingHeredoc {
    operator: usize,
    delimiter: String,
    strip_tabs: bool,
    /// False when the delimiter is quoted: the body is then taken literally.
    expands: bool,
}

/// An operator `<<` or `<<-` waiting for its delimiter word.
#[derive(Clone, Copy)]
struct HeredocOperator {
    start: usize,
    strip_tabs: bool,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        let i = self.pos + ahead;
        (i < self.end).then(|| self.code[i])
    }

    fn new(code: &str, start: usize, end: usize, in_backquotes: bool) -> Lexer<'_> {
        Lexer {
            code: code.as_bytes(),
            text: code,
            pos: start,
            end,
            queue: std::collections::VecDeque::new(),
            expect_heredoc_delimiter: None,
            pending_heredocs: Vec::new(),
            in_backquotes,
            done: false,
        }
    }

    /// Reads what starts at `pos`: blanks and comments (no token), or the
    /// next token, queued.
    fn step(&mut self) {
        let b = self.code[self.pos];
        match b {
            b' ' | b'\t' | b'\r' => self.pos += 1,
            b'\\' if self.peek(1) == Some(b'\n') => self.pos += 2,
            b'#' => {
                while self.pos < self.end && self.code[self.pos] != b'\n' {
                    self.pos += 1;
                }
            }
            b'\n' => {
                self.queue.push_back(Token::Separator {
                    start: self.pos,
                    end: self.pos + 1,
                });
                self.pos += 1;
                self.heredoc_bodies();
            }
            b'|' | b'&' | b';' | b'(' | b')' => {
                let start = self.pos;
                let two = self.peek(1);
                let len = match (b, two) {
                    (b'|', Some(b'|'))
                    | (b'&', Some(b'&'))
                    | (b';', Some(b';'))
                    | (b'|', Some(b'&')) => 2,
                    (b'&', Some(b'>')) => {
                        // `&>` / `&>>`: redirect both streams.
                        let len = if self.peek(2) == Some(b'>') { 3 } else { 2 };
                        self.pos += len;
                        self.queue.push_back(Token::Redirect {
                            start,
                            end: self.pos,
                            heredoc: false,
                        });
                        return;
                    }
                    _ => 1,
                };
                self.pos += len;
                self.queue.push_back(Token::Separator {
                    start,
                    end: self.pos,
                });
            }
            b'<' | b'>' => {
                let token = self.redirect(self.pos);
                self.queue.push_back(token);
            }
            b'0'..=b'9' if self.is_fd_redirect() => {
                let start = self.pos;
                while self.code[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                let token = self.redirect(start);
                self.queue.push_back(token);
            }
            _ => {
                let word = self.word();
                if let Some(operator) = self.expect_heredoc_delimiter.take() {
                    let raw = &self.text[word.start..word.end];
                    self.pending_heredocs.push(PendingHeredoc {
                        operator: operator.start,
                        delimiter: word.value.clone(),
                        strip_tabs: operator.strip_tabs,
                        expands: !raw.contains(['\'', '"', '\\']),
                    });
                }
                self.queue.push_back(Token::Word(word));
            }
        }
    }

    /// `2>`, `2>>`, `2>&1`…: digits immediately followed by `<` or `>`.
    fn is_fd_redirect(&self) -> bool {
        let mut i = self.pos;
        while i < self.end && self.code[i].is_ascii_digit() {
            i += 1;
        }
        i < self.end && matches!(self.code[i], b'<' | b'>')
    }

    fn redirect(&mut self, start: usize) -> Token {
        let rest = &self.text[self.pos..self.end];
        let here = self.pos;
        let operator = |strip_tabs| {
            Some(HeredocOperator {
                start: here,
                strip_tabs,
            })
        };
        let (len, heredoc) = if rest.starts_with("<<<") {
            (3, false)
        } else if rest.starts_with("<<-") {
            self.expect_heredoc_delimiter = operator(true);
            (3, true)
        } else if rest.starts_with("<<") {
            self.expect_heredoc_delimiter = operator(false);
            (2, true)
        } else if rest.starts_with(">>")
            || rest.starts_with(">&")
            || rest.starts_with("<&")
            || rest.starts_with(">|")
            || rest.starts_with("<>")
        {
            (2, false)
        } else {
            (1, false)
        };
        self.pos += len;
        // `2>&1`, `>&-`: the target is part of the operator.
        if rest.as_bytes().get(len - 1) == Some(&b'&') {
            while self.pos < self.end
                && (self.code[self.pos].is_ascii_digit() || self.code[self.pos] == b'-')
            {
                self.pos += 1;
            }
        }
        Token::Redirect {
            start,
            end: self.pos,
            heredoc,
        }
    }

    /// Reads the bodies of the here documents announced on the line that
    /// just ended, one token each.
    fn heredoc_bodies(&mut self) {
        for pending in std::mem::take(&mut self.pending_heredocs) {
            let start = self.pos;
            let mut content_end = self.end;
            let mut terminated = false;
            while self.pos < self.end {
                let line_start = self.pos;
                let line_end = self.text[self.pos..self.end]
                    .find('\n')
                    .map_or(self.end, |i| self.pos + i);
                let line = &self.text[self.pos..line_end];
                let line = if pending.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                self.pos = (line_end + 1).min(self.end);
                if line.trim_end_matches('\r') == pending.delimiter {
                    content_end = line_start;
                    terminated = true;
                    break;
                }
            }
            let end = if terminated { self.pos } else { self.end };
            let substitutions = if pending.expands {
                self.substitutions_in(start, content_end)
            } else {
                Vec::new()
            };
            self.queue.push_back(Token::HeredocBody(Heredoc {
                operator: pending.operator,
                delimiter: pending.delimiter,
                start,
                end,
                terminated,
                substitutions,
            }));
        }
    }

    /// The command substitutions of text where quotes are literal and only
    /// `\`, `$` and backquotes are special: an unquoted here document body.
    fn substitutions_in(&mut self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let (saved_pos, saved_end) = (self.pos, self.end);
        let mut found = Vec::new();
        self.pos = start;
        self.end = end;
        while self.pos < self.end {
            match self.code[self.pos] {
                b'\\' => self.pos += 2,
                b'$' | b'`' => {
                    self.dollar_or_backquote(&mut found);
                }
                _ => self.pos += 1,
            }
        }
        self.pos = saved_pos;
        self.end = saved_end;
        found
    }

    fn word(&mut self) -> Word {
        let start = self.pos;
        let mut value = String::new();
        let mut runs = Vec::new();
        let mut dynamic = false;
        let mut substitutions = Vec::new();
        while self.pos < self.end {
            let b = self.code[self.pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>' => {
                    break;
                }
                b'\\' => {
                    if self.peek(1) == Some(b'\n') {
                        self.pos += 2;
                    } else if self.in_backquotes && self.peek(1) == Some(b'`') {
                        // `\`…\`` inside backquotes: a nested substitution.
                        let from = self.pos;
                        let inner = from + 2;
                        let close = self.text[inner..self.end]
                            .find("\\`")
                            .map_or(self.end, |i| inner + i);
                        substitutions.push((inner, close));
                        self.pos = (close + 2).min(self.end);
                        dynamic = true;
                        push_text(&mut value, &mut runs, &self.text[from..self.pos], from);
                    } else if let Some(ch) = self.char_at(self.pos + 1) {
                        push_text(&mut value, &mut runs, ch, self.pos + 1);
                        self.pos += 1 + ch.len();
                    } else {
                        self.pos += 1;
                    }
                }
                b'\'' => {
                    let open = self.pos;
                    let close = self.text[open + 1..self.end]
                        .find('\'')
                        .map_or(self.end, |i| open + 1 + i);
                    push_text(&mut value, &mut runs, &self.text[open + 1..close], open + 1);
                    self.pos = (close + 1).min(self.end);
                }
                b'"' => {
                    self.pos += 1;
                    while self.pos < self.end && self.code[self.pos] != b'"' {
                        match self.code[self.pos] {
                            b'\\' if matches!(self.peek(1), Some(b'"' | b'\\' | b'$' | b'`')) => {
                                push_text(
                                    &mut value,
                                    &mut runs,
                                    &self.text[self.pos + 1..self.pos + 2],
                                    self.pos + 1,
                                );
                                self.pos += 2;
                            }
                            b'\\' if self.peek(1) == Some(b'\n') => self.pos += 2,
                            b'$' | b'`' => {
                                dynamic |=
                                    self.take_expansion(&mut value, &mut runs, &mut substitutions)
                            }
                            _ => self.take_char(&mut value, &mut runs),
                        }
                    }
                    self.pos = (self.pos + 1).min(self.end);
                }
                b'$' | b'`' => {
                    dynamic |= self.take_expansion(&mut value, &mut runs, &mut substitutions)
                }
                _ => self.take_char(&mut value, &mut runs),
            }
        }
        let (first_run, runs) = match runs.split_first() {
            Some((&(_, code), rest)) => (code, rest.to_vec()),
            None => (start, Vec::new()),
        };
        Word {
            start,
            end: self.pos,
            value,
            first_run,
            runs,
            dynamic,
            substitutions,
        }
    }

    /// Copies the expansion at `pos` into the value as written; true when it
    /// is a real expansion (the value then depends on the environment).
    fn take_expansion(
        &mut self,
        value: &mut String,
        runs: &mut Vec<(usize, usize)>,
        substitutions: &mut Vec<(usize, usize)>,
    ) -> bool {
        let from = self.pos;
        let dynamic = self.dollar_or_backquote(substitutions);
        push_text(value, runs, &self.text[from..self.pos], from);
        dynamic
    }

    /// Copies the character at `pos` into the value.
    fn take_char(&mut self, value: &mut String, runs: &mut Vec<(usize, usize)>) {
        let ch = self.char_at(self.pos).unwrap_or("?");
        push_text(value, runs, ch, self.pos);
        self.pos += ch.len();
    }

    fn char_at(&self, i: usize) -> Option<&str> {
        let ch = self.text.get(i..self.end)?.chars().next()?;
        Some(&self.text[i..i + ch.len_utf8()])
    }

    /// Consumes `$…` or `` `…` `` at `pos`. Returns whether it is an expansion
    /// (a lone `$` is literal). Records the insides of command substitutions.
    fn dollar_or_backquote(&mut self, substitutions: &mut Vec<(usize, usize)>) -> bool {
        let start = self.pos;
        if self.code[start] == b'`' {
            // The first backquote not escaped: `\`` inside is a nested one.
            let mut close = start + 1;
            while close < self.end && self.code[close] != b'`' {
                close += if self.code[close] == b'\\' { 2 } else { 1 };
            }
            let close = close.min(self.end);
            substitutions.push((start + 1, close));
            self.pos = (close + 1).min(self.end);
            return true;
        }
        match self.peek(1) {
            Some(b'(') if self.peek(2) == Some(b'(') => {
                self.pos = self.matching(start + 1, b'(', b')');
                true
            }
            Some(b'(') => {
                let close = self.matching(start + 1, b'(', b')');
                // The inside, without the `)` (an unclosed one runs to the
                // end of the code).
                let inside_end = if close > start + 2 && self.code[close - 1] == b')' {
                    close - 1
                } else {
                    close
                };
                substitutions.push((start + 2, inside_end));
                self.pos = close;
                true
            }
            Some(b'{') => {
                self.pos = self.matching(start + 1, b'{', b'}');
                true
            }
            Some(c) if c.is_ascii_alphanumeric() || b"_@*#?$!-".contains(&c) => {
                self.pos += 2;
                if c.is_ascii_alphabetic() || c == b'_' {
                    while self.pos < self.end
                        && (self.code[self.pos].is_ascii_alphanumeric()
                            || self.code[self.pos] == b'_')
                    {
                        self.pos += 1;
                    }
                }
                true
            }
            _ => {
                self.pos += 1;
                false
            }
        }
    }

    /// The offset just past the bracket that closes the one at `open`,
    /// skipping quoted text. The end of the input when unbalanced.
    fn matching(&self, open: usize, left: u8, right: u8) -> usize {
        let mut depth = 0usize;
        let mut i = open;
        while i < self.end {
            match self.code[i] {
                b'\\' => i += 1,
                b'\'' => {
                    i = self.text[i + 1..self.end]
                        .find('\'')
                        .map_or(self.end, |j| i + 1 + j);
                }
                b'"' => {
                    let mut j = i + 1;
                    while j < self.end && self.code[j] != b'"' {
                        if self.code[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    i = j;
                }
                c if c == left => depth += 1,
                c if c == right => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.end
    }
}

/// Appends `text`, found at code offset `at`, to a word's value and map
/// of runs (extending the last run when `text` follows it in the code).
fn push_text(value: &mut String, runs: &mut Vec<(usize, usize)>, text: &str, at: usize) {
    let continues = runs
        .last()
        .is_some_and(|&(index, code)| code + (value.len() - index) == at);
    if !continues && !text.is_empty() {
        runs.push((value.len(), at));
    }
    value.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(code: &str) -> Vec<String> {
        lex(code, 0, code.len())
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.value),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn splits_and_unquotes() {
        let cases: [(&str, &[&str]); 9] = [
            (
                "aws ecs list-tasks --cluster c",
                &["aws", "ecs", "list-tasks", "--cluster", "c"],
            ),
            ("a \\\n  b", &["a", "b"]),
            ("echo 'a b' \"c d\" e\\ f", &["echo", "a b", "c d", "e f"]),
            ("echo \"x \\\"y\\\" \\$z\"", &["echo", "x \"y\" $z"]),
            ("a | b && c; d # comment\ne", &["a", "b", "c", "d", "e"]),
            (
                "echo $(date -u +%Y) ${X:-y} $((1+2))",
                &["echo", "$(date -u +%Y)", "${X:-y}", "$((1+2))"],
            ),
            ("cmd 2>&1 >out.txt", &["cmd", "out.txt"]),
            (
                "cat <<EOF\nbody | not a command\nEOF\nnext",
                &["cat", "EOF", "next"],
            ),
            ("echo '{\n  \"a\": 1\n}'", &["echo", "{\n  \"a\": 1\n}"]),
        ];
        for (code, expected) in cases {
            assert_eq!(words(code), expected, "{code:?}");
        }
    }

    #[test]
    fn offsets_map_values_to_code() {
        let code = "x --q 'tasks[0].{A:b}' \"é $V\"";
        let tokens: Vec<Token> = lex(code, 0, code.len()).collect();
        let Token::Word(query) = &tokens[2] else {
            panic!()
        };
        assert_eq!(query.value, "tasks[0].{A:b}");
        let brace = query.value.find('{').unwrap();
        assert_eq!(
            &code[query.code_offset(brace)..query.code_offset(brace) + 1],
            "{"
        );
        assert!(!query.dynamic);
        let Token::Word(last) = &tokens[3] else {
            panic!()
        };
        assert!(last.dynamic);
        assert_eq!(last.value, "é $V");
        assert_eq!(&code[last.code_offset(3)..last.end - 1], "$V");
    }

    #[test]
    fn substitutions_are_recorded() {
        let code = "aws ecs describe-tasks --tasks $(aws ecs list-tasks --query 'taskArns')";
        let tokens: Vec<Token> = lex(code, 0, code.len()).collect();
        let Token::Word(w) = tokens.last().unwrap() else {
            panic!()
        };
        assert!(w.dynamic);
        let (s, e) = w.substitutions[0];
        assert_eq!(&code[s..e], "aws ecs list-tasks --query 'taskArns'");
    }

    /// An unclosed `$(` ran to the end of the code, less one byte for a
    /// `)` that was not there: inside a last multibyte character (found by
    /// the shell fuzz target).
    #[test]
    fn regression_an_unclosed_substitution_keeps_its_last_character() {
        for (code, inside) in [("echo $(é", "é"), ("$(a ( b )", "a ( b "), ("$(x)", "x")] {
            let tokens: Vec<Token> = lex(code, 0, code.len()).collect();
            let Some(Token::Word(w)) = tokens.last() else {
                panic!("{code}")
            };
            let (s, e) = w.substitutions[0];
            assert_eq!(code.get(s..e), Some(inside), "{code}");
        }
    }

    #[test]
    fn separators_and_redirects() {
        let code = "a | b || c &> log";
        let kinds: Vec<&str> = lex(code, 0, code.len())
            .collect::<Vec<_>>()
            .iter()
            .map(|t| match t {
                Token::Word(_) => "w",
                Token::Separator { .. } => "s",
                Token::Redirect { .. } => "r",
                Token::HeredocBody(_) => "h",
            })
            .collect();
        assert_eq!(kinds, ["w", "s", "w", "s", "w", "r", "w"]);
    }

    #[test]
    fn heredoc_bodies_are_tokens() {
        let code =
            "cat <<EOF >out\n$(date) `id` \\$(no)\nEOF\ncat <<-'END'\n\t$(no)\n\tEND\ntail <<X";
        let bodies: Vec<Heredoc> = lex(code, 0, code.len())
            .filter_map(|t| match t {
                Token::HeredocBody(body) => Some(body),
                _ => None,
            })
            .collect();
        assert_eq!(bodies.len(), 3);
        assert_eq!(
            &code[bodies[0].start..bodies[0].end],
            "$(date) `id` \\$(no)\nEOF\n"
        );
        assert_eq!(bodies[0].operator, code.find("<<EOF").unwrap());
        assert!(bodies[0].terminated);
        let subs: Vec<&str> = bodies[0]
            .substitutions
            .iter()
            .map(|&(s, e)| &code[s..e])
            .collect();
        assert_eq!(subs, ["date", "id"]);
        assert_eq!(bodies[1].delimiter, "END");
        assert!(bodies[1].terminated && bodies[1].substitutions.is_empty());
        assert!(!bodies[2].terminated);
        assert_eq!(bodies[2].start, code.len());
    }

    /// Every value byte had its own `usize` of map: 8 bytes of map per byte
    /// of a long argument. The map now holds one entry per quoted or
    /// escaped run.
    #[test]
    fn the_offset_map_is_one_entry_per_run() {
        let long = "x".repeat(100_000);
        let code = format!("echo '{long}'a\\ b\"c\"");
        let tokens: Vec<Token> = lex(&code, 0, code.len()).collect();
        let Token::Word(word) = &tokens[1] else {
            panic!()
        };
        assert_eq!(word.value, format!("{long}a bc"));
        assert!(word.runs.len() <= 3, "{:?}", word.runs);
        let Token::Word(plain) = &tokens[0] else {
            panic!()
        };
        assert_eq!((plain.first_run, plain.runs.len()), (0, 0));
        for i in [0, 99_999, 100_000, 100_001, 100_002, 100_003] {
            let at = word.code_offset(i);
            assert_eq!(code.as_bytes()[at], word.value.as_bytes()[i], "{i}");
        }
        assert_eq!(word.code_offset(word.value.len()), word.end);
    }

    #[test]
    fn garbage_does_not_panic() {
        for code in [
            "'", "\"", "$(", "${", "`", "\\", "a\\", "$((", "<<", "2>", "é'ü", "\"$(\"", "x 2",
            "<<EOF",
        ] {
            let _ = lex(code, 0, code.len());
        }
    }
}
