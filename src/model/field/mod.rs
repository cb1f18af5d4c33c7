//! The field side: everything after a call is answered, from incidents to follow-up work.
//!
//! The contact centre hands over each answered call's incident; `Field` owns the state of each
//! part and routes the events to it. The rules are with the code, in each part's header:
//! - `incident`: incidents drawn and created from calls, and the queue of those waiting;
//! - `response`: response units on rosters and teams, dispatch, diversion, travel and
//!   attendance; `whereabouts`: where units are and which is nearest (patrol, the way back);
//! - `duties`: response crews' duties, shrinkage, and the cause of every minute on duty;
//! - `dispatch`: dispatchers on the CAD;
//! - `appointments`: the appointment book (T5);
//! - `neighbourhood`: neighbourhood teams (T6, T8, desk work, abstraction to response);
//! - `followup`: follow-up commitments as deadline work (T7, T9-T14).

use crate::model::dist::Sampler;
use crate::model::pool::Pool;
use crate::model::roster::ShiftCalendar;
use crate::rng::{self, ChaCha8Rng, Keyed, KeyedStream, purpose};
use crate::scenario::response::{
    Choose, GRADE_E, GRADE_I, GRADE_R, GRADE_S, Idle, QueuePolicy, Response as Spec, TravelFactor,
};
use crate::scenario::{ChannelKind, Scenario, response::FixedCall};
use crate::stats::{Histogram, HourIntegrator};
use crate::time::{Calendar, DAY, Deadline, Time, WEEK};
use rand::RngExt;
use std::collections::{BTreeMap, VecDeque};

mod aid;
mod appointments;
mod backfill;
mod dispatch;
mod duties;
mod followup;
mod group_overtime;
mod incident;
mod neighbourhood;
mod overtime;
mod records;
mod response;
mod staff;
mod whereabouts;
pub use aid::AidResult;
pub use appointments::{Appointments, SessionCount};
pub use dispatch::DeskResult;
pub use duties::{DutyResult, UNIT_CAUSES};
pub use followup::StreamResult;
pub use group_overtime::GroupOvertimeResult;
pub use incident::{Draw, Handover};
pub use neighbourhood::{
    HoodResult, Periods, SHARE_BINS, SHIFT_BACKFILLED, SHIFT_COUNTS, SHIFT_LOST_PLANNED,
    SHIFT_LOST_WHOLE, SHIFT_ROSTERED,
};
pub use response::Attendance;
use response::Unit;
pub use staff::StaffResult;

const NONE: u32 = u32::MAX;
/// The unit named in the steps of a mutual aid unit (it has no slot among the force's units).
pub const AID_UNIT: u32 = u32::MAX - 1;

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
    /// Appointment officers' sessions in the window, and those lost to shrinkage.
    pub sessions: SessionCount,
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
    /// Per response team with a minimum: officers backfilled from the neighbourhood, and
    /// places left unfilled (empty without a minimum).
    pub backfill: Vec<[u64; 2]>,
    /// Follow-up streams, in the scenario's order.
    pub work: Vec<StreamResult>,
    /// Overtime call-ins of each workgroup's staff, in the scenario's order (zero without the
    /// policy; empty without follow-up work).
    pub work_overtime: Vec<GroupOvertimeResult>,
    /// Per workgroup, with staff duties or shrinkage (else empty).
    pub staff: Vec<StaffResult>,
    /// Dispatchers (when the scenario has them).
    pub desk: Option<DeskResult>,
    /// Response units' duties, shrinkage, and their time on duty by cause.
    pub duties: DutyResult,
    /// Mutual aid (zero without it).
    pub aid: AidResult,
    /// Incidents deferred or downgraded under load (zero without the rule).
    pub deferral: DeferralResult,
    /// Overtime call-ins of response units (zero without the policy).
    pub overtime: overtime::UnitOvertimeResult,
}

/// What deferral and downgrading did to measured incidents in one replication.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeferralResult {
    /// S incidents deferred to an appointment (each a T4 miss).
    pub deferred: u64,
    /// E incidents downgraded: resolved without an appointment (each a T5 miss).
    pub downgraded: u64,
}

/// A step of the field side, recorded when tracing. A mutual aid unit is named `AID_UNIT`: it
/// arrives (when it stays) and clears (when it took one of the incident's places).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Created {
        at: Time,
        call: u64,
    },
    Dispatched {
        at: Time,
        call: u64,
        unit: u32,
    },
    Arrived {
        at: Time,
        call: u64,
        unit: u32,
    },
    Cleared {
        at: Time,
        call: u64,
        unit: u32,
    },
    Diverted {
        at: Time,
        call: u64,
        unit: u32,
    },
    Queued {
        at: Time,
        call: u64,
    },
    Booked {
        at: Time,
        call: u64,
        slot: Time,
    },
    /// An S incident deferred under load (its booking follows).
    Deferred {
        at: Time,
        call: u64,
    },
    /// An E incident downgraded under load: resolved without an appointment.
    Downgraded {
        at: Time,
        call: u64,
    },
}

pub struct Field<'s> {
    spec: &'s Spec,
    cal: Calendar,
    draws: incident::Draws,
    incidents: incident::Incidents,
    units: response::Units,
    desk: Option<dispatch::Desk>,
    appointments: appointments::Book,
    pub result: ResponseResult,
    pub trace: Option<Vec<Step>>,
    /// Steps for the per-call records since the contact centre last took them (units by
    /// serial number).
    pub records: Option<Vec<Step>>,
    /// Measured incidents not yet attended or booked.
    pub outstanding: u64,
    hood: Option<neighbourhood::Hood<'s>>,
    backfill: Option<backfill::Backfill>,
    work: Option<followup::Work<'s>>,
    aid: Option<aid::Aid>,
    overtime: Option<overtime::UnitCallIn>,
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
    /// Workgroup server, its epoch above the staff duty's four bits: the duty falls due.
    StaffDutyDue(u32, u32),
    DispatcherShiftStart,
    DispatcherShiftEnd(u32),
    /// A dispatcher has done its incident's work.
    DispatchDone(u32),
    /// A break or weekly duty falls due: unit and duty in one word, the unit's serial.
    DutyDue(u32, u32),
    /// Unit, epoch: its duty is over.
    DutyEnd(u32, u32),
    /// Incident, generation: time to consider calling mutual aid.
    AidCheck(u32, u32),
    /// An aid unit (its slot) reaches its incident, clears it, is back at its base.
    AidArrive(u32),
    AidClear(u32),
    AidBack(u32),
    /// Overtime of units: the queue may have stayed above the level long enough (the
    /// generation of the crossing that set the check).
    OvertimeCheck(u32),
    /// A call-in's units start.
    OvertimeArrive,
    /// Overtime of a workgroup's staff (the group): its backlog may have stayed above the level
    /// long enough (the generation of the crossing that set the check).
    GroupOvertimeCheck(u32, u32),
    /// A call-in's staff come on duty in the group.
    GroupOvertimeArrive(u32),
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

/// The index drawn by a uniform u from cumulative shares (the last index for u rounding past 1):
/// the number of shares up to u, as they never decrease (shares and weights are at least 0). A
/// short list (a grade or category mix) is counted straight through, without branches; a long
/// one (the wards) searched by halves, which gives the same index.
#[inline]
fn pick(cum: &[f64], u: f64) -> usize {
    let last = cum.len() - 1;
    if last < 8 {
        cum[..last].iter().map(|c| usize::from(*c <= u)).sum()
    } else {
        cum.partition_point(|c| *c <= u).min(last)
    }
}

/// The index that [`pick`] gives from cumulative shares for every uniform in [0, 1), when
/// there is one: every share but the last is 0 or less (counted at any `u`) or 1 or more
/// (counted at none). A single ward, a mix with one grade, a grade with one category. A draw
/// from a keyed part of its own (see [`crate::rng::Keyed::part`]) can then be left out: no
/// other draw moves, and the index is the one the uniform would have given.
fn sure_pick(cum: &[f64]) -> Option<usize> {
    let head = &cum[..cum.len() - 1];
    head.iter()
        .all(|&c| c <= 0.0 || c >= 1.0)
        .then(|| head.iter().filter(|&&c| c <= 0.0).count())
}

/// A short mix (grades, categories) as running shares, and its sure index if it has one.
#[derive(Clone, Copy)]
pub(super) struct Mix<const N: usize> {
    cum: [f64; N],
    sure: Option<usize>,
}

impl<const N: usize> Mix<N> {
    /// The mix of `shares`, summed in order.
    pub(super) fn new(shares: &[f64; N]) -> Self {
        let mut cum = [0.0; N];
        let mut acc = 0.0;
        for (k, x) in shares.iter().enumerate() {
            acc += x;
            cum[k] = acc;
        }
        Mix {
            cum,
            sure: sure_pick(&cum),
        }
    }

    /// The index drawn by the first uniform of `key` (not drawn when the index is sure).
    #[inline]
    pub(super) fn pick_keyed(&self, key: &Keyed) -> usize {
        self.sure
            .unwrap_or_else(|| pick(&self.cum, key.clone().random::<f64>()))
    }
}

/// The cumulative shares of a long list (the wards) with a guide table, so that drawing an
/// index takes a lookup and a step or two rather than a search by halves. `pick` gives exactly
/// what [`pick`] gives on the same shares: the guide's entry `j` is `pick` at `j / G` (`G` a
/// power of two, so the division is exact), the index for any `u` at or above it is no lower,
/// and the walk from there stops at the first share above `u`, as `pick` does.
pub(super) struct Guided {
    cum: Vec<f64>,
    guide: Vec<u32>,
    sure: Option<usize>,
}

impl Guided {
    pub(super) fn new(cum: Vec<f64>) -> Self {
        let g = cum.len().next_power_of_two();
        let guide = (0..g)
            .map(|j| pick(&cum, j as f64 / g as f64) as u32)
            .collect();
        let sure = sure_pick(&cum);
        Guided { cum, guide, sure }
    }

    /// As [`Mix::pick_keyed`].
    #[inline]
    pub(super) fn pick_keyed(&self, key: &Keyed) -> usize {
        self.sure
            .unwrap_or_else(|| self.pick(key.clone().random::<f64>()))
    }

    #[inline]
    pub(super) fn pick(&self, u: f64) -> usize {
        let g = self.guide.len();
        let last = self.cum.len() - 1;
        let mut i = self.guide[((u * g as f64) as usize).min(g - 1)] as usize;
        while i < last && self.cum[i] <= u {
            i += 1;
        }
        i
    }
}

/// An exponential gap (ms of time on duty) to the next start of a Poisson process of
/// `per_week` starts a week, for someone on duty `weekly_duty_ms` a week: abstractions and
/// duties at a weekly rate, of neighbourhood members and of response crews.
fn gap(rng: &mut ChaCha8Rng, per_week: f64, weekly_duty_ms: u64) -> u64 {
    if per_week <= 0.0 || weekly_duty_ms == 0 {
        return u64::MAX;
    }
    let u: f64 = rng.random();
    let mean = weekly_duty_ms as f64 / per_week;
    (-(1.0 - u).ln() * mean).round().min(u64::MAX as f64 / 2.0) as u64
}

/// Target `id`'s time (ms) when it is an elapsed time, else never.
fn elapsed_target(sc: &Scenario, id: &str) -> u64 {
    match sc.target(id).time {
        Some(Deadline::Elapsed(d)) => d.0,
        _ => u64::MAX,
    }
}

impl<'s> Field<'s> {
    pub fn new(sc: &'s Scenario, spec: &'s Spec, seed: u64) -> Self {
        let cal = Calendar::new(sc.run.start);
        Field {
            spec,
            cal,
            draws: incident::Draws::new(spec, seed),
            incidents: incident::Incidents::new(spec.sectors.len()),
            units: response::Units::new(sc, spec, seed, &cal),
            desk: dispatch::Desk::new(sc, spec, &cal),
            appointments: appointments::Book::new(sc, spec, &cal, seed),
            result: ResponseResult {
                by_ward: vec![Default::default(); spec.wards.len()],
                by_hour: vec![Default::default(); 168],
                ..Default::default()
            },
            trace: None,
            records: None,
            outstanding: 0,
            hood: sc
                .neighbourhood
                .as_ref()
                .map(|n| neighbourhood::Hood::new(sc, n, seed, &cal)),
            backfill: backfill::Backfill::new(sc, spec),
            work: (!sc.followup.is_empty()).then(|| followup::Work::new(sc, spec, seed, &cal)),
            aid: aid::Aid::new(spec, seed),
            overtime: overtime::UnitCallIn::new(sc, spec),
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
        self.units_start(q);
        self.desk_start(q);
        self.hood_start(q);
        self.work_start(q);
    }

    #[inline]
    fn log(&mut self, step: Step) {
        if let Some(t) = &mut self.trace {
            t.push(step);
        }
        if self.records.is_some() {
            self.record(step);
        }
    }

    pub fn handle(&mut self, q: &mut impl Schedule, now: Time, e: FieldEvent) -> bool {
        let live = self.handle_event(q, now, e);
        self.overtime_sync(q, now);
        live
    }

    fn handle_event(&mut self, q: &mut impl Schedule, now: Time, e: FieldEvent) -> bool {
        match e {
            FieldEvent::Create(i) => self.on_create(q, now, i),
            FieldEvent::Arrive(u, g) => return self.on_arrive(q, now, u, g),
            FieldEvent::Clear(u, g) => return self.on_clear(q, now, u, g),
            FieldEvent::Free(u, g) => return self.on_free(q, now, u, g),
            FieldEvent::ShiftStart => self.on_shift_start(q, now),
            FieldEvent::ShiftEnd(u) => self.on_shift_end(now, u),
            FieldEvent::AppointmentHeld => self.on_appointment_held(now),
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
            FieldEvent::GroupShiftEnd(sv) => self.on_group_shift_end(now, sv),
            FieldEvent::StaffDutyDue(sv, v) => self.on_staff_duty_due(q, now, sv, v),
            FieldEvent::DispatcherShiftStart => self.on_dispatcher_shift_start(q, now),
            FieldEvent::DispatcherShiftEnd(d) => self.on_dispatcher_shift_end(now, d),
            FieldEvent::DispatchDone(d) => self.on_dispatch_done(q, now, d),
            FieldEvent::DutyDue(tag, serial) => self.on_duty_due(q, now, tag, serial),
            FieldEvent::DutyEnd(u, g) => return self.on_duty_end(q, now, u, g),
            FieldEvent::AidCheck(i, generation) => self.on_aid_check(q, now, i, generation),
            FieldEvent::AidArrive(slot) => self.on_aid_arrive(q, now, slot),
            FieldEvent::AidClear(slot) => self.on_aid_clear(q, now, slot),
            FieldEvent::AidBack(slot) => self.on_aid_back(slot),
            FieldEvent::OvertimeCheck(g) => self.on_overtime_check(q, now, g),
            FieldEvent::OvertimeArrive => self.on_overtime_arrive(q, now),
            FieldEvent::GroupOvertimeCheck(g, generation) => {
                self.on_group_overtime_check(q, now, g, generation)
            }
            FieldEvent::GroupOvertimeArrive(g) => self.on_group_overtime_arrive(q, now, g),
        }
        true
    }

    /// Closes the time integrals at the end of the run. Incidents never attended were counted
    /// when their calls were answered, so they stand as misses.
    pub fn finish(&mut self, end: Time) {
        self.units.finish(end, &self.cal, &mut self.result);
        self.desk_finish(end);
        self.book_finish(end);
        self.hood_finish(end);
        self.work_finish(end);
        self.result.hood = self.hood.take().map(|h| h.result);
        if let Some(b) = &mut self.backfill {
            self.result.backfill = std::mem::take(&mut b.result);
        }
        if let Some(st) = self.work_staff() {
            self.result.staff = std::mem::take(&mut st.result);
        }
        if let Some(w) = self.work.take() {
            self.result.work = w.result;
            self.result.work_overtime = w.overtime;
        }
    }
}

#[cfg(test)]
mod pick_tests {
    use super::*;
    use rand::RngExt;

    /// The guided draw gives the index the plain one gives, for lists of 1 to 700 shares with
    /// zero weights and runs of equal shares among them, at random uniforms and at every share
    /// itself (where `<=` decides), and at the guide's own points.
    #[test]
    fn the_guided_draw_is_the_plain_draw() {
        let mut rng = crate::rng::rng(7, 0);
        for n in (1..40).chain([63, 64, 65, 640, 700]) {
            let weights: Vec<f64> = (0..n)
                .map(|_| match rng.random_range(0..4) {
                    0 => 0.0,
                    1 => 1.0,
                    _ => rng.random::<f64>(),
                })
                .collect();
            let cum = cumulative(weights.into_iter());
            let guided = Guided::new(cum.clone());
            let g = cum.len().next_power_of_two();
            let mut us: Vec<f64> = (0..2000).map(|_| rng.random::<f64>()).collect();
            us.extend(cum.iter().copied().filter(|&c| c < 1.0));
            us.extend((0..g).map(|j| j as f64 / g as f64));
            us.push(1.0 - f64::EPSILON / 2.0);
            for u in us {
                assert_eq!(guided.pick(u), pick(&cum, u), "{n} shares, u = {u}");
            }
        }
    }

    /// A sure index is the one every uniform in [0, 1) picks, and lists where two uniforms
    /// pick differently have none: lists of 1 to 12 shares, each 0, 1 or between, running and
    /// normalised, at the shares themselves, just below and above them, 0, just below 1 and
    /// 2,000 random uniforms.
    #[test]
    fn a_sure_pick_is_what_every_uniform_picks() {
        let mut rng = crate::rng::rng(11, 0);
        let (mut sure, mut unsure) = (0, 0);
        for _ in 0..3000 {
            let n = rng.random_range(1..13);
            let weights: Vec<f64> = (0..n)
                .map(|_| match rng.random_range(0..6) {
                    0..=2 => 0.0,
                    3 => 1.0,
                    _ => rng.random::<f64>(),
                })
                .collect();
            let cum = if rng.random::<bool>() {
                cumulative(weights.into_iter())
            } else {
                let mut acc = 0.0;
                weights
                    .iter()
                    .map(|w| {
                        acc += w;
                        acc
                    })
                    .collect()
            };
            let mut us: Vec<f64> = (0..2000).map(|_| rng.random::<f64>()).collect();
            // A share, and the floats just below and above it.
            let near = |c: f64, d: i64| f64::from_bits((c.to_bits() as i64 + d) as u64);
            for &c in &cum {
                us.extend(
                    [c, near(c, -1), near(c, 1)]
                        .into_iter()
                        .filter(|u| (0.0..1.0).contains(u)),
                );
            }
            us.extend([0.0, 1.0 - f64::EPSILON / 2.0]);
            let picks: Vec<usize> = us.iter().map(|&u| pick(&cum, u)).collect();
            match sure_pick(&cum) {
                Some(i) => {
                    sure += 1;
                    assert!(
                        picks.iter().all(|&p| p == i),
                        "{cum:?}: sure {i}, picks differ"
                    );
                    assert_eq!(Guided::new(cum.clone()).sure, Some(i));
                }
                None => {
                    unsure += 1;
                    assert!(
                        picks.iter().any(|&p| p != picks[0]),
                        "{cum:?}: one index, not found sure"
                    );
                }
            }
        }
        assert!(sure > 300 && unsure > 300, "{sure} sure, {unsure} not");
    }
}
