//! The field side: a hand-computed dispatch trace with a diversion, response units as an M/M/c
//! queue against Erlang C, nearest-unit distances against their exact expectation, and
//! invariants (no unit on two incidents, every incident attended or waiting exactly once,
//! busy time within time on duty).

use crate::common;

use common::queueing::{mmc_mean_wait, mmc_wait_cdf};
use common::{expect_agrees, expect_rejects, overall, parse, trace};
use pledgesim::experiment::{self, RunOptions};
use pledgesim::model::field::Step;
use pledgesim::scenario::Scenario;
use pledgesim::time::MINUTE;
use std::collections::HashMap;

/// Two units at one base, three incidents at fixed places (right-angle distances; emergencies
/// drive at 1 km/min, priority calls at 0.5 km/min; no turnout).
/// By hand:
/// - 0 min: S call at (3, 0) takes unit 0 (both at base (0, 0); the first listed wins the tie):
///   3 km at 0.5 km/min, due 6 min.
/// - 1 min: S call at (0, 4) takes unit 1: 4 km, arrives 9 min, on scene 30 min, clears 39.
/// - 2 min: I call at (1, 0): no unit idle, so the nearest unit on a priority call is diverted:
///   unit 0 is 1 km along its trip, exactly at (1, 0) (unit 1 is at (0, 1), 2 km away). It
///   arrives at once and clears at 22 min; the first S call goes back to the queue.
/// - 22 min: unit 0 takes the waiting S call from (1, 0): 2 km, arrives 26 min; its 30 min on
///   scene start again then, so it clears at 56 min.
#[test]
fn hand_trace_with_a_diversion() {
    let sc = parse(
        r#"
[run]
horizon = "2h"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [
  { at = "0min", grade = "S", x = 3.0, y = 0.0, on_scene = "30min" },
  { at = "1min", grade = "S", x = 0.0, y = 4.0, on_scene = "30min" },
  { at = "2min", grade = "I", x = 1.0, y = 0.0, on_scene = "20min" },
]
handling = { kind = "deterministic", value = "0s" }
[roster.handlers]
constant = 5
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
divert = true
emergency_created_after = "0s"
speed_kmh = { urban = { I = 60, S = 30 }, rural = { I = 60, S = 30 } }
on_scene = { I = { kind = "deterministic", value = "20min" }, S = { kind = "deterministic", value = "30min" } }
grading = { emergency = { I = 0.5, S = 0.5 } }
[[sectors]]
name = "A"
base = [0.0, 0.0]
[[wards]]
name = "W"
type = "urban"
area_km2 = 100
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 2
"#,
    );
    let m = MINUTE;
    let steps = trace(&sc, 0).steps;
    use Step::*;
    assert_eq!(
        steps,
        vec![
            Created { at: 0, call: 0 },
            Dispatched {
                at: 0,
                call: 0,
                unit: 0
            },
            Created { at: m, call: 1 },
            Dispatched {
                at: m,
                call: 1,
                unit: 1
            },
            Created { at: 2 * m, call: 2 },
            Diverted {
                at: 2 * m,
                call: 0,
                unit: 0
            },
            Queued { at: 2 * m, call: 0 },
            Dispatched {
                at: 2 * m,
                call: 2,
                unit: 0
            },
            Arrived {
                at: 2 * m,
                call: 2,
                unit: 0
            },
            Arrived {
                at: 9 * m,
                call: 1,
                unit: 1
            },
            Cleared {
                at: 22 * m,
                call: 2,
                unit: 0
            },
            Dispatched {
                at: 22 * m,
                call: 0,
                unit: 0
            },
            Arrived {
                at: 26 * m,
                call: 0,
                unit: 0
            },
            Cleared {
                at: 39 * m,
                call: 1,
                unit: 1
            },
            Cleared {
                at: 56 * m,
                call: 0,
                unit: 0
            },
        ]
    );
    let out = experiment::run(&sc, &RunOptions::default());
    // Attendance from the call: I at 0 min; S at 26 and 8 min (mean 17 min).
    assert_eq!(overall(&out, "T3", "I@call", "mean_attend_s").mean, 0.0);
    assert_eq!(
        overall(&out, "T4", "S@call", "mean_attend_s").mean,
        17.0 * 60.0
    );
    assert_eq!(overall(&out, "units", "all@", "diversions").mean, 1.0);
    // Distances: 3 + 4 + 0 + 2 km over four dispatches.
    assert_eq!(overall(&out, "units", "all@", "dispatches").mean, 4.0);
    assert_eq!(
        overall(&out, "units", "all@", "mean_travel_km").mean,
        9.0 / 4.0
    );
}

/// With calls answered at once, incidents created at the answer, no travel and exponential time
/// on scene, the units of one sector are an M/M/c queue: the wait for a unit (from the
/// incident's creation) is Erlang C's, both its mean and the share within a time. Tolerance 4
/// standard errors of the replication mean; the same figures must reject one unit more.
#[test]
fn units_are_an_mmc_queue() {
    let (c, per_week, mean_scene_min) = (6u32, 840.0, 40.0);
    let text = format!(
        r#"
[run]
horizon = "6w"
warm_up = "2d"
replications = 30
seed = 11
[targets.T3]
time = "10min"
[demand.emergency]
calls_per_week = {per_week}
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 30
[response]
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 1e9, S = 1e9 }}, rural = {{ I = 1e9, S = 1e9 }} }}
on_scene = {{ I = {{ kind = "exponential", mean = "{mean_scene_min}min" }}, S = {{ kind = "exponential", mean = "{mean_scene_min}min" }} }}
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
A = {c}
"#
    );
    let sc = parse(&text);
    let out = experiment::run(&sc, &RunOptions::default());
    let lambda = per_week / (7.0 * 86_400.0);
    let mu = 1.0 / (mean_scene_min * 60.0);
    let wait = overall(&out, "T3", "I@incident", "mean_wait_for_unit_s");
    let within = overall(&out, "T3", "I@incident", "share_within");
    let (w, p) = (
        mmc_mean_wait(c, lambda, mu),
        mmc_wait_cdf(c, lambda, mu, 600.0),
    );
    expect_agrees("mean wait (s), Erlang C", wait.mean, w, wait.se());
    expect_agrees("share within 10 min", within.mean, p, within.se());
    let w_wrong = mmc_mean_wait(c + 1, lambda, mu);
    expect_rejects(
        &format!("mean wait (s) with {} units", c + 1),
        wait.mean,
        w_wrong,
        wait.se(),
    );
    let util = overall(&out, "units", "all@", "utilisation");
    let rho = lambda / (f64::from(c) * mu);
    expect_agrees("utilisation", util.mean, rho, util.se());
}

const BUSY: &str = r#"
[run]
horizon = "1w"
warm_up = "6h"
replications = 3
seed = 5
[demand.emergency]
calls_per_week = 2500
handling = { kind = "lognormal", mean = "3min", sd = "2min" }
patience = { kind = "exponential", mean = "3min" }
[roster.handlers]
constant = 4
[response]
borrow_within_km = 20
divert = true
paperwork = { kind = "exponential", mean = "10min" }
speed_kmh = { urban = { I = 40, S = 30 }, rural = { I = 70, S = 50 } }
on_scene = { I = { kind = "lognormal", mean = "50min", sd = "30min" }, S = { kind = "lognormal", mean = "40min", sd = "30min" } }
two_units = { I = 0.3, S = 0.1 }
grading = { emergency = { I = 0.3, S = 0.3, E = 0.1, R = 0.3 } }
[[sectors]]
name = "town"
[[sectors]]
name = "country"
[[wards]]
name = "Centre"
type = "urban"
area_km2 = 4
x = 0
y = 0
sector = "town"
[[wards]]
name = "Fields"
type = "rural"
area_km2 = 60
x = 9
y = 0
sector = "country"
[[roster.units.shifts]]
sector = "town"
start = "07:00"
length = "12h"
count = 4
[[roster.units.shifts]]
sector = "town"
start = "19:00"
length = "12h"
count = 3
[[roster.units.shifts]]
sector = "country"
start = "06:00"
length = "12h"
count = 2
[[roster.units.shifts]]
sector = "country"
start = "18:00"
length = "12h"
count = 2
[[roster.appointments]]
sector = "town"
start = "09:00"
length = "8h"
slot = "1h"
officers = 2
[[roster.appointments]]
sector = "country"
start = "10:00"
length = "6h"
slot = "1h"
officers = 1
"#;

/// Invariants over a busy scenario with shifts, two-unit incidents, borrowing, diversions and
/// paperwork: a unit is never on two incidents at once; each incident's steps come in a
/// possible order; every dispatched incident is attended or still waiting, exactly once.
#[test]
fn no_unit_is_on_two_incidents_and_every_incident_is_accounted_for() {
    let sc = parse(BUSY);
    for rep in 0..3 {
        let t = trace(&sc, rep);
        let mut unit_on: HashMap<u32, u64> = HashMap::new();
        let mut created = HashMap::new();
        let mut attended = HashMap::new();
        let mut diversions = 0;
        for s in &t.steps {
            match *s {
                Step::Created { call, .. } => {
                    assert!(created.insert(call, ()).is_none(), "created twice")
                }
                Step::Dispatched { call, unit, .. } => {
                    assert!(created.contains_key(&call));
                    assert!(
                        unit_on.insert(unit, call).is_none(),
                        "unit {unit} sent while on call {:?}",
                        unit_on.get(&unit)
                    );
                }
                Step::Arrived { call, unit, .. } => {
                    assert_eq!(unit_on.get(&unit), Some(&call));
                    attended.entry(call).or_insert(());
                }
                Step::Cleared { call, unit, .. } => assert_eq!(unit_on.remove(&unit), Some(call)),
                Step::Diverted { call, unit, .. } => {
                    assert_eq!(unit_on.remove(&unit), Some(call));
                    diversions += 1;
                }
                Step::Queued { call, .. } => assert!(created.contains_key(&call)),
                Step::Booked { call, .. } => assert!(created.contains_key(&call)),
                Step::Deferred { call, .. } | Step::Downgraded { call, .. } => {
                    assert!(created.contains_key(&call))
                }
            }
        }
        assert!(diversions > 0, "the scenario should exercise diversions");
        // Every measured I or S incident counted is attended or still waiting: attended +
        // unattended = incidents, per replication.
        let out = experiment::run(
            &Scenario {
                run: pledgesim::scenario::RunSettings {
                    replications: 1,
                    seed: sc.run.seed,
                    ..sc.run.clone()
                },
                ..sc.clone()
            },
            &RunOptions::default(),
        );
        for (kpi, g) in [("T3", "I"), ("T4", "S")] {
            let inc = overall(&out, kpi, &format!("{g}@call"), "incidents").mean;
            let un = overall(&out, kpi, &format!("{g}@call"), "unattended").mean;
            assert!(
                inc > 10.0 && un >= 0.0 && un <= inc,
                "{kpi}: {inc} incidents, {un} unattended"
            );
        }
    }
}

/// A unit's busy time never exceeds its time on duty, in any replication.
#[test]
fn unit_busy_time_within_time_on_duty() {
    let sc = parse(BUSY);
    let out = experiment::run(&sc, &RunOptions::default());
    let i = common::position(&out.overall, "units", "all", "utilisation");
    for rep in &out.reps {
        let u = rep.values[i];
        assert!(u > 0.2 && u <= 1.0, "utilisation {u}");
    }
}

/// N idle patrolling units, each anywhere in a square ward, and an incident anywhere in it: the
/// dispatched (nearest) unit's mean distance is the exact expectation of the nearest of N
/// uniform points, for both metrics (computed in tests/common/geometry.rs). Units are never
/// busy (no travel time, no time on scene), so all N are free at every dispatch. The figure
/// must also reject N - 1 and N + 1 units.
#[test]
fn nearest_unit_distance_matches_its_exact_expectation() {
    use common::geometry::{expected_nearest_euclidean, expected_nearest_right_angle};
    let (n, side) = (5u32, 2.0f64);
    for (metric, exact) in [
        (
            "euclidean",
            expected_nearest_euclidean as fn(u32, f64) -> f64,
        ),
        ("right-angle", expected_nearest_right_angle),
    ] {
        let text = format!(
            r#"
[run]
horizon = "1w"
warm_up = "1h"
replications = 20
seed = 3
[demand.emergency]
calls_per_week = 3000
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 20
[response]
metric = "{metric}"
turnout = "0s"
idle = "patrol"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 1e9, S = 1e9 }}, rural = {{ I = 1e9, S = 1e9 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "0s" }}, S = {{ kind = "deterministic", value = "0s" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = {area}
x = 10
y = -3
sector = "A"
[roster.units.constant]
A = {n}
"#,
            area = side * side
        );
        let out = experiment::run(&parse(&text), &RunOptions::default());
        let d = overall(&out, "units", "all@", "mean_travel_km");
        let e = exact(n, side);
        expect_agrees(&format!("{metric}: mean distance (km)"), d.mean, e, d.se());
        for wrong in [n - 1, n + 1] {
            expect_rejects(
                &format!("{metric}: mean distance (km) with {wrong} units"),
                d.mean,
                exact(wrong, side),
                d.se(),
            );
        }
    }
}

/// Scenarios that differ only in their response units see exactly the same calls and incidents:
/// every incident attribute is drawn when the call arrives, from its own stream.
#[test]
fn unit_rosters_do_not_change_the_incidents() {
    let a = parse(BUSY);
    let b = parse(
        &BUSY
            .replace("count = 4", "count = 1")
            .replace("divert = true", "divert = false"),
    );
    let (ta, tb) = (trace(&a, 1), trace(&b, 1));
    assert_eq!(ta.calls.len(), tb.calls.len());
    let key =
        |c: &pledgesim::model::CallRecord| (c.arrival, c.handling_ms, c.patience_ms, c.incident);
    assert!(
        ta.calls.iter().map(key).eq(tb.calls.iter().map(key)),
        "the incidents differ"
    );
    assert!(ta.calls.iter().all(|c| c.incident.is_some()));
    assert_ne!(
        ta.steps, tb.steps,
        "the rosters should make a difference to the dispatches"
    );
}

/// A ward with a shape: incidents are uniform over the polygon (by rejection), so every one is
/// inside it and their mean position is the polygon's centroid, within 4 standard errors per
/// coordinate. A right triangle (0,0), (6,0), (0,3): centroid (2, 1), area 9 km2. Calls resolved
/// without attendance (grade R, half of them) have no place drawn: they keep the ward's centre,
/// here (2, 1), and an incident's place is the same whether or not the calls around it are
/// graded R.
#[test]
fn incidents_are_uniform_over_a_ward_shape() {
    let text = r#"
[run]
horizon = "2w"
warm_up = "0s"
replications = 1
[demand.emergency]
calls_per_week = 5000
handling = { kind = "deterministic", value = "30s" }
[roster.handlers]
constant = 10
[response]
speed_kmh = { urban = { I = 40, S = 30 }, rural = { I = 60, S = 50 } }
on_scene = { I = { kind = "deterministic", value = "1min" }, S = { kind = "deterministic", value = "1min" } }
grading = { emergency = { I = 0.5, R = 0.5 } }
[[sectors]]
name = "A"
[[wards]]
name = "Triangle"
type = "rural"
shape = [[0.0, 0.0], [6.0, 0.0], [0.0, 3.0]]
x = 2
y = 1
sector = "A"
[roster.units.constant]
A = 20
"#;
    let sc = parse(text);
    assert!((sc.response.as_ref().unwrap().wards[0].area_km2 - 9.0).abs() < 1e-12);
    let calls = trace(&sc, 0).calls;
    let draws: Vec<_> = calls.iter().map(|c| c.incident.unwrap()).collect();
    let pts: Vec<(f64, f64)> = draws
        .iter()
        .filter(|d| d.grade == 0)
        .map(|d| d.pos)
        .collect();
    assert!(pts.len() > 4500, "{} incidents", pts.len());
    assert!(
        draws.iter().filter(|d| d.grade == 3).count() > 4500
            && draws
                .iter()
                .all(|d| d.grade == 0 || (d.grade == 3 && d.pos == (2.0, 1.0))),
        "a grade R call keeps its ward's centre"
    );
    // Every call graded I: those graded I before keep their places.
    let all_i = parse(&text.replace("I = 0.5, R = 0.5", "I = 1.0"));
    let again = trace(&all_i, 0).calls;
    assert_eq!(again.len(), calls.len());
    for (d, c) in draws.iter().zip(&again) {
        let e = c.incident.unwrap();
        assert_eq!(e.grade, 0);
        if d.grade == 0 {
            assert_eq!(d.pos, e.pos);
        }
    }
    for &(x, y) in &pts {
        assert!(
            x >= 0.0 && y >= 0.0 && x / 6.0 + y / 3.0 <= 1.0,
            "({x}, {y}) is outside the triangle"
        );
    }
    let n = pts.len() as f64;
    for (k, centroid) in [(0usize, 2.0f64), (1, 1.0)] {
        let v: Vec<f64> = pts.iter().map(|p| if k == 0 { p.0 } else { p.1 }).collect();
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let se = sd / n.sqrt();
        expect_agrees(
            &format!("coordinate {k}: mean vs centroid"),
            mean,
            centroid,
            se,
        );
    }
}

/// A small field scenario in which each regression test below varies one thing.
fn scenario(extra_response: &str, sectors_and_units: &str, calls: &str) -> Scenario {
    parse(&format!(
        r#"
[run]
horizon = "2w"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{calls}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 5
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 60, S = 60 }}, rural = {{ I = 60, S = 60 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "30min" }}, S = {{ kind = "deterministic", value = "30min" }} }}
grading = {{ emergency = {{ I = 0.4, S = 0.4, E = 0.2 }} }}
{extra_response}
{sectors_and_units}
"#
    ))
}

const ONE_SECTOR: &str = r#"
[[sectors]]
name = "A"
base = [0.0, 0.0]
[[wards]]
name = "W"
type = "urban"
area_km2 = 100
x = 0
y = 0
sector = "A"
[[roster.appointments]]
sector = "A"
start = "09:00"
length = "8h"
slot = "1h"
officers = 1
"#;

/// A unit that has cleared a two-unit incident cannot also be its second unit: with one unit
/// in the force, the incident is attended once and then waits for a second unit that never comes.
#[test]
fn one_unit_is_never_both_units_of_a_two_unit_incident() {
    let sc = scenario(
        "",
        &format!("{ONE_SECTOR}\n[roster.units.constant]\nA = 1\n"),
        r#"{ at = "0min", grade = "I", x = 1.0, y = 0.0, two_units = true }"#,
    );
    let steps = trace(&sc, 0).steps;
    let dispatches = steps
        .iter()
        .filter(|s| matches!(s, Step::Dispatched { .. }))
        .count();
    assert_eq!(dispatches, 1, "{steps:?}");
}

/// An appointment session that starts late in one week and runs into the next is found: start
/// Monday 5 January 2009; a session Sundays 22:00 for 6 hours; an E call at 167 h (Sunday
/// 23:00) with a 2 h lead books the 169 h slot (Monday 01:00), not one a week later.
#[test]
fn appointment_sessions_that_cross_a_week_boundary_are_found() {
    let sectors = r#"
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = 4
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 1
[[roster.appointments]]
sector = "A"
start = "22:00"
length = "6h"
days = ["sun"]
slot = "1h"
officers = 1
"#;
    let sc = scenario(
        r#"appointment_lead = "2h""#,
        sectors,
        r#"{ at = "167h", grade = "E" }"#,
    );
    let booked: Vec<_> = trace(&sc, 0)
        .steps
        .into_iter()
        .filter(|s| matches!(s, Step::Booked { .. }))
        .collect();
    assert_eq!(
        booked,
        vec![Step::Booked {
            at: 167 * 3_600_000,
            call: 0,
            slot: 169 * 3_600_000
        }]
    );
}

/// A priority incident put back in the queue by a diversion goes at once to an idle unit that
/// may serve it, even one the emergency's own search could not see. Sectors A, B, C in a row
/// (centres 0, 10, 21 km; borrowing within 12 km: A-B and B-C, not A-C); units in A and C.
/// The S call in B takes A's unit (10 km against 11); the emergency in A then diverts it, and
/// the S call goes straight to C's unit.
#[test]
fn a_diverted_incident_goes_to_an_idle_unit_at_once() {
    let sectors = r#"
[[sectors]]
name = "A"
base = [0.0, 0.0]
[[sectors]]
name = "B"
base = [10.0, 0.0]
[[sectors]]
name = "C"
base = [21.0, 0.0]
[[wards]]
name = "WA"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
[[wards]]
name = "WB"
type = "urban"
area_km2 = 1
x = 10
y = 0
sector = "B"
[[wards]]
name = "WC"
type = "urban"
area_km2 = 1
x = 21
y = 0
sector = "C"
[roster.units.constant]
A = 1
C = 1
"#;
    let sc = scenario(
        "divert = true\nborrow_within_km = 12",
        &sectors.replace("\n[roster.units", "\n[[roster.appointments]]\nsector = \"B\"\nstart = \"09:00\"\nlength = \"8h\"\nslot = \"1h\"\nofficers = 1\n[[roster.appointments]]\nsector = \"A\"\nstart = \"09:00\"\nlength = \"8h\"\nslot = \"1h\"\nofficers = 1\n[[roster.appointments]]\nsector = \"C\"\nstart = \"09:00\"\nlength = \"8h\"\nslot = \"1h\"\nofficers = 1\n[roster.units"),
        r#"{ at = "0min", grade = "S", x = 10.0, y = 0.0 }, { at = "1min", grade = "I", x = 0.0, y = 0.0 }"#,
    );
    let m = MINUTE;
    let steps: Vec<Step> = trace(&sc, 0).steps.into_iter().take(8).collect();
    use Step::*;
    assert_eq!(
        steps,
        vec![
            Created { at: 0, call: 0 },
            Dispatched {
                at: 0,
                call: 0,
                unit: 0
            },
            Created { at: m, call: 1 },
            Diverted {
                at: m,
                call: 0,
                unit: 0
            },
            Queued { at: m, call: 0 },
            Dispatched {
                at: m,
                call: 1,
                unit: 0
            },
            Dispatched {
                at: m,
                call: 0,
                unit: 1
            },
            Arrived {
                at: 2 * m,
                call: 1,
                unit: 0
            },
        ]
    );
}

/// A pledge that makes no T4 or T5 (met-qosc) gets no share for them and no scorecard row,
/// rather than 100% of incidents "within" an infinite time.
#[test]
fn targets_the_pledge_does_not_make_are_not_scored() {
    let mut sc = scenario(
        "",
        &format!("{ONE_SECTOR}\n[roster.units.constant]\nA = 2\n"),
        r#"{ at = "0min", grade = "S", x = 1.0, y = 0.0 }, { at = "1min", grade = "E" }"#,
    );
    sc.run.replications = 2;
    for t in sc
        .targets
        .iter_mut()
        .filter(|t| matches!(t.id, "T4" | "T5"))
    {
        t.applies = false;
    }
    let out = experiment::run(&sc, &RunOptions::default());
    assert!(overall(&out, "T4", "S@call", "share_within").mean.is_nan());
    assert!(overall(&out, "T5", "E@call", "share_within").mean.is_nan());
    assert_eq!(overall(&out, "T4", "S@call", "incidents").mean, 1.0);
    let rows: Vec<&str> = pledgesim::output::scorecard_rows(&out)
        .iter()
        .map(|r| r.key.kpi)
        .collect();
    assert!(!rows.contains(&"T4") && !rows.contains(&"T5"), "{rows:?}");
}
