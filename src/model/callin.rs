//! The rule of an overtime call-in, whatever the queue and whoever is called in: a queue above
//! a level for a time calls staff in after a delay, at most one call-in on its way at a time,
//! capped per day and per week. The contact centre (handlers) and the response side (units)
//! each keep their own queue and say what arrives.
//!
//! Rules, in one place:
//! - The queue is above the level when it holds more than `level`.
//! - Checked on events, never by polling: when the queue rises above the level, a check is due
//!   `after` later; the queue falling back to the level (or below) makes that check stale (a
//!   generation counter), so a call-in is made only if the queue has stayed above the level
//!   the whole time.
//! - At most one call-in is on its way at a time. When its staff arrive, the queue, if still
//!   above the level, must stay above it for another `after` before the next call-in.
//! - Caps count call-ins by the day their staff start (days from the run's start, at midnight)
//!   and the week of the run (seven days from the start). A call-in due when a cap is reached
//!   is held back: checked again when the first call-in that would start on the next day (or,
//!   for the weekly cap, in the next week) can be made, if the queue is still above the level.
//! - No call-in is made whose staff would start at or after the horizon.
//! - Nothing is random.

use crate::scenario::Overtime;
use crate::time::{DAY, Time, WEEK};

/// What a due check decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The check is stale (the queue fell back since), a call-in is on its way, or its staff
    /// would start at or after the horizon: nothing happens.
    Nothing,
    /// A cap holds the call-in back: check again at `retry` (None: never, the horizon comes
    /// first), with the same generation.
    Held { retry: Option<Time> },
    /// A call-in: its staff start at `start`.
    CallIn { start: Time },
}

/// The rule's settings and its state in one replication.
pub struct CallInRule {
    pub o: Overtime,
    horizon: Time,
    /// The queue's length.
    waiting: u64,
    above: bool,
    /// Bumped whenever the queue crosses the level, which makes checks set before stale.
    generation: u32,
    /// A call-in whose staff have not yet arrived.
    on_the_way: bool,
    /// Call-ins by the day, and by the week of the run, their staff start.
    by_day: Vec<u32>,
    by_week: Vec<u32>,
}

impl CallInRule {
    pub fn new(o: &Overtime, horizon: Time) -> Self {
        CallInRule {
            o: o.clone(),
            horizon,
            waiting: 0,
            above: false,
            generation: 0,
            on_the_way: false,
            by_day: vec![0; (horizon / DAY + 1) as usize],
            by_week: vec![0; (horizon / WEEK + 1) as usize],
        }
    }

    /// The queue now holds `waiting`: the generation of a check due `after` from now, when it
    /// has just risen above the level (and no call-in is on its way).
    #[inline]
    pub fn set(&mut self, waiting: u64) -> Option<u32> {
        self.waiting = waiting;
        let above = waiting > u64::from(self.o.level);
        if above == self.above {
            return None;
        }
        self.above = above;
        self.generation = self.generation.wrapping_add(1);
        (above && !self.on_the_way).then_some(self.generation)
    }

    /// The queue has changed by `delta`: as [`CallInRule::set`].
    #[inline]
    pub fn moved(&mut self, delta: i64) -> Option<u32> {
        let w = self
            .waiting
            .checked_add_signed(delta)
            .expect("a queue never goes below zero");
        self.set(w)
    }

    /// When a call-in held back by a cap for staff starting at `start` may next be made, if a
    /// cap holds it back.
    fn held_until(&self, start: Time) -> Option<Time> {
        let (day, week) = ((start / DAY) as usize, (start / WEEK) as usize);
        let full = |cap: Option<u32>, n: u32| cap.is_some_and(|c| n >= c);
        if full(self.o.per_week, self.by_week[week]) {
            Some((week as Time + 1) * WEEK - self.o.delay.0)
        } else if full(self.o.per_day, self.by_day[day]) {
            Some((day as Time + 1) * DAY - self.o.delay.0)
        } else {
            None
        }
    }

    /// The check of `generation` is due at `now`.
    pub fn check(&mut self, now: Time, generation: u32) -> Decision {
        if generation != self.generation || !self.above || self.on_the_way {
            return Decision::Nothing;
        }
        let start = now + self.o.delay.0;
        if start >= self.horizon {
            return Decision::Nothing;
        }
        if let Some(t) = self.held_until(start) {
            let retry = (t + self.o.delay.0 < self.horizon).then(|| t.max(now));
            return Decision::Held { retry };
        }
        self.by_day[(start / DAY) as usize] += 1;
        self.by_week[(start / WEEK) as usize] += 1;
        self.on_the_way = true;
        Decision::CallIn { start }
    }

    /// The call-in's staff have arrived (and taken what work they can): the generation of the
    /// next check, due `after` from now, if the queue is still above the level.
    pub fn arrived(&mut self) -> Option<u32> {
        self.on_the_way = false;
        self.above.then_some(self.generation)
    }

    /// The queue's length.
    pub fn waiting(&self) -> u64 {
        self.waiting
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{Duration, MINUTE};

    fn rule(per_day: Option<u32>) -> CallInRule {
        CallInRule::new(
            &Overtime {
                level: 2,
                after: Duration(10 * MINUTE),
                delay: Duration(30 * MINUTE),
                length: Duration(60 * MINUTE),
                staff: 1,
                per_day,
                per_week: None,
            },
            3 * DAY,
        )
    }

    /// Above the level means more than `level`; a fall makes the earlier check stale; a cap
    /// holds the second call-in of a day back to the first start the next day can have.
    #[test]
    fn crossings_checks_and_caps_by_hand() {
        let mut r = rule(Some(1));
        assert_eq!(r.set(2), None);
        let g = r.set(3).expect("above the level");
        assert_eq!(r.set(2), None);
        assert_eq!(r.check(10 * MINUTE, g), Decision::Nothing);
        let g = r.set(3).expect("above again");
        assert_eq!(
            r.check(20 * MINUTE, g),
            Decision::CallIn { start: 50 * MINUTE }
        );
        // On its way: a new crossing schedules nothing, a check decides nothing.
        assert_eq!(r.moved(1), None);
        assert_eq!(r.check(30 * MINUTE, g), Decision::Nothing);
        let g = r.arrived().expect("still above");
        assert_eq!(
            r.check(60 * MINUTE, g),
            Decision::Held {
                retry: Some(DAY - 30 * MINUTE)
            }
        );
        assert_eq!(
            r.check(DAY - 30 * MINUTE, g),
            Decision::CallIn { start: DAY }
        );
        assert_eq!(r.waiting(), 4);
    }
}
