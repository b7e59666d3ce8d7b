//! A real `mdbook build` (the mdbook 0.5 binary) with `[preprocessor.runbook]`
//! from book.toml, calling this crate's binary through mdBook's JSON protocol.
//!
//! tests/run.sh installs mdbook and sets `MDBOOK`; without it the test looks
//! for `mdbook` on PATH, and fails with a hint if there is none.

mod common;

use common::{bin, copy_of_repo_book, run};
use std::path::PathBuf;
use std::process::Command;

fn mdbook() -> Command {
    let program = std::env::var_os("MDBOOK").map(PathBuf::from).unwrap_or_else(|| "mdbook".into());
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
            assert!(text.starts_with("mdbook v0.5."), "this test needs mdbook 0.5.x, found {text}");
        }
        _ => panic!("mdbook is not installed: run the tests with tests/run.sh, which installs it"),
    }
    command
}

#[test]
fn real_mdbook_build_matches_the_in_process_build() {
    let dir = copy_of_repo_book("mdbook-binary");
    let (code, _, stderr) = run(mdbook().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning: mdbook-runbook was built against"), "{stderr}");
    let by_mdbook = std::fs::read_to_string(dir.join("site/troubleshooting.html")).unwrap();

    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let in_process = std::fs::read_to_string(dir.join("site/fr/troubleshooting.html")).unwrap();

    assert_eq!(by_mdbook.matches("<h3 id=\"").count(), 27);
    assert!(by_mdbook.contains("<h3 id=\"ecr-no-basic-auth-credentials\""));
    assert_eq!(by_mdbook, in_process, "both paths render the same page");
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
