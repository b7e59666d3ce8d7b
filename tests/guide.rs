//! The parser on the repository's guide, and the guide's provenance: the
//! committed chapter is the original, repaired by `fix-encoding`, with only
//! explicit heading ids added.

mod common;

use common::{bin, repo, run};
use mdbook_runbook::model::{EntryKind, Role, SectionKind};
use mdbook_runbook::{encoding, parse_chapter};

/// The guide exactly as it was received (mis-encoded), kept in the repository
/// so the provenance test runs from any clone.
const ORIGINAL: &str = "tests/fixtures/original/troubleshooting-ecs-fargate-ecr.md";

fn original_path() -> std::path::PathBuf {
    repo().join(ORIGINAL)
}

fn chapter_text() -> String {
    std::fs::read_to_string(repo().join("book/troubleshooting.md")).unwrap()
}

/// Removes ` {#id}` from heading lines, and nothing else.
fn strip_heading_ids(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if line.starts_with('#')
                && let Some(start) = line.rfind(" {#")
            {
                let rest = &line[start..];
                if rest.trim_end().ends_with('}') {
                    return format!("{}{}", &line[..start], &rest[rest.trim_end().len()..]);
                }
            }
            line.to_string()
        })
        .collect()
}

#[test]
fn repaired_original_equals_the_chapter_up_to_heading_ids() {
    let original = std::fs::read_to_string(original_path())
        .expect("the original guide is in tests/fixtures/original");
    let repaired = encoding::repair(&original);
    assert!(repaired.changed(), "the original is mojibake");
    let chapter = chapter_text();
    assert_ne!(
        strip_heading_ids(&chapter),
        chapter,
        "the chapter pins its ids"
    );
    assert_eq!(repaired.text, strip_heading_ids(&chapter));
    // The ids are exactly the ones the preprocessor would add.
    let pinned = mdbook_runbook::anchors::pin_ids(&parse_chapter(
        "book/troubleshooting.md",
        repaired.text.into_owned(),
    ));
    assert_eq!(pinned, chapter);
}

/// The committed original is the guide exactly as received: mis-encoded.
#[test]
fn committed_original_is_the_mis_encoded_original() {
    let original = std::fs::read_to_string(original_path()).unwrap();
    assert!(
        original.contains("üîß"),
        "the committed copy is the mis-encoded original"
    );
}

#[test]
fn fix_encoding_check_flags_the_original_only() {
    let (code, _, stderr) = run(bin()
        .arg("fix-encoding")
        .arg("--check")
        .arg(original_path()));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Mac Roman"), "{stderr}");
    let mut book_files = bin();
    book_files.arg("fix-encoding").arg("--check");
    for entry in std::fs::read_dir(repo().join("book")).unwrap() {
        book_files.arg(entry.unwrap().path());
    }
    let (code, stdout, stderr) = run(&mut book_files);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
}

#[test]
fn fix_encoding_prints_and_rewrites() {
    let dir = common::scratch("fix-encoding");
    let file = dir.join("guide.md");
    std::fs::copy(original_path(), &file).unwrap();
    let (code, stdout, _) = run(bin().arg("fix-encoding").arg(&file));
    assert_eq!(code, 0);
    assert_eq!(stdout, strip_heading_ids(&chapter_text()));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(original_path()).unwrap(),
        "stdout mode leaves the file alone"
    );
    let (code, _, _) = run(bin().arg("fix-encoding").arg("--in-place").arg(&file));
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let (code, _, _) = run(bin().arg("fix-encoding").arg("--check").arg(&file));
    assert_eq!(code, 0, "a repaired file needs no repair");
}

#[test]
fn guide_structure() {
    let chapter = parse_chapter("book/troubleshooting.md", chapter_text());
    assert_eq!(
        chapter.title.as_deref(),
        Some("Troubleshooting - ECS / Fargate / ECR")
    );
    let with_entries: Vec<&str> = chapter
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Entries)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        with_entries,
        [
            "ecr-push-pull",
            "task-definition",
            "tasks-ne-démarre-pas",
            "tasks-crash-restart",
            "services-unhealthy",
            "networking",
            "load-balancer",
            "logs",
            "performance",
            "coûts"
        ]
    );
    let kinds: Vec<SectionKind> = chapter.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds.first(), Some(&SectionKind::Contents));
    assert_eq!(kinds.last(), Some(&SectionKind::Links));
    assert_eq!(chapter.sections.len(), 12);

    let entries: Vec<_> = chapter.entries().map(|(_, e)| e).collect();
    assert_eq!(entries.len(), 27);
    let per_section: Vec<usize> = chapter.sections.iter().map(|s| s.entries.len()).collect();
    assert_eq!(per_section, [0, 5, 3, 3, 4, 2, 3, 2, 2, 2, 1, 0]);

    let bash = chapter.snippets.iter().filter(|s| s.lang == "bash").count();
    let json = chapter.snippets.iter().filter(|s| s.lang == "json").count();
    assert_eq!((bash, json, chapter.snippets.len()), (25, 2, 27));
    // Every snippet of the guide belongs to an entry.
    let in_entries: usize = entries
        .iter()
        .map(|e| chapter.entry_snippets(e).count())
        .sum();
    assert_eq!(in_entries, 27);

    let messages = entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::ErrorMessage { .. }))
        .count();
    assert_eq!(messages, 12);
    assert_eq!(entries[0].title, "no basic auth credentials");
    assert_eq!(entries[0].id, "ecr-no-basic-auth-credentials");
    assert_eq!(
        entries[3].kind,
        EntryKind::ErrorMessage {
            message: "tag already exists".into()
        }
    );
    assert_eq!(entries[4].kind, EntryKind::Symptom);
}

#[test]
fn guide_roles() {
    use Role::*;
    let expected: [&[Role]; 27] = [
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Diagnostic],
        &[Cause, Diagnostic, Solution],
        &[Cause, Solution],
        &[Diagnostic],
        &[Cause, Solution],
        &[Cause, Solution],
        &[Cause, Diagnostic],
        &[Diagnostic, Cause],
        &[Cause, Solution],
        &[Solution, Solution],
        &[Diagnostic],
        &[Solution],
        &[Diagnostic, Diagnostic],
        &[Cause],
        &[Diagnostic],
        &[Cause, Solution],
        &[Diagnostic, Solution],
        &[Solution],
        &[Diagnostic, Solution],
    ];
    let chapter = parse_chapter("book/troubleshooting.md", chapter_text());
    for ((_, entry), roles) in chapter.entries().zip(expected) {
        assert_eq!(entry.roles(), roles, "{}", entry.title);
        assert!(entry.parts.iter().all(|p| p.label_known), "{}", entry.title);
    }
    let (_, first) = chapter.entries().next().unwrap();
    assert_eq!(first.parts[0].text, ["Token Docker expiré ou pas de login"]);
    let (_, slow_push) = chapter.entries().nth(4).unwrap();
    assert_eq!(
        slow_push.parts[0].items,
        [
            "Image trop grosse",
            "Connexion lente",
            "Pas de VPC Endpoint"
        ]
    );
    // Cause tables are parsed into rows.
    let (_, pull) = chapter.entries().nth(9).unwrap();
    let table = chapter.part_tables(&pull.parts[0]).next().unwrap();
    assert_eq!(table.column(&["Message"]), Some(0));
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[0][0].text, "\"pull access denied\"");
    let cpu_table = chapter
        .tables
        .iter()
        .find(|t| t.column(&["CPU"]).is_some())
        .unwrap();
    assert_eq!(cpu_table.rows.len(), 5);
}

/// The (line, column) where `needle` first appears in `text`, computed
/// without the parser.
fn find_line_col(text: &str, needle: &str) -> (usize, usize) {
    for (index, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (index + 1, line[..byte].chars().count() + 1);
        }
    }
    panic!("{needle} not found");
}

#[test]
fn lines_inside_multi_line_commands_map_to_the_file() {
    let text = chapter_text();
    let chapter = parse_chapter("book/troubleshooting.md", text.clone());
    let cases = [
        "docker login --username AWS --password-stdin",
        "123456789012.dkr.ecr.eu-west-3.amazonaws.com",
        "--image-tag-mutability MUTABLE",
        "\"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"}",
        "--query 'tasks[0].{StopCode:stopCode",
        "awsvpcConfiguration={subnets=[subnet-xxx]",
        "--start-time $(date -u -d '1 hour ago'",
        "\"ScaleInCooldown\": 300",
        "\"startPeriod\": 60",
        "--tasks $(aws ecs list-tasks --cluster my-cluster",
    ];
    for needle in cases {
        let snippet = chapter
            .snippets
            .iter()
            .find(|s| s.code.contains(needle))
            .expect(needle);
        let offset = snippet.code.find(needle).unwrap();
        let location = chapter.location(snippet.source_offset(offset));
        assert_eq!(
            (location.line, location.column),
            find_line_col(&text, needle),
            "{needle}"
        );
    }
}

#[test]
fn every_aws_call_of_the_guide_is_valid_for_cli_v2() {
    use mdbook_runbook::aws::{self, custom::CliVersion};
    use mdbook_runbook::diagnostic::Severity;
    let chapter = parse_chapter("book/troubleshooting.md", chapter_text());
    let mut top_level = 0;
    let mut nested = 0;
    let mut with_foreign_text = 0;
    for snippet in chapter.snippets.iter().filter(|s| s.lang == "bash") {
        let analysis = mdbook_runbook::shell::analyze(&snippet.code);
        assert!(analysis.syntax_errors.is_empty(), "{}", snippet.code);
        with_foreign_text += usize::from(!analysis.foreign.is_empty());
        for command in analysis
            .commands
            .iter()
            .filter(|c| c.program() == Some("aws"))
        {
            if command.nested {
                nested += 1;
            } else {
                top_level += 1;
            }
            let checked =
                aws::command::check(&command.words, aws::customizations(), CliVersion::V2);
            let errors: Vec<_> = checked
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{:?}: {errors:?}",
                command.words.iter().map(|w| &w.value).collect::<Vec<_>>()
            );
            assert!(checked.call.is_some());
        }
    }
    assert_eq!(
        (top_level, nested),
        (33, 1),
        "33 aws calls, plus one inside `$(…)`"
    );
    // The blocks holding JSON or Dockerfile text: the IAM policy, the
    // Dockerfile line, the memory fragment, the health check, the logs
    // policy and configuration, and the auto-create fragment.
    assert_eq!(with_foreign_text, 6);
}

/// The guide's JSON: its two `json` blocks are recognised as a task
/// definition and a service's network configuration, its health check is
/// recognised and in range, its policies are valid, and there is no JSON
/// error; `#` comments and `...` give `json-not-strict`.
#[test]
fn guide_json_is_recognised_and_valid() {
    use mdbook_runbook::aws::{iam, infer, model::Model};
    use mdbook_runbook::json;
    let chapter = parse_chapter("book/troubleshooting.md", chapter_text());
    let services: Vec<String> = [
        "ecs",
        "ecr",
        "ec2",
        "iam",
        "logs",
        "application-autoscaling",
        "elbv2",
        "cloudwatch",
        "sts",
        "service-quotas",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut texts: Vec<(String, String)> = chapter
        .snippets
        .iter()
        .filter(|s| s.lang == "json")
        .map(|s| ("json".to_string(), s.code.clone()))
        .collect();
    for snippet in chapter.snippets.iter().filter(|s| s.lang == "bash") {
        for foreign in mdbook_runbook::shell::segment::find(&snippet.code) {
            if foreign.kind == mdbook_runbook::shell::ForeignKind::Json {
                texts.push((
                    "bash".to_string(),
                    snippet.code[foreign.start..foreign.end].to_string(),
                ));
            }
        }
    }
    let mut recognised = Vec::new();
    let mut policies = 0;
    for (origin, text) in &texts {
        let root = match json::parse_strict(text) {
            Ok(root) => root,
            Err(_) => {
                json::parse_doc(text)
                    .expect("the guide's JSON parses as doc-style JSON")
                    .root
            }
        };
        if iam::looks_like_policy(&root) {
            assert_eq!(iam::check(&root), [], "{text}");
            policies += 1;
            continue;
        }
        if let Some(found) = infer::infer(&root, &services, Model::get()) {
            recognised.push((
                origin.clone(),
                found.service.cli.clone(),
                found.shape.to_string(),
            ));
        }
    }
    assert_eq!(policies, 2, "the ECR push policy and the logs policy");
    let json_blocks: Vec<&str> = recognised
        .iter()
        .filter(|(o, ..)| o == "json")
        .map(|(_, _, shape)| shape.as_str())
        .collect();
    assert_eq!(json_blocks.len(), 2);
    assert_eq!(json_blocks[0], "RegisterTaskDefinitionRequest");
    let network = Model::get()
        .service("ecs")
        .unwrap()
        .shape(json_blocks[1])
        .unwrap();
    assert!(
        network.m.contains_key("networkConfiguration"),
        "{}",
        json_blocks[1]
    );
    assert!(
        recognised
            .iter()
            .any(|(o, s, shape)| o == "bash" && s == "ecs" && shape == "ContainerDefinition"),
        "the health check: {recognised:?}"
    );

    // Through the real command: no JSON error, the expected warnings.
    let (code, stdout, _) = common::run(
        common::bin()
            .arg("check")
            .arg(repo())
            .args(["--format", "json"]),
    );
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules
            .iter()
            .any(|r| r.starts_with("json-") && *r != "json-not-strict"
                || r.starts_with("iam-")
                || *r == "aws-limit")
    );
    assert_eq!(rules.iter().filter(|r| **r == "json-not-strict").count(), 4);
    let table = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "fargate-table-outdated")
        .expect("the Fargate table is flagged");
    assert!(
        table["message"]
            .as_str()
            .unwrap()
            .contains("8192 and 16384"),
        "{table}"
    );
}
