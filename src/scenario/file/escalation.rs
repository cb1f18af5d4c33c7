//! The escalation policies' sections as written: overtime call-in of handlers and of response
//! units, overflow to a partner control room, mutual aid and deferral.

use super::DistFile;
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// Overtime call-in of call handlers (`[contact_centre.overtime]`), or of a workgroup's staff
/// (`overtime` of a `[[workgroups]]` entry).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeFile {
    /// `false` switches the policy off (the section is then ignored); default true.
    pub enabled: Option<bool>,
    /// Calls waiting (999 and non-emergency), or for a workgroup tasks waiting for a member,
    /// above which the queue counts as high.
    pub level: i64,
    /// How long the queue must stay above the level before a call-in.
    #[serde(rename = "for")]
    pub after: Duration,
    /// From the call-in to the staff's arrival.
    pub delay: Duration,
    /// How long each call-in's staff stay (and are paid for).
    pub length: Duration,
    /// Handlers (or workgroup staff) per call-in.
    pub staff: i64,
    /// The most call-ins whose staff start on one day, and in one week of the run (default:
    /// no cap).
    pub per_day: Option<i64>,
    pub per_week: Option<i64>,
}

/// Overflow of 999 calls to a partner control room.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OverflowFile {
    /// A 999 call still waiting this long goes to the partner; "0s": at once when no handler
    /// is free as it arrives.
    pub after: Duration,
    /// Calls the partner holds at once (default: no limit).
    pub partner_lines: Option<i64>,
    /// Time from the transfer to the partner's answer.
    pub partner_answer: DistFile,
}

/// Overtime call-in of response units.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitOvertimeFile {
    /// `false` switches the policy off (the section is then ignored); default true.
    pub enabled: Option<bool>,
    /// Incidents waiting for a unit (I and S, in the whole force) above which the queue counts
    /// as high.
    pub level: i64,
    /// How long the queue must stay above the level before a call-in.
    #[serde(rename = "for")]
    pub after: Duration,
    /// From the call-in to the units' start.
    pub delay: Duration,
    /// How long each call-in's units stay (and their officers are paid for).
    pub length: Duration,
    /// Units per call-in.
    pub units: i64,
    /// Officers per unit (default 2).
    pub crew: Option<i64>,
    /// The most call-ins whose units start on one day, and in one week of the run (default:
    /// no cap).
    pub per_day: Option<i64>,
    pub per_week: Option<i64>,
}

/// Deferral and downgrading under load: an incident of a named grade created while at least
/// `waiting_at_least` incidents wait for a unit (in its sector, or in the force) is deferred
/// (S: booked an appointment) or downgraded (E: resolved without one).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeferralFile {
    /// `false` switches the policy off (the section is then ignored); default true.
    pub enabled: Option<bool>,
    /// Incidents waiting for a unit (I and S, not yet with all their units) at which the
    /// rule applies.
    pub waiting_at_least: i64,
    /// Where they are counted: "sector" (the incident's own, the default) or "force".
    pub scope: Option<String>,
    /// The grades the rule applies to: "S" (deferred to an appointment) and/or "E"
    /// (downgraded: resolved without an appointment).
    pub grades: Vec<String>,
}

/// Mutual aid for response: a neighbouring area's unit for an incident no own unit has
/// reached within `after` of its creation on the CAD.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MutualAidFile {
    /// `false` switches the policy off (the section is then ignored); default true.
    pub enabled: Option<bool>,
    /// Counted from the incident's creation: with no unit there by then, aid is called.
    pub after: Duration,
    /// From the call for aid to the neighbouring unit setting off (mobilisation).
    pub delay: Duration,
    /// The aid unit's drive from its own base to the incident (the same drive back).
    pub travel: DistFile,
    /// Pounds per hour of aid, from the call for aid to the unit's return to its base.
    pub cost_per_hour: Option<f64>,
    /// The most aid units out at once (default: no limit).
    pub units: Option<i64>,
    /// The grades aid is called for (default ["I"]; I and S may be given).
    pub grades: Option<Vec<String>>,
}
