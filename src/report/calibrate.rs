//! The report of a calibration: the fitted values with their intervals, each observed figure
//! against the fitted model, the residuals charted, and the warnings in words.

use super::Section;
use super::charts;
use super::html::esc;
use super::read::CalibrateFolder;
use crate::output::calibrate::FittedParameter;
use std::fmt::Write as _;

/// The report's title and sections.
pub fn report(f: &CalibrateFolder) -> (String, Vec<Section>) {
    let title = format!(
        "{}: calibrated to the force's observed figures",
        f.manifest.scenario_name
    );
    (title, vec![fit(f), method(f)])
}

/// A value as people read it: minutes or seconds for a duration, the number otherwise.
fn show(p: &FittedParameter, v: f64) -> String {
    if p.unit == "duration" {
        let s = v / 1000.0;
        if s >= 120.0 {
            format!("{:.2} min", s / 60.0)
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{v:.4}")
    }
}

fn label(kpi: &str, scope: &str, value: &str, clock: &str, statistic: &str) -> String {
    [kpi, scope, value, clock, statistic]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// 1. The fit: parameters, figures, the residuals' chart and the warnings.
fn fit(f: &CalibrateFolder) -> Section {
    let s = &f.summary;
    let mut html = String::new();
    let _ = write!(
        html,
        "<div class=\"summary\"><p><strong>{} of {} observed figures are matched within 2 standard errors</strong> by the fitted model; {} points were evaluated.</p></div>",
        s.figures
            .iter()
            .filter(|x| x.residual.is_some_and(|r| r.abs() <= 2.0))
            .count(),
        s.figures.len(),
        s.evaluations
    );
    html.push_str("<table><tr><th>parameter</th><th>fitted value</th><th>90% interval</th><th>searched between</th></tr>");
    for p in &s.parameters {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td></tr>",
            // A break allowed after each dot, so that a long path fits the printed page.
            esc(&p.path).replace('.', ".<wbr>"),
            show(p, p.value),
            if p.se.is_some() {
                format!("{} to {}", show(p, p.ci90_low), show(p, p.ci90_high))
            } else {
                "not estimable".into()
            },
            show(p, p.from),
            show(p, p.to)
        );
    }
    html.push_str("</table><table><tr><th>observed figure</th><th>observed (SE)</th><th>fitted model (SE)</th><th>residual</th></tr>");
    let mut rows = Vec::new();
    for x in &s.figures {
        let name = label(&x.kpi, &x.scope, &x.scope_value, &x.clock, &x.statistic);
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{:.4} ({:.4})</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&name),
            x.observed,
            x.observed_se,
            match (x.simulated, x.simulated_se) {
                (Some(m), Some(se)) => format!("{m:.4} ({se:.4})"),
                (Some(m), None) => format!("{m:.4}"),
                _ => "no value".into(),
            },
            x.residual.map_or("".into(), |r| format!("{r:+.2} SE"))
        );
        if let Some(r) = x.residual {
            rows.push((name, r, r - 1.96, r + 1.96));
        }
    }
    html.push_str("</table><p>A residual is the fitted model's value minus the observed one, in their combined standard error; within about 2 either way the model reproduces the figure as well as the two can be told apart.</p>");
    if !s.warnings.is_empty() {
        html.push_str("<p><strong>Warnings</strong></p><ul>");
        for w in &s.warnings {
            let _ = write!(html, "<li>{}</li>", esc(w));
        }
        html.push_str("</ul>");
    }
    let chart = charts::differences(
        "calibration-residuals",
        "Fitted model minus observed, in combined standard errors (95% range)",
        &rows,
        "SE",
    );
    Section {
        heading: "The fit".into(),
        html,
        charts: vec![(
            chart,
            "Each observed figure: the fitted model's value minus the observed one, in their combined standard error, with its 95% range. Zero is a perfect match.".into(),
        )],
    }
}

/// 2. How it was fitted.
fn method(f: &CalibrateFolder) -> Section {
    let m = &f.manifest;
    let html = format!(
        "<p>Scenario {} with the observed figures of {}. Every point ran {} replications from seed {} (the same random numbers at every point), {} at the end; the search began with {} points of a Latin hypercube and refined them by Nelder-Mead. {}.</p>",
        esc(&m.scenario),
        esc(&m.observed),
        m.replications,
        m.seed,
        m.final_replications,
        m.start_points,
        esc(&m.method)
    );
    Section {
        heading: "How it was fitted".into(),
        html,
        charts: Vec::new(),
    }
}
