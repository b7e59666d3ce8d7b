//! `<!-- runbook:… -->` comments: instructions to the checker written in the
//! book.
//!
//! `<!-- runbook:allow aws-invalid-enum bash-block-not-shell -->` directly
//! before a code block turns those rules off for that block, for the reader
//! who knows better. This module only reads the comment; the parser attaches
//! the result to the next snippet and `rules::check` applies it.

/// One directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// Do not report these rules for the next block.
    Allow(Vec<String>),
}

/// Reads an HTML comment; `None` when it is not a runbook directive.
pub fn parse(html: &str) -> Option<Directive> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let rest = inner.strip_prefix("runbook:")?;
    let mut words = rest.split_whitespace();
    match words.next()? {
        "allow" => {
            let rules: Vec<String> = words
                .map(|w| w.trim_matches(',').to_string())
                .filter(|w| !w.is_empty())
                .collect();
            (!rules.is_empty()).then_some(Directive::Allow(rules))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_allow() {
        let cases = [
            (
                "<!-- runbook:allow aws-invalid-enum -->",
                Some(Directive::Allow(vec!["aws-invalid-enum".into()])),
            ),
            (
                "<!--runbook:allow a, b-->\n",
                Some(Directive::Allow(vec!["a".into(), "b".into()])),
            ),
            ("<!-- runbook:allow -->", None),
            ("<!-- a comment -->", None),
            ("<div>", None),
        ];
        for (html, expected) in cases {
            assert_eq!(parse(html), expected, "{html}");
        }
    }
}
