//! The outline of a shell block, read from the lexer's tokens in one walk:
//! its simple commands (descending into `$(…)`, backquotes and the
//! substitutions of unquoted here documents), where each top-level complete
//! command starts, and how deep the block nests.
//!
//! The walk never trusts input to be shallow: it counts every level that
//! bash's grammar (and so brush-parser) recurses on — subshells `(…)`,
//! groups `{…}`, `if`, `case`, loops, command substitutions — and stops
//! descending past [`MAX_NESTING`](super::MAX_NESTING), so its own recursion
//! is bounded too. It does not decide whether the block is valid bash; it
//! only finds the places where the block can be cut into pieces that parse
//! on their own (see `syntax.rs`).

use super::lexer::{Heredoc, Token, Word, lex, lex_in_backquotes};
use super::{Command, MAX_NESTING};

/// Reserved words that may precede a command on the same line.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
    "esac",
];

/// A construct that bash's grammar nests: it opens a level until it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Subshell,
    Group,
    If,
    Case,
    Loop,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Outline {
    /// Simple commands, those inside substitutions before the command
    /// around them.
    pub commands: Vec<Command>,
    /// Offsets where top-level complete commands start; the first is 0.
    pub command_starts: Vec<usize>,
    /// Every here document, nested ones included.
    pub heredocs: Vec<Heredoc>,
    /// The deepest nesting seen.
    pub depth: usize,
    /// Where the nesting first passed the limit.
    pub too_deep_at: Option<usize>,
    descend: bool,
}

/// Walks `code` (foreign text already masked); `descend` says whether to
/// read the insides of substitutions.
pub fn outline(code: &str, descend: bool) -> Outline {
    let mut outline = Outline {
        command_starts: vec![0],
        descend,
        ..Outline::default()
    };
    outline.walk(code, 0, code.len(), 0);
    outline
}

impl Outline {
    fn note_depth(&mut self, depth: usize, at: usize) {
        self.depth = self.depth.max(depth);
        if depth > MAX_NESTING && self.too_deep_at.is_none() {
            self.too_deep_at = Some(at);
        }
    }

    /// The substitution `code[start..end]`, at nesting `depth`.
    fn descend(&mut self, code: &str, start: usize, end: usize, depth: usize) {
        self.note_depth(depth, start);
        if self.descend && depth <= MAX_NESTING {
            self.walk(code, start, end, depth);
        }
    }

    /// Walks `code[start..end]`; `base` is the nesting around it (0 for
    /// the block itself).
    fn walk(&mut self, code: &str, start: usize, end: usize, base: usize) {
        let top = base == 0;
        let mut open: Vec<Opener> = Vec::new();
        let mut current: Vec<Word> = Vec::new();
        let mut skip_next_word = false;
        let mut in_header = false; // inside `for … in …` / `case … in`
        // After `|`, `||`, `&&` or `|&`, a newline does not end the command.
        let mut continued = false;
        // A top-level newline was seen: the next token starts a command.
        let mut boundary = false;
        let tokens = if start > 0 && code.as_bytes()[start - 1] == b'`' {
            lex_in_backquotes(code, start, end)
        } else {
            lex(code, start, end)
        };
        let flush = |current: &mut Vec<Word>, out: &mut Vec<Command>| {
            if !current.is_empty() {
                let mut words = std::mem::take(current);
                // Commands are kept for every block: no spare capacity.
                words.shrink_to_fit();
                out.push(Command {
                    words,
                    nested: !top,
                    parsed: true,
                });
            }
        };
        for token in tokens {
            if top && boundary {
                match &token {
                    Token::HeredocBody(_) => {}
                    Token::Separator { start, end } if &code[*start..*end] == "\n" => {}
                    Token::Word(Word { start, .. })
                    | Token::Separator { start, .. }
                    | Token::Redirect { start, .. } => {
                        self.command_starts.push(*start);
                        boundary = false;
                    }
                }
            }
            match token {
                Token::Separator { start, end } => {
                    flush(&mut current, &mut self.commands);
                    in_header = false;
                    match &code[start..end] {
                        "(" => open.push(Opener::Subshell),
                        // A lone `)` also ends a `case` pattern.
                        ")" => close(&mut open, Opener::Subshell),
                        "\n" => boundary = top && open.is_empty() && !continued,
                        _ => {}
                    }
                    if &code[start..end] != "\n" {
                        continued = matches!(&code[start..end], "|" | "||" | "&&" | "|&");
                    }
                    self.note_depth(base + open.len(), start);
                }
                Token::Redirect { .. } => {
                    continued = false;
                    skip_next_word = true;
                }
                Token::HeredocBody(body) => {
                    for &(s, e) in &body.substitutions {
                        self.descend(code, s, e, base + open.len() + 1);
                    }
                    self.heredocs.push(body);
                }
                Token::Word(word) => {
                    continued = false;
                    for &(s, e) in &word.substitutions {
                        self.descend(code, s, e, base + open.len() + 1);
                    }
                    // A lone `{` opens a group wherever it is
                    // (`function f {`); at worst the block is cut less.
                    if word.value == "{" && !current.is_empty() {
                        open.push(Opener::Group);
                    }
                    if std::mem::take(&mut skip_next_word) || in_header {
                        continue;
                    }
                    if current.is_empty() {
                        match word.value.as_str() {
                            "if" => open.push(Opener::If),
                            "case" => open.push(Opener::Case),
                            "while" | "until" | "for" | "select" => open.push(Opener::Loop),
                            "{" => open.push(Opener::Group),
                            "fi" => close(&mut open, Opener::If),
                            "esac" => close(&mut open, Opener::Case),
                            "done" => close(&mut open, Opener::Loop),
                            "}" => close(&mut open, Opener::Group),
                            _ => {}
                        }
                        self.note_depth(base + open.len(), word.start);
                        if RESERVED.contains(&word.value.as_str()) || is_assignment(&word.value) {
                            continue;
                        }
                        if matches!(word.value.as_str(), "for" | "case" | "select") {
                            in_header = true;
                            continue;
                        }
                    }
                    current.push(word);
                }
            }
        }
        flush(&mut current, &mut self.commands);
    }
}

/// Closes the innermost construct if it is `kind` (a stray closer changes
/// nothing: bash reports it, and the block is cut less).
fn close(open: &mut Vec<Opener>, kind: Opener) {
    if open.last() == Some(&kind) {
        open.pop();
    }
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            let name = name.strip_suffix('+').unwrap_or(name);
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(code: &str) -> Vec<&str> {
        let outline = outline(code, true);
        let mut ends = outline.command_starts[1..].to_vec();
        ends.push(code.len());
        outline
            .command_starts
            .iter()
            .zip(ends)
            .map(|(&s, e)| &code[s..e])
            .collect()
    }

    #[test]
    fn cuts_at_top_level_newlines_only() {
        let code = "a\nif x; then\n  b\nfi\nc |\n  d\ncat <<EOF\nbody\nEOF\nf() {\n  g\n}\nfor i in 1; do\n  h\ndone\ncase x in\n  y) z;;\nesac\n( k\n)\ne";
        assert_eq!(
            starts(code),
            [
                "a\n",
                "if x; then\n  b\nfi\n",
                "c |\n  d\n",
                "cat <<EOF\nbody\nEOF\n",
                "f() {\n  g\n}\n",
                "for i in 1; do\n  h\ndone\n",
                "case x in\n  y) z;;\nesac\n",
                "( k\n)\n",
                "e"
            ]
        );
    }

    #[test]
    fn depth_counts_every_nesting_construct() {
        let cases = [
            ("echo x", 0),
            ("if a; then if b; then c; fi; fi", 2),
            ("while a; do (b; { c; }); done", 3),
            ("echo $(a $(b))", 2),
            ("if a; then echo $(b); fi", 2),
            ("cat <<EOF\n$(if a; then b; fi)\nEOF", 2),
        ];
        for (code, depth) in cases {
            assert_eq!(outline(code, true).depth, depth, "{code}");
        }
    }
}
