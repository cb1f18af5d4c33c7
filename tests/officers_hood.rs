//! Neighbourhood members' duties and shrinkage (`[officers]`): a hand-computed fortnight with a
//! briefing, breaks, one custody job and one leave day; all time visible with no duties and no
//! shrinkage; whole-shift shrinkage against its rate; and bad input.

use crate::common;

use common::{expect_agrees, figure, parse, run_cli_as, simulate};
use pledgesim::experiment::{DUTY_STATS, LOST_STATS, RunOutcome};
use pledgesim::scenario::{Format, Scenario, Source};
use pledgesim::stats::summary::Estimate;

fn overall<'a>(out: &'a RunOutcome, statistic: &str) -> &'a Estimate {
    common::overall(out, "T6", "all", statistic)
}

fn team<'a>(out: &'a RunOutcome, ward_role: &str, statistic: &str) -> &'a Estimate {
    &figure(&out.hood, "T6", ward_role, statistic).estimate
}

/// Two wards (W1 around (0, 0), W2 around (1, 0), 1 km2 squares) in one sector, one response
/// unit, emergencies travelled to in no time, priority driving at 39 km/h, and what the caller
/// adds.
fn scenario_text(run: &str, calls: &str, extra: &str) -> String {
    format!(
        r#"
pledge = "met-2009"
[run]
start = "2009-01-05"
{run}
[demand.emergency]
calls = [{calls}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
turnout = "0s"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 1e12, S = 39 }}, rural = {{ I = 1e12, S = 39 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "30min" }}, S = {{ kind = "deterministic", value = "30min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
[[wards]]
name = "W1"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
[[wards]]
name = "W2"
type = "urban"
area_km2 = 1
x = 1
y = 0
sector = "A"
[roster.units.constant]
A = 1
{extra}
"#
    )
}

const FORTNIGHT: &str = "horizon = \"2w\"\nwarm_up = \"0s\"\nreplications = 1\nseed = 1";

/// The fortnight's PC and duties (`leave`: the PC's share of shifts lost to leave).
fn fortnight_officers(leave: f64) -> String {
    format!(
        r#"
[neighbourhood]
abstract_after = "5min"
[[neighbourhood.teams]]
wards = ["W1"]
members = [{{ role = "pc", shifts = [{{ start = "08:00", length = "8h", days = ["weekdays"] }}] }}]
[officers]
[[officers.duties]]
cause = "briefing"
roles = ["pc"]
when = "shift_start"
length = {{ kind = "deterministic", value = "30min" }}
[[officers.duties]]
cause = "refreshment"
roles = ["pc"]
when = "break"
after = "4h"
latest = "6h"
length = {{ kind = "deterministic", value = "45min" }}
[[officers.duties]]
cause = "custody"
roles = ["pc"]
when = "after_incident"
probability = {{ I = 1.0, S = 0.0 }}
length = {{ kind = "deterministic", value = "4h" }}
[[officers.custody_suites]]
name = "Suite"
at = [0.9, 0.0]
[[officers.shrinkage]]
roles = ["pc"]
leave = {leave}
"#
    )
}

/// Two emergencies in W2 at (1.3, 0) on Monday 5 January at 10:00 and 10:01.
const TWO_CALLS: &str = r#"{ at = "600min", ward = "W2", x = 1.3, y = 0.0 }, { at = "601min", ward = "W2", x = 1.3, y = 0.0 }"#;

/// One PC in W1, weekdays 08:00-16:00, for the fortnight from Monday 5 January 2009: 10
/// rostered shifts, of which (with this seed) one, the second Monday, is lost to leave, leaving 9
/// worked shifts, 4,320 minutes on duty. By hand:
/// - briefing: the first 30 min of each worked shift, 9 x 30 = 270 min;
/// - the response unit takes the 10:00 emergency; the 10:01 one waits, and at 10:06 (5 min
///   after its creation) the PC is sent (no travel time): on scene 10:06-10:36 in W2, not
///   their ward, 30 min of `response`; then custody: the drive to the suite (0.4 km), 4 h
///   there, and the drive back to W1's centre (0.9 km), 1.3 km at 39 km/h = 2 min:
///   10:36-14:38, 242 min of `custody`, replacing the drive back;
/// - refreshment: due 12:00, at the latest 14:00, 45 min: taken at 12:00 on the 8 other
///   worked days (360 min); on the Monday the PC is in custody until 14:38: missed;
/// - visible: the rest, 4,320 - 270 - 360 - 30 - 242 = 3,418 min.
#[test]
fn a_hand_computed_fortnight_with_duties_custody_and_leave() {
    let sc = parse(&scenario_text(
        FORTNIGHT,
        TWO_CALLS,
        &fortnight_officers(0.1),
    ));
    let out = simulate(&sc);
    let exact = |stat: &str, v: f64| {
        let e = team(&out, "W1|pc", stat).mean;
        assert!((e - v).abs() < 1e-12, "{stat}: {e} vs {v}");
    };
    exact("rostered_shifts", 10.0);
    exact("shifts_lost_leave", 1.0);
    exact("shifts_lost_sickness", 0.0);
    exact("shifts_lost_training", 0.0);
    exact("share_shifts_lost", 0.1);
    exact("breaks_due", 9.0);
    exact("breaks_missed", 1.0);
    let duty = 4320.0;
    exact("mean_visible_share", 3418.0 / duty);
    exact("lost_share_briefing", 270.0 / duty);
    exact("lost_share_refreshment", 360.0 / duty);
    exact("lost_share_response", 30.0 / duty);
    exact("lost_share_custody", 242.0 / duty);
    for s in ["paperwork", "court", "training", "aid", "desk"] {
        exact(&format!("lost_share_{s}"), 0.0);
    }
    for s in ["station", "partnership", "files"] {
        exact(&format!("lost_share_{s}"), 0.0);
    }
    // Every minute on duty has one cause: the shares add up to 1.
    let total: f64 = std::iter::once("mean_visible_share")
        .chain(LOST_STATS)
        .chain(DUTY_STATS)
        .map(|s| team(&out, "W1|pc", s).mean)
        .sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    // The force-wide rows are the same member's.
    assert_eq!(overall(&out, "lost_share_custody").mean, 242.0 / duty);
    assert_eq!(overall(&out, "breaks_missed").mean, 1.0);
    assert_eq!(overall(&out, "sent_to_response").mean, 1.0);
    // Weeks: 5 shifts (2,400 min, visible 2,400 - 150 - 180 - 30 - 242 = 1,798: 74.9%, below
    // 80%) and 4 shifts (1,920 min, visible 1,920 - 120 - 180 = 1,620: 84.4%).
    assert_eq!(overall(&out, "member_weeks").mean, 2.0);
    assert_eq!(overall(&out, "share_member_weeks_at_threshold").mean, 0.5);

    // Without the custody suite, custody is at the sector's base, the centre of its wards
    // (0.5, 0): 0.8 km there and 0.5 km back, 1.3 km again; the shares do not change.
    let text = scenario_text(FORTNIGHT, TWO_CALLS, &fortnight_officers(0.1)).replace(
        "[[officers.custody_suites]]\nname = \"Suite\"\nat = [0.9, 0.0]\n",
        "",
    );
    assert!(!text.contains("Suite"));
    let base = simulate(&parse(&text));
    assert_eq!(
        team(&base, "W1|pc", "lost_share_custody").mean,
        242.0 / duty
    );
}

/// With no duties and no shrinkage for the team's roles (an `[officers]` section whose only duty
/// is for PCSOs, and shrinkage of zero), every minute on duty is visible whatever the calls
/// do, every duty's share is 0 and no shift is lost.
#[test]
fn no_duties_and_no_shrinkage_means_all_time_visible() {
    let calls: Vec<String> = (0..200)
        .map(|k| format!("{{ at = \"{}min\", ward = \"W{}\" }}", k * 97, 1 + k % 2))
        .collect();
    let sc = parse(&scenario_text(
        "horizon = \"9w\"\nwarm_up = \"1d\"\nreplications = 3",
        &calls.join(", "),
        r#"
[neighbourhood]
[[neighbourhood.teams]]
members = [
  { role = "sergeant", shifts = [{ start = "07:00", length = "8h", days = ["weekdays"] }] },
  { role = "pc", count = 2, shifts = [{ start = "15:00", length = "8h", days = ["mon", "tue", "fri", "sat", "sun"] }] },
]
[officers]
[[officers.duties]]
cause = "station"
roles = ["pcso"]
when = "per_week"
per_week = 5
length = { kind = "deterministic", value = "1h" }
[[officers.shrinkage]]
roles = ["sergeant", "pc"]
leave = 0
"#,
    ));
    let out = simulate(&sc);
    assert_eq!(overall(&out, "mean_visible_share").mean, 1.0);
    assert_eq!(overall(&out, "share_member_months_at_threshold").mean, 1.0);
    for s in LOST_STATS.into_iter().chain(DUTY_STATS) {
        assert_eq!(overall(&out, s).mean, 0.0, "{s}");
    }
    assert_eq!(overall(&out, "share_shifts_lost").mean, 0.0);
    // A team in each ward; 9 weeks less the warm-up day (a Monday): 44 shifts for the sergeant
    // and for each PC (rostered shifts count by their start, inside the window).
    assert_eq!(overall(&out, "rostered_shifts").mean, 2.0 * 3.0 * 44.0);
    assert_eq!(overall(&out, "breaks_due").mean, 0.0);
}

/// Whole-shift shrinkage only, at shares 0.10 (leave), 0.05 (sickness) and 0.05 (training):
/// the share of rostered shifts lost converges to 0.2, each cause to its share, and of duty
/// time (rostered less leave and sickness) 0.05 / 0.85 is training, the rest visible.
#[test]
fn whole_shift_shrinkage_comes_at_its_rate() {
    let sc = parse(&scenario_text(
        "horizon = \"26w\"\nwarm_up = \"0s\"\nreplications = 20\nseed = 5",
        "",
        r#"
[neighbourhood]
[[neighbourhood.teams]]
members = [
  { role = "pc", count = 3, shifts = [{ start = "08:00", length = "8h", days = ["weekdays"] }] },
  { role = "pcso", count = 2, shifts = [{ start = "14:00", length = "8h" }] },
]
[officers]
[[officers.shrinkage]]
leave = 0.10
sickness = 0.05
training = 0.05
"#,
    ));
    let out = simulate(&sc);
    let rostered = overall(&out, "rostered_shifts").mean;
    // A team in each ward.
    assert_eq!(rostered, 2.0 * 26.0 * (3.0 * 5.0 + 2.0 * 7.0));
    let lost = overall(&out, "share_shifts_lost");
    expect_agrees("share of shifts lost", lost.mean, 0.2, lost.se());
    // A rate of 0.1 would be far off: the test can fail.
    common::expect_rejects("share of shifts lost", lost.mean, 0.15, lost.se());
    for (stat, p) in [
        ("shifts_lost_leave", 0.10),
        ("shifts_lost_sickness", 0.05),
        ("shifts_lost_training", 0.05),
    ] {
        let e = overall(&out, stat);
        expect_agrees(stat, e.mean / rostered, p, e.se() / rostered);
    }
    let training = overall(&out, "lost_share_training");
    expect_agrees(
        "training share of duty time",
        training.mean,
        0.05 / 0.85,
        training.se(),
    );
    let visible = overall(&out, "mean_visible_share");
    assert!((visible.mean + training.mean - 1.0).abs() < 1e-9);
}

fn errors(text: &str) -> String {
    match Scenario::parse(
        text,
        &Source {
            label: "bad.toml".into(),
            dir: None,
            format: Format::Toml,
        },
    ) {
        Ok(_) => panic!("accepted a bad scenario"),
        Err(e) => e.to_string(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.contains(needle))
        .expect("the needle")
}

/// A break longer than the members' shifts, one due after their shifts end, and a custody
/// probability outside [0, 1] are named by file, line and field; the command exits with 2.
#[test]
fn bad_member_duties_are_named_by_line_and_field() {
    let team = r#"
[neighbourhood]
[[neighbourhood.teams]]
members = [{ role = "pcso", shifts = [{ start = "08:00", length = "4h" }] }]
[officers]
"#;
    let base = scenario_text("horizon = \"1w\"", "", team);
    // Response units are on duty around the clock (a day), the PCSO 4 hours: a 5-hour break
    // fits the units' shifts but not the member's.
    let text = format!(
        r#"{base}
[[officers.duties]]
cause = "refreshment"
roles = ["pcso"]
when = "break"
after = "1h"
latest = "2h"
length = {{ kind = "deterministic", value = "5h" }}
[[officers.duties]]
cause = "refreshment"
roles = ["pcso"]
when = "break"
after = "6h"
latest = "7h"
length = {{ kind = "deterministic", value = "30min" }}
"#
    );
    let e = errors(&text);
    let at = |needle: &str, nth: usize| {
        let k = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(nth)
            .expect("the needle")
            .0;
        format!("bad.toml:{}:", k + 1)
    };
    assert!(e.contains("officers.duties[0].length"), "{e}");
    assert!(
        e.contains("a break longer than a shift (the longest is 4h)"),
        "{e}"
    );
    assert!(e.contains(&at("length = { kind", 0)), "{e}");
    assert!(e.contains("officers.duties[1].after"), "{e}");
    assert!(
        e.contains("is not within any shift (the longest is 4h)"),
        "{e}"
    );
    assert!(e.contains(&at("after = \"6h\"", 0)), "{e}");
    // The same break for response crews alone fits their day.
    let crews = text.replace(
        "roles = [\"pcso\"]\nwhen = \"break\"\nafter = \"1h\"",
        "roles = [\"response\"]\nwhen = \"break\"\nafter = \"1h\"",
    );
    assert!(!errors(&crews).contains("officers.duties[0]"));

    let text = format!(
        r#"{base}
[[officers.duties]]
cause = "custody"
roles = ["pcso"]
when = "after_incident"
probability = {{ I = 1.5, S = 0.1 }}
length = {{ kind = "deterministic", value = "2h" }}
"#
    );
    let e = errors(&text);
    assert!(e.contains("officers.duties[0].probability.I"), "{e}");
    assert!(
        e.contains("a probability must be from 0 to 1 (got 1.5)"),
        "{e}"
    );
    assert!(
        e.contains(&format!("bad.toml:{}:", line_of(&text, "probability = {"))),
        "{e}"
    );
    // The command line: exit code 2, the file, line and field.
    let run = run_cli_as("bad.toml", &text, &[]);
    run.code(2);
    let location = format!(
        "{}:{}:",
        run.file.display(),
        line_of(&text, "probability = {")
    );
    assert!(run.stderr.contains(&location), "{}", run.stderr);
    assert!(
        run.stderr.contains("officers.duties[0].probability.I"),
        "{}",
        run.stderr
    );
}

/// A night shift under way at the start of the run (Sunday 22:00 to Monday 08:00, begun 2 hours
/// before) has its break at 02:00 like every other night's, and counts as rostered. In the week:
/// on duty 8 h (that shift's rest) + 6 x 10 h + 2 h (Sunday's night, cut by the horizon) = 70 h;
/// seven breaks of 30 min (Monday to Sunday 02:00), 210 min: 5% of duty time.
#[test]
fn a_shift_under_way_at_the_start_has_its_break() {
    let sc = parse(&scenario_text(
        "horizon = \"1w\"\nwarm_up = \"0s\"\nreplications = 1",
        "",
        r#"
[neighbourhood]
[[neighbourhood.teams]]
wards = ["W1"]
members = [{ role = "pcso", shifts = [{ start = "22:00", length = "10h" }] }]
[[officers.duties]]
cause = "refreshment"
when = "break"
after = "4h"
latest = "6h"
length = { kind = "deterministic", value = "30min" }
"#,
    ));
    let out = simulate(&sc);
    assert_eq!(team(&out, "W1|pcso", "breaks_due").mean, 7.0);
    assert_eq!(team(&out, "W1|pcso", "breaks_missed").mean, 0.0);
    assert_eq!(team(&out, "W1|pcso", "rostered_shifts").mean, 8.0);
    let share = team(&out, "W1|pcso", "lost_share_refreshment").mean;
    assert!((share - 210.0 / 4200.0).abs() < 1e-12, "{share}");
}

/// Common random numbers: members' shrinkage and breaks come from their own streams, so a
/// scenario with more response units (and so fewer members sent to incidents) loses the same
/// shifts and has the same breaks due, replication by replication, while the time members spend
/// on response work and custody differs.
#[test]
fn members_draws_do_not_depend_on_the_response_units() {
    let text = |units: u32| {
        let calls: Vec<String> = (0..2000)
            .map(|k| {
                format!(
                    "{{ at = \"{}min\", ward = \"W{}\" }}",
                    7 + k * 13,
                    1 + k % 2
                )
            })
            .collect();
        scenario_text(
            "horizon = \"3w\"\nwarm_up = \"0s\"\nreplications = 4\nseed = 9",
            &calls.join(", "),
            r#"
[neighbourhood]
abstract_after = "1min"
[[neighbourhood.teams]]
members = [{ role = "pc", count = 3, shifts = [{ start = "08:00", length = "8h" }] }]
[[officers.shrinkage]]
roles = ["pc"]
leave = 0.2
sickness = 0.1
training = 0.1
[[officers.duties]]
cause = "refreshment"
roles = ["pc"]
when = "break"
after = "4h"
latest = "5h"
length = { kind = "deterministic", value = "45min" }
[[officers.duties]]
cause = "custody"
roles = ["pc"]
when = "after_incident"
probability = { I = 0.5, S = 0.5 }
length = { kind = "exponential", mean = "2h" }
"#,
        )
        .replace("A = 1", &format!("A = {units}"))
    };
    let one = simulate(&parse(&text(1)));
    let four = simulate(&parse(&text(4)));
    for s in [
        "rostered_shifts",
        "shifts_lost_leave",
        "shifts_lost_sickness",
        "shifts_lost_training",
        "breaks_due",
    ] {
        assert_eq!(
            common::column(&one, "T6", "all", s),
            common::column(&four, "T6", "all", s),
            "{s}"
        );
    }
    // The response side did change what the members did.
    assert!(overall(&one, "sent_to_response").mean > overall(&four, "sent_to_response").mean);
    assert!(overall(&one, "lost_share_custody").mean > overall(&four, "lost_share_custody").mean);
}

/// An emergency may take a member from an interruptible duty when no member is free. One PC in
/// W1, weekdays 08:00-16:00, a refreshment break due at 12:00 for 60 min; on Monday two
/// emergencies at W2's centre at 12:00 and 12:01 (one response unit, which takes the first). At
/// 12:06 the second still waits: the PC, 6 min into the break, is sent (no travel time), on
/// scene 12:06-12:36, then drives 1 km back at 60 km/h (1 min): 31 min of `response`. The
/// break then resumes for its 54 min left (60 min in all), or restarts (66 min in all); not
/// interruptible, the PC stays on the break and is not sent. The week: 2,400 min on duty.
#[test]
fn an_emergency_takes_a_member_from_an_interruptible_break() {
    let calls = r#"{ at = "720min", ward = "W2", x = 1.0, y = 0.0 }, { at = "721min", ward = "W2", x = 1.0, y = 0.0 }"#;
    let run = |how: &str| {
        let text = scenario_text(
            "horizon = \"1w\"\nwarm_up = \"0s\"\nreplications = 1",
            calls,
            &format!(
                r#"
[neighbourhood]
abstract_after = "5min"
[[neighbourhood.teams]]
wards = ["W1"]
members = [{{ role = "pc", shifts = [{{ start = "08:00", length = "8h", days = ["weekdays"] }}] }}]
[[officers.duties]]
cause = "refreshment"
roles = ["pc"]
when = "break"
after = "4h"
latest = "6h"
length = {{ kind = "deterministic", value = "1h" }}
{how}
"#
            ),
        )
        .replace("S = 39", "S = 60");
        simulate(&parse(&text))
    };
    let check = |out: &RunOutcome, refreshment: f64, response: f64| {
        for (stat, v) in [
            ("lost_share_refreshment", refreshment / 2400.0),
            ("lost_share_response", response / 2400.0),
            (
                "mean_visible_share",
                (2400.0 - refreshment - response) / 2400.0,
            ),
            ("breaks_missed", 0.0),
        ] {
            let e = team(out, "W1|pc", stat).mean;
            assert!((e - v).abs() < 1e-12, "{stat}: {e} vs {v}");
        }
    };
    let resumed = run("interruptible = true\ninterrupted = \"resume\"");
    assert_eq!(overall(&resumed, "sent_to_response").mean, 1.0);
    check(&resumed, 300.0, 31.0);
    let restarted = run("interruptible = true\ninterrupted = \"restart\"");
    check(&restarted, 306.0, 31.0);
    let kept = run("");
    assert_eq!(overall(&kept, "sent_to_response").mean, 0.0);
    check(&kept, 300.0, 0.0);
}
