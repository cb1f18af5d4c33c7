//! The report of a sweep: each target's share along one parameter (a line) or two (a heat map).

use super::Section;
use super::charts;
use super::html::esc;
use super::read::{SweepFolder, SweepRow};
use crate::output::contract::TargetStatus;
use std::fmt::Write as _;

/// A parameter's path in words: `roster.handlers.shifts[0].count` is "call handlers, shift 1,
/// number on duty".
pub fn label(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for seg in path.split('.') {
        let (key, index) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let word = match key {
            "roster" | "demand" | "run" => continue,
            "handlers" => "call handlers".to_string(),
            "units" => "response units".to_string(),
            "shifts" => "shift".to_string(),
            "constant" => "always on duty".to_string(),
            "count" => "number on duty".to_string(),
            "emergency" => "999 calls".to_string(),
            "non_emergency" => "non-emergency calls".to_string(),
            "calls_per_week" => "calls a week".to_string(),
            "appointments" => "appointment sessions".to_string(),
            other => other.replace('_', " "),
        };
        parts.push(match index {
            Some(i) => format!("{word} {}", i + 1),
            None => word,
        });
    }
    if parts.is_empty() {
        path.to_string()
    } else {
        parts.join(", ")
    }
}

/// Parameter `k`'s name: the sweep file's label for it, else its path in words.
fn words(f: &SweepFolder, k: usize) -> String {
    match f.manifest.parameter_labels.get(k) {
        Some(Some(l)) => l.clone(),
        _ => label(&f.manifest.parameters[k]),
    }
}

/// Parameter `k`'s name with its path: "call handlers, always on duty
/// (roster.handlers.constant)".
fn named(f: &SweepFolder, k: usize) -> String {
    format!("{} ({})", words(f, k), f.manifest.parameters[k])
}

/// Point `point`'s name: its label in the sweep file, else its number and values
/// ("point 3: call handlers, always on duty 12").
fn point_name(f: &SweepFolder, point: usize, values: &[String]) -> String {
    if let Some(Some(l)) = f.manifest.point_labels.get(point) {
        return l.clone();
    }
    let v: Vec<String> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{} {v}", words(f, k)))
        .collect();
    if v.is_empty() {
        format!("point {point}: the base scenario")
    } else {
        format!("point {point}: {}", v.join(", "))
    }
}

/// Every point with its share of each target and the verdict: the table under the summary.
fn points_table(f: &SweepFolder, targets: &[(String, Vec<&SweepRow>)]) -> Option<Section> {
    const MOST: usize = 200;
    if f.manifest.points > MOST || targets.is_empty() {
        return None;
    }
    let mut html = String::from("<table><tr><th>point</th>");
    for k in 0..f.manifest.parameters.len() {
        let _ = write!(html, "<th>{}</th>", esc(&words(f, k)));
    }
    for (kpi, rows) in targets {
        let what = crate::scenario::presets::commitment(kpi).unwrap_or("share within target");
        let target = rows.first().map_or("", |r| r.row.target.as_str());
        let _ = write!(html, "<th>{} {} ({kpi})</th>", esc(what), esc(target));
    }
    html.push_str("</tr>");
    let mut points: Vec<(usize, &Vec<String>)> = targets
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| (r.point, &r.values)))
        .collect();
    points.sort_by_key(|p| p.0);
    points.dedup_by_key(|p| p.0);
    for (point, values) in points {
        let _ = write!(html, "<tr><td>{}</td>", esc(&point_name(f, point, values)));
        for v in values {
            let shown = if v.is_empty() { "(base)" } else { v.as_str() };
            let _ = write!(html, "<td>{}</td>", esc(shown));
        }
        for (_, rows) in targets {
            match rows.iter().find(|r| r.point == point) {
                Some(r) => {
                    let pc = |v: Option<f64>| {
                        v.map_or("-".to_string(), |v| format!("{:.1}%", 100.0 * v))
                    };
                    let verdict = match r.row.status {
                        Some(TargetStatus::Met) => "kept",
                        Some(TargetStatus::AtRisk) => "at risk",
                        Some(TargetStatus::Missed) => "missed",
                        _ => "not known",
                    };
                    let _ = write!(
                        html,
                        "<td>{} ({} to {}): {verdict}</td>",
                        pc(r.row.mean),
                        pc(r.row.ci_low),
                        pc(r.row.ci_high)
                    );
                }
                None => html.push_str("<td>-</td>"),
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    Some(Section {
        heading: "Every point".into(),
        html,
        charts: Vec::new(),
    })
}

/// The measured targets' headline rows, by target in order: (kpi, rows).
fn measured(f: &SweepFolder) -> Vec<(String, Vec<&SweepRow>)> {
    let mut out: Vec<(String, Vec<&SweepRow>)> = Vec::new();
    for r in &f.rows {
        let row = &r.row;
        let headline = row.required_share.is_some()
            && crate::measure::key::statistic(&row.statistic).is_some_and(|s| s.headline)
            && (row.clock == "call" || row.scope == "force")
            && matches!(row.scope.as_str(), "channel" | "grade" | "force");
        if !headline {
            continue;
        }
        match out.iter_mut().find(|(k, _)| *k == row.kpi) {
            Some((_, v)) => v.push(r),
            None => out.push((row.kpi.clone(), vec![r])),
        }
    }
    out.sort_by_key(|(k, _)| k.trim_start_matches('T').parse::<u32>().unwrap_or(99));
    out
}

/// The summary page: for each target, at which values it is kept, in words.
fn summary(f: &SweepFolder, targets: &[(String, Vec<&SweepRow>)]) -> Section {
    let params = &f.manifest.parameters;
    let mut html = format!(
        "<p>This sweep ran {} points, varying {}. For each pledge measured:</p><ul>",
        f.manifest.points,
        (0..params.len())
            .map(|k| esc(&named(f, k)))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    for (kpi, rows) in targets {
        let what = crate::scenario::presets::commitment(kpi).unwrap_or("");
        let target = rows.first().map_or("", |r| r.row.target.as_str());
        let kept: Vec<&&SweepRow> = rows
            .iter()
            .filter(|r| r.row.status == Some(TargetStatus::Met))
            .collect();
        let risk = rows
            .iter()
            .filter(|r| r.row.status == Some(TargetStatus::AtRisk))
            .count();
        let _ = write!(
            html,
            "<li><strong>{} {} ({kpi})</strong>: ",
            esc(what),
            esc(target)
        );
        if !f.manifest.point_labels.is_empty() {
            let names: Vec<String> = kept
                .iter()
                .map(|r| point_name(f, r.point, &r.values))
                .collect();
            if names.is_empty() {
                html.push_str("kept at none of the points");
            } else {
                let _ = write!(html, "kept at {}", esc(&names.join("; ")));
            }
        } else if params.len() == 1 {
            let mut values: Vec<&String> = kept.iter().map(|r| &r.values[0]).collect();
            values.sort_by(|a, b| {
                number(a)
                    .zip(number(b))
                    .map_or(a.cmp(b), |(x, y)| x.total_cmp(&y))
            });
            match values.first() {
                Some(v) => {
                    let _ = write!(
                        html,
                        "the lowest value of {} that keeps it: {}",
                        esc(&words(f, 0)),
                        esc(v)
                    );
                }
                None => html.push_str("kept at none of the values"),
            }
        } else {
            let _ = write!(html, "kept at {} of {} points", kept.len(), rows.len());
        }
        if risk > 0 {
            let _ = write!(html, "; at risk at {risk}");
        }
        html.push_str(".</li>");
    }
    html.push_str("</ul><p>\"Kept\" means the whole 95% range is at or above the share asked for; \"at risk\" that the range includes it.</p>");
    Section {
        heading: "Summary: where each pledge is kept".into(),
        html,
        charts: Vec::new(),
    }
}

/// The report's title and sections.
pub fn report(f: &SweepFolder) -> (String, Vec<Section>) {
    let params = &f.manifest.parameters;
    let title = format!(
        "Sweep: {}",
        (0..params.len())
            .map(|k| words(f, k))
            .collect::<Vec<_>>()
            .join(" by ")
    );
    let targets = measured(f);
    let mut sections = vec![summary(f, &targets)];
    sections.extend(points_table(f, &targets));
    sections.extend(trade_off(f));
    sections.extend(targets.iter().filter_map(|(kpi, _)| target(f, kpi)));
    let replications = f
        .manifest
        .replications
        .map_or("the base scenario's".to_string(), |n| n.to_string());
    sections.push(Section {
        heading: "Method".into(),
        html: format!(
            "<p>Every point ran on the same random numbers, {replications} replications each. Program pledgesim {}.</p>",
            esc(&f.manifest.program.version)
        ),
        charts: Vec::new(),
    });
    (title, sections)
}

/// A number if the text is one (parameters may be names).
fn number(text: &str) -> Option<f64> {
    text.parse().ok()
}

/// The values of one parameter, in order (numbers by size), once each.
fn axis(sel: &[&SweepRow], k: usize) -> Vec<String> {
    let mut v: Vec<String> = sel.iter().map(|r| r.values[k].clone()).collect();
    v.sort_by(|a, b| {
        number(a)
            .zip(number(b))
            .map_or(a.cmp(b), |(x, y)| x.total_cmp(&y))
    });
    v.dedup();
    v
}

/// One target's section: its headline share at every point.
fn target(f: &SweepFolder, kpi: &str) -> Option<Section> {
    let params = &f.manifest.parameters;
    let sel: Vec<&SweepRow> = f
        .rows
        .iter()
        .filter(|r| {
            let r = &r.row;
            r.kpi == kpi
                && r.required_share.is_some()
                && crate::measure::key::statistic(&r.statistic).is_some_and(|s| s.headline)
                && (r.clock == "call" || r.scope == "force")
                && matches!(r.scope.as_str(), "channel" | "grade" | "force")
        })
        .collect();
    if sel.is_empty() {
        return None;
    }
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let required = sel.iter().find_map(|r| r.row.required_share);
    let mut section = Section {
        heading: format!(
            "{} {} ({kpi})",
            crate::scenario::presets::commitment(kpi).unwrap_or("share within target"),
            sel[0].row.target
        ),
        html: String::new(),
        charts: Vec::new(),
    };
    let name = format!("sweep-{}", kpi.to_lowercase());
    match params.len() {
        1 => {
            let mut pts: Vec<(f64, f64, f64, f64)> = sel
                .iter()
                .filter_map(|r| {
                    Some((
                        number(&r.values[0])?,
                        nan(r.row.mean),
                        nan(r.row.ci_low),
                        nan(r.row.ci_high),
                    ))
                })
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            if !pts.is_empty() {
                section.charts.push((charts::sweep_line(&name, &format!("{kpi} against {}", words(f, 0)), &named(f, 0), &pts, required), "The line is the share meeting the pledge at each value, the band its 95% range; the dashed line is the share asked for.".into()));
            }
        }
        2 => {
            let (xs, ys) = (axis(&sel, 1), axis(&sel, 0));
            let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
            let mut intervals = vec![vec![(f64::NAN, f64::NAN); xs.len()]; ys.len()];
            for r in &sel {
                if let (Some(i), Some(j)) = (
                    ys.iter().position(|y| *y == r.values[0]),
                    xs.iter().position(|x| *x == r.values[1]),
                ) {
                    values[i][j] = nan(r.row.mean);
                    intervals[i][j] = (nan(r.row.ci_low), nan(r.row.ci_high));
                }
            }
            section.charts.push((charts::sweep_heatmap(&name, &format!("{kpi} by {} and {}", words(f, 1), words(f, 0)), &named(f, 1), &named(f, 0), &xs, &ys, &values, &intervals, required.unwrap_or(0.9)), "Each cell is the share meeting the pledge for one pair of values, with its 95% range where it fits; outlined cells keep the pledge (the whole range at or above the share asked for), ringed cells are at risk (the range includes it).".into()));
        }
        _ => {
            section.html =
                "<p>This sweep varies more than two parameters; its figures are in sweep.csv.</p>"
                    .into();
        }
    }
    Some(section)
}

/// The trade-off between emergency attendance and visible policing, when the sweep has both:
/// T3 (grade I, from the call) against the visible officer-hours a ward gets in a week, a
/// point for each point of the sweep, in its order.
fn trade_off(f: &SweepFolder) -> Option<Section> {
    let find = |point: usize, kpi: &str, scope_value: &str, clock: &str, statistic: &str| {
        f.rows.iter().find(|r| {
            r.point == point
                && r.row.kpi == kpi
                && r.row.scope_value == scope_value
                && r.row.clock == clock
                && r.row.statistic == statistic
        })
    };
    let mut points: Vec<usize> = f.rows.iter().map(|r| r.point).collect();
    points.dedup();
    let triple = |r: &SweepRow| {
        let v = |x: Option<f64>| x.unwrap_or(f64::NAN);
        (v(r.row.mean), v(r.row.ci_low), v(r.row.ci_high))
    };
    let mut pts = Vec::new();
    let mut required = None;
    for &p in &points {
        let t3 = find(p, "T3", "I", "call", "share_within")?;
        let hours = find(p, "T6", "all", "", "visible_hours_per_ward_week")?;
        required = required.or(t3.row.required_share);
        pts.push(charts::TradePoint {
            name: point_name(f, p, &t3.values),
            x: triple(hours),
            y: triple(t3),
        });
    }
    if pts.len() < 2 {
        return None;
    }
    let chart = charts::trade_off(
        "sweep-trade-off",
        "Emergency attendance against visible policing",
        "Visible officer-hours a ward gets in a week",
        "Emergencies attended in time (T3, from the call)",
        &pts,
        required,
    );
    Some(Section {
        heading: "Emergency attendance against visible policing".into(),
        html: "<p>Each numbered point is a point of the sweep: across, the officer-hours a ward sees its neighbourhood officers visibly in a week; up, the share of emergencies attended in time. The bars are 95% ranges. Every point ran on the same random numbers, so the line shows what moving officers between the two costs in the other. The pledge's T6 figure is in the table of every point; the visible share and the time lost to backfill are in sweep.csv.</p>".into(),
        charts: vec![(chart, "Read along the line: a step to the right buys visible hours, a step down is what it costs in emergency attendance. The dashed line is the share the pledge asks for.".into())],
    })
}
