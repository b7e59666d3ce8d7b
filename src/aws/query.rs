//! `--query`: JMESPath syntax, and field names checked against the output
//! shape of the operation.
//!
//! The expression is parsed with the `jmespath` crate. The AST is then walked
//! with the *type* of the value at each step (a shape of the model, a list of
//! something, or unknown): a field that the structure at that point does not
//! have is reported, with the closest member as a suggestion. Anything the
//! walk cannot type (function results, literals, documents) stops the check
//! there rather than guessing.
//!
//! **Limits.** The `jmespath` parser and the walk recurse once per operator
//! along a chain (`a.b.c`, `a || b`, `!x`, `(…)`, `[…]`), so hostile input
//! could exhaust the stack. Before parsing, an expression longer than
//! [`MAX_QUERY_BYTES`] is refused, and a single linear scan bounds its depth
//! ([`query_depth`]); one deeper than [`MAX_QUERY_DEPTH`] is refused too,
//! each with one finding. Every step after that is linear in the expression.

use super::model::{Service, ShapeType};
use crate::excerpt;
use crate::finding::Finding;
use crate::registry::{RuleId, Severity};
use crate::suggest;
use jmespath::ast::Ast;

/// A problem in a `--query` expression, before it becomes a [`Finding`].
/// Offsets are bytes into the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QueryIssue {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
    pub kind: QueryIssueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryIssueKind {
    /// Not valid JMESPath (or an unknown function), or beyond the limits
    /// of the checker ([`MAX_QUERY_BYTES`], [`MAX_QUERY_DEPTH`]).
    Syntax,
    /// Valid only through a backward-compatibility rule of the CLI's library.
    Deprecated,
    /// A field the output shape does not have.
    UnknownField,
}

/// The longest `--query` expression checked, in bytes. Real queries are a
/// few hundred bytes long.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

/// The deepest expression checked: operators chained or nested along one
/// path of the expression (see [`query_depth`]).
pub const MAX_QUERY_DEPTH: usize = 64;

/// Checks `expr`; `output` is the operation's output shape, if any. The
/// findings' offsets are bytes into `expr`.
pub fn check(expr: &str, service: Option<&Service>, output: Option<&str>) -> Vec<Finding> {
    issues_of(expr, service, output)
        .into_iter()
        .map(|issue| {
            let (rule, severity) = match issue.kind {
                QueryIssueKind::Syntax => (RuleId::AwsInvalidQuery, Severity::Error),
                QueryIssueKind::Deprecated => (RuleId::AwsInvalidQuery, Severity::Warning),
                QueryIssueKind::UnknownField => (RuleId::AwsQueryUnknownField, Severity::Warning),
            };
            Finding::new(rule, issue.offset, issue.offset + issue.len, issue.message)
                .with_severity(severity)
                .with_help(issue.help)
        })
        .collect()
}

fn issues_of(expr: &str, service: Option<&Service>, output: Option<&str>) -> Vec<QueryIssue> {
    if let Some(issue) = beyond_limits(expr) {
        return vec![issue];
    }
    let (expr_owned, mut issues) = legacy_literals(expr);
    let expr = expr_owned.as_str();
    let ast = match jmespath::parse(expr) {
        Ok(ast) => ast,
        Err(error) => {
            // The parser's offsets are byte offsets (despite its docs).
            let offset = floor_char_boundary(expr, error.offset.min(expr.len().saturating_sub(1)));
            let reason = error.reason.to_string();
            // The reason may quote the rest of the query, lines and all.
            let reason = excerpt::line(
                reason.strip_prefix("Parse error: ").unwrap_or(&reason),
                excerpt::REASON,
            )
            .into_owned();
            issues.push(QueryIssue {
                offset,
                // The character at the error; nothing past the end (an
                // empty expression).
                len: expr[offset..].chars().next().map_or(0, char::len_utf8),
                message: format!("invalid JMESPath: {reason}"),
                help: None,
                kind: QueryIssueKind::Syntax,
            });
            return issues;
        }
    };
    unknown_functions(&ast, expr, &mut issues);
    let (Some(service), Some(output)) = (service, output) else {
        return issues;
    };
    let mut walker = Walker {
        expr,
        service,
        issues,
    };
    walker.eval(&ast, &Ty::Shape(output));
    walker.issues
}

/// One finding for an expression too long or too deep to check.
fn beyond_limits(expr: &str) -> Option<QueryIssue> {
    let first_len = expr.chars().next().map_or(0, char::len_utf8);
    if expr.len() > MAX_QUERY_BYTES {
        return Some(QueryIssue {
            offset: 0,
            len: first_len,
            message: format!(
                "query too long to check: {} bytes (the limit is {MAX_QUERY_BYTES})",
                expr.len()
            ),
            help: Some("split the work: a shorter query and `jq` on the output".to_string()),
            kind: QueryIssueKind::Syntax,
        });
    }
    let (depth, over_at) = query_depth(expr);
    if depth <= MAX_QUERY_DEPTH {
        return None;
    }
    let offset = over_at.unwrap_or(0);
    Some(QueryIssue {
        offset,
        len: expr[offset..].chars().next().map_or(0, char::len_utf8),
        message: format!(
            "query too deep to check: {depth} operators along one path (the limit is {MAX_QUERY_DEPTH})"
        ),
        help: None,
        kind: QueryIssueKind::Syntax,
    })
}

/// An upper bound on how deep the parser and the walk recurse for `expr`,
/// and the byte offset where the bound first passes [`MAX_QUERY_DEPTH`].
///
/// One pass over the text, skipping quoted names, raw strings and JSON
/// literals. Each operator (`.`, `|`, `||`, `&&`, comparisons, `!`, `&`,
/// `*`, `[]` and every opening bracket) adds one level to the path it is on;
/// `,` and `:` inside brackets start a new, independent path; a bracketed
/// group adds its own depth to the path it sits on. Any syntax tree the
/// parser builds is at most this deep.
fn query_depth(expr: &str) -> (usize, Option<usize>) {
    /// A bracketed group: operators on its current path, the deepest group
    /// nested in that path, and the deepest path finished so far.
    #[derive(Default)]
    struct Group {
        ops: usize,
        child: usize,
        best: usize,
    }
    impl Group {
        /// Ends the current path; returns its operators.
        fn end_path(&mut self) -> usize {
            self.best = self.best.max(self.ops + self.child);
            self.child = 0;
            std::mem::take(&mut self.ops)
        }
    }
    /// Closes the innermost group; returns the operators of its last path.
    fn close(groups: &mut Vec<Group>) -> usize {
        let mut group = groups.pop().expect("an open group");
        let ops = group.end_path();
        let parent = groups.last_mut().expect("the root stays");
        parent.child = parent.child.max(group.best);
        ops
    }
    let bytes = expr.as_bytes();
    let mut groups = vec![Group::default()];
    // Operators on the current path of every open group.
    let mut path_ops = 0usize;
    let mut over_at = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let at = i;
        i += 1;
        let top = groups.len() - 1;
        match b {
            b'"' | b'\'' | b'`' => {
                while i < bytes.len() && bytes[i] != b {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'[' if bytes.get(i) == Some(&b']') => {
                i += 1;
                groups[top].ops += 1;
                path_ops += 1;
            }
            b'[' | b'(' | b'{' => {
                if bytes.get(i) == Some(&b'?') {
                    i += 1;
                }
                groups[top].ops += 1;
                path_ops += 1;
                groups.push(Group::default());
            }
            b']' | b')' | b'}' if top > 0 => path_ops -= close(&mut groups),
            b',' | b':' => path_ops -= groups[top].end_path(),
            b'|' | b'&' | b'=' | b'<' | b'>' | b'!' => {
                if matches!(bytes.get(i), Some(b'|' | b'&' | b'=')) {
                    i += 1;
                }
                groups[top].ops += 1;
                path_ops += 1;
            }
            b'.' | b'*' => {
                groups[top].ops += 1;
                path_ops += 1;
            }
            _ => continue,
        }
        let running = path_ops + groups.last().map_or(0, |g| g.child);
        if running > MAX_QUERY_DEPTH && over_at.is_none() {
            over_at = Some(at);
        }
    }
    // Unclosed groups (the parser reports them) end with the text.
    while groups.len() > 1 {
        close(&mut groups);
    }
    groups[0].end_path();
    (groups[0].best, over_at)
}

/// The functions of the JMESPath specification.
const FUNCTIONS: &[&str] = &[
    "abs",
    "avg",
    "ceil",
    "contains",
    "ends_with",
    "floor",
    "join",
    "keys",
    "length",
    "map",
    "max",
    "max_by",
    "merge",
    "min",
    "min_by",
    "not_null",
    "reverse",
    "sort",
    "sort_by",
    "starts_with",
    "sum",
    "to_array",
    "to_number",
    "to_string",
    "type",
    "values",
];

fn unknown_functions(ast: &Ast, expr: &str, issues: &mut Vec<QueryIssue>) {
    let mut stack = vec![ast];
    while let Some(node) = stack.pop() {
        match node {
            Ast::Function { offset, name, args } => {
                if !FUNCTIONS.contains(&name.as_str()) {
                    let help = suggest::best(name, FUNCTIONS.iter().copied())
                        .map(|b| format!("did you mean `{b}`?"));
                    let (offset, len) = function_name_span(expr, *offset, name);
                    issues.push(QueryIssue {
                        offset,
                        len,
                        message: format!("`{name}` is not a JMESPath function"),
                        help,
                        kind: QueryIssueKind::Syntax,
                    });
                }
                stack.extend(args.iter());
            }
            Ast::Subexpr { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::Comparison { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. } => stack.extend([lhs.as_ref(), rhs.as_ref()]),
            Ast::Condition {
                predicate, then, ..
            } => stack.extend([predicate.as_ref(), then.as_ref()]),
            Ast::Flatten { node, .. } | Ast::ObjectValues { node, .. } | Ast::Not { node, .. } => {
                stack.push(node)
            }
            Ast::Expref { ast, .. } => stack.push(ast),
            Ast::MultiList { elements, .. } => stack.extend(elements.iter()),
            Ast::MultiHash { elements, .. } => stack.extend(elements.iter().map(|kv| &kv.value)),
            _ => {}
        }
    }
}

/// The span of a function's name in `expr`. The parser's `offset` is that
/// of the `(` after the name (with any blanks between them); when the name
/// is not right before it, the character at `offset`.
fn function_name_span(expr: &str, offset: usize, name: &str) -> (usize, usize) {
    let at = floor_char_boundary(expr, offset);
    let before = expr[..at].trim_end();
    if before.ends_with(name) {
        return (before.len() - name.len(), name.len());
    }
    let len = expr[at..].chars().next().map_or(0, char::len_utf8);
    (at, len)
}

/// Backtick literals that are not JSON (`` `PRIMARY` ``): the CLI's JMESPath
/// library still reads them as strings, for backward compatibility. They
/// become raw string literals of the same length (so offsets hold), with a
/// warning.
fn legacy_literals(expr: &str) -> (String, Vec<QueryIssue>) {
    let mut out = expr.as_bytes().to_vec();
    let mut issues = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                // A raw string literal: skip it.
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'`' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let Some(content) = expr.get(start + 1..i.min(expr.len())) else {
                    break;
                };
                if i < bytes.len()
                    && serde_json::from_str::<serde_json::Value>(content.trim()).is_err()
                    && !content.contains('\'')
                {
                    out[start] = b'\'';
                    out[i] = b'\'';
                    issues.push(QueryIssue {
                        offset: start,
                        len: i + 1 - start,
                        message: format!(
                            "`{}` is not a JSON literal; it is read as a string only for backward compatibility",
                            crate::excerpt::quote(content)
                        ),
                        help: Some(format!("write the string as '{content}' or `\"{content}\"`")),
                        kind: QueryIssueKind::Deprecated,
                    });
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    // Only ASCII backquotes became ASCII quotes.
    let out = String::from_utf8(out).expect("still UTF-8");
    (out, issues)
}

/// `offset` moved back to a character boundary of `text` (and into it).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The type of the value at a point of the expression.
#[derive(Debug, Clone, PartialEq)]
enum Ty<'a> {
    Shape(&'a str),
    List(Box<Ty<'a>>),
    Unknown,
}

struct Walker<'a> {
    expr: &'a str,
    service: &'a Service,
    issues: Vec<QueryIssue>,
}

impl<'a> Walker<'a> {
    /// A list shape seen as `List(element)`; other shapes unchanged.
    fn normalize(&self, ty: &Ty<'a>) -> Ty<'a> {
        if let Ty::Shape(name) = ty
            && let Some(shape) = self.service.shape(name)
            && shape.t == ShapeType::List
        {
            return match shape.e.as_deref() {
                Some(element) => Ty::List(Box::new(Ty::Shape(element))),
                None => Ty::List(Box::new(Ty::Unknown)),
            };
        }
        ty.clone()
    }

    fn element(&self, ty: &Ty<'a>) -> Ty<'a> {
        match self.normalize(ty) {
            Ty::List(element) => *element,
            _ => Ty::Unknown,
        }
    }

    fn eval(&mut self, ast: &Ast, input: &Ty<'a>) -> Ty<'a> {
        if *input == Ty::Unknown
            && !matches!(
                ast,
                Ast::Field { .. } | Ast::Subexpr { .. } | Ast::Projection { .. }
            )
        {
            return Ty::Unknown;
        }
        match ast {
            Ast::Identity { .. } => input.clone(),
            Ast::Field { offset, name } => self.field(*offset, name, input),
            Ast::Subexpr { lhs, rhs, .. } => {
                let left = self.eval(lhs, input);
                self.eval(rhs, &left)
            }
            Ast::Index { .. } => self.element(input),
            Ast::Slice { .. } => self.normalize(input),
            Ast::Projection { lhs, rhs, .. } => {
                let left = self.eval(lhs, input);
                let element = match self.normalize(&left) {
                    Ty::List(element) => *element,
                    Ty::Shape(name) => self.map_value(name),
                    Ty::Unknown => Ty::Unknown,
                };
                if element == Ty::Unknown {
                    return Ty::Unknown;
                }
                let each = self.eval(rhs, &element);
                Ty::List(Box::new(each))
            }
            Ast::Flatten { node, .. } => {
                let inner = self.eval(node, input);
                self.flatten(&inner)
            }
            Ast::ObjectValues { node, .. } => match self.eval(node, input) {
                Ty::Shape(name) => Ty::List(Box::new(self.map_value(name))),
                _ => Ty::Unknown,
            },
            Ast::Condition {
                predicate, then, ..
            } => {
                self.eval(predicate, input);
                self.eval(then, input)
            }
            Ast::Comparison { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. } => {
                self.eval(lhs, input);
                self.eval(rhs, input);
                Ty::Unknown
            }
            Ast::Not { node, .. } => {
                self.eval(node, input);
                Ty::Unknown
            }
            Ast::MultiList { elements, .. } => {
                for element in elements {
                    self.eval(element, input);
                }
                Ty::List(Box::new(Ty::Unknown))
            }
            Ast::MultiHash { elements, .. } => {
                for pair in elements {
                    self.eval(&pair.value, input);
                }
                Ty::Unknown
            }
            Ast::Function { args, .. } => {
                for arg in args {
                    if !matches!(arg, Ast::Expref { .. }) {
                        self.eval(arg, input);
                    }
                }
                Ty::Unknown
            }
            Ast::Expref { .. } | Ast::Literal { .. } => Ty::Unknown,
        }
    }

    /// `[]`: one level of lists removed.
    fn flatten(&self, ty: &Ty<'a>) -> Ty<'a> {
        match self.normalize(ty) {
            Ty::List(inner) => match self.normalize(&inner) {
                Ty::List(deeper) => Ty::List(deeper),
                other => Ty::List(Box::new(other)),
            },
            _ => Ty::Unknown,
        }
    }

    /// The value shape of a map, or unknown.
    fn map_value(&self, name: &'a str) -> Ty<'a> {
        match self.service.shape(name) {
            Some(shape) if shape.t == ShapeType::Map => {
                shape.v.as_deref().map_or(Ty::Unknown, Ty::Shape)
            }
            _ => Ty::Unknown,
        }
    }

    fn field(&mut self, offset: usize, name: &str, input: &Ty<'a>) -> Ty<'a> {
        let start = floor_char_boundary(self.expr, offset);
        let span_len = name.len().max(1);
        match self.normalize(input) {
            Ty::Shape(shape_name) => {
                let Some(shape) = self.service.shape(shape_name) else {
                    return Ty::Unknown;
                };
                match shape.t {
                    ShapeType::Structure => {
                        if let Some(member) = shape.m.get(name) {
                            return Ty::Shape(member.as_str());
                        }
                        let insensitive = shape
                            .m
                            .keys()
                            .find(|k| k.eq_ignore_ascii_case(name))
                            .map(String::as_str);
                        let best = insensitive
                            .or_else(|| suggest::best(name, shape.m.keys().map(String::as_str)));
                        self.issues.push(QueryIssue {
                            offset: start,
                            len: span_len,
                            message: format!(
                                "`{}` is not a field of the output here ({shape_name})",
                                crate::excerpt::quote(name)
                            ),
                            help: Some(match best {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => format!(
                                    "fields here: {}",
                                    shape.m.keys().cloned().collect::<Vec<_>>().join(", ")
                                ),
                            }),
                            kind: QueryIssueKind::UnknownField,
                        });
                        Ty::Unknown
                    }
                    ShapeType::Map => shape.v.as_deref().map_or(Ty::Unknown, Ty::Shape),
                    _ => Ty::Unknown,
                }
            }
            Ty::List(_) => {
                self.issues.push(QueryIssue {
                    offset: start,
                    len: span_len,
                    message: format!("`{name}` is applied to a list, so it always gives null"),
                    help: Some(format!(
                        "project over the list: `[].{name}` or `[0].{name}`"
                    )),
                    kind: QueryIssueKind::UnknownField,
                });
                Ty::Unknown
            }
            Ty::Unknown => Ty::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::model::Model;

    fn issues(service: &str, operation: &str, expr: &str) -> Vec<QueryIssue> {
        let service = Model::get().service(service).unwrap();
        let output = service.operation(operation).unwrap().output.as_deref();
        issues_of(expr, Some(service), output)
    }

    #[test]
    fn valid_queries_have_no_issues() {
        let cases = [
            ("ecs", "describe-services", "services[0].events[:10]"),
            (
                "ecs",
                "describe-services",
                "services[0].events[:10].message",
            ),
            (
                "ecs",
                "describe-tasks",
                "tasks[0].{StopCode:stopCode,StopReason:stoppedReason,Container:containers[0].reason}",
            ),
            ("ecs", "describe-tasks", "tasks[0].containers[0].exitCode"),
            ("ecs", "list-tasks", "taskArns"),
            (
                "ec2",
                "describe-security-groups",
                "SecurityGroups[0].IpPermissionsEgress",
            ),
            (
                "ec2",
                "describe-instances",
                "Reservations[].Instances[?State.Name=='running'].InstanceId | []",
            ),
            ("ecs", "describe-services", "length(services)"),
            (
                "ecs",
                "describe-services",
                "sort_by(services, &serviceName)[].serviceName",
            ),
        ];
        for (service, operation, expr) in cases {
            assert_eq!(issues(service, operation, expr), [], "{expr}");
        }
    }

    #[test]
    fn unknown_fields_are_found_with_suggestions() {
        let found = issues("ecs", "describe-services", "services[0].event[:10]");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, "services[0].".len());
        assert_eq!(found[0].help.as_deref(), Some("did you mean `events`?"));
        let found = issues("ecs", "describe-tasks", "Tasks[0].stopCode");
        assert_eq!(found[0].help.as_deref(), Some("did you mean `tasks`?"));
        let found = issues("ecs", "describe-services", "services.serviceName");
        assert!(found[0].message.contains("applied to a list"));
    }

    #[test]
    fn legacy_literals_and_functions() {
        let found = issues(
            "ecs",
            "describe-services",
            "services[0].deployments[?status==`PRIMARY`].rolloutState",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].kind == QueryIssueKind::Deprecated
                && found[0].message.contains("not a JSON literal")
        );
        assert_eq!(
            issues("ecs", "describe-services", "services[?desiredCount==`2`]"),
            []
        );
        let found = issues("ecs", "list-clusters", "lenght(clusterArns)");
        assert_eq!(found[0].kind, QueryIssueKind::Syntax);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `length`?"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let found = issues("ecs", "describe-services", "services[0");
        assert_eq!(found[0].kind, QueryIssueKind::Syntax);
        assert!(found[0].message.starts_with("invalid JMESPath"));
    }

    #[test]
    fn a_syntax_error_quotes_one_short_line_of_the_query() {
        // The parser's reason quotes the rest of the query, which an
        // unclosed delimiter can stretch over many lines.
        let rest = format!("x\n\n**Cause:** {}", "y".repeat(500));
        for open in ['"', '\'', '`'] {
            let found = issues("ecs", "list-clusters", &format!("a[?b=={open}{rest}"));
            let message = &found[0].message;
            assert!(message.starts_with("invalid JMESPath"), "{message}");
            assert!(!message.contains(['\n', '\r']), "{message:?}");
            assert!(message.chars().count() < 200, "{message}");
        }
    }

    /// Queries made of one construct repeated (`a.a.a…`, `((((…`,
    /// `!!!!…`, `a||a||…`…): a million dotted fields or 400,000 nested `(`
    /// overflowed the stack (SIGABRT), and 200,000 dotted fields took 17.7 s.
    /// Runs on the test thread's ordinary stack.
    #[test]
    fn regression_hostile_queries_are_refused_not_overflowed() {
        let units: [(&str, &str); 15] = [
            ("a.", ""),
            ("(", ")"),
            ("{a:", "}"),
            ("[", "]"),
            ("!", ""),
            ("a|", ""),
            ("a[0]", ""),
            ("a||", ""),
            ("a&&", ""),
            ("length(", ")"),
            ("[?", "]"),
            ("a[]", ""),
            ("a<", ""),
            ("a[*].", ""),
            ("& ", ""),
        ];
        for (open, close) in units {
            // Too long: refused by size, whatever the shape.
            let long = format!("{}a{}", open.repeat(100_000), close.repeat(100_000));
            let found = issues("ecs", "describe-services", &long);
            assert_eq!(found.len(), 1, "{open}");
            assert_eq!(found[0].kind, QueryIssueKind::Syntax);
            assert!(
                found[0].message.contains("too long"),
                "{}",
                found[0].message
            );
            // Short enough but too deep: refused by depth.
            let deep = format!("{}a{}", open.repeat(1000), close.repeat(1000));
            assert!(deep.len() <= MAX_QUERY_BYTES);
            let found = issues("ecs", "describe-services", &deep);
            assert_eq!(found.len(), 1, "{open}");
            assert!(
                found[0].message.contains("too deep"),
                "{}",
                found[0].message
            );
            assert!(found[0].offset < deep.len());
            // A few levels are fine.
            let shallow = format!("{}a{}", open.repeat(10), close.repeat(10));
            assert!(
                check(&shallow, None, None)
                    .iter()
                    .all(|i| !i.message.contains("too")),
                "{shallow}"
            );
        }
    }

    /// The depth bound covers what the parser and the walk below recurse
    /// on: at the limit, the worst shapes still run on a small stack.
    #[test]
    fn queries_at_the_depth_limit_fit_a_small_stack() {
        let units = [
            ("(", ")"),
            ("length(", ")"),
            ("a[*].", ""),
            ("!", ""),
            ("{a:", "}"),
            ("a.", ""),
            ("[?", "]"),
            ("[", "]"),
            ("& ", ""),
        ];
        for (open, close) in units {
            let make = |n: usize| format!("{}services{}", open.repeat(n), close.repeat(n));
            let n = (1..)
                .take_while(|&n| query_depth(&make(n)).0 <= MAX_QUERY_DEPTH)
                .last()
                .unwrap();
            assert!(n >= MAX_QUERY_DEPTH / 3, "{open}: {n}");
            let expr = make(n);
            std::thread::Builder::new()
                .stack_size(512 * 1024)
                .spawn(move || issues("ecs", "describe-services", &expr))
                .unwrap()
                .join()
                .unwrap();
        }
    }

    #[test]
    fn depth_bound_follows_the_nesting() {
        let cases = [
            ("a", 0),
            ("a.b.c", 2),
            ("[a.b, c]", 2),
            ("{x: a.b.c, y: d}", 3),
            ("services[0].events[:10].message", 4),
            ("'((((' && `[[[[1]]]]` || \"((((\"", 2),
            ("a | [b, (c.d)]", 4),
        ];
        for (expr, depth) in cases {
            assert_eq!(query_depth(expr).0, depth, "{expr}");
        }
    }

    /// Offsets from the JMESPath parser are bytes: a field after a
    /// non-ASCII character was reported one character too far right.
    #[test]
    fn regression_offsets_after_non_ascii_text() {
        let expr = "services[?serviceName=='é'].evnts";
        let found = issues("ecs", "describe-services", expr);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &expr[found[0].offset..found[0].offset + found[0].len],
            "evnts"
        );
        let found = check("[?a=='é'] | ]", None, None);
        assert_eq!(found[0].start, "[?a=='é'] | ".len());
    }

    /// An empty `--query` (`--query ''`) was reported at bytes 0..1, past
    /// the end of the expression; a syntax error before a non-ASCII
    /// character ended inside it. The span is now the whole character at
    /// the error, or empty at the end.
    #[test]
    fn regression_syntax_error_span_inside_the_expression() {
        for expr in ["", "a.", "é(", "[?a=='x'] | é"] {
            for finding in check(expr, None, None) {
                assert!(
                    expr.get(finding.start..finding.end).is_some(),
                    "{expr:?}: {}..{}",
                    finding.start,
                    finding.end
                );
            }
        }
        assert!(!check("", None, None).is_empty());
    }

    /// The `jmespath` parser gives a function's offset at its `(`, so an
    /// unknown function was underlined from the `(` on, for the length of
    /// its name, past the end of a short expression.
    #[test]
    fn regression_unknown_function_points_at_its_name() {
        for (expr, name) in [
            ("lenght(clusterArns)", "lenght"),
            ("lenlusterAght(cArns)", "lenlusterAght"),
            ("services[?contain (a, 'b')]", "contain"),
        ] {
            let found = check(expr, None, None);
            assert_eq!(found.len(), 1, "{expr}");
            assert_eq!(&expr[found[0].start..found[0].end], name, "{expr}");
        }
    }
}
