//! The report of a run: the scorecard page, waits and attendance, hours, wards, neighbourhood teams, assumptions and method.

use super::Section;
use super::charts::{self, Bar, Status};
use super::html::esc;
use super::read::RunFolder;
use super::words::{are, class_of, in_words, pct, short, verdict_words};
use crate::output::contract::{ScenarioEcho, ScorecardRow, TargetStatus};
use std::fmt::Write as _;

/// A figure, NaN where there is none (charts draw NaN as "no figure").
fn val(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

fn chart_status(s: Option<TargetStatus>) -> Status {
    match s {
        Some(TargetStatus::Met) => Status::Met,
        Some(TargetStatus::AtRisk) => Status::AtRisk,
        Some(TargetStatus::Missed) => Status::Missed,
        _ => Status::Unknown,
    }
}

/// The report's title and sections.
pub fn report(f: &RunFolder) -> (String, Vec<Section>) {
    let title = format!(
        "{}: the Policing Pledge, simulated",
        f.manifest.scenario.name
    );
    let mut sections = vec![summary(f)];
    sections.extend(waits(f));
    sections.extend(hours(f));
    sections.extend(wards(f));
    sections.extend(neighbourhood(f));
    sections.push(Section {
        heading: "Assumptions".into(),
        html: assumptions(&f.manifest.scenario),
        charts: Vec::new(),
    });
    sections.push(method(f));
    (title, sections)
}

/// Targets with a figure.
fn measured(f: &RunFolder) -> Vec<&ScorecardRow> {
    f.scorecard.iter().filter(|r| r.mean.is_some()).collect()
}

/// 1. The one-page summary: how many pledges are kept, the table, the warnings, the chart.
fn summary(f: &RunFolder) -> Section {
    let measured = measured(f);
    let count = |s: TargetStatus| measured.iter().filter(|r| r.status == Some(s)).count();
    let m = &f.summary.measurement;
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<div class=\"summary\"><p><strong>Of the {} pledges this scenario measures, {} kept, {} at risk and {} missed.</strong> Each figure is the share of calls, incidents, tasks or officer-months that met the pledge, averaged over {} simulated runs of {} (after a warm-up of {}), with the range it lies in with 95% confidence.</p>",
        measured.len(),
        are(count(TargetStatus::Met), "is", "are"),
        are(count(TargetStatus::AtRisk), "is", "are"),
        are(count(TargetStatus::Missed), "is", "are"),
        f.summary.replications,
        in_words(&m.horizon),
        in_words(&m.warm_up)
    );
    html.push_str(&scorecard_table(&f.scorecard));
    let _ = writeln!(
        html,
        "<p>\"At risk\" means the range includes the share asked for: more runs, or a small change, could tip it either way. \"Kept\" and \"missed\" mean the whole range is above, or below, what the pledge asks.</p>"
    );
    if !f.summary.warnings.is_empty() {
        let _ = writeln!(
            html,
            "<div class=\"warnings\"><strong>Warnings:</strong><ul>"
        );
        for w in &f.summary.warnings {
            let _ = writeln!(html, "<li>{}</li>", esc(w));
        }
        let _ = writeln!(html, "</ul></div>");
    }
    let _ = writeln!(html, "</div>");
    let bars: Vec<Bar> = measured
        .iter()
        .map(|r| Bar {
            label: format!("{} {}", r.kpi, short(&r.commitment, 38)),
            value: val(r.mean),
            low: val(r.ci_low),
            high: val(r.ci_high),
            required: r.required_share,
            status: chart_status(r.status),
        })
        .collect();
    let scorecard = charts::scorecard("scorecard", "The pledge scorecard", &bars);
    Section {
        heading: "Summary: which pledges are kept".into(),
        html,
        charts: vec![(scorecard, "Each bar is the share achieved, with its 95% range; the mark on each bar is the share the pledge asks for. Dark green: kept; amber: at risk; dark red: missed.".into())],
    }
}

/// The scorecard as a table of measured targets, then the unmeasured ones by reason.
fn scorecard_table(score: &[ScorecardRow]) -> String {
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<table><tr><th>pledge</th><th>what is promised</th><th>achieved (95% range)</th><th>the pledge asks</th><th>verdict</th></tr>"
    );
    let mut not_here: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in score {
        let verdict = verdict_words(r.status);
        if r.mean.is_none() {
            match not_here.iter_mut().find(|(v, _)| *v == verdict) {
                Some((_, ids)) => ids.push(&r.kpi),
                None => not_here.push((verdict, vec![&r.kpi])),
            }
            continue;
        }
        let achieved = format!(
            "{} ({}&ndash;{})",
            pct(val(r.mean)),
            pct(val(r.ci_low)).trim_end_matches('%'),
            pct(val(r.ci_high))
        );
        let promise = format!("{} {}", r.commitment, in_words(&r.target));
        let promise = promise
            .trim_end_matches(" 80% visible")
            .trim_end_matches(" monthly");
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
            esc(&r.kpi),
            esc(promise),
            achieved,
            asked(r),
            class_of(r.status),
            verdict
        );
    }
    let _ = writeln!(html, "</table>");
    for (verdict, ids) in &not_here {
        let _ = writeln!(html, "<p>{}: {verdict}.</p>", esc(&ids.join(", ")));
    }
    html
}

/// What the pledge asks, in words: "90.0% within 10 seconds".
fn asked(r: &ScorecardRow) -> String {
    let required = pct(val(r.required_share));
    let target = &r.target;
    if target.ends_with("visible") {
        format!(
            "{required} of officer-months at least {}",
            esc(target).replace(" visible", " visible in their ward")
        )
    } else if target == "monthly" {
        format!("{required} of monthly meetings held")
    } else {
        format!("{required} within {}", esc(&in_words(target)))
    }
}

/// The cumulative share of a histogram's times, in seconds, cut where 99.5% are in (so that
/// the part that matters is readable).
fn cumulative(f: &RunFolder, kpi: &str, measure: &str) -> Vec<(f64, f64)> {
    let rows: Vec<_> = f
        .histograms
        .iter()
        .filter(|r| r.kpi == kpi && r.measure == measure)
        .collect();
    let total: f64 = rows.iter().map(|r| r.count as f64).sum();
    let mut acc = 0.0;
    let mut pts = vec![(0.0, 0.0)];
    for r in rows {
        acc += r.count as f64;
        let share = if total > 0.0 { acc / total } else { 0.0 };
        pts.push((r.bin_high_ms.map_or(f64::NAN, |h| h as f64) / 1000.0, share));
        if share >= 0.995 {
            break;
        }
    }
    pts
}

/// A target's time in seconds: "15min urban, 20min rural" gives the first.
fn target_seconds(f: &RunFolder, kpi: &str) -> Option<f64> {
    f.scorecard
        .iter()
        .find(|r| r.kpi == kpi)
        .and_then(|r| {
            r.target
                .split([' ', ','])
                .next()?
                .parse::<crate::time::Duration>()
                .ok()
        })
        .map(|d| d.secs_f64())
}

/// The lines of a cumulative chart that have data.
fn series(f: &RunFolder, measure: &str, lines: &[(&str, &str)]) -> Vec<(String, Vec<(f64, f64)>)> {
    lines
        .iter()
        .map(|(kpi, label)| (label.to_string(), cumulative(f, kpi, measure)))
        .filter(|(_, pts)| pts.len() > 1)
        .collect()
}

/// 2. Detail by target: answer and attendance times.
fn waits(f: &RunFolder) -> Option<Section> {
    let mut detail = Section {
        heading: "How long callers wait, and how long attendance takes".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    let answers = series(
        f,
        "answer_wait",
        &[("T1", "999 calls"), ("T2", "non-emergency calls")],
    );
    if !answers.is_empty() {
        let c = charts::cumulative(
            "answer-times",
            "Calls answered within a given wait",
            "wait before answer",
            &answers,
            target_seconds(f, "T1"),
        );
        detail.charts.push((c, "Of the calls answered, each line rises to the share answered within the wait along the bottom; the dashed line is the 999 target. The higher and further left a line, the better. (The scorecard also counts callers who hung up after the target time, so its shares are a little lower.)".into()));
    }
    let attendance = series(
        f,
        "attend_from_call",
        &[
            ("T3", "emergencies (from the call)"),
            ("T4", "priority incidents (from the call)"),
        ],
    );
    if !attendance.is_empty() {
        let c = charts::cumulative(
            "attendance-times",
            "Incidents attended within a given time",
            "time from the call to the first officer's arrival",
            &attendance,
            target_seconds(f, "T3"),
        );
        detail.charts.push((c, "Each line rises to the share of incidents an officer reached within the time along the bottom; the dashed line is the emergency target.".into()));
    }
    (!detail.charts.is_empty()).then_some(detail)
}

/// 3. By hour of the week.
fn hours(f: &RunFolder) -> Option<Section> {
    let mut by_hour = Section {
        heading: "By hour of the week".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    for (kpi, label) in [
        ("T1", "999 calls answered within target"),
        ("T2", "Non-emergency calls answered within target"),
        ("T3", "Emergencies attended within target"),
    ] {
        let rows: Vec<_> = f
            .hourly
            .iter()
            .filter(|r| r.kpi == kpi && r.statistic == "share_within" && r.scope == "hour_of_week")
            .collect();
        if rows.len() != 168 {
            continue;
        }
        let mut values = [f64::NAN; 168];
        for (h, r) in rows.iter().enumerate() {
            values[h] = val(r.mean);
        }
        let required = rows.iter().find_map(|r| r.required_share).unwrap_or(0.9);
        let c = charts::hour_of_week(
            &format!("hours-{}", kpi.to_lowercase()),
            label,
            &values,
            required,
        );
        by_hour.charts.push((c, format!("Each square is one hour of the week: the share of calls or incidents in that hour that met the pledge. Marked squares fall below the {} asked for.", pct(required))));
    }
    (!by_hour.charts.is_empty()).then_some(by_hour)
}

/// 4. By ward: emergency attendance as bars and as a map.
fn wards(f: &RunFolder) -> Option<Section> {
    let rows: Vec<_> = f
        .wards
        .as_ref()?
        .iter()
        .filter(|r| r.kpi == "T3" && r.statistic == "share_within")
        .collect();
    let required = rows.iter().find_map(|r| r.required_share).unwrap_or(0.9);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.scope_value.clone(),
            value: val(r.mean),
            low: val(r.ci_low),
            high: val(r.ci_high),
            required: Some(required),
            status: chart_status(r.status),
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let mut section = Section {
        heading: "By ward: emergency attendance".into(),
        html: String::new(),
        charts: vec![(charts::bars("wards-t3", "Emergencies attended within target, by ward", &bars), "Each bar is a ward's share of emergencies attended within the pledge's time, with its 95% range; the dashed line is the share asked for.".into())],
    };
    let mut shapes = Vec::new();
    for w in f.manifest.scenario.response.iter().flat_map(|r| &r.wards) {
        let share = rows
            .iter()
            .find(|r| r.scope_value == w.name)
            .map_or(f64::NAN, |r| val(r.mean));
        let poly: Vec<(f64, f64)> = match &w.shape {
            Some(s) => s.vertices.clone(),
            None => {
                let h = w.area_km2.sqrt() / 2.0;
                let (x, y) = (w.x, w.y);
                vec![
                    (x - h, y - h),
                    (x + h, y - h),
                    (x + h, y + h),
                    (x - h, y + h),
                ]
            }
        };
        shapes.push((w.name.clone(), poly, share));
    }
    if !shapes.is_empty() {
        section.charts.push((charts::ward_map("ward-map", "Map of wards: emergencies attended within target", &shapes, required), "Each ward drawn where it lies, shaded by its share of emergencies attended in time: the darker, the better.".into()));
    }
    Some(section)
}

/// 5. Neighbourhood teams: officer-months by visible share, and where the rest went.
fn neighbourhood(f: &RunFolder) -> Option<Section> {
    let bins: Vec<(String, f64)> = f
        .neighbourhood
        .as_ref()?
        .iter()
        .filter(|r| r.scope == "visible_share_bin" && r.role == "all")
        .map(|r| (r.bin.clone(), val(r.mean)))
        .collect();
    if bins.is_empty() {
        return None;
    }
    let lost: Vec<(String, f64)> = f
        .summary
        .kpis
        .iter()
        .filter(|k| k.kpi == "T6")
        .filter_map(|k| {
            let cause = k.statistic.strip_prefix("lost_share_")?;
            Some((cause.to_string(), val(k.mean)))
        })
        .collect();
    let threshold = f
        .manifest
        .scenario
        .targets
        .iter()
        .find(|t| t.id == "T6")
        .and_then(|t| t.threshold)
        .unwrap_or(0.8);
    let c = charts::visible_time(
        "visible-time",
        "Neighbourhood officers' time visible in their own ward",
        &bins,
        threshold,
        &lost,
    );
    Some(Section {
        heading: "Neighbourhood teams: time visible in their wards".into(),
        html: "<p>The pledge promises that neighbourhood officers spend at least 80% of their time visibly in their own ward. Each officer's share is counted month by month.</p>".into(),
        charts: vec![(c, "Left: how many officer-months reached each share of visible time (the dashed line is the pledge's 80%). Right: where the rest of their time on duty went.".into())],
    })
}

/// 6. Method, and how to reproduce the run.
fn method(f: &RunFolder) -> Section {
    let (m, s) = (&f.manifest, &f.summary);
    Section {
        heading: "Method, and how to reproduce this report".into(),
        html: format!(
            "<p>pledgesim simulates every call and incident, one after another, over {} after a warm-up of {}, {} times with different random numbers (replications). Each figure is the average over the replications, with a 95% confidence interval from Student's t distribution: the range within which the true figure lies with 95% confidence, given the scenario. A pledge is <em>kept</em> when the whole interval is at or above the share asked for, <em>missed</em> when it is wholly below, and <em>at risk</em> otherwise.</p>\n<table><tr><th>program</th><td>pledgesim {}</td></tr><tr><th>scenario hash</th><td><code>{}</code></td></tr><tr><th>master seed</th><td>{}</td></tr><tr><th>replications</th><td>{}</td></tr><tr><th>source</th><td>{}</td></tr></table>\n<p>Running the same program version on the same scenario with the same seed gives the same figures, byte for byte. This report was built from the run's files alone.</p>",
            esc(&s.measurement.horizon),
            esc(&s.measurement.warm_up),
            s.replications,
            esc(&m.program.version),
            esc(&m.scenario_hash),
            s.seed,
            s.replications,
            esc(&m.source)
        ),
        charts: Vec::new(),
    }
}

/// The scenario as readable tables: demand, rosters, wards, policies.
fn assumptions(sc: &ScenarioEcho) -> String {
    let mut h = String::new();
    let _ = writeln!(h, "<p>{}</p>", esc(&sc.description));
    let _ = writeln!(
        h,
        "<table><tr><th>calls</th><th>a week</th><th>mean handling time</th><th>callers hang up</th></tr>"
    );
    for ch in &sc.channels {
        let per_week = ch
            .arrivals
            .calls_per_week
            .map_or("fixed calls".to_string(), |v| format!("{v:.0}"));
        let handling = ch
            .handling
            .mean
            .as_deref()
            .or(ch.handling.value.as_deref())
            .unwrap_or("as given");
        let patience = match &ch.patience {
            None => "no".to_string(),
            Some(p) => format!(
                "after {} on average",
                p.mean
                    .as_deref()
                    .or(p.value.as_deref())
                    .unwrap_or("a while")
            ),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&ch.kind),
            per_week,
            esc(handling),
            esc(&patience)
        );
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(
        h,
        "<table><tr><th>call handler shift</th><th>starts</th><th>length</th><th>handlers</th></tr>"
    );
    if sc.handlers.constant > 0 {
        let _ = writeln!(
            h,
            "<tr><td>always on duty</td><td></td><td></td><td class=\"num\">{}</td></tr>",
            sc.handlers.constant
        );
    }
    for s in sc.handlers.shifts.iter().take(40) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&s.name),
            esc(&s.start),
            esc(&s.length),
            s.count
        );
    }
    let _ = writeln!(h, "</table>");
    if let Some(r) = &sc.response {
        let _ = writeln!(
            h,
            "<table><tr><th>field side</th><td>{} wards in {} response sectors; an emergency may take an officer from a priority call: {}; units from neighbouring sectors within {} km help when a sector has none free</td></tr></table>",
            r.wards.len(),
            r.sectors.len(),
            if r.divert { "yes" } else { "no" },
            r.borrow_within_km
        );
    }
    if let Some(n) = &sc.neighbourhood {
        let after = n
            .abstract_after
            .as_deref()
            .map_or("never".to_string(), |a| {
                format!("when an emergency has waited {a} for a response unit")
            });
        let _ = writeln!(
            h,
            "<table><tr><th>neighbourhood teams</th><td>{} officers in all; taken to response work {after}</td></tr></table>",
            n.members.len()
        );
    }
    h
}
