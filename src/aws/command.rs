//! One `aws …` command line, checked against the model and the CLI's
//! customizations.
//!
//! The words of the command (from the shell lexer, with their spans) are
//! read the way the CLI reads them: global options anywhere, then the
//! service, the operation (or `wait <waiter>`), and `--option value…`
//! arguments whose arity comes from the parameter's shape. Every finding is
//! a [`Finding`] with code offsets; every recognised call is an [`AwsCall`]
//! with its access class and parameters, for the FAQ and the check scripts.

use super::access::{self, Access};
use super::custom::{CliVersion, CommandSpec, Customizations, OptionSpec, ValueSpec, Versions};
use super::model::{Model, Operation, Service, ShapeType};
use super::validate::{self, Completeness, IssueKind, Validator};
use super::{placeholders, query, shorthand};
use crate::diagnostic::Severity;
use crate::json;
use crate::shell::Word;
use crate::suggest;

/// A problem, at code offsets of the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

/// A recognised call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCall {
    pub service: String,
    pub operation: String,
    pub access: Access,
    pub parameters: Vec<Parameter>,
}

/// An option as written, with whether its value is a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub flag: String,
    pub values: Vec<String>,
    pub placeholder: bool,
}

#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub call: Option<AwsCall>,
}

/// What an option refers to.
#[derive(Clone, Copy)]
enum Opt<'a> {
    Member { member: &'a str, shape: &'a str },
    NegatedBool,
    Spec(&'a OptionSpec),
    Unknown,
}

/// How many values an option takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    None,
    One,
    Optional,
    Many,
}

struct Arg<'w, 'a> {
    flag: &'w Word,
    name: String,
    opt: Opt<'a>,
    /// The `=value` of `--flag=value`, if written that way.
    inline: Option<String>,
    values: Vec<&'w Word>,
}

/// What the command is, once service and operation are resolved.
enum Target<'a> {
    Model { service: &'a Service, operation: &'a Operation, waiter: Option<&'a str> },
    Custom(&'a CommandSpec),
    Help,
}

/// Checks the words of an `aws` command (`words[0]` is `aws`).
pub fn check(words: &[Word], custom: &Customizations, target: CliVersion) -> Checked {
    let mut checker = Checker { custom, version: target, out: Checked::default() };
    checker.run(words);
    checker.out
}

struct Checker<'a> {
    custom: &'a Customizations,
    version: CliVersion,
    out: Checked,
}

impl<'a> Checker<'a> {
    fn finding(&mut self, rule: &'static str, severity: Severity, start: usize, end: usize, message: String, help: Option<String>) {
        self.out.findings.push(Finding { rule, severity, start, end, message, help });
    }

    fn on_word(&mut self, rule: &'static str, severity: Severity, word: &Word, message: String, help: Option<String>) {
        self.finding(rule, severity, word.start, word.end, message, help);
    }

    fn run(&mut self, words: &[Word]) {
        let model = Model::get();
        let mut i = 1;
        let mut leading_globals = Vec::new();
        while i < words.len() && words[i].value.starts_with("--") && !words[i].dynamic {
            let name = words[i].value.split('=').next().unwrap_or_default().to_string();
            let Some(spec) = self.custom.global(&name) else {
                let names: Vec<&str> = self.custom.globals.iter().map(|g| g.name.as_str()).collect();
                let help = suggest::best(&name, names).map(|b| format!("did you mean `{b}`?"));
                self.on_word("aws-unknown-option", Severity::Error, &words[i], format!("unknown global option `{name}`"), help);
                return;
            };
            let taken = arity_of_spec(spec);
            let count = take_values(words, i + 1, taken, words[i].value.contains('='));
            leading_globals.push((i, spec, count));
            i += 1 + count;
        }
        for &(at, spec, count) in &leading_globals {
            let values: Vec<&Word> = words[at + 1..at + 1 + count].iter().collect();
            self.spec_values(&words[at], spec, &values, inline_value(&words[at]));
        }
        let Some(service_word) = words.get(i) else {
            return;
        };
        if service_word.dynamic {
            return;
        }
        let service_name = service_word.value.as_str();
        let model_service = model.service(service_name);
        if model_service.is_none() && !self.custom.has_service(service_name) {
            let candidates = model.service_names().chain(self.custom.commands.iter().map(|c| c.service.as_str()));
            let help = suggest::best(service_name, candidates).map(|b| format!("did you mean `{b}`?"));
            self.on_word("aws-unknown-service", Severity::Error, service_word, format!("`{service_name}` is not an AWS CLI service"), help);
            return;
        }
        let bare_command = self.custom.command(service_name, "");
        if let (Some(spec), true) = (bare_command, words.get(i + 1).is_none_or(|w| w.value.starts_with("--"))) {
            let target = Target::Custom(spec);
            self.arguments(&words[i + 1..], &target, service_name, "", service_word);
            return;
        }
        let Some(operation_word) = words.get(i + 1) else {
            self.on_word(
                "aws-unknown-operation",
                Severity::Error,
                service_word,
                format!("`aws {service_name}` needs an operation"),
                Some(format!("run `aws {service_name} help` for the list")),
            );
            return;
        };
        if operation_word.dynamic {
            return;
        }
        let operation_name = operation_word.value.as_str();
        let mut next = i + 2;
        let target = if operation_name == "help" {
            Target::Help
        } else if let Some(spec) = self.custom.command(service_name, operation_name) {
            Target::Custom(spec)
        } else if let (Some(service), "wait") = (model_service, operation_name) {
            let Some(waiter_word) = words.get(i + 2) else {
                self.on_word("aws-unknown-operation", Severity::Error, operation_word, format!("`aws {service_name} wait` needs a waiter name"), None);
                return;
            };
            let Some(operation) = service.waiters.get(&waiter_word.value).and_then(|op| service.operations.get(op)) else {
                let help = suggest::best(&waiter_word.value, service.waiters.keys().map(String::as_str)).map(|b| format!("did you mean `{b}`?"));
                self.on_word("aws-unknown-operation", Severity::Error, waiter_word, format!("`{}` is not a waiter of `aws {service_name}`", waiter_word.value), help);
                return;
            };
            next = i + 3;
            let waiter = service.waiters.get_key_value(&waiter_word.value).map(|(k, _)| k.as_str());
            Target::Model { service, operation, waiter }
        } else if let Some((service, operation)) = model_service.and_then(|s| s.operations.get(operation_name).map(|o| (s, o))) {
            Target::Model { service, operation, waiter: None }
        } else {
            let mut candidates: Vec<&str> = self.custom.commands_of(service_name).map(|c| c.name.as_str()).collect();
            if let Some(service) = model_service {
                candidates.extend(service.operations.keys().map(String::as_str));
                if !service.waiters.is_empty() {
                    candidates.push("wait");
                }
            }
            let help = suggest::best(operation_name, candidates).map(|b| format!("did you mean `{b}`?"));
            self.on_word(
                "aws-unknown-operation",
                Severity::Error,
                operation_word,
                format!("`{operation_name}` is not an operation of `aws {service_name}`"),
                help,
            );
            return;
        };
        match target {
            Target::Help => {
                self.out.call = Some(AwsCall { service: service_name.into(), operation: "help".into(), access: Access::ReadOnly, parameters: Vec::new() });
            }
            Target::Custom(spec) => {
                self.version_of_command(operation_word, spec.versions, &format!("aws {service_name} {operation_name}"));
                self.arguments(&words[next..], &Target::Custom(spec), service_name, operation_name, operation_word);
            }
            Target::Model { service, operation, waiter } => {
                self.arguments(&words[next..], &Target::Model { service, operation, waiter }, service_name, operation_name, operation_word);
            }
        }
    }

    fn version_of_command(&mut self, word: &Word, versions: Versions, what: &str) {
        if versions.has(self.version) {
            if let Some(only) = versions.only() {
                self.on_word(
                    "aws-cli-version",
                    Severity::Warning,
                    word,
                    format!("`{what}` exists in {only}"),
                    Some("readers with the other major version of the AWS CLI get an error".to_string()),
                );
            }
        } else {
            self.on_word(
                "aws-cli-version",
                Severity::Error,
                word,
                format!("`{what}` does not exist in {}", self.version.name()),
                versions.only().map(|only| format!("it exists in {only}")),
            );
        }
    }

    /// Resolves an option name for the target.
    fn resolve<'t>(&self, name: &str, target: &'t Target<'a>, service_name: &str, operation_name: &str) -> Opt<'t>
    where
        'a: 't,
    {
        match target {
            Target::Model { service, operation, waiter } => {
                let removed = self.custom.extra_args(service_name, operation_name).iter().any(|e| e.removed.iter().any(|r| r == name));
                if removed {
                    return Opt::Unknown;
                }
                if let Some(member) = operation.args.get(name) {
                    if let Some(shape) = operation.input.as_deref().and_then(|i| service.shape(i)).and_then(|s| s.m.get(member)) {
                        return Opt::Member { member: member.as_str(), shape: shape.as_str() };
                    }
                }
                if let Some(positive) = name.strip_prefix("--no-") {
                    let is_bool = operation
                        .args
                        .get(&format!("--{positive}"))
                        .and_then(|m| operation.input.as_deref().and_then(|i| service.shape(i)).and_then(|s| s.m.get(m)))
                        .and_then(|shape| service.shape(shape))
                        .is_some_and(|s| s.t == ShapeType::Boolean);
                    if is_bool {
                        return Opt::NegatedBool;
                    }
                }
                let extras = self.custom.extra_args(service_name, operation_name).into_iter().flat_map(|e| e.options.iter());
                let paginated = operation.pag.is_some() && waiter.is_none();
                let pagination = self.custom.pagination_options.iter().filter(|_| paginated);
                let generic = self.custom.operation_options.iter();
                if let Some(spec) = extras.chain(pagination).chain(generic).chain(self.custom.globals.iter()).find(|o| o.name == name) {
                    return Opt::Spec(spec);
                }
                Opt::Unknown
            }
            Target::Custom(spec) => spec
                .options
                .iter()
                .chain(self.custom.globals.iter())
                .find(|o| o.name == name)
                .map_or(Opt::Unknown, Opt::Spec),
            Target::Help => Opt::Unknown,
        }
    }

    fn all_option_names(&self, target: &Target<'a>, service_name: &str, operation_name: &str) -> Vec<String> {
        let mut names: Vec<String> = self.custom.globals.iter().map(|o| o.name.clone()).collect();
        match target {
            Target::Model { operation, .. } => {
                names.extend(operation.args.keys().filter(|k| !operation.hidden_args.contains(k)).cloned());
                names.extend(self.custom.operation_options.iter().map(|o| o.name.clone()));
                names.extend(self.custom.extra_args(service_name, operation_name).into_iter().flat_map(|e| e.options.iter().map(|o| o.name.clone())));
                if operation.pag.is_some() {
                    names.extend(self.custom.pagination_options.iter().map(|o| o.name.clone()));
                }
            }
            Target::Custom(spec) => names.extend(spec.options.iter().map(|o| o.name.clone())),
            Target::Help => {}
        }
        names
    }

    fn arity(&self, opt: Opt<'_>, service: Option<&Service>) -> Arity {
        match opt {
            Opt::Member { shape, .. } => match service.and_then(|s| s.shape(shape)).map(|s| s.t) {
                Some(ShapeType::Boolean) => Arity::None,
                Some(ShapeType::List) => Arity::Many,
                _ => Arity::One,
            },
            Opt::NegatedBool => Arity::None,
            Opt::Spec(spec) => arity_of_spec(spec),
            Opt::Unknown => Arity::Many,
        }
    }

    fn arguments<'w>(&mut self, words: &'w [Word], target: &Target<'a>, service_name: &str, operation_name: &str, operation_word: &Word) {
        let service = match target {
            Target::Model { service, .. } => Some(*service),
            _ => None,
        };
        let mut args: Vec<Arg<'w, '_>> = Vec::new();
        let mut positionals: Vec<&'w Word> = Vec::new();
        let mut j = 0;
        while j < words.len() {
            let word = &words[j];
            let is_option = !word.dynamic && word.value.starts_with("--") && word.value.len() > 2;
            if !is_option {
                positionals.push(word);
                j += 1;
                continue;
            }
            let (name, inline) = match word.value.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (word.value.clone(), None),
            };
            let opt = self.resolve(&name, target, service_name, operation_name);
            let arity = self.arity(opt, service);
            let count = take_values(words, j + 1, arity, inline.is_some());
            args.push(Arg { flag: word, name, opt, inline, values: words[j + 1..j + 1 + count].iter().collect() });
            j += 1 + count;
        }

        let mut parameters = Vec::new();
        let mut skip_required = false;
        for arg in &args {
            if matches!(arg.name.as_str(), "--cli-input-json" | "--cli-input-yaml" | "--generate-cli-skeleton") {
                skip_required = true;
            }
            let raw: Vec<String> = arg.inline.iter().cloned().chain(arg.values.iter().map(|w| w.value.clone())).collect();
            let placeholder = raw.iter().any(|v| placeholders::contains_placeholder(v));
            parameters.push(Parameter { flag: arg.name.clone(), values: raw, placeholder });
            match arg.opt {
                Opt::Unknown => {
                    let names = self.all_option_names(target, service_name, operation_name);
                    let help = suggest::best(&arg.name, names.iter().map(String::as_str)).map(|b| format!("did you mean `{b}`?"));
                    self.on_word(
                        "aws-unknown-option",
                        Severity::Error,
                        arg.flag,
                        format!("`{}` is not an option of `aws {service_name} {operation_name}`", arg.name),
                        help,
                    );
                }
                Opt::NegatedBool => {}
                Opt::Member { member, shape } => {
                    if let Some(service) = service {
                        self.member_values(service, arg, member, shape);
                    }
                }
                Opt::Spec(spec) => {
                    // An option of a one-version command shares its version: said once, on the command.
                    let same_as_command = matches!(target, Target::Custom(command) if command.versions == spec.versions);
                    if let Some(only) = spec.versions.only().filter(|_| !same_as_command) {
                        let severity = if spec.versions.has(self.version) { Severity::Warning } else { Severity::Error };
                        self.on_word("aws-cli-version", severity, arg.flag, format!("`{}` exists in {only}", arg.name), None);
                    }
                    self.spec_values(arg.flag, spec, &arg.values, arg.inline.clone());
                    if arg.name == "--query" {
                        self.query(arg, target);
                    }
                }
            }
        }

        // Positional arguments.
        let expected: Vec<(String, bool)> = match target {
            Target::Custom(spec) => spec.positionals.iter().map(|p| (p.name.clone(), p.required)).collect(),
            Target::Model { operation, .. } if operation.stream_out => vec![("outfile".to_string(), true)],
            _ => Vec::new(),
        };
        let unlimited = matches!(target, Target::Custom(spec) if spec.positionals.iter().any(|p| p.many));
        for extra in positionals.iter().skip(if unlimited { usize::MAX } else { expected.len() }) {
            self.on_word(
                "aws-unknown-option",
                Severity::Error,
                extra,
                format!("unexpected argument `{}`", extra.value),
                Some("options start with `--`; a value with spaces needs quotes".to_string()),
            );
        }
        if !skip_required {
            for (name, required) in expected.iter().skip(positionals.len()) {
                if *required {
                    self.on_word("aws-missing-required", Severity::Error, operation_word, format!("missing the required `{name}` argument"), None);
                }
            }
        }

        // Required options.
        if !skip_required {
            let given = |flag: &str| args.iter().any(|a| a.name == flag);
            match target {
                Target::Model { service, operation, .. } => {
                    let satisfied: Vec<&str> = self.custom.extra_args(service_name, operation_name).into_iter().flat_map(|e| e.removed.iter().map(String::as_str)).collect();
                    if let Some(input) = operation.input.as_deref().and_then(|i| service.shape(i)) {
                        let mut missing = Vec::new();
                        for required in &input.r {
                            let Some((flag, _)) = operation.args.iter().find(|(_, m)| *m == required) else { continue };
                            if !given(flag) && !satisfied.contains(&required.as_str()) && !satisfied.contains(&flag.as_str()) {
                                missing.push(flag.clone());
                            }
                        }
                        if !missing.is_empty() {
                            let list = missing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                            self.on_word("aws-missing-required", Severity::Error, operation_word, format!("`aws {service_name} {operation_name}` requires {list}"), None);
                        }
                    }
                }
                Target::Custom(spec) => {
                    let missing: Vec<String> = spec.options.iter().filter(|o| o.required && !given(&o.name)).map(|o| format!("`{}`", o.name)).collect();
                    if !missing.is_empty() {
                        self.on_word("aws-missing-required", Severity::Error, operation_word, format!("`aws {service_name} {operation_name}` requires {}", missing.join(", ")), None);
                    }
                }
                Target::Help => {}
            }
        }

        let access = match target {
            Target::Model { waiter: Some(_), .. } | Target::Help => Access::ReadOnly,
            Target::Model { operation, .. } => access::of_operation(&operation.op),
            Target::Custom(spec) => spec.access,
        };
        let operation = match target {
            Target::Model { waiter: Some(waiter), .. } => format!("wait {waiter}"),
            _ => operation_name.to_string(),
        };
        self.out.call = Some(AwsCall { service: service_name.to_string(), operation, access, parameters });
    }

    /// Values of a customization or global option.
    fn spec_values(&mut self, flag: &Word, spec: &OptionSpec, values: &[&Word], inline: Option<String>) {
        let mut texts: Vec<(String, Option<&Word>)> = inline.into_iter().map(|v| (v, None)).collect();
        texts.extend(values.iter().map(|w| (w.value.clone(), Some(*w))));
        let needs_value = matches!(spec.value, ValueSpec::String | ValueSpec::Integer | ValueSpec::Enum(_) | ValueSpec::List | ValueSpec::Document);
        if needs_value && texts.is_empty() {
            self.on_word("aws-invalid-type", Severity::Error, flag, format!("`{}` needs a value", spec.name), None);
            return;
        }
        for (text, word) in &texts {
            if word.is_some_and(|w| w.dynamic) || placeholders::contains_placeholder(text) {
                continue;
            }
            let (start, end) = word.map_or((flag.start, flag.end), |w| (w.start, w.end));
            match &spec.value {
                ValueSpec::Integer if text.trim().parse::<i64>().is_err() => {
                    self.finding("aws-invalid-type", Severity::Error, start, end, format!("`{}` expects an integer, not `{text}`", spec.name), None);
                }
                ValueSpec::Enum(allowed) | ValueSpec::OptionalEnum(allowed) => match allowed.iter().find(|(v, _)| v == text) {
                    None => {
                        let help = suggest::best(text, allowed.iter().map(|(v, _)| v.as_str()))
                            .map(|b| format!("did you mean `{b}`?"))
                            .or_else(|| Some(format!("valid values: {}", allowed.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", "))));
                        self.finding("aws-invalid-enum", Severity::Error, start, end, format!("`{text}` is not a valid value for `{}`", spec.name), help);
                    }
                    Some((_, versions)) => {
                        if let Some(only) = versions.only() {
                            let severity = if versions.has(self.version) { Severity::Warning } else { Severity::Error };
                            self.finding("aws-cli-version", severity, start, end, format!("`{} {text}` exists in {only}", spec.name), None);
                        }
                    }
                },
                ValueSpec::Document => {
                    if text.trim_start().starts_with(['{', '[']) {
                        if let (Some(error), Some(word)) = (json::strict_error(text), word) {
                            let at = word.code_offset(error.offset);
                            self.finding("aws-invalid-json-arg", Severity::Error, at, at + 1, format!("invalid JSON in `{}`: {}", spec.name, error.message), None);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Values of a model parameter.
    fn member_values(&mut self, service: &Service, arg: &Arg<'_, '_>, member: &str, shape_name: &str) {
        let Some(shape) = service.shape(shape_name) else { return };
        if arg.inline.is_some() {
            // `--flag=value`: the value is part of the flag word; positions
            // inside it are not mapped, so only the arity is checked.
            return;
        }
        if arg.values.is_empty() {
            if shape.t != ShapeType::Boolean {
                self.on_word("aws-invalid-type", Severity::Error, arg.flag, format!("`{}` needs a value", arg.name), None);
            }
            return;
        }
        if arg.values.iter().any(|w| w.dynamic) {
            return;
        }
        let first = &arg.values[0].value;
        if ["file://", "fileb://", "http://", "https://"].iter().any(|p| first.starts_with(p)) {
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
                let element_type = service.shape(element).map(|s| s.t);
                for word in &arg.values {
                    match element_type {
                        Some(ShapeType::Structure | ShapeType::Map) => self.structured_value(service, word, element, flag),
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
        let _ = member;
    }

    fn scalar_value(&mut self, service: &Service, word: &Word, shape_name: &str, flag: &str) {
        let Some(shape) = service.shape(shape_name) else { return };
        let text = word.value.as_str();
        if shape.t == ShapeType::String && text.trim_start().starts_with('{') {
            // A JSON document in a string parameter (a policy, a template).
            if let Some(error) = json::strict_error(text) {
                let at = word.code_offset(error.offset);
                self.finding("aws-invalid-json-arg", Severity::Error, at, at + 1, format!("invalid JSON in `{flag}`: {}", error.message), None);
            }
            return;
        }
        if placeholders::contains_placeholder(text) {
            return;
        }
        if let Err((kind, message, help)) = validate::check_scalar(text, shape) {
            let rule = match kind {
                IssueKind::Enum => "aws-invalid-enum",
                _ => "aws-invalid-type",
            };
            self.on_word(rule, Severity::Error, word, format!("`{flag}`: {message}"), help);
        }
    }

    /// A structure or map value: JSON when it starts with `{`, else shorthand.
    fn structured_value(&mut self, service: &Service, word: &Word, shape_name: &str, flag: &str) {
        let text = word.value.as_str();
        if text.trim_start().starts_with(['{', '[']) {
            return self.json_value(service, word, shape_name, flag);
        }
        if !shorthand::looks_like_shorthand(text.trim_start()) {
            self.on_word(
                "aws-invalid-shorthand",
                Severity::Error,
                word,
                format!("`{flag}` expects `Key=value` shorthand or JSON, not `{text}`"),
                None,
            );
            return;
        }
        match shorthand::parse(text) {
            Err(error) => {
                let at = word.code_offset(error.offset);
                self.finding("aws-invalid-shorthand", Severity::Error, at, at + 1, format!("invalid shorthand in `{flag}`: {}", error.message), None);
            }
            Ok(node) => self.tree(service, word, &node, shape_name, flag, "aws-invalid-shorthand"),
        }
    }

    fn json_value(&mut self, service: &Service, word: &Word, shape_name: &str, flag: &str) {
        let text = word.value.as_str();
        if let Some(error) = json::strict_error(text) {
            let at = word.code_offset(error.offset);
            self.finding("aws-invalid-json-arg", Severity::Error, at, at + 1, format!("invalid JSON in `{flag}`: {}", error.message), None);
            return;
        }
        if let Ok(node) = json::parse_strict(text) {
            self.tree(service, word, &node, shape_name, flag, "aws-invalid-json-arg");
        }
    }

    fn tree(&mut self, service: &Service, word: &Word, node: &json::Node, shape_name: &str, flag: &str, rule: &'static str) {
        let mut validator = Validator::new(service, Completeness::Whole);
        validator.check(node, shape_name, flag);
        for issue in validator.issues {
            let rule = if issue.kind == IssueKind::Enum { "aws-invalid-enum" } else { rule };
            let start = word.code_offset(issue.start);
            let end = word.code_offset(issue.end.saturating_sub(1)) + 1;
            self.finding(rule, Severity::Error, start, end.max(start + 1), issue.message, issue.help);
        }
    }

    fn query(&mut self, arg: &Arg<'_, '_>, target: &Target<'a>) {
        let Some(word) = arg.values.first() else { return };
        if word.dynamic {
            return;
        }
        let (service, output) = match target {
            Target::Model { service, operation, waiter: None } => (*service, operation.output.as_deref()),
            _ => match Model::get().service("sts") {
                // Commands the CLI implements have no output model: syntax only.
                Some(any) => (any, None),
                None => return,
            },
        };
        for issue in query::check(&word.value, service, output) {
            let start = word.code_offset(issue.offset);
            let end = word.code_offset((issue.offset + issue.len).min(word.value.len()).saturating_sub(1)) + 1;
            let (rule, severity) = if issue.syntax { ("aws-invalid-query", Severity::Error) } else { ("aws-query-unknown-field", Severity::Warning) };
            self.finding(rule, severity, start, end.max(start + 1), issue.message, issue.help);
        }
    }
}

fn arity_of_spec(spec: &OptionSpec) -> Arity {
    match spec.value {
        ValueSpec::Flag => Arity::None,
        ValueSpec::List => Arity::Many,
        ValueSpec::OptionalEnum(_) => Arity::Optional,
        _ => Arity::One,
    }
}

/// `--flag=value`: the value written inline.
fn inline_value(word: &Word) -> Option<String> {
    word.value.split_once('=').map(|(_, v)| v.to_string())
}

/// How many of the words from `from` are values of an option of `arity`.
fn take_values(words: &[Word], from: usize, arity: Arity, inline: bool) -> usize {
    let is_value = |w: &Word| w.dynamic || !w.value.starts_with("--") || w.value == "--";
    let available = words[from.min(words.len())..].iter().take_while(|w| is_value(w)).count();
    match (arity, inline) {
        (_, true) | (Arity::None, _) => 0,
        (Arity::One | Arity::Optional, _) => available.min(1),
        (Arity::Many, _) => available,
    }
}
