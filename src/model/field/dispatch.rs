//! Dispatchers on the CAD: between an incident's creation and a unit being sent.
//!
//! Rules, in one place:
//! - With `[roster.dispatchers]`, a created I or S incident waits for a dispatcher. A free
//!   dispatcher takes waiting emergencies (I) before priority incidents (S), each in order of
//!   creation, and spends the incident's dispatch time (drawn with its call) on it; then the
//!   unit search runs as it does without dispatchers (a unit is sent, or the incident waits
//!   for one, and is then sent by the CAD without further dispatcher time). E incidents book
//!   appointments without a dispatcher.
//! - An idle dispatcher that becomes available is the last to have become idle (a stack).
//! - A dispatcher whose shift ends finishes the incident in hand, then leaves. Breaks are not
//!   modelled (a roster gives hours net of breaks).
//! - Measured: each measured incident's wait for a dispatcher, and the dispatchers' time on
//!   duty and busy over the window; for the dispatchers' staffing search only
//!   (`count_within`), by the hour of the week the incident was created in, how many were
//!   created and how many waited at most that long.

use super::*;

/// A dispatcher on duty.
struct Dispatcher {
    /// The incident in hand (NONE when idle).
    incident: u32,
    shift_over: bool,
    idle_pos: u32,
}

/// What the dispatchers measured.
#[derive(Clone, Debug, Default)]
pub struct DeskResult {
    pub busy_ms: u64,
    pub on_duty_ms: u64,
    /// Measured incidents taken by a dispatcher, and their summed wait for one, by grade (I, S).
    pub taken: [u64; 2],
    pub wait_ms: [u64; 2],
    /// With `count_within` only (else empty): by hour of the week of creation, measured I and
    /// S incidents created, and those of them a dispatcher took within `count_within`.
    pub by_hour: Vec<[u64; 2]>,
}

/// The dispatchers and the incidents waiting for one.
pub(super) struct Desk {
    slots: Pool<Dispatcher>,
    idle: Vec<u32>,
    /// Incidents waiting for a dispatcher, [I, S], in order of creation.
    waiting: [VecDeque<u32>; 2],
    shifts: ShiftCalendar,
    busy: HourIntegrator,
    on_duty: HourIntegrator,
    /// The staffing search's wait to count within, in ms (see [`DeskResult::by_hour`]).
    within: Option<Time>,
    pub(super) result: DeskResult,
}

impl Desk {
    pub(super) fn new(sc: &Scenario, spec: &Spec, cal: &Calendar) -> Option<Self> {
        let d = spec.dispatchers.as_ref()?;
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        Some(Desk {
            slots: Pool::new(),
            idle: Vec::new(),
            waiting: [VecDeque::new(), VecDeque::new()],
            shifts: ShiftCalendar::new(d.roster.shifts.iter(), cal),
            busy: HourIntegrator::new(lo, hi),
            on_duty: HourIntegrator::new(lo, hi),
            within: d.count_within.map(|w| w.0),
            result: DeskResult {
                by_hour: if d.count_within.is_some() {
                    vec![[0; 2]; 168]
                } else {
                    Vec::new()
                },
                ..DeskResult::default()
            },
        })
    }
}

impl Field<'_> {
    fn roster(&self) -> &crate::scenario::HandlerRoster {
        &self
            .spec
            .dispatchers
            .as_ref()
            .expect("a desk has dispatchers")
            .roster
    }

    /// Puts the constant dispatchers and the shifts under way on duty at time 0.
    pub(super) fn desk_start(&mut self, q: &mut impl Schedule) {
        let Some(desk) = &self.desk else {
            return;
        };
        let under_way = desk.shifts.under_way_at_start(&self.roster().shifts);
        let next = desk.shifts.next_time();
        for _ in 0..self.roster().constant {
            self.add_dispatcher(q, 0, None);
        }
        for (s, begun) in under_way {
            self.add_dispatcher_shift(q, 0, s, begun);
        }
        if let Some(t) = next {
            q.at(t, FieldEvent::DispatcherShiftStart);
        }
    }

    fn add_dispatcher_shift(&mut self, q: &mut impl Schedule, now: Time, s: u32, begun: i64) {
        let shift = &self.roster().shifts[s as usize];
        let end = (begun + shift.length.0 as i64) as Time;
        for _ in 0..shift.count {
            self.add_dispatcher(q, now, Some(end));
        }
    }

    fn add_dispatcher(&mut self, q: &mut impl Schedule, now: Time, end: Option<Time>) {
        let desk = self.desk.as_mut().expect("a desk");
        let d = desk.slots.insert(Dispatcher {
            incident: NONE,
            shift_over: false,
            idle_pos: 0,
        });
        if let Some(end) = end {
            q.at(end, FieldEvent::DispatcherShiftEnd(d));
        }
        desk.on_duty.add(now, 1, &self.cal);
        self.dispatcher_free(q, now, d);
    }

    pub(super) fn on_dispatcher_shift_start(&mut self, q: &mut impl Schedule, now: Time) {
        let desk = self.desk.as_mut().expect("a desk");
        let s = desk.shifts.advance();
        let next = desk
            .shifts
            .next_time()
            .expect("a started calendar has a next start");
        q.at(next, FieldEvent::DispatcherShiftStart);
        self.add_dispatcher_shift(q, now, s, now as i64);
    }

    pub(super) fn on_dispatcher_shift_end(&mut self, now: Time, d: u32) {
        let desk = self.desk.as_mut().expect("a desk");
        desk.slots[d].shift_over = true;
        if desk.slots[d].incident == NONE {
            let pos = desk.slots[d].idle_pos as usize;
            desk.idle.swap_remove(pos);
            if let Some(&moved) = desk.idle.get(pos) {
                desk.slots[moved].idle_pos = pos as u32;
            }
            desk.slots.remove(d);
            desk.on_duty.add(now, -1, &self.cal);
        }
    }

    /// Incident `i` (I or S) is created: a free dispatcher takes it, or it waits for one.
    pub(super) fn send_to_dispatcher(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let desk = self.desk.as_mut().expect("a desk");
        if desk.within.is_some() && self.incidents[i].measured {
            let h = self.cal.hour_of_week(self.incidents[i].created);
            desk.result.by_hour[h][0] += 1;
        }
        match desk.idle.pop() {
            Some(d) => self.take_incident(q, now, d, i),
            None => {
                let g = self.incidents[i].draw.grade as usize;
                desk.waiting[g].push_back(i);
            }
        }
    }

    fn take_incident(&mut self, q: &mut impl Schedule, now: Time, d: u32, i: u32) {
        let inc = &self.incidents[i];
        let (work, measured, g) = (inc.draw.dispatch_work, inc.measured, inc.draw.grade);
        let wait = now - inc.created;
        let created = inc.created;
        let desk = self.desk.as_mut().expect("a desk");
        desk.slots[d].incident = i;
        desk.busy.add(now, 1, &self.cal);
        if measured {
            desk.result.taken[g as usize] += 1;
            desk.result.wait_ms[g as usize] += wait;
            if desk.within.is_some_and(|w| wait <= w) {
                let h = self.cal.hour_of_week(created);
                desk.result.by_hour[h][1] += 1;
            }
        }
        q.at(now + work, FieldEvent::DispatchDone(d));
    }

    /// Dispatcher `d` has done its incident's work: the unit search runs; the dispatcher takes
    /// the next waiting incident, leaves, or waits.
    pub(super) fn on_dispatch_done(&mut self, q: &mut impl Schedule, now: Time, d: u32) {
        let desk = self.desk.as_mut().expect("a desk");
        let i = std::mem::replace(&mut desk.slots[d].incident, NONE);
        desk.busy.add(now, -1, &self.cal);
        self.dispatch(q, now, i);
        self.dispatcher_free(q, now, d);
    }

    fn dispatcher_free(&mut self, q: &mut impl Schedule, now: Time, d: u32) {
        let desk = self.desk.as_mut().expect("a desk");
        if desk.slots[d].shift_over {
            desk.slots.remove(d);
            desk.on_duty.add(now, -1, &self.cal);
            return;
        }
        let next = desk.waiting[0]
            .pop_front()
            .or_else(|| desk.waiting[1].pop_front());
        match next {
            Some(i) => self.take_incident(q, now, d, i),
            None => {
                desk.slots[d].idle_pos = desk.idle.len() as u32;
                desk.idle.push(d);
            }
        }
    }

    pub(super) fn desk_finish(&mut self, end: Time) {
        if let Some(desk) = &mut self.desk {
            desk.busy.flush(end, &self.cal);
            desk.on_duty.flush(end, &self.cal);
            desk.result.busy_ms = desk.busy.total();
            desk.result.on_duty_ms = desk.on_duty.total();
            self.result.desk = Some(std::mem::take(&mut desk.result));
        }
    }
}
