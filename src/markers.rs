//! The visible marker a page shows above a snippet that failed validation,
//! with `on-failure = "continue"`.
//!
//! Rendered from `templates/failure-marker.hbs` with the page language's
//! words ([`crate::i18n::ui`]); handlebars escapes the messages, so a
//! finding's text can never inject HTML into the page.

use crate::diagnostic::Diagnostic;

/// The HTML block placed before a failing snippet (ends with a blank line,
/// so the fence after it still opens a code block), in `language`.
pub fn marker(failures: &[&Diagnostic], language: &str) -> String {
    let failures: Vec<serde_json::Value> = failures
        .iter()
        .map(|d| serde_json::json!({"rule": d.rule, "line": d.line, "message": d.message}))
        .collect();
    let words = crate::i18n::ui::ui(language);
    crate::templates::html(
        "failure-marker",
        &serde_json::json!({
            "failures": failures,
            "title": words.failure_title,
            "line_word": words.failure_line,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::Span;
    use crate::parse::parse_chapter;

    #[test]
    fn marker_escapes_messages() {
        let chapter = parse_chapter("book/x.md", "x\n");
        let d = Diagnostic::new(
            crate::registry::RuleId::BrokenLink,
            Severity::Error,
            &chapter,
            Span::new(0, 1),
            "bad </div><script>x</script>",
        );
        let html = marker(&[&d], "en");
        assert!(
            html.contains("<code>broken-link</code> line 1: bad &lt;/div&gt;&lt;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.ends_with("</div>\n\n"), "{html:?}");
        assert!(
            !html.trim_end().contains("\n\n"),
            "no blank line inside the HTML block"
        );
        let html = marker(&[&d], "fr");
        assert!(
            html.contains("cet extrait ne passe pas la validation"),
            "{html}"
        );
        assert!(
            html.contains("<code>broken-link</code> ligne 1: "),
            "{html}"
        );
    }
}
