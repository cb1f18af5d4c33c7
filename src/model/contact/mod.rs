//! The contact centre: calls arrive on two channels (999 and non-emergency), wait in queues,
//! are answered by call handlers on a roster, or hang up; abandoned 999 calls create call-back
//! tasks. One `on_<event>` per event kind.
//!
//! Rules, in one place:
//! - Every attribute of a call (handling time, patience, call-back length) is keyed by the
//!   call, so scenarios that differ only in staffing see the same calls; the handling time is
//!   drawn when it arrives, its patience only if it has to wait and its call-back length only
//!   when its caller hangs up (the same values as if drawn on arrival).
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
//! - Callers and attempts: each call is an attempt of a caller. A caller who hangs up calls
//!   again with the channel's redial probability after its delay, as a new attempt joining the
//!   back of the queue with the same call (handling time, incident) and a fresh patience; these
//!   draws are keyed by (caller, attempt), so they do not depend on what else happened. Per-
//!   attempt figures count every attempt (in the hour it arrived); per-caller figures count
//!   each measured caller once, timed from their first attempt. A redial keeps its caller's
//!   `measured`.
//! - Call-backs: one per 999 caller, created at their first hang-up; if the caller's redial is
//!   answered before the call-back is started, it is cancelled. When the caller does not call
//!   again and their call was a genuine emergency (drawn grade I), the call-back finds it with
//!   probability `find_emergency` and creates its incident then, timed from the first attempt.
//! - Silent and accidental 999 calls arrive as their own stream (the 999 profile at their own
//!   volume), queue as 999 calls, never hang up, and are held for their own handling time; when
//!   one ends, its call-back joins the call-back queue. They are not in the 999 figures (T1) but
//!   in their own.
//! - A replayed log (the scenario's `replay`): the channel's calls are the log's, at their
//!   times, with the ward, grade and category (and, with durations, the handling time and time
//!   on scene) the log gives; every draw is still made for every call, so what the log does
//!   not give comes from the same streams as in the run that wrote it.
//! - Handling time by grade, where given, replaces the channel's handling time for calls of
//!   that grade (every configured grade's stream is drawn for every call).

mod arrivals;
mod callers;
mod guard;
mod handlers;
mod overflow;
mod overtime;
mod progress;
mod records;
mod stages;
mod trace;

use arrivals::Patience;
pub use progress::PROGRESS_EVERY;
pub use trace::{CallRecord, Outcome, Trace};

use super::arrivals::ArrivalGen;
use super::dist::Sampler;
use super::field::{Draw, Field, FieldEvent, Handover, Schedule};
use super::pool::Pool;
use super::result::{ChannelResult, Counts, ReplicationResult};
use super::roster::ShiftCalendar;
use crate::engine::{self, EventQueue};
use crate::rng::{self, ChaCha8Rng, KeyedStream, purpose};
use crate::scenario::replay::TraceCall;
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
    /// A caller calls again (their slot among the callers waiting to redial).
    Redial(u32),
    /// Staged handling: a stage's work on a call is done (stage, server); a caller's patience
    /// at a stage runs out (stage, slot, call id); a stage's shift starts or ends.
    StageDone(u8, u32),
    StageAbandon(u8, u32, u64),
    StageShiftStart(u8),
    StageShiftEnd(u8, u32),
    SilentArrival,
    /// Overflow: a 999 call (its id) has waited long enough to go to the partner; the partner
    /// answers a call, its caller hangs up before the answer, or it frees a line (the call's
    /// slot among those at the partner, for the first two).
    Overflow(u64),
    PartnerAnswer(u32),
    PartnerAbandon(u32),
    PartnerFree,
    /// Overtime: the queue may have stayed above the level long enough (the generation of the
    /// crossing it was set by); a call-in's staff arrive.
    OvertimeCheck(u32),
    OvertimeArrive,
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

#[derive(Clone, Copy)]
struct Waiting {
    id: u64,
    /// The caller: the id of their first attempt.
    caller: u64,
    /// The caller's number among their channel's callers (first attempts), the key of their
    /// draws: the same caller has the same number whatever the staffing.
    caller_no: u64,
    /// The caller's first attempt's arrival.
    first: Time,
    /// 0 for the first attempt.
    attempt: u16,
    silent: bool,
    /// The caller's call-back, when one was created (NO_CALLBACK otherwise).
    callback_id: u64,
    arrival: Time,
    work: u64,
    callback: u64,
    hour: u16,
    measured: bool,
    gone: bool,
    /// The slot of the call's incident draw in `draws` (NO_DRAW without a field side).
    incident: u32,
    /// Staged handling: the place in the channel's route (AT_CALL_TAKERS once past it), the
    /// slot of the call's stage draws (NO_DRAW when its channel has no stages), whether its
    /// answer was already measured at a stage, and its time in queues so far.
    stage: u8,
    stage_draw: u32,
    answered_early: bool,
    waited: u64,
    /// When the caller hangs up if not answered (`Time::MAX`: never); set as it is queued.
    deadline: Time,
}

const AT_CALL_TAKERS: u8 = u8::MAX;

impl Waiting {
    /// When this attempt reached the force: its arrival, or for a staged call (which never
    /// redials, and whose `arrival` is when it reached its current queue) its first arrival.
    fn attempt_arrival(&self) -> Time {
        if self.stage_draw == NO_DRAW {
            self.arrival
        } else {
            self.first
        }
    }
}

const NO_DRAW: u32 = u32::MAX;
const NO_CALLBACK: u64 = u64::MAX;

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
    /// A silent call's call-back, queued when the call in hand ends.
    after: Option<Waiting>,
}

struct ChannelState<'s> {
    arrivals: ArrivalGen,
    /// A replayed log's calls (empty without a replay): the arrivals' times and the attributes
    /// given, in arrival order.
    replayed: &'s [TraceCall],
    /// Fixed calls' given attributes, in arrival order (empty otherwise).
    fixed: &'s [crate::scenario::response::FixedCall],
    rng_arrivals: ChaCha8Rng,
    /// The keyed stream of a call's handling times, patience and call-back length (see
    /// `purpose::CALL_HANDLING`).
    keys: KeyedStream,
    handling: Sampler,
    patience: Option<Sampler>,
    /// Index of the next fixed call (for fixed calls with attributes).
    fixed_next: usize,
    /// Redial probability and delay.
    redial: Option<(f64, Sampler)>,
    /// Handling time by grade, where given.
    by_grade: [Option<Sampler>; 4],
    /// And by category (taking precedence over the grade's).
    by_category: [Option<Sampler>; 5],
}

/// Silent and accidental 999 calls.
struct SilentState {
    arrivals: ArrivalGen,
    rng_arrivals: ChaCha8Rng,
    handling: Sampler,
    rng_handling: ChaCha8Rng,
    rng_callback: ChaCha8Rng,
}

pub struct ContactCentre<'s> {
    sc: &'s Scenario,
    cal: Calendar,
    warm_up: Time,
    horizon: Time,
    drain_end: Time,
    channels: [Option<ChannelState<'s>>; 2],
    callback: Option<Sampler>,
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
    /// First attempts so far, per channel.
    next_caller: [u64; 2],
    next_callback_id: u64,
    result: ReplicationResult,
    trace: Option<Vec<CallRecord>>,
    /// The per-call records, when written.
    records: Option<Box<super::records::CallLog>>,
    field: Option<Field<'s>>,
    /// Incident draws of calls not yet answered or abandoned, kept out of the queues so that a
    /// queued call stays small.
    draws: Pool<Draw>,
    /// Callers who hung up and will call again, with their next attempt's patience.
    redialling: Pool<(Waiting, Option<u64>, u8)>,
    silent: Option<SilentState>,
    find_emergency: f64,
    stages: Vec<stages::StageState>,
    stage_draws: Pool<stages::StageDraw>,
    /// Per channel: its stages, in order, and the place among them where the caller's answer
    /// is measured (looked up once, not on each call).
    routes: [&'s [usize]; 2],
    answered_at: [usize; 2],
    /// The partner control room, when 999 calls overflow to it.
    overflow: Option<overflow::Partner>,
    /// Overtime call-in of handlers, when the scenario has it.
    overtime: Option<crate::model::callin::CallInRule>,
}

impl<'s> ContactCentre<'s> {
    /// A model for replication `replication` whose seed is `seed`.
    pub fn new(sc: &'s Scenario, replication: u32, seed: u64) -> Self {
        let cal = Calendar::new(sc.run.start);
        let warm_up = sc.run.warm_up.0;
        let horizon = sc.run.horizon.0;
        let mut channels: [Option<ChannelState<'s>>; 2] = [None, None];
        let mut result = ReplicationResult {
            replication,
            seed,
            busy_ms: vec![0; 168],
            staffed_ms: vec![0; 168],
            window_ms: horizon - warm_up,
            stages: vec![Default::default(); sc.stages.len()],
            ..Default::default()
        };
        for ch in &sc.channels {
            let i = ch.kind.index() as u64;
            let replayed = sc
                .replay
                .as_ref()
                .map_or(&[][..], |r| r.calls_of(replication, ch.kind.index()));
            let arrivals = match &sc.replay {
                Some(_) => ArrivalGen::Fixed {
                    times: replayed.iter().map(|c| c.at).collect(),
                    next: 0,
                },
                None => ArrivalGen::new(&ch.arrivals, cal, horizon),
            };
            channels[ch.kind.index()] = Some(ChannelState {
                arrivals,
                replayed,
                fixed: &ch.fixed,
                rng_arrivals: rng::rng(seed, rng::stream(purpose::ARRIVALS, i)),
                keys: KeyedStream::new(seed, rng::stream(purpose::CALL_HANDLING, i)),
                handling: Sampler::new(&ch.handling),
                patience: ch.patience.as_ref().map(Sampler::new),
                fixed_next: 0,
                redial: ch
                    .redial
                    .as_ref()
                    .map(|r| (r.probability, Sampler::new(&r.delay))),
                by_grade: ch
                    .handling_by_grade
                    .each_ref()
                    .map(|d| d.as_ref().map(Sampler::new)),
                by_category: ch
                    .handling_by_category
                    .each_ref()
                    .map(|d| d.as_ref().map(Sampler::new)),
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
        let callback = sc.callbacks.as_ref().map(|c| Sampler::new(&c.handling));
        let general_order = match sc.callbacks.as_ref().map(|c| c.priority) {
            Some(CallbackPriority::Last) => [CLASS_999, CLASS_NON_EMERGENCY, CLASS_CALLBACK],
            _ => [CLASS_999, CLASS_CALLBACK, CLASS_NON_EMERGENCY],
        };
        let silent = sc
            .channels
            .iter()
            .find_map(|ch| ch.silent.as_ref())
            .map(|s| {
                let r = |p, i| rng::rng(seed, rng::stream(p, i));
                SilentState {
                    arrivals: ArrivalGen::new(&s.arrivals, cal, horizon),
                    rng_arrivals: r(purpose::SILENT_ARRIVALS, 0),
                    handling: Sampler::new(&s.handling),
                    rng_handling: r(purpose::SILENT_HANDLING, 0),
                    rng_callback: r(purpose::SILENT_HANDLING, 1),
                }
            });
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
            next_caller: [0, 0],
            next_callback_id: 0,
            result,
            trace: None,
            records: None,
            field: sc.response.as_ref().map(|r| Field::new(sc, r, seed)),
            draws: Pool::new(),
            redialling: Pool::new(),
            silent,
            find_emergency: sc.callbacks.as_ref().map_or(0.0, |c| c.find_emergency),
            stages: (0..sc.stages.len())
                .map(|s| stages::StageState::new(sc, s, seed, &cal))
                .collect(),
            stage_draws: Pool::new(),
            routes: ChannelKind::ALL.map(|k| sc.channel(k).map_or(&[][..], |c| &c.stages[..])),
            answered_at: ChannelKind::ALL.map(|k| sc.channel(k).map_or(0, |c| c.answered_at)),
            overflow: sc.overflow.as_ref().map(overflow::Partner::new),
            overtime: sc
                .overtime
                .as_ref()
                .map(|o| crate::model::callin::CallInRule::new(o, horizon)),
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

    fn start(&mut self, q: &mut EventQueue<Event>) {
        for ch in 0..2 {
            if let Some(c) = self.channels[ch].as_mut() {
                if let Some(t) = c.arrivals.next(&mut c.rng_arrivals) {
                    q.schedule_in_slot(ch, t, Event::Arrival(ch as u8));
                }
            }
        }
        q.schedule(self.horizon, Event::Horizon);
        self.stages_start(q);
        if let Some(s) = self.silent.as_mut() {
            if let Some(t) = s.arrivals.next(&mut s.rng_arrivals) {
                q.schedule(t, Event::SilentArrival);
            }
        }
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
                .filter(|w| !w.gone && w.measured && !w.silent && !w.answered_early)
            {
                let h = &mut self.result.channels[ch].hourly[w.hour as usize];
                h.unresolved += 1;
                h.wait_all_ms += now - w.attempt_arrival();
                w.measured = false;
            }
        }
        self.stages_unresolved(now, true);
        for (w, _, _) in self.redialling.iter_mut() {
            w.measured = false;
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
                .filter(|w| !w.gone && w.measured && !w.silent && !w.answered_early)
            {
                let h = &mut self.result.channels[ch].hourly[w.hour as usize];
                h.unresolved += 1;
                h.wait_all_ms += end - w.attempt_arrival();
            }
        }
        self.stages_unresolved(end, false);
        self.stages_finish(end);
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
            self.take_steps(&mut f);
            steps = f.trace.take().unwrap_or_default();
            self.result.response = Some(f.result);
        }
        let trace = self.trace.take().map(|calls| Trace { calls, steps });
        self.finish_records();
        (self.result, trace)
    }

    fn serve(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32, class: usize) {
        let w = self.queues[class].pop().expect("the class has live work");
        let mut after = None;
        if class == CLASS_CALLBACK {
            if w.measured {
                self.result.callbacks.started += 1;
                self.result.callbacks.wait_ms += now - w.arrival;
            }
            if w.incident != NO_DRAW {
                self.found_emergency(q, now, &w);
            }
        } else {
            let ch = usize::from(class == CLASS_NON_EMERGENCY);
            if !w.silent {
                self.waiting[ch].add(now, -1, &self.cal);
                self.queue_moved(q, now, -1);
            }
            after = self.answered(q, ch, &w, now);
        }
        self.start_work(q, now, h, w.work, after);
    }

    #[inline]
    fn start_work(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        h: u32,
        work: u64,
        after: Option<Waiting>,
    ) {
        self.handlers[h].after = after;
        self.handlers[h].state = State::Busy;
        self.busy.add(now, 1, &self.cal);
        q.schedule(now + work, Event::ServiceEnd(h));
    }

    /// Records the answer to call `w` at `now` and hands its incident to the field side;
    /// returns a silent call's call-back, to be queued when the call ends.
    #[inline]
    fn answered(
        &mut self,
        q: &mut EventQueue<Event>,
        ch: usize,
        w: &Waiting,
        now: Time,
    ) -> Option<Waiting> {
        let wait = now - w.arrival;
        if w.silent {
            if let Some(t) = &mut self.trace {
                t[w.id as usize].outcome = Outcome::Answered { at: now };
            }
            if let Some(r) = &mut self.records {
                r.handled(w.id, now, now + w.work);
            }
            if w.measured {
                let s = &mut self.result.silent;
                s.answered += 1;
                s.wait_ms += wait;
            }
            return Some(self.callback_task(w, now, w.callback));
        }
        if w.stage_draw == NO_DRAW {
            self.record_answer(ch, w, now);
        } else {
            // A staged call reaching the call-takers: its answer is measured here unless it was
            // at a stage; its journey ends here.
            if !w.answered_early {
                self.record_answer(ch, w, now);
            }
            self.call_takers_answered(ch, w, now);
        }
        if let Some(r) = &mut self.records {
            r.handled(w.id, now, now + w.work);
        }
        if let Some(f) = &mut self.field {
            let d = self.draws[w.incident];
            self.draws.remove(w.incident);
            let h = Handover {
                call: w.id,
                call_arrival: w.first,
                handling: w.work,
                measured: w.measured,
                draw: d,
            };
            f.answered(q, now, &h);
        }
        None
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
                if let Some(task) = self.handlers[h].after.take() {
                    self.queue_callback(q, now, task);
                }
                self.available(q, now, h);
            }
            Event::Redial(slot) => self.on_redial(q, now, slot),
            Event::StageDone(s, server) => self.on_stage_done(q, now, s as usize, server),
            Event::StageAbandon(s, slot, id) => {
                return self.on_stage_abandon(now, s as usize, slot, id);
            }
            Event::StageShiftStart(s) => self.on_stage_shift_start(q, now, s as usize),
            Event::StageShiftEnd(s, server) => self.on_stage_shift_end(now, s as usize, server),
            Event::SilentArrival => self.on_silent_arrival(q, now),
            Event::Overflow(id) => return self.on_overflow(q, now, id),
            Event::PartnerAnswer(slot) => self.on_partner_answer(q, now, slot),
            Event::PartnerAbandon(slot) => self.on_partner_abandon(q, now, slot),
            Event::PartnerFree => self.on_partner_free(),
            Event::OvertimeCheck(g) => return self.on_overtime_check(q, now, g),
            Event::OvertimeArrive => self.on_overtime_arrive(q, now),
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
                let done = field.handle(q, now, e);
                if let Some(r) = &mut self.records {
                    r.steps(field.records.as_mut().expect("kept with the records"));
                }
                return done;
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
