//! Helpers shared by the integration tests: scratch directories, copies of
//! the repository's book, the binary under test, and a link checker for
//! built HTML.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod contract;
pub mod moto;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the repository's book (book.toml and book/) in a scratch dir.
pub fn copy_of_repo_book(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(repo().join("book.toml"), dir.join("book.toml")).unwrap();
    copy_dir(&repo().join("book"), &dir.join("book"));
    dir
}

/// Writes a book into `dir`: book.toml, then each `(path, text)` relative
/// to `dir`.
pub fn write_book(dir: &Path, book_toml: &str, files: &[(&str, &str)]) {
    std::fs::write(dir.join("book.toml"), book_toml).unwrap();
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The mdbook 0.5 binary (`MDBOOK`, else `mdbook` on PATH), with this
/// crate's binary first on its PATH, where mdBook finds the preprocessor
/// (`command = "mdbook-runbook"`). Fails with a hint when there is none.
pub fn mdbook() -> Command {
    let program = std::env::var_os("MDBOOK")
        .map(PathBuf::from)
        .unwrap_or_else(|| "mdbook".into());
    let mut command = Command::new(&program);
    // mdBook finds the preprocessor (`command = "mdbook-runbook"`) on PATH.
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-runbook"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![ours.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    command.env("PATH", std::env::join_paths(dirs).unwrap());
    let version = Command::new(&program).arg("--version").output();
    match version {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(
                text.starts_with("mdbook v0.5."),
                "this test needs mdbook 0.5.x, found {text}"
            );
        }
        _ => panic!("mdbook is not installed: run the tests with tests/run.sh, which installs it"),
    }
    command
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-runbook"))
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("command starts");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every `attr="value"` in an HTML text.
pub fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let start = i + needle.len();
            let end = html[start..].find('"')?;
            Some(&html[start..start + end])
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// Broken relative links in every HTML file under `site`: a missing file, or
/// a fragment that names no `id` in the target page.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut files = Vec::new();
    html_files(site, &mut files);
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut texts = HashMap::new();
    for file in &files {
        let html = std::fs::read_to_string(file).unwrap();
        let file = file.canonicalize().unwrap();
        ids.insert(
            file.clone(),
            attribute_values(&html, "id")
                .into_iter()
                .map(String::from)
                .collect(),
        );
        texts.insert(file, html);
    }
    let mut broken = Vec::new();
    for (file, html) in &texts {
        for href in attribute_values(html, "href") {
            let href = href.replace("&amp;", "&");
            if href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("javascript:")
                || href.starts_with("{{")
                // Site-absolute (`<base href="/fr/">` of a 404 page): where
                // it leads depends on where the site is served.
                || href.starts_with('/')
            {
                continue;
            }
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
                None => (href.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                let candidate = file.parent().unwrap().join(percent_decode(&path));
                match candidate.canonicalize() {
                    Ok(target) => target,
                    Err(_) => {
                        broken.push(format!("{}: missing file {href}", file.display()));
                        continue;
                    }
                }
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&target).is_some_and(|set| set.contains(&fragment));
                if !known && target.extension().is_some_and(|e| e == "html") {
                    broken.push(format!("{}: missing anchor {href}", file.display()));
                }
            }
        }
    }
    broken.sort();
    broken
}

/// The search index mdbook-html wrote into a language's directory
/// (`searchindex*.js`): its path and its JSON.
pub fn search_index(language_dir: &Path) -> (PathBuf, serde_json::Value) {
    let path = std::fs::read_dir(language_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("searchindex") && name.ends_with(".js")
        })
        .expect("a searchindex*.js");
    let text = std::fs::read_to_string(&path).unwrap();
    let quoted = text
        .trim_end()
        .strip_prefix("window.search = Object.assign(window.search, JSON.parse('")
        .unwrap()
        .strip_suffix("'));")
        .unwrap();
    let json = quoted.replace("\\'", "'").replace("\\\\", "\\");
    (path, serde_json::from_str(&json).unwrap())
}

/// Every file under `dir`, relative, with its content.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let content = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), content);
            }
        }
    }
    files
}
