//! Shift design: the least-cost shifts whose handlers on duty meet an hourly need, solved as an
//! integer programme.
//!
//! The week is cut into 15-minute slots (672 of them, Monday 00:00 first). A *shift* here is a
//! day, a start, a length and, under a break rule, where its break falls; it is on duty in a
//! slot when the slot lies wholly within the shift and outside its break. The programme:
//!
//! ```text
//! minimise    sum over shifts v of cost(v) x(v)
//! subject to  sum over shifts v on duty in slot s of x(v) >= need(hour of s), for every slot s
//!             x(v) a whole number, 0 <= x(v) <= the largest need
//! ```
//!
//! where `x(v)` is the number of handlers on shift `v` and `cost(v)` the weekly cost of one
//! handler on it: the hours paid (breaks included) at the scenario's handler rate with its
//! unsocial-hours and weekend enhancements, or the hours alone when the scenario has no pay
//! rates. Shifts on duty in no slot with a need are left out (they could only add cost), and
//! slots with the same shifts on duty are one row (the largest need kept).
//!
//! It is solved in four steps, each answer checked to cover every slot:
//! 1. the greedy cover that earlier versions used (see [`greedy`]);
//! 2. a dive through the linear relaxation (see [`dive`]): its first relaxation's cost is a
//!    lower bound on any plan's;
//! 3. branch and bound (the microlp crate) on the whole programme, started from the cheaper of
//!    the two and stopped after [`NODE_LIMIT`] nodes for up to [`NODE_SHIFTS`] shifts, in
//!    proportion fewer beyond (100 on a week of 3,360, where a node costs tens of
//!    milliseconds and seldom finds a cheaper plan);
//! 4. where it stops short of a proof, two local searches (in `improve.rs` beside this file): an
//!    exchange of one handler's shift for another that covers the slots it leaves short,
//!    spare handlers dropped; then branch and bound again on the starts of one day at a time
//!    (the windows a quarter of a day apart, 100 nodes each, every other shift kept), sweeping
//!    round the week until a sweep saves nothing (at most four); then the exchange again.
//!
//! Every limit is a count, never a time, so that every machine gives the same answer. The
//! answer never costs more than the greedy cover. The best proven lower bound (the
//! relaxation's or the solver's) is reported beside it: when they are equal the plan is the
//! cheapest there is. On a week of 30-minute starts, two lengths and five break positions
//! (3,360 shifts) at county-district's handler rates: with needs of 2 to 5 handlers an hour
//! (the hourly needs county-district's search reaches, 507 to 565 staff-hours) the answer is
//! within 0.9% to 2.4% of the bound, where branch and bound alone after 1,000 nodes was within
//! 6.4% to 11.8% (and a lower need's roster could cost more than a higher one's), and the
//! greedy cover costs 27% to 29% more; with needs of 4 to 18 within 0.3%. In
//! `cargo bench --bench staff` the roster of the whole search is within 1.2% of its bound, and
//! the programme alone on the search's hourly need takes 22 s on two cores shared with other
//! work (branch and bound alone with 1,000 nodes took 15 to 25 s there).

use super::improve::{self, Cover, WindowPlan};
use crate::error::InputError;
use crate::time::{DAY, Duration, HOUR, TimeOfDay, WEEK};
use std::collections::BTreeMap;

/// The slot the week is cut into, in ms: 15 minutes.
pub const SLOT: u64 = 15 * 60_000;
/// Slots in a week.
pub const SLOTS: usize = (WEEK / SLOT) as usize;
const SLOTS_PER_HOUR: usize = (HOUR / SLOT) as usize;
/// Branch-and-bound nodes the solver may use on the whole programme with up to
/// [`NODE_SHIFTS`] shifts; in proportion fewer beyond (100 on a week of 3,360).
pub const NODE_LIMIT: u64 = 1_000;
/// See [`NODE_LIMIT`].
pub const NODE_SHIFTS: u64 = 336;
/// The most passes of the exchange search (see [`improve::exchange`]).
const EXCHANGE_PASSES: usize = 20;
/// The window search: a day's starts at a time, windows a quarter of a day apart, 100 nodes a
/// window, at most four sweeps round the week (see [`improve::windows`]).
const WINDOWS: WindowPlan = WindowPlan {
    length: DAY,
    step: DAY / 4,
    nodes: 100,
    sweeps: 4,
};

/// How far [`solve_within`] searches: counts, never times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Whether the dive's plan may be the start (else the greedy cover is; the relaxation is
    /// solved for the bound either way).
    pub dive: bool,
    /// Branch-and-bound nodes on the whole programme for up to [`NODE_SHIFTS`] shifts (0: no
    /// branch and bound at all, not even the root).
    pub nodes: u64,
    /// Whether the local searches improve a plan that branch and bound has not proved the
    /// cheapest.
    pub improve: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            dive: true,
            nodes: NODE_LIMIT,
            improve: true,
        }
    }
}

impl Limits {
    /// The nodes for a programme of `shifts` shifts.
    pub fn nodes_for(&self, shifts: usize) -> u64 {
        let shifts = (shifts as u64).max(NODE_SHIFTS);
        self.nodes * NODE_SHIFTS / shifts
    }
}

/// A shift a plan may use: it starts `start` ms after midnight on `day` (0 = Monday), lasts
/// `length` ms and, when it has one, has a break of `brk.1` ms taken by all its handlers
/// together, `brk.0` ms after its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Variant {
    pub day: usize,
    pub start: u64,
    pub length: u64,
    pub brk: Option<(u64, u64)>,
}

impl Variant {
    /// The slots of the week (cyclic) in which the shift's handlers are on duty.
    pub fn slots(&self) -> Vec<usize> {
        let begin = self.day as u64 * DAY + self.start;
        let end = begin + self.length;
        let off = self
            .brk
            .map(|(after, len)| (begin + after, begin + after + len));
        (begin.div_ceil(SLOT)..end / SLOT)
            .filter(|&s| {
                let (a, b) = (s * SLOT, (s + 1) * SLOT);
                off.is_none_or(|(x, y)| b <= x || a >= y)
            })
            .map(|s| (s % SLOTS as u64) as usize)
            .collect()
    }
}

/// A plan: how many handlers on each shift.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// (shift, handlers) by day, start, length and break, none with no handlers.
    pub chosen: Vec<(Variant, u32)>,
    /// The plan's weekly cost (in the units of the costs given).
    pub cost: f64,
    /// The greedy cover's cost on the same shifts and costs.
    pub greedy_cost: f64,
    /// A proven lower bound on any plan's cost (the solver's best bound).
    pub lower_bound: f64,
    /// Whether the solver proved the plan optimal within its node limit.
    pub proven: bool,
    /// Branch-and-bound nodes used (on the whole programme and in the window search), shifts
    /// and rows in the programme.
    pub nodes: u64,
    pub variables: usize,
    pub rows: usize,
}

/// The need of each slot: the need of its hour.
pub fn slot_need(hourly: &[u32]) -> Vec<u32> {
    (0..SLOTS).map(|s| hourly[s / SLOTS_PER_HOUR]).collect()
}

/// Handlers on duty in each hour under `chosen`: the fewest on duty in any of the hour's slots.
pub fn hourly_cover(chosen: &[(Variant, u32)]) -> Vec<u32> {
    let mut slot = vec![0u32; SLOTS];
    for (v, n) in chosen {
        for s in v.slots() {
            slot[s] += n;
        }
    }
    (0..168)
        .map(|h| {
            slot[h * SLOTS_PER_HOUR..(h + 1) * SLOTS_PER_HOUR]
                .iter()
                .copied()
                .min()
                .unwrap_or(0)
        })
        .collect()
}

/// The greedy cover of earlier versions, on slots: the earliest slot short of its need gets a
/// handler on the shift covering the most slots still short per unit of cost; then shifts not
/// needed are dropped, dearest first. Counts per shift, in the order given.
pub fn greedy(need: &[u32], shifts: &[Vec<usize>], costs: &[f64]) -> Vec<u32> {
    let mut x = vec![0u32; shifts.len()];
    fill(need, shifts, costs, &mut x);
    prune(need, shifts, costs, &mut x);
    x
}

/// Adds handlers to `x` until every slot has its need: the earliest slot short gets one on the
/// shift covering the most slots still short per unit of cost.
fn fill(need: &[u32], shifts: &[Vec<usize>], costs: &[f64], x: &mut [u32]) {
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); SLOTS];
    let mut cov = vec![0u32; SLOTS];
    for (v, slots) in shifts.iter().enumerate() {
        for &s in slots {
            on[s].push(v);
            cov[s] += x[v];
        }
    }
    while let Some(s) = (0..SLOTS).find(|&s| cov[s] < need[s]) {
        let gain = |v: usize| {
            shifts[v].iter().filter(|&&t| cov[t] < need[t]).count() as f64 / costs[v].max(1e-9)
        };
        let Some(&best) = on[s]
            .iter()
            .max_by(|&&a, &&b| gain(a).total_cmp(&gain(b)).then(b.cmp(&a)))
        else {
            break; // no shift covers it: the caller checks coverage first
        };
        for &t in &shifts[best] {
            cov[t] += 1;
        }
        x[best] += 1;
    }
}

/// Drops from `x` the handlers not needed, on the dearest shifts first.
fn prune(need: &[u32], shifts: &[Vec<usize>], costs: &[f64], x: &mut [u32]) {
    let mut cov = vec![0u32; SLOTS];
    for (v, slots) in shifts.iter().enumerate() {
        for &s in slots {
            cov[s] += x[v];
        }
    }
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
    for v in order {
        while x[v] > 0 && shifts[v].iter().all(|&t| cov[t] > need[t]) {
            for &t in &shifts[v] {
                cov[t] -= 1;
            }
            x[v] -= 1;
        }
    }
}

/// A plan from the linear relaxation, by diving: solve it, raise the lower bound of every
/// shift at or above half a handler past a whole number (or, if none is, of the one furthest
/// past) to the next whole number, and solve again, until the answer is whole; then drop the
/// handlers not needed. Returns the plan and the first relaxation's cost (a lower bound on any
/// plan's), or None if a relaxation fails.
fn dive(
    need: &[u32],
    shifts: &[Vec<usize>],
    costs: &[f64],
    rows: &BTreeMap<Vec<usize>, u32>,
    top: u32,
) -> Option<(Vec<u32>, f64)> {
    let mut low = vec![0u32; shifts.len()];
    let mut bound = None;
    for _ in 0..DIVES {
        let mut p = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
        let vars: Vec<microlp::Variable> = costs
            .iter()
            .zip(&low)
            .map(|(&c, &l)| p.add_var(c, (f64::from(l), f64::from(top.max(l)))))
            .collect();
        for (on, n) in rows {
            p.add_constraint(
                on.iter().map(|&k| (vars[k], 1.0)),
                microlp::ComparisonOp::Ge,
                f64::from(*n),
            );
        }
        let sol = p.solve().ok()?.into_solution().ok()?;
        bound.get_or_insert(sol.objective());
        let value: Vec<f64> = vars.iter().map(|&v| sol.var_value(v)).collect();
        let past = |v: f64| v - (v + 1e-6).floor();
        let fractional: Vec<usize> = (0..vars.len()).filter(|&k| past(value[k]) > 1e-6).collect();
        if fractional.is_empty() {
            let mut x: Vec<u32> = value.iter().map(|v| v.round().max(0.0) as u32).collect();
            prune(need, shifts, costs, &mut x);
            return Some((x, bound?));
        }
        let mut raise: Vec<usize> = fractional
            .iter()
            .copied()
            .filter(|&k| past(value[k]) >= 0.5)
            .collect();
        if raise.is_empty() {
            raise = fractional
                .iter()
                .copied()
                .max_by(|&a, &b| past(value[a]).total_cmp(&past(value[b])).then(b.cmp(&a)))
                .into_iter()
                .collect();
        }
        for k in raise {
            low[k] = value[k].ceil() as u32;
        }
    }
    // Not whole after the dives: round the last relaxation's plan up.
    let mut x = low;
    fill(need, shifts, costs, &mut x);
    prune(need, shifts, costs, &mut x);
    Some((x, bound?))
}

/// The most relaxations a dive solves.
const DIVES: usize = 40;

/// The hours of the week (0 = Monday 00:00) with a need that no shift covers in full.
pub fn uncoverable(need: &[u32], variants: &[Variant]) -> Vec<usize> {
    let mut can = vec![false; SLOTS];
    for v in variants {
        for s in v.slots() {
            can[s] = true;
        }
    }
    let slots = slot_need(need);
    (0..168)
        .filter(|&h| {
            (h * SLOTS_PER_HOUR..(h + 1) * SLOTS_PER_HOUR).any(|s| slots[s] > 0 && !can[s])
        })
        .collect()
}

/// The least-cost plan meeting the hourly `need` with `variants` at `costs` (one per variant).
/// `Err` names the hours no variant covers.
pub fn solve(need: &[u32], variants: &[Variant], costs: &[f64]) -> Result<Design, Vec<usize>> {
    solve_within(need, variants, costs, Limits::default())
}

/// [`solve`] within other limits (for comparing the steps).
pub fn solve_within(
    need: &[u32],
    variants: &[Variant],
    costs: &[f64],
    limits: Limits,
) -> Result<Design, Vec<usize>> {
    let missing = uncoverable(need, variants);
    if !missing.is_empty() {
        return Err(missing);
    }
    let need = slot_need(need);
    // The shifts on duty in some slot with a need, and their slots.
    let used: Vec<usize> = (0..variants.len())
        .filter(|&v| variants[v].slots().iter().any(|&s| need[s] > 0))
        .collect();
    let shifts: Vec<Vec<usize>> = used.iter().map(|&v| variants[v].slots()).collect();
    let cost: Vec<f64> = used.iter().map(|&v| costs[v]).collect();
    let greedy_x = greedy(&need, &shifts, &cost);
    let total = |x: &[u32]| -> f64 { x.iter().zip(&cost).map(|(&n, c)| f64::from(n) * c).sum() };
    let greedy_cost = total(&greedy_x);
    // Rows: the shifts on duty in each slot with a need, merged where the same.
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); SLOTS];
    for (k, slots) in shifts.iter().enumerate() {
        for &s in slots {
            on[s].push(k);
        }
    }
    let mut rows: BTreeMap<Vec<usize>, u32> = BTreeMap::new();
    for s in (0..SLOTS).filter(|&s| need[s] > 0) {
        let r = rows.entry(on[s].clone()).or_default();
        *r = (*r).max(need[s]);
    }
    let top = need.iter().copied().max().unwrap_or(0);
    // The solver starts from the cheaper of the greedy cover and a dive through the relaxation.
    let (start, lp_bound) = match dive(&need, &shifts, &cost, &rows, top) {
        Some((x, bound)) if limits.dive && total(&x) < greedy_cost => (x, bound),
        Some((_, bound)) => (greedy_x.clone(), bound),
        None => (greedy_x.clone(), 0.0),
    };
    let start_cost = total(&start);
    let mut p = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
    let vars: Vec<microlp::Variable> = cost
        .iter()
        .map(|&c| p.add_integer_var(c, (0, i32::try_from(top).unwrap_or(i32::MAX))))
        .collect();
    for (shifts_on, n) in &rows {
        p.add_constraint(
            shifts_on.iter().map(|&k| (vars[k], 1.0)),
            microlp::ComparisonOp::Ge,
            f64::from(*n),
        );
    }
    let mut options = microlp::SolveOptions::default();
    options.node_limit = Some(limits.nodes_for(shifts.len()));
    options.warm_start = Some(
        vars.iter()
            .zip(&start)
            .map(|(&v, &n)| (v, f64::from(n)))
            .collect(),
    );
    let solved = (options.node_limit != Some(0)).then(|| p.solve_with(options));
    let solved = solved.and_then(Result::ok).and_then(|o| {
        let stats = o.stats();
        o.into_solution().ok().map(|s| (s, stats))
    });
    let (mut x, proven, bound, nodes) = match solved {
        Some((sol, stats)) => {
            let x: Vec<u32> = vars
                .iter()
                .map(|&v| sol.var_value(v).round().max(0.0) as u32)
                .collect();
            let proven = matches!(sol.status(), microlp::SolutionStatus::Optimal);
            (x, proven, stats.best_bound, stats.nodes_solved)
        }
        None => (start.clone(), false, None, 0),
    };
    // The solver's plan, rounded, must meet every slot and cost no more than its start;
    // otherwise the start stands.
    let cover = Cover::new(&need, &shifts, &cost);
    if !(cover.meets(&x) && total(&x) <= start_cost) {
        x = start;
    }
    // Where branch and bound stopped short of a proof, the local searches improve the plan.
    let mut nodes = nodes;
    if limits.improve && !proven {
        let rows: Vec<(Vec<usize>, u32)> = rows.iter().map(|(k, &n)| (k.clone(), n)).collect();
        let begin: Vec<u64> = used
            .iter()
            .map(|&v| variants[v].day as u64 * DAY + variants[v].start)
            .collect();
        improve::exchange(&cover, &mut x, EXCHANGE_PASSES);
        nodes += improve::windows(&cover, &rows, &begin, top, &mut x, WINDOWS).1;
        improve::exchange(&cover, &mut x, EXCHANGE_PASSES);
    }
    let plan_cost = total(&x);
    let lower_bound = if proven {
        plan_cost
    } else {
        bound.unwrap_or(0.0).max(lp_bound).min(plan_cost)
    };
    let mut chosen: Vec<(Variant, u32)> = used
        .iter()
        .zip(&x)
        .filter(|(_, n)| **n > 0)
        .map(|(&v, &n)| (variants[v], n))
        .collect();
    chosen.sort_unstable();
    Ok(Design {
        chosen,
        cost: plan_cost,
        greedy_cost,
        lower_bound,
        proven,
        nodes,
        variables: used.len(),
        rows: rows.len(),
    })
}

/// The rules a designed roster's shifts keep (`staff --shift-grid ...`).
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    /// Shifts start every `grid` ms from midnight (a multiple of [`SLOT`] that divides a day).
    pub grid: u64,
    /// The windows starts must fall in, (from, to) in ms after midnight, both ends allowed; a
    /// window whose `to` is before its `from` runs across midnight. Empty: any time of day.
    pub windows: Vec<(u64, u64)>,
    /// The lengths a shift may have, in ms.
    pub lengths: Vec<u64>,
    /// The break every shift has, if any.
    pub brk: Option<BreakRule>,
}

/// A break of `length` ms starting between `earliest` and `latest` ms after the shift's start
/// (on the grid), taken by all the shift's handlers together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakRule {
    pub length: u64,
    pub earliest: u64,
    pub latest: u64,
}

/// The command line's shift-design options, as written.
#[derive(Clone, Debug, Default)]
pub struct RulesText {
    pub grid: Option<String>,
    pub starts: Vec<String>,
    pub lengths: Vec<String>,
    pub brk: Option<String>,
}

impl RulesText {
    /// The rules, checked: every problem at once, each naming its option. None when no grid is
    /// asked for (then no other shift-design option may be given).
    pub fn parse(&self) -> Result<Option<Rules>, Vec<InputError>> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, why: String| {
            errors.push(InputError::new("command line", field, why));
        };
        let Some(grid_text) = &self.grid else {
            for (given, field) in [
                (!self.starts.is_empty(), "--shift-starts"),
                (!self.lengths.is_empty(), "--shift-lengths"),
                (self.brk.is_some(), "--shift-break"),
            ] {
                if given {
                    bad(
                        field,
                        "designs shifts on a grid: give --shift-grid too (e.g. --shift-grid 30min)"
                            .into(),
                    );
                }
            }
            return if errors.is_empty() {
                Ok(None)
            } else {
                Err(errors)
            };
        };
        let grid = match grid_text.parse::<Duration>() {
            Ok(d) if d.0 > 0 && d.0 % SLOT == 0 && DAY % d.0 == 0 => Some(d.0),
            Ok(d) => {
                bad(
                    "--shift-grid",
                    format!(
                        "\"{grid_text}\" ({d}): the grid of start times must be a whole number of quarter hours that divides a day (15min, 30min, 1h, 2h, ...)"
                    ),
                );
                None
            }
            Err(why) => {
                bad("--shift-grid", why);
                None
            }
        };
        let mut windows = Vec::new();
        for w in &self.starts {
            let parsed = w.split_once('-').and_then(|(a, b)| {
                Some((a.parse::<TimeOfDay>().ok()?, b.parse::<TimeOfDay>().ok()?))
            });
            match parsed {
                Some((from, to)) => windows.push((from.0, to.0, w.clone())),
                None => bad(
                    "--shift-starts",
                    format!(
                        "\"{w}\": write a window of start times as HH:MM-HH:MM, e.g. 06:00-22:00 (across midnight when the end is before the start)"
                    ),
                ),
            }
        }
        let mut lengths = Vec::new();
        let texts: Vec<String> = if self.lengths.is_empty() {
            vec!["8h".into()]
        } else {
            self.lengths.clone()
        };
        for l in &texts {
            match l.parse::<Duration>() {
                Ok(d) if d.0 > 0 && d.0 % SLOT == 0 && d.0 <= DAY => {
                    if !lengths.contains(&d.0) {
                        lengths.push(d.0);
                    }
                }
                Ok(d) => bad(
                    "--shift-lengths",
                    format!(
                        "\"{l}\" ({d}): a shift's length must be a whole number of quarter hours, more than 0 and at most 24h"
                    ),
                ),
                Err(why) => bad("--shift-lengths", why),
            }
        }
        let mut brk = None;
        if let Some(b) = &self.brk {
            let parsed = b.split_once('@').and_then(|(len, window)| {
                let (from, to) = window.split_once('-')?;
                Some((
                    len.parse::<Duration>().ok()?,
                    from.parse::<Duration>().ok()?,
                    to.parse::<Duration>().ok()?,
                ))
            });
            match parsed {
                Some((len, from, to)) if len.0 > 0 && from.0 <= to.0 => {
                    brk = Some(BreakRule {
                        length: len.0,
                        earliest: from.0,
                        latest: to.0,
                    });
                }
                Some(_) => bad(
                    "--shift-break",
                    format!(
                        "\"{b}\": the break must last more than 0 and its window's start must not be after its end"
                    ),
                ),
                None => bad(
                    "--shift-break",
                    format!(
                        "\"{b}\": write LENGTH@EARLIEST-LATEST, the break's length and when it may start after the shift's start, e.g. 30min@3h-5h"
                    ),
                ),
            }
        }
        if let Some(grid) = grid {
            let rules = Rules {
                grid,
                windows: windows.iter().map(|&(a, b, _)| (a, b)).collect(),
                lengths: lengths.clone(),
                brk,
            };
            for (from, to, text) in &windows {
                let one = Rules {
                    windows: vec![(*from, *to)],
                    ..rules.clone()
                };
                if one.starts().is_empty() {
                    bad(
                        "--shift-starts",
                        format!(
                            "\"{text}\": the grid of {} allows no start in this window; widen it or make the grid finer",
                            Duration(grid)
                        ),
                    );
                }
            }
            if let Some(b) = brk {
                for &l in &lengths {
                    if rules.break_offsets(l).is_empty() {
                        bad(
                            "--shift-break",
                            format!(
                                "a {} shift has no start for the break on the grid of {} between {} and {} after the shift's start that ends it within the shift",
                                Duration(l),
                                Duration(grid),
                                Duration(b.earliest),
                                Duration(b.latest)
                            ),
                        );
                    }
                }
            }
            if errors.is_empty() {
                return Ok(Some(rules));
            }
        }
        Err(errors)
    }
}

impl Rules {
    /// Whether `start` (ms after midnight) falls in an allowed window.
    pub fn allows(&self, start: u64) -> bool {
        self.windows.is_empty()
            || self.windows.iter().any(|&(from, to)| {
                if from <= to {
                    (from..=to).contains(&start)
                } else {
                    start >= from || start <= to
                }
            })
    }

    /// The starts of a day on the grid and in the windows.
    pub fn starts(&self) -> Vec<u64> {
        (0..DAY / self.grid)
            .map(|k| k * self.grid)
            .filter(|&s| self.allows(s))
            .collect()
    }

    /// Where a shift of `length` may take its break: every point on the grid from `earliest`
    /// to `latest` after its start at which the break ends within the shift (none: the shift
    /// has no break).
    pub fn break_offsets(&self, length: u64) -> Vec<Option<(u64, u64)>> {
        match self.brk {
            None => vec![None],
            Some(b) => (b.earliest.div_ceil(self.grid)..=b.latest / self.grid)
                .map(|k| k * self.grid)
                .filter(|&after| after + b.length <= length)
                .map(|after| Some((after, b.length)))
                .collect(),
        }
    }

    /// Every shift the rules allow in a week.
    pub fn variants(&self) -> Vec<Variant> {
        let starts = self.starts();
        let mut out = Vec::new();
        for day in 0..7 {
            for &start in &starts {
                for &length in &self.lengths {
                    for brk in self.break_offsets(length) {
                        out.push(Variant {
                            day,
                            start,
                            length,
                            brk,
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(day: usize, start_h: u64, len_h: u64) -> Variant {
        Variant {
            day,
            start: start_h * HOUR,
            length: len_h * HOUR,
            brk: None,
        }
    }

    #[test]
    fn a_shift_is_on_duty_in_whole_slots_outside_its_break() {
        let mut s = v(0, 7, 8);
        assert_eq!(s.slots().len(), 32);
        s.brk = Some((3 * HOUR, 30 * 60_000));
        let slots = s.slots();
        assert_eq!(slots.len(), 30);
        assert!(!slots.contains(&(10 * 4)) && !slots.contains(&(10 * 4 + 1)));
        // A 20-minute break touches two slots; a shift across Sunday midnight wraps to Monday.
        s.brk = Some((3 * HOUR + 5 * 60_000, 20 * 60_000));
        assert_eq!(s.slots().len(), 30);
        let late = v(6, 22, 8);
        assert!(late.slots().contains(&0) && late.slots().contains(&(SLOTS - 1)));
        // A start off the slots loses the part slot.
        let odd = Variant {
            start: 7 * HOUR + 60_000,
            ..v(0, 0, 8)
        };
        assert_eq!(odd.slots().len(), 31);
    }
}
