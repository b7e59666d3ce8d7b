//! Checks of whole command lines, including sweeps over every
//! customization of a kind and every enum-typed option of the model.

use super::*;
use crate::aws::custom::CommandKind;

/// The error-level findings for one command line, as `(rule, message)`.
fn errors(line: &str, version: CliVersion) -> Vec<(&'static str, String)> {
    let analysis = crate::shell::analyze(line);
    let command = analysis
        .commands
        .iter()
        .find(|c| c.program() == Some("aws"))
        .unwrap_or_else(|| panic!("no aws command in {line}"));
    check(&command.words, crate::aws::customizations(), version)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.rule.id(), f.message))
        .collect()
}

#[test]
fn ecs_execute_command_takes_the_model_operation_options() {
    let line = r#"aws ecs execute-command --cluster prod --task abc123 --container app --interactive --command "/bin/sh""#;
    for version in [CliVersion::V1, CliVersion::V2] {
        assert_eq!(errors(line, version), [], "{}", version.name());
    }
    let typo = errors(
        "aws ecs execute-command --task t --interactive --command ls --containr app",
        CliVersion::V2,
    );
    assert_eq!(typo.len(), 1, "{typo:?}");
    assert_eq!(typo[0].0, "aws-unknown-option");
    let missing = errors("aws ecs execute-command --cluster c", CliVersion::V2);
    assert!(
        missing
            .iter()
            .any(|(rule, message)| *rule == "aws-missing-required" && message.contains("--task")),
        "{missing:?}"
    );
}

/// Every customization of kind `model-operation` is a model operation, and
/// every flag of that operation is accepted as such.
#[test]
fn every_model_operation_customization_accepts_its_model_options() {
    let custom = crate::aws::customizations();
    let model = Model::get();
    let entries: Vec<&CommandSpec> = custom
        .commands
        .iter()
        .filter(|c| c.kind == CommandKind::ModelOperation)
        .collect();
    assert!(!entries.is_empty());
    for spec in entries {
        let service = model
            .service(&spec.service)
            .unwrap_or_else(|| panic!("{} is not in the model", spec.service));
        let operation = service
            .operation(&spec.name)
            .unwrap_or_else(|| panic!("{} {} is not in the model", spec.service, spec.name));
        for flag in operation.args.keys() {
            let line = format!("aws {} {} {flag}", spec.service, spec.name);
            let unknown: Vec<_> = errors(&line, CliVersion::V2)
                .into_iter()
                .filter(|(_, message)| message.contains("is not an option"))
                .collect();
            assert_eq!(unknown, [], "{line}");
        }
    }
}

#[test]
fn commands_whose_options_are_not_recorded_accept_any_argument() {
    let custom = crate::aws::customizations();
    let unrecorded: Vec<&CommandSpec> = custom
        .commands
        .iter()
        .filter(|c| c.kind == CommandKind::OptionsUnrecorded)
        .collect();
    assert!(!unrecorded.is_empty());
    for spec in unrecorded {
        let line = format!(
            "aws {} {} some-table --projection-expression x --yes",
            spec.service, spec.name
        );
        let line = line.replace("  ", " ");
        assert_eq!(errors(&line, CliVersion::V2), [], "{line}");
    }
}

#[test]
fn streaming_blob_takes_a_file_path_in_v2() {
    let line = "aws s3api put-object --bucket amzn-s3-demo-bucket --key k --body ./file.txt";
    assert_eq!(errors(line, CliVersion::V2), []);
    // A blob that is not streamed is still read as base64 by v2.
    let payload = errors(
        r#"aws lambda invoke --function-name f --payload '{"a": 1}' out.json"#,
        CliVersion::V2,
    );
    assert_eq!(payload.len(), 1, "{payload:?}");
}

/// Every allowed value of every enum-typed option passes, and a typo that
/// looks like a variable (`<VALUE>_X`) is reported, not taken for a
/// placeholder: for every value of an enum, or 32 spread over it for the
/// few enums with hundreds of values (instance types), which keeps the test
/// fast in a debug build.
#[test]
fn every_enum_value_passes_and_variable_looking_typos_fail() {
    let model = Model::get();
    let mut checked = 0;
    for name in model.service_names() {
        let service = model.service(name).unwrap();
        let mut seen = std::collections::HashSet::new();
        for (_, operation) in service.operations() {
            let Some(input) = operation.input.as_deref().and_then(|i| service.shape(i)) else {
                continue;
            };
            for member in operation.args.values() {
                let Some(mut shape_name) = input.m.get(member).map(String::as_str) else {
                    continue;
                };
                if let Some(list) = service.shape(shape_name).filter(|s| s.t == ShapeType::List) {
                    shape_name = list.e.as_deref().unwrap_or_default();
                }
                let Some(shape) = service.shape(shape_name) else {
                    continue;
                };
                let Some(values) = &shape.enumeration else {
                    continue;
                };
                if !seen.insert(shape_name) {
                    continue;
                }
                let step = (values.len() / 32).max(1);
                for (i, value) in values.iter().enumerate() {
                    assert_eq!(
                        validate::check_scalar(value, shape),
                        Ok(()),
                        "{name} {shape_name}: `{value}`"
                    );
                    if i % step != 0 {
                        continue;
                    }
                    let typo = format!("{}_X", value.to_uppercase());
                    if value.chars().count() < 2
                        || values.iter().any(|v| v.eq_ignore_ascii_case(&typo))
                    {
                        continue;
                    }
                    assert!(
                        !validate::is_placeholder_for(&typo, shape),
                        "{name} {shape_name}: `{typo}` taken for a placeholder"
                    );
                    assert!(
                        matches!(
                            validate::check_scalar(&typo, shape),
                            Err((validate::IssueKind::Enum, ..))
                        ),
                        "{name} {shape_name}: `{typo}` passes"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

/// Rules of a command's error-level findings.
fn rules(line: &str, version: CliVersion) -> Vec<&'static str> {
    errors(line, version)
        .into_iter()
        .map(|(rule, _)| rule)
        .collect()
}

#[test]
fn v2_only_bare_command_is_an_error_for_v1() {
    assert_eq!(
        rules("aws logout --all", CliVersion::V1),
        ["aws-cli-version"]
    );
    assert_eq!(
        rules("aws logout --all", CliVersion::V2),
        Vec::<&str>::new()
    );
}

#[test]
fn option_with_two_values_takes_both() {
    let line = "aws s3 mb s3://amzn-s3-demo-bucket --tags Key1 Value1";
    assert_eq!(rules(line, CliVersion::V2), Vec::<&str>::new());
    assert_eq!(
        rules(
            "aws s3 mb s3://amzn-s3-demo-bucket --tags Key1",
            CliVersion::V2
        ),
        ["aws-invalid-type"]
    );
}

#[test]
fn page_size_needs_a_paginator_limit_key() {
    // emr list-clusters is paginated, with no limit key.
    assert_eq!(
        rules("aws emr list-clusters --page-size 5", CliVersion::V2),
        ["aws-unknown-option"]
    );
    assert_eq!(
        rules("aws emr list-clusters --max-items 5", CliVersion::V2),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules("aws ecs list-clusters --page-size 5", CliVersion::V2),
        Vec::<&str>::new()
    );
}

#[test]
fn paginator_own_parameter_turns_pagination_off() {
    for line in [
        "aws cognito-identity list-identity-pools --max-results 1 --max-items 5",
        "aws ecs list-clusters --max-results 10 --starting-token abc",
        "aws ecs list-clusters --no-paginate --max-items 5",
        // The limit member is itself called PageSize: --page-size is then the member.
        "aws elb describe-account-limits --page-size 5 --max-items 5",
    ] {
        assert_eq!(
            rules(line, CliVersion::V2),
            ["aws-unknown-option"],
            "{line}"
        );
    }
    for line in [
        "aws cognito-identity list-identity-pools --max-results 1",
        "aws ecs list-clusters --max-items 5 --page-size 10",
        "aws elb describe-account-limits --page-size 5",
    ] {
        assert_eq!(rules(line, CliVersion::V2), Vec::<&str>::new(), "{line}");
    }
}

#[test]
fn page_size_is_held_to_the_limit_member_bounds() {
    // docdb-elastic list-cluster-snapshots: maxResults is 20 to 100.
    assert_eq!(
        rules(
            "aws docdb-elastic list-cluster-snapshots --page-size 5",
            CliVersion::V2
        ),
        ["aws-value-out-of-range"]
    );
    assert_eq!(
        rules(
            "aws docdb-elastic list-cluster-snapshots --page-size 20",
            CliVersion::V2
        ),
        Vec::<&str>::new()
    );
}

#[test]
fn lifted_requirement_needs_the_member_or_its_alternative() {
    let base =
        "aws lambda create-function --function-name f --role arn:aws:iam::111122223333:role/r";
    let missing = errors(base, CliVersion::V2);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].1.contains("`--code` (or one of `--zip-file`)"),
        "{missing:?}"
    );
    assert_eq!(
        rules(&format!("{base} --zip-file fileb://f.zip"), CliVersion::V2),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules(
            &format!("{base} --code S3Bucket=amzn-s3-demo-bucket,S3Key=k"),
            CliVersion::V2
        ),
        Vec::<&str>::new()
    );
    // ec2 run-instances: MinCount/MaxCount come from --count, which defaults to 1.
    assert_eq!(
        rules("aws ec2 run-instances --image-id ami-1", CliVersion::V2),
        Vec::<&str>::new()
    );
}

#[test]
fn v1_only_names_fail_for_v2() {
    for line in [
        "aws lambda publish-version --function-name f --code-sha-256 abc",
        "aws runtime.sagemaker invoke-endpoint --endpoint-name e --body aGVsbG8= out.bin",
        "aws mturk list-hi-ts-for-qualification-type --qualification-type-id 1",
        "aws sdb list-domains",
    ] {
        assert_eq!(rules(line, CliVersion::V2), ["aws-cli-version"], "{line}");
        assert_eq!(rules(line, CliVersion::V1), Vec::<&str>::new(), "{line}");
    }
}

/// Found on the AWS ECS developer guide: the CLI reads global options
/// between the service and the operation too.
#[test]
fn global_options_between_the_service_and_the_operation() {
    for line in [
        "aws servicediscovery --region us-west-2 get-namespace --id ns-1",
        "aws ecs --region=eu-west-3 --output json list-clusters",
        "aws ecs --no-cli-pager describe-services --cluster c --services s",
    ] {
        assert_eq!(errors(line, CliVersion::V2), [], "{line}");
    }
    // Their values are still checked, and an operation must still follow.
    let bad_output = errors("aws ecs --output jsn list-clusters", CliVersion::V2);
    assert_eq!(bad_output.len(), 1, "{bad_output:?}");
    let no_operation = errors("aws ecs --region eu-west-3", CliVersion::V2);
    assert!(
        no_operation
            .iter()
            .any(|(rule, _)| *rule == "aws-unknown-operation"),
        "{no_operation:?}"
    );
    // A service option there is still not an operation.
    let misplaced = errors("aws ecs --cluster c list-services", CliVersion::V2);
    assert!(!misplaced.is_empty());
}
