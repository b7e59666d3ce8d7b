//! JSON with positions: every value and key keeps its byte span.
//!
//! serde_json decides whether text is strict JSON (and where it is not);
//! this parser builds the tree that shape checks walk, so a finding lands on
//! the key or value it is about. In *doc-style* mode it also reads what
//! runbooks write on purpose: `#` and `//` comments, `...` elisions, and
//! bare members without the outer braces (`"healthCheck": {…}`). Each such
//! liberty is recorded as a [`Liberty`], for a `json-not-strict` warning.
//! Depth is limited so hostile input cannot exhaust the stack.

/// A parsed value and where it is (byte offsets into the parsed text).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    String(String),
    /// Untyped text from the CLI's shorthand syntax (`Key=value`): the CLI
    /// converts it to the member's type.
    Text(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
    /// A `...` elision (doc-style only).
    Elided,
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) | Value::Text(_) => "string",
            Value::Array(_) => "list",
            Value::Object(_) => "object",
            Value::Elided => "`...`",
        }
    }
}

impl Node {
    /// The value as serde_json reads it (last duplicate key wins), or `None`
    /// when the tree holds doc-style elisions.
    pub fn to_value(&self) -> Option<serde_json::Value> {
        Some(match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).ok()?,
            Value::String(s) | Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_value).collect::<Option<_>>()?)
            }
            Value::Object(members) => {
                let mut map = serde_json::Map::new();
                for member in members {
                    map.insert(member.key.clone(), member.value.to_value()?);
                }
                serde_json::Value::Object(map)
            }
            Value::Elided => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Node,
}

/// Something doc-style JSON allows and strict JSON does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibertyKind {
    Comment,
    Ellipsis,
    BareMembers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liberty {
    pub kind: LibertyKind,
    pub offset: usize,
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
}

/// The result of a doc-style parse.
#[derive(Debug, Clone, PartialEq)]
pub struct DocJson {
    pub root: Node,
    pub liberties: Vec<Liberty>,
}

/// Nesting deeper than this is refused.
pub const MAX_DEPTH: usize = 128;

/// Parses strict JSON.
pub fn parse_strict(text: &str) -> Result<Node, JsonError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        doc_style: false,
        liberties: Vec::new(),
    };
    let node = parser.document()?;
    Ok(node)
}

/// Parses doc-style JSON: comments, `...` and bare members allowed.
pub fn parse_doc(text: &str) -> Result<DocJson, JsonError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        doc_style: true,
        liberties: Vec::new(),
    };
    let root = parser.document()?;
    Ok(DocJson {
        root,
        liberties: parser.liberties,
    })
}

/// A strict-JSON error from serde_json, as a byte offset into `text`. A
/// trailing comma is reported at the comma, not at the bracket after it.
pub fn strict_error(text: &str) -> Option<JsonError> {
    let error = serde_json::from_str::<serde_json::Value>(text).err()?;
    let mut offset = offset_of(text, error.line(), error.column());
    let message = error.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    if message.contains("trailing comma")
        && let Some(comma) = text[..offset.min(text.len())].rfind(',')
    {
        offset = comma;
    }
    Some(JsonError { offset, message })
}

/// The byte offset of serde_json's 1-based line and (byte) column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    doc_style: bool,
    liberties: Vec<Liberty>,
}

impl Parser<'_> {
    fn error<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, JsonError> {
        Err(JsonError {
            offset,
            message: message.into(),
        })
    }

    fn skip_space(&mut self) {
        loop {
            while self.pos < self.bytes.len()
                && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
            {
                self.pos += 1;
            }
            let rest = &self.bytes[self.pos..];
            let comment = self.doc_style && (rest.starts_with(b"#") || rest.starts_with(b"//"));
            if !comment {
                return;
            }
            self.liberties.push(Liberty {
                kind: LibertyKind::Comment,
                offset: self.pos,
            });
            while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                self.pos += 1;
            }
        }
    }

    fn document(&mut self) -> Result<Node, JsonError> {
        self.skip_space();
        let node = if self.doc_style
            && self.bytes.get(self.pos) == Some(&b'"')
            && self.looks_like_member()
        {
            self.liberties.push(Liberty {
                kind: LibertyKind::BareMembers,
                offset: self.pos,
            });
            self.members(None, 0)?
        } else {
            self.value(0)?
        };
        self.skip_space();
        if self.pos < self.bytes.len() {
            return self.error(self.pos, "unexpected text after the JSON value");
        }
        Ok(node)
    }

    /// At a string: is it followed by `:`?
    fn looks_like_member(&self) -> bool {
        let mut probe = Parser {
            text: self.text,
            bytes: self.bytes,
            pos: self.pos,
            doc_style: true,
            liberties: Vec::new(),
        };
        probe.string().is_ok() && {
            probe.skip_space();
            probe.bytes.get(probe.pos) == Some(&b':')
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_DEPTH {
            return self.error(self.pos, format!("nested deeper than {MAX_DEPTH} levels"));
        }
        self.skip_space();
        let start = self.pos;
        let Some(&b) = self.bytes.get(self.pos) else {
            return self.error(self.pos, "expected a value, found the end of the text");
        };
        let value = match b {
            b'{' => {
                self.pos += 1;
                return self.members(Some(start), depth);
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Node {
                        value: Value::Array(items),
                        start,
                        end: self.pos,
                    });
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b',') => {
                            let comma = self.pos;
                            self.pos += 1;
                            self.skip_space();
                            if self.bytes.get(self.pos) == Some(&b']') {
                                return self.error(comma, "trailing comma");
                            }
                        }
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Node {
                                value: Value::Array(items),
                                start,
                                end: self.pos,
                            });
                        }
                        _ => return self.error(self.pos, "expected `,` or `]`"),
                    }
                }
            }
            b'"' => Value::String(self.string()?),
            b't' if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Value::Null
            }
            b'.' if self.doc_style && self.text[self.pos..].starts_with("...") => {
                self.liberties.push(Liberty {
                    kind: LibertyKind::Ellipsis,
                    offset: self.pos,
                });
                self.pos += 3;
                Value::Elided
            }
            b'-' | b'0'..=b'9' => Value::Number(self.number()?),
            _ => {
                let word: String = self.text[self.pos..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                let shown = if word.is_empty() {
                    self.text[self.pos..]
                        .chars()
                        .next()
                        .unwrap_or(' ')
                        .to_string()
                } else {
                    word
                };
                return self.error(self.pos, format!("`{shown}` is not a JSON value"));
            }
        };
        Ok(Node {
            value,
            start,
            end: self.pos,
        })
    }

    /// Members up to `}` (or the end, for bare members).
    fn members(&mut self, open: Option<usize>, depth: usize) -> Result<Node, JsonError> {
        let start = open.unwrap_or(self.pos);
        let mut members = Vec::new();
        self.skip_space();
        if open.is_some() && self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node {
                value: Value::Object(members),
                start,
                end: self.pos,
            });
        }
        loop {
            self.skip_space();
            if self.doc_style && self.text[self.pos..].starts_with("...") {
                self.liberties.push(Liberty {
                    kind: LibertyKind::Ellipsis,
                    offset: self.pos,
                });
                self.pos += 3;
            } else {
                let key_start = self.pos;
                if self.bytes.get(self.pos) != Some(&b'"') {
                    return self.error(self.pos, "expected a member name in double quotes");
                }
                let key = self.string()?;
                let key_end = self.pos;
                self.skip_space();
                if self.bytes.get(self.pos) != Some(&b':') {
                    return self.error(self.pos, "expected `:` after the member name");
                }
                self.pos += 1;
                let value = self.value(depth + 1)?;
                members.push(Member {
                    key,
                    key_start,
                    key_end,
                    value,
                });
            }
            self.skip_space();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b'}') if open.is_some() => return self.error(comma, "trailing comma"),
                        None if open.is_none() => return self.error(comma, "trailing comma"),
                        _ => {}
                    }
                }
                Some(b'}') if open.is_some() => {
                    self.pos += 1;
                    return Ok(Node {
                        value: Value::Object(members),
                        start,
                        end: self.pos,
                    });
                }
                None if open.is_none() => {
                    return Ok(Node {
                        value: Value::Object(members),
                        start,
                        end: self.pos,
                    });
                }
                None => return self.error(self.pos, "unclosed `{`: expected `}`"),
                _ => {
                    return self.error(
                        self.pos,
                        if open.is_some() {
                            "expected `,` or `}`"
                        } else {
                            "expected `,`"
                        },
                    );
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return self.error(open, "unterminated string");
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let escape = self.bytes.get(self.pos + 1).copied();
                    let simple = match escape {
                        Some(b'"') => Some('"'),
                        Some(b'\\') => Some('\\'),
                        Some(b'/') => Some('/'),
                        Some(b'b') => Some('\u{8}'),
                        Some(b'f') => Some('\u{c}'),
                        Some(b'n') => Some('\n'),
                        Some(b'r') => Some('\r'),
                        Some(b't') => Some('\t'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        self.pos += 2;
                    } else if escape == Some(b'u') {
                        let hex = self
                            .text
                            .get(self.pos + 2..self.pos + 6)
                            .and_then(|h| u32::from_str_radix(h, 16).ok());
                        let Some(code) = hex else {
                            return self.error(self.pos, "bad \\u escape");
                        };
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        self.pos += 6;
                    } else {
                        return self.error(self.pos, "bad escape sequence");
                    }
                }
                b'\n' => return self.error(self.pos, "line break inside a string"),
                0x00..=0x1F => {
                    return self.error(
                        self.pos,
                        "control character inside a string (write it as an escape)",
                    );
                }
                _ => {
                    let ch = self.text[self.pos..].chars().next().expect("in bounds");
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    fn number(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .map_or(rest.len(), |(i, _)| i);
        let number = &rest[..len];
        if serde_json::from_str::<serde_json::Number>(number).is_err() {
            return self.error(start, format!("`{number}` is not a valid JSON number"));
        }
        self.pos += len;
        Ok(number.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_values_with_spans() {
        let text = r#"{"a": [1, true, null], "b": {"c": "é"}}"#;
        let node = parse_strict(text).unwrap();
        let Value::Object(members) = &node.value else {
            panic!()
        };
        assert_eq!(members[0].key, "a");
        assert_eq!(&text[members[0].key_start..members[0].key_end], "\"a\"");
        let Value::Object(inner) = &members[1].value.value else {
            panic!()
        };
        assert_eq!(&text[inner[0].value.start..inner[0].value.end], "\"é\"");
        assert_eq!((node.start, node.end), (0, text.len()));
    }

    #[test]
    fn strict_rejects_doc_style() {
        for text in [
            "{\"a\": 1,}",
            "{\"a\": 1 # c\n}",
            "{\"a\": ...}",
            "\"a\": 1",
            "[1,]",
            "{\"a\" 1}",
            "{",
            "tru",
            "01",
        ] {
            assert!(parse_strict(text).is_err(), "{text}");
            assert!(strict_error(text).is_some(), "{text}");
        }
    }

    #[test]
    fn trailing_comma_is_reported_at_the_comma() {
        let text = "{\n  \"a\": 1,\n}";
        let comma = text.find(',').unwrap();
        assert_eq!(strict_error(text).unwrap().offset, comma);
        assert_eq!(parse_strict(text).unwrap_err().offset, comma);
        assert_eq!(parse_doc("[1, 2,\n]").unwrap_err().offset, 5);
    }

    #[test]
    fn doc_style_liberties_are_recorded() {
        let text = "\"healthCheck\": {\n  \"retries\": 3,\n  \"startPeriod\": 60  # slow\n},\n\"options\": {\"a\": \"b\", ...}";
        let doc = parse_doc(text).unwrap();
        let kinds: Vec<LibertyKind> = doc.liberties.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LibertyKind::BareMembers,
                LibertyKind::Comment,
                LibertyKind::Ellipsis
            ]
        );
        assert_eq!(doc.liberties[1].offset, text.find('#').unwrap());
        let Value::Object(members) = &doc.root.value else {
            panic!()
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn real_errors_stay_errors_in_doc_style() {
        let cases = [
            ("{\"a\": [1, 2}", "expected `,` or `]`"),
            ("{\"a\": tru}", "not a JSON value"),
            ("{\"a\": 1", "unclosed"),
        ];
        for (text, message) in cases {
            let error = parse_doc(text).unwrap_err();
            assert!(error.message.contains(message), "{text}: {}", error.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000);
        assert!(
            parse_strict(&deep)
                .unwrap_err()
                .message
                .contains("nested deeper")
        );
        let _ = strict_error(&deep);
    }

    /// Regression: an object counted two levels (its `{` and its member's
    /// value), so 65 nested objects were refused as "nested deeper than 128
    /// levels" while 128 nested arrays were read.
    #[test]
    fn regression_objects_and_arrays_nest_equally_deep() {
        let arrays = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        for nested in [arrays, objects] {
            assert!(parse_strict(&nested(MAX_DEPTH)).is_ok());
            assert!(parse_doc(&nested(MAX_DEPTH)).is_ok());
            let error = parse_strict(&nested(MAX_DEPTH + 1)).unwrap_err();
            assert!(error.message.contains("nested deeper"), "{}", error.message);
        }
    }
}
