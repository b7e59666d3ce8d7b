//! The CLI's pagination options on a paginated operation: when they turn
//! into errors, and the bounds of `--page-size`.
//!
//! aws-cli replaces the paginator's own parameters (its token and limit
//! members) by `--starting-token`, `--page-size` and `--max-items`. Giving
//! one of the replaced parameters by its own flag (`--max-results`,
//! `--next-token`), or `--no-paginate`, turns pagination off, and the CLI
//! then refuses those three options (`awscli/customizations/paginate.py`).
//! `--page-size` is sent as the limit member, so botocore checks it against
//! that member's bounds.

use super::*;
use crate::aws::constraints;
use crate::registry::RuleId;

/// The pagination options aws-cli adds.
const PAGING_OPTIONS: [&str; 3] = ["--starting-token", "--page-size", "--max-items"];

/// `MaxItems`, `maxItems`, `max_items` → `maxitems`.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl<'a> Checker<'a> {
    pub(super) fn paging(&mut self, args: &[Arg<'_, '_>], target: &Target<'a>) {
        let Target::Model {
            service,
            operation,
            waiter: None,
            ..
        } = target
        else {
            return;
        };
        let Some(pag) = &operation.pag else {
            return;
        };
        let input = operation.input.as_deref().and_then(|i| service.shape(i));
        // An input member that a pagination option took the flag of.
        let shadowed = |option: &str| {
            !operation.args.contains_key(option)
                && input.is_some_and(|s| s.m.keys().any(|m| normalized(m) == normalized(option)))
        };
        // The flags of the paginator's own parameters.
        let mut manual_flags: Vec<String> = Vec::new();
        for member in pag.iter().flatten() {
            let own: Vec<&String> = operation
                .args
                .iter()
                .filter(|(flag, m)| *m == member && !flag.starts_with("--no-"))
                .map(|(flag, _)| flag)
                .collect();
            if own.is_empty() {
                manual_flags.extend(
                    PAGING_OPTIONS
                        .iter()
                        .filter(|o| normalized(o) == normalized(member))
                        .map(|o| o.to_string()),
                );
            } else {
                manual_flags.extend(own.into_iter().cloned());
            }
        }
        // aws-cli does not count these two as manual parameters.
        manual_flags.retain(|f| f != "--max-items" && f != "--start-token");
        let manual = args.iter().find(|a| manual_flags.contains(&a.name));
        let no_paginate = args.iter().find(|a| a.name == "--no-paginate");
        if let Some(off) = manual.or(no_paginate) {
            for arg in args
                .iter()
                .filter(|a| PAGING_OPTIONS.contains(&a.name.as_str()) && !shadowed(&a.name))
                .filter(|a| a.name != off.name)
            {
                let why = if off.name == "--no-paginate" {
                    format!("`{}` cannot be combined with `--no-paginate`", arg.name)
                } else {
                    format!(
                        "`{}` cannot be combined with `{}`: the paginator's own parameter turns off the CLI's pagination",
                        arg.name, off.name
                    )
                };
                self.on_word(
                    RuleId::AwsUnknownOption,
                    Severity::Error,
                    arg.flag,
                    why,
                    None,
                );
            }
        }
        // `--page-size` is sent as the limit member.
        if let (Some(limit), Some(arg)) = (
            super::limit_key(operation),
            args.iter()
                .find(|a| a.name == "--page-size" && matches!(a.opt, Opt::Spec(_))),
        ) && let Some(shape) = input
            .and_then(|s| s.m.get(limit))
            .and_then(|name| service.shape(name))
            && let Some(word) = arg.values.first().filter(|w| !w.dynamic)
            && let Ok(number) = word.value.trim().parse::<f64>()
            && let Some(violation) = constraints::number(number, shape)
        {
            self.on_word(
                RuleId::AwsValueOutOfRange,
                Severity::Error,
                word,
                format!(
                    "`--page-size`: {} (it is sent as `{limit}`)",
                    violation.message
                ),
                violation.help,
            );
        }
    }
}
