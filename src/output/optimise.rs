//! The folder of `pledgesim optimise`: manifest.json, candidates.jsonl (one line per candidate
//! simulated, appended and put on disk as each finishes), and, once the search is over,
//! optimise.json and plan.toml (the scenario with the plan's values), with the manifest marked
//! complete.
//!
//! An interrupted search is resumed (`--resume`) from its candidates.jsonl: the manifest must
//! be the one this request would write (the same scenario, seeds, targets and knobs), a last
//! line cut off mid-write is dropped, and any other line that is not as pledgesim wrote it is
//! refused, never trusted.

use super::contract::{
    CandidateFigure, CandidateRecord, Kind, ManifestHead, OptimiseFrontier, OptimiseFrontierPoint,
    OptimiseKnob, OptimiseLoad, OptimiseManifest, OptimiseSectorLoad, OptimiseStart,
    OptimiseSummary, OptimiseTarget, Program, SCHEMA_VERSION, figure,
};
use super::{check_out_dir, json_bytes, write_atomically, write_file};
use crate::error::{Error, InputError};
use crate::experiment::optimise::frontier::Point;
use crate::experiment::optimise::load::{LoadStart, SectorLoad};
use crate::experiment::optimise::{Candidate, Figure, Outcome, Request, Start, StartFrom};
use crate::scenario::Scenario;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How the search works, as optimise.json says.
pub const METHOD: &str = "greedy marginal allocation on common random numbers: from the scenario's own values, or with the load start those raised to the units on duty that cover each sector's offered load in every hour of the week (with candidate base sites: once for each way of choosing them, the scenario's own first), up one step of the knob that closes most of the targets' shortfall per pound until the targets are kept; then down one step, the cheapest that still keeps them, while one does; then one knob up and another down where cheaper and kept, and down again; every candidate simulated with the scenario's seed and replications";

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// manifest.json for `req` on `sc`.
pub fn manifest<'a>(
    sc: &'a Scenario,
    req: &Request,
    complete: bool,
    written: &[String],
) -> OptimiseManifest<&'a Scenario> {
    let mut files: Vec<String> = vec!["manifest.json".into(), "candidates.jsonl".into()];
    if complete {
        files.push("optimise.json".into());
        files.extend(written.iter().cloned());
    }
    OptimiseManifest {
        kind: Kind::Optimise,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        scenario_hash: sc.hash(),
        seed: sc.run.seed,
        replications: sc.run.replications,
        confidence: req.confidence,
        targets: req
            .goals
            .iter()
            .map(|g| OptimiseTarget {
                id: g.id.clone(),
                share: g.share,
            })
            .collect(),
        knobs: req
            .knobs
            .iter()
            .map(|k| OptimiseKnob {
                path: k.path.clone(),
                from: k.from,
                to: k.to,
                step: k.step,
                own: k.own,
                sites: k
                    .choices
                    .iter()
                    .map(|c| super::contract::OptimiseSite {
                        name: c.name.clone(),
                        x: c.x,
                        y: c.y,
                        cost_per_week: c.cost_per_week,
                    })
                    .collect(),
            })
            .collect(),
        max_simulations: req.max_simulations,
        start_from: start_record(req),
        frontier: req.frontier.as_ref().map(|f| OptimiseFrontier {
            target: f.id.clone(),
            shares: f.shares.clone(),
        }),
        complete,
        crates: super::crates(),
        files,
        scenario: sc,
    }
}

/// The search's start as the manifest and optimise.json hold it.
pub fn start_record(req: &Request) -> OptimiseStart {
    let s = &req.start;
    OptimiseStart {
        from: s.from.name().into(),
        values: match &s.load {
            Some(l) => l.values.clone(),
            None => req.knobs.iter().map(|k| k.start()).collect(),
        },
        why: s.why.clone(),
        load: s.load.as_ref().map(|l| OptimiseLoad {
            hours_per_dispatch: l.hours_per_dispatch,
            bounds: l.bounds.clone(),
            sectors: l
                .sectors
                .iter()
                .map(|x| OptimiseSectorLoad {
                    sector: x.sector.clone(),
                    hour_of_week: x.hour_of_week,
                    load: x.load,
                    units_scenario: x.units_scenario,
                    units_start: x.units_start,
                })
                .collect(),
        }),
    }
}

/// The start a manifest holds, read back for `req` (None when it is not one this request
/// could have written: the caller refuses the folder).
fn start_read(r: &OptimiseStart, req: &Request) -> Option<Start> {
    let from = match r.from.as_str() {
        "scenario" => StartFrom::Scenario,
        "load" => StartFrom::Load,
        _ => return None,
    };
    let n = req.knobs.len();
    let in_range = |v: &[i64]| {
        v.len() == n
            && v.iter()
                .zip(&req.knobs)
                .all(|(v, k)| (k.from..=k.to).contains(v))
    };
    if from != req.start.from || !in_range(&r.values) {
        return None;
    }
    let load = match &r.load {
        None => None,
        Some(l) => {
            let bounds_ok = l.bounds.len() == n
                && l.bounds
                    .iter()
                    .zip(&req.knobs)
                    .all(|(b, k)| b.is_none_or(|b| (k.from..=k.to).contains(&b)));
            if from != StartFrom::Load || !bounds_ok {
                return None;
            }
            Some(LoadStart {
                hours_per_dispatch: l.hours_per_dispatch,
                bounds: l.bounds.clone(),
                values: r.values.clone(),
                sectors: l
                    .sectors
                    .iter()
                    .map(|x| SectorLoad {
                        sector: x.sector.clone(),
                        hour_of_week: x.hour_of_week,
                        load: x.load,
                        units_scenario: x.units_scenario,
                        units_start: x.units_start,
                    })
                    .collect(),
            })
        }
    };
    Some(Start {
        from,
        load,
        why: r.why.clone(),
    })
}

/// A candidate as candidates.jsonl holds it.
pub fn record(n: usize, c: &Candidate) -> CandidateRecord {
    CandidateRecord {
        candidate: n,
        values: c.values.clone(),
        cost_per_week: figure(c.cost),
        fte: c.fte,
        kept: c.kept,
        refused: c.refused.clone(),
        targets: c
            .figures
            .iter()
            .map(|f| CandidateFigure {
                id: f.id.clone(),
                required_share: f.required,
                mean: f.mean,
                ci_low: f.ci_low,
                ci_high: f.ci_high,
                sd: f.sd,
                share_reps_meeting: f.reps_meeting,
                share_reps_meeting_cautious: f.reps_meeting_cautious,
                replication_values: f.reps.iter().map(|&x| (!x.is_nan()).then_some(x)).collect(),
            })
            .collect(),
    }
}

/// A line of candidates.jsonl read back as a candidate.
fn candidate(r: CandidateRecord) -> Candidate {
    Candidate {
        values: r.values,
        cost: r.cost_per_week.unwrap_or(f64::INFINITY),
        fte: r.fte,
        kept: r.kept,
        refused: r.refused,
        figures: r
            .targets
            .into_iter()
            .map(|f| Figure {
                id: f.id,
                required: f.required_share,
                mean: f.mean,
                ci_low: f.ci_low,
                ci_high: f.ci_high,
                sd: f.sd,
                reps_meeting: f.share_reps_meeting,
                reps_meeting_cautious: f.share_reps_meeting_cautious,
                reps: f
                    .replication_values
                    .iter()
                    .map(|x| x.unwrap_or(f64::NAN))
                    .collect(),
            })
            .collect(),
    }
}

/// An optimise folder being written.
pub struct OptimiseWriter {
    dir: PathBuf,
    jsonl: fs::File,
    jsonl_path: PathBuf,
    written: usize,
    /// Candidates already in the file (a resumed search's): the search asks for them again,
    /// in the same order, and they are not written twice.
    on_disk: usize,
    /// A test hook (PLEDGESIM_ABORT_AFTER_CANDIDATES): die as a power cut would, mid-search.
    abort_after: Option<usize>,
}

/// Whether `dir` holds an optimise folder whose search did not finish.
fn unfinished(dir: &Path) -> bool {
    let Some(m) = fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return false;
    };
    m.get("kind").and_then(|k| k.as_str()) == Some("optimise")
        && m.get("complete").and_then(|c| c.as_bool()) == Some(false)
}

impl OptimiseWriter {
    /// Opens `dir` for the search `req` on `sc`: goes on with the interrupted search there
    /// when `resume` is set (returning the candidates it holds, in order); otherwise starts
    /// afresh, refusing to throw away an unfinished search.
    /// On resume, the request's start becomes the one the folder's manifest holds.
    pub fn open(
        sc: &Scenario,
        req: &mut Request,
        dir: &Path,
        resume: bool,
    ) -> Result<(OptimiseWriter, Vec<Candidate>), Error> {
        check_out_dir(dir)?;
        let jsonl_path = dir.join("candidates.jsonl");
        let mut given = Vec::new();
        let mut keep_len = 0u64;
        let fresh = if resume {
            let (c, len) = read_progress(dir, sc, req)?;
            given = c;
            keep_len = len;
            false
        } else if unfinished(dir) {
            return Err(InputError::new(
                "command line",
                "--out",
                format!(
                    "\"{}\" holds an unfinished search: add --resume to go on with it, or choose another --out",
                    dir.display()
                ),
            )
            .into());
        } else {
            true
        };
        if fresh {
            let m = json_bytes(&manifest(sc, req, false, &[]));
            write_atomically(dir, |tmp| {
                write_file(tmp, "manifest.json", &m)?;
                write_file(tmp, "candidates.jsonl", b"")
            })?;
        } else {
            super::safe::refuse_link(&jsonl_path)?;
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&jsonl_path)
                .map_err(io(&jsonl_path))?;
            f.set_len(keep_len).map_err(io(&jsonl_path))?;
            f.sync_all().map_err(io(&jsonl_path))?;
            // Not complete until this search is.
            replace_file(
                &dir.join("manifest.json"),
                &json_bytes(&manifest(sc, req, false, &[])),
            )?;
            let points = req
                .frontier
                .iter()
                .flat_map(|f| f.shares.iter().map(|&share| point_plan_name(&f.id, share)));
            let fixed = ["optimise.json", "plan.toml", "frontier.csv"].map(String::from);
            for stale in fixed.into_iter().chain(points) {
                let p = dir.join(stale);
                if p.is_file() {
                    fs::remove_file(&p).map_err(io(&p))?;
                }
            }
        }
        let jsonl = fs::OpenOptions::new()
            .append(true)
            .open(&jsonl_path)
            .map_err(io(&jsonl_path))?;
        Ok((
            OptimiseWriter {
                dir: dir.to_path_buf(),
                jsonl,
                jsonl_path,
                written: 0,
                on_disk: given.len(),
                abort_after: std::env::var("PLEDGESIM_ABORT_AFTER_CANDIDATES")
                    .ok()
                    .and_then(|v| v.parse().ok()),
            },
            given,
        ))
    }

    /// Appends a candidate and puts it on disk (unless the file already holds it).
    pub fn append(&mut self, c: &Candidate) -> Result<(), Error> {
        if self.written < self.on_disk {
            self.written += 1;
            return Ok(());
        }
        let value = serde_json::to_value(record(self.written, c)).expect("a record serialises");
        let mut line = serde_json::to_vec(&value).expect("a record serialises");
        line.push(b'\n');
        self.jsonl.write_all(&line).map_err(io(&self.jsonl_path))?;
        self.jsonl.sync_data().map_err(io(&self.jsonl_path))?;
        self.written += 1;
        if self.abort_after == Some(self.written) {
            std::process::abort();
        }
        Ok(())
    }

    /// Writes optimise.json, plan.toml (when there is a plan) and, with a cost curve,
    /// frontier.csv and each point's plan (`point_plans`: each point's file name and text, in
    /// order), and marks the folder complete.
    pub fn finish(
        self,
        sc: &Scenario,
        req: &Request,
        summary: &OptimiseSummary,
        plan: Option<&str>,
        point_plans: &[(String, String)],
    ) -> Result<(), Error> {
        let mut written = Vec::new();
        replace_file(&self.dir.join("optimise.json"), &json_bytes(summary))?;
        if let Some(text) = plan {
            replace_file(&self.dir.join("plan.toml"), text.as_bytes())?;
            written.push("plan.toml".to_string());
        }
        if req.frontier.is_some() {
            replace_file(
                &self.dir.join("frontier.csv"),
                &frontier_csv(req, &summary.frontier),
            )?;
            written.push("frontier.csv".to_string());
        }
        for (name, text) in point_plans {
            replace_file(&self.dir.join(name), text.as_bytes())?;
            written.push(name.clone());
        }
        replace_file(
            &self.dir.join("manifest.json"),
            &json_bytes(&manifest(sc, req, true, &written)),
        )
    }
}

/// The cost curve's points as optimise.json and frontier.csv hold them.
pub fn frontier_rows(req: &Request, points: &[Point]) -> Vec<OptimiseFrontierPoint> {
    let Some(sweep) = &req.frontier else {
        return Vec::new();
    };
    let mut rows: Vec<OptimiseFrontierPoint> = Vec::new();
    for p in points {
        let cost = p.plan.as_ref().and_then(|(_, c)| figure(c.cost));
        let swept = p
            .plan
            .as_ref()
            .and_then(|(_, c)| c.figures.iter().find(|f| f.id == sweep.id));
        let marginal = match (rows.last(), cost) {
            (Some(prev), Some(c)) => prev
                .cost_per_week
                .map(|pc| (c - pc) / ((p.share - prev.required_share) * 100.0)),
            _ => None,
        };
        rows.push(OptimiseFrontierPoint {
            target: sweep.id.clone(),
            required_share: p.share,
            cost_per_week: cost,
            marginal_cost_per_point: marginal.and_then(figure),
            candidate: p.plan.as_ref().map(|(i, _)| *i),
            plan_values: p.plan.as_ref().map(|(_, c)| {
                req.knobs
                    .iter()
                    .zip(&c.values)
                    .map(|(k, &v)| (k.path.clone(), v))
                    .collect()
            }),
            achieved_mean: swept.and_then(|f| figure(f.mean)),
            achieved_ci_low: swept.and_then(|f| figure(f.ci_low)),
            achieved_ci_high: swept.and_then(|f| figure(f.ci_high)),
            share_reps_meeting: swept.map(|f| f.reps_meeting),
            candidates_asked: p.asked,
            new_candidates: p.added,
            verdict: p.verdict.clone(),
        });
    }
    rows
}

/// frontier.csv: the curve's rows, then a column per searched field (named by its path) with
/// the plan's value.
fn frontier_csv(req: &Request, rows: &[OptimiseFrontierPoint]) -> Vec<u8> {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let mut header: Vec<&str> = FRONTIER_COLUMNS.to_vec();
    header.extend(req.knobs.iter().map(|k| k.path.as_str()));
    super::csv_bytes(
        &header,
        rows.iter().map(|r| {
            let mut row = vec![
                r.target.clone(),
                r.required_share.to_string(),
                num(r.cost_per_week),
                num(r.marginal_cost_per_point),
                r.candidate.map_or(String::new(), |c| c.to_string()),
                num(r.achieved_mean),
                num(r.achieved_ci_low),
                num(r.achieved_ci_high),
                num(r.share_reps_meeting),
                r.candidates_asked.to_string(),
                r.new_candidates.to_string(),
                r.verdict.clone().unwrap_or_default(),
            ];
            row.extend(req.knobs.iter().map(|k| {
                r.plan_values
                    .as_ref()
                    .and_then(|p| p.get(&k.path))
                    .map_or(String::new(), ToString::to_string)
            }));
            row
        }),
    )
}

/// The file a cost curve's point's plan is written to: `plan-T3-0.85.toml`.
pub fn point_plan_name(id: &str, share: f64) -> String {
    format!("plan-{id}-{share}.toml")
}

/// frontier.csv's first columns (a column per searched field follows).
pub const FRONTIER_COLUMNS: [&str; 12] = [
    "target",
    "required_share",
    "cost_per_week",
    "marginal_cost_per_point",
    "candidate",
    "achieved_mean",
    "achieved_ci_low",
    "achieved_ci_high",
    "share_reps_meeting",
    "candidates_asked",
    "new_candidates",
    "verdict",
];

/// optimise.json of a finished search.
pub fn summary(
    req: &Request,
    out: &Outcome,
    verdict: Option<String>,
    frontier: Vec<OptimiseFrontierPoint>,
    in_file: usize,
) -> OptimiseSummary {
    let plan = out.best.map(|b| record(b, &out.candidates[b]));
    OptimiseSummary {
        kind: Kind::Optimise,
        costed: out.costed,
        method: METHOD.into(),
        simulations: in_file,
        limit_reached: in_file >= req.max_simulations,
        start_from: start_record(req),
        start: record(out.start, &out.candidates[out.start]),
        plan_values: out.best.map(|b| {
            req.knobs
                .iter()
                .zip(&out.candidates[b].values)
                .map(|(k, &v)| (k.path.clone(), v))
                .collect::<BTreeMap<_, _>>()
        }),
        plan,
        verdict,
        frontier,
    }
}

/// Writes `bytes` to `path` by writing a temporary file beside it and renaming it over.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    super::safe::refuse_link(path)?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    write_file(
        tmp.parent().unwrap_or(Path::new(".")),
        &tmp.file_name().expect("a file name").to_string_lossy(),
        bytes,
    )?;
    fs::rename(&tmp, path).map_err(io(path))
}

/// The candidates of the interrupted search in `dir`, and the length of candidates.jsonl up to
/// the last whole line; refused when the folder is not this request's search.
fn read_progress(
    dir: &Path,
    sc: &Scenario,
    req: &mut Request,
) -> Result<(Vec<Candidate>, u64), Error> {
    let file = dir.join("manifest.json").display().to_string();
    let refuse = |field: &str, why: String| -> Error { InputError::new(&file, field, why).into() };
    let value: serde_json::Value = fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            Error::from(InputError::new(
                "command line",
                "--resume",
                format!("\"{}\" holds no search to resume", dir.display()),
            ))
        })?;
    let head: ManifestHead = serde_json::from_value(value.clone())
        .map_err(|_| refuse("kind", "not a pledgesim manifest".into()))?;
    if head.kind != Kind::Optimise {
        return Err(refuse(
            "kind",
            format!(
                "the folder holds a {} output, not a search to resume",
                head.kind.label()
            ),
        ));
    }
    let written: OptimiseManifest<serde_json::Value> = serde_path_to_error::deserialize(&value)
        .map_err(|e| {
            let path = e.path().to_string();
            refuse(
                &path,
                format!(
                    "{}: an optimise manifest must be as pledgesim wrote it",
                    e.into_inner()
                ),
            )
        })?;
    let want = manifest(sc, req, false, &[]);
    let mut differs = Vec::new();
    if written.program.version != want.program.version {
        differs.push(format!(
            "program.version: written by pledgesim {}, this is {}",
            written.program.version, want.program.version
        ));
    }
    if written.scenario_hash != want.scenario_hash {
        differs.push("scenario_hash: the scenario has changed since".into());
    }
    if written.seed != want.seed || written.replications != want.replications {
        differs.push("seed or replications differ".into());
    }
    if written.confidence != want.confidence || written.targets != want.targets {
        differs.push("the targets or the confidence differ".into());
    }
    // --max-simulations may change: a search that reached its limit goes on with a higher one.
    if written.knobs != want.knobs {
        differs.push("the knobs (--vary) differ".into());
    }
    if written.frontier != want.frontier {
        differs.push("the cost curve (--frontier) differs".into());
    }
    let start = start_read(&written.start_from, req);
    if written.start_from.from != want.start_from.from {
        differs.push(format!(
            "the start (--start) differs: {} against {}",
            written.start_from.from, want.start_from.from
        ));
    } else if start.is_none() && differs.is_empty() {
        return Err(refuse(
            "start_from",
            "not a start as pledgesim wrote it: remove the folder or choose another --out".into(),
        ));
    }
    if !differs.is_empty() {
        return Err(refuse(
            "",
            format!(
                "the folder holds another search ({}); resume with the same scenario and options, or choose another --out",
                differs.join("; ")
            ),
        ));
    }
    if let Some(start) = start {
        req.start = start;
    }
    let path = dir.join("candidates.jsonl");
    let label = path.display().to_string();
    super::safe::refuse_link(&path)?;
    let meta = fs::metadata(&path).map_err(io(&path))?;
    if meta.len() > 1 << 30 {
        return Err(
            InputError::new(&label, "", "larger than 1 GiB: not as pledgesim wrote it").into(),
        );
    }
    let bytes = fs::read(&path).map_err(io(&path))?;
    let mut given = Vec::new();
    let mut len = 0u64;
    let mut at = 0usize;
    let n_knobs = req.knobs.len();
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let whole = line.ends_with(b"\n");
        let parsed = serde_json::from_slice::<CandidateRecord>(line);
        match parsed {
            Ok(r)
                if whole
                    && r.candidate == i
                    && r.values.len() == n_knobs
                    && r.values
                        .iter()
                        .zip(&req.knobs)
                        .all(|(v, k)| (k.from..=k.to).contains(v))
                    && r.targets.len() <= req.goals.len() =>
            {
                given.push(candidate(r));
                at += line.len();
                len = at as u64;
            }
            // The last line, cut off mid-write: dropped.
            _ if !whole => break,
            _ => {
                return Err(InputError {
                    file: label,
                    line: Some(i + 1),
                    column: None,
                    field: String::new(),
                    message: "not a candidate as pledgesim wrote it (a line changed by hand?): remove the folder or choose another --out".into(),
                }
                .into());
            }
        }
    }
    Ok((given, len))
}
