//! The report of a sweep: each target's share along one parameter (a line) or two (a heat map).

use super::Section;
use super::charts;
use super::html::esc;
use super::read::{SweepFolder, SweepRow};

/// The report's title and sections.
pub fn report(f: &SweepFolder) -> (String, Vec<Section>) {
    let params = &f.manifest.parameters;
    let title = format!("Sweep: {}", params.join(" by "));
    let mut sections: Vec<Section> = ["T1", "T2", "T3"]
        .into_iter()
        .filter_map(|kpi| target(f, kpi))
        .collect();
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
                && r.statistic == "share_within"
                && (r.scope == "channel" || (r.scope == "grade" && r.clock == "call"))
        })
        .collect();
    if sel.is_empty() {
        return None;
    }
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let required = sel.iter().find_map(|r| r.row.required_share);
    let mut section = Section {
        heading: format!("{kpi}: share within target"),
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
                section.charts.push((charts::sweep_line(&name, &format!("{kpi} against {}", params[0]), &params[0], &pts, required), "The line is the share meeting the pledge at each value, the band its 95% range; the dashed line is the share asked for.".into()));
            }
        }
        2 => {
            let (xs, ys) = (axis(&sel, 1), axis(&sel, 0));
            let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
            for r in &sel {
                if let (Some(i), Some(j)) = (
                    ys.iter().position(|y| *y == r.values[0]),
                    xs.iter().position(|x| *x == r.values[1]),
                ) {
                    values[i][j] = nan(r.row.mean);
                }
            }
            section.charts.push((charts::sweep_heatmap(&name, &format!("{kpi} by {} and {}", params[1], params[0]), &params[1], &params[0], &xs, &ys, &values, required.unwrap_or(0.9)), "Each cell is the share meeting the pledge for one pair of values; outlined cells reach the share asked for.".into()));
        }
        _ => {
            section.html =
                "<p>This sweep varies more than two parameters; its figures are in sweep.csv.</p>"
                    .into();
        }
    }
    Some(section)
}
