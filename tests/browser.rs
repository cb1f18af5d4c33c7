//! The browser that prints report.pdf: it sees report.html and nothing else of the machine (a
//! template's `file://` frame shows nothing), it is stopped after a time limit (a template's
//! endless script), and its profile folder is removed however printing ends, those of killed
//! runs by the next. The fake browsers are shell scripts; the checks with a real Chromium
//! skip themselves, saying so, where none is installed (CI has one).

use crate::common;

use common::{pledgesim, shipped, stderr, write};
use std::path::{Path, PathBuf};

/// A run folder of the small scenario (one replication) in `dir`.
fn run_folder(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    common::run_command(&shipped("small.toml"), &out)
        .args(["-r", "1", "--quiet"])
        .assert()
        .success();
    out
}

/// The browser profile folders in `tmp`.
fn profiles(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pledgesim-browser-"))
        .collect()
}

/// `pledgesim report OUT` with the browser `browser`, the temporary folder `tmp` and `env`.
fn report(
    out: &Path,
    browser: &Path,
    tmp: &Path,
    env: &[(&str, &str)],
) -> assert_cmd::assert::Assert {
    let mut c = pledgesim();
    c.arg("report")
        .arg(out)
        .env("PLEDGESIM_BROWSER", browser)
        .env("TMPDIR", tmp);
    for (k, v) in env {
        c.env(k, v);
    }
    c.assert()
}

#[cfg(unix)]
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = write(dir, name, format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
#[test]
fn the_browser_profile_folder_is_removed_however_printing_ends() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_folder(dir.path());
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let args = dir.path().join("args.txt");
    // A browser that prints: it is given an http address on the loopback, never a file.
    let prints = script(
        dir.path(),
        "prints.sh",
        &format!(
            "echo \"$@\" > '{}'\nfor a; do case $a in --print-to-pdf=*) printf '%%PDF-1.4 fake' > \"${{a#--print-to-pdf=}}\";; esac; done",
            args.display()
        ),
    );
    // Leftovers of killed runs (no such process) go; a running process's folder stays.
    let stale = tmp.join("pledgesim-browser-4294967-x1");
    std::fs::create_dir_all(stale.join("Default")).unwrap();
    std::fs::create_dir(tmp.join("pledgesim-browser-4294966")).unwrap();
    let live = tmp.join(format!("pledgesim-browser-{}-y", std::process::id()));
    std::fs::create_dir(&live).unwrap();
    report(&out, &prints, &tmp, &[]).success();
    assert_eq!(
        std::fs::read(out.join("report.pdf")).unwrap(),
        b"%PDF-1.4 fake"
    );
    let given = common::read_text(&args);
    assert!(
        given.contains(" http://127.0.0.1:") && !given.contains("file:"),
        "{given}"
    );
    assert!(
        given.contains(&format!(
            "--user-data-dir={}",
            tmp.join("pledgesim-browser-").display()
        )),
        "{given}"
    );
    assert_eq!(
        profiles(&tmp),
        vec![live.file_name().unwrap().to_string_lossy().into_owned()]
    );
    std::fs::remove_dir(&live).unwrap();

    // A browser that fails: exit code 1, and no profile folder left.
    let fails = script(dir.path(), "fails.sh", "echo 'it broke' >&2\nexit 1");
    let a = report(&out, &fails, &tmp, &[]).code(1);
    assert!(
        stderr(&a).contains("could not print report.pdf"),
        "{}",
        stderr(&a)
    );
    assert!(stderr(&a).contains("it broke"), "{}", stderr(&a));
    assert_eq!(profiles(&tmp), Vec::<String>::new());

    // A browser that never finishes: stopped after the time limit, exit code 2, nothing left.
    let hangs = script(dir.path(), "hangs.sh", "exec sleep 60");
    let started = std::time::Instant::now();
    let a = report(&out, &hangs, &tmp, &[("PLEDGESIM_BROWSER_TIMEOUT", "1")]).code(2);
    assert!(
        started.elapsed().as_secs() < 30,
        "not stopped: {:?}",
        started.elapsed()
    );
    let err = stderr(&a);
    assert!(
        err.starts_with("error: ")
            && err.contains("the browser had not printed the page after 1 s and was stopped")
            && err.contains("PLEDGESIM_BROWSER_TIMEOUT"),
        "{err}"
    );
    assert_eq!(profiles(&tmp), Vec::<String>::new());
    assert!(!out.join("report.pdf.tmp").exists());

    // A time limit that is not one.
    for bad in ["0", "3601", "soon"] {
        let a = report(&out, &prints, &tmp, &[("PLEDGESIM_BROWSER_TIMEOUT", bad)]).code(2);
        assert!(
            stderr(&a).starts_with(
                "error: PLEDGESIM_BROWSER_TIMEOUT: must be a whole number of seconds from 1 to 3600"
            ),
            "{}",
            stderr(&a)
        );
    }
}

/// A real headless Chromium or Chrome, or None (saying that the test is skipped).
fn chromium() -> Option<PathBuf> {
    let browser = pledgesim::report::find_browser();
    if browser.is_none() {
        println!("skipped: needs a Chromium or Chrome on the PATH (Debian's package chromium)");
    }
    browser
}

/// The text of a PDF by pdftotext, or None (saying that the check is skipped).
fn pdf_text(pdf: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            println!(
                "skipped reading report.pdf: needs pdftotext (Debian's package poppler-utils)"
            );
            None
        }
    }
}

#[test]
fn a_template_cannot_put_local_files_into_the_pdf_nor_hang_the_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run_folder(dir.path());
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let secret = write(dir.path(), "secret.txt", "NOT-FOR-THE-REPORT-4711\n");
    let page = |extra: String| {
        format!(
            "<!doctype html><html><head><title>{{{{title}}}}</title><style>{{{{style}}}}</style></head><body>{extra}{{{{body}}}}</body></html>"
        )
    };
    let framed = write(
        dir.path(),
        "framed.html",
        page(format!(
            "<iframe src=\"file://{0}\" width=\"600\" height=\"80\"></iframe><object data=\"file://{0}\"></object><p>REPORT-MARK</p>",
            secret.display()
        )),
    );
    let mut c = pledgesim();
    c.arg("report")
        .arg(&out)
        .arg("--template")
        .arg(&framed)
        .env("PLEDGESIM_BROWSER", &browser)
        .env("TMPDIR", &tmp);
    c.assert().success();
    let pdf = out.join("report.pdf");
    assert!(common::read(&pdf).starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains("REPORT-MARK"),
            "the template was printed: {text}"
        );
        assert!(
            !text.contains("NOT-FOR-THE-REPORT"),
            "a local file is in report.pdf"
        );
    }
    assert_eq!(profiles(&tmp), Vec::<String>::new());

    // An endless script: the browser is stopped after the time limit.
    let hangs = write(
        dir.path(),
        "hangs.html",
        page("<script>for (;;) {}</script>".into()),
    );
    let started = std::time::Instant::now();
    let mut c = pledgesim();
    c.arg("report")
        .arg(&out)
        .arg("--template")
        .arg(&hangs)
        .env("PLEDGESIM_BROWSER", &browser)
        .env("PLEDGESIM_BROWSER_TIMEOUT", "3")
        .env("TMPDIR", &tmp);
    let a = c.assert().code(2);
    assert!(stderr(&a).contains("was stopped"), "{}", stderr(&a));
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert_eq!(profiles(&tmp), Vec::<String>::new());
}

/// .ci/report/layout.js run by a real headless Chromium on a copy of `dir`'s report.html (with
/// `pdf_text`, report.pdf's text, when given): the problems it finds, one a line.
fn layout_problems(browser: &Path, dir: &Path, page: &str, pdf_text: Option<&str>) -> Vec<String> {
    let body_end = page.rfind("</body>").expect("a page with a body");
    let mut copy = page[..body_end].to_string();
    if let Some(t) = pdf_text {
        // A JSON string is a JavaScript string; "</" is kept out of the script element.
        let js = serde_json::to_string(t).unwrap().replace("</", "<\\/");
        copy.push_str(&format!("<script>window.PDF_TEXT = {js};</script>\n"));
    }
    copy.push_str("<script>\n");
    copy.push_str(include_str!("../.ci/report/layout.js"));
    copy.push_str("</script>\n</body>\n</html>\n");
    let file = write(dir, ".layout-check.html", copy);
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args([
            "--virtual-time-budget=5000",
            "--window-size=1280,2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let count: usize = dom
        .split("data-layout-problems=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the check did not run: {dom:.2000}"));
    let listed: Vec<String> = dom
        .split("<pre id=\"layout-check\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or("")
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    assert_eq!(listed.len(), count, "{listed:?}");
    listed
}

/// In a real browser, no two text boxes of a chart overlap or leave it and no two blocks of
/// the page overlap; report.pdf's text holds every heading and every target's verdict. The
/// same check finds a page broken on purpose, and a PDF short of a heading and a verdict.
/// (.ci/report/test.sh checks every kind of report so, also at the printed page's width.)
#[test]
fn a_reports_boxes_do_not_overlap_and_its_pdf_holds_every_heading_and_verdict() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::run_command(&shipped("small.toml"), &out)
        .args(["-r", "3", "--quiet"])
        .assert()
        .success();
    let mut c = pledgesim();
    c.arg("report").arg(&out).env("PLEDGESIM_BROWSER", &browser);
    c.assert().success();
    let Ok(o) = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(out.join("report.pdf"))
        .arg("-")
        .output()
    else {
        println!("skipped: needs pdftotext (Debian's package poppler-utils)");
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let page = common::read_text(&out.join("report.html"));
    assert_eq!(
        layout_problems(&browser, &out, &page, Some(&text)),
        Vec::<String>::new()
    );

    // A heading pulled into the block after it, a label drawn over a chart's title, and a PDF
    // without the heading "Method..." and without T1's verdict.
    let broken = page
        .replacen("</style>", "h2 { margin-bottom: -40px; }</style>", 1)
        .replacen(
            "<text x=\"16\" y=\"14\"",
            "<text x=\"16\" y=\"14\" dy=\"0.76em\">OVERLAPPING</text><text x=\"16\" y=\"14\"",
            1,
        );
    let short: String = text
        .lines()
        .filter(|l| !l.starts_with("Method"))
        .map(|l| {
            // T1's row without its last column, the verdict.
            match l.trim_end().rsplit_once("  ") {
                Some((rest, _)) if l.trim_start().starts_with("T1 ") => rest.to_string(),
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let found = layout_problems(&browser, &out, &broken, Some(&short));
    let has = |p: &str| found.iter().any(|f| f.starts_with(p));
    assert!(has("overlap on the page: h2"), "{found:?}");
    assert!(
        has("overlap in chart scorecard: text \"OVERLAPPING\""),
        "{found:?}"
    );
    assert!(has("not in the PDF: heading Method"), "{found:?}");
    assert!(has("not in the PDF: verdict T1"), "{found:?}");
}
