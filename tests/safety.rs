//! Data-loss regressions: where `build` may write, what a killed or
//! concurrent build leaves, in-place rewrites of symlinks and hard links,
//! and files from outside the book. Every test runs the real binary on a
//! small scratch book; the kills are real SIGKILLs, placed with the
//! documented fault-injection hook (`MDBOOK_RUNBOOK_PAUSE_AT`).

mod common;

use common::{bin, run, scratch};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

/// The hook's environment variable and the marker file, as the README
/// documents them.
const PAUSE_ENV: &str = "MDBOOK_RUNBOOK_PAUSE_AT";
const MARKER: &str = ".mdbook-runbook";

/// A small valid book in `<scratch>/root`: `book.toml` with `extra` appended,
/// `src/SUMMARY.md` and one chapter whose text is `body`.
fn small_book(name: &str, extra: &str, body: &str) -> PathBuf {
    let root = scratch(name).join("root");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"Small\"\nlanguage = \"fr\"\nsrc = \"src\"\n\n{extra}"),
    )
    .unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n\n- [A](./a.md)\n").unwrap();
    std::fs::write(root.join("src/a.md"), format!("# A\n\n{body}\n")).unwrap();
    root
}

fn build(dir: &Path) -> (i32, String, String) {
    run(bin().arg("build").arg(dir))
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The staging, backup and lock entries next to `site`.
fn leftovers(dir: &Path) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with(".site"))
        .collect()
}

fn page(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("site/fr/a.html")).unwrap_or_default()
}

fn set_chapter(dir: &Path, body: &str) {
    std::fs::write(dir.join("src/a.md"), format!("# A\n\n{body}\n")).unwrap();
}

fn spawn_paused(dir: &Path, point: &str) -> (Child, BufReader<std::process::ChildStderr>) {
    let mut child = bin()
        .arg("build")
        .arg(dir)
        .env(PAUSE_ENV, point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let Some(stderr) = child.stderr.take() else {
        child.kill().ok();
        child.wait().ok();
        panic!("no stderr pipe");
    };
    let mut stderr = BufReader::new(stderr);
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if !matches!(stderr.read_line(&mut line), Ok(n) if n > 0) {
            let status = child.wait();
            panic!("the build never paused at {point} ({status:?}); stderr: {seen}");
        }
        if line.contains(&format!("paused at {point}")) {
            return (child, stderr);
        }
        seen.push_str(&line);
    }
}

/// Starts a build that pauses at `point` and kills it there with SIGKILL.
fn kill_build_at(dir: &Path, point: &str) {
    let (mut child, _stderr) = spawn_paused(dir, point);
    child.kill().unwrap();
    child.wait().unwrap();
}

// ---- 1. the build directory must not be the book ----

/// Regression: `build-dir = "../root/book"` named the sources through `..`;
/// the build replaced them with the site and reported success.
#[test]
fn regression_build_dir_naming_the_sources_through_dot_dot_is_refused() {
    let root = small_book(
        "outdir-sources",
        "[build]\nbuild-dir = \"../root/src\"\n",
        "Text.",
    );
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is the book's source directory") && stderr.contains("build-dir"),
        "{stderr}"
    );
    assert_eq!(names_in(&root.join("src")), ["SUMMARY.md", "a.md"]);
    assert_eq!(names_in(root.parent().unwrap()), ["root"]);
}

/// Regression: `build-dir = "../root"` moved the whole book aside to a
/// hidden `.root.old-PID`; the other spellings of "the book itself" must be
/// refused the same way, symlinks included.
#[test]
fn regression_build_dir_overlapping_the_book_is_refused() {
    let cases = [
        ("../root", "is the book's root"),
        (".", "is the book's root"),
        ("..", "contains the book's root"),
        ("src/site", "is inside the book's source directory"),
        ("src/../src", "is the book's source directory"),
        ("out", "is the book's source directory"),
        ("out/site", "is inside the book's source directory"),
    ];
    for (build_dir, relation) in cases {
        let root = small_book(
            "outdir-overlap",
            &format!("[build]\nbuild-dir = \"{build_dir}\"\n"),
            "Text.",
        );
        std::os::unix::fs::symlink("src", root.join("out")).unwrap();
        let (code, _, stderr) = build(&root);
        assert_eq!(code, 2, "{build_dir}: {stderr}");
        assert!(stderr.contains(relation), "{build_dir}: {stderr}");
        assert_eq!(names_in(&root), ["book.toml", "out", "src"], "{build_dir}");
        assert_eq!(names_in(&root.join("src")), ["SUMMARY.md", "a.md"]);
        assert_eq!(names_in(root.parent().unwrap()), ["root"], "{build_dir}");
    }
}

/// Regression: any existing directory named by build-dir was replaced, and
/// whatever it held deleted.
#[test]
fn regression_build_dir_the_tool_did_not_write_is_not_replaced() {
    let root = small_book("outdir-foreign", "[build]\nbuild-dir = \"docs\"\n", "Text.");
    std::fs::create_dir(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("was not written by `mdbook-runbook build`"),
        "{stderr}"
    );
    assert_eq!(names_in(&root.join("docs")), ["notes.txt"]);
    assert_eq!(names_in(&root), ["book.toml", "docs", "src"]);

    // Its own site, and an empty directory, are replaced.
    let root = small_book("outdir-own", "[build]\nbuild-dir = \"docs\"\n", "Text.");
    std::fs::create_dir(root.join("docs")).unwrap();
    assert_eq!(build(&root).0, 0);
    assert_eq!(build(&root).0, 0);
    assert!(root.join("docs/fr/a.html").is_file());
    assert!(root.join("docs").join(MARKER).is_file());
}

/// A site built before the marker existed (language directories holding
/// faq.json) is still the tool's own and is replaced.
#[test]
fn site_of_an_older_version_is_replaced() {
    let root = small_book(
        "outdir-older",
        "[build]\nbuild-dir = \"site\"\n",
        "New text.",
    );
    std::fs::create_dir_all(root.join("site/fr")).unwrap();
    std::fs::write(root.join("site/fr/faq.json"), "{}").unwrap();
    std::fs::write(root.join("site/fr/a.html"), "old").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    assert!(page(&root).contains("New text."));
}

// ---- 2. killed and concurrent builds ----

const SITE: &str = "[build]\nbuild-dir = \"site\"\n";

/// Regression: every killed build left a `.site.tmp-PID` copy of the site,
/// and no later build removed them.
#[test]
fn regression_killed_builds_leave_no_staging_behind() {
    let root = small_book("kill-staging", SITE, "One.");
    for _ in 0..3 {
        kill_build_at(&root, "staged");
    }
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(leftovers(&root), Vec::<String>::new());
    assert!(page(&root).contains("One."));
}

/// Regression: a kill at any point of the swap must leave a state the next
/// build repairs: the site, or its backup, always exists, and afterwards
/// nothing is left next to the new site.
#[test]
fn regression_kill_at_every_point_of_the_swap_is_recovered() {
    for point in ["locked", "staged", "moved-aside", "swapped", "emptied"] {
        let root = small_book("kill-points", SITE, "Old text.");
        assert_eq!(build(&root).0, 0);
        set_chapter(&root, "New text.");
        kill_build_at(&root, point);
        let backups: Vec<String> = leftovers(&root)
            .into_iter()
            .filter(|n| n.starts_with(".site.old-"))
            .collect();
        if point == "moved-aside" {
            assert!(!root.join("site").exists(), "{point}");
            assert_eq!(backups.len(), 1, "{point}: {backups:?}");
            assert!(root.join(&backups[0]).join(MARKER).is_file());
        } else {
            assert!(root.join("site/fr").is_dir(), "{point}");
        }
        let (code, _, stderr) = build(&root);
        assert_eq!(code, 0, "{point}: {stderr}");
        assert!(page(&root).contains("New text."), "{point}");
        assert_eq!(leftovers(&root), Vec::<String>::new(), "{point}");
    }
}

/// Regression: killed between the two renames, a build left no `site/` and
/// the old site hidden as `.site.old-PID`; the next build (here one that
/// fails on a finding) must put the old site back.
#[test]
fn regression_kill_between_the_renames_restores_the_old_site() {
    let root = small_book("kill-restore", SITE, "Old text.");
    assert_eq!(build(&root).0, 0);
    set_chapter(&root, "New text.");
    kill_build_at(&root, "moved-aside");
    assert!(!root.join("site").exists());
    set_chapter(&root, "See [nowhere](#no-such-anchor).");
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("restored"), "{stderr}");
    assert!(page(&root).contains("Old text."));
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

/// Recovery from each leftover a killed build can leave, crafted on disk:
/// a complete staging copy, a backup next to a live site, an empty staging
/// directory (killed before its marker), a half-removed backup (only the
/// marker left) and a stale lock file are all cleaned; a directory with the
/// same naming pattern but no marker is not the tool's and is left alone.
#[test]
fn regression_leftovers_of_killed_builds_are_recovered_from_disk() {
    let root = small_book("recover-disk", SITE, "Text.");
    assert_eq!(build(&root).0, 0);
    common::copy_dir(&root.join("site"), &root.join(".site.tmp-4242424"));
    common::copy_dir(&root.join("site"), &root.join(".site.old-4343434"));
    std::fs::create_dir(root.join(".site.tmp-1")).unwrap();
    std::fs::create_dir(root.join(".site.old-2")).unwrap();
    std::fs::write(root.join(".site.old-2").join(MARKER), "").unwrap();
    std::fs::create_dir(root.join(".site.tmp-3")).unwrap();
    std::fs::write(root.join(".site.tmp-3/keep.txt"), "not the tool's").unwrap();
    std::fs::write(root.join(".site.lock"), "").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(leftovers(&root), [".site.tmp-3"]);
    assert_eq!(names_in(&root.join(".site.tmp-3")), ["keep.txt"]);
    assert!(stderr.contains(".site.tmp-3 alone"), "{stderr}");
    assert!(page(&root).contains("Text."));
}

/// Regression: six builds of one book at once sometimes failed with
/// "moving …/site aside: No such file or directory" or "Directory not
/// empty", leaving backups behind (2 builds in 180 before the lock). With
/// the lock they take turns.
#[test]
fn regression_six_concurrent_builds_all_succeed() {
    let root = small_book("concurrent", SITE, "Text.");
    let mut waited = 0;
    for round in 0..10 {
        let children: Vec<Child> = (0..6)
            .map(|_| {
                bin()
                    .arg("build")
                    .arg(&root)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "round {round}: {stderr}");
            waited += usize::from(stderr.contains("waiting for another build"));
        }
        assert_eq!(leftovers(&root), Vec::<String>::new(), "round {round}");
        assert!(page(&root).contains("Text."));
    }
    // They took turns: builds started together found the lock taken.
    assert!(waited > 0, "no build ever waited for the lock");
}

/// A second build of the same book waits for the lock the first holds, and
/// gets it when the first is killed.
#[test]
fn regression_second_build_waits_for_the_lock() {
    let root = small_book("lock-wait", SITE, "Text.");
    let (mut first, _first_stderr) = spawn_paused(&root, "locked");
    let mut second = bin()
        .arg("build")
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("waiting for another build"), "{line}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(second.try_wait().unwrap().is_none(), "it waits");
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(second.wait().unwrap().success());
    assert!(page(&root).contains("Text."));
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

// ---- 3. in-place rewrites ----

const MOJIBAKE: &str = "Le dÃ©ploiement a Ã©chouÃ©, vÃ©rifier la tÃ¢che et le rÃ©seau.\n";
const REPAIRED: &str = "Le déploiement a échoué, vérifier la tâche et le réseau.\n";

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Regression: `fix-encoding --in-place` on a symlink replaced the link with
/// a regular file and left the target unrepaired.
#[test]
fn regression_fix_encoding_in_place_writes_through_a_symlink() {
    let dir = scratch("fix-symlink");
    std::fs::create_dir(dir.join("real")).unwrap();
    let target = dir.join("real/chapter.md");
    std::fs::write(&target, MOJIBAKE).unwrap();
    set_mode(&target, 0o640);
    let link = dir.join("link.md");
    std::os::unix::fs::symlink("real/chapter.md", &link).unwrap();
    let (code, _, stderr) = run(bin().args(["fix-encoding", "--in-place"]).arg(&link));
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), REPAIRED);
    assert_eq!(mode(&target), 0o640);
    assert_eq!(names_in(&dir.join("real")), ["chapter.md"]);
    assert_eq!(names_in(&dir), ["link.md", "real"]);
}

/// Regression: `fix-encoding --in-place` broke hard links: the named file
/// got a new inode and the other names kept the garbled text.
#[test]
fn regression_fix_encoding_in_place_keeps_hard_links() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("fix-hardlink");
    let first = dir.join("a.md");
    let second = dir.join("b.md");
    std::fs::write(&first, MOJIBAKE).unwrap();
    set_mode(&first, 0o600);
    std::fs::hard_link(&first, &second).unwrap();
    let inode = std::fs::metadata(&first).unwrap().ino();
    let (code, _, stderr) = run(bin().args(["fix-encoding", "--in-place"]).arg(&first));
    assert_eq!(code, 0, "{stderr}");
    for path in [&first, &second] {
        assert_eq!(std::fs::read_to_string(path).unwrap(), REPAIRED);
        assert_eq!(std::fs::metadata(path).unwrap().ino(), inode);
        assert_eq!(mode(path), 0o600);
    }
    assert_eq!(names_in(&dir), ["a.md", "b.md"], "no backup left");
}

// ---- 14. files outside the book ----

/// Regression: a SUMMARY entry `../../victim.md` was loaded, and `build`
/// wrote `victim.html` outside the site; an absolute one panicked mdBook.
#[test]
fn regression_summary_entry_outside_the_book_is_refused() {
    for entry in ["../../victim.md", "/etc/hostname"] {
        let root = small_book("outside-summary", SITE, "Text.");
        let outer = root.parent().unwrap();
        std::fs::write(outer.join("victim.md"), "# Victim\n").unwrap();
        std::fs::write(
            root.join("src/SUMMARY.md"),
            format!("# Summary\n\n- [A](./a.md)\n- [E]({entry})\n"),
        )
        .unwrap();
        for command in ["build", "check"] {
            let (code, _, stderr) = run(bin().arg(command).arg(&root));
            assert_eq!(code, 2, "{entry} {command}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "src/SUMMARY.md:4: chapter `{entry}` is outside the source directory"
                )),
                "{entry} {command}: {stderr}"
            );
        }
        assert_eq!(names_in(outer), ["root", "victim.md"]);
        assert_eq!(names_in(&root), ["book.toml", "src"]);
    }
}

/// Regression: `{{#include /etc/passwd}}` (here a secret file next to the
/// book) put that file into the page, faq.json and the JSON-LD. mdBook
/// expands includes in code blocks too, and in included files.
#[test]
fn regression_include_outside_the_root_is_refused() {
    let cases = [
        (
            "Text.\n\n```\n{{#include ../../secret.txt}}\n```",
            "src/a.md:6:1",
        ),
        ("Text.\n\n{{#include part.md}}", "src/part.md:2:3"),
        ("{{ #playground /etc/passwd }}", "src/a.md:3:1"),
    ];
    for (body, place) in cases {
        let root = small_book("outside-include", SITE, body);
        std::fs::write(root.parent().unwrap().join("secret.txt"), "TOP-SECRET\n").unwrap();
        std::fs::write(
            root.join("src/part.md"),
            "Part.\n  {{#include ../../secret.txt}}\n",
        )
        .unwrap();
        for command in ["build", "check"] {
            let (code, stdout, stderr) = run(bin().arg(command).arg(&root));
            assert_eq!(code, 2, "{body} {command}: {stderr}");
            assert!(
                stderr.contains(&format!("{place}: `{{{{#")),
                "{body} {command}: {stderr}"
            );
            assert!(
                stderr.contains("outside the book root")
                    && stderr.contains("allow-outside-root = true"),
                "{stderr}"
            );
            assert!(!stdout.contains("TOP-SECRET"));
        }
        assert!(!root.join("site").exists());
    }
}

/// `allow-outside-root = true` lets chapters and includes reach outside the
/// root; a chapter path that leaves the source directory stays refused.
#[test]
fn allow_outside_root_lets_the_book_include_files_outside_it() {
    let root = small_book(
        "outside-allowed",
        "[build]\nbuild-dir = \"site\"\n\n[preprocessor.runbook]\nallow-outside-root = true\n",
        "{{#include ../../shared.md}}",
    );
    std::fs::write(root.parent().unwrap().join("shared.md"), "Shared text.\n").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    assert!(page(&root).contains("Shared text."));
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](./a.md)\n- [S](../../shared.md)\n",
    )
    .unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("outside the source directory"), "{stderr}");
}

/// Regression: `[output.html] additional-css = ["../../x.css"]` was read
/// from outside the book and written at the same path under the output
/// directory: into the book root, outside the site.
#[test]
fn regression_additional_css_outside_the_root_is_refused() {
    let root = small_book(
        "outside-css",
        "[build]\nbuild-dir = \"site\"\n\n[output.html]\nadditional-css = [\"../../x.css\"]\n",
        "Text.",
    );
    std::fs::write(root.parent().unwrap().join("x.css"), "body {}\n").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "book.toml: [output.html] additional-css `../../x.css` is outside the book root"
        ),
        "{stderr}"
    );
    assert_eq!(names_in(&root), ["book.toml", "src"]);

    // A symlink inside the book that leads outside it needs the opt-in.
    let root = small_book(
        "outside-css-link",
        "[build]\nbuild-dir = \"site\"\n\n[output.html]\nadditional-css = [\"x.css\"]\n",
        "Text.",
    );
    std::fs::write(root.parent().unwrap().join("x.css"), "body {}\n").unwrap();
    std::os::unix::fs::symlink("../x.css", root.join("x.css")).unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("outside the book root"), "{stderr}");
    std::fs::remove_file(root.join("x.css")).unwrap();
    std::fs::write(root.join("x.css"), "body {}\n").unwrap();
    let (code, _, stderr) = build(&root);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        root.join("site/fr").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("x"))
    );
}

// ---- symlinks in the sources ----

/// Regression: two symlinks to `.` in the sources made the UTF-8 check walk
/// 2^40 paths (`check` ran until killed); a symlink to `/` walked the whole
/// file system. Symlinked directories are not walked.
#[test]
fn regression_symlink_loops_in_the_sources_do_not_hang() {
    let root = small_book("symlink-loop", SITE, "Text.");
    std::os::unix::fs::symlink(".", root.join("src/x")).unwrap();
    std::os::unix::fs::symlink(".", root.join("src/y")).unwrap();
    let mut child = bin()
        .arg("check")
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("check still running after 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success());
}
