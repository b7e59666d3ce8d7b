//! rustc-style text, drawn by annotate-snippets (rustc's own renderer): the
//! finding, its location, the source lines with the span underlined, and the
//! help.
//!
//! Each finding shows only a window of its chapter's text: the lines its
//! span touches (at most [`MAX_SPAN_LINES`] of them, and on a very long line
//! at most [`CONTEXT_BYTES`] either side of the span), numbered from the
//! diagnostic's own `line`. So a report costs time in proportion to the
//! findings, not findings × chapter size, and a finding whose `line` points
//! into an `{{#include}}`d file is numbered as that file, while its span
//! stays a span of the chapter's (expanded) text. Every piece of book text
//! goes through [`visible`], so no control character reaches the terminal.

use super::visible;
use crate::diagnostic::{Diagnostic, Severity, Summary, snap_to_chars};
use crate::model::{Chapter, Guide};
use annotate_snippets::{Level, Renderer, Snippet};
use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;
use std::path::Path;

/// The most lines of a multi-line span that are shown; the underline stops
/// at the last one.
pub const MAX_SPAN_LINES: usize = 12;
/// On a long line, how much text is shown before and after the span.
pub const CONTEXT_BYTES: usize = 512;
/// The longest part of a span that is underlined.
const MAX_SPAN_BYTES: usize = 8 * 1024;

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

pub fn render(diagnostics: &[Diagnostic], guide: &Guide) -> String {
    let renderer = Renderer::plain();
    let mut chapters: HashMap<&Path, Vec<&Chapter>> = HashMap::new();
    for chapter in &guide.chapters {
        chapters.entry(&chapter.path).or_default().push(chapter);
    }
    let mut out = String::new();
    for d in diagnostics {
        let path = visible(&d.file.display().to_string()).into_owned();
        let message = visible(&d.message);
        let help = d.help.as_deref().map(visible);
        let window = chapters
            .get(d.chapter.as_path())
            .and_then(|candidates| chapter_of(candidates, d))
            .map(|chapter| Window::new(&chapter.source, d));
        let mut report = level(d.severity).title(&message).id(d.rule.id());
        if let Some(window) = &window {
            report = report.snippet(
                Snippet::source(&window.text)
                    .line_start(d.line)
                    .origin(&path)
                    .annotation(level(d.severity).span(window.span.clone())),
            );
        }
        if let Some(help) = &help {
            report = report.footer(Level::Help.title(help));
        }
        let mut text = renderer.render(report).to_string();
        match &window {
            Some(window) => window.fix_origin(&mut text, &path, d, &message),
            None => {
                let _ = write!(text, "\n --> {path}:{}:{}", d.line, d.column);
            }
        }
        out.push_str(&text);
        out.push_str("\n\n");
    }
    let summary = Summary::of(diagnostics);
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info(s)",
        summary.errors, summary.warnings, summary.infos
    );
    out
}

/// The chapter a finding belongs to. Paths are unique in a real book, but a
/// crafted preprocessor input can give two chapters one path: prefer the one
/// whose text holds the span on the finding's own line.
fn chapter_of<'g>(candidates: &[&'g Chapter], d: &Diagnostic) -> Option<&'g Chapter> {
    let fits = |c: &&&Chapter| {
        d.span.end <= c.source.len()
            && c.source.is_char_boundary(d.span.start)
            && c.source.is_char_boundary(d.span.end)
    };
    candidates
        .iter()
        .filter(fits)
        .find(|c| c.location(d.span.start).line == d.line)
        .or_else(|| candidates.iter().find(fits))
        .copied()
}

/// The text shown for one finding, made visible, and the span in it.
struct Window {
    text: String,
    span: Range<usize>,
}

impl Window {
    fn new(source: &str, d: &Diagnostic) -> Self {
        let span = snap_to_chars(source, d.span);
        let start = window_start(source, span.start, d.column);
        // The underlined part: at most MAX_SPAN_LINES lines and MAX_SPAN_BYTES.
        let mut end = source.floor_char_boundary(span.end.min(span.start + MAX_SPAN_BYTES));
        if let Some((i, _)) = source[span.start..end]
            .match_indices('\n')
            .nth(MAX_SPAN_LINES - 1)
        {
            end = span.start + i;
        }
        // A span that takes in the line break shows no extra line.
        let line_end_from = if end > span.start && source[..end].ends_with('\n') {
            end - 1
        } else {
            end
        };
        let limit = source.floor_char_boundary((line_end_from + CONTEXT_BYTES).min(source.len()));
        let mut stop = source[line_end_from..limit]
            .find('\n')
            .map_or(limit, |i| line_end_from + i);
        if stop > start && source[..stop].ends_with('\r') && source[stop..].starts_with('\n') {
            stop -= 1;
        }
        let mut end = end.min(stop);
        if end == span.start && end < stop {
            // An empty span underlines the character it sits before.
            end = source.ceil_char_boundary(end + 1);
        }
        let before = shown(&source[start..span.start]);
        let inside = shown(&source[span.start..end]);
        let after = shown(&source[end..stop]);
        let mut text = format!("{before}{inside}{after}");
        let mut underlined = before.len()..before.len() + inside.len();
        if text.is_empty() {
            // An empty line (or chapter): annotate-snippets shows no line
            // at all, and numbers it 1. Point at a blank.
            text.push(' ');
            underlined = 0..1;
        }
        Window {
            text,
            span: underlined,
        }
    }

    /// annotate-snippets computes the column from the window; write the
    /// diagnostic's own line and column instead (they differ when the window
    /// was cut, or made visible, or comes from an included file).
    /// The origin line is looked for after the title `level[id]: message`,
    /// so a location quoted in the message is never the one rewritten.
    fn fix_origin(&self, rendered: &mut String, path: &str, d: &Diagnostic, message: &str) {
        let column = self.text[..self.span.start].chars().count() + 1;
        if column == d.column {
            return;
        }
        let drawn = format!("--> {path}:{}:{column}", d.line);
        let from = match rendered.find("]: ") {
            Some(at) if rendered[at + 3..].starts_with(message) => at + 3 + message.len(),
            _ => rendered.ceil_char_boundary(message.len().min(rendered.len())),
        };
        if let Some(at) = rendered[from..].find(&drawn) {
            let at = from + at;
            rendered.replace_range(
                at..at + drawn.len(),
                &format!("--> {path}:{}:{}", d.line, d.column),
            );
        }
    }
}

/// Source text as the window shows it: visible, and tabs expanded here,
/// since annotate-snippets expands them in the line but not in the
/// underline.
fn shown(text: &str) -> String {
    visible(text).replace('\t', "    ")
}

/// Where the window of a finding at `start` begins: its line's start, or,
/// when the span's own column is smaller than its column in the chapter
/// text (text from an `{{#include}}` that starts mid-line), where that
/// included line begins; never more than CONTEXT_BYTES before `start`.
fn window_start(source: &str, start: usize, column: usize) -> usize {
    let from = source.floor_char_boundary(start.saturating_sub(CONTEXT_BYTES));
    let line_start = match source[from..start].rfind('\n') {
        Some(newline) => from + newline + 1,
        None if from == 0 => 0,
        // A line cut for length: the text before it is not shown anyway.
        None => return from,
    };
    let chapter_column = source[line_start..start].chars().count() + 1;
    match chapter_column.checked_sub(column) {
        Some(skip) if skip > 0 && column > 0 => source[line_start..start]
            .char_indices()
            .nth(skip)
            .map_or(line_start, |(i, _)| line_start + i),
        _ => line_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::parse::parse_book;
    use std::path::PathBuf;

    fn guide(chapters: &[(&str, &str)]) -> Guide {
        parse_book(
            chapters
                .iter()
                .map(|(p, s)| (PathBuf::from(p), s.to_string())),
        )
    }

    fn finding(guide: &Guide, chapter: usize, span: Span) -> Diagnostic {
        Diagnostic::new(
            crate::registry::RuleId::BrokenLink,
            Severity::Error,
            &guide.chapters[chapter],
            span,
            "bad",
        )
    }

    #[test]
    fn empty_span_before_a_multibyte_character_does_not_panic() {
        let text = "# T\n\nab“c”\n🔥";
        let g = guide(&[("x.md", text)]);
        for at in [
            text.find('“').unwrap(),
            text.find('🔥').unwrap(),
            text.len(),
        ] {
            let d = finding(&g, 0, Span::new(at, at));
            let out = render(std::slice::from_ref(&d), &g);
            assert!(
                out.contains(&format!("--> x.md:{}:{}\n", d.line, d.column)),
                "{out}"
            );
        }
    }

    #[test]
    fn edge_spans_do_not_panic() {
        let text = "# T\n\n\r\nx\n";
        let g = guide(&[("x.md", text), ("empty.md", "")]);
        let newline = text.find("\r\n").unwrap();
        for (chapter, start, end) in [
            (1, 0, 0),
            (1, 0, 5),
            (0, 3, 4),
            (0, newline, newline + 2),
            // The `\n` of a CRLF, alone or with what follows, and the
            // empty span between its two characters.
            (0, newline + 1, newline + 2),
            (0, newline + 1, newline + 3),
            (0, newline + 1, newline + 1),
            (0, 0, text.len()),
            (0, text.len(), text.len()),
            (0, 7, 3),
        ] {
            let d = finding(&g, chapter, Span::new(start, end));
            let out = render(std::slice::from_ref(&d), &g);
            assert!(
                out.contains(&format!(
                    "--> {}:{}:{}\n",
                    d.file.display(),
                    d.line,
                    d.column
                )),
                "{start}..{end}: {out}"
            );
        }
    }

    #[test]
    fn tabs_and_crlf_keep_the_underline_in_place() {
        let text = "# T\r\n\r\npara\r\n\t[tab](#te)\r\n";
        let g = guide(&[("x.md", text)]);
        let at = text.find("#te").unwrap();
        let out = render(&[finding(&g, 0, Span::new(at, at + 3))], &g);
        assert!(out.contains("--> x.md:4:8\n"), "{out}");
        assert!(out.contains("4 |     [tab](#te)\n"), "{out}");
        assert!(out.contains("  |           ^^^\n"), "{out}");
        // A span ending with the line break shows only its own line.
        let line = text.find("para").unwrap();
        let out = render(&[finding(&g, 0, Span::new(line, line + 6))], &g);
        assert!(out.contains("3 | para\n  | ^^^^\n"), "{out}");
    }

    #[test]
    fn two_chapters_sharing_a_path_do_not_panic() {
        let long = format!("# A\n\n{}\n\nlast line\n", "x".repeat(100));
        let g = guide(&[("x.md", "# A\n"), ("x.md", &long)]);
        let at = long.find("last").unwrap();
        let d = finding(&g, 1, Span::new(at, at + 4));
        let out = render(&[d], &g);
        assert!(out.contains("--> x.md:5:1\n"), "{out}");
        assert!(out.contains("5 | last line"), "{out}");
        // A span that fits no chapter at all still gives the location.
        let mut d = finding(&g, 1, Span::new(at, at + 4));
        d.span = Span::new(10_000, 10_004);
        let out = render(&[d], &g);
        assert!(out.contains("--> x.md:5:1"), "{out}");
    }

    #[test]
    fn only_the_lines_of_the_span_are_given_to_the_renderer() {
        let text: String = (1..=5000).map(|i| format!("line {i}\n")).collect();
        let g = guide(&[("x.md", &text)]);
        let at = text.find("line 4321").unwrap();
        let window = Window::new(&text, &finding(&g, 0, Span::new(at, at + 4)));
        assert_eq!(window.text, "line 4321");
        let out = render(&[finding(&g, 0, Span::new(at, at + 4))], &g);
        assert!(out.contains("--> x.md:4321:1\n"), "{out}");
        assert!(out.contains("4321 | line 4321\n"), "{out}");

        // A long multi-line span shows MAX_SPAN_LINES lines.
        let end = text.find("line 4400").unwrap();
        let window = Window::new(&text, &finding(&g, 0, Span::new(at, end)));
        assert_eq!(window.text.lines().count(), MAX_SPAN_LINES);
        // A very long line is cut around the span.
        let long = format!("{}é{}", "a".repeat(100_000), "b".repeat(100_000));
        let g = guide(&[("x.md", &long)]);
        let at = long.find('é').unwrap();
        let d = finding(&g, 0, Span::new(at, at + 1));
        let window = Window::new(&long, &d);
        assert!(
            window.text.len() <= 2 * CONTEXT_BYTES + 2,
            "{}",
            window.text.len()
        );
        let out = render(&[d], &g);
        assert!(out.contains("--> x.md:1:100001\n"), "{out}");
    }

    #[test]
    fn lines_are_numbered_from_the_diagnostic_line() {
        // As for text included from another file: the span is in the
        // chapter's text, the line and column in the included file.
        let text = "# T\n\nIntro: included text\nsecond\n";
        let g = guide(&[("x.md", text)]);
        let at = text.find("text").unwrap();
        let mut d = finding(&g, 0, Span::new(at, at + 4));
        d.file = "x.md".into();
        d.line = 40;
        d.column = 10;
        let out = render(&[d], &g);
        assert!(out.contains("--> x.md:40:10\n"), "{out}");
        assert!(out.contains("40 | included text\n"), "{out}");
    }

    #[test]
    fn many_findings_render_in_linear_time() {
        let lines = 40_000;
        let text: String = (0..lines)
            .map(|i| format!("[l{i}](#missing-{i})\n"))
            .collect();
        let g = guide(&[("x.md", &text)]);
        let findings: Vec<Diagnostic> = text
            .match_indices("#missing")
            .map(|(at, _)| finding(&g, 0, Span::new(at, at + 8)))
            .collect();
        let started = std::time::Instant::now();
        let out = render(&findings, &g);
        let elapsed = started.elapsed();
        assert!(out.contains(&format!("{lines} error(s)")));
        // Giving the renderer the whole chapter per finding took minutes.
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }

    #[test]
    fn a_message_with_multibyte_text_or_a_location_keeps_its_title() {
        // The window shows the NUL as `\u{0}`, so its column differs from
        // the finding's and the origin line is rewritten. The rewrite must
        // start after the whole title: once it started at the message's
        // length in bytes, which fell inside a '€' of the title (a panic)
        // or before a location quoted in the message (rewritten in place).
        let text = "# T\n\n\u{0}x now\n";
        let g = guide(&[("x.md", text)]);
        let at = text.find("now").unwrap();
        for message in ["€".repeat(20), "see --> x.md:3:8 here".to_string()] {
            let d = Diagnostic {
                message: message.clone(),
                ..finding(&g, 0, Span::new(at, at + 3))
            };
            assert_eq!((d.line, d.column), (3, 4));
            let out = render(&[d], &g);
            assert!(out.contains(&format!("]: {message}\n")), "{out}");
            assert!(out.contains("--> x.md:3:4\n"), "{out}");
        }
    }

    #[test]
    fn control_characters_are_shown_visibly() {
        let text = "# T\n\nrun \u{1b}]0;pwned\u{7} now\n";
        let g = guide(&[("x\u{1b}[31m.md", text)]);
        let at = text.find("now").unwrap();
        let d = finding(&g, 0, Span::new(at, at + 3)).with_help("see \u{9b}2J");
        let d = Diagnostic {
            message: "bad \u{1b}[2J".into(),
            ..d
        };
        let out = render(&[d], &g);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("run \\u{1b}]0;pwned\\u{7} now"), "{out}");
        assert!(out.contains("bad \\u{1b}[2J"), "{out}");
        assert!(out.contains("see \\u{9b}2J"), "{out}");
        assert!(out.contains("--> x\\u{1b}[31m.md:3:16\n"), "{out}");
    }
}
