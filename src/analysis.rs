//! The analysis of every snippet of a guide, computed once per run.
//!
//! For each shell snippet: its shell [`Analysis`](crate::shell::Analysis)
//! (words, commands, foreign text, syntax error) and, for each `aws`
//! command in it, the AWS CLI check ([`Checked`]: findings, service,
//! operation, access class, parameters and placeholders) against the CLI
//! version the book targets. The rules, the FAQ index, the generated pages
//! and the scripts all read this one result, so they can never disagree
//! about what a snippet says, and nothing is analysed twice: a snippet
//! that appears in several places (the same command in two chapters) is
//! analysed once and its analysis shared.
//!
//! A translation of the book has the same code as the source language, so
//! its analysis borrows the source's: a [`Memo`] of the source's analysed
//! snippets by content (language, form, text) hands each identical snippet
//! over instead of analysing it again.
//!
//! This module computes; it never reports, prints or writes.

use crate::aws::{self, command::Checked, custom::CliVersion};
use crate::model::{Guide, Snippet, SnippetForm};
use crate::shell;
use crate::shell::session;
use std::collections::HashMap;
use std::sync::Arc;

/// Where commands are read from: `shell-languages`, `untagged-fences` and
/// `inline-commands` in `[preprocessor.runbook]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellSettings {
    /// The fence languages analysed as shell.
    pub languages: Vec<String>,
    /// Fences with no language whose first line is a command.
    pub untagged_fences: bool,
    /// Inline code that holds a whole `aws` command.
    pub inline_commands: bool,
}

impl Default for ShellSettings {
    fn default() -> Self {
        ShellSettings {
            languages: DEFAULT_SHELL_LANGUAGES
                .iter()
                .map(|l| l.to_string())
                .collect(),
            untagged_fences: true,
            inline_commands: true,
        }
    }
}

/// The fence languages analysed as shell by default: scripts and terminal
/// sessions.
pub const DEFAULT_SHELL_LANGUAGES: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "zsh",
    "console",
    "shell-session",
    "sh-session",
    "terminal",
];

/// The programs whose command on the first line makes an untagged fence a
/// shell block.
const UNTAGGED_PROGRAMS: &[&str] = &["aws", "docker", "kubectl", "curl"];

/// Why a snippet is read as shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellSource {
    /// A fence tagged with a shell language.
    Tagged,
    /// A fence with no language whose first line is a command of a known
    /// program, or a prompt.
    Untagged,
    /// Inline code holding a whole `aws` command.
    Inline,
}

/// Whether `snippet` is shell, and why.
pub fn shell_source(snippet: &Snippet, settings: &ShellSettings) -> Option<ShellSource> {
    match snippet.form {
        SnippetForm::Inline => settings.inline_commands.then_some(ShellSource::Inline),
        _ if settings.languages.contains(&snippet.lang) => Some(ShellSource::Tagged),
        SnippetForm::Fenced if snippet.lang.is_empty() && settings.untagged_fences => {
            let first = snippet
                .code
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())?;
            let program = first.split_whitespace().next()?;
            (UNTAGGED_PROGRAMS.contains(&program) || session::starts_with_prompt(first))
                .then_some(ShellSource::Untagged)
        }
        _ => None,
    }
}

/// One shell snippet, analysed.
#[derive(Debug)]
pub struct ShellSnippet {
    pub source: ShellSource,
    /// Whether the block is a terminal session (prompts and output).
    pub session: bool,
    /// The text analysed: the snippet's code, with a session's prompts and
    /// output blanked (offsets unchanged).
    pub code: String,
    pub shell: shell::Analysis,
    /// The AWS CLI check of `shell.commands[i]`, for each `aws` command.
    pub aws: Vec<Option<Checked>>,
    /// [`ShellSnippet::statements`], computed on first use.
    statements: std::sync::OnceLock<Statements>,
}

/// The code of a snippet with its foreign text masked out, and its
/// top-level statements (see [`shell::statements`]).
#[derive(Debug)]
pub struct Statements {
    pub masked: String,
    pub ranges: Vec<std::ops::Range<usize>>,
}

impl ShellSnippet {
    /// Analyses `snippet`, read as shell because of `source`.
    pub fn of_snippet(snippet: &Snippet, source: ShellSource, aws_cli: CliVersion) -> Self {
        let session =
            source != ShellSource::Inline && session::is_session(&snippet.code, &snippet.lang);
        let code = if session {
            session::commands_only(&snippet.code, &snippet.lang)
        } else {
            snippet.code.clone()
        };
        let mut analysed = ShellSnippet::of(&code, aws_cli);
        analysed.source = source;
        analysed.session = session;
        analysed.code = code;
        analysed
    }

    /// Analyses `code` as a tagged shell block.
    pub fn of(code: &str, aws_cli: CliVersion) -> Self {
        let shell = shell::analyze(code);
        let aws = shell
            .commands
            .iter()
            .map(|command| {
                // A command in a part that does not parse is listed, not
                // checked: its words may be anything.
                (command.program() == Some("aws") && command.parsed)
                    .then(|| aws::command::check(&command.words, aws::customizations(), aws_cli))
            })
            .collect();
        ShellSnippet {
            source: ShellSource::Tagged,
            session: false,
            code: code.to_string(),
            shell,
            aws,
            statements: std::sync::OnceLock::new(),
        }
    }

    /// The code with its foreign text masked out and its top-level
    /// statements, computed once for however many places the snippet
    /// appears in (the check scripts split entries into these steps).
    pub fn statements(&self) -> &Statements {
        self.statements.get_or_init(|| {
            let masked = shell::segment::mask(&self.code, &self.shell.foreign);
            let ranges = shell::statements(&masked);
            Statements { masked, ranges }
        })
    }

    /// Each command with its AWS CLI check (for `aws` commands).
    pub fn commands(&self) -> impl Iterator<Item = (&shell::Command, Option<&Checked>)> {
        self.shell
            .commands
            .iter()
            .zip(self.aws.iter().map(Option::as_ref))
    }
}

/// The analysis of a whole guide: `[chapter][snippet]`, `None` for snippets
/// that are not shell.
#[derive(Debug, Default)]
pub struct Analysis {
    pub aws_cli: CliVersion,
    snippets: Vec<Vec<Option<Arc<ShellSnippet>>>>,
}

/// Analysed snippets by content, for another analysis of the same code
/// (the book's translations) to borrow.
#[derive(Debug, Default)]
pub struct Memo {
    aws_cli: CliVersion,
    settings: Option<ShellSettings>,
    snippets: HashMap<MemoKey, Arc<ShellSnippet>>,
}

/// What a snippet's analysis depends on: how it is written, in what
/// language, and its text.
#[derive(Debug, PartialEq, Eq, Hash)]
struct MemoKey {
    form: SnippetForm,
    lang: String,
    code: String,
}

impl MemoKey {
    fn of(snippet: &Snippet) -> Self {
        MemoKey {
            form: snippet.form,
            lang: snippet.lang.clone(),
            code: snippet.code.clone(),
        }
    }
}

impl Memo {
    /// The shell snippets of `guide` as `analysis` analysed them, under
    /// `settings`.
    pub fn of(guide: &Guide, analysis: &Analysis, settings: &ShellSettings) -> Self {
        let mut snippets = HashMap::new();
        for (chapter, analysed) in guide.chapters.iter().zip(&analysis.snippets) {
            for (snippet, shell) in chapter.snippets.iter().zip(analysed) {
                if let Some(shell) = shell {
                    snippets.insert(MemoKey::of(snippet), Arc::clone(shell));
                }
            }
        }
        Memo {
            aws_cli: analysis.aws_cli,
            settings: Some(settings.clone()),
            snippets,
        }
    }

    /// The analysis of `snippet`, if an identical one was analysed under
    /// the same settings.
    fn get(
        &self,
        snippet: &Snippet,
        aws_cli: CliVersion,
        settings: &ShellSettings,
    ) -> Option<Arc<ShellSnippet>> {
        if self.snippets.is_empty()
            || self.aws_cli != aws_cli
            || self.settings.as_ref() != Some(settings)
        {
            return None;
        }

        self.snippets.get(&MemoKey::of(snippet)).cloned()
    }

    /// How many snippets the memo holds.
    pub fn len(&self) -> usize {
        self.snippets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snippets.is_empty()
    }
}

impl Analysis {
    /// Analyses every shell snippet of `guide` with the default settings.
    pub fn of(guide: &Guide, aws_cli: CliVersion) -> Self {
        Analysis::with(guide, aws_cli, &ShellSettings::default())
    }

    /// Analyses every shell snippet of `guide`, chapters in parallel.
    pub fn with(guide: &Guide, aws_cli: CliVersion, settings: &ShellSettings) -> Self {
        Analysis::borrowing(guide, aws_cli, settings, &Memo::default())
    }

    /// [`Analysis::with`], taking the analysis of each snippet `memo` holds
    /// from it instead of analysing it again.
    pub fn borrowing(
        guide: &Guide,
        aws_cli: CliVersion,
        settings: &ShellSettings,
        memo: &Memo,
    ) -> Self {
        // Each distinct snippet is analysed once, wherever it appears: an
        // analysis depends only on the snippet's form, language and code.
        let mut distinct: HashMap<(SnippetForm, &str, &str), usize> = HashMap::new();
        let mut work: Vec<(&Snippet, ShellSource)> = Vec::new();
        let slots: Vec<Vec<Option<usize>>> = guide
            .chapters
            .iter()
            .map(|chapter| {
                chapter
                    .snippets
                    .iter()
                    .map(|s| {
                        let source = shell_source(s, settings)?;
                        let key = (s.form, s.lang.as_str(), s.code.as_str());
                        Some(*distinct.entry(key).or_insert_with(|| {
                            work.push((s, source));
                            work.len() - 1
                        }))
                    })
                    .collect()
            })
            .collect();
        let analysed = parallel_map(&work, |(s, source)| {
            memo.get(s, aws_cli, settings)
                .unwrap_or_else(|| Arc::new(ShellSnippet::of_snippet(s, *source, aws_cli)))
        });
        let snippets = slots
            .into_iter()
            .map(|chapter| {
                chapter
                    .into_iter()
                    .map(|slot| slot.map(|i| Arc::clone(&analysed[i])))
                    .collect()
            })
            .collect();
        Analysis { aws_cli, snippets }
    }

    /// The analysis of snippet `snippet` of chapter `chapter`, if it is shell.
    pub fn shell(&self, chapter: usize, snippet: usize) -> Option<&ShellSnippet> {
        self.snippets.get(chapter)?.get(snippet)?.as_deref()
    }
}

/// `f` over `items` on the machine's cores, results in order. Each worker
/// takes the next item not yet taken, so one slow item does not hold up a
/// share of the others. A single item runs on the calling thread.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        // Workers have the deep stack the parsers need, which the calling
        // thread may not have.
        let helpers: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::WORKER_STACK_BYTES)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut results = Vec::new();
        if helpers.is_empty() {
            // No thread to be had: the work is done here.
            results = work();
        }
        for helper in helpers {
            match helper.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            parallel_map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(parallel_map(&[] as &[u8], |x| *x).is_empty());
    }

    #[test]
    fn an_untagged_fence_of_markdown_headings_is_not_a_root_session() {
        let snippet = |code: &str| Snippet {
            lang: String::new(),
            form: SnippetForm::Fenced,
            code: code.to_string(),
            span: crate::model::Span::new(0, code.len()),
            pieces: vec![(0, 0)],
            allow: Vec::new(),
        };
        let settings = ShellSettings::default();
        let source = |code: &str| shell_source(&snippet(code), &settings);
        assert_eq!(source("# Summary\n\n- [One](./one.md)\n"), None);
        assert_eq!(source("$ mdbook build\n"), Some(ShellSource::Untagged));
    }

    #[test]
    fn aws_commands_are_checked_once_against_the_configured_version() {
        let snippet = ShellSnippet::of(
            "aws logs tail /ecs/app --follow\necho done\n",
            CliVersion::V1,
        );
        let checked: Vec<_> = snippet.commands().collect();
        assert_eq!(checked.len(), 2);
        let aws = checked[0].1.expect("aws command checked");
        assert!(
            aws.findings.iter().any(|f| f.rule == "aws-cli-version"),
            "{:?}",
            aws.findings
        );
        assert!(checked[1].1.is_none());
    }

    #[test]
    fn the_same_snippet_in_two_places_is_analysed_once() {
        let chapter = "# G\n\n```bash\naws ecs list-tasks --cluster c\n```\n\n```sh\naws ecs list-tasks --cluster c\n```\n";
        let guide = crate::parse::parse_book([
            ("book/a.md".into(), chapter.to_string()),
            ("book/b.md".into(), format!("Intro.\n\n{chapter}")),
        ]);
        let analysis = Analysis::of(&guide, CliVersion::V2);
        let at = |c: usize, s: usize| analysis.snippets[c][s].clone().unwrap();
        assert!(Arc::ptr_eq(&at(0, 0), &at(1, 0)), "same code, one analysis");
        assert!(
            !Arc::ptr_eq(&at(0, 0), &at(0, 1)),
            "another language is another snippet"
        );
        assert_eq!(at(1, 0).code, "aws ecs list-tasks --cluster c\n");
    }

    #[test]
    fn a_translation_borrows_the_analysis_of_identical_snippets() {
        let source = crate::parse::parse_book([(
            "book/a.md".into(),
            "# Guide\n\nTexte.\n\n```bash\naws ecs list-tasks --cluster c\n```\n\n```bash\necho fr\n```\n".to_string(),
        )]);
        let translated = crate::parse::parse_book([(
            "book/a.md".into(),
            "# Guide\n\nA longer text in English.\n\n```bash\naws ecs list-tasks --cluster c\n```\n\n```bash\necho en\n```\n".to_string(),
        )]);
        let settings = ShellSettings::default();
        let first = Analysis::with(&source, CliVersion::V2, &settings);
        let memo = Memo::of(&source, &first, &settings);
        assert_eq!(memo.len(), 2);
        let second = Analysis::borrowing(&translated, CliVersion::V2, &settings, &memo);
        let same =
            |analysis: &Analysis, snippet: usize| analysis.snippets[0][snippet].clone().unwrap();
        assert!(
            Arc::ptr_eq(&same(&first, 0), &same(&second, 0)),
            "identical code is borrowed"
        );
        assert!(
            !Arc::ptr_eq(&same(&first, 1), &same(&second, 1)),
            "changed code is analysed"
        );
        assert_eq!(second.shell(0, 1).unwrap().code, "echo en\n");
        // Another CLI version or other settings borrow nothing.
        let v1 = Analysis::borrowing(&translated, CliVersion::V1, &settings, &memo);
        assert!(!Arc::ptr_eq(&same(&first, 0), &same(&v1, 0)));
        let other = ShellSettings {
            inline_commands: false,
            ..ShellSettings::default()
        };
        let elsewhere = Analysis::borrowing(&translated, CliVersion::V2, &other, &memo);
        assert!(!Arc::ptr_eq(&same(&first, 0), &same(&elsewhere, 0)));
    }
}
