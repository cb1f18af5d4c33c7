//! The control room: the CAD clock (a random delay from answer to creation), dispatchers as a
//! staffed queue, and the travel factor. A hand-computed trace, dispatchers against Erlang C,
//! travel with an exponential factor against its exact mean, and the settings' errors.

use crate::common;

use common::queueing::mmc_mean_wait;
use common::{expect_agrees, expect_rejects, overall, parse, run_cli, trace};
use pledgesim::model::field::Step;
use pledgesim::time::MINUTE;

/// One sector, units waiting at base, emergencies at 1 km/min, no turnout.
fn field(extra_response: &str, extra: &str, calls: &str) -> String {
    format!(
        r#"
[run]
horizon = "2h"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{calls}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 5
{extra}
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
speed_kmh = {{ urban = {{ I = 60, S = 30 }}, rural = {{ I = 60, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "20min" }}, S = {{ kind = "deterministic", value = "30min" }} }}
grading = {{ emergency = {{ I = 0.5, S = 0.5 }} }}
{extra_response}
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
A = 5
"#
    )
}

/// By hand: the CAD delay is 7 min for I and 3 min for S; one dispatcher takes 2 min per
/// incident, emergencies first; five units wait at the base.
/// - 0 min: I call at (2, 0), created 7 min; the dispatcher takes it at once and is done at
///   9 min: unit 0 is sent, 2 km at 1 km/min, and arrives at 11 min.
/// - 5 min: S call at (0, 3), created 8 min; it waits for the dispatcher.
/// - 2 min: I call at (1, 0), created 9 min. Its creation was scheduled (at 2 min) before the
///   dispatcher's finish (at 7 min), so at 9 min it is waiting when the dispatcher frees, and
///   goes ahead of the S call (grade I first): taken at 9, done 11 min, 1 km, arrives 12 min.
/// - 11 min: the dispatcher takes the S call: done 13 min, 3 km at 0.5 km/min, arrives 19 min.
///
/// Units at one place tie, and the first in the idle list wins; taking unit 0 out moves the
/// last (4) into its place, so the emergency gets unit 4 and the S call unit 3.
#[test]
fn hand_trace_with_a_cad_delay_and_one_dispatcher() {
    let sc = parse(&field(
        r#"created_after = { I = { kind = "deterministic", value = "7min" }, S = { kind = "deterministic", value = "3min" } }"#,
        r#"[roster.dispatchers]
constant = 1
dispatch_time = { kind = "deterministic", value = "2min" }"#,
        r#"{ at = "0min", grade = "I", x = 2.0, y = 0.0 },
  { at = "2min", grade = "I", x = 1.0, y = 0.0 },
  { at = "5min", grade = "S", x = 0.0, y = 3.0 },"#,
    ));
    let m = MINUTE;
    let steps: Vec<_> = trace(&sc, 0)
        .steps
        .into_iter()
        .filter(|s| !matches!(s, Step::Cleared { .. }))
        .collect();
    use Step::*;
    assert_eq!(
        steps,
        vec![
            Created { at: 7 * m, call: 0 },
            Created { at: 8 * m, call: 2 },
            Created { at: 9 * m, call: 1 },
            Dispatched {
                at: 9 * m,
                call: 0,
                unit: 0
            },
            Arrived {
                at: 11 * m,
                call: 0,
                unit: 0
            },
            Dispatched {
                at: 11 * m,
                call: 1,
                unit: 4
            },
            Arrived {
                at: 12 * m,
                call: 1,
                unit: 4
            },
            Dispatched {
                at: 13 * m,
                call: 2,
                unit: 3
            },
            Arrived {
                at: 19 * m,
                call: 2,
                unit: 3
            },
        ]
    );
    let out = common::simulate(&sc);
    // Lead-in (call to creation) is the CAD delay here (answered at once): 7 min for I.
    let lead = overall(&out, "T3", "I", "mean_lead_in_s");
    assert_eq!(lead.mean, 420.0);
    // Waits for the dispatcher: I 0 and 0 (the second is taken at its creation, 9 min), S
    // 3 min (from 8 to 11).
    let wait_i = overall(&out, "T3", "I@incident", "mean_wait_for_dispatcher_s");
    assert_eq!(wait_i.mean, 0.0);
    let wait_s = overall(&out, "T4", "S@incident", "mean_wait_for_dispatcher_s");
    assert_eq!(wait_s.mean, 180.0);
    // Creation to first unit sent includes the dispatcher's wait and work.
    let to_unit = overall(&out, "T3", "I@incident", "mean_wait_for_unit_s");
    assert_eq!(to_unit.mean, 120.0, "2 min each");
}

/// Dispatchers as M/M/c: Poisson incidents (every call answered at once and created on
/// answer), exponential dispatch time, c dispatchers, plenty of units. The mean wait for a
/// dispatcher is Erlang C's mean wait, and their utilisation is lambda / (c mu).
#[test]
fn dispatchers_are_an_erlang_c_queue() {
    let c = 3_u32;
    let mu = 1.0 / 120.0;
    let lambda = 2.4 * mu;
    let cpw = lambda * 7.0 * 86_400.0;
    let sc = parse(&format!(
        r#"
[run]
horizon = "3w"
warm_up = "1d"
replications = 30
seed = 15
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 50
[roster.dispatchers]
constant = {c}
dispatch_time = {{ kind = "exponential", mean = "120s" }}
[response]
turnout = "0s"
created_after = {{ I = {{ kind = "deterministic", value = "0s" }} }}
speed_kmh = {{ urban = {{ I = 60, S = 60 }}, rural = {{ I = 60, S = 60 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "1min" }}, S = {{ kind = "deterministic", value = "1min" }} }}
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
A = 40
"#
    ));
    let out = common::simulate(&sc);
    let wait = overall(&out, "T3", "I@incident", "mean_wait_for_dispatcher_s");
    let exact = mmc_mean_wait(c, lambda, mu);
    expect_agrees("wait for a dispatcher (s)", wait.mean, exact, wait.se());
    expect_rejects(
        "wait for a dispatcher with one more",
        wait.mean,
        mmc_mean_wait(c + 1, lambda, mu),
        wait.se(),
    );
    let util = overall(&out, "dispatchers", "all", "utilisation");
    expect_agrees(
        "dispatcher utilisation",
        util.mean,
        lambda / (f64::from(c) * mu),
        util.se(),
    );
}

/// An exponential travel factor keeps the mean travel time: incidents uniform over a 10 km
/// square centred on the base, right-angle distance, 60 km/h, so the mean trip is 5 km = 5 min
/// with or without the factor; with it, trips spread (the 90th percentile moves out).
#[test]
fn exponential_travel_keeps_the_mean_trip() {
    let text = |factor: &str| {
        format!(
            r#"
[run]
horizon = "4w"
warm_up = "0s"
replications = 20
seed = 7
[demand.emergency]
calls_per_week = 300
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 20
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
{factor}
speed_kmh = {{ urban = {{ I = 60, S = 60 }}, rural = {{ I = 60, S = 60 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "1min" }}, S = {{ kind = "deterministic", value = "1min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
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
A = 30
"#
        )
    };
    let plain = common::simulate(&parse(&text("")));
    let exp = common::simulate(&parse(&text(r#"travel_factor = { kind = "exponential" }"#)));
    for out in [&plain, &exp] {
        let mean = overall(out, "T3", "I@incident", "mean_attend_s");
        expect_agrees("mean trip (s)", mean.mean, 300.0, mean.se());
    }
    // The factor spreads the trips: the distance alone (|x| + |y|, each uniform on 0-5 km)
    // never exceeds 10 km and has its 90th percentile at 10 - sqrt(20) = 7.8 km; with an
    // exponential factor the 90th percentile is far beyond it.
    let p90 = |o| overall(o, "T3", "I@incident", "p90_attend_s").mean;
    assert!(
        p90(&exp) > p90(&plain) * 1.3,
        "{} vs {}",
        p90(&exp),
        p90(&plain)
    );
}

/// A travel factor with a spread of 0 gives the scenario without one, byte for byte.
#[test]
fn zero_spread_changes_nothing() {
    // The default scenario as it was before it had a travel factor.
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/before-control-room/default.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    let zero = text.replacen(
        "[response]\n",
        "[response]\ntravel_factor = { kind = \"lognormal\", cv = { urban = 0.0, rural = 0.0 } }\n",
        1,
    );
    assert_ne!(text, zero);
    let a = run_cli(&text, &["-r", "2"]);
    let b = run_cli(&zero, &["-r", "2"]);
    a.success();
    b.success();
    for f in ["summary.json", "scorecard.csv", "replications.csv"] {
        assert_eq!(a.output(f), b.output(f), "{f}");
    }
}

#[test]
fn control_room_settings_are_checked() {
    let text = field(
        r#"emergency_created_after = "2min"
created_after = { I = { kind = "deterministic", value = "7min" } }
travel_factor = { kind = "gamma", cv = { urban = -1.0, rural = 0.2 } }"#,
        r#"[roster.dispatchers]
constant = 0
dispatch_time = { kind = "deterministic", value = "2min" }"#,
        r#"{ at = "0min", grade = "I" }"#,
    );
    let cli = run_cli(&text, &[]);
    cli.code(2);
    let err = &cli.stderr;
    for needle in [
        "response.created_after.I",
        "either emergency_created_after",
        "response.travel_factor.kind",
        "allowed: lognormal, exponential",
        "roster.dispatchers",
        "no dispatchers",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

/// Redial, exact case: one channel, constant rate and staffing, exponential handling, no
/// call-backs, every caller who hangs up calls again at once (probability 1, no delay), with
/// exponential patience at rate theta. The callers present then behave as M/M/c without
/// abandonment (a hang-up and its redial leave the number present unchanged), so the mean time
/// from a caller's first attempt to answer is Erlang C's W, occupancy is lambda / (c mu), and
/// each caller makes 1 + theta W attempts (they hang up at rate theta while they wait).
#[test]
fn callers_who_redial_at_once_are_an_mmc_queue() {
    let c = 4_u32;
    let mu = 1.0 / 180.0;
    let lambda = 3.4 * mu;
    let theta = 1.0 / 60.0;
    let cpw = lambda * 7.0 * 86_400.0;
    let sc = parse(&format!(
        r#"
[run]
horizon = "3w"
warm_up = "1d"
replications = 30
seed = 16
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "180s" }}
patience = {{ kind = "exponential", mean = "60s" }}
redial = {{ probability = 1.0, delay = {{ kind = "deterministic", value = "0s" }} }}
[roster.handlers]
constant = {c}
"#
    ));
    let out = common::simulate(&sc);
    let w = mmc_mean_wait(c, lambda, mu);
    let wait = overall(&out, "T1", "999", "mean_caller_wait_s");
    expect_agrees(
        "caller's wait from first attempt (s)",
        wait.mean,
        w,
        wait.se(),
    );
    expect_rejects(
        "caller's wait with one handler more",
        wait.mean,
        mmc_mean_wait(c + 1, lambda, mu),
        wait.se(),
    );
    let attempts = overall(&out, "T1", "999", "attempts_per_caller");
    expect_agrees(
        "attempts per caller",
        attempts.mean,
        1.0 + theta * w,
        attempts.se(),
    );
    expect_rejects(
        "attempts per caller, no redial",
        attempts.mean,
        1.0,
        attempts.se(),
    );
    let occ = overall(&out, "handlers", "all", "occupancy");
    expect_agrees(
        "occupancy",
        occ.mean,
        lambda / (f64::from(c) * mu),
        occ.se(),
    );
    // No caller is lost: each calls again until answered.
    assert_eq!(overall(&out, "T1", "999", "callers_lost").mean, 0.0);
}

/// Silent calls alone (the 999 channel's own calls are vanishingly rare): every silent call is
/// answered and makes exactly one call-back, and handlers are busy for the call-backs'
/// arithmetic load: silent rate x call-back length / handlers.
#[test]
fn silent_calls_make_one_call_back_each() {
    let sc = parse(
        r#"
[run]
horizon = "2w"
warm_up = "1d"
replications = 10
seed = 17
[demand.emergency]
calls_per_week = 0.000001
handling = { kind = "deterministic", value = "1min" }
silent = { calls_per_week = 5040, handling = { kind = "deterministic", value = "0s" } }
[contact_centre.callbacks]
handling = { kind = "deterministic", value = "2min" }
[roster.handlers]
constant = 5
"#,
    );
    let out = common::simulate(&sc);
    for rep in 0..out.reps.len() {
        let col = |kpi, scope, s| common::column(&out, kpi, scope, s)[rep];
        let offered = col("silent_calls", "999", "offered_calls");
        assert!(offered > 0.0);
        assert_eq!(col("silent_calls", "999", "answered_calls"), offered);
        assert_eq!(col("callbacks", "all", "created"), offered);
    }
    // 5040 a week is 0.5 a minute; 2 minutes each over 5 handlers: 20%.
    let occ = overall(&out, "handlers", "all", "occupancy");
    expect_agrees("occupancy", occ.mean, 0.5 * 2.0 / 5.0, occ.se());
    // None of them is a 999 call in T1's figures.
    assert_eq!(overall(&out, "T1", "999", "offered_calls").mean, 0.0);
}

/// An abandoned emergency found by its call-back: one handler busy with a priority call from
/// 0 to 5 min; an emergency caller at 1 min hangs up after 30 s and does not call again; the
/// call-back (2 min) starts when the handler frees at 5 min and finds the emergency: its
/// incident is created then (no CAD delay), and attendance is timed from 1 min.
#[test]
fn a_call_back_finds_an_abandoned_emergency() {
    let text = |find: f64| {
        format!(
            r#"
[run]
horizon = "2h"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [
  {{ at = "0min", grade = "S", x = 3.0, y = 0.0 }},
  {{ at = "1min", grade = "I", x = 1.0, y = 0.0 }},
]
handling = {{ kind = "deterministic", value = "5min" }}
patience = {{ kind = "deterministic", value = "30s" }}
[contact_centre.callbacks]
handling = {{ kind = "deterministic", value = "2min" }}
find_emergency = {find}
[roster.handlers]
constant = 1
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 60, S = 30 }}, rural = {{ I = 60, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "20min" }}, S = {{ kind = "deterministic", value = "30min" }} }}
grading = {{ emergency = {{ I = 0.5, S = 0.5 }} }}
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
"#
        )
    };
    let m = MINUTE;
    let found = trace(&parse(&text(1.0)), 0).steps;
    assert!(
        found.contains(&Step::Created { at: 5 * m, call: 1 }),
        "{found:?}"
    );
    assert!(found.contains(&Step::Arrived {
        at: 6 * m,
        call: 1,
        unit: 1
    }));
    let out = common::simulate(&parse(&text(1.0)));
    assert_eq!(
        overall(&out, "callbacks", "all", "found_emergencies").mean,
        1.0
    );
    // Timed from the call at 1 min: attended at 6 min, 5 min after the call.
    assert_eq!(overall(&out, "T3", "I", "mean_attend_s").mean, 300.0);
    // Not found: no incident for the abandoned call.
    let lost = trace(&parse(&text(0.0)), 0).steps;
    assert!(
        !lost
            .iter()
            .any(|s| matches!(s, Step::Created { call: 1, .. }))
    );
}

/// Handling time by grade replaces the channel's for calls of that grade only, and handling
/// time by category the grade's for calls of that category.
#[test]
fn handling_time_follows_the_grade_and_the_category() {
    let sc = parse(
        &field(
            "",
            "",
            r#"{ at = "0min", grade = "I", x = 1.0, y = 0.0 },
  { at = "1min", grade = "S", x = 1.0, y = 0.0 },
  { at = "2min", grade = "I", category = "domestic_abuse", x = 1.0, y = 0.0 },"#,
        )
        .replace(
            r#"handling = { kind = "deterministic", value = "0s" }"#,
            r#"handling = { kind = "deterministic", value = "1min" }
handling_by_grade = { I = { kind = "deterministic", value = "3min" } }
handling_by_category = { domestic_abuse = { kind = "deterministic", value = "7min" } }"#,
        ),
    );
    let calls = trace(&sc, 0).calls;
    let handling: Vec<u64> = calls.iter().map(|c| c.handling_ms).collect();
    assert_eq!(handling, [3 * MINUTE, MINUTE, 7 * MINUTE]);
}

#[test]
fn caller_settings_are_checked() {
    let text = r#"
[demand.emergency]
calls_per_week = 100
handling = { kind = "deterministic", value = "1min" }
redial = { probability = 1.5, delay = { kind = "deterministic", value = "0s" } }
silent = { calls_per_week = 10, handling = { kind = "deterministic", value = "1min" } }
handling_by_grade = { I = { kind = "deterministic", value = "3min" } }
[demand.non_emergency]
calls_per_week = 100
handling = { kind = "deterministic", value = "1min" }
silent = { calls_per_week = 10, handling = { kind = "deterministic", value = "1min" } }
[roster.handlers]
constant = 2
"#;
    let cli = run_cli(text, &[]);
    cli.code(2);
    let err = &cli.stderr;
    for needle in [
        "demand.emergency.redial.probability",
        "from 0 to 1 (got 1.5)",
        "never hang up: give `patience`",
        "demand.emergency.silent",
        "[contact_centre.callbacks]",
        "demand.non_emergency.silent",
        "are 999 calls",
        "demand.emergency.handling_by_grade",
        "needs a [response] section",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

/// The hypercube model's exact answer (Larson 1974) for N units, each alone in its sector,
/// wards taking units in a fixed order, Poisson incidents at `lambda[j]` per ward, exponential
/// service at `mu`, no travel time, one force-wide first-come-first-served queue. States are
/// the sets of busy units; when all are busy, waiting incidents form a geometric tail with
/// ratio rho = Lambda / (N mu), so the "all busy" states lump into one whose exits (a unit
/// freeing with nobody waiting) happen at rate mu (1 - rho) per unit. Returns each unit's busy
/// fraction and, per ward, the share of its incidents each unit serves (those queued are
/// served by whichever unit frees first: each unit equally).
fn hypercube(lambda: &[f64], order: &[Vec<usize>], mu: f64, n: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let states = 1usize << n;
    let full = states - 1;
    let total: f64 = lambda.iter().sum();
    let rho = total / (n as f64 * mu);
    assert!(rho < 1.0);
    let first_free = |b: usize, j: usize| order[j].iter().copied().find(|&u| b & (1 << u) == 0);
    let mut q = vec![vec![0.0; states]; states];
    for b in 0..states {
        if b == full {
            for u in 0..n {
                q[b][b & !(1 << u)] += mu * (1.0 - rho);
            }
        } else {
            for (j, l) in lambda.iter().enumerate() {
                let u = first_free(b, j).expect("a free unit");
                q[b][b | (1 << u)] += l;
            }
            for u in (0..n).filter(|u| b & (1 << u) != 0) {
                q[b][b & !(1 << u)] += mu;
            }
        }
        let out: f64 = q[b].iter().sum();
        q[b][b] = -out;
    }
    // pi Q = 0 with sum(pi) = 1: solve Q^T pi = 0, the last equation replaced by the sum.
    let mut a: Vec<Vec<f64>> = (0..states)
        .map(|i| {
            let mut row: Vec<f64> = (0..states).map(|k| q[k][i]).collect();
            row.push(0.0);
            row
        })
        .collect();
    a[states - 1] = vec![1.0; states + 1];
    for col in 0..states {
        let p = (col..states)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, p);
        for r in 0..states {
            if r != col {
                let f = a[r][col] / a[col][col];
                let pivot = a[col].clone();
                for (x, p) in a[r].iter_mut().zip(&pivot).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let pi: Vec<f64> = (0..states).map(|i| a[i][states] / a[i][i]).collect();
    let busy = (0..n)
        .map(|u| {
            (0..states)
                .filter(|b| b & (1 << u) != 0)
                .map(|b| pi[b])
                .sum()
        })
        .collect();
    let share = (0..lambda.len())
        .map(|j| {
            (0..n)
                .map(|u| {
                    let free: f64 = (0..full)
                        .filter(|&b| first_free(b, j) == Some(u))
                        .map(|b| pi[b])
                        .sum();
                    free + pi[full] / n as f64
                })
                .collect()
        })
        .collect();
    (busy, share)
}

/// Hypercube, exact: `force_fcfs` queue, an explicit order per ward, units waiting at their
/// bases, no turnout and a speed so high that travel rounds to 0 ms, constant rate and roster,
/// one grade, no diversion or paperwork, single-unit incidents, exponential time on scene.
/// Each unit's busy fraction and each ward's shares by unit match the exact chain, for N = 2
/// and 3; the simulation's figures are measured here from traces.
#[test]
fn hypercube_with_a_force_queue_matches_the_exact_chain() {
    let names = ["A", "B", "C"];
    let cases: [(Vec<f64>, Vec<Vec<usize>>); 2] = [
        (vec![0.7, 0.3], vec![vec![0, 1], vec![1, 0]]),
        (
            vec![0.5, 0.3, 0.2],
            vec![vec![0, 1, 2], vec![1, 2, 0], vec![2, 0, 1]],
        ),
    ];
    let mean_scene_min = 30.0;
    let mu = 1.0 / (mean_scene_min * 60.0);
    for (weights, order) in cases {
        let n = weights.len();
        let total = 0.6 * n as f64 * mu; // rho = 0.6
        let cpw = total * 7.0 * 86_400.0;
        let mut text = format!(
            r#"
[run]
horizon = "5w"
warm_up = "2d"
replications = 60
seed = {n}
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 30
[response]
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 1e12, S = 1e12 }}, rural = {{ I = 1e12, S = 1e12 }} }}
on_scene = {{ I = {{ kind = "exponential", mean = "{mean_scene_min}min" }}, S = {{ kind = "exponential", mean = "{mean_scene_min}min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[response.dispatch]
choose = "preference"
queue = "force_fcfs"
"#
        );
        text.push_str("[response.dispatch.order]\n");
        for (j, o) in order.iter().enumerate() {
            let list: Vec<String> = o.iter().map(|&u| format!("\"{}\"", names[u])).collect();
            text.push_str(&format!("W{j} = [{}]\n", list.join(", ")));
        }
        text.push_str("[roster.units.constant]\n");
        for name in &names[..n] {
            text.push_str(&format!("{name} = 1\n"));
        }
        for (j, w) in weights.iter().enumerate() {
            text.push_str(&format!(
                "[[sectors]]\nname = \"{}\"\nbase = [{j}.0, 0.0]\n[[wards]]\nname = \"W{j}\"\ntype = \"urban\"\narea_km2 = 1\nx = {j}\ny = 0\nsector = \"{}\"\ndemand = {{ emergency = {w} }}\n",
                names[j], names[j]
            ));
        }
        let sc = parse(&text);
        let lambda: Vec<f64> = weights.iter().map(|w| w * total).collect();
        let (busy, share) = hypercube(&lambda, &order, mu, n);
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let reps = sc.run.replications;
        let mut busy_sim = vec![Vec::new(); n];
        let mut share_sim = vec![vec![Vec::new(); n]; n];
        for r in 0..reps {
            let t = trace(&sc, r);
            let mut sent = std::collections::HashMap::new();
            let mut busy_ms = vec![0u64; n];
            let mut served = vec![vec![0u64; n]; n];
            for s in &t.steps {
                match *s {
                    Step::Dispatched { at, call, unit } => {
                        assert_eq!(
                            t.steps
                                .iter()
                                .find(|x| matches!(x, Step::Arrived { call: c, .. } if *c == call))
                                .map(|x| matches!(x, Step::Arrived { at: a, .. } if *a == at)),
                            Some(true),
                            "travel rounds to 0 ms"
                        );
                        sent.insert(call, at);
                        let rec = &t.calls[call as usize];
                        if rec.measured {
                            let ward = rec.incident.expect("a field side").ward as usize;
                            served[ward][unit as usize] += 1;
                        }
                    }
                    Step::Cleared { at, call, unit } => {
                        let from = sent[&call].clamp(lo, hi);
                        busy_ms[unit as usize] += at.clamp(lo, hi) - from;
                    }
                    _ => {}
                }
            }
            for u in 0..n {
                busy_sim[u].push(busy_ms[u] as f64 / (hi - lo) as f64);
            }
            for j in 0..n {
                let all: u64 = served[j].iter().sum();
                for u in 0..n {
                    share_sim[j][u].push(served[j][u] as f64 / all as f64);
                }
            }
        }
        let mean_se = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
            (m, (var / v.len() as f64).sqrt())
        };
        for u in 0..n {
            let (m, se) = mean_se(&busy_sim[u]);
            expect_agrees(&format!("N={n} unit {u} busy"), m, busy[u], se);
        }
        for j in 0..n {
            for u in 0..n {
                let (m, se) = mean_se(&share_sim[j][u]);
                expect_agrees(&format!("N={n} ward {j} by unit {u}"), m, share[j][u], se);
            }
        }
        // The lumped queue matters: without it (an M/M/N/N loss system's shares) the first
        // choice's share would be wrong.
        let (m, se) = mean_se(&share_sim[0][0]);
        expect_rejects(
            "ward 0 by its first unit, ignoring the queue",
            m,
            share[0][0] + 0.05,
            se,
        );
    }
}

/// Common random numbers hold for redials: a caller's choice to call again, its delay and the
/// new attempt's patience are keyed by (caller, attempt), the caller numbered among the
/// channel's first attempts, so with fewer handlers the same caller's same attempt has the same
/// patience, although more callers hang up and redial (and so the calls' ids differ).
#[test]
fn a_redial_is_the_same_whatever_the_staffing() {
    let text = |handlers: u32| {
        format!(
            r#"
[run]
horizon = "2d"
warm_up = "0s"
replications = 1
seed = 5
[demand.emergency]
calls_per_week = 20000
handling = {{ kind = "exponential", mean = "3min" }}
patience = {{ kind = "exponential", mean = "40s" }}
redial = {{ probability = 0.7, delay = {{ kind = "exponential", mean = "20s" }} }}
[roster.handlers]
constant = {handlers}
"#
        )
    };
    let (a, b) = (
        trace(&parse(&text(7)), 0).calls,
        trace(&parse(&text(6)), 0).calls,
    );
    let redials = |calls: &[pledgesim::model::CallRecord]| {
        calls
            .iter()
            .filter(|c| c.attempt > 0)
            .map(|c| ((c.caller_no, c.attempt), c.patience_ms))
            .collect::<std::collections::HashMap<_, _>>()
    };
    let (ra, rb) = (redials(&a), redials(&b));
    // The runs differ in ids: the same caller number has another id once redials interleave.
    let id_of = |calls: &[pledgesim::model::CallRecord], no: u64| {
        calls
            .iter()
            .find(|c| c.attempt == 0 && c.caller_no == no)
            .map(|c| c.id)
    };
    let last = a.iter().filter(|c| c.attempt == 0).count() as u64 - 1;
    assert_ne!(id_of(&a, last), id_of(&b, last));
    assert!(rb.len() > ra.len(), "fewer handlers, more redials");
    let both: Vec<_> = ra.keys().filter(|k| rb.contains_key(k)).collect();
    assert!(both.len() > 100, "{} redials in both", both.len());
    for k in both {
        assert_eq!(ra[k], rb[k], "caller {} attempt {}", k.0, k.1);
    }
}

/// Two stages in tandem: Poisson arrivals, one class, first come first served, exponential
/// handling, nobody hangs up, and a transfer probability p independent of the handling time.
/// By Burke's theorem the call-takers see Poisson arrivals at p lambda, so each stage's share
/// answered within t is Erlang C's for its own load, and the mean time in queues over all
/// callers is W1 + p W2.
#[test]
fn two_stages_in_tandem_are_two_erlang_c_queues() {
    use common::queueing::mmc_wait_cdf;
    let (c1, mu1) = (3_u32, 1.0 / 60.0);
    let (c2, mu2) = (3_u32, 1.0 / 120.0);
    let lambda = 2.2 * mu1;
    let p = 0.5;
    let t = 30.0;
    let cpw = lambda * 7.0 * 86_400.0;
    let sc = parse(&format!(
        r#"
[run]
horizon = "3w"
warm_up = "1d"
replications = 30
seed = 18
[demand.non_emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "120s" }}
stages = ["switchboard"]
[[contact_centre.stages]]
name = "switchboard"
constant = {c1}
handling = {{ kind = "exponential", mean = "60s" }}
transfer = {p}
[roster.handlers]
constant = {c2}
"#
    ));
    let out = common::simulate(&sc);
    let fig = |scope, s| overall(&out, "stages", scope, s);
    let (w1, w2) = (
        mmc_mean_wait(c1, lambda, mu1),
        mmc_mean_wait(c2, p * lambda, mu2),
    );
    let e = fig("switchboard", "mean_answer_s");
    expect_agrees("switchboard mean wait (s)", e.mean, w1, e.se());
    let e = fig("switchboard", "share_of_answered_within");
    expect_agrees(
        "switchboard within 30 s",
        e.mean,
        mmc_wait_cdf(c1, lambda, mu1, t),
        e.se(),
    );
    let e = fig("call-takers", "mean_answer_s");
    expect_agrees("call-takers mean wait (s)", e.mean, w2, e.se());
    expect_rejects(
        "call-takers mean wait with 60% transferred",
        e.mean,
        mmc_mean_wait(c2, 0.6 * lambda, mu2),
        e.se(),
    );
    let e = fig("call-takers", "share_of_answered_within");
    expect_agrees(
        "call-takers within 30 s",
        e.mean,
        mmc_wait_cdf(c2, p * lambda, mu2, t),
        e.se(),
    );
    let e = overall(&out, "T2", "non-emergency", "mean_total_wait_s");
    expect_agrees(
        "time in queues over all callers (s)",
        e.mean,
        w1 + p * w2,
        e.se(),
    );
    // The caller's answer is at the switchboard: T2's share is the switchboard's.
    let t2 = overall(&out, "T2", "non-emergency", "share_within");
    expect_agrees(
        "T2 at the switchboard",
        t2.mean,
        mmc_wait_cdf(c1, lambda, mu1, t),
        t2.se(),
    );
    let occ = fig("switchboard", "occupancy");
    expect_agrees(
        "switchboard occupancy",
        occ.mean,
        lambda / (f64::from(c1) * mu1),
        occ.se(),
    );
}

#[test]
fn stage_settings_are_checked() {
    let text = r#"
[demand.non_emergency]
calls_per_week = 100
handling = { kind = "deterministic", value = "1min" }
patience = { kind = "exponential", mean = "2min" }
redial = { probability = 0.5, delay = { kind = "deterministic", value = "0s" } }
stages = ["a", "b", "a", "nowhere"]
[[contact_centre.stages]]
name = "a"
constant = 1
handling = { kind = "deterministic", value = "1min" }
transfer = 1.5
[[contact_centre.stages]]
name = "b"
handling = { kind = "deterministic", value = "1min" }
people = false
transfer = 0.5
[roster.handlers]
constant = 2
"#;
    let cli = run_cli(text, &[]);
    cli.code(2);
    let err = &cli.stderr;
    for needle in [
        "contact_centre.stages[0].transfer",
        "from 0 to 1 (got 1.5)",
        "contact_centre.stages[1]",
        "no stage staff members",
        "ends no call",
        "demand.non_emergency.stages[2]",
        "go round in a loop",
        "demand.non_emergency.stages[3]",
        "no [[contact_centre.stages]] named \"nowhere\"",
        "give `redial` or `stages`, not both",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

/// A dispatcher roster, or a stage's, that leaves whole hours uncovered while work arrives is
/// warned of, in words; one that covers every hour is not.
#[test]
fn hours_without_dispatchers_or_stage_staff_are_warned_of() {
    use pledgesim::experiment::warnings::{Warning, warnings};
    let text = |dispatchers: &str| {
        field(
            "",
            &format!(
                r#"[roster.dispatchers]
{dispatchers}
dispatch_time = {{ kind = "deterministic", value = "1min" }}
[[contact_centre.stages]]
name = "switchboard"
shifts = [{{ start = "08:00", length = "12h", count = 1 }}]
handling = {{ kind = "deterministic", value = "30s" }}"#
            ),
            r#"{ at = "0min", grade = "I" }"#,
        )
        .replace(
            "[roster.handlers]",
            "[demand.non_emergency]\ncalls_per_week = 100\nhandling = { kind = \"deterministic\", value = \"1min\" }\nstages = [\"switchboard\"]\n[roster.handlers]",
        )
        .replace(
            "grading = { emergency = { I = 0.5, S = 0.5 } }",
            "grading = { emergency = { I = 0.5, S = 0.5 }, non_emergency = { S = 0.5, R = 0.5 } }",
        )
    };
    let day_only = parse(&text(
        r#"shifts = [{ start = "07:00", length = "10h", count = 1 }]"#,
    ));
    let w = warnings(&day_only);
    let nobody: Vec<_> = w
        .iter()
        .filter(|w| matches!(w, Warning::NobodyOnDuty { .. }))
        .map(|w| w.to_string())
        .collect();
    assert_eq!(nobody.len(), 2, "{nobody:?}");
    assert!(
        nobody[0].starts_with("dispatchers: nobody on duty in"),
        "{}",
        nobody[0]
    );
    assert!(nobody[0].contains("Monday 00:00-07:00"), "{}", nobody[0]);
    assert!(
        nobody[1].starts_with("stage \"switchboard\": nobody on duty"),
        "{}",
        nobody[1]
    );
    let always = parse(&text("constant = 1"));
    assert_eq!(
        warnings(&always)
            .iter()
            .filter(|w| matches!(w, Warning::NobodyOnDuty { who, .. } if who == "dispatchers"))
            .count(),
        0
    );
}

/// With `answered_at = "call-takers"` the caller's answer is measured where the call-takers pick
/// up, from the call reaching the force: every call passes the switchboard (transfer 1), so the
/// mean answer is W1 + the switchboard's mean time + W2, each W Erlang C's for load lambda. A
/// stage that ends calls before that answer is refused.
#[test]
fn the_answer_can_be_measured_at_the_call_takers() {
    let (c1, mu1) = (3_u32, 1.0 / 60.0);
    let (c2, mu2) = (5_u32, 1.0 / 120.0);
    let lambda = 2.2 * mu1;
    let cpw = lambda * 7.0 * 86_400.0;
    let text = |transfer: f64| {
        format!(
            r#"
[run]
horizon = "3w"
warm_up = "1d"
replications = 30
seed = 19
[demand.non_emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "120s" }}
stages = ["switchboard"]
answered_at = "call-takers"
[[contact_centre.stages]]
name = "switchboard"
constant = {c1}
handling = {{ kind = "exponential", mean = "60s" }}
transfer = {transfer}
[roster.handlers]
constant = {c2}
"#
        )
    };
    let out = common::simulate(&parse(&text(1.0)));
    let exact = mmc_mean_wait(c1, lambda, mu1) + 60.0 + mmc_mean_wait(c2, lambda, mu2);
    let e = overall(&out, "T2", "non-emergency", "mean_answer_s");
    expect_agrees("answer at the call-takers (s)", e.mean, exact, e.se());
    expect_rejects(
        "answer at the switchboard",
        e.mean,
        mmc_mean_wait(c1, lambda, mu1),
        e.se(),
    );
    let cli = run_cli(&text(0.5), &[]);
    cli.code(2);
    assert!(
        cli.stderr
            .contains("ends some calls before the caller's answer is measured"),
        "{}",
        cli.stderr
    );
}

/// A route of automatic stages only (a recorded menu) is answered by the call-takers: every
/// answered call's journey ends there, so the call-takers' answered calls are the channel's,
/// and the caller's wait includes the menu: the menu's time (deterministic 20 s, no queue with
/// plenty of lines) plus the call-takers' Erlang C wait.
#[test]
fn a_menu_before_the_call_takers_is_not_the_callers_answer() {
    let (c2, mu2) = (4_u32, 1.0 / 120.0);
    let lambda = 3.0 * mu2;
    let cpw = lambda * 7.0 * 86_400.0;
    let sc = parse(&format!(
        r#"
[run]
horizon = "3w"
warm_up = "1d"
replications = 30
seed = 20
[demand.non_emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "120s" }}
stages = ["menu"]
[[contact_centre.stages]]
name = "menu"
constant = 1000
people = false
handling = {{ kind = "deterministic", value = "20s" }}
[roster.handlers]
constant = {c2}
"#
    ));
    let out = common::simulate(&sc);
    for rep in 0..out.reps.len() {
        let col = |kpi, scope, s| common::column(&out, kpi, scope, s)[rep];
        assert_eq!(
            col("stages", "call-takers", "answered_calls"),
            col("T2", "non-emergency", "answered_calls")
        );
    }
    let e = overall(&out, "T2", "non-emergency", "mean_answer_s");
    let exact = 20.0 + mmc_mean_wait(c2, lambda, mu2);
    expect_agrees("answer after the menu (s)", e.mean, exact, e.se());
    let t = overall(&out, "T2", "non-emergency", "mean_total_wait_s");
    expect_agrees(
        "time in queues (s)",
        t.mean,
        mmc_mean_wait(c2, lambda, mu2),
        t.se(),
    );
}
