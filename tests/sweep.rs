//! Sweeps: an interrupted sweep (a deterministic fault, and a real kill) resumes to the same
//! bytes as an uninterrupted one; a sweep of one point equals `run`; results do not depend on
//! the thread count; bad sweep files and folders are refused with exit code 2.

use crate::common;

use common::{pledgesim, read, small_sweep, sweep, sweep_command, write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn small() -> PathBuf {
    common::shipped("small.toml")
}

/// A sweep file over the small scenario, written into `dir`.
fn sweep_file(dir: &Path, body: &str) -> PathBuf {
    small_sweep(dir, "sweep.toml", body)
}

const GRID: &str = r#"replications = 4
[grid]
"roster.handlers.constant" = { from = 12, to = 15 }
"contact_centre.discipline" = ["priority", "fcfs"]
"#;

#[test]
fn an_interrupted_sweep_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), GRID);
    let whole = dir.path().join("whole");
    sweep(&file, &whole, &[]).success();
    let lines = common::read_text(&whole.join("sweep.jsonl"));
    assert_eq!(lines.lines().count(), 8);

    // Die (abort, as a power cut would) after 3 points.
    let cut = dir.path().join("cut");
    pledgesim()
        .args(["sweep", "--quiet"])
        .arg(&file)
        .arg("--out")
        .arg(&cut)
        .env("PLEDGESIM_ABORT_AFTER_POINTS", "3")
        .assert()
        .failure();
    let partial = common::read_text(&cut.join("sweep.jsonl"));
    assert_eq!(partial.lines().count(), 3);
    // Without --resume the unfinished folder is not thrown away.
    let refused = sweep(&file, &cut, &[]).code(2);
    let stderr = common::stderr(&refused);
    assert!(
        stderr.contains("unfinished sweep") && stderr.contains("--resume"),
        "{stderr}"
    );
    assert_eq!(read(&cut.join("sweep.jsonl")), partial.as_bytes());
    // A half-written point (as a kill mid-write leaves) is dropped and done again.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(cut.join("sweep.csv"))
            .unwrap();
        f.write_all(b"3,priority,13,T1,chan").unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(cut.join("sweep.jsonl"))
            .unwrap();
        f.write_all(b"{\"point\":3,\"param").unwrap();
    }
    let resumed = sweep(&file, &cut, &["--resume"]).success();
    let stdout = common::stdout(&resumed);
    assert!(stdout.contains("resumed at point 3 of 8"), "{stdout}");
    assert_eq!(read(&cut.join("sweep.csv")), read(&whole.join("sweep.csv")));
    assert_eq!(
        read(&cut.join("sweep.jsonl")),
        read(&whole.join("sweep.jsonl"))
    );
    // Resuming a finished sweep does nothing more.
    sweep(&file, &cut, &["--resume"]).success();
    assert_eq!(read(&cut.join("sweep.csv")), read(&whole.join("sweep.csv")));

    // A different sweep file cannot resume this folder.
    let other = sweep_file(dir.path(), &GRID.replace("to = 15", "to = 14"));
    let refused = sweep(&other, &cut, &["--resume"]).code(2);
    let stderr = common::stderr(&refused);
    assert!(stderr.contains("different sweep file"), "{stderr}");
}

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"replications = 6
[grid]
"roster.handlers.constant" = { from = 11, to = 20 }
"run.horizon" = ["2w", "3w"]
"#;
    let file = sweep_file(dir.path(), body);
    let whole = dir.path().join("whole");
    sweep(&file, &whole, &["-j", "2"]).success();

    let cut = dir.path().join("cut");
    let bin = assert_cmd::cargo::cargo_bin("pledgesim");
    let mut child = std::process::Command::new(bin)
        .args(["sweep", "--quiet", "-j", "1"])
        .arg(&file)
        .arg("--out")
        .arg(&cut)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let done = |p: &Path| {
        std::fs::read_to_string(p.join("sweep.jsonl"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    };
    while done(&cut) < 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep finished before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the sweep finished before it could be killed"
    );
    child.kill().unwrap(); // SIGKILL: no chance to tidy up
    child.wait().unwrap();
    let at_kill = done(&cut);
    assert!(at_kill < 20, "{at_kill} of 20 points were done at the kill");
    sweep(&file, &cut, &["--resume", "-j", "2"]).success();
    assert_eq!(read(&cut.join("sweep.csv")), read(&whole.join("sweep.csv")));
    assert_eq!(
        read(&cut.join("sweep.jsonl")),
        read(&whole.join("sweep.jsonl"))
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), GRID);
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    sweep(&file, &one, &["-j", "1"]).success();
    sweep(&file, &two, &["-j", "2"]).success();
    assert_eq!(read(&one.join("sweep.csv")), read(&two.join("sweep.csv")));
}

/// A sweep of one point is `run`: the same figures, row for row.
#[test]
fn a_sweep_of_one_point_equals_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(
        dir.path(),
        "replications = 5\n[[points]]\n\"roster.handlers.constant\" = 13\n",
    );
    let out = dir.path().join("sw");
    sweep(&file, &out, &[]).success();
    let base = std::fs::read_to_string(small())
        .unwrap()
        .replace("constant = 14", "constant = 13");
    let scenario = write(dir.path(), "s13.toml", base);
    let run = dir.path().join("run");
    pledgesim()
        .args(["run", "--quiet", "-r", "5"])
        .arg(&scenario)
        .arg("--out")
        .arg(&run)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&run.join("summary.json"))).unwrap();
    let kpis = summary["kpis"].as_array().unwrap();
    // The JSON record of the point holds the same rows, written the same way.
    let record: serde_json::Value =
        serde_json::from_slice(&read(&out.join("sweep.jsonl"))).unwrap();
    assert_eq!(record["rows"].as_array().unwrap(), kpis);
    // And the CSV has one row per figure, in the same order.
    let mut rdr = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), kpis.len());
    for (row, k) in rows.iter().zip(kpis) {
        assert_eq!(&row[col("statistic")], k["statistic"].as_str().unwrap());
        assert_eq!(&row[col("scope_value")], k["scope_value"].as_str().unwrap());
        assert_eq!(&row[col("p_roster_handlers_constant")], "13");
    }
}

#[test]
fn bad_sweep_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[grid]\n\"roster.handlers.constnt\" = [1, 2]\n", "constnt"),
        (
            "[grid]\n\"roster.handlers.constant\" = [0, 5]\n",
            "sweep point 0",
        ),
        (
            "[grid]\n\"roster.handlers.constant\" = { from = 5, to = 2 }\n",
            "is below `from`",
        ),
        ("[grid]\n\"roster..x\" = [1]\n", "not a field path"),
        ("", "give the points to run"),
        (
            "[grid]\n\"roster.handlers.shifts[3].count\" = [1]\n",
            "no [3]",
        ),
        (
            "replications = 0\n[grid]\n\"run.seed\" = [1]\n",
            "replications",
        ),
        (
            "[grid]\n\"run.seed\" = { from = -9223372036854775808, to = 9223372036854775807 }\n",
            "more than",
        ),
        (
            "[grid]\n\"response.detour\" = { from = -1e308, to = 1e308, step = 1.0 }\n",
            "more than",
        ),
        (
            "seed = 5\n[grid]\n\"run.seed\" = [1, 2]\n",
            "cannot also vary",
        ),
        (
            "[grid]\n\"targets.T7.time\" = [\"2000000000wd\"]\n",
            "at most 10000 working days",
        ),
    ];
    for (body, says) in cases {
        let file = sweep_file(dir.path(), body);
        let out = dir.path().join("out");
        let a = sweep(&file, &out, &[]).code(2);
        let stderr = common::stderr(&a);
        assert!(stderr.contains(says), "{body}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{body}: output left behind");
    }
}

#[test]
fn shipped_sweeps_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sweeps");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let sweep = pledgesim::experiment::sweep::Sweep::load(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!sweep.is_empty());
        n += 1;
    }
    assert!(n >= 1);
}

/// A sweep's identity covers the files its base scenario reads: resuming after a CSV beside
/// the base has changed is refused.
#[test]
fn resume_refuses_a_changed_csv_beside_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for f in ["county-csv-profile.toml", "county-999-profile.csv"] {
        std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
    }
    let file = dir.path().join("sweep.toml");
    std::fs::write(
        &file,
        "base = \"county-csv-profile.toml\"\nreplications = 2\n[grid]\n\"run.horizon\" = [\"2d\"]\n\"run.seed\" = [1, 2, 3]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    sweep_command(&file, &out)
        .env("PLEDGESIM_ABORT_AFTER_POINTS", "1")
        .assert()
        .failure();
    let csv = dir.path().join("county-999-profile.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let last = text.trim_end().rsplit_once(',').unwrap().0.to_string();
    let changed = format!("{last},9\n");
    assert_ne!(changed.trim(), text.trim());
    std::fs::write(&csv, changed.clone()).unwrap();
    let a = sweep(&file, &out, &["--resume"]).code(2);
    let stderr = common::stderr(&a);
    assert!(stderr.contains("different sweep file"), "{stderr}");
}

/// Issue: a path typo (`shift[0]` for `shifts[0]`) was reported at every point as "has 0
/// item(s)". Now the sweep is refused once, before any point runs, naming the unknown field and
/// what it may be.
#[test]
fn a_path_typo_is_one_error_naming_the_unknown_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_sweep(
        dir.path(),
        "typo.toml",
        "replications = 2\n[grid]\n\"roster.handlers.shift[0].count\" = [1, 2, 3]\n",
    );
    let out = dir.path().join("out");
    let a = sweep(&file, &out, &[]).code(2);
    let err = common::stderr(&a);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no field `shift` in roster.handlers") && err.contains("`shifts`"),
        "{err}"
    );
    assert!(!err.contains("item(s)"), "{err}");
    assert!(!out.exists());
}

/// Issue: a sweep that used its base scenario's seed said `"seed": null` in its manifest. Now
/// the manifest names the master seed every point ran from.
#[test]
fn the_manifest_names_the_base_scenarios_seed() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_sweep(
        dir.path(),
        "s.toml",
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [14]\n",
    );
    let out = dir.path().join("out");
    sweep(&file, &out, &[]).success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let base = std::fs::read_to_string(common::shipped("small.toml")).unwrap();
    let seed: u64 = base
        .lines()
        .find_map(|l| l.strip_prefix("seed = "))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    assert_eq!(m["seed"], seed.to_string(), "{m}");

    // Points that set their own seeds: the manifest still names one (the base's), and each
    // point's seed is a string in sweep.jsonl and `s` and its digits in sweep.csv.
    let file = small_sweep(
        dir.path(),
        "seeds.toml",
        "replications = 1\n[grid]\n\"run.seed\" = [9007199254740993, 2]\n",
    );
    let out = dir.path().join("seeds");
    sweep(&file, &out, &[]).success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["seed"], seed.to_string(), "{m}");
    let jsonl = std::fs::read_to_string(out.join("sweep.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["parameters"]["run.seed"], "9007199254740993",
        "{first}"
    );
    assert_eq!(first["seed"], "9007199254740993", "{first}");
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("0,s9007199254740993,"),
        "{csv}"
    );
    // The report shows the seed's digits.
    common::pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("9007199254740993") && !html.contains("s9007199254740993"));
}

/// sweep.csv's parameter columns have names R's read.csv and pandas keep as they are (R's
/// check.names turned `roster.handlers.shifts[0].count` into `roster.handlers.shifts.0..count`),
/// and the manifest maps each column to its path and to the sweep file's label.
#[test]
fn parameter_columns_are_r_safe_and_mapped_to_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(
        dir.path(),
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [13, 14]\n\"contact_centre.discipline\" = [\"fcfs\"]\n[labels]\n\"roster.handlers.constant\" = \"Call handlers on duty\"\n",
    );
    let out = dir.path().join("out");
    sweep(&file, &out, &[]).success();
    let csv = String::from_utf8(read(&out.join("sweep.csv"))).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        &header[..3],
        [
            "point",
            "p_contact_centre_discipline",
            "p_roster_handlers_constant"
        ]
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        m["parameters"],
        serde_json::json!(["contact_centre.discipline", "roster.handlers.constant"])
    );
    assert_eq!(
        m["parameter_columns"],
        serde_json::json!(["p_contact_centre_discipline", "p_roster_handlers_constant"])
    );
    assert_eq!(
        m["parameter_labels"],
        serde_json::json!([null, "Call handlers on duty"])
    );
    assert_eq!(m["point_labels"], serde_json::json!([]));
    assert_eq!(m["schema_version"], pledgesim::output::SCHEMA_VERSION);
    // Each row's values sit under their own columns.
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(&row[..3], ["0", "fcfs", "13"]);
}

/// Points may be named (`label`) and parameters labelled (`[labels]`); a label for a field the
/// sweep does not vary, or a label that is not words, is refused.
#[test]
fn point_and_parameter_labels_are_kept_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(
        dir.path(),
        "replications = 2\n[[points]]\nlabel = \"As now\"\n\"roster.handlers.constant\" = 14\n[[points]]\n\"roster.handlers.constant\" = 16\n",
    );
    let out = dir.path().join("out");
    sweep(&file, &out, &[]).success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        m["parameters"],
        serde_json::json!(["roster.handlers.constant"])
    );
    assert_eq!(m["point_labels"], serde_json::json!(["As now", null]));
    for (body, words) in [
        (
            "[[points]]\n\"roster.handlers.constant\" = 14\n[labels]\n\"roster.handlers.count\" = \"x\"\n",
            "[labels] names \"roster.handlers.count\", which the sweep does not vary",
        ),
        (
            "[[points]]\nlabel = 3\n\"roster.handlers.constant\" = 14\n",
            "`label` names the point",
        ),
    ] {
        let bad = dir.path().join("bad");
        std::fs::create_dir_all(&bad).unwrap();
        let file = small_sweep(&bad, "bad.toml", body);
        let a = sweep(&file, &bad.join("out"), &[]).code(2);
        let err = common::stderr(&a);
        assert!(err.contains(words), "{err}");
    }
}
