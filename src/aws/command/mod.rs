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
use super::custom::{
    self, CliVersion, CommandKind, CommandSpec, Customizations, OptionSpec, ValueSpec, Versions,
};
use super::model::{Model, Operation, Service, ShapeType};
use super::validate::{self, Completeness, Validator};
use super::{placeholders, query, shorthand};
use crate::diagnostic::Severity;
use crate::json;
use crate::registry::RuleId;
use crate::shell::Word;
use crate::suggest;

pub use crate::finding::Finding;

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
    /// An input member, by its shape.
    Member {
        shape: &'a str,
        /// A streaming blob: the value is a file path.
        streamed: bool,
    },
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
    /// Exactly this many values (`s3 mb --tags KEY VALUE`).
    Exactly(usize),
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
    Model {
        service: &'a Service,
        operation: &'a Operation,
        waiter: Option<&'a str>,
        /// Options aws-cli adds to this operation (`xargs`).
        extras: Vec<OptionSpec>,
        /// The customization entry of kind `model-operation` that describes
        /// this operation's versions and access (`ecs execute-command`).
        command: Option<CommandSpec>,
    },
    Custom(CommandSpec),
    Help,
}

/// Checks the words of an `aws` command (`words[0]` is `aws`).
pub fn check(words: &[Word], custom: &Customizations, target: CliVersion) -> Checked {
    let raw_blobs = words
        .windows(2)
        .any(|w| w[0].value == "--cli-binary-format" && w[1].value == "raw-in-base64-out")
        || words
            .iter()
            .any(|w| w.value == "--cli-binary-format=raw-in-base64-out");
    let mut checker = Checker {
        custom,
        version: target,
        raw_blobs,
        out: Checked::default(),
    };
    checker.run(words);
    checker.out
}

struct Checker<'a> {
    custom: &'a Customizations,
    version: CliVersion,
    /// `--cli-binary-format raw-in-base64-out` was given (v2 reads blobs as base64 otherwise).
    raw_blobs: bool,
    out: Checked,
}

mod arguments;
mod paging;
#[cfg(test)]
mod tests;
mod values;

impl<'a> Checker<'a> {
    fn finding(
        &mut self,
        rule: RuleId,
        severity: Severity,
        start: usize,
        end: usize,
        message: String,
        help: Option<String>,
    ) {
        self.out.findings.push(Finding {
            rule,
            severity,
            start,
            end,
            message,
            help,
        });
    }

    fn on_word(
        &mut self,
        rule: RuleId,
        severity: Severity,
        word: &Word,
        message: String,
        help: Option<String>,
    ) {
        self.finding(rule, severity, word.start, word.end, message, help);
    }

    fn run(&mut self, words: &[Word]) {
        let model = Model::get();
        let mut i = 1;
        let mut leading_globals = Vec::new();
        while i < words.len() && words[i].value.starts_with("--") && !words[i].dynamic {
            let name = words[i]
                .value
                .split('=')
                .next()
                .unwrap_or_default()
                .to_string();
            let Some(spec) = self.custom.global(&name) else {
                let names: Vec<&str> = self
                    .custom
                    .globals
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect();
                let help = suggest::best(&name, names).map(|b| format!("did you mean `{b}`?"));
                self.on_word(
                    RuleId::AwsUnknownOption,
                    Severity::Error,
                    &words[i],
                    format!("unknown global option `{}`", crate::excerpt::quote(&name)),
                    help,
                );
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
            let informational = leading_globals
                .iter()
                .any(|(_, spec, _)| spec.name == "--version");
            if !informational {
                let last = words.last().expect("at least `aws`");
                self.on_word(
                    RuleId::AwsUnknownService,
                    Severity::Error,
                    last,
                    "the command has no service".to_string(),
                    Some("write `aws <service> <operation> …`".to_string()),
                );
            }
            return;
        };
        if service_word.dynamic {
            return;
        }
        let service_name = service_word.value.as_str();
        let model_service = model.service(service_name);
        if model_service.is_none() && !self.custom.has_service(service_name) {
            let candidates = model
                .service_names()
                .chain(self.custom.commands.iter().map(|c| c.service.as_str()));
            let help =
                suggest::best(service_name, candidates).map(|b| format!("did you mean `{b}`?"));
            self.on_word(
                RuleId::AwsUnknownService,
                Severity::Error,
                service_word,
                format!(
                    "`{}` is not an AWS CLI service",
                    crate::excerpt::quote(service_name)
                ),
                help,
            );
            return;
        }
        self.v1_only_service(service_word);
        let bare_command = self.custom.command(service_name, "");
        if let (Some(spec), true) = (
            bare_command,
            words.get(i + 1).is_none_or(|w| w.value.starts_with("--")),
        ) {
            let target = Target::Custom(spec.clone());
            self.version_of_command(service_word, spec.versions, &format!("aws {service_name}"));
            self.arguments(&words[i + 1..], &target, service_name, "", service_word);
            return;
        }
        // The CLI reads global options anywhere, also between the service
        // and the operation (`aws ecs --region eu-west-3 list-clusters`).
        let mut at = i + 1;
        while let Some(word) = words
            .get(at)
            .filter(|w| w.value.starts_with("--") && !w.dynamic)
        {
            let name = word.value.split('=').next().unwrap_or_default();
            let Some(spec) = self.custom.global(name) else {
                break;
            };
            let count = take_values(words, at + 1, arity_of_spec(spec), word.value.contains('='));
            let values: Vec<&Word> = words[at + 1..at + 1 + count].iter().collect();
            self.spec_values(word, spec, &values, inline_value(word));
            at += 1 + count;
        }
        let i = at - 1;
        let Some(operation_word) = words.get(i + 1) else {
            self.on_word(
                RuleId::AwsUnknownOperation,
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
            let operation = model_service.and_then(|s| s.operation(operation_name).map(|o| (s, o)));
            match (spec.kind, operation) {
                (CommandKind::ModelOperation, Some((service, operation))) => Target::Model {
                    service,
                    operation,
                    waiter: None,
                    extras: self.extras(operation, service_name, operation_name),
                    command: Some(spec.clone()),
                },
                // A model operation this model does not have (a newer CLI's):
                // its options are unknown here.
                (CommandKind::ModelOperation, None) => Target::Custom(CommandSpec {
                    kind: CommandKind::OptionsUnrecorded,
                    ..spec.clone()
                }),
                _ => Target::Custom(spec.clone()),
            }
        } else if let Some(command) = model_service.and_then(|s| s.cmds.get(operation_name)) {
            Target::Custom(custom::command_from_model(
                service_name,
                operation_name,
                command,
            ))
        } else if let (Some(service), "wait") = (model_service, operation_name) {
            let Some(waiter_word) = words.get(i + 2) else {
                self.on_word(
                    RuleId::AwsUnknownOperation,
                    Severity::Error,
                    operation_word,
                    format!("`aws {service_name} wait` needs a waiter name"),
                    None,
                );
                return;
            };
            let waiter_operation = service.wargs.get(&waiter_word.value);
            let Some(operation) = waiter_operation.or_else(|| {
                service
                    .waiters
                    .get(&waiter_word.value)
                    .and_then(|op| service.operation(op))
            }) else {
                let help = suggest::best(
                    &waiter_word.value,
                    service.waiters.keys().map(String::as_str),
                )
                .map(|b| format!("did you mean `{b}`?"));
                self.on_word(
                    RuleId::AwsUnknownOperation,
                    Severity::Error,
                    waiter_word,
                    format!(
                        "`{}` is not a waiter of `aws {service_name}`",
                        crate::excerpt::quote(&waiter_word.value)
                    ),
                    help,
                );
                return;
            };
            next = i + 3;
            let waiter = service
                .waiters
                .get_key_value(&waiter_word.value)
                .map(|(k, _)| k.as_str());
            let extras = self.extras(operation, service_name, operation_name);
            Target::Model {
                service,
                operation,
                waiter,
                extras,
                command: None,
            }
        } else if let Some((service, operation)) =
            model_service.and_then(|s| s.operation(operation_name).map(|o| (s, o)))
        {
            let extras = self.extras(operation, service_name, operation_name);
            Target::Model {
                service,
                operation,
                waiter: None,
                extras,
                command: None,
            }
        } else {
            let mut candidates: Vec<&str> = self
                .custom
                .commands_of(service_name)
                .map(|c| c.name.as_str())
                .collect();
            if let Some(service) = model_service {
                candidates.extend(service.operation_names());
                candidates.extend(service.cmds.keys().map(String::as_str));
                if !service.waiters.is_empty() {
                    candidates.push("wait");
                }
            }
            let help =
                suggest::best(operation_name, candidates).map(|b| format!("did you mean `{b}`?"));
            self.on_word(
                RuleId::AwsUnknownOperation,
                Severity::Error,
                operation_word,
                format!(
                    "`{}` is not an operation of `aws {service_name}`",
                    crate::excerpt::quote(operation_name)
                ),
                help,
            );
            return;
        };
        let alias = format!("{service_name} {operation_name}");
        if self
            .custom
            .v1_only
            .hidden_command_aliases
            .contains_key(&alias)
        {
            self.one_version_only(
                V1_ONLY,
                operation_word.start,
                operation_word.end,
                &format!("aws {alias}"),
            );
        }
        match &target {
            Target::Help => {
                self.out.call = Some(AwsCall {
                    service: service_name.into(),
                    operation: "help".into(),
                    access: Access::ReadOnly,
                    parameters: Vec::new(),
                });
            }
            Target::Custom(_) | Target::Model { .. } => {
                // The customization entry, when one describes the command.
                let described = match &target {
                    Target::Custom(spec) => Some(spec),
                    Target::Model { command, .. } => command.as_ref(),
                    Target::Help => None,
                };
                if let Some(spec) = described {
                    self.version_of_command(
                        operation_word,
                        spec.versions,
                        &format!("aws {service_name} {operation_name}"),
                    );
                }
                self.arguments(
                    &words[next..],
                    &target,
                    service_name,
                    operation_name,
                    operation_word,
                );
            }
        }
    }

    /// The options aws-cli adds to a model operation, with the formats and
    /// conflicts customizations.json records for them.
    fn extras(
        &self,
        operation: &Operation,
        service_name: &str,
        operation_name: &str,
    ) -> Vec<OptionSpec> {
        let described: Vec<&OptionSpec> = self
            .custom
            .extra_args(service_name, operation_name)
            .into_iter()
            .flat_map(|e| e.options.iter())
            .collect();
        custom::from_model_args(&operation.xargs, &described).0
    }

    /// A service name only AWS CLI v1 accepts: a hidden alias
    /// (`runtime.sagemaker`) or a preview service (`sdb`), which v1 runs only
    /// once enabled in the configuration.
    fn v1_only_service(&mut self, word: &Word) {
        let name = word.value.as_str();
        let v1_only = &self.custom.v1_only;
        if v1_only.preview_services.iter().any(|p| p == name) {
            if self.version == CliVersion::V1 {
                self.on_word(
                    RuleId::AwsCliVersion,
                    Severity::Warning,
                    word,
                    format!(
                        "`aws {name}` is a preview service: AWS CLI v1 runs it only once enabled"
                    ),
                    Some(format!("run `aws configure set preview.{name} true` first")),
                );
            } else {
                self.one_version_only(V1_ONLY, word.start, word.end, &format!("aws {name}"));
            }
        } else if v1_only.hidden_command_aliases.contains_key(name) {
            self.one_version_only(V1_ONLY, word.start, word.end, &format!("aws {name}"));
        }
    }

    /// `what` exists in only one CLI major version: a warning when the target
    /// version has it, an error when it does not.
    fn one_version_only(&mut self, versions: Versions, start: usize, end: usize, what: &str) {
        if let Some(only) = versions.only() {
            let severity = if versions.has(self.version) {
                Severity::Warning
            } else {
                Severity::Error
            };
            self.finding(
                RuleId::AwsCliVersion,
                severity,
                start,
                end,
                format!("`{what}` exists in {only}"),
                None,
            );
        }
    }

    fn version_of_command(&mut self, word: &Word, versions: Versions, what: &str) {
        if versions.has(self.version) {
            if let Some(only) = versions.only() {
                self.on_word(
                    RuleId::AwsCliVersion,
                    Severity::Warning,
                    word,
                    format!("`{what}` exists in {only}"),
                    Some(
                        "readers with the other major version of the AWS CLI get an error"
                            .to_string(),
                    ),
                );
            }
        } else {
            self.on_word(
                RuleId::AwsCliVersion,
                Severity::Error,
                word,
                format!("`{what}` does not exist in {}", self.version.name()),
                versions.only().map(|only| format!("it exists in {only}")),
            );
        }
    }

    /// Resolves an option name for the target.
    fn resolve<'t>(
        &self,
        name: &str,
        target: &'t Target<'a>,
        service_name: &str,
        operation_name: &str,
    ) -> Opt<'t>
    where
        'a: 't,
    {
        match target {
            Target::Model {
                service,
                operation,
                waiter,
                extras,
                ..
            } => {
                let removed = self
                    .custom
                    .extra_args(service_name, operation_name)
                    .iter()
                    .any(|e| e.removed.iter().any(|r| r == name));
                if removed {
                    return Opt::Unknown;
                }
                let input = operation.input.as_deref().and_then(|i| service.shape(i));
                if let Some(member) = operation.args.get(name)
                    && let Some(input) = input
                    && let Some(shape) = input.m.get(member)
                {
                    return Opt::Member {
                        shape: shape.as_str(),
                        streamed: input.stream.contains(member),
                    };
                }
                if let Some(positive) = name.strip_prefix("--no-") {
                    let is_bool = operation
                        .args
                        .get(&format!("--{positive}"))
                        .and_then(|m| {
                            operation
                                .input
                                .as_deref()
                                .and_then(|i| service.shape(i))
                                .and_then(|s| s.m.get(m))
                        })
                        .and_then(|shape| service.shape(shape))
                        .is_some_and(|s| s.t == ShapeType::Boolean);
                    if is_bool {
                        return Opt::NegatedBool;
                    }
                }
                let extras = extras.iter();
                let paginated = operation.pag.is_some() && waiter.is_none();
                let pagination = self
                    .custom
                    .pagination_options
                    .iter()
                    .filter(|o| paginated && pagination_option_applies(operation, &o.name));
                let generic = self.custom.operation_options.iter();
                if let Some(spec) = extras
                    .chain(pagination)
                    .chain(generic)
                    .chain(self.custom.globals.iter())
                    .find(|o| o.name == name)
                {
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

    fn all_option_names(&self, target: &Target<'a>) -> Vec<String> {
        let mut names: Vec<String> = self.custom.globals.iter().map(|o| o.name.clone()).collect();
        match target {
            Target::Model { operation, .. } => {
                names.extend(
                    operation
                        .args
                        .keys()
                        .filter(|k| !operation.hidden_args.contains(k))
                        .cloned(),
                );
                names.extend(self.custom.operation_options.iter().map(|o| o.name.clone()));
                if let Target::Model { extras, .. } = target {
                    names.extend(extras.iter().map(|o| o.name.clone()));
                }
                if operation.pag.is_some() {
                    names.extend(
                        self.custom
                            .pagination_options
                            .iter()
                            .filter(|o| pagination_option_applies(operation, &o.name))
                            .map(|o| o.name.clone()),
                    );
                }
            }
            Target::Custom(spec) => names.extend(spec.options.iter().map(|o| o.name.clone())),
            Target::Help => {}
        }
        names
    }

    fn arity(&self, name: &str, opt: Opt<'_>, target: &Target<'_>) -> Arity {
        let (service, operation) = match target {
            Target::Model {
                service, operation, ..
            } => (Some(*service), Some(*operation)),
            _ => (None, None),
        };
        if let Some(nargs) = operation.and_then(|o| o.n.get(name)) {
            return match (nargs.as_u64(), nargs.as_str()) {
                (Some(0), _) => Arity::None,
                (Some(1), _) => Arity::One,
                (Some(n), _) => Arity::Exactly(usize::try_from(n).unwrap_or(usize::MAX)),
                (_, Some("?")) => Arity::Optional,
                _ => Arity::Many,
            };
        }
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
}

/// The limit-key member of a paginated operation (`pag` ends with it).
fn limit_key(operation: &Operation) -> Option<&str> {
    operation.pag.as_ref()?.last()?.as_deref()
}

/// Whether a pagination option exists for this paginated operation: aws-cli
/// adds `--page-size` only when the paginator has a limit key.
fn pagination_option_applies(operation: &Operation, name: &str) -> bool {
    name != "--page-size" || limit_key(operation).is_some()
}

fn arity_of_spec(spec: &OptionSpec) -> Arity {
    match spec.value {
        ValueSpec::Flag => Arity::None,
        ValueSpec::List => Arity::Many,
        ValueSpec::OptionalEnum(_) => Arity::Optional,
        ValueSpec::Words(n) => Arity::Exactly(n),
        _ => Arity::One,
    }
}

const V1_ONLY: Versions = Versions {
    v1: true,
    v2: false,
};

/// `--flag=value`: the value written inline.
fn inline_value(word: &Word) -> Option<String> {
    word.value.split_once('=').map(|(_, v)| v.to_string())
}

/// How many of the words from `from` are values of an option of `arity`.
fn take_values(words: &[Word], from: usize, arity: Arity, inline: bool) -> usize {
    let is_value = |w: &Word| w.dynamic || !w.value.starts_with("--") || w.value == "--";
    let available = words[from.min(words.len())..]
        .iter()
        .take_while(|w| is_value(w))
        .count();
    match (arity, inline) {
        (_, true) | (Arity::None, _) => 0,
        (Arity::One | Arity::Optional, _) => available.min(1),
        (Arity::Exactly(n), _) => available.min(n),
        (Arity::Many, _) => available,
    }
}
