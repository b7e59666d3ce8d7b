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
    /// A JSON (or YAML) document, or `file://…`.
    Document,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionSpec {
    pub name: String,
    pub value: ValueSpec,
    pub required: bool,
    pub versions: Versions,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Positional {
    pub name: String,
    pub required: bool,
}

/// A command the CLI implements itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandSpec {
    pub service: String,
    pub name: String,
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
    /// Model parameters these options make optional.
    pub satisfies: Vec<String>,
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
}

impl Customizations {
    pub fn global(&self, name: &str) -> Option<&OptionSpec> {
        self.globals.iter().find(|o| o.name == name)
    }

    pub fn command(&self, service: &str, name: &str) -> Option<&CommandSpec> {
        self.commands.iter().find(|c| c.service == service && c.name == name)
    }

    pub fn commands_of<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a CommandSpec> + 'a {
        self.commands.iter().filter(move |c| c.service == service)
    }

    /// Whether `service` exists only as CLI commands (`s3`, `configure`).
    pub fn has_service(&self, service: &str) -> bool {
        self.commands.iter().any(|c| c.service == service)
    }

    pub fn extra_args(&self, service: &str, operation: &str) -> Vec<&ExtraArgs> {
        self.extra_args.iter().filter(|e| e.service == service && e.operations.iter().any(|o| o == operation)).collect()
    }
}
