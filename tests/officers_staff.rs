//! The staff of follow-up workgroups as people: a hand-computed month of one investigator's
//! handovers and breaks, whole-shift shrinkage converging to its rate, the time on tasks equal
//! to the work done, and their settings checked.

use crate::common;

use common::{expect_agrees, overall, parse, run_cli};
use pledgesim::experiment::{self, RunOptions};

/// A workgroup `desk` on `shifts`, serving a T10 stream at `per_week`, with `officers`.
fn desk(weeks: u32, reps: u32, shifts: &str, per_week: f64, work: &str, officers: &str) -> String {
    format!(
        r#"
[run]
horizon = "{weeks}w"
warm_up = "0s"
replications = {reps}
seed = 23
[demand.emergency]
calls_per_week = 1
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
turnout = "0s"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 30, S = 30 }}, rural = {{ I = 30, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "10min" }}, S = {{ kind = "deterministic", value = "10min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 1

[[workgroups]]
name = "desk"
shifts = [{shifts}]

[[followup]]
target = "T10"
team = "desk"
per_week = {per_week}
work = {work}
{officers}
"#
    )
}

const DUTIES: &str = r#"
[[officers.duties]]
cause = "briefing"
roles = ["staff"]
when = "shift_start"
length = { kind = "deterministic", value = "15min" }

[[officers.duties]]
cause = "refreshment"
roles = ["staff"]
when = "break"
after = "4h"
latest = "6h"
length = { kind = "deterministic", value = "45min" }
"#;

/// By hand: one investigator on weekdays 08:00-16:00 for four weeks (20 shifts of 480 minutes,
/// whatever day the run starts). Each shift begins with the 15-minute handover; the break falls
/// due at 12:00 and is taken then, or after the task in hand (tasks of 10 minutes, a few a
/// week, cannot hold it past 14:00). So 15/480 of the time on duty goes to briefings and 45/480
/// to breaks, exactly, and every break is taken.
#[test]
fn a_hand_computed_month_gives_exact_handover_and_break_shares() {
    let shifts = r#"{ start = "08:00", length = "8h", days = ["weekdays"], count = 1 }"#;
    let work = r#"{ kind = "deterministic", value = "10min" }"#;
    let sc = parse(&desk(4, 1, shifts, 5.0, work, DUTIES));
    let out = experiment::run(&sc, &RunOptions::default());
    let f = |s: &str| overall(&out, "workgroups", "desk@", s).mean;
    assert_eq!(f("rostered_shifts"), 20.0);
    assert_eq!(f("breaks_due"), 20.0);
    assert_eq!(f("breaks_missed"), 0.0);
    assert_eq!(f("started"), 40.0);
    assert!((f("lost_share_briefing") - 15.0 / 480.0).abs() < 1e-12);
    assert!((f("lost_share_refreshment") - 45.0 / 480.0).abs() < 1e-12);
    // Every task done.
    let tasks = overall(&out, "T10", "all@", "tasks").mean;
    assert!(tasks > 0.0);
    assert_eq!(overall(&out, "T10", "all@", "open_at_end").mean, 0.0);
    // Time on tasks is whole tasks of 10 minutes: those done inside the window.
    let done = f("utilisation") * 20.0 * 480.0 / 10.0;
    assert!((done - done.round()).abs() < 1e-9 && done >= 1.0 && done <= tasks);
}

/// A task of 5 hours from a call at Monday 08:00 (the run starts on Monday 5 January 2009):
/// the handover runs 08:00-08:15, the task 08:15-13:15, so the break due at 12:00 starts at
/// 13:15, within its latest of 14:00: taken. With a latest of 13:00 it is missed, and counted.
#[test]
fn a_break_behind_a_long_task_is_taken_late_or_missed_at_its_latest() {
    let shifts = r#"{ start = "08:00", length = "8h", days = ["mon"], count = 1 }"#;
    let work = r#"{ kind = "deterministic", value = "5h" }"#;
    let late = DUTIES.replace("latest = \"6h\"", "latest = \"5h\"");
    for (duties, missed, refreshment) in [(DUTIES.to_string(), 0.0, 45.0), (late, 1.0, 0.0)] {
        let text = desk(1, 1, shifts, 0.0, work, &duties)
            .replace(
                "calls_per_week = 1",
                r#"calls = [{ at = "8h", grade = "I", x = 0.0, y = 0.0, on_scene = "10min" }]"#,
            )
            .replace(
                "per_week = 0\n",
                "grades = [\"I\"]\ncategories = [\"non_crime\"]\n",
            );
        let sc = parse(&text);
        let out = experiment::run(&sc, &RunOptions::default());
        let f = |s: &str| overall(&out, "workgroups", "desk@", s).mean;
        assert_eq!(overall(&out, "T10", "all@", "tasks").mean, 1.0);
        assert_eq!(f("breaks_due"), 1.0);
        assert_eq!(f("breaks_missed"), missed);
        assert!((f("lost_share_refreshment") - refreshment / 480.0).abs() < 1e-12);
        assert!((f("utilisation") - 300.0 / 480.0).abs() < 1e-12);
    }
}

/// Each person of a shift is lost to leave, sickness or training at the rates given: over a
/// year of three shifts a day of five people, the shares of rostered shifts lost converge to
/// the rates.
#[test]
fn staff_shrinkage_converges_to_its_rate() {
    let shifts = r#"{ start = "06:00", length = "8h", count = 5 }, { start = "14:00", length = "8h", count = 5 }, { start = "22:00", length = "8h", count = 5 }"#;
    let work = r#"{ kind = "exponential", mean = "30min" }"#;
    let shrinkage = r#"
[[officers.shrinkage]]
roles = ["staff"]
leave = 0.12
sickness = 0.05
training = 0.03
"#;
    let sc = parse(&desk(52, 10, shifts, 50.0, work, shrinkage));
    let out = experiment::run(&sc, &RunOptions::default());
    let rostered = overall(&out, "workgroups", "desk@", "rostered_shifts");
    assert_eq!(rostered.mean, 3.0 * 5.0 * 364.0);
    for (cause, p) in [("leave", 0.12), ("sickness", 0.05), ("training", 0.03)] {
        let lost = overall(&out, "workgroups", "desk@", &format!("shifts_lost_{cause}"));
        expect_agrees(
            &format!("share of staff shifts lost to {cause}"),
            lost.mean / rostered.mean,
            p,
            lost.se() / rostered.mean,
        );
    }
    // Fewer people, busier people: time on tasks (including a task in hand finished after the
    // shift's end) per time on duty is the offered work over the present staff's hours, as
    // every task is done (a stable queue).
    let util = overall(&out, "workgroups", "desk@", "utilisation");
    let offered = 50.0 * 0.5 / (168.0 * 5.0 * 0.8);
    expect_agrees(
        "staff utilisation (offered work over present hours)",
        util.mean,
        offered,
        util.se(),
    );
}

#[test]
fn staff_settings_are_checked_all_at_once() {
    let shifts = r#"{ start = "08:00", length = "8h", days = ["weekdays"], count = 1 }"#;
    let work = r#"{ kind = "deterministic", value = "10min" }"#;
    let bad = r#"
[[officers.duties]]
cause = "custody"
roles = ["staff"]
when = "after_incident"
probability = { I = 0.5, S = 0.5 }
length = { kind = "deterministic", value = "1h" }

[[officers.duties]]
cause = "station"
roles = ["staff"]
when = "per_week"
per_week = 2
place = "base"
interruptible = true
length = { kind = "deterministic", value = "1h" }
"#;
    let cli = run_cli(&desk(1, 1, shifts, 5.0, work, bad), &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    for needle in [
        "officers.duties[0].roles",
        "attend no incidents",
        "officers.duties[1].place",
        "officers.duties[1].interruptible",
    ] {
        assert!(cli.stderr.contains(needle), "{needle} in {}", cli.stderr);
    }
    // Staff shrinkage with no workgroup on shifts.
    let constant = desk(1, 1, shifts, 5.0, work, "").replace(
        "shifts = [{ start = \"08:00\", length = \"8h\", days = [\"weekdays\"], count = 1 }]",
        "constant = 1",
    ) + "[[officers.shrinkage]]\nroles = [\"staff\"]\nleave = 0.1\n";
    let cli = run_cli(&constant, &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    assert!(
        cli.stderr
            .contains("need a [[workgroups]] entry with shifts"),
        "{}",
        cli.stderr
    );
}

/// Appointment officers lose sessions at the shrinkage rates: over a year of daily sessions of
/// four officers the shares lost converge to the rates; each session is drawn once, by its
/// key, so the count and the book agree on who is there.
#[test]
fn appointment_officers_shrinkage_converges_to_its_rate() {
    let text = desk(
        52,
        10,
        r#"{ start = "08:00", length = "8h", days = ["weekdays"], count = 1 }"#,
        5.0,
        r#"{ kind = "deterministic", value = "10min" }"#,
        r#"
[[roster.appointments]]
sector = "A"
start = "09:00"
length = "8h"
slot = "1h"
officers = 4

[[officers.shrinkage]]
roles = ["appointments"]
leave = 0.12
sickness = 0.05
training = 0.03
"#,
    );
    let sc = parse(&text);
    let out = experiment::run(&sc, &RunOptions::default());
    let rostered = overall(&out, "appointments", "all@", "rostered_shifts");
    assert_eq!(rostered.mean, 4.0 * 364.0);
    for (cause, p) in [("leave", 0.12), ("sickness", 0.05), ("training", 0.03)] {
        let lost = overall(
            &out,
            "appointments",
            "all@",
            &format!("shifts_lost_{cause}"),
        );
        expect_agrees(
            &format!("share of appointment officer-sessions lost to {cause}"),
            lost.mean / rostered.mean,
            p,
            lost.se() / rostered.mean,
        );
    }
}

#[test]
fn appointment_officers_take_shrinkage_only() {
    let shifts = r#"{ start = "08:00", length = "8h", days = ["weekdays"], count = 1 }"#;
    let work = r#"{ kind = "deterministic", value = "10min" }"#;
    let bad = r#"
[[officers.duties]]
cause = "station"
roles = ["appointments"]
when = "per_week"
per_week = 1
length = { kind = "deterministic", value = "1h" }

[[officers.shrinkage]]
roles = ["appointments"]
leave = 0.1
"#;
    let cli = run_cli(&desk(1, 1, shifts, 5.0, work, bad), &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    for needle in [
        "officers.duties[0].roles",
        "shrinkage only",
        "needs [[roster.appointments]] sessions",
    ] {
        assert!(cli.stderr.contains(needle), "{needle} in {}", cli.stderr);
    }
}
