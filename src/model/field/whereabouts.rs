//! Where response units are, and which is nearest: patrol positions, the way back after a job,
//! the search for an idle unit by the dispatch policy, and for a unit to divert. The rules are
//! in the header of `response`.

use super::response::UState;
use super::*;

/// The point a fraction of the way from `from` to `to` that `now` is between `depart` and
/// `arrive`.
fn along(from: (f64, f64), to: (f64, f64), depart: Time, arrive: Time, now: Time) -> (f64, f64) {
    let f = (now - depart) as f64 / (arrive - depart) as f64;
    (from.0 + f * (to.0 - from.0), from.1 + f * (to.1 - from.1))
}

/// The first unit `within` finds in the groups of sectors the dispatch policy searches in
/// turn for an incident in ward `ward` of sector `home`: the home sector, then the sectors it
/// borrows from (`home`); every sector at once (`nearest`); or the ward's order, a sector at a
/// time (`preference`).
pub(super) fn by_policy<T>(
    spec: &Spec,
    ward: usize,
    home: usize,
    mut within: impl FnMut(&mut dyn Iterator<Item = usize>) -> Option<T>,
) -> Option<T> {
    match spec.dispatch.choose {
        Choose::Home => within(&mut std::iter::once(home))
            .or_else(|| within(&mut spec.sectors[home].neighbours.iter().copied())),
        Choose::Nearest => within(&mut (0..spec.sectors.len())),
        Choose::Preference => spec.dispatch.order[ward]
            .iter()
            .find_map(|&s| within(&mut std::iter::once(s))),
    }
}

/// Where `unit`, idle, is at `now` while still driving back (None once there).
fn returning(spec: &Spec, unit: &super::response::Unit, now: Time) -> Option<(f64, f64)> {
    (spec.return_trip && now < unit.arrive)
        .then(|| along(unit.from, unit.pos, unit.depart, unit.arrive, now))
}

/// A patrol position in sector `sector`: one of its patrol points, each as likely, when it has
/// them; else a ward drawn by area or by demand, then uniform within it.
fn patrol_point(spec: &Spec, sector: usize, rng: &mut ChaCha8Rng) -> (f64, f64) {
    let s = &spec.sectors[sector];
    if !s.patrol_points.is_empty() {
        let k = rng.random_range(0..s.patrol_points.len());
        return s.patrol_points[k];
    }
    let w = &spec.wards[s.wards[pick(&s.patrol_cumulative, rng.random::<f64>())]];
    w.sample(rng)
}

impl Field<'_> {
    /// Unit `u`, going idle where it is, sets off back to its sector's base or to a patrol
    /// point drawn now; until it arrives its position is interpolated along the way.
    pub(super) fn start_return(&mut self, now: Time, u: u32, sector: usize) {
        let to = match self.spec.idle {
            Idle::Base => self.spec.sectors[sector].base,
            Idle::Patrol => self.patrol_position(sector),
        };
        let from = self.units[u].pos;
        let ms = self.drive_in(sector, from, to);
        let unit = &mut self.units[u];
        unit.from = from;
        unit.depart = now;
        unit.arrive = now.saturating_add(ms);
        unit.pos = to;
    }

    /// Where idle unit `u` is at `now` while still driving back (None once there).
    pub(super) fn returning_at(&self, u: u32, now: Time) -> Option<(f64, f64)> {
        returning(self.spec, &self.units[u], now)
    }

    /// A drive that is not to an incident, in sector `sector`'s home speed (ms).
    pub(super) fn drive_in(&self, sector: usize, a: (f64, f64), b: (f64, f64)) -> u64 {
        let km = self.spec.metric.distance(a, b);
        crate::time::secs_to_ms(km / self.units.home_speed[sector] * 3600.0)
    }

    /// A patrol position: one of the sector's patrol points, each as likely, when it has them;
    /// else a ward drawn by area or by demand, then uniform within it.
    pub(super) fn patrol_position(&mut self, sector: usize) -> (f64, f64) {
        patrol_point(self.spec, sector, &mut self.units.patrol_rng)
    }

    /// The idle unit to send to `pos` in ward `ward`, by the dispatch policy: the nearest in
    /// the home sector, then in the borrowing sectors (`home`); the nearest anywhere
    /// (`nearest`); or the nearest in the first sector of the ward's order that has one.
    pub(super) fn nearest_idle(
        &mut self,
        ward: usize,
        home: usize,
        pos: (f64, f64),
        exclude: u32,
        now: Time,
    ) -> Option<(u32, (f64, f64))> {
        // The spec outlives `self`'s borrow: no copy of a list is needed.
        let spec = self.spec;
        by_policy(spec, ward, home, |sectors| {
            self.idle_in(sectors, pos, exclude, now)
        })
    }

    /// The nearest idle unit to `pos` among `sectors` (ties: the first found), other than
    /// `exclude`, and where it is.
    pub(super) fn idle_in(
        &mut self,
        sectors: impl Iterator<Item = usize>,
        pos: (f64, f64),
        exclude: u32,
        now: Time,
    ) -> Option<(u32, (f64, f64))> {
        let spec = self.spec;
        let patrol = spec.idle == Idle::Patrol;
        let units = &mut self.units;
        let mut best: Option<(f64, u32, (f64, f64))> = None;
        for s in sectors {
            for &u in &units.idle.lists[s] {
                if u == exclude {
                    continue;
                }
                // As `returning_at`, then `patrol_position`, would find it.
                let at = if let Some(at) = returning(spec, &units[u], now) {
                    at
                } else if patrol {
                    patrol_point(spec, s, &mut units.patrol_rng)
                } else {
                    units[u].pos
                };
                let d = spec.metric.distance(at, pos);
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, u, at));
                }
            }
        }
        best.map(|(_, u, at)| (u, at))
    }

    /// Where unit `u` is at `now` (interpolated along its trip while travelling).
    pub(super) fn position(&self, u: u32, now: Time) -> (f64, f64) {
        let unit = &self.units[u];
        if unit.state == UState::Travelling && unit.arrive > unit.depart {
            let to = self.incidents[unit.incident].draw.pos;
            along(unit.from, to, unit.depart, unit.arrive, now)
        } else {
            unit.pos
        }
    }

    /// The nearest unit travelling to or at a priority (S) incident, home sector first.
    pub(super) fn nearest_divertible(
        &self,
        home: usize,
        pos: (f64, f64),
        now: Time,
    ) -> Option<(u32, (f64, f64))> {
        let candidates = |sectors: &[usize]| {
            let mut best: Option<(f64, u32, (f64, f64))> = None;
            for &sector in sectors {
                for &u in &self.units.on_priority.lists[sector] {
                    let at = self.position(u, now);
                    let d = self.spec.metric.distance(at, pos);
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, u, at));
                    }
                }
            }
            best.map(|(_, u, at)| (u, at))
        };
        candidates(&[home]).or_else(|| candidates(&self.spec.sectors[home].neighbours))
    }
}
