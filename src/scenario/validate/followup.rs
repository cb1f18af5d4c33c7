//! Validation of the workgroups and the follow-up streams they (or the neighbourhood teams) work.

use super::check::{Check, dist, duties, marks, weekly_ms};
use crate::scenario::Target;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::neighbourhood::*;
use crate::scenario::presets::TARGET_IDS;
use crate::scenario::response::{CATEGORIES, GRADES, Response};
use crate::time::{DAY, Deadline, Duration};

/// Targets a follow-up stream may measure.
const FOLLOWUP_TARGETS: [&str; 7] = ["T7", "T9", "T10", "T11", "T12", "T13", "T14"];

/// The workgroups, each named once and on duty some time.
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
            overtime: None,
        });
    }
    out
}

/// The follow-up streams: each measures one target, worked by a workgroup or the teams.
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
            background: false,
        });
    }
    // Each workgroup's own caseload, as a stream of its own after the pledge's.
    for (g, wf) in f.workgroups.iter().enumerate() {
        let Some(b) = &wf.background else { continue };
        let bp = FieldPath::root()
            .key("workgroups")
            .index(g)
            .key("background");
        if !(b.per_week.is_finite() && b.per_week > 0.0 && b.per_week <= 10_000_000.0) {
            c.bad(
                &bp.key("per_week"),
                format!(
                    "give a rate above 0 and at most 10,000,000 a week (got {})",
                    b.per_week
                ),
            );
        }
        let Some(work) = dist(c, &bp.key("work"), &b.work) else {
            continue;
        };
        if g >= groups.len() {
            continue;
        }
        out.push(Followup {
            target: "background",
            team: Team::Group(g),
            grades: [false; 4],
            categories: [false; 5],
            share: 0.0,
            per_week: b.per_week.clamp(0.0, 10_000_000.0),
            work,
            deadline: b
                .deadline
                .unwrap_or(crate::time::Deadline::Elapsed(Duration(
                    7 * crate::time::DAY,
                ))),
            case_length: None,
            notice: Duration(0),
            background: true,
        });
    }
    out
}
