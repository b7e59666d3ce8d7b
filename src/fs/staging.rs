//! The build's output swap: a lock, a staging directory next to the
//! output directory, two renames, and the recovery after a killed build.
//! It only ever moves or removes directories that carry its
//! [`OUTPUT_MARKER`] file, or empty ones with its naming pattern.

use anyhow::{Context, Result, bail};
use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The file the build writes at the top of its staging directory, and so of
/// every site it builds: it marks the directory as this tool's work, which a
/// later build may replace, or remove when a killed build left it behind.
pub const OUTPUT_MARKER: &str = ".mdbook-runbook";
const MARKER_TEXT: &str =
    "Written by `mdbook-runbook build`; the next build replaces this directory.\n";

/// The fault-injection hook, for tests: when this environment variable
/// names a point of the swap (see [`pause_point`]), the build prints
/// `paused at POINT` to stderr there and sleeps for a minute, so that a test
/// can kill it at that exact point.
pub const PAUSE_ENV: &str = "MDBOOK_RUNBOOK_PAUSE_AT";

/// Pauses when [`PAUSE_ENV`] names `point`. The points, in order: `locked`
/// (the lock is held, the staging directory exists with its marker),
/// `staged` (the new site is complete in the staging directory),
/// `moved-aside` (the old site is renamed to its backup name, the new one
/// not yet in place), `swapped` (the new site is in place, the backup not
/// yet removed) and `emptied` (a leftover or backup directory holds only its
/// marker, just before it is removed).
pub fn pause_point(point: &str) {
    if std::env::var_os(PAUSE_ENV).is_some_and(|value| value == point) {
        eprintln!("mdbook-runbook: paused at {point} ({PAUSE_ENV})");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// A build's staging directory next to the output directory it replaces,
/// created and swapped in under the output directory's lock.
///
/// The staging directory is `.NAME.tmp-PID` and the old output, while it is
/// being replaced, `.NAME.old-PID`, both next to `NAME`; both hold
/// [`OUTPUT_MARKER`]. The lock is the file `.NAME.lock` next to them,
/// removed when the lock is released. Dropping a `Staging` that was not
/// committed removes the staging directory.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    _lock: Lock,
}

impl Staging {
    /// Locks `target` against other builds (waiting for them), repairs what
    /// a killed build left next to it, checks that `target` may be replaced,
    /// and creates the staging directory holding only the marker.
    pub fn begin(target: &Path) -> Result<Staging> {
        let (parent, name) = split(target)?;
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let lock = Lock::acquire(&parent.join(format!(".{name}.lock")), target)?;
        recover(target)?;
        check_replaceable(target)?;
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir(&staging).with_context(|| format!("creating {}", staging.display()))?;
        let staging = Staging {
            target: target.to_path_buf(),
            staging,
            committed: false,
            _lock: lock,
        };
        let marker = staging.staging.join(OUTPUT_MARKER);
        fs::write(&marker, MARKER_TEXT).with_context(|| format!("writing {}", marker.display()))?;
        pause_point("locked");
        Ok(staging)
    }

    /// The staging directory, to build into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The output being replaced, if there is one: a directory this tool
    /// wrote (checked by [`Staging::begin`]).
    pub fn previous(&self) -> Option<&Path> {
        fs::symlink_metadata(&self.target)
            .is_ok_and(|m| m.is_dir())
            .then_some(self.target.as_path())
    }

    /// Puts the staging directory in the place of the output directory: the
    /// old one is renamed aside, the new one renamed in, then the old one is
    /// removed. A kill at any point leaves a state the next build repairs.
    pub fn commit(mut self) -> Result<()> {
        pause_point("staged");
        let (parent, name) = split(&self.target)?;
        let backup = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = fs::symlink_metadata(&self.target).is_ok();
        if had_old {
            fs::rename(&self.target, &backup)
                .with_context(|| format!("moving {} aside", self.target.display()))?;
            pause_point("moved-aside");
        }
        if let Err(error) = fs::rename(&self.staging, &self.target) {
            if had_old {
                fs::rename(&backup, &self.target).ok();
            }
            return Err(error)
                .with_context(|| format!("moving the new site to {}", self.target.display()));
        }
        self.committed = true;
        // No fsync here: the renames are atomic for a killed build, which is
        // what the swap guards against. Syncing the directory would make
        // the file system flush the whole new site first (seconds for a
        // large book), for durability across a power loss that a generated,
        // rebuildable site does not need.
        pause_point("swapped");
        let _removing = crate::timing::phase("removing the previous site");
        if had_old && let Err(error) = remove_owned_dir(&backup) {
            eprintln!(
                "warning: the new site is in place, but its old copy {} could not be removed \
                 ({error:#}); the next build removes it",
                backup.display()
            );
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_owned_dir(&self.staging).ok();
        }
    }
}

/// The parent directory and the name of an output directory.
fn split(target: &Path) -> Result<(&Path, &str)> {
    let name = target.file_name().and_then(|name| name.to_str());
    match (target.parent(), name) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => bail!(
            "{}: not usable as an output directory (it needs a parent and a UTF-8 name)",
            target.display()
        ),
    }
}

/// An exclusive lock on a file, held for the life of the value. The file is
/// removed before the lock is released; a waiter that then gets the lock on
/// the removed file notices and locks the new one instead.
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    fn acquire(path: &Path, what: &Path) -> Result<Lock> {
        let mut told = false;
        for _ in 0..1000 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .with_context(|| format!("opening the lock file {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        eprintln!(
                            "waiting for another build of {} to finish (lock {})",
                            what.display(),
                            path.display()
                        );
                        told = true;
                    }
                    file.lock()
                        .with_context(|| format!("locking {}", path.display()))?;
                }
                Err(fs::TryLockError::Error(error)) => {
                    return Err(error).with_context(|| format!("locking {}", path.display()));
                }
            }
            if same_file(&file, path) {
                return Ok(Lock {
                    path: path.to_path_buf(),
                    _file: file,
                });
            }
        }
        bail!(
            "{}: the lock file keeps being replaced; is another program removing it?",
            path.display()
        )
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        fs::remove_file(&self.path).ok();
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// What a name next to the output directory `NAME` is, when it is one of
/// the build's own: `.NAME.tmp-PID` (staging) or `.NAME.old-PID` (backup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    Staging,
    Backup,
}

fn leftover_kind(file_name: &str, name: &str) -> Option<Leftover> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let (kind, pid) = if let Some(pid) = rest.strip_prefix(".tmp-") {
        (Leftover::Staging, pid)
    } else {
        (Leftover::Backup, rest.strip_prefix(".old-")?)
    };
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(kind)
}

fn has_marker(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(OUTPUT_MARKER)).is_ok_and(|m| m.is_file())
}

/// Repairs what killed builds left next to `target` (the caller holds the
/// lock, so no live build owns them): when `target` is missing, the newest
/// backup becomes `target` again; every other staging or backup directory
/// with the marker is removed, and empty ones with the naming pattern too.
/// Anything else is left alone, with a warning when it has the pattern.
fn recover(target: &Path) -> Result<()> {
    let (parent, name) = split(target)?;
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("reading {}", parent.display())),
    };
    let mut backups = Vec::new();
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", parent.display()))?;
        let file_name = entry.file_name();
        let Some(kind) = file_name.to_str().and_then(|n| leftover_kind(n, name)) else {
            continue;
        };
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if has_marker(&path) {
            match kind {
                Leftover::Backup => backups.push(path),
                Leftover::Staging => stale.push(path),
            }
        } else if fs::remove_dir(&path).is_err() {
            eprintln!(
                "warning: left {} alone: it has no {OUTPUT_MARKER} file, so this version of \
                 mdbook-runbook did not write it (an older version's leftover can be removed \
                 by hand)",
                path.display()
            );
        }
    }
    if fs::symlink_metadata(target).is_err() && !backups.is_empty() {
        backups.sort_by_key(|path| {
            fs::metadata(path)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
        });
        let newest = backups.pop().expect("not empty");
        fs::rename(&newest, target)
            .with_context(|| format!("restoring {} from {}", target.display(), newest.display()))?;
        eprintln!(
            "note: restored {} from {}, left by a build that was stopped while swapping",
            target.display(),
            newest.display()
        );
    }
    for dir in backups.iter().chain(&stale) {
        remove_owned_dir(dir)?;
    }
    Ok(())
}

/// Refuses to replace a directory this tool did not write: `target` must
/// be missing, empty, marked, or a site of an older mdbook-runbook (only
/// language directories holding `faq.json`, which is then marked).
fn check_replaceable(target: &Path) -> Result<()> {
    let metadata = match fs::symlink_metadata(target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("reading {}", target.display())),
    };
    if !metadata.is_dir() {
        bail!(
            "{} exists and is not a directory; the build will not replace it. Remove it, or \
             set [build] build-dir in book.toml to another directory",
            target.display()
        );
    }
    if has_marker(target) {
        return Ok(());
    }
    let entries: Vec<_> = fs::read_dir(target)
        .with_context(|| format!("reading {}", target.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", target.display()))?;
    let older_site = !entries.is_empty()
        && entries.iter().all(|entry| {
            entry.file_type().is_ok_and(|t| t.is_dir())
                && fs::symlink_metadata(entry.path().join("faq.json")).is_ok_and(|m| m.is_file())
        });
    if entries.is_empty() || older_site {
        let marker = target.join(OUTPUT_MARKER);
        fs::write(&marker, MARKER_TEXT).with_context(|| format!("writing {}", marker.display()))?;
        return Ok(());
    }
    bail!(
        "{} exists and was not written by `mdbook-runbook build` (it has no {OUTPUT_MARKER} \
         file); the build replaces its output directory, so it will not use this one. Remove \
         it, or set [build] build-dir in book.toml to another directory",
        target.display()
    )
}

/// Removes a directory of this tool's: everything but the marker first, the
/// marker last, so that a kill halfway leaves a directory still recognisably
/// ours, which the next build finishes removing.
fn remove_owned_dir(dir: &Path) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_name() == OUTPUT_MARKER {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.with_context(|| format!("removing {}", path.display()))?;
    }
    pause_point("emptied");
    let marker = dir.join(OUTPUT_MARKER);
    match fs::remove_file(&marker) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            return Err(error).with_context(|| format!("removing {}", marker.display()));
        }
        _ => {}
    }
    fs::remove_dir(dir).with_context(|| format!("removing {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("runbook-staging-{name}-{}", std::process::id()));
        fs::remove_dir_all(&dir).ok();
        fs::create_dir_all(&dir).unwrap();
        fs::canonicalize(dir).unwrap()
    }

    #[test]
    fn leftover_names() {
        let cases = [
            (".site.tmp-123", Some(Leftover::Staging)),
            (".site.old-9", Some(Leftover::Backup)),
            (".site.tmp-", None),
            (".site.tmp-12a", None),
            (".site.lock", None),
            ("site.tmp-1", None),
            (".sites.tmp-1", None),
            (".other.old-1", None),
        ];
        for (file_name, expected) in cases {
            assert_eq!(leftover_kind(file_name, "site"), expected, "{file_name}");
        }
    }

    #[test]
    fn owned_dir_removal_keeps_the_marker_to_the_end() {
        let dir = scratch("owned");
        let owned = dir.join(".site.old-1");
        fs::create_dir_all(owned.join("fr/css")).unwrap();
        fs::write(owned.join("fr/css/x.css"), "x").unwrap();
        fs::write(owned.join(OUTPUT_MARKER), MARKER_TEXT).unwrap();
        remove_owned_dir(&owned).unwrap();
        assert!(!owned.exists());
        fs::remove_dir_all(dir).ok();
    }
}
