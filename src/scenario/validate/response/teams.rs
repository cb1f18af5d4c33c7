//! Response teams as people: rotas (cycles of weeks of shifts) and each sector's establishment
//! on one, turned into the unit shifts they crew.

use super::sectors::Names;
use crate::scenario::Shift;
use crate::scenario::file::{RotaFile, ScenarioFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::neighbourhood::ROLES;
use crate::scenario::response::{Team, UnitShift};
use crate::scenario::validate::check::Check;
use crate::time::{DAY, HOUR};

/// How far a rota's average weekly hours may be from the contracted hours.
pub const HOURS_TOLERANCE: f64 = 2.0;

/// A rota, checked: its shifts and, per week line, the shift (index) worked on each day.
struct Rota {
    shifts: Vec<(String, Shift)>,
    weeks: Vec<[Option<usize>; 7]>,
}

impl Rota {
    fn hours_per_week(&self) -> f64 {
        let total: u64 = self
            .weeks
            .iter()
            .flatten()
            .flatten()
            .map(|&s| self.shifts[s].1.length.0)
            .sum();
        total as f64 / HOUR as f64 / self.weeks.len().max(1) as f64
    }
}

fn rota(c: &mut Check, r: &RotaFile, p: &FieldPath) -> Option<Rota> {
    let mut shifts: Vec<(String, Shift)> = Vec::new();
    for (i, s) in r.shifts.iter().enumerate() {
        let sp = p.key("shifts").index(i);
        if s.code == "-" || s.code.is_empty() || s.code.contains(char::is_whitespace) {
            c.bad(
                &sp.key("code"),
                format!("a code is one word other than \"-\" (got \"{}\")", s.code),
            );
        }
        if shifts.iter().any(|(code, _)| *code == s.code) {
            c.bad(
                &sp.key("code"),
                format!("code \"{}\" is given twice", s.code),
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
        shifts.push((
            s.code.clone(),
            Shift {
                name: format!("{} {}", r.name, s.code),
                start: s.start,
                length: s.length,
                days: [false; 7],
                count: 0,
                dedicated_999: 0,
                breaks: Vec::new(),
            },
        ));
    }
    if r.weeks.is_empty() {
        c.bad(
            &p.key("weeks"),
            "a rota needs at least one week (a cycle of zero weeks has no shifts)",
        );
        return None;
    }
    let mut weeks = Vec::new();
    let mut ok = true;
    for (w, line) in r.weeks.iter().enumerate() {
        let wp = p.key("weeks").index(w);
        let codes: Vec<&str> = line.split_whitespace().collect();
        if codes.len() != 7 {
            c.bad(
                &wp,
                format!(
                    "a week is seven codes, Monday to Sunday, \"-\" for rest (got {}: \"{line}\")",
                    codes.len()
                ),
            );
            ok = false;
            continue;
        }
        let mut days = [None; 7];
        for (d, code) in codes.iter().enumerate() {
            if *code == "-" {
                continue;
            }
            match shifts.iter().position(|(k, _)| k == code) {
                Some(s) => days[d] = Some(s),
                None => {
                    let known: Vec<&str> = shifts.iter().map(|(k, _)| k.as_str()).collect();
                    c.bad(
                        &wp,
                        format!(
                            "unknown shift code \"{code}\"; the rota's codes are: {}, and \"-\"",
                            known.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
        }
        weeks.push(days);
    }
    ok.then_some(Rota { shifts, weeks })
}

/// The teams, with their unit shifts added to `unit_shifts`: one per rota line and shift code,
/// on the days that line works it.
pub(super) fn teams(
    c: &mut Check,
    f: &ScenarioFile,
    names: &Names,
    unit_shifts: &mut Vec<UnitShift>,
) -> Vec<Team> {
    let Some(o) = &f.officers else {
        return Vec::new();
    };
    let op = FieldPath::root().key("officers");
    let rotas: Vec<(String, Option<Rota>)> = o
        .rotas
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), rota(c, r, &op.key("rotas").index(i))))
        .collect();
    for (i, (name, _)) in rotas.iter().enumerate() {
        if rotas[..i].iter().any(|(n, _)| n == name) {
            c.bad(
                &op.key("rotas").index(i).key("name"),
                format!("rota \"{name}\" is named twice"),
            );
        }
    }
    let mut teams: Vec<Team> = Vec::new();
    for (t, tf) in o.teams.iter().enumerate() {
        let tp = op.key("teams").index(t);
        let sector = names.index(&tf.sector);
        if sector.is_none() {
            c.bad(
                &tp.key("sector"),
                format!(
                    "unknown sector \"{}\"; the sectors are: {}",
                    tf.sector, names.list
                ),
            );
        }
        let rota = match rotas.iter().find(|(n, _)| *n == tf.rota) {
            Some((_, r)) => r.as_ref(),
            None => {
                let known: Vec<&str> = rotas.iter().map(|(n, _)| n.as_str()).collect();
                c.bad(
                    &tp.key("rota"),
                    format!(
                        "unknown rota \"{}\"; the rotas are: {}",
                        tf.rota,
                        if known.is_empty() {
                            "(none)".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
                None
            }
        };
        let crew = tf.crew.unwrap_or(1);
        if !(1..=2).contains(&crew) {
            c.bad(
                &tp.key("crew"),
                format!("crew must be 1 (single) or 2 (double crewed) (got {crew})"),
            );
        }
        let contracted = tf.contracted_hours.unwrap_or(40.0);
        if !(contracted.is_finite() && contracted > 0.0 && contracted <= 80.0) {
            c.bad(
                &tp.key("contracted_hours"),
                format!("must be above 0 and at most 80 hours a week (got {contracted})"),
            );
        }
        let minimum = tf.minimum.unwrap_or(0);
        let mut backfill = Vec::new();
        for (i, role) in tf
            .backfill
            .clone()
            .unwrap_or_else(|| vec!["pc".into()])
            .iter()
            .enumerate()
        {
            match ROLES.iter().position(|r| r == role) {
                Some(k) if !backfill.contains(&k) => backfill.push(k),
                Some(_) => c.bad(
                    &tp.key("backfill").index(i),
                    format!("role \"{role}\" is given twice"),
                ),
                None => c.bad(
                    &tp.key("backfill").index(i),
                    format!("unknown role \"{role}\"; allowed: {}", ROLES.join(", ")),
                ),
            }
        }
        if tf.backfill.as_ref().is_some_and(|b| b.is_empty()) {
            c.bad(
                &tp.key("backfill"),
                "give at least one role, or leave `backfill` out",
            );
        }
        if minimum < 0 || minimum > tf.officers {
            c.bad(
                &tp.key("minimum"),
                format!(
                    "a minimum of {minimum} officers a shift cannot be above the team's establishment of {}",
                    tf.officers
                ),
            );
        } else if minimum > 0 && f.neighbourhood.is_none() {
            c.bad(
                &tp.key("minimum"),
                "a minimum strength is made up from neighbourhood officers: it needs a [neighbourhood] section",
            );
        }
        let (Some(sector), Some(rota)) = (sector, rota) else {
            continue;
        };
        let n = rota.weeks.len();
        if !(1..=100_000).contains(&tf.officers) || (tf.officers as usize) < n {
            c.bad(
                &tp.key("officers"),
                format!(
                    "{} officers cannot fill rota \"{}\": it has {n} week lines, each worked by \
                     a group of at least one officer",
                    tf.officers, tf.rota
                ),
            );
            continue;
        }
        let hours = rota.hours_per_week();
        if (hours - contracted).abs() > HOURS_TOLERANCE {
            c.bad(
                &tp.key("contracted_hours"),
                format!(
                    "rota \"{}\" gives {hours:.1} hours a week on average over its {n} weeks, \
                     not the {contracted} contracted (within {HOURS_TOLERANCE} hours)",
                    tf.rota
                ),
            );
        }
        let team = teams.len();
        for (line, days) in rota.weeks.iter().enumerate() {
            for (s, (_, shift)) in rota.shifts.iter().enumerate() {
                let mut on = [false; 7];
                for (d, day) in days.iter().enumerate() {
                    on[d] = *day == Some(s);
                }
                if on.iter().any(|x| *x) {
                    unit_shifts.push(UnitShift {
                        sector,
                        crew: crew.clamp(1, 2) as u32,
                        team: Some((team, line)),
                        shift: Shift {
                            days: on,
                            count: 1,
                            ..shift.clone()
                        },
                    });
                }
            }
        }
        teams.push(Team {
            name: tf.name.clone().unwrap_or_else(|| tf.sector.clone()),
            sector,
            officers: tf.officers as u32,
            crew: crew.clamp(1, 2) as u32,
            weeks: n,
            contracted_hours: contracted,
            rota_hours: hours,
            minimum: minimum.clamp(0, tf.officers) as u32,
            backfill,
        });
    }
    teams
}
