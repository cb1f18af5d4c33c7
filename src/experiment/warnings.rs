//! Warnings about a scenario that runs but may not mean what its author expects: one variant per kind, one printer.

use crate::model;
use crate::rng;
use crate::scenario::Scenario;
use crate::scenario::neighbourhood::Team;
use crate::time::{self, Duration};
use std::fmt;

/// A scenario that runs but may not mean what its author expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Over the week the calls offered need at least the handler-hours on duty.
    Overloaded {
        /// Handler-hours a week the calls need, and handler-hours a week on duty.
        load: f64,
        capacity: f64,
    },
    /// Some hours of the week are offered more than 1.5 times the handlers on duty.
    HoursOverloaded {
        hours: usize,
        /// The first such hour of the week (0: the start weekday's first hour).
        first: usize,
    },
    /// Follow-up tasks from calls go to a neighbourhood team in wards that have none.
    TasksNeverDone {
        target: &'static str,
        /// The first ward with demand and no team.
        ward: String,
    },
    /// A workgroup has more follow-up work a week than staff-hours.
    BacklogGrows {
        workgroup: String,
        hours: f64,
        staff_hours: f64,
    },
    /// No calendar month lies wholly between the warm-up and the horizon, so T6 has no figure.
    NoWholeMonth {
        warm_up: Duration,
        horizon: Duration,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Overloaded { load, capacity } => write!(
                f,
                "offered load ({load:.0} handler-hours a week of calls) is at least handler capacity ({capacity:.0} handler-hours a week): queues will not settle, and results depend on the horizon"
            ),
            Warning::HoursOverloaded { hours, first } => write!(
                f,
                "in {hours} hours of the week the offered load exceeds 1.5 times the handlers on duty (first: hour of week {first}); queues build up there"
            ),
            Warning::TasksNeverDone { target, ward } => write!(
                f,
                "{target} tasks from calls in wards without a neighbourhood team (first: {ward}) are never done: give every ward a team, or give the work to a workgroup"
            ),
            Warning::BacklogGrows {
                workgroup,
                hours,
                staff_hours,
            } => write!(
                f,
                "workgroup \"{workgroup}\" has about {hours:.0} hours of follow-up work a week for {staff_hours:.0} staff-hours: its backlog will grow without limit, and its results depend on the horizon"
            ),
            Warning::NoWholeMonth { warm_up, horizon } => write!(
                f,
                "no whole calendar month lies between the end of the warm-up ({warm_up}) and the horizon ({horizon}), so T6 (visible time per member-month) has no figure: run for at least two months"
            ),
        }
    }
}

/// The warnings about `sc`, in the order they are printed.
pub fn warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let staffed = sc.handlers.staffed_hours();
    let mut load = [0.0; 168];
    for ch in &sc.channels {
        let start_hour = time::Calendar::new(sc.run.start).start_weekday() * 24;
        let rates = ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
        for (l, r) in load.iter_mut().zip(rates) {
            *l += r * ch.handling.mean_secs() / 3600.0;
        }
    }
    let (total_load, total_staff): (f64, f64) = (load.iter().sum(), staffed.iter().sum());
    if total_load >= total_staff {
        out.push(Warning::Overloaded {
            load: total_load,
            capacity: total_staff,
        });
    }
    let overloaded: Vec<usize> = (0..168)
        .filter(|&h| load[h] > staffed[h] * 1.5 && load[h] > 0.5)
        .collect();
    if !overloaded.is_empty() && total_load < total_staff {
        out.push(Warning::HoursOverloaded {
            hours: overloaded.len(),
            first: overloaded[0],
        });
    }
    out.extend(followup_warnings(sc));
    if sc.neighbourhood.is_some() {
        // T6 is counted over calendar months wholly inside the measured window.
        let cal = time::Calendar::new(sc.run.start);
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let (start, end) = cal.month_bounds(lo);
        let first_whole_end = if start >= lo as i64 {
            end
        } else {
            cal.month_bounds(end).1
        };
        if first_whole_end > hi {
            out.push(Warning::NoWholeMonth {
                warm_up: sc.run.warm_up,
                horizon: sc.run.horizon,
            });
        }
    }
    out
}

/// The warnings' messages, as printed: what manifests record.
pub fn messages(sc: &Scenario) -> Vec<String> {
    warnings(sc).iter().map(Warning::to_string).collect()
}

/// Follow-up work a team cannot keep up with, or cannot do at all.
fn followup_warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(r) = &sc.response else { return out };
    let start_hour = time::Calendar::new(sc.run.start).start_weekday() * 24;
    // Calls a week per channel, and the grade mix averaged over wards by their demand.
    let mut per_grade_cat = [[0.0; 5]; 4];
    for ch in &sc.channels {
        let c = ch.kind.index();
        let calls: f64 = ch
            .arrivals
            .hourly_rates(sc.run.horizon, start_hour)
            .iter()
            .sum();
        let total_w: f64 = r.wards.iter().map(|w| w.weights[c]).sum();
        for w in &r.wards {
            let share = if total_w > 0.0 {
                w.weights[c] / total_w
            } else {
                0.0
            };
            for (g, row) in per_grade_cat.iter_mut().enumerate() {
                for (k, cat) in r.categories[g].iter().enumerate() {
                    row[k] += calls * share * w.grading[c][g] * cat;
                }
            }
        }
    }
    let mut load_h = vec![0.0; sc.workgroups.len()];
    for f in &sc.followup {
        let mut per_week = f.per_week;
        if f.from_calls() {
            for g in (0..4).filter(|&g| f.grades[g]) {
                for k in (0..5).filter(|&k| f.categories[k]) {
                    per_week += per_grade_cat[g][k] * f.share;
                }
            }
        }
        // A victim's case makes updates while it is open: with each made as soon as it may be
        // (`notice` before it falls due), update k falls due at k (interval - notice) + notice.
        // The expected count is estimated from 4096 case lengths drawn with a fixed seed.
        if let Some(case) = &f.case_length {
            let interval = match f.deadline {
                time::Deadline::Elapsed(d) => d.secs_f64(),
                time::Deadline::WorkingDays(n) => f64::from(n) * 1.4 * 86_400.0,
                time::Deadline::CalendarMonths(n) => f64::from(n) * 30.4 * 86_400.0,
            };
            let notice = f.notice.secs_f64();
            let sampler = model::dist::Sampler::new(case);
            let mut rng = rng::rng(0, 0);
            let draws = 4096;
            let updates: f64 = (0..draws)
                .map(|_| {
                    let length = sampler.sample(&mut rng) as f64 / 1000.0;
                    ((length - notice) / (interval - notice)).ceil().max(1.0) - 1.0
                })
                .sum();
            per_week *= updates / f64::from(draws);
        }
        match f.team {
            Team::Group(g) => load_h[g] += per_week * f.work.mean_secs() / 3600.0,
            Team::Neighbourhood => {
                if f.from_calls() {
                    if let Some(n) = &sc.neighbourhood {
                        if let Some(w) = r.wards.iter().enumerate().find(|(w, ward)| {
                            n.teams[*w].is_empty() && ward.weights.iter().any(|x| *x > 0.0)
                        }) {
                            out.push(Warning::TasksNeverDone {
                                target: f.target,
                                ward: w.1.name.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    for (g, group) in sc.workgroups.iter().enumerate() {
        let staff_h = f64::from(group.constant) * 168.0
            + group
                .shifts
                .iter()
                .map(|s| {
                    f64::from(s.count) * s.length.secs_f64() / 3600.0
                        * s.days.iter().filter(|d| **d).count() as f64
                })
                .sum::<f64>();
        if load_h[g] >= staff_h && load_h[g] > 0.0 {
            out.push(Warning::BacklogGrows {
                workgroup: group.name.clone(),
                hours: load_h[g],
                staff_hours: staff_h,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Format, Source};

    fn small(handlers: u32) -> Scenario {
        let text = include_str!("../../scenarios/small.toml")
            .replace("constant = 14", &format!("constant = {handlers}"));
        let source = Source {
            label: "small.toml".into(),
            dir: None,
            format: Format::Toml,
        };
        Scenario::parse(&text, &source).expect("the small scenario parses")
    }

    #[test]
    fn a_scenario_within_capacity_has_no_warnings() {
        assert_eq!(warnings(&small(14)), vec![]);
        assert!(messages(&small(14)).is_empty());
    }

    #[test]
    fn an_overloaded_scenario_is_warned_of_once_with_its_figures() {
        // 26880 calls a week of 4 minutes: 1792 handler-hours, against 10 x 168 = 1680.
        let w = warnings(&small(10));
        let [Warning::Overloaded { load, capacity }] = w.as_slice() else {
            panic!("one overload warning expected: {w:?}");
        };
        assert!((load - 1792.0).abs() < 1e-6, "{load}");
        assert_eq!(*capacity, 1680.0);
        assert_eq!(
            messages(&small(10)),
            vec![
                "offered load (1792 handler-hours a week of calls) is at least handler capacity (1680 handler-hours a week): queues will not settle, and results depend on the horizon"
            ]
        );
    }

    #[test]
    fn every_kind_prints_its_words() {
        let cases = [
            (
                Warning::HoursOverloaded {
                    hours: 12,
                    first: 8,
                },
                "in 12 hours of the week the offered load exceeds 1.5 times the handlers on duty (first: hour of week 8); queues build up there",
            ),
            (
                Warning::TasksNeverDone {
                    target: "T9",
                    ward: "Abbey".into(),
                },
                "T9 tasks from calls in wards without a neighbourhood team (first: Abbey) are never done: give every ward a team, or give the work to a workgroup",
            ),
            (
                Warning::BacklogGrows {
                    workgroup: "desk".into(),
                    hours: 403.4,
                    staff_hours: 336.0,
                },
                "workgroup \"desk\" has about 403 hours of follow-up work a week for 336 staff-hours: its backlog will grow without limit, and its results depend on the horizon",
            ),
            (
                Warning::NoWholeMonth {
                    warm_up: Duration(4 * 3_600_000),
                    horizon: Duration(7 * 86_400_000),
                },
                "no whole calendar month lies between the end of the warm-up (4h) and the horizon (1w), so T6 (visible time per member-month) has no figure: run for at least two months",
            ),
        ];
        for (w, says) in cases {
            assert_eq!(w.to_string(), says);
        }
    }
}
