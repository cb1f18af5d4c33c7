//! The sweep folder: points appended as they finish, resumed, marked complete, and shards merged.
//!
//! A sweep folder holds manifest.json, sweep.csv (one row per point and figure) and sweep.jsonl
//! (one record per point, with where its rows end in sweep.csv). A point's record goes in only
//! once its rows are on disk, so a record always has its rows; rows with no record are dropped
//! on resume. Everything read back from a folder (a resumed sweep, a shard to merge) is checked
//! against what is possible before it is used: a folder changed by hand is refused, never
//! trusted for a count or a size.

use super::contract::{Kind, Program, ShardRef, SweepManifest, SweepRecord, parameter_columns};
use super::sweep_line::{Line, Rows};
use super::{
    ROW_HEADER, SCHEMA_VERSION, check_out_dir, csv_bytes, csv_rows_after, json_bytes, row_fields,
    write_atomically, write_file,
};
use crate::error::{Error, InputError};
use crate::experiment::sweep::{MAX_POINTS, MAX_SHARDS, PointResult, Shard, Sweep, cell};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a sweep folder.
pub const FILES: [&str; 3] = ["manifest.json", "sweep.csv", "sweep.jsonl"];

/// How a sweep's points are run and recorded, as its manifest says.
const METHOD: &str = "every point runs replications 0..n-1 from the same master seed with the same random streams (common random numbers); points are appended to sweep.csv and sweep.jsonl in order as they finish";

/// A parameter's value for sweep.jsonl: a seed (`run.seed`) as a string, as every seed of the
/// contract is (see [`super::contract::seed`]).
fn seed_value(name: &str, v: Value) -> Value {
    match (name, v.as_u64()) {
        ("run.seed", Some(n)) => Value::String(n.to_string()),
        _ => v,
    }
}

/// A parameter's value for sweep.csv: a seed (`run.seed`) after an `s`, as every seed of the
/// contract's CSV files is.
fn seed_cell(name: &str, v: &Value) -> String {
    match (name, v.as_u64()) {
        ("run.seed", Some(n)) => super::contract::seed::cell(n),
        _ => cell(v),
    }
}

/// The columns of sweep.csv: the point, its parameters (by their R-safe names, see
/// [`parameter_columns`]), then a scorecard row's.
fn columns(parameters: &[String]) -> Vec<String> {
    let mut h: Vec<String> = vec!["point".into()];
    h.extend(parameter_columns(parameters));
    h.extend(ROW_HEADER.map(String::from));
    h
}

fn header(parameters: &[String]) -> Vec<u8> {
    let cols = columns(parameters);
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    csv_bytes(&cols, Vec::<Vec<String>>::new())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// A sweep folder being written: each finished point is appended to its files.
pub struct SweepWriter {
    dir: PathBuf,
    csv: fs::File,
    jsonl: fs::File,
    csv_path: PathBuf,
    jsonl_path: PathBuf,
    csv_end: u64,
    parameters: Vec<String>,
    done: usize,
    written: usize,
    /// A test hook (PLEDGESIM_ABORT_AFTER_POINTS): die as a power cut would, mid-sweep.
    abort_after: Option<usize>,
}

impl SweepWriter {
    /// Opens `dir` for `shard` of `sweep` (None: the whole sweep): goes on with the interrupted
    /// sweep there when `resume` is set; otherwise starts it afresh, refusing to throw away an
    /// unfinished sweep.
    pub fn open(
        sweep: &Sweep,
        dir: &Path,
        shard: Option<Shard>,
        resume: bool,
    ) -> Result<SweepWriter, Error> {
        check_out_dir(dir)?;
        let mut progress = None;
        if dir.join("manifest.json").is_file() {
            if resume {
                progress = Some(read_progress(dir, sweep, shard)?);
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
                start_folder(sweep, dir, shard)?;
                Progress {
                    done: 0,
                    csv_len: header(&sweep.parameters).len() as u64,
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
            super::safe::refuse_link(p)?;
            let f = fs::OpenOptions::new().write(true).open(p).map_err(io(p))?;
            f.set_len(len).map_err(io(p))?;
            f.sync_all().map_err(io(p))?;
        }
        let csv = fs::OpenOptions::new()
            .append(true)
            .open(&csv_path)
            .map_err(io(&csv_path))?;
        let jsonl = fs::OpenOptions::new()
            .append(true)
            .open(&jsonl_path)
            .map_err(io(&jsonl_path))?;
        Ok(SweepWriter {
            dir: dir.to_path_buf(),
            csv,
            jsonl,
            csv_path,
            jsonl_path,
            csv_end: progress.csv_len,
            parameters: sweep.parameters.clone(),
            done: progress.done,
            written: 0,
            abort_after: std::env::var("PLEDGESIM_ABORT_AFTER_POINTS")
                .ok()
                .and_then(|v| v.parse().ok()),
        })
    }

    /// The points of this part of the sweep the folder already holds.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Appends a finished point: its rows to sweep.csv, then (once they are on disk) its
    /// record to sweep.jsonl.
    pub fn append(&mut self, p: PointResult) -> Result<(), Error> {
        let cells: Vec<String> = p
            .values
            .iter()
            .zip(&self.parameters)
            .map(|(v, name)| v.as_ref().map_or(String::new(), |v| seed_cell(name, v)))
            .collect();
        let point = p.point.to_string();
        let bytes = csv_rows_after(&[&[point], &cells[..]], p.rows.iter().map(row_fields));
        self.csv.write_all(&bytes).map_err(io(&self.csv_path))?;
        self.csv_end += bytes.len() as u64;
        self.csv.sync_data().map_err(io(&self.csv_path))?;
        let parameters: BTreeMap<String, Value> = self
            .parameters
            .iter()
            .zip(p.values)
            .filter_map(|(name, v)| v.map(|v| (name.clone(), seed_value(name, v))))
            .collect();
        // The record's bytes through a Value (keys in order, as for every JSON file), written
        // without building the Value.
        let record = Line {
            csv_end: self.csv_end,
            parameters: &parameters,
            point: p.point,
            replications: p.replications,
            rows: Rows(&p.rows),
            scenario_hash: &p.scenario_hash,
            seed: p.seed,
        };
        let mut line = serde_json::to_vec(&record).expect("a record serialises");
        line.push(b'\n');
        self.jsonl.write_all(&line).map_err(io(&self.jsonl_path))?;
        self.written += 1;
        if self.abort_after == Some(self.written) {
            let _ = self.jsonl.sync_data();
            std::process::abort();
        }
        Ok(())
    }

    /// Puts the records on disk and marks the folder complete.
    pub fn finish(self) -> Result<(), Error> {
        self.jsonl.sync_data().map_err(io(&self.jsonl_path))?;
        mark_complete(&self.dir)
    }
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
    let path = dir.join("manifest.json");
    let no_sweep = || refuse(format!("\"{}\" holds no sweep to resume", dir.display()));
    let value: Value = fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(no_sweep)?;
    let written = Written::deserialize(&value).map_err(|_| no_sweep())?;
    if written.kind != Kind::Sweep {
        return Err(no_sweep());
    }
    let version = env!("CARGO_PKG_VERSION");
    let manifest = match read_manifest(&path, &value, "a sweep's") {
        Ok(m) => m,
        Err(_) if written.program.version != version => {
            return Err(refuse(format!(
                "\"{}\" holds a sweep of pledgesim version {}, not this version {version}: resume it with that version, or choose another --out",
                dir.display(),
                written.program.version
            )));
        }
        Err(e) => return Err(e),
    };
    let asked = given.map(shard_ref);
    if manifest.shard != asked {
        return Err(refuse(format!(
            "\"{}\" holds a different part of the sweep ({}) than asked for ({}); resume it with the same --shard",
            dir.display(),
            part(manifest.shard),
            part(asked),
        )));
    }
    if manifest.sweep_hash != sweep.hash {
        return Err(refuse(format!(
            "\"{}\" holds a sweep of a different sweep file, base scenario or program version (its manifest says {:?} version {:?}); resume it with the same ones, or choose another --out",
            dir.display(),
            manifest.source,
            manifest.program.version
        )));
    }
    let jsonl = fs::read(dir.join("sweep.jsonl")).map_err(io(&dir.join("sweep.jsonl")))?;
    let mine = shard.points(sweep.len()).count();
    let mut done = 0;
    let mut jsonl_len = 0u64;
    let mut csv_len = header(&sweep.parameters).len() as u64;
    for line in jsonl.split_inclusive(|b| *b == b'\n') {
        if done == mine || !line.ends_with(b"\n") {
            break; // cut off mid-write: that point is done again
        }
        let Ok(r) = serde_json::from_slice::<SweepRecord>(line) else {
            break;
        };
        // A point's rows end after the previous point's.
        if r.point != shard.index + done * shard.count || r.csv_end < csv_len {
            break;
        }
        let end = r.csv_end;
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
/// A sweep whose manifest is damaged counts as unfinished: it is refused, not thrown away.
fn unfinished(dir: &Path) -> Option<usize> {
    let m: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).ok()?).ok()?;
    let written = Written::deserialize(&m).ok()?;
    if written.kind != Kind::Sweep || SweepManifest::deserialize(&m).is_ok_and(|m| m.complete) {
        return None;
    }
    let done = fs::read_to_string(dir.join("sweep.jsonl"))
        .map(|s| s.lines().count())
        .unwrap_or(0);
    Some(done)
}

/// Who wrote a manifest and what kind it is: read before the rest, so that a folder of
/// another kind, program or version is named as such, not by the first key it lacks.
#[derive(Deserialize)]
struct Written {
    kind: Kind,
    program: Program,
}

/// A shard as its manifest holds it.
fn shard_ref(s: Shard) -> ShardRef {
    ShardRef {
        index: s.index,
        count: s.count,
    }
}

/// A manifest's `shard`, as people read it.
fn part(shard: Option<ShardRef>) -> String {
    match shard {
        Some(s) => format!("shard {}/{}", s.index, s.count),
        None => "the whole sweep".into(),
    }
}

/// The manifest of a fresh (unfinished) sweep folder.
fn manifest(sweep: &Sweep, shard: Option<Shard>) -> SweepManifest {
    SweepManifest {
        kind: Kind::Sweep,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        source: sweep.manifest_source.clone(),
        base: sweep.manifest_base.clone(),
        sweep_hash: sweep.hash.clone(),
        parameters: sweep.parameters.clone(),
        parameter_columns: parameter_columns(&sweep.parameters),
        parameter_labels: sweep.parameter_labels.clone(),
        point_labels: sweep.point_labels.clone(),
        points: sweep.len(),
        replications: sweep.replications,
        seed: Some(sweep.master_seed),
        files: FILES.map(String::from).into(),
        shard: shard.map(shard_ref),
        complete: false,
        method: METHOD.into(),
    }
}

/// A sweep manifest read into the contract's type: every key missing or of the wrong kind is
/// an input error naming `file` and the key (`whose`: "a shard's", for the message). Counts
/// are checked against what a sweep may have by the caller.
fn read_manifest(file: &Path, value: &Value, whose: &str) -> Result<SweepManifest, Error> {
    serde_path_to_error::deserialize::<_, SweepManifest>(value).map_err(|e| {
        let (field, wrong) = fault(e);
        // A list's item is named by its list.
        let field = field.split('[').next().unwrap_or_default().to_string();
        let why = match (wrong, bounds(&field)) {
            (None, _) => "is missing".to_string(),
            (Some(_), Some((lo, hi))) => {
                let got = field.split('.').fold(value, |v, k| &v[k]);
                format!("must be a whole number from {lo} to {hi} (got {got})")
            }
            (Some(_), None) if field == "parameters" => "must be a list of field paths".into(),
            (Some(inner), None) => not_as_written(&inner),
        };
        InputError::new(
            file.display().to_string(),
            field,
            format!("{why}: {whose} manifest must be as pledgesim wrote it"),
        )
        .into()
    })
}

/// The key a JSON file could not be read at (dotted, `[i]` for a list's item), and what serde
/// says is wrong with its value: `None` when the key is missing.
fn fault(e: serde_path_to_error::Error<serde_json::Error>) -> (String, Option<String>) {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = e.into_inner().to_string();
    match inner
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        Some(key) if path.is_empty() => (key.to_string(), None),
        Some(key) => (format!("{path}.{key}"), None),
        None => (path, Some(inner)),
    }
}

/// What to say of a value serde could not read.
fn not_as_written(inner: &str) -> String {
    format!("is not as pledgesim writes it ({inner})")
}

/// The whole numbers of a sweep manifest that bound what a merge allocates: their range.
fn bounds(field: &str) -> Option<(u64, u64)> {
    match field {
        "shard.index" => Some((0, MAX_SHARDS as u64 - 1)),
        "shard.count" => Some((1, MAX_SHARDS as u64)),
        "points" => Some((1, MAX_POINTS as u64)),
        _ => None,
    }
}

/// A manifest's bounded whole number (see [`bounds`]), checked.
fn bounded(file: &Path, field: &str, n: usize) -> Result<usize, Error> {
    let (lo, hi) = bounds(field).expect("a bounded field");
    if (lo..=hi).contains(&(n as u64)) {
        return Ok(n);
    }
    Err(InputError::new(
        file.display().to_string(),
        field,
        format!(
            "must be a whole number from {lo} to {hi} (got {n}): a shard's manifest must be as pledgesim wrote it"
        ),
    )
    .into())
}

/// A fresh sweep folder: manifest, the CSV header and an empty JSON-lines file, put in place
/// atomically (an earlier pledgesim output there is replaced).
fn start_folder(sweep: &Sweep, dir: &Path, shard: Option<Shard>) -> Result<(), Error> {
    let manifest = manifest(sweep, shard);
    write_atomically(dir, |tmp| {
        write_file(tmp, "manifest.json", &json_bytes(&manifest))?;
        write_file(tmp, "sweep.csv", &header(&sweep.parameters))?;
        write_file(tmp, "sweep.jsonl", b"")?;
        Ok(())
    })
}

/// Marks a sweep folder finished: its manifest is rewritten (atomically, by renaming a
/// complete copy over it) with `complete = true`.
fn mark_complete(dir: &Path) -> Result<(), Error> {
    let path = dir.join("manifest.json");
    let value: Value =
        serde_json::from_slice(&fs::read(&path).map_err(io(&path))?).map_err(|e| {
            Error::from(InputError::new(
                path.display().to_string(),
                "",
                format!("not a sweep manifest: {e}"),
            ))
        })?;
    let mut m = read_manifest(&path, &value, "a sweep's")?;
    if m.complete {
        return Ok(());
    }
    m.complete = true;
    replace_file(&path, &json_bytes(&m))
}

/// Writes `bytes` to `path` by writing a temporary file beside it and renaming it over.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    write_file(
        tmp.parent().unwrap_or(Path::new(".")),
        &tmp.file_name().expect("a file name").to_string_lossy(),
        bytes,
    )?;
    fs::rename(&tmp, path).map_err(io(path))
}

/// Checks a shard's sweep.csv header against the columns its sweep writes, naming the first
/// column that differs.
fn check_header(csv_path: &Path, head: &[u8], parameters: &[String]) -> Result<(), Error> {
    if head == header(parameters).as_slice() {
        return Ok(());
    }
    let want = columns(parameters);
    let got: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(head)
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(String::from).collect())
        .unwrap_or_default();
    let at = (0..want.len().max(got.len())).find(|&i| want.get(i) != got.get(i));
    let (name, why) = match at {
        Some(i) if i < want.len() => (
            want[i].as_str(),
            match got.get(i) {
                Some(g) => format!(
                    "column {} is \"{g}\", where a sweep's is \"{}\"",
                    i + 1,
                    want[i]
                ),
                None => format!("column {} (\"{}\") is missing", i + 1, want[i]),
            },
        ),
        Some(i) => (
            "header",
            format!("column {} (\"{}\") is not a sweep's", i + 1, got[i]),
        ),
        None => ("header", "is not written as pledgesim writes it".into()),
    };
    Err(InputError::new(
        csv_path.display().to_string(),
        name,
        format!("{why}: the folder was changed by hand"),
    )
    .into())
}

/// Combines the shard folders of one sweep into `out`, as the unsharded sweep would have
/// written it (byte for byte). Refuses missing, repeated, unfinished and mismatched shards,
/// and shards changed by hand: every count read from a shard is bounded (by the most points
/// and shards a sweep may have, and by what its files hold) before anything is allocated.
pub fn merge(out: &Path, shards: &[PathBuf]) -> Result<usize, Error> {
    let refuse = |dir: &Path, why: String| -> Error {
        InputError::new(dir.display().to_string(), "", why).into()
    };
    let version = env!("CARGO_PKG_VERSION");
    let other_version = |dir: &Path, theirs: &str| {
        refuse(
            dir,
            format!(
                "made by pledgesim version {theirs:?}, not this version {version}: shards must come from the same program version; run them again"
            ),
        )
    };
    let mut manifests = Vec::new();
    for dir in shards {
        let path = dir.join("manifest.json");
        let Ok(bytes) = fs::read(&path) else {
            return Err(refuse(
                dir,
                "not a sweep shard: it has no pledgesim manifest.json".into(),
            ));
        };
        let m: Value = serde_json::from_slice(&bytes).map_err(|e| {
            // The line and column go in front, as for every input error.
            let full = e.to_string();
            let why = full.split(" at line ").next().unwrap_or(&full);
            Error::from(
                InputError::new(
                    path.display().to_string(),
                    "",
                    format!(
                        "is not JSON as pledgesim writes it ({why}): the folder was changed by hand"
                    ),
                )
                .at(e.line(), e.column()),
            )
        })?;
        let not_shard = || {
            refuse(
                dir,
                "not a sweep shard: its manifest is not a pledgesim sweep's".into(),
            )
        };
        let written = Written::deserialize(&m).map_err(|_| not_shard())?;
        if written.program.name != "pledgesim" || written.kind != Kind::Sweep {
            return Err(not_shard());
        }
        // A shard of another version may be written otherwise: that is what to say of it.
        let m = match read_manifest(&path, &m, "a shard's") {
            Ok(m) => m,
            Err(e) if written.program.version == version => return Err(e),
            Err(_) => return Err(other_version(dir, &written.program.version)),
        };
        let Some(shard) = m.shard else {
            return Err(refuse(
                dir,
                "a whole sweep, not a shard: there is nothing to merge it with".into(),
            ));
        };
        if !m.complete {
            return Err(refuse(
                dir,
                format!(
                    "shard {} did not finish ({} points recorded): run it again with --resume, then merge",
                    shard.index,
                    fs::read_to_string(dir.join("sweep.jsonl"))
                        .map(|s| s.lines().count())
                        .unwrap_or(0)
                ),
            ));
        }
        manifests.push((m, shard));
    }
    let Some((first, _)) = manifests.first() else {
        return Err(InputError::new(
            "command line",
            "SHARD_DIR",
            "give the shard folders to merge",
        )
        .into());
    };
    let mut shape = Vec::new();
    for (dir, (m, shard)) in shards.iter().zip(&manifests) {
        if m.program.version != version {
            return Err(other_version(dir, &m.program.version));
        }
        let path = dir.join("manifest.json");
        let index = bounded(&path, "shard.index", shard.index)?;
        let count = bounded(&path, "shard.count", shard.count)?;
        let points = bounded(&path, "points", m.points)?;
        shape.push((index, count, points, &m.parameters));
    }
    for (dir, (m, _)) in shards.iter().zip(&manifests) {
        if m.sweep_hash != first.sweep_hash {
            return Err(refuse(
                dir,
                format!(
                    "a shard of a different sweep ({:?} with base {:?}) from {} ({:?} with base {:?}): the sweep file or its base scenario differ",
                    m.source,
                    m.base,
                    shards[0].display(),
                    first.source,
                    first.base
                ),
            ));
        }
    }
    let (_, count, total, params) = shape[0];
    for (i, (_, c, points, p)) in shape.iter().enumerate() {
        if *c != count {
            return Err(refuse(
                &shards[i],
                format!(
                    "a shard of a split into {c} parts, while {} is of a split into {count}",
                    shards[0].display(),
                ),
            ));
        }
        if *points != total || *p != params {
            return Err(refuse(
                &shards[i],
                format!(
                    "its manifest's points or parameters differ from those of {}, a shard of the same sweep: the folder was changed by hand",
                    shards[0].display(),
                ),
            ));
        }
    }
    // Which folder holds each shard (a map: the count is bounded, but need not be small).
    let mut by_index: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, (k, ..)) in shape.iter().enumerate() {
        let k = *k;
        if k >= count {
            return Err(refuse(
                &shards[i],
                format!("shard index {k} is not below its count {count}"),
            ));
        }
        if let Some(j) = by_index.insert(k, i) {
            return Err(refuse(
                &shards[i],
                format!(
                    "shard {k}/{count} is given twice: {} and {}",
                    shards[j].display(),
                    shards[i].display()
                ),
            ));
        }
    }
    if by_index.len() < count {
        const SHOWN: usize = 10;
        let missing = count - by_index.len();
        let mut list: Vec<String> = (0..count)
            .filter(|k| !by_index.contains_key(k))
            .take(SHOWN)
            .map(|k| format!("{k}/{count}"))
            .collect();
        if missing > SHOWN {
            list.push(format!("and {} more", missing - SHOWN));
        }
        return Err(InputError::new(
            "command line",
            "SHARD_DIR",
            format!(
                "shard(s) {} missing: a merge needs every shard of the sweep",
                list.join(", ")
            ),
        )
        .into());
    }
    // Each shard's points: (point, its CSV rows, its record). Every shard is present, so there
    // are no more parts than folders given.
    let mut parts: Vec<std::vec::IntoIter<(usize, Vec<u8>, String)>> = Vec::new();
    for (&k, &i) in &by_index {
        let dir = &shards[i];
        let csv_path = dir.join("sweep.csv");
        let jsonl_path = dir.join("sweep.jsonl");
        let csv = fs::read(&csv_path).map_err(io(&csv_path))?;
        let jsonl = fs::read_to_string(&jsonl_path).map_err(io(&jsonl_path))?;
        let head_end = csv
            .iter()
            .position(|b| *b == b'\n')
            .map_or(csv.len(), |i| i + 1);
        check_header(&csv_path, &csv[..head_end], params)?;
        let damaged = |line: usize, column: usize, field: &str, why: String| -> Error {
            InputError::new(jsonl_path.display().to_string(), field, why)
                .at(line, column)
                .into()
        };
        let mut at = head_end;
        let mut list = Vec::new();
        for (n, line) in jsonl.lines().enumerate() {
            let v: Value = serde_json::from_str(line).map_err(|e| {
                let full = e.to_string();
                let why = full.split(" at line ").next().unwrap_or(&full);
                damaged(
                    n + 1,
                    e.column(),
                    "",
                    format!("sweep.jsonl is damaged: {why}"),
                )
            })?;
            let r: SweepRecord = serde_path_to_error::deserialize(&v).map_err(|e| {
                let (field, wrong) = fault(e);
                let why = wrong.map_or("is missing".into(), |inner| not_as_written(&inner));
                damaged(
                    n + 1,
                    1,
                    &field,
                    format!("sweep.jsonl is damaged: it {why}"),
                )
            })?;
            let (point, end) = (r.point, r.csv_end);
            if end < at as u64 || end > csv.len() as u64 {
                return Err(refuse(
                    dir,
                    "sweep.csv and sweep.jsonl do not agree: the folder was changed by hand".into(),
                ));
            }
            let end = end as usize;
            let rows = &csv[at..end];
            // Every row of the point's part of sweep.csv is the point's.
            let ours = !rows.is_empty()
                && csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(rows)
                    .records()
                    .all(|r| r.is_ok_and(|r| r.get(0) == Some(point.to_string().as_str())));
            if !ours {
                return Err(InputError::new(
                    csv_path.display().to_string(),
                    "point",
                    format!(
                        "the rows sweep.jsonl gives point {point} are not all its rows: the folder was changed by hand"
                    ),
                )
                .into());
            }
            list.push((point, rows.to_vec(), line.to_string()));
            at = end;
        }
        // Compared lazily: the count comes from the manifest, the list from the files.
        let shard = Shard { index: k, count };
        if !list.iter().map(|p| p.0).eq(shard.points(total)) {
            return Err(refuse(
                dir,
                format!("does not hold the points of shard {k}/{count}"),
            ));
        }
        parts.push(list.into_iter());
    }
    let mut csv_out = header(params);
    let mut jsonl_out = String::new();
    for p in 0..total {
        let (point, rows, line) = parts[p % count].next().expect("every point of its shard");
        debug_assert_eq!(point, p);
        csv_out.extend_from_slice(&rows);
        jsonl_out.push_str(&with_csv_end(&line, csv_out.len()));
        jsonl_out.push('\n');
    }
    let mut manifest = first.clone();
    manifest.shard = None;
    write_atomically(out, |tmp| {
        write_file(tmp, "manifest.json", &json_bytes(&manifest))?;
        write_file(tmp, "sweep.csv", &csv_out)?;
        write_file(tmp, "sweep.jsonl", jsonl_out.as_bytes())?;
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
