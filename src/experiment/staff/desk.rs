//! Whom a staffing search staffs and against what: the call handlers against answering
//! targets (T1, T2), or the dispatchers against a dispatch standard (the share of I and S
//! incidents a dispatcher takes within a time of their creation); the scenario each search
//! simulates, its hourly offered load, and what a replication counted.

use super::{Request, evaluate};
use crate::model::ReplicationResult;
use crate::model::result::ratio;
use crate::scenario::pay::{ROLE_DISPATCHER, ROLE_HANDLER};
use crate::scenario::{ChannelKind, HandlerRoster, Scenario};
use crate::time::{Duration, HOUR};

/// A target the search keeps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aim {
    /// An answering target, T1 (999) or T2 (non-emergency), within the scenario's time: the
    /// handlers are staffed.
    Answer(ChannelKind),
    /// Incidents (I and S) taken by a dispatcher within this long of their creation: the
    /// dispatchers are staffed (`staff --dispatchers`).
    Dispatch(Duration),
}

impl Aim {
    /// Its id in outputs: T1, T2 or `dispatch`.
    pub fn id(&self) -> &'static str {
        match self {
            Aim::Answer(ch) => ch.target_id(),
            Aim::Dispatch(_) => "dispatch",
        }
    }
    /// What it counts, in words: `999`, `non-emergency` or `I and S incidents within 2min`.
    pub fn label(&self) -> String {
        match self {
            Aim::Answer(ch) => ch.label().into(),
            Aim::Dispatch(d) => format!("I and S incidents within {d}"),
        }
    }
}

/// Whom a search staffs: the call handlers (answering targets) or the dispatchers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Desk {
    Handlers,
    Dispatchers,
}

impl Desk {
    /// The staff, in words.
    pub fn noun(self) -> &'static str {
        match self {
            Desk::Handlers => "handlers",
            Desk::Dispatchers => "dispatchers",
        }
    }
    /// Their pay role (see [`crate::scenario::pay`]).
    pub fn role(self) -> usize {
        match self {
            Desk::Handlers => ROLE_HANDLER,
            Desk::Dispatchers => ROLE_DISPATCHER,
        }
    }
    /// Their roster's table in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            Desk::Handlers => "roster.handlers",
            Desk::Dispatchers => "roster.dispatchers",
        }
    }
    /// Their roster in `sc` (None: the scenario has no dispatchers).
    pub fn roster(self, sc: &Scenario) -> Option<&HandlerRoster> {
        match self {
            Desk::Handlers => Some(&sc.handlers),
            Desk::Dispatchers => sc
                .response
                .as_ref()
                .and_then(|r| r.dispatchers.as_ref())
                .map(|d| &d.roster),
        }
    }
    pub(super) fn roster_mut(self, sc: &mut Scenario) -> &mut HandlerRoster {
        match self {
            Desk::Handlers => &mut sc.handlers,
            Desk::Dispatchers => {
                &mut sc
                    .response
                    .as_mut()
                    .and_then(|r| r.dispatchers.as_mut())
                    .expect("a checked request for dispatchers has them")
                    .roster
            }
        }
    }
}

/// What a replication counted for `aim`, by hour of the week (`[within, counted]`: calls
/// answered within the target and calls counted, as the headline share counts them; or
/// incidents a dispatcher took within the time and incidents created), and its overall share.
pub(super) fn counted(res: &ReplicationResult, aim: Aim) -> (Vec<[u64; 2]>, f64) {
    match aim {
        Aim::Answer(ch) => {
            let c = &res.channels[ch.index()];
            let hourly = c
                .hourly
                .iter()
                .map(|h| [h.within, h.answered + h.abandoned_after + h.unresolved])
                .collect();
            (hourly, c.total.headline())
        }
        Aim::Dispatch(_) => {
            let by_hour = res
                .response
                .as_ref()
                .and_then(|f| f.desk.as_ref())
                .map_or(&[][..], |d| &d.by_hour[..]);
            let hourly: Vec<[u64; 2]> = by_hour.iter().map(|&[n, w]| [w, n]).collect();
            let (w, n) = hourly.iter().fold((0, 0), |(w, n), &[a, b]| (w + a, n + b));
            (hourly, ratio(w, n))
        }
    }
}

/// The scenario the handlers' search simulates: the contact centre alone, with the targets'
/// shares as asked and no overtime call-in (the roster must keep the targets on its own:
/// overtime is for the nights it cannot, not part of the plan); and per hour of the week the
/// calls offered a second and the work they bring (handler-seconds a second), the channels
/// pooled, from the arrival rates, and the rate at which a waiting caller hangs up (the calls'
/// 1 / mean patience, averaged over the channels by their calls; 0 where no one hangs up).
pub(super) fn answering_base(sc: &Scenario, req: &Request) -> (Scenario, Hourly, Hourly, Hourly) {
    let mut base = sc.clone();
    base.response = None;
    base.neighbourhood = None;
    base.followup.clear();
    base.workgroups.clear();
    base.overtime = None;
    for (aim, share) in &req.targets {
        let Aim::Answer(ch) = aim else { continue };
        let id = ch.target_id();
        let t = base
            .targets
            .iter_mut()
            .find(|t| t.id == id)
            .expect("a target");
        t.share = *share;
        t.applies = true;
    }
    let start_hour = crate::time::Calendar::new(sc.run.start).start_weekday() * 24;
    let mut lambda = [0.0f64; 168];
    let mut work = [0.0f64; 168];
    let mut theta = [0.0f64; 168];
    for ch in &base.channels {
        let rates = ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
        let hang_up = ch.patience.as_ref().map_or(0.0, |p| 1.0 / p.mean_secs());
        for h in 0..168 {
            lambda[h] += rates[h] / 3600.0;
            work[h] += rates[h] / 3600.0 * ch.handling.mean_secs();
            theta[h] += rates[h] / 3600.0 * hang_up;
        }
    }
    for h in 0..168 {
        if lambda[h] > 0.0 {
            theta[h] /= lambda[h];
        }
    }
    (base, lambda, work, theta)
}

/// A figure for each hour of the week.
pub(super) type Hourly = [f64; 168];

/// The scenario the dispatchers' search simulates: the whole scenario (incidents come from
/// the calls its handlers answer), counting each hour's incidents taken within the dispatch
/// target's time; and per hour of the week the incidents created a second and the work they
/// bring (dispatcher-seconds a second, at the mean dispatch time). Incidents depend on the
/// calls, the handlers and the grading, not on the dispatchers, so their rate is measured
/// once, by simulating the scenario as written (one simulation; the incidents of an hour of
/// the week, pooled over replications, over the times that hour falls in the measured window).
pub(super) fn dispatching_base(
    sc: &Scenario,
    req: &Request,
    pool: &rayon::ThreadPool,
) -> (Scenario, [f64; 168], [f64; 168]) {
    let within = req
        .targets
        .iter()
        .find_map(|(a, _)| match a {
            Aim::Dispatch(d) => Some(*d),
            Aim::Answer(_) => None,
        })
        .expect("a dispatch target");
    let mut base = sc.clone();
    let d = base
        .response
        .as_mut()
        .and_then(|r| r.dispatchers.as_mut())
        .expect("a checked request for dispatchers has them");
    d.count_within = Some(within);
    let mean = d.dispatch_time.mean_secs();
    let pilot = evaluate(&base, req, pool);
    let cal = crate::time::Calendar::new(sc.run.start);
    let mut times = [0u64; 168];
    let mut t = sc.run.warm_up.0;
    while t < sc.run.horizon.0 {
        times[cal.hour_of_week(t)] += 1;
        t += HOUR;
    }
    let reps = f64::from(sc.run.replications.max(1));
    let mut lambda = [0.0f64; 168];
    let mut work = [0.0f64; 168];
    for h in 0..168 {
        if times[h] > 0 {
            lambda[h] = pilot.hour_calls[0][h] as f64 / (reps * times[h] as f64 * 3600.0);
            work[h] = lambda[h] * mean;
        }
    }
    (base, lambda, work)
}
