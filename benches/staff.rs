//! Shift design: `cargo bench --bench staff` runs the staffing search with handler shifts
//! designed on a 30-minute grid (8- and 10-hour shifts, a 30-minute break 3 to 5 hours in) for
//! one week of scenarios/county-district.toml, and prints its wall time, the simulations it
//! used, the shift-cover programme's size, the roster's cost against the greedy cover's and
//! the proven lower bound, and the time of the programme alone on the final need.
//! `-- --threads N` sets the worker threads (default: every core).

use pledgesim::experiment::RunOptions;
use pledgesim::experiment::staff::design::{self, RulesText};
use pledgesim::experiment::staff::{Aim, Request, search, shift_cost};
use pledgesim::scenario::pay::ROLE_HANDLER;
use pledgesim::scenario::{ChannelKind, Scenario};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/county-district.toml");
    let sc = Scenario::load(&path).expect("the shipped scenario");
    let rules = RulesText {
        grid: Some("30min".into()),
        starts: Vec::new(),
        lengths: vec!["8h".into(), "10h".into()],
        brk: Some("30min@3h-5h".into()),
    }
    .parse()
    .expect("valid rules")
    .expect("a grid");
    let req = Request {
        targets: vec![
            (
                Aim::Answer(ChannelKind::Emergency),
                sc.target("T1").share.min(0.999),
            ),
            (
                Aim::Answer(ChannelKind::NonEmergency),
                sc.target("T2").share.min(0.999),
            ),
        ],
        confidence: 0.8,
        rules: Some(rules.clone()),
    };
    let started = Instant::now();
    let found = search(
        &sc,
        &req,
        &RunOptions {
            threads,
            progress: false,
        },
    )
    .expect("a search");
    let wall = started.elapsed().as_secs_f64();
    let d = found.design.as_ref().expect("a roster");
    println!(
        "county-district, shift design on a 30min grid: {wall:.1} s wall, {} simulations of {} replications, {} repair(s)",
        found.evaluations, sc.run.replications, d.repairs
    );
    println!(
        "programme: {} shifts allowed, {} rows, {} nodes; cost {:.2} a week, greedy {:.2} ({:+.1}%), lower bound {:.2} (gap {:.1}%); staff-hours {:.0} against the need's {:.0}",
        d.shifts_allowed,
        d.rows,
        d.nodes,
        d.cost,
        d.greedy_cost,
        100.0 * (d.greedy_cost / d.cost - 1.0),
        d.lower_bound,
        100.0 * (d.cost - d.lower_bound) / d.cost,
        found.roster_hours,
        found.need_hours
    );
    // The programme alone, on the hourly need the search found.
    let pay = sc
        .pay
        .clone()
        .unwrap_or_else(pledgesim::scenario::pay::Pay::unpaid);
    let variants = rules.variants();
    let costs: Vec<f64> = variants
        .iter()
        .map(|v| shift_cost(&pay, ROLE_HANDLER, v))
        .collect();
    let t = Instant::now();
    let plan = design::solve(&found.need, &variants, &costs).expect("coverable");
    println!(
        "the programme alone on the hourly need: {:.2} s, cost {:.2}, bound {:.2}",
        t.elapsed().as_secs_f64(),
        plan.cost,
        plan.lower_bound
    );
}
