//! The KPIs, defined once: which figures each replication yields, in a fixed order, and how
//! they are computed from its counters. Summaries pair these keys with values by position.

mod neighbourhood;
pub use neighbourhood::{LOST_STATS, bin_label, ward_role};

use crate::model::field::Attendance;
use crate::model::result::{ChannelResult, ReplicationResult, ratio};
use crate::scenario::Scenario;
use crate::scenario::response::{GRADE_I, GRADE_S, GRADES};
use crate::time::HOUR;
use serde::Serialize;

/// What one figure is: a row of the tidy KPI tables.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiKey {
    /// T1, T2 ... or a supporting measure such as `handlers`, `callbacks`.
    pub kpi: &'static str,
    /// channel, contact_centre, hour_of_week.
    pub scope: &'static str,
    pub scope_value: String,
    /// The clock a time is measured on: `call` (from the call reaching the force) or `incident`
    /// (from the incident's creation, the force's usual view); empty where none applies.
    pub clock: &'static str,
    pub statistic: &'static str,
    /// The target time, for headline shares.
    pub target: Option<String>,
    /// The required share, for headline shares.
    pub required: Option<f64>,
}

/// Statistics reported per channel, overall.
pub const CHANNEL_STATS: [&str; 14] = [
    "share_within",
    "share_of_answered_within",
    "share_of_offered_within",
    "abandonment_rate",
    "mean_answer_s",
    "p50_answer_s",
    "p90_answer_s",
    "p95_answer_s",
    "mean_wait_all_s",
    "mean_queue_length",
    "offered_calls",
    "answered_calls",
    "abandoned_calls",
    "unresolved_calls",
];

/// Statistics reported per channel and hour of week.
pub const HOURLY_STATS: [&str; 4] = [
    "share_within",
    "offered_calls",
    "abandonment_rate",
    "mean_answer_s",
];

/// Statistics reported per dispatched grade (T3: I, T4: S), on each clock.
pub const ATTEND_STATS: [&str; 7] = [
    "share_within",
    "mean_attend_s",
    "p50_attend_s",
    "p90_attend_s",
    "p95_attend_s",
    "incidents",
    "unattended",
];

/// Whether a row is a target's headline figure (one per measured target: the scorecard).
pub fn is_headline(k: &KpiKey) -> bool {
    k.required.is_some()
        && match k.scope {
            "channel" | "grade" => k.statistic == "share_within" && k.clock == "call",
            "force" => matches!(
                k.statistic,
                "share_within" | "share_member_months_at_threshold" | "share_held"
            ),
            _ => false,
        }
}

/// The keys of the overall, hourly, ward and neighbourhood tables for a scenario.
pub fn keys(sc: &Scenario) -> (Vec<KpiKey>, Vec<KpiKey>, Vec<KpiKey>, Vec<KpiKey>) {
    let mut overall = Vec::new();
    let mut hourly = Vec::new();
    for ch in &sc.channels {
        let t = sc.target(ch.kind.target_id());
        let key = |statistic: &'static str, scope: &'static str, scope_value: String| KpiKey {
            kpi: t.id,
            scope,
            scope_value,
            clock: "call",
            statistic,
            // A target the pledge does not make has no share to meet (its rows stay, empty).
            target: (statistic == "share_within" && t.applies)
                .then(|| t.time.map(|d| d.to_string()).unwrap_or_default()),
            required: (statistic == "share_within" && t.applies).then_some(t.share),
        };
        for s in CHANNEL_STATS {
            overall.push(key(s, "channel", ch.kind.label().to_string()));
        }
        for h in 0..168 {
            for s in HOURLY_STATS {
                hourly.push(key(s, "hour_of_week", h.to_string()));
            }
        }
    }
    let plain = |kpi, scope, scope_value: &str, statistic| KpiKey {
        kpi,
        scope,
        scope_value: scope_value.to_string(),
        clock: "",
        statistic,
        target: None,
        required: None,
    };
    overall.push(plain("handlers", "contact_centre", "all", "occupancy"));
    overall.push(plain("handlers", "contact_centre", "all", "mean_on_duty"));
    if sc.callbacks.is_some() {
        overall.push(plain("callbacks", "contact_centre", "all", "created"));
        overall.push(plain("callbacks", "contact_centre", "all", "mean_wait_s"));
    }
    for h in 0..168 {
        let hs = h.to_string();
        hourly.push(plain("handlers", "hour_of_week", &hs, "occupancy"));
        hourly.push(plain("handlers", "hour_of_week", &hs, "mean_on_duty"));
    }
    let mut wards = Vec::new();
    if let Some(r) = &sc.response {
        for (g, id) in [(GRADE_I, "T3"), (GRADE_S, "T4")] {
            let t = sc.target(id);
            let target = target_text(t);
            let key = |scope, scope_value: &str, clock, statistic: &'static str| KpiKey {
                kpi: t.id,
                scope,
                scope_value: scope_value.to_string(),
                clock,
                statistic,
                // A target the pledge does not make has no share to meet (its rows stay, empty).
                target: (statistic == "share_within" && t.applies).then(|| target.clone()),
                required: (statistic == "share_within" && t.applies).then_some(t.share),
            };
            for clock in ["call", "incident"] {
                for s in ATTEND_STATS {
                    if clock == "incident" && matches!(s, "incidents" | "unattended") {
                        continue;
                    }
                    overall.push(key("grade", GRADES[g], clock, s));
                }
                for ty in ["urban", "rural"] {
                    overall.push(key("ward_type", ty, clock, "share_within"));
                }
            }
            overall.push(key("grade", GRADES[g], "incident", "mean_wait_for_unit_s"));
            for h in 0..168 {
                hourly.push(key("hour_of_week", &h.to_string(), "call", "share_within"));
                hourly.push(key("hour_of_week", &h.to_string(), "call", "incidents"));
            }
            for w in &r.wards {
                wards.push(key("ward", &w.name, "call", "share_within"));
                wards.push(key("ward", &w.name, "call", "mean_attend_s"));
                wards.push(key("ward", &w.name, "call", "incidents"));
            }
        }
        for h in 0..168 {
            hourly.push(plain(
                "units",
                "hour_of_week",
                &h.to_string(),
                "utilisation",
            ));
        }
        let t5 = sc.target("T5");
        let key5 = |statistic: &'static str| KpiKey {
            kpi: "T5",
            scope: "grade",
            scope_value: "E".into(),
            clock: "call",
            statistic,
            target: (statistic == "share_within" && t5.applies).then(|| target_text(t5)),
            required: (statistic == "share_within" && t5.applies).then_some(t5.share),
        };
        for s in [
            "share_within",
            "mean_to_appointment_s",
            "booked",
            "no_slot",
            "mean_backlog",
        ] {
            overall.push(key5(s));
        }
        for s in [
            "utilisation",
            "mean_on_duty",
            "mean_officers_on_duty",
            "dispatches",
            "mean_travel_km",
            "share_outside_home",
            "diversions",
        ] {
            overall.push(plain("units", "force", "all", s));
        }
        for name in GRADES {
            overall.push(plain("grading", "grade", name, "graded_calls"));
        }
    }
    let mut hood = Vec::new();
    neighbourhood::keys(sc, &mut overall, &mut hood);
    (overall, hourly, wards, hood)
}

/// A target's time as written in tables: "15min", or "15min urban, 20min rural".
pub fn target_text(t: &crate::scenario::Target) -> String {
    match (t.time, t.rural_time) {
        (Some(u), Some(r)) if Some(u) != Some(r) => format!("{u} urban, {r} rural"),
        (Some(u), _) => u.to_string(),
        _ => String::new(),
    }
}

fn attendance_values(a: &Attendance, clock_call: bool) -> [f64; 2] {
    let within = if clock_call {
        a.within_call
    } else {
        a.within_incident
    };
    [
        ratio(within, a.incidents),
        ratio(
            if clock_call {
                a.sum_call_ms
            } else {
                a.sum_incident_ms
            },
            a.attended,
        ) / 1000.0,
    ]
}

fn channel_values(c: &ChannelResult, window_ms: u64, out: &mut Vec<f64>) {
    let t = &c.total;
    let q = |p: f64| c.answer_hist.quantile(p).map_or(f64::NAN, |ms| ms / 1000.0);
    out.extend_from_slice(&[
        t.headline(),
        ratio(t.within, t.answered),
        ratio(t.within, t.offered),
        ratio(t.abandoned, t.offered),
        ratio(t.wait_answered_ms, t.answered) / 1000.0,
        q(0.5),
        q(0.9),
        q(0.95),
        ratio(t.wait_all_ms, t.offered) / 1000.0,
        c.queue_area as f64 / window_ms as f64,
        t.offered as f64,
        t.answered as f64,
        t.abandoned as f64,
        t.unresolved as f64,
    ]);
}

/// One replication's figures, in the order of [`keys`].
pub fn values(sc: &Scenario, r: &ReplicationResult) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut overall = Vec::new();
    let mut hourly = Vec::new();
    for ch in &sc.channels {
        let c = &r.channels[ch.kind.index()];
        let first = overall.len();
        channel_values(c, r.window_ms, &mut overall);
        let applies = sc.target(ch.kind.target_id()).applies;
        if !applies {
            overall[first] = f64::NAN; // share_within: no target to be within
        }
        for h in &c.hourly {
            hourly.extend_from_slice(&[
                if applies { h.headline() } else { f64::NAN },
                h.offered as f64,
                ratio(h.abandoned, h.offered),
                ratio(h.wait_answered_ms, h.answered) / 1000.0,
            ]);
        }
    }
    let busy: u64 = r.busy_ms.iter().sum();
    let staffed: u64 = r.staffed_ms.iter().sum();
    overall.push(ratio(busy, staffed));
    overall.push(staffed as f64 / r.window_ms as f64);
    if sc.callbacks.is_some() {
        overall.push(r.callbacks.created as f64);
        overall.push(ratio(r.callbacks.wait_ms, r.callbacks.started) / 1000.0);
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
    for ((busy, staffed), covered) in r.busy_ms.iter().zip(&r.staffed_ms).zip(covered) {
        hourly.push(ratio(*busy, *staffed));
        hourly.push(ratio(*staffed, covered));
    }
    let mut wards = Vec::new();
    if let Some(f) = &r.response {
        // Shares against a target the pledge does not make are undefined.
        let gate = |id: &str, share: f64| {
            if sc.target(id).applies {
                share
            } else {
                f64::NAN
            }
        };
        for (g, id) in [(GRADE_I, "T3"), (GRADE_S, "T4")] {
            let mut all = Attendance::default();
            for t in &f.by_type[g] {
                all.add(t);
            }
            for (clock_call, hist) in [(true, &f.hist_call[g]), (false, &f.hist_incident[g])] {
                let [share, mean] = attendance_values(&all, clock_call);
                let q = |p: f64| hist.quantile(p).map_or(f64::NAN, |ms| ms / 1000.0);
                overall.extend_from_slice(&[gate(id, share), mean, q(0.5), q(0.9), q(0.95)]);
                if clock_call {
                    overall.push(all.incidents as f64);
                    overall.push((all.incidents - all.attended) as f64);
                }
                for t in &f.by_type[g] {
                    overall.push(gate(id, attendance_values(t, clock_call)[0]));
                }
            }
            overall.push(ratio(all.sum_wait_ms, all.dispatched) / 1000.0);
            for h in &f.by_hour {
                hourly.push(gate(id, attendance_values(&h[g], true)[0]));
                hourly.push(h[g].incidents as f64);
            }
            for w in &f.by_ward {
                let [share, mean] = attendance_values(&w[g], true);
                wards.extend_from_slice(&[gate(id, share), mean, w[g].incidents as f64]);
            }
        }
        for (busy, on_duty) in f.unit_busy_hourly.iter().zip(&f.unit_on_duty_hourly) {
            hourly.push(ratio(*busy, *on_duty));
        }
        let a = &f.appointments;
        overall.extend_from_slice(&[
            gate("T5", ratio(a.within, a.booked + a.no_slot)),
            ratio(a.sum_from_call_ms, a.booked) / 1000.0,
            a.booked as f64,
            a.no_slot as f64,
            f.backlog_area as f64 / r.window_ms as f64,
        ]);
        overall.extend_from_slice(&[
            ratio(f.unit_busy_ms, f.unit_on_duty_ms),
            f.unit_on_duty_ms as f64 / r.window_ms as f64,
            f.officer_on_duty_ms as f64 / r.window_ms as f64,
            f.dispatches as f64,
            if f.dispatches == 0 {
                f64::NAN
            } else {
                f.travel_km / f.dispatches as f64
            },
            ratio(f.outside_home, f.dispatches),
            f.diversions as f64,
        ]);
        overall.extend(f.graded.iter().map(|&n| n as f64));
    }
    let mut hood = Vec::new();
    if let Some(f) = &r.response {
        neighbourhood::values(sc, f, r.window_ms, &mut overall, &mut hood);
    }
    (overall, hourly, wards, hood)
}
