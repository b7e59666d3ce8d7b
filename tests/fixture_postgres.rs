//! The parser on a second runbook of another topic (PostgreSQL, English
//! labels, a code block inside a list item), so nothing depends on the
//! ECS guide. Expected facts are in tests/fixtures/postgres-runbook/EXPECTED.md.

mod common;

use mdbook_runbook::model::{EntryKind, SectionKind};
use mdbook_runbook::parse_chapter;

fn chapter() -> mdbook_runbook::Chapter {
    let path = common::repo().join("tests/fixtures/postgres-runbook/src/runbook.md");
    parse_chapter("src/runbook.md", std::fs::read_to_string(path).unwrap())
}

#[test]
fn sections_and_entries() {
    let chapter = chapter();
    assert_eq!(chapter.title.as_deref(), Some("PostgreSQL troubleshooting"));
    let summary: Vec<(SectionKind, &str, usize)> = chapter
        .sections
        .iter()
        .map(|s| (s.kind, s.title.as_str(), s.entries.len()))
        .collect();
    assert_eq!(
        summary,
        [
            (SectionKind::Contents, "Contents", 0),
            (SectionKind::Entries, "Connections", 3),
            (SectionKind::Entries, "Storage", 2),
            (SectionKind::Entries, "Performance - Queries", 2),
            (SectionKind::Links, "See also", 0),
        ]
    );
    let entries: Vec<_> = chapter.entries().map(|(_, e)| e).collect();
    let expected = [
        (
            "FATAL: sorry, too many clients already",
            true,
            vec!["Cause", "Diagnosis", "Fix", "Note"],
        ),
        (
            "could not connect to server: Connection refused",
            true,
            vec!["Possible causes", "Check", "Solutions"],
        ),
        (
            "Sessions stuck idle in transaction",
            false,
            vec!["Diagnosis", "Fix", "Escalate to"],
        ),
        (
            "pg_wal directory keeps growing",
            false,
            vec!["Possible causes", "Diagnosis", "Fix"],
        ),
        (
            "FATAL: the database system is starting up",
            true,
            vec!["Cause", "Check", "Note"],
        ),
        (
            "ERROR: canceling statement due to statement timeout",
            true,
            vec!["Cause", "Diagnosis", "Solutions"],
        ),
        (
            "ERROR: deadlock detected",
            true,
            vec!["Cause", "Fix", "Note"],
        ),
    ];
    assert_eq!(entries.len(), expected.len());
    for (entry, (title, is_message, labels)) in entries.iter().zip(expected) {
        assert_eq!(entry.title, title);
        assert_eq!(
            matches!(entry.kind, EntryKind::ErrorMessage { .. }),
            is_message,
            "{title}"
        );
        let got: Vec<&str> = entry
            .parts
            .iter()
            .filter_map(|p| p.label.as_deref())
            .collect();
        assert_eq!(got, labels, "{title}");
    }
    // The one unusual label is kept, and flagged as unknown.
    let unknown: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.parts.iter())
        .filter(|p| !p.label_known)
        .filter_map(|p| p.label.as_deref())
        .collect();
    assert_eq!(unknown, ["Escalate to"]);
    let escalate = entries[2].parts.iter().find(|p| !p.label_known).unwrap();
    assert_eq!(chapter.location(escalate.label_span.start).line, 90);
    assert_eq!(
        entries[0].id,
        "connections-fatal-sorry-too-many-clients-already"
    );
}

#[test]
fn tables_and_snippets() {
    let chapter = chapter();
    let count = |lang: &str| chapter.snippets.iter().filter(|s| s.lang == lang).count();
    assert_eq!((count("bash"), count("sql"), count("json")), (8, 1, 1));
    let fences: Vec<usize> = chapter
        .snippets
        .iter()
        .filter(|s| s.lang == "bash")
        .map(|s| chapter.location(s.span.start).line)
        .collect();
    assert_eq!(fences, [19, 51, 61, 83, 103, 120, 135, 153]);

    let headers: Vec<Vec<&str>> = chapter
        .tables
        .iter()
        .map(|t| t.header.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(
        headers,
        [vec!["Cause", "Check", "Fix"], vec!["Message", "Meaning"]]
    );
    assert_eq!(chapter.tables[0].rows.len(), 3);
    assert_eq!(
        chapter
            .location(chapter.tables[0].rows[0][0].span.start)
            .line,
        45
    );
    assert_eq!(chapter.tables[1].rows.len(), 2);
}

#[test]
fn indented_block_in_list_item_maps_exactly() {
    let chapter = chapter();
    let block = chapter
        .snippets
        .iter()
        .find(|s| s.code.starts_with("sudo systemctl start"))
        .unwrap();
    assert_eq!(
        block.code,
        "sudo systemctl start postgresql\npg_isready -h localhost -p 5432 -t 30\n"
    );
    let lines: Vec<(usize, usize)> = block
        .lines()
        .map(|(offset, _)| {
            let location = chapter.location(block.source_offset(offset));
            (location.line, location.column)
        })
        .collect();
    assert_eq!(lines, [(62, 4), (63, 4)]);
    let flag = block.code.find("-t 30").unwrap();
    let location = chapter.location(block.source_offset(flag));
    assert_eq!(
        (location.line, location.column),
        (63, 4 + "pg_isready -h localhost -p 5432 ".len())
    );
}

#[test]
fn continuation_lines_map_exactly() {
    let chapter = chapter();
    let block = chapter
        .snippets
        .iter()
        .find(|s| s.code.starts_with("psql -U postgres -d appdb"))
        .unwrap();
    let lines: Vec<usize> = block
        .lines()
        .map(|(offset, _)| chapter.location(block.source_offset(offset)).line)
        .collect();
    assert_eq!(lines, [84, 85, 86, 87]);
    let substitution = chapter
        .snippets
        .iter()
        .find(|s| s.code.contains("PGDATA=\"$(psql"))
        .unwrap();
    let offset = substitution.code.find("$(psql").unwrap();
    let location = chapter.location(substitution.source_offset(offset));
    assert_eq!((location.line, location.column), (104, 9));
}
