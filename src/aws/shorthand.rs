//! The AWS CLI shorthand syntax: `Key=value,Other=[a,b],Nested={K=v}`.
//!
//! The grammar is the CLI's (a `key=value` list; values are bare words,
//! quoted strings, `[…]` lists, `{…}` structures, or an implicit list
//! `Values=a,b,c` that runs until the next `key=`). The result is a
//! [`json::Node`] tree whose scalars are [`Value::Text`]: untyped, as the CLI
//! converts them by the member's type. Offsets are byte offsets into the
//! shorthand text.

use crate::json::{JsonError, Member, Node, Value};

/// Parses a whole shorthand argument.
pub fn parse(text: &str) -> Result<Node, JsonError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let node = parser.keyvals(None)?;
    parser.skip_space();
    if parser.pos < text.len() {
        return parser.error("unexpected text after the shorthand value");
    }
    Ok(node)
}

/// Whether `text` looks like shorthand for a structure: `key=…`.
pub fn looks_like_shorthand(text: &str) -> bool {
    let key_len = text.bytes().take_while(|&b| is_key_byte(b)).count();
    key_len > 0 && text.as_bytes().get(key_len) == Some(&b'=')
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.#/:@".contains(&b)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error<T>(&self, message: impl Into<String>) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.pos,
            message: message.into(),
        })
    }

    fn skip_space(&mut self) {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// `key=value(,key=value)*` up to `close` or the end.
    fn keyvals(&mut self, close: Option<u8>) -> Result<Node, JsonError> {
        let start = self.pos;
        let mut members = Vec::new();
        loop {
            self.skip_space();
            let key_start = self.pos;
            while self.peek().is_some_and(is_key_byte) {
                self.pos += 1;
            }
            if self.pos == key_start {
                return self.error("expected `key=value`");
            }
            let key = self.text[key_start..self.pos].to_string();
            let key_end = self.pos;
            self.skip_space();
            if self.peek() != Some(b'=') {
                return self.error(format!("expected `=` after `{key}`"));
            }
            self.pos += 1;
            let value = self.value(close)?;
            members.push(Member {
                key,
                key_start,
                key_end,
                value,
            });
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if Some(c) == close => break,
                None if close.is_none() => break,
                None => return self.error(format!("expected `{}`", close.map_or(' ', char::from))),
                Some(_) => return self.error("expected `,` between `key=value` pairs"),
            }
        }
        Ok(Node {
            value: Value::Object(members),
            start,
            end: self.pos,
        })
    }

    /// A value, or an implicit list `a,b,c` that ends before the next `key=`.
    fn value(&mut self, close: Option<u8>) -> Result<Node, JsonError> {
        self.skip_space();
        let start = self.pos;
        match self.peek() {
            Some(b'[') => return self.explicit_list(),
            Some(b'{') => {
                self.nest()?;
                self.pos += 1;
                let mut node = self.keyvals(Some(b'}'))?;
                self.pos += 1;
                self.depth -= 1;
                node.start = start;
                node.end = self.pos;
                return Ok(node);
            }
            _ => {}
        }
        let first = self.scalar(close)?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            self.skip_space();
            if self.peek() != Some(b',') {
                self.pos = save;
                break;
            }
            let after = self.pos + 1;
            if looks_like_shorthand(self.text[after..].trim_start()) {
                self.pos = save;
                break;
            }
            self.pos = after;
            items.push(self.scalar(close)?);
        }
        if items.len() == 1 {
            return Ok(items.pop().expect("one item"));
        }
        Ok(Node {
            value: Value::Array(items),
            start,
            end: self.pos,
        })
    }

    fn nest(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > crate::json::MAX_DEPTH {
            return self.error("nested too deeply");
        }
        Ok(())
    }

    fn explicit_list(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        self.nest()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node {
                value: Value::Array(items),
                start,
                end: self.pos,
            });
        }
        loop {
            self.skip_space();
            let item = match self.peek() {
                Some(b'[') => self.explicit_list()?,
                Some(b'{') => self.value(Some(b']'))?,
                _ if looks_like_shorthand(&self.text[self.pos..]) => {
                    // `[k=v,k2=v2]` is a list holding one structure.
                    self.keyvals(Some(b']'))?
                }
                _ => self.scalar(Some(b']'))?,
            };
            items.push(item);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Node {
                        value: Value::Array(items),
                        start,
                        end: self.pos,
                    });
                }
                _ => return self.error("expected `,` or `]`"),
            }
        }
    }

    /// A bare or quoted scalar.
    fn scalar(&mut self, close: Option<u8>) -> Result<Node, JsonError> {
        self.skip_space();
        let start = self.pos;
        if let Some(quote @ (b'"' | b'\'')) = self.peek() {
            self.pos += 1;
            let mut out = String::new();
            loop {
                match self.peek() {
                    None => {
                        self.pos = start;
                        return self.error("unterminated quoted value");
                    }
                    Some(b'\\') if self.bytes.get(self.pos + 1) == Some(&quote) => {
                        out.push(char::from(quote));
                        self.pos += 2;
                    }
                    Some(c) if c == quote => {
                        self.pos += 1;
                        break;
                    }
                    Some(_) => {
                        let ch = self.text[self.pos..].chars().next().expect("in bounds");
                        out.push(ch);
                        self.pos += ch.len_utf8();
                    }
                }
            }
            return Ok(Node {
                value: Value::Text(out),
                start,
                end: self.pos,
            });
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == b',' || Some(c) == close || (close.is_some() && (c == b']' || c == b'}')) {
                break;
            }
            if c == b'\\' && self.pos + 1 < self.bytes.len() {
                self.pos += 1;
            }
            let ch = self.text[self.pos..].chars().next().expect("in bounds");
            out.push(ch);
            self.pos += ch.len_utf8();
        }
        Ok(Node {
            value: Value::Text(out.trim_end().to_string()),
            start,
            end: self.pos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact rendering of a tree, for assertions.
    fn show(node: &Node) -> String {
        match &node.value {
            Value::Text(t) => t.clone(),
            Value::Array(items) => {
                format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(","))
            }
            Value::Object(members) => format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|m| format!("{}:{}", m.key, show(&m.value)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn parses_the_cli_grammar() {
        let cases = [
            (
                "Name=ClusterName,Value=my-cluster",
                "{Name:ClusterName,Value:my-cluster}",
            ),
            (
                "awsvpcConfiguration={subnets=[subnet-xxx],securityGroups=[sg-xxx],assignPublicIp=ENABLED}",
                "{awsvpcConfiguration:{subnets:[subnet-xxx],securityGroups:[sg-xxx],assignPublicIp:ENABLED}}",
            ),
            ("Name=tag:Env,Values=a,b,c", "{Name:tag:Env,Values:[a,b,c]}"),
            ("Values=a,b,Name=x", "{Values:[a,b],Name:x}"),
            ("Key='a,b',Value=\"c d\"", "{Key:a,b,Value:c d}"),
            ("K=", "{K:}"),
            ("List=[]", "{List:[]}"),
            ("Ip=[{CidrIp=0.0.0.0/0}]", "{Ip:[{CidrIp:0.0.0.0/0}]}"),
            ("A=x=y", "{A:x=y}"),
        ];
        for (text, expected) in cases {
            let node = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(show(&node), expected, "{text}");
        }
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Name=ClusterName,Value=my-cluster";
        let node = parse(text).unwrap();
        let Value::Object(members) = &node.value else {
            panic!()
        };
        assert_eq!(&text[members[1].key_start..members[1].key_end], "Value");
        assert_eq!(
            &text[members[1].value.start..members[1].value.end],
            "my-cluster"
        );
    }

    #[test]
    fn malformed_shorthand_is_an_error_at_its_position() {
        let cases = [
            ("Name", 4),
            ("=x", 0),
            ("A={B=c", 6),
            ("A=[x,y", 6),
            ("A='x", 2),
        ];
        for (text, offset) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.offset, offset, "{text}: {}", error.message);
        }
    }

    #[test]
    fn detects_shorthand() {
        assert!(looks_like_shorthand("Name=x"));
        assert!(looks_like_shorthand("tag:Env=x"));
        assert!(!looks_like_shorthand("x"));
        assert!(!looks_like_shorthand("=x"));
        assert!(!looks_like_shorthand("{\"a\": 1}"));
    }
}
