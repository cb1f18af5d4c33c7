//! The command line: bad input gets a clear error naming the file, line and field, exit code 2,
//! and no output; good input runs. (Every shipped scenario is run, and its figures checked to
//! the byte, in tests/shipped.rs.)

use crate::common;

use common::{pledgesim, run_cli, run_cli_as, run_command, write};
use predicates::prelude::*;
use std::path::Path;

const GOOD: &str = r#"name = "tiny"
[run]
horizon = "2d"
replications = 3
[demand.emergency]
calls_per_week = 500
handling = { kind = "exponential", mean = "4min" }
[[roster.handlers.shifts]]
start = "00:00"
length = "12h"
count = 2
[[roster.handlers.shifts]]
start = "12:00"
length = "12h"
count = 2
"#;

/// Writes `text` as a scenario in a fresh folder, runs `run` on it, and checks the failure:
/// exit code 2, the message names file:line and the field, and no output folder appears.
fn rejects(name: &str, text: &str, line: usize, field: &str, says: &str) {
    let run = run_cli_as(name, text, &[]);
    run.code(2);
    let (file, stderr) = (&run.file, &run.stderr);
    let location = format!("{}:{line}:", file.display());
    assert!(stderr.contains(&location), "no {location} in: {stderr}");
    assert!(stderr.contains(field), "no field {field} in: {stderr}");
    assert!(stderr.contains(says), "no \"{says}\" in: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!run.out.exists(), "an output folder was left behind");
    let leftovers: Vec<_> = std::fs::read_dir(run.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "stray files: {leftovers:?}");
    // validate says the same, with the same code.
    pledgesim()
        .arg("validate")
        .arg(file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(location));
}

/// `rejects` for s.toml, at the first line holding `needle`.
fn rejected(text: &str, needle: &str, field: &str, says: &str) {
    rejects("s.toml", text, line_of(text, needle), field, says);
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn unknown_field() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_weak = 500");
    rejected(&t, "calls_per_weak", "calls_per_weak", "unknown field");
}

#[test]
fn wrong_type() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_week = \"many\"");
    rejected(&t, "many", "calls_per_week", "invalid type");
}

#[test]
fn negative_rate() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_week = -5");
    rejected(
        &t,
        "-5",
        "demand.emergency.calls_per_week",
        "greater than 0",
    );
}

#[test]
fn zero_rate() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_week = 0");
    rejected(
        &t,
        "calls_per_week",
        "demand.emergency.calls_per_week",
        "greater than 0",
    );
}

#[test]
fn shift_with_no_handlers() {
    let t = GOOD
        .replacen("count = 2", "count = 0", 2)
        .replacen("count = 0", "count = 2", 1);
    rejected(
        &t,
        "count = 0",
        "roster.handlers.shifts[1].count",
        "at least 1 handler",
    );
}

#[test]
fn profile_of_the_wrong_length() {
    let t = GOOD.replace(
        "calls_per_week = 500",
        "calls_per_week = 500\nhourly = [1, 2, 3]",
    );
    rejected(&t, "hourly", "demand.emergency.hourly", "exactly 24");
}

#[test]
fn missing_csv_file() {
    let t = GOOD.replace(
        "calls_per_week = 500",
        "calls_per_week = 500\nprofile_file = \"nope.csv\"",
    );
    rejected(
        &t,
        "profile_file",
        "demand.emergency.profile_file",
        "does not exist",
    );
}

#[test]
fn zero_replications() {
    let t = GOOD.replace("replications = 3", "replications = 0");
    rejected(&t, "replications", "run.replications", "from 1");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", GOOD);
    pledgesim()
        .arg("run")
        .arg(&file)
        .args(["--replications", "0", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--replications"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn bad_duration_unit() {
    let t = GOOD.replace("\"4min\"", "\"4 fortnights\"");
    rejected(&t, "fortnights", "handling", "unit");
}

#[test]
fn bad_value_in_a_csv_file_names_the_csv_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("hour_of_week,weight\n");
    for h in 0..168 {
        csv.push_str(&format!("{h},{}\n", if h == 40 { "lots" } else { "1" }));
    }
    std::fs::write(dir.path().join("profile.csv"), csv).unwrap();
    let t = GOOD.replace(
        "calls_per_week = 500",
        "calls_per_week = 500\nprofile_file = \"profile.csv\"",
    );
    let file = write(dir.path(), "s.toml", t);
    let csv_path = dir.path().join("profile.csv");
    pledgesim()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:42:1: field `weight`",
            csv_path.display()
        )));
}

#[test]
fn json_errors_name_line_and_field() {
    let json = r#"{
  "name": "tiny",
  "demand": {
    "emergency": {
      "calls_per_week": -1,
      "handling": { "kind": "exponential", "mean": "4min" }
    }
  },
  "roster": { "handlers": { "constant": 2 } }
}
"#;
    rejects(
        "s.json",
        json,
        5,
        "demand.emergency.calls_per_week",
        "greater than 0",
    );
}

#[test]
fn several_errors_are_all_reported() {
    let t = GOOD
        .replace("calls_per_week = 500", "calls_per_week = -1")
        .replace("replications = 3", "replications = 0");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", t);
    pledgesim()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("calls_per_week")
                .and(predicate::str::contains("run.replications")),
        );
}

#[test]
fn missing_scenario_file() {
    pledgesim()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.toml"));
}

#[test]
fn a_folder_that_is_not_an_output_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", GOOD);
    let precious = dir.path().join("mine");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "years of work").unwrap();
    run_command(&file, &precious)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a pledgesim output"));
    assert_eq!(
        std::fs::read_to_string(precious.join("thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn run_writes_the_contract_and_replaces_an_earlier_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", GOOD);
    let out = dir.path().join("out");
    for _ in 0..2 {
        run_command(&file, &out)
            .assert()
            .success()
            .stdout(predicate::str::contains("T1").and(predicate::str::contains("95% CI")));
    }
    for f in [
        "manifest.json",
        "summary.json",
        "scorecard.csv",
        "hourly.csv",
        "histograms.csv",
        "replications.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "run");
    assert_eq!(
        manifest["seeds"]["replications"].as_array().unwrap().len(),
        3
    );
    assert_eq!(manifest["scenario_hash"].as_str().unwrap().len(), 64);
    assert!(manifest["crates"]["rand"].is_string());
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries.len(),
        2,
        "temporary folders left behind: {entries:?}"
    );
}

#[test]
fn overload_without_patience_is_refused_or_runs_with_a_warning_when_insisted_on() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_week = 8000");
    let run = run_cli(&t, &[]);
    run.code(2);
    assert!(
        run.stderr
            .contains("pass --allow-overload to run it anyway"),
        "{}",
        run.stderr
    );
    let run = run_cli(&t, &["--allow-overload"]);
    run.success();
    assert!(
        run.stderr.contains("queues will not settle"),
        "{}",
        run.stderr
    );
}

#[test]
fn presets_lists_every_preset() {
    pledgesim().arg("presets").assert().success().stdout(
        predicate::str::contains("met-2009")
            .and(predicate::str::contains("hertfordshire"))
            .and(predicate::str::contains("15min urban, 20min rural")),
    );
}

#[test]
fn the_default_scenario_runs_with_no_arguments() {
    let dir = tempfile::tempdir().unwrap();
    pledgesim()
        .current_dir(dir.path())
        .args(["run", "--replications", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("county-default"));
    assert!(
        dir.path()
            .join("outputs/county-default/summary.json")
            .is_file()
    );
}

/// The same scenario and seed give the same bytes in every file (the manifest's timing apart)
/// whether the process runs with RAYON_NUM_THREADS=1 or 8.
#[test]
fn same_bytes_with_one_or_eight_rayon_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "s.toml",
        GOOD.replace("replications = 3", "replications = 12"),
    );
    let mut outputs = Vec::new();
    for threads in ["1", "8"] {
        let out = dir.path().join(format!("out{threads}"));
        pledgesim()
            .env("RAYON_NUM_THREADS", threads)
            .arg("run")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        outputs.push(out);
    }
    let manifest = |d: &Path| {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("manifest.json")).unwrap())
                .unwrap();
        assert!(v["timing"]["threads"].as_u64().is_some());
        v.as_object_mut().unwrap().remove("timing");
        v
    };
    assert_eq!(manifest(&outputs[0]), manifest(&outputs[1]));
    for f in [
        "summary.json",
        "scorecard.csv",
        "hourly.csv",
        "histograms.csv",
        "replications.csv",
    ] {
        let a = std::fs::read(outputs[0].join(f)).unwrap();
        let b = std::fs::read(outputs[1].join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 8 threads");
    }
}

const FIELD: &str = r#"name = "field"
[run]
horizon = "2d"
replications = 2
[demand.emergency]
calls_per_week = 500
handling = { kind = "exponential", mean = "4min" }
[roster.handlers]
constant = 3
[response]
speed_kmh = { urban = { I = 40, S = 30 }, rural = { I = 70, S = 50 } }
on_scene = { I = { kind = "exponential", mean = "40min" }, S = { kind = "exponential", mean = "30min" } }
grading = { emergency = { I = 0.3, S = 0.3, R = 0.4 } }
[[sectors]]
name = "north"
[[sectors]]
name = "south"
[[wards]]
name = "A"
type = "urban"
area_km2 = 3
x = 0
y = 0
sector = "north"
[[wards]]
name = "B"
type = "rural"
area_km2 = 40
x = 0
y = -8
sector = "south"
[roster.units.constant]
north = 2
south = 1
"#;

#[test]
fn a_field_scenario_runs() {
    let run = run_cli(FIELD, &[]);
    run.success();
    assert!(
        run.stdout.contains("T3") && run.stdout.contains("T4"),
        "{}",
        run.stdout
    );
    let wards = run.output("wards.csv");
    assert!(
        wards
            .lines()
            .next()
            .unwrap()
            .starts_with("kpi,scope,scope_value,sector,ward_type")
    );
    assert!(wards.contains("T3,ward,B,south,rural,call,share_within"));
}

#[test]
fn ward_naming_an_unknown_sector() {
    let t = FIELD.replace("sector = \"south\"\n[roster", "sector = \"west\"\n[roster");
    rejected(&t, "\"west\"", "wards[1].sector", "unknown sector \"west\"");
}

#[test]
fn sector_with_demand_but_no_units() {
    let t = FIELD.replace("south = 1\n", "");
    // Located at the sector's [[sectors]] header, the line above its name.
    rejects(
        "s.toml",
        &t,
        line_of(&t, "name = \"south\"") - 1,
        "sectors[1]",
        "no response units at any hour",
    );
}

#[test]
fn negative_ward_area() {
    let t = FIELD.replace("area_km2 = 40", "area_km2 = -40");
    rejected(&t, "-40", "wards[1].area_km2", "greater than 0");
}

#[test]
fn zero_speed() {
    let t = FIELD.replace("rural = { I = 70", "rural = { I = 0");
    rejected(
        &t,
        "speed_kmh",
        "response.speed_kmh.rural.I",
        "greater than 0",
    );
}

#[test]
fn grade_shares_not_summing_to_one() {
    let t = FIELD.replace("R = 0.4", "R = 0.3");
    rejected(&t, "grading", "response.grading.emergency", "must sum to 1");
}

#[test]
fn scheduled_demand_without_appointment_sessions() {
    let t = FIELD.replace("R = 0.4", "E = 0.1, R = 0.3");
    rejects(
        "s.toml",
        &t,
        line_of(&t, "name = \"north\"") - 1,
        "sectors[0]",
        "no [[roster.appointments]]",
    );
}

#[test]
fn unit_shifts_from_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "sector,name,start,length,days,count,crew\nnorth,early,07:00,12h,all,2,2\nnorth,night,19:00,12h,all,1,2\nsouth,day,08:00,12h,weekdays,1,1\nsouth,night,20:00,12h,,1,1\n";
    std::fs::write(dir.path().join("units.csv"), csv).unwrap();
    let t = FIELD.replace(
        "[roster.units.constant]\nnorth = 2\nsouth = 1\n",
        "[roster.units]\nshifts_file = \"units.csv\"\n",
    );
    let file = write(dir.path(), "s.toml", &t);
    pledgesim().arg("validate").arg(&file).assert().success();
    run_command(&file, &dir.path().join("out"))
        .assert()
        .success();
    // A bad row: its CSV line is named, and the error is located at shifts_file.
    std::fs::write(
        dir.path().join("units.csv"),
        csv.replace("south,night", "west,night"),
    )
    .unwrap();
    pledgesim()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!(
                "{}:{}:",
                file.display(),
                line_of(&t, "shifts_file")
            ))
            .and(predicate::str::contains(
                "units.csv line 5: unknown sector \"west\"",
            )),
        );
}

#[test]
fn bad_ward_shapes() {
    let t = FIELD.replace("area_km2 = 40\n", "shape = [[0.0, 0.0], [1.0, 1.0]]\n");
    rejected(&t, "shape =", "wards[1].shape", "at least 3 points");
    let t = FIELD.replace(
        "area_km2 = 40\n",
        "area_km2 = 40\nshape = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]\n",
    );
    rejected(
        &t,
        "area_km2 = 40",
        "wards[1].area_km2",
        "does not match the shape's area (16.000)",
    );
}

#[test]
fn sector_without_wards() {
    let t = FIELD.replace(
        "[[sectors]]\nname = \"south\"",
        "[[sectors]]\nname = \"south\"\n[[sectors]]\nname = \"east\"",
    );
    rejects(
        "s.toml",
        &t,
        line_of(&t, "name = \"east\"") - 1,
        "sectors[2]",
        "has no wards",
    );
}

#[test]
fn non_finite_positions() {
    let t = FIELD.replace(
        "[[sectors]]\nname = \"south\"",
        "[[sectors]]\nname = \"south\"\nbase = [nan, 0.0]",
    );
    rejected(&t, "nan", "sectors[1].base", "finite");
    let t = FIELD.replace("x = 0\ny = -8", "x = inf\ny = -8");
    rejects(
        "s.toml",
        &t,
        line_of(&t, "x = inf") - 4,
        "wards[1]",
        "finite",
    );
}

#[test]
fn attendance_targets_need_elapsed_times() {
    let t = FIELD.replace(
        "[demand.emergency]",
        "[targets.T5]\ntime = \"2wd\"\n[demand.emergency]",
    );
    rejected(&t, "2wd", "targets.T5.time", "elapsed time");
}

/// Handler shifts read from CSV are the same roster as written inline: byte-identical results.
#[test]
fn handler_shifts_from_csv_equal_the_same_shifts_inline() {
    let dir = tempfile::tempdir().unwrap();
    let inline = r#"name = "roster"
[run]
horizon = "1w"
replications = 3
[demand.emergency]
calls_per_week = 2000
handling = { kind = "exponential", mean = "4min" }
[[roster.handlers.shifts]]
name = "day"
start = "07:00"
length = "12h"
days = ["weekdays"]
count = 4
dedicated_999 = 1
breaks = [{ after = "4h", length = "30min", stagger = "10min" }]
[[roster.handlers.shifts]]
name = "night"
start = "19:00"
length = "12h"
count = 3
[[roster.handlers.shifts]]
name = "weekend"
start = "07:00"
length = "12h"
days = ["weekend"]
count = 3
"#;
    let from_csv = r#"name = "roster"
[run]
horizon = "1w"
replications = 3
[demand.emergency]
calls_per_week = 2000
handling = { kind = "exponential", mean = "4min" }
[roster.handlers]
shifts_file = "handlers.csv"
"#;
    let csv = "name,start,length,days,count,dedicated_999,break_after,break_length,break_stagger\nday,07:00,12h,weekdays,4,1,4h,30min,10min\nnight,19:00,12h,,3,,,,\nweekend,07:00,12h,weekend,3,0,,,\n";
    std::fs::write(dir.path().join("handlers.csv"), csv).unwrap();
    let mut outs = Vec::new();
    for (name, text) in [("inline.toml", inline), ("csv.toml", from_csv)] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        run_command(&file, &out).assert().success();
        outs.push(std::fs::read(out.join("summary.json")).unwrap());
    }
    assert!(outs[0] == outs[1], "the CSV roster gives different results");
    // A bad row names its line.
    std::fs::write(
        dir.path().join("handlers.csv"),
        csv.replace("night,19:00,12h,,3", "night,19:00,12h,,0"),
    )
    .unwrap();
    pledgesim()
        .arg("validate")
        .arg(dir.path().join("csv.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("roster.handlers.shifts_file").and(
            predicate::str::contains("handlers.csv line 3: a shift needs at least 1 handler"),
        ));
}

#[test]
fn absurd_volume() {
    let t = GOOD.replace("calls_per_week = 500", "calls_per_week = 1e12");
    rejected(
        &t,
        "1e12",
        "demand.emergency.calls_per_week",
        "at most the equivalent of 10000000 calls a week",
    );
}

/// The scorecard lists all fourteen targets of the preset: measured, or not in this scenario,
/// or not in this pledge.
#[test]
fn the_scorecard_lists_every_target() {
    let run = run_cli(GOOD, &[]);
    run.success();
    assert!(
        run.stdout.contains("T14") && run.stdout.contains("not in this scenario"),
        "{}",
        run.stdout
    );
    let csv = run.output("scorecard.csv");
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, (1..=14).map(|i| format!("T{i}")).collect::<Vec<_>>());
    assert!(csv.contains("T3,emergency attendance within,,,,,,,,,,,,,not in this scenario"));
    assert!(
        csv.contains("T11,reply to a contact about services within,,,,,,,,,,,,,not in this pledge")
    );
    let summary: serde_json::Value = serde_json::from_str(&run.output("summary.json")).unwrap();
    let targets = summary["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 14);
    assert_eq!(targets[2]["status"], "not in this scenario");
}

/// A folder that merely holds a file called manifest.json, or anything besides an output's
/// files, is never replaced; the current folder is refused before any work.
#[test]
fn only_a_pure_pledgesim_output_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", GOOD);
    let proj = dir.path().join("proj");
    std::fs::create_dir_all(proj.join("src")).unwrap();
    std::fs::write(proj.join("manifest.json"), r#"{"manifest_version": 3}"#).unwrap();
    std::fs::write(proj.join("src/main.js"), "x").unwrap();
    run_command(&file, &proj).assert().code(2);
    assert!(proj.join("src/main.js").is_file());
    // A real output with a file of the user's added is not replaced either.
    let out = dir.path().join("out");
    run_command(&file, &out).assert().success();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    run_command(&file, &out).assert().code(2);
    assert!(out.join("notes.txt").is_file());
    // The current folder.
    pledgesim()
        .current_dir(dir.path())
        .arg("run")
        .arg(&file)
        .args(["--out", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("current folder"));
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "temporary folders left: {stray:?}");
}

#[test]
fn too_many_replications() {
    let t = GOOD.replace("replications = 3", "replications = 100001");
    rejected(&t, "100001", "run.replications", "from 1 to 100000");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", GOOD);
    pledgesim()
        .arg("run")
        .arg(&file)
        .args(["-r", "4000000000"])
        .assert()
        .code(2);
}

#[test]
fn non_emergency_calls_with_only_999_handlers() {
    let t = GOOD.replace("[[roster.handlers.shifts]]\nstart = \"00:00\"", "[demand.non_emergency]\ncalls_per_week = 100\nhandling = { kind = \"exponential\", mean = \"4min\" }\n[[roster.handlers.shifts]]\nstart = \"00:00\"")
        .replace("count = 2\n", "count = 2\ndedicated_999 = 2\n");
    rejected(
        &t,
        "[[roster.handlers.shifts]]",
        "roster.handlers",
        "no one would answer the non-emergency calls",
    );
}

/// One replication: no interval, so the interval columns are empty, not 0 and 1.
#[test]
fn one_replication_leaves_intervals_empty() {
    let csv = run_cli(GOOD, &["-r", "1"])
        .success()
        .output("scorecard.csv");
    let t1 = csv.lines().nth(1).unwrap();
    let f: Vec<&str> = t1.split(',').collect();
    assert_eq!((f[9], f[10], f[11], f[14]), ("", "", "", "unknown"), "{t1}");
}

/// A profile table's rows are placed by their `hour` column, in whatever order they come.
#[test]
fn profile_rows_are_placed_by_their_hour() {
    let dir = tempfile::tempdir().unwrap();
    let mut forward = String::from("hour,mon,tue,wed,thu,fri,sat,sun\n");
    for h in 0..24 {
        forward.push_str(&format!("{h},{},1,1,1,1,1,2\n", h + 1));
    }
    let mut lines: Vec<&str> = forward.lines().skip(1).collect();
    lines.reverse();
    let backward = format!("hour,mon,tue,wed,thu,fri,sat,sun\n{}\n", lines.join("\n"));
    let mut loaded = Vec::new();
    for (name, csv) in [("f.csv", &forward), ("b.csv", &backward)] {
        std::fs::write(dir.path().join(name), csv).unwrap();
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(
            &file,
            GOOD.replace(
                "calls_per_week = 500",
                &format!("calls_per_week = 500\nprofile_file = \"{name}\""),
            ),
        )
        .unwrap();
        loaded.push(
            serde_json::to_string(&pledgesim::Scenario::load(&file).unwrap().channels[0].arrivals)
                .unwrap(),
        );
    }
    assert_eq!(loaded[0], loaded[1]);
    std::fs::write(dir.path().join("f.csv"), forward.replace("\n5,", "\n4,")).unwrap();
    pledgesim()
        .arg("validate")
        .arg(dir.path().join("f.csv.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hour 4 appears twice"));
}

/// An error in a fixed call names the call as written, whatever the time order.
#[test]
fn fixed_call_errors_name_the_call_as_written() {
    let t = FIELD.replace(
        "calls_per_week = 500\n",
        "calls = [\n  { at = \"2min\", grade = \"I\" },\n  { at = \"1min\", grade = \"Q\" },\n]\n",
    );
    rejected(
        &t,
        "\"Q\"",
        "demand.emergency.calls[1].grade",
        "unknown grade \"Q\"",
    );
}

/// Errors inside nested tables name the field's full path and its line, in JSON and in TOML
/// inline tables, and say what is allowed.
#[test]
fn errors_inside_nested_tables_name_the_field_path() {
    let json = r#"{
  "name": "j",
  "demand": {
    "emergency": {
      "calls_per_week": 100,
      "handling": { "kind": "lognormal", "mean": "4min", "sd": 3 }
    }
  },
  "roster": { "handlers": { "constant": 2 } }
}
"#;
    rejects(
        "s.json",
        json,
        6,
        "demand.emergency.handling",
        "expected a number with a unit",
    );
    let t = GOOD.replace(
        "handling = { kind = \"exponential\", mean = \"4min\" }",
        "handling = { kind = \"lognormal\", mean = \"4min\", sdd = \"3min\" }",
    );
    rejected(
        &t,
        "sdd",
        "demand.emergency.handling",
        "unknown field `sdd`",
    );
}

/// The exit codes, one rule for every command (src/error.rs): 0 for success, warnings
/// included; 2 for anything the user gave that is wrong or missing, or that pledgesim refuses;
/// 1 for failures of the machine.
#[test]
fn exit_code_0_is_success_even_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let over = GOOD.replace("calls_per_week = 500", "calls_per_week = 8000");
    let file = write(dir.path(), "over.toml", over);
    let a = pledgesim().arg("validate").arg(&file).assert().success();
    let stderr = common::stderr(&a);
    assert!(stderr.starts_with("warning: "), "{stderr}");
    assert!(common::stdout(&a).contains("valid"));
}

#[test]
fn exit_code_2_is_the_users_input_a_missing_or_unreadable_scenario_included() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let good = write(dir.path(), "good.toml", GOOD);
    let out = dir.path().join("out");
    let o = out.clone();
    let p = |s: &str| std::path::PathBuf::from(s);
    for args in [
        vec![p("validate"), missing.clone()],
        vec![p("report"), missing.clone(), p("--no-pdf")],
        vec![p("run"), missing.clone(), p("--out"), o.clone()],
        vec![
            p("compare"),
            good.clone(),
            missing.clone(),
            p("-o"),
            o.clone(),
        ],
        vec![p("staff"), missing.clone(), p("-o"), o.clone()],
        vec![p("sweep"), missing.clone(), p("-o"), o.clone()],
        // A folder given as the scenario cannot be read as one.
        vec![p("run"), dir.path().to_path_buf(), p("-o"), o.clone()],
    ] {
        let a = pledgesim().args(&args).assert().code(2);
        let stderr = common::stderr(&a);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?}");
    }
    // A shard of a sweep whose files are missing, given to merge.
    let sweep = common::small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 14]\n",
    );
    let shards: Vec<_> = (0..2)
        .map(|k| dir.path().join(format!("shard{k}")))
        .collect();
    for (k, s) in shards.iter().enumerate() {
        common::sweep(&sweep, s, &["--shard", &format!("{k}/2")]).success();
    }
    std::fs::remove_file(shards[1].join("sweep.csv")).unwrap();
    let a = pledgesim()
        .args(["merge", "-o"])
        .arg(&out)
        .args(&shards)
        .assert()
        .code(2);
    let stderr = common::stderr(&a);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("sweep.csv: cannot read it"),
        "{stderr}"
    );
    assert!(!out.exists());
    let a = pledgesim().arg("validate").arg(&missing).assert().code(2);
    assert!(
        common::stderr(&a).contains("missing.toml: cannot read the scenario file"),
        "{}",
        common::stderr(&a)
    );
}

#[test]
fn exit_code_1_is_the_machines_failure() {
    // A full disk: /dev/full takes no bytes.
    if !Path::new("/dev/full").exists() {
        return;
    }
    let a = pledgesim()
        .args(["new", "--force", "/dev/full"])
        .assert()
        .code(1);
    let stderr = common::stderr(&a);
    assert!(stderr.starts_with("error: /dev/full: "), "{stderr}");
}

/// Issue: response units busy all their time and appointment sessions with a quarter of the
/// slots asked for ran without a word. Now each is warned of, in words, on screen and in
/// summary.json (typed, with its resource), and hours are named as people say them.
#[test]
fn saturated_units_and_too_few_appointment_slots_are_both_warned_of() {
    let default = std::fs::read_to_string(common::shipped("default.toml")).unwrap();
    let mut text = String::new();
    let mut lines = default.lines().peekable();
    while let Some(line) = lines.next() {
        // At most one unit a shift, and one appointment officer a session.
        let next_is_crew = lines.peek().is_some_and(|l| l.starts_with("crew"));
        if line.starts_with("count = ") && next_is_crew {
            text.push_str("count = 1\n");
        } else if line.starts_with("officers = 180") {
            // Six response officers a district: one a group of the six-week rota.
            text.push_str("officers = 6\n");
        } else if line.starts_with("officers = ") {
            text.push_str("officers = 1\n");
        } else if line.starts_with("minimum = ") {
            // No minimum strength: six officers could never keep the default's 24.
        } else if line.starts_with("horizon = ") {
            text.push_str("horizon = \"1w\"\n");
        } else if line.starts_with("replications = ") {
            text.push_str("replications = 2\n");
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    let run = run_cli(&text, &["--quiet"]);
    run.success();
    assert!(
        run.stderr
            .contains("warning: appointment sessions offer 224 slots a week for about "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: response units were busy "),
        "{}",
        run.stderr
    );
    let summary: serde_json::Value = serde_json::from_str(&run.output("summary.json")).unwrap();
    assert_eq!(summary["schema_version"], pledgesim::output::SCHEMA_VERSION);
    let kinds: Vec<&str> = summary["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"appointments_short"), "{kinds:?}");
    assert!(kinds.contains(&"units_saturated"), "{kinds:?}");
    let appts = summary["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "appointments_short")
        .unwrap();
    assert_eq!(appts["resource"], "appointment_sessions");
    assert_eq!(appts["capacity"], 224.0);
    assert!(appts["load"].as_f64().unwrap() > 224.0 * 3.0);
    // The same words in summary.json's warnings.
    assert_eq!(
        summary["warnings"].as_array().unwrap().len(),
        summary["warning_details"].as_array().unwrap().len()
    );
}

/// Issue: "queues will not settle" was said of a stable queue with abandonment. Callers who
/// hang up keep a queue stable at any load (Erlang A): 8 handlers offered 9.6 Erlangs with
/// patience get no warning; without patience the same load is refused, and warned of when
/// run with --allow-overload.
#[test]
fn a_stable_queue_with_abandonment_is_not_warned_of() {
    let erlang_a = r#"name = "erlang-a"
[run]
horizon = "2d"
replications = 2
[demand.emergency]
calls_per_week = 24192
handling = { kind = "exponential", mean = "4min" }
patience = { kind = "exponential", mean = "180s" }
[roster.handlers]
constant = 8
"#;
    let run = run_cli(erlang_a, &["--quiet"]);
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let without = erlang_a.replace(
        "patience = { kind = \"exponential\", mean = \"180s\" }\n",
        "",
    );
    run_cli(&without, &["--quiet"]).code(2);
    let run = run_cli(&without, &["--quiet", "--allow-overload"]);
    run.success();
    assert!(
        run.stderr.contains("queues will not settle"),
        "{}",
        run.stderr
    );
}

/// Issue: parse-stage errors came one at a time. A file with a wrong type, an unknown field and
/// a bad unit reports all three, each with its line, in line order; a syntax error its line and
/// column.
#[test]
fn every_mistake_in_a_file_is_listed_at_once_with_its_line() {
    let text = GOOD
        .replace(
            "calls_per_week = 500",
            "calls_per_week = \"lots\"\ncolour = \"blue\"",
        )
        .replace("mean = \"4min\"", "mean = \"4 fortnights\"");
    let run = run_cli(&text, &[]);
    run.code(2);
    let file = run.file.display().to_string();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with(&format!("error: {file}:6:"))
            && lines[0].contains("calls_per_week")
            && lines[0].contains("invalid type"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!("error: {file}:7:"))
            && lines[1].contains("unknown field `colour`"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!("error: {file}:8:"))
            && lines[2].contains("unknown unit \"fortnights\""),
        "{}",
        lines[2]
    );
    assert!(!run.out.exists());
    // A syntax error: its line and column.
    let run = run_cli("name = \"x\"\n[run\n", &[]);
    run.code(2);
    assert!(
        run.stderr.contains(&format!("{}:2:5:", run.file.display())),
        "{}",
        run.stderr
    );
}

/// Above a hundred problems, the first hundred and how many more.
#[test]
fn more_than_a_hundred_mistakes_are_counted_after_the_first_hundred() {
    let mut text = GOOD.to_string();
    let extra: String = (0..105).map(|i| format!("typo_{i:03} = 1\n")).collect();
    text.insert_str(0, &extra);
    let run = run_cli(&text, &[]);
    run.code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 101, "{}", run.stderr);
    assert_eq!(lines[100], "error: and 5 more");
    assert!(lines[0].contains("typo_000") && lines[99].contains("typo_099"));
}

/// The traps a new user falls into get a message that says what to do.
#[test]
fn the_known_traps_get_helpful_messages() {
    let run = run_cli("# my scenario\n", &[]);
    run.code(2);
    assert!(
        run.stderr.contains("the scenario file is empty") && run.stderr.contains("pledgesim new"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("missing field `demand`"),
        "{}",
        run.stderr
    );
    // Demand but no roster: named as the missing section, not as a field of the demand.
    let demand_only = "[demand.emergency]\ncalls_per_week = 500\nhandling = { kind = \"exponential\", mean = \"4min\" }\n";
    let run = run_cli(demand_only, &[]);
    run.code(2);
    assert!(!run.stderr.contains("demand.emergency"), "{}", run.stderr);
    assert!(
        run.stderr.contains("missing field `roster`") && run.stderr.contains("[roster.handlers]"),
        "{}",
        run.stderr
    );
    // A top-level key written below a table.
    let run = run_cli(&format!("{GOOD}wards_file = \"w.csv\"\n"), &[]);
    run.code(2);
    assert!(
        run.stderr.contains("`wards_file` is a top-level key")
            && run.stderr.contains("above the first [table] header"),
        "{}",
        run.stderr
    );
}
