//! The values of options: shorthand, JSON, scalars, `--query` and
//! customization options, each checked against its shape or spec.

use super::*;
use crate::aws::constraints;
use crate::registry::RuleId;

impl<'a> Checker<'a> {
    /// Reports a JSON syntax error in the value of `flag`; true when there was one.
    pub(super) fn json_syntax(&mut self, word: &Word, flag: &str) -> bool {
        let Some(error) = json::strict_error(&word.value) else {
            return false;
        };
        let at = word.code_offset(error.offset);
        self.finding(
            RuleId::AwsInvalidJsonArg,
            Severity::Error,
            at,
            at + 1,
            format!("invalid JSON in `{flag}`: {}", error.message),
            None,
        );
        true
    }

    /// `--cli-input-json '{…}'`: the request members, checked against the
    /// input shape; required members may come from the JSON or from options.
    pub(super) fn cli_input_json(
        &mut self,
        service: &Service,
        operation: &Operation,
        word: &Word,
        args: &[Arg<'_, '_>],
    ) {
        let text = word.value.trim_start();
        if word.dynamic || !text.starts_with('{') {
            return;
        }
        if self.json_syntax(word, "--cli-input-json") {
            return;
        }
        let (Ok(node), Some(input)) = (json::parse_strict(&word.value), operation.input.as_deref())
        else {
            return;
        };
        let mut validator =
            Validator::new(service, Completeness::Fragment, RuleId::AwsInvalidJsonArg);
        validator.check(&node, input, "--cli-input-json");
        for issue in validator.issues {
            let start = word.code_offset(issue.start);
            self.finding(
                issue.rule,
                issue.severity,
                start,
                start + 1,
                issue.message,
                issue.help,
            );
        }
        let json::Value::Object(members) = &node.value else {
            return;
        };
        let given_flag = |member: &str| {
            operation
                .args
                .iter()
                .any(|(flag, m)| m == member && args.iter().any(|a| &a.name == flag))
        };
        let missing: Vec<String> = operation
            .req
            .iter()
            .filter(|m| !members.iter().any(|j| &j.key == *m) && !given_flag(m))
            .map(|m| format!("`{m}`"))
            .collect();
        if !missing.is_empty() {
            self.on_word(
                RuleId::AwsMissingRequired,
                Severity::Error,
                word,
                format!("the request has no {}", missing.join(", ")),
                Some("add it to the JSON or as an option".to_string()),
            );
        }
    }

    /// Values of a customization or global option.
    pub(super) fn spec_values(
        &mut self,
        flag: &Word,
        spec: &OptionSpec,
        values: &[&Word],
        inline: Option<String>,
    ) {
        let mut texts: Vec<(String, Option<&Word>)> =
            inline.into_iter().map(|v| (v, None)).collect();
        texts.extend(values.iter().map(|w| (w.value.clone(), Some(*w))));
        let needs_value = matches!(
            spec.value,
            ValueSpec::String
                | ValueSpec::Integer
                | ValueSpec::Enum(_)
                | ValueSpec::List
                | ValueSpec::Document
                | ValueSpec::Words(_)
        );
        if needs_value && texts.is_empty() {
            self.on_word(
                RuleId::AwsInvalidType,
                Severity::Error,
                flag,
                format!("`{}` needs a value", spec.name),
                None,
            );
            return;
        }
        if let ValueSpec::Words(count) = spec.value
            && texts.len() < count
        {
            self.on_word(
                RuleId::AwsInvalidType,
                Severity::Error,
                flag,
                format!("`{}` takes {count} values", spec.name),
                None,
            );
            return;
        }
        for (text, word) in &texts {
            let placeholder = match &spec.value {
                ValueSpec::Enum(allowed) | ValueSpec::OptionalEnum(allowed) => {
                    placeholders::is_enum_placeholder(text, allowed.iter().map(|(v, _)| v.as_str()))
                }
                _ => placeholders::contains_placeholder(text),
            };
            if word.is_some_and(|w| w.dynamic) || placeholder {
                continue;
            }
            let (start, end) = word.map_or((flag.start, flag.end), |w| (w.start, w.end));
            if let Some(format) = &spec.format
                && !matches_format(text, format)
            {
                self.finding(
                    RuleId::AwsInvalidType,
                    Severity::Error,
                    start,
                    end,
                    format!(
                        "`{}` expects {}, not `{}`",
                        spec.name,
                        describe_format(format),
                        crate::excerpt::quote(text)
                    ),
                    None,
                );
                continue;
            }
            match &spec.value {
                ValueSpec::Integer if text.trim().parse::<i64>().is_err() => {
                    self.finding(
                        RuleId::AwsInvalidType,
                        Severity::Error,
                        start,
                        end,
                        format!(
                            "`{}` expects an integer, not `{}`",
                            spec.name,
                            crate::excerpt::quote(text)
                        ),
                        None,
                    );
                }
                ValueSpec::Enum(allowed) | ValueSpec::OptionalEnum(allowed) => {
                    match allowed.iter().find(|(v, _)| v == text) {
                        None => {
                            let help = placeholders::near_enum_value(
                                text,
                                allowed.iter().map(|(v, _)| v.as_str()),
                            )
                            .map(|b| format!("did you mean `{b}`?"))
                            .or_else(|| {
                                Some(format!(
                                    "valid values: {}",
                                    allowed
                                        .iter()
                                        .map(|(v, _)| v.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ))
                            });
                            self.finding(
                                RuleId::AwsInvalidEnum,
                                Severity::Error,
                                start,
                                end,
                                format!(
                                    "`{}` is not a valid value for `{}`",
                                    crate::excerpt::quote(text),
                                    spec.name
                                ),
                                help,
                            );
                        }
                        Some((_, versions)) => {
                            let what = format!("{} {text}", spec.name);
                            self.one_version_only(*versions, start, end, &what);
                        }
                    }
                }
                ValueSpec::Document => {
                    if let Some(word) = word.filter(|_| text.trim_start().starts_with(['{', '['])) {
                        self.json_syntax(word, &spec.name);
                    }
                }
                _ => {}
            }
        }
    }

    /// Values of a model parameter.
    pub(super) fn member_values(&mut self, service: &Service, arg: &Arg<'_, '_>, shape_name: &str) {
        let Some(shape) = service.shape(shape_name) else {
            return;
        };
        if arg.inline.is_some() {
            // `--flag=value`: the value is part of the flag word; positions
            // inside it are not mapped, so only the arity is checked.
            return;
        }
        if arg.values.is_empty() {
            // A list option may be empty (the CLI sends an empty list).
            if !matches!(shape.t, ShapeType::Boolean | ShapeType::List) {
                self.on_word(
                    RuleId::AwsInvalidType,
                    Severity::Error,
                    arg.flag,
                    format!("`{}` needs a value", arg.name),
                    None,
                );
            }
            return;
        }
        if arg.values.iter().any(|w| w.dynamic) {
            return;
        }
        let first = &arg.values[0].value;
        if ["file://", "fileb://", "http://", "https://"]
            .iter()
            .any(|p| first.starts_with(p))
        {
            return;
        }
        let flag = arg.name.as_str();
        match shape.t {
            ShapeType::List => {
                let element = shape.e.as_deref().unwrap_or_default();
                if arg.values.len() == 1 && first.trim_start().starts_with('[') {
                    self.json_value(service, arg.values[0], shape_name, flag);
                    return;
                }
                let placeholders = arg
                    .values
                    .iter()
                    .any(|w| placeholders::contains_placeholder(&w.value));
                if let Some(violation) =
                    constraints::length(arg.values.len(), shape).filter(|_| !placeholders)
                {
                    self.on_word(
                        RuleId::AwsValueOutOfRange,
                        Severity::Error,
                        arg.flag,
                        format!("`{flag}`: {}", violation.message),
                        violation.help,
                    );
                }
                let element_type = service.shape(element).map(|s| s.t);
                for word in &arg.values {
                    match element_type {
                        Some(ShapeType::Structure | ShapeType::Map) => {
                            self.structured_value(service, word, element, flag)
                        }
                        Some(_) => self.scalar_value(service, word, element, flag),
                        None => {}
                    }
                }
            }
            ShapeType::Structure | ShapeType::Map => {
                self.structured_value(service, arg.values[0], shape_name, flag);
            }
            ShapeType::Document => {
                if first.trim_start().starts_with(['{', '[']) {
                    self.json_value(service, arg.values[0], shape_name, flag);
                }
            }
            _ => self.scalar_value(service, arg.values[0], shape_name, flag),
        }
    }

    pub(super) fn scalar_value(
        &mut self,
        service: &Service,
        word: &Word,
        shape_name: &str,
        flag: &str,
    ) {
        let Some(shape) = service.shape(shape_name) else {
            return;
        };
        let text = word.value.as_str();
        if shape.t == ShapeType::String && text.trim_start().starts_with('{') {
            // A JSON document in a string parameter (a policy, a template).
            if self.json_syntax(word, flag) {
                return;
            }
            if let Ok(node) = json::parse_strict(text) {
                // The same policy checks as for a policy in a `json` block.
                if super::super::iam::looks_like_policy(&node) {
                    for issue in super::super::iam::check(&node) {
                        let start = word.code_offset(issue.start);
                        let end = word.code_offset(issue.end.saturating_sub(1)) + 1;
                        self.finding(
                            issue.rule,
                            Severity::Error,
                            start,
                            end.max(start + 1),
                            issue.message,
                            issue.help,
                        );
                    }
                }
            }
            return;
        }
        if validate::is_placeholder_for(text, shape) {
            return;
        }
        if shape.t == ShapeType::Blob
            && self.version == CliVersion::V2
            && !self.raw_blobs
            && !is_base64(text)
        {
            self.on_word(
                RuleId::AwsInvalidType,
                Severity::Error,
                word,
                format!(
                    "`{flag}` is a blob: AWS CLI v2 reads it as base64, and this is not base64"
                ),
                Some(
                    "add `--cli-binary-format raw-in-base64-out`, or pass `fileb://file`"
                        .to_string(),
                ),
            );
            return;
        }
        if let Err((kind, message, help)) = validate::check_scalar(text, shape) {
            let rule = kind.rule(RuleId::AwsInvalidType);
            self.on_word(
                rule,
                Severity::Error,
                word,
                format!("`{flag}`: {message}"),
                help,
            );
        }
    }

    /// A structure or map value: JSON when it starts with `{`, else shorthand.
    pub(super) fn structured_value(
        &mut self,
        service: &Service,
        word: &Word,
        shape_name: &str,
        flag: &str,
    ) {
        let text = word.value.as_str();
        if text.trim_start().starts_with(['{', '[']) {
            return self.json_value(service, word, shape_name, flag);
        }
        if !shorthand::looks_like_shorthand(text.trim_start()) {
            self.on_word(
                RuleId::AwsInvalidShorthand,
                Severity::Error,
                word,
                format!(
                    "`{flag}` expects `Key=value` shorthand or JSON, not `{}`",
                    crate::excerpt::quote(text)
                ),
                None,
            );
            return;
        }
        match shorthand::parse(text) {
            Err(error) => {
                let at = word.code_offset(error.offset);
                self.finding(
                    RuleId::AwsInvalidShorthand,
                    Severity::Error,
                    at,
                    at + 1,
                    format!("invalid shorthand in `{flag}`: {}", error.message),
                    None,
                );
            }
            Ok(node) => self.tree(
                service,
                word,
                &node,
                shape_name,
                flag,
                RuleId::AwsInvalidShorthand,
            ),
        }
    }

    pub(super) fn json_value(
        &mut self,
        service: &Service,
        word: &Word,
        shape_name: &str,
        flag: &str,
    ) {
        let text = word.value.as_str();
        if self.json_syntax(word, flag) {
            return;
        }
        if let Ok(node) = json::parse_strict(text) {
            self.tree(
                service,
                word,
                &node,
                shape_name,
                flag,
                RuleId::AwsInvalidJsonArg,
            );
        }
    }

    pub(super) fn tree(
        &mut self,
        service: &Service,
        word: &Word,
        node: &json::Node,
        shape_name: &str,
        flag: &str,
        rule: RuleId,
    ) {
        let mut validator = Validator::new(service, Completeness::Whole, rule);
        validator.check(node, shape_name, flag);
        for issue in validator.issues {
            let start = word.code_offset(issue.start);
            let end = word.code_offset(issue.end.saturating_sub(1)) + 1;
            self.finding(
                issue.rule,
                issue.severity,
                start,
                end.max(start + 1),
                issue.message,
                issue.help,
            );
        }
    }

    pub(super) fn query(&mut self, arg: &Arg<'_, '_>, target: &Target<'a>) {
        let Some(word) = arg.values.first() else {
            return;
        };
        if word.dynamic {
            return;
        }
        let (service, output) = match target {
            Target::Model {
                service,
                operation,
                waiter: None,
                ..
            } => (Some(*service), operation.output.as_deref()),
            // Commands the CLI implements have no output model: syntax only.
            _ => (None, None),
        };
        for issue in query::check(&word.value, service, output) {
            let start = word.code_offset(issue.start);
            let end = word.code_offset(issue.end.min(word.value.len()).saturating_sub(1)) + 1;
            self.finding(
                issue.rule,
                issue.severity,
                start,
                end.max(start + 1),
                issue.message,
                issue.help,
            );
        }
    }
}

/// Whether `text` is standard base64.
pub(super) fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Whether `text` has the value format `format` (see `OptionSpec::format`).
pub(super) fn matches_format(text: &str, format: &str) -> bool {
    if format == "number" {
        return text.trim().parse::<f64>().is_ok_and(f64::is_finite);
    }
    let Some(separator) = format.strip_prefix("int-range:") else {
        return true;
    };
    let is_int = |t: &str| {
        !t.is_empty()
            && t.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
            && t.trim_start_matches('-').len() == t.len() - usize::from(t.starts_with('-'))
            && t != "-"
    };
    if is_int(text) {
        return true;
    }
    // Split at the separator after the first character (a leading `-` is a sign).
    match text
        .get(1..)
        .and_then(|rest| rest.find(separator))
        .map(|i| i + 1)
    {
        Some(i) => is_int(&text[..i]) && is_int(&text[i + separator.len()..]),
        None => false,
    }
}

pub(super) fn describe_format(format: &str) -> String {
    if format == "number" {
        return "a number".to_string();
    }
    match format.strip_prefix("int-range:") {
        Some(separator) => format!("a number or a range `from{separator}to`"),
        None => format!("the format `{format}`"),
    }
}
