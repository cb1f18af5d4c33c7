//! Overflow of 999 calls to a partner control room.
//!
//! Rules, in one place:
//! - A 999 attempt (not a silent call, not a staged one) that finds no handler free either goes
//!   to the partner at once (`after` zero) or waits; if it is still waiting `after` from its
//!   arrival, it goes to the partner then. Either way it goes only if the partner has a line
//!   free; otherwise it stays in (or joins) the force's queue and is not offered again.
//! - The partner answers it after `partner_answer`, drawn keyed by the caller and attempt (the
//!   same attempt takes the same time in every option), and holds the line for that and the
//!   call's own handling time. The answer is the caller's answer, measured as any other (T1
//!   counts answers by either room), and the call's incident is created from it as from the
//!   force's own.
//! - A caller whose patience runs out before the partner answers hangs up then, as from the
//!   force's queue (redial and call-back as usual), and frees the partner's line.

use super::*;

/// The partner: its lines in use and the calls it has not yet answered.
pub(super) struct Partner {
    pub(super) after: u64,
    lines: Option<u32>,
    busy: u32,
    answer: Sampler,
    calls: Pool<Waiting>,
}

impl Partner {
    pub(super) fn new(o: &crate::scenario::Overflow) -> Self {
        Partner {
            after: o.after.0,
            lines: o.partner_lines,
            busy: 0,
            answer: Sampler::new(&o.partner_answer),
            calls: Pool::new(),
        }
    }
}

impl ContactCentre<'_> {
    /// Passes 999 attempt `w` (out of every queue) to the partner if it has a line free.
    pub(super) fn try_overflow(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        w: Waiting,
    ) -> bool {
        let seed = self.result.seed;
        let Some(p) = self.overflow.as_mut() else {
            return false;
        };
        if p.lines.is_some_and(|l| p.busy >= l) {
            if w.measured {
                self.result.overflow.refused += 1;
            }
            return false;
        }
        let key = (w.caller_no << 16) | u64::from(w.attempt);
        let answer = p
            .answer
            .sample(&mut rng::keyed(seed, purpose::OVERFLOW, key));
        p.busy += 1;
        let slot = p.calls.insert(w);
        if w.deadline <= now + answer {
            q.schedule(w.deadline.max(now), Event::PartnerAbandon(slot));
        } else {
            q.schedule(now + answer, Event::PartnerAnswer(slot));
        }
        if w.measured {
            self.result.overflow.transferred += 1;
        }
        true
    }

    /// A 999 call has waited `after`: to the partner, if it is still waiting and a line is free.
    pub(super) fn on_overflow(&mut self, q: &mut EventQueue<Event>, now: Time, id: u64) -> bool {
        let queue = &mut self.queues[CLASS_999];
        let Ok(i) = queue.items.binary_search_by_key(&id, |w| w.id) else {
            return false;
        };
        let w = queue.items[i];
        if w.gone {
            return false;
        }
        let p = self
            .overflow
            .as_ref()
            .expect("overflow events only with a partner");
        if p.lines.is_some_and(|l| p.busy >= l) {
            if w.measured {
                self.result.overflow.refused += 1;
            }
            return false;
        }
        let queue = &mut self.queues[CLASS_999];
        queue.items[i].gone = true;
        queue.live -= 1;
        self.waiting[0].add(now, -1, &self.cal);
        self.queue_moved(q, now, -1);
        self.try_overflow(q, now, w)
    }

    /// The partner answers a call: the caller's answer, and its line held for the handling.
    pub(super) fn on_partner_answer(&mut self, q: &mut EventQueue<Event>, now: Time, slot: u32) {
        let p = self.overflow.as_mut().expect("with a partner");
        let w = p.calls[slot];
        p.calls.remove(slot);
        q.schedule(now + w.work, Event::PartnerFree);
        if w.measured {
            self.result.overflow.partner_answered += 1;
            self.result.overflow.partner_within +=
                u64::from(now - w.arrival <= self.result.channels[0].target_ms);
        }
        // (A 999 attempt is never silent: nothing is left to do after it.)
        let _ = self.answered(q, 0, &w, now);
    }

    /// A caller hangs up before the partner answers.
    pub(super) fn on_partner_abandon(&mut self, q: &mut EventQueue<Event>, now: Time, slot: u32) {
        let p = self.overflow.as_mut().expect("with a partner");
        let w = p.calls[slot];
        p.calls.remove(slot);
        p.busy -= 1;
        self.hang_up(q, now, 0, w);
    }

    /// The partner has finished a call: a line is free.
    pub(super) fn on_partner_free(&mut self) {
        if let Some(p) = self.overflow.as_mut() {
            p.busy -= 1;
        }
    }
}
