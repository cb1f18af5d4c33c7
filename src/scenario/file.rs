//! The scenario file as written (TOML or JSON), before validation. Every struct denies unknown
//! fields so that a typo is an error, not a silently ignored setting. Numbers that must be
//! positive are read as signed or floating values here and checked in `validate`, so the error
//! can say what is allowed rather than what type serde expected.
//!
//! The format is documented field by field in docs/reference/scenario.md; `tests/docs.rs`
//! checks that every field here (and in the files of `file/`) is there.

mod escalation;
mod officers;

pub use escalation::*;
pub use officers::*;

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
    /// The field side: grading, travel, dispatch. Without it only the contact centre is simulated.
    pub response: Option<ResponseFile>,
    /// Response areas that units serve.
    #[serde(default)]
    pub sectors: Vec<SectorFile>,
    #[serde(default)]
    pub wards: Vec<WardFile>,
    /// Or the wards in a CSV file beside the scenario.
    pub wards_file: Option<String>,
    /// Or the wards from a GeoJSON map beside the scenario.
    pub map: Option<MapFile>,
    /// Bank holidays ("YYYY-MM-DD"), which working-day deadlines skip (as they skip weekends).
    #[serde(default)]
    pub bank_holidays: Vec<Date>,
    /// Neighbourhood teams per ward (T6, T8) and the policy for taking them to response work.
    pub neighbourhood: Option<NeighbourhoodFile>,
    /// Teams that do follow-up work (investigators, public protection...), each on a roster.
    #[serde(default)]
    pub workgroups: Vec<WorkgroupFile>,
    /// Follow-up commitments as deadline work (T7, T9-T14).
    #[serde(default)]
    pub followup: Vec<FollowupFile>,
    /// Officers' time beyond calls for service: duties, shrinkage, custody suites.
    pub officers: Option<OfficersFile>,
    /// Pay rates and contracted hours by role, for the weekly cost and FTE of the staffing.
    pub pay: Option<PayFile>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeighbourhoodFile {
    #[serde(default)]
    pub teams: Vec<TeamFile>,
    /// An incident of a grade in `abstract_grades` still waiting for a response unit this long
    /// after its creation takes the nearest free neighbourhood officer. Absent: never.
    pub abstract_after: Option<Duration>,
    /// Pulls: an incident of a grade in `abstract_grades` that no response unit can reach
    /// within this long of its creation takes the nearest on-duty neighbourhood officer who
    /// would arrive sooner than the best response unit. Absent: never.
    pub pull_after: Option<Duration>,
    /// The order own resources are tried for an incident of a grade in `abstract_grades`:
    /// ["response", "pulled"] (the default: response units, then a pull) or ["pulled",
    /// "response"] (a neighbourhood officer who can arrive within `pull_after` first).
    pub dispatch_order: Option<Vec<String>>,
    /// Grades that may take a neighbourhood officer: "I", "S". Default ["I"].
    pub abstract_grades: Option<Vec<String>>,
    /// Roles that may be sent: "sergeant", "pc", "pcso". Default ["pc"].
    pub abstract_roles: Option<Vec<String>>,
    /// Planned abstractions (court, training, aid), each a rate and a length by role.
    #[serde(default)]
    pub abstractions: Vec<AbstractionFile>,
    /// The public meeting each team holds (T8).
    pub meetings: Option<MeetingsFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TeamFile {
    /// The wards that each have a team of this shape. Default: every ward.
    pub wards: Option<Vec<String>>,
    pub members: Vec<MemberFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MemberFile {
    /// "sergeant", "pc" or "pcso".
    pub role: String,
    /// Members of this role working these shifts. Default 1.
    pub count: Option<i64>,
    pub shifts: Vec<DutyFile>,
}

/// A shift pattern: start, length, days and (for workgroups) how many staff work it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DutyFile {
    pub start: TimeOfDay,
    pub length: Duration,
    pub days: Option<Vec<String>>,
    /// Staff on this shift (workgroups only). Default 1.
    pub count: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AbstractionFile {
    /// "court", "training" or "aid" (public-order aid to other areas).
    pub cause: String,
    /// Roles it applies to. Default: every role.
    pub roles: Option<Vec<String>>,
    /// Occurrences per member per week (a Poisson process over the member's time on duty).
    pub per_week: Option<f64>,
    /// Or fixed starts, as offsets from the run's start, for every member of the roles.
    pub at: Option<Vec<Duration>>,
    /// How long each lasts (cut short at the end of the member's shift). Not with
    /// `whole_shift`.
    pub length: Option<DistFile>,
    /// Each takes the member's next whole rostered shift instead of starting at once.
    pub whole_shift: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingsFile {
    /// Which week of the month: 1 to 4. Default 1 (the first such day of the month).
    pub week: Option<i64>,
    /// mon..sun.
    pub day: String,
    pub start: TimeOfDay,
    pub length: Duration,
    /// Members needed to hold it. Default 1.
    pub attendees: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkgroupFile {
    pub name: String,
    /// Staff on duty at all times.
    pub constant: Option<i64>,
    #[serde(default)]
    pub shifts: Vec<DutyFile>,
    /// Work of their own besides the pledge's follow-up (investigations, case files), at a rate.
    pub background: Option<BackgroundFile>,
    /// Overtime call-in of staff when the group's backlog (tasks waiting) stays high.
    pub overtime: Option<OvertimeFile>,
}

/// A workgroup's own caseload: tasks at a rate, each with its work and a deadline by which the
/// group aims to do it (it competes with the follow-up tasks by deadline).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundFile {
    pub per_week: f64,
    pub work: DistFile,
    /// Default 7d.
    pub deadline: Option<Deadline>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupFile {
    /// T7, T9, T10, T11, T12, T13 or T14: the deadline is that target's time.
    pub target: String,
    /// A workgroup's name, or "neighbourhood" (the ward's neighbourhood team, as desk work).
    pub team: String,
    /// Tasks from answered calls of these incident categories...
    pub categories: Option<Vec<String>>,
    /// ... and grades (default: every grade) ...
    pub grades: Option<Vec<String>>,
    /// ... each with this probability (default 1).
    pub share: Option<f64>,
    /// Or tasks at a constant rate.
    pub per_week: Option<f64>,
    /// Time a member of the team spends on one task.
    pub work: DistFile,
    /// T9: how long a victim's case stays open (updates fall due while it is open).
    pub case_length: Option<DistFile>,
    /// T9: how long before an update falls due it can be made. Default 7d.
    pub notice: Option<Duration>,
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
    /// A call log whose calls replace the channels' own arrivals (trace replay).
    pub replay: Option<ReplayFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayFile {
    /// The log (CSV or CSV.gz, the call log format), beside the scenario.
    pub file: String,
    /// Take each call's handling time and time on scene from the log where it has them.
    pub durations: Option<bool>,
    /// A mapping file (the fit's) naming the log's own columns, values, wards and time zone.
    pub mapping: Option<String>,
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
    /// Or fixed calls with some attributes given (the rest are drawn as usual): for replaying a
    /// log or checking a trace by hand.
    pub calls: Option<Vec<CallFile>>,
    pub handling: DistFile,
    pub patience: Option<DistFile>,
    /// Handling time by the call's grade (I, S, E, R), where it differs from `handling`.
    pub handling_by_grade: Option<GradeDistsFile>,
    /// Handling time by the incident's category (domestic_abuse, road_traffic_collision,
    /// serious_assault, other_crime, non_crime); it takes precedence over the grade's.
    #[serde(default)]
    pub handling_by_category: BTreeMap<String, DistFile>,
    /// A caller who hangs up calls again with this probability after a delay.
    pub redial: Option<RedialFile>,
    /// Silent and accidental 999 calls: their own arrivals (following this channel's profile),
    /// each answered, then called back.
    pub silent: Option<SilentFile>,
    /// The stages (`[[contact_centre.stages]]` names) this channel's calls pass through, in
    /// order, before the call-takers.
    pub stages: Option<Vec<String>>,
    /// Where the caller's answer (T1, T2) is measured: one of `stages`, or "call-takers".
    /// Default: the first stage with people.
    pub answered_at: Option<String>,
}

/// A distribution per grade; a grade not given takes the channel's `handling`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeDistsFile {
    #[serde(rename = "I")]
    pub i: Option<DistFile>,
    #[serde(rename = "S")]
    pub s: Option<DistFile>,
    #[serde(rename = "E")]
    pub e: Option<DistFile>,
    #[serde(rename = "R")]
    pub r: Option<DistFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedialFile {
    /// The chance that a caller who hangs up calls again (0 to 1).
    pub probability: f64,
    /// The time from hanging up to calling again.
    pub delay: DistFile,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SilentFile {
    pub calls_per_week: f64,
    /// Time a handler spends on a silent call before it is closed.
    pub handling: DistFile,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallFile {
    pub at: Duration,
    pub ward: Option<String>,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub grade: Option<String>,
    pub category: Option<String>,
    pub two_units: Option<bool>,
    pub on_scene: Option<Duration>,
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
    /// Stages a channel's calls pass through before the call-takers (switchboard, enquiry
    /// centre...), each a queue with its own staff.
    #[serde(default)]
    pub stages: Vec<StageFile>,
    /// 999 calls passed to a partner control room when they wait too long.
    pub overflow: Option<OverflowFile>,
    /// Extra handlers called in on overtime when calls stay queued above a level.
    pub overtime: Option<OvertimeFile>,
}

/// One stage of staged handling.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StageFile {
    pub name: String,
    /// Staff on duty at all hours; and/or `shifts` as handlers' (no breaks, no dedicated_999).
    pub constant: Option<i64>,
    #[serde(default)]
    pub shifts: Vec<ShiftFile>,
    /// Time a member of the stage's staff spends on a call.
    pub handling: DistFile,
    /// How long a caller waits at this stage before hanging up (default: never).
    pub patience: Option<DistFile>,
    /// The chance that a call goes on to the next stage (or the call-takers after the last);
    /// the rest end here. Default 1.
    pub transfer: Option<f64>,
    /// The chance by grade, where it differs from `transfer` (needs [response]).
    pub transfer_by_grade: Option<GradeSharesFile>,
    /// false for an automatic stage (a recorded menu): its "answer" is not the caller's answer,
    /// and every call goes on. Default true.
    pub people: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallbacksFile {
    /// Time a handler spends calling back an abandoned 999 caller.
    pub handling: DistFile,
    /// "after-999" (ahead of non-emergency calls) or "last" (behind them).
    pub priority: Option<String>,
    /// The chance that a call-back to an abandoned genuine emergency (a call drawn grade I whose
    /// caller did not call again) finds it, and creates its incident then. Default 0.
    pub find_emergency: Option<f64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RosterFile {
    pub handlers: HandlerRosterFile,
    /// Dispatchers on the CAD: each created I or S incident waits for one, who takes
    /// `dispatch_time` to send a unit.
    pub dispatchers: Option<DispatcherRosterFile>,
    pub units: Option<UnitRosterFile>,
    #[serde(default)]
    pub appointments: Vec<AppointmentFile>,
}

/// Response units per sector: always on (`constant`, sector name to count) and on shifts.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRosterFile {
    #[serde(default)]
    pub constant: BTreeMap<String, i64>,
    #[serde(default)]
    pub shifts: Vec<UnitShiftFile>,
    /// More shifts in a CSV file beside the scenario: columns sector,start,length,count and
    /// optional name, days (e.g. "mon tue" or "weekdays"), crew.
    pub shifts_file: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitShiftFile {
    pub sector: String,
    pub name: Option<String>,
    pub start: TimeOfDay,
    pub length: Duration,
    pub days: Option<Vec<String>>,
    /// Units on this shift.
    pub count: i64,
    /// Officers per unit: 1 (single crewed) or 2 (double crewed). Default 1.
    pub crew: Option<i64>,
}

/// Appointment capacity (T5): officers holding appointments of `slot` length through a session.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentFile {
    pub sector: String,
    pub start: TimeOfDay,
    pub length: Duration,
    pub days: Option<Vec<String>>,
    pub slot: Duration,
    pub officers: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectorFile {
    pub name: String,
    /// Where idle units wait when `response.idle = "base"`: [x, y] in km. Default: the sector's centre.
    pub base: Option<[f64; 2]>,
    /// Or the base as [longitude, latitude] (with a `[map]`), projected as the wards are.
    pub base_lonlat: Option<[f64; 2]>,
    /// Where its idle units patrol when `response.idle = "patrol"`: points [x, y] in km, one
    /// drawn (each as likely) wherever a patrol position is needed. Default: anywhere in its
    /// wards (by `response.patrol`).
    pub patrol_points: Option<Vec<[f64; 2]>>,
    /// Or the patrol points as [longitude, latitude] (with a `[map]`).
    pub patrol_lonlat: Option<Vec<[f64; 2]>>,
}

/// Wards from a GeoJSON FeatureCollection of Polygons and MultiPolygons in longitude and
/// latitude (WGS84), projected to km about the wards' middle.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    /// The GeoJSON file, beside the scenario.
    pub file: String,
    /// The feature properties holding each ward's name, code, type, sector and demand weights.
    pub name_property: Option<String>,
    pub code_property: Option<String>,
    pub type_property: Option<String>,
    pub sector_property: Option<String>,
    pub emergency_property: Option<String>,
    pub non_emergency_property: Option<String>,
    /// A CSV file beside the scenario keyed by ward code: column `code` and any of `type`,
    /// `sector`, `weight_emergency`, `weight_non_emergency`, which override the properties.
    pub attributes_file: Option<String>,
    /// [longitude, latitude] of the projection's origin. Default: the middle of the wards'
    /// bounding box.
    pub origin: Option<[f64; 2]>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WardFile {
    pub name: String,
    /// "urban" or "rural".
    #[serde(rename = "type")]
    pub kind: String,
    /// Required unless `shape` is given (then it is computed, and if given must agree).
    pub area_km2: Option<f64>,
    pub x: f64,
    pub y: f64,
    /// Optional boundary polygon, [[x, y], ...] in km; without it the ward is a square of its
    /// area centred on (x, y).
    pub shape: Option<Vec<[f64; 2]>>,
    pub sector: String,
    /// Relative demand weights per channel (a call's ward is drawn from these). Default 1 each.
    pub demand: Option<ChannelWeightsFile>,
    /// Overrides of the grade mix for calls from this ward.
    pub grading: Option<GradingFile>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelWeightsFile {
    pub emergency: Option<f64>,
    pub non_emergency: Option<f64>,
}

/// A share per grade: I (emergency), S (priority), E (scheduled), R (resolved without attendance).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeSharesFile {
    #[serde(rename = "I")]
    pub i: Option<f64>,
    #[serde(rename = "S")]
    pub s: Option<f64>,
    #[serde(rename = "E")]
    pub e: Option<f64>,
    #[serde(rename = "R")]
    pub r: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradingFile {
    pub emergency: Option<GradeSharesFile>,
    pub non_emergency: Option<GradeSharesFile>,
}

/// A value per dispatched grade (I and S).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DispatchedFile<T> {
    #[serde(rename = "I")]
    pub i: T,
    #[serde(rename = "S")]
    pub s: T,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedFile {
    pub urban: DispatchedFile<f64>,
    pub rural: DispatchedFile<f64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFile {
    /// "euclidean" (straight line x detour) or "right-angle".
    pub metric: Option<String>,
    pub detour: Option<f64>,
    /// From dispatch to setting off.
    pub turnout: Option<Duration>,
    /// "patrol" (an idle unit is anywhere in its sector's wards) or "base".
    pub idle: Option<String>,
    /// Where in its sector a patrolling unit is: "area" (uniform over the sector) or "demand"
    /// (in a ward drawn by its 999 demand weight, uniform within it).
    pub patrol: Option<String>,
    /// Other sectors whose centres lie within this distance lend units when the home sector has none.
    pub borrow_within_km: Option<f64>,
    /// Whether an emergency may take a unit travelling to or at a priority (S) incident.
    pub divert: Option<bool>,
    /// After clearing (or a duty away from its area), a unit "drives" back to its base or a
    /// patrol point at the priority speed, available on the way, or is there at once ("none").
    pub return_trip: Option<String>,
    /// An emergency (I) incident is created this long after the call is answered; other grades when the call ends.
    pub emergency_created_after: Option<Duration>,
    /// Time after clearing during which a unit is unavailable.
    pub paperwork: Option<DistFile>,
    pub speed_kmh: SpeedFile,
    pub on_scene: DispatchedFile<DistFile>,
    /// Share of incidents that need two units.
    pub two_units: Option<DispatchedFile<f64>>,
    pub grading: GradingFile,
    /// Category shares per grade: domestic_abuse, road_traffic_collision, serious_assault, other_crime, non_crime.
    #[serde(default)]
    pub categories: BTreeMap<String, BTreeMap<String, f64>>,
    /// The earliest an appointment may be booked after the incident is created.
    pub appointment_lead: Option<Duration>,
    /// The CAD clock: time from a call's answer to its incident's creation on the CAD, drawn
    /// per call by grade (I, S, E). A grade not given keeps the fixed rule (I after
    /// `emergency_created_after`, S and E when the call ends); giving both for I is an error.
    pub created_after: Option<CreatedAfterFile>,
    /// A random factor with a mean of 1 multiplying each trip's base travel time (after turnout).
    pub travel_factor: Option<TravelFactorFile>,
    /// Which unit is sent and how waiting incidents are queued.
    pub dispatch: Option<DispatchFile>,
    /// Drive times from each base and ward to each ward, used instead of distance and speed.
    pub travel_matrix: Option<TravelMatrixFile>,
    /// Mixes for calls arriving in parts of the day: grade and category mixes and ward
    /// weights that differ from the all-day ones.
    #[serde(default)]
    pub hour_bands: Vec<HourBandFile>,
    /// Units lent by a neighbouring area when no own unit can reach an incident in time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutual_aid: Option<MutualAidFile>,
    /// Priority incidents deferred to appointments, and scheduled ones downgraded, while many
    /// incidents wait for a unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralFile>,
    /// Extra response units called in on overtime when incidents stay queued above a level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overtime: Option<UnitOvertimeFile>,
}

/// Part of the day whose calls take their own mixes: from `start` up to `end` ("HH:MM"),
/// across midnight when `end` is not after `start`. What a band does not give is the all-day
/// value.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HourBandFile {
    pub name: String,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    /// The grade mix per channel, for wards without their own.
    pub grading: Option<GradingFile>,
    /// Category shares per grade.
    #[serde(default)]
    pub categories: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per channel: factors on named wards' all-day demand weights (a ward not named: 1).
    pub ward_factor: Option<WardFactorFile>,
}

/// Factors on wards' demand weights, per channel, keyed by ward name.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WardFactorFile {
    pub emergency: Option<BTreeMap<String, f64>>,
    pub non_emergency: Option<BTreeMap<String, f64>>,
}

/// A travel-time matrix in a CSV file beside the scenario: columns `from` (a ward's name, or a
/// sector's name for its base), `to` (a ward's name) and `minutes`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TravelMatrixFile {
    pub file: String,
    /// Whether a pair the file lacks is timed by distance and speed (true) or is an error
    /// (false, the default).
    pub fallback: Option<bool>,
    /// Hour bands, when the times differ by time of day: the file's `band` column names one for
    /// each row, and a trip takes the band its dispatch falls in.
    pub bands: Option<Vec<TravelBandFile>>,
}

/// An hour band of a travel-time matrix: from `start` to `end` ("HH:MM"), across midnight when
/// `end` is not after `start`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TravelBandFile {
    pub name: String,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

/// The dispatch policy, as two independent choices.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DispatchFile {
    /// "home" (the home sector's nearest idle unit, then the borrowing sectors'), "nearest"
    /// (the nearest idle unit anywhere) or "preference" (by each ward's `order` of sectors).
    pub choose: Option<String>,
    /// "sector" (a freed unit takes its own sector's waiting incidents, then its borrowing
    /// sectors') or "force_fcfs" (one queue for the force: by grade, then creation).
    pub queue: Option<String>,
    /// For "preference": ward name to the sectors whose units it takes, in order.
    #[serde(default)]
    pub order: BTreeMap<String, Vec<String>>,
}

/// The CAD delay per grade.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreatedAfterFile {
    #[serde(rename = "I")]
    pub i: Option<DistFile>,
    #[serde(rename = "S")]
    pub s: Option<DistFile>,
    #[serde(rename = "E")]
    pub e: Option<DistFile>,
}

/// The travel factor: `lognormal` with a coefficient of variation per ward type (0 leaves the
/// base time untouched), or `exponential` (coefficient of variation 1, for analytic checks).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TravelFactorFile {
    pub kind: String,
    pub cv: Option<WardTypeFile<f64>>,
}

/// A value per ward type.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WardTypeFile<T> {
    pub urban: T,
    pub rural: T,
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
    /// More shifts in a CSV file beside the scenario: columns start,length,count and optional
    /// name, days, dedicated_999, break_after, break_length, break_stagger (one break a row).
    pub shifts_file: Option<String>,
}

/// Dispatchers: on duty at all times (`constant`) and on shifts (breaks are not modelled for
/// dispatchers: give their hours net of breaks).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DispatcherRosterFile {
    pub constant: Option<i64>,
    #[serde(default)]
    pub shifts: Vec<ShiftFile>,
    /// A dispatcher's time per incident, from taking it to the unit being sent.
    pub dispatch_time: DistFile,
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
