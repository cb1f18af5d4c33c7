//! Appointments (T5): scheduled incidents booked into their sector's sessions.
//!
//! Rules, in one place:
//! - An E incident books the first free slot in its sector's sessions at least
//!   `appointment_lead` after the incident is created (looking up to 8 weeks ahead); appointment
//!   officers are separate from response units.
//! - With shrinkage of role `appointments`, each officer of each session is drawn present or
//!   lost to leave, sickness or training, by a draw keyed by the session and its start (the
//!   same whenever the book looks at it); a slot holds as many appointments as officers are
//!   present. Counted: officer-sessions starting in the window, and those lost.

use super::*;

/// What the appointments measure in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Appointments {
    pub booked: u64,
    /// Seen within the T5 time of the call.
    pub within: u64,
    /// No free slot within the booking window.
    pub no_slot: u64,
    pub sum_from_call_ms: u64,
}

/// The appointment book: sessions, booked slots and the backlog of appointments to be held.
pub(super) struct Book {
    /// Per sector: booked appointment counts by (slot time, session).
    booked: Vec<BTreeMap<(Time, u32), u32>>,
    /// Sessions by sector, by their offset in the first week.
    sessions: Vec<Vec<Session>>,
    /// Per sector: the latest end of its sessions, as an offset in the first week.
    last_end: Vec<Time>,
    /// Booked appointments not yet held.
    backlog: HourIntegrator,
    /// The T5 target time (ms).
    t5: u64,
    /// Appointment officers' shrinkage (none: every officer present), and the seed it is
    /// drawn from.
    shrinkage: crate::scenario::officers::Shrinkage,
    seed: u64,
    /// The measured window.
    lo: Time,
    hi: Time,
}

/// A session of the book, with what its slots are.
#[derive(Clone, Copy)]
struct Session {
    /// Its offset in the first week, and its index.
    rel: Time,
    s: u32,
    length: Time,
    slot: Time,
    /// Slots, and officers.
    n: u64,
    officers: u32,
}

/// Officer-sessions of appointment officers in the window, and those lost (leave, sickness,
/// training).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SessionCount {
    pub rostered: u64,
    pub lost: [u64; 3],
}

impl Book {
    pub(super) fn new(sc: &Scenario, spec: &Spec, cal: &Calendar, seed: u64) -> Self {
        let mut sessions = vec![Vec::new(); spec.sectors.len()];
        let start_offset = cal.start_weekday() * crate::time::DAY;
        for (i, a) in spec.appointments.iter().enumerate() {
            for (day, on) in a.days.iter().enumerate() {
                if *on {
                    let in_week = day as u64 * crate::time::DAY + a.start.0;
                    sessions[a.sector].push(Session {
                        rel: (in_week + WEEK - start_offset) % WEEK,
                        s: i as u32,
                        length: a.length.0,
                        slot: a.slot.0,
                        n: a.length.0 / a.slot.0,
                        officers: a.officers,
                    });
                }
            }
        }
        for list in &mut sessions {
            list.sort_by_key(|x: &Session| (x.rel, x.s));
        }
        let last_end = sessions
            .iter()
            .map(|list| list.iter().map(|x| x.rel + x.length).max().unwrap_or(0))
            .collect();
        Book {
            booked: vec![BTreeMap::new(); spec.sectors.len()],
            sessions,
            last_end,
            backlog: HourIntegrator::new(sc.run.warm_up.0, sc.run.horizon.0),
            t5: elapsed_target(sc, "T5"),
            shrinkage: sc.officers.shrinkage[crate::scenario::officers::ROLE_APPOINTMENTS],
            seed,
            lo: sc.run.warm_up.0,
            hi: sc.run.horizon.0,
        }
    }

    /// The fate of each officer of session `s` starting at `start`: None (present) or the
    /// shrinkage cause, drawn from a key of the two.
    fn fates(&self, s: u32, start: Time, officers: u32) -> impl Iterator<Item = Option<usize>> {
        fates(self.shrinkage, self.seed, s, start, officers)
    }

    /// Officer-sessions starting in [lo, hi), and those lost.
    fn count_sessions(&self) -> SessionCount {
        let (lo, hi) = (self.lo, self.hi);
        let mut n = SessionCount::default();
        if self.shrinkage.is_none() {
            return n;
        }
        for sessions in &self.sessions {
            for &Session {
                rel, s, officers, ..
            } in sessions
            {
                let mut start = rel;
                while start < hi {
                    if start >= lo {
                        n.rostered += u64::from(officers);
                        for c in self.fates(s, start, officers).flatten() {
                            n.lost[c] += 1;
                        }
                    }
                    start += WEEK;
                }
            }
        }
        n
    }

    /// Books the first free slot in `sector`'s sessions at or after `earliest`, asked at `now`;
    /// returns its time (None when no slot is free within the window).
    fn take_slot(&mut self, sector: usize, now: Time, earliest: Time) -> Option<Time> {
        let (shrinkage, seed) = (self.shrinkage, self.seed);
        let booked = &mut self.booked[sector];
        // Forget slots already past.
        while let Some((&(t, _), _)) = booked.first_key_value() {
            if t >= now {
                break;
            }
            booked.pop_first();
        }
        // Sessions last at most a day, so a session of the week before `earliest`'s may still
        // have slots after it; once a week begins after the best slot found, no later week can
        // offer an earlier one. The best is the earliest slot, then the lowest session, so the
        // order sessions are looked at in does not matter.
        let mut slot: Option<(Time, u32)> = None;
        let first = (earliest / WEEK).saturating_sub(1);
        let last_end = self.last_end[sector];
        for week in first..first + 10 {
            if slot.is_some_and(|(t, _)| week * WEEK > t) {
                break;
            }
            // A week whose sessions all end by `earliest` has nothing.
            if week * WEEK + last_end <= earliest {
                continue;
            }
            for x in &self.sessions[sector] {
                let (s, start) = (x.s, week * WEEK + x.rel);
                // Sessions come by their start: those from one starting after the best slot
                // found have only later slots.
                if slot.is_some_and(|(t, _)| start > t) {
                    break;
                }
                if start + x.length <= earliest {
                    continue;
                }
                // No slot of a session whose first slot from `earliest` on comes after the best
                // found can be better (this looks neither at the book nor at the session's
                // officers).
                let opens = start + earliest.saturating_sub(start).div_ceil(x.slot) * x.slot;
                if slot.is_some_and(|best| (opens, s) >= best) {
                    continue;
                }
                let officers = if shrinkage.is_none() {
                    x.officers
                } else {
                    fates(shrinkage, seed, s, start, x.officers)
                        .filter(Option::is_none)
                        .count() as u32
                };
                if let Some(t) = first_free(booked, s, start, x.slot, x.n, officers, earliest) {
                    if slot.is_none_or(|best| (t, s) < best) {
                        slot = Some((t, s));
                    }
                }
            }
        }
        let (t, s) = slot?;
        *booked.entry((t, s)).or_insert(0) += 1;
        Some(t)
    }
}

/// The first of the `n` slots (each `slot` long) of session `s` starting at `start` that begins
/// at or after `earliest` and has fewer than `officers` appointments booked. The booked slots
/// of the session are walked in order from there (one look into the book, not one per slot): a
/// slot with no entry is free.
fn first_free(
    booked: &BTreeMap<(Time, u32), u32>,
    s: u32,
    start: Time,
    slot: Time,
    n: u64,
    officers: u32,
    earliest: Time,
) -> Option<Time> {
    if officers == 0 {
        return None;
    }
    let mut k = earliest.saturating_sub(start).div_ceil(slot);
    if k >= n {
        return None;
    }
    let mut t = start + k * slot;
    for (&(bt, bs), &count) in booked.range((t, 0)..(start + n * slot, 0)) {
        if bs != s || bt < t {
            continue;
        }
        if bt > t || count < officers {
            return Some(t);
        }
        k += 1;
        if k >= n {
            return None;
        }
        t += slot;
    }
    Some(t)
}

/// The fate of each officer of session `s` starting at `start`: None (present) or the shrinkage
/// cause, drawn from a key of the two (the same whenever the book looks at the session).
fn fates(
    sh: crate::scenario::officers::Shrinkage,
    seed: u64,
    s: u32,
    start: Time,
    officers: u32,
) -> impl Iterator<Item = Option<usize>> {
    let key = (start << 12) | u64::from(s & 0xFFF);
    let mut r = rng::keyed(seed, purpose::APPOINTMENT_SHRINKAGE, key);
    (0..officers).map(move |_| sh.cause(r.random()))
}

impl Field<'_> {
    /// Books incident `i`'s appointment: the first free slot at least the lead time ahead.
    pub(super) fn book(&mut self, q: &mut impl Schedule, now: Time, i: u32) {
        let inc = &self.incidents[i];
        let (call, call_arrival, measured) = (inc.call, inc.call_arrival, inc.measured);
        let sector = self.spec.wards[inc.draw.ward as usize].sector;
        let earliest = now + self.spec.appointment_lead.0;
        let slot = self.appointments.take_slot(sector, now, earliest);
        self.incidents.remove(i);
        match slot {
            Some(t) => {
                self.appointments.backlog.add(now, 1, &self.cal);
                q.at(t, FieldEvent::AppointmentHeld);
                self.log(Step::Booked {
                    at: now,
                    call,
                    slot: t,
                });
                if measured {
                    let a = &mut self.result.appointments;
                    a.booked += 1;
                    a.within += u64::from(t - call_arrival <= self.appointments.t5);
                    a.sum_from_call_ms += t - call_arrival;
                }
            }
            None => {
                if measured {
                    self.result.appointments.no_slot += 1;
                }
            }
        }
        if measured {
            self.outstanding -= 1;
        }
    }

    /// An appointment is held: one fewer in the backlog.
    pub(super) fn on_appointment_held(&mut self, now: Time) {
        self.appointments.backlog.add(now, -1, &self.cal);
    }

    /// Closes the backlog integral at `end`.
    pub(super) fn book_finish(&mut self, end: Time) {
        self.appointments.backlog.flush(end, &self.cal);
        self.result.backlog_area = self.appointments.backlog.total();
        self.result.sessions = self.appointments.count_sessions();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Format, Source};
    use crate::time::HOUR;

    /// One sector with a session every day 09:00-12:00 in 1-hour slots, for `officers`.
    fn book(officers: u32) -> (Scenario, Calendar) {
        let text = format!(
            r#"
[run]
horizon = "2w"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{{ at = "0min", grade = "E" }}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 1
[response]
speed_kmh = {{ urban = {{ I = 60, S = 60 }}, rural = {{ I = 60, S = 60 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "20min" }}, S = {{ kind = "deterministic", value = "20min" }} }}
grading = {{ emergency = {{ E = 1.0 }} }}
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = 4
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 1
[[roster.appointments]]
sector = "A"
start = "09:00"
length = "3h"
slot = "1h"
officers = {officers}
"#
        );
        let source = Source {
            label: "test".into(),
            dir: None,
            format: Format::Toml,
        };
        let sc = Scenario::parse(&text, &source).unwrap_or_else(|e| panic!("{e}"));
        let cal = Calendar::new(sc.run.start);
        (sc, cal)
    }

    #[test]
    fn slots_fill_in_time_order_each_up_to_its_officers() {
        let (sc, cal) = book(2);
        let spec = sc.response.as_ref().unwrap();
        let mut b = Book::new(&sc, spec, &cal, 1);
        let taken: Vec<_> = (0..7).map(|_| b.take_slot(0, 0, 0)).collect();
        // The next day's session once today's is full.
        assert_eq!(
            taken,
            [9, 9, 10, 10, 11, 11, 9 + 24]
                .map(|h| Some(h * HOUR))
                .to_vec()
        );
    }

    #[test]
    fn a_slot_before_the_earliest_time_is_not_taken() {
        let (sc, cal) = book(1);
        let spec = sc.response.as_ref().unwrap();
        let mut b = Book::new(&sc, spec, &cal, 1);
        // Asked at 08:00 with the earliest time 09:30: the 09:00 slot is too soon.
        assert_eq!(
            b.take_slot(0, 8 * HOUR, 9 * HOUR + HOUR / 2),
            Some(10 * HOUR)
        );
        // On the seventh day, after its session, the next is found across the week's end.
        let sun = 6 * 24 * HOUR;
        assert_eq!(b.take_slot(0, sun, sun + 12 * HOUR), Some(sun + 33 * HOUR));
    }

    /// The walk through the book finds the same slot as looking at every slot in turn, on
    /// random books with several sessions' slots interleaved.
    #[test]
    fn first_free_slot_is_the_first_of_a_plain_scan() {
        let mut state = 7u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        for _ in 0..2000 {
            let (slot, n) = (1 + next(5), 1 + next(8));
            let start = next(20);
            let officers = next(3) as u32;
            let mut booked = BTreeMap::new();
            for _ in 0..next(12) {
                let s = next(3) as u32;
                let t = if next(4) == 0 {
                    next(60)
                } else {
                    start + next(n + 2) * slot
                };
                booked.insert((t, s), next(4) as u32);
            }
            let earliest = next(40);
            let s = next(3) as u32;
            let plain = (0..n)
                .map(|k| start + k * slot)
                .find(|&t| t >= earliest && booked.get(&(t, s)).copied().unwrap_or(0) < officers);
            assert_eq!(
                first_free(&booked, s, start, slot, n, officers, earliest),
                plain
            );
        }
    }
}
