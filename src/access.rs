//! Access class of a command: read-only or mutating.
//!
//! Check scripts run read-only commands by default and mutating ones only
//! with `--apply`, so this decides from what a command *does*. This module
//! owns the class itself and the programs other than `aws` (docker, curl,
//! kubectl by their subcommands and flags, and a list of programs that only
//! read); `aws::access` decides for AWS API operations. Unknown programs are
//! treated as mutating: a script must never run something it cannot vouch
//! for without `--apply`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    ReadOnly,
    Mutating,
}

impl Access {
    /// `ReadOnly` when `reads`, else `Mutating`.
    pub fn reading(reads: bool) -> Access {
        if reads {
            Access::ReadOnly
        } else {
            Access::Mutating
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Access::ReadOnly => "read-only",
            Access::Mutating => "mutating",
        }
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

/// Whether a command waits on a terminal or never ends by itself: an
/// interactive session (`aws ecs execute-command`, `aws ssm start-session`,
/// `docker exec -it`, `ssh`, an editor or a pager), or a follow mode
/// (`--follow`, `-f` on logs, `watch`). A script shows such a command and
/// never runs it unattended.
pub fn is_interactive(words: &[&str]) -> bool {
    let Some((&program, args)) = words.split_first() else {
        return false;
    };
    let program = program.rsplit('/').next().unwrap_or(program);
    let has = |flags: &[&str]| args.iter().any(|a| flags.contains(a));
    let terminal_flag = args.iter().any(|a| {
        *a == "--interactive"
            || *a == "--tty"
            || (a.starts_with('-') && !a.starts_with("--") && (a.contains('i') || a.contains('t')))
    });
    match program {
        "aws" => {
            let rest: Vec<&str> = args
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-'))
                .collect();
            matches!(
                rest.as_slice(),
                ["ecs", "execute-command", ..] | ["ssm", "start-session", ..]
            ) || (rest.get(1) == Some(&"tail") && has(&["--follow"]))
        }
        "docker" | "podman" | "kubectl" => {
            let sub = args.iter().find(|a| !a.starts_with('-')).copied();
            match sub {
                Some("exec" | "run" | "attach") => terminal_flag,
                Some("logs") => has(&["-f", "--follow"]),
                _ => false,
            }
        }
        "ssh"
        | "telnet"
        | "watch"
        | "top"
        | "htop"
        | "less"
        | "more"
        | "vi"
        | "vim"
        | "nano"
        | "session-manager-plugin" => true,
        "tail" => has(&["-f", "-F", "--follow"]),
        "psql" | "mysql" => !has(&["-c", "--command", "-e", "--execute", "-f", "--file"]),
        _ => false,
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
    Access::reading(read)
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
    Access::reading(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactive_commands() {
        let cases: [(&[&str], bool); 10] = [
            (&["aws", "ecs", "execute-command", "--interactive"], true),
            (&["aws", "logs", "tail", "/ecs/x", "--follow"], true),
            (&["aws", "logs", "tail", "/ecs/x", "--since", "1h"], false),
            (&["aws", "ecs", "list-tasks"], false),
            (&["docker", "exec", "-it", "c", "sh"], true),
            (&["docker", "run", "--rm", "img"], false),
            (&["docker", "logs", "-f", "c"], true),
            (&["watch", "date"], true),
            (&["psql", "-c", "select 1"], false),
            (&["curl", "-i", "http://x"], false),
        ];
        for (words, interactive) in cases {
            assert_eq!(is_interactive(words), interactive, "{words:?}");
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
