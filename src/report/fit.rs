//! The report of a fit to a call log: what the log showed beside what was fitted, for each
//! profile, patience, distribution and mix, with intervals and goodness-of-fit figures, so a
//! planner can see where the fitted scenario is well founded and where it is thin.

use super::Section;
use super::charts;
use super::html::esc;
use super::read::FitFolder;
use crate::fit::evidence::{DistributionFit, Mix};
use std::fmt::Write as _;

/// The report's title and sections.
pub fn report(f: &FitFolder) -> (String, Vec<Section>) {
    // The files' names are in the first section: a title short enough for one line.
    let title = "A scenario fitted to a call log".to_string();
    (
        title,
        vec![used(f), profiles(f), patience(f), durations(f), mixes(f)],
    )
}

/// Seconds as people read them.
fn secs(s: f64) -> String {
    if !s.is_finite() {
        "–".into()
    } else if s >= 120.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

fn pct(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn channel_words(field: &str) -> &str {
    match field {
        "emergency" => "999 calls",
        "non_emergency" => "non-emergency calls",
        other => other,
    }
}

/// 1. What was read and used.
fn used(f: &FitFolder) -> Section {
    let e = &f.summary.evidence;
    let mut html = String::new();
    let _ = write!(
        html,
        "<div class=\"summary\"><p><strong>{} was fitted to {} rows of the call log {}</strong> ({} rows read), over {}. \
         Its staffing, geography and policies are those of the base scenario {}; its demand and durations are the log's, \
         each value in the scenario file with a comment naming the rows it came from.</p></div>",
        esc(&e.scenario),
        e.rows_used,
        esc(&e.log),
        e.rows_read,
        esc(&e.period),
        esc(&e.base)
    );
    if e.excluded.is_empty() {
        html.push_str("<p>No row was left out of any figure.</p>");
    } else {
        html.push_str("<p>Rows left out of a figure, and why (a row can be left out of one figure and used for others):</p><table><tr><th>rows</th><th>why</th></tr>");
        for x in &e.excluded {
            let _ = write!(
                html,
                "<tr><td class=\"num\">{}</td><td>{}</td></tr>",
                x.rows,
                esc(&x.reason)
            );
        }
        html.push_str("</table>");
    }
    Section {
        heading: "What the fit used".into(),
        html,
        charts: Vec::new(),
    }
}

/// 2. Calls through the week.
fn profiles(f: &FitFolder) -> Section {
    let e = &f.summary.evidence;
    let mut charts_out = Vec::new();
    let mut html = String::from(
        "<p>The fitted hour-of-week profile is the log's own: first attempts in each hour of the week over the number of times that hour occurred in the period \
         (with a log of a year or more, fitted together with a factor for each month). \
         The band is each hour's exact 95% Poisson interval: where it is wide, the log is too short to pin that hour down.</p>",
    );
    for (i, p) in e.profiles.iter().enumerate() {
        // (A hand-edited file's lists may differ in length: an hour missing from any is blank.)
        let hours: Vec<Option<(f64, f64, f64)>> = (0..p.rate.len().min(168))
            .map(|h| Some(((*p.rate.get(h)?)?, (*p.low.get(h)?)?, (*p.high.get(h)?)?)))
            .collect();
        let busiest = (0..hours.len())
            .filter_map(|h| hours[h].map(|v| (h, v.0)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let missing = hours.iter().filter(|h| h.is_none()).count();
        let title = format!(
            "{}: calls an hour through the week",
            channel_words(&p.channel)
        );
        let chart =
            charts::weekly_rate(&format!("fit-profile-{i}"), &title, "Calls an hour", &hours);
        let mut sentence = format!(
            "{} first attempts, {:.1} calls a week.",
            p.first_attempts, p.calls_per_week
        );
        if let Some((h, v)) = busiest {
            let _ = write!(
                sentence,
                " Busiest hour: {}, {v:.2} an hour.",
                crate::experiment::warnings::hour_name(h)
            );
        }
        if missing > 0 {
            let _ = write!(
                sentence,
                " {missing} hour(s) of the week did not occur in the period (a clock change) and are left blank."
            );
        }
        if !p.seasonal.is_empty() {
            sentence.push_str(" The log covers a year or more: the line is a month of factor 1, and the months' factors are in the table above.");
            let _ = write!(
                html,
                "<h3>Seasonal factors of {}</h3><p>Fitted with the profile (Poisson maximum likelihood of the hour of the week's rate times the month's factor); the factors average 1 over the log's hours. The interval is the month's count's exact 95% interval, scaled.</p><table><tr><th>month</th><th>first attempts</th><th>factor (95% interval)</th></tr>",
                esc(channel_words(&p.channel))
            );
            for m in &p.seasonal {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.3} ({:.3} to {:.3})</td></tr>",
                    [
                        "January",
                        "February",
                        "March",
                        "April",
                        "May",
                        "June",
                        "July",
                        "August",
                        "September",
                        "October",
                        "November",
                        "December"
                    ]
                    .get((m.month as usize).wrapping_sub(1))
                    .copied()
                    .unwrap_or("?"),
                    m.first_attempts,
                    m.factor,
                    m.low,
                    m.high
                );
            }
            html.push_str("</table>");
        }
        charts_out.push((chart, sentence));
    }
    if e.profiles.is_empty() {
        html.push_str("<p>The log has no first attempts.</p>");
    }
    Section {
        heading: "Calls through the week".into(),
        html,
        charts: charts_out,
    }
}

/// 3. Patience.
fn patience(f: &FitFolder) -> Section {
    let e = &f.summary.evidence;
    let mut html = String::from(
        "<p>Patience is how long a caller would wait before hanging up. A wait ended by an answer only says the caller would have waited longer (it is censored), \
         so the fitted mean counts the time waited by every caller over the hang-ups (the exponential maximum likelihood). \
         The Kaplan-Meier restricted mean makes no assumption of shape; the mean wait of those who hung up is shown only to say how far it falls short.</p>\
         <table><tr><th>channel</th><th>waits</th><th>hang-ups</th><th>fitted mean (SE)</th><th>Kaplan-Meier restricted mean (SE)</th><th>mean wait of those who hung up (biased low)</th></tr>",
    );
    let mut charts_out = Vec::new();
    for (i, p) in e.patience.iter().enumerate() {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({})</td><td class=\"num\">{} ({}) to {}</td><td class=\"num\">{}</td></tr>",
            esc(channel_words(&p.channel)),
            p.waits,
            p.hang_ups,
            secs(p.mean_s),
            secs(p.mean_se_s),
            secs(p.km_restricted_mean_s),
            secs(p.km_restricted_mean_se_s),
            secs(p.horizon_s),
            secs(p.mean_abandoned_wait_s)
        );
        let observed: Vec<(f64, f64)> = p.curve.iter().map(|c| (c.0, c.1)).collect();
        let fitted: Vec<(f64, f64)> = p.curve.iter().filter_map(|c| Some((c.0, c.2?))).collect();
        let chart = charts::cumulative(
            &format!("fit-patience-{i}"),
            &format!(
                "{}: share who would have hung up by each wait",
                channel_words(&p.channel)
            ),
            "Wait",
            &[
                ("observed (Kaplan-Meier)".to_string(), observed),
                (
                    format!("fitted exponential, mean {}", secs(p.mean_s)),
                    fitted,
                ),
            ],
            &[None, None],
        );
        charts_out.push((
            chart,
            format!(
                "The observed curve stops at {} (the horizon of the restricted mean). Where the two lines part, an exponential patience is a simplification.",
                secs(p.horizon_s)
            ),
        ));
    }
    html.push_str("</table>");
    if e.patience.is_empty() {
        html = "<p>No caller hung up in the log: the base scenario's patience was kept.</p>".into();
    }
    Section {
        heading: "Patience".into(),
        html,
        charts: charts_out,
    }
}

fn quantity_words(q: &str) -> &str {
    match q {
        "handling" => "Handling time",
        "on_scene" => "Time on scene",
        "lead_in" => "CAD lead-in",
        other => other,
    }
}

/// The verdict of a distribution's fit in words.
fn verdict(d: &DistributionFit) -> String {
    match (d.ks, &d.family) {
        (Some(ks), Some(_)) if ks > d.ks_critical_05 => format!(
            "misfit: distance {ks:.4} is above the 5% value {:.4}",
            d.ks_critical_05
        ),
        (Some(ks), Some(_)) => format!(
            "no evidence of misfit: distance {ks:.4}, 5% value {:.4}",
            d.ks_critical_05
        ),
        _ => format!(
            "fewer than {} rows: the base scenario's kept",
            crate::fit::MIN_ROWS
        ),
    }
}

/// 4. Durations.
fn durations(f: &FitFolder) -> Section {
    let e = &f.summary.evidence;
    let mut html = String::from(
        "<p>Each duration is fitted to the exponential, the lognormal and the gamma, and the family nearest the data by the Kolmogorov-Smirnov distance (the largest gap between the two distribution functions) is kept. \
         The 5% value beside it is for a distribution given in advance; the family's parameters come from the same rows, which makes it lenient, \
         so a distance above it is a clear misfit and one below it is no proof of a good fit.</p>\
         <table><tr><th>duration</th><th>scenario key</th><th>rows</th><th>observed mean (sd)</th><th>fitted family, mean (sd)</th><th>fit</th></tr>",
    );
    let mut charts_out = Vec::new();
    for (i, d) in e.distributions.iter().enumerate() {
        let fitted = match (&d.family, d.family_mean_s, d.family_sd_s) {
            (Some(fam), Some(m), Some(s)) => format!("{fam}, {} ({})", secs(m), secs(s)),
            _ => "–".into(),
        };
        let _ = write!(
            html,
            "<tr><td>{}: {}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{} ({})</td><td>{}</td><td>{}</td></tr>",
            esc(quantity_words(&d.quantity)),
            esc(&d.scope),
            esc(&d.key),
            d.n,
            secs(d.mean_s),
            secs(d.sd_s),
            esc(&fitted),
            esc(&verdict(d))
        );
        let Some(fam) = &d.family else { continue };
        let observed: Vec<(f64, f64)> = d.curve.iter().map(|c| (c.0, c.1)).collect();
        let model: Vec<(f64, f64)> = d.curve.iter().filter_map(|c| Some((c.0, c.2?))).collect();
        let chart = charts::cumulative(
            &format!("fit-duration-{i}"),
            &format!("{}: {}", quantity_words(&d.quantity), d.scope),
            quantity_words(&d.quantity),
            &[
                (format!("observed ({} rows)", d.n), observed),
                (format!("fitted {fam}"), model),
            ],
            &[None, None],
        );
        charts_out.push((chart, format!("{}; written to {}.", verdict(d), d.key)));
    }
    html.push_str("</table>");
    Section {
        heading: "Durations".into(),
        html,
        charts: charts_out,
    }
}

fn mix_table(html: &mut String, m: &Mix) {
    let _ = write!(
        html,
        "<h3>{} of {} ({} rows{})</h3><table><tr><th>{}</th><th>rows</th><th>share (95% interval)</th></tr>",
        esc(match m.quantity.as_str() {
            "grades" => "Grades",
            "categories" => "Categories",
            "wards" => "Wards",
            other => other,
        }),
        esc(&m.scope),
        m.rows,
        if m.fitted {
            ""
        } else {
            ": too few, the base scenario's kept"
        },
        esc(match m.quantity.as_str() {
            "grades" => "grade",
            "categories" => "category",
            "wards" => "ward",
            other => other,
        })
    );
    for p in &m.parts {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({} to {})</td></tr>",
            esc(&p.name.replace('_', " ")),
            p.count,
            pct(p.share),
            pct(Some(p.low)),
            pct(Some(p.high))
        );
    }
    html.push_str("</table>");
    // Grades and categories through the day, band by band (wards are too many for it).
    if m.quantity != "wards" && !m.by_band.is_empty() {
        html.push_str("<table><tr><th>through the day</th>");
        for b in &m.by_band {
            let _ = write!(html, "<th>{}</th>", esc(&b.band.replace(":00", "")));
        }
        html.push_str("</tr><tr><td>rows</td>");
        for b in &m.by_band {
            let _ = write!(html, "<td class=\"num\">{}</td>", b.rows);
        }
        html.push_str("</tr>");
        for (i, p) in m.parts.iter().enumerate() {
            let _ = write!(html, "<tr><td>{}</td>", esc(&p.name.replace('_', " ")));
            for b in &m.by_band {
                let _ = write!(
                    html,
                    "<td class=\"num\">{}</td>",
                    pct(b.shares.get(i).copied().flatten())
                );
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
    }
    if let Some(h) = &m.homogeneity {
        let rough = if h.min_expected < 5.0 {
            " (some bands have few rows, so the test is rough)"
        } else {
            ""
        };
        let _ = write!(
            html,
            "<p>{}: chi-squared {:.1} on {} degrees of freedom, p = {:.2e}{rough}.</p>",
            match (h.p_value < crate::fit::BAND_ALPHA, m.banded) {
                (true, true) =>
                    "<strong>This mix changes through the day.</strong> The fitted scenario takes it by band (<code>[[response.hour_bands]]</code>), in each band with enough rows",
                (true, false) =>
                    "<strong>This mix changes through the day.</strong> The fitted scenario has one mix for the whole day (the fit was told <code>--bands never</code>, or has too few rows), so the hours whose mix differs are modelled with the day's",
                (false, true) =>
                    "No clear evidence that this mix changes through the day; the fitted scenario takes it by band all the same (<code>--bands always</code>)",
                (false, false) => "No clear evidence that this mix changes through the day",
            },
            h.chi_squared,
            h.df,
            h.p_value
        );
    }
}

/// 5. Mixes.
fn mixes(f: &FitFolder) -> Section {
    let e = &f.summary.evidence;
    let mut html = String::from(
        "<p>The fitted grade, category and ward mixes are the log's shares (ward weights are a ward's share times the number of wards). \
         The intervals (Wilson, 95%) say how well the log pins each share down. \
         Each mix is also split into four bands of the day (six hours each, from midnight) and tested for change through the day \
         (Pearson's chi-squared test of homogeneity). Where the test finds a change (p < 0.001; or always, or never, as the fit was told with <code>--bands</code>) \
         the fitted scenario takes the mix band by band; otherwise one mix for the whole day.</p>",
    );
    for m in &e.mixes {
        mix_table(&mut html, m);
    }
    Section {
        heading: "Grades, categories and wards".into(),
        html,
        charts: Vec::new(),
    }
}
