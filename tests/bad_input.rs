//! Bad input, every kind in one place: text that is not UTF-8, BOM and CRLF
//! files, unclosed fences, huge lines, deep and wide nesting, missing and
//! stray chapters, bad configuration and PO files, headings that look like
//! paths or HTML, chapters that lead outside the book, and garbage on the
//! preprocessor's stdin.
//!
//! Each case runs the real binary on a scratch book and holds it to the same
//! contract: exit 0, 1 or 2 as the README documents, never a panic, a signal
//! or a hang; a message that names the file (and the line, where there is
//! one); and `build` writes nothing outside its site, leaves no staging copy
//! behind, and on failure leaves the previous site (or none) untouched. The
//! huge inputs are generated here, never committed.

mod common;

use common::contract::{Ran, assert_tool_error, build, build_writing, check, check_json, finish};
use common::{bin, scratch, tree};
use std::path::{Path, PathBuf};
use std::time::Instant;

const BOOK_TOML: &str =
    "[book]\ntitle = \"T\"\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"site\"\n";

const CONTINUE: &str = "\n[preprocessor.runbook]\non-failure = \"continue\"\n";

/// A book in `<scratch>/root`: book.toml (`BOOK_TOML`, then `extra`) and
/// each chapter `(name, text)` in `src/`, listed in SUMMARY.md in order.
/// The scratch directory around the root is where nothing may be written.
fn book(name: &str, extra: &str, chapters: &[(&str, &[u8])]) -> PathBuf {
    let root = scratch(name).join("root");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("book.toml"), format!("{BOOK_TOML}{extra}")).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (file, text) in chapters {
        summary.push_str(&format!("- [{file}](./{file})\n"));
        std::fs::write(root.join("src").join(file), text).unwrap();
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    root
}

/// An entry with `body` as its diagnostic part.
fn entry(title: &str, body: &str) -> String {
    format!("# A\n\n## S\n\n### ❌ {title}\n\n**Cause :** c\n\n**Diagnostic :**\n\n{body}\n")
}

/// `line:column` of the first `needle` in `text`, in characters.
fn line_column(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    format!(
        "{}:{}",
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1
    )
}

/// The 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

// ---- text that is not UTF-8 ----

#[test]
fn invalid_utf8_is_an_error_naming_file_line_and_column() {
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "src/a.md",
            b"# A\n\n## S\n\nbad \xff byte\n",
            "src/a.md:5:5: invalid UTF-8 (byte 0xFF); save the file as UTF-8",
        ),
        (
            "src/SUMMARY.md",
            b"# Summary\n\n- [A\xc3](./a.md)\n",
            "src/SUMMARY.md:3:5: invalid UTF-8 (byte 0xC3)",
        ),
        (
            "src/cmd.sh",
            b"aws ecs list-tasks\necho \xe9t\xe9\n",
            "src/cmd.sh:2:6: invalid UTF-8 (byte 0xE9)",
        ),
    ];
    for (file, bytes, message) in cases {
        let root = book(
            "utf8",
            "",
            &[("a.md", b"# A\n\n```bash\n{{#include cmd.sh}}\n```\n")],
        );
        std::fs::write(root.join("src/cmd.sh"), "aws ecs list-tasks\n").unwrap();
        std::fs::write(root.join(file), bytes).unwrap();
        assert_tool_error(&check(&root), message);
        assert_tool_error(&build(&root), message);
        assert!(!root.join("site").exists());
    }

    // A failed build keeps the site of the last good one.
    let root = book("utf8-previous", "", &[("a.md", b"# A\n\nGood text.\n")]);
    assert_eq!(build(&root).code, 0);
    std::fs::write(root.join("src/a.md"), b"# A\n\nBad \xff text.\n").unwrap();
    assert_tool_error(&build(&root), "src/a.md:3:5: invalid UTF-8 (byte 0xFF)");
    let page = std::fs::read_to_string(root.join("site/en/a.html")).unwrap();
    assert!(page.contains("Good text."));
}

/// mdBook leaves an `{{#include}}` it cannot read in the page, and says so
/// only in its log: the build succeeded with the directive as text.
#[test]
fn include_of_a_missing_file_names_the_directive() {
    for (directive, message) in [
        (
            "{{#include nope.sh}}",
            "src/a.md:4:1: `{{#include nope.sh}}`: src/nope.sh is not a file that can be read",
        ),
        (
            "{{#include ../src}}",
            "src/a.md:4:1: `{{#include ../src}}`: src is not a file that can be read",
        ),
    ] {
        let text = format!("# A\n\n```bash\n{directive}\n```\n");
        let root = book("missing-include", "", &[("a.md", text.as_bytes())]);
        assert_tool_error(&check(&root), message);
        assert_tool_error(&build(&root), message);
        assert!(!root.join("site").exists());
    }
}

// ---- BOM and CRLF ----

/// A chapter with findings on its first line, in a continued shell command
/// and in a JSON block.
const PLANTED: &str = "# A [x](#nowhere)\n\n## S\n\n### ❌ \"boom\"\n\n**Cause :** c\n\n\
                       **Diagnostic :**\n\n```bash\naws ecs list-tasks \\\n  --cluster c \\\n  \
                       --desired-status STOPED\n```\n\n```json\n{\"a\": 1,\n \"b\": tru}\n```\n";

#[test]
fn bom_and_crlf_simply_work_with_the_same_lines_and_columns() {
    let variants = [
        ("lf", PLANTED.to_string()),
        ("crlf", PLANTED.replace('\n', "\r\n")),
        ("bom", format!("\u{feff}{PLANTED}")),
        (
            "bom-crlf",
            format!("\u{feff}{}", PLANTED.replace('\n', "\r\n")),
        ),
    ];
    let expected: Vec<(String, String)> = [
        ("broken-link", "1:9"),
        ("aws-invalid-enum", "14:20"),
        ("json-syntax", "19:7"),
    ]
    .iter()
    .map(|(rule, at)| (rule.to_string(), format!("src/a.md:{at}")))
    .collect();
    assert_eq!(line_column(PLANTED, "STOPED"), "14:20");
    let mut built = Vec::new();
    for (name, text) in &variants {
        let root = book(
            &format!("bom-{name}"),
            CONTINUE,
            &[("a.md", text.as_bytes())],
        );
        let (code, findings) = check_json(&root);
        assert_eq!(code, 1, "{name}");
        assert_eq!(findings, expected, "{name}");
        let ran = check(&root);
        assert!(
            ran.stdout.contains(" --> src/a.md:14:20\n"),
            "{name}: {}",
            ran.stdout
        );
        assert!(
            ran.stdout.contains("14 |   --desired-status STOPED\n"),
            "{name}: {}",
            ran.stdout
        );
        let ran = build(&root);
        assert_eq!(ran.code, 0, "{name}: {}", ran.stderr);
        let page = std::fs::read_to_string(root.join("site/en/a.html")).unwrap();
        assert!(page.contains("<h3 id=\"s-boom\""), "{name}: {page}");
        let faq = std::fs::read(root.join("site/en/faq.json")).unwrap();
        let checks: Vec<(PathBuf, Vec<u8>)> = tree(&root.join("site/checks")).into_iter().collect();
        built.push((name, faq, checks));
    }
    // The same index and the same scripts, byte for byte.
    for (name, faq, checks) in &built[1..] {
        assert!(
            faq == &built[0].1,
            "{name}: {}",
            String::from_utf8_lossy(faq)
        );
        assert!(checks == &built[0].2, "{name}: the check scripts differ");
    }
    let faq = String::from_utf8_lossy(&built[0].1);
    assert!(
        faq.contains("aws ecs list-tasks --cluster c --desired-status STOPED"),
        "{faq}"
    );
    assert!(!faq.contains("\\r"), "{faq}");
}

// ---- unclosed fences ----

#[test]
fn unclosed_fence_is_reported_where_it_opens() {
    let text = entry(
        "\"boom\"",
        "```bash\naws ecs list-tasks --desired-status STOPED\n\n### ❌ \"swallowed\"\n\n**Cause :** c",
    );
    let fence = line_column(&text, "```bash");
    let root = book("unclosed-fence", "", &[("a.md", text.as_bytes())]);
    let (code, findings) = check_json(&root);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [
            ("unclosed-fence".to_string(), format!("src/a.md:{fence}")),
            (
                "aws-invalid-enum".to_string(),
                format!("src/a.md:{}", line_column(&text, "STOPED"))
            ),
        ]
    );
    let ran = check(&root);
    assert!(
        ran.stdout.contains(
            "warning[unclosed-fence]: this code block is never closed: it runs to the end of the chapter"
        ),
        "{}",
        ran.stdout
    );
    assert_eq!(build(&root).code, 1);

    // A fence that only a longer or other fence would close, and one
    // closed by the end of its list item.
    for text in [
        "# A\n\n````text\n{}\n```\n",
        "# A\n\n~~~\ntext\n```\n",
        "# A\n\n- item\n\n  ```bash\n  echo x\n\nAfter.\n",
    ] {
        let root = book("unclosed-other", "", &[("a.md", text.as_bytes())]);
        let (code, findings) = check_json(&root);
        assert_eq!(code, 0, "{text}");
        assert_eq!(findings.len(), 1, "{text}: {findings:?}");
        assert_eq!(findings[0].0, "unclosed-fence", "{text}");
        assert_eq!(build(&root).code, 0);
    }
    // Closed fences, in every form, are not reported.
    let closed = "# A\n\n```bash\necho x\n```\n\n````\n```\n````\n\n~~~json\n{}\n~~~~\n\n- x\n\n  ```\n  y\n  ```\n\n> ```\n> q\n> ```\n\n```\n```";
    let root = book("closed-fences", "", &[("a.md", closed.as_bytes())]);
    assert_eq!(check_json(&root), (0, vec![]));
}

// ---- huge lines ----

#[test]
fn five_megabyte_lines_are_reported_not_choked_on() {
    let big = "x".repeat(5_000_000);
    let bash = entry(
        "\"long shell line\"",
        &format!("```bash\necho {big}\naws ecs list-tasks --desired-status STOPED\n```"),
    );
    let json = entry(
        "\"long json line\"",
        &format!("```json\n{{\"a\": \"{big}\", \"b\": tru}}\n```"),
    );
    let query = entry(
        "\"long query\"",
        &format!(
            "```bash\naws ecs list-tasks --cluster c --query '{}b'\n```",
            "a.".repeat(2_500_000)
        ),
    );
    let root = book(
        "long-lines",
        "",
        &[
            ("bash.md", bash.as_bytes()),
            ("json.md", json.as_bytes()),
            ("query.md", query.as_bytes()),
        ],
    );
    let started = Instant::now();
    let (code, findings) = check_json(&root);
    eprintln!("check of three 5 MB lines: {:?}", started.elapsed());
    assert_eq!(code, 1);
    let at =
        |file: &str, text: &str, needle: &str| format!("src/{file}:{}", line_column(text, needle));
    assert_eq!(
        findings,
        [
            ("shell-syntax".to_string(), at("bash.md", &bash, "echo")),
            (
                "aws-invalid-enum".to_string(),
                at("bash.md", &bash, "STOPED")
            ),
            ("json-syntax".to_string(), at("json.md", &json, "tru}")),
            (
                "shell-syntax".to_string(),
                at("query.md", &query, "aws ecs")
            ),
        ]
    );
    let ran = check(&root);
    assert!(
        ran.stdout.contains(
            "this command is 5000006 bytes long; commands over 1048576 bytes are too long to check"
        ),
        "{}",
        &ran.stdout[..2000.min(ran.stdout.len())]
    );
    // The report cuts the line: it stays small.
    assert!(ran.stdout.len() < 20_000, "{} bytes", ran.stdout.len());
    let started = Instant::now();
    assert_eq!(build(&root).code, 1);
    eprintln!("build of three 5 MB lines: {:?}", started.elapsed());
}

// ---- deep and wide nesting ----

#[test]
fn json_nested_100000_deep_or_with_200000_keys() {
    let n = 100_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let objects = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let deep = entry(
        "\"deep\"",
        &format!(
            "```json\n{arrays}\n```\n\n```json\n{objects}\n```\n\n```bash\naws ecs register-task-definition --cli-input-json '{objects}'\n```"
        ),
    );
    let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let wide = entry(
        "\"wide\"",
        &format!(
            "```json\n{{{}}}\n```\n\n```json\n{{{}, \"b\": tru}}\n```",
            keys.join(", "),
            keys.join(", ")
        ),
    );
    let root = book(
        "deep-json",
        "",
        &[("deep.md", deep.as_bytes()), ("wide.md", wide.as_bytes())],
    );
    let (code, findings) = check_json(&root);
    assert_eq!(code, 1);
    // Refused at the first value 129 levels down: the 130th `[`, the value
    // of the 129th `{"a":` (objects counted two levels each, and were
    // refused at the 65th, before the fix). The argument is read as the CLI
    // reads it (serde_json, 128 levels).
    let argument = deep.find("'{").unwrap() + 1;
    let argument_column = argument - deep[..argument].rfind('\n').unwrap();
    assert_eq!(
        findings,
        [
            (
                "json-syntax".to_string(),
                format!("src/deep.md:{}:130", line_of(&deep, "[["))
            ),
            (
                "json-syntax".to_string(),
                format!("src/deep.md:{}:646", line_of(&deep, "{\"a\""))
            ),
            (
                "aws-invalid-json-arg".to_string(),
                format!(
                    "src/deep.md:{}:{}",
                    line_of(&deep, "aws ecs"),
                    argument_column + 127 * 5
                )
            ),
            (
                "json-syntax".to_string(),
                format!("src/wide.md:{}", line_column(&wide, "tru}"))
            ),
        ]
    );
    let ran = check(&root);
    assert_eq!(
        ran.stdout
            .matches("invalid JSON: nested deeper than 128 levels")
            .count(),
        2,
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains(&format!(
        " --> src/wide.md:{}\n",
        line_column(&wide, "tru}")
    )));
    assert_eq!(build(&root).code, 1);
}

#[test]
fn command_substitution_nested_5000_deep() {
    let n = 5_000;
    let text = entry(
        "\"deep\"",
        &format!(
            "```bash\necho {}echo x{}\n```\n\n```bash\necho {}\n```\n\n```bash\naws ecs list-tasks --desired-status STOPED\n```",
            "$(".repeat(n),
            ")".repeat(n),
            "$(".repeat(n)
        ),
    );
    let root = book("deep-substitution", "", &[("a.md", text.as_bytes())]);
    let (code, findings) = check_json(&root);
    assert_eq!(code, 1);
    let rules: Vec<&str> = findings.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        ["shell-syntax", "shell-syntax", "aws-invalid-enum"],
        "{findings:?}"
    );
    let ran = check(&root);
    assert!(
        ran.stdout
            .contains("nested 65 levels deep (more than 64); too deep to check"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains(&format!(" --> src/a.md:{}\n", line_column(&text, "STOPED")))
    );
    assert_eq!(build(&root).code, 1);
}

#[test]
fn shorthand_nested_10000_deep() {
    let n = 10_000;
    let text = entry(
        "\"deep\"",
        &format!(
            "```bash\naws ecs run-task --cluster c --task-definition t --overrides '{}b=1{}'\n\
             aws ecs update-service --cluster c --service s --network-configuration 'awsvpcConfiguration={{subnets=[{}{}]}}'\n\
             aws ecs list-tasks --desired-status STOPED\n```",
            "a={".repeat(n),
            "}".repeat(n),
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    let root = book("deep-shorthand", "", &[("a.md", text.as_bytes())]);
    let (code, findings) = check_json(&root);
    assert_eq!(code, 1);
    let rules: Vec<&str> = findings.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        [
            "aws-invalid-shorthand",
            "aws-invalid-shorthand",
            "aws-invalid-enum"
        ],
        "{findings:?}"
    );
    let ran = check(&root);
    for option in ["--overrides", "--network-configuration"] {
        assert!(
            ran.stdout.contains(&format!(
                "invalid shorthand in `{option}`: nested too deeply"
            )),
            "{}",
            ran.stdout
        );
    }
    assert_eq!(build(&root).code, 1);
}

// ---- empty, missing and stray chapters ----

#[test]
fn empty_chapters_build() {
    let root = book(
        "empty",
        "",
        &[
            ("empty.md", b""),
            ("blank.md", b"\n\n   \n\t\n"),
            ("bom.md", b"\xef\xbb\xbf"),
        ],
    );
    assert_eq!(check_json(&root), (0, vec![]));
    let ran = build(&root);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    for page in ["empty", "blank", "bom"] {
        assert!(root.join(format!("site/en/{page}.html")).is_file());
    }
    let faq: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("site/en/faq.json")).unwrap())
            .unwrap();
    assert_eq!(faq["entries"], serde_json::json!([]));
}

/// Regression: `create-missing = true` was ignored by `build`. `build`
/// creates the missing chapter as mdBook does; `check` never writes.
#[test]
fn regression_build_honours_create_missing() {
    let root = book("create-missing", "", &[("a.md", b"# A\n")]);
    std::fs::write(
        root.join("book.toml"),
        format!("{BOOK_TOML}create-missing = true\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](./a.md)\n- [B](./more/b.md)\n",
    )
    .unwrap();
    let ran = check(&root);
    assert_tool_error(
        &ran,
        "src/SUMMARY.md:4: chapter src/more/b.md does not exist; `build` creates it",
    );
    assert!(!root.join("src/more").exists(), "check never writes");
    let ran = build_writing(&root, &["src/more/b.md"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("creating the missing chapter"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("src/more/b.md")).unwrap(),
        "# B\n"
    );
    assert!(root.join("site/en/more/b.html").is_file());

    // With create-missing = false, a missing chapter fails the build.
    let root = book("create-missing-off", "", &[("a.md", b"# A\n")]);
    std::fs::write(
        root.join("book.toml"),
        format!("{BOOK_TOML}create-missing = false\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](./a.md)\n- [B](./b.md)\n",
    )
    .unwrap();
    let message = "src/SUMMARY.md:4: chapter src/b.md does not exist\n";
    assert_tool_error(&check(&root), message);
    assert_tool_error(&build(&root), message);
    assert!(!root.join("src/b.md").exists());
    assert!(!root.join("site").exists());
}

/// A markdown file SUMMARY.md does not list is not part of the book: its
/// findings are not reported and it gets no page (as with mdBook).
#[test]
fn chapter_missing_from_summary_is_ignored() {
    let root = book("unlisted", "", &[("a.md", b"# A\n")]);
    std::fs::write(
        root.join("src/orphan.md"),
        entry(
            "\"orphan\"",
            "[x](#nowhere)\n\n```bash\naws ecs list-tasks --desired-status STOPED\n```",
        ),
    )
    .unwrap();
    assert_eq!(check_json(&root), (0, vec![]));
    let ran = build(&root);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(!root.join("site/en/orphan.html").exists());
    let faq = std::fs::read_to_string(root.join("site/en/faq.json")).unwrap();
    assert!(!faq.contains("orphan"), "{faq}");
}

// ---- configuration and translations ----

#[test]
fn bad_runbook_configuration_names_book_toml_and_the_line() {
    let cases = [
        (
            "[preprocessor.runbook]\non-failure = \"bail\"\nfrobnicate = 1\n",
            "root/book.toml:11: invalid [preprocessor.runbook]: unknown field `frobnicate`",
        ),
        (
            "[preprocessor.runbook.rules]\naws-invalid-enum = \"warning\"\nnope-rule = \"error\"\n",
            "root/book.toml:11: invalid [preprocessor.runbook.rules]: unknown rule `nope-rule`",
        ),
        (
            "[preprocessor.runbook]\n\non-failure = \"explode\"\n",
            "root/book.toml:11: invalid [preprocessor.runbook]: on-failure = \"explode\": expected \"bail\" or \"continue\"",
        ),
        (
            "[preprocessor.runbook]\nadd-ids = \"yes\"\n",
            "root/book.toml:10: invalid [preprocessor.runbook]: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "[preprocessor.runbook]\naws-cli = 3\n",
            "root/book.toml:10: invalid [preprocessor.runbook]: aws-cli = 3: expected 1 or 2",
        ),
    ];
    for (section, message) in cases {
        let root = book("config", &format!("\n{section}"), &[("a.md", b"# A\n")]);
        let ran = check(&root);
        assert_tool_error(&ran, message);
        assert_eq!(ran.stderr.matches("book.toml").count(), 1, "{}", ran.stderr);
        assert_tool_error(&build(&root), message);
        assert!(!root.join("site").exists());
    }
    // book.toml that is not UTF-8.
    let root = book("config-utf8", "", &[("a.md", b"# A\n")]);
    std::fs::write(root.join("book.toml"), b"[book]\ntitle = \"T\xe9\"\n").unwrap();
    let message = "root/book.toml:2:11: invalid UTF-8 (byte 0xE9)";
    assert_tool_error(&check(&root), message);
    assert_tool_error(&build(&root), message);
}

#[test]
fn broken_po_file_names_the_file_and_line() {
    let french = BOOK_TOML.replace("\"en\"", "\"fr\"");
    let cases: [(&[u8], &str); 3] = [
        (
            b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"A\"\nmsgstr \"B\n",
            "po/en.po:6: missing closing quote",
        ),
        (
            b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"A\"\nmsgstr \xff\"B\"\n",
            "po/en.po:6:8: invalid UTF-8 (byte 0xFF)",
        ),
        (b"garbage line\n", "po/en.po:1: unexpected text \"garbage line\""),
    ];
    for (po, message) in cases {
        let root = book("broken-po", "", &[("a.md", b"# A\n\nTexte.\n")]);
        std::fs::write(root.join("book.toml"), &french).unwrap();
        std::fs::create_dir(root.join("po")).unwrap();
        std::fs::write(root.join("po/en.po"), po).unwrap();
        assert_tool_error(&check(&root), message);
        assert_tool_error(&build(&root), message);
        assert!(!root.join("site").exists());
        assert_tool_error(
            &finish(bin().args(["i18n", "status"]).arg(&root), None),
            message,
        );
    }
}

// ---- headings that look like paths or HTML ----

#[test]
fn headings_that_look_like_paths_stay_inside_the_site() {
    let mut text = String::from("# A\n\n## ../../etc\n\n");
    for title in [
        "../../etc/passwd",
        "/tmp/x",
        "..",
        "~/.ssh/id_rsa",
        "a/../../../b",
        "C:\\Windows\\x",
    ] {
        text.push_str(&format!(
            "### ❌ {title}\n\n**Cause :** c\n\n**Diagnostic :**\n\n```bash\naws ecs list-tasks --cluster c\n```\n\n"
        ));
    }
    let faq_page = b"# FAQ\n\n{{#runbook-faq}}\n\n{{#runbook-commands}}\n";
    let root = book(
        "path-headings",
        "",
        &[("a.md", text.as_bytes()), ("faq.md", faq_page)],
    );
    assert_eq!(check_json(&root), (0, vec![]));
    let ran = build(&root);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let mut scripts: Vec<String> = std::fs::read_dir(root.join("site/checks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    scripts.sort();
    assert_eq!(
        scripts,
        [
            "etc-a-b.sh",
            "etc-c-windows-x.sh",
            "etc-entry-3.sh",
            "etc-etc-passwd.sh",
            "etc-ssh-id_rsa.sh",
            "etc-tmp-x.sh",
            "manifest.json",
            "run-all.sh"
        ]
    );
    let faq = std::fs::read_to_string(root.join("site/en/faq.json")).unwrap();
    let faq: serde_json::Value = serde_json::from_str(&faq).unwrap();
    for entry in faq["entries"].as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        assert!(
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b)),
            "{id}"
        );
        assert_eq!(entry["url"], format!("a.html#{id}"));
    }
    assert!(common::broken_links(&root.join("site")).is_empty());

    // Explicit ids that are paths: refused as ids, and their scripts are
    // named from the id's words, inside the site.
    let text = "# A\n\n## S {#../../sec}\n\n### ❌ E {#../../../escape}\n\n**Cause :** c\n\n\
                **Diagnostic :**\n\n```bash\naws ecs list-tasks --cluster c\n```\n\n\
                ### ❌ F {#/tmp/abs}\n\n**Cause :** c\n\n**Diagnostic :**\n\n\
                ```bash\naws ecs list-tasks --cluster c\n```\n";
    let root = book("path-ids", CONTINUE, &[("a.md", text.as_bytes())]);
    let (code, findings) = check_json(&root);
    assert_eq!(code, 1);
    let invalid = |line: u32| ("invalid-id".to_string(), format!("src/a.md:{line}:1"));
    assert_eq!(findings, [invalid(3), invalid(5), invalid(15)]);
    let ran = build(&root);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let mut scripts: Vec<String> = std::fs::read_dir(root.join("site/checks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    scripts.sort();
    assert_eq!(
        scripts,
        ["escape.sh", "manifest.json", "run-all.sh", "tmp-abs.sh"]
    );
}

/// Every HTML page under `dir`, with its text.
fn html_pages(dir: &Path) -> Vec<(PathBuf, String)> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, c)| (p, String::from_utf8(c).unwrap()))
        .collect()
}

#[test]
fn headings_with_script_end_tags_do_not_break_out_of_pages() {
    // `</script>` as text: in inline code, as entities, escaped.
    let text = "# A\n\n## S `</script>`\n\n### ❌ \"`</script><script>alert(1)</script>`\"\n\n\
                **Cause :** `</script><script>alert(2)</script>` &lt;/script&gt;\n\n**Diagnostic :**\n\n\
                ```bash\naws ecs list-tasks --cluster c\n```\n\n\
                ### ❌ &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt; \\</script\\>\n\n\
                **Cause :** c\n\n**Diagnostic :**\n\n```bash\n# </script>\naws ecs list-tasks --cluster c\n```\n";
    let faq_page = b"# FAQ\n\n{{#runbook-faq}}\n\n{{#runbook-commands}}\n";
    for language in ["en", "fr"] {
        let root = book(
            &format!("script-headings-{language}"),
            "",
            &[("a.md", text.as_bytes()), ("faq.md", faq_page)],
        );
        let toml = BOOK_TOML.replace("\"en\"", &format!("\"{language}\""));
        std::fs::write(root.join("book.toml"), toml).unwrap();
        assert_eq!(check_json(&root), (0, vec![]));
        let ran = build(&root);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        let site = root.join("site").join(language);
        for (page, html) in html_pages(&site) {
            assert!(!html.contains("<script>alert("), "{page:?}");
            assert_eq!(
                html.matches("<script").count(),
                html.matches("</script>").count(),
                "{page:?}: a `</script>` that closes nothing"
            );
            // The JSON-LD of the FAQ page holds the titles without a `<`.
            if let Some(start) = html.find("application/ld+json\">") {
                let ld = &html[start..];
                let ld = &ld[..ld.find("</script>").unwrap()];
                assert!(
                    ld.contains("alert(1)") && !ld[1..].contains('<'),
                    "{page:?}: {ld}"
                );
            }
        }
        let page = std::fs::read_to_string(site.join("a.html")).unwrap();
        assert!(
            page.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
            "{page}"
        );
        let faq = std::fs::read_to_string(site.join("faq.json")).unwrap();
        assert!(!faq.contains("</script>"), "{faq}");
        let faq: serde_json::Value = serde_json::from_str(&faq).unwrap();
        assert_eq!(
            faq["entries"][0]["title"],
            "</script><script>alert(1)</script>"
        );
        // mdBook's search puts the stored breadcrumbs into its results as
        // HTML: the headings there are escaped (the body it escapes itself).
        let (_, index) = common::search_index(&site);
        let docs = index["index"]["documentStore"]["docs"].as_object().unwrap();
        let shown: Vec<&str> = docs
            .values()
            .flat_map(|doc| [&doc["breadcrumbs"], &doc["title"]])
            .map(|text| text.as_str().unwrap())
            .collect();
        assert!(shown.iter().all(|text| !text.contains('<')), "{shown:?}");
        assert!(
            shown
                .iter()
                .any(|text| text.contains("&lt;/script&gt;&lt;script&gt;alert(3)")),
            "{shown:?}"
        );
    }
}

// ---- chapters outside the book ----

/// Regression: a chapter that is a symlink to a file outside the book was
/// published; `allow-outside-root = true` lets it in.
#[test]
fn regression_chapter_symlinked_outside_the_root_is_refused() {
    let root = book("outside-symlink", "", &[("a.md", b"# A\n")]);
    let outer = root.parent().unwrap();
    std::fs::write(outer.join("outside.md"), "# Out\n\nTOP-SECRET\n").unwrap();
    std::fs::remove_file(root.join("src/a.md")).unwrap();
    std::os::unix::fs::symlink("../../outside.md", root.join("src/a.md")).unwrap();
    for ran in [check(&root), build(&root)] {
        assert_tool_error(&ran, "src/SUMMARY.md:3: chapter `./a.md` resolves to");
        assert!(
            ran.stderr.contains("outside.md, outside the book root"),
            "{}",
            ran.stderr
        );
        assert!(
            ran.stderr.contains("allow-outside-root = true"),
            "{}",
            ran.stderr
        );
        assert!(!ran.stdout.contains("TOP-SECRET"));
    }
    assert!(!root.join("site").exists());

    std::fs::write(
        root.join("book.toml"),
        format!("{BOOK_TOML}\n[preprocessor.runbook]\nallow-outside-root = true\n"),
    )
    .unwrap();
    assert_eq!(check_json(&root), (0, vec![]));
    let ran = build(&root);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let page = std::fs::read_to_string(root.join("site/en/a.html")).unwrap();
    assert!(page.contains("TOP-SECRET"));
}

// ---- the preprocessor's stdin ----

/// The preprocessor with `input` on stdin.
fn preprocess(input: Vec<u8>) -> Ran {
    finish(&mut bin(), Some(input))
}

#[test]
fn garbage_and_empty_preprocessor_input_is_a_clear_error() {
    let random: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let cases: [(Vec<u8>, &str); 6] = [
        (Vec::new(), "mdBook's JSON on stdin is empty"),
        (b"  \n".to_vec(), "mdBook's JSON on stdin is empty"),
        (b"garbage\n".to_vec(), "expected value at line 1 column 1"),
        (random, "at line 1 column"),
        (b"[1, 2, 3]".to_vec(), "invalid type: integer `1`"),
        (b"[{}, {\"items\": []}".to_vec(), "at line 1 column"),
    ];
    for (input, detail) in cases {
        for ran in [
            preprocess(input.clone()),
            finish(bin().arg("render"), Some(input.clone())),
        ] {
            assert_eq!(ran.code, 2, "{}", ran.stderr);
            assert!(ran.stderr.contains(detail), "{detail:?} in {}", ran.stderr);
            assert!(ran.stderr.contains("stdin"), "{}", ran.stderr);
            assert!(ran.stdout.is_empty(), "{}", ran.stdout);
        }
    }
    let ran = finish(bin().args(["supports", "html"]), None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

/// The preprocessor read any amount of stdin (161 MB ran 56 s at 7.9 GB)
/// while `check` refused chapters over 16 MiB: the same limits now apply,
/// to the renderer's stdin too (it read any amount).
#[test]
fn regression_preprocessor_input_is_bounded() {
    let huge = vec![b' '; 64 * 1024 * 1024 + 1];
    let message = "mdBook's JSON on stdin is larger than the 67108864-byte limit for a book";
    assert_tool_error(&preprocess(huge.clone()), message);
    assert_tool_error(&finish(bin().arg("render"), Some(huge)), message);

    use mdbook_preprocessor::PreprocessorContext;
    use mdbook_preprocessor::book::{Book, BookItem, Chapter};
    let ctx = PreprocessorContext::new(
        scratch("big-chapter"),
        mdbook_preprocessor::config::Config::default(),
        "html".to_string(),
    );
    let chapter = Chapter::new("Big", "x".repeat(16 * 1024 * 1024 + 1), "big.md", vec![]);
    let book = Book::new_with_items(vec![BookItem::Chapter(chapter)]);
    let ran = preprocess(serde_json::to_vec(&(&ctx, &book)).unwrap());
    assert_tool_error(
        &ran,
        "big.md: 16777217 bytes is larger than the 16777216-byte limit for a chapter",
    );
}
