//! Overtime call-in of call handlers (the rule itself: [`crate::model::callin`]).
//!
//! Rules, in one place:
//! - The queue is the calls waiting for a handler: 999 and non-emergency attempts (silent calls
//!   and call-backs aside). It is above the level when more than `level` calls wait.
//! - A call-in brings `staff` extra general handlers (no breaks) `delay` after it is made; they
//!   stay `length`, then leave as at a shift's end, finishing the call in hand. They are paid
//!   for `length` each, at the handler's overtime rate.
//! - Call-ins whose staff start in the measured window are counted, with their whole length.
//! - Crossings, checks, the one call-in on its way and the caps follow the shared rule.

use super::*;
use crate::model::callin::Decision;

impl ContactCentre<'_> {
    /// The calls waiting for a handler have changed by `delta` at `now`.
    #[inline]
    pub(super) fn queue_moved(&mut self, q: &mut EventQueue<Event>, now: Time, delta: i64) {
        let Some(c) = self.overtime.as_mut() else {
            return;
        };
        if let Some(g) = c.moved(delta) {
            q.schedule(now + c.o.after.0, Event::OvertimeCheck(g));
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
        match c.check(now, generation) {
            Decision::Nothing => false,
            Decision::Held { retry } => {
                if now + c.o.delay.0 >= self.warm_up {
                    self.result.overtime.held_back += 1;
                }
                if let Some(t) = retry {
                    q.schedule(t, Event::OvertimeCheck(generation));
                }
                true
            }
            Decision::CallIn { start } => {
                q.schedule(start, Event::OvertimeArrive);
                if start >= self.warm_up {
                    let r = &mut self.result.overtime;
                    r.call_ins += 1;
                    r.staff_ms += u64::from(c.o.staff) * c.o.length.0;
                }
                true
            }
        }
    }

    /// A call-in's staff arrive: each a general handler until `length` from now.
    pub(super) fn on_overtime_arrive(&mut self, q: &mut EventQueue<Event>, now: Time) {
        let c = self.overtime.as_ref().expect("call-ins only with overtime");
        let (staff, length) = (c.o.staff, c.o.length.0);
        for i in 0..staff {
            let h = self.add_handler(q, now, NO_SHIFT, false, None, i);
            q.schedule(now + length, Event::ShiftEnd(h));
        }
        let c = self.overtime.as_mut().expect("call-ins only with overtime");
        if let Some(g) = c.arrived() {
            q.schedule(now + c.o.after.0, Event::OvertimeCheck(g));
        }
    }
}
