//! Incidents: drawn when their call arrives, created when it is answered, queued for a unit.
//!
//! Rules, in one place:
//! - A call's incident attributes (ward, location, grade, category, two-unit need, time on
//!   scene, paperwork) are drawn when the call arrives, each keyed by the call's index on its
//!   channel in a stream of its own, so that a call's attributes do not depend on any other
//!   call's; those its grade does not use (time on scene, paperwork, a dispatcher's time and
//!   travel factors of an incident nobody is sent to) are not drawn.
//! - Grade I (emergency) incidents are created `emergency_created_after` the call is answered
//!   (dispatch while the call goes on); S (priority) and E (scheduled) when the call ends; R
//!   (resolved on the phone) create none. A grade with a `created_after` distribution (the CAD
//!   delay) is created that long after the answer instead. I and S are dispatched to response
//!   units (through a dispatcher when the scenario has them); E books an appointment.
//! - The control room's per-call draws (CAD delay, dispatcher's time, the first two trips'
//!   travel factors) are drawn on arrival too, keyed the same way, when the grade uses them.

use super::*;
use std::ops::{Index, IndexMut};

/// An incident's attributes, drawn when its call arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    pub ward: u32,
    /// Where the incident is (for grade R, which has no incident, the ward's centre).
    pub pos: (f64, f64),
    pub grade: u8,
    pub category: u8,
    pub two_units: bool,
    pub on_scene: u64,
    pub paperwork: u64,
    /// The CAD delay from answer to creation, when the grade has one.
    pub created_after: Option<u64>,
    /// A dispatcher's time on this incident (0 without dispatchers).
    pub dispatch_work: u64,
    /// The travel factors of the incident's first two trips (1 without a travel factor).
    pub travel: [f64; 2],
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

/// An incident, from its call's answer until it is done with (when its slot may be reused).
pub(super) struct Incident {
    pub(super) call: u64,
    pub(super) call_arrival: Time,
    pub(super) created: Time,
    pub(super) draw: Draw,
    pub(super) needed: u8,
    pub(super) assigned: u8,
    pub(super) cleared: u8,
    /// The first unit to clear it (NONE): it cannot also be its second unit.
    pub(super) cleared_by: u32,
    /// Units sent so far (each trip after the first two draws its own travel factor).
    pub(super) trips: u8,
    /// The earliest estimated arrival (turnout plus distance over speed, without the random
    /// travel factor a dispatcher cannot know) of the units sent to it (`Time::MAX`: none).
    pub(super) eta: Time,
    /// A neighbourhood officer has been pulled to it (once at most).
    pub(super) pulled: bool,
    pub(super) attended: bool,
    pub(super) dispatched: bool,
    pub(super) queued: bool,
    pub(super) measured: bool,
    pub(super) hour: u16,
    /// Counts the reuses of its slot, so that a late check can tell it is stale.
    pub(super) generation: u32,
}

/// The streams and samplers of the incident draws.
pub(super) struct Draws {
    /// Per channel: cumulative ward weights (all day).
    ward_cumulative: [Guided; 2],
    /// Per ward and channel: the ward's cumulative grade mix (all day, or its own).
    ward_grading: Vec<[Mix<4>; 2]>,
    /// Per grade: cumulative category shares (all day).
    categories: [Mix<5>; 4],
    /// The hour bands' mixes, in the scenario's order.
    bands: Vec<BandMix>,
    /// Per minute of the day: 0 for the all-day mixes, k for band k - 1 (empty without bands).
    minute_band: Vec<u16>,
    /// Per channel, the keyed stream of a call's attributes (see `purpose::CALL_INCIDENT`).
    keys: [KeyedStream; 2],
    on_scene: [Sampler; 2],
    paperwork: Option<Sampler>,
    /// The control room's draws, when the scenario has them.
    cad: Option<CadDraws>,
}

/// An hour band's mixes, cumulative; None where it keeps the all-day one.
struct BandMix {
    ward_cumulative: [Option<Guided>; 2],
    /// Per channel, for wards without their own grade mix.
    grading: [Option<Mix<4>>; 2],
    categories: [Option<Mix<5>>; 4],
}

/// Samplers and streams of the control room's per-call draws.
struct CadDraws {
    /// CAD delay by grade (I, S, E) and its streams, per channel.
    created_after: [Option<Sampler>; 3],
    dispatch: Option<Sampler>,
    factor: TravelFactor,
    /// Per channel, the keyed stream (see `purpose::CALL_CONTROL_ROOM`).
    keys: [KeyedStream; 2],
}

impl CadDraws {
    fn new(spec: &Spec, seed: u64) -> Option<Self> {
        let dispatch = spec
            .dispatchers
            .as_ref()
            .map(|d| Sampler::new(&d.dispatch_time));
        if spec.created_after.iter().all(Option::is_none)
            && dispatch.is_none()
            && spec.travel_factor == TravelFactor::None
        {
            return None;
        }
        Some(CadDraws {
            created_after: spec
                .created_after
                .each_ref()
                .map(|d| d.as_ref().map(Sampler::new)),
            dispatch,
            factor: spec.travel_factor,
            keys: [0, 1]
                .map(|ch| KeyedStream::new(seed, rng::stream(purpose::CALL_CONTROL_ROOM, ch))),
        })
    }

    /// Call `index`'s CAD delay for `grade`, and for a dispatched grade the dispatcher's time
    /// and the first two travel factors (0 and 1 otherwise).
    fn draw(
        &self,
        c: usize,
        index: u64,
        grade: usize,
        rural: bool,
    ) -> (Option<u64>, u64, [f64; 2]) {
        let key = self.keys[c].at(index);
        let created = match self.created_after.get(grade) {
            Some(Some(s)) => Some(s.sample(&mut key.part(grade as u64))),
            _ => None,
        };
        if grade != GRADE_I && grade != GRADE_S {
            return (created, 0, [1.0, 1.0]);
        }
        let work = self
            .dispatch
            .as_ref()
            .map_or(0, |s| s.sample(&mut key.part(3)));
        let travel = if self.factor == TravelFactor::None {
            [1.0, 1.0]
        } else {
            let r = &mut key.part(4);
            [
                travel_factor(self.factor, rural, r),
                travel_factor(self.factor, rural, r),
            ]
        };
        (created, work, travel)
    }
}

/// One trip's travel factor (mean 1).
pub(super) fn travel_factor<R: rand::Rng + ?Sized>(f: TravelFactor, rural: bool, r: &mut R) -> f64 {
    use rand_distr::{Distribution, Exp1, StandardNormal};
    match f {
        TravelFactor::None => 1.0,
        TravelFactor::Exponential => Exp1.sample(r),
        TravelFactor::Lognormal { cv } => {
            let z: f64 = StandardNormal.sample(r);
            let cv = cv[usize::from(rural)];
            if cv == 0.0 {
                return 1.0;
            }
            // Mean 1: sigma^2 = ln(1 + cv^2), mu = -sigma^2 / 2.
            let s2 = cv.mul_add(cv, 1.0).ln();
            (s2.sqrt() * z - s2 / 2.0).exp()
        }
    }
}

impl Draws {
    pub(super) fn new(spec: &Spec, seed: u64) -> Self {
        let keys = |ch: u64| KeyedStream::new(seed, rng::stream(purpose::CALL_INCIDENT, ch));
        let bands: Vec<BandMix> = spec
            .hour_bands
            .iter()
            .map(|b| BandMix {
                ward_cumulative: [0, 1].map(|ch| {
                    b.ward_factor[ch].as_ref().map(|f| {
                        Guided::new(cumulative(
                            spec.wards.iter().zip(f).map(|(w, x)| w.weights[ch] * x),
                        ))
                    })
                }),
                grading: b.grading.map(|g| g.as_ref().map(Mix::new)),
                categories: b.categories.map(|c| c.as_ref().map(Mix::new)),
            })
            .collect();
        let minute_band = if bands.is_empty() {
            Vec::new()
        } else {
            (0..24 * 60)
                .map(|m| {
                    spec.hour_bands
                        .iter()
                        .position(|b| b.holds(m * crate::time::MINUTE))
                        .map_or(0, |k| k as u16 + 1)
                })
                .collect()
        };
        Draws {
            ward_cumulative: [0, 1]
                .map(|ch| Guided::new(cumulative(spec.wards.iter().map(|w| w.weights[ch])))),
            ward_grading: spec
                .wards
                .iter()
                .map(|w| w.grading.each_ref().map(Mix::new))
                .collect(),
            categories: spec.categories.each_ref().map(Mix::new),
            bands,
            minute_band,
            keys: [keys(0), keys(1)],
            on_scene: [
                Sampler::new(&spec.on_scene[0]),
                Sampler::new(&spec.on_scene[1]),
            ],
            paperwork: spec.paperwork.as_ref().map(Sampler::new),
            cad: CadDraws::new(spec, seed),
        }
    }

    /// The incident attributes of call `index` of its channel, arriving at `now`, applying a
    /// fixed call's. The mixes are those of the band holding its time of day; its uniforms are
    /// the same whatever the mixes (each attribute is keyed by the call), so common random
    /// numbers hold across scenarios that differ only in them.
    fn draw(
        &self,
        spec: &Spec,
        ch: ChannelKind,
        fixed: Option<&FixedCall>,
        now: Time,
        index: u64,
    ) -> Draw {
        let c = ch.index();
        let band = match self
            .minute_band
            .get(((now % DAY) / crate::time::MINUTE) as usize)
        {
            Some(&k) if k > 0 => Some(&self.bands[usize::from(k) - 1]),
            _ => None,
        };
        // The call's generator, and each attribute's part of it.
        let key = self.keys[c].at(index);
        let [
            k_ward,
            k_loc,
            k_grade,
            k_cat,
            k_two,
            k_scene_i,
            k_scene_s,
            k_paper,
        ] = std::array::from_fn(|a| key.part(a as u64));
        let u = |k: Keyed| k.clone().random::<f64>();
        let ward_cum = band
            .and_then(|b| b.ward_cumulative[c].as_ref())
            .unwrap_or(&self.ward_cumulative[c]);
        // Each attribute's uniform comes from its own part of the key, so one left undrawn
        // (a sure pick, a two-unit share of 0 or 1) moves no other.
        let mut ward = ward_cum.pick_keyed(&k_ward);
        // A fixed call's ward, or the ward its given place lies in.
        match fixed {
            Some(FixedCall { ward: Some(w), .. }) => ward = *w,
            Some(FixedCall {
                position: Some(p), ..
            }) => ward = crate::scenario::response::ward_at(&spec.wards, *p),
            _ => {}
        }
        let w = &spec.wards[ward];
        let cum = match band.and_then(|b| b.grading[c].as_ref()) {
            Some(g) if !w.own_grading => g,
            _ => &self.ward_grading[ward][c],
        };
        let mut grade = cum.pick_keyed(&k_grade);
        if let Some(g) = fixed.and_then(|f| f.grade) {
            grade = g;
        }
        // Only an incident's place is ever looked at: a call resolved without attendance
        // (grade R) keeps its ward's centre, and its place is not drawn (its part of the key
        // is its own, so this moves no other draw).
        let pos = match fixed.and_then(|f| f.position) {
            Some(p) => p,
            None if grade == GRADE_R => (w.x, w.y),
            None => w.sample(&mut k_loc.clone()),
        };
        let cats = band
            .and_then(|b| b.categories[grade].as_ref())
            .unwrap_or(&self.categories[grade]);
        let mut category = cats.pick_keyed(&k_cat);
        let dispatched = grade == GRADE_I || grade == GRADE_S;
        let share = spec.two_units[grade.min(1)];
        // u < share for every u in [0, 1) when the share is 1 or more, for none when it is 0.
        let mut two_units = dispatched && (share >= 1.0 || (share > 0.0 && u(k_two) < share));
        // Each dispatched grade's time on scene has its own keyed stream, so a change of grade
        // mix leaves every other call's times on scene as they were.
        let mut on_scene = if dispatched {
            let mut k = if grade == GRADE_I {
                k_scene_i
            } else {
                k_scene_s
            };
            self.on_scene[grade].sample(&mut k)
        } else {
            0
        };
        let paperwork = match &self.paperwork {
            Some(p) if dispatched => p.sample(&mut k_paper.clone()),
            _ => 0,
        };
        if let Some(f) = fixed {
            category = f.category.unwrap_or(category);
            two_units = f.two_units.unwrap_or(two_units);
            on_scene = f.on_scene.map_or(on_scene, |d| d.0);
        }
        let (created_after, dispatch_work, travel) = match &self.cad {
            Some(cad) => cad.draw(c, index, grade, w.rural),
            None => (None, 0, [1.0, 1.0]),
        };
        Draw {
            created_after,
            dispatch_work,
            travel,
            ward: ward as u32,
            pos,
            grade: grade as u8,
            category: category as u8,
            two_units,
            on_scene,
            paperwork,
        }
    }
}

/// The incidents in their slots, and those waiting for a unit.
pub(super) struct Incidents {
    slots: Pool<Incident>,
    /// Waiting incidents per sector, [I, S], in order of creation.
    waiting: Vec<[VecDeque<(Time, u32)>; 2]>,
    /// How many wait in all.
    total: u64,
}

impl Incidents {
    pub(super) fn new(sectors: usize) -> Self {
        Incidents {
            slots: Pool::new(),
            waiting: (0..sectors)
                .map(|_| [VecDeque::new(), VecDeque::new()])
                .collect(),
            total: 0,
        }
    }

    /// Puts `inc` in a slot; a reused slot counts on its generation.
    fn add(&mut self, inc: Incident) -> u32 {
        self.slots.insert_with(|last| Incident {
            generation: last.map_or(0, |l| l.generation.wrapping_add(1)),
            ..inc
        })
    }

    /// Incident `i` is done with: its slot may be reused.
    pub(super) fn remove(&mut self, i: u32) {
        self.slots.remove(i);
    }

    /// Every incident, those done with included.
    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Incident> {
        self.slots.iter_mut()
    }

    /// Incidents waiting for a unit in `sector` (I and S).
    pub(super) fn waiting_in(&self, sector: usize) -> usize {
        self.waiting[sector].iter().map(VecDeque::len).sum()
    }

    /// Incidents waiting for a unit in the whole force (I and S).
    pub(super) fn waiting_in_force(&self) -> usize {
        self.total as usize
    }

    /// Incidents waiting for a unit in the whole force (I and S).
    pub(super) fn waiting_total(&self) -> u64 {
        debug_assert_eq!(
            self.total as usize,
            (0..self.waiting.len())
                .map(|s| self.waiting_in(s))
                .sum::<usize>()
        );
        self.total
    }

    /// Puts incident `i` in `sector`'s waiting queue for `grade`, in order of creation.
    pub(super) fn enqueue(&mut self, sector: usize, grade: usize, i: u32) {
        let created = self.slots[i].created;
        let q = &mut self.waiting[sector][grade];
        // Nearly always the incident is the latest created and goes at the back; only one that
        // comes out of that order (put back after a diversion, held at a dispatcher's desk) is
        // searched for its place.
        if q.back().is_none_or(|&(t, _)| t <= created) {
            q.push_back((created, i));
        } else {
            let at = q.partition_point(|&(t, _)| t <= created);
            q.insert(at, (created, i));
        }
        self.total += 1;
        self.slots[i].queued = true;
    }

    /// Takes incident `i` out of `sector`'s waiting queue for `grade`.
    fn unqueue(&mut self, sector: usize, grade: usize, i: u32) {
        let q = &mut self.waiting[sector][grade];
        if let Some(k) = q.iter().position(|&(_, j)| j == i) {
            q.remove(k);
            self.total -= 1;
        }
        self.slots[i].queued = false;
    }

    /// Takes the `k`-th incident out of `sector`'s waiting queue for `grade` (it has all its
    /// units).
    pub(super) fn take_waiting(&mut self, sector: usize, grade: usize, k: usize) {
        if let Some((_, i)) = self.waiting[sector][grade].remove(k) {
            self.total -= 1;
            self.slots[i].queued = false;
        }
    }

    /// The first waiting incident unit `u` may take: by grade, then by sector (`home` first,
    /// then `neighbours`), then by time of creation; an incident `u` has already cleared is
    /// passed over. Returns (sector, grade, place in the queue, incident).
    pub(super) fn next_for(
        &self,
        home: usize,
        neighbours: &[usize],
        u: u32,
    ) -> Option<(usize, usize, usize, u32)> {
        // Most often nothing waits anywhere: then no sector's queues need looking at.
        if self.total == 0 {
            return None;
        }
        for g in 0..2 {
            for s in std::iter::once(home).chain(neighbours.iter().copied()) {
                if let Some(k) = self.waiting[s][g]
                    .iter()
                    .position(|&(_, i)| self.slots[i].cleared_by != u)
                {
                    return Some((s, g, k, self.waiting[s][g][k].1));
                }
            }
        }
        None
    }
}

impl Incidents {
    /// The first waiting incident unit `u` may take from one force-wide queue: by grade, then
    /// by time of creation (ties: the lower sector); an incident `u` has already cleared is
    /// passed over. Returns (sector, grade, place in the queue, incident).
    pub(super) fn next_in_force(&self, u: u32) -> Option<(usize, usize, usize, u32)> {
        if self.total == 0 {
            return None;
        }
        for g in 0..2 {
            let mut best: Option<(Time, usize, usize, u32)> = None;
            for (s, queues) in self.waiting.iter().enumerate() {
                if let Some((k, &(t, i))) = queues[g]
                    .iter()
                    .enumerate()
                    .find(|(_, (_, i))| self.slots[*i].cleared_by != u)
                {
                    if best.is_none_or(|(b, ..)| t < b) {
                        best = Some((t, s, k, i));
                    }
                }
            }
            if let Some((_, s, k, i)) = best {
                return Some((s, g, k, i));
            }
        }
        None
    }
}

impl Index<u32> for Incidents {
    type Output = Incident;
    fn index(&self, i: u32) -> &Incident {
        &self.slots[i]
    }
}

impl IndexMut<u32> for Incidents {
    fn index_mut(&mut self, i: u32) -> &mut Incident {
        &mut self.slots[i]
    }
}

impl Field<'_> {
    /// Draws the incident attributes of call `index` of its channel, arriving at `now`,
    /// applying a fixed call's.
    pub fn draw(&self, ch: ChannelKind, fixed: Option<&FixedCall>, now: Time, index: u64) -> Draw {
        self.draws.draw(self.spec, ch, fixed, now, index)
    }

    /// A call has been answered at `now`: creates its incident at the right time (none for
    /// grade R).
    pub fn answered(&mut self, q: &mut impl Schedule, now: Time, h: &Handover) {
        let &Handover {
            call,
            call_arrival,
            handling,
            measured,
            draw: ref d,
        } = h;
        let grade = d.grade as usize;
        if measured {
            self.result.graded[grade] += 1;
            self.result.categories[grade][d.category as usize] += 1;
        }
        self.work_from_call(q, h, now + handling);
        if grade == GRADE_R {
            return;
        }
        let created = match d.created_after {
            Some(delay) => now + delay,
            None if grade == GRADE_I => now + self.spec.emergency_created_after.0,
            None => now + handling,
        };
        let inc = Incident {
            call,
            call_arrival,
            created,
            draw: *d,
            needed: if d.two_units { 2 } else { 1 },
            assigned: 0,
            cleared: 0,
            cleared_by: NONE,
            trips: 0,
            eta: Time::MAX,
            pulled: false,
            attended: false,
            dispatched: false,
            queued: false,
            measured,
            hour: self.cal.hour_of_week(call_arrival) as u16,
            generation: 0, // set by `add`
        };
        let id = self.incidents.add(inc);
        if measured {
            self.outstanding += 1;
            if grade == GRADE_I || grade == GRADE_S {
                let rural = usize::from(self.spec.wards[d.ward as usize].rural);
                let a = Attendance {
                    incidents: 1,
                    sum_lead_in_ms: created - call_arrival,
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
        self.aid_schedule(q, id, grade);
        if let Some(n) = self.hood.as_ref().map(|h| h.spec) {
            if let Some(after) = n.abstract_after {
                if grade <= GRADE_S && n.abstract_grades[grade] {
                    let generation = self.incidents[id].generation;
                    q.at(created + after.0, FieldEvent::AbstractCheck(id, generation));
                }
            }
        }
    }

    /// Incident `i` is created: E books an appointment; I and S are dispatched.
    pub(super) fn on_create(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let call = self.incidents[i].call;
        self.log(Step::Created { at: now, call });
        let grade = self.incidents[i].draw.grade as usize;
        if self.under_deferral(i, grade) {
            let measured = self.incidents[i].measured;
            if grade == GRADE_S {
                self.log(Step::Deferred { at: now, call });
                if measured {
                    self.result.deferral.deferred += 1;
                }
                self.book(q, now, i);
            } else {
                self.log(Step::Downgraded { at: now, call });
                self.incidents.remove(i);
                if measured {
                    self.result.deferral.downgraded += 1;
                    self.outstanding -= 1;
                }
            }
            return;
        }
        if grade == GRADE_E {
            self.book(q, now, i);
            return;
        }
        if self.desk.is_some() {
            self.send_to_dispatcher(q, now, i);
        } else {
            self.dispatch(q, now, i);
        }
    }

    /// Whether incident `i`, of `grade`, is created under the deferral rule: its grade is
    /// named and at least the rule's number of incidents wait for a unit (in its sector, or
    /// in the force).
    fn under_deferral(&self, i: u32, grade: usize) -> bool {
        let Some(d) = &self.spec.deferral else {
            return false;
        };
        let named = match grade {
            GRADE_S => d.grades[0],
            GRADE_E => d.grades[1],
            _ => false,
        };
        if !named {
            return false;
        }
        let waiting = if d.force_wide {
            self.incidents.waiting_in_force()
        } else {
            let ward = self.incidents[i].draw.ward as usize;
            self.incidents.waiting_in(self.spec.wards[ward].sector)
        };
        waiting >= d.waiting_at_least as usize
    }

    /// Takes incident `i` out of its sector's waiting queue.
    pub(super) fn unqueue(&mut self, i: u32) {
        let inc = &self.incidents[i];
        let (sector, grade) = (
            self.spec.wards[inc.draw.ward as usize].sector,
            inc.draw.grade as usize,
        );
        self.incidents.unqueue(sector, grade, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mean and variance of many factors, with their standard errors (the variance's from
    /// the fourth central moment).
    fn moments(f: TravelFactor, rural: bool) -> (f64, f64, f64, f64) {
        let mut r = rng::rng(7, rng::stream(purpose::TRAVEL_FACTOR, 0));
        let n = 200_000;
        let x: Vec<f64> = (0..n).map(|_| travel_factor(f, rural, &mut r)).collect();
        let m = x.iter().sum::<f64>() / n as f64;
        let v = x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        let m4 = x.iter().map(|a| (a - m).powi(4)).sum::<f64>() / n as f64;
        (
            m,
            (v / n as f64).sqrt(),
            v,
            ((m4 - v * v) / n as f64).sqrt(),
        )
    }

    #[test]
    fn travel_factors_have_mean_one_and_their_variance() {
        // Exponential: mean 1, variance 1; lognormal: mean 1, variance cv^2.
        for (f, rural, var) in [
            (TravelFactor::Exponential, false, 1.0),
            (TravelFactor::Lognormal { cv: [0.3, 0.5] }, false, 0.09),
            (TravelFactor::Lognormal { cv: [0.3, 0.5] }, true, 0.25),
        ] {
            let (m, se_m, v, se_v) = moments(f, rural);
            assert!((m - 1.0).abs() <= 4.0 * se_m, "{f:?}: mean {m} (SE {se_m})");
            assert!(
                (v - var).abs() <= 4.0 * se_v,
                "{f:?}: variance {v} (SE {se_v})"
            );
            // A variance 20% off is told apart.
            assert!(
                (v - var * 1.2).abs() > 4.0 * se_v,
                "{f:?}: {v} vs {}",
                var * 1.2
            );
        }
        let none = moments(TravelFactor::None, false);
        assert_eq!((none.0, none.2), (1.0, 0.0));
    }
}
