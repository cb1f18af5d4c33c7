//! Reads an output folder (a run, a comparison or a sweep) into the contract's types, turning every fault into an input error naming the file and field.
//!
//! Rules, in one place:
//! - The manifest decides the folder's kind; every file it lists in `files` must be there.
//! - A JSON file is read whole: a syntax error gives its line and column (and the key on that
//!   line), a missing key or a value of the wrong type gives the key's path, such as
//!   `scorecard[2].mean`. JSON has no NaN: a figure with none is `null`.
//! - A CSV file must have every column of its header (by name; more columns are allowed);
//!   each bad cell gives its line, column and header name. NaN and infinity are refused.
//! - Problems are collected across files, and across the rows of each CSV file (up to
//!   [`MAX_PER_FILE`]), and returned together as one [`Error::Input`] (exit code 2).

use crate::error::{Error, InputError};
use crate::output::contract::{
    COMPARE_HEADER, CompareManifest, CompareRow, CompareSummary, HISTOGRAMS_HEADER, HOURLY_HEADER,
    HistogramRow, Kind, Manifest, ManifestHead, NEIGHBOURHOOD_HEADER, NeighbourhoodRow, ROW_HEADER,
    SCHEMA_VERSION, SCORECARD_HEADER, ScorecardRow, Summary, SweepManifest, TableRow, WARDS_HEADER,
};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::Path;

/// The most problems reported for one file.
pub const MAX_PER_FILE: usize = 20;

/// An output folder the report can read.
#[derive(Debug)]
pub enum Folder {
    Run(Box<RunFolder>),
    Compare(Box<CompareFolder>),
    Sweep(Box<SweepFolder>),
    Staff(Box<StaffFolder>),
    Calibrate(Box<CalibrateFolder>),
    Fit(Box<FitFolder>),
    Optimise(Box<OptimiseFolder>),
}

/// A search's folder (`pledgesim optimise`): its manifest, result and every candidate.
#[derive(Debug)]
pub struct OptimiseFolder {
    pub manifest: crate::output::contract::OptimiseManifest,
    pub summary: crate::output::contract::OptimiseSummary,
    pub candidates: Vec<crate::output::contract::CandidateRecord>,
}

/// A fit's folder: what the fit of a call log rests on.
#[derive(Debug)]
pub struct FitFolder {
    pub manifest: crate::output::fit::FitManifest,
    pub summary: crate::output::fit::FitSummary,
}

/// A calibration's folder: the files the report uses.
#[derive(Debug)]
pub struct CalibrateFolder {
    pub manifest: crate::output::calibrate::CalibrateManifest,
    pub summary: crate::output::calibrate::CalibrationSummary,
}

/// A staffing search's folder: the files the report uses.
#[derive(Debug)]
pub struct StaffFolder {
    pub manifest: crate::output::contract::StaffManifest,
    pub summary: crate::output::contract::StaffSummary,
    pub hours: Vec<StaffingRow>,
}

/// A row of staffing.csv (crate::output::contract::STAFFING_HEADER).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct StaffingRow {
    pub hour_of_week: usize,
    pub day: String,
    pub hour: usize,
    pub erlang_c: u32,
    pub need: u32,
    pub roster: u32,
    pub binding: bool,
}

/// A run's folder: the files the report uses.
#[derive(Debug)]
pub struct RunFolder {
    pub manifest: Manifest,
    pub summary: Summary,
    pub scorecard: Vec<ScorecardRow>,
    pub hourly: Vec<TableRow>,
    pub histograms: Vec<HistogramRow>,
    /// With a field side.
    pub wards: Option<Vec<TableRow>>,
    /// With neighbourhood teams.
    pub neighbourhood: Option<Vec<NeighbourhoodRow>>,
}

#[derive(Debug)]
pub struct CompareFolder {
    pub manifest: CompareManifest,
    pub summary: CompareSummary,
    pub rows: Vec<CompareRow>,
}

#[derive(Debug)]
pub struct SweepFolder {
    pub manifest: SweepManifest,
    pub rows: Vec<SweepRow>,
}

/// A row of sweep.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    pub point: usize,
    /// The values of the manifest's `parameters`, in order, as written.
    pub values: Vec<String>,
    pub row: TableRow,
}

/// Problems found so far.
#[derive(Default)]
struct Problems(Vec<InputError>);

impl Problems {
    /// Adds a problem, once for each place (a missing file is missed by the manifest's list
    /// and by the reader).
    fn push(&mut self, e: InputError) {
        let place = |x: &InputError| (x.file.clone(), x.field.clone(), x.line, x.column);
        if !self.0.iter().any(|x| place(x) == place(&e)) {
            self.0.push(e);
        }
    }

    /// The value, or every problem found.
    fn done<T>(self, value: Option<T>) -> Result<T, Error> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(Error::Input(self.0)),
        }
    }
}

fn file_label(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Reads the output folder `dir`.
pub fn read(dir: &Path) -> Result<Folder, Error> {
    let mut p = Problems::default();
    let head = read_head(dir, &mut p);
    let head = p.done(head)?;
    let mut p = Problems::default();
    let folder = match head.kind {
        Kind::Run => read_run(dir, &mut p).map(|f| Folder::Run(Box::new(f))),
        Kind::Compare => read_compare(dir, &mut p).map(|f| Folder::Compare(Box::new(f))),
        Kind::Sweep => read_sweep(dir, &mut p).map(|f| Folder::Sweep(Box::new(f))),
        Kind::Staff => read_staff(dir, &mut p).map(|f| Folder::Staff(Box::new(f))),
        Kind::Calibrate => read_calibrate(dir, &mut p).map(|f| Folder::Calibrate(Box::new(f))),
        Kind::Fit => read_fit(dir, &mut p).map(|f| Folder::Fit(Box::new(f))),
        Kind::Optimise => read_optimise(dir, &mut p).map(|f| Folder::Optimise(Box::new(f))),
    };
    p.done(folder)
}

/// The manifest's head: written by pledgesim, of a kind this version knows.
fn read_head(dir: &Path, p: &mut Problems) -> Option<ManifestHead> {
    let file = file_label(dir, "manifest.json");
    if !dir.join("manifest.json").is_file() {
        p.push(InputError::new(
            file,
            "",
            "missing: a pledgesim output folder has a manifest.json (is this the folder `pledgesim run --out` wrote?)",
        ));
        return None;
    }
    let value = read_json_value(dir, "manifest.json", p)?;
    if value.get("program").and_then(|v| v.get("name")) != Some(&"pledgesim".into()) {
        p.push(InputError::new(
            file,
            "program.name",
            "not a pledgesim output folder: its manifest.json was not written by pledgesim",
        ));
        return None;
    }
    let head: ManifestHead = from_value(&file, value, p)?;
    if head.schema_version > SCHEMA_VERSION {
        p.push(InputError::new(
            file,
            "schema_version",
            format!(
                "written by a later pledgesim (schema_version {}); this version reads up to {SCHEMA_VERSION}",
                head.schema_version
            ),
        ));
        return None;
    }
    Some(head)
}

/// Checks that every file the manifest lists is there.
fn check_files(dir: &Path, files: &[String], p: &mut Problems) {
    for f in files {
        if !dir.join(f).is_file() {
            p.push(InputError::new(
                file_label(dir, f),
                "",
                "missing: manifest.json lists it in `files`, so the folder is incomplete or was changed by hand",
            ));
        }
    }
}

/// A summary file's `kind` must be the manifest's.
fn check_kind(dir: &Path, name: &str, kind: Kind, want: Kind, p: &mut Problems) {
    if kind != want {
        p.push(InputError::new(
            file_label(dir, name),
            "kind",
            format!(
                "says `{}`, but manifest.json says `{}`: both files must come from one output",
                kind.label(),
                want.label()
            ),
        ));
    }
}

fn read_run(dir: &Path, p: &mut Problems) -> Option<RunFolder> {
    let manifest: Option<Manifest> = read_json(dir, "manifest.json", p);
    let files = manifest.as_ref().map_or_else(Vec::new, |m| m.files.clone());
    check_files(dir, &files, p);
    let listed = |f: &str| files.iter().any(|x| x == f);
    let summary: Option<Summary> = read_json(dir, "summary.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "summary.json", s.kind, Kind::Run, p);
    }
    let scorecard = read_csv(dir, "scorecard.csv", &SCORECARD_HEADER, p);
    let hourly = read_csv(dir, "hourly.csv", &HOURLY_HEADER, p);
    let histograms = read_csv(dir, "histograms.csv", &HISTOGRAMS_HEADER, p);
    // Tables that only some runs have: read when the manifest lists them.
    let wards = listed("wards.csv").then(|| read_csv(dir, "wards.csv", &WARDS_HEADER, p));
    let neighbourhood = listed("neighbourhood.csv")
        .then(|| read_csv(dir, "neighbourhood.csv", &NEIGHBOURHOOD_HEADER, p));
    if matches!(wards, Some(None)) || matches!(neighbourhood, Some(None)) {
        return None; // listed, and not read
    }
    Some(RunFolder {
        manifest: manifest?,
        summary: summary?,
        scorecard: scorecard?,
        hourly: hourly?,
        histograms: histograms?,
        wards: wards.flatten(),
        neighbourhood: neighbourhood.flatten(),
    })
}

fn read_compare(dir: &Path, p: &mut Problems) -> Option<CompareFolder> {
    let manifest: Option<CompareManifest> = read_json(dir, "manifest.json", p);
    if let Some(m) = &manifest {
        check_files(dir, &m.files, p);
    }
    let summary: Option<CompareSummary> = read_json(dir, "compare.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "compare.json", s.kind, Kind::Compare, p);
    }
    // `prob_better` came in schema_version 5.
    let header: Vec<&str> = match &manifest {
        Some(m) if m.schema_version < 5 => COMPARE_HEADER
            .into_iter()
            .filter(|h| *h != "prob_better")
            .collect(),
        _ => COMPARE_HEADER.to_vec(),
    };
    let rows = read_csv(dir, "compare.csv", &header, p);
    Some(CompareFolder {
        manifest: manifest?,
        summary: summary?,
        rows: rows?,
    })
}

fn read_staff(dir: &Path, p: &mut Problems) -> Option<StaffFolder> {
    let manifest: Option<crate::output::contract::StaffManifest> =
        read_json(dir, "manifest.json", p);
    if let Some(m) = &manifest {
        check_files(dir, &m.files, p);
    }
    let summary: Option<crate::output::contract::StaffSummary> = read_json(dir, "staff.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "staff.json", s.kind, Kind::Staff, p);
    }
    let hours = read_csv(
        dir,
        "staffing.csv",
        &crate::output::contract::STAFFING_HEADER,
        p,
    );
    Some(StaffFolder {
        manifest: manifest?,
        summary: summary?,
        hours: hours?,
    })
}

/// Whether a folder's manifest says its command has not finished (`complete` false): then the
/// problem, saying how to go on, is noted.
fn unfinished(dir: &Path, complete: bool, how: &str, p: &mut Problems) -> bool {
    if !complete {
        p.push(InputError::new(
            file_label(dir, "manifest.json"),
            "complete",
            how,
        ));
    }
    !complete
}

fn read_optimise(dir: &Path, p: &mut Problems) -> Option<OptimiseFolder> {
    let manifest: Option<crate::output::contract::OptimiseManifest> =
        read_json(dir, "manifest.json", p);
    if let Some(m) = &manifest {
        if unfinished(
            dir,
            m.complete,
            "the search has not finished: run `pledgesim optimise` again with the same scenario, options and --out, adding --resume, to go on with it",
            p,
        ) {
            return None;
        }
        check_files(dir, &m.files, p);
    }
    let summary: Option<crate::output::contract::OptimiseSummary> =
        read_json(dir, "optimise.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "optimise.json", s.kind, Kind::Optimise, p);
    }
    let file = file_label(dir, "candidates.jsonl");
    let path = dir.join("candidates.jsonl");
    let text = match fs::metadata(&path) {
        Ok(m) if m.len() > 1 << 30 => {
            p.push(InputError::new(
                &file,
                "",
                "larger than 1 GiB: not as pledgesim wrote it",
            ));
            None
        }
        _ => match fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) => {
                p.push(InputError::new(&file, "", format!("cannot be read: {e}")));
                None
            }
        },
    };
    let mut candidates = Vec::new();
    for (i, line) in text.as_deref().unwrap_or("").lines().enumerate() {
        match serde_json::from_str::<crate::output::contract::CandidateRecord>(line) {
            Ok(c) => candidates.push(c),
            Err(e) => {
                p.push(InputError {
                    file: file.clone(),
                    line: Some(i + 1),
                    column: None,
                    field: String::new(),
                    message: format!("not a candidate as pledgesim wrote it: {e}"),
                });
                break;
            }
        }
    }
    text?;
    Some(OptimiseFolder {
        manifest: manifest?,
        summary: summary?,
        candidates,
    })
}

fn read_calibrate(dir: &Path, p: &mut Problems) -> Option<CalibrateFolder> {
    let manifest: Option<crate::output::calibrate::CalibrateManifest> =
        read_json(dir, "manifest.json", p);
    if let Some(m) = &manifest {
        if unfinished(
            dir,
            m.complete,
            "the calibration has not finished: run `pledgesim calibrate` again with the same inputs and --out to go on with it",
            p,
        ) {
            return None;
        }
        check_files(dir, &m.files, p);
    }
    let summary: Option<crate::output::calibrate::CalibrationSummary> =
        read_json(dir, "calibration.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "calibration.json", s.kind, Kind::Calibrate, p);
    }
    Some(CalibrateFolder {
        manifest: manifest?,
        summary: summary?,
    })
}

fn read_fit(dir: &Path, p: &mut Problems) -> Option<FitFolder> {
    let manifest: Option<crate::output::fit::FitManifest> = read_json(dir, "manifest.json", p);
    if let Some(m) = &manifest {
        check_files(dir, &m.files, p);
    }
    let summary: Option<crate::output::fit::FitSummary> = read_json(dir, "fit.json", p);
    if let Some(s) = &summary {
        check_kind(dir, "fit.json", s.kind, Kind::Fit, p);
    }
    Some(FitFolder {
        manifest: manifest?,
        summary: summary?,
    })
}

fn read_sweep(dir: &Path, p: &mut Problems) -> Option<SweepFolder> {
    let manifest: SweepManifest = read_json(dir, "manifest.json", p)?;
    check_files(dir, &manifest.files, p);
    // From schema_version 5 the parameters' columns have R-safe names, given in the manifest;
    // before, they were the paths themselves.
    let columns = if manifest.schema_version >= 5 {
        crate::output::contract::parameter_columns(&manifest.parameters)
    } else {
        manifest.parameters.clone()
    };
    if manifest.schema_version >= 5 && manifest.parameter_columns != columns {
        p.push(InputError::new(
            file_label(dir, "manifest.json"),
            "parameter_columns",
            "does not match `parameters`: the folder was changed by hand",
        ));
        return None;
    }
    let mut header = vec!["point"];
    header.extend(columns.iter().map(String::as_str));
    header.extend(ROW_HEADER);
    let rows = read_csv_with(dir, "sweep.csv", &header, p, |rec, headers| {
        let row: TableRow = rec.deserialize(Some(headers))?;
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .to_string()
        };
        let point = cell("point").parse::<usize>().map_err(|_| CellError {
            column: "point",
            message: format!("`{}` is not a point number", cell("point")),
        })?;
        // A seed's cell is `s` and its digits (schema_version 6): the report shows the digits.
        let values = columns
            .iter()
            .zip(&manifest.parameters)
            .map(
                |(n, path)| match crate::output::contract::seed::from_cell(&cell(n)) {
                    Some(seed) if path == "run.seed" => seed.to_string(),
                    _ => cell(n),
                },
            )
            .collect();
        Ok(SweepRow { point, values, row })
    })?;
    Some(SweepFolder { manifest, rows })
}

/// Reads a JSON file into a contract type.
fn read_json<T: DeserializeOwned>(dir: &Path, name: &str, p: &mut Problems) -> Option<T> {
    let value = read_json_value(dir, name, p)?;
    from_value(&file_label(dir, name), value, p)
}

/// A contract type from JSON, or the path of the key at fault.
fn from_value<T: DeserializeOwned>(
    file: &str,
    value: serde_json::Value,
    p: &mut Problems,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // "missing field `mean`" is about a key inside the path, not the path itself.
            let field = match inner
                .strip_prefix("missing field `")
                .and_then(|r| r.split('`').next())
            {
                Some(key) if path == "." => key.to_string(),
                Some(key) => format!("{path}.{key}"),
                None => path,
            };
            p.push(InputError::new(file, field, json_message(&inner)));
            None
        }
    }
}

/// serde's wording, with what to do about it.
fn json_message(inner: &str) -> String {
    if inner.starts_with("missing field") {
        format!("{inner} (every key is written, null where there is no value)")
    } else {
        inner.to_string()
    }
}

/// A JSON file as a value: a syntax error gives its line, column and the key on that line.
fn read_json_value(dir: &Path, name: &str, p: &mut Problems) -> Option<serde_json::Value> {
    let path = dir.join(name);
    let file = file_label(dir, name);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            p.push(InputError::new(
                file,
                "",
                if e.kind() == std::io::ErrorKind::NotFound {
                    "missing: the report needs it (is this a complete pledgesim output folder?)"
                        .to_string()
                } else {
                    format!("cannot be read: {e}")
                },
            ));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            let (line, column) = (e.line(), e.column());
            let field = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(key_on_line)
                .unwrap_or_default();
            let hint = if text
                .lines()
                .nth(line.saturating_sub(1))
                .is_some_and(|l| l.contains("NaN") || l.contains("Infinity"))
            {
                ": JSON has no NaN or infinity; a figure with none is null"
            } else {
                ""
            };
            p.push(
                InputError::new(file, field, format!("not valid JSON: {e}{hint}")).at(line, column),
            );
            None
        }
    }
}

/// The key of a line such as `    "mean": NaN,`.
fn key_on_line(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('"')?;
    let (key, after) = rest.split_once('"')?;
    after.trim_start().starts_with(':').then(|| key.to_string())
}

/// A fault in one cell, found after serde.
struct CellError {
    column: &'static str,
    message: String,
}

enum RowError {
    Csv(csv::Error),
    Cell(CellError),
}

impl From<csv::Error> for RowError {
    fn from(e: csv::Error) -> Self {
        RowError::Csv(e)
    }
}

impl From<CellError> for RowError {
    fn from(e: CellError) -> Self {
        RowError::Cell(e)
    }
}

/// Reads a CSV file of contract rows.
fn read_csv<T: DeserializeOwned>(
    dir: &Path,
    name: &str,
    header: &[&str],
    p: &mut Problems,
) -> Option<Vec<T>> {
    read_csv_with(dir, name, header, p, |rec, headers| {
        Ok(rec.deserialize(Some(headers))?)
    })
}

/// Reads a CSV file whose header must hold every column of `header`, a row at a time with
/// `row`, collecting each bad row's problem.
fn read_csv_with<T>(
    dir: &Path,
    name: &str,
    header: &[&str],
    p: &mut Problems,
    row: impl Fn(&csv::StringRecord, &csv::StringRecord) -> Result<T, RowError>,
) -> Option<Vec<T>> {
    let file = file_label(dir, name);
    let mut reader = match csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(dir.join(name))
    {
        Ok(r) => r,
        Err(e) => {
            p.push(InputError::new(
                file,
                "",
                match e.kind() {
                    csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                        "missing: the report needs it (is this a complete pledgesim output folder?)"
                            .to_string()
                    }
                    _ => format!("cannot be read: {e}"),
                },
            ));
            return None;
        }
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            p.push(InputError::new(file, "", format!("no header line: {e}")).at(1, 1));
            return None;
        }
    };
    if !check_header(&file, &headers, header, p) {
        return None;
    }
    let mut rows = Vec::new();
    let mut bad = 0;
    for rec in reader.records() {
        let problem = match rec {
            Err(e) => csv_problem(&file, &headers, None, &e),
            Ok(rec) => match row(&rec, &headers) {
                Ok(v) => {
                    rows.push(v);
                    continue;
                }
                Err(RowError::Csv(e)) => csv_problem(&file, &headers, Some(&rec), &e),
                Err(RowError::Cell(c)) => {
                    let column = headers.iter().position(|h| h == c.column).unwrap_or(0);
                    let line = rec.position().map_or(0, |p| p.line() as usize);
                    InputError::new(file.clone(), c.column, c.message).at(line, column + 1)
                }
            },
        };
        bad += 1;
        if bad <= MAX_PER_FILE {
            p.push(problem);
        }
    }
    if bad > MAX_PER_FILE {
        p.push(InputError::new(
            file,
            "",
            format!("and {} more rows with problems", bad - MAX_PER_FILE),
        ));
    }
    (bad == 0).then_some(rows)
}

/// A CSV error as an input error at its line and column, naming the column's header.
fn csv_problem(
    file: &str,
    headers: &csv::StringRecord,
    rec: Option<&csv::StringRecord>,
    e: &csv::Error,
) -> InputError {
    let line = |pos: Option<&csv::Position>| pos.map_or(0, |p| p.line() as usize);
    match e.kind() {
        csv::ErrorKind::Deserialize { pos, err } => {
            // serde's own errors (a custom one such as a non-finite figure) carry no column:
            // the cell holding NaN or infinity is the one.
            let column = err.field().map(|f| f as usize).or_else(|| {
                rec?.iter()
                    .position(|c| c.trim().parse::<f64>().is_ok_and(|v| !v.is_finite()))
            });
            let cell = column.and_then(|c| rec?.get(c));
            let message = match (cell, err.kind()) {
                (Some(cell), kind) => format!("`{cell}`: {kind}"),
                (None, kind) => kind.to_string(),
            };
            let e = InputError::new(
                file,
                column.and_then(|c| headers.get(c)).unwrap_or(""),
                message,
            );
            match column {
                Some(c) => e.at(line(pos.as_ref()), c + 1),
                None => InputError {
                    line: Some(line(pos.as_ref())),
                    ..e
                },
            }
        }
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => InputError {
            line: Some(line(pos.as_ref())),
            ..InputError::new(
                file,
                "",
                format!("the row has {len} cells, the header {expected_len}"),
            )
        },
        csv::ErrorKind::Utf8 { pos, err } => InputError {
            line: Some(line(pos.as_ref())),
            ..InputError::new(file, "", format!("not UTF-8 text: {err}"))
        },
        _ => InputError::new(file, "", format!("cannot be read: {e}")),
    }
}

/// Every column of `want` must be in the header; a column that is not wanted where one is
/// missing is named as a likely renaming.
fn check_header(file: &str, headers: &csv::StringRecord, want: &[&str], p: &mut Problems) -> bool {
    let mut ok = true;
    for (i, w) in want.iter().enumerate() {
        if headers.iter().any(|h| h == *w) {
            continue;
        }
        ok = false;
        let found = headers
            .get(i)
            .filter(|h| !want.contains(h))
            .map_or(String::new(), |h| {
                format!(" (column {} is `{h}`: renamed?)", i + 1)
            });
        p.push(
            InputError::new(
                file,
                *w,
                format!(
                    "the header has no column `{w}`{found}; it must have: {}",
                    want.join(",")
                ),
            )
            .at(1, i + 1),
        );
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_of_a_json_line() {
        assert_eq!(key_on_line("    \"mean\": NaN,").as_deref(), Some("mean"));
        assert_eq!(key_on_line("    \"a b\"").as_deref(), None);
        assert_eq!(key_on_line("  ],"), None);
    }

    #[test]
    fn a_renamed_column_is_named_with_its_place() {
        let mut p = Problems::default();
        let headers = csv::StringRecord::from(vec!["kpi", "average", "sd"]);
        assert!(!check_header(
            "s.csv",
            &headers,
            &["kpi", "mean", "sd"],
            &mut p
        ));
        assert_eq!(p.0.len(), 1);
        let e = &p.0[0];
        assert_eq!(
            (e.field.as_str(), e.line, e.column),
            ("mean", Some(1), Some(2))
        );
        assert!(e.message.contains("`average`: renamed?"), "{}", e.message);
    }

    #[test]
    fn a_bad_cell_gives_its_line_column_and_header() {
        let dir = std::env::temp_dir().join(format!("pledgesim-read-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("h.csv"),
            "kpi,scope,scope_value,measure,bin_low_ms,bin_high_ms,count\nT1,channel,999,answer_wait,0,1,2\nT1,channel,999,answer_wait,1,2,many\nT1,channel,999,answer_wait,1,NaN,3\n",
        )
        .unwrap();
        let mut p = Problems::default();
        let rows: Option<Vec<HistogramRow>> = read_csv(&dir, "h.csv", &HISTOGRAMS_HEADER, &mut p);
        assert!(rows.is_none());
        assert_eq!(p.0.len(), 2, "{:?}", p.0);
        let e = &p.0[0];
        assert_eq!(
            (e.field.as_str(), e.line, e.column),
            ("count", Some(3), Some(7))
        );
        assert_eq!(
            (p.0[1].field.as_str(), p.0[1].line),
            ("bin_high_ms", Some(4))
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
