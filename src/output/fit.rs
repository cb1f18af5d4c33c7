//! The fit's folder, written beside the fitted scenario: what the fit rests on, for its report.
//!
//! - manifest.json: kind `fit`, the program, the log, base and fitted scenario as named, and
//!   the files;
//! - fit.json: the [`Evidence`]: each profile, mix and distribution as the log shows it beside
//!   what was fitted, with intervals and goodness-of-fit figures.
//!
//! The report (`report.html` and `charts/`, and `report.pdf` from `pledgesim report`) is drawn
//! from these two files alone.

use super::contract::{Kind, Program};
use super::{SCHEMA_VERSION, json_bytes, write_file};
use crate::error::Error;
use crate::fit::Evidence;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The files of a fit's folder.
pub const FILES: [&str; 2] = ["manifest.json", "fit.json"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitManifest {
    pub kind: Kind,
    pub schema_version: u32,
    pub program: Program,
    pub log: String,
    pub base: String,
    pub scenario: String,
    pub files: Vec<String>,
}

/// fit.json: the kind, then the evidence's own fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitSummary {
    pub kind: Kind,
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// The folder written beside the fitted scenario `out`: for `fitted.toml`, `fitted-fit/`.
pub fn folder_for(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "fitted".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-fit"))
}

/// Writes manifest.json and fit.json into `dir`.
pub fn write(dir: &Path, evidence: &Evidence) -> Result<(), Error> {
    let manifest = FitManifest {
        kind: Kind::Fit,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        log: evidence.log.clone(),
        base: evidence.base.clone(),
        scenario: evidence.scenario.clone(),
        files: FILES.iter().map(|f| f.to_string()).collect(),
    };
    write_file(
        dir,
        "fit.json",
        &json_bytes(&FitSummary {
            kind: Kind::Fit,
            evidence: evidence.clone(),
        }),
    )?;
    write_file(dir, "manifest.json", &json_bytes(&manifest))
}
