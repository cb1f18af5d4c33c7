//! Writes that never follow a link. A file is written as a new temporary file beside its
//! target (created exclusively, so not through anything already there) and renamed over it,
//! which replaces a link rather than writing where it points; a folder to write into must be
//! a real folder, not a link to one elsewhere. Used wherever pledgesim writes into a folder
//! that already exists (the report's files in an output folder).

use crate::error::{Error, InputError};
use std::fs;
use std::io::Write;
use std::path::Path;

/// The temporary name `path` is written under before it is renamed into place.
fn temporary(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Refuses (exit code 2) when `path` is a link or anything but a plain file.
pub fn refuse_link(path: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(InputError::new(
            path.display().to_string(),
            "",
            "is a link; pledgesim never writes through a link: remove it and run again",
        )
        .into()),
        Ok(m) if !m.is_file() => Err(InputError::new(
            path.display().to_string(),
            "",
            "is not a plain file (a folder or a special file); pledgesim will not replace it: remove it and run again",
        )
        .into()),
        _ => Ok(()),
    }
}

/// Writes `bytes` as `path`: to a new temporary file beside it, then renamed over it. A link
/// or anything but a plain file at `path` is refused, never followed.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    refuse_link(path)?;
    let tmp = temporary(path);
    let _ = fs::remove_file(&tmp);
    let write = || -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Makes sure `dir` is a real folder (creating it if missing), refusing a link to one.
pub fn real_dir(dir: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(InputError::new(
            dir.display().to_string(),
            "",
            "is a link; pledgesim never writes through a link: remove it and run again",
        )
        .into()),
        Ok(m) if !m.is_dir() => Err(InputError::new(
            dir.display().to_string(),
            "",
            "is not a folder; remove it and run again",
        )
        .into()),
        Ok(_) => Ok(()),
        Err(_) => fs::create_dir(dir).map_err(|e| Error::io(dir, e)),
    }
}

/// Removes whatever is at `path` if it is a file or a link (the link itself, never its
/// target): a leftover temporary file a command is about to write again.
pub fn clear(path: &Path) {
    if fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()) {
        let _ = fs::remove_file(path);
    }
}
