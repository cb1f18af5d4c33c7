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
    let mut sections = vec![differences_in_words(f)];
    for (i, c) in f.summary.comparisons.iter().enumerate() {
        sections.push(comparison(f, c, i + 1));
    }
    sections.push(Section {
        heading: "Method".into(),
        html: format!(
            "<p>Every scenario ran on the same random numbers (common random numbers): replication r of each saw the same calls at the same times, so differences come from the change, not from chance. Program pledgesim {}.</p><table><tr><th>scenario</th><th>file</th><th>scenario hash</th></tr>{}</table>",
            esc(&f.manifest.program.version),
            f.manifest
                .scenarios
                .iter()
                .zip(&f.manifest.sources)
                .zip(&f.manifest.scenario_hashes)
                .map(|((sc, src), h)| format!(
                    "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                    esc(&sc.name),
                    esc(src),
                    esc(h)
                ))
                .collect::<String>()
        ),
        charts: Vec::new(),
    });
    (title, sections)
}

/// The leaves of a scenario's echo that differ from the baseline's: (field, baseline, other).
fn field_differences(
    a: &serde_json::Value,
    b: &serde_json::Value,
    at: &str,
    out: &mut Vec<(String, String, String)>,
) {
    use serde_json::Value;
    let shown = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "none".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                if at.is_empty() && (k == "name" || k == "description") {
                    continue;
                }
                let here = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => field_differences(p, q, &here, out),
                    (p, q) => out.push((here, shown(p), shown(q))),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                // A list item named by its `name` where it has one: "shifts[2] (night)".
                let name = x
                    .get(i)
                    .or(y.get(i))
                    .and_then(|v| v.get("name"))
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                    .map_or(String::new(), |n| format!(" ({n})"));
                let here = format!("{at}[{i}]{name}");
                match (x.get(i), y.get(i)) {
                    (Some(p), Some(q)) => field_differences(p, q, &here, out),
                    (p, q) => out.push((here, shown(p), shown(q))),
                }
            }
        }
        _ if a != b => out.push((at.to_string(), shown(Some(a)), shown(Some(b)))),
        _ => {}
    }
}

/// The first page: what differs between the options, and what each change does to each pledge.
fn differences_in_words(f: &CompareFolder) -> Section {
    let mut html = String::new();
    let names: Vec<&str> = f
        .manifest
        .scenarios
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let _ = write!(
        html,
        "<p>{} scenarios compared, each against the first, <strong>{}</strong> (the baseline).</p>",
        names.len(),
        esc(names.first().copied().unwrap_or(""))
    );
    if names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n))
    {
        let _ = write!(
            html,
            "<p class=\"warnings\"><strong>Warning:</strong> two scenarios have the same name; they are told apart below by their files: {}.</p>",
            esc(&f.manifest.sources.join(", "))
        );
    }
    let base = serde_json::to_value(&f.manifest.scenarios[0]).unwrap_or_default();
    for (k, sc) in f.manifest.scenarios.iter().enumerate().skip(1) {
        let other = serde_json::to_value(sc).unwrap_or_default();
        let mut diffs = Vec::new();
        field_differences(&base, &other, "", &mut diffs);
        let file = f.manifest.sources.get(k).map_or("", String::as_str);
        let _ = write!(
            html,
            "<h3>{} ({}): what differs from the baseline</h3>",
            esc(&sc.name),
            esc(file)
        );
        if diffs.is_empty() {
            html.push_str("<p>Nothing that the report reads differs (see the scenario files).</p>");
        } else {
            html.push_str("<table><tr><th>field</th><th>baseline</th><th>this option</th></tr>");
            for (field, a, b) in diffs.iter().take(40) {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    esc(a),
                    esc(b)
                );
            }
            html.push_str("</table>");
            if diffs.len() > 40 {
                let _ = write!(html, "<p>and {} more differences.</p>", diffs.len() - 40);
            }
        }
    }
    Section {
        heading: "What the options change".into(),
        html,
        charts: Vec::new(),
    }
}

/// A target's name in words, its code in brackets: "999 calls answered within 10s (T1)".
fn plain(r: &DiffRow) -> String {
    let what = crate::scenario::presets::commitment(&r.kpi).unwrap_or("");
    let target = r.target.as_deref().unwrap_or("");
    let scope = match r.scope_value.as_str() {
        "I" | "S" | "E" | "999" | "non-emergency" | "all" | "force" => String::new(),
        v => format!(", {v}"),
    };
    format!("{what} {target}{scope} ({})", r.kpi)
        .trim()
        .to_string()
}

/// Whether a row is a pledge's headline share (on the call's clock, or force-wide).
fn headline(r: &DiffRow) -> bool {
    r.required.is_some()
        && crate::measure::key::statistic(&r.statistic).is_some_and(|s| s.headline)
        && (r.clock == "call" || r.scope == "force")
}

/// One scenario against the baseline: the table and the chart of differences.
/// A verdict in words: better, worse, or no clear difference at 95%.
fn verdict_words(v: &str) -> &str {
    match v {
        "not distinguishable from noise" => "no clear difference at 95%",
        "identical" => "no difference (the same in every replication)",
        other => other,
    }
}

/// The probability that the option is better on average, in words.
fn chance(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p > 0.999 => "over 99.9%".into(),
        Some(p) if p < 0.001 => "under 0.1%".into(),
        Some(p) => format!("{:.1}%", 100.0 * p),
    }
}

/// Each target's verdict in a sentence: the verdict, the difference with its range, the
/// probability that the option is better on average and the share of replications it won.
fn verdicts_in_words(c: &Comparison) -> String {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let mut html = format!(
        "<p>For each pledge, {} against {}:</p><ul>",
        esc(&c.scenario),
        esc(&c.baseline)
    );
    for r in c.rows.iter().filter(|r| headline(r)) {
        let d = &r.difference;
        let _ = write!(
            html,
            "<li><strong>{}</strong>: {}, {:+.1} percentage points (95% range {:+.1} to {:+.1})",
            esc(&plain(r)),
            esc(verdict_words(&r.verdict)),
            nan(d.mean) * 100.0,
            nan(d.ci_low) * 100.0,
            nan(d.ci_high) * 100.0,
        );
        if r.prob_better.is_some() {
            let _ = write!(
                html,
                "; the probability that {} is better on average: {}",
                esc(&c.scenario),
                chance(r.prob_better)
            );
        }
        if let Some(s) = r.share_reps_better {
            let _ = write!(
                html,
                "; it did better in {} of the paired replications",
                pct(s)
            );
        }
        html.push_str(".</li>");
    }
    html.push_str("</ul><p>\"Better\" and \"worse\" mean the paired difference's 95% range lies wholly on one side of zero; otherwise there is no clear difference at 95%. The probability that the option is better on average is read from the same paired difference: the Student-t distribution of its mean, given its standard error, on the option's better side (it is above 97.5% exactly when the verdict is \"better\"). It is not the share of replications the option won, which is given beside it.</p>");
    html
}

fn comparison(f: &CompareFolder, c: &Comparison, number: usize) -> Section {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let mut html = format!(
        "<p>{} against {} (the baseline), on the same simulated calls ({} replications, seed {}). A difference is shown as percentage points of the share meeting each pledge.</p><table><tr><th>pledge</th><th>the pledge asks</th><th>baseline</th><th>{}</th><th>difference (95% range)</th><th>probability better</th><th>verdict</th></tr>",
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
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:+.1} ({:+.1} to {:+.1}) points</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&plain(r)),
            pct(nan(r.required)),
            pct(nan(r.baseline_mean)),
            pct(nan(r.mean)),
            m * 100.0,
            lo * 100.0,
            hi * 100.0,
            chance(r.prob_better),
            esc(verdict_words(&r.verdict))
        );
        diffs.push((plain(r), m * 100.0, lo * 100.0, hi * 100.0));
    }
    html.push_str("</table>");
    html.push_str(&verdicts_in_words(c));
    let chart = charts::differences(
        &format!("differences-{number}"),
        "Difference in the share meeting each pledge",
        &diffs,
        "points",
    );
    Section {
        heading: format!("{} against {}", c.scenario, c.baseline),
        html,
        charts: vec![(chart, "Each dot is how many percentage points more (right) or fewer (left) of the calls or incidents meet the pledge than in the baseline, with its 95% range; a range that crosses zero cannot be told from chance.".into())],
    }
}
