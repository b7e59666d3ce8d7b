//! Finds text in a shell block that is not shell: JSON documents and
//! fragments, Dockerfile instructions and YAML, pasted between commands.
//!
//! Runbooks do this all the time ("add this to the policy:" followed by the
//! policy). Such ranges are reported once as `bash-block-not-shell`, masked
//! out before the shell is parsed (so they cause no cascade of shell errors),
//! and the JSON ones are handed to the JSON checks. Lines inside a
//! multi-line quoted shell word (a JSON argument in `'…'`) or a here document
//! are shell, and are never candidates.

use super::lexer::{Token, lex};

/// The kind of foreign text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKind {
    Json,
    Dockerfile,
    Yaml,
}

impl ForeignKind {
    /// The fence this text belongs in.
    pub fn fence(self) -> &'static str {
        match self {
            ForeignKind::Json => "json",
            ForeignKind::Dockerfile => "dockerfile",
            ForeignKind::Yaml => "yaml",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ForeignKind::Json => "JSON",
            ForeignKind::Dockerfile => "Dockerfile",
            ForeignKind::Yaml => "YAML",
        }
    }
}

/// A range of foreign text: whole lines, without the final newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    pub kind: ForeignKind,
    pub start: usize,
    pub end: usize,
}

const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "COPY",
    "ADD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "WORKDIR",
    "USER",
    "ARG",
    "LABEL",
    "HEALTHCHECK",
    "VOLUME",
    "SHELL",
    "ONBUILD",
    "STOPSIGNAL",
    "MAINTAINER",
];

/// Line starts with their end offsets (end excludes the newline).
fn lines(code: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in code.split_inclusive('\n') {
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        out.push((start, end));
        start += line.len();
    }
    out
}

/// Spans of multi-line shell words and here document bodies, in order and
/// without overlap.
fn protected_ranges(code: &str) -> Vec<(usize, usize)> {
    lex(code, 0, code.len())
        .filter_map(|token| match token {
            Token::Word(word) if code[word.start..word.end].contains('\n') => {
                Some((word.start, word.end))
            }
            // From the newline before the body, so its first line is inside.
            Token::HeredocBody(body) => Some((body.start.saturating_sub(1), body.end)),
            _ => None,
        })
        .collect()
}

/// Whether `offset` is inside one of the sorted `ranges` (strictly after
/// its start): a binary search, so a block of many quoted words stays
/// linear.
fn is_protected(ranges: &[(usize, usize)], offset: usize) -> bool {
    let after = ranges.partition_point(|&(start, _)| start < offset);
    after > 0 && offset < ranges[after - 1].1
}

fn classify(line: &str) -> Option<ForeignKind> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    if matches!(trimmed, "{" | "[" | "}" | "]" | "}," | "],")
        || trimmed.starts_with("{\"")
        || is_json_member(trimmed)
    {
        return Some(ForeignKind::Json);
    }
    let first = trimmed.split_whitespace().next().unwrap_or("");
    if DOCKERFILE_INSTRUCTIONS.contains(&first) && trimmed.len() > first.len() {
        return Some(ForeignKind::Dockerfile);
    }
    if let Some(key) = first.strip_suffix(':')
        && !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c))
        && !key.starts_with('-')
    {
        return Some(ForeignKind::Yaml);
    }
    None
}

/// `"key": value` — a JSON object member.
fn is_json_member(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('"') else {
        return false;
    };
    let Some(close) = rest.find('"') else {
        return false;
    };
    rest[close + 1..].trim_start().starts_with(':')
}

/// Bracket depth change over a line of JSON-ish text, ignoring strings and
/// `#` / `//` comments.
fn depth_change(line: &str) -> i64 {
    let mut depth = 0;
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            '#' => break,
            '/' if chars.peek() == Some(&'/') => break,
            _ => {}
        }
    }
    depth
}

/// Finds the foreign ranges of `code`.
pub fn find(code: &str) -> Vec<Foreign> {
    let protected = protected_ranges(code);
    let lines = lines(code);
    let mut found: Vec<Foreign> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, end) = lines[i];
        let text = &code[start..end];
        let kind = if is_protected(&protected, start) {
            None
        } else {
            classify(text)
        };
        let Some(kind) = kind else {
            i += 1;
            continue;
        };
        let mut last = i;
        if kind == ForeignKind::Json {
            // Extend to where the brackets balance.
            let mut depth = depth_change(text);
            while depth > 0 && last + 1 < lines.len() {
                last += 1;
                let (s, e) = lines[last];
                depth += depth_change(&code[s..e]);
            }
        }
        let range_end = lines[last].1;
        match found.last_mut() {
            // Merge Dockerfile or YAML lines with the previous range of the
            // same kind when only blank or comment lines separate them (JSON
            // ranges are whole documents, each checked on its own).
            Some(previous)
                if previous.kind == kind
                    && kind != ForeignKind::Json
                    && code[previous.end..start].lines().all(|l| {
                        let l = l.trim();
                        l.is_empty() || l.starts_with('#')
                    }) =>
            {
                previous.end = range_end;
            }
            _ => found.push(Foreign {
                kind,
                start,
                end: range_end,
            }),
        }
        i = last + 1;
    }
    found
}

/// `code` with the foreign ranges replaced by spaces (newlines kept), so
/// offsets stay valid for the shell parser.
pub fn mask(code: &str, foreign: &[Foreign]) -> String {
    let mut bytes = code.as_bytes().to_vec();
    for range in foreign {
        for b in &mut bytes[range.start..range.end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Replacing whole UTF-8 sequences byte by byte with spaces keeps validity.
    String::from_utf8(bytes).expect("masking whole lines keeps UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str) -> Vec<(ForeignKind, String)> {
        find(code)
            .into_iter()
            .map(|f| (f.kind, code[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn finds_json_documents_and_fragments() {
        let code = "aws sts get-caller-identity\n\n# Policy:\n{\n  \"Effect\": \"Allow\",\n  \"Resource\": \"*\"\n}\n";
        assert_eq!(
            kinds(code),
            [(
                ForeignKind::Json,
                "{\n  \"Effect\": \"Allow\",\n  \"Resource\": \"*\"\n}".to_string()
            )]
        );
        let fragment = "# Option 1\n\"memory\": \"1024\"  # au lieu de 512\n\n# Option 2\n";
        assert_eq!(
            kinds(fragment),
            [(
                ForeignKind::Json,
                "\"memory\": \"1024\"  # au lieu de 512".to_string()
            )]
        );
        let nested = "\"healthCheck\": {\n  \"command\": [\"CMD-SHELL\", \"curl -f x || exit 1\"],\n  \"startPeriod\": 60  # slow {\n}\necho done\n";
        let found = kinds(nested);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.ends_with("# slow {\n}"));
    }

    #[test]
    fn finds_dockerfile_and_yaml() {
        let code = "docker images ma-app\n\nFROM node:18-alpine  # au lieu de node:18\n\nservices:\n  web: x\n";
        let found = kinds(code);
        assert_eq!(
            found[0],
            (
                ForeignKind::Dockerfile,
                "FROM node:18-alpine  # au lieu de node:18".to_string()
            )
        );
        assert_eq!(found[1].0, ForeignKind::Yaml);
    }

    #[test]
    fn quoted_json_arguments_and_heredocs_are_shell() {
        let code = "aws iam create-role --assume-role-policy-document '{\n  \"Version\": \"2012-10-17\"\n}'\ncat <<EOF\n{\n\"a\": 1\n}\nEOF\necho ok\n";
        assert!(find(code).is_empty(), "{:?}", find(code));
    }

    #[test]
    fn masking_keeps_offsets() {
        let code = "a\n{\n  \"é\": 1\n}\nb\n";
        let masked = mask(code, &find(code));
        assert_eq!(masked.len(), code.len());
        let blank = " ".repeat("  \"é\": 1".len());
        assert_eq!(
            masked.lines().collect::<Vec<_>>(),
            ["a", " ", blank.as_str(), " ", "b"]
        );
    }
}
