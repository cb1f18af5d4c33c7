//! Experiments: seeds and streams, replications in parallel, and their summaries.
//!
//! Replications run in parallel with rayon in chunks of fixed size; each chunk's results are
//! folded in replication order, so every sum is taken in the same order whatever the number of
//! threads. Hourly and ward figures are summarised as they come; only each replication's overall
//! figures are kept (for replications.csv).

pub mod calibrate;
pub mod compare;
pub mod curve;
pub mod optimise;
pub use crate::measure::{DUTY_STATS, LOST_STATS, bin_label, ward_role};
pub mod staff;
pub mod sweep;
pub mod warnings;

use crate::measure::{self as kpi, KpiKey};
use crate::model::{ContactCentre, ReplicationResult};
use crate::rng;
use crate::scenario::Scenario;
use crate::stats::Histogram;
use crate::stats::summary::{Accumulator, Estimate, Status};
use rayon::prelude::*;
use serde::Serialize;

/// Replications run together before their results are folded in.
const CHUNK: u32 = 64;

#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Worker threads; None: rayon's default (RAYON_NUM_THREADS or the number of cores).
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

/// One summarised figure: a row of summary.json, scorecard and hourly tables.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub key: KpiKey,
    #[serde(flatten)]
    pub estimate: Estimate,
    /// Share of replications whose value reached the required share.
    pub share_reps_meeting: Option<f64>,
    pub status: Option<Status>,
}

/// Per-replication identity and figures, for replications.csv.
pub struct RepRecord {
    pub replication: u32,
    pub seed: u64,
    pub values: Vec<f64>,
}

/// Everything a run produced.
pub struct RunOutcome {
    pub overall: Vec<Row>,
    pub hourly: Vec<Row>,
    /// By ward (scenarios with a field side).
    pub wards: Vec<Row>,
    /// Neighbourhood teams by ward and role, and the distribution of visible shares.
    pub hood: Vec<Row>,
    /// Pooled attendance times, [grade I, S]: (from the call, from the incident's creation).
    pub attendance: [(Histogram, Histogram); 2],
    pub reps: Vec<RepRecord>,
    /// Pooled over replications, per channel index: (answer waits, abandon waits).
    pub histograms: [(Histogram, Histogram); 2],
    pub events: u64,
    pub calls: u64,
    pub threads: usize,
    pub wall_seconds: f64,
    /// Why the memory guard stopped a replication (the first one in replication order), naming
    /// the overloaded resource: such a run has no results (`None` when every one ran through).
    pub overload: Option<String>,
}

/// Folds replication results, in replication order, into a run's summaries. Hourly, ward and
/// neighbourhood figures are summarised as they come; only each replication's overall figures
/// are kept (for replications.csv and paired comparisons).
pub struct Summariser<'a> {
    sc: &'a Scenario,
    keys: Vec<KpiKey>,
    hourly_keys: Vec<KpiKey>,
    ward_keys: Vec<KpiKey>,
    hood_keys: Vec<KpiKey>,
    hourly_acc: Vec<Accumulator>,
    ward_acc: Vec<Accumulator>,
    hood_acc: Vec<Accumulator>,
    attendance: [(Histogram, Histogram); 2],
    histograms: [(Histogram, Histogram); 2],
    reps: Vec<RepRecord>,
    events: u64,
    calls: u64,
    overload: Option<String>,
    /// Only the overall figures are summarised (see [`Summariser::overall_only`]).
    overall_only: bool,
}

impl<'a> Summariser<'a> {
    pub fn new(sc: &'a Scenario) -> Self {
        let (keys, hourly_keys, ward_keys, hood_keys) = kpi::keys(sc);
        Self::with_keys(sc, (keys, hourly_keys, ward_keys, hood_keys), false)
    }

    /// A summariser of the overall figures alone, for a sweep, which writes no others: its
    /// outcome's `overall` rows, replications, events and calls are those of [`Summariser::new`]
    /// bit for bit; its hourly, ward and neighbourhood tables and its histograms are empty.
    pub fn overall_only(sc: &'a Scenario) -> Self {
        let none = Vec::new;
        Self::with_keys(sc, (kpi::overall_keys(sc), none(), none(), none()), true)
    }

    fn with_keys(
        sc: &'a Scenario,
        (keys, hourly_keys, ward_keys, hood_keys): (
            Vec<KpiKey>,
            Vec<KpiKey>,
            Vec<KpiKey>,
            Vec<KpiKey>,
        ),
        overall_only: bool,
    ) -> Self {
        Summariser {
            overall_only,
            sc,
            hourly_acc: vec![Accumulator::default(); hourly_keys.len()],
            ward_acc: vec![Accumulator::default(); ward_keys.len()],
            hood_acc: vec![Accumulator::default(); hood_keys.len()],
            keys,
            hourly_keys,
            ward_keys,
            hood_keys,
            attendance: Default::default(),
            histograms: Default::default(),
            reps: Vec::new(),
            events: 0,
            calls: 0,
            overload: None,
        }
    }

    /// Whether the memory guard stopped a replication pushed so far.
    pub fn overloaded(&self) -> bool {
        self.overload.is_some()
    }

    /// Adds the next replication's result (they must come in replication order).
    pub fn push(&mut self, res: ReplicationResult) {
        if self.overload.is_none() {
            self.overload.clone_from(&res.overload);
        }
        if self.overall_only {
            self.events += res.events;
            self.calls += res.calls;
            self.reps.push(RepRecord {
                replication: res.replication,
                seed: res.seed,
                values: kpi::overall_values(self.sc, &res),
            });
            return;
        }
        let (overall, hourly, wards, hood) = kpi::values(self.sc, &res);
        for ((acc, v), k) in self
            .hourly_acc
            .iter_mut()
            .zip(hourly)
            .zip(&self.hourly_keys)
        {
            acc.push(v, k.required);
        }
        for ((acc, v), k) in self.ward_acc.iter_mut().zip(wards).zip(&self.ward_keys) {
            acc.push(v, k.required);
        }
        for ((acc, v), k) in self.hood_acc.iter_mut().zip(hood).zip(&self.hood_keys) {
            acc.push(v, k.required);
        }
        if let Some(f) = &res.response {
            for (g, (call, incident)) in self.attendance.iter_mut().enumerate() {
                call.merge(&f.hist_call[g]);
                incident.merge(&f.hist_incident[g]);
            }
        }
        for (i, (a, b)) in self.histograms.iter_mut().enumerate() {
            a.merge(&res.channels[i].answer_hist);
            b.merge(&res.channels[i].abandon_hist);
        }
        self.events += res.events;
        self.calls += res.calls;
        self.reps.push(RepRecord {
            replication: res.replication,
            seed: res.seed,
            values: overall,
        });
    }

    /// The summaries of the replications pushed.
    pub fn finish(self, threads: usize, wall_seconds: f64) -> RunOutcome {
        let reps = self.reps;
        let overall = self
            .keys
            .into_iter()
            .enumerate()
            .map(|(i, key)| {
                let mut acc = Accumulator::default();
                for r in &reps {
                    acc.push(r.values[i], key.required);
                }
                summarise(key, &acc)
            })
            .collect();
        let table = |keys: Vec<KpiKey>, accs: &[Accumulator]| -> Vec<Row> {
            keys.into_iter()
                .zip(accs)
                .map(|(k, a)| summarise(k, a))
                .collect()
        };
        RunOutcome {
            overall,
            hourly: table(self.hourly_keys, &self.hourly_acc),
            wards: table(self.ward_keys, &self.ward_acc),
            hood: table(self.hood_keys, &self.hood_acc),
            attendance: self.attendance,
            reps,
            histograms: self.histograms,
            events: self.events,
            calls: self.calls,
            threads,
            wall_seconds,
            overload: self.overload,
        }
    }
}

/// The most worker threads `--threads` may ask for: far above any machine's cores.
pub const MAX_THREADS: usize = 256;

/// Checks that a pool of `threads` workers can be made, before any work (a clean error, exit
/// code 1, rather than a panic when the system refuses threads).
pub fn check_pool(threads: Option<usize>) -> Result<(), crate::error::Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map(drop)
        .map_err(|e| crate::error::Error::Program {
            program: "pledgesim".into(),
            message: format!(
                "cannot start {} worker thread(s): {e}; give fewer with --threads",
                threads.map_or("the default number of".to_string(), |n| n.to_string())
            ),
        })
}

/// A thread pool of `threads` workers (None: rayon's default).
pub fn pool(threads: Option<usize>) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .expect("a thread pool can be built")
}

/// Runs every replication of `sc` and summarises them.
pub fn run(sc: &Scenario, opts: &RunOptions) -> RunOutcome {
    run_inner(sc, opts, None).0
}

/// [`run`], each replication also writing its calls' rows to `records/<replication>.csv`
/// (see [`crate::model::records`]); the first error writing them, if any.
pub fn run_recorded(
    sc: &Scenario,
    opts: &RunOptions,
    records: &std::path::Path,
) -> (RunOutcome, Option<String>) {
    run_inner(sc, opts, Some(records))
}

/// The file replication `r` writes its rows to, in the records folder.
pub fn records_part(records: &std::path::Path, r: u32) -> std::path::PathBuf {
    records.join(format!("{r}.csv"))
}

fn run_inner(
    sc: &Scenario,
    opts: &RunOptions,
    records: Option<&std::path::Path>,
) -> (RunOutcome, Option<String>) {
    let started = std::time::Instant::now();
    let reps = sc.run.replications;
    let pool = pool(opts.threads);
    // Progress in simulated time, summed over the replications (a long replication moves the
    // bar too); it sees the clocks, nothing else.
    let horizon = sc.run.horizon.0;
    let bar = progress_bar(
        u64::from(reps) * (horizon / crate::time::HOUR).max(1),
        opts.progress,
        "simulated hours, all replications,",
    );
    let done = std::sync::atomic::AtomicU64::new(0);
    let advance = |from: u64, to: u64| {
        if to > from {
            let total = done.fetch_add(to - from, std::sync::atomic::Ordering::Relaxed) + to - from;
            bar.set_position(total / crate::time::HOUR);
        }
    };
    let mut sum = Summariser::new(sc);
    let mut records_error = None;
    pool.install(|| {
        let mut first = 0;
        while first < reps {
            let last = (first + CHUNK).min(reps);
            let chunk: Vec<ReplicationResult> = (first..last)
                .into_par_iter()
                .map(|r| {
                    let mut at = 0;
                    let report = |now: crate::time::Time| {
                        let now = now.min(horizon);
                        advance(at, now);
                        at = at.max(now);
                    };
                    let res = match records {
                        None => run_replication_reporting(sc, r, report),
                        Some(dir) => recorded_replication(sc, r, dir, report),
                    };
                    advance(at, horizon);
                    res
                })
                .collect();
            for res in chunk {
                if records_error.is_none() {
                    records_error.clone_from(&res.records_error);
                }
                sum.push(res);
            }
            if sum.overloaded() {
                break;
            }
            first = last;
        }
    });
    bar.finish_and_clear();
    let outcome = sum.finish(pool.current_num_threads(), started.elapsed().as_secs_f64());
    (outcome, records_error)
}

/// One replication writing its calls' rows to its own file in `dir`.
fn recorded_replication(
    sc: &Scenario,
    replication: u32,
    dir: &std::path::Path,
    report: impl FnMut(crate::time::Time),
) -> ReplicationResult {
    let seed = rng::replication_seed(sc.run.seed, replication);
    let path = records_part(dir, replication);
    let file = match std::fs::File::create(&path) {
        Ok(f) => f,
        Err(e) => {
            let mut res = run_replication_reporting(sc, replication, report);
            res.records_error = Some(format!("{}: {e}", path.display()));
            return res;
        }
    };
    let wards = sc
        .response
        .as_ref()
        .map(|r| r.wards.iter().map(|w| w.name.clone()).collect())
        .unwrap_or_default();
    let out = Box::new(std::io::BufWriter::with_capacity(1 << 16, file));
    let log = crate::model::records::CallLog::new(out, sc.run.start, replication, seed, wards);
    let mut res = ContactCentre::new(sc, replication, seed)
        .with_records(log)
        .run_with_progress(report)
        .0;
    if let Some(e) = res.records_error.take() {
        res.records_error = Some(format!("{}: {e}", path.display()));
    }
    res
}

/// One replication, from the master seed and its number alone.
pub fn run_replication(sc: &Scenario, replication: u32) -> ReplicationResult {
    let seed = rng::replication_seed(sc.run.seed, replication);
    ContactCentre::new(sc, replication, seed).run().0
}

/// [`run_replication`], calling `report` with its simulated time as it goes (every
/// [`crate::model::PROGRESS_EVERY`] events): the same result, for a progress bar.
pub fn run_replication_reporting(
    sc: &Scenario,
    replication: u32,
    report: impl FnMut(crate::time::Time),
) -> ReplicationResult {
    let seed = rng::replication_seed(sc.run.seed, replication);
    ContactCentre::new(sc, replication, seed)
        .run_with_progress(report)
        .0
}

fn summarise(key: KpiKey, acc: &Accumulator) -> Row {
    // Every statistic is a count, a time or a proportion: never below 0, proportions never
    // above 1. An undefined bound (one replication, or none defined) stays undefined.
    let mut estimate = acc.estimate();
    if estimate.ci_low.is_finite() {
        estimate.ci_low = estimate.ci_low.max(0.0);
    }
    if crate::measure::key::is_proportion(key.statistic) && estimate.ci_high.is_finite() {
        estimate.ci_high = estimate.ci_high.min(1.0);
    }
    let (share_reps_meeting, status) = match key.required {
        Some(req) => (acc.share_meeting(), Some(Status::of(&estimate, req))),
        None => (None, None),
    };
    Row {
        key,
        estimate,
        share_reps_meeting,
        status,
    }
}

pub fn progress_bar(len: u64, show: bool, what: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{pos}}/{{len}} [{{bar:30}}] {{elapsed}} (about {{eta}} left)"
        ))
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sweep's summariser of the overall figures alone gives the overall rows, replications,
    /// events and calls of the full one, bit for bit, on every shipped scenario.
    #[test]
    fn overall_only_summaries_equal_the_full_ones() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 5);
        for p in paths {
            let mut sc = Scenario::load(&p).unwrap();
            sc.run.horizon = crate::time::Duration(2 * crate::time::DAY);
            sc.run.warm_up = crate::time::Duration(crate::time::HOUR);
            let (mut full, mut only) = (Summariser::new(&sc), Summariser::overall_only(&sc));
            for r in 0..3 {
                full.push(run_replication(&sc, r));
                only.push(run_replication(&sc, r));
            }
            let (full, only) = (full.finish(1, 0.0), only.finish(1, 0.0));
            assert!(!full.overall.is_empty());
            let json = |rows: &[Row]| serde_json::to_string(rows).unwrap();
            assert_eq!(json(&only.overall), json(&full.overall), "{}", sc.name);
            let values = |o: &RunOutcome| -> Vec<Vec<u64>> {
                o.reps
                    .iter()
                    .map(|r| r.values.iter().map(|v| v.to_bits()).collect())
                    .collect()
            };
            assert_eq!(values(&only), values(&full), "{}", sc.name);
            assert_eq!((only.events, only.calls), (full.events, full.calls));
            assert!(only.hourly.is_empty() && !full.hourly.is_empty());
        }
    }
}
