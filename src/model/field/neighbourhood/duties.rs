//! Neighbourhood members' duties and shrinkage (`[officers]`, roles sergeant, pc and pcso).
//!
//! Rules, in one place:
//! - Shrinkage: each rostered shift of a member is drawn, from the member's own stream, as
//!   worked, lost to leave, lost to sickness, or a training shift, with the role's shares.
//!   A shift lost to leave or sickness is not on duty at all (duty time is rostered time less
//!   leave and sickness); a training shift is on duty, all of it `training`, with no briefing
//!   or break. Shifts under way at the start of the run are drawn too. Rostered and lost shifts
//!   are counted by the time they start (0 for those under way at the start).
//! - A shift-start duty (a briefing) is the first thing of each worked shift; one due while the
//!   member is still busy from the last shift waits (`defer`) or is not done (`drop`).
//! - A break falls due `after` into each worked shift: taken at once if the member is free,
//!   else when next free (`defer`) provided that is by `latest` into the shift; otherwise it is
//!   missed, as is one still waiting at the shift's end, and one due while busy with `drop`.
//! - A duty per week comes as a Poisson process over the member's time on duty (as the planned
//!   abstractions do): taken at once if free; if busy, when next free (`defer`) or not at all
//!   (`drop`).
//! - Duties waiting are taken in the order they fell due, before a waiting abstraction or desk
//!   task; those still waiting at the shift's end are not done. Shift-start, break and weekly
//!   duties end at the shift's end at the latest.
//! - After an incident a member was sent to: each after-incident duty of the member's role
//!   follows the incident's paperwork, with the probability of the incident's category where
//!   the duty gives one, else of its grade, in the order the duties are listed. They are
//!   finished even past the shift's end.
//! - Place: `here` is where the member is (their ward, or the incident). `base` (the sector's
//!   base) and `custody` (the custody suite nearest to where the member is, or the sector's
//!   base when the scenario has none) are driven to at the priority (S) speed of the member's
//!   ward type, in straight-line distance under the scenario's metric, and the drive is part of
//!   the duty. From the ward, the drive there and back is the duty's; after an incident, the
//!   drive from the incident there, and the drive from the last place back to the ward's
//!   centre, counted in the last duty (instead of the drive back as `response`).
//! - Abstraction to response takes a free member; failing that, for an emergency (grade I),
//!   the nearest member on a duty marked `interruptible` (a shift-start, break or weekly duty;
//!   after-incident duties are never interrupted for members). The duty waits at the head of
//!   the member's queue, with the time it had left (`resume`) or its whole length (`restart`),
//!   and is taken when the member is next free in the shift; an interrupted break is not then
//!   missed.
//!
//! Random numbers: per duty, one stream of lengths (drawn when a duty falls due, taken or not)
//! and one of gaps (weekly duties) or of whether it is taken (after-incident duties); per
//! member, one stream of shrinkage draws. A member's draws do not depend on the response units.

use super::*;
use crate::scenario::neighbourhood::{BACKFILL, DUTY_CLASS, Member};
use crate::scenario::officers::{IfBusy, Officers, Place, When};

/// A break's due event carries this bit (with the duty's index).
pub(super) const BREAK: u32 = 1 << 29;

/// A duty waiting for its member to be free.
#[derive(Clone, Copy, Debug)]
pub(super) struct Job {
    pub class: u8,
    pub ms: u64,
    /// A break: when it fell due and the latest it may start.
    pub brk: Option<(Time, Time)>,
    /// Whether an emergency may take the member from it, and whether it then resumes (the time
    /// left) or restarts (`ms` again).
    pub interruptible: bool,
    pub resume: bool,
}

impl Job {
    fn of(duty: &crate::scenario::officers::Duty, ms: u64, brk: Option<(Time, Time)>) -> Job {
        Job {
            class: (DUTY_CLASS + duty.cause) as u8,
            ms,
            brk,
            interruptible: duty.interruptible,
            resume: duty.resume,
        }
    }
}

pub(super) struct Duties<'s> {
    officers: &'s Officers,
    /// Per duty: its length sampler and stream, and its gap (or taken) stream.
    rngs: Vec<(Sampler, ChaCha8Rng, ChaCha8Rng)>,
    /// Per member: the shrinkage stream (None where the role has no shrinkage).
    shrink: Vec<Option<ChaCha8Rng>>,
    /// Per neighbourhood role: its duties.
    by_role: [Vec<usize>; 3],
}

/// The role of `[officers]` a neighbourhood role is (after "response").
fn duty_role(role: usize) -> usize {
    role + 1
}

impl<'s> Duties<'s> {
    pub(super) fn new(sc: &'s Scenario, spec: &Neighbourhood, seed: u64) -> Self {
        let o = &sc.officers;
        let by_role = std::array::from_fn(|r| {
            o.duties_of(duty_role(r))
                .map(|(d, _)| d)
                .collect::<Vec<usize>>()
        });
        Duties {
            officers: o,
            rngs: o
                .duties
                .iter()
                .enumerate()
                .map(|(d, duty)| {
                    (
                        Sampler::new(&duty.length),
                        rng::rng(seed, rng::stream(purpose::MEMBER_DUTY_LENGTH, d as u64)),
                        rng::rng(seed, rng::stream(purpose::MEMBER_DUTY_GAP, d as u64)),
                    )
                })
                .collect(),
            shrink: spec
                .members
                .iter()
                .enumerate()
                .map(|(m, member)| {
                    (!o.shrinkage[duty_role(member.role)].is_none())
                        .then(|| rng::keyed(seed, purpose::MEMBER_SHRINKAGE, (m as u64) << 32))
                })
                .collect(),
            by_role,
        }
    }

    /// The first gap (ms on duty) of duty `d` for `member`: never unless weekly for its role.
    pub(super) fn first_gap(&mut self, d: usize, member: &Member) -> u64 {
        self.gap(d, member.role, member.weekly_duty_ms)
    }

    fn gap(&mut self, d: usize, role: usize, weekly_duty_ms: u64) -> u64 {
        let duty = &self.officers.duties[d];
        match duty.when {
            When::PerWeek { per_week } if duty.roles[duty_role(role)] => {
                gap(&mut self.rngs[d].2, per_week, weekly_duty_ms)
            }
            _ => u64::MAX,
        }
    }

    fn length(&mut self, d: usize) -> u64 {
        let (sampler, rng, _) = &mut self.rngs[d];
        sampler.sample(rng)
    }
}

impl Hood<'_> {
    /// Queues member `m`'s shift-start duties and schedules their breaks, for a worked shift
    /// that began at `begun`.
    pub(super) fn shift_duties(&mut self, q: &mut impl Schedule, now: Time, m: u32, begun: i64) {
        let role = self.spec.members[m as usize].role;
        let busy = self.members[m as usize].state == MState::Busy;
        for k in 0..self.duties.by_role[role].len() {
            let d = self.duties.by_role[role][k];
            let duty = &self.duties.officers.duties[d];
            match duty.when {
                When::ShiftStart if begun == now as i64 => {
                    let if_busy = duty.if_busy;
                    let length = self.duties.length(d);
                    if busy && if_busy == IfBusy::Drop {
                        continue;
                    }
                    let ms = length + self.away_from_ward(m, d);
                    let job = Job::of(&self.duties.officers.duties[d], ms, None);
                    self.members[m as usize].queue.push_back(job);
                }
                When::Break { after, .. } => {
                    let t = begun + after.0 as i64;
                    if t >= now as i64 {
                        q.at(t as Time, FieldEvent::Planned(m, BREAK | d as u32));
                    }
                }
                _ => {}
            }
        }
    }

    /// The drive from member `m`'s ward to duty `d`'s place and back (ms).
    fn away_from_ward(&self, m: u32, d: usize) -> u64 {
        let place = self.duties.officers.duties[d].place;
        if place == Place::Here {
            return 0;
        }
        let (at, rural) = self.ward_centre(m);
        let to = self.place(m, place, at);
        2 * self.drive(at, to, rural)
    }

    fn ward_centre(&self, m: u32) -> ((f64, f64), bool) {
        let w = &self.response.wards[self.spec.members[m as usize].ward];
        ((w.x, w.y), w.rural)
    }

    /// Where a duty at `place` is done for member `m`, who is at `from`.
    fn place(&self, m: u32, place: Place, from: (f64, f64)) -> (f64, f64) {
        let sector = self.response.wards[self.spec.members[m as usize].ward].sector;
        let base = self.response.sectors[sector].base;
        match place {
            Place::Here => from,
            Place::Base => base,
            Place::Custody => {
                let metric = self.response.metric;
                self.duties
                    .officers
                    .custody_suites
                    .iter()
                    .map(|s| s.at)
                    .min_by(|a, b| {
                        metric
                            .distance(*a, from)
                            .total_cmp(&metric.distance(*b, from))
                    })
                    .unwrap_or(base)
            }
        }
    }

    /// The drive from `a` to `b` at the priority speed (ms).
    fn drive(&self, a: (f64, f64), b: (f64, f64), rural: bool) -> u64 {
        let km = self.response.metric.distance(a, b);
        crate::time::secs_to_ms(km / self.response.speed_kmh[usize::from(rural)][GRADE_S] * 3600.0)
    }

    /// The next waiting duty member `m` can start at `now` (breaks past their latest start are
    /// missed on the way).
    pub(super) fn next_job(&mut self, m: u32, now: Time) -> Option<Job> {
        while let Some(job) = self.members[m as usize].queue.pop_front() {
            match job.brk {
                Some((due, latest)) if now > latest => self.missed(m, due),
                _ => return Some(job),
            }
        }
        None
    }

    /// The shift is over: duties still waiting are not done (breaks among them are missed).
    pub(super) fn drop_queue(&mut self, m: u32) {
        while let Some(job) = self.members[m as usize].queue.pop_front() {
            if let Some((due, _)) = job.brk {
                self.missed(m, due);
            }
        }
    }

    /// Whether member `m` is on a duty an emergency may take them from.
    pub(super) fn interruptible(&self, m: u32, now: Time) -> bool {
        let mr = &self.members[m as usize];
        mr.state == MState::Busy
            && now < mr.shift_end
            && mr.doing.is_some_and(|(job, _)| job.interruptible)
    }

    /// An emergency takes member `m` from the duty in hand (if any): it waits at the head of
    /// the queue, with the time it has left or its whole length again (a break, once started,
    /// is no longer missed).
    pub(super) fn interrupt(&mut self, m: u32, now: Time) {
        let Some((job, start)) = self.members[m as usize].doing else {
            return;
        };
        self.set_doing(m, None);
        let mr = &mut self.members[m as usize];
        let ms = if job.resume {
            job.ms.saturating_sub(now - start)
        } else {
            job.ms
        };
        mr.queue.push_front(Job {
            ms,
            brk: None,
            ..job
        });
    }

    fn missed(&mut self, m: u32, due: Time) {
        if (self.lo..self.hi).contains(&due) {
            let member = &self.spec.members[m as usize];
            self.result.breaks[member.ward][member.role][1] += 1;
        }
    }

    /// The shrinkage draw of a rostered shift of member `m`: None (worked), or the cause.
    fn shrinkage(&mut self, m: u32) -> Option<usize> {
        let rng = self.duties.shrink[m as usize].as_mut()?;
        let u: f64 = rng.random();
        let role = self.spec.members[m as usize].role;
        self.duties.officers.shrinkage[duty_role(role)].cause(u)
    }
}

impl<'s> Field<'s> {
    /// A rostered shift of member `m` from `begun` to `end`, seen at `now`: drawn for
    /// shrinkage, then worked (or trained) unless lost to leave or sickness.
    pub(super) fn rostered_shift(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        m: u32,
        begun: i64,
        end: Time,
    ) {
        let h = self.hood();
        let cause = h.shrinkage(m);
        let counted = (h.lo..h.hi).contains(&now);
        if counted {
            let member = &h.spec.members[m as usize];
            let counts = &mut h.result.shifts[member.ward][member.role];
            counts[SHIFT_ROSTERED] += 1;
            if let Some(c) = cause {
                counts[SHIFT_LOST_WHOLE + c] += 1;
            }
        }
        if let Some(t) = self.backfill_taken(m, begun) {
            self.backfill_come(q, now, t, end, cause.is_none());
            if cause.is_none() {
                let h = self.hood();
                if counted {
                    let member = &h.spec.members[m as usize];
                    h.result.shifts[member.ward][member.role][SHIFT_BACKFILLED] += 1;
                }
                self.member_on(q, now, m, end, begun, Some(BACKFILL));
                return;
            }
        }
        match cause {
            Some(0 | 1) => {}
            Some(_) => self.member_on(q, now, m, end, begun, Some(TRAINING)),
            None => {
                // A whole-shift planned abstraction takes this shift.
                let h = self.hood();
                let whole = h.members[m as usize].next_whole.take().map(|a| {
                    let class = h.spec.abstractions[a as usize].class;
                    if counted {
                        let k = PLANNED
                            .iter()
                            .position(|&(_, c)| c == class)
                            .expect("a planned cause");
                        let member = &h.spec.members[m as usize];
                        h.result.shifts[member.ward][member.role][SHIFT_LOST_PLANNED + k] += 1;
                        h.result.planned += 1;
                    }
                    class
                });
                self.member_on(q, now, m, end, begun, whole);
            }
        }
    }

    /// Starts a duty for member `m` (free at `now`), ending at the shift's end at the latest.
    pub(super) fn start_job(&mut self, q: &mut impl Schedule, now: Time, m: u32, job: Job) {
        let h = self.hood();
        let end = now
            .saturating_add(job.ms)
            .min(h.members[m as usize].shift_end);
        let e = h.busy(m, now, job.class as usize);
        h.set_doing(m, Some((job, now)));
        q.at(end, FieldEvent::MemberFree(m, e));
    }

    /// A duty at a weekly rate falls due for member `m`.
    pub(super) fn on_member_duty_due(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        m: u32,
        d: usize,
    ) {
        let h = self.hood();
        let (na, nk) = (h.spec.abstractions.len(), h.nk);
        let member = &h.spec.members[m as usize];
        let (role, weekly) = (member.role, member.weekly_duty_ms);
        let residual = h.duties.gap(d, role, weekly);
        let length = h.duties.length(d);
        let (on_duty, shift_end) = {
            let mr = &h.members[m as usize];
            (mr.on_duty, mr.shift_end)
        };
        let c = &mut h.clocks[m as usize * nk + na + d];
        c.armed = false;
        c.residual = residual;
        c.from = now;
        if on_duty && now.saturating_add(residual) < shift_end {
            c.armed = true;
            q.at(now + residual, FieldEvent::Planned(m, (na + d) as u32));
        }
        if !on_duty || now >= shift_end {
            return;
        }
        let ms = length + h.away_from_ward(m, d);
        let duty = &h.duties.officers.duties[d];
        let if_busy = duty.if_busy;
        let job = Job::of(duty, ms, None);
        if h.free(m, now) {
            self.start_job(q, now, m, job);
        } else if if_busy == IfBusy::Defer {
            h.members[m as usize].queue.push_back(job);
        }
    }

    /// A break falls due for member `m`.
    pub(super) fn on_break_due(&mut self, q: &mut impl Schedule, now: Time, m: u32, d: u32) {
        let h = self.hood();
        let d = d as usize;
        let mr = &h.members[m as usize];
        if !mr.on_duty || now >= mr.shift_end || now < mr.training_until {
            return;
        }
        let duty = &h.duties.officers.duties[d];
        let When::Break { after, latest } = duty.when else {
            unreachable!("a break's event is for a break")
        };
        let if_busy = duty.if_busy;
        if (h.lo..h.hi).contains(&now) {
            let member = &h.spec.members[m as usize];
            h.result.breaks[member.ward][member.role][0] += 1;
        }
        let length = h.duties.length(d);
        let ms = length + h.away_from_ward(m, d);
        let brk = Some((now, now + latest.0 - after.0));
        let job = Job::of(&h.duties.officers.duties[d], ms, brk);
        if h.free(m, now) {
            self.start_job(q, now, m, job);
        } else if if_busy == IfBusy::Defer {
            h.members[m as usize].queue.push_back(job);
        } else {
            h.missed(m, now);
        }
    }

    /// Member `m` has cleared an incident drawn as `draw`: the after-incident duties taken
    /// follow its paperwork (and replace the drive back when one is done away).
    pub(super) fn after_incident(&mut self, m: u32, draw: &Draw) {
        let h = self.hood();
        let role = h.spec.members[m as usize].role;
        let mut at = draw.pos;
        let mut moved = false;
        for k in 0..h.duties.by_role[role].len() {
            let d = h.duties.by_role[role][k];
            let duty = &h.duties.officers.duties[d];
            let When::AfterIncident {
                by_grade,
                by_category,
            } = duty.when
            else {
                continue;
            };
            let (class, place) = (DUTY_CLASS + duty.cause, duty.place);
            let grade = usize::from(draw.grade);
            let p = by_category[usize::from(draw.category)].unwrap_or(if grade < 2 {
                by_grade[grade]
            } else {
                0.0
            });
            let u: f64 = h.duties.rngs[d].2.random();
            let length = h.duties.length(d);
            if u >= p {
                continue;
            }
            let (_, rural) = h.ward_centre(m);
            let to = h.place(m, place, at);
            let ms = length + h.drive(at, to, rural);
            moved |= place != Place::Here;
            at = to;
            h.members[m as usize].after.push_back((class as u8, ms));
        }
        if moved {
            // Back to the ward from the last place, as part of the last duty done away.
            let (centre, rural) = h.ward_centre(m);
            let back = h.drive(at, centre, rural);
            let mr = &mut h.members[m as usize];
            mr.back = 0;
            let last = mr.after.back_mut().expect("a duty done away");
            last.1 += back;
        }
    }
}
