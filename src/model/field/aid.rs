//! Mutual aid for response: a neighbouring area's unit for an incident no own unit has reached
//! in time (`[response.mutual_aid]`).
//!
//! Rules:
//! - Own units come first, in the order `neighbourhood.dispatch_order` gives: response units
//!   (dispatch), then a neighbourhood officer pulled (`pull_after`), by default; or a pulled
//!   officer who can arrive within `pull_after` first, then response units. An officer
//!   abstracted (`abstract_after`) comes after both. Aid is the last resort.
//! - An incident of an aided grade is checked once, at its creation on the CAD plus `after`
//!   (one event per incident: nothing polls). If a unit has arrived by then, nothing happens.
//!   Otherwise aid is called if the neighbouring area has a unit free (`units`: the most out
//!   at once; else the call is refused and counted) and the aid unit would arrive before the
//!   best own unit already sent is estimated to (no own unit sent: it always goes).
//! - The aid unit sets off `delay` after the call (mobilisation) and drives `travel`, drawn
//!   keyed by the incident's call (purpose 82), so that common random numbers hold.
//! - On arrival: if the incident still lacks a unit, the aid unit takes that place (own units
//!   not yet sent are then not needed); if it is the first there, it attends all the same (the
//!   incident's attendance is the first arrival, own or aid). Either way it stays the
//!   incident's time on scene. Otherwise (own units there or on their way to every place) it
//!   turns back at once. It never takes other work.
//! - Steps (trace, per-call records) name the aid unit `AID_UNIT`: it arrives when it stays,
//!   and clears when it took a place.
//! - Aid hours run from the call for aid to the unit's return to its base: delay + travel +
//!   time on scene (if it stayed) + the same travel back; they count for measured incidents.

use super::*;

/// A neighbouring area's unit out on aid.
struct AidUnit {
    incident: u32,
    generation: u32,
    called: Time,
    travel: u64,
    /// It took a place of the incident (and clears it).
    counted: bool,
    measured: bool,
}

/// The aid units out, and the counts.
pub(super) struct Aid {
    seed: u64,
    out: Pool<AidUnit>,
    busy: u32,
    sampler: Sampler,
}

/// What mutual aid did for measured incidents in one replication.
#[derive(Clone, Debug, Default)]
pub struct AidResult {
    /// Calls for aid.
    pub calls: u64,
    /// Calls due that found every aid unit out (`units`).
    pub refused: u64,
    /// From each call for aid to its unit's return, summed (ms).
    pub ms: u64,
    /// Incidents whose first arrival was an aid unit, by grade (I, S).
    pub attended: [u64; 2],
    /// Aid units that turned back on arrival (own units there or on their way).
    pub turned_back: u64,
}

impl Aid {
    pub(super) fn new(spec: &Spec, seed: u64) -> Option<Self> {
        spec.mutual_aid.as_ref().map(|a| Aid {
            seed,
            out: Pool::new(),
            busy: 0,
            sampler: Sampler::new(&a.travel),
        })
    }
}

impl Field<'_> {
    /// Schedules the aid check of a new incident of an aided grade.
    pub(super) fn aid_schedule(&mut self, q: &mut impl Schedule, id: u32, grade: usize) {
        let Some(a) = &self.spec.mutual_aid else {
            return;
        };
        if grade <= GRADE_S && a.grades[grade] {
            let inc = &self.incidents[id];
            q.at(
                inc.created.saturating_add(a.after.0),
                FieldEvent::AidCheck(id, inc.generation),
            );
        }
    }

    /// Incident `i` was created `after` ago: calls aid if no unit has arrived (see the rules).
    pub(super) fn on_aid_check(
        &mut self,
        q: &mut impl Schedule,
        now: Time,
        i: u32,
        generation: u32,
    ) {
        let inc = &self.incidents[i];
        if inc.generation != generation || inc.attended {
            return;
        }
        let (call, eta, measured) = (inc.call, inc.eta, inc.measured);
        let spec = self.spec.mutual_aid.as_ref().expect("mutual aid");
        let aid = self.aid.as_mut().expect("mutual aid");
        if spec.units.is_some_and(|u| aid.busy >= u) {
            if measured {
                self.result.aid.refused += 1;
            }
            return;
        }
        let travel = aid
            .sampler
            .sample(&mut rng::keyed(aid.seed, purpose::MUTUAL_AID, call));
        let arrive = now.saturating_add(spec.delay.0).saturating_add(travel);
        if arrive >= eta {
            return;
        }
        aid.busy += 1;
        let slot = aid.out.insert(AidUnit {
            incident: i,
            generation,
            called: now,
            travel,
            counted: false,
            measured,
        });
        if measured {
            self.result.aid.calls += 1;
        }
        q.at(arrive, FieldEvent::AidArrive(slot));
    }

    /// Aid unit `slot` reaches its incident: takes a place, attends, or turns back.
    pub(super) fn on_aid_arrive(&mut self, q: &mut impl Schedule, now: Time, slot: u32) {
        let aid = self.aid.as_ref().expect("mutual aid");
        let (i, generation) = (aid.out[slot].incident, aid.out[slot].generation);
        let inc = &self.incidents[i];
        let live = inc.generation == generation && inc.cleared < inc.needed;
        let free = live && inc.assigned + inc.cleared < inc.needed;
        let first = live && !inc.attended;
        if !free && !first {
            let aid = self.aid.as_mut().expect("mutual aid");
            let unit = &aid.out[slot];
            let back = now.saturating_add(unit.travel);
            if unit.measured {
                self.result.aid.turned_back += 1;
                self.result.aid.ms += back - unit.called;
            }
            q.at(back, FieldEvent::AidBack(slot));
            return;
        }
        let on_scene = inc.draw.on_scene;
        let grade = usize::from(inc.draw.grade);
        if free {
            let inc = &mut self.incidents[i];
            inc.assigned += 1;
            if inc.queued && inc.assigned + inc.cleared >= inc.needed {
                self.unqueue(i);
            }
        }
        if first {
            if self.incidents[i].measured {
                self.result.aid.attended[grade] += 1;
            }
            self.attend(now, i);
        }
        let call = self.incidents[i].call;
        self.log(Step::Arrived {
            at: now,
            call,
            unit: AID_UNIT,
        });
        let unit = &mut self.aid.as_mut().expect("mutual aid").out[slot];
        unit.counted = free;
        if unit.measured {
            self.result.aid.ms += now + on_scene + unit.travel - unit.called;
        }
        q.at(now + on_scene, FieldEvent::AidClear(slot));
    }

    /// Aid unit `slot` has stayed its time on scene: clears its place, and drives back.
    pub(super) fn on_aid_clear(&mut self, q: &mut impl Schedule, now: Time, slot: u32) {
        let aid = self.aid.as_ref().expect("mutual aid");
        let unit = &aid.out[slot];
        let (i, counted, travel) = (unit.incident, unit.counted, unit.travel);
        if counted {
            let inc = &mut self.incidents[i];
            inc.assigned -= 1;
            inc.cleared += 1;
            let call = inc.call;
            if inc.cleared >= inc.needed && inc.assigned == 0 && !inc.queued {
                self.incidents.remove(i);
            }
            self.log(Step::Cleared {
                at: now,
                call,
                unit: AID_UNIT,
            });
        }
        q.at(now.saturating_add(travel), FieldEvent::AidBack(slot));
    }

    /// Aid unit `slot` is back at its base: the neighbouring area has it again.
    pub(super) fn on_aid_back(&mut self, slot: u32) {
        let aid = self.aid.as_mut().expect("mutual aid");
        aid.out.remove(slot);
        aid.busy -= 1;
    }
}
