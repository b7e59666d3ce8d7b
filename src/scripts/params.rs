//! Parameters of the check scripts, named once for the whole book.
//!
//! Each placeholder the guide writes (`my-cluster`, `vpc-xxx`,
//! `123456789012`, `ECR_URI`…) becomes a parameter, a flag and an
//! environment variable of the same name in every script: `--cluster` /
//! `CLUSTER` wherever `my-cluster` stands. The name comes from the option
//! the placeholder is the value of (`--services ma-app-service` →
//! `SERVICE`), else from the placeholder itself (`vpc-xxx` → `VPC_ID`).
//! Two names are fixed: the account id is `ACCOUNT_ID` (taken from the
//! caller's identity when not given) and a region the guide passes to
//! `--region` is `AWS_REGION` (with `AWS_DEFAULT_REGION` as fallback).

use crate::aws::placeholders::{self, PlaceholderKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// The documentation account id.
pub const SAMPLE_ACCOUNT: &str = "123456789012";

/// How a parameter gets its value when neither its flag nor its variable
/// is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fallback {
    /// None: a step that needs it stops the script first.
    Required,
    /// `AWS_DEFAULT_REGION`.
    DefaultRegion,
    /// `aws sts get-caller-identity`.
    CallerAccount,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// The environment variable, e.g. `CLUSTER`.
    pub name: String,
    /// The flag, e.g. `--cluster`.
    pub flag: String,
    /// The guide's placeholder, e.g. `my-cluster`.
    pub example: String,
    pub fallback: Fallback,
}

/// What separates the parts of a structured value.
const SEPARATORS: &[char] = &[
    '/', ':', ',', '=', '@', ' ', '[', ']', '{', '}', '(', ')', '"', '\'',
];

/// A value longer than this is never a parameter, nor searched for one: a
/// placeholder is a word, an ARN or a JSON argument, never megabytes (a
/// 5 MB argument took a third of the whole check).
const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Placeholder text → parameter, for the whole book.
#[derive(Debug, Clone, Default)]
pub struct Parameters {
    by_value: BTreeMap<String, String>,
    by_name: BTreeMap<String, Parameter>,
    /// Regions the guide passes to `--region`, replaced wherever they appear.
    regions: Vec<String>,
}

impl Parameters {
    /// Records `value`, written as the value of `flag` (when there is one).
    /// Returns whether the value is (or contains) a placeholder.
    pub fn learn(&mut self, flag: Option<&str>, value: &str) -> bool {
        if value.len() > MAX_VALUE_BYTES {
            return false;
        }
        if flag == Some("--region") && is_region(value) {
            if !self.regions.iter().any(|r| r == value) {
                self.regions.push(value.to_string());
            }
            self.define(value, "AWS_REGION", "--region", Fallback::DefaultRegion);
            return true;
        }
        // A structured value (`service/my-cluster/ma-app-service`, shorthand
        // with `subnet-xxx` inside) keeps its structure: its placeholders
        // are parameters, not the whole.
        if value.contains(SEPARATORS) && self.learn_parts(value) {
            return true;
        }
        let Some(kind) = placeholders::classify(value) else {
            return false;
        };
        match kind {
            // `--target-group-arn arn:aws:elasticloadbalancing:...`: the
            // whole value stands for the option's.
            PlaceholderKind::Ellipsis => match flag {
                Some(flag) if flag.starts_with("--") && !self.by_value.contains_key(value) => {
                    let name = name_from_flag(flag);
                    let flag = format!("--{}", name.to_ascii_lowercase().replace('_', "-"));
                    self.define(value, &name, &flag, Fallback::Required);
                    true
                }
                Some(_) => self.by_value.contains_key(value),
                None => false,
            },
            PlaceholderKind::AccountId if value != SAMPLE_ACCOUNT => self.learn_parts(value),
            PlaceholderKind::AccountId => {
                self.define(value, "ACCOUNT_ID", "--account-id", Fallback::CallerAccount);
                true
            }
            _ => {
                if !self.by_value.contains_key(value) {
                    let name = match flag {
                        Some(flag) if flag.starts_with("--") => name_from_flag(flag),
                        _ => name_from_value(value, kind),
                    };
                    let flag = format!("--{}", name.to_ascii_lowercase().replace('_', "-"));
                    self.define(value, &name, &flag, Fallback::Required);
                }
                true
            }
        }
    }

    /// Placeholders inside a longer value (`ECR_URI:v1`, an ARN with the
    /// sample account).
    fn learn_parts(&mut self, value: &str) -> bool {
        let mut found = false;
        if value.contains(SAMPLE_ACCOUNT) {
            self.define(
                SAMPLE_ACCOUNT,
                "ACCOUNT_ID",
                "--account-id",
                Fallback::CallerAccount,
            );
            found = true;
        }
        for part in value.split(SEPARATORS) {
            if part != value && part != SAMPLE_ACCOUNT && !part.is_empty() {
                found |= match placeholders::classify(part) {
                    Some(PlaceholderKind::Ellipsis) | None => false,
                    Some(_) => self.learn(None, part),
                };
            }
        }
        found
    }

    fn define(&mut self, value: &str, name: &str, flag: &str, fallback: Fallback) {
        self.by_value
            .entry(value.to_string())
            .or_insert_with(|| name.to_string());
        self.by_name
            .entry(name.to_string())
            .or_insert_with(|| Parameter {
                name: name.to_string(),
                flag: flag.to_string(),
                example: value.to_string(),
                fallback,
            });
    }

    /// A variable the guide reads without setting it (`$ECR_URI`): a
    /// parameter of that name.
    pub fn variable(&mut self, name: &str) {
        if !self.by_name.contains_key(name) {
            let flag = format!("--{}", name.to_ascii_lowercase().replace('_', "-"));
            self.by_name.insert(
                name.to_string(),
                Parameter {
                    name: name.to_string(),
                    flag,
                    example: format!("${name}"),
                    fallback: if name == "AWS_REGION" {
                        Fallback::DefaultRegion
                    } else {
                        Fallback::Required
                    },
                },
            );
        }
    }

    pub fn get(&self, name: &str) -> Option<&Parameter> {
        self.by_name.get(name)
    }

    /// `value` split into literal text and parameters (by name), or `None`
    /// when it holds no placeholder this book defined.
    pub fn substitute(&self, value: &str) -> Option<Vec<Piece>> {
        if let Some(name) = self.by_value.get(value) {
            return Some(vec![Piece::Param(name.clone())]);
        }
        // Longest known placeholder first, at every position.
        let mut needles: Vec<(&str, &str)> = self
            .by_value
            .iter()
            .map(|(v, n)| (v.as_str(), n.as_str()))
            .filter(|(v, _)| v.len() >= 3)
            .collect();
        needles.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = value;
        let mut any = false;
        'outer: while !rest.is_empty() {
            for (needle, name) in &needles {
                if rest.starts_with(needle) && at_boundary(value, rest, needle) {
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Param(name.to_string()));
                    rest = &rest[needle.len()..];
                    any = true;
                    continue 'outer;
                }
            }
            let c = rest.chars().next().expect("not empty");
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        any.then_some(pieces)
    }
}

/// A value, cut into literal text and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Param(String),
}

/// Whether the needle at `rest` (a suffix of `value`) stands on its own: not
/// glued to letters or digits on either side (`eu-west-3` in
/// `com.amazonaws.eu-west-3.ecr`, not in `my-eu-west-3x`).
fn at_boundary(value: &str, rest: &str, needle: &str) -> bool {
    let start = value.len() - rest.len();
    let before = value[..start].chars().next_back();
    let after = rest[needle.len()..].chars().next();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    !glued(before) && !glued(after)
}

/// `eu-west-3`, `us-gov-west-1`, `cn-north-1`.
pub fn is_region(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

/// `--services` → `SERVICE`, `--group-ids` → `GROUP_ID`, `--cluster` → `CLUSTER`.
pub fn name_from_flag(flag: &str) -> String {
    let name = flag
        .trim_start_matches('-')
        .to_ascii_uppercase()
        .replace('-', "_");
    singular(&name)
}

fn singular(name: &str) -> String {
    match name.strip_suffix('S') {
        Some(stem) if !stem.ends_with('S') && !stem.ends_with('U') && stem.len() > 1 => {
            stem.to_string()
        }
        _ => name.to_string(),
    }
}

/// A name for a placeholder that is no option's value: `vpc-xxx` →
/// `VPC_ID`, `<cluster-name>` → `CLUSTER_NAME`, `ECR_URI` → `ECR_URI`,
/// `ma-app` → `APP`.
fn name_from_value(value: &str, kind: PlaceholderKind) -> String {
    let lower = value.to_ascii_lowercase();
    let base = lower.rsplit(['/', ':']).next().unwrap_or(&lower);
    let words: String = match kind {
        PlaceholderKind::Variable => return value.to_string(),
        PlaceholderKind::Angle => base.trim_matches(['<', '>']).to_string(),
        PlaceholderKind::Elided => {
            let stem = base
                .split("xxx")
                .next()
                .unwrap_or(base)
                .trim_end_matches('-');
            format!("{stem}-id")
        }
        _ => {
            let stripped = [
                "my-", "ma-", "mon-", "mes-", "your-", "votre-", "example-", "sample-",
            ]
            .iter()
            .find_map(|p| base.strip_prefix(p))
            .unwrap_or(base);
            stripped.to_string()
        }
    };
    let name: String = words
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_matches('_').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("VALUE_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a 5 MB `xxx…` argument became a parameter (`--id`, with
    /// the 5 MB text as its example), and learning it took seconds.
    #[test]
    fn regression_huge_values_are_not_parameters() {
        let mut p = Parameters::default();
        let huge = format!("vpc-{}", "x".repeat(5_000_000));
        assert!(!p.learn(None, &huge));
        assert!(!p.learn(Some("--vpc-id"), &huge));
        assert!(p.learn(None, "vpc-xxx"));
    }

    #[test]
    fn names_follow_the_option_then_the_placeholder() {
        let mut p = Parameters::default();
        assert!(p.learn(Some("--cluster"), "my-cluster"));
        assert!(p.learn(Some("--services"), "ma-app-service"));
        assert!(p.learn(Some("--group-ids"), "sg-xxx"));
        assert!(p.learn(None, "vpc-xxx"));
        assert!(p.learn(Some("--region"), "eu-west-3"));
        assert!(p.learn(None, "ECR_URI:v1.0.1"));
        assert!(!p.learn(Some("--launch-type"), "FARGATE"));
        assert!(p.learn(Some("--role-arn"), "arn:aws:iam::123456789012:role/x"));
        let name = |v: &str| match p.substitute(v).as_deref() {
            Some([Piece::Param(name)]) => name.clone(),
            other => panic!("{v}: {other:?}"),
        };
        assert_eq!(name("my-cluster"), "CLUSTER");
        assert_eq!(name("ma-app-service"), "SERVICE");
        assert_eq!(name("sg-xxx"), "GROUP_ID");
        assert_eq!(name("vpc-xxx"), "VPC_ID");
        assert_eq!(name("eu-west-3"), "AWS_REGION");
        assert_eq!(name("ECR_URI"), "ECR_URI");
        assert_eq!(name("123456789012"), "ACCOUNT_ID");
        assert_eq!(
            p.get("AWS_REGION").unwrap().fallback,
            Fallback::DefaultRegion
        );
        assert_eq!(p.get("CLUSTER").unwrap().flag, "--cluster");
    }

    #[test]
    fn placeholders_inside_values_are_substituted() {
        let mut p = Parameters::default();
        p.learn(Some("--region"), "eu-west-3");
        p.learn(None, SAMPLE_ACCOUNT);
        assert_eq!(
            p.substitute("123456789012.dkr.ecr.eu-west-3.amazonaws.com/x"),
            Some(vec![
                Piece::Param("ACCOUNT_ID".into()),
                Piece::Text(".dkr.ecr.".into()),
                Piece::Param("AWS_REGION".into()),
                Piece::Text(".amazonaws.com/x".into()),
            ])
        );
        assert_eq!(p.substitute("my-eu-west-3x"), None);
        assert_eq!(p.substitute("plain"), None);
    }

    #[test]
    fn regions_and_singulars() {
        assert!(is_region("eu-west-3"));
        assert!(is_region("us-gov-west-1"));
        assert!(!is_region("my-cluster-1x"));
        assert!(!is_region("FARGATE"));
        assert_eq!(name_from_flag("--tasks"), "TASK");
        assert_eq!(name_from_flag("--status"), "STATUS");
        assert_eq!(name_from_flag("--address"), "ADDRESS");
    }
}
