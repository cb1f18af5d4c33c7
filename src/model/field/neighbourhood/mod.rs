//! Neighbourhood teams (T6, T8): members on rosters, abstractions, meetings and desk work.
//!
//! A member's time on duty is classified by intervals (visible in own ward, or lost to a
//! cause) through planned abstractions, abstraction to response work, public meetings (T8),
//! desk work, and the officers' duties and shrinkage of `[officers]` (their rules are in
//! `duties`).
//!
//! Rules, in one place:
//! - A member on duty and free is on visible patrol in their own ward. Time spent at a public
//!   meeting, or travelling to and attending an incident in their own ward, is visible too.
//! - Lost time: `response` (sent to an incident outside their ward: from dispatch until back in
//!   their ward), `paperwork` (after any incident, the incident's drawn paperwork time),
//!   `court`, `training`, `aid` (planned abstractions, and training shifts), `desk` (follow-up
//!   desk tasks such as answering messages), and the duties' causes (`briefing`, `refreshment`,
//!   `station`, `partnership`, `custody`, `files`). Every minute on duty has exactly one class.
//! - A desk task goes to the member of the ward's team who has been free the longest; one
//!   arriving when none is free waits for the first to become free.
//! - A planned abstraction due while the member is busy starts when they are next free (one
//!   waits at most; a second due meanwhile is dropped), and is cut short at the shift's end.
//!   One due while the member is off duty does not happen. Rates are per member per week:
//!   a Poisson process running over the member's time on duty only.
//! - Abstraction to response: an incident of a marked grade still waiting for a response unit
//!   `abstract_after` its creation takes the nearest free member of a marked role, home
//!   sector's wards first, then borrowing sectors'. The member travels as a response unit
//!   does, stays the incident's time on scene, does its paperwork, then travels back to their
//!   ward's centre at the priority speed.
//! - Pulls (`pull_after`): with the default `dispatch_order`, an incident of a marked grade no
//!   response unit is estimated to reach within `pull_after` of its creation also takes the
//!   nearest member who would arrive sooner than the best unit; with pulled officers first,
//!   the nearest member who can arrive within `pull_after` goes before any response unit,
//!   which then goes only to the places still lacking (rules with the code, `to_incidents`).
//! - Work running past a shift's end is finished, but only rostered time is counted.
//! - Periods: weeks are 7-day blocks from the end of the warm-up; months are calendar months.
//!   Only periods wholly inside the measured window, with some time on duty, are counted.
//! - A meeting is held when `attendees` members of the team are on duty and free at its time;
//!   otherwise it is missed. At a shift boundary, meetings and fixed abstraction starts see the
//!   members as the shifts starting and ending at that time leave them: a shift starting then
//!   counts, one ending then does not. Back-to-back shifts are one spell of duty.

use super::*;
use crate::scenario::neighbourhood::{
    CLASSES, DESK, Meetings, Neighbourhood, PAPERWORK, PLANNED, RESPONSE, TRAINING, VISIBLE,
};
use crate::time::{DAY, Date};

mod duties;
mod to_incidents;
use duties::{BREAK, Duties, Job};

const NCLASS: usize = CLASSES.len();
/// Fixed (rather than Poisson) abstraction starts carry this bit in their event.
const FIXED: u32 = 1 << 31;
/// A fixed start or a meeting put back in the queue behind the shift events of its time.
const AGAIN: u32 = 1 << 30;
/// Bins of the visible-share distribution: 5% wide, the last holding exactly 100%.
pub const SHARE_BINS: usize = 21;

/// Counts of member-periods (weeks or months).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Periods {
    pub n: u64,
    /// At or above the T6 threshold.
    pub at: u64,
    pub sum_share: f64,
    pub bins: [u64; SHARE_BINS],
}

impl Periods {
    fn add(&mut self, share: f64, threshold: f64) {
        self.n += 1;
        self.at += u64::from(share >= threshold);
        self.sum_share += share;
        self.bins[((share * 20.0).floor() as usize).min(SHARE_BINS - 1)] += 1;
    }
}

/// What the neighbourhood teams measure in one replication.
#[derive(Clone, Debug, Default)]
pub struct HoodResult {
    /// Time on duty by class (ms, inside the window), per ward and role.
    pub class_ms: Vec<[[u64; NCLASS]; 3]>,
    /// Member-weeks and member-months, per ward and role.
    pub weeks: Vec<[Periods; 3]>,
    pub months: Vec<[Periods; 3]>,
    /// Meetings due in the window and held, per ward.
    pub meetings: Vec<[u64; 2]>,
    /// Members sent to response work (incidents in the window), by either route.
    pub to_response: u64,
    /// Of those, members pulled because no response unit could arrive in time.
    pub pulled: u64,
    /// Planned abstractions that started in the window.
    pub planned: u64,
    /// Breaks due in the window and missed, per ward and role.
    pub breaks: Vec<[[u64; 2]; 3]>,
    /// Per ward and role: rostered shifts starting in the window; those lost whole to leave,
    /// sickness and training; those worked on response as backfill; and spells of duty lost
    /// for at least half their length to court, training and aid (indices `SHIFT_*`).
    pub shifts: Vec<[[u64; SHIFT_COUNTS]; 3]>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MState {
    Off,
    Free,
    Busy,
}

#[derive(Clone, Copy)]
struct Period {
    start: i64,
    end: Time,
    ms: [u64; NCLASS],
}

struct MemberRt {
    state: MState,
    on_duty: bool,
    shift_end: Time,
    class: u8,
    since: Time,
    epoch: u32,
    /// The desk task in hand (NONE).
    task: u32,
    /// A planned abstraction waiting for the member to be free: (abstraction, length).
    pending: Option<(u32, u64)>,
    /// Travel back to the ward still to come after the paperwork (ms).
    back: u64,
    /// When the member last became free.
    free_since: Time,
    /// Duties waiting for the member to be free, in the order they fell due.
    queue: VecDeque<Job>,
    /// What follows an incident's paperwork (class, ms): custody, files.
    after: VecDeque<(u8, u64)>,
    /// The end of the training (or backfill) shift under way (0: none), and its class.
    training_until: Time,
    whole_class: u8,
    /// A whole-shift planned abstraction waiting for the member's next rostered shift.
    next_whole: Option<u32>,
    /// The duty in hand, and when it started.
    doing: Option<(Job, Time)>,
    /// The spell of duty under way: when it began, whether it was counted (began inside the
    /// window), whether it is a whole shift given over to one thing, and its time so far lost
    /// to court, training and aid (planned abstractions).
    spell: Spell,
    week: Period,
    month: Period,
}

/// The part of a spell of duty lost to planned abstractions, to count the shifts they cost.
#[derive(Clone, Copy, Default)]
struct Spell {
    start: Time,
    counted: bool,
    whole: bool,
    planned: [u64; 3],
}

/// Counts of a ward and role's rostered shifts (see [`HoodResult::shifts`]): the index of each.
pub const SHIFT_ROSTERED: usize = 0;
/// Lost whole to leave, sickness, training (shrinkage): 1, 2, 3.
pub const SHIFT_LOST_WHOLE: usize = 1;
pub const SHIFT_BACKFILLED: usize = 4;
/// Lost to court, training, aid (planned abstractions) for at least half their length: 5, 6, 7.
pub const SHIFT_LOST_PLANNED: usize = 5;
pub const SHIFT_COUNTS: usize = 8;

/// Where a Poisson abstraction's clock stands for one member.
#[derive(Clone, Copy)]
struct Clock {
    /// On-duty time still to run to the next start.
    residual: u64,
    /// When the clock last took stock.
    from: Time,
    armed: bool,
}

pub(super) struct Hood<'s> {
    pub(super) spec: &'s Neighbourhood,
    response: &'s Spec,
    members: Vec<MemberRt>,
    shifts: ShiftCalendar,
    /// Per member, one per abstraction and then one per duty of `[officers]` (a duty not at
    /// a weekly rate for the member's role never runs).
    clocks: Vec<Clock>,
    /// Clocks per member.
    nk: usize,
    /// Per member, from `live_at[m]` to `live_at[m + 1]`: the clocks that can ever run (a clock
    /// drawn never to run, at a rate of zero, stays so: it is drawn again only when it runs).
    live: Vec<u16>,
    live_at: Vec<u32>,
    /// Per sector: the members of a role sent to incidents, with their wards, in the order of
    /// the sector's wards and their teams; per member, the sector listing them (NONE: none, or
    /// more than one); per sector, how many are free and how many on an interruptible duty.
    pullable: Vec<Vec<(u32, usize)>>,
    pull_sector: Vec<u32>,
    pull_free: Vec<u32>,
    pull_doing: Vec<u32>,
    duties: Duties<'s>,
    /// Per abstraction: lengths, gaps.
    length_rng: Vec<(Sampler, ChaCha8Rng)>,
    gap_rng: ChaCha8Rng,
    place_rng: ChaCha8Rng,
    /// Desk tasks waiting, per ward.
    pub(super) desk: Vec<VecDeque<u32>>,
    threshold: f64,
    calendar: Calendar,
    lo: Time,
    hi: Time,
    pub(super) result: HoodResult,
}

impl<'s> Hood<'s> {
    pub(super) fn new(
        sc: &'s Scenario,
        spec: &'s Neighbourhood,
        seed: u64,
        cal: &Calendar,
    ) -> Self {
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let n = spec.members.len();
        let empty = Period {
            start: 0,
            end: 0,
            ms: [0; NCLASS],
        };
        let nw = spec.teams.len();
        let mut gap_rng = rng::rng(seed, rng::stream(purpose::ABSTRACTION_GAP, 0));
        let mut duties = Duties::new(sc, spec, seed);
        let na = spec.abstractions.len();
        let nk = na + sc.officers.duties.len();
        let mut clocks = Vec::with_capacity(n * nk);
        let (mut live, mut live_at) = (Vec::new(), Vec::with_capacity(n + 1));
        for m in &spec.members {
            live_at.push(live.len() as u32);
            for k in 0..nk {
                let residual = if k < na {
                    let a = &spec.abstractions[k];
                    let per_week = if a.roles[m.role] { a.per_week } else { 0.0 };
                    gap(&mut gap_rng, per_week, m.weekly_duty_ms)
                } else {
                    duties.first_gap(k - na, m)
                };
                if residual != u64::MAX {
                    live.push(k as u16);
                }
                clocks.push(Clock {
                    residual,
                    from: 0,
                    armed: false,
                });
            }
        }
        live_at.push(live.len() as u32);
        let response = sc
            .response
            .as_ref()
            .expect("neighbourhood teams need a [response] section");
        let pullable: Vec<Vec<(u32, usize)>> = response
            .sectors
            .iter()
            .map(|sector| {
                sector
                    .wards
                    .iter()
                    .flat_map(|&w| spec.teams[w].iter().map(move |&m| (m, w)))
                    .filter(|&(m, _)| spec.abstract_roles[spec.members[m as usize].role])
                    .collect()
            })
            .collect();
        let mut pull_sector = vec![NONE; n];
        let mut listed = vec![0u8; n];
        for (s, list) in pullable.iter().enumerate() {
            for &(m, _) in list {
                pull_sector[m as usize] = s as u32;
                listed[m as usize] = listed[m as usize].saturating_add(1);
            }
        }
        // A member listed by two sectors is not counted: every sector is then looked at.
        let uncounted = listed.iter().any(|&k| k > 1);
        if uncounted {
            pull_sector.fill(NONE);
        }
        Hood {
            spec,
            response,
            members: (0..n)
                .map(|_| MemberRt {
                    state: MState::Off,
                    on_duty: false,
                    shift_end: 0,
                    class: VISIBLE as u8,
                    since: 0,
                    epoch: 0,
                    task: NONE,
                    pending: None,
                    back: 0,
                    free_since: 0,
                    queue: VecDeque::new(),
                    after: VecDeque::new(),
                    training_until: 0,
                    spell: Spell::default(),
                    whole_class: TRAINING as u8,
                    next_whole: None,
                    doing: None,
                    week: empty,
                    month: empty,
                })
                .collect(),
            shifts: ShiftCalendar::new(spec.shifts.iter().map(|s| &s.shift), cal),
            clocks,
            nk,
            live,
            live_at,
            pull_free: vec![if uncounted { NONE } else { 0 }; pullable.len()],
            pull_doing: vec![if uncounted { NONE } else { 0 }; pullable.len()],
            pullable,
            pull_sector,
            duties,
            length_rng: spec
                .abstractions
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    (
                        Sampler::new(&a.length),
                        rng::rng(seed, rng::stream(purpose::ABSTRACTION, i as u64)),
                    )
                })
                .collect(),
            gap_rng,
            place_rng: rng::rng(seed, rng::stream(purpose::MEMBER_PLACE, 0)),
            desk: vec![VecDeque::new(); nw],
            threshold: sc.target("T6").threshold.unwrap_or(0.8),
            calendar: *cal,
            lo,
            hi,
            result: HoodResult {
                class_ms: vec![Default::default(); nw],
                weeks: vec![Default::default(); nw],
                months: vec![Default::default(); nw],
                meetings: vec![[0; 2]; nw],
                breaks: vec![Default::default(); nw],
                shifts: vec![Default::default(); nw],
                ..Default::default()
            },
        }
    }
}

impl<'s> Hood<'s> {
    /// Members' rostered shift starts from `a` to `b` (both included): (time, member).
    pub(in crate::model::field) fn member_starts_between(
        &self,
        a: Time,
        b: Time,
    ) -> Vec<(Time, u32)> {
        self.shifts
            .starts_between(a, b)
            .into_iter()
            .map(|(t, s)| (t, self.spec.shifts[s as usize].member))
            .collect()
    }
}

impl<'s> Field<'s> {
    fn hood(&mut self) -> &mut Hood<'s> {
        self.hood
            .as_mut()
            .expect("a scenario with neighbourhood teams")
    }

    /// Schedules the first member shifts, fixed abstractions and the first meeting.
    pub(super) fn hood_start(&mut self, q: &mut impl Schedule) {
        let Some(h) = &mut self.hood else { return };
        let spec = h.spec;
        for (s, begun) in h.shifts.under_way_at_start(&spec.shifts) {
            let end = (begun + spec.shifts[s as usize].shift.length.0 as i64) as Time;
            self.rostered_shift(q, 0, spec.shifts[s as usize].member, begun, end);
        }
        let h = self.hood();
        if let Some(t) = h.shifts.next_time() {
            q.at(t, FieldEvent::MemberShiftStart);
        }
        for (a, ab) in spec.abstractions.iter().enumerate() {
            for at in &ab.at {
                for (m, member) in spec.members.iter().enumerate() {
                    if ab.roles[member.role] {
                        q.at(at.0, FieldEvent::Planned(m as u32, a as u32 | FIXED));
                    }
                }
            }
        }
        if let Some(m) = &spec.meetings {
            if let Some(t) = next_meeting(&self.cal, m, 0) {
                q.at(t, FieldEvent::Meeting(0));
            }
        }
    }

    pub(super) fn on_member_shift_start(&mut self, q: &mut impl Schedule, now: Time) {
        if self.backfill.is_some() {
            // Response shifts starting now come first: they decide whom they take.
            while self.units.shifts.next_time() == Some(now) {
                self.on_shift_start(q, now);
            }
        }
        let h = self.hood();
        let s = h.shifts.advance();
        let next = h
            .shifts
            .next_time()
            .expect("a started calendar has a next start");
        let ms = &h.spec.shifts[s as usize];
        let (m, end) = (ms.member, now + ms.shift.length.0);
        q.at(next, FieldEvent::MemberShiftStart);
        self.rostered_shift(q, now, m, now as i64, end);
    }

    /// Member `m` comes on duty at `now` until `end`, for a shift that began at `begun` (before
    /// `now` for one under way at the start of the run); `whole`: the class of a shift given
    /// over to one thing (a training shift, or backfill to response).
    fn member_on(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        m: u32,
        end: Time,
        begun: i64,
        whole: Option<usize>,
    ) {
        let training = whole.is_some();
        let h = self.hood();
        if let Some(class) = whole {
            let mr = &mut h.members[m as usize];
            mr.training_until = mr.training_until.max(end);
            mr.whole_class = class as u8;
        } else {
            h.shift_duties(q, now, m, begun);
        }
        // Something to start at once for a member already free (back-to-back shifts).
        let start_now = {
            let mr = &h.members[m as usize];
            mr.state == MState::Free && (training || !mr.queue.is_empty())
        };
        let mr = &mut h.members[m as usize];
        q.at(end, FieldEvent::MemberShiftEnd(m));
        if mr.on_duty {
            // Back-to-back shifts (the next starting as the last ends): one spell of duty. The
            // later end holds, the abstraction clocks take stock and run on, and a member who
            // went off at the old end this very instant is free again.
            mr.shift_end = mr.shift_end.max(end);
            let end = mr.shift_end;
            let nk = h.nk;
            let live = h.live_at[m as usize] as usize..h.live_at[m as usize + 1] as usize;
            for &a in &h.live[live] {
                let a = usize::from(a);
                let c = &mut h.clocks[m as usize * nk + a];
                if !c.armed {
                    c.residual = c.residual.saturating_sub(now - c.from);
                    c.from = now;
                    if c.residual < end - now {
                        c.armed = true;
                        q.at(now + c.residual, FieldEvent::Planned(m, a as u32));
                    }
                }
            }
            if h.members[m as usize].state == MState::Off || start_now {
                self.member_free(q, now, m);
            }
            return;
        }
        let counted = (h.lo..h.hi).contains(&now);
        let mr = &mut h.members[m as usize];
        mr.on_duty = true;
        mr.shift_end = end;
        mr.since = now;
        mr.spell = Spell {
            start: now,
            counted,
            whole: training,
            planned: [0; 3],
        };
        let nk = h.nk;
        let live = h.live_at[m as usize] as usize..h.live_at[m as usize + 1] as usize;
        for &a in &h.live[live] {
            let a = usize::from(a);
            let c = &mut h.clocks[m as usize * nk + a];
            c.from = now;
            if !c.armed && c.residual < end - now {
                c.armed = true;
                q.at(now + c.residual, FieldEvent::Planned(m, a as u32));
            }
        }
        if h.members[m as usize].state == MState::Off || start_now {
            self.member_free(q, now, m);
        }
    }

    pub(super) fn on_member_shift_end(&mut self, now: Time, m: u32) {
        let h = self.hood();
        if !h.members[m as usize].on_duty || now < h.members[m as usize].shift_end {
            return;
        }
        h.credit(m, now);
        let nk = h.nk;
        let live = h.live_at[m as usize] as usize..h.live_at[m as usize + 1] as usize;
        for &a in &h.live[live] {
            let c = &mut h.clocks[m as usize * nk + usize::from(a)];
            if !c.armed {
                c.residual = c.residual.saturating_sub(now - c.from);
            }
        }
        h.drop_queue(m);
        h.count_planned_loss(m, now);
        let mr = &mut h.members[m as usize];
        mr.on_duty = false;
        mr.pending = None;
        if mr.state == MState::Free {
            h.set_state(m, MState::Off);
        }
    }

    /// A planned abstraction falls due for member `m`.
    pub(super) fn on_planned(&mut self, q: &mut impl Schedule, now: Time, m: u32, a: u32) {
        if a & BREAK != 0 {
            return self.on_break_due(q, now, m, a & !BREAK);
        }
        let fixed = a & FIXED != 0;
        if fixed && a & AGAIN == 0 {
            // A fixed start goes back in the queue once, behind the shift starts and ends due
            // at this very time, so that it sees the member as those leave them.
            q.at(now, FieldEvent::Planned(m, a | AGAIN));
            return;
        }
        let a = a & !FIXED & !AGAIN;
        let h = self.hood();
        let na = h.spec.abstractions.len();
        if a as usize >= na {
            return self.on_member_duty_due(q, now, m, a as usize - na);
        }
        let nk = h.nk;
        let (sampler, rng) = &mut h.length_rng[a as usize];
        let length = sampler.sample(rng);
        if !fixed {
            let c = &mut h.clocks[m as usize * nk + a as usize];
            c.armed = false;
            c.residual = gap(
                &mut h.gap_rng,
                h.spec.abstractions[a as usize].per_week,
                h.spec.members[m as usize].weekly_duty_ms,
            );
            c.from = now;
            let end = h.members[m as usize].shift_end;
            if h.members[m as usize].on_duty && now.saturating_add(c.residual) < end {
                c.armed = true;
                q.at(now + c.residual, FieldEvent::Planned(m, a));
            }
        }
        let mr = &mut h.members[m as usize];
        if h.spec.abstractions[a as usize].whole_shift {
            // It takes the next rostered shift; one waits at most, as for a busy member.
            if mr.next_whole.is_none() {
                mr.next_whole = Some(a);
            }
            return;
        }
        if !mr.on_duty || now >= mr.shift_end {
            return;
        }
        match mr.state {
            MState::Free => self.start_planned(q, now, m, a, length),
            _ => {
                if mr.pending.is_none() {
                    mr.pending = Some((a, length));
                }
            }
        }
    }

    fn start_planned(&mut self, q: &mut impl Schedule, now: Time, m: u32, a: u32, length: u64) {
        let h = self.hood();
        let class = h.spec.abstractions[a as usize].class;
        if (h.lo..h.hi).contains(&now) {
            h.result.planned += 1;
        }
        let end = now
            .saturating_add(length)
            .min(h.members[m as usize].shift_end);
        let e = h.busy(m, now, class);
        q.at(end, FieldEvent::MemberFree(m, e));
    }

    /// Member `m` has finished what they were doing (if `epoch` is still theirs).
    pub(super) fn on_member_free(&mut self, q: &mut impl Schedule, now: Time, m: u32, epoch: u32) {
        let h = self.hood();
        let mr = &mut h.members[m as usize];
        if mr.epoch != epoch {
            return;
        }
        if mr.task != NONE {
            let task = std::mem::replace(&mut mr.task, NONE);
            self.task_done(q, now, task);
        }
        let h = self.hood();
        if let Some((class, ms)) = h.members[m as usize].after.pop_front() {
            let e = h.busy(m, now, class as usize);
            q.at(now + ms, FieldEvent::MemberFree(m, e));
            return;
        }
        let mr = &h.members[m as usize];
        if mr.back > 0 {
            let back = mr.back;
            h.members[m as usize].back = 0;
            let e = h.busy(m, now, RESPONSE);
            q.at(now + back, FieldEvent::MemberFree(m, e));
            return;
        }
        self.member_free(q, now, m);
    }

    /// Member `m` is free at `now`: takes a waiting abstraction or desk task, or patrols.
    fn member_free(&mut self, q: &mut impl Schedule, now: Time, m: u32) {
        let h = self.hood();
        h.credit(m, now);
        h.set_doing(m, None);
        let mr = &mut h.members[m as usize];
        if !mr.on_duty || now >= mr.shift_end {
            mr.class = VISIBLE as u8;
            h.set_state(m, MState::Off);
            return;
        }
        if now < mr.training_until {
            let end = mr.training_until.min(mr.shift_end);
            let class = mr.whole_class as usize;
            let e = h.busy(m, now, class);
            q.at(end, FieldEvent::MemberFree(m, e));
            return;
        }
        if let Some(job) = h.next_job(m, now) {
            self.start_job(q, now, m, job);
            return;
        }
        let mr = &mut h.members[m as usize];
        if let Some((a, length)) = mr.pending.take() {
            self.start_planned(q, now, m, a, length);
            return;
        }
        let ward = h.spec.members[m as usize].ward;
        if let Some(task) = h.desk[ward].pop_front() {
            self.start_desk(q, now, m, task);
            return;
        }
        let mr = &mut h.members[m as usize];
        mr.class = VISIBLE as u8;
        mr.free_since = now;
        h.set_state(m, MState::Free);
    }

    fn start_desk(&mut self, q: &mut impl Schedule, now: Time, m: u32, task: u32) {
        let work = self.task_work(task);
        let h = self.hood();
        let e = h.busy(m, now, DESK);
        h.members[m as usize].task = task;
        q.at(now + work, FieldEvent::MemberFree(m, e));
    }

    /// A desk task for `ward`'s team: a free member takes it at once, or it waits.
    pub(super) fn desk_task(&mut self, q: &mut impl Schedule, now: Time, ward: usize, task: u32) {
        let h = self.hood();
        // The member free the longest (ties: the one listed first), so that desk work falls
        // on the team evenly rather than on whoever the file lists first.
        let found = h.spec.teams[ward]
            .iter()
            .copied()
            .filter(|&m| h.free(m, now))
            .min_by_key(|&m| h.members[m as usize].free_since);
        match found {
            Some(m) => self.start_desk(q, now, m, task),
            None => h.desk[ward].push_back(task),
        }
    }

    /// A scheduled meeting: held in each ward whose team has enough members free.
    pub(super) fn on_meeting(&mut self, q: &mut impl Schedule, now: Time, again: u32) {
        if again == 0 {
            // Behind the shift starts and ends due at this very time (see `on_planned`).
            q.at(now, FieldEvent::Meeting(AGAIN));
            return;
        }
        let h = self.hood();
        let spec = h.spec;
        let meet = spec.meetings.as_ref().expect("meetings scheduled");
        let measured = (h.lo..h.hi).contains(&now);
        for (w, team) in spec.teams.iter().enumerate() {
            if team.is_empty() {
                continue;
            }
            let free: Vec<u32> = team
                .iter()
                .copied()
                .filter(|&m| h.free(m, now))
                .take(meet.attendees as usize)
                .collect();
            let held = free.len() == meet.attendees as usize;
            if measured {
                h.result.meetings[w][0] += 1;
                h.result.meetings[w][1] += u64::from(held);
            }
            if held {
                for m in free {
                    let e = h.busy(m, now, VISIBLE);
                    q.at(now + meet.length.0, FieldEvent::MemberFree(m, e));
                }
            }
        }
        if let Some(t) = next_meeting(&self.cal, meet, now + 1) {
            q.at(t, FieldEvent::Meeting(0));
        }
    }

    /// Closes the periods still open at the end of the run.
    pub(super) fn hood_finish(&mut self, end: Time) {
        let Some(h) = &mut self.hood else { return };
        for m in 0..h.members.len() as u32 {
            if h.members[m as usize].on_duty {
                h.credit(m, end.min(h.members[m as usize].shift_end));
            }
            let mr = &h.members[m as usize];
            let (week, month) = (mr.week, mr.month);
            h.close(m, week, true);
            h.close(m, month, false);
        }
    }
}

impl Hood<'_> {
    /// Whether member `m` is on duty and free at `now` (a shift ending now has ended).
    fn free(&self, m: u32, now: Time) -> bool {
        let mr = &self.members[m as usize];
        mr.state == MState::Free && now < mr.shift_end
    }

    /// Sets member `m`'s state, keeping count of the free members sent to incidents.
    fn set_state(&mut self, m: u32, state: MState) {
        let mr = &mut self.members[m as usize];
        let (was, is) = (mr.state == MState::Free, state == MState::Free);
        mr.state = state;
        let s = self.pull_sector[m as usize];
        if was != is && s != NONE {
            let n = &mut self.pull_free[s as usize];
            *n = if is { *n + 1 } else { *n - 1 };
        }
    }

    /// Sets the duty member `m` has in hand, keeping count of the members sent to incidents
    /// who are on a duty that may be interrupted.
    fn set_doing(&mut self, m: u32, doing: Option<(Job, Time)>) {
        let mr = &mut self.members[m as usize];
        let was = mr.doing.is_some_and(|(job, _)| job.interruptible);
        let is = doing.is_some_and(|(job, _)| job.interruptible);
        mr.doing = doing;
        let s = self.pull_sector[m as usize];
        if was != is && s != NONE {
            let n = &mut self.pull_doing[s as usize];
            *n = if is { *n + 1 } else { *n - 1 };
        }
    }

    /// Whether sector `s` lists no member sent to incidents who is free (`interrupting`: on a
    /// duty that may be interrupted).
    fn none_to_pull(&self, s: usize, interrupting: bool) -> bool {
        let n = if interrupting {
            self.pull_doing[s]
        } else {
            self.pull_free[s]
        };
        n == 0
    }

    /// Member `m` starts something of `class` at `now`; returns the epoch its end must carry.
    fn busy(&mut self, m: u32, now: Time, class: usize) -> u32 {
        self.credit(m, now);
        self.set_state(m, MState::Busy);
        self.set_doing(m, None);
        let mr = &mut self.members[m as usize];
        mr.class = class as u8;
        mr.epoch = mr.epoch.wrapping_add(1);
        mr.epoch
    }

    /// Adds member `m`'s time since the last change to its current class (rostered time inside
    /// the window only), closing periods as their ends pass.
    fn credit(&mut self, m: u32, now: Time) {
        let mr = &mut self.members[m as usize];
        let (from, to) = (mr.since, now);
        mr.since = now;
        if !mr.on_duty {
            return;
        }
        let class = mr.class as usize;
        if let Some(k) = PLANNED.iter().position(|&(_, c)| c == class) {
            mr.spell.planned[k] += to.min(mr.shift_end).saturating_sub(from);
        }
        let to = to.min(mr.shift_end).min(self.hi);
        let mut a = from.max(self.lo);
        let class = mr.class as usize;
        let member = &self.spec.members[m as usize];
        while a < to {
            let mr = &mut self.members[m as usize];
            if a >= mr.week.end {
                let old = mr.week;
                let k = (a - self.lo) / WEEK;
                let start = self.lo + k * WEEK;
                mr.week = Period {
                    start: start as i64,
                    end: start + WEEK,
                    ms: [0; NCLASS],
                };
                self.close(m, old, true);
            }
            let mr = &mut self.members[m as usize];
            if a >= mr.month.end {
                let old = mr.month;
                let (start, end) = self.calendar.month_bounds(a);
                mr.month = Period {
                    start,
                    end,
                    ms: [0; NCLASS],
                };
                self.close(m, old, false);
            }
            let mr = &mut self.members[m as usize];
            let b = to.min(mr.week.end).min(mr.month.end);
            mr.week.ms[class] += b - a;
            mr.month.ms[class] += b - a;
            self.result.class_ms[member.ward][member.role][class] += b - a;
            a = b;
        }
    }

    /// A spell of duty ends at `end`: it counts as a shift lost to the planned abstraction
    /// that took the most of it, if that took at least half its length (a whole training or
    /// backfill shift is counted where it is drawn instead).
    fn count_planned_loss(&mut self, m: u32, end: Time) {
        let sp = self.members[m as usize].spell;
        if !sp.counted || sp.whole {
            return;
        }
        let length = end.saturating_sub(sp.start);
        let (k, most) = (0..3)
            .map(|k| (k, sp.planned[k]))
            .fold((0, 0), |a, b| if b.1 > a.1 { b } else { a });
        if length > 0 && most > 0 && 2 * most >= length {
            let member = &self.spec.members[m as usize];
            self.result.shifts[member.ward][member.role][SHIFT_LOST_PLANNED + k] += 1;
        }
    }

    /// Records a finished period when it lies wholly inside the window and had time on duty.
    fn close(&mut self, m: u32, p: Period, week: bool) {
        let duty: u64 = p.ms.iter().sum();
        if duty == 0 || p.start < self.lo as i64 || p.end > self.hi {
            return;
        }
        let share = p.ms[VISIBLE] as f64 / duty as f64;
        let member = &self.spec.members[m as usize];
        let table = if week {
            &mut self.result.weeks
        } else {
            &mut self.result.months
        };
        table[member.ward][member.role].add(share, self.threshold);
    }
}

/// The first meeting time at or after `from`: the `week`-th `day` of a month at `start`.
fn next_meeting(cal: &Calendar, m: &Meetings, from: Time) -> Option<Time> {
    let (first, _) = cal.month_bounds(from);
    let mut month_start = first;
    for _ in 0..3 {
        let date = cal.date(month_start.max(0) as Time);
        let first_of_month = Date { day: 1, ..date };
        let wd = first_of_month.weekday() as i64;
        let offset = (m.day as i64 - wd).rem_euclid(7) + 7 * (i64::from(m.week) - 1);
        let t = cal.midnight(first_of_month) + offset * DAY as i64 + m.start.0 as i64;
        if t >= from as i64 {
            return Some(t as Time);
        }
        let (_, next) = cal.month_bounds(first_of_month_time(cal, first_of_month));
        month_start = next as i64;
    }
    None
}

fn first_of_month_time(cal: &Calendar, d: Date) -> Time {
    cal.midnight(d).max(0) as Time
}
