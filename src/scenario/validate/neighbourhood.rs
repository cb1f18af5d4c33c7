//! Validation of the neighbourhood teams: members and their shifts, abstractions, meetings.

use super::check::{Check, dist, duties, marks, weekly_ms};
use crate::scenario::file::{NeighbourhoodFile, ScenarioFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::neighbourhood::*;
use crate::scenario::response::Response;
use crate::scenario::{Dist, Shift};
use crate::time::{DAY, Duration};

/// Whether one member's shifts overlap in the week (one person cannot work two at once).
fn overlap(shifts: &[Shift]) -> Option<String> {
    const WEEK: u64 = 7 * DAY;
    let mut spans: Vec<(u64, u64, usize)> = Vec::new();
    for (i, s) in shifts.iter().enumerate() {
        for day in (0..7).filter(|d| s.days[*d]) {
            let from = day as u64 * DAY + s.start.0;
            spans.push((from, from + s.length.0, i));
        }
    }
    spans.sort_unstable();
    let n = spans.len();
    for k in 0..n {
        let (a, b) = (spans[k], spans[(k + 1) % n]);
        // The next span's start, a week on when it wraps round to the first.
        let next = if k + 1 == n { b.0 + WEEK } else { b.0 };
        if n > 1 && a.1 > next {
            return Some(format!(
                "a member's shifts overlap (shift {} and shift {} in the week): one person works one shift at a time",
                a.2 + 1,
                b.2 + 1
            ));
        }
    }
    None
}

/// The neighbourhood teams; None when the scenario has none, or (reported) no field side.
pub(super) fn neighbourhood(
    c: &mut Check,
    f: &ScenarioFile,
    response: Option<&Response>,
) -> Option<Neighbourhood> {
    let n = f.neighbourhood.as_ref()?;
    let np = FieldPath::root().key("neighbourhood");
    let Some(r) = response else {
        c.bad(
            &np,
            "neighbourhood teams work in wards: they need a [response] section with [[wards]]",
        );
        return None;
    };
    let (members, shifts, teams) = teams(c, n, &np, r);
    if let Some(a) = n.abstract_after {
        if a.0 == 0 {
            c.bad(&np.key("abstract_after"), "must be more than 0 (leave it out to never take neighbourhood officers to response work)");
        }
    }
    if let Some(a) = n.pull_after {
        if a.0 == 0 {
            c.bad(&np.key("pull_after"), "must be more than 0: it is how late the best response unit may arrive, counted from the incident's creation, before a neighbourhood officer is pulled (leave it out to never pull)");
        }
    }
    let pulled_first = dispatch_order(c, n, &np);
    let abstract_grades = marks(
        c,
        &np.key("abstract_grades"),
        n.abstract_grades.as_deref(),
        &["I", "S"],
        [true, false],
        "grade",
    );
    let abstract_roles = marks(
        c,
        &np.key("abstract_roles"),
        n.abstract_roles.as_deref(),
        &ROLES,
        [false, true, false],
        "role",
    );
    let abstractions = abstractions(c, n, &np);
    let meetings = meetings(c, n, &np);
    Some(Neighbourhood {
        members,
        shifts,
        teams,
        abstract_after: n.abstract_after.filter(|a| a.0 > 0),
        pull_after: n.pull_after.filter(|a| a.0 > 0),
        pulled_first,
        abstract_grades,
        abstract_roles,
        abstractions,
        meetings,
    })
}

/// Whether `dispatch_order` puts a pulled neighbourhood officer before response units: the
/// list must name "response" and "pulled" once each, and "pulled" first needs `pull_after`
/// (the time the officer must arrive within).
fn dispatch_order(c: &mut Check, n: &NeighbourhoodFile, np: &FieldPath) -> bool {
    let Some(order) = &n.dispatch_order else {
        return false;
    };
    let p = np.key("dispatch_order");
    let names: Vec<&str> = order.iter().map(String::as_str).collect();
    let pulled_first = match names.as_slice() {
        ["response", "pulled"] => false,
        ["pulled", "response"] => true,
        _ => {
            c.bad(
                &p,
                format!(
                    "must be [\"response\", \"pulled\"] (response units first, then a pull: the default) or [\"pulled\", \"response\"] (a neighbourhood officer who can arrive within `pull_after` first); got {names:?}"
                ),
            );
            return false;
        }
    };
    if pulled_first && n.pull_after.is_none_or(|a| a.0 == 0) {
        c.bad(
            &p,
            "\"pulled\" first needs `pull_after` (above 0): a neighbourhood officer goes first when they can arrive within it of the incident's creation",
        );
        return false;
    }
    pulled_first
}

/// The teams' members and their shifts, and each ward's team (at most one a ward).
fn teams(
    c: &mut Check,
    n: &NeighbourhoodFile,
    np: &FieldPath,
    r: &Response,
) -> (Vec<Member>, Vec<MemberShift>, Vec<Vec<u32>>) {
    let mut members = Vec::new();
    let mut shifts = Vec::new();
    let mut teams: Vec<Vec<u32>> = vec![Vec::new(); r.wards.len()];
    if n.teams.is_empty() {
        c.bad(
            &np.key("teams"),
            "give at least one [[neighbourhood.teams]] with its members",
        );
    }
    for (t, team) in n.teams.iter().enumerate() {
        let tp = np.key("teams").index(t);
        let wards: Vec<usize> = match &team.wards {
            None => (0..r.wards.len()).collect(),
            Some(names) => {
                if names.is_empty() {
                    c.bad(
                        &tp.key("wards"),
                        "give at least one ward (or leave `wards` out for every ward)",
                    );
                }
                names
                    .iter()
                    .enumerate()
                    .filter_map(|(i, name)| {
                        let w = r.wards.iter().position(|w| &w.name == name);
                        if w.is_none() {
                            c.bad(
                                &tp.key("wards").index(i),
                                format!("unknown ward \"{name}\"; the wards are given in [[wards]] or wards_file"),
                            );
                        }
                        w
                    })
                    .collect()
            }
        };
        if team.members.is_empty() {
            c.bad(&tp.key("members"), "a team needs at least one member");
        }
        let mut shapes = Vec::new();
        for (m, mf) in team.members.iter().enumerate() {
            let mp = tp.key("members").index(m);
            let role = ROLES.iter().position(|x| *x == mf.role).unwrap_or_else(|| {
                c.bad(
                    &mp.key("role"),
                    format!(
                        "unknown role \"{}\"; allowed: {}",
                        mf.role,
                        ROLES.join(", ")
                    ),
                );
                0
            });
            let count = mf.count.unwrap_or(1);
            if !(1..=1000).contains(&count) {
                c.bad(
                    &mp.key("count"),
                    format!("must be a whole number from 1 to 1000 (got {count})"),
                );
            }
            let sh = duties(c, &mp.key("shifts"), &mf.shifts, false);
            if let Some(msg) = overlap(&sh) {
                c.bad(&mp.key("shifts"), msg);
            }
            let weekly = weekly_ms(&sh);
            if weekly == 0 {
                c.bad(
                    &mp.key("shifts"),
                    "this member is never on duty: give at least one shift (a time on duty of zero hours a week cannot be measured)",
                );
            }
            shapes.push((role, count.clamp(1, 1000) as u32, sh, weekly));
        }
        for &w in &wards {
            if !teams[w].is_empty() {
                c.bad(
                    &tp.key("wards"),
                    format!(
                        "ward \"{}\" already has a team; a ward has at most one",
                        r.wards[w].name
                    ),
                );
                continue;
            }
            for (role, count, sh, weekly) in &shapes {
                for _ in 0..*count {
                    let id = members.len() as u32;
                    members.push(Member {
                        ward: w,
                        role: *role,
                        weekly_duty_ms: *weekly,
                    });
                    teams[w].push(id);
                    shifts.extend(sh.iter().map(|s| MemberShift {
                        member: id,
                        shift: s.clone(),
                    }));
                }
            }
        }
    }
    if members.len() > 1_000_000 {
        c.bad(&np.key("teams"), "at most 1,000,000 team members");
    }
    (members, shifts, teams)
}

/// Planned abstractions (court, training, aid): the roles they take, at a rate or at fixed times.
fn abstractions(c: &mut Check, n: &NeighbourhoodFile, np: &FieldPath) -> Vec<Abstraction> {
    let mut abstractions = Vec::new();
    for (i, a) in n.abstractions.iter().enumerate() {
        let ap = np.key("abstractions").index(i);
        let class = PLANNED
            .iter()
            .find(|(name, _)| *name == a.cause)
            .map(|(_, k)| *k)
            .unwrap_or_else(|| {
                let allowed: Vec<&str> = PLANNED.iter().map(|(n, _)| *n).collect();
                c.bad(
                    &ap.key("cause"),
                    format!(
                        "unknown cause \"{}\"; allowed: {}",
                        a.cause,
                        allowed.join(", ")
                    ),
                );
                PLANNED[0].1
            });
        let roles = marks(
            c,
            &ap.key("roles"),
            a.roles.as_deref(),
            &ROLES,
            [true; 3],
            "role",
        );
        let per_week = a.per_week.unwrap_or(0.0);
        if !(per_week.is_finite() && (0.0..=100.0).contains(&per_week)) {
            c.bad(
                &ap.key("per_week"),
                format!("must be a number from 0 to 100 (got {per_week})"),
            );
        }
        let at = a.at.clone().unwrap_or_default();
        if a.per_week.is_none() && a.at.is_none() {
            c.bad(
                &ap,
                "give `per_week` (a rate per member) or `at` (fixed starts)",
            );
        }
        let whole_shift = a.whole_shift.unwrap_or(false);
        let length = match (&a.length, whole_shift) {
            (Some(l), false) => dist(c, &ap.key("length"), l),
            (None, true) => Some(Dist::Deterministic { value: Duration(0) }),
            (Some(_), true) => {
                c.bad(
                    &ap.key("length"),
                    "a whole-shift abstraction (`whole_shift = true`) lasts the member's whole next shift: leave `length` out",
                );
                None
            }
            (None, false) => {
                c.bad(
                    &ap.key("length"),
                    "missing: give how long each lasts (a distribution), or `whole_shift = true` for whole shifts",
                );
                None
            }
        };
        if let Some(length) = length {
            abstractions.push(Abstraction {
                whole_shift,
                class,
                roles,
                per_week: if per_week.is_finite() {
                    per_week.clamp(0.0, 100.0)
                } else {
                    0.0
                },
                at,
                length,
            });
        }
    }
    abstractions
}

/// The monthly ward panel meetings (T8).
fn meetings(c: &mut Check, n: &NeighbourhoodFile, np: &FieldPath) -> Option<Meetings> {
    n.meetings.as_ref().map(|m| {
        let mp = np.key("meetings");
        let week = m.week.unwrap_or(1);
        if !(1..=4).contains(&week) {
            c.bad(
                &mp.key("week"),
                format!("must be 1, 2, 3 or 4 (the week of the month; got {week})"),
            );
        }
        let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .position(|d| *d == m.day)
            .unwrap_or_else(|| {
                c.bad(
                    &mp.key("day"),
                    format!(
                        "unknown day \"{}\"; allowed: mon, tue, wed, thu, fri, sat, sun",
                        m.day
                    ),
                );
                0
            });
        if m.length.0 == 0 || m.length.0 > DAY {
            c.bad(
                &mp.key("length"),
                format!("must be more than 0 and at most 24h (got {})", m.length),
            );
        }
        let attendees = m.attendees.unwrap_or(1);
        if !(1..=1000).contains(&attendees) {
            c.bad(
                &mp.key("attendees"),
                format!("must be a whole number from 1 to 1000 (got {attendees})"),
            );
        }
        Meetings {
            week: week.clamp(1, 4) as u32,
            day,
            start: m.start,
            length: m.length,
            attendees: attendees.clamp(1, 1000) as u32,
        }
    })
}
