//! The guide's findings stay as they are: `check --format json` on the
//! repository's book is compared with tests/fixtures/guide-check.json. A
//! change in what the tool reads or reports shows up here as a diff of
//! findings. `RUNBOOK_BLESS=1` rewrites the snapshot after a deliberate
//! change.

mod common;

use common::{bin, repo, run};

#[test]
fn guide_check_findings_match_the_snapshot() {
    let (code, stdout, stderr) = run(bin().arg("check").arg(repo()).args(["--format", "json"]));
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    // The report holds nothing that depends on where or when it runs: file
    // names are relative to the book, and there is no time in it.
    let errors = report["summary"]["errors"].as_u64().unwrap();
    assert_eq!(code, i32::from(errors > 0), "{stderr}");
    let path = repo().join("tests/fixtures/guide-check.json");
    if std::env::var_os("RUNBOOK_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&report).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
        return;
    }
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    if report != snapshot {
        let lines = |v: &serde_json::Value| -> Vec<String> {
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}:{} {} {}",
                        d["file"].as_str().unwrap_or_default(),
                        d["line"],
                        d["column"],
                        d["rule"].as_str().unwrap_or_default(),
                        d["message"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        };
        let (now, then) = (lines(&report), lines(&snapshot));
        let gone: Vec<_> = then.iter().filter(|l| !now.contains(l)).collect();
        let new: Vec<_> = now.iter().filter(|l| !then.contains(l)).collect();
        panic!(
            "the guide's findings changed; RUNBOOK_BLESS=1 rewrites {} after a deliberate change\n\
             no longer reported: {gone:#?}\nnewly reported: {new:#?}\nsummary now {}, was {}",
            path.display(),
            report["summary"],
            snapshot["summary"]
        );
    }
}
