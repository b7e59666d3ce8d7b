//! The search of a French site: its index rebuilt with French terms, and
//! the script that treats queries the same way.
//!
//! mdbook-html indexes every language with elasticlunr's English pipeline,
//! and its query side trims words with an ASCII-only pattern, so the two
//! disagree on accented words (`expiré` found nothing) and French
//! inflections never meet (`réseaux` and `réseau`). For a French language
//! the build rebuilds the index mdbook-html wrote (`searchindex*.js`, or
//! `searchindex*.json`) from the documents it stores, with the terms of
//! [`french`]: same documents, same URLs, same options, only the terms
//! change, and the index names the `runbook-fr` pipeline. [`french_script`]
//! is the query side: `runbook-search-fr.js`, which the page template loads
//! after elasticlunr. Other languages keep mdBook's index and pipeline.
//!
//! In every language, the headings and chapter names the index stores for
//! display are HTML-escaped ([`escape_stored_headings`]): mdBook's search
//! puts a result's breadcrumbs into the page as HTML, so a heading that
//! reads `&lt;img onerror=…&gt;` or `</script>` became markup there.

use super::french;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The query-side script's file name, at the root of a language's pages.
pub const SCRIPT_NAME: &str = "runbook-search-fr.js";

/// The name of the pipeline the rebuilt index names, and the script
/// registers.
pub const PIPELINE_NAME: &str = "runbook-fr";

/// Whether the pages in `language` get the French search.
pub fn is_french(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case("fr")
}

/// The query side, `runbook-search-fr.js`, with the folds and stop words of
/// [`french`] written in.
pub fn french_script() -> Result<String> {
    let folds: serde_json::Map<String, Value> = french::FOLDS
        .iter()
        .map(|(letter, replacement)| (letter.to_string(), json!(replacement)))
        .collect();
    let mut handlebars = handlebars::Handlebars::new();
    handlebars.set_strict_mode(true);
    handlebars.register_escape_fn(handlebars::no_escape);
    let data = json!({
        "folds": serde_json::to_string(&folds)?,
        "stop_words": serde_json::to_string(french::STOP_WORDS)?,
        "max_term_bytes": french::MAX_TERM_BYTES,
    });
    handlebars
        .render_template(include_str!("../../templates/search/french.js.hbs"), &data)
        .context("rendering the French search script")
}

/// Rewrites every search index mdbook-html wrote at the root of `pages`:
/// the stored headings escaped, and with `french`, the terms rebuilt with
/// French ones. Returns the files rewritten (none when search is off).
pub fn rewrite_indexes(pages: &Path, french: bool) -> Result<Vec<PathBuf>> {
    let mut rewritten = Vec::new();
    let entries =
        std::fs::read_dir(pages).with_context(|| format!("reading {}", pages.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("searchindex") && (n.ends_with(".js") || n.ends_with(".json"))
            })
        })
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let is_js = path.extension().is_some_and(|e| e == "js");
        let json = if is_js {
            unwrap_js(&text).with_context(|| format!("{}: not a search index", path.display()))?
        } else {
            text
        };
        let invalid = || format!("{}: not a search index (invalid JSON)", path.display());
        let rebuilt = if french {
            rebuild(&json).with_context(|| format!("rebuilding {}", path.display()))?
        } else {
            // Most books' headings need no escaping: the index is only
            // read through then, not rewritten.
            if !stored_headings_need_escaping(&json).with_context(invalid)? {
                continue;
            }
            let mut index: Value = serde_json::from_str(&json).with_context(invalid)?;
            escape_stored_headings(&mut index);
            serde_json::to_string(&index)?
        };
        let out = if is_js { wrap_js(&rebuilt) } else { rebuilt };
        std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
        rewritten.push(path);
    }
    Ok(rewritten)
}

const JS_PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const JS_SUFFIX: &str = "'));";

/// The JSON text inside mdbook-html's `searchindex.js`, which quotes it in a
/// single-quoted string with `\` and `'` escaped.
fn unwrap_js(text: &str) -> Result<String> {
    let Some(quoted) = text
        .trim_end()
        .strip_prefix(JS_PREFIX)
        .and_then(|rest| rest.strip_suffix(JS_SUFFIX))
    else {
        bail!("expected `{JS_PREFIX}…{JS_SUFFIX}`, as mdbook-html 0.5 writes it");
    };
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(escaped @ ('\\' | '\'')) => out.push(escaped),
                other => bail!(
                    "unexpected escape `\\{}`",
                    other.map(String::from).unwrap_or_default()
                ),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn wrap_js(json: &str) -> String {
    format!(
        "{JS_PREFIX}{}{JS_SUFFIX}",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    )
}

/// The index with the same documents, indexed with French terms.
///
/// The result is the index elasticlunr-rs would build from the same
/// documents with the French terms (the tests hold it to that), written
/// directly: postings are gathered per term first and the trie is made
/// once per distinct term and written out as JSON text, which is several
/// times faster than adding every token to elasticlunr's trie, and each
/// token is turned into its term once. Returns the JSON text of the whole
/// search object, its members in their order.
fn rebuild(json: &str) -> Result<String> {
    let members: Members = serde_json::from_str(json).context("not a JSON object")?;
    let index = members.get("index").context("no `index` member")?;
    // Only what the French index is made from; mdbook-html's own inverted
    // index, most of the text, is skipped unread.
    let index: StoredIndex =
        serde_json::from_str(index.get()).context("`index` is not an object")?;
    let fields: Vec<String> = serde_json::from_value(index.fields.unwrap_or(Value::Null))
        .context("`index.fields` is not a list of names")?;
    let ref_field = index
        .ref_field
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or("id")
        .to_string();
    let docs = index
        .document_store
        .as_ref()
        .and_then(|store| store.docs.as_ref())
        .and_then(Value::as_object)
        .context("no stored documents (`index.documentStore.docs`)")?;
    let mut unique = fields.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != fields.len() || fields.contains(&ref_field) {
        bail!("`index.fields` names a field twice, or names the reference field");
    }
    let version = index.version.unwrap_or_else(|| json!(ELASTICLUNR_VERSION));
    let mut terms = Terms::default();
    // Per field: term → (document, term frequency), documents in the order
    // they are added.
    let mut postings: Vec<HashMap<String, Vec<(&str, f64)>>> = vec![HashMap::new(); fields.len()];
    let mut doc_info: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut stored: BTreeMap<&str, BTreeMap<&str, Cow<str>>> = BTreeMap::new();
    // Numeric references in their numeric order, as mdbook-html adds them.
    let mut refs: Vec<&String> = docs.keys().collect();
    refs.sort_by_key(|r| (r.parse::<u64>().unwrap_or(u64::MAX), r.as_str()));
    for doc_ref in refs {
        let doc = &docs[doc_ref];
        let mut values = BTreeMap::from([(ref_field.as_str(), Cow::from(doc_ref.as_str()))]);
        let info = doc_info.entry(doc_ref).or_default();
        // As elasticlunr-rs 3.0 counts (the version mdBook 0.5 builds its
        // index with): a field's counts carry on from the fields before
        // it, so `body` also holds the terms of `title`, and the index of
        // a French book ranks as mdBook's own would.
        let mut counts: HashMap<Rc<str>, u32> = HashMap::new();
        for (field, postings) in fields.iter().zip(&mut postings) {
            let value = doc.get(field).and_then(Value::as_str).unwrap_or("");
            values.insert(field, stored_value(field, value));
            let mut length = 0;
            for token in french::tokenize(value) {
                if let Some(term) = terms.of(token) {
                    *counts.entry(term).or_default() += 1;
                    length += 1;
                }
            }
            info.insert(field, length);
            // References are unique keys: each document comes once.
            for (term, count) in &counts {
                let docs = postings.entry(term.to_string()).or_default();
                docs.push((doc_ref, f64::from(*count).sqrt()));
            }
        }
        stored.insert(doc_ref, values);
    }
    // Fields by name, as elasticlunr keeps them.
    let mut tries = BTreeMap::new();
    for (field, postings) in fields.iter().zip(postings) {
        let mut root = Trie::default();
        for (term, docs) in postings {
            root.insert(&term, docs);
        }
        tries.insert(field.as_str(), root);
    }
    // The search object as serde_json writes it, with the index written in
    // place, members in elasticlunr's order.
    let mut out = Vec::with_capacity(1 << 20);
    out.push(b'{');
    for (i, (key, value)) in members.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, key)?;
        out.push(b':');
        if key != "index" {
            out.extend_from_slice(value.get().as_bytes());
            continue;
        }
        out.extend_from_slice(b"{\"fields\":");
        serde_json::to_writer(&mut out, &fields)?;
        out.extend_from_slice(b",\"pipeline\":");
        serde_json::to_writer(&mut out, &[PIPELINE_NAME])?;
        out.extend_from_slice(b",\"ref\":");
        serde_json::to_writer(&mut out, &ref_field)?;
        out.extend_from_slice(b",\"version\":");
        serde_json::to_writer(&mut out, &version)?;
        out.extend_from_slice(b",\"index\":{");
        for (j, (field, trie)) in tries.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, field)?;
            out.extend_from_slice(b":{\"root\":");
            trie.write_json(&mut out)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"},\"documentStore\":{\"save\":true,\"docs\":");
        serde_json::to_writer(&mut out, &stored)?;
        out.extend_from_slice(b",\"docInfo\":");
        serde_json::to_writer(&mut out, &doc_info)?;
        write!(out, ",\"length\":{}}},\"lang\":", stored.len())?;
        serde_json::to_writer(&mut out, LANGUAGE_NAME)?;
        out.push(b'}');
    }
    out.push(b'}');
    Ok(String::from_utf8(out)?)
}

/// The fields of a stored document that mdBook's searcher shows as HTML.
const SHOWN_AS_HTML: [&str; 2] = ["breadcrumbs", "title"];

/// A stored document's `field`, escaped if the searcher shows it as HTML.
fn stored_value<'a>(field: &str, value: &'a str) -> Cow<'a, str> {
    if SHOWN_AS_HTML.contains(&field) {
        escape_html(value)
    } else {
        Cow::Borrowed(value)
    }
}

/// Whether a stored document's `breadcrumbs` or `title` in the search
/// index `json` holds a character to escape; mdbook-html's inverted index
/// is skipped unread.
fn stored_headings_need_escaping(json: &str) -> Result<bool> {
    let members: Members = serde_json::from_str(json)?;
    let Some(index) = members.get("index") else {
        return Ok(false);
    };
    let index: StoredIndex = serde_json::from_str(index.get())?;
    let docs = index
        .document_store
        .and_then(|store| store.docs)
        .unwrap_or(Value::Null);
    Ok(docs.as_object().is_some_and(|docs| {
        docs.values().any(|doc| {
            SHOWN_AS_HTML.iter().any(|field| {
                doc.get(field)
                    .and_then(Value::as_str)
                    .is_some_and(|text| matches!(escape_html(text), Cow::Owned(_)))
            })
        })
    }))
}

/// HTML-escapes the `breadcrumbs` and `title` of every stored document:
/// mdBook's searcher writes the breadcrumbs into the results as HTML (it
/// escapes the body itself). The terms, already indexed, are unchanged.
/// Returns whether anything needed escaping.
fn escape_stored_headings(search: &mut Value) -> bool {
    let Some(docs) = search
        .pointer_mut("/index/documentStore/docs")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    let mut changed = false;
    for doc in docs.values_mut() {
        for field in SHOWN_AS_HTML {
            if let Some(Value::String(text)) = doc.get_mut(field)
                && let Cow::Owned(escaped) = escape_html(text)
            {
                *text = escaped;
                changed = true;
            }
        }
    }
    changed
}

fn escape_html(text: &str) -> Cow<'_, str> {
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

/// The members of a JSON object in their order, their values unparsed.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Members<'a> {
    /// The unparsed value of the member `key`.
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, raw)| *raw)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// What the French index is made from, in the index mdbook-html wrote.
#[derive(Deserialize)]
struct StoredIndex {
    fields: Option<Value>,
    #[serde(rename = "ref")]
    ref_field: Option<Value>,
    version: Option<Value>,
    #[serde(rename = "documentStore")]
    document_store: Option<StoredDocuments>,
}

#[derive(Deserialize)]
struct StoredDocuments {
    docs: Option<Value>,
}

/// The version elasticlunr-rs writes when mdbook-html's index has none.
const ELASTICLUNR_VERSION: &str = "0.9.5";

/// The language name the rebuilt index carries.
const LANGUAGE_NAME: &str = "French";

/// Each token's search term, computed once: words repeat a great deal.
#[derive(Default)]
struct Terms {
    known: HashMap<String, Option<Rc<str>>>,
}

impl Terms {
    fn of(&mut self, token: String) -> Option<Rc<str>> {
        self.known
            .entry(token)
            .or_insert_with_key(|token| french::term(token).map(Rc::from))
            .clone()
    }
}

/// A node of elasticlunr's inverted index: the documents of the term that
/// ends here, and the longer terms by their next character.
#[derive(Default)]
struct Trie<'d> {
    docs: Vec<(&'d str, f64)>,
    children: BTreeMap<char, Trie<'d>>,
}

impl<'d> Trie<'d> {
    fn insert(&mut self, term: &str, docs: Vec<(&'d str, f64)>) {
        let node = term
            .chars()
            .fold(self, |node, c| node.children.entry(c).or_default());
        node.docs = docs;
    }

    /// The node as elasticlunr serializes it: `docs` by reference, `df`
    /// their count, then one member per next character.
    fn write_json(&self, out: &mut Vec<u8>) -> Result<()> {
        let mut docs: Vec<&(&str, f64)> = self.docs.iter().collect();
        docs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out.extend_from_slice(b"{\"docs\":{");
        for (i, (doc_ref, tf)) in docs.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, doc_ref)?;
            out.extend_from_slice(b":{\"tf\":");
            serde_json::to_writer(&mut *out, tf)?;
            out.push(b'}');
        }
        write!(out, "}},\"df\":{}", self.docs.len())?;
        let mut key = [0; 4];
        for (c, child) in &self.children {
            out.push(b',');
            serde_json::to_writer(&mut *out, c.encode_utf8(&mut key) as &str)?;
            out.push(b':');
            child.write_json(out)?;
        }
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use elasticlunr::lang::Language;
    use elasticlunr::pipeline::{Pipeline, PipelineFn};

    /// The index elasticlunr-rs builds from the same documents with the
    /// French terms: what [`rebuild`] must write.
    fn rebuild_with_elasticlunr(mut search: Value) -> Result<Value> {
        let index = search.get("index").context("no `index` member")?;
        let fields: Vec<String> =
            serde_json::from_value(index.get("fields").cloned().unwrap_or(Value::Null))
                .context("`index.fields` is not a list of names")?;
        let ref_field = index
            .get("ref")
            .and_then(Value::as_str)
            .unwrap_or("id")
            .to_string();
        let docs = index
            .pointer("/documentStore/docs")
            .and_then(Value::as_object)
            .context("no stored documents (`index.documentStore.docs`)")?;
        let mut unique = fields.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != fields.len() || fields.contains(&ref_field) {
            bail!("`index.fields` names a field twice, or names the reference field");
        }
        let mut builder =
            elasticlunr::IndexBuilder::with_language(Box::new(FoldedFrench)).set_ref(&ref_field);
        for field in &fields {
            builder = builder.add_field(field);
        }
        let mut rebuilt = builder.build();
        // Numeric references in their numeric order, as mdbook-html adds them.
        let mut refs: Vec<&String> = docs.keys().collect();
        refs.sort_by_key(|r| (r.parse::<u64>().unwrap_or(u64::MAX), r.as_str()));
        for doc_ref in refs {
            let doc = &docs[doc_ref];
            let values: Vec<&str> = fields
                .iter()
                .map(|field| doc.get(field).and_then(Value::as_str).unwrap_or(""))
                .collect();
            rebuilt.add_doc(doc_ref, values);
        }
        search["index"] = serde_json::to_value(&rebuilt)?;
        Ok(search)
    }

    /// elasticlunr's view of [`french`]: its tokenizer, and one pipeline step
    /// that folds, drops stop words and stems.
    struct FoldedFrench;

    impl Language for FoldedFrench {
        fn name(&self) -> String {
            "French".into()
        }

        fn code(&self) -> String {
            "fr".into()
        }

        fn tokenize(&self, text: &str) -> Vec<String> {
            french::tokenize(text)
        }

        fn make_pipeline(&self) -> Pipeline {
            Pipeline {
                queue: vec![Box::new(FrenchTerm)],
            }
        }
    }

    struct FrenchTerm;

    impl PipelineFn for FrenchTerm {
        fn name(&self) -> String {
            PIPELINE_NAME.into()
        }

        fn filter(&self, token: String) -> Option<String> {
            french::term(&token)
        }
    }

    fn mdbook_like_index() -> Value {
        json!({
            "doc_urls": ["a.html#x", "a.html#y"],
            "results_options": {"limit_results": 30, "teaser_word_count": 30},
            "search_options": {"bool": "OR", "expand": true, "fields": {}},
            "index": {
                "version": "0.9.5",
                "fields": ["title", "body", "breadcrumbs"],
                "ref": "id",
                "documentStore": {"save": true, "length": 2, "docInfo": {}, "docs": {
                    "0": {"id": "0", "title": "Réseau", "body": "Les réseaux privés l'exigent.", "breadcrumbs": "A » Réseau"},
                    "1": {"id": "1", "title": "Tâches", "body": "Une tâche a expiré.", "breadcrumbs": "A » Tâches"}
                }},
                "index": {}, "pipeline": ["trimmer", "stopWordFilter", "stemmer"], "lang": "English"
            }
        })
    }

    /// A search index like mdbook-html's with `count` documents made of
    /// French words, accents, stop words, numbers, punctuation, repeats,
    /// empty fields and an overlong token.
    fn varied_index(count: usize) -> Value {
        let words = [
            "Réseau",
            "réseaux",
            "les",
            "tâche",
            "tâches",
            "expirée",
            "expiré",
            "ECS",
            "l'image",
            "CannotPullContainerError",
            "503",
            "élevée",
            "œuvre",
            "naïf",
            "Ça",
            "d'accès",
            "et",
            "sécurité",
            "ÉTAT",
            "x",
            "--force-new-deployment",
            "awsvpc",
            "aujourd’hui",
        ];
        let long = "a".repeat(90);
        let mut docs = serde_json::Map::new();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for i in 0..count {
            let mut text = |n: usize| {
                (0..n)
                    .map(|_| words[next() % words.len()])
                    .collect::<Vec<_>>()
                    .join(if next() % 3 == 0 { ", " } else { " " })
            };
            let body = match i % 7 {
                0 => String::new(),
                1 => format!("{} {long}", text(5)),
                _ => text(3 + i % 40),
            };
            docs.insert(
                i.to_string(),
                json!({"id": i.to_string(), "title": text(2), "body": body, "breadcrumbs": text(3)}),
            );
        }
        let mut index = mdbook_like_index();
        index["index"]["documentStore"]["docs"] = Value::Object(docs);
        index["index"]["documentStore"]["length"] = json!(count);
        index
    }

    #[test]
    fn the_rebuilt_index_is_the_one_elasticlunr_builds() {
        for index in [mdbook_like_index(), varied_index(1), varied_index(250)] {
            let ours = rebuild(&index.to_string()).unwrap();
            // elasticlunr's index, with the stored headings escaped.
            let mut theirs = rebuild_with_elasticlunr(index).unwrap();
            escape_stored_headings(&mut theirs);
            let theirs = serde_json::to_string(&theirs).unwrap();
            if let Some(at) = ours.bytes().zip(theirs.bytes()).position(|(a, b)| a != b) {
                panic!(
                    "the indexes differ at byte {at}: ours …{}… elasticlunr's …{}…",
                    &ours[at.saturating_sub(80)..(at + 80).min(ours.len())],
                    &theirs[at.saturating_sub(80)..(at + 80).min(theirs.len())]
                );
            }
            assert_eq!(ours.len(), theirs.len());
        }
    }

    #[test]
    fn rebuilt_index_holds_french_terms_and_keeps_the_rest() {
        let rebuilt: Value =
            serde_json::from_str(&rebuild(&mdbook_like_index().to_string()).unwrap()).unwrap();
        assert_eq!(rebuilt["doc_urls"], json!(["a.html#x", "a.html#y"]));
        assert_eq!(rebuilt["search_options"]["bool"], "OR");
        let index = &rebuilt["index"];
        assert_eq!(index["pipeline"], json!([PIPELINE_NAME]));
        assert_eq!(
            index["documentStore"]["docs"]["1"]["body"],
            "Une tâche a expiré."
        );
        // The trie of `body`: `reseau` leads to document 0, `tach` and
        // `expir` to document 1; stop words are not there.
        let body = &index["index"]["body"]["root"];
        let node = |word: &str| {
            word.chars()
                .try_fold(body, |node, c| node.get(c.to_string()))
                .and_then(|node| node.get("docs"))
                .cloned()
        };
        assert!(node("reseau").unwrap().get("0").is_some(), "{body}");
        assert!(node("tach").unwrap().get("1").is_some());
        assert!(node("expir").unwrap().get("1").is_some());
        assert!(node("priv").unwrap().get("0").is_some(), "privés → priv");
        assert!(node("l").is_none(), "l' is a stop word");
        assert!(node("les").is_none_or(|d| d.as_object().unwrap().is_empty()));
    }

    #[test]
    fn only_an_index_with_markup_in_its_headings_is_rewritten() {
        let plain = mdbook_like_index();
        assert!(!stored_headings_need_escaping(&plain.to_string()).unwrap());
        let mut marked = plain;
        marked["index"]["documentStore"]["docs"]["1"]["title"] = json!("</script> & co");
        assert!(stored_headings_need_escaping(&marked.to_string()).unwrap());
        assert!(escape_stored_headings(&mut marked));
        assert_eq!(
            marked["index"]["documentStore"]["docs"]["1"]["title"],
            "&lt;/script&gt; &amp; co"
        );
        assert!(stored_headings_need_escaping("[1, 2]").is_err());
    }

    #[test]
    fn searchindex_js_round_trips() {
        let json = r#"{"a":"it's a \\ backslash","b":"\"q\""}"#;
        let js = wrap_js(json);
        assert!(js.starts_with(JS_PREFIX) && js.ends_with(JS_SUFFIX));
        assert_eq!(unwrap_js(&js).unwrap(), json);
        assert!(unwrap_js("var x = 1;").is_err());
        assert!(unwrap_js(&format!("{JS_PREFIX}\\x{JS_SUFFIX}")).is_err());
    }

    #[test]
    fn malformed_indexes_are_errors_not_panics() {
        for bad in [
            json!([]),
            json!({}),
            json!({"index": {"fields": "x"}}),
            json!({"index": {"fields": ["a", "a"], "documentStore": {"docs": {}}}}),
            json!({"index": {"fields": ["id"], "ref": "id", "documentStore": {"docs": {}}}}),
            json!({"index": {"fields": ["a"], "documentStore": {"docs": []}}}),
        ] {
            assert!(rebuild(&bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn french_languages() {
        assert!(is_french("fr") && is_french("fr-CA") && is_french("FR_be"));
        assert!(!is_french("en") && !is_french("frr") && !is_french(""));
    }

    #[test]
    fn the_script_carries_the_folds_and_stop_words() {
        let script = french_script().unwrap();
        assert!(script.contains(r#""é":"e""#), "{}", &script[..600]);
        assert!(script.contains(r#""etaient""#));
        assert!(script.contains(&format!("'{PIPELINE_NAME}'")));
        assert!(!script.contains("{{"));
    }
}
