//! How long `pledgesim report` takes, the PDF included: `cargo bench --bench report` makes a
//! run of the shipped default scenario, a comparison of scenarios/small.toml with
//! small-15.toml and a sweep of 100 points of the small scenario (the model runs here, once,
//! before anything is timed), then times `pledgesim report` on each folder, with report.pdf
//! printed by Chromium or Chrome (`PLEDGESIM_BROWSER`, or the first on the PATH) and with
//! `--no-pdf`, and prints each time against the goal of 5 s. The report reads the folder
//! alone: the scenario and sweep files are deleted before it is timed. `-- --times N` sets the
//! number of timed builds of each (default 3; the median is given).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn pledgesim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pledgesim"))
}

fn must(c: &mut Command) {
    let out = c.output().expect("pledgesim runs");
    assert!(
        out.status.success(),
        "{:?}: {}",
        c,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of a shipped scenario in `dir`.
fn scenario(dir: &Path, name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let to = dir.join(name);
    std::fs::copy(root.join(name), &to).unwrap();
    to
}

/// The median of `times` builds of the report of `out`, in seconds (`pdf`: with report.pdf).
fn time(out: &Path, pdf: bool, times: usize) -> f64 {
    let mut s: Vec<f64> = (0..times)
        .map(|_| {
            let _ = std::fs::remove_file(out.join("report.html"));
            let _ = std::fs::remove_file(out.join("report.pdf"));
            let _ = std::fs::remove_dir_all(out.join("charts"));
            let mut c = pledgesim();
            c.arg("report").arg(out);
            if !pdf {
                c.arg("--no-pdf");
            }
            let t = Instant::now();
            must(&mut c);
            let secs = t.elapsed().as_secs_f64();
            if pdf {
                assert!(
                    out.join("report.pdf").is_file(),
                    "no report.pdf: is a browser installed?"
                );
            }
            secs
        })
        .collect();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let times = args
        .iter()
        .position(|a| a == "--times")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    let browser = pledgesim::report::find_browser();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = |n: &str| d.join(n);

    let default = scenario(d, "default.toml");
    let small = scenario(d, "small.toml");
    let small15 = scenario(d, "small-15.toml");
    let sweep = d.join("sweep.toml");
    std::fs::write(
        &sweep,
        "name = \"bench\"\nbase = \"small.toml\"\nreplications = 4\n[grid]\n\"roster.handlers.constant\" = { from = 10, to = 19 }\n\"demand.non_emergency.calls_per_week\" = { from = 18000, to = 27000, step = 1000 }\n",
    )
    .unwrap();
    let t = Instant::now();
    must(
        pledgesim()
            .args(["run", "--quiet", "-r", "20"])
            .arg(&default)
            .arg("--out")
            .arg(out("run")),
    );
    must(
        pledgesim()
            .args(["compare", "--quiet", "-r", "20"])
            .arg(&small)
            .arg(&small15)
            .arg("--out")
            .arg(out("compare")),
    );
    must(
        pledgesim()
            .args(["sweep", "--quiet", "--allow-overload"])
            .arg(&sweep)
            .arg("--out")
            .arg(out("sweep")),
    );
    println!(
        "folders made in {:.1} s (the model, not timed below)",
        t.elapsed().as_secs_f64()
    );
    for f in [&default, &small, &small15, &sweep] {
        std::fs::remove_file(f).unwrap();
    }
    match &browser {
        Some(b) => println!("browser: {}", b.display()),
        None => println!("no Chromium or Chrome found: only the HTML is timed"),
    }
    println!("median of {times} builds; the goal is under 5 s with the PDF");
    println!(
        "{:<28} {:>10} {:>10} {:>8}",
        "report of", "HTML (s)", "+PDF (s)", "< 5 s"
    );
    for (name, what) in [
        ("run", "a run (default, 20 reps)"),
        ("compare", "a comparison (2 scenarios)"),
        ("sweep", "a sweep of 100 points"),
    ] {
        let html = time(&out(name), false, times);
        let pdf = browser.as_ref().map(|_| time(&out(name), true, times));
        println!(
            "{:<28} {:>10.2} {:>10} {:>8}",
            what,
            html,
            pdf.map_or("-".into(), |p| format!("{p:.2}")),
            pdf.map_or("-", |p| if p < 5.0 { "yes" } else { "no" })
        );
    }
}
