//! Model + analysis → check scripts: one [`CheckScript`] per entry with
//! diagnostic or solution commands, as plain data. No I/O; [`render`] turns
//! them into bash, `run-all.sh` and `manifest.json`.
//!
//! A script's steps are the guide's own statements (a command with its
//! continuation lines, a pipeline, a `$(…)` feeding another command), in
//! order, each with its access class from the analysis: read-only steps run
//! by default, mutating ones only with `--apply`, interactive ones (a
//! session, a follow mode) are shown and never run. Placeholders become
//! [`params`], quoted wherever they are used, so a parameter's value is
//! only ever data.

pub mod params;
pub mod render;

use crate::access::{self, Access};
use crate::analysis::{Analysis, ShellSnippet, ShellSource};
use crate::aws::{self, custom::CliVersion};
use crate::faq;
use crate::model::{Chapter, Entry, Guide, Role};
use crate::registry::{RuleId, Severity};
use crate::shell::{self, Word};
use params::{Parameters, Piece};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Every script of a book.
#[derive(Debug, Clone, Default)]
pub struct ScriptSet {
    pub scripts: Vec<CheckScript>,
    pub parameters: Parameters,
}

impl ScriptSet {
    /// Each entry's script by entry id (the first, should two share one).
    pub fn by_entry(&self) -> HashMap<&str, &CheckScript> {
        let mut by_entry = HashMap::with_capacity(self.scripts.len());
        for script in &self.scripts {
            by_entry.entry(script.entry_id.as_str()).or_insert(script);
        }
        by_entry
    }
}

/// The check script of one entry.
#[derive(Debug, Clone)]
pub struct CheckScript {
    /// `<entry-id folded to ASCII>.sh`.
    pub file_name: String,
    pub entry_id: String,
    pub title: String,
    /// The entry's page and anchor, relative to a language's site root.
    pub url: String,
    pub steps: Vec<Step>,
}

impl CheckScript {
    /// The parameters its steps use, sorted.
    pub fn parameter_names(&self) -> BTreeSet<&str> {
        self.steps
            .iter()
            .flat_map(|s| s.parameters.iter().map(String::as_str))
            .collect()
    }
}

/// What running a step needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepClass {
    /// Runs by default.
    ReadOnly,
    /// Runs only with `--apply`.
    Mutating,
    /// Shown, never run by a script.
    Interactive,
}

/// One statement of the guide, ready to run.
#[derive(Debug, Clone)]
pub struct Step {
    /// The comment right above it in the guide, if any.
    pub title: Option<String>,
    /// The statement, with placeholders turned into parameters.
    pub segments: Vec<Segment>,
    pub class: StepClass,
    /// Uses a command that only AWS CLI v2 has (`aws logs tail`).
    pub needs_cli_v2: bool,
    /// Passes `$(…)` unquoted on purpose: one argument per output word.
    pub splits_words: bool,
    /// Has single-quoted `$` or backquotes on purpose (JMESPath literals).
    pub quotes_literally: bool,
    /// Parameters used, by name.
    pub parameters: BTreeSet<String>,
    pub commands: Vec<faq::FaqCommand>,
    /// Where it is in the book: file and line.
    pub file: String,
    pub line: usize,
}

/// A piece of a step's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The guide's text, as written.
    Code(String),
    /// A word rebuilt from literal text and parameters.
    Word(Vec<Piece>),
}

/// Names a variable may use without being a parameter.
const SHELL_VARIABLES: &[&str] = &["HOME", "PATH", "PWD", "USER", "SHELL", "TMPDIR", "RANDOM"];

/// Builds the scripts of every entry of `guide`, from its analysis.
pub fn build(guide: &Guide, analysis: &Analysis, src_dir: &Path) -> ScriptSet {
    let mut values = Vec::new();
    for (c, chapter) in guide.chapters.iter().enumerate() {
        for (s, _) in chapter.snippets.iter().enumerate() {
            if let Some(shell) = analysis.shell(c, s) {
                candidate_values(shell, &mut values);
            }
        }
    }
    // Option values first, so a placeholder is named after the option it is
    // given to wherever else it appears.
    let mut parameters = Parameters::default();
    let (with_flag, without): (Vec<_>, Vec<_>) = values.into_iter().partition(|(f, _)| f.is_some());
    for (flag, value) in with_flag.into_iter().chain(without) {
        parameters.learn(flag, value);
    }
    let mut scripts = Vec::new();
    let mut names = BTreeSet::new();
    for (c, chapter) in guide.chapters.iter().enumerate() {
        for (_, entry) in chapter.entries() {
            let steps = entry_steps(chapter, c, entry, analysis, &mut parameters);
            if steps.is_empty() {
                continue;
            }
            let mut stem = ascii_file_stem(&entry.id);
            let base = stem.clone();
            let mut n = 2;
            while !names.insert(stem.clone()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            scripts.push(CheckScript {
                file_name: format!("{stem}.sh"),
                entry_id: entry.id.clone(),
                title: entry.title.clone(),
                url: format!("{}#{}", faq::page_url(chapter, src_dir), entry.id),
                steps,
            });
        }
    }
    ScriptSet {
        scripts,
        parameters,
    }
}

/// Every word of the book's commands that may be a placeholder, with the
/// option it is the value of, if any.
fn candidate_values<'a>(shell: &'a ShellSnippet, out: &mut Vec<(Option<&'a str>, &'a str)>) {
    for command in &shell.shell.commands {
        let mut previous: Option<&str> = None;
        for word in command.words.iter().skip(1) {
            let value = word.value.as_str();
            if !word.dynamic {
                if let Some((flag, inline)) =
                    value.split_once('=').filter(|_| value.starts_with("--"))
                {
                    out.push((Some(flag), inline));
                } else if !value.starts_with('-') {
                    out.push((previous.filter(|p| p.starts_with('-')), value));
                }
            }
            previous = Some(value);
        }
    }
}

/// The steps of an entry: the statements of its diagnostic and solution
/// snippets.
fn entry_steps(
    chapter: &Chapter,
    chapter_index: usize,
    entry: &Entry,
    analysis: &Analysis,
    parameters: &mut Parameters,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut assigned: BTreeSet<String> = BTreeSet::new();
    for part in entry
        .parts
        .iter()
        .filter(|p| matches!(p.role, Role::Diagnostic | Role::Solution))
    {
        for &s in &part.snippets {
            // Scripts run what blocks say; inline code only names commands.
            let Some(shell) = analysis
                .shell(chapter_index, s)
                .filter(|shell| shell.source != ShellSource::Inline)
            else {
                continue;
            };
            let snippet = &chapter.snippets[s];
            // A session's prompts and output are blanked in the analysed text.
            let code = &shell.code;
            let statements = shell.statements();
            let masked = &statements.masked;
            for range in statements.ranges.iter().cloned() {
                let commands: Vec<(&shell::Command, Option<&aws::command::Checked>)> = shell
                    .commands()
                    .filter(|(c, _)| range.contains(&c.start()))
                    .collect();
                if commands.is_empty() {
                    continue;
                }
                let (file, location) = chapter.locate(snippet.source_offset(range.start));
                let mut step = Step {
                    title: comment_above(masked, range.start),
                    segments: Vec::new(),
                    class: StepClass::ReadOnly,
                    needs_cli_v2: false,
                    splits_words: false,
                    quotes_literally: false,
                    parameters: BTreeSet::new(),
                    commands: Vec::new(),
                    file: file.to_string_lossy().replace('\\', "/"),
                    line: location.line,
                };
                let mut words: Vec<&Word> = Vec::new();
                for (command, checked) in &commands {
                    let texts: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
                    let (access, interactive) = match checked.and_then(|c| c.call.as_ref()) {
                        Some(call) => (call.access, access::is_interactive(&texts)),
                        None if command.program() == Some("aws") => (Access::Mutating, false),
                        None => (access::of_command(&texts), access::is_interactive(&texts)),
                    };
                    step.class = step.class.max(match (interactive, access) {
                        (true, _) => StepClass::Interactive,
                        (false, Access::Mutating) => StepClass::Mutating,
                        (false, Access::ReadOnly) => StepClass::ReadOnly,
                    });
                    if checked.is_some_and(|c| only_in_cli_v2(c, analysis.aws_cli)) {
                        step.needs_cli_v2 = true;
                    }
                    if !command.nested {
                        step.commands.push(faq::describe(command, *checked));
                    }
                    words.extend(command.words.iter().skip(1));
                }
                words.sort_by_key(|w| w.start);
                step.segments = rewrite(code, range.clone(), &words, parameters, &mut step);
                let text = &code[range.clone()];
                step.splits_words = splits_words(code, &words);
                step.quotes_literally = quotes_literally(text);
                for name in variables(text) {
                    if !assigned.contains(&name) && !SHELL_VARIABLES.contains(&name.as_str()) {
                        parameters.variable(&name);
                        step.parameters.insert(name);
                    }
                }
                step.parameters.retain(|name| !assigned.contains(name));
                assigned.extend(assignments(text));
                steps.push(step);
            }
        }
    }
    steps
}

impl PartialOrd for StepClass {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StepClass {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |c: &StepClass| match c {
            StepClass::ReadOnly => 0,
            StepClass::Mutating => 1,
            StepClass::Interactive => 2,
        };
        rank(self).cmp(&rank(other))
    }
}

/// Whether the command (or an option of it) is one AWS CLI v1 lacks, from
/// its check against `target`: an `aws-cli-version` finding is a warning
/// when the target version has it and the other lacks it, an error when the
/// target lacks it.
fn only_in_cli_v2(checked: &aws::command::Checked, target: CliVersion) -> bool {
    checked.findings.iter().any(|f| {
        f.rule == RuleId::AwsCliVersion
            && match target {
                CliVersion::V2 => f.severity == Severity::Warning,
                CliVersion::V1 => f.severity == Severity::Error,
            }
    })
}

/// The statement `range` of `code` with every placeholder word rebuilt
/// around its parameters and every bare `$VAR` word quoted.
fn rewrite(
    code: &str,
    range: std::ops::Range<usize>,
    words: &[&Word],
    parameters: &Parameters,
    step: &mut Step,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut at = range.start;
    for word in words {
        if word.start < at || word.end > range.end {
            continue;
        }
        let raw = &code[word.start..word.end];
        if word.dynamic && bare_variable(raw).is_none() && plain_expansions(raw) {
            // `$ECR_URI:latest`: quoted as it stands.
            if word.start > at {
                segments.push(Segment::Code(code[at..word.start].to_string()));
            }
            segments.push(Segment::Code(format!("\"{raw}\"")));
            at = word.end;
            continue;
        }
        let pieces = if word.dynamic {
            bare_variable(raw).map(|name| vec![Piece::Param(name.to_string())])
        } else {
            parameters.substitute(&word.value)
        };
        let Some(pieces) = pieces else {
            continue;
        };
        for piece in &pieces {
            if let Piece::Param(name) = piece {
                step.parameters.insert(name.clone());
            }
        }
        if word.start > at {
            segments.push(Segment::Code(code[at..word.start].to_string()));
        }
        segments.push(Segment::Word(pieces));
        at = word.end;
    }
    if at < range.end {
        segments.push(Segment::Code(code[at..range.end].to_string()));
    }
    segments
}

/// Whether `raw` is an unquoted word of plain characters and `$NAME` or
/// `${NAME}` expansions only, so that double quotes around it change
/// nothing but word splitting.
fn plain_expansions(raw: &str) -> bool {
    !raw.is_empty()
        && !raw.contains("$(")
        && !raw.contains("${#")
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "$_{}-./:=@%+,".contains(c) || !c.is_ascii())
}

/// `NAME` when `raw` is exactly `$NAME`, `${NAME}` or `"$NAME"`.
fn bare_variable(raw: &str) -> Option<&str> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let name = inner.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    is_name(name).then_some(name)
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Variables the statement reads (`$NAME`, `${NAME…}`), outside single
/// quotes.
fn variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut in_single = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !in_single => i += 1,
            b'\'' => in_single = !in_single,
            b'$' if !in_single => {
                let rest = &text[i + 1..];
                let rest = rest.strip_prefix('{').unwrap_or(rest);
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..len];
                if is_name(name) && !out.iter().any(|n| n == name) {
                    out.push(name.to_string());
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Variables the statement sets: `NAME=…` or `export NAME=…` at its start,
/// `for NAME in`, `read NAME`.
fn assignments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = text.split_whitespace();
    let mut word = words.next();
    if word == Some("export") {
        word = words.next();
    }
    if let Some((name, _)) = word.and_then(|w| w.split_once('='))
        && is_name(name)
    {
        out.push(name.to_string());
    }
    let all: Vec<&str> = text.split_whitespace().collect();
    for pair in all.windows(2) {
        if matches!(pair[0], "for" | "read") && is_name(pair[1]) {
            out.push(pair[1].to_string());
        }
    }
    out
}

/// Whether an unquoted `$(…)` or backquote passes its output as several
/// arguments.
fn splits_words(code: &str, words: &[&Word]) -> bool {
    words.iter().any(|w| {
        let raw = &code[w.start..w.end];
        w.dynamic && (raw.starts_with("$(") || raw.starts_with('`'))
    })
}

/// Whether a single-quoted string holds `$` or a backquote (a JMESPath
/// literal, an awk program): shellcheck asks whether that was meant.
fn quotes_literally(text: &str) -> bool {
    let mut in_single = false;
    let mut in_double = false;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !in_single => escaped = true,
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '$' | '`' if in_single => return true,
            _ => {}
        }
    }
    false
}

/// The comment line right above `offset` in `code`, without its `#`.
fn comment_above(code: &str, offset: usize) -> Option<String> {
    let before = code[..offset].trim_end_matches([' ', '\t']);
    let before = before.strip_suffix('\n')?;
    let line = before.rsplit('\n').next()?.trim();
    let text = line.strip_prefix('#')?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// An entry id folded to ASCII for a file name: `coûts-élevés` →
/// `couts-eleves`.
pub fn ascii_file_stem(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        let folded = fold(c);
        for f in folded.chars() {
            if f.is_ascii_alphanumeric() || f == '-' || f == '_' {
                out.push(f.to_ascii_lowercase());
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "entry".to_string()
    } else {
        out
    }
}

/// The ASCII letters of a Latin letter with diacritics.
fn fold(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        'ß' => "ss",
        _ => return c.to_string(),
    };
    s.to_string()
}

#[cfg(test)]
mod tests;
