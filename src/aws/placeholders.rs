//! Placeholders: the values a runbook writes where the reader must put
//! their own (`my-cluster`, `vpc-xxx`, `123456789012`, `ECR_URI`…).
//!
//! They are never type or enum errors, and they are recorded so the check
//! scripts can turn each into a parameter (`--cluster` / `CLUSTER`).

/// Why a value is a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// `vpc-xxx`, `sg-rds-xxx`, `task-id-xxx`.
    Elided,
    /// The documentation account id `123456789012`, alone or in an ARN.
    AccountId,
    /// `my-cluster`, `ma-app-service`, `your-bucket`, `example.com`.
    Sample,
    /// `ECR_URI`, `TASK_ARN`: an all-caps name with an underscore.
    Variable,
    /// `<cluster-name>`.
    Angle,
    /// `arn:aws:elasticloadbalancing:...`: elided with `...`.
    Ellipsis,
}

/// Whether `value` is a placeholder, and why.
pub fn classify(value: &str) -> Option<PlaceholderKind> {
    let lower = value.to_ascii_lowercase();
    if value.starts_with('<') && value.ends_with('>') && value.len() > 2 {
        return Some(PlaceholderKind::Angle);
    }
    if value.contains("...") {
        return Some(PlaceholderKind::Ellipsis);
    }
    if lower.contains("xxx") {
        return Some(PlaceholderKind::Elided);
    }
    if value.contains("123456789012") {
        return Some(PlaceholderKind::AccountId);
    }
    let sample_prefix = [
        "my-", "ma-", "mon-", "mes-", "your-", "votre-", "example-", "sample-",
    ];
    let base = lower.rsplit(['/', ':']).next().unwrap_or(&lower);
    if sample_prefix
        .iter()
        .any(|p| lower.starts_with(p) || base.starts_with(p))
        || lower == "example.com"
        || lower.ends_with(".example.com")
    {
        return Some(PlaceholderKind::Sample);
    }
    let is_variable = value.len() >= 3
        && value.contains('_')
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && value.starts_with(|c: char| c.is_ascii_uppercase());
    if is_variable {
        return Some(PlaceholderKind::Variable);
    }
    None
}

/// Whether a value *contains* a placeholder somewhere (`ECR_URI:v1.0.1`,
/// `service/my-cluster/ma-app-service`).
pub fn contains_placeholder(value: &str) -> bool {
    classify(value).is_some()
        || value
            .split(['/', ':', ',', '=', '@', ' '])
            .any(|part| classify(part).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_placeholders() {
        let cases = [
            ("vpc-xxx", Some(PlaceholderKind::Elided)),
            ("sg-rds-xxx", Some(PlaceholderKind::Elided)),
            ("task-id-xxx", Some(PlaceholderKind::Elided)),
            ("123456789012", Some(PlaceholderKind::AccountId)),
            (
                "arn:aws:iam::123456789012:role/x",
                Some(PlaceholderKind::AccountId),
            ),
            ("my-cluster", Some(PlaceholderKind::Sample)),
            ("ma-app-service", Some(PlaceholderKind::Sample)),
            ("ECR_URI", Some(PlaceholderKind::Variable)),
            ("<cluster>", Some(PlaceholderKind::Angle)),
            (
                "arn:aws:elasticloadbalancing:...",
                Some(PlaceholderKind::Ellipsis),
            ),
            ("FARGATE", None),
            ("ENABLED", None),
            ("eu-west-3", None),
            ("ecsTaskExecutionRole", None),
            ("/ecs/ma-app", Some(PlaceholderKind::Sample)),
        ];
        for (value, kind) in cases {
            assert_eq!(classify(value), kind, "{value}");
        }
        assert!(contains_placeholder("service/my-cluster/ma-app-service"));
        assert!(contains_placeholder("ECR_URI:v1.0.1"));
        assert!(!contains_placeholder("ecs:service:DesiredCount"));
    }
}
