//! The binary run as the bad-input suite holds it: whatever the input,
//! an exit of its own (no signal, no hang), with 0, 1 or 2 and no panic;
//! `build` writing nothing outside its site and, when it fails, leaving the
//! site as it was.

use super::{bin, tree};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run still going after this is a hang: it is killed and the test fails.
pub const HANG: Duration = Duration::from_secs(60);

/// How a run ended.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command`, feeding it `stdin`, and holds it to what any input
/// deserves: an exit of its own within [`HANG`] (no signal), with 0, 1 or 2
/// (never Rust's 101), and no panic message.
pub fn finish(command: &mut Command, stdin: Option<Vec<u8>>) -> Ran {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // The binary may stop reading early: a broken pipe is expected.
        std::thread::spawn(move || drop(pipe.write_all(&bytes)))
    });
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{command:?} still running after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(feeder) = feeder {
        feeder.join().unwrap();
    }
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    let code = status
        .code()
        .unwrap_or_else(|| panic!("{command:?} ended by a signal ({status:?}): {stderr}"));
    assert!(
        !stderr.contains("panicked") && !stdout.contains("panicked"),
        "{command:?} panicked: {stderr}"
    );
    assert!((0..=2).contains(&code), "{command:?} exit {code}: {stderr}");
    Ran {
        code,
        stdout,
        stderr,
    }
}

/// `check` (human format: its `-->` lines name file:line:column).
pub fn check(root: &Path) -> Ran {
    finish(bin().arg("check").arg(root), None)
}

/// `check --format json`: the exit code and the findings as
/// `(rule, "file:line:column")`, in report order.
pub fn check_json(root: &Path) -> (i32, Vec<(String, String)>) {
    let ran = finish(bin().args(["check", "--format", "json"]).arg(root), None);
    let report: serde_json::Value = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("{e}: exit {}: {}", ran.code, ran.stderr));
    let findings = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                ),
            )
        })
        .collect();
    (ran.code, findings)
}

/// `build`, held to where it may write: nothing changes around the book
/// root but under `site/` and the files `also` names (relative to the
/// root); no staging copy, backup or lock is left next to the site; a
/// successful build leaves a site with its marker, a failed one the site as
/// it was (or none).
pub fn build_writing(root: &Path, also: &[&str]) -> Ran {
    let outer = root.parent().unwrap();
    let site = root.join("site");
    let before = tree(outer);
    let ran = finish(bin().arg("build").arg(root), None);
    let after = tree(outer);
    for path in before.keys().chain(after.keys()) {
        if before.get(path) == after.get(path) {
            continue;
        }
        let path = outer.join(path);
        assert!(
            path.starts_with(&site) || also.iter().any(|a| path == root.join(a)),
            "build changed {} outside the site: {}",
            path.display(),
            ran.stderr
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    if ran.code == 0 {
        assert!(site.join(".mdbook-runbook").is_file(), "{}", ran.stderr);
    } else {
        let in_site = |files: &std::collections::BTreeMap<PathBuf, Vec<u8>>| {
            files
                .iter()
                .filter(|(p, _)| outer.join(p).starts_with(&site))
                .map(|(p, c)| (p.clone(), c.clone()))
                .collect::<Vec<_>>()
        };
        assert!(
            in_site(&before) == in_site(&after),
            "a failed build changed the site"
        );
    }
    ran
}

pub fn build(root: &Path) -> Ran {
    build_writing(root, &[])
}

/// Asserts that `ran` failed as the tool (exit 2) with `message` on stderr.
pub fn assert_tool_error(ran: &Ran, message: &str) {
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(message),
        "{message:?} in\n{}",
        ran.stderr
    );
}
