//! A run's output folder: manifest.json, summary.json and the CSV tables, one function a file.

use super::contract::{
    HISTOGRAMS_HEADER, HOURLY_HEADER, Kind, KpiRow, Manifest, Measurement, NEIGHBOURHOOD_HEADER,
    Program, REPLICATIONS_HEADER, ROW_HEADER, ReplayFigure, ReplaySkipped, ReplaySummary,
    ReplicationSeed, SCHEMA_VERSION, SCORECARD_HEADER, Seeds, Status, Summary, TargetLine,
    TargetStatus, Timing, WARDS_HEADER,
};
use super::{OUTPUT_FILES, crates, csv_bytes, json_bytes, num, row_fields, write_atomically};
use crate::error::Error;
use crate::experiment::{Row, RunOutcome};
use crate::scenario::Scenario;
use crate::stats::hist;
use std::path::{Path, PathBuf};

/// What a run's files say about where it came from.
pub struct RunContext<'a> {
    pub scenario: &'a Scenario,
    pub source: &'a str,
    pub warnings: &'a [crate::experiment::warnings::Warning],
}

/// The headline rows, one per measured target: the scorecard.
pub fn scorecard_rows(outcome: &RunOutcome) -> Vec<&Row> {
    outcome
        .overall
        .iter()
        .filter(|r| crate::measure::is_headline(&r.key))
        .collect()
}

/// The status of a target this run has no figure for: the pledge does not make it, or this
/// scenario does not model it.
pub fn unmeasured_status(t: &crate::scenario::Target) -> &'static str {
    unmeasured(t).label()
}

fn unmeasured(t: &crate::scenario::Target) -> TargetStatus {
    if t.applies {
        TargetStatus::NotInScenario
    } else {
        TargetStatus::NotInPledge
    }
}

/// Targets the preset makes that this run did not measure.
pub fn targets_not_measured<'a>(sc: &'a Scenario, outcome: &RunOutcome) -> Vec<&'a str> {
    let measured = scorecard_rows(outcome);
    sc.targets
        .iter()
        .filter(|t| t.applies && !measured.iter().any(|r| r.key.kpi == t.id))
        .map(|t| t.id)
        .collect()
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Writes a run's output folder.
pub fn write_run(dir: &Path, ctx: &RunContext, outcome: &RunOutcome) -> Result<PathBuf, Error> {
    write_run_with_records(dir, ctx, outcome, None)
}

/// Writes a run's output folder, with its per-call records when given (calls.csv or
/// calls.csv.gz, listed in the manifest's files).
pub fn write_run_with_records(
    dir: &Path,
    ctx: &RunContext,
    outcome: &RunOutcome,
    records: Option<&super::records::Records>,
) -> Result<PathBuf, Error> {
    let sc = ctx.scenario;
    write_atomically(dir, |tmp| {
        let write = |name: &str, bytes: Vec<u8>| super::write_file(tmp, name, &bytes);
        let mut m = manifest(ctx, outcome);
        if let Some(r) = records {
            super::records::write_records(tmp, r)?;
            m.files.push(r.format.file_name().to_string());
        }
        write("manifest.json", json_bytes(&m))?;
        write("summary.json", json_bytes(&summary(ctx, outcome)))?;
        write("scorecard.csv", scorecard_csv(sc, outcome))?;
        write("hourly.csv", hourly_csv(outcome))?;
        if sc.response.is_some() {
            write("wards.csv", wards_csv(sc, outcome))?;
        }
        if sc.neighbourhood.is_some() {
            write("neighbourhood.csv", neighbourhood_csv(outcome))?;
        }
        write("histograms.csv", histograms_csv(sc, outcome))?;
        write("replications.csv", replications_csv(outcome))
    })?;
    Ok(dir.to_path_buf())
}

/// The files of this run's folder: wards.csv only with a field side, neighbourhood.csv only
/// with neighbourhood teams.
fn files(sc: &Scenario) -> Vec<String> {
    OUTPUT_FILES
        .into_iter()
        .filter(|f| *f != "wards.csv" || sc.response.is_some())
        .filter(|f| *f != "neighbourhood.csv" || sc.neighbourhood.is_some())
        .map(String::from)
        .collect()
}

/// manifest.json: where the run came from and how to repeat it.
pub fn manifest<'a>(ctx: &RunContext<'a>, outcome: &RunOutcome) -> Manifest<&'a Scenario> {
    let sc = ctx.scenario;
    Manifest {
        kind: Kind::Run,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        source: ctx.source.to_string(),
        scenario_hash: sc.hash(),
        seeds: Seeds {
            master: sc.run.seed,
            replications: outcome
                .reps
                .iter()
                .map(|r| ReplicationSeed {
                    replication: r.replication,
                    seed: r.seed,
                })
                .collect(),
            derivation: "replication seed = f(master seed, replication number); stream numbers fixed per source of randomness; generator ChaCha8".into(),
        },
        crates: crates(),
        events: outcome.events,
        calls: outcome.calls,
        files: files(sc),
        scenario: sc,
        timing: Timing {
            wall_seconds: outcome.wall_seconds,
            threads: outcome.threads,
        },
    }
}

/// summary.json: the scorecard, every target's status and every overall figure.
pub fn summary(ctx: &RunContext, outcome: &RunOutcome) -> Summary {
    let sc = ctx.scenario;
    let score = scorecard_rows(outcome);
    Summary {
        kind: Kind::Run,
        schema_version: SCHEMA_VERSION,
        scenario: sc.name.clone(),
        scenario_hash: sc.hash(),
        pledge: sc.pledge.clone(),
        seed: sc.run.seed,
        replications: sc.run.replications,
        measurement: Measurement {
            start: sc.run.start.to_string(),
            warm_up: sc.run.warm_up.to_string(),
            horizon: sc.run.horizon.to_string(),
            drain_limit: sc.run.drain_limit.to_string(),
        },
        scorecard: score.iter().map(|r| KpiRow::from(*r)).collect(),
        targets_not_measured: targets_not_measured(sc, outcome)
            .into_iter()
            .map(String::from)
            .collect(),
        targets: sc
            .targets
            .iter()
            .map(|t| TargetLine {
                id: t.id.to_string(),
                commitment: t.commitment.to_string(),
                status: score
                    .iter()
                    .find(|r| r.key.kpi == t.id)
                    .and_then(|r| r.status)
                    .map_or(unmeasured(t), |s| Status::from(s).into()),
            })
            .collect(),
        kpis: outcome.overall.iter().map(KpiRow::from).collect(),
        warnings: ctx.warnings.iter().map(|w| w.to_string()).collect(),
        warning_details: ctx.warnings.iter().map(Into::into).collect(),
        replay: sc
            .replay
            .as_ref()
            .map(|r| replay_summary(r, &outcome.overall)),
    }
}

/// scorecard.csv: every target of the preset, in order: measured ones with their figures, the
/// rest with their status only.
fn scorecard_csv(sc: &Scenario, outcome: &RunOutcome) -> Vec<u8> {
    let measured: Vec<Vec<String>> = scorecard_rows(outcome)
        .into_iter()
        .map(|r| {
            let mut f = row_fields(r);
            f.insert(1, sc.target(r.key.kpi).commitment.to_string());
            f
        })
        .collect();
    let all = sc
        .targets
        .iter()
        .map(|t| match measured.iter().find(|f| f[0] == t.id) {
            Some(f) => f.clone(),
            None => {
                let mut f = vec![String::new(); ROW_HEADER.len() + 1];
                f[0] = t.id.to_string();
                f[1] = t.commitment.to_string();
                *f.last_mut().expect("a status column") = unmeasured_status(t).to_string();
                f
            }
        });
    csv_bytes(&SCORECARD_HEADER, all)
}

/// hourly.csv: figures by hour of the week, with its day and hour.
fn hourly_csv(outcome: &RunOutcome) -> Vec<u8> {
    let rows = outcome.hourly.iter().map(|r| {
        let h: usize = r.key.scope_value.parse().expect("hour of week");
        let mut f = row_fields(r);
        f.splice(3..3, [DAYS[h / 24].to_string(), (h % 24).to_string()]);
        f
    });
    csv_bytes(&HOURLY_HEADER, rows)
}

/// wards.csv: figures by ward, with its sector and type (a field side only).
fn wards_csv(sc: &Scenario, outcome: &RunOutcome) -> Vec<u8> {
    let r = sc.response.as_ref().expect("a field side");
    // Looked up by name in a map, so the file takes time linear in the wards.
    let by_name: std::collections::HashMap<&str, &crate::scenario::response::Ward> =
        r.wards.iter().map(|w| (w.name.as_str(), w)).collect();
    let rows = outcome.wards.iter().map(|row| {
        let w = by_name
            .get(row.key.scope_value.as_str())
            .expect("a ward of the scenario");
        let mut f = row_fields(row);
        f.splice(
            3..3,
            [
                r.sectors[w.sector].name.clone(),
                (if w.rural { "rural" } else { "urban" }).to_string(),
            ],
        );
        f
    });
    csv_bytes(&WARDS_HEADER, rows)
}

/// neighbourhood.csv: scope_value is "ward|role" (or "bin|role" for the distribution of
/// visible shares), split into its own columns.
fn neighbourhood_csv(outcome: &RunOutcome) -> Vec<u8> {
    let rows = outcome.hood.iter().map(|row| {
        let (first, role) = row
            .key
            .scope_value
            .rsplit_once('|')
            .expect("a ward|role label");
        let (ward, bin) = if row.key.scope == "visible_share_bin" {
            ("all", first)
        } else {
            (first, "")
        };
        let mut f = row_fields(row);
        f.splice(2..3, [ward.to_string(), role.to_string(), bin.to_string()]);
        f
    });
    csv_bytes(&NEIGHBOURHOOD_HEADER, rows)
}

/// histograms.csv: pooled answer and abandon waits per channel and, with a field side,
/// attendance times per grade; empty bins left out.
fn histograms_csv(sc: &Scenario, outcome: &RunOutcome) -> Vec<u8> {
    let mut rows = Vec::new();
    let mut add =
        |kpi: &str, scope: &str, scope_value: &str, measure: &str, h: &crate::stats::Histogram| {
            for (i, &count) in h.counts().iter().enumerate() {
                if count > 0 {
                    let (lo, hi) = hist::bin_edges(i);
                    rows.push(vec![
                        kpi.to_string(),
                        scope.to_string(),
                        scope_value.to_string(),
                        measure.to_string(),
                        lo.to_string(),
                        hi.map(|h| h.to_string()).unwrap_or_default(),
                        count.to_string(),
                    ]);
                }
            }
        };
    for ch in &sc.channels {
        let (answer, abandon) = &outcome.histograms[ch.kind.index()];
        let (kpi, label) = (ch.kind.target_id(), ch.kind.label());
        add(kpi, "channel", label, "answer_wait", answer);
        add(kpi, "channel", label, "abandon_wait", abandon);
    }
    if sc.response.is_some() {
        for (g, (kpi, grade)) in [("T3", "I"), ("T4", "S")].into_iter().enumerate() {
            let (call, incident) = &outcome.attendance[g];
            add(kpi, "grade", grade, "attend_from_call", call);
            add(kpi, "grade", grade, "attend_from_incident", incident);
        }
    }
    csv_bytes(&HISTOGRAMS_HEADER, rows)
}

/// replications.csv: every overall figure of every replication, with its seed.
fn replications_csv(outcome: &RunOutcome) -> Vec<u8> {
    let keys: Vec<_> = outcome.overall.iter().map(|r| &r.key).collect();
    let mut rows = Vec::new();
    for rep in &outcome.reps {
        for (k, v) in keys.iter().zip(&rep.values) {
            rows.push(vec![
                rep.replication.to_string(),
                super::contract::seed::cell(rep.seed),
                k.kpi.to_string(),
                k.scope.to_string(),
                k.scope_value.clone(),
                k.clock.to_string(),
                k.statistic.to_string(),
                num(*v),
            ]);
        }
    }
    csv_bytes(&REPLICATIONS_HEADER, rows)
}

/// summary.json's `replay`: each figure the log has, observed (the mean over the log's
/// replications of each one's figure) beside the replay's.
pub fn replay_summary(r: &crate::scenario::replay::Replay, overall: &[Row]) -> ReplaySummary {
    use crate::scenario::replay::Observed;
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    let mean = |f: &dyn Fn(&Observed) -> Option<f64>| {
        let v: Vec<f64> = r.observed.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let mut figures = Vec::new();
    let mut add = |kpi: &str, scope: &str, value: &str, stat: &str, obs: Option<f64>| {
        let row = overall.iter().find(|x| {
            x.key.kpi == kpi
                && x.key.scope == scope
                && x.key.scope_value == value
                && x.key.clock == "call"
                && x.key.statistic == stat
        });
        let Some(row) = row else { return };
        figures.push(ReplayFigure {
            kpi: kpi.into(),
            scope: scope.into(),
            scope_value: value.into(),
            clock: "call".into(),
            statistic: stat.into(),
            target: row.key.target.clone(),
            observed: obs,
            replayed: finite(row.estimate.mean),
            replayed_ci_low: finite(row.estimate.ci_low),
            replayed_ci_high: finite(row.estimate.ci_high),
        });
    };
    for (ch, (kpi, name)) in [("T1", "999"), ("T2", "non-emergency")].iter().enumerate() {
        add(
            kpi,
            "channel",
            name,
            "share_within",
            mean(&|o| {
                ratio(
                    o.within[ch],
                    o.answered[ch] + o.abandoned_late[ch] + o.unresolved[ch],
                )
            }),
        );
        add(
            kpi,
            "channel",
            name,
            "abandonment_rate",
            mean(&|o| ratio(o.abandoned[ch], o.offered[ch])),
        );
    }
    for (g, (kpi, name)) in [("T3", "I"), ("T4", "S")].iter().enumerate() {
        add(
            kpi,
            "grade",
            name,
            "share_within",
            mean(&|o| ratio(o.attended_within[g], o.incidents[g])),
        );
    }
    ReplaySummary {
        file: r.file.clone(),
        sha256: r.sha256.clone(),
        durations: r.durations,
        log_replications: r.log_replications,
        calls: [("999", r.calls[0]), ("non-emergency", r.calls[1])]
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
        handling_given: r.handling_given,
        on_scene_given: r.on_scene_given,
        skipped: r
            .skipped
            .iter()
            .map(|(reason, rows)| ReplaySkipped {
                reason: reason.clone(),
                rows: *rows,
            })
            .collect(),
        figures,
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The replay's lines for the screen: what was replayed, what was not, and each figure in the
/// log beside the replayed one.
pub fn replay_text(s: &ReplaySummary) -> String {
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.1}%", 100.0 * x));
    let mut out = format!(
        "\nreplayed {} ({} log replication(s){}): {} 999 calls, {} non-emergency calls\n",
        s.file,
        s.log_replications,
        if s.durations {
            "; handling and on-scene times from the log"
        } else {
            ""
        },
        s.calls.get("999").copied().unwrap_or(0),
        s.calls.get("non-emergency").copied().unwrap_or(0),
    );
    for k in &s.skipped {
        out.push_str(&format!("not replayed: {} {}\n", k.rows, k.reason));
    }
    out.push_str(&format!(
        "{:<44} {:>10}  {}\n",
        "figure", "in the log", "replayed (95% CI)"
    ));
    for f in &s.figures {
        let name = format!(
            "{} {} {}{}",
            f.kpi,
            f.scope_value,
            f.statistic,
            f.target
                .as_ref()
                .map_or(String::new(), |t| format!(" ({t})"))
        );
        out.push_str(&format!(
            "{name:<44} {:>10}  {} ({}-{})\n",
            pct(f.observed),
            pct(f.replayed),
            pct(f.replayed_ci_low),
            pct(f.replayed_ci_high)
        ));
    }
    out
}
