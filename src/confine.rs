//! Keeps a book inside its root directory.
//!
//! Before mdBook loads a book (which reads every chapter and, with
//! `create-missing`, creates the missing ones), [`check_book`] walks the
//! chapters SUMMARY.md lists and the files their `{{#include …}}`,
//! `{{#rustdoc_include …}}` and `{{#playground …}}` directives read, the way
//! mdBook's `links` preprocessor finds them: anywhere in the text, code
//! blocks included, nested up to mdBook's depth of 10. Each must resolve,
//! symlinks resolved, inside the book's root, unless the book sets
//! `allow-outside-root = true`. A chapter's path must also stay inside the
//! source directory whatever that key says, because its page is written at
//! that path under the output directory; so must the `[output.html]`
//! `additional-css` and `additional-js` files stay inside the root, which
//! mdBook copies to their path under the output directory. The errors name
//! the file and line. [`check_missing`] then reports the listed chapters
//! that do not exist, or notes that a build's `create-missing` creates
//! them. Every file included must exist and be UTF-8, as mdBook needs (it
//! would leave the directive in the page). This module reads files and never
//! writes one.

use crate::fs::resolve;
use anyhow::{Context, Result, bail};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// mdBook's `links` preprocessor stops expanding includes at this depth.
const MAX_INCLUDE_DEPTH: usize = 10;

/// A chapter SUMMARY.md lists whose file does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingChapter {
    /// The file, relative to the book root when inside it.
    pub file: String,
    /// Where SUMMARY.md lists it: `src/SUMMARY.md:LINE`.
    pub listed_at: String,
}

/// Checks the chapters of the book at `root` (configured by `config`), the
/// files they include, and the `[output.html]` `additional-css` and
/// `additional-js` files. Returns the chapters SUMMARY.md lists that do not
/// exist yet (those `create-missing` creates).
pub fn check_book(
    root: &Path,
    config: &mdbook_driver::config::Config,
    allow_outside_root: bool,
) -> Result<Vec<MissingChapter>> {
    let src = &root.join(&config.book.src);
    let book = Book {
        root: std::fs::canonicalize(root)
            .with_context(|| format!("resolving {}", root.display()))?,
        shown_root: root.to_path_buf(),
        allow_outside_root,
    };
    let resolved_src = resolve(src)?;
    book.check_inside(&resolved_src, || {
        format!("{}: the source directory", book.shown(src))
    })?;
    book.check_additional_files(root, config)?;
    let summary_path = src.join("SUMMARY.md");
    book.check_inside(&resolve(&summary_path)?, || book.shown(&summary_path))?;
    let summary_text = crate::fs::read_utf8(&summary_path)?;
    // A SUMMARY.md mdBook cannot parse gets mdBook's own error when it loads.
    let Ok(summary) = mdbook_summary::parse_summary(&summary_text) else {
        return Ok(Vec::new());
    };
    let mut links: Vec<&mdbook_summary::SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .collect();
    let mut missing = Vec::new();
    let mut visited = HashSet::new();
    while let Some(item) = links.pop() {
        let mdbook_summary::SummaryItem::Link(link) = item else {
            continue;
        };
        links.extend(&link.nested_items);
        let Some(location) = &link.location else {
            continue;
        };
        let place = || {
            let line = line_of_link(&summary_text, location)
                .map(|line| format!(":{line}"))
                .unwrap_or_default();
            format!("{}{line}", book.shown(&summary_path))
        };
        if escapes(location) {
            bail!(
                "{}: chapter `{}` is outside the source directory {}: its page would be written \
                 outside the site. Move the file into the source directory (a symlink there \
                 works too)",
                place(),
                location.display(),
                book.shown(src)
            );
        }
        let chapter = src.join(location);
        let resolved = resolve(&chapter)?;
        book.check_inside(&resolved, || {
            format!("{}: chapter `{}`", place(), location.display())
        })?;
        if !resolved.exists() {
            missing.push(MissingChapter {
                file: book.shown(&chapter),
                listed_at: place(),
            });
        } else {
            book.check_includes(&chapter, 0, &mut visited)?;
        }
    }
    missing.reverse();
    Ok(missing)
}

/// What becomes of the `missing` chapters: with `create` (a build with
/// `create-missing`), a note for each, since mdBook creates them; otherwise
/// an error naming the first, which says so when only `check`'s never
/// writing kept `create-missing` (`requested`) from creating it.
pub fn check_missing(missing: &[MissingChapter], create: bool, requested: bool) -> Result<()> {
    if create {
        for chapter in missing {
            eprintln!(
                "note: creating the missing chapter {} listed at {} ([build] create-missing)",
                chapter.file, chapter.listed_at
            );
        }
        return Ok(());
    }
    let Some(first) = missing.first() else {
        return Ok(());
    };
    let hint = if requested {
        "; `build` creates it ([build] create-missing is on), `check` never writes"
    } else {
        ""
    };
    bail!(
        "{}: chapter {} does not exist{hint}",
        first.listed_at,
        first.file
    )
}

struct Book {
    /// The root, resolved.
    root: PathBuf,
    /// The root as the user gave it, to show paths the way they know them.
    shown_root: PathBuf,
    allow_outside_root: bool,
}

impl Book {
    /// `path` relative to the book root when it is inside, else as it is.
    fn shown(&self, path: &Path) -> String {
        let path = lexical(path);
        path.strip_prefix(lexical(&self.shown_root))
            .unwrap_or(&path)
            .display()
            .to_string()
    }

    /// Refuses a `resolved` path outside the root; `what` names the place
    /// that refers to it.
    fn check_inside(&self, resolved: &Path, what: impl FnOnce() -> String) -> Result<()> {
        if self.allow_outside_root || resolved.starts_with(&self.root) {
            return Ok(());
        }
        bail!(
            "{} resolves to {}, outside the book root {}; set `allow-outside-root = true` in \
             [preprocessor.runbook] to allow it",
            what(),
            resolved.display(),
            self.root.display()
        )
    }

    /// mdBook copies each `additional-css` and `additional-js` file from
    /// the root to the same path under the output directory.
    fn check_additional_files(
        &self,
        root: &Path,
        config: &mdbook_driver::config::Config,
    ) -> Result<()> {
        let Some(html) = config.html_config() else {
            return Ok(());
        };
        let book_toml = self.shown(&root.join("book.toml"));
        let files = [
            ("additional-css", &html.additional_css),
            ("additional-js", &html.additional_js),
        ];
        for (key, paths) in files {
            for path in paths {
                if escapes(path) {
                    bail!(
                        "{book_toml}: [output.html] {key} `{}` is outside the book root: mdBook \
                         copies it to the same path under the output directory, which that path \
                         would leave. Move the file into the book",
                        path.display()
                    );
                }
                self.check_inside(&resolve(&root.join(path))?, || {
                    format!("{book_toml}: [output.html] {key} `{}`", path.display())
                })?;
            }
        }
        Ok(())
    }

    /// Checks every file `file` includes, and what those include in turn.
    /// `file` is the path mdBook uses: included paths are relative to its
    /// directory, symlinks not resolved.
    fn check_includes(
        &self,
        file: &Path,
        depth: usize,
        visited: &mut HashSet<(PathBuf, usize)>,
    ) -> Result<()> {
        if depth >= MAX_INCLUDE_DEPTH || !visited.insert((lexical(file), depth)) {
            return Ok(());
        }
        let Ok(metadata) = std::fs::metadata(file) else {
            return Ok(());
        };
        if !metadata.is_file() {
            return Ok(());
        }
        if metadata.len() > crate::load::MAX_CHAPTER_BYTES {
            bail!(
                "{}: {} bytes is larger than the {}-byte limit for a chapter",
                self.shown(file),
                metadata.len(),
                crate::load::MAX_CHAPTER_BYTES
            );
        }
        // mdBook cannot include a file that is not UTF-8 (it leaves the
        // directive in the page, with a log line): an error here.
        let text = crate::fs::read_utf8_shown(file, &self.shown(file))?;
        let base = file.parent().unwrap_or(Path::new(""));
        for directive in find_includes(&text) {
            let included = base.join(directive.path);
            let place = || {
                let (line, column) = line_column(&text, directive.start);
                format!(
                    "{}:{line}:{column}: `{{{{#{} {}}}}}`",
                    self.shown(file),
                    directive.kind,
                    directive.path
                )
            };
            let resolved = resolve(&included)
                .ok()
                .filter(|resolved| resolved.is_file())
                .with_context(|| {
                    format!(
                        "{}: {} is not a file that can be read (mdBook would leave the directive \
                         in the page)",
                        place(),
                        self.shown(&included)
                    )
                })?;
            self.check_inside(&resolved, place)?;
            self.check_includes(&included, depth + 1, visited)?;
        }
        Ok(())
    }
}

/// Whether a chapter path from SUMMARY.md leaves the source directory: an
/// absolute path, or more `..` than names before them.
fn escapes(location: &Path) -> bool {
    let mut depth = 0usize;
    for component in location.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return true,
            },
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

/// `path` with `.` and `..` resolved by name only.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The 1-based line of SUMMARY.md that links to `location`.
fn line_of_link(summary: &str, location: &Path) -> Option<usize> {
    let written = location.to_str()?;
    let encoded = written.replace(' ', "%20");
    summary
        .lines()
        .position(|line| {
            [written, encoded.as_str()].iter().any(|form| {
                line.contains(&format!("]({form}")) || line.contains(&format!("](<{form}"))
            })
        })
        .map(|index| index + 1)
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// A directive that makes mdBook read a file.
#[derive(Debug, PartialEq, Eq)]
struct IncludeDirective<'a> {
    /// `include`, `rustdoc_include`, `playground` or `playpen`.
    kind: &'a str,
    /// The file, as written (without a line range or anchor).
    path: &'a str,
    /// Byte offset of the directive's `{{`.
    start: usize,
}

/// The directives mdBook's `links` preprocessor would expand in `text`,
/// found as its pattern finds them: `{{`, optional whitespace, `#`, a name of
/// `[A-Za-z0-9_]`, whitespace, then anything but `}` up to `}}`. A
/// backslash before `{{#` escapes everything up to the last `}}` of that
/// line. Linear in the text: the searches for a line's end and for the next
/// `}` only move forward.
fn find_includes(text: &str) -> Vec<IncludeDirective<'_>> {
    let mut found = Vec::new();
    let mut next_brace = NextBrace { text, at: None };
    // The end of the current line and the start of its last `}}`.
    let mut line: Option<(usize, Option<usize>)> = None;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("\\{{#") {
            let (line_end, last_close) = match line {
                Some((end, close)) if end >= i => (end, close),
                _ => {
                    let end = rest.find('\n').map_or(text.len(), |n| i + n);
                    let close = text[i..end].rfind("}}").map(|n| i + n);
                    line = Some((end, close));
                    (end, close)
                }
            };
            debug_assert!(line_end >= i);
            if let Some(close) = last_close.filter(|&close| close >= i + 4) {
                i = close + 2;
                continue;
            }
        } else if rest.starts_with("{{")
            && let Some((end, kind, arguments)) = directive_at(text, i, &mut next_brace)
        {
            let file = arguments.split_whitespace().next().unwrap_or("");
            let path = match kind {
                "include" | "rustdoc_include" => file.split(':').next().unwrap_or(""),
                "playground" | "playpen" => file,
                _ => "",
            };
            if !path.is_empty() {
                found.push(IncludeDirective {
                    kind,
                    path,
                    start: i,
                });
            }
            i = end;
            continue;
        }
        // Nothing but a `{` or a `\` can start what is looked for: skip
        // to the next one (both are ASCII, so `i` stays on a char boundary).
        i += 1 + memchr::memchr2(b'{', b'\\', &text.as_bytes()[i + 1..])
            .unwrap_or(text.len() - i - 1);
    }
    found
}

/// The first `}` at or after a position, remembered so that increasing
/// positions scan the text once.
struct NextBrace<'a> {
    text: &'a str,
    /// The first `}` at or after the last position asked (the text's length
    /// when there is none).
    at: Option<usize>,
}

impl NextBrace<'_> {
    fn from(&mut self, position: usize) -> Option<usize> {
        let at = match self.at {
            Some(at) if at >= position => at,
            _ => self.text[position..]
                .find('}')
                .map_or(self.text.len(), |n| position + n),
        };
        self.at = Some(at);
        (at < self.text.len()).then_some(at)
    }
}

/// The directive whose `{{` is at `start`: its end, name and arguments.
fn directive_at<'a>(
    text: &'a str,
    start: usize,
    next_brace: &mut NextBrace<'_>,
) -> Option<(usize, &'a str, &'a str)> {
    let rest = &text[start + 2..];
    let after_space = rest.trim_start();
    let name_start = after_space.strip_prefix('#')?;
    let name_len = name_start
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    let (name, after_name) = name_start.split_at(name_len);
    // Whitespace, then at least one more character that is not `}`.
    if !after_name.starts_with(char::is_whitespace) {
        return None;
    }
    let arguments_start = text.len() - after_name.len();
    let close = next_brace.from(arguments_start)?;
    let arguments = &text[arguments_start..close];
    if !text[close..].starts_with("}}") || arguments.chars().nth(1).is_none() {
        return None;
    }
    Some((close + 2, name, arguments))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(&str, &str)> {
        find_includes(text)
            .into_iter()
            .map(|d| (d.kind, d.path))
            .collect()
    }

    #[test]
    fn finds_directives_as_mdbook_does() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("\\{{#a}} \\{{#b}} {{#include c}}", &[]),
            ("\\{{#a \\{{#b}}\n{{#include c}}", &[("include", "c")]),
            ("{{#include a.md}}", &[("include", "a.md")]),
            (
                "{{ #include   /etc/passwd }}",
                &[("include", "/etc/passwd")],
            ),
            ("{{#include x.rs:2:5}}", &[("include", "x.rs")]),
            ("{{#include x.rs:anchor}}", &[("include", "x.rs")]),
            (
                "{{#rustdoc_include ../x.rs:3}}",
                &[("rustdoc_include", "../x.rs")],
            ),
            ("{{#playground ex.rs editable}}", &[("playground", "ex.rs")]),
            ("{{#playpen ex.rs}}", &[("playpen", "ex.rs")]),
            (
                "```\n{{#include in-code.md}}\n```",
                &[("include", "in-code.md")],
            ),
            ("{{#include\nsplit.md\n}}", &[("include", "split.md")]),
            ("{{#title T}} {{#include a}}", &[("include", "a")]),
            ("\\{{#include no.md}}", &[]),
            ("\\{{#include no.md}} {{#include hidden.md}}", &[]),
            // The escape needs its `}}` on the same line; without it, the
            // directive runs across the newline up to the next `}}`.
            (
                "\\{{#include no.md\n{{#include yes.md}}",
                &[("include", "no.md")],
            ),
            ("{{#include}}", &[]),
            ("{{#include }}", &[]),
            ("{{#include-x a}}", &[]),
            ("{{#unknown a}} {{#include b}}", &[("include", "b")]),
            ("{{#include a}x}}", &[]),
            ("é{{#include é.md}}", &[("include", "é.md")]),
        ];
        for (text, expected) in cases {
            assert_eq!(paths(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn hostile_text_is_scanned_in_linear_time() {
        let n = 1_000_000;
        for text in [
            "{{#a x".repeat(n / 6),
            format!("{}}}x", "{{#a x".repeat(n / 6)),
            "\\{{#".repeat(n / 4),
            format!("{}\n{{{{#include a}}}}", "\\{{#x}".repeat(n / 6)),
        ] {
            let started = std::time::Instant::now();
            find_includes(&text);
            assert!(started.elapsed().as_secs() < 2, "{:?}", &text[..12]);
        }
    }

    #[test]
    fn directive_position() {
        let text = "line one\nsome {{#include b.md}}\n";
        let directive = &find_includes(text)[0];
        assert_eq!(line_column(text, directive.start), (2, 6));
    }

    #[test]
    fn chapter_paths_that_leave_the_sources() {
        for (path, out) in [
            ("a.md", false),
            ("./x/../a.md", false),
            ("x/../../a.md", true),
            ("../a.md", true),
            ("/etc/passwd", true),
        ] {
            assert_eq!(escapes(Path::new(path)), out, "{path}");
        }
    }

    #[test]
    fn summary_line_of_a_link() {
        let summary = "# Summary\n\n- [A](./a.md)\n- [E](../../victim.md)\n- [S](<my file.md>)\n";
        assert_eq!(line_of_link(summary, Path::new("../../victim.md")), Some(4));
        assert_eq!(line_of_link(summary, Path::new("my file.md")), Some(5));
        assert_eq!(line_of_link(summary, Path::new("nowhere.md")), None);
    }
}
