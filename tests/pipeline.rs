//! One pipeline: `check`, `build` (pages and faq.json), the command index
//! and `lookup` read the same analysis of the same expanded book, and a
//! finding in an `{{#include}}`d file is reported at that file's own line.

mod common;

use common::{bin, run, scratch};
use std::path::{Path, PathBuf};

const CHAPTER: &str = "# Runbook\n\n## 📦 ECR - PUSH/PULL\n\n### ❌ \"boom happened\"\n\n**Diagnostic :**\n\n```bash\n{{#include cmd.sh}}\n```\n";

/// A book whose only entry's snippet is `{{#include cmd.sh}}`.
fn book_with_include(name: &str, cmd: &str) -> PathBuf {
    let root = scratch(name);
    common::write_book(
        &root,
        "[book]\ntitle = \"t\"\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"site\"\n\n[preprocessor.runbook]\ncommand = \"mdbook-runbook\"\nafter = [\"links\", \"index\"]\n",
        &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Runbook](./runbook.md)\n- [Commands](./commands.md)\n",
            ),
            ("src/runbook.md", CHAPTER),
            ("src/commands.md", "# Commands\n\n{{#runbook-commands}}\n"),
            ("src/cmd.sh", cmd),
        ],
    );
    root
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn faq_commands(faq: &serde_json::Value) -> Vec<String> {
    faq["entries"][0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn included_snippets_are_seen_the_same_by_check_build_faq_and_lookup() {
    let root = book_with_include(
        "pipeline-include",
        "aws ecs list-tasks --cluster my-cluster\n",
    );
    let (code, stdout, stderr) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(json(&stdout)["summary"]["errors"], 0);

    let (code, _, stderr) = run(bin().arg("build").arg(&root));
    assert_eq!(code, 0, "{stderr}");
    let faq = json(&std::fs::read_to_string(root.join("site/en/faq.json")).unwrap());
    assert_eq!(
        faq_commands(&faq),
        ["aws ecs list-tasks --cluster my-cluster"]
    );
    assert_eq!(faq["entries"][0]["commands"][0]["operation"], "list-tasks");
    let index_page = std::fs::read_to_string(root.join("site/en/commands.html")).unwrap();
    assert!(
        index_page.contains("list-tasks"),
        "command index shows the included command"
    );
    assert!(!index_page.contains("{{#include"), "{index_page}");

    // lookup, from the built faq.json and from the book, finds the entry
    // with the included command.
    for with_site in [true, false] {
        if !with_site {
            std::fs::remove_dir_all(root.join("site")).unwrap();
        }
        let (code, stdout, stderr) = run(bin()
            .args(["lookup", "--format", "json", "--book"])
            .arg(&root)
            .arg("boom happened"));
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(
            stdout.contains("aws ecs list-tasks --cluster my-cluster") || {
                let hits = json(&stdout);
                hits["matches"][0]["id"] == faq["entries"][0]["id"]
            },
            "{stdout}"
        );
    }
}

#[test]
fn an_error_in_an_included_file_is_reported_at_its_line_by_check_and_build() {
    let root = book_with_include(
        "pipeline-include-error",
        "aws ecs list-tasks --cluster my-cluster\naws ecs nope-op\n",
    );
    let (code, stdout, stderr) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report = json(&stdout);
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert_eq!(errors[0]["rule"], "aws-unknown-operation");
    assert_eq!(errors[0]["file"], "src/cmd.sh");
    assert_eq!(
        (errors[0]["line"].clone(), errors[0]["column"].clone()),
        (2.into(), 9.into())
    );

    let (code, _, stderr) = run(bin().arg("build").arg(&root));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("src/cmd.sh:2:9"), "{stderr}");
    assert!(
        !Path::new(&root.join("site")).exists(),
        "a failed build writes no site"
    );
}

#[test]
fn the_faq_uses_the_configured_cli_version() {
    // `logs tail` exists only in AWS CLI v2: with aws-cli = 1 the check
    // reports it, and the FAQ still describes the same call.
    let root = book_with_include("pipeline-cli-v1", "aws logs tail /ecs/app --since 1h\n");
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap() + "aws-cli = 1\n";
    std::fs::write(root.join("book.toml"), toml).unwrap();
    let (_, stdout, _) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert!(stdout.contains("aws-cli-version"), "{stdout}");
}
