//! Pulls and the abstraction rate: a neighbourhood PC pulled to an emergency that no response
//! unit can reach in time, checked by hand (who goes, when they arrive, the time lost); not
//! pulled when the response unit is in time or nearer; planned abstractions counted as lost
//! shifts when they take at least half of one (by hand); the pull threshold checked; and pulls
//! firing in a shipped scenario.

use crate::common;

use common::{figure, overall, parse, run_cli, simulate, trace};
use pledgesim::experiment::RunOutcome;
use pledgesim::model::field::Step;
use pledgesim::time::MINUTE;

/// Sector A: wards W1 (at 0,0) and W2 (at 2,0); sector B: ward W3 (at 20,0) with the only
/// response unit, lent to A (borrowing within 100 km). Wards are tiny (1 mm2), so a place in
/// one is its centre to within a millimetre. Speeds 30 km/h, no turnout, no travel factor,
/// 10 minutes on scene, no paperwork. A PC in W2 on duty round the clock. One emergency call
/// at 0 in W1, answered and created at once.
fn text(neighbourhood: &str) -> String {
    format!(
        r#"
pledge = "met-2009"
[run]
start = "2009-01-05"
horizon = "1w"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{{ at = "0min", ward = "W1", x = 0.0, y = 0.0 }}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
turnout = "0s"
emergency_created_after = "0s"
borrow_within_km = 100
speed_kmh = {{ urban = {{ I = 30, S = 30 }}, rural = {{ I = 30, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "10min" }}, S = {{ kind = "deterministic", value = "10min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
[[sectors]]
name = "B"
[[wards]]
name = "W1"
type = "urban"
area_km2 = 1e-12
x = 0
y = 0
sector = "A"
[[wards]]
name = "W2"
type = "urban"
area_km2 = 1e-12
x = 2
y = 0
sector = "A"
[[wards]]
name = "W3"
type = "urban"
area_km2 = 1e-12
x = 20
y = 0
sector = "B"
[roster.units.constant]
B = 1
[neighbourhood]
{neighbourhood}
[[neighbourhood.teams]]
wards = ["W2"]
members = [{{ role = "pc", shifts = [{{ start = "00:00", length = "24h" }}] }}]
"#
    )
}

fn steps(out_text: &str) -> Vec<Step> {
    trace(&parse(out_text), 0).steps
}

fn arrivals(steps: &[Step]) -> Vec<(u64, u32)> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Arrived { at, unit, .. } => Some((*at, *unit)),
            _ => None,
        })
        .collect()
}

fn team(out: &RunOutcome, ward_role: &str, statistic: &str) -> f64 {
    figure(&out.hood, "T6", ward_role, statistic).estimate.mean
}

/// By hand: the response unit is 20 km away, 40 minutes at 30 km/h, later than the 15 minutes
/// allowed; the PC is 2 km away, 4 minutes. So both are sent at 0 (the unit still goes), the PC
/// arrives at 4 min and the unit at 40 min. The PC stays 10 minutes on scene and drives 2 km
/// back to W2's centre at the priority speed (4 min): 18 minutes lost to response of their
/// 168-hour week. Attendance from the call: 4 minutes.
#[test]
fn a_pc_nearer_than_a_late_response_unit_is_pulled() {
    let t = text("pull_after = \"15min\"");
    let steps = steps(&t);
    let dispatched: Vec<(u64, u32)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Dispatched { at, unit, .. } => Some((*at, *unit)),
            _ => None,
        })
        .collect();
    assert_eq!(dispatched, vec![(0, 0), (0, 1)], "{steps:?}");
    let arrived = arrivals(&steps);
    assert_eq!(arrived.len(), 2, "{steps:?}");
    // A millimetre at 30 km/h is 0.12 ms: the times are exact to the millisecond.
    let near = |at: u64, min: u64| at.abs_diff(min * MINUTE) <= 1;
    assert!(near(arrived[0].0, 4) && arrived[0].1 == 1, "{arrived:?}");
    assert!(near(arrived[1].0, 40) && arrived[1].1 == 0, "{arrived:?}");

    let out = simulate(&parse(&t));
    assert_eq!(overall(&out, "T6", "all", "pulled").mean, 1.0);
    assert_eq!(overall(&out, "T6", "all", "sent_to_response").mean, 1.0);
    let lost = team(&out, "W2|pc", "lost_share_response");
    let expected = 18.0 / (168.0 * 60.0);
    assert!((lost - expected).abs() < 1e-7, "{lost} against {expected}");
    let hours = overall(&out, "T6", "all", "response_hours_per_week").mean;
    assert!((hours - 0.3).abs() < 1e-6, "{hours}");
    let t3 = overall(&out, "T3", "I@call", "mean_attend_s").mean;
    assert!((t3 - 240.0).abs() < 1e-3, "{t3}");
}

/// Not pulled: when the response unit is estimated within the threshold (40 min against 60),
/// or when the PC would arrive no sooner (the PC's ward moved 50 km away), or with no threshold
/// at all. The response unit attends at 40 minutes alone.
#[test]
fn no_pull_when_response_is_in_time_or_nearer() {
    for (hood, far) in [
        ("pull_after = \"60min\"", false),
        ("pull_after = \"15min\"", true),
        ("", false),
    ] {
        let mut t = text(hood);
        if far {
            t = t.replace("x = 2\n", "x = -50\n");
        }
        let steps = steps(&t);
        let arrived = arrivals(&steps);
        assert_eq!(arrived.len(), 1, "{hood} {far}: {steps:?}");
        assert!(arrived[0].0.abs_diff(40 * MINUTE) <= 1 && arrived[0].1 == 0);
        let out = simulate(&parse(&t));
        assert_eq!(overall(&out, "T6", "all", "sent_to_response").mean, 0.0);
        assert_eq!(team(&out, "W2|pc", "mean_visible_share"), 1.0);
    }
}

/// An incident with no response unit at all (the only one busy) pulls the PC, who then counts
/// as its unit: it leaves the queue, and the response unit, free again, never goes.
#[test]
fn a_queued_emergency_is_served_by_the_pulled_pc() {
    let t = text("pull_after = \"15min\"").replace(
        "calls = [{ at = \"0min\", ward = \"W1\", x = 0.0, y = 0.0 }]",
        "calls = [{ at = \"0min\", ward = \"W3\", x = 20.0, y = 0.0, on_scene = \"2h\" }, { at = \"1min\", ward = \"W1\", x = 0.0, y = 0.0 }]",
    );
    let steps = steps(&t);
    let arrived = arrivals(&steps);
    // The unit reaches its own ward's call at once; the PC reaches W1 at 1 + 4 minutes.
    assert_eq!(arrived.len(), 2, "{steps:?}");
    assert_eq!(arrived[0], (0, 0));
    assert!(arrived[1].0.abs_diff(5 * MINUTE) <= 1 && arrived[1].1 == 1);
    let dispatched = steps
        .iter()
        .filter(|s| matches!(s, Step::Dispatched { .. }))
        .count();
    assert_eq!(dispatched, 2, "{steps:?}");
}

/// Planned abstractions by hand: a PC on 08:00-16:00 weekdays in the week from Monday
/// 5 January 2009 (5 rostered shifts). Court Tuesday 09:00 for 4 h (half the shift: lost);
/// aid Wednesday 09:00 for 3 h (not); training Thursday 13:00 for 4 h, cut to 3 h by the
/// shift's end (not); aid Friday 08:00 for 6 h (lost). Abstraction rate 2/5, court 1/5, aid 1/5.
#[test]
fn planned_abstractions_count_as_lost_shifts_from_half_a_shift() {
    let t = text("").replace(
        "shifts = [{ start = \"00:00\", length = \"24h\" }]",
        "shifts = [{ start = \"08:00\", length = \"8h\", days = [\"weekdays\"] }]",
    ) + r#"
[[neighbourhood.abstractions]]
cause = "court"
at = ["33h"]
length = { kind = "deterministic", value = "4h" }
[[neighbourhood.abstractions]]
cause = "aid"
at = ["57h"]
length = { kind = "deterministic", value = "3h" }
[[neighbourhood.abstractions]]
cause = "training"
at = ["85h"]
length = { kind = "deterministic", value = "4h" }
[[neighbourhood.abstractions]]
cause = "aid"
at = ["104h"]
length = { kind = "deterministic", value = "6h" }
"#;
    let out = simulate(&parse(&t));
    let f = |s: &str| overall(&out, "T6", "all", s).mean;
    assert_eq!(f("rostered_shifts"), 5.0);
    assert_eq!(f("shifts_lost_court"), 1.0);
    assert_eq!(f("shifts_lost_aid"), 1.0);
    assert_eq!(f("shifts_lost_training_planned"), 0.0);
    assert!((f("abstraction_rate") - 0.4).abs() < 1e-12);
    assert!((f("abstraction_rate_excl_leave_sickness") - 0.4).abs() < 1e-12);
    assert!((f("abstraction_rate_court") - 0.2).abs() < 1e-12);
    assert!((f("abstraction_rate_aid") - 0.2).abs() < 1e-12);
    assert_eq!(f("abstraction_rate_training"), 0.0);
    assert_eq!(team(&out, "W2|pc", "abstraction_rate"), 0.4);
}

#[test]
fn a_pull_threshold_of_zero_is_refused() {
    let cli = run_cli(&text("pull_after = \"0s\""), &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    assert!(
        cli.stderr.contains("neighbourhood.pull_after") && cli.stderr.contains("more than 0"),
        "{}",
        cli.stderr
    );
}

/// Whole-shift abstractions by hand, same PC and week: aid fixed at Monday 00:00 (off duty)
/// takes Monday's shift; court fixed at Tuesday 09:00 (on duty) takes the next shift,
/// Wednesday's, not the rest of Tuesday's. Two of five shifts lost, 16 of 40 hours.
#[test]
fn whole_shift_abstractions_take_the_next_rostered_shift() {
    let t = text("").replace(
        "shifts = [{ start = \"00:00\", length = \"24h\" }]",
        "shifts = [{ start = \"08:00\", length = \"8h\", days = [\"weekdays\"] }]",
    ) + r#"
[[neighbourhood.abstractions]]
cause = "aid"
at = ["0h"]
whole_shift = true
[[neighbourhood.abstractions]]
cause = "court"
at = ["33h"]
whole_shift = true
"#;
    let out = simulate(&parse(&t));
    let f = |s: &str| overall(&out, "T6", "all", s).mean;
    assert_eq!(f("planned_abstractions"), 2.0);
    assert_eq!(f("shifts_lost_aid"), 1.0);
    assert_eq!(f("shifts_lost_court"), 1.0);
    assert!((f("abstraction_rate") - 0.4).abs() < 1e-12);
    assert!((f("lost_share_court") - 0.2).abs() < 1e-12);
    assert!((f("lost_share_aid") - 0.2).abs() < 1e-12);
    assert!((f("mean_visible_share") - 0.6).abs() < 1e-12);

    let bad = text("")
        + r#"
[[neighbourhood.abstractions]]
cause = "aid"
at = ["0h"]
whole_shift = true
length = { kind = "deterministic", value = "8h" }
[[neighbourhood.abstractions]]
cause = "court"
at = ["0h"]
"#;
    let cli = run_cli(&bad, &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    for needle in [
        "neighbourhood.abstractions[0].length",
        "leave `length` out",
        "neighbourhood.abstractions[1].length",
        "whole_shift = true",
    ] {
        assert!(cli.stderr.contains(needle), "{needle} in {}", cli.stderr);
    }
}

/// With a travel matrix, a pull is decided on the times the trips will take: the matrix's time
/// from the PC's ward where it has one (here `fallback = true`: the response unit's pair from
/// W3 is not in the file and goes by geometry, 40 minutes). A matrix time of 50 minutes from
/// W2 keeps the PC back, though the 2 km would take 4 minutes; one of 20 minutes sends them,
/// and they arrive after 20.
#[test]
fn a_pull_is_decided_on_the_travel_matrixs_times() {
    for (minutes, pulled) in [(50, false), (20, true)] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("travel.csv"),
            format!("from,to,minutes\nW2,W1,{minutes}\n"),
        )
        .unwrap();
        let t = text("pull_after = \"15min\"").replace(
            "[[sectors]]\nname = \"A\"",
            "travel_matrix = { file = \"travel.csv\", fallback = true }\n[[sectors]]\nname = \"A\"",
        );
        let p = dir.path().join("scenario.toml");
        std::fs::write(&p, t).unwrap();
        let sc = pledgesim::scenario::Scenario::load(&p).unwrap_or_else(|e| panic!("{e}"));
        let steps = trace(&sc, 0).steps;
        let arrived = arrivals(&steps);
        if pulled {
            assert_eq!(arrived.len(), 2, "{steps:?}");
            assert_eq!(arrived[0], (20 * MINUTE, 1), "{arrived:?}");
            assert!(arrived[1].0.abs_diff(40 * MINUTE) <= 1 && arrived[1].1 == 0);
        } else {
            assert_eq!(arrived.len(), 1, "{steps:?}");
            assert!(arrived[0].0.abs_diff(40 * MINUTE) <= 1 && arrived[0].1 == 0);
        }
    }
}

fn dispatched(steps: &[Step]) -> Vec<(u64, u32)> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Dispatched { at, unit, .. } => Some((*at, *unit)),
            _ => None,
        })
        .collect()
}

const PULLED_FIRST: &str = "dispatch_order = [\"pulled\", \"response\"]";

/// By hand, the order of own resources: with pulls at 60 minutes, the response unit (20 km, 40
/// minutes) is in time, so by default it goes alone and attends at 40 minutes; with pulled
/// officers first, the PC (2 km, 4 minutes, within the 60) goes first and takes the incident's
/// one place: the unit is not sent, and the PC attends at 4 minutes. With mutual aid after 10
/// minutes (a minute to set off, a fixed 4-minute drive): by default no own unit is there at 10, aid
/// arrives at 15, before the unit's 40, and attends; with the PC first, it is there at 4 and
/// aid is never called. A PC who cannot arrive within `pull_after` (3 minutes) does not go
/// first: the unit goes, and then the usual pull sends the PC as well, exactly as by default.
#[test]
fn the_order_of_own_resources_by_hand() {
    let near = |at: u64, min: u64| at.abs_diff(min * MINUTE) <= 1;
    let default = steps(&text("pull_after = \"60min\""));
    assert_eq!(dispatched(&default), vec![(0, 0)], "{default:?}");
    let a = arrivals(&default);
    assert!(a.len() == 1 && near(a[0].0, 40) && a[0].1 == 0, "{a:?}");

    let first = steps(&text(&format!("pull_after = \"60min\"\n{PULLED_FIRST}")));
    assert_eq!(dispatched(&first), vec![(0, 1)], "{first:?}");
    let a = arrivals(&first);
    assert!(a.len() == 1 && near(a[0].0, 4) && a[0].1 == 1, "{a:?}");
    let out = simulate(&parse(&text(&format!(
        "pull_after = \"60min\"\n{PULLED_FIRST}"
    ))));
    assert_eq!(overall(&out, "T6", "all", "pulled").mean, 1.0);
    let t3 = overall(&out, "T3", "I@call", "mean_attend_s").mean;
    assert!((t3 - 240.0).abs() < 1e-3, "{t3}");

    let aid = "[response.mutual_aid]\nafter = \"10min\"\ndelay = \"1min\"\ntravel = { kind = \"deterministic\", value = \"4min\" }";
    let with_aid = |order: &str| {
        let t = text(&format!("pull_after = \"60min\"\n{order}\n{aid}"));
        let out = simulate(&parse(&t));
        (
            overall(&out, "mutual_aid", "all", "calls_per_week").mean,
            overall(&out, "T3", "I@call", "mean_attend_s").mean,
        )
    };
    let (calls, attend) = with_aid("");
    assert_eq!(calls, 1.0);
    assert!((attend - 900.0).abs() < 1e-3, "{attend}");
    let (calls, attend) = with_aid(PULLED_FIRST);
    assert_eq!(calls, 0.0);
    assert!((attend - 240.0).abs() < 1e-3, "{attend}");

    let late = steps(&text(&format!("pull_after = \"3min\"\n{PULLED_FIRST}")));
    assert_eq!(dispatched(&late), vec![(0, 0), (0, 1)], "{late:?}");
    assert_eq!(late, steps(&text("pull_after = \"3min\"")));
}

/// The default order written out changes no figure of a shipped scenario with pulls; pulled
/// officers first send more of them, on the same calls.
#[test]
fn the_default_order_changes_nothing_and_pulled_first_pulls_more() {
    let base = std::fs::read_to_string(common::shipped("county-district.toml")).unwrap();
    let from = "pull_after = \"15min\"\n";
    assert!(base.contains(from));
    let run = |order: &str| {
        let t = base.replace(from, &format!("{from}{order}\n"));
        let source = pledgesim::scenario::Source {
            label: "county-district.toml".into(),
            dir: Some(common::shipped("")),
            format: pledgesim::scenario::Format::Toml,
        };
        let mut sc = pledgesim::Scenario::parse(&t, &source).unwrap_or_else(|e| panic!("{e}"));
        sc.run.replications = 10;
        simulate(&sc)
    };
    let (none, written, first) = (
        run(""),
        run("dispatch_order = [\"response\", \"pulled\"]"),
        run(PULLED_FIRST),
    );
    assert_eq!(common::bits_but(&written, ""), common::bits_but(&none, ""));
    let paired = |kpi: &str, scope: &str, stat: &str| {
        let (a, b) = (
            common::column(&first, kpi, scope, stat),
            common::column(&none, kpi, scope, stat),
        );
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let se = sd / n.sqrt();
        eprintln!(
            "{kpi} {scope} {stat}: {:.4} by default, {:.4} pulled first; paired difference \
             {mean:.4} (95% CI {:.4} to {:.4})",
            b.iter().sum::<f64>() / n,
            a.iter().sum::<f64>() / n,
            mean - 2.262 * se,
            mean + 2.262 * se
        );
        (mean, se)
    };
    let (more, se) = paired("T6", "all", "pulled");
    paired("T3", "I@call", "share_within");
    paired("T3", "I@call", "mean_attend_s");
    paired("T6", "all", "share_member_months_at_threshold");
    assert!(more > common::K * se, "pulls {more} (SE {se})");
}

/// A dispatch order that is not one of the two, or pulled officers first without `pull_after`:
/// refused (exit 2), naming the field.
#[test]
fn a_bad_dispatch_order_is_refused() {
    for (hood, want) in [
        (
            "pull_after = \"15min\"\ndispatch_order = [\"response\", \"response\"]",
            "must be [\"response\", \"pulled\"]",
        ),
        (PULLED_FIRST, "\"pulled\" first needs `pull_after`"),
    ] {
        let cli = run_cli(&text(hood), &[]);
        cli.code(2);
        assert!(
            cli.stderr.contains("neighbourhood.dispatch_order") && cli.stderr.contains(want),
            "{}",
            cli.stderr
        );
    }
}
