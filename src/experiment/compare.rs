//! Paired comparisons under common random numbers: every scenario runs with the same master
//! seed and replication count, so replication r of each sees the same calls (each source of
//! randomness has its own stream), and each KPI gets the distribution of per-replication
//! differences rather than two independent intervals.

use super::{RunOptions, RunOutcome};
use crate::measure::KpiKey;
use crate::scenario::Scenario;
use crate::stats::summary::{Accumulator, Estimate, t_975};
use serde::Serialize;

pub use crate::measure::key::{Better, better};

/// One KPI of one scenario against the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct DiffRow {
    #[serde(flatten)]
    pub key: KpiKey,
    pub baseline_mean: f64,
    pub mean: f64,
    /// The paired difference (scenario minus baseline) over replications with both defined.
    pub difference: Estimate,
    /// The 95% interval the difference would have from independent runs (Welch).
    pub independent_ci: (f64, f64),
    pub better: Option<Better>,
    /// Share of paired replications in which the scenario did better (strictly).
    pub share_reps_better: Option<f64>,
    /// Share of paired replications in which it did worse (strictly).
    pub share_reps_worse: Option<f64>,
    /// The probability that the scenario is better on average: see [`prob_better`].
    pub prob_better: Option<f64>,
    pub verdict: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub baseline: String,
    pub scenario: String,
    pub rows: Vec<DiffRow>,
}

/// The verdict on a paired difference.
pub fn verdict(d: &Estimate, better: Option<Better>) -> &'static str {
    if d.n == 0 || d.mean.is_nan() {
        return "no paired values";
    }
    if d.sd == 0.0 && d.mean == 0.0 {
        return "identical";
    }
    if !(d.ci_low.is_finite() && d.ci_high.is_finite()) {
        return "too few replications to tell";
    }
    if d.ci_low <= 0.0 && d.ci_high >= 0.0 {
        return "not distinguishable from noise";
    }
    let up = d.ci_low > 0.0;
    match (better, up) {
        (Some(Better::Higher), true) | (Some(Better::Lower), false) => "better",
        (Some(_), _) => "worse",
        (None, true) => "higher",
        (None, false) => "lower",
    }
}

/// The probability that the mean paired difference favours the scenario, from the same
/// Student-t reading as the 95% interval: the t distribution with n - 1 degrees of freedom at
/// (mean difference in the better direction) / (its standard error). It is the one-sided
/// confidence that the scenario is better on average (with a flat prior, the posterior
/// probability), not the share of replications in which it did better; it is above 0.975
/// exactly when the interval lies wholly on the better side (verdict "better"), and below
/// 0.025 exactly when it lies wholly on the worse side. `None` with no direction or fewer than
/// two paired replications; 0.5 for a difference that is zero in every replication.
pub fn prob_better(d: &Estimate, better: Option<Better>) -> Option<f64> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let dir = better?;
    if d.n < 2 || !d.mean.is_finite() || !d.sd.is_finite() {
        return None;
    }
    let towards = match dir {
        Better::Higher => d.mean,
        Better::Lower => -d.mean,
    };
    let se = d.sd / (d.n as f64).sqrt();
    if se == 0.0 {
        return Some(match towards.partial_cmp(&0.0) {
            Some(std::cmp::Ordering::Greater) => 1.0,
            Some(std::cmp::Ordering::Less) => 0.0,
            _ => 0.5,
        });
    }
    let t = StudentsT::new(0.0, 1.0, (d.n - 1) as f64).ok()?;
    Some(t.cdf(towards / se))
}

/// The kpis of escalation policies (overtime call-in, overflow to a partner, mutual aid,
/// deferral). A scenario without the policy had none of it: its calls-in, hours, costs, calls
/// passed on and shares escalated are 0 in every replication, so a comparison with and
/// without escalation shows what the rescue cost.
pub const ESCALATION_KPIS: [&str; 4] = ["overtime", "overflow", "mutual_aid", "deferral"];

/// Whether a row that one side lacks is 0 there: an escalation policy's, except the share of
/// the partner's answers within the target (undefined with no partner answers).
fn zero_without(k: &KpiKey) -> bool {
    ESCALATION_KPIS.contains(&k.kpi) && k.statistic != "partner_share_within"
}

/// One side of a pair: the outcome and the row's place in it, or None for a row it lacks
/// (0 in every replication).
type Side<'a> = Option<(&'a RunOutcome, usize)>;

/// Compares `other` with `base`, KPI by KPI (those both have, and escalation rows one side
/// lacks, taken as 0 there: see [`ESCALATION_KPIS`]), replication by replication. Rows come in
/// `other`'s order, then the baseline's escalation rows `other` lacks.
pub fn pair(base: &RunOutcome, other: &RunOutcome) -> Vec<DiffRow> {
    let find = |o: &RunOutcome, k: &KpiKey| o.overall.iter().position(|r| same(&r.key, k));
    let mut rows = Vec::new();
    for (j, row) in other.overall.iter().enumerate() {
        let i = find(base, &row.key);
        if i.is_some() || zero_without(&row.key) {
            rows.push(diff_row(&row.key, i.map(|i| (base, i)), Some((other, j))));
        }
    }
    for (i, row) in base.overall.iter().enumerate() {
        if zero_without(&row.key) && find(other, &row.key).is_none() {
            rows.push(diff_row(&row.key, Some((base, i)), None));
        }
    }
    rows
}

/// The paired difference of one KPI, `other` minus `base`.
fn diff_row(key: &KpiKey, base: Side, other: Side) -> DiffRow {
    let reps = base.or(other).map_or(0, |(o, _)| o.reps.len());
    let value = |side: Side, r: usize| side.map_or(0.0, |(o, i)| o.reps[r].values[i]);
    let estimate = |side: Side| match side {
        Some((o, i)) => o.overall[i].estimate,
        None => {
            let mut a = Accumulator::default();
            (0..reps).for_each(|_| a.push(0.0, None));
            a.estimate()
        }
    };
    let mut diff = Accumulator::default();
    let (mut better_n, mut worse_n, mut n) = (0usize, 0usize, 0usize);
    let dir = better(key.statistic);
    for r in 0..reps {
        let (x, y) = (value(base, r), value(other, r));
        if x.is_nan() || y.is_nan() {
            continue;
        }
        diff.push(y - x, None);
        n += 1;
        match dir {
            Some(Better::Higher) => {
                better_n += usize::from(y > x);
                worse_n += usize::from(y < x);
            }
            Some(Better::Lower) => {
                better_n += usize::from(y < x);
                worse_n += usize::from(y > x);
            }
            None => {}
        }
    }
    let difference = diff.estimate();
    let (ea, eb) = (estimate(base), estimate(other));
    let independent_ci = welch(&ea, &eb);
    let share = |k: usize| (dir.is_some() && n > 0).then(|| k as f64 / n as f64);
    DiffRow {
        key: key.clone(),
        baseline_mean: ea.mean,
        mean: eb.mean,
        difference,
        independent_ci,
        better: dir,
        share_reps_better: share(better_n),
        share_reps_worse: share(worse_n),
        prob_better: prob_better(&difference, dir),
        verdict: verdict(&difference, dir),
    }
}

fn same(a: &KpiKey, b: &KpiKey) -> bool {
    a.kpi == b.kpi
        && a.scope == b.scope
        && a.scope_value == b.scope_value
        && a.clock == b.clock
        && a.statistic == b.statistic
}

/// The 95% interval of the difference of two independent means (Welch-Satterthwaite).
fn welch(a: &Estimate, b: &Estimate) -> (f64, f64) {
    if a.n < 2 || b.n < 2 {
        return (f64::NAN, f64::NAN);
    }
    let (va, vb) = (a.sd * a.sd / a.n as f64, b.sd * b.sd / b.n as f64);
    let se = (va + vb).sqrt();
    let d = b.mean - a.mean;
    if se == 0.0 {
        return (d, d);
    }
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    // t_975 takes a sample size n and uses n - 1 degrees of freedom.
    let t = t_975(df.round().max(1.0) as usize + 1);
    (d - t * se, d + t * se)
}

/// `sc` with every escalation policy switched off (overtime call-in of handlers, of units and
/// of workgroup staff, overflow to a partner, mutual aid, deferral), named `<name>-without-escalation`; None when it has none on.
pub fn without_escalation(sc: &Scenario) -> Option<Scenario> {
    let mut off = sc.clone();
    let mut any = off.overtime.take().is_some() | off.overflow.take().is_some();
    if let Some(r) = &mut off.response {
        any |= r.mutual_aid.take().is_some()
            | r.deferral.take().is_some()
            | r.overtime.take().is_some();
    }
    for g in &mut off.workgroups {
        any |= g.overtime.take().is_some();
    }
    any.then(|| {
        off.name = format!("{}-without-escalation", sc.name);
        off
    })
}

/// Runs every scenario with the first one's seed and replication count (common random
/// numbers) and compares each later one with the first.
pub fn compare(
    scenarios: &mut [Scenario],
    opts: &RunOptions,
) -> (Vec<RunOutcome>, Vec<Comparison>) {
    let (seed, reps) = (scenarios[0].run.seed, scenarios[0].run.replications);
    for sc in scenarios.iter_mut() {
        sc.run.seed = seed;
        sc.run.replications = reps;
    }
    let outcomes: Vec<RunOutcome> = scenarios.iter().map(|sc| super::run(sc, opts)).collect();
    let comparisons = (1..scenarios.len())
        .map(|k| Comparison {
            baseline: scenarios[0].name.clone(),
            scenario: scenarios[k].name.clone(),
            rows: pair(&outcomes[0], &outcomes[k]),
        })
        .collect();
    (outcomes, comparisons)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probability agrees with the interval: above 0.975 exactly when the verdict is
    /// "better", below 0.025 exactly when it is "worse".
    #[test]
    fn the_probability_better_agrees_with_the_verdict() {
        let mut checked = 0;
        for n in [2usize, 3, 5, 10, 40] {
            for k in 0..200 {
                let shift = (k as f64 - 100.0) / 60.0;
                let values: Vec<f64> = (0..n)
                    .map(|i| shift + ((i * 7919) % 13) as f64 / 6.0 - 1.0)
                    .collect();
                let d = Estimate::of(&values);
                for dir in [Better::Higher, Better::Lower] {
                    let p = prob_better(&d, Some(dir)).unwrap();
                    let v = verdict(&d, Some(dir));
                    assert_eq!(v == "better", p > 0.975, "n {n} shift {shift}: {v} {p}");
                    assert_eq!(v == "worse", p < 0.025, "n {n} shift {shift}: {v} {p}");
                    checked += 1;
                }
                let up = prob_better(&d, Some(Better::Higher)).unwrap();
                let down = prob_better(&d, Some(Better::Lower)).unwrap();
                assert!((up + down - 1.0).abs() < 1e-12);
            }
        }
        assert_eq!(checked, 2000);
        assert_eq!(prob_better(&Estimate::of(&[1.0, 2.0]), None), None);
        assert_eq!(
            prob_better(&Estimate::of(&[1.0]), Some(Better::Higher)),
            None
        );
        let zero = Estimate::of(&[0.0; 5]);
        assert_eq!(prob_better(&zero, Some(Better::Higher)), Some(0.5));
    }
}
