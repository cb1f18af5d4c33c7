//! Backfill to minimum staffing: when a response team's shift starts with fewer officers
//! present than its minimum, neighbourhood officers of the sector's wards are taken for whole
//! shifts to make it up.
//!
//! Rules, in one place:
//! - Decided as the response shift starts (a shift under way at the run's start is not made
//!   up), from the officers present after shrinkage.
//! - Candidates are the members of the neighbourhood teams of the sector's wards whose role is
//!   in the team's `backfill` list, taken in that list's order and, within a role, in the order
//!   the scenario gives the members; each with a rostered shift of their own starting in the
//!   first half of the response shift (from its start to its midpoint), not already taken.
//! - A taken member works their own shift's hours in a response car of the sector, alone: the
//!   whole shift is lost to `backfill` in their time (T6), and is counted as a backfilled
//!   shift. A taken member whose shift turns out lost to leave or sickness, or a training
//!   shift, does not come; the place is counted unfilled, as is every place for which no
//!   candidate was found.

use super::*;
use crate::scenario::neighbourhood::Neighbourhood;

pub(super) struct Backfill {
    /// Per member: the starts of their own shifts they are taken for, with the team.
    marks: Vec<Vec<(Time, u32)>>,
    /// Per team: the candidates, in order.
    pool: Vec<Vec<u32>>,
    lo: Time,
    hi: Time,
    /// Per team: officers who worked a response shift from the neighbourhood, and places left
    /// unfilled, for response shifts starting in the window.
    pub(super) result: Vec<[u64; 2]>,
}

impl Backfill {
    /// None when no team has a minimum (then nothing changes).
    pub(super) fn new(sc: &Scenario, spec: &Spec) -> Option<Backfill> {
        let n: &Neighbourhood = sc.neighbourhood.as_ref()?;
        if spec.teams.iter().all(|t| t.minimum == 0) {
            return None;
        }
        let pool = spec
            .teams
            .iter()
            .map(|team| {
                let mut out = Vec::new();
                for &role in &team.backfill {
                    for (m, member) in n.members.iter().enumerate() {
                        if member.role == role && spec.wards[member.ward].sector == team.sector {
                            out.push(m as u32);
                        }
                    }
                }
                out
            })
            .collect();
        Some(Backfill {
            marks: vec![Vec::new(); n.members.len()],
            pool,
            lo: sc.run.warm_up.0,
            hi: sc.run.horizon.0,
            result: vec![[0; 2]; spec.teams.len()],
        })
    }

    fn counted(&self, t: Time) -> bool {
        (self.lo..self.hi).contains(&t)
    }
}

impl Field<'_> {
    /// Team `t`'s shift from `begun` to `end` is `need` officers short: takes neighbourhood
    /// officers for it, in order.
    pub(super) fn backfill(&mut self, t: usize, begun: Time, end: Time, mut need: u32) {
        let half = begun + (end - begun) / 2;
        let starts = match &self.hood {
            Some(h) => h.member_starts_between(begun, half),
            None => Vec::new(),
        };
        let Some(b) = &mut self.backfill else { return };
        for &m in &b.pool[t] {
            if need == 0 {
                break;
            }
            let taken = &b.marks[m as usize];
            if let Some(&(at, _)) = starts
                .iter()
                .find(|(at, who)| *who == m && !taken.iter().any(|(x, _)| x == at))
            {
                b.marks[m as usize].push((at, t as u32));
                need -= 1;
            }
        }
        if b.counted(begun) {
            b.result[t][1] += u64::from(need);
        }
    }

    /// Member `m`'s rostered shift starting at `begun`: the team it is taken for, if any.
    pub(super) fn backfill_taken(&mut self, m: u32, begun: i64) -> Option<u32> {
        let b = self.backfill.as_mut()?;
        let marks = &mut b.marks[m as usize];
        let k = marks.iter().position(|(at, _)| *at as i64 == begun)?;
        Some(marks.swap_remove(k).1)
    }

    /// Member `m`, taken for team `t`, comes: a car of the team's sector, crewed by them
    /// alone, from `now` to `end`. `worked`: false when their shift was lost or a training
    /// shift (the place is then unfilled).
    pub(super) fn backfill_come(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        t: u32,
        end: Time,
        worked: bool,
    ) {
        let sector = self.spec.teams[t as usize].sector as u32;
        if let Some(b) = &mut self.backfill {
            if b.counted(now) {
                b.result[t as usize][usize::from(!worked)] += 1;
            }
        }
        if worked {
            self.add_unit(q, now, sector, 1, Some((now as i64, end)));
        }
    }
}
