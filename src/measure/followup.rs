//! Figures of follow-up work (T7, T9-T14): for each stream of deadline tasks, the share done
//! within its deadline, lateness, what is still open, and the backlog.

use super::key::{Clock, KpiKey, Scope};
use super::{Emitter, Figure, Table};
use crate::model::field::{GroupOvertimeResult, StaffResult, StreamResult};
use crate::model::result::ratio;
use crate::scenario::Scenario;
use crate::scenario::officers::{CAUSES, ROLE_STAFF};

/// Statistics of a stream after its headline share, with how each comes from its counts.
const MORE: [Figure<StreamResult>; 5] = [
    ("tasks", |r, _| r.created as f64),
    ("done_late", |r, _| (r.done - r.within) as f64),
    ("open_at_end", |r, _| r.open_at_end as f64),
    ("mean_done_h", |r, _| {
        ratio(r.sum_done_ms, r.done) / 3_600_000.0
    }),
    ("mean_backlog", |r, window_ms| {
        r.backlog_area as f64 / window_ms as f64
    }),
];

pub(super) fn emit(sc: &Scenario, e: &mut Emitter) {
    let window = e.result().map_or(0, |r| r.window_ms);
    for (s, spec) in sc.followup.iter().enumerate() {
        if spec.background {
            continue;
        }
        let t = sc.target(spec.target);
        let stream = e.result().map(|r| {
            &r.response
                .as_ref()
                .expect("follow-up work runs on the field side")
                .work[s]
        });
        let key = |statistic, head: Option<(String, f64)>| {
            move || KpiKey {
                kpi: t.id,
                scope: Scope::Force.name(),
                scope_value: "all".into(),
                clock: Clock::None.name(),
                statistic,
                target: head.as_ref().map(|h| h.0.clone()),
                required: head.map(|h| h.1),
            }
        };
        let head = t.applies.then(|| (spec.deadline.to_string(), t.share));
        e.row(Table::Overall, key("share_within", head), stream, |r| {
            if t.applies {
                ratio(r.within, r.created)
            } else {
                f64::NAN
            }
        });
        for (statistic, value) in MORE {
            e.row(Table::Overall, key(statistic, None), stream, |r| {
                value(r, window)
            });
        }
    }
}

/// Overtime call-in of a workgroup's staff (kpi `overtime`, scope `team`, the workgroup's
/// name), each a week of the measured window: call-ins, staff-hours paid, their cost at role
/// `staff`'s overtime rate (with `[pay.roles.staff]`), and call-ins a cap held back.
pub(super) fn emit_overtime(sc: &Scenario, e: &mut Emitter) {
    let weeks = e
        .result()
        .map_or(1.0, |r| r.window_ms as f64 / crate::time::WEEK as f64);
    let staff = sc
        .pay
        .as_ref()
        .map(|p| &p.roles[crate::scenario::pay::ROLE_STAFF]);
    let rate = staff.and_then(|r| r.base.map(|b| b * r.overtime));
    for (g, group) in sc.workgroups.iter().enumerate() {
        if group.overtime.is_none() {
            continue;
        }
        let r = e.result().map(|r| {
            &r.response
                .as_ref()
                .expect("follow-up work runs on the field side")
                .work_overtime[g]
        });
        let k = |statistic| {
            move || KpiKey {
                kpi: "overtime",
                scope: Scope::Team.name(),
                scope_value: group.name.clone(),
                clock: Clock::None.name(),
                statistic,
                target: None,
                required: None,
            }
        };
        let hours = move |r: &GroupOvertimeResult| r.staff_ms as f64 / 3_600_000.0 / weeks;
        let o = Table::Overall;
        e.row(o, k("call_ins_per_week"), r, |r| r.call_ins as f64 / weeks);
        e.row(o, k("hours_per_week"), r, hours);
        if let Some(rate) = rate {
            // To the penny.
            e.row(o, k("cost_per_week"), r, |r| {
                (hours(r) * rate * 100.0).round() / 100.0
            });
        }
        e.row(o, k("held_back_per_week"), r, |r| {
            r.held_back as f64 / weeks
        });
    }
}

/// A staff member's contracted hours a week, for FTE.
const STAFF_WEEK_H: f64 = 37.0;

/// Lost shares of the staff's duty causes, by the names the neighbourhood teams' rows use.
const LOST: [&str; 6] = super::DUTY_STATS;

/// Counts of a workgroup's staff, with how each comes from its result.
const STAFF: [Figure<StaffResult>; 11] = [
    ("utilisation", |r, _| ratio(r.task_ms, r.on_duty_ms)),
    ("rostered_shifts", |r, _| r.rostered_shifts as f64),
    ("shifts_lost_leave", |r, _| r.lost_shifts[0] as f64),
    ("shifts_lost_sickness", |r, _| r.lost_shifts[1] as f64),
    ("shifts_lost_training", |r, _| r.lost_shifts[2] as f64),
    ("share_shifts_lost", |r, _| {
        ratio(r.lost_shifts.iter().sum(), r.rostered_shifts)
    }),
    ("breaks_due", |r, _| r.breaks[0] as f64),
    ("breaks_missed", |r, _| r.breaks[1] as f64),
    ("started", |r, _| r.started as f64),
    ("dropped", |r, _| r.dropped as f64),
    ("missed", |r, _| r.missed as f64),
];

/// The staff of workgroups as people (with staff duties or shrinkage): kpi `workgroups`, one
/// set of rows per workgroup.
pub(super) fn emit_staff(sc: &Scenario, e: &mut Emitter) {
    let o = &sc.officers;
    let duties: Vec<usize> = o
        .duties
        .iter()
        .filter(|d| d.roles[ROLE_STAFF])
        .map(|d| d.cause)
        .collect();
    let people =
        (!duties.is_empty() || !o.shrinkage[ROLE_STAFF].is_none()) && !sc.followup.is_empty();
    let src: Option<()> = e.result().map(|_| ());
    for (g, group) in sc.workgroups.iter().enumerate() {
        if group.shifts.is_empty() {
            // Posts kept filled at all times: no people to count.
            continue;
        }
        // Full-time equivalents: rostered staff-hours a week / 37 (a staff working week).
        let hours: u64 = group
            .shifts
            .iter()
            .map(|s| s.length.0 * s.days.iter().filter(|d| **d).count() as u64 * u64::from(s.count))
            .sum();
        let fte = hours as f64 / 3_600_000.0 / STAFF_WEEK_H;
        e.row(
            Table::Overall,
            || KpiKey {
                kpi: "workgroups",
                scope: Scope::Team.name(),
                scope_value: group.name.clone(),
                clock: Clock::None.name(),
                statistic: "fte",
                target: None,
                required: None,
            },
            src.as_ref(),
            |_| fte,
        );
        if !people {
            continue;
        }
        let r = e.result().map(|r| {
            &r.response
                .as_ref()
                .expect("follow-up work runs on the field side")
                .staff[g]
        });
        let key = |statistic| {
            move || KpiKey {
                kpi: "workgroups",
                scope: Scope::Team.name(),
                scope_value: group.name.clone(),
                clock: Clock::None.name(),
                statistic,
                target: None,
                required: None,
            }
        };
        for (statistic, value) in STAFF {
            e.row(Table::Overall, key(statistic), r, |r| value(r, 0));
        }
        for (c, statistic) in LOST.into_iter().enumerate() {
            if duties.contains(&c) {
                e.row(Table::Overall, key(statistic), r, |r| {
                    ratio(r.cause_ms[c], r.on_duty_ms)
                });
            }
        }
    }
    debug_assert_eq!(LOST.len(), CAUSES.len());
}
