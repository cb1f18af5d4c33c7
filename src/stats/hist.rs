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

/// Bins are kept in blocks of `BLOCK`, each made when its first value comes, so that a
/// histogram costs nothing until it is used and then only the blocks its values fall in (a
/// replication makes several, and a sweep point many replications).
const BLOCK: usize = 64;
const BLOCKS: usize = BINS.div_ceil(BLOCK);

#[derive(Clone, Debug, Default)]
pub struct Histogram {
    /// Block `b` holds the counts of bins `b * BLOCK ..`; None while all of them are 0.
    blocks: Vec<Option<Box<[u64; BLOCK]>>>,
    total: u64,
    /// Values of exactly 0 (also counted in the first bin), so that a quantile falling among
    /// them is 0 rather than a point inside the first bin.
    zeros: u64,
}

impl PartialEq for Histogram {
    fn eq(&self, other: &Self) -> bool {
        self.total == other.total && self.zeros == other.zeros && self.counts() == other.counts()
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
        let bin = bin_of(ms);
        match self.blocks.get_mut(bin / BLOCK) {
            Some(Some(block)) => block[bin % BLOCK] += 1,
            _ => self.block(bin / BLOCK)[bin % BLOCK] += 1,
        }
        self.total += 1;
        self.zeros += u64::from(ms == 0);
    }

    /// Block `b`, made (all zeros) if it is not there yet.
    #[cold]
    fn block(&mut self, b: usize) -> &mut [u64; BLOCK] {
        if self.blocks.len() < BLOCKS {
            self.blocks.resize(BLOCKS, None);
        }
        self.blocks[b].get_or_insert_with(|| Box::new([0; BLOCK]))
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (b, theirs) in other.blocks.iter().enumerate() {
            if let Some(theirs) = theirs {
                let mine = match self.blocks.get_mut(b) {
                    Some(Some(mine)) => mine,
                    _ => self.block(b),
                };
                for (a, c) in mine.iter_mut().zip(theirs.iter()) {
                    *a += c;
                }
            }
        }
        self.total += other.total;
        self.zeros += other.zeros;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The count of bin `i` (see [`bin_edges`]).
    #[inline]
    pub fn count(&self, i: usize) -> u64 {
        match self.blocks.get(i / BLOCK) {
            Some(Some(block)) => block[i % BLOCK],
            _ => 0,
        }
    }

    /// The counts of all `BINS` bins, in order.
    pub fn counts(&self) -> Vec<u64> {
        (0..BINS).map(|i| self.count(i)).collect()
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
        let filled = self
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(b, block)| block.as_ref().map(|block| (b * BLOCK, block)));
        for (first, block) in filled {
            for (i, &c) in (first..).zip(block.iter()) {
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

    /// Against a flat array of every bin: the same counts, totals and quantiles after adds
    /// (values spread over every bin range, the overflow bin included) and merges, with blocks
    /// made only where values fell.
    #[test]
    fn blocks_count_as_a_flat_array_of_bins_does() {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 11
        };
        let (mut a, mut b) = (Histogram::default(), Histogram::default());
        let mut flat = vec![0u64; BINS];
        for i in 0..20_000 {
            let ms = match next() % 4 {
                0 => next() % FINE_END,
                1 => next() % MID_END,
                2 => next() % (COARSE_END + HOUR),
                _ => 0,
            };
            flat[bin_of(ms)] += 1;
            if i % 3 == 0 { a.add(ms) } else { b.add(ms) }
        }
        // Blocks are made only where values fall: 0 ms and 30 min fall in two.
        let mut two = Histogram::default();
        for ms in [0, 50, 30 * MINUTE, 30 * MINUTE + 1] {
            two.add(ms);
        }
        assert_eq!(two.blocks.iter().flatten().count(), 2);
        assert_eq!((two.count(0), two.count(bin_of(30 * MINUTE))), (2, 2));
        a.merge(&b);
        assert_eq!(a.counts(), flat);
        assert_eq!(a.total(), 20_000);
        // The quantile of the flat array, worked out plainly.
        for q in [0.01, 0.2, 0.5, 0.77, 0.9, 0.99, 1.0] {
            let rank = q * 20_000.0;
            let (mut below, mut want) = (0u64, None);
            for (i, &c) in flat.iter().enumerate() {
                if c > 0 && (below + c) as f64 >= rank && want.is_none() {
                    let (lo, hi) = bin_edges(i);
                    let (below, c) = if i == 0 {
                        (below + a.zeros, c - a.zeros)
                    } else {
                        (below, c)
                    };
                    want = Some(match hi {
                        None => lo as f64,
                        Some(hi) if rank > a.zeros as f64 => {
                            lo as f64 + (rank - below as f64) / c as f64 * (hi - lo) as f64
                        }
                        Some(_) => 0.0,
                    });
                }
                below += c;
            }
            assert_eq!(a.quantile(q), want, "q {q}");
        }
        let empty = Histogram::default();
        assert_eq!(empty.counts(), vec![0; BINS]);
        let mut c = Histogram::default();
        c.merge(&empty);
        assert_eq!(c, empty);
        assert!(c.blocks.is_empty());
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
