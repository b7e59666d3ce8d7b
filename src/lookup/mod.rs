//! Error text → the FAQ entries that explain it, each with a confidence:
//! what `mdbook-runbook lookup` does. Pure: an index and a text in, hits
//! out; no I/O. A [`Scorer`] analyses the index once, for many texts.
//!
//! The `text` module normalises the error text and the entries the same way:
//! volatile details replaced (ARNs keep their service; account ids,
//! regions, timestamps, hex ids go), accents folded, stop words dropped,
//! "no"/"not"/"pas" made one word, light stemming (`checks`, `checked` →
//! `check`; `expired`, `expiré` → `expir`). A `CamelCase` identifier
//! (`CannotPullContainerError`, `executionRoleArn`) is one unit that the
//! text matches whole or written out as words.
//!
//! The scoring reads, for each entry, how much of its own wording of the
//! error the text says: its quoted messages (printed text) and its title (a
//! symptom's title, the author's paraphrase, counts 0.9). Each word weighs
//! its rarity across the entries (BM25's IDF over the index), halved for
//! words every error message uses ("error", "failed", "not found", the
//! verbs of API operations). A phrase the text says only in part must still
//! carry about ln N of weight, what it takes to tell one entry among N
//! apart; a phrase found whole always counts. The words of the
//! entry's section title qualify its phrases ("Task definition: invalid CPU
//! …"): they count when the text says them. What the best phrase lacks, the
//! rest of the entry (causes, tags, commands and the AWS operations they
//! call) can make up in part, by the share of the text's other indexed
//! words it also uses, up to 0.4 of the gap: never enough on its own.
//!
//! AWS API errors (`An error occurred (Code) when calling the Op
//! operation: …`, `Code: message` from the SDKs) are read as such: an
//! exception name such as `ResourceNotFoundException` is shared by many
//! operations of many services, so it counts for 0.4 alone and fully only
//! when the rest of the entry's phrase is in the text too (the logs entry
//! for "… PutLogEvents … log group does not exist", not for "…
//! GetSecretValue … can't find the secret"). The operation is an
//! identifier like any other: its words meet the entry's section title and
//! causes, its name the operations of the entry's commands.
//!
//! At or above [`CONFIDENCE_THRESHOLD`] an entry explains the text; when
//! none does, the answer is [`Lookup::NoEntry`]. Ties between entries that
//! all explain a text go to the one whose phrases and section say the most.

mod api;
pub mod render;
mod score;
mod text;

pub use api::{ApiError, api_error};
pub use text::{normalize, tokens};

use crate::faq::{FaqEntry, FaqIndex};
use score::{Corpus, Evidence};
use serde::Serialize;
use text::Query;

/// The confidence at or above which an entry explains a text: half the
/// weighted evidence of one of its phrases, or somewhat less with the rest
/// of the entry agreeing.
pub const CONFIDENCE_THRESHOLD: f64 = 0.5;

/// Texts longer than this are cut (a pasted log can be huge; the error is
/// near its start or its end, and both ends are kept).
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// One ranked answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// 0.0 to 1.0; at or above [`CONFIDENCE_THRESHOLD`] the entry explains
    /// the text.
    pub confidence: f64,
    /// The confidence in percent, one decimal (what the text output shows).
    pub score: f64,
    pub url: &'a str,
    #[serde(skip)]
    pub entry: &'a FaqEntry,
}

/// What [`lookup`] concluded.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    /// Entries that explain the text (each at or above
    /// [`CONFIDENCE_THRESHOLD`]), best first; never empty.
    Explained(Vec<Hit<'a>>),
    /// No entry explains the text; the nearest ones (below the threshold,
    /// possibly none), best first, for a "closest entries" hint.
    NoEntry { nearest: Vec<Hit<'a>> },
}

impl<'a> Lookup<'a> {
    /// The entries that explain the text; empty for [`Lookup::NoEntry`].
    pub fn hits(&self) -> &[Hit<'a>] {
        match self {
            Lookup::Explained(hits) => hits,
            Lookup::NoEntry { .. } => &[],
        }
    }

    pub fn is_explained(&self) -> bool {
        matches!(self, Lookup::Explained(_))
    }
}

/// Iterates over the entries that explain the text (none for
/// [`Lookup::NoEntry`]).
impl<'a> IntoIterator for Lookup<'a> {
    type Item = Hit<'a>;
    type IntoIter = std::vec::IntoIter<Hit<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        match self {
            Lookup::Explained(hits) => hits.into_iter(),
            Lookup::NoEntry { .. } => Vec::new().into_iter(),
        }
    }
}

/// An index made ready for lookups: its entries analysed and its words'
/// rarity counted once, for any number of texts (`doctor` matches every
/// piece of evidence against the same index). [`lookup`] and [`rank`] build
/// one per call.
pub struct Scorer<'a> {
    index: &'a FaqIndex,
    corpus: Corpus,
}

impl<'a> Scorer<'a> {
    pub fn new(index: &'a FaqIndex) -> Scorer<'a> {
        Scorer {
            index,
            corpus: Corpus::of(index),
        }
    }

    /// The entries that explain `text`, or [`Lookup::NoEntry`] with the
    /// nearest ones when none reaches [`CONFIDENCE_THRESHOLD`].
    pub fn lookup(&self, text: &str) -> Lookup<'a> {
        let ranked = self.rank(text);
        if ranked
            .first()
            .is_some_and(|h| h.confidence >= CONFIDENCE_THRESHOLD)
        {
            Lookup::Explained(
                ranked
                    .into_iter()
                    .filter(|h| h.confidence >= CONFIDENCE_THRESHOLD)
                    .collect(),
            )
        } else {
            Lookup::NoEntry { nearest: ranked }
        }
    }

    /// Every entry with some evidence for `text`, best first, whatever its
    /// confidence.
    pub fn rank(&self, text: &str) -> Vec<Hit<'a>> {
        let query = Query::of(&bounded(text));
        let mut scored: Vec<(Evidence, &'a FaqEntry)> = self
            .index
            .entries
            .iter()
            .zip(self.corpus.evidence_for_each(&query))
            .map(|(entry, evidence)| (evidence, entry))
            .filter(|(evidence, _)| evidence.confidence > 0.0)
            .collect();
        scored.sort_by(|(a, x), (b, y)| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(b.specificity.total_cmp(&a.specificity))
                .then(b.contiguous.cmp(&a.contiguous))
                .then(b.context.total_cmp(&a.context))
                .then(x.id.cmp(&y.id))
        });
        scored
            .into_iter()
            .map(|(evidence, entry)| Hit {
                id: &entry.id,
                title: &entry.title,
                confidence: evidence.confidence,
                score: (evidence.confidence * 1000.0).round() / 10.0,
                url: &entry.url,
                entry,
            })
            .collect()
    }
}

/// The entries that explain `text`, or [`Lookup::NoEntry`] with the nearest
/// ones when none reaches [`CONFIDENCE_THRESHOLD`]. For more than one text
/// against the same index, build a [`Scorer`] once.
pub fn lookup<'a>(index: &'a FaqIndex, text: &str) -> Lookup<'a> {
    Scorer::new(index).lookup(text)
}

/// Every entry with some evidence for `text`, best first, whatever its
/// confidence. For more than one text against the same index, build a
/// [`Scorer`] once.
pub fn rank<'a>(index: &'a FaqIndex, text: &str) -> Vec<Hit<'a>> {
    Scorer::new(index).rank(text)
}

/// The first and last [`MAX_TEXT_BYTES`] / 2 of a long text.
fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_TEXT_BYTES {
        return text.into();
    }
    let half = MAX_TEXT_BYTES / 2;
    let head = floor_char_boundary(text, half);
    let tail = floor_char_boundary(text, text.len() - half);
    format!("{}\n{}", &text[..head], &text[tail..]).into()
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An entry with only what the matcher reads, for tests.
#[cfg(test)]
fn test_entry(id: &str, kind: &str, title: &str, matches: &[&str], section: &str) -> FaqEntry {
    use crate::faq::{SectionRef, SourceRef};
    FaqEntry {
        id: id.into(),
        section: SectionRef {
            id: "s".into(),
            title: section.into(),
        },
        title: title.into(),
        kind: kind.into(),
        matches: matches.iter().map(|m| m.to_string()).collect(),
        causes: Vec::new(),
        solutions_markdown: String::new(),
        commands: Vec::new(),
        tags: Vec::new(),
        url: format!("page.html#{id}"),
        source: SourceRef {
            file: "page.md".into(),
            line: 1,
        },
        script: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small index, not the guide: the principles, not its wording.
    fn index() -> FaqIndex {
        let e = |id, title: &'static str, section| {
            test_entry(id, "error-message", title, &[title], section)
        };
        FaqIndex {
            schema_version: 1,
            language: "en".into(),
            entries: vec![
                e("disk", "No space left on device", "Storage"),
                e("dns", "Temporary failure in name resolution", "Network"),
                e("cert", "x509: certificate has expired", "TLS"),
                e("queue", "QueueDoesNotExistException", "Messaging"),
                e("db", "Too many connections for role", "Database"),
                test_entry("slow", "symptom", "Pages load slowly", &[], "Performance"),
            ],
        }
    }

    fn answer(text: &str) -> Option<String> {
        lookup(&index(), text)
            .into_iter()
            .next()
            .map(|h| h.id.to_string())
    }

    #[test]
    fn a_phrase_found_whole_explains_the_text() {
        let text = "write /var/lib/docker/tmp/x: no space left on device";
        assert_eq!(answer(text).as_deref(), Some("disk"));
        let index = index();
        assert!(lookup(&index, text).hits()[0].confidence >= CONFIDENCE_THRESHOLD);
        assert_eq!(
            answer("Pages load slowly since Monday").as_deref(),
            Some("slow")
        );
    }

    #[test]
    fn one_word_of_a_phrase_does_not() {
        for text in ["the device is busy", "role not found", "exec format error"] {
            assert!(!lookup(&index(), text).is_explained(), "{text}");
        }
    }

    #[test]
    fn an_api_exception_name_needs_its_message() {
        // The entry quotes only the name: with a message that says it
        // again, it explains the text; alone, or with a message about
        // something else, it does not.
        let agreeing = "An error occurred (QueueDoesNotExistException) when calling the GetQueueUrl operation: The specified queue does not exist.";
        assert_eq!(answer(agreeing).as_deref(), Some("queue"));
        assert_eq!(answer("QueueDoesNotExistException"), None);
        let bare = "QueueDoesNotExistException: too many connections for the database role";
        assert_eq!(answer(bare).as_deref(), Some("db"));
        let bare = "QueueDoesNotExistException: the session was closed by the peer";
        let index = index();
        let nearest = match lookup(&index, bare) {
            Lookup::NoEntry { nearest } => nearest,
            Lookup::Explained(_) => unreachable!(),
        };
        assert_eq!(nearest[0].id, "queue");
        assert!(nearest[0].confidence < CONFIDENCE_THRESHOLD);
    }

    #[test]
    fn lookup_results_iterate_over_explaining_entries_only() {
        let index = index();
        let explained = lookup(&index, "no space left on device");
        assert!(explained.is_explained());
        assert_eq!(explained.hits().len(), 1);
        assert_eq!(explained.into_iter().count(), 1);
        let none = lookup(&index, "segmentation fault");
        assert_eq!(none.hits().len(), 0);
        assert_eq!(none.into_iter().count(), 0);
    }

    #[test]
    fn lookup_confidences_do_not_depend_on_hash_order() {
        // Sums over hash maps came out in each map's own random order, so
        // the same text could get confidences a few ulps apart (and ties
        // ordered either way) from one call to the next.
        let mut index = index();
        for entry in &mut index.entries {
            entry.causes = vec![
                "expired token for the queue role on the device".into(),
                "certificate of the database network storage".into(),
            ];
            entry.tags = vec!["queue".into(), "storage".into(), "dns".into()];
        }
        let texts = [
            "x509: certificate has expired or the token for the queue role on the device",
            "too many connections: database storage network name resolution role queue",
            "QueueDoesNotExistException: no space left on the device of the database",
        ];
        for text in texts {
            let ranks: Vec<Vec<(String, u64, u64)>> = (0..200)
                .map(|_| {
                    let scorer = Scorer::new(&index);
                    scorer
                        .rank(text)
                        .iter()
                        .map(|h| (h.id.to_string(), h.confidence.to_bits(), h.score.to_bits()))
                        .collect()
                })
                .collect();
            assert!(ranks.iter().all(|r| r == &ranks[0]), "{text}: {ranks:?}");
        }
    }

    #[test]
    fn long_texts_keep_both_ends() {
        let text = format!("head {} tail", "é".repeat(MAX_TEXT_BYTES));
        let kept = bounded(&text);
        assert!(kept.len() <= MAX_TEXT_BYTES + 1);
        assert!(kept.starts_with("head ") && kept.ends_with(" tail"));
    }
}
