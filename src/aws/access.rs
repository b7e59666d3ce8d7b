//! Access class of an AWS API operation: read-only or mutating.
//!
//! Decided from what the operation *does*: its name's verb (`Describe`,
//! `List`, `Get`…), with a short table of exceptions (`RunTask` mutates
//! although "run" is not "create"; `GetLoginPassword` and
//! `GetCallerIdentity` only read). Other programs are classed by
//! [`crate::access`].

pub use crate::access::Access;

/// API operation name prefixes that only read.
const READ_PREFIXES: &[&str] = &[
    "Describe", "List", "Get", "Head", "BatchGet", "Search", "Scan", "Query", "Lookup", "Select",
    "Validate", "Estimate", "Preview", "Simulate", "Filter", "Check", "Test", "Detect", "Lookup",
    "View", "Verify",
];

/// Operations whose prefix says otherwise. Each is read-only unless marked.
const EXCEPTIONS: &[(&str, Access)] = &[
    // STS hands out temporary credentials; nothing in the account changes.
    ("AssumeRole", Access::ReadOnly),
    ("AssumeRoleWithWebIdentity", Access::ReadOnly),
    ("DecodeAuthorizationMessage", Access::ReadOnly),
    // KMS: cryptographic reads.
    ("Decrypt", Access::ReadOnly),
    ("GenerateDataKey", Access::ReadOnly),
    // These start like reads but change state.
    ("GetObjectLegalHold", Access::ReadOnly),
    ("TestInvokeMethod", Access::Mutating),
    ("TestFailover", Access::Mutating),
    ("DetectStackDrift", Access::Mutating),
];

/// The access class of an AWS API operation, e.g. `RunTask`.
pub fn of_operation(api_name: &str) -> Access {
    if let Some(&(_, access)) = EXCEPTIONS.iter().find(|(name, _)| *name == api_name) {
        return access;
    }
    let reads = READ_PREFIXES.iter().any(|prefix| {
        api_name.strip_prefix(prefix).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    });
    Access::reading(reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        let cases = [
            ("DescribeServices", Access::ReadOnly),
            ("ListTasks", Access::ReadOnly),
            ("GetCallerIdentity", Access::ReadOnly),
            ("GetLoginPassword", Access::ReadOnly),
            ("RunTask", Access::Mutating),
            ("UpdateService", Access::Mutating),
            ("AuthorizeSecurityGroupIngress", Access::Mutating),
            ("PutScalingPolicy", Access::Mutating),
            ("Listen", Access::Mutating),
            ("GetObjectLegalHold", Access::ReadOnly),
            ("TestInvokeMethod", Access::Mutating),
            ("AssumeRole", Access::ReadOnly),
        ];
        for (name, access) in cases {
            assert_eq!(of_operation(name), access, "{name}");
        }
    }
}
