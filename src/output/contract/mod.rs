//! The output contract as types: what each manifest.json, summary.json, compare.json,
//! staff.json and sweep.jsonl line holds and each CSV file's columns, written by output/ and
//! read back by the report and by a sweep's resume and merge.
//!
//! Rules, in one place:
//! - JSON keys are in alphabetical order at every level: files are written through
//!   `serde_json::Value`, whose maps are sorted (see [`super::json_bytes`]). Field order in
//!   these structs is for reading, not for the bytes.
//! - A figure no replication defined is `null` in JSON and an empty cell in CSV: never NaN or
//!   infinity. Here such a figure is an `Option<f64>` that is `None`.
//! - Every key is written, `null` where there is nothing: a reader may take a missing key as a
//!   hand-edited file. Optional figures use [`nullable`] so that a missing key is an error, not
//!   a silent `None`.
//! - Every change to the contract bumps [`SCHEMA_VERSION`] and gets an entry in CHANGELOG.md;
//!   later versions add files, keys and columns, and never change the meaning of one.

use crate::experiment::Row;
use crate::experiment::compare::{Better, Comparison as Compared, DiffRow as Diff};
use crate::experiment::staff::Achieved as StaffAchieved;
mod columns;
mod optimise;
mod tables;

pub use crate::rng::seed;
pub use columns::parameter_columns;
pub use optimise::*;
pub use tables::*;

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// The version of the output contract.
pub const SCHEMA_VERSION: u32 = 6;

/// An optional value whose key must be present (`null` for none): serde takes a missing
/// `Option` field as `None` unless the field has its own deserializer.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

/// An optional figure whose key or column must be present, empty or `null` for none, and
/// finite when given (CSV cells may say "NaN" or "inf"; the contract never does).
pub fn finite<'de, D>(d: D) -> Result<Option<f64>, D::Error>
where
    D: Deserializer<'de>,
{
    match Option::<f64>::deserialize(d)? {
        Some(v) if !v.is_finite() => Err(serde::de::Error::custom(format!(
            "{v} is not a finite number: give the figure, or leave it empty (null in JSON) for none"
        ))),
        v => Ok(v),
    }
}

/// A figure as the contract holds it: `None` for undefined (NaN) or non-finite.
pub fn figure(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// The kind of an output folder, as its manifest's `kind` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Run,
    Compare,
    Sweep,
    Staff,
    Calibrate,
    Fit,
    Optimise,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Compare => "compare",
            Kind::Sweep => "sweep",
            Kind::Staff => "staff",
            Kind::Calibrate => "calibrate",
            Kind::Fit => "fit",
            Kind::Optimise => "optimise",
        }
    }
}

/// The program that wrote a folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub name: String,
    pub version: String,
}

impl Program {
    /// This program.
    pub fn this() -> Program {
        Program {
            name: "pledgesim".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What every manifest starts with: enough to tell who wrote it and what kind it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestHead {
    pub kind: Kind,
    pub program: Program,
    pub schema_version: u32,
}

/// A run's manifest.json. `S` is the scenario: the validated one when writing, the part the
/// report reads ([`ScenarioEcho`]) when reading.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest<S = ScenarioEcho> {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub source: String,
    pub scenario_hash: String,
    pub seeds: Seeds,
    /// Versions of the crates results depend on.
    pub crates: BTreeMap<String, String>,
    pub events: u64,
    pub calls: u64,
    pub files: Vec<String>,
    pub scenario: S,
    pub timing: Timing,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Seeds {
    #[serde(with = "seed")]
    pub master: u64,
    pub replications: Vec<ReplicationSeed>,
    pub derivation: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationSeed {
    pub replication: u32,
    #[serde(with = "seed")]
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub wall_seconds: f64,
    pub threads: usize,
}

/// A run's summary.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub kind: Kind,
    pub schema_version: u32,
    pub scenario: String,
    pub scenario_hash: String,
    pub pledge: String,
    #[serde(with = "seed")]
    pub seed: u64,
    pub replications: u32,
    pub measurement: Measurement,
    /// The headline rows, one per measured target.
    pub scorecard: Vec<KpiRow>,
    pub targets_not_measured: Vec<String>,
    /// Every target of the preset, in order, with its status.
    pub targets: Vec<TargetLine>,
    /// Every overall figure.
    pub kpis: Vec<KpiRow>,
    pub warnings: Vec<String>,
    /// The same warnings, typed (schema_version 3; empty when read from an earlier folder).
    #[serde(default)]
    pub warning_details: Vec<WarningDetail>,
    /// A replayed log's own figures beside the replayed ones (schema_version 6; only when the
    /// scenario replays a log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplaySummary>,
}

/// summary.json's `replay`: the log, what was replayed of it, and its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplaySummary {
    pub file: String,
    pub sha256: String,
    pub durations: bool,
    pub log_replications: u32,
    /// First attempts replayed per channel (999, non-emergency), over the log's replications.
    pub calls: BTreeMap<String, u64>,
    pub handling_given: u64,
    pub on_scene_given: u64,
    /// Rows not replayed: reason and count.
    pub skipped: Vec<ReplaySkipped>,
    pub figures: Vec<ReplayFigure>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplaySkipped {
    pub reason: String,
    pub rows: u64,
}

/// One figure as the log shows it (`observed`: its mean over the log's replications) and as
/// the replay gives it (`replayed`, with its 95% interval over the run's replications).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayFigure {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    #[serde(deserialize_with = "nullable")]
    pub target: Option<String>,
    #[serde(deserialize_with = "finite")]
    pub observed: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub replayed: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub replayed_ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub replayed_ci_high: Option<f64>,
}

/// A warning in summary.json's `warning_details`: what kind, about which resource, the load
/// offered against the capacity a week where it compares them, and the hours of the week it
/// names ("Monday 10:00-11:00").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarningDetail {
    pub kind: String,
    pub resource: String,
    pub message: String,
    #[serde(deserialize_with = "finite")]
    pub load: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub capacity: Option<f64>,
    pub hours: Vec<String>,
}

impl From<&crate::experiment::warnings::Warning> for WarningDetail {
    fn from(w: &crate::experiment::warnings::Warning) -> Self {
        let lc = w.load_capacity();
        WarningDetail {
            kind: w.kind().into(),
            resource: w.resource(),
            message: w.to_string(),
            load: lc.map(|x| x.0),
            capacity: lc.map(|x| x.1),
            hours: w.hours(),
        }
    }
}

/// The measured window, as durations and a date written as in scenarios ("10s", "2009-04-01").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub start: String,
    pub warm_up: String,
    pub horizon: String,
    pub drain_limit: String,
}

/// A target's line in summary.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetLine {
    pub id: String,
    pub commitment: String,
    pub status: TargetStatus,
}

/// The status of a summarised figure against its required share (`at_risk` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    AtRisk,
    Missed,
    Unknown,
}

impl From<crate::stats::summary::Status> for Status {
    fn from(s: crate::stats::summary::Status) -> Self {
        use crate::stats::summary::Status as S;
        match s {
            S::Met => Status::Met,
            S::AtRisk => Status::AtRisk,
            S::Missed => Status::Missed,
            S::Unknown => Status::Unknown,
        }
    }
}

/// A target's status as people read it (`at risk`), in summary.json's `targets` and in
/// scorecard.csv: a measured target's [`Status`], or why it has no figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetStatus {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "at risk")]
    AtRisk,
    #[serde(rename = "missed")]
    Missed,
    #[serde(rename = "unknown")]
    Unknown,
    #[serde(rename = "not in this scenario")]
    NotInScenario,
    #[serde(rename = "not in this pledge")]
    NotInPledge,
}

impl TargetStatus {
    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::AtRisk => "at risk",
            TargetStatus::Missed => "missed",
            TargetStatus::Unknown => "unknown",
            TargetStatus::NotInScenario => "not in this scenario",
            TargetStatus::NotInPledge => "not in this pledge",
        }
    }
}

impl From<Status> for TargetStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Met => TargetStatus::Met,
            Status::AtRisk => TargetStatus::AtRisk,
            Status::Missed => TargetStatus::Missed,
            Status::Unknown => TargetStatus::Unknown,
        }
    }
}

/// One summarised figure: a row of summary.json's `scorecard` and `kpis`, and of each
/// sweep.jsonl record's `rows`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiRow {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    #[serde(deserialize_with = "nullable")]
    pub target: Option<String>,
    #[serde(deserialize_with = "finite")]
    pub required: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub sd: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    /// Replications in which the figure was defined.
    pub n: usize,
    #[serde(deserialize_with = "finite")]
    pub share_reps_meeting: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub status: Option<Status>,
}

impl From<&Row> for KpiRow {
    fn from(r: &Row) -> Self {
        let (k, e) = (&r.key, &r.estimate);
        KpiRow {
            kpi: k.kpi.into(),
            scope: k.scope.into(),
            scope_value: k.scope_value.clone(),
            clock: k.clock.into(),
            statistic: k.statistic.into(),
            target: k.target.clone(),
            required: k.required,
            mean: figure(e.mean),
            sd: figure(e.sd),
            ci_low: figure(e.ci_low),
            ci_high: figure(e.ci_high),
            n: e.n,
            share_reps_meeting: r.share_reps_meeting,
            status: r.status.map(Status::from),
        }
    }
}

/// A summary over replications with no key: mean, spread and 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub sd: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    pub n: usize,
}

impl From<&crate::stats::summary::Estimate> for Estimate {
    fn from(e: &crate::stats::summary::Estimate) -> Self {
        Estimate {
            mean: figure(e.mean),
            sd: figure(e.sd),
            ci_low: figure(e.ci_low),
            ci_high: figure(e.ci_high),
            n: e.n,
        }
    }
}

/// The manifest.json of a comparison.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompareManifest<S = ScenarioEcho> {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub sources: Vec<String>,
    pub scenario_hashes: Vec<String>,
    #[serde(with = "seed")]
    pub seed: u64,
    pub replications: u32,
    pub method: String,
    pub crates: BTreeMap<String, String>,
    pub files: Vec<String>,
    pub scenarios: Vec<S>,
}

/// compare.json: every later scenario against the first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareSummary {
    pub kind: Kind,
    pub schema_version: u32,
    #[serde(with = "seed")]
    pub seed: u64,
    pub replications: u32,
    pub comparisons: Vec<Comparison>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub baseline: String,
    pub scenario: String,
    pub rows: Vec<DiffRow>,
}

impl From<&Compared> for Comparison {
    fn from(c: &Compared) -> Self {
        Comparison {
            baseline: c.baseline.clone(),
            scenario: c.scenario.clone(),
            rows: c.rows.iter().map(DiffRow::from).collect(),
        }
    }
}

/// Which way a statistic is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

/// One figure of one scenario against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffRow {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    #[serde(deserialize_with = "nullable")]
    pub target: Option<String>,
    #[serde(deserialize_with = "finite")]
    pub required: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub baseline_mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    /// The paired difference, scenario minus baseline.
    pub difference: Estimate,
    /// The interval the difference would have from independent runs: [low, high].
    pub independent_ci: (Option<f64>, Option<f64>),
    #[serde(deserialize_with = "nullable")]
    pub better: Option<Direction>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_better: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_worse: Option<f64>,
    /// The probability that the scenario is better on average (Student-t, from the paired
    /// mean difference and its standard error); absent before schema_version 5.
    #[serde(default, deserialize_with = "finite")]
    pub prob_better: Option<f64>,
    pub verdict: String,
}

impl From<&Diff> for DiffRow {
    fn from(r: &Diff) -> Self {
        let k = &r.key;
        DiffRow {
            kpi: k.kpi.into(),
            scope: k.scope.into(),
            scope_value: k.scope_value.clone(),
            clock: k.clock.into(),
            statistic: k.statistic.into(),
            target: k.target.clone(),
            required: k.required,
            baseline_mean: figure(r.baseline_mean),
            mean: figure(r.mean),
            difference: Estimate::from(&r.difference),
            independent_ci: (figure(r.independent_ci.0), figure(r.independent_ci.1)),
            better: r.better.map(|b| match b {
                Better::Higher => Direction::Higher,
                Better::Lower => Direction::Lower,
            }),
            share_reps_better: r.share_reps_better,
            share_reps_worse: r.share_reps_worse,
            prob_better: r.prob_better,
            verdict: r.verdict.into(),
        }
    }
}

/// The manifest.json of `pledgesim staff`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StaffManifest<S = ScenarioEcho> {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub scenario_hash: String,
    #[serde(with = "seed")]
    pub seed: u64,
    pub replications: u32,
    pub confidence: f64,
    pub crates: BTreeMap<String, String>,
    pub files: Vec<String>,
    pub scenario: S,
}

/// staff.json (it carries no schema_version of its own: its manifest's applies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSummary {
    pub kind: Kind,
    /// Whom the search staffed: `handlers` or `dispatchers` (schema version 6; folders
    /// before it are the handlers').
    #[serde(default = "handlers")]
    pub desk: String,
    pub confidence: f64,
    pub staff_hours_per_week: StaffHours,
    pub binding_hours: Vec<usize>,
    pub simulations: usize,
    /// Where callers hang up: the per-hour Erlang A start (168 numbers, Monday 00:00 first)
    /// that the search began from, and that `achieved_erlang_c` is then of; null where it
    /// began from Erlang C (schema version 6).
    #[serde(default)]
    pub erlang_a_start: Option<Vec<u32>>,
    pub achieved_erlang_c: Vec<Achieved>,
    pub achieved_hourly_need: Vec<Achieved>,
    pub achieved_roster: Vec<Achieved>,
    /// Why no staffing within the search's bounds keeps the targets, in words; `null` when a
    /// roster keeps them (schema version 2).
    #[serde(deserialize_with = "nullable")]
    pub unreachable: Option<String>,
    /// How the roster was made from the hourly need: `null` when no roster is proposed
    /// (schema version 6).
    #[serde(deserialize_with = "nullable")]
    pub shift_design: Option<ShiftDesign>,
    /// The cost curve (`staff --frontier`): one point per required share, in order; empty
    /// when not asked for (schema version 6).
    #[serde(default)]
    pub frontier: Vec<FrontierPoint>,
}

/// A point of a staffing's cost curve: the search for one required share (schema version 6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    pub target: String,
    pub required_share: f64,
    /// `GBP` or `staff-hours`, as [`ShiftDesign::cost_unit`].
    pub cost_unit: String,
    /// The roster's cost a week; null when no roster within the bounds keeps the targets.
    #[serde(deserialize_with = "finite")]
    pub cost_per_week: Option<f64>,
    /// The change in cost a week from the previous point, per percentage point of the
    /// required share; null at the first point or next to a point with no roster.
    #[serde(deserialize_with = "finite")]
    pub marginal_cost_per_point: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub lower_bound_per_week: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub roster_staff_hours: Option<f64>,
    pub hourly_need_staff_hours: f64,
    /// The roster's achieved share of the swept target, its 95% interval and the share of
    /// replications keeping it (null without a roster).
    #[serde(deserialize_with = "finite")]
    pub achieved_mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub achieved_ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub achieved_ci_high: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_meeting: Option<f64>,
    pub simulations: usize,
    #[serde(deserialize_with = "nullable")]
    pub unreachable: Option<String>,
    /// When the cheapest roster keeping this share is the one found for a higher share (it
    /// keeps both, on the same seeds): that share; null when it is this search's own.
    #[serde(deserialize_with = "finite")]
    pub roster_of_share: Option<f64>,
}

/// The shift-cover integer programme behind a staffing's roster (schema version 6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftDesign {
    /// `scenario patterns` or `grid`.
    pub shifts_from: String,
    /// The grid's rules as given (`null` and empty for the scenario's patterns).
    #[serde(deserialize_with = "nullable")]
    pub grid: Option<String>,
    pub start_windows: Vec<String>,
    pub lengths: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub break_rule: Option<String>,
    /// `GBP` (the scenario's handler pay) or `staff-hours` (no pay rates).
    pub cost_unit: String,
    pub cost_per_week: f64,
    pub greedy_cost_per_week: f64,
    pub lower_bound_per_week: f64,
    pub input_cost_per_week: f64,
    pub proven_optimal: bool,
    pub solver_nodes: u64,
    pub shifts_allowed: usize,
    pub rows: usize,
    pub repairs: usize,
    /// The roster's staff-hours a week less the hourly need's.
    pub gap_to_need_staff_hours: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffHours {
    pub roster: f64,
    pub hourly_need: f64,
    pub input_roster: f64,
}

/// What one roster achieved on one channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Achieved {
    pub target: String,
    pub channel: String,
    pub required_share: f64,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_meeting: Option<f64>,
}

fn handlers() -> String {
    "handlers".into()
}

impl From<&StaffAchieved> for Achieved {
    fn from(a: &StaffAchieved) -> Self {
        Achieved {
            target: a.aim.id().into(),
            channel: a.aim.label(),
            required_share: a.required,
            mean: figure(a.mean),
            ci_low: figure(a.ci.0),
            ci_high: figure(a.ci.1),
            share_reps_meeting: figure(a.reps_meeting),
        }
    }
}

/// The manifest.json of a sweep or one shard of it, written when the folder is started with
/// `complete` false and rewritten with it true when the last point is in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub source: String,
    pub base: String,
    pub sweep_hash: String,
    /// The scenario fields varied, in the order of sweep.csv's columns after `point`.
    pub parameters: Vec<String>,
    /// sweep.csv's column for each parameter (see [`parameter_columns`]); absent before
    /// schema_version 5, whose columns were the paths themselves.
    #[serde(default)]
    pub parameter_columns: Vec<String>,
    /// Each parameter's name in the sweep file's `[labels]`, `null` where it gives none
    /// (absent before schema_version 5).
    #[serde(default)]
    pub parameter_labels: Vec<Option<String>>,
    /// Each point's `label` in a sweep file of `[[points]]`, `null` where it gives none; empty
    /// for a grid (absent before schema_version 5).
    #[serde(default)]
    pub point_labels: Vec<Option<String>>,
    pub points: usize,
    #[serde(deserialize_with = "nullable")]
    pub replications: Option<u32>,
    /// The master seed of every point: the sweep file's, else the base scenario's (where
    /// `run.seed` is a parameter, each point's own is its record's `seed`); `null` only in
    /// folders before schema_version 6 where `run.seed` was a parameter.
    #[serde(with = "seed::nullable")]
    pub seed: Option<u64>,
    pub files: Vec<String>,
    /// Which part of the sweep the folder holds; `null` for the whole sweep.
    #[serde(deserialize_with = "nullable")]
    pub shard: Option<ShardRef>,
    pub complete: bool,
    pub method: String,
}

/// One part of a sweep: the points p with p mod `count` = `index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRef {
    pub index: usize,
    pub count: usize,
}

/// A line of sweep.jsonl: one finished point, written once its rows are in sweep.csv.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRecord {
    pub point: usize,
    /// The values the point gives its parameters (one at the base's value is left out).
    pub parameters: BTreeMap<String, serde_json::Value>,
    pub scenario_hash: String,
    pub replications: u32,
    #[serde(with = "seed")]
    pub seed: u64,
    /// Where the point's rows end in sweep.csv, in bytes from its start.
    pub csv_end: u64,
    pub rows: Vec<KpiRow>,
}

/// The part of a manifest's scenario that the report reads (the rest is ignored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioEcho {
    pub name: String,
    pub description: String,
    pub channels: Vec<ChannelEcho>,
    pub handlers: HandlersEcho,
    #[serde(deserialize_with = "nullable")]
    pub response: Option<ResponseEcho>,
    #[serde(deserialize_with = "nullable")]
    pub neighbourhood: Option<NeighbourhoodEcho>,
    pub targets: Vec<TargetEcho>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelEcho {
    pub kind: String,
    pub arrivals: ArrivalsEcho,
    pub handling: DistributionEcho,
    #[serde(deserialize_with = "nullable")]
    pub patience: Option<DistributionEcho>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrivalsEcho {
    /// Absent for calls given one by one.
    #[serde(default)]
    pub calls_per_week: Option<f64>,
}

/// A distribution of times: its mean, or its one value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistributionEcho {
    #[serde(default)]
    pub mean: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandlersEcho {
    pub constant: u32,
    pub shifts: Vec<ShiftEcho>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftEcho {
    pub name: String,
    pub start: String,
    pub length: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseEcho {
    pub wards: Vec<WardEcho>,
    pub sectors: Vec<serde_json::Value>,
    pub divert: bool,
    pub borrow_within_km: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WardEcho {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub area_km2: f64,
    #[serde(deserialize_with = "nullable")]
    pub shape: Option<ShapeEcho>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapeEcho {
    pub vertices: Vec<(f64, f64)>,
    /// Every polygon (outer ring, then holes) of a ward with holes or several polygons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Vec<Vec<(f64, f64)>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodEcho {
    pub members: Vec<serde_json::Value>,
    #[serde(deserialize_with = "nullable")]
    pub abstract_after: Option<String>,
    /// Absent from folders of schema_version 5 and earlier.
    #[serde(default, deserialize_with = "nullable")]
    pub pull_after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetEcho {
    pub id: String,
    #[serde(deserialize_with = "finite")]
    pub threshold: Option<f64>,
}

#[cfg(test)]
mod tests;
