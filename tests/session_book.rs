//! A book written the way mdBook's own user guide is (tests/fixtures/
//! session-book): terminal sessions with prompts and output, command blocks
//! with `#` comments, `console` blocks that are all output, a SUMMARY.md
//! shown in a fence without a language. Adding the preprocessor to such a
//! book must not break it: `check` reports nothing from the output lines,
//! and a real `mdbook build` with `on-failure = "bail"` writes the site. An
//! `aws` error planted in one of its sessions is found at its line and
//! column, and fails that build.

mod common;

use common::{bin, copy_dir, mdbook, repo, run, scratch};
use std::path::{Path, PathBuf};

const CHAPTER: &str = "src/guide/publishing.md";

/// A copy of the fixture book in a scratch directory; with `plant`, the
/// publishing chapter's `--desired-status STOPPED` misspelt.
fn session_book(name: &str, plant: bool) -> PathBuf {
    let dir = scratch(name);
    copy_dir(&repo().join("tests/fixtures/session-book"), &dir);
    if plant {
        let path = dir.join(CHAPTER);
        let text = std::fs::read_to_string(&path).unwrap();
        let planted = text.replacen("--desired-status STOPPED", "--desired-status STOPED", 1);
        assert_ne!(text, planted, "the chapter has the command to plant in");
        std::fs::write(path, planted).unwrap();
    }
    dir
}

/// `(rule, file, line, column)` of every finding of `check --format json`.
fn findings(dir: &Path) -> (i32, Vec<(String, String, u64, u64)>) {
    let (code, stdout, stderr) = run(bin().arg("check").arg(dir).args(["--format", "json"]));
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let findings = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, findings)
}

/// The 1-based line and column of `needle` in `text`.
fn location(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() as u64 + 1,
        text[line_start..at].chars().count() as u64 + 1,
    )
}

#[test]
fn session_output_in_an_mdbook_style_guide_is_not_reported() {
    let dir = repo().join("tests/fixtures/session-book");
    let (code, findings) = findings(&dir);
    assert_eq!(code, 0, "{findings:?}");
    // The two fences without a language that hold commands are told to
    // say so; nothing else is reported: no `shell-syntax` from output, no
    // `shell-no-command` for a `console` block that is all output.
    let other: Vec<_> = findings
        .iter()
        .filter(|f| f.0 != "untagged-shell-block")
        .collect();
    assert!(other.is_empty(), "{other:?}");
    let untagged: Vec<_> = findings.iter().map(|f| (f.1.as_str(), f.2)).collect();
    assert_eq!(
        untagged,
        [
            ("src/guide/first-book.md", 59),
            ("src/guide/publishing.md", 21)
        ],
        "the SUMMARY.md fence is markdown, not a root session"
    );
}

#[test]
fn the_commands_of_sessions_untagged_fences_and_inline_code_are_read() {
    // Each misspelling below is found where it is written: after a prompt,
    // on a `> ` continuation line, in a fence without a language, in
    // inline code.
    let dir = session_book("session-book-read", false);
    let path = dir.join(CHAPTER);
    let original = std::fs::read_to_string(&path).unwrap();
    for (from, to, at, rule) in [
        (
            "aws s3 sync",
            "aws s3 synk",
            "synk",
            "aws-unknown-operation",
        ),
        (
            "--tasks 0123",
            "--taskz 0123",
            "--taskz",
            "aws-unknown-option",
        ),
        (
            "--paths \"/*\"",
            "--pathz \"/*\"",
            "--pathz",
            "aws-unknown-option",
        ),
        (
            "aws s3 ls s3://",
            "aws s3 lss s3://",
            "lss",
            "aws-unknown-operation",
        ),
    ] {
        let planted = original.replacen(from, to, 1);
        assert_ne!(planted, original, "{from}");
        std::fs::write(&path, &planted).unwrap();
        let (code, findings) = findings(&dir);
        let (line, column) = location(&planted, at);
        assert_eq!(code, 1, "{to}: {findings:?}");
        assert!(
            findings.contains(&(rule.to_string(), CHAPTER.to_string(), line, column)),
            "{rule} at {CHAPTER}:{line}:{column}: {findings:?}"
        );
    }
}

#[test]
fn a_planted_aws_error_in_a_session_is_found_at_its_line_and_column() {
    let dir = session_book("session-book-planted", true);
    let text = std::fs::read_to_string(dir.join(CHAPTER)).unwrap();
    let (line, column) = location(&text, "STOPED");
    let (code, findings) = findings(&dir);
    assert_eq!(code, 1, "{findings:?}");
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.0 != "untagged-shell-block")
        .collect();
    assert_eq!(
        errors,
        [&(
            "aws-invalid-enum".to_string(),
            CHAPTER.to_string(),
            line,
            column
        )],
        "only the planted error"
    );
}

#[test]
fn real_mdbook_build_of_the_session_book_succeeds_with_bail() {
    let dir = session_book("session-book-mdbook", false);
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    assert!(toml.contains("on-failure = \"bail\""), "{toml}");
    let (code, _, stderr) = run(mdbook().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(dir.join("site/guide/publishing.html")).unwrap();
    // The sessions are shown as written: prompts, commands and output.
    assert!(
        page.contains("$ aws ecs list-tasks --cluster prod"),
        "{page}"
    );
    assert!(page.contains("Essential container in task exited"));
    for page in ["index.html", "guide/installation.html", "cli/test.html"] {
        assert!(dir.join("site").join(page).is_file(), "{page}");
    }
}

#[test]
fn real_mdbook_build_with_bail_fails_on_the_planted_session_error() {
    let dir = session_book("session-book-mdbook-planted", true);
    let text = std::fs::read_to_string(dir.join(CHAPTER)).unwrap();
    let (line, column) = location(&text, "STOPED");
    let (code, _, stderr) = run(mdbook().arg("build").arg(&dir));
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("error[aws-invalid-enum]"), "{stderr}");
    assert!(
        stderr.contains(&format!("{CHAPTER}:{line}:{column}")),
        "{CHAPTER}:{line}:{column} in {stderr}"
    );
    assert!(!dir.join("site/guide/publishing.html").exists());
}
