//! The built site in a real browser: headless Chromium (the Debian package,
//! which tests/run.sh installs), driven over the DevTools protocol by
//! tests/browser/site_check.py against the site served on 127.0.0.1.
//!
//! It checks that the root sends a French browser to `/fr/` and an English
//! one to `/en/`, that the language switch lands on the same entry's anchor
//! and back, that French search finds a section whatever accents and
//! inflection the reader types, that English search finds English words,
//! and that the FAQ page lists every entry in each language. Screenshots go
//! to `target/site-screenshots/`.

mod common;

use common::{bin, copy_dir, copy_of_repo_book, run};
use mdbook_runbook::site::french;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// French searches: each group holds a word as the guide writes it, then
/// forms a reader may type instead (no accents, another inflection, capitals).
/// Every form of a group must find the same sections.
const FRENCH_SEARCHES: &[&[&str]] = &[
    &["réseau", "réseaux", "reseau", "reseaux", "RÉSEAU"],
    &["expiré", "expire", "expirée", "expires"],
    &["élevée", "elevee", "élevé", "eleve"],
    &["tâche", "tâches", "tache", "taches"],
    &["conteneurs", "conteneur", "CONTENEURS"],
    &["démarrage", "demarrage", "démarrages"],
    &["sécurité", "securite"],
    &["règles", "règle", "regle", "regles"],
    &["mémoire", "memoire"],
    &["accès", "acces"],
    &["privé", "prive", "privés", "privees"],
    &["déploiement", "deploiement", "déploiements"],
    &["refusé", "refuse", "refusée"],
    &["permissions", "permission"],
    &["lente", "lent", "lents"],
];

/// English searches: a word and another form of it. A pair is tried when
/// the English pages have the first word in a section title.
const ENGLISH_SEARCHES: &[[&str; 2]] = &[
    ["container", "containers"],
    ["task", "tasks"],
    ["image", "images"],
    ["health", "healthy"],
    ["timeout", "timeouts"],
    ["secret", "secrets"],
    ["network", "networking"],
    ["memory", "memory"],
    ["credentials", "credential"],
    ["repository", "repositories"],
    ["logs", "log"],
    ["deployment", "deployments"],
    ["permissions", "permission"],
    ["expired", "expire"],
    ["cost", "costs"],
];

/// Documents of a built search index: (page#anchor, title, all its text).
fn search_docs(language_dir: &Path) -> Vec<(String, String, String)> {
    let (_, index) = common::search_index(language_dir);
    let urls = index["doc_urls"].as_array().unwrap();
    let docs = index["index"]["documentStore"]["docs"].as_object().unwrap();
    docs.iter()
        .map(|(reference, doc)| {
            let url = urls[reference.parse::<usize>().unwrap()].as_str().unwrap();
            let text = ["title", "body", "breadcrumbs"]
                .iter()
                .map(|f| doc[*f].as_str().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" ");
            let title = doc["title"].as_str().unwrap_or("").to_string();
            (url.to_string(), title, text)
        })
        .collect()
}

/// Whether `text` has `word` as a whole word, ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    let word = word.to_lowercase();
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

/// A result link (`page.html?highlight=…#anchor`) as `page.html#anchor`.
fn result_url(href: &str) -> String {
    let (page, anchor) = href.split_once('#').unwrap_or((href, ""));
    let page = page.split('?').next().unwrap();
    if anchor.is_empty() {
        page.to_string()
    } else {
        format!("{page}#{anchor}")
    }
}

fn python() -> String {
    std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

#[test]
fn the_site_in_a_real_browser() {
    let dir = copy_of_repo_book("site-browser");
    let po = common::repo().join("po");
    if po.join("en.po").is_file() {
        copy_dir(&po, &dir.join("po"));
    } else {
        std::fs::create_dir_all(dir.join("po")).unwrap();
        std::fs::write(dir.join("po/en.po"), "msgid \"\"\nmsgstr \"\"\n").unwrap();
    }
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let site = dir.join("site");
    let fr_docs = search_docs(&site.join("fr"));
    let en_docs = search_docs(&site.join("en"));

    // Each French group's first word is in the guide.
    for group in FRENCH_SEARCHES {
        assert!(
            fr_docs.iter().any(|(_, _, text)| has_word(text, group[0])),
            "`{}` is not in the French pages",
            group[0]
        );
    }
    // English pairs whose first word is in a section title of the English
    // pages, with those sections.
    let english: Vec<(&[&str; 2], BTreeSet<String>)> = ENGLISH_SEARCHES
        .iter()
        .map(|pair| {
            let sections: BTreeSet<String> = en_docs
                .iter()
                .filter(|(_, title, _)| has_word(title, pair[0]))
                .map(|(url, _, _)| url.clone())
                .collect();
            (pair, sections)
        })
        .filter(|(_, sections)| !sections.is_empty())
        .collect();
    println!(
        "English searches tried: {:?}",
        english.iter().map(|(pair, _)| pair[0]).collect::<Vec<_>>()
    );
    assert!(
        english.len() >= 5,
        "too few English words in the English section titles: {english:?}"
    );

    // The query side's terms must be the index side's, word for word.
    let mut words = BTreeSet::new();
    for (_, _, text) in &fr_docs {
        words.extend(french::tokenize(text));
    }
    let words: Vec<String> = words.into_iter().collect();

    let entry = {
        let index: Value =
            serde_json::from_str(&std::fs::read_to_string(site.join("fr/faq.json")).unwrap())
                .unwrap();
        let url = index["entries"][0]["url"].as_str().unwrap().to_string();
        let (page, id) = url.split_once('#').unwrap();
        (page.to_string(), id.to_string())
    };
    let screenshots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("site-screenshots");
    std::fs::remove_dir_all(&screenshots).ok();
    let plan = json!({
        "site": site,
        "out": screenshots,
        "languages": ["fr", "en"],
        "entry": {"page": entry.0, "id": entry.1},
        "searches": {
            "fr": FRENCH_SEARCHES.iter().flat_map(|g| g.iter()).collect::<Vec<_>>(),
            "en": english.iter().flat_map(|(pair, _)| pair.iter()).collect::<Vec<_>>(),
        },
        "terms": {"fr": words},
    });
    let mut child = Command::new(python())
        .arg(common::repo().join("tests/browser/site_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}; run the tests with tests/run.sh",
                python()
            )
        });
    serde_json::to_writer(child.stdin.take().unwrap(), &plan).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the browser run failed (run the tests with tests/run.sh, which installs chromium and \
         websocket-client):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();

    // The root sends each browser to its language.
    for language in ["fr", "en"] {
        let url = report["root"][language]["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("/{language}/")),
            "{language}: {url}"
        );
    }

    // The switch lands on the same entry's anchor, and back; without an
    // anchor in the address, on the heading the reader scrolled to.
    let (page, id) = &entry;
    for (language, other) in [("fr", "en"), ("en", "fr")] {
        let switch = &report["switch"][language];
        assert_eq!(
            switch["there"],
            format!("/{other}/{page}#{id}"),
            "{language}"
        );
        assert_eq!(switch["in_view"], true, "{language}: #{id} not in view");
        assert_eq!(
            switch["back"],
            format!("/{language}/{page}#{id}"),
            "{language}"
        );
        assert_eq!(
            switch["scrolled"],
            format!("/{other}/{page}#{id}"),
            "{language}"
        );
    }

    // French search: every form of a group finds the same sections, and the
    // first of them has the word as the guide writes it.
    let fr = &report["search"]["fr"];
    let results = |query: &str| -> Vec<String> {
        fr[query]["results"]
            .as_array()
            .unwrap_or_else(|| panic!("no results for {query}"))
            .iter()
            .map(|h| result_url(h.as_str().unwrap()))
            .collect()
    };
    let mut table = BTreeMap::new();
    for group in FRENCH_SEARCHES {
        let expected = results(group[0]);
        assert!(!expected.is_empty(), "`{}` finds nothing", group[0]);
        let first = &fr_docs
            .iter()
            .find(|(url, _, _)| *url == expected[0])
            .unwrap_or_else(|| panic!("{} is not an indexed section", expected[0]))
            .2;
        assert!(
            group.iter().any(|form| has_word(first, form)),
            "`{}`: the first result {} has none of {group:?}",
            group[0],
            expected[0]
        );
        for form in group.iter() {
            assert_eq!(
                results(form),
                expected,
                "`{form}` and `{}` differ",
                group[0]
            );
            table.insert(*form, results(form).len());
        }
        let header = fr[group[0]]["header"].as_str().unwrap();
        assert!(
            header.contains(" pour « ") && !header.contains("search result"),
            "{header}"
        );
    }
    println!("French searches (sections found): {table:?}");

    // English search finds English words, with mdBook's own pipeline.
    let en = &report["search"]["en"];
    for (pair, sections) in &english {
        for word in pair.iter() {
            let found: Vec<String> = en[*word]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| result_url(h.as_str().unwrap()))
                .collect();
            assert!(
                found.iter().any(|url| sections.contains(url)),
                "English `{word}` does not find {sections:?}: {found:?}"
            );
        }
    }

    // The query side's terms are the index side's.
    let js_terms = report["terms"]["fr"].as_array().unwrap();
    assert_eq!(js_terms.len(), words.len());
    let mut differ = Vec::new();
    for (word, js) in words.iter().zip(js_terms) {
        let rust = french::terms(word);
        if json!(rust) != *js {
            differ.push(format!("{word}: index {rust:?}, query {js}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} words differ: {differ:#?}",
        differ.len()
    );

    // The theme strings are the page's language.
    assert_eq!(
        report["ui"]["fr"]["placeholder"],
        "Rechercher dans le guide…"
    );
    assert_eq!(report["ui"]["en"]["placeholder"], "Search this book…");

    // The FAQ page lists every entry, in each language.
    let chapter = mdbook_runbook::parse_chapter(
        "book/troubleshooting.md",
        std::fs::read_to_string(dir.join("book/troubleshooting.md")).unwrap(),
    );
    let entries = chapter.entries().count();
    assert_eq!(entries, 27);
    for language in ["fr", "en"] {
        let index: Value = serde_json::from_str(
            &std::fs::read_to_string(site.join(language).join("faq.json")).unwrap(),
        )
        .unwrap();
        let links: BTreeSet<&str> = report["faq"][language]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        let listed = index["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| links.contains(e["url"].as_str().unwrap()))
            .count();
        assert_eq!(listed, entries, "{language}: the FAQ page lists {listed}");
    }

    for shot in [
        "root-fr.png",
        "entry-fr-switched.png",
        "search-fr.png",
        "faq-en.png",
    ] {
        assert!(screenshots.join(shot).is_file(), "{shot}");
    }
}
