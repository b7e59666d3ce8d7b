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
use elasticlunr::lang::Language;
use elasticlunr::pipeline::{Pipeline, PipelineFn};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

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
        let index: Value = serde_json::from_str(&json)
            .with_context(|| format!("{}: not a search index (invalid JSON)", path.display()))?;
        let mut rebuilt = if french {
            rebuild(index).with_context(|| format!("rebuilding {}", path.display()))?
        } else {
            index
        };
        escape_stored_headings(&mut rebuilt);
        let rebuilt = serde_json::to_string(&rebuilt)?;
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
fn rebuild(mut search: Value) -> Result<Value> {
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

/// HTML-escapes the `breadcrumbs` and `title` of every stored document:
/// mdBook's searcher writes the breadcrumbs into the results as HTML (it
/// escapes the body itself). The terms, already indexed, are unchanged.
fn escape_stored_headings(search: &mut Value) {
    let Some(docs) = search
        .pointer_mut("/index/documentStore/docs")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for doc in docs.values_mut() {
        for field in ["breadcrumbs", "title"] {
            if let Some(Value::String(text)) = doc.get_mut(field) {
                *text = escape_html(text);
            }
        }
    }
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn rebuilt_index_holds_french_terms_and_keeps_the_rest() {
        let rebuilt = rebuild(mdbook_like_index()).unwrap();
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
            json!({}),
            json!({"index": {"fields": "x"}}),
            json!({"index": {"fields": ["a", "a"], "documentStore": {"docs": {}}}}),
            json!({"index": {"fields": ["id"], "ref": "id", "documentStore": {"docs": {}}}}),
            json!({"index": {"fields": ["a"], "documentStore": {"docs": []}}}),
        ] {
            assert!(rebuild(bad.clone()).is_err(), "{bad}");
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
