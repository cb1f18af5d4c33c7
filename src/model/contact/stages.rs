//! Staged handling: a channel's calls pass through stages (a switchboard, an enquiry centre...)
//! before its call-takers, each stage a first-come-first-served queue with its own staff.
//!
//! Rules, in one place:
//! - A staged call's work, patience and transfer draw at each stage of its route are drawn on
//!   arrival, from each stage's own streams, used or not.
//! - At a stage, a free staff member takes the call at once, or it waits (and hangs up when
//!   its patience at that stage runs out). When the stage's work is done the call goes on to
//!   the next stage (or the call-takers after the last) with the stage's transfer probability
//!   for its grade; otherwise it ends there (no incident: it was dealt with at that stage).
//! - The caller's answer (T1, T2, per attempt and per caller) is measured at the channel's
//!   `answered_at`: by default the first stage with people (a route of automatic stages only
//!   is answered by the call-takers). A caller
//!   who hangs up before that answer is an abandoned call of the channel; after it, a call lost
//!   at a later stage (counted there). Time in queues is summed over the whole journey.
//! - Stage staff finish the call in hand when their shift ends. Breaks are not modelled.
//! - Staged channels do not redial and have no silent calls (refused when validated); calls
//!   abandoned at a stage get no call-back.

use super::*;
use crate::scenario::MAX_STAGES;
use crate::stats::HourIntegrator;
use rand::RngExt;

/// A staged call's draws for each stage of its route, and its channel and patience at the
/// call-takers.
#[derive(Clone, Copy)]
pub(super) struct StageDraw {
    ch: u8,
    work: [u64; MAX_STAGES],
    patience: [Option<u64>; MAX_STAGES],
    u: [f64; MAX_STAGES],
    call_takers_patience: Option<u64>,
}

struct Server {
    call: Option<Waiting>,
    shift_over: bool,
    idle_pos: u32,
}

/// One stage's staff, queue and streams.
pub(super) struct StageState {
    servers: Pool<Server>,
    idle: Vec<u32>,
    waiting: Pool<Waiting>,
    queue: VecDeque<u32>,
    shifts: ShiftCalendar,
    handling: Sampler,
    patience: Option<Sampler>,
    /// Streams: work, patience, transfer.
    rng: [ChaCha8Rng; 3],
    busy: HourIntegrator,
    on_duty: HourIntegrator,
}

impl StageState {
    pub(super) fn new(sc: &Scenario, s: usize, seed: u64, cal: &Calendar) -> Self {
        let st = &sc.stages[s];
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let r = |p| rng::rng(seed, rng::stream(p, s as u64));
        StageState {
            servers: Pool::new(),
            idle: Vec::new(),
            waiting: Pool::new(),
            queue: VecDeque::new(),
            shifts: ShiftCalendar::new(st.roster.shifts.iter(), cal),
            handling: Sampler::new(&st.handling),
            patience: st.patience.as_ref().map(Sampler::new),
            rng: [
                r(purpose::STAGE_HANDLING),
                r(purpose::STAGE_PATIENCE),
                r(purpose::STAGE_TRANSFER),
            ],
            busy: HourIntegrator::new(lo, hi),
            on_duty: HourIntegrator::new(lo, hi),
        }
    }
}

impl<'s> ContactCentre<'s> {
    /// Puts each stage's constant staff and the shifts under way on duty at time 0.
    pub(super) fn stages_start(&mut self, q: &mut EventQueue<Event>) {
        let sc = self.sc;
        for (s, st) in sc.stages.iter().enumerate() {
            for _ in 0..st.roster.constant {
                self.add_stage_server(q, 0, s, None);
            }
            for (k, begun) in self.stages[s].shifts.under_way_at_start(&st.roster.shifts) {
                let shift = &st.roster.shifts[k as usize];
                let end = (begun + shift.length.0 as i64) as Time;
                for _ in 0..shift.count {
                    self.add_stage_server(q, 0, s, Some(end));
                }
            }
            if let Some(t) = self.stages[s].shifts.next_time() {
                q.schedule(t, Event::StageShiftStart(s as u8));
            }
        }
    }

    fn add_stage_server(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        s: usize,
        end: Option<Time>,
    ) {
        let st = &mut self.stages[s];
        let id = st.servers.insert(Server {
            call: None,
            shift_over: false,
            idle_pos: 0,
        });
        if let Some(end) = end {
            q.schedule(end, Event::StageShiftEnd(s as u8, id));
        }
        st.on_duty.add(now, 1, &self.cal);
        self.stage_server_free(q, now, s, id);
    }

    pub(super) fn on_stage_shift_start(&mut self, q: &mut EventQueue<Event>, now: Time, s: usize) {
        let st = &mut self.stages[s];
        let k = st.shifts.advance();
        let next = st
            .shifts
            .next_time()
            .expect("a started calendar has a next start");
        q.schedule(next, Event::StageShiftStart(s as u8));
        let shift = &self.sc.stages[s].roster.shifts[k as usize];
        for _ in 0..shift.count {
            self.add_stage_server(q, now, s, Some(now + shift.length.0));
        }
    }

    pub(super) fn on_stage_shift_end(&mut self, now: Time, s: usize, server: u32) {
        let st = &mut self.stages[s];
        st.servers[server].shift_over = true;
        if st.servers[server].call.is_none() {
            let pos = st.servers[server].idle_pos as usize;
            st.idle.swap_remove(pos);
            if let Some(&moved) = st.idle.get(pos) {
                st.servers[moved].idle_pos = pos as u32;
            }
            st.servers.remove(server);
            st.on_duty.add(now, -1, &self.cal);
        }
    }

    /// A staged call's draws for every stage of channel `ch`'s route, and its patience at the
    /// call-takers; returns their slot.
    pub(super) fn draw_stages(&mut self, ch: usize, call_takers_patience: Option<u64>) -> u32 {
        let mut d = StageDraw {
            ch: ch as u8,
            work: [0; MAX_STAGES],
            patience: [None; MAX_STAGES],
            u: [0.0; MAX_STAGES],
            call_takers_patience,
        };
        for (k, &s) in self.routes[ch].iter().enumerate() {
            let st = &mut self.stages[s];
            d.work[k] = st.handling.sample(&mut st.rng[0]);
            d.patience[k] = st.patience.as_ref().map(|p| p.sample(&mut st.rng[1]));
            d.u[k] = st.rng[2].random();
        }
        self.stage_draws.insert(d)
    }

    /// Channel `ch`'s stages, in order.
    pub(super) fn route(&self, ch: usize) -> &'s [usize] {
        self.routes[ch]
    }

    /// Call `w` reaches stage `w.stage` of its route at `now`.
    pub(super) fn stage_enter(&mut self, q: &mut EventQueue<Event>, now: Time, mut w: Waiting) {
        let d = self.stage_draws[w.stage_draw];
        let k = w.stage as usize;
        let s = self.route(d.ch as usize)[k];
        w.arrival = now;
        if w.measured {
            self.result.stages[s].offered += 1;
        }
        let st = &mut self.stages[s];
        if let Some(server) = st.idle.pop() {
            self.stage_serve(q, now, s, server, w);
        } else {
            let id = w.id;
            let slot = st.waiting.insert(w);
            st.queue.push_back(slot);
            if let Some(p) = d.patience[k] {
                q.schedule(now + p, Event::StageAbandon(s as u8, slot, id));
            }
        }
    }

    fn stage_serve(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        s: usize,
        server: u32,
        mut w: Waiting,
    ) {
        let d = self.stage_draws[w.stage_draw];
        let ch = d.ch as usize;
        let wait = now - w.arrival;
        w.waited += wait;
        if w.measured {
            let target = self.result.channels[ch].target_ms;
            let c = &mut self.result.stages[s];
            c.answered += 1;
            c.within += u64::from(wait <= target);
            c.wait_ms += wait;
        }
        if w.stage as usize == self.answered_at[ch] && !w.answered_early {
            self.record_answer(ch, &w, now);
            w.answered_early = true;
        }
        let st = &mut self.stages[s];
        st.busy.add(now, 1, &self.cal);
        st.servers[server].call = Some(w);
        q.schedule(
            now + d.work[w.stage as usize],
            Event::StageDone(s as u8, server),
        );
    }

    /// A stage's work on a call is done: it goes on, or ends here.
    pub(super) fn on_stage_done(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        s: usize,
        server: u32,
    ) {
        let st = &mut self.stages[s];
        let mut w = st.servers[server]
            .call
            .take()
            .expect("a busy server has a call");
        st.busy.add(now, -1, &self.cal);
        let d = self.stage_draws[w.stage_draw];
        let k = w.stage as usize;
        let grade = if w.incident == NO_DRAW {
            0
        } else {
            usize::from(self.draws[w.incident].grade)
        };
        let ch = d.ch as usize;
        if d.u[k] < self.sc.stages[s].transfer[grade] {
            if w.measured {
                self.result.stages[s].transferred += 1;
            }
            if k + 1 < self.route(ch).len() {
                w.stage += 1;
                self.stage_enter(q, now, w);
            } else {
                w.stage = AT_CALL_TAKERS;
                w.arrival = now;
                if w.measured && w.answered_early {
                    self.result.call_takers.offered += 1;
                }
                self.enter(q, now, ch, w, Patience::Given(d.call_takers_patience));
            }
        } else {
            if w.measured {
                self.result.stages[s].closed += 1;
            }
            self.end_journey(ch, &w, 0);
        }
        self.stage_server_free(q, now, s, server);
    }

    fn stage_server_free(&mut self, q: &mut EventQueue<Event>, now: Time, s: usize, server: u32) {
        let st = &mut self.stages[s];
        if st.servers[server].shift_over {
            st.servers.remove(server);
            st.on_duty.add(now, -1, &self.cal);
            return;
        }
        while let Some(slot) = st.queue.pop_front() {
            let w = st.waiting[slot];
            // A freed slot keeps its value: marked gone, a late hang-up finds nothing.
            st.waiting[slot].gone = true;
            st.waiting.remove(slot);
            if !w.gone {
                self.stage_serve(q, now, s, server, w);
                return;
            }
        }
        st.servers[server].idle_pos = st.idle.len() as u32;
        st.idle.push(server);
    }

    /// A caller's patience at a stage runs out (if still waiting there).
    pub(super) fn on_stage_abandon(&mut self, now: Time, s: usize, slot: u32, id: u64) -> bool {
        let st = &mut self.stages[s];
        let Some(w) = st.waiting.get_mut(slot).filter(|w| w.id == id && !w.gone) else {
            return false;
        };
        w.gone = true;
        let w = *w;
        let ch = self.stage_draws[w.stage_draw].ch as usize;
        let wait = now - w.arrival;
        if w.measured {
            self.result.stages[s].abandoned += 1;
        }
        if !w.answered_early {
            self.staged_hang_up(ch, &w, now);
        }
        self.end_journey(ch, &w, wait);
        true
    }

    /// A staged caller hangs up before their answer was measured: an abandoned call of the
    /// channel, waiting since it reached the force.
    pub(super) fn staged_hang_up(&mut self, ch: usize, w: &Waiting, now: Time) {
        let waited = now - w.first;
        if w.measured {
            let c = &mut self.result.channels[ch];
            let hc = &mut c.hourly[w.hour as usize];
            hc.abandoned += 1;
            hc.abandoned_after += u64::from(waited > c.target_ms);
            hc.wait_all_ms += waited;
            c.abandon_hist.add(waited);
            c.callers.lost += 1;
            self.outstanding -= 1;
        }
        if let Some(t) = &mut self.trace {
            t[w.id as usize].outcome = Outcome::Abandoned { at: now };
        }
        if let Some(r) = &mut self.records {
            r.abandon(w.id, now, false);
        }
    }

    /// A staged call answered by a call-taker (its answer measured here or at a stage).
    pub(super) fn call_takers_answered(&mut self, ch: usize, w: &Waiting, now: Time) {
        let wait = now - w.arrival;
        if w.measured {
            let target = self.result.channels[ch].target_ms;
            let c = &mut self.result.call_takers;
            c.answered += 1;
            c.within += u64::from(wait <= target);
            c.wait_ms += wait;
        }
        let mut w = *w;
        w.incident = NO_DRAW; // handed to the field side by the caller of this
        self.end_journey(ch, &w, wait);
    }

    /// A staged call hung up in the call-takers' queue after its answer at a stage.
    pub(super) fn call_takers_abandoned(&mut self, ch: usize, w: &Waiting, now: Time) {
        if w.measured {
            self.result.call_takers.abandoned += 1;
        }
        if let Some(r) = &mut self.records {
            r.abandon(w.id, now, false);
        }
        self.end_journey(ch, w, now - w.arrival);
    }

    /// A staged call's journey is over: its time in queues (`more` on top of what it waited
    /// before) is measured, and its draws are freed.
    fn end_journey(&mut self, ch: usize, w: &Waiting, more: u64) {
        if w.measured {
            let c = &mut self.result.channels[ch];
            c.ended += 1;
            c.total_wait_ms += w.waited + more;
        }
        if w.incident != NO_DRAW {
            self.draws.remove(w.incident);
        }
        self.stage_draws.remove(w.stage_draw);
    }

    /// Staged calls not yet answered when the drain limit passes (or the run ends): each is
    /// unresolved, waiting since its first arrival.
    pub(super) fn stages_unresolved(&mut self, now: Time, stop_measuring: bool) {
        for s in 0..self.stages.len() {
            let st = &mut self.stages[s];
            let waiting = st.waiting.iter_mut().filter(|w| !w.gone);
            let serving = st.servers.iter_mut().filter_map(|v| v.call.as_mut());
            for w in waiting.chain(serving) {
                if w.measured && !w.answered_early {
                    let ch = self.stage_draws[w.stage_draw].ch as usize;
                    let h = &mut self.result.channels[ch].hourly[w.hour as usize];
                    h.unresolved += 1;
                    h.wait_all_ms += now - w.first;
                    if stop_measuring {
                        w.measured = false;
                    }
                }
            }
        }
    }

    /// Closes the stages' time integrals.
    pub(super) fn stages_finish(&mut self, end: Time) {
        for (s, st) in self.stages.iter_mut().enumerate() {
            st.busy.flush(end, &self.cal);
            st.on_duty.flush(end, &self.cal);
            self.result.stages[s].busy_ms = st.busy.total();
            self.result.stages[s].on_duty_ms = st.on_duty.total();
        }
    }
}
