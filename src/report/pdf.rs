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

/// The warning when report.pdf is asked for but no browser is found: the report is written
/// without it (exit code 0).
pub(crate) fn no_browser(pdf: &Path) -> String {
    let stale = if pdf.exists() {
        format!(
            " (the {} there is from an earlier report)",
            pdf.file_name().unwrap_or_default().to_string_lossy()
        )
    } else {
        String::new()
    };
    format!(
        "report.pdf not written{stale}: it needs a headless Chromium or Chrome and none was found on the PATH ({}); install Debian's package `chromium` (apt install chromium), or set PLEDGESIM_BROWSER to the browser, or pass --no-pdf to skip the PDF without this warning",
        BROWSERS.join(", ")
    )
}

/// Prints `html` to `pdf` with `browser`. A browser named by PLEDGESIM_BROWSER that cannot be
/// started is the user's to fix (exit code 2); a browser that starts but fails is the
/// machine's (exit code 1).
pub(crate) fn print_pdf(browser: &Path, html: &Path, pdf: &Path) -> Result<PathBuf, Error> {
    let html_abs = html.canonicalize().map_err(|e| Error::io(html, e))?;
    let tmp = pdf.with_extension("pdf.tmp");
    // Never through a link: a leftover (or planted) temporary file goes first, and the
    // finished file replaces whatever is at report.pdf by a rename.
    crate::output::safe::refuse_link(pdf)?;
    crate::output::safe::clear(&tmp);
    let profile = std::env::temp_dir().join(format!("pledgesim-browser-{}", std::process::id()));
    let out = std::process::Command::new(browser)
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
        .map_err(|e| -> Error {
            if std::env::var_os("PLEDGESIM_BROWSER").is_some() {
                InputError::new(
                    "PLEDGESIM_BROWSER",
                    "",
                    format!(
                        "cannot start {} (report.html is written): {e}; name a Chromium or Chrome, or unset it to look on the PATH",
                        browser.display()
                    ),
                )
                .into()
            } else {
                Error::io(browser, e)
            }
        })?;
    let _ = fs::remove_dir_all(&profile);
    let ok = out.status.success() && fs::metadata(&tmp).is_ok_and(|m| m.len() > 0);
    if !ok {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Program {
            program: browser.to_path_buf(),
            message: format!(
                "could not print report.pdf (report.html is written): {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("no message")
            ),
        });
    }
    fs::rename(&tmp, pdf).map_err(|e| Error::io(pdf, e))?;
    Ok(pdf.to_path_buf())
}
