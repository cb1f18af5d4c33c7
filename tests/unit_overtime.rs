//! Overtime call-in of response units: a hand trace (the queue of incidents passes the level
//! at a known time, the units start after the delay in the busiest sector, their cost is the
//! hand sum), a policy switched off or never used changes no figure, call-ins reach no incident
//! later on the same calls and carrying the scenario is warned of, and bad settings are all
//! reported.

use crate::common;

use common::{
    bits_but, default_shortened, first_arrivals, overall, parse, run_cli, simulate, trace,
    two_sectors,
};
use pledgesim::model::field::Step;
use pledgesim::time::MINUTE;

/// Sector A (ward W1 at 0,0) with one unit; sector B (ward W3 at 20,0) with one unit that may
/// not borrow (borrowing within 1 km). Wards are tiny, so a unit in its own ward arrives at
/// once. An hour on scene, no turnout, no paperwork. Emergency calls `calls`, answered and
/// created at once. A week's run, all measured, with pay rates for response officers.
fn text(calls: &str, overtime: &str) -> String {
    let section = if overtime.is_empty() {
        String::new()
    } else {
        format!("[response.overtime]\n{overtime}")
    };
    two_sectors(
        calls,
        &format!(
            "borrow_within_km = 1\non_scene = {{ I = {{ kind = \"deterministic\", value = \"60min\" }}, S = {{ kind = \"deterministic\", value = \"60min\" }} }}\n{section}"
        ),
        "[roster.units.constant]\nA = 1\nB = 1\n[pay.roles.handler]\nbase = 0.0\n[pay.roles.response]\nbase = 20.0\novertime = 1.5\n",
    )
}

fn call(minute: u32, ward: &str) -> String {
    let x = if ward == "W1" { 0.0 } else { 20.0 };
    format!(r#"{{ at = "{minute}min", ward = "{ward}", x = {x}, y = 0.0 }}"#)
}

/// The arrivals: (minute, unit).
fn arrivals(t: &str) -> Vec<(u64, u32)> {
    trace(&parse(t), 0)
        .steps
        .iter()
        .filter_map(|s| match *s {
            Step::Arrived { at, unit, .. } => Some(((at + MINUTE / 2) / MINUTE, unit)),
            _ => None,
        })
        .collect()
}

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "{what}: {got} against {want}");
}

/// More than 2 incidents waiting for 5 minutes; units start 10 minutes after the call-in, for
/// 70 minutes, one unit of two officers.
const RULE: &str = r#"level = 2
for = "5min"
delay = "10min"
length = "70min"
units = 1
crew = 2
"#;

/// By hand: sector A's unit takes the call at 0 (on scene to 60). Calls at 1, 2 and 3 wait;
/// the third makes 3 waiting, above the level, at 3 minutes: the call-in at 8, the unit starts
/// at 18 in sector A (3 waiting there, none in B) and takes the call at 1 (arriving at once).
/// Sector A's unit, free at 60, takes the call at 2; the overtime unit, free at 78 (its shift
/// ends at 88), takes the call at 3, and leaves when it clears. Attendance from the call: 0,
/// 17, 58 and 75 minutes; mean 37.5 minutes. One call-in of 2 officers for 70 minutes: 140
/// officer-minutes, 2 1/3 hours, at 20 x 1.5 = £30 an hour: £70.
#[test]
fn a_hand_trace_of_one_call_in() {
    let calls = [call(0, "W1"), call(1, "W1"), call(2, "W1"), call(3, "W1")].join(", ");
    let t = text(&calls, RULE);
    let got = arrivals(&t);
    let minutes: Vec<u64> = got.iter().map(|a| a.0).collect();
    assert_eq!(minutes, vec![0, 18, 60, 78], "{got:?}");
    assert_eq!(got[0].1, got[2].1, "A's own unit: {got:?}");
    assert_eq!(got[1].1, got[3].1, "the overtime unit: {got:?}");
    assert_ne!(got[0].1, got[1].1, "{got:?}");
    let out = simulate(&parse(&t));
    close(
        "attendance",
        overall(&out, "T3", "I@call", "mean_attend_s").mean,
        37.5 * 60.0,
    );
    let ot = |s| overall(&out, "overtime", "response", s).mean;
    close("call-ins", ot("call_ins_per_week"), 1.0);
    close("hours", ot("hours_per_week"), 140.0 / 60.0);
    close("cost", ot("cost_per_week"), 70.0);
    close("held back", ot("held_back_per_week"), 0.0);
    // On the scorecard.
    let cli = run_cli(&t, &[]);
    cli.success();
    let line = "overtime of response units: 2.3 hours a week (2.3-2.3) in 1.0 call-ins, £70 a week (£70-£70)";
    assert!(cli.stdout.contains(line), "{}", cli.stdout);
    // Without it, sector A's one unit takes them in turn.
    let minutes: Vec<u64> = arrivals(&text(&calls, "")).iter().map(|a| a.0).collect();
    assert_eq!(minutes, vec![0, 60, 120, 180]);
}

/// The units go to the sector with the most waiting when they start: three calls wait in B
/// and one in A (more than 3 in all from the fourth, at 4 minutes), so the unit starts in B at
/// 14 minutes and takes B's first waiting call there; A's waits for A's own unit.
#[test]
fn the_units_start_where_most_wait() {
    let calls = [
        call(0, "W1"),
        call(0, "W3"),
        call(1, "W1"),
        call(2, "W3"),
        call(3, "W3"),
        call(4, "W3"),
    ]
    .join(", ");
    let t = text(&calls, &RULE.replace("level = 2", "level = 3"));
    let minutes: Vec<u64> = arrivals(&t).iter().map(|a| a.0).collect();
    assert_eq!(minutes, vec![0, 0, 19, 60, 60, 79], "{:?}", arrivals(&t));
}

/// Every figure (but the overtime rows) of a run with the policy switched off, or with a
/// level never passed, is bit for bit the run's without it.
#[test]
fn a_policy_switched_off_or_never_used_changes_nothing() {
    let without = simulate(&parse(&default_shortened("")));
    let off = parse(&default_shortened(&format!(
        "[response.overtime]\nenabled = false\n{RULE}"
    )));
    assert!(off.response.as_ref().unwrap().overtime.is_none());
    assert_eq!(
        bits_but(&simulate(&off), "overtime"),
        bits_but(&without, "overtime")
    );
    let never = simulate(&parse(&default_shortened(
        &format!("[response.overtime]\n{RULE}").replace("level = 2", "level = 100000"),
    )));
    assert_eq!(bits_but(&never, "overtime"), bits_but(&without, "overtime"));
    assert_eq!(
        overall(&never, "overtime", "response", "call_ins_per_week").mean,
        0.0
    );
}

/// 250 emergency calls over the first five days in sector A (one every 32 minutes, each a
/// fixed 0-31 minutes later), which now has two units: about 0.94 of each unit's time on
/// scene, so incidents often wait. With one unit
/// called in for 2 hours whenever an incident has waited 2 minutes (starting 5 minutes later),
/// on the same calls: no incident is reached later, some sooner, so T3 rises; each call-in is
/// 2 officer-hours at the overtime rate; call-ins about every day are warned of.
#[test]
fn call_ins_reach_no_incident_later_and_some_sooner() {
    let mut x: u64 = 12345;
    let calls: Vec<String> = (0..250u32)
        .map(|i| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            call(i * 32 + (x >> 59) as u32, "W1")
        })
        .collect();
    let base = text(&calls.join(", "), "").replace("A = 1\nB = 1", "A = 2\nB = 1");
    let with = format!(
        "{base}\n[response.overtime]\nlevel = 0\nfor = \"2min\"\ndelay = \"5min\"\nlength = \"2h\"\nunits = 1\n"
    );
    let (a, b) = (first_arrivals(&base), first_arrivals(&with));
    assert_eq!(a.len(), 250);
    assert_eq!(b.len(), 250);
    let sooner = a.iter().filter(|(c, t)| b[c] < **t).count();
    for (c, t) in &a {
        assert!(b[c] <= *t, "call {c}: {} against {t}", b[c]);
    }
    assert!(sooner > 10, "{sooner} sooner");
    let (off, on) = (simulate(&parse(&base)), simulate(&parse(&with)));
    let t3 = |o| overall(o, "T3", "I@call", "share_within").mean;
    eprintln!(
        "T3 {} without, {} with; {sooner} of 250 sooner",
        t3(&off),
        t3(&on)
    );
    assert!(t3(&on) > t3(&off));
    let ot = |s| overall(&on, "overtime", "response", s).mean;
    let (calls, hours, cost) = (
        ot("call_ins_per_week"),
        ot("hours_per_week"),
        ot("cost_per_week"),
    );
    close("hours per call-in", hours / calls, 4.0);
    close("cost", cost, (hours * 30.0 * 100.0).round() / 100.0);
    let warned: Vec<String> = pledgesim::experiment::warnings::after_run(&on)
        .iter()
        .filter(|w| w.kind() == "overtime_carries" && w.resource() == "response_units")
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warned.len(),
        usize::from(calls >= 7.0),
        "{calls}: {warned:?}"
    );
    assert!(calls >= 7.0, "{calls} call-ins a week");
    assert!(
        warned[0].starts_with("response units: overtime was called in"),
        "{warned:?}"
    );
}

/// A negative level, no units, a crew of 0, caps of 0, durations of 0 and a call-in delay
/// longer than the run: every one reported, by field, and the run refused with exit 2.
#[test]
fn bad_unit_overtime_settings_are_all_reported() {
    let cli = run_cli(
        &text(
            &call(0, "W1"),
            r#"level = -1
for = "0s"
delay = "2w"
length = "0s"
units = 0
crew = 0
per_day = 0
per_week = 0
"#,
        ),
        &[],
    );
    cli.code(2);
    let err = &cli.stderr;
    for want in [
        "response.overtime.level",
        "response.overtime.for",
        "response.overtime.delay",
        "longer than the run's horizon",
        "response.overtime.length",
        "response.overtime.units",
        "response.overtime.crew",
        "response.overtime.per_day",
        "response.overtime.per_week",
    ] {
        assert!(err.contains(want), "{want} missing from: {err}");
    }
}
