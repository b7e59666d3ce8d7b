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

/// The allowed value that `value` is a likely misspelling of: the same
/// value in another case, one a few edits away (`STOPED`), one followed by
/// a suffix (`EC2_X`), or one it shares a long prefix with (`FARGATE_SPOT`,
/// `MANAGED_INSTANCE_X`). Case is ignored.
pub fn near_enum_value<'a>(
    value: &str,
    allowed: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let wanted = value.to_lowercase();
    if let Some(same) = allowed
        .clone()
        .into_iter()
        .find(|a| a.to_lowercase() == wanted)
    {
        return Some(same);
    }
    let lowered: Vec<(String, &'a str)> =
        allowed.into_iter().map(|a| (a.to_lowercase(), a)).collect();
    // `suggest::best` allows a third of the length in edits; a candidate whose
    // length differs by more cannot be that close, so skip computing it.
    let length = wanted.chars().count();
    let limit = (length / 3).max(1);
    let near_in_length = lowered
        .iter()
        .filter(|(l, _)| l.chars().count().abs_diff(length) <= limit)
        .map(|(l, _)| l.as_str());
    if let Some(best) = crate::suggest::best(&wanted, near_in_length) {
        return lowered.iter().find(|(l, _)| l == best).map(|(_, a)| *a);
    }
    // An allowed value with a suffix (`EC2_X`, `json-file`).
    if let Some((_, a)) = lowered
        .iter()
        .filter(|(l, _)| l.chars().count() >= 2)
        .filter(|(l, _)| {
            wanted
                .strip_prefix(l.as_str())
                .is_some_and(|rest| rest.starts_with(['_', '-', '.']))
        })
        .max_by_key(|(l, _)| l.len())
    {
        return Some(a);
    }
    // A long shared prefix: at least 4 characters and half of the allowed value.
    lowered
        .iter()
        .map(|(l, a)| {
            let shared = l
                .chars()
                .zip(wanted.chars())
                .take_while(|(x, y)| x == y)
                .count();
            (shared, l.chars().count(), *a)
        })
        .filter(|&(shared, len, _)| shared >= 4 && shared * 2 >= len)
        .max_by_key(|&(shared, len, _)| (shared, std::cmp::Reverse(len)))
        .map(|(_, _, a)| a)
}

/// Whether `value`, written for a parameter that takes one of `allowed`, is
/// a placeholder. A value that only *looks* like one (an all-caps name with
/// an underscore, a sample name) but is close to an allowed value is a typo
/// of that value (`--launch-type FARGATE_SPOT_X`), not a placeholder; the
/// explicit markers (`<name>`, `xxx`, `...`) are placeholders whatever they
/// hold.
pub fn is_enum_placeholder<'a>(
    value: &str,
    allowed: impl IntoIterator<Item = &'a str> + Clone,
) -> bool {
    if !contains_placeholder(value) {
        return false;
    }
    let explicit = matches!(
        classify(value),
        Some(PlaceholderKind::Angle | PlaceholderKind::Ellipsis | PlaceholderKind::Elided)
    );
    explicit || near_enum_value(value, allowed).is_none()
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

    #[test]
    fn enum_typo_that_looks_like_a_variable_is_not_a_placeholder() {
        let launch = ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
        let cases = [
            ("FARGATE_SPOT_X", false, Some("FARGATE")),
            ("FARGATE_SPOT", false, Some("FARGATE")),
            ("MANAGED_INSTANCE", false, Some("MANAGED_INSTANCES")),
            ("fargate", false, Some("FARGATE")),
            ("LAUNCH_TYPE", true, None),
            ("MY_LAUNCH_TYPE", true, None),
            ("<launch-type>", true, None),
            ("FARGATE_XXX", true, Some("FARGATE")),
            ("FARGATE", false, Some("FARGATE")),
        ];
        for (value, placeholder, near) in cases {
            assert_eq!(is_enum_placeholder(value, launch), placeholder, "{value}");
            assert_eq!(near_enum_value(value, launch), near, "{value}");
        }
        assert!(!is_enum_placeholder("EC2_X", launch));
        let status = ["ENABLED", "DISABLED"];
        assert!(!is_enum_placeholder("ENABLED_X", status));
        assert!(is_enum_placeholder("PUBLIC_IP", status));
    }
}
