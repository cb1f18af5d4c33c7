//! Figures of the contact centre (T1, T2): answering per channel and hour of the week,
//! handlers' occupancy and time on duty, call-backs.

use super::key::{Clock, KpiKey, Scope};
use super::{Emitter, Figure, Table, hours};
use crate::model::result::{ChannelResult, Counts, ReplicationResult, StageCounts, ratio};
use crate::scenario::Scenario;
use crate::scenario::pay::ROLE_HANDLER;
use crate::time::{HOUR, WEEK};

/// Statistics reported per channel, overall, with how each comes from the channel's counts.
const CHANNEL: [Figure<ChannelResult>; 14] = [
    ("share_within", |c, _| c.total.headline()),
    ("share_of_answered_within", |c, _| {
        ratio(c.total.within, c.total.answered)
    }),
    ("share_of_offered_within", |c, _| {
        ratio(c.total.within, c.total.offered)
    }),
    ("abandonment_rate", |c, _| {
        ratio(c.total.abandoned, c.total.offered)
    }),
    ("mean_answer_s", |c, _| {
        ratio(c.total.wait_answered_ms, c.total.answered) / 1000.0
    }),
    ("p50_answer_s", |c, _| quantile_s(c, 0.5)),
    ("p90_answer_s", |c, _| quantile_s(c, 0.9)),
    ("p95_answer_s", |c, _| quantile_s(c, 0.95)),
    ("mean_wait_all_s", |c, _| {
        ratio(c.total.wait_all_ms, c.total.offered) / 1000.0
    }),
    ("mean_queue_length", |c, window_ms| {
        c.queue_area as f64 / window_ms as f64
    }),
    ("offered_calls", |c, _| c.total.offered as f64),
    ("answered_calls", |c, _| c.total.answered as f64),
    ("abandoned_calls", |c, _| c.total.abandoned as f64),
    ("unresolved_calls", |c, _| c.total.unresolved as f64),
];

/// Per-caller statistics, for a channel whose callers redial: each caller counted once, timed
/// from their first attempt.
const CALLERS: [Figure<ChannelResult>; 5] = [
    ("share_of_callers_within", |c, _| {
        ratio(c.callers.within, c.callers.callers)
    }),
    ("attempts_per_caller", |c, _| {
        ratio(c.callers.attempts, c.callers.callers)
    }),
    ("callers", |c, _| c.callers.callers as f64),
    ("callers_lost", |c, _| c.callers.lost as f64),
    ("mean_caller_wait_s", |c, _| {
        ratio(c.callers.wait_ms, c.callers.answered) / 1000.0
    }),
];

/// Statistics reported per channel and hour of week.
const HOURLY: [Figure<Counts>; 4] = [
    ("share_within", |h, _| h.headline()),
    ("offered_calls", |h, _| h.offered as f64),
    ("abandonment_rate", |h, _| ratio(h.abandoned, h.offered)),
    ("mean_answer_s", |h, _| {
        ratio(h.wait_answered_ms, h.answered) / 1000.0
    }),
];

/// Overtime call-in of handlers (kpi `overtime`, scope `role` `handler`): call-ins, the hours
/// they are paid for and, with a handler's base rate, their cost at the overtime rate, each a
/// week of the measured window; and how often a cap held a call-in back.
fn overtime_rows(sc: &Scenario, e: &mut Emitter) {
    let r = e.result();
    let k = |s| move || plain("overtime", Scope::Role, "handler", s);
    let weeks = |r: &ReplicationResult| r.window_ms as f64 / WEEK as f64;
    let hours = move |r: &ReplicationResult| r.overtime.staff_ms as f64 / HOUR as f64 / weeks(r);
    let o = Table::Overall;
    e.row(o, k("call_ins_per_week"), r, |r| {
        r.overtime.call_ins as f64 / weeks(r)
    });
    e.row(o, k("hours_per_week"), r, hours);
    let handler = sc.pay.as_ref().map(|p| &p.roles[ROLE_HANDLER]);
    if let Some(rate) = handler.and_then(|h| h.base.map(|b| b * h.overtime)) {
        // To the penny.
        e.row(o, k("cost_per_week"), r, |r| {
            (hours(r) * rate * 100.0).round() / 100.0
        });
    }
    e.row(o, k("held_back_per_week"), r, |r| {
        r.overtime.held_back as f64 / weeks(r)
    });
}

/// One stage's rows (kpi `stages`, scope `stage`); the call-takers' (as staged calls saw them)
/// have no staff figures of their own (they are the handlers').
fn stage_rows(e: &mut Emitter, name: &str, counts: Option<&StageCounts>, staffed: bool) {
    let k = |s| move || plain("stages", Scope::Stage, name, s);
    let o = Table::Overall;
    e.row(o, k("offered_calls"), counts, |c| c.offered as f64);
    e.row(o, k("answered_calls"), counts, |c| c.answered as f64);
    e.row(o, k("abandoned_calls"), counts, |c| c.abandoned as f64);
    e.row(o, k("share_of_answered_within"), counts, |c| {
        ratio(c.within, c.answered)
    });
    e.row(o, k("mean_answer_s"), counts, |c| {
        ratio(c.wait_ms, c.answered) / 1000.0
    });
    if staffed {
        e.row(o, k("transferred_calls"), counts, |c| c.transferred as f64);
        e.row(o, k("closed_calls"), counts, |c| c.closed as f64);
        e.row(o, k("occupancy"), counts, |c| {
            ratio(c.busy_ms, c.on_duty_ms)
        });
    }
}

fn quantile_s(c: &ChannelResult, p: f64) -> f64 {
    c.answer_hist.quantile(p).map_or(f64::NAN, |ms| ms / 1000.0)
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
    let r = e.result();
    let window = r.map_or(0, |r| r.window_ms);
    for ch in &sc.channels {
        let t = sc.target(ch.kind.target_id());
        let key = |statistic: &'static str, scope: Scope, scope_value: String| KpiKey {
            kpi: t.id,
            scope: scope.name(),
            scope_value,
            clock: Clock::Call.name(),
            statistic,
            // A target the pledge does not make has no share to meet (its rows stay, empty).
            target: (statistic == "share_within" && t.applies)
                .then(|| t.time.map(|d| d.to_string()).unwrap_or_default()),
            required: (statistic == "share_within" && t.applies).then_some(t.share),
        };
        // A share against a target the pledge does not make is undefined.
        let gate = |s: &str, v: f64| {
            if s == "share_within" && !t.applies {
                f64::NAN
            } else {
                v
            }
        };
        let c = r.map(|r| &r.channels[ch.kind.index()]);
        // The channel's label is made into a key's string only when keys are wanted.
        let label = || ch.kind.label().to_string();
        for (s, value) in CHANNEL {
            e.row(
                Table::Overall,
                || key(s, Scope::Channel, label()),
                c,
                |c| gate(s, value(c, window)),
            );
        }
        if !ch.stages.is_empty() {
            e.row(
                Table::Overall,
                || key("mean_total_wait_s", Scope::Channel, label()),
                c,
                |c| ratio(c.total_wait_ms, c.ended) / 1000.0,
            );
        }
        if ch.redial.is_some() {
            for (s, value) in CALLERS {
                e.row(
                    Table::Overall,
                    || key(s, Scope::Channel, label()),
                    c,
                    |c| value(c, window),
                );
            }
        }
        for h in 0..hours(e) {
            let counts = c.map(|c| &c.hourly[h]);
            for (s, value) in HOURLY {
                e.row(
                    Table::Hourly,
                    || key(s, Scope::HourOfWeek, h.to_string()),
                    counts,
                    |c| gate(s, value(c, window)),
                );
            }
        }
    }
    let all = |s| move || plain("handlers", Scope::ContactCentre, "all", s);
    let staffed = |r: &ReplicationResult| r.staffed_ms.iter().sum::<u64>();
    e.row(Table::Overall, all("occupancy"), r, |r| {
        ratio(r.busy_ms.iter().sum(), staffed(r))
    });
    e.row(Table::Overall, all("mean_on_duty"), r, |r| {
        staffed(r) as f64 / r.window_ms as f64
    });
    if sc.callbacks.is_some() {
        let cb = |s| move || plain("callbacks", Scope::ContactCentre, "all", s);
        e.row(Table::Overall, cb("created"), r, |r| {
            r.callbacks.created as f64
        });
        e.row(Table::Overall, cb("mean_wait_s"), r, |r| {
            ratio(r.callbacks.wait_ms, r.callbacks.started) / 1000.0
        });
        if sc.channels.iter().any(|c| c.redial.is_some()) {
            e.row(Table::Overall, cb("cancelled"), r, |r| {
                r.callbacks.cancelled as f64
            });
        }
        if sc
            .callbacks
            .as_ref()
            .is_some_and(|c| c.find_emergency > 0.0)
        {
            e.row(Table::Overall, cb("found_emergencies"), r, |r| {
                r.callbacks.found_emergencies as f64
            });
        }
    }
    if sc.overflow.is_some() {
        let k = |s| move || plain("overflow", Scope::Channel, "999", s);
        e.row(Table::Overall, k("transferred_share"), r, |r| {
            ratio(r.overflow.transferred, r.channels[0].callers.attempts)
        });
        e.row(Table::Overall, k("partner_answered_share"), r, |r| {
            let answered: u64 = r.channels[0].hourly.iter().map(|h| h.answered).sum();
            ratio(r.overflow.partner_answered, answered)
        });
        e.row(Table::Overall, k("partner_share_within"), r, |r| {
            ratio(r.overflow.partner_within, r.overflow.partner_answered)
        });
        e.row(Table::Overall, k("refused_calls"), r, |r| {
            r.overflow.refused as f64
        });
    }
    if sc.overtime.is_some() {
        overtime_rows(sc, e);
    }
    for (i, st) in sc.stages.iter().enumerate() {
        let counts = r.map(|r| &r.stages[i]);
        stage_rows(e, &st.name, counts, true);
    }
    if !sc.stages.is_empty() {
        stage_rows(e, "call-takers", r.map(|r| &r.call_takers), false);
    }
    if sc.channels.iter().any(|c| c.silent.is_some()) {
        let k = |s| move || plain("silent_calls", Scope::Channel, "999", s);
        e.row(Table::Overall, k("offered_calls"), r, |r| {
            r.silent.offered as f64
        });
        e.row(Table::Overall, k("answered_calls"), r, |r| {
            r.silent.answered as f64
        });
        e.row(Table::Overall, k("mean_answer_s"), r, |r| {
            ratio(r.silent.wait_ms, r.silent.answered) / 1000.0
        });
    }
    if !e.wants(Table::Hourly) {
        return;
    }
    // Hours of the week covered by the window, to turn handler-ms into mean handlers on duty.
    let mut covered = [0u64; 168];
    let cal = crate::time::Calendar::new(sc.run.start);
    let mut t = sc.run.warm_up.0;
    while t < sc.run.horizon.0 {
        let end = ((t / HOUR + 1) * HOUR).min(sc.run.horizon.0);
        covered[cal.hour_of_week(t)] += end - t;
        t = end;
    }
    for (h, covered) in covered.into_iter().enumerate() {
        let hs = h.to_string();
        e.row(
            Table::Hourly,
            || plain("handlers", Scope::HourOfWeek, &hs, "occupancy"),
            r,
            |r| ratio(r.busy_ms[h], r.staffed_ms[h]),
        );
        e.row(
            Table::Hourly,
            || plain("handlers", Scope::HourOfWeek, &hs, "mean_on_duty"),
            r,
            |r| ratio(r.staffed_ms[h], covered),
        );
    }
}
