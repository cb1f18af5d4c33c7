//! Neighbourhood officers sent to incidents: abstraction to response after `abstract_after`,
//! pulls when no response unit can arrive within `pull_after`, and the way back to their ward.

use super::*;

impl Field<'_> {
    /// An incident has waited `abstract_after`: sends a neighbourhood officer if it still
    /// needs a unit.
    pub(in crate::model::field) fn on_abstract_check(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        i: u32,
        generation: u32,
    ) {
        let inc = &self.incidents[i];
        if inc.generation != generation || !inc.queued || inc.assigned + inc.cleared >= inc.needed {
            return;
        }
        let (pos, ward, measured) = (inc.draw.pos, inc.draw.ward as usize, inc.measured);
        let emergency = usize::from(inc.draw.grade) == GRADE_I;
        let spec = self.spec;
        let home = spec.wards[ward].sector;
        // A free member; failing that, for an emergency, one on a duty that may be interrupted.
        let Some((m, from)) = self
            .nearest_member(now, home, pos, false)
            .or_else(|| emergency.then(|| self.nearest_member(now, home, pos, true))?)
        else {
            return;
        };
        let h = self.hood();
        h.interrupt(m, now);
        if measured {
            h.result.to_response += 1;
        }
        let own = h.spec.members[m as usize].ward == ward;
        h.busy(m, now, if own { VISIBLE } else { RESPONSE });
        let sector = spec.wards[h.spec.members[m as usize].ward].sector as u32;
        let u = self.units.add(Unit::new(sector, 1, from, now, m));
        self.send(q, now, u, i, from);
        let inc = &self.incidents[i];
        if inc.assigned + inc.cleared >= inc.needed {
            self.unqueue(i);
        }
    }

    /// Pulls: incident `i` (of a marked grade, just dispatched or queued) has no response unit
    /// estimated to arrive within `pull_after` of its creation: the nearest member allowed to
    /// respond (free; for an emergency, failing that, on a duty that may be interrupted) goes
    /// if their estimated arrival beats the best response unit's. Estimates leave out the
    /// random travel factor, which no dispatcher knows. A response unit already on its way
    /// still goes; a queued incident keeps waiting only for the units it still lacks.
    pub(in crate::model::field) fn pull(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let Some(after) = self.hood.as_ref().and_then(|h| h.spec.pull_after) else {
            return;
        };
        let inc = &self.incidents[i];
        let grade = usize::from(inc.draw.grade);
        if inc.pulled
            || inc.attended
            || grade > GRADE_S
            || !self
                .hood
                .as_ref()
                .is_some_and(|h| h.spec.abstract_grades[grade])
        {
            return;
        }
        let best = inc.eta;
        if best <= inc.created.saturating_add(after.0) {
            return;
        }
        self.pull_before(q, now, i, best);
    }

    /// Pulled first (`dispatch_order = ["pulled", "response"]`): before any response unit,
    /// incident `i` (of a marked grade, just dispatched, still short of units) takes the
    /// nearest member allowed to respond (free; for an emergency, failing that, on a duty that
    /// may be interrupted) if their estimated arrival is within `pull_after` of its creation;
    /// response units then go only to the places it still lacks. Otherwise response units
    /// first, then the pull as with the default order.
    pub(in crate::model::field) fn pull_first(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let Some(after) = self.hood.as_ref().and_then(|h| h.spec.pull_after) else {
            return;
        };
        let inc = &self.incidents[i];
        let grade = usize::from(inc.draw.grade);
        if inc.pulled
            || inc.attended
            || grade > GRADE_S
            || inc.assigned + inc.cleared >= inc.needed
            || !self
                .hood
                .as_ref()
                .is_some_and(|h| h.spec.abstract_grades[grade])
        {
            return;
        }
        let by = inc.created.saturating_add(after.0).saturating_add(1);
        self.pull_before(q, now, i, by);
    }

    /// Sends the nearest member allowed to respond to incident `i` if their estimated arrival
    /// is before `best` (a pull).
    fn pull_before(&mut self, q: &mut impl Schedule, now: Time, i: u32, best: Time) {
        let inc = &self.incidents[i];
        let grade = usize::from(inc.draw.grade);
        let (pos, ward, measured) = (inc.draw.pos, inc.draw.ward as usize, inc.measured);
        let spec = self.spec;
        let home = spec.wards[ward].sector;
        let Some((m, from)) = self
            .nearest_member(now, home, pos, false)
            .or_else(|| (grade == GRADE_I).then(|| self.nearest_member(now, home, pos, true))?)
        else {
            return;
        };
        // Estimated as `send` will time the trip: the travel matrix's time where it has one,
        // else distance over speed.
        let speed = spec.speed_kmh[usize::from(spec.wards[ward].rural)][grade];
        let km = spec.metric.distance(from, pos);
        let secs = spec
            .matrix_secs(from, ward, now)
            .unwrap_or(km / speed * 3600.0);
        let estimate = now
            .saturating_add(spec.turnout.0)
            .saturating_add(crate::time::secs_to_ms(secs));
        if estimate >= best {
            return;
        }
        self.incidents[i].pulled = true;
        let h = self.hood();
        h.interrupt(m, now);
        if measured {
            h.result.to_response += 1;
            h.result.pulled += 1;
        }
        let own = h.spec.members[m as usize].ward == ward;
        h.busy(m, now, if own { VISIBLE } else { RESPONSE });
        let sector = spec.wards[h.spec.members[m as usize].ward].sector as u32;
        let u = self.units.add(Unit::new(sector, 1, from, now, m));
        self.send(q, now, u, i, from);
        let inc = &self.incidents[i];
        if inc.queued && inc.assigned + inc.cleared >= inc.needed {
            self.unqueue(i);
        }
    }

    /// The nearest free member allowed to respond (with `interrupting`, the nearest on a duty
    /// that may be interrupted instead): the home sector's wards first, then the borrowing
    /// sectors'. Each candidate is somewhere in their ward (drawn afresh).
    fn nearest_member(
        &mut self,
        now: Time,
        home: usize,
        pos: (f64, f64),
        interrupting: bool,
    ) -> Option<(u32, (f64, f64))> {
        let spec = self.spec;
        let metric = spec.metric;
        let h = self.hood.as_mut().expect("neighbourhood teams");
        let mut search = |sectors: &[usize]| {
            let mut best: Option<(f64, u32, (f64, f64))> = None;
            for &s in sectors {
                if h.none_to_pull(s, interrupting) {
                    continue;
                }
                for &(m, w) in &h.pullable[s] {
                    let available = if interrupting {
                        h.interruptible(m, now)
                    } else {
                        h.free(m, now)
                    };
                    if !available {
                        continue;
                    }
                    let at = spec.wards[w].sample(&mut h.place_rng);
                    let d = metric.distance(at, pos);
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, m, at));
                    }
                }
            }
            best.map(|(_, m, at)| (m, at))
        };
        search(&[home]).or_else(|| search(&spec.sectors[home].neighbours))
    }

    /// A member's unit has cleared its incident: paperwork, the drive back, then free.
    pub(in crate::model::field) fn member_cleared(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        u: u32,
        i: u32,
    ) {
        let m = self.units.remove_member(u);
        let spec = self.spec;
        let inc = &self.incidents[i];
        let h = self.hood.as_mut().expect("neighbourhood teams");
        let home = &spec.wards[h.spec.members[m as usize].ward];
        let back = if inc.draw.ward as usize == h.spec.members[m as usize].ward {
            0
        } else {
            let km = spec.metric.distance(inc.draw.pos, (home.x, home.y));
            crate::time::secs_to_ms(km / spec.speed_kmh[usize::from(home.rural)][GRADE_S] * 3600.0)
        };
        let paperwork = inc.draw.paperwork;
        let draw = inc.draw;
        h.members[m as usize].back = back;
        self.after_incident(m, &draw);
        let h = self.hood.as_mut().expect("neighbourhood teams");
        if paperwork > 0 {
            let e = h.busy(m, now, PAPERWORK);
            q.at(now + paperwork, FieldEvent::MemberFree(m, e));
        } else {
            let e = h.members[m as usize].epoch;
            self.on_member_free(q, now, m, e);
        }
    }
}
