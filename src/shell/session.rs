//! Terminal sessions in shell blocks: `$ aws ecs list-tasks` followed by
//! the command's output, as runbooks copy them from a terminal.
//!
//! A block is read as a session from evidence, never line by line: a
//! `console`, `shell-session`, `sh-session` or `terminal` block (one with
//! no prompt at all is all output), or any shell block whose first command
//! line starts with a prompt. In a session, a line starting with a prompt
//! ([`PROMPTS`], and `# ` in a block that is a session by its language and
//! has no other prompt, where `# ` is the root prompt rather than a comment)
//! is a command, the lines that continue it (a trailing `\`, or a `> `
//! prompt) belong to it, and every other line is output. [`commands_only`] keeps the commands and blanks the rest,
//! prompts included, byte for byte, so every offset still points at the
//! block's text; the output stays in the block for whoever reads it.

/// The prompts a command line starts with: `$ `, `% ` (zsh) and `PS> `
/// (PowerShell; `PS C:\dir> ` too).
pub const PROMPTS: &[&str] = &["$ ", "% ", "PS> "];

/// The fence languages that are terminal sessions by name.
pub fn is_session_language(lang: &str) -> bool {
    matches!(
        lang,
        "console" | "shell-session" | "sh-session" | "terminal"
    )
}

/// The length of the prompt `line` starts with (indentation included).
fn prompt(line: &str, root_prompt: bool) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[indent..];
    if let Some(p) = PROMPTS.iter().find(|p| rest.starts_with(**p)) {
        return Some(indent + p.len());
    }
    // `PS C:\work> `: a PowerShell prompt with its directory.
    if let Some(dir) = rest.strip_prefix("PS ")
        && let Some(end) = dir.find("> ")
        && !dir[..end].contains(char::is_whitespace)
    {
        return Some(indent + 3 + end + 2);
    }
    (root_prompt && rest.starts_with("# ")).then_some(indent + 2)
}

/// Whether `line` starts with one of [`PROMPTS`] (or `PS C:\dir> `): the
/// evidence that a line outside any session is a command. `# ` is not one
/// (it starts a comment or a markdown heading just as often).
pub fn starts_with_prompt(line: &str) -> bool {
    prompt(line, false).is_some()
}

/// Whether `code`, a block of language `lang`, is a terminal session.
pub fn is_session(code: &str, lang: &str) -> bool {
    is_session_language(lang)
        || code
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .is_some_and(starts_with_prompt)
}

/// `code` with only its commands: prompts and output lines blanked with
/// spaces (one per byte, newlines kept), so offsets are unchanged.
pub fn commands_only(code: &str, lang: &str) -> String {
    // `# ` is the root prompt only where no other prompt says it is a
    // comment.
    let root_prompt = is_session_language(lang) && !code.lines().any(starts_with_prompt);
    let mut out = String::with_capacity(code.len());
    let mut continuing = false;
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let keep_from = if continuing {
            let indent = body.len() - body.trim_start().len();
            Some(if body[indent..].starts_with("> ") {
                indent + 2
            } else {
                0
            })
        } else {
            prompt(body, root_prompt)
        };
        let from = keep_from.unwrap_or(line.len());
        blank(&mut out, &line[..from]);
        out.push_str(&line[from..]);
        continuing = keep_from.is_some() && body.trim_end().ends_with('\\');
    }
    out
}

/// Pushes `text` as spaces, one per byte, keeping line breaks.
fn blank(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_told_by_their_first_command_line() {
        assert!(is_session(
            "$ aws ecs list-tasks\n{\n  \"taskArns\": []\n}\n",
            "bash"
        ));
        assert!(is_session("# the root shell\n# ls\n", "console"));
        assert!(!is_session("# a comment\naws ecs list-tasks\n", "bash"));
        assert!(!is_session(
            "aws ecs list-tasks\n$ not a prompt here\n",
            "bash"
        ));
        assert!(is_session("PS C:\\work> aws ecs list-clusters\n", "shell"));
    }

    #[test]
    fn a_comment_in_a_console_block_with_dollar_prompts_is_not_a_root_prompt() {
        let code = "# from the new book (not home)\n$ cd book\n";
        assert_eq!(
            commands_only(code, "console"),
            "                              \n  cd book\n"
        );
        // Without another prompt in the block, `# ` is the root prompt.
        assert_eq!(commands_only("# apt update\n", "console"), "  apt update\n");
    }

    #[test]
    fn a_console_block_without_prompts_is_all_output() {
        let code = "test result: ok (0.42s)\n";
        assert!(is_session(code, "console"));
        assert_eq!(commands_only(code, "console").trim(), "");
        assert!(!is_session(code, "bash"));
    }

    #[test]
    fn only_non_root_prompts_start_a_line_as_a_command() {
        assert!(starts_with_prompt("$ ls"));
        assert!(starts_with_prompt("PS C:\\x> dir"));
        assert!(!starts_with_prompt("# Summary"));
        assert!(!starts_with_prompt("ls"));
    }

    #[test]
    fn output_and_prompts_are_blanked_offsets_kept() {
        let code =
            "$ aws ecs list-tasks \\\n>   --cluster c\nAn error occurred (é)\n$ echo ok\nok\n";
        let kept = commands_only(code, "console");
        assert_eq!(kept.len(), code.len());
        assert_eq!(
            kept,
            "  aws ecs list-tasks \\\n    --cluster c\n                      \n  echo ok\n  \n"
        );
    }
}
