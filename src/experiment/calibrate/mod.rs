//! Calibration: the values of a scenario's unknown parameters that make it reproduce a force's
//! observed figures, with their uncertainty.
//!
//! The method (docs/reference/calibrate.md sets it out for users):
//!
//! 1. Every candidate point runs the same replications from the same master seed (common random
//!    numbers), so that two points differ by their parameters, not by their luck.
//! 2. The objective is the sum over observed figures of the squared residual in combined
//!    standard errors: ((simulated - observed) / sqrt(se_observed^2 + se_simulated^2))^2,
//!    se_simulated being the standard deviation over replications over the square root of
//!    their number. A figure the point does not define (no calls of its kind) adds 10^6.
//! 3. Parameters are searched in the unit box (each from its `from` to its `to`): a Latin
//!    hypercube of `start_points`, then Nelder-Mead (argmin's) from the best of them, then a
//!    second Nelder-Mead with `final_replications` from the best so far, on a smaller simplex.
//!    Points outside the box are evaluated at the nearest point inside it, with a penalty that
//!    grows with the distance, so the search stays in bounds.
//! 4. Uncertainty from the curvature: the objective's Hessian H in the unit box, by central
//!    differences of step 0.05 at the optimum (moved inwards to keep the stencil inside the
//!    box) with `final_replications`; the parameters' covariance is 2 H^-1 (the objective is a
//!    chi-squared in the residuals), scaled back to each parameter's units; 90% intervals are
//!    the estimate plus and minus 1.645 standard errors, cut at the bounds.
//! 5. Honesty: a figure whose residual at the optimum is above 3 standard errors cannot be
//!    matched within the bounds; a Hessian with an eigenvalue at or below 10^-3 of the largest,
//!    or two parameters correlated beyond 0.95, means parameters that the figures cannot tell
//!    apart; an estimate within 1% of the box's edge is at a bound. Each is a warning in words.
//!
//! Every evaluated point is kept (see [`crate::output::calibrate`]), and a calibration started
//! again with the same inputs takes its points from there instead of simulating them: the
//! search is deterministic, so it walks the same path and resumes where it stopped.

// Matrices (the Hessian, correlations) are filled by both of their indices.
#![allow(clippy::needless_range_loop)]

mod file;

pub use file::MAX_PARAMETERS;

use super::{RunOptions, run};
use crate::error::{Error, InputError};
use crate::scenario::overrides::Step;
use crate::scenario::{Scenario, Source};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

/// One observed figure: a summary.json row's fields, its value and standard error.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub kpi: String,
    pub scope: String,
    pub scope_value: String,
    pub clock: String,
    pub statistic: String,
    pub value: f64,
    pub se: f64,
    /// Its line in the observed file, for messages.
    pub line: usize,
}

impl Figure {
    /// "T1 channel 999 call share_within": the row's fields, the empty ones left out.
    pub fn label(&self) -> String {
        [
            &self.kpi,
            &self.scope,
            &self.scope_value,
            &self.clock,
            &self.statistic,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
    }

    fn same_row(&self, o: &Figure) -> bool {
        (
            &self.kpi,
            &self.scope,
            &self.scope_value,
            &self.clock,
            &self.statistic,
        ) == (&o.kpi, &o.scope, &o.scope_value, &o.clock, &o.statistic)
    }

    fn matches(&self, r: &super::Row) -> bool {
        self.kpi == r.key.kpi
            && self.scope == r.key.scope
            && self.scope_value == r.key.scope_value
            && self.clock == r.key.clock
            && self.statistic == r.key.statistic
    }
}

/// How a parameter is written in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A plain number.
    Number,
    /// A duration, handled in milliseconds and written as "<n>ms".
    Duration,
}

/// A parameter to fit: a field path and its bounds (milliseconds for a duration).
#[derive(Clone, Debug)]
pub struct Param {
    pub path: String,
    steps: Vec<Step>,
    pub from: f64,
    pub to: f64,
    pub unit: Unit,
}

impl Param {
    /// A value as the scenario takes it.
    pub fn json(&self, x: f64) -> Value {
        match self.unit {
            Unit::Number => serde_json::json!(x),
            Unit::Duration => Value::String(format!("{}ms", x.round() as u64)),
        }
    }

    /// A value as people read it: "6min 12.5s" for a duration, the number otherwise.
    pub fn show(&self, x: f64) -> String {
        match self.unit {
            Unit::Number => format!("{}", round_sig(x, 4)),
            Unit::Duration => {
                let s = x / 1000.0;
                if s >= 120.0 {
                    format!("{}min", round_sig(s / 60.0, 4))
                } else {
                    format!("{}s", round_sig(s, 4))
                }
            }
        }
    }
}

/// `x` to `n` significant figures, for text.
fn round_sig(x: f64, n: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let m = 10f64.powi(n - 1 - x.abs().log10().floor() as i32);
    (x * m).round() / m
}

/// How the search runs.
#[derive(Clone, Debug)]
pub struct Method {
    pub start_points: usize,
    pub evaluations: usize,
    pub replications: u32,
    pub final_replications: u32,
    pub seed: u64,
}

/// A checked calibration request.
pub struct Calibration {
    /// The observed file, for messages.
    pub label: String,
    pub base_label: String,
    pub base_path: PathBuf,
    pub scenario_name: String,
    pub figures: Vec<Figure>,
    pub params: Vec<Param>,
    pub method: Method,
    pub base_text: String,
    base_source: Source,
    base_tree: Value,
    /// The observed file, the scenario (resolved) and the program: what a resumed calibration
    /// must match.
    pub hash: String,
}

/// One evaluated point.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The parameters' values, as applied (durations in whole milliseconds).
    pub x: Vec<f64>,
    pub replications: u32,
    /// "start", "search", "refine" or "curvature".
    pub phase: String,
    pub objective: f64,
    /// Each figure's simulated mean and standard error (NaN where the point has no value).
    pub sims: Vec<(f64, f64)>,
}

/// A fitted parameter.
#[derive(Clone, Debug)]
pub struct Estimate {
    pub value: f64,
    /// Its standard error (NaN when the curvature does not give one).
    pub se: f64,
    /// The 90% interval, cut at the bounds.
    pub low: f64,
    pub high: f64,
    pub at_bound: bool,
}

/// What the calibration found.
pub struct Outcome {
    /// The best point, at `final_replications`.
    pub best: Evaluation,
    pub estimates: Vec<Estimate>,
    /// Each figure's residual at the optimum, in combined standard errors.
    pub residuals: Vec<f64>,
    /// The parameters' correlations (NaN without a usable curvature).
    pub correlation: Vec<Vec<f64>>,
    pub warnings: Vec<String>,
    /// Points evaluated in all, and how many of them were simulated by this call (the rest
    /// came from an earlier, interrupted calibration).
    pub evaluations: usize,
    pub simulated: usize,
    /// Simulation runs of a replication each, in all.
    pub replications_run: u64,
}

/// The penalty a figure adds when the point gives it no value.
const MISSING: f64 = 1e6;
/// The step of the curvature's central differences, in the unit box.
const STEP: f64 = 0.05;
/// The z of a two-sided 90% interval.
const Z90: f64 = 1.644_853_626_951_472_2;

impl Calibration {
    /// The parameters' values for a point of the unit box, applied as the scenario takes them.
    pub fn natural(&self, u: &[f64]) -> Vec<f64> {
        self.params
            .iter()
            .zip(u)
            .map(|(p, &u)| {
                let x = p.from + u.clamp(0.0, 1.0) * (p.to - p.from);
                match p.unit {
                    Unit::Duration => x.round(),
                    Unit::Number => x,
                }
            })
            .collect()
    }

    /// The scenario at parameter values `x`, with the method's seed and `replications`.
    pub fn scenario(&self, x: &[f64], replications: u32) -> Result<Scenario, Error> {
        let overrides: Vec<(Vec<Step>, Value)> = self
            .params
            .iter()
            .zip(x)
            .map(|(p, &x)| (p.steps.clone(), p.json(x)))
            .collect();
        let mut sc = Scenario::parse_with(
            &self.base_text,
            &self.base_source,
            &self.base_tree,
            &overrides,
        )?;
        sc.run.replications = replications;
        sc.run.seed = self.method.seed;
        Ok(sc)
    }

    /// The objective of simulated figures.
    pub fn objective(&self, sims: &[(f64, f64)]) -> f64 {
        self.residuals(sims)
            .iter()
            .map(|r| if r.is_finite() { r * r } else { MISSING })
            .sum()
    }

    /// Each figure's residual in combined standard errors (NaN where undefined).
    pub fn residuals(&self, sims: &[(f64, f64)]) -> Vec<f64> {
        self.figures
            .iter()
            .zip(sims)
            .map(|(f, &(m, se))| {
                let se = if se.is_finite() { se } else { 0.0 };
                (m - f.value) / (f.se * f.se + se * se).sqrt()
            })
            .collect()
    }

    /// Simulates a point: each figure's mean and standard error. An error names the figures
    /// the scenario's summary does not have.
    fn simulate(
        &self,
        x: &[f64],
        replications: u32,
        threads: Option<usize>,
    ) -> Result<Vec<(f64, f64)>, Error> {
        let sc = self.scenario(x, replications)?;
        let out = run(
            &sc,
            &RunOptions {
                threads,
                progress: false,
            },
        );
        if let Some(why) = out.overload {
            return Err(InputError::new(
                &self.base_label,
                "",
                format!(
                    "the scenario at {} was stopped by the memory guard ({why}): narrow the bounds",
                    self.describe(x)
                ),
            )
            .into());
        }
        let mut sims = Vec::new();
        let mut missing = Vec::new();
        for f in &self.figures {
            match out
                .overall
                .iter()
                .chain(&out.wards)
                .chain(&out.hood)
                .find(|r| f.matches(r))
            {
                Some(r) => {
                    let e = &r.estimate;
                    let se = if e.n > 0 { e.sd / (e.n as f64).sqrt() } else { f64::NAN };
                    sims.push((e.mean, se));
                }
                None => missing.push(InputError::new(
                    &self.label,
                    "observed",
                    format!(
                        "line {}: {} is not a row of the scenario's summary.json (fields as written there: kpi, scope, scope_value, clock, statistic; leave out those a row leaves empty)",
                        f.line,
                        f.label()
                    ),
                )),
            }
        }
        if missing.is_empty() {
            Ok(sims)
        } else {
            Err(Error::Input(missing))
        }
    }

    /// "a = 6min, b = 0.5": a point's parameters, for messages.
    pub fn describe(&self, x: &[f64]) -> String {
        self.params
            .iter()
            .zip(x)
            .map(|(p, &x)| format!("{} = {}", p.path, p.show(x)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks that every observed figure is a row of the scenario's summary, by simulating the
    /// first start point (which the search then takes from `known`).
    pub fn check_figures(&self, threads: Option<usize>) -> Result<Evaluation, Error> {
        let u = latin_hypercube(
            self.method.start_points,
            self.params.len(),
            self.method.seed,
        )
        .into_iter()
        .next()
        .expect("at least one start point");
        let x = self.natural(&u);
        let sims = self.simulate(&x, self.method.replications, threads)?;
        Ok(Evaluation {
            objective: self.objective(&sims),
            x,
            replications: self.method.replications,
            phase: "start".into(),
            sims,
        })
    }
}

/// `n` points of a Latin hypercube in the unit box of `d` dimensions: each dimension cut into
/// `n` equal slices, one point in each slice of each, at a random place within it, the slices
/// paired at random (the calibration's own stream of the seed).
pub fn latin_hypercube(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    use rand::RngExt;
    let mut rng = crate::rng::rng(
        crate::rng::replication_seed(seed, 0),
        crate::rng::stream(crate::rng::purpose::CALIBRATION, 0),
    );
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(d);
    for _ in 0..d {
        let mut slices: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            slices.swap(i, j);
        }
        cols.push(
            slices
                .into_iter()
                .map(|s| (s as f64 + rng.random::<f64>()) / n as f64)
                .collect(),
        );
    }
    (0..n)
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

/// The points evaluated so far and the sink for new ones.
struct Evaluator<'a> {
    c: &'a Calibration,
    threads: Option<usize>,
    known: HashMap<(Vec<u64>, u32), Evaluation>,
    sink: &'a mut dyn FnMut(&Evaluation, bool) -> Result<(), Error>,
    evaluations: usize,
    simulated: usize,
    replications_run: u64,
    error: Option<Error>,
}

impl Evaluator<'_> {
    fn eval(&mut self, u: &[f64], replications: u32, phase: &str) -> Result<Evaluation, Error> {
        let x = self.c.natural(u);
        let key = (x.iter().map(|v| v.to_bits()).collect(), replications);
        self.evaluations += 1;
        if let Some(e) = self.known.get(&key) {
            let e = Evaluation {
                phase: phase.into(),
                ..e.clone()
            };
            (self.sink)(&e, false)?;
            return Ok(e);
        }
        let sims = self.c.simulate(&x, replications, self.threads)?;
        self.simulated += 1;
        self.replications_run += u64::from(replications);
        let e = Evaluation {
            objective: self.c.objective(&sims),
            x,
            replications,
            phase: phase.into(),
            sims,
        };
        (self.sink)(&e, true)?;
        self.known.insert(key, e.clone());
        Ok(e)
    }
}

/// The objective as argmin sees it: in the unit box, points outside taken to the nearest point
/// inside with a penalty of 100 x their squared distance from it.
struct Problem<'a, 'b> {
    ev: &'a RefCell<Evaluator<'b>>,
    replications: u32,
    phase: &'static str,
}

impl argmin::core::CostFunction for Problem<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, u: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let inside: Vec<f64> = u.iter().map(|v| v.clamp(0.0, 1.0)).collect();
        let outside: f64 = u.iter().zip(&inside).map(|(a, b)| (a - b) * (a - b)).sum();
        let mut ev = self.ev.borrow_mut();
        match ev.eval(&inside, self.replications, self.phase) {
            Ok(e) => Ok(e.objective + 100.0 * outside),
            Err(e) => {
                ev.error = Some(e);
                Err(argmin::core::Error::msg("the calibration stopped"))
            }
        }
    }
}

/// Nelder-Mead from `start` with a simplex of side `size`, at most `iterations` steps; the best
/// point of the unit box it found and its objective.
fn nelder_mead(
    ev: &RefCell<Evaluator<'_>>,
    start: &[f64],
    size: f64,
    iterations: usize,
    replications: u32,
    phase: &'static str,
) -> Result<(Vec<f64>, f64), Error> {
    use argmin::core::{Executor, State};
    use argmin::solver::neldermead::NelderMead;
    let d = start.len();
    let mut simplex = vec![start.to_vec()];
    for i in 0..d {
        let mut v = start.to_vec();
        // Step inwards from an edge.
        v[i] = if v[i] + size <= 1.0 {
            v[i] + size
        } else {
            v[i] - size
        };
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(1e-6)
        .map_err(|e| InputError::new("calibration", "", e.to_string()))?;
    let problem = Problem {
        ev,
        replications,
        phase,
    };
    let res = Executor::new(problem, solver)
        .configure(|s| s.max_iters(iterations as u64))
        .run();
    if let Some(e) = ev.borrow_mut().error.take() {
        return Err(e);
    }
    let res = res.map_err(|e| InputError::new("calibration", "", e.to_string()))?;
    let state = res.state();
    let best = state
        .get_best_param()
        .cloned()
        .unwrap_or_else(|| start.to_vec());
    let best: Vec<f64> = best.iter().map(|v| v.clamp(0.0, 1.0)).collect();
    Ok((best, state.get_best_cost()))
}

/// Runs the calibration. `known` are points evaluated before (an interrupted calibration's);
/// `sink` sees every point as it is evaluated, and whether it was simulated now (false: it was
/// known).
pub fn calibrate(
    c: &Calibration,
    known: Vec<Evaluation>,
    threads: Option<usize>,
    sink: &mut dyn FnMut(&Evaluation, bool) -> Result<(), Error>,
) -> Result<Outcome, Error> {
    let d = c.params.len();
    let m = &c.method;
    let ev = RefCell::new(Evaluator {
        c,
        threads,
        known: known
            .into_iter()
            .map(|e| {
                (
                    (e.x.iter().map(|v| v.to_bits()).collect(), e.replications),
                    e,
                )
            })
            .collect(),
        sink,
        evaluations: 0,
        simulated: 0,
        replications_run: 0,
        error: None,
    });
    // 1. The Latin hypercube.
    let mut best: Option<(Vec<f64>, f64)> = None;
    for u in latin_hypercube(m.start_points, d, m.seed) {
        let e = ev.borrow_mut().eval(&u, m.replications, "start")?;
        if best.as_ref().is_none_or(|(_, f)| e.objective < *f) {
            best = Some((u, e.objective));
        }
    }
    let (start, _) = best.expect("at least two start points");
    // 2. Nelder-Mead from the best of them, on a simplex of a quarter of the box.
    let (u1, _) = nelder_mead(&ev, &start, 0.25, m.evaluations, m.replications, "search")?;
    // 3. Again with more replications, on a smaller simplex.
    let (u2, _) = nelder_mead(
        &ev,
        &u1,
        0.08,
        m.evaluations.div_ceil(2),
        m.final_replications,
        "refine",
    )?;
    let best = ev.borrow_mut().eval(&u2, m.final_replications, "refine")?;
    // 4. The curvature about the optimum.
    let centre: Vec<f64> = u2.iter().map(|v| v.clamp(STEP, 1.0 - STEP)).collect();
    let f = |u: Vec<f64>| -> Result<f64, Error> {
        Ok(ev
            .borrow_mut()
            .eval(&u, m.final_replications, "curvature")?
            .objective)
    };
    let f0 = f(centre.clone())?;
    let mut h = vec![vec![0.0; d]; d];
    let at = |i: usize, di: f64, j: usize, dj: f64| {
        let mut u = centre.clone();
        u[i] += di;
        u[j] += dj;
        u
    };
    for i in 0..d {
        let (p, q) = (f(at(i, STEP, i, 0.0))?, f(at(i, -STEP, i, 0.0))?);
        h[i][i] = (p - 2.0 * f0 + q) / (STEP * STEP);
        for j in 0..i {
            let pp = f(at(i, STEP, j, STEP))?;
            let pm = f(at(i, STEP, j, -STEP))?;
            let mp = f(at(i, -STEP, j, STEP))?;
            let mm = f(at(i, -STEP, j, -STEP))?;
            h[i][j] = (pp - pm - mp + mm) / (4.0 * STEP * STEP);
            h[j][i] = h[i][j];
        }
    }
    let ev = ev.into_inner();
    let (estimates, correlation, mut warnings) = uncertainty(c, &u2, &best, &h);
    let residuals = c.residuals(&best.sims);
    for (k, fig) in c.figures.iter().enumerate() {
        let r = residuals[k];
        if !r.is_finite() {
            warnings.push(format!(
                "{} has no value at the fitted point: no calls of its kind",
                fig.label()
            ));
        } else if r.abs() > 3.0 {
            warnings.push(format!(
                "{} cannot be matched within the bounds: the fitted model gives {} against the observed {} ({:+.1} standard errors)",
                fig.label(),
                round_sig(best.sims[k].0, 4),
                fig.value,
                r
            ));
        }
    }
    if d > c.figures.len() {
        warnings.insert(
            0,
            format!(
                "{d} parameters are fitted to {} observed figure(s): more parameters than figures cannot all be identified",
                c.figures.len()
            ),
        );
    }
    Ok(Outcome {
        best,
        estimates,
        residuals,
        correlation,
        warnings,
        evaluations: ev.evaluations,
        simulated: ev.simulated,
        replications_run: ev.replications_run,
    })
}

/// Intervals, correlations and identifiability from the objective's Hessian `h` in the unit
/// box, at the optimum `u`.
fn uncertainty(
    c: &Calibration,
    u: &[f64],
    best: &Evaluation,
    h: &[Vec<f64>],
) -> (Vec<Estimate>, Vec<Vec<f64>>, Vec<String>) {
    let d = u.len();
    let mut warnings = Vec::new();
    let hm = nalgebra::DMatrix::from_fn(d, d, |i, j| h[i][j]);
    let eig = nalgebra::SymmetricEigen::new(hm.clone());
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    let mut lo_at = 0;
    for (k, &l) in eig.eigenvalues.iter().enumerate() {
        if l < lo {
            lo = l;
            lo_at = k;
        }
        hi = hi.max(l.abs());
    }
    let flat = hi <= 0.0 || hi.is_nan() || lo <= 1e-3 * hi;
    let cov = if flat {
        None
    } else {
        hm.try_inverse().map(|inv| inv * 2.0)
    };
    if flat && d > 1 {
        // The parameters that move along the flattest direction.
        let v = eig.eigenvectors.column(lo_at);
        let names: Vec<&str> = c
            .params
            .iter()
            .zip(v.iter())
            .filter(|(_, w)| w.abs() > 0.3)
            .map(|(p, _)| p.path.as_str())
            .collect();
        warnings.push(format!(
            "{} cannot be told apart by these figures: the objective is flat along a combination of them (its curvature there is {:.1e} of the largest), so one can be traded for another; fix all but one, or observe a figure that separates them",
            names.join(" and "),
            lo.max(0.0) / hi.max(f64::MIN_POSITIVE)
        ));
    } else if flat {
        warnings.push(format!(
            "{} is not pinned down by these figures: the objective is flat about the optimum",
            c.params[0].path
        ));
    }
    let mut correlation = vec![vec![f64::NAN; d]; d];
    if let Some(cov) = &cov {
        for i in 0..d {
            for j in 0..d {
                correlation[i][j] = cov[(i, j)] / (cov[(i, i)] * cov[(j, j)]).sqrt();
            }
        }
        for i in 0..d {
            for j in 0..i {
                if correlation[i][j].abs() > 0.95 {
                    warnings.push(format!(
                        "{} and {} cannot be told apart by these figures (correlation {:+.2}): fix one, or observe a figure that separates them",
                        c.params[j].path, c.params[i].path, correlation[i][j]
                    ));
                }
            }
        }
    }
    let mut estimates = Vec::new();
    for (i, p) in c.params.iter().enumerate() {
        let width = p.to - p.from;
        let value = best.x[i];
        let se = cov
            .as_ref()
            .map_or(f64::NAN, |cov| cov[(i, i)].max(0.0).sqrt() * width);
        let (low, high) = if se.is_finite() {
            ((value - Z90 * se).max(p.from), (value + Z90 * se).min(p.to))
        } else {
            (p.from, p.to)
        };
        let at_bound = u[i] < 0.01 || u[i] > 0.99;
        if at_bound {
            warnings.push(format!(
                "{} was fitted at the edge of its bounds ({}): the best value may lie outside them; widen them",
                p.path,
                p.show(value)
            ));
        }
        estimates.push(Estimate {
            value,
            se,
            low,
            high,
            at_bound,
        });
    }
    (estimates, correlation, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_has_one_point_in_each_slice_of_each_dimension() {
        for (n, d) in [(8, 1), (10, 3), (37, 2)] {
            let pts = latin_hypercube(n, d, 7);
            assert_eq!(pts.len(), n);
            for k in 0..d {
                let mut slices: Vec<usize> = pts
                    .iter()
                    .map(|p| (p[k] * n as f64).floor() as usize)
                    .collect();
                slices.sort_unstable();
                assert_eq!(slices, (0..n).collect::<Vec<_>>());
            }
        }
        assert_eq!(latin_hypercube(10, 2, 1), latin_hypercube(10, 2, 1));
        assert_ne!(latin_hypercube(10, 2, 1), latin_hypercube(10, 2, 2));
    }

    #[test]
    fn rounding_to_significant_figures() {
        assert_eq!(round_sig(123.456, 4), 123.5);
        assert_eq!(round_sig(0.0012345, 2), 0.0012);
        assert_eq!(round_sig(0.0, 3), 0.0);
    }
}
