//! A sweep.jsonl line written straight from a point's figures: the bytes of its
//! [`SweepRecord`] written through a `serde_json::Value` (the contract's rule for every JSON
//! file), without building the value. Every struct here has its fields in alphabetical order,
//! which is the order a `Value`'s sorted maps give, and a figure that is not finite is `null`
//! either way.

use super::contract::{Status, figure, seed};
use crate::experiment::Row;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A sweep.jsonl record, keys in alphabetical order.
#[derive(Serialize)]
pub(super) struct Line<'a> {
    pub csv_end: u64,
    pub parameters: &'a BTreeMap<String, Value>,
    pub point: usize,
    pub replications: u32,
    pub rows: Rows<'a>,
    pub scenario_hash: &'a str,
    #[serde(serialize_with = "seed::serialize")]
    pub seed: u64,
}

/// A point's rows, written as the contract's `KpiRow`s.
pub(super) struct Rows<'a>(pub &'a [Row]);

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(LineRow::from))
    }
}

/// A `KpiRow`, keys in alphabetical order, borrowing its strings.
#[derive(Serialize)]
struct LineRow<'a> {
    ci_high: Option<f64>,
    ci_low: Option<f64>,
    clock: &'a str,
    kpi: &'a str,
    mean: Option<f64>,
    n: usize,
    required: Option<f64>,
    scope: &'a str,
    scope_value: &'a str,
    sd: Option<f64>,
    share_reps_meeting: Option<f64>,
    statistic: &'a str,
    status: Option<Status>,
    target: Option<&'a str>,
}

impl<'a> From<&'a Row> for LineRow<'a> {
    fn from(r: &'a Row) -> Self {
        let (k, e) = (&r.key, &r.estimate);
        LineRow {
            ci_high: figure(e.ci_high),
            ci_low: figure(e.ci_low),
            clock: k.clock,
            kpi: k.kpi,
            mean: figure(e.mean),
            n: e.n,
            required: k.required,
            scope: k.scope,
            scope_value: &k.scope_value,
            sd: figure(e.sd),
            share_reps_meeting: r.share_reps_meeting,
            statistic: k.statistic,
            status: r.status.map(Status::from),
            target: k.target.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::contract::{KpiRow, SweepRecord};
    use super::*;
    use crate::measure::key::KpiKey;
    use crate::stats::summary::{Estimate, Status as Met};

    /// The line is byte for byte what the record gives through a `Value`, with figures that
    /// are undefined, infinite, whole, tiny and large, strings that need escaping, and seeds.
    #[test]
    fn a_line_is_the_records_bytes_through_a_value() {
        let figures = [0.0, -0.0, 1.0, 0.1, 1e-300, 3.5e17, f64::NAN, f64::INFINITY];
        let statuses = [None, Some(Met::Met), Some(Met::AtRisk), Some(Met::Missed)];
        let rows: Vec<Row> = (0..figures.len() * 2)
            .map(|i| Row {
                key: KpiKey {
                    kpi: ["T1", "handlers"][i % 2],
                    scope: "channel",
                    scope_value: ["999", "a \"quoted\"\n\u{e9} \\ ward", ""][i % 3].to_owned(),
                    clock: ["", "call"][i % 2],
                    statistic: "share_within",
                    target: (i % 3 == 0).then(|| "10s".to_owned()),
                    required: (i % 2 == 0).then_some(figures[(i + 3) % figures.len()]),
                },
                estimate: Estimate {
                    mean: figures[i % figures.len()],
                    sd: figures[(i + 1) % figures.len()],
                    ci_low: figures[(i + 2) % figures.len()],
                    ci_high: figures[(i + 5) % figures.len()],
                    n: i * 1000,
                },
                share_reps_meeting: (i % 3 != 1).then_some(figures[(i + 4) % figures.len()]),
                status: statuses[i % 4],
            })
            .collect();
        let mut parameters = BTreeMap::new();
        parameters.insert(
            "run.seed".to_owned(),
            Value::String("18446744073709551615".into()),
        );
        parameters.insert("roster.handlers.constant".to_owned(), Value::from(12));
        parameters.insert(
            "demand.x".to_owned(),
            serde_json::json!({"b": 1.5, "a": [1, "z"]}),
        );
        for (point, seed) in [(0, 0), (7, 42), (99, u64::MAX)] {
            let record = SweepRecord {
                point,
                parameters: parameters.clone(),
                scenario_hash: "ab12".into(),
                replications: 20,
                seed,
                csv_end: 123_456,
                rows: rows.iter().map(KpiRow::from).collect(),
            };
            let through_value =
                serde_json::to_vec(&serde_json::to_value(&record).unwrap()).unwrap();
            let line = Line {
                csv_end: 123_456,
                parameters: &parameters,
                point,
                replications: 20,
                rows: Rows(&rows),
                scenario_hash: "ab12",
                seed,
            };
            let direct = serde_json::to_vec(&line).unwrap();
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(through_value).unwrap()
            );
        }
    }
}
