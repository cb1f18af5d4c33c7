//! The fit's report (`pledgesim fit` writes it beside the fitted scenario): its figures are the
//! fitted scenario's own, every interval holds its value, it is drawn from the folder's files
//! alone, and a folder in the way is refused before anything is written.

use crate::common;

use common::{pledgesim, read_text, run_command, shipped, write};
use std::fmt::Write as _;
use std::path::Path;

/// A TOML number, whole or not.
fn number(v: &toml::Value) -> f64 {
    v.as_float()
        .or(v.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{v:?} is not a number"))
}

/// "12.3s" as seconds.
fn seconds(v: &toml::Value) -> f64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{v:?} is not a duration"));
    s.trim_end_matches('s').parse().unwrap()
}

/// A TOML value by a dotted path.
fn at<'a>(doc: &'a toml::Value, path: &str) -> &'a toml::Value {
    path.split('.').fold(doc, |v, k| {
        v.get(k).unwrap_or_else(|| panic!("no {path} ({k})"))
    })
}

fn fitted(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let records = dir.join("records");
    run_command(&shipped("county-district.toml"), &records)
        .args(["--quiet", "-r", "2", "--seed", "77", "--records"])
        .assert()
        .success();
    let out = dir.join("fitted.toml");
    pledgesim()
        .arg("fit")
        .arg(records.join("calls.csv"))
        .arg("--base")
        .arg(shipped("county-district.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    (records, out)
}

#[test]
fn the_fit_report_shows_the_fitted_scenarios_own_values_with_their_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = fitted(dir.path());
    let folder = dir.path().join("fitted-fit");
    for f in ["manifest.json", "fit.json", "report.html"] {
        assert!(folder.join(f).is_file(), "{f} missing");
    }
    let scenario: toml::Value = toml::from_str(&read_text(&out)).unwrap();
    let fit: serde_json::Value =
        serde_json::from_str(&read_text(&folder.join("fit.json"))).unwrap();
    assert_eq!(fit["kind"], "fit");
    // Profiles: the hours' rates are the scenario's weekly table, and add up to its calls a week.
    let profiles = fit["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    for p in profiles {
        let ch = p["channel"].as_str().unwrap();
        let weekly: Vec<f64> = at(&scenario, &format!("demand.{ch}.weekly"))
            .as_array()
            .unwrap()
            .iter()
            .map(number)
            .collect();
        let rate: Vec<f64> = p["rate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_f64().unwrap())
            .collect();
        assert_eq!(rate.len(), 168);
        for h in 0..168 {
            assert!(
                (rate[h] - weekly[h]).abs() < 6e-5,
                "{ch} hour {h}: {} against {}",
                rate[h],
                weekly[h]
            );
            let (lo, hi) = (
                p["low"][h].as_f64().unwrap(),
                p["high"][h].as_f64().unwrap(),
            );
            assert!(
                lo <= rate[h] && rate[h] <= hi && lo < hi,
                "{ch} hour {h}: {lo} {} {hi}",
                rate[h]
            );
        }
        let per_week = number(at(&scenario, &format!("demand.{ch}.calls_per_week")));
        assert!((p["calls_per_week"].as_f64().unwrap() - per_week).abs() < 1e-3);
    }
    // Distributions: each fitted family's mean is the one written to its key.
    let dists = fit["distributions"].as_array().unwrap();
    let mut charted = 0;
    for d in dists {
        let Some(fam) = d["family"].as_str() else {
            continue;
        };
        charted += 1;
        let v = at(&scenario, d["key"].as_str().unwrap());
        assert_eq!(v["kind"].as_str().unwrap(), fam, "{}", d["key"]);
        let mean = d["family_mean_s"].as_f64().unwrap();
        assert!(
            (seconds(&v["mean"]) - mean).abs() <= 0.051,
            "{}: {} against {mean}",
            d["key"],
            v["mean"]
        );
        // The curve's empirical shares rise to 1 and the fitted ones are distribution values.
        let curve = d["curve"].as_array().unwrap();
        assert!((curve.last().unwrap()[1].as_f64().unwrap() - 1.0).abs() < 1e-12);
        assert!(
            curve
                .iter()
                .all(|c| (0.0..=1.0).contains(&c[2].as_f64().unwrap()))
        );
        assert!(d["ks"].as_f64().unwrap() >= 0.0 && d["ks"].as_f64().unwrap() < 1.0);
    }
    assert!(charted >= 8, "only {charted} distributions fitted");
    // Patience: the fitted mean is the scenario's.
    for p in fit["patience"].as_array().unwrap() {
        let ch = p["channel"].as_str().unwrap();
        let v = at(&scenario, &format!("demand.{ch}.patience.mean"));
        assert!((seconds(v) - p["mean_s"].as_f64().unwrap()).abs() <= 0.051);
    }
    // Mixes: the grade shares are the scenario's, each inside its interval.
    for m in fit["mixes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["quantity"] == "grades")
    {
        let ch = if m["scope"].as_str().unwrap().starts_with("999") {
            "emergency"
        } else {
            "non_emergency"
        };
        for part in m["parts"].as_array().unwrap() {
            let name = part["name"].as_str().unwrap();
            let share = part["share"].as_f64().unwrap();
            let written = number(at(&scenario, &format!("response.grading.{ch}.{name}")));
            assert!((share - written).abs() < 2e-6, "{ch} {name}");
            assert!(
                part["low"].as_f64().unwrap() <= share && share <= part["high"].as_f64().unwrap()
            );
        }
    }
    // The model's mixes do not change through the day: the test of homogeneity finds nothing.
    for m in fit["mixes"].as_array().unwrap() {
        if m["quantity"] != "wards" {
            let p = m["homogeneity"]["p_value"].as_f64().unwrap();
            assert!(p > 0.001, "{} {}: p = {p}", m["quantity"], m["scope"]);
        }
    }
    // The report: a chart per profile, patience and fitted distribution, each verdict in it.
    let html = read_text(&folder.join("report.html"));
    let charts = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "svg")
        })
        .count();
    assert_eq!(
        charts,
        2 + fit["patience"].as_array().unwrap().len() + charted
    );
    for d in dists {
        assert!(html.contains(d["key"].as_str().unwrap()), "{}", d["key"]);
    }
    assert!(html.contains("Calls through the week") && html.contains("Patience"));
}

#[test]
fn the_fit_report_is_drawn_from_its_folder_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (records, _) = fitted(dir.path());
    let folder = dir.path().join("fitted-fit");
    let first = read_text(&folder.join("report.html"));
    // Neither the log nor the scenarios are needed to draw it again: the same page.
    std::fs::remove_dir_all(&records).unwrap();
    std::fs::remove_file(dir.path().join("fitted.toml")).unwrap();
    pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&folder)
        .assert()
        .success();
    assert_eq!(read_text(&folder.join("report.html")), first);
    // A damaged fit.json is named with its field, exit code 2.
    let text = read_text(&folder.join("fit.json")).replace("\"rows_used\"", "\"rows_usd\"");
    std::fs::write(folder.join("fit.json"), text).unwrap();
    let o = pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("fit.json") && err.contains("rows_used"),
        "{err}"
    );
}

#[test]
fn a_folder_in_the_way_of_the_fits_report_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    run_command(&shipped("county-district.toml"), &records)
        .args(["--quiet", "-r", "1", "--seed", "5", "--records"])
        .assert()
        .success();
    let mine = dir.path().join("fitted-fit");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let o = pledgesim()
        .arg("fit")
        .arg(records.join("calls.csv"))
        .arg("--base")
        .arg(shipped("county-district.toml"))
        .arg("-o")
        .arg(dir.path().join("fitted.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("fitted-fit") && err.contains("--out"), "{err}");
    assert!(!dir.path().join("fitted.toml").exists());
    assert_eq!(read_text(&mine.join("notes.txt")), "mine");
}

/// A log whose grade mix changes at night (half grade I from midnight to 06:00, a tenth
/// otherwise): the fit's report says the mix changes through the day, with the bands' shares.
#[test]
fn a_mix_that_changes_through_the_day_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,arrival,channel,answered,handling,grade\n");
    for day in 1..=14 {
        for h in 0..24 {
            for k in 0..10 {
                let i = (day * 24 + h) * 10 + k;
                let night = h < 6;
                let grade = if (night && k % 2 == 0) || (!night && k == 0) {
                    "I"
                } else {
                    "R"
                };
                let _ = writeln!(
                    csv,
                    "{i},2009-10-{day:02}T{h:02}:{:02}:00,999,2009-10-{day:02}T{h:02}:{:02}:05,90,{grade}",
                    k * 5,
                    k * 5
                );
            }
        }
    }
    let log = write(dir.path(), "log.csv", csv);
    let out = dir.path().join("night.toml");
    pledgesim()
        .arg("fit")
        .arg(&log)
        .arg("--base")
        .arg(shipped("county-district.toml"))
        .arg("-o")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    let fit: serde_json::Value =
        serde_json::from_str(&read_text(&dir.path().join("night-fit/fit.json"))).unwrap();
    let grades = fit["mixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["quantity"] == "grades")
        .unwrap();
    let h = &grades["homogeneity"];
    assert!(h["p_value"].as_f64().unwrap() < 1e-6, "{h}");
    assert_eq!(h["df"], 3);
    // The bands' shares of grade I: a half at night, a tenth by day.
    let bands = grades["by_band"].as_array().unwrap();
    assert_eq!(bands[0]["band"], "00:00-06:00");
    assert!((bands[0]["shares"][0].as_f64().unwrap() - 0.5).abs() < 1e-12);
    for b in &bands[1..] {
        assert!((b["shares"][0].as_f64().unwrap() - 0.1).abs() < 1e-12);
    }
    let html = read_text(&dir.path().join("night-fit/report.html"));
    assert!(html.contains("This mix changes through the day"));
}
