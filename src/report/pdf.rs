//! report.pdf: report.html printed by a headless Chromium or Chrome.

use crate::error::{Error, InputError};
use std::fs;
use std::path::{Path, PathBuf};

/// The browsers tried for printing, in order.
const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// A headless Chromium or Chrome on the PATH (or named by PLEDGESIM_BROWSER).
pub fn find_browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("PLEDGESIM_BROWSER") {
        return Some(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH")?;
    for name in BROWSERS {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

pub(crate) fn print_pdf(html: &Path, pdf: &Path) -> Result<PathBuf, Error> {
    let Some(browser) = find_browser() else {
        return Err(InputError::new(
            "report",
            "",
            format!(
                "report.html is written, but report.pdf needs a headless Chromium or Chrome and none was found on the PATH ({}): install Debian's package `chromium` (apt install chromium), or set PLEDGESIM_BROWSER to the browser, or pass --no-pdf",
                BROWSERS.join(", ")
            ),
        )
        .into());
    };
    let html_abs = html.canonicalize().map_err(|e| Error::io(html, e))?;
    let tmp = pdf.with_extension("pdf.tmp");
    let profile = std::env::temp_dir().join(format!("pledgesim-browser-{}", std::process::id()));
    let out = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", tmp.display()))
        .arg(format!("file://{}", html_abs.display()))
        .output()
        .map_err(|e| Error::io(&browser, e))?;
    let _ = fs::remove_dir_all(&profile);
    let ok = out.status.success() && fs::metadata(&tmp).is_ok_and(|m| m.len() > 0);
    if !ok {
        let _ = fs::remove_file(&tmp);
        return Err(InputError::new(
            "report",
            "",
            format!(
                "{} could not print report.pdf (report.html is written): {}",
                browser.display(),
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("no message")
            ),
        )
        .into());
    }
    fs::rename(&tmp, pdf).map_err(|e| Error::io(pdf, e))?;
    Ok(pdf.to_path_buf())
}
