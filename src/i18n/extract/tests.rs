use super::*;

fn ids(source: &str) -> Vec<String> {
    pieces(source).into_iter().map(|p| p.msgid).collect()
}

#[test]
fn prose_headings_cells_and_comments_are_pieces() {
    let source = "# Titre {#titre}\n\nUne phrase\nsur deux lignes avec `aws ecs list-tasks`.\n\n| Cause | Solution |\n|---|---|\n| Pas d'IP | `256` |\n\n```bash\n# Re-login (token valide 12h)\naws ecr get-login-password --region eu-west-3  # région\n```\n\n```json\n{\"a\": \"b\"}\n```\n";
    let found = pieces(source);
    let msgids: Vec<&str> = found.iter().map(|p| p.msgid.as_str()).collect();
    assert_eq!(
        msgids,
        [
            "Titre",
            "Une phrase sur deux lignes avec `aws ecs list-tasks`.",
            "Cause",
            "Solution",
            "Pas d'IP",
            "Re-login (token valide 12h)",
            "région"
        ]
    );
    for piece in &found {
        if let Kind::CodeComment { .. } = piece.kind {
            assert_eq!(&source[piece.span.start..piece.span.end], piece.msgid);
        }
    }
    assert_eq!(found[0].kind, Kind::Heading { level: 1, index: 0 });
    assert_eq!(&source[found[0].span.start..found[0].span.end], "Titre");
    assert_eq!(found[1].line, 3);
    assert_eq!(found[5].line, 11);
    assert_eq!(found[6].line, 12);
}

#[test]
fn quoted_titles_numbers_code_and_directives_alone_are_not_pieces() {
    let source = "### ❌ \"no basic auth credentials\" {#x}\n\n| Message | N |\n|---|---|\n| \"pull access denied\" | 256 |\n\n`my-cluster`\n\n{{#runbook-faq}}\n\n### ❌ \"ResourceNotFoundException\" pour logs\n";
    assert_eq!(
        ids(source),
        ["Message", "N", "❌ \"ResourceNotFoundException\" pour logs"]
    );
}

#[test]
fn list_items_keep_their_indentation_for_continuations() {
    let source =
        "- un élément\n  sur deux lignes\n- **gras** :\n  1. imbriqué\n\n> citation\n> suite\n";
    let found = pieces(source);
    let msgids: Vec<&str> = found.iter().map(|p| p.msgid.as_str()).collect();
    assert_eq!(
        msgids,
        [
            "un élément sur deux lignes",
            "**gras** :",
            "imbriqué",
            "citation suite"
        ]
    );
    assert_eq!(found[0].continuation, "  ");
    assert_eq!(found[1].continuation, "  ");
    assert_eq!(found[2].continuation, "     ");
    assert_eq!(found[3].continuation, "> ");
}

#[test]
fn hard_breaks_are_kept() {
    assert_eq!(ids("un\\\ndeux  \ntrois\n"), ["un\\\ndeux\\\ntrois"]);
}

/// A hard break alone on its line (`\\`) came after a space in the msgid,
/// which the translated text (`un \\` on one line) did not give back:
/// extracting it again gave another msgid (found by the i18n_pieces fuzz
/// target).
#[test]
fn regression_a_hard_break_alone_on_its_line_leaves_no_space_before_it() {
    assert_eq!(ids("un\n\\\ndeux\n"), ["un\\\ndeux"]);
    assert_eq!(ids("un\\\ndeux\n"), ids("un\n\\\ndeux\n"));
    assert_eq!(ids("un\\\n\\\ndeux\n"), ["un\\\n\\\ndeux"]);
}

/// pulldown-cmark starts an escaped character's text after its backslash:
/// a line that began with one (`\\(`) lost it from the msgid, and the
/// backslash was taken for the prefix of the paragraph's lines, written
/// again before each line of the translation (found by the i18n_pieces
/// fuzz target).
#[test]
fn regression_an_escaped_character_starting_a_line_keeps_its_backslash() {
    let found = pieces("un deux\n\\(trois) quatre\n");
    assert_eq!(found[0].msgid, "un deux \\(trois) quatre");
    assert_eq!(found[0].continuation, "");
    assert_eq!(ids("\\# un\n"), ["\\# un"]);
}

#[test]
fn directive_lines_split_a_paragraph() {
    assert_eq!(
        ids("Avant la page\n{{#runbook-faq}}\nAprès la page\n"),
        ["Avant la page", "Après la page"]
    );
}

#[test]
fn code_in_list_items_maps_back_to_the_source() {
    let source =
        "1. Étape :\n\n   ```bash\n   # vérifier\n   aws sts get-caller-identity\n   ```\n";
    let found = pieces(source);
    let comment = found.last().unwrap();
    assert_eq!(comment.msgid, "vérifier");
    assert_eq!(&source[comment.span.start..comment.span.end], "vérifier");
}

#[test]
fn summary_titles_are_link_texts_and_part_titles() {
    let summary = "# Sommaire\n\n[Introduction](./README.md)\n\n- [Dépannage `ECS`](./t.md)\n\n# Annexes\n\n- [Commandes](./c.md)\n";
    assert_eq!(summary_titles("# Sommaire\n# Partie\n")[0].text, "Partie");
    let titles = summary_titles(summary);
    let texts: Vec<(&str, usize)> = titles.iter().map(|t| (t.text.as_str(), t.line)).collect();
    assert_eq!(
        texts,
        [
            ("Introduction", 3),
            ("Dépannage ECS", 5),
            ("Annexes", 7),
            ("Commandes", 9)
        ]
    );
}

#[test]
fn quoted_parts() {
    assert_eq!(quoted("a \"b\" c \"d e\" \"f"), ["\"b\"", "\"d e\""]);
    assert_eq!(remove_quoted("a \"b\" c"), "a   c");
}

/// Inline HTML that goes on over a line break: the second line's start is
/// the element's own text, not a prefix to drop (`class="x">` was lost).
#[test]
fn regression_inline_html_over_two_lines_keeps_its_second_line() {
    assert_eq!(
        ids("<span\nclass=\"x\">en ligne</span> et suite\n"),
        ["<span class=\"x\">en ligne</span> et suite"]
    );
    assert_eq!(
        ids("- `code\n  sur deux lignes` et suite\n"),
        ["`code sur deux lignes` et suite"]
    );
}

#[test]
fn the_quick_answer_of_has_words_is_the_parsed_one() {
    // Every block and line of the guide, of the fuzz corpora and of some
    // markdown that hides letters: where `has_words` answers without
    // parsing, it gives the parsed answer.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = [
        "plain words",
        "12 34",
        "*a*",
        "    indented code",
        "~~~\ncode\n~~~",
        "# Title",
        "a\n===",
        "- [x] done",
        "&eacute;",
        "&#233;",
        "`code`",
        "<b>x</b>",
        "\"quoted\"",
        "{{#include x}}",
        "\\*",
        "[link](http://x)",
        "[^1]",
        "http://example.com",
        "| a | b |",
        "---",
        "***",
        "1. one",
        "> quote",
        "~~gone~~",
        "é",
        "٣",
        "_x_",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut files = vec![root.join("book/troubleshooting.md")];
    for corpus in ["i18n_pieces", "markdown", "check_book"] {
        let dir = root.join("tests/fuzz/corpus").join(corpus);
        files.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        texts.extend(text.split("\n\n").map(str::to_string));
        texts.extend(text.lines().map(str::to_string));
        texts.extend(pieces(&text).into_iter().map(|p| p.msgid));
    }
    assert!(texts.len() > 1000, "{}", texts.len());
    let mut quick = 0;
    for text in &texts {
        assert_eq!(has_words(text), has_words_parsed(text), "{text:?}");
        quick += usize::from(!text.contains(HIDING) && !text.contains("://"));
    }
    assert!(quick > 100, "the quick answer was tried {quick} times");
}
