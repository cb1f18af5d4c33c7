//! The field side of a scenario, validated: wards, sectors, grading, response units, travel,
//! dispatch policy and appointment capacity.

use super::{Dist, HandlerRoster, Shift};
use crate::time::{Duration, TimeOfDay};
use serde::Serialize;

/// Incident grades, in order of urgency.
pub const GRADES: [&str; 4] = ["I", "S", "E", "R"];
pub const GRADE_I: usize = 0;
pub const GRADE_S: usize = 1;
pub const GRADE_E: usize = 2;
pub const GRADE_R: usize = 3;

/// Incident categories, which the follow-up commitments use.
pub const CATEGORIES: [&str; 5] = [
    "domestic_abuse",
    "road_traffic_collision",
    "serious_assault",
    "other_crime",
    "non_crime",
];

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Metric {
    /// Straight-line distance times a detour factor.
    Euclidean { detour: f64 },
    /// |dx| + |dy|, as on a grid of streets.
    RightAngle,
}

impl Metric {
    #[inline]
    pub fn distance(self, a: (f64, f64), b: (f64, f64)) -> f64 {
        let (dx, dy) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        match self {
            Metric::Euclidean { detour } => detour * (dx * dx + dy * dy).sqrt(),
            Metric::RightAngle => dx + dy,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Idle {
    /// An idle unit is anywhere in its sector's wards: its position is drawn afresh (uniform
    /// over the sector's area) whenever a dispatch considers it.
    Patrol,
    /// An idle unit waits at its sector's base.
    Base,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Patrol {
    /// Uniform over the sector's area.
    Area,
    /// In a ward drawn by its 999 demand weight, uniform within the ward.
    Demand,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ward {
    pub name: String,
    pub rural: bool,
    pub area_km2: f64,
    pub x: f64,
    pub y: f64,
    /// The boundary, when given: (vertices, bounding box min and max).
    pub shape: Option<Shape>,
    pub sector: usize,
    /// Demand weights per channel (999, non-emergency).
    pub weights: [f64; 2],
    /// Grade mix per channel, I, S, E, R (the scenario's, or the ward's override).
    pub grading: [[f64; 4]; 2],
    /// Whether the ward gives its own grade mix (kept in every hour band).
    #[serde(skip)]
    pub own_grading: bool,
}

pub use super::shape::Shape;

/// Where the wards came from when they came from a map: the file and its projection.
#[derive(Clone, Debug, Serialize)]
pub struct MapInfo {
    pub file: String,
    pub projection: super::map::Projection,
    /// Overlaps too small to be errors, to be printed as warnings.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Ward {
    /// Whether the point lies in the ward (its square, or its shape).
    pub fn contains(&self, p: (f64, f64)) -> bool {
        match &self.shape {
            Some(s) => s.contains(p),
            None => {
                let h = self.area_km2.sqrt() / 2.0;
                (p.0 - self.x).abs() <= h && (p.1 - self.y).abs() <= h
            }
        }
    }

    /// A point uniform over the ward: over its square (two draws), or over its shape (a
    /// triangle by area, then a point in it: three draws).
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        use rand::RngExt;
        match &self.shape {
            None => {
                let h = self.area_km2.sqrt() / 2.0;
                let (ux, uy): (f64, f64) = (rng.random(), rng.random());
                (self.x + (2.0 * ux - 1.0) * h, self.y + (2.0 * uy - 1.0) * h)
            }
            Some(s) => s.sample(rng),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Sector {
    pub name: String,
    /// The area-weighted centre of its wards.
    pub centre: (f64, f64),
    pub base: (f64, f64),
    /// Other sectors within the borrowing distance, nearest first.
    pub neighbours: Vec<usize>,
    /// Its wards, and the cumulative shares a patrol position's ward is drawn from (by area or
    /// by 999 demand, as the scenario says).
    pub wards: Vec<usize>,
    pub patrol_cumulative: Vec<f64>,
    /// Where its idle units patrol, when given: one point drawn, each as likely, in place of a
    /// ward and a point within it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patrol_points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnitShift {
    pub sector: usize,
    pub shift: Shift,
    pub crew: u32,
    /// For a team's rota: the team and the rota's week line whose shift this is (its units
    /// are then crewed from the group of officers working that line this week).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<(usize, usize)>,
}

/// A response team as people: officers in post on a rota of `weeks` lines, split into that
/// many groups; in rota week w, group g works line (g + w) mod `weeks`.
#[derive(Clone, Debug, Serialize)]
pub struct Team {
    pub name: String,
    pub sector: usize,
    pub officers: u32,
    pub crew: u32,
    pub weeks: usize,
    pub contracted_hours: f64,
    /// The rota's hours a week per officer, averaged over its cycle.
    pub rota_hours: f64,
    /// Officers wanted on each shift (0: no minimum), and the neighbourhood roles (indices
    /// into the neighbourhood's roles) taken, in order, to make it up.
    #[serde(skip_serializing_if = "is_zero")]
    pub minimum: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backfill: Vec<usize>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Team {
    /// Officers in group `g` (the establishment split as evenly as it goes, the first groups
    /// taking one more).
    pub fn group_size(&self, g: usize) -> u32 {
        let n = self.weeks as u32;
        self.officers / n + u32::from((g as u32) < self.officers % n)
    }

    /// Full-time equivalents: officers x contracted hours / 40.
    pub fn fte(&self) -> f64 {
        f64::from(self.officers) * self.contracted_hours / 40.0
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AppointmentSession {
    pub sector: usize,
    pub start: TimeOfDay,
    pub length: Duration,
    pub days: [bool; 7],
    pub slot: Duration,
    pub officers: u32,
}

/// The ward a point lies in: the first that contains it, else the one whose centre is nearest.
pub fn ward_at(wards: &[Ward], p: (f64, f64)) -> usize {
    wards.iter().position(|w| w.contains(p)).unwrap_or_else(|| {
        let d = |w: &Ward| (w.x - p.0).powi(2) + (w.y - p.1).powi(2);
        (0..wards.len())
            .min_by(|&a, &b| d(&wards[a]).total_cmp(&d(&wards[b])))
            .unwrap_or(0)
    })
}

#[derive(Clone, Debug, Serialize)]
pub struct Response {
    pub metric: Metric,
    pub turnout: Duration,
    pub idle: Idle,
    pub patrol: Patrol,
    pub borrow_within_km: f64,
    pub divert: bool,
    /// Whether a unit going idle drives back to its base or patrol area (else it is there at
    /// once).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub return_trip: bool,
    pub emergency_created_after: Duration,
    /// The CAD delay from answer to creation, drawn per call, by grade (I, S, E); None keeps
    /// the fixed rule for that grade.
    #[serde(skip_serializing_if = "no_cad_delay")]
    pub created_after: [Option<Dist>; 3],
    /// The random factor on each trip's base travel time.
    #[serde(skip_serializing_if = "TravelFactor::is_none")]
    pub travel_factor: TravelFactor,
    /// Dispatchers on the CAD, when the scenario has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatchers: Option<Dispatchers>,
    #[serde(skip_serializing_if = "Dispatch::is_default")]
    pub dispatch: Dispatch,
    pub paperwork: Option<Dist>,
    /// km/h by ward type (urban, rural) and dispatched grade (I, S).
    pub speed_kmh: [[f64; 2]; 2],
    /// Time on scene by dispatched grade (I, S).
    pub on_scene: [Dist; 2],
    /// Share needing two units, by dispatched grade.
    pub two_units: [f64; 2],
    /// Category shares by grade (I, S, E, R).
    pub categories: [[f64; 5]; 4],
    pub appointment_lead: Duration,
    pub wards: Vec<Ward>,
    pub sectors: Vec<Sector>,
    /// Units always on duty, per sector.
    pub constant_units: Vec<u32>,
    pub unit_shifts: Vec<UnitShift>,
    /// Response teams as people (their shifts are in `unit_shifts`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    pub appointments: Vec<AppointmentSession>,
    /// The map the wards came from, when they came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<MapInfo>,
    /// Drive times that replace distance and speed, when the scenario gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub travel_matrix: Option<TravelMatrix>,
    /// Parts of the day with their own mixes, without overlap (hours outside them take the
    /// all-day mixes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hour_bands: Vec<HourBand>,
    /// Mutual aid from a neighbouring area, when the scenario has it (and it is enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutual_aid: Option<MutualAid>,
    /// Deferral and downgrading under load, when the scenario has it (and it is enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral: Option<Deferral>,
    /// Response units called in on overtime, when the scenario has it (and it is enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overtime: Option<UnitOvertime>,
}

/// Overtime call-in of response units: when more than `rule.level` incidents (I and S, in the
/// whole force) have waited for a unit for `rule.after`, `rule.staff` units of `crew` officers
/// start `rule.delay` later in the sector with the most incidents waiting then (ties: the
/// first in the scenario's order), for `rule.length`; paid at the response officers' overtime
/// rate. Crossings, checks and caps as for handlers ([`crate::model::callin`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitOvertime {
    #[serde(flatten)]
    pub rule: crate::scenario::Overtime,
    pub crew: u32,
}

/// Deferral and downgrading under load: when an incident of a named grade is created on the
/// CAD while at least `waiting_at_least` incidents wait for a unit (I and S incidents in the
/// sectors' waiting queues, still short of their units; in the incident's sector or, with
/// `force_wide`, the whole force):
/// - an S incident is deferred: booked the first free appointment slot as an E incident is.
///   It counts for T4 as a miss (never attended), and is reported as deferred beside T4; its
///   appointment counts for T5 like any other;
/// - an E incident is downgraded: resolved without an appointment. It counts for T5 as a miss
///   and is reported as downgraded beside T5.
///
/// Grade I is never deferred.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Deferral {
    pub waiting_at_least: u32,
    pub force_wide: bool,
    /// Grades the rule applies to: [S, E].
    pub grades: [bool; 2],
}

/// Mutual aid for response: an incident of an aided grade that no own unit (response unit, or
/// neighbourhood officer pulled or abstracted) has reached `after` its creation on the CAD
/// calls a neighbouring area's unit, if one is free (at most `units` out at once) and it
/// would arrive before the best own unit's estimate. It arrives `delay` + `travel` later,
/// takes a place the incident still lacks (or, first there, attends all the same), stays the
/// incident's time on scene and drives back (`travel` again); it never takes other work.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MutualAid {
    pub after: Duration,
    pub delay: Duration,
    pub travel: Dist,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_hour: Option<f64>,
    /// None: no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<u32>,
    /// Aided grades: [I, S].
    pub grades: [bool; 2],
}

/// Mixes for calls arriving from `start` to `end` (ms after midnight; across midnight when
/// `end` is not after `start`). None: the all-day value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HourBand {
    pub name: String,
    pub start: u64,
    pub end: u64,
    /// The grade mix per channel, for wards without their own.
    pub grading: [Option<[f64; 4]>; 2],
    /// Category shares per grade (I, S, E, R).
    pub categories: [Option<[f64; 5]>; 4],
    /// Per channel: each ward's factor on its all-day demand weight.
    pub ward_factor: [Option<Vec<f64>>; 2],
}

impl HourBand {
    /// Whether the band holds `ms` after midnight.
    pub fn holds(&self, ms: u64) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&ms)
        } else {
            ms >= self.start || ms < self.end
        }
    }
}

/// The mixes that hold for a call in one part of the day.
#[derive(Clone, Copy, Debug)]
pub struct MixAt<'a> {
    response: &'a Response,
    band: Option<&'a HourBand>,
}

impl MixAt<'_> {
    /// Ward `w`'s demand weight on channel `c`.
    pub fn weight(&self, w: usize, c: usize) -> f64 {
        let base = self.response.wards[w].weights[c];
        match self.band.and_then(|b| b.ward_factor[c].as_ref()) {
            Some(f) => base * f[w],
            None => base,
        }
    }

    /// Ward `w`'s grade mix on channel `c`.
    pub fn grading(&self, w: usize, c: usize) -> [f64; 4] {
        let ward = &self.response.wards[w];
        match self.band.and_then(|b| b.grading[c]) {
            Some(g) if !ward.own_grading => g,
            _ => ward.grading[c],
        }
    }

    /// The category mix of grade `g`.
    pub fn categories(&self, g: usize) -> [f64; 5] {
        self.band
            .and_then(|b| b.categories[g])
            .unwrap_or(self.response.categories[g])
    }

    /// Expected calls by grade and category, per call of channel `c`.
    pub fn per_call(&self, c: usize) -> [[f64; 5]; 4] {
        let mut out = [[0.0; 5]; 4];
        let n = self.response.wards.len();
        let total: f64 = (0..n).map(|w| self.weight(w, c)).sum();
        if total <= 0.0 {
            return out;
        }
        for w in 0..n {
            let share = self.weight(w, c) / total;
            let g = self.grading(w, c);
            for (grade, row) in out.iter_mut().enumerate() {
                let cats = self.categories(grade);
                for (k, x) in row.iter_mut().enumerate() {
                    *x += share * g[grade] * cats[k];
                }
            }
        }
        out
    }
}

impl Response {
    /// The mixes for a call arriving `ms` after midnight.
    pub fn mix_at(&self, ms: u64) -> MixAt<'_> {
        MixAt {
            response: self,
            band: self.hour_bands.iter().find(|b| b.holds(ms)),
        }
    }

    /// Expected calls a week by grade and category from channel `c`'s calls in each hour of
    /// the week (hour 0: Monday 00:00), each hour taking the mixes of its band.
    pub fn calls_by_grade_category(&self, c: usize, hourly: &[f64; 168]) -> [[f64; 5]; 4] {
        let mut out = [[0.0; 5]; 4];
        let per_hour: Vec<[[f64; 5]; 4]> = (0..24)
            .map(|h| self.mix_at(h * crate::time::HOUR).per_call(c))
            .collect();
        for (h, calls) in hourly.iter().enumerate() {
            for (row, p) in out.iter_mut().zip(&per_hour[h % 24]) {
                for (x, y) in row.iter_mut().zip(p) {
                    *x += calls * y;
                }
            }
        }
        out
    }
}

/// Drive times in minutes: row s < sectors from sector s's base, row sectors + w from ward w;
/// a column per ward. None where the file has no time (then distance and speed are used).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TravelMatrix {
    pub sectors: usize,
    /// The times for the whole day; empty when they are by hour band.
    pub minutes: Vec<Vec<Option<f64>>>,
    /// The times by hour band, covering the day without overlap; empty for one matrix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<TravelBand>,
}

/// A travel-time matrix for the part of the day from `start` to `end` (ms after midnight;
/// across midnight when `end` is not after `start`, the whole day when they are equal).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TravelBand {
    pub name: String,
    pub start: u64,
    pub end: u64,
    pub minutes: Vec<Vec<Option<f64>>>,
}

impl TravelBand {
    /// Whether the band holds `ms` after midnight.
    pub fn holds(&self, ms: u64) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&ms)
        } else {
            ms >= self.start || ms < self.end
        }
    }
}

impl TravelMatrix {
    /// The times that hold at `now`: the band its time of day falls in, or the one matrix.
    pub fn at(&self, now: crate::time::Time) -> &[Vec<Option<f64>>] {
        let ms = now % crate::time::DAY;
        match self.bands.iter().find(|b| b.holds(ms)) {
            Some(b) => &b.minutes,
            None => &self.minutes,
        }
    }
}

impl Response {
    /// The matrix's drive time (seconds) at `now` from `from` to ward `to`: from a sector's
    /// base when `from` is exactly that base, else from the ward `from` lies in; in the hour
    /// band `now` falls in when the times are by band. None without a matrix or where it has
    /// no time for the pair.
    pub fn matrix_secs(&self, from: (f64, f64), to: usize, now: crate::time::Time) -> Option<f64> {
        let m = self.travel_matrix.as_ref()?;
        let row = match self.sectors.iter().position(|s| s.base == from) {
            Some(s) => s,
            None => m.sectors + ward_at(&self.wards, from),
        };
        m.at(now)[row][to].map(|min| min * 60.0)
    }
}

/// The random factor, with a mean of 1, on a trip's base travel time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TravelFactor {
    /// No factor: travel is its base time, bit for bit.
    None,
    /// Lognormal with mean 1 and this coefficient of variation by ward type (urban, rural).
    Lognormal { cv: [f64; 2] },
    /// Exponential with mean 1 (coefficient of variation 1).
    Exponential,
}

impl TravelFactor {
    pub fn is_none(&self) -> bool {
        *self == TravelFactor::None
    }
}

/// Settings added after a scenario's hash was first published are left out of the hash when
/// unset, so that an older scenario keeps its hash.
fn no_cad_delay(d: &[Option<Dist>; 3]) -> bool {
    d.iter().all(Option::is_none)
}

/// The dispatch policy: which unit is sent, and how waiting incidents are queued.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Dispatch {
    pub choose: Choose,
    pub queue: QueuePolicy,
    /// Per ward, the sectors whose units it takes in order (for `Choose::Preference`; empty
    /// otherwise).
    pub order: Vec<Vec<usize>>,
}

impl Dispatch {
    pub fn is_default(&self) -> bool {
        *self == Dispatch::default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Choose {
    /// The home sector's nearest idle unit, then the borrowing sectors'.
    #[default]
    Home,
    /// The nearest idle unit anywhere.
    Nearest,
    /// The nearest idle unit of the first sector in the ward's order that has one.
    Preference,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueuePolicy {
    /// Per sector: a freed unit takes waiting incidents by grade, then home sector first.
    #[default]
    Sector,
    /// One queue for the force: by grade, then time of creation, whatever the sector.
    ForceFcfs,
}

/// Dispatchers on the CAD and their time per dispatch.
#[derive(Clone, Debug, Serialize)]
pub struct Dispatchers {
    pub roster: HandlerRoster,
    pub dispatch_time: Dist,
    /// Not a scenario key: set by the dispatchers' staffing search (`staff --dispatchers`),
    /// which then reads, by hour of the week, the incidents that waited at most this long for
    /// a dispatcher ([`crate::model::field::DeskResult::by_hour`]).
    #[serde(skip)]
    pub count_within: Option<crate::time::Duration>,
}

/// Attributes a fixed call may give instead of drawing them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FixedCall {
    pub ward: Option<usize>,
    pub position: Option<(f64, f64)>,
    pub grade: Option<usize>,
    pub category: Option<usize>,
    pub two_units: Option<bool>,
    pub on_scene: Option<Duration>,
}
