//! `pledgesim optimise`: the search finds the optimum that trying every allocation finds, on
//! the same replications; its cost is the hand sum of the plan's shifts; an interrupted search
//! resumed gives the folder an uninterrupted one gives, byte for byte; bad requests are refused
//! all at once, with nothing written.

use crate::common;

use common::{parse, pledgesim, read, read_text, stderr, write};
use pledgesim::experiment::{self, RunOptions};
use serde_json::Value;
use std::path::Path;

/// Two sectors, each one ward, that lend each other nothing: A has two thirds of 840
/// emergencies a week, B a third; no travel, time on scene exponential with a mean of 40 min,
/// so each sector's units are an M/M/c queue. T3 within 10 minutes; 30 replications of two weeks. A's units are double
/// crewed, B's single (so a unit of A costs twice one of B); response officers paid £20 an
/// hour, the two handlers £10, with no enhancements.
fn two_sectors(a: u32, b: u32) -> String {
    two_sectors_with(a, b, "1e9", "")
}

/// [`two_sectors`] with units travelling at `speed` km/h and sector A's own table ending with
/// `a_extra` (its `base`).
fn two_sectors_with(a: u32, b: u32, speed: &str, a_extra: &str) -> String {
    format!(
        r#"
name = "two-sectors"
[run]
start = "2009-01-05"
horizon = "2w"
warm_up = "4h"
replications = 30
seed = 17
[targets.T3]
time = "10min"
[demand.emergency]
calls_per_week = 840
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = {speed}, S = {speed} }}, rural = {{ I = {speed}, S = {speed} }} }}
on_scene = {{ I = {{ kind = "exponential", mean = "40min" }}, S = {{ kind = "exponential", mean = "40min" }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
[[sectors]]
name = "A"
{a_extra}
[[sectors]]
name = "B"
[[wards]]
name = "WA"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
demand = {{ emergency = 2 }}
[[wards]]
name = "WB"
type = "urban"
area_km2 = 1
x = 50
y = 0
sector = "B"
[[roster.units.shifts]]
sector = "A"
start = "00:00"
length = "24h"
count = {a}
crew = 2
[[roster.units.shifts]]
sector = "B"
start = "00:00"
length = "24h"
count = {b}
[pay.roles]
handler = {{ base = 10.0 }}
response = {{ base = 20.0 }}
"#
    )
}

const REQUIRED: f64 = 0.925;
const CONFIDENCE: &str = "0.5";

/// Whether a run keeps T3 at [`REQUIRED`] with confidence 0.5, the way `optimise` decides it:
/// at least half the replications meet it, and the lower end of the 95% interval is at or
/// above it (the cautious estimate at 0.5). Returns (kept, mean, standard error, weekly cost).
fn kept(a: u32, b: u32) -> (bool, f64, f64, f64) {
    kept_text(&two_sectors(a, b))
}

fn kept_text(text: &str) -> (bool, f64, f64, f64) {
    kept_text_at(text, REQUIRED)
}

/// [`kept_text`] at another required share.
fn kept_text_at(text: &str, share: f64) -> (bool, f64, f64, f64) {
    let mut sc = parse(text);
    sc.targets
        .iter_mut()
        .find(|t| t.id == "T3")
        .expect("T3")
        .share = share;
    let out = experiment::run(
        &sc,
        &RunOptions {
            threads: Some(2),
            progress: false,
        },
    );
    let row = out
        .overall
        .iter()
        .find(|r| r.key.kpi == "T3" && pledgesim::measure::is_headline(&r.key))
        .expect("a T3 headline");
    let e = &row.estimate;
    let cost = out
        .overall
        .iter()
        .find(|r| {
            r.key.kpi == "staffing" && r.key.scope == "force" && r.key.statistic == "cost_per_week"
        })
        .expect("a weekly cost")
        .estimate
        .mean;
    let keeps = row.share_reps_meeting.unwrap() >= 0.5 && e.ci_low >= share;
    (keeps, e.mean, e.se(), cost)
}

fn search(dir: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    search_for(dir, out, REQUIRED, extra).assert()
}

/// The search of the two sectors' unit counts for T3 at `share`, its scenario in `dir`.
fn search_for(dir: &Path, out: &Path, share: f64, extra: &[&str]) -> assert_cmd::Command {
    let file = dir.join("two-sectors.toml");
    if !file.exists() {
        write(dir, "two-sectors.toml", two_sectors(4, 2));
    }
    let mut cmd = pledgesim();
    cmd.args(["optimise", "--quiet", "-j", "2", "--target"])
        .arg(format!("T3={share}"))
        .args(["--confidence", CONFIDENCE])
        .args([
            "--vary",
            "roster.units.shifts[0].count=3..6",
            "--vary",
            "roster.units.shifts[1].count=1..4",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg(file);
    cmd
}

/// The search's plan is the cheapest allocation that keeps T3 when every one of the 16 is
/// simulated on the same replications, on an instance where each allocation's T3 lies at
/// least 3 standard errors from the share required (so that which keep it is not a matter of
/// chance). Its cost is the hand sum of its shifts.
#[test]
fn the_search_finds_the_optimum_of_every_allocation() {
    let mut best: Option<(f64, u32, u32)> = None;
    for a in 3..=6 {
        for b in 1..=4 {
            let (keeps, mean, se, cost) = kept(a, b);
            assert!(
                (mean - REQUIRED).abs() >= 3.0 * se,
                "A {a}, B {b}: T3 {mean:.4} is within 3 SE ({se:.4}) of {REQUIRED}: choose another instance"
            );
            // The hand sum: two handlers at £10 and 2a + b officers at £20, every hour of the week.
            let hand = 168.0 * (2.0 * 10.0 + f64::from(2 * a + b) * 20.0);
            assert!(
                (cost - hand).abs() < 1e-6,
                "A {a}, B {b}: {cost} against {hand}"
            );
            if keeps && best.is_none_or(|(c, ..)| cost < c) {
                best = Some((cost, a, b));
            }
        }
    }
    let (cost, a, b) = best.expect("some allocation keeps T3");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    search(tmp.path(), &out, &[]).success();
    let summary: Value = serde_json::from_slice(&read(&out.join("optimise.json"))).unwrap();
    assert_eq!(summary["verdict"], Value::Null, "{summary:#}");
    let plan = &summary["plan_values"];
    assert_eq!(
        (
            plan["roster.units.shifts[0].count"].as_i64(),
            plan["roster.units.shifts[1].count"].as_i64()
        ),
        (Some(i64::from(a)), Some(i64::from(b))),
        "{summary:#}"
    );
    assert_eq!(summary["plan"]["cost_per_week"].as_f64(), Some(cost));
    // Fewer candidates than trying every allocation.
    let n = summary["simulations"].as_u64().unwrap();
    assert!(n < 16, "{n} simulations");
    // plan.toml is the scenario with the plan's counts: it validates and runs as written.
    let plan_file = tmp.path().join("plan.toml");
    std::fs::copy(out.join("plan.toml"), &plan_file).unwrap();
    let text = read_text(&plan_file);
    assert!(text.contains(&format!("count = {a}")), "{text}");
    pledgesim()
        .arg("validate")
        .arg(&plan_file)
        .assert()
        .success();
    // The report draws the search.
    pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&out)
        .assert()
        .success();
    let html = read_text(&out.join("report.html"));
    assert!(
        html.contains("The cheapest plan found keeps the targets"),
        "{html}"
    );
}

/// A sector's base chosen among candidate sites: at 600 km/h, sector A's own base, a free depot
/// 150 km from its ward, puts every unit 15 minutes away, so no count of units keeps T3; the
/// station in the ward costs £1,000 a week. The search moves A to the station and finds the
/// counts that trying every count and site finds, its cost the hand sum with the site's.
#[test]
fn the_search_chooses_a_base_among_sites() {
    let depot = "base = [150.0, 0.0]";
    let station = "base = [0.0, 0.0]";
    let mut best: Option<(f64, u32, u32, bool)> = None;
    for a in 3..=6 {
        for b in 1..=4 {
            for (site, at_station, site_cost) in [(depot, false, 0.0), (station, true, 1000.0)] {
                let (keeps, mean, se, cost) = kept_text(&two_sectors_with(a, b, "600", site));
                assert!(
                    (mean - REQUIRED).abs() >= 3.0 * se,
                    "A {a}, B {b}, station {at_station}: T3 {mean:.4} is within 3 SE ({se:.4}) of {REQUIRED}"
                );
                let cost = cost + site_cost;
                if keeps && best.is_none_or(|(c, ..)| cost < c) {
                    best = Some((cost, a, b, at_station));
                }
            }
        }
    }
    let (cost, a, b, at_station) = best.expect("some allocation keeps T3");
    assert!(at_station, "only the station can keep T3");
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "sites.toml",
        two_sectors_with(4, 2, "600", depot),
    );
    let sites = write(
        tmp.path(),
        "sites.csv",
        "sector,name,x,y,cost_per_week\nA,depot,150,0,0\nA,station,0,0,1000\n",
    );
    let out = tmp.path().join("out");
    let run = pledgesim()
        .args(["optimise", "-j", "2", "--target"])
        .arg(format!("T3={REQUIRED}"))
        .args(["--confidence", CONFIDENCE])
        .args([
            "--vary",
            "roster.units.shifts[0].count=3..6",
            "--vary",
            "roster.units.shifts[1].count=1..4",
            "--sites",
        ])
        .arg(&sites)
        .arg("--out")
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    let said = common::stdout(&run);
    assert!(said.contains("depot -> station"), "{said}");
    let summary: Value = serde_json::from_slice(&read(&out.join("optimise.json"))).unwrap();
    let plan = &summary["plan_values"];
    assert_eq!(
        (
            plan["roster.units.shifts[0].count"].as_i64(),
            plan["roster.units.shifts[1].count"].as_i64(),
            plan["sectors[0].base"].as_i64()
        ),
        (Some(i64::from(a)), Some(i64::from(b)), Some(1)),
        "{summary:#}"
    );
    assert_eq!(summary["plan"]["cost_per_week"].as_f64(), Some(cost));
    let text = read_text(&out.join("plan.toml"));
    assert!(text.contains("base = [0.0, 0.0]"), "{text}");
    // A bad sites file: every row's problem at once, with its line.
    let bad = write(
        tmp.path(),
        "bad.csv",
        "sector,name,x,y,cost_per_week\nZ,depot,150,0,0\nA,station,x,0,-5\nA,,1,1,\n",
    );
    let refused = pledgesim()
        .args(["optimise", "--quiet", "--sites"])
        .arg(&bad)
        .arg("--out")
        .arg(tmp.path().join("never"))
        .arg(&file)
        .assert()
        .code(2);
    let err = stderr(&refused);
    for want in [
        "\"Z\" is not a sector",
        "\"x\" is not a number",
        "\"-5\"",
        "needs a name",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(!tmp.path().join("never").exists());
}

/// A search killed after three candidates and resumed writes the folder the uninterrupted
/// search writes, byte for byte, without simulating the three again.
#[test]
fn a_search_resumed_after_a_kill_gives_the_same_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    search(tmp.path(), &whole, &[]).success();
    let cut = tmp.path().join("cut");
    let killed = search_for(tmp.path(), &cut, REQUIRED, &[])
        .env("PLEDGESIM_ABORT_AFTER_CANDIDATES", "3")
        .assert()
        .failure();
    drop(killed);
    let lines = read_text(&cut.join("candidates.jsonl")).lines().count();
    assert_eq!(lines, 3);
    // Without --resume the unfinished search is not thrown away.
    let refused = search(tmp.path(), &cut, &[]).code(2);
    assert!(
        stderr(&refused).contains("add --resume"),
        "{}",
        stderr(&refused)
    );
    // Resumed with other options: refused, naming what differs.
    let other = search_for(tmp.path(), &cut, 0.9, &["--resume"])
        .assert()
        .code(2);
    assert!(stderr(&other).contains("targets"), "{}", stderr(&other));
    let resumed = search(tmp.path(), &cut, &["--resume"]).success();
    drop(resumed);
    for f in [
        "manifest.json",
        "candidates.jsonl",
        "optimise.json",
        "plan.toml",
    ] {
        assert_eq!(
            read(&whole.join(f)),
            read(&cut.join(f)),
            "{f} differs after the resume"
        );
    }
}

/// Every bad request at once, exit 2, and no folder written.
#[test]
fn bad_requests_are_refused_at_once_with_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "two-sectors.toml", two_sectors(4, 2));
    let out = tmp.path().join("out");
    let a = pledgesim()
        .args([
            "optimise",
            "--quiet",
            "--target",
            "T11=0.9",
            "--target",
            "T3=1.5",
            "--confidence",
            "0",
            "--vary",
            "roster.units.shift[0].count=1..4",
            "--vary",
            "roster.units.shifts[1].count=4..1",
            "--vary",
            "name=1..2",
            "-r",
            "1",
            "--frontier",
            "T3=0.9:0.8:0.1",
            "--out",
        ])
        .arg(&out)
        .arg(&file)
        .assert()
        .code(2);
    let err = stderr(&a);
    for want in [
        "T11",
        "T3=1.5",
        "--confidence",
        "no field `shift`",
        "4..1",
        "name is",
        "at least 2 replications",
        "FROM not above TO",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(!out.exists());
    // A target the scenario does not model: found at the first simulation, and nothing is left.
    let small = common::shipped("small.toml");
    let b = pledgesim()
        .args([
            "optimise",
            "--quiet",
            "-r",
            "2",
            "--target",
            "T3=0.9",
            "--vary",
            "roster.handlers.constant=10..20",
            "--out",
        ])
        .arg(&out)
        .arg(&small)
        .assert()
        .code(2);
    assert!(
        stderr(&b).contains("T3: the scenario does not model it"),
        "{}",
        stderr(&b)
    );
    assert!(!out.exists());
    // A JSON scenario: its plan could not be written as the scenario's own file.
    let c = pledgesim()
        .args(["optimise", "--quiet", "--out"])
        .arg(&out)
        .arg(common::shipped("small.json"))
        .assert()
        .code(2);
    assert!(stderr(&c).contains("TOML"), "{}", stderr(&c));
    // A cost curve of a target not kept.
    let d = search_for(
        tmp.path(),
        &out,
        REQUIRED,
        &["--frontier", "T4=0.8:0.9:0.05"],
    )
    .assert()
    .code(2);
    assert!(
        stderr(&d).contains("--frontier") && stderr(&d).contains("add --target T4=SHARE"),
        "{}",
        stderr(&d)
    );
    assert!(!out.exists());
}

/// The shares of T3 the cost curve test sweeps (`--frontier T3=0.77:0.995:0.075`): one in each
/// of four gaps between the 16 allocations' figures, the last above them all.
const CURVE: [f64; 4] = [0.77, 0.845, 0.92, 0.995];

/// `--frontier`: each point of the curve is the cheapest of the 16 allocations that keeps its
/// share when every one is simulated on the same replications, on an instance where every
/// allocation's T3 lies at least 3 standard errors from every share swept; the curve never
/// falls; no candidate is simulated twice; frontier.csv and optimise.json hold the same curve,
/// and the report draws it. Killed mid-curve and resumed, the folder is the same byte for byte,
/// and a resume with another curve is refused.
#[test]
fn the_cost_curve_is_the_cheapest_allocation_at_every_share() {
    let mut all = Vec::new();
    for a in 3..=6u32 {
        for b in 1..=4u32 {
            let (_, mean, se, cost) = kept(a, b);
            for share in CURVE {
                assert!(
                    (mean - share).abs() >= 3.0 * se,
                    "A {a}, B {b}: T3 {mean:.4} is within 3 SE ({se:.4}) of {share}: choose another instance"
                );
            }
            let keeps: Vec<bool> = CURVE
                .iter()
                .map(|&share| kept_text_at(&two_sectors(a, b), share).0)
                .collect();
            all.push((keeps, cost));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let curve = ["--frontier", "T3=0.77:0.995:0.075"];
    search(tmp.path(), &out, &curve).success();
    let summary: Value = serde_json::from_slice(&read(&out.join("optimise.json"))).unwrap();
    let points = summary["frontier"].as_array().unwrap();
    assert_eq!(points.len(), CURVE.len());
    let lines: Vec<Value> = read_text(&out.join("candidates.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut values: Vec<&Value> = lines.iter().map(|l| &l["values"]).collect();
    values.sort_by_key(|v| v.to_string());
    values.dedup();
    assert_eq!(values.len(), lines.len(), "a candidate simulated twice");
    assert_eq!(summary["simulations"].as_u64(), Some(lines.len() as u64));
    let mut last = 0.0;
    for (k, (p, share)) in points.iter().zip(CURVE).enumerate() {
        assert_eq!(p["required_share"].as_f64(), Some(share));
        let brute = all
            .iter()
            .filter(|(keeps, _)| keeps[k])
            .map(|&(_, cost)| cost)
            .fold(f64::INFINITY, f64::min);
        let cost = p["cost_per_week"].as_f64().unwrap_or(f64::INFINITY);
        assert_eq!(cost, brute, "share {share}: {p:#}");
        assert!(cost >= last, "the curve falls at {share}");
        last = cost;
        let file = out.join(format!("plan-T3-{share}.toml"));
        assert_eq!(file.is_file(), cost.is_finite(), "{}", file.display());
        if cost.is_finite() {
            // The point's plan as a scenario file: it validates, with the point's values.
            let text = read_text(&file);
            let a = p["plan_values"]["roster.units.shifts[0].count"]
                .as_i64()
                .unwrap();
            assert!(text.contains(&format!("count = {a}")), "{text}");
            assert!(
                text.contains(&format!("required {:.1}%", share * 100.0)),
                "{text}"
            );
            pledgesim().arg("validate").arg(&file).assert().success();
            let line = &lines[p["candidate"].as_u64().unwrap() as usize];
            assert_eq!(line["cost_per_week"].as_f64(), Some(cost));
            assert!(p["achieved_mean"].as_f64().unwrap() > share);
            assert_eq!(p["verdict"], Value::Null);
        } else {
            assert!(
                p["verdict"].as_str().unwrap().contains("top of its range"),
                "{p:#}"
            );
        }
    }
    assert!(last.is_infinite(), "no allocation keeps {}", CURVE[3]);
    // The plan is the one the search without a curve finds, which simulates fewer.
    let alone = tmp.path().join("alone");
    search(tmp.path(), &alone, &[]).success();
    let plain: Value = serde_json::from_slice(&read(&alone.join("optimise.json"))).unwrap();
    assert_eq!(plain["plan"], summary["plan"]);
    let plan_only = plain["simulations"].as_u64().unwrap();
    let csv = read_text(&out.join("frontier.csv"));
    assert!(
        csv.starts_with("target,required_share,cost_per_week,marginal_cost_per_point,candidate,")
            && csv
                .lines()
                .next()
                .unwrap()
                .ends_with(",roster.units.shifts[0].count,roster.units.shifts[1].count"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + CURVE.len());
    let manifest = read_text(&out.join("manifest.json"));
    assert!(manifest.contains("\"frontier.csv\""), "{manifest}");
    pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&out)
        .assert()
        .success();
    let html = read_text(&out.join("report.html"));
    assert!(html.contains("The cost curve of T3"), "{html}");
    assert!(out.join("charts/optimise-frontier.svg").is_file());
    // Killed after the plan's search and part of the curve's, then resumed: the same folder.
    let cut = tmp.path().join("cut");
    let at = lines.len() as u64 - 1;
    assert!(at > plan_only, "the kill falls in the curve's searches");
    let killed = search_for(tmp.path(), &cut, REQUIRED, &curve)
        .env("PLEDGESIM_ABORT_AFTER_CANDIDATES", at.to_string())
        .assert()
        .failure();
    drop(killed);
    let other = search_for(
        tmp.path(),
        &cut,
        REQUIRED,
        &["--frontier", "T3=0.85:0.95:0.05", "--resume"],
    )
    .assert()
    .code(2);
    assert!(stderr(&other).contains("--frontier"), "{}", stderr(&other));
    let resumed = search(tmp.path(), &cut, &[curve[0], curve[1], "--resume"]).success();
    drop(resumed);
    for f in [
        "manifest.json",
        "candidates.jsonl",
        "optimise.json",
        "plan.toml",
        "frontier.csv",
        "plan-T3-0.77.toml",
        "plan-T3-0.92.toml",
    ] {
        let (a, b) = (read_text(&out.join(f)), read_text(&cut.join(f)));
        let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        assert!(
            a == b,
            "{f} differs after the resume, first at line {first:?}: {:?} against {:?}",
            first.map(|i| a.lines().nth(i)),
            first.map(|i| b.lines().nth(i))
        );
    }
}

/// A candidate's figures held to another share ([`pledgesim::experiment::optimise::Candidate::at`])
/// are exactly those of a run with that share, on the same seeds: nothing need be simulated
/// again for a point of the cost curve.
#[test]
fn a_candidate_held_to_another_share_is_the_run_at_that_share() {
    use pledgesim::experiment::optimise::{Goal, candidate};
    let run_at = |share: f64| {
        let mut sc = parse(&two_sectors(4, 2));
        sc.targets.iter_mut().find(|t| t.id == "T3").unwrap().share = share;
        let out = experiment::run(
            &sc,
            &RunOptions {
                threads: Some(2),
                progress: false,
            },
        );
        let goals = vec![Goal {
            id: "T3".into(),
            share,
        }];
        candidate(&[4, 2], &out, &goals, 0.5)
    };
    let first = run_at(0.9);
    let mean = first.figures[0].mean;
    // Shares about the mean, so that the replications meeting differ from share to share.
    for share in [0.9, mean - 0.01, mean, mean + 0.005, 0.99] {
        let goals = vec![Goal {
            id: "T3".into(),
            share,
        }];
        let again = run_at(share);
        assert_eq!(first.at(&goals, 0.5), again, "share {share}");
    }
    let m: Vec<f64> = [mean - 0.01, mean + 0.005]
        .iter()
        .map(|&s| first.figures[0].at(s).reps_meeting)
        .collect();
    assert!(m[0] > m[1] && m[0] < 1.0 + 1e-12 && m[1] > 0.0, "{m:?}");
}

/// The load start on the two sectors with one unit each, far too few: each sector's offered
/// load is its emergencies an hour times the 40 minutes a dispatch holds a unit (no travel,
/// no paperwork, one unit an incident), 560 / 168 x 2/3 = 2.22 units in A and 1.11 in B at
/// every hour, so the bound is the load rounded up: 3 and 2 units. The recorded load is that
/// hand figure, read at the busiest of 168 noisy hours (so above it, and within a third).
/// With no drain after the horizon, every measured dispatch's work falls in the measured
/// window, so the hours a dispatch holds a unit are the 40 minutes on scene.
#[test]
fn the_load_start_is_the_offered_load_rounded_up() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        two_sectors(1, 1).replace("warm_up = \"4h\"", "warm_up = \"4h\"\ndrain_limit = \"0s\"");
    assert!(text.contains("drain_limit"));
    write(tmp.path(), "two-sectors.toml", text);
    let out = tmp.path().join("out");
    let wide = [
        "--vary",
        "roster.units.shifts[0].count=1..6",
        "--vary",
        "roster.units.shifts[1].count=1..4",
        "--max-simulations",
        "1",
    ];
    let mut cmd = pledgesim();
    cmd.args(["optimise", "--quiet", "-j", "2", "--target", "T3=0.925"])
        .args(wide)
        .arg("--out")
        .arg(&out)
        .arg(tmp.path().join("two-sectors.toml"));
    cmd.assert().success();
    let summary: Value = serde_json::from_slice(&read(&out.join("optimise.json"))).unwrap();
    let start = &summary["start_from"];
    assert_eq!(start["from"], "load", "{start:#}");
    let load = &start["load"];
    let w = load["hours_per_dispatch"].as_f64().unwrap();
    assert!((w - 40.0 / 60.0).abs() < 0.02, "{w} hours a dispatch");
    for (s, per_week, units) in [(0, 560.0, 1.0), (1, 280.0, 1.0)] {
        let hand: f64 = per_week / 168.0 * 40.0 / 60.0;
        let x = &load["sectors"][s];
        let peak = x["load"].as_f64().unwrap();
        assert!(
            peak >= hand && peak < hand * 1.35,
            "sector {s}: {peak} against {hand}"
        );
        assert_eq!(x["units_scenario"].as_f64(), Some(units), "{x:#}");
        let bound = hand.ceil() as i64;
        assert_eq!(load["bounds"][s].as_i64(), Some(bound), "{load:#}");
        assert_eq!(start["values"][s].as_i64(), Some(bound), "{start:#}");
        assert_eq!(x["units_start"].as_f64(), Some(bound as f64), "{x:#}");
    }
    let manifest: Value = serde_json::from_slice(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(&manifest["start_from"], start);
}

/// From one unit in each sector, the search started at the load bound finds the plan the
/// search from the scenario's values finds, with fewer simulations; resumed after a kill, it
/// gives the same folder.
#[test]
fn the_load_start_reaches_the_same_plan_with_fewer_simulations() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "two-sectors.toml", two_sectors(1, 1));
    let wide = [
        "--vary",
        "roster.units.shifts[0].count=1..6",
        "--vary",
        "roster.units.shifts[1].count=1..4",
    ];
    let run = |from: &str, out: &Path| {
        let mut cmd = pledgesim();
        cmd.args(["optimise", "--quiet", "-j", "2", "--target"])
            .arg(format!("T3={REQUIRED}"))
            .args(["--confidence", CONFIDENCE, "--start", from])
            .args(wide)
            .arg("--out")
            .arg(out)
            .arg(tmp.path().join("two-sectors.toml"));
        cmd
    };
    let mut found = Vec::new();
    for from in ["scenario", "load"] {
        let out = tmp.path().join(from);
        run(from, &out).assert().success();
        let summary: Value = serde_json::from_slice(&read(&out.join("optimise.json"))).unwrap();
        assert_eq!(summary["verdict"], Value::Null, "{summary:#}");
        found.push((
            summary["plan_values"].clone(),
            summary["simulations"].as_u64().unwrap(),
        ));
    }
    assert_eq!(found[0].0, found[1].0, "{found:?}");
    assert!(found[1].1 < found[0].1, "{found:?}");
    // Killed after its second candidate (the load start's) and resumed: the same folder.
    let killed = tmp.path().join("killed");
    run("load", &killed)
        .env("PLEDGESIM_ABORT_AFTER_CANDIDATES", "2")
        .assert()
        .failure();
    run("load", &killed).arg("--resume").assert().success();
    for f in [
        "manifest.json",
        "candidates.jsonl",
        "optimise.json",
        "plan.toml",
    ] {
        assert_eq!(
            read(&killed.join(f)),
            read(&tmp.path().join("load").join(f)),
            "{f}"
        );
    }
    // Resumed with the other start: refused.
    let other = run("scenario", &killed).arg("--resume").assert().code(2);
    assert!(stderr(&other).contains("--start"), "{}", stderr(&other));
}

/// Units on duty by hour of the week, against the hand conversion: a team of 12 officers on
/// a two-week rota (line 1 early shifts 08:00-16:00 Monday to Friday, line 2 Saturday and
/// Sunday), double crewed, a fifth of shifts lost to shrinkage: each line is worked by a group
/// of 6, each present with probability 0.8, crewing ceil(P / 2) units for P present (about
/// 12 / 2 x 0.8 / 2 = 2.4, and 2.64 with the odd ones out) in every hour a line covers;
/// sector A's constant unit adds one at every hour.
#[test]
fn units_on_duty_follow_the_rota_crew_and_shrinkage() {
    let text = two_sectors(1, 1).replace(
        "[[roster.units.shifts]]\nsector = \"A\"",
        "[roster.units.constant]\nA = 1\n\n[[roster.units.shifts]]\nsector = \"A\"",
    ) + r#"
[[officers.rotas]]
name = "two"
shifts = [{ code = "E", start = "08:00", length = "8h" }]
weeks = ["E E E E E - -", "- - - - - E E"]

[[officers.teams]]
sector = "B"
rota = "two"
officers = 12
crew = 2
contracted_hours = 28

[[officers.shrinkage]]
roles = ["response"]
leave = 0.1
sickness = 0.05
training = 0.05
"#;
    let sc = parse(&text);
    let u = pledgesim::experiment::optimise::load::on_duty(&sc);
    let kept = 1.0 - 0.2;
    // A: its shift of one unit, less shrinkage, and the constant unit.
    for h in [0, 10, 100] {
        assert!((u[0][h] - (1.0 + kept)).abs() < 1e-9, "A {h}: {}", u[0][h]);
    }
    // B: its shift of one unit, less shrinkage, and the team's 2.4 units 08:00-16:00 every day.
    let choose = |n: u32, k: u32| (0..k).fold(1.0, |c, i| c * f64::from(n - i) / f64::from(i + 1));
    let team: f64 = (0..=6u32)
        .map(|k| {
            choose(6, k)
                * kept.powi(k as i32)
                * (1.0 - kept).powi(6 - k as i32)
                * f64::from(k.div_ceil(2))
        })
        .sum();
    assert!(team > 2.4 && team < 2.7, "{team}");
    for day in 0..7 {
        for hour in 0..24 {
            let h = day * 24 + hour;
            let want = kept + if (8..16).contains(&hour) { team } else { 0.0 };
            assert!(
                (u[1][h] - want).abs() < 1e-9,
                "B {h}: {} against {want}",
                u[1][h]
            );
        }
    }
}
