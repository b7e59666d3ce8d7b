//! The command line's arguments, as clap reads them: every subcommand, its
//! options and their help text. The binary parses them and hands them to
//! [`commands`](crate::commands); nothing here runs anything.

use crate::commands::TextFormat as LookupFormat;
use crate::report::Format;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where `lookup` and `doctor` find the runbook's entries, and how they
/// print them.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The book's root directory, where book.toml is.
    #[arg(long, default_value = ".")]
    pub book: PathBuf,
    /// Language of the entries (default: the book's).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LookupFormat::Text)]
    pub format: LookupFormat,
}

#[derive(Subcommand)]
pub enum Command {
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
        /// Report only findings on lines changed since this git reference
        /// (the whole book is still analysed).
        #[arg(long, value_name = "GIT_REF")]
        changed_since: Option<String>,
        /// The AWS CLI major version to check commands for, over book.toml's
        /// `aws-cli`.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
        aws_cli: Option<u8>,
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
    /// Run as the mdBook renderer `[output.runbook]`: read mdBook's render
    /// context on stdin and write faq.json and checks/ into its output
    /// directory.
    Render,
    /// Read live evidence from an AWS account and match it to the runbook.
    ///
    /// Through the `aws` CLI and read-only calls only: the service's events,
    /// the stopped tasks' reasons, each stopped container's reason and exit
    /// code, and the health of the service's load-balancer targets. Each is
    /// matched to the runbook's entries as `lookup` does. Exit codes: 0
    /// nothing the runbook explains, 1 evidence the runbook explains, 2 the
    /// CLI is missing, has no credentials, or the cluster does not exist.
    Doctor {
        /// The ECS cluster.
        #[arg(long)]
        cluster: String,
        /// The ECS service (its events and target health too).
        #[arg(long)]
        service: Option<String>,
        /// The AWS region (default: the CLI's).
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        index: IndexArgs,
    },
    /// Find the entries that explain an error message or a log line.
    ///
    /// Reads the built `site/<lang>/faq.json` when there is one, else the
    /// book itself. Ignores case, ARNs, account ids, regions, timestamps and
    /// hex ids when matching.
    Lookup {
        /// The error text; `-` (or nothing) reads it from stdin.
        text: Option<String>,
        #[command(flatten)]
        index: IndexArgs,
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

/// `i18n` subcommands.
#[derive(Subcommand)]
pub enum I18nCommand {
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
