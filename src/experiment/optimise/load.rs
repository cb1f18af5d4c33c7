//! The load start of `optimise` (`--start load`): a lower bound on the response units each
//! sector needs in every hour of the week, from the scenario's own simulation, and the knobs
//! raised to reach it before the search begins.
//!
//! **Offered load.** Incidents of the dispatched grades (I and S) arrive whatever the units
//! (calls, answering and grading do not depend on them), so the scenario's own run gives, for
//! each hour of the week, the incidents of each grade arriving in it (its measured count over
//! the times that hour falls in the measured window), and each sector's share of each grade
//! (its wards' counts). A dispatch commits a unit for `w` unit-hours: its time travelling, on
//! scene, writing up and in custody, per dispatch, over the run (`units` `share_of_duty_time`
//! by cause, `mean_on_duty` and `dispatches`); an incident of grade g takes `1 + two_units[g]`
//! dispatches. The offered load of sector s in hour h is then
//!
//! `a(s, h) = sum over g of incidents(h, g) x share(s, g) x (1 + two_units[g])`
//!
//! dispatches an hour, and its offered load in hour h the units they keep busy then: the mean
//! of an infinite-server queue with time-varying arrivals (Eick, Massey and Whitt's
//! M_t/G/infinity), the work of earlier hours still in hand, a dispatch's time taken as
//! exponential with mean `w` ([`lag_kernel`]):
//!
//! `load(s, h) = sum over j >= 0 of a(s, h - j) x kernel_w(j)`, the kernel adding up to `w`,
//!
//! in unit-hours an hour (Erlangs); with constant demand, `a x w`. (`w` divides the work done
//! in the measured window by the dispatches of measured incidents: in a scenario far short,
//! those still waiting at the horizon are sent in the drain after it, their work outside the
//! window, so `w` comes out a little low, and the bound with it: it stays a lower bound.) The lag follows the work
//! into the hours after a peak, and smooths the noise of each hour's count. A sector whose units on duty in some hour are fewer than
//! its load there is busier than it can be (utilisation at least 1): its queue grows through
//! that hour, and a response-time target is out of reach whatever else is done. The bound is
//! a necessary condition, not a sufficient one (it knows nothing of travel time or of the time
//! a target allows, and a sector may borrow from its neighbours).
//!
//! **Units on duty.** Expected ones, from the scenario at given values, sector by sector and
//! hour by hour: each constant unit; each unit shift's count, less its shrinkage, over the
//! hours its days and times cover; each team's rota line over the hours its shifts cover, the
//! units its group crews: a group of n officers, each present with probability 1 - shrinkage,
//! crews ceil(P / crew) units for P present (the odd ones out crew one between them), so
//! `sum over k of C(n, k) p^k (1 - p)^(n - k) x ceil(k / crew)`, averaged over the rota's
//! groups (each works the line in turn). A team of N officers on a rota of W weeks has groups
//! of about N / W: roughly `N / W x (1 - shrinkage) / crew` units in each hour a line covers.
//! Backfill from neighbourhood teams is not counted (it depends on their officers being free).
//! The knobs that put units on duty are those a step of which changes them (posts and sites
//! do not).
//!
//! **The bound and the start.** A sector's incidents may be taken by its own units and by
//! those of the sectors it borrows from: the load left uncovered in an hour is the load less
//! the greatest flow from the sectors' loads to their lenders' units (a small max-flow, hour
//! by hour). From every unit knob at the lower end of its range, the step that leaves the
//! least load uncovered over the week is taken (of two as good, the one adding fewer
//! unit-hours, then the first), while one leaves less: each knob's value there is its bound.
//! The search starts from the larger of the scenario's value and the bound: a knob is raised,
//! never lowered (the scenario may be above the bound for reasons the load cannot see, and the
//! search walks down from there anyway). Everything comes from the scenario's own run, and a
//! resumed search reads the start from its manifest, so it starts from the same place.

use super::knobs::Knob;
use crate::experiment::RunOutcome;
use crate::scenario::Scenario;
use crate::scenario::officers::ROLE_RESPONSE;
use crate::scenario::response::{GRADE_I, GRADE_S};

const HOURS: usize = 168;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 24 * HOUR_MS;
const WEEK_MS: u64 = 7 * DAY_MS;

/// A sector's offered load at its busiest hour against its units on duty there.
#[derive(Clone, Debug, PartialEq)]
pub struct SectorLoad {
    pub sector: String,
    /// The hour of the week (0: Monday 00:00-01:00) where its load is greatest against its
    /// units on duty at the start.
    pub hour_of_week: usize,
    /// Its offered load then, unit-hours an hour.
    pub load: f64,
    /// Units on duty then, in the scenario as written and at the search's start.
    pub units_scenario: f64,
    pub units_start: f64,
}

/// The load start: each knob's bound (None for a knob that adds no units) and the values the
/// search starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadStart {
    /// Unit-hours a dispatch commits a unit for (travel, on scene, paperwork, custody).
    pub hours_per_dispatch: f64,
    pub sectors: Vec<SectorLoad>,
    pub bounds: Vec<Option<i64>>,
    pub values: Vec<i64>,
}

/// Offered load by sector and hour of the week, unit-hours an hour, from the scenario's own
/// run; and the hours a dispatch commits a unit for. None when the run has no response side
/// or no dispatches.
pub fn offered(sc: &Scenario, out: &RunOutcome) -> Option<(Vec<[f64; HOURS]>, f64)> {
    let spec = sc.response.as_ref()?;
    if out.overload.is_some() {
        return None;
    }
    let force = |stat: &str| {
        out.overall
            .iter()
            .find(|r| r.key.kpi == "units" && r.key.scope == "force" && r.key.statistic == stat)
            .map(|r| r.estimate.mean)
    };
    let cause = |c: &str| {
        out.overall
            .iter()
            .find(|r| {
                r.key.kpi == "units"
                    && r.key.scope == "cause"
                    && r.key.scope_value == c
                    && r.key.statistic == "share_of_duty_time"
            })
            .map_or(0.0, |r| r.estimate.mean)
    };
    let window_ms = sc.run.horizon.0.saturating_sub(sc.run.warm_up.0);
    let window_h = window_ms as f64 / HOUR_MS as f64;
    let dispatches = force("dispatches")?;
    let share: f64 = ["travel", "on_scene", "paperwork", "custody"]
        .iter()
        .map(|c| cause(c))
        .sum();
    let w = force("mean_on_duty")? * window_h * share / dispatches;
    if !(w.is_finite() && w > 0.0) {
        return None;
    }
    // How many times each hour of the week falls in the measured window.
    let cal = crate::time::Calendar::new(sc.run.start);
    let mut times = [0.0f64; HOURS];
    let mut t = sc.run.warm_up.0;
    while t < sc.run.horizon.0 {
        let next = ((t / HOUR_MS + 1) * HOUR_MS).min(sc.run.horizon.0);
        times[cal.hour_of_week(t)] += (next - t) as f64 / HOUR_MS as f64;
        t = next;
    }
    // Dispatches arriving an hour, by sector and hour of the week.
    let mut arriving = vec![[0.0f64; HOURS]; spec.sectors.len()];
    for (g, id) in [(GRADE_I, "T3"), (GRADE_S, "T4")] {
        let count = |rows: &[crate::experiment::Row], scope: &str, value: &str| {
            rows.iter()
                .find(|r| {
                    r.key.kpi == id
                        && r.key.scope == scope
                        && r.key.scope_value == value
                        && r.key.clock == "call"
                        && r.key.statistic == "incidents"
                })
                .map_or(0.0, |r| r.estimate.mean)
                .max(0.0)
        };
        let mut by_sector = vec![0.0; spec.sectors.len()];
        for w in &spec.wards {
            by_sector[w.sector] += count(&out.wards, "ward", &w.name);
        }
        let total: f64 = by_sector.iter().sum();
        if total <= 0.0 {
            continue;
        }
        for (h, &t) in times.iter().enumerate() {
            if t <= 0.0 {
                continue;
            }
            let rate = count(&out.hourly, "hour_of_week", &h.to_string()) / t;
            for (s, n) in by_sector.iter().enumerate() {
                arriving[s][h] += rate * n / total * (1.0 + spec.two_units[g]);
            }
        }
    }
    let kernel = lag_kernel(w);
    let load = arriving
        .iter()
        .map(|a| {
            std::array::from_fn(|h| {
                (0..HOURS)
                    .map(|j| a[(h + HOURS - j) % HOURS] * kernel[j])
                    .sum()
            })
        })
        .collect();
    Some((load, w))
}

/// The units an hour's dispatches keep busy, on average over the hour `j` hours later, for one
/// dispatch an hour arriving evenly through its hour, each holding a unit for a time
/// exponential with mean `w` hours: the infinite-server queue's mean, hour by hour (Eick,
/// Massey and Whitt's M_t/G/infinity offered load). They add up to `w`, so constant demand
/// gives rate x `w`; with x = exp(-1/w), hour 0 holds w - w^2 (1 - x) and hour j >= 1
/// w^2 (1 - x)^2 x^(j-1).
pub fn lag_kernel(w: f64) -> [f64; HOURS] {
    let x = (-1.0 / w).exp();
    std::array::from_fn(|j| {
        if j == 0 {
            w - w * w * (1.0 - x)
        } else {
            w * w * (1.0 - x) * (1.0 - x) * x.powi(j as i32 - 1)
        }
    })
}

/// The expected units `n` officers crew, `c` to a unit and the odd ones out one unit between
/// them, each officer present with probability `p`: the mean of ceil(P / c) for P binomial.
pub fn crews(n: u32, p: f64, c: u32) -> f64 {
    if p >= 1.0 {
        return f64::from(n.div_ceil(c));
    }
    let mut pmf = (1.0 - p).powi(n as i32);
    let mut mean = 0.0;
    for k in 0..=n {
        if k > 0 {
            pmf *= f64::from(n - k + 1) / f64::from(k) * p / (1.0 - p);
        }
        mean += pmf * f64::from(k.div_ceil(c));
    }
    mean
}

/// Expected units on duty by sector and hour of the week in a scenario (see the module's
/// documentation); empty without a response side.
pub fn on_duty(sc: &Scenario) -> Vec<[f64; HOURS]> {
    let Some(spec) = sc.response.as_ref() else {
        return Vec::new();
    };
    let kept = 1.0 - sc.officers.shrinkage[ROLE_RESPONSE].total();
    let mut units: Vec<[f64; HOURS]> = spec
        .constant_units
        .iter()
        .map(|&c| [f64::from(c); HOURS])
        .collect();
    units.resize(spec.sectors.len(), [0.0; HOURS]);
    for us in &spec.unit_shifts {
        let n = match us.team {
            Some((t, _)) => {
                // Each week's group works the line in turn: the mean over the groups.
                let team = &spec.teams[t];
                (0..team.weeks)
                    .map(|g| crews(team.group_size(g), kept, us.crew.max(1)))
                    .sum::<f64>()
                    / team.weeks.max(1) as f64
            }
            None => f64::from(us.shift.count) * kept,
        };
        let (start, length) = (us.shift.start.0, us.shift.length.0);
        for d in 0..7u64 {
            if !us.shift.days[d as usize] {
                continue;
            }
            let (mut a, end) = (d * DAY_MS + start, d * DAY_MS + start + length);
            while a < end {
                let b = ((a / HOUR_MS + 1) * HOUR_MS).min(end);
                let h = ((a % WEEK_MS) / HOUR_MS) as usize;
                units[us.sector][h] += n * (b - a) as f64 / HOUR_MS as f64;
                a = b;
            }
        }
    }
    units
}

/// The sectors whose units may take each sector's incidents: itself and those it borrows from
/// (every sector when units take the force's queue first come, first served).
pub fn lenders(sc: &Scenario) -> Vec<Vec<usize>> {
    let Some(spec) = sc.response.as_ref() else {
        return Vec::new();
    };
    let n = spec.sectors.len();
    let all = spec.dispatch.queue == crate::scenario::response::QueuePolicy::ForceFcfs;
    (0..n)
        .map(|s| {
            let mut l: Vec<usize> = if all {
                (0..n).collect()
            } else {
                std::iter::once(s)
                    .chain(spec.sectors[s].neighbours.iter().copied())
                    .collect()
            };
            for &w in &spec.sectors[s].wards {
                if let Some(order) = spec.dispatch.order.get(w) {
                    l.extend(order.iter().copied());
                }
            }
            l.sort_unstable();
            l.dedup();
            l
        })
        .collect()
}

/// The load no assignment of units to the sectors they may serve covers in one hour: the
/// load less the greatest flow from the sectors' loads to the units of their lenders.
pub fn unmet(load: &[f64], units: &[f64], lenders: &[Vec<usize>]) -> f64 {
    let n = load.len();
    // Nodes: 0 source, 1..=n loads, n+1..=2n units, 2n+1 sink.
    let (src, sink) = (0, 2 * n + 1);
    let mut cap = vec![vec![0.0f64; 2 * n + 2]; 2 * n + 2];
    for (s, (l, u)) in load.iter().zip(units).enumerate() {
        cap[src][1 + s] = l.max(0.0);
        cap[1 + n + s][sink] = u.max(0.0);
        for &t in &lenders[s] {
            cap[1 + s][1 + n + t] = f64::INFINITY;
        }
    }
    let mut flow = 0.0;
    loop {
        // A shortest augmenting path (breadth first).
        let mut prev = vec![usize::MAX; 2 * n + 2];
        prev[src] = src;
        let mut queue = std::collections::VecDeque::from([src]);
        while let Some(a) = queue.pop_front() {
            for (b, &c) in cap[a].iter().enumerate() {
                if prev[b] == usize::MAX && c > 1e-12 {
                    prev[b] = a;
                    queue.push_back(b);
                }
            }
        }
        if prev[sink] == usize::MAX {
            break;
        }
        let mut push = f64::INFINITY;
        let mut b = sink;
        while b != src {
            push = push.min(cap[prev[b]][b]);
            b = prev[b];
        }
        let mut b = sink;
        while b != src {
            let a = prev[b];
            cap[a][b] -= push;
            cap[b][a] += push;
            b = a;
        }
        flow += push;
    }
    (load.iter().map(|l| l.max(0.0)).sum::<f64>() - flow).max(0.0)
}

/// The load start for `knobs` from the scenario's own values (`own`, each knob's start), the
/// scenario at any values given by `scenario` (None where it refuses them). None when the
/// units on duty cannot be counted.
pub fn start(
    knobs: &[Knob],
    own: &[i64],
    load: &[[f64; HOURS]],
    hours_per_dispatch: f64,
    scenario: &dyn Fn(&[i64]) -> Option<Scenario>,
) -> Option<LoadStart> {
    let own_sc = scenario(own)?;
    let base = on_duty(&own_sc);
    if base.len() != load.len() {
        return None;
    }
    let lend = lenders(&own_sc);
    let units = |values: &[i64]| scenario(values).map(|sc| on_duty(&sc));
    let short = |u: &[[f64; HOURS]]| -> f64 {
        (0..HOURS)
            .map(|h| {
                let l: Vec<f64> = load.iter().map(|x| x[h]).collect();
                let v: Vec<f64> = u.iter().map(|x| x[h]).collect();
                unmet(&l, &v, &lend)
            })
            .sum()
    };
    let total = |u: &[[f64; HOURS]]| u.iter().flat_map(|x| x.iter()).sum::<f64>();
    // The knobs that put units on duty: a step (up, or down at the top) changes them.
    let unit_knob: Vec<bool> = knobs
        .iter()
        .enumerate()
        .map(|(k, knob)| {
            if !knob.choices.is_empty() {
                return false;
            }
            let other = if own[k] + knob.step <= knob.to {
                own[k] + knob.step
            } else if own[k] - knob.step >= knob.from {
                own[k] - knob.step
            } else {
                return false;
            };
            let mut v = own.to_vec();
            v[k] = other;
            units(&v).is_some_and(|u| (total(&u) - total(&base)).abs() > 1e-9)
        })
        .collect();
    // From every unit knob at the bottom of its range (the scenario's values if it refuses
    // those), the step that leaves the least load uncovered, while one leaves less.
    let lowest: Vec<i64> = (0..knobs.len())
        .map(|k| if unit_knob[k] { knobs[k].from } else { own[k] })
        .collect();
    let mut bound = if units(&lowest).is_some() {
        lowest
    } else {
        own.to_vec()
    };
    let mut here = units(&bound)?;
    let mut left = short(&here);
    while left > 1e-9 {
        let mut best: Option<(f64, f64, usize, Vec<[f64; HOURS]>)> = None;
        for k in (0..knobs.len()).filter(|&k| unit_knob[k]) {
            if bound[k] + knobs[k].step > knobs[k].to {
                continue;
            }
            let mut v = bound.clone();
            v[k] += knobs[k].step;
            let Some(u) = units(&v) else { continue };
            let (l, added) = (short(&u), total(&u) - total(&here));
            if l < left - 1e-9
                && best
                    .as_ref()
                    .is_none_or(|(bl, ba, ..)| l < bl - 1e-9 || (l < bl + 1e-9 && added < *ba))
            {
                best = Some((l, added, k, u));
            }
        }
        let Some((l, _, k, u)) = best else { break };
        bound[k] += knobs[k].step;
        here = u;
        left = l;
    }
    let values: Vec<i64> = (0..knobs.len()).map(|k| own[k].max(bound[k])).collect();
    let at_start = units(&values)?;
    let sectors = own_sc
        .response
        .as_ref()?
        .sectors
        .iter()
        .enumerate()
        .map(|(s, sector)| {
            let gap = |h: usize| load[s][h] - at_start[s][h];
            let h = (0..HOURS).fold(0, |b, h| if gap(h) > gap(b) { h } else { b });
            SectorLoad {
                sector: sector.name.clone(),
                hour_of_week: h,
                load: load[s][h],
                units_scenario: base[s][h],
                units_start: at_start[s][h],
            }
        })
        .collect();
    Some(LoadStart {
        hours_per_dispatch,
        sectors,
        bounds: (0..knobs.len())
            .map(|k| unit_knob[k].then_some(bound[k]))
            .collect(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lag_kernel_holds_a_dispatch_for_its_mean() {
        for w in [0.25, 0.67, 1.84, 6.0] {
            let k = lag_kernel(w);
            assert!((k.iter().sum::<f64>() - w).abs() < 1e-9, "{w}");
            assert!(k.iter().all(|&x| x >= 0.0), "{w}");
        }
    }

    #[test]
    fn borrowed_units_cover_a_neighbours_load() {
        // A: load 3, one unit; B: no load, four units; C: load 1, no units, no lender.
        let (load, units) = ([3.0, 0.0, 1.0], [1.0, 4.0, 0.0]);
        let alone = [vec![0], vec![1], vec![2]];
        assert!((unmet(&load, &units, &alone) - 3.0).abs() < 1e-9);
        let lend = [vec![0, 1], vec![0, 1], vec![2]];
        assert!((unmet(&load, &units, &lend) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn crews_count_the_odd_officer_out() {
        assert_eq!(crews(6, 1.0, 2), 3.0);
        assert_eq!(crews(5, 1.0, 2), 3.0);
        assert!((crews(4, 0.5, 1) - 2.0).abs() < 1e-12);
        // Two officers, double crewed, each present half the time: one unit unless both
        // are away (a quarter of shifts).
        assert!((crews(2, 0.5, 2) - 0.75).abs() < 1e-12);
    }
}
