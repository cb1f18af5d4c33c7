//! Escalation policies of the response side: mutual aid from a neighbouring area, and
//! deferral and downgrading under load.

use super::super::check::Check;
use super::super::check::dist;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::*;

/// Mutual aid: durations longer than 0, a travel distribution, aided grades that are
/// dispatched (I, S), at least one unit, a cost of at least 0. A section with
/// `enabled = false` is checked all the same, then left out.
pub(super) fn mutual_aid(
    c: &mut Check,
    r: &crate::scenario::file::ResponseFile,
) -> Option<MutualAid> {
    let a = r.mutual_aid.as_ref()?;
    let p = FieldPath::root().key("response").key("mutual_aid");
    let mut ok = true;
    for (key, d, what) in [
        (
            "after",
            a.after,
            "the time an incident may go without a unit before aid is called",
        ),
        (
            "delay",
            a.delay,
            "the neighbouring area's time to send its unit",
        ),
    ] {
        if d.0 == 0 {
            c.bad(&p.key(key), format!("{what} must be longer than 0s"));
            ok = false;
        }
    }
    let travel = dist(c, &p.key("travel"), &a.travel);
    ok &= travel.is_some();
    if let Some(cost) = a.cost_per_hour {
        if !(cost.is_finite() && cost >= 0.0) {
            c.bad(
                &p.key("cost_per_hour"),
                format!(
                    "the cost of an hour of aid must be a number of pounds, 0 or more (got {cost})"
                ),
            );
            ok = false;
        }
    }
    let units = match a.units {
        None => None,
        Some(n) if (1..=1_000_000).contains(&n) => Some(n as u32),
        Some(n) => {
            c.bad(
                &p.key("units"),
                format!("the neighbouring area lends from 1 to 1000000 units at once, or leave `units` out for no limit (got {n}); with none, aid never comes: set `enabled = false` instead"),
            );
            ok = false;
            None
        }
    };
    let mut grades = [false; 2];
    match &a.grades {
        None => grades[GRADE_I] = true,
        Some(list) if list.is_empty() => {
            c.bad(
                &p.key("grades"),
                "aid is called for at least one grade: give [\"I\"], [\"S\"] or both (leave `grades` out for I)",
            );
            ok = false;
        }
        Some(list) => {
            for (k, g) in list.iter().enumerate() {
                match GRADES.iter().position(|x| x.eq_ignore_ascii_case(g)) {
                    Some(i) if i <= GRADE_S => grades[i] = true,
                    Some(_) => {
                        c.bad(
                            &p.key("grades").index(k),
                            format!("grade \"{g}\" is not dispatched: aid comes to incidents of grade I or S only"),
                        );
                        ok = false;
                    }
                    None => {
                        c.bad(
                            &p.key("grades").index(k),
                            format!("no grade \"{g}\": the grades are I, S, E and R (aid comes to I or S)"),
                        );
                        ok = false;
                    }
                }
            }
        }
    }
    (ok && a.enabled != Some(false)).then(|| MutualAid {
        after: a.after,
        delay: a.delay,
        travel: travel.expect("checked"),
        cost_per_hour: a.cost_per_hour,
        units,
        grades,
    })
}

/// Deferral: a level of at least 1, a scope of "sector" or "force", and grades S and/or E
/// (never I: an emergency is always attended; R is never attended).
pub(super) fn deferral(c: &mut Check, r: &crate::scenario::file::ResponseFile) -> Option<Deferral> {
    let d = r.deferral.as_ref()?;
    let p = FieldPath::root().key("response").key("deferral");
    let mut ok = true;
    if !(1..=1_000_000).contains(&d.waiting_at_least) {
        c.bad(
            &p.key("waiting_at_least"),
            format!(
                "the rule applies when at least this many incidents wait for a unit: from 1 to 1000000 (got {})",
                d.waiting_at_least
            ),
        );
        ok = false;
    }
    let force_wide = match d.scope.as_deref() {
        None | Some("sector") => false,
        Some("force") => true,
        Some(other) => {
            c.bad(
                &p.key("scope"),
                format!("where waiting incidents are counted is \"sector\" (the incident's own) or \"force\" (got \"{other}\")"),
            );
            ok = false;
            false
        }
    };
    let mut grades = [false; 2];
    if d.grades.is_empty() {
        c.bad(
            &p.key("grades"),
            "the rule applies to at least one grade: [\"S\"] (deferred to an appointment), [\"E\"] (downgraded) or both",
        );
        ok = false;
    }
    for (k, g) in d.grades.iter().enumerate() {
        match GRADES.iter().position(|x| x.eq_ignore_ascii_case(g)) {
            Some(GRADE_S) => grades[0] = true,
            Some(GRADE_E) => grades[1] = true,
            Some(GRADE_I) => {
                c.bad(
                    &p.key("grades").index(k),
                    "grade I is never deferred or downgraded: an emergency is always attended (give \"S\" and/or \"E\")",
                );
                ok = false;
            }
            Some(_) => {
                c.bad(
                    &p.key("grades").index(k),
                    "grade R is resolved without attendance already: nothing to defer (give \"S\" and/or \"E\")",
                );
                ok = false;
            }
            None => {
                c.bad(
                    &p.key("grades").index(k),
                    format!("no grade \"{g}\": the grades are I, S, E and R (the rule applies to S and E)"),
                );
                ok = false;
            }
        }
    }
    (ok && d.enabled != Some(false)).then_some(Deferral {
        waiting_at_least: d.waiting_at_least as u32,
        force_wide,
        grades,
    })
}
