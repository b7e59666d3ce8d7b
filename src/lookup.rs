//! Error text → FAQ entries, ranked: what `mdbook-runbook lookup` does.
//!
//! A pasted error is full of details that change every time: ARNs, account
//! ids, regions, timestamps, task and image ids. Both the text and each
//! entry's `match` strings are normalised (lowercase, those details replaced
//! by placeholders), then scored: the whole match string found in the text
//! scores highest, then all its words found in order, then most of its words;
//! when no match string fits, words shared with the entry's title, causes
//! and tags are weighed by how rare they are across entries. No I/O here.

use crate::faq::{FaqEntry, FaqIndex};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One ranked answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub score: f64,
    pub url: &'a str,
    #[serde(skip)]
    pub entry: &'a FaqEntry,
}

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "to",
    "of",
    "in",
    "on",
    "for",
    "is",
    "are",
    "was",
    "be",
    "by",
    "and",
    "or",
    "with",
    "at",
    "this",
    "that",
    "it",
    "as",
    "from",
    "has",
    "have",
    "not",
    "no",
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "en",
    "pour",
    "par",
    "pas",
    "ne",
    "est",
    "dans",
    "sur",
    "au",
    "aux",
    "xarnx",
    "xaccountx",
    "xregionx",
    "xidx",
    "xtimex",
];

/// Splits `CamelCase` words: `CannotPullContainerError` → `Cannot Pull Container Error`.
fn split_camel(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let chars: Vec<char> = word.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_uppercase()
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Lowercases, splits `CamelCase`, and replaces volatile details with
/// placeholders (`xarnx`, `xaccountx`, `xregionx`, `xtimex`, `xidx`).
pub fn normalize(text: &str) -> String {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let word = if raw.contains("arn:") {
            raw.to_lowercase()
        } else {
            split_camel(raw).to_lowercase()
        };
        let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
        let replaced = if let Some(at) = word.find("arn:aws") {
            // The ARN's service says what the error is about; the rest varies.
            let service = word[at..].split(':').nth(2).unwrap_or_default();
            format!("{}xarnx {service}", &word[..at])
        } else if is_account(trimmed) {
            "xaccountx".to_string()
        } else if is_region(trimmed) {
            "xregionx".to_string()
        } else if is_timestamp(trimmed) {
            "xtimex".to_string()
        } else if is_hex_id(trimmed) {
            "xidx".to_string()
        } else {
            word
        };
        out.push(replaced);
    }
    out.join(" ")
}

fn is_account(word: &str) -> bool {
    word.len() == 12 && word.bytes().all(|b| b.is_ascii_digit())
}

fn is_region(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| p.len() == 1 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_timestamp(word: &str) -> bool {
    word.len() >= 10
        && word.as_bytes()[4] == b'-'
        && word.as_bytes()[7] == b'-'
        && word[..4].bytes().all(|b| b.is_ascii_digit())
}

fn is_hex_id(word: &str) -> bool {
    let hex: String = word.chars().filter(|c| *c != '-').collect();
    hex.len() >= 8
        && hex.chars().all(|c| c.is_ascii_hexdigit())
        && hex.chars().any(|c| c.is_ascii_digit())
}

/// The words of a normalised text, without stop words, plurals folded
/// (`checks` → `check`).
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !STOP_WORDS.contains(t))
        .map(stem)
        .collect()
}

fn stem(word: &str) -> String {
    match word.strip_suffix('s') {
        Some(singular) if word.chars().count() > 4 && !word.ends_with("ss") => singular.to_string(),
        _ => word.to_string(),
    }
}

/// Whether `needle` occurs in `haystack` in order (not necessarily adjacent).
fn in_order(needle: &[String], haystack: &[String]) -> bool {
    let mut rest = haystack.iter();
    needle.iter().all(|n| rest.any(|h| h == n))
}

/// Ranks the entries of `index` for `text`, best first.
pub fn lookup<'a>(index: &'a FaqIndex, text: &str) -> Vec<Hit<'a>> {
    let normalized = normalize(text);
    let text_tokens = tokens(&normalized);
    // Adjacent words also count joined (`health checks` ~ `healthcheck`).
    let joined: Vec<String> = text_tokens
        .windows(2)
        .map(|w| stem(&format!("{}{}", w[0], w[1])))
        .collect();
    let text_set: HashSet<&str> = text_tokens
        .iter()
        .chain(&joined)
        .map(String::as_str)
        .collect();

    // How rare each word is across entries.
    let bags: Vec<HashSet<String>> = index.entries.iter().map(bag).collect();
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for bag in &bags {
        for word in bag {
            *document_frequency.entry(word.as_str()).or_default() += 1;
        }
    }
    let n = index.entries.len().max(1) as f64;
    let idf =
        |word: &str| (1.0 + n / (1.0 + *document_frequency.get(word).unwrap_or(&0) as f64)).ln();

    let mut hits: Vec<Hit<'a>> = index
        .entries
        .iter()
        .zip(&bags)
        .filter_map(|(entry, bag)| {
            // Each phrase that fits adds to the score; a phrase found early
            // in the text (usually the error code) weighs more.
            let mut phrase_score: f64 = 0.0;
            let phrases = entry.matches.iter().chain(std::iter::once(&entry.title));
            for phrase in phrases {
                let phrase = normalize(phrase);
                let phrase_tokens = tokens(&phrase);
                if phrase_tokens.is_empty() {
                    continue;
                }
                let early = |at: usize| 200.0 * (1.0 - at as f64 / normalized.len().max(1) as f64);
                let score = if let Some(at) = normalized.find(&phrase) {
                    1000.0 + phrase.len() as f64 + early(at)
                } else if in_order(&phrase_tokens, &text_tokens) {
                    800.0 + 10.0 * phrase_tokens.len() as f64
                } else {
                    // Most of the phrase, counting rare words for more.
                    let found = phrase_tokens
                        .iter()
                        .filter(|t| text_set.contains(t.as_str()))
                        .count();
                    let weight: f64 = phrase_tokens.iter().map(|t| idf(t)).sum();
                    let share = phrase_tokens
                        .iter()
                        .filter(|t| text_set.contains(t.as_str()))
                        .map(|t| idf(t))
                        .sum::<f64>()
                        / weight.max(f64::EPSILON);
                    if phrase_tokens.len() >= 2 && share >= 0.6 {
                        500.0 * share + found as f64
                    } else {
                        0.0
                    }
                };
                phrase_score = if phrase_score == 0.0 {
                    score
                } else {
                    phrase_score.max(score) + 0.25 * phrase_score.min(score)
                };
            }
            let best = phrase_score;
            let shared: f64 = bag
                .iter()
                .filter(|w| text_set.contains(w.as_str()))
                .map(|w| idf(w))
                .sum();
            let total: f64 = bag.iter().map(|w| idf(w)).sum::<f64>().max(1.0);
            let similarity = 100.0 * shared / total.sqrt();
            let score = best + similarity.min(300.0);
            (score > 20.0).then_some(Hit {
                id: &entry.id,
                title: &entry.title,
                score: (score * 10.0).round() / 10.0,
                url: &entry.url,
                entry,
            })
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(b.id)));
    hits
}

/// The words that describe an entry.
fn bag(entry: &FaqEntry) -> HashSet<String> {
    let mut text = vec![entry.title.clone(), entry.section.title.clone()];
    text.extend(entry.matches.iter().cloned());
    text.extend(entry.causes.iter().cloned());
    text.extend(entry.tags.iter().cloned());
    // The values its commands use (`--port 5432`) describe it too.
    text.extend(entry.commands.iter().map(|c| c.command.clone()));
    text.iter().flat_map(|t| tokens(&normalize(t))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_volatile_details() {
        let text = "denied: User: arn:aws:iam::123456789012:user/ci is not authorized in eu-west-3 at 2024-05-01T12:00:00Z task 0a1b2c3d4e5f6789";
        assert_eq!(
            normalize(text),
            "denied: user: xarnx iam is not authorized in xregionx at xtimex task xidx"
        );
        assert_eq!(
            normalize("CannotPullContainerError ExecutionRoleArn HEALTHCHECK"),
            "cannot pull container error execution role arn healthcheck"
        );
    }

    #[test]
    fn tokens_drop_stop_words() {
        assert_eq!(
            tokens("the task is unable to place a task"),
            ["task", "unable", "place", "task"]
        );
        assert_eq!(
            tokens("health checks failed"),
            ["health", "check", "failed"]
        );
    }
}
