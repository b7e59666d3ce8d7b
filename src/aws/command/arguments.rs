//! The arguments of one command: options and their values, positionals,
//! required options, and the resulting [`AwsCall`].

use super::*;
use crate::registry::RuleId;

impl<'a> Checker<'a> {
    pub(super) fn arguments<'w>(
        &mut self,
        words: &'w [Word],
        target: &Target<'a>,
        service_name: &str,
        operation_name: &str,
        operation_word: &Word,
    ) {
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
            let mut opt = self.resolve(&name, target, service_name, operation_name);
            let mut abbreviation = None;
            if matches!(opt, Opt::Unknown) {
                // The CLI's argument parser accepts an unambiguous prefix of an option.
                let names = self.all_option_names(target);
                let mut expansions: Vec<&String> = names
                    .iter()
                    .filter(|n| n.starts_with(name.as_str()))
                    .collect();
                expansions.sort();
                expansions.dedup();
                if let [full] = expansions.as_slice() {
                    abbreviation = Some((*full).clone());
                    opt = self.resolve(full, target, service_name, operation_name);
                }
            }
            let name = match abbreviation {
                Some(full) => {
                    self.on_word(
                        RuleId::AwsUnknownOption,
                        Severity::Warning,
                        word,
                        format!("`{name}` is an abbreviation of `{full}`; the CLI accepts it, but a new option can make it ambiguous"),
                        Some(format!("write `{full}`")),
                    );
                    full
                }
                None => name,
            };
            let arity = self.arity(&name, opt, target);
            let count = take_values(words, j + 1, arity, inline.is_some());
            args.push(Arg {
                flag: word,
                name,
                opt,
                inline,
                values: words[j + 1..j + 1 + count].iter().collect(),
            });
            j += 1 + count;
        }

        // A command whose options are not recorded: nothing to check them against.
        let unrecorded =
            matches!(target, Target::Custom(spec) if spec.kind == CommandKind::OptionsUnrecorded);
        let mut parameters = Vec::new();
        let mut skip_required = false;
        let v1_only_flags = self
            .custom
            .v1_only
            .hidden_argument_aliases
            .get(&format!("{service_name} {operation_name}"))
            .cloned()
            .unwrap_or_default();
        for arg in &args {
            if v1_only_flags.contains(&arg.name) && matches!(arg.opt, Opt::Member { .. }) {
                let what = arg.name.clone();
                self.one_version_only(super::V1_ONLY, arg.flag.start, arg.flag.end, &what);
            }
            if arg.inline.is_some()
                && self.arity(&arg.name, arg.opt, target) == Arity::None
                && !matches!(arg.opt, Opt::Unknown)
            {
                self.on_word(
                    RuleId::AwsInvalidType,
                    Severity::Error,
                    arg.flag,
                    format!("`{}` is a switch and takes no value", arg.name),
                    Some(format!(
                        "write `{}` alone, or its `--no-` form",
                        arg.name.split('=').next().unwrap_or_default()
                    )),
                );
            }
            if let Opt::Spec(spec) = arg.opt {
                for other in spec
                    .conflicts
                    .iter()
                    .filter(|c| args.iter().any(|a| &a.name == *c))
                {
                    self.on_word(
                        RuleId::AwsUnknownOption,
                        Severity::Error,
                        arg.flag,
                        format!("`{}` cannot be combined with `{other}`", arg.name),
                        None,
                    );
                }
            }
            if matches!(
                arg.name.as_str(),
                "--cli-input-json" | "--cli-input-yaml" | "--generate-cli-skeleton"
            ) {
                skip_required = true;
            }
            if arg.name == "--cli-input-json"
                && let (
                    Target::Model {
                        service, operation, ..
                    },
                    Some(word),
                ) = (target, arg.values.first())
            {
                self.cli_input_json(service, operation, word, &args);
            }
            let raw: Vec<String> = arg
                .inline
                .iter()
                .cloned()
                .chain(arg.values.iter().map(|w| w.value.clone()))
                .collect();
            let placeholder = raw.iter().any(|v| placeholders::contains_placeholder(v));
            parameters.push(Parameter {
                flag: arg.name.clone(),
                values: raw,
                placeholder,
            });
            match arg.opt {
                Opt::Unknown if unrecorded => {}
                Opt::Unknown => {
                    let names = self.all_option_names(target);
                    let help = suggest::best(&arg.name, names.iter().map(String::as_str))
                        .map(|b| format!("did you mean `{b}`?"));
                    self.on_word(
                        RuleId::AwsUnknownOption,
                        Severity::Error,
                        arg.flag,
                        format!(
                            "`{}` is not an option of `aws {service_name} {operation_name}`",
                            crate::excerpt::quote(&arg.name)
                        ),
                        help,
                    );
                }
                Opt::NegatedBool => {}
                // An upload body: a file path, which only the CLI's machine can check.
                Opt::Member { streamed: true, .. } => {}
                Opt::Member { shape, .. } => {
                    if let Some(service) = service {
                        self.member_values(service, arg, shape);
                    }
                }
                Opt::Spec(spec) => {
                    // An option of a one-version command shares its version: said once, on the command.
                    let same_as_command = matches!(target, Target::Custom(command) if command.versions == spec.versions);
                    if !same_as_command {
                        let what = arg.name.clone();
                        self.one_version_only(spec.versions, arg.flag.start, arg.flag.end, &what);
                    }
                    self.spec_values(arg.flag, spec, &arg.values, arg.inline.clone());
                    if arg.name == "--query" {
                        self.query(arg, target);
                    }
                }
            }
        }

        self.paging(&args, target);

        // Positional arguments.
        let expected: Vec<(String, bool)> = match target {
            Target::Custom(spec) => spec
                .positionals
                .iter()
                .map(|p| (p.name.clone(), p.required))
                .collect(),
            Target::Model { operation, .. } if operation.stream_out => {
                vec![("outfile".to_string(), true)]
            }
            _ => Vec::new(),
        };
        let unlimited = unrecorded
            || matches!(target, Target::Custom(spec) if spec.positionals.iter().any(|p| p.many));
        for extra in positionals.iter().skip(if unlimited {
            usize::MAX
        } else {
            expected.len()
        }) {
            self.on_word(
                RuleId::AwsUnknownOption,
                Severity::Error,
                extra,
                format!(
                    "unexpected argument `{}`",
                    crate::excerpt::quote(&extra.value)
                ),
                Some("options start with `--`; a value with spaces needs quotes".to_string()),
            );
        }
        if !skip_required {
            for (name, required) in expected.iter().skip(positionals.len()) {
                if *required {
                    self.on_word(
                        RuleId::AwsMissingRequired,
                        Severity::Error,
                        operation_word,
                        format!("missing the required `{name}` argument"),
                        None,
                    );
                }
            }
        }

        // Required options.
        if !skip_required {
            let given = |flag: &str| args.iter().any(|a| a.name == flag);
            match target {
                Target::Model {
                    service,
                    operation,
                    extras,
                    ..
                } => {
                    let flag_of = |member: &String| {
                        operation
                            .args
                            .iter()
                            .find(|(flag, m)| *m == member && !flag.starts_with("--no-"))
                            .map(|(flag, _)| flag.clone())
                    };
                    let mut missing: Vec<String> = operation
                        .req
                        .iter()
                        .filter_map(flag_of)
                        .filter(|flag| !given(flag))
                        .map(|flag| format!("`{flag}`"))
                        .collect();
                    missing.extend(
                        extras
                            .iter()
                            .filter(|o| o.required && !given(&o.name))
                            .map(|o| format!("`{}`", o.name)),
                    );
                    // A member the model requires but the CLI does not, because
                    // an option it adds can supply it (`--code` or `--zip-file`).
                    let input = operation.input.as_deref().and_then(|i| service.shape(i));
                    let supplied_by: Vec<&str> = extras.iter().map(|o| o.name.as_str()).collect();
                    if let Some(input) = input
                        && !supplied_by.is_empty()
                        && !supplied_by.iter().any(|o| given(o))
                    {
                        let alternatives = supplied_by
                            .iter()
                            .map(|o| format!("`{o}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        missing.extend(
                            operation
                                .lift
                                .iter()
                                .filter(|m| input.r.contains(m))
                                .filter_map(flag_of)
                                .filter(|flag| !given(flag))
                                .map(|flag| format!("`{flag}` (or one of {alternatives})")),
                        );
                    }
                    if !missing.is_empty() {
                        let list = missing.join(", ");
                        self.on_word(
                            RuleId::AwsMissingRequired,
                            Severity::Error,
                            operation_word,
                            format!("`aws {service_name} {operation_name}` requires {list}"),
                            None,
                        );
                    }
                }
                Target::Custom(spec) => {
                    let missing: Vec<String> = spec
                        .options
                        .iter()
                        .filter(|o| o.required && !given(&o.name))
                        .map(|o| format!("`{}`", o.name))
                        .collect();
                    if !missing.is_empty() {
                        self.on_word(
                            RuleId::AwsMissingRequired,
                            Severity::Error,
                            operation_word,
                            format!(
                                "`aws {service_name} {operation_name}` requires {}",
                                missing.join(", ")
                            ),
                            None,
                        );
                    }
                }
                Target::Help => {}
            }
        }

        let access = match target {
            Target::Model {
                waiter: Some(_), ..
            }
            | Target::Help => Access::ReadOnly,
            Target::Model {
                command: Some(spec),
                ..
            } => spec.access,
            Target::Model { operation, .. } => access::of_operation(&operation.op),
            Target::Custom(spec) => spec.access,
        };
        let operation = match target {
            Target::Model {
                waiter: Some(waiter),
                ..
            } => format!("wait {waiter}"),
            _ => operation_name.to_string(),
        };
        self.out.call = Some(AwsCall {
            service: service_name.to_string(),
            operation,
            access,
            parameters,
        });
    }
}
