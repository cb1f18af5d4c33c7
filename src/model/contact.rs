//! The contact centre: calls arrive on two channels (999 and non-emergency), wait in queues,
//! are answered by call handlers on a roster, or hang up; abandoned 999 calls create call-back
//! tasks. One `on_<event>` per event kind.
//!
//! Rules, in one place:
//! - Every attribute of a call (handling time, patience, call-back length) is drawn when it
//!   arrives, from its own stream, used or not, so scenarios that differ only in staffing see
//!   the same calls.
//! - Queues: with the `priority` discipline a free handler takes waiting 999 calls first, then
//!   call-backs (or last, by the scenario), then non-emergency calls; no call is interrupted.
//!   Within a class, first come first served. With `fcfs`, the earliest waiting item of any class.
//! - Handlers dedicated to 999 take only 999 calls and call-backs. An arriving 999 call takes an
//!   idle dedicated handler before an idle general one. An idle handler that becomes available
//!   is the last to have become idle (a stack); handlers are otherwise identical.
//! - A handler whose shift ends finishes the call in hand and then leaves. A break that falls
//!   while a handler is busy starts when the call ends and lasts its full length.
//! - A caller hangs up when the wait reaches their patience, unless answered earlier; an answer
//!   and a hang-up due at the same millisecond are taken in the engine's order (first scheduled
//!   first), so the hang-up, scheduled on arrival, wins over a handler freed later.
//! - Measured calls are those arriving in [warm-up, horizon). After the horizon the run drains
//!   until every measured call is answered or abandoned, or the drain limit passes.

use super::arrivals::ArrivalGen;
use super::dist::Sampler;
use super::field::{Draw, Field, FieldEvent, Handover, Schedule, Step};
use super::pool::Pool;
use super::result::{ChannelResult, Counts, ReplicationResult};
use super::roster::ShiftCalendar;
use crate::engine::{self, EventQueue};
use crate::rng::{self, ChaCha8Rng, purpose};
use crate::scenario::{CallbackPriority, ChannelKind, Discipline, Scenario};
use crate::stats::HourIntegrator;
use crate::time::Deadline;
use crate::time::{Calendar, Time};
use std::collections::VecDeque;

const CLASS_999: usize = 0;
const CLASS_CALLBACK: usize = 1;
const CLASS_NON_EMERGENCY: usize = 2;
const NO_SHIFT: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Arrival(u8),
    /// A caller's patience runs out (channel, call id); ignored if already answered.
    Abandon(u8, u64),
    ServiceEnd(u32),
    ShiftStart,
    ShiftEnd(u32),
    BreakStart(u32),
    BreakEnd(u32),
    Horizon,
    /// The drain limit: calls and incidents still outstanding stop being measured (the run
    /// goes on only for follow-up tasks, which have deadlines of their own).
    DrainEnd,
    Field(FieldEvent),
}

impl Schedule for EventQueue<Event> {
    #[inline]
    fn at(&mut self, time: Time, event: FieldEvent) {
        self.schedule(time, Event::Field(event));
    }
}

/// What a traced replication recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub calls: Vec<CallRecord>,
    /// The field side's steps, in order.
    pub steps: Vec<Step>,
}

/// One call's life, recorded when tracing (tests and `--trace`).
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    pub id: u64,
    pub channel: ChannelKind,
    pub arrival: Time,
    pub handling_ms: u64,
    pub patience_ms: Option<u64>,
    pub callback_ms: Option<u64>,
    /// The incident attributes drawn on arrival, when the scenario has a field side.
    pub incident: Option<Draw>,
    pub measured: bool,
    pub outcome: Outcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Waiting,
    Answered { at: Time },
    Abandoned { at: Time },
}

struct Waiting {
    id: u64,
    arrival: Time,
    work: u64,
    callback: u64,
    hour: u16,
    measured: bool,
    gone: bool,
    /// The slot of the call's incident draw in `draws` (NO_DRAW without a field side).
    incident: u32,
}

const NO_DRAW: u32 = u32::MAX;

#[derive(Default)]
struct ClassQueue {
    items: VecDeque<Waiting>,
    live: usize,
}

impl ClassQueue {
    fn front(&mut self) -> Option<&Waiting> {
        while self.items.front().is_some_and(|w| w.gone) {
            self.items.pop_front();
        }
        self.items.front()
    }
    fn pop(&mut self) -> Option<Waiting> {
        self.front()?;
        self.live -= 1;
        self.items.pop_front()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    Busy,
    OnBreak,
    Free,
}

struct Handler {
    state: State,
    dedicated: bool,
    shift_over: bool,
    breaks_due: u8,
    next_break: u8,
    shift: u32,
    idle_pos: u32,
}

struct ChannelState {
    arrivals: ArrivalGen,
    rng_arrivals: ChaCha8Rng,
    rng_handling: ChaCha8Rng,
    rng_patience: ChaCha8Rng,
    handling: Sampler,
    patience: Option<Sampler>,
    /// Index of the next fixed call (for fixed calls with attributes).
    fixed_next: usize,
}

pub struct ContactCentre<'s> {
    sc: &'s Scenario,
    cal: Calendar,
    warm_up: Time,
    horizon: Time,
    drain_end: Time,
    channels: [Option<ChannelState>; 2],
    callback: Option<(Sampler, ChaCha8Rng)>,
    queues: [ClassQueue; 3],
    general_order: [usize; 3],
    fcfs: bool,
    handlers: Pool<Handler>,
    /// Idle handlers: [general, dedicated to 999].
    idle: [Vec<u32>; 2],
    busy: HourIntegrator,
    staffed: HourIntegrator,
    waiting: [HourIntegrator; 2],
    shifts: ShiftCalendar,
    outstanding: u64,
    horizon_passed: bool,
    next_id: u64,
    next_callback_id: u64,
    result: ReplicationResult,
    trace: Option<Vec<CallRecord>>,
    field: Option<Field<'s>>,
    /// Incident draws of calls not yet answered or abandoned, kept out of the queues so that a
    /// queued call stays small.
    draws: Pool<Draw>,
}

impl<'s> ContactCentre<'s> {
    /// A model for replication `replication` whose seed is `seed`.
    pub fn new(sc: &'s Scenario, replication: u32, seed: u64) -> Self {
        let cal = Calendar::new(sc.run.start);
        let warm_up = sc.run.warm_up.0;
        let horizon = sc.run.horizon.0;
        let mut channels: [Option<ChannelState>; 2] = [None, None];
        let mut result = ReplicationResult {
            replication,
            seed,
            busy_ms: vec![0; 168],
            staffed_ms: vec![0; 168],
            window_ms: horizon - warm_up,
            ..Default::default()
        };
        for ch in &sc.channels {
            let i = ch.kind.index() as u64;
            channels[ch.kind.index()] = Some(ChannelState {
                arrivals: ArrivalGen::new(&ch.arrivals, cal, horizon),
                rng_arrivals: rng::rng(seed, rng::stream(purpose::ARRIVALS, i)),
                rng_handling: rng::rng(seed, rng::stream(purpose::HANDLING, i)),
                rng_patience: rng::rng(seed, rng::stream(purpose::PATIENCE, i)),
                handling: Sampler::new(&ch.handling),
                patience: ch.patience.as_ref().map(Sampler::new),
                fixed_next: 0,
            });
            let target = match sc.target(ch.kind.target_id()).time {
                Some(Deadline::Elapsed(d)) => d.0,
                _ => unreachable!("answering targets are elapsed times (validated)"),
            };
            result.channels[ch.kind.index()] = ChannelResult {
                present: true,
                target_ms: target,
                hourly: vec![Counts::default(); 168],
                ..Default::default()
            };
        }
        let callback = sc.callbacks.as_ref().map(|c| {
            (
                Sampler::new(&c.handling),
                rng::rng(seed, rng::stream(purpose::CALLBACK, 0)),
            )
        });
        let general_order = match sc.callbacks.as_ref().map(|c| c.priority) {
            Some(CallbackPriority::Last) => [CLASS_999, CLASS_NON_EMERGENCY, CLASS_CALLBACK],
            _ => [CLASS_999, CLASS_CALLBACK, CLASS_NON_EMERGENCY],
        };
        let shifts = ShiftCalendar::new(sc.handlers.shifts.iter(), &cal);
        let window = |lo, hi| HourIntegrator::new(lo, hi);
        ContactCentre {
            sc,
            cal,
            warm_up,
            horizon,
            drain_end: horizon + sc.run.drain_limit.0,
            channels,
            callback,
            queues: Default::default(),
            general_order,
            fcfs: sc.discipline == Discipline::Fcfs,
            handlers: Pool::new(),
            idle: [Vec::new(), Vec::new()],
            busy: window(warm_up, horizon),
            staffed: window(warm_up, horizon),
            waiting: [window(warm_up, horizon), window(warm_up, horizon)],
            shifts,
            outstanding: 0,
            horizon_passed: false,
            next_id: 0,
            next_callback_id: 0,
            result,
            trace: None,
            field: sc.response.as_ref().map(|r| Field::new(sc, r, seed)),
            draws: Pool::new(),
        }
    }

    /// Records every call's life (for tests and traces; costs memory per call).
    pub fn with_trace(mut self) -> Self {
        self.trace = Some(Vec::new());
        if let Some(f) = &mut self.field {
            f.trace = Some(Vec::new());
        }
        self
    }

    /// Runs the replication to the end of draining.
    pub fn run(mut self) -> (ReplicationResult, Option<Trace>) {
        let mut q = EventQueue::new();
        self.start(&mut q);
        let events = engine::run(&mut self, &mut q);
        if let Some(why) = self.overload(&q) {
            let (mut result, trace) = self.finish(q.now(), events);
            result.overload = Some(why);
            return (result, trace);
        }
        // Stopped by the drain limit with calls or incidents outstanding: they waited until it.
        let outstanding = self.outstanding + self.field.as_ref().map_or(0, |f| f.outstanding);
        let mut end = if outstanding > 0 {
            self.drain_end.max(q.now())
        } else {
            q.now().max(self.horizon)
        };
        if let Some((n, work_end)) = self.field.as_ref().and_then(|f| f.work_outstanding()) {
            if n > 0 {
                end = end.max(work_end);
            }
        }
        self.finish(end, events)
    }

    fn start(&mut self, q: &mut EventQueue<Event>) {
        for ch in 0..2 {
            if let Some(c) = self.channels[ch].as_mut() {
                if let Some(t) = c.arrivals.next(&mut c.rng_arrivals) {
                    q.schedule_in_slot(ch, t, Event::Arrival(ch as u8));
                }
            }
        }
        q.schedule(self.horizon, Event::Horizon);
        if let Some(f) = &mut self.field {
            f.start(q);
            if f.work_outstanding().is_some() {
                q.schedule(self.drain_end, Event::DrainEnd);
            }
        }
        let roster = &self.sc.handlers;
        for i in 0..roster.constant {
            self.add_handler(q, 0, NO_SHIFT, i < roster.constant_dedicated_999, None, i);
        }
        // Shifts that started before the start and are still on at time 0.
        for (s, begun) in self.shifts.under_way_at_start(&self.sc.handlers.shifts) {
            self.add_shift(q, 0, s, begun);
        }
        if let Some(t) = self.shifts.next_time() {
            q.schedule(t, Event::ShiftStart);
        }
    }

    /// Calls still waiting are unresolved as of now, and incidents still outstanding stay
    /// unattended: later answers and attendances are not measured.
    fn on_drain_end(&mut self, now: Time) {
        for (class, ch) in [(CLASS_999, 0), (CLASS_NON_EMERGENCY, 1)] {
            for w in self.queues[class]
                .items
                .iter_mut()
                .filter(|w| !w.gone && w.measured)
            {
                let h = &mut self.result.channels[ch].hourly[w.hour as usize];
                h.unresolved += 1;
                h.wait_all_ms += now - w.arrival;
                w.measured = false;
            }
        }
        self.outstanding = 0;
        if let Some(f) = &mut self.field {
            f.stop_measuring();
        }
    }

    fn finish(mut self, end: Time, events: u64) -> (ReplicationResult, Option<Trace>) {
        let cal = self.cal;
        self.busy.flush(end, &cal);
        self.staffed.flush(end, &cal);
        for (ch, w) in self.waiting.iter_mut().enumerate() {
            w.flush(end, &cal);
            self.result.channels[ch].queue_area = w.total();
        }
        for (class, ch) in [(CLASS_999, 0), (CLASS_NON_EMERGENCY, 1)] {
            for w in self.queues[class]
                .items
                .iter()
                .filter(|w| !w.gone && w.measured)
            {
                let h = &mut self.result.channels[ch].hourly[w.hour as usize];
                h.unresolved += 1;
                h.wait_all_ms += end - w.arrival;
            }
        }
        for c in &mut self.result.channels {
            let mut total = Counts::default();
            for h in &c.hourly {
                total.add(h);
            }
            c.total = total;
        }
        self.result.busy_ms = std::mem::take(&mut self.busy.area);
        self.result.staffed_ms = std::mem::take(&mut self.staffed.area);
        self.result.events = events;
        self.result.end_time = end;
        let mut steps = Vec::new();
        if let Some(mut f) = self.field.take() {
            f.finish(end);
            steps = f.trace.take().unwrap_or_default();
            self.result.response = Some(f.result);
        }
        let trace = self.trace.take().map(|calls| Trace { calls, steps });
        (self.result, trace)
    }

    fn add_shift(&mut self, q: &mut EventQueue<Event>, now: Time, s: u32, begun: i64) {
        let shift = &self.sc.handlers.shifts[s as usize];
        let (count, dedicated) = (shift.count, shift.dedicated_999);
        for i in 0..count {
            self.add_handler(q, now, s, i < dedicated, Some(begun), i);
        }
    }

    /// Adds handler `i` of a shift that began at `begun` (None: a constant handler).
    fn add_handler(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        shift: u32,
        dedicated: bool,
        begun: Option<i64>,
        i: u32,
    ) {
        let h = Handler {
            state: State::Idle,
            dedicated,
            shift_over: false,
            breaks_due: 0,
            next_break: 0,
            shift,
            idle_pos: 0,
        };
        let id = self.handlers.insert(h);
        // A break already under way (a shift that began before time 0) goes on until its end.
        let mut on_break_until = None;
        if let Some(begun) = begun {
            let s = &self.sc.handlers.shifts[shift as usize];
            q.schedule((begun + s.length.0 as i64) as Time, Event::ShiftEnd(id));
            let mut skipped = 0;
            for b in &s.breaks {
                let at = begun + b.start_for(i) as i64;
                if at >= now as i64 {
                    q.schedule(at as Time, Event::BreakStart(id));
                } else {
                    skipped += 1;
                    let end = at + b.length.0 as i64;
                    if end > now as i64 {
                        on_break_until = Some(end as Time);
                    }
                }
            }
            self.handlers[id].next_break = skipped;
        }
        if let Some(end) = on_break_until {
            self.handlers[id].state = State::OnBreak;
            q.schedule(end, Event::BreakEnd(id));
            return;
        }
        self.staffed.add(now, 1, &self.cal);
        self.available(q, now, id);
    }

    /// A handler is free to take work: leaves if the shift is over, goes on a break if one is
    /// due, else takes the next waiting item or becomes idle.
    fn available(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &self.handlers[h];
        if hd.shift_over {
            self.handlers[h].state = State::Free;
            self.handlers.remove(h);
            self.staffed.add(now, -1, &self.cal);
            return;
        }
        if hd.breaks_due > 0 {
            self.begin_break(q, now, h);
            return;
        }
        let dedicated = hd.dedicated;
        match self.next_work(dedicated) {
            Some(class) => self.serve(q, now, h, class),
            None => {
                let list = &mut self.idle[usize::from(dedicated)];
                let hd = &mut self.handlers[h];
                hd.state = State::Idle;
                hd.idle_pos = list.len() as u32;
                list.push(h);
            }
        }
    }

    /// The class whose head a handler takes next, if any work waits.
    #[inline]
    fn next_work(&mut self, dedicated: bool) -> Option<usize> {
        let classes: &[usize] = if dedicated {
            &[CLASS_999, CLASS_CALLBACK]
        } else {
            &self.general_order
        };
        if self.fcfs {
            let mut best: Option<(Time, usize)> = None;
            for &c in classes {
                if let Some(w) = self.queues[c].front() {
                    if best.is_none_or(|(t, _)| w.arrival < t) {
                        best = Some((w.arrival, c));
                    }
                }
            }
            best.map(|(_, c)| c)
        } else {
            classes.iter().copied().find(|&c| self.queues[c].live > 0)
        }
    }

    fn serve(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32, class: usize) {
        let w = self.queues[class].pop().expect("the class has live work");
        if class == CLASS_CALLBACK {
            if w.measured {
                self.result.callbacks.started += 1;
                self.result.callbacks.wait_ms += now - w.arrival;
            }
        } else {
            let ch = usize::from(class == CLASS_NON_EMERGENCY);
            self.waiting[ch].add(now, -1, &self.cal);
            self.answered(q, ch, &w, now);
        }
        self.start_work(q, now, h, w.work);
    }

    #[inline]
    fn start_work(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32, work: u64) {
        self.handlers[h].state = State::Busy;
        self.busy.add(now, 1, &self.cal);
        q.schedule(now + work, Event::ServiceEnd(h));
    }

    /// Records the answer to call `w` at `now` and hands its incident to the field side.
    #[inline]
    fn answered(&mut self, q: &mut EventQueue<Event>, ch: usize, w: &Waiting, now: Time) {
        let wait = now - w.arrival;
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
        if let Some(t) = &mut self.trace {
            t[w.id as usize].outcome = Outcome::Answered { at: now };
        }
        if let Some(f) = &mut self.field {
            let d = self.draws[w.incident];
            self.draws.remove(w.incident);
            let h = Handover {
                call: w.id,
                call_arrival: w.arrival,
                handling: w.work,
                measured: w.measured,
                draw: d,
            };
            f.answered(q, now, h);
        }
    }

    fn take_idle(&mut self, class: usize) -> Option<u32> {
        if class == CLASS_NON_EMERGENCY {
            self.idle[0].pop()
        } else {
            self.idle[1].pop().or_else(|| self.idle[0].pop())
        }
    }

    fn remove_idle(&mut self, h: u32) {
        let hd = &self.handlers[h];
        let list = &mut self.idle[usize::from(hd.dedicated)];
        let pos = hd.idle_pos as usize;
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            self.handlers[moved].idle_pos = pos as u32;
        }
    }

    fn on_arrival(&mut self, q: &mut EventQueue<Event>, now: Time, ch: usize) {
        let c = self.channels[ch]
            .as_mut()
            .expect("arrivals only on present channels");
        let work = c.handling.sample(&mut c.rng_handling);
        let patience = c.patience.as_ref().map(|p| p.sample(&mut c.rng_patience));
        if let Some(t) = c.arrivals.next(&mut c.rng_arrivals) {
            q.schedule_in_slot(ch, t, Event::Arrival(ch as u8));
        }
        let fixed = c.fixed_next;
        c.fixed_next += 1;
        let callback = if ch == 0 {
            self.callback.as_mut().map(|(s, r)| s.sample(r))
        } else {
            None
        };
        let kind = ChannelKind::ALL[ch];
        let incident = self.field.as_mut().map(|f| {
            let given = self.sc.channel(kind).and_then(|c| c.fixed.get(fixed));
            f.draw(kind, given)
        });
        let measured = now >= self.warm_up;
        let hour = self.cal.hour_of_week(now);
        let id = self.next_id;
        self.next_id += 1;
        self.result.calls += 1;
        if let Some(t) = &mut self.trace {
            t.push(CallRecord {
                id,
                channel: ChannelKind::ALL[ch],
                arrival: now,
                handling_ms: work,
                patience_ms: patience,
                callback_ms: callback,
                incident,
                measured,
                outcome: Outcome::Waiting,
            });
        }
        if measured {
            self.result.channels[ch].hourly[hour].offered += 1;
            self.outstanding += 1;
        }
        let class = if ch == 0 {
            CLASS_999
        } else {
            CLASS_NON_EMERGENCY
        };
        let slot = match incident {
            Some(d) => self.draws.insert(d),
            None => NO_DRAW,
        };
        let call = Waiting {
            id,
            arrival: now,
            work,
            callback: callback.unwrap_or(0),
            hour: hour as u16,
            measured,
            gone: false,
            incident: slot,
        };
        if let Some(h) = self.take_idle(class) {
            self.answered(q, ch, &call, now);
            self.start_work(q, now, h, work);
        } else {
            if let Some(p) = patience {
                q.schedule(now + p, Event::Abandon(ch as u8, id));
            }
            let queue = &mut self.queues[class];
            queue.items.push_back(call);
            queue.live += 1;
            self.waiting[ch].add(now, 1, &self.cal);
        }
    }

    fn on_abandon(&mut self, q: &mut EventQueue<Event>, now: Time, ch: usize, id: u64) -> bool {
        let class = if ch == 0 {
            CLASS_999
        } else {
            CLASS_NON_EMERGENCY
        };
        let queue = &mut self.queues[class];
        let Ok(i) = queue.items.binary_search_by_key(&id, |w| w.id) else {
            return false;
        };
        let w = &mut queue.items[i];
        if w.gone {
            return false;
        }
        w.gone = true;
        queue.live -= 1;
        let (arrival, hour, measured, callback) =
            (w.arrival, w.hour as usize, w.measured, w.callback);
        if w.incident != NO_DRAW {
            self.draws.remove(w.incident);
        }
        self.waiting[ch].add(now, -1, &self.cal);
        let wait = now - arrival;
        if measured {
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
        if ch == 0 && self.callback.is_some() {
            if measured {
                self.result.callbacks.created += 1;
            }
            let cb = &mut self.queues[CLASS_CALLBACK];
            cb.items.push_back(Waiting {
                id: self.next_callback_id,
                arrival: now,
                work: callback,
                callback: 0,
                hour: hour as u16,
                measured,
                gone: false,
                incident: NO_DRAW,
            });
            cb.live += 1;
            self.next_callback_id += 1;
            if let Some(h) = self.take_idle(CLASS_CALLBACK) {
                self.serve(q, now, h, CLASS_CALLBACK);
            }
        }
        true
    }

    fn on_shift_start(&mut self, q: &mut EventQueue<Event>, now: Time) {
        let s = self.shifts.advance();
        self.add_shift(q, now, s, now as i64);
        let next = self
            .shifts
            .next_time()
            .expect("a shift calendar that started has a next start");
        q.schedule(next, Event::ShiftStart);
    }

    fn on_shift_end(&mut self, now: Time, h: u32) {
        self.handlers[h].shift_over = true;
        if self.handlers[h].state == State::Idle {
            self.remove_idle(h);
            self.handlers[h].state = State::Free;
            self.handlers.remove(h);
            self.staffed.add(now, -1, &self.cal);
        }
        // Busy: leaves when the call ends. On a break: leaves when the break ends.
    }

    fn on_break_start(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        hd.breaks_due += 1;
        if hd.state == State::Idle {
            self.remove_idle(h);
            self.begin_break(q, now, h);
        }
    }

    fn begin_break(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        let b = &self.sc.handlers.shifts[hd.shift as usize].breaks[hd.next_break as usize];
        hd.breaks_due -= 1;
        hd.next_break += 1;
        hd.state = State::OnBreak;
        self.staffed.add(now, -1, &self.cal);
        q.schedule(now + b.length.0, Event::BreakEnd(h));
    }

    fn on_break_end(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        if hd.shift_over {
            hd.state = State::Free;
            self.handlers.remove(h);
        } else {
            self.staffed.add(now, 1, &self.cal);
            self.available(q, now, h);
        }
    }
}

impl engine::Model for ContactCentre<'_> {
    type Event = Event;

    #[inline]
    fn handle(&mut self, q: &mut EventQueue<Event>, now: Time, event: Event) -> bool {
        match event {
            Event::Arrival(ch) => self.on_arrival(q, now, ch as usize),
            Event::Abandon(ch, id) => return self.on_abandon(q, now, ch as usize, id),
            Event::ServiceEnd(h) => {
                self.busy.add(now, -1, &self.cal);
                self.available(q, now, h);
            }
            Event::ShiftStart => self.on_shift_start(q, now),
            Event::ShiftEnd(h) => self.on_shift_end(now, h),
            Event::BreakStart(h) => self.on_break_start(q, now, h),
            Event::BreakEnd(h) => self.on_break_end(q, now, h),
            Event::Horizon => self.horizon_passed = true,
            Event::DrainEnd => self.on_drain_end(now),
            Event::Field(e) => {
                let field = self
                    .field
                    .as_mut()
                    .expect("field events come from the field side");
                return field.handle(q, now, e);
            }
        }
        true
    }

    #[inline]
    fn finished(&self, q: &EventQueue<Event>) -> bool {
        if self.over_cap(q) {
            return true;
        }
        // Before the horizon the Horizon event itself is pending (due no later than the drain
        // end), so there is nothing to check until it has passed.
        self.horizon_passed
            && (self.outstanding + self.field.as_ref().map_or(0, |f| f.outstanding) == 0
                || q.peek_time().is_none_or(|t| t > self.drain_end))
            // Follow-up tasks run on until each measured one is done or past its deadline.
            && self
                .field
                .as_ref()
                .and_then(|f| f.work_outstanding())
                .is_none_or(|(n, end)| n == 0 || q.peek_time().is_none_or(|t| t > end))
    }
}

/// The memory guard (see [`super::MAX_WAITING`]), checked before each event.
impl ContactCentre<'_> {
    fn calls_waiting(&self) -> usize {
        self.queues.iter().map(|c| c.items.len()).sum()
    }

    fn incidents_waiting(&self) -> usize {
        self.field.as_ref().map_or(0, |f| f.outstanding as usize)
    }

    #[inline]
    fn over_cap(&self, q: &EventQueue<Event>) -> bool {
        self.calls_waiting() > super::MAX_WAITING
            || self.incidents_waiting() > super::MAX_WAITING
            || q.len() > super::MAX_PENDING_EVENTS
    }

    /// Why the guard stopped the run, naming the overloaded resource; None if it did not.
    fn overload(&self, q: &EventQueue<Event>) -> Option<String> {
        let days = q.now() as f64 / crate::time::DAY as f64;
        let (what, n, cap) = if self.calls_waiting() > super::MAX_WAITING {
            (
                "calls waiting for a call handler",
                self.calls_waiting(),
                super::MAX_WAITING,
            )
        } else if self.incidents_waiting() > super::MAX_WAITING {
            (
                "incidents waiting for a response unit",
                self.incidents_waiting(),
                super::MAX_WAITING,
            )
        } else if q.len() > super::MAX_PENDING_EVENTS {
            (
                "events pending (calls, incidents and work in progress)",
                q.len(),
                super::MAX_PENDING_EVENTS,
            )
        } else {
            return None;
        };
        Some(format!(
            "replication {} stopped after {days:.1} days of simulated time with {n} {what} (at most {cap} allowed): \
             the scenario is overloaded far beyond what its staff can handle, and its queues would \
             fill the memory; add handlers or units, lower the demand, or give callers patience",
            self.result.replication
        ))
    }
}
