//! What git knows about the book: the repository it lives in, and the lines
//! changed since a reference (`check --changed-since`).
//!
//! Runs the `git` program; a book outside a repository simply has no
//! repository root, and asking for changes there is an error.

use anyhow::{Context, Result, bail};
use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The root of the git work tree that holds `dir`, if any.
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `dir` relative to the root of its git work tree (empty when it is the
/// root, or outside any repository).
pub fn prefix_in_repository(dir: &Path) -> PathBuf {
    let Some(root) = repository_root(dir) else {
        return PathBuf::new();
    };
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.strip_prefix(&root).ok().map(Path::to_path_buf))
        .unwrap_or_default()
}

/// The lines changed since a reference, by path relative to the work tree.
#[derive(Debug, Default)]
pub struct ChangedLines {
    lines: HashMap<PathBuf, Vec<RangeInclusive<usize>>>,
    /// New files git does not track yet: every line is new.
    untracked: HashSet<PathBuf>,
}

impl ChangedLines {
    /// Whether 1-based `line` of `path` (relative to the work tree) changed.
    pub fn contains(&self, path: &Path, line: usize) -> bool {
        self.untracked.contains(path)
            || self
                .lines
                .get(path)
                .is_some_and(|ranges| ranges.iter().any(|r| r.contains(&line)))
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("running git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).context("git printed something that is not UTF-8")
}

/// The lines of the work tree (committed or not) that differ from
/// `reference`, and the untracked files.
pub fn changed_since(dir: &Path, reference: &str) -> Result<ChangedLines> {
    let Some(root) = repository_root(dir) else {
        bail!(
            "--changed-since: {} is not inside a git repository",
            dir.display()
        );
    };
    if reference.starts_with('-') {
        bail!("--changed-since: `{reference}` is not a git reference");
    }
    git(
        &root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .with_context(|| {
        format!("--changed-since: `{reference}` is not a commit of this repository")
    })?;
    let diff = git(
        &root,
        &[
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            reference,
            "--",
        ],
    )?;
    let mut changed = ChangedLines::default();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path.strip_prefix("b/").map(PathBuf::from);
        } else if let Some(hunk) = line.strip_prefix("@@ ")
            && let Some(path) = &current
            && let Some(range) = new_side(hunk)
        {
            changed.lines.entry(path.clone()).or_default().push(range);
        }
    }
    let untracked = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    changed.untracked = untracked
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    Ok(changed)
}

/// The new-side lines of a hunk header `-a,b +c,d @@`; `None` for a pure
/// deletion.
fn new_side(hunk: &str) -> Option<RangeInclusive<usize>> {
    let plus = hunk.split_whitespace().find(|w| w.starts_with('+'))?;
    let (start, count) = match plus[1..].split_once(',') {
        Some((start, count)) => (start.parse::<usize>().ok()?, count.parse::<usize>().ok()?),
        None => (plus[1..].parse::<usize>().ok()?, 1),
    };
    (count > 0).then(|| start..=start + count - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers() {
        assert_eq!(new_side("-3,0 +4,2 @@ fn x"), Some(4..=5));
        assert_eq!(new_side("-3 +3 @@"), Some(3..=3));
        assert_eq!(new_side("-3,2 +2,0 @@"), None);
    }
}
