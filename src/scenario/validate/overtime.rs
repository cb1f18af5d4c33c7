//! Overtime call-in, of call handlers (`[contact_centre.overtime]`), of response units
//! (`[response.overtime]`) and of a workgroup's staff (a `[[workgroups]]` entry's `overtime`):
//! one rule, checked alike.

use super::check::Check;
use crate::scenario::Overtime;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::UnitOvertime;
use crate::time::{DAY, Duration};

/// A call-in rule as written, whoever it calls in.
struct Written {
    enabled: Option<bool>,
    level: i64,
    after: Duration,
    delay: Duration,
    length: Duration,
    /// The key of who is called in, its value, and what one call-in of none would add.
    staff: (&'static str, i64, &'static str),
    per_day: Option<i64>,
    per_week: Option<i64>,
}

/// A level, positive durations, a call-in delay within the run, staff and caps of at least
/// one; a length of at most a day. A section with `enabled = false` is checked all the same,
/// then left out (None).
fn rule(
    c: &mut Check,
    p: &FieldPath,
    o: &Written,
    run: &crate::scenario::RunSettings,
) -> Option<Overtime> {
    let mut ok = true;
    let mut whole = |c: &mut Check, key: &str, v: i64, lo: i64, why: &str| -> u32 {
        if (lo..=1_000_000).contains(&v) {
            v as u32
        } else {
            c.bad(
                &p.key(key),
                format!("`{key}` must be a whole number from {lo} to 1000000 (got {v}){why}"),
            );
            ok = false;
            0
        }
    };
    let level = whole(c, "level", o.level, 0, "");
    let (key, n, none) = o.staff;
    let staff = whole(c, key, n, 1, none);
    let cap = "; a cap of 0 never lets the policy call anyone in: leave the cap out for no cap, or set `enabled = false`";
    let per_day = o.per_day.map(|v| whole(c, "per_day", v, 1, cap));
    let per_week = o.per_week.map(|v| whole(c, "per_week", v, 1, cap));
    for (key, d, what) in [
        (
            "for",
            o.after,
            "the time the queue must stay above the level",
        ),
        ("delay", o.delay, "the call-in delay"),
        ("length", o.length, "a call-in's length"),
    ] {
        if d.0 == 0 {
            c.bad(&p.key(key), format!("{what} must be longer than 0s"));
            ok = false;
        }
    }
    if o.length.0 > DAY {
        c.bad(
            &p.key("length"),
            format!("a call-in's length must be at most 24h (got {})", o.length),
        );
        ok = false;
    }
    if o.delay > run.horizon {
        c.bad(
            &p.key("delay"),
            format!(
                "the call-in delay ({}) is longer than the run's horizon ({}): no one called in would ever arrive",
                o.delay, run.horizon
            ),
        );
        ok = false;
    }
    (ok && o.enabled != Some(false)).then_some(Overtime {
        level,
        after: o.after,
        delay: o.delay,
        length: o.length,
        staff,
        per_day,
        per_week,
    })
}

/// Overtime call-in of call handlers.
pub(super) fn handlers(
    c: &mut Check,
    f: &ScenarioFile,
    run: &crate::scenario::RunSettings,
) -> Option<Overtime> {
    let o = f.contact_centre.overtime.as_ref()?;
    let p = FieldPath::root().key("contact_centre").key("overtime");
    let w = Written {
        enabled: o.enabled,
        level: o.level,
        after: o.after,
        delay: o.delay,
        length: o.length,
        staff: ("staff", o.staff, "; a call-in of no staff adds no handler"),
        per_day: o.per_day,
        per_week: o.per_week,
    };
    rule(c, &p, &w, run)
}

/// Overtime call-in of response units: the rule, and a crew of 1 to 10 officers.
pub(super) fn units(
    c: &mut Check,
    f: &ScenarioFile,
    run: &crate::scenario::RunSettings,
) -> Option<UnitOvertime> {
    let o = f.response.as_ref()?.overtime.as_ref()?;
    let p = FieldPath::root().key("response").key("overtime");
    let w = Written {
        enabled: o.enabled,
        level: o.level,
        after: o.after,
        delay: o.delay,
        length: o.length,
        staff: ("units", o.units, "; a call-in of no units adds none"),
        per_day: o.per_day,
        per_week: o.per_week,
    };
    let crew = o.crew.unwrap_or(2);
    let crew_ok = (1..=10).contains(&crew);
    if !crew_ok {
        c.bad(
            &p.key("crew"),
            format!("a unit is crewed by 1 to 10 officers (got {crew})"),
        );
    }
    let rule = rule(c, &p, &w, run)?;
    crew_ok.then_some(UnitOvertime {
        rule,
        crew: crew as u32,
    })
}

/// Overtime call-in of each workgroup's staff, on the group's backlog (tasks waiting), set on
/// `groups` (validated in the same order as the file's entries).
pub(super) fn workgroups(
    c: &mut Check,
    f: &ScenarioFile,
    run: &crate::scenario::RunSettings,
    groups: &mut [crate::scenario::neighbourhood::Workgroup],
) {
    for (i, (wf, g)) in f.workgroups.iter().zip(groups.iter_mut()).enumerate() {
        let Some(o) = wf.overtime.as_ref() else {
            continue;
        };
        let p = FieldPath::root().key("workgroups").index(i).key("overtime");
        let w = Written {
            enabled: o.enabled,
            level: o.level,
            after: o.after,
            delay: o.delay,
            length: o.length,
            staff: ("staff", o.staff, "; a call-in of no staff adds no one"),
            per_day: o.per_day,
            per_week: o.per_week,
        };
        let worked = wf.background.is_some() || f.followup.iter().any(|s| s.team == wf.name);
        if !worked {
            c.bad(
                &p,
                format!(
                    "workgroup \"{}\" has no tasks (no [[followup]] stream with team = \"{}\", no `background`): its backlog never grows, so no one would be called in",
                    wf.name, wf.name
                ),
            );
        }
        g.overtime = rule(c, &p, &w, run).filter(|_| worked);
    }
}
