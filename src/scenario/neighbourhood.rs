//! Neighbourhood teams (T6, T8) and follow-up work (T7, T9-T14), validated.

use super::{Dist, Shift};
use crate::time::{Deadline, Duration, TimeOfDay};
use serde::Serialize;

/// Roles in a neighbourhood team.
pub const ROLES: [&str; 3] = ["sergeant", "pc", "pcso"];
pub const ROLE_PC: usize = 1;

/// How a member's time on duty is classified: visible in own ward, or lost to one of the
/// causes that follow it. The last six are the officers' duties (`[officers]`), in the order of
/// [`crate::scenario::officers::CAUSES`].
pub const CLASSES: [&str; 14] = [
    "visible",
    "response",
    "paperwork",
    "court",
    "training",
    "aid",
    "desk",
    "briefing",
    "refreshment",
    "station",
    "partnership",
    "custody",
    "files",
    "backfill",
];
pub const VISIBLE: usize = 0;
pub const RESPONSE: usize = 1;
pub const PAPERWORK: usize = 2;
pub const TRAINING: usize = 4;
pub const DESK: usize = 6;
/// The class of the first duty cause: cause `c` of [`crate::scenario::officers::CAUSES`] is
/// class `DUTY_CLASS + c`.
pub const DUTY_CLASS: usize = 7;
/// Whole shifts worked on response to make up its minimum strength.
pub const BACKFILL: usize = 13;
/// The planned abstractions a scenario may give, with their class.
pub const PLANNED: [(&str, usize); 3] = [("court", 3), ("training", 4), ("aid", 5)];

#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub ward: usize,
    pub role: usize,
    /// Rostered time on duty in a week (ms), for abstraction rates.
    pub weekly_duty_ms: u64,
}

/// One member's shift (count 1).
#[derive(Clone, Debug, Serialize)]
pub struct MemberShift {
    pub member: u32,
    pub shift: Shift,
}

impl AsRef<Shift> for MemberShift {
    fn as_ref(&self) -> &Shift {
        &self.shift
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Abstraction {
    /// Index into [`CLASSES`].
    pub class: usize,
    pub roles: [bool; 3],
    /// Occurrences per member per week (0: only the fixed ones).
    pub per_week: f64,
    /// Fixed starts (offsets from the run's start).
    pub at: Vec<Duration>,
    /// Ignored (a zero) with `whole_shift`.
    pub length: Dist,
    /// Each takes the member's next whole rostered shift.
    pub whole_shift: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Meetings {
    /// Week of the month, 1 to 4.
    pub week: u32,
    /// Day of the week, 0 = Monday.
    pub day: usize,
    pub start: TimeOfDay,
    pub length: Duration,
    pub attendees: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Neighbourhood {
    pub members: Vec<Member>,
    pub shifts: Vec<MemberShift>,
    /// Members of each ward's team (empty where a ward has none).
    pub teams: Vec<Vec<u32>>,
    pub abstract_after: Option<Duration>,
    /// Pulls: the threshold after creation that a response unit's estimated arrival must
    /// beat, or the nearest neighbourhood officer arriving sooner goes too.
    pub pull_after: Option<Duration>,
    /// `dispatch_order = ["pulled", "response"]`: for an incident of a marked grade, the
    /// nearest neighbourhood officer who can arrive within `pull_after` of its creation is sent
    /// before any response unit (false: response units first, then a pull).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pulled_first: bool,
    /// Grades I and S: whether they may take a neighbourhood officer.
    pub abstract_grades: [bool; 2],
    pub abstract_roles: [bool; 3],
    pub abstractions: Vec<Abstraction>,
    pub meetings: Option<Meetings>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Workgroup {
    pub name: String,
    pub constant: u32,
    pub shifts: Vec<Shift>,
    /// Staff called in on overtime when the group's backlog stays high, when the scenario has
    /// it (and it is enabled): `staff` people who work the backlog as rostered staff do, with
    /// no duties or shrinkage, paid at role `staff`'s overtime rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overtime: Option<crate::scenario::Overtime>,
}

/// Who does a follow-up stream's tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Team {
    /// The neighbourhood team of the task's ward, as desk work.
    Neighbourhood,
    /// A workgroup, by index.
    Group(usize),
}

#[derive(Clone, Debug, Serialize)]
pub struct Followup {
    /// The target's id (T7, T9 ... T14).
    pub target: &'static str,
    pub team: Team,
    /// Tasks from answered calls whose grade and category are marked, with this probability.
    pub grades: [bool; 4],
    pub categories: [bool; 5],
    pub share: f64,
    /// Tasks at a constant rate (0: none).
    pub per_week: f64,
    pub work: Dist,
    pub deadline: Deadline,
    /// T9: victims' cases; updates fall due every `deadline` while a case is open.
    pub case_length: Option<Dist>,
    pub notice: Duration,
    /// A workgroup's own caseload (not a pledge target: served, never measured).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
}

impl Followup {
    /// Whether tasks come from calls (rather than only at a rate).
    pub fn from_calls(&self) -> bool {
        self.share > 0.0 && self.categories.iter().any(|c| *c) && self.grades.iter().any(|g| *g)
    }
}
