//! Parameter sweeps: every point run with the same seeds, and handed, in order, to a sink.
//!
//! A sweep is a base scenario and a grid (or list) of overrides by field path ([`file`]). The
//! runner here knows nothing of folders: each finished point goes to the caller's sink in point
//! order, and the caller says where to start from; the sweep folder (appending point by point,
//! resuming, merging shards) is written by `output::sweep`.

mod file;
mod hash;

pub use file::{MAX_POINTS, Sweep, cell};

use super::{Row, RunOptions, Summariser, pool, progress_bar, run_replication};
use crate::error::Error;
use crate::model::ReplicationResult;
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde_json::Value;

/// The most parts a sweep may be split into.
pub const MAX_SHARDS: usize = 1_000_000;

/// One part of a sweep: the points p with p mod count = index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses "K/N" (0 <= K < N).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!(
                "\"{text}\" is not a shard: write K/N with 0 <= K < N, e.g. 0/4 for the first of four"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index >= count || count > MAX_SHARDS {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// This part's points of a sweep of `n`.
    pub fn points(self, n: usize) -> impl Iterator<Item = usize> {
        (self.index..n).step_by(self.count)
    }
}

/// One finished point: what the sweep's files record of it.
pub struct PointResult {
    /// The point's number in the whole sweep.
    pub point: usize,
    /// Its value of each parameter (None: the base's).
    pub values: Vec<Option<Value>>,
    pub scenario_hash: String,
    pub replications: u32,
    pub seed: u64,
    /// The summarised overall figures, as a run's scorecard has them.
    pub rows: Vec<Row>,
}

/// What a sweep did.
pub struct SweepReport {
    /// This part's points.
    pub points: usize,
    /// Points already done when it started (resumed).
    pub resumed_from: usize,
    pub replications_run: u64,
    pub events: u64,
    pub wall_seconds: f64,
    pub threads: usize,
}

/// Runs the points of `shard` from its `from`-th on (those before are done), handing each
/// finished point to `sink` in point order. A sink's error stops the sweep and is returned.
pub fn run(
    sweep: &Sweep,
    shard: Shard,
    from: usize,
    opts: &RunOptions,
    mut sink: impl FnMut(PointResult) -> Result<(), Error>,
) -> Result<SweepReport, Error> {
    let started = std::time::Instant::now();
    let mine: Vec<usize> = shard.points(sweep.len()).collect();
    let n = mine.len();
    let from = from.min(n);
    let pool = pool(opts.threads);
    let threads = pool.current_num_threads();
    let first_sc = sweep.scenario(0)?;
    let reps = first_sc.run.replications as usize;
    let total = (n * reps) as u64;
    let bar = progress_bar(total, opts.progress, "sweep replications");
    bar.set_position((from * reps) as u64);
    bar.reset_eta();
    // Enough points at once to keep every thread busy; their results are folded in order.
    let batch = (threads * 4).div_ceil(reps.max(1)).clamp(4, 64);
    let (mut replications_run, mut events) = (0u64, 0u64);
    let mut k = from;
    while k < n {
        let last = (k + batch).min(n);
        let scenarios: Vec<Scenario> = mine[k..last]
            .iter()
            .map(|&p| sweep.scenario(p))
            .collect::<Result<_, _>>()?;
        let tasks: Vec<(usize, u32)> = scenarios
            .iter()
            .enumerate()
            .flat_map(|(i, sc)| (0..sc.run.replications).map(move |r| (i, r)))
            .collect();
        let results: Vec<ReplicationResult> = pool.install(|| {
            tasks
                .par_iter()
                .map(|&(i, r)| {
                    let res = run_replication(&scenarios[i], r);
                    bar.inc(1);
                    res
                })
                .collect()
        });
        let mut results = results.into_iter();
        for (i, sc) in scenarios.iter().enumerate() {
            let point = mine[k + i];
            // A sweep writes only the overall figures: the others are not worked out.
            let mut sum = Summariser::overall_only(sc);
            for _ in 0..sc.run.replications {
                sum.push(results.next().expect("one result per task"));
            }
            let outcome = sum.finish(threads, 0.0);
            if let Some(why) = outcome.overload {
                let why = format!("point {point}: {why}");
                return Err(crate::error::InputError::new(&sweep.label, "", why).into());
            }
            replications_run += u64::from(sc.run.replications);
            events += outcome.events;
            sink(PointResult {
                point,
                values: sweep.values(point),
                scenario_hash: sweep
                    .point_hash(point)
                    .map_or_else(|| sc.hash(), str::to_owned),
                replications: sc.run.replications,
                seed: sc.run.seed,
                rows: outcome.overall,
            })?;
        }
        k = last;
    }
    bar.finish_and_clear();
    Ok(SweepReport {
        points: n,
        resumed_from: from,
        replications_run,
        events,
        wall_seconds: started.elapsed().as_secs_f64(),
        threads,
    })
}
