//! Streaming statistics kept per replication (no per-call records), and summaries over
//! replications with Student-t confidence intervals.

pub mod hist;
pub mod queueing;
pub mod summary;

pub use hist::Histogram;

use crate::time::{Calendar, HOUR, Time};

/// Integrates a step function of time (a count such as busy handlers or waiting calls) over a
/// window `[lo, hi)`, split by hour of the week. Values are count x milliseconds.
#[derive(Clone, Debug)]
pub struct HourIntegrator {
    last: Time,
    value: u64,
    lo: Time,
    hi: Time,
    pub area: Vec<u64>,
    /// The hour the last flush ended in, `[hour_start, hour_start + HOUR)`, and its hour of the
    /// week, kept so that a flush within one hour (nearly all of them) does no division.
    hour_start: Time,
    hour_index: usize,
}

impl HourIntegrator {
    pub fn new(lo: Time, hi: Time) -> Self {
        HourIntegrator {
            last: 0,
            value: 0,
            lo,
            hi,
            area: vec![0; 168],
            // No hour yet: the first flush finds its own.
            hour_start: Time::MAX,
            hour_index: 0,
        }
    }

    /// Adds the area since the last change, then sets the new value.
    #[inline]
    pub fn set(&mut self, now: Time, value: u64, cal: &Calendar) {
        self.flush(now, cal);
        self.value = value;
    }

    #[inline]
    pub fn add(&mut self, now: Time, delta: i64, cal: &Calendar) {
        let v = self
            .value
            .checked_add_signed(delta)
            .expect("a count never goes below zero");
        self.set(now, v, cal);
    }

    /// Adds the area from the last change up to `now`.
    #[inline]
    pub fn flush(&mut self, now: Time, cal: &Calendar) {
        if self.value > 0 {
            let mut a = self.last.max(self.lo);
            let b = now.min(self.hi);
            while a < b {
                if a < self.hour_start || a - self.hour_start >= HOUR {
                    self.hour_start = a / HOUR * HOUR;
                    self.hour_index = cal.hour_of_week(a);
                }
                let seg = (self.hour_start + HOUR).min(b);
                self.area[self.hour_index] += self.value * (seg - a);
                a = seg;
            }
        }
        self.last = now;
    }

    pub fn total(&self) -> u64 {
        self.area.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the area worked out millisecond-hour by hour from scratch: random changes, most
    /// within an hour, some jumping days ahead, some before and after the window.
    #[test]
    fn hourly_areas_equal_a_plain_hour_by_hour_sum() {
        let cal = Calendar::new("2009-07-01".parse::<crate::time::Date>().unwrap());
        let (lo, hi) = (5 * HOUR + 123, 40 * 24 * HOUR + 7);
        let mut integ = HourIntegrator::new(lo, hi);
        let mut plain = vec![0u64; 168];
        let mut state = 11u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 11) % n
        };
        let (mut t, mut value) = (0, 0u64);
        while t < hi + 3 * HOUR {
            let step = match next(10) {
                0 => next(3 * 24 * HOUR),
                1..=3 => 0,
                _ => next(20 * 60_000),
            };
            let now = t + step;
            // The plain sum: every hour piece of [t, now) inside the window.
            let (mut a, b) = (t.max(lo), now.min(hi));
            while a < b {
                let end = ((a / HOUR + 1) * HOUR).min(b);
                plain[cal.hour_of_week(a)] += value * (end - a);
                a = end;
            }
            value = next(6);
            integ.set(now, value, &cal);
            t = now;
        }
        assert_eq!(integ.area, plain);
        assert!(integ.total() > 0);
    }
}
