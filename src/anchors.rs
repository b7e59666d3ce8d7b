//! Heading ids: mdBook's automatic ids and our stable ones.
//!
//! mdBook 0.5 gives every heading an id made from its text: unicode
//! lowercase, alphanumerics, `_` and `-` kept, whitespace turned into `-`,
//! everything else (emoji included) dropped, and a `-1`, `-2`… suffix for
//! repeats on the same page. An all-emoji heading therefore gets an empty id,
//! and `📦 ECR - PUSH/PULL` becomes `-ecr---pushpull`. Those ids change when a
//! title is reworded and differ between languages, so links, the FAQ index
//! and the language switch use a *stable* id instead: written explicitly as
//! `{#id}` in the source, or derived once from the French title with
//! [`slug`]. Every stable id is a fixed point of mdBook's rule, so mdBook
//! renders it unchanged.
//!
//! This module computes ids, and [`pin_ids`] writes the stable ones into a
//! chapter's text (the `anchors` command and the preprocessor's id edits).

use crate::model::{Chapter, Span, splice};
use std::collections::{HashMap, HashSet};

/// The longest slug [`slug`] produces, in characters.
const MAX_SLUG_CHARS: usize = 64;

/// The id mdBook 0.5 derives from heading text (before de-duplication).
/// The rule is mdBook's (`mdbook-html`'s `id_from_content`, MPL-2.0), restated.
pub fn mdbook_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// A readable, stable id: lowercase words joined by single `-`, accents kept,
/// punctuation and emoji treated as separators, at most 64 characters (cut
/// at a word boundary). `mdbook_id(slug(x)) == slug(x)` for every `x`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut words = text
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .filter(|w| !w.is_empty());
    for word in &mut words {
        let word = word.to_lowercase();
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if !out.is_empty() && out.chars().count() + extra > MAX_SLUG_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out
}

/// Whether `id` is one mdBook would keep as is and that is usable as an
/// anchor: non-empty and a fixed point of [`mdbook_id`].
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && mdbook_id(id) == id
}

/// A set of ids that makes each new id unique with a numeric suffix:
/// `id`, then `id-1`, `id-2`… the way mdBook does ([`UniqueIds::mdbook`]),
/// or `id-2`, `id-3`… for generated stable ids ([`UniqueIds::stable`]; a
/// stable id never ends in `-1`, so it cannot be confused with an mdBook
/// duplicate).
///
/// Each id takes amortised constant time: the set remembers, per id, the
/// next suffix worth trying (every smaller one is taken, and ids are never
/// released), so `n` repeats of one heading cost `n` tries, not `n²/2`.
#[derive(Debug)]
pub struct UniqueIds {
    used: HashSet<String>,
    /// Per repeated id, the next suffix to try.
    next_suffix: HashMap<String, usize>,
    first_suffix: usize,
    /// Suffixes tried so far (a measure of the work done).
    tried: usize,
}

impl UniqueIds {
    /// mdBook's rule: `id`, `id-1`, `id-2`…
    pub fn mdbook() -> Self {
        Self::with_first_suffix(1)
    }

    /// Generated stable ids: `id`, `id-2`, `id-3`…
    pub fn stable() -> Self {
        Self::with_first_suffix(2)
    }

    fn with_first_suffix(first_suffix: usize) -> Self {
        UniqueIds {
            used: HashSet::new(),
            next_suffix: HashMap::new(),
            first_suffix,
            tried: 0,
        }
    }

    /// Marks `id` as taken, as is (an explicit id).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// `id` if it is free, else the first free `id-N`; marks it taken.
    pub fn unique(&mut self, id: &str) -> String {
        if self.used.insert(id.to_string()) {
            return id.to_string();
        }
        let next = self
            .next_suffix
            .entry(id.to_string())
            .or_insert(self.first_suffix);
        loop {
            let candidate = format!("{id}-{next}");
            self.tried += 1;
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// How many suffixed candidates [`unique`](Self::unique) has tried.
    #[cfg(test)]
    fn tried(&self) -> usize {
        self.tried
    }
}

/// The chapter's markdown with the stable id of every section and entry
/// heading written in as `{#id}`, and nothing else changed. Pinning ids this
/// way keeps anchors stable when a title is later reworded.
pub fn pin_ids(chapter: &Chapter) -> String {
    splice(&chapter.source, id_edits(chapter, true))
}

/// Moves of every `{#id}` written before the closing `#`s of a heading to
/// where mdBook reads it, and, when `add_ids`, insertions of ` {#id}` for
/// section and entry headings without an id.
pub fn id_edits(chapter: &Chapter, add_ids: bool) -> Vec<(Span, String)> {
    let mut edits = Vec::new();
    for heading in &chapter.headings {
        if let Some(stray) = heading.stray_id {
            let block = chapter.source[stray.start..stray.end].trim_start();
            let at = heading.insert_at;
            edits.push((stray, String::new()));
            edits.push((Span::new(at, at), format!(" {block}")));
        }
    }
    if add_ids {
        edits.extend(
            stable_ids(chapter)
                .into_iter()
                .map(|(heading, id)| (&chapter.headings[heading], id))
                .filter(|&(heading, id)| heading.explicit_id.is_none() && !id.is_empty())
                .filter_map(|(heading, id)| heading.id_edit(id)),
        );
    }
    edits
}

/// Heading index → stable id, for the sections and entries of a chapter.
pub fn stable_ids(chapter: &Chapter) -> Vec<(usize, &str)> {
    chapter
        .sections
        .iter()
        .flat_map(|s| {
            std::iter::once((s.heading, s.id.as_str()))
                .chain(s.entries.iter().map(|e| (e.heading, e.id.as_str())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_ids_match_mdbook_rules() {
        let cases = [
            ("📦 ECR - PUSH/PULL", "-ecr---pushpull"),
            ("🏃 TASKS - NE DÉMARRE PAS", "-tasks---ne-démarre-pas"),
            ("💰 COÛTS", "-coûts"),
            ("📋", ""),
            (
                "❌ \"no basic auth credentials\"",
                "-no-basic-auth-credentials",
            ),
            (
                "`--passes`: add more rustdoc passes",
                "--passes-add-more-rustdoc-passes",
            ),
            ("中文", "中文"),
        ];
        for (text, id) in cases {
            assert_eq!(mdbook_id(text), id, "{text}");
        }
    }

    #[test]
    fn mdbook_unique_suffixes() {
        let mut ids = UniqueIds::mdbook();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-1");
        assert_eq!(ids.unique("a"), "a-2");
        assert_eq!(ids.unique(""), "");
        assert_eq!(ids.unique(""), "-1");
        // A heading whose own text is `a-3` takes that id first.
        let mut ids = UniqueIds::mdbook();
        for expected in ["a-3", "a", "a-1", "a-2", "a-4"] {
            let text = if expected == "a-3" { "a-3" } else { "a" };
            assert_eq!(ids.unique(text), expected);
        }
    }

    /// 20,000 headings `## Same` took 42 s: each repeat tried every suffix
    /// taken before it. Each suffix is now tried at most once per id.
    #[test]
    fn regression_repeated_headings_get_ids_in_linear_time() {
        for mut ids in [UniqueIds::mdbook(), UniqueIds::stable()] {
            ids.reserve("same-7");
            let n = 20_000;
            let got: Vec<String> = (0..n).map(|_| ids.unique("same")).collect();
            assert_eq!(got[0], "same");
            assert!(got.iter().all(|id| id != "same-7"));
            let distinct: HashSet<&String> = got.iter().collect();
            assert_eq!(distinct.len(), n);
            assert!(ids.tried() <= n + 1, "{} suffixes tried", ids.tried());
        }
    }

    #[test]
    fn slugs() {
        let cases = [
            ("ECR - PUSH/PULL", "ecr-push-pull"),
            ("TASKS - NE DÉMARRE PAS", "tasks-ne-démarre-pas"),
            (
                "Task n'a pas accès à internet",
                "task-n-a-pas-accès-à-internet",
            ),
            (
                "tag already exists (immutable)",
                "tag-already-exists-immutable",
            ),
            ("Exit code 137 (OOM Killed)", "exit-code-137-oom-killed"),
            ("📋", ""),
            ("  --weird__name--  ", "weird__name"),
        ];
        for (text, expected) in cases {
            let id = slug(text);
            assert_eq!(id, expected, "{text}");
            assert_eq!(mdbook_id(&id), id, "slug must be a fixed point");
        }
    }

    #[test]
    fn long_slugs_cut_at_word_boundary() {
        let id =
            slug("service ma-app-service is unable to consistently start tasks because of reasons");
        assert!(id.chars().count() <= MAX_SLUG_CHARS, "{id}");
        assert!(!id.ends_with('-'));
        assert_eq!(
            id,
            "service-ma-app-service-is-unable-to-consistently-start-tasks"
        );
    }

    #[test]
    fn validity() {
        assert!(is_valid_id("ecr-push-pull"));
        assert!(is_valid_id("coûts"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("Has Caps"));
        assert!(!is_valid_id("a.b"));
    }

    #[test]
    fn stable_unique_starts_at_two() {
        let mut ids = UniqueIds::stable();
        assert_eq!(ids.unique("x"), "x");
        assert_eq!(ids.unique("x"), "x-2");
    }
}
