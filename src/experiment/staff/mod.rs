//! Staffing search: the fewest call handlers, hour by hour of the week, that keep the answering
//! targets (T1, T2) with a chosen confidence, and a shift roster that covers them.
//!
//! 1. Analytic start: per hour of the week, the Erlang C minimum for the hour's offered load
//!    (the channels pooled, first come first served; each targeted channel's time and share);
//!    where callers hang up, the Erlang A minimum instead (M/M/n+M, the callers' patience
//!    taken as exponential with its mean, averaged over the channels by their calls), found by
//!    searching down from Erlang C and never below the floor of step 3. Erlang A is exact only
//!    for exponential patience: the simulation corrects the rest.
//! 2. Simulation, with the scenario's seeds and replications (the contact centre alone: the field
//!    side does not affect answering; without overtime call-in, so that the roster keeps the
//!    targets on its own). Hours whose calls, pooled over replications, miss a
//!    target's share by more than two standard errors (of the hour's share over replications)
//!    get one more handler; when none does but the targets are not kept in `confidence` of
//!    replications (counted, and estimated cautiously: the replications' shares taken as normal
//!    about the lower end of their mean's 95% interval, so that fresh seeds keep them too), the hours short at all get one, those raised least above Erlang C first
//!    (or, if none is short, the hour with the least margin). Repeat.
//! 3. Reduction: hours whose share is above the target by two standard errors try one handler
//!    fewer, alternate hours at a time; a reduction stands only where the hour, with one fewer,
//!    is still above the target by two standard errors and the targets are still kept. No hour
//!    goes below its steady-state need: the Erlang C minimum when no caller hangs up (exact for
//!    a steady load: a single hour below it only borrows from its neighbours' slack), else the
//!    hour's offered load in Erlangs, rounded up (callers who hang up lighten the load, which
//!    Erlang C does not know).
//! 4. Shifts: the least-cost roster whose handlers on duty meet the hourly need, an integer
//!    programme solved as [`design`] describes (cost: the scenario's handler pay with its
//!    enhancements, or staff-hours without pay rates). The shifts it chooses from are either
//!    the scenario's own patterns (start times and lengths, on any day; or 8-hour shifts
//!    starting on any hour when it has none), each keeping the breaks and the dedicated 999
//!    handlers of the scenario's first shift of its start and length (split into shifts of as
//!    many handlers as its staggered breaks leave room for, so that every handler's break ends
//!    within the shift); or, under [`Rules`] (`--shift-grid`), every shift on a grid of start
//!    times within allowed windows, of the allowed lengths, with a break placed within its
//!    window (the programme chooses where, so that breaks are staggered across shifts), and as
//!    many dedicated 999 handlers as keep the scenario's own on duty slot by slot. The roster
//!    is checked by simulation with the same seeds, breaks and dedicated handlers as written
//!    (the figures reported for it are those of roster.toml pasted back into the scenario);
//!    where it does not keep the targets in `confidence` of replications, the need of the
//!    hours short is raised as in step 2 and the programme solved again, at most five times.
//!
//! Targets that no staffing within the search's bounds keeps (an hour would need more than
//! four times its Erlang C need and 50 more, or the search does not settle in 200 simulations)
//! are an answer, not an error: the [`Staffing`] carries the verdict in words
//! ([`Staffing::unreachable`], ending with the best staffing found and each target it misses,
//! its share and interval against the share required), the hourly need reached and no roster.
//! A request that cannot be searched ([`check`]: a target the scenario has no calls for, shifts
//! that leave hours with calls uncovered, fewer than 2 replications, pay rates without a
//! handler rate above 0 when the roster's cost is minimised) is an input error, every problem
//! at once.

pub mod design;
mod desk;
mod frontier;
mod improve;
mod shifts;

pub use desk::{Aim, Desk};
use desk::{answering_base, counted, dispatching_base};
pub use frontier::{FRONTIER_POINTS, FrontierPoint, frontier, parse_frontier};
use shifts::{DAYS, dedicated_slots, designed_shifts, shifts_of, variants};
pub use shifts::{roster_cost, roster_toml, shift_cost};

use super::{RunOptions, pool, run_replication};
use crate::error::{Error, InputError};
use crate::model::result::ratio;
use crate::scenario::pay::Pay;
use crate::scenario::{Scenario, Shift};
use crate::stats::queueing;
use crate::stats::summary::Accumulator;
use crate::time::{Duration, HOUR, TimeOfDay};
use design::Rules;
use rayon::prelude::*;

/// What the planner asks for.
#[derive(Clone, Debug)]
pub struct Request {
    /// (target, required share) for each target searched for: answering targets, or one
    /// dispatch target alone.
    pub targets: Vec<(Aim, f64)>,
    /// The share of replications that must keep every target.
    pub confidence: f64,
    /// The rules of designed shifts (`--shift-grid`); None: the scenario's own shift patterns.
    pub rules: Option<Rules>,
}

impl Request {
    /// Whom the request staffs: the dispatchers when it asks for a dispatch target.
    pub fn desk(&self) -> Desk {
        if self
            .targets
            .iter()
            .any(|(a, _)| matches!(a, Aim::Dispatch(_)))
        {
            Desk::Dispatchers
        } else {
            Desk::Handlers
        }
    }
}

/// What the search found.
#[derive(Clone, Debug)]
pub struct Staffing {
    /// The verdict when no staffing within the search's bounds keeps the targets, in words;
    /// then `need` is where the search stopped, and there is no roster (`roster` empty,
    /// `coverage` zero, `achieved_roster` empty).
    pub unreachable: Option<String>,
    pub erlang_c: Vec<u32>,
    /// Where callers hang up: the per-hour Erlang A start the search began from (else None:
    /// it began from `erlang_c`).
    pub start: Option<Vec<u32>>,
    pub need: Vec<u32>,
    pub coverage: Vec<u32>,
    pub roster: Vec<Shift>,
    /// Hours where the need is above Erlang C: queues carry over into them.
    pub binding: Vec<usize>,
    /// Simulations run.
    pub evaluations: usize,
    /// Staff hours a week: the roster's, the hourly need's (a lower bound for any roster), the
    /// input roster's.
    pub roster_hours: f64,
    pub need_hours: f64,
    pub input_hours: f64,
    /// Per target: (channel, required, mean share, ci, share of replications keeping it), for
    /// the hourly need and for the roster.
    pub achieved_need: Vec<Achieved>,
    pub achieved_roster: Vec<Achieved>,
    /// The same for per-hour Erlang C alone (the search's first step).
    pub achieved_erlang_c: Vec<Achieved>,
    /// How the roster was made from the hourly need (None when no roster is proposed).
    pub design: Option<ShiftDesign>,
    /// The scenario's own roster's weekly cost, in the units of [`ShiftDesign::costed`].
    pub input_cost: f64,
    /// Whether costs are pounds (the scenario's handler pay) or staff-hours.
    pub costed: bool,
}

/// How the roster was made from the hourly need: the integer programme of [`design`], its
/// size, answer and bound, and the simulation's repairs.
#[derive(Clone, Debug)]
pub struct ShiftDesign {
    /// Whether the shifts were designed on a grid (`--shift-grid`) rather than taken from the
    /// scenario's own patterns.
    pub grid: bool,
    /// Whether costs are pounds a week (the scenario's handler pay) or, without pay rates,
    /// staff-hours a week.
    pub costed: bool,
    /// Shifts the programme could choose from, and its rows.
    pub shifts_allowed: usize,
    pub rows: usize,
    /// The roster's weekly cost; the greedy cover's on the same need; a proven lower bound.
    pub cost: f64,
    pub greedy_cost: f64,
    pub lower_bound: f64,
    /// Whether the roster is proven the cheapest that covers the need (within the node limit).
    pub proven: bool,
    pub nodes: u64,
    /// Times the simulation found the roster short and the need was raised and the programme
    /// solved again.
    pub repairs: usize,
}

#[derive(Clone, Debug)]
pub struct Achieved {
    pub aim: Aim,
    pub required: f64,
    pub mean: f64,
    pub ci: (f64, f64),
    pub reps_meeting: f64,
    /// The share of replications expected to meet the target, taking the replications' shares
    /// as normal with the lower end of the mean's 95% interval and their standard deviation:
    /// a steadier and more cautious figure than the count.
    pub reps_meeting_cautious: f64,
}

/// One simulation of a staffing: per targeted channel, pooled hourly counts and the per
/// replication overall shares.
struct Eval {
    /// [target][hour]: pooled share, and the standard error of the hour's share over replications.
    hour_share: Vec<Vec<f64>>,
    hour_se: Vec<Vec<f64>>,
    hour_calls: Vec<Vec<u64>>,
    achieved: Vec<Achieved>,
}

impl Eval {
    /// Whether every target is kept in `confidence` of replications, counted and by the
    /// cautious estimate (so that fresh seeds keep it too).
    fn kept(&self, confidence: f64) -> bool {
        self.achieved
            .iter()
            .all(|a| a.reps_meeting >= confidence && a.reps_meeting_cautious >= confidence)
    }
    /// Hours where some target's pooled share is below its required share (by more than
    /// `ses` standard errors of the hour's share over replications).
    fn failing(&self, req: &Request, ses: f64) -> Vec<usize> {
        (0..168)
            .filter(|&h| {
                req.targets.iter().enumerate().any(|(k, (_, share))| {
                    self.hour_calls[k][h] > 0
                        && self.hour_share[k][h] + ses * self.hour_se[k][h] < *share
                })
            })
            .collect()
    }
    /// The least margin of an hour over the targets (infinite where it has no calls).
    fn margin(&self, req: &Request, h: usize) -> f64 {
        req.targets
            .iter()
            .enumerate()
            .filter(|(k, _)| self.hour_calls[*k][h] > 0)
            .map(|(k, (_, share))| self.hour_share[k][h] - share)
            .fold(f64::INFINITY, f64::min)
    }
    /// Whether the hour passes with two standard errors to spare.
    fn comfortable(&self, req: &Request, h: usize) -> bool {
        req.targets.iter().enumerate().all(|(k, (_, share))| {
            self.hour_calls[k][h] == 0 || self.hour_share[k][h] - 2.0 * self.hour_se[k][h] >= *share
        })
    }
}

/// The scenario staffed with `n[h]` handlers in hour h of the week. A handler on in
/// consecutive hours works them as one shift (the staffing is cut into layers: layer k is on
/// where n[h] >= k, and each run of hours in a layer is one shift), so that hour boundaries do
/// not swap one set of handlers for another.
pub fn hourly_roster(base: &Scenario, n: &[u32]) -> Scenario {
    hourly_roster_of(base, Desk::Handlers, n)
}

/// The scenario with `desk` staffed with `n[h]` in hour h of the week, as [`hourly_roster`].
pub fn hourly_roster_of(base: &Scenario, desk: Desk, n: &[u32]) -> Scenario {
    let mut sc = base.clone();
    let roster = desk.roster_mut(&mut sc);
    roster.constant = 0;
    roster.constant_dedicated_999 = 0;
    let mut runs: Vec<(usize, usize, u32)> = Vec::new(); // (first hour, hours, count)
    let top = n.iter().copied().max().unwrap_or(0);
    for k in 1..=top {
        let on = |h: usize| n[h % 168] >= k;
        if (0..168).all(on) {
            runs.push((0, 168, 1));
            continue;
        }
        // Runs in the cyclic week, each starting where the hour before is off.
        for h in (0..168).filter(|&h| on(h) && !on(h + 167)) {
            let len = (0..168).take_while(|&i| on(h + i)).count();
            runs.push((h, len, 1));
        }
    }
    runs.sort_unstable();
    let mut merged: Vec<(usize, usize, u32)> = Vec::new();
    for r in runs {
        match merged.last_mut() {
            Some(m) if m.0 == r.0 && m.1 == r.1 => m.2 += 1,
            _ => merged.push(r),
        }
    }
    roster.shifts = merged
        .into_iter()
        .map(|(h, len, count)| {
            let mut days = [false; 7];
            days[h / 24] = true;
            Shift {
                name: format!("hours {h}+{len}"),
                start: TimeOfDay((h as u64 % 24) * HOUR),
                length: Duration(len as u64 * HOUR),
                days,
                count,
                dedicated_999: 0,
                breaks: Vec::new(),
            }
        })
        .collect();
    sc
}

fn evaluate(sc: &Scenario, req: &Request, pool: &rayon::ThreadPool) -> Eval {
    let reps = sc.run.replications;
    let results: Vec<_> = pool.install(|| {
        (0..reps)
            .into_par_iter()
            .map(|r| {
                let res = run_replication(sc, r);
                // A replication the memory guard stopped misses every target: an overloaded
                // staffing is a miss, never an error.
                let over = res.overload.is_some();
                req.targets
                    .iter()
                    .map(|(aim, _)| {
                        let (hourly, overall) = counted(&res, *aim);
                        (hourly, if over { 0.0 } else { overall })
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    let nt = req.targets.len();
    let mut hour_share = vec![vec![f64::NAN; 168]; nt];
    let mut hour_se = vec![vec![0.0; 168]; nt];
    let mut hour_calls = vec![vec![0u64; 168]; nt];
    let mut achieved = Vec::new();
    for (k, (aim, share)) in req.targets.iter().enumerate() {
        for h in 0..168 {
            let mut pooled = [0u64; 2];
            let mut acc = Accumulator::default();
            for rep in &results {
                let [within, counted] = rep[k].0.get(h).copied().unwrap_or_default();
                pooled[0] += within;
                pooled[1] += counted;
                acc.push(ratio(within, counted), None);
            }
            hour_share[k][h] = ratio(pooled[0], pooled[1]);
            hour_calls[k][h] = pooled[1];
            let e = acc.estimate();
            hour_se[k][h] = if e.n >= 2 { e.se() } else { 0.0 };
        }
        let mut acc = Accumulator::default();
        for rep in &results {
            acc.push(rep[k].1, Some(*share));
        }
        let e = acc.estimate();
        let cautious = if e.n < 2 || !e.ci_low.is_finite() {
            0.0
        } else if e.sd == 0.0 {
            f64::from(u8::from(e.mean >= *share))
        } else {
            use statrs::distribution::{ContinuousCDF, Normal};
            Normal::new(0.0, 1.0)
                .map(|z| z.cdf((e.ci_low - share) / e.sd))
                .unwrap_or(0.0)
        };
        achieved.push(Achieved {
            aim: *aim,
            required: *share,
            mean: e.mean,
            ci: (e.ci_low.max(0.0), e.ci_high.min(1.0)),
            reps_meeting: acc.share_meeting().unwrap_or(0.0),
            reps_meeting_cautious: cautious,
        });
    }
    Eval {
        hour_share,
        hour_se,
        hour_calls,
        achieved,
    }
}

/// The most times the roster is repaired after its simulation finds it short.
const MAX_REPAIRS: usize = 5;

/// The refusal of allowed shifts that leave `hours` (which have calls) uncovered: under
/// `rules`, naming the shift-design option that narrows the shifts; else the scenario's
/// patterns.
fn uncoverable(hours: &[usize], desk: Desk, rules: Option<&Rules>, file: &str) -> InputError {
    let shown: Vec<String> = hours
        .iter()
        .take(5)
        .map(|h| format!("{} {:02}:00", DAYS[h / 24], h % 24))
        .collect();
    match rules {
        None => InputError::new(
            file,
            format!("{}.shifts", desk.key()),
            format!(
                "the targets cannot be kept with the scenario's shift patterns: no pattern covers {} hour(s) that need {} (first: {}); add shift patterns that do, or design shifts with --shift-grid",
                hours.len(),
                desk.noun(),
                shown.join(", ")
            ),
        ),
        Some(r) => {
            let field = if r.windows.is_empty() {
                "--shift-lengths"
            } else {
                "--shift-starts"
            };
            InputError::new(
                "command line",
                field,
                format!(
                    "no shift the design rules allow (starts every {} {}, lengths {}) covers {} hour(s) that have calls and so need {} (first: {}); widen --shift-starts or allow longer --shift-lengths",
                    Duration(r.grid),
                    if r.windows.is_empty() {
                        "at any time of day".to_string()
                    } else {
                        format!(
                            "in {}",
                            r.windows
                                .iter()
                                .map(|&(a, b)| format!("{}-{}", TimeOfDay(a), TimeOfDay(b)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    r.lengths
                        .iter()
                        .map(|&l| Duration(l).to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    hours.len(),
                    desk.noun(),
                    shown.join(", ")
                ),
            )
        }
    }
}

/// Every reason the request cannot be searched, all at once (empty: it can be): fewer than 2
/// replications, a target the scenario has no calls for, pay rates that leave the roster's
/// cost undefined (rates for some roles but none above 0 for handlers: the shift design
/// minimises the handlers' cost), and hours with calls that no allowed shift covers. `file`
/// names the scenario in the messages about its fields.
pub fn check(sc: &Scenario, req: &Request, file: &str) -> Vec<InputError> {
    let mut errors = Vec::new();
    if sc.run.replications < 2 {
        errors.push(InputError::new(
            "command line",
            "--replications",
            "the staffing search needs at least 2 replications: the share keeping the targets, and the hours' standard errors, come from their spread",
        ));
    }
    let desk = req.desk();
    for (aim, _) in &req.targets {
        match aim {
            Aim::Answer(ch) if sc.channel(*ch).is_none() => errors.push(InputError::new(
                "command line",
                "--target",
                format!(
                    "{}: the scenario has no {} calls",
                    ch.target_id(),
                    ch.label()
                ),
            )),
            Aim::Dispatch(_) if desk.roster(sc).is_none() => errors.push(InputError::new(
                "command line",
                "--dispatchers",
                "the scenario has no dispatchers to staff: add [roster.dispatchers] (with [response]) first",
            )),
            _ => {}
        }
    }
    if desk == Desk::Dispatchers && req.targets.iter().any(|(a, _)| matches!(a, Aim::Answer(_))) {
        errors.push(InputError::new(
            "command line",
            "--dispatchers",
            "staff the handlers (--target) and the dispatchers (--dispatchers) in two searches: they are different rosters",
        ));
    }
    if let Some(pay) = sc.pay.as_ref().filter(|p| p.costed()) {
        let (name, role) = match desk {
            Desk::Handlers => ("handler", "handlers"),
            Desk::Dispatchers => ("dispatcher", "dispatchers"),
        };
        let why = match pay.roles[desk.role()].base {
            None => Some(format!(
                "no pay rate for {role}: the scenario has rates for other roles, so the search minimises the designed roster's cost in pounds, which needs the {role}' rate; give `base` (pounds an hour, above 0), or leave out every `base` to minimise staff-hours"
            )),
            Some(b) if b <= 0.0 => Some(format!(
                "a {name} rate of {b}: the search minimises the designed roster's cost, and at this rate every roster costs nothing, so there is no cheapest; give `base` above 0 (pounds an hour), or leave out every `base` to minimise staff-hours"
            )),
            Some(_) => None,
        };
        if let Some(why) = why {
            errors.push(InputError::new(file, format!("pay.roles.{name}.base"), why));
        }
    }
    let Some(roster) = desk.roster(sc) else {
        return errors;
    };
    // The allowed shifts must cover every hour with calls: else no roster can be made,
    // however the search turns out.
    let mut calls = [0u32; 168];
    let start_hour = crate::time::Calendar::new(sc.run.start).start_weekday() * 24;
    for ch in &sc.channels {
        let rates = ch.arrivals.hourly_rates(sc.run.horizon, start_hour);
        for h in 0..168 {
            calls[h] |= u32::from(rates[h] > 0.0);
        }
    }
    let missing = design::uncoverable(&calls, &variants(roster, req.rules.as_ref()));
    if !missing.is_empty() {
        errors.push(uncoverable(&missing, desk, req.rules.as_ref(), file));
    }
    errors
}

/// The hours to give one more after `last` missed: the hours clearly short (`clearly`, by two
/// standard errors); if none is but the targets are not kept, the hours short at all that are
/// raised least above the search's start (to spread the raise evenly); failing that, the hour
/// with calls with the least margin. None when no hour has calls.
fn to_raise(
    last: &Eval,
    req: &Request,
    clearly: Vec<usize>,
    need: &[u32],
    start: &[u32],
    lambda: &[f64],
) -> Option<Vec<usize>> {
    if !clearly.is_empty() {
        return Some(clearly);
    }
    let short = last.failing(req, 0.0);
    if !short.is_empty() {
        let above = |h: usize| i64::from(need[h]) - i64::from(start[h]);
        let least = short.iter().map(|&h| above(h)).min().unwrap_or(0);
        return Some(short.into_iter().filter(|&h| above(h) == least).collect());
    }
    (0..168)
        .filter(|&h| lambda[h] > 0.0)
        .min_by(|&a, &b| last.margin(req, a).total_cmp(&last.margin(req, b)))
        .map(|h| vec![h])
}

/// What a staffing misses, in words: each target's achieved share with its 95% interval
/// against the share required, and the share of replications keeping it against the
/// confidence asked.
fn misses(achieved: &[Achieved], confidence: f64) -> String {
    let pct = |v: f64| format!("{:.1}%", v * 100.0);
    let missed: Vec<String> = achieved
        .iter()
        .filter(|a| a.reps_meeting < confidence || a.reps_meeting_cautious < confidence)
        .map(|a| {
            format!(
                "{} ({} calls): {} ({}-{}) within target against {} required, kept in {:.0}% of replications against {:.0}% asked",
                a.aim.id(),
                a.aim.label(),
                pct(a.mean),
                pct(a.ci.0),
                pct(a.ci.1),
                pct(a.required),
                a.reps_meeting * 100.0,
                confidence * 100.0
            )
        })
        .collect();
    if missed.is_empty() {
        "keeps every target in these replications, but some hours are still short of them by more than two standard errors".into()
    } else {
        format!("misses {}", missed.join("; "))
    }
}

/// Runs the search. Requests that cannot be searched are input errors naming why; targets no
/// staffing within the bounds keeps are a verdict ([`Staffing::unreachable`]).
pub fn search(sc: &Scenario, req: &Request, opts: &RunOptions) -> Result<Staffing, Error> {
    let refuse = |why: String| -> Error { InputError::new("command line", "--target", why).into() };
    let errors = check(sc, req, "scenario");
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let desk = req.desk();
    let pool = pool(opts.threads);
    let mut evaluations = 0;
    let (base, lambda, work, theta) = match desk {
        Desk::Handlers => answering_base(sc, req),
        Desk::Dispatchers => {
            let (base, lambda, work) = dispatching_base(sc, req, &pool);
            evaluations += 1;
            (base, lambda, work, [0.0; 168])
        }
    };
    // Each target's time, in seconds.
    let time_of = |aim: &Aim| match aim {
        Aim::Answer(ch) => base.target(ch.target_id()).time.map_or(0.0, |d| match d {
            crate::time::Deadline::Elapsed(d) => d.secs_f64(),
            _ => 0.0,
        }),
        Aim::Dispatch(d) => d.secs_f64(),
    };
    // 1. Erlang C per hour (for handlers the channels pooled).
    let erlang_c: Vec<u32> = (0..168)
        .map(|h| {
            if lambda[h] <= 0.0 {
                return 0;
            }
            let mu = lambda[h] / work[h];
            req.targets
                .iter()
                .map(|(aim, share)| queueing::servers_for(lambda[h], mu, time_of(aim), *share))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let cap: Vec<u32> = erlang_c.iter().map(|&n| n * 4 + 50).collect();
    // No hour goes below its steady-state need: Erlang C when no caller hangs up (it is then
    // exact for a steady load), else enough staff to carry the hour's offered load (callers
    // who hang up lighten the load; dispatchers take emergencies first and their times are
    // not exponential, neither of which Erlang C knows).
    let patient = req.targets.iter().all(|(aim, _)| match aim {
        Aim::Answer(ch) => base.channel(*ch).is_some_and(|c| c.patience.is_none()),
        Aim::Dispatch(_) => false,
    });
    let floor: Vec<u32> = (0..168)
        .map(|h| {
            if patient {
                erlang_c[h]
            } else {
                work[h].ceil() as u32
            }
        })
        .collect();
    // Where callers hang up, the search starts from Erlang A (per hour, at the calls' mean
    // patience), searched down from Erlang C and never below the floor; else from Erlang C.
    let erlang_a = !patient && (0..168).any(|h| theta[h] > 0.0);
    let start: Vec<u32> = (0..168)
        .map(|h| {
            if !erlang_a || lambda[h] <= 0.0 || theta[h] <= 0.0 {
                return erlang_c[h];
            }
            let mu = lambda[h] / work[h];
            req.targets
                .iter()
                .map(|(aim, share)| {
                    queueing::servers_for_impatient(
                        lambda[h],
                        mu,
                        theta[h],
                        time_of(aim),
                        *share,
                        erlang_c[h],
                    )
                })
                .max()
                .unwrap_or(0)
                .max(floor[h])
        })
        .collect();
    // The shifts step 4 chooses from (they cover every hour with calls: checked above).
    let own = desk.roster(sc).expect("a checked request's staff");
    let variants = variants(own, req.rules.as_ref());
    let first = evaluations;
    // 2. Add where hours miss, until the targets are kept.
    let mut need = start.clone();
    let mut verdict = None;
    let mut last;
    let mut achieved_erlang_c = Vec::new();
    loop {
        last = evaluate(&hourly_roster_of(&base, desk, &need), req, &pool);
        evaluations += 1;
        if evaluations == first + 1 {
            achieved_erlang_c = last.achieved.clone();
        }
        // Hours clearly short (by two standard errors) get one more; if none is but the
        // targets are not kept, every hour short at all does; failing that, the hour with the
        // least margin.
        let clearly = last.failing(req, 2.0);
        let kept = last.kept(req.confidence);
        if clearly.is_empty() && kept {
            break;
        }
        let add = to_raise(&last, req, clearly, &need, &start, &lambda)
            .ok_or_else(|| refuse("the scenario has no calls".into()))?;
        if let Some(&h) = add.iter().find(|&&h| need[h] + 1 > cap[h]) {
            verdict = Some(format!(
                "no staffing within the search's bounds keeps the targets: hour {h} of the week ({} {:02}:00) would need more than {} {} (four times its Erlang C need and 50 more); with callers who hang up or a share near 100% no number of them may be enough",
                DAYS[h / 24],
                h % 24,
                cap[h],
                desk.noun()
            ));
            break;
        }
        for h in add {
            need[h] += 1;
        }
        if evaluations > 200 {
            verdict = Some(
                "no staffing within the search's bounds keeps the targets: the search did not settle in 200 simulations; ask for a lower share or confidence"
                    .into(),
            );
            break;
        }
    }
    let costed = sc.pay.as_ref().is_some_and(Pay::costed);
    let input_cost = roster_cost(
        &sc.pay.clone().unwrap_or_else(Pay::unpaid),
        desk.role(),
        own.constant,
        &own.shifts,
    );
    let hours = |shifts: &[Shift]| -> f64 {
        shifts
            .iter()
            .map(|s| {
                f64::from(s.count) * s.length.secs_f64() / 3600.0
                    * s.days.iter().filter(|d| **d).count() as f64
            })
            .sum()
    };
    if let Some(why) = verdict {
        let need_hours: f64 = need.iter().map(|&n| f64::from(n)).sum();
        return Ok(Staffing {
            unreachable: Some(format!(
                "{why}. The best staffing found (the hourly need where the search stopped, {need_hours:.0} staff-hours a week) {}",
                misses(&last.achieved, req.confidence)
            )),
            binding: (0..168).filter(|&h| need[h] > erlang_c[h]).collect(),
            need_hours: need.iter().map(|&n| f64::from(n)).sum(),
            roster_hours: 0.0,
            input_hours: own.staffed_hours().iter().sum(),
            erlang_c,
            start: erlang_a.then(|| start.clone()),
            need,
            coverage: vec![0; 168],
            roster: Vec::new(),
            evaluations,
            achieved_need: last.achieved,
            achieved_roster: Vec::new(),
            achieved_erlang_c,
            design: None,
            input_cost,
            costed,
        });
    }
    // 3. Try one fewer where there is room to spare, alternate hours at a time.
    for round in 0..6 {
        let try_hours: Vec<usize> = (0..168)
            .filter(|&h| h % 2 == round % 2 && need[h] > floor[h] && last.comfortable(req, h))
            .collect();
        if try_hours.is_empty() {
            continue;
        }
        let mut trial = need.clone();
        for &h in &try_hours {
            trial[h] -= 1;
        }
        let e = evaluate(&hourly_roster_of(&base, desk, &trial), req, &pool);
        evaluations += 1;
        if !e.kept(req.confidence) {
            continue;
        }
        // A reduction stands only where the hour still passes with two standard errors to spare.
        let accepted: Vec<usize> = try_hours
            .iter()
            .copied()
            .filter(|&h| e.comfortable(req, h))
            .collect();
        if accepted.is_empty() {
            continue;
        }
        for &h in &accepted {
            need[h] -= 1;
        }
        let check = evaluate(&hourly_roster_of(&base, desk, &need), req, &pool);
        evaluations += 1;
        if !check.failing(req, 2.0).is_empty() || !check.kept(req.confidence) {
            // The reductions together went too far: undo them all.
            for &h in &accepted {
                need[h] += 1;
            }
        } else {
            last = check;
        }
    }
    let achieved_need = last.achieved.clone();
    // 4. Shifts: the least-cost roster covering the need, checked by simulation; where the
    // roster is short the need is raised (as in step 2) and the programme solved again.
    let pay = sc.pay.clone().unwrap_or_else(Pay::unpaid);
    let costs: Vec<f64> = variants
        .iter()
        .map(|v| shift_cost(&pay, desk.role(), v))
        .collect();
    let dedicated = dedicated_slots(own);
    let mut target = need.clone();
    let mut repairs = 0;
    let (plan, roster, e) = loop {
        let plan = design::solve(&target, &variants, &costs).map_err(|hours| {
            Error::from(uncoverable(&hours, desk, req.rules.as_ref(), "scenario"))
        })?;
        let roster: Vec<Shift> = match req.rules {
            Some(_) => designed_shifts(&plan.chosen, &dedicated),
            None => plan
                .chosen
                .iter()
                .flat_map(|&(v, count)| shifts_of(own, (v.start, v.length), v.day, count))
                .collect(),
        };
        let mut checked = base.clone();
        let r = desk.roster_mut(&mut checked);
        r.constant = 0;
        r.constant_dedicated_999 = 0;
        r.shifts = roster.clone();
        let e = evaluate(&checked, req, &pool);
        evaluations += 1;
        // The roster need only keep the targets: an hour of it may fall short where others
        // make up (its hours are at least the need's, shifts covering more).
        if e.kept(req.confidence) || repairs == MAX_REPAIRS {
            break (plan, roster, e);
        }
        let clearly = e.failing(req, 2.0);
        let Some(add) = to_raise(&e, req, clearly, &target, &start, &lambda) else {
            break (plan, roster, e);
        };
        for h in add {
            target[h] += 1;
        }
        repairs += 1;
    };
    let coverage = design::hourly_cover(&plan.chosen);
    let design = ShiftDesign {
        grid: req.rules.is_some(),
        costed: pay.costed(),
        shifts_allowed: plan.variables,
        rows: plan.rows,
        cost: plan.cost,
        greedy_cost: plan.greedy_cost,
        lower_bound: plan.lower_bound,
        proven: plan.proven,
        nodes: plan.nodes,
        repairs,
    };
    Ok(Staffing {
        unreachable: None,
        binding: (0..168).filter(|&h| need[h] > erlang_c[h]).collect(),
        need_hours: need.iter().map(|&n| f64::from(n)).sum(),
        roster_hours: hours(&roster),
        input_hours: own.staffed_hours().iter().sum(),
        erlang_c,
        start: erlang_a.then_some(start),
        need,
        coverage,
        roster,
        evaluations,
        achieved_need,
        achieved_roster: e.achieved,
        achieved_erlang_c,
        design: Some(design),
        input_cost,
        costed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ChannelKind;

    /// A candidate so short of handlers that the memory guard stops its replications (999
    /// calls alone, 10 million a week, one handler a second's handling, no one hangs up): the
    /// search counts it a miss of every target, as if no call were answered in time, and
    /// carries on; it is never an error or a panic.
    #[test]
    fn a_candidate_the_memory_guard_stops_is_a_miss() {
        let text = r#"
[run]
horizon = "1w"
warm_up = "0s"
replications = 2
seed = 5
[demand.emergency]
calls_per_week = 10000000
handling = { kind = "exponential", mean = "1s" }
[roster.handlers]
constant = 1
"#;
        let source = crate::scenario::Source {
            label: "flood.toml".into(),
            dir: None,
            format: crate::scenario::Format::Toml,
        };
        let sc = Scenario::parse(text, &source).expect("a valid scenario");
        let candidate = hourly_roster(&sc, &[1; 168]);
        let stopped = crate::experiment::run_replication(&candidate, 0);
        assert!(stopped.overload.is_some(), "the guard stops it");
        // Its first calls were answered in time: the partial figure is not a miss by itself.
        let c = &stopped.channels[ChannelKind::Emergency.index()];
        assert!(c.total.headline() > 0.0, "{}", c.total.headline());
        let req = Request {
            targets: vec![(Aim::Answer(ChannelKind::Emergency), 0.9)],
            confidence: 0.8,
            rules: None,
        };
        let eval = evaluate(&candidate, &req, &pool(Some(2)));
        let a = &eval.achieved[0];
        assert_eq!((a.mean, a.reps_meeting), (0.0, 0.0), "{a:?}");
        assert_eq!(a.reps_meeting_cautious, 0.0, "{a:?}");
    }
}
