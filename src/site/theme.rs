//! The theme each language's pages are rendered with, and the site's root
//! pages.
//!
//! [`write_theme`] writes an mdBook theme directory for one language: the
//! book's own theme files when it has some, then `index.hbs`, made of
//! - the language's strings (`templates/theme/strings/<lang>.hbs`, English
//!   when there is none), inline partials named `t-…`;
//! - the generated partials: `runbook-alternates` (`<link rel="alternate"
//!   hreflang>` for every language and x-default), `runbook-switch` (a link
//!   to the same page in each other language) and `runbook-search-script`
//!   (the French query pipeline, for a French language);
//! - the page template: mdBook's own, with the `t-…` and `runbook-…`
//!   partials put in place ([`super::page_template`]);
//!
//! and the text of the language's not-found page, which the template shows
//! in place of mdBook's (mdbook-html reads that page from the sources only,
//! where a translation cannot be). mdbook-html renders the
//! pages with that theme, so every string goes through handlebars; nothing
//! is patched in the HTML afterwards. [`root_pages`] renders the site's
//! language chooser and its not-found page.

use super::search;
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::path::Path;

/// A language of the site: its code and how it names itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLanguage {
    pub code: String,
    /// The language's name for itself (`Français`).
    pub name: String,
    /// "Read this page in …", in that language.
    pub read_in: String,
}

impl SiteLanguage {
    /// The language of `code`, which must be a language tag: ASCII letters,
    /// digits, `-` and `_`, as in `po/<code>.po`.
    pub fn new(code: &str) -> Result<SiteLanguage> {
        let valid = !code.is_empty()
            && code.len() <= 35
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            bail!("`{code}` is not a language tag (letters, digits, `-`; e.g. `en`, `pt-BR`)");
        }
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        let (name, read_in) = match primary.to_ascii_lowercase().as_str() {
            "fr" => ("Français", "Lire cette page en français"),
            "en" => ("English", "Read this page in English"),
            "de" => ("Deutsch", "Diese Seite auf Deutsch lesen"),
            "es" => ("Español", "Leer esta página en español"),
            "it" => ("Italiano", "Leggi questa pagina in italiano"),
            "pt" => ("Português", "Ler esta página em português"),
            "nl" => ("Nederlands", "Deze pagina in het Nederlands lezen"),
            _ => (code, code),
        };
        Ok(SiteLanguage {
            code: code.to_string(),
            name: name.to_string(),
            read_in: read_in.to_string(),
        })
    }
}

/// The strings of the page template in `language`: its own, or English.
fn strings(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "fr" => include_str!("../../templates/theme/strings/fr.hbs"),
        _ => include_str!("../../templates/theme/strings/en.hbs"),
    }
}

/// The default not-found page in `language`.
pub fn default_not_found(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "fr" => include_str!("../../templates/theme/404/fr.md"),
        _ => include_str!("../../templates/theme/404/en.md"),
    }
}

/// The partials that name the site's languages, for a page in `current`.
/// The page's own address, relative to its language's root, is the
/// `runbook-page` partial: the build renders chapters whose path already
/// ends in `.html`, and the index, print and not-found pages say which they
/// are.
fn language_partials(current: &SiteLanguage, all: &[SiteLanguage]) -> String {
    let escape = handlebars::html_escape;
    let mut out = String::new();
    out.push_str(
        "{{~#*inline \"runbook-page\"}}{{#if is_index}}index.html{{else if is_print}}print.html\
         {{else if (eq path \"404.md\")}}404.html{{else}}{{path}}{{/if}}{{/inline~}}\n",
    );
    out.push_str("{{~#*inline \"runbook-root\"}}{{path_to_root}}../{{/inline~}}\n");
    out.push_str("{{~#*inline \"runbook-alternates\"}}\n");
    for language in all {
        out.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{{{{> runbook-root}}}}{code}/{{{{> runbook-page}}}}\">\n",
            code = escape(&language.code)
        ));
    }
    out.push_str(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{{> runbook-root}}index.html\">\n",
    );
    out.push_str("{{/inline~}}\n");
    out.push_str("{{~#*inline \"runbook-switch\"}}\n");
    for language in all.iter().filter(|l| l.code != current.code) {
        out.push_str(&format!(
            "<a class=\"runbook-language-switch\" href=\"{{{{> runbook-root}}}}{code}/{{{{> runbook-page}}}}\" \
             hreflang=\"{code}\" lang=\"{code}\" title=\"{read_in}\" aria-label=\"{read_in}\">{label}</a>\n",
            code = escape(&language.code),
            read_in = escape(&language.read_in),
            label = escape(&language.code.to_uppercase()),
        ));
    }
    out.push_str("{{/inline~}}\n");
    out.push_str("{{~#*inline \"runbook-search-script\"}}");
    if search::is_french(&current.code) {
        out.push_str(&format!(
            "<script src=\"{{{{ path_to_root }}}}{}\"></script>",
            search::SCRIPT_NAME
        ));
    }
    out.push_str("{{/inline~}}\n");
    out
}

/// Writes the theme directory `dir` (which must not exist) for pages in
/// `current`: the files of the book's theme directory `book_theme` when
/// there is one, then `index.hbs`, whose not-found page says `not_found`
/// (markdown).
pub fn write_theme(
    dir: &Path,
    book_theme: Option<&Path>,
    current: &SiteLanguage,
    all: &[SiteLanguage],
    not_found: &str,
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    if let Some(theme) = book_theme.filter(|t| t.is_dir()) {
        copy_tree(theme, dir, 0)?;
    }
    // mdBook's own `head` and `header` partials (the book's theme's, or
    // mdBook's, which are empty) are written in like ours.
    let mut mdbook_partials = String::new();
    for name in ["head", "header"] {
        let path = dir.join(format!("{name}.hbs"));
        let body = match std::fs::read_to_string(&path) {
            Ok(body) => body,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
        };
        mdbook_partials.push_str(&format!(
            "{{{{~#*inline \"{name}\"}}}}{body}{{{{/inline~}}}}\n"
        ));
    }
    let index = inline_partials(&format!(
        "{}\n{}{}{}{}",
        strings(&current.code),
        language_partials(current, all),
        not_found_partial(not_found),
        mdbook_partials,
        super::page_template::page_template()?
    ))?;
    let path = dir.join("index.hbs");
    std::fs::write(&path, index).with_context(|| format!("writing {}", path.display()))
}

/// `template` with the inline partials it defines written in where they
/// are used, and their definitions removed. handlebars copies the whole
/// page data for every partial it expands, which made the strings and
/// links of a page cost more than mdBook's own rendering of it; written in
/// once per language, they cost nothing per page. Partials the template
/// does not define (mdBook's `head`, `header`) are left to handlebars.
fn inline_partials(template: &str) -> Result<String> {
    const OPEN: &str = "#*inline \"";
    const CLOSE: &str = "{{/inline";
    let mut partials: Vec<(String, String)> = Vec::new();
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest
        .find(&format!("{{{{~{OPEN}"))
        .or_else(|| rest.find(&format!("{{{{{OPEN}")))
    {
        let (before, definition) = rest.split_at(at);
        let trim_before = definition.starts_with("{{~");
        text.push_str(if trim_before {
            before.trim_end()
        } else {
            before
        });
        let name_start = definition.find(OPEN).map(|i| i + OPEN.len());
        let parsed = name_start.and_then(|start| {
            let name_end = start + definition[start..].find('"')?;
            let body_start = name_end + definition[name_end..].find("}}")? + 2;
            let body_end = body_start + definition[body_start..].find(CLOSE)?;
            let tag_end = body_end + definition[body_end..].find("}}")? + 2;
            let trim_after = definition[body_end..tag_end].ends_with("~}}");
            Some((
                definition[start..name_end].to_string(),
                definition[body_start..body_end].to_string(),
                tag_end,
                trim_after,
            ))
        });
        let Some((name, body, tag_end, trim_after)) = parsed else {
            bail!("the page template has an inline partial that is not closed");
        };
        partials.push((name, body));
        rest = &definition[tag_end..];
        if trim_after {
            rest = rest.trim_start();
        }
    }
    text.push_str(rest);
    // Partials use partials (`runbook-root` in `runbook-alternates`): a few
    // rounds write them all in; more means a partial that uses itself.
    for _ in 0..8 {
        let mut changed = false;
        for (name, body) in &partials {
            let call = format!("{{{{> {name}}}}}");
            if text.contains(&call) {
                text = text.replace(&call, body);
                changed = true;
            }
        }
        if !changed {
            return Ok(text);
        }
    }
    bail!("the page template's partials use each other in a loop")
}

/// The `runbook-not-found` partial: `markdown` as HTML, every `{{` in it
/// escaped so that handlebars writes it as it is.
fn not_found_partial(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    format!(
        "{{{{~#*inline \"runbook-not-found\"}}}}{}{{{{/inline~}}}}\n",
        body.replace("{{", "\\{{")
    )
}

/// How deep a book's theme directory may go.
const MAX_THEME_DEPTH: usize = 8;

fn copy_tree(from: &Path, to: &Path, depth: usize) -> Result<()> {
    if depth > MAX_THEME_DEPTH {
        bail!(
            "{}: the theme directory is nested more than {MAX_THEME_DEPTH} levels deep",
            from.display()
        );
    }
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let target = to.join(entry.file_name());
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            copy_tree(&entry.path(), &target, depth + 1)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| {
                format!("copying {} to {}", entry.path().display(), target.display())
            })?;
        }
    }
    Ok(())
}

/// The site's root `index.html` (the language chooser) and `404.html`.
/// `site_url` is where the site is served from (`/` or `/repo/`).
pub fn root_pages(
    title: &str,
    source: &str,
    languages: &[SiteLanguage],
    site_url: &str,
) -> Result<[(&'static str, String); 2]> {
    let mut handlebars = handlebars::Handlebars::new();
    handlebars.set_strict_mode(true);
    handlebars
        .register_template_string("root", include_str!("../../templates/site/index.html.hbs"))
        .context("the root page template")?;
    let languages: Vec<_> = languages
        .iter()
        .map(|l| {
            json!({
                "code": l.code,
                "name": l.name,
                "not_found_text": match l.code.split(['-', '_']).next() {
                    Some("fr") => "Page introuvable : retour au guide en français",
                    Some("en") => "Page not found: back to the guide in English",
                    _ => l.name.as_str(),
                },
            })
        })
        .collect();
    let render = |not_found: bool| {
        handlebars.render(
            "root",
            &json!({
                "title": title,
                "source": source,
                "languages": languages,
                "not_found": not_found,
                "site_url": site_url,
            }),
        )
    };
    Ok([("index.html", render(false)?), ("404.html", render(true)?)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages() -> Vec<SiteLanguage> {
        vec![
            SiteLanguage::new("fr").unwrap(),
            SiteLanguage::new("en").unwrap(),
        ]
    }

    /// Renders the theme's template the way mdbook-html does: a fresh
    /// Handlebars with mdBook's `resource` and `fa` helpers stubbed.
    fn render(current: usize, data: serde_json::Value) -> String {
        let all = languages();
        let dir = std::env::temp_dir().join(format!(
            "runbook-theme-{}-{current}-{}",
            std::process::id(),
            data["path"].as_str().unwrap_or("").replace('/', "_")
        ));
        std::fs::remove_dir_all(&dir).ok();
        write_theme(&dir, None, &all[current], &all, "# Lost {{path}}").unwrap();
        let template = std::fs::read_to_string(dir.join("index.hbs")).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let mut handlebars = handlebars::Handlebars::new();
        handlebars.register_helper(
            "resource",
            Box::new(
                |h: &handlebars::Helper,
                 _: &handlebars::Handlebars,
                 _: &handlebars::Context,
                 _: &mut handlebars::RenderContext,
                 out: &mut dyn handlebars::Output|
                 -> handlebars::HelperResult {
                    out.write(h.param(0).and_then(|p| p.value().as_str()).unwrap_or(""))?;
                    Ok(())
                },
            ),
        );
        handlebars.register_helper(
            "fa",
            Box::new(
                |_: &handlebars::Helper,
                 _: &handlebars::Handlebars,
                 _: &handlebars::Context,
                 _: &mut handlebars::RenderContext,
                 _: &mut dyn handlebars::Output|
                 -> handlebars::HelperResult { Ok(()) },
            ),
        );
        handlebars.register_partial("head", "").unwrap();
        handlebars.register_partial("header", "").unwrap();
        handlebars
            .register_template_string("index", template)
            .unwrap();
        handlebars.render("index", &data).unwrap()
    }

    #[test]
    fn partials_are_written_in_where_they_are_used() {
        let template = "{{!-- strings --}}\n{{~#*inline \"a\"}}A{{> b}}{{/inline~}}\n  \
                        {{~#*inline \"b\"}}<b>{{x}}</b>{{/inline~}}\n\
                        <p>{{> a}} {{> head}} {{> b}}</p>";
        assert_eq!(
            inline_partials(template).unwrap(),
            "{{!-- strings --}}<p>A<b>{{x}}</b> {{> head}} <b>{{x}}</b></p>"
        );
        let looping = "{{#*inline \"a\"}}{{> a}}{{/inline}}{{> a}}";
        assert!(
            inline_partials(looping)
                .unwrap_err()
                .to_string()
                .contains("loop")
        );
        assert!(inline_partials("{{#*inline \"a\"}}never closed").is_err());
        // The theme's template calls no partial: mdBook's `head` and
        // `header` are written in too, the book's own when it has them.
        let dir = std::env::temp_dir().join(format!("runbook-theme-inline-{}", std::process::id()));
        let book_theme = dir.with_extension("book");
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&book_theme).unwrap();
        std::fs::write(
            book_theme.join("header.hbs"),
            "<div class=\"banner\">{{ book_title }}</div>",
        )
        .unwrap();
        let all = languages();
        write_theme(&dir, Some(&book_theme), &all[0], &all, "# Perdu").unwrap();
        let index = std::fs::read_to_string(dir.join("index.hbs")).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        std::fs::remove_dir_all(&book_theme).ok();
        assert!(!index.contains("{{>"), "a partial call is left");
        assert!(!index.contains("#*inline"));
        assert!(index.contains("<div class=\"banner\">{{ book_title }}</div>"));
    }

    #[test]
    fn pages_name_both_languages_and_link_the_same_page() {
        let data = json!({"language": "fr", "path": "guide/a.html", "path_to_root": "../",
                          "search_enabled": true, "search_js": true, "title": "A"});
        let html = render(0, data);
        assert!(
            html.contains(r#"<link rel="alternate" hreflang="fr" href="../../fr/guide/a.html">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<link rel="alternate" hreflang="en" href="../../en/guide/a.html">"#)
        );
        assert!(
            html.contains(r#"<link rel="alternate" hreflang="x-default" href="../../index.html">"#)
        );
        assert!(html.contains(
            r#"<a class="runbook-language-switch" href="../../en/guide/a.html" hreflang="en""#
        ));
        assert!(!html.contains(r#"class="runbook-language-switch" href="../../fr/"#));
        assert!(html.contains(r#"placeholder="Rechercher dans le guide…""#));
        assert!(html.contains(r#"<script src="../runbook-search-fr.js"></script>"#));
        assert!(!html.contains("Search this book"));
    }

    #[test]
    fn english_pages_get_english_strings_and_mdbook_search() {
        let data = json!({"language": "en", "path": "404.md", "title": "x", "book_title": "Book",
                          "search_enabled": true, "search_js": true});
        let html = render(1, data);
        assert!(
            html.contains("<title>Page not found - Book</title>"),
            "{html}"
        );
        assert!(html.contains("<h1>Lost {{path}}</h1>"), "{html}");
        assert!(html.contains(r#"href="../fr/404.html" hreflang="fr""#));
        assert!(html.contains(r#"placeholder="Search this book…""#));
        assert!(!html.contains("runbook-search-fr.js"));
        let index = render(
            1,
            json!({"language": "en", "path": "index.md", "is_index": true, "path_to_root": ""}),
        );
        assert!(index.contains(r#"href="../fr/index.html""#), "{index}");
        let print = render(
            1,
            json!({"language": "en", "path": "print.md", "is_print": true, "path_to_root": ""}),
        );
        assert!(print.contains(r#"href="../fr/print.html""#));
    }

    #[test]
    fn language_tags_are_checked() {
        assert!(SiteLanguage::new("pt-BR").is_ok());
        for bad in ["", "e n", "en\"><script>", "../fr", &"x".repeat(40)] {
            assert!(SiteLanguage::new(bad).is_err(), "{bad}");
        }
        assert_eq!(SiteLanguage::new("xx").unwrap().name, "xx");
    }

    #[test]
    fn root_pages_list_every_language() {
        let [(index_name, index), (not_found_name, not_found)] =
            root_pages("Runbooks", "fr", &languages(), "/site/").unwrap();
        assert_eq!((index_name, not_found_name), ("index.html", "404.html"));
        assert!(
            index.contains(r#"<a hreflang="fr" href="fr/index.html">Français</a>"#),
            "{index}"
        );
        assert!(index.contains(r#"<a hreflang="en" href="en/index.html">English</a>"#));
        assert!(index.contains(r#"const languages = ["fr", "en"];"#));
        assert!(not_found.contains(r#"<base href="/site/">"#));
        assert!(not_found.contains(r#"href="en/404.html""#));
    }
}
