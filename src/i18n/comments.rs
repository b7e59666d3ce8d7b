//! Comments inside code blocks: where they are, and the code without them.
//!
//! In the languages whose comments start with `#` (shell, Dockerfile, YAML,
//! Python…), a `#` at the start of a word, outside quotes, starts a comment
//! that runs to the end of the line. Quotes are followed across lines, so a
//! `#` inside a multi-line `'…'` JSON argument is not a comment; `$#`,
//! `${#x}` and `a#b` are not comments either, and neither is a `#!` on the
//! first line. Extraction offers these comments for translation; the
//! verification compares code blocks with [`strip`], which removes them the
//! same way, so a translated comment can never change what the code does.
//! Plain text, no markdown here.

use std::ops::Range;

/// The fence languages whose comments start with `#`.
pub fn has_hash_comments(lang: &str) -> bool {
    matches!(
        lang,
        "bash"
            | "sh"
            | "shell"
            | "zsh"
            | "console"
            | "shell-session"
            | "dockerfile"
            | "docker"
            | "yaml"
            | "yml"
            | "toml"
            | "python"
            | "py"
            | "ruby"
            | "rb"
            | "perl"
            | "make"
            | "makefile"
            | "r"
            | "powershell"
            | "ps1"
            | "hcl"
            | "terraform"
            | "tf"
            | "conf"
            | "properties"
            | "env"
            | "dotenv"
    )
}

/// One comment of a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The `#` that opens it.
    pub hash: usize,
    /// Its text: after the `#`s and the spaces that follow them, up to the
    /// end of the line without trailing spaces. Empty for a bare `#`.
    pub text: Range<usize>,
    /// Whether only spaces come before it on its line.
    pub whole_line: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// The comments of `code`, in order (none when `lang` has no `#` comments).
pub fn comments(code: &str, lang: &str) -> Vec<Comment> {
    if !has_hash_comments(lang) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut quote = Quote::None;
    let mut offset = 0;
    for (index, line) in code.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(hash) = comment_start(body, &mut quote)
            && !(index == 0 && body[hash..].starts_with("#!"))
        {
            let after = body[hash..].trim_start_matches('#');
            let text_start = body.len() - after.trim_start().len();
            let text_end = body.trim_end().len().max(text_start);
            out.push(Comment {
                hash: offset + hash,
                text: offset + text_start..offset + text_end,
                whole_line: body[..hash].trim().is_empty(),
            });
        }
        offset += line.len();
    }
    out
}

/// Where a comment starts on `line`, given the quotes still open from the
/// lines before (updated for the next line).
fn comment_start(line: &str, quote: &mut Quote) -> Option<usize> {
    let mut previous: Option<char> = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (*quote, c) {
            (Quote::None, '\\') | (Quote::Double, '\\') => {
                chars.next();
                previous = Some('\\');
                continue;
            }
            (Quote::None, '\'') => *quote = Quote::Single,
            (Quote::None, '"') => *quote = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => *quote = Quote::None,
            (Quote::None, '#') if previous.is_none_or(char::is_whitespace) => return Some(i),
            _ => {}
        }
        previous = Some(c);
    }
    None
}

/// `code` without its comments: lines that hold only a comment are
/// removed, and a comment after code is cut with the spaces before it.
pub fn strip(code: &str, lang: &str) -> String {
    let found = comments(code, lang);
    if found.is_empty() {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len());
    let mut comments = found.iter().peekable();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let end = offset + line.len();
        match comments.next_if(|c| c.hash < end) {
            Some(comment) if comment.whole_line => {}
            Some(comment) => {
                out.push_str(code[offset..comment.hash].trim_end());
                out.push_str(&line[line.trim_end_matches(['\n', '\r']).len()..]);
            }
            None => out.push_str(line),
        }
        offset = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(code: &str) -> Vec<&str> {
        comments(code, "bash")
            .into_iter()
            .map(|c| &code[c.text])
            .collect()
    }

    #[test]
    fn finds_whole_line_and_trailing_comments() {
        let code = "# Re-login (token valide 12h)\naws ecr get-login-password | \\\n  docker login  # here\nFROM node:18-alpine  # au lieu de node:18\n";
        assert_eq!(
            texts(code),
            ["Re-login (token valide 12h)", "here", "au lieu de node:18"]
        );
        assert!(comments(code, "bash")[0].whole_line);
        assert!(!comments(code, "bash")[1].whole_line);
    }

    #[test]
    fn hashes_that_are_not_comments() {
        let code = "#!/bin/bash\necho \"a # b\" 'c # d' ${#x} $# a#b http://x/#frag\naws iam create-role --doc '{\n  \"a\": \"# not a comment\"\n  # nor this\n}' # but this\n";
        assert_eq!(texts(code), ["but this"]);
    }

    #[test]
    fn json_blocks_have_no_comments() {
        assert!(comments("{\"a\": 1} # x\n", "json").is_empty());
        assert!(comments("# x\n", "text").is_empty());
    }

    #[test]
    fn strip_removes_comments_only() {
        let code = "# title\naws ecs list-tasks  # list\n\n  # indented\n\"memory\": \"1024\"  # au lieu de 512\nlast";
        assert_eq!(
            strip(code, "bash"),
            "aws ecs list-tasks\n\n\"memory\": \"1024\"\nlast"
        );
        assert_eq!(strip(code, "json"), code);
    }

    #[test]
    fn bare_and_repeated_hashes() {
        let code = "#\n## Heading ##\n";
        let found = comments(code, "sh");
        assert_eq!(found.len(), 2);
        assert_eq!(&code[found[0].text.clone()], "");
        assert_eq!(&code[found[1].text.clone()], "Heading ##");
    }
}
