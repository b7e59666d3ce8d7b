//! One function per subcommand: read the inputs, run the library, and say
//! what to print and with which exit status. The binary only parses the
//! arguments, calls these, and writes [`Outcome::stdout`].
//!
//! Exit statuses follow the README: 0 clean, 1 findings (error-level
//! findings, files that need repair, nothing that explains a text,
//! evidence a runbook entry explains), 2 the tool itself failed (an `Err`).

use crate::diagnostic::Summary;
use crate::fs::{read_utf8, write_atomically};
use crate::report::{self, Format};
use crate::{RunbookPreprocessor, anchors, doctor, encoding, git, lookup, pipeline, site};
use anyhow::{Context, Result};
use mdbook_preprocessor::Preprocessor;
use mdbook_renderer::Renderer;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a command prints on stdout, and whether it found something.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    /// Exit status 1 instead of 0.
    pub found: bool,
    /// What the command worked on, handed back so that the binary can exit
    /// without freeing it piece by piece: for `check`, the whole analysis
    /// (tens of thousands of allocations on a large book, about 3% of its
    /// time). Dropping it frees it as usual.
    pub leftovers: Leftovers,
}

/// See [`Outcome::leftovers`].
#[derive(Default)]
pub struct Leftovers(Option<Box<dyn std::any::Any + Send>>);

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Leftovers(..)"
        } else {
            "Leftovers"
        })
    }
}

impl Outcome {
    fn quiet() -> Self {
        Outcome::default()
    }
}

/// The output format of `lookup` and `doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    /// For a terminal.
    Text,
    /// One JSON object.
    Json,
}

/// No subcommand: the mdBook preprocessor protocol on stdin and stdout.
pub fn preprocess() -> Result<Outcome> {
    let (ctx, book) = crate::load::preprocessor_input(std::io::stdin().lock())?;
    let book = RunbookPreprocessor::default().run(&ctx, book)?;
    let stdout = serde_json::to_string(&book).context("writing the book to stdout")?;
    Ok(Outcome {
        stdout,
        found: false,
        ..Outcome::default()
    })
}

/// `supports RENDERER`: found = not supported.
pub fn supports(renderer: &str) -> Result<Outcome> {
    let supported = RunbookPreprocessor::default().supports_renderer(renderer)?;
    Ok(Outcome {
        stdout: String::new(),
        found: !supported,
        ..Outcome::default()
    })
}

/// `render`: the `[output.runbook]` renderer protocol on stdin.
pub fn render() -> Result<Outcome> {
    let input = crate::load::stdin_json(std::io::stdin().lock(), "renderer")?;
    let ctx = mdbook_renderer::RenderContext::from_json(input.as_slice())
        .context("reading mdBook's render context from stdin")?;
    crate::renderer::RunbookRenderer.render(&ctx)?;
    Ok(Outcome::quiet())
}

/// `build`.
pub fn build(book: &Path) -> Result<Outcome> {
    let output = site::build(book)?;
    for language in &output.languages {
        eprintln!("built {}", report::visible(&language.display().to_string()));
    }
    Ok(Outcome::quiet())
}

/// `check`: the findings in `format`; with `changed_since`, only those on
/// lines changed since that git reference (the whole book is analysed all
/// the same). With `--format github` and `GITHUB_STEP_SUMMARY` set, every
/// finding also goes to the step summary. A `po/<lang>.po` that cannot be
/// read fails `check` as it fails `build`.
pub fn check(
    book: &Path,
    format: Format,
    changed_since: Option<&str>,
    aws_cli: Option<u8>,
) -> Result<Outcome> {
    let overrides: Vec<(&str, pipeline::toml_value::Value)> = aws_cli
        .map(|v| {
            (
                "aws-cli",
                pipeline::toml_value::Value::Integer(i64::from(v)),
            )
        })
        .into_iter()
        .collect();
    let mut analysed = pipeline::check_with(book, &overrides)?;
    // A translation `build` could not read fails `check` the same way.
    for language in crate::i18n::languages(book, &analysed.language)
        .iter()
        .skip(1)
    {
        crate::i18n::po::Catalog::load(&book.join("po").join(format!("{language}.po")))?;
    }
    let prefix = git::prefix_in_repository(book);
    if let Some(reference) = changed_since {
        let changed = git::changed_since(book, reference)?;
        analysed
            .diagnostics
            .retain(|d| changed.contains(&prefix.join(&d.file), d.line));
    }
    let diagnostics = &analysed.diagnostics;
    let summary_file = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty());
    let summarized = format == Format::Github && summary_file.is_some();
    if summarized && let Some(path) = &summary_file {
        let links = report::github::RepositoryLinks::from_env();
        let text = report::github::summary(diagnostics, &prefix, links.as_ref());
        append(Path::new(path), &text)?;
    }
    let _reporting = crate::timing::phase("report");
    Ok(Outcome {
        stdout: report::render(format, diagnostics, &analysed.guide, &prefix, summarized),
        found: Summary::of(diagnostics).errors > 0,
        leftovers: Leftovers(Some(Box::new(analysed))),
    })
}

fn append(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .with_context(|| format!("writing the step summary {}", path.display()))
}

/// `export-scripts`.
pub fn export_scripts(book: &Path, out: &Path) -> Result<Outcome> {
    let count = site::export_scripts(book, out)?;
    eprintln!(
        "wrote {count} check scripts, run-all.sh and manifest.json to {}",
        report::visible(&out.display().to_string())
    );
    Ok(Outcome::quiet())
}

/// `lookup`: the entries that explain `text` (stdin when `None` or `-`).
pub fn lookup(
    text: Option<&str>,
    book: &Path,
    lang: Option<&str>,
    format: TextFormat,
    limit: usize,
) -> Result<Outcome> {
    let text = match text {
        None | Some("-") => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading the error text from stdin")?;
            input
        }
        Some(text) => text.to_string(),
    };
    let index = site::faq_index(book, lang)?;
    let hits: Vec<_> = lookup::lookup(&index, &text)
        .into_iter()
        .take(limit)
        .collect();
    let stdout = match format {
        TextFormat::Json => lookup::render::json(&hits),
        TextFormat::Text => lookup::render::text(&hits),
    };
    Ok(Outcome {
        stdout,
        found: hits.is_empty(),
        ..Outcome::default()
    })
}

/// `doctor`: found = the runbook explains some of the evidence.
pub fn doctor(
    target: doctor::Target,
    book: &Path,
    lang: Option<&str>,
    format: TextFormat,
) -> Result<Outcome> {
    let index = site::faq_index(book, lang)?;
    let cli = doctor::AwsCli {
        region: target.region.clone(),
    };
    let evidence = doctor::gather(&cli, &target)?;
    let report = doctor::diagnose(&target, evidence, &index);
    Ok(Outcome {
        stdout: match format {
            TextFormat::Json => doctor::render_json(&report),
            TextFormat::Text => doctor::render_human(&report),
        },
        found: report.explained().next().is_some(),
        ..Outcome::default()
    })
}

/// `anchors`: each file with its stable ids pinned, printed or rewritten.
pub fn anchors(files: &[PathBuf], in_place: bool) -> Result<Outcome> {
    let mut stdout = String::new();
    for file in files {
        let text = read_utf8(file)?;
        let pinned = anchors::pin_ids(&crate::parse_chapter(file, text));
        if in_place {
            write_atomically(file, pinned.as_bytes())?;
        } else {
            stdout.push_str(&pinned);
        }
    }
    Ok(Outcome {
        stdout,
        found: false,
        ..Outcome::default()
    })
}

/// `fix-encoding`: found = files that need repair (`--check`), or a repair
/// that left mojibake behind (never written).
pub fn fix_encoding(files: &[PathBuf], in_place: bool, check: bool) -> Result<Outcome> {
    let mut needs_repair = false;
    let mut incomplete = false;
    let mut stdout = String::new();
    for file in files {
        let text = read_utf8(file)?;
        let repair = encoding::repair(&text);
        if let Some(line) = repair.report(&file.display().to_string()) {
            eprintln!("{}", report::visible(&line));
        }
        let left_behind = matches!(repair.verdict(), encoding::Verdict::Incomplete(_));
        needs_repair |= repair.changed();
        incomplete |= left_behind;
        if check {
            continue;
        }
        if in_place {
            if repair.changed() && !left_behind {
                write_atomically(file, repair.text.as_bytes())?;
            }
        } else {
            stdout.push_str(&repair.text);
        }
    }
    Ok(Outcome {
        stdout,
        found: (check && needs_repair) || incomplete,
        ..Outcome::default()
    })
}

/// `i18n extract|update|status`.
pub fn translations(command: crate::cli::I18nCommand) -> Result<Outcome> {
    use crate::cli::I18nCommand;
    use crate::i18n::{self, workflow};
    match command {
        I18nCommand::Extract { book_dir } => {
            let (path, count) = workflow::extract(&book_dir)?;
            eprintln!("wrote {count} messages to {}", path.display());
            Ok(Outcome::quiet())
        }
        I18nCommand::Update { book_dir, lang } => {
            let report = workflow::update(&book_dir, &lang)?;
            let (m, c) = (&report.merge, &report.coverage);
            eprintln!(
                "{} {}: {} translated, {} fuzzy, {} missing ({} new fuzzy, {} new untranslated, {} made obsolete)",
                match (report.created, report.changed) {
                    (true, _) => "created",
                    (false, true) => "updated",
                    (false, false) => "unchanged:",
                },
                report.po.display(),
                c.translated,
                c.fuzzy,
                c.missing,
                m.fuzzy_new,
                m.untranslated_new,
                m.obsoleted
            );
            Ok(Outcome::quiet())
        }
        I18nCommand::Status {
            book_dir,
            lang,
            strict,
        } => {
            let languages = match lang {
                Some(lang) => vec![lang],
                None => {
                    let mut all = i18n::languages(&book_dir, "");
                    all.remove(0);
                    all
                }
            };
            if languages.is_empty() {
                anyhow::bail!(
                    "{}: no translations (po/<lang>.po); start one with `mdbook-runbook i18n update --lang en`",
                    book_dir.display()
                );
            }
            let mut outcome = Outcome::quiet();
            for language in &languages {
                let report = workflow::status(&book_dir, language)?;
                outcome.stdout += &workflow::render_status(&report, &book_dir);
                outcome.found |= report.refused.is_some() || (strict && !report.complete());
            }
            Ok(outcome)
        }
    }
}
