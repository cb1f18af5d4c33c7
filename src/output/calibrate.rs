//! The calibration folder: every evaluated point appended to calibration.csv as it is
//! evaluated (so that an interrupted calibration resumes from it), and at the end the
//! calibrated scenario and the fit.
//!
//! - manifest.json: kind `calibrate`, the program, the inputs' hash, the scenario and observed
//!   file as named, the method, and `complete` (false while the search runs);
//! - calibration.csv: one row per evaluated point: `evaluation`, `phase`, `replications`, each
//!   parameter's value (milliseconds for a duration), `objective`, and each observed figure's
//!   simulated mean and standard error (columns `<figure> mean`, `<figure> se`);
//! - calibration.json: the fitted parameters with their standard errors and 90% intervals,
//!   each observed figure against the fitted model's value with its residual in standard
//!   errors, the parameters' correlations, the warnings and the counts of simulations;
//! - calibrated.toml: the scenario with the fitted values, each annotated.

use super::contract::{Kind, Program};
use super::{SCHEMA_VERSION, check_out_dir, csv_bytes, json_bytes, num, write_file};
use crate::error::{Error, InputError};
use crate::experiment::calibrate::{Calibration, Evaluation, Outcome, Unit};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a calibration's folder.
pub const FILES: [&str; 4] = [
    "manifest.json",
    "calibration.csv",
    "calibration.json",
    "calibrated.toml",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrateManifest {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    /// The observed file, the resolved scenario and the program: a resumed calibration must
    /// match it.
    pub inputs_hash: String,
    pub scenario: String,
    pub scenario_name: String,
    pub observed: String,
    pub parameters: Vec<String>,
    pub figures: Vec<String>,
    pub start_points: usize,
    pub evaluations: usize,
    pub replications: u32,
    pub final_replications: u32,
    #[serde(with = "super::contract::seed")]
    pub seed: u64,
    pub method: String,
    pub complete: bool,
    pub files: Vec<String>,
}

/// A fitted parameter in calibration.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedParameter {
    pub path: String,
    /// "number" or "duration" (then every value is in milliseconds).
    pub unit: String,
    pub from: f64,
    pub to: f64,
    pub value: f64,
    pub se: Option<f64>,
    pub ci90_low: f64,
    pub ci90_high: f64,
    pub at_bound: bool,
}

/// An observed figure against the fitted model, in calibration.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedFigure {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    pub observed: f64,
    pub observed_se: f64,
    pub simulated: Option<f64>,
    pub simulated_se: Option<f64>,
    /// (simulated - observed) / combined standard error.
    pub residual: Option<f64>,
}

/// calibration.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSummary {
    pub kind: Kind,
    pub parameters: Vec<FittedParameter>,
    pub figures: Vec<FittedFigure>,
    pub objective: f64,
    /// Row i, column j: the correlation of parameters i and j (null when not estimable).
    pub correlation: Vec<Vec<Option<f64>>>,
    pub warnings: Vec<String>,
    /// Points evaluated, of which simulated by the last command (the others came from the
    /// folder of an interrupted one), and the replications simulated by it.
    pub evaluations: usize,
    pub simulated: usize,
    pub replications_simulated: u64,
}

const METHOD: &str = "common random numbers at every point; objective: sum of squared residuals in combined standard errors; Latin hypercube start, Nelder-Mead (argmin), Nelder-Mead again with final_replications; 90% intervals from 2 H^-1, H the objective's Hessian by central differences";

fn columns(c: &Calibration) -> Vec<String> {
    let mut h: Vec<String> = ["evaluation", "phase", "replications"]
        .map(String::from)
        .to_vec();
    h.extend(c.params.iter().map(|p| p.path.clone()));
    h.push("objective".into());
    for f in &c.figures {
        h.push(format!("{} mean", f.label()));
        h.push(format!("{} se", f.label()));
    }
    h
}

fn manifest(c: &Calibration, complete: bool) -> CalibrateManifest {
    CalibrateManifest {
        kind: Kind::Calibrate,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        inputs_hash: c.hash.clone(),
        scenario: c
            .base_path
            .file_name()
            .map_or(c.base_label.clone(), |n| n.to_string_lossy().into_owned()),
        scenario_name: c.scenario_name.clone(),
        observed: Path::new(&c.label)
            .file_name()
            .map_or(c.label.clone(), |n| n.to_string_lossy().into_owned()),
        parameters: c.params.iter().map(|p| p.path.clone()).collect(),
        figures: c.figures.iter().map(|f| f.label()).collect(),
        start_points: c.method.start_points,
        evaluations: c.method.evaluations,
        replications: c.method.replications,
        final_replications: c.method.final_replications,
        seed: c.method.seed,
        method: METHOD.into(),
        complete,
        files: if complete {
            FILES.map(String::from).to_vec()
        } else {
            FILES[..2].iter().map(|s| s.to_string()).collect()
        },
    }
}

/// A calibration folder being written.
pub struct CalibrationWriter {
    dir: PathBuf,
    csv: fs::File,
    csv_path: PathBuf,
    written: usize,
}

impl CalibrationWriter {
    /// Opens `dir` for calibration `c`: the points of an interrupted calibration of the same
    /// inputs there are read back (and given), anything else there is replaced only when it is
    /// an earlier pledgesim output.
    pub fn open(
        c: &Calibration,
        dir: &Path,
    ) -> Result<(CalibrationWriter, Vec<Evaluation>), Error> {
        check_out_dir(dir)?;
        let csv_path = dir.join("calibration.csv");
        let earlier = fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<CalibrateManifest>(&b).ok());
        let mut known = Vec::new();
        let mut keep = 0u64;
        match earlier {
            Some(m) if m.inputs_hash == c.hash => {
                super::safe::refuse_link(&csv_path)?;
                let text = fs::read_to_string(&csv_path).unwrap_or_default();
                let (k, len) = read_points(c, &text, &csv_path)?;
                known = k;
                keep = len;
            }
            Some(m) if !m.complete => {
                return Err(InputError::new(
                    "command line",
                    "--out",
                    format!(
                        "\"{}\" holds an unfinished calibration of other inputs (the scenario, the observed file or the program changed): choose another --out, or delete the folder to start again",
                        dir.display()
                    ),
                )
                .into());
            }
            _ => {
                if dir.exists() {
                    fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
            }
        }
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        write_file(dir, "manifest.json", &json_bytes(&manifest(c, false)))?;
        for name in &FILES[2..] {
            let _ = fs::remove_file(dir.join(name));
        }
        if keep == 0 {
            let cols = columns(c);
            let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
            write_file(
                dir,
                "calibration.csv",
                &csv_bytes(&cols, Vec::<Vec<String>>::new()),
            )?;
        } else {
            // Anything after the last whole row was cut off mid-write: drop it.
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&csv_path)
                .map_err(|e| Error::io(&csv_path, e))?;
            f.set_len(keep).map_err(|e| Error::io(&csv_path, e))?;
        }
        let csv = fs::OpenOptions::new()
            .append(true)
            .open(&csv_path)
            .map_err(|e| Error::io(&csv_path, e))?;
        Ok((
            CalibrationWriter {
                dir: dir.to_path_buf(),
                csv,
                csv_path,
                written: known.len(),
            },
            known,
        ))
    }

    /// Appends an evaluated point (the rows are every evaluation, in order, simulated or
    /// taken from before; a point taken from before is already there).
    pub fn append(&mut self, e: &Evaluation, simulated: bool, k: usize) -> Result<(), Error> {
        if !simulated && k < self.written {
            return Ok(());
        }
        let mut row = vec![k.to_string(), e.phase.clone(), e.replications.to_string()];
        row.extend(e.x.iter().map(|&v| num(v)));
        row.push(num(e.objective));
        for &(m, se) in &e.sims {
            row.push(num(m));
            row.push(num(se));
        }
        let bytes = super::csv_rows([row]);
        self.csv
            .write_all(&bytes)
            .and_then(|_| self.csv.sync_data())
            .map_err(|e| Error::io(&self.csv_path, e))?;
        self.written = self.written.max(k + 1);
        Ok(())
    }

    /// Writes the fit and the calibrated scenario, and marks the folder complete.
    pub fn finish(self, c: &Calibration, o: &Outcome) -> Result<(), Error> {
        write_file(&self.dir, "calibration.json", &json_bytes(&summary(c, o)))?;
        write_file(
            &self.dir,
            "calibrated.toml",
            calibrated_toml(c, o)?.as_bytes(),
        )?;
        write_file(&self.dir, "manifest.json", &json_bytes(&manifest(c, true)))
    }
}

/// The points of calibration.csv, and the length in bytes of its header and whole rows. Rows
/// that do not read back as this calibration's are an error naming the line.
fn read_points(c: &Calibration, text: &str, path: &Path) -> Result<(Vec<Evaluation>, u64), Error> {
    let label = path.display().to_string();
    let bad = |line: usize, m: String| -> Error {
        InputError::new(&label, "", format!("{m}; delete the folder to start again"))
            .at(line, 1)
            .into()
    };
    let want = columns(c);
    let mut out = Vec::new();
    let mut len = 0u64;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if !line.ends_with('\n') {
            break; // cut off mid-write
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = match r.records().next() {
            Some(Ok(rec)) => rec,
            _ => return Err(bad(i + 1, "not a row of calibration.csv".into())),
        };
        if i == 0 {
            if rec.iter().ne(want.iter().map(String::as_str)) {
                return Err(bad(1, "its columns are not this calibration's".into()));
            }
            len += line.len() as u64;
            continue;
        }
        if rec.len() != want.len() {
            return Err(bad(
                i + 1,
                format!("{} cells, not {}", rec.len(), want.len()),
            ));
        }
        let f = |s: &str| -> f64 {
            if s.is_empty() {
                f64::NAN
            } else {
                s.parse().unwrap_or(f64::NAN)
            }
        };
        let d = c.params.len();
        let replications: u32 = rec[2].parse().map_err(|_| {
            bad(
                i + 1,
                format!("replications \"{}\" is not a count", &rec[2]),
            )
        })?;
        let x: Vec<f64> = (0..d).map(|k| f(&rec[3 + k])).collect();
        if x.iter().any(|v| !v.is_finite()) {
            return Err(bad(i + 1, "a parameter value is not a number".into()));
        }
        let sims = (0..c.figures.len())
            .map(|k| (f(&rec[4 + d + 2 * k]), f(&rec[5 + d + 2 * k])))
            .collect::<Vec<_>>();
        out.push(Evaluation {
            objective: c.objective(&sims),
            x,
            replications,
            phase: rec[1].to_string(),
            sims,
        });
        len += line.len() as u64;
    }
    Ok((out, len))
}

fn opt(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// calibration.json's content.
pub fn summary(c: &Calibration, o: &Outcome) -> CalibrationSummary {
    CalibrationSummary {
        kind: Kind::Calibrate,
        parameters: c
            .params
            .iter()
            .zip(&o.estimates)
            .map(|(p, e)| FittedParameter {
                path: p.path.clone(),
                unit: match p.unit {
                    Unit::Number => "number",
                    Unit::Duration => "duration",
                }
                .into(),
                from: p.from,
                to: p.to,
                value: e.value,
                se: opt(e.se),
                ci90_low: e.low,
                ci90_high: e.high,
                at_bound: e.at_bound,
            })
            .collect(),
        figures: c
            .figures
            .iter()
            .zip(&o.best.sims)
            .zip(&o.residuals)
            .map(|((f, &(m, se)), &r)| FittedFigure {
                kpi: f.kpi.clone(),
                scope: f.scope.clone(),
                scope_value: f.scope_value.clone(),
                clock: f.clock.clone(),
                statistic: f.statistic.clone(),
                observed: f.value,
                observed_se: f.se,
                simulated: opt(m),
                simulated_se: opt(se),
                residual: opt(r),
            })
            .collect(),
        objective: o.best.objective,
        correlation: o
            .correlation
            .iter()
            .map(|r| r.iter().map(|&v| opt(v)).collect())
            .collect(),
        warnings: o.warnings.clone(),
        evaluations: o.evaluations,
        simulated: o.simulated,
        replications_simulated: o.replications_run,
    }
}

/// The fit as text: one line per parameter and per figure, then the warnings.
pub fn render(c: &Calibration, o: &Outcome) -> String {
    let mut s = format!(
        "{}: calibrated to {} observed figure(s); {} points evaluated ({} simulated now, {} replications)\n",
        c.scenario_name,
        c.figures.len(),
        o.evaluations,
        o.simulated,
        o.replications_run
    );
    for (p, e) in c.params.iter().zip(&o.estimates) {
        s.push_str(&format!(
            "  {} = {} (90%: {} to {}){}\n",
            p.path,
            p.show(e.value),
            p.show(e.low),
            p.show(e.high),
            if e.se.is_finite() {
                ""
            } else {
                ", no interval: see the warnings"
            }
        ));
    }
    for ((f, &(m, se)), r) in c.figures.iter().zip(&o.best.sims).zip(&o.residuals) {
        s.push_str(&format!(
            "  {}: observed {} (SE {}), fitted model {:.4} (SE {:.4}), residual {:+.2} SE\n",
            f.label(),
            f.value,
            f.se,
            m,
            se,
            r
        ));
    }
    for w in &o.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

/// The scenario with the fitted values, and a comment at its head giving each one's interval
/// and the figures it was fitted to (a comment cannot sit inside an inline table, where many
/// parameters are).
fn calibrated_toml(c: &Calibration, o: &Outcome) -> Result<String, Error> {
    use crate::scenario::overrides::Step;
    let mut doc: toml_edit::DocumentMut =
        c.base_text.parse().map_err(|e: toml_edit::TomlError| {
            InputError::new(&c.base_label, "", format!("cannot be rewritten: {e}"))
        })?;
    let mut head = format!(
        "# Calibrated by `pledgesim calibrate` from {} to the observed figures of {}:\n",
        manifest(c, true).scenario,
        manifest(c, true).observed
    );
    for (f, (&(m, _), r)) in c.figures.iter().zip(o.best.sims.iter().zip(&o.residuals)) {
        head.push_str(&format!(
            "#   {}: observed {} (SE {}), this scenario {:.4} ({:+.2} SE)\n",
            f.label(),
            f.value,
            f.se,
            m,
            r
        ));
    }
    head.push_str("# Fitted values (90% intervals from the objective's curvature):\n");
    for (p, e) in c.params.iter().zip(&o.estimates) {
        head.push_str(&format!(
            "#   {} = {} (90%: {} to {}; searched {} to {})\n",
            p.path,
            p.show(e.value),
            p.show(e.low),
            p.show(e.high),
            p.show(p.from),
            p.show(p.to)
        ));
        let steps = crate::scenario::overrides::parse_path(&p.path)
            .map_err(|m| InputError::new(&c.label, &p.path, m))?;
        let mut value = match p.unit {
            Unit::Number => toml_edit::Value::from(e.value),
            Unit::Duration => toml_edit::Value::from(format!("{}s", e.value.round() / 1000.0)),
        };
        let mut item = doc.as_item_mut();
        for s in &steps {
            item = match s {
                Step::Key(k) => &mut item[k.as_str()],
                Step::Index(i) => &mut item[*i],
            };
        }
        if let Some(slot) = item.as_value_mut() {
            *value.decor_mut() = slot.decor().clone();
            *slot = value;
        } else {
            *item = toml_edit::Item::Value(value);
        }
    }
    for w in &o.warnings {
        head.push_str(&format!("# warning: {w}\n"));
    }
    doc["name"] = toml_edit::value(format!("{}-calibrated", c.scenario_name));
    Ok(format!("{head}\n{doc}"))
}
