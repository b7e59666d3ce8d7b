//! A real `mdbook build` (the mdbook 0.5 binary) with `[preprocessor.runbook]`
//! from book.toml, calling this crate's binary through mdBook's JSON protocol.
//!
//! tests/run.sh installs mdbook and sets `MDBOOK`; without it the test looks
//! for `mdbook` on PATH, and fails with a hint if there is none.

mod common;

use common::{bin, copy_of_repo_book, mdbook, run, tree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[test]
fn real_mdbook_build_matches_the_in_process_build() {
    let dir = copy_of_repo_book("mdbook-binary");
    let by_mdbook = dir.join("by-mdbook");
    let (code, _, stderr) = run(mdbook()
        .arg("build")
        .arg(&dir)
        .arg("--dest-dir")
        .arg(&by_mdbook));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("mdbook-runbook was built against"),
        "{stderr}"
    );
    // Two outputs: the pages, and [output.runbook]'s faq.json and scripts.
    let runbook = by_mdbook.join("runbook");
    let by_mdbook = by_mdbook.join("html");
    let page = std::fs::read_to_string(by_mdbook.join("troubleshooting.html")).unwrap();
    assert_eq!(page.matches("<h3 id=\"").count(), 27);
    assert!(page.contains("<h3 id=\"ecr-no-basic-auth-credentials\""));

    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    // Entries link to their scripts where each path puts them: the
    // renderer's directory next to the HTML one, or site/checks.
    let expected: BTreeMap<PathBuf, Vec<u8>> = tree(&by_mdbook)
        .into_iter()
        .map(|(path, content)| match String::from_utf8(content) {
            Ok(text) => (
                path,
                text.replace("../runbook/checks/", "../checks/")
                    .into_bytes(),
            ),
            Err(binary) => (path, binary.into_bytes()),
        })
        .collect();
    // Each names its search index after what it holds.
    let expected = by_search_index_name(expected);
    let mut actual = by_search_index_name(tree(&dir.join("site/fr")));
    // The one-command build writes the FAQ index next to the pages; the
    // renderer writes the same file.
    let faq = actual.remove(Path::new("faq.json")).expect("faq.json");
    assert_eq!(std::fs::read(runbook.join("faq.json")).unwrap(), faq);
    assert_eq!(
        tree(&runbook.join("checks")),
        tree(&dir.join("site/checks")),
        "the renderer writes the same scripts as the build"
    );
    // ... and the French query pipeline.
    assert!(actual.remove(Path::new("runbook-search-fr.js")).is_some());
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "both paths write the same files"
    );
    // The pages are rendered with the site's localized theme and the search
    // index holds French terms; what the chapters say is the same.
    let main = |html: &[u8]| {
        let html = String::from_utf8_lossy(html).into_owned();
        let start = html.find("<main>").expect("a <main>");
        // The search reads the content between markers of the template.
        html[start..html.find("</main>").expect("a </main>")]
            .replace("<!--runbook:content-->", "")
            .replace("<!--/runbook:content-->", "")
    };
    for (path, content) in &expected {
        let name = path.to_string_lossy();
        let same = if name == "404.html" {
            true
        } else if name.ends_with(".html") && name != "toc.html" {
            main(&actual[path]) == main(content)
        } else if name.starts_with("searchindex") {
            // Documents as (url, title, body): the same, except that our
            // index leaves out the pages the tool generates (the FAQ and
            // command indexes), which list entries found where they are.
            let docs = |bytes: &[u8]| -> Vec<(String, String, String)> {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let json =
                    &text[text.find("JSON.parse('").unwrap() + 12..text.rfind("'));").unwrap()];
                let index: serde_json::Value =
                    serde_json::from_str(&json.replace("\\'", "'").replace("\\\\", "\\")).unwrap();
                let stored = &index["index"]["documentStore"]["docs"];
                index["doc_urls"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .map(|(i, url)| {
                        let doc = &stored[i.to_string()];
                        (
                            url.as_str().unwrap().to_string(),
                            doc["title"].as_str().unwrap().to_string(),
                            doc["body"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect()
            };
            let generated = |url: &str| {
                let page = url.split('#').next().unwrap_or_default();
                let chapter = dir.join("book").join(page.replace(".html", ".md"));
                std::fs::read_to_string(chapter).is_ok_and(|text| text.contains("{{#runbook-"))
            };
            let (ours, theirs) = (docs(&actual[path]), docs(content));
            let elsewhere = |docs: &[(String, String, String)]| -> Vec<(String, String, String)> {
                docs.iter().filter(|d| !generated(&d.0)).cloned().collect()
            };
            assert!(
                ours.len() < theirs.len(),
                "the generated pages are left out"
            );
            assert!(ours.iter().any(|d| generated(&d.0)), "their own text stays");
            elsewhere(&ours) == elsewhere(&theirs)
        } else {
            actual[path] == *content
        };
        assert!(
            same,
            "{} differs between mdbook build and mdbook-runbook build",
            path.display()
        );
    }
}

/// `files` with the search index, `searchindex-<hash>.js`, keyed and
/// named as `searchindex.js`.
fn by_search_index_name(files: BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    let index = files
        .keys()
        .map(|path| path.to_string_lossy().into_owned())
        .find(|name| name.starts_with("searchindex-") && name.ends_with(".js"))
        .expect("a hashed search index");
    files
        .into_iter()
        .map(|(path, content)| {
            if path.to_string_lossy() == index {
                return (PathBuf::from("searchindex.js"), content);
            }
            let content = match String::from_utf8(content) {
                Ok(text) => text.replace(&index, "searchindex.js").into_bytes(),
                Err(binary) => binary.into_bytes(),
            };
            (path, content)
        })
        .collect()
}

#[test]
fn real_mdbook_build_fails_on_errors() {
    let dir = copy_of_repo_book("mdbook-binary-fails");
    let chapter = dir.join("book/troubleshooting.md");
    let text = std::fs::read_to_string(&chapter).unwrap() + "\n## Again {#networking}\n";
    std::fs::write(&chapter, text).unwrap();
    let (code, _, stderr) = run(mdbook().arg("build").arg(&dir));
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("error[duplicate-id]"), "{stderr}");
    assert!(stderr.contains("on-failure = \"continue\""), "{stderr}");
}
