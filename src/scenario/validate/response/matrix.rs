//! The travel-time matrix: every row names a known base or ward and a known ward, with a time
//! of at least 0; without fallback, every pair is given.

use crate::error::InputError;
use crate::scenario::file::TravelMatrixFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{Sector, TravelMatrix, Ward};
use crate::scenario::validate::check::Check;

/// Missing pairs listed in an error before the rest are counted.
const LISTED: usize = 20;

/// The matrix; None (reported) when it cannot be read or has errors.
pub(super) fn matrix(
    c: &mut Check,
    m: &TravelMatrixFile,
    wards: &[Ward],
    sectors: &[Sector],
) -> Option<TravelMatrix> {
    let mp = FieldPath::root().key("response").key("travel_matrix");
    let path = c.csv_path(&mp.key("file"), &m.file)?;
    let rows = match crate::scenario::csv::read_travel_matrix(&path) {
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
    let ns = sectors.len();
    let ward = |name: &str| wards.iter().position(|w| w.name == name);
    let sector = |name: &str| sectors.iter().position(|s| s.name == name);
    let mut minutes = vec![vec![None; wards.len()]; ns + wards.len()];
    let mut line_of = vec![vec![0u64; wards.len()]; ns + wards.len()];
    let mut ok = true;
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
        let (Some(from), Some(to)) = (from, to) else {
            ok = false;
            continue;
        };
        if minutes[from][to].is_some() {
            c.external(at(
                r.line,
                "to",
                format!(
                    "the pair from \"{}\" to \"{}\" is given twice (lines {} and {})",
                    r.from, r.to, line_of[from][to], r.line
                ),
            ));
            ok = false;
        }
        minutes[from][to] = Some(r.minutes);
        line_of[from][to] = r.line;
    }
    if !m.fallback.unwrap_or(false) {
        let mut missing = Vec::new();
        for (row, times) in minutes.iter().enumerate() {
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
            c.external(InputError::new(
                &file,
                "",
                format!(
                    "{n} pair(s) from a base (named by its sector) or a ward to a ward have no time: {}{more}; add them, or set `fallback = true` in [response.travel_matrix] to time them by distance and speed",
                    missing.join(", ")
                ),
            ));
            ok = false;
        }
    }
    ok.then_some(TravelMatrix {
        sectors: ns,
        minutes,
    })
}
