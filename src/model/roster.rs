//! The weekly pattern of shift starts, shared by every roster (call handlers, response units):
//! which shift starts next and when, and which shifts are already under way at time 0.

use crate::scenario::Shift;
use crate::time::{Calendar, DAY, Time, WEEK};

pub struct ShiftCalendar {
    /// (offset from time 0 within the first week, shift index), in time order.
    pattern: Vec<(Time, u32)>,
    next_week: u64,
    next_k: usize,
}

impl ShiftCalendar {
    pub fn new<'a>(shifts: impl Iterator<Item = &'a Shift>, cal: &Calendar) -> Self {
        let start_offset = cal.start_weekday() * DAY;
        let mut pattern = Vec::new();
        for (s, shift) in shifts.enumerate() {
            for (day, on) in shift.days.iter().enumerate() {
                if *on {
                    let in_week = day as u64 * DAY + shift.start.0;
                    pattern.push(((in_week + WEEK - start_offset) % WEEK, s as u32));
                }
            }
        }
        pattern.sort_unstable();
        ShiftCalendar {
            pattern,
            next_week: 0,
            next_k: 0,
        }
    }

    /// Shifts that began before time 0 and are still on then: (shift, start time, which is negative).
    pub fn under_way_at_start(&self, shifts: &[impl AsRef<Shift>]) -> Vec<(u32, i64)> {
        self.pattern
            .iter()
            .filter_map(|&(rel, s)| {
                let begun = rel as i64 - WEEK as i64;
                (begun + shifts[s as usize].as_ref().length.0 as i64 > 0).then_some((s, begun))
            })
            .collect()
    }

    /// The time of the next shift start, if there are any shifts.
    pub fn next_time(&self) -> Option<Time> {
        self.pattern
            .get(self.next_k)
            .map(|&(rel, _)| self.next_week * WEEK + rel)
    }

    /// Shift starts from `a` to `b` (both included), at or after the next start: (time, shift).
    pub fn starts_between(&self, a: Time, b: Time) -> Vec<(Time, u32)> {
        let mut out = Vec::new();
        let Some(first) = self.next_time() else {
            return out;
        };
        let mut week = a.max(first) / WEEK;
        while week * WEEK <= b {
            for &(rel, s) in &self.pattern {
                let t = week * WEEK + rel;
                if t >= a.max(first) && t <= b {
                    out.push((t, s));
                }
            }
            week += 1;
        }
        out
    }

    /// Takes the shift starting now and moves on to the next one.
    pub fn advance(&mut self) -> u32 {
        let (_, s) = self.pattern[self.next_k];
        self.next_k += 1;
        if self.next_k == self.pattern.len() {
            self.next_k = 0;
            self.next_week += 1;
        }
        s
    }
}

impl AsRef<Shift> for Shift {
    fn as_ref(&self) -> &Shift {
        self
    }
}

impl AsRef<Shift> for crate::scenario::response::UnitShift {
    fn as_ref(&self) -> &Shift {
        &self.shift
    }
}
