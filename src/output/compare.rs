//! The output folder of `pledgesim compare` (manifest.json, compare.csv, compare.json) and its
//! printed table.

pub use super::contract::COMPARE_HEADER;

use super::contract::{self, CompareManifest, CompareSummary, Kind, Program, SCHEMA_VERSION};
use super::{csv_bytes, json_bytes, num, opt, write_atomically, write_file};
use crate::error::Error;
use crate::experiment::compare::Comparison;
use crate::measure::is_headline;
use crate::scenario::Scenario;
use std::fmt::Write as _;
use std::path::Path;

/// The rows of compare.csv.
pub fn rows(comparisons: &[Comparison]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for c in comparisons {
        for r in &c.rows {
            let d = &r.difference;
            out.push(vec![
                c.baseline.clone(),
                c.scenario.clone(),
                r.key.kpi.to_string(),
                r.key.scope.to_string(),
                r.key.scope_value.clone(),
                r.key.clock.to_string(),
                r.key.statistic.to_string(),
                r.key.target.clone().unwrap_or_default(),
                num(r.baseline_mean),
                num(r.mean),
                num(d.mean),
                num(d.ci_low),
                num(d.ci_high),
                num(d.sd),
                d.n.to_string(),
                num(r.independent_ci.0),
                num(r.independent_ci.1),
                r.better
                    .map_or("", |b| match b {
                        crate::experiment::compare::Better::Higher => "higher",
                        crate::experiment::compare::Better::Lower => "lower",
                    })
                    .to_string(),
                opt(r.share_reps_better),
                opt(r.share_reps_worse),
                opt(r.prob_better),
                r.verdict.to_string(),
                is_headline(&r.key).to_string(),
            ]);
        }
    }
    out
}

/// The method, as the manifest states it.
const METHOD: &str = "common random numbers: every scenario runs replication r from the same seed and the same random stream per source of randomness; each KPI's difference (scenario minus baseline) is summarised over replications with a 95% Student-t interval";

/// The files of a comparison's folder.
const FILES: [&str; 3] = ["manifest.json", "compare.csv", "compare.json"];

/// manifest.json: the scenarios compared and how.
pub fn manifest<'a>(
    scenarios: &'a [Scenario],
    sources: &[String],
) -> CompareManifest<&'a Scenario> {
    CompareManifest {
        kind: Kind::Compare,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        sources: sources.to_vec(),
        scenario_hashes: scenarios.iter().map(Scenario::hash).collect(),
        seed: scenarios[0].run.seed,
        replications: scenarios[0].run.replications,
        method: METHOD.into(),
        crates: super::crates(),
        files: FILES.map(String::from).to_vec(),
        scenarios: scenarios.iter().collect(),
    }
}

/// compare.json: every figure of every comparison.
pub fn summary(scenarios: &[Scenario], comparisons: &[Comparison]) -> CompareSummary {
    CompareSummary {
        kind: Kind::Compare,
        schema_version: SCHEMA_VERSION,
        seed: scenarios[0].run.seed,
        replications: scenarios[0].run.replications,
        comparisons: comparisons.iter().map(contract::Comparison::from).collect(),
    }
}

/// Writes the comparison folder atomically.
pub fn write(
    dir: &Path,
    scenarios: &[Scenario],
    sources: &[String],
    comparisons: &[Comparison],
) -> Result<(), Error> {
    write_atomically(dir, |tmp| {
        write_file(
            tmp,
            "manifest.json",
            &json_bytes(&manifest(scenarios, sources)),
        )?;
        write_file(
            tmp,
            "compare.csv",
            &csv_bytes(&COMPARE_HEADER, rows(comparisons)),
        )?;
        write_file(
            tmp,
            "compare.json",
            &json_bytes(&summary(scenarios, comparisons)),
        )
    })
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:+.1} pts", v * 100.0)
    } else {
        "-".into()
    }
}

/// The printed table: each target's headline figure, baseline against each scenario.
pub fn render(comparisons: &[Comparison], replications: u32, seed: u64) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "paired comparison: {replications} replications from seed {seed}, common random numbers (replication r of every scenario sees the same calls)"
    );
    for c in comparisons {
        let _ = writeln!(s, "\n{} vs {} (baseline)", c.scenario, c.baseline);
        let _ = writeln!(
            s,
            "     {:<34} {:>9} {:>9} {:>12} {:>25} {:>25} {:>8}  verdict",
            "measure",
            "baseline",
            "scenario",
            "difference",
            "paired 95% CI",
            "independent 95% CI",
            "better"
        );
        for r in c.rows.iter().filter(|r| is_headline(&r.key)) {
            let d = &r.difference;
            let what = format!("{} {}", r.key.scope_value, r.key.statistic);
            let _ = writeln!(
                s,
                "{:<4} {:<34} {:>8.1}% {:>8.1}% {:>12} {:>25} {:>25} {:>8}  {}",
                r.key.kpi,
                what.chars().take(34).collect::<String>(),
                r.baseline_mean * 100.0,
                r.mean * 100.0,
                pct(d.mean),
                format!("{} to {}", pct(d.ci_low), pct(d.ci_high)),
                format!("{} to {}", pct(r.independent_ci.0), pct(r.independent_ci.1)),
                r.share_reps_better
                    .map_or("-".into(), |b| format!("{:.0}%", b * 100.0)),
                r.verdict
            );
        }
    }
    s
}
