//! Where each byte of a chapter came from: the chapter's file, or a file it
//! `{{#include}}`s.
//!
//! The tool analyses chapters as mdBook renders them, after mdBook's `links`
//! preprocessor has expanded `{{#include}}`, `{{#rustdoc_include}}` and
//! `{{#playground}}`. A finding in included text must still point at the
//! included file's own line. [`Origins::align`] rebuilds that mapping by
//! matching the raw chapter (as written on disk) against the expanded text:
//! the literal text between directives appears unchanged and in order, and
//! what a directive expanded to is looked up in the file it names. Text that
//! cannot be traced (a nested include) is attributed to the directive's own
//! line in the chapter; a chapter whose text cannot be aligned at all
//! (another preprocessor rewrote it) is taken as its own origin.
//!
//! Plain data and pure functions: the caller reads the files.

use crate::model::{LineIndex, Location};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's text with its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the book root (or absolute when outside it).
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Arc<Self> {
        let lines = LineIndex::new(&text);
        Arc::new(SourceFile { path, text, lines })
    }
}

/// One run of the expanded text that comes from one place of one file.
#[derive(Debug, Clone)]
struct Piece {
    /// Start of the run in the expanded text.
    start: usize,
    file: Arc<SourceFile>,
    /// Offset in `file` of the run's first byte.
    file_offset: usize,
    /// When true, every byte of the run maps to `file_offset` (untraced text).
    pinned: bool,
}

impl Piece {
    /// A run of the chapter's own text, from `file_offset` of the file.
    fn of_chapter(chapter: &Arc<SourceFile>, start: usize, file_offset: usize) -> Piece {
        Piece {
            start,
            file: chapter.clone(),
            file_offset,
            pinned: false,
        }
    }
}

/// The origin of every byte of one chapter's expanded text. Empty means the
/// text is the chapter file itself.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pieces: Vec<Piece>,
}

/// An `{{#…}}` directive of the raw chapter that mdBook's `links`
/// preprocessor expands.
struct Directive<'a> {
    start: usize,
    end: usize,
    /// The path argument, e.g. `cmd.sh` of `{{#include cmd.sh:2:5}}`.
    path: &'a str,
}

/// The expanding directives of `raw`, in order. Escaped ones (`\{{#…}}`)
/// and unknown ones are literal text.
fn directives(raw: &str) -> Vec<Directive<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = raw[from..].find("{{#") {
        let start = from + found;
        let Some(close) = raw[start..].find("}}") else {
            break;
        };
        let end = start + close + 2;
        let inner = raw[start + 3..end - 2].trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let escaped = raw[..start].ends_with('\\');
        if !escaped && matches!(name, "include" | "rustdoc_include" | "playground" | "title") {
            let path = args.split_whitespace().next().unwrap_or("");
            let path = path.split(':').next().unwrap_or("");
            out.push(Directive { start, end, path });
        }
        from = if escaped { start + 3 } else { end };
    }
    out
}

impl Origins {
    /// The origins of `expanded`, the text mdBook made of `raw` (the chapter
    /// file `chapter` as on disk). `read` returns the text of an included
    /// file, given its path relative to the book root (`chapter`'s directory
    /// joined with the directive's path).
    pub fn align(
        chapter: &Arc<SourceFile>,
        expanded: &str,
        mut read: impl FnMut(&Path) -> Option<Arc<SourceFile>>,
    ) -> Origins {
        let raw = chapter.text.as_str();
        if raw == expanded {
            return Origins::default();
        }
        let directives = directives(raw);
        let mut pieces = Vec::new();
        // Literal text before each directive, then after the last one.
        let mut raw_at = 0;
        let mut at = 0;
        let dir = chapter.path.parent().unwrap_or(Path::new(""));
        for (i, directive) in directives.iter().enumerate() {
            let literal = &raw[raw_at..directive.start];
            if !expanded[at..].starts_with(literal) {
                return Origins::default();
            }
            pieces.push(Piece::of_chapter(chapter, at, raw_at));
            at += literal.len();
            // Where the text after this directive starts again.
            let next_literal = match directives.get(i + 1) {
                Some(next) => &raw[directive.end..next.start],
                None => &raw[directive.end..],
            };
            let included = read(&normalize(&dir.join(directive.path)));
            let expansion_end = match &included {
                Some(file) if expanded[at..].starts_with(&file.text) => {
                    let end = at + file.text.len();
                    if expanded[end..].contains(next_literal) {
                        Some(end)
                    } else {
                        None
                    }
                }
                _ => None,
            }
            .or_else(|| find_literal(expanded, at, next_literal, i + 1 == directives.len()));
            let Some(expansion_end) = expansion_end else {
                return Origins::default();
            };
            let expansion = &expanded[at..expansion_end];
            match included
                .as_ref()
                .and_then(|f| f.text.find(expansion).map(|o| (f, o)))
            {
                Some((file, offset)) if !expansion.is_empty() => pieces.push(Piece {
                    start: at,
                    file: file.clone(),
                    file_offset: offset,
                    pinned: false,
                }),
                _ => pieces.push(Piece {
                    start: at,
                    file: chapter.clone(),
                    file_offset: directive.start,
                    pinned: true,
                }),
            }
            at = expansion_end;
            raw_at = directive.end;
        }
        if expanded[at..] != raw[raw_at..] {
            return Origins::default();
        }
        pieces.push(Piece::of_chapter(chapter, at, raw_at));
        Origins { pieces }
    }

    /// The file and offset byte `offset` of the expanded text comes from,
    /// or `None` when it is the chapter's own byte at the same offset.
    pub fn resolve(&self, offset: usize) -> Option<(&Arc<SourceFile>, usize)> {
        let index = self.pieces.partition_point(|p| p.start <= offset);
        let piece = self.pieces.get(index.checked_sub(1)?)?;
        let file_offset = if piece.pinned {
            piece.file_offset
        } else {
            piece.file_offset + (offset - piece.start)
        };
        Some((&piece.file, file_offset.min(piece.file.text.len())))
    }

    /// The file and location of byte `offset`, or `None` for the chapter's
    /// own text at the same offset.
    pub fn locate(&self, offset: usize) -> Option<(&Path, Location)> {
        let (file, file_offset) = self.resolve(offset)?;
        Some((&file.path, file.lines.location(&file.text, file_offset)))
    }

    /// Whether every byte comes from the chapter file at the same offset.
    pub fn is_identity(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// The end of a directive's expansion: where `next_literal` starts after
/// `from`. For the last directive the literal must end the text.
fn find_literal(expanded: &str, from: usize, next_literal: &str, last: bool) -> Option<usize> {
    if last {
        return expanded
            .ends_with(next_literal)
            .then(|| expanded.len() - next_literal.len())
            .filter(|&end| end >= from);
    }
    expanded[from..].find(next_literal).map(|i| from + i)
}

/// `a/b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> Arc<SourceFile> {
        SourceFile::new(PathBuf::from(path), text.to_string())
    }

    #[test]
    fn identical_text_is_its_own_origin() {
        let chapter = file("book/a.md", "# A\n");
        let origins = Origins::align(&chapter, "# A\n", |_| None);
        assert!(origins.is_identity());
        assert!(origins.locate(2).is_none());
    }

    #[test]
    fn included_text_maps_to_the_included_file() {
        let chapter = file(
            "book/a.md",
            "# A\n\n```bash\n{{#include cmd.sh}}\n```\nend\n",
        );
        let cmd = file("book/cmd.sh", "echo 1\naws ecs nope-op\n");
        let expanded = "# A\n\n```bash\necho 1\naws ecs nope-op\n\n```\nend\n";
        let origins = Origins::align(&chapter, expanded, |path| {
            (path == Path::new("book/cmd.sh")).then(|| cmd.clone())
        });
        let at = expanded.find("nope-op").unwrap();
        let (path, location) = origins.locate(at).unwrap();
        assert_eq!(path, Path::new("book/cmd.sh"));
        assert_eq!((location.line, location.column), (2, 9));
        let end = expanded.find("end").unwrap();
        let (path, location) = origins.locate(end).unwrap();
        assert_eq!(path, Path::new("book/a.md"));
        assert_eq!(location.line, 6);
    }

    #[test]
    fn line_ranges_are_found_in_the_file() {
        let chapter = file("book/a.md", "x\n{{#include f.txt:2:3}}\ny\n");
        let f = file("book/f.txt", "one\ntwo\nthree\nfour\n");
        let expanded = "x\ntwo\nthree\ny\n";
        let origins = Origins::align(&chapter, expanded, |_| Some(f.clone()));
        let (path, location) = origins.locate(expanded.find("three").unwrap()).unwrap();
        assert_eq!((path, location.line), (Path::new("book/f.txt"), 3));
        let (path, location) = origins.locate(expanded.find('y').unwrap()).unwrap();
        assert_eq!((path, location.line), (Path::new("book/a.md"), 3));
    }

    #[test]
    fn untraceable_expansion_points_at_the_directive() {
        let chapter = file("book/a.md", "x\n{{#include gone.txt}}\ny\n");
        let expanded = "x\nsomething else\ny\n";
        let origins = Origins::align(&chapter, expanded, |_| None);
        let (path, location) = origins.locate(expanded.find("else").unwrap()).unwrap();
        assert_eq!(
            (path, location.line, location.column),
            (Path::new("book/a.md"), 2, 1)
        );
    }

    #[test]
    fn escaped_directives_are_text() {
        assert!(directives(r"\{{#include a}} {{#runbook-faq}}").is_empty());
        assert_eq!(directives("{{#title x}}").len(), 1, "mdBook removes it");
        assert_eq!(directives("{{#include ../a.sh:anchor}}")[0].path, "../a.sh");
    }

    #[test]
    fn normalizes_parent_components() {
        assert_eq!(
            normalize(Path::new("book/./x/../cmd.sh")),
            PathBuf::from("book/cmd.sh")
        );
    }
}
