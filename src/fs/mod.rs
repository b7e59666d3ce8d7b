//! File helpers: the reads and writes that need care live here, and only here.
//!
//! - [`read_utf8`] reads a file that must be UTF-8 and names the path, line
//!   and column of the first bad byte;
//! - [`write_atomically`] replaces a file's contents so that a crash leaves
//!   either the old or the new text, writing through symlinks, keeping the
//!   mode and owner, and never splitting hard links;
//! - [`resolve`] makes a path absolute with `.`, `..` and every symlink
//!   resolved, also when its last components do not exist yet, and
//!   [`check_output_dir`] uses it to refuse a build directory that would
//!   replace the book's own files;
//! - [`write_new`] writes a file of a new output directory, linking the
//!   previous output's copy instead when it holds the same bytes;
//! - [`Staging`] ([`staging`]) is the build's output swap: under a lock
//!   file, it recovers what a killed build left, stages the new site next
//!   to the old one and swaps it in with two renames.
//!
//! It knows nothing of books or markdown beyond those paths.

mod staging;

pub use staging::Staging;

use anyhow::{Context, Result, anyhow, bail};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

/// Reads a file that must be UTF-8; the error names the path, the line and
/// column of the first bad byte, and the byte.
pub fn read_utf8(path: &Path) -> Result<String> {
    read_utf8_shown(path, &path.display().to_string())
}

/// [`read_utf8`], naming the file `shown` in its errors (a path relative
/// to the book, say).
pub fn read_utf8_shown(path: &Path, shown: &str) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {shown}"))?;
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let valid_up_to = error.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        anyhow!(
            "{shown}:{line}:{column}: invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
            bytes[valid_up_to]
        )
    })
}

/// Replaces the contents of `path` with `bytes`, so that a crash leaves
/// either the old or the new contents, never a mix.
///
/// - A symlink is written through: the file it points to gets the new
///   contents and the link stays a link.
/// - The file keeps its permissions, and its owner and group.
/// - A file with several hard links (or one whose owner this process cannot
///   give to a new file) is rewritten in place, so that every name sees the
///   new contents; a copy of the old contents is kept next to it as
///   `.NAME.runbook-backup-PID` until the new contents are written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        Err(error) if error.kind() == ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                bail!(
                    "{}: a symlink to a missing file; not writing through it",
                    path.display()
                );
            }
            std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?
        }
        Err(error) => return Err(error).with_context(|| format!("resolving {}", path.display())),
    };
    let metadata = match fs::metadata(&target) {
        Ok(metadata) if !metadata.is_file() => bail!("{}: not a regular file", path.display()),
        Ok(metadata) => Some(metadata),
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
    };
    if metadata.as_ref().is_some_and(has_other_links) {
        return write_in_place(&target, bytes);
    }
    let temp = hidden_sibling(&target, "runbook-tmp");
    let written = create_fresh(&temp, bytes, metadata.is_some()).and_then(|file| {
        if let Some(like) = &metadata {
            if !same_owner(&file, like) {
                return Ok(false);
            }
            file.set_permissions(like.permissions())?;
        }
        file.sync_all()?;
        Ok(true)
    });
    match written {
        Ok(true) => {}
        Ok(false) => {
            fs::remove_file(&temp).ok();
            return write_in_place(&target, bytes);
        }
        Err(error) => {
            fs::remove_file(&temp).ok();
            return Err(error).with_context(|| format!("writing {}", temp.display()));
        }
    }
    if let Err(error) = fs::rename(&temp, &target) {
        fs::remove_file(&temp).ok();
        return Err(error).with_context(|| format!("replacing {}", target.display()));
    }
    sync_dir(target.parent());
    Ok(())
}

/// Creates `path` afresh (removing a stale file of that name, never
/// following a link there) and writes `bytes` into it. A `private` file is
/// readable by its owner only until the caller gives it its final mode.
fn create_fresh(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<File> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// Gives `file` the owner and group of `like`; false when this process may
/// not.
#[cfg(unix)]
fn same_owner(file: &File, like: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = file.metadata() else {
        return false;
    };
    (mine.uid(), mine.gid()) == (like.uid(), like.gid())
        || std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid())).is_ok()
}

#[cfg(not(unix))]
fn same_owner(_: &File, _: &fs::Metadata) -> bool {
    true
}

/// Rewrites `target` through its own inode: every hard link sees the new
/// contents, and mode and owner cannot change. The old contents are kept in
/// a backup copy until the new ones are on disk.
fn write_in_place(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(target)
        .with_context(|| format!("opening {} for writing", target.display()))?;
    let mut old = Vec::new();
    file.read_to_end(&mut old)
        .with_context(|| format!("reading {}", target.display()))?;
    let backup = hidden_sibling(target, "runbook-backup");
    let permissions = file
        .metadata()
        .with_context(|| format!("reading {}", target.display()))?
        .permissions();
    create_fresh(&backup, &old, true)
        .and_then(|copy| {
            copy.set_permissions(permissions)?;
            copy.sync_all()
        })
        .with_context(|| format!("writing the backup copy {}", backup.display()))?;
    let overwrite = |file: &mut File, contents: &[u8]| -> std::io::Result<()> {
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(contents)?;
        file.sync_all()
    };
    if let Err(error) = overwrite(&mut file, bytes) {
        let restored = overwrite(&mut file, &old).is_ok();
        if restored {
            fs::remove_file(&backup).ok();
        }
        return Err(error).with_context(|| {
            if restored {
                format!("rewriting {} (its old contents are back)", target.display())
            } else {
                format!(
                    "rewriting {}; its old contents are in {}",
                    target.display(),
                    backup.display()
                )
            }
        });
    }
    fs::remove_file(&backup).with_context(|| format!("removing {}", backup.display()))
}

#[cfg(unix)]
fn has_other_links(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_: &fs::Metadata) -> bool {
    false
}

/// `.NAME.TAG-PID` next to `path`.
fn hidden_sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Makes a rename in `dir` durable; best effort (not every platform or
/// file system can open a directory).
fn sync_dir(dir: Option<&Path>) {
    if let Some(dir) = dir
        && let Ok(dir) = File::open(dir)
    {
        dir.sync_all().ok();
    }
}

/// `path` made absolute, with `.`, `..` and every symlink resolved. The
/// longest prefix that exists is resolved by the file system; the rest,
/// which does not exist and so holds no symlink, is resolved lexically.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute =
        std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let components: Vec<Component> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        match fs::canonicalize(&prefix) {
            Ok(mut resolved) => {
                for component in &components[split..] {
                    match component {
                        Component::Normal(name) => resolved.push(name),
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        _ => {}
                    }
                }
                return Ok(resolved);
            }
            Err(error)
                if error.kind() == ErrorKind::NotFound
                    && fs::symlink_metadata(&prefix).is_err() =>
            {
                continue;
            }
            Err(error) => {
                return Err(error).with_context(|| format!("resolving {}", prefix.display()));
            }
        }
    }
    Ok(absolute)
}

/// Checks that the build's output directory, `build_dir` under `root`, stays
/// clear of the book: it must not be, contain or sit inside `sources`, and
/// must not be or contain the book's `root`. Paths are compared resolved
/// (see [`resolve`]). Returns the resolved output directory.
pub fn check_output_dir(root: &Path, build_dir: &Path, sources: &Path) -> Result<PathBuf> {
    let resolved = resolve(&root.join(build_dir))?;
    let root = resolve(root)?;
    let sources = resolve(sources)?;
    let relation = if resolved == root {
        Some(("is", "the book's root", &root))
    } else if root.starts_with(&resolved) {
        Some(("contains", "the book's root", &root))
    } else if resolved == sources {
        Some(("is", "the book's source directory", &sources))
    } else if sources.starts_with(&resolved) {
        Some(("contains", "the book's source directory", &sources))
    } else if resolved.starts_with(&sources) {
        Some(("is inside", "the book's source directory", &sources))
    } else {
        None
    };
    if let Some((relation, what, dir)) = relation {
        bail!(
            "[build] build-dir = {:?} resolves to {}, which {relation} {what} {}: the build \
             replaces its output directory, so it would delete the book. Set build-dir in \
             book.toml to a directory of its own, e.g. \"site\"",
            build_dir.display().to_string(),
            resolved.display(),
            dir.display()
        );
    }
    Ok(resolved)
}

/// Writes `bytes` to `path`, which must not exist, executable or not. When
/// `previous` (the same file in the output being replaced) is a regular
/// file with those very bytes and mode, and no other name, it is linked
/// instead: the file system allocates nothing, and the old output's removal
/// frees nothing. On file systems that scan recently freed inodes (ext4
/// without a journal) each new file of a rebuild otherwise cost more the
/// more files the previous build had, which made the check scripts of a
/// large book cost several times their rendering.
pub fn write_new(
    path: &Path,
    bytes: &[u8],
    executable: bool,
    previous: Option<&Path>,
) -> Result<()> {
    if let Some(previous) = previous
        && same_file_contents(previous, bytes, executable)
        && fs::hard_link(previous, path).is_ok()
    {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if executable { 0o755 } else { 0o644 });
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    if executable {
        // The mode given at creation is reduced by the umask.
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o111 != 0o111 {
            file.set_permissions(fs::Permissions::from_mode(0o755))
                .with_context(|| format!("making {} executable", path.display()))?;
        }
    }
    Ok(())
}

/// Whether `path` is a regular file with no other name, holding `bytes`,
/// executable by all exactly when `executable`.
fn same_file_contents(path: &Path, bytes: &[u8], executable: bool) -> bool {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return false;
    };
    if !metadata.is_file() || metadata.len() != bytes.len() as u64 || has_other_links(&metadata) {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode != if executable { 0o755 } else { 0o644 } {
            return false;
        }
    }
    let _ = executable;
    fs::read(path).is_ok_and(|old| old == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("runbook-fs-{name}-{}", std::process::id()));
        fs::remove_dir_all(&dir).ok();
        fs::create_dir_all(&dir).unwrap();
        fs::canonicalize(dir).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_links_the_previous_copy_only_when_it_is_the_same() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = scratch("write-new");
        let (old, new) = (dir.join("old"), dir.join("new"));
        fs::create_dir_all(&old).unwrap();
        fs::create_dir_all(&new).unwrap();
        let inode = |path: &Path| fs::metadata(path).unwrap().ino();
        let written = |name: &str, bytes: &[u8], executable: bool| {
            write_new(&new.join(name), bytes, executable, Some(&old.join(name))).unwrap();
            fs::read(new.join(name)).unwrap() == bytes
        };
        write_new(&old.join("same.sh"), b"echo\n", true, None).unwrap();
        assert_eq!(
            fs::metadata(old.join("same.sh"))
                .unwrap()
                .permissions()
                .mode()
                & 0o111,
            0o111
        );
        assert!(written("same.sh", b"echo\n", true));
        assert_eq!(
            inode(&old.join("same.sh")),
            inode(&new.join("same.sh")),
            "linked"
        );

        write_new(&old.join("changed.sh"), b"echo 1\n", true, None).unwrap();
        assert!(written("changed.sh", b"echo 2\n", true));
        assert_ne!(
            inode(&old.join("changed.sh")),
            inode(&new.join("changed.sh"))
        );
        assert_eq!(fs::read(old.join("changed.sh")).unwrap(), b"echo 1\n");

        // Same bytes, but not executable: a new file, executable.
        write_new(&old.join("mode.sh"), b"x", false, None).unwrap();
        assert!(written("mode.sh", b"x", true));
        assert_ne!(inode(&old.join("mode.sh")), inode(&new.join("mode.sh")));
        assert_eq!(
            fs::metadata(new.join("mode.sh"))
                .unwrap()
                .permissions()
                .mode()
                & 0o111,
            0o111
        );

        // A file with another name elsewhere is never shared further.
        write_new(&old.join("shared"), b"y", false, None).unwrap();
        fs::hard_link(old.join("shared"), dir.join("elsewhere")).unwrap();
        assert!(written("shared", b"y", false));
        assert_ne!(inode(&old.join("shared")), inode(&new.join("shared")));

        // Nothing to link from, or a symlink: written.
        assert!(written("fresh", b"z", false));
        std::os::unix::fs::symlink(old.join("same.sh"), old.join("link")).unwrap();
        assert!(written("link", b"echo\n", true));
        assert!(!fs::symlink_metadata(new.join("link")).unwrap().is_symlink());
        // The new name must not exist.
        assert!(write_new(&new.join("fresh"), b"z", false, None).is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn resolve_handles_dot_dot_symlinks_and_missing_tails() {
        let dir = scratch("resolve");
        fs::create_dir_all(dir.join("a/b")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("a/b"), dir.join("link")).unwrap();
        assert_eq!(resolve(&dir.join("a/../a/b")).unwrap(), dir.join("a/b"));
        assert_eq!(
            resolve(&dir.join("a/missing/../b/new")).unwrap(),
            dir.join("a/b/new")
        );
        #[cfg(unix)]
        {
            assert_eq!(resolve(&dir.join("link/x/y")).unwrap(), dir.join("a/b/x/y"));
            assert_eq!(resolve(&dir.join("link/..")).unwrap(), dir.join("a"));
        }
        fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn read_utf8_names_line_column_and_byte() {
        let dir = scratch("utf8");
        let path = dir.join("bad.md");
        fs::write(&path, b"one\ntwo \xe9t\xe9\n").unwrap();
        let message = format!("{:#}", read_utf8(&path).unwrap_err());
        assert!(
            message.ends_with("bad.md:2:5: invalid UTF-8 (byte 0xE9); save the file as UTF-8"),
            "{message}"
        );
        fs::remove_dir_all(dir).ok();
    }
}
