//! Callers: measuring their answer, and what lies beyond the first attempt: redials, silent
//! calls and call-backs (creating, cancelling, and finding an abandoned emergency).

use super::*;
use rand::RngExt;

impl ContactCentre<'_> {
    /// A call-back has found an abandoned emergency: its incident is created as if the call
    /// were answered now, timed from the caller's first attempt.
    pub(super) fn found_emergency(&mut self, q: &mut EventQueue<Event>, now: Time, w: &Waiting) {
        let d = self.draws[w.incident];
        self.draws.remove(w.incident);
        if w.measured {
            self.result.callbacks.found_emergencies += 1;
        }
        if let Some(f) = &mut self.field {
            let h = Handover {
                call: w.caller,
                call_arrival: w.first,
                handling: w.work,
                measured: w.measured,
                draw: d,
            };
            f.answered(q, now, &h);
        }
    }

    /// A call-back task for caller `w`, created at `now`, taking `work` (its id is given when
    /// it is queued).
    pub(super) fn callback_task(&self, w: &Waiting, now: Time, work: u64) -> Waiting {
        Waiting {
            id: NO_CALLBACK,
            caller: w.caller,
            caller_no: w.caller_no,
            first: w.first,
            attempt: 0,
            silent: false,
            callback_id: NO_CALLBACK,
            arrival: now,
            work,
            callback: 0,
            hour: w.hour,
            measured: w.measured,
            gone: false,
            incident: NO_DRAW,
            stage: AT_CALL_TAKERS,
            stage_draw: NO_DRAW,
            answered_early: false,
            waited: 0,
            deadline: Time::MAX,
        }
    }

    /// Queues call-back `task` with the next id (so the queue stays in id order) and gives it
    /// to an idle handler, if any; returns its id.
    pub(super) fn queue_callback(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        task: Waiting,
    ) -> u64 {
        if task.measured {
            self.result.callbacks.created += 1;
        }
        let id = self.next_callback_id;
        self.next_callback_id += 1;
        let cb = &mut self.queues[CLASS_CALLBACK];
        cb.items.push_back(Waiting { id, ..task });
        cb.live += 1;
        if let Some(h) = self.take_idle(CLASS_CALLBACK) {
            self.serve(q, now, h, CLASS_CALLBACK);
        }
        id
    }

    /// The caller of call-back `id` has been answered: the call-back, if still waiting, is not
    /// needed.
    pub(super) fn cancel_callback(&mut self, id: u64) {
        let queue = &mut self.queues[CLASS_CALLBACK];
        let Ok(i) = queue.items.binary_search_by_key(&id, |w| w.id) else {
            return;
        };
        let w = &mut queue.items[i];
        if w.gone {
            return;
        }
        w.gone = true;
        queue.live -= 1;
        let (measured, incident) = (w.measured, w.incident);
        if incident != NO_DRAW {
            self.draws.remove(incident);
        }
        if measured {
            self.result.callbacks.cancelled += 1;
        }
    }

    /// A silent or accidental 999 call arrives.
    pub(super) fn on_silent_arrival(&mut self, q: &mut EventQueue<Event>, now: Time) {
        let s = self
            .silent
            .as_mut()
            .expect("silent arrivals only when configured");
        if let Some(t) = s.arrivals.next(&mut s.rng_arrivals) {
            q.schedule(t, Event::SilentArrival);
        }
        let work = s.handling.sample(&mut s.rng_handling);
        let callback = self
            .callback
            .as_ref()
            .map_or(0, |sampler| sampler.sample(&mut s.rng_callback));
        let measured = now >= self.warm_up;
        let id = self.next_id;
        self.next_id += 1;
        if let Some(t) = &mut self.trace {
            t.push(CallRecord {
                id,
                caller: id,
                caller_no: 0,
                attempt: 0,
                silent: true,
                channel: ChannelKind::Emergency,
                arrival: now,
                handling_ms: work,
                patience_ms: None,
                callback_ms: Some(callback),
                incident: None,
                measured,
                outcome: Outcome::Waiting,
            });
        }
        if let Some(r) = &mut self.records {
            let e = ChannelKind::Emergency;
            r.arrive(id, id, 0, e, true, measured, now, None);
        }
        if measured {
            self.result.silent.offered += 1;
        }
        let call = Waiting {
            id,
            caller: id,
            caller_no: 0,
            first: now,
            attempt: 0,
            silent: true,
            callback_id: NO_CALLBACK,
            arrival: now,
            work,
            callback,
            hour: self.cal.hour_of_week(now) as u16,
            measured,
            gone: false,
            incident: NO_DRAW,
            stage: AT_CALL_TAKERS,
            stage_draw: NO_DRAW,
            answered_early: false,
            waited: 0,
            deadline: Time::MAX,
        };
        self.enter(q, now, 0, call, Patience::Given(None));
    }

    /// A caller who hung up calls again, as a new attempt at the back of the queue.
    pub(super) fn on_redial(&mut self, q: &mut EventQueue<Event>, now: Time, slot: u32) {
        let (mut w, patience, ch) = self.redialling[slot];
        self.redialling.remove(slot);
        let ch = usize::from(ch);
        let id = self.next_id;
        self.next_id += 1;
        self.result.calls += 1;
        let hour = self.cal.hour_of_week(now);
        w.id = id;
        w.arrival = now;
        w.hour = hour as u16;
        if let Some(t) = &mut self.trace {
            t.push(CallRecord {
                id,
                caller: w.caller,
                caller_no: w.caller_no,
                attempt: w.attempt,
                silent: false,
                channel: ChannelKind::ALL[ch],
                arrival: now,
                handling_ms: w.work,
                patience_ms: patience,
                callback_ms: None,
                incident: (w.incident != NO_DRAW).then(|| self.draws[w.incident]),
                measured: w.measured,
                outcome: Outcome::Waiting,
            });
        }
        if let Some(r) = &mut self.records {
            let d = (w.incident != NO_DRAW).then(|| &self.draws[w.incident]);
            let kind = ChannelKind::ALL[ch];
            r.arrive(id, w.caller, w.attempt, kind, false, w.measured, now, d);
        }
        if w.measured {
            // The caller was kept outstanding while waiting to redial.
            self.result.channels[ch].hourly[hour].offered += 1;
            self.result.channels[ch].callers.attempts += 1;
        }
        self.enter(q, now, ch, w, Patience::Given(patience));
    }

    /// Whether the call-back for abandoned call `w` will find a genuine emergency: its draw
    /// slot if so (the call-back then carries the incident), else NO_DRAW. Decided by a draw
    /// keyed by the caller.
    pub(super) fn callback_found(&mut self, w: &Waiting) -> u32 {
        if self.find_emergency <= 0.0 || w.incident == NO_DRAW {
            return NO_DRAW;
        }
        if self.draws[w.incident].grade != 0 {
            return NO_DRAW;
        }
        let mut r = rng::keyed(self.result.seed, purpose::ABANDONED_INCIDENT, w.caller_no);
        let u: f64 = r.random();
        if u < self.find_emergency {
            w.incident
        } else {
            NO_DRAW
        }
    }

    /// Measures the answer of call `w` at `now` (by a call-taker, or at a stage with people):
    /// the channel's per-attempt and per-caller figures, and the trace. The attempt's wait runs
    /// from its arrival (for a staged call, which never redials, its first arrival).
    pub(super) fn record_answer(&mut self, ch: usize, w: &Waiting, now: Time) {
        let wait = now - w.attempt_arrival();
        if let Some(t) = &mut self.trace {
            t[w.id as usize].outcome = Outcome::Answered { at: now };
        }
        if let Some(r) = &mut self.records {
            r.answer(w.id, now);
        }
        if w.callback_id != NO_CALLBACK {
            self.cancel_callback(w.callback_id);
        }
        if w.measured {
            let c = &mut self.result.channels[ch].callers;
            c.answered += 1;
            c.within += u64::from(now - w.first <= self.result.channels[ch].target_ms);
            c.wait_ms += now - w.first;
        }
        if w.measured {
            let c = &mut self.result.channels[ch];
            let hc = &mut c.hourly[w.hour as usize];
            hc.answered += 1;
            hc.within += u64::from(wait <= c.target_ms);
            hc.wait_answered_ms += wait;
            hc.wait_all_ms += wait;
            c.answer_hist.add(wait);
            self.outstanding -= 1;
        }
    }
}
