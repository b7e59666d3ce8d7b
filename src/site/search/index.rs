//! The search index of a language, written as elasticlunr's JSON.
//!
//! mdBook's searcher loads an elasticlunr index: per field, a trie of
//! terms whose nodes hold the documents of the term ending there, plus the
//! stored documents and their field lengths. [`write`] makes that index
//! from the [`Document`]s of the pages, with the terms of the page
//! language ([`Terms`]): French terms ([`french`]) for a French language,
//! mdBook's own (its tokenizer, then elasticlunr's English trimmer, stop
//! words and stemmer) for any other, as mdBook would. The result is the
//! index elasticlunr-rs would build from the same documents (the tests hold
//! it to that, and to mdbook-html's own index), written directly: postings
//! are gathered per term first and the trie is made once per distinct term
//! and written out as JSON text, which is several times faster than adding
//! every token to elasticlunr's trie, and each distinct token is turned
//! into its term once.
//!
//! The headings and chapter names a document stores for display are
//! HTML-escaped ([`stored_value`]): mdBook's search puts a result's
//! breadcrumbs into the page as HTML, so a heading that reads
//! `<img onerror=…>` or `</script>` became markup there.

use super::pages::Document;
use crate::raw_json::Members;
use crate::site::french;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;

/// The name of the pipeline a French index names, and the French query
/// script registers.
pub const PIPELINE_NAME: &str = "runbook-fr";

/// The language name a French index carries.
const FRENCH_NAME: &str = "French";

/// The fields mdBook indexes, in its order: what a [`Document`] holds.
const FIELDS: [&str; 3] = ["title", "body", "breadcrumbs"];

/// The version elasticlunr-rs writes when mdbook-html's index has none.
const ELASTICLUNR_VERSION: &str = "\"0.9.5\"";

/// mdBook drops longer tokens from its index.
const MAX_TOKEN_BYTES: usize = 80;

/// How the words of a language become search terms, each distinct token
/// turned into its term once (words repeat a great deal), and each term
/// numbered.
pub struct Terms {
    french: bool,
    english: elasticlunr::Pipeline,
    /// Token → its term's number, `None` for a token with no term.
    known: HashMap<String, Option<u32>, BuildHasherDefault<FastHasher>>,
    /// The terms by number.
    names: Vec<String>,
    /// Term → its number.
    numbers: HashMap<String, u32, BuildHasherDefault<FastHasher>>,
}

impl Terms {
    /// The terms of a French language with `french`, else mdBook's.
    pub fn new(french: bool) -> Terms {
        use elasticlunr::Language;
        Terms {
            french,
            english: elasticlunr::lang::English::new().make_pipeline(),
            known: HashMap::default(),
            names: Vec::new(),
            numbers: HashMap::default(),
        }
    }

    /// Calls `found` with the number of each term of a field's `text`, in
    /// order.
    fn each(&mut self, text: &str, mut found: impl FnMut(u32)) {
        if self.french {
            let lower = text.to_lowercase();
            for token in lower.split(|c: char| !c.is_alphanumeric()) {
                if !token.is_empty()
                    && let Some(term) = self.of(token)
                {
                    found(term);
                }
            }
            return;
        }
        // mdBook's tokenizer: whitespace and `-` separate words, which are
        // trimmed, lowercased, and dropped when longer than 80 bytes.
        let mut lower;
        for word in text.split(|c: char| c.is_whitespace() || c == '-') {
            let word = word.trim();
            // Most words are lowercase ASCII already.
            let token = if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
                word
            } else {
                lower = word.to_lowercase();
                lower.as_str()
            };
            if !token.is_empty()
                && token.len() <= MAX_TOKEN_BYTES
                && let Some(term) = self.of(token)
            {
                found(term);
            }
        }
    }

    fn of(&mut self, token: &str) -> Option<u32> {
        if let Some(known) = self.known.get(token) {
            return *known;
        }
        let term = if self.french {
            french::term(token)
        } else {
            self.english.run(vec![token.to_string()]).pop()
        };
        let number = term.map(|term| match self.numbers.get(&term) {
            Some(&number) => number,
            None => {
                let number = self.names.len() as u32;
                self.numbers.insert(term.clone(), number);
                self.names.push(term);
                number
            }
        });
        self.known.insert(token.to_string(), number);
        number
    }
}

/// A fast hash for the short strings of a search index (not resistant to
/// chosen keys, which a book's own words are not).
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.add(word);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The search object mdbook-html wrote with no documents in it: its
/// options, and the index's own members, kept as they are.
pub struct Skeleton<'a> {
    /// The members of the search object, in their order.
    members: Vec<(String, &'a RawValue)>,
    index: EmptyIndex<'a>,
}

#[derive(Deserialize)]
struct EmptyIndex<'a> {
    #[serde(borrow)]
    fields: &'a RawValue,
    #[serde(borrow)]
    pipeline: Option<&'a RawValue>,
    #[serde(rename = "ref", borrow)]
    ref_field: Option<&'a RawValue>,
    #[serde(borrow)]
    version: Option<&'a RawValue>,
    #[serde(borrow)]
    lang: Option<&'a RawValue>,
}

impl<'a> Skeleton<'a> {
    /// Reads the search object `json` (mdbook-html's, without documents).
    pub fn read(json: &'a str) -> Result<Skeleton<'a>> {
        let members: Members = serde_json::from_str(json).context("not a JSON object")?;
        let index = members.get("index").context("no `index` member")?;
        let index: EmptyIndex =
            serde_json::from_str(index.get()).context("`index` is not an index")?;
        let fields: Vec<String> = serde_json::from_str(index.fields.get())
            .context("`index.fields` is not a list of names")?;
        if fields != FIELDS {
            bail!(
                "the index has the fields {fields:?}, not {FIELDS:?}: this mdbook-html is not the one mdbook-runbook was written for"
            );
        }
        Ok(Skeleton {
            members: members.0,
            index,
        })
    }
}

/// What the index is made of, before it is written.
struct Inverted<'d> {
    docs: &'d [Document],
    refs: &'d [String],
    /// Document numbers in the order of their references (`"10"` before
    /// `"2"`).
    order: Vec<u32>,
    /// Per document, the number of terms of each field.
    lengths: Vec<[usize; 3]>,
    /// Per field, by name.
    tries: BTreeMap<&'static str, Trie>,
}

/// The JSON text of the search object: `skeleton`'s members, with the
/// document URLs and the index of `docs` in place, terms from `terms`.
pub fn write(skeleton: &Skeleton, docs: &[Document], terms: &mut Terms) -> Result<String> {
    let refs: Vec<String> = (0..docs.len()).map(|i| i.to_string()).collect();
    let inverted = invert(docs, &refs, terms);
    let mut out = Vec::with_capacity(1 << 20);
    out.push(b'{');
    for (i, (key, value)) in skeleton.members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, key)?;
        out.push(b':');
        match key.as_str() {
            "doc_urls" => serde_json::to_writer(&mut out, &Urls(docs))?,
            "index" => write_index(&mut out, skeleton, terms.french, &inverted)?,
            _ => out.extend_from_slice(value.get().as_bytes()),
        }
    }
    out.push(b'}');
    Ok(String::from_utf8(out)?)
}

/// The terms of `docs`, whose references are `refs`, gathered per field.
fn invert<'d>(docs: &'d [Document], refs: &'d [String], terms: &mut Terms) -> Inverted<'d> {
    // Per field, per term: (document, term frequency), documents in the
    // order they are added.
    let mut postings: [Vec<Vec<(u32, f64)>>; 3] = Default::default();
    let mut lengths: Vec<[usize; 3]> = Vec::with_capacity(docs.len());
    // Per term, its count in the current document; the terms counted.
    let mut counts: Vec<u32> = Vec::new();
    let mut counted: Vec<u32> = Vec::new();
    for (number, doc) in docs.iter().enumerate() {
        // As elasticlunr-rs 3.0 counts (the version mdBook 0.5 builds its
        // index with): a field's counts carry on from the fields before
        // it, so `body` also holds the terms of `title`, and the index
        // ranks as mdBook's own would.
        let mut length = [0; 3];
        for (field, value) in [&doc.title, &doc.body, &doc.breadcrumbs]
            .into_iter()
            .enumerate()
        {
            terms.each(value, |term| {
                let term = term as usize;
                if term >= counts.len() {
                    counts.resize(term + 1, 0);
                }
                if counts[term] == 0 {
                    counted.push(term as u32);
                }
                counts[term] += 1;
                length[field] += 1;
            });
            let postings = &mut postings[field];
            if postings.len() < counts.len() {
                postings.resize_with(counts.len(), Vec::new);
            }
            for &term in &counted {
                let count = counts[term as usize];
                postings[term as usize].push((number as u32, f64::from(count).sqrt()));
            }
        }
        for term in counted.drain(..) {
            counts[term as usize] = 0;
        }
        lengths.push(length);
    }
    // Documents by reference, as elasticlunr keeps them.
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    order.sort_unstable_by(|a, b| refs[*a as usize].cmp(&refs[*b as usize]));
    let mut rank = vec![0; docs.len()];
    for (place, &doc) in order.iter().enumerate() {
        rank[doc as usize] = place as u32;
    }
    // Fields by name, as elasticlunr keeps them; each field's terms in
    // the order of their characters, which is the order of the trie.
    let mut tries = BTreeMap::new();
    for (field, postings) in FIELDS.into_iter().zip(postings) {
        let mut entries: Vec<(String, Vec<(u32, f64)>)> = postings
            .into_iter()
            .enumerate()
            .filter(|(_, docs)| !docs.is_empty())
            .map(|(term, mut docs)| {
                docs.sort_unstable_by_key(|(doc, _)| rank[*doc as usize]);
                (terms.names[term].clone(), docs)
            })
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        tries.insert(field, Trie(entries));
    }
    Inverted {
        docs,
        refs,
        order,
        lengths,
        tries,
    }
}

/// The `index` member, its members in elasticlunr's order.
fn write_index(
    out: &mut Vec<u8>,
    skeleton: &Skeleton,
    french: bool,
    inverted: &Inverted,
) -> Result<()> {
    let Inverted {
        docs,
        refs,
        order,
        lengths,
        tries,
    } = inverted;
    let raw = |value: Option<&RawValue>, default: &'static str| -> Vec<u8> {
        value.map_or(default, RawValue::get).as_bytes().to_vec()
    };
    let index = &skeleton.index;
    out.extend_from_slice(b"{\"fields\":");
    out.extend_from_slice(index.fields.get().as_bytes());
    out.extend_from_slice(b",\"pipeline\":");
    if french {
        serde_json::to_writer(&mut *out, &[PIPELINE_NAME])?;
    } else {
        out.extend(raw(index.pipeline, "[]"));
    }
    out.extend_from_slice(b",\"ref\":");
    out.extend(raw(index.ref_field, "\"id\""));
    out.extend_from_slice(b",\"version\":");
    out.extend(raw(index.version, ELASTICLUNR_VERSION));
    out.extend_from_slice(b",\"index\":{");
    for (j, (field, trie)) in tries.iter().enumerate() {
        if j > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, field)?;
        out.extend_from_slice(b":{\"root\":");
        trie.write_json(out, refs)?;
        out.push(b'}');
    }
    out.extend_from_slice(b"},\"documentStore\":{\"save\":true,\"docs\":{");
    each_document(out, order, |out, i| {
        let (doc, doc_ref) = (&docs[i], &refs[i]);
        serde_json::to_writer(&mut *out, doc_ref)?;
        // A stored document's members by name, as elasticlunr keeps them.
        out.extend_from_slice(b":{\"body\":");
        serde_json::to_writer(&mut *out, &doc.body)?;
        out.extend_from_slice(b",\"breadcrumbs\":");
        serde_json::to_writer(&mut *out, &stored_value(&doc.breadcrumbs))?;
        out.extend_from_slice(b",\"id\":");
        serde_json::to_writer(&mut *out, doc_ref)?;
        out.extend_from_slice(b",\"title\":");
        serde_json::to_writer(&mut *out, &stored_value(&doc.title))?;
        out.push(b'}');
        Ok(())
    })?;
    out.extend_from_slice(b"},\"docInfo\":{");
    each_document(out, order, |out, i| {
        let [title, body, breadcrumbs] = lengths[i];
        serde_json::to_writer(&mut *out, &refs[i])?;
        write!(
            out,
            ":{{\"body\":{body},\"breadcrumbs\":{breadcrumbs},\"title\":{title}}}"
        )?;
        Ok(())
    })?;
    write!(out, "}},\"length\":{}}},\"lang\":", docs.len())?;
    if french {
        serde_json::to_writer(&mut *out, FRENCH_NAME)?;
    } else {
        out.extend(raw(index.lang, "\"English\""));
    }
    out.push(b'}');
    Ok(())
}

/// Writes one member per document, in `order`, separated by commas.
fn each_document(
    out: &mut Vec<u8>,
    order: &[u32],
    mut write: impl FnMut(&mut Vec<u8>, usize) -> Result<()>,
) -> Result<()> {
    for (n, &i) in order.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write(out, i as usize)?;
    }
    Ok(())
}

/// The documents' URLs as a JSON list.
struct Urls<'d>(&'d [Document]);

impl serde::Serialize for Urls<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|doc| &doc.url))
    }
}

/// A heading or breadcrumbs as stored for display: HTML-escaped, since
/// mdBook's searcher shows them as HTML (it escapes the body itself).
pub fn stored_value(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A field's terms and their documents (numbers, in the order of their
/// references), sorted by term: elasticlunr's inverted index, a trie with
/// one node per character, written out without being built.
struct Trie(Vec<(String, Vec<(u32, f64)>)>);

impl Trie {
    fn write_json(&self, out: &mut Vec<u8>, refs: &[String]) -> Result<()> {
        write_node(out, &self.0, 0, refs)
    }
}

/// The node of the terms that start with `entries[0]`'s first `depth`
/// bytes, as elasticlunr serializes it: `docs` of the term that ends here,
/// by reference, `df` their count, then one member per next character, in
/// the order of the characters (which UTF-8's byte order keeps).
fn write_node(
    out: &mut Vec<u8>,
    mut entries: &[(String, Vec<(u32, f64)>)],
    depth: usize,
    refs: &[String],
) -> Result<()> {
    let mut docs: &[(u32, f64)] = &[];
    if let Some((term, here)) = entries.first()
        && term.len() == depth
    {
        docs = here;
        entries = &entries[1..];
    }
    out.extend_from_slice(b"{\"docs\":{");
    for (i, (doc, tf)) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // References are numbers: nothing to escape.
        out.push(b'"');
        out.extend_from_slice(refs[*doc as usize].as_bytes());
        out.extend_from_slice(b"\":{\"tf\":");
        serde_json::to_writer(&mut *out, tf)?;
        out.push(b'}');
    }
    write!(out, "}},\"df\":{}", docs.len())?;
    while let Some((term, _)) = entries.first() {
        let next = term[depth..].chars().next().unwrap_or_default();
        let end = depth + next.len_utf8();
        let same = entries
            .iter()
            .take_while(|(other, _)| {
                other.as_bytes().get(depth..end) == term.as_bytes().get(depth..end)
            })
            .count();
        out.push(b',');
        let mut key = [0; 4];
        serde_json::to_writer(&mut *out, next.encode_utf8(&mut key) as &str)?;
        out.push(b':');
        write_node(out, &entries[..same], end, refs)?;
        entries = &entries[same..];
    }
    out.push(b'}');
    Ok(())
}
