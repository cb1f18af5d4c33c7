//! The staff of follow-up workgroups as people: shrinkage of their rostered shifts and their
//! duties, so that follow-up work competes with the rest of their working time.
//!
//! Rules, in one place:
//! - Each person of a workgroup's shift is drawn present, or lost to leave, sickness or
//!   training (role `staff`'s shrinkage), as the shift starts, in order of shift starts. A lost
//!   person does not come on duty. `constant` staff are posts kept filled at all times: no
//!   shrinkage and no duties.
//! - Duties of role `staff`: `shift_start` is done first, as the person comes on duty; a
//!   `break` falls due `after` into the shift and is taken when the person is next free (a task
//!   in hand is finished first), and missed if not started by `latest` into the shift; a
//!   `per_week` duty falls due at its rate over the person's shift and is taken when they are
//!   next free (`if_busy = "defer"`) or not done (`"drop"`). Owed duties come before waiting
//!   tasks, in the scenario's order; at most one of each duty is owed at a time (a second
//!   falling due while one is owed is dropped). A person is never interrupted. Duties still
//!   owed when the shift ends are missed.
//! - Measured: rostered shifts starting in the window and those lost; time on duty (rostered
//!   shift time in the window) and the part of it each duty's cause takes (a duty running past
//!   the shift's end counts up to the end); time on tasks (all of it, a task in hand at the
//!   shift's end included), so that utilisation is the work done over the time on duty.

use super::*;
use crate::scenario::officers::{Duty, IfBusy, ROLE_STAFF, Shrinkage, When};

/// No duty in hand.
pub(super) const NO_DUTY: u8 = u8::MAX;

/// What one workgroup's staff measure in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StaffResult {
    /// Person-shifts starting in the window, and those lost (leave, sickness, training).
    pub rostered_shifts: u64,
    pub lost_shifts: [u64; 3],
    /// Rostered time on duty inside the window (person-ms).
    pub on_duty_ms: u64,
    /// The part of it each duty cause took ([`crate::scenario::officers::CAUSES`]), and the
    /// part spent on tasks (follow-up and the group's own caseload).
    pub cause_ms: [u64; 6],
    pub task_ms: u64,
    /// Breaks that fell due, and those missed.
    pub breaks: [u64; 2],
    /// Duties started; dropped (due while busy, with `if_busy = "drop"`); missed (owed and
    /// never started: past a break's latest, or owed when the shift ended).
    pub started: u64,
    pub dropped: u64,
    pub missed: u64,
}

struct SDuty {
    spec: Duty,
    sampler: Sampler,
    lengths: ChaCha8Rng,
    gaps: ChaCha8Rng,
}

/// Where a stretch of a person's time goes.
#[derive(Clone, Copy)]
enum Credit {
    OnDuty,
    Cause(usize),
    Task,
}

/// The staff's duties and shrinkage, with their random streams.
pub(super) struct Staff {
    duties: Vec<SDuty>,
    shrinkage: Shrinkage,
    shrink: Vec<ChaCha8Rng>,
    lo: Time,
    hi: Time,
    pub(super) result: Vec<StaffResult>,
}

impl Staff {
    /// The staff's duties and shrinkage, or None when the scenario gives them neither (then
    /// workgroups are served exactly as before).
    pub(super) fn new(sc: &Scenario, seed: u64) -> Option<Staff> {
        let o = &sc.officers;
        let shrinkage = o.shrinkage[ROLE_STAFF];
        let duties: Vec<SDuty> = o
            .duties
            .iter()
            .enumerate()
            .filter(|(_, d)| d.roles[ROLE_STAFF])
            .map(|(d, spec)| SDuty {
                spec: spec.clone(),
                sampler: Sampler::new(&spec.length),
                lengths: rng::rng(seed, rng::stream(purpose::STAFF_DUTY_LENGTH, d as u64)),
                gaps: rng::rng(seed, rng::stream(purpose::STAFF_DUTY_GAP, d as u64)),
            })
            .collect();
        if duties.is_empty() && shrinkage.is_none() {
            return None;
        }
        let groups = sc.workgroups.len();
        Some(Staff {
            duties,
            shrinkage,
            shrink: (0..groups)
                .map(|g| rng::rng(seed, rng::stream(purpose::STAFF_SHRINKAGE, g as u64)))
                .collect(),
            lo: sc.run.warm_up.0,
            hi: sc.run.horizon.0,
            result: vec![StaffResult::default(); groups],
        })
    }

    fn in_window(&self, t: Time) -> bool {
        (self.lo..self.hi).contains(&t)
    }

    /// Whether a person of group `g`'s shift starting at `begun` comes on duty (counting the
    /// shift and its loss when it starts in the window).
    fn present(&mut self, g: usize, begun: i64) -> bool {
        let u: f64 = if self.shrinkage.is_none() {
            1.0
        } else {
            self.shrink[g].random()
        };
        let counted = begun >= 0 && self.in_window(begun as Time);
        let lost = self.shrinkage.cause(u);
        if counted {
            let r = &mut self.result[g];
            r.rostered_shifts += 1;
            if let Some(c) = lost {
                r.lost_shifts[c] += 1;
            }
        }
        lost.is_none()
    }

    /// Time from `a` to `b` of group `g` goes to `what`, inside the window.
    fn credit(&mut self, g: usize, what: Credit, a: Time, b: Time) {
        let (a, b) = (a.max(self.lo), b.min(self.hi));
        if b > a {
            let r = &mut self.result[g];
            match what {
                Credit::Cause(c) => r.cause_ms[c] += b - a,
                Credit::Task => r.task_ms += b - a,
                Credit::OnDuty => r.on_duty_ms += b - a,
            }
        }
    }

    /// The gap to a `per_week` duty's next falling due.
    fn gap(&mut self, k: usize) -> Option<u64> {
        let d = &mut self.duties[k];
        match d.spec.when {
            When::PerWeek { per_week } => Some(super::gap(&mut d.gaps, per_week, WEEK)),
            _ => None,
        }
    }
}

impl<'s> Field<'s> {
    fn staff(&mut self) -> &mut Staff {
        self.work_staff()
            .expect("workgroup staff with duties or shrinkage")
    }

    /// A person of group `g`'s shift from `begun` to `end`: whether they come on duty; if so,
    /// counts their time and schedules their duties once they exist as server `id`.
    pub(super) fn staff_present(&mut self, g: usize, begun: i64, end: Time) -> bool {
        let Some(st) = self.work_staff() else {
            return true;
        };
        if !st.present(g, begun) {
            return false;
        }
        st.credit(g, Credit::OnDuty, begun.max(0) as Time, end);
        true
    }

    /// Server `id` (of group `g`) has come on duty at `now` for a shift that began at `begun`:
    /// its shift-start duties are owed and its breaks and weekly duties scheduled.
    pub(super) fn staff_schedule(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        id: u32,
        begun: i64,
        end: Time,
    ) {
        if self.work_staff().is_none() {
            return;
        }
        let tag = self.server_tag(id);
        let n = self.staff().duties.len();
        for k in 0..n {
            let st = self.staff();
            let d = &st.duties[k];
            let at = match d.spec.when {
                When::ShiftStart => {
                    // Only a shift starting now (one under way at the run's start owes none).
                    (begun >= now as i64).then_some(now)
                }
                When::Break { after, .. } => {
                    let t = begun + after.0 as i64;
                    (t >= now as i64).then_some(t as Time)
                }
                When::PerWeek { .. } => st.gap(k).map(|g| now.saturating_add(g)),
                When::AfterIncident { .. } => None,
            };
            if let Some(t) = at.filter(|t| *t < end) {
                if matches!(st.duties[k].spec.when, When::ShiftStart) {
                    self.owe(id, k);
                } else {
                    q.at(t, FieldEvent::StaffDutyDue(id, tag | k as u32));
                }
            }
        }
    }

    /// Duty `k` falls due for server `id` (its tag checked): taken now if the person is free,
    /// else owed or dropped.
    pub(super) fn on_staff_duty_due(&mut self, q: &mut impl Schedule, now: Time, id: u32, v: u32) {
        let k = (v & 0xF) as usize;
        if !self.server_is(id, v & !0xF) {
            return;
        }
        let (end, g) = self.server_shift(id);
        let st = self.staff();
        if let When::PerWeek { .. } = st.duties[k].spec.when {
            if let Some(t) = st
                .gap(k)
                .map(|x| now.saturating_add(x))
                .filter(|t| *t < end)
            {
                q.at(t, FieldEvent::StaffDutyDue(id, v));
            }
        }
        let st = self.staff();
        if let When::Break { .. } = st.duties[k].spec.when {
            if st.in_window(now) {
                st.result[g].breaks[0] += 1;
            }
        }
        if self.server_busy(id) {
            let st = self.staff();
            if st.duties[k].spec.if_busy == IfBusy::Drop
                && !matches!(st.duties[k].spec.when, When::Break { .. })
            {
                if st.in_window(now) {
                    st.result[g].dropped += 1;
                }
            } else {
                self.owe(id, k);
            }
        } else {
            self.server_leave_idle(id);
            self.owe(id, k);
            self.server_free(q, now, id);
        }
    }

    /// The next owed duty of server `id` (of group `g`, on a shift that began at `begun`), to
    /// start at `now`: its cause and end, or None when nothing is owed. Breaks past their
    /// latest are missed on the way.
    pub(super) fn staff_next_duty(
        &mut self,
        now: Time,
        g: usize,
        begun: i64,
        owed: &mut u16,
    ) -> Option<(u8, Time)> {
        let st = self.work_staff()?;
        while *owed != 0 {
            let k = owed.trailing_zeros() as usize;
            *owed &= !(1 << k);
            let in_window = st.in_window(now);
            if let When::Break { latest, .. } = st.duties[k].spec.when {
                if now as i64 > begun + latest.0 as i64 {
                    if in_window {
                        st.result[g].breaks[1] += 1;
                        st.result[g].missed += 1;
                    }
                    continue;
                }
            }
            let d = &mut st.duties[k];
            let ms = d.sampler.sample(&mut d.lengths);
            if in_window {
                st.result[g].started += 1;
            }
            return Some((d.spec.cause as u8, now.saturating_add(ms)));
        }
        None
    }

    /// Duty time of cause `cause` from `since` to `now` for group `g`, up to the shift's end.
    pub(super) fn staff_duty_done(
        &mut self,
        g: usize,
        cause: u8,
        since: Time,
        now: Time,
        end: Time,
    ) {
        if let Some(st) = self.work_staff() {
            st.credit(g, Credit::Cause(cause as usize), since, now.min(end));
        }
    }

    /// Task time from `since` to `now` for group `g` (a task in hand at the shift's end is
    /// finished, and all its time counts).
    pub(super) fn staff_task_done(&mut self, g: usize, since: Time, now: Time) {
        if let Some(st) = self.work_staff() {
            st.credit(g, Credit::Task, since, now);
        }
    }

    /// Duties still owed when a person leaves: missed.
    pub(super) fn staff_leave(&mut self, now: Time, g: usize, owed: u16) {
        let Some(st) = self.work_staff() else { return };
        if owed == 0 || !st.in_window(now) {
            return;
        }
        for k in 0..st.duties.len() {
            if owed & (1 << k) != 0 {
                st.result[g].missed += 1;
                if let When::Break { .. } = st.duties[k].spec.when {
                    st.result[g].breaks[1] += 1;
                }
            }
        }
    }
}
