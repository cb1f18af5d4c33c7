//! Response officers' working time: a hand-computed shift with a briefing, a custody job and a
//! deferred break (and the same shift with the briefing interrupted); whole-shift shrinkage
//! converging to its rate; a duty that takes k of c units off for the whole run leaving exactly
//! c - k units (and Erlang C); and a continuous-time Markov chain of a team with one
//! interruptible and one non-interruptible duty, solved here and matched within the standard
//! error.

use crate::common;

use common::queueing::{mmc_mean_wait, priority_mmc_waits};
use common::{expect_agrees, expect_rejects, overall, parse, run_cli};
use pledgesim::experiment::{self, RunOptions, RunOutcome};

/// One unit on a 08:00-18:00 shift, its base at (0, 0) inside a 10 km square ward; emergencies
/// drive at 1 km/min, priority speed (used for the drive to custody) is 0.5 km/min; no turnout;
/// a custody suite at (4, 0).
fn one_unit(call_at: &str) -> String {
    format!(
        r#"
[run]
horizon = "1d"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{{ at = "{call_at}", grade = "I", x = 2.0, y = 0.0, on_scene = "60min" }}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 60, S = 30 }}, rural = {{ I = 60, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "60min" }}, S = {{ kind = "deterministic", value = "60min" }} }}
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
[[roster.units.shifts]]
sector = "A"
start = "08:00"
length = "10h"
count = 1

[[officers.duties]]
cause = "briefing"
roles = ["response"]
when = "shift_start"
length = {{ kind = "deterministic", value = "30min" }}
interruptible = true

[[officers.duties]]
cause = "refreshment"
roles = ["response"]
when = "break"
after = "4h"
latest = "6h"
length = {{ kind = "deterministic", value = "45min" }}

[[officers.duties]]
cause = "custody"
roles = ["response"]
when = "after_incident"
probability = {{ I = 1.0, S = 1.0 }}
length = {{ kind = "deterministic", value = "2h" }}

[[officers.custody_suites]]
name = "central"
at = [4.0, 0.0]
"#
    )
}

fn shares(out: &RunOutcome) -> Vec<(&'static str, f64)> {
    [
        "available",
        "travel",
        "on_scene",
        "paperwork",
        "briefing",
        "refreshment",
        "station",
        "partnership",
        "custody",
        "files",
    ]
    .into_iter()
    .map(|c| {
        let scope = format!("{c}@");
        (c, overall(out, "units", &scope, "share_of_duty_time").mean)
    })
    .collect()
}

/// By hand (minutes of the 600-minute shift): 08:00 briefing to 08:30; idle to 09:00; the
/// emergency at (2, 0): 2 min travel, 60 min on scene, clear 10:02; custody: 4 min drive to
/// the suite (2 km at 0.5 km/min) and 120 min, to 12:06; the break fell due at 12:00 while in
/// custody, so it is taken at 12:06 for 45 min; idle from 12:51 to 18:00.
/// Available 30 + 309 = 339, travel 2, on scene 60, briefing 30, refreshment 45, custody 124.
#[test]
fn a_hand_computed_shift_gives_exact_cause_shares_that_sum_to_one() {
    let sc = parse(&one_unit("9h"));
    let out = experiment::run(&sc, &RunOptions::default());
    let got = shares(&out);
    let want = [339.0, 2.0, 60.0, 0.0, 30.0, 45.0, 0.0, 0.0, 124.0, 0.0];
    for ((cause, g), w) in got.iter().zip(want) {
        assert_eq!(*g, w / 600.0, "share of {cause}");
    }
    let sum: f64 = got.iter().map(|(_, s)| s).sum();
    assert!((sum - 1.0).abs() < 1e-12, "shares sum to {sum}");
    assert_eq!(
        overall(&out, "units", "all@", "availability").mean,
        339.0 / 600.0
    );
    // The only sector's availability is the force's.
    assert_eq!(
        overall(&out, "units", "A@", "availability").mean,
        339.0 / 600.0
    );
    assert_eq!(overall(&out, "duties", "refreshment@", "started").mean, 1.0);
    assert_eq!(overall(&out, "duties", "refreshment@", "missed").mean, 0.0);
    assert_eq!(overall(&out, "duties", "custody@", "started").mean, 1.0);
    assert_eq!(overall(&out, "T3", "I@call", "mean_attend_s").mean, 120.0);
}

/// The emergency at 08:10 finds the only unit in its briefing, which it interrupts: travel
/// 08:10-08:12, on scene to 09:12, custody (4 + 120 min) to 11:16, then the 20 minutes of
/// briefing left (resumed) to 11:36, idle to 12:00, the break 12:00-12:45, idle to 18:00.
#[test]
fn an_emergency_interrupts_a_briefing_which_resumes_after_the_custody_job() {
    let sc = parse(&one_unit("490min"));
    let out = experiment::run(&sc, &RunOptions::default());
    let got = shares(&out);
    let want = [339.0, 2.0, 60.0, 0.0, 30.0, 45.0, 0.0, 0.0, 124.0, 0.0];
    for ((cause, g), w) in got.iter().zip(want) {
        assert_eq!(*g, w / 600.0, "share of {cause}");
    }
    assert_eq!(
        overall(&out, "duties", "briefing@", "interrupted").mean,
        1.0
    );
    // Started twice: at 08:00 and again (resumed) at 11:16.
    assert_eq!(overall(&out, "duties", "briefing@", "started").mean, 2.0);
    assert_eq!(overall(&out, "T3", "I@call", "mean_attend_s").mean, 120.0);
}

/// A field scenario of one sector at one base with no travel, exponential time on scene, one
/// grade and a force-wide first-come queue: the hypercube conditions.
fn hypercube(units: &str, officers: &str, weeks: u32, reps: u32, lambda_per_week: f64) -> String {
    format!(
        r#"
[run]
horizon = "{weeks}w"
warm_up = "1d"
replications = {reps}
seed = 17
[targets.T3]
time = "1s"
[demand.emergency]
calls_per_week = {lambda_per_week}
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 40
[response]
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 1e9, S = 1e9 }}, rural = {{ I = 1e9, S = 1e9 }} }}
on_scene = {{ I = {{ kind = "exponential", mean = "20min" }}, S = {{ kind = "exponential", mean = "20min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[response.dispatch]
queue = "force_fcfs"
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
{units}
{officers}
"#
    )
}

/// Two units on a 24-hour shift starting at midnight, each spending its whole shift in a
/// briefing that cannot be interrupted, leave exactly the four units on duty at all times:
/// every incident waits exactly as long as with those four alone, and the wait is Erlang C's
/// for four servers.
#[test]
fn a_duty_taking_k_of_c_units_for_the_whole_run_leaves_exactly_c_minus_k() {
    let per_week = 1512.0; // 9 an hour; 20 min each: 3 Erlangs on 4 units.
    let four = "[roster.units.constant]\nA = 4\n";
    let six = format!(
        "{four}[[roster.units.shifts]]\nsector = \"A\"\nstart = \"00:00\"\nlength = \"24h\"\ncount = 2\n"
    );
    let briefing = r#"
[[officers.duties]]
cause = "briefing"
roles = ["response"]
when = "shift_start"
length = { kind = "deterministic", value = "24h" }
"#;
    let with_duty = parse(&hypercube(&six, briefing, 8, 12, per_week));
    let alone = parse(&hypercube(four, "", 8, 12, per_week));
    let a = experiment::run(&with_duty, &RunOptions::default());
    let b = experiment::run(&alone, &RunOptions::default());
    for stat in ["mean_wait_for_unit_s", "share_within", "mean_attend_s"] {
        assert_eq!(
            overall(&a, "T3", "I@incident", stat).mean,
            overall(&b, "T3", "I@incident", stat).mean,
            "{stat}"
        );
    }
    let wait = overall(&a, "T3", "I@incident", "mean_wait_for_unit_s");
    let (lambda, mu) = (per_week / (7.0 * 86_400.0), 1.0 / 1200.0);
    expect_agrees(
        "mean wait (s) with 2 of 6 units briefing all run, Erlang C for 4",
        wait.mean,
        mmc_mean_wait(4, lambda, mu),
        wait.se(),
    );
    // A third of the six units' time is the briefing.
    let briefing = overall(&a, "units", "briefing@", "share_of_duty_time");
    assert!(
        (briefing.mean - 1.0 / 3.0).abs() < 1e-9,
        "{}",
        briefing.mean
    );
}

/// Shrinkage removes whole rostered shifts at its rate: over 20 replications of 5,550
/// unit-shifts each, the share lost to each cause agrees with its rate within the SE.
#[test]
fn whole_shift_shrinkage_converges_to_its_rate() {
    let shifts: String = ["06:00", "14:00", "22:00"]
        .iter()
        .map(|s| {
            format!(
                "[[roster.units.shifts]]\nsector = \"A\"\nstart = \"{s}\"\nlength = \"8h\"\ncount = 5\n"
            )
        })
        .collect();
    let shrinkage = r#"
[[officers.shrinkage]]
roles = ["response"]
leave = 0.12
sickness = 0.05
training = 0.03
"#;
    let sc = parse(&hypercube(&shifts, shrinkage, 53, 20, 100.0));
    let out = experiment::run(&sc, &RunOptions::default());
    let rostered = overall(&out, "units", "all@", "rostered_shifts");
    assert_eq!(rostered.mean, 3.0 * 5.0 * 370.0);
    for (cause, p) in [("leave", 0.12), ("sickness", 0.05), ("training", 0.03)] {
        let lost = overall(&out, "units", "all@", &format!("shifts_lost_{cause}"));
        expect_agrees(
            &format!("share of shifts lost to {cause}"),
            lost.mean / rostered.mean,
            p,
            lost.se() / rostered.mean,
        );
    }
}

/// The team's Markov chain. A state counts units idle (i), on an incident (n), on an incident
/// with an interrupted duty A to resume (p), on duty A (a), on duty B (b), and incidents
/// waiting (q, only when no unit is idle or on A). Incidents arrive at `lambda`; each unit
/// serves at `mu`; A and B fall due for each idle unit at `alpha` and `beta` (dropped on a
/// busy unit) and last exponential times of rates `ea` and `eb`. An arrival takes an idle unit,
/// else interrupts a unit on A, else waits; a unit done with an incident takes the next waiting
/// one, else resumes its A, else is idle. With `interruptible` false, A is never interrupted
/// (arrivals wait while units are on it). Returns (P(wait), E[a]/c, E[b]/c, E[i]/c).
#[allow(clippy::too_many_arguments)]
fn team_chain(
    c: usize,
    lambda: f64,
    mu: f64,
    alpha: f64,
    ea: f64,
    beta: f64,
    eb: f64,
    interruptible: bool,
    qmax: usize,
) -> (f64, f64, f64, f64) {
    type S = [usize; 6]; // i, n, p, a, b, q
    let mut states: Vec<S> = Vec::new();
    for i in 0..=c {
        for n in 0..=c - i {
            for p in 0..=c - i - n {
                for a in 0..=c - i - n - p {
                    let b = c - i - n - p - a;
                    let qs = if i == 0 && (a == 0 || !interruptible) {
                        qmax
                    } else {
                        0
                    };
                    for q in 0..=qs {
                        states.push([i, n, p, a, b, q]);
                    }
                }
            }
        }
    }
    let index = |s: &S| states.iter().position(|x| x == s);
    let m = states.len();
    // Balance equations: pi Q = 0, with sum pi = 1 replacing the last equation.
    let mut q = vec![vec![0.0; m]; m];
    for (k, s) in states.iter().enumerate() {
        let [i, n, p, a, b, w] = *s;
        let mut go = |to: S, rate: f64| {
            if rate > 0.0 {
                if let Some(j) = index(&to) {
                    q[k][j] += rate;
                    q[k][k] -= rate;
                }
            }
        };
        // An incident arrives.
        if i > 0 {
            go([i - 1, n + 1, p, a, b, w], lambda);
        } else if a > 0 && interruptible {
            go([i, n, p + 1, a - 1, b, w], lambda);
        } else if w < qmax {
            go([i, n, p, a, b, w + 1], lambda);
        }
        // An incident ends.
        if w > 0 {
            go([i, n, p, a, b, w - 1], mu * (n + p) as f64);
        } else {
            if n > 0 {
                go([i + 1, n - 1, p, a, b, w], mu * n as f64);
            }
            if p > 0 {
                go([i, n, p - 1, a + 1, b, w], mu * p as f64);
            }
        }
        // Duties fall due on idle units, and end.
        if i > 0 {
            go([i - 1, n, p, a + 1, b, w], alpha * i as f64);
            go([i - 1, n, p, a, b + 1, w], beta * i as f64);
        }
        if a > 0 {
            if w > 0 {
                go([i, n + 1, p, a - 1, b, w - 1], ea * a as f64);
            } else {
                go([i + 1, n, p, a - 1, b, w], ea * a as f64);
            }
        }
        if b > 0 {
            if w > 0 {
                go([i, n + 1, p, a, b - 1, w - 1], eb * b as f64);
            } else {
                go([i + 1, n, p, a, b - 1, w], eb * b as f64);
            }
        }
    }
    // Solve A x = e_last, with A = Q^T and its last row replaced by ones.
    let mut mat: Vec<Vec<f64>> = (0..m)
        .map(|r| (0..m).map(|col| q[col][r]).collect())
        .collect();
    mat[m - 1] = vec![1.0; m];
    let mut rhs = vec![0.0; m];
    rhs[m - 1] = 1.0;
    for col in 0..m {
        let piv = (col..m)
            .max_by(|&x, &y| mat[x][col].abs().total_cmp(&mat[y][col].abs()))
            .unwrap();
        mat.swap(col, piv);
        rhs.swap(col, piv);
        for r in 0..m {
            if r != col {
                let f = mat[r][col] / mat[col][col];
                if f != 0.0 {
                    let pivot_row = mat[col].clone();
                    for (x, p) in mat[r].iter_mut().zip(&pivot_row).skip(col) {
                        *x -= f * p;
                    }
                    rhs[r] -= f * rhs[col];
                }
            }
        }
    }
    let pi: Vec<f64> = (0..m).map(|r| rhs[r] / mat[r][r]).collect();
    let mut out = (0.0, 0.0, 0.0, 0.0);
    for (s, p) in states.iter().zip(&pi) {
        if s[0] == 0 && (s[3] == 0 || !interruptible) {
            out.0 += p;
        }
        out.1 += p * s[3] as f64 / c as f64;
        out.2 += p * s[4] as f64 / c as f64;
        out.3 += p * s[0] as f64 / c as f64;
    }
    assert!(
        pi.iter()
            .zip(&states)
            .filter(|(_, s)| s[5] == qmax)
            .map(|(p, _)| p)
            .sum::<f64>()
            < 1e-9,
        "the queue is truncated too early"
    );
    out
}

/// A two-unit team with station time (interruptible, resumed) and partnership work (not
/// interruptible), both at a rate per unit, dropped when due on a busy unit: the probability
/// that an incident waits and the share of time on each duty match the chain within the SE.
#[test]
fn a_team_with_an_interruptible_and_a_fixed_duty_is_the_markov_chain() {
    let (per_week, c) = (336.0, 2); // 2 incidents an hour, 20 minutes each.
    let duties = r#"
[[officers.duties]]
cause = "station"
roles = ["response"]
when = "per_week"
per_week = 168
length = { kind = "exponential", mean = "30min" }
interruptible = true
if_busy = "drop"

[[officers.duties]]
cause = "partnership"
roles = ["response"]
when = "per_week"
per_week = 84
length = { kind = "exponential", mean = "40min" }
if_busy = "drop"
"#;
    let sc = parse(&hypercube(
        "[roster.units.constant]\nA = 2\n",
        duties,
        26,
        16,
        per_week,
    ));
    let out = experiment::run(&sc, &RunOptions::default());
    let h = 3600.0;
    let (p_wait, on_a, on_b, idle) = team_chain(
        c,
        2.0 / h,
        3.0 / h,
        1.0 / h,
        2.0 / h,
        0.5 / h,
        1.5 / h,
        true,
        80,
    );
    // The same team whose station duty cannot be interrupted: the test tells them apart.
    let fixed = team_chain(
        c,
        2.0 / h,
        3.0 / h,
        1.0 / h,
        2.0 / h,
        0.5 / h,
        1.5 / h,
        false,
        80,
    );
    let within = overall(&out, "T3", "I@incident", "share_within");
    expect_agrees(
        "probability an incident waits",
        1.0 - within.mean,
        p_wait,
        within.se(),
    );
    expect_rejects(
        "probability an incident waits, station duty not interruptible",
        1.0 - within.mean,
        fixed.0,
        within.se(),
    );
    let a = overall(&out, "units", "station@", "share_of_duty_time");
    expect_agrees("share of time on station duty", a.mean, on_a, a.se());
    let b = overall(&out, "units", "partnership@", "share_of_duty_time");
    expect_agrees("share of time on partnership work", b.mean, on_b, b.se());
    let i = overall(&out, "units", "all@", "availability");
    expect_agrees("availability", i.mean, idle, i.se());
}

/// Every mistake in the officers' section is reported at once, each naming its line and field,
/// with exit code 2 and nothing written.
#[test]
fn officers_settings_are_checked_all_at_once() {
    let text = one_unit("9h").replace(
        "[[officers.custody_suites]]\nname = \"central\"\nat = [4.0, 0.0]",
        r#"[[officers.custody_suites]]
name = "far"
at = [40.0, 0.0]

[[officers.duties]]
cause = "lunch"
when = "break"
after = "2h"
latest = "1h"
length = { kind = "deterministic", value = "11h" }

[[officers.duties]]
cause = "files"
roles = ["response"]
when = "after_incident"
probability = { I = 1.5, S = 0.2 }
by_category = { burglary = 0.3 }
interruptible = true
length = { kind = "deterministic", value = "30min" }

[[officers.duties]]
cause = "station"
roles = ["response", "constable"]
when = "per_week"
per_week = 0
after = "1h"
length = { kind = "deterministic", value = "30min" }

[[officers.shrinkage]]
leave = 0.7
sickness = 0.4
"#,
    );
    let cli = run_cli(&text, &[]);
    cli.code(2);
    assert!(!cli.out.exists(), "nothing is written");
    let err = &cli.stderr;
    for needle in [
        "officers.custody_suites[0].at",
        "lies outside every ward",
        "officers.duties[3].cause",
        "unknown cause \"lunch\"",
        "officers.duties[3].latest",
        "officers.duties[3].length",
        "a break longer than a shift",
        "officers.duties[4].probability.I",
        "from 0 to 1 (got 1.5)",
        "officers.duties[4].by_category.burglary",
        "officers.duties[4].interruptible",
        "cannot be interrupted",
        "officers.duties[5].roles[1]",
        "unknown role \"constable\"",
        "officers.duties[5].per_week",
        "officers.duties[5].after",
        "only for duties with when = \"break\"",
        "officers.shrinkage[0]",
        "together must be below 1",
        "need a [neighbourhood] section",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(
        err.contains("s.toml:62:1: field `officers.duties[3].cause`"),
        "errors name their file, line and column:\n{err}"
    );
}

/// The way back: a unit clearing at (6, 0) at 66 min drives back to its base at (0, 0) at the
/// priority speed (0.5 km/min), so at 70 min it is 4 km out, at (4, 0), and the emergency at
/// the base then is reached in 4 minutes (not at once, as when a unit reappears at its base).
#[test]
fn a_unit_drives_back_to_its_base_and_is_dispatched_on_the_way() {
    let text = |return_trip: &str| {
        format!(
            r#"
[run]
horizon = "1d"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [
  {{ at = "0min", grade = "I", x = 6.0, y = 0.0, on_scene = "60min" }},
  {{ at = "70min", grade = "I", x = 0.0, y = 0.0, on_scene = "60min" }},
]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
return_trip = "{return_trip}"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 60, S = 30 }}, rural = {{ I = 60, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "60min" }}, S = {{ kind = "deterministic", value = "60min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
base = [0.0, 0.0]
[[wards]]
name = "W"
type = "urban"
area_km2 = 400
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 1
"#
        )
    };
    let drive = experiment::run(&parse(&text("drive")), &RunOptions::default());
    let none = experiment::run(&parse(&text("none")), &RunOptions::default());
    // (6 min + 4 min) / 2, against (6 min + 0) / 2.
    assert_eq!(overall(&drive, "T3", "I@call", "mean_attend_s").mean, 300.0);
    assert_eq!(overall(&none, "T3", "I@call", "mean_attend_s").mean, 180.0);
    assert_eq!(
        overall(&drive, "units", "travel@", "share_of_duty_time").mean,
        10.0 / 1440.0,
        "the drive back is available time, not travel"
    );
}

/// A five-week rota of 40-hour weeks (E 07:00, L 15:00, N 22:00, ten hours each).
const ROTA: &str = r#"
[[officers.rotas]]
name = "five"
shifts = [
  { code = "E", start = "07:00", length = "10h" },
  { code = "L", start = "15:00", length = "10h" },
  { code = "N", start = "22:00", length = "10h" },
]
weeks = [
  "E E E E - - -",
  "- - - E E E E",
  "L L L L - - -",
  "- - - L L L L",
  "N N N N - - -",
]
"#;

/// Eleven officers on the rota (groups of 3, 2, 2, 2, 2), double crewed: every week each line is
/// worked by one group, so 11 x 40 officer-hours a week are on duty whatever the week, and 11
/// x 4 x 4 officer-shifts start in the four measured weeks; an odd officer out crews a unit
/// alone, so no officer-hour is lost to crewing.
#[test]
fn a_team_on_a_rota_puts_its_establishment_on_duty() {
    let team = format!(
        "{ROTA}\n[[officers.teams]]\nname = \"response\"\nsector = \"A\"\nrota = \"five\"\nofficers = 11\ncrew = 2\n"
    );
    // Next to no calls: no unit works past its shift's end (which would count as time on duty).
    let mut text = hypercube("", &team, 5, 1, 0.001);
    text = text.replace("warm_up = \"1d\"", "warm_up = \"1w\"");
    let out = experiment::run(&parse(&text), &RunOptions::default());
    let officers = overall(&out, "units", "all@", "mean_officers_on_duty").mean;
    assert!((officers - 440.0 / 168.0).abs() < 1e-9, "{officers}");
    assert_eq!(
        overall(&out, "units", "all@", "rostered_shifts").mean,
        11.0 * 16.0
    );
    assert_eq!(
        overall(&out, "teams", "response@", "establishment").mean,
        11.0
    );
    assert_eq!(overall(&out, "teams", "response@", "fte").mean, 11.0);
    assert_eq!(
        overall(&out, "teams", "response@", "rota_hours_per_week").mean,
        40.0
    );
}

#[test]
fn teams_and_rotas_are_checked_all_at_once() {
    let bad = r#"
[[officers.rotas]]
name = "five"
shifts = [{ code = "E", start = "07:00", length = "10h" }]
weeks = ["E E E E - - -", "E E E E E -", "E X E E - - -"]

[[officers.rotas]]
name = "none"
shifts = [{ code = "E", start = "07:00", length = "10h" }]
weeks = []

[[officers.rotas]]
name = "long"
shifts = [{ code = "E", start = "07:00", length = "10h" }]
weeks = ["E E E E E - -"]

[[officers.teams]]
sector = "A"
rota = "long"
officers = 10

[[officers.teams]]
sector = "A"
rota = "long"
officers = 0

[[officers.teams]]
sector = "B"
rota = "weekly"
officers = 10
crew = 3
"#;
    let cli = run_cli(
        &hypercube("[roster.units.constant]\nA = 1\n", bad, 1, 1, 10.0),
        &[],
    );
    cli.code(2);
    let err = &cli.stderr;
    for needle in [
        "officers.rotas[0].weeks[1]",
        "seven codes",
        "officers.rotas[0].weeks[2]",
        "unknown shift code \"X\"",
        "officers.rotas[1].weeks",
        "zero weeks",
        "officers.teams[0].contracted_hours",
        "gives 50.0 hours a week",
        "officers.teams[1].officers",
        "0 officers cannot fill rota \"long\"",
        "officers.teams[2].sector",
        "unknown sector \"B\"",
        "officers.teams[2].rota",
        "unknown rota \"weekly\"",
        "officers.teams[2].crew",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

/// Groups take the rota's lines in turn: three officers on a two-line rota (every day, then a
/// week of rest) are groups of 2 and 1; group 0 works line 0 in the first rota week (the week
/// of the run's start, a Monday here) and group 1 in the second.
#[test]
fn groups_take_the_rota_lines_in_turn() {
    let rota = r#"
[[officers.rotas]]
name = "two"
shifts = [{ code = "E", start = "07:00", length = "10h" }]
weeks = ["E E E E E E E", "- - - - - - -"]

[[officers.teams]]
sector = "A"
rota = "two"
officers = 3
contracted_hours = 35
"#;
    for (warm_up, on_line_0) in [("0s", 2.0), ("1w", 1.0)] {
        let text = hypercube("", rota, 1, 1, 0.001)
            .replace(
                "horizon = \"1w\"",
                &format!(
                    "start = \"2009-04-06\"\nhorizon = \"{}\"",
                    if warm_up == "0s" { "1w" } else { "2w" }
                ),
            )
            .replace("warm_up = \"1d\"", &format!("warm_up = \"{warm_up}\""));
        let out = experiment::run(&parse(&text), &RunOptions::default());
        let officers = overall(&out, "units", "all@", "mean_officers_on_duty").mean;
        assert!(
            (officers - on_line_0 * 70.0 / 168.0).abs() < 1e-9,
            "warm-up {warm_up}: {officers}"
        );
    }
}

/// Two ways of counting the same time agree in a scenario with every kind of duty, rotas and
/// shrinkage: units busy (utilisation) and units free (availability) add up to 1.
#[test]
fn busy_and_available_time_add_up_in_a_scenario_with_every_duty() {
    let sc = pledgesim::scenario::Scenario::load(&common::shipped("county-district.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = common::simulate(&sc);
    let busy = overall(&out, "units", "all@", "utilisation").mean;
    let free = overall(&out, "units", "all@", "availability").mean;
    assert!((busy + free - 1.0).abs() < 1e-9, "{busy} + {free}");
    assert!(overall(&out, "duties", "refreshment@", "interrupted").mean > 0.0);
    assert!(overall(&out, "duties", "custody@", "started").mean > 0.0);
    // Each sector's time by cause adds up to 1, and its available share is its availability.
    for sector in ["town", "west", "east"] {
        let causes = [
            "available",
            "travel",
            "on_scene",
            "paperwork",
            "briefing",
            "refreshment",
            "station",
            "partnership",
            "custody",
            "files",
        ];
        let share = |c: &str| {
            overall(
                &out,
                "units",
                &format!("{sector}/{c}@"),
                "share_of_duty_time",
            )
            .mean
        };
        let total: f64 = causes.iter().map(|c| share(c)).sum();
        assert!((total - 1.0).abs() < 1e-9, "{sector}: {total}");
        let availability = overall(&out, "units", &format!("{sector}@"), "availability").mean;
        assert!((share("available") - availability).abs() < 1e-12);
        assert!(share("custody") > 0.0, "{sector}");
    }
}

/// A workgroup's own caseload competes with the pledge's follow-up work. One investigator;
/// T7 tasks (24-hour deadline) at 0.6 an hour and the group's own cases (deadline 1 s, so
/// always first by deadline) at 0.8 an hour, each exponential with a 30-minute mean: a
/// two-class non-preemptive priority M/M/1 queue, the T7 tasks the second class. The T7 time
/// to done (wait + work) agrees with Cobham's formula. The formula leaves out a T7 task waiting
/// more than 24 hours (when a newer case would come after it); at this load the chance is below
/// 1e-9. Without the caseload, the same tasks are an M/M/1 queue alone, which the test tells
/// apart.
#[test]
fn a_workgroups_own_caseload_competes_with_follow_up_work() {
    let group = |background: &str| {
        format!(
            r#"
[[workgroups]]
name = "cid"
constant = 1
{background}

[[followup]]
target = "T7"
team = "cid"
per_week = 100.8
work = {{ kind = "exponential", mean = "30min" }}
"#
        )
    };
    let with = group(
        r#"background = { per_week = 134.4, work = { kind = "exponential", mean = "30min" }, deadline = "1s" }"#,
    );
    let sc = parse(&hypercube(
        "[roster.units.constant]\nA = 1\n",
        &with,
        30,
        20,
        10.0,
    ));
    let out = experiment::run(&sc, &RunOptions::default());
    let done = overall(&out, "T7", "all@", "mean_done_h");
    let h = 3600.0;
    let mu = 2.0 / h;
    let (_, w2) = priority_mmc_waits(1, 0.8 / h, 0.6 / h, mu);
    expect_agrees(
        "T7 hours to done behind the group's own cases",
        done.mean,
        (w2 + 1.0 / mu) / h,
        done.se(),
    );
    expect_rejects(
        "T7 hours to done with no caseload (M/M/1)",
        done.mean,
        (mmc_mean_wait(1, 0.6 / h, mu) + 1.0 / mu) / h,
        done.se(),
    );
    // The caseload is served but never measured as a target.
    assert!(overall(&out, "T7", "all@", "tasks").mean > 0.0);
}

/// The same bytes with one thread or three, in a scenario with rotas, shrinkage, every kind of
/// duty and the drive back (replications run in any order on any thread).
#[test]
fn officers_time_gives_the_same_bytes_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("out{threads}"));
        common::pledgesim()
            .args([
                "run",
                "--replications",
                "4",
                "--threads",
                threads,
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .arg(common::shipped("county-district.toml"))
            .assert()
            .success();
        outputs.push(
            [
                "summary.json",
                "replications.csv",
                "neighbourhood.csv",
                "hourly.csv",
            ]
            .map(|f| common::read(&out.join(f))),
        );
    }
    assert!(
        outputs[0] == outputs[1],
        "outputs differ with the thread count"
    );
}
