//! `mdbook-runbook build` and `check` end to end, on copies of the book.

mod common;

use common::{bin, broken_links, copy_of_repo_book, run};
use mdbook_runbook::parse_chapter;
use std::path::Path;

/// No staging or backup directory of a build is left next to the site.
fn assert_no_staging_left(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".site"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn h3_ids(html: &str) -> Vec<String> {
    html.match_indices("<h3 id=\"")
        .map(|(i, m)| {
            let start = i + m.len();
            html[start..start + html[start..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn builds_the_guide_with_stable_anchors_and_no_broken_links() {
    let dir = copy_of_repo_book("build-guide");
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let fr = dir.join("site/fr");
    let html = std::fs::read_to_string(fr.join("troubleshooting.html")).unwrap();
    let chapter = parse_chapter(
        "book/troubleshooting.md",
        std::fs::read_to_string(dir.join("book/troubleshooting.md")).unwrap(),
    );
    let expected: Vec<String> = chapter.entries().map(|(_, e)| e.id.clone()).collect();
    assert_eq!(expected.len(), 27);
    assert_eq!(h3_ids(&html), expected);
    for section in &chapter.sections {
        assert!(
            html.contains(&format!("<h2 id=\"{}\"", section.id)),
            "{}",
            section.id
        );
    }
    // The table of contents was written against mdBook's automatic ids; the
    // preprocessor points it at the stable ones.
    assert!(html.contains("href=\"#ecr-push-pull\""));
    assert!(!html.contains("href=\"#-ecr---pushpull\""));
    // `./README.md` reaches the introduction, which mdBook renders as index.html.
    assert!(html.contains("href=\"index.html\""));
    assert!(fr.join("index.html").is_file());
    assert!(
        fr.join("searchindex.js").is_file()
            || fr.join("searchindex.json").is_file()
            || std::fs::read_dir(&fr).unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("searchindex"))
    );
    let broken = broken_links(&dir.join("site"));
    assert!(broken.is_empty(), "{broken:#?}");
    // Nothing is left behind next to the site.
    assert_no_staging_left(&dir);
}

#[test]
fn two_builds_give_identical_pages() {
    let dir = copy_of_repo_book("build-twice");
    assert_eq!(run(bin().arg("build").arg(&dir)).0, 0);
    let first = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();
    assert_eq!(run(bin().arg("build").arg(&dir)).0, 0);
    let second = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();
    assert_eq!(first, second);
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

#[test]
fn failing_build_exits_1_and_keeps_the_previous_site() {
    let dir = copy_of_repo_book("build-fails");
    assert_eq!(run(bin().arg("build").arg(&dir)).0, 0);
    let page = dir.join("site/fr/troubleshooting.html");
    let before = std::fs::read(&page).unwrap();

    append(
        &dir.join("book/troubleshooting.md"),
        "\n## Again {#ecr-push-pull}\n\nSee [missing](#nowhere).\n",
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[duplicate-id]"), "{stderr}");
    assert!(stderr.contains("error[broken-link]"), "{stderr}");
    assert!(stderr.contains("book/troubleshooting.md:"), "{stderr}");
    assert_eq!(
        std::fs::read(&page).unwrap(),
        before,
        "the old site is untouched"
    );
    assert_no_staging_left(&dir);
}

#[test]
fn on_failure_continue_builds_with_a_marker() {
    let dir = copy_of_repo_book("build-continue");
    let toml = std::fs::read_to_string(dir.join("book.toml"))
        .unwrap()
        .replace("on-failure = \"bail\"", "on-failure = \"continue\"");
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    append(
        &dir.join("book/troubleshooting.md"),
        "\n## Again {#ecr-push-pull}\n\n### ❌ Broken command\n\n**Solution :**\n\n```bash\naws ecs list-tasks --cluster c --desired-status STOPED\n```\n",
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("error[duplicate-id]"), "{stderr}");
    assert!(stderr.contains("error[aws-invalid-enum]"), "{stderr}");
    // The page shows a visible marker right before the failing snippet.
    let html = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();
    let marker = html
        .find("class=\"runbook-failure\"")
        .expect("a failure marker");
    let snippet = html.find("--desired-status STOPED").unwrap();
    assert!(
        marker < snippet && html[marker..snippet].matches("<pre>").count() == 1,
        "marker directly before the block"
    );
    assert!(html[marker..snippet].contains("aws-invalid-enum"));
    assert_eq!(
        html.matches("class=\"runbook-failure\"").count(),
        1,
        "only the failing snippet is marked"
    );
}

#[test]
fn unknown_config_key_exits_2_naming_key_and_line() {
    let dir = copy_of_repo_book("build-bad-config");
    append(&dir.join("book.toml"), "");
    let toml = std::fs::read_to_string(dir.join("book.toml"))
        .unwrap()
        .replace(
            "on-failure = \"bail\"",
            "on-failure = \"bail\"\nfail-fast = true",
        );
    std::fs::write(dir.join("book.toml"), &toml).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("fail-fast"))
        .unwrap()
        + 1;
    for command in ["build", "check"] {
        let (code, _, stderr) = run(bin().arg(command).arg(&dir));
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(stderr.contains("fail-fast"), "{stderr}");
        assert!(stderr.contains(&format!("book.toml:{line}")), "{stderr}");
    }
    assert!(!dir.join("site").exists());
}

#[test]
fn invalid_utf8_exits_2_naming_file_and_line() {
    let dir = copy_of_repo_book("build-bad-utf8");
    let path = dir.join("book/CLI-Commands.md");
    let mut bytes = b"# Title\n\nline two\nbad \xff byte\n".to_vec();
    bytes.extend_from_slice(b"more\n");
    std::fs::write(&path, bytes).unwrap();
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("CLI-Commands.md:4:5: invalid UTF-8"),
        "{stderr}"
    );
    assert!(!dir.join("site").exists());
}

#[test]
fn mojibake_chapter_warns_on_build_and_check() {
    let dir = copy_of_repo_book("build-mojibake");
    let original =
        common::repo().join("tests/fixtures/original/troubleshooting-ecs-fargate-ecr.md");
    std::fs::copy(original, dir.join("book/troubleshooting.md")).unwrap();
    // Garbled emoji are letters to mdBook, so the table of contents breaks
    // too: the build fails, and says why first.
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    let mojibake = stderr.find("warning[mojibake]").expect(&stderr);
    assert!(
        mojibake < stderr.find("error[broken-link]").unwrap(),
        "{stderr}"
    );
    assert!(
        stderr.contains("fix-encoding --in-place book/troubleshooting.md"),
        "{stderr}"
    );
    let (code, stdout, _) = run(bin().arg("check").arg(&dir).args(["--format", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let first = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "mojibake")
        .expect("a mojibake finding");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "book/troubleshooting.md");
    // Column 41: the first character of the garbled 🔧 at the end of the title.
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(41))
    );
}

#[test]
fn check_reports_json_with_positions_and_exit_1() {
    let dir = copy_of_repo_book("check-json");
    let chapter = dir.join("book/troubleshooting.md");
    let text = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace("(#-logs)", "(#-logz)");
    std::fs::write(&chapter, &text).unwrap();
    let line = text.lines().position(|l| l.contains("#-logz")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("#-logz").unwrap() + 1;
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir).args(["--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(d["rule"], "broken-link");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "book/troubleshooting.md");
    assert_eq!(d["line"].as_u64(), Some(line as u64));
    assert_eq!(d["column"].as_u64(), Some(column as u64));
    assert_eq!(d["end_column"].as_u64(), Some(column as u64 + 6));
    assert_eq!(d["help"], "did you mean `#-logs`?");

    let (code, stdout, _) = run(bin().arg("check").arg(&dir).args(["--format", "github"]));
    assert_eq!(code, 1);
    // GitHub paths are relative to the repository the book is in.
    let in_repository = mdbook_runbook::git::prefix_in_repository(&dir)
        .join("book/troubleshooting.md")
        .to_string_lossy()
        .into_owned();
    let prefix = format!("::error file={in_repository},line={line},col={column},");
    assert!(stdout.lines().any(|l| l.starts_with(&prefix)), "{stdout}");
    assert!(stdout.contains("title=broken-link::"), "{stdout}");

    let (code, stdout, _) = run(bin().arg("check").arg(&dir).args(["--format", "sarif"]));
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["level"] == "error").unwrap();
    assert_eq!(result["ruleId"], "broken-link");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], in_repository.as_str());
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
        "broken-link"
    );

    let (code, stdout, _) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&"error[broken-link]: no heading with id `-logz`".to_string()),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("--> book/troubleshooting.md:{line}:{column}")),
        "{stdout}"
    );
}

#[test]
fn check_of_the_repository_book_is_clean() {
    let (code, stdout, stderr) = run(bin()
        .arg("check")
        .arg(common::repo())
        .args(["--format", "json"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0);
    // The guide's known warnings: text that is not shell in bash blocks, and
    // `logs tail`, which only AWS CLI v2 has.
    for d in report["diagnostics"].as_array().unwrap() {
        let rule = d["rule"].as_str().unwrap();
        assert!(
            matches!(
                rule,
                "bash-block-not-shell"
                    | "aws-cli-version"
                    | "shell-no-command"
                    | "json-not-strict"
                    | "fargate-table-outdated"
            ),
            "unexpected finding {d}"
        );
    }
}

#[test]
fn missing_book_dir_exits_2() {
    let (code, _, stderr) = run(bin().arg("check").arg("/nonexistent/book"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/book: not a directory"),
        "{stderr}"
    );
}

#[test]
fn supports_answers_the_handshake() {
    assert_eq!(run(bin().args(["supports", "html"])).0, 0);
    assert_eq!(run(bin().args(["supports", "markdown"])).0, 0);
}

/// Regression: with a relative BOOK_DIR, the staging path was joined to the
/// root twice, the pages went to `<book>/<book>/.site.tmp…`, and an empty
/// site replaced the old one while `build` reported success.
#[test]
fn regression_relative_book_dir_builds_into_its_site() {
    let dir = copy_of_repo_book("build-relative");
    let (code, _, stderr) = run(bin()
        .current_dir(dir.parent().unwrap())
        .arg("build")
        .arg(dir.file_name().unwrap()));
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join("site/fr/troubleshooting.html").is_file());
    assert!(!dir.join("target").exists() && !dir.join(dir.file_name().unwrap()).exists());
}

/// Regression: 5000 nested `$(…)` overflowed the stack of the shell parser
/// and aborted the process. Hostile input must give findings, not a crash.
#[test]
fn regression_deeply_nested_input_is_an_error_not_a_crash() {
    let dir = common::scratch("deep-input");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"deep\"\nsrc = \"src\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [A](./a.md)\n").unwrap();
    let n = 5000;
    let chapter = format!(
        "# A\n\n## S\n\n### ❌ E\n\n```bash\necho {}x{}\n```\n\n```json\n{}{}\n```\n\n{}deep quote\n",
        "$(echo ".repeat(n),
        ")".repeat(n),
        "[".repeat(n),
        "]".repeat(n),
        "> ".repeat(3000)
    );
    std::fs::write(dir.join("src/a.md"), chapter).unwrap();
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("error[shell-syntax]: nested 65 levels deep"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[json-syntax]: invalid JSON: nested deeper than 128 levels"),
        "{stdout}"
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    assert!(!dir.join("site").exists());
}

#[test]
fn huge_chapter_is_refused_with_a_clear_error() {
    let dir = common::scratch("huge-input");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"huge\"\nsrc = \"src\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [A](./a.md)\n").unwrap();
    std::fs::write(dir.join("src/a.md"), "x".repeat(17 * 1024 * 1024)).unwrap();
    let (code, _, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("src/a.md") && stderr.contains("larger than"),
        "{stderr}"
    );
}

#[test]
fn aws_cli_1_target_reports_v2_only_commands_as_errors() {
    let dir = copy_of_repo_book("aws-cli-1");
    let toml = std::fs::read_to_string(dir.join("book.toml"))
        .unwrap()
        .replace(
            "on-failure = \"bail\"",
            "on-failure = \"bail\"\naws-cli = 1",
        );
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    let (code, stdout, _) = run(bin().arg("check").arg(&dir).args(["--format", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|d| d["rule"] == "aws-cli-version"),
        "{errors:?}"
    );
    assert!(errors.iter().any(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("`aws logs tail` does not exist in AWS CLI v1")
    }));
}
