//! Figures of the response side: attendance (T3 emergencies, T4 priority) on both clocks, by
//! ward type, hour and ward; appointments (T5); response units and grading.

use super::key::{Clock, KpiKey, Scope, WardType};
use super::{Emitter, Table, hours};
use crate::model::field::{Attendance, DeskResult, ResponseResult, UNIT_CAUSES};
use crate::model::result::ratio;
use crate::scenario::Scenario;
use crate::scenario::officers::{CAUSES, ROLE_APPOINTMENTS, ROLE_RESPONSE};
use crate::scenario::response::{GRADE_I, GRADE_S, GRADES};
use crate::stats::Histogram;

/// A target's time as written in tables: "15min", or "15min urban, 20min rural".
pub fn target_text(t: &crate::scenario::Target) -> String {
    match (t.time, t.rural_time) {
        (Some(u), Some(r)) if Some(u) != Some(r) => format!("{u} urban, {r} rural"),
        (Some(u), _) => u.to_string(),
        _ => String::new(),
    }
}

/// The share within the target and the mean time to attend (s) of a group, on one clock.
fn attendance(a: &Attendance, clock: Clock) -> [f64; 2] {
    let (within, sum) = match clock {
        Clock::Call => (a.within_call, a.sum_call_ms),
        _ => (a.within_incident, a.sum_incident_ms),
    };
    [ratio(within, a.incidents), ratio(sum, a.attended) / 1000.0]
}

fn quantile_s(h: &Histogram, p: f64) -> f64 {
    h.quantile(p).map_or(f64::NAN, |ms| ms / 1000.0)
}

fn plain(kpi: &'static str, scope: Scope, scope_value: &str, statistic: &'static str) -> KpiKey {
    KpiKey {
        kpi,
        scope: scope.name(),
        scope_value: scope_value.to_string(),
        clock: Clock::None.name(),
        statistic,
        target: None,
        required: None,
    }
}

pub(super) fn emit(sc: &Scenario, e: &mut Emitter) {
    let Some(spec) = &sc.response else {
        return;
    };
    let f: Option<&ResponseResult> = e.result().map(|r| {
        r.response
            .as_ref()
            .expect("a scenario with a response side has its result")
    });
    // Shares against a target the pledge does not make are undefined.
    let gate = |id: &str, share: f64| {
        if sc.target(id).applies {
            share
        } else {
            f64::NAN
        }
    };
    for (g, id) in [(GRADE_I, "T3"), (GRADE_S, "T4")] {
        let t = sc.target(id);
        let target = target_text(t);
        let key = |scope: Scope, scope_value: &str, clock: Clock, statistic: &'static str| KpiKey {
            kpi: t.id,
            scope: scope.name(),
            scope_value: scope_value.to_string(),
            clock: clock.name(),
            statistic,
            // A target the pledge does not make has no share to meet (its rows stay, empty).
            target: (statistic == "share_within" && t.applies).then(|| target.clone()),
            required: (statistic == "share_within" && t.applies).then_some(t.share),
        };
        let mut all = Attendance::default();
        if let Some(f) = f {
            for t in &f.by_type[g] {
                all.add(t);
            }
        }
        let grade = GRADES[g];
        for clock in [Clock::Call, Clock::Incident] {
            let hist = f.map(|f| match clock {
                Clock::Call => &f.hist_call[g],
                _ => &f.hist_incident[g],
            });
            let k = |s| move || key(Scope::Grade, grade, clock, s);
            let o = Table::Overall;
            e.row(o, k("share_within"), f, |_| {
                gate(id, attendance(&all, clock)[0])
            });
            e.row(o, k("mean_attend_s"), f, |_| attendance(&all, clock)[1]);
            e.row(o, k("p50_attend_s"), hist, |h| quantile_s(h, 0.5));
            e.row(o, k("p90_attend_s"), hist, |h| quantile_s(h, 0.9));
            e.row(o, k("p95_attend_s"), hist, |h| quantile_s(h, 0.95));
            if clock == Clock::Call {
                e.row(o, k("incidents"), f, |_| all.incidents as f64);
                e.row(o, k("unattended"), f, |_| {
                    (all.incidents - all.attended) as f64
                });
            }
            for (ty, ward_type) in WardType::ALL.into_iter().enumerate() {
                e.row(
                    o,
                    || key(Scope::WardType, ward_type.name(), clock, "share_within"),
                    f,
                    |f| gate(id, attendance(&f.by_type[g][ty], clock)[0]),
                );
            }
        }
        e.row(
            Table::Overall,
            || key(Scope::Grade, grade, Clock::Incident, "mean_wait_for_unit_s"),
            f,
            |_| ratio(all.sum_wait_ms, all.dispatched) / 1000.0,
        );
        e.row(
            Table::Overall,
            || key(Scope::Grade, grade, Clock::Call, "mean_lead_in_s"),
            f,
            |_| ratio(all.sum_lead_in_ms, all.incidents) / 1000.0,
        );
        if spec.dispatchers.is_some() {
            e.row(
                Table::Overall,
                || {
                    key(
                        Scope::Grade,
                        grade,
                        Clock::Incident,
                        "mean_wait_for_dispatcher_s",
                    )
                },
                f,
                |f| {
                    let d = f
                        .desk
                        .as_ref()
                        .expect("a scenario with dispatchers has their result");
                    ratio(d.wait_ms[g], d.taken[g]) / 1000.0
                },
            );
        }
        for h in 0..hours(e) {
            let hs = h.to_string();
            let by_hour = f.map(|f| &f.by_hour[h][g]);
            e.row(
                Table::Hourly,
                || key(Scope::HourOfWeek, &hs, Clock::Call, "share_within"),
                by_hour,
                |a| gate(id, attendance(a, Clock::Call)[0]),
            );
            e.row(
                Table::Hourly,
                || key(Scope::HourOfWeek, &hs, Clock::Call, "incidents"),
                by_hour,
                |a| a.incidents as f64,
            );
        }
        for (w, ward) in spec
            .wards
            .iter()
            .enumerate()
            .take(if e.wants(Table::Wards) { usize::MAX } else { 0 })
        {
            let a = f.map(|f| &f.by_ward[w][g]);
            let k = |s| move || key(Scope::Ward, &ward.name, Clock::Call, s);
            e.row(Table::Wards, k("share_within"), a, |a| {
                gate(id, attendance(a, Clock::Call)[0])
            });
            e.row(Table::Wards, k("mean_attend_s"), a, |a| {
                attendance(a, Clock::Call)[1]
            });
            e.row(Table::Wards, k("incidents"), a, |a| a.incidents as f64);
        }
    }
    for h in 0..hours(e) {
        e.row(
            Table::Hourly,
            || plain("units", Scope::HourOfWeek, &h.to_string(), "utilisation"),
            f,
            |f| ratio(f.unit_busy_hourly[h], f.unit_on_duty_hourly[h]),
        );
    }

    let t5 = sc.target("T5");
    let key5 = |statistic: &'static str| {
        move || KpiKey {
            kpi: "T5",
            scope: Scope::Grade.name(),
            scope_value: "E".into(),
            clock: Clock::Call.name(),
            statistic,
            target: (statistic == "share_within" && t5.applies).then(|| target_text(t5)),
            required: (statistic == "share_within" && t5.applies).then_some(t5.share),
        }
    };
    let o = Table::Overall;
    e.row(o, key5("share_within"), f, |f| {
        let a = &f.appointments;
        // A downgraded E incident was offered no appointment: a miss.
        gate(
            "T5",
            ratio(a.within, a.booked + a.no_slot + f.deferral.downgraded),
        )
    });
    e.row(o, key5("mean_to_appointment_s"), f, |f| {
        ratio(f.appointments.sum_from_call_ms, f.appointments.booked) / 1000.0
    });
    e.row(o, key5("booked"), f, |f| f.appointments.booked as f64);
    e.row(o, key5("no_slot"), f, |f| f.appointments.no_slot as f64);
    let window = e.result().map_or(0, |r| r.window_ms);
    e.row(o, key5("mean_backlog"), f, |f| {
        f.backlog_area as f64 / window as f64
    });
    // Appointment officers lost to shrinkage, session by session.
    if !sc.officers.shrinkage[ROLE_APPOINTMENTS].is_none() {
        let k = |s| move || plain("appointments", Scope::Force, "all", s);
        e.row(o, k("rostered_shifts"), f, |f| f.sessions.rostered as f64);
        for (c, stat) in [
            "shifts_lost_leave",
            "shifts_lost_sickness",
            "shifts_lost_training",
        ]
        .into_iter()
        .enumerate()
        {
            e.row(o, k(stat), f, |f| f.sessions.lost[c] as f64);
        }
        e.row(o, k("share_shifts_lost"), f, |f| {
            ratio(f.sessions.lost.iter().sum(), f.sessions.rostered)
        });
    }

    if spec.dispatchers.is_some() {
        let desk = |f: &ResponseResult| -> DeskResult { f.desk.clone().unwrap_or_default() };
        let k = |s| move || plain("dispatchers", Scope::Force, "all", s);
        e.row(o, k("utilisation"), f, |f| {
            let d = desk(f);
            ratio(d.busy_ms, d.on_duty_ms)
        });
        e.row(o, k("mean_on_duty"), f, |f| {
            desk(f).on_duty_ms as f64 / window as f64
        });
    }
    let units = |s| move || plain("units", Scope::Force, "all", s);
    e.row(o, units("utilisation"), f, |f| {
        ratio(f.unit_busy_ms, f.unit_on_duty_ms)
    });
    e.row(o, units("mean_on_duty"), f, |f| {
        f.unit_on_duty_ms as f64 / window as f64
    });
    e.row(o, units("mean_officers_on_duty"), f, |f| {
        f.officer_on_duty_ms as f64 / window as f64
    });
    e.row(o, units("dispatches"), f, |f| f.dispatches as f64);
    e.row(o, units("mean_travel_km"), f, |f| {
        if f.dispatches == 0 {
            f64::NAN
        } else {
            f.travel_km / f.dispatches as f64
        }
    });
    e.row(o, units("share_outside_home"), f, |f| {
        ratio(f.outside_home, f.dispatches)
    });
    e.row(o, units("diversions"), f, |f| f.diversions as f64);
    if let Some(aid) = &spec.mutual_aid {
        aid_rows(aid, e, f, window);
    }
    if let Some(d) = &spec.deferral {
        deferral_rows(d, e, f, window);
    }
    if spec.overtime.is_some() {
        overtime_rows(sc, e, f, window);
    }
    duty_rows(sc, e, f);
    for (k, name) in GRADES.iter().enumerate() {
        e.row(
            o,
            || plain("grading", Scope::Grade, name, "graded_calls"),
            f,
            |f| f.graded[k] as f64,
        );
    }
}

/// Mutual aid (kpi `mutual_aid`): calls for aid, calls refused (every aid unit out) and aid
/// units that turned back, aid hours and, with `cost_per_hour`, their cost, each a week of
/// the measured window (scope `force`); and per aided grade, the share of its attended
/// incidents that an aid unit reached first.
fn aid_rows(
    aid: &crate::scenario::response::MutualAid,
    e: &mut Emitter,
    f: Option<&ResponseResult>,
    window: u64,
) {
    let o = Table::Overall;
    let k = |s| move || plain("mutual_aid", Scope::Force, "all", s);
    let weeks = window as f64 / crate::time::WEEK as f64;
    let hours = move |f: &ResponseResult| f.aid.ms as f64 / crate::time::HOUR as f64 / weeks;
    e.row(o, k("calls_per_week"), f, |f| f.aid.calls as f64 / weeks);
    e.row(o, k("refused_per_week"), f, |f| {
        f.aid.refused as f64 / weeks
    });
    e.row(o, k("turned_back_per_week"), f, |f| {
        f.aid.turned_back as f64 / weeks
    });
    e.row(o, k("hours_per_week"), f, hours);
    if let Some(rate) = aid.cost_per_hour {
        // To the penny.
        e.row(o, k("cost_per_week"), f, |f| {
            (hours(f) * rate * 100.0).round() / 100.0
        });
    }
    for (g, name) in GRADES.iter().enumerate().take(2) {
        if aid.grades[g] {
            e.row(
                o,
                || plain("mutual_aid", Scope::Grade, name, "share_attended_by_aid"),
                f,
                |f| {
                    let attended: u64 = f.by_type[g].iter().map(|a| a.attended).sum();
                    ratio(f.aid.attended[g], attended)
                },
            );
        }
    }
}

/// Overtime call-ins of response units (kpi `overtime`, scope `role` `response`), each a week
/// of the measured window: call-ins, officer-hours paid, their cost at the response officers'
/// overtime rate (with `[pay.roles.response]`), and call-ins a cap held back.
fn overtime_rows(sc: &Scenario, e: &mut Emitter, f: Option<&ResponseResult>, window: u64) {
    let o = Table::Overall;
    let k = |s| move || plain("overtime", Scope::Role, "response", s);
    let weeks = window as f64 / crate::time::WEEK as f64;
    let hours =
        move |f: &ResponseResult| f.overtime.officer_ms as f64 / crate::time::HOUR as f64 / weeks;
    e.row(o, k("call_ins_per_week"), f, |f| {
        f.overtime.call_ins as f64 / weeks
    });
    e.row(o, k("hours_per_week"), f, hours);
    let role = sc
        .pay
        .as_ref()
        .map(|p| &p.roles[crate::scenario::pay::ROLE_RESPONSE]);
    if let Some(rate) = role.and_then(|r| r.base.map(|b| b * r.overtime)) {
        // To the penny.
        e.row(o, k("cost_per_week"), f, |f| {
            (hours(f) * rate * 100.0).round() / 100.0
        });
    }
    e.row(o, k("held_back_per_week"), f, |f| {
        f.overtime.held_back as f64 / weeks
    });
}

/// Deferral (kpi `deferral`): per grade the rule names, the incidents deferred (S, each a T4
/// miss) or downgraded (E, each a T5 miss), a week of the measured window, and their share of
/// the grade's incidents.
fn deferral_rows(
    d: &crate::scenario::response::Deferral,
    e: &mut Emitter,
    f: Option<&ResponseResult>,
    window: u64,
) {
    let o = Table::Overall;
    let weeks = window as f64 / crate::time::WEEK as f64;
    if d.grades[0] {
        let k = |s| move || plain("deferral", Scope::Grade, "S", s);
        e.row(o, k("deferred_per_week"), f, |f| {
            f.deferral.deferred as f64 / weeks
        });
        e.row(o, k("share_deferred"), f, |f| {
            let incidents: u64 = f.by_type[GRADE_S].iter().map(|a| a.incidents).sum();
            ratio(f.deferral.deferred, incidents)
        });
    }
    if d.grades[1] {
        let k = |s| move || plain("deferral", Scope::Grade, "E", s);
        e.row(o, k("downgraded_per_week"), f, |f| {
            f.deferral.downgraded as f64 / weeks
        });
        e.row(o, k("share_downgraded"), f, |f| {
            ratio(
                f.deferral.downgraded,
                f.graded[crate::scenario::response::GRADE_E],
            )
        });
    }
}

/// Where response units' time on duty goes, their duties, and rostered shifts lost.
fn duty_rows(sc: &Scenario, e: &mut Emitter, f: Option<&ResponseResult>) {
    let o = Table::Overall;
    let share = |f: &ResponseResult, c: usize| {
        let total: u64 = f.duties.cause_ms.iter().sum();
        ratio(f.duties.cause_ms[c], total)
    };
    e.row(
        o,
        || plain("units", Scope::Force, "all", "availability"),
        f,
        |f| share(f, 0),
    );
    for (c, name) in UNIT_CAUSES.iter().enumerate() {
        e.row(
            o,
            || plain("units", Scope::Cause, name, "share_of_duty_time"),
            f,
            |f| share(f, c),
        );
    }
    e.row(
        o,
        || plain("units", Scope::Force, "all", "rostered_shifts"),
        f,
        |f| f.duties.rostered_shifts as f64,
    );
    // Officer-shifts lost, one statistic per cause (as the neighbourhood teams' rows).
    let lost: [&'static str; 3] = [
        "shifts_lost_leave",
        "shifts_lost_sickness",
        "shifts_lost_training",
    ];
    for (c, stat) in lost.into_iter().enumerate() {
        e.row(
            o,
            || plain("units", Scope::Force, "all", stat),
            f,
            |f| f.duties.lost_shifts[c] as f64,
        );
    }
    // Response teams as people: their establishment, FTE and the hours their rota gives.
    let spec = sc.response.as_ref().expect("a response side");
    for (s, sector) in spec.sectors.iter().enumerate() {
        e.row(
            o,
            || plain("units", Scope::Sector, &sector.name, "availability"),
            f,
            |f| {
                let ms = &f.duties.sector_ms[s];
                ratio(ms[0], ms.iter().sum())
            },
        );
        // Where the sector's unit time goes, cause by cause (they add up to 1).
        for (c, cause) in UNIT_CAUSES.iter().enumerate() {
            let label = format!("{}/{cause}", sector.name);
            e.row(
                o,
                || plain("units", Scope::SectorCause, &label, "share_of_duty_time"),
                f,
                |f| {
                    let ms = &f.duties.sector_ms[s];
                    ratio(ms[c], ms.iter().sum())
                },
            );
        }
    }
    for (t, team) in spec.teams.iter().enumerate() {
        let k = |s| move || plain("teams", Scope::Team, &team.name, s);
        e.row(o, k("establishment"), f, |_| f64::from(team.officers));
        e.row(o, k("fte"), f, |_| team.fte());
        e.row(o, k("rota_hours_per_week"), f, |_| team.rota_hours);
        if team.minimum > 0 {
            e.row(o, k("minimum"), f, |_| f64::from(team.minimum));
            e.row(o, k("backfilled"), f, |f| f.backfill[t][0] as f64);
            e.row(o, k("unfilled"), f, |f| f.backfill[t][1] as f64);
        }
    }
    // Each cause of the response crews' duties, summed over the duties that have it.
    for (cause, name) in CAUSES.iter().enumerate() {
        let of: Vec<usize> = sc
            .officers
            .duties
            .iter()
            .enumerate()
            .filter(|(_, d)| d.roles[ROLE_RESPONSE] && d.cause == cause)
            .map(|(i, _)| i)
            .collect();
        if of.is_empty() {
            continue;
        }
        let sum = |v: &[u64]| of.iter().map(|&i| v[i]).sum::<u64>() as f64;
        let k = |s| move || plain("duties", Scope::Cause, name, s);
        e.row(o, k("started"), f, |f| sum(&f.duties.started));
        e.row(o, k("interrupted"), f, |f| sum(&f.duties.interrupted));
        e.row(o, k("missed"), f, |f| sum(&f.duties.missed));
        e.row(o, k("dropped"), f, |f| sum(&f.duties.dropped));
    }
}
