//! Shift design (`staff --shift-grid`, and the shift-cover programme behind every roster): the
//! integer programme is optimal on small instances checked by brute force and never costs more
//! than the greedy cover it replaced; a plan's cost is the hand sum of its shifts and
//! enhancements; a designed roster keeps its rules and dedicated 999 handlers, validates as it
//! stands and reproduces the figures reported for it; bad rules are all refused at once.

use crate::common;

use common::parse;
use pledgesim::experiment::staff::design::{self, Rules, SLOTS, Variant};
use pledgesim::experiment::staff::roster_cost;
use pledgesim::scenario::ChannelKind;
use pledgesim::scenario::pay::{Pay, ROLE_HANDLER};
use pledgesim::time::HOUR;

/// A small deterministic generator for test instances (not the model's random numbers).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn shift(day: usize, start_h: u64, len_h: u64) -> Variant {
    Variant {
        day,
        start: start_h * HOUR,
        length: len_h * HOUR,
        brk: None,
    }
}

/// The cheapest cover by enumerating every count from 0 to the largest need (enough: a plan
/// with more handlers on a shift than the largest need can drop one and still cover it).
fn brute_force(need: &[u32], variants: &[Variant], costs: &[f64]) -> f64 {
    let top = *need.iter().max().unwrap();
    let slots: Vec<Vec<usize>> = variants.iter().map(Variant::slots).collect();
    let want = design::slot_need(need);
    let mut x = vec![0u32; variants.len()];
    let mut best = f64::INFINITY;
    loop {
        let mut cov = vec![0u32; SLOTS];
        for (k, s) in slots.iter().enumerate() {
            for &t in s {
                cov[t] += x[k];
            }
        }
        if (0..SLOTS).all(|t| cov[t] >= want[t]) {
            let c: f64 = x.iter().zip(costs).map(|(&n, c)| f64::from(n) * c).sum();
            best = best.min(c);
        }
        // Next count vector, as a number in base top + 1.
        let mut k = 0;
        loop {
            if k == x.len() {
                return best;
            }
            if x[k] < top {
                x[k] += 1;
                break;
            }
            x[k] = 0;
            k += 1;
        }
    }
}

/// The shifts of the brute-force instances: seven overlapping shifts of 2 to 6 hours on Monday
/// from 06:00.
fn small_shifts() -> Vec<Variant> {
    vec![
        shift(0, 6, 2),
        shift(0, 8, 2),
        shift(0, 10, 2),
        shift(0, 12, 2),
        shift(0, 6, 4),
        shift(0, 10, 4),
        shift(0, 7, 6),
    ]
}

/// 40 random instances on Monday 06:00-14:00 for `variants`: needs of 0-2 an hour (at least one
/// hour above 0), costs of 1-2 a shift-hour.
fn small_instances(variants: &[Variant]) -> Vec<(Vec<u32>, Vec<f64>)> {
    let mut rng = Lcg(2026);
    (0..40)
        .map(|_| {
            let mut need = vec![0u32; 168];
            for n in &mut need[6..14] {
                *n = (rng.next() * 3.0) as u32;
            }
            if need.iter().all(|&n| n == 0) {
                need[9] = 1;
            }
            let costs: Vec<f64> = variants
                .iter()
                .map(|v| (v.length / HOUR) as f64 * (1.0 + rng.next()))
                .collect();
            (need, costs)
        })
        .collect()
}

/// 40 random instances on Monday 06:00-14:00 (needs 0-2 an hour, seven overlapping shifts of
/// 2 to 6 hours, costs of 1-2 a shift-hour): the programme's cost equals brute force's, it is
/// proven optimal, never dearer than the greedy cover, and on some instances cheaper.
#[test]
fn the_programme_is_optimal_by_brute_force_and_never_dearer_than_greedy() {
    let variants = small_shifts();
    let mut cheaper = 0;
    for (instance, (need, costs)) in small_instances(&variants).into_iter().enumerate() {
        let plan = design::solve(&need, &variants, &costs).unwrap();
        let exact = brute_force(&need, &variants, &costs);
        assert!(
            (plan.cost - exact).abs() < 1e-9,
            "instance {instance}: {} against brute force's {exact}",
            plan.cost
        );
        assert!(plan.proven, "instance {instance}");
        assert!(plan.cost <= plan.greedy_cost + 1e-9, "instance {instance}");
        assert!((plan.lower_bound - plan.cost).abs() < 1e-9);
        let cover = design::hourly_cover(&plan.chosen);
        assert!((0..168).all(|h| cover[h] >= need[h]), "instance {instance}");
        if plan.cost < plan.greedy_cost - 1e-9 {
            cheaper += 1;
        }
    }
    assert!(
        cheaper > 0,
        "the greedy cover was optimal on every instance"
    );
}

/// A week on a 30-minute grid, 8- and 10-hour shifts with a 30-minute break 3 to 5 hours in,
/// paid with unsocial-hours and weekend enhancements, against a daily shape (4 at night, 12 by
/// day, 16 in the evening, more at weekends): the plan covers every slot, costs no more than
/// the greedy cover, and its lower bound is below its cost.
#[test]
fn a_week_on_a_grid_is_covered_at_no_more_than_the_greedy_cost() {
    let rules = Rules {
        grid: 30 * 60_000,
        windows: Vec::new(),
        lengths: vec![8 * HOUR, 10 * HOUR],
        brk: Some(design::BreakRule {
            length: 30 * 60_000,
            earliest: 3 * HOUR,
            latest: 5 * HOUR,
        }),
    };
    let variants = rules.variants();
    assert_eq!(variants.len(), 7 * 48 * 2 * 5);
    let pay = pay(20.0, 0.3, 0.5);
    let costs: Vec<f64> = variants
        .iter()
        .map(|v| pledgesim::experiment::staff::shift_cost(&pay, ROLE_HANDLER, v))
        .collect();
    let need: Vec<u32> = (0..168)
        .map(|h| {
            let base = match h % 24 {
                0..=6 => 4,
                7..=16 => 12,
                _ => 16,
            };
            base + if h >= 120 { 2 } else { 0 }
        })
        .collect();
    let plan = design::solve(&need, &variants, &costs).unwrap();
    let cover = design::hourly_cover(&plan.chosen);
    assert!((0..168).all(|h| cover[h] >= need[h]));
    assert!(
        plan.cost <= plan.greedy_cost + 1e-9,
        "{} > {}",
        plan.cost,
        plan.greedy_cost
    );
    assert!(plan.lower_bound <= plan.cost + 1e-9);
    assert!(
        plan.lower_bound > 0.9 * plan.cost,
        "bound {} cost {}",
        plan.lower_bound,
        plan.cost
    );
    // Every chosen shift keeps the rules: its break on the grid, 3h to 5h in.
    for (v, n) in &plan.chosen {
        assert!(*n > 0);
        let (after, len) = v.brk.unwrap();
        assert!(after % rules.grid == 0 && (3 * HOUR..=5 * HOUR).contains(&after));
        assert_eq!(len, 30 * 60_000);
        assert!(rules.lengths.contains(&v.length) && v.start % rules.grid == 0);
    }
}

/// The instances of the brute-force test above, started from the greedy cover with no branch
/// and bound on the whole programme: without the local searches the plan is the greedy cover,
/// dearer than brute force's on some instances; with them every plan is the cheapest, and the
/// bound stays below it.
#[test]
fn the_local_searches_find_the_optimum_from_the_greedy_cover() {
    let variants = small_shifts();
    let plain = design::Limits {
        dive: false,
        nodes: 0,
        improve: false,
    };
    let searched = design::Limits {
        improve: true,
        ..plain
    };
    let mut greedy_short = 0;
    for (instance, (need, costs)) in small_instances(&variants).into_iter().enumerate() {
        let exact = brute_force(&need, &variants, &costs);
        let start = design::solve_within(&need, &variants, &costs, plain).unwrap();
        assert!(
            (start.cost - start.greedy_cost).abs() < 1e-9,
            "instance {instance}"
        );
        let plan = design::solve_within(&need, &variants, &costs, searched).unwrap();
        assert!(
            (plan.cost - exact).abs() < 1e-9,
            "instance {instance}: {} against brute force's {exact}",
            plan.cost
        );
        let cover = design::hourly_cover(&plan.chosen);
        assert!((0..168).all(|h| cover[h] >= need[h]), "instance {instance}");
        assert!(plan.lower_bound <= exact + 1e-9, "instance {instance}");
        if start.cost > exact + 1e-9 {
            greedy_short += 1;
        }
    }
    assert!(
        greedy_short > 0,
        "the greedy cover was optimal on every instance"
    );
}

/// The hourly needs county-district's shift-grid search reached (`staff --target T1=0.9
/// --shift-grid 30min --shift-lengths 8h,10h --shift-break 30min@3h-5h`) from Erlang A (507
/// staff-hours) and, before, from Erlang C (521; at least as many in every hour): the lower
/// need's roster costs no more than the higher one's, each is within 3% of its lower bound
/// and a fifth cheaper than the greedy cover. (Before the local searches the lower need's
/// roster cost more: branch and bound stopped at its node limit far from the bound.)
#[test]
fn county_district_a_lower_need_never_costs_more() {
    let from_erlang_a: Vec<u32> = [
        3, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2,
        2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4,
        4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4,
        3, 3, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2,
        2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 3, 3, 3, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2,
        2, 2, 3, 3, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2,
    ]
    .to_vec();
    let from_erlang_c: Vec<u32> = [
        3, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2,
        2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4,
        4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4,
        4, 3, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2,
        2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2,
        2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2,
    ]
    .to_vec();
    assert_eq!(from_erlang_a.iter().sum::<u32>(), 507);
    assert_eq!(from_erlang_c.iter().sum::<u32>(), 521);
    assert!((0..168).all(|h| from_erlang_a[h] <= from_erlang_c[h]));
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/county-district.toml");
    let sc = pledgesim::scenario::Scenario::load(&path).unwrap();
    let rules = design::RulesText {
        grid: Some("30min".into()),
        starts: Vec::new(),
        lengths: vec!["8h".into(), "10h".into()],
        brk: Some("30min@3h-5h".into()),
    }
    .parse()
    .unwrap()
    .unwrap();
    let pay = sc.pay.clone().unwrap();
    let variants = rules.variants();
    let costs: Vec<f64> = variants
        .iter()
        .map(|v| pledgesim::experiment::staff::shift_cost(&pay, ROLE_HANDLER, v))
        .collect();
    let low = design::solve(&from_erlang_a, &variants, &costs).unwrap();
    let high = design::solve(&from_erlang_c, &variants, &costs).unwrap();
    assert!(
        low.cost <= high.cost + 1e-9,
        "507 staff-hours cost {} against 521's {}",
        low.cost,
        high.cost
    );
    for (plan, need) in [(&low, &from_erlang_a), (&high, &from_erlang_c)] {
        let cover = design::hourly_cover(&plan.chosen);
        assert!((0..168).all(|h| cover[h] >= need[h]));
        assert!(plan.lower_bound <= plan.cost + 1e-9);
        assert!(
            plan.cost <= 1.03 * plan.lower_bound,
            "cost {} bound {}",
            plan.cost,
            plan.lower_bound
        );
        assert!(
            plan.cost <= 0.8 * plan.greedy_cost,
            "cost {} greedy {}",
            plan.cost,
            plan.greedy_cost
        );
    }
}

fn pay(base: f64, unsocial: f64, weekend: f64) -> Pay {
    let sc = parse(&format!(
        "[run]\nhorizon = \"1w\"\n[demand.emergency]\ncalls_per_week = 100\nhandling = {{ kind = \"exponential\", mean = \"4min\" }}\n[roster.handlers]\nconstant = 1\n[pay.roles.handler]\nbase = {base}\nunsocial = {unsocial}\nweekend = {weekend}\n"
    ));
    sc.pay.expect("pay")
}

/// The cost of a plan is the hand sum of its shifts and enhancements: at £20 an hour, +30%
/// from 20:00 to 06:00 and +50% at weekends, two handlers on Saturday 18:00 for 8 hours cost
/// 2 x 20 x (2 x 1.5 + 6 x 1.8) = £552 (18:00-20:00 weekend; 20:00-02:00 weekend and
/// unsocial), and one on Monday 06:00 for 8 hours 20 x 8 = £160.
#[test]
fn the_cost_of_a_plan_is_the_hand_sum_of_its_shifts() {
    let pay = pay(20.0, 0.3, 0.5);
    let sat = shift(5, 18, 8);
    assert!(
        (pledgesim::experiment::staff::shift_cost(&pay, ROLE_HANDLER, &sat) - 276.0).abs() < 1e-9
    );
    let text = "[[roster.handlers.shifts]]\nstart = \"18:00\"\nlength = \"8h\"\ndays = [\"sat\"]\ncount = 2\n[[roster.handlers.shifts]]\nstart = \"06:00\"\nlength = \"8h\"\ndays = [\"mon\"]\ncount = 1\n";
    let sc = parse(&format!(
        "[run]\nhorizon = \"1w\"\n[demand.emergency]\ncalls_per_week = 100\nhandling = {{ kind = \"exponential\", mean = \"4min\" }}\n{text}"
    ));
    let cost = roster_cost(&pay, ROLE_HANDLER, 0, &sc.handlers.shifts);
    assert!((cost - 712.0).abs() < 1e-9, "{cost}");
    // Without pay rates, the cost is the staff-hours: 24.
    assert!(
        (roster_cost(&Pay::unpaid(), ROLE_HANDLER, 0, &sc.handlers.shifts) - 24.0).abs() < 1e-9
    );
    // The programme prices its shifts the same way: covering Saturday 18:00-02:00 with two.
    let mut need = vec![0u32; 168];
    for n in &mut need[5 * 24 + 18..6 * 24 + 2] {
        *n = 2;
    }
    let plan = design::solve(&need, &[sat, shift(5, 16, 10)], &[276.0, 400.0]).unwrap();
    assert_eq!(plan.chosen, vec![(sat, 2)]);
    assert!((plan.cost - 552.0).abs() < 1e-9);
}

const BASE: &str = r#"
name = "grid"
[run]
horizon = "1w"
warm_up = "2h"
replications = 4
seed = 11
[demand.emergency]
calls_per_week = 12000
handling = { kind = "exponential", mean = "4min" }
[demand.non_emergency]
calls_per_week = 3000
handling = { kind = "exponential", mean = "6min" }
[pay.roles.handler]
base = 18.5
unsocial = 0.2
weekend = 0.1
"#;

/// The scenario's own handlers: three 8-hour shifts a day, one dedicated 999 handler in each.
const OWN: &str = "[[roster.handlers.shifts]]\nstart = \"06:00\"\nlength = \"8h\"\ncount = 5\ndedicated_999 = 1\n[[roster.handlers.shifts]]\nstart = \"14:00\"\nlength = \"8h\"\ncount = 5\ndedicated_999 = 1\n[[roster.handlers.shifts]]\nstart = \"22:00\"\nlength = \"8h\"\ncount = 3\ndedicated_999 = 1\n";

/// `staff --shift-grid 1h --shift-lengths 8h,10h --shift-break 30min@3h-5h --shift-starts
/// 05:00-23:00`: every shift of roster.toml keeps the rules; the roster puts at least the
/// hourly need on duty and, in every slot, a dedicated 999 handler as the scenario did;
/// pasted back it validates as it stands and gives the figures reported for it; its cost is
/// the hand sum over its shifts, no more than the greedy cover's and at least the bound.
#[test]
fn a_designed_roster_keeps_its_rules_and_reproduces_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grid.toml");
    std::fs::write(&file, format!("{BASE}{OWN}")).unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args([
            "staff",
            "--quiet",
            "--target",
            "T1=0.8",
            "--shift-grid",
            "1h",
            "--shift-lengths",
            "8h,10h",
            "--shift-break",
            "30min@3h-5h",
            "--shift-starts",
            "05:00-23:00",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = common::stdout(&a);
    assert!(stdout.contains("cost a week"), "{stdout}");
    let roster = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    let sc = parse(&format!("{BASE}{roster}"));
    assert!(!sc.handlers.shifts.is_empty());
    let mut slots = vec![0u32; SLOTS];
    let mut dedicated = vec![0u32; SLOTS];
    for s in &sc.handlers.shifts {
        let start = s.start.0;
        assert!(
            start % HOUR == 0 && (5 * HOUR..=23 * HOUR).contains(&start),
            "{}",
            s.name
        );
        assert!([8 * HOUR, 10 * HOUR].contains(&s.length.0), "{}", s.name);
        assert_eq!(s.breaks.len(), 1, "{}", s.name);
        let b = &s.breaks[0];
        assert_eq!((b.length.0, b.stagger.0), (30 * 60_000, 0), "{}", s.name);
        assert!((3 * HOUR..=5 * HOUR).contains(&b.after.0), "{}", s.name);
        let day = s.days.iter().position(|d| *d).unwrap();
        assert_eq!(s.days.iter().filter(|d| **d).count(), 1);
        let v = Variant {
            day,
            start,
            length: s.length.0,
            brk: Some((b.after.0, b.length.0)),
        };
        for t in v.slots() {
            slots[t] += s.count;
            dedicated[t] += s.dedicated_999;
        }
    }
    // The scenario had a dedicated 999 handler on duty at every moment: so does the roster.
    assert!(
        (0..SLOTS).all(|t| dedicated[t] >= 1.min(slots[t])),
        "{roster}"
    );
    // At least the hourly need on duty in every slot.
    let need: Vec<u32> = std::fs::read_to_string(out.join("staffing.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
        .collect();
    assert_eq!(need.len(), 168);
    assert!((0..SLOTS).all(|t| slots[t] >= need[t / 4]));
    // The figures staff reported are those of the pasted roster.
    let (mean, reported) = common::pasted_and_reported_t1(&sc, &out);
    assert!(
        (mean - reported).abs() < 1e-9,
        "pasted {mean}, reported {reported}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    // Its cost is the hand sum over its shifts, between the bound and the greedy cover's.
    let d = &summary["shift_design"];
    assert_eq!(d["shifts_from"], "grid");
    assert_eq!(d["cost_unit"], "GBP");
    assert_eq!(d["break_rule"], "30min@3h-5h");
    let cost = d["cost_per_week"].as_f64().unwrap();
    let pay = parse(&format!("{BASE}{OWN}")).pay.unwrap();
    let hand = roster_cost(&pay, ROLE_HANDLER, 0, &sc.handlers.shifts);
    assert!((cost - hand).abs() < 1e-6, "{cost} against {hand}");
    assert!(cost <= d["greedy_cost_per_week"].as_f64().unwrap() + 1e-6);
    assert!(d["lower_bound_per_week"].as_f64().unwrap() <= cost + 1e-6);
    let own = roster_cost(
        &pay,
        ROLE_HANDLER,
        0,
        &parse(&format!("{BASE}{OWN}")).handlers.shifts,
    );
    assert!((d["input_cost_per_week"].as_f64().unwrap() - own).abs() < 1e-6);
}

/// Every bad shift-design option is reported at once, naming its option, with exit code 2 and
/// nothing written.
#[test]
fn bad_rules_are_all_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grid.toml");
    std::fs::write(&file, format!("{BASE}{OWN}")).unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args([
            "staff",
            "--shift-grid",
            "30min",
            "--shift-starts",
            "06:10-06:20",
            "--shift-starts",
            "7am-9am",
            "--shift-lengths",
            "8h,0h,25h",
            "--shift-break",
            "30min@8h-9h",
            "--confidence",
            "2",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = common::stderr(&a);
    for needle in [
        "\"06:10-06:20\": the grid of 30min allows no start in this window",
        "\"7am-9am\": write a window of start times as HH:MM-HH:MM",
        "\"0h\"",
        "\"25h\"",
        "a 8h shift has no start for the break",
        "--confidence",
    ] {
        assert!(err.contains(needle), "{needle} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing written");
    for (opt, val) in [
        ("--shift-grid", "7min"),
        ("--shift-grid", "7h"),
        ("--shift-break", "30min"),
    ] {
        let a = common::pledgesim()
            .args(["staff", opt, val])
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        assert!(common::stderr(&a).contains(opt), "{opt} {val}");
    }
    // Design options without a grid.
    let a = common::pledgesim()
        .args([
            "staff",
            "--shift-lengths",
            "8h",
            "--shift-break",
            "30min@3h-5h",
        ])
        .arg(&file)
        .assert()
        .code(2);
    let err = common::stderr(&a);
    assert!(
        err.contains("--shift-lengths") && err.contains("--shift-break"),
        "{err}"
    );
}

/// The search sizes the roster without overtime call-in: a scenario with a call-in that would
/// come every busy hour gets the same hourly need and roster as without it.
#[test]
fn the_search_sizes_the_roster_without_overtime() {
    use pledgesim::experiment::RunOptions;
    use pledgesim::experiment::staff::{Aim, Request, search};
    let plain = parse(&format!("{BASE}{OWN}"));
    let with = parse(&format!(
        "{BASE}{OWN}[contact_centre.overtime]\nlevel = 1\nfor = \"1min\"\ndelay = \"5min\"\nlength = \"4h\"\nstaff = 3\n"
    ));
    assert!(with.overtime.is_some());
    let req = Request {
        targets: vec![(Aim::Answer(ChannelKind::Emergency), 0.8)],
        confidence: 0.8,
        rules: None,
    };
    let a = search(&plain, &req, &RunOptions::default()).unwrap();
    let b = search(&with, &req, &RunOptions::default()).unwrap();
    assert_eq!(a.need, b.need);
    assert_eq!(a.coverage, b.coverage);
    assert_eq!(a.achieved_roster[0].mean, b.achieved_roster[0].mean);
}

/// `staff --frontier T1=0.70:0.90:0.10`: the cost curve has a point per share, its cost never
/// falls as the share rises, every point's roster keeps its share in at least the confidence
/// of replications (counted), the marginal cost is the step's difference per percentage point,
/// frontier.csv holds what staff.json does, and the report draws it. Bad curves are refused.
#[test]
fn the_cost_curve_rises_with_the_share_and_each_point_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grid.toml");
    std::fs::write(&file, format!("{BASE}{OWN}")).unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args(["staff", "--quiet", "--frontier", "T1=0.70:0.90:0.10"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(common::stdout(&a).contains("cost curve of T1"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    let curve = summary["frontier"].as_array().unwrap();
    assert_eq!(curve.len(), 3);
    let mut last: Option<(f64, f64)> = None;
    for (k, p) in curve.iter().enumerate() {
        let share = p["required_share"].as_f64().unwrap();
        assert!((share - [0.7, 0.8, 0.9][k]).abs() < 1e-12, "{share}");
        let cost = p["cost_per_week"].as_f64().unwrap();
        assert!(p["share_reps_meeting"].as_f64().unwrap() >= 0.8, "{p}");
        if let Some((prev_share, prev_cost)) = last {
            assert!(cost >= prev_cost - 1e-9, "the curve falls: {curve:?}");
            let marginal = p["marginal_cost_per_point"].as_f64().unwrap();
            assert!((marginal - (cost - prev_cost) / ((share - prev_share) * 100.0)).abs() < 1e-6);
        } else {
            assert!(p["marginal_cost_per_point"].is_null());
        }
        last = Some((share, cost));
    }
    let csv = std::fs::read_to_string(out.join("frontier.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[0].starts_with("target,required_share,cost_unit,cost_per_week"));
    for (k, p) in curve.iter().enumerate() {
        let cells: Vec<&str> = rows[k + 1].split(',').collect();
        assert_eq!(cells[0], "T1");
        let cost: f64 = cells[3].parse().unwrap();
        assert!((cost - p["cost_per_week"].as_f64().unwrap()).abs() < 1e-9);
    }
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("frontier.csv"));
    common::pledgesim()
        .args(["report", "--no-pdf"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("The cost curve of T1"), "no section");
    assert!(out.join("charts/staff-frontier.svg").is_file());
    // Bad curves: all refused at once, with the other bad options, exit code 2.
    for bad in [
        "T3=0.8:0.9:0.05",
        "T1=0.9:0.8:0.05",
        "T1=0.5:0.99:0.01",
        "T1=0.8-0.9",
        "T1=0.8:1:0.1",
    ] {
        let a = common::pledgesim()
            .args(["staff", "--frontier", bad, "--confidence", "0"])
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join("bad"))
            .assert()
            .code(2);
        let err = common::stderr(&a);
        assert!(
            err.contains("--frontier") && err.contains("--confidence"),
            "{bad}: {err}"
        );
    }
    assert!(!dir.path().join("bad").exists());
}
