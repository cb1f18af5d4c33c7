//! Validation of a raw scenario file into a typed [`Scenario`]. Every problem is collected (not
//! just the first), each with the path of its field, then mapped to a line of the file.

use super::file::*;
use super::locate::{self, FieldPath};
use super::presets::{self, PRESETS, TARGET_IDS};
use super::*;
use crate::time::{DAY, Deadline, Duration, HOUR};

/// Collects problems while validating.
struct Check<'a> {
    source: &'a Source,
    issues: Vec<(FieldPath, String)>,
    /// Errors located in other files (CSV files beside the scenario).
    external: Vec<InputError>,
}

impl Check<'_> {
    fn bad(&mut self, path: &FieldPath, msg: impl Into<String>) {
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
            if matches!(id.as_str(), "T1" | "T2") && !matches!(time, Deadline::Elapsed(_)) {
                c.bad(
                    &p.key("time"),
                    "answering targets need an elapsed time such as \"10s\"",
                );
            }
            t.time = Some(time);
            t.note = None;
        }
        if o.rural_time.is_some() {
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
    if !(1..=1_000_000).contains(&replications) {
        c.bad(
            &rp.key("replications"),
            format!("replications must be a whole number from 1 to 1000000 (got {replications})"),
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
        replications: replications.clamp(1, 1_000_000) as u32,
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

    // Contact centre.
    let cp = root.key("contact_centre");
    let discipline = match f.contact_centre.discipline.as_deref() {
        None | Some("priority") => Discipline::Priority,
        Some("fcfs") => Discipline::Fcfs,
        Some(other) => {
            c.bad(
                &cp.key("discipline"),
                format!("unknown discipline \"{other}\"; allowed: priority, fcfs"),
            );
            Discipline::Priority
        }
    };
    let callbacks = f.contact_centre.callbacks.as_ref().and_then(|cb| {
        let p = cp.key("callbacks");
        let priority = match cb.priority.as_deref() {
            None | Some("after-999") => CallbackPriority::After999,
            Some("last") => CallbackPriority::Last,
            Some(other) => {
                c.bad(
                    &p.key("priority"),
                    format!("unknown priority \"{other}\"; allowed: after-999, last"),
                );
                CallbackPriority::After999
            }
        };
        dist(&mut c, &p.key("handling"), &cb.handling)
            .map(|handling| Callbacks { handling, priority })
    });

    // Roster.
    let handlers = roster(
        &mut c,
        &root.key("roster").key("handlers"),
        &f.roster.handlers,
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
        ch.arrivals.is_some(),
    ];
    let arrivals = match volumes.iter().filter(|v| **v).count() {
        1 => {
            if let Some(times) = &ch.arrivals {
                let mut times = times.clone();
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
                let ok = c.positive(&p.key(field), per_week, field);
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
                "give the volume: calls_per_week, calls_per_year or fixed arrivals",
            );
            None
        }
        _ => {
            c.bad(
                p,
                "give only one of calls_per_week, calls_per_year and arrivals",
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
        match crate::csvfile::read_profile(&path) {
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

fn dist(c: &mut Check, p: &FieldPath, d: &DistFile) -> Option<Dist> {
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
                    match crate::csvfile::read_durations(
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
    for (i, s) in r.shifts.iter().enumerate() {
        let sp = p.key("shifts").index(i);
        let n = if s.count < 1 {
            c.bad(
                &sp.key("count"),
                format!("a shift needs at least 1 handler (got {})", s.count),
            );
            0
        } else {
            count(c, sp.key("count"), s.count, 1)
        };
        let dedicated = count(c, sp.key("dedicated_999"), s.dedicated_999.unwrap_or(0), 0);
        if dedicated > n {
            c.bad(
                &sp.key("dedicated_999"),
                format!("cannot exceed count ({n})"),
            );
        }
        if s.length.0 == 0 || s.length.0 > DAY {
            c.bad(
                &sp.key("length"),
                format!(
                    "a shift's length must be more than 0 and at most 24h (got {})",
                    s.length
                ),
            );
        }
        let days = days(c, &sp.key("days"), s.days.as_deref());
        let mut end_of_last = 0;
        for (j, b) in s.breaks.iter().enumerate() {
            let bp = sp.key("breaks").index(j);
            if b.length.0 == 0 {
                c.bad(&bp.key("length"), "a break's length must be greater than 0");
            }
            let stagger = b.stagger.unwrap_or_default();
            if b.after.0 < end_of_last {
                c.bad(&bp.key("after"), "breaks must be in order, and a break must start after the last handler's previous break has ended");
            }
            let last_end = b.after.0 + u64::from(n.saturating_sub(1)) * stagger.0 + b.length.0;
            if last_end > s.length.0 {
                c.bad(&bp, format!("the last handler's break must end within the shift ({}): after + (count - 1) x stagger + length = {}", s.length, Duration(last_end)));
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
    if constant == 0 && r.shifts.is_empty() {
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

fn days(c: &mut Check, p: &FieldPath, d: Option<&[String]>) -> [bool; 7] {
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
