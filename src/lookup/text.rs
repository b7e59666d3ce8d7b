//! Text → words and identifiers, the same way for an error text and for
//! the entries: volatile details replaced, accents folded, `CamelCase`
//! split, stop words dropped, negations made one word, light stemming.

use super::api::exception_names;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How strongly an AWS API exception name found in the text counts, as a
/// share of a word of the message: less than half, so that the name alone
/// never reaches the threshold (the rest of the phrase it belongs to can
/// make it count fully, see `score`).
pub(super) const EXCEPTION_STRENGTH: f64 = 0.4;

/// Words that say nothing about what went wrong, in English and French,
/// and the placeholders of [`normalize`].
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    // English
    "a", "an", "the", "to", "of", "in", "on", "for", "is", "are", "was", "were", "be", "been",
    "by", "and", "or", "with", "at", "this", "that", "it", "its", "as", "from", "has", "have",
    "had", "but", "if", "so", "can", "may", "will", "you", "your", "we", "our", "there",
    "which", "when", "into", "do", "does", "did", "any", "all", "also", "than", "then",
    "please", "see", "more", "information",
    // French
    "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "ou", "en", "pour",
    "par", "ne", "n", "est", "sont", "dans", "sur", "au", "aux", "ce", "ces", "se", "s", "qu",
    "que", "qui", "entre", "avec", "sans", "plus", "tres", "votre", "vos",
    // placeholders of `normalize`
    "xarnx", "xaccountx", "xregionx", "xidx", "xtimex",
];

/// Words that negate, in English and French: one token, `not`, so that
/// "no logs" and "pas de logs" differ from "logs".
const NEGATIONS: &[&str] = &[
    "not", "no", "non", "never", "pas", "aucun", "aucune", "jamais",
];

/// What [`normalize`] puts in place of a volatile word.
const PLACEHOLDERS: &[&str] = &["xaccountx", "xregionx", "xidx", "xtimex"];

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
        out.push(normalize_word(raw));
    }
    out.join(" ")
}

fn normalize_word(raw: &str) -> String {
    let word = if raw.contains("arn:") {
        raw.to_lowercase()
    } else {
        split_camel(raw).to_lowercase()
    };
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    if let Some(at) = word.find("arn:aws") {
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
    }
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

/// The words of a normalised text: accents folded, stop words dropped,
/// stemmed (`checks` → `check`, `failed` → `fail`, `expiré` → `expir`).
pub fn tokens(text: &str) -> Vec<String> {
    fold_accents(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !STOP_WORDS.contains(t))
        .map(|t| {
            if NEGATIONS.contains(&t) {
                "not".to_string()
            } else {
                stem(t)
            }
        })
        .collect()
}

fn fold_accents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ç' => out.push('c'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            _ => out.push(c),
        }
    }
    out
}

/// A light suffix stripper, the same for English and French words: one of
/// `ing`, `ed`, `es`, `s`, then a final `e`, keeping a stem of 3 or 4
/// letters at least.
fn stem(word: &str) -> String {
    let mut stem = word;
    let keeps = |s: &str, min: usize| s.chars().count() >= min;
    if let Some(s) = stem.strip_suffix("ing").filter(|s| keeps(s, 4)) {
        stem = s;
    } else if let Some(s) = stem.strip_suffix("ed").filter(|s| keeps(s, 4)) {
        stem = s;
    } else if !stem.ends_with("ss") && !stem.ends_with("us") {
        if let Some(s) = stem
            .strip_suffix("es")
            .filter(|s| keeps(s, 4) && (s.ends_with("ss") || s.ends_with('x')))
        {
            stem = s;
        } else if let Some(s) = stem.strip_suffix('s').filter(|s| keeps(s, 3)) {
            stem = s;
        }
    }
    if let Some(s) = stem.strip_suffix('e').filter(|s| keeps(s, 4)) {
        stem = s;
    }
    stem.to_string()
}

/// A phrase's unit: a word, or a `CamelCase` identifier with its words.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    /// The word, or the identifier lowercased in one piece.
    pub(super) key: String,
    /// The identifier's words; empty for a plain word.
    pub(super) words: Vec<String>,
}

/// The units of a text: plain words, and identifiers kept whole.
pub(super) fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let whole = normalize_word(raw);
        if raw.contains("arn:") || PLACEHOLDERS.contains(&whole.as_str()) {
            // An ARN, or a volatile detail as a whole (`eu-west-3`).
            out.extend(tokens(&whole).into_iter().map(Unit::word));
            continue;
        }
        for piece in raw
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
        {
            let camel = split_camel(piece);
            if camel.contains(' ') && piece.chars().all(|c| c.is_ascii_alphanumeric()) {
                let words = tokens(&camel.to_lowercase());
                if words.len() >= 2 {
                    out.push(Unit {
                        key: piece.to_lowercase(),
                        words,
                    });
                    continue;
                }
            }
            out.extend(tokens(&normalize_word(piece)).into_iter().map(Unit::word));
        }
    }
    out
}

impl Unit {
    fn word(key: String) -> Unit {
        Unit {
            key,
            words: Vec::new(),
        }
    }
}

/// A text, analysed once.
pub(super) struct Query {
    /// The text's words in order (identifiers split), for phrase contiguity.
    pub(super) sequence: Vec<String>,
    /// How strongly each word and identifier of the text counts: 1.0, or
    /// [`EXCEPTION_STRENGTH`] for what only an API exception name says.
    /// Ordered, so that sums over it are the same on every call.
    pub(super) strength: BTreeMap<String, f64>,
    /// Adjacent words written together (`health checks` ~ `healthcheck`).
    joined: HashMap<String, f64>,
}

impl Query {
    pub(super) fn of(text: &str) -> Query {
        let exceptions: HashSet<String> = exception_names(text)
            .into_iter()
            .map(|n| n.to_lowercase())
            .collect();
        let mut sequence = Vec::new();
        let mut strength: BTreeMap<String, f64> = BTreeMap::new();
        let mut raise = |key: &str, s: f64| {
            let slot = strength.entry(key.to_string()).or_insert(0.0);
            *slot = slot.max(s);
        };
        let mut seq_strength = Vec::new();
        for unit in units(text) {
            let s = if exceptions.contains(&unit.key) {
                EXCEPTION_STRENGTH
            } else {
                1.0
            };
            if unit.words.is_empty() {
                raise(&unit.key, s);
                sequence.push(unit.key);
                seq_strength.push(s);
            } else {
                raise(&unit.key, s);
                for word in unit.words {
                    raise(&word, s);
                    sequence.push(word);
                    seq_strength.push(s);
                }
            }
        }
        let mut joined = HashMap::new();
        for (i, pair) in sequence.windows(2).enumerate() {
            let word = stem(&format!("{}{}", pair[0], pair[1]));
            let s = seq_strength[i].min(seq_strength[i + 1]);
            let slot = joined.entry(word).or_insert(0.0f64);
            *slot = slot.max(s);
        }
        Query {
            sequence,
            strength,
            joined,
        }
    }

    /// How strongly the text says `word` (0.0 when it does not).
    pub(super) fn says(&self, word: &str) -> f64 {
        let direct = self.strength.get(word).copied().unwrap_or(0.0);
        let joined = self.joined.get(word).copied().unwrap_or(0.0);
        direct.max(joined)
    }
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
    fn tokens_drop_stop_words_and_stem() {
        assert_eq!(
            tokens("the task is unable to place a task"),
            ["task", "unabl", "plac", "task"]
        );
        assert_eq!(tokens("health checks failed"), ["health", "check", "fail"]);
        // English and French forms meet.
        assert_eq!(tokens("token expired"), tokens("token expiré"));
        let sorted = |mut t: Vec<String>| {
            t.sort();
            t
        };
        assert_eq!(
            sorted(tokens("does not exist")),
            sorted(tokens("n'existe pas"))
        );
    }

    #[test]
    fn identifiers_are_units() {
        let found = units("Invalid 'executionRoleArn'");
        assert_eq!(found[1].key, "executionrolearn");
        assert_eq!(found[1].words, ["execution", "role", "arn"]);
        assert!(units("plain words").iter().all(|u| u.words.is_empty()));
    }
}
