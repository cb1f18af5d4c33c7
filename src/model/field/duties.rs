//! Response crews' time beyond calls for service: duties (briefings, refreshment breaks,
//! station time, partnership work, custody, files), shrinkage of rostered unit-shifts, and the
//! cause of every minute of a unit's time on duty.
//!
//! Rules, in one place:
//! - Shrinkage: each rostered unit-shift is lost (the unit never comes on duty) with the
//!   response role's leave + sickness + training share, drawn in order of shift starts from
//!   one stream. Units on duty at all times (`constant`) have no shifts: no shrinkage, no
//!   shift-start duties and no breaks.
//! - A unit coming on duty does its shift-start duties first, in the scenario's order.
//! - A break falls due `after` into the shift. An idle unit starts it at once; a busy one owes
//!   it (or drops it, with `if_busy = "drop"`) and takes it when next free with no incident
//!   waiting; a break not started by `latest` into the shift is missed.
//! - A duty at a weekly rate falls due as a Poisson process over each unit's time on duty, and
//!   is then started, owed or dropped as a break is (owed ones have no latest time).
//! - After an incident, each after-incident duty is done with its probability (by the
//!   incident's category where given, else by its grade), decided by a draw keyed by the
//!   call, the duty and the unit's order of clearing, so that the same incident gives the same
//!   decisions and lengths in every option. They are done in the scenario's order, before the
//!   incident's paperwork, and cannot be interrupted.
//! - Owed duties are taken oldest first, after any waiting incident.
//! - An emergency (grade I) that finds no idle unit takes the nearest unit on an interruptible
//!   duty, by the same choice of sectors as for idle units, before any diversion. The duty is
//!   owed again at the front: its remaining time (`interrupted = "resume"`) or its whole
//!   length (`"restart"`).
//! - A duty at a place (`base`, `custody`) starts with the drive there at the sector's home
//!   speed (see `response`); the unit is then at that place. Custody is at the nearest custody suite, or
//!   the sector's base when the scenario has none.
//! - A unit whose shift ends during an interruptible duty goes off duty at once; during any
//!   other, it finishes first. Duties still owed at the end of a shift are missed.
//! - Every minute of a unit's time on duty has one cause: available (idle), travel, on scene,
//!   paperwork, or its duty's cause. Their sum is the units' time on duty.

use super::response::UState;
use super::*;
use crate::scenario::officers::{
    CAUSES, Duty, IfBusy, Officers, Place, ROLE_RESPONSE, Shrinkage, When,
};

/// The causes of a response unit's time on duty, in the order of the output.
pub const UNIT_CAUSES: [&str; 10] = [
    "available",
    "travel",
    "on_scene",
    "paperwork",
    "briefing",
    "refreshment",
    "station",
    "partnership",
    "custody",
    "files",
];
pub(super) const AVAILABLE: u8 = 0;
pub(super) const TRAVEL: u8 = 1;
pub(super) const ON_SCENE: u8 = 2;
pub(super) const PAPERWORK: u8 = 3;
pub(super) const FIRST_DUTY: u8 = 4;

/// A duty owed by a unit.
#[derive(Clone, Copy, Debug)]
pub(super) struct Owed {
    pub(super) duty: u8,
    /// Its length (without any drive).
    pub(super) ms: u64,
    /// Missed if not started by then.
    pub(super) latest: Time,
}

/// What the response units' duties and shrinkage measure in one replication.
#[derive(Clone, Debug, Default)]
pub struct DutyResult {
    /// Unit time on duty by cause ([`UNIT_CAUSES`]), inside the window.
    pub cause_ms: [u64; 10],
    /// Per sector: unit time on duty by cause ([`UNIT_CAUSES`]), inside the window.
    pub sector_ms: Vec<[u64; 10]>,
    /// Rostered unit-shifts starting in the window, and those lost (leave, sickness, training).
    pub rostered_shifts: u64,
    pub lost_shifts: [u64; 3],
    /// Per duty of the scenario (response duties only; others stay 0): started, interrupted,
    /// missed (owed and never started), dropped (due while busy, with `if_busy = "drop"`).
    pub started: Vec<u64>,
    pub interrupted: Vec<u64>,
    pub missed: Vec<u64>,
    pub dropped: Vec<u64>,
}

pub(super) struct RDuty {
    spec: Duty,
    sampler: Sampler,
    lengths: ChaCha8Rng,
    gaps: ChaCha8Rng,
}

pub(super) struct Duties {
    /// The scenario's duties (all of them, so that indices match); `response[d]` marks those
    /// of response crews.
    list: Vec<RDuty>,
    response: Vec<bool>,
    shrinkage: Shrinkage,
    shrink_rng: ChaCha8Rng,
    suites: Vec<(f64, f64)>,
    /// Keyed by call: after-incident duties (see `purpose::CALL_DUTY_AFTER`).
    after: KeyedStream,
    any: bool,
    any_after: bool,
    any_interruptible: bool,
    serial: u32,
    lo: Time,
    hi: Time,
    pub(super) result: DutyResult,
}

impl Duties {
    pub(super) fn new(sc: &Scenario, seed: u64) -> Self {
        let o: &Officers = &sc.officers;
        let list: Vec<RDuty> = o
            .duties
            .iter()
            .enumerate()
            .map(|(d, spec)| RDuty {
                spec: spec.clone(),
                sampler: Sampler::new(&spec.length),
                lengths: rng::rng(seed, rng::stream(purpose::DUTY_LENGTH, d as u64)),
                gaps: rng::rng(seed, rng::stream(purpose::DUTY_GAP, d as u64)),
            })
            .collect();
        let response: Vec<bool> = o.duties.iter().map(|d| d.roles[ROLE_RESPONSE]).collect();
        let n = list.len();
        let of =
            |f: &dyn Fn(&Duty) -> bool| o.duties.iter().any(|d| d.roles[ROLE_RESPONSE] && f(d));
        Duties {
            any: response.iter().any(|r| *r),
            any_after: of(&|d| matches!(d.when, When::AfterIncident { .. })),
            any_interruptible: of(&|d| d.interruptible),
            list,
            response,
            shrinkage: o.shrinkage[ROLE_RESPONSE],
            shrink_rng: rng::rng(seed, rng::stream(purpose::UNIT_SHRINKAGE, 0)),
            suites: o.custody_suites.iter().map(|s| s.at).collect(),
            after: KeyedStream::new(seed, rng::stream(purpose::CALL_DUTY_AFTER, 0)),
            serial: 0,
            lo: sc.run.warm_up.0,
            hi: sc.run.horizon.0,
            result: DutyResult {
                sector_ms: vec![[0; 10]; sc.response.as_ref().map_or(0, |r| r.sectors.len())],
                started: vec![0; n],
                interrupted: vec![0; n],
                missed: vec![0; n],
                dropped: vec![0; n],
                ..Default::default()
            },
        }
    }

    pub(super) fn next_serial(&mut self) -> u32 {
        self.serial = self.serial.wrapping_add(1);
        self.serial
    }

    /// Whether response crews have any duty.
    pub(super) fn any(&self) -> bool {
        self.any
    }
    pub(super) fn any_after(&self) -> bool {
        self.any_after
    }
    pub(super) fn any_interruptible(&self) -> bool {
        self.any_interruptible
    }

    pub(super) fn cause_of(&self, d: u8) -> u8 {
        self.list[d as usize].spec.cause as u8
    }

    pub(super) fn interruptible(&self, d: u8) -> bool {
        self.list
            .get(d as usize)
            .is_some_and(|x| x.spec.interruptible)
    }

    fn in_window(&self, t: Time) -> bool {
        (self.lo..self.hi).contains(&t)
    }

    /// Time from `since` to `now` of a unit of `sector` goes to `cause` (the part inside the
    /// window).
    pub(super) fn credit(&mut self, sector: u32, cause: u8, since: Time, now: Time) {
        let (a, b) = (since.max(self.lo), now.min(self.hi));
        if b > a {
            self.result.cause_ms[cause as usize] += b - a;
            self.result.sector_ms[sector as usize][cause as usize] += b - a;
        }
    }

    /// Officer-shifts counted for a shift starting at `begun`: those starting in the window.
    fn counted(&self, begun: i64, officers: u32) -> u64 {
        u64::from(officers) * u64::from(begun >= 0 && self.in_window(begun as Time))
    }

    /// One shrinkage draw for `counted` officer-shifts: whether they are lost (and counted so).
    fn lost(&mut self, counted: u64) -> bool {
        if self.shrinkage.is_none() {
            return false;
        }
        let u: f64 = self.shrink_rng.random();
        let cause = self.shrinkage.cause(u);
        if let Some(c) = cause {
            self.result.lost_shifts[c] += counted;
        }
        cause.is_some()
    }

    /// Whether a rostered unit-shift of `crew` officers starting at `begun` is lost to
    /// shrinkage (the whole unit), counting its officer-shifts.
    pub(super) fn shift_lost(&mut self, begun: i64, crew: u32) -> bool {
        let counted = self.counted(begun, crew);
        self.result.rostered_shifts += counted;
        self.lost(counted)
    }

    /// Of `rostered` officers on a shift starting at `begun`, those not lost to shrinkage (each
    /// drawn on its own), counting the officer-shifts.
    pub(super) fn officers_present(&mut self, rostered: u32, begun: i64) -> u32 {
        let counted = self.counted(begun, 1);
        self.result.rostered_shifts += counted * u64::from(rostered);
        (0..rostered).filter(|_| !self.lost(counted)).count() as u32
    }

    fn length(&mut self, d: usize) -> u64 {
        let x = &mut self.list[d];
        x.sampler.sample(&mut x.lengths)
    }

    /// The after-incident duties a unit does after clearing the incident of `call` (the `nth`
    /// unit to clear it), with their lengths, last first (they are popped from the end).
    pub(super) fn after_incident(
        &self,
        call: u64,
        grade: u8,
        category: u8,
        nth: u8,
    ) -> Vec<(u8, u64)> {
        let mut out = Vec::new();
        for (d, x) in self.list.iter().enumerate() {
            let When::AfterIncident {
                by_grade,
                by_category,
            } = &x.spec.when
            else {
                continue;
            };
            if !self.response[d] {
                continue;
            }
            let p = by_category[category as usize]
                .unwrap_or_else(|| by_grade.get(grade as usize).copied().unwrap_or(0.0));
            if p <= 0.0 {
                continue;
            }
            let key = (call << 5) | ((d as u64) << 1) | u64::from(nth.min(1));
            let mut r = self.after.at(key);
            let u: f64 = r.random();
            if u < p {
                out.push((d as u8, x.sampler.sample(&mut r)));
            }
        }
        out.reverse();
        out
    }

    /// Duties still owed at the end of a shift are missed.
    pub(super) fn forgo(&mut self, owed: &mut Vec<Owed>, now: Time) {
        if self.in_window(now) {
            for o in owed.iter() {
                self.result.missed[o.duty as usize] += 1;
            }
        }
        owed.clear();
    }
}

impl Field<'_> {
    /// A unit comes on duty (`shift`: when its shift began and ends; None for a unit on duty
    /// at all times): its weekly duties' clocks start, its breaks are scheduled, and its first
    /// shift-start duty begins. Returns whether it is on a duty.
    pub(super) fn unit_on_duty(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        shift: Option<(i64, Time)>,
    ) -> bool {
        let serial = self.units[u].serial;
        let end = shift.map_or(Time::MAX, |(_, e)| e);
        let mut starts: Vec<(u8, u64)> = Vec::new();
        for d in 0..self.units.duties.list.len() {
            if !self.units.duties.response[d] {
                continue;
            }
            match self.units.duties.list[d].spec.when {
                When::ShiftStart if shift.is_some() => {
                    let ms = self.units.duties.length(d);
                    starts.push((d as u8, ms));
                }
                When::Break { after, .. } => {
                    if let Some((begun, _)) = shift {
                        let due = (begun + after.0 as i64).max(now as i64) as Time;
                        if due < end {
                            q.at(due, FieldEvent::DutyDue(due_tag(u, d), serial));
                        }
                    }
                }
                When::PerWeek { per_week } => {
                    let due = now.saturating_add(self.weekly_gap(d, per_week));
                    if due < end {
                        q.at(due, FieldEvent::DutyDue(due_tag(u, d), serial));
                    }
                }
                _ => {}
            }
        }
        if starts.is_empty() {
            return false;
        }
        starts.reverse();
        self.units[u].next = starts;
        self.next_after(q, now, u);
        true
    }

    /// A unit is on duty all the time it exists: its weekly duty time is the week.
    fn weekly_gap(&mut self, d: usize, per_week: f64) -> u64 {
        gap(&mut self.units.duties.list[d].gaps, per_week, WEEK)
    }

    /// A break or weekly duty falls due for unit `u` (if it is still the unit of `serial`).
    pub(super) fn on_duty_due(&mut self, q: &mut impl Schedule, now: Time, tag: u32, serial: u32) {
        let (u, d) = (tag & 0x00FF_FFFF, (tag >> 24) as usize);
        let Some(unit) = self.units.slots_get(u) else {
            return;
        };
        if unit.serial != serial || unit.state == UState::Free || unit.shift_over {
            return;
        }
        let spec = &self.units.duties.list[d].spec;
        let (if_busy, when) = (spec.if_busy, spec.when.clone());
        let latest = match when {
            When::Break { latest, .. } => self.units[u]
                .started
                .map_or(Time::MAX, |s| s.saturating_add(latest.0)),
            When::PerWeek { per_week } => {
                // The next one of the Poisson process.
                let due = now.saturating_add(self.weekly_gap(d, per_week));
                q.at(due, FieldEvent::DutyDue(tag, serial));
                Time::MAX
            }
            _ => Time::MAX,
        };
        let ms = self.units.duties.length(d);
        if self.units[u].state == UState::Idle {
            if let Some(at) = self.returning_at(u, now) {
                self.units[u].pos = at;
                self.units[u].arrive = now;
            }
            self.remove_idle(u);
            self.units.busy.add(now, 1, &self.cal);
            self.start_duty(q, now, u, d as u8, ms);
        } else if if_busy == IfBusy::Drop {
            if self.units.duties.in_window(now) {
                self.units.duties.result.dropped[d] += 1;
            }
        } else {
            self.units[u].owed.push(Owed {
                duty: d as u8,
                ms,
                latest,
            });
        }
    }

    /// Unit `u` (counted busy, in no list) starts duty `d` of `ms` (plus any drive).
    fn start_duty(&mut self, q: &mut impl Schedule, now: Time, u: u32, d: u8, ms: u64) {
        let spec = &self.units.duties.list[d as usize].spec;
        let (place, interruptible) = (spec.place, spec.interruptible);
        let unit = &self.units[u];
        let sector = unit.sector as usize;
        let here = unit.pos;
        let to = match place {
            Place::Here => here,
            Place::Base => self.spec.sectors[sector].base,
            Place::Custody => self.custody_for(here, sector),
        };
        let drive = self.drive_in(sector, here, to);
        let end = now.saturating_add(drive).saturating_add(ms);
        let unit = &mut self.units[u];
        unit.duty = d;
        unit.duty_end = end;
        unit.duty_work = ms;
        unit.pos = to;
        let epoch = unit.epoch;
        self.units.set(u, now, UState::Duty);
        if interruptible {
            self.units.pausable.insert(sector, u);
        }
        if self.units.duties.in_window(now) {
            self.units.duties.result.started[d as usize] += 1;
        }
        q.at(end, FieldEvent::DutyEnd(u, epoch));
    }

    /// The nearest custody suite to `p`, or the sector's base when there is none.
    fn custody_for(&self, p: (f64, f64), sector: usize) -> (f64, f64) {
        let m = self.spec.metric;
        self.units
            .duties
            .suites
            .iter()
            .copied()
            .min_by(|a, b| m.distance(p, *a).total_cmp(&m.distance(p, *b)))
            .unwrap_or(self.spec.sectors[sector].base)
    }

    /// Unit `u`'s duty is over (if `epoch` is still its own).
    pub(super) fn on_duty_end(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        epoch: u32,
    ) -> bool {
        let unit = &self.units[u];
        if unit.epoch != epoch || unit.state != UState::Duty {
            return false;
        }
        if self.units.pausable.contains(u) {
            self.units.pausable.remove(unit.sector as usize, u);
        }
        self.next_after(q, now, u);
        true
    }

    /// Takes unit `u` off its duty now (it is interruptible), crediting its time.
    pub(super) fn stop_duty(&mut self, u: u32) {
        if self.units.pausable.contains(u) {
            self.units.pausable.remove(self.units[u].sector as usize, u);
        }
        let unit = &mut self.units[u];
        unit.epoch = unit.epoch.wrapping_add(1);
        // The time so far goes to the duty: `set` credits it when the state next changes.
    }

    /// Unit `u` on an interruptible duty is taken for an emergency: the duty is owed again.
    pub(super) fn interrupt(&mut self, now: Time, u: u32) {
        self.stop_duty(u);
        let unit = &self.units[u];
        let d = unit.duty;
        let resume = self.units.duties.list[d as usize].spec.resume;
        let ms = if resume {
            unit.duty_end.saturating_sub(now).min(unit.duty_work)
        } else {
            unit.duty_work
        };
        self.units[u].owed.insert(
            0,
            Owed {
                duty: d,
                ms,
                latest: Time::MAX,
            },
        );
        if self.units.duties.in_window(now) {
            self.units.duties.result.interrupted[d as usize] += 1;
        }
    }

    /// Unit `u` goes on to its next after-incident (or shift-start) duty, then its paperwork,
    /// then is free.
    pub(super) fn next_after(&mut self, q: &mut impl Schedule, now: Time, u: u32) {
        if let Some((d, ms)) = self.units[u].next.pop() {
            self.start_duty(q, now, u, d, ms);
            return;
        }
        let paperwork = std::mem::take(&mut self.units[u].paperwork_after);
        self.paperwork_or_free(q, now, u, paperwork);
    }

    /// Unit `u`, just free (counted idle, in no list) with no incident waiting, takes the
    /// oldest duty it owes that is not past its latest time. Returns whether it did.
    pub(super) fn take_owed(&mut self, q: &mut impl Schedule, now: Time, u: u32) -> bool {
        while !self.units[u].owed.is_empty() {
            let o = self.units[u].owed.remove(0);
            if now > o.latest {
                if self.units.duties.in_window(now) {
                    self.units.duties.result.missed[o.duty as usize] += 1;
                }
                continue;
            }
            self.units.busy.add(now, 1, &self.cal);
            self.start_duty(q, now, u, o.duty, o.ms);
            return true;
        }
        false
    }

    /// The unit on an interruptible duty nearest to `pos`, by the dispatch policy's choice of
    /// sectors.
    pub(super) fn nearest_on_duty(&self, ward: usize, home: usize, pos: (f64, f64)) -> Option<u32> {
        let spec = self.spec;
        super::whereabouts::by_policy(spec, ward, home, |sectors| {
            let mut best: Option<(f64, u32)> = None;
            for s in sectors {
                for &u in &self.units.pausable.lists[s] {
                    let d = spec.metric.distance(self.units[u].pos, pos);
                    if best.is_none_or(|(b, _)| d < b) {
                        best = Some((d, u));
                    }
                }
            }
            best.map(|(_, u)| u)
        })
    }
}

/// A unit and a duty in one event word (units below 2^24, duties below 2^8).
fn due_tag(u: u32, d: usize) -> u32 {
    debug_assert!(u < 1 << 24 && d < 256);
    u | ((d as u32) << 24)
}

const _: () = assert!(CAUSES.len() + FIRST_DUTY as usize == UNIT_CAUSES.len());
