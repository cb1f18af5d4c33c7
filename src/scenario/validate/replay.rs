//! `[demand.replay]`: reads the call log once and turns its calls into the typed trace the
//! model replays, with the log's own figures over the measured period (the rules are in
//! [`crate::scenario::replay`]).

use super::check::Check;
use crate::log::{self, Mapping, Row};
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::replay::{Observed, Replay, Trace, TraceCall};
use crate::scenario::response::{FixedCall, GRADE_I, GRADE_S, Response};
use crate::scenario::{Arrivals, Channel, RunSettings, Target};
use crate::time::{DAY, Deadline, Duration};
use std::collections::HashMap;
use std::sync::Arc;

/// The few things of a row the replay keeps.
struct Kept {
    replication: u32,
    channel: usize,
    first: bool,
    silent: bool,
    caller: u64,
    /// Civil time on the simulation's calendar, ms from the run's start (may be negative).
    at: i64,
    /// The arrival as an instant (ms), for elapsed times.
    instant: i64,
    ward: Option<usize>,
    grade: Option<usize>,
    category: Option<usize>,
    answered: Option<i64>,
    abandoned: Option<i64>,
    created: bool,
    unit_arrived: Option<i64>,
    handling: Option<u64>,
    on_scene: Option<u64>,
    line: u64,
}

fn elapsed(t: Option<&Target>) -> Option<u64> {
    match t.and_then(|t| t.time) {
        Some(Deadline::Elapsed(d)) => Some(d.0),
        _ => None,
    }
}

fn rural_elapsed(t: Option<&Target>) -> Option<u64> {
    match t.and_then(|t| t.rural_time) {
        Some(Deadline::Elapsed(d)) => Some(d.0),
        _ => elapsed(t),
    }
}

pub(super) fn replay(
    c: &mut Check,
    f: &ScenarioFile,
    run: &RunSettings,
    channels: &[Channel],
    response: Option<&Response>,
    targets: &[Target],
) -> Option<Replay> {
    let r = f.demand.replay.as_ref()?;
    let p = FieldPath::root().key("demand").key("replay");
    let mut ok = true;
    for ch in channels {
        if matches!(ch.arrivals, Arrivals::Fixed { .. }) {
            c.bad(
                &FieldPath::root().key("demand").key(ch.kind.field()),
                "a replayed scenario takes its calls from the log: give the channel calls_per_week or calls_per_year (for its silent calls and load checks), not fixed arrivals or calls",
            );
            ok = false;
        }
    }
    let path = c.csv_path(&p.key("file"), &r.file);
    let mapping = match &r.mapping {
        None => Some(Mapping::default()),
        Some(m) => {
            let mp = c.csv_path(&p.key("mapping"), m)?;
            match Mapping::load(&mp) {
                Ok(m) => Some(m),
                Err(e) => {
                    external(c, e);
                    None
                }
            }
        }
    };
    let (path, mapping) = (path?, mapping?);
    if !ok || c.has_issues() {
        return None;
    }
    let wards: Vec<String> = response.map_or(Vec::new(), |r| {
        r.wards.iter().map(|w| w.name.clone()).collect()
    });
    let start_days = run.start.days_from_epoch();
    let mut rows: Vec<Kept> = Vec::new();
    let read = log::read(&path, &mapping, &wards, |row: &Row| {
        let inst = |name: &str| row.time(name).map(|s| s.instant);
        rows.push(Kept {
            replication: row.replication,
            channel: row.channel.index(),
            first: row.first,
            silent: row.silent,
            caller: row.caller_key,
            at: (row.arrival.days - start_days) * DAY as i64 + row.arrival.ms as i64,
            instant: row.arrival.instant,
            ward: row.ward,
            grade: row.grade,
            category: row.category,
            answered: inst("answered"),
            abandoned: inst("abandoned"),
            created: row.time("created").is_some(),
            unit_arrived: inst("unit_arrived"),
            handling: row.handling,
            on_scene: row.on_scene,
            line: row.line,
        });
    });
    let summary = match read {
        Ok(s) => s,
        Err(e) => {
            external(c, e);
            return None;
        }
    };
    let durations = r.durations.unwrap_or(false);
    let horizon = run.horizon.0 as i64;
    let warm_up = run.warm_up.0 as i64;
    let present = [0, 1].map(|i| channels.iter().any(|ch| ch.kind.index() == i));
    let reps = summary.replications.max(1) as usize;

    // Each caller's first attempt (arrival on the run's clock and as an instant), and the
    // handling and on-scene times of any of their attempts.
    let mut first: HashMap<(u32, u64), (i64, i64)> = HashMap::new();
    let mut handling: HashMap<(u32, u64), u64> = HashMap::new();
    let mut on_scene: HashMap<(u32, u64), u64> = HashMap::new();
    for k in &rows {
        let key = (k.replication, k.caller);
        if k.first && !k.silent {
            first.insert(key, (k.at, k.instant));
        }
        if let Some(h) = k.handling {
            handling.entry(key).or_insert(h);
        }
        if let Some(s) = k.on_scene {
            on_scene.entry(key).or_insert(s);
        }
    }

    let mut skipped: Vec<(String, u64)> = Vec::new();
    let mut skip = |why: &str| match skipped.iter_mut().find(|(w, _)| w == why) {
        Some((_, n)) => *n += 1,
        None => skipped.push((why.to_string(), 1)),
    };
    let mut trace: Trace = (0..reps).map(|_| [Vec::new(), Vec::new()]).collect();
    let mut lines: Vec<[Vec<u64>; 2]> = (0..reps).map(|_| [Vec::new(), Vec::new()]).collect();
    let (mut calls, mut handling_given, mut on_scene_given) = ([0u64; 2], 0u64, 0u64);
    let targets_of = |id: &str| targets.iter().find(|t| t.id == id);
    let answer_target = [elapsed(targets_of("T1")), elapsed(targets_of("T2"))];
    let attend = [
        (elapsed(targets_of("T3")), rural_elapsed(targets_of("T3"))),
        (elapsed(targets_of("T4")), elapsed(targets_of("T4"))),
    ];
    let mut observed = vec![Observed::default(); reps];
    for k in &rows {
        if !present[k.channel] {
            skip("calls of a channel the scenario does not have");
            continue;
        }
        let rep = k.replication as usize;
        let key = (k.replication, k.caller);
        // The log's figures: attempts whose caller's first attempt is measured.
        let caller_at = first.get(&key).map(|f| f.0).unwrap_or(k.at);
        if !k.silent && caller_at >= warm_up && caller_at < horizon {
            let o = &mut observed[rep];
            let ch = k.channel;
            o.offered[ch] += 1;
            let target = answer_target[ch].unwrap_or(u64::MAX) as i64;
            match (k.answered, k.abandoned) {
                (Some(a), _) => {
                    o.answered[ch] += 1;
                    if a - k.instant <= target {
                        o.within[ch] += 1;
                    }
                }
                (None, Some(a)) => {
                    o.abandoned[ch] += 1;
                    if a - k.instant > target {
                        o.abandoned_late[ch] += 1;
                    }
                }
                (None, None) => o.unresolved[ch] += 1,
            }
            if let (Some(g @ (GRADE_I | GRADE_S)), true) = (k.grade, k.created) {
                let rural = k
                    .ward
                    .and_then(|w| response.map(|r| r.wards[w].rural))
                    .unwrap_or(false);
                let (urban_t, rural_t) = attend[g];
                let t = if rural { rural_t } else { urban_t };
                let from = first.get(&key).map_or(k.instant, |f| f.1);
                o.incidents[g] += 1;
                if let (Some(u), Some(t)) = (k.unit_arrived, t) {
                    if u - from <= t as i64 {
                        o.attended_within[g] += 1;
                    }
                }
            }
        }
        if k.silent {
            skip("silent calls (the scenario makes its own)");
            continue;
        }
        if !k.first {
            skip("redials (the scenario makes its own)");
            continue;
        }
        if k.at < 0 || k.at >= horizon {
            skip("calls outside the run's period (start to horizon)");
            continue;
        }
        let mut given = FixedCall {
            ward: k.ward,
            grade: k.grade,
            category: k.category,
            ..FixedCall::default()
        };
        let mut h = None;
        if durations {
            h = handling.get(&key).copied();
            given.on_scene = on_scene.get(&key).map(|&s| Duration(s));
            handling_given += u64::from(h.is_some());
            on_scene_given += u64::from(given.on_scene.is_some());
        }
        calls[k.channel] += 1;
        trace[rep][k.channel].push(TraceCall {
            at: k.at as u64,
            given,
            handling: h,
        });
        lines[rep][k.channel].push(k.line);
    }
    // In order of arrival, rows of the same millisecond in the log's order.
    for (t, l) in trace.iter_mut().zip(&lines) {
        for ch in 0..2 {
            let mut idx: Vec<usize> = (0..t[ch].len()).collect();
            idx.sort_by_key(|&i| (t[ch][i].at, l[ch][i]));
            t[ch] = idx.into_iter().map(|i| t[ch][i].clone()).collect();
        }
    }
    if calls.iter().sum::<u64>() == 0 {
        c.bad(
            &p.key("file"),
            format!(
                "the log has no first attempts in the run's period ({} for {}): check [run] start and horizon against the log's dates",
                run.start, run.horizon
            ),
        );
        return None;
    }
    Some(Replay {
        file: r.file.clone(),
        sha256: sha256_of(&path),
        durations,
        log_replications: reps as u32,
        calls,
        handling_given,
        on_scene_given,
        skipped,
        observed,
        trace: Arc::new(trace),
    })
}

fn external(c: &mut Check, e: crate::error::Error) {
    match e {
        crate::error::Error::Input(list) => list.into_iter().for_each(|e| c.external(e)),
        other => c.external(crate::error::InputError::new("", "", other.to_string())),
    }
}

fn sha256_of(path: &std::path::Path) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = std::io::copy(&mut f, &mut h);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
