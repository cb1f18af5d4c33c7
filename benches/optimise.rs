//! The unit and post search: `cargo bench --bench optimise` runs `optimise`'s search on
//! scenarios/county-district.toml (20 replications of October 2009 each), keeping T3 at 80% and
//! T4 at 90% in 80% of replications, over the three response teams' establishments (in steps
//! of six, one officer a week of the rota) and one PC or PCSO post in each of the five
//! neighbourhood teams (1 to 3 each). It prints each candidate as it is simulated, then the
//! wall time, the simulations used and the plan. `-- --threads N` sets the worker threads
//! (default: every core).

use pledgesim::experiment::RunOptions;
use pledgesim::experiment::optimise::{
    Base, Evaluator, Goal, Request, Start, StartFrom, knobs, search,
};
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
    let base = Base::load(Some(&path)).expect("the shipped scenario");
    let mut knobs = knobs::defaults(&base.tree);
    // One post in each neighbourhood team: the town's second PC, and a PCSO elsewhere.
    let posts = [
        "neighbourhood.teams[0].members[2].count=1..3",
        "neighbourhood.teams[1].members[1].count=1..3",
        "neighbourhood.teams[2].members[2].count=1..3",
        "neighbourhood.teams[3].members[1].count=1..3",
        "neighbourhood.teams[4].members[0].count=1..3",
    ]
    .map(String::from);
    knobs.extend(knobs::parse(&posts, &base.tree).expect("valid posts"));
    let goals = vec![
        Goal {
            id: "T3".into(),
            share: 0.8,
        },
        Goal {
            id: "T4".into(),
            share: 0.9,
        },
    ];
    let req = Request {
        goals: goals.clone(),
        confidence: 0.8,
        knobs: knobs.clone(),
        max_simulations: 400,
        start: Start {
            from: StartFrom::Scenario,
            ..Start::default()
        },
        frontier: None,
    };
    let eval = Evaluator {
        text: &base.text,
        source: &base.source,
        tree: base.tree.clone(),
        goals: &goals,
        confidence: 0.8,
        knobs: &knobs,
        replications: None,
        opts: RunOptions {
            threads,
            progress: false,
        },
    };
    let started = Instant::now();
    let mut n = 0;
    let found = search(&req, true, Vec::new(), |v| eval.evaluate(v), &mut |c| {
        n += 1;
        println!(
            "{n:>4}. {:?}: £{:.0} a week, {}{}",
            c.values,
            c.cost,
            c.figures
                .iter()
                .map(|f| format!("{} {:.1}%", f.id, f.mean * 100.0))
                .collect::<Vec<_>>()
                .join(", "),
            if c.kept { ", keeps" } else { "" }
        );
        Ok(())
    })
    .expect("a search");
    let wall = started.elapsed().as_secs_f64();
    println!(
        "county-district, {} response teams and {} posts: {wall:.1} s wall, {} simulations of 20 replications",
        knobs.len() - posts.len(),
        posts.len(),
        found.candidates.len()
    );
    let start = &found.candidates[found.start];
    match found.best {
        Some(b) => {
            let c = &found.candidates[b];
            println!(
                "plan {:?} (scenario {:?}): £{:.0} a week against £{:.0}",
                c.values, start.values, c.cost, start.cost
            );
        }
        None => println!("no plan: {}", found.verdict.unwrap_or_default()),
    }
}
