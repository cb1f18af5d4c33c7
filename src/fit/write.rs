//! Writes the fitted scenario: the base scenario's own document (its comments kept) less the
//! keys the log replaces, then the fitted tables, each value with where it came from.

use super::evidence::{Context, Evidence, evidence};
use super::{
    BANDS, BandRule, Durations, Family, MIN_ROWS, Seasonal, Tally, category_names, seasonal,
};
use crate::error::{Error, InputError};
use crate::log::{self, Mapping, Zone};
use crate::scenario::response::{GRADES, Response};
use crate::scenario::{ChannelKind, Scenario, Source};
use crate::time::{DAY, Date, HOUR, HOURS_PER_WEEK};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `fit` is asked to do.
pub struct FitOptions {
    pub log: PathBuf,
    pub base: PathBuf,
    pub out: PathBuf,
    pub mapping: Option<PathBuf>,
    /// The first and last civil dates of the log to use.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The horizon of the Kaplan-Meier restricted mean of patience, in ms.
    pub patience_horizon: u64,
    /// When a mix is fitted by band of the day.
    pub bands: BandRule,
}

/// The demand keys the fit replaces in each channel.
const DEMAND_KEYS: [&str; 13] = [
    "calls_per_year",
    "calls_per_week",
    "arrivals",
    "calls",
    "hourly",
    "daily",
    "weekly",
    "profile_file",
    "seasonal",
    "handling",
    "handling_by_grade",
    "handling_by_category",
    "patience",
];

/// Fits, checks the result is a valid scenario, and writes it; returns the lines to print and
/// the evidence for the fit's report.
pub fn fit(o: &FitOptions) -> Result<(Vec<String>, Evidence), Error> {
    let base = Scenario::load(&o.base)?;
    let base_text = std::fs::read_to_string(&o.base).map_err(|e| Error::io(&o.base, e))?;
    let mapping = match &o.mapping {
        Some(p) => Mapping::load(p)?,
        None => Mapping::default(),
    };
    if let (Some(f), Some(t)) = (o.from, o.to) {
        if t < f {
            return Err(InputError::new(
                "command line",
                "--to",
                format!("{t} is before --from {f}"),
            )
            .into());
        }
    }
    let ward_names: Vec<String> = base
        .response
        .as_ref()
        .map(|r| r.wards.iter().map(|w| w.name.clone()).collect())
        .unwrap_or_default();
    let window = (o.from.is_some() || o.to.is_some()).then(|| {
        (
            o.from.map_or(i64::MIN, Date::days_from_epoch),
            o.to.map_or(i64::MAX, Date::days_from_epoch),
        )
    });
    let mut tally = Tally::new(ward_names.len(), window, o.patience_horizon);
    let summary = log::read(&o.log, &mapping, &ward_names, |row| tally.add(row))?;
    let label = o.log.display().to_string();
    if tally.used == 0 {
        return Err(InputError::new(&label, "", "has no rows between --from and --to").into());
    }
    let zone = Zone::named(&summary.zone).expect("the log's zone was read");
    let (first, last) = (
        window.map_or(tally.first_day, |w| w.0.max(summary.first_day)),
        window.map_or(tally.last_day, |w| w.1.min(summary.last_day)),
    );
    let days = last - first + 1;
    if days < 7 {
        return Err(InputError::new(
            &label,
            "",
            format!(
                "covers {days} day(s) ({} to {}): a fit needs at least a week, so that every hour of the week is seen",
                Date::from_days_from_epoch(first),
                Date::from_days_from_epoch(last)
            ),
        )
        .into());
    }
    // The hours each hour of the week occurred in the period, over every replication.
    let reps = f64::from(summary.replications.max(1));
    let mut exposure = [0.0f64; HOURS_PER_WEEK];
    let mut exposure_by_month = vec![[0.0f64; HOURS_PER_WEEK]; 12];
    for d in first..=last {
        let weekday = (d + 3).rem_euclid(7) as usize;
        let month = Date::from_days_from_epoch(d).month as usize - 1;
        for h in 0..24 {
            let n = f64::from(zone.hour_count(d, h as u64)) * reps;
            exposure[weekday * 24 + h] += n;
            exposure_by_month[month][weekday * 24 + h] += n;
        }
    }
    // A log of a year or more: the profile and monthly factors, fitted together.
    let seasonal: [Option<Seasonal>; 2] = std::array::from_fn(|ch| {
        (days >= 365)
            .then(|| seasonal(&tally.by_month[ch * 12..ch * 12 + 12], &exposure_by_month))
            .flatten()
            .filter(|_| tally.arrivals[ch].iter().sum::<u64>() > 0)
    });
    let period = format!(
        "{} to {} ({days} days{}, time zone {})",
        Date::from_days_from_epoch(first),
        Date::from_days_from_epoch(last),
        if reps > 1.0 {
            format!(" x {reps} replications")
        } else {
            String::new()
        },
        summary.zone
    );
    let text = document(
        &base,
        &base_text,
        o,
        &tally,
        (&exposure, &seasonal),
        &period,
        &summary,
    )?;
    // The result must be a scenario `run` accepts.
    let dir = o
        .out
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let source = Source {
        label: o.out.display().to_string(),
        dir: Some(dir.clone()),
        format: crate::scenario::Format::Toml,
    };
    if let Err(e) = Scenario::parse(&text, &source) {
        return Err(InputError::new(
            o.out.display().to_string(),
            "",
            format!("the fitted scenario is not valid, so it was not written: {e}"),
        )
        .into());
    }
    write_atomic(&o.out, text.as_bytes())?;
    let mut lines = vec![format!(
        "read {} rows of {label}; used {} from {period}",
        tally.rows, tally.used
    )];
    for (why, n) in &tally.excluded {
        lines.push(format!("  {n} row(s) {why}"));
    }
    for (ch, w) in tally.waits.iter().enumerate() {
        if let Some(p) = w.patience() {
            lines.push(format!(
                "  patience ({}): exponential MLE {:.1}s (SE {:.1}s) from {} hang-ups of {} waits; Kaplan-Meier restricted mean to {:.0}s {:.1}s (SE {:.1}s); mean wait of those who hung up {:.1}s (SE {:.1}s, biased low)",
                ChannelKind::ALL[ch].label(),
                p.mle_ms / 1e3,
                p.mle_se / 1e3,
                w.abandoned,
                w.abandoned + w.answered,
                p.horizon_ms as f64 / 1e3,
                p.km_ms / 1e3,
                p.km_se / 1e3,
                p.naive_ms / 1e3,
                p.naive_se / 1e3
            ));
        }
    }
    lines.push(format!("wrote {}", o.out.display()));
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let ev = evidence(
        &tally,
        &Context {
            log: name(&o.log),
            base: name(&o.base),
            scenario: name(&o.out),
            period,
            zone: summary.zone.clone(),
            exposure: &exposure,
            ward_names: &ward_names,
            seasonal: &seasonal,
            lead_in_fitted: [
                true,
                base.response
                    .as_ref()
                    .is_some_and(|r| r.created_after[1].is_some()),
                base.response
                    .as_ref()
                    .is_some_and(|r| r.created_after[2].is_some()),
            ],
            bands: o.bands,
        },
    );
    Ok((lines, ev))
}

/// The fitted scenario's text.
fn document(
    base: &Scenario,
    base_text: &str,
    o: &FitOptions,
    t: &Tally,
    (exposure, seasonal): (&[f64; HOURS_PER_WEEK], &[Option<Seasonal>; 2]),
    period: &str,
    summary: &log::Summary,
) -> Result<String, Error> {
    let mut doc: toml_edit::DocumentMut =
        base_text.parse().map_err(|e: toml_edit::TomlError| {
            Error::from(InputError::new(
                o.base.display().to_string(),
                "",
                e.to_string(),
            ))
        })?;
    let log_name = o.log.file_name().map_or_else(
        || o.log.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let src = |n: u64, what: &str| format!("fitted: {n} {what} of {log_name}, {period}");
    // Files the base names, read from its folder.
    let base_dir = o.base.parent().map(Path::to_path_buf).unwrap_or_default();
    let out_dir = o.out.parent().map(Path::to_path_buf).unwrap_or_default();
    for path in [
        ["roster", "handlers", "shifts_file"],
        ["roster", "units", "shifts_file"],
    ] {
        // (TableLike::get_mut: indexing an item would create the tables it looks in.)
        let item = doc
            .as_table_mut()
            .get_mut(path[0])
            .and_then(|t| t.as_table_like_mut())
            .and_then(|t| t.get_mut(path[1]))
            .and_then(|t| t.as_table_like_mut())
            .and_then(|t| t.get_mut(path[2]));
        if let Some(item) = item {
            if let Some(p) = item.as_str() {
                let p = Path::new(p);
                if p.is_relative() && !same_dir(&base_dir, &out_dir) {
                    let abs = std::fs::canonicalize(base_dir.join(p))
                        .unwrap_or_else(|_| base_dir.join(p));
                    *item = toml_edit::value(abs.display().to_string());
                }
            }
        }
    }
    // Name and description.
    doc["name"] = toml_edit::value(format!("{}-fitted", base.name));
    doc["description"] = toml_edit::value(format!(
        "{} Demand and durations fitted to the call log {log_name} ({period}).",
        base.description.trim_end_matches('.').to_string() + "."
    ));
    // The base's demand tables, less what the log replaces.
    let base_demand = doc.remove("demand");
    let has_response = base.response.is_some();
    if has_response {
        doc.remove("wards_file");
        doc.remove("wards");
    }
    let mut base_response = None;
    if let Some(r) = doc.get_mut("response").and_then(|r| r.as_table_like_mut()) {
        // The log's mixes replace the base's, by band of the day as well.
        r.remove("hour_bands");
        base_response = Some((
            r.remove("grading"),
            r.remove("categories"),
            r.remove("on_scene"),
            r.remove("created_after"),
            r.remove("emergency_created_after"),
        ));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Fitted by `pledgesim fit` from the call log {log_name} ({} rows read, {} used: {period}) on the\n\
         # base scenario {}. Demand, ward weights, grade and category mixes, handling times, patience,\n\
         # time on scene and the CAD lead-in are the log's (each value says which rows); staffing,\n\
         # geography and policies are the base's.",
        t.rows,
        t.used,
        o.base
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    for (why, n) in &t.excluded {
        let _ = writeln!(out, "# {n} row(s) {why}.");
    }
    out.push_str(&doc.to_string());
    // Demand, channel by channel.
    let weeks_of = |h: usize| exposure[h];
    for kind in ChannelKind::ALL {
        let ch = kind.index();
        let firsts: u64 = t.arrivals[ch].iter().sum();
        let base_table = base_demand
            .as_ref()
            .and_then(|d| d.get(kind.field()))
            .and_then(|c| c.as_table_like());
        if firsts == 0 {
            // Nothing in the log for this channel: the base's, as it was.
            if let Some(table) = base_table {
                let _ = writeln!(
                    out,
                    "\n# {}: no first attempts in the log; the base scenario's demand, unchanged.",
                    kind.label()
                );
                let _ = writeln!(out, "[demand.{}]", kind.field());
                for (k, v) in table.iter() {
                    let _ = writeln!(out, "{k} = {}", inline(v));
                }
            }
            continue;
        }
        let _ = writeln!(out, "\n[demand.{}]", kind.field());
        let rates: Vec<f64> = match &seasonal[ch] {
            Some(s) => s.weekly.to_vec(),
            None => (0..HOURS_PER_WEEK)
                .map(|h| {
                    if weeks_of(h) > 0.0 {
                        t.arrivals[ch][h] as f64 / weeks_of(h)
                    } else {
                        0.0
                    }
                })
                .collect(),
        };
        let per_week: f64 = rates.iter().sum();
        let _ = writeln!(
            out,
            "# {}: calls an hour in each hour of the week, summed{}.",
            src(firsts, "first attempts"),
            if seasonal[ch].is_some() {
                " (the year's average week: the seasonal factors below average 1 over the log's hours)"
            } else {
                ""
            }
        );
        let _ = writeln!(out, "calls_per_week = {}", round(per_week, 3));
        match &seasonal[ch] {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "# {}: the Poisson maximum likelihood of (calls an hour in this hour of the week) x (the month's factor),\n\
                     # fitted together over the log's civil hours; first attempts by month, January first: {}.\n\
                     seasonal = [{}]",
                    src(firsts, "first attempts"),
                    s.counts.map(|c| c.to_string()).join(", "),
                    s.factors.map(|f| round(f, 4)).join(", ")
                );
                let _ = writeln!(
                    out,
                    "# {}: calls an hour in each hour of the week in a month of factor 1; Monday 00:00 first.",
                    src(firsts, "first attempts")
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "# {}: first attempts in each civil hour of the week over the hours it occurred (calls an hour); Monday 00:00 first.",
                    src(firsts, "first attempts")
                );
            }
        }
        out.push_str("weekly = [\n");
        for d in 0..7 {
            let line: Vec<String> = rates[d * 24..d * 24 + 24]
                .iter()
                .map(|r| round(*r, 4))
                .collect();
            let _ = writeln!(out, "  {},", line.join(", "));
        }
        out.push_str("]\n");
        let h = &t.handling[ch];
        if let Some(line) = dist_line(
            "handling",
            &h[4],
            &log_name,
            period,
            "answered calls' handling times",
        ) {
            out.push_str(&line);
        } else if let Some(v) = base_table.and_then(|b| b.get("handling")) {
            let _ = writeln!(
                out,
                "# fewer than {MIN_ROWS} handling times in the log: the base scenario's.\nhandling = {}",
                inline(v)
            );
        }
        // Patience.
        let w = &t.waits[ch];
        if let Some(p) = w.patience() {
            let _ = writeln!(
                out,
                "# {}: exponential maximum likelihood, the time waited by all {} callers ({:.0} s) over the {} who hung up\n\
                 # (SE {:.1} s); answered waits are censored. Kaplan-Meier restricted mean to {}: {:.1} s (SE {:.1} s); the mean wait\n\
                 # of those who hung up, {:.1} s, is biased low.",
                src(w.abandoned + w.answered, "waits"),
                w.abandoned + w.answered,
                w.total_ms / 1e3,
                w.abandoned,
                p.mle_se / 1e3,
                crate::time::Duration(p.horizon_ms),
                p.km_ms / 1e3,
                p.km_se / 1e3,
                p.naive_ms / 1e3
            );
            let _ = writeln!(
                out,
                "patience = {{ kind = \"exponential\", mean = \"{}\" }}",
                secs(p.mle_ms)
            );
        } else if let Some(v) = base_table.and_then(|b| b.get("patience")) {
            let _ = writeln!(
                out,
                "# no caller hung up in the log: the base scenario's patience.\npatience = {}",
                inline(v)
            );
        }
        // The base's other keys of the channel (redials, silent calls, stages).
        if let Some(table) = base_table {
            for (k, v) in table.iter().filter(|(k, _)| !DEMAND_KEYS.contains(k)) {
                if k == "silent" && kind == ChannelKind::Emergency && t.silent > 0 {
                    let weeks = exposure.iter().sum::<f64>() / HOURS_PER_WEEK as f64;
                    let mut s = v
                        .clone()
                        .into_value()
                        .unwrap_or_else(|_| toml_edit::Value::from(toml_edit::InlineTable::new()));
                    if let Some(st) = s.as_inline_table_mut() {
                        st.insert(
                            "calls_per_week",
                            toml_edit::Value::from(
                                round(t.silent as f64 / weeks, 3)
                                    .parse::<f64>()
                                    .unwrap_or(0.0),
                            ),
                        );
                    }
                    let _ = writeln!(
                        out,
                        "# calls_per_week {}: silent calls over the period's weeks; the rest the base's.",
                        src(t.silent, "silent calls")
                    );
                    let _ = writeln!(out, "silent = {}", s.to_string().trim());
                } else {
                    let _ = writeln!(out, "{k} = {}", inline(v));
                }
            }
        }
        if has_response {
            let mut by_grade = String::new();
            for (g, name) in GRADES.iter().enumerate() {
                if let Some(line) = dist_line(
                    name,
                    &h[g],
                    &log_name,
                    period,
                    &format!("grade {name} calls' handling times"),
                ) {
                    by_grade.push_str(&line);
                }
            }
            if !by_grade.is_empty() {
                let _ = write!(
                    out,
                    "\n[demand.{}.handling_by_grade]\n{by_grade}",
                    kind.field()
                );
            }
        }
    }
    let Some(resp) = &base.response else {
        return Ok(out);
    };
    // Ward weights.
    let names = category_names();
    for (i, w) in resp.wards.iter().enumerate() {
        let _ = writeln!(out, "\n[[wards]]");
        let _ = writeln!(out, "name = {}", quote(&w.name));
        let _ = writeln!(
            out,
            "type = \"{}\"",
            if w.rural { "rural" } else { "urban" }
        );
        let _ = writeln!(out, "area_km2 = {}", w.area_km2);
        let _ = writeln!(out, "x = {}\ny = {}", w.x, w.y);
        if let Some(s) = &w.shape {
            let pts: Vec<String> = s
                .vertices
                .iter()
                .map(|(x, y)| format!("[{x}, {y}]"))
                .collect();
            let _ = writeln!(out, "shape = [{}]", pts.join(", "));
        }
        let _ = writeln!(out, "sector = {}", quote(&resp.sectors[w.sector].name));
        let mut parts = Vec::new();
        let mut notes = Vec::new();
        for kind in ChannelKind::ALL {
            let ch = kind.index();
            let total: u64 = t.wards[ch].iter().sum();
            if total > 0 {
                let n = t.wards[ch][i];
                parts.push(format!(
                    "{} = {}",
                    kind.field(),
                    round(n as f64 / total as f64 * resp.wards.len() as f64, 4)
                ));
                notes.push(format!("{} {n} of {total}", kind.label()));
            } else {
                parts.push(format!("{} = {}", kind.field(), w.weights[ch]));
                notes.push(format!("{} the base's", kind.label()));
            }
        }
        let _ = writeln!(
            out,
            "# fitted: the ward's share of first attempts with a ward, times the number of wards ({}), {period}.\ndemand = {{ {} }}",
            notes.join("; "),
            parts.join(", ")
        );
    }
    // Grade mix by channel.
    let (g_base, c_base, os_base, ca_base, eca_base) = base_response.unwrap_or_default();
    for kind in ChannelKind::ALL {
        let ch = kind.index();
        let total: u64 = t.grades[ch].iter().sum();
        let _ = writeln!(out, "\n[response.grading.{}]", kind.field());
        if total >= MIN_ROWS {
            let shares = shares(&t.grades[ch]);
            let _ = writeln!(out, "# {}.", src(total, "graded first attempts"));
            for (g, s) in GRADES.iter().zip(shares) {
                let _ = writeln!(out, "{g} = {s}");
            }
        } else {
            let base_g = resp
                .wards
                .first()
                .map(|w| w.grading[ch])
                .unwrap_or([0.25; 4]);
            let _ = writeln!(
                out,
                "# fewer than {MIN_ROWS} graded first attempts: the base scenario's."
            );
            let base_item = g_base.as_ref().and_then(|g| g.get(kind.field()));
            match base_item.and_then(|i| i.as_table_like()) {
                Some(tb) => {
                    for (k, v) in tb.iter() {
                        let _ = writeln!(out, "{k} = {}", inline(v));
                    }
                }
                None => {
                    for (g, s) in GRADES.iter().zip(base_g) {
                        let _ = writeln!(out, "{g} = {s}");
                    }
                }
            }
        }
    }
    // Category mix by grade.
    for (g, name) in GRADES.iter().enumerate() {
        let total: u64 = t.categories[g].iter().sum();
        let base_item = c_base
            .as_ref()
            .and_then(|c| c.get(name))
            .and_then(|i| i.as_table_like());
        if total < MIN_ROWS && base_item.is_none() {
            continue;
        }
        let _ = writeln!(out, "\n[response.categories.{name}]");
        if total >= MIN_ROWS {
            let _ = writeln!(
                out,
                "# {}.",
                src(
                    total,
                    &format!("grade {name} first attempts with a category")
                )
            );
            for (c, s) in names.iter().zip(shares(&t.categories[g])) {
                let _ = writeln!(out, "{c} = {s}");
            }
        } else if let Some(tb) = base_item {
            let _ = writeln!(out, "# fewer than {MIN_ROWS} rows: the base scenario's.");
            for (k, v) in tb.iter() {
                let _ = writeln!(out, "{k} = {}", inline(v));
            }
        }
    }
    // Time on scene, I and S.
    let _ = writeln!(out, "\n[response.on_scene]");
    for (i, name) in ["I", "S"].iter().enumerate() {
        match dist_line(
            name,
            &t.on_scene[i],
            &log_name,
            period,
            &format!("grade {name} incidents' times on scene (one dispatch)"),
        ) {
            Some(line) => out.push_str(&line),
            None => {
                let v = os_base.as_ref().and_then(|o| o.get(name)).map(inline);
                let _ = writeln!(
                    out,
                    "# fewer than {MIN_ROWS} times on scene: the base scenario's."
                );
                let _ = writeln!(out, "{name} = {}", v.unwrap_or_default().trim());
            }
        }
    }
    // The CAD lead-in: I always (it replaces `emergency_created_after`), S and E where the
    // base has one.
    let mut lead = String::new();
    for (g, name) in ["I", "S", "E"].iter().enumerate() {
        let base_v = ca_base.as_ref().and_then(|c| c.get(name)).map(inline);
        if g > 0 && base_v.is_none() {
            continue;
        }
        match dist_line(
            name,
            &t.lead_in[g],
            &log_name,
            period,
            &format!("grade {name} calls' answer to the incident's creation"),
        ) {
            Some(line) => lead.push_str(&line),
            None => match (base_v, &eca_base) {
                (Some(v), _) => {
                    let _ = writeln!(
                        lead,
                        "# fewer than {MIN_ROWS} lead-ins: the base scenario's.\n{name} = {}",
                        v.trim()
                    );
                }
                (None, Some(e)) if g == 0 => {
                    let _ = writeln!(
                        lead,
                        "# fewer than {MIN_ROWS} lead-ins: the base scenario's emergency_created_after.\n{name} = {{ kind = \"deterministic\", value = {} }}",
                        inline(e)
                    );
                }
                _ => {}
            },
        }
    }
    if !lead.is_empty() {
        let _ = write!(out, "\n[response.created_after]\n{lead}");
    }
    out.push_str(&hour_bands(t, o.bands, resp, &log_name, period));
    let _ = (DAY, HOUR, summary);
    Ok(out)
}

/// The mixes that change through the day, by band ([`BANDS`]): `[[response.hour_bands]]`
/// for each band with a mix the rule takes (empty when there is none). A band with fewer than
/// [`MIN_ROWS`] rows of a mix keeps the all-day one.
fn hour_bands(t: &Tally, rule: BandRule, resp: &Response, log_name: &str, period: &str) -> String {
    let vecs = |b: &[[u64; 4]; 4]| b.map(|r| r.to_vec()).to_vec();
    let grades: [bool; 2] = [0, 1].map(|ch| rule.banded(&vecs(&t.grades_by_band[ch])));
    let cats: [bool; 4] =
        [0, 1, 2, 3].map(|g| rule.banded(&t.categories_by_band[g].map(|r| r.to_vec())));
    let wards: [bool; 2] = [0, 1].map(|ch| rule.banded(&t.wards_by_band[ch * 4..ch * 4 + 4]));
    let mut out = String::new();
    if !grades.iter().chain(&cats).chain(&wards).any(|b| *b) {
        return out;
    }
    let why = match rule {
        BandRule::Always => "--bands always".to_string(),
        _ => format!(
            "the mix changes through the day (Pearson's test of homogeneity over the four bands, p < {})",
            super::BAND_ALPHA
        ),
    };
    let _ = writeln!(
        out,
        "\n# Mixes by band of the day, where {why}; other mixes, and bands with fewer than {MIN_ROWS} rows, keep the all-day values above."
    );
    let names = category_names();
    for (b, name) in BANDS.iter().enumerate() {
        let (start, end) = (b * 6, (b * 6 + 6) % 24);
        let label = format!("{:02}:00 and {:02}:00", b * 6, b * 6 + 6);
        let mut body = String::new();
        for kind in ChannelKind::ALL {
            let ch = kind.index();
            let counts = &t.grades_by_band[ch][b];
            let n: u64 = counts.iter().sum();
            if grades[ch] && n >= MIN_ROWS {
                let _ = writeln!(
                    body,
                    "# fitted: {n} graded {} first attempts between {label}, of {log_name}, {period}.",
                    kind.label()
                );
                let parts: Vec<String> = GRADES
                    .iter()
                    .zip(shares(counts))
                    .map(|(g, s)| format!("{g} = {s}"))
                    .collect();
                let _ = writeln!(
                    body,
                    "grading.{} = {{ {} }}",
                    kind.field(),
                    parts.join(", ")
                );
            }
        }
        for (g, name) in GRADES.iter().enumerate() {
            let counts = &t.categories_by_band[g][b];
            let n: u64 = counts.iter().sum();
            if cats[g] && n >= MIN_ROWS {
                let _ = writeln!(
                    body,
                    "# fitted: {n} grade {name} first attempts with a category between {label}, of {log_name}, {period}."
                );
                let parts: Vec<String> = names
                    .iter()
                    .zip(shares(counts))
                    .map(|(c, s)| format!("{c} = {s}"))
                    .collect();
                let _ = writeln!(body, "categories.{name} = {{ {} }}", parts.join(", "));
            }
        }
        for kind in ChannelKind::ALL {
            let ch = kind.index();
            let in_band = &t.wards_by_band[ch * 4 + b];
            let n: u64 = in_band.iter().sum();
            let total: u64 = t.wards[ch].iter().sum();
            if !wards[ch] || n < MIN_ROWS || total == 0 {
                continue;
            }
            // The band's share of each ward over its all-day share (wards without calls: 1).
            let parts: Vec<String> = resp
                .wards
                .iter()
                .enumerate()
                .filter(|&(w, _)| t.wards[ch][w] > 0)
                .map(|(w, ward)| {
                    let f = (in_band[w] as f64 / n as f64) / (t.wards[ch][w] as f64 / total as f64);
                    format!("{} = {}", quote(&ward.name), round(f, 4))
                })
                .collect();
            let _ = writeln!(
                body,
                "# fitted: each ward's share of the band's {n} {} first attempts with a ward over its share of all {total}, between {label}, of {log_name}, {period}.",
                kind.label()
            );
            let _ = writeln!(
                body,
                "ward_factor.{} = {{ {} }}",
                kind.field(),
                parts.join(", ")
            );
        }
        if !body.is_empty() {
            let _ = write!(
                out,
                "\n[[response.hour_bands]]\nname = \"{name}\"\nstart = \"{start:02}:00\"\nend = \"{end:02}:00\"\n{body}"
            );
        }
    }
    out
}

/// `name = { kind = ..., ... }` with its source above it, or None with too few rows.
fn dist_line(
    name: &str,
    d: &Durations,
    log_name: &str,
    period: &str,
    what: &str,
) -> Option<String> {
    if d.n < MIN_ROWS {
        return None;
    }
    let f = d.fit()?;
    let others: Vec<String> = f.tried[1..]
        .iter()
        .map(|(fam, ks)| format!("{} {ks:.4}", fam.name()))
        .collect();
    let value = match f.family {
        Family::Exponential { mean } => {
            format!("{{ kind = \"exponential\", mean = \"{}\" }}", secs(mean))
        }
        Family::Lognormal { mean, sd } => format!(
            "{{ kind = \"lognormal\", mean = \"{}\", sd = \"{}\" }}",
            secs(mean),
            secs(sd)
        ),
        Family::Gamma { mean, sd } => format!(
            "{{ kind = \"gamma\", mean = \"{}\", sd = \"{}\" }}",
            secs(mean),
            secs(sd)
        ),
    };
    Some(format!(
        "# fitted: {} {what} of {log_name}, {period}; sample mean {}, sd {}; {} by Kolmogorov-Smirnov distance {:.4} (others: {}).\n{name} = {value}\n",
        d.n,
        secs(d.mean()),
        secs(d.sd()),
        f.family.name(),
        f.ks,
        others.join(", ")
    ))
}

/// Milliseconds as seconds to a tenth, with the unit.
fn secs(ms: f64) -> String {
    format!("{:.1}s", (ms / 100.0).round() / 10.0)
}

/// `x` to `digits` decimals, without trailing zeros.
fn round(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Shares of counts to six decimals that add up to exactly 1 (the largest takes the rounding).
fn shares(counts: &[u64]) -> Vec<String> {
    let total: u64 = counts.iter().sum();
    let mut millionths: Vec<i64> = counts
        .iter()
        .map(|&c| ((c as f64 / total as f64) * 1e6).round() as i64)
        .collect();
    let diff = 1_000_000 - millionths.iter().sum::<i64>();
    let big = (0..counts.len()).max_by_key(|&i| counts[i]).unwrap_or(0);
    millionths[big] += diff;
    millionths
        .iter()
        .map(|m| round(*m as f64 / 1e6, 6))
        .collect()
}

/// A value of the base's document as an inline value (a table becomes an inline table).
fn inline(item: &toml_edit::Item) -> String {
    match item.clone().into_value() {
        Ok(v) => v.decorated("", "").to_string(),
        Err(i) => i.to_string().trim().to_string(),
    }
}

fn quote(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        std::fs::canonicalize(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
        .ok()
    };
    canon(a).is_some() && canon(a) == canon(b)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that nothing partial is
/// ever there.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // A scenario file as any other (the temporary file is private to its owner).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
