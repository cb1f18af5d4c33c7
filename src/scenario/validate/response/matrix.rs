//! The travel-time matrix: every row names a known base or ward and a known ward, with a time
//! of at least 0 (and, with hour bands, a known band); the bands cover the day once; without
//! fallback, every pair is given (in every band).

use crate::error::InputError;
use crate::scenario::file::TravelMatrixFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{Sector, TravelBand, TravelMatrix, Ward};
use crate::scenario::validate::check::Check;
use crate::time::{MINUTE, TimeOfDay};

/// Missing pairs listed in an error before the rest are counted.
const LISTED: usize = 20;

/// Minutes in a day: bands are checked minute by minute ("HH:MM" has no finer step).
const DAY_MINUTES: u64 = 24 * 60;

/// The bands (none for one matrix), and whether they cover the day without overlap (each
/// problem reported); None (reported) when `bands` is an empty list.
fn bands(c: &mut Check, mp: &FieldPath, m: &TravelMatrixFile) -> Option<(Vec<TravelBand>, bool)> {
    let Some(list) = &m.bands else {
        return Some((Vec::new(), true));
    };
    let bp = mp.key("bands");
    if list.is_empty() {
        c.bad(
            &bp,
            "give at least one band, or leave `bands` out for one matrix for the whole day",
        );
        return None;
    }
    let mut ok = true;
    let out: Vec<TravelBand> = list
        .iter()
        .map(|b| TravelBand {
            name: b.name.clone(),
            start: b.start.0,
            end: b.end.0,
            minutes: Vec::new(),
        })
        .collect();
    for (i, b) in list.iter().enumerate() {
        if list[..i].iter().any(|o| o.name == b.name) {
            c.bad(
                &bp.index(i).key("name"),
                format!("band \"{}\" is named twice", b.name),
            );
            ok = false;
        }
    }
    let names: Vec<&str> = out.iter().map(|b| b.name.as_str()).collect();
    ok &= day_cover(c, &bp, &names, |k, ms| out[k].holds(ms), true);
    Some((out, ok))
}

/// Checks bands of the day minute by minute ("HH:MM" has no finer step): none may overlap and,
/// when `whole_day`, together they hold every minute (each problem reported with its times).
/// `holds(k, ms)`: whether band k holds `ms` after midnight.
pub(super) fn day_cover(
    c: &mut Check,
    bp: &FieldPath,
    names: &[&str],
    holds: impl Fn(usize, u64) -> bool,
    whole_day: bool,
) -> bool {
    let holding =
        |t: u64| -> Vec<usize> { (0..names.len()).filter(|&k| holds(k, t * MINUTE)).collect() };
    let at = |t: u64| TimeOfDay(t * MINUTE).to_string();
    let end = |t: u64| {
        if t == DAY_MINUTES {
            "24:00".to_string()
        } else {
            at(t)
        }
    };
    let mut ok = true;
    let mut gaps = Vec::new();
    let mut overlaps = Vec::new();
    let mut t = 0;
    while t < DAY_MINUTES {
        let h = holding(t);
        let mut u = t + 1;
        while u < DAY_MINUTES && holding(u) == h {
            u += 1;
        }
        if h.is_empty() {
            gaps.push(format!("{}-{}", at(t), end(u)));
        } else if h.len() > 1 {
            let these: Vec<&str> = h.iter().map(|&k| names[k]).collect();
            overlaps.push(format!("{}-{} ({})", at(t), end(u), these.join(", ")));
        }
        t = u;
    }
    if whole_day && !gaps.is_empty() {
        c.bad(bp, format!("the bands must cover the whole day; no band holds {} (a band runs from `start` up to `end`, across midnight when `end` is not after `start`)", gaps.join(", ")));
        ok = false;
    }
    if !overlaps.is_empty() {
        c.bad(
            bp,
            format!(
                "the bands must not overlap; more than one band holds {}",
                overlaps.join(", ")
            ),
        );
        ok = false;
    }
    ok
}

/// The matrix; None (reported) when it cannot be read or has errors.
pub(super) fn matrix(
    c: &mut Check,
    m: &TravelMatrixFile,
    wards: &[Ward],
    sectors: &[Sector],
) -> Option<TravelMatrix> {
    let mp = FieldPath::root().key("response").key("travel_matrix");
    let bands = bands(c, &mp, m);
    let path = c.csv_path(&mp.key("file"), &m.file)?;
    let (mut bands, bands_ok) = bands?;
    let (rows, has_band) = match crate::scenario::csv::read_travel_matrix(&path) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                c.external(e);
            }
            return None;
        }
    };
    let file = path.display().to_string();
    let at = |line: u64, field: &str, msg: String| {
        InputError::new(&file, field, msg).at(line as usize, 1)
    };
    let banded = !bands.is_empty();
    if banded && !has_band {
        c.external(at(1, "band", "the times are by hour band (`bands` in [response.travel_matrix]): give each row's band in a `band` column".to_string()));
        return None;
    }
    if !banded && has_band {
        c.external(at(1, "band", "the file has a `band` column but [response.travel_matrix] has no `bands`: declare them, as `bands = [{ name = \"day\", start = \"07:00\", end = \"19:00\" }, ...]`, or drop the column".to_string()));
        return None;
    }
    let band_names = bands
        .iter()
        .map(|b| b.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let ns = sectors.len();
    let nb = bands.len().max(1);
    let ward = |name: &str| wards.iter().position(|w| w.name == name);
    let sector = |name: &str| sectors.iter().position(|s| s.name == name);
    let mut minutes = vec![vec![vec![None; wards.len()]; ns + wards.len()]; nb];
    let mut line_of = vec![vec![vec![0u64; wards.len()]; ns + wards.len()]; nb];
    let mut ok = bands_ok;
    for r in &rows {
        let from = match (sector(&r.from), ward(&r.from)) {
            (Some(_), Some(_)) => {
                c.external(at(r.line, "from", format!("\"{}\" is both a sector and a ward: rename one so that the matrix can tell a base from a ward", r.from)));
                None
            }
            (Some(s), None) => Some(s),
            (None, Some(w)) => Some(ns + w),
            (None, None) => {
                c.external(at(
                    r.line,
                    "from",
                    format!(
                        "\"{}\" is neither a ward nor a sector (for its base)",
                        r.from
                    ),
                ));
                None
            }
        };
        let to = ward(&r.to);
        if to.is_none() {
            c.external(at(r.line, "to", format!("\"{}\" is not a ward", r.to)));
        }
        if !(r.minutes.is_finite() && r.minutes >= 0.0) {
            c.external(at(
                r.line,
                "minutes",
                format!(
                    "a drive time must be a number of minutes of at least 0 (got {})",
                    r.minutes
                ),
            ));
            ok = false;
        }
        let band = match &r.band {
            Some(name) if banded => {
                let b = bands.iter().position(|b| &b.name == name);
                if b.is_none() {
                    c.external(at(
                        r.line,
                        "band",
                        format!("\"{name}\" is not a band; the bands are {band_names}"),
                    ));
                }
                b
            }
            _ => Some(0),
        };
        let (Some(from), Some(to), Some(b)) = (from, to, band) else {
            ok = false;
            continue;
        };
        if minutes[b][from][to].is_some() {
            let within = if banded {
                format!(" in band \"{}\"", bands[b].name)
            } else {
                String::new()
            };
            c.external(at(
                r.line,
                "to",
                format!(
                    "the pair from \"{}\" to \"{}\" is given twice{within} (lines {} and {})",
                    r.from, r.to, line_of[b][from][to], r.line
                ),
            ));
            ok = false;
        }
        minutes[b][from][to] = Some(r.minutes);
        line_of[b][from][to] = r.line;
    }
    if !m.fallback.unwrap_or(false) {
        for (b, table) in minutes.iter().enumerate() {
            let mut missing = Vec::new();
            for (row, times) in table.iter().enumerate() {
                for (w, t) in times.iter().enumerate() {
                    if t.is_none() {
                        let from = if row < ns {
                            &sectors[row].name
                        } else {
                            &wards[row - ns].name
                        };
                        missing.push(format!("{from} -> {}", wards[w].name));
                    }
                }
            }
            if !missing.is_empty() {
                let n = missing.len();
                let more = if n > LISTED {
                    format!(" and {} more", n - LISTED)
                } else {
                    String::new()
                };
                missing.truncate(LISTED);
                let within = if banded {
                    format!("in band \"{}\", ", bands[b].name)
                } else {
                    String::new()
                };
                c.external(InputError::new(
                    &file,
                    "",
                    format!(
                        "{within}{n} pair(s) from a base (named by its sector) or a ward to a ward have no time: {}{more}; add them, or set `fallback = true` in [response.travel_matrix] to time them by distance and speed",
                        missing.join(", ")
                    ),
                ));
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    if banded {
        for (band, table) in bands.iter_mut().zip(minutes) {
            band.minutes = table;
        }
        Some(TravelMatrix {
            sectors: ns,
            minutes: Vec::new(),
            bands,
        })
    } else {
        let minutes = minutes.pop().expect("one matrix");
        Some(TravelMatrix {
            sectors: ns,
            minutes,
            bands,
        })
    }
}
