//! report.pdf: report.html printed by a headless Chromium or Chrome.
//!
//! The browser never sees the file system: report.html (self-contained) is served to it from
//! memory over a loopback address, at a path no other page can guess, and nothing else is
//! served; a page loaded over HTTP cannot open `file://` addresses, so a template's
//! `<iframe src="file:///...">` shows nothing. The browser runs with a profile folder of its
//! own under the temporary folder, removed however printing ends (those left by killed runs
//! are removed by the next), and is stopped after a time limit (a template's endless script).

use crate::error::{Error, InputError};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

/// The seconds the browser is given to print, unless PLEDGESIM_BROWSER_TIMEOUT says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// The most seconds PLEDGESIM_BROWSER_TIMEOUT may give.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

/// The time the browser is given: PLEDGESIM_BROWSER_TIMEOUT (whole seconds, 1 to 3600), else
/// 60 s.
pub fn timeout() -> Result<Duration, Error> {
    let Some(text) = std::env::var_os("PLEDGESIM_BROWSER_TIMEOUT") else {
        return Ok(Duration::from_secs(DEFAULT_TIMEOUT_SECS));
    };
    let text = text.to_string_lossy();
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|s| (1..=MAX_TIMEOUT_SECS).contains(s))
        .map(Duration::from_secs)
        .ok_or_else(|| {
            InputError::new(
                "PLEDGESIM_BROWSER_TIMEOUT",
                "",
                format!(
                    "must be a whole number of seconds from 1 to {MAX_TIMEOUT_SECS} (got \"{}\")",
                    text.chars().take(40).collect::<String>()
                ),
            )
            .into()
        })
}

/// The start of the names of the browser's profile folders in the temporary folder; the
/// process id of the pledgesim that made one follows.
const PROFILE_PREFIX: &str = "pledgesim-browser-";

/// Whether process `pid` is running (where that cannot be told, it is taken to be).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes the browser profile folders in `tmp` left by pledgesim processes no longer running
/// (killed while printing), and those over a day old whose process cannot be told; only
/// folders (never links) owned by the owner of `ours`, this process's own profile folder.
pub fn clean_stale_profiles(tmp: &Path, ours: &Path) {
    let (Ok(entries), Ok(own)) = (fs::read_dir(tmp), fs::symlink_metadata(ours)) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PROFILE_PREFIX)) else {
            continue;
        };
        let Ok(pid) = rest.split('-').next().unwrap_or("").parse::<u32>() else {
            continue;
        };
        let Ok(meta) = fs::symlink_metadata(e.path()) else {
            continue;
        };
        if !meta.is_dir() || !same_owner(&meta, &own) {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(86_400));
        if pid != me && (!alive(pid) || old) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(unix)]
fn same_owner(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_a: &fs::Metadata, _b: &fs::Metadata) -> bool {
    true
}

/// report.html served over a loopback address, at a path no other page can guess: nothing
/// else is served. Stops when dropped.
struct Server {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(page: Vec<u8>) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let token: String = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(std::process::id().to_le_bytes());
            h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
            h.update(format!("{:p}", &page).as_bytes());
            h.finalize()
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let path = format!("/{token}/report.html");
        let url = format!("http://{}{path}", listener.local_addr()?);
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => answer(stream, &path, &page),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Ok(Server {
            url,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers one request: the page at its path, 404 for anything else.
fn answer(mut stream: std::net::TcpStream, path: &str, page: &[u8]) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16_384 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.split_whitespace();
    let ok = parts.next() == Some("GET") && parts.next() == Some(path);
    let (status, kind, body): (&str, &str, &[u8]) = if ok {
        ("200 OK", "text/html; charset=utf-8", page)
    } else {
        ("404 Not Found", "text/plain", b"not found")
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// Prints `html` to `pdf` with `browser`. A browser named by PLEDGESIM_BROWSER that cannot be
/// started is the user's to fix (exit code 2), as is a page that keeps the browser past the
/// time limit (it is stopped; a template's endless script); a browser that starts but fails
/// is the machine's (exit code 1).
pub(crate) fn print_pdf(browser: &Path, html: &Path, pdf: &Path) -> Result<PathBuf, Error> {
    let limit = timeout()?;
    let page = fs::read(html).map_err(|e| Error::io(html, e))?;
    let tmp = pdf.with_extension("pdf.tmp");
    // Never through a link: a leftover (or planted) temporary file goes first, and the
    // finished file replaces whatever is at report.pdf by a rename.
    crate::output::safe::refuse_link(pdf)?;
    crate::output::safe::clear(&tmp);
    let tmp_dir = std::env::temp_dir();
    // Removed when dropped: on every way out of this function, a panic included.
    let profile = tempfile::Builder::new()
        .prefix(&format!("{PROFILE_PREFIX}{}-", std::process::id()))
        .tempdir_in(&tmp_dir)
        .map_err(|e| Error::io(&tmp_dir, e))?;
    clean_stale_profiles(&tmp_dir, profile.path());
    let log_path = profile.path().join("browser.log");
    let log = fs::File::create(&log_path).map_err(|e| Error::io(&log_path, e))?;
    let server = Server::start(page).map_err(|e| Error::io(html, e))?;
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-pdf-header-footer",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", tmp.display()))
        .arg(&server.url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
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
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    drop(server);
    // The browser's helper processes may still write into the profile for a moment after it
    // ends (above all when it was stopped): remove it, and again if it reappears within 0.6 s.
    let remove_profile = |profile: tempfile::TempDir| {
        let path = profile.path().to_path_buf();
        let _ = profile.close();
        for _ in 0..15 {
            std::thread::sleep(Duration::from_millis(40));
            if path.exists() {
                let _ = fs::remove_dir_all(&path);
            }
        }
    };
    let stderr = fs::read(&log_path).unwrap_or_default();
    remove_profile(profile);
    let Some(status) = status else {
        let _ = fs::remove_file(&tmp);
        return Err(InputError::new(
            html.display().to_string(),
            "",
            format!(
                "report.pdf not written: the browser had not printed the page after {} s and was stopped (a script in the page template that never ends?); report.html is written. Fix the template, allow more seconds with PLEDGESIM_BROWSER_TIMEOUT (at most {MAX_TIMEOUT_SECS}), or pass --no-pdf",
                limit.as_secs()
            ),
        )
        .into());
    };
    let ok = status.success() && fs::metadata(&tmp).is_ok_and(|m| m.len() > 0);
    if !ok {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Program {
            program: browser.to_path_buf(),
            message: format!(
                "could not print report.pdf (report.html is written): {}",
                String::from_utf8_lossy(&stderr)
                    .lines()
                    .last()
                    .unwrap_or("no message")
            ),
        });
    }
    fs::rename(&tmp, pdf).map_err(|e| Error::io(pdf, e))?;
    Ok(pdf.to_path_buf())
}
