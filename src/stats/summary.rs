//! Summaries over replications: mean, standard deviation, 95% Student-t interval, and the
//! status rule (met / at risk / missed).

use serde::Serialize;

/// The two-sided 95% Student-t quantile t(0.975, n - 1). Each value is worked out once per
/// process for n below `T_CACHED` (the inverse CDF costs tens of thousands of instructions, and
/// every interval of every figure needs it), and is the same value every time.
pub fn t_975(n: usize) -> f64 {
    use std::sync::OnceLock;
    const T_CACHED: usize = 4096;
    static CACHE: [OnceLock<f64>; T_CACHED] = [const { OnceLock::new() }; T_CACHED];
    match CACHE.get(n) {
        Some(cell) => *cell.get_or_init(|| t_975_uncached(n)),
        None => t_975_uncached(n),
    }
}

fn t_975_uncached(n: usize) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    if n < 2 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

/// Mean and 95% confidence interval of per-replication values (undefined values, NaN, skipped).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub sd: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Replications in which the value was defined.
    pub n: usize,
}

/// Summarises per-replication values as they come, in replication order (Welford's method, so
/// identical values give exactly that value and a zero spread), counting how many reached a
/// required share. Undefined values (NaN) are skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct Accumulator {
    n: usize,
    mean: f64,
    m2: f64,
    meeting: usize,
}

impl Accumulator {
    pub fn push(&mut self, x: f64, required: Option<f64>) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.meeting += usize::from(required.is_some_and(|r| x >= r));
    }

    /// Share of the defined values that reached the required share.
    pub fn share_meeting(&self) -> Option<f64> {
        (self.n > 0).then(|| self.meeting as f64 / self.n as f64)
    }

    pub fn estimate(&self) -> Estimate {
        let n = self.n;
        match n {
            0 => Estimate {
                mean: f64::NAN,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                n,
            },
            1 => Estimate {
                mean: self.mean,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                n,
            },
            _ => {
                let sd = (self.m2.max(0.0) / (n - 1) as f64).sqrt();
                let half = t_975(n) * sd / (n as f64).sqrt();
                Estimate {
                    mean: self.mean,
                    sd,
                    ci_low: self.mean - half,
                    ci_high: self.mean + half,
                    n,
                }
            }
        }
    }
}

impl Estimate {
    /// The estimate of values in replication order (see [`Accumulator`]).
    pub fn of(values: &[f64]) -> Estimate {
        let mut a = Accumulator::default();
        for &v in values {
            a.push(v, None);
        }
        a.estimate()
    }

    /// The standard error of the mean.
    pub fn se(&self) -> f64 {
        self.sd / (self.n as f64).sqrt()
    }
}

/// Whether a target is kept, by the rule: met when the 95% interval lies wholly at or above
/// the required share, missed when it lies wholly below, at risk otherwise. With fewer than 2
/// replications there is no interval and the status is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    AtRisk,
    Missed,
    Unknown,
}

impl Status {
    pub fn of(e: &Estimate, required: f64) -> Status {
        if e.n < 2 || e.ci_low.is_nan() {
            Status::Unknown
        } else if e.ci_low >= required {
            Status::Met
        } else if e.ci_high < required {
            Status::Missed
        } else {
            Status::AtRisk
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::AtRisk => "at risk",
            Status::Missed => "missed",
            Status::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_975(10) - 2.2622).abs() < 1e-4);
        assert!((t_975(20) - 2.0930).abs() < 1e-4);
        assert!(t_975(1).is_nan());
        // The cached value is the computed one, bit for bit, below and above the cache.
        for n in [0, 1, 2, 3, 10, 20, 100, 4095, 4096, 10_000] {
            for _ in 0..2 {
                assert_eq!(t_975(n).to_bits(), t_975_uncached(n).to_bits(), "n = {n}");
            }
        }
    }

    #[test]
    fn estimate_by_hand() {
        // Values 1..5: mean 3, sd sqrt(2.5), half-width t(0.975,4) * sd / sqrt(5).
        let e = Estimate::of(&[1.0, 2.0, f64::NAN, 3.0, 4.0, 5.0]);
        assert_eq!(e.n, 5);
        assert_eq!(e.mean, 3.0);
        let half = 2.776_445_105 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((e.ci_high - 3.0 - half).abs() < 1e-8);
        assert_eq!(Status::of(&e, 1.0), Status::Met);
        assert_eq!(Status::of(&e, 3.0), Status::AtRisk);
        assert_eq!(Status::of(&e, 5.0), Status::Missed);
        assert_eq!(Status::of(&Estimate::of(&[0.95]), 0.9), Status::Unknown);
        // Identical values: exactly that value, no spread, and met at exactly the required share.
        for n in 2..10 {
            let e = Estimate::of(&vec![0.8; n]);
            assert_eq!((e.mean, e.sd), (0.8, 0.0));
            assert_eq!(Status::of(&e, 0.8), Status::Met);
        }
    }
}
