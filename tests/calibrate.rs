//! `pledgesim calibrate`: figures the model itself made at known parameters are fitted back
//! and covered by their intervals; parameters that only enter as a product are reported as
//! not separately identifiable; the same inputs give the same bytes with any thread count and
//! after an interruption; bad input is reported all at once.

use crate::common;

use common::{pledgesim, stderr, stdout, write};
use pledgesim::experiment::calibrate::{Calibration, calibrate};
use pledgesim::experiment::{RunOptions, run};
use std::path::Path;

/// A contact centre alone (the small scenario, two days): 999 and non-emergency calls with
/// lognormal handling (mean 4 min) and exponential patience (non-emergency mean 6 min).
fn scenario(extra: &str) -> String {
    format!(
        r#"name = "calibration-check"
pledge = "england-wales"
[run]
horizon = "2d"
warm_up = "4h"
replications = 10
seed = 1
[demand.emergency]
calls_per_week = 5040
handling = {{ kind = "lognormal", mean = "4min", sd = "3min" }}
patience = {{ kind = "exponential", mean = "2min" }}
[demand.non_emergency]
calls_per_week = 21840
handling = {{ kind = "lognormal", mean = "4min", sd = "3min" }}
patience = {{ kind = "exponential", mean = "6min" }}
{extra}
[roster.handlers]
constant = 14
"#
    )
}

/// The observed file: the figures of `scenario` run with `seed` and `reps` replications, each
/// with the standard error of its mean, then `rest` ([fit] and [method]).
fn observed(
    sc_text: &str,
    seed: u64,
    reps: u32,
    figures: &[(&str, &str, &str)],
    rest: &str,
) -> String {
    let mut sc = common::parse(sc_text);
    sc.run.seed = seed;
    sc.run.replications = reps;
    let out = run(
        &sc,
        &RunOptions {
            threads: Some(1),
            progress: false,
        },
    );
    let mut text = String::new();
    for (kpi, channel, statistic) in figures {
        let r = out
            .overall
            .iter()
            .find(|r| {
                r.key.kpi == *kpi
                    && r.key.scope == "channel"
                    && r.key.scope_value == *channel
                    && r.key.clock == "call"
                    && r.key.statistic == *statistic
            })
            .unwrap();
        let e = &r.estimate;
        text.push_str(&format!(
            "[[observed]]\nkpi = \"{kpi}\"\nscope = \"channel\"\nscope_value = \"{channel}\"\nclock = \"call\"\nstatistic = \"{statistic}\"\nvalue = {}\nse = {}\n\n",
            e.mean,
            e.sd / (e.n as f64).sqrt()
        ));
    }
    text + rest
}

const FIGURES: [(&str, &str, &str); 3] = [
    ("T1", "999", "share_within"),
    ("T2", "non-emergency", "share_within"),
    ("T2", "non-emergency", "abandonment_rate"),
];

fn calibrate_cli(sc: &Path, obs: &Path, out: &Path, threads: &str) -> assert_cmd::assert::Assert {
    pledgesim()
        .arg("calibrate")
        .arg(sc)
        .arg("--observed")
        .arg(obs)
        .arg("-o")
        .arg(out)
        .args(["-j", threads, "--quiet"])
        .assert()
}

/// Recovery: the figures of the model at handling mean 4 min and patience mean 6 min are
/// fitted back, from a Latin hypercube over 2-8 min and 2-20 min, and both true values lie
/// within 3.3 standard errors (twice the 90% intervals' half-widths); the calibrated scenario is valid and reports; the same inputs give the
/// same bytes on one thread and two, and after an interruption.
#[test]
fn known_parameters_are_fitted_back_and_the_folder_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("");
    let sc = write(dir.path(), "s.toml", &text);
    let obs = write(
        dir.path(),
        "observed.toml",
        observed(
            &text,
            1,
            10,
            &FIGURES,
            "[fit]\n\"demand.non_emergency.handling.mean\" = { from = \"2min\", to = \"8min\" }\n\"demand.non_emergency.patience.mean\" = { from = \"2min\", to = \"20min\" }\n[method]\nreplications = 10\nseed = 99\n",
        ),
    );
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let said = stdout(&calibrate_cli(&sc, &obs, &one, "1").success());
    calibrate_cli(&sc, &obs, &two, "2").success();
    for f in ["calibration.csv", "calibration.json", "calibrated.toml"] {
        assert_eq!(
            common::read(&one.join(f)),
            common::read(&two.join(f)),
            "{f} differs with the thread count"
        );
    }
    let fit: serde_json::Value =
        serde_json::from_str(&common::read_text(&one.join("calibration.json"))).unwrap();
    for (k, truth) in [(0, 240_000.0), (1, 360_000.0)] {
        let p = &fit["parameters"][k];
        let (lo, hi) = (
            p["ci90_low"].as_f64().unwrap(),
            p["ci90_high"].as_f64().unwrap(),
        );
        // Two 90% intervals both hold their true values for only about four seeds in five of a
        // correct method (with the random numbers of keyed per-call draws the handling mean's
        // misses 4 min by 0.07%), so each truth is asked to lie within 3.3 standard errors of
        // the estimate: the 90% interval (1.645 SE each side) widened to twice its half-width.
        let (mid, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0);
        assert!(
            (truth - mid).abs() <= 2.0 * half,
            "{}: {lo} to {hi}\n{said}",
            p["path"]
        );
        assert!(
            hi - lo < 0.25 * truth,
            "{}: {lo} to {hi} is too wide",
            p["path"]
        );
    }
    for f in fit["figures"].as_array().unwrap() {
        assert!(f["residual"].as_f64().unwrap().abs() < 3.0, "{f}");
    }
    assert!(fit["warnings"].as_array().unwrap().is_empty(), "{fit}");
    // Every evaluated point is a row of calibration.csv.
    let csv = common::read_text(&one.join("calibration.csv"));
    let rows = csv.lines().count() - 1;
    assert_eq!(rows as u64, fit["evaluations"].as_u64().unwrap());
    // The calibrated scenario runs, and the folder reports.
    pledgesim()
        .arg("validate")
        .arg(one.join("calibrated.toml"))
        .assert()
        .success();
    pledgesim()
        .arg("report")
        .arg(&one)
        .arg("--no-pdf")
        .assert()
        .success();
    assert!(common::read_text(&one.join("report.html")).contains("The fit"));

    // Interrupted after 20 points, half-way through writing the 21st: going on gives the
    // same files, simulating only what was missing.
    let lines: Vec<&str> = csv.split_inclusive('\n').collect();
    let cut: String = lines[..21].concat() + &lines[21][..10];
    std::fs::write(two.join("calibration.csv"), cut).unwrap();
    std::fs::remove_file(two.join("calibration.json")).unwrap();
    std::fs::remove_file(two.join("calibrated.toml")).unwrap();
    calibrate_cli(&sc, &obs, &two, "2").success();
    for f in ["calibration.csv", "calibrated.toml"] {
        assert_eq!(
            common::read(&one.join(f)),
            common::read(&two.join(f)),
            "{f} differs after resuming"
        );
    }
    let resumed: serde_json::Value =
        serde_json::from_str(&common::read_text(&two.join("calibration.json"))).unwrap();
    // Simulated again: the points not among the 20 kept, and the first start point (simulated
    // again to check the figures before anything is written).
    let kept: std::collections::BTreeSet<String> = lines[1..21]
        .iter()
        .map(|l| l.split(',').skip(2).take(3).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        resumed["simulated"].as_u64().unwrap(),
        fit["simulated"].as_u64().unwrap() - kept.len() as u64 + 1
    );
}

/// Coverage: over 20 seeds, observed figures made at patience mean 6 min (20 replications)
/// are fitted with patience alone (1-20 min); the nominal 90% interval must cover 6 min in at
/// least 14 of 20 (binomial(20, 0.9): fewer than 14 happens 0.24% of the time). The intervals
/// are conservative here (all 20 cover, the estimates' spread over seeds being about half the
/// standard error the curvature gives), because the objective treats the two figures' errors
/// as independent while their noise is correlated in a direction the parameter does not move.
#[test]
fn ninety_percent_intervals_cover_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("").replace("horizon = \"2d\"", "horizon = \"1d\"");
    let sc = write(dir.path(), "s.toml", &text);
    let mut covered = 0;
    let mut lines = Vec::new();
    for seed in 0..20u64 {
        let obs = write(
            dir.path(),
            "observed.toml",
            observed(
                &text,
                1000 + seed,
                20,
                &FIGURES[1..],
                &format!(
                    "[fit]\n\"demand.non_emergency.patience.mean\" = {{ from = \"1min\", to = \"20min\" }}\n[method]\nreplications = 10\nfinal_replications = 20\nstart_points = 6\nevaluations = 20\nseed = {seed}\n"
                ),
            ),
        );
        let c = Calibration::load(&sc, &obs).unwrap_or_else(|e| panic!("{e}"));
        let o = calibrate(&c, Vec::new(), Some(1), &mut |_, _| Ok(())).unwrap();
        let e = &o.estimates[0];
        let inside = e.low <= 360_000.0 && 360_000.0 <= e.high;
        covered += usize::from(inside);
        lines.push(format!(
            "seed {seed}: {:.1}s ({:.1}-{:.1}) {}",
            e.value / 1000.0,
            e.low / 1000.0,
            e.high / 1000.0,
            if inside { "covers" } else { "misses" }
        ));
    }
    eprintln!("{}", lines.join("\n"));
    assert!(covered >= 14, "{covered} of 20:\n{}", lines.join("\n"));
}

/// Two parameters that enter only as a product (the non-emergency calls a week and January's
/// seasonal factor, in a run in January) cannot be told apart, and the calibration says so.
#[test]
fn parameters_that_enter_only_as_a_product_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("").replace(
        "calls_per_week = 21840\n",
        "calls_per_week = 21840\nseasonal = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
    );
    let sc = write(dir.path(), "s.toml", &text);
    let obs = write(
        dir.path(),
        "observed.toml",
        observed(
            &text,
            1,
            10,
            &FIGURES,
            "[fit]\n\"demand.non_emergency.calls_per_week\" = { from = 15000, to = 30000 }\n\"demand.non_emergency.seasonal[0]\" = { from = 0.6, to = 1.6 }\n[method]\nreplications = 5\nfinal_replications = 10\nevaluations = 30\nseed = 7\n",
        ),
    );
    let c = Calibration::load(&sc, &obs).unwrap_or_else(|e| panic!("{e}"));
    let o = calibrate(&c, Vec::new(), Some(1), &mut |_, _| Ok(())).unwrap();
    assert!(
        o.warnings.iter().any(|w| w.contains("cannot be told apart")
            && w.contains("demand.non_emergency.calls_per_week")
            && w.contains("demand.non_emergency.seasonal[0]")),
        "{:?}",
        o.warnings
    );
    // Their product is what the figures fix: near the truth.
    let product = o.best.x[0] * o.best.x[1];
    assert!(
        (product - 21840.0).abs() < 0.1 * 21840.0,
        "{product}: {:?}",
        o.best.x
    );
}

/// Every problem of an observed file at once, with its line, exit code 2, nothing written.
#[test]
fn bad_observed_files_are_reported_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", scenario(""));
    let obs = write(
        dir.path(),
        "observed.toml",
        "[[observed]]\nkpi = \"T1\"\nscope = \"channel\"\nscope_value = \"999\"\nclock = \"call\"\nstatistic = \"share_within\"\nvalue = 0.9\nse = 0\n\n[fit]\n\"demand.non_emergency.patience.mean\" = { from = \"20min\", to = \"2min\" }\n\"demand.non_emergency.handling.mean\" = { from = \"2min\", to = 8 }\n\"demand.non_emergency.no_such_key\" = { from = 1, to = 2 }\n",
    );
    let out = dir.path().join("out");
    let a = calibrate_cli(&sc, &obs, &out, "1").code(2);
    let err = stderr(&a);
    for needle in [
        "observed.toml:1:1",
        "`se` is the observed figure's standard error",
        "`from` must be below `to`",
        "both be durations with units",
        "no_such_key",
    ] {
        assert!(err.contains(needle), "{needle}:\n{err}");
    }
    assert!(!out.exists());
    // A figure the scenario's summary does not have, named with its line.
    let obs = write(
        dir.path(),
        "observed.toml",
        "[[observed]]\nkpi = \"T3\"\nscope = \"grade\"\nscope_value = \"I\"\nclock = \"call\"\nstatistic = \"share_within\"\nvalue = 0.9\nse = 0.01\n\n[fit]\n\"demand.non_emergency.patience.mean\" = { from = \"2min\", to = \"20min\" }\n",
    );
    let err = stderr(&calibrate_cli(&sc, &obs, &out, "1").code(2));
    assert!(
        err.contains("line 1: T3 grade I call share_within is not a row"),
        "{err}"
    );
    assert!(!out.exists());
    // A path to a field that is not a number.
    let obs = write(
        dir.path(),
        "observed.toml",
        "[[observed]]\nkpi = \"T1\"\nscope = \"channel\"\nscope_value = \"999\"\nclock = \"call\"\nstatistic = \"share_within\"\nvalue = 0.9\nse = 0.01\n\n[fit]\n\"demand.non_emergency.handling.kind\" = { from = 1, to = 2 }\n",
    );
    let err = stderr(&calibrate_cli(&sc, &obs, &out, "1").code(2));
    assert!(err.contains("not valid"), "{err}");
    assert!(!out.exists());
}
