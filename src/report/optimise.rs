//! The report of a search (`pledgesim optimise`): the plan against the scenario's own
//! establishment, what each keeps and costs, and every candidate the search simulated, charted
//! by cost against the first target.

use super::Section;
use super::charts;
use super::html::esc;
use super::read::OptimiseFolder;
use super::words::pct_range;
use crate::output::contract::CandidateRecord;
use std::fmt::Write as _;

/// The report's title and sections.
pub fn report(f: &OptimiseFolder) -> (String, Vec<Section>) {
    let title = format!(
        "{}: the least-cost establishment that keeps the targets",
        f.manifest.scenario.name
    );
    let mut sections = vec![plan(f)];
    sections.extend(frontier(f));
    sections.push(search(f));
    (title, sections)
}

/// The cost curve (`optimise --frontier`): a point per required share of the swept target,
/// cost across and the achieved share up, with a table of what each step costs.
fn frontier(f: &OptimiseFolder) -> Option<Section> {
    let rows = &f.summary.frontier;
    let first = rows.first()?;
    let costed = f.summary.costed;
    let money = |v: Option<f64>| match v {
        Some(v) if costed => format!("&pound;{v:.0}"),
        Some(v) => format!("{v:.0} staff-hours"),
        None => "&ndash;".into(),
    };
    let others: Vec<String> = f
        .manifest
        .targets
        .iter()
        .filter(|t| t.id != first.target)
        .map(|t| format!("{} at {}", t.id, pct(t.share)))
        .collect();
    let mut html = format!(
        "<p>The search was run once more for each required share of {}, {}, in at least {:.0}% of replications, on the same random numbers. Each row is the cheapest candidate simulated, by any of the searches, that keeps that share (on the same replications, a candidate that keeps a share keeps every lower one); the third column is what one more percentage point costs over the row before: the price of the last points.</p><table><tr><th>{} required</th><th>cost a week</th><th>per extra point</th><th>achieved (95% range)</th><th>replications keeping it</th><th>plan</th></tr>",
        esc(&first.target),
        if others.is_empty() {
            "with no other target".to_string()
        } else {
            format!("keeping {}", esc(&others.join(", ")))
        },
        f.manifest.confidence * 100.0,
        esc(&first.target)
    );
    for r in rows {
        let achieved = match r.achieved_mean {
            Some(m) => pct_range(Some(m), r.achieved_ci_low, r.achieved_ci_high),
            None => esc(r.verdict.as_deref().unwrap_or("no plan")),
        };
        let plan = r.plan_values.as_ref().map_or("&ndash;".to_string(), |p| {
            esc(&p
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", "))
            .replace('.', ".<wbr>")
        });
        let _ = write!(
            html,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{achieved}</td><td class=\"num\">{}</td><td>{plan}</td></tr>",
            pct(r.required_share),
            money(r.cost_per_week),
            money(r.marginal_cost_per_point),
            r.share_reps_meeting.map_or("&ndash;".to_string(), pct),
        );
    }
    html.push_str(
        "</table><p>The curve is in frontier.csv, each plan's line of candidates.jsonl named.</p>",
    );
    let points: Vec<charts::CurvePoint> = rows
        .iter()
        .map(|r| charts::CurvePoint {
            required: r.required_share,
            cost: r.cost_per_week,
            achieved: [r.achieved_mean, r.achieved_ci_low, r.achieved_ci_high],
        })
        .collect();
    let charts_out = charts::cost_curve(
        "optimise-frontier",
        &first.target,
        if costed {
            "Weekly cost (£)"
        } else {
            "Staff-hours paid a week"
        },
        "plan",
        &points,
    );
    Some(Section {
        heading: format!("The cost curve of {}", first.target),
        html,
        charts: charts_out,
    })
}

fn money(f: &OptimiseFolder, c: &CandidateRecord) -> String {
    match c.cost_per_week {
        None => "not simulated".into(),
        Some(v) if f.summary.costed => format!("£{v:.0} a week"),
        Some(v) => format!("{v:.0} staff-hours paid a week"),
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn figures(c: &CandidateRecord) -> String {
    c.targets
        .iter()
        .map(|t| {
            format!(
                "{} {} ({}-{}), {:.0}% of replications",
                t.id,
                pct(t.mean),
                pct(t.ci_low),
                pct(t.ci_high),
                t.share_reps_meeting * 100.0
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// 1. The plan: the verdict, the knobs' values and the targets, the scenario's own beside.
fn plan(f: &OptimiseFolder) -> Section {
    let s = &f.summary;
    let m = &f.manifest;
    let asked: Vec<String> = m
        .targets
        .iter()
        .map(|t| format!("{} at {}", t.id, pct(t.share)))
        .collect();
    let mut html = String::new();
    let _ = write!(
        html,
        "<div class=\"summary\"><p><strong>{}</strong></p><p>Asked: {} in at least {:.0}% of replications.</p></div>",
        match (&s.plan, &s.verdict) {
            (Some(p), None) => format!(
                "The cheapest plan found keeps the targets for {}, against {} for the scenario as written.",
                money(f, p),
                money(f, &s.start)
            ),
            (_, Some(v)) => esc(v),
            (None, None) => "No plan keeps the targets.".into(),
        },
        esc(&asked.join(", ")),
        m.confidence * 100.0
    );
    html.push_str("<table><tr><th>field</th><th>scenario</th><th>plan</th><th>searched</th></tr>");
    for (k, knob) in m.knobs.iter().enumerate() {
        let show = |v: i64| -> String {
            match knob.sites.get(v as usize) {
                Some(site) => format!("{} (£{:.0} a week)", site.name, site.cost_per_week),
                None => v.to_string(),
            }
        };
        let searched = if knob.sites.is_empty() {
            format!("{} to {} by {}", knob.from, knob.to, knob.step)
        } else {
            format!("{} sites", knob.sites.len())
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&knob.path).replace('.', ".<wbr>"),
            esc(&show(s.start.values[k])),
            s.plan
                .as_ref()
                .map_or("-".to_string(), |p| esc(&show(p.values[k]))),
            searched
        );
    }
    html.push_str("</table>");
    let _ = write!(
        html,
        "<p>The scenario as written: {}; {}.</p>",
        money(f, &s.start),
        esc(&figures(&s.start))
    );
    if let Some(p) = &s.plan {
        let _ = write!(
            html,
            "<p>The plan: {}; {}. Its scenario file is plan.toml in this folder.</p>",
            money(f, p),
            esc(&figures(p))
        );
    }
    Section {
        heading: "The plan".into(),
        html,
        charts: Vec::new(),
    }
}

/// 2. The search: every candidate by cost against the first target, and the method.
fn search(f: &OptimiseFolder) -> Section {
    let m = &f.manifest;
    let s = &f.summary;
    let mut charts_out = Vec::new();
    if let Some(first) = m.targets.first() {
        let pts: Vec<charts::TradePoint> = f
            .candidates
            .iter()
            .filter_map(|c| {
                let t = c.targets.iter().find(|t| t.id == first.id)?;
                let cost = c.cost_per_week?;
                Some(charts::TradePoint {
                    name: format!(
                        "{}{}",
                        c.values
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                        if c.kept { " (keeps)" } else { "" }
                    ),
                    x: (cost, cost, cost),
                    y: (t.mean, t.ci_low, t.ci_high),
                })
            })
            .collect();
        if pts.len() >= 2 {
            let chart = charts::trade_off(
                "optimise-candidates",
                &format!("Every candidate: {} against its weekly cost", first.id),
                if s.costed {
                    "Weekly cost (£)"
                } else {
                    "Staff-hours paid a week"
                },
                &format!("{} within target", first.id),
                &pts,
                Some(first.share),
            );
            charts_out.push((
                chart,
                "Each numbered point is a candidate, in the order the search simulated it, with the knobs' values in the key and its 95% range. The dashed line is the share asked for.".into(),
            ));
        }
    }
    let html = format!(
        "<p>{} candidates were simulated, each with {} replications from seed {} (the same calls for every candidate). The method: {}.</p><p>Every candidate and its figures are in candidates.jsonl. Program pledgesim {}.</p>",
        s.simulations,
        m.replications,
        m.seed,
        esc(&s.method),
        esc(&m.program.version)
    );
    Section {
        heading: "The search".into(),
        html,
        charts: charts_out,
    }
}
