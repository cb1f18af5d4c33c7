//! Validation of officers' time: duties, shrinkage and custody suites.

use super::check::{Check, choice, dist, marks};
use crate::scenario::file::{OfficerDutyFile, ScenarioFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::neighbourhood::{Neighbourhood, Workgroup};
use crate::scenario::officers::*;
use crate::scenario::response::{CATEGORIES, Response};
use crate::time::{DAY, Duration};

pub(super) fn officers(
    c: &mut Check,
    f: &ScenarioFile,
    response: Option<&Response>,
    neighbourhood: Option<&Neighbourhood>,
    workgroups: &[Workgroup],
) -> Officers {
    let Some(o) = &f.officers else {
        return Officers::default();
    };
    let op = FieldPath::root().key("officers");
    // The longest shift of each role (over DUTY_ROLES), where the scenario has that role.
    let mut longest: [Option<Duration>; 6] = [
        response.map(longest_unit_shift),
        None,
        None,
        None,
        None,
        None,
    ];
    longest[ROLE_STAFF] = workgroups
        .iter()
        .flat_map(|g| g.shifts.iter().map(|s| s.length))
        .max();
    if let Some(n) = neighbourhood {
        for s in &n.shifts {
            let role = 1 + n.members[s.member as usize].role;
            longest[role] = Some(longest[role].map_or(s.shift.length, |l| l.max(s.shift.length)));
        }
    }
    let mut duties = Vec::new();
    if o.duties.len() > MAX_DUTIES {
        c.bad(
            &op.key("duties"),
            format!("at most {MAX_DUTIES} duties (got {})", o.duties.len()),
        );
    }
    for (i, d) in o.duties.iter().enumerate() {
        if let Some(duty) = duty(c, d, &op.key("duties").index(i), longest) {
            duties.push(duty);
        }
    }
    if duties.iter().any(|d| d.roles[ROLE_RESPONSE]) && f.response.is_none() {
        c.bad(
            &op.key("duties"),
            "duties of the \"response\" role need a [response] section",
        );
    }
    if duties
        .iter()
        .any(|d| d.roles[HOOD_ROLES].iter().any(|r| *r))
        && f.neighbourhood.is_none()
    {
        c.bad(
            &op.key("duties"),
            "duties of neighbourhood roles (sergeant, pc, pcso) need a [neighbourhood] section",
        );
    }

    if (!o.teams.is_empty() || !o.rotas.is_empty()) && f.response.is_none() {
        c.bad(&op, "response teams and rotas need a [response] section");
    }
    let mut shrinkage = [Shrinkage::default(); 6];
    let mut given = [false; 6];
    for (i, s) in o.shrinkage.iter().enumerate() {
        let sp = op.key("shrinkage").index(i);
        let roles = marks(
            c,
            &sp.key("roles"),
            s.roles.as_deref(),
            &DUTY_ROLES,
            DEFAULT_ROLES,
            "role",
        );
        let mut share = |field: &str, v: Option<f64>| {
            let v = v.unwrap_or(0.0);
            if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
                c.bad(
                    &sp.key(field),
                    format!("must be a share from 0 to 1 (got {v})"),
                );
                return 0.0;
            }
            v
        };
        let sh = Shrinkage {
            leave: share("leave", s.leave),
            sickness: share("sickness", s.sickness),
            training: share("training", s.training),
        };
        if sh.total() >= 1.0 {
            c.bad(
                &sp,
                format!(
                    "leave, sickness and training together must be below 1 (got {})",
                    sh.total()
                ),
            );
        }
        for (k, on) in roles.iter().enumerate() {
            if *on {
                if given[k] {
                    c.bad(
                        &sp.key("roles"),
                        format!("role \"{}\" already has a shrinkage entry", DUTY_ROLES[k]),
                    );
                }
                given[k] = true;
                shrinkage[k] = sh;
            }
        }
    }

    let staff = duties.iter().any(|d| d.roles[ROLE_STAFF]) || !shrinkage[ROLE_STAFF].is_none();
    if staff && longest[ROLE_STAFF].is_none() {
        c.bad(
            &op,
            "duties and shrinkage of role \"staff\" need a [[workgroups]] entry with shifts (`constant` staff are posts kept filled at all times)",
        );
    }

    if !shrinkage[ROLE_APPOINTMENTS].is_none() && response.is_none_or(|r| r.appointments.is_empty())
    {
        c.bad(
            &op,
            "shrinkage of role \"appointments\" needs [[roster.appointments]] sessions",
        );
    }

    // Backfill: every role a team would take has someone in the sector's wards to take.
    if let (Some(r), Some(n)) = (response, neighbourhood) {
        for (i, team) in r.teams.iter().enumerate().filter(|(_, t)| t.minimum > 0) {
            for (k, &role) in team.backfill.iter().enumerate() {
                let any = n
                    .members
                    .iter()
                    .any(|m| m.role == role && r.wards[m.ward].sector == team.sector);
                if !any {
                    c.bad(
                        &op.key("teams").index(i).key("backfill").index(k),
                        format!(
                            "no {} of a neighbourhood team works in sector \"{}\"'s wards, so none can be taken for team \"{}\"",
                            crate::scenario::neighbourhood::ROLES[role],
                            r.sectors[team.sector].name,
                            team.name
                        ),
                    );
                }
            }
        }
    }

    let mut custody_suites: Vec<CustodySuite> = Vec::new();
    for (i, s) in o.custody_suites.iter().enumerate() {
        let sp = op.key("custody_suites").index(i);
        if custody_suites.iter().any(|k| k.name == s.name) {
            c.bad(
                &sp.key("name"),
                format!("custody suite \"{}\" is named twice", s.name),
            );
        }
        let projection = response.and_then(|r| r.map.as_ref()).map(|m| m.projection);
        let at = match (s.at, s.at_lonlat, projection) {
            (Some(_), Some(_), _) | (None, None, _) => {
                c.bad(
                    &sp,
                    "give the suite's place as `at` (km) or `at_lonlat`, one of them",
                );
                continue;
            }
            (Some(at), None, _) => (at[0], at[1]),
            (None, Some(_), None) if response.is_some() => {
                c.bad(
                    &sp.key("at_lonlat"),
                    "a place by longitude and latitude needs the wards from a [map]",
                );
                continue;
            }
            (None, Some(_), None) => (f64::NAN, f64::NAN),
            (None, Some([lon, lat]), Some(p)) => p.project(lon, lat),
        };
        let key = if s.at.is_some() { "at" } else { "at_lonlat" };
        match response {
            Some(r) if !r.wards.iter().any(|w| w.contains(at)) => c.bad(
                &sp.key(key),
                format!(
                    "[{}, {}] lies outside every ward; a custody suite must be inside one",
                    s.at.or(s.at_lonlat).map_or(f64::NAN, |a| a[0]),
                    s.at.or(s.at_lonlat).map_or(f64::NAN, |a| a[1])
                ),
            ),
            None if f.response.is_none() => c.bad(&sp, "custody suites need a [response] section"),
            _ => {}
        }
        custody_suites.push(CustodySuite {
            name: s.name.clone(),
            at,
        });
    }
    Officers {
        duties,
        shrinkage,
        custody_suites,
    }
}

/// The longest shift of a response unit (a day when units are on duty at all times).
fn longest_unit_shift(r: &Response) -> Duration {
    let mut longest = r
        .unit_shifts
        .iter()
        .map(|u| u.shift.length)
        .max()
        .unwrap_or(Duration(0));
    if r.constant_units.iter().any(|n| *n > 0) {
        longest = Duration(DAY);
    }
    longest
}

fn duty(
    c: &mut Check,
    d: &OfficerDutyFile,
    p: &FieldPath,
    longest: [Option<Duration>; 6],
) -> Option<Duty> {
    let cause = CAUSES
        .iter()
        .position(|k| *k == d.cause)
        .unwrap_or_else(|| {
            c.bad(
                &p.key("cause"),
                format!(
                    "unknown cause \"{}\"; allowed: {}",
                    d.cause,
                    CAUSES.join(", ")
                ),
            );
            0
        });
    let roles = marks(
        c,
        &p.key("roles"),
        d.roles.as_deref(),
        &DUTY_ROLES,
        DEFAULT_ROLES,
        "role",
    );
    let only = |c: &mut Check, field: &str, given: bool, kind: &str| {
        if given {
            c.bad(
                &p.key(field),
                format!("`{field}` is only for duties with when = \"{kind}\""),
            );
        }
    };
    let length = dist(c, &p.key("length"), &d.length);
    let when = match d.when.as_str() {
        "shift_start" => Some(When::ShiftStart),
        "break" => {
            let (Some(after), Some(latest)) = (d.after, d.latest) else {
                c.bad(
                    p,
                    "a break needs `after` and `latest` (times into the shift)",
                );
                return None;
            };
            if latest < after {
                c.bad(
                    &p.key("latest"),
                    format!("must not be before `after` ({after})"),
                );
            }
            // The longest shift of the duty's roles.
            let longest = (0..6)
                .filter(|&k| roles[k])
                .filter_map(|k| longest[k])
                .max();
            if let Some(longest) = longest {
                if longest.0 > 0 && after >= longest {
                    c.bad(
                        &p.key("after"),
                        format!("{after} is not within any shift (the longest is {longest})"),
                    );
                }
                if let Some(l) = &length {
                    if longest.0 > 0 && l.mean_secs() * 1000.0 > longest.0 as f64 {
                        c.bad(
                            &p.key("length"),
                            format!("a break longer than a shift (the longest is {longest})"),
                        );
                    }
                }
            }
            Some(When::Break { after, latest })
        }
        "per_week" => {
            let v = d.per_week.unwrap_or(f64::NAN);
            if !(v.is_finite() && v > 0.0 && v <= 1000.0) {
                c.bad(
                    &p.key("per_week"),
                    format!("give a rate above 0 and at most 1000 per officer per week (got {v})"),
                );
            }
            Some(When::PerWeek { per_week: v })
        }
        "after_incident" => {
            let prob = |c: &mut Check, path: &FieldPath, v: f64| {
                if c.probability(path, v) { v } else { 0.0 }
            };
            let by_grade = match &d.probability {
                Some(g) => [
                    prob(c, &p.key("probability").key("I"), g.i),
                    prob(c, &p.key("probability").key("S"), g.s),
                ],
                None => {
                    c.bad(
                        p,
                        "a duty after incidents needs `probability = { I = .., S = .. }`",
                    );
                    [0.0; 2]
                }
            };
            let mut by_category = [None; 5];
            for (name, v) in &d.by_category {
                let cp = p.key("by_category").key(name);
                match CATEGORIES.iter().position(|k| k == name) {
                    Some(k) => by_category[k] = Some(prob(c, &cp, *v)),
                    None => c.bad(
                        &cp,
                        format!(
                            "unknown category \"{name}\"; allowed: {}",
                            CATEGORIES.join(", ")
                        ),
                    ),
                }
            }
            Some(When::AfterIncident {
                by_grade,
                by_category,
            })
        }
        other => {
            c.bad(
                &p.key("when"),
                format!(
                    "unknown \"{other}\"; allowed: shift_start, break, per_week, after_incident"
                ),
            );
            None
        }
    };
    let kind = d.when.as_str();
    only(c, "after", d.after.is_some() && kind != "break", "break");
    only(c, "latest", d.latest.is_some() && kind != "break", "break");
    only(
        c,
        "per_week",
        d.per_week.is_some() && kind != "per_week",
        "per_week",
    );
    only(
        c,
        "probability",
        d.probability.is_some() && kind != "after_incident",
        "after_incident",
    );
    only(
        c,
        "by_category",
        !d.by_category.is_empty() && kind != "after_incident",
        "after_incident",
    );
    let resume = choice(
        c,
        &p.key("interrupted"),
        d.interrupted.as_deref(),
        &[("resume", true), ("restart", false)],
        "choice",
    );
    let if_busy = choice(
        c,
        &p.key("if_busy"),
        d.if_busy.as_deref(),
        &[("defer", IfBusy::Defer), ("drop", IfBusy::Drop)],
        "choice",
    );
    let default_place = if d.cause == "custody" {
        "custody"
    } else {
        "here"
    };
    let place = choice(
        c,
        &p.key("place"),
        Some(d.place.as_deref().unwrap_or(default_place)),
        &[
            ("here", Place::Here),
            ("base", Place::Base),
            ("custody", Place::Custody),
        ],
        "place",
    );
    let interruptible = d.interruptible.unwrap_or(false);
    if interruptible && kind == "after_incident" {
        c.bad(
            &p.key("interruptible"),
            "a duty after an incident (custody, files) cannot be interrupted",
        );
    }
    if roles[ROLE_APPOINTMENTS] {
        c.bad(
            &p.key("roles"),
            "appointment sessions give their officers net of duties: role \"appointments\" takes shrinkage only",
        );
    }
    if roles[ROLE_STAFF] {
        // Workgroup staff attend no incidents and have no place on the map.
        if kind == "after_incident" {
            c.bad(
                &p.key("roles"),
                "the staff of workgroups attend no incidents: a duty after incidents cannot include role \"staff\"",
            );
        }
        if place != Place::Here {
            c.bad(
                &p.key("place"),
                "the staff of workgroups do their duties where they work: a duty of role \"staff\" has place = \"here\"",
            );
        }
        if interruptible {
            c.bad(
                &p.key("interruptible"),
                "the staff of workgroups attend no emergencies: a duty of role \"staff\" cannot be interruptible",
            );
        }
    }
    Some(Duty {
        cause,
        roles,
        when: when?,
        length: length?,
        interruptible,
        resume,
        if_busy,
        place,
    })
}
