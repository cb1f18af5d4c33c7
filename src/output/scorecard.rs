//! The scorecard printed on the terminal.

use crate::experiment::RunOutcome;
use crate::scenario::Scenario;
use std::fmt::Write;

/// A commitment cut to the table's width.
fn short(text: &str) -> String {
    if text.chars().count() <= 38 {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(35).collect::<String>())
    }
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}%", v * 100.0)
    } else {
        "n/a".into()
    }
}

/// The scorecard as text: each measured target with its achieved share and interval.
pub fn render(sc: &Scenario, outcome: &RunOutcome) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({} pledge): {} replications, seed {}; measured: calls arriving between {} and {} after {} 00:00 (the first {} is warm-up)",
        sc.name,
        sc.pledge,
        sc.run.replications,
        sc.run.seed,
        sc.run.warm_up,
        sc.run.horizon,
        sc.run.start,
        sc.run.warm_up
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "     {:<38} {:>24} {:>9} {:>24} {:>13}  status",
        "commitment", "target", "required", "achieved (95% CI)", "reps meeting"
    );
    let rows = super::scorecard_rows(outcome);
    for t in &sc.targets {
        let Some(r) = rows.iter().find(|r| r.key.kpi == t.id) else {
            let _ = writeln!(
                s,
                "{:<4} {:<38} {:>24} {:>9} {:>24} {:>13}  {}",
                t.id,
                short(t.commitment),
                "",
                "",
                "",
                "",
                super::unmeasured_status(t)
            );
            continue;
        };
        let e = &r.estimate;
        let achieved = if e.n >= 2 {
            format!("{} ({}-{})", pct(e.mean), pct(e.ci_low), pct(e.ci_high))
        } else if e.n == 0 {
            "no figure".to_string()
        } else {
            format!("{} (no interval)", pct(e.mean))
        };
        let _ = writeln!(
            s,
            "{:<4} {:<38} {:>24} {:>9} {:>24} {:>13}  {}",
            t.id,
            short(t.commitment),
            r.key.target.as_deref().unwrap_or(""),
            pct(t.share),
            achieved,
            r.share_reps_meeting.map_or("n/a".into(), pct),
            r.status.map_or("", |s| s.label())
        );
    }
    fn find<'a>(
        o: &'a RunOutcome,
        kpi: &'a str,
        stat: &'a str,
    ) -> impl Iterator<Item = &'a crate::experiment::Row> + 'a {
        o.overall
            .iter()
            .filter(move |r| r.key.kpi == kpi && r.key.statistic == stat)
    }
    let find = |kpi, stat| find(outcome, kpi, stat);
    let _ = writeln!(s);
    for kpi in ["T1", "T2"] {
        for r in find(kpi, "abandonment_rate") {
            let mean = find(kpi, "mean_answer_s").next().map(|m| m.estimate);
            let p90 = find(kpi, "p90_answer_s").next().map(|m| m.estimate);
            let e = &r.estimate;
            let _ = write!(
                s,
                "{} calls: abandoned {} ({}-{})",
                r.key.scope_value,
                pct(e.mean),
                pct(e.ci_low),
                pct(e.ci_high)
            );
            if let (Some(m), Some(p)) = (mean, p90) {
                let _ = write!(
                    s,
                    ", mean answer {:.1}s ({:.1}-{:.1}), 90th percentile {:.1}s ({:.1}-{:.1})",
                    m.mean, m.ci_low, m.ci_high, p.mean, p.ci_low, p.ci_high
                );
            }
            let _ = writeln!(s);
        }
    }
    if let Some(r) = find("units", "utilisation").next() {
        let e = &r.estimate;
        let share = |stat| find("units", stat).next().map(|r| r.estimate);
        let _ = write!(
            s,
            "response units: utilisation {} ({}-{})",
            pct(e.mean),
            pct(e.ci_low),
            pct(e.ci_high)
        );
        if let (Some(o), Some(d)) = (share("share_outside_home"), share("diversions")) {
            let _ = write!(
                s,
                ", dispatched outside their sector {} ({}-{}), diversions {:.1} ({:.1}-{:.1})",
                pct(o.mean),
                pct(o.ci_low),
                pct(o.ci_high),
                d.mean,
                d.ci_low,
                d.ci_high
            );
        }
        // Where the units' time on duty goes, when any of it goes to a duty.
        let causes: Vec<_> = find("units", "share_of_duty_time")
            .filter(|r| r.key.scope == "cause")
            .collect();
        let on_duties = causes.iter().skip(4).any(|r| r.estimate.mean > 0.0);
        if let (true, Some(a)) = (on_duties, share("availability")) {
            let _ = write!(
                s,
                "; free for dispatch {} ({}-{}) of time on duty;",
                pct(a.mean),
                pct(a.ci_low),
                pct(a.ci_high)
            );
            let mut first = true;
            for r in causes.iter().skip(1).filter(|r| r.estimate.mean > 0.0) {
                let _ = write!(
                    s,
                    "{} {} {}",
                    if first { "" } else { "," },
                    r.key.scope_value.replace('_', " "),
                    pct(r.estimate.mean)
                );
                first = false;
            }
        }
        let _ = writeln!(s);
    }
    escalation(
        &mut s,
        outcome,
        ("mutual_aid", "force", "all"),
        "mutual aid",
        "calls_per_week",
        "calls",
    );
    deferral(&mut s, outcome);
    if let Some(r) = find("T6", "mean_visible_share").next() {
        let e = &r.estimate;
        let _ = write!(
            s,
            "neighbourhood teams: visible in own ward {} ({}-{}) of time on duty; lost to",
            pct(e.mean),
            pct(e.ci_low),
            pct(e.ci_high)
        );
        let mut first = true;
        for stat in crate::experiment::LOST_STATS
            .into_iter()
            .chain(crate::experiment::DUTY_STATS)
            .chain(["lost_share_backfill"])
        {
            if let Some(l) = find("T6", stat).next() {
                let cause = stat.trim_start_matches("lost_share_");
                let _ = write!(
                    s,
                    "{} {cause} {}",
                    if first { "" } else { "," },
                    pct(l.estimate.mean)
                );
                first = false;
            }
        }
        if let Some(a) = find("T6", "abstraction_rate").next() {
            let e = &a.estimate;
            let _ = write!(
                s,
                "; abstraction rate {} ({}-{}) of rostered shifts",
                pct(e.mean),
                pct(e.ci_low),
                pct(e.ci_high)
            );
        }
        if let Some(p) = find("T6", "sent_to_response_per_week").next() {
            let _ = write!(s, "; sent to incidents {:.1} a week", p.estimate.mean);
        }
        let _ = writeln!(s);
    }
    if let Some(r) = find("handlers", "occupancy").next() {
        let e = &r.estimate;
        let _ = writeln!(
            s,
            "handler occupancy: {} ({}-{})",
            pct(e.mean),
            pct(e.ci_low),
            pct(e.ci_high)
        );
    }
    escalation(
        &mut s,
        outcome,
        ("overtime", "role", "handler"),
        "overtime",
        "call_ins_per_week",
        "call-ins",
    );
    escalation(
        &mut s,
        outcome,
        ("overtime", "role", "response"),
        "overtime of response units",
        "call_ins_per_week",
        "call-ins",
    );
    let groups: Vec<&str> = outcome
        .overall
        .iter()
        .filter(|r| {
            r.key.kpi == "overtime" && r.key.scope == "team" && r.key.statistic == "hours_per_week"
        })
        .map(|r| r.key.scope_value.as_str())
        .collect();
    for g in groups {
        escalation(
            &mut s,
            outcome,
            ("overtime", "team", g),
            &format!("overtime of workgroup {g}"),
            "call_ins_per_week",
            "call-ins",
        );
    }
    staffing(&mut s, outcome);
    s
}

/// An escalation policy's line: "LABEL: H hours a week (lo-hi) in N WORD, £C a week (lo-hi)",
/// from the rows of kpi, scope and scope value `of`: `hours_per_week`, `count` and `cost_per_week`
/// (the last two when present); nothing without the hours.
fn escalation(
    s: &mut String,
    outcome: &RunOutcome,
    of: (&str, &str, &str),
    label: &str,
    count: &str,
    word: &str,
) {
    let find = |stat: &str| {
        outcome
            .overall
            .iter()
            .find(|r| {
                r.key.kpi == of.0
                    && r.key.scope == of.1
                    && r.key.scope_value == of.2
                    && r.key.statistic == stat
            })
            .map(|r| &r.estimate)
    };
    let Some(e) = find("hours_per_week") else {
        return;
    };
    let _ = write!(
        s,
        "{label}: {:.1} hours a week ({:.1}-{:.1})",
        e.mean, e.ci_low, e.ci_high
    );
    if let Some(n) = find(count) {
        let _ = write!(s, " in {:.1} {word}", n.mean);
    }
    if let Some(c) = find("cost_per_week") {
        let _ = write!(
            s,
            ", {} a week ({}-{})",
            money(c.mean),
            money(c.ci_low),
            money(c.ci_high)
        );
    }
    let _ = writeln!(s);
}

/// Deferral's line: "deferred under load: S N a week (lo-hi), P of S incidents; E downgraded
/// ..." from kpi `deferral`; nothing without the rule.
fn deferral(s: &mut String, outcome: &RunOutcome) {
    let find = |scope: &str, stat: &str| {
        outcome
            .overall
            .iter()
            .find(|r| {
                r.key.kpi == "deferral" && r.key.scope_value == scope && r.key.statistic == stat
            })
            .map(|r| &r.estimate)
    };
    let mut parts = Vec::new();
    for (grade, rate, share, word) in [
        (
            "S",
            "deferred_per_week",
            "share_deferred",
            "deferred to appointments",
        ),
        ("E", "downgraded_per_week", "share_downgraded", "downgraded"),
    ] {
        if let (Some(n), Some(p)) = (find(grade, rate), find(grade, share)) {
            parts.push(format!(
                "{grade} {word} {:.1} a week ({:.1}-{:.1}), {} of {grade} incidents",
                n.mean,
                n.ci_low,
                n.ci_high,
                pct(p.mean)
            ));
        }
    }
    if !parts.is_empty() {
        let _ = writeln!(s, "under load: {}", parts.join("; "));
    }
}

/// Pounds, short: £980, £45.6k, £1.23m.
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 999_500.0 {
        format!("£{:.2}m", v / 1e6)
    } else if v.abs() >= 999.5 {
        format!("£{:.1}k", v / 1e3)
    } else {
        format!("£{v:.0}")
    }
}

/// A whole number with thousands separated by commas: 41,230.
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// The staffing line: FTE and, with pay rates, the weekly cost, force-wide and by role. Every
/// figure is the scenario's own (the same in every replication), so none has an interval.
fn staffing(s: &mut String, outcome: &RunOutcome) {
    let find = |scope: &str, value: &str, stat: &str| {
        outcome
            .overall
            .iter()
            .find(|r| {
                r.key.kpi == "staffing"
                    && r.key.scope == scope
                    && r.key.scope_value == value
                    && r.key.statistic == stat
            })
            .map(|r| r.estimate.mean)
    };
    let (Some(fte), Some(hours)) = (
        find("force", "all", "fte"),
        find("force", "all", "hours_paid_per_week"),
    ) else {
        return;
    };
    let cost = find("force", "all", "cost_per_week");
    let _ = write!(
        s,
        "staffing: {fte:.1} FTE ({} hours paid a week)",
        thousands(hours)
    );
    if let Some(c) = cost {
        let _ = write!(s, ", {} a week", money(c));
    }
    let mut first = true;
    for role in crate::scenario::pay::ROLES {
        let Some(f) = find("role", role, "fte") else {
            continue;
        };
        let _ = write!(
            s,
            "{} {role} {f:.1}{}",
            if first { ";" } else { "," },
            if first { " FTE" } else { "" }
        );
        if let Some(c) = find("role", role, "cost_per_week") {
            let _ = write!(s, " ({})", money(c));
        }
        first = false;
    }
    if cost.is_none() {
        let _ = write!(s, "; no cost without pay rates ([pay])");
    }
    let _ = writeln!(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_thousands_read_as_people_write_them() {
        assert_eq!(money(980.4), "£980");
        assert_eq!(money(45_630.0), "£45.6k");
        assert_eq!(money(1_234_567.0), "£1.23m");
        assert_eq!(money(999_600.0), "£1.00m");
        assert_eq!(thousands(41_230.4), "41,230");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_000_000.0), "1,000,000");
    }
}
