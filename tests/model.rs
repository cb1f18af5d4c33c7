//! Model-level checks: hand-computed traces of tiny deterministic scenarios, the arrival process
//! against its profile, determinism across thread counts, common random numbers, conservation.

use crate::common;

use common::{expect_agrees, overall, parse, position};
use pledgesim::experiment::{self, RunOptions};
use pledgesim::model::Outcome;
use pledgesim::output::{self, RunContext};
use pledgesim::scenario::Scenario;
use pledgesim::time::{HOUR, MINUTE, SECOND};

/// Every call's life in replication `replication`.
fn trace(sc: &Scenario, replication: u32) -> Vec<pledgesim::model::CallRecord> {
    common::trace(sc, replication).calls
}

const TRACE: &str = r#"
pledge = "england-wales"
[run]
horizon = "1h"
warm_up = "0s"
replications = 1
[demand.emergency]
arrivals = ["10s", "20s", "100s"]
handling = { kind = "deterministic", value = "60s" }
patience = { kind = "deterministic", value = "45s" }
[demand.non_emergency]
arrivals = ["5s", "15s", "30s"]
handling = { kind = "deterministic", value = "30s" }
[contact_centre]
discipline = "DISCIPLINE"
callbacks = { handling = { kind = "deterministic", value = "20s" } }
[roster.handlers]
constant = 1
"#;

fn outcomes(sc: &Scenario) -> Vec<(String, u64, Outcome)> {
    let mut t: Vec<_> = trace(sc, 0)
        .into_iter()
        .map(|c| (c.channel.label().to_string(), c.arrival, c.outcome))
        .collect();
    t.sort_by_key(|(_, a, _)| *a);
    t
}

fn answered(s: u64) -> Outcome {
    Outcome::Answered { at: s * SECOND }
}
fn abandoned(s: u64) -> Outcome {
    Outcome::Abandoned { at: s * SECOND }
}

/// One handler, 999 ahead of non-emergency, abandoned 999 calls called back.
/// By hand: 5 NE answered at once (busy to 35); 35 takes the 999 call of 10 (wait 25 s, busy to
/// 95); the 999 call of 20 hangs up at 65 (patience 45 s) and creates a 20 s call-back; 95 takes
/// the call-back (to 115); the 999 call of 100 is answered at 115; then the NE calls of 15 and
/// 30, at 175 and 205.
#[test]
fn hand_trace_priority() {
    let sc = parse(&TRACE.replace("DISCIPLINE", "priority"));
    let s = SECOND;
    assert_eq!(
        outcomes(&sc),
        vec![
            ("non-emergency".into(), 5 * s, answered(5)),
            ("999".into(), 10 * s, answered(35)),
            ("non-emergency".into(), 15 * s, answered(175)),
            ("999".into(), 20 * s, abandoned(65)),
            ("non-emergency".into(), 30 * s, answered(205)),
            ("999".into(), 100 * s, answered(115)),
        ]
    );
    let out = experiment::run(&sc, &RunOptions::default());
    let get = |kpi: &str, stat: &str| overall(&out, kpi, "*", stat).mean;
    // T1 (10 s): waits 25 and 15 s answered, one hang-up after 45 s: 0 of 3.
    assert_eq!(get("T1", "share_within"), 0.0);
    assert_eq!(get("T1", "abandonment_rate"), 1.0 / 3.0);
    assert_eq!(get("T1", "mean_answer_s"), 20.0);
    // T2 (30 s): waits 0, 160, 175 s.
    assert_eq!(get("T2", "share_within"), 1.0 / 3.0);
    assert_eq!(get("T2", "mean_answer_s"), 335.0 / 3.0);
    assert_eq!(get("callbacks", "created"), 1.0);
    assert_eq!(get("callbacks", "mean_wait_s"), 30.0);
}

/// The same calls with one first-come-first-served queue: 35 takes the 999 call of 10; 65 hang-up
/// and call-back; 95 the NE call of 15; 125 the NE call of 30; the 999 call of 100 hangs up at
/// 145 (second call-back); 155 the first call-back, 175 the second.
#[test]
fn hand_trace_fcfs() {
    let sc = parse(&TRACE.replace("DISCIPLINE", "fcfs"));
    let s = SECOND;
    assert_eq!(
        outcomes(&sc),
        vec![
            ("non-emergency".into(), 5 * s, answered(5)),
            ("999".into(), 10 * s, answered(35)),
            ("non-emergency".into(), 15 * s, answered(95)),
            ("999".into(), 20 * s, abandoned(65)),
            ("non-emergency".into(), 30 * s, answered(125)),
            ("999".into(), 100 * s, abandoned(145)),
        ]
    );
}

/// A handler whose shift ends finishes the call in hand, then leaves; a new shift's handler
/// takes the queue when it starts.
#[test]
fn hand_trace_shift_change() {
    let sc = parse(
        r#"
[run]
horizon = "3h"
warm_up = "0s"
replications = 1
[demand.non_emergency]
arrivals = ["59min", "61min", "66min"]
handling = { kind = "deterministic", value = "10min" }
[[roster.handlers.shifts]]
start = "00:00"
length = "1h"
count = 1
[[roster.handlers.shifts]]
start = "01:05"
length = "1h"
count = 1
"#,
    );
    let m = MINUTE;
    let got: Vec<_> = trace(&sc, 0)
        .into_iter()
        .map(|c| (c.arrival, c.outcome))
        .collect();
    // 59: the first shift's handler answers and works past its 01:00 end, to 69, then leaves.
    // 61 waits for the second shift (01:05); 66 waits until that handler is free at 75.
    assert_eq!(
        got,
        vec![
            (59 * m, Outcome::Answered { at: 59 * m }),
            (61 * m, Outcome::Answered { at: 65 * m }),
            (66 * m, Outcome::Answered { at: 75 * m }),
        ]
    );
}

/// A break due while busy starts when the call ends and lasts its full length.
#[test]
fn hand_trace_delayed_break() {
    let sc = parse(
        r#"
[run]
horizon = "3h"
warm_up = "0s"
replications = 1
[demand.non_emergency]
arrivals = ["50min", "75min"]
handling = { kind = "deterministic", value = "20min" }
[[roster.handlers.shifts]]
start = "00:00"
length = "10h"
count = 1
breaks = [{ after = "1h", length = "30min" }]
"#,
    );
    let m = MINUTE;
    let got: Vec<_> = trace(&sc, 0).into_iter().map(|c| c.outcome).collect();
    // Busy 50-70, break 70-100 (due at 60), then the call of 75 is answered at 100.
    assert_eq!(
        got,
        vec![
            Outcome::Answered { at: 50 * m },
            Outcome::Answered { at: 100 * m }
        ]
    );
}

/// Arrivals per hour of the week follow the profile: chi-square goodness of fit, conditional on
/// the total (multinomial), 167 degrees of freedom, critical value at the 0.1% level. The same
/// counts against a flat profile must be rejected, so the test can fail.
#[test]
fn arrivals_follow_the_hour_of_week_profile() {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let hourly = [
        1, 1, 1, 1, 1, 2, 3, 4, 6, 8, 9, 9, 9, 9, 8, 8, 8, 9, 10, 10, 8, 6, 4, 2,
    ];
    let daily = [1.0, 1.0, 1.1, 1.2, 1.5, 2.0, 0.8];
    let text = format!(
        r#"
[run]
horizon = "20w"
warm_up = "0s"
replications = 1
seed = 99
[demand.emergency]
calls_per_week = 5000
hourly = {hourly:?}
daily = {daily:?}
handling = {{ kind = "deterministic", value = "1s" }}
[roster.handlers]
constant = 50
"#
    );
    let sc = parse(&text);
    let calls = trace(&sc, 0);
    let mut counts = [0f64; 168];
    for c in &calls {
        counts[((c.arrival / HOUR) % 168) as usize] += 1.0;
    }
    let n = calls.len() as f64;
    // The total is Poisson with mean 20 weeks x 5000.
    expect_agrees("calls in 20 weeks", n, 100_000.0, 100_000f64.sqrt());
    let weights: Vec<f64> = (0..168)
        .map(|h| daily[h / 24] * f64::from(hourly[h % 24]))
        .collect();
    let sum: f64 = weights.iter().sum();
    let chi2 = |expected_share: &dyn Fn(usize) -> f64| -> f64 {
        (0..168)
            .map(|h| {
                let e = n * expected_share(h);
                (counts[h] - e).powi(2) / e
            })
            .sum()
    };
    let critical = ChiSquared::new(167.0).unwrap().inverse_cdf(0.999);
    let fit = chi2(&|h| weights[h] / sum);
    eprintln!("chi-square {fit:.1} against critical value {critical:.1} (167 df, 0.1%)");
    assert!(
        fit < critical,
        "arrivals do not follow the profile: chi-square {fit:.1} >= {critical:.1}"
    );
    let flat = chi2(&|_| 1.0 / 168.0);
    assert!(
        flat > critical,
        "the test cannot tell a flat profile apart: {flat:.1}"
    );
}

/// Seasonal factors multiply the rate by calendar month: a July factor of 2 doubles July's calls.
#[test]
fn seasonal_factors_apply_by_calendar_month() {
    let sc = parse(
        r#"
[run]
start = "2009-06-01"
horizon = "61d"
warm_up = "0s"
replications = 1
[demand.emergency]
calls_per_week = 7000
seasonal = [1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1]
handling = { kind = "deterministic", value = "1s" }
[roster.handlers]
constant = 20
"#,
    );
    let calls = trace(&sc, 0);
    let june = calls.iter().filter(|c| c.arrival < 30 * 24 * HOUR).count() as f64;
    let july = calls.len() as f64 - june;
    // June: 30 days x 1000; July: 31 days x 2000 (Poisson counts: the SE is the square root).
    expect_agrees("calls in June", june, 30_000.0, 30_000f64.sqrt());
    expect_agrees("calls in July", july, 62_000.0, 62_000f64.sqrt());
}

fn short_default(replications: u32) -> Scenario {
    let mut sc = Scenario::builtin_default();
    sc.run.horizon = pledgesim::time::Duration(7 * 24 * HOUR);
    sc.run.replications = replications;
    sc
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The same scenario and seed give byte-identical results with 1 thread or 8; only the
/// manifest's timing may differ.
#[test]
fn results_do_not_depend_on_thread_count() {
    let sc = short_default(10);
    let tmp = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for threads in [1, 8] {
        let out = experiment::run(
            &sc,
            &RunOptions {
                threads: Some(threads),
                progress: false,
            },
        );
        let dir = tmp.path().join(format!("t{threads}"));
        output::write_run(
            &dir,
            &RunContext {
                scenario: &sc,
                source: "test",
                warnings: &[],
            },
            &out,
        )
        .unwrap();
        let mut f = files(&dir);
        for (name, bytes) in &mut f {
            if name == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                v.as_object_mut().unwrap().remove("timing");
                *bytes = serde_json::to_vec(&v).unwrap();
            }
        }
        all.push(f);
    }
    assert_eq!(
        all[0].len(),
        8,
        "the default scenario writes the six files of a run, wards.csv and neighbourhood.csv"
    );
    assert_eq!(all[0].len(), all[1].len());
    for ((name, a), (_, b)) in all[0].iter().zip(&all[1]) {
        assert!(a == b, "{name} differs between 1 and 8 threads");
    }
}

/// Two scenarios that differ only in staffing see exactly the same calls: the same arrival
/// times and the same attributes, drawn on arrival whether used or not.
#[test]
fn staffing_changes_do_not_change_the_calls() {
    let base = Scenario::builtin_default();
    let mut thin = base.clone();
    thin.handlers
        .shifts
        .iter_mut()
        .for_each(|s| s.count = (s.count / 2).max(s.dedicated_999));
    let mut a = base.clone();
    let mut b = thin.clone();
    for sc in [&mut a, &mut b] {
        sc.run.horizon = pledgesim::time::Duration(3 * 24 * HOUR);
    }
    // First attempts (redials depend on who hung up, so on staffing; their draws are keyed by
    // caller and attempt, checked in tests/control_room.rs).
    let first = |t: Vec<pledgesim::model::CallRecord>| -> Vec<_> {
        t.into_iter().filter(|c| c.attempt == 0).collect()
    };
    let (ta, tb) = (first(trace(&a, 3)), first(trace(&b, 3)));
    assert_eq!(ta.len(), tb.len());
    let key = |c: &pledgesim::model::CallRecord| {
        (
            c.channel,
            c.arrival,
            c.handling_ms,
            c.patience_ms,
            c.callback_ms,
        )
    };
    assert!(
        ta.iter().map(key).eq(tb.iter().map(key)),
        "the calls differ"
    );
    // ... while the staffing change does change what happens to them.
    assert!(ta.iter().zip(&tb).any(|(x, y)| x.outcome != y.outcome));
}

/// Every call index gets identical attributes (its handling time, patience, call-back length and
/// its incident's ward, place, grade, category, two-unit need, time on scene, paperwork, CAD
/// delay, dispatcher's time and travel factors) in two options that differ only in staffing,
/// call handlers and response units both: each attribute is keyed by the call's index on its
/// channel, not drawn from a stream that other calls' fates could move.
#[test]
fn every_call_index_gets_the_same_attributes_whatever_the_staffing() {
    let mut a = Scenario::builtin_default();
    a.run.horizon = pledgesim::time::Duration(2 * 24 * HOUR);
    let mut b = a.clone();
    b.handlers
        .shifts
        .iter_mut()
        .for_each(|s| s.count = (s.count / 2).max(s.dedicated_999));
    let response = b
        .response
        .as_mut()
        .expect("the default scenario has response units");
    response
        .constant_units
        .iter_mut()
        .for_each(|n| *n = n.div_ceil(2));
    response
        .unit_shifts
        .iter_mut()
        .for_each(|s| s.crew = s.crew.div_ceil(2));
    let first = |t: Vec<pledgesim::model::CallRecord>| -> Vec<_> {
        t.into_iter()
            .filter(|c| c.attempt == 0 && !c.silent)
            .collect()
    };
    for replication in [0, 5] {
        let (ta, tb) = (first(trace(&a, replication)), first(trace(&b, replication)));
        assert_eq!(ta.len(), tb.len());
        assert!(ta.iter().any(|c| c.incident.is_some_and(|d| d.grade == 0)));
        for (x, y) in ta.iter().zip(&tb) {
            assert_eq!(x.channel, y.channel);
            assert_eq!(x.arrival, y.arrival);
            assert_eq!(
                (x.handling_ms, x.patience_ms, x.callback_ms, x.incident),
                (y.handling_ms, y.patience_ms, y.callback_ms, y.incident),
                "call {} of replication {replication}",
                x.caller_no
            );
        }
        assert!(ta.iter().zip(&tb).any(|(x, y)| x.outcome != y.outcome));
    }
}

/// Every measured call is answered, abandoned or still waiting at the drain limit: exactly one.
#[test]
fn every_call_is_answered_or_abandoned_exactly_once() {
    let sc = short_default(4);
    let out = experiment::run(&sc, &RunOptions::default());
    let idx = |kpi: &str, stat: &str| position(&out.overall, kpi, "*", stat);
    for kpi in ["T1", "T2"] {
        for rep in &out.reps {
            let v = |s| rep.values[idx(kpi, s)];
            assert_eq!(
                v("offered_calls"),
                v("answered_calls") + v("abandoned_calls") + v("unresolved_calls"),
                "{kpi}"
            );
        }
    }
    // The calls offered are exactly the measured calls of the channel in the trace
    // (replication 1), and there are enough of them for the check to mean something.
    let calls = trace(&sc, 1);
    let rep1 = out.reps.iter().find(|r| r.replication == 1).unwrap();
    for (kpi, channel) in [("T1", "999"), ("T2", "non-emergency")] {
        let n = calls
            .iter()
            .filter(|c| c.measured && !c.silent && c.channel.label() == channel)
            .count() as f64;
        assert_eq!(rep1.values[idx(kpi, "offered_calls")], n, "{kpi}");
        assert!(n > 1000.0, "{kpi}: {n} calls");
    }
    for c in calls {
        assert!(c.arrival < sc.run.horizon.0);
        match c.outcome {
            Outcome::Answered { at } => assert!(at >= c.arrival),
            Outcome::Abandoned { at } => assert_eq!(at, c.arrival + c.patience_ms.unwrap()),
            Outcome::Waiting => panic!("call {} never resolved", c.id),
        }
    }
}

/// The drain limit ends a run whose queue cannot empty: calls still waiting count as misses.
#[test]
fn unresolved_calls_count_as_misses() {
    let sc = parse(
        r#"
[run]
horizon = "2h"
warm_up = "0s"
drain_limit = "1h"
replications = 1
[demand.non_emergency]
arrivals = ["10min", "20min"]
handling = { kind = "deterministic", value = "5h" }
[[roster.handlers.shifts]]
start = "00:00"
length = "1h"
count = 1
"#,
    );
    let out = experiment::run(&sc, &RunOptions::default());
    let get = |stat: &str| overall(&out, "T2", "*", stat).mean;
    assert_eq!(get("answered_calls"), 1.0);
    assert_eq!(get("unresolved_calls"), 1.0);
    assert_eq!(get("share_within"), 0.5);
}

/// A break already under way at time 0 (in a shift that began the evening before) goes on to
/// its end: a shift from 22:00 with a break at 23:30-00:30, and a call at 00:10, answered at
/// 00:30 when the break ends.
#[test]
fn a_break_under_way_at_the_start_goes_on() {
    let sc = parse(
        r#"
[run]
horizon = "3h"
warm_up = "0s"
replications = 1
[demand.non_emergency]
arrivals = ["10min"]
handling = { kind = "deterministic", value = "5min" }
[[roster.handlers.shifts]]
start = "22:00"
length = "10h"
count = 1
breaks = [{ after = "90min", length = "1h" }]
"#,
    );
    let got: Vec<_> = trace(&sc, 0).into_iter().map(|c| c.outcome).collect();
    assert_eq!(got, vec![Outcome::Answered { at: 30 * MINUTE }]);
}
