//! In CI: SARIF that code scanning can track, GitHub annotations with a
//! step summary, `check --changed-since`, the GitHub Action's script, and
//! the pre-commit hook run by the real pre-commit.

mod common;

use common::{bin, copy_of_repo_book, repo, run, scratch};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A one-chapter book in a fresh git repository, committed.
fn book_in_git(name: &str, chapter: &str) -> PathBuf {
    let dir = scratch(name);
    common::write_book(
        &dir,
        "[book]\ntitle = \"t\"\nsrc = \"book\"\n\n[build]\nbuild-dir = \"site\"\n",
        &[
            ("book/SUMMARY.md", "# Summary\n\n- [Runbook](./x.md)\n"),
            ("book/x.md", chapter),
        ],
    );
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "book"]);
    dir
}

fn entry(title: &str, command: &str) -> String {
    format!("### ❌ {title}\n\n**Diagnostic :**\n\n```bash\n{command}\n```\n\n")
}

fn sarif_of(dir: &Path) -> serde_json::Value {
    let (code, stdout, stderr) = run(bin().arg("check").arg(dir).args(["--format", "sarif"]));
    assert!(code <= 1, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn fingerprints(sarif: &serde_json::Value) -> Vec<(String, String, u64)> {
    let mut out: Vec<(String, String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn sarif_has_what_github_needs_and_fingerprints_survive_edits_above() {
    let dir = copy_of_repo_book("ci-sarif");
    let sarif = sarif_of(&dir);
    // What GitHub's SARIF support requires or uses.
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let run0 = &sarif["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "mdbook-runbook");
    assert!(driver["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert!(run0["originalUriBaseIds"]["%SRCROOT%"].is_object());
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["id"].is_string() && rule["shortDescription"]["text"].is_string());
        assert!(
            rule["helpUri"].as_str().unwrap().starts_with("https://"),
            "{rule}"
        );
    }
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() > 5);
    for result in results {
        assert!(result["message"]["text"].is_string());
        assert!(result["ruleId"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(
            !location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let before = fingerprints(&sarif);
    let unique: std::collections::HashSet<&String> = before.iter().map(|(_, f, _)| f).collect();
    assert_eq!(unique.len(), before.len(), "fingerprints are unique");

    // Insert lines near the top of the chapter: every line number moves,
    // no fingerprint does.
    let chapter = dir.join("book/troubleshooting.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let at = text.find('\n').unwrap() + 1;
    let edited = format!(
        "{}\nA new paragraph.\n\nAnd another one.\n{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&chapter, edited).unwrap();
    let after = fingerprints(&sarif_of(&dir));
    let lines = |v: &[(String, String, u64)]| v.iter().map(|(_, _, l)| *l).collect::<Vec<_>>();
    assert_ne!(lines(&before), lines(&after), "the findings moved");
    let prints = |v: &[(String, String, u64)]| {
        let mut p: Vec<(String, String)> =
            v.iter().map(|(r, f, _)| (r.clone(), f.clone())).collect();
        p.sort();
        p
    };
    assert_eq!(prints(&before), prints(&after));
}

#[test]
fn github_annotations_are_capped_and_the_summary_holds_every_finding() {
    // 15 errors and 15 warnings.
    let mut chapter = String::from("# Runbook\n\n## 🧪 S\n\n");
    for i in 0..15 {
        chapter += &entry(&format!("E{i}"), &format!("aws ecs nope-op-{i}"));
        chapter += &entry(&format!("W{i}"), "aws logs tail /ecs/app --since 1h");
    }
    let dir = book_in_git("ci-github", &chapter);
    let summary = dir.join("summary.md");
    let (code, stdout, stderr) = run(bin()
        .arg("check")
        .arg(&dir)
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "team/runbooks")
        .env("GITHUB_SHA", "0123abc"));
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let errors = lines.iter().filter(|l| l.starts_with("::error ")).count();
    let warnings = lines.iter().filter(|l| l.starts_with("::warning ")).count();
    assert_eq!((errors, warnings), (10, 10), "{stdout}");
    assert!(
        lines[..10].iter().all(|l| l.starts_with("::error ")),
        "errors first"
    );
    assert_eq!(
        *lines.last().unwrap(),
        "::notice title=mdbook-runbook::10 more finding(s) are listed in the step summary"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    println!(
        "30 findings: {} annotations shown, a {}-byte step summary with {} finding lines",
        lines.len(),
        text.len(),
        text.matches("\n- ").count()
    );
    assert_eq!(text.matches("\n- ").count(), 30, "{text}");
    assert!(
        text.contains("**15 error(s), 15 warning(s), 0 info(s)**"),
        "{text}"
    );
    assert!(
        text.contains("| `aws-unknown-operation` | error | 15 |"),
        "{text}"
    );
    assert!(
        text.contains("(https://github.com/team/runbooks/blob/0123abc/"),
        "links to the lines: {text}"
    );
}

#[test]
fn changed_since_reports_only_changed_lines() {
    let old = entry("Old", "aws ecs nope-old");
    let dir = book_in_git("ci-changed", &format!("# R\n\n## 🧪 S\n\n{old}"));
    let base = git(&dir, &["rev-parse", "HEAD"]);
    let chapter = dir.join("book/x.md");
    let text = std::fs::read_to_string(&chapter).unwrap() + &entry("New", "aws ecs nope-new");
    std::fs::write(&chapter, text).unwrap();
    let check = |args: &[&str]| {
        let (code, stdout, stderr) = run(bin()
            .arg("check")
            .arg(&dir)
            .args(["--format", "json"])
            .args(args));
        assert!(code <= 1, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let all = check(&[]);
    assert_eq!(all.len(), 2, "{all:?}");
    let changed = check(&["--changed-since", &base]);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains("nope-new"), "{changed:?}");
    // Committed changes count too.
    git(&dir, &["commit", "-qam", "new entry"]);
    assert_eq!(check(&["--changed-since", &base]).len(), 1);
    assert!(check(&["--changed-since", "HEAD"]).is_empty());
    let (code, _, stderr) = run(bin()
        .arg("check")
        .arg(&dir)
        .args(["--changed-since", "no-such-ref"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a commit"), "{stderr}");
}

/// PATH with the binary under test first.
fn path_with_binary() -> std::ffi::OsString {
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-runbook"));
    let mut dirs = vec![ours.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

#[test]
fn the_action_script_counts_fails_on_and_writes_sarif() {
    let dir = book_in_git(
        "ci-action",
        &format!(
            "# R\n\n## 🧪 S\n\n{}{}",
            entry("E", "aws ecs nope-op"),
            entry("W", "aws logs tail /g --since 1h")
        ),
    );
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"t\"\nsrc = \"book\"\n",
    )
    .unwrap();
    let action = |fail_on: &str, format: &str, aws_cli: &str| {
        let output = dir.join(format!("output-{fail_on}-{format}-{aws_cli}"));
        let (code, stdout, stderr) = run(Command::new("bash")
            .arg(repo().join(".github/action/run.sh"))
            .current_dir(&dir)
            .env("PATH", path_with_binary())
            .env("BOOK", &dir)
            .env("FORMAT", format)
            .env("FAIL_ON", fail_on)
            .env("AWS_CLI", aws_cli)
            .env("GITHUB_OUTPUT", &output)
            .env_remove("GITHUB_STEP_SUMMARY"));
        let outputs = std::fs::read_to_string(&output).unwrap_or_default();
        (code, stdout + &stderr, outputs)
    };
    let (code, log, outputs) = action("error", "github", "");
    assert_eq!(code, 1, "{log}");
    assert!(
        outputs.contains("errors=1\n") && outputs.contains("warnings=1\n"),
        "{outputs}"
    );
    assert!(log.contains("::error file="), "{log}");
    // aws-cli = 1 turns the `logs tail` warning into an error.
    let (code, _, outputs) = action("never", "github", "1");
    assert_eq!(code, 0);
    assert!(
        outputs.contains("errors=2\n") && outputs.contains("warnings=0\n"),
        "{outputs}"
    );
    let (code, log, outputs) = action("warning", "sarif", "2");
    assert_eq!(code, 1, "{log}");
    assert!(
        outputs.contains("sarif-file=mdbook-runbook.sarif"),
        "{outputs}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mdbook-runbook.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let (code, log, _) = action("sometimes", "github", "");
    assert_eq!(code, 2, "{log}");
}

fn python() -> String {
    std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".into())
}

#[test]
fn action_workflows_and_hooks_are_valid_yaml_wired_to_the_script() {
    let script =
        "import sys, yaml\nfor path in sys.argv[1:]:\n    yaml.safe_load(open(path))\nprint('ok')";
    let files = [
        "action.yml",
        ".github/workflows/runbook.yml",
        ".github/workflows/pages.yml",
        ".pre-commit-hooks.yaml",
    ];
    let output = Command::new(python())
        .args(["-c", script])
        .args(files.iter().map(|f| repo().join(f)))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    for input in ["book:", "format:", "fail-on:", "aws-cli:", "build:"] {
        assert!(action.contains(&format!("\n  {input}")), "input {input}");
    }
    assert!(action.contains(".github/action/run.sh"));
    assert!(action.contains("using: composite"));
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: mdbook-runbook-check") && hooks.contains("language: rust"));
}

#[test]
fn the_pre_commit_hook_fails_on_an_error_and_passes_once_fixed() {
    // The hook repository is this one, at its current commit: pre-commit
    // clones it and builds the tool with cargo (language: rust). Its build
    // goes to its own target directory, unoptimised, to keep this quick.
    let this = repo();
    let rev = git(&this, &["rev-parse", "HEAD"]);
    let dir = book_in_git(
        "ci-pre-commit",
        &format!("# R\n\n## 🧪 S\n\n{}", entry("E", "aws ecs nope-op")),
    );
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks: [{{id: mdbook-runbook-check}}]\n",
        this.display()
    );
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    git(&dir, &["add", "-A"]);
    let venv_bin = PathBuf::from(python()).parent().unwrap().to_path_buf();
    let pre_commit = |dir: &Path| {
        let mut command = Command::new(venv_bin.join("pre-commit"));
        command
            .current_dir(dir)
            .args(["run", "--all-files", "--color", "never"])
            .env("PRE_COMMIT_HOME", this.join("target/pre-commit-home"))
            .env("CARGO_TARGET_DIR", this.join("target/pre-commit-build"))
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256");
        run(&mut command)
    };
    let (code, stdout, stderr) = pre_commit(&dir);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("mdbook-runbook check") && stdout.contains("Failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("book/x.md:10:9"),
        "names the line: {stdout}"
    );

    let chapter = dir.join("book/x.md");
    let fixed = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace("nope-op", "list-clusters");
    std::fs::write(&chapter, fixed).unwrap();
    git(&dir, &["add", "-A"]);
    let (code, stdout, stderr) = pre_commit(&dir);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Passed"), "{stdout}");
}
