//! Every AWS CLI, shell and JSON rule on fixture books, positive and
//! negative, with exact lines and columns. The expected findings are in
//! `tests/fixtures/{aws,json}-rules/expected.txt`; after a deliberate change, run
//! with `RUNBOOK_BLESS=1` to rewrite it, and review the diff.

mod common;

use common::{bin, repo, run};

/// Runs `check` on a fixture book and compares its findings with the book's
/// `expected.txt` (rewritten when `RUNBOOK_BLESS` is set).
fn findings_of(fixture: &str) -> (serde_json::Value, String) {
    let book = repo().join("tests/fixtures").join(fixture);
    let (code, stdout, stderr) = run(bin().arg("check").arg(&book).args(["--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let actual: String = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}-{}:{} {} {}\n",
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    let expected_path = book.join("expected.txt");
    if std::env::var_os("RUNBOOK_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(
        actual, expected,
        "{fixture}: findings changed; review, then RUNBOOK_BLESS=1 to accept"
    );
    (report, expected)
}

#[test]
fn each_rule_fires_exactly_where_expected() {
    let book = repo().join("tests/fixtures/aws-rules");
    let (report, expected) = findings_of("aws-rules");
    // The first block (valid commands) has no finding at all.
    let first_case = 20..31;
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !first_case.contains(&(d["line"].as_u64().unwrap() as usize)))
    );
    // The same bad enum, after `<!-- runbook:allow aws-invalid-enum -->`, is not reported.
    let source = std::fs::read_to_string(book.join("src/cases.md")).unwrap();
    let directive_line = source
        .lines()
        .position(|l| l.contains("runbook:allow"))
        .unwrap()
        + 1;
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| (d["line"].as_u64().unwrap() as usize) < directive_line)
    );
    assert!(
        expected.contains(" aws-invalid-enum\n"),
        "the enum case without directive fires"
    );
    // Every AWS CLI and shell rule is covered.
    for rule in [
        "aws-unknown-service",
        "aws-unknown-operation",
        "aws-unknown-option",
        "aws-missing-required",
        "aws-invalid-type",
        "aws-invalid-enum",
        "aws-value-out-of-range",
        "aws-pattern-mismatch",
        "aws-invalid-shorthand",
        "aws-invalid-json-arg",
        "aws-invalid-query",
        "aws-query-unknown-field",
        "aws-cli-version",
        "shell-syntax",
        "bash-block-not-shell",
        "shell-no-command",
    ] {
        assert!(
            expected.contains(&format!(" {rule}\n")),
            "{rule} has no case"
        );
    }
}

#[test]
fn each_json_rule_fires_exactly_where_expected() {
    let (report, expected) = findings_of("json-rules");
    // The valid section (up to "## Defects") has no finding.
    let source =
        std::fs::read_to_string(repo().join("tests/fixtures/json-rules/src/cases.md")).unwrap();
    let defects = source.lines().position(|l| l == "## Defects").unwrap() + 1;
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["line"].as_u64().unwrap() as usize > defects)
    );
    for rule in [
        "json-syntax",
        "json-shape",
        "aws-invalid-enum",
        "json-not-strict",
        "aws-limit",
        "fargate-task-size",
        "iam-policy",
        "iam-unknown-action",
        "iam-wildcard-no-match",
        "iam-principal",
    ] {
        assert!(
            expected.contains(&format!(" {rule}\n")),
            "{rule} has no case"
        );
    }
}
