//! Model → FAQ index: the machine-readable list of problems (`faq.json`).
//!
//! For every entry: the strings an error text should match (the quoted
//! message, and the error strings of its cause tables), its causes (labelled
//! cause parts, their list items, and the cause column of its tables), the
//! markdown of its solutions, every command of its snippets with its program,
//! AWS service and operation and access class, tags, its URL in the site and
//! its source line. Ids are the stable anchors, the same in every language.
//! No I/O here: `site.rs` writes the file.

use crate::access::{self, Access};
use crate::analysis::Analysis;
use crate::aws::command::Checked;
use crate::model::{Chapter, Entry, EntryKind, Guide, Role, Section};
use crate::shell;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SCHEMA_VERSION: u32 = 1;

impl FaqIndex {
    /// An index with no entries, in `language`.
    pub fn empty(language: &str) -> Self {
        FaqIndex {
            schema_version: SCHEMA_VERSION,
            language: language.to_string(),
            entries: Vec::new(),
        }
    }

    /// The text of `faq.json`: pretty JSON whose `<` are written `\u003c`,
    /// so that no `</script>` or `<!--` from the book survives should the
    /// file be inlined into a page. Every JSON reader gets the same strings.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("the FAQ index serializes")
            .replace('<', "\\u003c")
            + "\n"
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqIndex {
    pub schema_version: u32,
    pub language: String,
    pub entries: Vec<FaqEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: String,
    pub section: SectionRef,
    pub title: String,
    pub kind: String,
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    pub causes: Vec<String>,
    pub solutions_markdown: String,
    pub commands: Vec<FaqCommand>,
    pub tags: Vec<String>,
    pub url: String,
    pub source: SourceRef,
    /// The entry's check script (`checks/<name>`), when it has commands.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub script: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqCommand {
    pub command: String,
    pub program: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub operation: Option<String>,
    pub access: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub file: String,
    pub line: usize,
}

/// Builds the index of every entry of the guide. `src_dir` is the book's
/// source directory relative to the root (`book`), to turn chapter paths
/// into site URLs.
pub fn build(guide: &Guide, analysis: &Analysis, language: &str, src_dir: &Path) -> FaqIndex {
    let entries = guide
        .chapters
        .iter()
        .enumerate()
        .flat_map(|(c, chapter)| {
            chapter
                .entries()
                .map(move |(section, entry)| (c, chapter, section, entry))
        })
        .map(|(c, chapter, section, entry)| {
            let commands = commands_of(analysis, c, entry);
            faq_entry(chapter, section, entry, commands, src_dir)
        })
        .collect();
    FaqIndex {
        schema_version: SCHEMA_VERSION,
        language: language.to_string(),
        entries,
    }
}

/// The page of a chapter in the site: `troubleshooting.html`; a `README.md`
/// is rendered as `index.html`.
pub fn page_url(chapter: &Chapter, src_dir: &Path) -> String {
    let relative = chapter.path.strip_prefix(src_dir).unwrap_or(&chapter.path);
    let mut url = relative.to_string_lossy().replace('\\', "/");
    if relative.file_name().is_some_and(|n| n == "README.md") {
        url = format!("{}index.md", url.trim_end_matches("README.md"));
    }
    match url.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => url,
    }
}

fn faq_entry(
    chapter: &Chapter,
    section: &Section,
    entry: &Entry,
    commands: Vec<FaqCommand>,
    src_dir: &Path,
) -> FaqEntry {
    let mut matches = Vec::new();
    if let EntryKind::ErrorMessage { message } = &entry.kind {
        matches.push(message.clone());
    }
    let mut causes = Vec::new();
    for part in entry.parts_with_role(Role::Cause) {
        causes.extend(part.text.iter().cloned());
        causes.extend(part.items.iter().cloned());
    }
    for part in &entry.parts {
        for table in chapter.part_tables(part) {
            let message_column = table.column(&[
                "Message",
                "Event message",
                "Error",
                "Erreur",
                "Message d'erreur",
            ]);
            let cause_column = table.column(&["Cause", "Causes"]);
            for row in &table.rows {
                if let Some(cell) = message_column.and_then(|c| row.get(c)) {
                    let text = unquote(&cell.text);
                    if !text.is_empty() && !matches.contains(&text) {
                        matches.push(text);
                    }
                }
                if let Some(cell) = cause_column.and_then(|c| row.get(c))
                    && !cell.text.is_empty()
                {
                    causes.push(cell.text.clone());
                }
            }
        }
    }
    causes.dedup();
    let solutions_markdown = entry
        .parts_with_role(Role::Solution)
        .map(|part| without_rules(&chapter.source[part.span.start..part.span.end]))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut tags: Vec<String> = commands
        .iter()
        .map(|c| c.service.clone().unwrap_or_else(|| c.program.clone()))
        .collect();
    tags.sort();
    tags.dedup();
    let (file, location) = chapter.locate(entry.span.start);
    FaqEntry {
        id: entry.id.clone(),
        section: SectionRef {
            id: section.id.clone(),
            title: section.title.clone(),
        },
        title: entry.title.clone(),
        kind: match entry.kind {
            EntryKind::ErrorMessage { .. } => "error-message".into(),
            EntryKind::Symptom => "symptom".into(),
        },
        matches,
        causes,
        solutions_markdown,
        commands,
        tags,
        url: format!("{}#{}", page_url(chapter, src_dir), entry.id),
        source: SourceRef {
            file: file.to_string_lossy().replace('\\', "/"),
            line: location.line,
        },
        script: None,
    }
}

/// Markdown without the thematic breaks (`---`) that separate entries.
fn without_rules(markdown: &str) -> String {
    let mut text = markdown.trim();
    while let Some(rest) = ["---", "***", "___"]
        .iter()
        .find_map(|r| text.strip_suffix(r))
    {
        text = rest.trim_end();
    }
    text.to_string()
}

/// A table cell's text without surrounding quotes.
fn unquote(text: &str) -> String {
    text.trim()
        .trim_matches(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '`'))
        .trim()
        .to_string()
}

/// Every command of an entry's shell snippets, in order.
/// Every command of an entry's shell snippets, in order, as the analysis
/// of chapter `chapter` saw them.
pub fn commands_of(analysis: &Analysis, chapter: usize, entry: &Entry) -> Vec<FaqCommand> {
    let mut out = Vec::new();
    let snippets = entry.parts.iter().flat_map(|part| part.snippets.iter());
    for shell in snippets.filter_map(|&s| analysis.shell(chapter, s)) {
        // A command inside `$(…)` is part of the command around it.
        for (command, checked) in shell.commands().filter(|(c, _)| !c.nested) {
            out.push(describe(command, checked));
        }
    }
    out
}

/// Describes one shell command, with its AWS CLI check when it is an `aws`
/// command, for the FAQ and the command index.
pub fn describe(command: &shell::Command, checked: Option<&Checked>) -> FaqCommand {
    let words: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
    let text = command
        .words
        .iter()
        .map(display_word)
        .collect::<Vec<_>>()
        .join(" ");
    let program = words.first().copied().unwrap_or_default().to_string();
    if program == "aws" {
        if let Some(call) = checked.and_then(|c| c.call.as_ref()) {
            return FaqCommand {
                command: text,
                program,
                service: Some(call.service.clone()),
                operation: Some(call.operation.clone()),
                access: call.access.as_str().to_string(),
            };
        }
        return FaqCommand {
            command: text,
            program,
            service: None,
            operation: None,
            access: Access::Mutating.as_str().into(),
        };
    }
    let subcommand = match program.as_str() {
        "docker" | "kubectl" | "podman" => words
            .iter()
            .skip(1)
            .find(|w| !w.starts_with('-'))
            .map(|w| w.to_string()),
        _ => None,
    };
    FaqCommand {
        command: text,
        program,
        service: None,
        operation: subcommand,
        access: access::of_command(&words).as_str().into(),
    }
}

/// A word as a shell user would write it: quoted when it has spaces or
/// characters the shell treats specially.
fn display_word(word: &shell::Word) -> String {
    let value = &word.value;
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=,@%+".contains(c) || !c.is_ascii());
    if plain || word.dynamic {
        value.clone()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_book;
    use std::path::PathBuf;

    #[test]
    fn entries_carry_matches_causes_and_commands() {
        let text = "## 📦 ECR\n\n### ❌ \"boom\"\n\n**Cause :** the thing\n\n| Message | Cause | Solution |\n|---|---|---|\n| \"pull access denied\" | perms | fix |\n\n**Solution :**\n```bash\naws ecs list-tasks --cluster my-cluster\ndocker images x\n```\n";
        let guide = parse_book([(PathBuf::from("book/guide.md"), text.to_string())]);
        let analysis = Analysis::of(&guide, Default::default());
        let index = build(&guide, &analysis, "fr", Path::new("book"));
        let entry = &index.entries[0];
        assert_eq!(entry.id, "ecr-boom");
        assert_eq!(entry.matches, ["boom", "pull access denied"]);
        assert_eq!(entry.causes, ["the thing", "perms"]);
        assert_eq!(entry.url, "guide.html#ecr-boom");
        assert_eq!(entry.commands[0].service.as_deref(), Some("ecs"));
        assert_eq!(entry.commands[0].operation.as_deref(), Some("list-tasks"));
        assert_eq!(entry.commands[0].access, "read-only");
        assert_eq!(entry.commands[1].program, "docker");
        assert_eq!(entry.tags, ["docker", "ecs"]);
        assert!(entry.solutions_markdown.starts_with("**Solution :**"));
        assert_eq!(entry.source.line, 3);
    }

    #[test]
    fn readme_pages_are_index() {
        let guide = parse_book([(PathBuf::from("book/README.md"), "# x\n".to_string())]);
        assert_eq!(
            page_url(&guide.chapters[0], Path::new("book")),
            "index.html"
        );
    }
}
