//! Reports for police authority meetings: `pledgesim report DIR` reads an output folder and writes DIR/report.html, its charts and, optionally, DIR/report.pdf.
//!
//! The report reads the folder's files (never re-running the model) through [`read`], which
//! refuses a damaged or hand-edited folder with errors naming each file and field (exit code
//! 2). It writes DIR/report.html, one self-contained file (charts inline as SVG, the font
//! embedded), every chart as SVG and PNG under DIR/charts/, and, printed by a headless
//! Chromium or Chrome, DIR/report.pdf. With no browser installed the rest is written and the
//! missing PDF is a warning, not an error (exit code 0); a browser that fails is exit code 1. The report's kind follows the manifest's: a run
//! ([`run`]), a comparison ([`compare`]) or a sweep ([`sweep`]).

pub mod calibrate;
pub mod charts;
pub mod compare;
pub mod fit;
pub mod html;
pub mod optimise;
pub mod pdf;
pub mod read;
pub mod run;
pub mod staff;
pub mod sweep;
pub mod words;

pub use html::TEMPLATE;
pub use pdf::find_browser;

use crate::error::Error;
use charts::Chart;
use read::Folder;
use std::path::{Path, PathBuf};

/// A section of the report: a heading, paragraphs (HTML) and charts with a sentence each.
pub struct Section {
    pub heading: String,
    pub html: String,
    pub charts: Vec<(Chart, String)>,
}

/// What `report` wrote.
pub struct Written {
    pub html: PathBuf,
    pub pdf: Option<PathBuf>,
    pub charts: usize,
    /// What the caller should print as warnings (report.pdf not written for want of a browser).
    pub warnings: Vec<String>,
}

/// Writes the report of the output folder `dir`. `template`: a page template replacing the
/// default; `pdf`: also print report.pdf with a headless browser, when one is found (if none
/// is, the report is written without it and [`Written::warnings`] says so).
pub fn write(dir: &Path, template: Option<&Path>, pdf: bool) -> Result<Written, Error> {
    let folder = read::read(dir)?;
    let template = html::template(template)?;
    let (title, sections) = match &folder {
        Folder::Run(f) => run::report(f),
        Folder::Compare(f) => compare::report(f),
        Folder::Sweep(f) => sweep::report(f),
        Folder::Staff(f) => staff::report(f),
        Folder::Calibrate(f) => calibrate::report(f),
        Folder::Fit(f) => fit::report(f),
        Folder::Optimise(f) => optimise::report(f),
    };
    let (body, charts) = html::body(&sections, &dir.join("charts"))?;
    let html_path = dir.join("report.html");
    crate::output::safe::write_new(&html_path, html::page(&template, &title, &body).as_bytes())?;
    let mut warnings = Vec::new();
    let pdf_path = dir.join("report.pdf");
    let pdf = match (pdf, pdf::find_browser()) {
        (false, _) => None,
        (true, Some(browser)) => Some(pdf::print_pdf(&browser, &html_path, &pdf_path)?),
        (true, None) => {
            warnings.push(pdf::no_browser(&pdf_path));
            None
        }
    };
    Ok(Written {
        html: html_path,
        pdf,
        charts,
        warnings,
    })
}
