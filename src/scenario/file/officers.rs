//! Pay rates and officers' time as written: `[pay]` and `[officers]` (rotas, response teams,
//! duties, shrinkage and custody suites).

use super::{DispatchedFile, DistFile};
use crate::time::{Duration, TimeOfDay};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Pay: the unsocial-hours window, and each role's rates and contracted week.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PayFile {
    /// The unsocial-hours window, from this time of day... Default "20:00".
    pub unsocial_from: Option<TimeOfDay>,
    /// ... to this one (across midnight when it is not after `unsocial_from`). Default "06:00".
    pub unsocial_to: Option<TimeOfDay>,
    /// By role: handler, dispatcher, response, sergeant, pc, pcso, staff, appointments.
    #[serde(default)]
    pub roles: BTreeMap<String, RolePayFile>,
}

/// One role's pay and contracted week.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RolePayFile {
    /// Cost to the force of an hour paid, in pounds, before enhancements.
    pub base: Option<f64>,
    /// The enhancement for an hour in the unsocial-hours window, as a share of `base`.
    pub unsocial: Option<f64>,
    /// The enhancement for an hour on Saturday or Sunday, as a share of `base`.
    pub weekend: Option<f64>,
    /// The overtime rate, a multiple of `base` (paid to handlers called in on overtime).
    pub overtime: Option<f64>,
    /// The role's full-time week in hours, which FTE divides by. Default 40 for officers, 37
    /// for staff.
    pub contracted_hours: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfficersFile {
    /// Work that is not a call for service, each with its cause, its roles and when it falls due.
    #[serde(default)]
    pub duties: Vec<OfficerDutyFile>,
    /// Shares of rostered shifts lost to leave, sickness and training, by role.
    #[serde(default)]
    pub shrinkage: Vec<ShrinkageFile>,
    /// Where custody duties are done: the nearest suite to the officer.
    #[serde(default)]
    pub custody_suites: Vec<CustodySuiteFile>,
    /// Rotas: cycles of weeks of shifts that teams of officers work.
    #[serde(default)]
    pub rotas: Vec<RotaFile>,
    /// Response teams as people: an establishment of officers per sector on a rota.
    #[serde(default)]
    pub teams: Vec<ResponseTeamFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RotaFile {
    pub name: String,
    /// The shifts the weeks name, each by a code.
    pub shifts: Vec<RotaShiftFile>,
    /// One line per week of the cycle: seven codes, Monday to Sunday, "-" for a rest day.
    pub weeks: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RotaShiftFile {
    pub code: String,
    pub start: TimeOfDay,
    pub length: Duration,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseTeamFile {
    /// Default: the sector's name.
    pub name: Option<String>,
    pub sector: String,
    pub rota: String,
    /// Officers in post (the establishment), split into as many groups as the rota has weeks.
    pub officers: i64,
    /// Officers per unit: 1 or 2. Default 1.
    pub crew: Option<i64>,
    /// Contracted hours a week per officer. Default 40.
    pub contracted_hours: Option<f64>,
    /// Officers wanted on each shift; below it, neighbourhood officers are taken. Default 0.
    pub minimum: Option<i64>,
    /// The neighbourhood roles taken to make up the minimum, in order. Default ["pc"].
    pub backfill: Option<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerDutyFile {
    /// briefing, refreshment, station, partnership, custody or files.
    pub cause: String,
    /// "response" (response unit crews), "sergeant", "pc", "pcso". Default: every role.
    pub roles: Option<Vec<String>>,
    /// "shift_start", "break", "per_week" or "after_incident".
    pub when: String,
    /// How long it takes (the drive to its place comes on top).
    pub length: DistFile,
    /// A break: due this long into the shift...
    pub after: Option<Duration>,
    /// ... and missed if not started this long into the shift.
    pub latest: Option<Duration>,
    /// A duty at a rate: occurrences per officer per week on duty.
    pub per_week: Option<f64>,
    /// After an incident: the probability by dispatched grade (I, S).
    pub probability: Option<DispatchedFile<f64>>,
    /// After an incident: the probability by category, where it differs from the grade's.
    #[serde(default)]
    pub by_category: BTreeMap<String, f64>,
    /// Whether an emergency may take an officer doing it. Default false.
    pub interruptible: Option<bool>,
    /// "resume" (default: the time left) or "restart" (the whole length again).
    pub interrupted: Option<String>,
    /// "defer" (default: taken when next free) or "drop".
    pub if_busy: Option<String>,
    /// "here" (default), "base" or "custody".
    pub place: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShrinkageFile {
    /// The roles it applies to. Default: every role.
    pub roles: Option<Vec<String>>,
    /// Shares of rostered shifts lost to each cause (0 to 1; together below 1).
    pub leave: Option<f64>,
    pub sickness: Option<f64>,
    pub training: Option<f64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CustodySuiteFile {
    pub name: String,
    /// [x, y] in km, inside a ward.
    pub at: Option<[f64; 2]>,
    /// Or [longitude, latitude] (with a `[map]`), projected as the wards are.
    pub at_lonlat: Option<[f64; 2]>,
}
