//! Overtime call-in of response units (`[response.overtime]`; the rule itself:
//! [`crate::model::callin`]).
//!
//! Rules, in one place:
//! - The queue is the incidents waiting for a unit: I and S incidents in every sector's waiting
//!   queue, still short of their units (a two-unit incident with one unit sent still waits).
//!   It is above the level when more than `level` wait.
//! - The queue is read after every event of the field side, never sampled: a crossing of the
//!   level is seen at the event that made it.
//! - A call-in brings `units` extra units of `crew` officers, `delay` after it is made, each in
//!   the sector with the most incidents waiting at that moment (ties: the first sector in the
//!   scenario's order; counted again after each unit has taken its work). A unit starts at its
//!   sector's base, takes waiting work as any free unit does, has no breaks or other duties,
//!   and leaves `length` later as at a shift's end, finishing the incident in hand.
//! - Their officers are paid for `length` each, at the response officers' overtime rate; call-
//!   ins whose units start in the measured window are counted, with their whole length.
//! - Crossings, checks, the one call-in on its way and the caps follow the shared rule.

use super::*;
use crate::model::callin::{CallInRule, Decision};

/// The policy and its state in one replication.
pub(super) struct UnitCallIn {
    rule: CallInRule,
    crew: u32,
    warm_up: Time,
}

/// What overtime call-ins of units did in one replication (those starting in the measured
/// window).
#[derive(Clone, Copy, Debug, Default)]
pub struct UnitOvertimeResult {
    /// Call-ins made.
    pub call_ins: u64,
    /// Officer-time paid for (units x crew x length), in ms.
    pub officer_ms: u64,
    /// Times a call-in was due but a cap held it back.
    pub held_back: u64,
}

impl UnitCallIn {
    pub(super) fn new(sc: &Scenario, spec: &Spec) -> Option<Self> {
        spec.overtime.as_ref().map(|o| UnitCallIn {
            rule: CallInRule::new(&o.rule, sc.run.horizon.0),
            crew: o.crew,
            warm_up: sc.run.warm_up.0,
        })
    }
}

impl Field<'_> {
    /// After an event: the queue as it now stands, and a check when it has just risen above
    /// the level.
    #[inline]
    pub(super) fn overtime_sync(&mut self, q: &mut impl Schedule, now: Time) {
        let Some(c) = self.overtime.as_mut() else {
            return;
        };
        if let Some(g) = c.rule.set(self.incidents.waiting_total()) {
            q.at(now + c.rule.o.after.0, FieldEvent::OvertimeCheck(g));
        }
    }

    /// The queue has been above the level for `for` since the crossing of `generation` (if that
    /// is still the latest): a call-in, unless a cap holds it back or it would come too late.
    pub(super) fn on_overtime_check(&mut self, q: &mut impl Schedule, now: Time, generation: u32) {
        let Some(c) = self.overtime.as_mut() else {
            return;
        };
        let measured = now + c.rule.o.delay.0 >= c.warm_up;
        match c.rule.check(now, generation) {
            Decision::Nothing => {}
            Decision::Held { retry } => {
                if measured {
                    self.result.overtime.held_back += 1;
                }
                if let Some(t) = retry {
                    q.at(t, FieldEvent::OvertimeCheck(generation));
                }
            }
            Decision::CallIn { start } => {
                q.at(start, FieldEvent::OvertimeArrive);
                if measured {
                    let o = &c.rule.o;
                    let r = &mut self.result.overtime;
                    r.call_ins += 1;
                    r.officer_ms += u64::from(o.staff) * u64::from(c.crew) * o.length.0;
                }
            }
        }
    }

    /// A call-in's units start: each in the sector with the most incidents waiting, until
    /// `length` from now.
    pub(super) fn on_overtime_arrive(&mut self, q: &mut impl Schedule, now: Time) {
        let c = self.overtime.as_ref().expect("call-ins only with overtime");
        let (units, crew, end) = (c.rule.o.staff, c.crew, now + c.rule.o.length.0);
        for _ in 0..units {
            let sector = (0..self.spec.sectors.len())
                .rev()
                .max_by_key(|&s| self.incidents.waiting_in(s))
                .unwrap_or(0);
            self.add_unit_plain(q, now, sector as u32, crew, (now as i64, end));
        }
        let c = self.overtime.as_mut().expect("call-ins only with overtime");
        if let Some(g) = c.rule.arrived() {
            q.at(now + c.rule.o.after.0, FieldEvent::OvertimeCheck(g));
        }
    }
}
