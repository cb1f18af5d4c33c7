//! The field side: incidents created from answered calls, response units on rosters, dispatch,
//! travel, time on scene, diversions and appointments. The contact centre hands over each
//! answered call's incident; this part owns everything after that.
//!
//! Rules, in one place:
//! - A call's incident attributes (ward, location, grade, category, two-unit need, time on
//!   scene, paperwork) are drawn when the call arrives, each from its own stream.
//! - Grade I (emergency) incidents are created `emergency_created_after` the call is answered
//!   (dispatch while the call goes on); S (priority) and E (scheduled) when the call ends; R
//!   (resolved on the phone) create none. I and S are dispatched to response units; E books an
//!   appointment.
//! - Dispatch: the nearest idle unit by travel time in the incident ward's sector; if none, the
//!   nearest idle unit in the sectors whose centres lie within `borrow_within_km`; if none and
//!   the incident is an emergency and `divert` is on, the nearest unit travelling to or at a
//!   priority incident is diverted (that incident goes back to the queue, keeping its time on
//!   scene, which starts again when its next unit arrives); otherwise the incident waits.
//!   Ties go to the unit listed first. Waiting incidents are taken by grade, then by sector
//!   (home first), then by time of creation.
//! - An idle patrolling unit is anywhere in its sector: its position is drawn afresh (uniform
//!   over the sector's area) each time a dispatch considers it. With `idle = "base"` an idle
//!   unit is at its sector's base (the drive back is not modelled).
//! - Travel time = turnout + distance / speed (by the incident ward's type and the grade). A
//!   unit's position while travelling is interpolated along its trip (for diversions).
//! - A two-unit incident is attended at its first unit's arrival; each unit stays its time on
//!   scene from its own arrival; the incident is done when two units have cleared it.
//! - A unit whose shift ends finishes its incident (and paperwork) first.
//! - Appointments: an E incident books the first free slot in its sector's sessions at least
//!   `appointment_lead` after the incident is created (looking up to 8 weeks ahead); appointment
//!   officers are separate from response units.

use crate::model::dist::Sampler;
use crate::model::pool::Pool;
use crate::model::roster::ShiftCalendar;
use crate::rng::{self, ChaCha8Rng, purpose};
use crate::scenario::response::{GRADE_E, GRADE_I, GRADE_R, GRADE_S, Idle, Response as Spec};
use crate::scenario::{ChannelKind, Scenario, response::FixedCall};
use crate::stats::{Histogram, HourIntegrator};
use crate::time::{Calendar, Deadline, Time, WEEK};
use rand::RngExt;
use std::collections::{BTreeMap, VecDeque};

mod followup;
mod neighbourhood;
pub use followup::StreamResult;
pub use neighbourhood::{HoodResult, Periods, SHARE_BINS};

const NONE: u32 = u32::MAX;

/// Units grouped by sector, with O(1) insertion and removal (each unit is in at most one list).
#[derive(Default)]
struct SectorSet {
    lists: Vec<Vec<u32>>,
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

    fn insert(&mut self, sector: usize, u: u32) {
        if self.at.len() <= u as usize {
            self.at.resize(u as usize + 1, NONE);
        }
        self.at[u as usize] = self.lists[sector].len() as u32;
        self.lists[sector].push(u);
    }

    fn remove(&mut self, sector: usize, u: u32) {
        let pos = std::mem::replace(&mut self.at[u as usize], NONE) as usize;
        let list = &mut self.lists[sector];
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            self.at[moved as usize] = pos as u32;
        }
    }

    fn contains(&self, u: u32) -> bool {
        self.at.get(u as usize).is_some_and(|&p| p != NONE)
    }
}

/// An incident's attributes, drawn when its call arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    pub ward: u32,
    pub pos: (f64, f64),
    pub grade: u8,
    pub category: u8,
    pub two_units: bool,
    pub on_scene: u64,
    pub paperwork: u64,
}

/// What the contact centre hands over when it answers a call.
#[derive(Clone, Copy, Debug)]
pub struct Handover {
    /// The call's id.
    pub call: u64,
    pub call_arrival: Time,
    /// Talk time to come (non-emergency incidents are created when the call ends).
    pub handling: u64,
    pub measured: bool,
    pub draw: Draw,
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
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Appointments {
    pub booked: u64,
    /// Seen within the T5 time of the call.
    pub within: u64,
    /// No free slot within the booking window.
    pub no_slot: u64,
    pub sum_from_call_ms: u64,
}

/// What the field side measures in one replication (measured calls' incidents only).
#[derive(Clone, Debug, Default)]
pub struct ResponseResult {
    /// [grade I, S][urban, rural].
    pub by_type: [[Attendance; 2]; 2],
    /// Per ward, [grade I, S].
    pub by_ward: Vec<[Attendance; 2]>,
    /// Per hour of week of the call, [grade I, S].
    pub by_hour: Vec<[Attendance; 2]>,
    /// Attendance times from the call, [I, S].
    pub hist_call: [Histogram; 2],
    /// Attendance times from the incident's creation, [I, S].
    pub hist_incident: [Histogram; 2],
    pub dispatches: u64,
    /// Sum of the distances of measured dispatches (km).
    pub travel_km: f64,
    pub outside_home: u64,
    pub diversions: u64,
    pub graded: [u64; 4],
    pub categories: [[u64; 5]; 4],
    pub appointments: Appointments,
    /// Booked appointments not yet held, integrated over the window (count x ms).
    pub backlog_area: u64,
    pub unit_busy_ms: u64,
    pub unit_on_duty_ms: u64,
    /// Officer-milliseconds on duty in response units.
    pub officer_on_duty_ms: u64,
    /// Unit-milliseconds busy and on duty, by hour of week.
    pub unit_busy_hourly: Vec<u64>,
    pub unit_on_duty_hourly: Vec<u64>,
    /// Neighbourhood teams (when the scenario has them).
    pub hood: Option<HoodResult>,
    /// Follow-up streams, in the scenario's order.
    pub work: Vec<StreamResult>,
}

/// A step of the field side, recorded when tracing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Created { at: Time, call: u64 },
    Dispatched { at: Time, call: u64, unit: u32 },
    Arrived { at: Time, call: u64, unit: u32 },
    Cleared { at: Time, call: u64, unit: u32 },
    Diverted { at: Time, call: u64, unit: u32 },
    Queued { at: Time, call: u64 },
    Booked { at: Time, call: u64, slot: Time },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UState {
    Idle,
    Travelling,
    OnScene,
    Paperwork,
    Free,
}

struct Unit {
    sector: u32,
    crew: u32,
    state: UState,
    epoch: u32,
    shift_over: bool,
    pos: (f64, f64),
    from: (f64, f64),
    depart: Time,
    arrive: Time,
    incident: u32,
    /// The neighbourhood team member this unit is (NONE for a response unit).
    member: u32,
}

struct Incident {
    call: u64,
    call_arrival: Time,
    created: Time,
    draw: Draw,
    needed: u8,
    assigned: u8,
    cleared: u8,
    /// The first unit to clear it (NONE): it cannot also be its second unit.
    cleared_by: u32,
    attended: bool,
    dispatched: bool,
    queued: bool,
    measured: bool,
    hour: u16,
    /// Counts the reuses of its slot, so that a late check can tell it is stale.
    generation: u32,
}

pub struct Field<'s> {
    spec: &'s Spec,
    cal: Calendar,
    /// Per channel: cumulative ward weights.
    ward_cumulative: [Vec<f64>; 2],
    rng: [[ChaCha8Rng; 8]; 2],
    patrol_rng: ChaCha8Rng,
    on_scene: [Sampler; 2],
    paperwork: Option<Sampler>,
    /// Target times (ms): T3 urban, T3 rural, T4, T5.
    t3: [u64; 2],
    t4: u64,
    t5: u64,
    units: Pool<Unit>,
    /// Idle units, by sector.
    idle: SectorSet,
    /// Units travelling to or at a priority (S) incident, by sector: the candidates for diversion.
    on_priority: SectorSet,
    incidents: Pool<Incident>,
    /// Waiting incidents per sector, [I, S], in order of creation.
    waiting: Vec<[VecDeque<(Time, u32)>; 2]>,
    shifts: ShiftCalendar,
    /// Per sector: booked appointment counts by (slot time, session).
    booked: Vec<BTreeMap<(Time, u32), u32>>,
    /// Sessions by sector, as (offset in the first week, session).
    sessions: Vec<Vec<(Time, u32)>>,
    busy: HourIntegrator,
    on_duty: HourIntegrator,
    /// Officers on duty in response units (a double-crewed unit counts two).
    officers: HourIntegrator,
    backlog: HourIntegrator,
    pub result: ResponseResult,
    pub trace: Option<Vec<Step>>,
    /// Measured incidents not yet attended or booked.
    pub outstanding: u64,
    hood: Option<neighbourhood::Hood<'s>>,
    work: Option<followup::Work<'s>>,
}

/// Events of the field side (wrapped in the model's event type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldEvent {
    Create(u32),
    Arrive(u32, u32),
    Clear(u32, u32),
    Free(u32, u32),
    ShiftStart,
    ShiftEnd(u32),
    AppointmentHeld,
    /// Incident, generation: time to consider sending a neighbourhood officer.
    AbstractCheck(u32, u32),
    MemberShiftStart,
    MemberShiftEnd(u32),
    /// Member, abstraction (with a high bit for fixed starts).
    Planned(u32, u32),
    /// Member, epoch: what the member was doing is over.
    MemberFree(u32, u32),
    /// A scheduled meeting (AGAIN bit: already put back behind its time's shift events).
    Meeting(u32),
    /// A follow-up task opens (task id).
    TaskOpen(u32),
    /// The next task of a stream at its rate.
    TaskArrival(u32),
    /// Workgroup server, epoch.
    TaskDone(u32, u32),
    GroupShiftStart,
    GroupShiftEnd(u32),
}

/// Where the field side schedules its events.
pub trait Schedule {
    fn at(&mut self, time: Time, event: FieldEvent);
}

fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut v: Vec<f64> = weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect();
    if acc > 0.0 {
        v.iter_mut().for_each(|x| *x /= acc);
    }
    v
}

/// The index drawn by a uniform u from cumulative shares (the last index for u rounding past 1).
#[inline]
fn pick(cum: &[f64], u: f64) -> usize {
    cum.partition_point(|c| *c <= u).min(cum.len() - 1)
}

impl<'s> Field<'s> {
    pub fn new(sc: &'s Scenario, spec: &'s Spec, seed: u64) -> Self {
        let cal = Calendar::new(sc.run.start);
        let rng = |ch: u64| {
            [
                purpose::WARD,
                purpose::LOCATION,
                purpose::GRADE,
                purpose::CATEGORY,
                purpose::TWO_UNITS,
                purpose::ON_SCENE,
                purpose::ON_SCENE_S,
                purpose::PAPERWORK,
            ]
            .map(|p| rng::rng(seed, rng::stream(p, ch)))
        };
        let target = |id: &str| match sc.target(id).time {
            Some(Deadline::Elapsed(d)) => d.0,
            _ => u64::MAX,
        };
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
        let mut sessions = vec![Vec::new(); n_sectors];
        let start_offset = cal.start_weekday() * crate::time::DAY;
        for (i, a) in spec.appointments.iter().enumerate() {
            for (day, on) in a.days.iter().enumerate() {
                if *on {
                    let in_week = day as u64 * crate::time::DAY + a.start.0;
                    sessions[a.sector].push(((in_week + WEEK - start_offset) % WEEK, i as u32));
                }
            }
        }
        Field {
            spec,
            cal,
            ward_cumulative: [0, 1].map(|ch| cumulative(spec.wards.iter().map(|w| w.weights[ch]))),
            rng: [rng(0), rng(1)],
            patrol_rng: rng::rng(seed, rng::stream(purpose::PATROL, 0)),
            on_scene: [
                Sampler::new(&spec.on_scene[0]),
                Sampler::new(&spec.on_scene[1]),
            ],
            paperwork: spec.paperwork.as_ref().map(Sampler::new),
            t3: [t3_urban, t3_rural],
            t4: target("T4"),
            t5: target("T5"),
            units: Pool::new(),
            idle: SectorSet::new(n_sectors),
            on_priority: SectorSet::new(n_sectors),
            incidents: Pool::new(),
            waiting: (0..n_sectors)
                .map(|_| [VecDeque::new(), VecDeque::new()])
                .collect(),
            shifts: ShiftCalendar::new(spec.unit_shifts.iter().map(|u| &u.shift), &cal),
            booked: vec![BTreeMap::new(); n_sectors],
            sessions,
            busy: HourIntegrator::new(lo, hi),
            on_duty: HourIntegrator::new(lo, hi),
            officers: HourIntegrator::new(lo, hi),
            backlog: HourIntegrator::new(lo, hi),
            result: ResponseResult {
                by_ward: vec![Default::default(); spec.wards.len()],
                by_hour: vec![Default::default(); 168],
                ..Default::default()
            },
            trace: None,
            outstanding: 0,
            hood: sc
                .neighbourhood
                .as_ref()
                .map(|n| neighbourhood::Hood::new(sc, n, seed, &cal)),
            work: (!sc.followup.is_empty()).then(|| followup::Work::new(sc, spec, seed, &cal)),
        }
    }

    /// The drain limit has passed: incidents still outstanding stand as misses, and nothing
    /// that happens to them later is measured.
    pub fn stop_measuring(&mut self) {
        for inc in self.incidents.iter_mut() {
            inc.measured = false;
        }
        self.outstanding = 0;
    }

    /// Measured follow-up tasks not yet done, and the time by which all are due.
    pub fn work_outstanding(&self) -> Option<(u64, Time)> {
        self.work.as_ref().map(|w| (w.outstanding, w.end))
    }

    /// Puts the units on duty at time 0 and schedules the first shift start.
    pub fn start(&mut self, q: &mut impl Schedule) {
        for (s, &n) in self.spec.constant_units.iter().enumerate() {
            for _ in 0..n {
                self.add_unit(q, 0, s as u32, 1, None);
            }
        }
        for (s, begun) in self.shifts.under_way_at_start(&self.spec.unit_shifts) {
            self.add_shift(q, 0, s, begun);
        }
        if let Some(t) = self.shifts.next_time() {
            q.at(t, FieldEvent::ShiftStart);
        }
        self.hood_start(q);
        self.work_start(q);
    }

    /// Draws a call's incident attributes (on arrival, used or not), applying a fixed call's.
    pub fn draw(&mut self, ch: ChannelKind, fixed: Option<&FixedCall>) -> Draw {
        let c = ch.index();
        let [
            r_ward,
            r_loc,
            r_grade,
            r_cat,
            r_two,
            r_scene_i,
            r_scene_s,
            r_paper,
        ] = &mut self.rng[c];
        let mut ward = pick(&self.ward_cumulative[c], r_ward.random::<f64>());
        // A fixed call's ward, or the ward its given place lies in.
        match fixed {
            Some(FixedCall { ward: Some(w), .. }) => ward = *w,
            Some(FixedCall {
                position: Some(p), ..
            }) => ward = crate::scenario::response::ward_at(&self.spec.wards, *p),
            _ => {}
        }
        let w = &self.spec.wards[ward];
        let mut pos = w.sample(r_loc);
        let grading = &w.grading[c];
        let mut cum = [0.0; 4];
        let mut acc = 0.0;
        for (k, g) in grading.iter().enumerate() {
            acc += g;
            cum[k] = acc;
        }
        let mut grade = pick(&cum, r_grade.random::<f64>());
        let u_cat: f64 = r_cat.random();
        let u_two: f64 = r_two.random();
        if let Some(f) = fixed {
            if let Some(p) = f.position {
                pos = p;
            }
            if let Some(g) = f.grade {
                grade = g;
            }
        }
        let mut cats = [0.0; 5];
        let mut acc = 0.0;
        for (k, s) in self.spec.categories[grade].iter().enumerate() {
            acc += s;
            cats[k] = acc;
        }
        let mut category = pick(&cats, u_cat);
        let dispatched = grade == GRADE_I || grade == GRADE_S;
        let mut two_units = dispatched && u_two < self.spec.two_units[grade.min(1)];
        // One draw from each dispatched grade's own stream, whatever the grade, so that a
        // change of grade mix leaves every other call's times on scene as they were.
        let scene = [
            self.on_scene[GRADE_I].sample(r_scene_i),
            self.on_scene[GRADE_S].sample(r_scene_s),
        ];
        let mut on_scene = if dispatched { scene[grade] } else { 0 };
        let paperwork = self.paperwork.as_ref().map_or(0, |p| p.sample(r_paper));
        if let Some(f) = fixed {
            category = f.category.unwrap_or(category);
            two_units = f.two_units.unwrap_or(two_units);
            on_scene = f.on_scene.map_or(on_scene, |d| d.0);
        }
        Draw {
            ward: ward as u32,
            pos,
            grade: grade as u8,
            category: category as u8,
            two_units,
            on_scene,
            paperwork,
        }
    }

    /// A call has been answered at `now`: creates its incident at the right time (none for
    /// grade R).
    pub fn answered(&mut self, q: &mut impl Schedule, now: Time, h: Handover) {
        let Handover {
            call,
            call_arrival,
            handling,
            measured,
            draw: d,
        } = h;
        let grade = d.grade as usize;
        if measured {
            self.result.graded[grade] += 1;
            self.result.categories[grade][d.category as usize] += 1;
        }
        self.work_from_call(q, &h, now + handling);
        if grade == GRADE_R {
            return;
        }
        let created = if grade == GRADE_I {
            now + self.spec.emergency_created_after.0
        } else {
            now + handling
        };
        let inc = Incident {
            call,
            call_arrival,
            created,
            draw: d,
            needed: if d.two_units { 2 } else { 1 },
            assigned: 0,
            cleared: 0,
            cleared_by: NONE,
            attended: false,
            dispatched: false,
            queued: false,
            measured,
            hour: self.cal.hour_of_week(call_arrival) as u16,
            generation: 0,
        };
        // A reused slot counts on its generation.
        let id = self.incidents.insert_with(|last| Incident {
            generation: last.map_or(0, |l| l.generation.wrapping_add(1)),
            ..inc
        });
        if measured {
            self.outstanding += 1;
            if grade == GRADE_I || grade == GRADE_S {
                let rural = usize::from(self.spec.wards[d.ward as usize].rural);
                let a = Attendance {
                    incidents: 1,
                    ..Default::default()
                };
                let hour = self.incidents[id].hour as usize;
                let r = &mut self.result;
                r.by_type[grade][rural].add(&a);
                r.by_ward[d.ward as usize][grade].add(&a);
                r.by_hour[hour][grade].add(&a);
            }
        }
        q.at(created, FieldEvent::Create(id));
        if let Some(n) = self.hood.as_ref().map(|h| h.spec) {
            if let Some(after) = n.abstract_after {
                if grade <= GRADE_S && n.abstract_grades[grade] {
                    let generation = self.incidents[id].generation;
                    q.at(created + after.0, FieldEvent::AbstractCheck(id, generation));
                }
            }
        }
    }

    fn log(&mut self, step: Step) {
        if let Some(t) = &mut self.trace {
            t.push(step);
        }
    }

    pub fn handle(&mut self, q: &mut impl Schedule, now: Time, e: FieldEvent) -> bool {
        match e {
            FieldEvent::Create(i) => self.on_create(q, now, i),
            FieldEvent::Arrive(u, g) => return self.on_arrive(q, now, u, g),
            FieldEvent::Clear(u, g) => return self.on_clear(q, now, u, g),
            FieldEvent::Free(u, g) => {
                if self.units[u].epoch != g {
                    return false;
                }
                self.available(q, now, u);
            }
            FieldEvent::ShiftStart => {
                let s = self.shifts.advance();
                self.add_shift(q, now, s, now as i64);
                let next = self
                    .shifts
                    .next_time()
                    .expect("a started calendar has a next start");
                q.at(next, FieldEvent::ShiftStart);
            }
            FieldEvent::ShiftEnd(u) => {
                let unit = &mut self.units[u];
                unit.shift_over = true;
                if unit.state == UState::Idle {
                    self.remove_idle(u);
                    self.release(now, u);
                }
            }
            FieldEvent::AppointmentHeld => self.backlog.add(now, -1, &self.cal),
            FieldEvent::AbstractCheck(i, generation) => {
                self.on_abstract_check(q, now, i, generation)
            }
            FieldEvent::MemberShiftStart => self.on_member_shift_start(q, now),
            FieldEvent::MemberShiftEnd(m) => self.on_member_shift_end(now, m),
            FieldEvent::Planned(m, a) => self.on_planned(q, now, m, a),
            FieldEvent::MemberFree(m, e) => self.on_member_free(q, now, m, e),
            FieldEvent::Meeting(again) => self.on_meeting(q, now, again),
            FieldEvent::TaskOpen(t) => self.on_task_open(q, now, t),
            FieldEvent::TaskArrival(s) => self.on_task_arrival(q, now, s),
            FieldEvent::TaskDone(sv, e) => self.on_task_done(q, now, sv, e),
            FieldEvent::GroupShiftStart => self.on_group_shift_start(q, now),
            FieldEvent::GroupShiftEnd(sv) => self.on_group_shift_end(sv),
        }
        true
    }

    fn add_shift(&mut self, q: &mut impl Schedule, now: Time, s: u32, begun: i64) {
        let us = &self.spec.unit_shifts[s as usize];
        let end = (begun + us.shift.length.0 as i64) as Time;
        for _ in 0..us.shift.count {
            self.add_unit(q, now, us.sector as u32, us.crew, Some(end));
        }
    }

    fn add_unit(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        sector: u32,
        crew: u32,
        end: Option<Time>,
    ) {
        let base = self.spec.sectors[sector as usize].base;
        let unit = Unit {
            sector,
            crew,
            state: UState::Idle,
            epoch: 0,
            shift_over: false,
            pos: base,
            from: base,
            depart: now,
            arrive: now,
            incident: NONE,
            member: NONE,
        };
        let id = self.units.insert_with(|last| Unit {
            epoch: last.map_or(0, |l| l.epoch.wrapping_add(1)),
            ..unit
        });
        if let Some(end) = end {
            q.at(end, FieldEvent::ShiftEnd(id));
        }
        self.on_duty.add(now, 1, &self.cal);
        self.officers.add(now, i64::from(crew), &self.cal);
        self.busy.add(now, 1, &self.cal);
        self.available(q, now, id);
    }

    fn release(&mut self, now: Time, u: u32) {
        self.units[u].state = UState::Free;
        self.units.remove(u);
        self.on_duty.add(now, -1, &self.cal);
        self.officers
            .add(now, -i64::from(self.units[u].crew), &self.cal);
    }

    fn remove_idle(&mut self, u: u32) {
        let sector = self.units[u].sector as usize;
        self.idle.remove(sector, u);
    }

    /// A unit is free (it was counted busy until now): leaves at the end of its shift, takes
    /// waiting work, or becomes idle.
    fn available(&mut self, q: &mut impl Schedule, now: Time, u: u32) {
        self.busy.add(now, -1, &self.cal);
        if self.units[u].shift_over {
            self.release(now, u);
            return;
        }
        let sector = self.units[u].sector as usize;
        let mut found = None;
        'grades: for g in 0..2 {
            for s in
                std::iter::once(sector).chain(self.spec.sectors[sector].neighbours.iter().copied())
            {
                let incidents = &self.incidents;
                if let Some(k) = self.waiting[s][g]
                    .iter()
                    .position(|&(_, i)| incidents[i].cleared_by != u)
                {
                    found = Some((s, g, k, self.waiting[s][g][k].1));
                    break 'grades;
                }
            }
        }
        let unit = &mut self.units[u];
        unit.state = UState::Idle;
        unit.incident = NONE;
        match found {
            Some((s, g, k, i)) => {
                let from = self.units[u].pos;
                self.busy.add(now, 1, &self.cal);
                self.send(q, now, u, i, from);
                let inc = &self.incidents[i];
                if inc.assigned + inc.cleared >= inc.needed {
                    self.waiting[s][g].remove(k);
                    self.incidents[i].queued = false;
                }
            }
            None => {
                // Going idle: a unit that waits at base is there (the drive back is not modelled).
                if self.spec.idle == Idle::Base {
                    self.units[u].pos = self.spec.sectors[sector].base;
                }
                self.idle.insert(sector, u);
            }
        }
    }

    /// Sends unit `u` from `from` to incident `i`.
    fn send(&mut self, q: &mut impl Schedule, now: Time, u: u32, i: u32, from: (f64, f64)) {
        let inc = &mut self.incidents[i];
        let grade = inc.draw.grade as usize;
        let ward = &self.spec.wards[inc.draw.ward as usize];
        let km = self.spec.metric.distance(from, inc.draw.pos);
        let speed = self.spec.speed_kmh[usize::from(ward.rural)][grade];
        let travel = self
            .spec
            .turnout
            .0
            .saturating_add(crate::time::secs_to_ms(km / speed * 3600.0));
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
            self.on_priority.insert(self.units[u].sector as usize, u);
        }
        let unit = &mut self.units[u];
        unit.state = UState::Travelling;
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

    fn on_create(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let call = self.incidents[i].call;
        self.log(Step::Created { at: now, call });
        let grade = self.incidents[i].draw.grade as usize;
        if grade == GRADE_E {
            self.book(q, now, i);
            return;
        }
        self.dispatch(q, now, i);
    }

    /// Finds units for incident `i` (see the module's rules), or queues it.
    fn dispatch(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
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
            let home = self.spec.wards[inc.draw.ward as usize].sector;
            let exclude = inc.cleared_by;
            if let Some((u, from)) = self.nearest_idle(home, pos, exclude) {
                self.remove_idle(u);
                self.busy.add(now, 1, &self.cal);
                self.send(q, now, u, i, from);
                continue;
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
                self.enqueue(home, grade, i);
                let call = self.incidents[i].call;
                self.log(Step::Queued { at: now, call });
            }
            return;
        }
    }

    /// Takes incident `i` out of its sector's waiting queue.
    fn unqueue(&mut self, i: u32) {
        let inc = &self.incidents[i];
        let (sector, grade) = (
            self.spec.wards[inc.draw.ward as usize].sector,
            inc.draw.grade as usize,
        );
        let q = &mut self.waiting[sector][grade];
        if let Some(k) = q.iter().position(|&(_, j)| j == i) {
            q.remove(k);
        }
        self.incidents[i].queued = false;
    }

    fn enqueue(&mut self, sector: usize, grade: usize, i: u32) {
        let created = self.incidents[i].created;
        let q = &mut self.waiting[sector][grade];
        let at = q.partition_point(|&(t, _)| t <= created);
        q.insert(at, (created, i));
        self.incidents[i].queued = true;
    }

    /// A patrol position: a ward drawn by area or by demand, then uniform within it.
    fn patrol_position(&mut self, sector: usize) -> (f64, f64) {
        let s = &self.spec.sectors[sector];
        let w =
            &self.spec.wards[s.wards[pick(&s.patrol_cumulative, self.patrol_rng.random::<f64>())]];
        w.sample(&mut self.patrol_rng)
    }

    /// The nearest idle unit to `pos`: home sector first, then the borrowing sectors.
    fn nearest_idle(
        &mut self,
        home: usize,
        pos: (f64, f64),
        exclude: u32,
    ) -> Option<(u32, (f64, f64))> {
        let patrol = self.spec.idle == Idle::Patrol;
        let search = |this: &mut Self, sectors: &[usize]| {
            let mut best: Option<(f64, u32, (f64, f64))> = None;
            for &s in sectors {
                for k in 0..this.idle.lists[s].len() {
                    let u = this.idle.lists[s][k];
                    if u == exclude {
                        continue;
                    }
                    let at = if patrol {
                        this.patrol_position(s)
                    } else {
                        this.units[u].pos
                    };
                    let d = this.spec.metric.distance(at, pos);
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, u, at));
                    }
                }
            }
            best.map(|(_, u, at)| (u, at))
        };
        if let Some(found) = search(self, &[home]) {
            return Some(found);
        }
        // The spec outlives `self`'s borrow: no copy of the list is needed.
        let spec = self.spec;
        search(self, &spec.sectors[home].neighbours)
    }

    /// Where unit `u` is at `now` (interpolated along its trip while travelling).
    fn position(&self, u: u32, now: Time) -> (f64, f64) {
        let unit = &self.units[u];
        if unit.state == UState::Travelling && unit.arrive > unit.depart {
            let to = self.incidents[unit.incident].draw.pos;
            let f = (now - unit.depart) as f64 / (unit.arrive - unit.depart) as f64;
            (
                unit.from.0 + f * (to.0 - unit.from.0),
                unit.from.1 + f * (to.1 - unit.from.1),
            )
        } else {
            unit.pos
        }
    }

    /// The nearest unit travelling to or at a priority (S) incident, home sector first.
    fn nearest_divertible(
        &self,
        home: usize,
        pos: (f64, f64),
        now: Time,
    ) -> Option<(u32, (f64, f64))> {
        let candidates = |sectors: &[usize]| {
            let mut best: Option<(f64, u32, (f64, f64))> = None;
            for &sector in sectors {
                for &u in &self.on_priority.lists[sector] {
                    let at = self.position(u, now);
                    let d = self.spec.metric.distance(at, pos);
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, u, at));
                    }
                }
            }
            best.map(|(_, u, at)| (u, at))
        };
        candidates(&[home]).or_else(|| candidates(&self.spec.sectors[home].neighbours))
    }

    /// Takes unit `u` off its priority incident, which goes back to the queue.
    fn divert(&mut self, now: Time, u: u32, at: (f64, f64)) -> u32 {
        self.on_priority.remove(self.units[u].sector as usize, u);
        let unit = &mut self.units[u];
        let old = unit.incident;
        unit.epoch = unit.epoch.wrapping_add(1);
        unit.pos = at;
        let inc = &mut self.incidents[old];
        inc.assigned -= 1;
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
            self.enqueue(home, grade, old);
            self.log(Step::Queued { at: now, call });
        }
        old
    }

    fn on_arrive(&mut self, q: &mut impl Schedule, now: Time, u: u32, epoch: u32) -> bool {
        let unit = &mut self.units[u];
        if unit.epoch != epoch {
            return false;
        }
        let i = unit.incident;
        unit.state = UState::OnScene;
        let inc = &mut self.incidents[i];
        unit.pos = inc.draw.pos;
        q.at(now + inc.draw.on_scene, FieldEvent::Clear(u, epoch));
        let call = inc.call;
        if !inc.attended {
            inc.attended = true;
            if inc.measured {
                let grade = inc.draw.grade as usize;
                let ward = inc.draw.ward as usize;
                let rural = usize::from(self.spec.wards[ward].rural);
                let target = if grade == GRADE_I {
                    self.t3[rural]
                } else {
                    self.t4
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
        self.log(Step::Arrived {
            at: now,
            call,
            unit: u,
        });
        true
    }

    fn on_clear(&mut self, q: &mut impl Schedule, now: Time, u: u32, epoch: u32) -> bool {
        let unit = &mut self.units[u];
        if unit.epoch != epoch {
            return false;
        }
        let i = unit.incident;
        if self.on_priority.contains(u) {
            self.on_priority.remove(unit.sector as usize, u);
        }
        let inc = &mut self.incidents[i];
        inc.assigned -= 1;
        inc.cleared += 1;
        if inc.cleared_by == NONE {
            inc.cleared_by = u;
        }
        let (call, paperwork) = (inc.call, inc.draw.paperwork);
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
        let unit = &mut self.units[u];
        unit.incident = NONE;
        if paperwork > 0 {
            unit.state = UState::Paperwork;
            q.at(now + paperwork, FieldEvent::Free(u, epoch));
        } else {
            self.available(q, now, u);
        }
        true
    }

    /// Books incident `i`'s appointment: the first free slot at least the lead time ahead.
    fn book(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let inc = &self.incidents[i];
        let (call, call_arrival, measured) = (inc.call, inc.call_arrival, inc.measured);
        let sector = self.spec.wards[inc.draw.ward as usize].sector;
        let earliest = now + self.spec.appointment_lead.0;
        let booked = &mut self.booked[sector];
        // Forget slots already past.
        while let Some((&(t, _), _)) = booked.first_key_value() {
            if t >= now {
                break;
            }
            booked.pop_first();
        }
        // Sessions last at most a day, so a session of the week before `earliest`'s may still
        // have slots after it; once a week begins after the best slot found, no later week can
        // offer an earlier one.
        let mut slot: Option<(Time, u32)> = None;
        let first = (earliest / WEEK).saturating_sub(1);
        for week in first..first + 10 {
            if slot.is_some_and(|(t, _)| week * WEEK > t) {
                break;
            }
            for &(rel, s) in &self.sessions[sector] {
                let a = &self.spec.appointments[s as usize];
                let start = week * WEEK + rel;
                for k in 0..a.length.0 / a.slot.0 {
                    let t = start + k * a.slot.0;
                    if t >= earliest && booked.get(&(t, s)).copied().unwrap_or(0) < a.officers {
                        if slot.is_none_or(|best| (t, s) < best) {
                            slot = Some((t, s));
                        }
                        break;
                    }
                }
            }
        }
        self.incidents.remove(i);
        match slot {
            Some((t, s)) => {
                *booked.entry((t, s)).or_insert(0) += 1;
                self.backlog.add(now, 1, &self.cal);
                q.at(t, FieldEvent::AppointmentHeld);
                self.log(Step::Booked {
                    at: now,
                    call,
                    slot: t,
                });
                if measured {
                    let a = &mut self.result.appointments;
                    a.booked += 1;
                    a.within += u64::from(t - call_arrival <= self.t5);
                    a.sum_from_call_ms += t - call_arrival;
                }
            }
            None => {
                if measured {
                    self.result.appointments.no_slot += 1;
                }
            }
        }
        if measured {
            self.outstanding -= 1;
        }
    }

    /// Closes the time integrals at the end of the run. Incidents never attended were counted
    /// when their calls were answered, so they stand as misses.
    pub fn finish(&mut self, end: Time) {
        self.busy.flush(end, &self.cal);
        self.on_duty.flush(end, &self.cal);
        self.officers.flush(end, &self.cal);
        self.result.officer_on_duty_ms = self.officers.total();
        self.backlog.flush(end, &self.cal);
        self.result.unit_busy_ms = self.busy.total();
        self.result.unit_on_duty_ms = self.on_duty.total();
        self.result.unit_busy_hourly = std::mem::take(&mut self.busy.area);
        self.result.unit_on_duty_hourly = std::mem::take(&mut self.on_duty.area);
        self.result.backlog_area = self.backlog.total();
        self.hood_finish(end);
        self.work_finish(end);
        self.result.hood = self.hood.take().map(|h| h.result);
        self.result.work = self.work.take().map(|w| w.result).unwrap_or_default();
    }
}
