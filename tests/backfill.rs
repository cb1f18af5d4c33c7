//! Backfill to minimum strength: a response team one officer short on every shift takes one
//! neighbourhood officer a shift, in the order given, and the officer's whole shift goes to
//! backfill (checked by hand over a fortnight); every response shift lost to shrinkage is made
//! up, at the shrinkage rate; and its settings are checked.

use crate::common;

use common::{figure, overall, parse, run_cli};
use pledgesim::experiment::{self, RunOptions};

/// One sector and ward; a response team of two officers on a rota of two week lines, one
/// worked (07:00-17:00 every day) and one off, so that one officer is on each shift; a
/// minimum of `minimum`; a neighbourhood team of one sergeant and one PC, each 08:00-16:00
/// every day.
fn scenario(minimum: u32, backfill: &str) -> String {
    format!(
        r#"
[run]
horizon = "2w"
warm_up = "0s"
replications = 1
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

[[officers.rotas]]
name = "one"
shifts = [{{ code = "E", start = "07:00", length = "10h" }}]
weeks = ["E E E E E E E", "- - - - - - -"]

[[officers.teams]]
sector = "A"
rota = "one"
officers = 2
contracted_hours = 35
minimum = {minimum}
{backfill}

[neighbourhood]
[[neighbourhood.teams]]
members = [
  {{ role = "sergeant", shifts = [{{ start = "08:00", length = "8h" }}] }},
  {{ role = "pc", shifts = [{{ start = "08:00", length = "8h" }}] }},
]
"#
    )
}

/// By hand: 14 response shifts (07:00 each day of the fortnight), each with one officer
/// present against a minimum of two: one place short each. The PC (first in the default
/// order) starts a shift at 08:00 each day, inside the response shift's first half, so is
/// taken all 14 times; the sergeant never. The PC's whole time on duty is backfill.
#[test]
fn one_short_takes_one_officer_a_shift_in_the_given_order() {
    for (backfill, taken, kept) in [
        ("", "pc", "sergeant"),
        ("backfill = [\"sergeant\", \"pc\"]", "sergeant", "pc"),
    ] {
        let sc = parse(&scenario(2, backfill));
        let out = experiment::run(&sc, &RunOptions::default());
        assert_eq!(
            overall(&out, "teams", "A@", "backfilled").mean,
            14.0,
            "{backfill}"
        );
        assert_eq!(overall(&out, "teams", "A@", "unfilled").mean, 0.0);
        let f = |role: &str, s: &str| {
            figure(&out.hood, "T6", &format!("W|{role}"), s)
                .estimate
                .mean
        };
        assert_eq!(f(taken, "shifts_backfilled"), 14.0);
        assert_eq!(f(taken, "lost_share_backfill"), 1.0);
        assert_eq!(f(taken, "mean_visible_share"), 0.0);
        assert_eq!(f(kept, "shifts_backfilled"), 0.0);
        assert_eq!(f(kept, "lost_share_backfill"), 0.0);
        assert_eq!(overall(&out, "T6", "all@", "shifts_backfilled").mean, 14.0);
        // The ward sees only the officer not taken: 8 visible hours a day, 56 a week.
        let visible = overall(&out, "T6", "all@", "visible_hours_per_ward_week").mean;
        assert!((visible - 56.0).abs() < 1e-9, "{visible}");
        // The car the taken officer crews: two units on duty 08:00-16:00, one otherwise
        // between 07:00 and 17:00, so 10 + 8 unit-hours a day.
        let on_duty = overall(&out, "units", "all@", "mean_on_duty").mean;
        assert!((on_duty - 18.0 / 24.0).abs() < 1e-9, "{on_duty}");
    }
}

#[test]
fn backfill_settings_are_checked_all_at_once() {
    let text = scenario(3, "backfill = [\"pc\", \"pc\", \"inspector\"]");
    let cli = run_cli(&text, &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    for needle in [
        "officers.teams[0].minimum",
        "above the team's establishment of 2",
        "officers.teams[0].backfill[1]",
        "given twice",
        "officers.teams[0].backfill[2]",
        "unknown role \"inspector\"",
    ] {
        assert!(cli.stderr.contains(needle), "{needle} in {}", cli.stderr);
    }
    // A role the sector's teams lack.
    let cli = run_cli(&scenario(2, "backfill = [\"pcso\"]"), &[]);
    assert_eq!(cli.code, Some(2), "{}", cli.stderr);
    assert!(
        cli.stderr.contains("officers.teams[0].backfill[0]") && cli.stderr.contains("no pcso"),
        "{}",
        cli.stderr
    );
}

/// Every response shift lost to shrinkage is made up: with a minimum equal to the team's
/// strength, response shrinkage at rate p and always enough neighbourhood officers to take,
/// the shifts backfilled equal the response shifts lost, replication by replication, and the
/// neighbourhood's share of shifts backfilled converges to p x (response shifts rostered) /
/// (neighbourhood shifts rostered).
#[test]
fn every_lost_response_shift_is_backfilled_at_the_shrinkage_rate() {
    let text = scenario(4, "")
        .replace("horizon = \"2w\"", "horizon = \"26w\"")
        .replace("replications = 1", "replications = 10")
        .replace(
            "weeks = [\"E E E E E E E\", \"- - - - - - -\"]",
            "weeks = [\"E E E E E E E\"]",
        )
        .replace(
            "officers = 2\ncontracted_hours = 35",
            "officers = 4\ncontracted_hours = 70",
        )
        .replace(
            "  {{ role = \"pc\", shifts = [{{ start = \"08:00\", length = \"8h\" }}] }},",
            "",
        )
        + r#"
[[officers.shrinkage]]
roles = ["response"]
leave = 0.1
sickness = 0.05
training = 0.05
"#;
    let text = text.replace(
        "  { role = \"pc\", shifts = [{ start = \"08:00\", length = \"8h\" }] },",
        "  { role = \"pc\", count = 10, shifts = [{ start = \"08:00\", length = \"8h\" }] },",
    );
    let sc = parse(&text);
    let out = experiment::run(&sc, &RunOptions::default());
    let lost: Vec<f64> = ["leave", "sickness", "training"]
        .iter()
        .map(|c| format!("shifts_lost_{c}"))
        .map(|s| common::column(&out, "units", "all@", &s))
        .fold(vec![0.0; 10], |acc, v| {
            acc.iter().zip(v).map(|(a, b)| a + b).collect()
        });
    let backfilled = common::column(&out, "teams", "A@", "backfilled");
    assert_eq!(lost, backfilled);
    assert_eq!(overall(&out, "teams", "A@", "unfilled").mean, 0.0);
    let rostered = overall(&out, "units", "all@", "rostered_shifts").mean;
    assert_eq!(rostered, 4.0 * 182.0);
    // Eleven members (a sergeant and ten PCs), a shift each day of the 26 weeks.
    let hood_rostered = 11.0 * 182.0;
    let share = overall(&out, "T6", "all@", "shifts_backfilled");
    common::expect_agrees(
        "neighbourhood shifts backfilled per neighbourhood shift",
        share.mean / hood_rostered,
        0.2 * rostered / hood_rostered,
        share.se() / hood_rostered,
    );
    // The neighbourhood's abstraction rate, in the force's terms: with no other abstraction
    // it is all backfill, and it converges to p x (response shifts) / (neighbourhood shifts).
    assert_eq!(
        overall(&out, "T6", "all@", "rostered_shifts").mean,
        hood_rostered
    );
    let rate = overall(&out, "T6", "all@", "abstraction_rate");
    assert_eq!(
        common::column(&out, "T6", "all@", "abstraction_rate"),
        common::column(&out, "T6", "all@", "abstraction_rate_backfill")
    );
    common::expect_agrees(
        "neighbourhood abstraction rate",
        rate.mean,
        0.2 * rostered / hood_rostered,
        rate.se(),
    );
}

/// Paired mean difference of `statistic` between points `a` and `b` (common random numbers:
/// replication r of each on the same seed), with its standard error.
fn paired(
    a: &pledgesim::experiment::RunOutcome,
    b: &pledgesim::experiment::RunOutcome,
    kpi: &str,
    scope: &str,
    statistic: &str,
) -> (f64, f64) {
    let (x, y) = (
        common::column(a, kpi, scope, statistic),
        common::column(b, kpi, scope, statistic),
    );
    let d: Vec<f64> = x.iter().zip(&y).map(|(p, q)| p - q).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// The shipped sweep answers the planner's question: each step that moves four town officers
/// from response to the neighbourhood (at equal establishment, on common random numbers)
/// lowers emergency attendance and raises backfill, by paired differences whose 95% intervals
/// exclude zero (t with 19 degrees of freedom: 2.093).
#[test]
fn moving_officers_from_response_lowers_attendance_and_raises_backfill() {
    let sweep = pledgesim::experiment::sweep::Sweep::load(&common::shipped(
        "sweeps/response-neighbourhood.toml",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sweep.len(), 5);
    let outs: Vec<_> = (0..sweep.len())
        .map(|k| common::simulate(&sweep.scenario(k).unwrap_or_else(|e| panic!("{e}"))))
        .collect();
    let t = 2.093;
    for k in 0..4 {
        let (d, se) = paired(&outs[k + 1], &outs[k], "teams", "town@", "backfilled");
        eprintln!("point {k} to {}: backfilled {d:+.2} (SE {se:.2})", k + 1);
        assert!(
            d - t * se > 0.0,
            "backfill does not rise from point {k}: {d} (SE {se})"
        );
    }
    // Emergency attendance: lower at the second and third steps, over the first two and the
    // last two together, and from the first point to the last. The first step alone and the
    // last (12 to 8, where the town's remaining cars are mostly backfilled and pulls make up
    // much of the rest) each move it by under a point, about their noise at 20 replications:
    // with the random numbers of keyed per-call draws the first measures 0.7 points (SE 0.5)
    // and the last 0.8 (SE 0.6), so each is tested together with its neighbour step.
    for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 4), (0, 2), (2, 4), (0, 4)] {
        let (d, se) = paired(&outs[a], &outs[b], "T3", "I@call", "share_within");
        eprintln!("T3 point {a} minus point {b}: {d:+.4} (SE {se:.4})");
    }
    for (a, b) in [(1, 2), (2, 3), (0, 2), (2, 4), (0, 4)] {
        let (d, se) = paired(&outs[a], &outs[b], "T3", "I@call", "share_within");
        assert!(
            d - t * se > 0.0,
            "T3 does not fall from point {a} to {b}: {d} (SE {se})"
        );
    }
}

/// The shipped sweep's report draws the trade-off: a chart of emergency attendance against
/// visible officer-hours, one numbered point for each point of the sweep, named by its label.
#[test]
fn the_sweeps_report_draws_attendance_against_visible_hours() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rn");
    // The shipped sweep with two replications a point, its base where it is.
    let text = common::read_text(&common::shipped("sweeps/response-neighbourhood.toml"))
        .replace("replications = 20", "replications = 2")
        .replace(
            "base = \"../county-district.toml\"",
            &format!(
                "base = {:?}",
                common::shipped("county-district.toml")
                    .display()
                    .to_string()
            ),
        );
    let file = common::write(dir.path(), "rn.toml", text);
    common::pledgesim()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    common::report(&out);
    let html = common::read_text(&out.join("report.html"));
    assert!(html.contains("Emergency attendance against visible policing"));
    let svg = common::read_text(&out.join("charts").join("sweep-trade-off.svg"));
    for label in [
        "24 response, 1 PC a ward (today)",
        "8 response, 5 PCs a ward",
        "Visible officer-hours a ward gets in a week",
    ] {
        assert!(svg.contains(label), "{label} in the chart");
    }
}

/// A minimum no shift can reach even with every neighbourhood officer the team may take (two
/// officers on each line, one PC to take, a minimum of four) is warned of in words before the
/// run; one that can be reached is not.
#[test]
fn a_minimum_out_of_reach_is_warned_of() {
    let text = scenario(4, "").replace("officers = 2\n", "officers = 4\n");
    let sc = parse(&text);
    let warnings = pledgesim::experiment::warnings::warnings(&sc);
    assert!(
        warnings
            .iter()
            .any(|w| w.kind() == "minimum_out_of_reach" && w.to_string().contains("minimum of 4")),
        "{warnings:?}"
    );
    let cli = run_cli(&text, &[]);
    assert_eq!(cli.code, Some(0), "{}", cli.stderr);
    assert!(
        cli.stderr.contains("can never be met") && cli.stderr.contains("its fullest shift has 2"),
        "{}",
        cli.stderr
    );
    let reachable = parse(&scenario(3, "").replace("officers = 2\n", "officers = 4\n"));
    assert!(
        !pledgesim::experiment::warnings::warnings(&reachable)
            .iter()
            .any(|w| w.kind() == "minimum_out_of_reach")
    );
}
