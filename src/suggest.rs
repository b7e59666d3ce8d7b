//! "Did you mean" suggestions by edit distance.
//!
//! Small and dependency-free: a dynamic-programming Levenshtein distance,
//! cut short once a candidate is sure to be too far (the lists can be long:
//! every operation of `ec2`, every IAM action of a service).

/// The Levenshtein distance between `a` and `b`, in characters, when it
/// is at most `limit`. Rows whose
/// every value is past the limit end the computation: a word is compared
/// with every operation of a service, and most are far from it.
fn within(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

/// The candidate closest to `wanted`, if it is close enough to be a likely
/// typo: at most a third of the length of `wanted` (and at least 1) edits.
/// Of equally close ones, the shortest, then the first.
pub fn best<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = wanted.chars().collect();
    let limit = (wanted.len() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|candidate| Some((within(&wanted, candidate, limit)?, candidate)))
        .min_by_key(|&(d, candidate)| (d, candidate.len()))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        within(&a, b, usize::MAX).expect("no limit")
    }

    #[test]
    fn distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("kitten", "sitting", 3),
            ("é", "e", 1),
            ("", "ab", 2),
        ] {
            assert_eq!(distance(a, b), d, "{a} {b}");
        }
    }

    #[test]
    fn the_bounded_distance_is_the_distance_when_within_the_limit() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "kitten",
            "sitting",
            "describe-services",
            "describe-service",
            "list-tasks",
            "list-task-definitions",
            "é",
            "ée",
            "update-service",
            "--cluster",
        ];
        for a in words {
            let chars: Vec<char> = a.chars().collect();
            for b in words {
                let d = distance(a, b);
                for limit in 0..8 {
                    assert_eq!(
                        within(&chars, b, limit),
                        (d <= limit).then_some(d),
                        "{a} {b} {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn best_match() {
        let ids = ["ecr-push-pull", "task-definition", "networking"];
        assert_eq!(best("ecr-push-pul", ids), Some("ecr-push-pull"));
        assert_eq!(best("netwrking", ids), Some("networking"));
        assert_eq!(best("zzz", ids), None);
    }
}
