//! The vocabulary of figures, written once: what a row of the KPI tables is ([`KpiKey`]), every
//! statistic's unit, whether it is a proportion, which way is better and whether it can be a
//! target's headline ([`STATISTICS`]), and the scopes, clocks and ward types rows are cut by.
//!
//! Rules, in one place:
//! - a statistic's name says its unit: `_s` seconds, `_h` hours, `_km` kilometres; `share_*`
//!   and `*_rate` are proportions; `cost_*` pounds;
//! - a proportion's 95% interval is clipped to [0, 1], every other statistic's to [0, inf);
//! - a headline is the one row per measured target that the scorecard shows: `share_within` on
//!   the call clock for channels and grades, and the force-wide share for everything else.

use serde::Serialize;

pub use crate::scenario::ChannelKind;
pub use crate::scenario::neighbourhood::{CLASSES, ROLES};
pub use crate::scenario::response::GRADES;

/// What one figure is: a row of the tidy KPI tables.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiKey {
    /// T1, T2 ... or a supporting measure such as `handlers`, `callbacks`.
    pub kpi: &'static str,
    /// One of [`Scope`]'s names: channel, contact_centre, hour_of_week ...
    pub scope: &'static str,
    pub scope_value: String,
    /// The clock a time is measured on: `call` (from the call reaching the force) or `incident`
    /// (from the incident's creation, the force's usual view); empty where none applies.
    pub clock: &'static str,
    pub statistic: &'static str,
    /// The target time, for headline shares.
    pub target: Option<String>,
    /// The required share, for headline shares.
    pub required: Option<f64>,
}

/// What a row is cut by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Channel,
    ContactCentre,
    HourOfWeek,
    Grade,
    WardType,
    Ward,
    Force,
    WardRole,
    VisibleShareBin,
    Stage,
    Cause,
    Team,
    Sector,
    SectorCause,
    Role,
    RoleTeam,
}

impl Scope {
    pub const ALL: [Scope; 16] = [
        Scope::Channel,
        Scope::ContactCentre,
        Scope::HourOfWeek,
        Scope::Grade,
        Scope::WardType,
        Scope::Ward,
        Scope::Force,
        Scope::WardRole,
        Scope::VisibleShareBin,
        Scope::Stage,
        Scope::Cause,
        Scope::Team,
        Scope::Sector,
        Scope::SectorCause,
        Scope::Role,
        Scope::RoleTeam,
    ];
    /// The name written in the tables.
    pub const fn name(self) -> &'static str {
        match self {
            Scope::Channel => "channel",
            Scope::ContactCentre => "contact_centre",
            Scope::HourOfWeek => "hour_of_week",
            Scope::Grade => "grade",
            Scope::WardType => "ward_type",
            Scope::Ward => "ward",
            Scope::Force => "force",
            Scope::WardRole => "ward_role",
            Scope::VisibleShareBin => "visible_share_bin",
            Scope::Stage => "stage",
            Scope::Cause => "cause",
            Scope::Team => "team",
            Scope::Sector => "sector",
            Scope::SectorCause => "sector_cause",
            Scope::Role => "role",
            Scope::RoleTeam => "role_team",
        }
    }
}

/// The clock a time is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// From the call reaching the force (the caller's view).
    Call,
    /// From the incident's creation on the CAD (the force's usual view).
    Incident,
    /// No clock applies (counts, loads, neighbourhood time).
    None,
}

impl Clock {
    pub const fn name(self) -> &'static str {
        match self {
            Clock::Call => "call",
            Clock::Incident => "incident",
            Clock::None => "",
        }
    }
}

/// Urban or rural: the two attendance targets of T3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WardType {
    Urban,
    Rural,
}

impl WardType {
    pub const ALL: [WardType; 2] = [WardType::Urban, WardType::Rural];
    pub const fn name(self) -> &'static str {
        match self {
            WardType::Urban => "urban",
            WardType::Rural => "rural",
        }
    }
}

/// Which way a statistic is better, where there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// The unit a statistic is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A share from 0 to 1.
    Share,
    Seconds,
    Hours,
    Kilometres,
    /// A whole count over the measured window (calls, incidents, tasks ...).
    Count,
    /// A time-average level (queue length, handlers or units on duty, backlog).
    Level,
    /// Pounds sterling.
    Pounds,
}

/// One statistic of the vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statistic {
    pub name: &'static str,
    pub unit: Unit,
    /// Its interval is clipped to [0, 1].
    pub proportion: bool,
    pub better: Option<Better>,
    /// It can be a target's headline (the scorecard's row).
    pub headline: bool,
}

const fn stat(
    name: &'static str,
    unit: Unit,
    proportion: bool,
    better: Option<Better>,
    headline: bool,
) -> Statistic {
    Statistic {
        name,
        unit,
        proportion,
        better,
        headline,
    }
}

const H: Option<Better> = Some(Better::Higher);
const L: Option<Better> = Some(Better::Lower);
const N: Option<Better> = None;

/// Every statistic pledgesim reports. Some ratios are not clipped as proportions
/// (`utilisation`, `mean_visible_share`, `mean_member_month_share`, `lost_share_*`): that is how
/// every published result so far was made, and changing it would move their upper bounds.
pub const STATISTICS: &[Statistic] = &[
    // Answering (T1, T2), per channel.
    stat("share_within", Unit::Share, true, H, true),
    stat("share_of_answered_within", Unit::Share, true, H, false),
    stat("share_of_offered_within", Unit::Share, true, H, false),
    stat("abandonment_rate", Unit::Share, true, L, false),
    stat("mean_answer_s", Unit::Seconds, false, L, false),
    stat("p50_answer_s", Unit::Seconds, false, L, false),
    stat("p90_answer_s", Unit::Seconds, false, L, false),
    stat("p95_answer_s", Unit::Seconds, false, L, false),
    stat("mean_wait_all_s", Unit::Seconds, false, L, false),
    stat("mean_queue_length", Unit::Level, false, L, false),
    stat("offered_calls", Unit::Count, false, N, false),
    stat("answered_calls", Unit::Count, false, N, false),
    stat("abandoned_calls", Unit::Count, false, L, false),
    stat("unresolved_calls", Unit::Count, false, L, false),
    // Callers who redial (T1, T2), each counted once.
    stat("share_of_callers_within", Unit::Share, true, H, false),
    stat("attempts_per_caller", Unit::Level, false, L, false),
    stat("callers", Unit::Count, false, N, false),
    stat("callers_lost", Unit::Count, false, L, false),
    stat("mean_caller_wait_s", Unit::Seconds, false, L, false),
    stat("cancelled", Unit::Count, false, N, false),
    stat("found_emergencies", Unit::Count, false, N, false),
    // Staged handling.
    stat("transferred_calls", Unit::Count, false, N, false),
    stat("closed_calls", Unit::Count, false, N, false),
    stat("mean_total_wait_s", Unit::Seconds, false, L, false),
    // The contact centre.
    stat("occupancy", Unit::Share, true, N, false),
    stat("mean_on_duty", Unit::Level, false, N, false),
    stat("created", Unit::Count, false, N, false),
    stat("mean_wait_s", Unit::Seconds, false, L, false),
    // Attendance (T3, T4), per grade.
    stat("mean_attend_s", Unit::Seconds, false, L, false),
    stat("p50_attend_s", Unit::Seconds, false, L, false),
    stat("p90_attend_s", Unit::Seconds, false, L, false),
    stat("p95_attend_s", Unit::Seconds, false, L, false),
    stat("incidents", Unit::Count, false, N, false),
    stat("unattended", Unit::Count, false, L, false),
    stat("mean_wait_for_unit_s", Unit::Seconds, false, L, false),
    stat("mean_lead_in_s", Unit::Seconds, false, L, false),
    stat("mean_wait_for_dispatcher_s", Unit::Seconds, false, L, false),
    // Response units and grading.
    stat("utilisation", Unit::Share, false, N, false),
    stat("mean_officers_on_duty", Unit::Level, false, N, false),
    stat("dispatches", Unit::Count, false, N, false),
    stat("mean_travel_km", Unit::Kilometres, false, N, false),
    stat("share_outside_home", Unit::Share, true, N, false),
    stat("diversions", Unit::Count, false, N, false),
    stat("graded_calls", Unit::Count, false, N, false),
    // Response units' time on duty, duties and shrinkage.
    stat("share_of_duty_time", Unit::Share, true, N, false),
    stat("availability", Unit::Share, true, H, false),
    stat("rostered_shifts", Unit::Count, false, N, false),
    stat("started", Unit::Count, false, N, false),
    stat("interrupted", Unit::Count, false, N, false),
    stat("missed", Unit::Count, false, L, false),
    stat("dropped", Unit::Count, false, L, false),
    stat("establishment", Unit::Level, false, N, false),
    stat("fte", Unit::Level, false, N, false),
    stat("rota_hours_per_week", Unit::Hours, false, N, false),
    // Appointments (T5).
    stat("mean_to_appointment_s", Unit::Seconds, false, L, false),
    stat("booked", Unit::Count, false, N, false),
    stat("no_slot", Unit::Count, false, L, false),
    stat("mean_backlog", Unit::Level, false, L, false),
    // Neighbourhood teams (T6, T8).
    stat(
        "share_member_months_at_threshold",
        Unit::Share,
        true,
        H,
        true,
    ),
    stat(
        "share_member_weeks_at_threshold",
        Unit::Share,
        true,
        H,
        false,
    ),
    stat("mean_visible_share", Unit::Share, false, H, false),
    stat("mean_member_month_share", Unit::Share, false, H, false),
    stat("member_months", Unit::Count, false, N, false),
    stat("member_weeks", Unit::Count, false, N, false),
    stat("lost_share_response", Unit::Share, false, L, false),
    stat("lost_share_paperwork", Unit::Share, false, L, false),
    stat("lost_share_court", Unit::Share, false, L, false),
    stat("lost_share_training", Unit::Share, false, L, false),
    stat("lost_share_aid", Unit::Share, false, L, false),
    stat("lost_share_desk", Unit::Share, false, L, false),
    // Neighbourhood members' duties and shrinkage ([officers]).
    stat("lost_share_briefing", Unit::Share, false, L, false),
    stat("lost_share_refreshment", Unit::Share, false, N, false),
    stat("lost_share_station", Unit::Share, false, L, false),
    stat("lost_share_partnership", Unit::Share, false, N, false),
    stat("lost_share_custody", Unit::Share, false, L, false),
    stat("lost_share_files", Unit::Share, false, L, false),
    stat("breaks_due", Unit::Count, false, N, false),
    stat("breaks_missed", Unit::Count, false, L, false),
    stat("shifts_lost_leave", Unit::Count, false, L, false),
    stat("shifts_lost_sickness", Unit::Count, false, L, false),
    stat("shifts_lost_training", Unit::Count, false, N, false),
    stat("share_shifts_lost", Unit::Share, true, L, false),
    stat("lost_share_backfill", Unit::Share, false, L, false),
    stat("visible_hours_per_ward_week", Unit::Level, false, H, false),
    stat("shifts_backfilled", Unit::Count, false, N, false),
    stat("backfilled", Unit::Count, false, N, false),
    stat("minimum", Unit::Level, false, N, false),
    stat("unfilled", Unit::Count, false, L, false),
    stat("sent_to_response", Unit::Count, false, N, false),
    stat("pulled", Unit::Count, false, N, false),
    stat("sent_to_response_per_week", Unit::Level, false, L, false),
    stat("response_hours_per_week", Unit::Hours, false, L, false),
    stat("backfill_shifts_per_week", Unit::Level, false, L, false),
    stat("shifts_lost_court", Unit::Count, false, L, false),
    stat("shifts_lost_aid", Unit::Count, false, L, false),
    stat("shifts_lost_training_planned", Unit::Count, false, N, false),
    stat("abstraction_rate", Unit::Share, true, L, false),
    stat(
        "abstraction_rate_excl_leave_sickness",
        Unit::Share,
        true,
        L,
        false,
    ),
    stat("abstraction_rate_leave", Unit::Share, true, N, false),
    stat("abstraction_rate_sickness", Unit::Share, true, L, false),
    stat("abstraction_rate_training", Unit::Share, true, N, false),
    stat("abstraction_rate_aid", Unit::Share, true, L, false),
    stat("abstraction_rate_court", Unit::Share, true, L, false),
    stat("abstraction_rate_backfill", Unit::Share, true, L, false),
    stat("planned_abstractions", Unit::Count, false, N, false),
    stat("share_of_member_months", Unit::Share, true, N, false),
    stat("share_held", Unit::Share, true, H, true),
    stat("meetings_due", Unit::Count, false, N, false),
    // Follow-up work (T7, T9-T14).
    stat("tasks", Unit::Count, false, N, false),
    stat("done_late", Unit::Count, false, L, false),
    stat("open_at_end", Unit::Count, false, L, false),
    stat("mean_done_h", Unit::Hours, false, L, false),
    // Staffing: hours paid, FTE and cost, by role and team.
    stat("hours_paid_per_week", Unit::Hours, false, N, false),
    stat("cost_per_week", Unit::Pounds, false, L, false),
    // Overtime call-in (with cost_per_week above).
    stat("call_ins_per_week", Unit::Level, false, N, false),
    stat("hours_per_week", Unit::Hours, false, N, false),
    stat("held_back_per_week", Unit::Level, false, N, false),
    // Mutual aid (with hours_per_week and cost_per_week above).
    stat("calls_per_week", Unit::Level, false, N, false),
    stat("refused_per_week", Unit::Level, false, L, false),
    stat("turned_back_per_week", Unit::Level, false, L, false),
    stat("share_attended_by_aid", Unit::Share, true, N, false),
    // Overflow of 999 calls to a partner control room.
    stat("transferred_share", Unit::Share, true, L, false),
    stat("partner_answered_share", Unit::Share, true, N, false),
    stat("partner_share_within", Unit::Share, true, H, false),
    stat("refused_calls", Unit::Count, false, L, false),
    // Deferral and downgrading under load.
    stat("deferred_per_week", Unit::Level, false, L, false),
    stat("share_deferred", Unit::Share, true, L, false),
    stat("downgraded_per_week", Unit::Level, false, L, false),
    stat("share_downgraded", Unit::Share, true, L, false),
];

/// The statistic of that name, if pledgesim reports one.
pub fn statistic(name: &str) -> Option<&'static Statistic> {
    STATISTICS.iter().find(|s| s.name == name)
}

/// Whether a statistic is a proportion: its interval is clipped to [0, 1].
pub fn is_proportion(name: &str) -> bool {
    statistic(name).is_some_and(|s| s.proportion)
}

/// The direction in which a statistic improves, where it has one.
pub fn better(name: &str) -> Option<Better> {
    statistic(name).and_then(|s| s.better)
}

/// Whether a row is a target's headline figure (one per measured target: the scorecard).
pub fn is_headline(k: &KpiKey) -> bool {
    let headline = statistic(k.statistic).is_some_and(|s| s.headline);
    k.required.is_some()
        && headline
        && match k.scope {
            "channel" | "grade" => k.statistic == "share_within" && k.clock == Clock::Call.name(),
            "force" => true,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statistic_is_named_once_and_its_name_says_its_unit() {
        for (i, s) in STATISTICS.iter().enumerate() {
            assert!(
                STATISTICS[..i].iter().all(|t| t.name != s.name),
                "{} twice",
                s.name
            );
            let by_name = if s.name.ends_with("_s") {
                Unit::Seconds
            } else if s.name.ends_with("_h") {
                Unit::Hours
            } else if s.name.ends_with("_km") {
                Unit::Kilometres
            } else if s.name.starts_with("cost_") {
                Unit::Pounds
            } else {
                s.unit
            };
            assert_eq!(s.unit, by_name, "{}", s.name);
            if s.proportion {
                assert_eq!(s.unit, Unit::Share, "{}", s.name);
            }
            if s.headline {
                assert!(
                    s.proportion && s.better == Some(Better::Higher),
                    "{}",
                    s.name
                );
            }
        }
    }

    #[test]
    fn waits_are_better_lower_and_shares_within_higher() {
        assert_eq!(better("mean_answer_s"), Some(Better::Lower));
        assert_eq!(better("share_within"), Some(Better::Higher));
        assert_eq!(better("offered_calls"), None);
        assert_eq!(better("no_such_statistic"), None);
        assert!(is_proportion("abandonment_rate"));
        assert!(!is_proportion("mean_queue_length"));
    }

    fn key(scope: &'static str, clock: &'static str, statistic: &'static str) -> KpiKey {
        KpiKey {
            kpi: "T1",
            scope,
            scope_value: "999".into(),
            clock,
            statistic,
            target: Some("10s".into()),
            required: Some(0.9),
        }
    }

    #[test]
    fn headlines_are_shares_within_on_the_call_clock_or_force_wide() {
        assert!(is_headline(&key("channel", "call", "share_within")));
        assert!(!is_headline(&key("channel", "incident", "share_within")));
        assert!(!is_headline(&key("hour_of_week", "call", "share_within")));
        assert!(is_headline(&key(
            "force",
            "",
            "share_member_months_at_threshold"
        )));
        assert!(!is_headline(&key("force", "", "mean_visible_share")));
        let mut unrequired = key("channel", "call", "share_within");
        unrequired.required = None;
        assert!(!is_headline(&unrequired));
    }

    #[test]
    fn scope_names_are_distinct() {
        for (i, s) in Scope::ALL.iter().enumerate() {
            assert!(Scope::ALL[..i].iter().all(|t| t.name() != s.name()));
        }
    }
}
