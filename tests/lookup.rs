//! `lookup` accuracy on real error messages.
//!
//! `tests/fixtures/lookup/real-errors.tsv` holds full error strings as AWS
//! services, the ECS console, docker and the ALB print them — collected from
//! AWS documentation and public issue threads, each with its source URL —
//! and the entry each belongs to. The right entry must come first for at
//! least 90% of them.

mod common;

use common::{bin, repo, run};
use mdbook_runbook::{faq, lookup, pipeline};
use std::io::Write;
use std::process::Stdio;

fn index() -> faq::FaqIndex {
    pipeline::check(&repo()).unwrap().index
}

#[test]
fn real_error_messages_find_their_entry() {
    let index = index();
    let table =
        std::fs::read_to_string(repo().join("tests/fixtures/lookup/real-errors.tsv")).unwrap();
    let mut total = 0;
    let mut misses = Vec::new();
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut fields = line.split('\t');
        let (expected, message, source) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap_or(""),
        );
        assert!(
            index.entries.iter().any(|e| e.id == expected),
            "unknown entry id {expected}"
        );
        assert!(
            source.starts_with("http"),
            "every message cites its source: {line}"
        );
        total += 1;
        let hits = lookup::lookup(&index, message);
        let first = hits.first().map(|h| h.id);
        if first != Some(expected) {
            misses.push(format!(
                "{expected} <- {message}\n    got {:?}",
                hits.iter()
                    .take(3)
                    .map(|h| (h.id, h.score))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(total >= 20, "only {total} messages");
    let accuracy = 1.0 - misses.len() as f64 / total as f64;
    eprintln!(
        "lookup: {}/{} first-rank hits ({:.1}%)\n{}",
        total - misses.len(),
        total,
        accuracy * 100.0,
        misses.join("\n")
    );
    assert!(
        accuracy >= 0.9,
        "accuracy {:.1}% < 90%:\n{}",
        accuracy * 100.0,
        misses.join("\n")
    );
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
