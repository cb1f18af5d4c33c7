//! Reports are built from a run's files alone: `pledgesim report` writes report.html (every
//! chart inline, the font embedded, nothing loaded from the network) and every chart as SVG and
//! PNG; bad folders and templates are refused with exit code 2, a missing browser is a
//! warning (exit code 0) and a failing one exit code 1; an output folder holding a
//! report can still be replaced by a new run. The browser and PDF checks are in
//! .ci/report/test.sh (a real headless Chromium).

mod common;

use common::{pledgesim, report, small_sweep, sweep, write};
use std::path::Path;

fn run_with_report(out: &Path) {
    pledgesim()
        .args(["run", "--quiet", "-r", "3"])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    report(out);
}

#[test]
fn a_run_report_is_one_self_contained_file_with_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for text in [
        "Summary: which pledges are kept",
        "pledges this scenario measures",
        "Assumptions",
        "Method, and how to reproduce this report",
        "scenario hash",
        "@font-face",
        "font-family: 'DejaVu Sans'",
    ] {
        assert!(html.contains(text), "no \"{text}\"");
    }
    assert!(!html.contains("src=\"http"), "loads from the network");
    assert!(!html.contains("href=\"http"), "links to the network");
    let figures = html.matches("<figure class=\"chart\"").count();
    assert!(figures >= 7, "{figures} charts");
    // Every chart also as SVG and PNG files.
    for name in [
        "scorecard",
        "answer-times",
        "attendance-times",
        "hours-t1",
        "wards-t3",
        "ward-map",
        "visible-time",
    ] {
        assert!(
            html.contains(&format!("data-chart=\"{name}\"")),
            "{name} not in the report"
        );
        let svg = std::fs::read_to_string(out.join("charts").join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{name}.svg");
        let png = std::fs::read(out.join("charts").join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png");
    }
    // Built from the files alone: the same files give the same report.
    let first = html.clone();
    pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        first
    );
    // The folder, report and charts included, is still a pledgesim output a new run replaces.
    pledgesim()
        .args(["run", "--quiet", "-r", "2"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("report.html").exists());
}

#[test]
fn compare_and_sweep_reports_follow_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cmp = dir.path().join("cmp");
    pledgesim()
        .args(["compare", "--quiet", "-r", "3"])
        .arg(root.join("scenarios/small.toml"))
        .arg(root.join("scenarios/small-15.toml"))
        .arg("--out")
        .arg(&cmp)
        .assert()
        .success();
    report(&cmp);
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(html.contains("Comparing scenarios") && html.contains("data-chart=\"differences-1\""));
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 14, 16]\n",
    );
    let sw = dir.path().join("sw");
    sweep(&file, &sw, &[]).success();
    report(&sw);
    let html = std::fs::read_to_string(sw.join("report.html")).unwrap();
    assert!(html.contains("data-chart=\"sweep-t1\""), "no sweep chart");
}

#[test]
fn bad_folders_and_templates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    pledgesim()
        .arg("report")
        .arg(dir.path())
        .arg("--no-pdf")
        .assert()
        .code(2);
    let out = dir.path().join("run");
    run_with_report(&out);
    let template = write(dir.path(), "t.html", "<html>{{title}}</html>");
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .arg("--template")
        .arg(&template)
        .assert()
        .code(2);
    assert!(common::stderr(&a).contains("the template must contain"));
    // A template of one's own restyles the report.
    std::fs::write(&template, "<html><head><style>{{style}} h2 { color: navy }</style></head><body><p>FORCE HEADER</p><h1>{{title}}</h1>{{body}}</body></html>").unwrap();
    pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .arg("--template")
        .arg(&template)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(out.join("report.html"))
            .unwrap()
            .contains("FORCE HEADER")
    );
}

/// Exit codes of `report` (src/error.rs): no browser is a warning (0), a browser named by
/// PLEDGESIM_BROWSER that is not there is the user's to fix (2), a browser that fails is the
/// machine's (1). report.html and the charts are written in every case.
#[test]
fn without_a_browser_the_report_is_written_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let fresh = |out: &Path| {
        std::fs::remove_file(out.join("report.html")).unwrap();
        std::fs::remove_dir_all(out.join("charts")).unwrap();
    };
    let written = |out: &Path| {
        assert!(out.join("report.html").is_file());
        assert!(out.join("charts").join("scorecard.png").is_file());
        assert!(!out.join("report.pdf").exists());
    };
    // No browser on the PATH: exit 0, a warning naming Debian's package.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PATH", "/nonexistent")
        .env_remove("PLEDGESIM_BROWSER")
        .assert()
        .success();
    let stderr = common::stderr(&a);
    assert!(
        stderr.starts_with("warning: report.pdf not written: ")
            && stderr.contains("Debian's package `chromium`"),
        "{stderr}"
    );
    assert!(common::stdout(&a).contains("report.html"));
    written(&out);
    // The same through `run --report`.
    let again = dir.path().join("again");
    let a = pledgesim()
        .args(["run", "--quiet", "-r", "2", "--report"])
        .arg("--out")
        .arg(&again)
        .env("PATH", "/nonexistent")
        .env_remove("PLEDGESIM_BROWSER")
        .assert()
        .success();
    assert!(common::stderr(&a).contains("warning: report.pdf not written"));
    written(&again);
    // A browser named that is not there: exit 2, naming the variable.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PLEDGESIM_BROWSER", dir.path().join("no-such-browser"))
        .assert()
        .code(2);
    let stderr = common::stderr(&a);
    assert!(
        stderr.starts_with("error: PLEDGESIM_BROWSER: cannot start"),
        "{stderr}"
    );
    written(&out);
    // A browser that fails: exit 1, the machine's failure.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PLEDGESIM_BROWSER", "/bin/false")
        .assert()
        .code(1);
    let stderr = common::stderr(&a);
    assert!(stderr.contains("could not print report.pdf"), "{stderr}");
    written(&out);
}
