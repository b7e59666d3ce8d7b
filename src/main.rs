//! Command-line front: parses arguments, calls the library, maps results to
//! exit codes (0 clean, 1 error-level findings, 2 the tool itself failed).

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use mdbook_preprocessor::Preprocessor;
use mdbook_runbook::preprocess::FindingsError;
use mdbook_runbook::report::{self, Format};
use mdbook_runbook::{RunbookPreprocessor, diagnostic::Summary, encoding, load, rules, site};
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
        /// How many entries to show at most.
        #[arg(long, default_value_t = 3)]
        limit: usize,
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

/// The stack of the thread that does the work: parsers recurse, and a
/// hostile book must give an error, not a crash.
const STACK_BYTES: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
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
        Err(error) if error.chain().any(|e| e.is::<FindingsError>()) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => preprocess(),
        Some(Command::Supports { renderer }) => {
            let supported = RunbookPreprocessor.supports_renderer(&renderer)?;
            Ok(if supported {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(Command::Build { book_dir }) => {
            let output = site::build(&book_dir)?;
            for language in &output.languages {
                eprintln!("built {}", language.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { book_dir, format }) => {
            let book = load::load(&book_dir)?;
            let diagnostics = rules::check(&book.guide, &book.config);
            let text = match format {
                Format::Human => report::human::render(&diagnostics, &book.guide),
                Format::Json => report::json::render(&diagnostics),
                Format::Github => report::github::render(&diagnostics),
                Format::Sarif => report::sarif::render(&diagnostics, &rules::all_rule_infos()),
            };
            std::io::stdout().write_all(text.as_bytes())?;
            Ok(exit_for(Summary::of(&diagnostics)))
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
        Some(Command::Anchors { files, in_place }) => {
            let mut stdout = std::io::stdout().lock();
            for file in &files {
                let text = read_utf8(file)?;
                let pinned =
                    mdbook_runbook::preprocess::pin_ids(&mdbook_runbook::parse_chapter(file, text));
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

fn exit_for(summary: Summary) -> ExitCode {
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn preprocess() -> Result<ExitCode> {
    let (ctx, book) = load::preprocessor_input(std::io::stdin().lock())?;
    let book = RunbookPreprocessor.run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout().lock(), &book).context("writing the book to stdout")?;
    Ok(ExitCode::SUCCESS)
}

fn fix_encoding(files: &[PathBuf], in_place: bool, check: bool) -> Result<ExitCode> {
    let mut needs_repair = false;
    let mut stdout = std::io::stdout().lock();
    for file in files {
        let text = read_utf8(file)?;
        let repair = encoding::repair(&text);
        if let Some(pass) = repair.passes.first() {
            needs_repair = true;
            eprintln!(
                "{}: UTF-8 read as {} ({} sequences, confidence {:.2}){}",
                file.display(),
                pass.codepage,
                pass.repairs,
                pass.confidence,
                if repair.passes.len() > 1 {
                    format!(", {} passes", repair.passes.len())
                } else {
                    String::new()
                }
            );
        } else if let Some(analysis) = encoding::analyze(&text).filter(|a| a.is_suspect()) {
            eprintln!(
                "{}: left unchanged: {} suspicious sequence(s), confidence {:.2} is below {:.2}",
                file.display(),
                analysis.repairs,
                analysis.confidence,
                encoding::REPAIR_THRESHOLD
            );
        }
        if check {
            continue;
        }
        if in_place {
            if repair.changed() {
                write_atomically(file, repair.text.as_bytes())?;
            }
        } else {
            stdout.write_all(repair.text.as_bytes())?;
        }
    }
    Ok(if check && needs_repair {
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
    limit: usize,
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
        .take(limit)
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        LookupFormat::Json => {
            let json = serde_json::json!({ "matches": hits });
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        LookupFormat::Text => {
            if hits.is_empty() {
                writeln!(out, "no entry matches this text")?;
            }
            for (rank, hit) in hits.iter().enumerate() {
                writeln!(
                    out,
                    "{}. {}  [{}, score {}]",
                    rank + 1,
                    hit.title,
                    hit.entry.section.title,
                    hit.score
                )?;
                for cause in hit.entry.causes.iter().take(3) {
                    writeln!(out, "   cause: {cause}")?;
                }
                for command in hit.entry.commands.iter().take(4) {
                    writeln!(out, "   $ {}   ({})", command.command, command.access)?;
                }
                writeln!(out, "   {}\n", hit.url)?;
            }
        }
    }
    Ok(if hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a file that must be UTF-8, naming the line of the first bad byte.
fn read_utf8(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        anyhow::anyhow!(
            "{}:{line}: invalid UTF-8; save the file as UTF-8",
            path.display()
        )
    })
}

/// Writes to a temporary file next to `path`, then renames it over `path`.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{name}.runbook-tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes).with_context(|| format!("writing {}", temp.display()))?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(&temp, metadata.permissions()).ok();
    }
    std::fs::rename(&temp, path).with_context(|| format!("replacing {}", path.display()))
}
