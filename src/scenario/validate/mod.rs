//! Validation of a raw scenario file into a typed [`Scenario`]. Every problem is collected (not
//! just the first), each with the path of its field, then mapped to a line of the file.

mod neighbourhood;

use super::file::*;
use super::locate::{self, FieldPath};
use super::presets::{self, PRESETS, TARGET_IDS};
use super::response;
use super::*;
use crate::time::{DAY, Deadline, Duration, HOUR};

/// The most replications a run may have (each keeps its overall figures for replications.csv).
pub const MAX_REPLICATIONS: i64 = 100_000;

/// The most calls a week a channel may have: a hundred times the Met's volume.
const MAX_CALLS_PER_WEEK: f64 = 10_000_000.0;

impl ScenarioFile {
    fn demand_channel(&self, kind: ChannelKind) -> Option<&ChannelFile> {
        match kind {
            ChannelKind::Emergency => self.demand.emergency.as_ref(),
            ChannelKind::NonEmergency => self.demand.non_emergency.as_ref(),
        }
    }
}

/// Collects problems while validating.
pub(super) struct Check<'a> {
    source: &'a Source,
    issues: Vec<(FieldPath, String)>,
    /// Errors located in other files (CSV files beside the scenario).
    external: Vec<InputError>,
}

impl Check<'_> {
    pub(super) fn bad(&mut self, path: &FieldPath, msg: impl Into<String>) {
        self.issues.push((path.clone(), msg.into()));
    }

    fn positive(&mut self, path: &FieldPath, v: f64, what: &str) -> bool {
        if !(v.is_finite() && v > 0.0) {
            self.bad(
                path,
                format!("{what} must be a number greater than 0 (got {v})"),
            );
            return false;
        }
        true
    }

    fn weights(&mut self, path: &FieldPath, w: &[f64], len: usize, what: &str) -> bool {
        if w.len() != len {
            self.bad(
                path,
                format!("{what} must have exactly {len} weights (got {})", w.len()),
            );
            return false;
        }
        let mut ok = true;
        for (i, x) in w.iter().enumerate() {
            if !(x.is_finite() && *x >= 0.0) {
                self.bad(
                    &path.index(i),
                    format!("a weight must be a number of at least 0 (got {x})"),
                );
                ok = false;
            }
        }
        if ok && w.iter().sum::<f64>() <= 0.0 {
            self.bad(path, "at least one weight must be greater than 0");
            ok = false;
        }
        ok
    }

    fn csv_path(&mut self, path: &FieldPath, name: &str) -> Option<PathBuf> {
        let Some(dir) = &self.source.dir else {
            self.bad(
                path,
                "the built-in scenario cannot read files; give the values inline",
            );
            return None;
        };
        let p = dir.join(name);
        if !p.is_file() {
            self.bad(
                path,
                format!(
                    "the file \"{}\" does not exist (paths are relative to the scenario's folder)",
                    p.display()
                ),
            );
            return None;
        }
        Some(p)
    }
}

pub(super) fn validate(f: ScenarioFile, text: &str, source: &Source) -> Result<Scenario, Error> {
    let mut c = Check {
        source,
        issues: Vec::new(),
        external: Vec::new(),
    };
    let root = FieldPath::root();

    // Pledge preset and overrides.
    let pledge = f
        .pledge
        .clone()
        .unwrap_or_else(|| "england-wales".to_string());
    let mut targets = presets::preset(&pledge).unwrap_or_else(|| {
        c.bad(
            &root.key("pledge"),
            format!(
                "unknown preset \"{pledge}\"; allowed: {}",
                PRESETS.join(", ")
            ),
        );
        presets::preset("england-wales").expect("known preset")
    });
    for (id, o) in &f.targets {
        let p = root.key("targets").key(id);
        let Some(t) = targets.iter_mut().find(|t| t.id == id) else {
            c.bad(
                &p,
                format!(
                    "unknown target \"{id}\"; allowed: {}",
                    TARGET_IDS.join(", ")
                ),
            );
            continue;
        };
        if let Some(time) = o.time {
            if matches!(id.as_str(), "T1" | "T2" | "T3" | "T4" | "T5")
                && !matches!(time, Deadline::Elapsed(_))
            {
                c.bad(&p.key("time"), "answering and attendance targets (T1-T5) need an elapsed time such as \"10s\" or \"48h\"");
            }
            t.time = Some(time);
            t.note = None;
        }
        if o.rural_time.is_some() {
            if !matches!(o.rural_time, Some(Deadline::Elapsed(_))) {
                c.bad(
                    &p.key("rural_time"),
                    "rural_time needs an elapsed time such as \"20min\"",
                );
            }
            if id != "T3" {
                c.bad(
                    &p.key("rural_time"),
                    "only T3 (emergency attendance) has a rural time",
                );
            }
            t.rural_time = o.rural_time;
        }
        if let Some(s) = o.share {
            if !(s > 0.0 && s <= 1.0) {
                c.bad(
                    &p.key("share"),
                    format!("share must be greater than 0 and at most 1 (got {s})"),
                );
            }
            t.share = s;
            t.note = None;
        }
        if o.threshold.is_some() && id != "T6" {
            c.bad(
                &p.key("threshold"),
                "only T6 (visible time) has a threshold; the others have a `time`",
            );
        }
        if let Some(th) = o.threshold {
            if !(th > 0.0 && th <= 1.0) {
                c.bad(
                    &p.key("threshold"),
                    format!("threshold must be greater than 0 and at most 1 (got {th})"),
                );
            }
            t.threshold = Some(th);
        }
        if let Some(a) = o.applies {
            t.applies = a;
        }
        if t.applies && t.time.is_none() && t.threshold.is_none() {
            c.bad(&p, "this target applies but has no time; give `time`");
        }
    }

    // Run settings.
    let rp = root.key("run");
    let r = &f.run;
    let horizon = r.horizon.unwrap_or(Duration(4 * 7 * DAY));
    let warm_up = r.warm_up.unwrap_or(Duration(DAY));
    let drain_limit = r.drain_limit.unwrap_or(Duration(DAY));
    if horizon.0 < HOUR {
        c.bad(
            &rp.key("horizon"),
            format!("horizon must be at least 1h (got {horizon})"),
        );
    }
    if warm_up >= horizon {
        c.bad(
            &rp.key("warm_up"),
            format!("warm_up ({warm_up}) must be shorter than the horizon ({horizon})"),
        );
    }
    if horizon.0 > 20 * 365 * DAY {
        c.bad(&rp.key("horizon"), "horizon must be at most 20 years");
    }
    let replications = r.replications.unwrap_or(20);
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        c.bad(
            &rp.key("replications"),
            format!("replications must be a whole number from 1 to {MAX_REPLICATIONS} (got {replications})"),
        );
    }
    let run = RunSettings {
        start: r.start.unwrap_or(Date {
            year: 2009,
            month: 1,
            day: 5,
        }),
        horizon,
        warm_up,
        drain_limit,
        replications: replications.clamp(1, MAX_REPLICATIONS) as u32,
        seed: r.seed.unwrap_or(1),
    };

    // Demand.
    let dp = root.key("demand");
    let mut channels = Vec::new();
    for (kind, ch) in [
        (ChannelKind::Emergency, &f.demand.emergency),
        (ChannelKind::NonEmergency, &f.demand.non_emergency),
    ] {
        if let Some(ch) = ch {
            if let Some(channel) = channel(&mut c, &dp.key(kind.field()), kind, ch, horizon) {
                channels.push(channel);
            }
        }
    }
    if f.demand.emergency.is_none() && f.demand.non_emergency.is_none() {
        c.bad(
            &dp,
            "give demand for at least one channel: [demand.emergency] or [demand.non_emergency]",
        );
    }

    // The field side, and fixed calls' attributes (which may name wards).
    let response = response(&mut c, &f, &channels);
    for ch in channels.iter_mut() {
        let field = ch.kind.field();
        if let Some(calls) = f.demand_channel(ch.kind).and_then(|d| d.calls.as_ref()) {
            // Checked as written (so errors name the call as written), then put in time order.
            let wards = response.as_ref().map(|r| r.wards.as_slice());
            let fixed = fixed_calls(&mut c, &dp.key(field).key("calls"), calls, wards);
            let mut order: Vec<usize> = (0..calls.len()).collect();
            order.sort_by_key(|&i| calls[i].at);
            ch.fixed = order.into_iter().map(|i| fixed[i].clone()).collect();
        }
    }

    // Contact centre.
    let cp = root.key("contact_centre");
    let discipline = choice(
        &mut c,
        &cp.key("discipline"),
        f.contact_centre.discipline.as_deref(),
        &[
            ("priority", Discipline::Priority),
            ("fcfs", Discipline::Fcfs),
        ],
        "discipline",
    );
    let callbacks = f.contact_centre.callbacks.as_ref().and_then(|cb| {
        let p = cp.key("callbacks");
        let priority = choice(
            &mut c,
            &p.key("priority"),
            cb.priority.as_deref(),
            &[
                ("after-999", CallbackPriority::After999),
                ("last", CallbackPriority::Last),
            ],
            "priority",
        );
        dist(&mut c, &p.key("handling"), &cb.handling)
            .map(|handling| Callbacks { handling, priority })
    });

    // Roster.
    let handlers = roster(
        &mut c,
        &root.key("roster").key("handlers"),
        &f.roster.handlers,
    );
    let general = handlers
        .constant
        .saturating_sub(handlers.constant_dedicated_999)
        + handlers
            .shifts
            .iter()
            .map(|s| s.count.saturating_sub(s.dedicated_999))
            .sum::<u32>();
    if general == 0
        && handlers.constant + handlers.shifts.len() as u32 > 0
        && channels
            .iter()
            .any(|ch| ch.kind == ChannelKind::NonEmergency)
    {
        c.bad(&root.key("roster").key("handlers"), "every handler takes only 999 work, so no one would answer the non-emergency calls: make some handlers general (dedicated_999 below count)");
    }

    // Neighbourhood teams and follow-up work.
    let neighbourhood = neighbourhood::neighbourhood(&mut c, &f, response.as_ref());
    let workgroups = neighbourhood::workgroups(&mut c, &f);
    let followup = neighbourhood::followup(
        &mut c,
        &f,
        &targets,
        &workgroups,
        neighbourhood.as_ref(),
        response.as_ref(),
    );

    let scenario = Scenario {
        name: f
            .name
            .clone()
            .unwrap_or_else(|| default_name(&source.label)),
        description: f.description.clone().unwrap_or_default(),
        pledge,
        targets,
        run,
        channels,
        discipline,
        callbacks,
        handlers,
        response,
        bank_holidays: f.bank_holidays.clone(),
        neighbourhood,
        workgroups,
        followup,
    };

    if c.issues.is_empty() && c.external.is_empty() {
        return Ok(scenario);
    }
    let mut errors: Vec<InputError> = c
        .issues
        .into_iter()
        .map(|(path, msg)| {
            let mut e = InputError::new(&source.label, path.to_string(), msg);
            if let Some(loc) = locate::locate(text, source.format, &path) {
                e = e.at(loc.line, loc.column);
            }
            e
        })
        .collect();
    errors.extend(c.external);
    Err(Error::Input(errors))
}

/// Rows written inline, then those read from a CSV file beside the scenario: each with the path
/// its errors are located at and, for a CSV row, a prefix naming the file and line there.
fn inline_and_csv<T: Clone>(
    c: &mut Check,
    inline_path: &FieldPath,
    inline: &[T],
    file_path: &FieldPath,
    file: Option<&str>,
    read: impl Fn(&Path) -> Result<Vec<(u64, T)>, InputError>,
) -> Vec<(FieldPath, String, T)> {
    let mut all: Vec<(FieldPath, String, T)> = inline
        .iter()
        .enumerate()
        .map(|(i, s)| (inline_path.index(i), String::new(), s.clone()))
        .collect();
    if let Some(name) = file {
        if let Some(path) = c.csv_path(file_path, name) {
            match read(&path) {
                Ok(rows) => all.extend(
                    rows.into_iter()
                        .map(|(line, s)| (file_path.clone(), format!("{name} line {line}: "), s)),
                ),
                Err(e) => c.external.push(e),
            }
        }
    }
    all
}

/// A value named in the file, one of `options` (the first is the default when none is given).
fn choice<T: Copy>(
    c: &mut Check,
    p: &FieldPath,
    given: Option<&str>,
    options: &[(&str, T)],
    what: &str,
) -> T {
    match given {
        None => options[0].1,
        Some(name) => options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| {
                let allowed: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                c.bad(
                    p,
                    format!("unknown {what} \"{name}\"; allowed: {}", allowed.join(", ")),
                );
                options[0].1
            }),
    }
}

fn default_name(label: &str) -> String {
    Path::new(label.split(' ').next().unwrap_or(label))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}

fn channel(
    c: &mut Check,
    p: &FieldPath,
    kind: ChannelKind,
    ch: &ChannelFile,
    horizon: Duration,
) -> Option<Channel> {
    let volumes = [
        ch.calls_per_week.is_some(),
        ch.calls_per_year.is_some(),
        ch.arrivals.is_some() || ch.calls.is_some(),
    ];
    let arrivals = match volumes.iter().filter(|v| **v).count() {
        1 => {
            if ch.arrivals.is_some() || ch.calls.is_some() {
                if ch.arrivals.is_some() && ch.calls.is_some() {
                    c.bad(
                        &p.key("calls"),
                        "give fixed calls either as `arrivals` (times) or as `calls`, not both",
                    );
                }
                let mut times = match (&ch.arrivals, &ch.calls) {
                    (Some(t), _) => t.clone(),
                    (None, Some(calls)) => calls.iter().map(|c| c.at).collect(),
                    _ => unreachable!("one of them is given"),
                };
                times.sort();
                if let Some(last) = times.last().filter(|t| **t >= horizon) {
                    c.bad(
                        &p.key("arrivals"),
                        format!("arrival at {last} is not before the horizon ({horizon})"),
                    );
                }
                if ch.hourly.is_some()
                    || ch.daily.is_some()
                    || ch.weekly.is_some()
                    || ch.profile_file.is_some()
                    || ch.seasonal.is_some()
                {
                    c.bad(
                        &p.key("arrivals"),
                        "fixed arrivals take no profile or seasonal factors",
                    );
                }
                Some(Arrivals::Fixed { times })
            } else {
                let (per_week, field) = match (ch.calls_per_week, ch.calls_per_year) {
                    (Some(w), _) => (w, "calls_per_week"),
                    (_, Some(y)) => (y * 7.0 / 365.25, "calls_per_year"),
                    _ => unreachable!("one volume is set"),
                };
                let mut ok = c.positive(&p.key(field), per_week, field);
                // A hundred times the Met's volume: beyond it a run is a mistake, not a force.
                if ok && per_week > MAX_CALLS_PER_WEEK {
                    c.bad(&p.key(field), format!("{field} must be at most the equivalent of {MAX_CALLS_PER_WEEK} calls a week (got {per_week} a week)"));
                    ok = false;
                }
                let weights = profile(c, p, ch);
                let seasonal = ch.seasonal.as_ref().and_then(|s| {
                    let sp = p.key("seasonal");
                    if s.len() != 12 {
                        c.bad(&sp, format!("seasonal must have exactly 12 monthly factors, January first (got {})", s.len()));
                        return None;
                    }
                    let mut good = true;
                    for (i, x) in s.iter().enumerate() {
                        good &= c.positive(&sp.index(i), *x, "a seasonal factor");
                        if *x > 100.0 {
                            c.bad(&sp.index(i), format!("a seasonal factor must be at most 100 (got {x})"));
                            good = false;
                        }
                    }
                    good.then(|| s.clone())
                });
                match (ok, weights) {
                    (true, Some(weights)) => Some(Arrivals::Profile {
                        calls_per_week: per_week,
                        weights,
                        seasonal,
                    }),
                    _ => None,
                }
            }
        }
        0 => {
            c.bad(
                p,
                "give the volume: calls_per_week, calls_per_year, or fixed arrivals or calls",
            );
            None
        }
        _ => {
            c.bad(
                p,
                "give only one of calls_per_week, calls_per_year, and fixed arrivals or calls",
            );
            None
        }
    };
    let handling = dist(c, &p.key("handling"), &ch.handling);
    let patience = match &ch.patience {
        Some(d) => Some(dist(c, &p.key("patience"), d)?),
        None => None,
    };
    Some(Channel {
        kind,
        fixed: Vec::new(),
        arrivals: arrivals?,
        handling: handling?,
        patience,
    })
}

/// The 168 hour-of-week weights, normalised to sum to 1.
fn profile(c: &mut Check, p: &FieldPath, ch: &ChannelFile) -> Option<Vec<f64>> {
    let given = [
        ch.hourly.is_some() || ch.daily.is_some(),
        ch.weekly.is_some(),
        ch.profile_file.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        c.bad(
            p,
            "give the profile one way only: hourly and daily, weekly, or profile_file",
        );
        return None;
    }
    let raw: Vec<f64> = if let Some(w) = &ch.weekly {
        if !c.weights(&p.key("weekly"), w, 168, "weekly") {
            return None;
        }
        w.clone()
    } else if let Some(name) = &ch.profile_file {
        let path = c.csv_path(&p.key("profile_file"), name)?;
        match crate::scenario::csv::read_profile(&path) {
            Ok(w) => w,
            Err(e) => {
                c.external.push(e);
                return None;
            }
        }
    } else {
        let ones24 = vec![1.0; 24];
        let ones7 = vec![1.0; 7];
        let hourly = ch.hourly.as_ref().unwrap_or(&ones24);
        let daily = ch.daily.as_ref().unwrap_or(&ones7);
        let ok_h = c.weights(&p.key("hourly"), hourly, 24, "hourly");
        let ok_d = c.weights(&p.key("daily"), daily, 7, "daily");
        if !(ok_h && ok_d) {
            return None;
        }
        (0..168).map(|h| daily[h / 24] * hourly[h % 24]).collect()
    };
    let sum: f64 = raw.iter().sum();
    Some(raw.iter().map(|w| w / sum).collect())
}

pub(super) fn dist(c: &mut Check, p: &FieldPath, d: &DistFile) -> Option<Dist> {
    let nonzero = |c: &mut Check, field: &str, v: Duration| {
        if v.0 == 0 {
            c.bad(&p.key(field), format!("{field} must be greater than 0"));
            false
        } else {
            true
        }
    };
    match d {
        DistFile::Exponential(e) => {
            nonzero(c, "mean", e.mean).then_some(Dist::Exponential { mean: e.mean })
        }
        DistFile::Lognormal(m) | DistFile::Gamma(m) => {
            let ok = nonzero(c, "mean", m.mean) & nonzero(c, "sd", m.sd);
            ok.then_some(match d {
                DistFile::Lognormal(_) => Dist::Lognormal {
                    mean: m.mean,
                    sd: m.sd,
                },
                _ => Dist::Gamma {
                    mean: m.mean,
                    sd: m.sd,
                },
            })
        }
        DistFile::Deterministic(v) => Some(Dist::Deterministic { value: v.value }),
        DistFile::Empirical(e) => {
            let values = match (&e.values, &e.file) {
                (Some(v), None) => v.clone(),
                (None, Some(name)) => {
                    let path = c.csv_path(&p.key("file"), name)?;
                    match crate::scenario::csv::read_durations(
                        &path,
                        e.column.as_deref(),
                        e.unit.as_deref(),
                    ) {
                        Ok(v) => v,
                        Err(err) => {
                            c.external.push(err);
                            return None;
                        }
                    }
                }
                _ => {
                    c.bad(
                        p,
                        "an empirical distribution takes either `values` or `file`",
                    );
                    return None;
                }
            };
            if values.is_empty() {
                c.bad(p, "an empirical distribution needs at least one value");
                return None;
            }
            Some(Dist::Empirical { values })
        }
    }
}

fn roster(c: &mut Check, p: &FieldPath, r: &HandlerRosterFile) -> HandlerRoster {
    let count = |c: &mut Check, path: FieldPath, v: i64, min: i64| -> u32 {
        if v < min || v > 100_000 {
            c.bad(
                &path,
                format!("must be a whole number from {min} to 100000 (got {v})"),
            );
            return 0;
        }
        v as u32
    };
    let constant = count(c, p.key("constant"), r.constant.unwrap_or(0), 0);
    let constant_dedicated_999 = count(
        c,
        p.key("constant_dedicated_999"),
        r.constant_dedicated_999.unwrap_or(0),
        0,
    );
    if constant_dedicated_999 > constant {
        c.bad(
            &p.key("constant_dedicated_999"),
            format!("cannot exceed constant ({constant})"),
        );
    }
    let mut shifts = Vec::new();
    let all = inline_and_csv(
        c,
        &p.key("shifts"),
        &r.shifts,
        &p.key("shifts_file"),
        r.shifts_file.as_deref(),
        crate::scenario::csv::read_handler_shifts,
    );
    for (i, (sp, at, s)) in all.iter().enumerate() {
        let field = |k: &str| if at.is_empty() { sp.key(k) } else { sp.clone() };
        let n = if s.count < 1 {
            c.bad(
                &field("count"),
                format!("{at}a shift needs at least 1 handler (got {})", s.count),
            );
            0
        } else {
            count(c, field("count"), s.count, 1)
        };
        let dedicated = count(c, field("dedicated_999"), s.dedicated_999.unwrap_or(0), 0);
        if dedicated > n {
            c.bad(
                &field("dedicated_999"),
                format!("{at}cannot exceed count ({n})"),
            );
        }
        if s.length.0 == 0 || s.length.0 > DAY {
            c.bad(
                &field("length"),
                format!(
                    "{at}a shift's length must be more than 0 and at most 24h (got {})",
                    s.length
                ),
            );
        }
        let days = days(c, &field("days"), s.days.as_deref());
        let mut end_of_last = 0;
        for (j, b) in s.breaks.iter().enumerate() {
            let bp = if at.is_empty() {
                sp.key("breaks").index(j)
            } else {
                sp.clone()
            };
            if b.length.0 == 0 {
                c.bad(
                    &bp.key("length"),
                    format!("{at}a break's length must be greater than 0"),
                );
            }
            let stagger = b.stagger.unwrap_or_default();
            if b.after.0 < end_of_last {
                c.bad(&bp.key("after"), format!("{at}breaks must be in order, and a break must start after the last handler's previous break has ended"));
            }
            let last_end = b.after.0 + u64::from(n.saturating_sub(1)) * stagger.0 + b.length.0;
            if last_end > s.length.0 {
                c.bad(&bp, format!("{at}the last handler's break must end within the shift ({}): after + (count - 1) x stagger + length = {}", s.length, Duration(last_end)));
            }
            end_of_last = last_end;
        }
        shifts.push(Shift {
            name: s.name.clone().unwrap_or_else(|| format!("shift {}", i + 1)),
            start: s.start,
            length: s.length,
            days,
            count: n,
            dedicated_999: dedicated,
            breaks: s
                .breaks
                .iter()
                .map(|b| Break {
                    after: b.after,
                    length: b.length,
                    stagger: b.stagger.unwrap_or_default(),
                })
                .collect(),
        });
    }
    if constant == 0 && all.is_empty() {
        c.bad(
            p,
            "no handlers: give `constant` or at least one [[roster.handlers.shifts]]",
        );
    }
    HandlerRoster {
        constant,
        constant_dedicated_999,
        shifts,
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub(super) fn days(c: &mut Check, p: &FieldPath, d: Option<&[String]>) -> [bool; 7] {
    let Some(list) = d else { return [true; 7] };
    let mut out = [false; 7];
    for (i, name) in list.iter().enumerate() {
        match name.to_ascii_lowercase().as_str() {
            "all" => out = [true; 7],
            "weekdays" => out[..5].iter_mut().for_each(|x| *x = true),
            "weekend" => out[5..].iter_mut().for_each(|x| *x = true),
            n => match DAY_NAMES.iter().position(|d| *d == n) {
                Some(k) => out[k] = true,
                None => c.bad(&p.index(i), format!("unknown day \"{name}\"; allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, weekend, all")),
            },
        }
    }
    if list.is_empty() {
        c.bad(
            p,
            "give at least one day (or leave `days` out for every day)",
        );
    }
    out
}

fn shares(c: &mut Check, p: &FieldPath, g: &GradeSharesFile) -> Option<[f64; 4]> {
    let v = [
        g.i.unwrap_or(0.0),
        g.s.unwrap_or(0.0),
        g.e.unwrap_or(0.0),
        g.r.unwrap_or(0.0),
    ];
    let mut ok = true;
    for (k, x) in v.iter().enumerate() {
        if !(x.is_finite() && (0.0..=1.0).contains(x)) {
            c.bad(
                &p.key(response::GRADES[k]),
                format!("a share must be from 0 to 1 (got {x})"),
            );
            ok = false;
        }
    }
    let sum: f64 = v.iter().sum();
    if ok && (sum - 1.0).abs() > 1e-9 {
        c.bad(
            p,
            format!("the grade shares I, S, E, R must sum to 1 (got {sum})"),
        );
        ok = false;
    }
    ok.then_some(v)
}

fn grading(
    c: &mut Check,
    p: &FieldPath,
    g: &GradingFile,
    base: Option<[[f64; 4]; 2]>,
    channels: &[Channel],
) -> Option<[[f64; 4]; 2]> {
    let mut out = base.unwrap_or([[0.0, 0.0, 0.0, 1.0]; 2]);
    let mut ok = true;
    for (kind, given) in [
        (ChannelKind::Emergency, &g.emergency),
        (ChannelKind::NonEmergency, &g.non_emergency),
    ] {
        match given {
            Some(s) => match shares(c, &p.key(kind.field()), s) {
                Some(v) => out[kind.index()] = v,
                None => ok = false,
            },
            None if base.is_none() && channels.iter().any(|ch| ch.kind == kind) => {
                c.bad(
                    &p.key(kind.field()),
                    format!(
                        "give the grade mix of {} calls: {{ I = ..., S = ..., E = ..., R = ... }}",
                        kind.label()
                    ),
                );
                ok = false;
            }
            None => {}
        }
    }
    ok.then_some(out)
}

/// Validates the field side; None when the scenario has none (or it has errors, reported).
fn response(c: &mut Check, f: &ScenarioFile, channels: &[Channel]) -> Option<response::Response> {
    use response::*;
    let root = FieldPath::root();
    let Some(r) = &f.response else {
        if !f.wards.is_empty()
            || f.wards_file.is_some()
            || !f.sectors.is_empty()
            || f.roster.units.is_some()
        {
            c.bad(&root, "wards, sectors and units need a [response] section (grading, travel, time on scene)");
        }
        return None;
    };
    let rp = root.key("response");
    let mut ok = true;

    // Sectors.
    if f.sectors.is_empty() {
        c.bad(
            &root.key("sectors"),
            "give at least one [[sectors]] with a name",
        );
        return None;
    }
    let sector_index = |name: &str| f.sectors.iter().position(|s| s.name == name);
    for (i, s) in f.sectors.iter().enumerate() {
        if f.sectors[..i].iter().any(|o| o.name == s.name) {
            c.bad(
                &root.key("sectors").index(i).key("name"),
                format!("sector \"{}\" is named twice", s.name),
            );
            ok = false;
        }
    }
    let sector_names = f
        .sectors
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");

    // Wards.
    let (ward_files, wards_path): (Vec<WardFile>, FieldPath) =
        match (&f.wards_file, f.wards.is_empty()) {
            (Some(_), false) => {
                c.bad(
                    &root.key("wards_file"),
                    "give the wards either as [[wards]] or in wards_file, not both",
                );
                return None;
            }
            (Some(name), true) => {
                let path = c.csv_path(&root.key("wards_file"), name)?;
                match crate::scenario::csv::read_wards(&path) {
                    Ok(w) => (w, root.key("wards_file")),
                    Err(e) => {
                        c.external.push(e);
                        return None;
                    }
                }
            }
            (None, false) => (f.wards.clone(), root.key("wards")),
            (None, true) => {
                c.bad(
                    &root.key("wards"),
                    "give at least one [[wards]] (or wards_file)",
                );
                return None;
            }
        };
    let base_grading = grading(c, &rp.key("grading"), &r.grading, None, channels);
    let mut wards = Vec::new();
    for (i, w) in ward_files.iter().enumerate() {
        let wp = if f.wards_file.is_some() {
            wards_path.clone()
        } else {
            wards_path.index(i)
        };
        let sector = sector_index(&w.sector);
        if sector.is_none() {
            c.bad(
                &wp.key("sector"),
                format!(
                    "ward \"{}\" names an unknown sector \"{}\"; the sectors are: {sector_names}",
                    w.name, w.sector
                ),
            );
        }
        let rural = match w.kind.as_str() {
            "urban" => false,
            "rural" => true,
            other => {
                c.bad(
                    &wp.key("type"),
                    format!("unknown ward type \"{other}\"; allowed: urban, rural"),
                );
                false
            }
        };
        let mut shape = None;
        let area = match (&w.shape, w.area_km2) {
            (None, Some(a)) => c.positive(&wp.key("area_km2"), a, "area_km2").then_some(a),
            (None, None) => {
                c.bad(&wp, "give the ward's area_km2 (or its shape)");
                None
            }
            (Some(v), given) => {
                let vertices: Vec<(f64, f64)> = v.iter().map(|p| (p[0], p[1])).collect();
                let a = Shape::area(&vertices);
                if vertices.len() < 3
                    || !vertices.iter().all(|p| p.0.is_finite() && p.1.is_finite())
                    || a.is_nan()
                    || a <= 0.0
                {
                    c.bad(&wp.key("shape"), "a shape needs at least 3 points [x, y] (km) enclosing an area greater than 0");
                    None
                } else if given.is_some_and(|g| (g - a).abs() > 0.01 * a) {
                    c.bad(&wp.key("area_km2"), format!("area_km2 ({}) does not match the shape's area ({a:.3}); leave it out or correct it", given.unwrap_or(0.0)));
                    None
                } else {
                    let min = vertices
                        .iter()
                        .fold((f64::MAX, f64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
                    let max = vertices
                        .iter()
                        .fold((f64::MIN, f64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
                    shape = Some(Shape { vertices, min, max });
                    Some(a)
                }
            }
        };
        let area_ok = area.is_some();
        if !(w.x.is_finite() && w.y.is_finite()) {
            c.bad(&wp, "x and y must be finite numbers (km)");
        }
        let d = w.demand.clone().unwrap_or_default();
        let weights = [d.emergency.unwrap_or(1.0), d.non_emergency.unwrap_or(1.0)];
        for (k, x) in weights.iter().enumerate() {
            if !(x.is_finite() && *x >= 0.0) {
                c.bad(
                    &wp.key("demand").key(ChannelKind::ALL[k].field()),
                    format!("a demand weight must be at least 0 (got {x})"),
                );
            }
        }
        let g = match &w.grading {
            Some(g) => {
                base_grading.and_then(|b| grading(c, &wp.key("grading"), g, Some(b), channels))
            }
            None => base_grading,
        };
        if let (Some(sector), true, Some(g)) = (sector, area_ok, g) {
            wards.push(Ward {
                name: w.name.clone(),
                rural,
                area_km2: area.unwrap_or(0.0),
                x: w.x,
                y: w.y,
                shape,
                sector,
                weights,
                grading: g,
            });
        } else {
            ok = false;
        }
    }
    for ch in channels {
        if ok
            && wards
                .iter()
                .map(|w| w.weights[ch.kind.index()])
                .sum::<f64>()
                <= 0.0
        {
            c.bad(
                &wards_path,
                format!(
                    "no ward has demand for {} calls: give at least one a weight above 0",
                    ch.kind.label()
                ),
            );
            ok = false;
        }
    }

    // Travel and dispatch.
    let metric = match r.metric.as_deref() {
        None | Some("euclidean") => {
            let detour = r.detour.unwrap_or(1.0);
            if !(detour.is_finite() && detour >= 1.0) {
                c.bad(
                    &rp.key("detour"),
                    format!("detour must be at least 1 (got {detour})"),
                );
            }
            Metric::Euclidean { detour }
        }
        Some("right-angle") => {
            if r.detour.is_some() {
                c.bad(
                    &rp.key("detour"),
                    "detour applies to the euclidean metric only",
                );
            }
            Metric::RightAngle
        }
        Some(other) => {
            c.bad(
                &rp.key("metric"),
                format!("unknown metric \"{other}\"; allowed: euclidean, right-angle"),
            );
            Metric::RightAngle
        }
    };
    let idle = choice(
        c,
        &rp.key("idle"),
        r.idle.as_deref(),
        &[("patrol", Idle::Patrol), ("base", Idle::Base)],
        "idle behaviour",
    );
    let patrol = choice(
        c,
        &rp.key("patrol"),
        r.patrol.as_deref(),
        &[("area", Patrol::Area), ("demand", Patrol::Demand)],
        "patrol weighting",
    );
    let borrow = r.borrow_within_km.unwrap_or(0.0);
    if !(borrow.is_finite() && borrow >= 0.0) {
        c.bad(
            &rp.key("borrow_within_km"),
            format!("must be a distance of at least 0 km (got {borrow})"),
        );
    }
    let sp = rp.key("speed_kmh");
    let mut speed = [[0.0; 2]; 2];
    for (t, (name, v)) in [("urban", &r.speed_kmh.urban), ("rural", &r.speed_kmh.rural)]
        .into_iter()
        .enumerate()
    {
        for (g, (gname, x)) in [("I", v.i), ("S", v.s)].into_iter().enumerate() {
            if x.is_finite() && x > 0.0 && x < 1.0 {
                c.bad(
                    &sp.key(name).key(gname),
                    format!("a speed must be at least 1 km/h (got {x})"),
                );
                ok = false;
            }
            ok &= c.positive(&sp.key(name).key(gname), x, "a speed");
            speed[t][g] = x;
        }
    }
    let osp = rp.key("on_scene");
    let on_scene_i = dist(c, &osp.key("I"), &r.on_scene.i);
    let on_scene_s = dist(c, &osp.key("S"), &r.on_scene.s);
    let paperwork = match &r.paperwork {
        Some(d) => Some(dist(c, &rp.key("paperwork"), d)?),
        None => None,
    };
    let two = r.two_units.as_ref().map_or([0.0, 0.0], |t| [t.i, t.s]);
    for (g, x) in two.iter().enumerate() {
        if !(x.is_finite() && (0.0..=1.0).contains(x)) {
            c.bad(
                &rp.key("two_units").key(GRADES[g]),
                format!("a share must be from 0 to 1 (got {x})"),
            );
        }
    }
    let mut categories = [[0.0, 0.0, 0.0, 0.0, 1.0]; 4];
    for (grade, m) in &r.categories {
        let gp = rp.key("categories").key(grade);
        let Some(g) = GRADES.iter().position(|x| x == grade) else {
            c.bad(
                &gp,
                format!("unknown grade \"{grade}\"; allowed: I, S, E, R"),
            );
            continue;
        };
        let mut v = [0.0; 5];
        for (name, x) in m {
            match CATEGORIES.iter().position(|k| k == name) {
                Some(k) if x.is_finite() && (0.0..=1.0).contains(x) => v[k] = *x,
                Some(_) => c.bad(
                    &gp.key(name),
                    format!("a share must be from 0 to 1 (got {x})"),
                ),
                None => c.bad(
                    &gp.key(name),
                    format!(
                        "unknown category \"{name}\"; allowed: {}",
                        CATEGORIES.join(", ")
                    ),
                ),
            }
        }
        let sum: f64 = v.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            c.bad(
                &gp,
                format!("the category shares must sum to 1 (got {sum})"),
            );
        }
        categories[g] = v;
    }

    // Sector geometry.
    let mut sectors: Vec<Sector> = f
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mine: Vec<usize> = (0..wards.len()).filter(|&w| wards[w].sector == i).collect();
            let area: f64 = mine.iter().map(|&w| wards[w].area_km2).sum();
            let centre = if area > 0.0 {
                (
                    mine.iter()
                        .map(|&w| wards[w].x * wards[w].area_km2)
                        .sum::<f64>()
                        / area,
                    mine.iter()
                        .map(|&w| wards[w].y * wards[w].area_km2)
                        .sum::<f64>()
                        / area,
                )
            } else {
                (0.0, 0.0)
            };
            let weight = |w: usize| match patrol {
                Patrol::Area => wards[w].area_km2,
                Patrol::Demand => wards[w].weights[0],
            };
            // Demand weighting falls back to area where a sector's wards have no 999 demand.
            let by_demand: f64 = mine.iter().map(|&w| weight(w)).sum();
            let weight = |w: usize| {
                if by_demand > 0.0 {
                    weight(w)
                } else {
                    wards[w].area_km2
                }
            };
            let total: f64 = mine.iter().map(|&w| weight(w)).sum();
            let mut acc = 0.0;
            let patrol_cumulative = mine
                .iter()
                .map(|&w| {
                    acc += weight(w) / total;
                    acc
                })
                .collect();
            Sector {
                name: s.name.clone(),
                centre,
                base: s
                    .base
                    .filter(|b| b[0].is_finite() && b[1].is_finite())
                    .map_or(centre, |b| (b[0], b[1])),
                neighbours: Vec::new(),
                wards: mine,
                patrol_cumulative,
            }
        })
        .collect();
    for i in 0..sectors.len() {
        let mut near: Vec<(f64, usize)> = (0..sectors.len())
            .filter(|&j| j != i)
            .map(|j| {
                let (a, b) = (sectors[i].centre, sectors[j].centre);
                (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(), j)
            })
            .filter(|(d, _)| *d <= borrow)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        sectors[i].neighbours = near.into_iter().map(|(_, j)| j).collect();
    }

    for (i, (sector, file)) in sectors.iter().zip(&f.sectors).enumerate() {
        let sp = root.key("sectors").index(i);
        if sector.wards.is_empty() && ok {
            c.bad(
                &sp,
                format!(
                    "sector \"{}\" has no wards; give each sector at least one ward",
                    sector.name
                ),
            );
            ok = false;
        }
        if file
            .base
            .is_some_and(|b| !(b[0].is_finite() && b[1].is_finite()))
        {
            c.bad(
                &sp.key("base"),
                "base must be two finite numbers [x, y] (km)",
            );
            ok = false;
        }
    }

    // Units and appointments.
    let up = root.key("roster").key("units");
    let mut constant_units = vec![0u32; sectors.len()];
    let mut unit_shifts = Vec::new();
    if let Some(u) = &f.roster.units {
        for (name, n) in &u.constant {
            match sector_index(name) {
                Some(s) if (0..=100_000).contains(n) => constant_units[s] = *n as u32,
                Some(_) => c.bad(
                    &up.key("constant").key(name),
                    format!("must be a whole number from 0 to 100000 (got {n})"),
                ),
                None => c.bad(
                    &up.key("constant").key(name),
                    format!("unknown sector \"{name}\"; the sectors are: {sector_names}"),
                ),
            }
        }
        let all = inline_and_csv(
            c,
            &up.key("shifts"),
            &u.shifts,
            &up.key("shifts_file"),
            u.shifts_file.as_deref(),
            crate::scenario::csv::read_unit_shifts,
        );
        for (i, (sp, at, s)) in all.iter().enumerate() {
            let from_csv = !at.is_empty();
            let field = |k: &str| if from_csv { sp.clone() } else { sp.key(k) };
            let Some(sector) = sector_index(&s.sector) else {
                c.bad(
                    &field("sector"),
                    format!(
                        "{at}unknown sector \"{}\"; the sectors are: {sector_names}",
                        s.sector
                    ),
                );
                continue;
            };
            if !(1..=100_000).contains(&s.count) {
                c.bad(
                    &field("count"),
                    format!("{at}a shift needs at least 1 unit (got {})", s.count),
                );
            }
            let crew = s.crew.unwrap_or(1);
            if !(1..=2).contains(&crew) {
                c.bad(
                    &field("crew"),
                    format!("{at}crew must be 1 (single) or 2 (double crewed) (got {crew})"),
                );
            }
            if s.length.0 == 0 || s.length.0 > DAY {
                c.bad(
                    &field("length"),
                    format!(
                        "{at}a shift's length must be more than 0 and at most 24h (got {})",
                        s.length
                    ),
                );
            }
            unit_shifts.push(UnitShift {
                sector,
                crew: crew.clamp(1, 2) as u32,
                shift: Shift {
                    name: s.name.clone().unwrap_or_else(|| format!("units {}", i + 1)),
                    start: s.start,
                    length: s.length,
                    days: days(c, &field("days"), s.days.as_deref()),
                    count: s.count.clamp(1, 100_000) as u32,
                    dedicated_999: 0,
                    breaks: Vec::new(),
                },
            });
        }
    }
    let mut appointments = Vec::new();
    for (i, a) in f.roster.appointments.iter().enumerate() {
        let ap = root.key("roster").key("appointments").index(i);
        let Some(sector) = sector_index(&a.sector) else {
            c.bad(
                &ap.key("sector"),
                format!(
                    "unknown sector \"{}\"; the sectors are: {sector_names}",
                    a.sector
                ),
            );
            continue;
        };
        if a.length.0 > DAY {
            c.bad(
                &ap.key("length"),
                format!("a session's length must be at most 24h (got {})", a.length),
            );
        }
        if a.slot.0 < crate::time::MINUTE {
            c.bad(
                &ap.key("slot"),
                format!("an appointment slot must be at least 1min (got {})", a.slot),
            );
        }
        if a.slot.0 == 0 || a.slot > a.length {
            c.bad(
                &ap.key("slot"),
                format!(
                    "slot must be more than 0 and at most the session's length ({})",
                    a.length
                ),
            );
        }
        if !(1..=10_000).contains(&a.officers) {
            c.bad(
                &ap.key("officers"),
                format!("a session needs at least 1 officer (got {})", a.officers),
            );
        }
        appointments.push(AppointmentSession {
            sector,
            start: a.start,
            length: a.length,
            days: days(c, &ap.key("days"), a.days.as_deref()),
            slot: a.slot,
            officers: a.officers.clamp(1, 10_000) as u32,
        });
    }

    // Every sector with dispatched demand needs units somewhere it can borrow from, and every
    // sector with scheduled demand needs appointment sessions.
    if ok {
        let has_units =
            |s: usize| constant_units[s] > 0 || unit_shifts.iter().any(|u| u.sector == s);
        for (s, sector) in sectors.iter().enumerate() {
            let demand = |grade: usize| {
                sector.wards.iter().any(|&w| {
                    channels.iter().any(|ch| {
                        wards[w].weights[ch.kind.index()] > 0.0
                            && wards[w].grading[ch.kind.index()][grade] > 0.0
                    })
                })
            };
            let sp = root.key("sectors").index(s);
            if (demand(GRADE_I) || demand(GRADE_S))
                && !has_units(s)
                && !sector.neighbours.iter().any(|&n| has_units(n))
            {
                c.bad(&sp, format!("sector \"{}\" has emergency or priority demand but no response units at any hour, and no sector within borrow_within_km has any", sector.name));
            }
            if demand(GRADE_E) && !appointments.iter().any(|a| a.sector == s) {
                c.bad(&sp, format!("sector \"{}\" has scheduled (E) demand but no [[roster.appointments]] sessions", sector.name));
            }
        }
    }

    let on_scene = [on_scene_i?, on_scene_s?];
    (ok && c.issues.is_empty()).then(|| Response {
        metric,
        turnout: r.turnout.unwrap_or(Duration(crate::time::MINUTE)),
        idle,
        patrol,
        borrow_within_km: borrow,
        divert: r.divert.unwrap_or(false),
        emergency_created_after: r
            .emergency_created_after
            .unwrap_or(Duration(crate::time::MINUTE)),
        paperwork,
        speed_kmh: speed,
        on_scene,
        two_units: two,
        categories,
        appointment_lead: r.appointment_lead.unwrap_or(Duration(2 * HOUR)),
        wards,
        sectors,
        constant_units,
        unit_shifts,
        appointments,
    })
}

/// Fixed calls' attributes, checked against the wards.
fn fixed_calls(
    c: &mut Check,
    p: &FieldPath,
    calls: &[CallFile],
    wards: Option<&[response::Ward]>,
) -> Vec<response::FixedCall> {
    use response::*;
    let mut out = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let cp = p.index(i);
        let mut fc = FixedCall {
            two_units: call.two_units,
            on_scene: call.on_scene,
            ..Default::default()
        };
        if let Some(name) = &call.ward {
            match wards.and_then(|w| w.iter().position(|w| &w.name == name)) {
                Some(w) => fc.ward = Some(w),
                None => c.bad(&cp.key("ward"), format!("unknown ward \"{name}\"")),
            }
        }
        match (call.x, call.y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => fc.position = Some((x, y)),
            (Some(_), Some(_)) => c.bad(&cp, "x and y must be finite numbers (km)"),
            (None, None) => {}
            _ => c.bad(&cp, "give both x and y, or neither"),
        }
        if let Some(g) = &call.grade {
            match GRADES.iter().position(|x| x == g) {
                Some(k) => fc.grade = Some(k),
                None => c.bad(
                    &cp.key("grade"),
                    format!("unknown grade \"{g}\"; allowed: I, S, E, R"),
                ),
            }
        }
        if let Some(k) = &call.category {
            match CATEGORIES.iter().position(|x| x == k) {
                Some(k) => fc.category = Some(k),
                None => c.bad(
                    &cp.key("category"),
                    format!(
                        "unknown category \"{k}\"; allowed: {}",
                        CATEGORIES.join(", ")
                    ),
                ),
            }
        }
        out.push(fc);
    }
    out
}
