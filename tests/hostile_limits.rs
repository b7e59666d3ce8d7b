//! Hostile input run through the real binary: it must end with findings or
//! a clear error, never by a signal, and stay within the documented limits
//! (README, "Limits"). The library-level checks of the same limits run on an
//! ordinary test thread in the modules' own tests.

mod common;

use common::{bin, run, scratch};
use mdbook_runbook::shell::MAX_COMMAND_BYTES;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A book in a scratch directory with one chapter per text.
fn book(name: &str, chapters: &[String], runbook_section: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"t\"\nsrc = \"src\"\n{runbook_section}"),
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (i, text) in chapters.iter().enumerate() {
        std::fs::write(dir.join(format!("src/c{i}.md")), text).unwrap();
        summary.push_str(&format!("- [C{i}](./c{i}.md)\n"));
    }
    std::fs::write(dir.join("src/SUMMARY.md"), summary).unwrap();
    dir
}

fn entry_with(block: &str) -> String {
    format!("# A\n\n## S\n\n### ❌ E\n\n{block}\n")
}

/// Runs `check --format json`; asserts the process exited by itself.
fn check_json(dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let output = bin()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{stderr}", output.status));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: exit {code}\n{stderr}"));
    (code, report["diagnostics"].as_array().unwrap().clone())
}

fn messages<'a>(diagnostics: &'a [serde_json::Value], rule: &str) -> Vec<&'a str> {
    diagnostics
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["message"].as_str().unwrap())
        .collect()
}

/// A `--query` of 400,000 repetitions of one construct aborted the process
/// (SIGABRT, stack overflow), or ran for minutes; each now gets one finding:
/// the query is too long to check, or, past 1 MiB, the whole command is.
#[test]
fn regression_hostile_queries_do_not_crash_the_binary() {
    let units = [
        ("a.", ""),
        ("(", ")"),
        ("{a:", "}"),
        ("[", "]"),
        ("!", ""),
        ("a|", ""),
        ("[0]", ""),
        ("a||", ""),
        ("a&&", ""),
        ("length(", ")"),
        ("[?", "]"),
        ("[]", ""),
        ("a<", ""),
    ];
    let n = 400_000;
    let chapters: Vec<String> = units
        .iter()
        .map(|(open, close)| {
            entry_with(&format!(
                "```bash\naws ecs describe-services --cluster c --services s --query '{}a{}'\n```",
                open.repeat(n),
                close.repeat(n)
            ))
        })
        .collect();
    let dir = book("hostile-queries", &chapters, "");
    let (code, diagnostics) = check_json(&dir);
    assert_eq!(code, 1);
    for (i, (open, close)) in units.iter().enumerate() {
        let file = format!("src/c{i}.md");
        let found: Vec<(&str, &str)> = diagnostics
            .iter()
            .filter(|d| d["file"] == file.as_str())
            .map(|d| (d["rule"].as_str().unwrap(), d["message"].as_str().unwrap()))
            .collect();
        let long = n * (open.len() + close.len()) > MAX_COMMAND_BYTES;
        let rule = if long {
            "shell-syntax"
        } else {
            "aws-invalid-query"
        };
        assert_eq!(found.len(), 1, "{open}: {found:?}");
        assert_eq!(found[0].0, rule, "{open}: {found:?}");
        assert!(found[0].1.contains("too long to check"), "{found:?}");
    }
}

/// Shell blocks with 50,000 nested `if`, `while`, `until`, `for` or `case`
/// aborted the process (SIGABRT).
#[test]
fn regression_deep_shell_blocks_do_not_crash_the_binary() {
    let shapes = [
        ("if true; then\n", "fi\n"),
        ("while true; do\n", "done\n"),
        ("until false; do\n", "done\n"),
        ("for x in a; do\n", "done\n"),
        ("case x in x)\n", ";; esac\n"),
    ];
    let n = 50_000;
    let blocks: Vec<String> = shapes
        .iter()
        .map(|(open, close)| {
            format!(
                "```bash\n{}echo x\n{}```\n",
                open.repeat(n),
                close.repeat(n)
            )
        })
        .collect();
    let dir = book("deep-shell", &[entry_with(&blocks.join("\n"))], "");
    let (code, diagnostics) = check_json(&dir);
    assert_eq!(code, 1);
    let found = messages(&diagnostics, "shell-syntax");
    assert_eq!(found.len(), shapes.len(), "{found:?}");
    assert!(found.iter().all(|m| m.contains("too deep to check")));
}

/// One shell syntax error (an unclosed quote on the last line) hid every
/// aws finding before it, and dropped the block's commands from faq.json.
#[test]
fn regression_a_syntax_error_hides_no_other_finding() {
    let block = "```bash\naws ecs nope-op --cluster c\naws ecs list-tasks --clusterr c\nfi\naws ecs list-tasks --cluster c\necho \"unclosed\n```";
    let dir = book(
        "syntax-recovery",
        &[entry_with(block)],
        "\n[preprocessor.runbook]\non-failure = \"continue\"\n",
    );
    let (code, diagnostics) = check_json(&dir);
    assert_eq!(code, 1);
    let lines = |rule: &str| -> Vec<u64> {
        diagnostics
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines("aws-unknown-operation"), [8]);
    assert_eq!(lines("aws-unknown-option"), [9]);
    assert_eq!(lines("shell-syntax"), [10, 12]);

    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let faq: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("book/en/faq.json")).unwrap())
            .unwrap();
    let commands: Vec<&str> = faq["entries"][0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert!(
        commands.contains(&"aws ecs list-tasks --cluster c"),
        "{commands:?}"
    );
    assert_eq!(commands.len(), 4, "{commands:?}");
}

/// An unterminated here document was reported as "tag(s) [EOF] found at:
/// [1,10]", pointing at the closing fence.
#[test]
fn regression_unterminated_heredoc_is_reported_at_its_start() {
    let block = "```bash\ncat <<EOF\nhello\n  EOF\n```";
    let dir = book("heredoc", &[entry_with(block)], "");
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("error[shell-syntax]: unterminated here document: no line reads `EOF`"),
        "{stdout}"
    );
    assert!(stdout.contains("src/c0.md:8:5"), "{stdout}");
    assert!(stdout.contains("is indented"), "{stdout}");
    assert!(!stdout.contains("found at"), "{stdout}");
}

/// `$(aws …)` in an unquoted here document, and in backquotes nested with
/// `` \` ``, is run by bash but was not checked.
#[test]
fn regression_commands_in_heredocs_and_nested_backquotes_are_checked() {
    let block = "```bash\ncat <<EOF\n$(aws ecs nope-one)\n`aws ecs nope-two`\nEOF\ncat <<'EOF'\n$(aws ecs not-expanded)\nEOF\necho `echo \\`aws ecs nope-three\\``\n```";
    let dir = book("heredoc-commands", &[entry_with(block)], "");
    let (code, diagnostics) = check_json(&dir);
    assert_eq!(code, 1);
    let found = messages(&diagnostics, "aws-unknown-operation");
    assert_eq!(found.len(), 3, "{found:?}");
    for name in ["nope-one", "nope-two", "nope-three"] {
        assert!(found.iter().any(|m| m.contains(name)), "{name}: {found:?}");
    }
}

/// `check` and `build` refuse a book over 64 MiB of markdown, as the
/// preprocessor does.
#[test]
fn regression_check_refuses_an_oversized_book() {
    let dir = book("big-book", &[entry_with("text")], "");
    let filler = "word ".repeat(3 * 1024 * 1024); // 15 MiB, under the chapter limit
    for i in 0..5 {
        std::fs::write(dir.join(format!("src/filler{i}.md")), &filler).unwrap();
    }
    for subcommand in ["check", "build"] {
        let (code, _, stderr) = run(Command::new(env!("CARGO_BIN_EXE_mdbook-runbook"))
            .arg(subcommand)
            .arg(&dir));
        assert_eq!(code, 2, "{subcommand}: {stderr}");
        assert!(
            stderr.contains("larger than the 67108864-byte limit for a book"),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
