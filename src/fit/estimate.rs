//! The estimators of a fit, each kept in fixed memory as rows stream past: waits as censored
//! data (patience), and durations fitted to a family with a goodness-of-fit figure.

use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal};

/// Waits of callers, each ended by a hang-up (an event: the caller's patience) or by an answer
/// (censored: the caller would have waited longer). Kept as counts in bins of [`Waits::BIN`]
/// milliseconds up to `horizon`, plus exact totals.
#[derive(Clone, Debug)]
pub struct Waits {
    horizon: u64,
    /// Hang-ups and answers in each bin (bin k: waits in [k, k+1) x BIN ms).
    events: Vec<u32>,
    censored: Vec<u32>,
    /// Waits past the horizon (hang-ups or answers: both only lower the number at risk).
    beyond: u64,
    pub abandoned: u64,
    pub answered: u64,
    /// The total time waited by every caller, in ms.
    pub total_ms: f64,
    /// The sum and sum of squares of the waits of those who hung up, in ms.
    pub abandoned_ms: f64,
    pub abandoned_sq: f64,
}

/// The patience a set of waits shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Patience {
    /// The exponential maximum-likelihood mean (total time waited / hang-ups), in ms, and its
    /// standard error (mean / sqrt(hang-ups)).
    pub mle_ms: f64,
    pub mle_se: f64,
    /// The Kaplan-Meier restricted mean up to the horizon, in ms, and its standard error
    /// (Greenwood).
    pub km_ms: f64,
    pub km_se: f64,
    pub horizon_ms: u64,
    /// The mean wait of those who hung up (biased low: not an estimate of patience), and its
    /// standard error.
    pub naive_ms: f64,
    pub naive_se: f64,
}

impl Waits {
    /// The width of a bin: a tenth of a second.
    pub const BIN: u64 = 100;

    pub fn new(horizon: u64) -> Waits {
        let n = horizon.div_ceil(Self::BIN) as usize;
        Waits {
            horizon,
            events: vec![0; n],
            censored: vec![0; n],
            beyond: 0,
            abandoned: 0,
            answered: 0,
            total_ms: 0.0,
            abandoned_ms: 0.0,
            abandoned_sq: 0.0,
        }
    }

    /// One caller's wait: hung up after `wait_ms` (`hung_up`), or answered then.
    pub fn add(&mut self, wait_ms: u64, hung_up: bool) {
        let w = wait_ms as f64;
        self.total_ms += w;
        if hung_up {
            self.abandoned += 1;
            self.abandoned_ms += w;
            self.abandoned_sq += w * w;
        } else {
            self.answered += 1;
        }
        if wait_ms >= self.horizon {
            self.beyond += 1;
            return;
        }
        let k = (wait_ms / Self::BIN) as usize;
        if hung_up {
            self.events[k] += 1;
        } else {
            self.censored[k] += 1;
        }
    }

    /// The estimates, or None without a hang-up.
    pub fn patience(&self) -> Option<Patience> {
        if self.abandoned == 0 {
            return None;
        }
        let d = self.abandoned as f64;
        let mle = self.total_ms / d;
        // Kaplan-Meier on the bins: a bin's hang-ups happen at its end, its answers just
        // after them (the usual convention for ties). S is constant within a bin.
        let n0 = (self.abandoned + self.answered) as f64;
        let mut at_risk = n0;
        let mut s = 1.0;
        let mut area = 0.0;
        // Each step: its time, the survival just after it, and its Greenwood term
        // d / (n (n - d)).
        let mut steps: Vec<(f64, f64, f64)> = Vec::new();
        let bin = Self::BIN as f64;
        for k in 0..self.events.len() {
            let end = ((k as u64 + 1) * Self::BIN).min(self.horizon) as f64;
            let start = k as f64 * bin;
            area += s * (end - start);
            let (e, c) = (f64::from(self.events[k]), f64::from(self.censored[k]));
            if e > 0.0 && at_risk > e {
                s *= 1.0 - e / at_risk;
                steps.push((end, s, e / (at_risk * (at_risk - e))));
            } else if e > 0.0 {
                s = 0.0;
            }
            at_risk -= e + c;
        }
        // Greenwood: Var = sum over steps t_i of A_i^2 d_i / (n_i (n_i - d_i)), A_i the area
        // under S from t_i to the horizon (S is S after step i until the next step).
        let mut var = 0.0;
        let mut tail = 0.0;
        let mut next_t = self.horizon as f64;
        for &(t, s_after, g) in steps.iter().rev() {
            tail += s_after * (next_t - t);
            var += tail * tail * g;
            next_t = t;
        }
        let n_ab = d;
        let naive = self.abandoned_ms / n_ab;
        let naive_var = if self.abandoned > 1 {
            (self.abandoned_sq - n_ab * naive * naive) / (n_ab - 1.0)
        } else {
            0.0
        };
        Some(Patience {
            mle_ms: mle,
            mle_se: mle / d.sqrt(),
            km_ms: area,
            km_se: var.sqrt(),
            horizon_ms: self.horizon,
            naive_ms: naive,
            naive_se: (naive_var.max(0.0) / n_ab).sqrt(),
        })
    }
}

impl Waits {
    /// The Kaplan-Meier survival (the share still willing to wait) after each bin with a
    /// hang-up, up to the horizon: (time in ms, survival). The same steps as
    /// [`Waits::patience`]'s restricted mean.
    pub fn survival(&self) -> Vec<(f64, f64)> {
        let mut at_risk = (self.abandoned + self.answered) as f64;
        let mut s = 1.0;
        let mut out = vec![(0.0, 1.0)];
        for k in 0..self.events.len() {
            let end = ((k as u64 + 1) * Self::BIN).min(self.horizon) as f64;
            let (e, c) = (f64::from(self.events[k]), f64::from(self.censored[k]));
            if e > 0.0 {
                s = if at_risk > e {
                    s * (1.0 - e / at_risk)
                } else {
                    0.0
                };
                out.push((end, s));
            }
            at_risk -= e + c;
        }
        out
    }
}

/// Durations in fixed memory: exact moments and a fine histogram on a log scale for the
/// goodness of fit.
#[derive(Clone, Debug)]
pub struct Durations {
    pub n: u64,
    sum: f64,
    sum_sq: f64,
    sum_ln: f64,
    sum_ln_sq: f64,
    /// Counts in bins of 1/100 of a decade from 1 ms (bin 0 holds everything up to 1 ms).
    bins: Vec<u32>,
}

/// A family fitted to durations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Family {
    Exponential { mean: f64 },
    Lognormal { mean: f64, sd: f64 },
    Gamma { mean: f64, sd: f64 },
}

impl Family {
    pub fn name(&self) -> &'static str {
        match self {
            Family::Exponential { .. } => "exponential",
            Family::Lognormal { .. } => "lognormal",
            Family::Gamma { .. } => "gamma",
        }
    }

    /// The distribution function at `x` ms.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Family::Exponential { mean } => Exp::new(1.0 / mean).map_or(f64::NAN, |d| d.cdf(x)),
            Family::Lognormal { mean, sd } => {
                let s2 = (1.0 + sd * sd / (mean * mean)).ln();
                LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).map_or(f64::NAN, |d| d.cdf(x))
            }
            Family::Gamma { mean, sd } => {
                Gamma::new(mean * mean / (sd * sd), mean / (sd * sd)).map_or(f64::NAN, |d| d.cdf(x))
            }
        }
    }
}

/// The fit chosen, with the Kolmogorov-Smirnov distance of each family tried.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    pub family: Family,
    pub ks: f64,
    /// Every family tried and its distance, best first.
    pub tried: Vec<(Family, f64)>,
}

const PER_DECADE: f64 = 100.0;
const DECADES: f64 = 10.0;

impl Default for Durations {
    fn default() -> Self {
        Durations {
            n: 0,
            sum: 0.0,
            sum_sq: 0.0,
            sum_ln: 0.0,
            sum_ln_sq: 0.0,
            bins: vec![0; (PER_DECADE * DECADES) as usize + 1],
        }
    }
}

impl Durations {
    /// A duration in ms (a zero is counted as 1 ms in the logarithms).
    pub fn add(&mut self, ms: u64) {
        let x = ms as f64;
        let l = x.max(1.0).ln();
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
        self.sum_ln += l;
        self.sum_ln_sq += l * l;
        let k = ((x.max(1.0).log10() * PER_DECADE).ceil() as usize).min(self.bins.len() - 1);
        self.bins[k] += 1;
    }

    pub fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }

    /// The sample standard deviation.
    pub fn sd(&self) -> f64 {
        let n = self.n as f64;
        ((self.sum_sq - n * self.mean().powi(2)) / (n - 1.0))
            .max(0.0)
            .sqrt()
    }

    /// Fits the exponential (maximum likelihood), the lognormal (maximum likelihood on the
    /// logarithms) and the gamma (moments), and keeps the one nearest the data by the
    /// Kolmogorov-Smirnov distance. None with fewer than two durations or no spread.
    pub fn fit(&self) -> Option<Fitted> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.mean();
        let sd = self.sd();
        if !(mean > 0.0 && sd > 0.0) {
            return None;
        }
        let mu = self.sum_ln / n;
        let s2 = (self.sum_ln_sq / n - mu * mu).max(0.0);
        let mut tried: Vec<(Family, f64)> = [
            Family::Exponential { mean },
            Family::Lognormal {
                mean: (mu + s2 / 2.0).exp(),
                sd: (mu + s2 / 2.0).exp() * (s2.exp() - 1.0).sqrt(),
            },
            Family::Gamma { mean, sd },
        ]
        .into_iter()
        .filter(|f| match *f {
            Family::Lognormal { mean, sd } | Family::Gamma { mean, sd } => {
                mean.is_finite() && sd.is_finite() && sd > 0.0
            }
            Family::Exponential { .. } => true,
        })
        .map(|f| (f, self.ks(&f)))
        .collect();
        tried.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (family, ks) = tried[0];
        Some(Fitted { family, ks, tried })
    }

    /// The empirical distribution function at the upper edge of each bin that holds a
    /// duration: (edge in ms, share at or below it).
    pub fn ecdf(&self) -> Vec<(f64, f64)> {
        let n = self.n as f64;
        let mut below = 0u64;
        let mut out = Vec::new();
        for (k, c) in self.bins.iter().enumerate() {
            if *c > 0 {
                below += u64::from(*c);
                out.push((10f64.powf(k as f64 / PER_DECADE), below as f64 / n));
            }
        }
        out
    }

    /// The largest distance between the empirical and the fitted distribution function at the
    /// bins' upper edges (1/100 of a decade apart).
    pub fn ks(&self, f: &Family) -> f64 {
        let n = self.n as f64;
        let mut below = 0u64;
        let mut d: f64 = 0.0;
        for (k, c) in self.bins.iter().enumerate() {
            below += u64::from(*c);
            let edge = 10f64.powf(k as f64 / PER_DECADE);
            d = d.max((below as f64 / n - f.cdf(edge)).abs());
        }
        d
    }
}

/// An hour-of-week profile with monthly factors, fitted together to a log of a year or more.
#[derive(Clone, Debug, PartialEq)]
pub struct Seasonal {
    /// Calls an hour in each hour of the week in a month of factor 1.
    pub weekly: [f64; 168],
    /// The months' factors, January first; their mean over the log's hours is 1.
    pub factors: [f64; 12],
    /// First attempts in each month.
    pub counts: [u64; 12],
}

/// The Poisson maximum likelihood of rate(hour) = weekly[hour of week] x factors[month] from
/// first attempts `counts[m][h]` in month m and hour of the week h over `exposure[m][h]` hours
/// (alternating closed-form updates of the two sets, which converge to the joint maximum; the
/// factors are then scaled to a mean of 1 over the log's hours and the profile the other way).
/// None when a month has no hours in the log.
pub fn seasonal(counts: &[[u64; 168]], exposure: &[[f64; 168]]) -> Option<Seasonal> {
    let month_hours: Vec<f64> = exposure.iter().map(|e| e.iter().sum()).collect();
    if counts.len() != 12 || month_hours.iter().any(|h| *h <= 0.0) {
        return None;
    }
    let n_h: Vec<f64> = (0..168)
        .map(|h| counts.iter().map(|c| c[h] as f64).sum())
        .collect();
    let n_m: Vec<f64> = counts
        .iter()
        .map(|c| c.iter().sum::<u64>() as f64)
        .collect();
    let mut f = [1.0f64; 12];
    let mut p = [0.0f64; 168];
    for _ in 0..200 {
        for h in 0..168 {
            let e: f64 = (0..12).map(|m| exposure[m][h] * f[m]).sum();
            p[h] = if e > 0.0 { n_h[h] / e } else { 0.0 };
        }
        let mut change: f64 = 0.0;
        for m in 0..12 {
            let e: f64 = (0..168).map(|h| exposure[m][h] * p[h]).sum();
            let next = if e > 0.0 { n_m[m] / e } else { 0.0 };
            change = change.max((next - f[m]).abs());
            f[m] = next;
        }
        if change < 1e-12 {
            break;
        }
    }
    let total: f64 = month_hours.iter().sum();
    let mean: f64 = (0..12).map(|m| f[m] * month_hours[m]).sum::<f64>() / total;
    if mean.is_nan() || mean <= 0.0 {
        return None;
    }
    Some(Seasonal {
        weekly: p.map(|x| x * mean),
        factors: f.map(|x| x / mean),
        counts: std::array::from_fn(|m| n_m[m] as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, Exp as RExp, LogNormal as RLogNormal};

    /// Callers with exponential patience (mean 120 s) each answered at an exponential time
    /// (mean 60 s), whichever comes first: the exponential MLE and the Kaplan-Meier restricted
    /// mean recover the truth, and the mean of the abandoned waits is far below it.
    /// Counts that are exactly a profile times monthly factors give both back exactly (the
    /// factors at mean 1 over the hours).
    #[test]
    fn a_profile_times_monthly_factors_is_recovered_exactly() {
        let p: [f64; 168] = std::array::from_fn(|h| 1.0 + (h % 24) as f64 / 4.0);
        let f: [f64; 12] = std::array::from_fn(|m| 0.8 + 0.04 * m as f64);
        // Months of 4 or 5 weeks: the hours each hour of the week occurred.
        let exposure: Vec<[f64; 168]> = (0..12)
            .map(|m| std::array::from_fn(|h| if (m + h / 24) % 3 == 0 { 5.0 } else { 4.0 }))
            .collect();
        let counts: Vec<[u64; 168]> = (0..12)
            .map(|m| {
                std::array::from_fn(|h| (p[h] * f[m] * exposure[m][h] * 1000.0).round() as u64)
            })
            .collect();
        let s = seasonal(&counts, &exposure).unwrap();
        let hours: Vec<f64> = exposure.iter().map(|e| e.iter().sum()).collect();
        let mean = (0..12).map(|m| f[m] * hours[m]).sum::<f64>() / hours.iter().sum::<f64>();
        for (got, truth) in s.factors.iter().zip(f) {
            assert!((got - truth / mean).abs() < 1e-6, "{s:?}");
        }
        for (got, truth) in s.weekly.iter().zip(p) {
            assert!((got - truth * mean * 1000.0).abs() < 1e-3, "{s:?}");
        }
        // A month with no hours in the log: no factors.
        let mut short = exposure.clone();
        short[3] = [0.0; 168];
        assert!(seasonal(&counts, &short).is_none());
    }

    #[test]
    fn patience_is_recovered_from_censored_waits() {
        let mut rng = crate::rng::rng(2009, 0);
        let (patience, answer) = (
            RExp::new(1.0 / 120_000.0).unwrap(),
            RExp::new(1.0 / 60_000.0).unwrap(),
        );
        let horizon = 300_000u64;
        let mut w = Waits::new(horizon);
        for _ in 0..20_000 {
            let p: f64 = patience.sample(&mut rng);
            let a: f64 = answer.sample(&mut rng);
            let wait = p.min(a).round() as u64;
            w.add(wait, p < a);
        }
        let got = w.patience().unwrap();
        let mean = 120_000.0;
        assert!((got.mle_ms - mean).abs() < 3.0 * got.mle_se, "{got:?}");
        // The true restricted mean: integral of exp(-t/mean) up to the horizon.
        let rmst = mean * (1.0 - (-(horizon as f64) / mean).exp());
        assert!(
            (got.km_ms - rmst).abs() < 3.0 * got.km_se,
            "{got:?} against {rmst}"
        );
        assert!(got.naive_ms < mean - 5.0 * got.naive_se, "{got:?}");
        // The standard errors are of the size theory gives, so the checks above can fail.
        assert!(got.mle_se > 1000.0 && got.mle_se < 3000.0, "{got:?}");
        assert!(got.km_se > 300.0 && got.km_se < 3000.0, "{got:?}");
    }

    /// With no censoring at all the restricted mean is the mean of the waits cut at the
    /// horizon, exactly (waits on bin edges).
    #[test]
    fn kaplan_meier_without_censoring_is_the_mean_of_the_cut_waits() {
        let mut w = Waits::new(1_000);
        for wait in [100, 200, 200, 500, 2_000] {
            w.add(wait, true);
        }
        let p = w.patience().unwrap();
        // Hang-ups are placed at their bin's end: 200, 300, 300, 600, and 1,000 for the one
        // beyond the horizon.
        assert!(
            (p.km_ms - (200.0 + 300.0 + 300.0 + 600.0 + 1000.0) / 5.0).abs() < 1e-9,
            "{p:?}"
        );
        assert!((p.mle_ms - 3_000.0 / 5.0).abs() < 1e-9);
    }

    #[test]
    fn the_family_that_made_the_durations_is_chosen_and_its_mean_recovered() {
        let mut rng = crate::rng::rng(7, 0);
        let (m, s) = (240_000.0f64, 180_000.0f64);
        let s2 = (1.0 + s * s / (m * m)).ln();
        let d = RLogNormal::new(m.ln() - s2 / 2.0, s2.sqrt()).unwrap();
        let mut durs = Durations::default();
        let n = 20_000;
        for _ in 0..n {
            let x: f64 = d.sample(&mut rng);
            durs.add(x.round() as u64);
        }
        let f = durs.fit().unwrap();
        assert_eq!(f.family.name(), "lognormal", "{f:?}");
        let Family::Lognormal { mean, .. } = f.family else {
            unreachable!()
        };
        // The mean within 3 standard errors (s / sqrt(n)).
        assert!((mean - m).abs() < 3.0 * s / (n as f64).sqrt(), "{mean}");
        // The KS distance of the right family is of the size of sampling noise (the 0.001
        // critical value is 1.95 / sqrt(n)); the exponential's is far larger.
        assert!(f.ks < 1.95 / (n as f64).sqrt(), "{f:?}");
        assert!(
            f.tried
                .iter()
                .any(|(fam, ks)| fam.name() == "exponential" && *ks > 0.05)
        );
    }
}
