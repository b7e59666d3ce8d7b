use super::*;

#[test]
fn labels_map_to_roles() {
    let cases = [
        ("Cause", Some(Role::Cause)),
        ("Causes possibles", Some(Role::Cause)),
        ("Causes et solutions", Some(Role::Cause)),
        ("Possible causes", Some(Role::Cause)),
        ("Solution", Some(Role::Solution)),
        ("Solutions par symptôme", Some(Role::Solution)),
        ("Optimisations", Some(Role::Solution)),
        ("Pour private subnet", Some(Role::Solution)),
        ("Fix", Some(Role::Solution)),
        ("Debug", Some(Role::Diagnostic)),
        ("Diagnostic", Some(Role::Diagnostic)),
        ("Diagnostics", Some(Role::Diagnostic)),
        ("Vérifications", Some(Role::Diagnostic)),
        ("Vérifier Task Execution Role", Some(Role::Diagnostic)),
        ("Analyser", Some(Role::Diagnostic)),
        ("Check", Some(Role::Diagnostic)),
        ("Note", Some(Role::Note)),
        ("Remarque", Some(Role::Note)),
        ("Escalate to", None),
        ("", None),
    ];
    for (label, role) in cases {
        assert_eq!(role_for_label(label), role, "{label}");
    }
}

#[test]
fn entry_kinds() {
    let cases = [
        (
            "\"no basic auth credentials\"",
            "no basic auth credentials",
            Some("no basic auth credentials"),
        ),
        (
            "\"tag already exists\" (immutable)",
            "tag already exists (immutable)",
            Some("tag already exists"),
        ),
        (
            "“smart quotes” here",
            "smart quotes here",
            Some("smart quotes"),
        ),
        ("Task reste en PENDING", "Task reste en PENDING", None),
        ("\"unterminated", "\"unterminated", None),
        ("\"\" empty", "\"\" empty", None),
    ];
    for (title, plain, message) in cases {
        let (got_plain, kind) = entry_kind(title);
        assert_eq!(got_plain, plain, "{title}");
        let got_message = match kind {
            EntryKind::ErrorMessage { message } => Some(message),
            EntryKind::Symptom => None,
        };
        assert_eq!(got_message.as_deref(), message, "{title}");
    }
}

#[test]
fn only_marked_h3_are_entries() {
    for (text, marked) in [
        ("❌ \"x\"", true),
        ("⚠️ Slow", true),
        ("Plain subsection", false),
        ("\"quoted\" plain", false),
        ("📋", false),
        ("❌ 🔥🔥🔥", true),
        ("❌🔥", false),
    ] {
        assert_eq!(is_marked(text), marked, "{text}");
    }
    let chapter = parse_chapter("x.md", "## S\n\n### Plain\n\n### ❌ Real\n");
    assert_eq!(chapter.sections[0].entries.len(), 1);
}

#[test]
fn emoji_only_titles_keep_their_entry_with_a_stable_id() {
    let text = "## Sect\n\n### ❌ Real\n\n### ❌ 🔥🔥🔥\n\n**Cause :** c\n\n\
                ## 🧯\n\n### ❌ 💥\n\n### ❌ \"🔥\"\n";
    let chapter = parse_chapter("x.md", text);
    let entries: Vec<(&str, &str, &str)> = chapter
        .entries()
        .map(|(s, e)| (s.id.as_str(), e.id.as_str(), e.title.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            ("sect", "sect-real", "Real"),
            ("sect", "sect-entry-2", "🔥🔥🔥"),
            ("section-2", "section-2-entry-1", "💥"),
            ("section-2", "section-2-entry-2", "🔥"),
        ]
    );
    assert_eq!(chapter.sections[1].title, "🧯");
    for (_, id, _) in entries {
        assert!(crate::anchors::is_valid_id(id), "{id}");
    }
}

#[test]
fn decoration_is_stripped() {
    let cases = [
        ("📦 ECR - PUSH/PULL", "ECR - PUSH/PULL"),
        ("❌ \"x\"", "\"x\""),
        ("⚖️ LOAD BALANCER", "LOAD BALANCER"),
        ("Troubleshooting - ECS 🔧", "Troubleshooting - ECS"),
        ("502 Bad Gateway", "502 Bad Gateway"),
        ("📋", ""),
    ];
    for (text, expected) in cases {
        assert_eq!(strip_decoration(text), expected, "{text}");
    }
}

const SAMPLE: &str = r#"# Title

## 📚 Contents

1. [One](#-one)

## 🔌 One

### ❌ "boom: it broke"

**Cause :** the thing

**Fix**: restart it

- step one
- step two

| Cause | Fix |
|---|---|
| a | b |

```bash
echo a \
  --flag
```

**Escalate to:** the DBA

### ❌ Slow thing {#custom-id}

1. Run this:

   ```sql
   SELECT 1;
   SELECT 2;
   ```

## 🔗 See also

- [Docs](https://example.com)
"#;

#[test]
fn parses_sections_entries_and_parts() {
    let chapter = parse_chapter("book/x.md", SAMPLE);
    assert_eq!(chapter.title.as_deref(), Some("Title"));
    let kinds: Vec<_> = chapter.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Contents,
            SectionKind::Entries,
            SectionKind::Links
        ]
    );
    let section = &chapter.sections[1];
    assert_eq!(section.id, "one");
    assert_eq!(section.entries.len(), 2);

    let first = &section.entries[0];
    assert_eq!(first.id, "one-boom-it-broke");
    assert_eq!(first.title, "boom: it broke");
    assert_eq!(
        first.kind,
        EntryKind::ErrorMessage {
            message: "boom: it broke".into()
        }
    );
    assert_eq!(first.roles(), [Role::Cause, Role::Solution, Role::Note]);
    assert_eq!(first.parts[0].text, ["the thing"]);
    assert_eq!(first.parts[1].label.as_deref(), Some("Fix"));
    assert_eq!(first.parts[1].text, ["restart it"]);
    assert_eq!(first.parts[1].items, ["step one", "step two"]);
    assert_eq!(first.parts[1].tables.len(), 1);
    assert_eq!(first.parts[1].snippets.len(), 1);
    assert!(!first.parts[2].label_known);
    assert_eq!(first.parts[2].label.as_deref(), Some("Escalate to"));

    let table = &chapter.tables[0];
    assert_eq!(
        table
            .header
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        ["Cause", "Fix"]
    );
    assert_eq!(table.rows[0][1].text, "b");
    assert_eq!(table.column(&["fix"]), Some(1));

    let second = &section.entries[1];
    assert_eq!(second.id, "custom-id");
    assert_eq!(second.kind, EntryKind::Symptom);
    assert_eq!(chapter.entry_snippets(second).count(), 1);
}

#[test]
fn entry_and_part_spans_cover_their_text() {
    let chapter = parse_chapter("book/x.md", SAMPLE);
    let entry = &chapter.sections[1].entries[0];
    let text = &SAMPLE[entry.span.start..entry.span.end];
    assert!(text.starts_with("### ❌ \"boom"));
    assert!(text.ends_with("the DBA\n\n"), "{text:?}");
    let fix = &entry.parts[1];
    assert!(SAMPLE[fix.span.start..fix.span.end].starts_with("**Fix**"));
    assert!(SAMPLE[fix.span.start..fix.span.end].contains("```bash"));
}

#[test]
fn snippet_lines_map_to_source() {
    let chapter = parse_chapter("book/x.md", SAMPLE);
    let bash = &chapter.snippets[0];
    assert_eq!(bash.lang, "bash");
    assert_eq!(bash.code, "echo a \\\n  --flag\n");
    let flag = bash.code.find("--flag").unwrap();
    let location = chapter.location(bash.source_offset(flag));
    let expected_line = SAMPLE.lines().position(|l| l == "  --flag").unwrap() + 1;
    assert_eq!((location.line, location.column), (expected_line, 3));

    // An indented block inside a list item: indentation is not code.
    let sql = &chapter.snippets[1];
    assert_eq!(sql.lang, "sql");
    assert_eq!(sql.code, "SELECT 1;\nSELECT 2;\n");
    let second = sql.code.find("SELECT 2").unwrap();
    let location = chapter.location(sql.source_offset(second));
    let expected_line = SAMPLE.lines().position(|l| l == "   SELECT 2;").unwrap() + 1;
    assert_eq!((location.line, location.column), (expected_line, 4));
}

#[test]
fn heading_ids_and_insertion_points() {
    let text = "## Closed ##  \n\n## Open {#given}\n\nSetext\n------\n";
    let chapter = parse_chapter("x.md", text);
    let [closed, open, setext] = &chapter.headings[..] else {
        panic!()
    };
    // mdBook reads `{#id}` only at the end of the line, after closing `#`s.
    assert_eq!(&text[..closed.insert_at], "## Closed ##");
    assert_eq!(open.explicit_id.as_deref(), Some("given"));
    assert_eq!(open.text, "Open");
    assert_eq!(&text[setext.span.start..setext.insert_at], "Setext");
    assert_eq!(setext.auto_id, "setext");
}

#[test]
fn closing_hashes_put_the_id_after_them() {
    // (heading line, text up to the insertion point, stray id)
    let cases = [
        ("### A ###", "### A ###", None),
        ("### A ###   ", "### A ###", None),
        ("### A#", "### A#", None),
        ("### A \\###", "### A \\###", None),
        ("### A {#a-id} ###", "### A {#a-id} ###", Some(" {#a-id}")),
        (
            "### A {.c #a-id} ##",
            "### A {.c #a-id} ##",
            Some(" {.c #a-id}"),
        ),
        ("  ## A {#x} ##", "  ## A {#x} ##", Some(" {#x}")),
        ("### `{#code}` ###", "### `{#code}` ###", None),
        ("### A {.only-class} ###", "### A {.only-class} ###", None),
        ("### ###", "### ###", None),
    ];
    for (line, until, stray) in cases {
        let text = format!("{line}\n\nbody\n");
        let chapter = parse_chapter("x.md", text.as_str());
        let heading = &chapter.headings[0];
        assert_eq!(&text[..heading.insert_at], until, "{line:?}");
        let found = heading.stray_id.map(|s| &text[s.start..s.end]);
        assert_eq!(found, stray, "{line:?}");
        if let Some(block) = stray {
            let id = block.split('#').nth(1).unwrap().trim_end_matches('}');
            assert_eq!(heading.explicit_id.as_deref(), Some(id), "{line:?}");
            assert!(!heading.text.contains('{'), "{line:?}: {}", heading.text);
        }
    }
    // A setext heading gets its id at the end of its last text line.
    let text = "First line\nsecond line  \n---\n";
    let chapter = parse_chapter("x.md", text);
    assert_eq!(
        &text[..chapter.headings[0].insert_at],
        "First line\nsecond line"
    );
}

#[test]
fn pinned_ids_are_read_back_by_the_markdown_parser() {
    let text = "## Sect ##\n\n### ❌ \"closing\" ###\n\n**Cause :** c\n\n\
                ### ❌ Stray {#sect-stray} ###\n\n### ❌ Set\n---\n\n\
                Two\nlines\n---\n\n> ### ❌ Quoted ##\n";
    let pinned = crate::anchors::pin_ids(&parse_chapter("x.md", text));
    let chapter = parse_chapter("x.md", pinned.as_str());
    for heading in &chapter.headings {
        assert!(!heading.text.contains("{#"), "{pinned}");
        assert!(heading.stray_id.is_none(), "{pinned}");
    }
    let ids: Vec<&str> = chapter
        .sections
        .iter()
        .flat_map(|s| std::iter::once(s.heading).chain(s.entries.iter().map(|e| e.heading)))
        .map(|h| chapter.headings[h].explicit_id.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(
        ids,
        [
            "sect",
            "sect-closing",
            "sect-stray",
            "sect-set",
            "two-lines",
            "two-lines-quoted"
        ],
        "{pinned}"
    );
    assert_eq!(crate::anchors::pin_ids(&chapter), pinned, "idempotent");
}

/// pulldown-cmark (with heading attributes) reads the line after an ATX
/// heading ended by a lone carriage return into the heading once it has
/// text: a heading with no text there takes no ` {#id}`.
#[test]
fn regression_no_id_pinned_where_it_would_take_in_the_next_line() {
    let text = "##\rText\n\n## Other\n";
    let pinned = crate::anchors::pin_ids(&parse_chapter("x.md", text));
    assert_eq!(pinned, "##\rText\n\n## Other {#other}\n");
    let chapter = parse_chapter("x.md", text);
    assert!(!chapter.headings[0].takes_id);
    assert!(chapter.headings[1].takes_id);
}

/// mdBook reads one attribute block, the last: an id pinned after a
/// heading's own block (`## Sect {.wide}`) turned that block into text, and
/// one pinned before a trailing no-break space (which pulldown-cmark does
/// not trim) was text itself (the first found by the i18n_pieces fuzz
/// target).
#[test]
fn regression_pinned_ids_go_into_a_trailing_attribute_block_and_before_ascii_spaces_only() {
    let cases = [
        ("## Sect {.wide}\n", "## Sect {.wide #sect}\n"),
        ("## T {p# x}\n", "## T {p# x #t}\n"),
        ("## {.c}\n", "## {.c #section-1}\n"),
        (
            "## Sect\n\nSetext {.c}\n---\n",
            "## Sect {#sect}\n\nSetext {.c #setext}\n---\n",
        ),
        ("## Title\u{a0}\n", "## Title\u{a0} {#title}\n"),
        (
            "## Sect\n\nSetext\u{a0}\n---\n",
            "## Sect {#sect}\n\nSetext\u{a0} {#setext}\n---\n",
        ),
    ];
    for (text, expected) in cases {
        let chapter = parse_chapter("x.md", text);
        let pinned = crate::anchors::pin_ids(&chapter);
        assert_eq!(pinned, expected);
        let back = parse_chapter("x.md", pinned.as_str());
        for (before, after) in chapter.headings.iter().zip(&back.headings) {
            assert_eq!(before.text, after.text, "{pinned:?}");
            assert!(after.explicit_id.is_some(), "{pinned:?}");
        }
    }
}

/// A setext heading whose text starts with `#` (`#hashtag`, no space: not
/// an ATX heading) got its id after its first line, where it is text (found
/// by the i18n_pieces fuzz target).
#[test]
fn regression_a_setext_heading_starting_with_a_hash_takes_its_id_on_its_last_line() {
    let cases = [
        ("#tag\nsecond\n---\n", "#tag\nsecond {#tag-second}\n---\n"),
        ("#######\n---\n", "####### {#section-1}\n---\n"),
    ];
    for (text, expected) in cases {
        let chapter = parse_chapter("x.md", text);
        let pinned = crate::anchors::pin_ids(&chapter);
        assert_eq!(pinned, expected);
        let back = parse_chapter("x.md", pinned.as_str());
        assert_eq!(back.headings[0].text, chapter.headings[0].text);
        assert!(back.headings[0].explicit_id.is_some());
    }
}

/// A setext underline after a lone carriage return (a line end to
/// pulldown-cmark) got the id after it, where the underline became text
/// (found by the i18n_pieces fuzz target).
#[test]
fn regression_a_setext_underline_after_a_lone_carriage_return_takes_no_id() {
    let text = "Title\r---\n";
    let pinned = crate::anchors::pin_ids(&parse_chapter("x.md", text));
    assert_eq!(pinned, "Title {#title}\r---\n");
    let back = parse_chapter("x.md", pinned.as_str());
    assert_eq!(back.headings[0].text, "Title");
    assert_eq!(back.headings[0].explicit_id.as_deref(), Some("title"));
}

/// A setext heading whose text is a lone `|`, right after a table: with
/// an id after it, the line is a table row; and one whose last line is a
/// lone list marker (`*`, `+`, `1.`): with an id after it, a list item
/// (found by the i18n_pieces fuzz target). They take no ` {#id}`.
#[test]
fn regression_a_setext_heading_of_a_lone_pipe_takes_no_id() {
    for text in [
        "o|\n|-\n|\n-\n",
        "Title\n*\n---\n",
        "Title\n+\n---\n",
        "Title\n1.\n---\n",
        "Title\n 1)\n---\n",
        // With CRLF line endings, and after a lone CR (found by the
        // i18n_pieces fuzz target: the CR of the CRLF was read as the end
        // of an empty last line).
        "Title\r\n*\r\n---\r\n",
        "\0\r*\r\n-",
    ] {
        let chapter = parse_chapter("x.md", text);
        assert!(!chapter.headings[0].takes_id, "{text:?}");
        assert_eq!(crate::anchors::pin_ids(&chapter), text);
    }
    for text in ["Title\n2.\n---\n", "Title\n*a\n---\n"] {
        assert!(parse_chapter("x.md", text).headings[0].takes_id, "{text:?}");
    }
}

#[test]
fn generated_ids_are_unique_across_the_book() {
    let a = "## S\n\n### ❌ Same\n\n### ❌ Same\n";
    let b = "## S\n\n### ❌ Same {#s-same-2}\n\n### ❌ Same\n";
    let guide = parse_book([
        ("a.md".into(), a.to_string()),
        ("b.md".into(), b.to_string()),
    ]);
    let ids: Vec<&str> = guide.entries().map(|(_, _, e)| e.id.as_str()).collect();
    assert_eq!(ids, ["s-same", "s-same-3", "s-same-2", "s-same-4"]);
    let sections: Vec<&str> = guide
        .chapters
        .iter()
        .map(|c| c.sections[0].id.as_str())
        .collect();
    assert_eq!(sections, ["s", "s-2"]);
}

#[test]
fn mdbook_auto_ids_repeat_with_suffix() {
    let chapter = parse_chapter("x.md", "## 📋\n\n## 📋\n\n## A\n\n## A\n");
    let ids: Vec<&str> = chapter
        .headings
        .iter()
        .map(|h| h.auto_id.as_str())
        .collect();
    assert_eq!(ids, ["", "-1", "a", "a-1"]);
}

#[test]
fn odd_input_does_not_panic() {
    let long_line = "x".repeat(100_000);
    let nested = format!("{}deep", "> ".repeat(500));
    let lists = format!("{}item", "- ".repeat(300));
    for text in [
        "",
        "###",
        "**:**",
        "```",
        "```bash\n",
        "|a|\n|-|\n",
        "## \n### \n**Cause :**",
        &long_line,
        &nested,
        &lists,
        "\r\n## A\r\n### ❌ B\r\n**Cause :** c\r\n```bash\r\nls\r\n```\r\n",
    ] {
        let chapter = parse_chapter("x.md", text);
        for snippet in &chapter.snippets {
            for (offset, _) in snippet.lines() {
                assert!(snippet.source_offset(offset) <= text.len());
            }
        }
    }
}

#[test]
fn page_directives_are_found_only_in_top_level_prose() {
    let text = "# P\n\n```\n{{#runbook-faq}}\n```\n\n    {{#runbook-faq}}\n\n\
                <!--\n{{#runbook-faq}}\n-->\n\nInline `{{#runbook-faq}}`.\n\n\
                - {{#runbook-faq}}\n\n> {{#runbook-faq}}\n\n\\{{#runbook-faq}}\n\n\
                {{#runbook-faq}}\n\nIntro line\n  {{#runbook-commands}}  \nmore\n";
    let chapter = parse_chapter("x.md", text);
    let found: Vec<(PageKind, usize)> = chapter
        .page_directives
        .iter()
        .map(|d| {
            assert_eq!(&text[d.span.start..d.span.end], d.kind.directive());
            (d.kind, chapter.location(d.span.start).line)
        })
        .collect();
    let line = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    assert_eq!(
        found,
        [
            (PageKind::Faq, line("{{#runbook-faq}}\n\nIntro")),
            (PageKind::Commands, line("  {{#runbook-commands}}")),
        ]
    );
}

/// pulldown-cmark reads the `#`s at the end of an ATX heading as its
/// closing sequence only when spaces alone follow them: with a tab after
/// them they are text (`#\tq #\t` reads `q #`). An id written after them
/// would make them a closing sequence again, and change the heading's
/// text: such a heading takes no ` {#id}` (found by the i18n_pieces fuzz
/// target).
#[test]
fn regression_closing_hashes_kept_as_text_by_a_tab_take_no_id() {
    for text in ["#\tq #\t", "# Title ##\t\n", "# Title # \t \n"] {
        let chapter = parse_chapter("x.md", text);
        assert!(!chapter.headings[0].takes_id, "{text:?}");
        assert_eq!(crate::anchors::pin_ids(&chapter), text);
    }
    // With spaces only, the `#`s close the heading with or without an id;
    // and `#`s after a tab are never a closing sequence.
    for text in ["# Title #  \n", "# Title #\n", "# Title\t#\t\n"] {
        assert!(parse_chapter("x.md", text).headings[0].takes_id, "{text:?}");
    }
}

/// pulldown-cmark trims form feeds and vertical tabs at the end of a setext
/// heading's last line too before it looks for an attribute block: `s{}\f`
/// over `-` is the heading `s` with an empty block, so the id goes into
/// that block, not after the form feed (which made `{}` text; found by
/// the i18n_pieces fuzz target).
#[test]
fn regression_setext_heading_ids_go_before_form_feeds_and_vertical_tabs() {
    for (text, pinned) in [
        ("s{}\u{c}\n-\n", "s{ #s}\u{c}\n-\n"),
        ("s{}\u{c}\r\n-\r\n", "s{ #s}\u{c}\r\n-\r\n"),
        // Without a block, or when the last line has nothing else, a new
        // block goes after them (the first case found by the fuzz target
        // once the one above was fixed).
        ("Title\u{b}\n---\n", "Title\u{b} {#title}\n---\n"),
        ("t\u{c}\r\u{c}\n-", "t\u{c}\r\u{c} {#t}\n-"),
    ] {
        let chapter = parse_chapter("x.md", text);
        assert_eq!(crate::anchors::pin_ids(&chapter), pinned, "{text:?}");
        // mdBook reads the pinned id, and the same heading text.
        let again = parse_chapter("x.md", pinned);
        let (before, after) = (&chapter.headings[0], &again.headings[0]);
        assert_eq!(
            after.explicit_id.as_deref(),
            Some(before.auto_id.as_str()),
            "{pinned:?}"
        );
        assert_eq!(after.text, before.text, "{pinned:?}");
    }
}
