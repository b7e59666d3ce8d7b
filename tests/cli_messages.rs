//! What the command line says when it is used wrongly or cut short: each
//! case is a regression test for a message that was missing or wrong.

mod common;

use common::{bin, copy_of_repo_book, repo, run};
use std::process::Stdio;

#[test]
fn lookup_limit_zero_is_a_usage_error() {
    let (code, _, stderr) = run(bin()
        .args(["lookup", "--limit", "0", "--book"])
        .arg(repo())
        .arg("no basic auth credentials"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--limit"), "{stderr}");
}

#[test]
fn lookup_in_a_language_the_book_lacks_says_so() {
    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "--lang", "xx", "--book"])
        .arg(repo())
        .arg("no basic auth credentials"));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("no `xx` index"), "{stderr}");
    assert!(stdout.is_empty(), "no answer in another language: {stdout}");
}

#[test]
fn lookup_refuses_an_unknown_faq_schema_version() {
    let root = copy_of_repo_book("schema-99");
    std::fs::create_dir_all(root.join("site/fr")).unwrap();
    std::fs::write(
        root.join("site/fr/faq.json"),
        r#"{"schema_version": 99, "language": "fr", "entries": []}"#,
    )
    .unwrap();
    let (code, _, stderr) = run(bin()
        .args(["lookup", "--book"])
        .arg(&root)
        .arg("no basic auth credentials"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("schema_version 99"), "{stderr}");
}

#[test]
fn lookup_never_answers_from_a_stale_faq_json() {
    let root = copy_of_repo_book("stale-faq");
    let (code, _, stderr) = run(bin().arg("build").arg(&root));
    assert_eq!(code, 0, "{stderr}");
    // An entry added after the build is found: the index is rebuilt from
    // the book, not read from the old faq.json.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let chapter = root.join("book/troubleshooting.md");
    let text = std::fs::read_to_string(&chapter).unwrap()
        + "\n## 🧪 Added\n\n### ❌ \"quantum flux capacitor overheated\"\n\n**Cause :** added after the build\n";
    std::fs::write(&chapter, text).unwrap();
    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "--format", "json", "--book"])
        .arg(&root)
        .arg("quantum flux capacitor overheated"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("quantum flux capacitor overheated"),
        "{stdout}"
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = bin()
        .args(["check", "--format", "json"])
        .arg(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_ne!(output.status.code(), Some(2), "{stderr}");
}
