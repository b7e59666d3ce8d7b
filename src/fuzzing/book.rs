//! The whole `check` on a one-chapter book, and the fixed runbook the
//! `lookup` target's FAQ index is made from.

use crate::diagnostic::{Diagnostic, Summary};
use crate::report::{self, Format};
use std::path::Path;

/// `check` (`pipeline::check`, mdBook's preprocessors included) on a book
/// in `root` whose one chapter is the input, then every renderer. The book
/// files are rewritten in place, so one directory serves every iteration.
///
/// Invariants: the check never fails on a chapter (findings are data);
/// every finding's span lies on character boundaries of its chapter, at the
/// line and column it names; the JSON and SARIF reports parse, with one
/// item per finding and the right summary; every message is one line (a
/// message that quotes a word an unclosed quote stretched over many lines
/// quotes its first line); the human report carries no control character
/// a terminal would act on.
pub fn check_book_in(root: &Path, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = root.join("book");
    if !src.join("SUMMARY.md").exists() {
        std::fs::create_dir_all(&src).expect("creating the book directory");
        std::fs::write(root.join("book.toml"), BOOK_TOML).expect("writing book.toml");
        std::fs::write(src.join("SUMMARY.md"), SUMMARY).expect("writing SUMMARY.md");
    }
    std::fs::write(src.join("chapter.md"), text).expect("writing the chapter");
    let analysed = match crate::pipeline::check(root) {
        Ok(analysed) => analysed,
        Err(error) => panic!("check failed on a one-chapter book: {error:#}"),
    };
    let diagnostics = &analysed.diagnostics;
    for d in diagnostics {
        finding_in_chapter(&analysed.guide, d);
        assert!(
            !d.message.contains(['\n', '\r']),
            "a message on many lines: {d:?}"
        );
    }
    let guide = &analysed.guide;
    let human = report::render(Format::Human, diagnostics, guide, Path::new(""), false);
    let github = report::render(Format::Github, diagnostics, guide, Path::new("docs"), false);
    assert!(github.lines().all(|l| l.starts_with("::")));
    for (name, report) in [("human", &human), ("GitHub", &github)] {
        if let Some(c) = report
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            panic!("control character {c:?} in the {name} report: {report:?}");
        }
    }
    for d in diagnostics {
        assert!(
            human.contains(d.rule.id()),
            "{} missing from {human}",
            d.rule
        );
    }
    let json: serde_json::Value = serde_json::from_str(&report::render(
        Format::Json,
        diagnostics,
        guide,
        Path::new(""),
        false,
    ))
    .expect("the JSON report parses");
    let items = json["diagnostics"].as_array().expect("a diagnostics array");
    assert_eq!(items.len(), diagnostics.len());
    let summary = Summary::of(diagnostics);
    assert_eq!(json["summary"]["errors"], summary.errors);
    assert_eq!(json["summary"]["warnings"], summary.warnings);
    assert_eq!(json["summary"]["infos"], summary.infos);
    let sarif: serde_json::Value = serde_json::from_str(&report::render(
        Format::Sarif,
        diagnostics,
        guide,
        Path::new("docs"),
        false,
    ))
    .expect("the SARIF report parses");
    let results = sarif["runs"][0]["results"].as_array().map(Vec::len);
    assert_eq!(results, Some(diagnostics.len()));
    serde_json::to_string(&analysed.index).expect("the FAQ index serializes");
}

/// A finding's span lies on character boundaries of its chapter, and its
/// line and column are those of the span's start (the chapter is its only
/// file when nothing is included).
fn finding_in_chapter(guide: &crate::model::Guide, d: &Diagnostic) {
    let chapter = guide
        .chapters
        .iter()
        .find(|c| c.path == d.chapter)
        .expect("a finding's chapter is in the guide");
    super::span_in(chapter, d.span, "finding");
    assert!((d.line, d.column) <= (d.end_line, d.end_column) || d.file != d.chapter);
    if chapter.origins.is_identity() {
        let start = chapter.location(d.span.start);
        assert_eq!((d.line, d.column), (start.line, start.column), "{d:?}");
    }
}

const BOOK_TOML: &str =
    "[book]\ntitle = \"Fuzz\"\nsrc = \"book\"\nlanguage = \"en\"\n\n[preprocessor.runbook]\n";

const SUMMARY: &str = "# Summary\n\n- [Chapter](./chapter.md)\n";

/// A small runbook in the guide's shape, for the `lookup` target.
pub(super) const FAQ_CHAPTER: &str = r#"# Runbook

## 🐳 ECR - Push/Pull {#ecr}

### ❌ "no basic auth credentials" {#ecr-no-basic-auth-credentials}

**Cause :** Token Docker expiré ou pas de login.

**Solution :**

```bash
aws ecr get-login-password --region eu-west-3 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-3.amazonaws.com
```

### ❌ "CannotPullContainerError: pull image manifest has been retried" {#ecr-cannot-pull}

**Causes possibles :**

- Pas de route vers ECR (NAT Gateway ou VPC endpoints manquants)
- Rôle d'exécution sans `ecr:GetAuthorizationToken`

**Diagnostic :**

```bash
aws ecs describe-tasks --cluster my-cluster --tasks abc123 --query 'tasks[0].stoppedReason'
```

## 🚀 ECS - Tasks {#ecs-tasks}

### ❌ Task reste en PENDING {#ecs-task-pending}

**Vérifications :**

```bash
aws ecs describe-services --cluster my-cluster --services ma-app-service --query 'services[0].events[:5]'
```

### ❌ "ResourceInitializationError: unable to pull secrets or registry auth" {#ecs-secrets}

**Cause :** The execution role cannot read the secret (`secretsmanager:GetSecretValue`).

| Cause | Diagnostic | Solution |
|-------|------------|----------|
| KMS key policy | `aws kms describe-key --key-id alias/x` | Grant `kms:Decrypt` |

### ❌ "An error occurred (AccessDeniedException) when calling the PutLogEvents operation: log group does not exist" {#logs-missing-group}

**Solution :** Create the log group `/ecs/my-app` or set `awslogs-create-group`.
"#;
