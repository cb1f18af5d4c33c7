//! The contract of an `optimise` folder: its manifest, the lines of candidates.jsonl and
//! optimise.json.

use super::{Kind, Program, ScenarioEcho, nullable, seed};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The manifest.json of `pledgesim optimise` (schema version 6): the request, and whether the
/// search finished (`complete`; an unfinished one can be resumed).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OptimiseManifest<S = ScenarioEcho> {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub scenario_hash: String,
    #[serde(with = "seed")]
    pub seed: u64,
    pub replications: u32,
    pub confidence: f64,
    pub targets: Vec<OptimiseTarget>,
    pub knobs: Vec<OptimiseKnob>,
    pub max_simulations: usize,
    /// Where the search starts (`--start`), kept so that a resumed search starts there again.
    pub start_from: OptimiseStart,
    /// The cost curve asked for (`--frontier`), or null.
    #[serde(deserialize_with = "nullable")]
    pub frontier: Option<OptimiseFrontier>,
    pub complete: bool,
    pub crates: BTreeMap<String, String>,
    pub files: Vec<String>,
    pub scenario: S,
}

/// A cost curve's request: the target swept and its required shares, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseFrontier {
    pub target: String,
    pub shares: Vec<f64>,
}

/// A target `optimise` keeps: its id and required share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseTarget {
    pub id: String,
    pub share: f64,
}

/// A field `optimise` may change: its path, range and grid, and the scenario's own value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseKnob {
    pub path: String,
    pub from: i64,
    pub to: i64,
    pub step: i64,
    #[serde(deserialize_with = "nullable")]
    pub own: Option<i64>,
    /// For a sector's base chosen among candidate sites (`--sites`): the sites, a value being
    /// a site's place in this list; empty for a number.
    pub sites: Vec<OptimiseSite>,
}

/// Where a search starts: `from` ("scenario" or "load"), the knobs' values it starts from
/// (in the manifest's order), why there is no load start when `from` is "load" and none could
/// be made, and the load start's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseStart {
    pub from: String,
    pub values: Vec<i64>,
    #[serde(deserialize_with = "nullable")]
    pub why: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub load: Option<OptimiseLoad>,
}

/// The load start: unit-hours a dispatch commits a unit for, each knob's bound (null for a
/// knob that adds no units), and each sector's busiest hour against its units on duty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseLoad {
    pub hours_per_dispatch: f64,
    pub bounds: Vec<Option<i64>>,
    pub sectors: Vec<OptimiseSectorLoad>,
}

/// A sector's offered load (unit-hours an hour) at the hour of the week (0: Monday
/// 00:00-01:00) where it is greatest against the units on duty at the start, and the units on
/// duty then in the scenario and at the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseSectorLoad {
    pub sector: String,
    pub hour_of_week: usize,
    pub load: f64,
    pub units_scenario: f64,
    pub units_start: f64,
}

/// A candidate base site of `optimise --sites`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseSite {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub cost_per_week: f64,
}

/// A line of candidates.jsonl: one simulated candidate, in the order the search asked for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateRecord {
    /// Its place in the file, from 0.
    pub candidate: usize,
    /// The knobs' values, in the manifest's order.
    pub values: Vec<i64>,
    /// Pounds a week, or staff-hours paid a week when the scenario has no pay rates; `null`
    /// when the candidate was refused.
    #[serde(deserialize_with = "nullable")]
    pub cost_per_week: Option<f64>,
    pub fte: f64,
    pub kept: bool,
    /// Why it could not be simulated or was stopped, in words; `null` otherwise.
    #[serde(deserialize_with = "nullable")]
    pub refused: Option<String>,
    pub targets: Vec<CandidateFigure>,
}

/// A target's figure for a candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateFigure {
    pub id: String,
    pub required_share: f64,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub sd: f64,
    pub share_reps_meeting: f64,
    pub share_reps_meeting_cautious: f64,
    /// Each replication's value, in replication order (null where it is undefined): the
    /// figure at any other required share comes from these.
    pub replication_values: Vec<Option<f64>>,
}

/// A point of a search's cost curve (optimise.json's `frontier`, frontier.csv): the cheapest
/// candidate simulated that keeps the targets with the swept one at this share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseFrontierPoint {
    pub target: String,
    pub required_share: f64,
    /// Pounds a week, or staff-hours paid a week when the scenario has no pay rates; null
    /// when no candidate keeps this share.
    #[serde(deserialize_with = "nullable")]
    pub cost_per_week: Option<f64>,
    /// The change in cost from the point before, per percentage point of the share; null at
    /// the first point or next to one without a plan.
    #[serde(deserialize_with = "nullable")]
    pub marginal_cost_per_point: Option<f64>,
    /// The plan's line in candidates.jsonl (its `candidate`), and its values by field path.
    #[serde(deserialize_with = "nullable")]
    pub candidate: Option<usize>,
    #[serde(deserialize_with = "nullable")]
    pub plan_values: Option<BTreeMap<String, i64>>,
    /// The plan's figure of the swept target: mean, 95% interval, and share of replications
    /// meeting this share.
    #[serde(deserialize_with = "nullable")]
    pub achieved_mean: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub achieved_ci_low: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub achieved_ci_high: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub share_reps_meeting: Option<f64>,
    /// Candidates this share's search asked for, and of them those no earlier search had
    /// asked for (the rest were simulated for the plan or an earlier share, and reused).
    pub candidates_asked: usize,
    pub new_candidates: usize,
    /// Why no candidate keeps this share, in words; null when one does.
    #[serde(deserialize_with = "nullable")]
    pub verdict: Option<String>,
}

/// optimise.json (it carries no schema_version of its own: its manifest's applies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseSummary {
    pub kind: Kind,
    /// Whether costs are pounds a week (the scenario's pay rates) or staff-hours paid a week.
    pub costed: bool,
    pub method: String,
    /// Candidates in candidates.jsonl.
    pub simulations: usize,
    /// Whether the search stopped at `--max-simulations` before it settled: the plan is then
    /// the best found so far.
    pub limit_reached: bool,
    /// Where the search started (as the manifest's `start_from`).
    pub start_from: OptimiseStart,
    /// The scenario's own values' candidate, and the plan's (`null` when no candidate keeps
    /// the targets).
    pub start: CandidateRecord,
    #[serde(deserialize_with = "nullable")]
    pub plan: Option<CandidateRecord>,
    /// The plan's values by field path (`null` with no plan).
    #[serde(deserialize_with = "nullable")]
    pub plan_values: Option<BTreeMap<String, i64>>,
    /// Why no plan within the search's bounds keeps the targets, in words, with the best
    /// candidate found; `null` when the plan keeps them.
    #[serde(deserialize_with = "nullable")]
    pub verdict: Option<String>,
    /// The cost curve (`--frontier`), a point per share in order; empty without one.
    pub frontier: Vec<OptimiseFrontierPoint>,
}
