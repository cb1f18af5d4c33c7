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
    html.push_str(&staffing(f));
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

/// The staffing beside the targets: FTE, hours paid and, with pay rates, the cost a week, in a
/// sentence (empty for a folder without staffing rows, written before they were).
fn staffing(f: &RunFolder) -> String {
    let find = |scope: &str, value: &str, stat: &str| {
        f.summary
            .kpis
            .iter()
            .find(|k| {
                k.kpi == "staffing"
                    && k.scope == scope
                    && k.scope_value == value
                    && k.statistic == stat
            })
            .and_then(|k| k.mean)
    };
    let (Some(fte), Some(hours)) = (
        find("force", "all", "fte"),
        find("force", "all", "hours_paid_per_week"),
    ) else {
        return String::new();
    };
    use crate::output::scorecard::{money, thousands};
    let mut text = format!(
        "<p><strong>Staffing:</strong> {fte:.1} full-time equivalents, {} hours paid a week",
        thousands(hours)
    );
    match find("force", "all", "cost_per_week") {
        Some(c) => {
            let _ = write!(text, ", {} a week at the scenario's pay rates", money(c));
        }
        None => text.push_str(" (the scenario gives no pay rates, so no cost)"),
    }
    let roles: Vec<String> = crate::scenario::pay::ROLES
        .iter()
        .filter_map(|role| {
            let fte = find("role", role, "fte")?;
            Some(match find("role", role, "cost_per_week") {
                Some(c) => format!("{role} {fte:.1} FTE ({})", money(c)),
                None => format!("{role} {fte:.1} FTE"),
            })
        })
        .collect();
    if roles.len() > 1 {
        let _ = write!(text, "; by role, {}", esc(&roles.join(", ")));
    }
    text.push_str(".</p>\n");
    text
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

/// A histogram's bins, in order: (low, high or None for the open last bin, count), in ms.
fn bins(f: &RunFolder, kpi: &str, measure: &str) -> Vec<(u64, Option<u64>, f64)> {
    let mut v: Vec<_> = f
        .histograms
        .iter()
        .filter(|r| r.kpi == kpi && r.measure == measure)
        .map(|r| (r.bin_low_ms, r.bin_high_ms, r.count as f64))
        .collect();
    v.sort_by_key(|b| b.0);
    v
}

/// The total of one figure over all replications: its mean times the replications.
fn pooled_total(f: &RunFolder, kpi: &str, statistic: &str) -> f64 {
    f.summary
        .kpis
        .iter()
        .find(|k| k.kpi == kpi && k.statistic == statistic && k.clock == "call")
        .and_then(|k| k.mean)
        .map_or(0.0, |m| m * f.summary.replications as f64)
}

/// The share within each time `t`, in seconds, counted as the scorecard counts it and pooled
/// over every replication: for calls (`abandon` given), answered within t / (answered +
/// abandoned after t + unresolved); for incidents, attended within t / (attended +
/// unattended). Read at a target's time it is the scorecard's definition of that target, pooled
/// rather than averaged over replications. Cut where 99.5% are in, and not before `until` s.
pub fn share_curve(
    f: &RunFolder,
    kpi: &str,
    measure: &str,
    abandon: Option<&str>,
    until: f64,
) -> Vec<(f64, f64)> {
    let done = bins(f, kpi, measure);
    let gave_up = abandon.map(|m| bins(f, kpi, m)).unwrap_or_default();
    let misses = pooled_total(
        f,
        kpi,
        if abandon.is_some() {
            "unresolved"
        } else {
            "unattended"
        },
    );
    let all_done: f64 = done.iter().map(|b| b.2).sum();
    let mut acc = 0.0;
    let mut pts = Vec::new();
    let share = |acc: f64, t_ms: u64| {
        // Callers who hung up at or after t count as misses; those who hung up sooner do not.
        let later: f64 = gave_up.iter().filter(|b| b.0 >= t_ms).map(|b| b.2).sum();
        let whole = all_done + later + misses;
        if whole > 0.0 { acc / whole } else { 0.0 }
    };
    pts.push((0.0, share(0.0, 0)));
    for (_, high, count) in &done {
        let Some(high) = high else { break };
        acc += count;
        let s = share(acc, *high);
        let t = *high as f64 / 1000.0;
        pts.push((t, s));
        if s >= 0.995 && t >= until {
            break;
        }
    }
    if pts.len() == 1 { Vec::new() } else { pts }
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

/// One line of a cumulative chart: its label, points and own target time.
type Line = (String, Vec<(f64, f64)>, Option<f64>);

/// The lines of a cumulative chart that have data, each with its own target.
fn lines(f: &RunFolder, measure: &str, abandon: Option<&str>, which: &[(&str, &str)]) -> Vec<Line> {
    which
        .iter()
        .map(|(kpi, label)| {
            let t = target_seconds(f, kpi);
            let pts = share_curve(f, kpi, measure, abandon, t.unwrap_or(0.0));
            (format!("{label} ({kpi})"), pts, t)
        })
        .filter(|(_, pts, _)| pts.len() > 1)
        .collect()
}

/// The words under a cumulative chart that tie each mark to the scorecard: the share read at
/// each line's own target, and the scorecard's figure beside it where they differ.
fn marks_in_words(f: &RunFolder, lines: &[Line]) -> String {
    let mut parts = Vec::new();
    for (label, pts, t) in lines {
        let (Some(t), Some(kpi)) = (t, label.rsplit('(').next()) else {
            continue;
        };
        let kpi = kpi.trim_end_matches(')');
        let Some(at) = charts::share_at(pts, *t) else {
            continue;
        };
        let row = f.scorecard.iter().find(|r| r.kpi == kpi);
        let card = row.and_then(|r| r.mean);
        let by_ward_type = row.is_some_and(|r| r.target.contains("rural"));
        let mut s = format!(
            "{} {} within {}",
            short(label, 60),
            pct(at),
            in_words(&crate::time::Duration::from_secs_f64(*t).to_string())
        );
        if let Some(c) = card {
            if by_ward_type {
                let _ = write!(
                    s,
                    " (marked at the urban time; the scorecard's {} holds each incident to its own ward's time, urban or rural)",
                    pct(c)
                );
            } else if (c - at).abs() >= 0.0005 {
                let _ = write!(
                    s,
                    " (the scorecard's {} is the average of the runs' own shares; the line pools every run's {})",
                    pct(c),
                    if kpi == "T1" || kpi == "T2" {
                        "calls"
                    } else {
                        "incidents"
                    }
                );
            } else {
                s.push_str(", as on the scorecard");
            }
        }
        parts.push(s);
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Marked: {}.", parts.join("; "))
    }
}

/// 2. Detail by target: answer and attendance times.
fn waits(f: &RunFolder) -> Option<Section> {
    let mut detail = Section {
        heading: "How long callers wait, and how long attendance takes".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    type Curves = Vec<(String, Vec<(f64, f64)>)>;
    let split = |ls: &[Line]| -> (Curves, Vec<Option<f64>>) {
        (
            ls.iter().map(|(l, p, _)| (l.clone(), p.clone())).collect(),
            ls.iter().map(|l| l.2).collect(),
        )
    };
    let answers = lines(
        f,
        "answer_wait",
        Some("abandon_wait"),
        &[("T1", "999 calls"), ("T2", "non-emergency calls")],
    );
    if !answers.is_empty() {
        let (series, targets) = split(&answers);
        let c = charts::cumulative(
            "answer-times",
            "Calls answered within a given wait",
            "wait before answer",
            &series,
            &targets,
        );
        detail.charts.push((c, format!("Each line rises to the share of calls answered within the wait along the bottom, counted as the scorecard counts them: a caller who hung up after that wait is a miss, one who hung up sooner is left out. Each line's own target is marked on it at its own time with a dashed line in its colour.{}", marks_in_words(f, &answers))));
    }
    let attendance = lines(
        f,
        "attend_from_call",
        None,
        &[
            ("T3", "emergencies, from the call"),
            ("T4", "priority incidents, from the call"),
        ],
    );
    if !attendance.is_empty() {
        let (series, targets) = split(&attendance);
        let c = charts::cumulative(
            "attendance-times",
            "Incidents attended within a given time",
            "time from the call to the first officer's arrival",
            &series,
            &targets,
        );
        detail.charts.push((c, format!("Each line rises to the share of incidents an officer reached within the time along the bottom (incidents never attended count as misses). Each line's own target is marked on it at its own time.{}", marks_in_words(f, &attendance))));
    }
    (!detail.charts.is_empty()).then_some(detail)
}

/// The hour-of-week figures a report draws: (kpi, title).
const HOUR_FIGURES: [(&str, &str); 3] = [
    ("T1", "999 calls answered within target"),
    ("T2", "Non-emergency calls answered within target"),
    ("T3", "Emergencies attended within target"),
];

/// 3. By hour of the week: every figure on one colour scale.
fn hours(f: &RunFolder) -> Option<Section> {
    let mut by_hour = Section {
        heading: "By hour of the week".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    let mut figures = Vec::new();
    for (kpi, label) in HOUR_FIGURES {
        let rows: Vec<_> = f
            .hourly
            .iter()
            .filter(|r| r.kpi == kpi && r.statistic == "share_within" && r.scope == "hour_of_week")
            .collect();
        if rows.len() != 168 {
            continue;
        }
        let mut cells = [(f64::NAN, f64::NAN, f64::NAN); 168];
        for (h, r) in rows.iter().enumerate() {
            cells[h] = (val(r.mean), val(r.ci_low), val(r.ci_high));
        }
        let required = rows.iter().find_map(|r| r.required_share).unwrap_or(0.9);
        figures.push((kpi, label, cells, required));
    }
    // One colour scale for every hour-of-week figure: the lowest share of any, and the lowest
    // share asked for.
    let lowest_required = figures.iter().map(|x| x.3).fold(1.0, f64::min);
    let low = charts::share_scale_low(
        figures.iter().flat_map(|x| x.2.iter().map(|c| c.0)),
        lowest_required,
    );
    for (kpi, label, cells, required) in &figures {
        let c = charts::hour_of_week(
            &format!("hours-{}", kpi.to_lowercase()),
            label,
            cells,
            *required,
            low,
        );
        by_hour.charts.push((c, format!("Each square is one hour of the week: the share of calls or incidents in that hour that met the pledge ({kpi}); the darker, the lower the share. Every chart of this section uses the same colour scale, from {} to 100%. A cross marks an hour whose whole 95% range is below the {} asked for (missed), a ring an hour whose range includes it (at risk).", pct(low), pct(*required))));
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
    let mut parts = Vec::new();
    for w in f.manifest.scenario.response.iter().flat_map(|r| &r.wards) {
        let mut p = charts::WardParts::default();
        for (k, poly) in w.shape.iter().flat_map(|s| s.parts.iter()).enumerate() {
            for (r, ring) in poly.iter().enumerate() {
                match (k, r) {
                    (0, 0) => {}
                    (_, 0) => p.outer.push(ring.clone()),
                    _ => p.holes.push(ring.clone()),
                }
            }
        }
        parts.push(p);
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
    let sectors: Vec<(String, Vec<usize>)> = f
        .manifest
        .scenario
        .response
        .iter()
        .flat_map(|r| &r.sectors)
        .filter_map(|s| {
            let name = s.get("name")?.as_str()?.to_string();
            let wards = s.get("wards")?.as_array()?;
            let wards = wards.iter().filter_map(|w| w.as_u64()).map(|w| w as usize);
            Some((name, wards.collect()))
        })
        .collect();
    if !shapes.is_empty() {
        section.charts.push((charts::ward_map_with_parts("ward-map", "Map of wards: emergencies attended within target", &shapes, if parts.iter().any(|p| !p.outer.is_empty() || !p.holes.is_empty()) { &parts } else { &[] }, &sectors, required), "Each ward drawn where it lies, shaded by its share of emergencies attended in time: the darker, the lower the share (the worse); hatched wards fall below the share asked for. Sector names are boxed on the map and heavier lines divide the sectors. A ward too small for its name carries a number (with a line to the ward when the number had to move); the key below the map lists every ward by sector with its number and share.".into()));
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
        let after = match n.pull_after.as_deref() {
            Some(p) => format!(
                "{after}; pulled when no response unit can arrive within {p} of an incident's creation and they would arrive sooner"
            ),
            None => after,
        };
        let _ = writeln!(
            h,
            "<table><tr><th>neighbourhood teams</th><td>{} officers in all; taken to response work {after}</td></tr></table>",
            n.members.len()
        );
    }
    h
}
