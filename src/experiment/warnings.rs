//! Warnings about a scenario that runs but may not mean what its author expects: one variant per kind, one printer.

use crate::model;
use crate::rng;
use crate::scenario::Scenario;
use crate::scenario::neighbourhood::Team;
use crate::time::{self, Duration};
use std::fmt;

/// A scenario that runs but may not mean what its author expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Over the week the calls offered need at least the handler-hours on duty.
    Overloaded {
        /// Handler-hours a week the calls need, and handler-hours a week on duty.
        load: f64,
        capacity: f64,
    },
    /// Some hours of the week are offered more than 1.5 times the handlers on duty.
    HoursOverloaded {
        /// The hours of the week (0: Monday 00:00-01:00), in order.
        hours: Vec<usize>,
    },
    /// Appointment sessions offer fewer slots a week than the calls graded for an appointment.
    AppointmentsShort {
        /// Slots a week, and appointments asked for a week.
        slots: f64,
        requests: f64,
    },
    /// Response units were busy nearly all their time on duty (found in a run's results).
    UnitsSaturated {
        /// Mean utilisation over the replications, and diversions a run.
        utilisation: f64,
        diversions: f64,
        /// The hours of the week (0: Monday 00:00-01:00) in which units were busy at least 95%
        /// of their time on duty, in order.
        hours: Vec<usize>,
    },
    /// Follow-up tasks from calls go to a neighbourhood team in wards that have none.
    TasksNeverDone {
        target: &'static str,
        /// The first ward with demand and no team.
        ward: String,
    },
    /// A workgroup has more follow-up work a week than staff-hours.
    BacklogGrows {
        workgroup: String,
        hours: f64,
        staff_hours: f64,
    },
    /// Staff the control room needs are off duty for whole hours in which work arrives:
    /// dispatchers while incidents are created, or a stage's staff while its calls arrive.
    NobodyOnDuty {
        /// "dispatchers", or "stage NAME".
        who: String,
        /// What waits: "incidents" or "calls".
        work: &'static str,
        /// The hours of the week (0: Monday 00:00-01:00), in order.
        hours: Vec<usize>,
    },
    /// A response team's minimum strength exceeds its fullest rostered shift plus every
    /// neighbourhood officer it may take: no shift can ever be made up to it.
    MinimumOutOfReach {
        team: String,
        minimum: u32,
        /// Officers on the team's fullest shift, and the neighbourhood officers it may take.
        fullest: u32,
        candidates: u32,
    },
    /// No calendar month lies wholly between the warm-up and the horizon, so T6 has no figure.
    NoWholeMonth {
        warm_up: Duration,
        horizon: Duration,
    },
    /// Two wards of a map overlap by a sliver (at most 0.01% of the smaller's area).
    MapOverlap { message: String },
    /// Overtime call-ins carried the contact centre, response or a workgroup: about one a day or
    /// more, or a cap held call-ins back at least once a week (found in a run's results).
    OvertimeCarries {
        /// Whose overtime.
        who: OvertimeOf,
        /// Call-ins, hours paid for them and call-ins held back by a cap, a week (means over
        /// the replications).
        call_ins: f64,
        hours: f64,
        held_back: f64,
    },
    /// Mutual aid carried response: about one call-out a day or more, or calls for aid found
    /// every aid unit out at least once a week (found in a run's results).
    AidCarries {
        /// Aid call-outs, aid hours and calls refused (every aid unit out), a week (means over
        /// the replications).
        calls: f64,
        hours: f64,
        refused: f64,
    },
}

/// Who is called in on overtime.
#[derive(Clone, Debug, PartialEq)]
pub enum OvertimeOf {
    Handlers,
    Units,
    /// A workgroup's staff, by the workgroup's name.
    Workgroup(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Overloaded { load, capacity } => write!(
                f,
                "offered load ({load:.0} handler-hours a week of calls) is at least handler capacity ({capacity:.0} handler-hours a week): queues will not settle, and results depend on the horizon"
            ),
            Warning::HoursOverloaded { hours } => write!(
                f,
                "call handlers: in {} the calls offered need more than 1.5 times the handlers on duty ({}); queues build up there",
                count_hours(hours.len()),
                hour_list(hours)
            ),
            Warning::AppointmentsShort { slots, requests } => write!(
                f,
                "appointment sessions offer {} slots a week for about {} requests: not every appointment (T5) can be booked; add sessions, or officers to them",
                thousands(*slots),
                thousands(*requests)
            ),
            Warning::UnitsSaturated {
                utilisation,
                diversions,
                hours,
            } => {
                write!(
                    f,
                    "response units were busy {:.0}% of their time on duty, with {} diversions a run: emergencies and priority incidents wait for a free unit",
                    utilisation * 100.0,
                    thousands(*diversions)
                )?;
                if !hours.is_empty() {
                    write!(
                        f,
                        "; busiest (at least 95% busy) in {} ({})",
                        count_hours(hours.len()),
                        hour_list(hours)
                    )?;
                }
                write!(f, "; add units or shifts")
            }
            Warning::TasksNeverDone { target, ward } => write!(
                f,
                "{target} tasks from calls in wards without a neighbourhood team (first: {ward}) are never done: give every ward a team, or give the work to a workgroup"
            ),
            Warning::BacklogGrows {
                workgroup,
                hours,
                staff_hours,
            } => write!(
                f,
                "workgroup \"{workgroup}\" has about {hours:.0} hours of follow-up work a week for {staff_hours:.0} staff-hours: its backlog will grow without limit, and its results depend on the horizon"
            ),
            Warning::NobodyOnDuty { who, work, hours } => write!(
                f,
                "{who}: nobody on duty in {} while {work} arrive ({}); they wait there until someone comes on duty",
                count_hours(hours.len()),
                hour_list(hours)
            ),
            Warning::MinimumOutOfReach {
                team,
                minimum,
                fullest,
                candidates,
            } => write!(
                f,
                "response team \"{team}\": its minimum of {minimum} officers a shift can never be met, even with every neighbourhood officer it may take: its fullest shift has {fullest} rostered and its sector's neighbourhood teams {candidates} it may take; every shift will be counted short (lower `minimum`, or add to `backfill`)"
            ),
            Warning::NoWholeMonth { warm_up, horizon } => write!(
                f,
                "no whole calendar month lies between the end of the warm-up ({warm_up}) and the horizon ({horizon}), so T6 (visible time per member-month) has no figure: run for at least two months"
            ),
            Warning::MapOverlap { message } => write!(f, "{message}"),
            Warning::OvertimeCarries {
                who,
                call_ins,
                hours,
                held_back,
            } => {
                let (who, short) = match who {
                    OvertimeOf::Units => (
                        "response units".to_string(),
                        "the force is short of the response units the incidents need",
                    ),
                    OvertimeOf::Handlers => (
                        "call handlers".to_string(),
                        "the roster is short of the handlers the calls need",
                    ),
                    OvertimeOf::Workgroup(name) => (
                        format!("workgroup {name}"),
                        "its roster is short of the staff its tasks need",
                    ),
                };
                write!(
                    f,
                    "{who}: overtime was called in {call_ins:.1} times a week ({hours:.1} hours a week)"
                )?;
                if *held_back >= 1.0 {
                    write!(
                        f,
                        ", and the caps held a call-in back {held_back:.1} times a week"
                    )?;
                }
                write!(
                    f,
                    ": the targets lean on overtime nearly every day; {short}"
                )
            }
            Warning::AidCarries {
                calls,
                hours,
                refused,
            } => {
                write!(
                    f,
                    "response: a neighbouring area's units were called {calls:.1} times a week ({hours:.1} hours a week)"
                )?;
                if *refused >= 1.0 {
                    write!(
                        f,
                        ", and {refused:.1} calls for aid a week found every aid unit out"
                    )?;
                }
                write!(
                    f,
                    ": attendance leans on mutual aid nearly every day; the force's own units are too few or too far for the incidents they get"
                )
            }
        }
    }
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// An hour of the week in words: 10 is "Monday 10:00-11:00".
pub fn hour_name(h: usize) -> String {
    let (d, hr) = ((h / 24) % 7, h % 24);
    format!("{} {hr:02}:00-{:02}:00", DAYS[d], (hr + 1) % 24)
}

/// Hours of the week in words: runs of consecutive hours in a day joined ("Monday
/// 10:00-13:00"), at most three runs named and the number of the rest.
pub fn hour_list(hours: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &h in hours {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == h && h % 24 != 0 => *end = h,
            _ => runs.push((h, h)),
        }
    }
    let named: Vec<String> = runs
        .iter()
        .take(3)
        .map(|&(a, b)| {
            format!(
                "{} {:02}:00-{:02}:00",
                DAYS[(a / 24) % 7],
                a % 24,
                (b % 24 + 1) % 24
            )
        })
        .collect();
    let mut text = named.join(", ");
    if runs.len() > 3 {
        let rest: usize = runs[3..].iter().map(|(a, b)| b - a + 1).sum();
        text.push_str(&format!(" and {} more", count_hours(rest)));
    }
    text
}

fn count_hours(n: usize) -> String {
    if n == 1 {
        "1 hour of the week".to_string()
    } else {
        format!("{n} hours of the week")
    }
}

/// A count with thousands separated: 1165.2 is "1,165".
fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Warning {
    /// The kind, as summary.json's `warning_details` name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::Overloaded { .. } => "handlers_overloaded",
            Warning::HoursOverloaded { .. } => "handlers_overloaded_hours",
            Warning::AppointmentsShort { .. } => "appointments_short",
            Warning::UnitsSaturated { .. } => "units_saturated",
            Warning::TasksNeverDone { .. } => "tasks_never_done",
            Warning::BacklogGrows { .. } => "backlog_grows",
            Warning::NoWholeMonth { .. } => "no_whole_month",
            Warning::NobodyOnDuty { .. } => "nobody_on_duty",
            Warning::MinimumOutOfReach { .. } => "minimum_out_of_reach",
            Warning::MapOverlap { .. } => "map_overlap",
            Warning::OvertimeCarries { .. } => "overtime_carries",
            Warning::AidCarries { .. } => "aid_carries",
        }
    }

    /// The resource it is about: handlers, units, appointment sessions, a workgroup,
    /// neighbourhood teams.
    pub fn resource(&self) -> String {
        match self {
            Warning::Overloaded { .. }
            | Warning::HoursOverloaded { .. }
            | Warning::OvertimeCarries {
                who: OvertimeOf::Handlers,
                ..
            } => "handlers".into(),
            Warning::OvertimeCarries {
                who: OvertimeOf::Units,
                ..
            } => "response_units".into(),
            Warning::OvertimeCarries {
                who: OvertimeOf::Workgroup(name),
                ..
            } => format!("workgroup {name}"),
            Warning::AppointmentsShort { .. } => "appointment_sessions".into(),
            Warning::UnitsSaturated { .. } | Warning::AidCarries { .. } => "response_units".into(),
            Warning::TasksNeverDone { .. } | Warning::NoWholeMonth { .. } => {
                "neighbourhood_teams".into()
            }
            Warning::BacklogGrows { workgroup, .. } => format!("workgroup {workgroup}"),
            Warning::NobodyOnDuty { who, .. } => who.clone(),
            Warning::MinimumOutOfReach { team, .. } => format!("response team {team}"),
            Warning::MapOverlap { .. } => "wards".into(),
        }
    }

    /// Offered load and capacity a week, in the resource's own unit, where the warning compares
    /// them.
    pub fn load_capacity(&self) -> Option<(f64, f64)> {
        match self {
            Warning::Overloaded { load, capacity } => Some((*load, *capacity)),
            Warning::AppointmentsShort { slots, requests } => Some((*requests, *slots)),
            Warning::BacklogGrows {
                hours, staff_hours, ..
            } => Some((*hours, *staff_hours)),
            _ => None,
        }
    }

    /// The hours of the week it names, in words.
    pub fn hours(&self) -> Vec<String> {
        match self {
            Warning::HoursOverloaded { hours }
            | Warning::UnitsSaturated { hours, .. }
            | Warning::NobodyOnDuty { hours, .. } => hours.iter().map(|h| hour_name(*h)).collect(),
            _ => Vec::new(),
        }
    }
}

/// The handler-hours a week the calls offered need, hour by hour of the week.
fn handler_load(sc: &Scenario) -> [f64; 168] {
    let mut load = [0.0; 168];
    for ch in &sc.channels {
        let start_hour = time::Calendar::new(sc.run.start).start_weekday() * 24;
        let rates = ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
        for (l, r) in load.iter_mut().zip(rates) {
            *l += r * ch.handling.mean_secs() / 3600.0;
        }
        // Silent calls take their own handling and a call-back each.
        if let Some(silent) = &ch.silent {
            let callback = sc
                .callbacks
                .as_ref()
                .map_or(0.0, |c| c.handling.mean_secs());
            let each = silent.handling.mean_secs() + callback;
            let rates = silent.arrivals.hourly_rates(sc.run.horizon, start_hour);
            for (l, r) in load.iter_mut().zip(rates) {
                *l += r * each / 3600.0;
            }
        }
    }
    load
}

/// Whether some channel with calls has callers who never hang up (no `patience`): only then
/// can an overload grow a queue without limit. Callers who hang up keep a queue stable at any
/// load (Erlang A).
fn unbounded(sc: &Scenario) -> bool {
    sc.channels.iter().any(|ch| {
        ch.patience.is_none()
            && ch
                .arrivals
                .hourly_rates(sc.run.horizon, 0)
                .iter()
                .sum::<f64>()
                > 0.0
    })
}

/// The overload of the call handlers: over the week the calls offered need at least the
/// handler-hours on duty, and some channel's callers never hang up. Such a queue grows without
/// limit; `run`, `compare` and `sweep` refuse it unless told `--allow-overload`.
pub fn handler_overload(sc: &Scenario) -> Option<Warning> {
    let load: f64 = handler_load(sc).iter().sum();
    let capacity: f64 = sc.handlers.staffed_hours().iter().sum();
    (load >= capacity && unbounded(sc)).then_some(Warning::Overloaded { load, capacity })
}

/// The refusal of an overloaded scenario (see [`handler_overload`]), naming `label` (the
/// scenario file, or a sweep point), the load and the capacity; Ok when there is none.
pub fn refuse_overload(sc: &Scenario, label: &str) -> Result<(), crate::error::Error> {
    match handler_overload(sc) {
        Some(Warning::Overloaded { load, capacity }) => Err(crate::error::InputError::new(
            label,
            "roster.handlers",
            format!(
                "call handlers are overloaded: the calls offered need {load:.0} handler-hours a week and {capacity:.0} are on duty, and callers never hang up (no `patience`), so the queue would grow without limit and the results would only measure the horizon; add handlers, lower the demand, give callers patience, or pass --allow-overload to run it anyway"
            ),
        )
        .into()),
        _ => Ok(()),
    }
}

/// The warnings about `sc`, in the order they are printed.
pub fn warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let staffed = sc.handlers.staffed_hours();
    let load = handler_load(sc);
    let (total_load, total_staff): (f64, f64) = (load.iter().sum(), staffed.iter().sum());
    let unbounded = unbounded(sc);
    if let Some(w) = handler_overload(sc) {
        out.push(w);
    }
    let overloaded: Vec<usize> = (0..168)
        .filter(|&h| load[h] > staffed[h] * 1.5 && load[h] > 0.5)
        .collect();
    if !overloaded.is_empty() && (total_load < total_staff || !unbounded) {
        out.push(Warning::HoursOverloaded { hours: overloaded });
    }
    out.extend(appointment_warning(sc));
    out.extend(control_room_warnings(sc));
    if let Some(m) = sc.response.as_ref().and_then(|r| r.map.as_ref()) {
        out.extend(
            m.warnings
                .iter()
                .map(|w| Warning::MapOverlap { message: w.clone() }),
        );
    }
    out.extend(followup_warnings(sc));
    out.extend(minimum_warnings(sc));
    if sc.neighbourhood.is_some() {
        // T6 is counted over calendar months wholly inside the measured window.
        let cal = time::Calendar::new(sc.run.start);
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let (start, end) = cal.month_bounds(lo);
        let first_whole_end = if start >= lo as i64 {
            end
        } else {
            cal.month_bounds(end).1
        };
        if first_whole_end > hi {
            out.push(Warning::NoWholeMonth {
                warm_up: sc.run.warm_up,
                horizon: sc.run.horizon,
            });
        }
    }
    out
}

/// Response teams whose minimum no shift can reach, even with every neighbourhood officer of
/// the roles they may take from their sector's wards.
fn minimum_warnings(sc: &Scenario) -> Vec<Warning> {
    let (Some(r), Some(n)) = (&sc.response, &sc.neighbourhood) else {
        return Vec::new();
    };
    r.teams
        .iter()
        .filter(|t| t.minimum > 0)
        .filter_map(|t| {
            let fullest = (0..t.weeks).map(|g| t.group_size(g)).max().unwrap_or(0);
            let candidates = n
                .members
                .iter()
                .filter(|m| t.backfill.contains(&m.role) && r.wards[m.ward].sector == t.sector)
                .count() as u32;
            (t.minimum > fullest + candidates).then(|| Warning::MinimumOutOfReach {
                team: t.name.clone(),
                minimum: t.minimum,
                fullest,
                candidates,
            })
        })
        .collect()
}

/// Dispatchers, and each stage's staff, off duty for whole hours in which their work arrives.
fn control_room_warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let start_hour = time::Calendar::new(sc.run.start).start_weekday() * 24;
    let arriving =
        |ch: &crate::scenario::Channel| ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
    let uncovered = |staffed: [f64; 168], rates: [f64; 168]| -> Vec<usize> {
        (0..168)
            .filter(|&h| staffed[h] <= 0.0 && rates[h] > 0.0)
            .collect()
    };
    if let Some(d) = sc.response.as_ref().and_then(|r| r.dispatchers.as_ref()) {
        let mut rates = [0.0; 168];
        for ch in &sc.channels {
            for (x, r) in rates.iter_mut().zip(arriving(ch)) {
                *x += r;
            }
        }
        let hours = uncovered(d.roster.staffed_hours(), rates);
        if !hours.is_empty() {
            out.push(Warning::NobodyOnDuty {
                who: "dispatchers".into(),
                work: "incidents",
                hours,
            });
        }
    }
    for (i, st) in sc.stages.iter().enumerate() {
        let mut rates = [0.0; 168];
        for ch in sc.channels.iter().filter(|c| c.stages.contains(&i)) {
            for (x, r) in rates.iter_mut().zip(arriving(ch)) {
                *x += r;
            }
        }
        let hours = uncovered(st.roster.staffed_hours(), rates);
        if !hours.is_empty() {
            out.push(Warning::NobodyOnDuty {
                who: format!("stage \"{}\"", st.name),
                work: "calls",
                hours,
            });
        }
    }
    out
}

/// The warnings' messages, as printed: what manifests record.
pub fn messages(sc: &Scenario) -> Vec<String> {
    warnings(sc).iter().map(Warning::to_string).collect()
}

/// A channel's mean seasonal factor over the measured window, day by day (1 without one).
fn seasonal_mean(sc: &Scenario, arrivals: &crate::scenario::Arrivals) -> f64 {
    let crate::scenario::Arrivals::Profile {
        seasonal: Some(f), ..
    } = arrivals
    else {
        return 1.0;
    };
    let cal = time::Calendar::new(sc.run.start);
    let (mut sum, mut n) = (0.0, 0.0);
    let mut t = sc.run.warm_up.0;
    while t < sc.run.horizon.0.max(sc.run.warm_up.0 + 1) {
        let m = cal.date(t).month as usize;
        sum += f.get(m.saturating_sub(1)).copied().unwrap_or(1.0);
        n += 1.0;
        t += time::DAY;
    }
    if n > 0.0 { sum / n } else { 1.0 }
}

/// Calls a week by grade (I, S, E, R) over the measured window, from the channels' demand
/// (with their seasonal factors) and the mixes of each hour's band.
fn calls_by_grade(sc: &Scenario) -> [f64; 4] {
    let mut out = [0.0; 4];
    let Some(r) = &sc.response else { return out };
    for ch in &sc.channels {
        let hourly = ch.arrivals.hourly_rates(sc.run.horizon, 0);
        let by = r.calls_by_grade_category(ch.kind.index(), &hourly);
        let season = seasonal_mean(sc, &ch.arrivals);
        for (o, row) in out.iter_mut().zip(by) {
            *o += row.iter().sum::<f64>() * season;
        }
    }
    out
}

/// Appointment sessions with fewer slots a week than 95% of the calls graded for an
/// appointment (the estimate counts callers who go on to hang up).
fn appointment_warning(sc: &Scenario) -> Option<Warning> {
    let r = sc.response.as_ref()?;
    let requests = calls_by_grade(sc)[2];
    let slots: f64 = r
        .appointments
        .iter()
        .map(|a| {
            let per = (a.length.secs_f64() / a.slot.secs_f64().max(1e-9)).floor();
            per * f64::from(a.officers) * a.days.iter().filter(|d| **d).count() as f64
        })
        .sum();
    // The requests are estimated before callers who hang up (a few percent): only a shortfall
    // beyond that is warned of.
    (requests > 0.5 && slots < 0.95 * requests)
        .then_some(Warning::AppointmentsShort { slots, requests })
}

/// Warnings found in a run's results: response units busy nearly all their time on duty;
/// overtime called in about every day, or held back by its caps every week; mutual aid called
/// about every day, or finding every aid unit out every week.
pub fn after_run(outcome: &super::RunOutcome) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut whose: Vec<(&str, &str, OvertimeOf)> = vec![
        ("role", "handler", OvertimeOf::Handlers),
        ("role", "response", OvertimeOf::Units),
    ];
    for r in &outcome.overall {
        if r.key.kpi == "overtime"
            && r.key.scope == "team"
            && r.key.statistic == "call_ins_per_week"
        {
            let name = r.key.scope_value.as_str();
            whose.push(("team", name, OvertimeOf::Workgroup(name.to_string())));
        }
    }
    for (scope, value, who) in whose {
        let overtime = |stat: &str| {
            outcome
                .overall
                .iter()
                .find(|r| {
                    r.key.kpi == "overtime"
                        && r.key.scope == scope
                        && r.key.scope_value == value
                        && r.key.statistic == stat
                })
                .map(|r| r.estimate.mean)
        };
        if let (Some(call_ins), Some(hours), Some(held_back)) = (
            overtime("call_ins_per_week"),
            overtime("hours_per_week"),
            overtime("held_back_per_week"),
        ) {
            if call_ins >= 7.0 || held_back >= 1.0 {
                out.push(Warning::OvertimeCarries {
                    who,
                    call_ins,
                    hours,
                    held_back,
                });
            }
        }
    }
    let aid = |stat: &str| {
        outcome
            .overall
            .iter()
            .find(|r| {
                r.key.kpi == "mutual_aid" && r.key.scope == "force" && r.key.statistic == stat
            })
            .map(|r| r.estimate.mean)
    };
    if let (Some(calls), Some(hours), Some(refused)) = (
        aid("calls_per_week"),
        aid("hours_per_week"),
        aid("refused_per_week"),
    ) {
        if calls >= 7.0 || refused >= 1.0 {
            out.push(Warning::AidCarries {
                calls,
                hours,
                refused,
            });
        }
    }
    let find = |rows: &[super::Row], stat: &str| {
        rows.iter()
            .find(|r| r.key.kpi == "units" && r.key.statistic == stat && r.key.scope == "force")
            .map(|r| r.estimate.mean)
    };
    if let Some(u) = find(&outcome.overall, "utilisation").filter(|u| *u >= 0.95) {
        let hours: Vec<usize> = outcome
            .hourly
            .iter()
            .filter(|r| r.key.kpi == "units" && r.key.statistic == "utilisation")
            .filter(|r| r.estimate.mean >= 0.95)
            .filter_map(|r| r.key.scope_value.parse().ok())
            .collect();
        out.push(Warning::UnitsSaturated {
            utilisation: u,
            diversions: find(&outcome.overall, "diversions").unwrap_or(0.0),
            hours,
        });
    }
    out
}

/// Follow-up work a team cannot keep up with, or cannot do at all.
fn followup_warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(r) = &sc.response else { return out };
    let start_hour = time::Calendar::new(sc.run.start).start_weekday() * 24;
    // Calls a week by grade and category, each hour with its band's mixes.
    let mut per_grade_cat = [[0.0; 5]; 4];
    for ch in &sc.channels {
        let hourly = ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
        let by = r.calls_by_grade_category(ch.kind.index(), &hourly);
        for (row, b) in per_grade_cat.iter_mut().zip(by) {
            for (x, y) in row.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
    let mut load_h = vec![0.0; sc.workgroups.len()];
    for f in &sc.followup {
        let mut per_week = f.per_week;
        if f.from_calls() {
            for g in (0..4).filter(|&g| f.grades[g]) {
                for k in (0..5).filter(|&k| f.categories[k]) {
                    per_week += per_grade_cat[g][k] * f.share;
                }
            }
        }
        // A victim's case makes updates while it is open: with each made as soon as it may be
        // (`notice` before it falls due), update k falls due at k (interval - notice) + notice.
        // The expected count is estimated from 4096 case lengths drawn with a fixed seed.
        if let Some(case) = &f.case_length {
            let interval = match f.deadline {
                time::Deadline::Elapsed(d) => d.secs_f64(),
                time::Deadline::WorkingDays(n) => f64::from(n) * 1.4 * 86_400.0,
                time::Deadline::CalendarMonths(n) => f64::from(n) * 30.4 * 86_400.0,
            };
            let notice = f.notice.secs_f64();
            let sampler = model::dist::Sampler::new(case);
            let mut rng = rng::rng(0, 0);
            let draws = 4096;
            let updates: f64 = (0..draws)
                .map(|_| {
                    let length = sampler.sample(&mut rng) as f64 / 1000.0;
                    ((length - notice) / (interval - notice)).ceil().max(1.0) - 1.0
                })
                .sum();
            per_week *= updates / f64::from(draws);
        }
        match f.team {
            Team::Group(g) => load_h[g] += per_week * f.work.mean_secs() / 3600.0,
            Team::Neighbourhood => {
                if f.from_calls() {
                    if let Some(n) = &sc.neighbourhood {
                        if let Some(w) = r.wards.iter().enumerate().find(|(w, ward)| {
                            n.teams[*w].is_empty() && ward.weights.iter().any(|x| *x > 0.0)
                        }) {
                            out.push(Warning::TasksNeverDone {
                                target: f.target,
                                ward: w.1.name.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    for (g, group) in sc.workgroups.iter().enumerate() {
        let staff_h = f64::from(group.constant) * 168.0
            + group
                .shifts
                .iter()
                .map(|s| {
                    f64::from(s.count) * s.length.secs_f64() / 3600.0
                        * s.days.iter().filter(|d| **d).count() as f64
                })
                .sum::<f64>();
        if load_h[g] >= staff_h && load_h[g] > 0.0 {
            out.push(Warning::BacklogGrows {
                workgroup: group.name.clone(),
                hours: load_h[g],
                staff_hours: staff_h,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
