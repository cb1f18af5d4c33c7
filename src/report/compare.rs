//! The report of a comparison: each scenario's headline differences from the baseline, as a table and a chart.

use super::Section;
use super::charts;
use super::html::esc;
use super::read::CompareFolder;
use super::words::pct;
use crate::output::contract::{Comparison, DiffRow};
use std::fmt::Write as _;

/// The report's title and sections.
pub fn report(f: &CompareFolder) -> (String, Vec<Section>) {
    let title = "Comparing scenarios: what a change would do".to_string();
    let mut sections = Vec::new();
    for (i, c) in f.summary.comparisons.iter().enumerate() {
        sections.push(comparison(f, c, i + 1));
    }
    sections.push(Section {
        heading: "Method".into(),
        html: format!(
            "<p>Every scenario ran on the same random numbers (common random numbers): replication r of each saw the same calls at the same times, so differences come from the change, not from chance. Program pledgesim {}.</p>",
            esc(&f.manifest.program.version)
        ),
        charts: Vec::new(),
    });
    (title, sections)
}

/// Whether a row is a pledge's headline share (on the call's clock, or force-wide).
fn headline(r: &DiffRow) -> bool {
    r.required.is_some()
        && crate::measure::key::statistic(&r.statistic).is_some_and(|s| s.headline)
        && (r.clock == "call" || r.scope == "force")
}

/// One scenario against the baseline: the table and the chart of differences.
fn comparison(f: &CompareFolder, c: &Comparison, number: usize) -> Section {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let mut html = format!(
        "<p>{} against {} (the baseline), on the same simulated calls ({} replications, seed {}). A difference is shown as percentage points of the share meeting each pledge.</p><table><tr><th>pledge</th><th>baseline</th><th>{}</th><th>difference (95% range)</th><th>verdict</th></tr>",
        esc(&c.scenario),
        esc(&c.baseline),
        f.summary.replications,
        f.summary.seed,
        esc(&c.scenario)
    );
    let mut diffs = Vec::new();
    for r in c.rows.iter().filter(|r| headline(r)) {
        let d = &r.difference;
        let (m, lo, hi) = (nan(d.mean), nan(d.ci_low), nan(d.ci_high));
        let _ = write!(
            html,
            "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:+.1} ({:+.1} to {:+.1}) points</td><td>{}</td></tr>",
            esc(&r.kpi),
            esc(&r.scope_value),
            pct(nan(r.baseline_mean)),
            pct(nan(r.mean)),
            m * 100.0,
            lo * 100.0,
            hi * 100.0,
            esc(&r.verdict)
        );
        diffs.push((
            format!("{} {}", r.kpi, r.scope_value),
            m * 100.0,
            lo * 100.0,
            hi * 100.0,
        ));
    }
    html.push_str("</table>");
    let chart = charts::differences(
        &format!("differences-{number}"),
        "Difference in the share meeting each pledge",
        &diffs,
        "points",
    );
    Section {
        heading: format!("{} against {}", c.scenario, c.baseline),
        html,
        charts: vec![(chart, "Each bar is how many percentage points more (right) or fewer (left) of the calls or incidents meet the pledge than in the baseline, with its 95% range; a range that crosses zero cannot be told from chance.".into())],
    }
}
