//! Command-line front: parses arguments, calls the library, maps results to
//! exit codes (0 clean, 1 error-level findings, 2 the tool itself failed).

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use mdbook_preprocessor::Preprocessor;
use mdbook_runbook::fs::{read_utf8, write_atomically};
use mdbook_runbook::lookup::render as lookup_render;
use mdbook_runbook::preprocess::FindingsError;
use mdbook_runbook::report::{self, Format};
use mdbook_runbook::{RunbookPreprocessor, diagnostic::Summary, encoding, i18n, pipeline, site};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    version,
    about = "Validate, index and render markdown incident runbooks",
    long_about = "Validate, index and render markdown incident runbooks.\n\n\
        With no subcommand, runs as an mdBook preprocessor: reads mdBook's JSON on \
        stdin and writes the book to stdout. Add [preprocessor.runbook] to book.toml \
        to use it under `mdbook build`, or run `mdbook-runbook build` to build the \
        site without mdbook installed.\n\n\
        Exit codes: 0 no errors, 1 error-level findings (or files needing repair \
        with --check), 2 the tool itself failed (I/O, configuration)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LookupFormat {
    /// Titles, causes, commands and links, for a terminal.
    Text,
    /// `{"matches": [{"id", "title", "score", "url"}]}`, best first.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Tell mdBook whether a renderer is supported (preprocessor handshake).
    Supports {
        /// The renderer's name, e.g. `html`.
        renderer: String,
    },
    /// Build the site in process (no mdbook binary needed) into the build dir.
    Build {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Validate the book and print findings.
    Check {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write the check scripts: one per entry with commands, run-all.sh and
    /// manifest.json.
    ///
    /// Read-only steps run by default, mutating ones only with --apply;
    /// every script has --help and --dry-run. The directory is replaced as a
    /// whole, only when every file was written.
    ExportScripts {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// The directory to write (created or replaced).
        #[arg(long, default_value = "checks")]
        out: PathBuf,
    },
    /// Find the entries that explain an error message or a log line.
    ///
    /// Reads the built `site/<lang>/faq.json` when there is one, else the
    /// book itself. Ignores case, ARNs, account ids, regions, timestamps and
    /// hex ids when matching.
    Lookup {
        /// The error text; `-` (or nothing) reads it from stdin.
        text: Option<String>,
        /// The book's root directory, where book.toml is.
        #[arg(long, default_value = ".")]
        book: PathBuf,
        /// Language of the entries (default: the book's).
        #[arg(long)]
        lang: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = LookupFormat::Text)]
        format: LookupFormat,
        /// How many entries to show at most (at least 1).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
        limit: u16,
    },
    /// Pin stable anchors: write the `{#id}` the preprocessor would add to
    /// each section and entry heading into the file itself.
    ///
    /// Pinned ids survive a reworded title. Prints the result to stdout
    /// unless --in-place is given.
    Anchors {
        /// Markdown chapters to update.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite the files (atomically).
        #[arg(long)]
        in_place: bool,
    },
    /// Translations: extract messages, update po/<lang>.po, report coverage.
    #[command(subcommand)]
    I18n(I18nCommand),
    /// Detect and repair mojibake (UTF-8 decoded as Mac Roman or Windows-1252).
    ///
    /// Without options, prints the repaired text of each file to stdout.
    /// Correct text is printed unchanged.
    FixEncoding {
        /// Markdown files to examine.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite the files that need repair (atomically).
        #[arg(long, conflicts_with = "check")]
        in_place: bool,
        /// Only report: exit 1 and name the files that need repair.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Write po/messages.pot: every translatable message of the book.
    Extract {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Extract, then merge po/messages.pot into po/<lang>.po (created if
    /// needed): translations are kept, changed messages become fuzzy,
    /// removed ones obsolete (#~).
    Update {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// The language of the PO file.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print coverage per file: translated, fuzzy, missing.
    Status {
        /// The book's root directory, where book.toml is.
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// One language (default: every po/<lang>.po).
        #[arg(long)]
        lang: Option<String>,
        /// Exit 1 unless every message is translated and none is fuzzy.
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(mdbook_runbook::WORKER_STACK_BYTES)
        .spawn(move || run(cli));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "internal error (a bug): the checker panicked"
            ))
        }),
        Err(error) => Err(anyhow::anyhow!("cannot start the worker thread: {error}")),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`| head`): stop quietly, as ripgrep does.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error)
            if error
                .chain()
                .any(|e| e.is::<FindingsError>() || e.is::<i18n::TranslationError>()) =>
        {
            eprintln!("error: {}", report::visible(&format!("{error:#}")));
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {}", report::visible(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => preprocess(),
        Some(Command::Supports { renderer }) => {
            let supported = RunbookPreprocessor::default().supports_renderer(&renderer)?;
            Ok(if supported {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(Command::Build { book_dir }) => {
            let output = site::build(&book_dir)?;
            for language in &output.languages {
                eprintln!("built {}", report::visible(&language.display().to_string()));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { book_dir, format }) => {
            let analysed = pipeline::check(&book_dir)?;
            let text = report::render(format, &analysed.diagnostics, &analysed.guide);
            std::io::stdout().write_all(text.as_bytes())?;
            Ok(exit_for(Summary::of(&analysed.diagnostics)))
        }
        Some(Command::ExportScripts { book_dir, out }) => {
            let count = site::export_scripts(&book_dir, &out)?;
            eprintln!(
                "wrote {count} check scripts, run-all.sh and manifest.json to {}",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::FixEncoding {
            files,
            in_place,
            check,
        }) => fix_encoding(&files, in_place, check),
        Some(Command::Lookup {
            text,
            book,
            lang,
            format,
            limit,
        }) => lookup(text, &book, lang, format, limit),
        Some(Command::I18n(command)) => translations(command),
        Some(Command::Anchors { files, in_place }) => {
            let mut stdout = std::io::stdout().lock();
            for file in &files {
                let text = read_utf8(file)?;
                let pinned =
                    mdbook_runbook::anchors::pin_ids(&mdbook_runbook::parse_chapter(file, text));
                if in_place {
                    write_atomically(file, pinned.as_bytes())?;
                } else {
                    stdout.write_all(pinned.as_bytes())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn translations(command: I18nCommand) -> Result<ExitCode> {
    use i18n::workflow;
    match command {
        I18nCommand::Extract { book_dir } => {
            let (path, count) = workflow::extract(&book_dir)?;
            eprintln!("wrote {count} messages to {}", path.display());
            Ok(ExitCode::SUCCESS)
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
            Ok(ExitCode::SUCCESS)
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
            let mut failed = false;
            let mut stdout = std::io::stdout().lock();
            for language in &languages {
                let report = workflow::status(&book_dir, language)?;
                stdout.write_all(workflow::render_status(&report, &book_dir).as_bytes())?;
                failed |= report.refused.is_some() || (strict && !report.complete());
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn exit_for(summary: Summary) -> ExitCode {
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn preprocess() -> Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading mdBook's JSON from stdin")?;
    let (ctx, book) = mdbook_preprocessor::parse_input(input.as_bytes())?;
    let book = RunbookPreprocessor::default().run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout().lock(), &book).context("writing the book to stdout")?;
    Ok(ExitCode::SUCCESS)
}

fn fix_encoding(files: &[PathBuf], in_place: bool, check: bool) -> Result<ExitCode> {
    let mut needs_repair = false;
    let mut incomplete = false;
    let mut stdout = std::io::stdout().lock();
    for file in files {
        let text = read_utf8(file)?;
        let repair = encoding::repair(&text);
        if let Some(line) = repair.report(&file.display().to_string()) {
            eprintln!("{line}");
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
            stdout.write_all(repair.text.as_bytes())?;
        }
    }
    Ok(if (check && needs_repair) || incomplete {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn lookup(
    text: Option<String>,
    book: &std::path::Path,
    lang: Option<String>,
    format: LookupFormat,
    limit: u16,
) -> Result<ExitCode> {
    let text = match text.as_deref() {
        None | Some("-") => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading the error text from stdin")?;
            input
        }
        Some(text) => text.to_string(),
    };
    let index = mdbook_runbook::site::faq_index(book, lang.as_deref())?;
    let hits: Vec<_> = mdbook_runbook::lookup::lookup(&index, &text)
        .into_iter()
        .take(usize::from(limit))
        .collect();
    let rendered = match format {
        LookupFormat::Json => lookup_render::json(&hits),
        LookupFormat::Text => lookup_render::text(&hits),
    };
    std::io::stdout().lock().write_all(rendered.as_bytes())?;
    Ok(if hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
