//! The translation workflow with the real tools: gettext's `msgfmt` on the
//! committed catalog, the `i18n` subcommands of the binary on copies of the
//! book, and the English book itself, translated by the library, checked
//! by the pipeline and built by mdbook-html.

mod common;

use common::{bin, broken_links, copy_dir, repo, run, scratch};
use mdbook_runbook::i18n::{self, Catalog, translate_book};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch copy of the repository's book with its translations.
fn copy_with_translations(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(repo().join("book.toml"), dir.join("book.toml")).unwrap();
    copy_dir(&repo().join("book"), &dir.join("book"));
    copy_dir(&repo().join("po"), &dir.join("po"));
    dir
}

fn msgfmt() -> Command {
    let probe = Command::new("msgfmt").arg("--version").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "gettext's msgfmt is not installed: `apt-get install gettext` (tests/run.sh does it)"
    );
    Command::new("msgfmt")
}

/// The chapters of the book at `root`, as on disk, and the same book
/// translated with its `po/en.po`.
fn source_and_english(
    root: &Path,
    strict: bool,
) -> (
    mdbook_driver::book::Book,
    anyhow::Result<mdbook_driver::book::Book>,
) {
    let loaded = mdbook_runbook::load::load(root).unwrap();
    let source = loaded.mdbook.book.clone();
    let mut english = source.clone();
    let result = Catalog::load(&root.join("po/en.po"))
        .and_then(|catalog| translate_book(&mut english, &catalog, strict))
        .map(|()| english);
    (source, result)
}

fn chapters(book: &mdbook_driver::book::Book) -> Vec<(PathBuf, String)> {
    book.chapters()
        .filter_map(|c| Some((c.source_path.clone()?, c.content.clone())))
        .collect()
}

#[test]
fn msgfmt_checks_the_english_catalog() {
    let (code, stdout, stderr) = run(msgfmt()
        .args([
            "--check",
            "--check-header",
            "--statistics",
            "-o",
            "/dev/null",
        ])
        .arg(repo().join("po/en.po")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        !stderr.contains("fuzzy") && !stderr.contains("untranslated"),
        "{stderr}"
    );
}

#[test]
fn status_strict_reports_every_message_translated() {
    let (code, stdout, stderr) = run(bin().args(["i18n", "status", "--strict"]).arg(repo()));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let first = stdout.lines().next().unwrap();
    let counts = first
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.split_once('/'))
        .unwrap_or_else(|| panic!("no coverage in {first:?}"));
    assert_eq!(counts.0, counts.1, "{first}");
    assert!(counts.0.parse::<usize>().unwrap() > 0, "{first}");
    assert!(first.contains("(100.0%), 0 fuzzy, 0 missing"), "{first}");
    for file in [
        "book/troubleshooting.md",
        "book/README.md",
        "book/SUMMARY.md",
    ] {
        assert!(
            stdout.contains(file),
            "per-file coverage names {file}:\n{stdout}"
        );
    }
}

#[test]
fn committed_template_matches_the_book() {
    let book = i18n::workflow::load(&repo()).unwrap();
    let fresh = i18n::workflow::template(&book).to_po();
    let committed = std::fs::read_to_string(repo().join("po/messages.pot")).unwrap();
    assert!(
        fresh == committed,
        "po/messages.pot is out of date: run `mdbook-runbook i18n update --lang en`"
    );
}

#[test]
fn languages_are_the_source_then_each_po_file() {
    assert_eq!(i18n::languages(&repo(), "fr"), ["fr", "en"]);
    let dir = scratch("i18n-languages");
    assert_eq!(i18n::languages(&dir, "fr"), ["fr"]);
    std::fs::create_dir_all(dir.join("po")).unwrap();
    for name in ["pt_BR.po", "de.po", "messages.pot", "fr.po", "notes.txt"] {
        std::fs::write(dir.join("po").join(name), "").unwrap();
    }
    assert_eq!(i18n::languages(&dir, "fr"), ["fr", "de", "pt_BR"]);
}

/// The first prose piece of `chapter` that holds a sentence.
fn first_sentence(text: &str) -> i18n::extract::Piece {
    i18n::extract::pieces(text)
        .into_iter()
        .find(|p| p.kind == i18n::extract::Kind::Text && p.msgid.split(' ').count() > 4)
        .expect("a sentence")
}

#[test]
fn changed_source_sentence_fails_strict_naming_it() {
    let root = copy_with_translations("i18n-changed-source");
    let chapter = root.join("book/troubleshooting.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let piece = first_sentence(&text);
    let changed = format!("{} Phrase ajoutée.", piece.msgid);
    let edited = format!(
        "{}{changed}{}",
        &text[..piece.span.start],
        &text[piece.span.end..]
    );
    std::fs::write(&chapter, edited).unwrap();
    let location = format!("book/troubleshooting.md:{}", piece.line);

    let (code, stdout, stderr) = run(bin().args(["i18n", "status", "--strict"]).arg(&root));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("{location}: missing: {changed:?}")),
        "{stdout}"
    );
    assert!(stdout.contains("1 missing"), "{stdout}");
    // Without --strict the report is the same, and the exit code 0.
    let (code, _, _) = run(bin().args(["i18n", "status"]).arg(&root));
    assert_eq!(code, 0);

    // A strict build fails the same way, naming the message.
    let (_, english) = source_and_english(&root, true);
    let error = format!("{:#}", english.unwrap_err());
    assert!(error.contains("strict translations are on"), "{error}");
    assert!(
        error.contains(&format!("{location}: missing: {changed:?}")),
        "{error}"
    );
    // A lenient one keeps the source sentence.
    let (_, english) = source_and_english(&root, false);
    assert!(
        chapters(&english.unwrap())
            .iter()
            .any(|(_, t)| t.contains(&changed))
    );

    // `update` keeps the old translation as a fuzzy one, with the old msgid.
    let (code, _, stderr) = run(bin().args(["i18n", "update", "--lang", "en"]).arg(&root));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 new fuzzy"), "{stderr}");
    let catalog = Catalog::load(&root.join("po/en.po")).unwrap();
    let message = catalog.get(&changed).expect("the new msgid");
    assert!(message.is_fuzzy());
    assert_eq!(
        message.previous_msgid.as_deref(),
        Some(piece.msgid.as_str())
    );
    assert!(
        !message.msgstr[0].is_empty(),
        "the old translation is the starting point"
    );
    assert!(
        catalog
            .messages
            .iter()
            .any(|m| m.obsolete && m.msgid == piece.msgid),
        "the old entry is kept as obsolete, not dropped"
    );
    let (code, stdout, _) = run(bin().args(["i18n", "status", "--strict"]).arg(&root));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!("{location}: fuzzy: {changed:?}")),
        "{stdout}"
    );
    let (code, ..) = run(msgfmt()
        .args(["--check", "-o", "/dev/null"])
        .arg(root.join("po/en.po")));
    assert_eq!(code, 0, "the merged catalog is still valid for msgfmt");
}

/// Replaces the msgstr of the message `msgid` in a PO text.
fn set_msgstr(po: &str, msgid: &str, msgstr: &str) -> String {
    let mut catalog = mdbook_runbook::i18n::po::read::parse(po, Path::new("po/en.po")).unwrap();
    let index = catalog
        .messages
        .iter()
        .position(|m| m.msgid == msgid && !m.obsolete)
        .unwrap();
    catalog.messages[index].msgstr = vec![msgstr.to_string()];
    catalog.to_po()
}

#[test]
fn translation_that_alters_a_command_fails_naming_msgid_and_line() {
    let root = copy_with_translations("i18n-altered-command");
    let po_path = root.join("po/en.po");
    let po = std::fs::read_to_string(&po_path).unwrap();
    let catalog = Catalog::load(&po_path).unwrap();
    let book = i18n::workflow::load(&root).unwrap();
    let template = i18n::workflow::template(&book);

    // Inline code in prose: `aws …` changed in the translation.
    let with_command = template
        .live()
        .find(|m| m.msgid.contains("`aws ") && !m.references[0].contains("SUMMARY"))
        .expect("a message with an aws command");
    let translation = catalog.get(&with_command.msgid).unwrap().msgstr[0].clone();
    let altered = translation.replacen("`aws ", "`aws --debug ", 1);
    // A comment whose translation smuggles a command onto a new line.
    let comment = template
        .live()
        .find(|m| {
            m.extracted
                .iter()
                .any(|n| n.contains("comment in a code block"))
        })
        .expect("a code comment");
    // A paragraph whose translation adds a code block.
    let paragraph = template
        .live()
        .find(|m| {
            m.msgid.ends_with('.') && m.msgid.split(' ').count() > 8 && !m.msgid.contains('`')
        })
        .expect("a plain paragraph");
    let cases = [
        (&with_command.msgid, altered.as_str(), "inline code"),
        (
            &comment.msgid,
            "Check\naws ecs delete-cluster --cluster my-cluster",
            "one line",
        ),
        (
            &paragraph.msgid,
            "Fine.\n\n```bash\naws ecs delete-cluster --cluster c\n```",
            "structure",
        ),
    ];
    for (msgid, msgstr, why) in cases {
        std::fs::write(&po_path, set_msgstr(&po, msgid, msgstr)).unwrap();
        let line = with_line(&template, msgid);
        let (_, english) = source_and_english(&root, false);
        let error = format!("{:#}", english.unwrap_err());
        assert!(
            error.contains(&format!(
                "{line}: the translation of msgid {:?}",
                truncate(msgid)
            )),
            "{error}"
        );
        assert!(error.contains(why), "{error}");
        assert!(
            error.contains("po/en.po:"),
            "names the PO line too: {error}"
        );
        // `i18n status` reports it and exits 1, with or without --strict.
        let (code, stdout, _) = run(bin().args(["i18n", "status"]).arg(&root));
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.contains("error: ") && stdout.contains(why),
            "{stdout}"
        );
    }
}

fn with_line(template: &Catalog, msgid: &str) -> String {
    template.get(msgid).unwrap().references[0].clone()
}

fn truncate(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[test]
fn broken_po_files_name_file_and_line_and_exit_2() {
    let header = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: en\\n\"\n\n";
    let cases: &[(&str, String, usize, &str)] = &[
        ("bad escape", format!("{header}msgid \"Cause\"\nmsgstr \"Cause \\q\"\n"), 7, "invalid escape"),
        ("missing quote", format!("{header}msgid \"Cause\nmsgstr \"Cause\"\n"), 6, "missing closing quote"),
        (
            "incomplete header",
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language\\n\"\n".to_string(),
            4,
            "incomplete header",
        ),
        ("header without msgstr", "msgid \"\"\n".to_string(), 1, "msgid without msgstr"),
        ("msgstr without msgid", format!("{header}msgstr \"Cause\"\n"), 6, "msgstr without msgid"),
        (
            "invalid UTF-8",
            format!("{header}msgid \"Cause\"\nmsgstr \"Caus\u{e9}\"\n"),
            7,
            "invalid UTF-8",
        ),
    ];
    let root = copy_with_translations("i18n-broken-po");
    for (name, text, line, why) in cases {
        let mut bytes = text.clone().into_bytes();
        if *name == "invalid UTF-8" {
            // é in Latin-1.
            let at = bytes.windows(2).position(|w| w == "é".as_bytes()).unwrap();
            bytes.splice(at..at + 2, [0xE9]);
        }
        std::fs::write(root.join("po/en.po"), &bytes).unwrap();
        let (code, stdout, stderr) = run(bin().args(["i18n", "status", "--lang", "en"]).arg(&root));
        assert_eq!(code, 2, "{name}: {stdout}{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("po/en.po:{line}")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(why), "{name}: {stderr}");
        // The library says the same, as an error (never a panic).
        let error = format!("{:#}", Catalog::load(&root.join("po/en.po")).unwrap_err());
        assert!(error.contains(&format!("en.po:{line}")), "{name}: {error}");
    }
}

/// The code blocks of a page: (fence info, code).
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, mdbook_runbook::parse::markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                current = Some((info, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, code)) = &mut current {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Code without `#` comments (whole lines, and ` # …` after code outside
/// quotes), written independently of the library's own stripping.
fn without_comments(code: &str) -> String {
    let mut out = Vec::new();
    let mut single = false;
    for line in code.lines() {
        if !single && line.trim_start().starts_with('#') && !line.trim_start().starts_with("#!") {
            continue;
        }
        let mut cut = line.len();
        let (mut s, mut d) = (single, false);
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\'' if !d => s = !s,
                b'"' if !s => d = !d,
                b'#' if !s && !d && i > 0 && bytes[i - 1] == b' ' => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        single = s;
        out.push(line[..cut].trim_end().to_string());
    }
    out.join("\n")
}

#[test]
fn code_blocks_are_identical_once_comments_are_removed() {
    let (source, english) = source_and_english(&repo(), true);
    let english = english.unwrap();
    let mut compared = 0;
    let mut translated_comments = 0;
    for ((path, fr), (_, en)) in chapters(&source).iter().zip(chapters(&english)) {
        let (fr, en) = (code_blocks(fr), code_blocks(&en));
        assert_eq!(fr.len(), en.len(), "{}", path.display());
        for ((fr_info, fr_code), (en_info, en_code)) in fr.iter().zip(&en) {
            assert_eq!(fr_info, en_info, "{}", path.display());
            assert_eq!(
                without_comments(fr_code),
                without_comments(en_code),
                "{}: a code block differs",
                path.display()
            );
            if fr_info.is_empty() || fr_info == "json" || fr_info == "text" {
                assert_eq!(
                    fr_code,
                    en_code,
                    "{}: {fr_info} blocks are never translated",
                    path.display()
                );
            }
            translated_comments += usize::from(fr_code != en_code);
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared} code blocks");
    assert!(
        translated_comments > 10,
        "comments are translated: {translated_comments}"
    );
}

#[test]
fn english_pages_keep_every_line_where_the_source_has_it() {
    let (source, english) = source_and_english(&repo(), true);
    let english = english.unwrap();
    for ((path, fr), (_, en)) in chapters(&source).iter().zip(chapters(&english)) {
        let (fr, en): (Vec<&str>, Vec<&str>) = (fr.lines().collect(), en.lines().collect());
        assert_eq!(fr.len(), en.len(), "{}: number of lines", path.display());
        for (number, (a, b)) in fr.iter().zip(&en).enumerate() {
            let kind = |line: &str| {
                (
                    line.starts_with('#'),
                    line.trim().is_empty(),
                    line.starts_with("```"),
                )
            };
            assert_eq!(
                kind(a),
                kind(b),
                "{}:{}: {a:?} / {b:?}",
                path.display(),
                number + 1
            );
        }
    }
}

const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "de", "un", "une", "est", "sont", "pour", "dans", "avec",
    "sur", "pas", "qui", "que", "et", "ou", "au", "aux", "ces", "cette", "par", "mais", "ne", "se",
    "il", "elle", "nous", "vous", "votre", "leur", "être", "fait", "très", "plus", "sans", "si",
];

/// The prose of a page: text outside code blocks, inline code, HTML and
/// quoted error titles.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for event in Parser::new_ext(markdown, mdbook_runbook::parse::markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code => {
                out.push_str(&text);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    i18n::extract::remove_quoted(&out)
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(['\'', '’', '-']).to_lowercase())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

fn is_french(word: &str) -> bool {
    FRENCH_WORDS.contains(&word)
        || ["l'", "d'", "qu'", "n'", "s'", "c'", "l’", "d’"]
            .iter()
            .any(|elision| word.starts_with(elision))
}

#[test]
fn english_prose_reads_as_english() {
    let (source, english) = source_and_english(&repo(), true);
    let english = english.unwrap();
    let count = |book: &mdbook_driver::book::Book| {
        let mut total = 0;
        let mut french = Vec::new();
        for (_, text) in chapters(book) {
            for word in words(&prose(&text)) {
                total += 1;
                if is_french(&word) {
                    french.push(word);
                }
            }
        }
        (total, french)
    };
    let (total, french) = count(&english);
    let ratio = french.len() as f64 / total as f64;
    eprintln!(
        "English prose: {total} words, {} French function words ({:.2}%): {french:?}",
        french.len(),
        100.0 * ratio
    );
    assert!(total > 3000, "{total} words");
    assert!(ratio < 0.01, "{:.2}% French: {french:?}", 100.0 * ratio);
    // The measure does tell French from English.
    let (source_total, source_french) = count(&source);
    assert!(source_french.len() as f64 / source_total as f64 > 0.15);
}

/// Writes the English book as a book of its own: the translated chapters,
/// SUMMARY.md with the translated titles, `language = "en"`.
fn write_english_book(root: &Path, english: &mdbook_driver::book::Book) {
    let catalog = Catalog::load(&repo().join("po/en.po")).unwrap();
    for (path, text) in chapters(english) {
        std::fs::write(root.join("book").join(path), text).unwrap();
    }
    let summary_path = root.join("book/SUMMARY.md");
    let mut summary = std::fs::read_to_string(&summary_path).unwrap();
    for title in i18n::extract::summary_titles(&summary.clone()) {
        if let i18n::Status::Translated(text) = catalog.status(&title.text) {
            summary = summary.replace(&format!("[{}](", title.text), &format!("[{text}]("));
        }
    }
    std::fs::write(summary_path, summary).unwrap();
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        toml.replace("language = \"fr\"", "language = \"en\""),
    )
    .unwrap();
}

#[test]
fn english_book_checks_clean_and_builds_with_the_same_anchors() {
    let (_, english) = source_and_english(&repo(), true);
    let root = copy_with_translations("i18n-english-book");
    write_english_book(&root, &english.unwrap());

    let french = mdbook_runbook::pipeline::check(&repo()).unwrap();
    let analysed = mdbook_runbook::pipeline::check(&root).unwrap();
    let errors: Vec<String> = analysed
        .diagnostics
        .iter()
        .filter(|d| d.severity == mdbook_runbook::Severity::Error)
        .map(|d| format!("{}:{}: {}", d.file.display(), d.line, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(analysed.index.language, "en");
    let ids = |index: &mdbook_runbook::faq::FaqIndex| -> Vec<(String, String, Vec<String>)> {
        index
            .entries
            .iter()
            .map(|e| (e.id.clone(), e.section.id.clone(), e.matches.clone()))
            .collect()
    };
    assert_eq!(
        ids(&analysed.index),
        ids(&french.index),
        "same entries, anchors and error messages"
    );
    assert!(analysed.index.entries.len() >= 20);
    let english_titles: Vec<&str> = analysed
        .index
        .entries
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert!(
        english_titles.contains(&"Task stuck in PENDING"),
        "{english_titles:?}"
    );

    mdbook_runbook::site::build(&root).unwrap();
    let site = root.join("site/en");
    assert_eq!(broken_links(&site), Vec::<String>::new());
    let faq = std::fs::read_to_string(site.join("faq.html")).unwrap();
    assert!(
        faq.contains("read-only"),
        "the FAQ page's own words are English"
    );
    assert!(!faq.contains("lecture seule</span>"), "no French badge");
    let guide = std::fs::read_to_string(site.join("troubleshooting.html")).unwrap();
    for (id, ..) in ids(&french.index) {
        assert!(
            guide.contains(&format!("id=\"{id}\"")),
            "anchor {id} in the English page"
        );
    }
}
