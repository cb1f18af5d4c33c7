//! The dispatchers' staffing search (`staff --dispatchers`): on a stationary M/M/c desk it
//! returns the Erlang C minimum; its roster, pasted back, is the dispatchers' roster with the
//! scenario's dispatch time, costs the hand sum of its shifts at the dispatchers' pay, and
//! keeps the standard; bad requests are refused at once with nothing written.

use crate::common;

use common::parse;
use common::queueing::{mmc_min_servers, mmc_wait_cdf};
use pledgesim::experiment::staff::{self, Aim, Desk, Request};
use pledgesim::experiment::{self, RunOptions};
use pledgesim::time::Duration;

/// Dispatch work offered, in Erlangs.
const ERLANGS: f64 = 1.2;

/// Poisson incidents (999 calls answered at once and created on answer, every one an I),
/// exponential dispatch times of 2 minutes, [`ERLANGS`] of dispatch work, plenty of units.
fn desk(horizon: &str, reps: u32, extra: &str) -> String {
    let lambda = ERLANGS / 120.0;
    let cpw = lambda * 7.0 * 86_400.0;
    format!(
        r#"
name = "desk"
[run]
horizon = "{horizon}"
warm_up = "2h"
replications = {reps}
seed = 21
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 50
[roster.dispatchers]
constant = 3
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
{extra}"#
    )
}

fn dispatch(within_s: u64, share: f64) -> Request {
    Request {
        targets: vec![(Aim::Dispatch(Duration(within_s * 1000)), share)],
        confidence: 0.8,
        rules: None,
    }
}

/// M/M/c: 1.2 Erlangs, 30 s. Erlang C gives 63.2% taken within 30 seconds with 2 dispatchers
/// and 91.0% with 3 (the first at 70%); the required share is set halfway (77.1%), and 24
/// weeks and 10 replications put every hour's share with 2 and with 3 at least 5 standard
/// errors (of the hour's share over replications, measured here) either side of it. The
/// search returns 3 in every hour: the Erlang C minimum, one above the offered load's 2.
#[test]
fn a_stationary_desk_gets_the_erlang_c_minimum() {
    let (mu, t) = (1.0 / 120.0, 30.0);
    let lambda = ERLANGS * mu;
    let c_star = mmc_min_servers(lambda, mu, t, 0.7);
    let (below, above) = (
        mmc_wait_cdf(c_star - 1, lambda, mu, t),
        mmc_wait_cdf(c_star, lambda, mu, t),
    );
    let share = (below + above) / 2.0;
    assert_eq!(c_star, 3, "{below} {above}");
    let sc = parse(&desk("24w", 10, ""));
    let req = dispatch(30, share);
    // The precondition, measured: every hour's share with c* - 1 and c* lies at least 5
    // standard errors from the required share, on the side Erlang C says.
    let mut counting = sc.clone();
    counting
        .response
        .as_mut()
        .and_then(|r| r.dispatchers.as_mut())
        .unwrap()
        .count_within = Some(Duration(30_000));
    for (c, side) in [(c_star - 1, -1.0), (c_star, 1.0)] {
        let flat = staff::hourly_roster_of(&counting, Desk::Dispatchers, &[c; 168]);
        let reps: Vec<_> = (0..sc.run.replications)
            .map(|r| experiment::run_replication(&flat, r))
            .collect();
        let worst = common::hours_ses_from(
            |h| {
                reps.iter()
                    .map(|r| {
                        let [n, w] = r.response.as_ref().unwrap().desk.as_ref().unwrap().by_hour[h];
                        w as f64 / n as f64
                    })
                    .collect()
            },
            share,
            side,
        );
        eprintln!("{c} dispatchers: every hour at least {worst:.1} SE from {share:.4}");
        assert!(
            worst >= 5.0,
            "{c} dispatchers: an hour's share is only {worst:.1} SE from {share}"
        );
    }
    let found = staff::search(&sc, &req, &RunOptions::default()).unwrap();
    assert!(found.unreachable.is_none(), "{:?}", found.unreachable);
    for h in 0..168 {
        assert_eq!(found.erlang_c[h], c_star, "hour {h}: Erlang C");
        assert_eq!(found.need[h], c_star, "hour {h}: the need");
        assert!(
            found.coverage[h] >= c_star,
            "hour {h}: the roster covers it"
        );
    }
    for a in found.achieved_need.iter().chain(&found.achieved_roster) {
        assert_eq!(a.aim, Aim::Dispatch(Duration(30_000)));
        assert!(a.reps_meeting >= 0.8, "{a:?}");
        // The simulated share agrees with Erlang C's for 3 (every hour has 3 or more on duty
        // in the roster: at least Erlang C's share).
        assert!(a.ci.1 >= above - 0.01, "{a:?} against {above}");
    }
    eprintln!(
        "dispatchers: Erlang C {c_star} ({below:.4} with one fewer, {above:.4}); required {share:.4}; {} simulations",
        found.evaluations
    );
}

/// The command: a roster on a grid of 8-hour shifts, written as [roster.dispatchers] with the
/// scenario's dispatch time; pasted back in place of the scenario's, it validates and is the
/// roster found; its cost is the hand sum of its shifts at the dispatchers' rate with the
/// unsocial-hours enhancement; staff.json names the desk; the report renders.
#[test]
fn the_command_writes_a_dispatchers_roster_ready_to_paste() {
    let pay = "[pay]\nroles.handler = { base = 14 }\nroles.response = { base = 20 }\nroles.dispatcher = { base = 15, unsocial = 0.2 }\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, desk("2w", 6, pay)).unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args([
            "staff",
            "--quiet",
            "--dispatchers",
            "1min=0.9",
            "--shift-grid",
            "1h",
            "--shift-lengths",
            "8h",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = common::stdout(&a);
    assert!(stdout.contains("the fewest dispatchers"), "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(summary["desk"], "dispatchers");
    assert_eq!(summary["unreachable"], serde_json::Value::Null);
    assert_eq!(summary["achieved_roster"][0]["target"], "dispatch");
    let roster = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    assert!(
        roster.contains(
            "[roster.dispatchers]\ndispatch_time = { kind = \"exponential\", mean = \"2min\" }"
        ),
        "{roster}"
    );
    // Pasted in place of the scenario's dispatchers.
    let own = "[roster.dispatchers]\nconstant = 3\ndispatch_time = { kind = \"exponential\", mean = \"120s\" }\n";
    let text = desk("2w", 6, pay);
    assert!(text.contains(own));
    let pasted = parse(&text.replace(own, &roster));
    let d = &pasted
        .response
        .as_ref()
        .unwrap()
        .dispatchers
        .as_ref()
        .unwrap()
        .roster;
    assert_eq!(d.constant, 0);
    assert!(!d.shifts.is_empty());
    // The hand sum: each shift's hours at £15, and 20% more for its hours from 20:00 to 06:00.
    let mut hand = 0.0;
    for s in &d.shifts {
        assert_eq!(s.length.to_string(), "8h");
        assert!(s.breaks.is_empty() && s.dedicated_999 == 0);
        let days = s.days.iter().filter(|d| **d).count() as f64;
        let start_min = s.start.0 / 60_000;
        let unsocial_min = (start_min..start_min + 480)
            .filter(|m| {
                let clock = m % 1440;
                !(6 * 60..20 * 60).contains(&clock)
            })
            .count() as f64;
        hand += f64::from(s.count) * days * (8.0 * 15.0 + unsocial_min / 60.0 * 15.0 * 0.2);
    }
    let cost = summary["shift_design"]["cost_per_week"].as_f64().unwrap();
    assert!(
        (cost - hand).abs() < 1e-6,
        "{cost} against the hand sum {hand}"
    );
    let hours: f64 = d.staffed_hours().iter().sum();
    let roster_hours = summary["staff_hours_per_week"]["roster"].as_f64().unwrap();
    assert!(
        (hours - roster_hours).abs() < 1e-9,
        "{hours} {roster_hours}"
    );
    common::report(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("the fewest dispatchers"));
    assert!(html.contains("Summary: the dispatchers the dispatch standard needs"));
}

/// Every bad request is refused at once, exit code 2, naming the option, and nothing written.
#[test]
fn bad_dispatcher_requests_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, desk("1w", 2, "")).unwrap();
    let none = dir.path().join("none.toml");
    std::fs::write(
        &none,
        "[run]\nhorizon = \"1w\"\nreplications = 2\n[demand.emergency]\ncalls_per_week = 1000\nhandling = { kind = \"exponential\", mean = \"4min\" }\n[roster.handlers]\nconstant = 5\n",
    )
    .unwrap();
    let cases: Vec<(&std::path::Path, Vec<&str>, &str)> = vec![
        (&file, vec!["--dispatchers", "1min"], "write DURATION=SHARE"),
        (
            &file,
            vec!["--dispatchers", "1min=1.2"],
            "above 0 and below 1",
        ),
        (&file, vec!["--dispatchers", "0s=0.9"], "must be above 0"),
        (&file, vec!["--dispatchers", "soon=0.9"], "the time"),
        (
            &file,
            vec!["--dispatchers", "1min=0.9", "--target", "T1=0.9"],
            "two searches",
        ),
        (
            &file,
            vec!["--dispatchers", "1min=0.9", "--frontier", "T1=0.8:0.9:0.05"],
            "--frontier",
        ),
        (
            &file,
            vec![
                "--dispatchers",
                "1min=0.9",
                "--shift-grid",
                "1h",
                "--shift-break",
                "30min@3h-5h",
            ],
            "breaks are not modelled",
        ),
        (&none, vec!["--dispatchers", "1min=0.9"], "no dispatchers"),
        (
            &file,
            vec![
                "--dispatchers",
                "1min=0.9",
                "--shift-grid",
                "1h",
                "--shift-starts",
                "08:00-09:00",
                "--shift-lengths",
                "4h",
            ],
            "need dispatchers",
        ),
    ];
    for (scenario, args, says) in cases {
        let out = dir.path().join("out");
        let a = common::pledgesim()
            .args(["staff", "--quiet"])
            .args(&args)
            .arg(scenario)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }
}
