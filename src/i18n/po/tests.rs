use super::read::parse;
use super::*;

fn po(text: &str) -> anyhow::Result<Catalog> {
    parse(text, Path::new("po/en.po"))
}

const HEADER: &str = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: en\\n\"\n\n";

#[test]
fn reads_entries_flags_references_and_previous_msgids() {
    let catalog = po(&format!(
        "{HEADER}# translator note\n#. extracted\n#: book/a.md:3 book/b.md:7\n#, fuzzy, c-format\n#| msgid \"old \"\n#| \"text\"\nmsgid \"\"\n\"new \"\n\"text\"\nmsgstr \"nouveau\"\n\n#~ msgid \"gone\"\n#~ msgstr \"parti\"\n"
    ))
    .unwrap();
    assert_eq!(catalog.header_field("language"), Some("en"));
    let message = catalog.get("new text").expect("the message");
    assert_eq!(message.comments, ["translator note"]);
    assert_eq!(message.extracted, ["extracted"]);
    assert_eq!(message.references, ["book/a.md:3", "book/b.md:7"]);
    assert_eq!(message.flags, ["fuzzy", "c-format"]);
    assert_eq!(message.previous_msgid.as_deref(), Some("old text"));
    assert_eq!(message.line, 12);
    assert_eq!(catalog.status("new text"), Status::Fuzzy);
    assert_eq!(
        catalog.status("gone"),
        Status::Missing,
        "obsolete is not live"
    );
    assert!(
        catalog
            .messages
            .iter()
            .any(|m| m.obsolete && m.msgid == "gone")
    );
}

#[test]
fn escapes_are_decoded() {
    let catalog = po(&format!(
        "{HEADER}msgid \"a\\\"b\\\\c\\nd\\te\\101\"\nmsgstr \"ok\"\n"
    ))
    .unwrap();
    assert!(catalog.get("a\"b\\c\nd\teA").is_some());
}

#[test]
fn plural_forms_and_contexts() {
    let catalog = po(&format!(
        "{HEADER}msgctxt \"menu\"\nmsgid \"file\"\nmsgid_plural \"files\"\nmsgstr[0] \"fichier\"\nmsgstr[1] \"fichiers\"\n\nmsgid \"file\"\nmsgstr \"fichier\"\n"
    ))
    .unwrap();
    assert_eq!(catalog.messages.len(), 2, "a context makes another message");
    assert_eq!(catalog.messages[0].msgstr, ["fichier", "fichiers"]);
    assert_eq!(catalog.status("file"), Status::Translated("fichier"));
}

/// Each broken file gives an error naming the file and the line.
#[test]
fn broken_files_name_file_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad escape",
            "msgid \"a\\qb\"\nmsgstr \"x\"\n",
            "po/en.po:6: invalid escape",
        ),
        (
            "missing quote",
            "msgid \"abc\nmsgstr \"x\"\n",
            "po/en.po:6: missing closing quote",
        ),
        (
            "no opening quote",
            "msgid abc\"\nmsgstr \"x\"\n",
            "po/en.po:6: expected a quoted string",
        ),
        (
            "text after quote",
            "msgid \"a\" b\nmsgstr \"x\"\n",
            "po/en.po:6: text after the closing quote",
        ),
        (
            "msgstr without msgid",
            "msgstr \"x\"\n",
            "po/en.po:6: msgstr without msgid",
        ),
        (
            "msgid without msgstr",
            "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"x\"\n",
            "po/en.po:6: msgid without msgstr",
        ),
        (
            "file ends in an entry",
            "msgid \"a\"\n",
            "po/en.po:6: msgid without msgstr",
        ),
        (
            "duplicate",
            "msgid \"a\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgstr \"y\"\n",
            "po/en.po:9: duplicate message: the same msgid is already on line 6",
        ),
        (
            "unknown keyword",
            "msgfoo \"a\"\n",
            "po/en.po:6: unexpected text",
        ),
        (
            "plural without msgid_plural",
            "msgid \"a\"\nmsgstr[1] \"x\"\n",
            "po/en.po:7: msgstr[1] without msgid_plural",
        ),
        (
            "keyword without string",
            "msgid\nmsgstr \"x\"\n",
            "po/en.po:6: a keyword without its quoted string",
        ),
    ];
    for (name, body, expected) in cases {
        let error = format!("{:#}", po(&format!("{HEADER}{body}")).unwrap_err());
        assert!(error.contains(expected), "{name}: {error}");
    }
}

#[test]
fn broken_headers_name_file_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "stray string",
            "\"abc\"\n",
            "po/en.po:1: a quoted string with no msgid",
        ),
        (
            "header without msgstr",
            "msgid \"\"\n",
            "po/en.po:1: msgid without msgstr",
        ),
        (
            "header line without colon",
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language en\\n\"\n",
            "po/en.po:4: header line \"Language en\" is not `Name: value`",
        ),
        (
            "incomplete plural forms",
            "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=2; plural=\\n\"\n",
            "po/en.po:3: Plural-Forms",
        ),
        (
            "latin-1 charset",
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n",
            "po/en.po:3: charset=ISO-8859-1",
        ),
        (
            "truncated header string",
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n",
            "po/en.po:3: missing closing quote",
        ),
        (
            "second header",
            "msgid \"\"\nmsgstr \"\"\n\nmsgid \"a\"\nmsgstr \"b\"\n\nmsgid \"\"\nmsgstr \"\"\n",
            "po/en.po:7: an entry with an empty msgid",
        ),
    ];
    for (name, text, expected) in cases {
        let error = format!("{:#}", po(text).unwrap_err());
        assert!(error.contains(expected), "{name}: {error}");
    }
}

#[test]
fn a_file_without_header_reads() {
    let catalog = po("msgid \"a\"\nmsgstr \"b\"\n").unwrap();
    assert_eq!(catalog.status("a"), Status::Translated("b"));
}

/// Strings that are hard to write: quotes, backslashes, newlines, tabs,
/// control characters, long words, long lines, non-ASCII text.
fn tricky_strings() -> Vec<String> {
    let mut strings: Vec<String> = [
        "plain",
        "with \"quotes\" and \\backslashes\\",
        "line one\nline two\n",
        "\n",
        "tab\there",
        "bell\u{7} and escape \u{1b}",
        "accents: éèàç — 📦 ❌",
        "ends with a backslash \\",
        "trailing spaces   ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    strings.push("word ".repeat(60));
    strings.push("x".repeat(200));
    strings.push(format!("{} {}", "y".repeat(76), "z".repeat(3)));
    strings.push("\"".repeat(50));
    strings.push("a\\".repeat(45));
    strings
}

#[test]
fn written_catalogs_read_back_identical() {
    let mut catalog = Catalog::new("en", "Test");
    for (n, text) in tricky_strings().into_iter().enumerate() {
        let mut message = Message::new(format!("{text} #{n}"));
        message.msgstr = vec![format!("→ {text}")];
        message.references = (0..12)
            .map(|i| format!("book/chapter-{i}.md:{n}"))
            .collect();
        message.comments = vec![format!("note {n}")];
        message.extracted = vec!["for translators".into()];
        if n % 3 == 0 {
            message.set_fuzzy(true);
            message.previous_msgid = Some(format!("old {text}"));
        }
        message.obsolete = n % 5 == 4;
        catalog.push(message).unwrap();
    }
    let text = catalog.to_po();
    for line in text.lines() {
        let string = line.trim_start_matches(['#', '~', '|', ' ']);
        let is_long_word = !string.trim_matches('"').trim_end().contains(' ');
        assert!(
            line.chars().count() <= 79 || is_long_word,
            "line longer than 79 columns: {line}"
        );
    }
    let read = po(&text).unwrap();
    assert_eq!(read.header, catalog.header);
    assert_eq!(read.messages.len(), catalog.messages.len());
    let mut expected: Vec<Message> = catalog.messages.clone();
    expected.sort_by_key(|m| m.obsolete);
    for (read, written) in read.messages.iter().zip(&expected) {
        let mut read = read.clone();
        read.line = 0;
        assert_eq!(&read, written);
    }
    assert_eq!(
        po(&read.to_po()).unwrap().to_po(),
        text,
        "a second round trip is stable"
    );
}

#[test]
fn short_strings_stay_on_one_line() {
    let mut catalog = Catalog::new("en", "Test");
    let mut message = Message::new("Hello");
    message.msgstr = vec!["Bonjour".into()];
    catalog.push(message).unwrap();
    assert!(
        catalog
            .to_po()
            .ends_with("\nmsgid \"Hello\"\nmsgstr \"Bonjour\"\n")
    );
}

/// A small deterministic fuzzer: a valid PO file with bytes replaced,
/// inserted or removed. Nothing panics; what is read writes back to text
/// that reads the same.
#[test]
fn mutated_po_files_never_panic_and_round_trip() {
    let mut catalog = Catalog::new("en", "Test");
    for (n, text) in tricky_strings().into_iter().enumerate() {
        let mut message = Message::new(format!("{text} {n}"));
        message.msgstr = vec![text.clone()];
        message.references = vec![format!("book/a.md:{n}")];
        message.set_fuzzy(n % 2 == 0);
        catalog.push(message).unwrap();
    }
    let valid = catalog.to_po().into_bytes();
    let alphabet = b"\"\\#~|:,. \nmsgidstrctx_plural[]01\xc3\xa9";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut accepted = 0;
    for _ in 0..4000 {
        let mut bytes = valid.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            let byte = alphabet[(next() as usize) % alphabet.len()];
            match next() % 3 {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Ok(read) = po(&text) {
            accepted += 1;
            let written = read.to_po();
            let again = po(&written).expect("what the writer writes reads back");
            assert_eq!(again.to_po(), written);
        }
    }
    assert!(accepted > 100, "{accepted} mutated files accepted");
}
