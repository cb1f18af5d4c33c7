//! Reports for police authority meetings: `pledgesim report RUN_DIR` reads a run's files (never
//! re-running the model) and writes RUN_DIR/report.html, one self-contained file (charts inline
//! as SVG, the font embedded), every chart as SVG and PNG under RUN_DIR/charts/, and, printed
//! by a headless Chromium or Chrome, RUN_DIR/report.pdf.
//!
//! The report's kind follows the manifest's: a run, a comparison or a sweep.

pub mod charts;

use crate::error::{Error, InputError};
use charts::{Bar, Chart, Status};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The embedded font, also carried by the HTML as an @font-face.
const FONT: &[u8] = charts::FONT_TTF;

/// The default page template: `{{title}}`, `{{style}}` and `{{body}}` are filled in.
pub const TEMPLATE: &str = include_str!("template.html");

fn bad(dir: &Path, why: impl Into<String>) -> Error {
    InputError::new(dir.display().to_string(), "", why).into()
}

fn read_json(dir: &Path, name: &str) -> Result<Value, Error> {
    let p = dir.join(name);
    let bytes = fs::read(&p).map_err(|e| {
        bad(
            dir,
            format!("cannot read {name}: {e} (is this a pledgesim output folder?)"),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| bad(dir, format!("{name} is not valid JSON: {e}")))
}

/// A CSV file as rows of column name to value.
fn read_csv(dir: &Path, name: &str) -> Result<Vec<BTreeMap<String, String>>, Error> {
    let p = dir.join(name);
    let mut r =
        csv::Reader::from_path(&p).map_err(|e| bad(dir, format!("cannot read {name}: {e}")))?;
    let headers = r
        .headers()
        .map_err(|e| bad(dir, format!("{name}: {e}")))?
        .clone();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(dir, format!("{name}: {e}")))?;
        out.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn status_of(label: &str) -> Status {
    match label {
        "met" => Status::Met,
        "at risk" => Status::AtRisk,
        "missed" => Status::Missed,
        _ => Status::Unknown,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}%", v * 100.0)
    } else {
        "no figure".into()
    }
}

/// A section of the report: a heading, paragraphs (HTML) and charts with a sentence each.
struct Section {
    heading: String,
    html: String,
    charts: Vec<(Chart, String)>,
}

/// What `report` wrote.
pub struct Written {
    pub html: PathBuf,
    pub pdf: Option<PathBuf>,
    pub charts: usize,
}

/// Writes the report of the output folder `dir`. `template`: a page template replacing the
/// default; `pdf`: also print report.pdf with a headless browser.
pub fn write(dir: &Path, template: Option<&Path>, pdf: bool) -> Result<Written, Error> {
    let manifest = read_json(dir, "manifest.json")?;
    if manifest["program"]["name"] != "pledgesim" {
        return Err(bad(
            dir,
            "not a pledgesim output folder: its manifest.json was not written by pledgesim",
        ));
    }
    let template = match template {
        Some(p) => {
            fs::read_to_string(p).map_err(|e| bad(p, format!("cannot read the template: {e}")))?
        }
        None => TEMPLATE.to_string(),
    };
    for key in ["{{title}}", "{{style}}", "{{body}}"] {
        if !template.contains(key) {
            return Err(InputError::new("command line", "--template", format!("the template must contain {key} (it has {{title}}, {{style}} and {{body}} filled in)")).into());
        }
    }
    let (title, sections) = match manifest["kind"].as_str() {
        Some("run") => run_report(dir, &manifest)?,
        Some("compare") => compare_report(dir, &manifest)?,
        Some("sweep") => sweep_report(dir, &manifest)?,
        other => {
            return Err(bad(
                dir,
                format!(
                    "a report covers a run, a comparison or a sweep; this folder is a {}",
                    other.unwrap_or("folder of unknown kind")
                ),
            ));
        }
    };
    let charts_dir = dir.join("charts");
    fs::create_dir_all(&charts_dir).map_err(|e| Error::io(&charts_dir, e))?;
    let mut body = String::new();
    let mut n = 0;
    for s in &sections {
        let _ = writeln!(body, "<section>\n<h2>{}</h2>\n{}", esc(&s.heading), s.html);
        for (c, sentence) in &s.charts {
            n += 1;
            fs::write(charts_dir.join(format!("{}.svg", c.name)), &c.svg)
                .map_err(|e| Error::io(&charts_dir, e))?;
            fs::write(charts_dir.join(format!("{}.png", c.name)), &c.png)
                .map_err(|e| Error::io(&charts_dir, e))?;
            let _ = writeln!(
                body,
                "<figure class=\"chart\" id=\"chart-{}\" data-chart=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                c.name,
                c.name,
                c.svg,
                esc(sentence)
            );
        }
        let _ = writeln!(body, "</section>");
    }
    let style = format!(
        "@font-face {{ font-family: 'DejaVu Sans'; src: url(data:font/ttf;base64,{}) format('truetype'); }}\n{}",
        base64(FONT),
        STYLE
    );
    let html = template
        .replace("{{title}}", &esc(&title))
        .replace("{{style}}", &style)
        .replace("{{body}}", &body);
    let html_path = dir.join("report.html");
    fs::write(&html_path, html).map_err(|e| Error::io(&html_path, e))?;
    let pdf_path = if pdf {
        Some(print_pdf(&html_path, &dir.join("report.pdf"))?)
    } else {
        None
    };
    Ok(Written {
        html: html_path,
        pdf: pdf_path,
        charts: n,
    })
}

const STYLE: &str = r#"
body { font-family: 'DejaVu Sans', sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; width: 100%; font-size: 0.92rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
.summary table { font-size: 0.82rem; }
.warnings { font-size: 0.8rem; }
.warnings ul { margin: 0.2rem 0; }
.summary th, .summary td { padding: 0.15rem 0.4rem; }
.met { color: #0b5d4b; font-weight: bold; }
.at-risk { color: #8a5200; font-weight: bold; }
.missed { color: #9b1c1c; font-weight: bold; }
figure.chart { margin: 1rem 0; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 0.95rem; margin-top: 0.3rem; }
.summary { page-break-after: always; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } }
"#;

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The browsers tried for printing, in order.
const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// A headless Chromium or Chrome on the PATH (or named by PLEDGESIM_BROWSER).
pub fn find_browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("PLEDGESIM_BROWSER") {
        return Some(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH")?;
    for name in BROWSERS {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn print_pdf(html: &Path, pdf: &Path) -> Result<PathBuf, Error> {
    let Some(browser) = find_browser() else {
        return Err(InputError::new(
            "report",
            "",
            format!(
                "report.html is written, but report.pdf needs a headless Chromium or Chrome and none was found on the PATH ({}): install Debian's package `chromium` (apt install chromium), or set PLEDGESIM_BROWSER to the browser, or pass --no-pdf",
                BROWSERS.join(", ")
            ),
        )
        .into());
    };
    let html_abs = html.canonicalize().map_err(|e| Error::io(html, e))?;
    let tmp = pdf.with_extension("pdf.tmp");
    let profile = std::env::temp_dir().join(format!("pledgesim-browser-{}", std::process::id()));
    let out = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", tmp.display()))
        .arg(format!("file://{}", html_abs.display()))
        .output()
        .map_err(|e| Error::io(&browser, e))?;
    let _ = fs::remove_dir_all(&profile);
    let ok = out.status.success() && fs::metadata(&tmp).is_ok_and(|m| m.len() > 0);
    if !ok {
        let _ = fs::remove_file(&tmp);
        return Err(InputError::new(
            "report",
            "",
            format!(
                "{} could not print report.pdf (report.html is written): {}",
                browser.display(),
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("no message")
            ),
        )
        .into());
    }
    fs::rename(&tmp, pdf).map_err(|e| Error::io(pdf, e))?;
    Ok(pdf.to_path_buf())
}

/// The plain-words line for a target: "999 calls answered within 10s: 94.1% (94.0% to 94.2%) against 90% asked: kept."
fn verdict_words(status: &str) -> &'static str {
    match status {
        "met" => "kept",
        "at risk" => "at risk",
        "missed" => "missed",
        "not in this scenario" => "not modelled in this scenario",
        "not in this pledge" => "not made by this pledge",
        _ => "no figure",
    }
}

fn class_of(status: &str) -> &'static str {
    match status {
        "met" => "met",
        "at risk" => "at-risk",
        "missed" => "missed",
        _ => "",
    }
}

fn run_report(dir: &Path, manifest: &Value) -> Result<(String, Vec<Section>), Error> {
    let summary = read_json(dir, "summary.json")?;
    let sc = &manifest["scenario"];
    let title = format!(
        "{}: the Policing Pledge, simulated",
        sc["name"].as_str().unwrap_or("scenario")
    );
    let score = read_csv(dir, "scorecard.csv")?;
    let mut sections = Vec::new();

    // 1. The one-page summary.
    let measured: Vec<&BTreeMap<String, String>> =
        score.iter().filter(|r| !r["mean"].is_empty()).collect();
    let count = |s: &str| measured.iter().filter(|r| r["status"] == s).count();
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<div class=\"summary\"><p><strong>Of the {} pledges this scenario measures, {} kept, {} at risk and {} missed.</strong> Each figure is the share of calls, incidents, tasks or officer-months that met the pledge, averaged over {} simulated runs of {} (after a warm-up of {}), with the range it lies in with 95% confidence.</p>",
        measured.len(),
        are(count("met"), "is", "are"),
        are(count("at risk"), "is", "are"),
        are(count("missed"), "is", "are"),
        summary["replications"],
        in_words(summary["measurement"]["horizon"].as_str().unwrap_or("")),
        in_words(summary["measurement"]["warm_up"].as_str().unwrap_or(""))
    );
    let _ = writeln!(
        html,
        "<table><tr><th>pledge</th><th>what is promised</th><th>achieved (95% range)</th><th>the pledge asks</th><th>verdict</th></tr>"
    );
    let mut not_here: Vec<(&str, Vec<String>)> = Vec::new();
    for r in &score {
        let st = r["status"].as_str();
        if r["mean"].is_empty() {
            match not_here
                .iter_mut()
                .find(|(v, _): &&mut (&str, Vec<String>)| *v == verdict_words(st))
            {
                Some((_, ids)) => ids.push(r["kpi"].clone()),
                None => not_here.push((verdict_words(st), vec![r["kpi"].clone()])),
            }
            continue;
        }
        let achieved = format!(
            "{} ({}&ndash;{})",
            pct(num(r, "mean")),
            pct(num(r, "ci_low")).trim_end_matches('%'),
            pct(num(r, "ci_high"))
        );
        let target = &r["target"];
        let asked = if target.ends_with("visible") {
            format!(
                "{} of officer-months at least {}",
                pct(num(r, "required_share")),
                esc(target).replace(" visible", " visible in their ward")
            )
        } else if target == "monthly" {
            format!("{} of monthly meetings held", pct(num(r, "required_share")))
        } else {
            format!(
                "{} within {}",
                pct(num(r, "required_share")),
                esc(&in_words(target))
            )
        };
        let promise = format!("{} {}", r["commitment"], in_words(target));
        let promise = promise
            .trim_end_matches(" 80% visible")
            .trim_end_matches(" monthly");
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
            esc(&r["kpi"]),
            esc(promise),
            achieved,
            asked,
            class_of(st),
            verdict_words(st)
        );
    }
    let _ = writeln!(html, "</table>");
    for (verdict, ids) in &not_here {
        let _ = writeln!(html, "<p>{}: {verdict}.</p>", esc(&ids.join(", ")));
    }
    let _ = writeln!(
        html,
        "<p>\"At risk\" means the range includes the share asked for: more runs, or a small change, could tip it either way. \"Kept\" and \"missed\" mean the whole range is above, or below, what the pledge asks.</p>"
    );
    if let Some(w) = summary["warnings"].as_array().filter(|w| !w.is_empty()) {
        let _ = writeln!(
            html,
            "<div class=\"warnings\"><strong>Warnings:</strong><ul>"
        );
        for x in w {
            let _ = writeln!(html, "<li>{}</li>", esc(x.as_str().unwrap_or("")));
        }
        let _ = writeln!(html, "</ul></div>");
    }
    let _ = writeln!(html, "</div>");
    let bars: Vec<Bar> = measured
        .iter()
        .map(|r| Bar {
            label: format!("{} {}", r["kpi"], short(&r["commitment"], 38)),
            value: num(r, "mean"),
            low: num(r, "ci_low"),
            high: num(r, "ci_high"),
            required: r["required_share"].parse().ok(),
            status: status_of(&r["status"]),
        })
        .collect();
    let scorecard = charts::scorecard("scorecard", "The pledge scorecard", &bars);
    sections.push(Section {
        heading: "Summary: which pledges are kept".into(),
        html,
        charts: vec![(scorecard, "Each bar is the share achieved, with its 95% range; the mark on each bar is the share the pledge asks for. Dark green: kept; amber: at risk; dark red: missed.".into())],
    });

    // 2. Detail by target: answer and attendance times.
    let hist = read_csv(dir, "histograms.csv")?;
    let mut detail = Section {
        heading: "How long callers wait, and how long attendance takes".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    let cumulative = |kpi: &str, measure: &str| -> Vec<(f64, f64)> {
        let rows: Vec<&BTreeMap<String, String>> = hist
            .iter()
            .filter(|r| r["kpi"] == kpi && r["measure"] == measure)
            .collect();
        let total: f64 = rows.iter().map(|r| num(r, "count")).sum();
        let mut acc = 0.0;
        let mut pts = vec![(0.0, 0.0)];
        for r in rows {
            acc += num(r, "count");
            let share = if total > 0.0 { acc / total } else { 0.0 };
            pts.push((num(r, "bin_high_ms") / 1000.0, share));
            // The long tail is cut where 99.5% are in, so that the part that matters is readable.
            if share >= 0.995 {
                break;
            }
        }
        pts
    };
    let target_s = |kpi: &str| -> Option<f64> {
        // "15min urban, 20min rural": the first time given.
        score
            .iter()
            .find(|r| r["kpi"] == kpi)
            .and_then(|r| {
                r["target"]
                    .split([' ', ','])
                    .next()?
                    .parse::<crate::time::Duration>()
                    .ok()
            })
            .map(|d| d.secs_f64())
    };
    let mut series = Vec::new();
    for (kpi, label) in [("T1", "999 calls"), ("T2", "non-emergency calls")] {
        let pts = cumulative(kpi, "answer_wait");
        if pts.len() > 1 {
            series.push((label.to_string(), pts));
        }
    }
    if !series.is_empty() {
        let c = charts::cumulative(
            "answer-times",
            "Calls answered within a given wait",
            "wait before answer",
            &series,
            target_s("T1"),
        );
        detail.charts.push((c, "Of the calls answered, each line rises to the share answered within the wait along the bottom; the dashed line is the 999 target. The higher and further left a line, the better. (The scorecard also counts callers who hung up after the target time, so its shares are a little lower.)".into()));
    }
    let mut series = Vec::new();
    for (kpi, label) in [
        ("T3", "emergencies (from the call)"),
        ("T4", "priority incidents (from the call)"),
    ] {
        let pts = cumulative(kpi, "attend_from_call");
        if pts.len() > 1 {
            series.push((label.to_string(), pts));
        }
    }
    if !series.is_empty() {
        let c = charts::cumulative(
            "attendance-times",
            "Incidents attended within a given time",
            "time from the call to the first officer's arrival",
            &series,
            target_s("T3"),
        );
        detail.charts.push((c, "Each line rises to the share of incidents an officer reached within the time along the bottom; the dashed line is the emergency target.".into()));
    }
    if !detail.charts.is_empty() {
        sections.push(detail);
    }

    // 3. By hour of the week.
    let hourly = read_csv(dir, "hourly.csv")?;
    let mut by_hour = Section {
        heading: "By hour of the week".into(),
        html: String::new(),
        charts: Vec::new(),
    };
    for (kpi, label) in [
        ("T1", "999 calls answered within target"),
        ("T2", "Non-emergency calls answered within target"),
        ("T3", "Emergencies attended within target"),
    ] {
        let rows: Vec<&BTreeMap<String, String>> = hourly
            .iter()
            .filter(|r| {
                r["kpi"] == kpi && r["statistic"] == "share_within" && r["scope"] == "hour_of_week"
            })
            .collect();
        if rows.len() != 168 {
            continue;
        }
        let mut values = [f64::NAN; 168];
        for (h, r) in rows.iter().enumerate() {
            values[h] = num(r, "mean");
        }
        let required = rows
            .iter()
            .find_map(|r| r["required_share"].parse().ok())
            .unwrap_or(0.9);
        let c = charts::hour_of_week(
            &format!("hours-{}", kpi.to_lowercase()),
            label,
            &values,
            required,
        );
        by_hour.charts.push((c, format!("Each square is one hour of the week: the share of calls or incidents in that hour that met the pledge. Marked squares fall below the {} asked for.", pct(required))));
    }
    if !by_hour.charts.is_empty() {
        sections.push(by_hour);
    }

    // 4. By ward.
    if dir.join("wards.csv").is_file() {
        let wards = read_csv(dir, "wards.csv")?;
        let rows: Vec<&BTreeMap<String, String>> = wards
            .iter()
            .filter(|r| r["kpi"] == "T3" && r["statistic"] == "share_within")
            .collect();
        let mut ward_section = Section {
            heading: "By ward: emergency attendance".into(),
            html: String::new(),
            charts: Vec::new(),
        };
        let required = rows
            .iter()
            .find_map(|r| r["required_share"].parse().ok())
            .unwrap_or(0.9);
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| Bar {
                label: r["scope_value"].clone(),
                value: num(r, "mean"),
                low: num(r, "ci_low"),
                high: num(r, "ci_high"),
                required: Some(required),
                status: status_of(&r["status"]),
            })
            .collect();
        if !bars.is_empty() {
            ward_section.charts.push((charts::bars("wards-t3", "Emergencies attended within target, by ward", &bars), "Each bar is a ward's share of emergencies attended within the pledge's time, with its 95% range; the dashed line is the share asked for.".into()));
            let mut shapes = Vec::new();
            if let Some(list) = sc["response"]["wards"].as_array() {
                for w in list {
                    let name = w["name"].as_str().unwrap_or("").to_string();
                    let share = rows
                        .iter()
                        .find(|r| r["scope_value"] == name)
                        .map_or(f64::NAN, |r| num(r, "mean"));
                    let poly: Vec<(f64, f64)> = match w["shape"]["vertices"].as_array() {
                        Some(v) => v
                            .iter()
                            .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                            .collect(),
                        None => {
                            let (x, y) = (
                                w["x"].as_f64().unwrap_or(0.0),
                                w["y"].as_f64().unwrap_or(0.0),
                            );
                            let h = w["area_km2"].as_f64().unwrap_or(1.0).sqrt() / 2.0;
                            vec![
                                (x - h, y - h),
                                (x + h, y - h),
                                (x + h, y + h),
                                (x - h, y + h),
                            ]
                        }
                    };
                    shapes.push((name, poly, share));
                }
            }
            if !shapes.is_empty() {
                ward_section.charts.push((charts::ward_map("ward-map", "Map of wards: emergencies attended within target", &shapes, required), "Each ward drawn where it lies, shaded by its share of emergencies attended in time: the darker, the better.".into()));
            }
            sections.push(ward_section);
        }
    }

    // 5. Neighbourhood teams.
    if dir.join("neighbourhood.csv").is_file() {
        let hood = read_csv(dir, "neighbourhood.csv")?;
        let bins: Vec<(String, f64)> = hood
            .iter()
            .filter(|r| r["scope"] == "visible_share_bin" && r["role"] == "all")
            .map(|r| (r["bin"].clone(), num(r, "mean")))
            .collect();
        let overall = summary["kpis"].as_array().cloned().unwrap_or_default();
        let lost: Vec<(String, f64)> = overall
            .iter()
            .filter(|k| {
                k["kpi"] == "T6"
                    && k["statistic"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("lost_share_"))
            })
            .map(|k| {
                (
                    k["statistic"]
                        .as_str()
                        .unwrap_or("")
                        .trim_start_matches("lost_share_")
                        .to_string(),
                    k["mean"].as_f64().unwrap_or(f64::NAN),
                )
            })
            .collect();
        if !bins.is_empty() {
            let threshold = manifest["scenario"]["targets"]
                .as_array()
                .and_then(|t| t.iter().find(|t| t["id"] == "T6"))
                .and_then(|t| t["threshold"].as_f64())
                .unwrap_or(0.8);
            let c = charts::visible_time(
                "visible-time",
                "Neighbourhood officers' time visible in their own ward",
                &bins,
                threshold,
                &lost,
            );
            sections.push(Section {
                heading: "Neighbourhood teams: time visible in their wards".into(),
                html: "<p>The pledge promises that neighbourhood officers spend at least 80% of their time visibly in their own ward. Each officer's share is counted month by month.</p>".into(),
                charts: vec![(c, "Left: how many officer-months reached each share of visible time (the dashed line is the pledge's 80%). Right: where the rest of their time on duty went.".into())],
            });
        }
    }

    // 6. Assumptions, method, reproduction.
    sections.push(Section {
        heading: "Assumptions".into(),
        html: assumptions(sc),
        charts: Vec::new(),
    });
    sections.push(Section {
        heading: "Method, and how to reproduce this report".into(),
        html: format!(
            "<p>pledgesim simulates every call and incident, one after another, over {} after a warm-up of {}, {} times with different random numbers (replications). Each figure is the average over the replications, with a 95% confidence interval from Student's t distribution: the range within which the true figure lies with 95% confidence, given the scenario. A pledge is <em>kept</em> when the whole interval is at or above the share asked for, <em>missed</em> when it is wholly below, and <em>at risk</em> otherwise.</p>\n<table><tr><th>program</th><td>pledgesim {}</td></tr><tr><th>scenario hash</th><td><code>{}</code></td></tr><tr><th>master seed</th><td>{}</td></tr><tr><th>replications</th><td>{}</td></tr><tr><th>source</th><td>{}</td></tr></table>\n<p>Running the same program version on the same scenario with the same seed gives the same figures, byte for byte. This report was built from the run's files alone.</p>",
            summary["measurement"]["horizon"].as_str().unwrap_or(""),
            summary["measurement"]["warm_up"].as_str().unwrap_or(""),
            summary["replications"],
            esc(manifest["program"]["version"].as_str().unwrap_or("")),
            esc(manifest["scenario_hash"].as_str().unwrap_or("")),
            summary["seed"],
            summary["replications"],
            esc(manifest["source"].as_str().unwrap_or(""))
        ),
        charts: Vec::new(),
    });
    Ok((title, sections))
}

/// "1 is", "3 are".
fn are(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Times as people say them: "10s" as "10 seconds", "8w" as "8 weeks", "10wd" as "10 working
/// days"; "15min urban, 20min rural" word by word.
fn in_words(text: &str) -> String {
    text.split(", ")
        .map(|part| {
            let (time, rest) = part.split_once(' ').unwrap_or((part, ""));
            let digits = time
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(time.len());
            let (n, unit) = time.split_at(digits);
            let one = n == "1";
            let word = match unit {
                "ms" => "milliseconds",
                "s" => {
                    if one {
                        "second"
                    } else {
                        "seconds"
                    }
                }
                "min" => {
                    if one {
                        "minute"
                    } else {
                        "minutes"
                    }
                }
                "h" => {
                    if one {
                        "hour"
                    } else {
                        "hours"
                    }
                }
                "d" => {
                    if one {
                        "day"
                    } else {
                        "days"
                    }
                }
                "w" => {
                    if one {
                        "week"
                    } else {
                        "weeks"
                    }
                }
                "wd" => {
                    if one {
                        "working day"
                    } else {
                        "working days"
                    }
                }
                "mo" => {
                    if one {
                        "month"
                    } else {
                        "months"
                    }
                }
                _ => return part.to_string(),
            };
            if n.is_empty() {
                return part.to_string();
            }
            let words = format!("{n} {word}");
            if rest.is_empty() {
                words
            } else {
                format!("{words} {rest}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

/// The scenario as readable tables: demand, rosters, wards, policies.
fn assumptions(sc: &Value) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(sc["description"].as_str().unwrap_or(""))
    );
    let _ = writeln!(
        h,
        "<table><tr><th>calls</th><th>a week</th><th>mean handling time</th><th>callers hang up</th></tr>"
    );
    for ch in sc["channels"].as_array().cloned().unwrap_or_default() {
        let per_week = ch["arrivals"]["calls_per_week"]
            .as_f64()
            .map_or("fixed calls".to_string(), |v| format!("{v:.0}"));
        let handling = ch["handling"]["mean"]
            .as_str()
            .or(ch["handling"]["value"].as_str())
            .unwrap_or("as given")
            .to_string();
        let patience = if ch["patience"].is_null() {
            "no".to_string()
        } else {
            format!(
                "after {} on average",
                ch["patience"]["mean"]
                    .as_str()
                    .or(ch["patience"]["value"].as_str())
                    .unwrap_or("a while")
            )
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(ch["kind"].as_str().unwrap_or("")),
            per_week,
            esc(&handling),
            esc(&patience)
        );
    }
    let _ = writeln!(h, "</table>");
    let handlers = &sc["handlers"];
    let _ = writeln!(
        h,
        "<table><tr><th>call handler shift</th><th>starts</th><th>length</th><th>handlers</th></tr>"
    );
    if handlers["constant"].as_u64().unwrap_or(0) > 0 {
        let _ = writeln!(
            h,
            "<tr><td>always on duty</td><td></td><td></td><td class=\"num\">{}</td></tr>",
            handlers["constant"]
        );
    }
    for s in handlers["shifts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .take(40)
    {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(s["name"].as_str().unwrap_or("")),
            esc(s["start"].as_str().unwrap_or("")),
            esc(s["length"].as_str().unwrap_or("")),
            s["count"]
        );
    }
    let _ = writeln!(h, "</table>");
    let r = &sc["response"];
    if !r.is_null() {
        let wards = r["wards"].as_array().map_or(0, Vec::len);
        let sectors = r["sectors"].as_array().map_or(0, Vec::len);
        let _ = writeln!(
            h,
            "<table><tr><th>field side</th><td>{wards} wards in {sectors} response sectors; an emergency may take an officer from a priority call: {}; units from neighbouring sectors within {} km help when a sector has none free</td></tr></table>",
            if r["divert"] == true { "yes" } else { "no" },
            r["borrow_within_km"]
        );
    }
    let n = &sc["neighbourhood"];
    if !n.is_null() {
        let members = n["members"].as_array().map_or(0, Vec::len);
        let after = n["abstract_after"]
            .as_str()
            .map_or("never".to_string(), |a| {
                format!("when an emergency has waited {a} for a response unit")
            });
        let _ = writeln!(
            h,
            "<table><tr><th>neighbourhood teams</th><td>{members} officers in all; taken to response work {after}</td></tr></table>"
        );
    }
    h
}

fn compare_report(dir: &Path, manifest: &Value) -> Result<(String, Vec<Section>), Error> {
    let c = read_json(dir, "compare.json")?;
    let title = "Comparing scenarios: what a change would do".to_string();
    let mut sections = Vec::new();
    for comp in c["comparisons"].as_array().cloned().unwrap_or_default() {
        let rows: Vec<&Value> = comp["rows"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter(|r| {
                        r["required"].is_number()
                            && (r["statistic"] == "share_within"
                                || r["statistic"] == "share_member_months_at_threshold"
                                || r["statistic"] == "share_held")
                            && (r["clock"] == "call" || r["scope"] == "force")
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut html = format!(
            "<p>{} against {} (the baseline), on the same simulated calls ({} replications, seed {}). A difference is shown as percentage points of the share meeting each pledge.</p><table><tr><th>pledge</th><th>baseline</th><th>{}</th><th>difference (95% range)</th><th>verdict</th></tr>",
            esc(comp["scenario"].as_str().unwrap_or("")),
            esc(comp["baseline"].as_str().unwrap_or("")),
            c["replications"],
            c["seed"],
            esc(comp["scenario"].as_str().unwrap_or(""))
        );
        let mut diffs = Vec::new();
        for r in &rows {
            let d = &r["difference"];
            let (m, lo, hi) = (
                d["mean"].as_f64().unwrap_or(f64::NAN),
                d["ci_low"].as_f64().unwrap_or(f64::NAN),
                d["ci_high"].as_f64().unwrap_or(f64::NAN),
            );
            let _ = write!(
                html,
                "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:+.1} ({:+.1} to {:+.1}) points</td><td>{}</td></tr>",
                esc(r["kpi"].as_str().unwrap_or("")),
                esc(r["scope_value"].as_str().unwrap_or("")),
                pct(r["baseline_mean"].as_f64().unwrap_or(f64::NAN)),
                pct(r["mean"].as_f64().unwrap_or(f64::NAN)),
                m * 100.0,
                lo * 100.0,
                hi * 100.0,
                esc(r["verdict"].as_str().unwrap_or(""))
            );
            diffs.push((
                format!(
                    "{} {}",
                    r["kpi"].as_str().unwrap_or(""),
                    r["scope_value"].as_str().unwrap_or("")
                ),
                m * 100.0,
                lo * 100.0,
                hi * 100.0,
            ));
        }
        html.push_str("</table>");
        let name = format!("differences-{}", sections.len() + 1);
        let chart = charts::differences(
            &name,
            "Difference in the share meeting each pledge",
            &diffs,
            "points",
        );
        sections.push(Section { heading: format!("{} against {}", comp["scenario"].as_str().unwrap_or(""), comp["baseline"].as_str().unwrap_or("")), html, charts: vec![(chart, "Each bar is how many percentage points more (right) or fewer (left) of the calls or incidents meet the pledge than in the baseline, with its 95% range; a range that crosses zero cannot be told from chance.".into())] });
    }
    sections.push(Section { heading: "Method".into(), html: format!("<p>Every scenario ran on the same random numbers (common random numbers): replication r of each saw the same calls at the same times, so differences come from the change, not from chance. Program pledgesim {}.</p>", esc(manifest["program"]["version"].as_str().unwrap_or(""))), charts: Vec::new() });
    Ok((title, sections))
}

fn sweep_report(dir: &Path, manifest: &Value) -> Result<(String, Vec<Section>), Error> {
    let rows = read_csv(dir, "sweep.csv")?;
    let params: Vec<String> = manifest["parameters"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let title = format!("Sweep: {}", params.join(" by "));
    let mut sections = Vec::new();
    for kpi in ["T1", "T2", "T3"] {
        let sel: Vec<&BTreeMap<String, String>> = rows
            .iter()
            .filter(|r| {
                r["kpi"] == kpi
                    && r["statistic"] == "share_within"
                    && (r["scope"] == "channel" || (r["scope"] == "grade" && r["clock"] == "call"))
            })
            .collect();
        if sel.is_empty() {
            continue;
        }
        let required: Option<f64> = sel.iter().find_map(|r| r["required_share"].parse().ok());
        let mut section = Section {
            heading: format!("{kpi}: share within target"),
            html: String::new(),
            charts: Vec::new(),
        };
        match params.len() {
            1 => {
                let mut pts: Vec<(f64, f64, f64, f64)> = sel
                    .iter()
                    .filter_map(|r| {
                        Some((
                            r[&params[0]].parse().ok()?,
                            num(r, "mean"),
                            num(r, "ci_low"),
                            num(r, "ci_high"),
                        ))
                    })
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                if !pts.is_empty() {
                    section.charts.push((charts::sweep_line(&format!("sweep-{}", kpi.to_lowercase()), &format!("{kpi} against {}", params[0]), &params[0], &pts, required), "The line is the share meeting the pledge at each value, the band its 95% range; the dashed line is the share asked for.".into()));
                }
            }
            2 => {
                let mut xs: Vec<String> = sel.iter().map(|r| r[&params[1]].clone()).collect();
                let mut ys: Vec<String> = sel.iter().map(|r| r[&params[0]].clone()).collect();
                for v in [&mut xs, &mut ys] {
                    v.sort_by(|a, b| {
                        a.parse::<f64>()
                            .ok()
                            .zip(b.parse::<f64>().ok())
                            .map_or(a.cmp(b), |(x, y)| x.total_cmp(&y))
                    });
                    v.dedup();
                }
                let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
                for r in &sel {
                    if let (Some(i), Some(j)) = (
                        ys.iter().position(|y| *y == r[&params[0]]),
                        xs.iter().position(|x| *x == r[&params[1]]),
                    ) {
                        values[i][j] = num(r, "mean");
                    }
                }
                section.charts.push((charts::sweep_heatmap(&format!("sweep-{}", kpi.to_lowercase()), &format!("{kpi} by {} and {}", params[1], params[0]), &params[1], &params[0], &xs, &ys, &values, required.unwrap_or(0.9)), "Each cell is the share meeting the pledge for one pair of values; outlined cells reach the share asked for.".into()));
            }
            _ => {
                section.html = "<p>This sweep varies more than two parameters; its figures are in sweep.csv.</p>".into();
            }
        }
        sections.push(section);
    }
    sections.push(Section { heading: "Method".into(), html: format!("<p>Every point ran on the same random numbers, {} replications each. Program pledgesim {}.</p>", manifest["replications"], esc(manifest["program"]["version"].as_str().unwrap_or(""))), charts: Vec::new() });
    Ok((title, sections))
}
