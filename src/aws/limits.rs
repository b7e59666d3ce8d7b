//! Documented limits the AWS models lack, from `data/limits.json`.
//!
//! Health-check bounds and the Fargate task sizes live in the AWS
//! documentation, not in botocore. They are kept in a small data file where
//! every value cites its page, and checked by the same engine that checks
//! shapes: a `json` block, JSON in a bash block, or a command's argument.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
pub struct Limits {
    pub members: Vec<MemberLimit>,
    pub fargate_task_sizes: FargateSizes,
}

#[derive(Debug, Deserialize)]
pub struct MemberLimit {
    pub service: String,
    pub shape: String,
    pub member: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Allowed values of the first item of a list.
    #[serde(default)]
    pub first_item: Option<Vec<String>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct FargateSizes {
    pub source: String,
    pub sizes: Vec<FargateSize>,
}

#[derive(Debug, Deserialize)]
pub struct FargateSize {
    pub cpu: u64,
    #[serde(default)]
    pub memory: Vec<u64>,
    #[serde(default)]
    pub memory_range: Option<(u64, u64, u64)>,
}

impl FargateSize {
    /// Every valid memory value for this cpu, in MiB.
    pub fn memories(&self) -> Vec<u64> {
        match self.memory_range {
            Some((first, last, step)) => (first..=last).step_by(step.max(1) as usize).collect(),
            None => self.memory.clone(),
        }
    }
}

impl Limits {
    pub fn get() -> &'static Limits {
        static LIMITS: OnceLock<Limits> = OnceLock::new();
        LIMITS.get_or_init(|| {
            serde_json::from_str(include_str!("data/limits.json"))
                .expect("the embedded limits.json is valid")
        })
    }

    /// The limits of `service`'s `shape.member`.
    pub fn member(&self, service: &str, shape: &str, member: &str) -> Option<&MemberLimit> {
        self.members
            .iter()
            .find(|l| l.service == service && l.shape == shape && l.member == member)
    }

    /// Whether a Fargate task can have `cpu` units and `memory` MiB; when
    /// not, the valid memories for that cpu (empty when the cpu is invalid).
    pub fn fargate_pair(&self, cpu: u64, memory: u64) -> Result<(), Vec<u64>> {
        match self.fargate_task_sizes.sizes.iter().find(|s| s.cpu == cpu) {
            Some(size) if size.memories().contains(&memory) => Ok(()),
            Some(size) => Err(size.memories()),
            None => Err(Vec::new()),
        }
    }
}

/// A task-size value as ECS accepts it: `1024`, `1 vCPU`, `2 GB`, `0.5 vcpu`.
pub fn parse_size(text: &str, unit_per: u64) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let (number, scaled) = match lower
        .strip_suffix("vcpu")
        .or_else(|| lower.strip_suffix("gb"))
    {
        Some(n) => (n.trim(), true),
        None => (lower.as_str(), false),
    };
    let value: f64 = number.parse().ok()?;
    let value = if scaled {
        value * unit_per as f64
    } else {
        value
    };
    (value >= 0.0 && value.fract() == 0.0).then_some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_table() {
        let limits = Limits::get();
        assert!(limits.fargate_pair(256, 512).is_ok());
        assert!(limits.fargate_pair(8192, 61440).is_ok());
        assert!(limits.fargate_pair(16384, 122880).is_ok());
        assert_eq!(
            limits.fargate_pair(512, 8192),
            Err(vec![1024, 2048, 3072, 4096])
        );
        assert_eq!(
            limits.fargate_pair(8192, 16384 + 1024),
            Err((16384..=61440).step_by(4096).collect())
        );
        assert_eq!(limits.fargate_pair(300, 512), Err(vec![]));
        let health = limits.member("ecs", "HealthCheck", "interval").unwrap();
        assert_eq!((health.min, health.max), (Some(5.0), Some(300.0)));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1024", 1024), Some(1024));
        assert_eq!(parse_size("1 vCPU", 1024), Some(1024));
        assert_eq!(parse_size("0.5 vcpu", 1024), Some(512));
        assert_eq!(parse_size("2 GB", 1024), Some(2048));
        assert_eq!(parse_size("lots", 1024), None);
    }
}
