//! Unit tests of the script builder: steps, classes, parameters, quoting.

use super::render::{display_text, exec_text};
use super::*;
use crate::parse::parse_book;
use std::path::PathBuf;

fn scripts_of(markdown: &str) -> ScriptSet {
    let guide = parse_book([(PathBuf::from("book/guide.md"), markdown.to_string())]);
    let analysis = Analysis::of(&guide, CliVersion::V2);
    build(&guide, &analysis, Path::new("book"))
}

const ENTRY: &str = "## 📦 ECS\n\n### ❌ Tâche coûteuse élevée\n\n**Diagnostic :**\n\n```bash\n# Voir les events\naws ecs describe-services --cluster my-cluster \\\n  --services ma-app-service --region eu-west-3\n\naws ecs describe-tasks --cluster my-cluster --tasks $(aws ecs list-tasks --cluster my-cluster --query 'taskArns[0]' --output text)\n```\n\n**Solution :**\n\n```bash\naws ecs update-service --cluster my-cluster --service ma-app-service --force-new-deployment\naws ecs execute-command --cluster my-cluster --task abc --interactive --command /bin/sh\naws logs tail /ecs/ma-app --since 1h\n```\n";

#[test]
fn one_script_per_entry_with_steps_in_order() {
    let set = scripts_of(ENTRY);
    assert_eq!(set.scripts.len(), 1);
    let script = &set.scripts[0];
    assert_eq!(script.file_name, "ecs-tache-couteuse-elevee.sh");
    assert_eq!(script.url, "guide.html#ecs-tâche-coûteuse-élevée");
    let classes: Vec<StepClass> = script.steps.iter().map(|s| s.class).collect();
    assert_eq!(
        classes,
        [
            StepClass::ReadOnly,
            StepClass::ReadOnly,
            StepClass::Mutating,
            StepClass::Interactive,
            StepClass::ReadOnly
        ]
    );
    assert_eq!(script.steps[0].title.as_deref(), Some("Voir les events"));
    assert_eq!(script.steps[0].line, 9);
    assert!(script.steps[4].needs_cli_v2, "logs tail is v2 only");
    assert!(!script.steps[0].needs_cli_v2);
}

#[test]
fn placeholders_become_quoted_parameters() {
    let set = scripts_of(ENTRY);
    let step = &set.scripts[0].steps[0];
    assert_eq!(
        exec_text(&step.segments),
        "aws ecs describe-services --cluster \"${CLUSTER}\" \\\n  --services \"${SERVICE}\" --region \"${AWS_REGION}\""
    );
    assert_eq!(
        display_text(&step.segments),
        "aws ecs describe-services --cluster ${CLUSTER@Q} \\\\\n  --services ${SERVICE@Q} --region ${AWS_REGION@Q}"
    );
    let names: Vec<&str> = step.parameters.iter().map(String::as_str).collect();
    assert_eq!(names, ["AWS_REGION", "CLUSTER", "SERVICE"]);
    // The nested command is substituted too, and the literal query kept.
    let nested = exec_text(&set.scripts[0].steps[1].segments);
    assert!(
        nested.contains(
            "$(aws ecs list-tasks --cluster \"${CLUSTER}\" --query 'taskArns[0]' --output text)"
        ),
        "{nested}"
    );
    assert!(set.scripts[0].steps[1].splits_words);
}

#[test]
fn variables_the_guide_reads_become_parameters_unless_assigned() {
    let set = scripts_of(
        "## S\n\n### ❌ E\n\n**Diagnostic :**\n\n```bash\nTASK=$(aws ecs list-tasks --cluster my-cluster --query 'taskArns[0]' --output text)\naws ecs describe-tasks --cluster my-cluster --tasks $TASK\ndocker pull $ECR_URI:latest\n```\n",
    );
    let steps = &set.scripts[0].steps;
    assert!(!steps[1].parameters.contains("TASK"), "assigned above");
    assert!(exec_text(&steps[1].segments).ends_with("--tasks \"${TASK}\""));
    assert!(steps[2].parameters.contains("ECR_URI"));
    assert_eq!(
        exec_text(&steps[2].segments),
        "docker pull \"$ECR_URI:latest\""
    );
}

#[test]
fn file_names_are_ascii() {
    assert_eq!(
        ascii_file_stem("coûts-facture-fargate-élevée"),
        "couts-facture-fargate-elevee"
    );
    assert_eq!(ascii_file_stem("🔥"), "entry");
    assert_eq!(ascii_file_stem("a/b c"), "a-b-c");
}
