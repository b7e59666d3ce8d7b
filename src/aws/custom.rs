//! The AWS CLI's own customizations, from `data/customizations.json`.
//!
//! botocore describes the APIs; the CLI adds to them: global options,
//! `--cli-input-json` and pagination options on operations, whole commands
//! (`ecr get-login-password`, `logs tail`, the `s3` commands, `configure`,
//! `ecs deploy`) and extra arguments (`--protocol/--port/--cidr` on the EC2
//! security-group operations). Those live in a small hand-maintained data
//! file where every entry cites the aws-cli source it comes from; this
//! module loads it into the types the command checker uses.

use super::access::Access;

/// The CLI major version a command is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CliVersion {
    V1,
    #[default]
    V2,
}

impl CliVersion {
    pub fn name(self) -> &'static str {
        match self {
            CliVersion::V1 => "AWS CLI v1",
            CliVersion::V2 => "AWS CLI v2",
        }
    }
}

/// Which CLI major versions have something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions {
    pub v1: bool,
    pub v2: bool,
}

impl Versions {
    pub const BOTH: Versions = Versions { v1: true, v2: true };

    pub fn has(self, version: CliVersion) -> bool {
        match version {
            CliVersion::V1 => self.v1,
            CliVersion::V2 => self.v2,
        }
    }

    /// "v1 only" / "v2 only", or `None` when both have it.
    pub fn only(self) -> Option<&'static str> {
        match (self.v1, self.v2) {
            (true, false) => Some("AWS CLI v1 only"),
            (false, true) => Some("AWS CLI v2 only"),
            _ => None,
        }
    }
}

/// What an option's value must be.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSpec {
    /// A flag without a value.
    Flag,
    String,
    Integer,
    /// One of these values; each value may exist in only one CLI version.
    Enum(Vec<(String, Versions)>),
    /// An optional value from the enum (`--generate-cli-skeleton [input]`).
    OptionalEnum(Vec<(String, Versions)>),
    /// One or more strings.
    List,
    /// Exactly this many words (`s3 mb --tags KEY VALUE`).
    Words(usize),
    /// A JSON (or YAML) document, or `file://…`.
    Document,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionSpec {
    pub name: String,
    pub value: ValueSpec,
    pub required: bool,
    pub versions: Versions,
    /// A value format the CLI enforces: `int-range:<sep>` is an integer or
    /// `<int><sep><int>` (ec2 `--port 22-25`, run-instances `--count 1:3`).
    pub format: Option<String>,
    /// Options that cannot be given together with this one.
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Positional {
    pub name: String,
    pub required: bool,
    /// Takes any number of words.
    pub many: bool,
}

/// How the options of a customization command are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommandKind {
    /// The CLI implements the command; its options are those listed.
    #[default]
    Custom,
    /// A model operation with custom behaviour (`ecs execute-command`): its
    /// options are the model operation's, in `model.bin`.
    ModelOperation,
    /// The command exists but its options are not recorded
    /// (`options_recorded: false`): its arguments cannot be checked.
    OptionsUnrecorded,
}

/// A command the CLI implements itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandSpec {
    pub service: String,
    pub name: String,
    pub kind: CommandKind,
    pub options: Vec<OptionSpec>,
    pub positionals: Vec<Positional>,
    pub versions: Versions,
    pub access: Access,
}

/// Options the CLI adds to some model operations.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraArgs {
    pub service: String,
    pub operations: Vec<String>,
    pub options: Vec<OptionSpec>,
    /// Model options the CLI removes (not accepted, not required).
    pub removed: Vec<String>,
}

/// Names only AWS CLI v1 accepts (`v1_only_names`): model.bin comes from
/// aws-cli v1, so these are in it but must fail for v2.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct V1OnlyNames {
    /// `"service operation"` → hidden argument aliases (`--code-sha-256`).
    #[serde(default)]
    pub hidden_argument_aliases: BTreeMap<String, Vec<String>>,
    /// A hidden service alias (`runtime.sagemaker`) or `"service operation"`
    /// alias → the real name.
    #[serde(default)]
    pub hidden_command_aliases: BTreeMap<String, String>,
    /// Services v1 runs only once enabled in the configuration (`sdb`).
    #[serde(default)]
    pub preview_services: Vec<String>,
}

/// Everything in customizations.json.
#[derive(Debug, Clone, Default)]
pub struct Customizations {
    pub globals: Vec<OptionSpec>,
    /// Added to every model operation (`--cli-input-json`…).
    pub operation_options: Vec<OptionSpec>,
    /// Added to paginated operations.
    pub pagination_options: Vec<OptionSpec>,
    pub commands: Vec<CommandSpec>,
    pub extra_args: Vec<ExtraArgs>,
    pub v1_only: V1OnlyNames,
}

impl Customizations {
    pub fn global(&self, name: &str) -> Option<&OptionSpec> {
        self.globals.iter().find(|o| o.name == name)
    }

    pub fn command(&self, service: &str, name: &str) -> Option<&CommandSpec> {
        self.commands
            .iter()
            .find(|c| c.service == service && c.name == name)
    }

    pub fn commands_of<'a>(
        &'a self,
        service: &'a str,
    ) -> impl Iterator<Item = &'a CommandSpec> + 'a {
        self.commands.iter().filter(move |c| c.service == service)
    }

    /// Whether `service` exists only as CLI commands (`s3`, `configure`).
    pub fn has_service(&self, service: &str) -> bool {
        self.commands.iter().any(|c| c.service == service)
    }

    pub fn extra_args(&self, service: &str, operation: &str) -> Vec<&ExtraArgs> {
        self.extra_args
            .iter()
            .filter(|e| e.service == service && e.operations.iter().any(|o| o == operation))
            .collect()
    }
}

// ---- arguments aws-cli adds, as the generated model records them ----

use super::model::{CustomArg, CustomCommand};

/// The value spec of a generated custom argument.
fn value_of_arg(arg: &CustomArg) -> ValueSpec {
    let nargs = arg.n.as_ref();
    match (
        arg.t.as_deref(),
        nargs.and_then(Json::as_u64),
        nargs.and_then(Json::as_str),
    ) {
        (_, Some(0), _) => ValueSpec::Flag,
        (_, Some(n), _) if n > 1 => ValueSpec::Words(usize::try_from(n).unwrap_or(usize::MAX)),
        (_, _, Some("?")) => match &arg.enumeration {
            Some(values) => ValueSpec::OptionalEnum(
                values.iter().map(|v| (v.clone(), Versions::BOTH)).collect(),
            ),
            None => ValueSpec::String,
        },
        (_, _, Some("*" | "+")) => ValueSpec::List,
        _ if arg.enumeration.is_some() => ValueSpec::Enum(
            arg.enumeration
                .iter()
                .flatten()
                .map(|v| (v.clone(), Versions::BOTH))
                .collect(),
        ),
        (Some("integer"), _, _) => ValueSpec::Integer,
        (Some("boolean"), _, _) => ValueSpec::Flag,
        (Some("list"), _, _) => ValueSpec::List,
        (Some("map" | "structure"), _, _) => ValueSpec::Document,
        _ => ValueSpec::String,
    }
}

/// Splits generated custom arguments into options and positionals; the
/// `format` and `conflicts` of an option come from customizations.json when
/// it describes that option for `service operation`.
pub fn from_model_args(
    args: &std::collections::BTreeMap<String, CustomArg>,
    described: &[&OptionSpec],
) -> (Vec<OptionSpec>, Vec<Positional>) {
    let mut options = Vec::new();
    let mut positionals = Vec::new();
    for (name, arg) in args {
        if arg.pos {
            let many = matches!(arg.n.as_ref().and_then(Json::as_str), Some("*" | "+"));
            let optional = matches!(arg.n.as_ref().and_then(Json::as_str), Some("?" | "*"));
            positionals.push(Positional {
                name: name.clone(),
                required: arg.req || !optional,
                many,
            });
            continue;
        }
        let known = described.iter().find(|o| &o.name == name);
        options.push(OptionSpec {
            name: name.clone(),
            value: value_of_arg(arg),
            required: arg.req,
            versions: known.map_or(Versions::BOTH, |o| o.versions),
            format: known.and_then(|o| o.format.clone()),
            conflicts: known.map(|o| o.conflicts.clone()).unwrap_or_default(),
        });
    }
    (options, positionals)
}

/// A command from the generated model's `cmds` (aws-cli v1 customizations
/// that customizations.json does not describe). Its access comes from its
/// name, read as an API operation name.
pub fn command_from_model(service: &str, name: &str, command: &CustomCommand) -> CommandSpec {
    let (options, positionals) = from_model_args(&command.args, &[]);
    let pascal: String = name
        .split('-')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    CommandSpec {
        service: service.to_string(),
        name: name.to_string(),
        kind: CommandKind::Custom,
        options,
        positionals,
        versions: Versions::BOTH,
        access: super::access::of_operation(&pascal),
    }
}

// ---- loading customizations.json (see FORMAT.md, "Customizations") ----

use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct RawFile {
    option_sets: BTreeMap<String, RawSet>,
    commands: BTreeMap<String, RawCommand>,
    operation_options: Vec<RawOperationOptions>,
    #[serde(default)]
    v1_only_names: V1OnlyNames,
}

#[derive(Deserialize)]
struct RawSet {
    versions: Vec<String>,
    #[serde(default)]
    options: BTreeMap<String, RawOption>,
}

#[derive(Deserialize)]
struct RawCommand {
    versions: Vec<String>,
    access: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default = "recorded")]
    options_recorded: bool,
    #[serde(default)]
    option_sets: Vec<String>,
    #[serde(default)]
    options: BTreeMap<String, RawOption>,
}

fn recorded() -> bool {
    true
}

#[derive(Deserialize)]
struct RawOperationOptions {
    service: String,
    operations: Vec<String>,
    versions: Vec<String>,
    #[serde(default)]
    options: BTreeMap<String, RawOption>,
    #[serde(default)]
    removed_model_options: Vec<String>,
}

#[derive(Deserialize)]
struct RawOption {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    nargs: Option<Json>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    value_versions: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    positional: bool,
    #[serde(default)]
    versions: Option<Vec<String>>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    conflicts: Vec<String>,
}

fn versions(list: &[String]) -> Versions {
    Versions {
        v1: list.iter().any(|v| v == "v1"),
        v2: list.iter().any(|v| v == "v2"),
    }
}

/// Splits options into named options and positionals.
fn options(
    raw: &BTreeMap<String, RawOption>,
    inherited: Versions,
) -> (Vec<OptionSpec>, Vec<Positional>) {
    let mut named = Vec::new();
    let mut positionals = Vec::new();
    for (name, option) in raw {
        let nargs = option.nargs.as_ref();
        let many = matches!(nargs.and_then(Json::as_str), Some("+" | "*"));
        if option.positional {
            let count = nargs.and_then(Json::as_u64).unwrap_or(1);
            let optional = matches!(nargs.and_then(Json::as_str), Some("?" | "*"));
            for i in 0..count.max(1) {
                let name = if count > 1 {
                    format!("{name}[{i}]")
                } else {
                    name.clone()
                };
                positionals.push(Positional {
                    name,
                    required: !optional
                        && (option.required || count > 1 || nargs.is_none() || many),
                    many,
                });
            }
            continue;
        }
        let option_versions = option.versions.as_deref().map_or(inherited, versions);
        let enumeration: Vec<(String, Versions)> = option
            .values
            .iter()
            .map(|v| {
                (
                    v.clone(),
                    option
                        .value_versions
                        .get(v)
                        .map_or(option_versions, |l| versions(l)),
                )
            })
            .collect();
        let optional = nargs.and_then(Json::as_str) == Some("?");
        let value = match (option.kind.as_deref(), nargs.and_then(Json::as_u64)) {
            (_, Some(0)) => ValueSpec::Flag,
            (_, Some(n)) if n > 1 => ValueSpec::Words(usize::try_from(n).unwrap_or(usize::MAX)),
            _ if optional && !enumeration.is_empty() => ValueSpec::OptionalEnum(enumeration),
            _ if !enumeration.is_empty() => ValueSpec::Enum(enumeration),
            _ if many => ValueSpec::List,
            (Some("integer"), _) => ValueSpec::Integer,
            (Some("structure" | "map"), _) => ValueSpec::Document,
            _ => ValueSpec::String,
        };
        named.push(OptionSpec {
            name: name.clone(),
            value,
            required: option.required,
            versions: option_versions,
            format: option.format.clone(),
            conflicts: option.conflicts.clone(),
        });
    }
    (named, positionals)
}

impl Customizations {
    /// Parses customizations.json.
    pub fn parse(text: &str) -> Result<Customizations, String> {
        let raw: RawFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let set = |name: &str| -> Vec<OptionSpec> {
            raw.option_sets
                .get(name)
                .map(|s| options(&s.options, versions(&s.versions)).0)
                .unwrap_or_default()
        };
        let mut commands = Vec::new();
        for (key, command) in &raw.commands {
            let (service, name) = key.split_once(' ').unwrap_or((key.as_str(), ""));
            let command_versions = versions(&command.versions);
            let (mut named, positionals) = options(&command.options, command_versions);
            for extra in &command.option_sets {
                named.extend(set(extra));
            }
            let access = match command.access.as_str() {
                "read-only" => Access::ReadOnly,
                _ => Access::Mutating,
            };
            let kind = match (command.kind.as_deref(), command.options_recorded) {
                (Some("model-operation"), _) => CommandKind::ModelOperation,
                (Some(other), _) => return Err(format!("{key}: unknown kind `{other}`")),
                (None, false) => CommandKind::OptionsUnrecorded,
                (None, true) => CommandKind::Custom,
            };
            commands.push(CommandSpec {
                service: service.to_string(),
                name: name.to_string(),
                kind,
                options: named,
                positionals,
                versions: command_versions,
                access,
            });
        }
        let extra_args = raw
            .operation_options
            .iter()
            .filter(|o| o.service != "*")
            .map(|o| ExtraArgs {
                service: o.service.clone(),
                operations: o.operations.clone(),
                options: options(&o.options, versions(&o.versions)).0,
                removed: o.removed_model_options.clone(),
            })
            .collect();
        Ok(Customizations {
            globals: set("global"),
            operation_options: set("operation"),
            pagination_options: set("pagination"),
            commands,
            extra_args,
            v1_only: raw.v1_only_names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_the_data_file() {
        let custom = super::super::customizations();
        assert!(custom.global("--query").is_some());
        let output = custom.global("--output").unwrap();
        let ValueSpec::Enum(values) = &output.value else {
            panic!("{output:?}")
        };
        let yaml = values.iter().find(|(v, _)| v == "yaml").unwrap();
        assert_eq!(yaml.1.only(), Some("AWS CLI v2 only"));
        let tail = custom.command("logs", "tail").unwrap();
        assert_eq!(tail.versions.only(), Some("AWS CLI v2 only"));
        assert_eq!(tail.access, Access::ReadOnly);
        assert_eq!(tail.positionals[0].name, "group_name");
        assert!(custom.command("ecr", "get-login-password").is_some());
        assert_eq!(
            custom.command("ecr", "get-login").unwrap().versions.only(),
            Some("AWS CLI v1 only")
        );
        let cp = custom.command("s3", "cp").unwrap();
        assert_eq!(cp.positionals.len(), 2);
        assert!(
            custom.extra_args("ec2", "authorize-security-group-ingress")[0]
                .options
                .iter()
                .any(|o| o.name == "--source-group")
        );
        assert!(
            custom
                .operation_options
                .iter()
                .any(|o| o.name == "--cli-input-json")
        );
        assert!(
            custom
                .pagination_options
                .iter()
                .any(|o| o.name == "--max-items")
        );
        assert_eq!(custom.v1_only.preview_services, ["sdb"]);
        assert!(
            custom
                .v1_only
                .hidden_command_aliases
                .contains_key("runtime.sagemaker")
        );
    }
}
