//! A streaming histogram of durations with fixed bins, so replications merge by adding counts
//! and no per-call values are stored.
//!
//! Bins: 100 ms wide below 2 min, 1 s wide from 2 min to 1 h, 1 min wide from 1 h to 48 h, and
//! one overflow bin from 48 h. Percentiles interpolate linearly within a bin, so they are exact
//! to within the bin's width.

use crate::time::{HOUR, MINUTE, SECOND};

const FINE_END: u64 = 2 * MINUTE;
const MID_END: u64 = HOUR;
const COARSE_END: u64 = 48 * HOUR;
const FINE_BINS: usize = (FINE_END / 100) as usize;
const MID_BINS: usize = ((MID_END - FINE_END) / SECOND) as usize;
const COARSE_BINS: usize = ((COARSE_END - MID_END) / MINUTE) as usize;
/// Number of bins, the overflow bin included.
pub const BINS: usize = FINE_BINS + MID_BINS + COARSE_BINS + 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    /// Values of exactly 0 (also counted in the first bin), so that a quantile falling among
    /// them is 0 rather than a point inside the first bin.
    zeros: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BINS],
            total: 0,
            zeros: 0,
        }
    }
}

/// The bin holding `ms`.
#[inline]
pub fn bin_of(ms: u64) -> usize {
    if ms < FINE_END {
        (ms / 100) as usize
    } else if ms < MID_END {
        FINE_BINS + ((ms - FINE_END) / SECOND) as usize
    } else if ms < COARSE_END {
        FINE_BINS + MID_BINS + ((ms - MID_END) / MINUTE) as usize
    } else {
        BINS - 1
    }
}

/// The lower and upper edges of bin `i` in milliseconds (the overflow bin's upper edge is None).
pub fn bin_edges(i: usize) -> (u64, Option<u64>) {
    if i < FINE_BINS {
        let lo = i as u64 * 100;
        (lo, Some(lo + 100))
    } else if i < FINE_BINS + MID_BINS {
        let lo = FINE_END + (i - FINE_BINS) as u64 * SECOND;
        (lo, Some(lo + SECOND))
    } else if i < BINS - 1 {
        let lo = MID_END + (i - FINE_BINS - MID_BINS) as u64 * MINUTE;
        (lo, Some(lo + MINUTE))
    } else {
        (COARSE_END, None)
    }
}

impl Histogram {
    #[inline]
    pub fn add(&mut self, ms: u64) {
        self.counts[bin_of(ms)] += 1;
        self.total += 1;
        self.zeros += u64::from(ms == 0);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.zeros += other.zeros;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The q-quantile (0 < q <= 1) in milliseconds, interpolated within its bin; None if empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = (q * self.total as f64).max(f64::MIN_POSITIVE);
        if rank <= self.zeros as f64 {
            return Some(0.0);
        }
        let mut below = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 && (below + c) as f64 >= rank {
                let (lo, hi) = bin_edges(i);
                let Some(hi) = hi else { return Some(lo as f64) };
                // Within the first bin, exact zeros sit at 0 and the rest spread over the bin.
                let (below, c) = if i == 0 {
                    (below + self.zeros, c - self.zeros)
                } else {
                    (below, c)
                };
                let frac = (rank - below as f64) / c as f64;
                return Some(lo as f64 + frac * (hi - lo) as f64);
            }
            below += c;
        }
        Some(COARSE_END as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_tile_the_line_without_gaps() {
        let mut prev_hi = 0;
        for i in 0..BINS - 1 {
            let (lo, hi) = bin_edges(i);
            assert_eq!(lo, prev_hi, "bin {i}");
            assert_eq!(bin_of(lo), i);
            assert_eq!(bin_of(hi.unwrap() - 1), i);
            prev_hi = hi.unwrap();
        }
        assert_eq!(bin_of(prev_hi), BINS - 1);
        assert_eq!(bin_of(u64::MAX), BINS - 1);
    }

    #[test]
    fn quantiles_of_a_uniform_spread() {
        // 1000 values 0, 100, ..., 99900 ms: one per 100 ms bin.
        let mut h = Histogram::default();
        for i in 0..1000 {
            h.add(i * 100);
        }
        assert_eq!(h.total(), 1000);
        // The median's rank is 500: the 500th value sits in bin 499, [49900, 50000).
        assert_eq!(h.quantile(0.5), Some(50_000.0));
        assert_eq!(h.quantile(0.9), Some(90_000.0));
        assert!(Histogram::default().quantile(0.5).is_none());
        // Most waits exactly 0: the median and 90th percentile are 0, not inside the first bin.
        let mut h = Histogram::default();
        for _ in 0..95 {
            h.add(0);
        }
        for _ in 0..5 {
            h.add(30_000);
        }
        assert_eq!(h.quantile(0.5), Some(0.0));
        assert_eq!(h.quantile(0.9), Some(0.0));
        assert!(h.quantile(0.99).unwrap() >= 30_000.0);
    }
}
