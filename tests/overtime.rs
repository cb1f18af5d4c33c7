//! Overtime call-in of call handlers: a hand trace of one call-in (when it is made, when its
//! staff arrive and leave, what it costs); the daily and weekly caps; a policy switched off, or
//! one that never fires, leaves every figure as it was; call-ins raise T1 on the same calls;
//! bad settings are all reported.

use crate::common;

use common::{column, overall, parse, run_cli, simulate, trace};
use pledgesim::model::Outcome;
use pledgesim::time::SECOND;

/// One handler always on duty, 999 calls at 0, 1, 2, 3 and 7500 s, each held 2 hours; with
/// `overtime` as the `[contact_centre.overtime]` table's body (none when empty). A week's run,
/// all of it measured, with pay rates for handlers; two replications, the same.
fn hand(overtime: &str) -> String {
    let section = if overtime.is_empty() {
        String::new()
    } else {
        format!("[contact_centre.overtime]\n{overtime}")
    };
    format!(
        r#"
[run]
horizon = "7d"
warm_up = "0s"
replications = 2
[demand.emergency]
calls = [{{ at = "0s" }}, {{ at = "1s" }}, {{ at = "2s" }}, {{ at = "3s" }}, {{ at = "7500s" }}]
handling = {{ kind = "deterministic", value = "2h" }}
[roster.handlers]
constant = 1
[pay.roles.handler]
base = 20.0
overtime = 1.5
{section}
"#
    )
}

fn answers(sc: &pledgesim::scenario::Scenario) -> Vec<u64> {
    trace(sc, 0)
        .calls
        .iter()
        .map(|c| match c.outcome {
            Outcome::Answered { at } => at / SECOND,
            o => panic!("{o:?}"),
        })
        .collect()
}

/// By hand, level 2, `for` 60 s, delay 5 min, length 1 h, two staff: the handler answers call
/// 0 at 0 s; calls 1-3 queue, and with the third (3 s) more than 2 wait. At 63 s they still
/// do: a call-in, whose two handlers arrive at 63 + 300 = 363 s and answer calls 1 and 2 (one
/// call is left waiting: not above the level). Their hour ends at 3963 s, but each finishes
/// its call (to 7563 s) first, then leaves: call 3 goes to the handler at 7200 s, and call 4
/// (7500 s) waits for it until 14400 s, though the overtime handlers are free at 7563 s. Paid:
/// 2 handlers x 1 h = 2 hours, at 20 x 1.5 = 30 pounds an hour: 60 pounds, in the one week.
#[test]
fn a_hand_trace_of_one_call_in() {
    let sc = parse(&hand(
        r#"level = 2
for = "60s"
delay = "5min"
length = "1h"
staff = 2"#,
    ));
    assert_eq!(answers(&sc), vec![0, 363, 363, 7200, 14400]);
    let out = simulate(&sc);
    let v = |s| overall(&out, "overtime", "handler", s).mean;
    assert_eq!(v("call_ins_per_week"), 1.0);
    assert_eq!(v("hours_per_week"), 2.0);
    assert_eq!(v("cost_per_week"), 2.0 * 20.0 * 1.5);
    assert_eq!(v("held_back_per_week"), 0.0);
    // And on the scorecard.
    let cli = run_cli(
        &hand(
            r#"level = 2
for = "60s"
delay = "5min"
length = "1h"
staff = 2"#,
        ),
        &[],
    );
    cli.success();
    let line = "overtime: 2.0 hours a week (2.0-2.0) in 1.0 call-ins, £60 a week (£60-£60)";
    assert!(cli.stdout.contains(line), "{}", cli.stdout);
    // One call-in a week carries nothing: no warning.
    assert!(!cli.stderr.contains("overtime"), "{}", cli.stderr);
    // Without the call-in, calls 1-3 wait for the one handler.
    let off = parse(&hand(""));
    assert_eq!(answers(&off), vec![0, 7200, 14400, 21600, 28800]);
}

/// A queue that only reaches the level calls no one in: with level 3, calls 1-3 wait, never
/// more than 3 at once.
#[test]
fn a_queue_at_the_level_calls_no_one_in() {
    let sc = parse(&hand(
        r#"level = 3
for = "60s"
delay = "5min"
length = "1h"
staff = 2"#,
    ));
    assert_eq!(answers(&sc), vec![0, 7200, 14400, 21600, 28800]);
    let out = simulate(&sc);
    assert_eq!(
        overall(&out, "overtime", "handler", "call_ins_per_week").mean,
        0.0
    );
}

/// One handler against `per_hour` calls an hour of 2 minutes, more than it and every handler
/// the call-ins below can add would answer: the queue passes the level at once and never falls
/// back. Each call-in brings one handler for an hour, 10 minutes after the queue has been
/// above the level for 10 minutes.
fn overloaded(days: u32, per_hour: u32, caps: &str) -> pledgesim::scenario::Scenario {
    parse(&overloaded_text(days, per_hour, caps))
}

fn overloaded_text(days: u32, per_hour: u32, caps: &str) -> String {
    format!(
        r#"
[run]
horizon = "{days}d"
warm_up = "0s"
replications = 3
seed = 5
[demand.emergency]
calls_per_week = {}
handling = {{ kind = "exponential", mean = "2min" }}
[roster.handlers]
constant = 1
[contact_centre.overtime]
level = 5
for = "10min"
delay = "10min"
length = "1h"
staff = 1
{caps}
"#,
        per_hour * 24 * 7
    )
}

/// With `per_day = 1`, one call-in a day (3 in 3 days), each after the first held back to the
/// moment whose staff start at the next midnight; with `per_week = 2` over 14 days, 4; without
/// caps, one every `for` + `delay` (20 minutes): about 71 in a day.

#[test]
fn caps_limit_call_ins_per_day_and_per_week() {
    let per = |sc: &pledgesim::scenario::Scenario, s| {
        let out = simulate(sc);
        let weeks = (sc.run.horizon.0 - sc.run.warm_up.0) as f64 / (7 * 24 * 3_600_000) as f64;
        column(&out, "overtime", "handler", s)
            .into_iter()
            .map(|x| (x * weeks).round() as u64)
            .collect::<Vec<_>>()
    };
    // Capped by the day: one call-in on each of the 3 days, in every replication; each held
    // back once a day (on the last day, for good: the next day is past the horizon).
    let daily = overloaded(3, 100, "per_day = 1");
    assert_eq!(per(&daily, "call_ins_per_week"), vec![3, 3, 3]);
    assert_eq!(per(&daily, "held_back_per_week"), vec![3, 3, 3]);
    assert_eq!(per(&daily, "hours_per_week"), vec![3, 3, 3]);
    // Capped by the week: two in each of the two weeks.
    let weekly = overloaded(14, 100, "per_week = 2");
    assert_eq!(per(&weekly, "call_ins_per_week"), vec![4, 4, 4]);
    // Uncapped: one every 20 minutes after the first, so about 72 a day.
    let free = overloaded(1, 300, "");
    for n in per(&free, "call_ins_per_week") {
        assert!((70..=72).contains(&n), "{n} call-ins in a day");
    }
}

/// Overtime every day, held back by its cap every day: warned of in words after the run, and
/// typed in summary.json.
#[test]
fn overtime_every_day_is_warned_of() {
    let cli = run_cli(
        &overloaded_text(3, 100, "per_day = 1"),
        &["--allow-overload"],
    );
    cli.success();
    let want = "warning: call handlers: overtime was called in 7.0 times a week (7.0 hours a week), and the caps held a call-in back 7.0 times a week: the targets lean on overtime nearly every day";
    assert!(cli.stderr.contains(want), "{}", cli.stderr);
    let summary = cli.output("summary.json");
    assert!(summary.contains("\"overtime_carries\""), "{summary}");
}

/// A moderately loaded contact centre: 999 and non-emergency calls with patience and redials,
/// call-backs, a roster of shifts.
fn busy(overtime: &str) -> String {
    format!(
        r#"
[run]
horizon = "10d"
warm_up = "1d"
replications = 4
seed = 11
[demand.emergency]
calls_per_week = 5000
handling = {{ kind = "lognormal", mean = "3min", sd = "2min" }}
patience = {{ kind = "exponential", mean = "2min" }}
redial = {{ probability = 0.5, delay = {{ kind = "exponential", mean = "30s" }} }}
[demand.non_emergency]
calls_per_week = 9000
handling = {{ kind = "lognormal", mean = "5min", sd = "3min" }}
patience = {{ kind = "exponential", mean = "4min" }}
[contact_centre.callbacks]
handling = {{ kind = "deterministic", value = "3min" }}
[roster.handlers]
constant = 2
shifts = [
  {{ start = "07:00", length = "10h", count = 4 }},
  {{ start = "16:00", length = "10h", count = 3 }},
  {{ start = "22:00", length = "10h", count = 1 }},
]
{overtime}
"#
    )
}

/// Every figure (but the overtime rows themselves) of a run with the policy switched off, or
/// with a level the queue never passes, is bit for bit the run's without the section.
#[test]
fn a_policy_switched_off_or_never_used_changes_nothing() {
    let bits = |out: &pledgesim::experiment::RunOutcome| {
        out.overall
            .iter()
            .zip(0..)
            .filter(|(r, _)| r.key.kpi != "overtime")
            .map(|(r, i)| {
                let v: Vec<u64> = out.reps.iter().map(|x| x.values[i].to_bits()).collect();
                (r.key.clone(), v)
            })
            .collect::<Vec<_>>()
    };
    let without = simulate(&parse(&busy("")));
    let section = |enabled: &str, level: u32| {
        format!(
            "[contact_centre.overtime]\n{enabled}level = {level}\nfor = \"5min\"\ndelay = \"30min\"\nlength = \"4h\"\nstaff = 2\nper_day = 2\n"
        )
    };
    let off = parse(&busy(&section("enabled = false\n", 5)));
    assert!(off.overtime.is_none());
    let off = simulate(&off);
    assert_eq!(bits(&off), bits(&without));
    let never = simulate(&parse(&busy(&section("", 1_000_000))));
    assert_eq!(bits(&never), bits(&without));
    assert_eq!(
        overall(&never, "overtime", "handler", "call_ins_per_week").mean,
        0.0
    );
}

/// 999 calls only, no patience, handlers always on duty and loaded at 97%: the queue often
/// passes 10 calls. Handlers called in add to those on duty, so on the same calls every
/// replication answers at least as many within 10 s (first come first served, each call's
/// handling drawn as it arrives: more handlers never make a call wait longer), and over the
/// replications T1 rises by more than four standard errors of the paired difference.
#[test]
fn call_ins_raise_t1_on_the_same_calls() {
    let text = |overtime: &str| {
        format!(
            r#"
[run]
horizon = "15d"
warm_up = "1d"
replications = 8
seed = 3
[demand.emergency]
calls_per_week = {}
handling = {{ kind = "exponential", mean = "2min" }}
[roster.handlers]
constant = 10
{overtime}
"#,
            (9.7 / 2.0 * 60.0 * 24.0 * 7.0) as u64
        )
    };
    let off = simulate(&parse(&text("")));
    let on = simulate(&parse(&text(
        "[contact_centre.overtime]\nlevel = 10\nfor = \"5min\"\ndelay = \"20min\"\nlength = \"2h\"\nstaff = 2\n",
    )));
    let t1 = |o| column(o, "T1", "999", "share_within");
    let (a, b) = (t1(&off), t1(&on));
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
    for (i, x) in d.iter().enumerate() {
        assert!(*x >= 0.0, "replication {i}: T1 {} off, {} on", a[i], b[i]);
    }
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!(
        mean > 4.0 * sd / n.sqrt(),
        "T1 rises by {mean} (sd {sd}) with call-ins"
    );
    assert!(overall(&on, "overtime", "handler", "call_ins_per_week").mean > 1.0);
}

/// A negative level, zero durations, a call-in delay past the horizon, no staff and caps of
/// zero: every one reported, by field and line, and the run refused with exit 2.
#[test]
fn bad_overtime_settings_are_all_reported() {
    let cli = run_cli(
        r#"
[run]
horizon = "1d"
warm_up = "1h"
[demand.emergency]
calls_per_week = 100
handling = { kind = "exponential", mean = "2min" }
[roster.handlers]
constant = 2
[contact_centre.overtime]
level = -1
for = "0s"
delay = "2d"
length = "0s"
staff = 0
per_day = 0
per_week = 0
"#,
        &[],
    );
    cli.code(2);
    let err = &cli.stderr;
    for want in [
        "contact_centre.overtime.level",
        "contact_centre.overtime.for",
        "contact_centre.overtime.delay",
        "longer than the run's horizon",
        "contact_centre.overtime.length",
        "contact_centre.overtime.staff",
        "a call-in of no staff adds no handler",
        "contact_centre.overtime.per_day",
        "contact_centre.overtime.per_week",
        "a cap of 0 never lets the policy call anyone in",
        "s.toml:11",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}
