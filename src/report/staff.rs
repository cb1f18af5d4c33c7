//! The report of a staffing search: the roster it proposes against the scenario's, in
//! staff-hours and in words, what each stage of the search achieved, and the need against the
//! roster hour by hour of the week.

use super::Section;
use super::html::esc;
use super::read::StaffFolder;
use super::words::{pct, pct_range};
use crate::output::contract::{Achieved, ShiftDesign};
use std::fmt::Write as _;

/// The report's title and sections.
pub fn report(f: &StaffFolder) -> (String, Vec<Section>) {
    let title = if f.summary.desk == "dispatchers" {
        format!(
            "{}: the fewest dispatchers that keep the dispatch standard",
            f.manifest.scenario.name
        )
    } else {
        format!(
            "{}: the fewest call handlers that keep the answering pledges",
            f.manifest.scenario.name
        )
    };
    let mut sections = vec![summary(f)];
    sections.extend(frontier(f));
    sections.push(by_hour(f));
    sections.push(method(f));
    (title, sections)
}

/// A change in staff-hours a week, in words.
fn change(from: f64, to: f64) -> String {
    let d = to - from;
    if d.abs() < 0.5 {
        "the same staff-hours a week as the scenario's roster".into()
    } else if d > 0.0 {
        format!("{d:.0} staff-hours a week more than the scenario's roster")
    } else {
        format!(
            "{:.0} staff-hours a week fewer than the scenario's roster",
            -d
        )
    }
}

fn achieved_rows(html: &mut String, stage: &str, rows: &[Achieved]) {
    for a in rows {
        let kept = match (a.ci_low, a.ci_high) {
            (Some(lo), _) if lo >= a.required_share => "kept",
            (_, Some(hi)) if hi < a.required_share => "missed",
            (Some(_), Some(_)) => "at risk",
            _ => "no figure",
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{} calls ({})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{kept}</td></tr>",
            esc(stage),
            esc(&a.channel),
            esc(&a.target),
            pct(a.required_share),
            pct_range(a.mean, a.ci_low, a.ci_high),
        );
    }
}

/// 1. In words: the roster's cost against the scenario's, and what each stage achieved.
fn summary(f: &StaffFolder) -> Section {
    let s = &f.summary;
    let h = &s.staff_hours_per_week;
    let mut html = String::new();
    match &s.unreachable {
        Some(why) => {
            let _ = write!(
                html,
                "<div class=\"summary\"><p><strong>No roster within the search's bounds keeps the targets.</strong> {}</p></div>",
                esc(why)
            );
        }
        None => {
            let _ = write!(
                html,
                "<div class=\"summary\"><p><strong>The proposed roster needs {:.0} staff-hours a week: {}</strong> ({:.0} staff-hours a week). Hour by hour, the fewest {} that keep the targets add up to {:.0} staff-hours a week; whole shifts need more, since a shift covers quiet hours too.</p></div>",
                h.roster,
                change(h.input_roster, h.roster),
                h.input_roster,
                s.desk,
                h.hourly_need
            );
        }
    }
    if let Some(d) = &s.shift_design {
        html.push_str(&design_words(d));
    }
    html.push_str("<table><tr><th>stage of the search</th><th>pledge</th><th>the pledge asks</th><th>achieved (95% range)</th><th>verdict</th></tr>");
    let start = if s.erlang_a_start.is_some() {
        "Erlang A, hour by hour"
    } else {
        "Erlang C, hour by hour"
    };
    achieved_rows(&mut html, start, &s.achieved_erlang_c);
    achieved_rows(&mut html, "simulated hourly need", &s.achieved_hourly_need);
    achieved_rows(&mut html, "proposed roster", &s.achieved_roster);
    html.push_str(if s.desk == "dispatchers" {
        "</table><p>Erlang C is the textbook formula, hour by hour; the simulation adds what it leaves out (queues carried over from busier hours, emergencies taken first, dispatch times that are not exponential). The roster turns the hourly need into whole shifts: it is in roster.toml.</p>"
    } else {
        "</table><p>Erlang C is the textbook formula, hour by hour; the simulation adds what it leaves out (queues carried over from busier hours, breaks, callers who hang up). The roster turns the hourly need into whole shifts: it is in roster.toml.</p>"
    });
    Section {
        heading: if s.desk == "dispatchers" {
            "Summary: the dispatchers the dispatch standard needs".into()
        } else {
            "Summary: the handlers the pledges need".into()
        },
        html,
        charts: Vec::new(),
    }
}

/// The roster's cost and how close it is to the cheapest, in words.
fn design_words(d: &ShiftDesign) -> String {
    let money = |v: f64| {
        if d.cost_unit == "GBP" {
            format!("&pound;{v:.0}")
        } else {
            format!("{v:.0} staff-hours")
        }
    };
    let optimal = if d.proven_optimal {
        "no roster of the allowed shifts that covers the need costs less (proven by the solver)"
            .to_string()
    } else {
        format!(
            "no roster of the allowed shifts that covers the need can cost less than {} (the solver's bound; it stopped after {} nodes)",
            money(d.lower_bound_per_week),
            d.solver_nodes
        )
    };
    let shifts = if d.shifts_from == "grid" {
        format!(
            "shifts designed on a grid of {} start times{}, {} long{}",
            esc(d.grid.as_deref().unwrap_or("")),
            if d.start_windows.is_empty() {
                String::new()
            } else {
                format!(" within {}", esc(&d.start_windows.join(", ")))
            },
            esc(&d.lengths.join(" or ")),
            d.break_rule.as_deref().map_or(String::new(), |b| format!(
                ", each with a break of {}",
                esc(b)
            ))
        )
    } else {
        "the scenario's own shift patterns".to_string()
    };
    format!(
        "<p>The roster costs {} a week against {} for the scenario's roster; {optimal}. The greedy cover earlier versions used would cost {} for the same need. It is made of {shifts}: {} shifts to choose from. Its staff-hours exceed the hourly need's by {:.0} a week{}.</p>",
        money(d.cost_per_week),
        money(d.input_cost_per_week),
        money(d.greedy_cost_per_week),
        d.shifts_allowed,
        d.gap_to_need_staff_hours,
        if d.repairs > 0 {
            format!(
                "; the simulation found the first roster short and the need was raised {} time(s)",
                d.repairs
            )
        } else {
            String::new()
        }
    )
}

/// The cost curve (`staff --frontier`): a point per required share, cost across and the
/// achieved share up, with a table of what each step costs.
fn frontier(f: &StaffFolder) -> Option<Section> {
    let rows = &f.summary.frontier;
    let first = rows.first()?;
    let pounds = first.cost_unit == "GBP";
    let money = |v: Option<f64>| match v {
        Some(v) if pounds => format!("&pound;{v:.0}"),
        Some(v) => format!("{v:.0} staff-hours"),
        None => "&ndash;".into(),
    };
    let mut html = format!(
        "<p>The search was run once for each required share of {} on the same random numbers, every other target as asked. Each row is the cheapest roster found for that share or a higher one (a roster that keeps a higher share keeps a lower one too, on the same seeds); the third column is what one more percentage point cost over the row before: the price of the last points of the pledge.</p><table><tr><th>{} required</th><th>roster a week</th><th>per extra point</th><th>lower bound</th><th>achieved (95% range)</th><th>replications keeping it</th></tr>",
        esc(&first.target),
        esc(&first.target)
    );
    for r in rows {
        let achieved = match r.achieved_mean {
            Some(m) => pct_range(Some(m), r.achieved_ci_low, r.achieved_ci_high),
            None => esc(r.unreachable.as_deref().unwrap_or("no roster")),
        };
        let achieved = match r.roster_of_share {
            Some(h) => format!("{achieved}; the roster found for {}", pct(h)),
            None => achieved,
        };
        let _ = write!(
            html,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{achieved}</td><td class=\"num\">{}</td></tr>",
            pct(r.required_share),
            money(r.cost_per_week),
            money(r.marginal_cost_per_point),
            money(r.lower_bound_per_week),
            r.share_reps_meeting.map_or("&ndash;".to_string(), pct),
        );
    }
    html.push_str("</table>");
    let points: Vec<crate::report::charts::CurvePoint> = rows
        .iter()
        .map(|r| crate::report::charts::CurvePoint {
            required: r.required_share,
            cost: r.cost_per_week,
            achieved: [r.achieved_mean, r.achieved_ci_low, r.achieved_ci_high],
        })
        .collect();
    let charts = crate::report::charts::cost_curve(
        "staff-frontier",
        &first.target,
        if pounds {
            "Cost a week (£)"
        } else {
            "Staff-hours a week"
        },
        "roster",
        &points,
    );
    Some(Section {
        heading: format!("The cost curve of {}", first.target),
        html,
        charts,
    })
}

/// 2. The need against the roster, hour by hour of the week.
fn by_hour(f: &StaffFolder) -> Section {
    let desk = &f.summary.desk;
    let mut html = format!(
        "<p>Each cell is one hour of the week: {desk} the simulation needs / {desk} the proposed roster puts on duty. A marked cell (*) is an hour that binds: one fewer there and a target is no longer kept. The day is in three tables of eight hours, so that each fits the printed page.</p>",
    );
    for hours in [0..8, 8..16, 16..24] {
        html.push_str("<table class=\"hours\"><tr><th></th>");
        for hr in hours.clone() {
            let _ = write!(html, "<th>{hr:02}:00</th>");
        }
        html.push_str("</tr>");
        for (d, day) in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .enumerate()
        {
            let _ = write!(html, "<tr><th>{day}</th>");
            for hr in hours.clone() {
                match f.hours.iter().find(|r| r.hour_of_week == d * 24 + hr) {
                    Some(r) => {
                        let _ = write!(
                            html,
                            "<td class=\"num\">{}/{}{}</td>",
                            r.need,
                            r.roster,
                            if r.binding { "*" } else { "" }
                        );
                    }
                    None => html.push_str("<td></td>"),
                }
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
    }
    Section {
        heading: "Need and roster by hour of the week".into(),
        html,
        charts: Vec::new(),
    }
}

/// 3. How to reproduce it.
fn method(f: &StaffFolder) -> Section {
    let m = &f.manifest;
    Section {
        heading: "Method, and how to reproduce this report".into(),
        html: format!(
            "<p>The search ran {} simulations of {} replications each, with {:.0}% confidence that each target is kept. Program pledgesim {}; scenario hash <code>{}</code>; master seed {}. This report was built from the folder's files alone.</p>",
            f.summary.simulations,
            m.replications,
            m.confidence * 100.0,
            esc(&m.program.version),
            esc(&m.scenario_hash),
            m.seed
        ),
        charts: Vec::new(),
    }
}
