//! mdbook-runbook: validate, index and render markdown incident runbooks.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`encoding`] repairs mojibake before anything reads the text;
//! 2. [`load`] reads a book from disk (mdBook's own loader, book.toml
//!    validated by [`config`], every file kept inside the book by
//!    [`confine`]);
//! 3. mdBook's `links` and `index` preprocessors expand includes; the
//!    [`preprocess`]or receives the result and runs the [`pipeline`]:
//! 4. [`parse`] turns each chapter into the [`model`] (Guide → Section →
//!    Entry → Part, Snippet, Table), keeping byte spans into the text and,
//!    through [`origin`], the file each byte came from;
//! 5. [`analysis`] analyses every snippet once (shell words, `aws` calls
//!    and their checks);
//! 6. [`rules`] turn model and analysis into [`diagnostic`]s, plain data that
//!    the renderers in [`report`] print; [`faq`] makes the FAQ index;
//! 7. [`rewrite`] edits the chapters (stable [`anchors`], links, generated
//!    [`pages`], failure [`markers`]) and [`site`] renders them, in process.
//!
//! [`fs`] holds the file helpers: UTF-8 reads, atomic writes, and the
//! locked, crash-safe swap of the built site.
//!
//! `check`, `build`, `lookup` and the preprocessor under `mdbook build` all
//! go through [`pipeline`] once per run. The binary in `src/main.rs` is a
//! thin command-line front over this API. The crate holds no `unsafe`
//! code, and the compiler keeps it so.

#![forbid(unsafe_code)]

mod access;
mod analysis;
pub mod anchors;
pub mod aws;
pub mod cli;
pub mod commands;
mod config;
mod confine;
pub mod diagnostic;
mod directives;
pub mod doctor;
pub mod encoding;
mod excerpt;
pub mod faq;
mod finding;
mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod i18n;
pub mod json;
pub mod load;
pub mod lookup;
mod markers;
pub mod model;
mod origin;
mod pages;
pub mod parse;
pub mod pipeline;
pub mod preprocess;
mod raw_json;
pub mod registry;
mod renderer;
pub mod report;
mod rewrite;
pub mod rules;
mod scripts;
pub mod shell;
pub mod site;
mod suggest;
mod templates;
pub mod timing;

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Chapter, Entry, Guide, Section, Snippet};
pub use parse::{parse_book, parse_chapter};
pub use preprocess::RunbookPreprocessor;

/// The stack of the threads that do the work: parsers recurse, and a
/// hostile book must give an error, not a crash.
pub const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;
