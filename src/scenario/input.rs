//! Reading the files a user names (scenarios, sweep files, CSV files beside them) safely: only
//! plain files, never devices, pipes or the system's process information, and no larger than a
//! documented size, so that a wrong path or a huge file is a clear error (exit code 2) rather
//! than a hang, an exhausted memory or a secret echoed in an error message.

use std::io::Read;
use std::path::Path;

/// The largest scenario or sweep file: 10 MB (the biggest shipped scenario is about 30 kB).
pub const MAX_SCENARIO_BYTES: u64 = 10_000_000;
/// The largest CSV file beside a scenario: 50 MB (a million wards or duration values).
pub const MAX_SIDE_FILE_BYTES: u64 = 50_000_000;

/// Checks that `path` is a plain file of at most `limit` bytes that is not system or process
/// information; the error says why not, to follow "cannot read the file: ".
pub fn check_file(path: &Path, limit: u64) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(
            "it is not a plain file (a folder, a device or a pipe); name a file of your own"
                .to_string(),
        );
    }
    if let Ok(real) = path.canonicalize() {
        if ["/proc", "/sys", "/dev"]
            .iter()
            .any(|p| real.starts_with(p))
        {
            return Err(
                "it is system or process information, not a file of yours; name a file of your own"
                    .to_string(),
            );
        }
    }
    if meta.len() > limit {
        return Err(format!(
            "it is {} bytes, more than the {limit} bytes allowed for such a file",
            meta.len()
        ));
    }
    Ok(())
}

/// Reads `path` as UTF-8 text after [`check_file`]; invalid UTF-8 is named by line and byte.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    check_file(path, limit)?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "it is more than the {limit} bytes allowed for such a file"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        format!(
            "it is not UTF-8 text: line {line}, byte {column} of the line (byte {} of the file) is not valid UTF-8",
            good.len() + 1
        )
    })
}

thread_local! {
    /// Whether files named in a scenario or sweep file must lie in its folder (`--confine`).
    static CONFINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While held, files named in a scenario or a sweep file (CSV files, a sweep's base) are read
/// only from the folder of the file that names them, or folders below it (`--confine`, for a
/// service that checks scenarios from others). On this thread: scenarios are read and checked
/// on the thread of the command.
pub struct Confined(bool);

/// Confines the files read on this thread until the guard is dropped.
pub fn confine() -> Confined {
    Confined(CONFINED.with(|c| c.replace(true)))
}

impl Drop for Confined {
    fn drop(&mut self) {
        CONFINED.with(|c| c.set(self.0));
    }
}

/// Why `name`, a path written in a file in folder `dir`, may not be read under `--confine`
/// (None when it may, or when nothing is confined): it is absolute, or it leads outside `dir`
/// (after `..` and links are followed).
pub fn outside(dir: &Path, name: &str) -> Option<String> {
    if !CONFINED.with(std::cell::Cell::get) {
        return None;
    }
    let refused = |why: &str| {
        Some(format!(
            "--confine: \"{name}\" {why}; only files in the folder of the file that names them, or below it, may be read"
        ))
    };
    let p = Path::new(name);
    if p.is_absolute() || p.has_root() {
        return refused("is an absolute path");
    }
    // Lexically first: `..` may never climb above the folder.
    let mut depth = 0i64;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            _ => return refused("is an absolute path"),
        }
        if depth < 0 {
            return refused("leads outside that folder");
        }
    }
    // Then where links lead: the file as found must be inside the folder as found.
    if let (Ok(root), Ok(real)) = (dir.canonicalize(), dir.join(p).canonicalize()) {
        if !real.starts_with(&root) {
            return refused("leads outside that folder (through a link)");
        }
    }
    None
}

/// A small TOML file (a sweep, a calibration's observed file) read as `T`: an error names the
/// field's path, and the line and column where the parser knows them.
pub fn from_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    label: &str,
) -> Result<T, crate::error::InputError> {
    toml::de::Deserializer::parse(text)
        .map_err(|e| (e.message().to_string(), e.span()))
        .and_then(|de| {
            serde_path_to_error::deserialize(de).map_err(|e| {
                let p = e.path().to_string();
                let inner = e.into_inner();
                (format!("{p}: {}", inner.message()), inner.span())
            })
        })
        .map_err(|(msg, span)| {
            let mut e = crate::error::InputError::new(label, "", msg.trim().to_string());
            if let Some(s) = span {
                let (line, col) = super::locate::line_col(text, s.start);
                e = e.at(line, col);
            }
            e
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_of_a_bounded_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_text(dir.path(), 100)
                .unwrap_err()
                .contains("not a plain file")
        );
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "x".repeat(101)).unwrap();
        assert!(
            read_text(&big, 100)
                .unwrap_err()
                .contains("more than the 100 bytes")
        );
        assert_eq!(read_text(&big, 101).unwrap().len(), 101);
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, b"a = 1\nb = \"\xff\"\n").unwrap();
        assert_eq!(
            read_text(&bad, 100).unwrap_err(),
            "it is not UTF-8 text: line 2, byte 6 of the line (byte 12 of the file) is not valid UTF-8"
        );
        #[cfg(target_os = "linux")]
        {
            assert!(read_text(Path::new("/proc/self/environ"), 100).is_err());
            assert!(read_text(Path::new("/dev/zero"), 100).is_err());
        }
    }
}
