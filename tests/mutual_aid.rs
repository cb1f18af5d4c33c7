//! Mutual aid for response: hand-built cases where the aid unit always takes the same time
//! (an own unit on its way but late; the only unit busy; an own unit in time), with
//! attendance, aid hours and cost by hand; a section switched off changes no figure; aid
//! raises T3 on the same calls; bad settings are all reported.

use crate::common;

use common::{
    bits_but, column, default_shortened, overall, parse, run_cli, simulate, trace, two_sectors,
};
use pledgesim::model::field::{AID_UNIT, Step};
use pledgesim::time::MINUTE;

/// Sector A: ward W1 (at 0,0); sector B: ward W3 (at 20,0) with the only response unit, lent
/// to A (borrowing within 100 km). Wards are tiny, so a place in one is its centre. Speeds
/// 30 km/h, no turnout, no travel factor, 10 minutes on scene, no paperwork. Emergency calls
/// `calls`, answered and created at once. A week's run, all measured. `aid` is the
/// `[response.mutual_aid]` body (none when empty).
fn text(calls: &str, aid: &str) -> String {
    let section = if aid.is_empty() {
        String::new()
    } else {
        format!("[response.mutual_aid]\n{aid}")
    };
    two_sectors(
        calls,
        &format!(
            "borrow_within_km = 100\non_scene = {{ I = {{ kind = \"deterministic\", value = \"10min\" }}, S = {{ kind = \"deterministic\", value = \"10min\" }} }}\n{section}"
        ),
        "[roster.units.constant]\nB = 1\n",
    )
}

/// Aid after 15 minutes, mobilised in 5, a fixed 10-minute drive, £60 an hour.
const AID: &str = r#"after = "15min"
delay = "5min"
travel = { kind = "deterministic", value = "10min" }
cost_per_hour = 60.0
"#;

const W1_AT_0: &str = r#"{ at = "0min", ward = "W1", x = 0.0, y = 0.0 }"#;

/// The arrivals: (minute, rounded to the millisecond's minute, unit), aid units included.
fn arrivals(t: &str) -> Vec<(u64, u32)> {
    trace(&parse(t), 0)
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Arrived { at, unit, .. } => Some(((at + MINUTE / 2) / MINUTE, *unit)),
            _ => None,
        })
        .collect()
}

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() < 1e-3, "{what}: {got} against {want}");
}

/// By hand, an own unit on its way but late: the unit is 20 km away, 40 minutes at 30 km/h.
/// At 15 minutes no unit has arrived, and aid (15 + 5 + 10 = 30 minutes) beats the unit's
/// estimate: called. It reaches W1 at 30 minutes, first: the incident is attended at 30
/// minutes (1800 s). The own unit still goes (it has the incident's place) and arrives at 40.
/// The aid unit stays its 10 minutes on scene and drives 10 minutes back: 5 + 10 + 10 + 10 =
/// 35 minutes of aid, £35 at £60 an hour.
#[test]
fn a_late_own_unit_is_beaten_by_aid_by_hand() {
    let t = text(W1_AT_0, AID);
    assert_eq!(arrivals(&t), vec![(30, AID_UNIT), (40, 0)]);
    let out = simulate(&parse(&t));
    close(
        "attendance",
        overall(&out, "T3", "I@call", "mean_attend_s").mean,
        1800.0,
    );
    let aid = |s| overall(&out, "mutual_aid", "all", s).mean;
    // One call for aid a week is no warning.
    assert!(
        !pledgesim::experiment::warnings::after_run(&out)
            .iter()
            .any(|w| w.kind() == "aid_carries")
    );
    close("calls", aid("calls_per_week"), 1.0);
    close("hours", aid("hours_per_week"), 35.0 / 60.0);
    assert_eq!(aid("cost_per_week"), 35.0);
    assert_eq!(aid("turned_back_per_week"), 0.0);
    close(
        "share",
        overall(&out, "mutual_aid", "I", "share_attended_by_aid").mean,
        1.0,
    );
    // And on the scorecard.
    let cli = run_cli(&t, &[]);
    cli.success();
    let line = "mutual aid: 0.6 hours a week (0.6-0.6) in 1.0 calls, £35 a week (£35-£35)";
    assert!(cli.stdout.contains(line), "{}", cli.stdout);
    // Without aid, the own unit's 40 minutes.
    let off = simulate(&parse(&text(W1_AT_0, "")));
    close(
        "attendance without aid",
        overall(&off, "T3", "I@call", "mean_attend_s").mean,
        2400.0,
    );
}

/// By hand, the only unit busy: it reaches its own ward's call (W3, 2 hours on scene) at 0;
/// the W1 call at 1 minute waits with no unit. At 16 minutes aid is called (no own unit sent:
/// it always goes), arrives at 31 minutes and takes the incident's place: attended at 30
/// minutes from the call. The own unit, free at 2 hours, never goes to W1. Mean attendance of
/// the two: (0 + 1800) / 2 s; 35 minutes of aid.
#[test]
fn aid_takes_the_place_of_a_queued_incident_by_hand() {
    let calls = r#"{ at = "0min", ward = "W3", x = 20.0, y = 0.0, on_scene = "2h" }, { at = "1min", ward = "W1", x = 0.0, y = 0.0 }"#;
    let t = text(calls, AID);
    assert_eq!(arrivals(&t), vec![(0, 0), (31, AID_UNIT)]);
    // The aid unit clears the incident it took: at 41 minutes.
    let cleared: Vec<(u64, u32)> = trace(&parse(&t), 0)
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Cleared { at, unit, .. } => Some(((at + MINUTE / 2) / MINUTE, *unit)),
            _ => None,
        })
        .collect();
    assert_eq!(cleared, vec![(41, AID_UNIT), (120, 0)]);
    let out = simulate(&parse(&t));
    close(
        "attendance",
        overall(&out, "T3", "I@call", "mean_attend_s").mean,
        900.0,
    );
    let aid = |s| overall(&out, "mutual_aid", "all", s).mean;
    close("calls", aid("calls_per_week"), 1.0);
    close("hours", aid("hours_per_week"), 35.0 / 60.0);
    assert_eq!(aid("cost_per_week"), 35.0);
    close(
        "share",
        overall(&out, "mutual_aid", "I", "share_attended_by_aid").mean,
        0.5,
    );
    // Without aid, the W1 call waits for the unit: free at 120 minutes, there at 160.
    let off = text(calls, "");
    assert_eq!(arrivals(&off), vec![(0, 0), (160, 0)]);
}

/// No aid when an own unit is in time (the call in the unit's own ward, attended at once), when
/// aid would come no sooner than the own unit (a 30-minute drive: 15 + 5 + 30 = 50 minutes
/// against 40), or when the one aid unit allowed is out (two late calls at once: the second
/// is refused).
#[test]
fn no_aid_when_in_time_no_sooner_or_every_aid_unit_is_out() {
    let own = text(r#"{ at = "0min", ward = "W3", x = 20.0, y = 0.0 }"#, AID);
    let out = simulate(&parse(&own));
    assert_eq!(
        overall(&out, "mutual_aid", "all", "calls_per_week").mean,
        0.0
    );
    assert_eq!(
        overall(&out, "mutual_aid", "all", "hours_per_week").mean,
        0.0
    );
    let slow = text(
        W1_AT_0,
        &AID.replace(r#"value = "10min""#, r#"value = "30min""#),
    );
    let out = simulate(&parse(&slow));
    assert_eq!(
        overall(&out, "mutual_aid", "all", "calls_per_week").mean,
        0.0
    );
    close(
        "attendance",
        overall(&out, "T3", "I@call", "mean_attend_s").mean,
        2400.0,
    );
    let two = text(
        r#"{ at = "0min", ward = "W1", x = 0.0, y = 0.0 }, { at = "0min", ward = "W1", x = 0.0, y = 0.0 }"#,
        &format!("{AID}units = 1\n"),
    );
    let out = simulate(&parse(&two));
    let aid = |s| overall(&out, "mutual_aid", "all", s).mean;
    close("calls", aid("calls_per_week"), 1.0);
    close("refused", aid("refused_per_week"), 1.0);
}

/// Every figure (but the aid rows themselves) of a run with the section switched off is bit
/// for bit the run's without it.
#[test]
fn aid_switched_off_changes_nothing() {
    let without = simulate(&parse(&default_shortened("")));
    let off = parse(&default_shortened(&format!(
        "[response.mutual_aid]\nenabled = false\n{AID}"
    )));
    assert!(off.response.as_ref().unwrap().mutual_aid.is_none());
    let off = simulate(&off);
    assert_eq!(
        bits_but(&off, "mutual_aid"),
        bits_but(&without, "mutual_aid")
    );
    assert!(off.overall.iter().all(|r| r.key.kpi != "mutual_aid"));
}

/// Aid 8 minutes after creation, mobilised in 1, driving 4 (lognormal, drawn per incident):
/// on the same calls, T3 (from the call) rises in every paired replication (about 5 points)
/// and by more than four standard errors of the paired difference, and aid is called.
#[test]
fn aid_raises_t3_on_the_same_calls() {
    let off = simulate(&parse(&default_shortened("")));
    let on = simulate(&parse(&default_shortened(
        r#"[response.mutual_aid]
after = "8min"
delay = "1min"
travel = { kind = "lognormal", mean = "4min", sd = "1min" }
cost_per_hour = 80.0
"#,
    )));
    let t3 = |o| column(o, "T3", "I@call", "share_within");
    let (a, b) = (t3(&off), t3(&on));
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
    for (i, x) in d.iter().enumerate() {
        assert!(*x > 0.0, "replication {i}: T3 {} off, {} on", a[i], b[i]);
    }
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    eprintln!("T3 off {a:?}, on {b:?}: rise {mean} (sd {sd})");
    assert!(
        mean > 4.0 * sd / n.sqrt(),
        "T3 rises by {mean} (sd {sd}) with aid"
    );
    let calls = overall(&on, "mutual_aid", "all", "calls_per_week").mean;
    let hours = overall(&on, "mutual_aid", "all", "hours_per_week").mean;
    let cost = overall(&on, "mutual_aid", "all", "cost_per_week").mean;
    eprintln!("aid: {calls} calls, {hours} hours, £{cost} a week");
    assert!(calls > 1.0);
    assert!((cost - hours * 80.0).abs() < 0.01 * hours.max(1.0));
    // Aid about every day is warned of, in words, with its calls and hours.
    let warned: Vec<String> = pledgesim::experiment::warnings::after_run(&on)
        .iter()
        .filter(|w| w.kind() == "aid_carries" && w.resource() == "response_units")
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warned.len(),
        usize::from(calls >= 7.0),
        "{calls} calls: {warned:?}"
    );
    if calls >= 7.0 {
        assert!(
            warned[0].contains(&format!("{calls:.1} times a week")),
            "{warned:?}"
        );
    }
}

/// Zero durations, a travel distribution with a zero mean, a negative cost, no units, grades
/// that are not dispatched or do not exist: every one reported, by field and line, and the run
/// refused with exit 2.
#[test]
fn bad_aid_settings_are_all_reported() {
    let cli = run_cli(
        &text(
            W1_AT_0,
            r#"after = "0s"
delay = "0s"
travel = { kind = "exponential", mean = "0s" }
cost_per_hour = -5.0
units = 0
grades = ["I", "E", "X"]
"#,
        ),
        &[],
    );
    cli.code(2);
    let err = &cli.stderr;
    for want in [
        "response.mutual_aid.after",
        "response.mutual_aid.delay",
        "response.mutual_aid.travel.mean",
        "response.mutual_aid.cost_per_hour",
        "response.mutual_aid.units",
        "response.mutual_aid.grades[1]",
        "is not dispatched",
        "response.mutual_aid.grades[2]",
        "no grade \"X\"",
        "s.toml:23",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}
