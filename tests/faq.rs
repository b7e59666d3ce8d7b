//! `faq.json`, the FAQ page and the command index, on the repository's book.

mod common;

use common::{bin, copy_of_repo_book, repo, run};
use std::collections::HashSet;
use std::process::Command;

fn build(name: &str) -> (std::path::PathBuf, serde_json::Value) {
    let dir = copy_of_repo_book(name);
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let faq: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("site/fr/faq.json")).unwrap())
            .unwrap();
    (dir, faq)
}

#[test]
fn faq_json_has_every_entry_and_fits_its_schema() {
    let (dir, faq) = build("faq-json");
    assert_eq!(faq["schema_version"], 1);
    assert_eq!(faq["language"], "fr");
    let entries = faq["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 27);
    let ids: HashSet<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 27, "ids are unique");
    for entry in entries {
        for key in ["id", "title", "kind", "url", "solutions_markdown"] {
            assert!(entry[key].is_string(), "{key} in {entry}");
        }
        for key in ["id", "title", "url"] {
            assert!(
                !entry[key].as_str().unwrap().is_empty(),
                "{key} is empty in {entry}"
            );
        }
        assert!(
            entry["section"]["id"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(entry["source"]["line"].as_u64().unwrap() > 0);
        assert_eq!(entry["source"]["file"], "book/troubleshooting.md");
        for key in ["match", "causes", "commands", "tags"] {
            assert!(entry[key].is_array(), "{key} in {entry}");
        }
        if entry["kind"] == "error-message" {
            assert!(!entry["match"].as_array().unwrap().is_empty(), "{entry}");
        }
        let described = !entry["causes"].as_array().unwrap().is_empty()
            || !entry["solutions_markdown"].as_str().unwrap().is_empty()
            || !entry["commands"].as_array().unwrap().is_empty();
        assert!(described, "{entry}");
        let url = entry["url"].as_str().unwrap();
        assert_eq!(
            url,
            format!("troubleshooting.html#{}", entry["id"].as_str().unwrap())
        );
    }
    let first = &entries[0];
    assert_eq!(first["id"], "ecr-no-basic-auth-credentials");
    assert_eq!(first["section"]["id"], "ecr-push-pull");
    assert_eq!(first["match"][0], "no basic auth credentials");
    assert_eq!(first["causes"][0], "Token Docker expiré ou pas de login");
    assert_eq!(
        first["commands"][0]["command"],
        "aws ecr get-login-password --region eu-west-3"
    );
    assert_eq!(first["commands"][0]["operation"], "get-login-password");
    assert_eq!(first["commands"][0]["access"], "read-only");
    let pull = entries
        .iter()
        .find(|e| e["id"] == "tasks-cannotpullcontainererror")
        .unwrap();
    let matches: Vec<&str> = pull["match"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        matches,
        [
            "CannotPullContainerError",
            "pull access denied",
            "repository not found",
            "network timeout"
        ]
    );
    let stuck = entries
        .iter()
        .find(|e| e["id"] == "services-service-stuck-at-0-running-tasks")
        .unwrap();
    assert!(
        stuck["match"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "unable to place a task")
    );

    // The schema, checked by Python's jsonschema (the reference implementation).
    let python = std::env::var("RUNBOOK_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = "import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\njsonschema.Draft202012Validator.check_schema(schema)\njsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))\nprint('valid')";
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(repo().join("src/faq.schema.json"))
        .arg(dir.join("site/fr/faq.json"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}; run the tests with tests/run.sh"));
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // A broken index fails the same check: the schema is not a rubber stamp.
    let mut broken = faq.clone();
    broken["entries"][0]["kind"] = serde_json::json!("question");
    let broken_path = dir.join("broken-faq.json");
    std::fs::write(&broken_path, broken.to_string()).unwrap();
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(repo().join("src/faq.schema.json"))
        .arg(&broken_path)
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[test]
fn two_builds_give_the_same_ids() {
    let (_, first) = build("faq-twice-a");
    let (_, second) = build("faq-twice-b");
    let ids = |faq: &serde_json::Value| {
        faq["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(first, second, "the whole index is deterministic");
}

/// The cells of every table row of an HTML page.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr>")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap();
            row.split("<td>")
                .skip(1)
                .map(|cell| cell.split("</td>").next().unwrap().to_string())
                .collect()
        })
        .filter(|cells: &Vec<String>| !cells.is_empty())
        .collect()
}

#[test]
fn faq_page_and_command_index_are_in_the_site() {
    let (dir, faq) = build("faq-pages");
    let site = dir.join("site/fr");
    let toc = std::fs::read_to_string(site.join("toc.html")).unwrap();
    assert!(
        toc.contains("faq.html") && toc.contains("CLI-Commands.html"),
        "both pages are in SUMMARY"
    );

    let page = std::fs::read_to_string(site.join("faq.html")).unwrap();
    for entry in faq["entries"].as_array().unwrap() {
        let link = format!(
            "href=\"troubleshooting.html#{}\"",
            entry["id"].as_str().unwrap()
        );
        assert!(page.contains(&link), "the FAQ page links {link}");
    }
    assert!(page.contains("<h2 id=\"faq-ecr-push-pull\""));
    assert!(page.contains("runbook-read-only") && page.contains("runbook-mutating"));
    let ld_start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let ld_end = ld_start + page[ld_start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&page[ld_start..ld_end]).unwrap();
    assert_eq!(ld["@type"], "FAQPage");
    assert_eq!(ld["mainEntity"].as_array().unwrap().len(), 27);

    let index = std::fs::read_to_string(site.join("CLI-Commands.html")).unwrap();
    let aws_calls: u64 = faq["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["commands"].as_array().unwrap())
        .filter(|c| c["program"] == "aws")
        .count() as u64;
    assert_eq!(aws_calls, 33);
    let aws_section = &index[index.find("<h2 id=\"aws\"").unwrap()
        ..index
            .find("<h2 id=\"curl\"")
            .or(index.find("<h2 id=\"docker\""))
            .unwrap()];
    let counted: u64 = table_rows(aws_section)
        .iter()
        .map(|cells| cells[2].trim().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counted, 33, "the command index lists all 33 aws calls");
    for operation in [
        "get-login-password",
        "describe-services",
        "run-task",
        "put-scaling-policy",
        "tail",
    ] {
        assert!(
            aws_section.contains(&format!("<code>{operation}</code>")),
            "{operation}"
        );
    }
    assert!(common::broken_links(&dir.join("site")).is_empty());
}
