//! One writer per output folder: an advisory lock held for as long as a command writes a folder.
//!
//! The lock is taken on a small file beside the folder, `.NAME.lock` (the folder itself is
//! swapped by renames, so it cannot hold its own lock), with the operating system's advisory
//! file locks (`flock` on Unix, `LockFileEx` on Windows, through the `fs4` crate). The system
//! releases it when the command ends, however it ends: normally, by an error, by Ctrl-C or by
//! `kill -9`. So a second command writing the same folder (a second `sweep` into one `--out`,
//! `--resume` while the first still runs, `run` and `report` on one folder at once) is refused
//! at once with exit code 2, and never a lock left by a dead process blocks anyone.
//!
//! The lock file is removed when the lock is released (while still held). A command that
//! opened the file just before it was removed finds, once it holds the lock, that the name no
//! longer leads to the file it locked, and starts again with a new one: so two commands never
//! hold locks on two different files for one folder. A lock file left by a killed command holds
//! nothing; the next command reuses it and removes it.

use crate::error::{Error, InputError};
use std::fs;
use std::path::{Path, PathBuf};

/// An output folder's lock, held until dropped.
#[derive(Debug)]
pub struct OutLock {
    _file: fs::File,
    path: PathBuf,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Removed while still locked (the file is closed, and the lock released, after this).
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether `path` still names the file `file` is open on.
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` still names the file `file` is open on (Windows does not let an open file's
/// name be removed, so it always does).
#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.is_file()
}

impl OutLock {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of output folder `dir`: `.NAME.lock` in the folder's parent.
pub fn lock_path(dir: &Path) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    parent.join(format!(".{name}.lock"))
}

/// Takes the lock of output folder `dir` for this command (creating the folder's parent if
/// needed), or refuses (exit code 2) when another command holds it. `flag` names the argument
/// that gave the folder (`--out`, `DIR`), for the message.
pub fn lock(dir: &Path, flag: &str) -> Result<OutLock, Error> {
    let path = lock_path(dir);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    if fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(InputError::new(
            "command line",
            flag,
            format!(
                "\"{}\" (the lock beside the output folder) is not a plain file (a link or a folder?); remove it or choose another folder",
                path.display()
            ),
        )
        .into());
    }
    for _ in 0..100 {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match fs4::FileExt::try_lock(&file) {
            // Locked, and still the lock file (not one its holder removed meanwhile).
            Ok(()) if same_file(&file, &path) => {
                let lock = OutLock { _file: file, path };
                recover(dir);
                return Ok(lock);
            }
            Ok(()) => continue,
            Err(fs4::TryLockError::WouldBlock) => return Err(busy(dir, &path, flag)),
            Err(fs4::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
    Err(busy(dir, &path, flag))
}

/// Whether `name` is a temporary name pledgesim gives while writing: `.X.tmp-PID`,
/// `.X.old-PID` (`kind` "tmp" or "old"), `manifest.tmp-PID`, `report.pdf.tmp`.
pub fn is_temporary(name: &str) -> bool {
    let pid_after = |prefix_end: &str| {
        name.rsplit_once(prefix_end)
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    name == "report.pdf.tmp"
        || (name.starts_with("manifest") && pid_after(".tmp-"))
        || (name.starts_with('.') && (pid_after(".tmp-") || pid_after(".old-")))
}

/// Cleans what a command that died while writing `dir` left (run only while holding its
/// lock, so nothing else is writing it): a swap cut between its two renames is finished or
/// undone, so the user always has the earlier folder or the new one; temporary folders beside
/// it and temporary files in it (and in its charts/) are removed.
fn recover(dir: &Path) {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    let mut leftovers: Vec<(PathBuf, bool)> = fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let pid = |p: &str| {
                n.strip_prefix(p)
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            };
            (pid(&tmp) || pid(&old)).then(|| (e.path(), pid(&old)))
        })
        .collect();
    leftovers.sort();
    for (p, is_old) in leftovers {
        let gone = fs::symlink_metadata(dir).is_err();
        if is_old && gone && fs::rename(&p, dir).is_ok() {
            continue;
        }
        if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            let _ = fs::remove_dir_all(&p);
        } else {
            let _ = fs::remove_file(&p);
        }
    }
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    for d in [dir.to_path_buf(), dir.join("charts")] {
        if !fs::symlink_metadata(&d).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if is_temporary(&n) && e.file_type().is_ok_and(|t| !t.is_dir()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Another command holds the lock of `dir`.
fn busy(dir: &Path, path: &Path, flag: &str) -> Error {
    InputError::new(
            "command line",
            flag,
            format!(
                "\"{}\" is being written by another pledgesim command (it holds \"{}\"); wait for that command to finish, or choose another folder",
                dir.display(),
            path.display()
        ),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_folder_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = lock(&out, "--out").unwrap();
        let e = lock(&out, "--out").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .contains("being written by another pledgesim command"),
            "{e}"
        );
        // Another folder beside it is not affected.
        lock(&dir.path().join("other"), "--out").unwrap();
        drop(first);
        assert!(
            !lock_path(&out).exists(),
            "the lock file is removed on release"
        );
        // A lock file left by a killed command (closed, so unlocked) is reused and removed.
        fs::write(lock_path(&out), "").unwrap();
        drop(lock(&out, "--out").unwrap());
        assert!(!lock_path(&out).exists());
    }
}
