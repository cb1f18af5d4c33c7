//! Trace replay (`[demand.replay]`): a run's own records replayed with the same seed give that
//! run's figures back exactly, with or without the log's durations; replayed against another
//! roster, the figures that do not depend on staffing stay identical; bad replay input names
//! the file and line, exits 2 and writes nothing.
//!
//! Why exact: the records give every first attempt's time (integer milliseconds), ward, grade
//! and category, and every draw the model makes for a call is still made, one per call, from
//! the same stream as in the run that wrote the records. So what the records do not hold (the
//! caller's patience, the point within the ward, two units, the CAD lead-in, travel factors,
//! redials and silent calls) comes out the same for the same seed; with another seed it does
//! not, and the figures then differ by that randomness only.

use crate::common;

use common::{pledgesim, read_text, run_command, shipped, stderr, write};
use std::path::{Path, PathBuf};

/// county-district and its ward file copied into `dir`, with `edit` applied to its text.
fn county(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    std::fs::copy(
        shipped("county-district-wards.csv"),
        dir.join("county-district-wards.csv"),
    )
    .unwrap();
    let text = read_text(&shipped("county-district.toml"));
    write(dir, name, edit(text))
}

/// The scenario replaying `log`, with or without its durations.
fn with_replay(text: String, log: &str, durations: bool) -> String {
    text.replacen(
        "[demand.emergency]",
        &format!("[demand.replay]\nfile = {log:?}\ndurations = {durations}\n\n[demand.emergency]"),
        1,
    )
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(&out.join("summary.json"))).unwrap()
}

/// Every overall figure, keyed, with its mean (null where undefined).
fn kpis(s: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    s["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {} {} {} {}",
                    r["kpi"], r["scope"], r["scope_value"], r["clock"], r["statistic"]
                ),
                r["mean"].clone(),
            )
        })
        .collect()
}

fn run(file: &Path, out: &Path, extra: &[&str]) {
    run_command(file, out)
        .args(["--quiet", "-r", "2", "-j", "2"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn replaying_a_runs_own_records_gives_its_figures_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = county(d, "county.toml", |t| t);
    let original = d.join("original");
    run(&base, &original, &["--records", "gz"]);
    std::fs::copy(original.join("calls.csv.gz"), d.join("calls.csv.gz")).unwrap();
    let want = kpis(&summary(&original));
    assert!(want.len() > 200, "only {} figures", want.len());

    for durations in [true, false] {
        let file = county(d, &format!("replay-{durations}.toml"), |t| {
            with_replay(t, "calls.csv.gz", durations)
        });
        let out = d.join(format!("replayed-{durations}"));
        run(&file, &out, &[]);
        let s = summary(&out);
        let got = kpis(&s);
        assert_eq!(got.len(), want.len());
        for ((k, a), (_, b)) in want.iter().zip(&got) {
            assert_eq!(a, b, "{k} (durations = {durations})");
        }
        // Every figure per replication and per hour, byte for byte.
        for f in [
            "replications.csv",
            "hourly.csv",
            "wards.csv",
            "histograms.csv",
        ] {
            assert_eq!(
                read_text(&original.join(f)),
                read_text(&out.join(f)),
                "{f} (durations = {durations})"
            );
        }
        // The log's own figures are the run's, and so are the replayed ones.
        let r = &s["replay"];
        assert_eq!(r["log_replications"], 2);
        assert_eq!(r["durations"], durations);
        let figures = r["figures"].as_array().unwrap();
        assert_eq!(figures.len(), 6, "T1, T2 (share and abandonment), T3, T4");
        for f in figures {
            assert!(f["observed"].is_f64(), "{f}");
            assert_eq!(f["observed"], f["replayed"], "{f}");
        }
        if durations {
            assert!(r["handling_given"].as_u64().unwrap() > 50_000, "{r}");
            assert!(r["on_scene_given"].as_u64().unwrap() > 5_000, "{r}");
        } else {
            assert_eq!(r["handling_given"], 0);
        }
        let skipped: Vec<&str> = r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["reason"].as_str().unwrap())
            .collect();
        assert!(
            skipped.iter().any(|k| k.starts_with("redials")),
            "{skipped:?}"
        );
        assert!(
            skipped.iter().any(|k| k.starts_with("silent")),
            "{skipped:?}"
        );
    }

    // Another seed: the same calls, but the caller's patience and the rest drawn afresh.
    let file = county(d, "replay-seed.toml", |t| {
        with_replay(t, "calls.csv.gz", true)
    });
    let out = d.join("other-seed");
    run(&file, &out, &["-s", "99"]);
    let got = kpis(&summary(&out));
    let same = |name: &str| {
        let k = want.iter().position(|(k, _)| k.contains(name)).unwrap();
        want[k].1 == got[k].1
    };
    assert!(same(
        "\"T2\" \"channel\" \"non-emergency\" \"call\" \"offered_calls\""
    ));
    assert!(!same(
        "\"T1\" \"channel\" \"999\" \"call\" \"share_within\""
    ));
}

#[test]
fn a_changed_roster_leaves_the_calls_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = county(d, "county.toml", |t| t);
    let original = d.join("original");
    run(&base, &original, &["--records"]);
    std::fs::copy(original.join("calls.csv"), d.join("calls.csv")).unwrap();
    // One handler fewer on the busiest shift.
    let fewer = |t: String| {
        let t = with_replay(t, "calls.csv", true);
        let at = t.find("[[roster.handlers.shifts]]").unwrap();
        let (head, tail) = t.split_at(at);
        format!("{head}{}", tail.replacen("count = 3", "count = 2", 1))
    };
    let file = county(d, "fewer.toml", fewer);
    let out = d.join("fewer");
    run(&file, &out, &[]);
    let want = kpis(&summary(&original));
    let got = kpis(&summary(&out));
    let get = |v: &[(String, serde_json::Value)], name: &str| {
        v.iter()
            .find(|(k, _)| k == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
            .clone()
    };
    // Not staffing's: callers, non-emergency calls (no redials), silent calls.
    for name in [
        "\"T1\" \"channel\" \"999\" \"call\" \"callers\"",
        "\"T2\" \"channel\" \"non-emergency\" \"call\" \"offered_calls\"",
        "\"silent_calls\" \"channel\" \"999\" \"\" \"offered_calls\"",
    ] {
        assert_eq!(get(&want, name), get(&got, name), "{name}");
    }
    // Staffing's: the answer.
    let share = "\"T2\" \"channel\" \"non-emergency\" \"call\" \"share_within\"";
    assert!(
        get(&got, share).as_f64().unwrap() < get(&want, share).as_f64().unwrap(),
        "fewer handlers answer fewer calls within 30 s"
    );
    // The log's own figures stay those of the original roster.
    let s = summary(&out);
    let t2 = s["replay"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kpi"] == "T2" && f["statistic"] == "share_within")
        .unwrap()
        .clone();
    assert_eq!(t2["observed"], get(&want, share));
    assert_ne!(t2["observed"], t2["replayed"]);
}

#[test]
fn bad_replay_input_is_named_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let header = "id,arrival,channel,ward,grade,answered,handling_end\n";
    write(
        d,
        "bad.csv",
        format!(
            "{header}1,2009-10-01 08:00:00,999,,I,2009-10-01 08:00:05,2009-10-01 08:03:00\n\
             2,2009-10-01 08:01:00,999,Nowhere,I,,\n\
             3,2009-10-01 25:00:00,101,,S,,\n\
             4,2009-10-01 09:00:00,999,,Q,2009-10-01 08:59:00,\n"
        ),
    );
    let file = county(d, "bad.toml", |t| with_replay(t, "bad.csv", true));
    let out = d.join("out");
    let a = run_command(&file, &out).arg("--quiet").assert().code(2);
    let err = stderr(&a);
    for want in [
        "bad.csv:3:4: field `ward`",
        "bad.csv:4:2: field `arrival`",
        "bad.csv:5:5: field `grade`",
        "bad.csv:5:6: field `answered`",
    ] {
        assert!(err.contains(want), "no {want:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing is written");

    // A missing log, a missing mapping, and fixed arrivals beside a replay: named by field.
    let file = county(d, "missing.toml", |t| {
        with_replay(t, "none.csv", false).replacen(
            "durations = false",
            "durations = false\nmapping = \"none.toml\"",
            1,
        )
    });
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("demand.replay.file"), "{err}");
    assert!(err.contains("demand.replay.mapping"), "{err}");

    // A log with no calls in the run's period.
    write(
        d,
        "elsewhere.csv",
        format!("{header}1,2012-01-02 08:00:00,999,,I,,\n2,2012-01-12 08:00:00,999,,I,,\n"),
    );
    let file = county(d, "elsewhere.toml", |t| {
        with_replay(t, "elsewhere.csv", false)
    });
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    assert!(
        err.contains("no first attempts in the run's period"),
        "{err}"
    );

    // An unknown key.
    let file = county(d, "unknown.toml", |t| {
        with_replay(t, "elsewhere.csv", false).replacen("durations = false", "speed = 2", 1)
    });
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    assert!(stderr(&a).contains("speed"), "{}", stderr(&a));
}

/// The shipped example log, scenarios/county-district-calls.csv.gz, is the records of one
/// replication of the shipped county-district with its own seed, byte for byte:
/// `pledgesim run scenarios/county-district.toml -r 1 --records gz`.
/// `PLEDGESIM_WRITE_EXAMPLE=1 cargo test --test suite replay::` writes it afresh.
#[test]
fn the_shipped_log_is_what_county_district_makes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_command(&shipped("county-district.toml"), &out)
        .args(["--quiet", "-r", "1", "--records", "gz"])
        .assert()
        .success();
    let made = common::read(&out.join("calls.csv.gz"));
    let path = shipped("county-district-calls.csv.gz");
    if std::env::var_os("PLEDGESIM_WRITE_EXAMPLE").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    assert!(made.len() < 5_000_000, "{} bytes", made.len());
    assert!(
        common::read(&path) == made,
        "scenarios/county-district-calls.csv.gz is not what the scenario makes: write it with PLEDGESIM_WRITE_EXAMPLE=1"
    );
}
