//! Shell snippets: syntax, commands, and the text in them that is not shell.
//!
//! **Parser choice.** Syntax is decided by [brush-parser], the parser of the
//! brush shell: pure Rust, written against bash's grammar, actively
//! maintained, with positioned errors (unterminated quotes, a `then` without
//! `fi`…). tree-sitter-bash was the other candidate; it needs a C toolchain
//! at build time and recovers from errors silently, which is the opposite of
//! what a checker wants. brush-parser's token positions lose the start of a
//! word that follows a line continuation (seen in 0.4.0), and findings must
//! point at exact columns, so words and their spans come from our own
//! [`lexer`], which tracks bytes exactly; brush-parser is the authority on
//! whether the block is valid bash.
//!
//! [`analyze`] masks foreign text first ([`segment`]), asks brush-parser for
//! a syntax error, then splits the block into simple commands, descending
//! into `$(…)` and backquotes so their commands are checked too.
//!
//! [brush-parser]: https://crates.io/crates/brush-parser

pub mod lexer;
pub mod segment;

pub use lexer::Word;
pub use segment::{Foreign, ForeignKind};

use lexer::{Token, lex};

/// One simple command: its words, in order, without leading assignments
/// and reserved words, and without redirections.
#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<Word>,
    /// True for a command inside `$(…)` or backquotes.
    pub nested: bool,
}

impl Command {
    pub fn program(&self) -> Option<&str> {
        self.words.first().map(|w| w.value.as_str())
    }

    pub fn start(&self) -> usize {
        self.words.first().map_or(0, |w| w.start)
    }

    pub fn end(&self) -> usize {
        self.words.last().map_or(0, |w| w.end)
    }
}

/// A bash syntax error at a byte offset of the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// What a shell block holds.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub commands: Vec<Command>,
    pub foreign: Vec<Foreign>,
    pub syntax_error: Option<SyntaxError>,
}

/// Analyzes a shell snippet. Commands are only extracted when the block
/// (foreign text masked out) is valid bash.
pub fn analyze(code: &str) -> Analysis {
    let foreign = segment::find(code);
    let masked = segment::mask(code, &foreign);
    if let Some((depth, offset)) = too_deep(&masked) {
        let message =
            format!("nested {depth} levels deep (more than {MAX_NESTING}); too deep to check");
        return Analysis {
            commands: Vec::new(),
            foreign,
            syntax_error: Some(SyntaxError { offset, message }),
        };
    }
    let syntax_error = syntax_error(&masked);
    let commands = if syntax_error.is_none() {
        commands(&masked, 0, masked.len(), false)
    } else {
        Vec::new()
    };
    Analysis {
        commands,
        foreign,
        syntax_error,
    }
}

/// The top-level statements of `code` (foreign text already masked out, as
/// [`segment::mask`] does): maximal runs of whole lines that bash parses on
/// their own (a command and its continuation lines, a pipeline, a whole
/// `for … done`), without leading blank and comment lines. Runs that never
/// parse (after a syntax error) are left out.
pub fn statements(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if start.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let from = *start.get_or_insert(line_start);
        let text = &code[from..offset];
        let continued = text
            .trim_end_matches(['\n', '\r', ' ', '\t'])
            .ends_with('\\');
        if !continued && too_deep(text).is_none() && syntax_error(text).is_none() {
            out.push(from..from + text.trim_end().len());
            start = None;
        }
    }
    out
}

/// The deepest nesting of `(`, `$(`, `{` or backquotes the checker accepts.
/// Runbooks nest two or three levels; the limit keeps hostile input from
/// exhausting the stack of the parsers.
pub const MAX_NESTING: usize = 64;

/// The depth and offset where nesting first exceeds [`MAX_NESTING`],
/// counting brackets outside single quotes.
fn too_deep(code: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut backquotes = 0usize;
    let mut in_single = false;
    for (i, b) in code.bytes().enumerate() {
        match b {
            b'\'' => in_single = !in_single,
            _ if in_single => {}
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            b'`' => backquotes ^= 1,
            _ => {}
        }
        if depth + backquotes > MAX_NESTING {
            return Some((depth + backquotes, i));
        }
    }
    None
}

/// Reserved words that may precede a command on the same line.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
    "esac",
];

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

/// The simple commands of `code[start..end]`, with those of substitutions.
fn commands(code: &str, start: usize, end: usize, nested: bool) -> Vec<Command> {
    let mut out = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut skip_next_word = false;
    let mut header: Option<&str> = None; // inside `for … in …` / `case … in`
    let flush = |current: &mut Vec<Word>, out: &mut Vec<Command>| {
        if !current.is_empty() {
            out.push(Command {
                words: std::mem::take(current),
                nested,
            });
        }
    };
    for token in lex(code, start, end) {
        match token {
            Token::Separator { .. } => {
                flush(&mut current, &mut out);
                header = None;
            }
            Token::Redirect { .. } => skip_next_word = true,
            Token::Word(word) => {
                for &(s, e) in &word.substitutions {
                    out.extend(commands(code, s, e, true));
                }
                if std::mem::take(&mut skip_next_word) || header.is_some() {
                    continue;
                }
                if current.is_empty() {
                    if RESERVED.contains(&word.value.as_str()) || is_assignment(&word.value) {
                        continue;
                    }
                    if matches!(word.value.as_str(), "for" | "case" | "select") {
                        header = Some("header");
                        continue;
                    }
                }
                current.push(word);
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Asks brush-parser whether `code` is valid bash.
fn syntax_error(code: &str) -> Option<SyntaxError> {
    use brush_parser::{ParseError, TokenizerError};
    let mut parser = brush_parser::Parser::new(
        std::io::Cursor::new(code.as_bytes()),
        &brush_parser::ParserOptions::default(),
    );
    let error = parser.parse_program().err()?;
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
                other => other.to_string(),
            };
            (at_char(index), message)
        }
    };
    Some(SyntaxError { offset, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programs(code: &str) -> Vec<(String, bool)> {
        analyze(code)
            .commands
            .iter()
            .map(|c| {
                (
                    c.words
                        .iter()
                        .map(|w| w.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    c.nested,
                )
            })
            .collect()
    }

    #[test]
    fn splits_commands() {
        let code = "# comment\nX=1 aws ecs list-tasks --cluster c | \\\n  jq . && echo ok > out\nif true; then aws s3 ls; fi\nfor x in a b; do echo $x; done";
        let got = programs(code);
        let names: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "aws ecs list-tasks --cluster c",
                "jq .",
                "echo ok",
                "true",
                "aws s3 ls",
                "echo $x"
            ]
        );
    }

    #[test]
    fn descends_into_substitutions() {
        let code = "aws ecs describe-tasks --tasks $(aws ecs list-tasks --cluster c --query 'taskArns' --output text)";
        let got = programs(code);
        assert_eq!(
            got[0],
            (
                "aws ecs list-tasks --cluster c --query taskArns --output text".to_string(),
                true
            )
        );
        assert!(!got[1].1);
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let cases = [
            (
                "echo ok\necho 'unterminated\nmore",
                (2, 6),
                "unterminated single quote",
            ),
            ("echo \"x", (1, 6), "unterminated double quote"),
            ("if true; then\n  echo x\n", (2, 9), "unexpected end"),
        ];
        for (code, (line, column), message) in cases {
            let error = analyze(code).syntax_error.expect(code);
            let before = &code[..error.offset];
            let got_line = before.matches('\n').count() + 1;
            let got_column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!((got_line, got_column), (line, column), "{code:?}");
            assert!(error.message.contains(message), "{}", error.message);
        }
        assert!(
            analyze("aws ecs list-tasks \\\n  --cluster c")
                .syntax_error
                .is_none()
        );
    }

    #[test]
    fn hostile_nesting_is_refused_not_overflowed() {
        let code = format!("echo {}x{}", "$(echo ".repeat(5000), ")".repeat(5000));
        let analysis = analyze(&code);
        assert!(analysis.syntax_error.unwrap().message.contains("too deep"));
        assert!(analysis.commands.is_empty());
        let fine = format!("echo {}x{}", "$(echo ".repeat(10), ")".repeat(10));
        assert!(analyze(&fine).syntax_error.is_none());
    }

    #[test]
    fn foreign_text_is_masked_not_parsed() {
        let code = "aws sts get-caller-identity\n{\n  \"Action\": [\"ecr:*\"],\n  \"Resource\": \"*\"\n}\nFROM node:18-alpine  # x\ndocker images";
        let analysis = analyze(code);
        assert!(analysis.syntax_error.is_none());
        assert_eq!(analysis.foreign.len(), 2);
        let names: Vec<_> = analysis
            .commands
            .iter()
            .map(|c| c.program().unwrap().to_string())
            .collect();
        assert_eq!(names, ["aws", "docker"]);
    }
}
