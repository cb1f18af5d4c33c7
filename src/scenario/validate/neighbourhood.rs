//! Validation of neighbourhood teams, workgroups and follow-up work.

use super::{Check, days, dist};
use crate::scenario::file::*;
use crate::scenario::locate::FieldPath;
use crate::scenario::neighbourhood::*;
use crate::scenario::presets::TARGET_IDS;
use crate::scenario::response::{CATEGORIES, GRADES, Response};
use crate::scenario::{Shift, Target};
use crate::time::{DAY, Deadline, Duration};

/// Targets a follow-up stream may measure.
const FOLLOWUP_TARGETS: [&str; 7] = ["T7", "T9", "T10", "T11", "T12", "T13", "T14"];

/// Names from a fixed list, as marks; `None` gives `default`.
fn marks<const N: usize>(
    c: &mut Check,
    p: &FieldPath,
    given: Option<&[String]>,
    names: &[&str; N],
    default: [bool; N],
    what: &str,
) -> [bool; N] {
    let Some(list) = given else { return default };
    let mut out = [false; N];
    for (i, name) in list.iter().enumerate() {
        match names.iter().position(|n| n == name) {
            Some(k) => out[k] = true,
            None => c.bad(
                &p.index(i),
                format!("unknown {what} \"{name}\"; allowed: {}", names.join(", ")),
            ),
        }
    }
    if list.is_empty() {
        c.bad(p, format!("give at least one {what}"));
    }
    out
}

/// Shifts of a team member or a workgroup: each between 1 minute and 24 hours.
fn duties(c: &mut Check, p: &FieldPath, list: &[DutyFile], counted: bool) -> Vec<Shift> {
    let mut out = Vec::new();
    for (i, d) in list.iter().enumerate() {
        let sp = p.index(i);
        if d.length.0 == 0 || d.length.0 > DAY {
            c.bad(
                &sp.key("length"),
                format!(
                    "a shift's length must be more than 0 and at most 24h (got {})",
                    d.length
                ),
            );
        }
        let count = match (counted, d.count) {
            (false, Some(_)) => {
                c.bad(
                    &sp.key("count"),
                    "a team member's shifts have no count: give the member's `count` instead",
                );
                1
            }
            (_, None) => 1,
            (true, Some(n)) if !(1..=100_000).contains(&n) => {
                c.bad(
                    &sp.key("count"),
                    format!("must be a whole number from 1 to 100000 (got {n})"),
                );
                1
            }
            (true, Some(n)) => n as u32,
        };
        out.push(Shift {
            name: format!("shift {}", i + 1),
            start: d.start,
            length: d.length,
            days: days(c, &sp.key("days"), d.days.as_deref()),
            count,
            dedicated_999: 0,
            breaks: Vec::new(),
        });
    }
    out
}

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

fn weekly_ms(shifts: &[Shift]) -> u64 {
    shifts
        .iter()
        .map(|s| s.length.0 * s.days.iter().filter(|d| **d).count() as u64)
        .sum()
}

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
    if let Some(a) = n.abstract_after {
        if a.0 == 0 {
            c.bad(&np.key("abstract_after"), "must be more than 0 (leave it out to never take neighbourhood officers to response work)");
        }
    }
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
        if let Some(length) = dist(c, &ap.key("length"), &a.length) {
            abstractions.push(Abstraction {
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
    let meetings = n.meetings.as_ref().map(|m| {
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
    });
    Some(Neighbourhood {
        members,
        shifts,
        teams,
        abstract_after: n.abstract_after.filter(|a| a.0 > 0),
        abstract_grades,
        abstract_roles,
        abstractions,
        meetings,
    })
}

pub(super) fn workgroups(c: &mut Check, f: &ScenarioFile) -> Vec<Workgroup> {
    let gp = FieldPath::root().key("workgroups");
    let mut out = Vec::new();
    for (i, g) in f.workgroups.iter().enumerate() {
        let p = gp.index(i);
        if f.workgroups[..i].iter().any(|o| o.name == g.name) || g.name == "neighbourhood" {
            c.bad(
                &p.key("name"),
                format!("workgroup \"{}\" is named twice (\"neighbourhood\" is the neighbourhood teams)", g.name),
            );
        }
        let constant = g.constant.unwrap_or(0);
        if !(0..=100_000).contains(&constant) {
            c.bad(
                &p.key("constant"),
                format!("must be a whole number from 0 to 100000 (got {constant})"),
            );
        }
        let shifts = duties(c, &p.key("shifts"), &g.shifts, true);
        if constant <= 0 && weekly_ms(&shifts) == 0 {
            c.bad(
                &p,
                "this workgroup is never on duty: give `constant` staff or at least one shift",
            );
        }
        out.push(Workgroup {
            name: g.name.clone(),
            constant: constant.clamp(0, 100_000) as u32,
            shifts,
        });
    }
    out
}

pub(super) fn followup(
    c: &mut Check,
    f: &ScenarioFile,
    targets: &[Target],
    groups: &[Workgroup],
    hood: Option<&Neighbourhood>,
    response: Option<&Response>,
) -> Vec<Followup> {
    let fp = FieldPath::root().key("followup");
    let mut out = Vec::new();
    for (i, s) in f.followup.iter().enumerate() {
        let p = fp.index(i);
        let Some(target) = FOLLOWUP_TARGETS.iter().find(|t| **t == s.target) else {
            c.bad(
                &p.key("target"),
                format!(
                    "\"{}\" is not a follow-up commitment; allowed: {} (T8 is the teams' meetings, T1-T6 are measured from calls, incidents and teams)",
                    s.target,
                    FOLLOWUP_TARGETS.join(", ")
                ),
            );
            continue;
        };
        let t = &targets[TARGET_IDS
            .iter()
            .position(|x| x == target)
            .expect("a target id")];
        if !t.applies {
            c.bad(&p.key("target"), format!("the pledge in use does not make {target}; set [targets.{target}] applies = true and its time to measure it"));
        }
        if f.followup[..i].iter().any(|o| o.target == s.target) {
            c.bad(
                &p.key("target"),
                format!("{target} has two follow-up streams; give one"),
            );
        }
        let Some(deadline) = t.time else {
            if t.applies {
                c.bad(
                    &p.key("target"),
                    format!("{target} has no time; give [targets.{target}] time"),
                );
            }
            continue;
        };
        match deadline {
            Deadline::Elapsed(d) if d.0 == 0 => c.bad(
                &p.key("target"),
                format!("{target}'s time is zero: a deadline must be more than 0"),
            ),
            Deadline::WorkingDays(0) | Deadline::CalendarMonths(0) => c.bad(
                &p.key("target"),
                format!("{target}'s time is zero: a deadline must be more than 0"),
            ),
            _ => {}
        }
        let team = if s.team == "neighbourhood" {
            if hood.is_none() {
                c.bad(
                    &p.key("team"),
                    "\"neighbourhood\" needs a [neighbourhood] section with teams",
                );
            }
            Team::Neighbourhood
        } else if let Some(g) = groups.iter().position(|g| g.name == s.team) {
            Team::Group(g)
        } else {
            let mut names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            names.push("neighbourhood");
            c.bad(
                &p.key("team"),
                format!("unknown team \"{}\"; allowed: {}", s.team, names.join(", ")),
            );
            Team::Group(0)
        };
        let categories = marks(
            c,
            &p.key("categories"),
            s.categories.as_deref(),
            &CATEGORIES,
            [false; 5],
            "category",
        );
        let grades = marks(
            c,
            &p.key("grades"),
            s.grades.as_deref(),
            &GRADES,
            [true; 4],
            "grade",
        );
        let share = s.share.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&share) {
            c.bad(
                &p.key("share"),
                format!("must be from 0 to 1 (got {share})"),
            );
        }
        let per_week = s.per_week.unwrap_or(0.0);
        if !(per_week.is_finite() && (0.0..=1e7).contains(&per_week)) {
            c.bad(
                &p.key("per_week"),
                format!("must be a number from 0 to 10000000 (got {per_week})"),
            );
        }
        if s.categories.is_some() && response.is_none() {
            c.bad(&p.key("categories"), "tasks from incident categories need a [response] section (where calls are graded and categorised)");
        }
        if s.categories.is_none() && per_week <= 0.0 {
            c.bad(&p, "give `categories` (tasks from calls of those categories) or `per_week` (tasks at a rate)");
        }
        if response.is_none() && s.categories.is_none() {
            c.bad(&p, "follow-up work is simulated with the field side: it needs a [response] section with [[wards]]");
        }
        let case_length = match (&s.case_length, *target == "T9") {
            (Some(d), true) => dist(c, &p.key("case_length"), d),
            (Some(_), false) => {
                c.bad(
                    &p.key("case_length"),
                    "only T9 (victims kept informed) has cases",
                );
                None
            }
            (None, true) => {
                c.bad(&p, "T9 needs `case_length`: updates fall due every T9 time while a victim's case is open");
                None
            }
            (None, false) => None,
        };
        let notice = s.notice.unwrap_or(Duration(7 * DAY));
        if s.notice.is_some() && *target != "T9" {
            c.bad(
                &p.key("notice"),
                "only T9 (victims kept informed) has a notice period",
            );
        }
        if *target == "T9" {
            let interval = match deadline {
                Deadline::Elapsed(d) => d.0,
                Deadline::WorkingDays(n) => u64::from(n) * DAY,
                Deadline::CalendarMonths(n) => u64::from(n) * 28 * DAY,
            };
            if notice.0 >= interval {
                c.bad(
                    &p.key("notice"),
                    format!("must be shorter than the interval between updates ({deadline})"),
                );
            }
        }
        let Some(work) = dist(c, &p.key("work"), &s.work) else {
            continue;
        };
        out.push(Followup {
            target,
            team,
            grades,
            categories,
            share: share.clamp(0.0, 1.0),
            per_week: if per_week.is_finite() {
                per_week.max(0.0)
            } else {
                0.0
            },
            work,
            deadline,
            case_length,
            notice,
        });
    }
    out
}
