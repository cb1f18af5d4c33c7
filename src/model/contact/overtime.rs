//! Overtime call-in of call handlers.
//!
//! Rules, in one place:
//! - The queue is the calls waiting for a handler: 999 and non-emergency attempts (silent calls
//!   and call-backs aside). It is above the level when more than `level` calls wait.
//! - Checked on events, never by polling: when the queue rises above the level, a check is set
//!   for `for` later; the queue falling back to the level (or below) makes that check stale (a
//!   generation counter), so a call-in is made only if the queue has stayed above the level
//!   the whole time.
//! - A call-in brings `staff` extra general handlers (no breaks) `delay` after it is made; they
//!   stay `length`, then leave as at a shift's end, finishing the call in hand. They are paid
//!   for `length` each, at the handler's overtime rate.
//! - At most one call-in is on its way at a time. When its staff arrive (and have taken the
//!   calls they can), the queue, if still above the level, must stay above it for another
//!   `for` before the next call-in.
//! - Caps count call-ins by the day their staff start (days from the run's start, at midnight)
//!   and the week of the run (seven days from the start). A call-in due when a cap is reached
//!   is held back: checked again when the first call-in that would start on the next day (or,
//!   for the weekly cap, in the next week) can be made, if the queue is still above the level.
//! - No call-in is made whose staff would start at or after the horizon. Call-ins whose staff
//!   start in the measured window are counted, with their whole length.
//! - Nothing is random: the rules are deterministic, and no random number is drawn.

use super::*;
use crate::scenario::Overtime;
use crate::time::{DAY, WEEK};

/// The policy's settings and its state in one replication.
pub(super) struct CallIn {
    o: Overtime,
    /// Calls waiting for a handler (999 and non-emergency, silent calls aside).
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

impl CallIn {
    pub(super) fn new(o: &Overtime, horizon: Time) -> Self {
        CallIn {
            o: o.clone(),
            waiting: 0,
            above: false,
            generation: 0,
            on_the_way: false,
            by_day: vec![0; (horizon / DAY + 1) as usize],
            by_week: vec![0; (horizon / WEEK + 1) as usize],
        }
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
}

impl ContactCentre<'_> {
    /// The calls waiting for a handler have changed by `delta` at `now`.
    #[inline]
    pub(super) fn queue_moved(&mut self, q: &mut EventQueue<Event>, now: Time, delta: i64) {
        let Some(c) = self.overtime.as_mut() else {
            return;
        };
        c.waiting = c
            .waiting
            .checked_add_signed(delta)
            .expect("a queue never goes below zero");
        let above = c.waiting > u64::from(c.o.level);
        if above == c.above {
            return;
        }
        c.above = above;
        c.generation = c.generation.wrapping_add(1);
        if above && !c.on_the_way {
            q.schedule(now + c.o.after.0, Event::OvertimeCheck(c.generation));
        }
    }

    /// The queue has been above the level for `for` since the crossing of `generation` (if that
    /// is still the latest): a call-in, unless a cap holds it back or it would come too late.
    pub(super) fn on_overtime_check(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        generation: u32,
    ) -> bool {
        let Some(c) = self.overtime.as_mut() else {
            return false;
        };
        if generation != c.generation || !c.above || c.on_the_way {
            return false;
        }
        let start = now + c.o.delay.0;
        if start >= self.horizon {
            return false;
        }
        let measured = start >= self.warm_up;
        if let Some(t) = c.held_until(start) {
            if measured {
                self.result.overtime.held_back += 1;
            }
            if t + c.o.delay.0 < self.horizon {
                q.schedule(t.max(now), Event::OvertimeCheck(generation));
            }
            return true;
        }
        c.by_day[(start / DAY) as usize] += 1;
        c.by_week[(start / WEEK) as usize] += 1;
        c.on_the_way = true;
        q.schedule(start, Event::OvertimeArrive);
        if measured {
            let r = &mut self.result.overtime;
            r.call_ins += 1;
            r.staff_ms += u64::from(c.o.staff) * c.o.length.0;
        }
        true
    }

    /// A call-in's staff arrive: each a general handler until `length` from now.
    pub(super) fn on_overtime_arrive(&mut self, q: &mut EventQueue<Event>, now: Time) {
        let (staff, length) = {
            let c = self.overtime.as_mut().expect("call-ins only with overtime");
            c.on_the_way = false;
            (c.o.staff, c.o.length.0)
        };
        for i in 0..staff {
            let h = self.add_handler(q, now, NO_SHIFT, false, None, i);
            q.schedule(now + length, Event::ShiftEnd(h));
        }
        let c = self.overtime.as_ref().expect("call-ins only with overtime");
        if c.above {
            q.schedule(now + c.o.after.0, Event::OvertimeCheck(c.generation));
        }
    }
}
