//! "Did you mean" suggestions by edit distance.
//!
//! Small and dependency-free: the candidate lists are short (ids of a book,
//! options of one operation), so a plain dynamic-programming Levenshtein
//! distance is fast enough.

/// The Levenshtein distance between `a` and `b`, in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `wanted`, if it is close enough to be a likely
/// typo: at most a third of the length of `wanted` (and at least 1) edits.
pub fn best<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (distance(wanted, candidate), candidate))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, candidate)| (d, candidate.len()))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn best_match() {
        let ids = ["ecr-push-pull", "task-definition", "networking"];
        assert_eq!(best("ecr-push-pul", ids), Some("ecr-push-pull"));
        assert_eq!(best("netwrking", ids), Some("networking"));
        assert_eq!(best("zzz", ids), None);
    }
}
