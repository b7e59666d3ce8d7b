//! `[preprocessor.runbook]` in book.toml: raw serde structs → validated [`Config`].
//!
//! All configuration is read and checked here, once, so the rest of the
//! tool gets typed values and never sees a string key. An unknown key is an
//! error that names the key and the line of book.toml it is on, as mdBook 0.5
//! does for its own tables. The keys mdBook itself reads for every
//! preprocessor (`command`, `before`, `after`, `renderers`, `optional`) are
//! accepted and ignored.

use crate::registry::RuleId;
use anyhow::{Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The table this tool reads from book.toml.
pub const TABLE: &str = "preprocessor.runbook";

/// What happens when a snippet fails validation during a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnFailure {
    /// Fail the build (the default).
    #[default]
    Bail,
    /// Build anyway; the page shows a visible marker where the snippet failed.
    Continue,
}

/// What to do with one rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warning,
    Info,
    /// Do not report it.
    Allow,
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub on_failure: OnFailure,
    /// Per-rule severity overrides, from `[preprocessor.runbook.rules]`.
    pub rules: BTreeMap<RuleId, RuleLevel>,
    /// The AWS CLI major version commands are checked for.
    pub aws_cli: crate::aws::custom::CliVersion,
    /// Add a stable `{#id}` to section and entry headings that have none.
    pub add_ids: bool,
    /// Let chapters and included files resolve outside the book's root.
    pub allow_outside_root: bool,
    /// Fail a build when a translation (`po/<lang>.po`) has missing or
    /// fuzzy messages.
    pub strict_translations: bool,
    /// Where commands are read from.
    pub shell: crate::analysis::ShellSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            on_failure: OnFailure::Bail,
            rules: BTreeMap::new(),
            aws_cli: crate::aws::custom::CliVersion::V2,
            add_ids: true,
            allow_outside_root: false,
            strict_translations: false,
            shell: crate::analysis::ShellSettings::default(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    // Keys mdBook reads for every preprocessor.
    #[allow(dead_code)]
    command: Option<toml_value::Ignored>,
    #[allow(dead_code)]
    before: Option<toml_value::Ignored>,
    #[allow(dead_code)]
    after: Option<toml_value::Ignored>,
    #[allow(dead_code)]
    renderers: Option<toml_value::Ignored>,
    #[allow(dead_code)]
    optional: Option<toml_value::Ignored>,
    // Ours.
    on_failure: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    aws_cli: Option<u8>,
    add_ids: Option<bool>,
    check_encoding: Option<bool>,
    allow_outside_root: Option<bool>,
    strict_translations: Option<bool>,
    shell_languages: Option<Vec<String>>,
    untagged_fences: Option<bool>,
    inline_commands: Option<bool>,
}

mod toml_value {
    /// Accepts any value and keeps nothing.
    #[derive(Debug)]
    pub struct Ignored;

    impl<'de> serde::Deserialize<'de> for Ignored {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| Ignored)
        }
    }
}

impl Config {
    /// Reads and validates `[preprocessor.runbook]`. `book_toml` is only used
    /// to point errors at a line.
    pub fn from_mdbook(
        config: &mdbook_preprocessor::config::Config,
        book_toml: &Path,
    ) -> Result<Config> {
        let raw: RawConfig = match config.get(TABLE) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(error) => {
                let detail = format!("{:#}", error.root_cause());
                let line = unknown_key(&detail)
                    .and_then(|key| line_of_key(book_toml, key))
                    .map(|line| format!(":{line}"))
                    .unwrap_or_default();
                bail!("{}{line}: invalid [{TABLE}]: {detail}", book_toml.display());
            }
        };
        Config::validate(raw).map_err(|bad| {
            let line = line_of_key_in(book_toml, &bad.table, &bad.key)
                .map(|line| format!(":{line}"))
                .unwrap_or_default();
            anyhow::anyhow!(
                "{}{line}: invalid [{}]: {}",
                book_toml.display(),
                bad.table,
                bad.message
            )
        })
    }

    fn validate(raw: RawConfig) -> Result<Config, BadKey> {
        let bad = |key: &str, message: String| BadKey {
            table: TABLE.to_string(),
            key: key.to_string(),
            message,
        };
        let defaults = Config::default();
        let on_failure = match raw.on_failure.as_deref() {
            None => defaults.on_failure,
            Some("bail") => OnFailure::Bail,
            Some("continue") => OnFailure::Continue,
            Some(other) => {
                return Err(bad(
                    "on-failure",
                    format!("on-failure = {other:?}: expected \"bail\" or \"continue\""),
                ));
            }
        };
        let mut rules = BTreeMap::new();
        for (name, level) in raw.rules {
            let Some(rule) = RuleId::from_id(&name) else {
                let rule = name;
                let hint = crate::suggest::best(&rule, RuleId::ids())
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                return Err(BadKey {
                    table: format!("{TABLE}.rules"),
                    message: format!("unknown rule `{}`{hint}", crate::excerpt::quote(&rule)),
                    key: rule,
                });
            };
            let level = match level.as_str() {
                "error" => RuleLevel::Error,
                "warning" => RuleLevel::Warning,
                "info" => RuleLevel::Info,
                "allow" => RuleLevel::Allow,
                other => {
                    return Err(BadKey {
                        table: format!("{TABLE}.rules"),
                        message: format!(
                            "{name} = {other:?}: expected \"error\", \"warning\", \"info\" or \"allow\""
                        ),
                        key: name,
                    });
                }
            };
            rules.insert(rule, level);
        }
        let aws_cli = match raw.aws_cli {
            None | Some(2) => crate::aws::custom::CliVersion::V2,
            Some(1) => crate::aws::custom::CliVersion::V1,
            Some(other) => {
                return Err(bad(
                    "aws-cli",
                    format!("aws-cli = {other}: expected 1 or 2 (the AWS CLI major version)"),
                ));
            }
        };
        // The older key for the `mojibake` rule's level.
        if raw.check_encoding == Some(false) {
            rules.entry(RuleId::Mojibake).or_insert(RuleLevel::Allow);
        }
        Ok(Config {
            on_failure,
            rules,
            aws_cli,
            add_ids: raw.add_ids.unwrap_or(defaults.add_ids),
            allow_outside_root: raw
                .allow_outside_root
                .unwrap_or(defaults.allow_outside_root),
            strict_translations: raw
                .strict_translations
                .unwrap_or(defaults.strict_translations),
            shell: crate::analysis::ShellSettings {
                languages: match raw.shell_languages {
                    Some(languages) if languages.iter().any(|l| l.trim().is_empty()) => {
                        return Err(bad(
                            "shell-languages",
                            "shell-languages: a language name is empty".to_string(),
                        ));
                    }
                    Some(languages) => languages.iter().map(|l| l.trim().to_lowercase()).collect(),
                    None => defaults.shell.languages,
                },
                untagged_fences: raw
                    .untagged_fences
                    .unwrap_or(defaults.shell.untagged_fences),
                inline_commands: raw
                    .inline_commands
                    .unwrap_or(defaults.shell.inline_commands),
            },
        })
    }
}

/// A key with a bad value: its table, its name and what is wrong.
struct BadKey {
    table: String,
    key: String,
    message: String,
}

/// The key named by serde's "unknown field `x`" message, or by the "in
/// `x`" that ends a wrong type's message.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = match message.split("unknown field `").nth(1) {
        Some(rest) => rest,
        None => message.trim_end().rsplit_once("in `")?.1,
    };
    rest.split('`').next()
}

/// The 1-based line of `key = …` inside `[preprocessor.runbook]`.
fn line_of_key(book_toml: &Path, key: &str) -> Option<usize> {
    line_of_key_in(book_toml, TABLE, key)
}

/// The 1-based line of `key = …` inside the table `[table]`.
fn line_of_key_in(book_toml: &Path, table: &str, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(book_toml).ok()?;
    let mut in_table = false;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line.trim_matches(['[', ']', ' ']) == table;
        } else if in_table {
            let name = line
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if name == key {
                return Some(index + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<Config> {
        let dir = std::env::temp_dir().join(format!("runbook-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!(
            "{:x}.toml",
            toml_text.len() * 31 + toml_text.bytes().map(usize::from).sum::<usize>()
        ));
        std::fs::write(&path, toml_text).unwrap();
        let config = mdbook_preprocessor::config::Config::from_disk(&path).unwrap();
        let result = Config::from_mdbook(&config, &path);
        std::fs::remove_file(&path).ok();
        result
    }

    #[test]
    fn defaults_without_table() {
        assert_eq!(parse("[book]\ntitle = \"x\"\n").unwrap(), Config::default());
    }

    #[test]
    fn reads_keys() {
        let config = parse(
            "[preprocessor.runbook]\ncommand = \"mdbook-runbook\"\nafter = [\"links\"]\non-failure = \"continue\"\nadd-ids = false\n",
        )
        .unwrap();
        assert_eq!(config.on_failure, OnFailure::Continue);
        assert!(!config.add_ids);
        assert!(!config.allow_outside_root);
        assert!(
            parse("[preprocessor.runbook]\nallow-outside-root = true\n")
                .unwrap()
                .allow_outside_root
        );
        assert!(!config.strict_translations);
        assert!(
            parse("[preprocessor.runbook]\nstrict-translations = true\n")
                .unwrap()
                .strict_translations
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let error = parse("[book]\ntitle = \"x\"\n\n[preprocessor.runbook]\non-failure = \"bail\"\nfrobnicate = 1\n")
            .unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("frobnicate"), "{message}");
        assert!(message.contains(".toml:6:"), "{message}");
    }

    #[test]
    fn rule_levels_are_validated() {
        let config = parse("[preprocessor.runbook.rules]\naws-invalid-enum = \"warning\"\nshell-no-command = \"allow\"\n").unwrap();
        assert_eq!(config.rules[&RuleId::AwsInvalidEnum], RuleLevel::Warning);
        assert_eq!(config.rules[&RuleId::ShellNoCommand], RuleLevel::Allow);
        let error = format!(
            "{:#}",
            parse("[preprocessor.runbook.rules]\naws-invalid-enun = \"warning\"\n").unwrap_err()
        );
        assert!(error.contains("did you mean `aws-invalid-enum`"), "{error}");
        assert!(
            error.contains(".toml:2: "),
            "the unknown rule's line: {error}"
        );
        let error = format!(
            "{:#}",
            parse("[preprocessor.runbook.rules]\naws-invalid-enum = \"loud\"\n").unwrap_err()
        );
        assert!(error.contains("\"allow\""), "{error}");
    }

    #[test]
    fn aws_cli_version() {
        assert_eq!(
            parse("[preprocessor.runbook]\naws-cli = 1\n")
                .unwrap()
                .aws_cli,
            crate::aws::custom::CliVersion::V1
        );
        assert_eq!(
            Config::default().aws_cli,
            crate::aws::custom::CliVersion::V2
        );
        assert!(
            format!(
                "{:#}",
                parse("[preprocessor.runbook]\naws-cli = 3\n").unwrap_err()
            )
            .contains("expected 1 or 2")
        );
    }

    #[test]
    fn bad_value_is_explained() {
        let error = parse("[preprocessor.runbook]\non-failure = \"explode\"\n").unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("\"bail\" or \"continue\""), "{message}");
    }

    /// Regression: a bad value was reported without its line, and an
    /// unknown rule named book.toml twice (`book.toml: invalid […]:
    /// book.toml:2: …`).
    #[test]
    fn regression_bad_values_name_their_line_once() {
        let cases = [
            (
                "[preprocessor.runbook]\n\non-failure = \"explode\"\n",
                ":3: invalid [preprocessor.runbook]: on-failure",
            ),
            (
                "[preprocessor.runbook]\naws-cli = 3\n",
                ":2: invalid [preprocessor.runbook]: aws-cli = 3",
            ),
            (
                "[preprocessor.runbook]\n\non-failure = 3\n",
                ":3: invalid [preprocessor.runbook]: invalid type: integer `3`",
            ),
            (
                "[preprocessor.runbook]\nshell-languages = [\"\"]\n",
                ":2: invalid [preprocessor.runbook]: shell-languages",
            ),
            (
                "[preprocessor.runbook.rules]\nnope = \"error\"\n",
                ":2: invalid [preprocessor.runbook.rules]: unknown rule `nope`",
            ),
            (
                "[preprocessor.runbook.rules]\n\nbroken-link = \"loud\"\n",
                ":3: invalid [preprocessor.runbook.rules]: broken-link = \"loud\"",
            ),
        ];
        for (text, expected) in cases {
            let message = format!("{:#}", parse(text).unwrap_err());
            assert!(message.contains(expected), "{message}");
            assert_eq!(message.matches(".toml").count(), 1, "{message}");
        }
    }
}
