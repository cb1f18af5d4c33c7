//! The output contract, read back: `pledgesim report` on a hand-edited run, comparison or sweep
//! folder (a renamed CSV column, a missing key, the wrong kind, NaN, a value of the wrong type,
//! a missing file) exits with code 2 and a message naming the file and the field, never a
//! panic; and what is written reads back as the same values.

use assert_cmd::Command;
use pledgesim::report::read::{self, Folder};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn pledgesim() -> Command {
    Command::cargo_bin("pledgesim").unwrap()
}

/// One run, one comparison and one sweep, made once for every test here.
fn made() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let small = root.join("scenarios/small.toml");
        pledgesim()
            .args(["run", "--quiet", "-r", "2"])
            .arg("--out")
            .arg(dir.path().join("run"))
            .assert()
            .success();
        pledgesim()
            .args(["compare", "--quiet", "-r", "2"])
            .arg(&small)
            .arg(root.join("scenarios/small-15.toml"))
            .arg("--out")
            .arg(dir.path().join("compare"))
            .assert()
            .success();
        let sweep = dir.path().join("sweep.toml");
        std::fs::write(
            &sweep,
            format!(
                "base = {:?}\nreplications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 16]\n",
                small.display().to_string()
            ),
        )
        .unwrap();
        pledgesim()
            .args(["sweep", "--quiet"])
            .arg(&sweep)
            .arg("--out")
            .arg(dir.path().join("sweep"))
            .assert()
            .success();
        dir
    })
    .path()
}

/// A copy of a made folder ("run", "compare" or "sweep") to edit by hand.
fn copy(kind: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join(kind);
    std::fs::create_dir(&to).unwrap();
    for e in std::fs::read_dir(made().join(kind)).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    (tmp, to)
}

/// Replaces the first `from` in `file` with `to`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Removes the JSON line of `key` (a top-level key, not the last) from `file`.
fn drop_key(dir: &Path, file: &str, key: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = format!("\n  \"{key}\":");
    let at = text
        .find(&line)
        .unwrap_or_else(|| panic!("{file} has no {key}"));
    let end = at + 1 + text[at + 1..].find("\n  \"").expect("a later key");
    std::fs::write(&path, format!("{}{}", &text[..at], &text[end..])).unwrap();
}

/// Sets `column` of the first row with a figure there of a CSV file to `value`.
fn set_cell(dir: &Path, file: &str, column: &str, value: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let col = lines[0]
        .split(',')
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("{file} has no column {column}"));
    let row = lines
        .iter()
        .skip(1)
        .position(|l| !l.contains('"') && !l.split(',').nth(col).unwrap_or("").is_empty())
        .expect("a row with a figure")
        + 1;
    let mut cells: Vec<&str> = lines[row].split(',').collect();
    cells[col] = value;
    lines[row] = cells.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// `pledgesim report` refuses the folder: exit code 2, no panic, and each of `names` (file and
/// field names) in the message. Returns the message.
fn refused(dir: &Path, names: &[&str]) -> String {
    let a = pledgesim()
        .arg("report")
        .arg(dir)
        .arg("--no-pdf")
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for n in names {
        assert!(stderr.contains(n), "no {n:?} in: {stderr}");
    }
    assert!(!dir.join("report.html").exists(), "a report was written");
    stderr
}

// A run's folder.

#[test]
fn run_renamed_csv_header() {
    let (_t, dir) = copy("run");
    edit(&dir, "scorecard.csv", ",mean,", ",average,");
    let e = refused(
        &dir,
        &["scorecard.csv:1:9", "field `mean`", "`average`: renamed?"],
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn run_missing_summary_key() {
    let (_t, dir) = copy("run");
    drop_key(&dir, "summary.json", "replications");
    refused(
        &dir,
        &["summary.json", "field `replications`", "missing field"],
    );
}

#[test]
fn run_missing_key_inside_a_row() {
    let (_t, dir) = copy("run");
    edit(
        &dir,
        "summary.json",
        "      \"ci_low\": ",
        "      \"low\": ",
    );
    refused(&dir, &["summary.json", "field `kpis[0].ci_low`"]);
}

#[test]
fn run_wrong_kind() {
    let (_t, dir) = copy("run");
    edit(
        &dir,
        "summary.json",
        "\"kind\": \"run\"",
        "\"kind\": \"compare\"",
    );
    refused(
        &dir,
        &["summary.json", "field `kind`", "manifest.json says `run`"],
    );
}

#[test]
fn run_unknown_kind_in_the_manifest() {
    let (_t, dir) = copy("run");
    edit(
        &dir,
        "manifest.json",
        "\"kind\": \"run\"",
        "\"kind\": \"walk\"",
    );
    refused(
        &dir,
        &["manifest.json", "field `kind`", "unknown variant `walk`"],
    );
}

#[test]
fn run_nan_in_a_csv_cell() {
    let (_t, dir) = copy("run");
    set_cell(&dir, "scorecard.csv", "mean", "NaN");
    refused(
        &dir,
        &["scorecard.csv:2:9", "field `mean`", "not a finite number"],
    );
}

#[test]
fn run_nan_in_json() {
    let (_t, dir) = copy("run");
    edit(&dir, "summary.json", "\"mean\": ", "\"mean\": NaN, \"x\": ");
    refused(&dir, &["summary.json:", "field `mean`", "JSON has no NaN"]);
}

#[test]
fn run_wrong_type() {
    let (_t, dir) = copy("run");
    edit(
        &dir,
        "summary.json",
        "\"replications\": 2",
        "\"replications\": \"two\"",
    );
    refused(
        &dir,
        &["summary.json", "field `replications`", "invalid type"],
    );
}

#[test]
fn run_wrong_type_in_a_csv_cell() {
    let (_t, dir) = copy("run");
    set_cell(&dir, "histograms.csv", "count", "many");
    refused(&dir, &["histograms.csv:2:7", "field `count`", "`many`"]);
}

#[test]
fn run_missing_file() {
    let (_t, dir) = copy("run");
    std::fs::remove_file(dir.join("hourly.csv")).unwrap();
    refused(&dir, &["hourly.csv", "missing"]);
}

#[test]
fn run_missing_manifest() {
    let (_t, dir) = copy("run");
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    refused(&dir, &["manifest.json", "missing"]);
}

#[test]
fn run_problems_in_several_files_are_reported_together() {
    let (_t, dir) = copy("run");
    drop_key(&dir, "summary.json", "seed");
    edit(&dir, "hourly.csv", ",statistic,", ",stat,");
    set_cell(&dir, "histograms.csv", "count", "-1");
    let e = refused(
        &dir,
        &[
            "summary.json: field `seed`",
            "hourly.csv:1:7: field `statistic`",
            "histograms.csv:2:7: field `count`",
        ],
    );
    assert_eq!(e.lines().count(), 3, "{e}");
}

// A comparison's folder.

#[test]
fn compare_renamed_csv_header() {
    let (_t, dir) = copy("compare");
    edit(&dir, "compare.csv", ",verdict,", ",outcome,");
    refused(
        &dir,
        &["compare.csv:1:22", "field `verdict`", "`outcome`: renamed?"],
    );
}

#[test]
fn compare_missing_summary_key() {
    let (_t, dir) = copy("compare");
    drop_key(&dir, "compare.json", "replications");
    refused(
        &dir,
        &["compare.json", "field `replications`", "missing field"],
    );
}

#[test]
fn compare_wrong_kind() {
    let (_t, dir) = copy("compare");
    edit(
        &dir,
        "compare.json",
        "\"kind\": \"compare\"",
        "\"kind\": \"sweep\"",
    );
    refused(
        &dir,
        &[
            "compare.json",
            "field `kind`",
            "manifest.json says `compare`",
        ],
    );
}

#[test]
fn compare_nan() {
    let (_t, dir) = copy("compare");
    set_cell(&dir, "compare.csv", "difference", "inf");
    refused(
        &dir,
        &[
            "compare.csv:2:11",
            "field `difference`",
            "not a finite number",
        ],
    );
}

#[test]
fn compare_nan_in_json() {
    let (_t, dir) = copy("compare");
    edit(
        &dir,
        "compare.json",
        "\"baseline_mean\": ",
        "\"baseline_mean\": NaN, \"x\": ",
    );
    refused(
        &dir,
        &["compare.json:", "field `baseline_mean`", "JSON has no NaN"],
    );
}

#[test]
fn compare_wrong_type() {
    let (_t, dir) = copy("compare");
    edit(&dir, "compare.json", "\"seed\": ", "\"seed\": [1], \"x\": ");
    refused(&dir, &["compare.json", "field `seed`", "invalid type"]);
    // A string that is not a seed.
    let (_t, dir) = copy("compare");
    edit(
        &dir,
        "compare.json",
        "\"seed\": ",
        "\"seed\": \"one\", \"x\": ",
    );
    refused(&dir, &["compare.json", "field `seed`", "invalid value"]);
}

#[test]
fn compare_missing_file() {
    let (_t, dir) = copy("compare");
    std::fs::remove_file(dir.join("compare.json")).unwrap();
    refused(&dir, &["compare.json", "missing"]);
}

// A sweep's folder.

#[test]
fn sweep_renamed_csv_header() {
    let (_t, dir) = copy("sweep");
    edit(&dir, "sweep.csv", ",ci_low,", ",lower,");
    refused(
        &dir,
        &["sweep.csv:1:11", "field `ci_low`", "`lower`: renamed?"],
    );
}

#[test]
fn sweep_missing_manifest_key() {
    let (_t, dir) = copy("sweep");
    drop_key(&dir, "manifest.json", "parameters");
    refused(
        &dir,
        &["manifest.json", "field `parameters`", "missing field"],
    );
}

#[test]
fn sweep_wrong_kind() {
    let (_t, dir) = copy("sweep");
    edit(
        &dir,
        "manifest.json",
        "\"kind\": \"sweep\"",
        "\"kind\": \"staff\"",
    );
    refused(
        &dir,
        // Read as a staffing search's folder, it lacks that folder's keys and files.
        &["manifest.json", "missing field", "staff.json"],
    );
}

#[test]
fn sweep_nan() {
    let (_t, dir) = copy("sweep");
    set_cell(&dir, "sweep.csv", "mean", "NaN");
    refused(
        &dir,
        &["sweep.csv:2:10", "field `mean`", "not a finite number"],
    );
}

#[test]
fn sweep_wrong_type() {
    let (_t, dir) = copy("sweep");
    edit(&dir, "manifest.json", "\"points\": 2", "\"points\": [2]");
    refused(&dir, &["manifest.json", "field `points`", "invalid type"]);
}

#[test]
fn sweep_wrong_type_in_a_parameter_cell() {
    let (_t, dir) = copy("sweep");
    set_cell(&dir, "sweep.csv", "point", "first");
    refused(&dir, &["sweep.csv:2:1", "field `point`"]);
}

#[test]
fn sweep_missing_file() {
    let (_t, dir) = copy("sweep");
    std::fs::remove_file(dir.join("sweep.csv")).unwrap();
    refused(&dir, &["sweep.csv", "missing"]);
}

// Round trips: what is written reads back as the same values.

fn json(dir: &Path, file: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

#[test]
fn a_run_reads_back_as_written() {
    let dir = made().join("run");
    let Folder::Run(f) = read::read(&dir).unwrap() else {
        panic!("not a run")
    };
    assert_eq!(
        serde_json::to_value(&f.summary).unwrap(),
        json(&dir, "summary.json")
    );
    let m = json(&dir, "manifest.json");
    assert_eq!(f.manifest.scenario_hash, m["scenario_hash"]);
    assert_eq!(
        f.manifest.seeds,
        serde_json::from_value(m["seeds"].clone()).unwrap()
    );
    assert_eq!(f.manifest.scenario.name, m["scenario"]["name"]);
    // The scorecard as the CSV file and as the summary: the same figures (to the last bit but
    // one: serde_json without its float_roundtrip feature may read a number one unit in the
    // last place off).
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
        (a, b) => a == b,
    };
    for row in &f.summary.scorecard {
        let csv = f.scorecard.iter().find(|r| r.kpi == row.kpi).unwrap();
        for (a, b) in [
            (csv.mean, row.mean),
            (csv.ci_low, row.ci_low),
            (csv.ci_high, row.ci_high),
            (csv.sd, row.sd),
            (csv.required_share, row.required),
        ] {
            assert!(close(a, b), "{} {a:?} {b:?}", row.kpi);
        }
        assert_eq!(csv.replications, Some(row.n));
    }
    assert_eq!(f.scorecard.len(), f.summary.targets.len());
    assert!(!f.hourly.is_empty() && !f.histograms.is_empty());
}

#[test]
fn a_comparison_reads_back_as_written() {
    let dir = made().join("compare");
    let Folder::Compare(f) = read::read(&dir).unwrap() else {
        panic!("not a comparison")
    };
    assert_eq!(
        serde_json::to_value(&f.summary).unwrap(),
        json(&dir, "compare.json")
    );
    let rows: usize = f.summary.comparisons.iter().map(|c| c.rows.len()).sum();
    assert_eq!(f.rows.len(), rows);
    let m = json(&dir, "manifest.json");
    assert_eq!(
        serde_json::to_value(&f.manifest.sources).unwrap(),
        m["sources"]
    );
}

#[test]
fn a_sweep_reads_back_as_written() {
    let dir = made().join("sweep");
    let Folder::Sweep(f) = read::read(&dir).unwrap() else {
        panic!("not a sweep")
    };
    assert_eq!(
        serde_json::to_value(&f.manifest).unwrap(),
        json(&dir, "manifest.json")
    );
    let points: std::collections::BTreeSet<usize> = f.rows.iter().map(|r| r.point).collect();
    assert_eq!(points.len(), f.manifest.points);
    assert!(f.rows.iter().all(|r| r.values.len() == 1));
}

/// Rewrites `file` (JSON) with `change` applied to it.
fn rewrite(dir: &Path, file: &str, change: impl FnOnce(&mut serde_json::Value)) {
    let mut v = json(dir, file);
    change(&mut v);
    std::fs::write(dir.join(file), serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// A seed as a folder before schema_version 6 wrote it: the number itself.
fn numeric(v: &mut serde_json::Value) {
    let n: u64 = v.as_str().expect("a seed string").parse().unwrap();
    *v = n.into();
}

/// Seeds are past 2^53, where R, pandas and JavaScript read numbers inexactly: every JSON file
/// gives them as strings and every CSV file after an `s`. Folders written before, with numbers,
/// still read, to the same seeds.
#[test]
fn seeds_are_strings_and_older_numeric_seeds_still_read() {
    let (_t, dir) = copy("run");
    let m = json(&dir, "manifest.json");
    let master = m["seeds"]["master"]
        .as_str()
        .expect("the master seed, a string");
    assert_eq!(json(&dir, "summary.json")["seed"], master);
    assert_eq!(m["scenario"]["run"]["seed"], master);
    let seeds: Vec<u64> = m["seeds"]["replications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seed"].as_str().expect("a string").parse().unwrap())
        .collect();
    assert!(seeds.iter().any(|s| *s > 1 << 53), "{seeds:?}");
    let csv = std::fs::read_to_string(dir.join("replications.csv")).unwrap();
    for line in csv.lines().skip(1) {
        let cell = line.split(',').nth(1).unwrap();
        let r: usize = line.split(',').next().unwrap().parse().unwrap();
        assert_eq!(cell, format!("s{}", seeds[r]), "{line}");
    }
    let Folder::Run(f) = read::read(&dir).unwrap() else {
        panic!("not a run")
    };
    assert_eq!(f.summary.seed.to_string(), master);
    // As schema_version 5 wrote it.
    rewrite(&dir, "manifest.json", |m| {
        numeric(&mut m["seeds"]["master"]);
        for r in m["seeds"]["replications"].as_array_mut().unwrap() {
            numeric(&mut r["seed"]);
        }
    });
    rewrite(&dir, "summary.json", |s| numeric(&mut s["seed"]));
    let bare: Vec<String> = csv
        .lines()
        .map(|l| match l.split_once(",s") {
            Some((r, rest)) if r.bytes().all(|b| b.is_ascii_digit()) => format!("{r},{rest}"),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(dir.join("replications.csv"), bare.join("\n") + "\n").unwrap();
    let Folder::Run(old) = read::read(&dir).unwrap() else {
        panic!("not a run")
    };
    assert_eq!(old.manifest.seeds, f.manifest.seeds);
    assert_eq!(old.summary.seed, f.summary.seed);
    pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&dir)
        .assert()
        .success();

    let (_t, dir) = copy("compare");
    assert!(json(&dir, "compare.json")["seed"].is_string());
    assert!(json(&dir, "manifest.json")["seed"].is_string());
    rewrite(&dir, "compare.json", |s| numeric(&mut s["seed"]));
    rewrite(&dir, "manifest.json", |m| numeric(&mut m["seed"]));
    assert!(matches!(read::read(&dir), Ok(Folder::Compare(_))));

    // A sweep's manifest named no seed (`null`) when points set their own.
    let (_t, dir) = copy("sweep");
    assert!(json(&dir, "manifest.json")["seed"].is_string());
    rewrite(&dir, "manifest.json", |m| {
        m["seed"] = serde_json::Value::Null
    });
    let jsonl = std::fs::read_to_string(dir.join("sweep.jsonl")).unwrap();
    let old: Vec<String> = jsonl
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            numeric(&mut v["seed"]);
            serde_json::to_string(&v).unwrap()
        })
        .collect();
    std::fs::write(dir.join("sweep.jsonl"), old.join("\n") + "\n").unwrap();
    let Folder::Sweep(f) = read::read(&dir).unwrap() else {
        panic!("not a sweep")
    };
    assert_eq!(f.manifest.seed, None);
}
