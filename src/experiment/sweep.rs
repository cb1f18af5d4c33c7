//! Parameter sweeps: a base scenario and a grid (or list) of overrides by field path, every
//! point run with the same seeds, results appended point by point so that an interrupted sweep
//! resumes without losing or repeating a point.
//!
//! The sweep file:
//! ```toml
//! base = "small.toml"            # relative to the sweep file
//! replications = 20              # optional: every point's replications (default: the base's)
//! seed = 1                       # optional: every point's master seed (default: the base's)
//! [grid]                         # every combination; parameters vary in the order of their
//! "roster.handlers.constant" = { from = 12, to = 16 }          # paths, the last fastest
//! "contact_centre.discipline" = ["priority", "fcfs"]
//! ```
//! or `[[points]]` tables, each a set of overrides (a parameter a point leaves out keeps the
//! base's value).

use super::{RunOptions, Summariser, pool, progress_bar, run_replication};
use crate::error::{Error, InputError};
use crate::model::ReplicationResult;
use crate::output::{self, csv_bytes};
use crate::scenario::overrides::{self, Step};
use crate::scenario::{Format, Scenario, Source};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 1_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    base: String,
    name: Option<String>,
    replications: Option<i64>,
    seed: Option<u64>,
    #[serde(default)]
    grid: BTreeMap<String, toml::Value>,
    #[serde(default)]
    points: Vec<BTreeMap<String, toml::Value>>,
}

/// The points of a sweep: a grid (every combination) or an explicit list.
#[derive(Clone, Debug)]
enum Points {
    Grid(Vec<Vec<Value>>),
    List(Vec<Vec<Option<Value>>>),
}

/// A validated sweep: its base scenario, parameters and points.
pub struct Sweep {
    pub name: String,
    /// The sweep file's name and its `base` as written: what manifests record.
    manifest_source: String,
    manifest_base: String,
    pub label: String,
    pub base_label: String,
    base_text: String,
    base_source: Source,
    base_tree: Value,
    /// The parameters' paths, as written.
    pub parameters: Vec<String>,
    paths: Vec<Vec<Step>>,
    points: Points,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    /// What a resumed sweep must match: the sweep file, the base scenario and the program.
    pub hash: String,
}

fn toml_to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A parameter value as a table cell: strings bare, everything else as JSON.
pub fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Sweep {
    /// Reads a sweep file and its base scenario, and checks every point's scenario.
    pub fn load(path: &Path) -> Result<Sweep, Error> {
        let label = path.display().to_string();
        let text = fs::read_to_string(path)
            .map_err(|e| InputError::new(&label, "", format!("cannot read the sweep file: {e}")))?;
        let bad = |field: &str, msg: String| -> Error {
            let mut e = InputError::new(&label, field, msg);
            if let Some((line, col)) = find_key(&text, field) {
                e = e.at(line, col);
            }
            e.into()
        };
        let f: SweepFile = match toml::de::Deserializer::parse(&text)
            .map_err(|e| (e.message().to_string(), e.span()))
            .and_then(|de| {
                serde_path_to_error::deserialize(de).map_err(|e| {
                    let p = e.path().to_string();
                    let inner = e.into_inner();
                    (format!("{p}: {}", inner.message()), inner.span())
                })
            }) {
            Ok(f) => f,
            Err((msg, span)) => {
                let mut e = InputError::new(&label, "", msg.trim().to_string());
                if let Some(s) = span {
                    let (line, col) = crate::scenario::locate::line_col(&text, s.start);
                    e = e.at(line, col);
                }
                return Err(e.into());
            }
        };
        let dir = path.parent().map_or(PathBuf::from("."), |p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        });
        let base_path = dir.join(&f.base);
        let base_label = base_path.display().to_string();
        let base_text = fs::read_to_string(&base_path).map_err(|e| {
            bad(
                "base",
                format!("cannot read the base scenario \"{base_label}\": {e}"),
            )
        })?;
        let format = if base_path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Format::Json
        } else {
            Format::Toml
        };
        let base_source = Source {
            label: base_label.clone(),
            dir: base_path.parent().map(Path::to_path_buf),
            format,
        };
        let base_tree = overrides::tree(&base_text, &base_source)?;
        let replications = match f.replications {
            None => None,
            Some(r) if (1..=crate::scenario::MAX_REPLICATIONS).contains(&r) => Some(r as u32),
            Some(r) => {
                return Err(bad(
                    "replications",
                    format!(
                        "must be a whole number from 1 to {} (got {r})",
                        crate::scenario::MAX_REPLICATIONS
                    ),
                ));
            }
        };
        let (parameters, points) = match (f.grid.is_empty(), f.points.is_empty()) {
            (false, false) => {
                return Err(bad(
                    "grid",
                    "give either [grid] or [[points]], not both".into(),
                ));
            }
            (true, true) => {
                return Err(bad(
                    "",
                    "give the points to run: a [grid] of parameters, or [[points]]".into(),
                ));
            }
            (false, true) => {
                let mut lists = Vec::new();
                let mut count: usize = 1;
                for (p, v) in &f.grid {
                    let values = grid_values(v).map_err(|m| bad(p, m))?;
                    count = count.saturating_mul(values.len());
                    lists.push(values);
                }
                if count > MAX_POINTS {
                    return Err(bad(
                        "grid",
                        format!("{count} points is more than {MAX_POINTS}: split the sweep"),
                    ));
                }
                (
                    f.grid.keys().cloned().collect::<Vec<_>>(),
                    Points::Grid(lists),
                )
            }
            (true, false) => {
                let mut names: Vec<String> =
                    f.points.iter().flat_map(|p| p.keys().cloned()).collect();
                names.sort();
                names.dedup();
                let list = f
                    .points
                    .iter()
                    .map(|p| names.iter().map(|n| p.get(n).map(toml_to_json)).collect())
                    .collect();
                (names, Points::List(list))
            }
        };
        let mut paths = Vec::new();
        for p in &parameters {
            paths.push(overrides::parse_path(p).map_err(|m| bad(p, m))?);
            for (own, field) in [
                (f.seed.is_some(), "run.seed"),
                (replications.is_some(), "run.replications"),
            ] {
                if own && p == field {
                    return Err(bad(
                        p,
                        format!(
                            "the sweep sets `{}` for every point, so it cannot also vary \"{field}\": give one or the other",
                            field.trim_start_matches("run.")
                        ),
                    ));
                }
            }
        }
        let hash = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for part in [
                text.as_bytes(),
                base_text.as_bytes(),
                env!("CARGO_PKG_VERSION").as_bytes(),
            ] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        // Manifests record the files by the names the sweep file gives them, so that shards run
        // from different folders (or with different paths) record the same.
        let label_in_manifest = path
            .file_name()
            .map_or(label.clone(), |n| n.to_string_lossy().into_owned());
        let sweep = Sweep {
            manifest_source: label_in_manifest,
            manifest_base: f.base.clone(),
            name: f.name.clone().unwrap_or_else(|| {
                path.file_stem()
                    .map_or("sweep".into(), |s| s.to_string_lossy().into_owned())
            }),
            label,
            base_label,
            base_text,
            base_source,
            base_tree,
            parameters,
            paths,
            points,
            replications,
            seed: f.seed,
            hash,
        };
        let mut sweep = sweep;
        sweep.hash = sweep.check_points()?;
        Ok(sweep)
    }

    pub fn len(&self) -> usize {
        match &self.points {
            Points::Grid(lists) => lists.iter().map(Vec::len).product(),
            Points::List(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `k`'s value of each parameter (None: the base's).
    pub fn values(&self, k: usize) -> Vec<Option<Value>> {
        match &self.points {
            Points::Grid(lists) => {
                let mut out = vec![None; lists.len()];
                let mut rest = k;
                for (i, list) in lists.iter().enumerate().rev() {
                    out[i] = Some(list[rest % list.len()].clone());
                    rest /= list.len();
                }
                out
            }
            Points::List(l) => l[k].clone(),
        }
    }

    /// Point `k`'s scenario, with the sweep's seed and replications.
    pub fn scenario(&self, k: usize) -> Result<Scenario, Error> {
        let overrides: Vec<(Vec<Step>, Value)> = self
            .values(k)
            .into_iter()
            .zip(&self.paths)
            .filter_map(|(v, p)| v.map(|v| (p.clone(), v)))
            .collect();
        let mut sc = Scenario::parse_with(
            &self.base_text,
            &self.base_source,
            &self.base_tree,
            &overrides,
        )?;
        if let Some(r) = self.replications {
            sc.run.replications = r;
        }
        if let Some(s) = self.seed {
            sc.run.seed = s;
        }
        Ok(sc)
    }

    /// "a = 1, b = fcfs": point `k`'s parameters, for messages.
    pub fn describe(&self, k: usize) -> String {
        self.parameters
            .iter()
            .zip(self.values(k))
            .filter_map(|(p, v)| v.map(|v| format!("{p} = {}", cell(&v))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Validates every point before anything runs, reporting the first failing points; gives
    /// the sweep's hash: the sweep file, the base scenario, the program version and every
    /// point's resolved scenario (so that files the base reads, such as a wards CSV, count too).
    fn check_points(&self) -> Result<String, Error> {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        hash.update(self.hash.as_bytes());
        let mut errors = Vec::new();
        let mut failing = 0;
        if self.is_empty() {
            return Err(InputError::new(&self.label, "", "the sweep has no points").into());
        }
        for k in 0..self.len() {
            let point = self.scenario(k);
            if let Ok(sc) = &point {
                hash.update(sc.hash().as_bytes());
            }
            if let Err(Error::Input(list)) = point {
                failing += 1;
                if failing <= 5 {
                    for mut e in list {
                        e.message = format!(
                            "{} (sweep point {k}: {}; sweep file {})",
                            e.message,
                            self.describe(k),
                            self.label
                        );
                        errors.push(e);
                    }
                }
            }
        }
        if failing > 5 {
            errors.push(InputError::new(
                &self.label,
                "",
                format!("and {} more points fail", failing - 5),
            ));
        }
        if errors.is_empty() {
            Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
        } else {
            Err(Error::Input(errors))
        }
    }
}

/// The values of one grid parameter: a list, a range `{ from, to, step }`, or one value.
fn grid_values(v: &toml::Value) -> Result<Vec<Value>, String> {
    match v {
        toml::Value::Array(a) => {
            if a.is_empty() {
                return Err("give at least one value".into());
            }
            Ok(a.iter().map(toml_to_json).collect())
        }
        toml::Value::Table(t) if t.contains_key("from") || t.contains_key("to") => {
            for k in t.keys() {
                if !matches!(k.as_str(), "from" | "to" | "step") {
                    return Err(format!(
                        "unknown key \"{k}\" in a range; a range is {{ from = ..., to = ..., step = ... }}"
                    ));
                }
            }
            let get = |k: &str| t.get(k);
            let (Some(from), Some(to)) = (get("from"), get("to")) else {
                return Err("a range needs both `from` and `to`".into());
            };
            let step = get("step");
            match (from, to, step) {
                (
                    toml::Value::Integer(a),
                    toml::Value::Integer(b),
                    None | Some(toml::Value::Integer(_)),
                ) => {
                    let s = step.and_then(|s| s.as_integer()).unwrap_or(1);
                    if s <= 0 {
                        return Err(format!("step must be more than 0 (got {s})"));
                    }
                    if b < a {
                        return Err(format!("`to` ({b}) is below `from` ({a})"));
                    }
                    let n = (i128::from(*b) - i128::from(*a)) / i128::from(s) + 1;
                    if n > MAX_POINTS as i128 {
                        return Err(format!("{n} values is more than {MAX_POINTS}"));
                    }
                    Ok((0..n as i64).map(|i| Value::from(a + i * s)).collect())
                }
                _ => {
                    let f = |v: Option<&toml::Value>| match v {
                        Some(toml::Value::Integer(i)) => Some(*i as f64),
                        Some(toml::Value::Float(x)) => Some(*x),
                        _ => None,
                    };
                    let (Some(a), Some(b)) = (f(Some(from)), f(Some(to))) else {
                        return Err("a range's `from` and `to` must be numbers".into());
                    };
                    let Some(s) = f(step) else {
                        return Err("a range of decimals needs a `step`".into());
                    };
                    if !(s > 0.0 && s.is_finite() && a.is_finite() && b.is_finite()) || b < a {
                        return Err(format!(
                            "a range needs from <= to and step > 0 (got from {a}, to {b}, step {s})"
                        ));
                    }
                    let count = ((b - a) / s + 1e-9).floor() + 1.0;
                    if !(count.is_finite() && count <= MAX_POINTS as f64) {
                        return Err(format!("more than {MAX_POINTS} values: use a larger step"));
                    }
                    let n = count as usize;
                    // Each value from the start (no accumulated rounding), rounded to 12 digits.
                    Ok((0..n)
                        .map(|i| {
                            let x = a + i as f64 * s;
                            Value::from((x * 1e12).round() / 1e12)
                        })
                        .collect())
                }
            }
        }
        other => Ok(vec![toml_to_json(other)]),
    }
}

/// The line and column of a top-level or [grid] key in the sweep file, for messages.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    if key.is_empty() {
        return None;
    }
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if k == key && t.contains('=') {
            return Some((i + 1, line.len() - t.len() + 1));
        }
    }
    None
}

/// The files of a sweep folder.
pub const FILES: [&str; 3] = ["manifest.json", "sweep.csv", "sweep.jsonl"];

/// What a sweep did.
pub struct SweepReport {
    pub points: usize,
    /// Points already done when it started (resumed).
    pub resumed_from: usize,
    pub replications_run: u64,
    pub events: u64,
    pub wall_seconds: f64,
    pub threads: usize,
}

fn header(sweep: &Sweep) -> Vec<u8> {
    let mut h: Vec<&str> = vec!["point"];
    h.extend(sweep.parameters.iter().map(String::as_str));
    h.extend(output::ROW_HEADER);
    csv_bytes(&h, Vec::<Vec<String>>::new())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Where an existing sweep folder stands: the points it holds, the lengths of its files.
struct Progress {
    done: usize,
    csv_len: u64,
    jsonl_len: u64,
}

fn read_progress(dir: &Path, sweep: &Sweep, given: Option<Shard>) -> Result<Progress, Error> {
    let shard = given.unwrap_or(Shard::WHOLE);
    let refuse = |why: String| -> Error { InputError::new("command line", "--resume", why).into() };
    let manifest: Value = fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| refuse(format!("\"{}\" holds no sweep to resume", dir.display())))?;
    if manifest["kind"] != "sweep" {
        return Err(refuse(format!(
            "\"{}\" holds no sweep to resume",
            dir.display()
        )));
    }
    if manifest["shard"] != shard_json(given) {
        return Err(refuse(format!(
            "\"{}\" holds a different part of the sweep ({}) than asked for ({}); resume it with the same --shard",
            dir.display(),
            manifest["shard"],
            shard_json(given)
        )));
    }
    if manifest["sweep_hash"] != sweep.hash.as_str() {
        return Err(refuse(format!(
            "\"{}\" holds a sweep of a different sweep file, base scenario or program version (its manifest says {} version {}); resume it with the same ones, or choose another --out",
            dir.display(),
            manifest["source"],
            manifest["program"]["version"]
        )));
    }
    let jsonl = fs::read(dir.join("sweep.jsonl")).map_err(io(&dir.join("sweep.jsonl")))?;
    let mut done = 0;
    let mut jsonl_len = 0u64;
    let mut csv_len = header(sweep).len() as u64;
    for line in jsonl.split_inclusive(|b| *b == b'\n') {
        if !line.ends_with(b"\n") {
            break; // cut off mid-write: that point is done again
        }
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            break;
        };
        if v["point"] != (shard.index + done * shard.count) as u64 {
            break;
        }
        let Some(end) = v["csv_end"].as_u64() else {
            break;
        };
        done += 1;
        jsonl_len += line.len() as u64;
        csv_len = end;
    }
    let csv = dir.join("sweep.csv");
    let have = fs::metadata(&csv).map_err(io(&csv))?.len();
    if have < csv_len {
        return Err(refuse(format!(
            "\"{}\" is shorter than its record of finished points says: the folder was changed by hand; choose another --out",
            csv.display()
        )));
    }
    Ok(Progress {
        done,
        csv_len,
        jsonl_len,
    })
}

/// Whether `dir` holds a sweep (or shard) that has not finished: how many points it holds.
fn unfinished(dir: &Path) -> Option<usize> {
    let m: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).ok()?).ok()?;
    if m["kind"] != "sweep" || m["complete"] == true {
        return None;
    }
    let done = fs::read_to_string(dir.join("sweep.jsonl"))
        .map(|s| s.lines().count())
        .unwrap_or(0);
    Some(done)
}

/// One part of a sweep: the points p with p mod count = index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses "K/N" (0 <= K < N).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!(
                "\"{text}\" is not a shard: write K/N with 0 <= K < N, e.g. 0/4 for the first of four"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index >= count || count > 1_000_000 {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    fn points(self, n: usize) -> impl Iterator<Item = usize> {
        (self.index..n).step_by(self.count)
    }
}

/// The manifest's `shard`: null for a whole sweep (given no --shard).
fn shard_json(shard: Option<Shard>) -> Value {
    match shard {
        None => Value::Null,
        Some(s) => json!({ "index": s.index, "count": s.count }),
    }
}

/// Runs the sweep into `dir`, resuming an interrupted one there when `resume` is set.
pub fn run(
    sweep: &Sweep,
    dir: &Path,
    given: Option<Shard>,
    resume: bool,
    opts: &RunOptions,
) -> Result<SweepReport, Error> {
    let started = std::time::Instant::now();
    let shard = given.unwrap_or(Shard::WHOLE);
    output::check_out_dir(dir)?;
    let mine: Vec<usize> = shard.points(sweep.len()).collect();
    let n = mine.len();
    let mut progress = None;
    if dir.join("manifest.json").is_file() {
        if resume {
            progress = Some(read_progress(dir, sweep, given)?);
        } else if let Some(done) = unfinished(dir) {
            return Err(InputError::new(
                "command line",
                "--out",
                format!(
                    "\"{}\" holds an unfinished sweep ({done} of its points done): add --resume to go on with it, or choose another --out",
                    dir.display()
                ),
            )
            .into());
        }
    }
    let progress = match progress {
        Some(p) => p,
        None => {
            start_folder(sweep, dir, given)?;
            Progress {
                done: 0,
                csv_len: header(sweep).len() as u64,
                jsonl_len: 0,
            }
        }
    };
    let csv_path = dir.join("sweep.csv");
    let jsonl_path = dir.join("sweep.jsonl");
    // Anything after the last finished point was cut off mid-write: drop it.
    for (p, len) in [
        (&csv_path, progress.csv_len),
        (&jsonl_path, progress.jsonl_len),
    ] {
        let f = fs::OpenOptions::new().write(true).open(p).map_err(io(p))?;
        f.set_len(len).map_err(io(p))?;
        f.sync_all().map_err(io(p))?;
    }
    let mut csv = fs::OpenOptions::new()
        .append(true)
        .open(&csv_path)
        .map_err(io(&csv_path))?;
    let mut jsonl = fs::OpenOptions::new()
        .append(true)
        .open(&jsonl_path)
        .map_err(io(&jsonl_path))?;
    let mut csv_end = progress.csv_len;

    let pool = pool(opts.threads);
    let threads = pool.current_num_threads();
    let first_sc = sweep.scenario(0)?;
    let reps = first_sc.run.replications as usize;
    let total = (n * reps) as u64;
    let bar = progress_bar(total, opts.progress, "sweep replications");
    bar.set_position((progress.done * reps) as u64);
    bar.reset_eta();
    // Enough points at once to keep every thread busy (and to sync the files once for several
    // points); their results are folded in order.
    let batch = (threads * 4).div_ceil(reps.max(1)).clamp(4, 64);
    let abort_after: Option<usize> = std::env::var("PLEDGESIM_ABORT_AFTER_POINTS")
        .ok()
        .and_then(|v| v.parse().ok());
    let (mut replications_run, mut events, mut written) = (0u64, 0u64, 0usize);
    let mut k = progress.done;
    while k < n {
        let last = (k + batch).min(n);
        let scenarios: Vec<Scenario> = mine[k..last]
            .iter()
            .map(|&p| sweep.scenario(p))
            .collect::<Result<_, _>>()?;
        let tasks: Vec<(usize, u32)> = scenarios
            .iter()
            .enumerate()
            .flat_map(|(i, sc)| (0..sc.run.replications).map(move |r| (i, r)))
            .collect();
        let results: Vec<ReplicationResult> = pool.install(|| {
            tasks
                .par_iter()
                .map(|&(i, r)| {
                    let res = run_replication(&scenarios[i], r);
                    bar.inc(1);
                    res
                })
                .collect()
        });
        let mut results = results.into_iter();
        let mut records = Vec::new();
        for (i, sc) in scenarios.iter().enumerate() {
            let point = mine[k + i];
            let mut sum = Summariser::new(sc);
            for _ in 0..sc.run.replications {
                sum.push(results.next().expect("one result per task"));
            }
            let outcome = sum.finish(threads, 0.0);
            replications_run += u64::from(sc.run.replications);
            events += outcome.events;
            let values = sweep.values(point);
            let cells: Vec<String> = values
                .iter()
                .map(|v| v.as_ref().map_or(String::new(), cell))
                .collect();
            let rows: Vec<Vec<String>> = outcome
                .overall
                .iter()
                .map(|r| {
                    let mut f = vec![point.to_string()];
                    f.extend(cells.iter().cloned());
                    f.extend(output::row_fields(r));
                    f
                })
                .collect();
            let bytes = output::csv_rows(rows);
            csv.write_all(&bytes).map_err(io(&csv_path))?;
            csv_end += bytes.len() as u64;
            let params: serde_json::Map<String, Value> = sweep
                .parameters
                .iter()
                .zip(values)
                .filter_map(|(p, v)| v.map(|v| (p.clone(), v)))
                .collect();
            let record = json!({
                "point": point,
                "parameters": params,
                "scenario_hash": sc.hash(),
                "replications": sc.run.replications,
                "seed": sc.run.seed,
                "csv_end": csv_end,
                "rows": outcome.overall,
            });
            let mut line = serde_json::to_vec(&record).expect("a record serialises");
            line.push(b'\n');
            records.push(line);
        }
        // The records of finished points go in only once their rows are on disk, so a record
        // always has its rows; rows with no record are dropped on resume.
        csv.sync_data().map_err(io(&csv_path))?;
        for line in records {
            jsonl.write_all(&line).map_err(io(&jsonl_path))?;
            written += 1;
            if abort_after == Some(written) {
                // A test hook: die as a power cut would, mid-sweep.
                let _ = jsonl.sync_data();
                std::process::abort();
            }
        }
        jsonl.sync_data().map_err(io(&jsonl_path))?;
        k = last;
    }
    bar.finish_and_clear();
    mark_complete(dir)?;
    Ok(SweepReport {
        points: n,
        resumed_from: progress.done,
        replications_run,
        events,
        wall_seconds: started.elapsed().as_secs_f64(),
        threads,
    })
}

/// A fresh sweep folder: manifest, the CSV header and an empty JSON-lines file, put in place
/// atomically (an earlier pledgesim output there is replaced).
fn start_folder(sweep: &Sweep, dir: &Path, shard: Option<Shard>) -> Result<(), Error> {
    output::write_atomically(dir, |tmp| {
        let manifest = json!({
            "kind": "sweep",
            "schema_version": output::SCHEMA_VERSION,
            "program": { "name": "pledgesim", "version": env!("CARGO_PKG_VERSION") },
            "source": sweep.manifest_source,
            "base": sweep.manifest_base,
            "sweep_hash": sweep.hash,
            "parameters": sweep.parameters,
            "points": sweep.len(),
            "replications": sweep.replications,
            "seed": sweep.seed,
            "files": FILES,
            "shard": shard_json(shard),
            "complete": false,
            "method": "every point runs replications 0..n-1 from the same master seed with the same random streams (common random numbers); points are appended to sweep.csv and sweep.jsonl in order as they finish",
        });
        output::write_file(tmp, "manifest.json", &output::json_bytes(&manifest))?;
        output::write_file(tmp, "sweep.csv", &header(sweep))?;
        output::write_file(tmp, "sweep.jsonl", b"")?;
        Ok(())
    })
}

/// Marks a sweep folder finished: its manifest is rewritten (atomically, by renaming a
/// complete copy over it) with `complete = true`.
fn mark_complete(dir: &Path) -> Result<(), Error> {
    let path = dir.join("manifest.json");
    let mut m: Value =
        serde_json::from_slice(&fs::read(&path).map_err(io(&path))?).map_err(|e| {
            Error::from(InputError::new(
                path.display().to_string(),
                "",
                format!("not a sweep manifest: {e}"),
            ))
        })?;
    if m["complete"] == true {
        return Ok(());
    }
    m["complete"] = Value::Bool(true);
    replace_file(&path, &output::json_bytes(&m))
}

/// Writes `bytes` to `path` by writing a temporary file beside it and renaming it over.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    output::write_file(
        tmp.parent().unwrap_or(Path::new(".")),
        &tmp.file_name().expect("a file name").to_string_lossy(),
        bytes,
    )?;
    fs::rename(&tmp, path).map_err(io(path))
}

/// Combines the shard folders of one sweep into `out`, as the unsharded sweep would have
/// written it (byte for byte). Refuses missing, repeated, unfinished and mismatched shards.
pub fn merge(out: &Path, shards: &[PathBuf]) -> Result<usize, Error> {
    let refuse = |dir: &Path, why: String| -> Error {
        InputError::new(dir.display().to_string(), "", why).into()
    };
    let mut manifests = Vec::new();
    for dir in shards {
        let path = dir.join("manifest.json");
        let m: Value = fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                refuse(
                    dir,
                    "not a sweep shard: it has no pledgesim manifest.json".into(),
                )
            })?;
        if m["program"]["name"] != "pledgesim" || m["kind"] != "sweep" {
            return Err(refuse(
                dir,
                "not a sweep shard: its manifest is not a pledgesim sweep's".into(),
            ));
        }
        if !m["shard"].is_object() {
            return Err(refuse(
                dir,
                "a whole sweep, not a shard: there is nothing to merge it with".into(),
            ));
        }
        if m["complete"] != true {
            return Err(refuse(
                dir,
                format!(
                    "shard {} did not finish ({} points recorded): run it again with --resume, then merge",
                    m["shard"]["index"],
                    fs::read_to_string(dir.join("sweep.jsonl"))
                        .map(|s| s.lines().count())
                        .unwrap_or(0)
                ),
            ));
        }
        manifests.push(m);
    }
    let Some(first) = manifests.first() else {
        return Err(InputError::new(
            "command line",
            "SHARD_DIR",
            "give the shard folders to merge",
        )
        .into());
    };
    let version = env!("CARGO_PKG_VERSION");
    for (dir, m) in shards.iter().zip(&manifests) {
        if m["program"]["version"] != version {
            return Err(refuse(
                dir,
                format!(
                    "made by pledgesim version {}, not this version {version}: shards must come from the same program version; run them again",
                    m["program"]["version"]
                ),
            ));
        }
        if m["sweep_hash"] != first["sweep_hash"] {
            return Err(refuse(
                dir,
                format!(
                    "a shard of a different sweep ({} with base {}) from {} ({} with base {}): the sweep file or its base scenario differ",
                    m["source"],
                    m["base"],
                    shards[0].display(),
                    first["source"],
                    first["base"]
                ),
            ));
        }
        if m["shard"]["count"] != first["shard"]["count"] {
            return Err(refuse(
                dir,
                format!(
                    "a shard of a split into {} parts, while {} is of a split into {}",
                    m["shard"]["count"],
                    shards[0].display(),
                    first["shard"]["count"]
                ),
            ));
        }
    }
    let count = first["shard"]["count"].as_u64().unwrap_or(0) as usize;
    let mut by_index: Vec<Option<usize>> = vec![None; count];
    for (i, m) in manifests.iter().enumerate() {
        let k = m["shard"]["index"].as_u64().unwrap_or(u64::MAX) as usize;
        if k >= count {
            return Err(refuse(
                &shards[i],
                format!("shard index {k} is not below its count {count}"),
            ));
        }
        if let Some(j) = by_index[k] {
            return Err(refuse(
                &shards[i],
                format!(
                    "shard {k}/{count} is given twice: {} and {}",
                    shards[j].display(),
                    shards[i].display()
                ),
            ));
        }
        by_index[k] = Some(i);
    }
    let missing: Vec<String> = (0..count)
        .filter(|k| by_index[*k].is_none())
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(InputError::new(
            "command line",
            "SHARD_DIR",
            format!(
                "shard(s) {} missing: a merge needs every shard of the sweep",
                missing.join(", ")
            ),
        )
        .into());
    }
    // Each shard's points: (point, its CSV rows, its record).
    let total = first["points"].as_u64().unwrap_or(0) as usize;
    let mut parts: Vec<std::vec::IntoIter<(usize, Vec<u8>, String)>> = Vec::new();
    let mut header_bytes = Vec::new();
    for k in 0..count {
        let dir = &shards[by_index[k].expect("every shard present")];
        let csv = fs::read(dir.join("sweep.csv")).map_err(io(&dir.join("sweep.csv")))?;
        let jsonl =
            fs::read_to_string(dir.join("sweep.jsonl")).map_err(io(&dir.join("sweep.jsonl")))?;
        let head_end = csv
            .iter()
            .position(|b| *b == b'\n')
            .map_or(csv.len(), |i| i + 1);
        if k == 0 {
            header_bytes = csv[..head_end].to_vec();
        }
        let mut at = head_end;
        let mut list = Vec::new();
        for line in jsonl.lines() {
            let v: Value = serde_json::from_str(line)
                .map_err(|e| refuse(dir, format!("sweep.jsonl is damaged: {e}")))?;
            let (Some(point), Some(end)) = (v["point"].as_u64(), v["csv_end"].as_u64()) else {
                return Err(refuse(
                    dir,
                    "sweep.jsonl is damaged: a record has no point or csv_end".into(),
                ));
            };
            let end = end as usize;
            if end < at || end > csv.len() {
                return Err(refuse(
                    dir,
                    "sweep.csv and sweep.jsonl do not agree: the folder was changed by hand".into(),
                ));
            }
            list.push((point as usize, csv[at..end].to_vec(), line.to_string()));
            at = end;
        }
        let expected: Vec<usize> = Shard { index: k, count }.points(total).collect();
        if list.iter().map(|p| p.0).collect::<Vec<_>>() != expected {
            return Err(refuse(
                dir,
                format!("does not hold the points of shard {k}/{count}"),
            ));
        }
        parts.push(list.into_iter());
    }
    let mut csv_out = header_bytes;
    let mut jsonl_out = String::new();
    for p in 0..total {
        let (point, rows, line) = parts[p % count].next().expect("every point of its shard");
        debug_assert_eq!(point, p);
        csv_out.extend_from_slice(&rows);
        jsonl_out.push_str(&with_csv_end(&line, csv_out.len()));
        jsonl_out.push('\n');
    }
    let mut manifest = first.clone();
    manifest["shard"] = Value::Null;
    output::write_atomically(out, |tmp| {
        output::write_file(tmp, "manifest.json", &output::json_bytes(&manifest))?;
        output::write_file(tmp, "sweep.csv", &csv_out)?;
        output::write_file(tmp, "sweep.jsonl", jsonl_out.as_bytes())?;
        Ok(())
    })?;
    Ok(total)
}

/// A record's line with its `csv_end` changed, leaving every other byte as it was (so that
/// no number is re-printed).
fn with_csv_end(line: &str, end: usize) -> String {
    const KEY: &str = "\"csv_end\":";
    match line.find(KEY) {
        Some(i) => {
            let start = i + KEY.len();
            let digits = line[start..].bytes().take_while(u8::is_ascii_digit).count();
            format!("{}{end}{}", &line[..start], &line[start + digits..])
        }
        None => line.to_string(),
    }
}
