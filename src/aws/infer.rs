//! Which AWS shape a JSON snippet is, inferred from its keys.
//!
//! Runbooks paste pieces of requests (a task definition, a container's
//! `healthCheck`, a service's `networkConfiguration`) without saying what
//! they are. The candidates are the structure shapes of the services the
//! chapter's own `aws` commands use; a shape qualifies when it has most
//! top-level keys (more than half: a typo must not hide the shape), and the one whose members explain the most keys (nested
//! ones included) wins; ties go to the shape with the fewest problems, then
//! to a shape that requests use (not only responses), then to the most
//! general one (the most members). Fewer than two explained keys is no evidence:
//! the snippet then gets syntax checks only, never a guess.

use super::model::{Model, Service, ShapeType};
use super::validate::{Completeness, Validator};
use crate::json::{Node, Value};

/// A shape a snippet was recognised as.
pub struct Inference<'m> {
    pub service: &'m Service,
    pub shape: &'m str,
    /// How many keys of the snippet the shape explains.
    pub evidence: usize,
}

/// The least evidence that counts as recognising a snippet.
pub const MIN_EVIDENCE: usize = 2;

/// Infers the shape of `node` among the structures of `services`.
pub fn infer<'m>(node: &Node, services: &[String], model: &'m Model) -> Option<Inference<'m>> {
    let Value::Object(members) = &node.value else {
        return None;
    };
    if members.is_empty() {
        return None;
    }
    let mut best: Option<((usize, usize, bool, usize), Inference<'m>)> = None;
    for service in services.iter().filter_map(|s| model.service(s)) {
        // How many top-level keys each structure has among its members,
        // from the service's member index: most shapes share no key at all.
        let mut known: std::collections::HashMap<&str, usize> = Default::default();
        for member in members {
            for name in service.structures_with(&member.key) {
                *known.entry(name).or_default() += 1;
            }
        }
        for (name, known) in known {
            // Most top-level keys must be members: a typo is an unknown key
            // to report, not a reason to miss the shape.
            let Some(shape) = service.shape(name) else {
                continue;
            };
            if known * 2 <= members.len() {
                continue;
            }
            let evidence = explained(node, name, service, 0);
            if evidence < MIN_EVIDENCE {
                continue;
            }
            let mut validator = Validator::new(
                service,
                Completeness::Fragment,
                crate::registry::RuleId::JsonShape,
            );
            validator.check(node, name, "");
            let problems = validator.issues.len();
            let candidate = (
                evidence,
                usize::MAX - problems,
                service.is_input_shape(name),
                shape.m.len(),
            );
            let better = best.as_ref().is_none_or(|(score, current)| {
                candidate > *score
                    || (candidate == *score
                        && (service.cli.as_str(), name)
                            < (current.service.cli.as_str(), current.shape))
            });
            if better {
                best = Some((
                    candidate,
                    Inference {
                        service,
                        shape: name,
                        evidence,
                    },
                ));
            }
        }
    }
    best.map(|(_, inference)| inference)
}

/// How many keys of `node` (recursively) are members of `shape_name`.
fn explained(node: &Node, shape_name: &str, service: &Service, depth: usize) -> usize {
    if depth > 16 {
        return 0;
    }
    let Some(shape) = service.shape(shape_name) else {
        return 0;
    };
    match (&node.value, shape.t) {
        (Value::Object(members), ShapeType::Structure) => members
            .iter()
            .filter_map(|m| {
                shape
                    .m
                    .get(&m.key)
                    .map(|member_shape| 1 + explained(&m.value, member_shape, service, depth + 1))
            })
            .sum(),
        (Value::Array(items), ShapeType::List) => match (items.first(), &shape.e) {
            (Some(first), Some(element)) => explained(first, element, service, depth + 1),
            _ => 0,
        },
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn infer_text(text: &str, services: &[&str]) -> Option<(String, String)> {
        let node = json::parse_doc(text).unwrap().root;
        let services: Vec<String> = services.iter().map(|s| s.to_string()).collect();
        infer(&node, &services, Model::get()).map(|i| (i.service.cli.clone(), i.shape.to_string()))
    }

    #[test]
    fn recognises_common_fragments() {
        let services = ["ecs", "ec2", "iam", "logs", "application-autoscaling"];
        let cases = [
            (
                r#"{"networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"]}"#,
                "ecs",
                "RegisterTaskDefinitionRequest",
            ),
            (
                r#""healthCheck": {"command": ["CMD-SHELL", "x"], "interval": 30, "retries": 3}"#,
                "ecs",
                "ContainerDefinition",
            ),
            (
                r#"{"command": ["CMD"], "interval": 30, "timeout": 5}"#,
                "ecs",
                "HealthCheck",
            ),
            (
                r#"{"TargetValue": 70, "ScaleInCooldown": 300}"#,
                "application-autoscaling",
                "TargetTrackingScalingPolicyConfiguration",
            ),
        ];
        for (text, service, shape) in cases {
            let (s, name) =
                infer_text(text, &services).unwrap_or_else(|| panic!("no shape for {text}"));
            assert_eq!((s.as_str(), name.as_str()), (service, shape), "{text}");
        }
        let network = infer_text(r#"{"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s"], "assignPublicIp": "ENABLED"}}}"#, &services).unwrap();
        assert_eq!(network.0, "ecs");
    }

    #[test]
    fn too_little_evidence_is_no_guess() {
        assert!(infer_text(r#""memory": "1024""#, &["ecs"]).is_none());
        assert!(infer_text(r#"{"zzz": 1, "yyy": 2}"#, &["ecs"]).is_none());
        assert!(
            infer_text(r#"{"networkMode": "awsvpc", "zzz": 1}"#, &["ecs"]).is_none(),
            "half the keys is not most"
        );
        let typo = infer_text(
            r#"{"family": "f", "networkMode": "awsvpc", "requiresCompatibility": ["FARGATE"]}"#,
            &["ecs"],
        );
        assert_eq!(typo.unwrap().1, "RegisterTaskDefinitionRequest");
        assert!(infer_text(r#"{"networkMode": "awsvpc"}"#, &[]).is_none());
    }
}
