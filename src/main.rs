//! Command-line front: parses arguments, calls the library, maps results to
//! exit codes (0 clean, 1 error-level findings, 2 the tool itself failed).

use anyhow::Result;
use clap::Parser;
use mdbook_runbook::cli::{Cli, Command};
use mdbook_runbook::commands::{self, Outcome};
use mdbook_runbook::doctor::Target;
use mdbook_runbook::preprocess::FindingsError;
use mdbook_runbook::report;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(mdbook_runbook::WORKER_STACK_BYTES)
        .spawn(move || {
            let _whole = mdbook_runbook::timing::phase("command (whole)");
            run(cli)
        });
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "internal error (a bug): the checker panicked"
            ))
        }),
        Err(error) => Err(anyhow::anyhow!("cannot start the worker thread: {error}")),
    };
    let result = result.and_then(|outcome| {
        std::io::stdout()
            .lock()
            .write_all(outcome.stdout.as_bytes())?;
        // The process ends here: the system takes the memory back at once.
        std::mem::forget(outcome.leftovers);
        Ok(outcome.found)
    });
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        // The reader went away (`| head`): stop quietly, as ripgrep does.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error)
            if error.chain().any(|e| {
                e.is::<FindingsError>() || e.is::<mdbook_runbook::i18n::TranslationError>()
            }) =>
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

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        None => commands::preprocess(),
        Some(Command::Supports { renderer }) => commands::supports(&renderer),
        Some(Command::Render) => commands::render(),
        Some(Command::Build { book_dir }) => commands::build(&book_dir),
        Some(Command::Check {
            book_dir,
            format,
            changed_since,
            aws_cli,
        }) => commands::check(&book_dir, format, changed_since.as_deref(), aws_cli),
        Some(Command::ExportScripts { book_dir, out }) => commands::export_scripts(&book_dir, &out),
        Some(Command::Lookup { text, index, limit }) => commands::lookup(
            text.as_deref(),
            &index.book,
            index.lang.as_deref(),
            index.format,
            usize::from(limit),
        ),
        Some(Command::Doctor {
            cluster,
            service,
            region,
            index,
        }) => {
            let target = Target {
                cluster,
                service,
                region,
            };
            commands::doctor(target, &index.book, index.lang.as_deref(), index.format)
        }
        Some(Command::Anchors { files, in_place }) => commands::anchors(&files, in_place),
        Some(Command::FixEncoding {
            files,
            in_place,
            check,
        }) => commands::fix_encoding(&files, in_place, check),
        Some(Command::I18n(command)) => commands::translations(command),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
