//! Improving a cover of the shift-design programme (see [`super::design`]) after branch and
//! bound has stopped at its node limit, by two deterministic local searches that only ever
//! accept a cheaper plan that still meets every slot:
//!
//! 1. **Exchange** ([`exchange`]): take one handler off a shift and put one on the shift that
//!    covers every slot left short at the least cost, dropping any handler the change leaves
//!    spare (a handler moved to another start, length or break, perhaps making another
//!    unneeded); the best such exchange for each shift in turn, passes until none pays.
//! 2. **Windows** ([`windows`]): the programme again, with every shift fixed at its count but
//!    those starting within one window of the week (a day long, moved on a quarter of a day at
//!    a time), each solved by branch and bound from the plan as it stands with a small node
//!    limit; sweeps round the week until none pays.
//!
//! Both are counted (passes, windows, nodes), never timed, so every machine finds the same plan.

/// The programme's data: each slot's need, each shift's slots and cost, and the shifts on duty
/// in each slot.
pub(super) struct Cover<'a> {
    pub need: &'a [u32],
    pub shifts: &'a [Vec<usize>],
    pub costs: &'a [f64],
    on: Vec<Vec<usize>>,
}

/// An improvement smaller than this is none (costs are sums of a few hundred figures).
const EPS: f64 = 1e-7;

impl<'a> Cover<'a> {
    pub fn new(need: &'a [u32], shifts: &'a [Vec<usize>], costs: &'a [f64]) -> Self {
        let mut on: Vec<Vec<usize>> = vec![Vec::new(); need.len()];
        for (k, slots) in shifts.iter().enumerate() {
            for &s in slots {
                on[s].push(k);
            }
        }
        Cover {
            need,
            shifts,
            costs,
            on,
        }
    }

    /// Handlers on duty in each slot under `x`.
    pub fn cover(&self, x: &[u32]) -> Vec<u32> {
        let mut cov = vec![0u32; self.need.len()];
        for (k, slots) in self.shifts.iter().enumerate() {
            if x[k] > 0 {
                for &s in slots {
                    cov[s] += x[k];
                }
            }
        }
        cov
    }

    /// Whether `x` meets every slot's need.
    pub fn meets(&self, x: &[u32]) -> bool {
        let cov = self.cover(x);
        cov.iter().zip(self.need).all(|(c, n)| c >= n)
    }

    /// Whether one handler of shift `k` can go with every slot still met.
    fn spare(&self, cov: &[u32], k: usize) -> bool {
        self.shifts[k].iter().all(|&t| cov[t] > self.need[t])
    }

    /// Drops from `x` (cover `cov`) the handlers not needed, dearest first, among `active`;
    /// returns what they cost. With `apply` false, `x` and `cov` are left as they were.
    fn drop_spare(&self, x: &mut [u32], cov: &mut [u32], active: &[usize], apply: bool) -> f64 {
        let mut saved = 0.0;
        let mut dropped: Vec<usize> = Vec::new();
        for &k in active {
            while x[k] > 0 && self.spare(cov, k) {
                for &t in &self.shifts[k] {
                    cov[t] -= 1;
                }
                x[k] -= 1;
                saved += self.costs[k];
                dropped.push(k);
            }
        }
        if !apply {
            for k in dropped {
                for &t in &self.shifts[k] {
                    cov[t] += 1;
                }
                x[k] += 1;
            }
        }
        saved
    }

    /// The shifts with handlers, dearest first (ties by index).
    fn active(&self, x: &[u32]) -> Vec<usize> {
        let mut a: Vec<usize> = (0..x.len()).filter(|&k| x[k] > 0).collect();
        a.sort_by(|&p, &q| self.costs[q].total_cmp(&self.costs[p]).then(p.cmp(&q)));
        a
    }
}

/// The exchange search: for each shift with handlers in turn, the cheapest way to take one of
/// them off and cover the slots it leaves short with one handler on another shift, spare
/// handlers then dropped; made when it saves. At most `passes` passes over the shifts. Returns
/// the exchanges made.
pub(super) fn exchange(c: &Cover, x: &mut [u32], passes: usize) -> usize {
    let mut cov = c.cover(x);
    let mut made = 0;
    let active = c.active(x);
    c.drop_spare(x, &mut cov, &active, true);
    let mut in_short = vec![false; c.need.len()];
    for _ in 0..passes {
        let mut improved = false;
        for v in 0..x.len() {
            if x[v] == 0 {
                continue;
            }
            for &t in &c.shifts[v] {
                cov[t] -= 1;
            }
            x[v] -= 1;
            let short: Vec<usize> = c.shifts[v]
                .iter()
                .copied()
                .filter(|&t| cov[t] < c.need[t])
                .collect();
            if short.is_empty() {
                made += 1;
                improved = true;
                continue;
            }
            for &t in &short {
                in_short[t] = true;
            }
            let mut active = c.active(x);
            let mut best: Option<(f64, usize)> = None;
            for &u in &c.on[short[0]] {
                if u == v || c.shifts[u].iter().filter(|&&t| in_short[t]).count() < short.len() {
                    continue;
                }
                for &t in &c.shifts[u] {
                    cov[t] += 1;
                }
                x[u] += 1;
                let saved = c.drop_spare(x, &mut cov, &active, false);
                x[u] -= 1;
                for &t in &c.shifts[u] {
                    cov[t] -= 1;
                }
                let delta = c.costs[u] - c.costs[v] - saved;
                if best.is_none_or(|(d, _)| delta < d - EPS) {
                    best = Some((delta, u));
                }
            }
            for &t in &short {
                in_short[t] = false;
            }
            match best {
                Some((delta, u)) if delta < -EPS => {
                    for &t in &c.shifts[u] {
                        cov[t] += 1;
                    }
                    x[u] += 1;
                    if !active.contains(&u) {
                        active.push(u);
                    }
                    c.drop_spare(x, &mut cov, &active, true);
                    made += 1;
                    improved = true;
                }
                _ => {
                    for &t in &c.shifts[v] {
                        cov[t] += 1;
                    }
                    x[v] += 1;
                }
            }
        }
        if !improved {
            break;
        }
    }
    made
}

/// How the window search runs.
#[derive(Clone, Copy, Debug)]
pub(super) struct WindowPlan {
    /// A window's length and the step between windows, in ms.
    pub length: u64,
    pub step: u64,
    /// Branch-and-bound nodes for each window's programme.
    pub nodes: u64,
    /// The most sweeps round the week.
    pub sweeps: usize,
}

/// The window search: for each window of the week in turn (see [`WindowPlan`]), the shifts
/// starting in it (by `begin`, ms after Monday 00:00) are chosen again by branch and bound,
/// the others kept, from the plan as it stands; a cheaper answer that meets every slot is
/// kept. `rows` are the programme's rows (the shifts on duty, the need). Returns the windows
/// that saved and the nodes used.
pub(super) fn windows(
    c: &Cover,
    rows: &[(Vec<usize>, u32)],
    begin: &[u64],
    top: u32,
    x: &mut [u32],
    plan: WindowPlan,
) -> (usize, u64) {
    let week = crate::time::WEEK;
    let mut saved = 0;
    let mut nodes = 0;
    let count = week.div_ceil(plan.step);
    let mut last_saved: Option<u64> = None;
    'sweeps: for _ in 0..plan.sweeps {
        for w in 0..count {
            // A full round of windows without a saving: stop.
            if last_saved == Some(w) {
                break 'sweeps;
            }
            let from = w * plan.step;
            let free: Vec<usize> = (0..x.len())
                .filter(|&k| (begin[k] + week - from) % week < plan.length)
                .collect();
            if free.is_empty() {
                continue;
            }
            let mut index = vec![usize::MAX; x.len()];
            for (i, &k) in free.iter().enumerate() {
                index[k] = i;
            }
            let mut p = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
            let vars: Vec<microlp::Variable> = free
                .iter()
                .map(|&k| {
                    p.add_integer_var(c.costs[k], (0, i32::try_from(top).unwrap_or(i32::MAX)))
                })
                .collect();
            let mut any = false;
            for (on, n) in rows {
                let fixed: u32 = on
                    .iter()
                    .filter(|&&k| index[k] == usize::MAX)
                    .map(|&k| x[k])
                    .sum();
                if fixed >= *n {
                    continue;
                }
                let terms: Vec<(microlp::Variable, f64)> = on
                    .iter()
                    .filter(|&&k| index[k] != usize::MAX)
                    .map(|&k| (vars[index[k]], 1.0))
                    .collect();
                any = true;
                p.add_constraint(terms, microlp::ComparisonOp::Ge, f64::from(n - fixed));
            }
            if !any {
                continue;
            }
            let before: f64 = free.iter().map(|&k| f64::from(x[k]) * c.costs[k]).sum();
            let mut options = microlp::SolveOptions::default();
            options.node_limit = Some(plan.nodes);
            options.warm_start = Some(
                free.iter()
                    .map(|&k| (vars[index[k]], f64::from(x[k])))
                    .collect(),
            );
            let Some((sol, stats)) = p.solve_with(options).ok().and_then(|o| {
                let stats = o.stats();
                o.into_solution().ok().map(|s| (s, stats))
            }) else {
                continue;
            };
            nodes += stats.nodes_solved;
            let mut y = x.to_vec();
            for &k in &free {
                y[k] = sol.var_value(vars[index[k]]).round().max(0.0) as u32;
            }
            let after: f64 = free.iter().map(|&k| f64::from(y[k]) * c.costs[k]).sum();
            if after < before - EPS && c.meets(&y) {
                x.copy_from_slice(&y);
                saved += 1;
                last_saved = Some(w);
            }
        }
        if last_saved.is_none() {
            break;
        }
    }
    (saved, nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slots 0-7 need one handler; shifts A (slots 0-3), B (4-7) cost 5 each, C (0-7) 7, D
    /// (0-3) 4.
    fn case() -> (Vec<u32>, Vec<Vec<usize>>, Vec<f64>) {
        let mut need = vec![0u32; crate::experiment::staff::design::SLOTS];
        for n in &mut need[0..8] {
            *n = 1;
        }
        let shifts = vec![
            (0..4).collect(),
            (4..8).collect(),
            (0..8).collect(),
            (0..4).collect(),
        ];
        (need, shifts, vec![5.0, 5.0, 7.0, 4.0])
    }

    #[test]
    fn an_exchange_moves_a_handler_to_a_cheaper_shift_and_drops_the_one_left_spare() {
        let (need, shifts, costs) = case();
        let c = Cover::new(&need, &shifts, &costs);
        // A and B (10): A's handler goes to C, which leaves B spare (7).
        let mut x = vec![1, 1, 0, 0];
        assert!(exchange(&c, &mut x, 5) >= 1);
        assert_eq!(x, vec![0, 0, 1, 0]);
        // A spare handler on top is dropped, and a cover already cheapest stays.
        let mut x = vec![0, 0, 2, 0];
        exchange(&c, &mut x, 5);
        assert_eq!(x, vec![0, 0, 1, 0]);
        // Without C, A's handler goes to D (9).
        let costs = vec![5.0, 5.0, 11.0, 4.0];
        let c = Cover::new(&need, &shifts, &costs);
        let mut x = vec![1, 1, 0, 0];
        exchange(&c, &mut x, 5);
        assert_eq!(x, vec![0, 1, 0, 1]);
        assert!(c.meets(&x));
    }

    #[test]
    fn a_window_chooses_its_shifts_again_and_keeps_the_others() {
        let (need, shifts, costs) = case();
        let c = Cover::new(&need, &shifts, &costs);
        let rows: Vec<(Vec<usize>, u32)> = vec![(vec![0, 2, 3], 1), (vec![1, 2], 1)];
        // A and B start at Monday 00:00 and 01:00, C and D on Tuesday.
        let begin = [0, crate::time::HOUR, crate::time::DAY, crate::time::DAY];
        let plan = WindowPlan {
            length: crate::time::DAY,
            step: crate::time::DAY,
            nodes: 10,
            sweeps: 2,
        };
        let mut x = vec![1, 1, 0, 0];
        let (saved, _) = windows(&c, &rows, &begin, 1, &mut x, plan);
        // Monday's window alone cannot do better than A and B; Tuesday's takes C instead of
        // nothing: no saving, so nothing changes. With C and D in Monday's window the plan is C.
        assert_eq!((saved, x.clone()), (0, vec![1, 1, 0, 0]));
        let begin = [0, 0, 0, 0];
        let (saved, _) = windows(&c, &rows, &begin, 1, &mut x, plan);
        assert_eq!((saved, x), (1, vec![0, 0, 1, 0]));
    }
}
