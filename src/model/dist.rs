//! Sampling durations (in whole milliseconds) from a scenario's distributions.

use crate::scenario::Dist;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, LogNormal};

/// A prepared sampler for one distribution.
#[derive(Clone, Debug)]
pub enum Sampler {
    Exponential(Exp<f64>),
    Lognormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Deterministic(u64),
    Empirical(Vec<u64>),
}

impl Sampler {
    /// Parameters are in milliseconds. Lognormal and gamma take the mean m and standard
    /// deviation s: lognormal sigma^2 = ln(1 + s^2/m^2), mu = ln m - sigma^2/2; gamma shape
    /// m^2/s^2, scale s^2/m.
    pub fn new(d: &Dist) -> Sampler {
        match d {
            Dist::Exponential { mean } => {
                Sampler::Exponential(Exp::new(1.0 / mean.0 as f64).expect("mean > 0 (validated)"))
            }
            Dist::Lognormal { mean, sd } => {
                let (m, s) = (mean.0 as f64, sd.0 as f64);
                let sigma2 = (1.0 + s * s / (m * m)).ln();
                Sampler::Lognormal(
                    LogNormal::new(m.ln() - sigma2 / 2.0, sigma2.sqrt()).expect("valid lognormal"),
                )
            }
            Dist::Gamma { mean, sd } => {
                let (m, s) = (mean.0 as f64, sd.0 as f64);
                Sampler::Gamma(Gamma::new(m * m / (s * s), s * s / m).expect("valid gamma"))
            }
            Dist::Deterministic { value } => Sampler::Deterministic(value.0),
            Dist::Empirical { values } => Sampler::Empirical(values.iter().map(|v| v.0).collect()),
        }
    }

    /// One duration in milliseconds (continuous values rounded to the nearest millisecond).
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        let x = match self {
            Sampler::Exponential(d) => d.sample(rng),
            Sampler::Lognormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Deterministic(v) => return *v,
            Sampler::Empirical(v) => return v[rng.random_range(0..v.len())],
        };
        // Round half up; samples are never negative, and `as` saturates (NaN becomes 0). No
        // sample is longer than the longest duration a scenario may write, so that adding it
        // to a time never wraps the clock.
        (x + 0.5).min(crate::time::MAX_DURATION as f64) as u64
    }
}
