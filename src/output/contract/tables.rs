//! The CSV files of the contract: each file's header, and the typed rows the report reads.

use super::{Direction, TargetStatus, finite, nullable};
use serde::{Deserialize, Serialize};

/// The columns every table of figures shares (scorecard.csv, hourly.csv, wards.csv,
/// neighbourhood.csv and sweep.csv add their own around them).
#[rustfmt::skip]
pub const ROW_HEADER: [&str; 14] = [
    "kpi", "scope", "scope_value", "clock", "statistic", "target", "required_share", "mean",
    "ci_low", "ci_high", "sd", "replications", "share_reps_meeting", "status",
];

/// scorecard.csv: [`ROW_HEADER`] with `commitment` after `kpi`.
#[rustfmt::skip]
pub const SCORECARD_HEADER: [&str; 15] = [
    "kpi", "commitment", "scope", "scope_value", "clock", "statistic", "target", "required_share",
    "mean", "ci_low", "ci_high", "sd", "replications", "share_reps_meeting", "status",
];

/// hourly.csv: [`ROW_HEADER`] with `day` and `hour` after `scope_value`.
#[rustfmt::skip]
pub const HOURLY_HEADER: [&str; 16] = [
    "kpi", "scope", "scope_value", "day", "hour", "clock", "statistic", "target", "required_share",
    "mean", "ci_low", "ci_high", "sd", "replications", "share_reps_meeting", "status",
];

/// wards.csv: [`ROW_HEADER`] with `sector` and `ward_type` after `scope_value`.
#[rustfmt::skip]
pub const WARDS_HEADER: [&str; 16] = [
    "kpi", "scope", "scope_value", "sector", "ward_type", "clock", "statistic", "target",
    "required_share", "mean", "ci_low", "ci_high", "sd", "replications", "share_reps_meeting",
    "status",
];

/// neighbourhood.csv: [`ROW_HEADER`] with `scope_value` split into `ward`, `role` and `bin`.
#[rustfmt::skip]
pub const NEIGHBOURHOOD_HEADER: [&str; 16] = [
    "kpi", "scope", "ward", "role", "bin", "clock", "statistic", "target", "required_share",
    "mean", "ci_low", "ci_high", "sd", "replications", "share_reps_meeting", "status",
];

/// histograms.csv: pooled counts of times, by bin in milliseconds.
#[rustfmt::skip]
pub const HISTOGRAMS_HEADER: [&str; 7] = [
    "kpi", "scope", "scope_value", "measure", "bin_low_ms", "bin_high_ms", "count",
];

/// replications.csv: every overall figure of every replication.
#[rustfmt::skip]
pub const REPLICATIONS_HEADER: [&str; 8] = [
    "replication", "seed", "kpi", "scope", "scope_value", "clock", "statistic", "value",
];

/// staffing.csv: the hour-by-hour staffing.
#[rustfmt::skip]
pub const STAFFING_HEADER: [&str; 7] = [
    "hour_of_week", "day", "hour", "erlang_c", "need", "roster", "binding",
];

/// frontier.csv: a staffing's cost curve, one row per required share.
#[rustfmt::skip]
pub const FRONTIER_HEADER: [&str; 15] = [
    "target", "required_share", "cost_unit", "cost_per_week", "marginal_cost_per_point",
    "lower_bound_per_week", "roster_staff_hours", "hourly_need_staff_hours", "achieved_mean",
    "achieved_ci_low", "achieved_ci_high", "share_reps_meeting", "simulations", "unreachable",
    "roster_of_share",
];

/// compare.csv: every figure of every scenario against the baseline.
#[rustfmt::skip]
pub const COMPARE_HEADER: [&str; 23] = [
    "baseline", "scenario", "kpi", "scope", "scope_value", "clock", "statistic", "target",
    "baseline_mean", "mean", "difference", "ci_low", "ci_high", "sd", "replications",
    "independent_ci_low", "independent_ci_high", "better_when", "share_reps_better",
    "share_reps_worse", "prob_better", "verdict", "headline",
];

/// A row of scorecard.csv: a target with its figures, or only its status when unmeasured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRow {
    pub kpi: String,
    pub commitment: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    pub target: String,
    #[serde(deserialize_with = "finite")]
    pub required_share: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub sd: Option<f64>,
    pub replications: Option<usize>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_meeting: Option<f64>,
    pub status: Option<TargetStatus>,
}

/// The figure columns of a row of hourly.csv, wards.csv or sweep.csv (the columns each adds
/// are read where they are needed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    pub target: String,
    #[serde(deserialize_with = "finite")]
    pub required_share: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub sd: Option<f64>,
    pub replications: usize,
    #[serde(deserialize_with = "finite")]
    pub share_reps_meeting: Option<f64>,
    pub status: Option<TargetStatus>,
}

/// A row of neighbourhood.csv.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodRow {
    pub kpi: String,
    pub scope: String,
    pub ward: String,
    pub role: String,
    pub bin: String,
    pub statistic: String,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
}

/// A row of histograms.csv.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistogramRow {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub measure: String,
    pub bin_low_ms: u64,
    /// Empty for the last, open-ended bin.
    pub bin_high_ms: Option<u64>,
    pub count: u64,
}

/// A row of compare.csv.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub baseline: String,
    pub scenario: String,
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    pub target: String,
    #[serde(deserialize_with = "finite")]
    pub baseline_mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub difference: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub ci_high: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub sd: Option<f64>,
    pub replications: usize,
    #[serde(deserialize_with = "finite")]
    pub independent_ci_low: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub independent_ci_high: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub better_when: Option<Direction>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_better: Option<f64>,
    #[serde(deserialize_with = "finite")]
    pub share_reps_worse: Option<f64>,
    /// Absent before schema_version 5.
    #[serde(default, deserialize_with = "finite")]
    pub prob_better: Option<f64>,
    pub verdict: String,
    pub headline: bool,
}
