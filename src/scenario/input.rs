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
