//! The check scripts, for real: exported from the guide and from a second
//! runbook, checked by shellcheck, run against a moto server (the AWS API
//! emulator) on 127.0.0.1 with the real AWS CLI, and fed hostile
//! parameters. Nothing here reaches beyond loopback: the endpoint is moto's,
//! and curl goes through a proxy address on a closed loopback port.

mod common;

use common::moto::{Moto, aws_env, free_port};
use common::{bin, repo, run, scratch};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Exports the scripts of the book at `book` into a fresh directory.
fn export(book: &Path, name: &str) -> PathBuf {
    let out = scratch(name).join("checks");
    let (code, _, stderr) = run(bin().arg("export-scripts").arg(book).arg("--out").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    out
}

fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    scripts
}

fn shellcheck(dir: &Path) {
    let scripts = scripts_in(dir);
    assert!(!scripts.is_empty());
    let output = Command::new("shellcheck")
        .args(["-S", "style", "-s", "bash"])
        .args(&scripts)
        .output()
        .expect("shellcheck runs (tests/run.sh installs it)");
    assert!(
        output.status.success(),
        "shellcheck -S style:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn scripts_of_the_guide_pass_shellcheck() {
    shellcheck(&export(&repo(), "scripts-shellcheck-guide"));
}

#[test]
fn scripts_of_the_postgres_runbook_pass_shellcheck() {
    let dir = export(
        &repo().join("tests/fixtures/postgres-runbook"),
        "scripts-shellcheck-postgres",
    );
    assert!(scripts_in(&dir).len() > 2, "scripts for the second runbook");
    shellcheck(&dir);
}

#[test]
fn manifest_matches_its_schema_and_the_scripts() {
    let dir = export(&repo(), "scripts-manifest");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let python = std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\njsonschema.Draft202012Validator.check_schema(schema)\njsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))";
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(repo().join("src/scripts/manifest.schema.json"))
        .arg(dir.join("manifest.json"))
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files: Vec<&str> = manifest["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let mut files = files;
    files.sort();
    let on_disk: Vec<String> = scripts_in(&dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "run-all.sh")
        .collect();
    assert_eq!(files, on_disk);
    // faq.json names the same scripts.
    let (_, faq, _) = run(bin()
        .args(["lookup", "--format", "json", "--book"])
        .arg(repo())
        .arg("CannotPullContainerError"));
    assert!(faq.contains("matches"), "{faq}");
}

/// Values of every parameter the guide's scripts take, pointing at what
/// [`seed`] created.
fn seed(moto: &Moto) -> BTreeMap<&'static str, String> {
    let vpc = moto.aws(&[
        "ec2",
        "create-vpc",
        "--cidr-block",
        "10.0.0.0/16",
        "--query",
        "Vpc.VpcId",
        "--output",
        "text",
    ]);
    let subnet = moto.aws(&[
        "ec2",
        "create-subnet",
        "--vpc-id",
        &vpc,
        "--cidr-block",
        "10.0.1.0/24",
        "--query",
        "Subnet.SubnetId",
        "--output",
        "text",
    ]);
    let group = moto.aws(&[
        "ec2",
        "create-security-group",
        "--group-name",
        "app",
        "--description",
        "app",
        "--vpc-id",
        &vpc,
        "--query",
        "GroupId",
        "--output",
        "text",
    ]);
    common::moto::cluster_with_task_definition(moto, "runbook", "app");
    let target_group = moto.aws(&[
        "elbv2",
        "create-target-group",
        "--name",
        "app-tg",
        "--protocol",
        "HTTP",
        "--port",
        "80",
        "--vpc-id",
        &vpc,
        "--query",
        "TargetGroups[0].TargetGroupArn",
        "--output",
        "text",
    ]);
    moto.aws(&[
        "ecs",
        "create-service",
        "--cluster",
        "runbook",
        "--service-name",
        "app-service",
        "--task-definition",
        "app",
        "--desired-count",
        "1",
    ]);
    let task = common::moto::run_task(moto, "runbook", "app");
    moto.aws(&["ecr", "create-repository", "--repository-name", "app"]);
    moto.aws(&["logs", "create-log-group", "--log-group-name", "/ecs/app"]);
    moto.aws(&["iam", "create-role", "--role-name", "ecsTaskExecutionRole", "--assume-role-policy-document", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#]);
    BTreeMap::from([
        ("AWS_REGION", "eu-west-3".to_string()),
        ("CLUSTER", "runbook".to_string()),
        ("SERVICE", "app-service".to_string()),
        ("REPOSITORY_NAME", "app".to_string()),
        (
            "ECR_URI",
            "123456789012.dkr.ecr.eu-west-3.amazonaws.com/app".to_string(),
        ),
        ("VPC_ID", vpc),
        ("SUBNET_ID", subnet),
        ("GROUP_ID", group.clone()),
        ("SOURCE_GROUP", group),
        ("TASK", task),
        ("TARGET_GROUP_ARN", target_group),
    ])
}

/// A command running `script` with the venv's aws CLI pointed at `endpoint`
/// and curl sent to a closed loopback proxy.
fn script_command(script: &Path, endpoint: &str) -> Command {
    let proxy = format!("http://127.0.0.1:{}", free_port());
    let mut command = aws_env(Command::new("bash"), endpoint);
    command
        .arg(script)
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .env("https_proxy", &proxy)
        .env("ALL_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1");
    command
}

/// What the test machine cannot provide, by the start of a step's command
/// as the script prints it. Every other failure fails the test.
const DOCUMENTED_SKIPS: &[(&str, &str)] = &[
    ("docker ", "no Docker engine runs on the test machine"),
    (
        "curl ",
        "no application to probe: curl goes to a closed loopback proxy",
    ),
    (
        "aws service-quotas ",
        "moto does not emulate Service Quotas in eu-west-3",
    ),
];

/// The steps a script's output reports as failed, with the command shown.
fn failed_steps(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut failed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("FAILED (exit") {
            // The command is the first line after the step's `[n/m]` header.
            let header = (0..i)
                .rev()
                .find(|&j| lines[j].starts_with('['))
                .unwrap_or(0);
            failed.push(lines.get(header + 1).unwrap_or(&"").trim().to_string());
        }
    }
    failed
}

#[test]
fn every_read_only_script_runs_against_the_emulator() {
    let moto = Moto::start();
    let values = seed(&moto);
    let dir = export(&repo(), "scripts-moto");
    let mut ran = 0;
    for script in scripts_in(&dir)
        .iter()
        .filter(|p| !p.ends_with("run-all.sh"))
    {
        let mut command = script_command(script, &moto.endpoint());
        for (name, value) in &values {
            command.env(name, value);
        }
        let (code, stdout, stderr) = run(&mut command);
        let name = script.file_name().unwrap().to_string_lossy();
        assert!(
            code == 0 || code == 1,
            "{name}: exit {code}\n{stdout}{stderr}"
        );
        for failed in failed_steps(&stdout) {
            assert!(
                DOCUMENTED_SKIPS
                    .iter()
                    .any(|(prefix, _)| failed.starts_with(prefix)),
                "{name}: `{failed}` failed against the emulator:\n{stdout}{stderr}"
            );
        }
        if code == 1 {
            assert!(
                !failed_steps(&stdout).is_empty(),
                "{name}: exit 1 names its step\n{stdout}"
            );
        }
        ran += stdout.matches("ok (exit 0)").count();
    }
    println!("{ran} steps ran against the emulator");
    assert!(ran >= 12, "{ran} steps ran against the emulator");

    // run-all.sh: one row per script, and the summary line.
    let mut command = script_command(&dir.join("run-all.sh"), &moto.endpoint());
    for (name, value) in &values {
        command.env(name, value);
    }
    let (_, stdout, stderr) = run(&mut command);
    let table_start = stdout
        .find("\nSCRIPT ")
        .unwrap_or_else(|| panic!("{stdout}{stderr}"));
    let table = &stdout[table_start..];
    for script in scripts_in(&dir)
        .iter()
        .filter(|p| !p.ends_with("run-all.sh"))
    {
        let name = script.file_name().unwrap().to_string_lossy().into_owned();
        assert!(table.contains(&name), "{name} in\n{table}");
    }
    assert!(
        table.contains(&format!("{} scripts, ", scripts_in(&dir).len() - 1)),
        "{table}"
    );
}

#[test]
fn mutating_steps_change_the_emulator_only_with_apply() {
    let moto = Moto::start();
    let dir = export(&repo(), "scripts-apply");
    // The entry whose solution creates the missing repository.
    let script = dir.join("ecr-repository-does-not-exist.sh");
    let repositories = || {
        moto.aws(&[
            "ecr",
            "describe-repositories",
            "--query",
            "repositories[].repositoryName",
            "--output",
            "text",
        ])
    };
    assert_eq!(repositories(), "");
    for apply in [false, true] {
        let mut command = script_command(&script, &moto.endpoint());
        command.env("REPOSITORY_NAME", "created-by-apply");
        if apply {
            command.arg("--apply");
        }
        let (code, stdout, stderr) = run(&mut command);
        assert_eq!(code, 0, "{stdout}{stderr}");
        if apply {
            assert_eq!(repositories(), "created-by-apply", "{stdout}");
        } else {
            assert!(stdout.contains("skipped (run with --apply"), "{stdout}");
            assert_eq!(repositories(), "", "nothing changed without --apply");
        }
    }
}

/// A value for every parameter of the guide's scripts, for runs whose
/// calls do not matter.
const DRY_VALUES: [(&str, &str); 11] = [
    ("AWS_REGION", "eu-west-3"),
    ("CLUSTER", "c"),
    ("SERVICE", "s"),
    ("REPOSITORY_NAME", "r"),
    ("ECR_URI", "u"),
    ("VPC_ID", "vpc-1"),
    ("SUBNET_ID", "subnet-1"),
    ("GROUP_ID", "sg-1"),
    ("SOURCE_GROUP", "sg-2"),
    ("TASK", "t"),
    ("TARGET_GROUP_ARN", "arn:x"),
];

#[test]
fn a_dry_run_makes_no_call() {
    // The endpoint is a closed port: any call would fail.
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let dir = export(&repo(), "scripts-dry-run");
    for script in scripts_in(&dir) {
        let mut command = script_command(&script, &endpoint);
        command.arg("--dry-run");
        if !script.ends_with("run-all.sh") {
            command.arg("--apply");
        }
        for (name, value) in DRY_VALUES {
            command.env(name, value);
        }
        let (code, stdout, stderr) = run(&mut command);
        let name = script.file_name().unwrap().to_string_lossy();
        assert_eq!(code, 0, "{name}\n{stdout}{stderr}");
        assert!(!stdout.contains("FAILED"), "{name}\n{stdout}");
    }
}

#[test]
fn a_missing_parameter_stops_the_script_before_any_call() {
    let dir = export(&repo(), "scripts-missing");
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let mut command = script_command(&dir.join("tasks-task-reste-en-pending.sh"), &endpoint);
    command.env_remove("CLUSTER").env_remove("SERVICE");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("missing parameter CLUSTER"), "{stderr}");
    assert!(
        !stdout.contains("ok (exit") && !stdout.contains("FAILED"),
        "{stdout}"
    );
    // --help lists the parameters and exits 0.
    let (code, stdout, _) =
        run(script_command(&dir.join("tasks-task-reste-en-pending.sh"), &endpoint).arg("--help"));
    assert_eq!(code, 0);
    assert!(stdout.contains("--cluster VALUE  (env CLUSTER"), "{stdout}");
}

#[test]
fn hostile_parameters_execute_nothing() {
    let moto = Moto::start();
    let dir = export(&repo(), "scripts-hostile");
    let marker = scratch("scripts-hostile-marker").join("pwned");
    let m = marker.display();
    let hostile = [
        format!("$(touch {m})"),
        format!("\"; touch {m}; #"),
        format!("`touch {m}`"),
        format!("x\ntouch {m}"),
        format!("'; touch {m}; '"),
    ];
    let script = dir.join("ecr-repository-does-not-exist.sh");
    for value in &hostile {
        for mode in ["--dry-run", "--apply"] {
            let mut command = script_command(&script, &moto.endpoint());
            command.arg(mode).arg("--repository-name").arg(value);
            let (code, stdout, stderr) = run(&mut command);
            assert!(code == 0 || code == 1, "{value:?} {mode}: {stdout}{stderr}");
            assert!(
                !marker.exists(),
                "{value:?} {mode} executed:\n{stdout}{stderr}"
            );
        }
    }
    // A leading dash would be read as an option by the command: refused.
    for args in [
        ["--repository-name", "--debug"],
        ["--repository-name=-x", "--dry-run"],
    ] {
        let (code, _, stderr) = run(script_command(&script, &moto.endpoint()).args(args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("cannot start with '-'"), "{stderr}");
    }
    let mut command = script_command(&script, &moto.endpoint());
    command.env("REPOSITORY_NAME", "-x");
    assert_eq!(run(&mut command).0, 2, "from the environment too");
}

#[test]
fn commands_only_in_cli_v2_are_skipped_on_v1() {
    // The test venv's CLI is v1: `aws logs tail` (v2 only) is skipped with a
    // message, unless it is interactive (`--follow`), which never runs.
    let moto = Moto::start();
    let dir = export(&repo(), "scripts-v1");
    let mut skipped = 0;
    for script in scripts_in(&dir)
        .iter()
        .filter(|p| !p.ends_with("run-all.sh"))
    {
        let mut command = script_command(script, &moto.endpoint());
        for (name, value) in DRY_VALUES {
            command.env(name, value);
        }
        let (_, stdout, _) = run(&mut command);
        let lines: Vec<&str> = stdout.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let next = lines.get(i + 1).copied().unwrap_or("");
            if line.starts_with('[') && next.trim_start().starts_with("aws logs tail") {
                if line.contains("interactive") {
                    continue;
                }
                assert!(
                    line.contains("skipped (needs AWS CLI v2; found v1)"),
                    "{}\n{stdout}",
                    script.display()
                );
                skipped += 1;
            }
        }
    }
    assert!(skipped > 0, "the guide has a v2-only read-only step");
}
