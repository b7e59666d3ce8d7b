//! `lookup` on real error messages.
//!
//! `tests/fixtures/lookup/real-errors.tsv` holds full error strings as AWS
//! services, SDKs, the ECS console, docker and the ALB print them, collected
//! from AWS documentation, public issue threads and troubleshooting pages,
//! each with its source URL, and the entry each belongs to, or `none` when
//! no entry of the guide explains it. The right entry must come first for at
//! least 92% of the covered ones, and at least 90% of the others must get no
//! entry at all.

mod common;

use common::{bin, repo, run};
use mdbook_runbook::{faq, lookup, pipeline};
use std::io::Write;
use std::process::Stdio;

fn index() -> faq::FaqIndex {
    pipeline::check(&repo()).unwrap().index
}

/// The id of the entry that explains `text` best, if any does.
fn answer(index: &faq::FaqIndex, text: &str) -> Option<String> {
    lookup::lookup(index, text)
        .into_iter()
        .next()
        .map(|hit| hit.id.to_string())
}

#[test]
fn real_error_messages_find_their_entry_or_none() {
    let index = index();
    let table =
        std::fs::read_to_string(repo().join("tests/fixtures/lookup/real-errors.tsv")).unwrap();
    let (mut covered, mut uncovered) = (0, 0);
    let (mut misses, mut false_answers) = (Vec::new(), Vec::new());
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut fields = line.split('\t');
        let (expected, message, source) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap_or(""),
        );
        assert!(
            expected == "none" || index.entries.iter().any(|e| e.id == expected),
            "unknown entry id {expected}"
        );
        assert!(
            source.starts_with("http"),
            "every message cites its source: {line}"
        );
        let ranked = lookup::rank(&index, message);
        let top: Vec<_> = ranked
            .iter()
            .take(3)
            .map(|h| (h.id, h.confidence))
            .collect();
        let got = answer(&index, message);
        if expected == "none" {
            uncovered += 1;
            if let Some(got) = got {
                false_answers.push(format!("none <- {message}\n    got {got}: {top:?}"));
            }
        } else {
            covered += 1;
            if got.as_deref() != Some(expected) {
                misses.push(format!("{expected} <- {message}\n    got {top:?}"));
            }
        }
    }
    assert!(
        covered + uncovered >= 80,
        "only {} messages",
        covered + uncovered
    );
    assert!(uncovered >= 20, "only {uncovered} messages no entry covers");
    let accuracy = 1.0 - misses.len() as f64 / covered as f64;
    let honesty = 1.0 - false_answers.len() as f64 / uncovered as f64;
    eprintln!(
        "lookup: first place right for {}/{covered} covered messages ({:.1}%); \
         no entry for {}/{uncovered} uncovered ones ({:.1}%)\n{}\n{}",
        covered - misses.len(),
        accuracy * 100.0,
        uncovered - false_answers.len(),
        honesty * 100.0,
        misses.join("\n"),
        false_answers.join("\n"),
    );
    assert!(
        accuracy >= 0.92,
        "first-place accuracy {:.1}% < 92%:\n{}",
        accuracy * 100.0,
        misses.join("\n")
    );
    assert!(
        honesty >= 0.90,
        "\"no entry\" on uncovered messages {:.1}% < 90%:\n{}",
        honesty * 100.0,
        false_answers.join("\n")
    );
}

/// `exec format error` (an image built for another CPU) is in no entry of
/// the guide: three unrelated entries used to come back.
#[test]
fn an_error_no_entry_covers_gets_no_entry() {
    let index = index();
    for text in [
        "exec format error",
        "standard_init_linux.go:228: exec user process caused: exec format error",
    ] {
        assert_eq!(answer(&index, text), None, "{text}");
    }
}

/// An API exception name is shared by many operations: with a message and
/// an operation about logs it is the logs entry; about a secret, no entry.
#[test]
fn api_exception_names_need_their_operation_or_message() {
    let index = index();
    assert_eq!(
        answer(
            &index,
            "An error occurred (ResourceNotFoundException) when calling the PutLogEvents operation: The specified log group does not exist."
        )
        .as_deref(),
        Some("logs-resourcenotfoundexception-pour-logs")
    );
    assert_eq!(
        answer(
            &index,
            "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret."
        ),
        None
    );
    // The operation alone names the subject: a task definition.
    assert_eq!(
        answer(
            &index,
            "An error occurred (ClientException) when calling the RegisterTaskDefinition operation: Invalid 'cpu' setting for task."
        )
        .as_deref(),
        Some("task-definition-invalid-cpu-or-memory-value")
    );
}

#[test]
fn lookup_command_exits_1_when_no_entry_explains_the_text() {
    let dir = common::copy_of_repo_book("lookup-none");
    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "--book"])
        .arg(&dir)
        .arg("exec /usr/local/bin/docker-entrypoint.sh: exec format error"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!stdout.contains("troubleshooting.html#"), "{stdout}");
}

#[test]
fn lookup_command_prints_json_and_reads_stdin() {
    let dir = common::copy_of_repo_book("lookup-cli");
    let message = "denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-3:123456789012:repository/app";
    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "--format", "json", "--book"])
        .arg(&dir)
        .arg(message));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let first = &json["matches"][0];
    assert_eq!(first["id"], "ecr-denied-user-is-not-authorized");
    assert_eq!(
        first["url"],
        "troubleshooting.html#ecr-denied-user-is-not-authorized"
    );
    assert!(first["score"].as_f64().unwrap() > json["matches"][1]["score"].as_f64().unwrap_or(0.0));

    let mut child = bin()
        .args(["lookup", "-", "--book"])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Error response from daemon: Get https://x.dkr.ecr.eu-west-3.amazonaws.com/v2/: no basic auth credentials\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("1. no basic auth credentials"), "{text}");
    assert!(
        text.contains("troubleshooting.html#ecr-no-basic-auth-credentials"),
        "{text}"
    );

    // After a build, the built faq.json is used.
    assert_eq!(run(bin().arg("build").arg(&dir)).0, 0);
    let faq = dir.join("site/fr/faq.json");
    let mut index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&faq).unwrap()).unwrap();
    index["entries"][0]["title"] = serde_json::json!("title from the built index");
    std::fs::write(&faq, serde_json::to_string(&index).unwrap()).unwrap();
    let (_, stdout, _) = run(bin()
        .args(["lookup", "--book"])
        .arg(&dir)
        .arg("no basic auth credentials"));
    assert!(
        stdout.starts_with("1. title from the built index"),
        "{stdout}"
    );
}
