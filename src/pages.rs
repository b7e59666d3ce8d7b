//! Generated pages: the FAQ page and the command index, as markdown.
//!
//! A chapter asks for them with a line of prose holding only
//! `{{#runbook-faq}}` or `{{#runbook-commands}}` (the parser records where);
//! the preprocessor puts the generated markdown in place of the first one
//! of each kind on a page. The FAQ page lists every entry by section with a one-line
//! cause, badges for its AWS services and for read-only or mutating
//! commands, and FAQPage JSON-LD; the command index lists every command by
//! program → service → operation with its access class, how often it
//! appears, and the entries that use it. Their fixed words come from
//! [`crate::i18n::ui`], in the index's language. No I/O here.

use crate::faq::{FaqEntry, FaqIndex};
use crate::i18n::ui::{Ui, ui};
use crate::model::PageKind;
use std::collections::BTreeMap;

/// The markdown of a generated page.
/// What a chapter holds just before a generated page, as an HTML comment
/// the page keeps: the site's search leaves the page out, since it lists
/// entries that search finds where they are written.
pub const GENERATED_START: &str = "<!--runbook:generated-->";
/// What a chapter holds just after a generated page.
pub const GENERATED_END: &str = "<!--/runbook:generated-->";

pub fn page(kind: PageKind, index: &FaqIndex, page_url: &str) -> String {
    match kind {
        PageKind::Faq => faq_page(index, page_url),
        PageKind::Commands => commands_page(index, page_url),
    }
}

const STYLE: &str = "<style>.runbook-badge{display:inline-block;padding:0 .45em;margin-right:.25em;border-radius:.6em;font-size:.8em;border:1px solid var(--table-border-color,#ccc)}.runbook-read-only{background:#e6f4ea;color:#1e4620}.runbook-mutating{background:#fdecea;color:#611a15}</style>";

/// Inline markdown that reads as `text`: markdown punctuation and `&` are
/// backslash-escaped (so `&lt;` in a title stays `&lt;`, not `<`), and line
/// breaks become spaces.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_{}[]()<>#+-.!|~&".contains(ch) {
            out.push('\\');
        }
        out.push(if matches!(ch, '\n' | '\r') { ' ' } else { ch });
    }
    out
}

/// A code span in a table cell that reads as `text`: a fence longer than any
/// run of backticks in it, and `|` escaped so it does not end the cell.
fn table_code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let text = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JSON that is safe inside `<script>`: no `<`, `>` or `&` survives.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .expect("JSON serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn access_badge(access: &str, w: &Ui) -> String {
    let label = if access == "read-only" {
        w.read_only
    } else {
        w.mutating
    };
    format!("<span class=\"runbook-badge runbook-{access}\">{label}</span>")
}

/// A link destination from the page at `from_url` (e.g. `faq.html`) to an
/// entry URL, in `<…>` when the path has spaces or brackets.
fn link(url: &str, from_url: &str) -> String {
    let depth = from_url.matches('/').count();
    let target = format!("{}{}", "../".repeat(depth), url.replacen(".html", ".md", 1));
    if target.contains(|c: char| c.is_whitespace() || "()<>\\".contains(c)) {
        let escaped = target
            .replace('\\', "\\\\")
            .replace('<', "\\<")
            .replace('>', "\\>")
            .replace(['\n', '\r'], " ");
        format!("<{escaped}>")
    } else {
        target
    }
}

/// The FAQ page body. `page_url` is the URL of the page being generated.
pub fn faq_page(index: &FaqIndex, page_url: &str) -> String {
    let w = ui(&index.language);
    let mut out = String::new();
    out.push_str(STYLE);
    out.push('\n');
    let questions: Vec<serde_json::Value> = index
        .entries
        .iter()
        .map(|e| {
            let answer = e
                .causes
                .first()
                .cloned()
                .unwrap_or_else(|| w.no_cause.to_string());
            serde_json::json!({
                "@type": "Question",
                "name": e.title,
                "acceptedAnswer": {"@type": "Answer", "text": answer, "url": e.url},
            })
        })
        .collect();
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions});
    out.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>\n\n",
        script_safe_json(&ld)
    ));

    let mut sections: Vec<(&str, &str, Vec<&FaqEntry>)> = Vec::new();
    for entry in &index.entries {
        match sections.iter_mut().find(|(id, ..)| *id == entry.section.id) {
            Some((_, _, entries)) => entries.push(entry),
            None => sections.push((&entry.section.id, &entry.section.title, vec![entry])),
        }
    }
    for (id, title, entries) in sections {
        out.push_str(&format!("## {} {{#faq-{id}}}\n\n", md_escape(title)));
        for entry in entries {
            let cause = entry
                .causes
                .first()
                .map_or(w.no_cause.to_string(), |c| md_escape(c));
            let mut badges: Vec<String> = entry
                .commands
                .iter()
                .filter_map(|c| c.service.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|s| format!("<span class=\"runbook-badge\">{}</span>", html_escape(&s)))
                .collect();
            let mut accesses: Vec<&str> =
                entry.commands.iter().map(|c| c.access.as_str()).collect();
            accesses.sort();
            accesses.dedup();
            badges.extend(accesses.iter().map(|a| access_badge(a, w)));
            out.push_str(&format!(
                "- **[{}]({})** — {cause}",
                md_escape(&entry.title),
                link(&entry.url, page_url)
            ));
            if !badges.is_empty() {
                out.push_str(&format!("<br>{}", badges.join(" ")));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The command index body.
pub fn commands_page(index: &FaqIndex, page_url: &str) -> String {
    let w = ui(&index.language);
    // program → service → operation → (access, count, entries)
    type Uses<'a> = BTreeMap<
        &'a str,
        BTreeMap<&'a str, BTreeMap<&'a str, (&'a str, usize, Vec<&'a FaqEntry>)>>,
    >;
    let mut uses: Uses = BTreeMap::new();
    for entry in &index.entries {
        for command in &entry.commands {
            let service = command.service.as_deref().unwrap_or("");
            let operation = command.operation.as_deref().unwrap_or("");
            let slot = uses
                .entry(&command.program)
                .or_default()
                .entry(service)
                .or_default()
                .entry(operation)
                .or_insert((&command.access, 0, Vec::new()));
            slot.1 += 1;
            if !slot.2.iter().any(|e| e.id == entry.id) {
                slot.2.push(entry);
            }
        }
    }
    let mut out = String::from(STYLE);
    out.push('\n');
    for (program, services) in &uses {
        out.push_str(&format!("## {}\n\n", md_escape(program)));
        for (service, operations) in services {
            if !service.is_empty() {
                out.push_str(&format!(
                    "### {} {}\n\n",
                    md_escape(program),
                    md_escape(service)
                ));
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n|---|---|---|---|\n",
                w.operation, w.access, w.count, w.entries
            ));
            for (operation, (access, count, entries)) in operations {
                let links: Vec<String> = entries
                    .iter()
                    .map(|e| format!("[{}]({})", md_escape(&e.title), link(&e.url, page_url)))
                    .collect();
                let name = if operation.is_empty() {
                    "—".to_string()
                } else {
                    table_code(operation)
                };
                out.push_str(&format!(
                    "| {name} | {} | {count} | {} |\n",
                    access_badge(access, w),
                    links.join(", ")
                ));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faq::{FaqCommand, SectionRef, SourceRef};

    fn index(title: &str) -> FaqIndex {
        FaqIndex {
            schema_version: 1,
            language: "fr".into(),
            entries: vec![FaqEntry {
                id: "s-e".into(),
                section: SectionRef {
                    id: "s".into(),
                    title: "Section".into(),
                },
                title: title.into(),
                kind: "error-message".into(),
                matches: vec![title.into()],
                causes: vec!["la cause".into()],
                solutions_markdown: String::new(),
                commands: vec![FaqCommand {
                    command: "aws ecs list-tasks".into(),
                    program: "aws".into(),
                    service: Some("ecs".into()),
                    operation: Some("list-tasks".into()),
                    access: "read-only".into(),
                }],
                tags: vec!["ecs".into()],
                url: "troubleshooting.html#s-e".into(),
                source: SourceRef {
                    file: "book/troubleshooting.md".into(),
                    line: 3,
                },
                script: None,
            }],
        }
    }

    #[test]
    fn json_ld_cannot_break_out_of_its_script() {
        let page = faq_page(
            &index("boom </script><script>alert(1)</script>"),
            "faq.html",
        );
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        let ld_start =
            page.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
        let ld_end = page[ld_start..].find("</script>").unwrap() + ld_start;
        let parsed: serde_json::Value = serde_json::from_str(&page[ld_start..ld_end]).unwrap();
        assert_eq!(
            parsed["mainEntity"][0]["name"],
            "boom </script><script>alert(1)</script>"
        );
    }

    #[test]
    fn faq_page_groups_and_links() {
        let page = faq_page(&index("\"quoted\" *title*"), "faq.html");
        assert!(page.contains("## Section {#faq-s}"), "{page}");
        assert!(
            page.contains("- **[\"quoted\" \\*title\\*](troubleshooting.md#s-e)** — la cause"),
            "{page}"
        );
        assert!(page.contains("runbook-read-only\">lecture seule"), "{page}");
    }

    /// The text a line of markdown renders as, for a heading.
    fn rendered_text(markdown: &str) -> String {
        let chapter = crate::parse::parse_chapter("x.md", format!("# {markdown}\n"));
        chapter.headings[0].text.clone()
    }

    #[test]
    fn escaped_text_reads_back_unchanged() {
        for text in [
            "A &lt;b&gt; B",
            "A &amp;lt;b&amp;gt; B",
            "&copy; &#x41; &#65;",
            "*em* _u_ `code` <b>x</b> [l](u) ![i](j)",
            "a \\ b {#id} # c | d ~e~",
            "1. not a list",
            "- not a list",
        ] {
            assert_eq!(rendered_text(&md_escape(text)), text, "{text}");
        }
    }

    #[test]
    fn table_code_spans_keep_backticks_and_pipes() {
        for (text, expected) in [
            ("list-tasks", "`list-tasks`"),
            ("a`b", "``a`b``"),
            ("`x", "`` `x ``"),
            ("a|b", "`a\\|b`"),
        ] {
            assert_eq!(table_code(text), expected, "{text}");
        }
    }

    #[test]
    fn links_with_spaces_use_angle_brackets() {
        assert_eq!(link("a.html#x", "faq.html"), "a.md#x");
        assert_eq!(link("sub/a.html#x", "d/faq.html"), "../sub/a.md#x");
        assert_eq!(link("My Page.html#x", "faq.html"), "<My Page.md#x>");
        assert_eq!(link("a(1)>.html#x", "faq.html"), "<a(1)\\>.md#x>");
    }

    #[test]
    fn command_index_counts() {
        let page = commands_page(&index("x"), "CLI-Commands.html");
        assert!(page.contains("### aws ecs"), "{page}");
        assert!(page.contains("| `list-tasks` |"), "{page}");
        assert!(
            page.contains("| 1 | [x](troubleshooting.md#s-e) |"),
            "{page}"
        );
    }
}
