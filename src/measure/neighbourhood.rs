//! Figures of neighbourhood teams (T6 visible time, T8 public meetings): force-wide rows, and
//! the neighbourhood table (by ward and role, and the distribution of visible shares).

use super::key::{Clock, KpiKey, Scope};
use super::{Emitter, Table};
use crate::model::field::{
    HoodResult, Periods, SHARE_BINS, SHIFT_BACKFILLED, SHIFT_COUNTS, SHIFT_LOST_PLANNED,
    SHIFT_LOST_WHOLE, SHIFT_ROSTERED,
};
use crate::model::result::ratio;
use crate::scenario::Scenario;
use crate::scenario::neighbourhood::{BACKFILL, CLASSES, DUTY_CLASS, RESPONSE, ROLES, VISIBLE};
use crate::scenario::officers::HOOD_ROLES;

/// Lost-time statistics, one per cause of the abstractions and desk work (the classes after
/// visible and before the duties).
pub const LOST_STATS: [&str; 6] = [
    "lost_share_response",
    "lost_share_paperwork",
    "lost_share_court",
    "lost_share_training",
    "lost_share_aid",
    "lost_share_desk",
];

/// Lost-time statistics of the officers' duties, one per cause of `[officers]` (the last
/// classes): given when the scenario's `[officers]` has duties or shrinkage for neighbourhood
/// roles, and then the visible share and every lost share add up to 1.
pub const DUTY_STATS: [&str; 6] = [
    "lost_share_briefing",
    "lost_share_refreshment",
    "lost_share_station",
    "lost_share_partnership",
    "lost_share_custody",
    "lost_share_files",
];

/// The abstraction rate by cause, in the order of `Group::abstracted`.
const ABSTRACTION_STATS: [&str; 6] = [
    "abstraction_rate_leave",
    "abstraction_rate_sickness",
    "abstraction_rate_training",
    "abstraction_rate_aid",
    "abstraction_rate_court",
    "abstraction_rate_backfill",
];

/// Counts of shifts lost to shrinkage, given with [`DUTY_STATS`].
const SHIFT_STATS: [&str; 3] = [
    "shifts_lost_leave",
    "shifts_lost_sickness",
    "shifts_lost_training",
];

/// Whether a scenario's `[officers]` has duties or shrinkage for neighbourhood roles.
pub fn member_duties(sc: &Scenario) -> bool {
    sc.neighbourhood.is_some()
        && (sc
            .officers
            .duties
            .iter()
            .any(|d| d.roles[HOOD_ROLES].iter().any(|r| *r))
            || sc.officers.shrinkage[HOOD_ROLES]
                .iter()
                .any(|s| !s.is_none()))
}

/// The label of visible-share bin `k`: "0-5%" ... "95-100%", and "100%".
pub fn bin_label(k: usize) -> String {
    if k == SHARE_BINS - 1 {
        "100%".into()
    } else {
        format!("{}-{}%", k * 5, k * 5 + 5)
    }
}

/// The ward-and-role label of the neighbourhood table: "ward|role".
pub fn ward_role(ward: &str, role: &str) -> String {
    format!("{ward}|{role}")
}

fn key(
    kpi: &'static str,
    scope: Scope,
    scope_value: String,
    statistic: &'static str,
    headline: Option<(String, f64)>,
) -> KpiKey {
    KpiKey {
        kpi,
        scope: scope.name(),
        scope_value,
        clock: Clock::None.name(),
        statistic,
        target: headline.as_ref().map(|h| h.0.clone()),
        required: headline.map(|h| h.1),
    }
}

fn add_periods(a: &mut Periods, b: &Periods) {
    a.n += b.n;
    a.at += b.at;
    a.sum_share += b.sum_share;
    for (x, y) in a.bins.iter_mut().zip(&b.bins) {
        *x += y;
    }
}

/// Time by class, member-weeks and member-months of one group of members.
#[derive(Clone, Copy, Default)]
struct Group {
    ms: [u64; NCLASS],
    weeks: Periods,
    months: Periods,
    /// Breaks due and missed.
    breaks: [u64; 2],
    /// Rostered shifts and those lost, by cause (indices `SHIFT_*`).
    shifts: [u64; SHIFT_COUNTS],
}

const NCLASS: usize = CLASSES.len();

/// A week in milliseconds.
const WEEK_MS: f64 = 7.0 * 24.0 * 3_600_000.0;

impl Group {
    fn of(h: &HoodResult, w: usize, role: usize) -> Group {
        Group {
            ms: h.class_ms[w][role],
            weeks: h.weeks[w][role],
            months: h.months[w][role],
            breaks: h.breaks[w][role],
            shifts: h.shifts[w][role],
        }
    }
    fn add(&mut self, o: &Group) {
        for c in 0..NCLASS {
            self.ms[c] += o.ms[c];
        }
        for k in 0..2 {
            self.breaks[k] += o.breaks[k];
        }
        for k in 0..SHIFT_COUNTS {
            self.shifts[k] += o.shifts[k];
        }
        add_periods(&mut self.weeks, &o.weeks);
        add_periods(&mut self.months, &o.months);
    }
    fn duty(&self) -> u64 {
        self.ms.iter().sum()
    }
    /// Shifts lost, by the causes of the abstraction rate: leave, sickness, training (whole
    /// shifts and planned training), aid, court, backfill.
    fn abstracted(&self) -> [u64; 6] {
        let s = &self.shifts;
        let w = SHIFT_LOST_WHOLE;
        let p = SHIFT_LOST_PLANNED;
        [
            s[w],
            s[w + 1],
            s[w + 2] + s[p + 1],
            s[p + 2],
            s[p],
            s[SHIFT_BACKFILLED],
        ]
    }
    /// The share of rostered shifts lost to the causes `from..` of [`Group::abstracted`].
    fn abstraction_rate(&self, from: usize) -> f64 {
        ratio(
            self.abstracted()[from..].iter().sum(),
            self.shifts[SHIFT_ROSTERED],
        )
    }
    /// The share of duty time lost to cause `c` (a class other than visible).
    fn lost(&self, c: usize) -> f64 {
        ratio(self.ms[c], self.duty())
    }
}

/// A statistic and how it comes from a group's time.
type GroupFigure = (&'static str, fn(&Group) -> f64);

/// Rows of the time-use figures of one group: share of member-months (headline) and
/// member-weeks at the threshold, visible share, then what `more` adds, then lost shares (and,
/// with `duties`, the duties' lost shares, breaks and shifts).
#[allow(clippy::too_many_arguments)]
fn group_rows(
    e: &mut Emitter,
    table: Table,
    label: &str,
    head6: &Option<(String, f64)>,
    g: Option<&Group>,
    gate: &dyn Fn(f64) -> f64,
    more: &[GroupFigure],
    (duties, backfill): (bool, bool),
) {
    let scope = match table {
        Table::Overall => Scope::Force,
        _ => Scope::WardRole,
    };
    let k = |s, head: Option<(String, f64)>| move || key("T6", scope, label.to_string(), s, head);
    e.row(
        table,
        k("share_member_months_at_threshold", head6.clone()),
        g,
        |g| gate(ratio(g.months.at, g.months.n)),
    );
    e.row(table, k("share_member_weeks_at_threshold", None), g, |g| {
        ratio(g.weeks.at, g.weeks.n)
    });
    e.row(table, k("mean_visible_share", None), g, |g| {
        ratio(g.ms[VISIBLE], g.duty())
    });
    for (s, value) in more {
        e.row(table, k(s, None), g, value);
    }
    debug_assert_eq!(LOST_STATS.len() + DUTY_STATS.len(), CLASSES.len() - 2);
    for (i, s) in LOST_STATS.into_iter().enumerate() {
        e.row(table, k(s, None), g, |g| g.lost(i + 1));
    }
    if backfill {
        e.row(table, k("lost_share_backfill", None), g, |g| {
            g.lost(BACKFILL)
        });
        e.row(table, k("shifts_backfilled", None), g, |g| {
            g.shifts[SHIFT_BACKFILLED] as f64
        });
    }
    // The abstraction rate as forces report it: shifts lost (a shift counts when at least
    // half of it is lost to the cause) over rostered shifts, in all, without leave and
    // sickness, and by cause.
    e.row(table, k("rostered_shifts", None), g, |g| {
        g.shifts[SHIFT_ROSTERED] as f64
    });
    for (i, s) in [
        "shifts_lost_court",
        "shifts_lost_aid",
        "shifts_lost_training_planned",
    ]
    .into_iter()
    .enumerate()
    {
        let index = [
            SHIFT_LOST_PLANNED,
            SHIFT_LOST_PLANNED + 2,
            SHIFT_LOST_PLANNED + 1,
        ][i];
        e.row(table, k(s, None), g, move |g| g.shifts[index] as f64);
    }
    e.row(table, k("abstraction_rate", None), g, |g| {
        g.abstraction_rate(0)
    });
    e.row(
        table,
        k("abstraction_rate_excl_leave_sickness", None),
        g,
        |g| g.abstraction_rate(2),
    );
    for (i, s) in ABSTRACTION_STATS.into_iter().enumerate() {
        e.row(table, k(s, None), g, move |g| {
            ratio(g.abstracted()[i], g.shifts[SHIFT_ROSTERED])
        });
    }
    if !duties {
        return;
    }
    for (i, s) in DUTY_STATS.into_iter().enumerate() {
        e.row(table, k(s, None), g, |g| g.lost(DUTY_CLASS + i));
    }
    e.row(table, k("breaks_due", None), g, |g| g.breaks[0] as f64);
    e.row(table, k("breaks_missed", None), g, |g| g.breaks[1] as f64);
    for (i, s) in SHIFT_STATS.into_iter().enumerate() {
        e.row(table, k(s, None), g, |g| {
            g.shifts[SHIFT_LOST_WHOLE + i] as f64
        });
    }
    e.row(table, k("share_shifts_lost", None), g, |g| {
        ratio(
            g.shifts[SHIFT_LOST_WHOLE..SHIFT_BACKFILLED].iter().sum(),
            g.shifts[SHIFT_ROSTERED],
        )
    });
}

pub(super) fn emit(sc: &Scenario, e: &mut Emitter) {
    let (Some(r), Some(n)) = (&sc.response, &sc.neighbourhood) else {
        return;
    };
    let h: Option<&HoodResult> = e.result().map(|res| {
        res.response
            .as_ref()
            .and_then(|f| f.hood.as_ref())
            .expect("a scenario with neighbourhood teams has their result")
    });
    let gate6 = |v: f64| if sc.target("T6").applies { v } else { f64::NAN };
    let gate8 = |v: f64| if sc.target("T8").applies { v } else { f64::NAN };
    let t6 = sc.target("T6");
    let threshold = t6.threshold.unwrap_or(0.8);
    let head6 = t6
        .applies
        .then(|| (format!("{:.0}% visible", threshold * 100.0), t6.share));
    let t8 = sc.target("T8");
    let head8 = t8.applies.then(|| ("monthly".to_string(), t8.share));
    let duties = member_duties(sc);
    let backfill = r.teams.iter().any(|t| t.minimum > 0);

    // Force-wide: every ward and role together, and by role for the distribution.
    let mut force = Group::default();
    let mut by_role = [Periods::default(); 3];
    if let Some(h) = h {
        for w in 0..h.class_ms.len() {
            for (k, role) in by_role.iter_mut().enumerate() {
                force.add(&Group::of(h, w, k));
                add_periods(role, &h.months[w][k]);
            }
        }
    }
    let force_src = h.map(|_| &force);
    let o = Table::Overall;
    group_rows(
        e,
        o,
        "all",
        &head6,
        force_src,
        &gate6,
        &[
            ("mean_member_month_share", |g| {
                if g.months.n == 0 {
                    f64::NAN
                } else {
                    g.months.sum_share / g.months.n as f64
                }
            }),
            ("member_months", |g| g.months.n as f64),
            ("member_weeks", |g| g.weeks.n as f64),
        ],
        (duties, backfill),
    );
    let all = || "all".to_string();
    // The public's view: visible officer-hours a ward with a team gets in a week, on average.
    let wards = n.teams.iter().filter(|t| !t.is_empty()).count().max(1) as f64;
    let weeks = e.result().map_or(1.0, |r| r.window_ms as f64 / WEEK_MS);
    e.row(
        o,
        || {
            key(
                "T6",
                Scope::Force,
                all(),
                "visible_hours_per_ward_week",
                None,
            )
        },
        force_src,
        |g| g.ms[VISIBLE] as f64 / 3_600_000.0 / wards / weeks,
    );
    e.row(
        o,
        || key("T6", Scope::Force, all(), "sent_to_response", None),
        h,
        |h| h.to_response as f64,
    );
    if n.pull_after.is_some() {
        e.row(
            o,
            || key("T6", Scope::Force, all(), "pulled", None),
            h,
            |h| h.pulled as f64,
        );
    }
    e.row(
        o,
        || key("T6", Scope::Force, all(), "sent_to_response_per_week", None),
        h,
        |h| h.to_response as f64 / weeks,
    );
    e.row(
        o,
        || key("T6", Scope::Force, all(), "response_hours_per_week", None),
        force_src,
        |g| g.ms[RESPONSE] as f64 / 3_600_000.0 / weeks,
    );
    if backfill {
        e.row(
            o,
            || key("T6", Scope::Force, all(), "backfill_shifts_per_week", None),
            force_src,
            |g| g.shifts[SHIFT_BACKFILLED] as f64 / weeks,
        );
    }
    e.row(
        o,
        || key("T6", Scope::Force, all(), "planned_abstractions", None),
        h,
        |h| h.planned as f64,
    );
    if n.meetings.is_some() {
        let due = |h: &HoodResult| h.meetings.iter().map(|m| m[0]).sum::<u64>();
        let held = |h: &HoodResult| h.meetings.iter().map(|m| m[1]).sum::<u64>();
        e.row(
            o,
            || key("T8", Scope::Force, all(), "share_held", head8.clone()),
            h,
            |h| gate8(ratio(held(h), due(h))),
        );
        e.row(
            o,
            || key("T8", Scope::Force, all(), "meetings_due", None),
            h,
            |h| due(h) as f64,
        );
    }

    if !e.wants(Table::Hood) {
        return;
    }
    // The neighbourhood table: each ward's roles, then the ward as a whole.
    for (w, ward) in r.wards.iter().enumerate() {
        if n.teams[w].is_empty() {
            continue;
        }
        let roles: Vec<usize> = (0..3)
            .filter(|&k| n.teams[w].iter().any(|&m| n.members[m as usize].role == k))
            .collect();
        let mut whole = Group::default();
        let groups: Option<Vec<Group>> = h.map(|h| {
            let mut gs: Vec<Group> = roles.iter().map(|&k| Group::of(h, w, k)).collect();
            for g in &gs {
                whole.add(g);
            }
            gs.push(whole);
            gs
        });
        for (i, k) in roles.iter().map(|&k| Some(k)).chain([None]).enumerate() {
            let label = ward_role(&ward.name, k.map_or("all", |k| ROLES[k]));
            let g = groups.as_ref().map(|gs| &gs[i]);
            group_rows(
                e,
                Table::Hood,
                &label,
                &head6,
                g,
                &gate6,
                &[("member_months", |g| g.months.n as f64)],
                (duties, backfill),
            );
        }
        if n.meetings.is_some() {
            let label = ward_role(&ward.name, "all");
            e.row(
                Table::Hood,
                || {
                    key(
                        "T8",
                        Scope::WardRole,
                        label.clone(),
                        "share_held",
                        head8.clone(),
                    )
                },
                h,
                |h| gate8(ratio(h.meetings[w][1], h.meetings[w][0])),
            );
            e.row(
                Table::Hood,
                || key("T8", Scope::WardRole, label.clone(), "meetings_due", None),
                h,
                |h| h.meetings[w][0] as f64,
            );
        }
    }
    // The distribution of visible shares over member-months, by role and for everyone.
    for k in (0..3).map(Some).chain([None]) {
        let role = k.map_or("all", |k| ROLES[k]);
        if k.is_some_and(|k| !n.members.iter().any(|m| m.role == k)) {
            continue;
        }
        let p = h.map(|_| match k {
            Some(k) => by_role[k],
            None => force.months,
        });
        for b in 0..SHARE_BINS {
            e.row(
                Table::Hood,
                || {
                    key(
                        "T6",
                        Scope::VisibleShareBin,
                        ward_role(&bin_label(b), role),
                        "share_of_member_months",
                        None,
                    )
                },
                p.as_ref(),
                |p| ratio(p.bins[b], p.n),
            );
        }
    }
}

/// Each ward's neighbourhood team as people (kpi `teams`, scope `ward`): members in post
/// (`establishment`) and their full-time equivalents (`fte`: rostered hours a week / 40, a
/// member's weekly pattern being their contracted time).
pub(super) fn emit_teams(sc: &Scenario, e: &mut Emitter) {
    let (Some(r), Some(n)) = (&sc.response, &sc.neighbourhood) else {
        return;
    };
    let src: Option<()> = e.result().map(|_| ());
    for (w, team) in n.teams.iter().enumerate() {
        if team.is_empty() {
            continue;
        }
        let members = team.len() as f64;
        let hours: u64 = team
            .iter()
            .map(|&m| n.members[m as usize].weekly_duty_ms)
            .sum();
        let fte = hours as f64 / 3_600_000.0 / 40.0;
        let k = |statistic| {
            move || KpiKey {
                kpi: "teams",
                scope: Scope::Ward.name(),
                scope_value: r.wards[w].name.clone(),
                clock: Clock::None.name(),
                statistic,
                target: None,
                required: None,
            }
        };
        e.row(Table::Overall, k("establishment"), src.as_ref(), |_| {
            members
        });
        e.row(Table::Overall, k("fte"), src.as_ref(), |_| fte);
    }
}
