//! KPIs of neighbourhood teams (T6, T8) and follow-up work (T7, T9-T14): overall rows, and
//! the neighbourhood table (by ward and role, and the distribution of visible shares).

use super::KpiKey;
use crate::model::field::{HoodResult, Periods, ResponseResult, SHARE_BINS};
use crate::model::result::ratio;
use crate::scenario::Scenario;
use crate::scenario::neighbourhood::{CLASSES, ROLES, VISIBLE};

/// Lost-time statistics, one per cause (every class but visible).
pub const LOST_STATS: [&str; 6] = [
    "lost_share_response",
    "lost_share_paperwork",
    "lost_share_court",
    "lost_share_training",
    "lost_share_aid",
    "lost_share_desk",
];

/// The label of visible-share bin `k`: "0-5%" ... "95-100%", and "100%".
pub fn bin_label(k: usize) -> String {
    if k == SHARE_BINS - 1 {
        "100%".into()
    } else {
        format!("{}-{}%", k * 5, k * 5 + 5)
    }
}

fn key(
    kpi: &'static str,
    scope: &'static str,
    scope_value: String,
    statistic: &'static str,
    headline: Option<(String, f64)>,
) -> KpiKey {
    KpiKey {
        kpi,
        scope,
        scope_value,
        clock: "",
        statistic,
        target: headline.as_ref().map(|h| h.0.clone()),
        required: headline.map(|h| h.1),
    }
}

/// The ward-and-role label of the neighbourhood table: "ward|role".
pub fn ward_role(ward: &str, role: &str) -> String {
    format!("{ward}|{role}")
}

pub fn keys(sc: &Scenario, overall: &mut Vec<KpiKey>, hood: &mut Vec<KpiKey>) {
    let (Some(r), Some(n)) = (&sc.response, &sc.neighbourhood) else {
        return follow_keys(sc, overall);
    };
    let t6 = sc.target("T6");
    let threshold = t6.threshold.unwrap_or(0.8);
    let head6 = t6
        .applies
        .then(|| (format!("{:.0}% visible", threshold * 100.0), t6.share));
    let all = || "all".to_string();
    overall.push(key(
        "T6",
        "force",
        all(),
        "share_member_months_at_threshold",
        head6.clone(),
    ));
    for s in [
        "share_member_weeks_at_threshold",
        "mean_visible_share",
        "mean_member_month_share",
        "member_months",
        "member_weeks",
    ] {
        overall.push(key("T6", "force", all(), s, None));
    }
    for s in LOST_STATS {
        overall.push(key("T6", "force", all(), s, None));
    }
    overall.push(key("T6", "force", all(), "sent_to_response", None));
    overall.push(key("T6", "force", all(), "planned_abstractions", None));
    if n.meetings.is_some() {
        let t8 = sc.target("T8");
        let head8 = t8.applies.then(|| ("monthly".to_string(), t8.share));
        overall.push(key("T8", "force", all(), "share_held", head8));
        overall.push(key("T8", "force", all(), "meetings_due", None));
    }
    follow_keys(sc, overall);

    // The neighbourhood table.
    for (w, ward) in r.wards.iter().enumerate() {
        if n.teams[w].is_empty() {
            continue;
        }
        let roles: Vec<usize> = (0..3)
            .filter(|&k| n.teams[w].iter().any(|&m| n.members[m as usize].role == k))
            .collect();
        for k in roles.into_iter().map(Some).chain([None]) {
            let label = ward_role(&ward.name, k.map_or("all", |k| ROLES[k]));
            hood.push(key(
                "T6",
                "ward_role",
                label.clone(),
                "share_member_months_at_threshold",
                head6.clone(),
            ));
            for s in [
                "share_member_weeks_at_threshold",
                "mean_visible_share",
                "member_months",
            ] {
                hood.push(key("T6", "ward_role", label.clone(), s, None));
            }
            for s in LOST_STATS {
                hood.push(key("T6", "ward_role", label.clone(), s, None));
            }
        }
        if n.meetings.is_some() {
            let t8 = sc.target("T8");
            let head8 = t8.applies.then(|| ("monthly".to_string(), t8.share));
            let label = ward_role(&ward.name, "all");
            hood.push(key("T8", "ward_role", label.clone(), "share_held", head8));
            hood.push(key("T8", "ward_role", label, "meetings_due", None));
        }
    }
    for role in ROLES.iter().chain(&["all"]) {
        if *role != "all" && !n.members.iter().any(|m| ROLES[m.role] == *role) {
            continue;
        }
        for b in 0..SHARE_BINS {
            hood.push(key(
                "T6",
                "visible_share_bin",
                ward_role(&bin_label(b), role),
                "share_of_member_months",
                None,
            ));
        }
    }
}

fn follow_keys(sc: &Scenario, overall: &mut Vec<KpiKey>) {
    for f in &sc.followup {
        let t = sc.target(f.target);
        let head = t.applies.then(|| (f.deadline.to_string(), t.share));
        overall.push(key(t.id, "force", "all".into(), "share_within", head));
        for s in [
            "tasks",
            "done_late",
            "open_at_end",
            "mean_done_h",
            "mean_backlog",
        ] {
            overall.push(key(t.id, "force", "all".into(), s, None));
        }
    }
}

fn lost(out: &mut Vec<f64>, ms: &[u64; 7]) {
    let duty: u64 = ms.iter().sum();
    out.extend((1..CLASSES.len()).map(|c| ratio(ms[c], duty)));
}

fn add_periods(a: &mut Periods, b: &Periods) {
    a.n += b.n;
    a.at += b.at;
    a.sum_share += b.sum_share;
    for (x, y) in a.bins.iter_mut().zip(&b.bins) {
        *x += y;
    }
}

pub fn values(
    sc: &Scenario,
    f: &ResponseResult,
    window_ms: u64,
    overall: &mut Vec<f64>,
    hood: &mut Vec<f64>,
) {
    let gate = |id: &str, v: f64| if sc.target(id).applies { v } else { f64::NAN };
    let (Some(n), Some(h)) = (&sc.neighbourhood, &f.hood) else {
        return follow_values(sc, f, window_ms, overall);
    };
    let HoodResult {
        class_ms,
        weeks,
        months,
        meetings,
        to_response,
        planned,
    } = h;
    let mut ms = [0u64; 7];
    let (mut wk, mut mo) = (Periods::default(), Periods::default());
    let mut by_role = [Periods::default(); 3];
    for w in 0..class_ms.len() {
        for k in 0..3 {
            for c in 0..7 {
                ms[c] += class_ms[w][k][c];
            }
            add_periods(&mut wk, &weeks[w][k]);
            add_periods(&mut mo, &months[w][k]);
            add_periods(&mut by_role[k], &months[w][k]);
        }
    }
    let duty: u64 = ms.iter().sum();
    overall.extend_from_slice(&[
        gate("T6", ratio(mo.at, mo.n)),
        ratio(wk.at, wk.n),
        ratio(ms[VISIBLE], duty),
        if mo.n == 0 {
            f64::NAN
        } else {
            mo.sum_share / mo.n as f64
        },
        mo.n as f64,
        wk.n as f64,
    ]);
    lost(overall, &ms);
    overall.push(*to_response as f64);
    overall.push(*planned as f64);
    if n.meetings.is_some() {
        let due: u64 = meetings.iter().map(|m| m[0]).sum();
        let held: u64 = meetings.iter().map(|m| m[1]).sum();
        overall.push(gate("T8", ratio(held, due)));
        overall.push(due as f64);
    }
    follow_values(sc, f, window_ms, overall);

    for w in 0..class_ms.len() {
        if n.teams[w].is_empty() {
            continue;
        }
        let roles: Vec<usize> = (0..3)
            .filter(|&k| n.teams[w].iter().any(|&m| n.members[m as usize].role == k))
            .collect();
        let mut all_ms = [0u64; 7];
        let (mut all_wk, mut all_mo) = (Periods::default(), Periods::default());
        for &k in &roles {
            for c in 0..7 {
                all_ms[c] += class_ms[w][k][c];
            }
            add_periods(&mut all_wk, &weeks[w][k]);
            add_periods(&mut all_mo, &months[w][k]);
        }
        let rows = roles
            .iter()
            .map(|&k| (class_ms[w][k], weeks[w][k], months[w][k]))
            .chain([(all_ms, all_wk, all_mo)]);
        for (ms, wk, mo) in rows {
            let duty: u64 = ms.iter().sum();
            hood.extend_from_slice(&[
                gate("T6", ratio(mo.at, mo.n)),
                ratio(wk.at, wk.n),
                ratio(ms[VISIBLE], duty),
                mo.n as f64,
            ]);
            lost(hood, &ms);
        }
        if n.meetings.is_some() {
            hood.push(gate("T8", ratio(meetings[w][1], meetings[w][0])));
            hood.push(meetings[w][0] as f64);
        }
    }
    for k in (0..3).map(Some).chain([None]) {
        let p = match k {
            Some(k) if !n.members.iter().any(|m| m.role == k) => continue,
            Some(k) => by_role[k],
            None => mo,
        };
        hood.extend(p.bins.iter().map(|&b| ratio(b, p.n)));
    }
}

fn follow_values(sc: &Scenario, f: &ResponseResult, window_ms: u64, overall: &mut Vec<f64>) {
    for (s, spec) in sc.followup.iter().enumerate() {
        let r = &f.work[s];
        let applies = sc.target(spec.target).applies;
        overall.extend_from_slice(&[
            if applies {
                ratio(r.within, r.created)
            } else {
                f64::NAN
            },
            r.created as f64,
            (r.done - r.within) as f64,
            r.open_at_end as f64,
            ratio(r.sum_done_ms, r.done) / 3_600_000.0,
            r.backlog_area as f64 / window_ms as f64,
        ]);
    }
}
