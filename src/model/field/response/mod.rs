//! Response units: rosters, patrol, dispatch, diversion, travel, and the attendance they record.
//!
//! Rules, in one place:
//! - Dispatch (the default policy, `choose = "home"`): the nearest idle unit by travel time in
//!   the incident ward's sector; if none, the nearest idle unit in the sectors whose centres lie
//!   within `borrow_within_km`. With `choose = "nearest"`, the nearest idle unit anywhere; with
//!   `"preference"`, the nearest idle unit of the first sector in the ward's order that has
//!   one. Then, whatever the choice: if none and
//!   the incident is an emergency and `divert` is on, the nearest unit travelling to or at a
//!   priority incident is diverted (that incident goes back to the queue, keeping its time on
//!   scene, which starts again when its next unit arrives); otherwise the incident waits.
//!   Ties go to the unit listed first. Waiting incidents are taken by grade, then by sector
//!   (home first), then by time of creation (`queue = "sector"`); with `queue = "force_fcfs"`
//!   by grade, then by time of creation, from any sector (ties: the lower sector).
//! - An idle patrolling unit is anywhere in its sector: its position is drawn afresh (uniform
//!   over the sector's area, or by demand) each time a dispatch considers it. With
//!   `idle = "base"` an idle unit is at its sector's base.
//! - The way back (`return_trip = "drive"`): a unit going idle somewhere else sets off for its
//!   base (`idle = "base"`) or a patrol point drawn then (`"patrol"`), at its sector's home
//!   speed (the priority speed of the ward type its base lies in); on the way it is idle and
//!   may be dispatched from where it has got to (interpolated); once there, the rules above
//!   hold. With `return_trip = "none"` (the default) it is there at once.
//! - Travel time = turnout + distance / speed (by the incident ward's type and the grade) x a
//!   travel factor with a mean of 1 (none by default: then the base time, bit for bit). An
//!   incident's first two trips take the factors drawn with its call; later trips (after a
//!   diversion) draw theirs in order of dispatch. A unit's position while travelling is
//!   interpolated along its trip (for diversions).
//! - A two-unit incident is attended at its first unit's arrival; each unit stays its time on
//!   scene from its own arrival; the incident is done when two units have cleared it.
//! - A unit whose shift ends finishes its incident (and paperwork) first.

use super::*;
use std::ops::{Index, IndexMut};

/// Units grouped by sector, with O(1) insertion and removal (each unit is in at most one list).
#[derive(Default)]
pub(super) struct SectorSet {
    pub(super) lists: Vec<Vec<u32>>,
    /// Each unit's position in its list (NONE when in none).
    at: Vec<u32>,
}

impl SectorSet {
    fn new(sectors: usize) -> Self {
        SectorSet {
            lists: vec![Vec::new(); sectors],
            at: Vec::new(),
        }
    }

    pub(super) fn insert(&mut self, sector: usize, u: u32) {
        if self.at.len() <= u as usize {
            self.at.resize(u as usize + 1, NONE);
        }
        self.at[u as usize] = self.lists[sector].len() as u32;
        self.lists[sector].push(u);
    }

    pub(super) fn remove(&mut self, sector: usize, u: u32) {
        let pos = std::mem::replace(&mut self.at[u as usize], NONE) as usize;
        let list = &mut self.lists[sector];
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            self.at[moved as usize] = pos as u32;
        }
    }

    pub(super) fn contains(&self, u: u32) -> bool {
        self.at.get(u as usize).is_some_and(|&p| p != NONE)
    }
}

/// Counts of dispatched incidents (grade I or S) in one group.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Attendance {
    pub incidents: u64,
    pub attended: u64,
    /// Attended within the target, timed from the call reaching the force.
    pub within_call: u64,
    /// Attended within the target, timed from the incident's creation.
    pub within_incident: u64,
    pub sum_call_ms: u64,
    pub sum_incident_ms: u64,
    /// Time from creation to the first unit's dispatch, over the incidents dispatched.
    pub sum_wait_ms: u64,
    pub dispatched: u64,
    /// Time from the call reaching the force to the incident's creation on the CAD.
    pub sum_lead_in_ms: u64,
}

impl Attendance {
    pub fn add(&mut self, o: &Attendance) {
        self.incidents += o.incidents;
        self.attended += o.attended;
        self.within_call += o.within_call;
        self.within_incident += o.within_incident;
        self.sum_call_ms += o.sum_call_ms;
        self.sum_incident_ms += o.sum_incident_ms;
        self.sum_wait_ms += o.sum_wait_ms;
        self.dispatched += o.dispatched;
        self.sum_lead_in_ms += o.sum_lead_in_ms;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UState {
    Idle,
    Travelling,
    OnScene,
    Paperwork,
    /// On a duty (see `duties`).
    Duty,
    Free,
}

/// A response unit on duty (or a neighbourhood member sent as one).
pub(super) struct Unit {
    pub(super) sector: u32,
    pub(super) crew: u32,
    pub(super) state: UState,
    pub(super) epoch: u32,
    pub(super) shift_over: bool,
    pub(super) pos: (f64, f64),
    pub(super) from: (f64, f64),
    pub(super) depart: Time,
    pub(super) arrive: Time,
    pub(super) incident: u32,
    /// The neighbourhood team member this unit is (NONE for a response unit).
    pub(super) member: u32,
    /// Which unit this is, counted over the run (for events that outlive a state).
    pub(super) serial: u32,
    /// When its shift began (None: on duty at all times).
    pub(super) started: Option<Time>,
    /// The duty in hand (when on one), its end, and its own length without the drive.
    pub(super) duty: u8,
    pub(super) duty_end: Time,
    pub(super) duty_work: u64,
    /// Duties due and not yet done, oldest first.
    pub(super) owed: Vec<duties::Owed>,
    /// Duties after the last incident still to do, then that incident's paperwork.
    pub(super) next: Vec<(u8, u64)>,
    pub(super) paperwork_after: u64,
    /// Where its time goes: the cause since `since`.
    pub(super) cause: u8,
    pub(super) since: Time,
}

impl Unit {
    /// A unit idle at `pos` from `now`; `member` is the neighbourhood member it is (or NONE).
    pub(super) fn new(sector: u32, crew: u32, pos: (f64, f64), now: Time, member: u32) -> Self {
        Unit {
            sector,
            crew,
            state: UState::Idle,
            epoch: 0,
            shift_over: false,
            pos,
            from: pos,
            depart: now,
            arrive: now,
            incident: NONE,
            member,
            serial: 0,
            started: None,
            duty: u8::MAX,
            duty_end: now,
            duty_work: 0,
            owed: Vec::new(),
            next: Vec::new(),
            paperwork_after: 0,
            cause: duties::AVAILABLE,
            since: now,
        }
    }
}

/// The response units and what is known of them: slots, rosters, who is idle or divertible,
/// time on duty and busy, and the attendance targets.
pub(super) struct Units {
    slots: Pool<Unit>,
    /// Idle units, by sector.
    pub(super) idle: SectorSet,
    /// Units travelling to or at a priority (S) incident, by sector: the candidates for diversion.
    pub(super) on_priority: SectorSet,
    /// Units on a duty an emergency may interrupt, by sector.
    pub(super) pausable: SectorSet,
    pub(super) shifts: ShiftCalendar,
    pub(super) patrol_rng: ChaCha8Rng,
    /// Travel factors of trips after an incident's first two.
    extra_rng: ChaCha8Rng,
    pub(super) busy: HourIntegrator,
    on_duty: HourIntegrator,
    /// Officers on duty in response units (a double-crewed unit counts two).
    officers: HourIntegrator,
    /// Target times (ms): T3 urban, T3 rural; T4.
    t3: [u64; 2],
    t4: u64,
    /// Duties, shrinkage and where the units' time goes.
    pub(super) duties: duties::Duties,
    /// Per sector, the speed of drives that are not to incidents (km/h): the priority (S)
    /// speed of the ward type its base lies in.
    pub(super) home_speed: Vec<f64>,
}

impl Units {
    pub(super) fn new(sc: &Scenario, spec: &Spec, seed: u64, cal: &Calendar) -> Self {
        let t3 = sc.target("T3");
        let t3_urban = match t3.time {
            Some(Deadline::Elapsed(d)) => d.0,
            _ => u64::MAX,
        };
        let t3_rural = match t3.rural_time {
            Some(Deadline::Elapsed(d)) => d.0,
            _ => t3_urban,
        };
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let n_sectors = spec.sectors.len();
        Units {
            slots: Pool::new(),
            idle: SectorSet::new(n_sectors),
            on_priority: SectorSet::new(n_sectors),
            pausable: SectorSet::new(n_sectors),
            shifts: ShiftCalendar::new(spec.unit_shifts.iter().map(|u| &u.shift), cal),
            patrol_rng: rng::rng(seed, rng::stream(purpose::PATROL, 0)),
            extra_rng: rng::rng(seed, rng::stream(purpose::TRAVEL_EXTRA, 0)),
            busy: HourIntegrator::new(lo, hi),
            on_duty: HourIntegrator::new(lo, hi),
            officers: HourIntegrator::new(lo, hi),
            t3: [t3_urban, t3_rural],
            t4: elapsed_target(sc, "T4"),
            duties: duties::Duties::new(sc, seed),
            home_speed: spec
                .sectors
                .iter()
                .map(|s| {
                    let rural =
                        spec.wards[crate::scenario::response::ward_at(&spec.wards, s.base)].rural;
                    spec.speed_kmh[usize::from(rural)][1]
                })
                .collect(),
        }
    }

    /// Puts `unit` in a slot; a reused slot counts on its epoch, so that the last unit's
    /// events are seen to be stale.
    pub(super) fn add(&mut self, unit: Unit) -> u32 {
        let serial = self.duties.next_serial();
        self.slots.insert_with(|last| Unit {
            epoch: last.map_or(0, |l| l.epoch.wrapping_add(1)),
            serial,
            ..unit
        })
    }

    /// Unit `u` turns to `state` at `now`: its time so far goes to its last cause.
    pub(super) fn set(&mut self, u: u32, now: Time, state: UState) {
        let unit = &mut self.slots[u];
        unit.state = state;
        if unit.member != NONE {
            return;
        }
        let cause = match state {
            UState::Idle | UState::Free => duties::AVAILABLE,
            UState::Travelling => duties::TRAVEL,
            UState::OnScene => duties::ON_SCENE,
            UState::Paperwork => duties::PAPERWORK,
            UState::Duty => duties::FIRST_DUTY + self.duties.cause_of(unit.duty),
        };
        let (old, since, sector) = (unit.cause, unit.since, unit.sector);
        unit.cause = cause;
        unit.since = now;
        self.duties.credit(sector, old, since, now);
    }

    /// Slot `u`'s unit, gone or not (None if there is no such slot).
    pub(super) fn slots_get(&self, u: u32) -> Option<&Unit> {
        self.slots.get(u)
    }

    /// Unit `u` is gone: its slot may be reused.
    pub(super) fn remove(&mut self, u: u32) {
        self.slots.remove(u);
    }

    /// Neighbourhood member unit `u` is done with its incident: the unit is gone; returns the
    /// member.
    pub(super) fn remove_member(&mut self, u: u32) -> u32 {
        let unit = &mut self.slots[u];
        let m = unit.member;
        unit.state = UState::Free;
        unit.member = NONE;
        self.slots.remove(u);
        m
    }

    /// Closes the time integrals at `end`.
    pub(super) fn finish(&mut self, end: Time, cal: &Calendar, r: &mut ResponseResult) {
        for unit in self.slots.iter_mut() {
            if unit.state != UState::Free && unit.member == NONE {
                self.duties.credit(unit.sector, unit.cause, unit.since, end);
                unit.since = end;
            }
        }
        r.duties = std::mem::take(&mut self.duties.result);
        self.busy.flush(end, cal);
        self.on_duty.flush(end, cal);
        debug_assert_eq!(
            r.duties.cause_ms.iter().sum::<u64>(),
            self.on_duty.total(),
            "every minute of the units' time on duty has one cause"
        );
        self.on_duty.flush(end, cal);
        self.officers.flush(end, cal);
        r.officer_on_duty_ms = self.officers.total();
        r.unit_busy_ms = self.busy.total();
        r.unit_on_duty_ms = self.on_duty.total();
        r.unit_busy_hourly = std::mem::take(&mut self.busy.area);
        r.unit_on_duty_hourly = std::mem::take(&mut self.on_duty.area);
    }
}

impl Index<u32> for Units {
    type Output = Unit;
    fn index(&self, u: u32) -> &Unit {
        &self.slots[u]
    }
}

impl IndexMut<u32> for Units {
    fn index_mut(&mut self, u: u32) -> &mut Unit {
        &mut self.slots[u]
    }
}

impl Field<'_> {
    /// Puts the response units on duty at time 0 and schedules the first shift start.
    pub(super) fn units_start(&mut self, q: &mut impl Schedule) {
        for (s, &n) in self.spec.constant_units.iter().enumerate() {
            for _ in 0..n {
                self.add_unit(q, 0, s as u32, 1, None);
            }
        }
        for (s, begun) in self.units.shifts.under_way_at_start(&self.spec.unit_shifts) {
            self.add_shift(q, 0, s, begun);
        }
        if let Some(t) = self.units.shifts.next_time() {
            q.at(t, FieldEvent::ShiftStart);
        }
    }

    /// Unit `u`'s paperwork is done (if `epoch` is still its own).
    pub(super) fn on_free(&mut self, q: &mut impl Schedule, now: Time, u: u32, epoch: u32) -> bool {
        if self.units[u].epoch != epoch {
            return false;
        }
        self.available(q, now, u);
        true
    }

    /// The next roster shift starts: its units come on duty.
    pub(super) fn on_shift_start(&mut self, q: &mut impl Schedule, now: Time) {
        if self.units.shifts.next_time() != Some(now) {
            // Already started, ahead of a neighbourhood shift starting at the same time.
            return;
        }
        let s = self.units.shifts.advance();
        self.add_shift(q, now, s, now as i64);
        let next = self
            .units
            .shifts
            .next_time()
            .expect("a started calendar has a next start");
        q.at(next, FieldEvent::ShiftStart);
    }

    /// Unit `u`'s shift ends: it leaves now if idle, else once it is free.
    pub(super) fn on_shift_end(&mut self, now: Time, u: u32) {
        self.units[u].shift_over = true;
        match self.units[u].state {
            UState::Idle => {
                self.remove_idle(u);
                self.release(now, u);
            }
            // A duty that may be interrupted stops with the shift; any other is finished.
            UState::Duty if self.units.duties.interruptible(self.units[u].duty) => {
                self.stop_duty(u);
                self.units.busy.add(now, -1, &self.cal);
                self.release(now, u);
            }
            _ => {}
        }
    }

    fn add_shift(&mut self, q: &mut impl Schedule, now: Time, s: u32, begun: i64) {
        let us = &self.spec.unit_shifts[s as usize];
        let end = (begun + us.shift.length.0 as i64) as Time;
        let (sector, crew, shift) = (us.sector as u32, us.crew, Some((begun, end)));
        let Some((t, line)) = us.team else {
            for _ in 0..us.shift.count {
                if !self.units.duties.shift_lost(begun, crew) {
                    self.add_unit(q, now, sector, crew, shift);
                }
            }
            return;
        };
        // A team's line: the group working it this rota week, less shrinkage, crews the units
        // (an odd officer out in a double-crewed team crews a unit alone).
        let team = &self.spec.teams[t];
        let n = team.weeks;
        let week = (begun + (self.cal.start_weekday() * DAY) as i64).div_euclid(WEEK as i64);
        let group = (line + n - week.rem_euclid(n as i64) as usize) % n;
        let present = self
            .units
            .duties
            .officers_present(team.group_size(group), begun);
        if team.minimum > present && begun >= 0 {
            self.backfill(t, begun as Time, end, team.minimum - present);
        }
        for _ in 0..present / crew {
            self.add_unit(q, now, sector, crew, shift);
        }
        if present % crew > 0 {
            self.add_unit(q, now, sector, present % crew, shift);
        }
    }

    /// A unit with no duties of its own (called in on overtime): from `now` to `shift`'s end.
    pub(super) fn add_unit_plain(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        sector: u32,
        crew: u32,
        shift: (i64, Time),
    ) {
        self.add_unit_with(q, now, sector, crew, Some(shift), false);
    }

    pub(super) fn add_unit(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        sector: u32,
        crew: u32,
        shift: Option<(i64, Time)>,
    ) {
        self.add_unit_with(q, now, sector, crew, shift, true);
    }

    fn add_unit_with(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        sector: u32,
        crew: u32,
        shift: Option<(i64, Time)>,
        duties: bool,
    ) {
        let base = self.spec.sectors[sector as usize].base;
        let id = self.units.add(Unit::new(sector, crew, base, now, NONE));
        if let Some((begun, end)) = shift {
            q.at(end, FieldEvent::ShiftEnd(id));
            self.units[id].started = Some(begun.max(0) as Time);
        }
        self.units.on_duty.add(now, 1, &self.cal);
        self.units.officers.add(now, i64::from(crew), &self.cal);
        self.units.busy.add(now, 1, &self.cal);
        if duties && self.units.duties.any() && self.unit_on_duty(q, now, id, shift) {
            return;
        }
        self.available(q, now, id);
    }

    pub(super) fn release(&mut self, now: Time, u: u32) {
        self.units.set(u, now, UState::Free);
        let mut owed = std::mem::take(&mut self.units[u].owed);
        self.units.duties.forgo(&mut owed, now);
        self.units.remove(u);
        self.units.on_duty.add(now, -1, &self.cal);
        self.units
            .officers
            .add(now, -i64::from(self.units[u].crew), &self.cal);
    }

    pub(super) fn remove_idle(&mut self, u: u32) {
        let sector = self.units[u].sector as usize;
        self.units.idle.remove(sector, u);
    }

    /// A unit is free (it was counted busy until now): leaves at the end of its shift, takes
    /// waiting work, or becomes idle.
    fn available(&mut self, q: &mut impl Schedule, now: Time, u: u32) {
        self.units.busy.add(now, -1, &self.cal);
        if self.units[u].shift_over {
            self.release(now, u);
            return;
        }
        let sector = self.units[u].sector as usize;
        let found = match self.spec.dispatch.queue {
            QueuePolicy::Sector => {
                self.incidents
                    .next_for(sector, &self.spec.sectors[sector].neighbours, u)
            }
            QueuePolicy::ForceFcfs => self.incidents.next_in_force(u),
        };
        self.units.set(u, now, UState::Idle);
        self.units[u].incident = NONE;
        // With no incident waiting, a duty owed comes next.
        if found.is_none() && !self.units[u].owed.is_empty() && self.take_owed(q, now, u) {
            return;
        }
        match found {
            Some((s, g, k, i)) => {
                let from = self.units[u].pos;
                self.units.busy.add(now, 1, &self.cal);
                self.send(q, now, u, i, from);
                let inc = &self.incidents[i];
                if inc.assigned + inc.cleared >= inc.needed {
                    self.incidents.take_waiting(s, g, k);
                }
            }
            None => {
                // Going idle: it drives back to its base or a patrol point, or is there at once.
                if self.spec.return_trip {
                    self.start_return(now, u, sector);
                } else if self.spec.idle == Idle::Base {
                    self.units[u].pos = self.spec.sectors[sector].base;
                }
                self.units.idle.insert(sector, u);
            }
        }
    }

    /// Sends unit `u` from `from` to incident `i`.
    pub(super) fn send(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        i: u32,
        from: (f64, f64),
    ) {
        let inc = &mut self.incidents[i];
        let grade = inc.draw.grade as usize;
        let ward = &self.spec.wards[inc.draw.ward as usize];
        let km = self.spec.metric.distance(from, inc.draw.pos);
        let speed = self.spec.speed_kmh[usize::from(ward.rural)][grade];
        // The travel matrix's time where it has one (in the hour band of the dispatch), else
        // distance over speed.
        let mut base_s = self
            .spec
            .matrix_secs(from, inc.draw.ward as usize, now)
            .unwrap_or(km / speed * 3600.0);
        let estimate = now
            .saturating_add(self.spec.turnout.0)
            .saturating_add(crate::time::secs_to_ms(base_s));
        inc.eta = inc.eta.min(estimate);
        if self.spec.travel_factor != TravelFactor::None {
            let trip = usize::from(inc.trips);
            inc.trips = inc.trips.saturating_add(1);
            base_s *= match inc.draw.travel.get(trip) {
                Some(&f) => f,
                None => incident::travel_factor(
                    self.spec.travel_factor,
                    ward.rural,
                    &mut self.units.extra_rng,
                ),
            };
        }
        let travel = self
            .spec
            .turnout
            .0
            .saturating_add(crate::time::secs_to_ms(base_s));
        if !inc.dispatched {
            inc.dispatched = true;
            if inc.measured {
                let wait = now - inc.created;
                let a = &mut self.result.by_type[grade][usize::from(ward.rural)];
                a.sum_wait_ms += wait;
                a.dispatched += 1;
            }
        }
        inc.assigned += 1;
        let call = inc.call;
        let outside = self.units[u].sector as usize != ward.sector;
        if inc.measured {
            self.result.dispatches += 1;
            self.result.travel_km += km;
            self.result.outside_home += u64::from(outside);
        }
        if grade == GRADE_S && self.units[u].member == NONE {
            self.units
                .on_priority
                .insert(self.units[u].sector as usize, u);
        }
        self.units.set(u, now, UState::Travelling);
        let unit = &mut self.units[u];
        unit.incident = i;
        unit.from = from;
        unit.pos = from;
        unit.depart = now;
        unit.arrive = now.saturating_add(travel);
        q.at(
            now.saturating_add(travel),
            FieldEvent::Arrive(u, unit.epoch),
        );
        self.log(Step::Dispatched {
            at: now,
            call,
            unit: u,
        });
    }

    /// Finds units for incident `i` (see the module's rules), or queues it; then, with pulls,
    /// a neighbourhood officer goes too if no response unit can arrive in time. With pulled
    /// officers first (`dispatch_order`), one who can arrive in time goes before any unit.
    pub(super) fn dispatch(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        if self.hood.as_ref().is_some_and(|h| h.spec.pulled_first) {
            self.pull_first(q, now, i);
        }
        self.dispatch_units(q, now, i);
        if self
            .hood
            .as_ref()
            .is_some_and(|h| h.spec.pull_after.is_some())
        {
            self.pull(q, now, i);
        }
    }

    fn dispatch_units(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        loop {
            let inc = &self.incidents[i];
            if inc.assigned + inc.cleared >= inc.needed {
                if inc.queued {
                    self.unqueue(i);
                }
                return;
            }
            let pos = inc.draw.pos;
            let grade = inc.draw.grade as usize;
            let ward = inc.draw.ward as usize;
            let home = self.spec.wards[ward].sector;
            let exclude = inc.cleared_by;
            if let Some((u, from)) = self.nearest_idle(ward, home, pos, exclude, now) {
                self.remove_idle(u);
                self.units.busy.add(now, 1, &self.cal);
                self.send(q, now, u, i, from);
                continue;
            }
            if grade == GRADE_I && self.units.duties.any_interruptible() {
                if let Some(u) = self.nearest_on_duty(ward, home, pos) {
                    let from = self.units[u].pos;
                    self.interrupt(now, u);
                    self.send(q, now, u, i, from);
                    continue;
                }
            }
            if grade == GRADE_I && self.spec.divert {
                if let Some((u, from)) = self.nearest_divertible(home, pos, now) {
                    let old = self.divert(now, u, from);
                    self.send(q, now, u, i, from);
                    // The diverted incident may be near idle units this search never saw.
                    self.dispatch(q, now, old);
                    continue;
                }
            }
            if !self.incidents[i].queued {
                self.incidents.enqueue(home, grade, i);
                let call = self.incidents[i].call;
                self.log(Step::Queued { at: now, call });
            }
            return;
        }
    }

    /// Takes unit `u` off its priority incident, which goes back to the queue.
    fn divert(&mut self, now: Time, u: u32, at: (f64, f64)) -> u32 {
        self.units
            .on_priority
            .remove(self.units[u].sector as usize, u);
        let unit = &mut self.units[u];
        let old = unit.incident;
        unit.epoch = unit.epoch.wrapping_add(1);
        unit.pos = at;
        let inc = &mut self.incidents[old];
        inc.assigned -= 1;
        if inc.assigned == 0 {
            inc.eta = Time::MAX;
        }
        let (call, measured, grade) = (inc.call, inc.measured, inc.draw.grade as usize);
        let home = self.spec.wards[inc.draw.ward as usize].sector;
        if measured {
            self.result.diversions += 1;
        }
        self.log(Step::Diverted {
            at: now,
            call,
            unit: u,
        });
        if !self.incidents[old].queued {
            self.incidents.enqueue(home, grade, old);
            self.log(Step::Queued { at: now, call });
        }
        old
    }

    /// Unit `u` arrives at its incident (if `epoch` is still its own): the first unit's
    /// arrival is the incident's attendance.
    pub(super) fn on_arrive(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        epoch: u32,
    ) -> bool {
        let unit = &mut self.units[u];
        if unit.epoch != epoch {
            return false;
        }
        let i = unit.incident;
        self.units.set(u, now, UState::OnScene);
        let unit = &mut self.units[u];
        let inc = &mut self.incidents[i];
        unit.pos = inc.draw.pos;
        q.at(now + inc.draw.on_scene, FieldEvent::Clear(u, epoch));
        let call = inc.call;
        self.attend(now, i);
        self.log(Step::Arrived {
            at: now,
            call,
            unit: u,
        });
        true
    }

    /// Incident `i`'s first arrival is now (nothing if it was attended before): its
    /// attendance.
    pub(super) fn attend(&mut self, now: Time, i: u32) {
        let inc = &mut self.incidents[i];
        if !inc.attended {
            inc.attended = true;
            if inc.measured {
                let grade = inc.draw.grade as usize;
                let ward = inc.draw.ward as usize;
                let rural = usize::from(self.spec.wards[ward].rural);
                let target = if grade == GRADE_I {
                    self.units.t3[rural]
                } else {
                    self.units.t4
                };
                let from_call = now - inc.call_arrival;
                let from_incident = now - inc.created;
                let a = Attendance {
                    incidents: 0,
                    attended: 1,
                    within_call: u64::from(from_call <= target),
                    within_incident: u64::from(from_incident <= target),
                    sum_call_ms: from_call,
                    sum_incident_ms: from_incident,
                    ..Default::default()
                };
                let r = &mut self.result;
                r.by_type[grade][rural].add(&a);
                r.by_ward[ward][grade].add(&a);
                r.by_hour[inc.hour as usize][grade].add(&a);
                r.hist_call[grade].add(from_call);
                r.hist_incident[grade].add(from_incident);
                self.outstanding -= 1;
            }
        }
    }

    /// Unit `u` has stayed its time on scene (if `epoch` is still its own): paperwork, or free.
    pub(super) fn on_clear(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        epoch: u32,
    ) -> bool {
        let unit = &self.units[u];
        if unit.epoch != epoch {
            return false;
        }
        let (i, sector) = (unit.incident, unit.sector as usize);
        if self.units.on_priority.contains(u) {
            self.units.on_priority.remove(sector, u);
        }
        let inc = &mut self.incidents[i];
        inc.assigned -= 1;
        inc.cleared += 1;
        if inc.cleared_by == NONE {
            inc.cleared_by = u;
        }
        let (call, paperwork) = (inc.call, inc.draw.paperwork);
        let (grade, category, nth) = (inc.draw.grade, inc.draw.category, inc.cleared - 1);
        if inc.cleared >= inc.needed && inc.assigned == 0 && !inc.queued {
            self.incidents.remove(i);
        }
        self.log(Step::Cleared {
            at: now,
            call,
            unit: u,
        });
        if self.units[u].member != NONE {
            self.member_cleared(q, now, u, i);
            return true;
        }
        self.units[u].incident = NONE;
        if self.units.duties.any_after() {
            let next = self.units.duties.after_incident(call, grade, category, nth);
            if !next.is_empty() {
                self.units[u].next = next;
                self.units[u].paperwork_after = paperwork;
                self.next_after(q, now, u);
                return true;
            }
        }
        self.paperwork_or_free(q, now, u, paperwork);
        true
    }

    /// Unit `u` does `paperwork` (ms), or is free at once.
    pub(super) fn paperwork_or_free(&mut self, q: &mut impl Schedule, now: Time, u: u32, ms: u64) {
        if ms > 0 {
            self.units.set(u, now, UState::Paperwork);
            let epoch = self.units[u].epoch;
            q.at(now + ms, FieldEvent::Free(u, epoch));
        } else {
            self.available(q, now, u);
        }
    }
}

#[cfg(test)]
mod tests;
