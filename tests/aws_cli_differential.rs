//! The validator against the real AWS CLI.
//!
//! `tests/aws_cli_ground_truth.py` runs every line of a corpus through
//! awscli (PyPI, AWS CLI v1) with fake credentials and a closed loopback
//! endpoint: a command is valid exactly when the CLI gets as far as the
//! network. There are two corpora in `tests/fixtures/aws-cli-corpus`:
//! `commands.txt`, written by hand, and `generated.txt`, made by
//! `generate.py` from the embedded model and customizations.json (every
//! customization of every kind, every waiter, every enum-typed option of the
//! model, the CLI's option sets, and constraint cases); the test first checks
//! that `generated.txt` is what `generate.py` makes from the current data.
//!
//! On each corpus our validator must agree with the CLI on at least 98% of
//! the lines, and every disagreement must be listed, with its reason, in
//! the corpus's known differences (`known-differences.txt`,
//! `generated-known-differences.txt`: what the CLI leaves to the service,
//! such as enum values, maximums and patterns) — and every listed line must
//! really disagree, so the lists stay honest. The validator runs twice: for
//! AWS CLI v1 against the CLI's verdicts as they are, and for v2 against
//! those verdicts adjusted by the v2 differences (`v2-differences.txt`,
//! `generated-v2-differences.txt`: v1-only and v2-only commands, options
//! and values, each with its reason).
//!
//! tests/run.sh installs the pinned awscli into .tools/venv and sets
//! `RUNBOOK_PYTHON`; without it the test looks for `python3` with awscli.

mod common;

use mdbook_runbook::aws::{self, custom::CliVersion};
use mdbook_runbook::diagnostic::Severity;
use mdbook_runbook::shell;
use std::collections::BTreeMap;
use std::process::Command;

#[derive(serde::Deserialize)]
struct Truth {
    line: usize,
    command: String,
    valid: bool,
    detail: String,
}

/// Our verdict on one command line: valid when no error-level finding.
fn our_verdict(line: &str, version: CliVersion) -> (bool, Vec<String>) {
    let analysis = shell::analyze(line);
    assert!(
        analysis.syntax_errors.is_empty(),
        "corpus line is not valid bash: {line}"
    );
    let command = analysis
        .commands
        .iter()
        .find(|c| c.program() == Some("aws"))
        .unwrap_or_else(|| panic!("no aws command in {line}"));
    let checked = aws::command::check(&command.words, aws::customizations(), version);
    let errors: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    (errors.is_empty(), errors)
}

/// `<line>\t<valid|invalid>\t<reason>` lines of a corpus file.
fn listed(name: &str) -> BTreeMap<usize, (bool, String)> {
    let text = std::fs::read_to_string(corpus_dir().join(name)).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let line = parts.next().unwrap().trim().parse().expect("line number");
            let verdict = match parts.next().unwrap().trim() {
                "valid" => true,
                "invalid" => false,
                other => panic!("{name}: bad verdict {other:?}"),
            };
            (line, (verdict, parts.next().unwrap_or("").to_string()))
        })
        .collect()
}

fn corpus_dir() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/aws-cli-corpus")
}

fn python() -> String {
    std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn ground_truth(corpus: &str) -> Vec<Truth> {
    let python = python();
    let repo = common::repo();
    let output = Command::new(&python)
        .arg(repo.join("tests/aws_cli_ground_truth.py"))
        .arg(corpus_dir().join(corpus))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}; run the tests with tests/run.sh"));
    assert!(
        output.status.success(),
        "the ground-truth script failed (is awscli installed? run tests/run.sh):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("ground truth is JSON")
}

/// Compares our verdicts for `version` with `expected`; returns the
/// agreement and the problems (unlisted differences, stale list entries).
fn compare(
    corpus: &str,
    truths: &[Truth],
    version: CliVersion,
    v2_overrides: &BTreeMap<usize, (bool, String)>,
    laxer: &BTreeMap<usize, (bool, String)>,
) -> (f64, usize, Vec<String>) {
    let mut disagreements = 0;
    let mut problems = Vec::new();
    let none = BTreeMap::new();
    for truth in truths {
        let (expected, laxer) = match (version, v2_overrides.get(&truth.line)) {
            // The v2 verdict is listed: the known difference, if any, is v1's.
            (CliVersion::V2, Some((verdict, _))) => (*verdict, &none),
            _ => (truth.valid, laxer),
        };
        let (ours, errors) = our_verdict(&truth.command, version);
        if ours == expected {
            if laxer.contains_key(&truth.line) {
                problems.push(format!(
                    "{}: {corpus} line {} is listed as a known difference but we agree ({})",
                    version.name(),
                    truth.line,
                    truth.command
                ));
            }
            continue;
        }
        disagreements += 1;
        match laxer.get(&truth.line) {
            Some((listed_ours, _)) if *listed_ours == ours => {}
            _ => problems.push(format!(
                "{}: {corpus} line {}: expected {}, we say {} — {}\n    CLI v1: {}\n    ours: {:?}",
                version.name(),
                truth.line,
                if expected { "valid" } else { "invalid" },
                if ours { "valid" } else { "invalid" },
                truth.command,
                truth.detail,
                errors
            )),
        }
    }
    (
        1.0 - disagreements as f64 / truths.len() as f64,
        disagreements,
        problems,
    )
}

/// Compares the CLI's verdicts on one corpus with the validator's, for v1
/// and v2; returns the problems found.
fn differential(corpus: &str, truths: &[Truth], known: &str, v2_differences: &str) -> Vec<String> {
    let laxer = listed(known);
    let v2_overrides = listed(v2_differences);
    let services: std::collections::BTreeSet<&str> = truths
        .iter()
        .filter_map(|t| t.command.split_whitespace().nth(1))
        .filter(|s| !s.starts_with("--"))
        .collect();
    let mut problems = Vec::new();
    for version in [CliVersion::V1, CliVersion::V2] {
        let (agreement, disagreements, found) =
            compare(corpus, truths, version, &v2_overrides, &laxer);
        eprintln!(
            "differential {corpus} ({}): {} commands, {} services, {} disagreements, all listed with a reason: {}; agreement {:.2}%",
            version.name(),
            truths.len(),
            services.len(),
            disagreements,
            found.is_empty(),
            agreement * 100.0
        );
        problems.extend(found);
        if agreement < 0.98 {
            problems.push(format!(
                "{corpus}, {}: agreement {:.2}% is below 98%",
                version.name(),
                agreement * 100.0
            ));
        }
    }
    problems
}

#[test]
fn agrees_with_the_real_aws_cli() {
    let truths = ground_truth("commands.txt");
    let services: std::collections::BTreeSet<&str> = truths
        .iter()
        .filter_map(|t| t.command.split_whitespace().nth(1))
        .filter(|s| !s.starts_with("--"))
        .collect();
    assert!(
        truths.len() >= 150,
        "the corpus has {} commands",
        truths.len()
    );
    assert!(
        services.len() >= 15,
        "the corpus covers {} services",
        services.len()
    );
    let invalid = truths.iter().filter(|t| !t.valid).count();
    assert!(
        invalid * 4 >= truths.len(),
        "the corpus needs invalid commands too ({invalid})"
    );
    let problems = differential(
        "commands.txt",
        &truths,
        "known-differences.txt",
        "v2-differences.txt",
    );
    assert!(
        problems.is_empty(),
        "unexplained differences:\n{}",
        problems.join("\n")
    );
}

/// The generated sweep: every customization of every kind, every waiter,
/// every enum-typed option, the option sets and constraint cases.
#[test]
fn agrees_with_the_real_aws_cli_on_the_generated_sweep() {
    let generator = corpus_dir().join("generate.py");
    let output = Command::new(python())
        .arg(&generator)
        .arg("--check")
        .output()
        .expect("run generate.py");
    assert!(
        output.status.success(),
        "generated.txt is stale: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let truths = ground_truth("generated.txt");
    assert!(
        truths.len() >= 4000,
        "the generated corpus has {} commands",
        truths.len()
    );
    let problems = differential(
        "generated.txt",
        &truths,
        "generated-known-differences.txt",
        "generated-v2-differences.txt",
    );
    assert!(
        problems.is_empty(),
        "{} unexplained differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
