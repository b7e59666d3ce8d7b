//! The page template each language is rendered with: mdBook's own
//! (`index.hbs`, taken from mdbook-html when the build runs, so no copy of
//! it lives in this repository) with [`EDITS`] applied: its fixed English
//! words become the language's `t-*` string partials, and the `runbook-*`
//! partials of `templates/theme/page-additions.hbs` (alternates, the
//! language switch, the French search pipeline, the localized search
//! header) are put in place.
//!
//! Every edit names the text it expects in mdBook's template and how many
//! times; a template that differs (another mdBook version) is an error
//! that says which text is missing, never a silently half-localized page.

use anyhow::{Context, Result, bail};
use std::sync::OnceLock;

/// `(text in mdBook's template, replacement, occurrences)`.
const EDITS: &[(&str, &str, usize)] = &[
    (
        "<title>{{ title }}</title>",
        "<title>{{#if (eq path \"404.md\")}}{{> t-not-found-title}} - {{ book_title }}{{else}}{{ title }}{{/if}}</title>",
        1,
    ),
    ("</head>", "{{> runbook-head}}\n    </head>", 1),
    ("Keyboard shortcuts</h2>", "{{> t-shortcuts-title}}</h2>", 1),
    (
        "<p>Press <kbd>←</kbd> or <kbd>→</kbd> to navigate between chapters</p>",
        "<p>{{> t-shortcuts-chapters}}</p>",
        1,
    ),
    (
        "<p>Press <kbd>S</kbd> or <kbd>/</kbd> to search in the book</p>",
        "<p>{{> t-shortcuts-search}}</p>",
        1,
    ),
    (
        "<p>Press <kbd>?</kbd> to show this help</p>",
        "<p>{{> t-shortcuts-help}}</p>",
        1,
    ),
    (
        "<p>Press <kbd>Esc</kbd> to hide this help</p>",
        "<p>{{> t-shortcuts-hide}}</p>",
        1,
    ),
    (
        "aria-label=\"Table of contents\"",
        "aria-label=\"{{> t-toc}}\"",
        1,
    ),
    (
        "title=\"Toggle Table of Contents\" aria-label=\"Toggle Table of Contents\"",
        "title=\"{{> t-toggle-toc}}\" aria-label=\"{{> t-toggle-toc}}\"",
        1,
    ),
    (
        "title=\"Change theme\" aria-label=\"Change theme\"",
        "title=\"{{> t-change-theme}}\" aria-label=\"{{> t-change-theme}}\"",
        1,
    ),
    ("aria-label=\"Themes\"", "aria-label=\"{{> t-themes}}\"", 1),
    (
        "id=\"mdbook-theme-default_theme\">Auto<",
        "id=\"mdbook-theme-default_theme\">{{> t-theme-auto}}<",
        1,
    ),
    (
        "id=\"mdbook-theme-light\">Light<",
        "id=\"mdbook-theme-light\">{{> t-theme-light}}<",
        1,
    ),
    (
        "id=\"mdbook-theme-rust\">Rust<",
        "id=\"mdbook-theme-rust\">{{> t-theme-rust}}<",
        1,
    ),
    (
        "id=\"mdbook-theme-coal\">Coal<",
        "id=\"mdbook-theme-coal\">{{> t-theme-coal}}<",
        1,
    ),
    (
        "id=\"mdbook-theme-navy\">Navy<",
        "id=\"mdbook-theme-navy\">{{> t-theme-navy}}<",
        1,
    ),
    (
        "id=\"mdbook-theme-ayu\">Ayu<",
        "id=\"mdbook-theme-ayu\">{{> t-theme-ayu}}<",
        1,
    ),
    (
        "title=\"Search (`/`)\" aria-label=\"Toggle Searchbar\"",
        "title=\"{{> t-search-title}}\" aria-label=\"{{> t-toggle-search}}\"",
        1,
    ),
    (
        "<div class=\"right-buttons\">",
        "<div class=\"right-buttons\">\n{{> runbook-switch}}",
        1,
    ),
    (
        "title=\"Print this book\" aria-label=\"Print this book\"",
        "title=\"{{> t-print}}\" aria-label=\"{{> t-print}}\"",
        1,
    ),
    (
        "title=\"Git repository\" aria-label=\"Git repository\"",
        "title=\"{{> t-git-repository}}\" aria-label=\"{{> t-git-repository}}\"",
        1,
    ),
    (
        "title=\"Suggest an edit\" aria-label=\"Suggest an edit\"",
        "title=\"{{> t-suggest-edit}}\" aria-label=\"{{> t-suggest-edit}}\"",
        1,
    ),
    (
        "placeholder=\"Search this book ...\"",
        "placeholder=\"{{> t-search-placeholder}}\"",
        1,
    ),
    (
        "class=\"searchresults-header\"></div>",
        "class=\"searchresults-header\" data-runbook-none=\"{{> t-results-none}}\" data-runbook-one=\"{{> t-results-one}}\" data-runbook-many=\"{{> t-results-many}}\"></div>",
        1,
    ),
    (
        "{{{ content }}}",
        "{{#if (eq path \"404.md\")}}{{> runbook-not-found}}{{else}}{{{ content }}}{{/if}}",
        1,
    ),
    (
        "aria-label=\"Page navigation\"",
        "aria-label=\"{{> t-page-navigation}}\"",
        2,
    ),
    (
        "title=\"Previous chapter\" aria-label=\"Previous chapter\"",
        "title=\"{{> t-previous}}\" aria-label=\"{{> t-previous}}\"",
        2,
    ),
    (
        "title=\"Next chapter\" aria-label=\"Next chapter\"",
        "title=\"{{> t-next}}\" aria-label=\"{{> t-next}}\"",
        2,
    ),
    (
        "<script src=\"{{ resource \"searcher.js\" }}\"></script>",
        "{{> runbook-search-script}}\n        <script src=\"{{ resource \"searcher.js\" }}\"></script>",
        1,
    ),
    ("</body>", "{{> runbook-scripts}}\n    </body>", 1),
    // The search index reads each page's content between these markers
    // (`search::pages::CONTENT_START`, `CONTENT_END`).
    (
        "{{{ content }}}",
        "<!--runbook:content-->{{{ content }}}<!--/runbook:content-->",
        1,
    ),
    // Replaced by the index's own name before rendering
    // (`search::MDBOOK_INDEX_NAME`): kept, but it must be there once.
    (
        "{{ resource \"searchindex.js\" }}",
        "{{ resource \"searchindex.js\" }}",
        1,
    ),
];

/// Our partials, placed into mdBook's template by [`EDITS`].
const ADDITIONS: &str = include_str!("../../templates/theme/page-additions.hbs");

/// mdBook's default page template, as this build of mdbook-html has it.
fn mdbook_template() -> Result<String> {
    let dir = std::env::temp_dir().join(format!("mdbook-runbook-theme-{}", std::process::id()));
    let theme = dir.join("theme");
    for sub in ["css", "fonts"] {
        std::fs::create_dir_all(theme.join(sub))
            .with_context(|| format!("creating {}", theme.display()))?;
    }
    let config = mdbook_driver::config::HtmlConfig::default();
    let result = mdbook_html::theme::Theme::copy_theme(&config, &dir)
        .map_err(|e| anyhow::anyhow!("{e:#}"))
        .and_then(|()| {
            std::fs::read_to_string(theme.join("index.hbs"))
                .context("reading mdBook's page template")
        });
    std::fs::remove_dir_all(&dir).ok();
    result
}

/// `template` with every edit applied.
fn edited(template: &str) -> Result<String> {
    let mut text = template.to_string();
    for (find, replace, count) in EDITS {
        let found = text.matches(find).count();
        if found != *count {
            bail!(
                "mdBook's page template has {found} occurrence(s) of `{find}`, not {count}: this mdbook-html is not the one mdbook-runbook was written for"
            );
        }
        text = text.replace(find, replace);
    }
    Ok(text)
}

/// The page template: our partials, then mdBook's template with [`EDITS`].
pub fn page_template() -> Result<&'static str> {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            mdbook_template()
                .and_then(|t| edited(&t))
                .map(|t| format!("{ADDITIONS}\n{t}"))
                .map_err(|e| format!("{e:#}"))
        })
        .as_deref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edit_applies_to_mdbooks_template() {
        let template = page_template().unwrap();
        for word in [
            "Search this book",
            "Previous chapter",
            "Print this book",
            "Keyboard shortcuts",
        ] {
            assert!(!template.contains(word), "{word} left in English");
        }
        assert!(template.contains("{{> runbook-switch}}"));
        let markers = format!(
            "{}{{{{{{ content }}}}}}{}",
            crate::site::search::pages::CONTENT_START,
            crate::site::search::pages::CONTENT_END
        );
        assert!(template.contains(&markers), "no content markers");
        assert_eq!(
            template
                .matches(crate::site::search::MDBOOK_INDEX_NAME)
                .count(),
            1
        );
    }

    #[test]
    fn a_different_template_is_an_error_naming_the_text() {
        let error = edited("<html></html>").unwrap_err().to_string();
        assert!(error.contains("<title>{{ title }}</title>"), "{error}");
    }
}
