//! Validation of a raw scenario file into a typed [`Scenario`], one part after another.
//!
//! Every problem is collected (not just the first), each with the path of its field, then mapped
//! to a line of the file.
//!
//! `validate` calls the parts in turn, each with what it needs of the parts before it: the
//! contact centre's channels (`contact`), the field side (`response`), the fixed calls' wards,
//! the contact centre and its handlers, the neighbourhood teams (`neighbourhood`), then the
//! workgroups and follow-up work (`followup`), and last pay (`pay`), whose rates are checked
//! against the people the rest of the scenario pays. The parts share `check` and call no other
//! part.

mod check;
mod contact;
mod followup;
mod neighbourhood;
mod officers;
mod overtime;
mod pay;
mod replay;
mod response;

use super::file::ScenarioFile;
use super::locate::FieldPath;
use super::presets::{self, PRESETS, TARGET_IDS};
use super::{Date, Error, RunSettings, Scenario, Source, Target};
use crate::time::{DAY, Deadline, Duration, HOUR};
use check::Check;
use std::path::Path;

/// The most replications a run may have (each keeps its overall figures for replications.csv).
pub const MAX_REPLICATIONS: i64 = 100_000;
/// The largest weight (hour-of-week and day weights, a ward's demand weight): far above any
/// real count, and small enough that no sum or product of weights can overflow to infinity.
pub const MAX_WEIGHT: f64 = 1e12;

pub(super) fn validate(f: ScenarioFile, text: &str, source: &Source) -> Result<Scenario, Error> {
    let mut c = Check::new(source);
    let (pledge, targets) = targets(&mut c, &f);
    let run = run(&mut c, &f);
    let mut channels = contact::channels(&mut c, &f, run.horizon);

    // The field side, and fixed calls' attributes (which may name wards).
    let mut response = response::response(&mut c, &f, &channels);
    let unit_overtime = overtime::units(&mut c, &f, &run);
    if let Some(r) = &mut response {
        r.overtime = unit_overtime;
    }
    let wards = response.as_ref().map(|r| r.wards.as_slice());
    contact::fixed_calls(&mut c, &f, &mut channels, wards);

    let (discipline, callbacks) = contact::centre(&mut c, &f);
    let handlers = contact::handlers(&mut c, &f, &channels);
    let stages = contact::stages(&mut c, &f, &mut channels, f.response.is_some());
    let overflow = contact::overflow(&mut c, &f, &channels);
    let overtime = overtime::handlers(&mut c, &f, &run);
    contact::callers_need(
        &mut c,
        &f,
        &channels,
        callbacks.as_ref(),
        response.is_some(),
    );

    // Neighbourhood teams and follow-up work.
    let mark = c.mark();
    let neighbourhood = neighbourhood::neighbourhood(&mut c, &f, response.as_ref());
    let mut workgroups = followup::workgroups(&mut c, &f);
    overtime::workgroups(&mut c, &f, &run, &mut workgroups);
    let followup = followup::followup(
        &mut c,
        &f,
        &targets,
        &workgroups,
        neighbourhood.as_ref(),
        response.as_ref(),
    );
    let officers = officers::officers(
        &mut c,
        &f,
        response.as_ref(),
        neighbourhood.as_ref(),
        &workgroups,
    );
    // A [response] section that is there but invalid (its errors, or its CSV file's, are
    // reported) is not missing: the parts that need it do not claim it is.
    if response.is_none() && f.response.is_some() {
        c.drop_since(mark, |m| m.contains("need a [") || m.contains("needs a ["));
    }
    // The replayed log, read once the rest is sound (its wards and targets are needed).
    let replay = replay::replay(&mut c, &f, &run, &channels, response.as_ref(), &targets);
    let pay = pay::pay(&mut c, &f);

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
        overflow,
        overtime,
        stages,
        handlers,
        response,
        bank_holidays: f.bank_holidays.clone(),
        neighbourhood,
        workgroups,
        followup,
        officers,
        replay,
        pay,
    };
    pay::rates_complete(&mut c, &scenario);

    c.finish(text)?;
    Ok(scenario)
}

/// The pledge preset, and the scenario's overrides of its targets.
fn targets(c: &mut Check, f: &ScenarioFile) -> (String, Vec<Target>) {
    let root = FieldPath::root();
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
    (pledge, targets)
}

/// The run settings: horizon, warm-up, drain limit, replications, seed.
fn run(c: &mut Check, f: &ScenarioFile) -> RunSettings {
    let rp = FieldPath::root().key("run");
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
    RunSettings {
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
    }
}

fn default_name(label: &str) -> String {
    Path::new(label.split(' ').next().unwrap_or(label))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}
