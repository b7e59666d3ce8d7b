//! The localized site `mdbook-runbook build` writes, read as files: every
//! language, `<html lang>`, hreflang alternates, the language switch, the
//! root chooser, per-language 404 pages, `faq.json` files and search indexes.
//! The same site in a real browser is tests/site_browser.rs.

mod common;

use common::{attribute_values, bin, broken_links, copy_dir, copy_of_repo_book, run, search_index};
use std::path::{Path, PathBuf};

/// A copy of the repository's book with an English translation: the
/// repository's `po/` when it has one, else an empty English catalog.
pub fn two_language_book(name: &str) -> PathBuf {
    let dir = copy_of_repo_book(name);
    let po = common::repo().join("po");
    if po.join("en.po").is_file() {
        copy_dir(&po, &dir.join("po"));
    } else {
        std::fs::create_dir_all(dir.join("po")).unwrap();
        std::fs::write(
            dir.join("po/en.po"),
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n",
        )
        .unwrap();
    }
    dir
}

fn build(dir: &Path) {
    let (code, _, stderr) = run(bin().arg("build").arg(dir));
    assert_eq!(code, 0, "{stderr}");
}

/// The pages rendered with the site's theme (all but the sidebar frame).
fn pages(language_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![language_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && path.file_name().unwrap() != "toc.html"
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn resolve(from: &Path, href: &str) -> PathBuf {
    let path = href.split('#').next().unwrap();
    from.parent().unwrap().join(path)
}

#[test]
fn every_page_has_its_language_alternates_and_a_switch_to_the_same_page() {
    let dir = two_language_book("site-pages");
    build(&dir);
    let site = dir.join("site");
    for (language, other) in [("fr", "en"), ("en", "fr")] {
        let pages = pages(&site.join(language));
        assert!(pages.len() >= 8, "{pages:?}");
        for page in &pages {
            let html = std::fs::read_to_string(page).unwrap();
            let shown = page.strip_prefix(&site).unwrap().display().to_string();
            assert!(
                html.contains(&format!("<html lang=\"{language}\"")),
                "{shown}: no <html lang=\"{language}\">"
            );
            let relative = page.strip_prefix(site.join(language)).unwrap();
            for hreflang in ["fr", "en", "x-default"] {
                let needle = format!("<link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"");
                let at = html
                    .find(&needle)
                    .unwrap_or_else(|| panic!("{shown}: no {hreflang} alternate"));
                let href = &html[at + needle.len()..];
                let href = &href[..href.find('"').unwrap()];
                let expected = match hreflang {
                    "x-default" => site.join("index.html"),
                    code => site.join(code).join(relative),
                };
                if page.file_name().unwrap() == "404.html" {
                    // Served from anywhere: its links go through <base href>.
                    assert!(html.contains("<base href=\"/"), "{shown}");
                    continue;
                }
                let target = resolve(page, href);
                assert_eq!(
                    target.canonicalize().unwrap(),
                    expected.canonicalize().unwrap(),
                    "{shown}: {hreflang} alternate {href}"
                );
            }
            let switches: Vec<&str> = html
                .match_indices("<a class=\"runbook-language-switch\" href=\"")
                .map(|(at, m)| {
                    let rest = &html[at + m.len()..];
                    &rest[..rest.find('"').unwrap()]
                })
                .collect();
            assert_eq!(switches.len(), 1, "{shown}: {switches:?}");
            if page.file_name().unwrap() != "404.html" {
                let target = resolve(page, switches[0]);
                assert_eq!(
                    target.canonicalize().unwrap(),
                    site.join(other).join(relative).canonicalize().unwrap(),
                    "{shown}"
                );
            }
        }
    }
    // Every stable anchor (sections and entries) is in both languages' page,
    // so the switch lands on it.
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("fr/faq.json")).unwrap()).unwrap();
    for entry in index["entries"].as_array().unwrap() {
        let (page, anchor) = entry["url"].as_str().unwrap().split_once('#').unwrap();
        for language in ["fr", "en"] {
            let html = std::fs::read_to_string(site.join(language).join(page)).unwrap();
            let ids = attribute_values(&html, "id");
            assert!(ids.contains(&anchor), "{language}/{page}#{anchor}");
            let section = entry["section"]["id"].as_str().unwrap();
            assert!(ids.contains(&section), "{language}/{page}#{section}");
        }
    }
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_root_chooses_a_language_and_each_language_has_its_404_page() {
    let dir = two_language_book("site-root");
    build(&dir);
    let site = dir.join("site");
    let root = std::fs::read_to_string(site.join("index.html")).unwrap();
    // Plain links without JavaScript, and the script that follows the
    // browser's preferences.
    assert!(
        root.contains("<a hreflang=\"fr\" href=\"fr/index.html\">Français</a>"),
        "{root}"
    );
    assert!(
        root.contains("<a hreflang=\"en\" href=\"en/index.html\">English</a>"),
        "{root}"
    );
    assert!(root.contains("navigator.languages"));
    for (language, title) in [("fr", "Page introuvable"), ("en", "Page not found")] {
        let page = std::fs::read_to_string(site.join(language).join("404.html")).unwrap();
        assert!(page.contains(&format!("<html lang=\"{language}\"")));
        assert!(page.contains(&format!("<title>{title} - ")), "{page}");
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{language}");
        assert!(page.contains(&format!("<base href=\"/{language}/\">")));
    }
    assert!(site.join("404.html").is_file());
    assert!(site.join("checks/run-all.sh").is_file());
    assert!(!site.join("fr/checks").exists() && !site.join("en/checks").exists());
    // The build leaves no theme directory of its own behind.
    let names: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".theme")), "{names:?}");
}

#[test]
fn theme_strings_are_in_the_language_of_the_page() {
    let dir = two_language_book("site-strings");
    build(&dir);
    let fr = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();
    let en = std::fs::read_to_string(dir.join("site/en/troubleshooting.html")).unwrap();
    for english in [
        "Search this book",
        "Table of Contents",
        "Change theme",
        "Previous chapter",
        "Next chapter",
        "Print this book",
        "Keyboard shortcuts",
        ">Light<",
    ] {
        assert!(!fr.contains(english), "French page says {english:?}");
    }
    for french in [
        "placeholder=\"Rechercher dans le guide…\"",
        "title=\"Changer de thème\"",
        "title=\"Chapitre précédent\"",
        "title=\"Imprimer le guide\"",
        ">Clair<",
        "data-runbook-many=\"{count} résultats pour « {term} » :\"",
    ] {
        assert!(fr.contains(french), "French page lacks {french:?}");
    }
    for english in [
        "placeholder=\"Search this book…\"",
        "title=\"Change the theme\"",
        "title=\"Previous chapter\"",
        ">Light<",
        "data-runbook-many=\"{count} results for “{term}”:\"",
    ] {
        assert!(en.contains(english), "English page lacks {english:?}");
    }
}

#[test]
fn french_search_index_has_french_terms_and_english_keeps_mdbook_pipeline() {
    let dir = two_language_book("site-search");
    build(&dir);
    let (_, fr) = search_index(&dir.join("site/fr"));
    let (_, en) = search_index(&dir.join("site/en"));
    assert_eq!(fr["index"]["pipeline"], serde_json::json!(["runbook-fr"]));
    assert_eq!(
        en["index"]["pipeline"],
        serde_json::json!(["trimmer", "stopWordFilter", "stemmer"])
    );
    // Same documents and addresses as mdBook made them.
    assert_eq!(fr["doc_urls"], en["doc_urls"]);
    assert!(dir.join("site/fr/runbook-search-fr.js").is_file());
    assert!(!dir.join("site/en/runbook-search-fr.js").exists());
    let fr_page = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();
    let en_page = std::fs::read_to_string(dir.join("site/en/troubleshooting.html")).unwrap();
    // The French pipeline loads after elasticlunr and before mdBook's
    // searcher, which loads the index.
    let at = |page: &str, needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at(&fr_page, "elasticlunr-") < at(&fr_page, "runbook-search-fr.js"));
    assert!(at(&fr_page, "runbook-search-fr.js") < at(&fr_page, "searcher-"));
    assert!(!en_page.contains("runbook-search-fr.js"));
}

#[test]
fn each_language_has_its_faq_json_and_lookup_lang_reads_it() {
    let dir = two_language_book("site-faq");
    build(&dir);
    for language in ["fr", "en"] {
        let index: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("site").join(language).join("faq.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(index["language"], language);
        assert_eq!(index["entries"].as_array().unwrap().len(), 27);
    }
    // `lookup --lang en` answers from site/en/faq.json: a title changed
    // there is what it prints.
    let path = dir.join("site/en/faq.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let marked = text.replacen(
        "\"title\": \"no basic auth credentials\"",
        "\"title\": \"no basic auth credentials (from the English index)\"",
        1,
    );
    assert_ne!(marked, text);
    std::fs::write(&path, marked).unwrap();
    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "--lang", "en", "--book"])
        .arg(&dir)
        .arg("Error response from daemon: no basic auth credentials"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("(from the English index)"), "{stdout}");
}

/// Regression: `lookup --lang en` compared site/en/faq.json only with the
/// book's sources, so after a change to po/en.po it kept answering from the
/// stale English index.
#[test]
fn regression_lookup_refuses_an_english_index_older_than_its_translation() {
    let dir = two_language_book("site-faq-stale");
    build(&dir);
    std::thread::sleep(std::time::Duration::from_millis(50));
    let po = dir.join("po/en.po");
    let text = std::fs::read_to_string(&po).unwrap();
    std::fs::write(&po, text + "\n").unwrap();
    let (code, _, stderr) = run(bin()
        .args(["lookup", "--lang", "en", "--book"])
        .arg(&dir)
        .arg("no basic auth credentials"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("older than the book's sources"), "{stderr}");
}

#[test]
fn a_book_without_translations_builds_its_source_language_only() {
    let dir = copy_of_repo_book("site-one-language");
    build(&dir);
    let site = dir.join("site");
    assert!(site.join("fr/index.html").is_file());
    assert!(!site.join("en").exists());
    let html = std::fs::read_to_string(site.join("fr/troubleshooting.html")).unwrap();
    assert!(!html.contains("<a class=\"runbook-language-switch\""));
    assert!(html.contains("<link rel=\"alternate\" hreflang=\"fr\""));
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The mdbook 0.5 binary (tests/run.sh sets `MDBOOK`), with this crate's
/// binary first on `PATH` for `[preprocessor.runbook]`.
fn mdbook() -> std::process::Command {
    let program = std::env::var_os("MDBOOK").unwrap_or_else(|| "mdbook".into());
    let mut command = std::process::Command::new(program);
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-runbook"));
    let mut dirs = vec![ours.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    command.env("PATH", std::env::join_paths(dirs).unwrap());
    command
}

#[test]
fn mdbook_alone_builds_the_english_book_with_the_language_override() {
    let dir = two_language_book("site-mdbook-en");
    let out = dir.join("english");
    let (code, _, stderr) = run(mdbook()
        .current_dir(&dir)
        .env("MDBOOK_BOOK__LANGUAGE", "en")
        .arg("build")
        .arg("-d")
        .arg(&out));
    assert_eq!(code, 0, "{stderr}");
    // Two outputs (book.toml has [output.runbook]): the pages are in html/.
    let html = std::fs::read_to_string(out.join("html/troubleshooting.html")).unwrap();
    assert!(html.contains("<html lang=\"en\""));
    let faq = std::fs::read_to_string(out.join("runbook/faq.json")).unwrap();
    assert!(
        faq.contains("\"language\": \"en\""),
        "the renderer's faq.json is English"
    );
    // A language without a catalog is an error that names the file.
    let (code, _, stderr) = run(mdbook()
        .current_dir(&dir)
        .env("MDBOOK_BOOK__LANGUAGE", "de")
        .arg("build")
        .arg("-d")
        .arg(dir.join("german")));
    assert_ne!(code, 0);
    assert!(stderr.contains("po/de.po"), "{stderr}");
}

#[test]
fn the_site_url_override_reaches_the_not_found_pages() {
    let dir = two_language_book("site-url");
    let (code, _, stderr) = run(bin()
        .env("MDBOOK_OUTPUT__HTML__SITE_URL", "/runbooks/")
        .arg("build")
        .arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let fr = std::fs::read_to_string(dir.join("site/fr/404.html")).unwrap();
    assert!(fr.contains("<base href=\"/runbooks/fr/\">"), "{fr}");
    let root = std::fs::read_to_string(dir.join("site/404.html")).unwrap();
    assert!(root.contains("<base href=\"/runbooks/\">"), "{root}");
}

/// The Pages workflow parses as YAML, runs the README's build command and
/// publishes the whole site with the Pages actions.
#[test]
fn the_pages_workflow_runs_the_readme_build_command() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let command = readme
        .lines()
        .find(|l| l.starts_with("cargo run") && l.contains("-- build"))
        .expect("the README's build command")
        .split('#')
        .next()
        .unwrap()
        .trim()
        .to_string();
    let python = std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let output = std::process::Command::new(&python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(common::repo().join(".github/workflows/pages.yml"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}; run the tests with tests/run.sh"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let workflow: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let steps: Vec<&serde_json::Value> = workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .collect();
    assert!(
        steps.iter().any(|s| s["run"] == command.as_str()),
        "{command}: {steps:#?}"
    );
    let uses = |action: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
            .copied()
    };
    assert!(uses("actions/configure-pages@").is_some());
    assert_eq!(
        uses("actions/upload-pages-artifact@").unwrap()["with"]["path"],
        "site"
    );
    assert!(uses("actions/deploy-pages@").is_some());
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
}
