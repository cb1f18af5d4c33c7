//! Follow-up commitments (T7, T9-T14) as deadline work: streams of tasks and who serves them.
//!
//! Each stream's tasks are served by a workgroup on its roster or by the ward's neighbourhood
//! team as desk work.
//!
//! Rules, in one place:
//! - Tasks come from answered calls whose grade and category the stream marks (each with the
//!   stream's probability, decided by the call's identity so that it does not depend on
//!   staffing), created when the call ends; or at a constant rate until the horizon.
//! - A task's deadline is the target's time from its creation: elapsed, working days (the end
//!   of the n-th working day after, skipping weekends and bank holidays) or calendar months.
//! - T9 (victims kept informed): a task opens a case of random length instead. An update falls
//!   due one T9 time after the case opened, then one T9 time after each update is made, while
//!   the case is open; each update can be made from `notice` before it falls due.
//! - A workgroup's staff take tasks by earliest deadline (then order of creation); a member
//!   whose shift ends finishes the task in hand. Desk tasks wait for a free member of the
//!   ward's team, in order of creation.
//! - A workgroup with overtime call-in ([`super::group_overtime`]) calls staff in when its
//!   backlog stays high; they take tasks as rostered staff do.
//! - Measured: tasks created in the window. One is met when done by its deadline; tasks not
//!   done when the run ends (at the latest deadline of a measured task) are missed.

use super::*;
use crate::scenario::neighbourhood::{Followup, Team, Workgroup};
use crate::time::{Date, DayTable};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What one follow-up stream measures in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StreamResult {
    pub created: u64,
    pub done: u64,
    pub within: u64,
    /// Sum of creation-to-done times of the tasks done.
    pub sum_done_ms: u64,
    /// Open tasks integrated over the window (count x ms).
    pub backlog_area: u64,
    pub open_at_end: u64,
}

struct Task {
    stream: u16,
    measured: bool,
    created: Time,
    deadline: Time,
    work: u64,
    case: u32,
    ward: u32,
    /// Created and not yet done.
    live: bool,
}

struct Case {
    closes: Time,
}

pub(super) struct Server {
    group: u32,
    busy: bool,
    shift_over: bool,
    epoch: u32,
    task: u32,
    /// When its shift began and ends (constant staff: from the start, never).
    begun: i64,
    end: Time,
    /// Staff duties owed (bits over the staff's duties), and the one in hand with its start.
    owed: u16,
    duty: u8,
    since: Time,
    /// Called in on overtime (its time is not the group's rostered staff's).
    pub(super) overtime: bool,
}

struct GroupShift {
    group: usize,
    shift: crate::scenario::Shift,
}

impl AsRef<crate::scenario::Shift> for GroupShift {
    fn as_ref(&self) -> &crate::scenario::Shift {
        &self.shift
    }
}

struct StreamRt {
    arrivals: ChaCha8Rng,
    work: (Sampler, ChaCha8Rng),
    case: Option<(Sampler, ChaCha8Rng)>,
    ward: ChaCha8Rng,
    /// Seed of the per-call decisions.
    share_key: u64,
    /// Cumulative ward weights for tasks that need a ward.
    ward_cumulative: Guided,
    open: u64,
    last: Time,
}

pub(super) struct Work<'s> {
    spec: &'s [Followup],
    groups: &'s [Workgroup],
    bank_holidays: &'s [Date],
    /// The run's days, for deadlines in working days and calendar months.
    working: DayTable,
    tasks: Pool<Task>,
    cases: Pool<Case>,
    pub(super) servers: Pool<Server>,
    pub(super) queues: Vec<BinaryHeap<Reverse<(Time, u64, u32)>>>,
    idle: Vec<Vec<u32>>,
    shift_list: Vec<GroupShift>,
    shifts: ShiftCalendar,
    streams: Vec<StreamRt>,
    /// For each grade and category, the streams whose tasks come from such calls, in order.
    from_call: [[Vec<u16>; 5]; 4],
    staff: Option<super::staff::Staff>,
    seq: u64,
    pub(super) lo: Time,
    hi: Time,
    /// Each workgroup's overtime call-in rule (None without it), and what it did.
    pub(super) callins: Vec<Option<crate::model::callin::CallInRule>>,
    pub(super) overtime: Vec<super::group_overtime::GroupOvertimeResult>,
    /// Measured tasks not yet done.
    pub(super) outstanding: u64,
    /// The latest deadline of a measured task so far (the horizon before any).
    pub(super) end: Time,
    pub(super) result: Vec<StreamResult>,
}

impl<'s> Work<'s> {
    pub(super) fn new(sc: &'s Scenario, spec: &'s Spec, seed: u64, cal: &Calendar) -> Self {
        let (lo, hi) = (sc.run.warm_up.0, sc.run.horizon.0);
        let shift_list: Vec<GroupShift> = sc
            .workgroups
            .iter()
            .enumerate()
            .flat_map(|(g, w)| {
                w.shifts.iter().map(move |s| GroupShift {
                    group: g,
                    shift: s.clone(),
                })
            })
            .collect();
        let shifts = ShiftCalendar::new(shift_list.iter().map(|s| &s.shift), cal);
        let has_team = |w: usize| {
            sc.neighbourhood
                .as_ref()
                .is_some_and(|n| !n.teams[w].is_empty())
        };
        let streams = sc
            .followup
            .iter()
            .enumerate()
            .map(|(s, f)| {
                // A workgroup's own caseload takes stream numbers from 100 on.
                let k: u64 = if f.background {
                    100 + s as u64
                } else {
                    f.target[1..].parse().expect("a target number")
                };
                let rng = |p| rng::rng(seed, rng::stream(p, k));
                StreamRt {
                    arrivals: rng(purpose::TASK_ARRIVALS),
                    work: (Sampler::new(&f.work), rng(purpose::TASK_WORK)),
                    case: f
                        .case_length
                        .as_ref()
                        .map(|d| (Sampler::new(d), rng(purpose::TASK_CASE))),
                    ward: rng(purpose::TASK_WARD),
                    share_key: seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    // Tasks at a rate fall in wards by their demand (both channels).
                    ward_cumulative: Guided::new(cumulative(spec.wards.iter().enumerate().map(
                        |(w, ward)| {
                            if f.team == Team::Neighbourhood && !has_team(w) {
                                0.0
                            } else {
                                ward.weights[0] + ward.weights[1]
                            }
                        },
                    ))),
                    open: 0,
                    last: 0,
                }
            })
            .collect();
        Work {
            spec: &sc.followup,
            groups: &sc.workgroups,
            bank_holidays: &sc.bank_holidays,
            // Every day a task can be created on, and two months more for its deadline, up to
            // about four years, so that memory does not grow with the horizon (later deadlines
            // walk the calendar, to the same day).
            working: DayTable::new(
                cal,
                ((hi + sc.run.drain_limit.0) / crate::time::DAY + 62).min(1500),
                &sc.bank_holidays,
            ),
            tasks: Pool::new(),
            cases: Pool::new(),
            servers: Pool::new(),
            queues: vec![BinaryHeap::new(); sc.workgroups.len()],
            idle: vec![Vec::new(); sc.workgroups.len()],
            shift_list,
            shifts,
            streams,
            from_call: std::array::from_fn(|g| {
                std::array::from_fn(|c| {
                    (0..sc.followup.len())
                        .filter(|&s| {
                            let f = &sc.followup[s];
                            f.from_calls() && f.grades[g] && f.categories[c]
                        })
                        .map(|s| s as u16)
                        .collect()
                })
            }),
            staff: super::staff::Staff::new(sc, seed),
            seq: 0,
            lo,
            hi,
            callins: super::group_overtime::rules(sc),
            overtime: vec![Default::default(); sc.workgroups.len()],
            outstanding: 0,
            end: hi,
            result: vec![StreamResult::default(); sc.followup.len()],
        }
    }

    /// Changes stream `s`'s open count at `now`, integrating the backlog over the window.
    fn open(&mut self, s: usize, now: Time, delta: i64) {
        let st = &mut self.streams[s];
        let (a, b) = (st.last.max(self.lo), now.min(self.hi));
        if b > a {
            self.result[s].backlog_area += st.open * (b - a);
        }
        st.last = now;
        st.open = st
            .open
            .checked_add_signed(delta)
            .expect("open tasks never below 0");
    }

    fn new_task(&mut self, mut task: Task) -> u32 {
        task.live = true;
        self.tasks.insert(task)
    }

    pub(super) fn add_server(
        &mut self,
        q: &mut impl Schedule,
        group: usize,
        begun: i64,
        end: Option<Time>,
    ) -> u32 {
        let server = Server {
            group: group as u32,
            busy: false,
            shift_over: false,
            epoch: 0,
            task: NONE,
            begun,
            end: end.unwrap_or(Time::MAX),
            owed: 0,
            duty: super::staff::NO_DUTY,
            since: 0,
            overtime: false,
        };
        let id = self.servers.insert_with(|last| Server {
            epoch: last.map_or(0, |l| l.epoch.wrapping_add(1)),
            ..server
        });
        if let Some(end) = end {
            q.at(end, FieldEvent::GroupShiftEnd(id));
        }
        id
    }
}

/// A uniform number in [0, 1) from a key and a call's id: the same call gets the same number
/// whatever else happens in the run.
fn keyed_uniform(key: u64, call: u64) -> f64 {
    let mut z = key ^ call.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

impl<'s> Field<'s> {
    pub(super) fn work(&mut self) -> &mut Work<'s> {
        self.work.as_mut().expect("a scenario with follow-up work")
    }

    /// Puts constant staff on duty, schedules the first shifts and the first rate arrivals.
    pub(super) fn work_start(&mut self, q: &mut impl Schedule) {
        let Some(w) = &mut self.work else { return };
        let groups = w.groups;
        for (g, group) in groups.iter().enumerate() {
            for _ in 0..group.constant {
                let id = self.work().add_server(q, g, 0, None);
                self.server_free(q, 0, id);
            }
        }
        let w = self.work();
        let under_way = w.shifts.under_way_at_start(&w.shift_list);
        for (s, begun) in under_way {
            let w = self.work();
            let end = (begun + w.shift_list[s as usize].shift.length.0 as i64) as Time;
            self.add_group_shift(q, 0, s, begun, end);
        }
        let w = self.work();
        if let Some(t) = w.shifts.next_time() {
            q.at(t, FieldEvent::GroupShiftStart);
        }
        for s in 0..w.spec.len() {
            self.next_rate_task(q, 0, s);
        }
    }

    fn add_group_shift(&mut self, q: &mut impl Schedule, now: Time, s: u32, begun: i64, end: Time) {
        let w = self.work();
        let (group, count) = (
            w.shift_list[s as usize].group,
            w.shift_list[s as usize].shift.count,
        );
        for _ in 0..count {
            if !self.staff_present(group, begun, end) {
                continue;
            }
            let id = self.work().add_server(q, group, begun, Some(end));
            self.staff_schedule(q, now, id, begun, end);
            self.server_free(q, now, id);
        }
    }

    pub(super) fn work_staff(&mut self) -> Option<&mut super::staff::Staff> {
        self.work.as_mut().and_then(|w| w.staff.as_mut())
    }

    /// Server `id`'s identity for a scheduled duty (its epoch, above the duty's four bits).
    pub(super) fn server_tag(&mut self, id: u32) -> u32 {
        self.work().servers[id].epoch << 4
    }

    /// Whether server `id` is still the one `tag` was made for.
    pub(super) fn server_is(&mut self, id: u32, tag: u32) -> bool {
        let w = self.work();
        w.servers
            .get(id)
            .is_some_and(|sv| sv.epoch << 4 == tag && !sv.shift_over)
    }

    /// Server `id`'s shift end and group.
    pub(super) fn server_shift(&mut self, id: u32) -> (Time, usize) {
        let sv = &self.work().servers[id];
        (sv.end, sv.group as usize)
    }

    pub(super) fn server_busy(&mut self, id: u32) -> bool {
        self.work().servers[id].busy
    }

    /// Duty `k` of the staff's duties is owed by server `id`.
    pub(super) fn owe(&mut self, id: u32, k: usize) {
        self.work().servers[id].owed |= 1 << k;
    }

    /// Server `id` leaves its group's idle list.
    pub(super) fn server_leave_idle(&mut self, id: u32) {
        let w = self.work();
        let g = w.servers[id].group as usize;
        if let Some(k) = w.idle[g].iter().position(|&x| x == id) {
            w.idle[g].swap_remove(k);
        }
    }

    pub(super) fn on_group_shift_start(&mut self, q: &mut impl Schedule, now: Time) {
        let w = self.work();
        let s = w.shifts.advance();
        let next = w
            .shifts
            .next_time()
            .expect("a started calendar has a next start");
        q.at(next, FieldEvent::GroupShiftStart);
        let end = now + w.shift_list[s as usize].shift.length.0;
        self.add_group_shift(q, now, s, now as i64, end);
    }

    pub(super) fn on_group_shift_end(&mut self, now: Time, id: u32) {
        let w = self.work();
        let sv = &mut w.servers[id];
        sv.shift_over = true;
        let (g, owed) = (sv.group as usize, std::mem::take(&mut sv.owed));
        self.staff_leave(now, g, owed);
        let w = self.work();
        if !w.servers[id].busy {
            self.server_leave_idle(id);
            self.work().servers.remove(id);
        }
    }

    /// Schedules stream `s`'s next task at its rate, if it falls before the horizon.
    fn next_rate_task(&mut self, q: &mut impl Schedule, now: Time, s: usize) {
        let w = self.work();
        let per_week = w.spec[s].per_week;
        if per_week <= 0.0 {
            return;
        }
        let u: f64 = w.streams[s].arrivals.random();
        let gap = -(1.0 - u).ln() * WEEK as f64 / per_week;
        let t = now as f64 + gap.round();
        if t < w.hi as f64 {
            q.at(t as Time, FieldEvent::TaskArrival(s as u32));
        }
    }

    pub(super) fn on_task_arrival(&mut self, q: &mut impl Schedule, now: Time, s: u32) {
        let s = s as usize;
        self.next_rate_task(q, now, s);
        let w = self.work();
        let u: f64 = w.streams[s].ward.random();
        let ward = w.streams[s].ward_cumulative.pick(u) as u32;
        self.report(q, s, ward, now);
    }

    /// A call has been answered: creates the follow-up its incident calls for.
    pub(super) fn work_from_call(&mut self, q: &mut impl Schedule, h: &Handover, ends: Time) {
        let Some(w) = &self.work else { return };
        let (grade, cat) = (h.draw.grade as usize, h.draw.category as usize);
        for k in 0..w.from_call[grade][cat].len() {
            let w = self.work();
            let s = usize::from(w.from_call[grade][cat][k]);
            if keyed_uniform(w.streams[s].share_key, h.call) >= w.spec[s].share {
                continue;
            }
            self.report(q, s, h.draw.ward, ends);
        }
    }

    /// Something to follow up is reported at `at` (now or later) in `ward`: a task, or for T9
    /// a case whose first update falls due later.
    fn report(&mut self, q: &mut impl Schedule, s: usize, ward: u32, at: Time) {
        let cal = self.cal;
        let w = self.work();
        let spec = w.spec;
        let f = &spec[s];
        if let Some((sampler, rng)) = &mut w.streams[s].case {
            let closes = at.saturating_add(sampler.sample(rng));
            let case = Case { closes };
            let c = w.cases.insert(case);
            self.next_update(q, s, c, ward, at, &cal);
            return;
        }
        let deadline = w.working.deadline(&cal, at, f.deadline, w.bank_holidays);
        let (sampler, rng) = &mut w.streams[s].work;
        let work = sampler.sample(rng);
        let t = w.new_task(Task {
            stream: s as u16,
            measured: false,
            created: at,
            deadline,
            work,
            case: NONE,
            ward,
            live: false,
        });
        q.at(at, FieldEvent::TaskOpen(t));
    }

    /// Case `c`'s next update, due one T9 time after `from`, if the case is still open then.
    fn next_update(
        &mut self,
        q: &mut impl Schedule,
        s: usize,
        c: u32,
        ward: u32,
        from: Time,
        cal: &Calendar,
    ) {
        let w = self.work();
        let spec = w.spec;
        let f = &spec[s];
        let due = w.working.deadline(cal, from, f.deadline, w.bank_holidays);
        if due >= w.cases[c].closes {
            w.cases.remove(c);
            return;
        }
        let open = due.saturating_sub(f.notice.0).max(from);
        let (sampler, rng) = &mut w.streams[s].work;
        let work = sampler.sample(rng);
        let t = w.new_task(Task {
            stream: s as u16,
            measured: false,
            created: open,
            deadline: due,
            work,
            case: c,
            ward,
            live: false,
        });
        q.at(open, FieldEvent::TaskOpen(t));
    }

    pub(super) fn on_task_open(&mut self, q: &mut impl Schedule, now: Time, t: u32) {
        let w = self.work();
        let task = &mut w.tasks[t];
        let measured = (w.lo..w.hi).contains(&now) && !w.spec[task.stream as usize].background;
        task.measured = measured;
        task.created = now;
        let (s, ward) = (task.stream as usize, task.ward as usize);
        if measured {
            w.outstanding += 1;
            w.result[s].created += 1;
            // The run goes on to the latest deadline of a measured task (not simply the
            // horizon's: a month from 30 March 23:00 ends later than a month from 31 March).
            w.end = w.end.max(w.tasks[t].deadline);
        }
        w.open(s, now, 1);
        match w.spec[s].team {
            Team::Neighbourhood => self.desk_task(q, now, ward, t),
            Team::Group(g) => {
                if let Some(id) = w.idle[g].pop() {
                    self.server_take(q, now, id, t);
                } else {
                    w.seq += 1;
                    let key = (w.tasks[t].deadline, w.seq, t);
                    w.queues[g].push(Reverse(key));
                    self.group_overtime_sync(q, now, g);
                }
            }
        }
    }

    /// The work time of task `t`.
    pub(super) fn task_work(&mut self, t: u32) -> u64 {
        self.work().tasks[t].work
    }

    fn server_take(&mut self, q: &mut impl Schedule, now: Time, id: u32, t: u32) {
        let w = self.work();
        let work = w.tasks[t].work;
        let sv = &mut w.servers[id];
        sv.busy = true;
        sv.task = t;
        sv.since = now;
        q.at(now + work, FieldEvent::TaskDone(id, sv.epoch));
    }

    /// Server `id` is free at `now`: leaves at the end of its shift, or does an owed duty, or
    /// takes the next task.
    pub(super) fn server_free(&mut self, q: &mut impl Schedule, now: Time, id: u32) {
        let w = self.work();
        let sv = &mut w.servers[id];
        sv.busy = false;
        sv.task = NONE;
        if sv.shift_over {
            w.servers.remove(id);
            return;
        }
        let (g, begun, mut owed) = (sv.group as usize, sv.begun, sv.owed);
        if owed != 0 {
            let next = self.staff_next_duty(now, g, begun, &mut owed);
            let w = self.work();
            let sv = &mut w.servers[id];
            sv.owed = owed;
            if let Some((cause, ends)) = next {
                sv.busy = true;
                sv.duty = cause;
                sv.since = now;
                q.at(ends, FieldEvent::TaskDone(id, sv.epoch));
                return;
            }
        }
        let w = self.work();
        match w.queues[g].pop() {
            Some(Reverse((_, _, t))) => {
                self.server_take(q, now, id, t);
                self.group_overtime_sync(q, now, g);
            }
            None => w.idle[g].push(id),
        }
    }

    pub(super) fn on_task_done(&mut self, q: &mut impl Schedule, now: Time, id: u32, epoch: u32) {
        let w = self.work();
        let sv = &mut w.servers[id];
        if sv.epoch != epoch || !sv.busy {
            return;
        }
        if sv.duty != super::staff::NO_DUTY {
            let (g, cause, since, end) = (sv.group as usize, sv.duty, sv.since, sv.end);
            sv.duty = super::staff::NO_DUTY;
            self.staff_duty_done(g, cause, since, now, end);
            self.server_free(q, now, id);
            return;
        }
        let (t, g, since, rostered) = (sv.task, sv.group as usize, sv.since, !sv.overtime);
        if rostered {
            self.staff_task_done(g, since, now);
        }
        self.task_done(q, now, t);
        self.server_free(q, now, id);
    }

    /// Task `t` is done at `now`.
    pub(super) fn task_done(&mut self, q: &mut impl Schedule, now: Time, t: u32) {
        let cal = self.cal;
        let w = self.work();
        let task = &w.tasks[t];
        let (s, measured, created, deadline, case, ward) = (
            task.stream as usize,
            task.measured,
            task.created,
            task.deadline,
            task.case,
            task.ward,
        );
        if measured {
            let r = &mut w.result[s];
            r.done += 1;
            r.within += u64::from(now <= deadline);
            r.sum_done_ms += now - created;
            w.outstanding -= 1;
        }
        w.open(s, now, -1);
        w.tasks[t].live = false;
        w.tasks.remove(t);
        if case != NONE {
            self.next_update(q, s, case, ward, now, &cal);
        }
    }

    /// Closes the backlog integrals and counts the measured tasks still open.
    pub(super) fn work_finish(&mut self, end: Time) {
        let Some(w) = &mut self.work else { return };
        for s in 0..w.spec.len() {
            w.open(s, end, 0);
        }
        for task in w.tasks.iter() {
            if task.live && task.measured {
                w.result[task.stream as usize].open_at_end += 1;
            }
        }
    }
}
