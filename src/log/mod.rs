//! A force's own call log, read a row at a time (`pledgesim fit`).
//!
//! The format is CSV with a header; a column mapping (a small TOML file) renames a force's
//! own columns and values to the ones below, and names the time zone. The records file that
//! `run --records` writes (calls.csv, calls.csv.gz) is read as a log as it is: its header is
//! recognised and its civil times are read on the simulation's calendar.
//!
//! Reading streams: memory holds the current row, the fit's fixed tables and the set of ids
//! seen (for the duplicate check), never the rows. Every problem of the file is collected and
//! reported at once; rows that a real log has and the fit cannot use are counted, by reason,
//! never dropped silently.

mod zone;

pub use zone::{Civil, LENGTH_HELP, STAMP_HELP, Stamp, Zone, parse_civil, parse_length};

use crate::error::{Error, InputError, MAX_LISTED};
use crate::scenario::ChannelKind;
use crate::scenario::response::{CATEGORIES, GRADES};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// The log's columns, as the fit names them.
pub const COLUMNS: [&str; 18] = [
    "id",
    "arrival",
    "channel",
    "caller",
    "silent",
    "ward",
    "grade",
    "category",
    "answered",
    "abandoned",
    "handling_end",
    "handling",
    "created",
    "dispatched",
    "unit_arrived",
    "cleared",
    "on_scene",
    "units",
];

/// The columns every log must have.
const REQUIRED: [&str; 3] = ["id", "arrival", "channel"];

/// The times of a row after the arrival, in the order of [`Row::times`].
pub const TIMES: [&str; 7] = [
    "answered",
    "abandoned",
    "handling_end",
    "created",
    "dispatched",
    "unit_arrived",
    "cleared",
];

/// The mapping file: how a force's log names its columns and values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    /// An IANA time zone, or "simulation".
    pub time_zone: Option<String>,
    /// "arrival" (rows in order of arrival) or "any".
    pub order: Option<String>,
    /// The fit's column name = the log's column name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The log's ward code = the scenario's ward name.
    #[serde(default)]
    pub wards: BTreeMap<String, String>,
    /// The log's channel value = `999` or `non-emergency`.
    #[serde(default)]
    pub channels: BTreeMap<String, String>,
    /// The log's grade = I, S, E or R.
    #[serde(default)]
    pub grades: BTreeMap<String, String>,
    /// The log's category = a scenario category.
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
}

/// How to read a log.
#[derive(Debug)]
pub struct Mapping {
    pub zone: Option<Zone>,
    pub ordered: Option<bool>,
    pub columns: BTreeMap<String, String>,
    pub wards: BTreeMap<String, String>,
    pub channels: BTreeMap<String, String>,
    pub grades: BTreeMap<String, String>,
    pub categories: BTreeMap<String, String>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping::from_file(MappingFile::default(), "").expect("the empty mapping is valid")
    }
}

impl Mapping {
    /// Reads a mapping file; every problem at once.
    pub fn load(path: &Path) -> Result<Mapping, Error> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::from(InputError::new(&label, "", format!("cannot read it: {e}")))
        })?;
        let file: MappingFile = toml::from_str(&text).map_err(|e| {
            let mut err = InputError::new(&label, "", e.message().to_string());
            if let Some(span) = e.span() {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                err = err.at(line, col);
            }
            Error::from(err)
        })?;
        Mapping::from_file(file, &label).map_err(Error::Input)
    }

    fn from_file(f: MappingFile, label: &str) -> Result<Mapping, Vec<InputError>> {
        let mut errors = Vec::new();
        let zone = match f.time_zone.as_deref().map(Zone::named) {
            None => None,
            Some(Ok(z)) => Some(z),
            Some(Err(why)) => {
                errors.push(InputError::new(label, "time_zone", why));
                None
            }
        };
        let ordered = match f.order.as_deref() {
            None => None,
            Some("arrival") => Some(true),
            Some("any") => Some(false),
            Some(o) => {
                errors.push(InputError::new(
                    label,
                    "order",
                    format!("\"{o}\" is not an order: write \"arrival\" or \"any\""),
                ));
                None
            }
        };
        for k in f.columns.keys() {
            if !COLUMNS.contains(&k.as_str()) {
                errors.push(InputError::new(
                    label,
                    format!("columns.{k}"),
                    format!("is not a column of the log: one of {}", COLUMNS.join(", ")),
                ));
            }
        }
        let check = |errors: &mut Vec<InputError>,
                     table: &str,
                     m: &BTreeMap<String, String>,
                     allowed: &[&str]| {
            for (k, v) in m {
                if !allowed.contains(&v.as_str()) {
                    errors.push(InputError::new(
                        label,
                        format!("{table}.\"{k}\""),
                        format!("\"{v}\" is not one of {}", allowed.join(", ")),
                    ));
                }
            }
        };
        check(
            &mut errors,
            "channels",
            &f.channels,
            &["999", "non-emergency"],
        );
        check(&mut errors, "grades", &f.grades, &GRADES);
        check(&mut errors, "categories", &f.categories, &CATEGORIES);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Mapping {
            zone,
            ordered,
            columns: f.columns,
            wards: f.wards,
            channels: f.channels,
            grades: f.grades,
            categories: f.categories,
        })
    }
}

/// One row of a log, read and checked.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: u64,
    /// The replication of a records file (0 for a force's log).
    pub replication: u32,
    pub channel: ChannelKind,
    /// A first attempt (no `caller`, or the caller is the row's own id); a redial is not.
    pub first: bool,
    /// A hash of the caller's id (the row's own id for a first attempt): the same for every
    /// attempt of one caller, to join a redial to its first attempt.
    pub caller_key: u64,
    pub silent: bool,
    /// The ward's index in the scenario's wards.
    pub ward: Option<usize>,
    pub grade: Option<usize>,
    pub category: Option<usize>,
    pub arrival: Stamp,
    /// answered, abandoned, handling_end, created, dispatched, unit_arrived, cleared.
    pub times: [Option<Stamp>; 7],
    /// Handling time in milliseconds: the column, or the handling end less the answer.
    pub handling: Option<u64>,
    /// Time on scene in milliseconds: the column, or the clearance less the unit's arrival
    /// for an incident with one dispatch.
    pub on_scene: Option<u64>,
}

impl Row {
    pub fn time(&self, name: &str) -> Option<Stamp> {
        TIMES
            .iter()
            .position(|t| *t == name)
            .and_then(|i| self.times[i])
    }
}

/// What reading found, besides the rows.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub rows: u64,
    /// Replications of a records file (1 for a force's log).
    pub replications: u32,
    /// The first and last arrival's civil day (days from 1970-01-01).
    pub first_day: i64,
    pub last_day: i64,
    pub zone: String,
    /// A records file of `run --records`.
    pub records: bool,
}

/// Where each column is, and what the log calls it.
struct Layout {
    index: HashMap<&'static str, usize>,
    names: HashMap<&'static str, String>,
    replication: Option<usize>,
    units_col: Option<usize>,
}

/// The names a records file gives the fit's columns.
fn records_name(c: &str) -> Option<String> {
    match c {
        "id" => Some("call".into()),
        "arrival" => Some("arrival_time".into()),
        "handling" | "on_scene" => None,
        c if TIMES.contains(&c) => Some(format!("{c}_time")),
        c => Some(c.into()),
    }
}

/// Reads the log at `path`, handing each good row to `visit`. `wards` are the scenario's ward
/// names (none: the log's wards are not read). Any bad row makes the whole read fail, with every problem listed (and `visit`'s
/// work to be thrown away).
pub fn read(
    path: &Path,
    mapping: &Mapping,
    wards: &[String],
    mut visit: impl FnMut(&Row),
) -> Result<Summary, Error> {
    let label = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| Error::from(InputError::new(&label, "", format!("cannot read it: {e}"))))?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    let input: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(file)
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let header = reader
        .byte_headers()
        .map_err(|e| {
            Error::from(InputError::new(
                &label,
                "",
                format!("cannot read its header: {e}"),
            ))
        })?
        .clone();
    let head: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let records = ["replication", "call", "arrival_ms", "arrival_time"]
        .iter()
        .all(|c| head.iter().any(|h| h == c));
    let layout = layout(&head, mapping, records, &label)?;
    let zone = match (&mapping.zone, records) {
        (Some(z), _) => z.clone(),
        (None, true) => Zone::Simulation,
        (None, false) => Zone::named("Europe/London").expect("the tz database has Europe/London"),
    };
    let ordered = mapping.ordered.unwrap_or(!records);
    let ward_index: HashMap<&str, usize> = wards
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();

    let mut problems = Problems::new(&label);
    let mut summary = Summary {
        replications: 0,
        first_day: i64::MAX,
        last_day: i64::MIN,
        zone: zone.name().to_string(),
        records,
        ..Summary::default()
    };
    let mut ids_num: HashSet<(u32, u64)> = HashSet::new();
    let mut ids_text: HashSet<(u32, Box<str>)> = HashSet::new();
    let mut last: Option<(u32, i64, u64)> = None;
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(
                    InputError::new(&label, "", format!("is not valid CSV: {e}"))
                        .at(line.max(1), 1),
                );
                break;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        summary.rows += 1;
        let before = problems.total;
        let err = |problems: &mut Problems, col: &'static str, msg: String| {
            let at = layout.index.get(col).map_or(1, |i| i + 1);
            let name = layout
                .names
                .get(col)
                .cloned()
                .unwrap_or_else(|| col.to_string());
            problems.push(InputError::new(&label, name, msg).at(line as usize, at));
        };
        let cell = |c: &str| -> &str {
            layout
                .index
                .get(c)
                .and_then(|&i| rec.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or("", str::trim)
        };
        // The replication (records only).
        let replication = match layout.replication.and_then(|i| rec.get(i)) {
            None => 0,
            Some(b) => match std::str::from_utf8(b)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
            {
                Some(r) => r,
                None => {
                    err(
                        &mut problems,
                        "id",
                        "its replication is not a whole number".into(),
                    );
                    continue;
                }
            },
        };
        // The id, once per replication.
        let id = cell("id");
        if id.is_empty() {
            err(
                &mut problems,
                "id",
                "is empty: every row needs its own id".into(),
            );
        } else {
            let fresh = match id.parse::<u64>() {
                Ok(n) => ids_num.insert((replication, n)),
                Err(_) => ids_text.insert((replication, id.into())),
            };
            if !fresh {
                err(
                    &mut problems,
                    "id",
                    format!("\"{id}\" is a duplicate: an earlier row has the same id"),
                );
            }
        }
        // The arrival and the times after it.
        let stamp = |problems: &mut Problems,
                     err: &dyn Fn(&mut Problems, &'static str, String),
                     c: &'static str|
         -> Option<Stamp> {
            let text = cell(c);
            if text.is_empty() {
                return None;
            }
            match parse_civil(text)
                .and_then(|civ| zone.stamp(civ).map_err(|why| format!("\"{text}\" {why}")))
            {
                Ok(s) => Some(s),
                Err(why) => {
                    err(problems, c, why);
                    None
                }
            }
        };
        let arrival = stamp(&mut problems, &err, "arrival");
        if cell("arrival").is_empty() {
            err(
                &mut problems,
                "arrival",
                "is empty: every row needs its arrival time".into(),
            );
        }
        let mut times = [None; 7];
        for (i, t) in TIMES.iter().enumerate() {
            times[i] = stamp(&mut problems, &err, t);
        }
        // The times' order: arrival <= answer <= handling end, arrival <= hang-up, answer (or
        // hang-up) <= creation <= dispatch <= unit's arrival <= clearance.
        let [
            answered,
            abandoned,
            handling_end,
            created,
            dispatched,
            unit_arrived,
            cleared,
        ] = times;
        let pairs = [
            ("arrival", arrival, "answered", answered),
            ("arrival", arrival, "abandoned", abandoned),
            ("answered", answered, "handling_end", handling_end),
            ("answered", answered.or(abandoned), "created", created),
            ("created", created, "dispatched", dispatched),
            ("dispatched", dispatched, "unit_arrived", unit_arrived),
            ("unit_arrived", unit_arrived, "cleared", cleared),
        ];
        for (a_name, a, b_name, b) in pairs {
            if let (Some(a), Some(b)) = (a, b) {
                if b.instant < a.instant {
                    err(
                        &mut problems,
                        b_name,
                        format!(
                            "is {} before `{}`: a negative duration (a call's times are in the order arrival, answer, handling end; answer or hang-up, creation, dispatch, unit's arrival, clearance)",
                            minutes(a.instant - b.instant),
                            layout.names.get(a_name).map_or(a_name, |s| s.as_str())
                        ),
                    );
                }
            }
        }
        // Durations given as columns.
        let length = |problems: &mut Problems,
                      err: &dyn Fn(&mut Problems, &'static str, String),
                      c: &'static str|
         -> Option<u64> {
            let text = cell(c);
            if text.is_empty() {
                return None;
            }
            parse_length(text).map_err(|why| err(problems, c, why)).ok()
        };
        let handling_col = length(&mut problems, &err, "handling");
        let on_scene_col = length(&mut problems, &err, "on_scene");
        // Values.
        let channel = match value(cell("channel"), &mapping.channels).as_str() {
            "999" | "emergency" => Some(ChannelKind::Emergency),
            "non-emergency" | "non_emergency" | "101" => Some(ChannelKind::NonEmergency),
            "" => {
                err(
                    &mut problems,
                    "channel",
                    "is empty: write 999 or non-emergency (or map the log's values in [channels])"
                        .into(),
                );
                None
            }
            v => {
                problems.unknown(
                    "channel",
                    &layout,
                    v,
                    line,
                    "999 or non-emergency (map the log's values in the mapping's [channels])",
                );
                None
            }
        };
        let silent = match cell("silent").to_ascii_lowercase().as_str() {
            "" | "false" | "0" | "no" => false,
            "true" | "1" | "yes" => true,
            v => {
                err(
                    &mut problems,
                    "silent",
                    format!("\"{v}\" is not true or false"),
                );
                false
            }
        };
        let caller = cell("caller");
        let first = caller.is_empty() || caller == id;
        let caller_key = key(if first { id } else { caller });
        // A base scenario without wards (no field side) takes no ward from the log.
        let ward = match cell("ward") {
            _ if wards.is_empty() => None,
            "" => None,
            w => {
                let name = mapping.wards.get(w).map_or(w, |s| s.as_str());
                match ward_index.get(name) {
                    Some(&i) => Some(i),
                    None => {
                        problems.unknown("ward", &layout, w, line, "a ward of the base scenario, by name, or a code mapped to one in the mapping's [wards]");
                        None
                    }
                }
            }
        };
        let coded = |problems: &mut Problems,
                     c: &'static str,
                     map: &BTreeMap<String, String>,
                     allowed: &[&str],
                     what: &str|
         -> Option<usize> {
            let v = value(cell(c), map);
            if v.is_empty() {
                return None;
            }
            let i = allowed.iter().position(|a| *a == v);
            if i.is_none() {
                problems.unknown(c, &layout, &v, line, what);
            }
            i
        };
        let grade = coded(
            &mut problems,
            "grade",
            &mapping.grades,
            &GRADES,
            "I, S, E or R (map the log's grades in the mapping's [grades])",
        );
        let category = coded(
            &mut problems,
            "category",
            &mapping.categories,
            &CATEGORIES,
            "a scenario category (map the log's in the mapping's [categories])",
        );
        let units = layout
            .units_col
            .and_then(|i| rec.get(i))
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let units: Option<u32> = match units {
            None => None,
            Some(u) => match u.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    err(
                        &mut problems,
                        "units",
                        format!("\"{u}\" is not a whole number"),
                    );
                    None
                }
            },
        };
        // Order: replications never go back; with `order = "arrival"`, nor do arrivals.
        if let Some(a) = arrival {
            if let Some((rep, prev, prev_line)) = last {
                if replication < rep {
                    err(
                        &mut problems,
                        "id",
                        format!(
                            "replication {replication} comes after replication {rep} (line {prev_line}): keep each replication's rows together, in order"
                        ),
                    );
                } else if ordered && replication == rep && a.instant < prev {
                    err(
                        &mut problems,
                        "arrival",
                        format!(
                            "is out of order: {} before the arrival on line {prev_line}; sort the log by arrival time (or write order = \"any\" in the mapping)",
                            minutes(prev - a.instant)
                        ),
                    );
                }
            }
            if last.is_none_or(|(rep, prev, _)| replication > rep || a.instant >= prev) {
                last = Some((replication, a.instant, line));
            }
        }
        let Some(arrival) = arrival else { continue };
        let Some(channel) = channel else { continue };
        if problems.total > before {
            continue;
        }
        let handling = handling_col.or_else(|| match (answered, handling_end) {
            (Some(a), Some(e)) => Some((e.instant - a.instant) as u64),
            _ => None,
        });
        let on_scene = on_scene_col.or_else(|| match (unit_arrived, cleared, units) {
            (Some(a), Some(c), Some(1) | None) => Some((c.instant - a.instant) as u64),
            _ => None,
        });
        summary.first_day = summary.first_day.min(arrival.days);
        summary.last_day = summary.last_day.max(arrival.days);
        summary.replications = summary.replications.max(replication + 1);
        visit(&Row {
            line,
            replication,
            channel,
            first,
            caller_key,
            silent,
            ward,
            grade,
            category,
            arrival,
            times,
            handling,
            on_scene,
        });
    }
    problems.finish()?;
    if summary.first_day > summary.last_day {
        return Err(InputError::new(&label, "", "has no rows").into());
    }
    Ok(summary)
}

/// A fixed hash of an id's text (FNV-1a), the same on every machine.
fn key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A log's value after the mapping.
fn value(cell: &str, map: &BTreeMap<String, String>) -> String {
    map.get(cell).cloned().unwrap_or_else(|| cell.to_string())
}

/// Milliseconds as minutes and seconds, for messages.
fn minutes(ms: i64) -> String {
    let s = ms.unsigned_abs() / 1000;
    if s >= 3600 {
        format!("{}h{:02}min{:02}s", s / 3600, (s % 3600) / 60, s % 60)
    } else {
        format!("{}min{:02}s", s / 60, s % 60)
    }
}

fn layout(head: &[String], mapping: &Mapping, records: bool, label: &str) -> Result<Layout, Error> {
    let mut index = HashMap::new();
    let mut names = HashMap::new();
    let mut errors = Vec::new();
    for c in COLUMNS {
        let name = match mapping.columns.get(c) {
            Some(n) => Some(n.clone()),
            None if records => records_name(c),
            None => Some(c.to_string()),
        };
        let Some(name) = name else { continue };
        match head.iter().position(|h| *h == name) {
            Some(i) => {
                index.insert(c, i);
            }
            None if REQUIRED.contains(&c) || mapping.columns.contains_key(c) => {
                errors.push(InputError::new(
                    label,
                    name.clone(),
                    format!(
                        "no such column in the header (the log's `{c}`; the header has {}); rename the log's own column in the mapping's [columns]",
                        head.join(", ")
                    ),
                ).at(1, 1));
            }
            None => {}
        }
        names.insert(c, name);
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let replication = if records {
        head.iter().position(|h| h == "replication")
    } else {
        None
    };
    let units_col = index.get("units").copied();
    Ok(Layout {
        index,
        names,
        replication,
        units_col,
    })
}

/// The problems of a log: listed up to a limit, then counted; unknown values listed once each.
struct Problems {
    label: String,
    listed: Vec<InputError>,
    more: u64,
    /// Every problem found, listed or not.
    total: u64,
    unknown: BTreeMap<(String, String), (u64, usize, u64, String)>,
}

impl Problems {
    fn new(label: &str) -> Self {
        Problems {
            label: label.to_string(),
            listed: Vec::new(),
            more: 0,
            total: 0,
            unknown: BTreeMap::new(),
        }
    }

    fn push(&mut self, e: InputError) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(e);
        } else {
            self.more += 1;
        }
    }

    /// A value that is not known: listed once, with its first line and how many rows have it.
    fn unknown(&mut self, col: &'static str, layout: &Layout, v: &str, line: u64, allowed: &str) {
        self.total += 1;
        let name = layout
            .names
            .get(col)
            .cloned()
            .unwrap_or_else(|| col.to_string());
        let at = layout.index.get(col).map_or(1, |i| i + 1);
        let key = (name, v.to_string());
        if let Some(e) = self.unknown.get_mut(&key) {
            e.2 += 1;
        } else if self.unknown.len() < MAX_LISTED {
            self.unknown.insert(key, (line, at, 1, allowed.to_string()));
        } else {
            self.more += 1;
        }
    }

    fn finish(self) -> Result<(), Error> {
        let mut all: Vec<InputError> = self
            .unknown
            .into_iter()
            .map(|((name, v), (line, at, n, allowed))| {
                InputError::new(
                    &self.label,
                    name,
                    format!("\"{v}\" is not known ({n} row(s), the first here): write {allowed}"),
                )
                .at(line as usize, at)
            })
            .collect();
        all.extend(self.listed);
        all.sort_by_key(|e| (e.line, e.column));
        if self.more > 0 {
            all.push(InputError::new(
                &self.label,
                "",
                format!("and {} more problem(s) not listed", self.more),
            ));
        }
        if all.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(all))
        }
    }
}
