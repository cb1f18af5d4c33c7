//! Output folders, kept safe: what may be replaced, atomic writes, and the byte-level helpers
//! (JSON, CSV, numbers) every writer shares.
//!
//! The contract (what each file holds) is [`contract`]; a run's folder is written by [`run`],
//! a comparison's by [`compare`], a staffing's by [`staff`]. Every folder is written to a
//! temporary folder beside its target and renamed into place only when complete, so a failed
//! run leaves no half-written output and an earlier result is replaced only by a complete new
//! one.

pub mod calibrate;
pub mod compare;
pub mod contract;
pub mod fit;
pub mod lock;
pub mod optimise;
pub mod records;
pub mod run;
pub mod safe;
pub mod scorecard;
pub mod staff;
pub mod sweep;
mod sweep_line;

pub use contract::{ROW_HEADER, SCHEMA_VERSION};
pub use run::{RunContext, scorecard_rows, targets_not_measured, unmeasured_status, write_run};

use crate::error::{Error, InputError};
use crate::experiment::Row;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Versions of the crates results depend on, read from Cargo.lock at build time.
pub const CRATE_VERSIONS: &str = env!("PLEDGESIM_CRATE_VERSIONS");

/// The versions of the crates results depend on, for manifests.
pub(crate) fn crates() -> BTreeMap<String, String> {
    CRATE_VERSIONS
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The files a run's output folder may hold.
pub(crate) const OUTPUT_FILES: [&str; 8] = [
    "manifest.json",
    "summary.json",
    "scorecard.csv",
    "hourly.csv",
    "histograms.csv",
    "replications.csv",
    "wards.csv",
    "neighbourhood.csv",
];

/// Files of the other kinds of output folder (compare), and a run's optional per-call records.
const OTHER_FILES: [&str; 18] = [
    "calls.csv",
    "candidates.jsonl",
    "optimise.json",
    "plan.toml",
    "fit.json",
    "calibration.csv",
    "calibration.json",
    "calibrated.toml",
    "calls.csv.gz",
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
                            && (n.ends_with(".svg")
                                || n.ends_with(".png")
                                || lock::is_temporary(&n))
                    })
                });
            // Temporary files of a command that was interrupted (cleaned when it is locked).
            let leftover = e.file_type().is_ok_and(|t| t.is_file())
                && lock::is_temporary(&e.file_name().to_string_lossy());
            charts
                || leftover
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
        // Named as the file of the output folder, not of the temporary one.
        return Err(match e {
            Error::Io { path, source } => match path.strip_prefix(&tmp) {
                Ok(rest) => Error::io(&dir.join(rest), source),
                Err(_) => Error::Io { path, source },
            },
            e => e,
        });
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

/// Pretty JSON with a final newline. The value goes through `serde_json::Value`, whose maps are
/// sorted: every key of every output is in alphabetical order, whatever the order of a
/// struct's fields (the contract's rule).
pub(crate) fn json_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    let value = serde_json::to_value(v).expect("outputs serialise");
    let mut out = serde_json::to_vec_pretty(&value).expect("outputs serialise");
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

/// A summarised figure as the cells of [`ROW_HEADER`].
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

/// A text cell made safe for a spreadsheet (OWASP's advice on CSV injection): a cell that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number, gets a
/// single quote in front, so that a ward named `=HYPERLINK(...)` is shown, never run. Numbers
/// (`-0.5`, `+3`) are written as they are.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if cell.parse::<f64>().is_err() => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

fn write_row(w: &mut csv::Writer<Vec<u8>>, r: &[String]) {
    for c in r {
        w.write_field(neutralise(c).as_bytes())
            .expect("in-memory write");
    }
    w.write_record(None::<&[u8]>).expect("in-memory write");
}

/// CSV rows with no header (for appending to a file that has one).
pub(crate) fn csv_rows(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        write_row(&mut w, &r);
    }
    w.into_inner().expect("in-memory write")
}

/// CSV rows, each the cells of `first` (the same for every row) and then its own, as
/// [`csv_rows`] writes them, without a row of its own for the cells every row shares.
pub(crate) fn csv_rows_after(
    first: &[&[String]],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        for c in first.iter().copied().flatten().chain(&r) {
            w.write_field(neutralise(c).as_bytes())
                .expect("in-memory write");
        }
        w.write_record(None::<&[u8]>).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

pub(crate) fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("in-memory write");
    for r in rows {
        write_row(&mut w, &r);
    }
    w.into_inner().expect("in-memory write")
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-0.5", "-0.5"),
            ("+3", "+3"),
            ("W1|pc", "W1|pc"),
            ("", ""),
        ] {
            assert_eq!(super::neutralise(cell), written, "{cell:?}");
        }
        let bytes = super::csv_bytes(&["a", "b"], [vec!["=1+1".into(), "-1".into()]]);
        assert_eq!(String::from_utf8(bytes).unwrap(), "a,b\n'=1+1,-1\n");
    }
}
