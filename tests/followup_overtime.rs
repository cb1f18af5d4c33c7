//! Overtime call-in of a workgroup's staff on its backlog: a hand trace (the backlog passes the
//! level at a known time, the staff start after the delay and take the waiting tasks, their cost
//! is the hand sum), a policy switched off or never used changes no figure, call-ins keep
//! victims better informed on the same calls and carrying the desk is warned of, compare
//! without escalation leaves it out, and bad settings are all reported.

use crate::common;

use common::{bits_but, overall, parse, run_cli, simulate, two_sectors};

/// Two sectors (tests/common), emergency calls `calls` answered and created at once; every call
/// makes a task for T10 (24 hours, met-2009) for workgroup `desk`: one person always on duty
/// (no duties), an hour a task. `overtime` is more of the workgroup's entry. Desk staff are
/// paid £20 an hour, overtime at time and a half.
fn text(calls: &str, overtime: &str) -> String {
    two_sectors(
        calls,
        "on_scene = { I = { kind = \"deterministic\", value = \"60min\" }, S = { kind = \"deterministic\", value = \"60min\" } }",
        &format!(
            r#"[roster.units.constant]
A = 1
B = 1
[[workgroups]]
name = "desk"
constant = 1
{overtime}
[[followup]]
target = "T10"
team = "desk"
categories = ["domestic_abuse", "road_traffic_collision", "serious_assault", "other_crime", "non_crime"]
work = {{ kind = "deterministic", value = "60min" }}
[pay.roles.handler]
base = 0.0
[pay.roles.response]
base = 0.0
[pay.roles.staff]
base = 20.0
overtime = 1.5
"#
        ),
    )
}

/// Calls at 0, 1, 2 and 3 minutes in ward W1.
fn four_calls() -> String {
    (0..4)
        .map(|m| format!(r#"{{ at = "{m}min", ward = "W1", x = 0.0, y = 0.0 }}"#))
        .collect::<Vec<_>>()
        .join(", ")
}

/// More than 2 tasks waiting for 5 minutes; one person, `delay` after the call-in, for 70
/// minutes.
fn rule(delay: u32) -> String {
    format!(
        "overtime = {{ level = 2, for = \"5min\", delay = \"{delay}min\", length = \"70min\", staff = 1 }}"
    )
}

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "{what}: {got} against {want}");
}

/// By hand: tasks open at 0, 1, 2 and 3 minutes. The desk's one person takes the first (done
/// at 60); the others wait, 3 of them from minute 3, above the level: the call-in at 8 and,
/// with a 10-minute delay, a person on overtime from 18 to 88, who takes the task of minute 1
/// (done at 78, leaving 1 waiting) and then, free at 78, the task of minute 3 (done at 138,
/// after the call-in's end: a task in hand is finished). The rostered person takes the task of
/// minute 2 at 60 (done at 120). Creation to done: 60, 77, 118 and 135 minutes, a mean of 97.5
/// minutes; without the call-in 60, 119, 178 and 237, a mean of 148.5. With a 20-minute delay
/// the person starts at 28 (done at 88 and 148): 60, 87, 118, 145, a mean of 102.5. One
/// call-in of 70 minutes in the week: 7/6 hours, at 20 x 1.5 = £30 an hour, £35.
#[test]
fn a_hand_trace_of_one_call_in() {
    let mean_done_min = |t: &str| {
        let out = simulate(&parse(t));
        (overall(&out, "T10", "all", "mean_done_h").mean * 60.0, out)
    };
    let (without, _) = mean_done_min(&text(&four_calls(), ""));
    close("mean minutes to done, without", without, 148.5);
    let (with, out) = mean_done_min(&text(&four_calls(), &rule(10)));
    close("mean minutes to done, 10-minute delay", with, 97.5);
    let (later, _) = mean_done_min(&text(&four_calls(), &rule(20)));
    close("mean minutes to done, 20-minute delay", later, 102.5);
    let ot = |s| overall(&out, "overtime", "desk", s).mean;
    close("call-ins", ot("call_ins_per_week"), 1.0);
    close("hours", ot("hours_per_week"), 70.0 / 60.0);
    close("cost", ot("cost_per_week"), 35.0);
    close("held back", ot("held_back_per_week"), 0.0);
}

/// A backlog at the level calls no one in; a per-day cap of 1 holds back a second call-in due
/// the same day.
#[test]
fn at_the_level_no_one_and_the_cap_holds_back() {
    let at = text(&four_calls(), &rule(10).replace("level = 2", "level = 3"));
    let out = simulate(&parse(&at));
    close(
        "call-ins at the level",
        overall(&out, "overtime", "desk", "call_ins_per_week").mean,
        0.0,
    );
    // Eight calls a minute apart: 3 wait from minute 3; the call-in at 8 brings one person at
    // 18 for 10 minutes, who takes one of the 7 then waiting; the next check, 5 minutes after
    // the arrival, finds the day's one call-in made and is held back (to be made again just
    // before the next day, when the backlog is long done).
    let calls: Vec<String> = (0..8)
        .map(|m| format!(r#"{{ at = "{m}min", ward = "W1", x = 0.0, y = 0.0 }}"#))
        .collect();
    let capped = text(
        &calls.join(", "),
        "overtime = { level = 2, for = \"5min\", delay = \"10min\", length = \"10min\", staff = 1, per_day = 1 }",
    );
    let out = simulate(&parse(&capped));
    let ot = |s| overall(&out, "overtime", "desk", s).mean;
    close("call-ins", ot("call_ins_per_week"), 1.0);
    close("held back", ot("held_back_per_week"), 1.0);
}

/// The county district shortened to two replications: the crime desk, `entry` added to its
/// workgroup entry, and its caseload at `per_week` pieces a week (44 shipped).
fn county(entry: &str, per_week: u32) -> String {
    let base = std::fs::read_to_string(common::shipped("county-district.toml")).unwrap();
    let from = "name = \"crime\"\n";
    assert!(base.contains(from) && base.contains("background = { per_week = 44,"));
    base.replace(from, &format!("{from}{entry}\n")).replace(
        "background = { per_week = 44,",
        &format!("background = {{ per_week = {per_week},"),
    )
}

fn county_scenario(entry: &str, per_week: u32, reps: u32) -> pledgesim::Scenario {
    let source = pledgesim::scenario::Source {
        label: "county-district.toml".into(),
        dir: Some(common::shipped("")),
        format: pledgesim::scenario::Format::Toml,
    };
    let mut sc = pledgesim::Scenario::parse(&county(entry, per_week), &source)
        .unwrap_or_else(|e| panic!("{e}"));
    sc.run.replications = reps;
    sc
}

/// Every figure (but the overtime rows) of a run with the desk's call-in switched off, or with
/// a level its backlog never passes, is bit for bit the run's without it.
#[test]
fn a_policy_switched_off_or_never_used_changes_nothing() {
    let on = "overtime = { level = 3, for = \"1h\", delay = \"2h\", length = \"8h\", staff = 1 }";
    let without = simulate(&county_scenario("", 44, 2));
    let off = county_scenario(&on.replace("level", "enabled = false, level"), 44, 2);
    assert!(off.workgroups[0].overtime.is_none());
    assert_eq!(
        bits_but(&simulate(&off), "overtime"),
        bits_but(&without, "overtime")
    );
    let never = simulate(&county_scenario(
        &on.replace("level = 3", "level = 100000"),
        44,
        2,
    ));
    assert_eq!(bits_but(&never, "overtime"), bits_but(&without, "overtime"));
    assert_eq!(
        overall(&never, "overtime", "crime", "call_ins_per_week").mean,
        0.0
    );
}

/// The crime desk past its cliff (54 pieces of its own work a week instead of 44): with one
/// investigator called in for 8 hours (from 2 hours after the call-in, at most one a day)
/// whenever more than 15 tasks have waited 4 hours, on the same calls, T9 (victims kept
/// informed) rises by more than four standard errors of the paired difference; the cost is the
/// hours at role staff's overtime rate (17 x 1.5 = £25.50 an hour); call-ins about every day
/// are warned of. Without escalation (as compare makes it) is the run without the policy.
#[test]
fn call_ins_keep_victims_informed_on_the_same_calls() {
    let entry = "overtime = { level = 15, for = \"4h\", delay = \"2h\", length = \"8h\", staff = 1, per_day = 1 }";
    let reps = 10;
    let base = county_scenario("", 54, reps);
    let with = county_scenario(entry, 54, reps);
    let stripped = pledgesim::experiment::compare::without_escalation(&with).expect("a policy");
    assert!(stripped.workgroups.iter().all(|g| g.overtime.is_none()));
    let (off, on) = (simulate(&base), simulate(&with));
    assert_eq!(
        bits_but(&simulate(&stripped), "overtime"),
        bits_but(&off, "overtime")
    );
    let t9 = |o| common::column(o, "T9", "all", "share_within");
    let d: Vec<f64> = t9(&on).iter().zip(t9(&off)).map(|(a, b)| a - b).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    let ot = |s| overall(&on, "overtime", "crime", s);
    eprintln!(
        "T9 {:.4} without, {:.4} with: difference {mean:.4} (SE {se:.4}, 95% CI {:.4} to {:.4}); \
         {:.2} call-ins and {:.1} hours a week (95% CI {:.1} to {:.1}), £{:.2} a week",
        overall(&off, "T9", "all", "share_within").mean,
        overall(&on, "T9", "all", "share_within").mean,
        mean - 2.262 * se,
        mean + 2.262 * se,
        ot("call_ins_per_week").mean,
        ot("hours_per_week").mean,
        ot("hours_per_week").ci_low,
        ot("hours_per_week").ci_high,
        ot("cost_per_week").mean,
    );
    assert!(
        mean > common::K * se,
        "T9 difference {mean} (SE {se}) not above {} SE",
        common::K
    );
    let (calls, hours) = (ot("call_ins_per_week").mean, ot("hours_per_week").mean);
    close("hours per call-in", hours / calls, 8.0);
    let cost = common::column(&on, "overtime", "crime", "cost_per_week");
    let hours_each = common::column(&on, "overtime", "crime", "hours_per_week");
    for (c, h) in cost.iter().zip(&hours_each) {
        close("cost", *c, (h * 17.0 * 1.5 * 100.0).round() / 100.0);
    }
    let warned: Vec<String> = pledgesim::experiment::warnings::after_run(&on)
        .iter()
        .filter(|w| w.kind() == "overtime_carries" && w.resource() == "workgroup crime")
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warned.len(),
        usize::from(calls >= 7.0 || ot("held_back_per_week").mean >= 1.0),
        "{calls}: {warned:?}"
    );
}

/// A negative level, no staff, caps of 0, durations of 0, a call-in delay longer than the run,
/// and a call-in for a workgroup with no tasks: every one reported, by field, and the run
/// refused with exit 2.
#[test]
fn bad_workgroup_overtime_settings_are_all_reported() {
    let bad = r#"overtime = { level = -1, for = "0s", delay = "2w", length = "0s", staff = 0, per_day = 0, per_week = 0 }
[[workgroups]]
name = "idle"
constant = 1
overtime = { level = 1, for = "1h", delay = "1h", length = "1h", staff = 1 }"#;
    let cli = run_cli(&text(&four_calls(), bad), &[]);
    cli.code(2);
    let err = &cli.stderr;
    for want in [
        "workgroups[0].overtime.level",
        "workgroups[0].overtime.for",
        "workgroups[0].overtime.delay",
        "longer than the run's horizon",
        "workgroups[0].overtime.length",
        "workgroups[0].overtime.staff",
        "workgroups[0].overtime.per_day",
        "workgroups[0].overtime.per_week",
        "workgroups[1].overtime",
        "workgroup \"idle\" has no tasks",
    ] {
        assert!(err.contains(want), "{want} missing from: {err}");
    }
}
