//! Scoring: how much of each entry's own wording a text says, weighted by
//! how rare each word is among the entries, and how much the rest of the
//! entry agrees with the rest of the text.

use super::CONFIDENCE_THRESHOLD;
use super::text::{EXCEPTION_STRENGTH, Query, Unit, tokens, units};
use crate::faq::{FaqEntry, FaqIndex};
use std::collections::{BTreeMap, HashMap, HashSet};

/// At most this share of what the best phrase lacks can come from the rest
/// of the entry agreeing with the text; less than the threshold, so that no
/// entry explains a text on corroboration alone.
const CONTEXT_SHARE: f64 = 0.4;

/// What the title of a symptom entry ("Targets unhealthy") counts for,
/// next to a quoted message: a paraphrase is weaker evidence than the
/// printed words, yet enough on its own.
const SYMPTOM_TITLE_WEIGHT: f64 = 0.9;

/// Words nearly every error message uses, whatever went wrong: they say
/// that something failed, not what. They weigh [`GENERIC_WEIGHT`] of their
/// rarity in the index.
#[rustfmt::skip]
const GENERIC_WORDS: &[&str] = &[
    "error", "fail", "failed", "failure", "exception", "invalid", "unable", "cannot", "denied",
    "not", "exist", "found", "unknown", "timeout", "code", "status", "reason", "cause",
    "request", "response", "specified", "occurred",
    // the verbs of API operations: what was tried, not on what
    "get", "put", "create", "delete", "update", "describe", "list", "register", "calling",
    "operation",
];

/// The last word of an error's name, its kind.
const ERROR_KINDS: &[&str] = &["exception", "error", "fault"];

/// What a generic word weighs, as a share of its rarity.
const GENERIC_WEIGHT: f64 = 0.5;

/// One of an entry's own wordings of the error.
struct Phrase {
    units: Vec<Unit>,
    /// 1.0 for printed text (a quoted message); less for the title of a
    /// symptom, which describes the problem in the author's words.
    weight: f64,
}

/// An entry, analysed once per index (see `Scorer`).
struct IndexedEntry {
    /// Its quoted messages and its title, as units.
    phrases: Vec<Phrase>,
    /// Its section's title, as units.
    section: Vec<Unit>,
    /// Every word and identifier that describes it.
    bag: HashSet<String>,
}

pub(super) struct Corpus {
    entries: Vec<IndexedEntry>,
    /// [`GENERIC_WORDS`], stemmed.
    generic: HashSet<String>,
    /// In how many entries each word occurs.
    document_frequency: HashMap<String, usize>,
}

/// How much of one phrase the text says.
#[derive(Default)]
struct PhraseMatch<'e> {
    /// 0.0 to 1.0.
    share: f64,
    /// The weight of what the text says of it (its section aside).
    said: f64,
    /// The weight of what the text says of the section's title.
    section: f64,
    /// What the text says of each unit, weighted.
    units: Vec<(&'e str, f64)>,
    contiguous: bool,
    /// Its words (and the section's words the text says).
    words: HashSet<&'e str>,
}

/// What the text says for one entry.
#[derive(Default)]
pub(super) struct Evidence {
    pub(super) confidence: f64,
    /// The weight of what the text says of all the entry's phrases it
    /// mostly says, and of its section's title: more, rarer words are more
    /// specific evidence (decides between entries of equal confidence).
    pub(super) specificity: f64,
    /// The share of the text's other indexed words the entry uses.
    pub(super) context: f64,
    /// Whether the best phrase occurs word for word.
    pub(super) contiguous: bool,
}

impl Corpus {
    pub(super) fn of(index: &FaqIndex) -> Corpus {
        let entries: Vec<IndexedEntry> = index.entries.iter().map(indexed).collect();
        let mut document_frequency: HashMap<String, usize> = HashMap::new();
        for entry in &entries {
            for word in &entry.bag {
                *document_frequency.entry(word.clone()).or_default() += 1;
            }
        }
        Corpus {
            entries,
            generic: GENERIC_WORDS.iter().flat_map(|w| tokens(w)).collect(),
            document_frequency,
        }
    }

    /// How much a word tells entries apart (BM25's inverse document
    /// frequency); 0.0 for a word no entry uses.
    fn weight(&self, word: &str) -> f64 {
        let n = self.entries.len() as f64;
        let idf = match self.document_frequency.get(word) {
            Some(&df) => (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln(),
            None => 0.0,
        };
        if self.generic.contains(word) {
            idf * GENERIC_WEIGHT
        } else {
            idf
        }
    }

    /// The evidence for each entry, in the index's order.
    pub(super) fn evidence_for_each<'c>(
        &'c self,
        query: &'c Query,
    ) -> impl Iterator<Item = Evidence> + 'c {
        self.entries
            .iter()
            .map(move |entry| self.evidence(entry, query))
    }

    fn evidence(&self, entry: &IndexedEntry, query: &Query) -> Evidence {
        let found: Vec<PhraseMatch> = entry
            .phrases
            .iter()
            .map(|phrase| self.phrase_match(phrase, &entry.section, query))
            .collect();
        let Some(best) = found
            .iter()
            .max_by(|a, b| a.share.total_cmp(&b.share).then(a.said.total_cmp(&b.said)))
            .filter(|best| best.share > 0.0)
        else {
            return Evidence::default();
        };
        // Every phrase of the entry the text mostly says, and its section:
        // the more of them, the more specific the evidence. (Sums run in
        // key order, the same on every call: not a hash map's.)
        let mut said_units: BTreeMap<&str, f64> = BTreeMap::new();
        for phrase in found.iter().filter(|p| p.share >= CONFIDENCE_THRESHOLD) {
            for &(key, said) in &phrase.units {
                let slot = said_units.entry(key).or_default();
                *slot = slot.max(said);
            }
        }
        let specificity = said_units.values().sum::<f64>() + best.section;
        // The rest of the text: the share of its other indexed words that
        // the entry also uses.
        let (mut agreeing, mut other) = (0.0, 0.0);
        for (word, &strength) in &query.strength {
            if best.words.contains(word.as_str()) {
                continue;
            }
            let weight = self.weight(word) * strength;
            other += weight;
            if entry.bag.contains(word) {
                agreeing += weight;
            }
        }
        // Corroboration is positive evidence: a text with nothing else the
        // index knows corroborates nothing.
        let context = if other == 0.0 { 0.0 } else { agreeing / other };
        Evidence {
            confidence: best.share + (1.0 - best.share) * CONTEXT_SHARE * context,
            specificity,
            context,
            contiguous: best.contiguous,
        }
    }

    /// How much of `phrase` the text says. The entry's section title
    /// qualifies the phrase ("Task definition: Invalid CPU …"): its words
    /// count when the text says them and are not missed when it does not.
    fn phrase_match<'e>(
        &self,
        phrase: &'e Phrase,
        section: &'e [Unit],
        query: &Query,
    ) -> PhraseMatch<'e> {
        let (phrase_weight, phrase) = (phrase.weight, &phrase.units);
        let in_phrase: HashSet<&str> = phrase.iter().map(|u| u.key.as_str()).collect();
        // (weight, strength, whether it is an API exception name the text
        // has whole)
        let said: Vec<(f64, f64, bool)> = phrase
            .iter()
            .map(|unit| {
                let strength = self.unit_strength(unit, query);
                let exception =
                    !unit.words.is_empty() && strength > 0.0 && strength <= EXCEPTION_STRENGTH;
                (
                    self.weight(&unit.key).max(f64::EPSILON),
                    strength,
                    exception,
                )
            })
            .collect();
        // An API exception name counts fully only with the rest of the
        // phrase: the name alone is shared by too many operations.
        let (rest_said, rest_total) = said
            .iter()
            .filter(|(_, _, exception)| !exception)
            .fold((0.0, 0.0), |(a, b), (w, s, _)| (a + w * s, b + w));
        let rest = if rest_total > 0.0 {
            rest_said / rest_total
        } else {
            0.0
        };
        let phrase_total: f64 = said.iter().map(|(w, _, _)| w).sum();
        let units: Vec<(&str, f64)> = phrase
            .iter()
            .zip(&said)
            .map(|(unit, &(w, s, exception))| {
                let s = if exception { s + (1.0 - s) * rest } else { s };
                (unit.key.as_str(), w * s)
            })
            .collect();
        let mut weight_said: f64 = units.iter().map(|(_, said)| said).sum();
        let said_by_phrase = weight_said;
        let mut total = phrase_total;
        let mut words: HashSet<&str> = HashSet::new();
        for unit in phrase {
            words.insert(&unit.key);
            words.extend(unit.words.iter().map(String::as_str));
        }
        for unit in section
            .iter()
            .filter(|u| !in_phrase.contains(u.key.as_str()))
        {
            let s = self.unit_strength(unit, query);
            if s > 0.0 {
                let w = self.weight(&unit.key) * s;
                total += w;
                weight_said += w;
                words.insert(&unit.key);
            }
        }
        if weight_said == 0.0 {
            return PhraseMatch::default();
        }
        // Telling one entry among N apart takes about ln N of evidence
        // (word weights are in the same unit): a long phrase found by one
        // of its words is not enough. A phrase found whole always is.
        let needed = (self.entries.len().max(2) as f64).ln().min(phrase_total);
        PhraseMatch {
            share: weight_said / total * (weight_said / needed).min(1.0) * phrase_weight,
            said: said_by_phrase,
            section: weight_said - said_by_phrase,
            units,
            contiguous: contiguous(phrase, &query.sequence),
            words,
        }
    }

    /// How strongly the text says a unit: an identifier counts when the text
    /// has it whole or writes its words out, one after the other.
    fn unit_strength(&self, unit: &Unit, query: &Query) -> f64 {
        let whole = query.says(&unit.key);
        if unit.words.is_empty() {
            return whole;
        }
        // Its words written out, one after the other, count as it; an
        // error's name says its kind last (`…Exception`, `…Error`), which a
        // message does not repeat ("queue does not exist").
        let statement = match unit.words.split_last() {
            Some((kind, rest)) if rest.len() >= 2 && ERROR_KINDS.contains(&kind.as_str()) => rest,
            _ => &unit.words[..],
        };
        let written = query
            .sequence
            .windows(statement.len())
            .filter(|w| w.iter().zip(statement).all(|(a, b)| a == b))
            .map(|w| w.iter().map(|word| query.says(word)).fold(1.0, f64::min))
            .fold(0.0, f64::max);
        whole.max(written)
    }
}

/// Whether the words of `phrase` occur one after the other in `sequence`.
fn contiguous(phrase: &[Unit], sequence: &[String]) -> bool {
    let words: Vec<&str> = phrase
        .iter()
        .flat_map(|u| {
            if u.words.is_empty() {
                vec![u.key.as_str()]
            } else {
                u.words.iter().map(String::as_str).collect()
            }
        })
        .collect();
    !words.is_empty()
        && sequence
            .windows(words.len())
            .any(|w| w.iter().zip(&words).all(|(a, b)| a == b))
}

fn indexed(entry: &FaqEntry) -> IndexedEntry {
    let title_weight = if entry.kind == "symptom" {
        SYMPTOM_TITLE_WEIGHT
    } else {
        1.0
    };
    let phrases: Vec<Phrase> = entry
        .matches
        .iter()
        .map(|m| (m, 1.0))
        .chain(std::iter::once((&entry.title, title_weight)))
        .map(|(text, weight)| Phrase {
            units: units(text),
            weight,
        })
        .filter(|p| !p.units.is_empty())
        .collect();
    let mut described = vec![entry.title.clone(), entry.section.title.clone()];
    described.extend(entry.matches.iter().cloned());
    described.extend(entry.causes.iter().cloned());
    described.extend(entry.tags.iter().cloned());
    // The values its commands use (`--port 5432`) describe it too.
    described.extend(entry.commands.iter().map(|c| c.command.clone()));
    let mut bag = HashSet::new();
    for text in &described {
        for unit in units(text) {
            bag.extend(unit.words.iter().cloned());
            bag.insert(unit.key);
        }
    }
    // And the AWS operations they call, as the text names them:
    // `describe-services` is the identifier `DescribeServices`.
    bag.extend(
        entry
            .commands
            .iter()
            .filter_map(|c| c.operation.as_deref())
            .map(|operation| operation.replace('-', "")),
    );
    IndexedEntry {
        phrases,
        section: units(&entry.section.title),
        bag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faq::FaqCommand;
    use crate::lookup::test_entry;

    #[test]
    fn the_operation_a_text_names_meets_the_operations_of_the_commands() {
        let mut entry = test_entry("e", "error-message", "Service not found", &[], "Services");
        entry.commands = vec![FaqCommand {
            command: "aws ecs describe-services --cluster c --services s".into(),
            program: "aws".into(),
            service: Some("ecs".into()),
            operation: Some("describe-services".into()),
            access: "read-only".into(),
        }];
        let query = Query::of(
            "An error occurred (ServiceNotFoundException) when calling the DescribeServices operation",
        );
        assert!(query.says("describeservices") > 0.0);
        assert!(indexed(&entry).bag.contains("describeservices"));
    }
}
