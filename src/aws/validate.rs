//! Values against shapes: one engine for shorthand, JSON arguments and JSON
//! documents.
//!
//! A value tree ([`json::Node`]) is walked together with a shape of the
//! model. Unknown keys (with did-you-mean), wrong types, values outside an
//! enum, values outside the shape's bounds, lengths and patterns (see
//! `constraints`), and missing required members are reported.
//! Shorthand scalars ([`Value::Text`]) are converted the way the CLI
//! converts them; JSON values must already have the right JSON type, as
//! botocore's parameter validation requires. Offsets in the findings are
//! those of the tree; callers map them to the file.

use super::constraints;
use super::limits::{self, Limits};
use super::model::{Service, Shape, ShapeType};
use super::placeholders;
use crate::finding::Finding;
use crate::json::{Node, Value};
use crate::registry::{RuleId, Severity};
use crate::suggest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    UnknownKey,
    Type,
    Enum,
    /// Outside the shape's `min`/`max` (a number, or a length).
    Range,
    /// A string that does not match the shape's `pattern`.
    Pattern,
    MissingRequired,
    /// Outside a documented limit (data/limits.json).
    Limit,
    /// A Fargate cpu/memory pair that does not exist.
    FargateSize,
}

impl IssueKind {
    /// The rule id for this kind of issue, given the rule used for shape
    /// problems where the value was found (`aws-invalid-json-arg`, `json-shape`…).
    pub fn rule(self, shape_rule: RuleId) -> RuleId {
        match self {
            IssueKind::Enum => RuleId::AwsInvalidEnum,
            IssueKind::Range => RuleId::AwsValueOutOfRange,
            IssueKind::Pattern => RuleId::AwsPatternMismatch,
            IssueKind::Limit => RuleId::AwsLimit,
            IssueKind::FargateSize => RuleId::FargateTaskSize,
            _ => shape_rule,
        }
    }
}

/// How strictly required members are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// A whole document: required members must be present at every level.
    Whole,
    /// A fragment: only what is there is checked.
    Fragment,
}

pub struct Validator<'a> {
    pub service: &'a Service,
    pub completeness: Completeness,
    /// The rule of findings about the shape itself (unknown keys, types):
    /// `json-shape` for a JSON block, `aws-invalid-json-arg` for an argument.
    shape_rule: RuleId,
    pub issues: Vec<Finding>,
}

impl<'a> Validator<'a> {
    pub fn new(service: &'a Service, completeness: Completeness, shape_rule: RuleId) -> Self {
        Validator {
            service,
            completeness,
            shape_rule,
            issues: Vec::new(),
        }
    }

    fn push(
        &mut self,
        kind: IssueKind,
        node_start: usize,
        node_end: usize,
        message: String,
        help: Option<String>,
    ) {
        self.issues.push(
            Finding::new(kind.rule(self.shape_rule), node_start, node_end, message)
                .with_help(help)
                .with_severity(Severity::Error),
        );
    }

    /// Checks `node` against the shape named `shape_name`; `path` names the
    /// value in messages (`--network-configuration.awsvpcConfiguration`).
    pub fn check(&mut self, node: &Node, shape_name: &str, path: &str) {
        let Some(shape) = self.service.shape(shape_name) else {
            return;
        };
        if matches!(node.value, Value::Elided | Value::Null) {
            return;
        }
        match shape.t {
            ShapeType::Structure => self.structure(node, shape, shape_name, path),
            ShapeType::List => match &node.value {
                Value::Array(items) => {
                    self.length(node, shape, items.len(), path);
                    if let Some(element) = &shape.e {
                        for (i, item) in items.iter().enumerate() {
                            self.check(item, element, &format!("{path}[{i}]"));
                        }
                    }
                }
                // Shorthand turns a lone value into a one-element list.
                Value::Text(_) => {
                    if let Some(element) = &shape.e {
                        self.check(node, element, &format!("{path}[0]"));
                    }
                }
                _ => self.wrong_type(node, "a list", path),
            },
            ShapeType::Map => match &node.value {
                Value::Object(members) => {
                    self.length(node, shape, members.len(), path);
                    if let Some(value_shape) = &shape.v {
                        for member in members {
                            self.check(
                                &member.value,
                                value_shape,
                                &format!("{path}.{}", crate::excerpt::quote(&member.key)),
                            );
                        }
                    }
                }
                _ => self.wrong_type(node, "a map of key/value pairs", path),
            },
            ShapeType::Document => {}
            _ => self.scalar(node, shape, path),
        }
    }

    fn structure(&mut self, node: &Node, shape: &Shape, shape_name: &str, path: &str) {
        let Value::Object(members) = &node.value else {
            let expected = format!("a structure ({shape_name})");
            return self.wrong_type(node, &expected, path);
        };
        for member in members {
            match shape.m.get(&member.key) {
                Some(member_shape) => {
                    let child = if path.is_empty() {
                        member.key.clone()
                    } else {
                        format!("{path}.{}", member.key)
                    };
                    self.check(&member.value, member_shape, &child);
                    self.limits(shape_name, &member.key, &member.value, &child);
                }
                None => {
                    let insensitive = shape
                        .m
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(&member.key))
                        .map(String::as_str);
                    let best = insensitive
                        .or_else(|| suggest::best(&member.key, shape.m.keys().map(String::as_str)));
                    let help = match best {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "valid keys: {}",
                            shape.m.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    let place = if path.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{path}`")
                    };
                    self.push(
                        IssueKind::UnknownKey,
                        member.key_start,
                        member.key_end,
                        format!(
                            "unknown key `{}`{place}",
                            crate::excerpt::quote(&member.key)
                        ),
                        Some(help),
                    );
                }
            }
        }
        self.fargate_size(members);
        if self.completeness == Completeness::Whole {
            let missing: Vec<&str> = shape
                .r
                .iter()
                .filter(|r| !members.iter().any(|m| &m.key == *r))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                let place = if path.is_empty() {
                    String::new()
                } else {
                    format!(" in `{path}`")
                };
                let names = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let end = (node.start + 1).min(node.end);
                self.push(
                    IssueKind::MissingRequired,
                    node.start,
                    end,
                    format!("missing required key {names}{place}"),
                    None,
                );
            }
        }
    }

    /// Documented limits of `shape_name.member` (data/limits.json).
    fn limits(&mut self, shape_name: &str, member: &str, value: &Node, path: &str) {
        let Some(limit) = Limits::get().member(&self.service.cli, shape_name, member) else {
            return;
        };
        let help = Some(format!("see {}", limit.source));
        if let Value::Number(text) | Value::Text(text) = &value.value
            && let Ok(number) = text.trim().parse::<f64>()
        {
            let low = limit.min.is_some_and(|min| number < min);
            let high = limit.max.is_some_and(|max| number > max);
            if low || high {
                let range = format!(
                    "{}–{}",
                    limit.min.unwrap_or(f64::MIN),
                    limit.max.unwrap_or(f64::MAX)
                );
                self.push(
                    IssueKind::Limit,
                    value.start,
                    value.end,
                    format!("`{path}` is {number}; AWS allows {range}"),
                    help.clone(),
                );
            }
        }
        if let (Some(allowed), Value::Array(items)) = (&limit.first_item, &value.value) {
            let first = items.first().and_then(|i| match &i.value {
                Value::String(s) | Value::Text(s) => Some((s.as_str(), i)),
                _ => None,
            });
            if let Some((first, node)) = first
                && !allowed.iter().any(|a| a == first)
            {
                self.push(
                    IssueKind::Limit,
                    node.start,
                    node.end,
                    format!("`{path}` must start with {}", allowed.join(" or ")),
                    help,
                );
            }
        }
    }

    /// A task-level Fargate cpu/memory pair must be one AWS offers.
    fn fargate_size(&mut self, members: &[crate::json::Member]) {
        let get = |key: &str| members.iter().find(|m| m.key == key);
        let fargate = get("requiresCompatibilities").is_some_and(|m| match &m.value.value {
            Value::Array(items) => items
                .iter()
                .any(|i| matches!(&i.value, Value::String(s) | Value::Text(s) if s == "FARGATE")),
            Value::Text(s) | Value::String(s) => s == "FARGATE",
            _ => false,
        });
        let (Some(cpu), Some(memory)) = (get("cpu"), get("memory")) else {
            return;
        };
        let text = |node: &Node| match &node.value {
            Value::String(s) | Value::Text(s) | Value::Number(s) => Some(s.clone()),
            _ => None,
        };
        if !fargate {
            return;
        }
        let (Some(cpu_text), Some(memory_text)) = (text(&cpu.value), text(&memory.value)) else {
            return;
        };
        let (Some(cpu_units), Some(memory_mib)) = (
            limits::parse_size(&cpu_text, 1024),
            limits::parse_size(&memory_text, 1024),
        ) else {
            return;
        };
        if let Err(valid) = Limits::get().fargate_pair(cpu_units, memory_mib) {
            let help = if valid.is_empty() {
                "valid cpu values: 256, 512, 1024, 2048, 4096, 8192, 16384".to_string()
            } else {
                format!(
                    "with cpu {cpu_units}, memory is one of {}",
                    valid
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.push(
                IssueKind::FargateSize,
                memory.value.start,
                memory.value.end,
                format!("Fargate has no task size of {cpu_units} CPU units with {memory_mib} MiB"),
                Some(format!(
                    "{help} (see {})",
                    Limits::get().fargate_task_sizes.source
                )),
            );
        }
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, path: &str) {
        self.push(
            IssueKind::Type,
            node.start,
            node.end,
            format!("`{path}` must be {expected}, not {}", node.value.kind()),
            None,
        );
    }

    fn length(&mut self, node: &Node, shape: &Shape, len: usize, path: &str) {
        if let Some(violation) = constraints::length(len, shape) {
            self.push(
                IssueKind::Range,
                node.start,
                node.end,
                format!("`{path}`: {}", violation.message),
                violation.help,
            );
        }
    }

    fn scalar(&mut self, node: &Node, shape: &Shape, path: &str) {
        let (text, from_shorthand) = match &node.value {
            Value::Text(text) => (text.as_str(), true),
            Value::String(text) => (text.as_str(), false),
            Value::Number(number) => (number.as_str(), false),
            Value::Bool(b) => (if *b { "true" } else { "false" }, false),
            Value::Array(_) | Value::Object(_) => {
                let expected = format!("a {}", shape.t.name());
                return self.wrong_type(node, &expected, path);
            }
            Value::Null | Value::Elided => return,
        };
        if from_shorthand && is_placeholder_for(text, shape) {
            return;
        }
        let json_kind_ok = matches!(
            (shape.t, &node.value),
            (_, Value::Text(_))
                | (ShapeType::String | ShapeType::Blob, Value::String(_))
                | (
                    ShapeType::Integer | ShapeType::Long | ShapeType::Float | ShapeType::Double,
                    Value::Number(_)
                )
                | (ShapeType::Boolean, Value::Bool(_))
                | (ShapeType::Timestamp, Value::String(_) | Value::Number(_))
        );
        if !json_kind_ok {
            let expected = match shape.t {
                ShapeType::Integer | ShapeType::Long => {
                    "an integer (a JSON number, not a string)".to_string()
                }
                ShapeType::Float | ShapeType::Double => "a number".to_string(),
                ShapeType::Boolean => "true or false".to_string(),
                other => format!("a {}", other.name()),
            };
            return self.wrong_type(node, &expected, path);
        }
        match check_scalar(text, shape) {
            Ok(()) => {}
            // A placeholder in a JSON string is not held to the model's bounds and patterns.
            Err((IssueKind::Range | IssueKind::Pattern, ..))
                if placeholders::contains_placeholder(text) => {}
            Err((kind, message, help)) => self.push(
                kind,
                node.start,
                node.end,
                format!("`{path}`: {message}"),
                help,
            ),
        }
    }
}

/// Whether `text` is a placeholder where a value of `shape` is expected: for
/// an enum, a value close to an allowed one is a typo, not a placeholder.
pub fn is_placeholder_for(text: &str, shape: &Shape) -> bool {
    match &shape.enumeration {
        Some(values) => placeholders::is_enum_placeholder(text, values.iter().map(String::as_str)),
        None => placeholders::contains_placeholder(text),
    }
}

/// Checks a scalar given as text against a scalar shape.
pub fn check_scalar(text: &str, shape: &Shape) -> Result<(), (IssueKind, String, Option<String>)> {
    match shape.t {
        ShapeType::Integer | ShapeType::Long => {
            let Ok(number) = text.trim().parse::<i64>() else {
                return Err((
                    IssueKind::Type,
                    format!("`{}` is not an integer", crate::excerpt::quote(text)),
                    None,
                ));
            };
            violated(constraints::number(number as f64, shape))
        }
        ShapeType::Float | ShapeType::Double => match text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => violated(constraints::number(number, shape)),
            _ => Err((
                IssueKind::Type,
                format!("`{}` is not a number", crate::excerpt::quote(text)),
                None,
            )),
        },
        ShapeType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(()),
            _ => Err((
                IssueKind::Type,
                format!("`{}` is not a boolean", crate::excerpt::quote(text)),
                Some("use `true` or `false`".to_string()),
            )),
        },
        ShapeType::Timestamp => {
            if is_timestamp(text.trim()) {
                Ok(())
            } else {
                Err((
                    IssueKind::Type,
                    format!("`{}` is not a timestamp", crate::excerpt::quote(text)),
                    Some("use ISO 8601 (`2024-05-01T12:00:00Z`) or epoch seconds".to_string()),
                ))
            }
        }
        ShapeType::String => {
            if let Some(values) = &shape.enumeration
                && !values.iter().any(|v| v == text)
            {
                let best = placeholders::near_enum_value(text, values.iter().map(String::as_str));
                let help = match best {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("valid values: {}", values.join(", ")),
                };
                return Err((
                    IssueKind::Enum,
                    format!(
                        "`{}` is not one of the allowed values",
                        crate::excerpt::quote(text)
                    ),
                    Some(help),
                ));
            }
            violated(constraints::string(text, shape))
        }
        _ => Ok(()),
    }
}

/// A constraint violation as the error of [`check_scalar`].
fn violated(
    violation: Option<constraints::Violation>,
) -> Result<(), (IssueKind, String, Option<String>)> {
    match violation {
        None => Ok(()),
        Some(v) => {
            let kind = match v.constraint {
                constraints::Constraint::Range => IssueKind::Range,
                constraints::Constraint::Pattern => IssueKind::Pattern,
            };
            Err((kind, v.message, v.help))
        }
    }
}

/// ISO 8601 dates and date-times, or epoch seconds, as the CLI accepts them.
pub fn is_timestamp(text: &str) -> bool {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return true;
    }
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    if text.len() < 10
        || !digits(0..4)
        || bytes[4] != b'-'
        || !digits(5..7)
        || bytes[7] != b'-'
        || !digits(8..10)
    {
        return false;
    }
    let rest = &text[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let time = time.trim_end_matches('Z');
    let time = match time.rfind(['+', '-']) {
        Some(i) if i >= 5 => &time[..i],
        _ => time,
    };
    let parts: Vec<&str> = time.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().enumerate().all(|(i, p)| {
            let p = if i == 2 {
                p.split('.').next().unwrap_or("")
            } else {
                p
            };
            p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::model::Model;
    use crate::aws::shorthand;
    use crate::json;

    fn issues(
        service: &str,
        shape: &str,
        node: &Node,
        completeness: Completeness,
    ) -> Vec<(RuleId, String)> {
        let service = Model::get().service(service).unwrap();
        let mut validator = Validator::new(service, completeness, RuleId::JsonShape);
        validator.check(node, shape, "x");
        validator
            .issues
            .into_iter()
            .map(|i| (i.rule, i.help.unwrap_or(i.message)))
            .collect()
    }

    #[test]
    fn shorthand_against_shapes() {
        let ok = shorthand::parse("awsvpcConfiguration={subnets=[subnet-xxx],securityGroups=[sg-xxx],assignPublicIp=ENABLED}").unwrap();
        assert_eq!(
            issues("ecs", "NetworkConfiguration", &ok, Completeness::Whole),
            []
        );
        let typo =
            shorthand::parse("awsvpcConfiguration={subnet=[s],assignPublicIp=ENABLE}").unwrap();
        let found = issues("ecs", "NetworkConfiguration", &typo, Completeness::Whole);
        assert!(
            found.contains(&(
                IssueKind::UnknownKey.rule(RuleId::JsonShape),
                "did you mean `subnets`?".to_string()
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                IssueKind::Enum.rule(RuleId::JsonShape),
                "did you mean `ENABLED`?".to_string()
            )),
            "{found:?}"
        );
        assert!(
            found.iter().any(
                |(k, m)| *k == IssueKind::MissingRequired.rule(RuleId::JsonShape)
                    && m.contains("`subnets`")
            ),
            "{found:?}"
        );
    }

    #[test]
    fn json_types_are_strict() {
        let node = json::parse_strict(
            r#"{"TargetValue": "70", "ScaleOutCooldown": 60, "DisableScaleIn": "no"}"#,
        )
        .unwrap();
        let found = issues(
            "application-autoscaling",
            "TargetTrackingScalingPolicyConfiguration",
            &node,
            Completeness::Whole,
        );
        let kinds: Vec<RuleId> = found.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                IssueKind::Type.rule(RuleId::JsonShape),
                IssueKind::Type.rule(RuleId::JsonShape)
            ],
            "{found:?}"
        );
    }

    #[test]
    fn fragments_skip_required() {
        let node = json::parse_strict(r#"{"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}"#)
            .unwrap();
        assert_eq!(
            issues("ecs", "NetworkConfiguration", &node, Completeness::Fragment),
            []
        );
        assert_eq!(
            issues("ecs", "NetworkConfiguration", &node, Completeness::Whole).len(),
            1
        );
    }

    #[test]
    fn documented_limits() {
        let node = json::parse_strict(r#"{"command": ["CMD-SHEL", "x"], "interval": 301, "timeout": 5, "retries": 3, "startPeriod": 60}"#).unwrap();
        let found = issues("ecs", "HealthCheck", &node, Completeness::Fragment);
        let kinds: Vec<RuleId> = found.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                IssueKind::Limit.rule(RuleId::JsonShape),
                IssueKind::Limit.rule(RuleId::JsonShape)
            ],
            "{found:?}"
        );
        let node = json::parse_strict(r#"{"family": "f", "containerDefinitions": [], "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "8192"}"#).unwrap();
        let found = issues(
            "ecs",
            "RegisterTaskDefinitionRequest",
            &node,
            Completeness::Whole,
        );
        assert!(
            found.iter().any(
                |(k, m)| *k == IssueKind::FargateSize.rule(RuleId::JsonShape)
                    && m.contains("1024, 2048, 3072, 4096")
            ),
            "{found:?}"
        );
        let node = json::parse_strict(r#"{"family": "f", "containerDefinitions": [], "requiresCompatibilities": ["FARGATE"], "cpu": "16 vCPU", "memory": "120 GB"}"#).unwrap();
        assert_eq!(
            issues(
                "ecs",
                "RegisterTaskDefinitionRequest",
                &node,
                Completeness::Whole
            ),
            []
        );
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2024-05-01",
            "2024-05-01T12:00:00Z",
            "2024-05-01T12:00Z",
            "2024-05-01 12:00:00",
            "2024-05-01T12:00:00.123+02:00",
            "1714564800",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in ["yesterday", "2024-5-1", "2024-05-01T1200", "1 hour ago", ""] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
