//! The search of every language: the index made from the pages
//! mdbook-html wrote, with the language's terms.
//!
//! mdbook-html's own index costs most of a plain `mdbook build`, and for a
//! French book it was the wrong one: it indexes every language with
//! elasticlunr's English pipeline, and its query side trims words with an
//! ASCII-only pattern, so the two disagreed on accented words (`expiré`
//! found nothing) and French inflections never met (`réseaux` and
//! `réseau`). So the build asks mdbook-html to index no chapter
//! ([`prepare`]: its search page, scripts and options stay) and writes the
//! index itself once the pages exist ([`finish`]): the sections of each
//! page ([`pages`]), as mdBook splits them, indexed with French terms for a
//! French language and with mdBook's own for any other ([`index`]).
//! [`french_script`] is the French query side, `runbook-search-fr.js`,
//! which the page template loads after elasticlunr.
//!
//! With `hash-files` (mdBook's default) the index's file name carries a
//! hash, so that browsers fetch it again when it changes; it is decided
//! before rendering, from everything the index is made of, and written
//! into the page template in place of mdbook-html's own name.

pub mod index;
pub mod pages;
#[cfg(test)]
mod tests;

use super::french;
use anyhow::{Context, Result, bail};
use mdbook_driver::book::Book;
use mdbook_driver::config::Config;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub use index::PIPELINE_NAME;

/// The query-side script's file name, at the root of a language's pages.
pub const SCRIPT_NAME: &str = "runbook-search-fr.js";

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
        .render_template(
            include_str!("../../../templates/search/french.js.hbs"),
            &data,
        )
        .context("rendering the French search script")
}

/// What a language's index is made from, decided before its pages are
/// rendered.
#[derive(Debug)]
pub struct Plan {
    /// The pages to index, in the book's order.
    chapters: Vec<PlannedChapter>,
    split_level: u8,
    french: bool,
    /// The index's file name at the root of the pages.
    file_name: String,
}

#[derive(Debug)]
struct PlannedChapter {
    /// The page, in URL form (`guide/x.html`).
    url: String,
    /// Its parents' names, then its own.
    names: Vec<String>,
}

/// Prepares the search of pages in a language (`french` or not) of `book`,
/// whose chapters' paths already end in `.html`: `config` is changed so
/// that mdbook-html indexes no chapter, and the page template at
/// `template` names the index this build will write. `None` when the book
/// has no search (`[output.html.search] enable = false` or `copy-js =
/// false`), or no chapter, and mdbook-html is left as it is.
pub fn prepare(
    config: &mut Config,
    book: &Book,
    template: &Path,
    french: bool,
) -> Result<Option<Plan>> {
    let html = config.html_config().unwrap_or_default();
    let search = html.search.clone().unwrap_or_default();
    if !search.enable || !search.copy_js || book.chapters().next().is_none() {
        return Ok(None);
    }
    // `[output.html.search.chapter]`: path prefixes, the longest deciding.
    let mut settings: Vec<(PathBuf, Option<bool>)> = search
        .chapter
        .iter()
        .map(|(path, setting)| (PathBuf::from(path), setting.enable))
        .collect();
    settings.sort();
    let settings_path = |chapter: &mdbook_driver::book::Chapter| {
        chapter
            .source_path
            .clone()
            .or_else(|| chapter.path.clone())
            .unwrap_or_default()
    };
    for (prefix, _) in &settings {
        if !book
            .chapters()
            .any(|chapter| settings_path(chapter).starts_with(prefix))
        {
            bail!(
                "[output.html.search.chapter] key `{}` does not match any chapter paths",
                prefix.display()
            );
        }
    }
    let mut hasher = std::hash::DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), french).hash(&mut hasher);
    // The pages' options, but not where this build keeps its theme.
    let mut options = config.get::<Value>("output.html")?.unwrap_or(Value::Null);
    if let Some(options) = options.as_object_mut() {
        options.remove("theme");
    }
    options.to_string().hash(&mut hasher);
    let mut chapters = Vec::new();
    for chapter in book.chapters() {
        let path = settings_path(chapter);
        let enabled = settings
            .iter()
            .filter(|(prefix, _)| path.starts_with(prefix))
            .fold(None, |decided, (_, enable)| enable.or(decided))
            .unwrap_or(true);
        if !enabled {
            continue;
        }
        let url = chapter
            .path
            .as_deref()
            .unwrap_or(Path::new(""))
            .with_extension("html")
            .to_string_lossy()
            .replace('\\', "/");
        let mut names = chapter.parent_names.clone();
        names.push(chapter.name.clone());
        (&url, &names, &chapter.content).hash(&mut hasher);
        chapters.push(PlannedChapter { url, names });
    }
    // mdbook-html indexes nothing; the key `` is a prefix of every path.
    config.set(
        "output.html.search.chapter",
        BTreeMap::from([("", BTreeMap::from([("enable", false)]))]),
    )?;
    let file_name = if html.hash_files {
        let name = format!("searchindex-{:016x}.js", hasher.finish());
        let text = std::fs::read_to_string(template)
            .with_context(|| format!("reading {}", template.display()))?;
        let text = text.replace(MDBOOK_INDEX_NAME, &name);
        std::fs::write(template, text)
            .with_context(|| format!("writing {}", template.display()))?;
        name
    } else {
        "searchindex.js".to_string()
    };
    Ok(Some(Plan {
        chapters,
        split_level: search.heading_split_level,
        french,
        file_name,
    }))
}

/// How mdBook's page template names the index, replaced by our name.
pub const MDBOOK_INDEX_NAME: &str = "{{ resource \"searchindex.js\" }}";

/// Writes the index of the pages mdbook-html rendered into `pages`, as
/// `plan` says, in place of mdbook-html's own (empty) one.
pub fn finish(plan: &Plan, pages: &Path) -> Result<()> {
    let written = root_files(pages, "searchindex", ".js")?;
    let [theirs] = written.as_slice() else {
        bail!(
            "expected one search index from mdbook-html in {}, found {}",
            pages.display(),
            written.len()
        );
    };
    let text =
        std::fs::read_to_string(theirs).with_context(|| format!("reading {}", theirs.display()))?;
    let json =
        unwrap_js(&text).with_context(|| format!("{}: not a search index", theirs.display()))?;
    let skeleton = index::Skeleton::read(&json)
        .with_context(|| format!("{}: not a search index", theirs.display()))?;
    let mut docs = Vec::new();
    for chapter in &plan.chapters {
        let path = pages.join(&chapter.url);
        let page = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let content = pages::content(&page).with_context(|| {
            format!(
                "{}: no `{}` in the page: not written with mdbook-runbook's page template",
                path.display(),
                pages::CONTENT_START
            )
        })?;
        let chapter = pages::Chapter {
            url: chapter.url.clone(),
            names: chapter.names.iter().map(String::as_str).collect(),
        };
        pages::sections(content, &chapter, plan.split_level, &mut docs);
    }
    let mut terms = index::Terms::new(plan.french);
    let ours = wrap_js(&index::write(&skeleton, &docs, &mut terms)?);
    let path = pages.join(&plan.file_name);
    std::fs::write(&path, ours).with_context(|| format!("writing {}", path.display()))?;
    if *theirs != path {
        std::fs::remove_file(theirs).with_context(|| format!("removing {}", theirs.display()))?;
        // mdBook's query script names the index too, where a page does not.
        let their_name = theirs.file_name().unwrap_or_default().to_string_lossy();
        for script in root_files(pages, "searcher", ".js")? {
            let text = std::fs::read_to_string(&script)
                .with_context(|| format!("reading {}", script.display()))?;
            if text.contains(&*their_name) {
                std::fs::write(&script, text.replace(&*their_name, &plan.file_name))
                    .with_context(|| format!("writing {}", script.display()))?;
            }
        }
    }
    Ok(())
}

/// The files at the root of `dir` whose names start with `prefix` and end
/// with `suffix`, sorted.
fn root_files(dir: &Path, prefix: &str, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    found.sort();
    Ok(found)
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
    // In one pass: `\` and `'` escaped for the single-quoted JS string.
    let mut out =
        String::with_capacity(JS_PREFIX.len() + json.len() + json.len() / 8 + JS_SUFFIX.len());
    out.push_str(JS_PREFIX);
    let mut rest = json;
    while let Some(at) = memchr::memchr2(b'\\', b'\'', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push('\\');
        out.push_str(&rest[at..=at]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push_str(JS_SUFFIX);
    out
}
