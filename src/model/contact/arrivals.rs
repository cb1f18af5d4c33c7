//! Calls arriving: each attempt's attributes drawn, the caller entering the queue (or taken at
//! once), and a caller hanging up.

use super::*;
use crate::rng::Keyed;
use rand::RngExt;

/// A caller's patience as an attempt enters: given (a redial's, drawn when its caller hung up;
/// none for a silent call or after its stages), or keyed by a first call and drawn only if the
/// caller has to wait.
pub(super) enum Patience {
    Given(Option<u64>),
    Keyed(Keyed),
}

impl ContactCentre<'_> {
    pub(super) fn on_arrival(&mut self, q: &mut EventQueue<Event>, now: Time, ch: usize) {
        let c = self.channels[ch]
            .as_mut()
            .expect("arrivals only on present channels");
        if let Some(t) = c.arrivals.next(&mut c.rng_arrivals) {
            q.schedule_in_slot(ch, t, Event::Arrival(ch as u8));
        }
        // The call's index on its channel keys all its draws.
        let fixed = c.fixed_next;
        c.fixed_next += 1;
        let index = fixed as u64;
        let c = self.channels[ch].as_ref().expect("present");
        let key = c.keys.at(index);
        // Patience and call-back length are keyed by the call, so they are drawn only where
        // they are used (a caller who waits; a 999 caller who hangs up), with the same values
        // as if drawn here.
        let patience = Patience::Keyed(key.part(10));
        let kind = ChannelKind::ALL[ch];
        let replayed = c.replayed.get(fixed);
        let given = match replayed {
            Some(r) => Some(&r.given),
            None => c.fixed.get(fixed),
        };
        let incident = self.field.as_mut().map(|f| f.draw(kind, given, now, index));
        let c = self.channels[ch].as_ref().expect("present");
        // The handling time: a replayed call's own, where the log gives it; else its
        // category's, else its grade's, else the channel's (only the one used is drawn).
        let work = match replayed.and_then(|r| r.handling) {
            Some(h) => h,
            None => {
                let by_category = incident.as_ref().and_then(|d| {
                    let k = usize::from(d.category);
                    c.by_category[k].as_ref().map(|s| (s, 5 + k))
                });
                let by_grade = || {
                    incident.as_ref().and_then(|d| {
                        let g = usize::from(d.grade);
                        c.by_grade[g].as_ref().map(|s| (s, 1 + g))
                    })
                };
                let (s, k) = by_category.or_else(by_grade).unwrap_or((&c.handling, 0));
                s.sample(&mut key.part(k as u64))
            }
        };
        let measured = now >= self.warm_up;
        let hour = self.cal.hour_of_week(now);
        let id = self.next_id;
        self.next_id += 1;
        let caller_no = self.next_caller[ch];
        self.next_caller[ch] += 1;
        self.result.calls += 1;
        // A traced call's record shows its patience and call-back length (drawn for it).
        let drawn = self.trace.is_some().then(|| {
            (
                self.patience_of(ch, &patience),
                self.callback_of(ch, caller_no),
            )
        });
        if let (Some(t), Some((patience_ms, callback_ms))) = (&mut self.trace, drawn) {
            t.push(CallRecord {
                id,
                caller: id,
                caller_no,
                attempt: 0,
                silent: false,
                channel: ChannelKind::ALL[ch],
                arrival: now,
                handling_ms: work,
                patience_ms,
                callback_ms,
                incident,
                measured,
                outcome: Outcome::Waiting,
            });
        }
        if let Some(r) = &mut self.records {
            r.arrive(id, id, 0, kind, false, measured, now, incident.as_ref());
        }
        if measured {
            self.result.channels[ch].hourly[hour].offered += 1;
            let callers = &mut self.result.channels[ch].callers;
            callers.callers += 1;
            callers.attempts += 1;
            self.outstanding += 1;
        }
        let slot = match incident {
            Some(d) => self.draws.insert(d),
            None => NO_DRAW,
        };
        let call = Waiting {
            id,
            caller: id,
            caller_no,
            first: now,
            attempt: 0,
            silent: false,
            callback_id: NO_CALLBACK,
            arrival: now,
            work,
            // Drawn at the caller's first hang-up (see `callback_of`).
            callback: 0,
            hour: hour as u16,
            measured,
            gone: false,
            incident: slot,
            stage: AT_CALL_TAKERS,
            stage_draw: NO_DRAW,
            answered_early: false,
            waited: 0,
            deadline: Time::MAX,
        };
        if self.route(ch).is_empty() {
            self.enter(q, now, ch, call, patience);
        } else {
            let patience = self.patience_of(ch, &patience);
            let stage_draw = self.draw_stages(ch, patience);
            self.stage_enter(
                q,
                now,
                Waiting {
                    stage: 0,
                    stage_draw,
                    ..call
                },
            );
        }
    }

    /// The patience of a caller on channel `ch`: given, or drawn from its call's key.
    #[inline]
    pub(super) fn patience_of(&self, ch: usize, patience: &Patience) -> Option<u64> {
        match patience {
            Patience::Given(p) => *p,
            Patience::Keyed(k) => self.channels[ch]
                .as_ref()
                .and_then(|c| c.patience.as_ref())
                .map(|p| p.sample(&mut k.clone())),
        }
    }

    /// The call-back length of caller `caller_no` on channel `ch` (None but on the 999
    /// channel with call-backs), keyed by its first call.
    pub(super) fn callback_of(&self, ch: usize, caller_no: u64) -> Option<u64> {
        match &self.callback {
            Some(s) if ch == 0 => {
                let c = self.channels[ch].as_ref().expect("present");
                Some(s.sample(&mut c.keys.at(caller_no).part(11)))
            }
            _ => None,
        }
    }

    /// An attempt (first, redial or silent) reaches the force: an idle handler answers it, or
    /// it waits (and hangs up when its patience runs out).
    pub(super) fn enter(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        ch: usize,
        call: Waiting,
        patience: Patience,
    ) {
        let class = if ch == 0 {
            CLASS_999
        } else {
            CLASS_NON_EMERGENCY
        };
        if let Some(h) = self.take_idle(class) {
            let after = self.answered(q, ch, &call, now);
            self.start_work(q, now, h, call.work, after);
        } else {
            let patience = self.patience_of(ch, &patience);
            let call = Waiting {
                deadline: patience.map_or(Time::MAX, |p| now + p),
                ..call
            };
            // A 999 call with no handler free may go to the partner control room: at once, or
            // when it has waited long enough (after its hang-up, if that falls at the same time).
            let overflow = match &self.overflow {
                Some(o) if ch == 0 && !call.silent && call.stage_draw == NO_DRAW => Some(o.after),
                _ => None,
            };
            if overflow == Some(0) && self.try_overflow(q, now, call) {
                return;
            }
            if let Some(p) = patience {
                q.schedule(now + p, Event::Abandon(ch as u8, call.id));
            }
            if let Some(after) = overflow.filter(|a| *a > 0) {
                q.schedule(now + after, Event::Overflow(call.id));
            }
            let silent = call.silent;
            let queue = &mut self.queues[class];
            queue.items.push_back(call);
            queue.live += 1;
            if !silent {
                self.waiting[ch].add(now, 1, &self.cal);
                self.queue_moved(q, now, 1);
            }
        }
    }

    pub(super) fn on_abandon(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        ch: usize,
        id: u64,
    ) -> bool {
        let class = if ch == 0 {
            CLASS_999
        } else {
            CLASS_NON_EMERGENCY
        };
        let staged = !self.route(ch).is_empty();
        let queue = &mut self.queues[class];
        // Calls join in order of id, except staged calls, which join when their last stage
        // ends: then the call is looked for in the whole queue.
        let i = match queue.items.binary_search_by_key(&id, |w| w.id) {
            Ok(i) => i,
            Err(_) if staged => match queue.items.iter().position(|w| w.id == id) {
                Some(i) => i,
                None => return false,
            },
            Err(_) => return false,
        };
        let w = &mut queue.items[i];
        if w.gone {
            return false;
        }
        w.gone = true;
        queue.live -= 1;
        let w = *w;
        self.waiting[ch].add(now, -1, &self.cal);
        self.queue_moved(q, now, -1);
        self.hang_up(q, now, ch, w);
        true
    }

    /// Attempt `w`, out of the queue, is abandoned at `now`: measured, and its caller may call
    /// again or be called back.
    pub(super) fn hang_up(&mut self, q: &mut EventQueue<Event>, now: Time, ch: usize, w: Waiting) {
        let mut w = w;
        let id = w.id;
        let hour = w.hour as usize;
        if w.stage_draw != NO_DRAW {
            // A staged call (no redial, no call-back): a hang-up before its answer is the
            // channel's, timed from the call reaching the force.
            if !w.answered_early {
                self.staged_hang_up(ch, &w, now);
            }
            self.call_takers_abandoned(ch, &w, now);
            return;
        }
        let wait = now - w.arrival;
        if w.measured {
            let c = &mut self.result.channels[ch];
            let hc = &mut c.hourly[hour];
            hc.abandoned += 1;
            hc.abandoned_after += u64::from(wait > c.target_ms);
            hc.wait_all_ms += wait;
            c.abandon_hist.add(wait);
            self.outstanding -= 1;
        }
        if let Some(t) = &mut self.trace {
            t[id as usize].outcome = Outcome::Abandoned { at: now };
        }
        // Does the caller call again? (Drawn whether or not, keyed by caller and attempt.)
        let c = self.channels[ch].as_ref().expect("present");
        let redial = c.redial.as_ref().and_then(|(p, delay)| {
            let key = ((((ch as u64) << 40) | w.caller_no) << 16) | u64::from(w.attempt);
            let mut r = rng::keyed(self.result.seed, purpose::REDIAL, key);
            let u: f64 = r.random();
            let delay = delay.sample(&mut r);
            let patience = c.patience.as_ref().map(|p| p.sample(&mut r));
            (u < *p).then_some((delay, patience))
        });
        // One call-back per 999 caller, at their first hang-up; it may find an emergency
        // only when the caller will not call again.
        let mut found = false;
        if ch == 0 && self.callback.is_some() && w.callback_id == NO_CALLBACK {
            // A first attempt's caller (never a silent call, which does not hang up): the
            // length keyed by its first call, as drawn on arrival before.
            debug_assert!(!w.silent);
            let length = self.callback_of(ch, w.caller_no).expect("call-backs");
            let task = self.callback_task(&w, now, length);
            let slot = if redial.is_none() {
                self.callback_found(&w)
            } else {
                NO_DRAW
            };
            w.callback_id = self.queue_callback(
                q,
                now,
                Waiting {
                    incident: slot,
                    ..task
                },
            );
            if slot != NO_DRAW {
                w.incident = NO_DRAW;
                found = true;
            }
        }
        if let Some(r) = &mut self.records {
            r.abandon(id, now, found);
        }
        if let Some((delay, patience)) = redial {
            w.attempt = w.attempt.saturating_add(1);
            w.gone = false;
            if w.measured {
                // Still to be answered or lost.
                self.outstanding += 1;
            }
            let slot = self.redialling.insert((w, patience, ch as u8));
            q.schedule(now + delay, Event::Redial(slot));
            return;
        }
        if w.measured {
            self.result.channels[ch].callers.lost += 1;
        }
        if w.incident != NO_DRAW {
            self.draws.remove(w.incident);
        }
    }
}
