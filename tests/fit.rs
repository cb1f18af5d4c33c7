//! Call logs in and scenarios fitted from them (`pledgesim fit`): a run's own records read back
//! to the milliseconds they were written from, a log in Europe/London across both clock
//! changes read with no hour shifted, every kind of bad input named at once with nothing
//! written, and the round trip: a scenario fitted to a run's records gives the run's headline
//! figures back.

use crate::common;

use common::{pledgesim, read_text, run_command, shipped, stderr, stdout, write};
use pledgesim::log::{self, Mapping};
use pledgesim::scenario::Scenario;
use pledgesim::time::{DAY, Date, HOUR, MINUTE, SECOND};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// A TOML number, whole or not.
fn number(v: &toml::Value) -> f64 {
    v.as_float()
        .or(v.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{v:?} is not a number"))
}

/// The headline figures of a run's summary.json: (mean, standard error) by name.
fn headline(out: &Path) -> HashMap<String, (f64, f64)> {
    let s: serde_json::Value = serde_json::from_str(&read_text(&out.join("summary.json"))).unwrap();
    let want = [
        ("T1", "share_within"),
        ("T1", "abandonment_rate"),
        ("T2", "share_within"),
        ("T2", "abandonment_rate"),
        ("T3", "share_within"),
        ("T4", "share_within"),
    ];
    s["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["clock"] == "call")
        .filter(|r| {
            want.iter()
                .any(|(k, st)| r["kpi"] == *k && r["statistic"] == *st)
        })
        .filter(|r| r["scope"] != "ward" && r["scope"] != "sector")
        .map(|r| {
            let n = r["n"].as_f64().unwrap();
            (
                format!(
                    "{} {} {}",
                    r["kpi"].as_str().unwrap(),
                    r["statistic"].as_str().unwrap(),
                    r["scope_value"].as_str().unwrap_or("")
                ),
                (
                    r["mean"].as_f64().unwrap(),
                    r["sd"].as_f64().unwrap() / n.sqrt(),
                ),
            )
        })
        .collect()
}

/// The records of county-district read as a log: every time's instant is the run's start plus
/// its milliseconds, across the October clock change, and the handling and on-scene times are
/// the differences of the milliseconds.
#[test]
fn a_runs_records_read_back_to_their_milliseconds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_command(&shipped("county-district.toml"), &out)
        .args(["--quiet", "-r", "1", "--records"])
        .assert()
        .success();
    let sc = Scenario::load(&shipped("county-district.toml")).unwrap();
    let wards: Vec<String> = sc
        .response
        .as_ref()
        .unwrap()
        .wards
        .iter()
        .map(|w| w.name.clone())
        .collect();
    let start = sc.run.start.days_from_epoch() * DAY as i64;
    // The rows as written, by line.
    let mut written = HashMap::new();
    let mut r = csv::Reader::from_path(out.join("calls.csv")).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    for rec in r.records() {
        let rec = rec.unwrap();
        let line = rec.position().unwrap().line();
        let row: HashMap<String, String> = head
            .iter()
            .cloned()
            .zip(rec.iter().map(String::from))
            .collect();
        written.insert(line, row);
    }
    let ms = |row: &HashMap<String, String>, name: &str| -> Option<i64> {
        let c = &row[&format!("{name}_ms")];
        (!c.is_empty()).then(|| c.parse().unwrap())
    };
    let (mut rows, mut in_the_hour, mut handled, mut on_scene) = (0, 0, 0, 0);
    let summary = log::read(&out.join("calls.csv"), &Mapping::default(), &wards, |row| {
        rows += 1;
        let w = &written[&row.line];
        assert_eq!(
            row.arrival.instant - start,
            ms(w, "arrival").unwrap(),
            "line {}",
            row.line
        );
        for (i, name) in log::TIMES.iter().enumerate() {
            assert_eq!(
                row.times[i].map(|t| t.instant - start),
                ms(w, name),
                "{name} line {}",
                row.line
            );
        }
        if let (Some(a), Some(e)) = (ms(w, "answered"), ms(w, "handling_end")) {
            assert_eq!(row.handling, Some((e - a) as u64));
            handled += 1;
        }
        if let (Some(a), Some(c), "1") =
            (ms(w, "unit_arrived"), ms(w, "cleared"), w["units"].as_str())
        {
            assert_eq!(row.on_scene, Some((c - a) as u64));
            on_scene += 1;
        }
        in_the_hour += usize::from(w["arrival_time"].starts_with("2009-10-25T01:"));
        assert_eq!(row.replication, 0);
        assert_eq!(row.first, w["call"] == w["caller"]);
    })
    .unwrap();
    assert!(summary.records && summary.zone == "simulation");
    assert_eq!(rows, written.len());
    assert!(
        handled > 10_000 && on_scene > 1_000 && in_the_hour > 0,
        "{handled} {on_scene} {in_the_hour}"
    );
}

/// A log in Europe/London from March to November 2009, one call at half past every hour of
/// local time (the hour that comes twice in October twice, with its offsets; none in the hour
/// that never was in March), each handled for exactly 2 hours and 5 seconds of elapsed time:
/// every handling time reads as exactly that, across both changes, and the fitted profile
/// is one call an hour in every hour of the week.
#[test]
fn a_log_across_both_clock_changes_reads_with_no_hour_shifted() {
    let dir = tempfile::tempdir().unwrap();
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let (first, last) = (
        jiff::civil::date(2009, 3, 16),
        jiff::civil::date(2009, 11, 8),
    );
    let mut csv = String::from("id,arrival,channel,answered,handling_end,ward,grade,category\n");
    let mut id = 0;
    let mut instant = tz.to_timestamp(first.at(0, 30, 0, 0)).unwrap();
    let end = tz.to_timestamp(last.at(23, 59, 0, 0)).unwrap();
    let fmt = |ts: jiff::Timestamp| {
        let z = ts.to_zoned_datetime(tz.clone());
        format!("{}", z.strftime("%Y-%m-%dT%H:%M:%S%:z"))
    };
    while instant <= end {
        let z = instant.to_zoned_datetime(tz.clone());
        // Every elapsed hour that is a civil hour's half past: all of them, the repeated one
        // included (its two times have different offsets).
        let answered = instant + jiff::SignedDuration::from_secs(10);
        let done = answered + jiff::SignedDuration::from_secs(2 * 3600 + 5);
        let _ = writeln!(
            csv,
            "{id},{},999,{},{},Town Centre,I,other_crime",
            fmt(instant),
            fmt(answered),
            fmt(done)
        );
        id += 1;
        let _ = z;
        instant += jiff::SignedDuration::from_secs(3600);
    }
    // Offsets only where they are needed: drop them elsewhere, as a force's export would.
    let csv: String = csv
        .lines()
        .map(|l| {
            if l.contains("2009-10-25T01:") {
                l.to_string()
            } else {
                l.replace("+01:00", "").replace("+00:00", "")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let path = write(dir.path(), "london.csv", &csv);
    let sc = Scenario::load(&shipped("county-district.toml")).unwrap();
    let wards: Vec<String> = sc
        .response
        .as_ref()
        .unwrap()
        .wards
        .iter()
        .map(|w| w.name.clone())
        .collect();
    let mut n = 0;
    log::read(&path, &Mapping::default(), &wards, |row| {
        n += 1;
        assert_eq!(
            row.handling,
            Some(2 * HOUR + 5 * SECOND),
            "line {}",
            row.line
        );
        let answered = row.time("answered").unwrap();
        assert_eq!(answered.instant - row.arrival.instant, 10 * SECOND as i64);
        assert_eq!(row.arrival.ms % HOUR, 30 * MINUTE, "line {}", row.line);
    })
    .unwrap();
    assert_eq!(n, id);
    // The fitted profile: one call an hour in every hour of the week.
    let out = dir.path().join("fitted.toml");
    let a = pledgesim()
        .arg("fit")
        .arg(&path)
        .arg("--base")
        .arg(shipped("county-district.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(
        stdout(&a).contains("time zone Europe/London"),
        "{}",
        stdout(&a)
    );
    let fitted: toml::Value = toml::from_str(&read_text(&out)).unwrap();
    let weekly = fitted["demand"]["emergency"]["weekly"].as_array().unwrap();
    assert_eq!(weekly.len(), 168);
    for (h, w) in weekly.iter().enumerate() {
        assert_eq!(
            w.as_float().or(w.as_integer().map(|i| i as f64)),
            Some(1.0),
            "hour {h}"
        );
    }
    let per_week = &fitted["demand"]["emergency"]["calls_per_week"];
    assert_eq!(
        per_week
            .as_float()
            .or(per_week.as_integer().map(|i| i as f64)),
        Some(168.0)
    );
    // The fitted scenario runs.
    run_command(&out, &dir.path().join("run"))
        .args(["--quiet", "-r", "1"])
        .assert()
        .success();
    // A base with no field side takes the same profile, and no wards or grades.
    let contact = dir.path().join("contact.toml");
    pledgesim()
        .arg("fit")
        .arg(&path)
        .arg("--base")
        .arg(shipped("small.toml"))
        .arg("-o")
        .arg(&contact)
        .assert()
        .success();
    let fitted: toml::Value = toml::from_str(&read_text(&contact)).unwrap();
    assert_eq!(
        number(&fitted["demand"]["emergency"]["calls_per_week"]),
        168.0
    );
    assert!(fitted.get("wards").is_none() && fitted.get("response").is_none());
    run_command(&contact, &dir.path().join("run-contact"))
        .args(["--quiet", "-r", "1"])
        .assert()
        .success();
}

/// A log with one of each problem: every one is named with its line and column, at once,
/// with exit code 2, and no scenario is written.
#[test]
fn every_problem_of_a_log_is_named_at_once_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,arrival,channel,answered,handling,ward,grade\n");
    // Two good weeks of calls, one every hour.
    let start = Date {
        year: 2009,
        month: 10,
        day: 5,
    }
    .days_from_epoch();
    let mut id = 0;
    for d in 0..14 {
        for h in 0..24 {
            let date = Date::from_days_from_epoch(start + d);
            let _ = writeln!(
                csv,
                "{id},{date}T{h:02}:10:00,999,{date}T{h:02}:10:05,240,Town Centre,I"
            );
            id += 1;
        }
    }
    let good = csv.clone();
    let lines = [
        "900,2009-10-19T00:20:00,999,2009-10-19T00:20:03,24O,Town Centre,I", // a bad duration
        "901,2009-10-19T00:2:00,999,,,Town Centre,I",                        // a bad timestamp
        "902,2009-10-19T00:30:00,999,2009-10-19T00:29:00,60,Town Centre,I", // answered before arrival
        "903,2009-10-19T00:10:00,999,,,Town Centre,I",                      // out of order
        "5,2009-10-19T00:40:00,999,,,Town Centre,I",                        // a duplicate id
        "904,2009-10-19T00:50:00,999,,,Narnia,I",                           // an unknown ward
        "905,2009-10-19T00:55:00,999,,-30,Town Centre,I",                   // a negative duration
        "906,2009-10-25T01:30:00,999,,,Town Centre,I", // in the repeated hour, no offset
    ];
    for l in lines {
        csv.push_str(l);
        csv.push('\n');
    }
    let path = write(dir.path(), "bad.csv", &csv);
    let out = dir.path().join("fitted.toml");
    let fit = |log: &Path| {
        pledgesim()
            .arg("fit")
            .arg(log)
            .arg("--base")
            .arg(shipped("county-district.toml"))
            .arg("-o")
            .arg(&out)
            .assert()
    };
    let a = fit(&path).code(2);
    let err = stderr(&a);
    let first = 2 + 14 * 24; // the first bad line
    for (i, (col, what)) in [
        (5, "\"24O\" is not a duration"),
        (2, "\"2009-10-19T00:2:00\" is not a timestamp"),
        (4, "negative duration"),
        (2, "out of order"),
        (1, "\"5\" is a duplicate"),
        (6, "\"Narnia\" is not known"),
        (5, "\"-30\" is negative"),
        (2, "falls in the hour the clocks go back in Europe/London"),
    ]
    .iter()
    .enumerate()
    {
        let at = format!("bad.csv:{}:{col}:", first + i);
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(what)),
            "{at} {what}:\n{err}"
        );
    }
    assert!(!out.exists());
    // Shorter than a week.
    let short: String = good
        .lines()
        .take(1 + 6 * 24)
        .map(|l| format!("{l}\n"))
        .collect();
    let a = fit(&write(dir.path(), "short.csv", short)).code(2);
    assert!(stderr(&a).contains("at least a week"), "{}", stderr(&a));
    assert!(!out.exists());
    // The good part fits; its exclusions are counted and said.
    let a = fit(&write(dir.path(), "good.csv", &good)).success();
    assert!(out.exists());
    assert!(
        stdout(&a).contains(&format!("read {} rows", 14 * 24)),
        "{}",
        stdout(&a)
    );
}

/// A force's own column names, values and ward codes through a mapping file; a mapping that
/// names what does not exist is refused.
#[test]
fn a_mapping_renames_a_forces_columns_values_and_ward_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Incident No,Call Received,Line,Ward Code,Grade\n");
    let start = Date {
        year: 2009,
        month: 11,
        day: 2,
    }
    .days_from_epoch();
    let mut id = 0;
    for d in 0..14 {
        for h in 0..24 {
            let date = Date::from_days_from_epoch(start + d);
            let (code, grade) = if h % 2 == 0 {
                ("E05000001", "Immediate")
            } else {
                ("E05000002", "Scheduled")
            };
            let _ = writeln!(
                csv,
                "INC-{id},{:02}/{:02}/{} {h:02}:00:00,101,{code},{grade}",
                date.day, date.month, date.year
            );
            id += 1;
        }
    }
    let log = write(dir.path(), "force.csv", &csv);
    let mapping = write(
        dir.path(),
        "mapping.toml",
        r#"time_zone = "Europe/London"
[columns]
id = "Incident No"
arrival = "Call Received"
channel = "Line"
ward = "Ward Code"
grade = "Grade"
[channels]
"101" = "non-emergency"
[grades]
Immediate = "I"
Scheduled = "E"
[wards]
E05000001 = "Town Centre"
E05000002 = "Eastgate"
"#,
    );
    let out = dir.path().join("fitted.toml");
    let fit = |mapping: &Path| {
        pledgesim()
            .arg("fit")
            .arg(&log)
            .arg("--base")
            .arg(shipped("county-district.toml"))
            .arg("--mapping")
            .arg(mapping)
            .arg("-o")
            .arg(&out)
            .assert()
    };
    fit(&mapping).success();
    let fitted: toml::Value = toml::from_str(&read_text(&out)).unwrap();
    let g = &fitted["response"]["grading"]["non_emergency"];
    assert_eq!(number(&g["I"]), 0.5);
    assert_eq!(number(&g["E"]), 0.5);
    assert_eq!(number(&g["S"]), 0.0);
    let wards = fitted["wards"].as_array().unwrap();
    let weight = |name: &str| {
        number(
            &wards
                .iter()
                .find(|w| w["name"].as_str() == Some(name))
                .unwrap()["demand"]["non_emergency"],
        )
    };
    // Half the calls in each of two wards of sixteen: weight 8 each, 0 elsewhere.
    assert_eq!(weight("Town Centre"), 8.0);
    assert_eq!(weight("Eastgate"), 8.0);
    assert_eq!(weight("Hartley"), 0.0);
    std::fs::remove_file(&out).unwrap();
    let bad = write(
        dir.path(),
        "bad-mapping.toml",
        "time_zone = \"Europe/Londres\"\n[columns]\nincident = \"Incident No\"\n[grades]\nImmediate = \"P1\"\n",
    );
    let err = stderr(&fit(&bad).code(2));
    for what in ["time_zone", "columns.incident", "grades.\"Immediate\""] {
        assert!(err.contains(what), "{what}:\n{err}");
    }
    assert!(!out.exists());
}

/// The round trip: county-district simulated with its records, fitted to October of its own
/// records with itself as the base, and the fitted scenario run on other seeds: every
/// headline figure within 3 combined standard errors of the original's (the fitted side's
/// error including the fit's own, from a bootstrap over the log's days), and the fitted
/// patience within 3 standard errors of the scenario's.
#[test]
fn a_scenario_fitted_to_its_own_records_gives_its_figures_back() {
    let dir = tempfile::tempdir().unwrap();
    let base = shipped("county-district.toml");
    let records = dir.path().join("records");
    run_command(&base, &records)
        .args(["--quiet", "-r", "8", "--seed", "101", "--records", "gz"])
        .assert()
        .success();
    let fitted = dir.path().join("fitted.toml");
    let a = pledgesim()
        .arg("fit")
        .arg(records.join("calls.csv.gz"))
        .arg("--base")
        .arg(&base)
        .args(["--from", "2009-10-01", "--to", "2009-10-31", "-o"])
        .arg(&fitted)
        .assert()
        .success();
    let said = stdout(&a);
    // Patience: the exponential MLE against the scenario's means (2 and 6 minutes).
    for (channel, mean) in [("999", 120.0), ("non-emergency", 360.0)] {
        let line = said
            .lines()
            .find(|l| l.contains(&format!("patience ({channel})")))
            .unwrap();
        let num = |after: &str| -> f64 {
            let rest = &line[line.find(after).unwrap() + after.len()..];
            rest[..rest.find('s').unwrap()].parse().unwrap()
        };
        let (mle, se) = (num("exponential MLE "), num("(SE "));
        assert!(
            (mle - mean).abs() < 3.0 * se,
            "{channel}: {mle} (SE {se}) against {mean}"
        );
    }
    let (orig, refit) = (dir.path().join("orig"), dir.path().join("refit"));
    run_command(&base, &orig)
        .args(["--quiet", "-r", "20", "--seed", "202"])
        .assert()
        .success();
    run_command(&fitted, &refit)
        .args(["--quiet", "-r", "20", "--seed", "303"])
        .assert()
        .success();
    let (a, b) = (headline(&orig), headline(&refit));
    assert!(a.len() >= 6, "{a:?}");
    // The fit's own uncertainty: the log's days resampled (each October day of each
    // replication taken from one of the eight replications' same day, at random), refitted
    // and run; the spread of the refits' figures joins the fitted side's error. That spread
    // also holds each refit's own run noise (4 replications), so it is on the safe side: for
    // T3 (I) it was 0.015 against a run noise of about 0.013 at 4 replications.
    let boot = bootstrap_over_days(&records.join("calls.csv.gz"), &base, dir.path(), 8);
    for (name, (m1, se1)) in &a {
        let (m2, se2) = b[name];
        let spread = &boot[name];
        let k = spread.len() as f64;
        let mean = spread.iter().sum::<f64>() / k;
        let var_fit = spread.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
        let se = (se1 * se1 + se2 * se2 + var_fit).sqrt();
        eprintln!(
            "{name}: original {m1:.4} (SE {se1:.4}), fitted {m2:.4} (SE {se2:.4}), the fit's SE {:.4}",
            var_fit.sqrt()
        );
        assert!(
            (m1 - m2).abs() < 3.0 * se,
            "{name}: {m1} against fitted {m2} (combined SE {se}, of which the fit's {})",
            var_fit.sqrt()
        );
    }
}

/// Resamples the October days of a records file `b` times (each replication's day d taken
/// from the same day of a replication drawn at random, ids made unique), fits each resample
/// with `base` and runs it (4 replications, its own seed): each headline figure's means.
fn bootstrap_over_days(log: &Path, base: &Path, dir: &Path, b: usize) -> HashMap<String, Vec<f64>> {
    use rand::{RngExt, SeedableRng};
    use std::io::{Read as _, Write as _};
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(log).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(',').collect();
    let col = |n: &str| cols.iter().position(|c| *c == n).unwrap();
    let (rep_c, call_c, caller_c, at_c) = (
        col("replication"),
        col("call"),
        col("caller"),
        col("arrival_time"),
    );
    // October's rows by (replication, day).
    let mut days: HashMap<(usize, usize), Vec<Vec<&str>>> = HashMap::new();
    let mut reps = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if !f[at_c].starts_with("2009-10-") {
            continue;
        }
        let rep: usize = f[rep_c].parse().unwrap();
        let day: usize = f[at_c][8..10].parse().unwrap();
        reps = reps.max(rep + 1);
        days.entry((rep, day)).or_default().push(f);
    }
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(2009);
    let mut out: HashMap<String, Vec<f64>> = HashMap::new();
    for i in 0..b {
        let mut csv = format!("{header}\n");
        for r in 0..reps {
            for d in 1..=31 {
                let from = rng.random_range(0..reps);
                for f in days.get(&(from, d)).into_iter().flatten() {
                    let mut g: Vec<String> = f.iter().map(|s| s.to_string()).collect();
                    g[rep_c] = r.to_string();
                    for c in [call_c, caller_c] {
                        if !g[c].is_empty() {
                            g[c] = format!("{from}-{}", g[c]);
                        }
                    }
                    csv.push_str(&g.join(","));
                    csv.push('\n');
                }
            }
        }
        let resample = dir.join(format!("boot-{i}.csv.gz"));
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&resample).unwrap(),
            flate2::Compression::fast(),
        );
        gz.write_all(csv.as_bytes()).unwrap();
        gz.finish().unwrap();
        let fitted = dir.join(format!("boot-{i}.toml"));
        pledgesim()
            .arg("fit")
            .arg(&resample)
            .arg("--base")
            .arg(base)
            .args(["--from", "2009-10-01", "--to", "2009-10-31", "-o"])
            .arg(&fitted)
            .assert()
            .success();
        let run = dir.join(format!("boot-{i}"));
        run_command(&fitted, &run)
            .args(["--quiet", "-r", "4", "--seed"])
            .arg((500 + i).to_string())
            .assert()
            .success();
        for (name, (m, _)) in headline(&run) {
            out.entry(name).or_default().push(m);
        }
    }
    out
}

/// A known family as the fit's.
fn family(d: &pledgesim::scenario::Dist) -> pledgesim::fit::Family {
    use pledgesim::fit::Family;
    use pledgesim::scenario::Dist;
    match d {
        Dist::Exponential { mean } => Family::Exponential {
            mean: mean.0 as f64,
        },
        Dist::Lognormal { mean, sd } => Family::Lognormal {
            mean: mean.0 as f64,
            sd: sd.0 as f64,
        },
        Dist::Gamma { mean, sd } => Family::Gamma {
            mean: mean.0 as f64,
            sd: sd.0 as f64,
        },
        other => panic!("no family for {other:?}"),
    }
}

/// Pearson's chi-squared at alpha = 0.001, from more than 500 rows.
fn chi_squared(what: &str, counts: &[u64], shares: &[f64]) {
    common::chi_squared_passes(what, counts, shares, 500);
}

/// The fit's tables of county-district's own records, October only, against the scenario
/// that made them: the hour-of-week profiles, ward weights, grade and category mixes pass a
/// chi-squared test, and the handling, on-scene and lead-in times a Kolmogorov-Smirnov test
/// against the known distributions, at alpha = 0.001. (The distance is taken at 100 points a
/// decade, so it is at most the exact one.) A wrong family fails the same test.
#[test]
fn the_fitted_mixes_and_distributions_pass_against_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let base = shipped("county-district.toml");
    let records = dir.path().join("records");
    run_command(&base, &records)
        .args(["--quiet", "-r", "4", "--seed", "404", "--records"])
        .assert()
        .success();
    let sc = Scenario::load(&base).unwrap();
    let resp = sc.response.as_ref().unwrap();
    let wards: Vec<String> = resp.wards.iter().map(|w| w.name.clone()).collect();
    let day = |d: u32| {
        Date {
            year: 2009,
            month: 10,
            day: d,
        }
        .days_from_epoch()
    };
    let mut tally = pledgesim::fit::Tally::new(wards.len(), Some((day(1), day(31))), 600_000);
    log::read(
        &records.join("calls.csv"),
        &Mapping::default(),
        &wards,
        |row| tally.add(row),
    )
    .unwrap();
    // October 2009 began on a Thursday: Thursday to Saturday come five times, the rest four.
    let times = |h: usize| if (3..6).contains(&(h / 24)) { 5.0 } else { 4.0 };
    for (ch, channel) in sc.channels.iter().enumerate() {
        let pledgesim::scenario::Arrivals::Profile { weights, .. } = &channel.arrivals else {
            panic!("a profile");
        };
        let expected: Vec<f64> = (0..168).map(|h| weights[h] * times(h)).collect();
        chi_squared(
            &format!("hour of week {ch}"),
            &tally.arrivals[ch],
            &expected,
        );
        let w: Vec<f64> = resp.wards.iter().map(|w| w.weights[ch]).collect();
        chi_squared(&format!("wards {ch}"), &tally.wards[ch], &w);
        chi_squared(
            &format!("grades {ch}"),
            &tally.grades[ch],
            &resp.wards[0].grading[ch],
        );
    }
    for g in 0..4 {
        chi_squared(
            &format!("categories {g}"),
            &tally.categories[g],
            &resp.categories[g],
        );
    }
    let ks = |what: &str, d: &pledgesim::fit::Durations, known: &pledgesim::scenario::Dist| {
        let critical = 1.949 / (d.n as f64).sqrt();
        let got = d.ks(&family(known));
        assert!(d.n > 200, "{what}: only {} rows", d.n);
        assert!(
            got < critical,
            "{what}: KS {got} over {critical} ({} rows)",
            d.n
        );
        // The test can fail: the exponential of the same mean is rejected.
        let wrong = pledgesim::fit::Family::Exponential { mean: d.mean() };
        assert!(
            d.ks(&wrong) > critical,
            "{what}: the exponential passes too"
        );
    };
    let emergency = &sc.channels[0];
    ks(
        "999 handling I",
        &tally.handling[0][0],
        emergency.handling_by_grade[0].as_ref().unwrap(),
    );
    ks(
        "999 handling R",
        &tally.handling[0][3],
        emergency.handling_by_grade[3].as_ref().unwrap(),
    );
    ks("999 handling S", &tally.handling[0][1], &emergency.handling);
    ks(
        "101 handling",
        &tally.handling[1][4],
        &sc.channels[1].handling,
    );
    ks("on scene I", &tally.on_scene[0], &resp.on_scene[0]);
    ks("on scene S", &tally.on_scene[1], &resp.on_scene[1]);
    ks(
        "lead-in I",
        &tally.lead_in[0],
        resp.created_after[0].as_ref().unwrap(),
    );
}

/// A base scenario whose handlers' shifts are in a CSV file beside it, fitted into a folder
/// elsewhere (made by `fit`): the fitted scenario still finds the file, and runs.
#[test]
fn a_base_elsewhere_keeps_its_shift_file() {
    let dir = tempfile::tempdir().unwrap();
    let base_dir = dir.path().join("base");
    std::fs::create_dir(&base_dir).unwrap();
    write(
        &base_dir,
        "handlers.csv",
        "start,length,count\n00:00,12h,3\n12:00,12h,3\n",
    );
    let base = write(
        &base_dir,
        "base.toml",
        "name = \"shifts\"\n[run]\nhorizon = \"2w\"\nreplications = 2\n\
         [demand.emergency]\ncalls_per_week = 168\n\
         handling = { kind = \"exponential\", mean = \"4min\" }\n\
         patience = { kind = \"exponential\", mean = \"2min\" }\n\
         [roster.handlers]\nshifts_file = \"handlers.csv\"\n",
    );
    let mut csv = String::from("id,arrival,channel,answered,abandoned,handling\n");
    let start = Date {
        year: 2009,
        month: 10,
        day: 5,
    }
    .days_from_epoch();
    for i in 0..14 * 24 {
        let date = Date::from_days_from_epoch(start + i / 24);
        let h = i % 24;
        let (answered, abandoned) = if i % 5 == 0 {
            (String::new(), format!("{date}T{h:02}:11:00"))
        } else {
            (format!("{date}T{h:02}:10:{:02}", i % 50), String::new())
        };
        let _ = writeln!(
            csv,
            "{i},{date}T{h:02}:10:00,999,{answered},{abandoned},{}",
            60 + i % 400
        );
    }
    let log = write(dir.path(), "log.csv", csv);
    let out = dir
        .path()
        .join("elsewhere")
        .join("deeper")
        .join("fitted.toml");
    let a = pledgesim()
        .arg("fit")
        .arg(&log)
        .arg("--base")
        .arg(&base)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let said = stdout(&a);
    assert!(said.contains("read 336 rows"), "{said}");
    let fitted: toml::Value = toml::from_str(&read_text(&out)).unwrap();
    let file = fitted["roster"]["handlers"]["shifts_file"]
        .as_str()
        .unwrap();
    assert!(
        Path::new(file).is_absolute() && file.ends_with("handlers.csv"),
        "{file}"
    );
    // 68 hang-ups after a minute each, 268 answers censored at up to 49 s: the exponential
    // MLE is the total wait over the hang-ups.
    let waited: u64 = (0..336u64)
        .map(|i| if i % 5 == 0 { 60 } else { i % 50 })
        .sum();
    let mle = waited as f64 / 68.0;
    let patience = fitted["demand"]["emergency"]["patience"]["mean"]
        .as_str()
        .unwrap();
    assert_eq!(patience, format!("{:.1}s", mle));
    run_command(&out, &dir.path().join("run"))
        .args(["--quiet"])
        .assert()
        .success();
}
