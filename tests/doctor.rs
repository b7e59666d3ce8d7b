//! `doctor` against a moto server on 127.0.0.1, with the real AWS CLI:
//! stopped tasks with real error strings are planted, and the doctor must
//! name the entries that explain them, in both formats, without changing
//! anything. moto records a task's `stoppedReason` but not its containers'
//! exit codes, so an exit code 137 cannot be planted; the unit tests of
//! `doctor` cover that path with canned answers.

mod common;

use common::moto::{Moto, aws_env, run_task};
use common::{repo, run, scratch};
use std::process::Command;

const PULL: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/app:latest: not found";
const EXITED: &str = "Essential container in task exited";
const UNKNOWN: &str = "OutOfMemoryError: Container killed due to memory usage";

fn seed(moto: &Moto) {
    common::moto::cluster_with_task_definition(moto, "prod", "app");
    moto.aws(&[
        "ecs",
        "create-service",
        "--cluster",
        "prod",
        "--service-name",
        "web",
        "--task-definition",
        "app",
        "--desired-count",
        "0",
    ]);
    for reason in [PULL, EXITED, UNKNOWN] {
        let task = run_task(moto, "prod", "app");
        moto.aws(&[
            "ecs",
            "stop-task",
            "--cluster",
            "prod",
            "--task",
            &task,
            "--reason",
            reason,
        ]);
    }
}

fn doctor(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let mut command = aws_env(
        Command::new(env!("CARGO_BIN_EXE_mdbook-runbook")),
        &moto.endpoint(),
    );
    command.arg("doctor").args(args).arg("--book").arg(repo());
    run(&mut command)
}

#[test]
fn doctor_names_the_entries_that_explain_stopped_tasks() {
    let moto = Moto::start();
    seed(&moto);
    let state = || {
        moto.aws(&[
            "ecs",
            "describe-services",
            "--cluster",
            "prod",
            "--services",
            "web",
            "--query",
            "services[0].[desiredCount,taskDefinition]",
            "--output",
            "text",
        ])
    };
    let before = state();

    let (code, stdout, stderr) = doctor(&moto, &["--cluster", "prod", "--service", "web"]);
    assert_eq!(code, 1, "evidence the runbook explains: {stdout}{stderr}");
    assert!(stdout.contains(PULL), "{stdout}");
    assert!(stdout.contains("→ CannotPullContainerError"), "{stdout}");
    assert!(
        stdout.contains("troubleshooting.html#tasks-cannotpullcontainererror"),
        "{stdout}"
    );
    assert!(
        stdout.contains("checks/tasks-cannotpullcontainererror.sh"),
        "{stdout}"
    );
    assert!(stdout.contains("→ Essential container exited"), "{stdout}");
    assert!(
        stdout.contains("3 piece(s) of evidence, 2 explained by the runbook, 1 not"),
        "{stdout}"
    );

    let (code, stdout, stderr) = doctor(
        &moto,
        &["--cluster", "prod", "--service", "web", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let explained: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            Some((
                f["evidence"]["text"].as_str()?,
                f["explanation"]["id"].as_str()?,
            ))
        })
        .collect();
    assert!(
        explained.contains(&(PULL, "tasks-cannotpullcontainererror")),
        "{explained:?}"
    );
    assert!(
        explained.contains(&(EXITED, "tasks-essential-container-exited")),
        "{explained:?}"
    );
    assert!(
        !explained.iter().any(|(text, _)| *text == UNKNOWN),
        "no entry explains it"
    );

    assert_eq!(state(), before, "doctor changed nothing");
}

#[test]
fn doctor_says_what_is_missing() {
    let moto = Moto::start();
    seed(&moto);
    let (code, _, stderr) = doctor(&moto, &["--cluster", "nope"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the cluster `nope` does not exist"),
        "{stderr}"
    );

    // No credentials.
    let mut command = aws_env(
        Command::new(env!("CARGO_BIN_EXE_mdbook-runbook")),
        &moto.endpoint(),
    );
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .args(["doctor", "--cluster", "prod", "--book"])
        .arg(repo());
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no valid credentials"), "{stderr}");

    // No CLI at all.
    let mut command = aws_env(
        Command::new(env!("CARGO_BIN_EXE_mdbook-runbook")),
        &moto.endpoint(),
    );
    command
        .env("PATH", "/nonexistent")
        .args(["doctor", "--cluster", "prod", "--book"])
        .arg(repo());
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the AWS CLI (`aws`) is not installed"),
        "{stderr}"
    );
}

#[test]
fn doctor_parameters_execute_nothing() {
    let moto = Moto::start();
    seed(&moto);
    let marker = scratch("doctor-hostile").join("pwned");
    let m = marker.display();
    for value in [
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("\"; touch {m}; #"),
        "--debug".to_string(),
    ] {
        let cluster = format!("--cluster={value}");
        let service = format!("--service={value}");
        let (code, stdout, stderr) = doctor(&moto, &[&cluster, &service]);
        assert_eq!(code, 2, "{value:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("does not exist"),
            "{value:?} reached the account as a name: {stderr}"
        );
        assert!(!marker.exists(), "{value:?} executed");
        assert!(
            !stderr.contains("DEBUG"),
            "{value:?} became an option: {stderr}"
        );
    }
}
