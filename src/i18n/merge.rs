//! `i18n update`'s merge: a fresh template into an existing catalog, the
//! way msgmerge does it, and dropping nothing silently.
//!
//! A message still in the sources keeps its translation, flags and
//! translator comments, and takes the template's references and notes. A
//! new message whose text is close to an old one (a reworded sentence)
//! starts from the old translation, marked fuzzy, with the old msgid kept as
//! `#| msgid` so a translator sees what changed. Old messages no longer in
//! the sources become obsolete `#~` entries; obsolete entries come back to
//! life when their text returns. The closeness search is bounded: past
//! [`MAX_COMPARISONS`] bigram lookups, new messages simply start
//! untranslated.

use super::po::{Catalog, Message};
use std::collections::{HashMap, HashSet};

/// How similar (0 to 1) an old msgid must be to seed a fuzzy translation.
const FUZZY_THRESHOLD: f64 = 0.6;

/// How much comparing one merge may do, in bigram lookups.
pub const MAX_COMPARISONS: usize = 50_000_000;

/// What a merge did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MergeReport {
    pub kept: usize,
    pub fuzzy_new: usize,
    pub untranslated_new: usize,
    pub obsoleted: usize,
    pub revived: usize,
}

/// Merges `template` (fresh from the sources) into `old`.
pub fn merge(template: &Catalog, old: &Catalog) -> (Catalog, MergeReport) {
    let mut report = MergeReport::default();
    let mut by_key: HashMap<(Option<&str>, &str), &Message> = HashMap::new();
    // Live messages win over obsolete ones with the same text.
    for message in old.messages.iter().filter(|m| m.obsolete) {
        by_key.insert((message.msgctxt.as_deref(), &message.msgid), message);
    }
    for message in old.messages.iter().filter(|m| !m.obsolete) {
        by_key.insert((message.msgctxt.as_deref(), &message.msgid), message);
    }
    let wanted: HashSet<(Option<&str>, &str)> = template
        .messages
        .iter()
        .map(|m| (m.msgctxt.as_deref(), m.msgid.as_str()))
        .collect();
    // Old messages that are no longer in the sources: candidates for fuzzy
    // matches, and obsolete after the merge.
    let leftovers: Vec<&Message> = old
        .messages
        .iter()
        .filter(|m| !wanted.contains(&(m.msgctxt.as_deref(), m.msgid.as_str())))
        .filter(|m| m.msgstr.iter().any(|s| !s.is_empty()))
        .collect();
    let leftover_grams: Vec<HashMap<(char, char), u32>> =
        leftovers.iter().map(|m| bigrams(&m.msgid)).collect();
    let mut comparisons = 0usize;
    let mut messages = Vec::with_capacity(template.messages.len());
    for fresh in &template.messages {
        let mut message = fresh.clone();
        match by_key.get(&(fresh.msgctxt.as_deref(), fresh.msgid.as_str())) {
            Some(existing) => {
                message.msgstr = existing.msgstr.clone();
                message.flags = existing.flags.clone();
                message.comments = existing.comments.clone();
                if existing.is_fuzzy() {
                    message.previous_msgid = existing.previous_msgid.clone();
                    message.previous_msgctxt = existing.previous_msgctxt.clone();
                }
                if existing.obsolete {
                    report.revived += 1;
                } else {
                    report.kept += 1;
                }
            }
            None => {
                let grams = bigrams(&fresh.msgid);
                let mut best: Option<(f64, usize)> = None;
                for (i, candidate) in leftover_grams.iter().enumerate() {
                    comparisons += grams.len().min(candidate.len());
                    if comparisons > MAX_COMPARISONS {
                        break;
                    }
                    let score = dice(&grams, candidate);
                    if score >= FUZZY_THRESHOLD && best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, i));
                    }
                }
                match best {
                    Some((_, i)) => {
                        let seed = leftovers[i];
                        message.msgstr = seed.msgstr.clone();
                        message.comments = seed.comments.clone();
                        message.set_fuzzy(true);
                        message.previous_msgid = Some(seed.msgid.clone());
                        message.previous_msgctxt = seed.msgctxt.clone();
                        report.fuzzy_new += 1;
                    }
                    None => report.untranslated_new += 1,
                }
            }
        }
        message.obsolete = false;
        messages.push(message);
    }
    for message in &old.messages {
        if wanted.contains(&(message.msgctxt.as_deref(), message.msgid.as_str())) {
            continue;
        }
        let mut obsolete = message.clone();
        if !obsolete.obsolete {
            report.obsoleted += 1;
        }
        obsolete.obsolete = true;
        obsolete.references.clear();
        messages.push(obsolete);
    }
    let mut merged = old.clone();
    merged.set_messages(messages);
    (merged, report)
}

/// The character bigrams of `text`, lowercase, spaces collapsed.
fn bigrams(text: &str) -> HashMap<(char, char), u32> {
    let chars: Vec<char> = text
        .split_whitespace()
        .flat_map(|w| w.chars().flat_map(char::to_lowercase).chain([' ']))
        .collect();
    let mut grams = HashMap::new();
    for pair in chars.windows(2) {
        *grams.entry((pair[0], pair[1])).or_default() += 1;
    }
    grams
}

/// Sørensen–Dice similarity of two bigram multisets.
fn dice(a: &HashMap<(char, char), u32>, b: &HashMap<(char, char), u32>) -> f64 {
    let total: u32 = a.values().sum::<u32>() + b.values().sum::<u32>();
    if total == 0 {
        return 0.0;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let common: u32 = small
        .iter()
        .map(|(gram, n)| (*n).min(large.get(gram).copied().unwrap_or(0)))
        .sum();
    f64::from(2 * common) / f64::from(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(entries: &[(&str, &str)]) -> Catalog {
        let mut catalog = Catalog::new("en", "t");
        for (id, text) in entries {
            let mut message = Message::new(*id);
            message.msgstr = vec![text.to_string()];
            catalog.push(message).unwrap();
        }
        catalog
    }

    #[test]
    fn keeps_fuzzies_and_obsoletes() {
        let old = catalog(&[
            (
                "Le token Docker a expiré ou aucun login",
                "The Docker token expired, or no login",
            ),
            ("Phrase supprimée", "Removed sentence"),
            ("Inchangé", "Unchanged"),
        ]);
        let template = catalog(&[
            ("Inchangé", ""),
            ("Le token Docker a expiré ou aucun login n'a eu lieu", ""),
            ("Tout nouveau", ""),
        ]);
        let (merged, report) = merge(&template, &old);
        assert_eq!(
            report,
            MergeReport {
                kept: 1,
                fuzzy_new: 1,
                untranslated_new: 1,
                obsoleted: 2,
                revived: 0
            }
        );
        let fuzzy = merged
            .get("Le token Docker a expiré ou aucun login n'a eu lieu")
            .unwrap();
        assert!(fuzzy.is_fuzzy());
        assert_eq!(
            fuzzy.previous_msgid.as_deref(),
            Some("Le token Docker a expiré ou aucun login")
        );
        assert_eq!(fuzzy.msgstr, ["The Docker token expired, or no login"]);
        assert_eq!(merged.get("Inchangé").unwrap().msgstr, ["Unchanged"]);
        let obsolete: Vec<&str> = merged
            .messages
            .iter()
            .filter(|m| m.obsolete)
            .map(|m| m.msgid.as_str())
            .collect();
        assert_eq!(
            obsolete,
            [
                "Le token Docker a expiré ou aucun login",
                "Phrase supprimée"
            ]
        );
        // Merging again changes nothing.
        let (again, _) = merge(&template, &merged);
        assert_eq!(again.to_po(), merged.to_po());
    }

    #[test]
    fn obsolete_entries_come_back() {
        let mut old = catalog(&[("Revenu", "Back")]);
        old.messages[0].obsolete = true;
        let old = {
            let mut c = Catalog::new("en", "t");
            c.set_messages(old.messages);
            c
        };
        let (merged, report) = merge(&catalog(&[("Revenu", "")]), &old);
        assert_eq!(report.revived, 1);
        assert_eq!(
            merged.status("Revenu"),
            super::super::Status::Translated("Back")
        );
    }

    #[test]
    fn similarity() {
        let a = bigrams("Task reste en PENDING");
        assert!(dice(&a, &bigrams("Task reste bloquée en PENDING")) > 0.6);
        assert!(dice(&a, &bigrams("Facture Fargate élevée")) < 0.3);
        assert_eq!(dice(&bigrams(""), &bigrams("")), 0.0);
    }
}
