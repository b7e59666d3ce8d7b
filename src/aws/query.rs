//! `--query`: JMESPath syntax, and field names checked against the output
//! shape of the operation.
//!
//! The expression is parsed with the `jmespath` crate. The AST is then walked
//! with the *type* of the value at each step (a shape of the model, a list of
//! something, or unknown): a field that the structure at that point does not
//! have is reported, with the closest member as a suggestion. Anything the
//! walk cannot type (function results, literals, documents) stops the check
//! there rather than guessing.

use super::model::{Service, ShapeType};
use crate::suggest;
use jmespath::ast::Ast;

/// A problem in a `--query` expression. Offsets are bytes into the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryIssue {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
    /// True for a syntax error, false for an unknown field.
    pub syntax: bool,
}

/// Checks `expr`; `output` is the operation's output shape, if any.
pub fn check(expr: &str, service: &Service, output: Option<&str>) -> Vec<QueryIssue> {
    let ast = match jmespath::parse(expr) {
        Ok(ast) => ast,
        Err(error) => {
            let offset = char_to_byte(expr, error.offset);
            let reason = error.reason.to_string();
            let reason = reason.strip_prefix("Parse error: ").unwrap_or(&reason).to_string();
            return vec![QueryIssue { offset, len: 1, message: format!("invalid JMESPath: {reason}"), help: None, syntax: true }];
        }
    };
    let Some(output) = output else {
        return Vec::new();
    };
    let mut walker = Walker { expr, service, issues: Vec::new() };
    walker.eval(&ast, &Ty::Shape(output));
    walker.issues
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
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
        if let Ty::Shape(name) = ty {
            if let Some(shape) = self.service.shape(name) {
                if shape.t == ShapeType::List {
                    return match shape.e.as_deref() {
                        Some(element) => Ty::List(Box::new(Ty::Shape(element))),
                        None => Ty::List(Box::new(Ty::Unknown)),
                    };
                }
            }
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
        if *input == Ty::Unknown && !matches!(ast, Ast::Field { .. } | Ast::Subexpr { .. } | Ast::Projection { .. }) {
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
            Ast::Condition { predicate, then, .. } => {
                self.eval(predicate, input);
                self.eval(then, input)
            }
            Ast::Comparison { lhs, rhs, .. } | Ast::And { lhs, rhs, .. } | Ast::Or { lhs, rhs, .. } => {
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
            Some(shape) if shape.t == ShapeType::Map => shape.v.as_deref().map_or(Ty::Unknown, Ty::Shape),
            _ => Ty::Unknown,
        }
    }

    fn field(&mut self, offset: usize, name: &str, input: &Ty<'a>) -> Ty<'a> {
        let start = char_to_byte(self.expr, offset);
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
                        let insensitive = shape.m.keys().find(|k| k.eq_ignore_ascii_case(name)).map(String::as_str);
                        let best = insensitive.or_else(|| suggest::best(name, shape.m.keys().map(String::as_str)));
                        self.issues.push(QueryIssue {
                            offset: start,
                            len: span_len,
                            message: format!("`{name}` is not a field of the output here ({shape_name})"),
                            help: Some(match best {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => format!("fields here: {}", shape.m.keys().cloned().collect::<Vec<_>>().join(", ")),
                            }),
                            syntax: false,
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
                    help: Some(format!("project over the list: `[].{name}` or `[0].{name}`")),
                    syntax: false,
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
        let output = service.operations[operation].output.as_deref();
        check(expr, service, output)
    }

    #[test]
    fn valid_queries_have_no_issues() {
        let cases = [
            ("ecs", "describe-services", "services[0].events[:10]"),
            ("ecs", "describe-services", "services[0].events[:10].message"),
            ("ecs", "describe-tasks", "tasks[0].{StopCode:stopCode,StopReason:stoppedReason,Container:containers[0].reason}"),
            ("ecs", "describe-tasks", "tasks[0].containers[0].exitCode"),
            ("ecs", "list-tasks", "taskArns"),
            ("ec2", "describe-security-groups", "SecurityGroups[0].IpPermissionsEgress"),
            ("ec2", "describe-instances", "Reservations[].Instances[?State.Name=='running'].InstanceId | []"),
            ("ecs", "describe-services", "length(services)"),
            ("ecs", "describe-services", "sort_by(services, &serviceName)[].serviceName"),
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
    fn syntax_errors_have_positions() {
        let found = issues("ecs", "describe-services", "services[0");
        assert!(found[0].syntax);
        assert!(found[0].message.starts_with("invalid JMESPath"));
    }
}
