//! Hostile or careless input against the real binary: text that used to
//! crash the human report, reach the terminal raw, or render wrong pages.
//! Each test builds a small book in a scratch directory.

mod common;

use common::{bin, broken_links, run, scratch};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A book in a scratch directory: `book.toml` (English, `on-failure` as
/// given) and the chapters, listed in SUMMARY.md in order.
fn book(name: &str, on_failure: &str, chapters: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\nsrc = \"book\"\n\n[build]\nbuild-dir = \"site\"\n\n\
             [preprocessor.runbook]\ncommand = \"mdbook-runbook\"\nafter = [\"links\", \"index\"]\n\
             on-failure = \"{on_failure}\"\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("book")).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (file, text) in chapters {
        summary.push_str(&format!("- [{file}](./{file})\n"));
        std::fs::write(dir.join("book").join(file), text).unwrap();
    }
    std::fs::write(dir.join("book/SUMMARY.md"), summary).unwrap();
    dir
}

/// An entry in a section, with `body` as its solution.
fn entry(title: &str, body: &str) -> String {
    format!(
        "# Guide\n\n## Sect\n\n### ❌ {title}\n\n**Cause :** the cause\n\n**Solution :**\n\n{body}\n"
    )
}

/// `line:column` of the first `needle` in `text`, counting characters.
fn line_column(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    format!(
        "{}:{}",
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1
    )
}

/// Chapters with a JSON syntax error at a multi-byte character: (file,
/// text, `line:column` of the error).
fn multibyte_json_chapters() -> Vec<(String, String, String)> {
    [
        ("{\"family\": “web”}", "“web"),
        ("{\"a\": é}", "é}"),
        ("{\"a\": 🔥}", "🔥}"),
        ("{\"a\":\u{200b} 1}", "\u{200b}"),
        ("{\"a\": 1\u{301}}", "\u{301}"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (json, at))| {
        let text = entry("\"bad json\"", &format!("```json\n{json}\n```"));
        let at = line_column(&text, at);
        (format!("c{i}.md"), text, at)
    })
    .collect()
}

fn multibyte_json_book(name: &str, on_failure: &str) -> (PathBuf, Vec<(String, String, String)>) {
    let chapters = multibyte_json_chapters();
    let refs: Vec<(&str, &str)> = chapters
        .iter()
        .map(|(f, t, _)| (f.as_str(), t.as_str()))
        .collect();
    (book(name, on_failure, &refs), chapters)
}

#[test]
fn json_error_at_multibyte_char_does_not_panic_check() {
    let (dir, chapters) = multibyte_json_book("multibyte-check", "bail");
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (file, _, at) in &chapters {
        let header = format!("--> book/{file}:{at}\n");
        assert!(stdout.contains(&header), "{header:?} in\n{stdout}");
    }
    assert_eq!(stdout.matches("error[json-syntax]").count(), chapters.len());
}

#[test]
fn json_error_at_multibyte_char_does_not_panic_build() {
    let (dir, chapters) = multibyte_json_book("multibyte-build", "bail");
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.matches("error[json-syntax]").count(), chapters.len());
}

/// mdbook 0.5 (from `MDBOOK`, else PATH), finding this crate's binary first.
fn mdbook() -> Command {
    let program = std::env::var_os("MDBOOK")
        .map(PathBuf::from)
        .unwrap_or_else(|| "mdbook".into());
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-runbook"));
    let mut dirs = vec![ours.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let found = Command::new(&program).arg("--version").output();
    assert!(
        found.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with("mdbook v0.5.")),
        "this test needs mdbook 0.5.x: run the tests with tests/run.sh, which installs it, or set MDBOOK"
    );
    let mut command = Command::new(program);
    command.env("PATH", std::env::join_paths(dirs).unwrap());
    command
}

#[test]
fn json_error_at_multibyte_char_does_not_panic_under_mdbook_build() {
    let (dir, chapters) = multibyte_json_book("multibyte-mdbook", "continue");
    let (code, _, stderr) = run(mdbook().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (file, _, at) in &chapters {
        assert!(
            stderr.contains(&format!("--> book/{file}:{at}\n")),
            "{stderr}"
        );
    }
    let page = std::fs::read_to_string(dir.join("site/c0.html")).unwrap();
    assert!(
        page.contains("runbook-failure"),
        "the failure marker is shown"
    );
}

/// mdBook's preprocessor input (`[context, book]`) for `chapters`, all
/// with the same `source_path`.
fn preprocessor_input(root: &Path, chapters: &[&str]) -> String {
    preprocessor_input_from(root, chapters, mdbook_preprocessor::MDBOOK_VERSION)
}

fn preprocessor_input_from(root: &Path, chapters: &[&str], mdbook_version: &str) -> String {
    let items: Vec<serde_json::Value> = chapters
        .iter()
        .enumerate()
        .map(|(i, content)| {
            serde_json::json!({"Chapter": {
                "name": format!("C{i}"), "content": content, "number": [i + 1],
                "sub_items": [], "path": "a.md", "source_path": "a.md", "parent_names": []
            }})
        })
        .collect();
    serde_json::json!([
        {
            "root": root,
            "config": {
                "book": {"title": "T", "authors": [], "src": "book", "language": "en"},
                "build": {"build-dir": "site", "create-missing": false, "use-default-preprocessors": true, "extra-watch-dirs": []},
                "preprocessor": {"runbook": {"on-failure": "continue"}}
            },
            "renderer": "html",
            "mdbook_version": mdbook_version
        },
        {"items": items}
    ])
    .to_string()
}

#[test]
fn preprocessor_with_two_chapters_sharing_a_source_path_does_not_panic() {
    let dir = scratch("shared-source-path");
    let long = format!("# B\n\n{}\n\n[bad](#nowhere)\n", "x".repeat(100));
    let input = preprocessor_input(&dir, &["# A\n", &long]);
    let input_file = dir.join("input.json");
    std::fs::write(&input_file, input).unwrap();
    let (code, stdout, stderr) = run(bin().stdin(std::fs::File::open(&input_file).unwrap()));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("error[broken-link]"), "{stderr}");
    assert!(stderr.contains("--> book/a.md:5:7\n"), "{stderr}");
    let book: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(book["items"].as_array().unwrap().len(), 2);
}

#[test]
fn preprocessor_warning_does_not_echo_terminal_escapes() {
    let dir = scratch("escape-in-version");
    let input = preprocessor_input_from(&dir, &["# A\n"], "0.5\u{1b}]0;pwned\u{7}");
    let input_file = dir.join("input.json");
    std::fs::write(&input_file, input).unwrap();
    let (code, _, stderr) = run(bin().stdin(std::fs::File::open(&input_file).unwrap()));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("cannot parse the mdBook version"),
        "{stderr}"
    );
    assert!(!stderr.contains(['\u{1b}', '\u{7}']), "{stderr:?}");
}

#[test]
fn terminal_escapes_in_commands_and_titles_are_not_echoed_raw() {
    let text = entry(
        "\"boom \u{1b}]0;pwned\u{7} here\"",
        "```bash\naws \u{1b}[2Jecs list-tasks --cluster \"\u{1b}]8;;http://x\u{1b}\\\\c\"\n```",
    );
    let dir = book("escapes", "bail", &[("a.md", &text)]);
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains("aws \\u{1b}[2Jecs list-tasks"), "{stdout}");
    // The column is that of the file, not of the escaped text.
    let at = line_column(&text, "\u{1b}[2Jecs");
    assert!(
        stdout.contains(&format!("--> book/a.md:{at}\n")),
        "{stdout}"
    );

    let (code, stdout, stderr) = run(bin()
        .args(["lookup", "boom pwned here", "--book"])
        .arg(&dir));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains(['\u{1b}', '\u{7}']), "{stdout:?}");
    assert!(
        stdout.contains("boom \\u{1b}]0;pwned\\u{7} here"),
        "{stdout}"
    );
    assert!(stdout.contains("$ aws '\\u{1b}[2Jecs'"), "{stdout}");
}

/// The `id` attributes of `<h3>` elements of a page.
fn h3_ids(html: &str) -> Vec<&str> {
    html.match_indices("<h3 id=\"")
        .map(|(i, m)| {
            let start = i + m.len();
            &html[start..start + html[start..].find('"').unwrap()]
        })
        .collect()
}

fn faq_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("site/en/faq.json")).unwrap()).unwrap()
}

#[test]
fn headings_with_closing_hashes_get_their_stable_id() {
    let text = "# Guide\n\n## Sect ##\n\n### ❌ \"closing hashes\" ###\n\n**Cause :** c\n\n\
                ### ❌ \"pinned before\" {#sect-old} ###\n\n**Cause :** c\n\n\
                [a](#sect-closing-hashes) [b](#sect-old)\n";
    let dir = book("closing-hashes", "bail", &[("a.md", text)]);
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(dir.join("site/en/a.html")).unwrap();
    assert_eq!(h3_ids(&page), ["sect-closing-hashes", "sect-old"], "{page}");
    assert!(page.contains("<h2 id=\"sect\""), "{page}");
    assert!(!page.contains("{#"), "{page}");
    let faq = faq_json(&dir);
    let urls: Vec<&str> = faq["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["a.html#sect-closing-hashes", "a.html#sect-old"]);
    assert!(broken_links(&dir.join("site")).is_empty());

    // `anchors` pins the ids once; a second run changes nothing.
    let file = dir.join("book/a.md");
    assert_eq!(run(bin().arg("anchors").arg("--in-place").arg(&file)).0, 0);
    let once = std::fs::read_to_string(&file).unwrap();
    assert!(
        once.contains("### ❌ \"closing hashes\" ### {#sect-closing-hashes}\n"),
        "{once}"
    );
    assert!(once.contains("## Sect ## {#sect}\n"), "{once}");
    assert!(
        once.contains("### ❌ \"pinned before\" ### {#sect-old}\n"),
        "{once}"
    );
    assert_eq!(run(bin().arg("anchors").arg("--in-place").arg(&file)).0, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), once);
}

#[test]
fn entry_with_an_emoji_only_title_is_kept_with_a_stable_id() {
    // The entry is found by the message of its cause table: its title has
    // no words to match.
    let text = "# Guide\n\n## Sect\n\n### ❌ 🔥🔥🔥\n\n| Message | Cause |\n|---|---|\n| \"disk of the node is full\" | c |\n\n\
                ### ❌ Other\n\n**Cause :** c\n";
    let faq_page = "# FAQ\n\n{{#runbook-faq}}\n";
    let dir = book(
        "emoji-title",
        "bail",
        &[("a.md", text), ("faq.md", faq_page)],
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let faq = faq_json(&dir);
    let entries = faq["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{faq:#}");
    assert_eq!(entries[0]["title"], "🔥🔥🔥");
    assert_eq!(entries[0]["id"], "sect-entry-1");
    assert_eq!(entries[0]["url"], "a.html#sect-entry-1");
    let page = std::fs::read_to_string(dir.join("site/en/a.html")).unwrap();
    assert_eq!(h3_ids(&page), ["sect-entry-1", "sect-other"], "{page}");
    let faq_html = std::fs::read_to_string(dir.join("site/en/faq.html")).unwrap();
    assert!(
        faq_html.contains("href=\"a.html#sect-entry-1\""),
        "{faq_html}"
    );
    assert!(broken_links(&dir.join("site")).is_empty());
    let (code, stdout, stderr) = run(bin()
        .args([
            "lookup",
            "disk of the node is full",
            "--format",
            "json",
            "--book",
        ])
        .arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let hits: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(hits["matches"][0]["id"], "sect-entry-1", "{hits:#}");
}

#[test]
fn page_directives_expand_only_in_prose_and_once() {
    let guide = entry("\"boom\"", "```bash\naws ecs list-clusters\n```");
    let faq = "# FAQ\n\n```text\n{{#runbook-faq}}\n```\n\n    {{#runbook-faq}}\n\n\
               <!-- {{#runbook-faq}} -->\n\nUse `{{#runbook-faq}}` in a page.\n\n\
               {{#runbook-faq}}\n\nAgain:\n\n{{#runbook-faq}}\n";
    let dir = book("directives", "bail", &[("a.md", &guide), ("faq.md", faq)]);
    let (code, stdout, stderr) = run(bin().arg("check").arg(&dir));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let second = line_column(faq, "Again:\n\n{{#runbook-faq}}");
    let second_line: usize = second.split(':').next().unwrap().parse::<usize>().unwrap() + 2;
    assert!(
        stdout.contains(
            "warning[duplicate-page-directive]: `{{#runbook-faq}}` is already on this page"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("--> book/faq.md:{second_line}:1\n")),
        "{stdout}"
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(dir.join("site/en/faq.html")).unwrap();
    assert_eq!(html.matches("application/ld+json").count(), 1, "{html}");
    assert_eq!(html.matches("id=\"faq-sect\"").count(), 1, "{html}");
    // Code, comments and inline code keep the directive as written.
    assert_eq!(html.matches("{{#runbook-faq}}").count(), 5, "{html}");
}

#[test]
fn entities_are_decoded_once_on_generated_pages() {
    let guide = entry(
        "\"A &amp;lt;b&amp;gt; B\"",
        "```bash\naws ecs list-clusters\n```",
    );
    let dir = book(
        "entities",
        "bail",
        &[
            ("a.md", &guide),
            ("faq.md", "# FAQ\n\n{{#runbook-faq}}\n"),
            ("commands.md", "# Commands\n\n{{#runbook-commands}}\n"),
        ],
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let site = dir.join("site/en");
    let chapter = std::fs::read_to_string(site.join("a.html")).unwrap();
    // The chapter shows `A &lt;b&gt; B`; so must the generated pages.
    let shown = "A &amp;lt;b&amp;gt; B";
    assert!(chapter.contains(shown), "{chapter}");
    for page in ["faq.html", "commands.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains(shown), "{page}: {html}");
        assert!(!html.contains("A &lt;b&gt; B<"), "{page}: {html}");
    }
    let faq = std::fs::read_to_string(site.join("faq.html")).unwrap();
    let start = faq.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
    let end = start + faq[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&faq[start..end]).unwrap();
    assert_eq!(ld["mainEntity"][0]["name"], "A &lt;b&gt; B");
}
