//! pledgesim: a discrete-event, parallel Monte Carlo simulator of police contact centres,
//! measuring what share of calls meets each Policing Pledge target, with confidence intervals.
//!
//! The way through: a scenario file is parsed and validated into a [`scenario::Scenario`];
//! [`experiment::run`] runs its replications in parallel, each a [`model::ContactCentre`]
//! driven by the policing-free [`engine`]; the summaries go to the output contract
//! ([`output`]). Nothing reaches back: the model never reads the command line.

pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod measure;
pub mod model;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod stats;
pub mod time;

pub use error::{Error, InputError};
pub use scenario::Scenario;

/// Warnings about a scenario that runs but may not mean what its author expects.
pub fn warnings(sc: &Scenario) -> Vec<String> {
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
        out.push(format!(
            "offered load ({:.0} handler-hours a week of calls) is at least handler capacity ({:.0} handler-hours a week): queues will not settle, and results depend on the horizon",
            total_load, total_staff
        ));
    }
    let overloaded: Vec<usize> = (0..168)
        .filter(|&h| load[h] > staffed[h] * 1.5 && load[h] > 0.5)
        .collect();
    if !overloaded.is_empty() && total_load < total_staff {
        out.push(format!(
            "in {} hours of the week the offered load exceeds 1.5 times the handlers on duty (first: hour of week {}); queues build up there",
            overloaded.len(),
            overloaded[0]
        ));
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
            out.push(format!(
                "no whole calendar month lies between the end of the warm-up ({}) and the horizon ({}), so T6 (visible time per member-month) has no figure: run for at least two months",
                sc.run.warm_up, sc.run.horizon
            ));
        }
    }
    out
}

/// Follow-up work a team cannot keep up with, or cannot do at all.
fn followup_warnings(sc: &Scenario) -> Vec<String> {
    use scenario::neighbourhood::Team;
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
                            out.push(format!(
                                "{} tasks from calls in wards without a neighbourhood team (first: {}) are never done: give every ward a team, or give the work to a workgroup",
                                f.target,
                                w.1.name
                            ));
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
            out.push(format!(
                "workgroup \"{}\" has about {:.0} hours of follow-up work a week for {:.0} staff-hours: its backlog will grow without limit, and its results depend on the horizon",
                group.name, load_h[g], staff_h
            ));
        }
    }
    out
}
