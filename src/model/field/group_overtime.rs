//! Overtime call-in of a workgroup's staff (a `[[workgroups]]` entry's `overtime`; the rule
//! itself: [`crate::model::callin`]).
//!
//! Rules, in one place:
//! - The queue is the group's backlog: its tasks (follow-up and its own caseload) waiting for a
//!   member, not those in hand. It is above the level when more than `level` wait.
//! - The backlog is read where it changes (a task joins it, a member takes one from it), never
//!   sampled: a crossing of the level is seen at the event that made it.
//! - A call-in brings `staff` extra people, `delay` after it is made. Each comes on duty then,
//!   takes waiting tasks by earliest deadline as rostered staff do, has no duties and no
//!   shrinkage, and leaves `length` later as at a shift's end, finishing the task in hand.
//! - They are paid for `length` each, at role `staff`'s overtime rate; call-ins whose staff
//!   start in the measured window are counted, with their whole length. The group's staff
//!   figures (kpi `workgroups`: utilisation, time on duty) count its rostered staff only.
//! - Crossings, checks, the one call-in on its way and the caps follow the shared rule; each
//!   workgroup has a rule of its own.

use super::*;
use crate::model::callin::{CallInRule, Decision};

/// What overtime call-ins of one workgroup's staff did in one replication (those starting in
/// the measured window).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GroupOvertimeResult {
    /// Call-ins made.
    pub call_ins: u64,
    /// Staff-time paid for (staff x length), in ms.
    pub staff_ms: u64,
    /// Times a call-in was due but a cap held it back.
    pub held_back: u64,
}

/// Each workgroup's rule (None without the policy), in the scenario's order.
pub(super) fn rules(sc: &Scenario) -> Vec<Option<CallInRule>> {
    sc.workgroups
        .iter()
        .map(|g| {
            g.overtime
                .as_ref()
                .map(|o| CallInRule::new(o, sc.run.horizon.0))
        })
        .collect()
}

impl Field<'_> {
    /// Group `g`'s backlog has just changed: a check when it has just risen above the level.
    #[inline]
    pub(super) fn group_overtime_sync(&mut self, q: &mut impl Schedule, now: Time, g: usize) {
        let w = self.work();
        let Some(rule) = w.callins[g].as_mut() else {
            return;
        };
        if let Some(generation) = rule.set(w.queues[g].len() as u64) {
            q.at(
                now + rule.o.after.0,
                FieldEvent::GroupOvertimeCheck(g as u32, generation),
            );
        }
    }

    /// Group `g`'s backlog has been above the level for `for` since the crossing of
    /// `generation` (if that is still the latest): a call-in, unless a cap holds it back or it
    /// would come too late.
    pub(super) fn on_group_overtime_check(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        g: u32,
        generation: u32,
    ) {
        let w = self.work();
        let lo = w.lo;
        let rule = w.callins[g as usize]
            .as_mut()
            .expect("checks only with overtime");
        let measured = now + rule.o.delay.0 >= lo;
        let (staff, length) = (u64::from(rule.o.staff), rule.o.length.0);
        match rule.check(now, generation) {
            Decision::Nothing => {}
            Decision::Held { retry } => {
                if measured {
                    w.overtime[g as usize].held_back += 1;
                }
                if let Some(t) = retry {
                    q.at(t, FieldEvent::GroupOvertimeCheck(g, generation));
                }
            }
            Decision::CallIn { start } => {
                q.at(start, FieldEvent::GroupOvertimeArrive(g));
                if measured {
                    let r = &mut w.overtime[g as usize];
                    r.call_ins += 1;
                    r.staff_ms += staff * length;
                }
            }
        }
    }

    /// A call-in's staff come on duty in group `g` until `length` from now, and take what work
    /// waits.
    pub(super) fn on_group_overtime_arrive(&mut self, q: &mut impl Schedule, now: Time, g: u32) {
        let g = g as usize;
        let rule = self.work().callins[g]
            .as_ref()
            .expect("call-ins only with overtime");
        let (staff, end) = (rule.o.staff, now + rule.o.length.0);
        for _ in 0..staff {
            let w = self.work();
            let id = w.add_server(q, g, now as i64, Some(end));
            w.servers[id].overtime = true;
            self.server_free(q, now, id);
        }
        let rule = self.work().callins[g]
            .as_mut()
            .expect("call-ins only with overtime");
        if let Some(generation) = rule.arrived() {
            q.at(
                now + rule.o.after.0,
                FieldEvent::GroupOvertimeCheck(g as u32, generation),
            );
        }
    }
}
