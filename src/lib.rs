//! mdbook-runbook: validate, index and render markdown incident runbooks.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`encoding`] repairs mojibake before anything reads the text;
//! 2. [`load`] reads a book from disk (mdBook's own loader, book.toml
//!    validated by [`config`], every file kept inside the book by
//!    [`confine`]);
//! 3. [`parse`] turns each chapter into the [`model`] (Guide → Section →
//!    Entry → Part, Snippet, Table), keeping byte spans into the source;
//! 4. [`rules`] turn the model into [`diagnostic`]s, plain data that the
//!    renderers in [`report`] print as text, JSON or GitHub annotations;
//! 5. [`preprocess`] is the mdBook preprocessor that adds stable [`anchors`]
//!    and fixes links, and [`site`] builds the HTML site with it, in process.
//!
//! [`fs`] holds the file helpers: UTF-8 reads, atomic writes, and the
//! locked, crash-safe swap of the built site.
//!
//! The binary in `src/main.rs` is a thin command-line front over this API.

pub mod anchors;
pub mod aws;
pub mod config;
pub mod confine;
pub mod diagnostic;
pub mod directives;
pub mod encoding;
pub mod faq;
pub mod fs;
pub mod json;
pub mod load;
pub mod lookup;
pub mod model;
pub mod pages;
pub mod parse;
pub mod preprocess;
pub mod report;
pub mod rules;
pub mod shell;
pub mod site;
pub mod suggest;

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Chapter, Entry, Guide, Section, Snippet};
pub use parse::{parse_book, parse_chapter};
pub use preprocess::RunbookPreprocessor;
