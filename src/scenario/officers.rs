//! Officers' working time beyond calls for service, validated: duties with causes, shrinkage of
//! rostered shifts, and custody suites.
//!
//! Duties apply by role: `response` (the crews of response units), the neighbourhood roles
//! (`sergeant`, `pc`, `pcso`) and `staff` (the people on the shifts of follow-up workgroups). Each duty is one of the named causes, so that every minute of an
//! officer's time on duty has exactly one cause in the output.

use super::Dist;
use crate::time::Duration;
use serde::Serialize;

/// The causes a duty may have (besides calls for service and the planned abstractions).
pub const CAUSES: [&str; 6] = [
    "briefing",
    "refreshment",
    "station",
    "partnership",
    "custody",
    "files",
];

/// Most duties a scenario may give (a duty's index shares a random key with the call).
pub const MAX_DUTIES: usize = 16;

/// The roles a duty or shrinkage applies to: response crews, the neighbourhood roles, the staff
/// of follow-up workgroups, then appointment officers (shrinkage only).
pub const DUTY_ROLES: [&str; 6] = [
    "response",
    "sergeant",
    "pc",
    "pcso",
    "staff",
    "appointments",
];
pub const ROLE_RESPONSE: usize = 0;
/// The neighbourhood roles' places in [`DUTY_ROLES`].
pub const HOOD_ROLES: std::ops::Range<usize> = 1..4;
pub const ROLE_STAFF: usize = 4;
pub const ROLE_APPOINTMENTS: usize = 5;
/// The roles a duty or shrinkage entry without `roles` applies to: the officers (not staff).
pub const DEFAULT_ROLES: [bool; 6] = [true, true, true, true, false, false];

/// When a duty falls due.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum When {
    /// As the officer comes on duty, before anything else.
    ShiftStart,
    /// A break: due `after` into the shift, taken when the officer is next free; if it has not
    /// started by `latest` into the shift it is missed.
    Break { after: Duration, latest: Duration },
    /// At a rate per officer per week of time on duty (a Poisson process).
    PerWeek { per_week: f64 },
    /// After an incident the officer attended, with a probability by the dispatched grade
    /// (I, S), or by the incident's category where given.
    AfterIncident {
        by_grade: [f64; 2],
        by_category: [Option<f64>; 5],
    },
}

/// What happens to a duty that falls due while the officer is busy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IfBusy {
    /// Taken when the officer is next free (after any waiting incident).
    Defer,
    /// Not done.
    Drop,
}

/// Where a duty is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Where the officer is.
    Here,
    /// At the sector's base, driven to at the priority (S) speed; the drive is part of the duty.
    Base,
    /// At the nearest custody suite (or the sector's base when the scenario has none), driven
    /// to at the priority (S) speed; the drive is part of the duty.
    Custody,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Duty {
    /// Index into [`CAUSES`].
    pub cause: usize,
    /// Marks over [`DUTY_ROLES`].
    pub roles: [bool; 6],
    pub when: When,
    pub length: Dist,
    /// Whether an emergency (grade I) may take an officer doing it.
    pub interruptible: bool,
    /// Whether an interrupted duty resumes (its remaining time) or restarts (its whole length).
    pub resume: bool,
    pub if_busy: IfBusy,
    pub place: Place,
}

/// Shares of rostered shifts lost, by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Shrinkage {
    pub leave: f64,
    pub sickness: f64,
    pub training: f64,
}

impl Shrinkage {
    pub const CAUSES: [&'static str; 3] = ["leave", "sickness", "training"];

    pub fn total(&self) -> f64 {
        self.leave + self.sickness + self.training
    }

    /// The cause a uniform draw `u` in [0, 1) gives: None (the shift is worked), or the index
    /// into [`Shrinkage::CAUSES`].
    pub fn cause(&self, u: f64) -> Option<usize> {
        if u < self.leave {
            Some(0)
        } else if u < self.leave + self.sickness {
            Some(1)
        } else if u < self.total() {
            Some(2)
        } else {
            None
        }
    }

    pub fn is_none(&self) -> bool {
        self.total() == 0.0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustodySuite {
    pub name: String,
    pub at: (f64, f64),
}

/// Officers' time beyond calls for service. Empty by default (and then left out of the
/// scenario's hash, so that older scenarios keep theirs).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Officers {
    pub duties: Vec<Duty>,
    /// Per role (over [`DUTY_ROLES`]).
    pub shrinkage: [Shrinkage; 6],
    pub custody_suites: Vec<CustodySuite>,
}

impl Officers {
    pub fn is_empty(&self) -> bool {
        self.duties.is_empty()
            && self.shrinkage.iter().all(Shrinkage::is_none)
            && self.custody_suites.is_empty()
    }

    /// The duties of a role, with their indices.
    pub fn duties_of(&self, role: usize) -> impl Iterator<Item = (usize, &Duty)> {
        self.duties
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.roles[role])
    }
}
