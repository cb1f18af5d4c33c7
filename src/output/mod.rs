//! The output contract: manifest.json, summary.json, scorecard.csv, hourly.csv,
//! histograms.csv and replications.csv, with wards.csv (a field side) and neighbourhood.csv
//! (neighbourhood teams); compare's folder is in [`compare`]. Written to a temporary directory beside the target
//! and renamed into place only when complete, so a failed run leaves no half-written output
//! and an earlier result is replaced only by a complete new one.

pub mod compare;
pub mod scorecard;
pub mod staff;
pub mod sweep;

use crate::error::{Error, InputError};
use crate::experiment::{Row, RunOutcome};
use crate::scenario::Scenario;
use crate::stats::hist;
use serde::Serialize;
use serde_json::json;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The version of the output contract. Later versions add files and columns; they never change
/// the meaning of one.
pub const SCHEMA_VERSION: u32 = 1;

/// Versions of the crates results depend on, read from Cargo.lock at build time.
pub const CRATE_VERSIONS: &str = env!("PLEDGESIM_CRATE_VERSIONS");

/// The versions of the crates results depend on, as a JSON object for manifests.
pub(crate) fn crates() -> serde_json::Map<String, serde_json::Value> {
    CRATE_VERSIONS
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

/// The files a run's output folder may hold.
const OUTPUT_FILES: [&str; 8] = [
    "manifest.json",
    "summary.json",
    "scorecard.csv",
    "hourly.csv",
    "histograms.csv",
    "replications.csv",
    "wards.csv",
    "neighbourhood.csv",
];

/// Files of the other kinds of output folder (compare).
const OTHER_FILES: [&str; 9] = [
    "compare.csv",
    "compare.json",
    "sweep.csv",
    "sweep.jsonl",
    "staffing.csv",
    "staff.json",
    "roster.toml",
    "report.html",
    "report.pdf",
];

/// Whether `dir` holds an earlier pledgesim output and nothing else: a manifest written by
/// pledgesim, and only the files of an output folder. Such a folder may be replaced.
fn is_pledgesim_output(dir: &Path) -> bool {
    let manifest = fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    let ours =
        manifest.is_some_and(|m| m["program"]["name"] == "pledgesim" && m["kind"].is_string());
    let only_outputs = fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            // The report's charts folder, holding only chart images.
            let charts = e.file_name() == "charts"
                && e.file_type().is_ok_and(|t| t.is_dir())
                && fs::read_dir(e.path()).is_ok_and(|c| {
                    c.flatten().all(|f| {
                        let n = f.file_name().to_string_lossy().into_owned();
                        f.file_type().is_ok_and(|t| t.is_file())
                            && (n.ends_with(".svg") || n.ends_with(".png"))
                    })
                });
            charts
                || e.file_type().is_ok_and(|t| t.is_file())
                    && OUTPUT_FILES
                        .iter()
                        .chain(&OTHER_FILES)
                        .any(|f| *f == e.file_name().to_string_lossy())
        })
    });
    ours && only_outputs
}

/// Checks that `dir` may be (re)written before any work is done: it must not exist, be an
/// empty folder, or hold an earlier pledgesim output and nothing else; and it must not be the
/// current folder or one that contains it. Never deletes a folder of the user's.
pub fn check_out_dir(dir: &Path) -> Result<(), Error> {
    let refuse = |why: String| -> Result<(), Error> {
        Err(InputError::new("command line", "--out", why).into())
    };
    if let (Ok(cwd), Ok(target)) = (std::env::current_dir(), dir.canonicalize()) {
        if cwd.starts_with(&target) {
            return refuse(format!(
                "\"{}\" is the current folder or contains it; give a folder of its own, such as outputs/run",
                dir.display()
            ));
        }
    }
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !(empty || is_pledgesim_output(dir)) {
            return refuse(format!(
                "\"{}\" exists and is not a pledgesim output folder (a manifest.json written by pledgesim, and only its output files); choose another --out",
                dir.display()
            ));
        }
    }
    Ok(())
}

/// Writes all files into a fresh temporary folder beside `dir`, then swaps it into place.
pub fn write_atomically(
    dir: &Path,
    write: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    check_out_dir(dir)?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
    if let Err(e) = write(&tmp) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = dir.exists();
    if had_old {
        if let Err(e) = fs::rename(dir, &old) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(Error::io(dir, e));
        }
    }
    if let Err(e) = fs::rename(&tmp, dir) {
        if had_old {
            let _ = fs::rename(&old, dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(Error::io(dir, e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

pub(crate) fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let path = dir.join(name);
    let mut f = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&path, e))?;
    f.sync_all().map_err(|e| Error::io(&path, e))
}

pub(crate) fn json_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).expect("outputs serialise");
    out.push(b'\n');
    out
}

/// A number for CSV: empty when undefined.
pub(crate) fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

pub(crate) fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), num)
}

pub(crate) const ROW_HEADER: [&str; 14] = [
    "kpi",
    "scope",
    "scope_value",
    "clock",
    "statistic",
    "target",
    "required_share",
    "mean",
    "ci_low",
    "ci_high",
    "sd",
    "replications",
    "share_reps_meeting",
    "status",
];

pub(crate) fn row_fields(r: &Row) -> Vec<String> {
    let e = &r.estimate;
    vec![
        r.key.kpi.to_string(),
        r.key.scope.to_string(),
        r.key.scope_value.clone(),
        r.key.clock.to_string(),
        r.key.statistic.to_string(),
        r.key.target.clone().unwrap_or_default(),
        opt(r.key.required),
        num(e.mean),
        num(e.ci_low),
        num(e.ci_high),
        num(e.sd),
        e.n.to_string(),
        opt(r.share_reps_meeting),
        r.status.map(|s| s.label().to_string()).unwrap_or_default(),
    ]
}

/// CSV rows with no header (for appending to a file that has one).
pub(crate) fn csv_rows(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

pub(crate) fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("in-memory write");
    for r in rows {
        w.write_record(&r).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

/// What a run's files say about where it came from.
pub struct RunContext<'a> {
    pub scenario: &'a Scenario,
    pub source: &'a str,
    pub warnings: &'a [String],
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
    if t.applies {
        "not in this scenario"
    } else {
        "not in this pledge"
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

/// Writes a run's output folder.
pub fn write_run(dir: &Path, ctx: &RunContext, outcome: &RunOutcome) -> Result<PathBuf, Error> {
    let sc = ctx.scenario;
    let hash = sc.hash();
    // wards.csv only for scenarios with a field side.
    let files: Vec<&str> = OUTPUT_FILES
        .into_iter()
        .filter(|f| *f != "wards.csv" || sc.response.is_some())
        .filter(|f| *f != "neighbourhood.csv" || sc.neighbourhood.is_some())
        .collect();
    write_atomically(dir, |tmp| {
        let crates = crates();
        let manifest = json!({
            "kind": "run",
            "schema_version": SCHEMA_VERSION,
            "program": { "name": "pledgesim", "version": env!("CARGO_PKG_VERSION") },
            "source": ctx.source,
            "scenario_hash": hash,
            "seeds": {
                "master": sc.run.seed,
                "replications": outcome.reps.iter().map(|r| json!({ "replication": r.replication, "seed": r.seed })).collect::<Vec<_>>(),
                "derivation": "replication seed = f(master seed, replication number); stream numbers fixed per source of randomness; generator ChaCha8",
            },
            "crates": crates,
            "events": outcome.events,
            "calls": outcome.calls,
            "files": files,
            "scenario": sc,
            "timing": { "wall_seconds": outcome.wall_seconds, "threads": outcome.threads },
        });
        write_file(tmp, "manifest.json", &json_bytes(&manifest))?;

        let not_modelled = targets_not_measured(sc, outcome);
        let summary = json!({
            "kind": "run",
            "schema_version": SCHEMA_VERSION,
            "scenario": sc.name,
            "scenario_hash": hash,
            "pledge": sc.pledge,
            "seed": sc.run.seed,
            "replications": sc.run.replications,
            "measurement": {
                "start": sc.run.start,
                "warm_up": sc.run.warm_up,
                "horizon": sc.run.horizon,
                "drain_limit": sc.run.drain_limit,
            },
            "scorecard": scorecard_rows(outcome),
            "targets_not_measured": not_modelled,
            "targets": sc.targets.iter().map(|t| {
                let row = scorecard_rows(outcome).into_iter().find(|r| r.key.kpi == t.id);
                json!({
                    "id": t.id,
                    "commitment": t.commitment,
                    "status": row.and_then(|r| r.status).map_or(unmeasured_status(t), |s| s.label()),
                })
            }).collect::<Vec<_>>(),
            "kpis": outcome.overall,
            "warnings": ctx.warnings,
        });
        write_file(tmp, "summary.json", &json_bytes(&summary))?;

        let score = scorecard_rows(outcome).into_iter().map(|r| {
            let t = sc.target(r.key.kpi);
            let mut f = row_fields(r);
            f.insert(1, t.commitment.to_string());
            f
        });
        // Every target of the preset, in order: measured ones with their figures, the rest with
        // their status only.
        let measured: Vec<Vec<String>> = score.collect();
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
        let mut header = ROW_HEADER.to_vec();
        header.insert(1, "commitment");
        write_file(tmp, "scorecard.csv", &csv_bytes(&header, all))?;

        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let hourly = outcome.hourly.iter().map(|r| {
            let h: usize = r.key.scope_value.parse().expect("hour of week");
            let mut f = row_fields(r);
            f.splice(3..3, [days[h / 24].to_string(), (h % 24).to_string()]);
            f
        });
        let mut hh = ROW_HEADER.to_vec();
        hh.splice(3..3, ["day", "hour"]);
        write_file(tmp, "hourly.csv", &csv_bytes(&hh, hourly))?;

        if let Some(r) = &sc.response {
            let wards = outcome.wards.iter().map(|row| {
                let w = r
                    .wards
                    .iter()
                    .find(|w| w.name == row.key.scope_value)
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
            let mut wh = ROW_HEADER.to_vec();
            wh.splice(3..3, ["sector", "ward_type"]);
            write_file(tmp, "wards.csv", &csv_bytes(&wh, wards))?;
        }

        if sc.neighbourhood.is_some() {
            // scope_value is "ward|role" (or "bin|role" for the distribution): split it.
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
            let mut nh = ROW_HEADER.to_vec();
            nh.splice(2..3, ["ward", "role", "bin"]);
            write_file(tmp, "neighbourhood.csv", &csv_bytes(&nh, rows))?;
        }

        let mut hist_rows = Vec::new();
        let mut add_hist = |kpi: &str,
                            scope: &str,
                            scope_value: &str,
                            measure: &str,
                            h: &crate::stats::Histogram| {
            for (i, &count) in h.counts().iter().enumerate() {
                if count > 0 {
                    let (lo, hi) = hist::bin_edges(i);
                    hist_rows.push(vec![
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
            add_hist(
                ch.kind.target_id(),
                "channel",
                ch.kind.label(),
                "answer_wait",
                answer,
            );
            add_hist(
                ch.kind.target_id(),
                "channel",
                ch.kind.label(),
                "abandon_wait",
                abandon,
            );
        }
        if sc.response.is_some() {
            for (g, (kpi, grade)) in [("T3", "I"), ("T4", "S")].into_iter().enumerate() {
                let (call, incident) = &outcome.attendance[g];
                add_hist(kpi, "grade", grade, "attend_from_call", call);
                add_hist(kpi, "grade", grade, "attend_from_incident", incident);
            }
        }
        write_file(
            tmp,
            "histograms.csv",
            &csv_bytes(
                &[
                    "kpi",
                    "scope",
                    "scope_value",
                    "measure",
                    "bin_low_ms",
                    "bin_high_ms",
                    "count",
                ],
                hist_rows,
            ),
        )?;

        let keys: Vec<_> = outcome.overall.iter().map(|r| &r.key).collect();
        let mut rep_rows = Vec::new();
        for rep in &outcome.reps {
            for (k, v) in keys.iter().zip(&rep.values) {
                rep_rows.push(vec![
                    rep.replication.to_string(),
                    rep.seed.to_string(),
                    k.kpi.to_string(),
                    k.scope.to_string(),
                    k.scope_value.clone(),
                    k.clock.to_string(),
                    k.statistic.to_string(),
                    num(*v),
                ]);
            }
        }
        write_file(
            tmp,
            "replications.csv",
            &csv_bytes(
                &[
                    "replication",
                    "seed",
                    "kpi",
                    "scope",
                    "scope_value",
                    "clock",
                    "statistic",
                    "value",
                ],
                rep_rows,
            ),
        )?;
        Ok(())
    })?;
    Ok(dir.to_path_buf())
}
