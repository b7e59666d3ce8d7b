//! Access class of a command: read-only or mutating.
//!
//! Check scripts run read-only commands by default and mutating ones only
//! with `--apply`, so this decides from what the command *does*: for AWS,
//! the API operation (`RunTask` mutates although "run" is not "create";
//! `GetLoginPassword` and `GetCallerIdentity` only read), with a short table
//! of exceptions; for docker, curl and kubectl, their subcommands and
//! flags. Unknown programs are treated as mutating: a script must never run
//! something it cannot vouch for without `--apply`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    ReadOnly,
    Mutating,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::ReadOnly => "read-only",
            Access::Mutating => "mutating",
        }
    }
}

/// API operation name prefixes that only read.
const READ_PREFIXES: &[&str] = &[
    "Describe", "List", "Get", "Head", "BatchGet", "Search", "Scan", "Query", "Lookup", "Select",
    "Validate", "Estimate", "Preview", "Simulate", "Filter", "Check", "Test", "Detect", "Lookup",
    "View", "Verify",
];

/// Operations whose prefix says otherwise. Each is read-only unless marked.
const EXCEPTIONS: &[(&str, Access)] = &[
    // STS hands out temporary credentials; nothing in the account changes.
    ("AssumeRole", Access::ReadOnly),
    ("AssumeRoleWithWebIdentity", Access::ReadOnly),
    ("DecodeAuthorizationMessage", Access::ReadOnly),
    // KMS: cryptographic reads.
    ("Decrypt", Access::ReadOnly),
    ("GenerateDataKey", Access::ReadOnly),
    // These start like reads but change state.
    ("GetObjectLegalHold", Access::ReadOnly),
    ("TestInvokeMethod", Access::Mutating),
    ("TestFailover", Access::Mutating),
    ("DetectStackDrift", Access::Mutating),
];

/// The access class of an AWS API operation, e.g. `RunTask`.
pub fn of_operation(api_name: &str) -> Access {
    if let Some(&(_, access)) = EXCEPTIONS.iter().find(|(name, _)| *name == api_name) {
        return access;
    }
    let reads = READ_PREFIXES.iter().any(|prefix| {
        api_name.strip_prefix(prefix).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    });
    if reads {
        Access::ReadOnly
    } else {
        Access::Mutating
    }
}

/// Programs that never change anything.
const READ_ONLY_PROGRAMS: &[&str] = &[
    "echo",
    "printf",
    "cat",
    "grep",
    "egrep",
    "jq",
    "yq",
    "date",
    "head",
    "tail",
    "less",
    "wc",
    "sort",
    "uniq",
    "cut",
    "awk",
    "sed",
    "dig",
    "nslookup",
    "host",
    "ping",
    "traceroute",
    "nc",
    "telnet",
    "whoami",
    "id",
    "env",
    "true",
    "false",
    "test",
    "[",
    "ls",
    "pwd",
    "which",
    "type",
    "openssl",
    "base64",
    "column",
    "tr",
    "xargs",
    "watch",
    "pg_isready",
    "ss",
    "netstat",
    "ps",
    "df",
    "du",
    "free",
    "uptime",
    "journalctl",
    "nproc",
];

/// The access class of a non-AWS command, from its words.
pub fn of_command(words: &[&str]) -> Access {
    let Some((&program, args)) = words.split_first() else {
        return Access::ReadOnly;
    };
    let program = program.rsplit('/').next().unwrap_or(program);
    match program {
        "docker" | "podman" => docker(args),
        "curl" => curl(args),
        "wget" => Access::ReadOnly,
        "kubectl" => kubectl(args),
        "sed" if args.iter().any(|a| a.starts_with("-i")) => Access::Mutating,
        "xargs" => args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map_or(Access::ReadOnly, |_| Access::Mutating),
        _ if READ_ONLY_PROGRAMS.contains(&program) => Access::ReadOnly,
        _ => Access::Mutating,
    }
}

fn docker(args: &[&str]) -> Access {
    let mut positional = args.iter().filter(|a| !a.starts_with('-'));
    let first = positional.next().copied().unwrap_or("");
    let second = positional.next().copied().unwrap_or("");
    let read = match first {
        "images" | "ps" | "inspect" | "logs" | "version" | "info" | "history" | "stats" | "top"
        | "port" | "diff" | "search" | "events" => true,
        "image" | "container" | "network" | "volume" | "context" | "node" | "service" => {
            matches!(
                second,
                "ls" | "list" | "inspect" | "history" | "logs" | "ps"
            )
        }
        "manifest" => second == "inspect",
        "system" => matches!(second, "df" | "info" | "events"),
        "buildx" => matches!(second, "ls" | "inspect" | "version"),
        _ => false,
    };
    if read {
        Access::ReadOnly
    } else {
        Access::Mutating
    }
}

fn curl(args: &[&str]) -> Access {
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        let method = match *arg {
            "-X" | "--request" => iter.peek().map(|m| m.to_ascii_uppercase()),
            a if a.starts_with("-X") && a.len() > 2 => Some(a[2..].to_ascii_uppercase()),
            a if a.starts_with("--request=") => Some(a["--request=".len()..].to_ascii_uppercase()),
            _ => None,
        };
        if let Some(method) = method
            && !matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS")
        {
            return Access::Mutating;
        }
        let sends = matches!(
            *arg,
            "-d" | "-F" | "-T" | "--form" | "--upload-file" | "--json"
        ) || arg.starts_with("--data")
            || (arg.starts_with("-d") && arg.len() > 2);
        if sends {
            return Access::Mutating;
        }
    }
    Access::ReadOnly
}

fn kubectl(args: &[&str]) -> Access {
    let first = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .copied()
        .unwrap_or("");
    let read = matches!(
        first,
        "get"
            | "describe"
            | "logs"
            | "top"
            | "explain"
            | "version"
            | "api-resources"
            | "api-versions"
            | "cluster-info"
            | "diff"
            | "events"
            | "auth"
    ) || (first == "config"
        && args
            .iter()
            .any(|a| matches!(*a, "view" | "get-contexts" | "current-context")));
    if read {
        Access::ReadOnly
    } else {
        Access::Mutating
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        let cases = [
            ("DescribeServices", Access::ReadOnly),
            ("ListTasks", Access::ReadOnly),
            ("GetCallerIdentity", Access::ReadOnly),
            ("GetLoginPassword", Access::ReadOnly),
            ("RunTask", Access::Mutating),
            ("UpdateService", Access::Mutating),
            ("AuthorizeSecurityGroupIngress", Access::Mutating),
            ("PutScalingPolicy", Access::Mutating),
            ("Listen", Access::Mutating),
            ("GetObjectLegalHold", Access::ReadOnly),
            ("TestInvokeMethod", Access::Mutating),
            ("AssumeRole", Access::ReadOnly),
        ];
        for (name, access) in cases {
            assert_eq!(of_operation(name), access, "{name}");
        }
    }

    #[test]
    fn commands() {
        let cases: [(&[&str], Access); 12] = [
            (&["docker", "images", "ma-app"], Access::ReadOnly),
            (&["docker", "image", "ls"], Access::ReadOnly),
            (
                &["docker", "run", "-p", "3000:3000", "ma-app"],
                Access::Mutating,
            ),
            (&["docker", "login", "--username", "AWS"], Access::Mutating),
            (&["docker", "tag", "a", "b"], Access::Mutating),
            (&["curl", "http://localhost:3000/health"], Access::ReadOnly),
            (&["curl", "-f", "-X", "POST", "http://x"], Access::Mutating),
            (&["curl", "--data", "x", "http://x"], Access::Mutating),
            (&["kubectl", "get", "pods"], Access::ReadOnly),
            (&["kubectl", "delete", "pod", "x"], Access::Mutating),
            (&["jq", "."], Access::ReadOnly),
            (&["rm", "-rf", "x"], Access::Mutating),
        ];
        for (words, access) in cases {
            assert_eq!(of_command(words), access, "{words:?}");
        }
    }
}
