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
//! [`analyze`] masks foreign text first ([`segment`]), splits the block into
//! simple commands (descending into `$(…)`, backquotes and unquoted here
//! documents, so their commands are checked too) and finds its top-level
//! command boundaries (`outline.rs`), refuses a block nested deeper than
//! [`MAX_NESTING`], then asks brush-parser for syntax errors, piece by piece
//! and recovering after each error (`syntax.rs`).
//!
//! [brush-parser]: https://crates.io/crates/brush-parser

pub mod lexer;
mod outline;
pub mod segment;
pub mod session;
mod syntax;

pub use lexer::Word;
pub use segment::{Foreign, ForeignKind};
pub use syntax::{MAX_COMMAND_BYTES, MAX_SYNTAX_ERRORS, PIECE_BYTES};

/// One simple command: its words, in order, without leading assignments
/// and reserved words, and without redirections.
#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<Word>,
    /// True for a command inside `$(…)`, backquotes or a here document.
    pub nested: bool,
    /// False for a command in a part of the block that bash cannot parse
    /// (or that was too deep to parse): it is listed, not checked.
    pub parsed: bool,
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

/// A bash syntax error: the bytes `offset..end` of the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

impl SyntaxError {
    /// An error at the character at `offset` of `code`.
    fn at(code: &str, offset: usize, message: String) -> Self {
        let end = code
            .get(offset..)
            .and_then(|rest| rest.chars().next())
            .map_or(offset, |c| offset + c.len_utf8());
        SyntaxError {
            offset,
            end,
            message,
            help: None,
        }
    }
}

/// What a shell block holds.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Every simple command, in order; see [`Command::parsed`].
    pub commands: Vec<Command>,
    pub foreign: Vec<Foreign>,
    /// In order of offset, at most [`MAX_SYNTAX_ERRORS`].
    pub syntax_errors: Vec<SyntaxError>,
}

/// Analyzes a shell snippet: masks foreign text, lists the commands, checks
/// the nesting depth, then the syntax (see `syntax.rs`). A syntax error
/// marks the commands of the complete command that holds it as not parsed;
/// the others are checked as usual.
pub fn analyze(code: &str) -> Analysis {
    let foreign = segment::find(code);
    let masked = segment::mask(code, &foreign);
    // Brackets nested too deep: list the top-level commands only (the
    // walk would read the text once per level it descends).
    let brackets = bracket_depth(&masked).or_else(|| paren_run(&masked));
    let outline = outline::outline(&masked, brackets.is_none());
    let mut commands = outline.commands;
    let too_deep = brackets.or_else(|| outline.too_deep_at.map(|offset| (outline.depth, offset)));
    if let Some((depth, offset)) = too_deep {
        for command in &mut commands {
            command.parsed = false;
        }
        let message =
            format!("nested {depth} levels deep (more than {MAX_NESTING}); too deep to check");
        return Analysis {
            commands,
            foreign,
            syntax_errors: vec![SyntaxError::at(&masked, offset, message)],
        };
    }
    let checked = syntax::check(&masked, &outline.command_starts, &outline.heredocs);
    for command in &mut commands {
        let at = command.start();
        command.parsed = !checked
            .unparsed
            .iter()
            .any(|&(start, end)| start <= at && at < end);
    }
    Analysis {
        commands,
        foreign,
        syntax_errors: checked.errors,
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
        if text.len() > syntax::MAX_COMMAND_BYTES {
            // One statement this long is not a runbook's: give up on it.
            start = None;
            continue;
        }
        if !continued
            && bracket_depth(text).is_none()
            && paren_run(text).is_none()
            && syntax::syntax_error(text).is_none()
        {
            out.push(from..from + text.trim_end().len());
            start = None;
        }
    }
    out
}

/// The deepest nesting the checker accepts: of `(`, `$(`, `{`, backquotes,
/// `if`, `case` and loops, counted together. Runbooks nest two or three
/// levels; the limit keeps hostile input from exhausting the stack of the
/// parsers.
pub const MAX_NESTING: usize = 64;

/// The most `(` a block may open in a row (`$(((a + b) * c))` opens
/// three), and one less the `(` that may stand open right after another
/// (`((x` line after line). brush-parser tries the readings of each such
/// pair (subshell or arithmetic) one against the other: a few dozen `(` in
/// a row took it minutes, and a dozen `((` left open on as many lines
/// seconds, doubling with each. No shell code needs more.
pub const MAX_PAREN_RUN: usize = 8;

/// The count and offset of the first `(` that leaves [`MAX_PAREN_RUN`]
/// `(` open right after another `(` (spaces between them allowed; not
/// after the `(` of `$(`), the last of a run of more than
/// [`MAX_PAREN_RUN`] in a row: outside quotes and comments.
fn paren_run(code: &str) -> Option<(usize, usize)> {
    let bytes = code.as_bytes();
    let (mut single, mut double, mut comment) = (false, false, false);
    // For each `(` still open, whether it came right after another `(`.
    let mut open: Vec<bool> = Vec::new();
    let mut pairs = 0usize;
    let mut after_paren = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => comment = false,
            _ if comment => {}
            b'\'' if !double => single = !single,
            _ if single => {}
            b'\\' => {
                i += 2;
                after_paren = false;
                continue;
            }
            b'"' => double = !double,
            // A word that starts with `#` (after a blank or an operator)
            // starts a comment.
            b'#' if !double
                && (i == 0
                    || bytes[i - 1].is_ascii_whitespace()
                    || b";&|()<>".contains(&bytes[i - 1])) =>
            {
                comment = true
            }
            _ => {}
        }
        let code = !single && !double && !comment;
        if b == b'(' && code {
            open.push(after_paren);
            if after_paren {
                pairs += 1;
                if pairs >= MAX_PAREN_RUN {
                    return Some((pairs + 1, i));
                }
            }
            // The `(` of `$(` opens a command substitution, which
            // brush-parser reads in one way only.
            after_paren = i == 0 || bytes[i - 1] != b'$';
        } else if b == b')' && code {
            if open.pop() == Some(true) {
                pairs -= 1;
            }
            after_paren = false;
        } else if !(b == b' ' || b == b'\t') {
            after_paren = false;
        }
        i += 1;
    }
    None
}

/// The depth and offset where the brackets `(`, `{` and backquotes,
/// counted outside single quotes, first nest deeper than [`MAX_NESTING`].
fn bracket_depth(code: &str) -> Option<(usize, usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether one of `code`'s syntax errors says it is too deep to check.
    fn too_deep(code: &str) -> bool {
        analyze(code)
            .syntax_errors
            .iter()
            .any(|e| e.message.contains("too deep"))
    }

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
            let error = analyze(code).syntax_errors.first().cloned().expect(code);
            let before = &code[..error.offset];
            let got_line = before.matches('\n').count() + 1;
            let got_column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!((got_line, got_column), (line, column), "{code:?}");
            assert!(error.message.contains(message), "{}", error.message);
        }
        assert!(
            analyze("aws ecs list-tasks \\\n  --cluster c")
                .syntax_errors
                .is_empty()
        );
    }

    #[test]
    fn hostile_nesting_is_refused_not_overflowed() {
        let code = format!("echo {}x{}", "$(echo ".repeat(5000), ")".repeat(5000));
        let analysis = analyze(&code);
        assert!(analysis.syntax_errors[0].message.contains("too deep"));
        assert!(analysis.commands.iter().all(|c| !c.parsed));
        // The top-level command only: the walk does not descend.
        assert_eq!(analysis.commands.len(), 1);
        assert_eq!(analysis.commands[0].program(), Some("echo"));
        let fine = format!("echo {}x{}", "$(echo ".repeat(10), ")".repeat(10));
        assert!(analyze(&fine).syntax_errors.is_empty());
    }

    /// 50,000 nested `if`, `while`, `until`, `for` or `case` overflowed the
    /// stack of the parser (SIGABRT); on the test thread's ordinary stack.
    #[test]
    fn regression_nested_compound_commands_are_refused_not_overflowed() {
        let shapes = [
            ("if true; then\n", "fi\n"),
            ("while true; do\n", "done\n"),
            ("until false; do\n", "done\n"),
            ("for x in a; do\n", "done\n"),
            ("case x in x)\n", ";; esac\n"),
            ("{ ", "; }\n"),
        ];
        for (open, close) in shapes {
            let code = format!(
                "{}aws ecs list-tasks\n{}",
                open.repeat(50_000),
                close.repeat(50_000)
            );
            let analysis = analyze(&code);
            assert_eq!(analysis.syntax_errors.len(), 1, "{open}");
            let error = &analysis.syntax_errors[0];
            assert!(error.message.contains("too deep"), "{}", error.message);
            assert_eq!(error.offset, open.len() * MAX_NESTING, "{open}");
            assert!(analysis.commands.iter().any(|c| c.program() == Some("aws")));
        }
    }

    /// Found by the shell fuzz target: a few dozen `(` in a row kept
    /// brush-parser busy for minutes.
    #[test]
    fn regression_long_runs_of_open_parentheses_are_not_handed_to_brush() {
        let started = std::time::Instant::now();
        let hostile = include_str!("../../tests/fuzz/corpus/shell/timeout-nested-parens.sh");
        assert!(too_deep(hostile));
        statements(hostile);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let code = format!("echo x\n{}echo y{}\n", "(".repeat(20), ")".repeat(20));
        let analysis = analyze(&code);
        assert_eq!(analysis.syntax_errors.len(), 1);
        assert_eq!(analysis.syntax_errors[0].offset, 7 + MAX_PAREN_RUN);
        // Quoted, commented or arithmetic runs are code, not nesting.
        for fine in [
            "echo \"((((((((((((\"\n",
            "echo '((((((((((((('\n",
            "# ((((((((((((((((\necho x\n",
            "echo $(((1 + 2) * 3))\n",
            "echo \\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\n",
        ] {
            assert_eq!(analyze(fine).syntax_errors, [], "{fine}");
        }
    }

    /// Found by the shell fuzz target: `((` opened on line after line, none
    /// of them more than 8 in a row, took brush-parser seconds, doubling
    /// with each (it tries each as arithmetic, then as a subshell).
    #[test]
    fn regression_open_double_parentheses_across_lines_are_not_handed_to_brush() {
        let started = std::time::Instant::now();
        for code in [
            "((x\n".repeat(14),
            "( (x\n".repeat(14),
            "(   ((((((( x\n((x\n((x\n".into(),
        ] {
            assert!(too_deep(&code), "{code}");
            statements(&code);
        }
        let hostile = include_str!(
            "../../tests/fuzz/corpus/shell/timeout-double-parentheses-across-lines.sh"
        );
        analyze(hostile);
        statements(hostile);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Closed, or in arithmetic, they are code.
        for fine in [
            "((x))\n((y))\n((z))\n((a))\n((b))\n((c))\n((d))\n((e))\n",
            "echo $(( ((1 + 2)) * ((3 + 4)) ))\n",
            "( (cd a && make) )\n",
        ] {
            assert_eq!(analyze(fine).syntax_errors, [], "{fine}");
        }
    }

    /// Found by the shell fuzz target: a `#` right after `;` starts a
    /// comment, for bash and brush-parser; read as code, the `"` in it
    /// hid the `(` of the lines after it, and brush-parser took minutes.
    #[test]
    fn regression_a_comment_after_an_operator_hides_its_quotes() {
        for code in [
            "echo a;# \"\n((((((((((((x\n",
            "echo a|# \"\n((((((((((((x\n",
            "(# '\n((((((((((((x\n)",
        ] {
            assert!(too_deep(code), "{code}");
        }
        assert_eq!(analyze("echo ${#a} \"((((((((((((\"\n").syntax_errors, []);
    }

    /// Blocks just under the limit, mixing every kind of nesting, parse on
    /// a small stack.
    #[test]
    fn blocks_at_the_nesting_limit_fit_a_small_stack() {
        let units = [
            ("if true; then ", "; fi"),
            ("echo $( ", " )"),
            ("( ", " )"),
            ("while true; do ", "; done"),
            ("{ ", "; }"),
            // `(x)`: brush-parser misreads `x)` inside `$(…)`.
            ("case x in (x) ", ";; esac"),
        ];
        let mut open = String::new();
        let mut close = String::new();
        for i in 0..MAX_NESTING {
            let (o, c) = units[i % units.len()];
            open.push_str(o);
            close.insert_str(0, c);
        }
        let code = format!("{open}echo x{close}");
        let too_deep = format!("{open}if true; then echo x; fi{close}");
        std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                assert_eq!(analyze(&code).syntax_errors, []);
                assert!(
                    analyze(&too_deep).syntax_errors[0]
                        .message
                        .contains("too deep")
                );
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// One syntax error hid every command of the block from the checks.
    /// Now the error is reported at its place, with later ones, and the
    /// complete commands around them are checked.
    #[test]
    fn regression_a_syntax_error_keeps_the_other_commands() {
        let code = "aws ecs a\naws ecs b\nfi\naws ecs c\necho \"unclosed\naws ecs d\n";
        let analysis = analyze(code);
        let errors: Vec<(usize, &str)> = analysis
            .syntax_errors
            .iter()
            .map(|e| (e.offset, e.message.as_str()))
            .collect();
        // brush-parser places the error at the end of the `fi` line.
        let fi_line = code.find("fi").unwrap()..code.find("aws ecs c").unwrap();
        assert!(fi_line.contains(&errors[0].0), "{errors:?}");
        assert_eq!(errors[0].1, "syntax error near this token");
        assert_eq!(
            errors[1],
            (code.find('"').unwrap(), "unterminated double quote")
        );
        assert_eq!(errors.len(), 2);
        let commands: Vec<(String, bool)> = analysis
            .commands
            .iter()
            .map(|c| {
                (
                    c.words
                        .iter()
                        .map(|w| w.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    c.parsed,
                )
            })
            .collect();
        assert_eq!(
            commands,
            [
                ("aws ecs a".to_string(), true),
                ("aws ecs b".to_string(), true),
                ("aws ecs c".to_string(), true),
                ("echo unclosed\naws ecs d\n".to_string(), false),
            ]
        );
    }

    /// More errors than the limit: the rest of the block is left unchecked.
    #[test]
    fn syntax_errors_are_capped_per_block() {
        let code = "fi\naws ecs ok\n".repeat(3 * MAX_SYNTAX_ERRORS);
        let analysis = analyze(&code);
        assert_eq!(analysis.syntax_errors.len(), MAX_SYNTAX_ERRORS);
        let parsed = analysis.commands.iter().filter(|c| c.parsed).count();
        // The command after each reported error parses; the rest of the
        // block, after the last error reported, is not checked.
        assert_eq!(parsed, MAX_SYNTAX_ERRORS - 1);
    }

    /// An unterminated here document was reported as "tag(s) [EOF] found
    /// at: [1,10]" at the closing fence.
    #[test]
    fn regression_unterminated_heredoc_points_at_its_start() {
        let code = "aws ecs nope-op\ncat <<EOF\nhello\n  EOF\n";
        let analysis = analyze(code);
        let error = &analysis.syntax_errors[0];
        assert_eq!(&code[error.offset..error.end], "<<EOF");
        assert!(
            error.message.contains("unterminated here document"),
            "{}",
            error.message
        );
        assert!(error.message.contains("`EOF`"), "{}", error.message);
        assert!(error.help.as_deref().unwrap().contains("indented"));
        assert!(analysis.commands[0].parsed);
    }

    /// `$(aws …)` in an unquoted here document is run by bash, and was not
    /// checked.
    #[test]
    fn regression_heredoc_substitutions_are_commands() {
        let code = "cat <<EOF\n$(aws ecs a)\n`aws ecs b` \\$(not this)\nEOF\ncat <<'EOF'\n$(aws ecs quoted)\nEOF\necho done\n";
        assert_eq!(
            programs(code),
            [
                ("cat".to_string(), false),
                ("aws ecs a".to_string(), true),
                ("aws ecs b".to_string(), true),
                ("cat".to_string(), false),
                ("echo done".to_string(), false),
            ]
        );
        assert!(analyze(code).syntax_errors.is_empty());
    }

    /// `` \` `` inside backquotes is a nested substitution: its command
    /// was lost, and the outer one was cut at the escaped backquote.
    #[test]
    fn regression_nested_backquotes_are_commands() {
        let code = "echo `echo \\`aws ecs a\\` b`";
        assert_eq!(
            programs(code),
            [
                ("aws ecs a".to_string(), true),
                ("echo \\`aws ecs a\\` b".to_string(), true),
                ("echo `echo \\`aws ecs a\\` b`".to_string(), false),
            ]
        );
    }

    /// One complete command over the limit is not handed to the parser
    /// (its syntax tree would take about a hundred bytes per byte).
    #[test]
    fn overlong_commands_are_not_parsed() {
        let body = "  aws ecs list-tasks --cluster c\n".repeat(MAX_COMMAND_BYTES / 32);
        let code = format!("aws ecs a\nif true; then\n{body}fi\naws ecs b\n");
        let analysis = analyze(&code);
        assert_eq!(analysis.syntax_errors.len(), 1);
        let error = &analysis.syntax_errors[0];
        assert!(
            error.message.contains("too long to check"),
            "{}",
            error.message
        );
        assert_eq!(error.offset, code.find("if").unwrap());
        let parsed: Vec<bool> = analysis.commands.iter().map(|c| c.parsed).collect();
        assert_eq!(parsed.first(), Some(&true));
        assert_eq!(parsed.last(), Some(&true));
        assert_eq!(parsed.iter().filter(|p| **p).count(), 2);
    }

    /// A large block is parsed in pieces: the parser's tree for a 15 MB
    /// block took 2 GB. The pieces give the same answer as the whole.
    #[test]
    fn large_blocks_are_parsed_in_pieces() {
        let line = "aws ecs list-tasks --cluster c | jq .\nif true; then\n  echo \"$(date)\"\nfi\n";
        let mut code = line.repeat(3 * PIECE_BYTES / line.len());
        code.push_str("echo 'unclosed\n");
        let analysis = analyze(&code);
        assert_eq!(analysis.syntax_errors.len(), 1);
        assert_eq!(analysis.syntax_errors[0].offset, code.rfind('\'').unwrap());
        let unparsed = analysis.commands.iter().filter(|c| !c.parsed).count();
        assert_eq!(unparsed, 1);
    }

    #[test]
    fn foreign_text_is_masked_not_parsed() {
        let code = "aws sts get-caller-identity\n{\n  \"Action\": [\"ecr:*\"],\n  \"Resource\": \"*\"\n}\nFROM node:18-alpine  # x\ndocker images";
        let analysis = analyze(code);
        assert!(analysis.syntax_errors.is_empty());
        assert_eq!(analysis.foreign.len(), 2);
        let names: Vec<_> = analysis
            .commands
            .iter()
            .map(|c| c.program().unwrap().to_string())
            .collect();
        assert_eq!(names, ["aws", "docker"]);
    }
}
