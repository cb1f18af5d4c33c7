//! pledgesim: a discrete-event, parallel Monte Carlo simulator of police contact centres,
//! measuring what share of calls meets each Policing Pledge target, with confidence intervals.
//!
//! The way through: a scenario file is parsed and validated into a [`scenario::Scenario`];
//! [`experiment::run`] runs its replications in parallel, each a [`model::ContactCentre`]
//! driven by the policing-free [`engine`]; the summaries go to the output contract
//! ([`output`]). Nothing reaches back: the model never reads the command line.

pub mod cli;
pub mod csvfile;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod model;
pub mod output;
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
    out
}
