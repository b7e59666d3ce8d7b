//! Check scripts → file contents: each script's bash, `run-all.sh` and
//! `manifest.json`, rendered from the handlebars templates in `templates/`.
//!
//! Everything that comes from the book reaches bash through one of two
//! escapes made here: a step's code is the guide's own statement with
//! parameters inserted as `"${NAME}"`, and everything shown to the user
//! (titles, commands as displayed) is either a comment stripped of control
//! characters or a double-quoted string with `\`, `"`, `$` and backquotes
//! escaped. The templates never see raw book text in code position.

use super::params::{Fallback, Piece};
use super::{CheckScript, ScriptSet, Segment, Step, StepClass};
use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::json;

/// The version of `manifest.json`'s shape.
pub const MANIFEST_SCHEMA_VERSION: u32 = 1;

/// One file of the scripts directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptFile {
    /// File name inside the directory.
    pub name: String,
    pub contents: String,
    /// Whether it is executable.
    pub executable: bool,
}

/// Every file of the scripts directory: one script per entry,
/// `run-all.sh` and `manifest.json`.
pub fn files(set: &ScriptSet) -> Result<Vec<ScriptFile>> {
    // Scripts are independent: rendered side by side.
    let mut out = crate::analysis::parallel_map(&set.scripts, |script| {
        let data = script_data(script, set);
        Ok(ScriptFile {
            name: script.file_name.clone(),
            contents: crate::templates::script("check-script", data)
                .with_context(|| format!("rendering {}", script.file_name))?,
            executable: true,
        })
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    out.push(ScriptFile {
        name: "run-all.sh".into(),
        contents: crate::templates::script("run-all", run_all_data(set))
            .context("rendering run-all.sh")?,
        executable: true,
    });
    out.push(ScriptFile {
        name: "manifest.json".into(),
        contents: serde_json::to_string_pretty(&manifest(set))? + "\n",
        executable: false,
    });
    Ok(out)
}

#[derive(Serialize)]
struct ParameterData {
    name: String,
    flag: String,
    example: String,
    note: &'static str,
    caller_account: bool,
    default_region: bool,
}

fn parameter_data<'a>(
    names: impl IntoIterator<Item = &'a str>,
    set: &ScriptSet,
) -> Vec<ParameterData> {
    names
        .into_iter()
        .filter_map(|name| set.parameters.get(name))
        .map(|p| ParameterData {
            name: p.name.clone(),
            flag: p.flag.clone(),
            example: comment_text(&p.example),
            note: match p.fallback {
                Fallback::Required => "",
                Fallback::DefaultRegion => " (default: $AWS_DEFAULT_REGION)",
                Fallback::CallerAccount => {
                    " (default: the caller's account, from aws sts get-caller-identity)"
                }
            },
            caller_account: p.fallback == Fallback::CallerAccount,
            default_region: p.fallback == Fallback::DefaultRegion,
        })
        .collect()
}

fn script_data(script: &CheckScript, set: &ScriptSet) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = script
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| step_data(i + 1, step))
        .collect();
    json!({
        "file": script.file_name,
        "title": comment_text(&script.title),
        "entry_id": script.entry_id,
        "url": comment_text(&script.url),
        "generator": concat!("mdbook-runbook ", env!("CARGO_PKG_VERSION")),
        "parameters": parameter_data(script.parameter_names(), set),
        "steps": steps,
        "total": script.steps.len(),
        "needs_cli_version": script.steps.iter().any(|s| s.needs_cli_v2),
    })
}

fn step_data(number: usize, step: &Step) -> serde_json::Value {
    let mut disable = Vec::new();
    if step.splits_words {
        disable.push("SC2046");
    }
    if step.quotes_literally {
        disable.push("SC2016");
    }
    json!({
        "number": number,
        "title": step.title.as_deref().map(comment_text),
        "class": class_name(step.class),
        "needs_cli_v2": step.needs_cli_v2,
        "code": exec_text(&step.segments),
        "display": display_text(&step.segments),
        "parameters": step.parameters.iter().cloned().collect::<Vec<_>>().join(" "),
        "disable": (!disable.is_empty()).then(|| disable.join(",")),
        "source": comment_text(&format!("{}:{}", step.file, step.line)),
    })
}

fn class_name(class: StepClass) -> &'static str {
    match class {
        StepClass::ReadOnly => "read-only",
        StepClass::Mutating => "mutating",
        StepClass::Interactive => "interactive",
    }
}

fn run_all_data(set: &ScriptSet) -> serde_json::Value {
    let mut names: Vec<&str> = set
        .scripts
        .iter()
        .flat_map(|s| s.parameter_names())
        .collect();
    names.sort();
    names.dedup();
    let scripts: Vec<serde_json::Value> = set
        .scripts
        .iter()
        .map(|s| json!({"file": s.file_name, "title": comment_text(&s.title)}))
        .collect();
    json!({
        "generator": concat!("mdbook-runbook ", env!("CARGO_PKG_VERSION")),
        "parameters": parameter_data(names, set),
        "scripts": scripts,
    })
}

/// `manifest.json`: each script with its entry, parameters and commands.
pub fn manifest(set: &ScriptSet) -> serde_json::Value {
    let scripts: Vec<serde_json::Value> = set
        .scripts
        .iter()
        .map(|script| {
            let parameters: Vec<serde_json::Value> = script
                .parameter_names()
                .into_iter()
                .filter_map(|name| set.parameters.get(name))
                .map(|p| json!({"name": p.name, "flag": p.flag, "example": p.example, "fallback": p.fallback}))
                .collect();
            let commands: Vec<serde_json::Value> = script
                .steps
                .iter()
                .flat_map(|step| {
                    step.commands.iter().map(move |c| {
                        json!({
                            "command": c.command,
                            "program": c.program,
                            "service": c.service,
                            "operation": c.operation,
                            "access": class_name(step.class),
                            "source": {"file": step.file, "line": step.line},
                        })
                    })
                })
                .collect();
            json!({
                "file": script.file_name,
                "entry_id": script.entry_id,
                "title": script.title,
                "url": script.url,
                "parameters": parameters,
                "commands": commands,
            })
        })
        .collect();
    json!({"schema_version": MANIFEST_SCHEMA_VERSION, "scripts": scripts})
}

/// The step as it runs: the guide's text, parameters as `"${NAME}"`.
pub fn exec_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Code(code) => out.push_str(code),
            Segment::Word(pieces) => {
                out.push('"');
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(&escape_double_quoted(text)),
                        Piece::Param(name) => {
                            out.push_str("${");
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                }
                out.push('"');
            }
        }
    }
    out
}

/// The body of a double-quoted bash string that prints the step exactly as
/// it runs, each parameter's value shell-quoted by `${NAME@Q}`.
pub fn display_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Code(code) => out.push_str(&escape_double_quoted(code)),
            Segment::Word(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => {
                            out.push_str(&escape_double_quoted(&shell_quote(text)))
                        }
                        Piece::Param(name) => {
                            out.push_str("${");
                            out.push_str(name);
                            out.push_str("@Q}");
                        }
                    }
                }
            }
        }
    }
    out
}

/// `text` escaped for the inside of a bash double-quoted string.
fn escape_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as one shell word: as is when it has only safe characters,
/// single-quoted otherwise.
fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Text safe in a `#` comment or a quoted heredoc line: one line, no
/// control characters.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
