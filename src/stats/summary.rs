//! Summaries over replications: mean, standard deviation, 95% Student-t interval, and the
//! status rule (met / at risk / missed).

use serde::Serialize;

/// The two-sided 95% Student-t quantile t(0.975, n - 1).
pub fn t_975(n: usize) -> f64 {
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

impl Estimate {
    /// Sums in replication order, so the result does not depend on thread count.
    pub fn of(values: &[f64]) -> Estimate {
        let v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        let n = v.len();
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                n,
            };
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Estimate {
                mean,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                n,
            };
        }
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        let half = t_975(n) * sd / (n as f64).sqrt();
        Estimate {
            mean,
            sd,
            ci_low: mean - half,
            ci_high: mean + half,
            n,
        }
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
    }
}
