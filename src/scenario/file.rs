//! The scenario file as written (TOML or JSON), before validation. Every struct denies unknown
//! fields so that a typo is an error, not a silently ignored setting. Numbers that must be
//! positive are read as signed or floating values here and checked in `validate`, so the error
//! can say what is allowed rather than what type serde expected.
//!
//! The format is documented field by field in the README ("Scenario files").

use crate::time::{Date, Deadline, Duration, TimeOfDay};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Preset: met-2009, met-qosc, england-wales or hertfordshire.
    pub pledge: Option<String>,
    #[serde(default)]
    pub run: RunFile,
    /// Overrides of the preset's targets, by id (T1 ... T14).
    #[serde(default)]
    pub targets: BTreeMap<String, TargetFile>,
    pub demand: DemandFile,
    #[serde(default)]
    pub contact_centre: ContactCentreFile,
    pub roster: RosterFile,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    pub start: Option<Date>,
    pub horizon: Option<Duration>,
    pub warm_up: Option<Duration>,
    pub drain_limit: Option<Duration>,
    pub replications: Option<i64>,
    pub seed: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    pub time: Option<Deadline>,
    pub rural_time: Option<Deadline>,
    pub threshold: Option<f64>,
    pub share: Option<f64>,
    pub applies: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemandFile {
    /// 999 calls.
    pub emergency: Option<ChannelFile>,
    /// Non-emergency calls (101 and the like).
    pub non_emergency: Option<ChannelFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelFile {
    pub calls_per_week: Option<f64>,
    pub calls_per_year: Option<f64>,
    /// 24 weights, hour of day 0..23 (multiplied by `daily`).
    pub hourly: Option<Vec<f64>>,
    /// 7 weights, Monday..Sunday (multiplied by `hourly`).
    pub daily: Option<Vec<f64>>,
    /// 168 weights, hour of week 0 (Monday 00:00) .. 167.
    pub weekly: Option<Vec<f64>>,
    /// A CSV file beside the scenario holding the 168 weights.
    pub profile_file: Option<String>,
    /// 12 factors, January..December, multiplying the rate in that month.
    pub seasonal: Option<Vec<f64>>,
    /// Fixed arrival times (offsets from the start) instead of a random stream.
    pub arrivals: Option<Vec<Duration>>,
    pub handling: DistFile,
    pub patience: Option<DistFile>,
}

/// A distribution of durations, as a tagged table: `{ kind = "lognormal", mean = "4min", sd = "3min" }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DistFile {
    Exponential(ExponentialFile),
    Lognormal(MeanSdFile),
    Gamma(MeanSdFile),
    Deterministic(DeterministicFile),
    Empirical(EmpiricalFile),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExponentialFile {
    pub mean: Duration,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeanSdFile {
    pub mean: Duration,
    pub sd: Duration,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeterministicFile {
    pub value: Duration,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmpiricalFile {
    /// Values inline.
    pub values: Option<Vec<Duration>>,
    /// Or a CSV file beside the scenario: one value per row in `column` (default: the first).
    pub file: Option<String>,
    pub column: Option<String>,
    /// The unit of bare numbers in the file (s, min, ...); values written with a unit need none.
    pub unit: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCentreFile {
    /// "priority" (999 ahead of non-emergency, non-preemptive) or "fcfs" (one queue).
    pub discipline: Option<String>,
    pub callbacks: Option<CallbacksFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallbacksFile {
    /// Time a handler spends calling back an abandoned 999 caller.
    pub handling: DistFile,
    /// "after-999" (ahead of non-emergency calls) or "last" (behind them).
    pub priority: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RosterFile {
    pub handlers: HandlerRosterFile,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HandlerRosterFile {
    /// Handlers on duty at all times, with no shifts (for flat staffing and analytic checks).
    pub constant: Option<i64>,
    /// Of the constant handlers, how many take only 999 calls and 999 call-backs.
    pub constant_dedicated_999: Option<i64>,
    #[serde(default)]
    pub shifts: Vec<ShiftFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftFile {
    pub name: Option<String>,
    pub start: TimeOfDay,
    pub length: Duration,
    /// mon..sun, or "weekdays", "weekend", "all" (the default).
    pub days: Option<Vec<String>>,
    pub count: i64,
    /// How many of `count` take only 999 calls and 999 call-backs.
    pub dedicated_999: Option<i64>,
    #[serde(default)]
    pub breaks: Vec<BreakFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BreakFile {
    /// Time from the shift's start to the break.
    pub after: Duration,
    pub length: Duration,
    /// Handler i of the shift (counting from 0) takes the break `i x stagger` later, so that
    /// not everyone is away at once. Default 0.
    pub stagger: Option<Duration>,
}
