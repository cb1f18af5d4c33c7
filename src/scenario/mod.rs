//! Scenarios: the raw file (`file`), the pledge presets (`presets`), validation into the typed
//! [`Scenario`] (`validate`) and mapping error paths back to lines (`locate`).
//!
//! Parse, validate once, then trust the types: the model only ever sees a [`Scenario`].

pub mod csv;
pub mod file;
pub mod input;
pub mod locate;
pub mod map;
pub mod neighbourhood;
pub mod officers;
pub mod overrides;
pub mod pay;
pub mod presets;
pub mod replay;
pub mod response;
pub mod shape;
mod validate;
pub use validate::MAX_REPLICATIONS;

use crate::error::{Error, InputError};
use crate::time::{Date, Duration, TimeOfDay};
pub use locate::{FieldPath, Format};
pub use presets::Target;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The built-in default scenario (scenarios/default.toml), embedded in the binary.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");
pub const DEFAULT_LABEL: &str = "scenarios/default.toml (built in)";

/// The two call channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Emergency,
    NonEmergency,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 2] = [ChannelKind::Emergency, ChannelKind::NonEmergency];
    pub fn index(self) -> usize {
        self as usize
    }
    /// The label used in outputs.
    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::Emergency => "999",
            ChannelKind::NonEmergency => "non-emergency",
        }
    }
    /// The answering target that applies to this channel.
    pub fn target_id(self) -> &'static str {
        match self {
            ChannelKind::Emergency => "T1",
            ChannelKind::NonEmergency => "T2",
        }
    }
    pub fn field(self) -> &'static str {
        match self {
            ChannelKind::Emergency => "emergency",
            ChannelKind::NonEmergency => "non_emergency",
        }
    }
}

/// A validated scenario: everything the model needs, with every default filled in.
#[derive(Clone, Debug, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub pledge: String,
    /// T1..T14 after the scenario's overrides.
    pub targets: Vec<Target>,
    pub run: RunSettings,
    /// Channels with demand, in the order 999, non-emergency.
    pub channels: Vec<Channel>,
    pub discipline: Discipline,
    pub callbacks: Option<Callbacks>,
    /// 999 calls passed to a partner control room, when the scenario has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overflow: Option<Overflow>,
    /// Handlers called in on overtime, when the scenario has it (and it is enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overtime: Option<Overtime>,
    /// Stages before the call-takers, when channels route through them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    pub handlers: HandlerRoster,
    /// The field side, when the scenario has one.
    pub response: Option<response::Response>,
    /// Days that working-day deadlines skip, besides weekends.
    pub bank_holidays: Vec<Date>,
    /// Neighbourhood teams, when the scenario has them.
    pub neighbourhood: Option<neighbourhood::Neighbourhood>,
    pub workgroups: Vec<neighbourhood::Workgroup>,
    pub followup: Vec<neighbourhood::Followup>,
    /// Officers' time beyond calls for service (duties, shrinkage, custody suites).
    #[serde(skip_serializing_if = "officers::Officers::is_empty")]
    pub officers: officers::Officers,
    /// A call log replayed in place of the channels' own arrivals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay: Option<replay::Replay>,
    /// Pay rates and contracted weeks by role, when the scenario gives `[pay]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay: Option<pay::Pay>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RunSettings {
    pub start: Date,
    /// Calls arrive from the start until the horizon (warm-up included).
    pub horizon: Duration,
    /// Calls arriving before this are simulated but not measured.
    pub warm_up: Duration,
    /// After the horizon the run drains for at most this long; calls still waiting then count as misses.
    pub drain_limit: Duration,
    pub replications: u32,
    /// A string of its digits in JSON, as every seed the outputs give (so the scenario's hash
    /// is of that form too).
    #[serde(serialize_with = "crate::rng::seed::serialize")]
    pub seed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Channel {
    pub kind: ChannelKind,
    pub arrivals: Arrivals,
    pub handling: Dist,
    /// None: callers never hang up.
    pub patience: Option<Dist>,
    /// For fixed calls: attributes given instead of drawn, in arrival order (empty otherwise).
    pub fixed: Vec<response::FixedCall>,
    /// Handling time by grade (I, S, E, R) where it differs from `handling`.
    #[serde(skip_serializing_if = "none_of")]
    pub handling_by_grade: [Option<Dist>; 4],
    /// Handling time by category, where given (before the grade's).
    #[serde(skip_serializing_if = "none_of")]
    pub handling_by_category: [Option<Dist>; 5],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redial: Option<Redial>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silent: Option<Silent>,
    /// The stages (indices into the scenario's) its calls pass through before the call-takers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<usize>,
    /// The place in `stages` where the caller's answer is measured (`stages.len()`: the
    /// call-takers).
    #[serde(skip_serializing_if = "is_zero_usize")]
    pub answered_at: usize,
}

fn is_zero_usize(x: &usize) -> bool {
    *x == 0
}

/// The most stages a channel may pass through.
pub const MAX_STAGES: usize = 4;

/// A stage of staged handling: a queue with its own staff.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub name: String,
    pub roster: HandlerRoster,
    pub handling: Dist,
    pub patience: Option<Dist>,
    /// The chance of going on to the next stage, by grade (I, S, E, R).
    pub transfer: [f64; 4],
    pub people: bool,
}

/// Settings added after a scenario's hash was first published are left out of the hash when
/// unset, so that an older scenario keeps its hash.
fn none_of<T>(v: &[Option<T>]) -> bool {
    v.iter().all(Option::is_none)
}

/// Callers who hang up and call again.
#[derive(Clone, Debug, Serialize)]
pub struct Redial {
    pub probability: f64,
    pub delay: Dist,
}

/// Silent and accidental 999 calls.
#[derive(Clone, Debug, Serialize)]
pub struct Silent {
    pub arrivals: Arrivals,
    pub handling: Dist,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Arrivals {
    /// A Poisson stream whose rate follows an hour-of-week profile and monthly factors.
    Profile {
        calls_per_week: f64,
        /// 168 weights summing to 1: the share of a week's calls in each hour of the week.
        weights: Vec<f64>,
        /// 12 monthly factors multiplying the rate, January first.
        seasonal: Option<Vec<f64>>,
    },
    /// Calls at fixed times (offsets from the start), in order.
    Fixed { times: Vec<Duration> },
}

impl Arrivals {
    /// Mean calls per hour in each hour of the week, ignoring seasonal factors (for load checks).
    /// `start_hour_of_week`: the hour of the week at time 0, to place fixed arrivals.
    pub fn hourly_rates(&self, horizon: Duration, start_hour_of_week: u64) -> [f64; 168] {
        let mut r = [0.0; 168];
        match self {
            Arrivals::Profile {
                calls_per_week,
                weights,
                ..
            } => {
                for (h, w) in weights.iter().enumerate() {
                    r[h] = calls_per_week * w;
                }
            }
            Arrivals::Fixed { times } => {
                let weeks = (horizon.secs_f64() / (7.0 * 86_400.0)).max(1.0 / 168.0);
                for t in times {
                    r[((start_hour_of_week + t.0 / crate::time::HOUR) % 168) as usize] +=
                        1.0 / weeks;
                }
            }
        }
        r
    }
}

/// A distribution of durations.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    Exponential { mean: Duration },
    Lognormal { mean: Duration, sd: Duration },
    Gamma { mean: Duration, sd: Duration },
    Deterministic { value: Duration },
    Empirical { values: Vec<Duration> },
}

impl Dist {
    pub fn mean_secs(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::Lognormal { mean, .. }
            | Dist::Gamma { mean, .. } => mean.secs_f64(),
            Dist::Deterministic { value } => value.secs_f64(),
            Dist::Empirical { values } => {
                values.iter().map(|v| v.secs_f64()).sum::<f64>() / values.len().max(1) as f64
            }
        }
    }
}

/// Order in which waiting work is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    /// 999 calls ahead of call-backs ahead of non-emergency calls (non-preemptive); first come
    /// first served within each.
    Priority,
    /// One queue in order of arrival.
    Fcfs,
}

/// Overflow of 999 calls to a partner control room: a 999 call (not a silent one) still
/// waiting `after` goes to the partner if it has a line free, or at once on arrival when `after`
/// is zero and no handler is free; the partner answers after `partner_answer` and holds the line
/// for that and the call's handling time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overflow {
    pub after: Duration,
    /// None: no limit.
    pub partner_lines: Option<u32>,
    pub partner_answer: Dist,
}

/// Overtime call-in of call handlers: when more than `level` calls (999 and non-emergency,
/// silent calls and call-backs aside) have waited continuously for `after`, `staff` extra
/// handlers are called in; they arrive `delay` later and stay for `length`. At most one call-in
/// is on its way at a time; `per_day` and `per_week` cap the call-ins whose staff start on a
/// day, and in a week of the run (None: no cap).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overtime {
    pub level: u32,
    #[serde(rename = "for")]
    pub after: Duration,
    pub delay: Duration,
    pub length: Duration,
    pub staff: u32,
    pub per_day: Option<u32>,
    pub per_week: Option<u32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Callbacks {
    pub handling: Dist,
    pub priority: CallbackPriority,
    #[serde(skip_serializing_if = "is_zero")]
    pub find_emergency: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallbackPriority {
    /// After waiting 999 calls, ahead of non-emergency calls.
    After999,
    /// Behind all calls.
    Last,
}

#[derive(Clone, Debug, Serialize)]
pub struct HandlerRoster {
    pub constant: u32,
    pub constant_dedicated_999: u32,
    pub shifts: Vec<Shift>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Shift {
    pub name: String,
    pub start: TimeOfDay,
    pub length: Duration,
    /// Monday..Sunday: whether the shift starts on that day.
    pub days: [bool; 7],
    pub count: u32,
    pub dedicated_999: u32,
    pub breaks: Vec<Break>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Break {
    pub after: Duration,
    pub length: Duration,
    pub stagger: Duration,
}

impl Break {
    /// When handler `i` of the shift starts this break, from the shift's start.
    pub fn start_for(&self, i: u32) -> u64 {
        self.after.0 + u64::from(i) * self.stagger.0
    }
}

impl HandlerRoster {
    /// Mean handlers on duty and not on a break in each hour of the week, from the weekly
    /// pattern (for load checks).
    pub fn staffed_hours(&self) -> [f64; 168] {
        use crate::time::{DAY, HOUR};
        fn add(s: &mut [f64; 168], from: u64, to: u64, per: f64) {
            let mut t = from;
            while t < to {
                let seg = ((t / HOUR + 1) * HOUR).min(to);
                s[((t / HOUR) % 168) as usize] += per * (seg - t) as f64 / HOUR as f64;
                t = seg;
            }
        }
        let mut s = [f64::from(self.constant); 168];
        for shift in &self.shifts {
            for day in (0..7).filter(|d| shift.days[*d]) {
                let begin = day as u64 * DAY + shift.start.0;
                add(
                    &mut s,
                    begin,
                    begin + shift.length.0,
                    f64::from(shift.count),
                );
                for b in &shift.breaks {
                    for i in 0..shift.count {
                        let at = begin + b.start_for(i);
                        add(&mut s, at, at + b.length.0, -1.0);
                    }
                }
            }
        }
        s
    }
}

/// Where a scenario came from, for error messages and CSV files beside it.
#[derive(Clone, Debug)]
pub struct Source {
    /// Shown in messages.
    pub label: String,
    /// The folder CSV files are read from (None for the built-in scenario).
    pub dir: Option<PathBuf>,
    pub format: Format,
}

impl Scenario {
    /// Reads and validates a scenario file (TOML, or JSON when it ends in .json).
    pub fn load(path: &Path) -> Result<Scenario, Error> {
        let label = path.display().to_string();
        let text = input::read_text(path, input::MAX_SCENARIO_BYTES).map_err(|e| {
            InputError::new(&label, "", format!("cannot read the scenario file: {e}"))
        })?;
        let format = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Format::Json
        } else {
            Format::Toml
        };
        let dir = path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        });
        Scenario::parse(&text, &Source { label, dir, format })
    }

    /// The built-in default scenario.
    pub fn builtin_default() -> Scenario {
        Scenario::parse(
            DEFAULT_SCENARIO,
            &Source {
                label: DEFAULT_LABEL.into(),
                dir: None,
                format: Format::Toml,
            },
        )
        .expect("the built-in default scenario is valid (checked by a test)")
    }

    /// Parses and validates scenario text.
    pub fn parse(text: &str, source: &Source) -> Result<Scenario, Error> {
        let file = parse_file(text, source)?;
        validate::validate(file, text, source)
    }

    /// The SHA-256 of the resolved scenario's canonical JSON: the same for the same model
    /// whatever the file's layout.
    pub fn hash(&self) -> String {
        use sha2::Digest;
        let json = serde_json::to_vec(self).expect("a scenario serialises");
        let digest = sha2::Sha256::digest(&json);
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn target(&self, id: &str) -> &Target {
        self.targets
            .iter()
            .find(|t| t.id == id)
            .expect("every target id is present")
    }

    pub fn channel(&self, kind: ChannelKind) -> Option<&Channel> {
        self.channels.iter().find(|c| c.kind == kind)
    }
}

/// Deserialises the raw file, turning parser errors into input errors with line and field.
/// Every problem serde finds is listed, in line order: after the first, the offending value is
/// taken out of the file and the rest read again, until the file reads or a problem cannot be
/// stepped over (a missing key, a syntax error).
pub fn parse_file(text: &str, source: &Source) -> Result<file::ScenarioFile, Error> {
    if is_empty_file(text, source.format) {
        return Err(Error::from(InputError::new(
            &source.label,
            "",
            "the scenario file is empty: a scenario needs at least [demand] (the calls) and [roster] (the call handlers); `pledgesim new FILE` writes a complete, commented template",
        )));
    }
    let first = match parse_first(text, source) {
        Ok(f) => return Ok(f),
        Err(e) => e,
    };
    let (err, Some((message, path))) = first else {
        return Err(first.0);
    };
    let mut errors = vec![err];
    errors.extend(further_errors(text, source, &message, path));
    let mut all: Vec<InputError> = errors
        .into_iter()
        .flat_map(|e| match e {
            Error::Input(v) => v,
            _ => Vec::new(),
        })
        .collect();
    all.sort_by_key(|e| (e.line.is_none(), e.line, e.column));
    Err(Error::Input(all))
}

/// A file with nothing but blanks and comments (or an empty JSON object).
fn is_empty_file(text: &str, format: Format) -> bool {
    match format {
        Format::Toml => text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')),
        Format::Json => {
            let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            t.is_empty() || t == "{}"
        }
    }
}

/// A segment of the path serde was at, kept as serde gives it (for taking the value out).
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segs(p: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    let mut out = Vec::new();
    for seg in p.iter() {
        match seg {
            Segment::Seq { index } => out.push(Seg::Index(*index)),
            Segment::Map { key } => out.push(Seg::Key(key.clone())),
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    out
}

/// The name in serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
}

/// Takes the value at `path` (and, for an unknown field, the field) out of `v`; false when
/// there is nothing there to take.
fn take_out(v: &mut serde_json::Value, path: &[Seg], unknown: Option<&str>) -> bool {
    let mut here = v;
    let (last, walk) = match unknown {
        Some(k) if !matches!(path.last(), Some(Seg::Key(x)) if x == k) => {
            (Seg::Key(k.to_string()), path)
        }
        _ => match path.split_last() {
            Some((l, w)) => (l.clone(), w),
            None => return false,
        },
    };
    for s in walk {
        let next = match (s, here) {
            (Seg::Key(k), serde_json::Value::Object(m)) => m.get_mut(k),
            (Seg::Index(i), serde_json::Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => here = n,
            None => return false,
        }
    }
    match (last, here) {
        (Seg::Key(k), serde_json::Value::Object(m)) => m.remove(&k).is_some(),
        // A list item cannot be taken out without renumbering the rest: put a null in its place
        // only when it is not already one.
        (Seg::Index(i), serde_json::Value::Array(a)) => match a.get_mut(i) {
            Some(x) if !x.is_null() => {
                *x = serde_json::Value::Null;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Reads the file again and again, each time without the value of the last problem, and
/// returns the problems after the first (the first [`crate::error::MAX_LISTED`] are printed,
/// the rest counted).
fn further_errors(
    text: &str,
    source: &Source,
    first_message: &str,
    first_path: Vec<Seg>,
) -> Vec<Error> {
    let mut value: serde_json::Value = match source.format {
        Format::Toml => match toml::from_str::<toml::Value>(text) {
            Ok(v) => match serde_json::to_value(v) {
                Ok(v) => v,
                Err(_) => return Vec::new(),
            },
            Err(_) => return Vec::new(),
        },
        Format::Json => match serde_json::from_str(text) {
            Ok(v) => v,
            Err(_) => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    let (mut message, mut path) = (first_message.to_string(), first_path);
    let mut seen = vec![(message.clone(), path.clone())];
    // Beyond the first hundred the problems are only counted; ten thousand is a file that is
    // not a scenario at all.
    while out.len() < 10_000 {
        if message.starts_with("missing field")
            || !take_out(&mut value, &path, unknown_field(&message))
        {
            break;
        }
        let next = match source.format {
            Format::Toml => {
                let Ok(t) = toml::to_string(&value) else {
                    break;
                };
                let Ok(de) = toml::de::Deserializer::parse(&t) else {
                    break;
                };
                serde_path_to_error::deserialize::<_, file::ScenarioFile>(de).map_err(|e| {
                    (
                        segs(e.path()),
                        field_path(e.path()),
                        e.into_inner().message().trim().to_string(),
                    )
                })
            }
            Format::Json => serde_path_to_error::deserialize::<_, file::ScenarioFile>(
                value.clone(),
            )
            .map_err(|e| {
                let msg = e.inner().to_string();
                (segs(e.path()), field_path(e.path()), msg)
            }),
        };
        let Err((p, fp, m)) = next else { break };
        // A key taken out may be missed: that is not a problem of the file's.
        if m.starts_with("missing field") || seen.contains(&(m.clone(), p.clone())) {
            break;
        }
        seen.push((m.clone(), p.clone()));
        out.push(parse_error(text, source, m.clone(), None, fp));
        (message, path) = (m, p);
    }
    out
}

/// The first problem, with (for a problem serde found, not a syntax error) its message and the
/// path serde was at.
#[allow(clippy::type_complexity)]
fn parse_first(
    text: &str,
    source: &Source,
) -> Result<file::ScenarioFile, (Error, Option<(String, Vec<Seg>)>)> {
    // The parser's own message and position (line, column), and the path of the field it was
    // reading when it failed.
    let (message, position, path, raw) = match source.format {
        Format::Toml => {
            let de = match toml::de::Deserializer::parse(text) {
                Ok(de) => de,
                Err(e) => {
                    let pos = e.span().map(|s| locate::line_col(text, s.start));
                    return Err((
                        parse_error(text, source, e.message().trim().to_string(), pos, None),
                        None,
                    ));
                }
            };
            match serde_path_to_error::deserialize(de) {
                Ok(f) => return Ok(f),
                Err(e) => {
                    let path = field_path(e.path());
                    let raw = segs(e.path());
                    let inner = e.into_inner();
                    let pos = inner.span().map(|s| locate::line_col(text, s.start));
                    (inner.message().trim().to_string(), pos, path, raw)
                }
            }
        }
        Format::Json => {
            let de = &mut serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize(de) {
                Ok(f) => return Ok(f),
                Err(e) => {
                    let path = field_path(e.path());
                    let raw = segs(e.path());
                    let inner = e.into_inner();
                    let syntax = inner.is_syntax() || inner.is_eof();
                    let msg = inner.to_string();
                    let msg = msg
                        .rsplit_once(" at line")
                        .map(|(m, _)| m.to_string())
                        .unwrap_or(msg);
                    let pos = (inner.line() > 0).then(|| (inner.line(), inner.column()));
                    if syntax {
                        return Err((parse_error(text, source, msg, pos, path), None));
                    }
                    (msg, pos, path, raw)
                }
            }
        }
    };
    // A key missing at the top level is nowhere in the file: no line to name.
    let top_missing = raw.is_empty() && message.starts_with("missing field");
    let (position, path) = if top_missing {
        (None, None)
    } else {
        (position, path)
    };
    Err((
        parse_error(
            text,
            source,
            hint(text, source, &message, &raw),
            position,
            path,
        ),
        Some((message, raw)),
    ))
}

/// The message, with a hint for the traps a new user falls into.
fn hint(text: &str, source: &Source, message: &str, path: &[Seg]) -> String {
    let _ = (text, source);
    if path.is_empty() {
        if let Some(what) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            let more = match what {
                "roster" => {
                    " ([roster.handlers] with `constant` or [[roster.handlers.shifts]]): every scenario needs the call handlers who answer its calls; `pledgesim new --contact-only FILE` writes a template"
                }
                "demand" => {
                    " ([demand.emergency] and/or [demand.non_emergency]): every scenario needs calls; `pledgesim new FILE` writes a template"
                }
                _ => "",
            };
            return format!("{message}{more}");
        }
    }
    if let Some(k) = unknown_field(message) {
        if !path.is_empty() && is_top_level_key(k) {
            return format!(
                "{message}. `{k}` is a top-level key: in TOML a key written below a [table] header belongs to that table, so write `{k}` above the first [table] header"
            );
        }
    }
    message.to_string()
}

/// Whether `k` is a key of the scenario file's top level.
fn is_top_level_key(k: &str) -> bool {
    let mut m = serde_json::Map::new();
    m.insert(k.to_string(), serde_json::Value::Null);
    match serde_json::from_value::<file::ScenarioFile>(serde_json::Value::Object(m)) {
        Ok(_) => true,
        Err(e) => !e.to_string().starts_with("unknown field"),
    }
}

/// An input error for a parser failure: named by the field's path where known, and placed at
/// that field in the file when it is there, else where the parser stopped.
pub(crate) fn parse_error(
    text: &str,
    source: &Source,
    message: String,
    position: Option<(usize, usize)>,
    path: Option<FieldPath>,
) -> Error {
    // serde names Rust types; say what may be written instead.
    let message = [
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list [..., ...]"),
    ]
    .iter()
    .fold(message, |m, (from, to)| m.replace(from, to));
    let mut err = InputError::new(&source.label, "", message);
    let located = path
        .as_ref()
        .and_then(|p| locate::locate(text, source.format, p))
        .filter(|l| l.exact);
    match (located, position) {
        (Some(l), _) => err = err.at(l.line, l.column),
        (None, Some((line, col))) => err = err.at(line, col),
        _ => {}
    }
    err.field = match path {
        Some(p) if !p.is_root() => p.to_string(),
        _ => position
            .map(|(line, _)| field_at(text, line_offset(text, line), source.format))
            .unwrap_or_default(),
    };
    Error::from(err)
}

/// The path serde was at when it failed, as a field path (None when it was at the top).
pub(crate) fn field_path(p: &serde_path_to_error::Path) -> Option<FieldPath> {
    use serde_path_to_error::Segment;
    let mut out = FieldPath::root();
    for seg in p.iter() {
        out = match seg {
            Segment::Seq { index } => out.index(*index),
            Segment::Map { key } => out.key(key),
            // A variant is not written as a key (the file says `kind = "..."`).
            Segment::Enum { .. } => out,
            Segment::Unknown => break,
        };
    }
    (!out.is_root()).then_some(out)
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// The key written on the line of `offset`, for naming the field of a parser error.
fn field_at(text: &str, offset: usize, format: Format) -> String {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    let key = match format {
        Format::Toml => {
            if line.starts_with('[') {
                line.trim_matches(|c| c == '[' || c == ']').trim()
            } else {
                line.split('=').next().unwrap_or("").trim()
            }
        }
        Format::Json => line
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"'),
    };
    key.chars().take(80).collect()
}
