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
}

impl HourIntegrator {
    pub fn new(lo: Time, hi: Time) -> Self {
        HourIntegrator {
            last: 0,
            value: 0,
            lo,
            hi,
            area: vec![0; 168],
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
                let seg = ((a / HOUR + 1) * HOUR).min(b);
                self.area[cal.hour_of_week(a)] += self.value * (seg - a);
                a = seg;
            }
        }
        self.last = now;
    }

    pub fn total(&self) -> u64 {
        self.area.iter().sum()
    }
}
