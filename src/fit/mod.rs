//! `pledgesim fit`: a scenario fitted to a call log. The base scenario's staffing, geography
//! and policies are kept; its demand and durations are replaced by what the log shows, each
//! fitted value written with where it came from.
//!
//! What is fitted, and from which rows (first attempts are rows that are not redials; silent
//! calls count only for the silent calls' rate):
//! - per channel, the calls a week and the hour-of-week profile: first attempts in each civil
//!   hour of the week over the times that hour occurred in the period (a clock change's hour
//!   occurs twice or not at all in a named time zone);
//! - per channel, the wards' demand weights and the grade mix; by grade, the category mix;
//! - per channel, the handling time (all graded and ungraded answered rows) and by grade;
//! - per channel, the patience: every attempt's wait, ended by a hang-up or censored by its
//!   answer (exponential maximum likelihood, with the Kaplan-Meier restricted mean reported);
//! - time on scene for grades I and S (incidents with one dispatch), and the CAD lead-in
//!   (answer to the incident's creation) for grade I, and for S and E where the base has one.

mod estimate;
pub mod evidence;
mod write;

pub use estimate::{Durations, Family, Fitted, Patience, Seasonal, Waits, seasonal};
pub use evidence::Evidence;
pub use write::{FitOptions, fit};

use crate::log::Row;
use crate::scenario::ChannelKind;
use crate::scenario::response::{CATEGORIES, GRADE_E, GRADE_I, GRADE_S};
use std::collections::BTreeMap;

/// The fewest rows a fitted distribution or mix is made from; with fewer the base's is kept.
pub const MIN_ROWS: u64 = 30;

/// The bands of the day over which the fit checks whether a mix changes: six hours each, from
/// midnight, in the log's civil time.
pub const BANDS: [&str; 4] = ["00:00-06:00", "06:00-12:00", "12:00-18:00", "18:00-24:00"];

/// The level of the test of homogeneity below which `--bands auto` fits a mix by band.
pub const BAND_ALPHA: f64 = 0.001;

/// When the fitted scenario takes a mix by band of the day ([`BANDS`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BandRule {
    /// When the test of homogeneity says the mix changes through the day (p < [`BAND_ALPHA`]).
    #[default]
    Auto,
    Always,
    Never,
}

impl BandRule {
    /// Whether a mix of these counts by band is fitted band by band (as well as for the whole
    /// day): it must be fitted at all (at least [`MIN_ROWS`] rows) and the rule allow it.
    pub fn banded(self, by_band: &[Vec<u64>]) -> bool {
        let total: u64 = by_band.iter().flatten().sum();
        total >= MIN_ROWS
            && match self {
                BandRule::Never => false,
                BandRule::Always => true,
                BandRule::Auto => {
                    evidence::homogeneity(by_band).is_some_and(|h| h.p_value < BAND_ALPHA)
                }
            }
    }
}

/// The log's rows, summed up as they stream past.
pub struct Tally {
    /// The window of civil days kept (inclusive), if any.
    pub window: Option<(i64, i64)>,
    pub first_day: i64,
    pub last_day: i64,
    /// First attempts by channel and civil hour of the week.
    pub arrivals: [[u64; 168]; 2],
    /// First attempts by channel, civil month and hour of the week (`ch * 12 + month - 1`),
    /// for seasonal factors.
    pub by_month: Vec<[u64; 168]>,
    pub silent: u64,
    /// First attempts by channel and ward.
    pub wards: [Vec<u64>; 2],
    /// First attempts by channel and grade; by grade and category.
    pub grades: [[u64; 4]; 2],
    pub categories: [[u64; 5]; 4],
    /// The same by band of the day ([`BANDS`]): first attempts by channel, band and ward
    /// (`ch * 4 + band`); by channel, band and grade; by grade, band and category.
    pub wards_by_band: Vec<Vec<u64>>,
    pub grades_by_band: [[[u64; 4]; 4]; 2],
    pub categories_by_band: [[[u64; 5]; 4]; 4],
    pub waits: [Waits; 2],
    /// Handling by channel: by grade (0-3), and every answered row (4).
    pub handling: [[Durations; 5]; 2],
    /// Time on scene, grades I and S.
    pub on_scene: [Durations; 2],
    /// Answer to creation, grades I, S and E.
    pub lead_in: [Durations; 3],
    /// Rows read, and rows used for at least one figure.
    pub rows: u64,
    pub used: u64,
    /// Rows left out of a figure, by reason.
    pub excluded: BTreeMap<&'static str, u64>,
}

impl Tally {
    pub fn new(wards: usize, window: Option<(i64, i64)>, patience_horizon: u64) -> Tally {
        Tally {
            window,
            first_day: i64::MAX,
            last_day: i64::MIN,
            arrivals: [[0; 168]; 2],
            by_month: vec![[0; 168]; 24],
            silent: 0,
            wards: [vec![0; wards], vec![0; wards]],
            grades: [[0; 4]; 2],
            categories: [[0; 5]; 4],
            wards_by_band: vec![vec![0; wards]; 8],
            grades_by_band: [[[0; 4]; 4]; 2],
            categories_by_band: [[[0; 5]; 4]; 4],
            waits: [Waits::new(patience_horizon), Waits::new(patience_horizon)],
            handling: Default::default(),
            on_scene: Default::default(),
            lead_in: Default::default(),
            rows: 0,
            used: 0,
            excluded: BTreeMap::new(),
        }
    }

    fn skip(&mut self, why: &'static str) {
        *self.excluded.entry(why).or_default() += 1;
    }

    /// One row of the log.
    pub fn add(&mut self, row: &Row) {
        self.rows += 1;
        let day = row.arrival.days;
        if let Some((from, to)) = self.window {
            if day < from || day > to {
                self.skip("arrived outside --from/--to: not used");
                return;
            }
        }
        self.used += 1;
        self.first_day = self.first_day.min(day);
        self.last_day = self.last_day.max(day);
        let ch = row.channel.index();
        if row.silent {
            if row.channel == ChannelKind::Emergency {
                self.silent += 1;
            }
            self.skip("silent calls: counted for the silent calls' rate only");
            return;
        }
        if row.first {
            let how = row.arrival.hour_of_week();
            self.arrivals[ch][how] += 1;
            let month = crate::time::Date::from_days_from_epoch(day).month as usize;
            self.by_month[ch * 12 + month - 1][how] += 1;
            let band = how % 24 / 6;
            match row.ward {
                Some(w) => {
                    self.wards[ch][w] += 1;
                    self.wards_by_band[ch * 4 + band][w] += 1;
                }
                None => self.skip("first attempts with no ward: not in the ward weights"),
            }
            match row.grade {
                Some(g) => {
                    self.grades[ch][g] += 1;
                    self.grades_by_band[ch][band][g] += 1;
                    match row.category {
                        Some(c) => {
                            self.categories[g][c] += 1;
                            self.categories_by_band[g][band][c] += 1;
                        }
                        None => self.skip(
                            "first attempts with a grade and no category: not in the category mix",
                        ),
                    }
                }
                None => self.skip("first attempts with no grade: not in the grade mix"),
            }
        } else {
            self.skip("redials: in the waits only (the scenario makes its own redials)");
        }
        // The wait: to the answer (censored) or the hang-up (the patience), whichever first.
        let (answered, abandoned) = (row.time("answered"), row.time("abandoned"));
        let wait = |t: crate::log::Stamp| (t.instant - row.arrival.instant) as u64;
        match (answered, abandoned) {
            (Some(a), Some(h)) if h.instant < a.instant => self.waits[ch].add(wait(h), true),
            (Some(a), _) => self.waits[ch].add(wait(a), false),
            (None, Some(h)) => self.waits[ch].add(wait(h), true),
            (None, None) => self.skip("neither answered nor abandoned (still waiting when the log ends): not in the waits"),
        }
        if let Some(h) = row.handling {
            self.handling[ch][4].add(h);
            if let Some(g) = row.grade {
                self.handling[ch][g].add(h);
            }
        } else if answered.is_some() {
            self.skip("answered with no handling time: not in the handling times");
        }
        if let Some(g @ (GRADE_I | GRADE_S)) = row.grade {
            match row.on_scene {
                Some(t) => self.on_scene[g].add(t),
                None if row.time("unit_arrived").is_some() && row.time("cleared").is_some() => {
                    self.skip("incidents with more than one dispatch: not in the times on scene")
                }
                None => {}
            }
        }
        if let (Some(g @ (GRADE_I | GRADE_S | GRADE_E)), Some(a), Some(c)) =
            (row.grade, answered, row.time("created"))
        {
            self.lead_in[g].add((c.instant - a.instant) as u64);
        }
    }
}

/// `CATEGORIES`, for the writer.
pub fn category_names() -> [&'static str; 5] {
    CATEGORIES
}
