//! The constraints a botocore shape puts on a value: numeric `min`/`max`,
//! lengths of strings, lists and maps, and string `pattern`s.
//!
//! Each check returns the problem as data ([`Violation`]); the callers
//! (the value engine in `validate`, the command checker) place it. The AWS
//! CLI itself (botocore's parameter validation) checks only the minimums
//! (numbers, string and list lengths); the maximums, map sizes and patterns
//! are left to the service, which rejects the request. Messages say which.
//!
//! Patterns are the model's regular expressions, matched against the whole
//! value, as AWS services apply them (`Member must satisfy regular
//! expression pattern: …`). They are written for Java/ECMAScript engines: a
//! pattern the `regex` crate cannot compile (look-arounds, surrogate
//! escapes) is skipped rather than guessed at. Compiled patterns are cached
//! per pattern text; the model holds a bounded set of them.

use super::model::{Shape, ShapeType};
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Which constraint a value breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Range,
    Pattern,
}

/// A value that breaks a constraint of its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub constraint: Constraint,
    pub message: String,
    pub help: Option<String>,
}

const CLI_SKIPS: &str = "the AWS CLI does not check this; the service rejects the request";

/// Formats a bound of the model (`128`, `0.5`).
fn bound(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn allowed_range(shape: &Shape) -> String {
    match (shape.min, shape.max) {
        (Some(min), Some(max)) => format!("the model allows {} to {}", bound(min), bound(max)),
        (Some(min), None) => format!("the model allows {} or more", bound(min)),
        (None, Some(max)) => format!("the model allows at most {}", bound(max)),
        (None, None) => String::new(),
    }
}

/// A number against the shape's `min` and `max`.
pub fn number(value: f64, shape: &Shape) -> Option<Violation> {
    let shown = bound(value);
    if let Some(min) = shape.min
        && value < min
    {
        return Some(Violation {
            constraint: Constraint::Range,
            message: format!("{shown} is below the minimum {}", bound(min)),
            help: Some(allowed_range(shape)),
        });
    }
    if let Some(max) = shape.max
        && value > max
    {
        return Some(Violation {
            constraint: Constraint::Range,
            message: format!("{shown} is above the maximum {}", bound(max)),
            help: Some(format!("{}; {CLI_SKIPS}", allowed_range(shape))),
        });
    }
    None
}

/// A length (characters of a string, items of a list, entries of a map)
/// against the shape's `min` and `max`.
pub fn length(len: usize, shape: &Shape) -> Option<Violation> {
    let (unit, units, cli_checks_min) = match shape.t {
        ShapeType::String => ("character", "characters", true),
        ShapeType::List => ("item", "items", true),
        ShapeType::Map => ("entry", "entries", false),
        _ => return None,
    };
    let count = |n: usize| format!("{n} {}", if n == 1 { unit } else { units });
    let lengths = match (shape.min, shape.max) {
        (Some(min), Some(max)) if min == max => format!("exactly {}", bound(min)),
        (Some(min), Some(max)) => format!("{} to {}", bound(min), bound(max)),
        (Some(min), None) => format!("at least {}", bound(min)),
        (None, Some(max)) => format!("at most {}", bound(max)),
        (None, None) => return None,
    };
    let help = |checked: bool| {
        let mut help = format!("the model allows {lengths} {units}");
        if !checked {
            help.push_str("; ");
            help.push_str(CLI_SKIPS);
        }
        Some(help)
    };
    if let Some(min) = shape.min
        && (len as f64) < min
    {
        return Some(Violation {
            constraint: Constraint::Range,
            message: format!("{}, fewer than the minimum {}", count(len), bound(min)),
            help: help(cli_checks_min),
        });
    }
    if let Some(max) = shape.max
        && (len as f64) > max
    {
        return Some(Violation {
            constraint: Constraint::Range,
            message: format!("{}, more than the maximum {}", count(len), bound(max)),
            help: help(false),
        });
    }
    None
}

/// A string against the shape's length bounds, then its `pattern`.
pub fn string(text: &str, shape: &Shape) -> Option<Violation> {
    if let Some(violation) = length(text.chars().count(), shape) {
        return Some(violation);
    }
    let pattern = shape.pattern.as_deref()?;
    let regex = compiled(pattern)?;
    if regex.is_match(text) {
        return None;
    }
    Some(Violation {
        constraint: Constraint::Pattern,
        message: format!(
            "`{}` does not match the pattern `{}`",
            crate::excerpt::quote(text),
            crate::excerpt::line(pattern, 120)
        ),
        help: Some(CLI_SKIPS.to_string()),
    })
}

/// The pattern compiled to match a whole value, or `None` when the `regex`
/// crate cannot compile it (it is then not checked).
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| {
            RegexBuilder::new(&format!("^(?:{pattern})$"))
                .size_limit(1 << 20)
                .dfa_size_limit(1 << 20)
                .build()
                .ok()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(json: &str) -> Shape {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers() {
        let memory = shape(r#"{"t": "integer", "min": 128, "max": 32768}"#);
        assert_eq!(number(1024.0, &memory), None);
        let high = number(40000.0, &memory).unwrap();
        assert_eq!(high.message, "40000 is above the maximum 32768");
        assert!(high.help.unwrap().contains("does not check"));
        let low = number(64.0, &memory).unwrap();
        assert_eq!(low.message, "64 is below the minimum 128");
        assert!(!low.help.unwrap().contains("does not check"));
        let ratio = shape(r#"{"t": "double", "min": 0.5}"#);
        assert_eq!(
            number(0.25, &ratio).unwrap().message,
            "0.25 is below the minimum 0.5"
        );
    }

    #[test]
    fn lengths() {
        let name = shape(r#"{"t": "string", "min": 1, "max": 64}"#);
        assert_eq!(string("ecsTaskExecutionRole", &name), None);
        let long = string(&"r".repeat(65), &name).unwrap();
        assert_eq!(long.message, "65 characters, more than the maximum 64");
        assert_eq!(
            string("", &name).unwrap().message,
            "0 characters, fewer than the minimum 1"
        );
        let list = shape(r#"{"t": "list", "e": "String", "min": 1, "max": 2}"#);
        assert_eq!(length(1, &list), None);
        assert!(length(3, &list).unwrap().message.starts_with("3 items"));
        let map = shape(r#"{"t": "map", "k": "K", "v": "V", "max": 1}"#);
        assert!(length(2, &map).unwrap().message.starts_with("2 entries"));
    }

    #[test]
    fn patterns_match_the_whole_value() {
        let alias = shape(r#"{"t": "string", "pattern": "^[a-zA-Z0-9:/_-]+$"}"#);
        assert_eq!(string("alias/ecs-secrets", &alias), None);
        let bad = string("alias/ecs secrets", &alias).unwrap();
        assert_eq!(bad.constraint, Constraint::Pattern);
        // Unanchored in the model, still a whole-value match.
        let role = shape(r#"{"t": "string", "pattern": "[\\w+=,.@-]+"}"#);
        assert_eq!(string("ecsTaskExecutionRole", &role), None);
        assert!(string("ecs task role", &role).is_some());
        let account = shape(r#"{"t": "string", "pattern": "[0-9]{12}"}"#);
        assert!(string("1234567890123", &account).is_some());
        // ECMAScript escapes the regex crate also reads.
        let text = shape(r#"{"t": "string", "pattern": "[\\u0020-\\u007E]+"}"#);
        assert_eq!(string("plain text", &text), None);
    }

    #[test]
    fn patterns_the_regex_crate_cannot_read_are_skipped() {
        for pattern in [
            r"^(?!\s*$).+",
            r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*",
            r"(a)\1",
        ] {
            let s = Shape {
                pattern: Some(pattern.to_string()),
                ..shape(r#"{"t": "string"}"#)
            };
            assert_eq!(string("anything at all", &s), None, "{pattern}");
        }
    }
}
