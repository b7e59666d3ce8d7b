//! `doctor`: live evidence from an AWS account, matched to the runbook.
//!
//! Through the `aws` CLI, and only with read-only calls (describe, list),
//! it gathers what ECS says went wrong: the service's recent events, the
//! stopped tasks with their `stoppedReason`, each stopped container's
//! `reason` and exit code, and the health of the service's load-balancer
//! targets. Each piece of evidence is matched against the FAQ index with
//! the same matcher as `lookup`, and the report names the entry, its
//! causes, its page and its check script.
//!
//! Parameters reach the CLI as `--name=value` arguments of one process, never
//! through a shell, so no value can run anything or pass for an option.
//! Failures of the CLI itself (not installed, no credentials, no such
//! cluster) are errors with a plain message.

use crate::faq::FaqIndex;
use crate::lookup;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;
use std::process::Command;

/// What to examine.
#[derive(Debug, Clone)]
pub struct Target {
    pub cluster: String,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// One thing the account says, in its own words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Where it was read: `service event`, `stopped task <id>`…
    pub source: String,
    pub text: String,
}

/// An entry of the runbook that explains a piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub id: String,
    pub title: String,
    pub confidence: f64,
    pub causes: Vec<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
}

/// A piece of evidence and what explains it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub evidence: Evidence,
    pub explanation: Option<Explanation>,
}

/// The doctor's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub cluster: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings a runbook entry explains.
    pub fn explained(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.explanation.is_some())
    }
}

/// The most service events examined (the newest).
const MAX_EVENTS: usize = 25;
/// The most stopped tasks examined (the CLI returns the newest first).
const MAX_TASKS: usize = 100;

/// Runs read-only `aws` calls and returns their JSON output.
pub trait Aws {
    fn call(&self, args: &[String]) -> Result<Value>;
}

/// The `aws` program on PATH.
#[derive(Debug, Clone, Default)]
pub struct AwsCli {
    pub region: Option<String>,
}

impl Aws for AwsCli {
    fn call(&self, args: &[String]) -> Result<Value> {
        let mut command = Command::new("aws");
        command.args(args).args([
            "--output",
            "json",
            "--cli-connect-timeout",
            "10",
            "--cli-read-timeout",
            "30",
        ]);
        if let Some(region) = &self.region {
            command.arg(format!("--region={region}"));
        }
        let output = match command.output() {
            Ok(output) => output,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => bail!(
                "the AWS CLI (`aws`) is not installed or not on PATH; doctor reads the account through it"
            ),
            Err(error) => return Err(error).context("running aws"),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let message = stderr.trim();
            if message.contains("Unable to locate credentials")
                || message.contains("NoCredentialsError")
                || message.contains("ExpiredToken")
                || message.contains("InvalidClientTokenId")
            {
                bail!(
                    "the AWS CLI has no valid credentials ({message}); configure them (aws configure, AWS_PROFILE, or environment variables)"
                );
            }
            bail!("aws {}: {message}", args.join(" "));
        }
        serde_json::from_slice(&output.stdout)
            .with_context(|| format!("aws {}: output is not JSON", args.join(" ")))
    }
}

/// `--name=value`, so that a value starting with `-` stays a value.
fn arg(name: &str, value: &str) -> String {
    format!("--{name}={value}")
}

fn strings(value: &Value, path: &[&str]) -> Vec<String> {
    let mut current = vec![value];
    for key in path {
        current = current
            .into_iter()
            .flat_map(|v| match v.get(key) {
                Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                Some(other) => vec![other],
                None => Vec::new(),
            })
            .collect();
    }
    current
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The last part of an ARN (`…/task/cluster/abc` → `abc`).
fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Gathers the evidence of `target` through `aws`.
pub fn gather(aws: &dyn Aws, target: &Target) -> Result<Vec<Evidence>> {
    let cluster = &target.cluster;
    let clusters = aws.call(&[
        "ecs".into(),
        "describe-clusters".into(),
        arg("clusters", cluster),
    ])?;
    if strings(&clusters, &["clusters", "clusterName"]).is_empty()
        || strings(&clusters, &["clusters", "status"])
            .iter()
            .all(|s| s == "INACTIVE")
    {
        bail!("the cluster `{cluster}` does not exist in this account and region");
    }
    let mut evidence = Vec::new();
    let mut task_filter = vec![arg("cluster", cluster)];
    if let Some(service) = &target.service {
        let services = aws.call(&[
            "ecs".into(),
            "describe-services".into(),
            arg("cluster", cluster),
            arg("services", service),
        ])?;
        let Some(found) = services["services"].as_array().and_then(|s| s.first()) else {
            bail!("the service `{service}` does not exist in the cluster `{cluster}`");
        };
        let mut seen = std::collections::HashSet::new();
        for message in strings(found, &["events", "message"]) {
            if evidence.len() >= MAX_EVENTS {
                break;
            }
            if seen.insert(lookup::normalize(&message)) {
                evidence.push(Evidence {
                    source: "service event".into(),
                    text: message,
                });
            }
        }
        for group in strings(found, &["loadBalancers", "targetGroupArn"]) {
            let health = aws.call(&[
                "elbv2".into(),
                "describe-target-health".into(),
                arg("target-group-arn", &group),
            ])?;
            for target in health["TargetHealthDescriptions"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let state = target["TargetHealth"]["State"].as_str().unwrap_or("");
                if state != "healthy" {
                    let id = target["Target"]["Id"].as_str().unwrap_or("?");
                    let reason = target["TargetHealth"]["Reason"].as_str().unwrap_or("");
                    let description = target["TargetHealth"]["Description"].as_str().unwrap_or("");
                    evidence.push(Evidence {
                        source: format!("target {id} of {}", short(&group)),
                        text: format!("target {state} {reason} {description}")
                            .trim()
                            .to_string(),
                    });
                }
            }
        }
        task_filter.push(arg("service-name", service));
    }
    let mut list = vec![
        "ecs".into(),
        "list-tasks".into(),
        arg("desired-status", "STOPPED"),
    ];
    list.extend(task_filter);
    let listed = aws.call(&list)?;
    let arns: Vec<String> = strings(&listed, &["taskArns"])
        .into_iter()
        .take(MAX_TASKS)
        .collect();
    if !arns.is_empty() {
        let mut describe = vec![
            "ecs".into(),
            "describe-tasks".into(),
            arg("cluster", cluster),
            "--tasks".into(),
        ];
        describe.extend(arns.iter().cloned());
        let tasks = aws.call(&describe)?;
        for task in tasks["tasks"].as_array().into_iter().flatten() {
            let id = short(task["taskArn"].as_str().unwrap_or("?")).to_string();
            if let Some(reason) = task["stoppedReason"].as_str().filter(|r| !r.is_empty()) {
                evidence.push(Evidence {
                    source: format!("stopped task {id}"),
                    text: reason.to_string(),
                });
            }
            for container in task["containers"].as_array().into_iter().flatten() {
                let name = container["name"].as_str().unwrap_or("?");
                let reason = container["reason"].as_str().unwrap_or("");
                let exit = container["exitCode"].as_i64().filter(|&c| c != 0);
                if reason.is_empty() && exit.is_none() {
                    continue;
                }
                let text = match exit {
                    Some(code) => format!("{reason} exit code {code}").trim().to_string(),
                    None => reason.to_string(),
                };
                evidence.push(Evidence {
                    source: format!("container {name} of task {id}"),
                    text,
                });
            }
        }
    }
    Ok(evidence)
}

/// Matches each piece of evidence against the index.
pub fn diagnose(target: &Target, evidence: Vec<Evidence>, index: &FaqIndex) -> Report {
    let scorer = lookup::Scorer::new(index);
    let findings = evidence
        .into_iter()
        .map(|evidence| {
            let explanation = scorer
                .lookup(&evidence.text)
                .hits()
                .first()
                .map(|hit| Explanation {
                    id: hit.id.to_string(),
                    title: hit.title.to_string(),
                    confidence: hit.confidence,
                    causes: hit.entry.causes.iter().take(3).cloned().collect(),
                    url: hit.url.to_string(),
                    script: hit.entry.script.clone(),
                });
            Finding {
                evidence,
                explanation,
            }
        })
        .collect();
    Report {
        cluster: target.cluster.clone(),
        service: target.service.clone(),
        findings,
    }
}

/// The report for a terminal: each explained piece of evidence with its
/// entry, then how many pieces nothing explains.
pub fn render_human(report: &Report) -> String {
    use crate::report::visible;
    use std::fmt::Write;
    let mut out = String::new();
    let scope = match &report.service {
        Some(service) => format!("service {service} of cluster {}", report.cluster),
        None => format!("cluster {}", report.cluster),
    };
    let _ = writeln!(out, "doctor: {}", visible(&scope));
    let explained: Vec<&Finding> = report.explained().collect();
    for finding in &explained {
        let Some(entry) = &finding.explanation else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n{}: {}",
            visible(&finding.evidence.source),
            visible(&finding.evidence.text)
        );
        let _ = writeln!(
            out,
            "  → {}  [confidence {:.0}%]",
            visible(&entry.title),
            entry.confidence * 100.0
        );
        for cause in &entry.causes {
            let _ = writeln!(out, "    cause: {}", visible(cause));
        }
        let _ = writeln!(out, "    page: {}", visible(&entry.url));
        if let Some(script) = &entry.script {
            let _ = writeln!(
                out,
                "    next: checks/{} (--help lists its parameters)",
                visible(script)
            );
        }
    }
    let unexplained = report.findings.len() - explained.len();
    let _ = writeln!(
        out,
        "\n{} piece(s) of evidence, {} explained by the runbook, {unexplained} not",
        report.findings.len(),
        explained.len()
    );
    out
}

/// `{"cluster", "service", "findings": [{"evidence", "explanation"}]}`.
pub fn render_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("the report serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Canned answers by operation name.
    struct Canned(HashMap<&'static str, Value>);

    impl Aws for Canned {
        fn call(&self, args: &[String]) -> Result<Value> {
            let op = args.get(1).map(String::as_str).unwrap_or("");
            for a in args.iter().skip(2) {
                assert!(a.starts_with("--") || a.starts_with("arn:"), "{a}");
            }
            Ok(self.0.get(op).cloned().unwrap_or(Value::Null))
        }
    }

    #[test]
    fn gathers_events_stopped_tasks_and_containers() {
        let aws = Canned(HashMap::from([
            (
                "describe-clusters",
                serde_json::json!({"clusters": [{"clusterName": "c", "status": "ACTIVE"}]}),
            ),
            (
                "describe-services",
                serde_json::json!({"services": [{"events": [
                {"message": "(service s) was unable to place a task"},
                {"message": "(service s) was unable to place a task"},
                {"message": "(service s) has reached a steady state."}]}]}),
            ),
            (
                "list-tasks",
                serde_json::json!({"taskArns": ["arn:aws:ecs:r:1:task/c/abc"]}),
            ),
            (
                "describe-tasks",
                serde_json::json!({"tasks": [{"taskArn": "arn:aws:ecs:r:1:task/c/abc",
                "stoppedReason": "Essential container in task exited",
                "containers": [{"name": "app", "exitCode": 137, "reason": "OutOfMemoryError"}]}]}),
            ),
        ]));
        let target = Target {
            cluster: "c".into(),
            service: Some("s".into()),
            region: None,
        };
        let evidence = gather(&aws, &target).unwrap();
        let texts: Vec<&str> = evidence.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "(service s) was unable to place a task",
                "(service s) has reached a steady state.",
                "Essential container in task exited",
                "OutOfMemoryError exit code 137",
            ]
        );
        assert_eq!(evidence[3].source, "container app of task abc");
    }

    #[test]
    fn a_missing_cluster_is_an_error() {
        let aws = Canned(HashMap::from([(
            "describe-clusters",
            serde_json::json!({"clusters": [], "failures": [{"reason": "MISSING"}]}),
        )]));
        let target = Target {
            cluster: "nope".into(),
            service: None,
            region: None,
        };
        let error = gather(&aws, &target).unwrap_err().to_string();
        assert!(error.contains("`nope` does not exist"), "{error}");
    }

    #[test]
    fn values_are_passed_as_one_argument() {
        assert_eq!(arg("cluster", "--debug"), "--cluster=--debug");
    }
}
