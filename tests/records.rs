//! Per-call records (`run --records`): calls.csv recounts the run's own figures exactly, is
//! the same whatever the number of threads, keeps each call's times in order with civil times
//! that agree with the milliseconds across a clock change, compresses to the same bytes, and
//! changes no result.

use crate::common;

use common::{pledgesim, read, run_command, shipped};
use pledgesim::scenario::Scenario;
use pledgesim::time::{DAY, Date, HOUR, MINUTE, SECOND};
use std::collections::HashMap;
use std::path::Path;

/// county-district (a field side, a month measured after a warm-up, the measured window
/// ending after the last Sunday of October) run into `out` with `args`.
fn run(out: &Path, args: &[&str]) {
    run_command(&shipped("county-district.toml"), out)
        .args(["--quiet"])
        .args(args)
        .assert()
        .success();
}

/// calls.csv as rows of named cells.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn ms(row: &HashMap<String, String>, name: &str) -> Option<u64> {
    let cell = &row[&format!("{name}_ms")];
    (!cell.is_empty()).then(|| cell.parse().unwrap())
}

/// A figure of the scorecard or summary.json: `kpi`'s `statistic` on the call clock.
fn figure(out: &Path, kpi: &str, statistic: &str) -> f64 {
    let s: serde_json::Value = serde_json::from_slice(&read(&out.join("summary.json"))).unwrap();
    s["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kpi"] == kpi && r["statistic"] == statistic && r["clock"] == "call")
        .unwrap_or_else(|| panic!("{kpi} {statistic}"))["mean"]
        .as_f64()
        .unwrap()
}

#[test]
fn the_records_recount_the_runs_own_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("one");
    run(&out, &["-r", "1", "--records"]);
    let rows = rows(&out.join("calls.csv"));
    let sc = Scenario::load(&shipped("county-district.toml")).unwrap();
    let spec = sc.response.as_ref().unwrap();
    let rural: HashMap<&str, bool> = spec
        .wards
        .iter()
        .map(|w| (w.name.as_str(), w.rural))
        .collect();
    // The pledge's T1 (10 s) and T3 (15 min urban, 20 min rural) of this scenario.
    let (t1, t3) = (10 * SECOND, [15 * MINUTE, 20 * MINUTE]);
    let first: HashMap<&str, u64> = rows
        .iter()
        .map(|r| (r["call"].as_str(), ms(r, "arrival").unwrap()))
        .collect();
    let measured = |r: &&HashMap<String, String>| r["measured"] == "true";
    // T1, per attempt: answered within 10 s over answered, abandoned after 10 s and unresolved;
    // the abandonment rate over every attempt offered. Silent calls are not in T1.
    let calls: Vec<_> = rows
        .iter()
        .filter(measured)
        .filter(|r| r["channel"] == "999" && r["silent"] == "false")
        .collect();
    let (mut within, mut counted, mut abandoned) = (0u64, 0u64, 0u64);
    for r in &calls {
        let arrival = ms(r, "arrival").unwrap();
        match (ms(r, "answered"), ms(r, "abandoned")) {
            (Some(a), _) => {
                counted += 1;
                within += u64::from(a - arrival <= t1);
            }
            (None, Some(h)) => {
                abandoned += 1;
                counted += u64::from(h - arrival > t1);
            }
            (None, None) => counted += 1,
        }
    }
    assert!(calls.len() > 1000, "{} calls", calls.len());
    assert_eq!(
        within as f64 / counted as f64,
        figure(&out, "T1", "share_within")
    );
    assert_eq!(
        abandoned as f64 / calls.len() as f64,
        figure(&out, "T1", "abandonment_rate")
    );
    // T3: grade I incidents of measured calls (answered, or found by a call-back), attended
    // within the ward type's time from the caller's first call.
    let incidents: Vec<_> = rows
        .iter()
        .filter(measured)
        .filter(|r| {
            r["grade"] == "I" && (ms(r, "answered").is_some() || ms(r, "created").is_some())
        })
        .collect();
    let attended = incidents
        .iter()
        .filter(|r| {
            let target = t3[usize::from(rural[r["ward"].as_str()])];
            ms(r, "unit_arrived").is_some_and(|a| a - first[r["caller"].as_str()] <= target)
        })
        .count();
    assert!(incidents.len() > 50, "{} incidents", incidents.len());
    assert_eq!(
        attended as f64 / incidents.len() as f64,
        figure(&out, "T3", "share_within")
    );
}

#[test]
fn every_rows_times_are_in_order_and_its_civil_times_agree_across_the_clock_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("one");
    run(&out, &["-r", "1", "--records"]);
    let rows = rows(&out.join("calls.csv"));
    let sc = Scenario::load(&shipped("county-district.toml")).unwrap();
    let start_days = sc.run.start.days_from_epoch();
    let names = [
        "arrival",
        "answered",
        "abandoned",
        "handling_end",
        "created",
        "dispatched",
        "unit_arrived",
        "cleared",
    ];
    let mut in_the_hour = 0;
    for r in &rows {
        for name in names {
            let civil = &r[&format!("{name}_time")];
            let Some(t) = ms(r, name) else {
                assert!(civil.is_empty(), "{name}: {r:?}");
                continue;
            };
            // YYYY-MM-DDTHH:MM:SS.mmm, read back to milliseconds from the start.
            let (date, clock) = civil.split_once('T').unwrap();
            let date: Date = date.parse().unwrap();
            let p: Vec<u64> = clock
                .split([':', '.'])
                .map(|x| x.parse().unwrap())
                .collect();
            let day = (date.days_from_epoch() - start_days) as u64;
            let back = day * DAY + p[0] * HOUR + p[1] * MINUTE + p[2] * SECOND + p[3];
            assert_eq!(back, t, "{name}: {civil} against {t} ms");
            // 2009-10-25, the last Sunday of October: 01:00-02:00 comes once, 24 hours a day.
            in_the_hour += usize::from(civil.starts_with("2009-10-25T01:"));
        }
        let t = |n| ms(r, n);
        let ordered = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        let answer_or_hang_up = t("answered").or(t("abandoned"));
        for (a, b) in [
            (t("arrival"), t("answered")),
            (t("arrival"), t("abandoned")),
            (t("answered"), t("handling_end")),
            (answer_or_hang_up, t("created")),
            (t("created"), t("dispatched")),
            (t("dispatched"), t("unit_arrived")),
            (t("unit_arrived"), t("cleared")),
            (t("dispatched"), t("cleared")),
        ] {
            assert!(ordered(a, b), "out of order: {r:?}");
        }
        // A call is answered or abandoned before anything happens to its incident.
        if t("created").is_some() {
            assert!(answer_or_hang_up.is_some(), "{r:?}");
        }
    }
    assert!(in_the_hour > 0, "no call in the clock change's hour");
}

#[test]
fn the_records_are_the_same_whatever_the_threads_and_change_no_result() {
    let dir = tempfile::tempdir().unwrap();
    let (one, three, plain) = (
        dir.path().join("one"),
        dir.path().join("three"),
        dir.path().join("plain"),
    );
    run(&one, &["-r", "3", "--threads", "1", "--records"]);
    run(&three, &["-r", "3", "--threads", "3", "--records"]);
    run(&plain, &["-r", "3", "--threads", "3"]);
    let calls = read(&one.join("calls.csv"));
    assert!(calls == read(&three.join("calls.csv")), "calls.csv differs");
    assert!(!plain.join("calls.csv").exists());
    for f in [
        "summary.json",
        "scorecard.csv",
        "hourly.csv",
        "wards.csv",
        "histograms.csv",
        "replications.csv",
    ] {
        assert!(read(&one.join(f)) == read(&plain.join(f)), "{f} differs");
    }
    // Every replication's rows, in replication order, each call once.
    let rows = rows(&one.join("calls.csv"));
    let reps: Vec<&str> = rows.iter().map(|r| r["replication"].as_str()).collect();
    assert!(
        reps.windows(2).all(|w| w[0] <= w[1]),
        "replications out of order"
    );
    assert_eq!(reps.first(), Some(&"0"));
    assert_eq!(reps.last(), Some(&"2"));
    let mut ids: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["replication"].as_str(), r["call"].parse().unwrap()))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "a call written twice");
    // The manifest lists the file.
    let m: serde_json::Value = serde_json::from_slice(&read(&one.join("manifest.json"))).unwrap();
    assert!(
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "calls.csv")
    );
}

#[test]
fn gz_decompresses_to_the_plain_files_bytes_and_the_folder_can_be_reported_and_written_again() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let (plain, gz) = (dir.path().join("plain"), dir.path().join("gz"));
    run(&plain, &["-r", "2", "--records"]);
    run(&gz, &["-r", "2", "--records", "gz"]);
    assert!(!gz.join("calls.csv").exists());
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&read(&gz.join("calls.csv.gz"))[..])
        .read_to_end(&mut bytes)
        .unwrap();
    assert!(
        bytes == read(&plain.join("calls.csv")),
        "calls.csv.gz differs"
    );
    // The folder may be written again, with or without records.
    run(&gz, &["-r", "2", "--records=csv"]);
    assert!(gz.join("calls.csv").exists() && !gz.join("calls.csv.gz").exists());
    // The report reads a folder with records.
    pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&gz)
        .assert()
        .success();
    assert!(gz.join("report.html").exists());
    run(&gz, &["-r", "2"]);
    assert!(!gz.join("calls.csv").exists());
    // No temporary folder is left beside the outputs.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn records_on_other_commands_or_in_an_unknown_format_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let small = shipped("small.toml");
    let a = pledgesim()
        .args(["run", "--quiet", "--records", "zip"])
        .arg(&small)
        .arg("--out")
        .arg(dir.path().join("x"))
        .assert()
        .code(2);
    let err = common::stderr(&a);
    assert!(err.contains("--records") && err.contains("gz"), "{err}");
    let a = pledgesim()
        .args(["compare", "--quiet", "--records"])
        .arg(&small)
        .arg(&small)
        .assert()
        .code(2);
    assert!(common::stderr(&a).contains("--records"));
    assert!(!dir.path().join("x").exists());
}
