//! CSV files beside a scenario: hour-of-week profiles and empirical duration values. Errors
//! name the CSV file, its line and the column.

use crate::error::InputError;
use crate::time::{Duration, UNITS};
use std::path::Path;

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, InputError> {
    crate::scenario::input::check_file(path, crate::scenario::input::MAX_SIDE_FILE_BYTES).map_err(
        |why| {
            InputError::new(
                path.display().to_string(),
                "",
                format!("cannot read the file: {why}"),
            )
        },
    )?;
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        // Rows of the wrong length are reported by `records`, in the project's words.
        .flexible(true)
        .from_path(path)
        .map_err(|e| {
            InputError::new(
                path.display().to_string(),
                "",
                format!("cannot read the file: {e}"),
            )
        })
}

fn err(path: &Path, line: u64, field: &str, msg: impl Into<String>) -> InputError {
    InputError::new(path.display().to_string(), field, msg).at(line as usize, 1)
}

/// An error in a row, placed at the column of its field (1-based; 1 if the header lacks it).
fn err_in(
    path: &Path,
    headers: &csv::StringRecord,
    line: u64,
    field: &str,
    msg: impl Into<String>,
) -> InputError {
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case(field))
        .map_or(1, |c| c + 1);
    InputError::new(path.display().to_string(), field, msg).at(line as usize, column)
}

fn records(
    path: &Path,
    reader: &mut csv::Reader<std::fs::File>,
) -> Result<Vec<(u64, csv::StringRecord)>, InputError> {
    let header = reader.headers().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(path, line, "", format!("not a valid CSV row: {e}"))
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != header.len() {
            let names: Vec<&str> = header.iter().collect();
            return Err(InputError::new(
                path.display().to_string(),
                "",
                format!(
                    "the row has {} cell(s) but the header has {} ({}): every row needs a cell for each column",
                    rec.len(),
                    header.len(),
                    names.join(",")
                ),
            )
            .at(line as usize, rec.len().min(header.len()) + 1));
        }
        out.push((line, rec));
    }
    Ok(out)
}

/// A weight: a number from 0 to [`MAX_WEIGHT`](crate::scenario::validate::MAX_WEIGHT).
fn number(path: &Path, line: u64, field: &str, text: &str) -> Result<f64, InputError> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=crate::scenario::validate::MAX_WEIGHT).contains(&v) => {
            Ok(v)
        }
        _ => Err(err(
            path,
            line,
            field,
            format!("\"{text}\" is not a number from 0 to 1e12"),
        )),
    }
}

const DAY_COLUMNS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Reads 168 hour-of-week weights. Two layouts are accepted:
/// - a column `weight` with 168 rows, hour of week 0 (Monday 00:00) first (other columns, such
///   as `hour_of_week`, are ignored);
/// - columns `hour,mon,tue,wed,thu,fri,sat,sun` with 24 rows, one per hour of the day.
pub fn read_profile(path: &Path) -> Result<Vec<f64>, InputError> {
    let mut reader = open(path)?;
    let headers = reader
        .headers()
        .map_err(|e| err(path, 1, "", format!("cannot read the header: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let rows = records(path, &mut reader)?;
    let day_cols: Option<Vec<usize>> = DAY_COLUMNS.iter().map(|d| col(d)).collect();
    let mut weights;
    if let Some(day_cols) = day_cols {
        if rows.len() != 24 {
            return Err(err(
                path,
                1,
                "hour",
                format!(
                    "a table with day columns needs 24 rows, one per hour (got {})",
                    rows.len()
                ),
            ));
        }
        let Some(hour_col) = col("hour") else {
            return Err(err(
                path,
                1,
                "hour",
                "a table with day columns needs an `hour` column (0 to 23)",
            ));
        };
        weights = vec![0.0; 168];
        let mut seen = [false; 24];
        for (line, rec) in &rows {
            let text = rec.get(hour_col).unwrap_or("");
            let h = match text.parse::<usize>() {
                Ok(h) if h < 24 && !seen[h] => h,
                Ok(h) if h < 24 => {
                    return Err(err(
                        path,
                        *line,
                        "hour",
                        format!("hour {h} appears twice; give each hour 0 to 23 once"),
                    ));
                }
                _ => {
                    return Err(err(
                        path,
                        *line,
                        "hour",
                        format!("\"{text}\" is not an hour from 0 to 23"),
                    ));
                }
            };
            seen[h] = true;
            for (d, &c) in day_cols.iter().enumerate() {
                let text = rec.get(c).unwrap_or("");
                weights[d * 24 + h] = number(path, *line, DAY_COLUMNS[d], text)?;
            }
        }
    } else if let Some(c) = col("weight") {
        if rows.len() != 168 {
            return Err(err(
                path,
                1,
                "weight",
                format!(
                    "the weight column needs 168 rows, one per hour of the week (got {})",
                    rows.len()
                ),
            ));
        }
        weights = Vec::with_capacity(168);
        for (line, rec) in &rows {
            weights.push(number(path, *line, "weight", rec.get(c).unwrap_or(""))?);
        }
    } else {
        return Err(err(
            path,
            1,
            "",
            "the header must name a `weight` column, or `hour,mon,tue,wed,thu,fri,sat,sun`",
        ));
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(err(
            path,
            1,
            "weight",
            "at least one weight must be greater than 0",
        ));
    }
    Ok(weights)
}

/// Reads duration values from `column` (default: the first column). Values may carry their unit
/// ("245s"); bare numbers take `unit`, which must then be given.
pub fn read_durations(
    path: &Path,
    column: Option<&str>,
    unit: Option<&str>,
) -> Result<Vec<Duration>, InputError> {
    let mut reader = open(path)?;
    let headers = reader
        .headers()
        .map_err(|e| err(path, 1, "", format!("cannot read the header: {e}")))?
        .clone();
    let (c, name) = match column {
        Some(name) => match headers.iter().position(|h| h == name) {
            Some(c) => (c, name.to_string()),
            None => {
                return Err(err(
                    path,
                    1,
                    name,
                    format!("no column named \"{name}\" in the header"),
                ));
            }
        },
        None => (0, headers.get(0).unwrap_or("").to_string()),
    };
    let factor = match unit {
        Some(u) => Some(
            UNITS
                .iter()
                .find(|(n, _)| *n == u)
                .map(|(_, f)| *f)
                .ok_or_else(|| {
                    InputError::new(
                        path.display().to_string(),
                        "unit",
                        format!("unknown unit \"{u}\"; allowed: ms, s, min, h, d, w"),
                    )
                })?,
        ),
        None => None,
    };
    let mut out = Vec::new();
    for (line, rec) in records(path, &mut reader)? {
        let text = rec.get(c).unwrap_or("");
        let value = match (text.parse::<f64>(), factor) {
            (Ok(v), Some(f)) => crate::time::checked_duration(v, f)
                .map_err(|why| err_in(path, &headers, line, &name, format!("\"{text}\" {why}")))?,
            (Ok(v), None) if v.is_finite() => {
                return Err(err(
                    path,
                    line,
                    &name,
                    format!("\"{text}\" has no unit; write it with one (\"245s\") or give `unit`"),
                ));
            }
            _ => text
                .parse::<Duration>()
                .map_err(|e| err_in(path, &headers, line, &name, e))?,
        };
        out.push(value);
    }
    if out.is_empty() {
        return Err(err(path, 1, &name, "the file has no values"));
    }
    Ok(out)
}

/// Opens a CSV file and finds its required columns: (reader, header, the required columns'
/// positions in the order given).
fn open_with_columns(
    path: &Path,
    required: &[&str],
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord, Vec<usize>), InputError> {
    let mut reader = open(path)?;
    let headers = reader
        .headers()
        .map_err(|e| err(path, 1, "", format!("cannot read the header: {e}")))?
        .clone();
    let mut cols = Vec::new();
    for name in required {
        match headers.iter().position(|h| h == *name) {
            Some(c) => cols.push(c),
            None => {
                let needed = required.join(",");
                return Err(err(
                    path,
                    1,
                    name,
                    format!("the header has no `{name}` column (needed: {needed})"),
                ));
            }
        }
    }
    Ok((reader, headers, cols))
}

/// Where each ward of a wards file was read: so that a problem found later (an unknown sector,
/// a bad type) is named at the CSV file's line and column, not the scenario's.
pub struct WardRows {
    path: std::path::PathBuf,
    headers: csv::StringRecord,
    lines: Vec<u64>,
}

impl WardRows {
    /// An error in ward `i`'s `field`, at its line and column of the CSV file.
    pub fn err(&self, i: usize, field: &str, msg: impl Into<String>) -> InputError {
        let line = self.lines.get(i).copied().unwrap_or(1);
        err_in(&self.path, &self.headers, line, field, msg)
    }
}

/// Reads wards from a CSV file with columns `name,type,area_km2,x,y,sector` and optional
/// `weight_emergency,weight_non_emergency`.
pub fn read_wards(path: &Path) -> Result<Vec<crate::scenario::file::WardFile>, InputError> {
    read_wards_located(path).map(|(w, _)| w)
}

/// As [`read_wards`], and where each ward was read.
pub fn read_wards_located(
    path: &Path,
) -> Result<(Vec<crate::scenario::file::WardFile>, WardRows), InputError> {
    use crate::scenario::file::{ChannelWeightsFile, WardFile};
    let (mut reader, headers, cols) =
        open_with_columns(path, &["name", "type", "area_km2", "x", "y", "sector"])?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (we, wn) = (col("weight_emergency"), col("weight_non_emergency"));
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for (line, rec) in records(path, &mut reader)? {
        lines.push(line);
        let get = |c: usize| rec.get(c).unwrap_or("").to_string();
        let num = |c: usize, field: &str| -> Result<f64, InputError> {
            let t = get(c);
            t.parse::<f64>().map_err(|_| {
                err_in(
                    path,
                    &headers,
                    line,
                    field,
                    format!("\"{t}\" is not a number"),
                )
            })
        };
        let weight = |c: Option<usize>, field: &str| -> Result<Option<f64>, InputError> {
            c.map(|c| num(c, field)).transpose()
        };
        out.push(WardFile {
            name: get(cols[0]),
            kind: get(cols[1]),
            area_km2: Some(num(cols[2], "area_km2")?),
            shape: None,
            x: num(cols[3], "x")?,
            y: num(cols[4], "y")?,
            sector: get(cols[5]),
            demand: Some(ChannelWeightsFile {
                emergency: weight(we, "weight_emergency")?,
                non_emergency: weight(wn, "weight_non_emergency")?,
            }),
            grading: None,
        });
    }
    if out.is_empty() {
        return Err(err(path, 1, "name", "the file has no wards"));
    }
    let rows = WardRows {
        path: path.to_path_buf(),
        headers,
        lines,
    };
    Ok((out, rows))
}

/// One row of a CSV file, with what its errors need to name the file, line and column.
struct Row<'a> {
    path: &'a Path,
    headers: &'a csv::StringRecord,
    line: u64,
    rec: csv::StringRecord,
}

impl Row<'_> {
    fn text(&self, c: usize) -> String {
        self.rec.get(c).unwrap_or("").to_string()
    }

    fn err(&self, field: &str, msg: impl Into<String>) -> InputError {
        err_in(self.path, self.headers, self.line, field, msg)
    }

    /// A cell parsed by its type's `FromStr` (durations, times of day).
    fn parse<T: std::str::FromStr<Err = String>>(
        &self,
        c: usize,
        field: &str,
    ) -> Result<T, InputError> {
        self.text(c).parse().map_err(|e| self.err(field, e))
    }

    fn whole(&self, c: usize, field: &str) -> Result<i64, InputError> {
        let t = self.text(c);
        t.parse()
            .map_err(|_| self.err(field, format!("\"{t}\" is not a whole number")))
    }

    /// An optional column's cell: None when the column or the cell is empty.
    fn optional<T>(
        &self,
        c: Option<usize>,
        read: impl Fn(usize) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        c.filter(|&c| !self.text(c).is_empty())
            .map(read)
            .transpose()
    }

    /// Day names separated by spaces ("mon tue", "weekdays"); None for every day.
    fn days(&self, c: Option<usize>) -> Option<Vec<String>> {
        c.map(|c| {
            self.text(c)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|d| !d.is_empty())
    }
}

/// The rows of a CSV file opened with its required columns.
fn rows<'a>(
    path: &'a Path,
    reader: &mut csv::Reader<std::fs::File>,
    headers: &'a csv::StringRecord,
) -> Result<Vec<Row<'a>>, InputError> {
    Ok(records(path, reader)?
        .into_iter()
        .map(|(line, rec)| Row {
            path,
            headers,
            line,
            rec,
        })
        .collect())
}

/// Reads response-unit shifts from a CSV file: columns `sector,start,length,count` and optional
/// `name`, `days` (names separated by spaces, e.g. "mon tue" or "weekdays"; default every day)
/// and `crew`. Returns each row with its line.
pub fn read_unit_shifts(
    path: &Path,
) -> Result<Vec<(u64, crate::scenario::file::UnitShiftFile)>, InputError> {
    use crate::scenario::file::UnitShiftFile;
    let (mut reader, headers, need) =
        open_with_columns(path, &["sector", "start", "length", "count"])?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (name_col, days_col, crew_col) = (col("name"), col("days"), col("crew"));
    let mut out = Vec::new();
    for row in rows(path, &mut reader, &headers)? {
        let shift = UnitShiftFile {
            sector: row.text(need[0]),
            name: name_col.map(|c| row.text(c)).filter(|n| !n.is_empty()),
            start: row.parse(need[1], "start")?,
            length: row.parse(need[2], "length")?,
            days: row.days(days_col),
            count: row.whole(need[3], "count")?,
            crew: row.optional(crew_col, |c| row.whole(c, "crew"))?,
        };
        out.push((row.line, shift));
    }
    Ok(out)
}

/// Reads call-handler shifts from a CSV file: columns `start,length,count` and optional `name`,
/// `days` (as for unit shifts), `dedicated_999`, and one break a row as `break_after`,
/// `break_length` and `break_stagger`. Returns each row with its line.
pub fn read_handler_shifts(
    path: &Path,
) -> Result<Vec<(u64, crate::scenario::file::ShiftFile)>, InputError> {
    use crate::scenario::file::{BreakFile, ShiftFile};
    let (mut reader, headers, need) = open_with_columns(path, &["start", "length", "count"])?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (name_col, days_col, dedicated_col) = (col("name"), col("days"), col("dedicated_999"));
    let (after_col, break_col, stagger_col) = (
        col("break_after"),
        col("break_length"),
        col("break_stagger"),
    );
    let mut out = Vec::new();
    for row in rows(path, &mut reader, &headers)? {
        let duration =
            |c: Option<usize>, field: &str| row.optional(c, |c| row.parse::<Duration>(c, field));
        let breaks = match (
            duration(after_col, "break_after")?,
            duration(break_col, "break_length")?,
        ) {
            (Some(after), Some(length)) => vec![BreakFile {
                after,
                length,
                stagger: duration(stagger_col, "break_stagger")?,
            }],
            (None, None) => Vec::new(),
            _ => {
                return Err(row.err(
                    "break_after",
                    "give both break_after and break_length, or neither",
                ));
            }
        };
        let shift = ShiftFile {
            name: name_col.map(|c| row.text(c)).filter(|n| !n.is_empty()),
            start: row.parse(need[0], "start")?,
            length: row.parse(need[1], "length")?,
            days: row.days(days_col),
            count: row.whole(need[2], "count")?,
            dedicated_999: row.optional(dedicated_col, |c| row.whole(c, "dedicated_999"))?,
            breaks,
        };
        out.push((row.line, shift));
    }
    Ok(out)
}

/// One row of a map's attributes file: what it says of the ward with its code.
#[derive(Clone, Debug)]
pub struct WardAttributes {
    pub line: u64,
    pub code: String,
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub weights: [Option<f64>; 2],
}

/// Reads a map's attributes file: column `code` and any of `type`, `sector`,
/// `weight_emergency`, `weight_non_emergency` (an empty cell leaves the map's property). A code
/// given twice is an error at its second line.
pub fn read_ward_attributes(path: &Path) -> Result<Vec<WardAttributes>, InputError> {
    let (mut reader, headers, need) = open_with_columns(path, &["code"])?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (kind, sector) = (col("type"), col("sector"));
    let weights = [col("weight_emergency"), col("weight_non_emergency")];
    let mut out: Vec<WardAttributes> = Vec::new();
    for row in rows(path, &mut reader, &headers)? {
        let code = row.text(need[0]);
        if let Some(first) = out.iter().find(|a| a.code == code) {
            return Err(row.err(
                "code",
                format!(
                    "ward code \"{code}\" is given twice (lines {} and {})",
                    first.line, row.line
                ),
            ));
        }
        let cell = |c: Option<usize>| c.map(|c| row.text(c)).filter(|t| !t.is_empty());
        let mut w = [None, None];
        for (k, field) in ["weight_emergency", "weight_non_emergency"]
            .iter()
            .enumerate()
        {
            w[k] = row.optional(weights[k], |c| {
                let t = row.text(c);
                t.parse::<f64>()
                    .map_err(|_| row.err(field, format!("\"{t}\" is not a number")))
            })?;
        }
        out.push(WardAttributes {
            line: row.line,
            code,
            kind: cell(kind),
            sector: cell(sector),
            weights: w,
        });
    }
    Ok(out)
}

/// One row of a travel-time matrix.
#[derive(Clone, Debug)]
pub struct TravelRow {
    pub line: u64,
    pub from: String,
    pub to: String,
    pub minutes: f64,
    /// The hour band the time is for (the `band` column), when the file has one.
    pub band: Option<String>,
}

/// Reads a travel-time matrix: columns `from`, `to`, `minutes` and, for times by hour band, `band`.
/// Every cell that is not a number is reported, each at its line. Returns the rows and whether
/// the file has a `band` column.
pub fn read_travel_matrix(path: &Path) -> Result<(Vec<TravelRow>, bool), Vec<InputError>> {
    let (mut reader, headers, need) =
        open_with_columns(path, &["from", "to", "minutes"]).map_err(|e| vec![e])?;
    let band_col = headers.iter().position(|h| h == "band");
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in rows(path, &mut reader, &headers).map_err(|e| vec![e])? {
        let t = row.text(need[2]);
        match t.parse::<f64>() {
            Ok(minutes) => out.push(TravelRow {
                line: row.line,
                from: row.text(need[0]),
                to: row.text(need[1]),
                minutes,
                band: band_col.map(|c| row.text(c)),
            }),
            Err(_) => errors.push(row.err("minutes", format!("\"{t}\" is not a number"))),
        }
    }
    if errors.is_empty() {
        Ok((out, band_col.is_some()))
    } else {
        Err(errors)
    }
}

/// A candidate base site (`optimise --sites`): a row of `sector,name,x,y[,cost_per_week]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteRow {
    pub line: u64,
    pub sector: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
    /// What keeping the site open costs a week, in the scenario's cost unit (0 when not given).
    pub cost_per_week: f64,
}

/// Reads a file of candidate base sites: the rows that read, and every bad row's problems (the
/// first 100), so that what is wrong with the good rows can be reported with them.
pub fn sites(path: &Path) -> (Vec<SiteRow>, Vec<InputError>) {
    let opened = open_with_columns(path, &["sector", "name", "x", "y"]).and_then(
        |(mut reader, headers, cols)| records(path, &mut reader).map(|rows| (headers, cols, rows)),
    );
    let (headers, cols, rows) = match opened {
        Ok(o) => o,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let cost_col = headers.iter().position(|h| h == "cost_per_week");
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, rec) in rows {
        let cell = |c: usize| rec.get(c).unwrap_or("").to_string();
        let coord = |field: &str, c: usize| -> Result<f64, InputError> {
            let t = cell(c);
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= 1e6)
                .ok_or_else(|| {
                    err_in(
                        path,
                        &headers,
                        line,
                        field,
                        format!("\"{t}\" is not a number of km from -1e6 to 1e6"),
                    )
                })
        };
        let x = coord("x", cols[2]);
        let y = coord("y", cols[3]);
        let cost = match cost_col.map(cell).filter(|t| !t.is_empty()) {
            None => Ok(0.0),
            Some(t) => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (0.0..=1e9).contains(v))
                .ok_or_else(|| {
                    err_in(
                        path,
                        &headers,
                        line,
                        "cost_per_week",
                        format!("\"{t}\" is not a weekly cost from 0 to 1e9"),
                    )
                }),
        };
        let (sector, name) = (cell(cols[0]), cell(cols[1]));
        if name.is_empty() {
            errors.push(err_in(path, &headers, line, "name", "a site needs a name"));
        }
        match (x, y, cost) {
            (Ok(x), Ok(y), Ok(cost_per_week)) => out.push(SiteRow {
                line,
                sector,
                name,
                x,
                y,
                cost_per_week,
            }),
            (x, y, cost) => errors.extend([x.err(), y.err(), cost.err()].into_iter().flatten()),
        }
        if errors.len() >= 100 {
            break;
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(err(path, 1, "", "the file has no sites"));
    }
    (out, errors)
}
